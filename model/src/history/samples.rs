//! A valid example record of every kind, for tests (compiled only for tests or with the feature `samples`).
//! Dates follow from the owner's birth date so every cross-record rule holds; `n` varies the content (and the year
//! where a year matters).

use chrono::{Datelike, Months, NaiveDate};

use super::*;

/// A valid record of `kind` for an ASN born on `born`; `n` varies it.
pub fn sample(kind: HistoryKind, born: NaiveDate, n: u32) -> HistoryData {
    let at_age = |years: u32, months: u32| born.checked_add_months(Months::new(years * 12 + months)).unwrap_or(born);
    let start = at_age(23, n % 12);
    let later = |d: NaiveDate, months: u32| d.checked_add_months(Months::new(months)).unwrap_or(d);
    let year = 2023 - (n % 2) as i32;
    match kind {
        HistoryKind::CpnsPns => HistoryData::CpnsPns(CpnsPns {
            nomor_sk_cpns: format!("813/{n}/CPNS"),
            tgl_sk_cpns: start,
            tmt_cpns: later(start, 1),
            nomor_sk_pns: Some(format!("821/{n}/PNS")),
            tgl_sk_pns: Some(later(start, 13)),
            tmt_pns: Some(later(start, 13)),
            no_spmt: Some(format!("SPMT/{n}")),
        }),
        HistoryKind::Golongan => HistoryData::Golongan(Golongan {
            golongan_id: ["31", "32", "33", "34", "41"][(n % 5) as usize].into(),
            tmt_golongan: later(start, 48 * (n % 5)),
            sk_nomor: format!("KP/{n}"),
            sk_tanggal: later(start, 48 * (n % 5)),
            jenis_kp_id: Some("101".into()),
            mk_tahun: Some((4 * (n % 5)) as i32),
            mk_bulan: Some(0),
        }),
        HistoryKind::Pmk => HistoryData::Pmk(Pmk {
            tanggal_awal: at_age(21, 0),
            tanggal_selesai: at_age(23, 0),
            nomor_sk: format!("PMK/{n}"),
            tanggal_sk: start,
            mk_tahun: 2,
            mk_bulan: 0,
        }),
        HistoryKind::Pendidikan => HistoryData::Pendidikan(Pendidikan {
            tingkat_pendidikan_id: "40".into(),
            pendidikan_nama: format!("S-1 Administrasi Negara {n}"),
            nama_sekolah: "Universitas Padjadjaran".into(),
            tahun_lulus: at_age(22, 0).year(),
            nomor_ijazah: format!("UNPAD/{n}"),
            gelar_depan: None,
            gelar_belakang: Some("S.AP.".into()),
            pendidikan_id: None,
        }),
        HistoryKind::Jabatan => HistoryData::Jabatan(Jabatan {
            jenis_jabatan_id: "4".into(),
            jabatan_nama: format!("Analis Kepegawaian {n}"),
            unor_nama: "Bagian Kepegawaian".into(),
            eselon_id: None,
            tmt_jabatan: start,
            tmt_selesai: None,
            sk_nomor: format!("821.2/{n}"),
            sk_tanggal: start,
            unor_id: None,
            jabatan_id: None,
        }),
        HistoryKind::Diklat => HistoryData::Diklat(Diklat {
            latihan_struktural_id: "2".into(),
            nama_diklat: format!("Diklat PIM IV angkatan {n}"),
            institusi_penyelenggara: "LAN RI".into(),
            tanggal_mulai: later(start, 24),
            tanggal_selesai: later(start, 26),
            jumlah_jam: 285,
            nomor_sertifikat: format!("PIM4/{n}"),
        }),
        HistoryKind::Kursus => HistoryData::Kursus(Kursus {
            jenis_diklat_id: "3".into(),
            nama_kursus: format!("Pelatihan Manajemen ASN {n}"),
            institusi_penyelenggara: "BKN".into(),
            tanggal_mulai: later(start, 30),
            tanggal_selesai: later(start, 30),
            jumlah_jam: 24,
            nomor_sertifikat: format!("BKN/{n}"),
        }),
        HistoryKind::OrangTua => HistoryData::OrangTua(OrangTua {
            hubungan: if n.is_multiple_of(2) { ParentRole::Ayah } else { ParentRole::Ibu },
            nama: format!("Orang Tua {n}"),
            tempat_lahir: "Bandung".into(),
            tanggal_lahir: born.checked_sub_months(Months::new(12 * 28)).unwrap_or(born),
            hidup: true,
        }),
        HistoryKind::Pasangan => HistoryData::Pasangan(Pasangan {
            nama: format!("Pasangan {n}"),
            tempat_lahir: "Bogor".into(),
            tanggal_lahir: later(born, 12),
            jenis_kelamin: "F".into(),
            status_kawin_id: "1".into(),
            tanggal_menikah: at_age(27, 0),
            akta_menikah: format!("AN/{n}"),
            tanggal_cerai: None,
            akta_cerai: None,
            hidup: true,
        }),
        HistoryKind::Anak => HistoryData::Anak(Anak {
            nama: format!("Anak {n}"),
            tempat_lahir: "Jakarta".into(),
            tanggal_lahir: at_age(29, n % 12),
            jenis_kelamin: if n.is_multiple_of(2) { "M".into() } else { "F".into() },
            nomor_akta_kelahiran: format!("AL/{n}"),
            status_anak: "kandung".into(),
            hidup: true,
        }),
        HistoryKind::Penghargaan => HistoryData::Penghargaan(Penghargaan {
            penghargaan_id: "201".into(),
            tahun: year,
            sk_nomor: format!("SL/{n}"),
            sk_tanggal: NaiveDate::from_ymd_opt(year, 8, 17).unwrap_or(start),
        }),
        HistoryKind::HukumanDisiplin => HistoryData::HukumanDisiplin(HukumanDisiplin {
            jenis_hukuman_id: "1".into(),
            sk_nomor: format!("HD/{n}"),
            sk_tanggal: later(start, 40),
            tanggal_mulai: later(start, 40),
            tanggal_akhir: Some(later(start, 46)),
            alasan_id: None,
        }),
        HistoryKind::PindahInstansi => HistoryData::PindahInstansi(PindahInstansi {
            instansi_lama_id: "A5EB03E23BE8F6A0E040640A040252AD".into(),
            instansi_baru_id: "A5EB03E23BFBF6A0E040640A040252AD".into(),
            unor_baru_nama: "Biro Umum".into(),
            tmt_pindah: later(start, 60),
            sk_nomor: format!("PI/{n}"),
            sk_tanggal: later(start, 59),
        }),
        HistoryKind::Cltn => HistoryData::Cltn(Cltn {
            jenis_cltn_id: "1".into(),
            sk_nomor: format!("CLTN/{n}"),
            sk_tanggal: later(start, 70),
            tanggal_awal: later(start, 71),
            tanggal_akhir: later(start, 83),
            tanggal_aktif: Some(later(start, 84)),
        }),
        HistoryKind::AngkaKredit => HistoryData::AngkaKredit(AngkaKredit {
            nomor_sk: format!("PAK/{n}"),
            tanggal_sk: NaiveDate::from_ymd_opt(year + 1, 1, 15).unwrap_or(start),
            periode_mulai: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(start),
            periode_selesai: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(start),
            kredit_utama: 12.5,
            kredit_penunjang: 2.25,
            kredit_total: 14.75,
        }),
        HistoryKind::Skp => HistoryData::Skp(Skp {
            tahun: 2025 - (n % 3) as i32,
            hasil_kerja: Rating::Meets,
            perilaku_kerja: Rating::Above,
            predikat: Predikat::Baik,
            penilai_nip: "197808172005011001".into(),
            penilai_nama: "Budi Santoso".into(),
            penilai_jabatan: "Kepala Bagian Umum".into(),
            penilai_unor: "Bagian Umum".into(),
        }),
        HistoryKind::SkpLama => HistoryData::SkpLama(SkpLama {
            tahun: 2021 - (n % 5) as i32,
            nilai_skp: 85.5,
            nilai_perilaku: 82.0,
            nilai_prestasi: 84.2,
            penilai_nama: "Budi Santoso".into(),
        }),
        HistoryKind::Organisasi => HistoryData::Organisasi(Organisasi {
            nama_organisasi: "KORPRI".into(),
            jabatan_organisasi: format!("Anggota {n}"),
            tanggal_mulai: start,
            tanggal_selesai: None,
        }),
    }
}
