//! The digital ASN card (Kartu ASN Virtual): a QR code holding a signed, expiring token that anyone can verify
//! at `GET /api/v1/verify/{token}`. The server signs; the device shows the token it was given (usable offline
//! until it expires) and asks for a new one when online.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/card`: a fresh token for the caller's card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Why a token is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CardInvalid {
    /// Not a token of this server: unreadable, or the signature does not match (forged or altered).
    BadSignature,
    Expired,
    /// The account no longer exists or is locked.
    NoAccount,
}

/// `GET /api/v1/verify/{token}`: valid with minimal data, or invalid with the reason. Always 200: the answer
/// itself is the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardCheck {
    pub valid: bool,
    pub reason: Option<CardInvalid>,
    /// Name with titles, NIP and agency: only when valid.
    pub nama: Option<String>,
    pub nip: Option<String>,
    pub instansi_nama: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The card as the device shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AsnCard {
    pub nama: String,
    pub nip: String,
    pub instansi_nama: String,
    pub unor_nama: String,
    pub jabatan_nama: Option<String>,
    pub golongan_id: Option<String>,
    /// The address the QR code holds (`<server>/api/v1/verify/<token>`); `None` before the first token.
    pub verify_url: Option<String>,
    /// The QR code as an SVG document.
    pub qr_svg: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// The token held has expired (offline for too long): the card says so until the next sync.
    pub expired: bool,
}

/// `GET /api/v1/card/keys`: the public keys that verify card tokens, as a JWK set (RFC 7517). A verifier keeps
/// it and checks a token offline: the token's header names its key (`kid`), the signature is Ed25519 over
/// `header "." payload` (RFC 8037, JWS compact form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardKeySet {
    pub keys: Vec<CardJwk>,
}

/// One Ed25519 public key (`kty` `OKP`, `crv` `Ed25519`, `x` the 32-byte key in base64url without padding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardJwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub kid: String,
    /// Always `sig`.
    #[serde(rename = "use")]
    pub use_: String,
    /// Always `EdDSA`.
    pub alg: String,
}

/// Why the device refused a card token it checked offline with its cached key set (`Core::check_card`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum OfflineCardInvalid {
    /// Signed by a known key, but past its expiry.
    Expired,
    /// Names a key the device does not hold: a key newer than its last key-set update, or not this service's.
    UnknownKey,
    /// The signature does not match the named key, or another algorithm than EdDSA: forged or altered.
    BadSignature,
    /// Not a card token at all.
    Malformed,
}

/// The device's offline check of a card token: the signature and expiry only (a lock of the account is known to
/// the server alone). The token carries the NIP; name and agency are shown when the device knows the holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum OfflineCardCheck {
    Valid {
        nip: String,
        nama: Option<String>,
        instansi_nama: Option<String>,
        expires_at: DateTime<Utc>,
        /// When the key set that verified it was fetched from the server.
        keys_fetched_at: Option<DateTime<Utc>>,
    },
    Invalid {
        reason: OfflineCardInvalid,
        keys_fetched_at: Option<DateTime<Utc>>,
    },
}
