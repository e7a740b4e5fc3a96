//! Which key opens an account's database ([`crate::store`], SQLCipher), and how it survives a lost keystore.
//!
//! The key is 32 random bytes kept in the OS keystore next to the tokens. A keystore can lose it while the
//! database stays: Linux's kernel keyring forgets everything at reboot, an Android keystore entry can be
//! invalidated by a new screen lock, and logout removes it on purpose. So each login also leaves a copy sealed
//! with the password (`<nip>.key`: ChaCha20-Poly1305 under an Argon2id hash of the password, bound to the NIP),
//! and the next login with that password opens the database again with its unsent proposals.
//!
//! A plain database of a version before encryption is encrypted at the first login of this version, when the
//! password is at hand to seal the copy; until then it opens as it is.

use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::private_fs;
use crate::secrets;
use crate::store::cipher::{self, DbKey};

/// How to open an account's database.
#[derive(Debug)]
pub(crate) enum Unlock {
    /// Encrypted (or to be encrypted now) with this key.
    Key(DbKey),
    /// A plain database of an earlier version, opened as it is until a login encrypts it.
    Plain,
    /// Encrypted, and its key is not at hand without the password: log in.
    Locked,
}

/// The sealed copy of an account's key.
#[derive(Serialize, Deserialize)]
struct SealedKey {
    /// Argon2id parameters (memory in KiB, passes, lanes), kept so they can grow in later versions.
    m_cost: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    nonce: String,
    sealed: String,
}

/// OWASP's minimum for Argon2id (19 MiB, 2 passes): about a tenth of a second on a phone, at login only.
const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

pub(crate) fn sealed_key_path(data_dir: &Path, nip: &str) -> PathBuf {
    data_dir.join(format!("{nip}.key"))
}

/// The key for `db` (the database of `nip`): from the keystore; else, with the `password` of a login, from the
/// sealed copy or new. With a password the sealed copy is (re)written, so it always opens with the newest one.
pub(crate) fn unlock(data_dir: &Path, db: &Path, nip: &str, password: Option<&str>) -> Result<Unlock, CoreError> {
    let exists = db.exists();
    let plain = cipher::is_plain(db)?;
    let Some(password) = password else {
        // Without a login nothing new is created: a key made now would have no sealed copy.
        return Ok(match secrets::load_db_key(&secrets::db_key_name(db))? {
            Some(key) if exists && !plain => Unlock::Key(key),
            _ if plain => Unlock::Plain,
            _ => Unlock::Locked,
        });
    };
    if let Some(key) = secrets::load_db_key(&secrets::db_key_name(db))? {
        seal(data_dir, nip, &key, password)?;
        return Ok(Unlock::Key(key));
    }
    if exists && !plain {
        return recover(data_dir, db, nip, password).map(Unlock::Key);
    }
    let key = DbKey::generate();
    secrets::save_db_key(&secrets::db_key_name(db), &key)?;
    seal(data_dir, nip, &key, password)?;
    Ok(Unlock::Key(key))
}

/// At a login, the key of the encrypted `db` without the keystore's: the copy sealed with `password`. When that
/// does not open it either (a password set elsewhere since), the database is set aside, unreadable but kept,
/// and a fresh one starts that the sync fills again.
pub(crate) fn recover(data_dir: &Path, db: &Path, nip: &str, password: &str) -> Result<DbKey, CoreError> {
    let key = match open_sealed(data_dir, nip, password)? {
        Some(key) => key,
        None => {
            let aside = cipher::set_aside(db)?;
            tracing::warn!(aside = %aside.display(), "account database key lost; database set aside");
            DbKey::generate()
        }
    };
    secrets::save_db_key(&secrets::db_key_name(db), &key)?;
    seal(data_dir, nip, &key, password)?;
    Ok(key)
}

/// Logout: the keystore forgets the key of `db`; only a login with the password opens it again.
pub(crate) fn forget(db: &Path) -> Result<(), CoreError> {
    secrets::delete_db_key(&secrets::db_key_name(db))
}

fn password_key(password: &str, salt: &[u8], params: (u32, u32, u32)) -> Result<[u8; 32], CoreError> {
    let (m, t, p) = params;
    let params = Params::new(m, t, p, Some(32)).map_err(|_| CoreError::corrupt("key file parameters"))?;
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .map_err(|_| CoreError::corrupt("key file parameters"))?;
    Ok(out)
}

fn seal(data_dir: &Path, nip: &str, key: &DbKey, password: &str) -> Result<(), CoreError> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut salt);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut nonce);
    let wrapping = password_key(password, &salt, (M_COST, T_COST, P_COST))?;
    let sealed = ChaCha20Poly1305::new(&wrapping.into())
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: key.bytes(), aad: nip.as_bytes() })
        .map_err(|_| CoreError::corrupt("sealing the database key"))?;
    let file = SealedKey {
        m_cost: M_COST,
        t_cost: T_COST,
        p_cost: P_COST,
        salt: B64.encode(salt),
        nonce: B64.encode(nonce),
        sealed: B64.encode(sealed),
    };
    private_fs::write_atomic(&sealed_key_path(data_dir, nip), &serde_json::to_vec(&file)?)
}

/// The key sealed in `<nip>.key`, when that file exists and `password` opens it.
fn open_sealed(data_dir: &Path, nip: &str, password: &str) -> Result<Option<DbKey>, CoreError> {
    let bytes = match std::fs::read(sealed_key_path(data_dir, nip)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Ok(file) = serde_json::from_slice::<SealedKey>(&bytes) else { return Ok(None) };
    let decode = |s: &str| B64.decode(s).ok();
    let (Some(salt), Some(nonce), Some(sealed)) = (decode(&file.salt), decode(&file.nonce), decode(&file.sealed))
    else {
        return Ok(None);
    };
    if nonce.len() != 12 {
        return Ok(None);
    }
    let wrapping = password_key(password, &salt, (file.m_cost, file.t_cost, file.p_cost))?;
    let opened = ChaCha20Poly1305::new(&wrapping.into())
        .decrypt(Nonce::from_slice(&nonce), Payload { msg: &sealed, aad: nip.as_bytes() })
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok());
    Ok(opened.map(DbKey::from_bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NIP: &str = "198011202006041001"; // not used by other tests: the mock keystore is shared

    #[test]
    fn the_sealed_copy_opens_with_the_password_only() {
        secrets::use_mock_store_for_tests();
        let dir = tempfile::tempdir().expect("tempdir");
        let key = DbKey::generate();
        seal(dir.path(), NIP, &key, "kata sandi panjang").expect("seal");
        assert_eq!(open_sealed(dir.path(), NIP, "kata sandi panjang").expect("open"), Some(key.clone()));
        assert_eq!(open_sealed(dir.path(), NIP, "salah").expect("open"), None);
        assert_eq!(
            open_sealed(dir.path(), "199001012015031001", "kata sandi panjang").expect("open"),
            None,
            "bound to the NIP"
        );
        let text = std::fs::read_to_string(sealed_key_path(dir.path(), NIP)).expect("file");
        assert!(!text.contains(&hex::encode(key.bytes())));
    }

    #[test]
    fn a_lost_keystore_entry_is_recovered_at_login_and_logout_forgets_it() {
        secrets::use_mock_store_for_tests();
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join(format!("{NIP}.sqlite"));
        let Unlock::Key(first) = unlock(dir.path(), &db, NIP, Some("pw-1")).expect("login") else { panic!("a key") };
        cipher::open(&db, &first).expect("create").execute_batch("CREATE TABLE t (v);").expect("table");
        assert!(matches!(unlock(dir.path(), &db, NIP, None).expect("start"), Unlock::Key(_)), "from the keystore");
        forget(&db).expect("logout");
        assert!(matches!(unlock(dir.path(), &db, NIP, None).expect("start"), Unlock::Locked));
        let Unlock::Key(again) = unlock(dir.path(), &db, NIP, Some("pw-1")).expect("login") else { panic!("a key") };
        assert_eq!(again, first, "the sealed copy");
        // A password the copy was not sealed with: the database is set aside, not opened with a wrong key.
        forget(&db).expect("logout");
        let Unlock::Key(fresh) = unlock(dir.path(), &db, NIP, Some("pw-2")).expect("login") else { panic!("a key") };
        assert_ne!(fresh, first);
        assert!(!db.exists(), "set aside");
        let aside = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().contains(".unreadable-"));
        assert!(aside);
        forget(&db).expect("clean up");
    }
}
