//! Everything the Kinerja & Kompetensi screen shows, computed from the record alone by one function, so the
//! device (offline) and the server give the same numbers.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ip_asn::{ip_asn, DefaultPenaltyLevels, IpAsnScore, RULES_BKN_8_2019};
use super::talent::{performance_level, potential_level, talent_box, Level, LAYOUT_PERMENPANRB_3_2020};
use crate::assessment::Assessment;
use crate::history::{HistoryData, Predikat, Rating};

/// One year of the SKP chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkpYear {
    pub tahun: i32,
    /// 2022+ form: the predikat and the two ratings of the quadrant.
    pub predikat: Option<Predikat>,
    pub hasil_kerja: Option<Rating>,
    pub perilaku_kerja: Option<Rating>,
    /// Old form (before 2022): the numeric score.
    pub nilai_skp: Option<f64>,
}

/// Whether the SKP of one of the last years is on record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkpRecent {
    pub tahun: i32,
    pub present: bool,
}

/// The 9-box position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TalentPosition {
    pub layout_version: String,
    pub number: u8,
    pub label_id: String,
    pub label_en: String,
    pub performance: Level,
    pub potential: Level,
    /// A promotion candidate (boxes from the layout's `candidates_from`).
    pub candidate: bool,
}

/// The whole "where do I stand" view of one ASN on one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Standing {
    pub today: NaiveDate,
    /// The IP ASN of this year (its kinerja reads last year's SKP).
    pub ip_asn: IpAsnScore,
    /// Every SKP on record, oldest first.
    pub skp: Vec<SkpYear>,
    /// The last two years, oldest first.
    pub skp_recent: Vec<SkpRecent>,
    /// `None` without an assessment with potential scores or without last year's 2022+ SKP.
    pub talent: Option<TalentPosition>,
    /// The newest assessment, for the radar chart.
    pub assessment: Option<Assessment>,
    pub potential_score: Option<u32>,
}

/// Compute the standing from the official records and the assessments.
pub fn standing(records: &[&HistoryData], assessments: &[Assessment], today: NaiveDate) -> Standing {
    let year = today.year();
    let mut skp: Vec<SkpYear> = records
        .iter()
        .filter_map(|r| match r {
            HistoryData::Skp(s) => Some(SkpYear {
                tahun: s.tahun,
                predikat: Some(s.predikat),
                hasil_kerja: Some(s.hasil_kerja),
                perilaku_kerja: Some(s.perilaku_kerja),
                nilai_skp: None,
            }),
            HistoryData::SkpLama(s) => Some(SkpYear {
                tahun: s.tahun,
                predikat: None,
                hasil_kerja: None,
                perilaku_kerja: None,
                nilai_skp: Some(s.nilai_skp),
            }),
            _ => None,
        })
        .collect();
    skp.sort_by_key(|s| s.tahun);
    let skp_recent =
        (year - 2..year).map(|tahun| SkpRecent { tahun, present: skp.iter().any(|s| s.tahun == tahun) }).collect();
    let assessment = assessments.iter().filter(|a| a.tanggal <= today).max_by_key(|a| (a.tanggal, a.id.clone()));
    let potential_score = assessment.and_then(Assessment::potential_score);
    let layout = &LAYOUT_PERMENPANRB_3_2020;
    let talent = match (performance_level(records, year - 1), potential_score) {
        (Some(performance), Some(score)) => {
            let potential = potential_level(score);
            let b = talent_box(layout, performance, potential);
            Some(TalentPosition {
                layout_version: layout.version.to_owned(),
                number: b.number,
                label_id: b.label_id.to_owned(),
                label_en: b.label_en.to_owned(),
                performance,
                potential,
                candidate: b.number >= layout.candidates_from,
            })
        }
        _ => None,
    };
    Standing {
        today,
        ip_asn: ip_asn(records, year, &RULES_BKN_8_2019, &DefaultPenaltyLevels),
        skp,
        skp_recent,
        talent,
        assessment: assessment.cloned(),
        potential_score,
    }
}
