//! The derived personnel-service events on hand-built records: each fires on the first day of its window and
//! not the day before, and carries a key that stays the same however often it is evaluated.

use chrono::NaiveDate;
use mysapk_model::history::samples::sample;
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::services::{due_events, retirement_date, ServiceEvent, ServiceInput, ServiceKind, SERVICE_RULES};

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

const BORN: &str = "1980-06-15";

fn record(id: &str, data: HistoryData) -> HistoryRecord {
    HistoryRecord { id: id.into(), data, last_usulan_id: None, siasn_id: None }
}

fn cpns(tmt: &str) -> HistoryRecord {
    let mut r = sample(HistoryKind::CpnsPns, d(BORN), 0);
    if let HistoryData::CpnsPns(c) = &mut r {
        c.tmt_cpns = d(tmt);
    }
    record("cpns", r)
}

fn golongan(id: &str, golongan_id: &str, tmt: &str) -> HistoryRecord {
    let mut r = sample(HistoryKind::Golongan, d(BORN), 0);
    if let HistoryData::Golongan(g) = &mut r {
        g.golongan_id = golongan_id.into();
        g.tmt_golongan = d(tmt);
    }
    record(id, r)
}

fn jabatan(nama: &str, eselon: Option<&str>) -> HistoryRecord {
    let mut r = sample(HistoryKind::Jabatan, d(BORN), 0);
    if let HistoryData::Jabatan(j) = &mut r {
        j.jabatan_nama = nama.into();
        j.eselon_id = eselon.map(Into::into);
        j.tmt_jabatan = d("2015-01-01");
        j.tmt_selesai = None;
    }
    record("jab", r)
}

fn skp(year: i32) -> HistoryRecord {
    let mut r = sample(HistoryKind::Skp, d(BORN), 0);
    if let HistoryData::Skp(s) = &mut r {
        s.tahun = year;
    }
    record(&format!("skp{year}"), r)
}

/// Events on `today` for records that are all documented.
fn events(records: &[HistoryRecord], today: &str) -> Vec<ServiceEvent> {
    let refs: Vec<&HistoryRecord> = records.iter().collect();
    let input = ServiceInput { tanggal_lahir: d(BORN), records: &refs, documented: &|_| true };
    due_events(&input, d(today), &SERVICE_RULES)
}

fn of(kind: ServiceKind, events: &[ServiceEvent]) -> Vec<ServiceEvent> {
    events.iter().filter(|e| e.kind == kind).cloned().collect()
}

/// CPNS in 2010 with SKP of every recent year, so only the event under test can fire.
fn base() -> Vec<HistoryRecord> {
    vec![cpns("2010-03-01"), skp(2023), skp(2024), skp(2025), skp(2026)]
}

#[test]
fn kenaikan_pangkat_from_ninety_days_before_four_years_in_golongan() {
    let mut r = base();
    r.push(golongan("g1", "32", "2019-04-01"));
    r.push(golongan("g2", "33", "2023-04-01"));
    // Due 2027-04-01; the notice window opens 90 days before.
    assert!(of(ServiceKind::KenaikanPangkat, &events(&r, "2026-12-31")).is_empty());
    let due = of(ServiceKind::KenaikanPangkat, &events(&r, "2027-01-01"));
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].key, "kp:2027-04-01");
    assert_eq!(due[0].due, d("2027-04-01"));
    assert_eq!(due[0].history_kind, Some(HistoryKind::Golongan));
    // Evaluated again later: the same key, so the server creates it once.
    assert_eq!(of(ServiceKind::KenaikanPangkat, &events(&r, "2027-05-01"))[0].key, due[0].key);
    // Long overdue: no longer told.
    assert!(of(ServiceKind::KenaikanPangkat, &events(&r, "2027-10-01")).is_empty());
}

#[test]
fn no_regular_promotion_from_the_highest_golongan() {
    let mut r = base();
    r.push(golongan("g1", "45", "2023-04-01"));
    assert!(of(ServiceKind::KenaikanPangkat, &events(&r, "2027-03-01")).is_empty());
}

#[test]
fn kgb_every_two_years_of_service_sixty_days_before() {
    let r = base();
    // TMT CPNS 2010-03-01: steps on 1 March of even years; 2028-03-01 is next after 2026-11-28.
    assert!(of(ServiceKind::Kgb, &events(&r, "2027-12-31")).is_empty());
    let due = of(ServiceKind::Kgb, &events(&r, "2028-01-01"));
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].key, "kgb:2028-03-01");
    assert_eq!(of(ServiceKind::Kgb, &events(&r, "2028-03-01"))[0].key, "kgb:2028-03-01");
}

#[test]
fn bup_one_year_then_three_months_before_by_the_position_age() {
    let mut r = base();
    r.push(jabatan("Analis Kepegawaian Ahli Muda", None));
    // Born 1980-06-15, BUP 58: retirement 2038-07-01.
    assert_eq!(retirement_date(d(BORN), 58), d("2038-07-01"));
    assert!(of(ServiceKind::Pensiun, &events(&r, "2037-06-30")).is_empty());
    let year = of(ServiceKind::Pensiun, &events(&r, "2037-07-01"));
    assert_eq!(year.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["bup:12:2038-07-01"]);
    assert_eq!(of(ServiceKind::Pensiun, &events(&r, "2038-03-31"))[0].key, "bup:12:2038-07-01");
    let months = of(ServiceKind::Pensiun, &events(&r, "2038-04-01"));
    assert_eq!(months.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["bup:3:2038-07-01"]);
    assert!(of(ServiceKind::Pensiun, &events(&r, "2038-07-01")).is_empty(), "retired");
}

#[test]
fn bup_age_follows_the_position() {
    let cases = [
        (jabatan("Pranata Komputer Ahli Utama", None), "bup:12:2045-07-01", "2044-07-01"),
        (jabatan("Kepala Biro", Some("21")), "bup:12:2040-07-01", "2039-07-01"),
        (jabatan("Analis Kebijakan Ahli Madya", None), "bup:12:2040-07-01", "2039-07-01"),
        (jabatan("Kepala Subbagian", Some("41")), "bup:12:2038-07-01", "2037-07-01"),
    ];
    for (j, key, today) in cases {
        let mut r = base();
        r.push(j);
        let e = of(ServiceKind::Pensiun, &events(&r, today));
        assert_eq!(e.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), [key]);
    }
}

#[test]
fn skp_of_each_of_the_last_two_years_is_expected_from_entry_into_service() {
    let r = vec![cpns("2010-03-01"), skp(2025)];
    let missing = of(ServiceKind::SkpMissing, &events(&r, "2026-11-28"));
    assert_eq!(missing.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["skp:2024"]);
    assert_eq!(missing[0].history_kind, Some(HistoryKind::Skp));
    assert!(of(ServiceKind::SkpMissing, &events(&base(), "2026-11-28")).is_empty());
    // Entered service in 2025: the SKP of 2024 is not expected.
    let new = vec![cpns("2025-02-01"), skp(2025)];
    assert!(of(ServiceKind::SkpMissing, &events(&new, "2026-11-28")).is_empty());
}

#[test]
fn documents_missing_once_per_category_with_an_undocumented_record() {
    let records =
        [base(), vec![golongan("g1", "32", "2019-04-01"), golongan("g2", "33", "2023-04-01"), jabatan("Analis", None)]]
            .concat();
    let refs: Vec<&HistoryRecord> = records.iter().collect();
    let documented = |r: &HistoryRecord| r.id != "g1";
    let input = ServiceInput { tanggal_lahir: d(BORN), records: &refs, documented: &documented };
    let e = due_events(&input, d("2026-11-28"), &SERVICE_RULES);
    let docs = of(ServiceKind::DocumentsMissing, &e);
    assert_eq!(docs.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["docs:golongan"]);
    assert_eq!(docs[0].history_kind, Some(HistoryKind::Golongan));
    // Everything documented: nothing.
    assert!(of(ServiceKind::DocumentsMissing, &events(&records, "2026-11-28")).is_empty());
}

#[test]
fn notification_ids_are_stable() {
    let r = vec![cpns("2010-03-01")];
    let nip = mysapk_model::Nip::parse("198006152010031001").expect("nip");
    let a: Vec<String> = events(&r, "2026-11-28").iter().map(|e| e.notification_id(&nip)).collect();
    let b: Vec<String> = events(&r, "2026-11-28").iter().map(|e| e.notification_id(&nip)).collect();
    assert_eq!(a, b);
    assert!(a.iter().all(|id| id.starts_with("svc:198006152010031001:")));
}
