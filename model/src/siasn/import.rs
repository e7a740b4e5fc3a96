//! SIASN → our model, for the import of official records: the mapping tables as data and pure functions from
//! the read shapes of [`super::read`] to [`Profile`] and [`HistoryData`], keeping SIASN's ids
//! (`Profile::siasn_pns_id`, the riwayat `id`).
//!
//! A record that cannot be mapped gives a [`MapError`] naming the resource, the field and what is wrong; nothing
//! here panics on SIASN's data. Free text SIASN leaves empty stays empty; what a record means without (a NIP, a
//! date that orders it, a code) is an error. Fields SIASN does not carry (a position's end date) are kept from
//! our record by [`carry_over`], so an unchanged record maps to an equal one and is not rewritten.
//!
//! The inverse (our model → SIASN) is [`super::to_siasn`]. Only SIASN's names are kept where our record has a
//! name of its own (a diklat's name is SIASN's `latihanStrukturalNama`), so a round trip through both keeps the
//! codes, ids and dates but may change such a name.

use chrono::NaiveDate;

use super::parse_siasn_date;
use super::read::{DataUtama, RwDiklat, RwGolongan, RwJabatan, RwKursus, RwPendidikan, RwPenghargaan};
use crate::history::{Diklat, Golongan, HistoryData, HistoryKind, Jabatan, Kursus, Pendidikan, Penghargaan};
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

/// The per-PNS resources an import reads, with the kind each fills (`data-utama` fills the profile).
pub const RW_RESOURCES: [(&str, HistoryKind); 6] = [
    ("rw-golongan", HistoryKind::Golongan),
    ("rw-jabatan", HistoryKind::Jabatan),
    ("rw-pendidikan", HistoryKind::Pendidikan),
    ("rw-diklat", HistoryKind::Diklat),
    ("rw-kursus", HistoryKind::Kursus),
    ("rw-penghargaan", HistoryKind::Penghargaan),
];

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

    fn date(&self, field: &'static str, v: &Option<String>) -> Result<NaiveDate, MapError> {
        let raw = text(v).ok_or_else(|| self.err(field, Problem::Missing, None))?;
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
}

/// A trimmed, non-empty value.
fn text(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

fn lookup(table: &[(&str, &str)], key: &str) -> Option<String> {
    table.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| (*v).to_owned())
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
    let tahun = f.number("tahun", &r.tahun)?.unwrap_or_else(|| chrono::Datelike::year(&sk_tanggal));
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

/// Keep in `imported` what SIASN does not carry but our record `existing` of the same riwayat holds (a
/// position's end date), so an unchanged record compares equal.
pub fn carry_over(imported: &mut HistoryData, existing: &HistoryData) {
    if let (HistoryData::Jabatan(new), HistoryData::Jabatan(old)) = (imported, existing) {
        if new.tmt_selesai.is_none() {
            new.tmt_selesai = old.tmt_selesai;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    fn data_utama() -> DataUtama {
        DataUtama {
            id: s("A8ACA7CD3C7F3912E040640A040269BB"),
            nip_baru: s("198503302010012013"),
            nama: s("SITI AMINAH"),
            gelar_belakang: s("S.Kom."),
            tempat_lahir: s("Bandung"),
            tgl_lahir: s("30-03-1985"),
            jenis_kelamin: s("F"),
            instansi_induk_id: s("A5EB03E23CCCF6A0E040640A040252AD"),
            instansi_induk_nama: s("Kota Bandung"),
            unor_id: s("8ae48"),
            unor_nama: s("Dinas Kominfo"),
            gol_ruang_akhir: s("III/c"),
            jabatan_fungsional_nama: s("Pranata Komputer Ahli Muda"),
            email: s("siti@example.go.id"),
            nik: s("3273017003850001"),
            ..DataUtama::default()
        }
    }

    #[test]
    fn data_utama_maps_with_ids_and_tables() {
        let p = profile(&data_utama(), None).unwrap();
        assert_eq!(p.nip.as_str(), "198503302010012013");
        assert_eq!(p.siasn_pns_id.as_deref(), Some("A8ACA7CD3C7F3912E040640A040269BB"));
        assert_eq!(p.golongan_id.as_deref(), Some("33"), "by name through GOLONGAN_BY_NAME");
        assert_eq!(p.jabatan_nama.as_deref(), Some("Pranata Komputer Ahli Muda"));
        assert_eq!(p.tanggal_lahir, NaiveDate::from_ymd_opt(1985, 3, 30).unwrap());
        assert_eq!(p.verified.nik.as_deref(), Some("3273017003850001"));
        assert_eq!(p.owner.email.as_deref(), Some("siti@example.go.id"));
    }

    #[test]
    fn own_contact_fields_and_confirmations_are_kept() {
        let mut base = profile(&data_utama(), None).unwrap();
        base.owner.email = Some("own@example.com".into());
        base.confirmed_kinds = vec![HistoryKind::Anak];
        let p = profile(&data_utama(), Some(&base)).unwrap();
        assert_eq!(p.owner.email.as_deref(), Some("own@example.com"));
        assert_eq!(p.confirmed_kinds, vec![HistoryKind::Anak]);
        assert_eq!(p, profile(&data_utama(), Some(&p)).unwrap(), "mapping again changes nothing");
    }

    #[test]
    fn unmappable_fields_are_typed_errors() {
        let mut d = data_utama();
        d.tgl_lahir = s("1985-03-30");
        let e = profile(&d, None).unwrap_err();
        assert_eq!((e.resource, e.field, e.problem), ("data-utama", "tglLahir", Problem::BadDate));
        let mut d = data_utama();
        d.nip_baru = s("12");
        assert_eq!(profile(&d, None).unwrap_err().problem, Problem::BadNip);
        let mut d = data_utama();
        d.jenis_kelamin = s("X");
        assert_eq!(profile(&d, None).unwrap_err().problem, Problem::UnknownCode);
        let g = RwGolongan { id: s("g1"), golongan_id: s("99"), ..RwGolongan::default() };
        assert_eq!(golongan(&g).unwrap_err().problem, Problem::UnknownCode);
        let j = RwJabatan { id: s("j1"), jenis_jabatan: s("4"), ..RwJabatan::default() };
        assert_eq!(jabatan(&j).unwrap_err().field, "namaJabatan");
        let k = RwKursus { id: s("k1"), tanggal_kursus: s("01-02-2020"), jumlah_jam: s("lots"), ..RwKursus::default() };
        assert_eq!(kursus(&k).unwrap_err().to_string(), "rw-kursus.jenisDiklatId: siasn.map.missing (empty)");
    }

    #[test]
    fn riwayat_keep_siasn_ids() {
        let j = RwJabatan {
            id: s("ba970862-d79c-4b53-9315-25d3f2c20a6b"),
            jenis_jabatan: s("2"),
            jabatan_fungsional_id: s("8ae4"),
            jabatan_fungsional_nama: s("Pranata Komputer Ahli Muda"),
            unor_nama: s("Dinas Kominfo"),
            tmt_jabatan: s("01-04-2021"),
            tanggal_sk: s("15-03-2021"),
            tmt_pelantikan: s("01-01-0001"),
            ..RwJabatan::default()
        };
        let m = jabatan(&j).unwrap();
        assert_eq!(m.siasn_id, "ba970862-d79c-4b53-9315-25d3f2c20a6b");
        let HistoryData::Jabatan(data) = &m.data else { panic!("{m:?}") };
        assert_eq!(data.jabatan_id.as_deref(), Some("8ae4"));
        let mut again = m.data.clone();
        let mut ended = m.data.clone();
        if let HistoryData::Jabatan(e) = &mut ended {
            e.tmt_selesai = NaiveDate::from_ymd_opt(2024, 1, 1);
        }
        carry_over(&mut again, &ended);
        assert_eq!(again, ended);
        let d = RwDiklat {
            id: s("d1"),
            latihan_struktural_id: s("3"),
            tanggal: s("02-05-2019"),
            jumlah_jam: s("40.0"),
            ..RwDiklat::default()
        };
        let HistoryData::Diklat(d) = diklat(&d).unwrap().data else { panic!() };
        assert_eq!((d.jumlah_jam, d.tanggal_selesai), (40, d.tanggal_mulai));
    }
}
