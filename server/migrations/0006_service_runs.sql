-- One row per day whose scheduled evaluation of service events a server node has claimed: with several nodes
-- sharing the database, only the first to claim a day evaluates every ASN that day.
CREATE TABLE service_run (
    day TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    started_at TEXT NOT NULL
);
