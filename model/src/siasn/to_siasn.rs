//! Our model → SIASN's read shapes ([`super::read`]): pure functions used by the server's facade and by the
//! SIASN simulator to fill its data.
//!
//! Ids: a PNS's id is its [`Profile::siasn_pns_id`], or its NIP when SIASN does not know it yet (this server
//! invents no GUID SIASN never issued); a riwayat's id is its [`HistoryRecord::siasn_id`], or our record id (a
//! dashed UUID, one of SIASN's own id forms). Dates are `dd-mm-yyyy`. A field we do not hold is `null`, except
//! where the sources show SIASN sending `""` or [`super::EMPTY_DATE`] for an empty value (the ids and names of
//! `rw-jabatan` records, `nipLama` of a record, the family's persons and marriages): there it is sent that way.
//! Lists are oldest first. A catalog code's name (golongan, pangkat, agama, …) comes from [`Names`].

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::read::{
    Anak, DataAnak, DataOrtu, DataPasangan, DataPernikahan, DataUtama, Orang, Pasangan, RwAngkakredit, RwCltn,
    RwDiklat, RwGolongan, RwHukdis, RwJabatan, RwKursus, RwMasakerja, RwPendidikan, RwPenghargaan, RwPindahinstansi,
    RwSkp, RwSkp22,
};
use super::{siasn_date, EMPTY_DATE};
use crate::catalog::Catalog;
use crate::history::{HistoryData, HistoryKind, HistoryRecord, ParentRole, Predikat, Rating};
use crate::record::Profile;

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

/// `rw-golongan`.
pub fn rw_golongan(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> Vec<RwGolongan> {
    let records = records(history, HistoryKind::Golongan);
    records
        .into_iter()
        .filter_map(|r| match &r.data {
            HistoryData::Golongan(g) => {
                let (gol, pangkat) = names.name("golongan", &g.golongan_id).map(|n| split_name(&n)).unzip();
                Some(RwGolongan {
                    id: Some(riwayat_id(r)),
                    id_pns: Some(pns_id(p)),
                    nip_baru: text(p.nip.as_str()),
                    nip_lama: empty(),
                    golongan_id: text(&g.golongan_id),
                    golongan: gol,
                    pangkat: pangkat.flatten(),
                    sk_nomor: text(&g.sk_nomor),
                    sk_tanggal: date(g.sk_tanggal),
                    tmt_golongan: date(g.tmt_golongan),
                    jenis_kp_id: g.jenis_kp_id.clone(),
                    jenis_kp_nama: g.jenis_kp_id.as_deref().and_then(|k| names.name("jenis_kp", k)),
                    masa_kerja_golongan_tahun: g.mk_tahun.map(|y| y.to_string()),
                    masa_kerja_golongan_bulan: g.mk_bulan.map(|m| m.to_string()),
                    ..RwGolongan::default()
                })
            }
            _ => None,
        })
        .collect()
}

/// `rw-jabatan`: an absent id or name is `""`, an absent eselon `null` (a consumer's fixture).
pub fn rw_jabatan(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> Vec<RwJabatan> {
    records(history, HistoryKind::Jabatan)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Jabatan(j) = &r.data else { return None };
            let (fungsional, umum) = match j.jenis_jabatan_id.as_str() {
                "2" => ((or_empty(j.jabatan_id.as_deref()), text(&j.jabatan_nama)), (empty(), empty())),
                "4" => ((empty(), empty()), (or_empty(j.jabatan_id.as_deref()), text(&j.jabatan_nama))),
                _ => ((empty(), empty()), (empty(), empty())),
            };
            Some(RwJabatan {
                id: Some(riwayat_id(r)),
                id_pns: Some(pns_id(p)),
                nip_baru: text(p.nip.as_str()),
                nip_lama: empty(),
                jenis_jabatan: text(&j.jenis_jabatan_id),
                instansi_kerja_id: text(&p.instansi_id),
                instansi_kerja_nama: text(&p.instansi_nama),
                satuan_kerja_id: empty(),
                satuan_kerja_nama: empty(),
                unor_id: or_empty(j.unor_id.as_deref()),
                unor_nama: text(&j.unor_nama),
                unor_induk_id: empty(),
                unor_induk_nama: empty(),
                eselon: j.eselon_id.as_deref().and_then(|e| names.name("eselon", e)).map(|n| split_name(&n).0),
                eselon_id: j.eselon_id.clone(),
                jabatan_fungsional_id: fungsional.0,
                jabatan_fungsional_nama: fungsional.1,
                jabatan_fungsional_umum_id: umum.0,
                jabatan_fungsional_umum_nama: umum.1,
                tmt_jabatan: date(j.tmt_jabatan),
                nomor_sk: text(&j.sk_nomor),
                tanggal_sk: date(j.sk_tanggal),
                nama_unor: text(&j.unor_nama),
                nama_jabatan: text(&j.jabatan_nama),
                tmt_pelantikan: empty(),
                path: None,
                jenis_penugasan_id: empty(),
                jenis_mutasi_id: empty(),
                sub_jabatan_id: empty(),
                tmt_mutasi: empty(),
            })
        })
        .collect()
}

/// `rw-pendidikan`.
pub fn rw_pendidikan(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> Vec<RwPendidikan> {
    records(history, HistoryKind::Pendidikan)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Pendidikan(e) = &r.data else { return None };
            Some(RwPendidikan {
                id: Some(riwayat_id(r)),
                id_pns: Some(pns_id(p)),
                nip_baru: text(p.nip.as_str()),
                nip_lama: empty(),
                pendidikan_id: e.pendidikan_id.clone(),
                pendidikan_nama: text(&e.pendidikan_nama),
                tk_pendidikan_id: text(&e.tingkat_pendidikan_id),
                tk_pendidikan_nama: names.name("tingkat_pendidikan", &e.tingkat_pendidikan_id),
                tahun_lulus: Some(e.tahun_lulus.to_string()),
                nomor_ijasah: text(&e.nomor_ijazah),
                nama_sekolah: text(&e.nama_sekolah),
                gelar_depan: e.gelar_depan.clone(),
                gelar_belakang: e.gelar_belakang.clone(),
                ..RwPendidikan::default()
            })
        })
        .collect()
}

/// `rw-angkakredit`: the period as month and year (`bulanMulaiPenailan`, …, spelled as SIASN spells them).
pub fn rw_angkakredit(p: &Profile, history: &[HistoryRecord]) -> Vec<RwAngkakredit> {
    records(history, HistoryKind::AngkaKredit)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::AngkaKredit(a) = &r.data else { return None };
            Some(RwAngkakredit {
                id: Some(riwayat_id(r)),
                pns: Some(pns_id(p)),
                nomor_sk: text(&a.nomor_sk),
                tanggal_sk: date(a.tanggal_sk),
                bulan_mulai_penailan: Some(a.periode_mulai.month().to_string()),
                tahun_mulai_penailan: Some(a.periode_mulai.year().to_string()),
                bulan_selesai_penailan: Some(a.periode_selesai.month().to_string()),
                tahun_selesai_penailan: Some(a.periode_selesai.year().to_string()),
                kredit_utama_baru: Some(a.kredit_utama),
                kredit_penunjang_baru: Some(a.kredit_penunjang),
                kredit_baru_total: Some(a.kredit_total),
                ..RwAngkakredit::default()
            })
        })
        .collect()
}

/// `rw-diklat` (structural training): `tanggal` is the start, `nomor` the certificate.
pub fn rw_diklat(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> Vec<RwDiklat> {
    records(history, HistoryKind::Diklat)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Diklat(t) = &r.data else { return None };
            Some(RwDiklat {
                id: Some(riwayat_id(r)),
                id_pns: Some(pns_id(p)),
                nip_baru: text(p.nip.as_str()),
                nip_lama: empty(),
                latihan_struktural_id: text(&t.latihan_struktural_id),
                latihan_struktural_nama: names.name("latihan_struktural", &t.latihan_struktural_id),
                nomor: text(&t.nomor_sertifikat),
                tanggal: date(t.tanggal_mulai),
                tahun: Some(t.tanggal_mulai.year().to_string()),
                jumlah_jam: Some(t.jumlah_jam.to_string()),
                tanggal_selesai: date(t.tanggal_selesai),
                institusi_penyelenggara: text(&t.institusi_penyelenggara),
                path: None,
            })
        })
        .collect()
}

/// `rw-kursus`.
pub fn rw_kursus(p: &Profile, history: &[HistoryRecord]) -> Vec<RwKursus> {
    records(history, HistoryKind::Kursus)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Kursus(k) = &r.data else { return None };
            Some(RwKursus {
                id: Some(riwayat_id(r)),
                id_pns: Some(pns_id(p)),
                nip_baru: text(p.nip.as_str()),
                nip_lama: empty(),
                institusi_penyelenggara: text(&k.institusi_penyelenggara),
                jumlah_jam: Some(k.jumlah_jam.to_string()),
                nama_kursus: text(&k.nama_kursus),
                no_sertipikat: text(&k.nomor_sertifikat),
                tahun_kursus: Some(k.tanggal_mulai.year().to_string()),
                tanggal_kursus: date(k.tanggal_mulai),
                jenis_diklat_id: text(&k.jenis_diklat_id),
                tanggal_selesai_kursus: date(k.tanggal_selesai),
                ..RwKursus::default()
            })
        })
        .collect()
}

/// `rw-hukdis`.
pub fn rw_hukdis(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> Vec<RwHukdis> {
    records(history, HistoryKind::HukumanDisiplin)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::HukumanDisiplin(h) = &r.data else { return None };
            Some(RwHukdis {
                id: Some(riwayat_id(r)),
                pns_orang: Some(pns_id(p)),
                jenis_hukuman: text(&h.jenis_hukuman_id),
                jenis_hukuman_nama: names.name("jenis_hukuman", &h.jenis_hukuman_id),
                sk_nomor: text(&h.sk_nomor),
                sk_tanggal: date(h.sk_tanggal),
                hukuman_tanggal: date(h.tanggal_mulai),
                akhir_hukum_tanggal: h.tanggal_akhir.and_then(date),
                alasan_hukuman_disiplin: h.alasan_id.clone(),
                alasan_hukuman_disiplin_nama: h.alasan_id.as_deref().and_then(|a| names.name("alasan_hukdis", a)),
                ..RwHukdis::default()
            })
        })
        .collect()
}

/// `rw-penghargaan`.
pub fn rw_penghargaan(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> Vec<RwPenghargaan> {
    records(history, HistoryKind::Penghargaan)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Penghargaan(h) = &r.data else { return None };
            Some(RwPenghargaan {
                id: Some(riwayat_id(r)),
                tahun: Some(h.tahun.to_string()),
                sk_nomor: text(&h.sk_nomor),
                sk_date: date(h.sk_tanggal),
                harga_id: text(&h.penghargaan_id),
                harga_nama: names.name("penghargaan", &h.penghargaan_id),
                pns_orang_id: Some(pns_id(p)),
                path: None,
            })
        })
        .collect()
}

/// `rw-pindahinstansi`: our agencies are SIASN's instansi ids (kerja and induk alike); the SK is the
/// destination's (`skTujuan…`). SIASN keeps no unit name here (`unorBaru` is an id we do not hold).
pub fn rw_pindahinstansi(p: &Profile, history: &[HistoryRecord]) -> Vec<RwPindahinstansi> {
    records(history, HistoryKind::PindahInstansi)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::PindahInstansi(m) = &r.data else { return None };
            Some(RwPindahinstansi {
                id: Some(riwayat_id(r)),
                pns_orang: Some(pns_id(p)),
                instansi_kerja_lama: text(&m.instansi_lama_id),
                instansi_induk_lama: text(&m.instansi_lama_id),
                instansi_kerja_baru: text(&m.instansi_baru_id),
                instansi_induk_baru: text(&m.instansi_baru_id),
                tmt_pi: date(m.tmt_pindah),
                sk_tujuan_nomor: text(&m.sk_nomor),
                sk_tujuan_tanggal: date(m.sk_tanggal),
                ..RwPindahinstansi::default()
            })
        })
        .collect()
}

/// `rw-masakerja` (PMK).
pub fn rw_masakerja(p: &Profile, history: &[HistoryRecord]) -> Vec<RwMasakerja> {
    records(history, HistoryKind::Pmk)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Pmk(m) = &r.data else { return None };
            Some(RwMasakerja {
                id: Some(riwayat_id(r)),
                id_pns: Some(pns_id(p)),
                nip_baru: text(p.nip.as_str()),
                nip_lama: empty(),
                tanggal_awal: date(m.tanggal_awal),
                tanggal_selesai: date(m.tanggal_selesai),
                nomor_sk: text(&m.nomor_sk),
                tanggal_sk: date(m.tanggal_sk),
                tasa_kerja_tahun: Some(m.mk_tahun.to_string()),
                masa_kerja_bulan: Some(m.mk_bulan.to_string()),
                ..RwMasakerja::default()
            })
        })
        .collect()
}

/// `rw-cltn`.
pub fn rw_cltn(p: &Profile, history: &[HistoryRecord]) -> Vec<RwCltn> {
    records(history, HistoryKind::Cltn)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Cltn(c) = &r.data else { return None };
            Some(RwCltn {
                id: Some(riwayat_id(r)),
                cltn_id: text(&c.jenis_cltn_id),
                sk_nomor: text(&c.sk_nomor),
                sk_tanggal: date(c.sk_tanggal),
                tanggal_awal: date(c.tanggal_awal),
                tanggal_akhir: date(c.tanggal_akhir),
                tanggal_aktif: c.tanggal_aktif.and_then(date),
                pns_orang_id: Some(pns_id(p)),
                ..RwCltn::default()
            })
        })
        .collect()
}

/// `rw-skp` (before 2022).
pub fn rw_skp(p: &Profile, history: &[HistoryRecord]) -> Vec<RwSkp> {
    records(history, HistoryKind::SkpLama)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::SkpLama(s) = &r.data else { return None };
            Some(RwSkp {
                id: Some(riwayat_id(r)),
                tahun: Some(s.tahun.to_string()),
                nilai_skp: Some(s.nilai_skp),
                nilai_perilaku_kerja: Some(s.nilai_perilaku),
                nilai_prestasi_kerja: Some(s.nilai_prestasi),
                pns: Some(pns_id(p)),
                penilai_nama: text(&s.penilai_nama),
                ..RwSkp::default()
            })
        })
        .collect()
}

/// A rating as SIASN's `perilakuDanKinerja.json` names it (B `src/Data/Referensi/perilakuDanKinerja.json.gz`):
/// its id as the `…Nilai` number and its name.
pub fn rating(r: Rating) -> (f64, &'static str) {
    match r {
        Rating::Above => (1.0, "DIATAS ESPEKTASI"),
        Rating::Meets => (2.0, "SESUAI ESPEKTASI"),
        Rating::Below => (3.0, "DIBAWAH ESPEKTASI"),
    }
}

/// A predikat as SIASN's `kuadranNilai.json` names it (B `src/Data/Referensi/kuadranNilai.json.gz`).
pub fn predikat(p: Predikat) -> (f64, &'static str) {
    match p {
        Predikat::SangatBaik => (1.0, "SANGAT BAIK"),
        Predikat::Baik => (2.0, "BAIK"),
        Predikat::ButuhPerbaikan => (3.0, "BUTUH PERBAIKAN"),
        Predikat::Kurang => (4.0, "KURANG"),
        Predikat::SangatKurang => (5.0, "SANGAT KURANG"),
    }
}

/// `rw-skp22`.
pub fn rw_skp22(p: &Profile, history: &[HistoryRecord]) -> Vec<RwSkp22> {
    records(history, HistoryKind::Skp)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Skp(s) = &r.data else { return None };
            let (hasil_nilai, hasil) = rating(s.hasil_kerja);
            let (perilaku_nilai, perilaku) = rating(s.perilaku_kerja);
            let (kuadran_nilai, kuadran) = predikat(s.predikat);
            Some(RwSkp22 {
                id: Some(riwayat_id(r)),
                hasil_kinerja: text(hasil),
                hasil_kinerja_nilai: Some(hasil_nilai),
                kuadran_kinerja: text(kuadran),
                kuadran_kinerja_nilai: Some(kuadran_nilai),
                nama_penilai: text(&s.penilai_nama),
                nip_nrp_penilai: text(&s.penilai_nip),
                penilai_jabatan_nm: text(&s.penilai_jabatan),
                penilai_unor_nm: text(&s.penilai_unor),
                perilaku_kerja: text(perilaku),
                perilaku_kerja_nilai: Some(perilaku_nilai),
                pns_dinilai_id: Some(pns_id(p)),
                tahun: Some(s.tahun.to_string()),
                ..RwSkp22::default()
            })
        })
        .collect()
}

/// A family member as SIASN's `orang`: empty texts `""`, empty dates [`EMPTY_DATE`], `StatusHidup` `"1"`/`"0"`.
fn orang(id: String, nama: &str, tempat: &str, lahir: NaiveDate, gender: &str, hidup: bool) -> Orang {
    Orang {
        id: Some(id),
        ayah_id: empty(),
        ibu_id: empty(),
        nama: text(nama),
        nama_ktp: empty(),
        gelar_depan: empty(),
        gelar_blk: empty(),
        tempat_lahir: text(tempat),
        tgl_lahir: date(lahir),
        akta_meninggal: empty(),
        tgl_meninggal: text(EMPTY_DATE),
        jenis_kelamin: text(gender),
        status_hidup: text(if hidup { "1" } else { "0" }),
        karis_karsu: empty(),
        ..Orang::default()
    }
}

/// `data-pasangan`.
pub fn data_pasangan(p: &Profile, history: &[HistoryRecord], names: &dyn Names) -> DataPasangan {
    let list = records(history, HistoryKind::Pasangan)
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let HistoryData::Pasangan(s) = &r.data else { return None };
            let id = riwayat_id(r);
            let mut person = orang(id.clone(), &s.nama, &s.tempat_lahir, s.tanggal_lahir, &s.jenis_kelamin, s.hidup);
            person.jenis_kawin_id = text(&s.status_kawin_id);
            Some(Pasangan {
                orang: Some(person),
                status_nikah: names.name("kawin", &s.status_kawin_id),
                data_pernikahan: Some(DataPernikahan {
                    id: empty(),
                    orang_id: Some(id),
                    pns_orang_id: Some(pns_id(p)),
                    tggl_menikah: date(s.tanggal_menikah),
                    akta_menikah: text(&s.akta_menikah),
                    tggl_cerai: Some(s.tanggal_cerai.map_or_else(|| EMPTY_DATE.to_owned(), siasn_date)),
                    akta_cerai: or_empty(s.akta_cerai.as_deref()),
                    posisi: Some((i + 1) as f64),
                    status: text(&s.status_kawin_id),
                    is_pns: None,
                    no_sk_pensiun: empty(),
                }),
            })
        })
        .collect();
    DataPasangan { nip_baru: text(p.nip.as_str()), nip_lama: None, id_pns: Some(pns_id(p)), list_pasangan: list }
}

/// `data-anak`: `jenisAnak` `"1"` kandung, `"2"` tiri, `"3"` angkat (R `utils/data-utils.js`).
pub fn data_anak(p: &Profile, history: &[HistoryRecord]) -> DataAnak {
    let list = records(history, HistoryKind::Anak)
        .into_iter()
        .filter_map(|r| {
            let HistoryData::Anak(a) = &r.data else { return None };
            let jenis = match a.status_anak.as_str() {
                "kandung" => "1",
                "tiri" => "2",
                "angkat" => "3",
                _ => "",
            };
            Some(Anak {
                id: Some(riwayat_id(r)),
                nama: text(&a.nama),
                jenis_kelamin: text(&a.jenis_kelamin),
                jenis_anak: text(jenis),
                ayah_id: empty(),
                ibu_id: empty(),
                tempat_lahir: text(&a.tempat_lahir),
                kabupaten_id: empty(),
                tgl_lahir: date(a.tanggal_lahir),
            })
        })
        .collect();
    DataAnak { id_pns: Some(pns_id(p)), list_anak: list }
}

/// `data-ortu`: the newest record of each parent.
pub fn data_ortu(p: &Profile, history: &[HistoryRecord]) -> DataOrtu {
    let mut out = DataOrtu { id_pns: Some(pns_id(p)), ..DataOrtu::default() };
    for r in records(history, HistoryKind::OrangTua) {
        let HistoryData::OrangTua(o) = &r.data else { continue };
        let (slot, gender) = match o.hubungan {
            ParentRole::Ayah => (&mut out.ayah, "M"),
            ParentRole::Ibu => (&mut out.ibu, "F"),
        };
        *slot = Some(orang(riwayat_id(r), &o.nama, &o.tempat_lahir, o.tanggal_lahir, gender, o.hidup));
    }
    out
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
