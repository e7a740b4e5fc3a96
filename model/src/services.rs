//! Personnel services (layanan kepegawaian) that concern one ASN: the events derived from the record (promotion,
//! salary step, retirement, missing SKP, missing documents) and the status updates an agency admin posts.
//!
//! The periods, ages and lead times are data ([`SERVICE_RULES`]); every number is an assumption where public
//! sources disagree (`../shared/domain/README.md` §7), named here so it can be changed in one place:
//! - **Kenaikan pangkat (KP)**: a regular promotion falls due four years after the TMT of the current golongan;
//!   told 90 days before and until 180 days after; none from golongan IV/e (id 45).
//! - **KGB**: a periodic salary step every two years of service counted from the TMT CPNS; told 60 days before.
//! - **BUP**: retirement on the first day of the month after reaching the age limit: 58 by default, 60 for
//!   eselon I and II and for *Ahli Madya* functional posts, 65 for *Ahli Utama*; told one year and three months
//!   before.
//! - **SKP**: the SKP of each of the last two years is expected from the year the ASN entered service.
//! - **Documents**: a record of a category that takes documents, with none on file.
//!
//! Every event has a stable key, so the server creates its notification once however often it evaluates.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::history::{HistoryData, HistoryKind, HistoryRecord};
use crate::nip::Nip;
use crate::rules::kinds::kind_rule;

/// What a derived event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ServiceKind {
    KenaikanPangkat,
    Kgb,
    Pensiun,
    SkpMissing,
    DocumentsMissing,
}

/// The age limit of a kind of post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BupRule {
    /// `eselon_id` prefixes of the current position (e.g. `"1"` for eselon I.a and I.b); empty: any.
    pub eselon_prefixes: &'static [&'static str],
    /// A word of the current position's name (e.g. `"Ahli Utama"`); `None`: any.
    pub jabatan_contains: Option<&'static str>,
    pub age: u32,
}

/// The rule set of derived service events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ServiceRules {
    pub version: &'static str,
    pub kp_years: u32,
    pub kp_notice_days: i64,
    /// How long after the due date a promotion not yet recorded is still told.
    pub kp_overdue_days: i64,
    /// The highest golongan: no regular promotion from it.
    pub kp_last_golongan: &'static str,
    pub kgb_years: u32,
    pub kgb_notice_days: i64,
    /// Checked in order; the first that matches the current position gives the age; else `bup_default_age`.
    pub bup: &'static [BupRule],
    pub bup_default_age: u32,
    /// Months before retirement at which the ASN is told, each once.
    pub bup_lead_months: &'static [u32],
    /// How many past years of SKP are expected.
    pub skp_years: i32,
}

pub const SERVICE_RULES: ServiceRules = ServiceRules {
    version: "layanan/1",
    kp_years: 4,
    kp_notice_days: 90,
    kp_overdue_days: 180,
    kp_last_golongan: "45",
    kgb_years: 2,
    kgb_notice_days: 60,
    bup: &[
        BupRule { eselon_prefixes: &[], jabatan_contains: Some("Ahli Utama"), age: 65 },
        BupRule { eselon_prefixes: &["1", "2"], jabatan_contains: None, age: 60 },
        BupRule { eselon_prefixes: &[], jabatan_contains: Some("Ahli Madya"), age: 60 },
    ],
    bup_default_age: 58,
    bup_lead_months: &[12, 3],
    skp_years: 2,
};

/// One derived event for one ASN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceEvent {
    /// Stable across evaluations: `kp:2027-04-01`, `bup:12:2031-02-01`, `skp:2025`, `docs:golongan`.
    pub key: String,
    pub kind: ServiceKind,
    /// The date the service falls due (the TMT of the promotion or salary step, the retirement date, the end of
    /// the SKP year; the evaluation date for missing documents).
    pub due: NaiveDate,
    /// The category concerned, for the link of the notification.
    pub history_kind: Option<HistoryKind>,
    /// For retirement: how many months before the date this notice is given.
    pub lead_months: Option<u32>,
}

impl ServiceEvent {
    /// The notification id of this event for `nip`: the same on every server node and every evaluation.
    pub fn notification_id(&self, nip: &Nip) -> String {
        format!("svc:{}:{}", nip.as_str(), self.key)
    }

    /// The promotion (KP) due on `due`.
    pub fn kenaikan_pangkat(due: NaiveDate) -> Self {
        Self {
            key: format!("kp:{due}"),
            kind: ServiceKind::KenaikanPangkat,
            due,
            history_kind: Some(HistoryKind::Golongan),
            lead_months: None,
        }
    }

    /// The salary step (KGB) due on `due`.
    pub fn kgb(due: NaiveDate) -> Self {
        Self { key: format!("kgb:{due}"), kind: ServiceKind::Kgb, due, history_kind: None, lead_months: None }
    }

    /// The retirement on `due`, told `lead_months` before.
    pub fn pensiun(due: NaiveDate, lead_months: u32) -> Self {
        Self {
            key: format!("bup:{lead_months}:{due}"),
            kind: ServiceKind::Pensiun,
            due,
            history_kind: None,
            lead_months: Some(lead_months),
        }
    }
}

/// What the rules read of one ASN.
pub struct ServiceInput<'a> {
    pub tanggal_lahir: NaiveDate,
    pub records: &'a [&'a HistoryRecord],
    /// Whether a record has a supporting document on file.
    pub documented: &'a dyn Fn(&HistoryRecord) -> bool,
}

/// Every event due for this ASN on `today`.
pub fn due_events(input: &ServiceInput<'_>, today: NaiveDate, rules: &ServiceRules) -> Vec<ServiceEvent> {
    let mut out = Vec::new();
    let data: Vec<&HistoryData> = input.records.iter().map(|r| &r.data).collect();
    kenaikan_pangkat(&data, today, rules, &mut out);
    if let Some(tmt_cpns) = tmt_cpns(&data) {
        kgb(tmt_cpns, today, rules, &mut out);
        skp_missing(&data, tmt_cpns, today, rules, &mut out);
    }
    pensiun(input.tanggal_lahir, &data, today, rules, &mut out);
    documents_missing(input, today, &mut out);
    out
}

fn add_years(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_add_months(Months::new(years * 12)).unwrap_or(NaiveDate::MAX)
}

fn within(today: NaiveDate, due: NaiveDate, before_days: i64, after_days: i64) -> bool {
    let days = (due - today).num_days();
    days <= before_days && -days <= after_days
}

/// The next promotion (KP) date: the current golongan's TMT plus `kp_years`; `None` without a golongan or at
/// the last one.
pub fn kp_due(data: &[&HistoryData], today: NaiveDate, rules: &ServiceRules) -> Option<NaiveDate> {
    data.iter()
        .filter_map(|d| match d {
            HistoryData::Golongan(g) if g.tmt_golongan <= today => Some(g),
            _ => None,
        })
        .max_by_key(|g| g.tmt_golongan)
        .filter(|g| g.golongan_id != rules.kp_last_golongan)
        .map(|g| add_years(g.tmt_golongan, rules.kp_years))
}

/// The TMT CPNS, from which the salary steps count.
pub fn tmt_cpns(data: &[&HistoryData]) -> Option<NaiveDate> {
    data.iter().find_map(|d| match d {
        HistoryData::CpnsPns(c) => Some(c.tmt_cpns),
        _ => None,
    })
}

/// The salary step (KGB) dates on or after `from`, every `kgb_years` from the TMT CPNS (none when the rule has no
/// period).
pub fn kgb_steps(tmt_cpns: NaiveDate, from: NaiveDate, rules: &ServiceRules) -> impl Iterator<Item = NaiveDate> {
    let years = rules.kgb_years;
    let first = (years > 0).then(|| add_years(tmt_cpns, years));
    std::iter::successors(first, move |due| Some(add_years(*due, years))).skip_while(move |due| *due < from)
}

fn kenaikan_pangkat(data: &[&HistoryData], today: NaiveDate, rules: &ServiceRules, out: &mut Vec<ServiceEvent>) {
    let Some(due) = kp_due(data, today, rules) else { return };
    if within(today, due, rules.kp_notice_days, rules.kp_overdue_days) {
        out.push(ServiceEvent::kenaikan_pangkat(due));
    }
}

fn kgb(tmt_cpns: NaiveDate, today: NaiveDate, rules: &ServiceRules, out: &mut Vec<ServiceEvent>) {
    let Some(due) = kgb_steps(tmt_cpns, today, rules).next() else { return };
    if within(today, due, rules.kgb_notice_days, 0) {
        out.push(ServiceEvent::kgb(due));
    }
}

/// The age limit of the current position.
pub fn bup_age(data: &[&HistoryData], today: NaiveDate, rules: &ServiceRules) -> u32 {
    let jabatan = data
        .iter()
        .filter_map(|d| match d {
            HistoryData::Jabatan(j) if j.tmt_jabatan <= today && j.tmt_selesai.is_none_or(|s| s >= today) => Some(j),
            _ => None,
        })
        .max_by_key(|j| j.tmt_jabatan);
    let Some(j) = jabatan else { return rules.bup_default_age };
    rules
        .bup
        .iter()
        .find(|r| {
            let eselon = r.eselon_prefixes.is_empty()
                || j.eselon_id.as_deref().is_some_and(|e| r.eselon_prefixes.iter().any(|p| e.starts_with(p)));
            let name = r.jabatan_contains.is_none_or(|w| j.jabatan_nama.to_lowercase().contains(&w.to_lowercase()));
            eselon && name
        })
        .map_or(rules.bup_default_age, |r| r.age)
}

/// The retirement date: the first day of the month after the birthday of the age limit.
pub fn retirement_date(tanggal_lahir: NaiveDate, age: u32) -> NaiveDate {
    let birthday = add_years(tanggal_lahir, age);
    let first = birthday.with_day(1).unwrap_or(birthday);
    first.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX)
}

fn pensiun(
    born: NaiveDate,
    data: &[&HistoryData],
    today: NaiveDate,
    rules: &ServiceRules,
    out: &mut Vec<ServiceEvent>,
) {
    let due = retirement_date(born, bup_age(data, today, rules));
    if today >= due {
        return;
    }
    // Only the nearest lead that has started: a record first evaluated three months before retirement is not
    // also told "one year before".
    let started = rules
        .bup_lead_months
        .iter()
        .filter(|m| due.checked_sub_months(Months::new(**m)).is_some_and(|from| today >= from))
        .min();
    if let Some(months) = started {
        out.push(ServiceEvent::pensiun(due, *months));
    }
}

fn skp_missing(
    data: &[&HistoryData],
    tmt_cpns: NaiveDate,
    today: NaiveDate,
    rules: &ServiceRules,
    out: &mut Vec<ServiceEvent>,
) {
    for year in (today.year() - rules.skp_years)..today.year() {
        let present = data.iter().any(|d| match d {
            HistoryData::Skp(s) => s.tahun == year,
            HistoryData::SkpLama(s) => s.tahun == year,
            _ => false,
        });
        if present || tmt_cpns.year() > year {
            continue;
        }
        let due = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
        out.push(ServiceEvent {
            key: format!("skp:{year}"),
            kind: ServiceKind::SkpMissing,
            due,
            history_kind: Some(if year >= crate::rules::skp::FIRST_YEAR_2022_FORM {
                HistoryKind::Skp
            } else {
                HistoryKind::SkpLama
            }),
            lead_months: None,
        });
    }
}

fn documents_missing(input: &ServiceInput<'_>, today: NaiveDate, out: &mut Vec<ServiceEvent>) {
    let mut kinds: Vec<HistoryKind> = input
        .records
        .iter()
        .filter(|r| {
            let rule = kind_rule(r.data.kind());
            rule.asn_may_propose && !rule.documents.is_empty() && !(input.documented)(r)
        })
        .map(|r| r.data.kind())
        .collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds.dedup();
    for kind in kinds {
        out.push(ServiceEvent {
            key: format!("docs:{}", kind.as_str()),
            kind: ServiceKind::DocumentsMissing,
            due: today,
            history_kind: Some(kind),
            lead_months: None,
        });
    }
}

/// A personnel service an admin reports on for one ASN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LayananKind {
    KenaikanPangkat,
    Kgb,
    Pensiun,
    Mutasi,
    Cuti,
    PerbaikanData,
}

/// The stage a service file has reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum LayananStage {
    /// The agency has received the file.
    Diterima,
    /// Verified by the agency, sent on (to BKN or the Kanreg).
    Diusulkan,
    /// BKN's technical approval (pertek) or equivalent.
    Disetujui,
    /// The decree (SK) is issued: the service is done.
    SkTerbit,
    /// Returned: something is missing (the note says what).
    Dikembalikan,
    Ditolak,
}

/// `POST /api/v1/admin/layanan`: a status update of one ASN's service file, posted by an admin of their agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LayananUpdate {
    pub nip: String,
    pub layanan: LayananKind,
    pub stage: LayananStage,
    /// What the ASN should know or do (at most 2,000 characters).
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn retirement_is_the_first_of_the_next_month() {
        assert_eq!(retirement_date(d("1970-05-17"), 58), d("2028-06-01"));
        assert_eq!(retirement_date(d("1970-12-31"), 60), d("2031-01-01"));
    }
}
