//! Education and training records: pendidikan, diklat, kursus.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::rules::{check_with, Checker, RuleContext};
use crate::Violation;

/// Pendidikan, formal education (jenisRiwayat 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pendidikan {
    /// From `pendidikan.json.gz` levels (tkPendidikanId).
    pub tingkat_pendidikan_id: String,
    pub pendidikan_nama: String,
    pub nama_sekolah: String,
    pub tahun_lulus: i32,
    pub nomor_ijazah: String,
    #[serde(default)]
    pub gelar_depan: Option<String>,
    #[serde(default)]
    pub gelar_belakang: Option<String>,
    /// SIASN's id of the education (`rw-pendidikan.pendidikanId`, from `pendidikan.json`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pendidikan_id: Option<String>,
}

impl Pendidikan {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.code("tingkat_pendidikan_id", "tingkat_pendidikan", &self.tingkat_pendidikan_id);
            c.required("pendidikan_nama", &self.pendidikan_nama);
            c.required("nama_sekolah", &self.nama_sekolah);
            c.required("nomor_ijazah", &self.nomor_ijazah);
            c.year("tahun_lulus", self.tahun_lulus);
            c.optional("gelar_depan", self.gelar_depan.as_deref());
            c.optional("gelar_belakang", self.gelar_belakang.as_deref());
        });
    }
}

/// Diklat, structural (leadership) training (jenisRiwayat 9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Diklat {
    /// From `latihanStruktural.json`.
    pub latihan_struktural_id: String,
    pub nama_diklat: String,
    pub institusi_penyelenggara: String,
    pub tanggal_mulai: NaiveDate,
    pub tanggal_selesai: NaiveDate,
    pub jumlah_jam: i32,
    pub nomor_sertifikat: String,
}

impl Diklat {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.code("latihan_struktural_id", "latihan_struktural", &self.latihan_struktural_id);
            c.required("nama_diklat", &self.nama_diklat);
            training(c, &self.institusi_penyelenggara, self.tanggal_mulai, self.tanggal_selesai, self.jumlah_jam);
            c.required("nomor_sertifikat", &self.nomor_sertifikat);
        });
    }
}

/// Kursus, functional/technical training, workshops and courses (jenisRiwayat 13).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kursus {
    /// From `jenisDiklat.json` (2 fungsional, 3 teknis, 4 workshop, ...).
    pub jenis_diklat_id: String,
    pub nama_kursus: String,
    pub institusi_penyelenggara: String,
    pub tanggal_mulai: NaiveDate,
    pub tanggal_selesai: NaiveDate,
    pub jumlah_jam: i32,
    pub nomor_sertifikat: String,
}

impl Kursus {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.code("jenis_diklat_id", "jenis_diklat", &self.jenis_diklat_id);
            c.required("nama_kursus", &self.nama_kursus);
            training(c, &self.institusi_penyelenggara, self.tanggal_mulai, self.tanggal_selesai, self.jumlah_jam);
            c.required("nomor_sertifikat", &self.nomor_sertifikat);
        });
    }
}

/// The rules diklat and kursus share.
fn training(c: &mut Checker, institusi: &str, start: NaiveDate, end: NaiveDate, hours: i32) {
    c.required("institusi_penyelenggara", institusi);
    c.date("tanggal_mulai", start);
    c.date("tanggal_selesai", end);
    c.order("tanggal_selesai", start, Some(end));
    c.within("jumlah_jam", hours.into(), 1..=5_000);
}
