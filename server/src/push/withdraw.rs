//! `Withdraw`: the ASN takes back their usulan before a decision.

use chrono::Utc;
use mysapk_model::usulan::{UsulanEvent, UsulanState};
use mysapk_model::Code;
use serde_json::json;

use super::{usulan_not_found, Applied};
use crate::auth::AuthUser;
use crate::db::{self, usulan as usulan_db, WriteTx, ENTITY_USULAN};
use crate::review;

pub(super) async fn withdraw(tx: &mut WriteTx<'_>, user: &AuthUser, device: &str, usulan_id: &str) -> Applied {
    let Some(row) = usulan_db::get(tx, usulan_id).await?.filter(|r| r.usulan.nip.as_str() == user.nip) else {
        return Ok(Err(usulan_not_found()));
    };
    let from = row.usulan.state;
    let not_withdrawable = || Code::UsulanNotWithdrawable.violation("usulan_id");
    if !from.is_withdrawable() {
        return Ok(Err(not_withdrawable()));
    }
    let now = Utc::now();
    let mut u = row.usulan;
    u.state = UsulanState::Withdrawn;
    u.updated_at = now;
    u.events.push(UsulanEvent { at: now, actor_nip: user.nip.clone(), state: UsulanState::Withdrawn, reason: None });
    if !usulan_db::update_if_state(tx, &u, from).await? {
        return Ok(Err(not_withdrawable()));
    }
    db::log_change(tx, Some(&user.nip), ENTITY_USULAN, &u.id).await?;
    review::log_review(tx, &row.instansi_id, &u.id).await?;
    db::audit(
        tx,
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
