//! NIP: the 18-digit civil-servant number (since 2007).
//!
//! Layout: birth date `YYYYMMDD` + TMT CPNS `YYYYMM` + gender digit (1 male, 2 female) + 3-digit sequence.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Code;
use crate::Violation;

/// Minimum age at TMT CPNS accepted as plausible.
pub const MIN_AGE_AT_TMT_CPNS: i32 = 18;

/// A validated NIP. Serialises as its 18-digit string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "199001012015031001"))]
pub struct Nip(String);

/// Gender encoded in the NIP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NipGender {
    Male,
    Female,
}

impl Nip {
    /// Parse and validate a NIP, reporting the first violated rule.
    pub fn parse(raw: &str) -> Result<Self, Violation> {
        let s = raw.trim();
        if s.len() != 18 {
            return Err(violation(Code::NipLength));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(violation(Code::NipDigits));
        }
        let birth = NaiveDate::parse_from_str(&s[0..8], "%Y%m%d").map_err(|_| violation(Code::NipBirthDate))?;
        let tmt = NaiveDate::parse_from_str(&format!("{}01", &s[8..14]), "%Y%m%d")
            .map_err(|_| violation(Code::NipTmtCpns))?;
        if tmt.year() - birth.year() < MIN_AGE_AT_TMT_CPNS {
            return Err(violation(Code::NipTmtBeforeAdult));
        }
        if !matches!(&s[14..15], "1" | "2") {
            return Err(violation(Code::NipGender));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Birth date encoded in the NIP (always valid for a parsed NIP).
    pub fn birth_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.0[0..8], "%Y%m%d").ok()
    }

    pub fn gender(&self) -> NipGender {
        if &self.0[14..15] == "2" {
            NipGender::Female
        } else {
            NipGender::Male
        }
    }
}

fn violation(code: Code) -> Violation {
    code.violation("nip")
}

impl TryFrom<String> for Nip {
    type Error = Violation;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Nip> for String {
    fn from(n: Nip) -> Self {
        n.0
    }
}

impl std::fmt::Display for Nip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid_nips() {
        let cases: &[(&str, Option<&str>)] = &[
            ("199001012015031001", None),
            ("199205152019032003", None),
            ("19900101201503100", Some("nip.length")),
            ("19900101201503100a", Some("nip.digits")),
            ("199013012015031001", Some("nip.birth_date")),
            ("199001012015131001", Some("nip.tmt_cpns")),
            ("199001012000031001", Some("nip.tmt_before_adult")),
            ("199001012015033001", Some("nip.gender")),
        ];
        for (raw, expected) in cases {
            let got = Nip::parse(raw).err().map(|v| v.code);
            assert_eq!(got.as_deref(), *expected, "case {raw}");
        }
    }

    #[test]
    fn gender_and_birth_date() {
        let nip = Nip::parse("199205152019032003").expect("valid");
        assert_eq!(nip.gender(), NipGender::Female);
        assert_eq!(nip.birth_date(), NaiveDate::from_ymd_opt(1992, 5, 15));
    }
}
