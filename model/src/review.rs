//! Reviewer queue and decisions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::history::HistoryRecord;
use crate::usulan::{Decision, Usulan, UsulanState};

/// Days a reviewer step may take before its deadline (a rule as data; an agency may set its own later).
pub const REVIEW_DEADLINE_DAYS: i64 = 14;

/// One proposal waiting for the reviewer's step, with the official value beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub usulan: Usulan,
    pub asn_nama: String,
    /// The ASN's work unit, for filtering the queue.
    #[serde(default)]
    pub unor_nama: String,
    /// When the current step is due: the last state change plus [`REVIEW_DEADLINE_DAYS`].
    #[serde(default)]
    pub deadline: Option<DateTime<Utc>>,
    /// The official record a change or deletion concerns, as it is now.
    pub official: Option<HistoryRecord>,
    /// The official record as it was when the ASN proposed the change; differs from `official` when the
    /// record changed meanwhile (the reviewer then sees three versions: base, official, proposed).
    #[serde(default)]
    pub base: Option<HistoryRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewQueue {
    pub items: Vec<ReviewItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecisionRequest {
    pub decision: Decision,
    /// Required for `return` and `reject`.
    pub reason: Option<String>,
    /// The state the reviewer saw; when the proposal has moved on since, the decision is refused
    /// (`decision.already_decided`) rather than applied to a step the reviewer never saw.
    #[serde(default)]
    pub expected_state: Option<UsulanState>,
}
