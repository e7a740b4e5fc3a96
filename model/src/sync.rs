//! The sync protocol shared by client and server.
//!
//! Pull: `GET /api/v1/sync?cursor=…` returns the user's changes after the cursor, a page at a time.
//! Push: `POST /api/v1/sync/push` carries a batch of mutations, each with a client id and a per-device
//! sequence number; the server records the last processed number in the same transaction as the effects.

use serde::{Deserialize, Serialize};

use crate::assessment::Assessment;
use crate::catalog::Catalog;
use crate::document::DocumentRef;
use crate::history::{HistoryKind, HistoryRecord};
use crate::notification::Notification;
use crate::record::Profile;
use crate::review::ReviewItem;
use crate::usulan::{Decision, Usulan, UsulanAction, UsulanState};
use crate::Violation;

/// Largest number of mutations the server accepts in one push.
pub const MAX_PUSH_BATCH: usize = 500;

/// One change of the user's data, in the order the server made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Change {
    Profile {
        profile: Profile,
    },
    History {
        record: HistoryRecord,
    },
    HistoryDeleted {
        id: String,
        kind: HistoryKind,
    },
    Usulan {
        usulan: Usulan,
    },
    Notification {
        notification: Notification,
    },
    Catalog {
        catalog: Catalog,
    },
    /// For a reviewer: a proposal of their agency waiting for a step their roles may take (upsert).
    ReviewItem {
        item: Box<ReviewItem>,
    },
    /// For a reviewer: the proposal no longer waits for them (decided, withdrawn, or out of their scope).
    ReviewItemGone {
        usulan_id: String,
    },
    /// A competency and potential assessment of the ASN (recorded by an admin; read-only for the ASN).
    Assessment {
        assessment: Assessment,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    /// Opaque; send it back to get what follows.
    pub cursor: String,
    pub has_more: bool,
    pub changes: Vec<Change>,
    /// A fresh card token, on the last page of a pull that asked for one (`card=true`): the device renews its
    /// card inside the sync instead of with a request of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<crate::card::CardToken>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
// `Propose` carries a whole record and is the common mutation; boxing it would only add an allocation to it.
#[allow(clippy::large_enum_variant)]
pub enum MutationOp {
    /// Submit a new proposal, or resubmit a returned one under the same id.
    Propose {
        usulan_id: String,
        action: UsulanAction,
        /// Supporting documents; each must have been uploaded before the proposal is sent.
        #[serde(default)]
        documents: Vec<DocumentRef>,
    },
    /// The ASN confirms a category as correct ("data sudah sesuai"); family categories need it to be complete.
    ConfirmCategory {
        kind: HistoryKind,
    },
    Withdraw {
        usulan_id: String,
    },
    MarkNotificationRead {
        notification_id: String,
    },
    /// A reviewer's decision, possibly taken offline. A decision that lost a race (another reviewer decided
    /// first, the ASN withdrew, the record changed) comes back as a rejection explaining why.
    Decide {
        usulan_id: String,
        decision: Decision,
        reason: Option<String>,
        /// The state the reviewer saw when deciding. When the proposal has moved on since (e.g. a reviewer
        /// holding both roles returned it while `submitted`, and it was verified meanwhile), the server refuses
        /// the decision with `decision.already_decided` instead of applying it to a step the reviewer never saw.
        #[serde(default)]
        expected_state: Option<UsulanState>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    /// Client-generated id (UUID).
    pub id: String,
    /// Per-device sequence number, strictly increasing.
    pub seq: i64,
    #[serde(flatten)]
    pub op: MutationOp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub device_id: String,
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MutationOutcome {
    Applied,
    /// The sequence number was processed before: nothing was done again.
    AlreadyProcessed,
    /// The mutation can never succeed; it is recorded as processed and does not block the queue.
    Rejected {
        violation: Violation,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MutationResult {
    pub id: String,
    pub seq: i64,
    #[serde(flatten)]
    pub outcome: MutationOutcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    /// The highest sequence number of this device the server has processed.
    pub last_processed_seq: i64,
    /// One result per processed mutation, in the request's order. A busy server may answer a prefix of the
    /// request (it stops after a time budget); the device sends the rest with its next push.
    pub results: Vec<MutationResult>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutation_wire_shape() {
        let m = Mutation { id: "m1".into(), seq: 3, op: MutationOp::Withdraw { usulan_id: "u1".into() } };
        let json = serde_json::to_value(&m).expect("serialise");
        assert_eq!(json, serde_json::json!({"id": "m1", "seq": 3, "op": "withdraw", "usulan_id": "u1"}));
        let back: Mutation = serde_json::from_value(json).expect("deserialise");
        assert_eq!(back, m);
    }
}
