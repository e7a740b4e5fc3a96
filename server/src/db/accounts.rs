//! SQL for `users` and `tokens`.

use mysapk_model::usulan::Role;
use sqlx::AnyConnection;

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
}

pub async fn insert_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    kind: &str,
    nip: &str,
    expires_at: i64,
) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, nip, expires_at, revoked, created_at) VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(token_hash)
    .bind(kind)
    .bind(nip)
    .bind(expires_at)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn find_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<TokenRow>, ServerError> {
    let row: Option<(String, String, i64, i64)> =
        sqlx::query_as("SELECT nip, kind, expires_at, revoked FROM tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(nip, kind, expires_at, revoked)| TokenRow { nip, kind, expires_at, revoked: revoked != 0 }))
}

/// Revoke a token if it is still live; returns whether this call revoked it (false: someone else did first).
pub async fn revoke_token(conn: &mut AnyConnection, token_hash: &str) -> Result<bool, ServerError> {
    let done = sqlx::query("UPDATE tokens SET revoked = 1 WHERE token_hash = $1 AND revoked = 0")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
