//! Correcting a returned proposal: it is sent again under its own id, so it must still be the same proposal.
//!
//! The device checks this before queueing the correction and the server again on receipt.

use crate::usulan::{UsulanAction, UsulanState};
use crate::Code;
use crate::Violation;

/// The violations of sending `action` again as a correction of a proposal now in `state` that proposed
/// `before`: only a returned proposal may be corrected, and the correction must concern the same data (category
/// and record) and the same kind of change.
pub fn check_resubmit(state: UsulanState, before: &UsulanAction, action: &UsulanAction) -> Vec<Violation> {
    if state != UsulanState::Returned {
        return vec![Code::UsulanNotReturned.violation("usulan_id")];
    }
    if !same_target(before, action) {
        return vec![Code::UsulanActionChanged.violation("action")];
    }
    Vec::new()
}

/// Same kind of change, same category, and for a change or deletion the same record.
fn same_target(before: &UsulanAction, after: &UsulanAction) -> bool {
    use UsulanAction::*;
    let same_record = match (before, after) {
        (ChangeHistory { record_id: a, .. }, ChangeHistory { record_id: b, .. })
        | (DeleteHistory { record_id: a, .. }, DeleteHistory { record_id: b, .. }) => a == b,
        _ => true,
    };
    std::mem::discriminant(before) == std::mem::discriminant(after)
        && before.history_kind() == after.history_kind()
        && same_record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::samples;

    fn change(record_id: &str, kind: crate::history::HistoryKind) -> UsulanAction {
        UsulanAction::ChangeHistory {
            record_id: record_id.into(),
            data: samples::sample(kind, chrono::NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date"), 0),
        }
    }

    #[test]
    fn a_returned_proposal_may_be_corrected_for_the_same_record() {
        use crate::history::HistoryKind::Jabatan;
        assert!(check_resubmit(UsulanState::Returned, &change("r1", Jabatan), &change("r1", Jabatan)).is_empty());
    }

    #[test]
    fn only_a_returned_proposal_may_be_corrected() {
        use crate::history::HistoryKind::Jabatan;
        for state in [UsulanState::Submitted, UsulanState::Verified, UsulanState::Approved, UsulanState::Rejected] {
            let v = check_resubmit(state, &change("r1", Jabatan), &change("r1", Jabatan));
            assert_eq!(v[0].code, "usulan.not_returned", "{state:?}");
        }
    }

    #[test]
    fn a_correction_keeps_its_kind_category_and_record() {
        use crate::history::HistoryKind::{Jabatan, Pendidikan};
        let current = change("r1", Jabatan);
        let delete = UsulanAction::DeleteHistory { record_id: "r1".into(), kind: Jabatan };
        let add = UsulanAction::AddHistory {
            data: samples::sample(Jabatan, chrono::NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date"), 0),
        };
        for changed in [change("r2", Jabatan), change("r1", Pendidikan), delete, add] {
            assert_eq!(
                check_resubmit(UsulanState::Returned, &current, &changed)[0].code,
                "usulan.action_changed",
                "{changed:?}"
            );
        }
    }
}
