//! The official record of one ASN: data utama (profile) and history records (riwayat).
//!
//! In this foundation the history kinds are golongan, jabatan and pendidikan; the others follow.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::{Nip, Violation};

/// Earliest date accepted anywhere in a record (the Republic's first civil service).
pub const EARLIEST_DATE: (i32, u32, u32) = (1945, 8, 17);

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
    /// The proposal that last changed this profile, so a device knows when its overlay is applied.
    pub last_usulan_id: Option<String>,
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
}

impl OwnerFields {
    pub fn is_empty(&self) -> bool {
        self.alamat.is_none() && self.no_hp.is_none() && self.email.is_none()
    }

    /// Overwrite the fields set in `change`, keep the others.
    pub fn merged_with(&self, change: &OwnerFields) -> OwnerFields {
        OwnerFields {
            alamat: change.alamat.clone().or_else(|| self.alamat.clone()),
            no_hp: change.no_hp.clone().or_else(|| self.no_hp.clone()),
            email: change.email.clone().or_else(|| self.email.clone()),
        }
    }

    pub fn validate(&self) -> Vec<Violation> {
        let mut out = Vec::new();
        if self.is_empty() {
            out.push(Violation::new("owner.empty", "owner", "Tidak ada data yang diubah.", "Nothing to change."));
        }
        if let Some(a) = &self.alamat {
            if a.trim().len() < 5 || a.len() > 500 {
                out.push(Violation::new(
                    "owner.alamat_length",
                    "owner.alamat",
                    "Alamat harus 5 sampai 500 karakter.",
                    "The address must be 5 to 500 characters.",
                ));
            }
        }
        if let Some(p) = &self.no_hp {
            let digits = p.strip_prefix('+').unwrap_or(p);
            if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
                out.push(Violation::new(
                    "owner.no_hp_format",
                    "owner.no_hp",
                    "Nomor HP harus 8 sampai 15 angka.",
                    "The phone number must be 8 to 15 digits.",
                ));
            }
        }
        if let Some(e) = &self.email {
            let ok = e.len() <= 254
                && e.split_once('@')
                    .is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
                && !e.contains(char::is_whitespace);
            if !ok {
                out.push(Violation::new(
                    "owner.email_format",
                    "owner.email",
                    "Alamat e-mail tidak valid.",
                    "The e-mail address is not valid.",
                ));
            }
        }
        out
    }
}

/// The kinds of history record (jenis riwayat), with their SIASN jenisRiwayat ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HistoryKind {
    Golongan,
    Jabatan,
    Pendidikan,
}

impl HistoryKind {
    pub const ALL: [HistoryKind; 3] = [HistoryKind::Golongan, HistoryKind::Jabatan, HistoryKind::Pendidikan];

    /// SIASN `jenisRiwayat` id.
    pub fn jenis_riwayat_id(self) -> &'static str {
        match self {
            HistoryKind::Golongan => "5",
            HistoryKind::Pendidikan => "7",
            HistoryKind::Jabatan => "8",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Golongan => "golongan",
            HistoryKind::Jabatan => "jabatan",
            HistoryKind::Pendidikan => "pendidikan",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The content of one history record, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HistoryData {
    Golongan {
        /// 11 (I/a) .. 45 (IV/e), from `golonganPns.json`.
        golongan_id: String,
        tmt_golongan: NaiveDate,
        sk_nomor: String,
        sk_tanggal: NaiveDate,
    },
    Jabatan {
        /// From `jenisJabatan.json` (1 struktural, 2 fungsional tertentu, 4 pelaksana).
        jenis_jabatan_id: String,
        jabatan_nama: String,
        unor_nama: String,
        eselon_id: Option<String>,
        tmt_jabatan: NaiveDate,
        /// End of the assignment, if it has ended.
        tmt_selesai: Option<NaiveDate>,
        sk_nomor: String,
        sk_tanggal: NaiveDate,
    },
    Pendidikan {
        /// From `pendidikan.json.gz` levels (tkPendidikanId).
        tingkat_pendidikan_id: String,
        pendidikan_nama: String,
        nama_sekolah: String,
        tahun_lulus: i32,
        nomor_ijazah: String,
    },
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

impl HistoryData {
    pub fn kind(&self) -> HistoryKind {
        match self {
            HistoryData::Golongan { .. } => HistoryKind::Golongan,
            HistoryData::Jabatan { .. } => HistoryKind::Jabatan,
            HistoryData::Pendidikan { .. } => HistoryKind::Pendidikan,
        }
    }

    /// The date that orders records of one kind, newest first in lists.
    pub fn sort_date(&self) -> NaiveDate {
        match self {
            HistoryData::Golongan { tmt_golongan, .. } => *tmt_golongan,
            HistoryData::Jabatan { tmt_jabatan, .. } => *tmt_jabatan,
            HistoryData::Pendidikan { tahun_lulus, .. } => {
                NaiveDate::from_ymd_opt(*tahun_lulus, 12, 31).unwrap_or(NaiveDate::MIN)
            }
        }
    }

    /// Check every rule of this record; `today` bounds dates from above.
    pub fn validate(&self, codes: &dyn CodeBook, today: NaiveDate) -> Vec<Violation> {
        let mut v = Vec::new();
        match self {
            HistoryData::Golongan { golongan_id, tmt_golongan, sk_nomor, sk_tanggal } => {
                if !is_golongan_id(golongan_id) || !codes.knows("golongan", golongan_id) {
                    v.push(Violation::new(
                        "code.unknown",
                        "record.golongan_id",
                        "Kode golongan tidak dikenal.",
                        "Unknown golongan code.",
                    ));
                }
                check_date(&mut v, "record.tmt_golongan", *tmt_golongan, today);
                check_date(&mut v, "record.sk_tanggal", *sk_tanggal, today);
                check_required(&mut v, "record.sk_nomor", sk_nomor);
            }
            HistoryData::Jabatan {
                jenis_jabatan_id,
                jabatan_nama,
                unor_nama,
                eselon_id,
                tmt_jabatan,
                tmt_selesai,
                sk_nomor,
                sk_tanggal,
            } => {
                if !codes.knows("jenis_jabatan", jenis_jabatan_id) {
                    v.push(Violation::new(
                        "code.unknown",
                        "record.jenis_jabatan_id",
                        "Kode jenis jabatan tidak dikenal.",
                        "Unknown position type code.",
                    ));
                }
                if let Some(e) = eselon_id {
                    if !codes.knows("eselon", e) {
                        v.push(Violation::new(
                            "code.unknown",
                            "record.eselon_id",
                            "Kode eselon tidak dikenal.",
                            "Unknown echelon code.",
                        ));
                    }
                }
                check_required(&mut v, "record.jabatan_nama", jabatan_nama);
                check_required(&mut v, "record.unor_nama", unor_nama);
                check_required(&mut v, "record.sk_nomor", sk_nomor);
                check_date(&mut v, "record.tmt_jabatan", *tmt_jabatan, today);
                check_date(&mut v, "record.sk_tanggal", *sk_tanggal, today);
                if let Some(end) = tmt_selesai {
                    check_date(&mut v, "record.tmt_selesai", *end, today);
                    if end < tmt_jabatan {
                        v.push(Violation::new(
                            "date.end_before_start",
                            "record.tmt_selesai",
                            "Tanggal selesai tidak boleh sebelum TMT jabatan.",
                            "The end date must not precede the start (TMT) date.",
                        ));
                    }
                }
            }
            HistoryData::Pendidikan {
                tingkat_pendidikan_id,
                pendidikan_nama,
                nama_sekolah,
                tahun_lulus,
                nomor_ijazah,
            } => {
                if !codes.knows("tingkat_pendidikan", tingkat_pendidikan_id) {
                    v.push(Violation::new(
                        "code.unknown",
                        "record.tingkat_pendidikan_id",
                        "Kode tingkat pendidikan tidak dikenal.",
                        "Unknown education level code.",
                    ));
                }
                check_required(&mut v, "record.pendidikan_nama", pendidikan_nama);
                check_required(&mut v, "record.nama_sekolah", nama_sekolah);
                check_required(&mut v, "record.nomor_ijazah", nomor_ijazah);
                if *tahun_lulus < EARLIEST_DATE.0 || *tahun_lulus > today.year() {
                    v.push(Violation::new(
                        "date.out_of_range",
                        "record.tahun_lulus",
                        "Tahun lulus di luar rentang yang wajar.",
                        "The graduation year is out of range.",
                    ));
                }
            }
        }
        v
    }
}

/// Golongan ids are group × 10 + letter: I/a..I/d = 11..14, II/a..II/d = 21..24, III/a..III/d = 31..34,
/// IV/a..IV/e = 41..45.
pub fn is_golongan_id(id: &str) -> bool {
    matches!(id.parse::<u8>(), Ok(11..=14 | 21..=24 | 31..=34 | 41..=45)) && id.len() == 2
}

fn check_required(v: &mut Vec<Violation>, field: &str, value: &str) {
    if value.trim().is_empty() {
        v.push(Violation::new("field.required", field, "Wajib diisi.", "This field is required."));
    } else if value.len() > 300 {
        v.push(Violation::new(
            "field.too_long",
            field,
            "Terlalu panjang (maksimal 300 karakter).",
            "Too long (300 characters at most).",
        ));
    }
}

fn check_date(v: &mut Vec<Violation>, field: &str, date: NaiveDate, today: NaiveDate) {
    let earliest = NaiveDate::from_ymd_opt(EARLIEST_DATE.0, EARLIEST_DATE.1, EARLIEST_DATE.2).unwrap_or(NaiveDate::MIN);
    if date < earliest || date > today + chrono::Days::new(366) {
        v.push(Violation::new(
            "date.out_of_range",
            field,
            "Tanggal di luar rentang yang wajar.",
            "The date is out of range.",
        ));
    }
}

/// One history record of the official record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryRecord {
    pub id: String,
    pub data: HistoryData,
    /// The proposal that last changed this record, so a device knows when its overlay is applied.
    pub last_usulan_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn jabatan(start: NaiveDate, end: Option<NaiveDate>) -> HistoryData {
        HistoryData::Jabatan {
            jenis_jabatan_id: "4".into(),
            jabatan_nama: "Analis Kepegawaian".into(),
            unor_nama: "Bagian Umum".into(),
            eselon_id: None,
            tmt_jabatan: start,
            tmt_selesai: end,
            sk_nomor: "800/1/2020".into(),
            sk_tanggal: start,
        }
    }

    #[test]
    fn rules_table() {
        let today = d(2026, 11, 28);
        let cases: Vec<(HistoryData, Vec<&str>)> = vec![
            (jabatan(d(2020, 1, 1), None), vec![]),
            (jabatan(d(2020, 1, 1), Some(d(2021, 1, 1))), vec![]),
            (jabatan(d(2020, 1, 1), Some(d(2019, 1, 1))), vec!["date.end_before_start"]),
            (jabatan(d(1900, 1, 1), None), vec!["date.out_of_range", "date.out_of_range"]),
            (
                HistoryData::Golongan {
                    golongan_id: "35".into(),
                    tmt_golongan: d(2020, 4, 1),
                    sk_nomor: "".into(),
                    sk_tanggal: d(2020, 3, 1),
                },
                vec!["code.unknown", "field.required"],
            ),
            (
                HistoryData::Golongan {
                    golongan_id: "32".into(),
                    tmt_golongan: d(2020, 4, 1),
                    sk_nomor: "KP-1".into(),
                    sk_tanggal: d(2020, 3, 1),
                },
                vec![],
            ),
            (
                HistoryData::Pendidikan {
                    tingkat_pendidikan_id: "40".into(),
                    pendidikan_nama: "S-1 Hukum".into(),
                    nama_sekolah: "Universitas Indonesia".into(),
                    tahun_lulus: 2030,
                    nomor_ijazah: "UI-1".into(),
                },
                vec!["date.out_of_range"],
            ),
        ];
        for (data, expected) in cases {
            let codes: Vec<String> = data.validate(&AnyCode, today).into_iter().map(|v| v.code).collect();
            assert_eq!(codes, expected, "case {data:?}");
        }
    }

    #[test]
    fn owner_fields_rules() {
        let ok = OwnerFields {
            alamat: Some("Jl. Merdeka No. 1, Jakarta".into()),
            no_hp: Some("+6281234567890".into()),
            email: Some("a@b.go.id".into()),
        };
        assert!(ok.validate().is_empty());
        let bad = OwnerFields { alamat: None, no_hp: Some("12ab".into()), email: Some("not-an-email".into()) };
        let codes: Vec<String> = bad.validate().into_iter().map(|v| v.code).collect();
        assert_eq!(codes, ["owner.no_hp_format", "owner.email_format"]);
        assert_eq!(OwnerFields::default().validate()[0].code, "owner.empty");
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
