//! Family records: orang tua, suami/istri, anak. They turn complete only after the ASN confirms them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::rules::{check_with, Checker, RuleContext};
use crate::Code;
use crate::Violation;

/// Which parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ParentRole {
    Ayah,
    Ibu,
}

/// Orang tua, a parent of the ASN (jenisRiwayat 10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrangTua {
    pub hubungan: ParentRole,
    pub nama: String,
    pub tempat_lahir: String,
    pub tanggal_lahir: NaiveDate,
    pub hidup: bool,
}

impl OrangTua {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            person(c, &self.nama, &self.tempat_lahir, self.tanggal_lahir);
            if ctx.owner_birth_date().is_some_and(|own| self.tanggal_lahir >= own) {
                c.rule(Code::FamilyParentAfterChild, "tanggal_lahir");
            }
        });
    }
}

/// Suami/istri, the ASN's spouse (jenisRiwayat 11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pasangan {
    pub nama: String,
    pub tempat_lahir: String,
    pub tanggal_lahir: NaiveDate,
    /// `M` or `F`.
    pub jenis_kelamin: String,
    /// From `kawin.json` (1 Menikah, 2 Cerai, 3 Janda/Duda).
    pub status_kawin_id: String,
    pub tanggal_menikah: NaiveDate,
    pub akta_menikah: String,
    pub tanggal_cerai: Option<NaiveDate>,
    pub akta_cerai: Option<String>,
    pub hidup: bool,
}

impl Pasangan {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            person(c, &self.nama, &self.tempat_lahir, self.tanggal_lahir);
            gender(c, &self.jenis_kelamin);
            c.code("status_kawin_id", "kawin", &self.status_kawin_id);
            c.past_date("tanggal_menikah", self.tanggal_menikah);
            c.order("tanggal_menikah", self.tanggal_lahir, Some(self.tanggal_menikah));
            c.required("akta_menikah", &self.akta_menikah);
            c.optional_date("tanggal_cerai", self.tanggal_cerai);
            c.order("tanggal_cerai", self.tanggal_menikah, self.tanggal_cerai);
            c.optional("akta_cerai", self.akta_cerai.as_deref());
            if self.status_kawin_id == "2" && self.tanggal_cerai.is_none() {
                c.rule(Code::FieldRequired, "tanggal_cerai");
            }
        });
    }
}

/// Anak, a child of the ASN (jenisRiwayat 12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Anak {
    pub nama: String,
    pub tempat_lahir: String,
    pub tanggal_lahir: NaiveDate,
    /// `M` or `F`.
    pub jenis_kelamin: String,
    pub nomor_akta_kelahiran: String,
    /// `kandung` (biological), `tiri` (step) or `angkat` (adopted).
    pub status_anak: String,
    pub hidup: bool,
}

impl Anak {
    pub(crate) fn check(&self, ctx: &RuleContext, v: &mut Vec<Violation>) {
        check_with(ctx, v, |c| {
            person(c, &self.nama, &self.tempat_lahir, self.tanggal_lahir);
            gender(c, &self.jenis_kelamin);
            c.required("nomor_akta_kelahiran", &self.nomor_akta_kelahiran);
            if !["kandung", "tiri", "angkat"].contains(&self.status_anak.as_str()) {
                c.rule(Code::CodeUnknown, "status_anak");
            }
            // A biological child is not born before the parent (the ASN).
            if self.status_anak == "kandung" && ctx.owner_birth_date().is_some_and(|own| self.tanggal_lahir <= own) {
                c.rule(Code::FamilyChildBeforeParent, "tanggal_lahir");
            }
        });
    }
}

fn person(c: &mut Checker, nama: &str, tempat_lahir: &str, tanggal_lahir: NaiveDate) {
    c.required("nama", nama);
    c.required("tempat_lahir", tempat_lahir);
    c.past_date("tanggal_lahir", tanggal_lahir);
}

fn gender(c: &mut Checker, g: &str) {
    if g != "M" && g != "F" {
        c.rule(Code::CodeUnknown, "jenis_kelamin");
    }
}
