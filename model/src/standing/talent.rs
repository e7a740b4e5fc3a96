//! The 9-box talent map (PermenPANRB 3/2020): performance × potential, three levels each. Sources number the
//! boxes differently (*verify*), so the layout is data ([`LAYOUT_PERMENPANRB_3_2020`]); boxes 7-9 are the
//! promotion candidates.

use serde::{Deserialize, Serialize};

use crate::history::{HistoryData, Predikat};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Level {
    Low,
    Medium,
    High,
}

impl Level {
    fn index(self) -> usize {
        match self {
            Level::Low => 0,
            Level::Medium => 1,
            Level::High => 2,
        }
    }
}

/// One box of the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TalentBox {
    pub number: u8,
    pub label_id: &'static str,
    pub label_en: &'static str,
}

/// A layout: `boxes[potential][performance]`, levels low, medium, high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NineBoxLayout {
    pub version: &'static str,
    pub boxes: [[TalentBox; 3]; 3],
    /// Boxes from this number up are promotion candidates.
    pub candidates_from: u8,
}

const fn b(number: u8, label_id: &'static str, label_en: &'static str) -> TalentBox {
    TalentBox { number, label_id, label_en }
}

pub const LAYOUT_PERMENPANRB_3_2020: NineBoxLayout = NineBoxLayout {
    version: "permenpanrb-3-2020/1",
    boxes: [
        // Potential low: performance low, medium, high.
        [
            b(1, "Kinerja di bawah ekspektasi, potensi rendah", "Performance below expectation, low potential"),
            b(3, "Kinerja sesuai ekspektasi, potensi rendah", "Performance meets expectation, low potential"),
            b(4, "Kinerja di atas ekspektasi, potensi rendah", "Performance above expectation, low potential"),
        ],
        // Potential medium.
        [
            b(2, "Kinerja di bawah ekspektasi, potensi menengah", "Performance below expectation, medium potential"),
            b(6, "Kinerja sesuai ekspektasi, potensi menengah", "Performance meets expectation, medium potential"),
            b(7, "Kinerja di atas ekspektasi, potensi menengah", "Performance above expectation, medium potential"),
        ],
        // Potential high.
        [
            b(5, "Kinerja di bawah ekspektasi, potensi tinggi", "Performance below expectation, high potential"),
            b(8, "Kinerja sesuai ekspektasi, potensi tinggi", "Performance meets expectation, high potential"),
            b(9, "Kinerja di atas ekspektasi, potensi tinggi", "Performance above expectation, high potential"),
        ],
    ],
    candidates_from: 7,
};

/// The box of a performance and potential level.
pub fn talent_box(layout: &NineBoxLayout, performance: Level, potential: Level) -> TalentBox {
    layout.boxes[potential.index()][performance.index()]
}

/// The performance level from the SKP of `year`: Sangat Baik high, Baik medium, anything else low; `None`
/// without an SKP of that year.
pub fn performance_level(records: &[&HistoryData], year: i32) -> Option<Level> {
    records.iter().find_map(|r| match r {
        HistoryData::Skp(s) if s.tahun == year => Some(match s.predikat {
            Predikat::SangatBaik => Level::High,
            Predikat::Baik => Level::Medium,
            _ => Level::Low,
        }),
        _ => None,
    })
}

/// The potential level from an assessment score (0-100): ≥ 80 high, ≥ 60 medium, else low (*verify*).
pub fn potential_level(score: u32) -> Level {
    match score {
        80.. => Level::High,
        60..=79 => Level::Medium,
        _ => Level::Low,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_box_once_and_the_corners() {
        let mut numbers: Vec<u8> = LAYOUT_PERMENPANRB_3_2020.boxes.iter().flatten().map(|b| b.number).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=9).collect::<Vec<u8>>());
        let l = &LAYOUT_PERMENPANRB_3_2020;
        assert_eq!(talent_box(l, Level::High, Level::High).number, 9);
        assert_eq!(talent_box(l, Level::Low, Level::Low).number, 1);
        assert_eq!(talent_box(l, Level::High, Level::Medium).number, 7);
        assert_eq!(potential_level(85), Level::High);
        assert_eq!(potential_level(60), Level::Medium);
        assert_eq!(potential_level(10), Level::Low);
    }
}
