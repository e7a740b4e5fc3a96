//! The reviewer's work queue, in the pull feed and over HTTP.
//!
//! Every state change of a proposal that needs review appends a change-log entry `("review", usulan id)` under
//! the agency scope ([`db::agency_scope`]); a reviewer's pull reads that scope with a second indexed range read
//! and turns each entry into [`Change::ReviewItem`] (it waits for a step the reviewer's roles may take) or
//! [`Change::ReviewItemGone`] (it no longer does). A role grant or revoke appends the same entries for every
//! proposal of the agency waiting for any reviewer, under the user's own NIP, so the next pull re-evaluates them
//! against the new roles.

use std::collections::HashMap;

use chrono::Duration;
use mysapk_model::review::{ReviewItem, ReviewQueue, REVIEW_DEADLINE_DAYS};
use mysapk_model::sync::Change;
use mysapk_model::usulan::{Role, UsulanAction, UsulanState};
use mysapk_model::Code;
use sqlx::{AnyConnection, AnyPool};

use crate::auth::AuthUser;
use crate::db::{self, records, usulan as usulan_db, usulan::UsulanRow, WriteTx, ENTITY_REVIEW};
use crate::error::ServerError;

/// Whether the roles include a reviewer role.
pub fn is_reviewer(roles: &[Role]) -> bool {
    roles.iter().any(|r| matches!(r, Role::Verifikator | Role::Approver))
}

/// The states waiting for a step these roles may take.
pub fn waiting_states(roles: &[Role]) -> Vec<UsulanState> {
    let mut states = Vec::new();
    if roles.contains(&Role::Verifikator) {
        states.push(UsulanState::Submitted);
    }
    if roles.contains(&Role::Approver) {
        states.push(UsulanState::Verified);
    }
    states
}

/// Whether `row` waits for a step `user` may take (own agency, not their own proposal).
pub fn waits_for(user: &AuthUser, row: &UsulanRow) -> bool {
    row.instansi_id == user.instansi_id
        && row.usulan.nip.as_str() != user.nip
        && row.usulan.action.needs_review()
        && waiting_states(&user.roles).contains(&row.usulan.state)
}

/// Record that a proposal's review status changed (read by the agency's reviewers).
pub async fn log_review(tx: &mut WriteTx<'_>, instansi_id: &str, usulan_id: &str) -> Result<(), ServerError> {
    db::log_change(tx, Some(&db::agency_scope(instansi_id)), ENTITY_REVIEW, usulan_id).await?;
    Ok(())
}

/// After a role change of `nip`: their next pull re-evaluates every proposal of the agency that waits for any
/// reviewer (the queue appears on a grant, its items go on a revoke).
pub async fn log_queue_for(tx: &mut WriteTx<'_>, nip: &str, instansi_id: &str) -> Result<(), ServerError> {
    let mut entries = Vec::new();
    for state in [UsulanState::Submitted, UsulanState::Verified] {
        for id in usulan_db::ids_by_state(tx, instansi_id, state).await? {
            entries.push((nip.to_owned(), ENTITY_REVIEW, id));
        }
    }
    db::log_changes(tx, &entries).await
}

/// The record a change or deletion concerns.
fn target_record(action: &UsulanAction) -> Option<&str> {
    match action {
        UsulanAction::ChangeHistory { record_id, .. } | UsulanAction::DeleteHistory { record_id, .. } => {
            Some(record_id)
        }
        _ => None,
    }
}

/// Review items for `rows`: one query for the profiles, one for the official records.
pub async fn build_items(conn: &mut AnyConnection, rows: Vec<UsulanRow>) -> Result<Vec<ReviewItem>, ServerError> {
    let mut nips: Vec<&str> = rows.iter().map(|r| r.usulan.nip.as_str()).collect();
    nips.sort_unstable();
    nips.dedup();
    let profiles: HashMap<String, _> =
        records::get_profiles(conn, &nips).await?.into_iter().map(|p| (p.nip.as_str().to_owned(), p)).collect();
    let record_ids: Vec<&str> = rows.iter().filter_map(|r| target_record(&r.usulan.action)).collect();
    let official: HashMap<String, _> = if record_ids.is_empty() {
        HashMap::new()
    } else {
        records::get_histories_any(conn, &record_ids)
            .await?
            .into_iter()
            .filter(|h| !h.deleted)
            .map(|h| (h.record.id.clone(), h.record))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let (asn_nama, unor_nama) = match profiles.get(row.usulan.nip.as_str()) {
                Some(p) => (p.full_name(), p.unor_nama.clone()),
                None => (row.usulan.nip.to_string(), String::new()),
            };
            let official = target_record(&row.usulan.action).and_then(|id| official.get(id).cloned());
            let deadline = Some(row.usulan.updated_at + Duration::days(REVIEW_DEADLINE_DAYS));
            ReviewItem { usulan: row.usulan, asn_nama, unor_nama, deadline, official, base: row.base }
        })
        .collect())
}

/// Filters of the HTTP queue.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// A history kind (`jabatan`, `golongan`, `pendidikan`).
    pub kind: Option<String>,
    pub unor: Option<String>,
}

/// `GET /api/v1/review/queue`: the same items as the pull feed, soonest deadline first.
pub async fn queue(pool: &AnyPool, reviewer: &AuthUser, filter: &QueueFilter) -> Result<ReviewQueue, ServerError> {
    let states = waiting_states(&reviewer.roles);
    if states.is_empty() {
        return Err(ServerError::api(Code::ReviewNotReviewer));
    }
    let mut conn = pool.acquire().await?;
    let mut ids = Vec::new();
    for state in states {
        ids.extend(usulan_db::ids_by_state(&mut conn, &reviewer.instansi_id, state).await?);
    }
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let rows = usulan_db::get_many_in_agency(&mut conn, &reviewer.instansi_id, &id_refs)
        .await?
        .into_iter()
        .filter(|r| waits_for(reviewer, r))
        .filter(|r| match filter.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(kind) => r.usulan.action.history_kind().is_some_and(|k| k.as_str() == kind),
            None => true,
        })
        .collect();
    let mut items = build_items(&mut conn, rows).await?;
    if let Some(unor) = filter.unor.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        items.retain(|i| i.unor_nama == unor);
    }
    items.sort_by(|a, b| a.deadline.cmp(&b.deadline).then_with(|| a.usulan.id.cmp(&b.usulan.id)));
    Ok(ReviewQueue { items })
}

/// The pull feed's review changes for the `ids` of logged review entries, by usulan id. On a first sync
/// (`first`) proposals that do not wait for the user are left out rather than sent as removals.
pub async fn feed_changes(
    conn: &mut AnyConnection,
    user: &AuthUser,
    ids: &[&str],
    first: bool,
) -> Result<HashMap<String, Change>, ServerError> {
    let rows = usulan_db::get_many_in_agency(conn, &user.instansi_id, ids).await?;
    let (waiting, gone): (Vec<UsulanRow>, Vec<UsulanRow>) = rows.into_iter().partition(|r| waits_for(user, r));
    let mut out = HashMap::with_capacity(ids.len());
    if !first {
        // Unknown ids (another agency after a move) are gone too.
        for id in ids {
            out.insert((*id).to_owned(), Change::ReviewItemGone { usulan_id: (*id).to_owned() });
        }
        for r in gone {
            out.insert(r.usulan.id.clone(), Change::ReviewItemGone { usulan_id: r.usulan.id.clone() });
        }
    }
    for item in build_items(conn, waiting).await? {
        out.insert(item.usulan.id.clone(), Change::ReviewItem { item: Box::new(item) });
    }
    Ok(out)
}
