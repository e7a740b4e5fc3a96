//! The rules of the record, checked in one place: the device runs them before queueing a proposal and the
//! server runs them again on receipt.
//!
//! | module | rule |
//! | --- | --- |
//! | [`kinds`] | per category: SIASN id, who may propose, documents, confirmation, edit limits (a table) |
//! | [`password`] | the password policy: length, not the NIP, not a common password |
//! | [`nik`] | NIK structure and its agreement with the birth date and gender |
//! | [`skp`] | the SKP predikat matrix (PermenPANRB 6/2022) as a table |
//! | [`proposal`] | rules that need the record: golongan order, one-time edits, documents, dates vs. birth |
//! | [`resubmit`] | a returned proposal corrected: same category, record and kind of change |
//! | [`completeness`] | which categories are complete, need attention, or wait for a decision |
//!
//! Each violated rule gives a [`Violation`]: a stable code, the field, a message in Indonesian and English.

pub mod completeness;
pub mod kinds;
pub mod nik;
pub mod password;
pub mod proposal;
pub mod resubmit;
pub mod skp;

use chrono::{Datelike, NaiveDate};

use crate::record::CodeBook;
use crate::Code;
use crate::{Nip, Violation};

/// Earliest date accepted anywhere in a record (the Republic's first civil service).
pub const EARLIEST_DATE: (i32, u32, u32) = (1945, 8, 17);

/// Longest free-text field, in bytes.
pub const MAX_TEXT_LEN: usize = 300;

/// Whether `value` holds a control character a text field may not: NUL, escape, DEL and the like (they break
/// storage, logs and displays). Multi-line free text (notes, reasons, addresses) may hold `\n`, `\r`, `\t`.
pub fn has_control_chars(value: &str, multiline: bool) -> bool {
    value.chars().any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

/// The path (`a.b[2].c`) of the first string or key in `value` with a control character other than `\n`, `\r`,
/// `\t`: the guard for every text a request carries, whatever type it is read into.
pub fn control_chars_in(value: &serde_json::Value) -> Option<String> {
    fn walk(v: &serde_json::Value, path: &str) -> Option<String> {
        let here = || if path.is_empty() { "body".to_owned() } else { path.to_owned() };
        match v {
            serde_json::Value::String(s) if has_control_chars(s, true) => Some(here()),
            serde_json::Value::Array(items) => {
                items.iter().enumerate().find_map(|(i, item)| walk(item, &format!("{path}[{i}]")))
            }
            serde_json::Value::Object(map) => map.iter().find_map(|(k, item)| {
                let field = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                if has_control_chars(k, false) {
                    Some(here())
                } else {
                    walk(item, &field)
                }
            }),
            _ => None,
        }
    }
    walk(value, "")
}

/// What the content rules of one record need to know besides the record itself.
pub struct RuleContext<'a> {
    pub codes: &'a dyn CodeBook,
    /// Dates may lie at most a year after this day (an SK signed now may take effect next year).
    pub today: NaiveDate,
    /// The ASN whose record this is, when known: birth date and gender come from the NIP.
    pub owner: Option<&'a Nip>,
}

impl<'a> RuleContext<'a> {
    pub fn new(codes: &'a dyn CodeBook, today: NaiveDate) -> Self {
        Self { codes, today, owner: None }
    }

    pub fn for_owner(mut self, nip: &'a Nip) -> Self {
        self.owner = Some(nip);
        self
    }

    pub fn owner_birth_date(&self) -> Option<NaiveDate> {
        self.owner.and_then(Nip::birth_date)
    }
}

/// Collects violations for one record; the small vocabulary every record's rules are written in.
pub struct Checker<'c, 'a> {
    pub ctx: &'c RuleContext<'a>,
    pub out: &'c mut Vec<Violation>,
}

impl Checker<'_, '_> {
    fn push(&mut self, code: Code, field: &str) {
        self.out.push(code.violation(&format!("record.{field}")));
    }

    /// A required text: not blank, not longer than [`MAX_TEXT_LEN`].
    pub fn required(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.push(Code::FieldRequired, field);
        } else {
            self.optional(field, Some(value));
        }
    }

    /// An optional text: when present, not longer than [`MAX_TEXT_LEN`] and on one line without control
    /// characters.
    pub fn optional(&mut self, field: &str, value: Option<&str>) {
        if value.is_some_and(|v| v.len() > MAX_TEXT_LEN) {
            self.push(Code::FieldTooLong, field);
        } else if value.is_some_and(|v| has_control_chars(v, false)) {
            self.push(Code::FieldControlChars, field);
        }
    }

    /// A code that must be in `catalog` (a device without that catalog accepts any code).
    pub fn code(&mut self, field: &str, catalog: &str, id: &str) {
        if id.trim().is_empty() {
            self.push(Code::FieldRequired, field);
        } else if has_control_chars(id, false) {
            self.push(Code::FieldControlChars, field);
        } else if !self.ctx.codes.knows(catalog, id) {
            self.push(Code::CodeUnknown, field);
        }
    }

    pub fn optional_code(&mut self, field: &str, catalog: &str, id: Option<&str>) {
        if let Some(id) = id {
            self.code(field, catalog, id);
        }
    }

    /// A date between [`EARLIEST_DATE`] and a year after today.
    pub fn date(&mut self, field: &str, date: NaiveDate) {
        let (y, m, d) = EARLIEST_DATE;
        let earliest = NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN);
        if date < earliest || date > self.ctx.today + chrono::Days::new(366) {
            self.push(Code::DateOutOfRange, field);
        }
    }

    pub fn optional_date(&mut self, field: &str, date: Option<NaiveDate>) {
        if let Some(d) = date {
            self.date(field, d);
        }
    }

    /// A date that happened already (births, marriages): not after today.
    pub fn past_date(&mut self, field: &str, date: NaiveDate) {
        self.date(field, date);
        if date > self.ctx.today {
            self.push(Code::DateInFuture, field);
        }
    }

    /// A year between [`EARLIEST_DATE`] and this year.
    pub fn year(&mut self, field: &str, year: i32) {
        if year < EARLIEST_DATE.0 || year > self.ctx.today.year() {
            self.push(Code::DateOutOfRange, field);
        }
    }

    /// `end` (field `end_field`) must not precede `start`.
    pub fn order(&mut self, end_field: &str, start: NaiveDate, end: Option<NaiveDate>) {
        if end.is_some_and(|e| e < start) {
            self.push(Code::DateEndBeforeStart, end_field);
        }
    }

    /// A whole number in `range`.
    pub fn within(&mut self, field: &str, value: i64, range: std::ops::RangeInclusive<i64>) {
        if !range.contains(&value) {
            self.push(Code::NumberOutOfRange, field);
        }
    }

    /// A violation of a rule specific to one kind.
    pub fn rule(&mut self, code: Code, field: &str) {
        self.push(code, field);
    }
}

/// Run `f` with a [`Checker`] writing into `out`.
pub fn check_with(ctx: &RuleContext, out: &mut Vec<Violation>, f: impl FnOnce(&mut Checker)) {
    f(&mut Checker { ctx, out });
}

/// Golongan ids are group × 10 + letter: I/a..I/d = 11..14, II/a..II/d = 21..24, III/a..III/d = 31..34,
/// IV/a..IV/e = 41..45.
pub fn is_golongan_id(id: &str) -> bool {
    matches!(id.parse::<u8>(), Ok(11..=14 | 21..=24 | 31..=34 | 41..=45)) && id.len() == 2
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_except_line_breaks_in_free_text() {
        assert!(has_control_chars("a\0b", true));
        assert!(has_control_chars("a\u{1b}[2J", true));
        assert!(has_control_chars("a\u{7f}", true));
        assert!(has_control_chars("baris\nkedua", false));
        assert!(!has_control_chars("baris\r\nkedua\tx", true));
        assert!(!has_control_chars("Jl. Merdeka No. 1 — ü", false));
    }

    #[test]
    fn the_guard_names_the_first_field_with_a_control_character() {
        let v = serde_json::json!({"a": "ok\n", "b": [{"c": "x"}, {"d": "n\u{0}l"}]});
        assert_eq!(control_chars_in(&v).as_deref(), Some("b[1].d"));
        assert_eq!(control_chars_in(&serde_json::json!({"k\u{0}": 1})).as_deref(), Some("body"));
        assert_eq!(control_chars_in(&serde_json::json!("\u{0}")).as_deref(), Some("body"));
        assert_eq!(control_chars_in(&serde_json::json!({"a": ["ok", 1, null]})), None);
    }
}
