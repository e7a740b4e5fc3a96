//! Our model → SIASN's read shapes ([`super::read`]): pure functions used by the server's facade and by the
//! SIASN simulator to fill its data.
//!
//! Ids: a PNS's id is its [`Profile::siasn_pns_id`], or its NIP when SIASN does not know it yet (this server
//! invents no GUID SIASN never issued); a riwayat's id is its [`HistoryRecord::siasn_id`], or our record id (a
//! dashed UUID, one of SIASN's own id forms). Dates are `dd-mm-yyyy`. A field we do not hold is `null`, except
//! where the sources show SIASN sending `""` or [`super::EMPTY_DATE`] for an empty value (the ids and names of
//! `rw-jabatan` records, `nipLama` of a record, the family's persons and marriages): there it is sent that way.
//! Lists are oldest first. A catalog code's name (golongan, pangkat, agama, …) comes from [`Names`].

mod career;
mod family;
mod performance;

use chrono::NaiveDate;
use serde_json::Value;

use super::read::DataUtama;
use super::{siasn_date, EMPTY_DATE};
use crate::catalog::Catalog;
use crate::history::{HistoryData, HistoryKind, HistoryRecord};
use crate::record::Profile;

pub use career::{
    rw_cltn, rw_diklat, rw_golongan, rw_hukdis, rw_jabatan, rw_kursus, rw_masakerja, rw_pendidikan, rw_penghargaan,
    rw_pindahinstansi,
};
pub use family::{data_anak, data_ortu, data_pasangan};
pub use performance::{predikat, rating, rw_angkakredit, rw_skp, rw_skp22};

/// The names of catalog codes (our catalogs: `golongan`, `agama`, `kawin`, `jenis_jabatan`, `eselon`, …).
pub trait Names {
    fn name(&self, catalog: &str, id: &str) -> Option<String>;
}

impl Names for [Catalog] {
    fn name(&self, catalog: &str, id: &str) -> Option<String> {
        self.iter().find(|c| c.name == catalog)?.entries.iter().find(|e| e.id == id).map(|e| e.nama.clone())
    }
}

impl Names for Vec<Catalog> {
    fn name(&self, catalog: &str, id: &str) -> Option<String> {
        self.as_slice().name(catalog, id)
    }
}

impl Names for crate::catalog::Catalogs {
    fn name(&self, catalog: &str, id: &str) -> Option<String> {
        self.0.name(catalog, id)
    }
}

/// No catalog at hand: every name is `null`.
pub struct NoNames;

impl Names for NoNames {
    fn name(&self, _catalog: &str, _id: &str) -> Option<String> {
        None
    }
}

/// The PNS id SIASN knows this person by, else the NIP.
pub fn pns_id(p: &Profile) -> String {
    p.siasn_pns_id.clone().unwrap_or_else(|| p.nip.as_str().to_owned())
}

/// The riwayat id of a record: SIASN's, else ours.
pub fn riwayat_id(r: &HistoryRecord) -> String {
    r.siasn_id.clone().unwrap_or_else(|| r.id.clone())
}

/// Our catalogs name golongan "III/a (Penata Muda)" and eselon "II.a (JPT PRATAMA)": the code and the qualifier.
fn split_name(full: &str) -> (String, Option<String>) {
    match full.split_once(" (") {
        Some((code, rest)) => (code.to_owned(), Some(rest.trim_end_matches(')').to_owned())),
        None => (full.to_owned(), None),
    }
}

fn date(d: NaiveDate) -> Option<String> {
    Some(siasn_date(d))
}

fn text(s: &str) -> Option<String> {
    Some(s.to_owned())
}

fn empty() -> Option<String> {
    Some(String::new())
}

fn or_empty(s: Option<&str>) -> Option<String> {
    Some(s.unwrap_or_default().to_owned())
}

fn records(history: &[HistoryRecord], kind: HistoryKind) -> Vec<&HistoryRecord> {
    let mut out: Vec<&HistoryRecord> = history.iter().filter(|r| r.data.kind() == kind).collect();
    out.sort_by(|a, b| a.data.sort_date().cmp(&b.data.sort_date()).then_with(|| a.id.cmp(&b.id)));
    out
}

/// `data-utama`.
pub fn data_utama(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> DataUtama {
    let v = &p.verified;
    let pick = |verified: &Option<String>, own: &Option<String>| verified.clone().or_else(|| own.clone());
    let mut d = DataUtama {
        id: Some(pns_id(p)),
        nip_baru: text(p.nip.as_str()),
        nama: text(&p.nama),
        gelar_depan: pick(&v.gelar_depan, &p.gelar_depan),
        gelar_belakang: pick(&v.gelar_belakang, &p.gelar_belakang),
        tempat_lahir: v.tempat_lahir.clone().or_else(|| text(&p.tempat_lahir)),
        tgl_lahir: date(p.tanggal_lahir),
        jenis_kelamin: text(&p.jenis_kelamin),
        agama_id: v.agama_id.clone(),
        agama: v.agama_id.as_deref().and_then(|id| names.name("agama", id)),
        jenis_kawin_id: v.status_kawin_id.clone(),
        status_perkawinan: v.status_kawin_id.as_deref().and_then(|id| names.name("kawin", id)),
        nik: v.nik.clone(),
        email: p.owner.email.clone(),
        no_hp: p.owner.no_hp.clone(),
        alamat: p.owner.alamat.clone(),
        no_npwp: p.owner.npwp.clone(),
        bpjs: p.owner.bpjs.clone(),
        instansi_induk_id: text(&p.instansi_id),
        instansi_induk_nama: text(&p.instansi_nama),
        instansi_kerja_id: text(&p.instansi_id),
        instansi_kerja_nama: text(&p.instansi_nama),
        unor_id: p.unor_id.clone(),
        unor_nama: text(&p.unor_nama),
        jabatan_nama: p.jabatan_nama.clone(),
        gol_ruang_akhir_id: p.golongan_id.clone(),
        ..DataUtama::default()
    };
    if let Some(g) = &p.golongan_id {
        let (gol, pangkat) = names.name("golongan", g).map(|n| split_name(&n)).unzip();
        d.gol_ruang_akhir = gol;
        d.pangkat_akhir = pangkat.flatten();
    }
    let golongan = records(history, HistoryKind::Golongan);
    let current = golongan.iter().rev().find_map(|r| match &r.data {
        HistoryData::Golongan(g) if Some(&g.golongan_id) == p.golongan_id.as_ref() => Some(g),
        _ => None,
    });
    if let Some(g) = current {
        d.tmt_gol_akhir = date(g.tmt_golongan);
        d.mk_tahun = g.mk_tahun.map(|y| y.to_string());
        d.mk_bulan = g.mk_bulan.map(|m| m.to_string());
    }
    if let Some(HistoryData::Golongan(first)) = golongan.first().map(|r| &r.data) {
        d.gol_ruang_awal_id = text(&first.golongan_id);
        let (gol, pangkat) = names.name("golongan", &first.golongan_id).map(|n| split_name(&n)).unzip();
        d.gol_ruang_awal = gol;
        d.pangkat_awal = pangkat.flatten();
    }
    for r in records(history, HistoryKind::CpnsPns) {
        if let HistoryData::CpnsPns(c) = &r.data {
            d.tmt_cpns = date(c.tmt_cpns);
            d.tgl_sk_cpns = date(c.tgl_sk_cpns);
            d.nomor_sk_cpns = text(&c.nomor_sk_cpns);
            d.tmt_pns = c.tmt_pns.and_then(date);
            d.tgl_sk_pns = c.tgl_sk_pns.and_then(date);
            d.nomor_sk_pns = c.nomor_sk_pns.clone();
            d.no_spmt = c.no_spmt.clone();
        }
    }
    let jabatan = records(history, HistoryKind::Jabatan);
    let now = jabatan.iter().rev().find(|r| matches!(&r.data, HistoryData::Jabatan(j) if j.tmt_selesai.is_none()));
    if let Some(HistoryData::Jabatan(j)) = now.or(jabatan.last()).map(|r| &r.data) {
        d.jenis_jabatan_id = text(&j.jenis_jabatan_id);
        d.jenis_jabatan = names.name("jenis_jabatan", &j.jenis_jabatan_id);
        d.tmt_jabatan = date(j.tmt_jabatan);
        d.eselon_id = j.eselon_id.clone();
        d.eselon = j.eselon_id.as_deref().and_then(|e| names.name("eselon", e)).map(|n| split_name(&n).0);
        match j.jenis_jabatan_id.as_str() {
            "1" => d.jabatan_struktural_nama = text(&j.jabatan_nama),
            "2" => (d.jabatan_fungsional_id, d.jabatan_fungsional_nama) = (j.jabatan_id.clone(), text(&j.jabatan_nama)),
            "4" => {
                (d.jabatan_fungsional_umum_id, d.jabatan_fungsional_umum_nama) =
                    (j.jabatan_id.clone(), text(&j.jabatan_nama))
            }
            _ => {}
        }
    }
    let last_school = records(history, HistoryKind::Pendidikan).last().map(|r| &r.data);
    if let Some(HistoryData::Pendidikan(e)) = last_school {
        d.tk_pendidikan_terakhir_id = text(&e.tingkat_pendidikan_id);
        d.tk_pendidikan_terakhir = names.name("tingkat_pendidikan", &e.tingkat_pendidikan_id);
        d.pendidikan_terakhir_id = e.pendidikan_id.clone();
        d.pendidikan_terakhir_nama = text(&e.pendidikan_nama);
        d.tahun_lulus = Some(e.tahun_lulus.to_string());
    }
    d.jumlah_istri_suami = Some(records(history, HistoryKind::Pasangan).len().to_string());
    d.jumlah_anak = Some(records(history, HistoryKind::Anak).len().to_string());
    d
}

/// The `data` of resource `name` for this person, from our model; `None` where SIASN answers not found: an
/// unknown resource, a list with no record, `data-anak` without a child (R `rw-keluarga.controller.js` treats
/// code 0 as no children), and what the model does not hold (`rw-dp3`, `rw-pwk`, `rw-pnsunor`,
/// `rw-pemberhentian`, `rw-kinerjaperiodik`, `rw-sertifikasi`, `rw-tubel`). `nilaiipasn` and `photo` are not
/// the record's data: the server computes or stores them.
pub fn read(name: &str, p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> Option<Value> {
    fn list<T: serde::Serialize>(items: Vec<T>) -> Option<Value> {
        if items.is_empty() {
            None
        } else {
            serde_json::to_value(items).ok()
        }
    }
    match name {
        "data-utama" => serde_json::to_value(data_utama(p, history, names)).ok(),
        "data-pasangan" => serde_json::to_value(data_pasangan(p, history, names)).ok(),
        "data-anak" => {
            let anak = data_anak(p, history);
            if anak.list_anak.is_empty() {
                None
            } else {
                serde_json::to_value(anak).ok()
            }
        }
        "data-ortu" => serde_json::to_value(data_ortu(p, history)).ok(),
        "rw-golongan" => list(rw_golongan(p, history, names)),
        "rw-jabatan" => list(rw_jabatan(p, history, names)),
        "rw-pendidikan" => list(rw_pendidikan(p, history, names)),
        "rw-angkakredit" => list(rw_angkakredit(p, history)),
        "rw-diklat" => list(rw_diklat(p, history, names)),
        "rw-kursus" => list(rw_kursus(p, history)),
        "rw-hukdis" => list(rw_hukdis(p, history, names)),
        "rw-penghargaan" => list(rw_penghargaan(p, history, names)),
        "rw-pindahinstansi" => list(rw_pindahinstansi(p, history)),
        "rw-masakerja" => list(rw_masakerja(p, history)),
        "rw-skp" => list(rw_skp(p, history)),
        "rw-skp22" => list(rw_skp22(p, history)),
        "rw-cltn" => list(rw_cltn(p, history)),
        _ => None,
    }
}

/// Coverage of one served `data`: `(fields holding a value, fields served)`, counting the leaves of the shape
/// (a list counts its first record; `path` counts as one field). Every served shape has exactly the documented
/// fields (tested), so the second number is the documented count. A value is held when it is not `null`, `""`
/// or [`EMPTY_DATE`].
pub fn coverage(v: &Value) -> (usize, usize) {
    match v {
        Value::Array(items) => items.first().map_or((0, 0), coverage),
        Value::Object(map) => map.iter().fold((0, 0), |(held, all), (key, value)| {
            let (h, a) = match value {
                Value::Object(_) | Value::Array(_) if key != "path" => coverage(value),
                Value::Null => (0, 1),
                Value::String(s) if s.is_empty() || s == EMPTY_DATE => (0, 1),
                _ => (1, 1),
            };
            (held + h, all + a)
        }),
        _ => (0, 0),
    }
}

#[cfg(test)]
pub(crate) mod tests;
