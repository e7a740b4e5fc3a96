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

/// Why "Periksa Kartu ASN" refused a card token (`Core::check_card`), by the server or on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CardRefusal {
    /// Signed by a known key, but past its expiry.
    Expired,
    /// Names a key the device does not hold: a key newer than its last key-set update, or not this service's.
    /// Only a check on the device says this; the server knows its own keys.
    UnknownKey,
    /// The signature does not match the named key, or another algorithm than EdDSA: forged or altered.
    BadSignature,
    /// Not a card token at all.
    Malformed,
    /// The holder's account no longer exists or is locked: only the server knows this.
    NoAccount,
}

impl From<CardInvalid> for CardRefusal {
    fn from(reason: CardInvalid) -> Self {
        match reason {
            CardInvalid::BadSignature => CardRefusal::BadSignature,
            CardInvalid::Expired => CardRefusal::Expired,
            CardInvalid::NoAccount => CardRefusal::NoAccount,
        }
    }
}

/// Who answered a card check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CheckedBy {
    /// The agency's server (`GET /api/v1/verify/{token}`): signature, expiry, and whether the account still
    /// exists and is not locked; name and agency from the record.
    Server,
    /// The device alone, with the key set cached at sync (no network, or the server did not answer): signature
    /// and expiry only.
    Device,
}

/// The answer of "Periksa Kartu ASN": from the server when it answers, else from the device's offline check (the
/// signature and expiry only; a lock of the account is known to the server alone). Offline, name and agency are
/// shown when the token carries them or the holder is this device's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum CardCheckAnswer {
    Valid {
        nip: String,
        nama: Option<String>,
        instansi_nama: Option<String>,
        expires_at: DateTime<Utc>,
        /// When the device's cached key set was fetched from the server.
        keys_fetched_at: Option<DateTime<Utc>>,
        checked_by: CheckedBy,
    },
    Invalid {
        reason: CardRefusal,
        keys_fetched_at: Option<DateTime<Utc>>,
        checked_by: CheckedBy,
    },
}
