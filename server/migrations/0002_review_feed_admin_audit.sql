-- Reviewer feed, offline decisions, agency administration and the extended audit log.
-- Portable DDL (SQLite and PostgreSQL).

-- The official record a change/delete proposal concerns, as it was when the ASN proposed it (JSON, or NULL).
ALTER TABLE usulan ADD COLUMN base TEXT;

-- Accounts: a lock with the admin's reason (NULL = not locked). An account without a password
-- (password_hash = '') is not activated yet: its owner sets one with a reset code.
ALTER TABLE users ADD COLUMN locked_reason TEXT;

-- One live reset/activation code per account, stored hashed; one-time, expiring.
CREATE TABLE reset_code (
    nip TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    used BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Audit: from which device, whose record or account, which agency, and why.
ALTER TABLE audit_log ADD COLUMN device_id TEXT;
ALTER TABLE audit_log ADD COLUMN subject_nip TEXT;
ALTER TABLE audit_log ADD COLUMN instansi_id TEXT;
ALTER TABLE audit_log ADD COLUMN reason TEXT;
CREATE INDEX audit_log_subject_at ON audit_log (subject_nip, at);
CREATE INDEX audit_log_instansi_at ON audit_log (instansi_id, at);

CREATE INDEX users_instansi ON users (instansi_id);
