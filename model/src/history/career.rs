//! Career records: CPNS/PNS, golongan, PMK, jabatan, pindah instansi, CLTN, angka kredit, organisasi.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::nip::MIN_AGE_AT_TMT_CPNS;
use crate::rules::{check_with, is_golongan_id, RuleContext};
use crate::Code;
use crate::Violation;

/// CPNS/PNS appointment (jenisRiwayat 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpnsPns {
    pub nomor_sk_cpns: String,
    pub tgl_sk_cpns: NaiveDate,
    pub tmt_cpns: NaiveDate,
    pub nomor_sk_pns: Option<String>,
    pub tgl_sk_pns: Option<NaiveDate>,
    pub tmt_pns: Option<NaiveDate>,
    pub no_spmt: Option<String>,
}

impl CpnsPns {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.required("nomor_sk_cpns", &self.nomor_sk_cpns);
            c.date("tgl_sk_cpns", self.tgl_sk_cpns);
            c.date("tmt_cpns", self.tmt_cpns);
            c.optional("nomor_sk_pns", self.nomor_sk_pns.as_deref());
            c.optional("no_spmt", self.no_spmt.as_deref());
            c.optional_date("tgl_sk_pns", self.tgl_sk_pns);
            c.optional_date("tmt_pns", self.tmt_pns);
            c.order("tmt_pns", self.tmt_cpns, self.tmt_pns);
            if self.tmt_pns.is_some() && self.nomor_sk_pns.as_deref().is_none_or(|s| s.trim().is_empty()) {
                c.rule(Code::FieldRequired, "nomor_sk_pns");
            }
            let adult =
                ctx.owner_birth_date().and_then(|b| b.checked_add_months(Months::new(MIN_AGE_AT_TMT_CPNS as u32 * 12)));
            if adult.is_some_and(|a| self.tmt_cpns < a) {
                c.rule(Code::DateBeforeAdulthood, "tmt_cpns");
            }
        });
    }
}

/// Golongan / pangkat (jenisRiwayat 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Golongan {
    /// 11 (I/a) .. 45 (IV/e), from `golonganPns.json`.
    pub golongan_id: String,
    pub tmt_golongan: NaiveDate,
    pub sk_nomor: String,
    pub sk_tanggal: NaiveDate,
    /// Type of promotion, from `kenaikanPangkat.json` (101 Reguler, ...).
    #[serde(default)]
    pub jenis_kp_id: Option<String>,
    #[serde(default)]
    pub mk_tahun: Option<i32>,
    #[serde(default)]
    pub mk_bulan: Option<i32>,
}

impl Golongan {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            if is_golongan_id(&self.golongan_id) {
                c.code("golongan_id", "golongan", &self.golongan_id);
            } else {
                c.rule(Code::CodeUnknown, "golongan_id");
            }
            c.date("tmt_golongan", self.tmt_golongan);
            c.date("sk_tanggal", self.sk_tanggal);
            c.required("sk_nomor", &self.sk_nomor);
            c.optional_code("jenis_kp_id", "jenis_kp", self.jenis_kp_id.as_deref());
            if let Some(t) = self.mk_tahun {
                c.within("mk_tahun", t.into(), 0..=50);
            }
            if let Some(b) = self.mk_bulan {
                c.within("mk_bulan", b.into(), 0..=11);
            }
        });
    }
}

/// PMK, peninjauan masa kerja (jenisRiwayat 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pmk {
    pub tanggal_awal: NaiveDate,
    pub tanggal_selesai: NaiveDate,
    pub nomor_sk: String,
    pub tanggal_sk: NaiveDate,
    pub mk_tahun: i32,
    pub mk_bulan: i32,
}

impl Pmk {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.date("tanggal_awal", self.tanggal_awal);
            c.date("tanggal_selesai", self.tanggal_selesai);
            c.order("tanggal_selesai", self.tanggal_awal, Some(self.tanggal_selesai));
            c.required("nomor_sk", &self.nomor_sk);
            c.date("tanggal_sk", self.tanggal_sk);
            c.within("mk_tahun", self.mk_tahun.into(), 0..=50);
            c.within("mk_bulan", self.mk_bulan.into(), 0..=11);
        });
    }
}

/// Jabatan, position (jenisRiwayat 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Jabatan {
    /// From `jenisJabatan.json` (1 struktural, 2 fungsional tertentu, 4 pelaksana).
    pub jenis_jabatan_id: String,
    pub jabatan_nama: String,
    pub unor_nama: String,
    pub eselon_id: Option<String>,
    pub tmt_jabatan: NaiveDate,
    /// End of the assignment, if it has ended.
    pub tmt_selesai: Option<NaiveDate>,
    pub sk_nomor: String,
    pub sk_tanggal: NaiveDate,
    /// SIASN's id of the unit (`rw-jabatan.unorId`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unor_id: Option<String>,
    /// SIASN's id of the position: `jabatanFungsionalId` (jenis 2) or `jabatanFungsionalUmumId` (jenis 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jabatan_id: Option<String>,
}

impl Jabatan {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.code("jenis_jabatan_id", "jenis_jabatan", &self.jenis_jabatan_id);
            c.optional_code("eselon_id", "eselon", self.eselon_id.as_deref());
            c.required("jabatan_nama", &self.jabatan_nama);
            c.required("unor_nama", &self.unor_nama);
            c.required("sk_nomor", &self.sk_nomor);
            c.date("tmt_jabatan", self.tmt_jabatan);
            c.date("sk_tanggal", self.sk_tanggal);
            c.optional_date("tmt_selesai", self.tmt_selesai);
            c.order("tmt_selesai", self.tmt_jabatan, self.tmt_selesai);
        });
    }
}

/// Pindah instansi, transfer between agencies (jenisRiwayat 18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PindahInstansi {
    pub instansi_lama_id: String,
    pub instansi_baru_id: String,
    pub unor_baru_nama: String,
    pub tmt_pindah: NaiveDate,
    pub sk_nomor: String,
    pub sk_tanggal: NaiveDate,
}

impl PindahInstansi {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.code("instansi_lama_id", "instansi", &self.instansi_lama_id);
            c.code("instansi_baru_id", "instansi", &self.instansi_baru_id);
            if self.instansi_lama_id == self.instansi_baru_id {
                c.rule(Code::PindahSameInstansi, "instansi_baru_id");
            }
            c.required("unor_baru_nama", &self.unor_baru_nama);
            c.date("tmt_pindah", self.tmt_pindah);
            c.required("sk_nomor", &self.sk_nomor);
            c.date("sk_tanggal", self.sk_tanggal);
        });
    }
}

/// CLTN, unpaid leave outside state duty (jenisRiwayat 19).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cltn {
    /// From `cltn.json`.
    pub jenis_cltn_id: String,
    pub sk_nomor: String,
    pub sk_tanggal: NaiveDate,
    pub tanggal_awal: NaiveDate,
    pub tanggal_akhir: NaiveDate,
    /// Return to active duty, when it has happened.
    pub tanggal_aktif: Option<NaiveDate>,
}

impl Cltn {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.code("jenis_cltn_id", "cltn", &self.jenis_cltn_id);
            c.required("sk_nomor", &self.sk_nomor);
            c.date("sk_tanggal", self.sk_tanggal);
            c.date("tanggal_awal", self.tanggal_awal);
            c.date("tanggal_akhir", self.tanggal_akhir);
            c.order("tanggal_akhir", self.tanggal_awal, Some(self.tanggal_akhir));
            c.optional_date("tanggal_aktif", self.tanggal_aktif);
            c.order("tanggal_aktif", self.tanggal_awal, self.tanggal_aktif);
        });
    }
}

/// Angka kredit, credit points of a functional position (jenisRiwayat 23).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AngkaKredit {
    pub nomor_sk: String,
    pub tanggal_sk: NaiveDate,
    pub periode_mulai: NaiveDate,
    pub periode_selesai: NaiveDate,
    pub kredit_utama: f64,
    pub kredit_penunjang: f64,
    pub kredit_total: f64,
}

impl AngkaKredit {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.required("nomor_sk", &self.nomor_sk);
            c.date("tanggal_sk", self.tanggal_sk);
            c.date("periode_mulai", self.periode_mulai);
            c.date("periode_selesai", self.periode_selesai);
            c.order("periode_selesai", self.periode_mulai, Some(self.periode_selesai));
            for (field, value) in [
                ("kredit_utama", self.kredit_utama),
                ("kredit_penunjang", self.kredit_penunjang),
                ("kredit_total", self.kredit_total),
            ] {
                if !value.is_finite() || !(0.0..=10_000.0).contains(&value) {
                    c.rule(Code::NumberOutOfRange, field);
                }
            }
            if (self.kredit_utama + self.kredit_penunjang - self.kredit_total).abs() > 0.005 {
                c.rule(Code::AngkaKreditTotalMismatch, "kredit_total");
            }
        });
    }
}

/// Organisasi, membership of an organisation (not numbered by SIASN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisasi {
    pub nama_organisasi: String,
    pub jabatan_organisasi: String,
    pub tanggal_mulai: NaiveDate,
    pub tanggal_selesai: Option<NaiveDate>,
}

impl Organisasi {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.required("nama_organisasi", &self.nama_organisasi);
            c.required("jabatan_organisasi", &self.jabatan_organisasi);
            c.date("tanggal_mulai", self.tanggal_mulai);
            c.optional_date("tanggal_selesai", self.tanggal_selesai);
            c.order("tanggal_selesai", self.tanggal_mulai, self.tanggal_selesai);
        });
    }
}
