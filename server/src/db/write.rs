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

    /// Whether this process forwards approved changes to SIASN (an approval then queues them in its transaction).
    fn forwards_to_siasn(&self) -> bool {
        false
    }
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

    /// Whether this process forwards approved changes to SIASN (see [`AfterCommit::forwards_to_siasn`]).
    pub fn forwards_to_siasn(&self) -> bool {
        self.after.forwards_to_siasn()
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

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::db::{self, ENTITY_PROFILE};

    /// Records what it is told.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<Committed>>);

    impl AfterCommit for Recorder {
        fn committed(&self, changes: &Committed) {
            self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(changes.clone());
        }
    }

    impl Recorder {
        fn told(&self) -> Vec<Committed> {
            self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
        }
    }

    #[tokio::test]
    async fn the_hook_is_told_after_a_commit_and_never_after_a_rollback() {
        let pool = db::connect("sqlite::memory:").await.expect("connect");
        let recorder = Recorder::default();

        let mut tx = begin_write(&pool, &recorder).await.expect("begin");
        db::log_change(&mut tx, Some("1"), ENTITY_PROFILE, "1").await.expect("log");
        assert!(recorder.told().is_empty(), "nothing is told while the transaction is open");
        tx.rollback().await.expect("rollback");
        assert!(recorder.told().is_empty(), "a rolled-back write tells nobody");

        let mut tx = begin_write(&pool, &recorder).await.expect("begin");
        let version = db::log_change(&mut tx, Some("1"), ENTITY_PROFILE, "1").await.expect("log");
        db::log_changes(&mut tx, &[("2".to_owned(), ENTITY_PROFILE, "2".to_owned())]).await.expect("log many");
        tx.commit().await.expect("commit");
        let told = recorder.told();
        assert_eq!(told.len(), 1);
        assert_eq!(told[0].logged, vec![(Some("1".to_owned()), version), (Some("2".to_owned()), version + 1)]);
        assert!(!told[0].tokens_changed);
        pool.close().await;
    }
}
