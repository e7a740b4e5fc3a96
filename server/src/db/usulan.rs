//! SQL for `usulan` (proposals) and `notification`.

use mysapk_model::notification::Notification;
use mysapk_model::usulan::{Usulan, UsulanState};
use sqlx::AnyConnection;

use super::{placeholders, IN_CHUNK};
use crate::error::ServerError;

/// A stored proposal and the agency it belongs to.
#[derive(Debug, Clone)]
pub struct UsulanRow {
    pub usulan: Usulan,
    pub instansi_id: String,
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<UsulanRow>, ServerError> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT data, instansi_id FROM usulan WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some((data, instansi_id)) => Ok(Some(UsulanRow { usulan: serde_json::from_str(&data)?, instansi_id })),
        None => Ok(None),
    }
}

/// The proposals of `nip` among `ids`, one query per [`IN_CHUNK`] ids.
pub async fn get_many(conn: &mut AnyConnection, nip: &str, ids: &[&str]) -> Result<Vec<Usulan>, ServerError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = format!("SELECT data FROM usulan WHERE nip = $1 AND id IN ({})", placeholders(2, chunk.len()));
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(nip);
        for id in chunk {
            q = q.bind(*id);
        }
        for data in q.fetch_all(&mut *conn).await? {
            out.push(serde_json::from_str(&data)?);
        }
    }
    Ok(out)
}

pub async fn insert(conn: &mut AnyConnection, u: &Usulan, instansi_id: &str) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO usulan (id, nip, instansi_id, state, data, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&u.id)
        .bind(u.nip.as_str())
        .bind(instansi_id)
        .bind(u.state.as_str())
        .bind(serde_json::to_string(u)?)
        .bind(u.updated_at.to_rfc3339())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Store `u` only if the stored state is still `expected`; returns whether the row was updated.
pub async fn update_if_state(conn: &mut AnyConnection, u: &Usulan, expected: UsulanState) -> Result<bool, ServerError> {
    let done = sqlx::query("UPDATE usulan SET state = $1, data = $2, updated_at = $3 WHERE id = $4 AND state = $5")
        .bind(u.state.as_str())
        .bind(serde_json::to_string(u)?)
        .bind(u.updated_at.to_rfc3339())
        .bind(&u.id)
        .bind(expected.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Proposals of one agency in one state, oldest first.
pub async fn list_by_state(
    conn: &mut AnyConnection,
    instansi_id: &str,
    state: UsulanState,
) -> Result<Vec<Usulan>, ServerError> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT data FROM usulan WHERE instansi_id = $1 AND state = $2 ORDER BY updated_at, id")
            .bind(instansi_id)
            .bind(state.as_str())
            .fetch_all(&mut *conn)
            .await?;
    rows.iter().map(|d| serde_json::from_str(d).map_err(ServerError::from)).collect()
}

pub async fn get_notification(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<(String, Notification)>, ServerError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT nip, data FROM notification WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?;
    match row {
        Some((nip, data)) => Ok(Some((nip, serde_json::from_str(&data)?))),
        None => Ok(None),
    }
}

/// The notifications of `nip` among `ids`, one query per [`IN_CHUNK`] ids.
pub async fn get_notifications(
    conn: &mut AnyConnection,
    nip: &str,
    ids: &[&str],
) -> Result<Vec<Notification>, ServerError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = format!("SELECT data FROM notification WHERE nip = $1 AND id IN ({})", placeholders(2, chunk.len()));
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(nip);
        for id in chunk {
            q = q.bind(*id);
        }
        for data in q.fetch_all(&mut *conn).await? {
            out.push(serde_json::from_str(&data)?);
        }
    }
    Ok(out)
}

pub async fn put_notification(conn: &mut AnyConnection, nip: &str, n: &Notification) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO notification (id, nip, data) VALUES ($1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET data = excluded.data",
    )
    .bind(&n.id)
    .bind(nip)
    .bind(serde_json::to_string(n)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
