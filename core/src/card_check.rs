//! Checking an ASN card token on the device, offline, with the cached key set (`store::card_keys`).
//!
//! A token is a JWS in compact form (RFC 7515, EdDSA of RFC 8037): `base64url(header) "." base64url(payload)
//! "." base64url(signature)`, header `{"alg":"EdDSA","kid":…}`, payload `{"nip","iat","exp"}`. The signature
//! is Ed25519 over the first two parts as sent, checked strictly (no malleable or small-order forms), by the
//! model's `card_token`, the server's reader too. The order of the refusals: not a token (`malformed`),
//! another algorithm (`bad_signature`), a key the device does not hold (`unknown_key`), a signature that does not match
//! (`bad_signature`), then `expired`.

use chrono::{DateTime, Utc};
use mysapk_model::card::CardRefusal;
use mysapk_model::card_token::Unverified;
pub(crate) use mysapk_model::card_token::{public_key, Claims};

use crate::error::CoreError;

/// A token taken apart (the model's one reader), its signature not checked yet.
pub(crate) struct Parsed<'a> {
    pub kid: String,
    token: Unverified<'a>,
}

/// The parts of a token that names an EdDSA key.
pub(crate) fn parse(token: &str) -> Result<Parsed<'_>, CardRefusal> {
    let token = Unverified::parse(token)?;
    Ok(Parsed { kid: token.header.kid.clone(), token })
}

/// The claims of a token signed by the key `x`, not expired at `now`.
pub(crate) fn verify(parsed: &Parsed<'_>, x: &str, now: DateTime<Utc>) -> Result<Claims, CardRefusal> {
    let key = public_key(x).ok_or(CardRefusal::BadSignature)?;
    let claims = parsed.token.verify(&key)?;
    match DateTime::from_timestamp(claims.exp, 0) {
        Some(exp) if exp > now => Ok(claims),
        _ => Err(CardRefusal::Expired),
    }
}

/// Check `token` with the keys `lookup` finds by `kid`. The outer error is the key store's; the inner one the
/// token's.
pub(crate) fn check(
    token: &str,
    now: DateTime<Utc>,
    lookup: impl FnOnce(&str) -> Result<Option<String>, CoreError>,
) -> Result<Result<Claims, CardRefusal>, CoreError> {
    let parsed = match parse(token) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    Ok(match lookup(&parsed.kid)? {
        Some(x) => verify(&parsed, &x, now),
        None => Err(CardRefusal::UnknownKey),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use ed25519_dalek::{Signer, SigningKey};
    use mysapk_model::card_token::MAX_TOKEN_LEN;
    use rand::RngCore;
    use CardRefusal::{BadSignature, Expired, Malformed, UnknownKey};

    pub(crate) fn key() -> SigningKey {
        let mut seed = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut seed);
        SigningKey::from_bytes(&seed)
    }

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    pub(crate) fn x(key: &SigningKey) -> String {
        b64(&key.verifying_key().to_bytes())
    }

    /// A token as the server makes it, with any header and payload.
    fn sign(key: &SigningKey, header: &str, payload: &str) -> String {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        format!("{input}.{}", b64(&key.sign(input.as_bytes()).to_bytes()))
    }

    fn card(key: &SigningKey, kid: &str, exp: i64) -> String {
        card_of(key, kid, "199001012015031001", exp)
    }

    /// A card token of `nip` as the server signs it.
    pub(crate) fn card_of(key: &SigningKey, kid: &str, nip: &str, exp: i64) -> String {
        sign(key, &format!(r#"{{"alg":"EdDSA","kid":"{kid}"}}"#), &format!(r#"{{"nip":"{nip}","iat":1,"exp":{exp}}}"#))
    }

    /// The verdict with one cached key `kid` → `x`.
    fn run(token: &str, kid: &str, x: &str) -> Result<Claims, CardRefusal> {
        check(token, Utc::now(), |k| Ok((k == kid).then(|| x.to_owned()))).expect("no store error")
    }

    fn later() -> i64 {
        Utc::now().timestamp() + 3600
    }

    #[test]
    fn a_token_of_a_cached_key_is_valid_until_it_expires() {
        let k = key();
        let claims = run(&card(&k, "k1", later()), "k1", &x(&k)).expect("valid");
        assert_eq!(claims.nip, "199001012015031001");
        assert_eq!((claims.nama, claims.instansi_nama), (None, None));
        let named = sign(
            &k,
            r#"{"alg":"EdDSA","kid":"k1"}"#,
            &format!(r#"{{"nip":"1","exp":{},"nama":"Budi","instansi_nama":"BKN"}}"#, later()),
        );
        assert_eq!(run(&named, "k1", &x(&k)).expect("valid").nama.as_deref(), Some("Budi"));
        assert_eq!(run(&card(&k, "k1", Utc::now().timestamp() - 1), "k1", &x(&k)), Err(Expired));
    }

    #[test]
    fn any_altered_character_is_refused() {
        let k = key();
        let token = card(&k, "k1", later());
        let (signed, _) = token.rsplit_once('.').expect("parts");
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            // Another base64url character, or another separator position.
            bytes[i] = match bytes[i] {
                b'A' => b'B',
                b'.' => b'A',
                _ => b'A',
            };
            let altered = String::from_utf8(bytes).expect("ascii");
            let verdict = run(&altered, "k1", &x(&k));
            assert!(verdict.is_err(), "altered at {i}: {altered}");
            // Inside the signed part, a change that still parses is a bad signature, never valid.
            if i < signed.len() && !matches!(verdict, Err(Malformed)) {
                assert!(matches!(verdict, Err(BadSignature | UnknownKey)), "at {i}: {verdict:?}");
            }
        }
        // Another NIP under the same signature.
        let forged_payload = b64(format!(r#"{{"nip":"199001012015031002","iat":1,"exp":{}}}"#, later()).as_bytes());
        let parts: Vec<&str> = token.split('.').collect();
        let forged = format!("{}.{forged_payload}.{}", parts[0], parts[2]);
        assert_eq!(run(&forged, "k1", &x(&k)), Err(BadSignature));
        // A stranger's signature under our key id.
        assert_eq!(run(&card(&key(), "k1", later()), "k1", &x(&k)), Err(BadSignature));
    }

    #[test]
    fn a_key_the_device_does_not_hold_is_unknown() {
        let k = key();
        assert_eq!(run(&card(&k, "k2", later()), "k1", &x(&k)), Err(UnknownKey));
        let no_keys = check(&card(&k, "k1", later()), Utc::now(), |_| Ok(None)).expect("no store error");
        assert_eq!(no_keys, Err(UnknownKey));
    }

    #[test]
    fn other_algorithms_are_refused() {
        let k = key();
        let exp = later();
        let payload = format!(r#"{{"nip":"1","iat":1,"exp":{exp}}}"#);
        for alg in ["none", "HS256", "RS256", "eddsa", ""] {
            let token = sign(&k, &format!(r#"{{"alg":"{alg}","kid":"k1"}}"#), &payload);
            assert_eq!(run(&token, "k1", &x(&k)), Err(BadSignature), "{alg}");
        }
        // `alg: none` with an empty signature.
        let none = format!("{}.{}.", b64(br#"{"alg":"none","kid":"k1"}"#), b64(payload.as_bytes()));
        assert_eq!(run(&none, "k1", &x(&k)), Err(BadSignature));
        // The right algorithm with an empty or extended signature.
        let token = card(&k, "k1", exp);
        let (signed, signature) = token.rsplit_once('.').expect("parts");
        assert_eq!(run(&format!("{signed}."), "k1", &x(&k)), Err(BadSignature));
        assert_eq!(run(&format!("{signed}.{signature}AAAA"), "k1", &x(&k)), Err(BadSignature));
    }

    #[test]
    fn text_that_is_no_token_is_malformed() {
        let k = key();
        let exp = later();
        let cases = [
            String::new(),
            "hello".into(),
            "a.b".into(),
            "a..c".into(),
            ".b.c".into(),
            "a.b.c.d".into(),
            "!!!.???.###".into(),
            format!("{}.{}.AAAA", b64(b"not json"), b64(b"{}")),
            // A header without a key id.
            sign(&k, r#"{"alg":"EdDSA"}"#, &format!(r#"{{"nip":"1","exp":{exp}}}"#)),
            // Signed, but its payload is not the claims.
            sign(&k, r#"{"alg":"EdDSA","kid":"k1"}"#, "[1,2]"),
            "A".repeat(MAX_TOKEN_LEN + 1),
        ];
        for token in cases {
            assert_eq!(run(&token, "k1", &x(&k)), Err(Malformed), "{token}");
        }
    }

    #[test]
    fn a_cached_key_that_is_no_ed25519_key_verifies_nothing() {
        let k = key();
        assert_eq!(run(&card(&k, "k1", later()), "k1", "short"), Err(BadSignature));
        assert!(public_key(&x(&k)).is_some());
        assert!(public_key("AAAA").is_none());
    }
}
