//! Competency and potential assessment results (asesmen kompetensi dan potensi), as an assessment centre reports
//! them to the agency. The agency admin records them; the ASN reads them (they are not proposed by the ASN).
//! Aspects follow `../shared/domain/README.md` §6; levels are 1-5 against the post's standard level.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Code;
use crate::Violation;

/// One assessed aspect: the nine managerial and socio-cultural competencies, then the five potential aspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Aspect {
    Integritas,
    Kerjasama,
    Komunikasi,
    OrientasiPadaHasil,
    PelayananPublik,
    PengembanganDiri,
    MengelolaPerubahan,
    PengambilanKeputusan,
    PerekatBangsa,
    BerpikirKritis,
    Intelektual,
    Interpersonal,
    KesadaranDiri,
    MotivasiKomitmen,
}

/// The competency aspects, in the order a radar chart draws them.
pub const KOMPETENSI: [Aspect; 9] = [
    Aspect::Integritas,
    Aspect::Kerjasama,
    Aspect::Komunikasi,
    Aspect::OrientasiPadaHasil,
    Aspect::PelayananPublik,
    Aspect::PengembanganDiri,
    Aspect::MengelolaPerubahan,
    Aspect::PengambilanKeputusan,
    Aspect::PerekatBangsa,
];

/// The potential aspects, in the order a radar chart draws them.
pub const POTENSI: [Aspect; 5] = [
    Aspect::BerpikirKritis,
    Aspect::Intelektual,
    Aspect::Interpersonal,
    Aspect::KesadaranDiri,
    Aspect::MotivasiKomitmen,
];

/// The lowest and highest level of an aspect.
pub const LEVELS: std::ops::RangeInclusive<u8> = 1..=5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AspectScore {
    pub aspect: Aspect,
    /// The assessed level, 1-5.
    pub level: u8,
    /// The level the post requires, 1-5.
    pub standard: u8,
}

/// One assessment of one ASN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: String,
    pub tanggal: NaiveDate,
    /// Who assessed (the assessment centre).
    pub penyelenggara: String,
    pub scores: Vec<AspectScore>,
}

impl Assessment {
    /// The potential score 0-100: the mean potential level scaled from 1-5 to 0-100; `None` without any.
    pub fn potential_score(&self) -> Option<u32> {
        let levels: Vec<u32> =
            self.scores.iter().filter(|s| POTENSI.contains(&s.aspect)).map(|s| u32::from(s.level)).collect();
        if levels.is_empty() {
            return None;
        }
        let sum: u32 = levels.iter().map(|l| l.saturating_sub(1)).sum();
        let n = u32::try_from(levels.len()).unwrap_or(u32::MAX);
        Some((sum * 100 + n * 2) / (n * 4))
    }

    /// What is wrong with an assessment an admin records: levels outside 1-5, an aspect twice, no scores, a
    /// date after `today`.
    pub fn check(&self, today: NaiveDate) -> Vec<Violation> {
        let mut v = Vec::new();
        if self.penyelenggara.trim().is_empty() {
            v.push(Code::FieldRequired.violation("penyelenggara"));
        }
        if self.tanggal > today {
            v.push(Code::DateInFuture.violation("tanggal"));
        }
        if self.scores.is_empty() {
            v.push(Code::AssessmentNoScores.violation("scores"));
        }
        for (i, s) in self.scores.iter().enumerate() {
            if !LEVELS.contains(&s.level) || !LEVELS.contains(&s.standard) {
                v.push(Code::AssessmentLevel.violation(&format!("scores[{i}]")));
            }
            if self.scores[..i].iter().any(|o| o.aspect == s.aspect) {
                v.push(Code::AssessmentDuplicateAspect.violation(&format!("scores[{i}]")));
            }
        }
        v
    }
}

/// `POST /api/v1/admin/assessments`: an admin records an assessment of an ASN of their agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAssessment {
    pub nip: String,
    pub assessment: Assessment,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_potential(levels: &[u8]) -> Assessment {
        Assessment {
            id: "a".into(),
            tanggal: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or(NaiveDate::MIN),
            penyelenggara: "UPT Penilaian Kompetensi".into(),
            scores: POTENSI
                .iter()
                .zip(levels)
                .map(|(a, l)| AspectScore { aspect: *a, level: *l, standard: 3 })
                .collect(),
        }
    }

    #[test]
    fn potential_score_scales_one_to_five_onto_zero_to_hundred() {
        assert_eq!(with_potential(&[1, 1, 1, 1, 1]).potential_score(), Some(0));
        assert_eq!(with_potential(&[5, 5, 5, 5, 5]).potential_score(), Some(100));
        assert_eq!(with_potential(&[3, 3, 3, 3, 3]).potential_score(), Some(50));
        assert_eq!(with_potential(&[]).potential_score(), None);
    }

    #[test]
    fn bad_levels_and_duplicates_are_named() {
        let mut a = with_potential(&[3, 6, 3]);
        a.scores.push(a.scores[0]);
        let codes: Vec<String> = a.check(a.tanggal).into_iter().map(|v| v.code).collect();
        assert_eq!(codes, ["assessment.level", "assessment.duplicate_aspect"]);
    }
}
