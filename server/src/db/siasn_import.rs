//! SQL for `siasn_import_run` and `siasn_import_item`: the runs of an import from SIASN and the NIPs each has
//! done (migration 0012), so an interrupted import resumes where it stopped.

use sqlx::AnyConnection;

use super::{now_text, placeholders, IN_CHUNK};
use crate::error::ServerError;

pub const PENDING: &str = "pending";
pub const IMPORTED: &str = "imported";
pub const UNCHANGED: &str = "unchanged";
pub const FAILED: &str = "failed";

/// One NIP of a run.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Item {
    pub nip: String,
    pub state: String,
    pub code: Option<String>,
    pub message: Option<String>,
    pub changes: i64,
}

/// The newest unfinished run of `target`.
pub async fn unfinished_run(conn: &mut AnyConnection, target: &str) -> Result<Option<String>, ServerError> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM siasn_import_run WHERE target = $1 AND finished_at IS NULL ORDER BY started_at DESC, id DESC",
    )
    .bind(target)
    .fetch_optional(&mut *conn)
    .await?)
}

/// A new run of `target` over `nips` (in this order), every NIP pending.
pub async fn create_run(conn: &mut AnyConnection, id: &str, target: &str, nips: &[String]) -> Result<(), ServerError> {
    let now = now_text();
    sqlx::query("INSERT INTO siasn_import_run (id, target, started_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(target)
        .bind(&now)
        .execute(&mut *conn)
        .await?;
    for (n, chunk) in nips.chunks(IN_CHUNK).enumerate() {
        let rows: Vec<String> = (0..chunk.len()).map(|i| format!("({})", placeholders(i * 5 + 1, 5))).collect();
        let sql = format!(
            "INSERT INTO siasn_import_item (run_id, nip, position, state, updated_at) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (i, nip) in chunk.iter().enumerate() {
            let position = i64::try_from(n * IN_CHUNK + i).unwrap_or(i64::MAX);
            q = q.bind(id).bind(nip.clone()).bind(position).bind(PENDING).bind(now.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Every NIP of a run, in its order.
pub async fn items(conn: &mut AnyConnection, run_id: &str) -> Result<Vec<Item>, ServerError> {
    Ok(sqlx::query_as(
        "SELECT nip, state, code, message, changes FROM siasn_import_item WHERE run_id = $1 ORDER BY position",
    )
    .bind(run_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// Record how one NIP ended.
pub async fn finish_item(
    conn: &mut AnyConnection,
    run_id: &str,
    nip: &str,
    state: &str,
    failure: Option<(&str, &str)>,
    changes: i64,
) -> Result<(), ServerError> {
    sqlx::query(
        "UPDATE siasn_import_item SET state = $1, code = $2, message = $3, changes = $4, updated_at = $5 \
         WHERE run_id = $6 AND nip = $7",
    )
    .bind(state)
    .bind(failure.map(|f| f.0.to_owned()))
    .bind(failure.map(|f| f.1.to_owned()))
    .bind(changes)
    .bind(now_text())
    .bind(run_id)
    .bind(nip)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn finish_run(conn: &mut AnyConnection, run_id: &str) -> Result<(), ServerError> {
    sqlx::query("UPDATE siasn_import_run SET finished_at = $1 WHERE id = $2")
        .bind(now_text())
        .bind(run_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The NIPs of an agency's profiles, in NIP order.
pub async fn agency_nips(conn: &mut AnyConnection, instansi_id: &str) -> Result<Vec<String>, ServerError> {
    Ok(sqlx::query_scalar("SELECT nip FROM profile WHERE instansi_id = $1 ORDER BY nip")
        .bind(instansi_id)
        .fetch_all(&mut *conn)
        .await?)
}

/// Every NIP with a profile, in NIP order (the scheduled re-import's list).
pub async fn all_nips(conn: &mut AnyConnection) -> Result<Vec<String>, ServerError> {
    Ok(sqlx::query_scalar("SELECT nip FROM profile ORDER BY nip").fetch_all(&mut *conn).await?)
}
