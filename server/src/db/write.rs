//! Write transactions and what they tell the process after their commit.
//!
//! The storage layer only writes SQL. What a committed write means for the running process (the feed cache must
//! stop answering "nothing new" for the keys it logged, event streams listening on those keys are nudged, cached
//! access tokens stop counting after a lock, role or password change) is collected in the transaction as
//! [`Committed`] and handed to the [`AfterCommit`] hook given to [`begin_write`] once the commit succeeded. A
//! rolled-back or dropped transaction tells nobody anything.

use std::ops::{Deref, DerefMut};

use sqlx::{AnyConnection, AnyPool};

use super::Tx;
use crate::error::ServerError;

/// A change-log key: `Some(nip or scope)`, `None` for entries for everyone.
pub type LogKey = Option<String>;

/// What one committed write transaction changed, as far as the process cares.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The change-log entries appended: key and version.
    pub logged: Vec<(LogKey, i64)>,
    /// Tokens were revoked, or an account's lock, roles or password changed: cached token checks are stale.
    pub tokens_changed: bool,
}

/// Told about every committed write transaction (the server's live state; nothing in a command-line run).
pub trait AfterCommit: Send + Sync {
    fn committed(&self, changes: &Committed);
}

/// The hook of a process with nothing to tell (the command line, seeding, tests writing directly).
pub struct NoHook;

impl AfterCommit for NoHook {
    fn committed(&self, _: &Committed) {}
}

/// A write transaction: the connection, what it changed so far, and whom to tell after its commit.
pub struct WriteTx<'h> {
    tx: Tx,
    changes: Committed,
    after: &'h dyn AfterCommit,
}

/// Begin a write transaction (see the module docs of [`crate::db`]): it touches the change-log counter row first.
pub async fn begin_write<'h>(pool: &AnyPool, after: &'h dyn AfterCommit) -> Result<WriteTx<'h>, ServerError> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE counter SET value = value WHERE name = 'change_log'").execute(&mut *tx).await?;
    Ok(WriteTx { tx, changes: Committed::default(), after })
}

impl WriteTx<'_> {
    /// Note a change-log entry appended in this transaction (told after the commit).
    pub(super) fn logged(&mut self, key: Option<&str>, version: i64) {
        self.changes.logged.push((key.map(str::to_owned), version));
    }

    /// Note change-log entries appended on this transaction's connection by [`super::append_changes`] (inside a
    /// savepoint that committed).
    pub fn note_logged(&mut self, entries: impl IntoIterator<Item = (LogKey, i64)>) {
        self.changes.logged.extend(entries);
    }

    /// Note that cached access-token checks are stale once this transaction commits.
    pub(super) fn tokens_changed(&mut self) {
        self.changes.tokens_changed = true;
    }

    /// Commit, then tell the hook what changed.
    pub async fn commit(self) -> Result<(), ServerError> {
        self.tx.commit().await?;
        self.after.committed(&self.changes);
        Ok(())
    }

    /// Roll back: nothing happened, nobody is told.
    pub async fn rollback(self) -> Result<(), ServerError> {
        self.tx.rollback().await?;
        Ok(())
    }

    /// Open a savepoint on this transaction (a nested transaction whose failure keeps the outer one).
    pub async fn savepoint(&mut self) -> Result<sqlx::Transaction<'_, sqlx::Any>, ServerError> {
        use sqlx::Connection;
        Ok(self.tx.begin().await?)
    }
}

impl Deref for WriteTx<'_> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}
