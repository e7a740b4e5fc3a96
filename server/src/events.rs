//! `GET /api/v1/events`: a server-sent event stream that nudges a device to pull. It sends
//! `event: changed` / `data: {"version": v}` on connect (`v` = the newest change-log version of the user's feed:
//! their NIP, entries for everyone, and their agency's review scope for a reviewer) and again whenever that
//! version grows, plus a keep-alive comment every [`KEEP_ALIVE`]. The device compares `v` with its cursor.
//!
//! Two sources, because the feed also grows through other server nodes:
//! - **In process**: every commit of this server that appended to the change log nudges the streams listening on
//!   its keys ([`crate::live::Hub`]). The stream then re-reads the version at once, and again after 50, 100,
//!   200 ms … while the nudged version is not visible yet, giving up at the poll interval.
//! - **Poll**: every [`crate::Config::events_poll`] (first one at a random offset, so streams do not poll in
//!   step) it re-reads the version: one query of at most three index lookups (`MAX(version)` per key on
//!   `change_log (nip, version)`), holding a pool connection only for that query.
//!
//! The stream re-checks its access token every [`REAUTH_EVERY`] (through the token cache) and ends when the
//! token expired or was revoked (the device reconnects with a fresh one). At most [`MAX_STREAMS`] streams per
//! process; more get 503 `events.too_many`. One user holds at most
//! [`crate::config::HttpLimits::event_streams_per_user`] of them (per process); more get 429
//! `events.too_many_for_user`, so one account cannot take the streams of everyone else.

use mysapk_model::Code;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use rand::Rng;
use sqlx::AnyPool;
use tokio::time::Instant;

use crate::auth::{self, AuthUser, TokenCache};
use crate::db::{self, LogKey};
use crate::error::ServerError;
use crate::live::{Live, StreamSlot, Subscription};
use crate::review;

/// Interval of keep-alive comments.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How often a stream re-checks its access token.
pub const REAUTH_EVERY: Duration = Duration::from_secs(30);
/// Most open streams per process.
pub const MAX_STREAMS: usize = 10_000;
/// First re-read after a nudge whose version is not visible yet; doubles up to the poll interval.
const FIRST_RETRY: Duration = Duration::from_millis(50);

/// The change-log keys of the user's feed (as a pull reads them).
pub fn feed_keys(user: &AuthUser) -> Vec<LogKey> {
    let scope = review::is_reviewer(&user.roles).then(|| db::agency_scope(&user.instansi_id));
    [Some(user.nip.clone()), None].into_iter().chain(scope.map(Some)).collect()
}

/// The newest change-log version of the user's feed: one statement, one `MAX` per key on `(nip, version)`.
pub async fn newest_version(pool: &AnyPool, user: &AuthUser) -> Result<i64, ServerError> {
    let scope = review::is_reviewer(&user.roles).then(|| db::agency_scope(&user.instansi_id));
    let scoped =
        if scope.is_some() { " UNION ALL SELECT MAX(version) AS v FROM change_log WHERE nip = $2" } else { "" };
    let sql = format!(
        "SELECT COALESCE(MAX(v), 0) FROM (SELECT MAX(version) AS v FROM change_log WHERE nip = $1 \
         UNION ALL SELECT MAX(version) AS v FROM change_log WHERE nip IS NULL{scoped}) AS newest"
    );
    let mut q = sqlx::query_scalar::<_, i64>(&sql).bind(user.nip.as_str());
    if let Some(scope) = scope {
        q = q.bind(scope);
    }
    let mut conn = pool.acquire().await?;
    Ok(q.fetch_one(&mut *conn).await?)
}

/// The open event streams of each user on this server.
#[derive(Default)]
pub struct UserStreams {
    open: Mutex<HashMap<String, usize>>,
}

/// One of a user's open streams, given back on drop.
pub struct UserSlot {
    streams: Arc<UserStreams>,
    nip: String,
}

impl UserStreams {
    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<String, usize>> {
        // A panic while holding the lock leaves plain counts behind: still usable.
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The streams open now, all users together (a metric, see [`crate::metrics::EVENT_STREAMS`]).
    pub fn total(&self) -> usize {
        self.counts().values().sum()
    }

    /// A slot for one more stream of `nip`, unless `max` are open.
    pub fn open(self: &Arc<Self>, nip: &str, max: usize) -> Option<UserSlot> {
        let mut counts = self.counts();
        let n = counts.entry(nip.to_owned()).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(UserSlot { streams: Arc::clone(self), nip: nip.to_owned() })
    }
}

impl Drop for UserSlot {
    fn drop(&mut self) {
        let mut counts = self.streams.counts();
        if let Some(n) = counts.get_mut(&self.nip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                counts.remove(&self.nip);
            }
        }
    }
}

/// What a stream needs to run.
pub struct StreamSetup {
    pub pool: AnyPool,
    /// Re-checks the access token.
    pub tokens: Arc<TokenCache>,
    /// The server's hub of nudges and its open streams.
    pub live: Arc<Live>,
    /// Becomes `true` when the server stops.
    pub closing: tokio::sync::watch::Receiver<bool>,
    pub access_token: String,
    pub user: AuthUser,
    pub poll: Duration,
    /// The open streams per user, and how many one user may hold.
    pub user_streams: Arc<UserStreams>,
    pub per_user: usize,
}

struct State {
    setup: StreamSetup,
    sub: Subscription,
    _slot: StreamSlot,
    _user_slot: UserSlot,
    /// The version last sent (`None` before the first event).
    sent: Option<i64>,
    /// A nudged version not yet visible in the database, and the delay of the next re-read for it.
    waiting_for: i64,
    retry: Duration,
    next_poll: Instant,
    next_auth: Instant,
    closing: tokio::sync::watch::Receiver<bool>,
}

/// Resolves when the server stops (or is gone).
async fn closed(closing: &mut tokio::sync::watch::Receiver<bool>) {
    let stopped = closing.wait_for(|c| *c).await.is_ok();
    if !stopped {
        tracing::debug!("event stream: the server is gone");
    }
}

fn changed(version: i64) -> Event {
    Event::default().event("changed").data(format!("{{\"version\":{version}}}"))
}

impl State {
    /// Wait for the next moment to re-read: a nudge, a retry for a pending nudge, or the poll. `false`: the
    /// token is no longer valid, or the server stops (the stream ends).
    async fn wait(&mut self) -> bool {
        loop {
            let deadline =
                if self.waiting_for > 0 { (Instant::now() + self.retry).min(self.next_poll) } else { self.next_poll };
            let deadline = deadline.min(self.next_auth);
            tokio::select! {
                () = closed(&mut self.closing) => return false,
                () = self.sub.signal.notify.notified() => {
                    let nudged = self.sub.signal.nudged.load(Ordering::SeqCst);
                    if nudged > self.sent.unwrap_or(0) {
                        self.waiting_for = self.waiting_for.max(nudged);
                        self.retry = FIRST_RETRY;
                        return true;
                    }
                }
                () = tokio::time::sleep_until(deadline) => {
                    if Instant::now() >= self.next_auth {
                        self.next_auth = Instant::now() + REAUTH_EVERY;
                        if auth::authenticate(&self.setup.pool, &self.setup.tokens, &self.setup.access_token)
                            .await
                            .is_err()
                        {
                            return false;
                        }
                        if Instant::now() < self.next_poll && self.waiting_for == 0 {
                            continue;
                        }
                    }
                    return true;
                }
            }
        }
    }

    /// Re-read the version; `Some(event)` when it grew.
    async fn read(&mut self) -> Option<Event> {
        let now = Instant::now();
        if now >= self.next_poll {
            self.next_poll = now + self.setup.poll;
        }
        let version = match newest_version(&self.setup.pool, &self.setup.user).await {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(error = %e, "event stream: reading the feed version failed");
                return None;
            }
        };
        if self.waiting_for > 0 {
            if version >= self.waiting_for || self.retry >= self.setup.poll {
                self.waiting_for = 0;
            } else {
                self.retry *= 2;
            }
        }
        if self.sent.is_none_or(|s| version > s) {
            self.sent = Some(version);
            return Some(changed(version));
        }
        None
    }
}

/// The event stream of `setup.user` (see the module docs).
pub fn stream(setup: StreamSetup) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ServerError> {
    let user_slot = setup
        .user_streams
        .open(&setup.user.nip, setup.per_user)
        .ok_or_else(|| ServerError::api(Code::EventsTooManyForUser))?;
    let slot = setup.live.hub.open_stream(MAX_STREAMS).ok_or_else(|| ServerError::api(Code::EventsTooMany))?;
    let sub = setup.live.hub.subscribe(feed_keys(&setup.user));
    let poll = setup.poll.max(Duration::from_millis(10));
    let first_poll = Instant::now() + rand::thread_rng().gen_range(poll / 2..=poll);
    let closing = setup.closing.clone();
    if *closing.borrow() {
        return Err(ServerError::api(Code::EventsClosing));
    }
    let state = State {
        closing,
        setup,
        sub,
        _slot: slot,
        _user_slot: user_slot,
        sent: None,
        waiting_for: 0,
        retry: FIRST_RETRY,
        next_poll: first_poll,
        next_auth: Instant::now() + REAUTH_EVERY,
    };
    let events = futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if st.sent.is_some() && !st.wait().await {
                return None;
            }
            if let Some(event) = st.read().await {
                return Some((Ok(event), st));
            }
            if st.sent.is_none() {
                // The very first read failed: try again after a poll interval rather than spin.
                tokio::time::sleep(st.setup.poll).await;
                if *st.closing.borrow() {
                    return None;
                }
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}
