//! Phones: the local service reminders (`mysapk_core::reminders`) handed to the notification plugin's schedule
//! (`Schedule::At`), so they arrive with the app closed. Scheduled at start and again after each sync that
//! changed them (or the UI's language): reminders no longer in the list are cancelled, the others scheduled under
//! their stable ids, which replaces and never duplicates. Desktop schedules nothing (the plugin's desktop side
//! would show a scheduled notification at once); the server's notifications reach it at the next sync.

use chrono::{Local, NaiveDateTime, TimeZone};
use mysapk_core::reminders::Reminder;
use mysapk_model::notification_text::{self, Lang, Words};
use serde_json::{json, Value};
use tauri_plugin_notification::Schedule;

/// What the platform has been given last: the list and the language of its words.
#[derive(Debug, Default)]
#[cfg_attr(not(mobile), allow(dead_code))]
pub struct Scheduled(pub std::sync::Mutex<Option<(Vec<Reminder>, Lang)>>);

/// The plugin's schedule for a local date-time (in the device's time zone; a time that does not exist there, in a
/// daylight-saving gap, fires at the first valid instant after it; `None` when there is none).
#[cfg_attr(not(mobile), allow(dead_code))]
pub fn schedule_at(at: NaiveDateTime) -> Option<Schedule> {
    let local = Local.from_local_datetime(&at).earliest().or_else(|| {
        let later = at.checked_add_signed(chrono::Duration::hours(1))?;
        Local.from_local_datetime(&later).earliest()
    })?;
    let value = json!({ "at": { "date": local.to_rfc3339(), "repeating": false, "allowWhileIdle": true } });
    serde_json::from_value(value).ok()
}

/// The words and the tap's link data of a reminder: those of the server's notification of the same event.
#[cfg_attr(not(mobile), allow(dead_code))]
pub fn content(reminder: &Reminder, lang: Lang) -> (Words, Value) {
    let n = reminder.notification(chrono::Utc::now());
    (notification_text::words(&n, lang), crate::notify::tap_extra(&n))
}

/// [`reschedule`] on a blocking thread: the plugin's calls wait for the platform, and the event forwarding that
/// asks for it must never wait on them.
#[cfg(mobile)]
pub fn reschedule_in_background<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    let app = app.clone();
    drop(tauri::async_runtime::spawn_blocking(move || reschedule(&app)));
}

/// Schedule the reminders of the logged-in user if they changed since last time (a no-op otherwise).
#[cfg(mobile)]
pub fn reschedule<R: tauri::Runtime>(app: &tauri::AppHandle<R>) {
    use std::collections::HashSet;
    use std::sync::RwLock;

    use tauri::Manager;
    use tauri_plugin_notification::NotificationExt;

    let Some(core) = app.try_state::<crate::commands::AppCore>().map(|c| std::sync::Arc::clone(&c.0)) else {
        return;
    };
    let list = match core.reminders(Local::now().naive_local()) {
        Ok(list) => list,
        Err(e) => {
            tracing::warn!(code = e.code().as_str(), "reminders not computed");
            return;
        }
    };
    let lang = app.state::<RwLock<Lang>>().read().map(|l| *l).unwrap_or_default();
    let Some(scheduled) = app.try_state::<Scheduled>() else { return };
    let mut last = scheduled.0.lock().unwrap_or_else(|p| p.into_inner());
    if last.as_ref().is_some_and(|(l, g)| *l == list && *g == lang) {
        return;
    }
    let notifications = app.notification();
    // Everything this app schedules is a reminder: a pending one not in the new list is stale.
    let keep: HashSet<i32> = list.iter().map(|r| r.id).collect();
    match notifications.pending() {
        Ok(pending) => {
            let stale: Vec<i32> = pending.iter().map(|p| p.id()).filter(|id| !keep.contains(id)).collect();
            if !stale.is_empty() {
                if let Err(e) = notifications.cancel(stale) {
                    tracing::warn!("cancel stale reminders: {e}");
                }
            }
        }
        Err(e) => tracing::warn!("pending reminders: {e}"),
    }
    let mut ok = true;
    for reminder in &list {
        let Some(schedule) = schedule_at(reminder.at) else { continue };
        let (words, extra) = content(reminder, lang);
        let mut builder =
            notifications.builder().id(reminder.id).title(words.title).body(words.body).schedule(schedule);
        if let Value::Object(extra) = extra {
            for (key, value) in extra {
                builder = builder.extra(key, value);
            }
        }
        if let Err(e) = builder.show() {
            ok = false;
            tracing::warn!("schedule a reminder: {e}");
        }
    }
    tracing::debug!(count = list.len(), "reminders scheduled");
    *last = ok.then_some((list, lang));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, Timelike};
    use mysapk_model::services::{ServiceEvent, ServiceKind};

    #[test]
    fn a_reminder_becomes_an_at_schedule_in_local_time_with_the_server_words() {
        let at = NaiveDate::from_ymd_opt(2028, 1, 2).and_then(|d| d.and_hms_opt(8, 0, 0)).expect("date");
        let Some(Schedule::At { date, repeating, allow_while_idle }) = schedule_at(at) else {
            panic!("an At schedule")
        };
        assert!(!repeating);
        assert!(allow_while_idle);
        let local = Local.from_local_datetime(&at).earliest().expect("local");
        assert_eq!(date.unix_timestamp(), local.timestamp());
        assert_eq!(local.hour(), 8);

        let due = NaiveDate::from_ymd_opt(2028, 4, 1).expect("date");
        let reminder = Reminder {
            id: mysapk_core::reminders::system_id("svc:199001012015031001:kp:2028-04-01"),
            notification_id: "svc:199001012015031001:kp:2028-04-01".into(),
            at,
            event: ServiceEvent {
                key: "kp:2028-04-01".into(),
                kind: ServiceKind::KenaikanPangkat,
                due,
                history_kind: None,
                lead_months: None,
            },
        };
        let (words, extra) = content(&reminder, Lang::Id);
        assert_eq!(words.title, "Kenaikan pangkat");
        assert!(words.body.contains("2028"), "{}", words.body);
        assert_eq!(extra["notification_id"], "svc:199001012015031001:kp:2028-04-01");
        assert_eq!(extra["service"], "kenaikan_pangkat");
        let (en, _) = content(&reminder, Lang::En);
        assert_eq!(en.title, "Promotion due");
    }
}
