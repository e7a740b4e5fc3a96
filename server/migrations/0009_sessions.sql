-- Sessions: every login starts a family of tokens. A refresh token remembers the refresh token it was rotated
-- from (parent_hash), so reusing a token whose successor was already used is seen and ends the whole family.
-- Times are milliseconds since the Unix epoch.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    nip TEXT NOT NULL,
    device_name TEXT,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL,
    -- The absolute end: no refresh extends a session past it.
    expires_at BIGINT NOT NULL,
    -- 0 live; otherwise when it was ended (logout, "log out elsewhere", suspected theft).
    revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sessions_nip ON sessions (nip);
CREATE INDEX sessions_expires ON sessions (expires_at);

ALTER TABLE tokens ADD COLUMN session_id TEXT;
ALTER TABLE tokens ADD COLUMN parent_hash TEXT;
CREATE INDEX tokens_session ON tokens (session_id);
CREATE INDEX tokens_parent ON tokens (parent_hash);
CREATE INDEX tokens_expires ON tokens (expires_at);

-- Tokens issued before sessions existed: each live refresh token becomes its own session (its devices stay logged
-- in); its access tokens (at most 15 minutes left) stay without one.
INSERT INTO sessions (id, nip, device_name, created_at, last_used_at, expires_at, revoked_at)
SELECT token_hash, nip, NULL, expires_at - 2592000000, expires_at - 2592000000, expires_at, 0
FROM tokens WHERE kind = 'refresh' AND revoked = 0;
UPDATE tokens SET session_id = token_hash WHERE kind = 'refresh' AND revoked = 0;
