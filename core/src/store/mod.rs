//! The local store of one account: a SQLCipher-encrypted SQLite file ([`cipher`]) in WAL mode with
//! `synchronous=FULL`, so a saved proposal survives a crash or power loss. SQL lives in one module per table; statements on hot paths use
//! `prepare_cached`.
//!
//! Pulled pages are the one exception to FULL: [`Store::write_relaxed`] commits them with `synchronous=NORMAL`.
//! In WAL mode a NORMAL commit is still atomic (a torn WAL tail fails its checksum and is ignored), it only
//! skips the fsync of the WAL at commit, so power loss may roll the page back. The page and its cursor are in
//! the same transaction, so the device simply pulls that page again. A later FULL commit (a proposal, the
//! outbox) fsyncs the WAL up to and including its own frames, so it never depends on a relaxed commit having
//! reached the disk in some other way, and nothing on the outbox side is ever written in a relaxed transaction.

pub(crate) mod apply;
pub(crate) mod assessments;
pub(crate) mod card_keys;
pub(crate) mod catalogs;
pub(crate) mod cipher;
pub(crate) mod confirmations;
pub(crate) mod documents;
pub(crate) mod meta;
pub(crate) mod migrations;
pub(crate) mod notifications;
pub(crate) mod outbox;
pub(crate) mod records;
pub(crate) mod review;
pub(crate) mod usulan;

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::error::CoreError;

/// SQLite's default WAL auto-checkpoint threshold, in pages.
const CHECKPOINT_PAGES: i64 = 1_000;
/// The threshold while relaxed (pulled) data is written.
const RELAXED_CHECKPOINT_PAGES: i64 = 8_000;

pub(crate) struct Store {
    conn: Mutex<Connection>,
    /// The id this database pushes under. Generated with the database, so a recreated database never reuses
    /// sequence numbers the server has already seen.
    replica_id: String,
}

impl Store {
    /// Open the database at `path`: encrypted with `key` (a plain one is encrypted first, see [`cipher`]), or,
    /// without a key, a plain database of an earlier version as it is.
    pub(crate) fn open(path: &Path, key: Option<&cipher::DbKey>) -> Result<Self, CoreError> {
        let mut conn = match key {
            Some(key) => cipher::open(path, key)?,
            None => Connection::open(path)?,
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Room for every statement of the store modules, so the hot ones are never evicted.
        conn.set_prepared_statement_cache_capacity(64);
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            tracing::warn!(mode, "WAL journal mode not available");
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 16 MiB of page cache (the default is 2 MiB): a first sync of 100,000 records touches the history
        // B-trees all over, and re-reading evicted pages from the WAL dominated its cost.
        conn.pragma_update(None, "cache_size", -16_384)?;
        migrations::migrate(&mut conn)?;
        let replica_id = match meta::get(&conn, meta::REPLICA_ID)? {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                meta::set(&conn, meta::REPLICA_ID, &id)?;
                id
            }
        };
        Ok(Self { conn: Mutex::new(conn), replica_id })
    }

    pub(crate) fn replica_id(&self) -> &str {
        &self.replica_id
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Run `f` on the connection (reads, or single statements).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, CoreError>) -> Result<T, CoreError> {
        f(&self.lock())
    }

    /// Run `f` in one immediate transaction; commit if it succeeds, roll back otherwise.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, CoreError>) -> Result<T, CoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Like [`Store::write`], but committed with `synchronous=NORMAL`: durable-atomic, may roll back on power
    /// loss. Only for data the server can send again together with its cursor (pull pages). The connection is
    /// back on `synchronous=FULL` afterwards, also when `f` fails.
    pub(crate) fn write_relaxed<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        let mut conn = self.lock();
        // The pragmas cannot change inside a transaction; set them before BEGIN and restore them after COMMIT.
        // Bulk pulls also checkpoint less often (every 8,000 WAL pages instead of 1,000); the next ordinary
        // commit checkpoints as usual.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "wal_autocheckpoint", RELAXED_CHECKPOINT_PAGES)?;
        let result: Result<T, CoreError> = (|| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        })();
        let restored = conn
            .pragma_update(None, "synchronous", "FULL")
            .and_then(|()| conn.pragma_update(None, "wal_autocheckpoint", CHECKPOINT_PAGES));
        let out = result?;
        restored?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synchronous(store: &Store) -> i64 {
        store.read(|c| Ok(c.query_row("PRAGMA synchronous", [], |r| r.get(0))?)).expect("pragma")
    }

    #[test]
    fn relaxed_writes_commit_and_leave_the_connection_on_full() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("a.sqlite"), Some(&cipher::DbKey::generate())).expect("open");
        assert_eq!(synchronous(&store), 2, "FULL");
        store
            .write_relaxed(|tx| {
                assert_eq!(tx.query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0))?, 1, "NORMAL inside");
                meta::set(tx, meta::CURSOR, "7")
            })
            .expect("relaxed write");
        assert_eq!(synchronous(&store), 2, "FULL again");
        let checkpoint: i64 =
            store.read(|c| Ok(c.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?)).expect("pragma");
        assert_eq!(checkpoint, CHECKPOINT_PAGES);
        assert_eq!(store.read(|c| meta::get(c, meta::CURSOR)).expect("cursor").as_deref(), Some("7"));
        let failed: Result<(), CoreError> = store.write_relaxed(|tx| {
            meta::set(tx, meta::CURSOR, "8")?;
            Err(CoreError::NotLoggedIn)
        });
        assert!(failed.is_err());
        assert_eq!(synchronous(&store), 2, "FULL after a failed relaxed write");
        assert_eq!(store.read(|c| meta::get(c, meta::CURSOR)).expect("cursor").as_deref(), Some("7"), "rolled back");
    }
}
