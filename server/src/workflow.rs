//! The proposal workflow on the server: reviewer decisions and applying approved changes to the record.

use chrono::{DateTime, SecondsFormat, Utc};
use mysapk_model::history::{Golongan, Jabatan};
use mysapk_model::history::{HistoryData, HistoryRecord};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::{OwnerFields, Profile, VerifiedFields};
use mysapk_model::review::DecisionRequest;
use mysapk_model::siasn::reference::keep_official_ids;
use mysapk_model::usulan::{decide_on, Decision, Usulan, UsulanAction, UsulanEvent, UsulanState, TRANSITIONS};
use mysapk_model::Code;
use mysapk_model::Violation;
use serde_json::json;
use sqlx::AnyPool;

use crate::auth::AuthUser;
use crate::db::{self, records, usulan as usulan_db, AfterCommit, WriteTx};
use crate::db::{ENTITY_HISTORY, ENTITY_NOTIFICATION, ENTITY_PROFILE, ENTITY_USULAN};
use crate::error::ServerError;
use crate::review;

/// A refused decision: the violation (code, field, explanation); its code's kind says how HTTP answers it.
pub type Refusal = Violation;

fn not_found() -> Refusal {
    Code::UsulanNotFound.violation("usulan_id")
}

/// The wire name of a decision (`verify`, `approve`, `return`, `reject`).
pub fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Verify => "verify",
        Decision::Approve => "approve",
        Decision::Return => "return",
        Decision::Reject => "reject",
    }
}

fn when(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Why a decision lost a race, if it did: the ASN withdrew it, or a reviewer already moved it.
fn explain_conflict(u: &Usulan) -> Option<Refusal> {
    let last = u.events.last()?;
    if u.state == UsulanState::Withdrawn {
        return Some(Violation::new(
            Code::DecisionWithdrawn,
            "usulan_id",
            &format!("ASN {} menarik usulan ini pada {}.", last.actor_nip, when(last.at)),
            &format!("The ASN {} withdrew this proposal at {}.", last.actor_nip, when(last.at)),
        ));
    }
    if matches!(
        last.state,
        UsulanState::Verified | UsulanState::Approved | UsulanState::Returned | UsulanState::Rejected
    ) && last.actor_nip != u.nip.as_str()
    {
        let state = last.state.as_str();
        return Some(Violation::new(
            Code::DecisionAlreadyDecided,
            "usulan_id",
            &format!("Usulan sudah diputuskan: {state} oleh NIP {} pada {}.", last.actor_nip, when(last.at)),
            &format!("Already decided: {state} by NIP {} at {}.", last.actor_nip, when(last.at)),
        ));
    }
    None
}

/// Take a reviewer decision over HTTP: [`decide_in`] in its own transaction (refusals are audited too).
pub async fn decide_usulan(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    reviewer: &AuthUser,
    usulan_id: &str,
    req: &DecisionRequest,
    device: Option<&str>,
) -> Result<Usulan, ServerError> {
    let mut tx = db::begin_write(pool, after).await?;
    let outcome = decide_in(&mut tx, reviewer, usulan_id, req, device).await?;
    tx.commit().await?;
    outcome.map_err(ServerError::rule)
}

/// Take a reviewer decision in the caller's transaction (HTTP and push share it); approval applies the change.
///
/// `Ok(Err(refusal))`: refused. Authorization refusals (`usulan.not_found` for another agency,
/// `decision.own_proposal`, `decision.wrong_role`, `decision.same_reviewer`) write nothing; every other refusal of a reviewer of the
/// agency (`decision.already_decided`, `decision.withdrawn`, `decision.base_changed`, `decision.wrong_state`,
/// `decision.reason_required`) is appended to the audit log as `usulan.decision_refused`.
pub async fn decide_in(
    tx: &mut WriteTx<'_>,
    reviewer: &AuthUser,
    usulan_id: &str,
    req: &DecisionRequest,
    device: Option<&str>,
) -> Result<Result<Usulan, Refusal>, ServerError> {
    // Another agency's proposal does not exist for this reviewer.
    let Some(row) = usulan_db::get(tx, usulan_id).await?.filter(|r| r.instansi_id == reviewer.instansi_id) else {
        return Ok(Err(not_found()));
    };
    if row.usulan.nip.as_str() == reviewer.nip {
        return Ok(Err(Code::DecisionOwnProposal.violation("usulan_id")));
    }
    let from = row.usulan.state;
    // The proposal moved on since the reviewer saw it: never apply the decision to a step they did not see.
    if req.expected_state.is_some_and(|seen| seen != from) {
        let refusal = explain_conflict(&row.usulan).unwrap_or_else(|| {
            Violation::new(
                Code::DecisionAlreadyDecided,
                "usulan_id",
                &format!("Usulan sudah berpindah ke tahap {}.", from.as_str()),
                &format!("The proposal has moved on to the {} step.", from.as_str()),
            )
        });
        return refused(tx, reviewer, &row.usulan, req, device, refusal).await;
    }
    let reason = req.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    // Could these roles take this decision at some step at all?
    let entitled = TRANSITIONS.iter().any(|t| t.decision == req.decision && reviewer.roles.contains(&t.role));
    let to = match decide_on(&row.usulan, &reviewer.nip, req.decision, &reviewer.roles, reason) {
        Ok(to) => to,
        // Roles that can never take this decision: an authorization refusal (nothing is written).
        Err(_) if !entitled => return Ok(Err(wrong_role())),
        // The verifier at the approver's step: an authorization refusal too (the state is as they saw it).
        Err(v) if Code::parse(&v.code) == Some(Code::DecisionSameReviewer) => return Ok(Err(v)),
        Err(v) => {
            let refusal = match explain_conflict(&row.usulan) {
                Some(conflict) => conflict,
                None if Code::parse(&v.code) == Some(Code::DecisionWrongRole) => return Ok(Err(v)),
                None => v,
            };
            return refused(tx, reviewer, &row.usulan, req, device, refusal).await;
        }
    };
    if to == UsulanState::Approved {
        if let Some(record_id) = target_record(&row.usulan.action) {
            let official =
                records::get_history(tx, record_id).await?.filter(|h| !h.deleted && h.nip == row.usulan.nip.as_str());
            let refusal = match (&official, &row.base) {
                (None, _) => Some(Code::DecisionRecordGone.violation("usulan_id")),
                (Some(h), Some(base)) if h.record.data != base.data => {
                    Some(Code::DecisionBaseChanged.violation("usulan_id"))
                }
                _ => None,
            };
            if let Some(v) = refusal {
                return refused(tx, reviewer, &row.usulan, req, device, v).await;
            }
        }
    }
    let now = Utc::now();
    let mut u = row.usulan;
    u.state = to;
    if matches!(to, UsulanState::Returned | UsulanState::Rejected) {
        u.reason = reason.map(str::to_owned);
    }
    u.updated_at = now;
    u.events.push(UsulanEvent {
        at: now,
        actor_nip: reviewer.nip.clone(),
        state: to,
        reason: reason.map(str::to_owned),
    });
    if !usulan_db::update_if_state(tx, &u, from).await? {
        // Not reached while write transactions are serialised (see `db::begin_write`); explained all the same.
        let now_row = usulan_db::get(tx, usulan_id).await?.ok_or_else(|| ServerError::internal("usulan vanished"))?;
        let refusal =
            explain_conflict(&now_row.usulan).unwrap_or_else(|| Code::DecisionWrongState.violation("decision"));
        return refused(tx, reviewer, &now_row.usulan, req, device, refusal).await;
    }
    let owner = u.nip.as_str().to_owned();
    if to == UsulanState::Approved {
        let record_id = apply_approved(tx, &u, &reviewer.nip, device).await?;
        // Queued for SIASN in this same transaction: an approval and its forwarding commit together.
        if tx.forwards_to_siasn() {
            crate::siasn::forward::enqueue(tx, &mut u, &row.instansi_id, record_id.as_deref()).await?;
        }
    }
    db::log_change(tx, Some(&owner), ENTITY_USULAN, &u.id).await?;
    review::log_review(tx, &row.instansi_id, &u.id).await?;
    notify(tx, &u).await?;
    db::audit(
        tx,
        db::Audit {
            actor: &reviewer.nip,
            action: &format!("usulan.{}", decision_name(req.decision)),
            entity: ENTITY_USULAN,
            entity_id: &u.id,
            subject: Some(&owner),
            instansi: Some(&row.instansi_id),
            device,
            reason,
            details: json!({"decision": req.decision, "from": from, "to": to}),
        },
    )
    .await?;
    tracing::info!(usulan = %u.id, reviewer = %reviewer.nip, from = from.as_str(), to = to.as_str(), "decision");
    if to == UsulanState::Approved {
        // The record changed: its service events may have too (never fails the decision).
        crate::services::evaluate_after_approval(tx, &owner).await;
    }
    Ok(Ok(u))
}

fn wrong_role() -> Violation {
    Code::DecisionWrongRole.violation("decision")
}

/// Audit a refused attempt and return the refusal.
async fn refused(
    tx: &mut WriteTx<'_>,
    reviewer: &AuthUser,
    u: &Usulan,
    req: &DecisionRequest,
    device: Option<&str>,
    refusal: Refusal,
) -> Result<Result<Usulan, Refusal>, ServerError> {
    db::audit(
        tx,
        db::Audit {
            actor: &reviewer.nip,
            action: "usulan.decision_refused",
            entity: ENTITY_USULAN,
            entity_id: &u.id,
            subject: Some(u.nip.as_str()),
            instansi: Some(&reviewer.instansi_id),
            device,
            reason: req.reason.as_deref(),
            details: json!({"decision": req.decision, "code": refusal.code, "state": u.state, "message": refusal.message_en}),
        },
    )
    .await?;
    tracing::info!(usulan = %u.id, reviewer = %reviewer.nip, code = %refusal.code, "decision refused");
    Ok(Err(refusal))
}

/// The record a change or deletion concerns.
pub fn target_record(action: &UsulanAction) -> Option<&str> {
    match action {
        UsulanAction::ChangeHistory { record_id, .. } | UsulanAction::DeleteHistory { record_id, .. } => {
            Some(record_id)
        }
        _ => None,
    }
}

/// Tell the ASN their proposal changed state.
async fn notify(tx: &mut WriteTx<'_>, u: &Usulan) -> Result<(), ServerError> {
    let n = Notification {
        usulan_id: Some(u.id.clone()),
        state: Some(u.state),
        history_kind: u.action.history_kind(),
        reason: u.reason.clone().filter(|_| matches!(u.state, UsulanState::Returned | UsulanState::Rejected)),
        ..Notification::new(uuid::Uuid::new_v4().to_string(), NotificationKind::UsulanState, u.updated_at)
    };
    usulan_db::put_notification(tx, u.nip.as_str(), &n).await?;
    db::log_change(tx, Some(u.nip.as_str()), ENTITY_NOTIFICATION, &n.id).await?;
    Ok(())
}

/// Apply an approved history proposal to the official record and re-derive the profile; the record written, if
/// any.
async fn apply_approved(
    tx: &mut WriteTx<'_>,
    u: &Usulan,
    actor: &str,
    device: Option<&str>,
) -> Result<Option<String>, ServerError> {
    let nip = u.nip.as_str();
    let gone = || ServerError::api(Code::DecisionRecordGone);
    let (record_id, action) = match &u.action {
        UsulanAction::AddHistory { data } => {
            let mut data = data.clone();
            keep_official_ids(&mut data, None);
            let record = HistoryRecord {
                id: uuid::Uuid::new_v4().to_string(),
                data,
                last_usulan_id: Some(u.id.clone()),
                siasn_id: None,
            };
            records::put_history(tx, nip, &record).await?;
            (record.id, "record.add")
        }
        UsulanAction::ChangeHistory { record_id, data } => {
            let existing = records::get_history(tx, record_id).await?.ok_or_else(gone)?;
            if existing.deleted || existing.nip != nip {
                return Err(gone());
            }
            // The record stays SIASN's record: its SIASN id and reference ids survive the change.
            let mut data = data.clone();
            keep_official_ids(&mut data, Some(&existing.record.data));
            let record = HistoryRecord {
                id: record_id.clone(),
                data,
                last_usulan_id: Some(u.id.clone()),
                siasn_id: existing.record.siasn_id.clone(),
            };
            records::put_history(tx, nip, &record).await?;
            (record_id.clone(), "record.change")
        }
        UsulanAction::DeleteHistory { record_id, .. } => {
            let existing = records::get_history(tx, record_id).await?.ok_or_else(gone)?;
            if existing.nip != nip || !records::delete_history(tx, record_id, &u.id).await? {
                return Err(gone());
            }
            (record_id.clone(), "record.delete")
        }
        UsulanAction::ChangeOwnerFields { fields } => {
            return apply_owner_fields(tx, u, fields, actor, device).await.map(|()| None);
        }
        UsulanAction::ChangeVerifiedFields { fields } => {
            return apply_verified_fields(tx, u, fields, actor, device).await.map(|()| None);
        }
    };
    db::log_change(tx, Some(nip), ENTITY_HISTORY, &record_id).await?;
    db::audit(
        tx,
        db::Audit {
            actor,
            action,
            entity: ENTITY_HISTORY,
            entity_id: &record_id,
            subject: Some(nip),
            device,
            details: json!({"usulan_id": u.id, "action": u.action}),
            ..db::Audit::default()
        },
    )
    .await?;
    // Other proposals waiting on the same record now show a different official value to their reviewers.
    for other in usulan_db::pending_of(tx, nip).await? {
        if other.usulan.id != u.id && target_record(&other.usulan.action) == Some(record_id.as_str()) {
            review::log_review(tx, &other.instansi_id, &other.usulan.id).await?;
        }
    }
    rederive_profile(tx, nip).await?;
    Ok(Some(record_id))
}

/// Apply owner fields (no review needed).
pub async fn apply_owner_fields(
    tx: &mut WriteTx<'_>,
    u: &Usulan,
    fields: &OwnerFields,
    actor: &str,
    device: Option<&str>,
) -> Result<(), ServerError> {
    let details = json!({"usulan_id": u.id, "fields": fields});
    update_profile(tx, u, (actor, device), "record.owner_fields", details, |p| {
        p.owner = p.owner.merged_with(fields);
    })
    .await
}

/// Apply approved verified fields of data utama: merged into `Profile.verified`; birthplace and academic titles
/// also into the profile's own fields.
async fn apply_verified_fields(
    tx: &mut WriteTx<'_>,
    u: &Usulan,
    fields: &VerifiedFields,
    actor: &str,
    device: Option<&str>,
) -> Result<(), ServerError> {
    let details = json!({"usulan_id": u.id, "fields": fields});
    update_profile(tx, u, (actor, device), "record.verified_fields", details, |p| {
        *p.verified = p.verified.merged_with(fields);
        if let Some(t) = &fields.tempat_lahir {
            p.tempat_lahir = t.clone();
        }
        if let Some(g) = &fields.gelar_depan {
            p.gelar_depan = Some(g.clone()).filter(|g| !g.trim().is_empty());
        }
        if let Some(g) = &fields.gelar_belakang {
            p.gelar_belakang = Some(g.clone()).filter(|g| !g.trim().is_empty());
        }
    })
    .await
}

/// Change the profile of `u`'s ASN by `edit`, mark it as changed by `u`, log it for sync and audit it.
async fn update_profile(
    tx: &mut WriteTx<'_>,
    u: &Usulan,
    (actor, device): (&str, Option<&str>),
    action: &str,
    details: serde_json::Value,
    edit: impl FnOnce(&mut mysapk_model::record::Profile),
) -> Result<(), ServerError> {
    let nip = u.nip.as_str();
    let mut profile =
        records::get_profile(tx, nip).await?.ok_or_else(|| ServerError::internal(format!("no profile for {nip}")))?;
    edit(&mut profile);
    profile.last_usulan_id = Some(u.id.clone());
    records::put_profile(tx, &profile).await?;
    db::log_change(tx, Some(nip), ENTITY_PROFILE, nip).await?;
    db::audit(
        tx,
        db::Audit {
            actor,
            action,
            entity: ENTITY_PROFILE,
            entity_id: nip,
            subject: Some(nip),
            device,
            details,
            ..db::Audit::default()
        },
    )
    .await
}

/// The current golongan and position, from the newest records.
pub fn derive_current(records: &[HistoryRecord]) -> (Option<String>, Option<String>) {
    let golongan = records
        .iter()
        .filter_map(|r| match &r.data {
            HistoryData::Golongan(Golongan { golongan_id, tmt_golongan, .. }) => {
                Some((*tmt_golongan, golongan_id.clone()))
            }
            _ => None,
        })
        .max()
        .map(|(_, g)| g);
    let jabatan = records
        .iter()
        .filter_map(|r| match &r.data {
            HistoryData::Jabatan(Jabatan { jabatan_nama, tmt_jabatan, tmt_selesai, .. }) => {
                Some((tmt_selesai.is_none(), *tmt_jabatan, jabatan_nama.clone()))
            }
            _ => None,
        })
        .max()
        .map(|(_, _, j)| j);
    (golongan, jabatan)
}

/// Re-derive the profile's golongan and position after a record change; logs the profile if it changed.
pub async fn rederive_profile(tx: &mut WriteTx<'_>, nip: &str) -> Result<(), ServerError> {
    let Some(mut profile) = records::get_profile(tx, nip).await? else {
        return Ok(());
    };
    let before: Profile = profile.clone();
    let (golongan, jabatan) = derive_current(&records::list_history(tx, nip).await?);
    profile.golongan_id = golongan;
    profile.jabatan_nama = jabatan;
    if profile != before {
        records::put_profile(tx, &profile).await?;
        db::log_change(tx, Some(nip), ENTITY_PROFILE, nip).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn current_golongan_and_jabatan_come_from_newest_records() {
        let g = |id: &str, tmt| HistoryRecord {
            id: id.into(),
            data: HistoryData::Golongan(Golongan {
                golongan_id: id.into(),
                tmt_golongan: tmt,
                sk_nomor: "x".into(),
                sk_tanggal: tmt,
                jenis_kp_id: None,
                mk_tahun: None,
                mk_bulan: None,
            }),
            last_usulan_id: None,
            siasn_id: None,
        };
        let j = |nama: &str, tmt, end| HistoryRecord {
            id: nama.into(),
            data: HistoryData::Jabatan(Jabatan {
                jenis_jabatan_id: "4".into(),
                jabatan_nama: nama.into(),
                unor_nama: "u".into(),
                eselon_id: None,
                tmt_jabatan: tmt,
                tmt_selesai: end,
                sk_nomor: "x".into(),
                sk_tanggal: tmt,
                unor_id: None,
                jabatan_id: None,
            }),
            last_usulan_id: None,
            siasn_id: None,
        };
        let recs = vec![
            g("31", d(2015, 3, 1)),
            g("32", d(2019, 4, 1)),
            j("Lama", d(2016, 1, 1), Some(d(2018, 12, 31))),
            j("Baru", d(2019, 1, 1), None),
        ];
        assert_eq!(derive_current(&recs), (Some("32".into()), Some("Baru".into())));
        assert_eq!(derive_current(&[]), (None, None));
    }
}
