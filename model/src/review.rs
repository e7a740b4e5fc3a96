//! Reviewer queue and decisions.

use serde::{Deserialize, Serialize};

use crate::record::HistoryRecord;
use crate::usulan::{Decision, Usulan};

/// One proposal waiting for the reviewer's step, with the official value beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub usulan: Usulan,
    pub asn_nama: String,
    /// The official record a change or deletion concerns.
    pub official: Option<HistoryRecord>,
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
}
