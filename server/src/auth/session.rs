//! Sessions: opaque random tokens stored only as SHA-256 hashes; an access token for requests, a refresh token
//! that rotates on use.

use std::time::{Duration, Instant};

use mysapk_model::auth::{TokenResponse, UserInfo};
use mysapk_model::Code;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::{millis, now_millis, AuthUser, TokenCache};
use crate::db::{self, accounts};
use crate::error::ServerError;

pub const ACCESS: &str = "access";
pub const REFRESH: &str = "refresh";

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

/// Lifetimes of issued tokens.
#[derive(Debug, Clone, Copy)]
pub struct Ttls {
    pub access: Duration,
    pub refresh: Duration,
    /// How long a rotated refresh token may be used again (its answer may have been lost in transit).
    pub refresh_reuse_grace: Duration,
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

pub(super) async fn issue(
    tx: &mut db::WriteTx<'_>,
    user: &accounts::UserRow,
    ttls: Ttls,
) -> Result<TokenResponse, ServerError> {
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
}
