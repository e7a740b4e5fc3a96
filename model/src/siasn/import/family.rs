//! The family resources (`data-pasangan`, `data-anak`, `data-ortu`): single objects holding the persons, mapped to
//! one record each whose SIASN id is the person's `orang.id` (a child's `id`), as [`super::super::to_siasn`] writes
//! it.

use super::{text, Fields, Imported, MapError, Problem, JENIS_ANAK, JENIS_KELAMIN, STATUS_KAWIN};
use crate::history::{Anak, HistoryData, OrangTua, ParentRole, Pasangan};
use crate::siasn::read::{DataAnak, DataOrtu, DataPasangan};

/// `data-pasangan`: one record per spouse of `listPasangan`, its SIASN id the person's `orang.id` (else the
/// marriage's `orangId`).
pub fn pasangan(d: &DataPasangan) -> Vec<Result<Imported, MapError>> {
    let f = Fields { resource: "data-pasangan" };
    d.list_pasangan
        .iter()
        .map(|p| {
            let o = p.orang.as_ref().ok_or_else(|| f.err("orang", Problem::Missing, None))?;
            let m = p.data_pernikahan.clone().unwrap_or_default();
            let status = text(&o.jenis_kawin_id).or_else(|| text(&m.status));
            Ok(Imported {
                siasn_id: text(&o.id)
                    .or_else(|| text(&m.orang_id))
                    .ok_or_else(|| f.err("orang.id", Problem::Missing, None))?,
                data: HistoryData::Pasangan(Pasangan {
                    nama: f.required("orang.nama", &o.nama)?,
                    tempat_lahir: text(&o.tempat_lahir).unwrap_or_default(),
                    tanggal_lahir: f.date("orang.tglLahir", &o.tgl_lahir)?,
                    jenis_kelamin: f.code("orang.jenisKelamin", &o.jenis_kelamin, &JENIS_KELAMIN)?,
                    status_kawin_id: f.code("orang.JenisKawinId", &status, &STATUS_KAWIN)?,
                    tanggal_menikah: f.date("dataPernikahan.tgglMenikah", &m.tggl_menikah)?,
                    akta_menikah: text(&m.akta_menikah).unwrap_or_default(),
                    tanggal_cerai: f.optional_date("dataPernikahan.tgglCerai", &m.tggl_cerai)?,
                    akta_cerai: text(&m.akta_cerai),
                    hidup: f.hidup("orang.StatusHidup", o)?,
                }),
            })
        })
        .collect()
}

/// `data-anak`: one record per child of `listAnak`. SIASN carries neither the birth certificate number nor
/// whether the child lives: empty and alive here, our record's values kept by [`super::carry_over`].
pub fn anak(d: &DataAnak) -> Vec<Result<Imported, MapError>> {
    let f = Fields { resource: "data-anak" };
    d.list_anak
        .iter()
        .map(|a| {
            Ok(Imported {
                siasn_id: f.id(&a.id)?,
                data: HistoryData::Anak(Anak {
                    nama: f.required("nama", &a.nama)?,
                    tempat_lahir: text(&a.tempat_lahir).unwrap_or_default(),
                    tanggal_lahir: f.date("tglLahir", &a.tgl_lahir)?,
                    jenis_kelamin: f.code("jenisKelamin", &a.jenis_kelamin, &JENIS_KELAMIN)?,
                    nomor_akta_kelahiran: String::new(),
                    status_anak: f.code("jenisAnak", &a.jenis_anak, &JENIS_ANAK)?,
                    hidup: true,
                }),
            })
        })
        .collect()
}

/// The field names of one parent of `data-ortu`.
struct ParentFields {
    role: ParentRole,
    id: &'static str,
    nama: &'static str,
    tgl_lahir: &'static str,
    status_hidup: &'static str,
}

const AYAH: ParentFields = ParentFields {
    role: ParentRole::Ayah,
    id: "ayah.id",
    nama: "ayah.nama",
    tgl_lahir: "ayah.tglLahir",
    status_hidup: "ayah.StatusHidup",
};
const IBU: ParentFields = ParentFields {
    role: ParentRole::Ibu,
    id: "ibu.id",
    nama: "ibu.nama",
    tgl_lahir: "ibu.tglLahir",
    status_hidup: "ibu.StatusHidup",
};

/// `data-ortu`: a record for `ayah` and one for `ibu`. An absent parent, or one with neither id nor name (SIASN
/// fills an unknown person with `""`), is none.
pub fn orang_tua(d: &DataOrtu) -> Vec<Result<Imported, MapError>> {
    let f = Fields { resource: "data-ortu" };
    [(&d.ayah, AYAH), (&d.ibu, IBU)]
        .into_iter()
        .filter_map(|(o, names)| {
            o.as_ref().filter(|o| text(&o.id).is_some() || text(&o.nama).is_some()).map(|o| (o, names))
        })
        .map(|(o, names)| {
            Ok(Imported {
                siasn_id: f.required(names.id, &o.id)?,
                data: HistoryData::OrangTua(OrangTua {
                    hubungan: names.role,
                    nama: f.required(names.nama, &o.nama)?,
                    tempat_lahir: text(&o.tempat_lahir).unwrap_or_default(),
                    tanggal_lahir: f.date(names.tgl_lahir, &o.tgl_lahir)?,
                    hidup: f.hidup(names.status_hidup, o)?,
                }),
            })
        })
        .collect()
}
