//! The career riwayat: ranks, positions, education, training, discipline, awards, transfers, service periods
//! and leave outside the state budget (`rw-golongan` … `rw-cltn`).

use chrono::Datelike;

use super::{date, empty, or_empty, pns_id, records, riwayat_id, split_name, text, Names};
use crate::history::{HistoryData, HistoryKind, HistoryRecord};
use crate::record::Profile;
use crate::siasn::read::{
    RwCltn, RwDiklat, RwGolongan, RwHukdis, RwJabatan, RwKursus, RwMasakerja, RwPendidikan, RwPenghargaan,
    RwPindahinstansi,
};

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
