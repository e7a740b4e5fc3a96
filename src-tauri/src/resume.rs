//! Sync when the user comes back: on a phone when the app resumes (`WindowEvent::Resumed`: Android's `onResume`,
//! iOS's `applicationWillEnterForeground`), on desktop when a window gains focus after having been in the
//! background for at least a minute. On a phone the core's event stream is closed while the app is in the
//! background (`WindowEvent::Suspended` → `Core::pause`) and reopened on resume (`Core::resume`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use tauri::{AppHandle, Manager, Runtime};

use crate::commands::AppCore;

/// How long a desktop window must have been in the background for focus to start a sync.
pub const AWAY: Duration = Duration::from_secs(60);

/// When the app's windows last lost focus.
#[derive(Debug, Default)]
pub struct FocusGate {
    blurred_at: Mutex<Option<Instant>>,
}

impl FocusGate {
    /// A window gained (`true`) or lost focus at `now`; `true` when this is a return after at least [`AWAY`].
    pub fn focus_changed(&self, focused: bool, now: Instant) -> bool {
        let mut blurred = self.blurred_at.lock().unwrap_or_else(|p| p.into_inner());
        if focused {
            blurred.take().is_some_and(|at| now.saturating_duration_since(at) >= AWAY)
        } else {
            blurred.get_or_insert(now);
            false
        }
    }
}

/// Start a sync in the background (its outcome reaches the UI as `sync-status`).
pub fn sync_in_background<R: Runtime>(app: &AppHandle<R>) {
    let Some(core) = app.try_state::<AppCore>().map(|c| std::sync::Arc::clone(&c.0)) else { return };
    tauri::async_runtime::spawn(async move {
        if let Err(e) = core.sync_now().await {
            tracing::debug!(code = e.code().as_str(), "sync on resume failed");
        }
    });
}

/// A window's focus changed (desktop; a phone follows its lifecycle instead, see [`on_lifecycle`]).
pub fn on_focus<R: Runtime>(app: &AppHandle<R>, focused: bool) {
    if cfg!(mobile) {
        return;
    }
    let back = app.try_state::<FocusGate>().is_some_and(|g| g.focus_changed(focused, Instant::now()));
    if back {
        tracing::debug!("back after a while: syncing");
        sync_in_background(app);
    }
}

/// Phones: the app went to the background (no event stream then) or came back (the stream reopens, a sync
/// starts, and the reminders are scheduled again once it brought something).
#[cfg(mobile)]
pub fn on_lifecycle<R: Runtime>(app: &AppHandle<R>, event: &tauri::WindowEvent) {
    let Some(core) = app.try_state::<AppCore>().map(|c| std::sync::Arc::clone(&c.0)) else { return };
    match event {
        tauri::WindowEvent::Suspended => {
            tracing::debug!("in the background: event stream closed");
            core.pause();
        }
        tauri::WindowEvent::Resumed => {
            tracing::debug!("back in the foreground: syncing");
            core.resume();
            sync_in_background(app);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_after_a_minute_away_syncs() {
        let gate = FocusGate::default();
        let t0 = Instant::now();
        assert!(!gate.focus_changed(true, t0), "first focus: nothing to come back from");
        assert!(!gate.focus_changed(false, t0));
        assert!(!gate.focus_changed(true, t0 + Duration::from_secs(59)), "a short switch");
        assert!(!gate.focus_changed(false, t0 + Duration::from_secs(60)));
        // A second blur keeps the first time (two windows losing focus one after the other).
        assert!(!gate.focus_changed(false, t0 + Duration::from_secs(90)));
        assert!(gate.focus_changed(true, t0 + Duration::from_secs(120)));
        assert!(!gate.focus_changed(true, t0 + Duration::from_secs(500)), "already counted");
    }
}
