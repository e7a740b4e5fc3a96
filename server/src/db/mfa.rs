//! The second factor's rows: an account's TOTP secret and its single-use recovery codes.

use sqlx::AnyConnection;

use super::WriteTx;
use crate::error::ServerError;

/// An account's TOTP enrolment.
#[derive(Debug, Clone)]
pub struct MfaRow {
    /// Base32.
    pub secret: String,
    /// 0 while the enrolment waits for its first code.
    pub confirmed_at: i64,
    /// The newest accepted time step.
    pub last_step: i64,
}

impl MfaRow {
    pub fn confirmed(&self) -> bool {
        self.confirmed_at != 0
    }
}

pub async fn find(conn: &mut AnyConnection, nip: &str) -> Result<Option<MfaRow>, ServerError> {
    let row: Option<(String, i64, i64)> =
        sqlx::query_as("SELECT secret, confirmed_at, last_step FROM mfa WHERE nip = $1")
            .bind(nip)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(secret, confirmed_at, last_step)| MfaRow { secret, confirmed_at, last_step }))
}

/// Start (or restart) an enrolment with a new secret; only an unconfirmed one is replaced.
pub async fn put_pending(conn: &mut AnyConnection, nip: &str, secret: &str, now: i64) -> Result<(), ServerError> {
    sqlx::query("DELETE FROM mfa WHERE nip = $1 AND confirmed_at = 0").bind(nip).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO mfa (nip, secret, created_at) VALUES ($1, $2, $3)")
        .bind(nip)
        .bind(secret)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Accept the code of time step `step`: true only when no code of this or a later step was accepted before (so
/// each code works once, even when two requests race).
pub async fn accept_step(conn: &mut AnyConnection, nip: &str, step: i64) -> Result<bool, ServerError> {
    let done = sqlx::query("UPDATE mfa SET last_step = $1 WHERE nip = $2 AND last_step < $1")
        .bind(step)
        .bind(nip)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Turn the pending enrolment on; false when there is none (or it is on already).
pub async fn confirm(conn: &mut AnyConnection, nip: &str, now: i64) -> Result<bool, ServerError> {
    let done = sqlx::query("UPDATE mfa SET confirmed_at = $1 WHERE nip = $2 AND confirmed_at = 0")
        .bind(now)
        .bind(nip)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Replace the account's recovery codes (stored hashed).
pub async fn put_recovery_codes(conn: &mut AnyConnection, nip: &str, hashes: &[String]) -> Result<(), ServerError> {
    sqlx::query("DELETE FROM mfa_recovery_codes WHERE nip = $1").bind(nip).execute(&mut *conn).await?;
    for hash in hashes {
        sqlx::query("INSERT INTO mfa_recovery_codes (nip, code_hash) VALUES ($1, $2)")
            .bind(nip)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Use an unused recovery code; false when it is not one of the account's or was used already.
pub async fn use_recovery_code(conn: &mut AnyConnection, nip: &str, hash: &str, now: i64) -> Result<bool, ServerError> {
    let done =
        sqlx::query("UPDATE mfa_recovery_codes SET used_at = $1 WHERE nip = $2 AND code_hash = $3 AND used_at = 0")
            .bind(now)
            .bind(nip)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn unused_recovery_codes(conn: &mut AnyConnection, nip: &str) -> Result<i64, ServerError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mfa_recovery_codes WHERE nip = $1 AND used_at = 0")
        .bind(nip)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// Remove the second factor and its recovery codes; returns whether there was one.
pub async fn remove(tx: &mut WriteTx<'_>, nip: &str) -> Result<bool, ServerError> {
    sqlx::query("DELETE FROM mfa_recovery_codes WHERE nip = $1").bind(nip).execute(&mut **tx).await?;
    let done = sqlx::query("DELETE FROM mfa WHERE nip = $1").bind(nip).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}
