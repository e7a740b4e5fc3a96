//! Golden tests of the IP ASN rule set on hand-built records, one per band and one per dimension edge, so a
//! change of the rules (or of the code applying them) shows up as a changed number here.

use chrono::NaiveDate;
use mysapk_model::history::samples::sample;
use mysapk_model::history::{HistoryData, HistoryKind, Predikat, Rating};
use mysapk_model::standing::ip_asn::{ip_asn, Band, DefaultPenaltyLevels, Dimension, RULES_BKN_8_2019};

const YEAR: i32 = 2025;

fn born() -> NaiveDate {
    NaiveDate::from_ymd_opt(1985, 3, 10).expect("date")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn pendidikan(level: &str) -> HistoryData {
    let mut r = sample(HistoryKind::Pendidikan, born(), 0);
    if let HistoryData::Pendidikan(p) = &mut r {
        p.tingkat_pendidikan_id = level.into();
    }
    r
}

fn kursus(jenis: &str, hours: i32, on: NaiveDate) -> HistoryData {
    let mut r = sample(HistoryKind::Kursus, born(), 0);
    if let HistoryData::Kursus(k) = &mut r {
        k.jenis_diklat_id = jenis.into();
        k.jumlah_jam = hours;
        k.tanggal_mulai = on;
        k.tanggal_selesai = on;
    }
    r
}

fn pim() -> HistoryData {
    sample(HistoryKind::Diklat, born(), 0)
}

fn skp(year: i32, predikat: Predikat) -> HistoryData {
    let mut r = sample(HistoryKind::Skp, born(), 0);
    if let HistoryData::Skp(s) = &mut r {
        s.tahun = year;
        s.predikat = predikat;
        (s.hasil_kerja, s.perilaku_kerja) = match predikat {
            Predikat::SangatBaik => (Rating::Above, Rating::Above),
            Predikat::Baik => (Rating::Meets, Rating::Meets),
            Predikat::ButuhPerbaikan => (Rating::Below, Rating::Meets),
            Predikat::Kurang => (Rating::Meets, Rating::Below),
            Predikat::SangatKurang => (Rating::Below, Rating::Below),
        };
    }
    r
}

fn hukuman(jenis: &str, start: NaiveDate, end: Option<NaiveDate>) -> HistoryData {
    let mut r = sample(HistoryKind::HukumanDisiplin, born(), 0);
    if let HistoryData::HukumanDisiplin(h) = &mut r {
        h.jenis_hukuman_id = jenis.into();
        h.tanggal_mulai = start;
        h.tanggal_akhir = end;
    }
    r
}

fn all_training() -> Vec<HistoryData> {
    vec![pim(), kursus("2", 40, d(2024, 6, 1)), kursus("3", 24, d(2025, 3, 1)), kursus("9", 4, d(2025, 5, 1))]
}

/// `(records, expected total, band, [kualifikasi, kompetensi, kinerja, disiplin])`.
fn score(records: Vec<HistoryData>) -> (u32, Band, Vec<u32>) {
    let refs: Vec<&HistoryData> = records.iter().collect();
    let s = ip_asn(&refs, YEAR, &RULES_BKN_8_2019, &DefaultPenaltyLevels);
    assert_eq!(s.rules_version, "bkn-8-2019/1");
    let dims = [Dimension::Kualifikasi, Dimension::Kompetensi, Dimension::Kinerja, Dimension::Disiplin];
    let parts = dims
        .iter()
        .map(|dim| s.dimensions.iter().find(|x| x.dimension == *dim).map(|x| x.score).expect("dimension"))
        .collect();
    (s.total, s.band, parts)
}

#[test]
fn every_band() {
    let mut sangat_tinggi = all_training();
    sangat_tinggi.extend([pendidikan("45"), skp(2024, Predikat::SangatBaik)]);
    assert_eq!(score(sangat_tinggi), (95, Band::SangatTinggi, vec![20, 40, 30, 5]));

    let mut tinggi = all_training();
    tinggi.extend([pendidikan("40"), skp(2024, Predikat::Baik)]);
    assert_eq!(score(tinggi), (85, Band::Tinggi, vec![15, 40, 25, 5]));

    let sedang = vec![
        pendidikan("40"),
        pim(),
        kursus("2", 40, d(2025, 2, 1)),
        kursus("3", 20, d(2025, 3, 1)),
        skp(2024, Predikat::Baik),
    ];
    assert_eq!(score(sedang), (80, Band::Sedang, vec![15, 35, 25, 5]));

    let rendah = vec![pendidikan("30"), pim(), kursus("2", 40, d(2025, 2, 1)), skp(2024, Predikat::Baik)];
    assert_eq!(score(rendah), (70, Band::Rendah, vec![10, 30, 25, 5]));

    let sangat_rendah = vec![pendidikan("15"), hukuman("10", d(2025, 1, 10), None)];
    assert_eq!(score(sangat_rendah), (2, Band::SangatRendah, vec![1, 0, 0, 1]));
}

#[test]
fn dimension_edges() {
    // No education at all scores the lowest qualification row's floor: 0 + 1 point for "anything lower".
    assert_eq!(score(vec![]).2, vec![1, 0, 0, 5]);
    // S-3 is the top of kualifikasi.
    assert_eq!(score(vec![pendidikan("50")]).2[0], 25);
    // Technical training under 20 hours, or in another year, does not count.
    assert_eq!(score(vec![kursus("3", 19, d(2025, 3, 1))]).2[1], 0);
    assert_eq!(score(vec![kursus("3", 30, d(2023, 3, 1))]).2[1], 0);
    // Functional training counts in the evaluated year and the year before, not earlier.
    assert_eq!(score(vec![kursus("2", 30, d(2024, 1, 1))]).2[1], 15);
    assert_eq!(score(vec![kursus("2", 30, d(2023, 12, 31))]).2[1], 0);
    // Kinerja uses the SKP of the year before; every predikat has its points.
    for (p, pts) in [
        (Predikat::SangatBaik, 30),
        (Predikat::Baik, 25),
        (Predikat::ButuhPerbaikan, 20),
        (Predikat::Kurang, 15),
        (Predikat::SangatKurang, 10),
    ] {
        assert_eq!(score(vec![skp(2024, p)]).2[2], pts, "{p:?}");
    }
    assert_eq!(score(vec![skp(2025, Predikat::SangatBaik)]).2[2], 0, "the evaluated year's own SKP does not count");
    // Disiplin: light 3, moderate 2, heavy 1; a penalty ended before the year does not count.
    assert_eq!(score(vec![hukuman("1", d(2025, 2, 1), Some(d(2025, 8, 1)))]).2[3], 3);
    assert_eq!(score(vec![hukuman("4", d(2024, 6, 1), Some(d(2025, 6, 1)))]).2[3], 2);
    assert_eq!(score(vec![hukuman("9", d(2025, 6, 1), None)]).2[3], 1);
    assert_eq!(score(vec![hukuman("9", d(2020, 6, 1), Some(d(2021, 6, 1)))]).2[3], 5);
}

#[test]
fn suggestions_name_the_points_and_the_form() {
    let records = [pendidikan("40"), pim()];
    let refs: Vec<&HistoryData> = records.iter().collect();
    let s = ip_asn(&refs, YEAR, &RULES_BKN_8_2019, &DefaultPenaltyLevels);
    let kinds: Vec<(HistoryKind, u32)> = s.suggestions.iter().map(|x| (x.kind, x.points)).collect();
    assert_eq!(
        kinds,
        [
            (HistoryKind::Skp, 30),
            (HistoryKind::Kursus, 15),
            (HistoryKind::Pendidikan, 5),
            (HistoryKind::Kursus, 5),
            (HistoryKind::Kursus, 5),
        ]
    );
    // Following every suggestion reaches the maximum of each dimension it names.
    assert!(s.suggestions.iter().all(|x| x.message_id.contains('+') && x.message_en.contains('+')));
}
