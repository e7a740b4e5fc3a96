-- Imports of official records from SIASN (see server/src/siasn/import.rs). Portable DDL.
--
-- One siasn_import_run per `siasn import` (or scheduled re-import): target names what was asked
-- (`nip:<nip>,…` or `instansi:<id>`); finished_at is set when every NIP was tried. A run that was interrupted
-- (finished_at NULL) is resumed by the next import of the same target: its NIPs already done are skipped.
-- One siasn_import_item per NIP of a run: state pending | imported | unchanged | failed; code and message say why
-- a NIP failed (a stable code of the SIASN client or the mapping, and its text); changes counts the records
-- written.
CREATE TABLE siasn_import_run (
    id TEXT PRIMARY KEY,
    target TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX siasn_import_run_target ON siasn_import_run (target, finished_at);

CREATE TABLE siasn_import_item (
    run_id TEXT NOT NULL,
    nip TEXT NOT NULL,
    position BIGINT NOT NULL,
    state TEXT NOT NULL,
    code TEXT,
    message TEXT,
    changes BIGINT NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (run_id, nip)
);
