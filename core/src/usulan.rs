//! Proposing: every rule of the model ([`check_proposal`]) runs on the device with the local record and the
//! synced catalogs before anything is queued; the proposal and its outbox row are saved in one transaction.
//! A returned proposal is edited and queued again under its own id; a category is confirmed locally at once.

use std::collections::HashMap;

use chrono::Utc;
use mysapk_model::catalog::Catalogs;
use mysapk_model::document::DocumentRef;
use mysapk_model::history::HistoryKind;
use mysapk_model::rules::proposal::{check_proposal, RecordFacts};
use mysapk_model::rules::resubmit::check_resubmit;
use mysapk_model::rules::RuleContext;
use mysapk_model::sync::MutationOp;
use mysapk_model::usulan::{UsulanAction, UsulanState};
use mysapk_model::view::LocalUsulan;
use mysapk_model::Code;
use mysapk_model::{Nip, Violation};
use rusqlite::Connection;

use crate::documents::missing;
use crate::error::CoreError;
use crate::store::{catalogs, confirmations, documents, outbox, records, usulan};
use crate::Core;

/// The documents as this device stored them (type and size from the content, not from the caller). A
/// document the device does not hold is refused, unless `earlier` (the proposal's current documents, which the
/// server holds) has it.
fn local_documents(
    conn: &Connection,
    documents: &[DocumentRef],
    earlier: &[DocumentRef],
    violations: &mut Vec<Violation>,
) -> Result<Vec<DocumentRef>, CoreError> {
    let mut out = Vec::with_capacity(documents.len());
    for d in documents {
        match documents::get(conn, &d.sha256)? {
            Some(stored) => out.push(DocumentRef { mime: stored.mime, size: stored.size, ..d.clone() }),
            None => match earlier.iter().find(|e| e.sha256 == d.sha256) {
                Some(e) => {
                    documents::insert_on_server(conn, e, false)?;
                    out.push(DocumentRef { dokumen_id: d.dokumen_id.clone(), ..e.clone() });
                }
                None => {
                    violations.push(missing(&d.dokumen_id));
                    out.push(d.clone());
                }
            },
        }
    }
    Ok(out)
}

/// Every rule with the local record: content, category, documents, target record, golongan order, one-time
/// edits (counting the other proposals of this device, `except` the one being resubmitted). Only the records the
/// rules look at are read: those of the proposal's kind and the record it targets.
fn check(
    conn: &Connection,
    owner: Option<&Nip>,
    action: &UsulanAction,
    documents: &[DocumentRef],
    except: Option<&str>,
) -> Result<Vec<Violation>, CoreError> {
    let codes = Catalogs(catalogs::all(conn)?);
    let mut ctx = RuleContext::new(&codes, Utc::now().date_naive());
    if let Some(nip) = owner {
        ctx = ctx.for_owner(nip);
    }
    let mut official = match action.history_kind() {
        Some(kind) => records::history_of(conn, kind)?,
        None => Vec::new(),
    };
    let mut changes_before: HashMap<String, u32> = HashMap::new();
    if let UsulanAction::ChangeHistory { record_id, .. } | UsulanAction::DeleteHistory { record_id, .. } = action {
        if !official.iter().any(|r| r.id == *record_id) {
            official.extend(records::history_by_id(conn, record_id)?);
        }
        changes_before.insert(record_id.clone(), usulan::changes_of(conn, record_id, except)?);
    }
    Ok(check_proposal(action, documents, &ctx, &RecordFacts { official: &official, changes_before }))
}

impl Core {
    /// Check every rule, then save the proposal and its outbox row in one transaction, and nudge the sync loop.
    /// Documents must have been attached with [`Core::attach_document`]; they are uploaded before it is sent.
    pub fn propose(&self, action: UsulanAction, documents: Vec<DocumentRef>) -> Result<LocalUsulan, CoreError> {
        let account = self.require()?;
        let owner = Nip::parse(&account.user.nip).ok();
        let saved = account.store.write(|tx| {
            let mut violations = Vec::new();
            let documents = local_documents(tx, &documents, &[], &mut violations)?;
            violations.extend(check(tx, owner.as_ref(), &action, &documents, None)?);
            if !violations.is_empty() {
                return Err(CoreError::Validation(violations));
            }
            let id = uuid::Uuid::now_v7().to_string();
            usulan::insert_queued(tx, &id, &action, &documents, Utc::now())?;
            outbox::enqueue(tx, MutationOp::Propose { usulan_id: id.clone(), action: action.clone(), documents })?;
            usulan::get(tx, &id)?.ok_or(CoreError::NotFound(Code::UsulanNotFound))
        })?;
        self.after_local_write(&account)?;
        Ok(saved.usulan)
    }

    /// Correct a returned proposal and queue it again under the same id (the server accepts that for a returned
    /// one). Its history of events stays; the documents it had may be kept without being on this device.
    pub fn resubmit(
        &self,
        usulan_id: &str,
        action: UsulanAction,
        documents: Vec<DocumentRef>,
    ) -> Result<LocalUsulan, CoreError> {
        let account = self.require()?;
        let owner = Nip::parse(&account.user.nip).ok();
        let saved = account.store.write(|tx| {
            let current = usulan::get(tx, usulan_id)?.ok_or(CoreError::NotFound(Code::UsulanNotFound))?;
            let mut violations = check_resubmit(current.usulan.state, &current.usulan.action, &action);
            if current.usulan.state != UsulanState::Returned {
                // Nothing else is worth checking on a proposal that cannot be corrected.
                return Err(CoreError::Validation(violations));
            }
            let documents = local_documents(tx, &documents, &current.usulan.documents, &mut violations)?;
            violations.extend(check(tx, owner.as_ref(), &action, &documents, Some(usulan_id))?);
            if !violations.is_empty() {
                return Err(CoreError::Validation(violations));
            }
            usulan::requeue(tx, usulan_id, &action, &documents, Utc::now())?;
            outbox::enqueue(
                tx,
                MutationOp::Propose { usulan_id: usulan_id.to_owned(), action: action.clone(), documents },
            )?;
            usulan::get(tx, usulan_id)?.ok_or(CoreError::NotFound(Code::UsulanNotFound))
        })?;
        self.after_local_write(&account)?;
        Ok(saved.usulan)
    }

    /// The ASN confirms a category as correct ("data sudah sesuai"): shown at once, queued for the server, and
    /// kept locally until the pulled profile carries it. Confirming again changes nothing.
    pub fn confirm_category(&self, kind: HistoryKind) -> Result<(), CoreError> {
        let account = self.require()?;
        let queued = account.store.write(|tx| {
            let pulled = records::profile(tx)?.is_some_and(|p| p.confirmed_kinds.contains(&kind));
            if pulled || confirmations::all(tx)?.contains(&kind) {
                return Ok(false);
            }
            confirmations::insert(tx, kind)?;
            outbox::enqueue(tx, MutationOp::ConfirmCategory { kind })?;
            Ok(true)
        })?;
        if queued {
            self.after_local_write(&account)?;
        }
        Ok(())
    }
}
