//! The digital ASN card: built from local data (the profile and the token the server last signed), so it shows
//! offline; the token is renewed online by [`Core::refresh_asn_card`] and by the sync engine when it is missing
//! or past half its life.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use mysapk_model::card::{AsnCard, CardToken};
use qrcode::render::svg;
use qrcode::QrCode;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::secrets::Tokens;
use crate::store::{meta, records};
use crate::{Account, Core};

/// `POST` here (body `{}`) for a fresh token.
const CARD_PATH: &str = "/api/v1/card";
/// Where anyone verifies a token.
const VERIFY_PATH: &str = "/api/v1/verify/";
/// After a failed renewal in the sync engine, wait this long before trying again (a server without the card
/// endpoint is not asked on every sync).
const RENEW_RETRY: Duration = Duration::from_secs(600);
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

    /// After a successful sync: renew the token when it is missing or has less than half its life left. A
    /// failure is logged, never returned, and the next attempt waits [`RENEW_RETRY`].
    pub(crate) async fn renew_card_if_due(&self, account: &Account, tokens: &mut Tokens) {
        let due = match account.store.read(stored) {
            Ok(Some(card)) => card.needs_renewal(Utc::now()),
            Ok(None) => true,
            Err(e) => {
                tracing::warn!(code = e.code().as_str(), "reading the card token");
                false
            }
        };
        if !due {
            return;
        }
        {
            let next = self.card_retry.lock().unwrap_or_else(|p| p.into_inner());
            if next.is_some_and(|at| Instant::now() < at) {
                return;
            }
        }
        let fetched: Result<CardToken, CoreError> = self
            .authed(&account.user.nip, tokens, |access| async move {
                self.http.post_json(&access, CARD_PATH, &serde_json::json!({})).await
            })
            .await;
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
