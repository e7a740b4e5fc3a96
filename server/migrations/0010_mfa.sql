-- The second factor: a TOTP secret (RFC 6238) per account, and its single-use recovery codes.
-- Times are milliseconds since the Unix epoch.
CREATE TABLE mfa (
    nip TEXT PRIMARY KEY,
    -- The shared secret, base32. The server must read it to check codes, so it cannot be hashed.
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- 0 while the enrolment waits for its first code; then when that code was confirmed (the factor is on).
    confirmed_at BIGINT NOT NULL DEFAULT 0,
    -- The newest 30-second step whose code was accepted: a code of it or of an earlier step never works again.
    last_step BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE mfa_recovery_codes (
    nip TEXT NOT NULL,
    -- SHA-256 of the NIP and the code: a code is as strong as a password guess is limited by the throttle.
    code_hash TEXT NOT NULL,
    -- 0 unused; otherwise when it was used to log in.
    used_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (nip, code_hash)
);

-- 1: a session of an account that must have a second factor and has none yet; it may only enrol.
ALTER TABLE sessions ADD COLUMN enrollment_only BIGINT NOT NULL DEFAULT 0;
