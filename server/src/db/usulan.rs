//! SQL for `usulan` (proposals) and `notification`.

use mysapk_model::history::HistoryRecord;
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
    /// The official record a change/delete concerned when it was proposed.
    pub base: Option<HistoryRecord>,
}

type RawRow = (String, String, Option<String>);

fn row_from_raw((data, instansi_id, base): RawRow) -> Result<UsulanRow, ServerError> {
    Ok(UsulanRow {
        usulan: serde_json::from_str(&data)?,
        instansi_id,
        base: base.as_deref().map(serde_json::from_str).transpose()?,
    })
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<UsulanRow>, ServerError> {
    let row: Option<RawRow> = sqlx::query_as("SELECT data, instansi_id, base FROM usulan WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(row_from_raw).transpose()
}

/// The proposals of agency `instansi_id` among `ids`, one query per [`IN_CHUNK`] ids.
pub async fn get_many_in_agency(
    conn: &mut AnyConnection,
    instansi_id: &str,
    ids: &[&str],
) -> Result<Vec<UsulanRow>, ServerError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = format!(
            "SELECT data, instansi_id, base FROM usulan WHERE instansi_id = $1 AND id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query_as::<_, RawRow>(&sql).bind(instansi_id);
        for id in chunk {
            q = q.bind(*id);
        }
        for raw in q.fetch_all(&mut *conn).await? {
            out.push(row_from_raw(raw)?);
        }
    }
    Ok(out)
}

/// The ids of the proposals of one agency in one state.
pub async fn ids_by_state(
    conn: &mut AnyConnection,
    instansi_id: &str,
    state: UsulanState,
) -> Result<Vec<String>, ServerError> {
    Ok(sqlx::query_scalar("SELECT id FROM usulan WHERE instansi_id = $1 AND state = $2 ORDER BY id")
        .bind(instansi_id)
        .bind(state.as_str())
        .fetch_all(&mut *conn)
        .await?)
}

/// The proposals of one ASN waiting for a reviewer (submitted or verified).
pub async fn pending_of(conn: &mut AnyConnection, nip: &str) -> Result<Vec<UsulanRow>, ServerError> {
    let rows: Vec<RawRow> = sqlx::query_as(
        "SELECT data, instansi_id, base FROM usulan WHERE nip = $1 AND state IN ('submitted', 'verified')",
    )
    .bind(nip)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(row_from_raw).collect()
}

/// Store the base snapshot of a proposal (at submission and resubmission).
pub async fn set_base(conn: &mut AnyConnection, id: &str, base: Option<&HistoryRecord>) -> Result<(), ServerError> {
    sqlx::query("UPDATE usulan SET base = $1 WHERE id = $2")
        .bind(base.map(serde_json::to_string).transpose()?)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The proposals of `nip` among `ids`, one query per [`IN_CHUNK`] ids.
pub async fn get_many(conn: &mut AnyConnection, nip: &str, ids: &[&str]) -> Result<Vec<Usulan>, ServerError> {
    owned_json_rows(conn, "usulan", nip, ids).await
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

/// Store `u`'s data as it is (its state unchanged): the SIASN step after approval.
pub async fn put_data(conn: &mut AnyConnection, u: &Usulan) -> Result<(), ServerError> {
    sqlx::query("UPDATE usulan SET data = $1, updated_at = $2 WHERE id = $3")
        .bind(serde_json::to_string(u)?)
        .bind(u.updated_at.to_rfc3339())
        .bind(&u.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
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
    owned_json_rows(conn, "notification", nip, ids).await
}

/// The JSON `data` column of `table`'s rows owned by `nip` among `ids`, one query per [`IN_CHUNK`] ids.
/// `table` is a table name from the code, never input.
pub(crate) async fn owned_json_rows<T: serde::de::DeserializeOwned>(
    conn: &mut AnyConnection,
    table: &'static str,
    nip: &str,
    ids: &[&str],
) -> Result<Vec<T>, ServerError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_CHUNK) {
        let sql = format!("SELECT data FROM {table} WHERE nip = $1 AND id IN ({})", placeholders(2, chunk.len()));
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

/// Insert many notifications at once (multi-row inserts): `(nip, notification)`.
pub async fn insert_notifications(
    conn: &mut AnyConnection,
    rows: &[(String, Notification)],
) -> Result<(), ServerError> {
    for chunk in rows.chunks(IN_CHUNK) {
        let values: Vec<String> = (0..chunk.len()).map(|i| format!("({})", placeholders(i * 3 + 1, 3))).collect();
        let sql = format!("INSERT INTO notification (id, nip, data) VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql);
        for (nip, n) in chunk {
            q = q.bind(n.id.clone()).bind(nip.clone()).bind(serde_json::to_string(n)?);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
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

/// How many proposals of `nip` other than `except_id`, submitted, verified or approved, change `record_id` (the
/// one-time edit rule's `changes_before`). The `LIKE` narrows the rows to those naming the record; each is then
/// read to be sure, so the cost is the ASN's proposals of that record, not all of them.
pub async fn changes_before(
    conn: &mut AnyConnection,
    nip: &str,
    record_id: &str,
    except_id: &str,
) -> Result<u32, ServerError> {
    let escaped = record_id.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let pattern = format!("%\"record_id\":\"{escaped}\"%");
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT data FROM usulan WHERE nip = $1 AND id <> $2 AND state IN ('submitted', 'verified', 'approved') \
         AND data LIKE $3 ESCAPE '\\'",
    )
    .bind(nip)
    .bind(except_id)
    .bind(pattern)
    .fetch_all(&mut *conn)
    .await?;
    let mut n = 0;
    for data in rows {
        let u: Usulan = serde_json::from_str(&data)?;
        if matches!(&u.action, mysapk_model::usulan::UsulanAction::ChangeHistory { record_id: r, .. } if r == record_id)
        {
            n += 1;
        }
    }
    Ok(n)
}
