//! Status updates of an ASN's personnel-service file (layanan kepegawaian), posted by an admin of their agency:
//! one `Notification {kind: layanan}` for that ASN, synced as usual and audited as `layanan.update`.

use chrono::Utc;
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::services::LayananUpdate;
use mysapk_model::Code;
use serde_json::json;
use sqlx::AnyPool;

use super::{field_error, require_admin, target};
use crate::auth::AuthUser;
use crate::db::ENTITY_NOTIFICATION;
use crate::db::{self, usulan as usulan_db, AfterCommit, Audit};
use crate::error::ServerError;

/// The longest note, in characters.
pub const LAYANAN_NOTE_MAX_CHARS: usize = 2_000;

/// `POST layanan`: tell the ASN their service file reached `stage`; returns the notification created.
/// An account of another agency is 404 `account.not_found`; a note over [`LAYANAN_NOTE_MAX_CHARS`] characters is
/// 400 `layanan.note_too_long` (field `note`).
pub async fn layanan_update(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    req: &LayananUpdate,
) -> Result<Notification, ServerError> {
    require_admin(admin)?;
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > LAYANAN_NOTE_MAX_CHARS) {
        return Err(field_error(Code::LayananNoteTooLong, "note"));
    }
    let mut tx = db::begin_write(pool, after).await?;
    let user = target(&mut tx, admin, &req.nip).await?;
    let n = Notification {
        body: note.map(str::to_owned),
        layanan: Some(req.layanan),
        stage: Some(req.stage),
        ..Notification::new(uuid::Uuid::new_v4().to_string(), NotificationKind::Layanan, Utc::now())
    };
    usulan_db::put_notification(&mut tx, &user.nip, &n).await?;
    db::log_change(&mut tx, Some(&user.nip), ENTITY_NOTIFICATION, &n.id).await?;
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "layanan.update",
            entity: ENTITY_NOTIFICATION,
            entity_id: &n.id,
            subject: Some(&user.nip),
            instansi: Some(&admin.instansi_id),
            details: json!({"layanan": req.layanan, "stage": req.stage, "note": note}),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}
