//! Rules that look beyond one record: who may propose in a category, the documents it needs, the record a
//! change refers to, the golongan order and the one-time edit rule. One entry point, [`check_proposal`],
//! used by the device before queueing and by the server on receipt.

use std::collections::HashMap;

use crate::document::{is_sha256_hex, DocumentMime, DocumentRef};
use crate::history::{HistoryData, HistoryKind, HistoryRecord};
use crate::rules::RuleContext;
use crate::usulan::UsulanAction;
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
            out.push(Violation::new(
                "document.not_expected",
                "documents",
                "Data ini tidak memerlukan dokumen.",
                "This change takes no documents.",
            ));
        }
        return out;
    };
    let rule = kind.rule();
    if !rule.asn_may_propose {
        out.push(Violation::new(
            "kind.read_only",
            "kind",
            "Data ini hanya dapat diubah oleh instansi.",
            "Only the agency can change this data.",
        ));
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
                out.push(Violation::new(
                    "record.edit_limit",
                    "record_id",
                    "Riwayat ini sudah pernah diubah; perubahan hanya boleh sekali.",
                    "This record was changed before; it may be changed only once.",
                ));
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
        None => out.push(Violation::new(
            "record.not_found",
            "record_id",
            "Riwayat yang diubah tidak ditemukan.",
            "The record to change was not found.",
        )),
        Some(r) if r.data.kind() != kind => out.push(Violation::new(
            "record.kind_mismatch",
            "record_id",
            "Riwayat yang diubah berjenis lain.",
            "The record to change is of another kind.",
        )),
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
            None => out.push(Violation::new(
                "document.wrong_type",
                &field,
                "Jenis dokumen ini bukan untuk data ini.",
                "This document type does not belong to this data.",
            )),
            Some(r) if d.mime == DocumentMime::Jpeg && !r.allow_jpeg => out.push(Violation::new(
                "document.pdf_required",
                &field,
                "Dokumen ini harus berupa PDF.",
                "This document must be a PDF.",
            )),
            Some(_) => {}
        }
        if !is_sha256_hex(&d.sha256) {
            out.push(Violation::new(
                "document.invalid_ref",
                &field,
                "Rujukan dokumen rusak.",
                "Broken document reference.",
            ));
        }
    }
    for r in rule.documents.iter().filter(|r| r.mandatory) {
        if !documents.iter().any(|d| d.dokumen_id == r.dokumen_id) {
            out.push(Violation::new(
                "document.required",
                &format!("documents.{}", r.dokumen_id),
                &format!("Dokumen {} wajib dilampirkan.", r.nama),
                &format!("The document {} is required.", r.nama),
            ));
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
        out.push(Violation::new(
            "golongan.order",
            "record.golongan_id",
            "Golongan harus naik mengikuti TMT: golongan yang lebih baru harus lebih tinggi.",
            "Golongan must rise with its TMT: a later record must hold a higher golongan.",
        ));
    }
}
