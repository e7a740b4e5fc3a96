//! Backup and restore of a single-node server on SQLite (`mysapk-server backup --to DIR`, `restore --from DIR`).
//!
//! A backup directory holds:
//! - `mysapk.sqlite`: a consistent copy of the database made online with `VACUUM INTO` (one read transaction, so
//!   a server may keep writing meanwhile), without the progress rows of unfinished uploads (their partial bytes
//!   are not copied; a device restarts such an upload from the status the server answers);
//! - `documents/`: every complete document the copy references, in the [`DirBlobStore`] layout, copied AFTER the
//!   database snapshot (a document's bytes are stored before its row is committed, so every row of the snapshot has
//!   its bytes by then), each checked against its SHA-256;
//! - `manifest.json` ([`Manifest`]): format, time, schema version, the copy's SHA-256 and row counts.
//!
//! Everything is fsynced before the command returns. A backup goes into a new or empty directory only; a restore
//! into an empty database (or one holding no account or proposal) and an empty document directory, unless forced.
//! PostgreSQL is refused: its own tools (`pg_dump`, `pg_basebackup` with WAL archiving) are the procedure, see
//! `docs/DEPLOY.md`.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{Connection, SqliteConnection};

use crate::documents::{BlobStore, DirBlobStore};
pub use crate::error::BackupError;

/// The manifest's file name in a backup directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The database copy's file name in a backup directory.
pub const DATABASE_FILE: &str = "mysapk.sqlite";
/// The document store's directory in a backup directory.
pub const DOCUMENTS_DIR: &str = "documents";
/// The layout version written into [`Manifest::format`].
pub const FORMAT: u32 = 1;

/// The migrations this server knows (read only for their versions; [`crate::db::connect`] runs them).
static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// What a backup holds, written as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// When the database snapshot was taken (RFC 3339, UTC).
    pub created_at: String,
    /// The version of the server that made it.
    pub server_version: String,
    /// The newest migration applied to the copy.
    pub schema_version: i64,
    /// SHA-256 (hex) of [`DATABASE_FILE`].
    pub database_sha256: String,
    /// Size of [`DATABASE_FILE`] in bytes.
    pub database_bytes: u64,
    /// Rows of the copy.
    pub counts: Counts,
}

/// Row counts of a database copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub accounts: i64,
    pub usulan: i64,
    /// Complete documents (each copied into `documents/`).
    pub documents: i64,
    pub change_log: i64,
}

fn io_at(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.to_owned(), source }
}

/// The file of a `sqlite://` URL; PostgreSQL and anything else refused.
pub fn sqlite_path(database_url: &str) -> Result<PathBuf, BackupError> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return Err(BackupError::Postgres);
    }
    let rest = database_url.strip_prefix("sqlite:").ok_or(BackupError::BadUrl)?;
    let path = rest.trim_start_matches("//").split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || rest.contains("mode=memory") {
        return Err(BackupError::InMemory);
    }
    Ok(PathBuf::from(path))
}

async fn open(path: &Path, read_only: bool) -> Result<SqliteConnection, BackupError> {
    let options = SqliteConnectOptions::from_str("sqlite://")?
        .filename(path)
        .create_if_missing(false)
        .read_only(read_only)
        .busy_timeout(Duration::from_secs(30));
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// Whether `dir` is absent or an empty directory.
fn is_empty_dir(dir: &Path) -> Result<bool, BackupError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(io_at(dir)(e)),
    }
}

fn sha256_of_file(path: &Path) -> Result<(String, u64), BackupError> {
    let mut file = std::fs::File::open(path).map_err(io_at(path))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut file, &mut hasher).map_err(io_at(path))?;
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// fsync every file and directory under `root` (and `root` itself), so the copy survives a power cut.
fn sync_tree(root: &Path) -> Result<(), BackupError> {
    let meta = std::fs::metadata(root).map_err(io_at(root))?;
    if meta.is_dir() {
        for entry in std::fs::read_dir(root).map_err(io_at(root))? {
            sync_tree(&entry.map_err(io_at(root))?.path())?;
        }
    }
    std::fs::File::open(root).and_then(|f| f.sync_all()).map_err(io_at(root))
}

async fn counts(conn: &mut SqliteConnection) -> Result<Counts, BackupError> {
    let mut n = [0_i64; 4];
    for (slot, table) in n.iter_mut().zip(["users", "usulan", "document", "change_log"]) {
        *slot = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&mut *conn).await?;
    }
    let [accounts, usulan, documents, change_log] = n;
    Ok(Counts { accounts, usulan, documents, change_log })
}

async fn schema_version(conn: &mut SqliteConnection) -> Result<i64, BackupError> {
    let v: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success").fetch_one(&mut *conn).await?;
    Ok(v.unwrap_or(0))
}

async fn document_hashes(conn: &mut SqliteConnection) -> Result<Vec<String>, BackupError> {
    Ok(sqlx::query_scalar("SELECT sha256 FROM document ORDER BY sha256").fetch_all(&mut *conn).await?)
}

/// Copy every document of `hashes` from `from` to `to`, checking each against its SHA-256.
async fn copy_documents(hashes: &[String], from: &DirBlobStore, to: &DirBlobStore) -> Result<(), BackupError> {
    for sha256 in hashes {
        let bytes = from
            .get(sha256)
            .await
            .map_err(io_at(from.root()))?
            .ok_or_else(|| BackupError::DocumentMissing { sha256: sha256.clone(), dir: from.root().to_owned() })?;
        if hex::encode(Sha256::digest(&bytes)) != *sha256 {
            return Err(BackupError::Checksum(from.root().join("blobs").join(sha256)));
        }
        to.put(sha256, &bytes).await.map_err(io_at(to.root()))?;
    }
    Ok(())
}

/// Back up the SQLite database of `database_url` and the documents under `document_dir` into `to` (absent or
/// empty), online: the server may keep serving meanwhile.
pub async fn backup(database_url: &str, document_dir: &Path, to: &Path) -> Result<Manifest, BackupError> {
    let source = sqlite_path(database_url)?;
    if !source.is_file() {
        return Err(BackupError::NoDatabase(source));
    }
    if !is_empty_dir(to)? {
        return Err(BackupError::TargetNotEmpty(to.to_owned()));
    }
    std::fs::create_dir_all(to).map_err(io_at(to))?;
    let copy = to.join(DATABASE_FILE);
    let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    // The snapshot: one read transaction of the live database, written as a compact new file.
    let mut live = open(&source, false).await?;
    sqlx::query("VACUUM INTO ?").bind(copy.to_string_lossy().into_owned()).execute(&mut live).await?;
    live.close().await?;
    // The copy is ours: drop unfinished uploads (their partial bytes stay behind), then read what it holds.
    let options = SqliteConnectOptions::from_str("sqlite://")?
        .filename(&copy)
        .create_if_missing(false)
        .journal_mode(SqliteJournalMode::Delete);
    let mut snapshot = SqliteConnection::connect_with(&options).await?;
    sqlx::query("DELETE FROM document_upload").execute(&mut snapshot).await?;
    let schema_version = schema_version(&mut snapshot).await?;
    let counts = counts(&mut snapshot).await?;
    let hashes = document_hashes(&mut snapshot).await?;
    snapshot.close().await?;
    // Documents after the snapshot: every one it references was stored before its row was committed.
    copy_documents(&hashes, &DirBlobStore::new(document_dir), &DirBlobStore::new(to.join(DOCUMENTS_DIR))).await?;
    let (database_sha256, database_bytes) = sha256_of_file(&copy)?;
    let manifest = Manifest {
        format: FORMAT,
        created_at,
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        schema_version,
        database_sha256,
        database_bytes,
        counts,
    };
    let path = to.join(MANIFEST_FILE);
    let json =
        serde_json::to_vec_pretty(&manifest).map_err(|source| BackupError::Manifest { path: path.clone(), source })?;
    std::fs::write(&path, json).map_err(io_at(&path))?;
    sync_tree(to)?;
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(parent).and_then(|f| f.sync_all()).map_err(io_at(parent))?;
    }
    Ok(manifest)
}

/// Read and check `from`'s manifest against this server and the database copy's checksum.
pub fn read_manifest(from: &Path) -> Result<Manifest, BackupError> {
    let path = from.join(MANIFEST_FILE);
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(BackupError::NoManifest(from.to_owned())),
        Err(e) => return Err(io_at(&path)(e)),
    };
    let manifest: Manifest =
        serde_json::from_slice(&text).map_err(|source| BackupError::Manifest { path: path.clone(), source })?;
    if manifest.format != FORMAT {
        return Err(BackupError::Format { found: manifest.format, expected: FORMAT });
    }
    let server = MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0);
    if manifest.schema_version > server {
        return Err(BackupError::SchemaNewer { backup: manifest.schema_version, server });
    }
    let copy = from.join(DATABASE_FILE);
    let (sha256, bytes) = sha256_of_file(&copy)?;
    if sha256 != manifest.database_sha256 || bytes != manifest.database_bytes {
        return Err(BackupError::Checksum(copy));
    }
    Ok(manifest)
}

/// Whether the database file at `path` holds an account or a proposal (a file only migrated counts as empty).
async fn holds_data(path: &Path) -> Result<bool, BackupError> {
    if std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) == 0 {
        return Ok(false);
    }
    let mut conn = open(path, false).await?;
    let tables: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'usulan')")
            .fetch_one(&mut conn)
            .await?;
    let data = tables == 2
        && sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM usulan)")
            .fetch_one(&mut conn)
            .await?;
    conn.close().await?;
    Ok(data)
}

/// Restore the backup in `from` into the SQLite database of `database_url` and `document_dir`, then run the
/// migrations of this server on it. The target must hold no accounts or proposals and no documents unless
/// `force` (then the database is replaced and the documents are added; stop the server first).
pub async fn restore(
    from: &Path,
    database_url: &str,
    document_dir: &Path,
    force: bool,
) -> Result<Manifest, BackupError> {
    let target = sqlite_path(database_url)?;
    let manifest = read_manifest(from)?;
    if !force && holds_data(&target).await? {
        return Err(BackupError::DatabaseNotEmpty(target));
    }
    let blobs = document_dir.join("blobs");
    if !force && !is_empty_dir(&blobs)? {
        return Err(BackupError::DocumentsNotEmpty(document_dir.to_owned()));
    }
    // Documents first, checked against their hashes, from the list in the backup's own database.
    let copy = from.join(DATABASE_FILE);
    let mut backup_db = open(&copy, true).await?;
    let hashes = document_hashes(&mut backup_db).await?;
    backup_db.close().await?;
    if i64::try_from(hashes.len()).ok() != Some(manifest.counts.documents) {
        return Err(BackupError::Checksum(copy));
    }
    let store = DirBlobStore::new(document_dir);
    copy_documents(&hashes, &DirBlobStore::new(from.join(DOCUMENTS_DIR)), &store).await?;
    if blobs.exists() {
        sync_tree(&blobs)?;
    }
    // Then the database: a temporary file, fsynced, renamed over the old one (whose journal files go first).
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_at(dir))?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.restoring"));
    std::fs::copy(&copy, &tmp).map_err(io_at(&tmp))?;
    std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(io_at(&tmp))?;
    for suffix in ["-wal", "-shm", "-journal"] {
        let side = dir.join(format!("{name}{suffix}"));
        match std::fs::remove_file(&side) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io_at(&side)(e)),
            _ => {}
        }
    }
    std::fs::rename(&tmp, &target).map_err(io_at(&target))?;
    std::fs::File::open(dir).and_then(|f| f.sync_all()).map_err(io_at(dir))?;
    // A backup of an older schema is brought up to this server's.
    let pool = crate::db::connect(database_url).await.map_err(|e| BackupError::Migrate(e.to_string()))?;
    pool.close().await;
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_sqlite_file_is_backed_up() {
        assert_eq!(sqlite_path("sqlite://data/mysapk.sqlite").expect("relative"), PathBuf::from("data/mysapk.sqlite"));
        assert_eq!(sqlite_path("sqlite:///var/lib/mysapk/m.sqlite?mode=rwc").expect("absolute"), {
            PathBuf::from("/var/lib/mysapk/m.sqlite")
        });
        assert!(matches!(sqlite_path("postgres://u@h/db"), Err(BackupError::Postgres)));
        assert!(matches!(sqlite_path("postgresql://u@h/db"), Err(BackupError::Postgres)));
        assert!(matches!(sqlite_path("sqlite::memory:"), Err(BackupError::InMemory)));
        assert!(matches!(sqlite_path("mysql://h/db"), Err(BackupError::BadUrl)));
    }

    #[tokio::test]
    async fn a_damaged_copy_is_not_restored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("live.sqlite").display());
        crate::db::connect(&url).await.expect("create").close().await;
        let to = dir.path().join("backup");
        let m = backup(&url, &dir.path().join("documents"), &to).await.expect("backup");
        assert_eq!(m.schema_version, MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0));
        assert_eq!(read_manifest(&to).expect("intact"), m);
        let copy = to.join(DATABASE_FILE);
        let mut bytes = std::fs::read(&copy).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&copy, bytes).expect("write");
        let target = format!("sqlite://{}", dir.path().join("restored.sqlite").display());
        let err = restore(&to, &target, &dir.path().join("restored-docs"), false).await.expect_err("damaged");
        assert!(matches!(err, BackupError::Checksum(_)), "{err:?}");
        assert!(!dir.path().join("restored.sqlite").exists());
    }
}
