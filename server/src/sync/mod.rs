//! Sync: pull (the change feed) and push (the device's mutations).

mod feed_cache;

use std::collections::HashMap;
use std::time::Instant;

use chrono::Utc;
use mysapk_model::catalog::Catalogs;
use mysapk_model::review::DecisionRequest;
use mysapk_model::sync::{
    Change, Mutation, MutationOp, MutationOutcome, MutationResult, PullResponse, PushRequest, PushResponse,
    MAX_PUSH_BATCH,
};
use mysapk_model::usulan::{UsulanEvent, UsulanState};
use mysapk_model::Violation;
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};

use crate::assessments;
use crate::auth::AuthUser;
use crate::db::{self, devices, records, usulan as usulan_db, AfterCommit, LogKey, WriteTx};
use crate::db::{
    ENTITY_ASSESSMENT, ENTITY_CATALOG, ENTITY_HISTORY, ENTITY_NOTIFICATION, ENTITY_PROFILE, ENTITY_REVIEW,
    ENTITY_USULAN,
};
use crate::error::ServerError;
use crate::propose;
use crate::review;
use crate::workflow;

pub use feed_cache::{FeedCache, FEED_CACHE_TTL};

pub const DEFAULT_PULL_LIMIT: i64 = 500;
pub const MAX_PULL_LIMIT: i64 = 2000;

/// Parse an opaque cursor (empty or absent: from the beginning).
pub fn parse_cursor(cursor: Option<&str>) -> Result<i64, ServerError> {
    match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(0),
        Some(c) => c
            .parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .ok_or_else(|| ServerError::bad_request("sync.invalid_cursor", "The sync cursor is not valid.")),
    }
}

/// The user's changes after `cursor`: the newest state of each changed entity, in version order.
///
/// One indexed range read of the change log, then one query per entity type present in the page (not one per
/// entity); a no-change pull is the range read alone.
/// A reviewer also reads their agency's review entries (a second indexed range read of the same index).
///
/// A pull the [`FeedCache`] knows to be empty (see [`FeedCache`]) answers without the database.
pub async fn pull(
    pool: &AnyPool,
    feed: &FeedCache,
    user: &AuthUser,
    cursor: i64,
    limit: i64,
) -> Result<PullResponse, ServerError> {
    let limit = limit.clamp(1, MAX_PULL_LIMIT);
    let scope = review::is_reviewer(&user.roles).then(|| db::agency_scope(&user.instansi_id));
    let keys: Vec<LogKey> = [Some(user.nip.clone()), None].into_iter().chain(scope.clone().map(Some)).collect();
    let empty = || PullResponse { cursor: cursor.to_string(), has_more: false, changes: Vec::new() };
    if cursor > 0 && feed.is_quiet(&keys, cursor) {
        return Ok(empty());
    }
    let started = Instant::now();
    let mut conn = pool.acquire().await?;
    let mut entries = db::read_changes(&mut conn, &user.nip, scope.as_deref(), cursor, limit + 1).await?;
    if entries.is_empty() {
        feed.record_quiet(&keys, cursor, started);
        return Ok(empty());
    }
    let has_more = entries.len() as i64 > limit;
    entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = entries.last().map_or(cursor, |e| e.version);
    let mut states = current_states(&mut conn, user, cursor == 0, &entries).await?;
    // The log is deduplicated per entity, so each state is taken at most once.
    let changes = entries
        .iter()
        .filter_map(|e| states.get_mut(e.entity.as_str()).and_then(|by_id| by_id.remove(e.entity_id.as_str())))
        .collect();
    Ok(PullResponse { cursor: next.to_string(), has_more, changes })
}

/// The current state (or tombstone) of every entity in `entries` that still belongs to `nip`, by entity type
/// and id; one query per entity type.
async fn current_states(
    conn: &mut AnyConnection,
    user: &AuthUser,
    first: bool,
    entries: &[db::LogEntry],
) -> Result<HashMap<&'static str, HashMap<String, Change>>, ServerError> {
    let nip = user.nip.as_str();
    let mut ids: HashMap<&str, Vec<&str>> = HashMap::new();
    for e in entries {
        ids.entry(e.entity.as_str()).or_default().push(e.entity_id.as_str());
    }
    let mut out: HashMap<&'static str, HashMap<String, Change>> = HashMap::new();
    for (entity, ids) in &ids {
        let (entity, states): (&'static str, HashMap<String, Change>) = match *entity {
            ENTITY_PROFILE => (
                ENTITY_PROFILE,
                records::get_profiles(conn, ids)
                    .await?
                    .into_iter()
                    .map(|profile| (profile.nip.as_str().to_owned(), Change::Profile { profile }))
                    .collect(),
            ),
            ENTITY_HISTORY => (
                ENTITY_HISTORY,
                records::get_histories(conn, nip, ids)
                    .await?
                    .into_iter()
                    .map(|h| {
                        let change = if h.deleted {
                            Change::HistoryDeleted { id: h.record.id.clone(), kind: h.kind }
                        } else {
                            Change::History { record: h.record.clone() }
                        };
                        (h.record.id, change)
                    })
                    .collect(),
            ),
            ENTITY_USULAN => (
                ENTITY_USULAN,
                usulan_db::get_many(conn, nip, ids)
                    .await?
                    .into_iter()
                    .map(|usulan| (usulan.id.clone(), Change::Usulan { usulan }))
                    .collect(),
            ),
            ENTITY_NOTIFICATION => (
                ENTITY_NOTIFICATION,
                usulan_db::get_notifications(conn, nip, ids)
                    .await?
                    .into_iter()
                    .map(|notification| (notification.id.clone(), Change::Notification { notification }))
                    .collect(),
            ),
            ENTITY_CATALOG => (
                ENTITY_CATALOG,
                records::get_catalogs(conn, ids)
                    .await?
                    .into_iter()
                    .map(|catalog| (catalog.name.clone(), Change::Catalog { catalog }))
                    .collect(),
            ),
            ENTITY_REVIEW => (ENTITY_REVIEW, review::feed_changes(conn, user, ids, first).await?),
            ENTITY_ASSESSMENT => (
                ENTITY_ASSESSMENT,
                assessments::get_many(conn, nip, ids)
                    .await?
                    .into_iter()
                    .map(|assessment| (assessment.id.clone(), Change::Assessment { assessment }))
                    .collect(),
            ),
            other => {
                tracing::warn!(entity = other, "unknown entity in change log");
                continue;
            }
        };
        out.insert(entity, states);
    }
    Ok(out)
}

/// Process a batch of mutations, each in its own transaction.
pub async fn push(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    user: &AuthUser,
    req: &PushRequest,
) -> Result<PushResponse, ServerError> {
    let device = req.device_id.trim();
    if device.is_empty() || device.len() > 200 {
        return Err(ServerError::bad_request("push.device_id", "device_id is required (at most 200 characters)."));
    }
    if req.mutations.len() > MAX_PUSH_BATCH {
        return Err(ServerError::bad_request("push.too_many", format!("At most {MAX_PUSH_BATCH} mutations per push.")));
    }
    let codes = {
        let mut conn = pool.acquire().await?;
        records::load_catalogs(&mut conn).await?
    };
    let mut results = Vec::with_capacity(req.mutations.len());
    let started = std::time::Instant::now();
    for m in &req.mutations {
        // Over budget: answer what is done; the device sends the rest with its next push.
        if !results.is_empty() && started.elapsed() >= crate::admission::PUSH_BUDGET {
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

pub(crate) fn violation(code: &str, field: &str, id: &str, en: &str) -> Violation {
    Violation::new(code, field, id, en)
}

/// Apply one mutation. `Ok(Err(v))` is a rejection: nothing has been written when it is returned.
async fn apply(
    conn: &mut WriteTx<'_>,
    user: &AuthUser,
    device: &str,
    m: &Mutation,
    codes: &Catalogs,
) -> Result<Result<(), Violation>, ServerError> {
    match &m.op {
        MutationOp::Propose { usulan_id, action, documents } => {
            propose::propose(conn, user, device, usulan_id, action, documents, codes).await
        }
        MutationOp::ConfirmCategory { kind } => propose::confirm_category(conn, user, device, *kind).await,
        MutationOp::Withdraw { usulan_id } => withdraw(conn, user, device, usulan_id).await,
        MutationOp::MarkNotificationRead { notification_id } => mark_read(conn, user, notification_id).await,
        MutationOp::Decide { usulan_id, decision, reason, expected_state } => {
            let req = DecisionRequest { decision: *decision, reason: reason.clone(), expected_state: *expected_state };
            Ok(workflow::decide_in(conn, user, usulan_id, &req, Some(device)).await?.map(|_| ()).map_err(|(_, v)| v))
        }
    }
}

pub(crate) fn usulan_not_found() -> Violation {
    violation("usulan.not_found", "usulan_id", "Usulan tidak ditemukan.", "No such proposal.")
}

async fn withdraw(
    conn: &mut WriteTx<'_>,
    user: &AuthUser,
    device: &str,
    usulan_id: &str,
) -> Result<Result<(), Violation>, ServerError> {
    let Some(row) = usulan_db::get(conn, usulan_id).await?.filter(|r| r.usulan.nip.as_str() == user.nip) else {
        return Ok(Err(usulan_not_found()));
    };
    let from = row.usulan.state;
    let not_withdrawable = || {
        violation(
            "usulan.not_withdrawable",
            "usulan_id",
            "Usulan sudah diputuskan dan tidak dapat ditarik.",
            "The proposal has been decided and can no longer be withdrawn.",
        )
    };
    if !from.is_withdrawable() {
        return Ok(Err(not_withdrawable()));
    }
    let now = Utc::now();
    let mut u = row.usulan;
    u.state = UsulanState::Withdrawn;
    u.updated_at = now;
    u.events.push(UsulanEvent { at: now, actor_nip: user.nip.clone(), state: UsulanState::Withdrawn, reason: None });
    if !usulan_db::update_if_state(conn, &u, from).await? {
        return Ok(Err(not_withdrawable()));
    }
    db::log_change(conn, Some(&user.nip), ENTITY_USULAN, &u.id).await?;
    review::log_review(conn, &row.instansi_id, &u.id).await?;
    db::audit(
        conn,
        db::Audit {
            actor: &user.nip,
            action: "usulan.withdraw",
            entity: ENTITY_USULAN,
            entity_id: &u.id,
            subject: Some(&user.nip),
            instansi: Some(&row.instansi_id),
            device: Some(device),
            details: json!({"from": from}),
            ..db::Audit::default()
        },
    )
    .await?;
    Ok(Ok(()))
}

async fn mark_read(
    conn: &mut WriteTx<'_>,
    user: &AuthUser,
    notification_id: &str,
) -> Result<Result<(), Violation>, ServerError> {
    let Some((_, mut n)) = usulan_db::get_notification(conn, notification_id).await?.filter(|(o, _)| *o == user.nip)
    else {
        return Ok(Err(violation(
            "notification.not_found",
            "notification_id",
            "Notifikasi tidak ditemukan.",
            "No such notification.",
        )));
    };
    if !n.read {
        n.read = true;
        usulan_db::put_notification(conn, &user.nip, &n).await?;
        db::log_change(conn, Some(&user.nip), ENTITY_NOTIFICATION, &n.id).await?;
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors() {
        assert_eq!(parse_cursor(None).ok(), Some(0));
        assert_eq!(parse_cursor(Some("")).ok(), Some(0));
        assert_eq!(parse_cursor(Some("42")).ok(), Some(42));
        assert!(parse_cursor(Some("-1")).is_err());
        assert!(parse_cursor(Some("abc")).is_err());
    }
}
