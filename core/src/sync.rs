//! The sync engine: push the outbox in sequence order, pull pages until done, refresh the access token once on
//! expiry, and a background loop with exponential backoff, jitter and `Retry-After`.

use std::future::Future;
use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::Utc;
use mysapk_model::card::CardToken;
use mysapk_model::sync::{PullResponse, PushRequest, MAX_PUSH_BATCH};
use mysapk_model::view::{SyncPhase, SyncStatus};
use mysapk_model::Code;
use tokio::sync::broadcast;

use crate::documents::Prepared;
use crate::error::CoreError;
use crate::events::CoreEvent;
use crate::http::{FIRST_SYNC_PULL_LIMIT, PULL_LIMIT};
use crate::mfa;
use crate::secrets::{self, Sensitive, Tokens};
use crate::store::{apply, meta, outbox};
use crate::{Account, Core};

/// Sync this often while nothing nudges.
const PERIOD: Duration = Duration::from_secs(15);
/// Pulled changes applied per transaction (several pages when the server sends small ones).
const APPLY_BATCH: usize = 2_000;
/// Longest backoff after failures (a server's `Retry-After` may ask for more and is honoured).
const MAX_BACKOFF: Duration = Duration::from_secs(30);

impl Core {
    /// Push the outbox (batches of `MAX_PUSH_BATCH`), then pull pages until the server has no more.
    pub async fn sync_now(&self) -> Result<SyncStatus, CoreError> {
        let _guard = self.sync_lock.lock().await;
        let Some(account) = self.current() else {
            self.events.set_phase(SyncPhase::NeedsLogin);
            return Err(CoreError::NotLoggedIn);
        };
        // The server refuses every sync call of a session that may only enrol a second factor.
        if mfa::enrollment_pending(&account) {
            self.events.set_phase(SyncPhase::NeedsMfaEnrollment);
            return Err(CoreError::MfaEnrollmentRequired);
        }
        self.events.set_phase(SyncPhase::Syncing);
        match self.sync_account(&account).await {
            Ok(()) => {
                let now = Utc::now();
                account.store.write(|tx| meta::set(tx, meta::LAST_SYNCED_AT, &now.to_rfc3339()))?;
                let pending = account.store.read(outbox::count)?;
                self.events.update(|s| {
                    s.phase = SyncPhase::Idle;
                    s.pending = pending;
                    s.last_synced_at = Some(now);
                    s.last_error = None;
                });
                Ok(self.events.status())
            }
            Err(e) => {
                let phase = if e.is_transient() {
                    let wait = e.retry_after().unwrap_or(Duration::ZERO);
                    let not_before = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
                    account.store.write(|tx| outbox::record_failure(tx, e.code().as_str(), not_before))?;
                    SyncPhase::Offline
                } else if e.needs_login() {
                    SyncPhase::NeedsLogin
                } else if matches!(e, CoreError::MfaEnrollmentRequired) {
                    // The server's policy changed under this session (or an admin reset its second factor).
                    self.set_enrollment_pending(&account, true)?;
                    SyncPhase::NeedsMfaEnrollment
                } else {
                    SyncPhase::Idle
                };
                let pending = account.store.read(outbox::count).unwrap_or(0);
                self.events.update(|s| {
                    s.phase = phase;
                    s.pending = pending;
                    s.last_error = Some(e.code().as_str().to_owned());
                });
                tracing::info!(code = e.code().as_str(), "sync failed");
                Err(e)
            }
        }
    }

    pub fn status(&self) -> SyncStatus {
        self.events.status()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<CoreEvent> {
        self.events.subscribe()
    }

    /// Sync in the background on every nudge and every 15 s; on failure back off exponentially with jitter (at
    /// most 30 s, or longer when the server's `Retry-After` says so). Never gives up; ends when the core is
    /// dropped. Beside it runs the event stream (`live`), which nudges the loop when the server's change feed
    /// grows.
    pub fn spawn_sync_loop(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let weak = Arc::downgrade(self);
        let nudge = Arc::clone(&self.nudge);
        self.spawn_live();
        tokio::spawn(run_loop(weak, nudge))
    }

    async fn sync_account(&self, account: &Account) -> Result<(), CoreError> {
        // One id for the pulls and pushes of this sync (see `http::SYNC_ID`).
        let sync_id = uuid::Uuid::now_v7().to_string();
        tracing::debug!(%sync_id, "sync");
        crate::http::SYNC_ID.scope(sync_id, self.sync_account_once(account)).await
    }

    async fn sync_account_once(&self, account: &Account) -> Result<(), CoreError> {
        let nip = account.user.nip.as_str();
        let mut tokens = secrets::load(nip)?.ok_or(CoreError::NotLoggedIn)?;
        // A proposal still waiting for its documents does not keep the device from learning what changed: pull,
        // then report why the upload stopped.
        let waiting = self.push_all(account, &mut tokens).await?;
        // The card token is renewed inside the pull (one request less); the key set waits for a sync that did not
        // renew it, so a sync asks for at most one card thing.
        let card_due = self.card_renewal_due(account);
        match self.pull_all(account, &mut tokens, card_due).await? {
            Some(token) => self.card_renewed(account, Ok(token)),
            // A server whose pull does not carry the card (an older node during an upgrade): a request of its own.
            None if card_due => self.renew_card(account, &mut tokens).await,
            None => self.refresh_card_keys_if_due(account, &mut tokens).await,
        }
        match waiting {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Push the outbox in sequence order until it is empty. Before each batch the documents its proposals need
    /// are uploaded; the batch stops at the first proposal whose documents could not be uploaded now (the order
    /// of the outbox is kept), and that upload failure is returned as `Ok(Some(_))` after the mutations before it
    /// are pushed.
    pub(crate) async fn push_all(
        &self,
        account: &Account,
        tokens: &mut Tokens,
    ) -> Result<Option<CoreError>, CoreError> {
        loop {
            let mut mutations = account.store.read(|c| outbox::batch(c, MAX_PUSH_BATCH))?;
            if mutations.is_empty() {
                return Ok(None);
            }
            let mut blocked = None;
            match self.prepare_batch(account, tokens, &mutations).await? {
                Prepared::All => {}
                Prepared::Changed => {
                    let pending = account.store.read(outbox::count)?;
                    self.events.update(|s| s.pending = pending);
                    continue;
                }
                Prepared::Prefix(n, e) => {
                    mutations.truncate(n);
                    blocked = Some(e);
                }
            }
            if mutations.is_empty() {
                return Ok(blocked);
            }
            let request = PushRequest { device_id: account.store.replica_id().to_owned(), mutations };
            let response = self
                .authed(&account.user.nip, tokens, |access| {
                    let http = &self.http;
                    let request = &request;
                    async move { http.push(&access, request).await }
                })
                .await?;
            let processed = account.store.write(|tx| apply::apply_push(tx, &response))?;
            let pending = account.store.read(outbox::count)?;
            self.events.update(|s| s.pending = pending);
            if processed == 0 {
                return Err(CoreError::BadResponse("the push answer processed none of the mutations".into()));
            }
            if blocked.is_some() {
                return Ok(blocked);
            }
        }
    }

    /// Pull pages after the stored cursor until the server has no more. Pages are applied together once
    /// `APPLY_BATCH` changes have arrived (and at the last page), in one transaction committed with
    /// `synchronous=NORMAL` (see `Store::write_relaxed`: the pages and their cursor can only be lost together
    /// and are pulled again). Fewer, larger transactions rewrite far fewer B-tree pages into the WAL. A first
    /// sync asks for the largest pages the server gives. When a request fails, the pages already received are
    /// applied before the error is returned.
    /// With `card`, asks for a fresh card token and returns the one the last page carried.
    pub(crate) async fn pull_all(
        &self,
        account: &Account,
        tokens: &mut Tokens,
        card: bool,
    ) -> Result<Option<CardToken>, CoreError> {
        let mut cursor = account.store.read(|c| meta::get(c, meta::CURSOR))?;
        let limit = if cursor.is_none() { FIRST_SYNC_PULL_LIMIT } else { PULL_LIMIT };
        let mut batch: Vec<PullResponse> = Vec::new();
        let mut batched = 0usize;
        loop {
            let fetched = self
                .authed(&account.user.nip, tokens, |access| {
                    let http = &self.http;
                    let cursor = cursor.clone();
                    async move { http.pull(&access, cursor.as_deref(), limit, card).await }
                })
                .await;
            let mut page = match fetched {
                Ok(page) => page,
                Err(e) => {
                    self.apply_pages(account, &mut batch)?;
                    return Err(e);
                }
            };
            let more = page.has_more;
            let fresh_card = page.card.take();
            let stuck = more && cursor.as_deref() == Some(page.cursor.as_str());
            cursor = Some(page.cursor.clone());
            batched += page.changes.len();
            batch.push(page);
            if !more || stuck || batched >= APPLY_BATCH {
                self.apply_pages(account, &mut batch)?;
                batched = 0;
            }
            if stuck {
                return Err(CoreError::BadResponse("the pull cursor did not advance".into()));
            }
            if !more {
                return Ok(fresh_card);
            }
        }
    }

    /// Apply received pages in order, in one relaxed transaction (the last page's cursor is stored), and announce
    /// the notifications the device had not seen.
    fn apply_pages(&self, account: &Account, batch: &mut Vec<PullResponse>) -> Result<(), CoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let fresh = account.store.write_relaxed(|tx| {
            let mut fresh = Vec::new();
            for page in batch.iter() {
                fresh.extend(apply::apply_page(tx, page)?);
            }
            Ok(fresh)
        })?;
        batch.clear();
        self.events.notify(fresh);
        Ok(())
    }

    /// Exchange the refresh token for new tokens and store both (refresh tokens rotate: the caller holds the sync
    /// lock, so two refreshes never race). A refused refresh forgets the tokens.
    pub(crate) async fn refresh_tokens(&self, nip: &str, tokens: &mut Tokens) -> Result<(), CoreError> {
        let fresh = match self.http.refresh(tokens.refresh.expose()).await {
            Ok(fresh) => fresh,
            Err(err @ CoreError::Auth(_)) => {
                secrets::delete(nip)?;
                return Err(err);
            }
            Err(err) => return Err(err),
        };
        *tokens = Tokens { access: Sensitive::new(fresh.access_token), refresh: Sensitive::new(fresh.refresh_token) };
        secrets::save(nip, tokens)?;
        tracing::debug!("access token refreshed");
        Ok(())
    }

    /// Run `call` with the access token; on `auth.expired_token` refresh once (rotating and storing both
    /// tokens) and retry. A failed refresh forgets the tokens: the user logs in again, nothing local is lost.
    /// `auth.invalid_token` (a revoked access token) also tries the refresh once before giving up: when the
    /// session was ended on the server it fails the same way; when a copy of the refresh token was used and
    /// rotated (which revokes this access token), the server sees ours reused after its successor and ends the
    /// whole family, the copy's session too, instead of leaving it alive while this device logs in anew.
    pub(crate) async fn authed<T, F, Fut>(&self, nip: &str, tokens: &mut Tokens, call: F) -> Result<T, CoreError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, CoreError>>,
    {
        match call(tokens.access.expose().to_owned()).await {
            Err(CoreError::Auth(e)) if e.code == Code::AuthExpiredToken.as_str() => {
                self.refresh_tokens(nip, tokens).await?;
                match call(tokens.access.expose().to_owned()).await {
                    // The token is minutes old: the session is fine, the refusal is transient.
                    Err(CoreError::Auth(e)) if e.code == Code::AuthExpiredToken.as_str() => {
                        Err(CoreError::FreshTokenRefused)
                    }
                    other => other,
                }
            }
            Err(CoreError::Auth(e)) if e.code == Code::AuthInvalidToken.as_str() => {
                self.refresh_tokens(nip, tokens).await?;
                match call(tokens.access.expose().to_owned()).await {
                    Err(CoreError::Auth(e)) if e.code == Code::AuthInvalidToken.as_str() => {
                        secrets::delete(nip)?;
                        Err(CoreError::Auth(e))
                    }
                    other => other,
                }
            }
            other => other,
        }
    }
}

async fn run_loop(weak: Weak<Core>, nudge: Arc<tokio::sync::Notify>) {
    let mut failures: u32 = 0;
    // Honour a persisted "not before" from an earlier run.
    if let Some(core) = weak.upgrade() {
        if let Some(account) = core.current() {
            if let Ok(Some(nb)) = account.store.read(outbox::not_before) {
                if let Ok(wait) = (nb - Utc::now()).to_std() {
                    drop(account);
                    drop(core);
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
    loop {
        let Some(core) = weak.upgrade() else { return };
        let (delay, hard) = match core.sync_now().await {
            Ok(_) => {
                failures = 0;
                (PERIOD, false)
            }
            // Waiting for the user (a login, or enrolling a second factor), not for the network.
            Err(e) if e.needs_login() || matches!(e, CoreError::MfaEnrollmentRequired) => {
                failures = 0;
                (PERIOD, false)
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let backoff = backoff(failures);
                match e.retry_after() {
                    Some(server) if server > backoff => (server, true),
                    _ => (backoff, false),
                }
            }
        };
        drop(core);
        if hard {
            tokio::time::sleep(delay).await;
        } else {
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = nudge.notified() => {}
            }
        }
    }
}

/// Exponential backoff with jitter: a random time in [d/2, d], d = 1 s · 2^(n-1), capped at 30 s.
pub(crate) fn backoff(failures: u32) -> Duration {
    let exp = failures.saturating_sub(1).min(16);
    let full = Duration::from_secs(1).saturating_mul(1 << exp).min(MAX_BACKOFF);
    let half = full / 2;
    let jitter_ms = (uuid::Uuid::new_v4().as_u128() % (half.as_millis().max(1))) as u64;
    half + Duration::from_millis(jitter_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        for n in 1..40 {
            let d = backoff(n);
            assert!(d <= MAX_BACKOFF, "{n}: {d:?}");
            assert!(d >= Duration::from_millis(500), "{n}: {d:?}");
        }
        assert!(backoff(10) >= MAX_BACKOFF / 2);
    }
}
