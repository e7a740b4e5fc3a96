-- The ASN card's signing key and competency/potential assessments.
-- Portable DDL (SQLite and PostgreSQL).

-- Secrets shared by every server node on this database (the card's HMAC key: name 'card_hmac', value hex).
-- Written once with INSERT … ON CONFLICT DO NOTHING, then read: nodes starting together agree on one value.
CREATE TABLE server_secret (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Assessments recorded by an agency admin: `data` is the model's `Assessment` as JSON.
CREATE TABLE assessment (
    id TEXT PRIMARY KEY,
    nip TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX assessment_nip ON assessment (nip);
