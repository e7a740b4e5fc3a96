//! SQL for `device_state` and `mutation_outcome`: the per-device push bookkeeping.

use mysapk_model::sync::MutationOutcome;
use sqlx::AnyConnection;

use crate::error::ServerError;

pub async fn last_seq(conn: &mut AnyConnection, nip: &str, device_id: &str) -> Result<i64, ServerError> {
    let seq: Option<i64> = sqlx::query_scalar("SELECT last_seq FROM device_state WHERE nip = $1 AND device_id = $2")
        .bind(nip)
        .bind(device_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(seq.unwrap_or(0))
}

pub async fn set_last_seq(conn: &mut AnyConnection, nip: &str, device_id: &str, seq: i64) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO device_state (nip, device_id, last_seq) VALUES ($1, $2, $3) \
         ON CONFLICT (nip, device_id) DO UPDATE SET last_seq = excluded.last_seq",
    )
    .bind(nip)
    .bind(device_id)
    .bind(seq)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn stored_outcome(
    conn: &mut AnyConnection,
    nip: &str,
    device_id: &str,
    seq: i64,
) -> Result<Option<MutationOutcome>, ServerError> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT outcome FROM mutation_outcome WHERE nip = $1 AND device_id = $2 AND seq = $3")
            .bind(nip)
            .bind(device_id)
            .bind(seq)
            .fetch_optional(&mut *conn)
            .await?;
    match json {
        Some(j) => Ok(Some(serde_json::from_str(&j)?)),
        None => Ok(None),
    }
}

pub async fn store_outcome(
    conn: &mut AnyConnection,
    nip: &str,
    device_id: &str,
    seq: i64,
    mutation_id: &str,
    outcome: &MutationOutcome,
) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO mutation_outcome (nip, device_id, seq, mutation_id, outcome) VALUES ($1, $2, $3, $4, $5)")
        .bind(nip)
        .bind(device_id)
        .bind(seq)
        .bind(mutation_id)
        .bind(serde_json::to_string(outcome)?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
