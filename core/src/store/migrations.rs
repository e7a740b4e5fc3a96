//! The one migration runner: numbered steps, run in one transaction, version in `PRAGMA user_version`.
//!
//! Never edit a shipped step; append a new one. No step may delete outbox rows.

use rusqlite::Connection;

use crate::error::CoreError;

/// Step `i` upgrades a database from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the first schema. Mirror (profile, history, notifications, catalogs) and local state (usulan, outbox,
    // meta) are kept in separate tables.
    "CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE profile (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL,
        last_usulan_id TEXT
    );
    CREATE TABLE history (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        sort_date TEXT NOT NULL,
        json TEXT NOT NULL,
        last_usulan_id TEXT
    );
    CREATE INDEX history_by_kind ON history (kind, sort_date DESC);
    CREATE TABLE usulan (
        id TEXT PRIMARY KEY,
        action_type TEXT NOT NULL,
        kind TEXT,
        record_id TEXT,
        action TEXT NOT NULL,
        state TEXT NOT NULL,
        reason TEXT,
        refusal TEXT,
        events TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        withdraw_pending INTEGER NOT NULL DEFAULT 0,
        applied INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY,
        mutation_id TEXT NOT NULL UNIQUE,
        op TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        created_at TEXT NOT NULL,
        read INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE catalogs (
        name TEXT PRIMARY KEY,
        json TEXT NOT NULL
    );",
    // 2: keep the last failure of a queued mutation; list proposals newest first without a sort.
    "ALTER TABLE outbox ADD COLUMN last_error TEXT;
    CREATE INDEX usulan_by_created ON usulan (created_at DESC);
    CREATE INDEX notifications_unread ON notifications (read);",
    // 3: the reviewer's synced work queue (a mirror) and the decisions taken on this device (local state).
    "CREATE TABLE review_items (
        usulan_id TEXT PRIMARY KEY,
        json TEXT NOT NULL,
        kind TEXT,
        unor_nama TEXT NOT NULL DEFAULT '',
        deadline TEXT,
        gone INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX review_items_by_deadline ON review_items (deadline);
    CREATE TABLE review_decisions (
        usulan_id TEXT PRIMARY KEY,
        decision TEXT NOT NULL,
        reason TEXT,
        from_state TEXT NOT NULL,
        mutation_id TEXT NOT NULL,
        queued INTEGER NOT NULL DEFAULT 1,
        refusal TEXT,
        decided_at TEXT NOT NULL
    );",
    // 4: supporting documents (stored once by SHA-256 under `<data_dir>/documents/`, with how much of each the
    // server holds), the documents of each proposal, and the categories confirmed here but not yet pulled back.
    "ALTER TABLE usulan ADD COLUMN documents TEXT NOT NULL DEFAULT '[]';
    CREATE INDEX usulan_by_record ON usulan (record_id);
    CREATE TABLE documents (
        sha256 TEXT PRIMARY KEY,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        local INTEGER NOT NULL DEFAULT 1,
        received INTEGER NOT NULL DEFAULT 0,
        complete INTEGER NOT NULL DEFAULT 0,
        failure TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE confirmations (
        kind TEXT PRIMARY KEY,
        confirmed_at TEXT NOT NULL
    );",
    // 5: competency and potential assessments of the ASN (a mirror: recorded by the agency admin, read-only here).
    "CREATE TABLE assessments (
        id TEXT PRIMARY KEY,
        tanggal TEXT NOT NULL,
        json TEXT NOT NULL
    );",
    // 6: a document fetched from the server for viewing (a reviewer opening someone else's) is a cache, removed
    // after the decision and at logout.
    "ALTER TABLE documents ADD COLUMN cached INTEGER NOT NULL DEFAULT 0;",
    // 7: the public keys that verify ASN card tokens offline (`GET /api/v1/card/keys`, a mirror replaced whole).
    "CREATE TABLE card_keys (
        kid TEXT PRIMARY KEY,
        x TEXT NOT NULL
    );",
    // 8: an approved proposal's last step in SIASN (JSON `SiasnStep`, from the server's proposal; NULL when none).
    "ALTER TABLE usulan ADD COLUMN siasn TEXT;",
];

/// The schema version this code writes.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Upgrade to the latest version; refuse a database newer than this code.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), CoreError> {
    migrate_to(conn, latest())
}

pub(crate) fn migrate_to(conn: &mut Connection, target: i64) -> Result<(), CoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > latest() {
        return Err(CoreError::SchemaTooNew { found, supported: latest() });
    }
    if found >= target {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for step in &MIGRATIONS[found as usize..target as usize] {
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", target)?;
    tx.commit()?;
    tracing::info!(from = found, to = target, "migrated local database");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(conn: &Connection) -> Vec<(String, String, Option<String>)> {
        let mut st = conn
            .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")
            .expect("prepare");
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).expect("query");
        rows.collect::<Result<_, _>>().expect("rows")
    }

    #[test]
    fn every_upgrade_equals_fresh_and_keeps_outbox() {
        let dir = tempfile::tempdir().expect("tempdir");
        for start in 1..latest() {
            let path = dir.path().join(format!("old{start}.sqlite"));
            {
                let mut old = Connection::open(&path).expect("open");
                migrate_to(&mut old, start).expect("old schema");
                old.execute(
                    "INSERT INTO outbox (seq, mutation_id, op, created_at) VALUES (7, 'm7', '{}', '2026-01-01')",
                    [],
                )
                .expect("outbox row");
            }
            let mut upgraded = Connection::open(&path).expect("reopen");
            migrate(&mut upgraded).expect("upgrade");
            let mut fresh = Connection::open_in_memory().expect("fresh");
            migrate(&mut fresh).expect("fresh");
            assert_eq!(schema(&upgraded), schema(&fresh), "upgrade from {start}");
            let v: i64 = upgraded.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
            assert_eq!(v, latest());
            let n: i64 = upgraded.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0)).expect("count");
            assert_eq!(n, 1, "migrations never delete outbox rows");
        }
    }

    #[test]
    fn newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", latest() + 1).expect("set");
        let err = migrate(&mut conn).expect_err("refused");
        assert_eq!(err.code(), "store.schema_too_new");
    }

    #[test]
    fn migrating_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().expect("open");
        migrate(&mut conn).expect("first");
        migrate(&mut conn).expect("second");
    }
}
