//! Performance: credit points (`rw-angkakredit`) and the SKP before and since 2022 (`rw-skp`, `rw-skp22`), with
//! SIASN's names of our ratings and predikat.

use chrono::Datelike;

use super::{date, pns_id, records, riwayat_id, text};
use crate::history::{HistoryData, HistoryKind, HistoryRecord, Predikat, Rating};
use crate::record::Profile;
use crate::siasn::read::{RwAngkakredit, RwSkp, RwSkp22};

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
