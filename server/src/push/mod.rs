//! Push: the device's mutations, each in its own transaction, handled here and nowhere else.
//!
//! [`push`] takes a batch in order: a mutation already processed (its `seq` is not above the device's
//! `last_seq`) gets its stored outcome again; any other is dispatched by kind (`apply`) to one module each,
//! and its outcome, applied or a recorded rejection, is stored with the new `last_seq` in the same transaction.
//! A rejection never blocks the rest of the batch.
//!
//! | mutation | module |
//! | --- | --- |
//! | `Propose` (a new usulan, or the correction of a returned one) | `propose` |
//! | `ConfirmCategory` | `confirm_category` |
//! | `Withdraw` | `withdraw` |
//! | `MarkNotificationRead` | `mark_read` |
//! | `Decide` (a reviewer's decision taken offline) | `decide` |

mod confirm_category;
mod decide;
mod mark_read;
mod propose;
mod withdraw;

use mysapk_model::catalog::Catalogs;
use mysapk_model::review::DecisionRequest;
use mysapk_model::sync::{
    Mutation, MutationOp, MutationOutcome, MutationResult, PushRequest, PushResponse, MAX_PUSH_BATCH,
};
use mysapk_model::{Code, Violation};
use serde_json::json;
use sqlx::AnyPool;

use crate::admission::PUSH_BUDGET;
use crate::auth::AuthUser;
use crate::db::{self, devices, records, AfterCommit, WriteTx};
use crate::error::ServerError;

/// One mutation's effect: `Ok(Ok(()))` applied, `Ok(Err(v))` refused (nothing has been written when it is
/// returned; the refusal is recorded as the outcome), `Err` a failure of the server.
type Applied = Result<Result<(), Violation>, ServerError>;

/// Process a batch of mutations, each in its own transaction (see the module docs).
pub async fn push(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    user: &AuthUser,
    req: &PushRequest,
) -> Result<PushResponse, ServerError> {
    let device = req.device_id.trim();
    if device.is_empty() || device.len() > 200 {
        return Err(ServerError::api(Code::PushDeviceId));
    }
    if req.mutations.len() > MAX_PUSH_BATCH {
        return Err(ServerError::api_detail(
            Code::PushTooMany,
            format!("At most {MAX_PUSH_BATCH} mutations per push."),
        ));
    }
    let codes = {
        let mut conn = pool.acquire().await?;
        records::load_catalogs(&mut conn).await?
    };
    let mut results = Vec::with_capacity(req.mutations.len());
    let started = std::time::Instant::now();
    for m in &req.mutations {
        // Over budget: answer what is done; the device sends the rest with its next push.
        if !results.is_empty() && started.elapsed() >= PUSH_BUDGET {
            tracing::debug!(done = results.len(), of = req.mutations.len(), "push over its time budget");
            break;
        }
        let mut tx = db::begin_write(pool, after).await?;
        let last = devices::last_seq(&mut tx, &user.nip, device).await?;
        if m.seq <= last {
            let stored = devices::stored_outcome(&mut tx, &user.nip, device, m.seq).await?;
            tx.rollback().await?;
            results.push(MutationResult {
                id: m.id.clone(),
                seq: m.seq,
                outcome: stored.unwrap_or(MutationOutcome::AlreadyProcessed),
            });
            continue;
        }
        let outcome = match apply(&mut tx, user, device, m, &codes).await? {
            Ok(()) => MutationOutcome::Applied,
            Err(violation) => {
                db::audit(
                    &mut tx,
                    db::Audit {
                        actor: &user.nip,
                        action: "mutation.rejected",
                        entity: "mutation",
                        entity_id: &m.id,
                        subject: Some(&user.nip),
                        instansi: Some(&user.instansi_id),
                        device: Some(device),
                        details: json!({"seq": m.seq, "code": violation.code, "field": violation.field}),
                        ..db::Audit::default()
                    },
                )
                .await?;
                MutationOutcome::Rejected { violation }
            }
        };
        devices::store_outcome(&mut tx, &user.nip, device, m.seq, &m.id, &outcome).await?;
        devices::set_last_seq(&mut tx, &user.nip, device, m.seq).await?;
        tx.commit().await?;
        results.push(MutationResult { id: m.id.clone(), seq: m.seq, outcome });
    }
    let mut conn = pool.acquire().await?;
    let last_processed_seq = devices::last_seq(&mut conn, &user.nip, device).await?;
    Ok(PushResponse { last_processed_seq, results })
}

/// Dispatch one mutation to the module of its kind.
async fn apply(tx: &mut WriteTx<'_>, user: &AuthUser, device: &str, m: &Mutation, codes: &Catalogs) -> Applied {
    match &m.op {
        MutationOp::Propose { usulan_id, action, documents } => {
            propose::propose_usulan(tx, user, device, &propose::Proposal { usulan_id, action, documents }, codes).await
        }
        MutationOp::ConfirmCategory { kind } => confirm_category::confirm_category(tx, user, device, *kind).await,
        MutationOp::Withdraw { usulan_id } => withdraw::withdraw(tx, user, device, usulan_id).await,
        MutationOp::MarkNotificationRead { notification_id } => mark_read::mark_read(tx, user, notification_id).await,
        MutationOp::Decide { usulan_id, decision, reason, expected_state } => {
            let req = DecisionRequest { decision: *decision, reason: reason.clone(), expected_state: *expected_state };
            decide::decide(tx, user, device, usulan_id, &req).await
        }
    }
}

/// The usulan is not the caller's (or does not exist): the same answer either way.
fn usulan_not_found() -> Violation {
    Code::UsulanNotFound.violation("usulan_id")
}
