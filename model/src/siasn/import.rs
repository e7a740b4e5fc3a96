//! SIASN → our model, for the import of official records: the mapping tables as data and pure functions from
//! the read shapes of [`super::read`] to [`Profile`] and [`HistoryData`], keeping SIASN's ids
//! (`Profile::siasn_pns_id`, the riwayat `id`).
//!
//! A record that cannot be mapped gives a [`MapError`] naming the resource, the field and what is wrong; nothing
//! here panics on SIASN's data. Free text SIASN leaves empty stays empty; what a record means without (a NIP, a
//! date that orders it, a code) is an error. Fields SIASN does not carry (a position's end date) are kept from
//! our record by [`carry_over`], so an unchanged record maps to an equal one and is not rewritten.
//!
//! The family resources (`data-pasangan`, `data-anak`, `data-ortu`) are single objects holding the persons: one
//! record each, whose SIASN id is the person's `orang.id` (a child's `id`), as [`super::to_siasn`] writes it
//! (`import/family.rs`).
//!
//! The inverse (our model → SIASN) is [`super::to_siasn`]. Only SIASN's names are kept where our record has a
//! name of its own (a diklat's name is SIASN's `latihanStrukturalNama`), so a round trip through both keeps the
//! codes, ids and dates but may change such a name. The family, performance and career records (PMK, CLTN,
//! transfers, the old SKP) map back equal (tested): what SIASN does not carry (a child's birth certificate number
//! and whether the child lives, the day of an angka kredit period, a transfer's unit name) is kept by
//! [`carry_over`].

use chrono::{Datelike, Months, NaiveDate};

use super::parse_siasn_date;
use super::read::{
    DataUtama, Orang, RwAngkakredit, RwCltn, RwDiklat, RwGolongan, RwHukdis, RwJabatan, RwKursus, RwMasakerja,
    RwPendidikan, RwPenghargaan, RwPindahinstansi, RwSkp, RwSkp22,
};
use crate::history::{
    AngkaKredit, Cltn, CpnsPns, Diklat, Golongan, HistoryData, HistoryKind, HukumanDisiplin, Jabatan, Kursus,
    Pendidikan, Penghargaan, PindahInstansi, Pmk, Predikat, Rating, Skp, SkpLama,
};
use crate::record::{is_golongan_id, OwnerFields, Profile, VerifiedFields};
use crate::Nip;

/// SIASN's golongan names → our golongan ids (the ids are SIASN's own `golonganId`; `golonganPns.json`). Used
/// when a record carries the name (`golRuangAkhir`, `golongan`) but no id.
pub const GOLONGAN_BY_NAME: [(&str, &str); 17] = [
    ("I/a", "11"),
    ("I/b", "12"),
    ("I/c", "13"),
    ("I/d", "14"),
    ("II/a", "21"),
    ("II/b", "22"),
    ("II/c", "23"),
    ("II/d", "24"),
    ("III/a", "31"),
    ("III/b", "32"),
    ("III/c", "33"),
    ("III/d", "34"),
    ("IV/a", "41"),
    ("IV/b", "42"),
    ("IV/c", "43"),
    ("IV/d", "44"),
    ("IV/e", "45"),
];

/// SIASN's `jenisJabatan` (rw-jabatan) / `jenisJabatanId` (data-utama) → our `jenis_jabatan_id`
/// (`jenisJabatan.json`: 1 struktural, 2 fungsional tertentu, 3 rangkap, 4 fungsional umum / pelaksana).
pub const JENIS_JABATAN: [(&str, &str); 4] = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")];

/// SIASN's `jenisKelamin` → ours (`M`/`F`; kanekescom/laravel-siasn-simpeg's data-utama migration stores the
/// letter SIASN sends; `L`/`P` and the words are the Indonesian spellings some exports use).
pub const JENIS_KELAMIN: [(&str, &str); 6] =
    [("M", "M"), ("F", "F"), ("L", "M"), ("P", "F"), ("Pria", "M"), ("Wanita", "F")];

/// A spouse's `JenisKawinId` (else the marriage's `status`) → our `status_kawin_id` (`kawin.json`: 1 Menikah,
/// 2 Cerai, 3 Janda/Duda; 4 Belum Kawin is no marriage).
pub const STATUS_KAWIN: [(&str, &str); 3] = [("1", "1"), ("2", "2"), ("3", "3")];

/// `data-anak`'s `jenisAnak` → our `status_anak` (R `utils/data-utils.js`: 1 kandung, 2 tiri, 3 angkat).
pub const JENIS_ANAK: [(&str, &str); 3] = [("1", "kandung"), ("2", "tiri"), ("3", "angkat")];

/// A family person's `StatusHidup` → alive (R `utils/data-utils.js`: `"1"` alive, `"0"` dead; a boolean
/// read leniently is `"true"`/`"false"`).
pub const STATUS_HIDUP: [(&str, bool); 4] = [("1", true), ("0", false), ("true", true), ("false", false)];

/// `rw-skp22`'s `hasilKinerjaNilai` / `PerilakuKerjaNilai` (the id of `perilakuDanKinerja.json`), else the
/// name (`hasilKinerja` / `perilakuKerja`) → our rating.
pub const RATING: [(&str, Rating); 6] = [
    ("1", Rating::Above),
    ("2", Rating::Meets),
    ("3", Rating::Below),
    ("DIATAS ESPEKTASI", Rating::Above),
    ("SESUAI ESPEKTASI", Rating::Meets),
    ("DIBAWAH ESPEKTASI", Rating::Below),
];

/// `rw-skp22`'s `KuadranKinerjaNilai` (the id of `kuadranNilai.json`), else the name (`kuadranKinerja`) → our
/// predikat.
pub const PREDIKAT: [(&str, Predikat); 10] = [
    ("1", Predikat::SangatBaik),
    ("2", Predikat::Baik),
    ("3", Predikat::ButuhPerbaikan),
    ("4", Predikat::Kurang),
    ("5", Predikat::SangatKurang),
    ("SANGAT BAIK", Predikat::SangatBaik),
    ("BAIK", Predikat::Baik),
    ("BUTUH PERBAIKAN", Predikat::ButuhPerbaikan),
    ("KURANG", Predikat::Kurang),
    ("SANGAT KURANG", Predikat::SangatKurang),
];

/// The per-PNS lists an import reads, with the kind each fills (`data-utama` fills the profile).
pub const RW_RESOURCES: [(&str, HistoryKind); 13] = [
    ("rw-golongan", HistoryKind::Golongan),
    ("rw-jabatan", HistoryKind::Jabatan),
    ("rw-pendidikan", HistoryKind::Pendidikan),
    ("rw-diklat", HistoryKind::Diklat),
    ("rw-kursus", HistoryKind::Kursus),
    ("rw-penghargaan", HistoryKind::Penghargaan),
    ("rw-skp22", HistoryKind::Skp),
    ("rw-angkakredit", HistoryKind::AngkaKredit),
    ("rw-hukdis", HistoryKind::HukumanDisiplin),
    ("rw-masakerja", HistoryKind::Pmk),
    ("rw-cltn", HistoryKind::Cltn),
    ("rw-pindahinstansi", HistoryKind::PindahInstansi),
    ("rw-skp", HistoryKind::SkpLama),
];

/// The per-PNS family objects an import reads (one object holding the persons, not a list), with the kind of
/// their records.
pub const FAMILY_RESOURCES: [(&str, HistoryKind); 3] =
    [("data-pasangan", HistoryKind::Pasangan), ("data-anak", HistoryKind::Anak), ("data-ortu", HistoryKind::OrangTua)];

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Empty or absent where the record means nothing without it.
    Missing,
    /// Not a `dd-mm-yyyy` date.
    BadDate,
    /// Not a whole number.
    BadNumber,
    /// A code no mapping table knows.
    UnknownCode,
    /// Not a valid NIP.
    BadNip,
}

impl Problem {
    /// A stable code for reports.
    pub fn code(self) -> &'static str {
        match self {
            Problem::Missing => "siasn.map.missing",
            Problem::BadDate => "siasn.map.bad_date",
            Problem::BadNumber => "siasn.map.bad_number",
            Problem::UnknownCode => "siasn.map.unknown_code",
            Problem::BadNip => "siasn.map.bad_nip",
        }
    }
}

/// A SIASN record that cannot be mapped: which resource, which of its fields (SIASN's name), what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{resource}.{field}: {} ({})", self.problem.code(), self.value.as_deref().unwrap_or("empty"))]
pub struct MapError {
    pub resource: &'static str,
    pub field: &'static str,
    pub problem: Problem,
    /// The value found (never a secret: SIASN's record data).
    pub value: Option<String>,
}

/// One mapped riwayat: SIASN's id and our content.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub siasn_id: String,
    pub data: HistoryData,
}

/// Reads fields of one SIASN record, naming them in errors.
struct Fields {
    resource: &'static str,
}

impl Fields {
    fn err(&self, field: &'static str, problem: Problem, value: Option<&str>) -> MapError {
        MapError { resource: self.resource, field, problem, value: value.map(str::to_owned) }
    }

    fn required(&self, field: &'static str, v: &Option<String>) -> Result<String, MapError> {
        text(v).ok_or_else(|| self.err(field, Problem::Missing, None))
    }

    /// A date the record needs: SIASN's empty date ([`super::EMPTY_DATE`]) is missing, not bad.
    fn date(&self, field: &'static str, v: &Option<String>) -> Result<NaiveDate, MapError> {
        let raw =
            text(v).filter(|raw| raw != super::EMPTY_DATE).ok_or_else(|| self.err(field, Problem::Missing, None))?;
        parse_siasn_date(&raw).ok_or_else(|| self.err(field, Problem::BadDate, Some(&raw)))
    }

    fn optional_date(&self, field: &'static str, v: &Option<String>) -> Result<Option<NaiveDate>, MapError> {
        match text(v) {
            None => Ok(None),
            Some(raw) if raw == super::EMPTY_DATE => Ok(None),
            Some(raw) => parse_siasn_date(&raw).map(Some).ok_or_else(|| self.err(field, Problem::BadDate, Some(&raw))),
        }
    }

    fn number(&self, field: &'static str, v: &Option<String>) -> Result<Option<i32>, MapError> {
        match text(v) {
            None => Ok(None),
            // SIASN sends some counts as decimals ("40.0").
            Some(raw) => raw
                .parse::<i32>()
                .ok()
                .or_else(|| raw.parse::<f64>().ok().filter(|f| f.fract() == 0.0 && f.abs() < 1e9).map(|f| f as i32))
                .map(Some)
                .ok_or_else(|| self.err(field, Problem::BadNumber, Some(&raw))),
        }
    }

    fn code(&self, field: &'static str, v: &Option<String>, table: &[(&str, &str)]) -> Result<String, MapError> {
        let raw = self.required(field, v)?;
        lookup(table, &raw).ok_or_else(|| self.err(field, Problem::UnknownCode, Some(&raw)))
    }

    fn id(&self, v: &Option<String>) -> Result<String, MapError> {
        self.required("id", v)
    }

    /// A value of a typed table (`RATING`, `PREDIKAT`, `STATUS_HIDUP`).
    fn typed<T: Copy>(&self, field: &'static str, v: &Option<String>, table: &[(&str, T)]) -> Result<T, MapError> {
        let raw = self.required(field, v)?;
        lookup_typed(table, &raw).ok_or_else(|| self.err(field, Problem::UnknownCode, Some(&raw)))
    }

    /// A code SIASN sends as a number (`hasilKinerjaNilai: 2`) and by name beside it (`hasilKinerja`): the number
    /// when there is one, else the name.
    fn numbered<T: Copy>(
        &self,
        (number_field, number): (&'static str, Option<f64>),
        (name_field, name): (&'static str, &Option<String>),
        table: &[(&str, T)],
    ) -> Result<T, MapError> {
        match number {
            Some(n) => self.typed(number_field, &Some(whole(n)), table),
            None if text(name).is_some() => self.typed(name_field, name, table),
            None => Err(self.err(number_field, Problem::Missing, None)),
        }
    }

    /// A whole number the record needs.
    fn required_number(&self, field: &'static str, v: &Option<String>) -> Result<i32, MapError> {
        self.number(field, v)?.ok_or_else(|| self.err(field, Problem::Missing, None))
    }

    /// A score the record needs (SIASN sends the old SKP's scores as numbers).
    fn required_score(&self, field: &'static str, v: Option<f64>) -> Result<f64, MapError> {
        v.filter(|n| n.is_finite()).ok_or_else(|| self.err(field, Problem::Missing, None))
    }

    /// Whether a family person lives: `StatusHidup`, else no date of death.
    fn hidup(&self, field: &'static str, o: &Orang) -> Result<bool, MapError> {
        match text(&o.status_hidup) {
            Some(_) => self.typed(field, &o.status_hidup, &STATUS_HIDUP),
            None => Ok(o.tgl_meninggal.as_deref().and_then(parse_siasn_date).is_none()),
        }
    }
}

/// A number as its code: `2.0` → `"2"`, `2.5` → `"2.5"` (no table knows it).
fn whole(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e9 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// A trimmed, non-empty value.
fn text(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn lookup(table: &[(&str, &str)], key: &str) -> Option<String> {
    lookup_typed(table, key).map(str::to_owned)
}

fn lookup_typed<T: Copy>(table: &[(&str, T)], key: &str) -> Option<T> {
    table.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| *v)
}

/// A golongan from its id, else its name.
fn golongan_id(id: &Option<String>, name: &Option<String>) -> Option<String> {
    text(id).filter(|g| is_golongan_id(g)).or_else(|| text(name).and_then(|n| lookup(&GOLONGAN_BY_NAME, &n)))
}

/// `data-utama` → the profile. `base` is our current profile of this NIP: what SIASN does not hold (the ASN's
/// own contact fields when set, confirmed categories, the last proposal) is kept from it.
pub fn profile(d: &DataUtama, base: Option<&Profile>) -> Result<Profile, MapError> {
    let f = Fields { resource: "data-utama" };
    let raw_nip = f.required("nipBaru", &d.nip_baru)?;
    let nip = Nip::parse(&raw_nip).map_err(|_| f.err("nipBaru", Problem::BadNip, Some(&raw_nip)))?;
    let jabatan_nama = text(&d.jabatan_nama)
        .or_else(|| text(&d.jabatan_struktural_nama))
        .or_else(|| text(&d.jabatan_fungsional_nama))
        .or_else(|| text(&d.jabatan_fungsional_umum_nama));
    let siasn_owner = OwnerFields {
        alamat: text(&d.alamat),
        no_hp: text(&d.no_hp),
        email: text(&d.email),
        npwp: text(&d.no_npwp),
        bpjs: text(&d.bpjs),
    };
    // The owner fields are the ASN's own (changed without review): SIASN fills only those still empty.
    let owner = base.map_or(siasn_owner.clone(), |b| siasn_owner.merged_with(&b.owner));
    Ok(Profile {
        nip,
        nama: f.required("nama", &d.nama)?,
        gelar_depan: text(&d.gelar_depan),
        gelar_belakang: text(&d.gelar_belakang),
        tempat_lahir: text(&d.tempat_lahir).unwrap_or_default(),
        tanggal_lahir: f.date("tglLahir", &d.tgl_lahir)?,
        jenis_kelamin: f.code("jenisKelamin", &d.jenis_kelamin, &JENIS_KELAMIN)?,
        instansi_id: f.required("instansiIndukId", &d.instansi_induk_id)?,
        instansi_nama: text(&d.instansi_induk_nama).unwrap_or_default(),
        unor_nama: text(&d.unor_nama).unwrap_or_default(),
        golongan_id: golongan_id(&d.gol_ruang_akhir_id, &d.gol_ruang_akhir),
        jabatan_nama,
        owner,
        // SIASN's values are the official ones: the verified overrides of an earlier proposal give way to them.
        verified: Box::new(VerifiedFields {
            nik: text(&d.nik),
            agama_id: text(&d.agama_id),
            status_kawin_id: text(&d.jenis_kawin_id),
            ..VerifiedFields::default()
        }),
        confirmed_kinds: base.map(|b| b.confirmed_kinds.clone()).unwrap_or_default(),
        last_usulan_id: base.and_then(|b| b.last_usulan_id.clone()),
        siasn_pns_id: text(&d.id),
        unor_id: text(&d.unor_id),
    })
}

/// The CPNS/PNS appointment, which SIASN keeps in `data-utama` (`nomorSkCpns`, `tglSkCpns`, `tmtCpns`, the same
/// for PNS, `noSpmt`): `None` when it holds none (a PPPK, say). The record has no riwayat id of its own, so it
/// carries the PNS id (`data-utama.id`): one per person, as in SIASN.
pub fn cpns_pns(d: &DataUtama) -> Option<Result<Imported, MapError>> {
    let f = Fields { resource: "data-utama" };
    if [&d.nomor_sk_cpns, &d.tgl_sk_cpns, &d.tmt_cpns]
        .iter()
        .all(|v| text(v).filter(|t| t != super::EMPTY_DATE).is_none())
    {
        return None;
    }
    let appointment = || -> Result<Imported, MapError> {
        Ok(Imported {
            siasn_id: f.id(&d.id)?,
            data: HistoryData::CpnsPns(CpnsPns {
                // As a PMK's: an old appointment may lack its number in SIASN; the dates are the facts.
                nomor_sk_cpns: text(&d.nomor_sk_cpns).unwrap_or_default(),
                tgl_sk_cpns: f.date("tglSkCpns", &d.tgl_sk_cpns)?,
                tmt_cpns: f.date("tmtCpns", &d.tmt_cpns)?,
                nomor_sk_pns: text(&d.nomor_sk_pns),
                tgl_sk_pns: f.optional_date("tglSkPns", &d.tgl_sk_pns)?,
                tmt_pns: f.optional_date("tmtPns", &d.tmt_pns)?,
                no_spmt: text(&d.no_spmt),
            }),
        })
    };
    Some(appointment())
}

/// One `rw-golongan` record.
pub fn golongan(r: &RwGolongan) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-golongan" };
    let id = golongan_id(&r.golongan_id, &r.golongan).ok_or_else(|| {
        let raw = text(&r.golongan_id).or_else(|| text(&r.golongan));
        f.err("golonganId", if raw.is_some() { Problem::UnknownCode } else { Problem::Missing }, raw.as_deref())
    })?;
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Golongan(Golongan {
            golongan_id: id,
            tmt_golongan: f.date("tmtGolongan", &r.tmt_golongan)?,
            sk_nomor: text(&r.sk_nomor).unwrap_or_default(),
            sk_tanggal: f.date("skTanggal", &r.sk_tanggal)?,
            jenis_kp_id: text(&r.jenis_kp_id),
            mk_tahun: f.number("masaKerjaGolonganTahun", &r.masa_kerja_golongan_tahun)?,
            mk_bulan: f.number("masaKerjaGolonganBulan", &r.masa_kerja_golongan_bulan)?,
        }),
    })
}

/// One `rw-jabatan` record: the position's name and SIASN id by its kind (fungsional or fungsional umum).
pub fn jabatan(r: &RwJabatan) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-jabatan" };
    let jenis = f.code("jenisJabatan", &r.jenis_jabatan, &JENIS_JABATAN)?;
    let (name, position_id) = match jenis.as_str() {
        "2" => (text(&r.jabatan_fungsional_nama), text(&r.jabatan_fungsional_id)),
        "4" => (text(&r.jabatan_fungsional_umum_nama), text(&r.jabatan_fungsional_umum_id)),
        _ => (None, None),
    };
    let jabatan_nama = text(&r.nama_jabatan).or(name).ok_or_else(|| f.err("namaJabatan", Problem::Missing, None))?;
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Jabatan(Jabatan {
            jenis_jabatan_id: jenis,
            jabatan_nama,
            unor_nama: text(&r.unor_nama).or_else(|| text(&r.nama_unor)).unwrap_or_default(),
            eselon_id: text(&r.eselon_id),
            tmt_jabatan: f.date("tmtJabatan", &r.tmt_jabatan)?,
            tmt_selesai: None,
            sk_nomor: text(&r.nomor_sk).unwrap_or_default(),
            sk_tanggal: f.date("tanggalSk", &r.tanggal_sk)?,
            unor_id: text(&r.unor_id),
            jabatan_id: position_id,
        }),
    })
}

/// One `rw-pendidikan` record.
pub fn pendidikan(r: &RwPendidikan) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-pendidikan" };
    let tahun = f.number("tahunLulus", &r.tahun_lulus)?.ok_or_else(|| f.err("tahunLulus", Problem::Missing, None))?;
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Pendidikan(Pendidikan {
            tingkat_pendidikan_id: f.required("tkPendidikanId", &r.tk_pendidikan_id)?,
            pendidikan_nama: text(&r.pendidikan_nama).unwrap_or_default(),
            nama_sekolah: text(&r.nama_sekolah).unwrap_or_default(),
            tahun_lulus: tahun,
            nomor_ijazah: text(&r.nomor_ijasah).unwrap_or_default(),
            gelar_depan: text(&r.gelar_depan),
            gelar_belakang: text(&r.gelar_belakang),
            pendidikan_id: text(&r.pendidikan_id),
        }),
    })
}

/// One `rw-diklat` record (structural training: `tanggal` is the start, `nomor` the certificate).
pub fn diklat(r: &RwDiklat) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-diklat" };
    let start = f.date("tanggal", &r.tanggal)?;
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Diklat(Diklat {
            latihan_struktural_id: f.required("latihanStrukturalId", &r.latihan_struktural_id)?,
            nama_diklat: text(&r.latihan_struktural_nama).unwrap_or_default(),
            institusi_penyelenggara: text(&r.institusi_penyelenggara).unwrap_or_default(),
            tanggal_mulai: start,
            tanggal_selesai: f.optional_date("tanggalSelesai", &r.tanggal_selesai)?.unwrap_or(start),
            jumlah_jam: f.number("jumlahJam", &r.jumlah_jam)?.unwrap_or_default(),
            nomor_sertifikat: text(&r.nomor).unwrap_or_default(),
        }),
    })
}

/// One `rw-kursus` record.
pub fn kursus(r: &RwKursus) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-kursus" };
    let start = f.date("tanggalKursus", &r.tanggal_kursus)?;
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Kursus(Kursus {
            jenis_diklat_id: f.required("jenisDiklatId", &r.jenis_diklat_id)?,
            nama_kursus: text(&r.nama_kursus).unwrap_or_default(),
            institusi_penyelenggara: text(&r.institusi_penyelenggara).unwrap_or_default(),
            tanggal_mulai: start,
            tanggal_selesai: f.optional_date("tanggalSelesaiKursus", &r.tanggal_selesai_kursus)?.unwrap_or(start),
            jumlah_jam: f.number("jumlahJam", &r.jumlah_jam)?.unwrap_or_default(),
            nomor_sertifikat: text(&r.no_sertipikat).unwrap_or_default(),
        }),
    })
}

/// One `rw-penghargaan` record.
pub fn penghargaan(r: &RwPenghargaan) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-penghargaan" };
    let sk_tanggal = f.date("skDate", &r.sk_date)?;
    let tahun = f.number("tahun", &r.tahun)?.unwrap_or_else(|| sk_tanggal.year());
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Penghargaan(Penghargaan {
            penghargaan_id: f.required("hargaId", &r.harga_id)?,
            tahun,
            sk_nomor: text(&r.sk_nomor).unwrap_or_default(),
            sk_tanggal,
        }),
    })
}

/// One `rw-skp22` record (the SKP since 2022): the ratings and the predikat by their number, else their name.
pub fn skp22(r: &RwSkp22) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-skp22" };
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Skp(Skp {
            tahun: f.required_number("tahun", &r.tahun)?,
            hasil_kerja: f.numbered(
                ("hasilKinerjaNilai", r.hasil_kinerja_nilai),
                ("hasilKinerja", &r.hasil_kinerja),
                &RATING,
            )?,
            perilaku_kerja: f.numbered(
                ("PerilakuKerjaNilai", r.perilaku_kerja_nilai),
                ("perilakuKerja", &r.perilaku_kerja),
                &RATING,
            )?,
            predikat: f.numbered(
                ("KuadranKinerjaNilai", r.kuadran_kinerja_nilai),
                ("kuadranKinerja", &r.kuadran_kinerja),
                &PREDIKAT,
            )?,
            penilai_nip: text(&r.nip_nrp_penilai).unwrap_or_default(),
            penilai_nama: text(&r.nama_penilai).unwrap_or_default(),
            penilai_jabatan: text(&r.penilai_jabatan_nm).unwrap_or_default(),
            penilai_unor: text(&r.penilai_unor_nm).unwrap_or_default(),
        }),
    })
}

/// One `rw-angkakredit` record. SIASN keeps the period as months (`bulanMulaiPenailan`, `tahunMulaiPenailan`,
/// …): it starts on the first day of its first month and ends on the last day of its last month, unless our
/// record of the same period says which day ([`carry_over`]). An absent credit is 0; an absent total the sum.
pub fn angka_kredit(r: &RwAngkakredit) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-angkakredit" };
    let month = |(month_field, month): (&'static str, &Option<String>),
                 (year_field, year): (&'static str, &Option<String>)| {
        let m = f.required_number(month_field, month)?;
        let y = f.required_number(year_field, year)?;
        u32::try_from(m)
            .ok()
            .and_then(|m| NaiveDate::from_ymd_opt(y, m, 1))
            .ok_or_else(|| f.err(month_field, Problem::BadDate, Some(format!("{m}-{y}").as_str())))
    };
    let mulai =
        month(("bulanMulaiPenailan", &r.bulan_mulai_penailan), ("tahunMulaiPenailan", &r.tahun_mulai_penailan))?;
    let selesai_month = month(
        ("bulanSelesaiPenailan", &r.bulan_selesai_penailan),
        ("tahunSelesaiPenailan", &r.tahun_selesai_penailan),
    )?;
    let selesai = selesai_month
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .ok_or_else(|| f.err("tahunSelesaiPenailan", Problem::BadDate, r.tahun_selesai_penailan.as_deref()))?;
    let utama = r.kredit_utama_baru.unwrap_or_default();
    let penunjang = r.kredit_penunjang_baru.unwrap_or_default();
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::AngkaKredit(AngkaKredit {
            nomor_sk: text(&r.nomor_sk).unwrap_or_default(),
            tanggal_sk: f.date("tanggalSk", &r.tanggal_sk)?,
            periode_mulai: mulai,
            periode_selesai: selesai,
            kredit_utama: utama,
            kredit_penunjang: penunjang,
            kredit_total: r.kredit_baru_total.unwrap_or(utama + penunjang),
        }),
    })
}

/// One `rw-hukdis` record (a disciplinary penalty): `jenisHukuman` is the `jenisHukuman.json` id, the penalty
/// runs from `hukumanTanggal` to `akhirHukumTanggal`.
pub fn hukdis(r: &RwHukdis) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-hukdis" };
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::HukumanDisiplin(HukumanDisiplin {
            jenis_hukuman_id: f.required("jenisHukuman", &r.jenis_hukuman)?,
            sk_nomor: text(&r.sk_nomor).unwrap_or_default(),
            sk_tanggal: f.date("skTanggal", &r.sk_tanggal)?,
            tanggal_mulai: f.date("hukumanTanggal", &r.hukuman_tanggal)?,
            tanggal_akhir: f.optional_date("akhirHukumTanggal", &r.akhir_hukum_tanggal)?,
            alasan_id: text(&r.alasan_hukuman_disiplin),
        }),
    })
}

/// One `rw-masakerja` record (PMK: work before the appointment counted). The years are `tasaKerjaTahun`, as K
/// spells it.
pub fn masa_kerja(r: &RwMasakerja) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-masakerja" };
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Pmk(Pmk {
            tanggal_awal: f.date("tanggalAwal", &r.tanggal_awal)?,
            tanggal_selesai: f.date("tanggalSelesai", &r.tanggal_selesai)?,
            nomor_sk: text(&r.nomor_sk).unwrap_or_default(),
            tanggal_sk: f.date("tanggalSk", &r.tanggal_sk)?,
            mk_tahun: f.required_number("tasaKerjaTahun", &r.tasa_kerja_tahun)?,
            mk_bulan: f.required_number("masaKerjaBulan", &r.masa_kerja_bulan)?,
        }),
    })
}

/// One `rw-cltn` record (unpaid leave): `cltnId` is the `cltn.json` id, `tanggalAktif` the return to duty.
pub fn cltn(r: &RwCltn) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-cltn" };
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::Cltn(Cltn {
            jenis_cltn_id: f.required("cltnId", &r.cltn_id)?,
            sk_nomor: text(&r.sk_nomor).unwrap_or_default(),
            sk_tanggal: f.date("skTanggal", &r.sk_tanggal)?,
            tanggal_awal: f.date("tanggalAwal", &r.tanggal_awal)?,
            tanggal_akhir: f.date("tanggalAkhir", &r.tanggal_akhir)?,
            tanggal_aktif: f.optional_date("tanggalAktif", &r.tanggal_aktif)?,
        }),
    })
}

/// One `rw-pindahinstansi` record (a transfer between agencies). Our agencies are SIASN's instansi ids: the
/// induk one, else the kerja one. The SK is the destination's (`skTujuan…`), else BKN's. SIASN holds the new
/// unit only as an id (`unorBaru`), not its name: empty here, our record's name kept by [`carry_over`].
pub fn pindah_instansi(r: &RwPindahinstansi) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-pindahinstansi" };
    let instansi = |(induk_field, induk): (&'static str, &Option<String>), kerja: &Option<String>| {
        text(induk).or_else(|| text(kerja)).ok_or_else(|| f.err(induk_field, Problem::Missing, None))
    };
    let (sk_field, sk_date) = match text(&r.sk_tujuan_tanggal) {
        Some(_) => ("skTujuanTanggal", &r.sk_tujuan_tanggal),
        None if text(&r.sk_bkn_tanggal).is_some() => ("skBknTanggal", &r.sk_bkn_tanggal),
        None => ("skTujuanTanggal", &r.sk_tujuan_tanggal),
    };
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::PindahInstansi(PindahInstansi {
            instansi_lama_id: instansi(("instansiIndukLama", &r.instansi_induk_lama), &r.instansi_kerja_lama)?,
            instansi_baru_id: instansi(("instansiIndukBaru", &r.instansi_induk_baru), &r.instansi_kerja_baru)?,
            unor_baru_nama: String::new(),
            tmt_pindah: f.date("tmtPi", &r.tmt_pi)?,
            sk_nomor: text(&r.sk_tujuan_nomor).or_else(|| text(&r.sk_bkn_nomor)).unwrap_or_default(),
            sk_tanggal: f.date(sk_field, sk_date)?,
        }),
    })
}

/// One `rw-skp` record (the SKP before 2022): the three scores our record keeps, and the appraiser's name.
pub fn skp_lama(r: &RwSkp) -> Result<Imported, MapError> {
    let f = Fields { resource: "rw-skp" };
    Ok(Imported {
        siasn_id: f.id(&r.id)?,
        data: HistoryData::SkpLama(SkpLama {
            tahun: f.required_number("tahun", &r.tahun)?,
            nilai_skp: f.required_score("nilaiSkp", r.nilai_skp)?,
            nilai_perilaku: f.required_score("nilaiPerilakuKerja", r.nilai_perilaku_kerja)?,
            nilai_prestasi: f.required_score("nilaiPrestasiKerja", r.nilai_prestasi_kerja)?,
            penilai_nama: text(&r.penilai_nama).unwrap_or_default(),
        }),
    })
}

/// Keep in `imported` what SIASN does not carry but our record `existing` of the same riwayat holds, so an
/// unchanged record compares equal: a position's end date; a child's birth certificate number and whether the
/// child lives; the days of an angka kredit period within the months SIASN holds; the new unit's name of a
/// transfer.
pub fn carry_over(imported: &mut HistoryData, existing: &HistoryData) {
    match (imported, existing) {
        (HistoryData::Jabatan(new), HistoryData::Jabatan(old)) if new.tmt_selesai.is_none() => {
            new.tmt_selesai = old.tmt_selesai;
        }
        (HistoryData::Anak(new), HistoryData::Anak(old)) => {
            if new.nomor_akta_kelahiran.is_empty() {
                new.nomor_akta_kelahiran.clone_from(&old.nomor_akta_kelahiran);
            }
            new.hidup = old.hidup;
        }
        (HistoryData::PindahInstansi(new), HistoryData::PindahInstansi(old)) if new.unor_baru_nama.is_empty() => {
            new.unor_baru_nama.clone_from(&old.unor_baru_nama);
        }
        (HistoryData::AngkaKredit(new), HistoryData::AngkaKredit(old)) => {
            let same_month = |a: NaiveDate, b: NaiveDate| (a.year(), a.month()) == (b.year(), b.month());
            if same_month(new.periode_mulai, old.periode_mulai) {
                new.periode_mulai = old.periode_mulai;
            }
            if same_month(new.periode_selesai, old.periode_selesai) {
                new.periode_selesai = old.periode_selesai;
            }
        }
        _ => {}
    }
}

mod family;

pub use family::{anak, orang_tua, pasangan};

#[cfg(test)]
mod tests;
