//! Announcements: one notification per ASN of the agency (or of one work unit).

use chrono::Utc;
use mysapk_model::admin::AnnouncementRequest;
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::Profile;
use serde_json::json;
use sqlx::AnyPool;

use super::{field_error, require_admin};
use crate::auth::AuthUser;
use crate::db::{self, usulan as usulan_db, Audit};
use crate::error::ServerError;
use crate::workflow::ENTITY_NOTIFICATION;

/// What an announcement reached.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AnnouncementSent {
    pub id: String,
    pub recipients: u32,
}

/// `POST announcements`: one notification per ASN of the agency (or of one work unit), synced as usual.
pub async fn announce(
    pool: &AnyPool,
    admin: &AuthUser,
    req: &AnnouncementRequest,
) -> Result<AnnouncementSent, ServerError> {
    require_admin(admin)?;
    let title = req.title.trim();
    let body = req.body.trim();
    if title.is_empty() || title.len() > 200 {
        return Err(field_error(
            "announcement.title_required",
            "title",
            "A title (at most 200 characters) is required.",
        ));
    }
    if body.is_empty() || body.len() > 10_000 {
        return Err(field_error(
            "announcement.body_required",
            "body",
            "A body (at most 10000 characters) is required.",
        ));
    }
    let unor = req.unor_nama.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let mut tx = db::begin_write(pool).await?;
    let profiles: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.nip, p.data FROM users u JOIN profile p ON p.nip = u.nip WHERE u.instansi_id = $1 ORDER BY u.nip",
    )
    .bind(&admin.instansi_id)
    .fetch_all(&mut *tx)
    .await?;
    let now = Utc::now();
    let mut notes = Vec::new();
    for (nip, data) in profiles {
        if let Some(u) = unor {
            let p: Profile = serde_json::from_str(&data)?;
            if p.unor_nama != u {
                continue;
            }
        }
        let n = Notification {
            id: uuid::Uuid::new_v4().to_string(),
            kind: NotificationKind::Announcement,
            usulan_id: None,
            state: None,
            history_kind: None,
            reason: None,
            title: Some(title.to_owned()),
            body: Some(body.to_owned()),
            service: None,
            due_date: None,
            layanan: None,
            stage: None,
            created_at: now,
            read: false,
        };
        notes.push((nip, n));
    }
    usulan_db::insert_notifications(&mut tx, &notes).await?;
    let log: Vec<(String, &str, String)> =
        notes.iter().map(|(nip, n)| (nip.clone(), ENTITY_NOTIFICATION, n.id.clone())).collect();
    db::log_changes(&mut tx, &log).await?;
    let id = uuid::Uuid::new_v4().to_string();
    let recipients = u32::try_from(notes.len()).unwrap_or(u32::MAX);
    db::audit(
        &mut tx,
        Audit {
            actor: &admin.nip,
            action: "announcement.send",
            entity: "announcement",
            entity_id: &id,
            instansi: Some(&admin.instansi_id),
            details: json!({"title": title, "body": body, "unor_nama": unor, "recipients": recipients}),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AnnouncementSent { id, recipients })
}
