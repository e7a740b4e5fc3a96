-- Approved changes waiting to be forwarded to SIASN (see server/src/siasn/forward.rs). Portable DDL.
--
-- One row per approved proposal (usulan_id is the key: a proposal is never queued twice), written in the same
-- transaction as the approval. endpoint: a model::siasn::write::WriteEndpoint name; body: the save body as JSON,
-- without `path`; documents: the proposal's DocumentRefs to upload first; uploaded: the `path` entries SIASN
-- answered for them, kept so a crash never uploads a document twice.
-- state: pending (waiting or between tries) | done (SIASN recorded it) | failed (refused, or given up; an admin
-- may send it again). A node claims a row by setting lease_owner and lease_until (milliseconds since the epoch)
-- with a conditional UPDATE; a crashed node's claim lapses at lease_until. sent_at: set just before the save is
-- sent, cleared when its answer is stored; a claim that finds it set knows an earlier send's outcome is unknown.
CREATE TABLE siasn_outbox (
    usulan_id TEXT PRIMARY KEY,
    nip TEXT NOT NULL,
    instansi_id TEXT NOT NULL,
    record_id TEXT,
    endpoint TEXT NOT NULL,
    body TEXT NOT NULL,
    documents TEXT NOT NULL,
    uploaded TEXT NOT NULL DEFAULT '[]',
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    sent_at BIGINT,
    siasn_id TEXT,
    message TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX siasn_outbox_due ON siasn_outbox (state, next_at);
CREATE INDEX siasn_outbox_agency ON siasn_outbox (instansi_id, state);
