//! The official record of one ASN: data utama (profile) with its owner and verified fields.
//!
//! History records (riwayat) live in [`crate::history`] and are re-exported here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::history::HistoryKind;
pub use crate::rules::{is_golongan_id, EARLIEST_DATE};
use crate::Code;
use crate::{Nip, Violation};

/// Data utama: the profile of one ASN.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    pub nip: Nip,
    pub nama: String,
    pub gelar_depan: Option<String>,
    pub gelar_belakang: Option<String>,
    pub tempat_lahir: String,
    pub tanggal_lahir: NaiveDate,
    /// `M` or `F`.
    pub jenis_kelamin: String,
    pub instansi_id: String,
    pub instansi_nama: String,
    pub unor_nama: String,
    /// Current golongan id (11 = I/a .. 45 = IV/e), derived from the newest golongan record.
    pub golongan_id: Option<String>,
    /// Current position name, derived from the newest jabatan record.
    pub jabatan_nama: Option<String>,
    /// Owner fields: changed by the ASN without verification.
    pub owner: OwnerFields,
    /// Verified fields of data utama: changed through a reviewed proposal. Boxed to keep sync changes small.
    #[serde(default)]
    pub verified: Box<VerifiedFields>,
    /// Categories the ASN confirmed as correct ("data sudah sesuai"); family categories need it.
    #[serde(default)]
    pub confirmed_kinds: Vec<HistoryKind>,
    /// The proposal that last changed this profile, so a device knows when its overlay is applied.
    pub last_usulan_id: Option<String>,
    /// SIASN's PNS id (32 uppercase hex, `data-utama.id`); `None` for a person not (yet) known to SIASN.
    /// See [`crate::siasn`] for every SIASN id the model carries.
    #[serde(default)]
    pub siasn_pns_id: Option<String>,
    /// SIASN's id of the unit (`data-utama.unorId`) named by `unor_nama`.
    #[serde(default)]
    pub unor_id: Option<String>,
}

impl Profile {
    /// The name with academic titles, as printed on official documents.
    pub fn full_name(&self) -> String {
        let mut s = String::new();
        if let Some(d) = self.gelar_depan.as_deref().filter(|d| !d.is_empty()) {
            s.push_str(d);
            s.push(' ');
        }
        s.push_str(&self.nama);
        if let Some(b) = self.gelar_belakang.as_deref().filter(|b| !b.is_empty()) {
            s.push_str(", ");
            s.push_str(b);
        }
        s
    }
}

/// Owner fields of the profile that need no verification. In a proposal, `None` means "unchanged".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnerFields {
    pub alamat: Option<String>,
    pub no_hp: Option<String>,
    pub email: Option<String>,
    /// Tax number (NPWP): 15 digits, or the 16-digit NIK form used since 2024.
    #[serde(default)]
    pub npwp: Option<String>,
    /// BPJS Kesehatan card number: 13 digits.
    #[serde(default)]
    pub bpjs: Option<String>,
}

impl OwnerFields {
    pub fn is_empty(&self) -> bool {
        self.alamat.is_none()
            && self.no_hp.is_none()
            && self.email.is_none()
            && self.npwp.is_none()
            && self.bpjs.is_none()
    }

    /// Overwrite the fields set in `change`, keep the others.
    pub fn merged_with(&self, change: &OwnerFields) -> OwnerFields {
        OwnerFields {
            alamat: change.alamat.clone().or_else(|| self.alamat.clone()),
            no_hp: change.no_hp.clone().or_else(|| self.no_hp.clone()),
            email: change.email.clone().or_else(|| self.email.clone()),
            npwp: change.npwp.clone().or_else(|| self.npwp.clone()),
            bpjs: change.bpjs.clone().or_else(|| self.bpjs.clone()),
        }
    }

    pub fn validate(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        if self.is_empty() {
            out.push(Code::OwnerEmpty.violation("owner"));
        }
        if let Some(a) = &self.alamat {
            if a.trim().len() < 5 || a.len() > 500 {
                out.push(Code::OwnerAlamatLength.violation("owner.alamat"));
            } else if crate::rules::has_control_chars(a, true) {
                out.push(Code::FieldControlChars.violation("owner.alamat"));
            }
        }
        if let Some(p) = &self.no_hp {
            let digits = p.strip_prefix('+').unwrap_or(p);
            if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                out.push(Code::OwnerNoHpFormat.violation("owner.no_hp"));
            }
        }
        if let Some(e) = &self.email {
            let ok = e.len() <= 254
                && e.split_once('@')
                    .is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
                && !e.contains(|c: char| c.is_whitespace() || c.is_control());
            if !ok {
                out.push(Code::OwnerEmailFormat.violation("owner.email"));
            }
        }
        let digits = |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if self.npwp.as_deref().is_some_and(|n| !digits(n, &[15, 16])) {
            out.push(Code::OwnerNpwpFormat.violation("owner.npwp"));
        }
        if self.bpjs.as_deref().is_some_and(|n| !digits(n, &[13])) {
            out.push(Code::OwnerBpjsFormat.violation("owner.bpjs"));
        }
        out
    }
}

/// Fields of data utama that change only through a reviewed proposal. In a proposal, `None` means "unchanged".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifiedFields {
    pub nik: Option<String>,
    /// From `agama.json`.
    pub agama_id: Option<String>,
    /// From `kawin.json`.
    pub status_kawin_id: Option<String>,
    pub tempat_lahir: Option<String>,
    pub gelar_depan: Option<String>,
    pub gelar_belakang: Option<String>,
}

/// The verified fields that hold a catalog code, each with its catalog (checked here; the UI names the values).
pub const VERIFIED_CODE_FIELDS: [(&str, &str); 2] = [("agama_id", "agama"), ("status_kawin_id", "kawin")];

impl VerifiedFields {
    /// The value of the coded field `name` of [`VERIFIED_CODE_FIELDS`].
    fn code_field(&self, name: &str) -> &Option<String> {
        match name {
            "agama_id" => &self.agama_id,
            "status_kawin_id" => &self.status_kawin_id,
            _ => &None,
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == VerifiedFields::default()
    }

    /// Overwrite the fields set in `change`, keep the others.
    pub fn merged_with(&self, change: &VerifiedFields) -> VerifiedFields {
        let pick = |c: &Option<String>, s: &Option<String>| c.clone().or_else(|| s.clone());
        VerifiedFields {
            nik: pick(&change.nik, &self.nik),
            agama_id: pick(&change.agama_id, &self.agama_id),
            status_kawin_id: pick(&change.status_kawin_id, &self.status_kawin_id),
            tempat_lahir: pick(&change.tempat_lahir, &self.tempat_lahir),
            gelar_depan: pick(&change.gelar_depan, &self.gelar_depan),
            gelar_belakang: pick(&change.gelar_belakang, &self.gelar_belakang),
        }
    }

    pub fn validate(&self, ctx: &crate::rules::RuleContext) -> Vec<Violation> {
        let mut out = Vec::new();
        if self.is_empty() {
            out.push(Code::VerifiedEmpty.violation("verified"));
        }
        if let Some(nik) = &self.nik {
            let owner = ctx.owner.and_then(|n| n.birth_date().map(|b| (b, n.gender())));
            out.extend(crate::rules::nik::check_nik(nik, owner));
        }
        for (name, catalog) in VERIFIED_CODE_FIELDS {
            let field = &format!("verified.{name}");
            let id = self.code_field(name);
            if id.as_deref().is_some_and(|id| !ctx.codes.knows(catalog, id)) {
                out.push(Code::CodeUnknown.violation(field));
            }
        }
        for (field, value) in [
            ("verified.tempat_lahir", &self.tempat_lahir),
            ("verified.gelar_depan", &self.gelar_depan),
            ("verified.gelar_belakang", &self.gelar_belakang),
        ] {
            if value.as_deref().is_some_and(|v| v.len() > crate::rules::MAX_TEXT_LEN) {
                out.push(Code::FieldTooLong.violation(field));
            } else if value.as_deref().is_some_and(|v| crate::rules::has_control_chars(v, false)) {
                out.push(Code::FieldControlChars.violation(field));
            }
        }
        if self.tempat_lahir.as_deref().is_some_and(|t| t.trim().is_empty()) {
            out.push(Code::FieldRequired.violation("verified.tempat_lahir"));
        }
        out
    }
}

/// Code lists a validator checks against. A device validates with the catalogs it has synced.
pub trait CodeBook {
    /// Whether `id` is a known code of `catalog`. A catalog the book does not hold accepts every code.
    fn knows(&self, catalog: &str, id: &str) -> bool;
}

/// A code book that accepts every code (for a device that has not synced its catalogs yet).
pub struct AnyCode;

impl CodeBook for AnyCode {
    fn knows(&self, _catalog: &str, _id: &str) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_coded_verified_field_is_a_field() {
        let all =
            VerifiedFields { agama_id: Some("1".into()), status_kawin_id: Some("2".into()), ..Default::default() };
        let json = serde_json::to_value(&all).unwrap();
        for (name, _) in VERIFIED_CODE_FIELDS {
            assert!(all.code_field(name).is_some(), "{name}");
            assert_eq!(json[name].as_str(), all.code_field(name).as_deref(), "{name}");
        }
    }

    #[test]
    fn owner_fields_rules() {
        let ok = OwnerFields {
            alamat: Some("Jl. Merdeka No. 1, Jakarta".into()),
            no_hp: Some("+6281234567890".into()),
            email: Some("a@b.go.id".into()),
            npwp: Some("123456789012345".into()),
            bpjs: Some("0001234567890".into()),
        };
        assert!(ok.validate().is_empty());
        let bad = OwnerFields {
            alamat: None,
            no_hp: Some("12ab".into()),
            email: Some("not-an-email".into()),
            npwp: Some("12".into()),
            bpjs: Some("x".into()),
        };
        let codes: Vec<String> = bad.validate().into_iter().map(|v| v.code).collect();
        assert_eq!(codes, ["owner.no_hp_format", "owner.email_format", "owner.npwp_format", "owner.bpjs_format"]);
        assert_eq!(OwnerFields::default().validate()[0].code, "owner.empty");
    }

    #[test]
    fn verified_fields_rules() {
        let nip = Nip::parse("198503102010011002").expect("nip");
        let ctx = crate::rules::RuleContext::new(&AnyCode, NaiveDate::from_ymd_opt(2026, 11, 28).expect("date"))
            .for_owner(&nip);
        let ok = VerifiedFields { nik: Some("3273011003850001".into()), ..Default::default() };
        assert!(ok.validate(&ctx).is_empty());
        let bad = VerifiedFields { nik: Some("3273015003850001".into()), ..Default::default() };
        let codes: Vec<String> = bad.validate(&ctx).into_iter().map(|v| v.code).collect();
        assert_eq!(codes, ["nik.gender_mismatch"]);
        assert_eq!(VerifiedFields::default().validate(&ctx)[0].code, "verified.empty");
    }

    #[test]
    fn golongan_ids() {
        for ok in ["11", "14", "21", "34", "41", "45"] {
            assert!(is_golongan_id(ok), "{ok}");
        }
        for bad in ["10", "15", "25", "46", "x", "011", ""] {
            assert!(!is_golongan_id(bad), "{bad}");
        }
    }
}
