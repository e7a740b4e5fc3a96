//! `Propose`: a new usulan, or the correction of a returned one under its own id, checked on receipt with every
//! rule of [`check_proposal`] (whatever the device checked); a correction must also pass [`check_resubmit`]
//! (only a returned usulan, for the same kind of change, category and record).

use chrono::Utc;
use mysapk_model::catalog::Catalogs;
use mysapk_model::document::DocumentRef;
use mysapk_model::rules::proposal::{check_proposal, RecordFacts};
use mysapk_model::rules::resubmit::check_resubmit;
use mysapk_model::rules::RuleContext;
use mysapk_model::usulan::{Usulan, UsulanAction, UsulanEvent, UsulanState};
use mysapk_model::{Code, Nip, Violation};
use serde_json::json;
use sqlx::AnyConnection;

use super::{usulan_not_found, Applied};
use crate::auth::AuthUser;
use crate::db::{self, documents as documents_db, records, usulan as usulan_db, WriteTx, ENTITY_USULAN};
use crate::error::ServerError;
use crate::review;
use crate::workflow;

/// What a `Propose` mutation carries.
pub(super) struct Proposal<'a> {
    pub usulan_id: &'a str,
    pub action: &'a UsulanAction,
    pub documents: &'a [DocumentRef],
}

/// Most documents one proposal may carry.
pub const MAX_DOCUMENTS: usize = 20;

fn document_missing(dokumen_id: &str) -> Violation {
    Code::DocumentMissing.violation(&format!("documents.{dokumen_id}"))
}

/// Each document must be complete on the server and owned by the proposer. Returns the references with the
/// content type and size the server measured (never the device's claim).
async fn checked_documents(
    conn: &mut AnyConnection,
    nip: &str,
    documents: &[DocumentRef],
) -> Result<Result<Vec<DocumentRef>, Violation>, ServerError> {
    if documents.len() > MAX_DOCUMENTS {
        return Ok(Err(Code::DocumentTooMany.violation("documents")));
    }
    let mut out = Vec::with_capacity(documents.len());
    for d in documents {
        let stored = if mysapk_model::document::is_sha256_hex(&d.sha256)
            && documents_db::is_owner(conn, &d.sha256, nip).await?
        {
            documents_db::get(conn, &d.sha256).await?
        } else {
            None
        };
        let Some(stored) = stored else {
            return Ok(Err(document_missing(&d.dokumen_id)));
        };
        let mut d = d.clone();
        d.mime = stored.mime;
        d.size = stored.size;
        d.file_name = d.file_name.chars().take(200).collect();
        out.push(d);
    }
    Ok(Ok(out))
}

/// Submit a new usulan, or resubmit a returned one under the same id; the same rules either way.
pub(super) async fn propose_usulan(
    tx: &mut WriteTx<'_>,
    user: &AuthUser,
    device: &str,
    proposal: &Proposal<'_>,
    codes: &Catalogs,
) -> Applied {
    let Proposal { usulan_id, action, documents } = *proposal;
    if usulan_id.trim().is_empty() || usulan_id.len() > 100 {
        return Ok(Err(Code::FieldRequired.violation("usulan_id")));
    }
    let Ok(nip) = Nip::parse(&user.nip) else {
        return Err(ServerError::internal("stored NIP is not valid"));
    };
    let existing = usulan_db::get(tx, usulan_id).await?;
    let resubmit = match &existing {
        None => None,
        Some(row) if row.usulan.nip.as_str() != user.nip => return Ok(Err(usulan_not_found())),
        Some(row) => {
            if let Some(v) = check_resubmit(row.usulan.state, &row.usulan.action, action).into_iter().next() {
                return Ok(Err(v));
            }
            Some(row.usulan.clone())
        }
    };
    let documents = match checked_documents(tx, &user.nip, documents).await? {
        Ok(d) => d,
        Err(v) => return Ok(Err(v)),
    };
    // Every rule, on the server's own view of the record.
    let official = records::list_history(tx, &user.nip).await?;
    // Only a change of a kind with an edit limit needs the count of earlier changes of its record.
    let changes_before = match action {
        UsulanAction::ChangeHistory { record_id, data } if data.kind().rule().max_changes_per_record.is_some() => {
            let n = usulan_db::changes_before(tx, &user.nip, record_id, usulan_id).await?;
            std::collections::HashMap::from([(record_id.clone(), n)])
        }
        _ => std::collections::HashMap::new(),
    };
    let facts = RecordFacts { official: &official, changes_before };
    let violations = {
        // `RuleContext` holds a `&dyn CodeBook` (not `Sync`): keep it out of the awaits below.
        let ctx = RuleContext::new(codes, Utc::now().date_naive()).for_owner(&nip);
        check_proposal(action, &documents, &ctx, &facts)
    };
    if let Some(v) = violations.into_iter().next() {
        return Ok(Err(v));
    }
    // The base snapshot: the official record a change or deletion concerns, as it is now.
    let base = workflow::target_record(action).and_then(|id| official.iter().find(|r| r.id == id)).cloned();
    let now = Utc::now();
    let submitted = UsulanEvent { at: now, actor_nip: user.nip.clone(), state: UsulanState::Submitted, reason: None };
    let mut u = match resubmit.clone() {
        Some(mut u) => {
            u.action = action.clone();
            u.documents.clone_from(&documents);
            u.state = UsulanState::Submitted;
            u.updated_at = now;
            u.events.push(submitted);
            u
        }
        None => Usulan {
            id: usulan_id.to_owned(),
            nip,
            action: action.clone(),
            state: UsulanState::Submitted,
            reason: None,
            created_at: now,
            updated_at: now,
            events: vec![submitted],
            documents: documents.clone(),
            siasn: None,
        },
    };
    if let UsulanAction::ChangeOwnerFields { fields } = action {
        u.state = UsulanState::Approved;
        u.events.push(UsulanEvent { at: now, actor_nip: user.nip.clone(), state: UsulanState::Approved, reason: None });
        workflow::apply_owner_fields(tx, &u, fields, &user.nip, Some(device)).await?;
    }
    match resubmit {
        Some(_) => {
            if !usulan_db::update_if_state(tx, &u, UsulanState::Returned).await? {
                return Err(ServerError::api(Code::UsulanConflict));
            }
        }
        None => usulan_db::insert(tx, &u, &user.instansi_id).await?,
    }
    usulan_db::set_base(tx, &u.id, base.as_ref()).await?;
    documents_db::set_usulan_documents(tx, &u.id, &documents).await?;
    db::log_change(tx, Some(&user.nip), ENTITY_USULAN, &u.id).await?;
    if u.action.needs_review() {
        review::log_review(tx, &user.instansi_id, &u.id).await?;
    }
    let what = if existing.is_some() { "usulan.resubmit" } else { "usulan.submit" };
    let shas: Vec<&str> = documents.iter().map(|d| d.sha256.as_str()).collect();
    db::audit(
        tx,
        db::Audit {
            actor: &user.nip,
            action: what,
            entity: ENTITY_USULAN,
            entity_id: &u.id,
            subject: Some(&user.nip),
            instansi: Some(&user.instansi_id),
            device: Some(device),
            details: json!({"action": u.action, "state": u.state, "documents": shas}),
            ..db::Audit::default()
        },
    )
    .await?;
    Ok(Ok(()))
}
