//! The digital ASN card: built from local data (the profile and the token the server last signed), so it shows
//! offline; the token is renewed online by [`Core::refresh_asn_card`] and by the sync engine when it is missing
//! or past half its life. [`Core::check_card`] ("Periksa Kartu ASN") asks the server, or checks offline with the
//! key set cached at sync.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use mysapk_model::card::{AsnCard, CardCheck, CardCheckAnswer, CardKeySet, CardRefusal, CardToken, CheckedBy};
use qrcode::render::svg;
use qrcode::QrCode;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::card_check;
use crate::error::CoreError;
use crate::secrets::Tokens;
use crate::store::{card_keys, meta, records};
use crate::{Account, Core};

/// `POST` here (body `{}`) for a fresh token.
const CARD_PATH: &str = "/api/v1/card";
/// The public keys that verify tokens (a JWK set; public).
const KEYS_PATH: &str = "/api/v1/card/keys";
/// The cached key set is fetched again after this long (a retired key leaves it; a new one usually arrives
/// sooner, named by the device's own renewed token).
const KEYS_MAX_AGE: chrono::Duration = chrono::Duration::days(1);
/// No key-set fetch sooner than this after the last attempt, whatever asks for it.
const KEYS_RETRY: chrono::Duration = chrono::Duration::minutes(10);
/// Where anyone verifies a token.
const VERIFY_PATH: &str = "/api/v1/verify/";
/// After a failed renewal in the sync engine, wait this long before trying again (a server without the card
/// endpoint is not asked on every sync).
const RENEW_RETRY: Duration = Duration::from_secs(600);
/// How long "Periksa Kartu ASN" waits for the server before checking on the device.
const ONLINE_CHECK: Duration = Duration::from_secs(4);
/// The smallest edge of the QR code image, in pixels.
const QR_MIN_PX: u32 = 240;

/// The token as stored in `meta`, with when it was received (for "half its life").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredCard {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub fetched_at: DateTime<Utc>,
}

impl StoredCard {
    /// Less than half of its life left at `now` (or already expired).
    pub(crate) fn needs_renewal(&self, now: DateTime<Utc>) -> bool {
        let life = self.expires_at - self.fetched_at;
        now >= self.fetched_at + life / 2
    }
}

pub(crate) fn stored(conn: &Connection) -> Result<Option<StoredCard>, CoreError> {
    // An unreadable value is treated as no token: the next sync fetches a new one.
    Ok(meta::get(conn, meta::CARD_TOKEN)?.and_then(|s| serde_json::from_str(&s).ok()))
}

fn store_token(account: &Account, token: CardToken) -> Result<(), CoreError> {
    let card = StoredCard { token: token.token, expires_at: token.expires_at, fetched_at: Utc::now() };
    let json = serde_json::to_string(&card)?;
    account.store.write(|tx| meta::set(tx, meta::CARD_TOKEN, &json))
}

fn meta_time(conn: &Connection, key: &str) -> Result<Option<DateTime<Utc>>, CoreError> {
    Ok(meta::get(conn, key)?.and_then(|s| DateTime::parse_from_rfc3339(&s).ok()).map(|t| t.with_timezone(&Utc)))
}

/// Whether a sync should fetch the key set: never fetched, a day old, or a key is missing (the device's own
/// token names one, or a check met one); never twice within [`KEYS_RETRY`].
fn keys_due(conn: &Connection, now: DateTime<Utc>) -> Result<bool, CoreError> {
    if meta_time(conn, meta::CARD_KEYS_TRIED_AT)?.is_some_and(|t| now - t < KEYS_RETRY) {
        return Ok(false);
    }
    if meta_time(conn, meta::CARD_KEYS_FETCHED_AT)?.is_none_or(|t| now - t >= KEYS_MAX_AGE)
        || meta::get(conn, meta::CARD_KEYS_WANTED)?.is_some()
    {
        return Ok(true);
    }
    let own_kid = stored(conn)?.and_then(|card| card_check::parse(&card.token).ok().map(|p| p.kid));
    Ok(match own_kid {
        Some(kid) => card_keys::get(conn, &kid)?.is_none(),
        None => false,
    })
}

/// Keep the Ed25519 keys of `set` (anything else is left out) as the whole cached set.
fn store_keys(account: &Account, set: CardKeySet, now: DateTime<Utc>) -> Result<usize, CoreError> {
    let keys: Vec<(String, String)> = set
        .keys
        .into_iter()
        .filter(|k| {
            let ok = k.kty == "OKP" && k.crv == "Ed25519" && k.alg == "EdDSA" && !k.kid.is_empty();
            ok && card_check::public_key(&k.x).is_some()
        })
        .map(|k| (k.kid, k.x))
        .collect();
    account.store.write(|tx| {
        card_keys::replace(tx, &keys)?;
        meta::set(tx, meta::CARD_KEYS_FETCHED_AT, &now.to_rfc3339())?;
        meta::delete(tx, meta::CARD_KEYS_WANTED)
    })?;
    Ok(keys.len())
}

/// The QR code of `text` as an SVG document; `None` when it does not fit a QR code.
pub(crate) fn qr_svg(text: &str) -> Option<String> {
    match QrCode::new(text.as_bytes()) {
        Ok(code) => Some(code.render::<svg::Color<'_>>().min_dimensions(QR_MIN_PX, QR_MIN_PX).build()),
        Err(e) => {
            tracing::warn!("card QR code: {e}");
            None
        }
    }
}

impl Core {
    /// The card from local data only: the profile (or the login's user before the first sync) and the cached
    /// token. `expired` says the token has passed its expiry; `verify_url` and `qr_svg` are `None` before the
    /// first token.
    pub fn asn_card(&self) -> Result<AsnCard, CoreError> {
        let account = self.require()?;
        let (profile, card) = account.store.read(|c| Ok((records::profile(c)?, stored(c)?)))?;
        let verify_url = card.as_ref().map(|c| format!("{}{VERIFY_PATH}{}", self.http.base(), c.token));
        let qr = verify_url.as_deref().and_then(qr_svg);
        let expires_at = card.as_ref().map(|c| c.expires_at);
        let expired = expires_at.is_some_and(|e| e <= Utc::now());
        let user = &account.user;
        Ok(match profile {
            Some(p) => AsnCard {
                nama: p.full_name(),
                nip: p.nip.as_str().to_owned(),
                instansi_nama: p.instansi_nama,
                unor_nama: p.unor_nama,
                jabatan_nama: p.jabatan_nama,
                golongan_id: p.golongan_id,
                verify_url,
                qr_svg: qr,
                expires_at,
                expired,
            },
            None => AsnCard {
                nama: user.nama.clone(),
                nip: user.nip.clone(),
                instansi_nama: String::new(),
                unor_nama: String::new(),
                jabatan_nama: None,
                golongan_id: None,
                verify_url,
                qr_svg: qr,
                expires_at,
                expired,
            },
        })
    }

    /// Ask the server for a new token (`POST /api/v1/card`), keep it, and return the card. Online only.
    pub async fn refresh_asn_card(&self) -> Result<AsnCard, CoreError> {
        let account = self.require()?;
        let token: CardToken = self
            .online(|access| async move { self.http.post_json(&access, CARD_PATH, &serde_json::json!({})).await })
            .await?;
        store_token(&account, token)?;
        self.asn_card()
    }

    /// "Periksa Kartu ASN": check a card token (from a QR code, a picture or pasted). The agency's server answers
    /// when it can ([`ONLINE_CHECK`] at most): signature, expiry, and whether the account still exists and is not
    /// locked. Without an answer the device checks it offline with the cached key set: the signature and the
    /// expiry. Text that is not a token at all, or names another algorithm than EdDSA, is refused on the device
    /// without asking anyone.
    pub async fn check_card(&self, token: &str) -> Result<CardCheckAnswer, CoreError> {
        let token = token.trim();
        self.require()?;
        if card_check::parse(token).is_ok() {
            let path = format!("{VERIFY_PATH}{token}");
            match tokio::time::timeout(ONLINE_CHECK, self.http.get_public_json::<CardCheck>(&path)).await {
                Ok(Ok(answer)) => return self.server_answer(answer),
                Ok(Err(e)) => tracing::debug!(code = e.code().as_str(), "card check: no answer from the server"),
                Err(_) => tracing::debug!("card check: the server did not answer in time"),
            }
        }
        self.check_card_on_device(token)
    }

    /// The server's verdict, with the device's key-set age for the screen.
    fn server_answer(&self, answer: CardCheck) -> Result<CardCheckAnswer, CoreError> {
        let account = self.require()?;
        let keys_fetched_at = account.store.read(|c| meta_time(c, meta::CARD_KEYS_FETCHED_AT))?;
        let checked_by = CheckedBy::Server;
        Ok(match (answer.valid, answer.nip, answer.expires_at) {
            (true, Some(nip), Some(expires_at)) => CardCheckAnswer::Valid {
                nip,
                nama: answer.nama,
                instansi_nama: answer.instansi_nama,
                expires_at,
                keys_fetched_at,
                checked_by,
            },
            _ => CardCheckAnswer::Invalid {
                reason: answer.reason.map_or(CardRefusal::BadSignature, CardRefusal::from),
                keys_fetched_at,
                checked_by,
            },
        })
    }

    /// The offline check: the signature and the expiry with the cached key set. A key the cache lacks asks the
    /// next sync to fetch the set (and nudges it). Name and agency are known when the token carries them or the
    /// holder is this account.
    fn check_card_on_device(&self, token: &str) -> Result<CardCheckAnswer, CoreError> {
        let account = self.require()?;
        let (verdict, keys_fetched_at, profile) = account.store.read(|c| {
            let verdict = card_check::check(token, Utc::now(), |kid| card_keys::get(c, kid))?;
            Ok((verdict, meta_time(c, meta::CARD_KEYS_FETCHED_AT)?, records::profile(c)?))
        })?;
        let checked_by = CheckedBy::Device;
        let claims = match verdict {
            Ok(claims) => claims,
            Err(reason) => {
                if reason == CardRefusal::UnknownKey {
                    account.store.write(|tx| meta::set(tx, meta::CARD_KEYS_WANTED, "1"))?;
                    self.nudge.notify_one();
                }
                tracing::info!(?reason, "card token refused offline");
                return Ok(CardCheckAnswer::Invalid { reason, keys_fetched_at, checked_by });
            }
        };
        let own = profile.filter(|p| p.nip.as_str() == claims.nip);
        let expires_at = DateTime::from_timestamp(claims.exp, 0).unwrap_or_default();
        Ok(CardCheckAnswer::Valid {
            nama: claims.nama.or_else(|| own.as_ref().map(|p| p.full_name())),
            instansi_nama: claims.instansi_nama.or_else(|| own.map(|p| p.instansi_nama)),
            nip: claims.nip,
            expires_at,
            keys_fetched_at,
            checked_by,
        })
    }

    /// After a successful sync in which the card token was not renewed (one card thing per sync at most, so a first
    /// sync stays one request): fetch the key set when [`keys_due`]. A failure is logged, never
    /// returned; the next attempt waits [`KEYS_RETRY`].
    pub(crate) async fn refresh_card_keys_if_due(&self, account: &Account, tokens: &mut Tokens) {
        let now = Utc::now();
        let due = account.store.read(|c| keys_due(c, now)).and_then(|due| {
            if due {
                account.store.write(|tx| meta::set(tx, meta::CARD_KEYS_TRIED_AT, &now.to_rfc3339()))?;
            }
            Ok(due)
        });
        match due {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => {
                tracing::warn!(code = e.code().as_str(), "reading the card key set");
                return;
            }
        }
        let fetched: Result<CardKeySet, CoreError> =
            self.authed(&account.user.nip, tokens, |access| async move {
                self.http.get_json(&access, KEYS_PATH, &[]).await
            })
            .await;
        match fetched.and_then(|set| store_keys(account, set, now)) {
            Ok(n) => tracing::debug!(keys = n, "card key set fetched"),
            Err(e) => tracing::info!(code = e.code().as_str(), "card key set not fetched"),
        }
    }

    /// Whether this sync should renew the card token: it is missing or has less than half its life left, and no
    /// renewal failed in the last [`RENEW_RETRY`].
    pub(crate) fn card_renewal_due(&self, account: &Account) -> bool {
        let due = match account.store.read(stored) {
            Ok(Some(card)) => card.needs_renewal(Utc::now()),
            Ok(None) => true,
            Err(e) => {
                tracing::warn!(code = e.code().as_str(), "reading the card token");
                false
            }
        };
        let next = self.card_retry.lock().unwrap_or_else(|p| p.into_inner());
        due && !next.is_some_and(|at| Instant::now() < at)
    }

    /// Renew the token with a request of its own (for a server whose pull did not carry it).
    pub(crate) async fn renew_card(&self, account: &Account, tokens: &mut Tokens) {
        let fetched: Result<CardToken, CoreError> = self
            .authed(&account.user.nip, tokens, |access| async move {
                self.http.post_json(&access, CARD_PATH, &serde_json::json!({})).await
            })
            .await;
        self.card_renewed(account, fetched);
    }

    /// Store a renewed token; a failure is logged, never returned, and the next attempt waits [`RENEW_RETRY`].
    pub(crate) fn card_renewed(&self, account: &Account, fetched: Result<CardToken, CoreError>) {
        let result = fetched.and_then(|token| store_token(account, token));
        let mut next = self.card_retry.lock().unwrap_or_else(|p| p.into_inner());
        match result {
            Ok(()) => {
                *next = None;
                tracing::debug!("card token renewed");
            }
            Err(e) => {
                *next = Some(Instant::now() + RENEW_RETRY);
                tracing::info!(code = e.code().as_str(), "card token not renewed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_is_due_after_half_the_life() {
        let fetched_at = Utc::now();
        let card = StoredCard { token: "t".into(), expires_at: fetched_at + chrono::Duration::hours(10), fetched_at };
        assert!(!card.needs_renewal(fetched_at + chrono::Duration::hours(4)));
        assert!(card.needs_renewal(fetched_at + chrono::Duration::hours(5)));
        assert!(card.needs_renewal(fetched_at + chrono::Duration::hours(11)));
    }

    #[test]
    fn the_qr_code_is_an_svg_document() {
        let svg = qr_svg("https://mysapk.example.go.id/api/v1/verify/abc.def").expect("qr");
        assert!(svg.contains("<svg"), "{svg}");
        assert!(svg.contains("width=\""), "{svg}");
    }
}
