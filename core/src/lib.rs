//! The client core of mysapk: local SQLite store, outbox and sync engine, HTTP client, OS keystore and sync
//! status events. No UI and no Tauri code: the shell adapts these calls to IPC.
//!
//! | module | concern |
//! | --- | --- |
//! | `lib.rs` | the [`Core`] facade: accounts, withdrawals, inbox |
//! | `app_lock` | the app lock: a PIN per account (Argon2id hash and failure count in the keystore), locked at launch and after 5 minutes away; personal data refused while locked |
//! | `usulan` | proposing, resubmitting a returned usulan, confirming a category: all rules checked first |
//! | `documents` | supporting documents: attach by content, chunked resumable upload before a push, open |
//! | `bukti` | the bukti PDM receipt (PDF) generated on the device from local data |
//! | [`error`] | [`CoreError`] with stable codes and its wire shape |
//! | [`secrets`] | tokens in the OS keystore (keyring-core) |
//! | `store/` | the per-account SQLite database: migrations, one module per table, applying server data |
//! | `http` | the sync protocol client and failure classes |
//! | `sync` | push, pull, token refresh, the background loop with backoff |
//! | `events` | sync status and [`CoreEvent`]s |
//! | `live` | the server-sent event stream that nudges the sync loop at once when the change feed grows; closed while the app is paused (in the background on a phone) |
//! | [`reminders`] | the local service reminders (KP, KGB, BUP) a phone schedules from the synced record |
//! | `standing` | Kinerja & Kompetensi computed offline from the official records and the assessments |
//! | `card` | the digital ASN card from local data, its signed token renewed online, the key set cached |
//! | `card_check` | a card token checked offline with the cached key set ("Periksa Kartu ASN") |
//! | [`card_picture`] | a card's QR code read from a picture (bounded PNG/JPEG decoding), card links to tokens |
//! | `review` | the reviewer's work queue and offline decisions |
//! | `admin` | online-only agency administration and the user's audit trail |
//! | `mfa` | two-step verification: the second factor at login, enrolment, the session that may only enrol |
//! | `view` | the beranda built from the local database |
//! | `device` | `device.json`: the last account used, the server chosen on this device |
//! | `transport` | the server URL rule (https, or http to loopback only), extra root certificates, choosing the server |

pub mod card_picture;
pub mod error;
pub mod secrets;

mod account_key;
mod admin;
mod app_lock;
mod bukti;
mod card;
mod card_check;
mod device;
mod document_vault;
mod documents;
mod events;
mod http;
mod live;
mod mfa;
mod private_fs;
pub mod reminders;
mod review;
mod sessions;
mod standing;
mod store;
mod sync;
mod transport;
mod usulan;
mod view;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use mysapk_model::auth::UserInfo;
use mysapk_model::sync::MutationOp;
use mysapk_model::usulan::UsulanState;
use mysapk_model::view::{Beranda, Inbox, InboxItem, SyncPhase, SyncStatus};
use mysapk_model::{Code, Nip};
use tokio::sync::Notify;

pub use app_lock::{BACKGROUND_LOCK, MAX_FAILURES, PIN_LEN};
pub use error::CoreError;
pub use events::CoreEvent;
pub use mfa::SecondFactor;
pub use transport::split_paths;

use device::DeviceFile;
use events::Events;
use http::Http;
use store::{meta, notifications, outbox, Store};

pub struct CoreConfig {
    /// Where the account databases and `device.json` live.
    pub data_dir: PathBuf,
    /// Base URL of the server unless the user chose another on this device, e.g. `https://mysapk.example.go.id`.
    /// `https://` unless the host is loopback (`transport.insecure_url`). `None`: the user must choose one first
    /// (`transport.no_server`).
    pub server_url: Option<String>,
    /// PEM files of root certificates trusted besides the platform's (an agency's private CA).
    pub extra_roots: Vec<PathBuf>,
}

impl CoreConfig {
    /// A configuration with the platform's roots only.
    pub fn new(data_dir: impl Into<PathBuf>, server_url: impl Into<String>) -> Self {
        CoreConfig { data_dir: data_dir.into(), server_url: Some(server_url.into()), extra_roots: Vec::new() }
    }
}

/// One logged-in (or last used) account and its open database.
pub(crate) struct Account {
    pub user: UserInfo,
    pub store: Store,
    /// Where the account's documents rest (sealed under its database key).
    pub vault: document_vault::Vault,
}

/// The client core. Cheap to share as `Arc<Core>`.
pub struct Core {
    data_dir: PathBuf,
    /// The configured server, used again when the user drops their own choice.
    default_server_url: Option<String>,
    http: Http,
    device: Mutex<DeviceFile>,
    account: Mutex<Option<Arc<Account>>>,
    events: Events,
    nudge: Arc<Notify>,
    sync_lock: tokio::sync::Mutex<()>,
    /// Bumped at every login and logout: the event stream reconnects for the new session (or closes).
    session: tokio::sync::watch::Sender<u64>,
    /// `false` while the app is in the background on a phone: no event stream then (`live`).
    foreground: tokio::sync::watch::Sender<bool>,
    /// No card renewal by the sync engine before this instant (after a failed one).
    card_retry: Mutex<Option<std::time::Instant>>,
    /// The app lock: while locked, no personal data ([`CoreError::Locked`]).
    lock: app_lock::AppLock,
    /// One PIN check at a time (the failure count is read and written by each).
    lock_attempt: Mutex<()>,
}

impl Core {
    /// Open the core; opens (and migrates) the database of the last user, if any.
    pub fn open(config: CoreConfig) -> Result<Arc<Core>, CoreError> {
        // Refused before anything is opened: never a silent downgrade to another server or to plain HTTP.
        let default_server_url = config.server_url.as_deref().map(transport::check_server_url).transpose()?;
        let roots = transport::extra_roots(&config.extra_roots)?;
        private_fs::create_dir(&config.data_dir)?;
        let device = DeviceFile::load_or_create(&config.data_dir)?;
        let http = Http::new(device.server_url.as_deref().or(default_server_url.as_deref()), &roots)?;
        let account = match &device.last_nip {
            Some(nip) => open_account(&config.data_dir, nip, None)?,
            None => None,
        };
        let logged_in = account.as_ref().is_some_and(|a| matches!(secrets::load(&a.user.nip), Ok(Some(_))));
        let pending = match &account {
            Some(a) => a.store.read(outbox::count)?,
            None => 0,
        };
        let last_synced_at = match &account {
            Some(a) => a
                .store
                .read(|c| meta::get(c, meta::LAST_SYNCED_AT))?
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
                .map(|d| d.with_timezone(&Utc)),
            None => None,
        };
        let phase = match &account {
            Some(a) if logged_in && mfa::enrollment_pending(a) => SyncPhase::NeedsMfaEnrollment,
            _ if logged_in => SyncPhase::Idle,
            _ => SyncPhase::NeedsLogin,
        };
        let status = SyncStatus { phase, pending, last_synced_at, last_error: None };
        let lock = app_lock::AppLock::at_launch(
            &config.data_dir,
            account.as_ref().filter(|_| logged_in).map(|a| a.user.nip.as_str()),
        );
        Ok(Arc::new(Core {
            data_dir: config.data_dir,
            default_server_url,
            http,
            device: Mutex::new(device),
            account: Mutex::new(account.map(Arc::new)),
            events: Events::new(status),
            nudge: Arc::new(Notify::new()),
            sync_lock: tokio::sync::Mutex::new(()),
            session: tokio::sync::watch::Sender::new(0),
            foreground: tokio::sync::watch::Sender::new(true),
            card_retry: Mutex::new(None),
            lock,
            lock_attempt: Mutex::new(()),
        }))
    }

    /// Log in with NIP and password alone; see [`Core::login_with`].
    pub async fn login(&self, nip: &str, password: &str) -> Result<UserInfo, CoreError> {
        self.login_with(nip, password, None).await
    }

    /// Log in; store the tokens in the OS keystore, open this user's database, then try a first sync (a sync
    /// failure does not fail the login). An account with a second factor answers [`CoreError::MfaRequired`]
    /// until `second` is given. When the server's policy wants a second factor the account lacks, the session
    /// may only enrol: [`Core::mfa_enrollment_required`] says so, the sync phase is `NeedsMfaEnrollment`, and
    /// nothing syncs until [`Core::mfa_confirm`] succeeded.
    pub async fn login_with(
        &self,
        nip: &str,
        password: &str,
        second: Option<SecondFactor>,
    ) -> Result<UserInfo, CoreError> {
        let nip = Nip::parse(nip).map_err(|v| CoreError::Validation(vec![v]))?;
        let tokens = self.http.login(nip.as_str(), password, second.as_ref()).await?;
        let must_enrol = tokens.mfa_enrollment_required;
        let user = tokens.user.clone();
        // Best effort: an unnamed session still works; "my devices" then shows it without a name.
        if let Err(e) = self.http.name_session(&tokens.access_token, &sessions::device_name()).await {
            tracing::info!(code = e.code().as_str(), "could not name the session");
        }
        // The server's NIP names the keystore entry and the database file; it must be a valid NIP too.
        let user_nip =
            Nip::parse(&user.nip).map_err(|_| CoreError::BadResponse("login answer without a valid NIP".into()))?;
        let session = secrets::Tokens {
            access: secrets::Sensitive::new(tokens.access_token),
            refresh: secrets::Sensitive::new(tokens.refresh_token),
        };
        // A fresh connection, also when the same user logs in again; the old one closes with its last user.
        let account = match self.open_for_this_server(user_nip.as_str(), &user, password)? {
            Ok(account) => Arc::new(account),
            Err(pending) => {
                // Proposals for the previous server wait in this database: this login ends here, unused.
                if let Err(e) = self.http.logout(session.access.expose(), session.refresh.expose()).await {
                    tracing::info!(code = e.code().as_str(), "could not end the unused session");
                }
                return Err(CoreError::AccountOfOtherServer(pending));
            }
        };
        secrets::save(user_nip.as_str(), &session)?;
        self.lock_after_login(user_nip.as_str())?;
        self.set_enrollment_pending(&account, must_enrol)?;
        let pending = account.store.read(outbox::count)?;
        *self.account.lock().unwrap_or_else(|p| p.into_inner()) = Some(account);
        {
            let mut device = self.device.lock().unwrap_or_else(|p| p.into_inner());
            device.last_nip = Some(user.nip.clone());
            device.save(&self.data_dir)?;
        }
        self.events.update(|s| {
            s.phase = if must_enrol { SyncPhase::NeedsMfaEnrollment } else { SyncPhase::Idle };
            s.pending = pending;
            s.last_error = None;
        });
        *self.card_retry.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.session.send_modify(|g| *g = g.wrapping_add(1));
        tracing::info!(must_enrol, "logged in");
        if must_enrol {
            return Ok(user);
        }
        if let Err(e) = self.sync_now().await {
            tracing::warn!(code = e.code().as_str(), "first sync after login failed");
        }
        Ok(user)
    }

    /// Open the account's database for a login on the current server. A database synced with another server
    /// belongs to it: with proposals still queued for it, `Err(pending)` (they go nowhere else); without, it is
    /// set aside and a fresh one starts, so the new server's pull never mixes with the old server's mirror.
    fn open_for_this_server(
        &self,
        nip: &str,
        user: &UserInfo,
        password: &str,
    ) -> Result<Result<Account, u32>, CoreError> {
        let server = self.http.base();
        let open = || -> Result<Account, CoreError> {
            open_account(&self.data_dir, nip, Some((user, password)))?
                .ok_or_else(|| CoreError::corrupt("account database without user"))
        };
        let account = open()?;
        let bound = account.store.read(|c| meta::get(c, meta::SERVER_URL))?;
        let account = match bound {
            Some(bound) if bound != server => {
                let pending = account.store.read(outbox::count)?;
                if pending > 0 {
                    return Ok(Err(pending));
                }
                drop(account);
                let aside = store::cipher::set_aside(&db_path(&self.data_dir, nip))?;
                tracing::info!(aside = %aside.display(), "account database of another server set aside");
                open()?
            }
            _ => account,
        };
        account.store.write(|tx| meta::set(tx, meta::SERVER_URL, &server))?;
        Ok(Ok(account))
    }

    /// End the session on the server (best effort: offline, or with tokens the server already refused, the
    /// device logs out all the same) and forget the tokens; the user's database and outbox stay on disk, and what
    /// is unsent goes out after the next login.
    pub async fn logout(&self) -> Result<(), CoreError> {
        let _guard = self.sync_lock.lock().await;
        let account = self.account.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(a) = &account {
            if let Ok(Some(mut tokens)) = secrets::load(&a.user.nip) {
                let refresh = tokens.refresh.expose().to_owned();
                let ended = self
                    .authed(&a.user.nip, &mut tokens, |access| {
                        let refresh = &refresh;
                        async move { self.http.logout(&access, refresh).await }
                    })
                    .await;
                if let Err(e) = ended {
                    tracing::info!(code = e.code().as_str(), "server logout failed; the tokens are forgotten here");
                }
            }
            secrets::delete(&a.user.nip)?;
            self.lock_after_logout(&a.user.nip)?;
            self.set_enrollment_pending(a, false)?;
            // Other people's documents this reviewer opened do not stay behind.
            documents::drop_cached(a, None)?;
            account_key::forget(&db_path(&self.data_dir, &a.user.nip))?;
        }
        {
            let mut device = self.device.lock().unwrap_or_else(|p| p.into_inner());
            device.last_nip = None;
            device.save(&self.data_dir)?;
        }
        self.events.update(|s| {
            s.phase = SyncPhase::NeedsLogin;
            s.pending = 0;
            s.last_error = None;
        });
        self.session.send_modify(|g| *g = g.wrapping_add(1));
        Ok(())
    }

    /// The last logged-in user whose tokens are still in the keystore. Works offline; `None` while the app is
    /// locked (see [`Core::user`]).
    pub fn session(&self) -> Option<UserInfo> {
        self.user().ok().flatten()
    }

    /// [`Core::session`], refused with `app.locked` while the app lock is on (the user's name is personal data).
    pub fn user(&self) -> Result<Option<UserInfo>, CoreError> {
        if self.lock.is_locked() {
            return Err(CoreError::Locked);
        }
        let Some(account) = self.current() else { return Ok(None) };
        match secrets::load(&account.user.nip) {
            Ok(Some(_)) => Ok(Some(account.user.clone())),
            _ => Ok(None),
        }
    }

    /// The beranda, from the local database only.
    pub fn beranda(&self) -> Result<Beranda, CoreError> {
        let account = self.require()?;
        account.store.read(|c| view::beranda(c, &account.user))
    }

    /// Queue the withdrawal of a proposal that has not been decided yet.
    pub fn withdraw(&self, usulan_id: &str) -> Result<(), CoreError> {
        let account = self.require()?;
        account.store.write(|tx| {
            let u = store::usulan::get(tx, usulan_id)?.ok_or(CoreError::NotFound(Code::UsulanNotFound))?;
            let state = u.usulan.state;
            if !(state == UsulanState::Queued || state.is_withdrawable()) {
                return Err(CoreError::Validation(vec![Code::UsulanNotWithdrawable.violation("usulan_id")]));
            }
            store::usulan::set_withdraw_pending(tx, usulan_id)?;
            outbox::enqueue(tx, MutationOp::Withdraw { usulan_id: usulan_id.to_owned() })?;
            Ok(())
        })?;
        self.after_local_write(&account)
    }

    pub fn inbox(&self) -> Result<Inbox, CoreError> {
        let account = self.require()?;
        let notifications = account.store.read(notifications::all)?;
        Ok(Inbox { notifications: notifications.into_iter().map(InboxItem::from).collect() })
    }

    /// Mark a notification read here and queue the same for the server.
    pub fn mark_read(&self, notification_id: &str) -> Result<(), CoreError> {
        let account = self.require()?;
        let queued = account.store.write(|tx| {
            let Some(n) = notifications::all(tx)?.into_iter().find(|n| n.id == notification_id) else {
                return Err(CoreError::NotFound(Code::NotificationNotFound));
            };
            if n.read {
                return Ok(false);
            }
            notifications::mark_read(tx, notification_id)?;
            outbox::enqueue(tx, MutationOp::MarkNotificationRead { notification_id: notification_id.to_owned() })?;
            Ok(true)
        })?;
        if queued {
            self.after_local_write(&account)?;
        }
        Ok(())
    }

    fn current(&self) -> Option<Arc<Account>> {
        self.account.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The account for a call on its data: refused while the app lock is on.
    fn require(&self) -> Result<Arc<Account>, CoreError> {
        if self.lock.is_locked() {
            return Err(CoreError::Locked);
        }
        self.current().ok_or(CoreError::NotLoggedIn)
    }

    fn after_local_write(&self, account: &Account) -> Result<(), CoreError> {
        let pending = account.store.read(outbox::count)?;
        self.events.update(|s| s.pending = pending);
        self.nudge.notify_one();
        Ok(())
    }
}

fn db_path(data_dir: &std::path::Path, nip: &str) -> PathBuf {
    data_dir.join(format!("{nip}.sqlite"))
}

/// Open an account database; at a login (`login`: the user and the password) store the user in it. `None` when it
/// holds no user yet, or when it is encrypted and its key needs the password (see [`account_key`]).
fn open_account(
    data_dir: &std::path::Path,
    nip: &str,
    login: Option<(&UserInfo, &str)>,
) -> Result<Option<Account>, CoreError> {
    if Nip::parse(nip).is_err() {
        return Ok(None);
    }
    let path = db_path(data_dir, nip);
    let password = login.map(|(_, password)| password);
    let (store, key) = match account_key::unlock(data_dir, &path, nip, password)? {
        account_key::Unlock::Key(key) => match (Store::open(&path, Some(&key)), password) {
            // The keystore's key is not this database's (a keystore shared with another copy of the data):
            // the password's sealed copy decides.
            (Err(CoreError::DatabaseKey), Some(password)) => {
                let key = account_key::recover(data_dir, &path, nip, password)?;
                (Store::open(&path, Some(&key))?, Some(key))
            }
            (Err(CoreError::DatabaseKey), None) => return Ok(None),
            (opened, _) => (opened?, Some(key)),
        },
        account_key::Unlock::Plain => (Store::open(&path, None)?, None),
        account_key::Unlock::Locked => return Ok(None),
    };
    let vault = document_vault::Vault::for_account(data_dir, nip, key.as_ref());
    if let Some((u, _)) = login {
        store.write(|tx| meta::set(tx, meta::USER, &serde_json::to_string(u)?))?;
    }
    let user: Option<UserInfo> =
        store.read(|c| meta::get(c, meta::USER))?.map(|s| serde_json::from_str(&s)).transpose()?;
    Ok(user.map(|user| Account { user, store, vault }))
}

#[cfg(test)]
mod tests;
