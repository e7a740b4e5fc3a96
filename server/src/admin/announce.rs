//! Announcements: one notification per ASN of the agency, or of those matching the filters (work unit, golongan
//! prefix, jenis jabatan of the current position).

use std::collections::HashMap;

use chrono::Utc;
use mysapk_model::admin::AnnouncementRequest;
use mysapk_model::history::HistoryData;
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::Profile;
use mysapk_model::Code;
use serde_json::json;
use sqlx::AnyPool;

use super::{field_error, require_admin};
use crate::auth::AuthUser;
use crate::db::ENTITY_NOTIFICATION;
use crate::db::{self, usulan as usulan_db, AfterCommit, Audit};
use crate::error::ServerError;

/// What an announcement reached.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct AnnouncementSent {
    pub id: String,
    pub recipients: u32,
}

/// `POST announcements`: one notification per ASN of the agency (or of those matching every filter given:
/// `unor_nama`, `golongan_prefix` on the current golongan id, `jenis_jabatan_id` of the current position), synced
/// as usual.
pub async fn announce(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    req: &AnnouncementRequest,
) -> Result<AnnouncementSent, ServerError> {
    require_admin(admin)?;
    let title = req.title.trim();
    let body = req.body.trim();
    if title.is_empty() || title.len() > 200 {
        return Err(field_error(Code::AnnouncementTitleRequired, "title"));
    }
    if body.is_empty() || body.len() > 10_000 {
        return Err(field_error(Code::AnnouncementBodyRequired, "body"));
    }
    let given = |f: &Option<String>| f.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
    let unor = given(&req.unor_nama);
    let golongan = given(&req.golongan_prefix);
    let jenis = given(&req.jenis_jabatan_id);
    let mut tx = db::begin_write(pool, after).await?;
    let current_jenis = match jenis {
        Some(_) => current_jenis_jabatan(&mut tx, &admin.instansi_id).await?,
        None => HashMap::new(),
    };
    let profiles: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.nip, p.data FROM users u JOIN profile p ON p.nip = u.nip WHERE u.instansi_id = $1 ORDER BY u.nip",
    )
    .bind(&admin.instansi_id)
    .fetch_all(&mut *tx)
    .await?;
    let now = Utc::now();
    let mut notes = Vec::new();
    for (nip, data) in profiles {
        if unor.is_some() || golongan.is_some() {
            let p: Profile = serde_json::from_str(&data)?;
            if unor.as_ref().is_some_and(|u| &p.unor_nama != u)
                || golongan
                    .as_ref()
                    .is_some_and(|g| !p.golongan_id.as_ref().is_some_and(|id| id.starts_with(g.as_str())))
            {
                continue;
            }
        }
        if jenis.as_ref().is_some_and(|j| current_jenis.get(&nip) != Some(j)) {
            continue;
        }
        let n = Notification {
            title: Some(title.to_owned()),
            body: Some(body.to_owned()),
            ..Notification::new(uuid::Uuid::new_v4().to_string(), NotificationKind::Announcement, now)
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
            details: json!({"title": title, "body": body, "unor_nama": unor, "golongan_prefix": golongan,
                "jenis_jabatan_id": jenis, "recipients": recipients}),
            ..Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(AnnouncementSent { id, recipients })
}

/// The `jenis_jabatan_id` of each ASN's current position in the agency: the open-ended one, else the newest.
async fn current_jenis_jabatan(
    conn: &mut sqlx::AnyConnection,
    instansi_id: &str,
) -> Result<HashMap<String, String>, ServerError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT h.nip, h.data FROM history h JOIN users u ON u.nip = h.nip \
         WHERE u.instansi_id = $1 AND h.kind = 'jabatan' AND h.deleted = 0",
    )
    .bind(instansi_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut current: HashMap<String, (bool, chrono::NaiveDate, String)> = HashMap::new();
    for (nip, data) in rows {
        if let HistoryData::Jabatan(j) = serde_json::from_str(&data)? {
            let key = (j.tmt_selesai.is_none(), j.tmt_jabatan, j.jenis_jabatan_id);
            if current.get(&nip).is_none_or(|c| key > *c) {
                current.insert(nip, key);
            }
        }
    }
    Ok(current.into_iter().map(|(nip, (_, _, jenis))| (nip, jenis)).collect())
}
