//! SQL for `sessions` (one per login) and the session side of `tokens` (which family a token belongs to, and the
//! refresh token it was rotated from). Times are milliseconds since the Unix epoch.

use sqlx::AnyConnection;

use super::WriteTx;
use crate::error::ServerError;

/// A stored session.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: String,
    pub nip: String,
    pub device_name: Option<String>,
    pub created_at: i64,
    pub last_used_at: i64,
    /// The absolute end.
    pub expires_at: i64,
    /// 0 while live, else when it was ended.
    pub revoked_at: i64,
    /// The account must enrol a second factor first: this session may do nothing else.
    pub enrollment_only: bool,
}

const SESSION_COLUMNS: &str = "id, nip, device_name, created_at, last_used_at, expires_at, revoked_at, enrollment_only";
type RawSession = (String, String, Option<String>, i64, i64, i64, i64, i64);

fn session_row(
    (id, nip, device_name, created_at, last_used_at, expires_at, revoked_at, enrollment_only): RawSession,
) -> SessionRow {
    SessionRow {
        id,
        nip,
        device_name,
        created_at,
        last_used_at,
        expires_at,
        revoked_at,
        enrollment_only: enrollment_only != 0,
    }
}

pub async fn insert_session(conn: &mut AnyConnection, s: &SessionRow) -> Result<(), ServerError> {
    sqlx::query(&format!("INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)"))
        .bind(&s.id)
        .bind(&s.nip)
        .bind(s.device_name.clone())
        .bind(s.created_at)
        .bind(s.last_used_at)
        .bind(s.expires_at)
        .bind(i64::from(s.enrollment_only))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn find_session(conn: &mut AnyConnection, id: &str) -> Result<Option<SessionRow>, ServerError> {
    let row: Option<RawSession> = sqlx::query_as(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(session_row))
}

/// The live sessions of `nip` at `now` (not ended, not past their end, used since `idle_since`), newest use first.
pub async fn live_sessions(
    conn: &mut AnyConnection,
    nip: &str,
    now: i64,
    idle_since: i64,
) -> Result<Vec<SessionRow>, ServerError> {
    let rows: Vec<RawSession> = sqlx::query_as(&format!(
        "SELECT {SESSION_COLUMNS} FROM sessions WHERE nip = $1 AND revoked_at = 0 AND expires_at > $2 \
         AND last_used_at > $3 ORDER BY last_used_at DESC, id"
    ))
    .bind(nip)
    .bind(now)
    .bind(idle_since)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(session_row).collect())
}

/// Record a use (a refresh) of a session.
pub async fn touch(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), ServerError> {
    sqlx::query("UPDATE sessions SET last_used_at = $1 WHERE id = $2").bind(now).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// End a session: it and every access and refresh token of it (rotated ones included) are revoked outright.
/// Returns how many tokens were revoked.
pub async fn revoke_session(tx: &mut WriteTx<'_>, id: &str, now: i64) -> Result<u64, ServerError> {
    tx.tokens_changed();
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0")
        .bind(now.max(1))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let done = sqlx::query("UPDATE tokens SET revoked = 1 WHERE session_id = $1 AND revoked <> 1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Store a token of session `session_id`; `parent_hash`: the refresh token this pair was rotated from.
pub async fn insert_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    kind: &str,
    nip: &str,
    expires_at: i64,
    session_id: &str,
    parent_hash: Option<&str>,
) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, nip, expires_at, revoked, created_at, session_id, parent_hash) \
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7)",
    )
    .bind(token_hash)
    .bind(kind)
    .bind(nip)
    .bind(expires_at)
    .bind(super::now_text())
    .bind(session_id)
    .bind(parent_hash.map(str::to_owned))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The session a token belongs to (`None` for an unknown token or one issued before sessions existed).
pub async fn session_of_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<String>, ServerError> {
    let id: Option<Option<String>> = sqlx::query_scalar("SELECT session_id FROM tokens WHERE token_hash = $1")
        .bind(token_hash)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(id.flatten())
}

/// Whether a refresh token rotated from `token_hash` has itself been used (rotated) or revoked: then the token is
/// no longer the newest rotation, and using it again means someone else holds a copy.
pub async fn successor_used(conn: &mut AnyConnection, token_hash: &str) -> Result<bool, ServerError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tokens WHERE parent_hash = $1 AND revoked <> 0")
        .bind(token_hash)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Delete expired tokens, and sessions past their end or idle since `idle_since` (with their tokens); returns
/// (tokens, sessions) deleted.
pub async fn purge(conn: &mut AnyConnection, now: i64, idle_since: i64) -> Result<(u64, u64), ServerError> {
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_used_at <= $2")
        .bind(now)
        .bind(idle_since)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let tokens = sqlx::query(
        "DELETE FROM tokens WHERE expires_at <= $1 \
         OR (session_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = tokens.session_id))",
    )
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok((tokens, sessions))
}

/// Name the device of session `id` (of `nip`); returns whether there was such a session.
pub async fn set_device_name(
    conn: &mut AnyConnection,
    id: &str,
    nip: &str,
    name: Option<&str>,
) -> Result<bool, ServerError> {
    let done = sqlx::query("UPDATE sessions SET device_name = $1 WHERE id = $2 AND nip = $3")
        .bind(name.map(str::to_owned))
        .bind(id)
        .bind(nip)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The session has enrolled its account's second factor: it is a full session from now on.
pub async fn end_enrollment_only(tx: &mut WriteTx<'_>, id: &str) -> Result<(), ServerError> {
    tx.tokens_changed();
    sqlx::query("UPDATE sessions SET enrollment_only = 0 WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// End every live session of `nip` (a password reset, a removed second factor); returns how many ended.
pub async fn revoke_all_sessions(tx: &mut WriteTx<'_>, nip: &str, now: i64) -> Result<u64, ServerError> {
    tx.tokens_changed();
    let done = sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE nip = $2 AND revoked_at = 0")
        .bind(now.max(1))
        .bind(nip)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}
