//! Tokens live only in the OS keystore (keyring-core; service `mysapk`, user = NIP), never in files or logs; so
//! does the key of the user's database (service `mysapk.db`, one entry per database file) and the app lock's PIN
//! hash with its failure counter (service `mysapk.pin`, named like the database key).
//!
//! The store is chosen once at start-up with [`use_platform_store`]; tests use [`use_mock_store_for_tests`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::store::cipher::DbKey;

const SERVICE: &str = "mysapk";

/// Set the OS credential store of this platform as keyring-core's default. Call once at start-up.
///
/// | target | store |
/// | --- | --- |
/// | Linux | kernel keyutils (in memory: after a reboot the user logs in again; nothing else is lost) |
/// | Android | Android Keystore + SharedPreferences (needs the NDK context initialised, as Tauri does) |
/// | iOS | Apple "protected data" keychain |
/// | macOS | the login keychain |
/// | Windows | Credential Manager |
///
/// Any other target gets `keystore.unsupported_platform`.
pub fn use_platform_store() -> Result<(), CoreError> {
    let store = platform_store()?;
    keyring_core::set_default_store(store);
    Ok(())
}

type StoreResult = Result<Arc<keyring_core::CredentialStore>, CoreError>;

#[cfg(target_os = "linux")]
fn platform_store() -> StoreResult {
    Ok(linux_keyutils_keyring_store::Store::new().map_err(keystore_error)?)
}

#[cfg(target_os = "android")]
fn platform_store() -> StoreResult {
    Ok(android_native_keyring_store::Store::new().map_err(keystore_error)?)
}

#[cfg(target_os = "ios")]
fn platform_store() -> StoreResult {
    Ok(apple_native_keyring_store::protected::Store::new().map_err(keystore_error)?)
}

#[cfg(target_os = "macos")]
fn platform_store() -> StoreResult {
    Ok(apple_native_keyring_store::keychain::Store::new().map_err(keystore_error)?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> StoreResult {
    Ok(windows_native_keyring_store::Store::new().map_err(keystore_error)?)
}

#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "ios",
    target_os = "macos",
    target_os = "windows"
)))]
fn platform_store() -> StoreResult {
    Err(CoreError::KeystoreUnsupported)
}

/// Use keyring-core's in-memory mock store (tests only; secrets vanish with the process). Installed once per
/// process, so parallel tests share one store.
pub fn use_mock_store_for_tests() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(store) = keyring_core::mock::Store::new() {
            keyring_core::set_default_store(store);
        }
    });
}

/// A string that never prints.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub(crate) struct Sensitive(String);

impl Sensitive {
    pub(crate) fn new(s: String) -> Self {
        Self(s)
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The token pair of one user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Tokens {
    pub access: Sensitive,
    pub refresh: Sensitive,
}

fn entry(nip: &str) -> Result<keyring_core::Entry, CoreError> {
    keyring_core::Entry::new(SERVICE, nip).map_err(keystore_error)
}

fn keystore_error(e: keyring_core::Error) -> CoreError {
    match e {
        keyring_core::Error::NoDefaultStore => CoreError::KeystoreNotConfigured,
        // The platform error may describe the store, never the secret.
        other => CoreError::Keystore(other.to_string()),
    }
}

/// The user's tokens, or `None` when there are none.
pub(crate) fn load(nip: &str) -> Result<Option<Tokens>, CoreError> {
    match entry(nip)?.get_password() {
        Ok(s) => serde_json::from_str(&s).map(Some).map_err(|_| CoreError::Keystore("unreadable token entry".into())),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(keystore_error(e)),
    }
}

pub(crate) fn save(nip: &str, tokens: &Tokens) -> Result<(), CoreError> {
    let json = serde_json::to_string(tokens).map_err(|_| CoreError::Keystore("token encoding".into()))?;
    entry(nip)?.set_password(&json).map_err(keystore_error)
}

pub(crate) fn delete(nip: &str) -> Result<(), CoreError> {
    match entry(nip)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(keystore_error(e)),
    }
}

/// Database keys live under their own service, so a token entry and a key entry never overwrite each other.
const DB_KEY_SERVICE: &str = "mysapk.db";

/// The keystore entry name of the database at `db`: its file name and a fingerprint of its full path, so a key
/// belongs to that one file (a second data directory of the same account, as tests keep side by side, never
/// finds another file's key).
pub fn db_key_name(db: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    let full = std::path::absolute(db).unwrap_or_else(|_| db.to_path_buf());
    let fingerprint = hex::encode(&Sha256::digest(full.to_string_lossy().as_bytes())[..8]);
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!("{name}#{fingerprint}")
}

fn db_key_entry(name: &str) -> Result<keyring_core::Entry, CoreError> {
    keyring_core::Entry::new(DB_KEY_SERVICE, name).map_err(keystore_error)
}

/// The key of a database (see [`crate::account_key`], which names its entry), or `None` when the keystore has
/// none.
pub(crate) fn load_db_key(name: &str) -> Result<Option<DbKey>, CoreError> {
    match db_key_entry(name)?.get_password() {
        Ok(s) => {
            let bytes = hex::decode(s.trim()).ok().and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok());
            bytes.map(DbKey::from_bytes).map(Some).ok_or_else(|| CoreError::Keystore("unreadable key entry".into()))
        }
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(keystore_error(e)),
    }
}

pub(crate) fn save_db_key(name: &str, key: &DbKey) -> Result<(), CoreError> {
    db_key_entry(name)?.set_password(&hex::encode(key.bytes())).map_err(keystore_error)
}

pub(crate) fn delete_db_key(name: &str) -> Result<(), CoreError> {
    match db_key_entry(name)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(keystore_error(e)),
    }
}

/// The app lock's entry of each account database (see [`crate::app_lock`]) lives under its own service, named like
/// the database's key ([`db_key_name`]).
const PIN_SERVICE: &str = "mysapk.pin";

fn pin_entry(name: &str) -> Result<keyring_core::Entry, CoreError> {
    keyring_core::Entry::new(PIN_SERVICE, name).map_err(keystore_error)
}

/// The app lock entry `name` (a JSON document holding a slow hash and a counter, never the PIN).
pub(crate) fn load_pin(name: &str) -> Result<Option<String>, CoreError> {
    match pin_entry(name)?.get_password() {
        Ok(s) => Ok(Some(s)),
        Err(keyring_core::Error::NoEntry) => Ok(None),
        Err(e) => Err(keystore_error(e)),
    }
}

pub(crate) fn save_pin(name: &str, entry: &str) -> Result<(), CoreError> {
    pin_entry(name)?.set_password(entry).map_err(keystore_error)
}

pub(crate) fn delete_pin(name: &str) -> Result<(), CoreError> {
    match pin_entry(name)?.delete_credential() {
        Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
        Err(e) => Err(keystore_error(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_redaction() {
        use_mock_store_for_tests();
        let nip = "199205152019032003"; // not used by other tests: the mock store is shared
        let t = Tokens { access: Sensitive::new("acc-secret".into()), refresh: Sensitive::new("ref-secret".into()) };
        save(nip, &t).expect("save");
        let back = load(nip).expect("load").expect("present");
        assert_eq!(back.access.expose(), "acc-secret");
        assert!(!format!("{back:?}").contains("secret"));
        delete(nip).expect("delete");
        assert!(load(nip).expect("load").is_none());
        delete(nip).expect("delete twice is fine");
    }
}
