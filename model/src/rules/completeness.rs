//! Completeness ("hijau"): per category, complete / needs attention / waiting for a decision, and the
//! overall progress the beranda shows.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::history::{HistoryData, HistoryKind};
use crate::Code;
use crate::Violation;

/// How far one category is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CategoryStatus {
    Complete,
    NeedsAttention,
    /// A proposal of this category waits on the network or a reviewer.
    Waiting,
}

/// One category's status with the reasons that keep it from complete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CategoryProgress {
    pub kind: HistoryKind,
    pub status: CategoryStatus,
    pub official_count: u32,
    /// Proposals queued, submitted or verified.
    pub pending_count: u32,
    pub reasons: Vec<Violation>,
}

/// What completeness needs to know of one category.
pub struct CategoryInput<'a> {
    pub kind: HistoryKind,
    /// The official records of this kind.
    pub official: Vec<&'a HistoryData>,
    /// Proposals of this kind queued, submitted or verified.
    pub pending: u32,
    /// Proposals of this kind returned for repair.
    pub returned: u32,
    /// The ASN confirmed this category ("data sudah sesuai").
    pub confirmed: bool,
    /// For SKP: the years present in the SKP and old-form SKP categories.
    pub skp_years: Vec<i32>,
}

/// How many past years of SKP must be on record (the last two complete years).
pub const SKP_YEARS_REQUIRED: i32 = 2;

pub fn category_progress(input: &CategoryInput, today: NaiveDate) -> CategoryProgress {
    let rule = input.kind.rule();
    let mut reasons = Vec::new();
    if input.returned > 0 {
        reasons.push(Code::UsulanReturned.violation("usulan"));
    }
    if rule.expected && input.official.is_empty() {
        reasons.push(Code::CategoryEmpty.violation("kind"));
    }
    if input.kind == HistoryKind::Skp {
        for year in (today.year() - SKP_YEARS_REQUIRED)..today.year() {
            if !input.skp_years.contains(&year) {
                reasons.push(Code::SkpMissingYear.violation_with("record.tahun", &[("year", &year.to_string())]));
            }
        }
    }
    if rule.needs_confirmation && !input.confirmed {
        reasons.push(Code::CategoryUnconfirmed.violation("kind"));
    }
    let status = if input.returned > 0 {
        CategoryStatus::NeedsAttention
    } else if input.pending > 0 {
        CategoryStatus::Waiting
    } else if reasons.is_empty() {
        CategoryStatus::Complete
    } else {
        CategoryStatus::NeedsAttention
    };
    CategoryProgress {
        kind: input.kind,
        status,
        official_count: input.official.len() as u32,
        pending_count: input.pending,
        reasons,
    }
}

/// `(complete, total)` over the categories shown.
pub fn overall(progress: &[CategoryProgress]) -> (u32, u32) {
    let complete = progress.iter().filter(|p| p.status == CategoryStatus::Complete).count() as u32;
    (complete, progress.len() as u32)
}

/// The SKP years on record, from both SKP forms.
pub fn skp_years<'a>(records: impl IntoIterator<Item = &'a HistoryData>) -> Vec<i32> {
    records
        .into_iter()
        .filter_map(|d| match d {
            HistoryData::Skp(s) => Some(s.tahun),
            HistoryData::SkpLama(s) => Some(s.tahun),
            _ => None,
        })
        .collect()
}
