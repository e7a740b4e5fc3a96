//! Where a document's bytes rest on the device: `<data_dir>/<nip>.documents/<sha256>`, each file sealed with
//! ChaCha20-Poly1305 under a key derived from the account's database key (HKDF-SHA-256), its SHA-256 bound as
//! associated data; the folder and its files are owner-only. A copy that does not open (damaged, or sealed under
//! another key) counts as absent.
//!
//! An account still on a plain database (a version before encryption, not logged in since) has no key yet: its
//! documents stay in the shared `<data_dir>/documents/` folder of that version, which is also read as a fallback
//! after the first login, so a document attached before the upgrade is never lost.

use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};

use crate::error::CoreError;
use crate::private_fs;
use crate::store::cipher::DbKey;

const NONCE_LEN: usize = 12;

/// The documents of one account.
pub(crate) struct Vault {
    dir: PathBuf,
    /// `None`: the account's database is still plain (see the module documentation).
    key: Option<[u8; 32]>,
    legacy: PathBuf,
}

impl Vault {
    pub(crate) fn for_account(data_dir: &Path, nip: &str, db_key: Option<&DbKey>) -> Self {
        let key = db_key.map(|k| {
            let mut out = [0u8; 32];
            // 32 bytes are always a valid HKDF-SHA-256 output length.
            let _ = Hkdf::<Sha256>::new(None, k.bytes()).expand(b"mysapk documents v1", &mut out);
            out
        });
        Self { dir: data_dir.join(format!("{nip}.documents")), key, legacy: data_dir.join("documents") }
    }

    fn path(&self, sha256: &str) -> PathBuf {
        match self.key {
            Some(_) => self.dir.join(sha256),
            None => self.legacy.join(sha256),
        }
    }

    /// Store `bytes` (whose SHA-256 is `sha256`) once; a crash leaves either no file or the whole file.
    pub(crate) fn put(&self, sha256: &str, bytes: &[u8]) -> Result<(), CoreError> {
        if self.get(sha256)?.is_some() {
            return Ok(());
        }
        let path = self.path(sha256);
        let content = match &self.key {
            Some(key) => {
                private_fs::create_dir(&self.dir)?;
                let mut nonce = [0u8; NONCE_LEN];
                rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
                let sealed = ChaCha20Poly1305::new(key.into())
                    .encrypt(Nonce::from_slice(&nonce), Payload { msg: bytes, aad: sha256.as_bytes() })
                    .map_err(|_| CoreError::corrupt("sealing a document"))?;
                [nonce.as_slice(), &sealed].concat()
            }
            None => {
                private_fs::create_dir(&self.legacy)?;
                bytes.to_vec()
            }
        };
        private_fs::write_atomic(&path, &content)
    }

    /// The bytes of `sha256`, when a whole copy is here.
    pub(crate) fn get(&self, sha256: &str) -> Result<Option<Vec<u8>>, CoreError> {
        if let Some(key) = &self.key {
            if let Some(file) = read(&self.dir.join(sha256))? {
                let opened = file.split_at_checked(NONCE_LEN).and_then(|(nonce, sealed)| {
                    ChaCha20Poly1305::new(key.into())
                        .decrypt(Nonce::from_slice(nonce), Payload { msg: sealed, aad: sha256.as_bytes() })
                        .ok()
                });
                if let Some(bytes) = opened.filter(|b| hex::encode(Sha256::digest(b)) == sha256) {
                    return Ok(Some(bytes));
                }
            }
        }
        Ok(read(&self.legacy.join(sha256))?.filter(|b| hex::encode(Sha256::digest(b)) == sha256))
    }

    /// Forget this account's copy of `sha256` (a reviewer's cached copy of someone else's document).
    pub(crate) fn remove(&self, sha256: &str) -> Result<(), CoreError> {
        match std::fs::remove_file(self.path(sha256)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

fn read(path: &Path) -> Result<Option<Vec<u8>>, CoreError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.4 NIK 3171012345678901 Budi Santoso";

    fn sha(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    #[test]
    fn sealed_copies_open_with_their_account_key_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = DbKey::generate();
        let vault = Vault::for_account(dir.path(), "1", Some(&key));
        vault.put(&sha(PDF), PDF).expect("put");
        assert_eq!(vault.get(&sha(PDF)).expect("get").as_deref(), Some(PDF));
        let file = std::fs::read(dir.path().join("1.documents").join(sha(PDF))).expect("file");
        assert!(!file.windows(4).any(|w| w == b"3171"), "no clear text at rest");
        let other = Vault::for_account(dir.path(), "1", Some(&DbKey::generate()));
        assert_eq!(other.get(&sha(PDF)).expect("get"), None, "another key opens nothing");
        vault.remove(&sha(PDF)).expect("remove");
        assert_eq!(vault.get(&sha(PDF)).expect("get"), None);
    }

    #[test]
    fn a_document_of_the_plain_version_is_still_read_after_the_first_login() {
        let dir = tempfile::tempdir().expect("tempdir");
        Vault::for_account(dir.path(), "1", None).put(&sha(PDF), PDF).expect("plain put");
        let sealed = Vault::for_account(dir.path(), "1", Some(&DbKey::generate()));
        assert_eq!(sealed.get(&sha(PDF)).expect("get").as_deref(), Some(PDF));
    }
}
