//! NIK: the 16-digit national identity number.
//!
//! Layout (*verify* details, see the domain reference §5): 6-digit region code (province 11..94, regency,
//! district), 6-digit birth date `DDMMYY` with 40 added to the day for women, 4-digit sequence.

use chrono::{Datelike, NaiveDate};

use crate::nip::NipGender;
use crate::Code;
use crate::Violation;

/// Province codes run from 11 (Aceh) to 94 (Papua); the region code must start in that range.
pub const PROVINCE_CODES: std::ops::RangeInclusive<u32> = 11..=94;

fn violation(code: Code) -> Violation {
    code.violation("nik")
}

/// Check a NIK's structure and, when the owner is known, its agreement with the birth date and gender.
pub fn check_nik(nik: &str, owner: Option<(NaiveDate, NipGender)>) -> Vec<Violation> {
    if nik.len() != 16 || !nik.bytes().all(|b| b.is_ascii_digit()) {
        return vec![violation(Code::NikFormat)];
    }
    let num = |r: std::ops::Range<usize>| nik[r].parse::<u32>().unwrap_or(0);
    let mut out = Vec::new();
    if !PROVINCE_CODES.contains(&num(0..2)) || num(2..4) == 0 {
        out.push(violation(Code::NikRegion));
    }
    let raw_day = num(6..8);
    let (day, female) = if raw_day > 40 { (raw_day - 40, true) } else { (raw_day, false) };
    let (month, yy) = (num(8..10), num(10..12));
    let day_month_ok = (1..=31).contains(&day) && (1..=12).contains(&month);
    if !day_month_ok {
        out.push(violation(Code::NikBirthDate));
    }
    if let Some((birth, gender)) = owner {
        let matches = day == birth.day() && month == birth.month() && yy == birth.year().rem_euclid(100) as u32;
        if day_month_ok && !matches {
            out.push(violation(Code::NikBirthDateMismatch));
        }
        if female != (gender == NipGender::Female) {
            out.push(violation(Code::NikGenderMismatch));
        }
    }
    if num(12..16) == 0 {
        out.push(violation(Code::NikSequence));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(nik: &str, owner: Owner) -> Vec<String> {
        check_nik(nik, owner).into_iter().map(|v| v.code).collect()
    }

    type Owner = Option<(NaiveDate, NipGender)>;

    #[test]
    fn nik_rules_table() {
        let born = NaiveDate::from_ymd_opt(1985, 3, 10).expect("date");
        let man = Some((born, NipGender::Male));
        let woman = Some((born, NipGender::Female));
        let cases: [(&str, Owner, &[&str]); 9] = [
            ("3273011003850001", man, &[]),
            ("3273015003850002", woman, &[]),
            ("3273011003850001", woman, &["nik.gender_mismatch"]),
            ("3273011103850001", man, &["nik.birth_date_mismatch"]),
            ("327301100385000", man, &["nik.format"]),
            ("32730110038500a1", None, &["nik.format"]),
            ("9973011003850001", None, &["nik.region"]),
            ("3273013213850001", None, &["nik.birth_date"]),
            ("3273011003850000", None, &["nik.sequence"]),
        ];
        for (nik, owner, expected) in cases {
            assert_eq!(codes(nik, owner), expected, "{nik}");
        }
    }
}
