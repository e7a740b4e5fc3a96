//! The ASN card: a token from `POST /api/v1/card`, checked by anyone at `GET /api/v1/verify/{token}`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use mysapk_model::card::{CardCheck, CardInvalid, CardToken};
use mysapk_server::card::{CardKey, Claims};
use reqwest::StatusCode;
use serde_json::json;

use crate::support::{self, Ctx, ADMIN_A, BUDI};

crate::backend_tests!(
    a_card_token_verifies_with_name_and_agency,
    forged_altered_and_expired_tokens_are_refused,
    a_locked_or_unknown_account_has_no_card,
    verification_never_fails_on_any_input,
);

async fn card(ctx: &Ctx, token: &str) -> CardToken {
    let (status, body) = ctx.post("/api/v1/card", Some(token), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "card: {body}");
    serde_json::from_value(body).expect("card token")
}

async fn verify(ctx: &Ctx, token: &str) -> CardCheck {
    let (status, body) = ctx.get(&format!("/api/v1/verify/{token}"), None).await;
    assert_eq!(status, StatusCode::OK, "verify {token:.40}: {body}");
    serde_json::from_value(body).expect("card check")
}

async fn reason(ctx: &Ctx, token: &str) -> Option<CardInvalid> {
    let check = verify(ctx, token).await;
    if check.valid {
        assert_eq!(check.reason, None);
    } else {
        assert_eq!((check.nama, check.nip, check.instansi_nama, check.expires_at), (None, None, None, None));
    }
    check.reason
}

/// The key the server generated and stored (no `MYSAPK_CARD_SECRET` in the tests).
async fn stored_key(ctx: &Ctx) -> CardKey {
    let mut db = ctx.db().await;
    let hex_key: String = sqlx::query_scalar("SELECT value FROM server_secret WHERE name = 'card_hmac'")
        .fetch_one(&mut db)
        .await
        .expect("stored key");
    CardKey::new(hex::decode(hex_key).expect("hex"))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn a_card_token_verifies_with_name_and_agency(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let before = chrono::Utc::now();
    let c = card(&ctx, &token).await;
    let ttl = c.expires_at - before;
    assert!(ttl > chrono::Duration::hours(23) && ttl <= chrono::Duration::hours(24) + chrono::Duration::seconds(1));
    let check = verify(&ctx, &c.token).await;
    assert!(check.valid, "{check:?}");
    assert_eq!(check.reason, None);
    assert_eq!(check.nama.as_deref(), Some("Budi Santoso, S.Kom."));
    assert_eq!(check.nip.as_deref(), Some(BUDI));
    assert_eq!(check.instansi_nama.as_deref(), Some("Kementerian Dalam Negeri"));
    assert_eq!(check.expires_at, Some(c.expires_at));
    // No token, no card.
    let (status, body) = ctx.post("/api/v1/card", None, &json!({})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("auth.missing_token")));

    // Another node on the same database (the key is kept there) verifies it too, and signs alike.
    let other = support::start(&ctx.db_url, |c| c.card_ttl = std::time::Duration::from_secs(60)).await;
    let other_ctx = Ctx { base: format!("http://{}", other.addr()), ..ctx.clone() };
    assert!(verify(&other_ctx, &c.token).await.valid);
    let short = card(&other_ctx, &token).await;
    assert!(short.expires_at - chrono::Utc::now() <= chrono::Duration::seconds(61));
    assert!(verify(&ctx, &short.token).await.valid);
    other.shutdown().await;
}

async fn forged_altered_and_expired_tokens_are_refused(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let c = card(&ctx, &token).await;
    let (payload, signature) = c.token.split_once('.').expect("two parts");

    // Signed with another key.
    let forged =
        CardKey::new(vec![42u8; 32]).sign(&Claims { nip: BUDI.into(), iat: now(), exp: now() + 3600 }).expect("sign");
    assert_eq!(reason(&ctx, &forged).await, Some(CardInvalid::BadSignature));

    // The payload altered: another NIP (re-encoded), or one character changed.
    let mut claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json");
    claims.nip = support::SITI.into();
    let other_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    assert_eq!(reason(&ctx, &format!("{other_payload}.{signature}")).await, Some(CardInvalid::BadSignature));
    claims.nip = BUDI.into();
    claims.exp += 86_400 * 365;
    let longer = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    assert_eq!(reason(&ctx, &format!("{longer}.{signature}")).await, Some(CardInvalid::BadSignature));
    let flip = |s: &str, i: usize| {
        let mut b = s.as_bytes().to_vec();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        String::from_utf8(b).expect("ascii")
    };
    for i in [0, payload.len() / 2, payload.len() - 1] {
        let altered = format!("{}.{signature}", flip(payload, i));
        assert_eq!(reason(&ctx, &altered).await, Some(CardInvalid::BadSignature), "payload byte {i}");
    }
    // The signature altered.
    for i in [0, signature.len() / 2, signature.len() - 1] {
        let altered = format!("{payload}.{}", flip(signature, i));
        assert_eq!(reason(&ctx, &altered).await, Some(CardInvalid::BadSignature), "signature byte {i}");
    }
    assert_eq!(reason(&ctx, &format!("{payload}.")).await, Some(CardInvalid::BadSignature));
    assert_eq!(reason(&ctx, &format!("{payload}.{signature}x")).await, Some(CardInvalid::BadSignature));

    // Expired: signed by the server's own key with a past expiry.
    let key = stored_key(&ctx).await;
    assert_eq!(key.open(&c.token).map(|c| c.nip), Ok(BUDI.to_owned()), "the stored key is the server's");
    let expired = key.sign(&Claims { nip: BUDI.into(), iat: now() - 7200, exp: now() - 1 }).expect("sign");
    assert_eq!(reason(&ctx, &expired).await, Some(CardInvalid::Expired));
    // An expired token altered is still a bad signature first.
    assert_eq!(reason(&ctx, &format!("{expired}A")).await, Some(CardInvalid::BadSignature));
    // And a valid one from the same key verifies.
    let fresh = key.sign(&Claims { nip: BUDI.into(), iat: now(), exp: now() + 60 }).expect("sign");
    assert_eq!(reason(&ctx, &fresh).await, None);

    // A server with a 1-second TTL: its token expires.
    let short = support::start(&ctx.db_url, |c| c.card_ttl = std::time::Duration::from_secs(1)).await;
    let short_ctx = Ctx { base: format!("http://{}", short.addr()), ..ctx.clone() };
    let soon = card(&short_ctx, &token).await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(reason(&ctx, &soon.token).await, Some(CardInvalid::Expired));
    short.shutdown().await;
}

async fn a_locked_or_unknown_account_has_no_card(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let c = card(&ctx, &token).await;
    assert_eq!(reason(&ctx, &c.token).await, None);
    let admin = ctx.token(ADMIN_A).await;
    let (status, body) =
        ctx.post(&format!("/api/v1/admin/accounts/{BUDI}/lock"), Some(&admin), &json!({"reason": "Mutasi"})).await;
    assert_eq!(status, StatusCode::OK, "lock: {body}");
    assert_eq!(reason(&ctx, &c.token).await, Some(CardInvalid::NoAccount));
    let (status, _) = ctx.post(&format!("/api/v1/admin/accounts/{BUDI}/unlock"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reason(&ctx, &c.token).await, None, "valid again once unlocked");

    let key = stored_key(&ctx).await;
    let unknown = key.sign(&Claims { nip: "199901012020011009".into(), iat: now(), exp: now() + 60 }).expect("sign");
    assert_eq!(reason(&ctx, &unknown).await, Some(CardInvalid::NoAccount));
}

async fn verification_never_fails_on_any_input(ctx: Ctx) {
    let long = "A".repeat(20_000);
    let long_dotted = format!("{}.{}", "A".repeat(10_000), "B".repeat(10_000));
    let inputs = [
        "x",
        "a.",
        ".b",
        "a.b.c",
        "%21%21%21.%40%40%40",
        "!!!.@@@",
        "eyJuaXAiOjF9.AAAA",
        "eyJuaXAiOiIxOTkwMDEwMTIwMTUwMzEwMDEiLCJpYXQiOjAsImV4cCI6OTk5OTk5OTk5OTl9.AAAA",
        "%E2%9C%93.%E2%9C%93",
        "%00.%00",
        long.as_str(),
        long_dotted.as_str(),
    ];
    for input in inputs {
        assert_eq!(reason(&ctx, input).await, Some(CardInvalid::BadSignature), "{input:.40}");
    }
    // `.` and `..` are path segments a client resolves away (to `/api/v1/verify/`, not a token).
    for path in
        ["/api/v1/verify/", "/api/v1/verify/.", "/api/v1/verify/..", "/api/v1/verify/a/b", "/api/v1/verify/%FF%FE"]
    {
        let (status, _) = ctx.get(path, None).await;
        assert!(!status.is_server_error(), "{path}: {status}");
    }
}
