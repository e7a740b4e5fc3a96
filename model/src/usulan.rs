//! Proposals (usulan): what an ASN asks to change, its state, and the workflow rules as data.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::document::DocumentRef;
use crate::history::{HistoryData, HistoryKind};
use crate::record::{OwnerFields, VerifiedFields};
use crate::rules::RuleContext;
use crate::siasn::forward::SiasnStep;
use crate::Code;
use crate::{Nip, Violation};

/// What a proposal changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UsulanAction {
    AddHistory {
        data: HistoryData,
    },
    ChangeHistory {
        record_id: String,
        data: HistoryData,
    },
    DeleteHistory {
        record_id: String,
        kind: HistoryKind,
    },
    /// Owner fields need no verification: the server applies them on receipt.
    ChangeOwnerFields {
        fields: OwnerFields,
    },
    /// Verified fields of data utama (NIK, religion, marital status, ...): reviewed like history changes.
    ChangeVerifiedFields {
        fields: VerifiedFields,
    },
}

impl UsulanAction {
    /// Whether this action goes through the verifier and approver.
    pub fn needs_review(&self) -> bool {
        !matches!(self, UsulanAction::ChangeOwnerFields { .. })
    }

    /// The history kind concerned, if any.
    pub fn history_kind(&self) -> Option<HistoryKind> {
        match self {
            UsulanAction::AddHistory { data } | UsulanAction::ChangeHistory { data, .. } => Some(data.kind()),
            UsulanAction::DeleteHistory { kind, .. } => Some(*kind),
            UsulanAction::ChangeOwnerFields { .. } | UsulanAction::ChangeVerifiedFields { .. } => None,
        }
    }

    /// Check the content rules of the proposal alone; [`crate::rules::proposal::check_proposal`] adds the rules
    /// that need the record.
    pub fn validate(&self, ctx: &RuleContext) -> Vec<Violation> {
        match self {
            UsulanAction::AddHistory { data } | UsulanAction::ChangeHistory { data, .. } => data.validate(ctx),
            UsulanAction::DeleteHistory { record_id, .. } => {
                if record_id.trim().is_empty() {
                    vec![Code::FieldRequired.violation("record_id")]
                } else {
                    Vec::new()
                }
            }
            UsulanAction::ChangeOwnerFields { fields } => fields.validate(),
            UsulanAction::ChangeVerifiedFields { fields } => fields.validate(ctx),
        }
    }
}

/// The state of a proposal. `queued` exists only on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UsulanState {
    Queued,
    Submitted,
    Verified,
    Approved,
    Returned,
    Rejected,
    Withdrawn,
}

impl UsulanState {
    pub const ALL: [UsulanState; 7] = [
        UsulanState::Queued,
        UsulanState::Submitted,
        UsulanState::Verified,
        UsulanState::Approved,
        UsulanState::Returned,
        UsulanState::Rejected,
        UsulanState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UsulanState::Queued => "queued",
            UsulanState::Submitted => "submitted",
            UsulanState::Verified => "verified",
            UsulanState::Approved => "approved",
            UsulanState::Returned => "returned",
            UsulanState::Rejected => "rejected",
            UsulanState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// No further transition is possible.
    pub fn is_final(self) -> bool {
        matches!(self, UsulanState::Approved | UsulanState::Rejected | UsulanState::Withdrawn)
    }

    /// The ASN may still withdraw it.
    pub fn is_withdrawable(self) -> bool {
        matches!(self, UsulanState::Submitted | UsulanState::Verified | UsulanState::Returned)
    }
}

/// Roles a user can hold (one person may hold several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    Asn,
    Verifikator,
    Approver,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Asn, Role::Verifikator, Role::Approver, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Asn => "asn",
            Role::Verifikator => "verifikator",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A reviewer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Decision {
    Verify,
    Approve,
    Return,
    Reject,
}

/// One allowed reviewer step: in `from`, a holder of `role` may decide `decision`, giving `to`.
pub struct Transition {
    pub from: UsulanState,
    pub decision: Decision,
    pub role: Role,
    pub to: UsulanState,
}

/// The reviewer workflow as data.
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        from: UsulanState::Submitted,
        decision: Decision::Verify,
        role: Role::Verifikator,
        to: UsulanState::Verified,
    },
    Transition {
        from: UsulanState::Submitted,
        decision: Decision::Return,
        role: Role::Verifikator,
        to: UsulanState::Returned,
    },
    Transition {
        from: UsulanState::Submitted,
        decision: Decision::Reject,
        role: Role::Verifikator,
        to: UsulanState::Rejected,
    },
    Transition {
        from: UsulanState::Verified,
        decision: Decision::Approve,
        role: Role::Approver,
        to: UsulanState::Approved,
    },
    Transition {
        from: UsulanState::Verified,
        decision: Decision::Return,
        role: Role::Approver,
        to: UsulanState::Returned,
    },
    Transition {
        from: UsulanState::Verified,
        decision: Decision::Reject,
        role: Role::Approver,
        to: UsulanState::Rejected,
    },
];

/// The state a decision leads to, or why it is not allowed.
pub fn decide(
    from: UsulanState,
    decision: Decision,
    roles: &[Role],
    reason: Option<&str>,
) -> Result<UsulanState, Violation> {
    if matches!(decision, Decision::Return | Decision::Reject) && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(Code::DecisionReasonRequired.violation("reason"));
    }
    if reason.is_some_and(|r| crate::rules::has_control_chars(r, true)) {
        return Err(Code::FieldControlChars.violation("reason"));
    }
    let step = TRANSITIONS.iter().find(|t| t.from == from && t.decision == decision);
    match step {
        Some(t) if roles.contains(&t.role) => Ok(t.to),
        Some(_) => Err(Code::DecisionWrongRole.violation("decision")),
        None => Err(Code::DecisionWrongState.violation("decision")),
    }
}

/// Who verified the proposal in its current round: the actor of its last `verified` event.
pub fn verifier(u: &Usulan) -> Option<&str> {
    u.events.iter().rev().find(|e| e.state == UsulanState::Verified).map(|e| e.actor_nip.as_str())
}

/// [`decide`] on a proposal by the reviewer `reviewer_nip`, with the separation of duties: whoever verified a
/// proposal never takes the approver's step on it (approve, return or reject), whatever roles they hold.
pub fn decide_on(
    u: &Usulan,
    reviewer_nip: &str,
    decision: Decision,
    roles: &[Role],
    reason: Option<&str>,
) -> Result<UsulanState, Violation> {
    let to = decide(u.state, decision, roles, reason)?;
    if u.state == UsulanState::Verified && verifier(u) == Some(reviewer_nip) {
        return Err(Code::DecisionSameReviewer.violation("decision"));
    }
    Ok(to)
}

/// One entry of a proposal's history: who moved it to which state, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UsulanEvent {
    pub at: DateTime<Utc>,
    pub actor_nip: String,
    pub state: UsulanState,
    pub reason: Option<String>,
}

/// A proposal as the server knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Usulan {
    /// Generated by the device; stable across retries.
    pub id: String,
    pub nip: Nip,
    pub action: UsulanAction,
    pub state: UsulanState,
    /// The reason of the last return or rejection.
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub events: Vec<UsulanEvent>,
    /// Supporting documents (stored once by SHA-256 on the server).
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
    /// After approval: what SIASN made of the change (`None` when the server does not forward to SIASN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siasn: Option<SiasnStep>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_table() {
        use Decision::*;
        use UsulanState::*;
        let v = [Role::Verifikator];
        let a = [Role::Approver];
        assert_eq!(decide(Submitted, Verify, &v, None), Ok(Verified));
        assert_eq!(decide(Verified, Approve, &a, None), Ok(Approved));
        assert_eq!(decide(Submitted, Return, &v, Some("lampiran buram")), Ok(Returned));
        assert_eq!(decide(Verified, Reject, &a, Some("tidak sesuai")), Ok(Rejected));
        assert_eq!(decide(Submitted, Approve, &a, None).map_err(|e| e.code), Err("decision.wrong_state".into()));
        assert_eq!(decide(Submitted, Verify, &a, None).map_err(|e| e.code), Err("decision.wrong_role".into()));
        assert_eq!(
            decide(Submitted, Return, &v, Some("  ")).map_err(|e| e.code),
            Err("decision.reason_required".into())
        );
        assert_eq!(decide(Approved, Verify, &v, None).map_err(|e| e.code), Err("decision.wrong_state".into()));
        assert_eq!(
            decide(Submitted, Return, &v, Some("a\u{0}b")).map_err(|e| e.code),
            Err("field.control_chars".into())
        );
        assert_eq!(decide(Submitted, Return, &v, Some("baris satu\nbaris dua")), Ok(Returned));
    }

    #[test]
    fn the_verifier_never_takes_the_approvers_step() {
        use Decision::*;
        let both = [Role::Verifikator, Role::Approver];
        let at = DateTime::<Utc>::default();
        let event = |actor: &str, state| UsulanEvent { at, actor_nip: actor.into(), state, reason: None };
        let mut u = Usulan {
            id: "u1".into(),
            nip: Nip::parse("198503302003121002").expect("nip"),
            action: UsulanAction::DeleteHistory { record_id: "r".into(), kind: HistoryKind::Jabatan },
            state: UsulanState::Submitted,
            reason: None,
            created_at: at,
            updated_at: at,
            events: vec![event("198503302003121002", UsulanState::Submitted)],
            documents: Vec::new(),
            siasn: None,
        };
        assert_eq!(decide_on(&u, "v1", Verify, &both, None), Ok(UsulanState::Verified));
        u.state = UsulanState::Verified;
        u.events.push(event("v1", UsulanState::Verified));
        let same = |d, reason| decide_on(&u, "v1", d, &both, reason).map_err(|e| e.code);
        assert_eq!(same(Approve, None), Err("decision.same_reviewer".into()));
        assert_eq!(same(Reject, Some("x")), Err("decision.same_reviewer".into()));
        assert_eq!(same(Return, Some("x")), Err("decision.same_reviewer".into()));
        assert_eq!(decide_on(&u, "a1", Approve, &both, None), Ok(UsulanState::Approved));
        assert_eq!(verifier(&u), Some("v1"));
    }

    #[test]
    fn states_round_trip() {
        for s in UsulanState::ALL {
            assert_eq!(UsulanState::parse(s.as_str()), Some(s));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
