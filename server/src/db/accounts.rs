//! SQL for `users` and `tokens`.

use mysapk_model::usulan::Role;
use sqlx::AnyConnection;

use super::WriteTx;
use crate::error::ServerError;

/// A stored account.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub nip: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
    pub instansi_id: String,
}

pub fn roles_to_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(",")
}

pub fn roles_from_text(s: &str) -> Vec<Role> {
    s.split(',').filter_map(|r| Role::parse(r.trim())).collect()
}

pub async fn find_user(conn: &mut AnyConnection, nip: &str) -> Result<Option<UserRow>, ServerError> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT nip, password_hash, roles, instansi_id FROM users WHERE nip = $1")
            .bind(nip)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(nip, password_hash, roles, instansi_id)| UserRow {
        nip,
        password_hash,
        roles: roles_from_text(&roles),
        instansi_id,
    }))
}

pub async fn insert_user(conn: &mut AnyConnection, user: &UserRow) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO users (nip, password_hash, roles, instansi_id, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&user.nip)
        .bind(&user.password_hash)
        .bind(roles_to_text(&user.roles))
        .bind(&user.instansi_id)
        .bind(super::now_text())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn instansi_nama(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, ServerError> {
    Ok(sqlx::query_scalar("SELECT nama FROM instansi WHERE id = $1").bind(id).fetch_optional(&mut *conn).await?)
}

pub async fn upsert_instansi(conn: &mut AnyConnection, id: &str, nama: &str) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO instansi (id, nama) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET nama = excluded.nama")
        .bind(id)
        .bind(nama)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A stored token (looked up by the SHA-256 hash of the opaque value).
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub nip: String,
    pub kind: String,
    /// Milliseconds since the Unix epoch.
    pub expires_at: i64,
    pub revoked: bool,
    /// When a refresh token was rotated (ms since the epoch); `None` when live or revoked outright.
    pub rotated_at: Option<i64>,
}

/// `tokens.revoked`: 0 live, 1 revoked outright (logout, lock, reset), any larger value the time a refresh
/// token was rotated, which allows a short reuse window (see `auth::refresh`).
const REVOKED: i64 = 1;

fn token_row(nip: String, kind: String, expires_at: i64, revoked: i64) -> TokenRow {
    TokenRow { nip, kind, expires_at, revoked: revoked != 0, rotated_at: (revoked > REVOKED).then_some(revoked) }
}

pub async fn find_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<TokenRow>, ServerError> {
    let row: Option<(String, String, i64, i64)> =
        sqlx::query_as("SELECT nip, kind, expires_at, revoked FROM tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(nip, kind, expires_at, revoked)| token_row(nip, kind, expires_at, revoked)))
}

/// A token with its account (the access-token check in one query).
#[derive(Debug, Clone)]
pub struct AccessRow {
    pub token: TokenRow,
    pub user: UserRow,
    /// The token's session may only enrol a second factor.
    pub enrollment_only: bool,
}

pub async fn find_access(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<AccessRow>, ServerError> {
    type Raw = (String, i64, i64, String, String, String, i64);
    let row: Option<Raw> = sqlx::query_as(
        "SELECT t.kind, t.expires_at, t.revoked, u.nip, u.roles, u.instansi_id, COALESCE(s.enrollment_only, 0) \
         FROM tokens t JOIN users u ON u.nip = t.nip LEFT JOIN sessions s ON s.id = t.session_id \
         WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(kind, expires_at, revoked, nip, roles, instansi_id, enrollment_only)| AccessRow {
        token: token_row(nip.clone(), kind, expires_at, revoked),
        user: UserRow { nip, password_hash: String::new(), roles: roles_from_text(&roles), instansi_id },
        enrollment_only: enrollment_only != 0,
    }))
}

/// Mark a live refresh token as rotated at `now` (ms); returns whether this call rotated it (false: a concurrent
/// refresh did first). Only refresh tokens rotate, so the access-token cache is not touched.
pub async fn rotate_token(conn: &mut AnyConnection, token_hash: &str, now: i64) -> Result<bool, ServerError> {
    let done = sqlx::query("UPDATE tokens SET revoked = $1 WHERE token_hash = $2 AND revoked = 0")
        .bind(now.max(REVOKED + 1))
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_roles(tx: &mut WriteTx<'_>, nip: &str, roles: &[Role]) -> Result<(), ServerError> {
    tx.tokens_changed();
    sqlx::query("UPDATE users SET roles = $1 WHERE nip = $2")
        .bind(roles_to_text(roles))
        .bind(nip)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The lock reason, or `None` when the account is not locked.
pub async fn locked_reason(conn: &mut AnyConnection, nip: &str) -> Result<Option<String>, ServerError> {
    let r: Option<Option<String>> = sqlx::query_scalar("SELECT locked_reason FROM users WHERE nip = $1")
        .bind(nip)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(r.flatten())
}

pub async fn set_locked(tx: &mut WriteTx<'_>, nip: &str, reason: Option<&str>) -> Result<(), ServerError> {
    tx.tokens_changed();
    sqlx::query("UPDATE users SET locked_reason = $1 WHERE nip = $2")
        .bind(reason.map(str::to_owned))
        .bind(nip)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_password_hash(tx: &mut WriteTx<'_>, nip: &str, hash: &str) -> Result<(), ServerError> {
    tx.tokens_changed();
    sqlx::query("UPDATE users SET password_hash = $1 WHERE nip = $2").bind(hash).bind(nip).execute(&mut **tx).await?;
    Ok(())
}

/// Revoke every token of an account outright, including rotated refresh tokens still in their reuse window;
/// returns how many.
pub async fn revoke_all_tokens(tx: &mut WriteTx<'_>, nip: &str) -> Result<u64, ServerError> {
    tx.tokens_changed();
    let done = sqlx::query("UPDATE tokens SET revoked = 1 WHERE nip = $1 AND revoked <> 1")
        .bind(nip)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Store a new reset code (replacing any earlier one).
pub async fn put_reset_code(
    conn: &mut AnyConnection,
    nip: &str,
    code_hash: &str,
    expires_at: i64,
    created_by: &str,
) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO reset_code (nip, code_hash, expires_at, used, attempts, created_by, created_at) \
         VALUES ($1, $2, $3, 0, 0, $4, $5) ON CONFLICT (nip) DO UPDATE SET code_hash = excluded.code_hash, \
         expires_at = excluded.expires_at, used = 0, attempts = 0, created_by = excluded.created_by, \
         created_at = excluded.created_at",
    )
    .bind(nip)
    .bind(code_hash)
    .bind(expires_at)
    .bind(created_by)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A stored reset code.
#[derive(Debug, Clone)]
pub struct ResetRow {
    pub code_hash: String,
    pub expires_at: i64,
    pub used: bool,
    pub attempts: i64,
}

pub async fn get_reset_code(conn: &mut AnyConnection, nip: &str) -> Result<Option<ResetRow>, ServerError> {
    let row: Option<(String, i64, i64, i64)> =
        sqlx::query_as("SELECT code_hash, expires_at, used, attempts FROM reset_code WHERE nip = $1")
            .bind(nip)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(code_hash, expires_at, used, attempts)| ResetRow { code_hash, expires_at, used: used != 0, attempts }))
}

/// Mark the code used if it is still unused; returns whether this call used it.
pub async fn use_reset_code(conn: &mut AnyConnection, nip: &str) -> Result<bool, ServerError> {
    let done =
        sqlx::query("UPDATE reset_code SET used = 1 WHERE nip = $1 AND used = 0").bind(nip).execute(&mut *conn).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn count_reset_attempt(conn: &mut AnyConnection, nip: &str) -> Result<(), ServerError> {
    sqlx::query("UPDATE reset_code SET attempts = attempts + 1 WHERE nip = $1").bind(nip).execute(&mut *conn).await?;
    Ok(())
}
