//! The local store of one account: a SQLite file in WAL mode with `synchronous=FULL`, so a saved proposal
//! survives a crash or power loss. SQL lives in one module per table.

pub(crate) mod apply;
pub(crate) mod catalogs;
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

pub(crate) struct Store {
    conn: Mutex<Connection>,
    /// The id this database pushes under. Generated with the database, so a recreated database never reuses
    /// sequence numbers the server has already seen.
    replica_id: String,
}

impl Store {
    pub(crate) fn open(path: &Path) -> Result<Self, CoreError> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            tracing::warn!(mode, "WAL journal mode not available");
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
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
}
