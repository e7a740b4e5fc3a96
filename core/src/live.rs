//! The nudge: while a user is logged in and the sync loop runs, hold `GET /api/v1/events` open (server-sent
//! events) and start a sync at once on every `changed` event whose version the stored cursor does not cover yet. The stream is only a shortcut: the periodic sync
//! with backoff goes on regardless, so when the stream fails nothing is missed, only learnt later. The stream
//! reconnects with backoff; a server without the endpoint (404) is asked again only every few minutes.
//!
//! On a phone the app in the background holds no stream: the shell calls [`Core::pause`] when the app is
//! backgrounded, which closes the stream at once, and [`Core::resume`] when it comes back, which reopens it (the
//! shell also syncs on resume).

use std::sync::{Arc, Weak};
use std::time::Duration;

use mysapk_model::Code;
use serde::Deserialize;
use tokio::sync::{watch, Notify};

use crate::error::CoreError;
use crate::secrets;
use crate::store::meta;
use crate::sync::backoff;
use crate::Core;

/// With no byte (event or keep-alive comment) for this long, the stream is taken as dead and reopened.
const IDLE_TIMEOUT: Duration = Duration::from_secs(75);
/// A server that does not offer the stream (404, 405, 501) is asked again after this long.
const UNSUPPORTED_RETRY: Duration = Duration::from_secs(300);
/// Opening the stream (connect and the answer's head) may take this long.
const OPEN_TIMEOUT: Duration = Duration::from_secs(15);
/// Without a session, look again after this long (a login also wakes the task at once).
const NO_SESSION_WAIT: Duration = Duration::from_secs(60);
/// A line longer than this is not an event of ours: the stream is dropped.
const MAX_LINE: usize = 64 * 1024;

/// One dispatched server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    pub event: String,
    pub data: String,
}

/// The data of a `changed` event.
#[derive(Debug, Deserialize)]
struct Changed {
    version: u64,
}

/// A small incremental parser of the `text/event-stream` format: fields `event` and `data` (others ignored),
/// comment lines (`:`) skipped, an empty line dispatches, lines end in LF or CRLF.
#[derive(Debug, Default)]
pub(crate) struct SseParser {
    line: Vec<u8>,
    event: String,
    data: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("event stream line longer than {MAX_LINE} bytes")]
pub(crate) struct LineTooLong;

impl SseParser {
    /// Feed the next bytes; returns the events completed by them.
    pub(crate) fn feed(&mut self, bytes: &[u8]) -> Result<Vec<SseEvent>, LineTooLong> {
        let mut out = Vec::new();
        for &b in bytes {
            if b == b'\n' {
                let mut line = std::mem::take(&mut self.line);
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if let Some(e) = self.line_done(&String::from_utf8_lossy(&line)) {
                    out.push(e);
                }
            } else {
                if self.line.len() >= MAX_LINE {
                    return Err(LineTooLong);
                }
                self.line.push(b);
            }
        }
        Ok(out)
    }

    fn line_done(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let event = std::mem::take(&mut self.event);
            let data = self.data.take()?;
            let event = if event.is_empty() { "message".to_owned() } else { event };
            return Some(SseEvent { event, data });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = value.to_owned(),
            "data" => match &mut self.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => self.data = Some(value.to_owned()),
            },
            _ => {}
        }
        None
    }
}

/// How one connection ended.
enum Ended {
    /// The session changed (login, logout) or the core is gone: look again at once.
    Session,
    /// The app went to the background ([`Core::pause`]): wait for [`Core::resume`].
    Paused,
    /// No session: wait for one.
    NoSession,
    /// The server does not offer the stream.
    Unsupported,
    /// Connected and received at least one event before the stream broke.
    Broke,
    /// Could not connect (network, 5xx, auth).
    Failed,
}

impl Core {
    /// Start the event stream task beside the sync loop. It ends when the core is dropped.
    pub(crate) fn spawn_live(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let weak = Arc::downgrade(self);
        let nudge = Arc::clone(&self.nudge);
        let session = self.session.subscribe();
        let foreground = self.foreground.subscribe();
        tokio::spawn(run_live(weak, nudge, session, foreground))
    }

    /// The app went to the background: the event stream closes at once and stays closed until [`Core::resume`].
    /// The sync loop is not stopped (the platform suspends it); nothing is lost, the next sync pulls it.
    pub fn pause(&self) {
        self.foreground.send_replace(false);
    }

    /// The app is in the foreground again: the event stream reopens.
    pub fn resume(&self) {
        self.foreground.send_replace(true);
    }

    /// Whether the app is in the foreground (not paused).
    pub fn in_foreground(&self) -> bool {
        *self.foreground.borrow()
    }
}

/// Wait until the app is in the foreground; `false` when the core is gone.
async fn until_foreground(foreground: &mut watch::Receiver<bool>) -> bool {
    foreground.wait_for(|f| *f).await.is_ok()
}

async fn run_live(
    weak: Weak<Core>,
    nudge: Arc<Notify>,
    mut session: watch::Receiver<u64>,
    mut foreground: watch::Receiver<bool>,
) {
    let mut failures: u32 = 0;
    loop {
        if weak.strong_count() == 0 || !until_foreground(&mut foreground).await {
            return;
        }
        session.borrow_and_update();
        let ended = connect_and_read(&weak, &nudge, &mut session, &mut foreground).await;
        let wait = match ended {
            Ended::Session => {
                failures = 0;
                continue;
            }
            Ended::Paused => {
                tracing::debug!("event stream closed: the app is in the background");
                failures = 0;
                continue;
            }
            Ended::NoSession => {
                failures = 0;
                NO_SESSION_WAIT
            }
            Ended::Unsupported => UNSUPPORTED_RETRY,
            Ended::Broke => {
                failures = 1;
                backoff(failures)
            }
            Ended::Failed => {
                failures = failures.saturating_add(1);
                backoff(failures)
            }
        };
        if weak.strong_count() == 0 {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            changed = session.changed() => {
                if changed.is_err() {
                    return;
                }
            }
            // Paused while waiting: the loop's head waits for the resume, which then connects at once.
            paused = foreground.wait_for(|f| !*f) => {
                if paused.is_err() {
                    return;
                }
            }
        }
    }
}

/// Open the stream and read it until it ends; nudge the sync loop on every `changed` event.
async fn connect_and_read(
    weak: &Weak<Core>,
    nudge: &Notify,
    session: &mut watch::Receiver<u64>,
    foreground: &mut watch::Receiver<bool>,
) -> Ended {
    let opened = {
        let Some(core) = weak.upgrade() else { return Ended::Session };
        let Some(account) = core.current() else { return Ended::NoSession };
        // Refused until the second factor is confirmed, which bumps the session and ends the wait.
        if crate::mfa::enrollment_pending(&account) {
            return Ended::NoSession;
        }
        let nip = account.user.nip.clone();
        tokio::select! {
            opened = open_stream(&core, &nip) => opened,
            _ = foreground.wait_for(|f| !*f) => return Ended::Paused,
        }
    };
    let mut response = match opened {
        Ok(r) => r,
        Err(CoreError::Server { status: 404 | 405 | 501, .. }) => {
            tracing::debug!("the server offers no event stream");
            return Ended::Unsupported;
        }
        Err(e) if e.needs_login() || matches!(e, CoreError::MfaEnrollmentRequired) => return Ended::NoSession,
        Err(e) => {
            tracing::debug!(code = e.code().as_str(), "event stream not opened");
            return Ended::Failed;
        }
    };
    tracing::debug!("event stream open");
    let mut parser = SseParser::default();
    let mut received = false;
    loop {
        let chunk = tokio::select! {
            chunk = tokio::time::timeout(IDLE_TIMEOUT, response.chunk()) => chunk,
            _ = session.changed() => return Ended::Session,
            _ = foreground.wait_for(|f| !*f) => return Ended::Paused,
        };
        let bytes = match chunk {
            Ok(Ok(Some(bytes))) => bytes,
            Ok(Ok(None)) | Ok(Err(_)) | Err(_) => {
                tracing::debug!("event stream ended");
                return if received { Ended::Broke } else { Ended::Failed };
            }
        };
        let events = match parser.feed(&bytes) {
            Ok(events) => events,
            Err(e) => {
                tracing::warn!("{e}");
                return Ended::Failed;
            }
        };
        for event in events.into_iter().filter(|e| e.event == "changed") {
            received = true;
            let version = serde_json::from_str::<Changed>(&event.data).ok().map(|c| c.version);
            if version.is_some_and(|v| pulled_up_to(weak, v)) {
                tracing::trace!(version, "change feed already pulled");
                continue;
            }
            tracing::debug!(version, "change feed grew");
            nudge.notify_one();
        }
    }
}

/// Open the stream with the stored access token. Only a refresh takes the sync lock (refresh tokens rotate), and
/// only when the sync engine has not refreshed meanwhile: connecting never holds the lock, so a slow network never
/// keeps the outbox from being sent.
async fn open_stream(core: &Core, nip: &str) -> Result<reqwest::Response, CoreError> {
    let access = secrets::load(nip)?.ok_or(CoreError::NotLoggedIn)?.access.expose().to_owned();
    let open = |access: String| async move {
        tokio::time::timeout(OPEN_TIMEOUT, core.http.events(&access)).await.unwrap_or(Err(CoreError::Timeout))
    };
    match open(access.clone()).await {
        Err(CoreError::Auth(e)) if e.code == Code::AuthExpiredToken.as_str() => {
            let fresh = {
                let _guard = core.sync_lock.lock().await;
                let mut tokens = secrets::load(nip)?.ok_or(CoreError::NotLoggedIn)?;
                if tokens.access.expose() == access {
                    core.refresh_tokens(nip, &mut tokens).await?;
                }
                tokens.access.expose().to_owned()
            };
            open(fresh).await
        }
        other => other,
    }
}

/// The stored cursor already covers `version` (the cursor is the last version pulled; one that is not a number
/// covers nothing, so the event is followed).
fn pulled_up_to(weak: &Weak<Core>, version: u64) -> bool {
    let Some(account) = weak.upgrade().and_then(|core| core.current()) else { return false };
    let cursor = account.store.read(|c| meta::get(c, meta::CURSOR)).ok().flatten();
    cursor.and_then(|c| c.parse::<u64>().ok()).is_some_and(|c| c >= version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_comments_and_split_chunks() {
        let mut p = SseParser::default();
        assert_eq!(p.feed(b": keep-alive\n\n").expect("feed"), []);
        assert_eq!(p.feed(b"event: chan").expect("feed"), []);
        let got =
            p.feed(b"ged\r\ndata: {\"version\": 7}\r\n\r\nevent:changed\ndata:{\"version\":8}\n\n").expect("feed");
        assert_eq!(
            got,
            [
                SseEvent { event: "changed".into(), data: "{\"version\": 7}".into() },
                SseEvent { event: "changed".into(), data: "{\"version\":8}".into() },
            ]
        );
        let c: Changed = serde_json::from_str(&got[0].data).expect("json");
        assert_eq!(c.version, 7);
    }

    #[test]
    fn multi_line_data_and_default_type() {
        let mut p = SseParser::default();
        let got = p.feed(b"data: a\ndata: b\nid: 3\n\n").expect("feed");
        assert_eq!(got, [SseEvent { event: "message".into(), data: "a\nb".into() }]);
    }

    #[test]
    fn an_endless_line_is_refused() {
        let mut p = SseParser::default();
        assert!(p.feed(&vec![b'x'; MAX_LINE + 1]).is_err());
    }
}
