//! The local service reminders of a phone: the promotion (KP), salary step (KGB) and retirement (BUP) dates the
//! device already knows from the synced record, as notifications the platform delivers at a date and time with
//! the app closed. This module computes the schedule (pure, unit-tested); the shell hands it to the notification
//! plugin on Android and iOS (`src-tauri/src/reminders.rs`). Desktop needs none: the server's notifications
//! arrive at the next sync and the desktop app is opened daily where it is used.
//!
//! The dates follow the model's rules ([`SERVICE_RULES`]); each reminder fires at [`REMIND_AT`] local time:
//! - KP: when the server starts telling (`kp_notice_days` before the due date) and on the due date;
//! - KGB: the same for the next two steps (`kgb_notice_days` before, and on the date);
//! - BUP: at each lead (`bup_lead_months` before the retirement date).
//!
//! Only reminders still in the future are scheduled. Their ids are stable: a notice reminder has the id of the
//! server's notification of the same event ([`system_id`] of [`ServiceEvent::notification_id`]), so the one the
//! sync brings replaces it instead of showing twice; a due-day reminder has its own (`…:due`). Scheduling the
//! same list again replaces every reminder and never duplicates one.

use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use mysapk_model::history::{HistoryData, HistoryRecord};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::services::{self, ServiceEvent, ServiceRules, SERVICE_RULES};
use mysapk_model::Nip;

use crate::error::CoreError;
use crate::store::records;
use crate::Core;

/// The local time of day a reminder fires.
pub const REMIND_AT: NaiveTime = match NaiveTime::from_hms_opt(8, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// How many salary steps ahead are scheduled (the list is recomputed at every launch and sync).
const KGB_STEPS: usize = 2;

/// A stable 31-bit id of a system notification for a notification id (FNV-1a): the same notification (a server
/// notification or a reminder of the same event) replaces rather than repeats.
pub fn system_id(notification_id: &str) -> i32 {
    let hash = notification_id.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    i32::try_from(hash & 0x7fff_ffff).unwrap_or_default()
}

/// One local notification to schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// The system notification id ([`system_id`] of `notification_id`).
    pub id: i32,
    /// `svc:<nip>:<key>`: for a notice, the id of the server's notification of the same event.
    pub notification_id: String,
    /// When it fires, in the device's local time.
    pub at: NaiveDateTime,
    /// What falls due, and when.
    pub event: ServiceEvent,
}

impl Reminder {
    /// The notification it shows, for the model's words (`notification_text::words`) and the tap's link data.
    pub fn notification(&self, now: DateTime<Utc>) -> Notification {
        Notification {
            service: Some(self.event.kind),
            due_date: Some(self.event.due),
            history_kind: self.event.history_kind,
            lead_months: self.event.lead_months,
            ..Notification::new(self.notification_id.clone(), NotificationKind::Service, now)
        }
    }
}

/// What the schedule reads of one ASN.
pub struct ReminderInput<'a> {
    pub nip: &'a Nip,
    pub tanggal_lahir: NaiveDate,
    pub records: &'a [&'a HistoryRecord],
}

/// The reminders still to come after `now` (local time), ordered by time then id.
pub fn schedule(input: &ReminderInput<'_>, now: NaiveDateTime, rules: &ServiceRules) -> Vec<Reminder> {
    let today = now.date();
    let data: Vec<&HistoryData> = input.records.iter().map(|r| &r.data).collect();
    let mut out = Vec::new();
    let mut add = |event: ServiceEvent, day: Option<NaiveDate>, suffix: &str| {
        let Some(day) = day else { return };
        let at = day.and_time(REMIND_AT);
        if at <= now {
            return;
        }
        let notification_id = format!("{}{suffix}", event.notification_id(input.nip));
        out.push(Reminder { id: system_id(&notification_id), notification_id, at, event });
    };

    // KP: from the current golongan, unless it is the last one.
    if let Some(due) = services::kp_due(&data, today, rules) {
        let event = ServiceEvent::kenaikan_pangkat(due);
        add(event.clone(), due.checked_sub_signed(chrono::Duration::days(rules.kp_notice_days)), "");
        add(event, Some(due), ":due");
    }

    // KGB: the next steps on or after today, counted from the TMT CPNS.
    if let Some(tmt_cpns) = services::tmt_cpns(&data) {
        for due in services::kgb_steps(tmt_cpns, today, rules).take(KGB_STEPS) {
            let event = ServiceEvent::kgb(due);
            add(event.clone(), due.checked_sub_signed(chrono::Duration::days(rules.kgb_notice_days)), "");
            add(event, Some(due), ":due");
        }
    }

    // BUP: each lead before the retirement date of the current position's age limit.
    let due = services::retirement_date(input.tanggal_lahir, services::bup_age(&data, today, rules));
    for &months in rules.bup_lead_months {
        add(ServiceEvent::pensiun(due, months), due.checked_sub_months(Months::new(months)), "");
    }

    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
    out
}

impl Core {
    /// The service reminders of the logged-in user still to come after `now` (the device's local time), from the
    /// local record; empty without an account or before the first sync brought the profile.
    pub fn reminders(&self, now: NaiveDateTime) -> Result<Vec<Reminder>, CoreError> {
        let Some(account) = self.current() else { return Ok(Vec::new()) };
        let Ok(nip) = Nip::parse(&account.user.nip) else { return Ok(Vec::new()) };
        let (profile, history) = account.store.read(|c| Ok((records::profile(c)?, records::all_history(c)?)))?;
        let Some(profile) = profile else { return Ok(Vec::new()) };
        let refs: Vec<&HistoryRecord> = history.iter().collect();
        let input = ReminderInput { nip: &nip, tanggal_lahir: profile.tanggal_lahir, records: &refs };
        Ok(schedule(&input, now, &SERVICE_RULES))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mysapk_model::history::{CpnsPns, Golongan, HistoryKind, Jabatan};
    use mysapk_model::services::ServiceKind;

    const NIP: &str = "199001012015031001";

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn at(y: i32, m: u32, day: u32, h: u32) -> NaiveDateTime {
        d(y, m, day).and_hms_opt(h, 0, 0).expect("time")
    }

    fn rec(id: &str, data: HistoryData) -> HistoryRecord {
        HistoryRecord { id: id.into(), data, last_usulan_id: None, siasn_id: None }
    }

    fn golongan(id: &str, tmt: NaiveDate) -> HistoryRecord {
        rec(
            &format!("g-{id}"),
            HistoryData::Golongan(Golongan {
                golongan_id: id.into(),
                tmt_golongan: tmt,
                sk_nomor: "KP-1".into(),
                sk_tanggal: tmt,
                jenis_kp_id: None,
                mk_tahun: None,
                mk_bulan: None,
            }),
        )
    }

    fn cpns(tmt: NaiveDate) -> HistoryRecord {
        rec(
            "cpns",
            HistoryData::CpnsPns(CpnsPns {
                nomor_sk_cpns: "CPNS-1".into(),
                tgl_sk_cpns: tmt,
                tmt_cpns: tmt,
                nomor_sk_pns: None,
                tgl_sk_pns: None,
                tmt_pns: None,
                no_spmt: None,
            }),
        )
    }

    fn run(records: &[HistoryRecord], born: NaiveDate, now: NaiveDateTime) -> Vec<Reminder> {
        let nip = Nip::parse(NIP).expect("nip");
        let refs: Vec<&HistoryRecord> = records.iter().collect();
        schedule(&ReminderInput { nip: &nip, tanggal_lahir: born, records: &refs }, now, &SERVICE_RULES)
    }

    fn listed(list: &[Reminder]) -> Vec<(String, NaiveDateTime)> {
        list.iter()
            .map(|r| (r.notification_id.trim_start_matches("svc:199001012015031001:").to_owned(), r.at))
            .collect()
    }

    #[test]
    fn kp_kgb_and_bup_at_their_notice_and_due_dates() {
        // Golongan III/b from 2024-04-01: KP due 2028-04-01, told 90 days before. CPNS 2015-03-01: KGB every two
        // years, next 2027-03-01 and 2029-03-01, told 60 days before. Born 1990-01-15, no jabatan: BUP at 58 on
        // 2048-02-01, told 12 and 3 months before.
        let records = [golongan("32", d(2024, 4, 1)), cpns(d(2015, 3, 1))];
        let got = run(&records, d(1990, 1, 15), at(2026, 12, 3, 21));
        let expected = [
            ("kgb:2027-03-01", at(2026, 12, 31, 8)),
            ("kgb:2027-03-01:due", at(2027, 3, 1, 8)),
            ("kp:2028-04-01", at(2028, 1, 2, 8)),
            ("kp:2028-04-01:due", at(2028, 4, 1, 8)),
            ("kgb:2029-03-01", at(2028, 12, 31, 8)),
            ("kgb:2029-03-01:due", at(2029, 3, 1, 8)),
            ("bup:12:2048-02-01", at(2047, 2, 1, 8)),
            ("bup:3:2048-02-01", at(2047, 11, 1, 8)),
        ];
        assert_eq!(listed(&got), expected.map(|(k, t)| (k.to_owned(), t)));
        // Each notice has the id of the server's notification of the same event (that one replaces it).
        let kp = got.iter().find(|r| r.event.key == "kp:2028-04-01" && !r.notification_id.ends_with(":due"));
        let kp = kp.expect("kp notice");
        assert_eq!(kp.notification_id, "svc:199001012015031001:kp:2028-04-01");
        assert_eq!(kp.id, system_id("svc:199001012015031001:kp:2028-04-01"));
        assert_eq!(kp.event.history_kind, Some(HistoryKind::Golongan));
        let n = kp.notification(Utc::now());
        assert_eq!(n.kind, NotificationKind::Service);
        assert_eq!(n.service, Some(ServiceKind::KenaikanPangkat));
        assert_eq!(n.due_date, Some(d(2028, 4, 1)));
        let bup = got.iter().find(|r| r.event.kind == ServiceKind::Pensiun).expect("bup");
        assert_eq!(bup.notification(Utc::now()).lead_months, Some(12));
    }

    #[test]
    fn only_future_reminders_and_stable_ids() {
        let records = [golongan("32", d(2024, 4, 1)), cpns(d(2015, 3, 1))];
        let born = d(1990, 1, 15);
        // On the KGB notice day after 08:00: that notice is gone, the due day remains.
        let later = run(&records, born, at(2026, 12, 31, 9));
        assert!(later.iter().all(|r| r.at > at(2026, 12, 31, 9)));
        assert!(!later.iter().any(|r| r.notification_id.ends_with("kgb:2027-03-01")));
        assert!(later.iter().any(|r| r.notification_id.ends_with("kgb:2027-03-01:due")));
        // Computed again (the next launch, the next sync): the same ids for the same events, no duplicate.
        let again = run(&records, born, at(2026, 12, 31, 10));
        assert_eq!(later, again);
        let mut ids: Vec<i32> = again.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), again.len(), "ids unique");
        assert!(ids.iter().all(|id| *id >= 0));
        // Past the KGB date the next steps roll in.
        let after = run(&records, born, at(2027, 3, 2, 8));
        assert!(after.iter().any(|r| r.notification_id.ends_with("kgb:2029-03-01")));
        assert!(after.iter().any(|r| r.notification_id.ends_with("kgb:2031-03-01:due")));
        assert!(!after.iter().any(|r| r.notification_id.contains("kgb:2027")));
    }

    #[test]
    fn a_new_golongan_moves_the_kp_reminder_and_the_last_golongan_has_none() {
        let born = d(1990, 1, 15);
        let now = at(2026, 12, 3, 12);
        let before = run(&[golongan("32", d(2024, 4, 1))], born, now);
        // The sync brings a promotion: the KP reminder of the old golongan is no longer in the list (the shell
        // cancels what is not in it), the new one is.
        let after = run(&[golongan("32", d(2024, 4, 1)), golongan("33", d(2026, 10, 1))], born, now);
        assert!(before.iter().any(|r| r.event.key == "kp:2028-04-01"));
        assert!(!after.iter().any(|r| r.event.key == "kp:2028-04-01"));
        assert!(after.iter().any(|r| r.event.key == "kp:2030-10-01"));
        // IV/e: no regular promotion.
        let last = run(&[golongan("45", d(2024, 4, 1))], born, now);
        assert!(!last.iter().any(|r| r.event.kind == ServiceKind::KenaikanPangkat));
        // No CPNS record: no KGB; retirement is always known from the birth date.
        assert!(!last.iter().any(|r| r.event.kind == ServiceKind::Kgb));
        assert_eq!(last.iter().filter(|r| r.event.kind == ServiceKind::Pensiun).count(), 2);
    }

    #[test]
    fn retirement_follows_the_position_and_a_passed_lead_is_skipped() {
        // An Ahli Utama retires at 65: born 1962-06-10, retirement 2027-07-01; on 2026-12-03 the 12-month lead
        // (2026-07-01) has passed, the 3-month one (2027-04-01) is still to come.
        let jabatan = rec(
            "jab",
            HistoryData::Jabatan(Jabatan {
                jenis_jabatan_id: "2".into(),
                jabatan_nama: "Peneliti Ahli Utama".into(),
                unor_nama: "Pusat Riset".into(),
                eselon_id: None,
                tmt_jabatan: d(2020, 1, 1),
                tmt_selesai: None,
                sk_nomor: "JAB-1".into(),
                sk_tanggal: d(2019, 12, 1),
                unor_id: None,
                jabatan_id: None,
            }),
        );
        let got = run(&[jabatan], d(1962, 6, 10), at(2026, 12, 3, 12));
        let bup: Vec<&Reminder> = got.iter().filter(|r| r.event.kind == ServiceKind::Pensiun).collect();
        assert_eq!(bup.len(), 1);
        assert_eq!(bup[0].event.key, "bup:3:2027-07-01");
        assert_eq!(bup[0].at, at(2027, 4, 1, 8));
        // Retired: nothing.
        assert!(run(&[], d(1950, 1, 1), at(2026, 12, 3, 12)).is_empty());
    }

    /// On the day a notice reminder fires, the server's evaluation of the same record names the same notification:
    /// the one the sync brings replaces the reminder. Also for a TMT on 29 February (the steps are counted as the
    /// server counts them).
    #[test]
    fn a_notice_reminder_is_the_servers_notification_of_that_day() {
        let nip = Nip::parse(NIP).expect("nip");
        for tmt in [d(2015, 3, 1), d(2016, 2, 29)] {
            let records = [golongan("III/a", tmt), cpns(tmt)];
            let refs: Vec<&HistoryRecord> = records.iter().collect();
            let born = d(1990, 1, 1);
            let input = ReminderInput { nip: &nip, tanggal_lahir: born, records: &refs };
            let notices: Vec<Reminder> = schedule(&input, at(2024, 1, 1, 0), &SERVICE_RULES)
                .into_iter()
                .filter(|r| !r.notification_id.ends_with(":due"))
                .collect();
            assert!(notices.len() >= 3, "KP, KGB and BUP notices: {notices:?}");
            for reminder in notices {
                let day = reminder.at.date();
                let documented = |_: &HistoryRecord| true;
                let server = services::due_events(
                    &services::ServiceInput { tanggal_lahir: born, records: &refs, documented: &documented },
                    day,
                    &SERVICE_RULES,
                );
                let ids: Vec<String> = server.iter().map(|e| e.notification_id(&nip)).collect();
                assert!(ids.contains(&reminder.notification_id), "{day}: {} not in {ids:?}", reminder.notification_id);
            }
        }
    }

    #[test]
    fn a_notification_id_hashes_to_a_stable_non_negative_id() {
        assert_eq!(system_id("svc:1:kp:2028-04-01"), system_id("svc:1:kp:2028-04-01"));
        assert_ne!(system_id("a"), system_id("b"));
        assert!(system_id("") >= 0);
        // FNV-1a of "a", masked to 31 bits.
        assert_eq!(system_id("a"), 0x640c_292c);
    }
}
