//! `Decide`: a reviewer's decision taken offline, decided on receipt like one over HTTP
//! ([`workflow::decide_in`]); a refusal (another reviewer decided first, the ASN withdrew, the record changed)
//! is the recorded rejection.

use mysapk_model::review::DecisionRequest;

use super::Applied;
use crate::auth::AuthUser;
use crate::db::WriteTx;
use crate::workflow;

pub(super) async fn decide(
    tx: &mut WriteTx<'_>,
    reviewer: &AuthUser,
    device: &str,
    usulan_id: &str,
    req: &DecisionRequest,
) -> Applied {
    Ok(workflow::decide_in(tx, reviewer, usulan_id, req, Some(device)).await?.map(|_| ()))
}
