//! One generated ASN: NIP, name, education, a career (golongan rising about every four years, positions
//! following the golongan), and through [`super::life`] a record in every other category.
//!
//! Generation is deterministic: the same random stream gives the same person. The NIP skeleton (birth date,
//! TMT CPNS, gender) is drawn first for everyone, so the ASN can be generated and written in NIP order.

use chrono::{Datelike, NaiveDate};
use mysapk_model::history::{Golongan, HistoryData, Jabatan, Pendidikan};
use mysapk_model::nip::NipGender;
use mysapk_model::record::Profile;
use mysapk_model::Nip;
use rand::rngs::StdRng;
use rand::Rng;

use super::life::{self, as_of, days, months, months_between, pick, ymd, Facts};
use super::names::{self, Programme};

/// The golongan ladder, I/a to IV/e.
const LADDER: [&str; 17] =
    ["11", "12", "13", "14", "21", "22", "23", "24", "31", "32", "33", "34", "41", "42", "43", "44", "45"];

/// The part of a NIP drawn first: birth date, TMT CPNS (first of a month), gender. Ordered as the NIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Skeleton {
    pub born: NaiveDate,
    pub tmt: NaiveDate,
    pub female: bool,
}

/// An ASN appointed in the last 35 years at age 20 to 35 (younger ages likelier), not past 58 (retirement) now.
pub(crate) fn skeleton(rng: &mut StdRng) -> Skeleton {
    loop {
        let tmt = ymd(rng.gen_range(as_of().year() - 34..=as_of().year()), rng.gen_range(1..=12), 1);
        let age = 20 + rng.gen_range(0..=15).min(rng.gen_range(0..=15));
        // Born in one of the twelve months before the birthday that makes `age` at the TMT.
        let month = months(tmt, -(12 * age) - rng.gen_range(1..=12));
        let born = days(month, rng.gen_range(0..28));
        if born.year() >= 1946 && months_between(born, as_of()) < 58 * 12 {
            return Skeleton { born, tmt, female: rng.gen_bool(0.5) };
        }
    }
}

/// The NIP of `s` with sequence number `seq` (1..=999).
pub(crate) fn nip_of(s: &Skeleton, seq: u32) -> String {
    format!("{}{}{}{seq:03}", s.born.format("%Y%m%d"), s.tmt.format("%Y%m"), if s.female { 2 } else { 1 })
}

/// Reference data the generator draws from.
pub(crate) struct Tables<'a> {
    /// Functional positions with Ahli Pertama/Muda/Madya levels (without the level).
    pub fungsional_ahli: &'a [String],
    /// Every agency, for transfers.
    pub all_instansi: &'a [(String, String)],
}

/// A generated ASN.
pub(crate) struct Generated {
    pub profile: Profile,
    pub histories: Vec<HistoryData>,
    /// Each record's SIASN id, in the order of `histories`.
    pub siasn_ids: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Slta,
    D3,
    S1,
    S2,
    S3,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Track {
    Pelaksana,
    Fungsional,
    Struktural,
}

/// Generate the ASN with NIP `nip` (from `s`) in agency `(id, nama)`.
pub(crate) fn person(rng: &mut StdRng, s: &Skeleton, nip: Nip, agency: (&str, &str), t: &Tables) -> Generated {
    let nama = life::full_name(rng, s.female);
    let (tempat_lahir, region) = *pick(rng, names::PLACES);
    let unor = *pick(rng, names::UNITS);
    let f = Facts { born: s.born, female: s.female, tmt_cpns: s.tmt, unor };
    let mut out = Vec::with_capacity(32);

    // Education before the appointment, and for some a master's degree later.
    let age = s.tmt.year() - s.born.year();
    let mut level = match rng.gen_range(0..100) {
        0..=11 => Level::Slta,
        12..=26 => Level::D3,
        27..=82 => Level::S1,
        83..=97 => Level::S2,
        _ => Level::S3,
    };
    for (l, min_age) in [(Level::S3, 28), (Level::S2, 24), (Level::S1, 22), (Level::D3, 21)] {
        if level == l && age < min_age {
            level = match l {
                Level::S3 => Level::S2,
                Level::S2 => Level::S1,
                Level::S1 => Level::D3,
                _ => Level::Slta,
            };
        }
    }
    let school_city = tempat_lahir;
    let (gelar_depan, mut gelar_belakang) = education(rng, &f, level, school_city, &mut out);
    let later_s2 = level == Level::S1 && as_of().year() - s.tmt.year() >= 6 && rng.gen_bool(0.15);
    if later_s2 {
        let year = rng.gen_range(s.tmt.year() + 3..=as_of().year());
        let g = degree(rng, names::S2, year, &mut out);
        gelar_belakang = Some(join_degrees(gelar_belakang, g));
    }

    let track = if level >= Level::S1 {
        match rng.gen_range(0..100) {
            0..=44 => Track::Fungsional,
            45..=59 => Track::Struktural,
            _ => Track::Pelaksana,
        }
    } else {
        Track::Pelaksana
    };

    // Golongan: from the entry rank by education, up one step every four (sometimes five) years.
    let (entry, cap) = match level {
        Level::Slta => ("21", "31"),
        Level::D3 => ("23", "32"),
        Level::S1 if track == Track::Pelaksana => ("31", "41"),
        Level::S1 => ("31", if later_s2 { "43" } else { "42" }),
        Level::S2 => ("32", "43"),
        Level::S3 => ("33", "45"),
    };
    let mut golongan: Vec<(&str, NaiveDate)> = vec![(entry, s.tmt)];
    let mut idx = LADDER.iter().position(|g| *g == entry).unwrap_or(0);
    let cap_idx = LADDER.iter().position(|g| *g == cap).unwrap_or(idx);
    let mut tmt = s.tmt;
    while idx < cap_idx {
        let wait = if rng.gen_bool(0.25) { 60 } else { 48 };
        tmt = next_kp_period(months(tmt, wait));
        if tmt > as_of() {
            break;
        }
        idx += 1;
        golongan.push((LADDER[idx], tmt));
    }
    let tmt_pns = Some(months(s.tmt, rng.gen_range(12..=24))).filter(|d| *d <= as_of());
    for (i, (id, tmt)) in golongan.iter().enumerate() {
        let served = months_between(s.tmt, *tmt);
        let jenis_kp = match (i, track) {
            (0, _) => None,
            (_, Track::Struktural) if *id >= "33" => Some("201"),
            (_, Track::Fungsional) => Some("202"),
            _ => Some("101"),
        };
        out.push(HistoryData::Golongan(Golongan {
            golongan_id: (*id).to_owned(),
            tmt_golongan: *tmt,
            sk_nomor: format!("823.{}/KP.{:04}/{}", &id[..1], rng.gen_range(1..10_000), tmt.year()),
            sk_tanggal: days(*tmt, -rng.gen_range(20..70)),
            jenis_kp_id: jenis_kp.map(str::to_owned),
            mk_tahun: Some(served / 12),
            mk_bulan: Some(served % 12),
        }));
    }

    // Positions follow the golongan.
    let golongan_at = |d: NaiveDate| golongan.iter().rev().find(|(_, t)| *t <= d).map_or(entry, |(g, _)| *g);
    let reached = |g: &str| golongan.iter().find(|(id, _)| *id == g).map(|(_, t)| *t);
    let mut posts: Vec<(NaiveDate, &str, String, Option<&str>)> =
        vec![(s.tmt, "4", (*pick(rng, names::PELAKSANA)).to_owned(), None)];
    match track {
        Track::Fungsional => {
            let base = if t.fungsional_ahli.is_empty() {
                "Analis Kebijakan".to_owned()
            } else {
                pick(rng, t.fungsional_ahli).clone()
            };
            if let Some(start) = tmt_pns.filter(|d| golongan_at(*d) >= "31") {
                posts.push((start, "2", format!("{base} Ahli Pertama"), None));
                let mut since = start;
                for (g, jenjang) in [("33", "Ahli Muda"), ("41", "Ahli Madya")] {
                    if let Some(d) = reached(g).filter(|d| *d > since) {
                        posts.push((d, "2", format!("{base} {jenjang}"), None));
                        since = d;
                    }
                }
                life::angka_kredit(rng, start, &mut out);
            }
        }
        Track::Struktural => {
            for (g, prefix, eselon, pim) in
                [("32", "Kepala Subbagian", "41", 4), ("41", "Kepala Bagian", "31", 3), ("43", "Kepala Biro", "21", 0)]
            {
                let Some(d) = reached(g).map(|d| months(d, rng.gen_range(6..=18))).filter(|d| *d <= as_of()) else {
                    break;
                };
                posts.push((d, "1", format!("{prefix} {}", pick(rng, names::SUBJECTS)), Some(eselon)));
                if pim > 0 {
                    out.extend(life::diklat_pim(rng, pim, d));
                }
            }
        }
        Track::Pelaksana => {
            if let Some((_, d)) = golongan.get(2) {
                posts.push((*d, "4", (*pick(rng, names::PELAKSANA)).to_owned(), None));
            }
        }
    }
    posts.sort_by_key(|p| p.0);
    posts.dedup_by_key(|p| p.0);
    let ends: Vec<Option<NaiveDate>> = (0..posts.len()).map(|i| posts.get(i + 1).map(|n| days(n.0, -1))).collect();
    for ((start, jenis, nama, eselon), end) in posts.iter().zip(ends) {
        out.push(HistoryData::Jabatan(Jabatan {
            jenis_jabatan_id: (*jenis).to_owned(),
            jabatan_nama: nama.clone(),
            unor_nama: unor.to_owned(),
            eselon_id: eselon.map(str::to_owned),
            tmt_jabatan: *start,
            tmt_selesai: end,
            sk_nomor: format!("821.2/{:04}/{}", rng.gen_range(1..10_000), start.year()),
            sk_tanggal: days(*start, -rng.gen_range(5..40)),
            unor_id: None,
            jabatan_id: None,
        }));
    }
    let jabatan_nama = posts.last().map(|p| p.2.clone());
    let golongan_id = golongan.last().map(|(g, _)| (*g).to_owned());

    out.push(life::cpns_pns(rng, &f, tmt_pns));
    out.extend(life::latsar(rng, &f, entry < "31"));
    let n_kursus = rng.gen_range(1..=3);
    life::kursus(rng, &f, n_kursus, &mut out);
    life::orang_tua(rng, &f, &mut out);
    let status_kawin = life::keluarga(rng, &f, false, &mut out);
    life::penghargaan(rng, &f, false, &mut out);
    life::skp(rng, &f, &mut out);
    life::organisasi(rng, &f, &mut out);
    if rng.gen_bool(0.02) {
        out.extend(life::hukuman_disiplin(rng, &f));
    }
    if rng.gen_bool(0.04) {
        out.extend(life::pmk(rng, &f));
    }
    if rng.gen_bool(0.03) && !t.all_instansi.is_empty() {
        let from = pick(rng, t.all_instansi).0.clone();
        out.extend(life::pindah_instansi(rng, &f, &from, agency.0));
    }
    if rng.gen_bool(0.01) {
        out.extend(life::cltn(rng, &f));
    }

    let verified = life::verified(rng, &f, region, status_kawin);
    let owner = life::owner(rng, &nama, nip.as_str(), "asn.go.id");
    let mut profile = Profile {
        tanggal_lahir: s.born,
        jenis_kelamin: match nip.gender() {
            NipGender::Male => "M".into(),
            NipGender::Female => "F".into(),
        },
        nip,
        nama,
        gelar_depan,
        gelar_belakang,
        tempat_lahir: tempat_lahir.to_owned(),
        instansi_id: agency.0.to_owned(),
        instansi_nama: agency.1.to_owned(),
        unor_nama: unor.to_owned(),
        golongan_id,
        jabatan_nama,
        owner,
        verified: Box::new(verified),
        confirmed_kinds: Vec::new(),
        last_usulan_id: None,
        siasn_pns_id: None,
        unor_id: None,
    };
    // SIASN's ids come from their own streams (NIP, record), so the records above stay what they were.
    let siasn_ids = super::siasn_ids::identify(&mut profile, &mut out);
    Generated { profile, histories: out, siasn_ids }
}

/// The promotion periods are 1 April and 1 October: the first on or after `d`.
fn next_kp_period(d: NaiveDate) -> NaiveDate {
    let april = ymd(d.year(), 4, 1);
    let october = ymd(d.year(), 10, 1);
    if d <= april {
        april
    } else if d <= october {
        october
    } else {
        ymd(d.year() + 1, 4, 1)
    }
}

/// Education up to `level`, finished by the appointment. Returns the profile's degrees (front, back).
fn education(
    rng: &mut StdRng,
    f: &Facts,
    level: Level,
    city: &str,
    out: &mut Vec<HistoryData>,
) -> (Option<String>, Option<String>) {
    let tmt = f.tmt_cpns.year();
    let b = f.born.year();
    // Graduation years, clamped from the top so each degree is finished before the next and the appointment.
    let s3 = (level == Level::S3).then(|| (b + 31 + rng.gen_range(0..=2)).min(tmt));
    let s2 = (level >= Level::S2).then(|| (b + 25 + rng.gen_range(0..=1)).min(s3.map_or(tmt, |y| y - 3)));
    let s1 = (level >= Level::S1).then(|| (b + 22 + rng.gen_range(0..=1)).min(s2.map_or(tmt, |y| y - 2)));
    let d3 = (level == Level::D3).then(|| (b + 21).min(tmt));
    let slta = (b + 18).min(s1.map_or(d3.map_or(tmt, |y| y - 3), |y| y - 4));
    let (tingkat, program, _) = *pick(rng, names::SLTA);
    let kind = if tingkat == "17" { "SMK" } else { "SMA" };
    out.push(HistoryData::Pendidikan(Pendidikan {
        tingkat_pendidikan_id: tingkat.into(),
        pendidikan_nama: program.into(),
        nama_sekolah: format!("{kind} Negeri {} {city}", rng.gen_range(1..=20)),
        tahun_lulus: slta,
        nomor_ijazah: format!("DN-{:02} Ma {:07}", rng.gen_range(1..=34), rng.gen_range(1..10_000_000)),
        gelar_depan: None,
        gelar_belakang: None,
        pendidikan_id: None,
    }));
    let mut back: Option<String> = None;
    let mut front = None;
    for (year, list) in [(d3, names::D3), (s1, names::S1), (s2, names::S2), (s3, names::S3)] {
        let Some(year) = year else { continue };
        let g = degree(rng, list, year, out);
        if g == "Dr." {
            front = Some(g.to_owned());
        } else {
            back = Some(join_degrees(back, g));
        }
    }
    (front, back)
}

/// One degree from `list` finished in `year`; returns its title.
fn degree(rng: &mut StdRng, list: &[Programme], year: i32, out: &mut Vec<HistoryData>) -> &'static str {
    let (tingkat, program, gelar) = *pick(rng, list);
    let kampus = *pick(rng, names::UNIVERSITIES);
    out.push(HistoryData::Pendidikan(Pendidikan {
        tingkat_pendidikan_id: tingkat.into(),
        pendidikan_nama: program.into(),
        nama_sekolah: kampus.into(),
        tahun_lulus: year,
        nomor_ijazah: format!("{}/{year}/{:05}", initials(kampus), rng.gen_range(1..100_000)),
        gelar_depan: (gelar == "Dr.").then(|| gelar.to_owned()),
        gelar_belakang: (gelar != "Dr.").then(|| gelar.to_owned()),
        pendidikan_id: None,
    }));
    gelar
}

fn join_degrees(before: Option<String>, next: &str) -> String {
    match before {
        Some(b) => format!("{b}, {next}"),
        None => next.to_owned(),
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).filter(char::is_ascii_uppercase).collect()
}
