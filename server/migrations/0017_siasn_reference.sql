-- SIASN's reference ids of positions and units by name (see server/src/siasn/resolve.rs): an approved position
-- is sent to SIASN with the ids of its position and unit. Portable DDL (SQLite and PostgreSQL).
--
-- kind: jabatan_fungsional | jabatan_pelaksana (the reference tables, written by `import-reference` and the
-- seed; scope '') | unor (the units of agency `scope` as SIASN's answers named them, written by the import).
-- nama_key: model::siasn::reference::name_key of the name (upper case, single spaces).
CREATE TABLE siasn_reference (
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    nama_key TEXT NOT NULL,
    id TEXT NOT NULL,
    nama TEXT NOT NULL,
    PRIMARY KEY (kind, scope, nama_key)
);
-- The name of an id: is a record's id still the one of its (possibly edited) name?
CREATE INDEX siasn_reference_id ON siasn_reference (kind, scope, id);
