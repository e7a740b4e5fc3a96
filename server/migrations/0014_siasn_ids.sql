-- SIASN's id of each history record (its riwayat `id`, `orang.id` for a family member; see model/src/siasn/mod.rs),
-- NULL for a record not (yet) in SIASN. The PNS id lives in the profile's JSON (`siasn_pns_id`).
-- Portable DDL (SQLite and PostgreSQL).
ALTER TABLE history ADD COLUMN siasn_id TEXT;
