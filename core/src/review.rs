//! The reviewer's work queue, read from the local database (works offline), and decisions taken offline: a
//! local pending decision and its outbox row in one transaction.

use chrono::Utc;
use mysapk_model::catalog::Catalogs;
use mysapk_model::history::HistoryKind;
use mysapk_model::rules::RuleContext;
use mysapk_model::sync::MutationOp;
use mysapk_model::usulan::Decision;
use mysapk_model::view::{LocalReviewItem, ReviewFilter, ReviewQueueView};
use mysapk_model::Code;
use rusqlite::Connection;

use crate::error::CoreError;
use crate::store::{catalogs, outbox, review};
use crate::Core;

fn local_item(conn: &Connection, stored: review::StoredItem) -> Result<LocalReviewItem, CoreError> {
    let codes = Catalogs(catalogs::all(conn)?);
    let owner = stored.item.usulan.nip.clone();
    let ctx = RuleContext::new(&codes, Utc::now().date_naive()).for_owner(&owner);
    let checks = stored.item.usulan.action.validate(&ctx);
    Ok(LocalReviewItem { item: stored.item, decision: stored.decision, checks, gone: stored.gone })
}

impl Core {
    /// The work queue from the local database: soonest deadline first, with the local decision of each item
    /// and what the model's rules say of the proposed content.
    pub fn review_queue(&self, filter: &ReviewFilter) -> Result<ReviewQueueView, CoreError> {
        let account = self.require()?;
        account.store.read(|c| {
            let kind = filter.kind.map(HistoryKind::as_str);
            let unor = filter.unor_nama.as_deref().filter(|u| !u.is_empty());
            let items =
                review::visible(c, kind, unor)?.into_iter().map(|s| local_item(c, s)).collect::<Result<Vec<_>, _>>()?;
            Ok(ReviewQueueView { items, units: review::units(c)? })
        })
    }

    /// Take a decision (offline too): checked against the workflow table with the item's state and the user's
    /// roles (and the separation of duties: never the approver's step on a proposal this user verified), then saved with its outbox row in one transaction; the sync loop sends it.
    pub fn decide(
        &self,
        usulan_id: &str,
        decision: Decision,
        reason: Option<String>,
    ) -> Result<LocalReviewItem, CoreError> {
        let account = self.require()?;
        let reason = reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
        let saved = account.store.write(|tx| {
            let stored =
                review::get(tx, usulan_id)?.filter(|s| !s.gone).ok_or(CoreError::NotFound(Code::ReviewNotFound))?;
            if stored.decision.as_ref().is_some_and(|d| d.queued || d.refusal.is_none()) {
                return Err(CoreError::Validation(vec![Code::DecisionPending.violation("decision")]));
            }
            let from = stored.item.usulan.state;
            let usulan = &stored.item.usulan;
            mysapk_model::usulan::decide_on(
                usulan,
                &account.user.nip,
                decision,
                &account.user.roles,
                reason.as_deref(),
            )
            .map_err(|v| CoreError::Validation(vec![v]))?;
            let m = outbox::enqueue(
                tx,
                MutationOp::Decide {
                    usulan_id: usulan_id.to_owned(),
                    decision,
                    reason: reason.clone(),
                    expected_state: Some(from),
                },
            )?;
            review::insert_decision(tx, usulan_id, decision, reason.as_deref(), from, &m.id, Utc::now())?;
            let stored = review::get(tx, usulan_id)?.ok_or(CoreError::NotFound(Code::ReviewNotFound))?;
            local_item(tx, stored)
        })?;
        // The decision is taken: the documents opened to take it go (the server keeps them).
        let shas: Vec<String> = saved.item.usulan.documents.iter().map(|d| d.sha256.clone()).collect();
        crate::documents::drop_cached(&account, Some(&shas))?;
        self.after_local_write(&account)?;
        Ok(saved)
    }
}
