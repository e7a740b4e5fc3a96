//! Generated competency and potential assessments: every aspect, levels around the post's standard, dated after
//! the ASN's TMT CPNS and on or before [`super::life::as_of`], so they pass [`Assessment::check`] on any later day.
//! Used for every demo person with SKP and about one generated ASN in three.

use chrono::NaiveDate;
use mysapk_model::assessment::{AspectScore, Assessment, KOMPETENSI, LEVELS, POTENSI};
use rand::rngs::StdRng;
use rand::Rng;

use super::life::{as_of, between, pick, ymd};

/// Who assesses (assessment centres).
const PENYELENGGARA: &[&str] = &[
    "Pusat Penilaian Kompetensi ASN BKN",
    "UPT Penilaian Kompetensi Pegawai BKN",
    "Assessment Center Kementerian Dalam Negeri",
    "UPT Assessment Center BKPSDM Provinsi",
];

/// Share of generated ASN given an assessment by `seed --asn`: one in [`ONE_IN`].
pub(crate) const ONE_IN: u32 = 3;

/// A UUID-shaped id made of `tag` and all 18 digits of the NIP (one assessment per seeded ASN, so unique).
pub(crate) fn id_for(tag: u32, nip: &str) -> String {
    let digit = |r: std::ops::Range<usize>| nip.get(r).unwrap_or("0");
    format!("{tag:08x}-{}-a{}-a{}-0000{}", digit(0..4), digit(4..7), digit(7..10), digit(10..18))
}

/// An assessment of an ASN whose TMT CPNS is `tmt_cpns`.
pub(crate) fn assessment(rng: &mut StdRng, id: String, tmt_cpns: NaiveDate) -> Assessment {
    let from = tmt_cpns.max(ymd(2021, 1, 1));
    let tanggal = between(rng, from.min(as_of()), as_of());
    let standard: u8 = rng.gen_range(2..=4);
    let talent: i8 = rng.gen_range(-1..=1);
    let scores = KOMPETENSI
        .iter()
        .chain(POTENSI.iter())
        .map(|aspect| {
            let offset = talent + rng.gen_range(-1..=1);
            let level =
                (i16::from(standard) + i16::from(offset)).clamp(i16::from(*LEVELS.start()), i16::from(*LEVELS.end()));
            AspectScore { aspect: *aspect, level: u8::try_from(level).unwrap_or(standard), standard }
        })
        .collect();
    Assessment { id, tanggal, penyelenggara: (*pick(rng, PENYELENGGARA)).to_owned(), scores }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn ids_differ_for_nips_that_share_their_last_digits() {
        let a = id_for(1, "199001012015031001");
        let b = id_for(1, "198502012015031001");
        assert_ne!(a, b);
        assert_eq!(a, "00000001-1990-a010-a120-000015031001");
        assert!(uuid::Uuid::parse_str(&a).is_ok());
    }

    #[test]
    fn a_thousand_generated_assessments_pass_the_check() {
        let rng = &mut StdRng::seed_from_u64(42);
        let mut spread = std::collections::BTreeSet::new();
        for i in 0..1_000 {
            let cpns = between(rng, ymd(1990, 1, 1), ymd(2025, 12, 1));
            let a = assessment(rng, format!("a{i}"), cpns);
            assert_eq!(a.check(as_of()), Vec::new(), "{a:?}");
            assert!(a.tanggal >= cpns.min(as_of()));
            assert_eq!(a.scores.len(), KOMPETENSI.len() + POTENSI.len());
            spread.extend(a.potential_score());
        }
        assert!(spread.len() > 5, "potential scores spread: {spread:?}");
    }
}
