//! Applying what the server said: a pull page, or the results of a push. Each in one transaction.

use mysapk_model::notification::Notification;
use mysapk_model::sync::{Change, MutationOp, MutationOutcome, PullResponse, PushResponse};
use rusqlite::Connection;

use crate::error::CoreError;
use crate::store::{assessments, catalogs, confirmations, meta, notifications, outbox, records, review, usulan};

/// Apply one pull page and store its cursor. Returns the notifications the device had not seen before.
/// Applying the same page twice changes nothing more.
pub(crate) fn apply_page(conn: &Connection, page: &PullResponse) -> Result<Vec<Notification>, CoreError> {
    let mut fresh = Vec::new();
    for change in &page.changes {
        match change {
            Change::Profile { profile } => {
                records::upsert_profile(conn, profile)?;
                confirmations::pulled(conn, &profile.confirmed_kinds)?;
                if let Some(id) = &profile.last_usulan_id {
                    usulan::mark_applied(conn, id)?;
                }
            }
            Change::History { record } => {
                records::upsert_history(conn, record)?;
                if let Some(id) = &record.last_usulan_id {
                    usulan::mark_applied(conn, id)?;
                }
            }
            Change::HistoryDeleted { id, .. } => {
                records::delete_history(conn, id)?;
                usulan::mark_deletes_applied(conn, id)?;
            }
            Change::Usulan { usulan: u } => usulan::upsert_from_server(conn, u)?,
            Change::Notification { notification } => {
                if notifications::upsert(conn, notification)? && !notification.read {
                    fresh.push(notification.clone());
                }
            }
            Change::Catalog { catalog } => catalogs::upsert(conn, catalog)?,
            Change::ReviewItem { item } => review::upsert_item(conn, item)?,
            Change::ReviewItemGone { usulan_id } => review::item_gone(conn, usulan_id)?,
            Change::Assessment { assessment } => assessments::upsert(conn, assessment)?,
        }
    }
    meta::set(conn, meta::CURSOR, &page.cursor)?;
    Ok(fresh)
}

/// Apply a push response: drop every processed mutation from the outbox and record refusals on the proposals.
/// Returns how many outbox rows were processed.
pub(crate) fn apply_push(conn: &Connection, response: &PushResponse) -> Result<usize, CoreError> {
    let mut processed = 0;
    for result in &response.results {
        let Some(m) = outbox::get(conn, &result.id)? else {
            continue;
        };
        match (&result.outcome, &m.op) {
            (MutationOutcome::Applied | MutationOutcome::AlreadyProcessed, MutationOp::Propose { usulan_id, .. }) => {
                usulan::mark_received(conn, usulan_id)?;
            }
            (MutationOutcome::Rejected { violation }, MutationOp::Propose { usulan_id, .. }) => {
                usulan::mark_refused(conn, usulan_id, violation)?;
            }
            (MutationOutcome::Rejected { violation }, MutationOp::Withdraw { usulan_id }) => {
                usulan::withdraw_refused(conn, usulan_id, violation)?;
            }
            (MutationOutcome::Applied | MutationOutcome::AlreadyProcessed, MutationOp::Decide { .. }) => {
                review::decision_sent(conn, &m.id)?;
            }
            (MutationOutcome::Rejected { violation }, MutationOp::Decide { usulan_id, .. }) => {
                tracing::info!(usulan_id, code = violation.code, "decision refused");
                review::decision_refused(conn, &m.id, violation)?;
            }
            (MutationOutcome::Rejected { violation }, MutationOp::ConfirmCategory { kind }) => {
                tracing::warn!(kind = kind.as_str(), code = violation.code, "confirmation refused");
                confirmations::remove(conn, *kind)?;
            }
            (MutationOutcome::Rejected { violation }, MutationOp::MarkNotificationRead { notification_id }) => {
                tracing::warn!(notification_id, code = violation.code, "mark-read refused");
            }
            _ => {}
        }
        outbox::remove(conn, &m.id)?;
        processed += 1;
    }
    if processed > 0 {
        outbox::clear_failures(conn)?;
    }
    Ok(processed)
}
