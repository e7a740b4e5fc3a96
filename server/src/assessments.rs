//! Competency and potential assessments: recorded by the agency admin (`POST /api/v1/admin/assessments`), read by
//! the ASN through the pull feed (`Change::Assessment`) and used by the standing ([`crate::standing`]).
//!
//! Table `assessment (id, nip, data)`: `data` is the model's [`Assessment`] as JSON. Posting an id that exists
//! for the same ASN replaces it (a correction); an id of another ASN is 409 `assessment.id_taken`.

use chrono::Utc;
use mysapk_model::assessment::{Assessment, NewAssessment};
use mysapk_model::Code;
use mysapk_model::Nip;
use serde_json::json;
use sqlx::{AnyConnection, AnyPool};

use crate::admin::require_admin;
use crate::auth::AuthUser;
use crate::db::{self, accounts, AfterCommit, WriteTx, ENTITY_ASSESSMENT};
use crate::error::ServerError;

/// The assessments of `nip`, oldest first.
pub async fn list(conn: &mut AnyConnection, nip: &str) -> Result<Vec<Assessment>, ServerError> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT data FROM assessment WHERE nip = $1").bind(nip).fetch_all(&mut *conn).await?;
    let mut out = rows.iter().map(|d| serde_json::from_str(d)).collect::<Result<Vec<Assessment>, _>>()?;
    out.sort_by(|a, b| (a.tanggal, &a.id).cmp(&(b.tanggal, &b.id)));
    Ok(out)
}

/// The assessments among `ids` that belong to `nip` (one query per [`db::IN_CHUNK`] ids).
pub async fn get_many(conn: &mut AnyConnection, nip: &str, ids: &[&str]) -> Result<Vec<Assessment>, ServerError> {
    db::usulan::owned_json_rows(conn, "assessment", nip, ids).await
}

/// Store an assessment of `nip` (insert, or replace the one with the same id) and log it for the ASN's devices.
pub async fn put(tx: &mut WriteTx<'_>, nip: &str, a: &Assessment) -> Result<(), ServerError> {
    let data = serde_json::to_string(a)?;
    let updated = sqlx::query("UPDATE assessment SET data = $1 WHERE id = $2 AND nip = $3")
        .bind(&data)
        .bind(&a.id)
        .bind(nip)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if updated == 0 {
        sqlx::query("INSERT INTO assessment (id, nip, data) VALUES ($1, $2, $3)")
            .bind(&a.id)
            .bind(nip)
            .bind(&data)
            .execute(&mut **tx)
            .await?;
    }
    db::log_change(tx, Some(nip), ENTITY_ASSESSMENT, &a.id).await?;
    Ok(())
}

fn not_found() -> ServerError {
    ServerError::api(Code::AccountNotFound)
}

/// `POST /api/v1/admin/assessments`: the admin records an assessment of an ASN of their agency. Every
/// [`Assessment::check`] rule applies (the first violation is the 400 answer, with its code and field); an
/// empty `id` gets a new UUID. Audited as `assessment.record`.
pub async fn record(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    admin: &AuthUser,
    req: &NewAssessment,
) -> Result<Assessment, ServerError> {
    require_admin(admin)?;
    let nip = Nip::parse(req.nip.trim()).map_err(ServerError::rule)?;
    let mut a = req.assessment.clone();
    a.id = a.id.trim().to_owned();
    if a.id.is_empty() {
        a.id = uuid::Uuid::new_v4().to_string();
    }
    if a.id.len() > 100 {
        return Err(ServerError::api(Code::AssessmentIdTooLong).on_field("id"));
    }
    if let Some(v) = a.check(Utc::now().date_naive()).into_iter().next() {
        return Err(ServerError::rule(v));
    }
    let mut tx = db::begin_write(pool, after).await?;
    accounts::find_user(&mut tx, nip.as_str())
        .await?
        .filter(|u| u.instansi_id == admin.instansi_id)
        .ok_or_else(not_found)?;
    let owner: Option<String> =
        sqlx::query_scalar("SELECT nip FROM assessment WHERE id = $1").bind(&a.id).fetch_optional(&mut *tx).await?;
    if owner.is_some_and(|o| o != nip.as_str()) {
        return Err(ServerError::api(Code::AssessmentIdTaken));
    }
    put(&mut tx, nip.as_str(), &a).await?;
    db::audit(
        &mut tx,
        db::Audit {
            actor: &admin.nip,
            action: "assessment.record",
            entity: ENTITY_ASSESSMENT,
            entity_id: &a.id,
            subject: Some(nip.as_str()),
            instansi: Some(&admin.instansi_id),
            details: json!({
                "tanggal": a.tanggal,
                "penyelenggara": a.penyelenggara,
                "scores": a.scores.len(),
                "potential_score": a.potential_score(),
            }),
            ..db::Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(a)
}
