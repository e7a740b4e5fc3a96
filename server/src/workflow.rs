//! The proposal workflow on the server: reviewer decisions and applying approved changes to the record.

use axum::http::StatusCode;
use chrono::Utc;
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::{HistoryData, HistoryRecord, OwnerFields, Profile};
use mysapk_model::review::{DecisionRequest, ReviewItem, ReviewQueue};
use mysapk_model::usulan::{decide, Role, Usulan, UsulanAction, UsulanEvent, UsulanState};
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};

use crate::auth::AuthUser;
use crate::db::{self, records, usulan as usulan_db};
use crate::error::ServerError;

pub const ENTITY_PROFILE: &str = "profile";
pub const ENTITY_HISTORY: &str = "history";
pub const ENTITY_USULAN: &str = "usulan";
pub const ENTITY_NOTIFICATION: &str = "notification";
pub const ENTITY_CATALOG: &str = "catalog";

fn not_found() -> ServerError {
    ServerError::not_found("usulan.not_found", "No such proposal.")
}

/// Proposals of the reviewer's agency waiting for a step the reviewer's roles may take.
pub async fn review_queue(pool: &AnyPool, reviewer: &AuthUser) -> Result<ReviewQueue, ServerError> {
    let mut states = Vec::new();
    if reviewer.roles.contains(&Role::Verifikator) {
        states.push(UsulanState::Submitted);
    }
    if reviewer.roles.contains(&Role::Approver) {
        states.push(UsulanState::Verified);
    }
    if states.is_empty() {
        return Err(ServerError::forbidden("review.not_reviewer", "Only a verifikator or approver has a queue."));
    }
    let mut conn = pool.acquire().await?;
    let mut items = Vec::new();
    for state in states {
        for usulan in usulan_db::list_by_state(&mut conn, &reviewer.instansi_id, state).await? {
            if usulan.nip.as_str() == reviewer.nip {
                continue;
            }
            let (asn_nama, unor_nama) = match records::get_profile(&mut conn, usulan.nip.as_str()).await? {
                Some(p) => (p.full_name(), p.unor_nama),
                None => (usulan.nip.to_string(), String::new()),
            };
            let official = match &usulan.action {
                UsulanAction::ChangeHistory { record_id, .. } | UsulanAction::DeleteHistory { record_id, .. } => {
                    records::get_history(&mut conn, record_id).await?.filter(|h| !h.deleted).map(|h| h.record)
                }
                _ => None,
            };
            items.push(ReviewItem { usulan, asn_nama, unor_nama, deadline: None, official, base: None });
        }
    }
    Ok(ReviewQueue { items })
}

/// Take a reviewer decision; approval applies the change in the same transaction.
pub async fn decide_usulan(
    pool: &AnyPool,
    reviewer: &AuthUser,
    usulan_id: &str,
    req: &DecisionRequest,
) -> Result<Usulan, ServerError> {
    let mut tx = db::begin_write(pool).await?;
    let row = usulan_db::get(&mut tx, usulan_id).await?.ok_or_else(not_found)?;
    // Another agency's proposal does not exist for this reviewer.
    if row.instansi_id != reviewer.instansi_id {
        return Err(not_found());
    }
    if row.usulan.nip.as_str() == reviewer.nip {
        return Err(ServerError::forbidden("decision.own_proposal", "A reviewer may not decide their own proposal."));
    }
    let from = row.usulan.state;
    let reason = req.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let to = decide(from, req.decision, &reviewer.roles, reason).map_err(|v| {
        let status = match v.code.as_str() {
            "decision.wrong_role" => StatusCode::FORBIDDEN,
            "decision.wrong_state" => StatusCode::CONFLICT,
            _ => StatusCode::BAD_REQUEST,
        };
        ServerError::rule(status, v)
    })?;
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
    if !usulan_db::update_if_state(&mut tx, &u, from).await? {
        return Err(ServerError::conflict("decision.wrong_state", "The proposal was decided by someone else."));
    }
    let owner = u.nip.as_str().to_owned();
    if to == UsulanState::Approved {
        apply_approved(&mut tx, &u, &reviewer.nip).await?;
    }
    db::log_change(&mut tx, Some(&owner), ENTITY_USULAN, &u.id).await?;
    notify(&mut tx, &u).await?;
    db::audit(
        &mut tx,
        &reviewer.nip,
        "usulan.decision",
        ENTITY_USULAN,
        &u.id,
        &json!({"decision": req.decision, "from": from, "to": to, "reason": reason, "owner": owner}),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(usulan = %u.id, reviewer = %reviewer.nip, from = from.as_str(), to = to.as_str(), "decision");
    Ok(u)
}

/// Tell the ASN their proposal changed state.
async fn notify(conn: &mut AnyConnection, u: &Usulan) -> Result<(), ServerError> {
    let n = Notification {
        id: uuid::Uuid::new_v4().to_string(),
        kind: NotificationKind::UsulanState,
        usulan_id: Some(u.id.clone()),
        state: Some(u.state),
        history_kind: u.action.history_kind(),
        reason: u.reason.clone().filter(|_| matches!(u.state, UsulanState::Returned | UsulanState::Rejected)),
        title: None,
        body: None,
        created_at: u.updated_at,
        read: false,
    };
    usulan_db::put_notification(conn, u.nip.as_str(), &n).await?;
    db::log_change(conn, Some(u.nip.as_str()), ENTITY_NOTIFICATION, &n.id).await?;
    Ok(())
}

/// Apply an approved history proposal to the official record and re-derive the profile.
async fn apply_approved(conn: &mut AnyConnection, u: &Usulan, actor: &str) -> Result<(), ServerError> {
    let nip = u.nip.as_str();
    let gone = || ServerError::conflict("record.not_found", "The record this proposal concerns no longer exists.");
    let (record_id, action) = match &u.action {
        UsulanAction::AddHistory { data } => {
            let record = HistoryRecord {
                id: uuid::Uuid::new_v4().to_string(),
                data: data.clone(),
                last_usulan_id: Some(u.id.clone()),
            };
            records::put_history(conn, nip, &record).await?;
            (record.id, "history.add")
        }
        UsulanAction::ChangeHistory { record_id, data } => {
            let existing = records::get_history(conn, record_id).await?.ok_or_else(gone)?;
            if existing.deleted || existing.nip != nip {
                return Err(gone());
            }
            let record =
                HistoryRecord { id: record_id.clone(), data: data.clone(), last_usulan_id: Some(u.id.clone()) };
            records::put_history(conn, nip, &record).await?;
            (record_id.clone(), "history.change")
        }
        UsulanAction::DeleteHistory { record_id, .. } => {
            let existing = records::get_history(conn, record_id).await?.ok_or_else(gone)?;
            if existing.nip != nip || !records::delete_history(conn, record_id, &u.id).await? {
                return Err(gone());
            }
            (record_id.clone(), "history.delete")
        }
        UsulanAction::ChangeOwnerFields { fields } => {
            return apply_owner_fields(conn, u, fields, actor).await;
        }
    };
    db::log_change(conn, Some(nip), ENTITY_HISTORY, &record_id).await?;
    db::audit(
        conn,
        actor,
        action,
        ENTITY_HISTORY,
        &record_id,
        &json!({"usulan_id": u.id, "owner": nip, "action": u.action}),
    )
    .await?;
    rederive_profile(conn, nip).await
}

/// Apply owner fields (no review needed).
pub async fn apply_owner_fields(
    conn: &mut AnyConnection,
    u: &Usulan,
    fields: &OwnerFields,
    actor: &str,
) -> Result<(), ServerError> {
    let nip = u.nip.as_str();
    let mut profile =
        records::get_profile(conn, nip).await?.ok_or_else(|| ServerError::internal(format!("no profile for {nip}")))?;
    profile.owner = profile.owner.merged_with(fields);
    profile.last_usulan_id = Some(u.id.clone());
    records::put_profile(conn, &profile).await?;
    db::log_change(conn, Some(nip), ENTITY_PROFILE, nip).await?;
    db::audit(conn, actor, "profile.owner_fields", ENTITY_PROFILE, nip, &json!({"usulan_id": u.id, "fields": fields}))
        .await
}

/// The current golongan and position, from the newest records.
pub fn derive_current(records: &[HistoryRecord]) -> (Option<String>, Option<String>) {
    let golongan = records
        .iter()
        .filter_map(|r| match &r.data {
            HistoryData::Golongan { golongan_id, tmt_golongan, .. } => Some((*tmt_golongan, golongan_id.clone())),
            _ => None,
        })
        .max()
        .map(|(_, g)| g);
    let jabatan = records
        .iter()
        .filter_map(|r| match &r.data {
            HistoryData::Jabatan { jabatan_nama, tmt_jabatan, tmt_selesai, .. } => {
                Some((tmt_selesai.is_none(), *tmt_jabatan, jabatan_nama.clone()))
            }
            _ => None,
        })
        .max()
        .map(|(_, _, j)| j);
    (golongan, jabatan)
}

/// Re-derive the profile's golongan and position after a record change; logs the profile if it changed.
pub async fn rederive_profile(conn: &mut AnyConnection, nip: &str) -> Result<(), ServerError> {
    let Some(mut profile) = records::get_profile(conn, nip).await? else {
        return Ok(());
    };
    let before: Profile = profile.clone();
    let (golongan, jabatan) = derive_current(&records::list_history(conn, nip).await?);
    profile.golongan_id = golongan;
    profile.jabatan_nama = jabatan;
    if profile != before {
        records::put_profile(conn, &profile).await?;
        db::log_change(conn, Some(nip), ENTITY_PROFILE, nip).await?;
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
            data: HistoryData::Golongan {
                golongan_id: id.into(),
                tmt_golongan: tmt,
                sk_nomor: "x".into(),
                sk_tanggal: tmt,
            },
            last_usulan_id: None,
        };
        let j = |nama: &str, tmt, end| HistoryRecord {
            id: nama.into(),
            data: HistoryData::Jabatan {
                jenis_jabatan_id: "4".into(),
                jabatan_nama: nama.into(),
                unor_nama: "u".into(),
                eselon_id: None,
                tmt_jabatan: tmt,
                tmt_selesai: end,
                sk_nomor: "x".into(),
                sk_tanggal: tmt,
            },
            last_usulan_id: None,
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
