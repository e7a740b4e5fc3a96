//! History records (riwayat): every PDM category of the official record, one struct per kind.
//!
//! The kinds and their rules as data (documents, who may propose, confirmation) live in [`crate::rules::kinds`];
//! the content rules of each struct live next to it ([`career`], [`learning`], [`family`], [`performance`]).

pub mod career;
pub mod family;
pub mod learning;
pub mod performance;
/// A valid example record of every kind, for tests only: not part of the product API (feature `samples`).
#[cfg(any(test, feature = "samples"))]
pub mod samples;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use career::{AngkaKredit, Cltn, CpnsPns, Golongan, Jabatan, Organisasi, PindahInstansi, Pmk};
pub use family::{Anak, OrangTua, ParentRole, Pasangan};
pub use learning::{Diklat, Kursus, Pendidikan};
pub use performance::{HukumanDisiplin, Penghargaan, Predikat, Rating, Skp, SkpLama};

use crate::rules::RuleContext;
use crate::Violation;

/// The kinds of history record (jenis riwayat). The order is the order of the PDM checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HistoryKind {
    CpnsPns,
    Golongan,
    Pmk,
    Pendidikan,
    Jabatan,
    Diklat,
    Kursus,
    OrangTua,
    Pasangan,
    Anak,
    Penghargaan,
    HukumanDisiplin,
    PindahInstansi,
    Cltn,
    AngkaKredit,
    Skp,
    SkpLama,
    Organisasi,
}

impl HistoryKind {
    pub const ALL: [HistoryKind; 18] = [
        HistoryKind::CpnsPns,
        HistoryKind::Golongan,
        HistoryKind::Pmk,
        HistoryKind::Pendidikan,
        HistoryKind::Jabatan,
        HistoryKind::Diklat,
        HistoryKind::Kursus,
        HistoryKind::OrangTua,
        HistoryKind::Pasangan,
        HistoryKind::Anak,
        HistoryKind::Penghargaan,
        HistoryKind::HukumanDisiplin,
        HistoryKind::PindahInstansi,
        HistoryKind::Cltn,
        HistoryKind::AngkaKredit,
        HistoryKind::Skp,
        HistoryKind::SkpLama,
        HistoryKind::Organisasi,
    ];

    /// SIASN `jenisRiwayat` id (`""` for organisasi, which SIASN does not number).
    pub fn jenis_riwayat_id(self) -> &'static str {
        self.rule().jenis_riwayat_id
    }

    pub fn as_str(self) -> &'static str {
        self.rule().name
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// This kind's rules as data.
    pub fn rule(self) -> &'static crate::rules::kinds::KindRule {
        crate::rules::kinds::kind_rule(self)
    }
}

/// The content of one history record, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HistoryData {
    CpnsPns(CpnsPns),
    Golongan(Golongan),
    Pmk(Pmk),
    Pendidikan(Pendidikan),
    Jabatan(Jabatan),
    Diklat(Diklat),
    Kursus(Kursus),
    OrangTua(OrangTua),
    Pasangan(Pasangan),
    Anak(Anak),
    Penghargaan(Penghargaan),
    HukumanDisiplin(HukumanDisiplin),
    PindahInstansi(PindahInstansi),
    Cltn(Cltn),
    AngkaKredit(AngkaKredit),
    Skp(Skp),
    SkpLama(SkpLama),
    Organisasi(Organisasi),
}

impl HistoryData {
    pub fn kind(&self) -> HistoryKind {
        match self {
            HistoryData::CpnsPns(_) => HistoryKind::CpnsPns,
            HistoryData::Golongan(_) => HistoryKind::Golongan,
            HistoryData::Pmk(_) => HistoryKind::Pmk,
            HistoryData::Pendidikan(_) => HistoryKind::Pendidikan,
            HistoryData::Jabatan(_) => HistoryKind::Jabatan,
            HistoryData::Diklat(_) => HistoryKind::Diklat,
            HistoryData::Kursus(_) => HistoryKind::Kursus,
            HistoryData::OrangTua(_) => HistoryKind::OrangTua,
            HistoryData::Pasangan(_) => HistoryKind::Pasangan,
            HistoryData::Anak(_) => HistoryKind::Anak,
            HistoryData::Penghargaan(_) => HistoryKind::Penghargaan,
            HistoryData::HukumanDisiplin(_) => HistoryKind::HukumanDisiplin,
            HistoryData::PindahInstansi(_) => HistoryKind::PindahInstansi,
            HistoryData::Cltn(_) => HistoryKind::Cltn,
            HistoryData::AngkaKredit(_) => HistoryKind::AngkaKredit,
            HistoryData::Skp(_) => HistoryKind::Skp,
            HistoryData::SkpLama(_) => HistoryKind::SkpLama,
            HistoryData::Organisasi(_) => HistoryKind::Organisasi,
        }
    }

    /// The date that orders records of one kind, newest first in lists.
    pub fn sort_date(&self) -> NaiveDate {
        let year_end = |y: i32| NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MIN);
        match self {
            HistoryData::CpnsPns(r) => r.tmt_cpns,
            HistoryData::Golongan(r) => r.tmt_golongan,
            HistoryData::Pmk(r) => r.tanggal_awal,
            HistoryData::Pendidikan(r) => year_end(r.tahun_lulus),
            HistoryData::Jabatan(r) => r.tmt_jabatan,
            HistoryData::Diklat(r) => r.tanggal_mulai,
            HistoryData::Kursus(r) => r.tanggal_mulai,
            HistoryData::OrangTua(r) => r.tanggal_lahir,
            HistoryData::Pasangan(r) => r.tanggal_menikah,
            HistoryData::Anak(r) => r.tanggal_lahir,
            HistoryData::Penghargaan(r) => r.sk_tanggal,
            HistoryData::HukumanDisiplin(r) => r.tanggal_mulai,
            HistoryData::PindahInstansi(r) => r.tmt_pindah,
            HistoryData::Cltn(r) => r.tanggal_awal,
            HistoryData::AngkaKredit(r) => r.tanggal_sk,
            HistoryData::Skp(r) => year_end(r.tahun),
            HistoryData::SkpLama(r) => year_end(r.tahun),
            HistoryData::Organisasi(r) => r.tanggal_mulai,
        }
    }

    /// A one-line summary for lists, receipts and notifications (Indonesian vocabulary, as on the documents).
    pub fn title(&self) -> String {
        match self {
            HistoryData::CpnsPns(r) => format!("CPNS {}", r.tmt_cpns),
            HistoryData::Golongan(r) => format!("Golongan {}", r.golongan_id),
            HistoryData::Pmk(r) => format!("PMK {} th {} bl", r.mk_tahun, r.mk_bulan),
            HistoryData::Pendidikan(r) => r.pendidikan_nama.clone(),
            HistoryData::Jabatan(r) => r.jabatan_nama.clone(),
            HistoryData::Diklat(r) => r.nama_diklat.clone(),
            HistoryData::Kursus(r) => r.nama_kursus.clone(),
            HistoryData::OrangTua(r) => r.nama.clone(),
            HistoryData::Pasangan(r) => r.nama.clone(),
            HistoryData::Anak(r) => r.nama.clone(),
            HistoryData::Penghargaan(r) => format!("Penghargaan {} ({})", r.penghargaan_id, r.tahun),
            HistoryData::HukumanDisiplin(r) => format!("Hukuman disiplin {}", r.sk_nomor),
            HistoryData::PindahInstansi(r) => format!("Pindah instansi {}", r.tmt_pindah),
            HistoryData::Cltn(r) => format!("CLTN {}", r.tanggal_awal),
            HistoryData::AngkaKredit(r) => format!("PAK {}", r.nomor_sk),
            HistoryData::Skp(r) => format!("SKP {}", r.tahun),
            HistoryData::SkpLama(r) => format!("SKP {}", r.tahun),
            HistoryData::Organisasi(r) => r.nama_organisasi.clone(),
        }
    }

    /// Check the content rules of this record alone (codes, required fields, date ranges and order).
    pub fn validate(&self, ctx: &RuleContext) -> Vec<Violation> {
        let mut v = Vec::new();
        match self {
            HistoryData::CpnsPns(r) => r.check(ctx, &mut v),
            HistoryData::Golongan(r) => r.check(ctx, &mut v),
            HistoryData::Pmk(r) => r.check(ctx, &mut v),
            HistoryData::Pendidikan(r) => r.check(ctx, &mut v),
            HistoryData::Jabatan(r) => r.check(ctx, &mut v),
            HistoryData::Diklat(r) => r.check(ctx, &mut v),
            HistoryData::Kursus(r) => r.check(ctx, &mut v),
            HistoryData::OrangTua(r) => r.check(ctx, &mut v),
            HistoryData::Pasangan(r) => r.check(ctx, &mut v),
            HistoryData::Anak(r) => r.check(ctx, &mut v),
            HistoryData::Penghargaan(r) => r.check(ctx, &mut v),
            HistoryData::HukumanDisiplin(r) => r.check(ctx, &mut v),
            HistoryData::PindahInstansi(r) => r.check(ctx, &mut v),
            HistoryData::Cltn(r) => r.check(ctx, &mut v),
            HistoryData::AngkaKredit(r) => r.check(ctx, &mut v),
            HistoryData::Skp(r) => r.check(ctx, &mut v),
            HistoryData::SkpLama(r) => r.check(ctx, &mut v),
            HistoryData::Organisasi(r) => r.check(ctx, &mut v),
        }
        v
    }
}

/// One history record of the official record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryRecord {
    pub id: String,
    pub data: HistoryData,
    /// The proposal that last changed this record, so a device knows when its overlay is applied.
    pub last_usulan_id: Option<String>,
    /// SIASN's id of this riwayat (its `id`; `orang.id` for a family member); `None` for a record not (yet)
    /// in SIASN.
    #[serde(default)]
    pub siasn_id: Option<String>,
}
