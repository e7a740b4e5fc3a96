//! `ConfirmCategory`: the ASN confirms a category of their record as correct ("data sudah sesuai").

use mysapk_model::history::HistoryKind;
use serde_json::json;

use super::Applied;
use crate::auth::AuthUser;
use crate::db::{self, records, WriteTx, ENTITY_PROFILE};
use crate::error::ServerError;

/// The ASN confirms a category as correct ("data sudah sesuai"): the kind joins `Profile.confirmed_kinds`.
pub(super) async fn confirm_category(
    tx: &mut WriteTx<'_>,
    user: &AuthUser,
    device: &str,
    kind: HistoryKind,
) -> Applied {
    let nip = user.nip.as_str();
    let mut profile =
        records::get_profile(tx, nip).await?.ok_or_else(|| ServerError::internal(format!("no profile for {nip}")))?;
    if !profile.confirmed_kinds.contains(&kind) {
        profile.confirmed_kinds.push(kind);
        records::put_profile(tx, &profile).await?;
        db::log_change(tx, Some(nip), ENTITY_PROFILE, nip).await?;
    }
    db::audit(
        tx,
        db::Audit {
            actor: nip,
            action: "record.confirm_category",
            entity: ENTITY_PROFILE,
            entity_id: nip,
            subject: Some(nip),
            instansi: Some(&user.instansi_id),
            device: Some(device),
            details: json!({"kind": kind}),
            ..db::Audit::default()
        },
    )
    .await?;
    Ok(Ok(()))
}
