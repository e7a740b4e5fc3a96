//! Forwards core events to the UI (`sync-status`, `notifications`) and raises a system notification per new
//! notification, worded in the UI's language by the model's [`notification_text`] (the words the inbox shows). Each system notification carries the notification's id and what
//! it links to (`extra`), and a tap on it is forwarded to the UI as `notification-tap` (where the platform
//! reports taps; the inbox shows every notification in any case).

use std::sync::{Arc, RwLock};

use mysapk_core::{Core, CoreEvent};
use mysapk_model::notification::Notification;
use mysapk_model::notification_text::{self, Lang};
use serde_json::{json, Value};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use tokio::sync::broadcast::error::RecvError;

/// Event carrying a `SyncStatus`.
pub const SYNC_STATUS_EVENT: &str = "sync-status";
/// Event carrying the new `Notification`s.
pub const NOTIFICATIONS_EVENT: &str = "notifications";
/// Event sent when the user taps a system notification: the `extra` of [`tap_extra`] (`notification_id`, `kind`,
/// `usulan_id`, `history_kind`, `service`, `layanan`), so the UI opens the related item.
pub const NOTIFICATION_TAP_EVENT: &str = "notification-tap";

/// What a system notification carries for a tap to open the related item.
pub fn tap_extra(n: &Notification) -> Value {
    json!({
        "notification_id": n.id,
        "kind": n.kind,
        "usulan_id": n.usulan_id,
        "history_kind": n.history_kind,
        "service": n.service,
        "layanan": n.layanan,
    })
}

/// A stable 31-bit id of the system notification for a notification id (FNV-1a), so the same notification
/// replaces rather than repeats; a phone's reminder of the same service event has the same id
/// (`mysapk_core::reminders`).
pub use mysapk_core::reminders::system_id;

/// Show one system notification, with its link data.
fn show<R: Runtime>(app: &AppHandle<R>, n: &Notification, lang: Lang) {
    let words = notification_text::words(n, lang);
    let mut builder = app.notification().builder().id(system_id(&n.id)).title(words.title).body(words.body);
    if let Value::Object(extra) = tap_extra(n) {
        for (key, value) in extra {
            builder = builder.extra(key, value);
        }
    }
    if let Err(e) = builder.show() {
        tracing::warn!("system notification: {e}");
    }
}

/// More new notifications than this at once (the first sync, a week offline) raise one summary instead of a
/// pop-up each; the inbox lists them all.
pub const BURST: usize = 3;

/// One system notification for a burst; a tap opens the inbox (no `notification_id` in its link data).
fn show_summary<R: Runtime>(app: &AppHandle<R>, count: usize, lang: Lang) {
    let words = notification_text::summary(count, lang);
    let builder = app
        .notification()
        .builder()
        .id(system_id("summary"))
        .title(words.title)
        .body(words.body)
        .extra("kind", "summary");
    if let Err(e) = builder.show() {
        tracing::warn!("system notification: {e}");
    }
}

/// Forward taps on system notifications to the UI as [`NOTIFICATION_TAP_EVENT`] and bring the main window to
/// the front. Desktop platforms report a tap only as far as their notification server does (the plugin's
/// documentation); where none is reported, the UI's inbox is the way in.
pub fn forward_taps<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let registered = app.notification().on_action(move |performed| {
        if performed.action_id() != "tap" {
            return;
        }
        let extra: serde_json::Map<String, Value> = performed
            .notification()
            .map(|n| n.extra().iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        if let Err(e) = handle.emit(NOTIFICATION_TAP_EVENT, Value::Object(extra)) {
            tracing::warn!("emit {NOTIFICATION_TAP_EVENT}: {e}");
        }
        if let Some(w) = handle.get_webview_window("main") {
            let _ = w.unminimize();
            let _ = w.set_focus();
        }
    });
    if let Err(e) = registered {
        tracing::warn!("notification taps: {e}");
    }
}

/// Forward the core's events until the core goes away. Runs on the async runtime.
/// On a phone the service reminders are scheduled at start and again after every sync that brought something
/// (`reminders::reschedule` does nothing when they did not change).
pub async fn forward_events<R: Runtime>(app: AppHandle<R>, core: Arc<Core>) {
    let mut rx = core.subscribe();
    #[cfg(mobile)]
    let mut synced_at = core.status().last_synced_at;
    drop(core);
    #[cfg(mobile)]
    crate::reminders::reschedule_in_background(&app);
    loop {
        match rx.recv().await {
            Ok(CoreEvent::Status(status)) => {
                if let Err(e) = app.emit(SYNC_STATUS_EVENT, &status) {
                    tracing::warn!("emit {SYNC_STATUS_EVENT}: {e}");
                }
                #[cfg(mobile)]
                if status.last_synced_at != synced_at {
                    synced_at = status.last_synced_at;
                    crate::reminders::reschedule_in_background(&app);
                }
            }
            Ok(CoreEvent::NewNotifications(items)) => {
                let lang = app.state::<RwLock<Lang>>().read().map(|l| *l).unwrap_or_default();
                if items.len() > BURST {
                    show_summary(&app, items.len(), lang);
                } else {
                    for n in &items {
                        show(&app, n, lang);
                    }
                }
                if let Err(e) = app.emit(NOTIFICATIONS_EVENT, &items) {
                    tracing::warn!("emit {NOTIFICATIONS_EVENT}: {e}");
                }
            }
            Err(RecvError::Lagged(n)) => tracing::debug!("skipped {n} core events"),
            Err(RecvError::Closed) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mysapk_model::history::HistoryKind;
    use mysapk_model::notification::NotificationKind;
    use mysapk_model::services::ServiceKind;

    #[test]
    fn a_system_notification_carries_its_link_and_a_stable_id() {
        let n = Notification {
            history_kind: Some(HistoryKind::Skp),
            service: Some(ServiceKind::SkpMissing),
            due_date: chrono::NaiveDate::from_ymd_opt(2025, 12, 31),
            ..Notification::new("svc:199001012015031001:skp:2025", NotificationKind::Service, chrono::Utc::now())
        };
        let extra = tap_extra(&n);
        assert_eq!(extra["notification_id"], "svc:199001012015031001:skp:2025");
        assert_eq!(extra["kind"], "service");
        assert_eq!(extra["service"], "skp_missing");
        assert_eq!(extra["history_kind"], "skp");
        assert_eq!(system_id(&n.id), system_id("svc:199001012015031001:skp:2025"));
        assert!(system_id(&n.id) >= 0);
        assert_ne!(system_id("a"), system_id("b"));
    }
}
