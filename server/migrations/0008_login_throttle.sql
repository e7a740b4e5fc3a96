-- Failed logins and reset codes per NIP and per client address, shared by every server node on the database:
-- `failures` within the window that began at `window_start`; a block lasts until `blocked_until`; `blocks` counts
-- the blocks in a row (each doubles the next). Times in milliseconds since the Unix epoch.
CREATE TABLE login_throttle (
    scope TEXT NOT NULL,
    subject TEXT NOT NULL,
    failures BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    blocked_until BIGINT NOT NULL,
    blocks BIGINT NOT NULL,
    PRIMARY KEY (scope, subject)
);
