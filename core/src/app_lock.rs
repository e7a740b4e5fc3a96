//! The app lock: a 6-digit PIN per account on this device, asked at launch and after 5 minutes in the background.
//!
//! The PIN is never stored: the keystore entry of the account on this device (service `mysapk.pin`, named like the
//! database key: the database file's name and a fingerprint of its path, see [`crate::secrets`]) holds an Argon2id
//! hash of it (PHC string, random salt) and the count of wrong PINs since the
//! last right one. The count lives in the same keystore entry as the hash, not in a file: copying an older data
//! directory back (or an older database with its `meta`) does not reset it, and whoever can rewrite the keystore
//! entry can replace the hash itself, so no other place would be safer.
//!
//! While locked the core refuses every call that reads or writes the account's data ([`CoreError::Locked`],
//! `app.locked`); the sync loop keeps running, since it returns nothing to the UI. The fifth wrong PIN in a row
//! ends the session like a logout ([`Core::logout`]): the tokens and the PIN entry are removed and the database key
//! leaves the keystore, but the database with its outbox stays, and the next login with the password (and second
//! factor) opens it again from its sealed key copy and sends what was waiting.
//!
//! A logout removes the PIN entry too; after each login without an entry the UI asks for a PIN first
//! ([`LockStatus::setup_required`]). Removing the PIN (with the current PIN) keeps an entry without a hash, so the
//! app does not ask again until the next login.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use mysapk_model::view::LockStatus;
use mysapk_model::Code;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::{secrets, Core};

/// Digits in a PIN.
pub const PIN_LEN: usize = 6;
/// Wrong PINs in a row that end the session.
pub const MAX_FAILURES: u32 = 5;
/// Time in the background after which the app locks again.
pub const BACKGROUND_LOCK: Duration = Duration::from_secs(5 * 60);

/// The keystore entry of one account.
#[derive(Debug, Default, Serialize, Deserialize)]
struct PinEntry {
    /// Argon2id PHC string of the PIN; `None`: the user removed the PIN (no lock until the next login).
    hash: Option<String>,
    /// Wrong PINs since the last right one.
    failures: u32,
}

/// The lock's state in memory (the PIN entry is in the keystore).
#[derive(Debug, Default)]
pub(crate) struct AppLock {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    locked: bool,
    /// When the app went to the background, if it is there.
    background_since: Option<Instant>,
}

impl AppLock {
    /// Locked at launch when the last account is logged in and has a PIN.
    pub(crate) fn at_launch(data_dir: &Path, nip: Option<&str>) -> Self {
        let set = |nip: &str| matches!(load(&entry_name(data_dir, nip)), Ok(Some(PinEntry { hash: Some(_), .. })));
        let locked = nip.is_some_and(set);
        AppLock { state: Mutex::new(State { locked, background_since: None }) }
    }

    pub(crate) fn is_locked(&self) -> bool {
        self.state().locked
    }

    fn set_locked(&self, locked: bool) {
        self.state().locked = locked;
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The keystore name of the PIN entry of `nip`'s database in `data_dir`: the account on this device, named like its
/// database key (a second data directory of the same account has its own PIN).
pub(crate) fn entry_name(data_dir: &Path, nip: &str) -> String {
    secrets::db_key_name(&crate::db_path(data_dir, nip))
}

fn load(name: &str) -> Result<Option<PinEntry>, CoreError> {
    match secrets::load_pin(name)? {
        Some(json) => {
            serde_json::from_str(&json).map(Some).map_err(|_| CoreError::Keystore("unreadable app lock entry".into()))
        }
        None => Ok(None),
    }
}

fn save(name: &str, entry: &PinEntry) -> Result<(), CoreError> {
    let json = serde_json::to_string(entry).map_err(|_| CoreError::Keystore("app lock entry encoding".into()))?;
    secrets::save_pin(name, &json)
}

fn check_format(pin: &str, field: &str) -> Result<(), CoreError> {
    if pin.len() == PIN_LEN && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(CoreError::Validation(vec![Code::AppPinFormat.violation(field)]))
    }
}

/// Argon2id with the crate's defaults (OWASP's minimum: 19 MiB, 2 passes, 1 lane) and a random salt.
fn hash(pin: &str) -> Result<String, CoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| CoreError::corrupt("hashing the PIN"))
}

fn matches(pin: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(pin.as_bytes(), &h).is_ok())
}

impl Core {
    /// The lock as the lock screen sees it. Works while locked; nothing personal.
    pub fn lock_status(&self) -> Result<LockStatus, CoreError> {
        let locked = self.lock.is_locked();
        let Some(nip) = self.logged_in_nip() else {
            return Ok(LockStatus { locked, pin_set: false, setup_required: false, attempts_left: MAX_FAILURES });
        };
        let entry = load(&self.pin_name(&nip))?;
        let failures = entry.as_ref().map_or(0, |e| e.failures);
        Ok(LockStatus {
            locked,
            pin_set: entry.as_ref().is_some_and(|e| e.hash.is_some()),
            setup_required: entry.is_none(),
            attempts_left: MAX_FAILURES.saturating_sub(failures),
        })
    }

    /// Set the PIN of the logged-in account (after a login, when none is set).
    pub fn set_pin(&self, pin: &str) -> Result<LockStatus, CoreError> {
        check_format(pin, "pin")?;
        let account = self.require()?;
        if load(&self.pin_name(&account.user.nip))?.is_some_and(|e| e.hash.is_some()) {
            return Err(CoreError::Validation(vec![Code::AppPinAlreadySet.violation("pin")]));
        }
        save(&self.pin_name(&account.user.nip), &PinEntry { hash: Some(hash(pin)?), failures: 0 })?;
        tracing::info!("app lock PIN set");
        self.lock_status()
    }

    /// Unlock with the PIN. A wrong one answers `app.pin_wrong` with the attempts left; the last allowed one ends
    /// the session (`app.pin_locked_out`; see the module documentation).
    pub async fn unlock_pin(&self, pin: &str) -> Result<LockStatus, CoreError> {
        check_format(pin, "pin")?;
        let nip = self.logged_in_nip().ok_or(CoreError::NotLoggedIn)?;
        if !self.lock.is_locked() {
            return self.lock_status();
        }
        self.verify_counting(&nip, pin).await?;
        self.lock.set_locked(false);
        tracing::info!("app unlocked with the PIN");
        self.lock_status()
    }

    /// Change the PIN; needs the current one (a wrong one counts like one on the lock screen).
    pub async fn change_pin(&self, current: &str, new: &str) -> Result<LockStatus, CoreError> {
        check_format(current, "current_pin")?;
        check_format(new, "pin")?;
        let account = self.require()?;
        self.verify_counting(&account.user.nip, current).await?;
        save(&self.pin_name(&account.user.nip), &PinEntry { hash: Some(hash(new)?), failures: 0 })?;
        tracing::info!("app lock PIN changed");
        self.lock_status()
    }

    /// Remove the PIN; needs the current one. The app does not lock again until a PIN is set after a login.
    pub async fn remove_pin(&self, current: &str) -> Result<LockStatus, CoreError> {
        check_format(current, "current_pin")?;
        let account = self.require()?;
        self.verify_counting(&account.user.nip, current).await?;
        save(&self.pin_name(&account.user.nip), &PinEntry { hash: None, failures: 0 })?;
        tracing::info!("app lock PIN removed");
        self.lock_status()
    }

    /// Lock now (when a PIN is set).
    pub fn lock_now(&self) -> Result<LockStatus, CoreError> {
        if self.lock_status()?.pin_set {
            self.lock.set_locked(true);
        }
        self.lock_status()
    }

    /// Unlock on the word of the platform, not of the web view: the shell calls this after the OS confirmed the
    /// user (biometrics on a phone). Resets the count of wrong PINs.
    pub fn unlock_by_platform(&self) -> Result<LockStatus, CoreError> {
        let nip = self.logged_in_nip().ok_or(CoreError::NotLoggedIn)?;
        let Some(mut entry) = load(&self.pin_name(&nip))? else { return Err(CoreError::PinNotSet) };
        if entry.hash.is_none() {
            return Err(CoreError::PinNotSet);
        }
        if entry.failures > 0 {
            entry.failures = 0;
            save(&self.pin_name(&nip), &entry)?;
        }
        self.lock.set_locked(false);
        tracing::info!("app unlocked by the platform");
        self.lock_status()
    }

    /// The app went to the background (window blur, mobile pause) at `at`.
    pub fn app_to_background(&self, at: Instant) {
        self.lock.state().background_since.get_or_insert(at);
    }

    /// The app came back at `at`; locks it when it was away at least [`BACKGROUND_LOCK`] and a PIN is set.
    /// `true` when this locked it.
    pub fn app_to_foreground(&self, at: Instant) -> bool {
        let since = self.lock.state().background_since.take();
        let away = since.is_some_and(|s| at.saturating_duration_since(s) >= BACKGROUND_LOCK);
        if !away || self.lock.is_locked() {
            return false;
        }
        match self.lock_status() {
            Ok(s) if s.pin_set => {
                self.lock.set_locked(true);
                tracing::info!("locked after a while in the background");
                true
            }
            _ => false,
        }
    }

    /// After a login with the password: unlocked, and the count of wrong PINs starts again.
    pub(crate) fn lock_after_login(&self, nip: &str) -> Result<(), CoreError> {
        if let Some(mut entry) = load(&self.pin_name(nip))? {
            if entry.failures > 0 {
                entry.failures = 0;
                save(&self.pin_name(nip), &entry)?;
            }
        }
        self.lock.set_locked(false);
        Ok(())
    }

    /// At a logout: the PIN entry goes with the tokens, and nothing is locked.
    pub(crate) fn lock_after_logout(&self, nip: &str) -> Result<(), CoreError> {
        self.lock.set_locked(false);
        secrets::delete_pin(&self.pin_name(nip))
    }

    fn pin_name(&self, nip: &str) -> String {
        entry_name(&self.data_dir, nip)
    }

    /// The NIP of the current account when its tokens are in the keystore.
    fn logged_in_nip(&self) -> Option<String> {
        let account = self.current()?;
        matches!(secrets::load(&account.user.nip), Ok(Some(_))).then(|| account.user.nip.clone())
    }

    /// Check `pin` against the account's hash and count a wrong one; the last allowed wrong one ends the session.
    async fn verify_counting(&self, nip: &str, pin: &str) -> Result<(), CoreError> {
        let outcome = {
            // One check at a time: two at once must not both read the same count.
            let _one = self.lock_attempt.lock().unwrap_or_else(|p| p.into_inner());
            let mut entry = load(&self.pin_name(nip))?.ok_or(CoreError::PinNotSet)?;
            let Some(phc) = entry.hash.as_deref() else { return Err(CoreError::PinNotSet) };
            if matches(pin, phc) {
                if entry.failures > 0 {
                    entry.failures = 0;
                    save(&self.pin_name(nip), &entry)?;
                }
                return Ok(());
            }
            entry.failures = entry.failures.saturating_add(1);
            save(&self.pin_name(nip), &entry)?;
            tracing::warn!(failures = entry.failures, "wrong app lock PIN");
            MAX_FAILURES.saturating_sub(entry.failures)
        };
        if outcome > 0 {
            return Err(CoreError::PinWrong { attempts_left: outcome });
        }
        tracing::warn!("too many wrong PINs: ending the session");
        secrets::delete_pin(&self.pin_name(nip))?;
        self.logout().await?;
        Err(CoreError::PinLockedOut)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pin_format() {
        assert!(check_format("012345", "pin").is_ok());
        for bad in ["12345", "1234567", "12345a", "", "１２３４５６"] {
            assert!(check_format(bad, "pin").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_hash_is_salted_and_checks_the_pin() {
        let a = hash("482916").expect("hash");
        let b = hash("482916").expect("hash");
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(!a.contains("482916"));
        assert!(matches("482916", &a));
        assert!(!matches("482917", &a));
        assert!(!matches("482916", "not a hash"));
    }
}
