//! The ASN card token, as the server signs it and every checker reads it: a JWS in compact form (RFC 7515, EdDSA
//! of RFC 8037), `base64url(header) "." base64url(payload) "." base64url(signature)`, header
//! `{"alg":"EdDSA","kid":…}`, payload [`Claims`]. The signature is Ed25519 over the first two parts as sent,
//! checked strictly (no malleable or small-order forms). One reader for the server's check and the device's
//! offline check, so the two never disagree on what a valid token is. Expiry is the caller's (each knows its
//! own clock and its own answer).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::card::{CardInvalid, CardRefusal};

/// Longest token looked at; anything longer is not one of ours (a real token has about 210 characters).
pub const MAX_TOKEN_LEN: usize = 2048;
/// The JWS algorithm of every token.
pub const ALG: &str = "EdDSA";

/// What a token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub nip: String,
    /// Issued at, seconds since the epoch.
    #[serde(default)]
    pub iat: i64,
    /// Expires at, seconds since the epoch.
    pub exp: i64,
    /// Not in today's tokens; read when a server adds them (signed, so a checker could show them offline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nama: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instansi_nama: Option<String>,
}

impl Claims {
    /// Today's claims: who, issued when, valid until when.
    pub fn new(nip: impl Into<String>, iat: i64, exp: i64) -> Self {
        Self { nip: nip.into(), iat, exp, nama: None, instansi_nama: None }
    }
}

/// A token's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub alg: String,
    /// The signing key's id; read as empty when missing, which makes the token malformed.
    #[serde(default)]
    pub kid: String,
}

/// Why a text is not a token signed by a given key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFault {
    /// Not a token at all.
    Malformed,
    /// Another algorithm than EdDSA (`none`, `HS256`, …), whatever the rest says.
    OtherAlgorithm,
    /// The signature does not match the key.
    BadSignature,
}

/// The server tells a browser or a client only that the token is not one of its own.
impl From<TokenFault> for CardInvalid {
    fn from(_: TokenFault) -> Self {
        CardInvalid::BadSignature
    }
}

impl From<TokenFault> for CardRefusal {
    fn from(fault: TokenFault) -> Self {
        match fault {
            TokenFault::Malformed => CardRefusal::Malformed,
            TokenFault::OtherAlgorithm | TokenFault::BadSignature => CardRefusal::BadSignature,
        }
    }
}

/// A token taken apart, its signature not checked yet.
#[derive(Debug)]
pub struct Unverified<'a> {
    pub header: Header,
    /// `header "." payload` as sent: what the signature covers.
    signed: &'a str,
    payload: &'a str,
    signature: Signature,
}

impl<'a> Unverified<'a> {
    /// The parts of a well-formed EdDSA token naming its key.
    pub fn parse(token: &'a str) -> Result<Self, TokenFault> {
        use TokenFault::{Malformed, OtherAlgorithm};
        if token.len() > MAX_TOKEN_LEN {
            return Err(Malformed);
        }
        let (signed, signature) = token.rsplit_once('.').ok_or(Malformed)?;
        let (header, payload) = signed.split_once('.').ok_or(Malformed)?;
        if header.is_empty() || payload.is_empty() || payload.contains('.') {
            return Err(Malformed);
        }
        let header: Header =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).map_err(|_| Malformed)?).map_err(|_| Malformed)?;
        if header.alg != ALG {
            return Err(OtherAlgorithm);
        }
        if header.kid.is_empty() {
            return Err(Malformed);
        }
        let signature: [u8; 64] = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenFault::BadSignature)?
            .try_into()
            .map_err(|_| TokenFault::BadSignature)?;
        Ok(Self { header, signed, payload, signature: Signature::from_bytes(&signature) })
    }

    /// The claims, when `key` made the signature.
    pub fn verify(&self, key: &VerifyingKey) -> Result<Claims, TokenFault> {
        key.verify_strict(self.signed.as_bytes(), &self.signature).map_err(|_| TokenFault::BadSignature)?;
        let payload = URL_SAFE_NO_PAD.decode(self.payload).map_err(|_| TokenFault::Malformed)?;
        serde_json::from_slice(&payload).map_err(|_| TokenFault::Malformed)
    }
}

/// The public key of a JWK's `x` (32 bytes, base64url); `None` when it is not an Ed25519 point.
pub fn public_key(x: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = URL_SAFE_NO_PAD.decode(x).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}
