//! Generated records outside the career ladder, shared by the demo accounts and `seed --asn`: CPNS/PNS,
//! training, family, awards, SKP (both forms), angka kredit, organisasi, the rare categories (PMK, pindah
//! instansi, CLTN, hukuman disiplin) and the verified and owner fields of data utama.
//!
//! Every date lies on or before [`as_of`], so the output depends only on the seed, never on the day it runs.

use chrono::{Datelike, Days, Months, NaiveDate};
use mysapk_model::history::{
    Anak, AngkaKredit, Cltn, CpnsPns, Diklat, HistoryData, HukumanDisiplin, Kursus, OrangTua, Organisasi, ParentRole,
    Pasangan, Penghargaan, PindahInstansi, Pmk, Rating, Skp, SkpLama,
};
use mysapk_model::record::{OwnerFields, VerifiedFields};
use mysapk_model::rules::skp::{predikat, FIRST_YEAR_2022_FORM};
use rand::rngs::StdRng;
use rand::Rng;

use super::names;

/// The day the generated records describe ("today" for the generator).
pub(crate) fn as_of() -> NaiveDate {
    ymd(2025, 12, 31)
}

pub(crate) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// `d` moved by `months` (either way).
pub(crate) fn months(d: NaiveDate, months: i32) -> NaiveDate {
    let m = Months::new(months.unsigned_abs());
    if months >= 0 { d.checked_add_months(m) } else { d.checked_sub_months(m) }.unwrap_or(d)
}

/// `d` moved by `days` (either way).
pub(crate) fn days(d: NaiveDate, days: i64) -> NaiveDate {
    let n = Days::new(days.unsigned_abs());
    if days >= 0 { d.checked_add_days(n) } else { d.checked_sub_days(n) }.unwrap_or(d)
}

/// Whole months from `a` to `b` (0 when `b` precedes `a`).
pub(crate) fn months_between(a: NaiveDate, b: NaiveDate) -> i32 {
    let m = (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32 - i32::from(b.day() < a.day());
    m.max(0)
}

/// One element of `xs`, which must not be empty (the generator's lists are constants).
pub(crate) fn pick<'a, T>(rng: &mut StdRng, xs: &'a [T]) -> &'a T {
    &xs[rng.gen_range(0..xs.len())]
}

/// A random day in `[from, to]` (`from` when the range is empty).
pub(crate) fn between(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    if span <= 0 {
        from
    } else {
        days(from, rng.gen_range(0..=span))
    }
}

/// What the generators need to know of the ASN.
pub(crate) struct Facts<'a> {
    pub born: NaiveDate,
    pub female: bool,
    pub tmt_cpns: NaiveDate,
    pub unor: &'a str,
}

/// A plausible full name of the given gender.
pub(crate) fn full_name(rng: &mut StdRng, female: bool) -> String {
    let (first, second) =
        if female { (names::FEMALE, names::SECOND_FEMALE) } else { (names::MALE, names::SECOND_MALE) };
    let first = *pick(rng, first);
    if rng.gen_bool(0.1) {
        first.to_owned()
    } else {
        format!("{first} {}", pick(rng, second))
    }
}

/// A valid NIP of an older official (a penilai) or of anybody born in `years`.
pub(crate) fn some_nip(rng: &mut StdRng, years: std::ops::RangeInclusive<i32>) -> String {
    let born = ymd(rng.gen_range(years), rng.gen_range(1..=12), rng.gen_range(1..=28));
    let tmt_year = born.year() + rng.gen_range(23..=30);
    format!(
        "{}{tmt_year}{:02}{}{:03}",
        born.format("%Y%m%d"),
        rng.gen_range(1..=12),
        rng.gen_range(1..=2),
        rng.gen_range(1..=999)
    )
}

pub(crate) fn cpns_pns(rng: &mut StdRng, f: &Facts, tmt_pns: Option<NaiveDate>) -> HistoryData {
    let y = f.tmt_cpns.year();
    HistoryData::CpnsPns(CpnsPns {
        nomor_sk_cpns: format!("813/{:04}/CPNS/{y}", rng.gen_range(1..10_000)),
        tgl_sk_cpns: days(f.tmt_cpns, -rng.gen_range(20..90)),
        tmt_cpns: f.tmt_cpns,
        nomor_sk_pns: tmt_pns.map(|t| format!("821.13/{:04}/PNS/{}", rng.gen_range(1..10_000), t.year())),
        tgl_sk_pns: tmt_pns.map(|t| days(t, -rng.gen_range(10..40))),
        tmt_pns,
        no_spmt: Some(format!("SPMT/{:04}/{y}", rng.gen_range(1..10_000))),
    })
}

/// The basic training of a new civil servant (Latsar since 2018, Prajabatan before), when finished by now.
pub(crate) fn latsar(rng: &mut StdRng, f: &Facts, golongan_ii: bool) -> Option<HistoryData> {
    let start = months(f.tmt_cpns, rng.gen_range(2..=9));
    let end = days(start, rng.gen_range(45..=60));
    if end > as_of() {
        return None;
    }
    let gol = if golongan_ii { "II" } else { "III" };
    let nama = if start.year() >= 2018 {
        format!("Pelatihan Dasar CPNS Golongan {gol}")
    } else {
        format!("Diklat Prajabatan Golongan {gol}")
    };
    Some(HistoryData::Diklat(Diklat {
        latihan_struktural_id: "8".into(),
        nama_diklat: nama,
        institusi_penyelenggara: (*pick(rng, &["BPSDM Provinsi", "LAN RI", "Pusdiklat Kementerian"])).to_owned(),
        tanggal_mulai: start,
        tanggal_selesai: end,
        jumlah_jam: 300,
        nomor_sertifikat: format!("LATSAR/{:05}/{}", rng.gen_range(1..100_000), start.year()),
    }))
}

/// Leadership training for a new head of unit: PIM IV (level 4) or PIM III (level 3), when finished by now.
pub(crate) fn diklat_pim(rng: &mut StdRng, level: u8, appointed: NaiveDate) -> Option<HistoryData> {
    let start = months(appointed, rng.gen_range(3..=9));
    let end = months(start, 3);
    if end > as_of() {
        return None;
    }
    let (id, nama, jam) =
        if level == 4 { ("2", "Diklat PIM Tingkat IV", 285) } else { ("3", "Diklat PIM Tingkat III", 360) };
    Some(HistoryData::Diklat(Diklat {
        latihan_struktural_id: id.into(),
        nama_diklat: format!("{nama} Angkatan {}", rng.gen_range(1..=60)),
        institusi_penyelenggara: "Lembaga Administrasi Negara".into(),
        tanggal_mulai: start,
        tanggal_selesai: end,
        jumlah_jam: jam,
        nomor_sertifikat: format!("PIM{level}/{:05}/{}", rng.gen_range(1..100_000), start.year()),
    }))
}

/// `n` courses after the first year of service (fewer when the ASN is new).
pub(crate) fn kursus(rng: &mut StdRng, f: &Facts, n: usize, out: &mut Vec<HistoryData>) {
    let from = months(f.tmt_cpns, 12);
    let to = months(as_of(), -1);
    if from > to {
        return;
    }
    for _ in 0..n {
        let (nama, jenis, jam) = *pick(rng, names::COURSES);
        let start = between(rng, from, to);
        out.push(HistoryData::Kursus(Kursus {
            jenis_diklat_id: jenis.into(),
            nama_kursus: nama.into(),
            institusi_penyelenggara: (*pick(rng, &["BKN", "LAN RI", "BPSDM Provinsi", "LKPP", "Kominfo"])).to_owned(),
            tanggal_mulai: start,
            tanggal_selesai: days(start, i64::from(jam / 8).max(1) - 1),
            jumlah_jam: jam,
            nomor_sertifikat: format!("SERT/{:05}/{}", rng.gen_range(1..100_000), start.year()),
        }));
    }
}

/// Father and mother. Returns the records; nobody is born before 1946 (the record's earliest date).
pub(crate) fn orang_tua(rng: &mut StdRng, f: &Facts, out: &mut Vec<HistoryData>) {
    let room = f.born.year() - 1946;
    for (hubungan, gap, female) in [(ParentRole::Ayah, 24..=35, false), (ParentRole::Ibu, 20..=30, true)] {
        let gap = rng.gen_range(gap).min(room);
        let born = ymd(f.born.year() - gap, rng.gen_range(1..=12), rng.gen_range(1..=28));
        let age = as_of().year() - born.year();
        out.push(HistoryData::OrangTua(OrangTua {
            hubungan,
            nama: full_name(rng, female),
            tempat_lahir: pick(rng, names::PLACES).0.to_owned(),
            tanggal_lahir: born,
            hidup: !rng.gen_bool(if age > 75 { 0.6 } else { 0.1 }),
        }));
    }
}

/// Spouse and children. Returns the marital status (`kawin.json`: 1 married, 2 divorced, 4 single).
pub(crate) fn keluarga(rng: &mut StdRng, f: &Facts, force_married: bool, out: &mut Vec<HistoryData>) -> &'static str {
    let age = as_of().year() - f.born.year();
    let married = force_married || rng.gen_bool(if age >= 30 { 0.85 } else { 0.5 });
    let wedding = months(f.born, 12 * rng.gen_range(23..=32) + rng.gen_range(0..12));
    if !married || wedding > months(as_of(), -1) {
        return "4";
    }
    let spouse_born =
        if f.female { months(f.born, -rng.gen_range(0..=72)) } else { months(f.born, rng.gen_range(0..=72)) };
    let spouse_born = spouse_born.min(months(wedding, -12 * 20));
    let divorced = !force_married && rng.gen_bool(0.03);
    let cerai = if divorced { Some(months(wedding, rng.gen_range(24..=96)).min(as_of())) } else { None };
    out.push(HistoryData::Pasangan(Pasangan {
        nama: full_name(rng, !f.female),
        tempat_lahir: pick(rng, names::PLACES).0.to_owned(),
        tanggal_lahir: spouse_born,
        jenis_kelamin: if f.female { "M" } else { "F" }.into(),
        status_kawin_id: if divorced { "2" } else { "1" }.into(),
        tanggal_menikah: wedding,
        akta_menikah: format!("{:04}/{:03}/{}", rng.gen_range(1..10_000), rng.gen_range(1..1000), wedding.year()),
        tanggal_cerai: cerai,
        akta_cerai: cerai.map(|c| format!("AC/{:04}/{}", rng.gen_range(1..10_000), c.year())),
        hidup: true,
    }));
    let children = match rng.gen_range(0..100) {
        0..=9 if !force_married => 0,
        0..=34 => 1,
        35..=74 => 2,
        _ => 3,
    };
    let mut birth = months(wedding, rng.gen_range(10..=24));
    for _ in 0..children {
        if birth > as_of() {
            break;
        }
        let female = rng.gen_bool(0.5);
        out.push(HistoryData::Anak(Anak {
            nama: full_name(rng, female),
            tempat_lahir: pick(rng, names::PLACES).0.to_owned(),
            tanggal_lahir: birth,
            jenis_kelamin: if female { "F" } else { "M" }.into(),
            nomor_akta_kelahiran: format!("AL.{:04}.{:06}", birth.year(), rng.gen_range(1..1_000_000)),
            status_anak: "kandung".into(),
            hidup: true,
        }));
        birth = months(birth, rng.gen_range(24..=48));
    }
    if divorced {
        "2"
    } else {
        "1"
    }
}

/// Satyalancana Karya Satya after 10, 20 and 30 years of service; a model-employee award now and then
/// (always one when `ensure` and nothing else was earned).
pub(crate) fn penghargaan(rng: &mut StdRng, f: &Facts, ensure: bool, out: &mut Vec<HistoryData>) {
    let before = out.len();
    for (years, id) in [(10, "201"), (20, "202"), (30, "203")] {
        let tahun = f.tmt_cpns.year() + years + rng.gen_range(0..=1);
        if tahun <= as_of().year() && rng.gen_bool(0.8) {
            out.push(award(rng, id, tahun));
        }
    }
    let first_year = f.tmt_cpns.year() + 2;
    if first_year <= as_of().year() && (rng.gen_bool(0.05) || (ensure && out.len() == before)) {
        let tahun = rng.gen_range(first_year..=as_of().year());
        let id = *pick(rng, &["304", "305", "306"]);
        out.push(award(rng, id, tahun));
    }
}

fn award(rng: &mut StdRng, id: &str, tahun: i32) -> HistoryData {
    HistoryData::Penghargaan(Penghargaan {
        penghargaan_id: id.into(),
        tahun,
        sk_nomor: format!("KEPPRES/{:03}/TK/{tahun}", rng.gen_range(1..200)),
        sk_tanggal: ymd(tahun, 8, rng.gen_range(1..=17)),
    })
}

fn rating(rng: &mut StdRng, above: f64, below: f64) -> Rating {
    let r: f64 = rng.gen();
    if r < above {
        Rating::Above
    } else if r < above + below {
        Rating::Below
    } else {
        Rating::Meets
    }
}

/// SKP of every year of service from 2022 (the 2022+ form), and of 2019-2021 in the old numeric form.
pub(crate) fn skp(rng: &mut StdRng, f: &Facts, out: &mut Vec<HistoryData>) {
    let penilai_nip = some_nip(rng, 1966..=1982);
    let penilai_female = rng.gen_bool(0.4);
    let penilai_nama = full_name(rng, penilai_female);
    let penilai_jabatan = format!("Kepala {}", f.unor);
    for tahun in FIRST_YEAR_2022_FORM.max(f.tmt_cpns.year())..=as_of().year() {
        let hasil_kerja = rating(rng, 0.15, 0.04);
        let perilaku_kerja = rating(rng, 0.2, 0.02);
        out.push(HistoryData::Skp(Skp {
            tahun,
            hasil_kerja,
            perilaku_kerja,
            predikat: predikat(hasil_kerja, perilaku_kerja),
            penilai_nip: penilai_nip.clone(),
            penilai_nama: penilai_nama.clone(),
            penilai_jabatan: penilai_jabatan.clone(),
            penilai_unor: f.unor.to_owned(),
        }));
    }
    for tahun in 2019.max(f.tmt_cpns.year())..FIRST_YEAR_2022_FORM {
        let nilai_skp = f64::from(rng.gen_range(7_600..=9_400)) / 100.0;
        let nilai_perilaku = f64::from(rng.gen_range(7_400..=9_200)) / 100.0;
        out.push(HistoryData::SkpLama(SkpLama {
            tahun,
            nilai_skp,
            nilai_perilaku,
            nilai_prestasi: ((nilai_skp * 0.6 + nilai_perilaku * 0.4) * 100.0).round() / 100.0,
            penilai_nama: penilai_nama.clone(),
        }));
    }
}

/// Yearly credit points of a functional position held since `since` (the last three full years at most).
pub(crate) fn angka_kredit(rng: &mut StdRng, since: NaiveDate, out: &mut Vec<HistoryData>) {
    let last = as_of().year() - 1;
    for year in since.year().max(last - 2)..=last {
        // Quarter points: sums of quarters are exact in binary floating point.
        let utama = f64::from(rng.gen_range(40..=100)) / 4.0;
        let penunjang = f64::from(rng.gen_range(0..=12)) / 4.0;
        out.push(HistoryData::AngkaKredit(AngkaKredit {
            nomor_sk: format!("PAK/{:05}/{}", rng.gen_range(1..100_000), year + 1),
            tanggal_sk: ymd(year + 1, rng.gen_range(1..=3), rng.gen_range(1..=28)),
            periode_mulai: since.max(ymd(year, 1, 1)),
            periode_selesai: ymd(year, 12, 31),
            kredit_utama: utama,
            kredit_penunjang: penunjang,
            kredit_total: utama + penunjang,
        }));
    }
}

/// KORPRI membership from the appointment.
pub(crate) fn organisasi(rng: &mut StdRng, f: &Facts, out: &mut Vec<HistoryData>) {
    out.push(HistoryData::Organisasi(Organisasi {
        nama_organisasi: "Korps Pegawai Republik Indonesia (KORPRI)".into(),
        jabatan_organisasi: if rng.gen_bool(0.1) { "Pengurus Unit" } else { "Anggota" }.into(),
        tanggal_mulai: f.tmt_cpns,
        tanggal_selesai: None,
    }));
}

/// A light disciplinary penalty some time after the appointment, when there is room for one.
pub(crate) fn hukuman_disiplin(rng: &mut StdRng, f: &Facts) -> Option<HistoryData> {
    let from = months(f.tmt_cpns, 24);
    let to = months(as_of(), -12);
    if from > to {
        return None;
    }
    let sk = between(rng, from, to);
    let jenis = *pick(rng, &["1", "2", "3"]);
    Some(HistoryData::HukumanDisiplin(HukumanDisiplin {
        jenis_hukuman_id: jenis.into(),
        sk_nomor: format!("862.3/{:04}/HD/{}", rng.gen_range(1..10_000), sk.year()),
        sk_tanggal: sk,
        tanggal_mulai: days(sk, 7),
        tanggal_akhir: Some(months(days(sk, 7), 6)),
        alasan_id: None,
    }))
}

/// Work before the appointment counted towards the years of service (half of it, as for private work).
pub(crate) fn pmk(rng: &mut StdRng, f: &Facts) -> Option<HistoryData> {
    let start = months(f.tmt_cpns, -rng.gen_range(24..=72));
    let end = months(f.tmt_cpns, -rng.gen_range(1..=3));
    let tanggal_sk = months(f.tmt_cpns, rng.gen_range(12..=36));
    if start < months(f.born, 12 * 20) || tanggal_sk > as_of() {
        return None;
    }
    let credited = months_between(start, end) / 2;
    Some(HistoryData::Pmk(Pmk {
        tanggal_awal: start,
        tanggal_selesai: end,
        nomor_sk: format!("PMK/{:04}/{}", rng.gen_range(1..10_000), tanggal_sk.year()),
        tanggal_sk,
        mk_tahun: credited / 12,
        mk_bulan: credited % 12,
    }))
}

/// A transfer into the current agency from `from_instansi`, some years after the appointment.
pub(crate) fn pindah_instansi(
    rng: &mut StdRng,
    f: &Facts,
    from_instansi: &str,
    to_instansi: &str,
) -> Option<HistoryData> {
    let from = months(f.tmt_cpns, 36);
    let to = months(as_of(), -6);
    if from > to || from_instansi == to_instansi {
        return None;
    }
    let tmt = between(rng, from, to).with_day(1).unwrap_or(from);
    Some(HistoryData::PindahInstansi(PindahInstansi {
        instansi_lama_id: from_instansi.to_owned(),
        instansi_baru_id: to_instansi.to_owned(),
        unor_baru_nama: f.unor.to_owned(),
        tmt_pindah: tmt,
        sk_nomor: format!("PI/{:04}/{}", rng.gen_range(1..10_000), tmt.year()),
        sk_tanggal: months(tmt, -rng.gen_range(1..=2)),
    }))
}

/// An unpaid leave of one to three years, ended and returned from.
pub(crate) fn cltn(rng: &mut StdRng, f: &Facts) -> Option<HistoryData> {
    let from = months(f.tmt_cpns, 24);
    let to = months(as_of(), -40);
    if from > to {
        return None;
    }
    let start = between(rng, from, to);
    let end = months(start, rng.gen_range(12..=36));
    Some(HistoryData::Cltn(Cltn {
        jenis_cltn_id: "1".into(),
        sk_nomor: format!("CLTN/{:04}/{}", rng.gen_range(1..10_000), start.year()),
        sk_tanggal: months(start, -1),
        tanggal_awal: start,
        tanggal_akhir: end,
        tanggal_aktif: Some(days(end, 1)),
    }))
}

/// Verified fields of data utama: a NIK matching the birth date and gender, religion, marital status.
pub(crate) fn verified(rng: &mut StdRng, f: &Facts, region: &str, status_kawin: &str) -> VerifiedFields {
    let day = f.born.day() + if f.female { 40 } else { 0 };
    let nik = format!(
        "{region}{day:02}{:02}{:02}{:04}",
        f.born.month(),
        f.born.year().rem_euclid(100),
        rng.gen_range(1..10_000)
    );
    let agama = match rng.gen_range(0..100) {
        0..=86 => "1",
        87..=93 => "2",
        94..=96 => "3",
        97..=98 => "4",
        _ => "5",
    };
    VerifiedFields {
        nik: Some(nik),
        agama_id: Some(agama.into()),
        status_kawin_id: Some(status_kawin.into()),
        ..VerifiedFields::default()
    }
}

/// Owner fields: address, phone, e-mail, NPWP and BPJS numbers.
pub(crate) fn owner(rng: &mut StdRng, nama: &str, nip: &str, domain: &str) -> OwnerFields {
    let (street, city) = (*pick(rng, names::STREETS), pick(rng, names::PLACES).0);
    let user: String = nama.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '.' }).collect();
    OwnerFields {
        alamat: Some(format!("{street} No. {}, {city}", rng.gen_range(1..200))),
        no_hp: Some(format!("08{}{:09}", rng.gen_range(11..=59), rng.gen_range(0..1_000_000_000u32))),
        email: Some(format!("{user}.{}@{domain}", &nip[14..])),
        npwp: Some(format!("{}{:014}", rng.gen_range(1..=9), rng.gen_range(0..100_000_000_000_000u64))),
        bpjs: Some(format!("000{:010}", rng.gen_range(1..10_000_000_000u64))),
    }
}
