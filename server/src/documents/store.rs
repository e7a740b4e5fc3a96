//! Where document bytes live: the [`BlobStore`] trait and its directory implementation [`DirBlobStore`].
//!
//! Complete documents are keyed by their SHA-256 (stored once, whoever uploads them); an upload in progress is
//! a partial blob keyed by an opaque upload key. The trait is object-safe and asynchronous, so an
//! S3-compatible store (multipart upload for partials) can replace the directory without touching callers.

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use tokio::io::{AsyncSeekExt, AsyncWriteExt};

/// A boxed future, as the trait's methods return (object safety).
pub type BlobFuture<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// Storage of document bytes.
pub trait BlobStore: Send + Sync {
    /// Store a complete blob under `sha256` (replacing nothing if it already exists).
    fn put<'a>(&'a self, sha256: &'a str, bytes: &'a [u8]) -> BlobFuture<'a, ()>;
    /// The complete blob, if stored.
    fn get<'a>(&'a self, sha256: &'a str) -> BlobFuture<'a, Option<Vec<u8>>>;
    /// Remove a complete blob (absent is fine).
    fn delete<'a>(&'a self, sha256: &'a str) -> BlobFuture<'a, ()>;
    /// Write `bytes` at `offset` of the partial blob `key`, dropping anything stored beyond `offset` (a chunk
    /// written before a crash but never acknowledged). Offset 0 starts a new partial.
    fn append_partial<'a>(&'a self, key: &'a str, offset: u64, bytes: &'a [u8]) -> BlobFuture<'a, ()>;
    /// The partial blob's bytes (empty if absent).
    fn read_partial<'a>(&'a self, key: &'a str) -> BlobFuture<'a, Vec<u8>>;
    /// Remove a partial blob (absent is fine).
    fn delete_partial<'a>(&'a self, key: &'a str) -> BlobFuture<'a, ()>;
}

/// Blobs as files under a root directory: `blobs/<aa>/<sha256>` and `partial/<key>`. Writes go to a temporary
/// file renamed into place, so a reader never sees half a blob.
#[derive(Debug, Clone)]
pub struct DirBlobStore {
    root: PathBuf,
}

fn safe_name(name: &str) -> io::Result<&str> {
    if !name.is_empty() && name.len() <= 200 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(name)
    } else {
        Err(io::Error::new(io::ErrorKind::InvalidInput, "invalid blob name"))
    }
}

fn absent_ok(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

impl DirBlobStore {
    /// A store under `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn blob_path(&self, sha256: &str) -> io::Result<PathBuf> {
        let name = safe_name(sha256)?;
        Ok(self.root.join("blobs").join(&name[..2.min(name.len())]).join(name))
    }

    fn partial_path(&self, key: &str) -> io::Result<PathBuf> {
        Ok(self.root.join("partial").join(safe_name(key)?))
    }
}

impl BlobStore for DirBlobStore {
    fn put<'a>(&'a self, sha256: &'a str, bytes: &'a [u8]) -> BlobFuture<'a, ()> {
        Box::pin(async move {
            let path = self.blob_path(sha256)?;
            if tokio::fs::try_exists(&path).await? {
                return Ok(());
            }
            let dir = path.parent().ok_or_else(|| io::Error::other("blob path has no parent"))?;
            tokio::fs::create_dir_all(dir).await?;
            let tmp = dir.join(format!(".{sha256}.{}", uuid::Uuid::new_v4().simple()));
            let mut f = tokio::fs::File::create(&tmp).await?;
            f.write_all(bytes).await?;
            f.sync_all().await?;
            drop(f);
            tokio::fs::rename(&tmp, &path).await
        })
    }

    fn get<'a>(&'a self, sha256: &'a str) -> BlobFuture<'a, Option<Vec<u8>>> {
        Box::pin(async move {
            match tokio::fs::read(self.blob_path(sha256)?).await {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        })
    }

    fn delete<'a>(&'a self, sha256: &'a str) -> BlobFuture<'a, ()> {
        Box::pin(async move { absent_ok(tokio::fs::remove_file(self.blob_path(sha256)?).await) })
    }

    fn append_partial<'a>(&'a self, key: &'a str, offset: u64, bytes: &'a [u8]) -> BlobFuture<'a, ()> {
        Box::pin(async move {
            let path = self.partial_path(key)?;
            if let Some(dir) = path.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            let mut f = tokio::fs::OpenOptions::new().create(true).write(true).truncate(false).open(&path).await?;
            f.set_len(offset).await?;
            f.seek(io::SeekFrom::Start(offset)).await?;
            f.write_all(bytes).await?;
            f.sync_data().await
        })
    }

    fn read_partial<'a>(&'a self, key: &'a str) -> BlobFuture<'a, Vec<u8>> {
        Box::pin(async move {
            match tokio::fs::read(self.partial_path(key)?).await {
                Ok(b) => Ok(b),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
                Err(e) => Err(e),
            }
        })
    }

    fn delete_partial<'a>(&'a self, key: &'a str) -> BlobFuture<'a, ()> {
        Box::pin(async move { absent_ok(tokio::fs::remove_file(self.partial_path(key)?).await) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn dir_store_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DirBlobStore::new(dir.path());
        let sha = "ab".repeat(32);
        assert_eq!(store.get(&sha).await.expect("get"), None);
        store.put(&sha, b"hello").await.expect("put");
        store.put(&sha, b"other").await.expect("put again keeps the first");
        assert_eq!(store.get(&sha).await.expect("get").as_deref(), Some(&b"hello"[..]));
        store.delete(&sha).await.expect("delete");
        store.delete(&sha).await.expect("delete absent");
        assert_eq!(store.get(&sha).await.expect("get"), None);

        store.append_partial("k-1", 0, b"abc").await.expect("append");
        store.append_partial("k-1", 3, b"def").await.expect("append");
        // A chunk re-sent after an unacknowledged write replaces the tail.
        store.append_partial("k-1", 3, b"DEF").await.expect("append");
        assert_eq!(store.read_partial("k-1").await.expect("read"), b"abcDEF");
        store.delete_partial("k-1").await.expect("delete partial");
        assert!(store.read_partial("k-1").await.expect("read").is_empty());
        assert!(store.get("../etc/passwd").await.is_err());
    }
}
