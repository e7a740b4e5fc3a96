//! The account database is encrypted with SQLCipher (AES-256 pages with an HMAC each) under a random 256-bit key
//! per account ([`DbKey`], kept by [`crate::account_key`]). A database written by a version before encryption is
//! encrypted in place on first open, its outbox intact.
//!
//! The in-place encryption never leaves the proposals without a readable copy: the plain database is
//! checkpointed, exported into a new encrypted file beside it, closed, and only then replaced by the new file in
//! one rename. A kill before the rename leaves the plain database as it was (the half-written file is removed on
//! the next attempt); a kill after it leaves the encrypted one.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::CoreError;
use crate::private_fs;

/// A database key: 32 random bytes. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct DbKey([u8; 32]);

impl DbKey {
    pub(crate) fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        Self(bytes)
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// SQLCipher's raw-key form, `x'…'` (no key derivation: the key is random, not a password).
    fn raw_key(&self) -> String {
        format!("x'{}'", hex::encode(self.0))
    }
}

impl std::fmt::Debug for DbKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbKey(<redacted>)")
    }
}

/// The first 16 bytes of every plain SQLite database; an encrypted one starts with random salt.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether `path` holds a plain (unencrypted) SQLite database.
pub(crate) fn is_plain(path: &Path) -> Result<bool, CoreError> {
    let mut header = [0u8; 16];
    match fs::File::open(path) {
        Ok(mut f) => Ok(f.read_exact(&mut header).is_ok() && &header == PLAIN_HEADER),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Open `path` with `key` (creating an encrypted database when there is none), encrypting a plain one first.
/// A wrong key is [`CoreError::DatabaseKey`].
pub(crate) fn open(path: &Path, key: &DbKey) -> Result<Connection, CoreError> {
    if is_plain(path)? {
        encrypt_in_place(path, key)?;
    }
    let fresh = !path.exists();
    let conn = Connection::open(path)?;
    if fresh {
        // Before the first page is written, so the journal files SQLite creates inherit the mode.
        private_fs::restrict_file(path)?;
    }
    apply_key(&conn, key)?;
    Ok(conn)
}

/// Key a just-opened connection and prove the key right (SQLCipher reads nothing before the first statement).
fn apply_key(conn: &Connection, key: &DbKey) -> Result<(), CoreError> {
    conn.pragma_update(None, "key", key.raw_key())?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
            Err(CoreError::DatabaseKey)
        }
        Err(e) => Err(e.into()),
    }
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Replace the plain database at `path` by an encrypted copy (see the module documentation).
fn encrypt_in_place(path: &Path, key: &DbKey) -> Result<(), CoreError> {
    let tmp = sibling(path, ".encrypting");
    remove_if_present(&tmp)?;
    {
        let plain = Connection::open(path)?;
        // Everything committed is in the main file afterwards, and the WAL is empty.
        plain.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let version: i64 = plain.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        fs::File::create(&tmp)?;
        private_fs::restrict_file(&tmp)?;
        plain.execute("ATTACH DATABASE ?1 AS encrypted KEY ?2", [tmp.to_string_lossy().as_ref(), &key.raw_key()])?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        plain.execute_batch(&format!("PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"))?;
        plain.close().map_err(|(_, e)| e)?;
    }
    fs::File::open(&tmp)?.sync_all()?;
    for suffix in ["-wal", "-shm"] {
        remove_if_present(&sibling(path, suffix))?;
    }
    fs::rename(&tmp, path)?;
    private_fs::sync_dir(path)?;
    tracing::info!("account database encrypted in place");
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<(), CoreError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Move an account database nobody can read any more (its key is lost) out of the way, with its journal files,
/// keeping it in case the key turns up; returns where it went.
pub(crate) fn set_aside(path: &Path) -> Result<PathBuf, CoreError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let aside = sibling(path, &format!(".unreadable-{stamp}"));
    for suffix in ["-wal", "-shm"] {
        let from = sibling(path, suffix);
        if from.exists() {
            fs::rename(&from, sibling(&aside, suffix))?;
        }
    }
    fs::rename(path, &aside)?;
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_database_is_encrypted_in_place_and_keeps_its_rows() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.sqlite");
        {
            let plain = Connection::open(&path).expect("plain");
            plain
                .execute_batch(
                    "PRAGMA journal_mode = WAL; CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('NIK 3171012345678901');
                     PRAGMA user_version = 7;",
                )
                .expect("rows");
        }
        assert!(is_plain(&path).expect("header"));
        let key = DbKey::generate();
        let conn = open(&path, &key).expect("encrypted open");
        assert!(!is_plain(&path).expect("header"));
        let v: String = conn.query_row("SELECT v FROM t", [], |r| r.get(0)).expect("row kept");
        assert_eq!(v, "NIK 3171012345678901");
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).expect("version");
        assert_eq!(version, 7, "the schema version survives");
        drop(conn);
        let bytes = fs::read(&path).expect("file");
        assert!(!bytes.windows(4).any(|w| w == b"3171"), "no clear text in the file");
        assert!(matches!(open(&path, &DbKey::generate()), Err(CoreError::DatabaseKey)), "a wrong key is told");
        assert!(open(&path, &key).is_ok());
        assert!(!sibling(&path, ".encrypting").exists());
    }

    #[test]
    fn a_half_written_copy_from_a_killed_run_is_discarded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.sqlite");
        Connection::open(&path)
            .expect("plain")
            .execute_batch("CREATE TABLE t (v); INSERT INTO t VALUES (1);")
            .expect("rows");
        fs::write(sibling(&path, ".encrypting"), b"garbage of a killed export").expect("leftover");
        let conn = open(&path, &DbKey::generate()).expect("open");
        let n: i64 = conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).expect("count");
        assert_eq!(n, 1);
    }

    #[test]
    fn keys_never_print() {
        assert_eq!(format!("{:?}", DbKey::from_bytes([7; 32])), "DbKey(<redacted>)");
    }
}
