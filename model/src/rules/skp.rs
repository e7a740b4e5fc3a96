//! The SKP predikat matrix (PermenPANRB 6/2022), as a table.
//!
//! Assumption (the commonly reproduced matrix, marked *verify* in the domain reference): above+above gives
//! Sangat Baik; any other mix of meets/above gives Baik; results below with behaviour meets/above gives Butuh
//! Perbaikan; behaviour below with results meets/above gives Kurang; below+below gives Sangat Kurang.

use crate::history::{Predikat, Rating};

/// The first year of the 2022+ SKP form.
pub const FIRST_YEAR_2022_FORM: i32 = 2022;

/// `(hasil kerja, perilaku kerja) → predikat`, every combination once.
pub const PREDIKAT_MATRIX: [(Rating, Rating, Predikat); 9] = [
    (Rating::Above, Rating::Above, Predikat::SangatBaik),
    (Rating::Above, Rating::Meets, Predikat::Baik),
    (Rating::Meets, Rating::Above, Predikat::Baik),
    (Rating::Meets, Rating::Meets, Predikat::Baik),
    (Rating::Below, Rating::Above, Predikat::ButuhPerbaikan),
    (Rating::Below, Rating::Meets, Predikat::ButuhPerbaikan),
    (Rating::Above, Rating::Below, Predikat::Kurang),
    (Rating::Meets, Rating::Below, Predikat::Kurang),
    (Rating::Below, Rating::Below, Predikat::SangatKurang),
];

/// The predikat the matrix gives for two ratings.
pub fn predikat(hasil_kerja: Rating, perilaku_kerja: Rating) -> Predikat {
    PREDIKAT_MATRIX
        .iter()
        .find(|(h, p, _)| *h == hasil_kerja && *p == perilaku_kerja)
        .map_or(Predikat::SangatKurang, |(_, _, out)| *out)
}

impl Rating {
    /// SIASN id in `perilakuDanKinerja.json`.
    pub fn siasn_id(self) -> &'static str {
        match self {
            Rating::Above => "1",
            Rating::Meets => "2",
            Rating::Below => "3",
        }
    }
}

impl Predikat {
    /// SIASN id in `kuadranNilai.json`.
    pub fn siasn_id(self) -> &'static str {
        match self {
            Predikat::SangatBaik => "1",
            Predikat::Baik => "2",
            Predikat::ButuhPerbaikan => "3",
            Predikat::Kurang => "4",
            Predikat::SangatKurang => "5",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Predikat::SangatBaik => "Sangat Baik",
            Predikat::Baik => "Baik",
            Predikat::ButuhPerbaikan => "Butuh Perbaikan",
            Predikat::Kurang => "Kurang",
            Predikat::SangatKurang => "Sangat Kurang",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_covers_every_pair_once() {
        let all = [Rating::Above, Rating::Meets, Rating::Below];
        for h in all {
            for p in all {
                assert_eq!(PREDIKAT_MATRIX.iter().filter(|(a, b, _)| *a == h && *b == p).count(), 1, "{h:?} {p:?}");
            }
        }
        assert_eq!(predikat(Rating::Above, Rating::Above), Predikat::SangatBaik);
        assert_eq!(predikat(Rating::Meets, Rating::Above), Predikat::Baik);
        assert_eq!(predikat(Rating::Below, Rating::Meets), Predikat::ButuhPerbaikan);
        assert_eq!(predikat(Rating::Meets, Rating::Below), Predikat::Kurang);
        assert_eq!(predikat(Rating::Below, Rating::Below), Predikat::SangatKurang);
    }
}
