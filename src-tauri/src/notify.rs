//! Forwards core events to the UI (`sync-status`, `notifications`) and raises a system notification per new
//! notification, worded in the UI's language.

use std::sync::{Arc, RwLock};

use mysapk_core::{Core, CoreEvent};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::HistoryKind;
use mysapk_model::usulan::UsulanState;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

/// Event carrying a `SyncStatus`.
pub const SYNC_STATUS_EVENT: &str = "sync-status";
/// Event carrying the new `Notification`s.
pub const NOTIFICATIONS_EVENT: &str = "notifications";

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
    let what = match (n.history_kind, locale) {
        (Some(HistoryKind::Golongan), Locale::Id) => "riwayat golongan",
        (Some(HistoryKind::Jabatan), Locale::Id) => "riwayat jabatan",
        (Some(HistoryKind::Pendidikan), Locale::Id) => "riwayat pendidikan",
        (None, Locale::Id) => "data pribadi",
        (Some(HistoryKind::Golongan), Locale::En) => "rank history",
        (Some(HistoryKind::Jabatan), Locale::En) => "position history",
        (Some(HistoryKind::Pendidikan), Locale::En) => "education history",
        (None, Locale::En) => "personal details",
        (Some(kind), Locale::Id) => kind.rule().label_id,
        (Some(kind), Locale::En) => kind.rule().label_en,
    };
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
                for n in &items {
                    let (title, body) = notification_text(n, locale);
                    if let Err(e) = app.notification().builder().title(title).body(body).show() {
                        tracing::warn!("system notification: {e}");
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

    fn chrono_now() -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now()
    }
}
