//! Property tests: whatever a client, a file or the network hands the model, it answers with a value or a
//! violation, never a panic; and what it produces round-trips.

use chrono::NaiveDate;
use mysapk_model::document::check_content;
use mysapk_model::history::samples::sample;
use mysapk_model::history::{HistoryData, HistoryKind};
use mysapk_model::record::AnyCode;
use mysapk_model::rules::nik::check_nik;
use mysapk_model::rules::proposal::{check_proposal, RecordFacts};
use mysapk_model::rules::RuleContext;
use mysapk_model::sync::Mutation;
use mysapk_model::usulan::UsulanAction;
use mysapk_model::Nip;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn nip_parse_never_panics(s in "\\PC{0,24}") {
        if let Ok(nip) = Nip::parse(&s) {
            prop_assert_eq!(nip.as_str(), s.as_str());
            prop_assert!(nip.birth_date().is_some());
        }
    }

    #[test]
    fn nip_of_digits_never_panics(s in "[0-9]{18}") {
        let _ = Nip::parse(&s);
    }

    #[test]
    fn nik_check_never_panics(s in "\\PC{0,20}", digits in "[0-9]{16}") {
        let _ = check_nik(&s, None);
        let _ = check_nik(&digits, Some((today(), mysapk_model::nip::NipGender::Female)));
    }

    #[test]
    fn content_check_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..4096), max in 0u64..8192) {
        let _ = check_content(&bytes, max);
    }

    #[test]
    fn random_bytes_are_not_documents(mut bytes in proptest::collection::vec(any::<u8>(), 1..2048)) {
        // Whatever follows, content without a PDF or JPEG signature is refused.
        if bytes[0] == b'%' || bytes[0] == 0xFF {
            bytes[0] = b'M';
        }
        prop_assert!(check_content(&bytes, 1 << 20).is_err());
    }

    #[test]
    fn wire_json_never_panics(s in "\\PC{0,400}") {
        let _ = serde_json::from_str::<Mutation>(&s);
        let _ = serde_json::from_str::<HistoryData>(&s);
    }

    #[test]
    fn rules_never_panic_on_shifted_dates(kind_index in 0usize..18, n in 0u32..1000, shift in -40_000i64..40_000, y in 1900i32..2100) {
        let kind = HistoryKind::ALL[kind_index];
        let born = NaiveDate::from_ymd_opt(y, 1 + (n % 12), 1 + (n % 28)).expect("date");
        let mut json = serde_json::to_value(sample(kind, born, n)).expect("serialise");
        // Move every date field by `shift` days: the rules must answer, not panic.
        if let Some(map) = json.as_object_mut() {
            for v in map.values_mut() {
                if let Some(d) = v.as_str().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()) {
                    *v = serde_json::json!(d.checked_add_signed(chrono::Duration::days(shift)).unwrap_or(d));
                }
            }
        }
        let data: HistoryData = serde_json::from_value(json).expect("still a record");
        let nip = Nip::parse("198503102010011002").expect("nip");
        let ctx = RuleContext::new(&AnyCode, today()).for_owner(&nip);
        let _ = check_proposal(&UsulanAction::AddHistory { data }, &[], &ctx, &RecordFacts::default());
    }

    #[test]
    fn samples_round_trip(kind_index in 0usize..18, n in 0u32..10_000) {
        let data = sample(HistoryKind::ALL[kind_index], NaiveDate::from_ymd_opt(1980, 5, 5).expect("date"), n);
        let json = serde_json::to_string(&data).expect("serialise");
        let back: HistoryData = serde_json::from_str(&json).expect("deserialise");
        prop_assert_eq!(back, data);
    }
}
