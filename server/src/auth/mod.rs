//! Passwords (argon2id) and tokens (random opaque strings, stored only as SHA-256 hashes).
//!
//! Refresh tokens rotate: using one revokes it and issues a new access/refresh pair.

mod token_cache;

use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use mysapk_model::auth::{TokenResponse, UserInfo};
use mysapk_model::usulan::Role;
use mysapk_model::Code;
use mysapk_model::Nip;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::db::{self, accounts, AfterCommit};
use crate::error::ServerError;

pub use token_cache::{TokenCache, TOKEN_CACHE_TTL};

pub const ACCESS: &str = "access";
pub const REFRESH: &str = "refresh";

/// Hash a password with argon2id (CPU-heavy: call from a blocking thread in request paths).
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches the stored PHC hash.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A fresh random opaque token (256 bits, hex).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 2)
}

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub nip: String,
    pub roles: Vec<Role>,
    pub instansi_id: String,
}

/// Lifetimes of issued tokens.
#[derive(Debug, Clone, Copy)]
pub struct Ttls {
    pub access: Duration,
    pub refresh: Duration,
    /// How long a rotated refresh token may be used again (its answer may have been lost in transit).
    pub refresh_reuse_grace: Duration,
}

/// Check a login and issue a token pair.
pub async fn login(pool: &AnyPool, raw_nip: &str, password: &str, ttls: Ttls) -> Result<TokenResponse, ServerError> {
    let nip = Nip::parse(raw_nip).map_err(ServerError::rule)?;
    let mut conn = pool.acquire().await?;
    let Some(user) = accounts::find_user(&mut conn, nip.as_str()).await? else {
        return Err(ServerError::api(Code::AuthNoAccount));
    };
    let locked = accounts::locked_reason(&mut conn, nip.as_str()).await?;
    drop(conn);
    if user.password_hash.is_empty() {
        if let Some(reason) = locked {
            return Err(ServerError::api_detail(Code::AuthLocked, reason));
        }
        return Err(ServerError::api(Code::AuthNotActivated));
    }
    let phc = user.password_hash.clone();
    let password = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &phc))
        .await
        .map_err(|e| ServerError::internal(format!("password check task: {e}")))?;
    if !ok {
        tracing::info!(nip = %nip, "login refused: wrong password");
        return Err(ServerError::api(Code::AuthWrongPassword));
    }
    if let Some(reason) = locked {
        tracing::info!(nip = %nip, "login refused: locked");
        // The admin's reason, verbatim.
        return Err(ServerError::api_detail(Code::AuthLocked, reason));
    }
    // New tokens change nothing a cache or a stream holds.
    let mut tx = db::begin_write(pool, &db::NoHook).await?;
    let resp = issue(&mut tx, &user, ttls).await?;
    tx.commit().await?;
    tracing::info!(nip = %nip, "login");
    Ok(resp)
}

/// Rotate a refresh token: revoke it and issue a new pair.
pub async fn refresh(pool: &AnyPool, refresh_token: &str, ttls: Ttls) -> Result<TokenResponse, ServerError> {
    let invalid = || ServerError::api(Code::AuthInvalidRefresh);
    let hash = token_hash(refresh_token);
    // Rotating a refresh token changes no cached access-token check.
    let mut tx = db::begin_write(pool, &db::NoHook).await?;
    let row = accounts::find_token(&mut tx, &hash).await?.ok_or_else(invalid)?;
    let now = now_millis();
    // A token rotated moments ago may be used again: the device may never have received the new pair.
    let reusable = row.rotated_at.is_some_and(|at| now - at <= millis(ttls.refresh_reuse_grace));
    if row.kind != REFRESH || (row.revoked && !reusable) || row.expires_at <= now {
        return Err(invalid());
    }
    if !row.revoked {
        // Losing this race to a concurrent refresh of the same token is the reuse case above.
        accounts::rotate_token(&mut tx, &hash, now).await?;
    }
    let user = accounts::find_user(&mut tx, &row.nip).await?.ok_or_else(invalid)?;
    if let Some(reason) = accounts::locked_reason(&mut tx, &row.nip).await? {
        return Err(ServerError::api_detail(Code::AuthLocked, reason));
    }
    let resp = issue(&mut tx, &user, ttls).await?;
    tx.commit().await?;
    Ok(resp)
}

async fn issue(tx: &mut db::WriteTx<'_>, user: &accounts::UserRow, ttls: Ttls) -> Result<TokenResponse, ServerError> {
    let access = new_token();
    let refresh = new_token();
    let now = now_millis();
    accounts::insert_token(tx, &token_hash(&access), ACCESS, &user.nip, now + millis(ttls.access)).await?;
    accounts::insert_token(tx, &token_hash(&refresh), REFRESH, &user.nip, now + millis(ttls.refresh)).await?;
    let nama = match db::records::get_profile(tx, &user.nip).await? {
        Some(p) => p.full_name(),
        None => user.nip.clone(),
    };
    Ok(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        expires_in: i64::try_from(ttls.access.as_secs()).unwrap_or(i64::MAX),
        token_type: "Bearer".into(),
        user: UserInfo {
            nip: user.nip.clone(),
            nama,
            instansi_id: user.instansi_id.clone(),
            roles: user.roles.clone(),
        },
    })
}

/// Resolve a bearer access token to its user: from `cache` when fresh (see [`TokenCache`]), else one query.
pub async fn authenticate(pool: &AnyPool, cache: &TokenCache, access_token: &str) -> Result<AuthUser, ServerError> {
    let invalid = || ServerError::api(Code::AuthInvalidToken);
    let expired = || ServerError::api(Code::AuthExpiredToken);
    let hash = token_hash(access_token);
    if let Some((user, expires_at)) = cache.get(&hash) {
        return if expires_at <= now_millis() { Err(expired()) } else { Ok(user) };
    }
    let (at, generation) = (Instant::now(), cache.generation());
    let row = {
        let mut conn = pool.acquire().await?;
        accounts::find_access(&mut conn, &hash).await?
    };
    let Some(row) = row.filter(|r| r.token.kind == ACCESS && !r.token.revoked) else {
        cache.forget(&hash);
        return Err(invalid());
    };
    if row.token.expires_at <= now_millis() {
        cache.forget(&hash);
        return Err(expired());
    }
    let user = AuthUser { nip: row.user.nip, roles: row.user.roles, instansi_id: row.user.instansi_id };
    cache.put(hash, user.clone(), row.token.expires_at, at, generation);
    Ok(user)
}

/// Minimum length of a password set with a reset code.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Wrong codes tolerated before a reset code stops working.
pub const MAX_RESET_ATTEMPTS: i64 = 5;

/// The stored form of a reset code (bound to its NIP).
pub fn reset_code_hash(nip: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{nip}:{}", code.trim().to_uppercase()).as_bytes()))
}

/// `POST /api/v1/auth/reset`: set a new password with a one-time code; the account's tokens are revoked and the
/// new password works at once.
pub async fn reset_password(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    raw_nip: &str,
    code: &str,
    new_password: &str,
) -> Result<(), ServerError> {
    let nip = Nip::parse(raw_nip).map_err(ServerError::rule)?;
    if new_password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ServerError::api_detail(
            Code::PasswordTooShort,
            format!("The password must have at least {MIN_PASSWORD_LEN} characters."),
        )
        .on_field("new_password"));
    }
    let invalid = || ServerError::api(Code::AuthResetInvalid);
    let password = new_password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ServerError::internal(format!("password hashing task: {e}")))??;
    let mut tx = db::begin_write(pool, after).await?;
    let row = accounts::get_reset_code(&mut tx, nip.as_str()).await?.ok_or_else(invalid)?;
    if row.used || row.expires_at <= now_millis() || row.attempts >= MAX_RESET_ATTEMPTS {
        return Err(invalid());
    }
    if row.code_hash != reset_code_hash(nip.as_str(), code) {
        accounts::count_reset_attempt(&mut tx, nip.as_str()).await?;
        tx.commit().await?;
        return Err(invalid());
    }
    if !accounts::use_reset_code(&mut tx, nip.as_str()).await? {
        return Err(invalid());
    }
    accounts::set_password_hash(&mut tx, nip.as_str(), &hash).await?;
    let revoked = accounts::revoke_all_tokens(&mut tx, nip.as_str()).await?;
    db::audit(
        &mut tx,
        db::Audit {
            actor: nip.as_str(),
            action: "account.password_reset",
            entity: "account",
            entity_id: nip.as_str(),
            subject: Some(nip.as_str()),
            details: serde_json::json!({"tokens_revoked": revoked}),
            ..db::Audit::default()
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(nip = %nip, "password reset");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn password_round_trip() {
        let h = hash_password("demo1234").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo1234", &h));
        assert!(!verify_password("demo12345", &h));
        assert!(!verify_password("demo1234", "not a hash"));
    }
}
