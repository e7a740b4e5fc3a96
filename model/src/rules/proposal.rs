//! Rules that look beyond one record: who may propose in a category, the documents it needs, the record a
//! change refers to, the golongan order and the one-time edit rule. One entry point, [`check_proposal`],
//! used by the device before queueing and by the server on receipt.

use std::collections::HashMap;

use crate::document::{is_sha256_hex, DocumentMime, DocumentRef};
use crate::history::{HistoryData, HistoryKind, HistoryRecord};
use crate::rules::RuleContext;
use crate::usulan::UsulanAction;
use crate::Code;
use crate::Violation;

/// What the rules need to know of the ASN's record besides the proposal.
#[derive(Debug, Default)]
pub struct RecordFacts<'a> {
    /// The ASN's official history records.
    pub official: &'a [HistoryRecord],
    /// For each record id: how many other proposals (pending or approved) changed it already.
    pub changes_before: HashMap<String, u32>,
}

/// Every rule a proposal must satisfy before it is queued (device) or accepted (server).
pub fn check_proposal(
    action: &UsulanAction,
    documents: &[DocumentRef],
    ctx: &RuleContext,
    facts: &RecordFacts,
) -> Vec<Violation> {
    let mut out = action.validate(ctx);
    let Some(kind) = action.history_kind() else {
        if !documents.is_empty() && !action.needs_review() {
            out.push(Code::DocumentNotExpected.violation("documents"));
        }
        return out;
    };
    let rule = kind.rule();
    if !rule.asn_may_propose {
        out.push(Code::KindReadOnly.violation("kind"));
        return out;
    }
    match action {
        UsulanAction::AddHistory { data } => {
            check_documents(kind, documents, &mut out);
            check_golongan_order(data, None, facts.official, &mut out);
        }
        UsulanAction::ChangeHistory { record_id, data } => {
            check_target(record_id, kind, facts.official, &mut out);
            check_documents(kind, documents, &mut out);
            check_golongan_order(data, Some(record_id), facts.official, &mut out);
            let before = facts.changes_before.get(record_id).copied().unwrap_or(0);
            if rule.max_changes_per_record.is_some_and(|max| before >= max) {
                out.push(Code::RecordEditLimit.violation("record_id"));
            }
        }
        UsulanAction::DeleteHistory { record_id, .. } => check_target(record_id, kind, facts.official, &mut out),
        UsulanAction::ChangeOwnerFields { .. } | UsulanAction::ChangeVerifiedFields { .. } => {}
    }
    out
}

/// A change or deletion must name an official record of the same kind.
fn check_target(record_id: &str, kind: HistoryKind, official: &[HistoryRecord], out: &mut Vec<Violation>) {
    match official.iter().find(|r| r.id == record_id) {
        None => out.push(Code::RecordNotFound.violation("record_id")),
        Some(r) if r.data.kind() != kind => out.push(Code::RecordKindMismatch.violation("record_id")),
        Some(_) => {}
    }
}

/// Each mandatory document of the kind is attached; each attached one belongs to the kind and has a content
/// type the kind accepts.
fn check_documents(kind: HistoryKind, documents: &[DocumentRef], out: &mut Vec<Violation>) {
    let rule = kind.rule();
    for d in documents {
        let field = format!("documents.{}", d.dokumen_id);
        match rule.documents.iter().find(|r| r.dokumen_id == d.dokumen_id) {
            None => out.push(Code::DocumentWrongType.violation(&field)),
            Some(r) if d.mime == DocumentMime::Jpeg && !r.allow_jpeg => {
                out.push(Code::DocumentPdfRequired.violation(&field))
            }
            Some(_) => {}
        }
        if !is_sha256_hex(&d.sha256) {
            out.push(Code::DocumentInvalidRef.violation(&field));
        }
    }
    for r in rule.documents.iter().filter(|r| r.mandatory) {
        if !documents.iter().any(|d| d.dokumen_id == r.dokumen_id) {
            out.push(Code::DocumentRequired.violation(&format!("documents.{}", r.dokumen_id)));
        }
    }
}

/// Golongan rises with time: ordered by TMT, each record's golongan is higher than the one before.
fn check_golongan_order(
    data: &HistoryData,
    replacing: Option<&String>,
    official: &[HistoryRecord],
    out: &mut Vec<Violation>,
) {
    let HistoryData::Golongan(new) = data else { return };
    let mut all: Vec<(chrono::NaiveDate, &str)> = official
        .iter()
        .filter(|r| Some(&r.id) != replacing)
        .filter_map(|r| match &r.data {
            HistoryData::Golongan(g) => Some((g.tmt_golongan, g.golongan_id.as_str())),
            _ => None,
        })
        .collect();
    all.push((new.tmt_golongan, new.golongan_id.as_str()));
    all.sort();
    if all.windows(2).any(|w| w[0].1 >= w[1].1) {
        out.push(Code::GolonganOrder.violation("record.golongan_id"));
    }
}
