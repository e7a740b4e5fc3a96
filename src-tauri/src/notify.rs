//! Forwards core events to the UI (`sync-status`, `notifications`) and raises a system notification per new
//! notification, worded in the UI's language. Each system notification carries the notification's id and what
//! it links to (`extra`), and a tap on it is forwarded to the UI as `notification-tap` (where the platform
//! reports taps; the inbox shows every notification in any case).

use std::sync::{Arc, RwLock};

use mysapk_core::{Core, CoreEvent};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::usulan::UsulanState;
use serde_json::{json, Value};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::notify_text;
use tokio::sync::broadcast::error::RecvError;

/// Event carrying a `SyncStatus`.
pub const SYNC_STATUS_EVENT: &str = "sync-status";
/// Event carrying the new `Notification`s.
pub const NOTIFICATIONS_EVENT: &str = "notifications";
/// Event sent when the user taps a system notification: the `extra` of [`tap_extra`] (`notification_id`, `kind`,
/// `usulan_id`, `history_kind`, `service`, `layanan`), so the UI opens the related item.
pub const NOTIFICATION_TAP_EVENT: &str = "notification-tap";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Id,
    En,
}

impl Locale {
    pub fn parse(s: &str) -> Self {
        if s.eq_ignore_ascii_case("en") {
            Locale::En
        } else {
            Locale::Id
        }
    }
}

/// Title and body of the system notification for one notification.
pub fn notification_text(n: &Notification, locale: Locale) -> (String, String) {
    match n.kind {
        NotificationKind::Service => return notify_text::service_text(n, locale),
        NotificationKind::Layanan => return notify_text::layanan_text(n, locale),
        NotificationKind::UsulanState | NotificationKind::Announcement => {}
    }
    if n.kind == NotificationKind::Announcement {
        let title = n.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).unwrap_or(match locale {
            Locale::Id => "Pengumuman",
            Locale::En => "Announcement",
        });
        return (title.to_owned(), n.body.clone().unwrap_or_default());
    }
    let title = match locale {
        Locale::Id => "Usulan perbaikan data",
        Locale::En => "Correction proposal",
    };
    let what = notify_text::kind_label(n.history_kind, locale);
    let state = match (n.state, locale) {
        (Some(UsulanState::Queued), Locale::Id) => "menunggu dikirim",
        (Some(UsulanState::Submitted), Locale::Id) => "terkirim",
        (Some(UsulanState::Verified), Locale::Id) => "diverifikasi",
        (Some(UsulanState::Approved), Locale::Id) => "disetujui",
        (Some(UsulanState::Returned), Locale::Id) => "dikembalikan",
        (Some(UsulanState::Rejected), Locale::Id) => "ditolak",
        (Some(UsulanState::Withdrawn), Locale::Id) => "ditarik",
        (None, Locale::Id) => "diperbarui",
        (Some(UsulanState::Queued), Locale::En) => "waiting to be sent",
        (Some(UsulanState::Submitted), Locale::En) => "submitted",
        (Some(UsulanState::Verified), Locale::En) => "verified",
        (Some(UsulanState::Approved), Locale::En) => "approved",
        (Some(UsulanState::Returned), Locale::En) => "returned",
        (Some(UsulanState::Rejected), Locale::En) => "rejected",
        (Some(UsulanState::Withdrawn), Locale::En) => "withdrawn",
        (None, Locale::En) => "updated",
    };
    let mut body = match locale {
        Locale::Id => format!("Usulan {what} Anda {state}."),
        Locale::En => format!("Your {what} proposal was {state}."),
    };
    if let Some(reason) = n.reason.as_deref().filter(|r| !r.trim().is_empty()) {
        body.push(' ');
        body.push_str(match locale {
            Locale::Id => "Alasan: ",
            Locale::En => "Reason: ",
        });
        body.push_str(reason);
    }
    (title.to_owned(), body)
}

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
/// replaces rather than repeats.
pub fn system_id(notification_id: &str) -> i32 {
    let hash = notification_id.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    i32::try_from(hash & 0x7fff_ffff).unwrap_or_default()
}

/// Show one system notification, with its link data.
fn show<R: Runtime>(app: &AppHandle<R>, n: &Notification, locale: Locale) {
    let (title, body) = notification_text(n, locale);
    let mut builder = app.notification().builder().id(system_id(&n.id)).title(title).body(body);
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

/// Title and body of the summary of `count` new notifications.
pub fn summary_text(count: usize, locale: Locale) -> (String, String) {
    match locale {
        Locale::Id => ("MySAPK".to_owned(), format!("{count} pemberitahuan baru. Buka kotak masuk untuk melihatnya.")),
        Locale::En => ("MySAPK".to_owned(), format!("{count} new notifications. Open the inbox to see them.")),
    }
}

/// One system notification for a burst; a tap opens the inbox (no `notification_id` in its link data).
fn show_summary<R: Runtime>(app: &AppHandle<R>, count: usize, locale: Locale) {
    let (title, body) = summary_text(count, locale);
    let builder =
        app.notification().builder().id(system_id("summary")).title(title).body(body).extra("kind", "summary");
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
pub async fn forward_events<R: Runtime>(app: AppHandle<R>, core: Arc<Core>) {
    let mut rx = core.subscribe();
    drop(core);
    loop {
        match rx.recv().await {
            Ok(CoreEvent::Status(status)) => {
                if let Err(e) = app.emit(SYNC_STATUS_EVENT, &status) {
                    tracing::warn!("emit {SYNC_STATUS_EVENT}: {e}");
                }
            }
            Ok(CoreEvent::NewNotifications(items)) => {
                let locale = app.state::<RwLock<Locale>>().read().map(|l| *l).unwrap_or_default();
                if items.len() > BURST {
                    show_summary(&app, items.len(), locale);
                } else {
                    for n in &items {
                        show(&app, n, locale);
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
    use mysapk_model::record::HistoryKind;

    #[test]
    fn a_burst_is_one_summary_in_both_languages() {
        assert_eq!(summary_text(14, Locale::Id).1, "14 pemberitahuan baru. Buka kotak masuk untuk melihatnya.");
        assert_eq!(summary_text(14, Locale::En).1, "14 new notifications. Open the inbox to see them.");
    }

    #[test]
    fn texts_in_both_languages() {
        let n = Notification {
            id: "n1".into(),
            kind: NotificationKind::UsulanState,
            usulan_id: Some("u1".into()),
            state: Some(UsulanState::Returned),
            history_kind: Some(HistoryKind::Jabatan),
            reason: Some("SK buram".into()),
            title: None,
            body: None,
            service: None,
            due_date: None,
            layanan: None,
            stage: None,
            created_at: chrono_now(),
            read: false,
        };
        assert_eq!(notification_text(&n, Locale::Id).1, "Usulan riwayat jabatan Anda dikembalikan. Alasan: SK buram");
        assert_eq!(
            notification_text(&n, Locale::En).1,
            "Your position history proposal was returned. Reason: SK buram"
        );
    }

    #[test]
    fn announcements_carry_their_own_text() {
        let mut n = Notification {
            id: "n2".into(),
            kind: NotificationKind::Announcement,
            usulan_id: None,
            state: None,
            history_kind: None,
            reason: None,
            title: Some("Libur nasional".into()),
            body: Some("Kantor tutup tanggal 17.".into()),
            service: None,
            due_date: None,
            layanan: None,
            stage: None,
            created_at: chrono_now(),
            read: false,
        };
        assert_eq!(
            notification_text(&n, Locale::En),
            ("Libur nasional".to_owned(), "Kantor tutup tanggal 17.".to_owned())
        );
        n.title = None;
        assert_eq!(notification_text(&n, Locale::Id).0, "Pengumuman");
    }

    #[test]
    fn new_kinds_are_worded_and_carry_their_link() {
        let mut n = Notification {
            id: "svc:199001012015031001:skp:2025".into(),
            kind: NotificationKind::Service,
            usulan_id: None,
            state: None,
            history_kind: Some(HistoryKind::Skp),
            reason: None,
            title: None,
            body: None,
            service: Some(mysapk_model::services::ServiceKind::SkpMissing),
            due_date: chrono::NaiveDate::from_ymd_opt(2025, 12, 31),
            layanan: None,
            stage: None,
            created_at: chrono_now(),
            read: false,
        };
        assert_eq!(notification_text(&n, Locale::Id).0, "SKP belum tercatat");
        let extra = tap_extra(&n);
        assert_eq!(extra["notification_id"], "svc:199001012015031001:skp:2025");
        assert_eq!(extra["kind"], "service");
        assert_eq!(extra["service"], "skp_missing");
        assert_eq!(extra["history_kind"], "skp");
        n.kind = NotificationKind::Layanan;
        n.layanan = Some(mysapk_model::services::LayananKind::Cuti);
        n.stage = Some(mysapk_model::services::LayananStage::Disetujui);
        n.body = Some("Cuti tahunan disetujui.".into());
        assert_eq!(
            notification_text(&n, Locale::En),
            ("Leave: approved".to_owned(), "Cuti tahunan disetujui.".to_owned())
        );
        assert_eq!(system_id(&n.id), system_id("svc:199001012015031001:skp:2025"));
        assert!(system_id(&n.id) >= 0);
        assert_ne!(system_id("a"), system_id("b"));
    }

    fn chrono_now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }
}
