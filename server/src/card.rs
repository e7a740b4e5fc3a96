//! The digital ASN card: a signed, expiring token (`POST /api/v1/card`) that anyone can check at the public
//! `GET /api/v1/verify/{token}`, or offline with the public keys of `GET /api/v1/card/keys`.
//!
//! A token is a JWS in compact form (RFC 7515, EdDSA of RFC 8037): `base64url(header) "." base64url(payload)
//! "." base64url(Ed25519 signature of the first two parts as sent)`, unpadded. The header is
//! `{"alg":"EdDSA","kid":…}`, the payload the JSON `{"nip", "iat", "exp"}` (seconds since the epoch). Any altered
//! byte fails the check (strict Ed25519 verification), and so does a key id not in the key set.
//!
//! Keys live in the table `card_key`, read at every signature and check, so a rotation counts on every node at
//! once. The current key is the newest one not retired. Its private half is either
//! - read from `MYSAPK_CARD_KEY_FILE` (PKCS#8 PEM; every node gets the same file): only the public half is
//!   written to the table, for the key set; or
//! - generated into the table (the embedded single-node default, and a cluster that trusts its database with
//!   the key): the first node that finds no current key writes one.
//!
//! `mysapk-server card-key rotate` adds a new current key and retires the others: a retired key signs nothing
//! (its private half is erased) but stays in the key set and keeps verifying until the last token it signed
//! has expired (retirement + card TTL + [`CLOCK_MARGIN`]); then it is dropped.

use std::path::Path;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use mysapk_model::card::{CardCheck, CardInvalid, CardJwk, CardKeySet, CardToken};
pub use mysapk_model::card_token::{Claims, Header, Unverified, ALG, MAX_TOKEN_LEN};
use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};

use crate::db::{self, accounts, records};
use crate::error::{CardKeyError, ServerError};

/// How long past `retired + TTL` a retired key still verifies: a node that read the key just before the
/// rotation may sign with it a moment after, and nodes' clocks differ a little.
pub const CLOCK_MARGIN: Duration = Duration::from_secs(300);

/// The key id of a public key: the first 16 characters of its RFC 7638 JWK thumbprint (SHA-256 of
/// `{"crv":"Ed25519","kty":"OKP","x":…}`). Derived, so a key read from a file has the same id on every node.
pub fn key_id(key: &VerifyingKey) -> String {
    let x = URL_SAFE_NO_PAD.encode(key.to_bytes());
    let thumbprint = Sha256::digest(format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#).as_bytes());
    URL_SAFE_NO_PAD.encode(thumbprint)[..16].to_owned()
}

/// The public key as a JWK.
pub fn jwk(key: &VerifyingKey) -> CardJwk {
    CardJwk {
        kty: "OKP".into(),
        crv: "Ed25519".into(),
        x: URL_SAFE_NO_PAD.encode(key.to_bytes()),
        kid: key_id(key),
        use_: "sig".into(),
        alg: ALG.into(),
    }
}

/// The token for `claims`, signed by `key`.
pub fn encode(key: &SigningKey, claims: &Claims) -> Result<String, ServerError> {
    let header = Header { alg: ALG.into(), kid: key_id(&key.verifying_key()) };
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header)?),
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims)?)
    );
    let signature = key.sign(input.as_bytes());
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes())))
}

/// One row of `card_key`.
#[derive(Debug, Clone)]
struct StoredKey {
    kid: String,
    public_key: VerifyingKey,
    /// PKCS#8 PEM; `None` for a key from a file and for a retired key.
    private_key: Option<String>,
    created_at: DateTime<Utc>,
    retired_at: Option<DateTime<Utc>>,
}

impl StoredKey {
    /// Whether the key still verifies at `now` (not retired, or its last token may not have expired yet).
    fn live(&self, now: DateTime<Utc>, ttl: Duration) -> bool {
        match self.retired_at {
            None => true,
            Some(retired) => chrono::Duration::from_std(ttl + CLOCK_MARGIN).is_ok_and(|d| retired + d > now),
        }
    }
}

fn stored_error(kid: &str, detail: impl std::fmt::Display) -> CardKeyError {
    CardKeyError::Stored { kid: kid.to_owned(), detail: detail.to_string() }
}

fn parse_time(kid: &str, text: &str) -> Result<DateTime<Utc>, CardKeyError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|e| stored_error(kid, e))
}

/// Every row, newest first.
async fn stored_keys(conn: &mut sqlx::AnyConnection) -> Result<Vec<StoredKey>, ServerError> {
    let rows = sqlx::query("SELECT kid, public_key, private_key, created_at, retired_at FROM card_key")
        .fetch_all(&mut *conn)
        .await?;
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        let kid: String = row.try_get("kid")?;
        let public: String = row.try_get("public_key")?;
        let bytes: [u8; 32] = URL_SAFE_NO_PAD
            .decode(public.trim())
            .map_err(|e| stored_error(&kid, e))?
            .try_into()
            .map_err(|_| stored_error(&kid, "not 32 bytes"))?;
        let public_key = VerifyingKey::from_bytes(&bytes).map_err(|e| stored_error(&kid, e))?;
        let created_at = parse_time(&kid, &row.try_get::<String, _>("created_at")?)?;
        let retired_at = row.try_get::<Option<String>, _>("retired_at")?.map(|t| parse_time(&kid, &t)).transpose()?;
        keys.push(StoredKey { public_key, private_key: row.try_get("private_key")?, created_at, retired_at, kid });
    }
    keys.sort_by(|a, b| (b.created_at, &b.kid).cmp(&(a.created_at, &a.kid)));
    Ok(keys)
}

/// Add `key` as the current key and retire every other one still current (erasing their private halves);
/// `private` stores the private half too (a generated key). Drops keys whose last token has expired.
async fn install(pool: &AnyPool, key: &SigningKey, private: bool, ttl: Duration) -> Result<String, ServerError> {
    let kid = key_id(&key.verifying_key());
    let pem = if private {
        Some(key.to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF).map_err(CardKeyError::Encode)?)
    } else {
        None
    };
    let now = db::now_text();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO card_key (kid, public_key, private_key, created_at, retired_at) VALUES ($1, $2, $3, $4, NULL) \
         ON CONFLICT (kid) DO NOTHING",
    )
    .bind(&kid)
    .bind(URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes()))
    .bind(pem.as_ref().map(|p| p.as_str()))
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE card_key SET retired_at = $1, private_key = NULL WHERE kid <> $2 AND retired_at IS NULL")
        .bind(&now)
        .bind(&kid)
        .execute(&mut *tx)
        .await?;
    let dropped: Vec<String> =
        stored_keys(&mut tx).await?.into_iter().filter(|k| !k.live(Utc::now(), ttl)).map(|k| k.kid).collect();
    for old in &dropped {
        sqlx::query("DELETE FROM card_key WHERE kid = $1").bind(old).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    tracing::info!(kid = %kid, dropped = dropped.len(), "new current card key");
    Ok(kid)
}

/// `mysapk-server card-key rotate`: a new generated current key; the old ones verify until their tokens expire.
pub async fn rotate(pool: &AnyPool, ttl: Duration) -> Result<String, ServerError> {
    install(pool, &SigningKey::generate(&mut rand::rngs::OsRng), true, ttl).await
}

/// The card's keys: the key set in the database, and the private key of a file when one is configured.
#[derive(Clone)]
pub struct CardKeys {
    pool: AnyPool,
    file_key: Option<SigningKey>,
    ttl: Duration,
}

impl std::fmt::Debug for CardKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardKeys").field("from_file", &self.file_key.is_some()).field("ttl", &self.ttl).finish()
    }
}

impl CardKeys {
    /// The key of `file` (made current in the key set), or the generated current key (written when there is
    /// none that can sign).
    pub async fn load(pool: &AnyPool, file: Option<&Path>, ttl: Duration) -> Result<Self, ServerError> {
        let file_key = match file {
            Some(path) => {
                let pem = std::fs::read_to_string(path)
                    .map_err(|source| CardKeyError::File { path: path.to_owned(), source })?;
                let key = SigningKey::from_pkcs8_pem(&pem)
                    .map_err(|source| CardKeyError::FilePem { path: path.to_owned(), source })?;
                let kid = key_id(&key.verifying_key());
                let mut conn = pool.acquire().await?;
                let current = stored_keys(&mut conn).await?.into_iter().find(|k| k.retired_at.is_none());
                drop(conn);
                if current.is_none_or(|k| k.kid != kid) {
                    install(pool, &key, false, ttl).await?;
                }
                Some(key)
            }
            None => {
                let mut conn = pool.acquire().await?;
                let current = stored_keys(&mut conn).await?.into_iter().find(|k| k.retired_at.is_none());
                drop(conn);
                if current.is_none_or(|k| k.private_key.is_none()) {
                    rotate(pool, ttl).await?;
                }
                None
            }
        };
        Ok(Self { pool: pool.clone(), file_key, ttl })
    }

    /// The key that signs now.
    async fn current(&self) -> Result<SigningKey, ServerError> {
        if let Some(key) = &self.file_key {
            return Ok(key.clone());
        }
        let mut conn = self.pool.acquire().await?;
        let keys = stored_keys(&mut conn).await?;
        let current = keys
            .iter()
            .find(|k| k.retired_at.is_none() && k.private_key.is_some())
            .ok_or_else(|| ServerError::internal("no current card key"))?;
        let pem = current.private_key.as_deref().unwrap_or_default();
        Ok(SigningKey::from_pkcs8_pem(pem).map_err(|e| stored_error(&current.kid, e))?)
    }

    /// Keys that verify now, newest first.
    async fn live(&self) -> Result<Vec<StoredKey>, ServerError> {
        let mut conn = self.pool.acquire().await?;
        let now = Utc::now();
        Ok(stored_keys(&mut conn).await?.into_iter().filter(|k| k.live(now, self.ttl)).collect())
    }

    /// `GET /api/v1/card/keys`.
    pub async fn key_set(&self) -> Result<CardKeySet, ServerError> {
        Ok(CardKeySet { keys: self.live().await?.iter().map(|k| jwk(&k.public_key)).collect() })
    }

    /// The claims of a token signed by a key of the set (expiry not checked). The outer error is the
    /// database's; the inner one the token's.
    pub async fn open(&self, token: &str) -> Result<Result<Claims, CardInvalid>, ServerError> {
        let parsed = match Unverified::parse(token) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e.into())),
        };
        // Matched here, not in SQL: the key id is the client's text and never goes to the database.
        let keys = self.live().await?;
        Ok(match keys.iter().find(|k| k.kid == parsed.header.kid) {
            Some(key) => parsed.verify(&key.public_key).map_err(CardInvalid::from),
            None => Err(CardInvalid::BadSignature),
        })
    }

    /// `POST /api/v1/card`: a token for `nip`, valid for the card TTL.
    pub async fn issue(&self, nip: &str) -> Result<CardToken, ServerError> {
        let key = self.current().await?;
        let now = Utc::now();
        let ttl = chrono::Duration::from_std(self.ttl).map_err(|e| ServerError::Config(format!("card TTL: {e}")))?;
        let expires_at = now + ttl;
        let claims = Claims::new(nip, now.timestamp(), expires_at.timestamp());
        let expires_at = DateTime::from_timestamp(claims.exp, 0).unwrap_or(expires_at);
        Ok(CardToken { token: encode(&key, &claims)?, expires_at })
    }
}

fn invalid(reason: CardInvalid) -> CardCheck {
    CardCheck { valid: false, reason: Some(reason), nama: None, nip: None, instansi_nama: None, expires_at: None }
}

/// `GET /api/v1/verify/{token}`: the check of any string. Only a database failure is an error.
pub async fn verify(pool: &AnyPool, keys: &CardKeys, token: &str) -> Result<CardCheck, ServerError> {
    let claims = match keys.open(token.trim()).await? {
        Ok(c) => c,
        Err(reason) => return Ok(invalid(reason)),
    };
    let Some(expires_at) = DateTime::from_timestamp(claims.exp, 0).filter(|e| *e > Utc::now()) else {
        return Ok(invalid(CardInvalid::Expired));
    };
    let mut conn = pool.acquire().await?;
    if accounts::find_user(&mut conn, &claims.nip).await?.is_none()
        || accounts::locked_reason(&mut conn, &claims.nip).await?.is_some()
    {
        return Ok(invalid(CardInvalid::NoAccount));
    }
    let Some(profile) = records::get_profile(&mut conn, &claims.nip).await? else {
        return Ok(invalid(CardInvalid::NoAccount));
    };
    Ok(CardCheck {
        valid: true,
        reason: None,
        nama: Some(profile.full_name()),
        nip: Some(claims.nip),
        instansi_nama: Some(profile.instansi_nama),
        expires_at: Some(expires_at),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims::new("199001012015031001", 1, exp)
    }

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn open(key: &SigningKey, token: &str) -> Result<Claims, CardInvalid> {
        let parsed = Unverified::parse(token)?;
        if parsed.header.kid != key_id(&key.verifying_key()) {
            return Err(CardInvalid::BadSignature);
        }
        Ok(parsed.verify(&key.verifying_key())?)
    }

    #[test]
    fn round_trip_and_every_alteration_fails() {
        let token = encode(&key(7), &claims(i64::MAX / 2)).expect("sign");
        assert_eq!(open(&key(7), &token), Ok(claims(i64::MAX / 2)));
        assert_eq!(
            Unverified::parse(&token).expect("parse").verify(&key(8).verifying_key()).map_err(CardInvalid::from),
            Err(CardInvalid::BadSignature)
        );
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let altered = String::from_utf8(bytes).expect("ascii");
            if altered != token {
                assert_eq!(open(&key(7), &altered), Err(CardInvalid::BadSignature), "byte {i}");
            }
        }
        for garbage in ["", ".", "a.", ".b", "no-dot", "!!.!!", &"x".repeat(100_000), "a.b.c", "a.b.c.d"] {
            assert_eq!(
                Unverified::parse(garbage).map_err(CardInvalid::from).err(),
                Some(CardInvalid::BadSignature),
                "{garbage:.20}"
            );
        }
    }

    #[test]
    fn another_algorithm_is_refused() {
        let token = encode(&key(7), &claims(i64::MAX / 2)).expect("sign");
        let (_, rest) = token.split_once('.').expect("header");
        let kid = key_id(&key(7).verifying_key());
        for alg in ["none", "HS256", "ES256", "eddsa"] {
            let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"{alg}","kid":"{kid}"}}"#));
            let token = format!("{header}.{rest}");
            assert_eq!(
                Unverified::parse(&token).map_err(CardInvalid::from).err(),
                Some(CardInvalid::BadSignature),
                "{alg}"
            );
        }
    }

    #[test]
    fn key_ids_are_thumbprints() {
        // RFC 8037, appendix A.3: the thumbprint of its example key.
        let x: [u8; 32] = URL_SAFE_NO_PAD
            .decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
            .expect("b64")
            .try_into()
            .expect("32 bytes");
        let public = VerifyingKey::from_bytes(&x).expect("key");
        assert_eq!(key_id(&public), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"[..16]);
        let jwk = jwk(&public);
        assert_eq!((jwk.kty.as_str(), jwk.crv.as_str(), jwk.alg.as_str()), ("OKP", "Ed25519", "EdDSA"));
    }
}
