//! Sessions: a login starts a session, a family of opaque random tokens stored only as SHA-256 hashes: an access
//! token for requests, a refresh token that rotates on use. Reusing a refresh token after its successor was used
//! ends the family; a session ends at logout, at its absolute end (`session_max`) and when idle (`session_idle`).

use std::time::{Duration, Instant};

use mysapk_model::auth::{SessionInfo, TokenResponse, UserInfo};
use mysapk_model::Code;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::{millis, now_millis, AuthUser, TokenCache};
use crate::db::{self, accounts, sessions, AfterCommit};
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

/// Lifetimes of issued tokens and of sessions.
#[derive(Debug, Clone, Copy)]
pub struct Ttls {
    pub access: Duration,
    pub refresh: Duration,
    /// How long a rotated refresh token may be used again (its answer may have been lost in transit), as long as
    /// its successor has not been used.
    pub refresh_reuse_grace: Duration,
    /// Absolute session lifetime: no refresh extends a session past its login plus this.
    pub session_max: Duration,
    /// A session not refreshed for this long ends.
    pub session_idle: Duration,
}

/// Rotate a refresh token: revoke it and issue a new pair of the same session. Reusing a token whose successor
/// was already used ends the whole session (a copy of it is in someone else's hands) and is audited.
pub async fn refresh(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    refresh_token: &str,
    ttls: Ttls,
) -> Result<TokenResponse, ServerError> {
    let invalid = || ServerError::api(Code::AuthInvalidRefresh);
    let hash = token_hash(refresh_token);
    let mut tx = db::begin_write(pool, after).await?;
    let row = accounts::find_token(&mut tx, &hash).await?.ok_or_else(invalid)?;
    let session_id = sessions::session_of_token(&mut tx, &hash).await?;
    let session = match session_id {
        Some(id) => sessions::find_session(&mut tx, &id).await?,
        None => None,
    };
    let now = now_millis();
    let Some(session) = session.filter(|s| row.kind == REFRESH && s.nip == row.nip) else {
        return Err(invalid());
    };
    if !live(&session, now, ttls) || row.expires_at <= now {
        return Err(invalid());
    }
    if row.revoked {
        let Some(rotated_at) = row.rotated_at else { return Err(invalid()) };
        if sessions::successor_used(&mut tx, &hash).await? {
            let revoked = sessions::revoke_session(&mut tx, &session.id, now).await?;
            db::audit(
                &mut tx,
                db::Audit {
                    actor: &session.nip,
                    action: "session.reuse_detected",
                    entity: "session",
                    entity_id: &session.id,
                    subject: Some(&session.nip),
                    reason: Some("a refresh token was used again after its successor had been used"),
                    details: serde_json::json!({"tokens_revoked": revoked, "rotated_at": rotated_at}),
                    ..db::Audit::default()
                },
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(nip = %session.nip, session = %session.id, "refresh token reused: session ended");
            return Err(invalid());
        }
        // The newest rotation, its successor unused: the device may never have received the new pair.
        if now - rotated_at > millis(ttls.refresh_reuse_grace) {
            return Err(invalid());
        }
    } else if !accounts::rotate_token(&mut tx, &hash, now).await? {
        return Err(invalid());
    }
    let user = accounts::find_user(&mut tx, &row.nip).await?.ok_or_else(invalid)?;
    if let Some(reason) = accounts::locked_reason(&mut tx, &row.nip).await? {
        return Err(ServerError::api_detail(Code::AuthLocked, reason));
    }
    sessions::touch(&mut tx, &session.id, now).await?;
    let resp = issue_pair(&mut tx, &user, ttls, &session, Some(&hash)).await?;
    tx.commit().await?;
    Ok(resp)
}

/// Whether a session is live at `now`: not ended, not past its absolute end, not idle too long.
fn live(s: &sessions::SessionRow, now: i64, ttls: Ttls) -> bool {
    s.revoked_at == 0 && s.expires_at > now && s.last_used_at + millis(ttls.session_idle) > now
}

/// Start a session (a login) and issue its first token pair. Expired tokens and ended sessions are purged here:
/// a login is rare next to requests and refreshes, happens on every node, and needs no scheduler.
/// What a new session is: how its device names itself, and whether it may only enrol a second factor.
#[derive(Debug, Clone, Copy, Default)]
pub struct NewSession<'a> {
    pub device_name: Option<&'a str>,
    pub enrollment_only: bool,
}

pub async fn start(
    tx: &mut db::WriteTx<'_>,
    user: &accounts::UserRow,
    ttls: Ttls,
    new: NewSession<'_>,
) -> Result<TokenResponse, ServerError> {
    let now = now_millis();
    let (tokens, ended) = sessions::purge(tx, now, now - millis(ttls.session_idle)).await?;
    if tokens + ended > 0 {
        tracing::debug!(tokens, sessions = ended, "purged expired tokens and sessions");
    }
    let session = sessions::SessionRow {
        id: uuid::Uuid::new_v4().simple().to_string(),
        nip: user.nip.clone(),
        device_name: new.device_name.map(clean_device_name).filter(|n| !n.is_empty()),
        created_at: now,
        last_used_at: now,
        expires_at: now.saturating_add(millis(ttls.session_max)),
        revoked_at: 0,
        enrollment_only: new.enrollment_only,
    };
    sessions::insert_session(tx, &session).await?;
    issue_pair(tx, user, ttls, &session, None).await
}

/// The longest device name kept.
pub const MAX_DEVICE_NAME: usize = 100;

/// A device name as stored: control characters dropped, trimmed, at most [`MAX_DEVICE_NAME`] characters.
pub fn clean_device_name(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(MAX_DEVICE_NAME).collect::<String>().trim().to_owned()
}

/// A token pair of `session`, neither outliving it; `parent`: the refresh token it replaces.
async fn issue_pair(
    tx: &mut db::WriteTx<'_>,
    user: &accounts::UserRow,
    ttls: Ttls,
    session: &sessions::SessionRow,
    parent: Option<&str>,
) -> Result<TokenResponse, ServerError> {
    let access = new_token();
    let refresh = new_token();
    let now = now_millis();
    let end = session.expires_at;
    let (nip, sid) = (&user.nip, &session.id);
    let access_until = (now + millis(ttls.access)).min(end);
    let refresh_until = (now + millis(ttls.refresh)).min(end);
    sessions::insert_token(tx, &token_hash(&access), ACCESS, nip, access_until, sid, None).await?;
    sessions::insert_token(tx, &token_hash(&refresh), REFRESH, nip, refresh_until, sid, parent).await?;
    let nama = match db::records::get_profile(tx, &user.nip).await? {
        Some(p) => p.full_name(),
        None => user.nip.clone(),
    };
    Ok(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        expires_in: (access_until - now).max(0) / 1000,
        token_type: "Bearer".into(),
        user: UserInfo {
            nip: user.nip.clone(),
            nama,
            instansi_id: user.instansi_id.clone(),
            roles: user.roles.clone(),
        },
        mfa_enrollment_required: session.enrollment_only,
    })
}

/// `POST /api/v1/auth/logout`: end the session of `refresh_token` when it is the caller's, and the session of
/// the caller's own access token (`access_hash`) in any case.
pub async fn logout(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    caller: &AuthUser,
    access_hash: &str,
    refresh_token: &str,
) -> Result<(), ServerError> {
    let mut tx = db::begin_write(pool, after).await?;
    let now = now_millis();
    let mut ended = Vec::new();
    for hash in [access_hash.to_owned(), token_hash(refresh_token)] {
        let Some(id) = sessions::session_of_token(&mut tx, &hash).await? else { continue };
        let owned = sessions::find_session(&mut tx, &id).await?.is_some_and(|s| s.nip == caller.nip);
        if owned && !ended.contains(&id) {
            sessions::revoke_session(&mut tx, &id, now).await?;
            ended.push(id);
        }
    }
    tx.commit().await?;
    tracing::info!(nip = %caller.nip, sessions = ended.len(), "logout");
    Ok(())
}

/// `GET /api/v1/auth/sessions`: the caller's live sessions.
pub async fn list(
    pool: &AnyPool,
    caller: &AuthUser,
    access_hash: &str,
    ttls: Ttls,
) -> Result<Vec<SessionInfo>, ServerError> {
    let mut conn = pool.acquire().await?;
    let now = now_millis();
    let current = sessions::session_of_token(&mut conn, access_hash).await?;
    let rows = sessions::live_sessions(&mut conn, &caller.nip, now, now - millis(ttls.session_idle)).await?;
    Ok(rows
        .into_iter()
        .map(|s| SessionInfo {
            current: current.as_deref() == Some(s.id.as_str()),
            created_at: rfc3339(s.created_at),
            last_used_at: rfc3339(s.last_used_at),
            device_name: s.device_name,
            id: s.id,
        })
        .collect())
}

/// `PATCH /api/v1/auth/sessions/current`: how the device of the caller's session names itself (cleaned; empty
/// clears it). A token issued before sessions existed has none: `session.not_found`.
pub async fn name_current(
    pool: &AnyPool,
    caller: &AuthUser,
    access_hash: &str,
    raw_name: &str,
) -> Result<(), ServerError> {
    let name = clean_device_name(raw_name);
    // Naming changes nothing a cache or a stream holds.
    let mut tx = db::begin_write(pool, &db::NoHook).await?;
    let id = sessions::session_of_token(&mut tx, access_hash)
        .await?
        .ok_or_else(|| ServerError::api(Code::SessionNotFound))?;
    let named = Some(name.as_str()).filter(|n| !n.is_empty());
    if !sessions::set_device_name(&mut tx, &id, &caller.nip, named).await? {
        return Err(ServerError::api(Code::SessionNotFound));
    }
    tx.commit().await?;
    Ok(())
}

/// `DELETE /api/v1/auth/sessions/{id}`: end one of the caller's live sessions; anyone else's, or an ended one,
/// is not found.
pub async fn end(
    pool: &AnyPool,
    after: &dyn AfterCommit,
    caller: &AuthUser,
    id: &str,
    ttls: Ttls,
) -> Result<(), ServerError> {
    let mut tx = db::begin_write(pool, after).await?;
    let now = now_millis();
    let found = sessions::find_session(&mut tx, id).await?.filter(|s| s.nip == caller.nip && live(s, now, ttls));
    if found.is_none() {
        return Err(ServerError::api(Code::SessionNotFound));
    }
    sessions::revoke_session(&mut tx, id, now).await?;
    tx.commit().await?;
    tracing::info!(nip = %caller.nip, session = %id, "session ended by its owner");
    Ok(())
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
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
    let user = AuthUser {
        nip: row.user.nip,
        roles: row.user.roles,
        instansi_id: row.user.instansi_id,
        enrollment_only: row.enrollment_only,
    };
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

    #[test]
    fn device_names_lose_control_characters_and_length() {
        assert_eq!(clean_device_name(" Laptop\u{0}\n Budi\u{1b}[31m "), "Laptop Budi[31m");
        assert_eq!(clean_device_name(&"x".repeat(300)).chars().count(), MAX_DEVICE_NAME);
    }
}
