//! Performance and conduct records: SKP (2022+ and the older numeric form), penghargaan, hukuman disiplin.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::rules::{check_with, skp, RuleContext};
use crate::Code;
use crate::Violation;

/// A rating against expectation (`perilakuDanKinerja.json`: 1 above, 2 meets, 3 below).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Rating {
    Above,
    Meets,
    Below,
}

/// The SKP predikat (`kuadranNilai.json`: 1 Sangat Baik .. 5 Sangat Kurang).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Predikat {
    SangatBaik,
    Baik,
    ButuhPerbaikan,
    Kurang,
    SangatKurang,
}

/// SKP in the 2022+ form (PermenPANRB 6/2022, jenisRiwayat 25).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skp {
    pub tahun: i32,
    pub hasil_kerja: Rating,
    pub perilaku_kerja: Rating,
    /// Must equal the matrix's predikat for the two ratings ([`skp::predikat`]).
    pub predikat: Predikat,
    pub penilai_nip: String,
    pub penilai_nama: String,
    pub penilai_jabatan: String,
    pub penilai_unor: String,
}

impl Skp {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.year("tahun", self.tahun);
            if self.tahun < skp::FIRST_YEAR_2022_FORM {
                c.rule(Code::SkpOldFormYear, "tahun");
            }
            if skp::predikat(self.hasil_kerja, self.perilaku_kerja) != self.predikat {
                c.rule(Code::SkpPredikatMismatch, "predikat");
            }
            if crate::Nip::parse(&self.penilai_nip).is_err() {
                c.rule(Code::NipInvalid, "penilai_nip");
            }
            c.required("penilai_nama", &self.penilai_nama);
            c.required("penilai_jabatan", &self.penilai_jabatan);
            c.required("penilai_unor", &self.penilai_unor);
        });
    }
}

/// SKP in the older numeric form (PP 46/2011); read-only for the ASN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkpLama {
    pub tahun: i32,
    pub nilai_skp: f64,
    pub nilai_perilaku: f64,
    pub nilai_prestasi: f64,
    pub penilai_nama: String,
}

impl SkpLama {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.year("tahun", self.tahun);
            for (field, value) in [
                ("nilai_skp", self.nilai_skp),
                ("nilai_perilaku", self.nilai_perilaku),
                ("nilai_prestasi", self.nilai_prestasi),
            ] {
                if !value.is_finite() || !(0.0..=100.0).contains(&value) {
                    c.rule(Code::NumberOutOfRange, field);
                }
            }
            c.required("penilai_nama", &self.penilai_nama);
        });
    }
}

/// Penghargaan, an award (jenisRiwayat 14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Penghargaan {
    /// From `penghargaan.json`.
    pub penghargaan_id: String,
    pub tahun: i32,
    pub sk_nomor: String,
    pub sk_tanggal: NaiveDate,
}

impl Penghargaan {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.code("penghargaan_id", "penghargaan", &self.penghargaan_id);
            c.year("tahun", self.tahun);
            c.required("sk_nomor", &self.sk_nomor);
            c.date("sk_tanggal", self.sk_tanggal);
        });
    }
}

/// Hukuman disiplin, a disciplinary penalty (jenisRiwayat 16); read-only for the ASN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HukumanDisiplin {
    /// From `jenisHukuman.json`.
    pub jenis_hukuman_id: String,
    pub sk_nomor: String,
    pub sk_tanggal: NaiveDate,
    pub tanggal_mulai: NaiveDate,
    pub tanggal_akhir: Option<NaiveDate>,
    /// From `alasanHukumanDisiplin.json`.
    pub alasan_id: Option<String>,
}

impl HukumanDisiplin {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            c.code("jenis_hukuman_id", "jenis_hukuman", &self.jenis_hukuman_id);
            c.required("sk_nomor", &self.sk_nomor);
            c.date("sk_tanggal", self.sk_tanggal);
            c.date("tanggal_mulai", self.tanggal_mulai);
            c.optional_date("tanggal_akhir", self.tanggal_akhir);
            c.order("tanggal_akhir", self.tanggal_mulai, self.tanggal_akhir);
            c.optional_code("alasan_id", "alasan_hukdis", self.alasan_id.as_deref());
        });
    }
}
