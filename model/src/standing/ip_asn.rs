//! IP ASN (Indeks Profesionalitas ASN; PermenPANRB 38/2018, Peraturan BKN 8/2019) computed from the record.
//!
//! The rule set is data ([`RULES_BKN_8_2019`]) and carries a version; every number below is an assumption
//! where the public sources are incomplete, named here so it can be checked and changed in one place:
//! - **Kualifikasi (max 25)**: the highest education on record: S-3 25, S-2 (and specialist) 20, S-1/D-IV (and
//!   profesi) 15, D-III 10, D-I/D-II 5, anything lower 1.
//! - **Kompetensi (max 40)**: leadership training (diklat struktural) ever completed 15; functional training
//!   (kursus of jenis 2 "Diklat Fungsional") in the evaluated year or the year before 15; technical training of
//!   at least 20 hours (kursus of the other jenis) in the evaluated year 5; a workshop, socialisation or seminar
//!   (jenis 4, 7, 9: the `P` certificate type of `jenisDiklat.json`) in the evaluated year 5.
//! - **Kinerja (max 30)**: the SKP of the year before the evaluated year: predikat Sangat Baik 30, Baik 25,
//!   Butuh Perbaikan 20, Kurang 15, Sangat Kurang 10; an old-form SKP by its score (≥ 91: 30, ≥ 76: 25,
//!   ≥ 61: 20, ≥ 51: 15, else 10); no SKP: 0.
//! - **Disiplin (max 5)**: no penalty in force during the evaluated year 5; a light one 3, moderate 2, heavy 1
//!   (the level from `jenisHukuman.json`'s `jenisTingkatHukumanId`: R, S, B; unknown counts as heavy).
//! - **Bands**: 91-100 Sangat Tinggi, 81-90 Tinggi, 71-80 Sedang, 61-70 Rendah, ≤ 60 Sangat Rendah.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::history::{HistoryData, HistoryKind, Predikat};

/// The four dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Dimension {
    Kualifikasi,
    Kompetensi,
    Kinerja,
    Disiplin,
}

/// The band of a total score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Band {
    SangatTinggi,
    Tinggi,
    Sedang,
    Rendah,
    SangatRendah,
}

/// Kompetensi items, each scored once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CompetencyItem {
    Kepemimpinan,
    Fungsional,
    Teknis,
    Seminar,
}

/// One kompetensi item's rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompetencyRule {
    pub item: CompetencyItem,
    pub points: u32,
    /// Counted when completed in the evaluated year or this many years before it (`None`: ever).
    pub window_years: Option<i32>,
    /// Minimum hours of one training to count.
    pub min_hours: i32,
}

/// A versioned rule set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IpAsnRules {
    pub version: &'static str,
    /// `(minimum tingkat_pendidikan id, points)`, highest first.
    pub kualifikasi: &'static [(u32, u32)],
    pub kompetensi: &'static [CompetencyRule],
    /// `jenis_diklat_id`s counted as functional training, and as seminars/workshops.
    pub fungsional_diklat_ids: &'static [&'static str],
    pub seminar_diklat_ids: &'static [&'static str],
    pub kinerja_predikat: &'static [(Predikat, u32)],
    /// `(minimum old-form SKP score, points)`, highest first.
    pub kinerja_nilai: &'static [(f64, u32)],
    /// `(penalty level, points)`; no penalty gives [`IpAsnRules::disiplin_max`].
    pub disiplin_level: &'static [(&'static str, u32)],
    pub disiplin_max: u32,
    /// `(minimum total, band)`, highest first.
    pub bands: &'static [(u32, Band)],
}

/// The rule set of Peraturan BKN 8/2019 as this project reads it (see the module documentation).
pub const RULES_BKN_8_2019: IpAsnRules = IpAsnRules {
    version: "bkn-8-2019/1",
    kualifikasi: &[(50, 25), (45, 20), (35, 15), (30, 10), (20, 5), (0, 1)],
    kompetensi: &[
        CompetencyRule { item: CompetencyItem::Kepemimpinan, points: 15, window_years: None, min_hours: 1 },
        CompetencyRule { item: CompetencyItem::Fungsional, points: 15, window_years: Some(1), min_hours: 1 },
        CompetencyRule { item: CompetencyItem::Teknis, points: 5, window_years: Some(0), min_hours: 20 },
        CompetencyRule { item: CompetencyItem::Seminar, points: 5, window_years: Some(0), min_hours: 1 },
    ],
    fungsional_diklat_ids: &["2"],
    seminar_diklat_ids: &["4", "7", "9"],
    kinerja_predikat: &[
        (Predikat::SangatBaik, 30),
        (Predikat::Baik, 25),
        (Predikat::ButuhPerbaikan, 20),
        (Predikat::Kurang, 15),
        (Predikat::SangatKurang, 10),
    ],
    kinerja_nilai: &[(91.0, 30), (76.0, 25), (61.0, 20), (51.0, 15), (0.0, 10)],
    disiplin_level: &[("R", 3), ("S", 2), ("B", 1)],
    disiplin_max: 5,
    bands: &[
        (91, Band::SangatTinggi),
        (81, Band::Tinggi),
        (71, Band::Sedang),
        (61, Band::Rendah),
        (0, Band::SangatRendah),
    ],
};

/// One dimension's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DimensionScore {
    pub dimension: Dimension,
    pub score: u32,
    pub max: u32,
}

/// A concrete step that would raise the score, linked to the form that records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Suggestion {
    pub dimension: Dimension,
    /// Points the step adds.
    pub points: u32,
    /// The category whose form records it.
    pub kind: HistoryKind,
    pub message_id: String,
    pub message_en: String,
}

/// The IP ASN of one ASN for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IpAsnScore {
    pub rules_version: String,
    pub year: i32,
    pub total: u32,
    pub band: Band,
    pub dimensions: Vec<DimensionScore>,
    pub suggestions: Vec<Suggestion>,
}

/// What the rules need from the catalogs: the level (R/S/B) of a penalty type.
pub trait PenaltyLevels {
    fn level(&self, jenis_hukuman_id: &str) -> Option<String>;
}

/// Penalty levels of `jenisHukuman.json` as shipped (its `jenisTingkatHukumanId`), for when the catalog with
/// levels is not at hand: the synced catalogs carry only id and name.
pub struct DefaultPenaltyLevels;

/// `(jenis_hukuman_id, level)` from the reference snapshot; ids not listed count as heavy.
pub const PENALTY_LEVELS: &[(&str, &str)] = &[
    ("1", "R"),
    ("2", "R"),
    ("3", "R"),
    ("21", "R"),
    ("22", "R"),
    ("4", "S"),
    ("5", "S"),
    ("6", "S"),
    ("7", "S"),
    ("8", "S"),
    ("23", "S"),
    ("24", "S"),
    ("25", "S"),
];

impl PenaltyLevels for DefaultPenaltyLevels {
    fn level(&self, id: &str) -> Option<String> {
        Some(PENALTY_LEVELS.iter().find(|(i, _)| *i == id).map_or("B", |(_, l)| l).to_owned())
    }
}

/// Compute the IP ASN of `year` from the official records.
pub fn ip_asn(records: &[&HistoryData], year: i32, rules: &IpAsnRules, levels: &dyn PenaltyLevels) -> IpAsnScore {
    let mut suggestions = Vec::new();
    let kualifikasi = kualifikasi(records, rules, &mut suggestions);
    let kompetensi = kompetensi(records, year, rules, &mut suggestions);
    let kinerja = kinerja(records, year, rules, &mut suggestions);
    let disiplin = disiplin(records, year, rules, levels);
    let dimensions = vec![kualifikasi, kompetensi, kinerja, disiplin];
    let total = dimensions.iter().map(|d| d.score).sum::<u32>().min(100);
    let band = rules.bands.iter().find(|(min, _)| total >= *min).map_or(Band::SangatRendah, |(_, b)| *b);
    suggestions.sort_by_key(|s| std::cmp::Reverse(s.points));
    IpAsnScore { rules_version: rules.version.to_owned(), year, total, band, dimensions, suggestions }
}

fn max_of(table: &[(u32, u32)]) -> u32 {
    table.iter().map(|(_, p)| *p).max().unwrap_or(0)
}

fn kualifikasi(records: &[&HistoryData], rules: &IpAsnRules, out: &mut Vec<Suggestion>) -> DimensionScore {
    let level = records
        .iter()
        .filter_map(|r| match r {
            HistoryData::Pendidikan(p) => p.tingkat_pendidikan_id.parse::<u32>().ok(),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let points = |lvl: u32| rules.kualifikasi.iter().find(|(min, _)| lvl >= *min).map_or(0, |(_, p)| *p);
    let score = points(level);
    // The next level up, as a suggestion.
    if let Some((next_min, next_points)) = rules.kualifikasi.iter().rev().find(|(min, p)| *min > level && *p > score) {
        out.push(Suggestion {
            dimension: Dimension::Kualifikasi,
            points: next_points - score,
            kind: HistoryKind::Pendidikan,
            message_id: format!(
                "Catat pendidikan yang lebih tinggi (tingkat {next_min} ke atas): +{} poin.",
                next_points - score
            ),
            message_en: format!(
                "Record a higher education (level {next_min} or above): +{} points.",
                next_points - score
            ),
        });
    }
    DimensionScore { dimension: Dimension::Kualifikasi, score, max: max_of(rules.kualifikasi) }
}

fn kompetensi(records: &[&HistoryData], year: i32, rules: &IpAsnRules, out: &mut Vec<Suggestion>) -> DimensionScore {
    let in_window = |d: NaiveDate, window: Option<i32>| window.is_none_or(|w| d.year() <= year && d.year() >= year - w);
    let mut score = 0;
    for rule in rules.kompetensi {
        let done = records.iter().any(|r| match (rule.item, r) {
            (CompetencyItem::Kepemimpinan, HistoryData::Diklat(d)) => {
                d.jumlah_jam >= rule.min_hours && in_window(d.tanggal_selesai, rule.window_years)
            }
            (item, HistoryData::Kursus(k)) => {
                let fungsional = rules.fungsional_diklat_ids.contains(&k.jenis_diklat_id.as_str());
                let seminar = rules.seminar_diklat_ids.contains(&k.jenis_diklat_id.as_str());
                let matches = match item {
                    CompetencyItem::Fungsional => fungsional,
                    CompetencyItem::Seminar => seminar,
                    CompetencyItem::Teknis => !fungsional && !seminar,
                    CompetencyItem::Kepemimpinan => false,
                };
                matches && k.jumlah_jam >= rule.min_hours && in_window(k.tanggal_selesai, rule.window_years)
            }
            _ => false,
        });
        if done {
            score += rule.points;
        } else {
            out.push(competency_suggestion(rule, year));
        }
    }
    let max = rules.kompetensi.iter().map(|r| r.points).sum();
    DimensionScore { dimension: Dimension::Kompetensi, score, max }
}

fn competency_suggestion(rule: &CompetencyRule, year: i32) -> Suggestion {
    let (kind, id, en) = match rule.item {
        CompetencyItem::Kepemimpinan => (
            HistoryKind::Diklat,
            "Ikuti pelatihan kepemimpinan".to_owned(),
            "Complete a leadership training".to_owned(),
        ),
        CompetencyItem::Fungsional => (
            HistoryKind::Kursus,
            format!("Ikuti pelatihan fungsional pada {}-{year}", year - rule.window_years.unwrap_or(0)),
            format!("Complete a functional training in {}-{year}", year - rule.window_years.unwrap_or(0)),
        ),
        CompetencyItem::Teknis => (
            HistoryKind::Kursus,
            format!("Ikuti pelatihan teknis minimal {} jam pelajaran pada {year}", rule.min_hours),
            format!("Complete a technical training of at least {} hours in {year}", rule.min_hours),
        ),
        CompetencyItem::Seminar => (
            HistoryKind::Kursus,
            format!("Ikuti seminar atau workshop pada {year}"),
            format!("Attend a seminar or workshop in {year}"),
        ),
    };
    Suggestion {
        dimension: Dimension::Kompetensi,
        points: rule.points,
        kind,
        message_id: format!("{id} dan catat: +{} poin.", rule.points),
        message_en: format!("{en} and record it: +{} points.", rule.points),
    }
}

fn kinerja(records: &[&HistoryData], year: i32, rules: &IpAsnRules, out: &mut Vec<Suggestion>) -> DimensionScore {
    let skp_year = year - 1;
    let max = rules.kinerja_predikat.iter().map(|(_, p)| *p).max().unwrap_or(0);
    let score = records
        .iter()
        .find_map(|r| match r {
            HistoryData::Skp(s) if s.tahun == skp_year => {
                rules.kinerja_predikat.iter().find(|(p, _)| *p == s.predikat).map(|(_, pts)| *pts)
            }
            HistoryData::SkpLama(s) if s.tahun == skp_year => {
                rules.kinerja_nilai.iter().find(|(min, _)| s.nilai_skp >= *min).map(|(_, pts)| *pts)
            }
            _ => None,
        })
        .unwrap_or(0);
    if score == 0 {
        out.push(Suggestion {
            dimension: Dimension::Kinerja,
            points: max,
            kind: HistoryKind::Skp,
            message_id: format!("Catat SKP tahun {skp_year}: sampai +{max} poin."),
            message_en: format!("Record the SKP of {skp_year}: up to +{max} points."),
        });
    }
    DimensionScore { dimension: Dimension::Kinerja, score, max }
}

fn disiplin(records: &[&HistoryData], year: i32, rules: &IpAsnRules, levels: &dyn PenaltyLevels) -> DimensionScore {
    let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    let score = records
        .iter()
        .filter_map(|r| match r {
            HistoryData::HukumanDisiplin(h) if h.tanggal_mulai <= end && h.tanggal_akhir.is_none_or(|a| a >= start) => {
                let level = levels.level(&h.jenis_hukuman_id).unwrap_or_else(|| "B".into());
                Some(rules.disiplin_level.iter().find(|(l, _)| *l == level).map_or(1, |(_, p)| *p))
            }
            _ => None,
        })
        .min()
        .unwrap_or(rules.disiplin_max);
    DimensionScore { dimension: Dimension::Disiplin, score, max: rules.disiplin_max }
}
