//! The ASN card: a token from `POST /api/v1/card` (an Ed25519-signed JWS naming its key), checked by anyone at
//! `GET /api/v1/verify/{token}` (JSON, or a page for a browser) or offline with `GET /api/v1/card/keys`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::pkcs8::DecodePrivateKey;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};
use mysapk_model::card::{CardCheck, CardInvalid, CardKeySet, CardToken};
use mysapk_server::card::{self, Claims};
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{self, Ctx, ADMIN_A, BUDI};

crate::backend_tests!(
    a_card_token_verifies_with_name_and_agency,
    the_published_key_verifies_a_token_independently,
    rotation_keeps_old_tokens_valid_until_they_expire,
    a_key_from_a_file_signs_and_the_generated_one_still_verifies,
    forged_altered_unknown_key_and_expired_tokens_are_refused,
    a_locked_or_unknown_account_has_no_card,
    verification_never_fails_on_any_input,
    a_browser_gets_an_escaped_page_without_scripts,
    a_pull_that_asks_brings_the_card_on_its_last_page,
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

async fn key_set(ctx: &Ctx) -> CardKeySet {
    let resp = ctx.http.get(ctx.url("/api/v1/card/keys")).send().await.expect("keys");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get(CACHE_CONTROL).and_then(|v| v.to_str().ok()), Some("public, max-age=300"));
    resp.json().await.expect("JWK set")
}

/// The `kid` of a token's header.
fn kid(token: &str) -> String {
    let header = token.split('.').next().expect("header");
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).expect("b64")).expect("json");
    assert_eq!(header["alg"], "EdDSA");
    header["kid"].as_str().expect("kid").to_owned()
}

/// The server's current generated key, read from the database (the tests set no key file).
async fn stored_key(ctx: &Ctx) -> SigningKey {
    let mut db = ctx.db().await;
    let pems: Vec<Option<String>> =
        sqlx::query_scalar("SELECT private_key FROM card_key WHERE retired_at IS NULL ORDER BY created_at DESC")
            .fetch_all(&mut db)
            .await
            .expect("stored key");
    let pem = pems.into_iter().flatten().next().expect("a generated current key");
    SigningKey::from_pkcs8_pem(&pem).expect("PKCS#8")
}

async fn pool(ctx: &Ctx) -> sqlx::AnyPool {
    mysapk_server::db::connect(&ctx.db_url).await.expect("pool")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn sign(key: &SigningKey, nip: &str, iat: i64, exp: i64) -> String {
    card::encode(key, &Claims::new(nip, iat, exp)).expect("sign")
}

async fn a_card_token_verifies_with_name_and_agency(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let before = chrono::Utc::now();
    let c = card(&ctx, &token).await;
    let ttl = c.expires_at - before;
    assert!(ttl > chrono::Duration::hours(23) && ttl <= chrono::Duration::hours(24) + chrono::Duration::seconds(1));
    assert!(c.token.len() < 300, "small enough for a QR code: {}", c.token.len());
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

    // Another node on the same database (the key is kept there) verifies it too, and signs with the same key.
    let other = support::start(&ctx.db_url, |c| c.card_ttl = std::time::Duration::from_secs(60)).await;
    let other_ctx = Ctx { base: format!("http://{}", other.addr()), ..ctx.clone() };
    assert!(verify(&other_ctx, &c.token).await.valid);
    let short = card(&other_ctx, &token).await;
    assert_eq!(kid(&short.token), kid(&c.token));
    assert!(short.expires_at - chrono::Utc::now() <= chrono::Duration::seconds(61));
    assert!(verify(&ctx, &short.token).await.valid);
    assert_eq!(key_set(&other_ctx).await, key_set(&ctx).await);
    other.shutdown().await;
}

async fn the_published_key_verifies_a_token_independently(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let c = card(&ctx, &token).await;
    let set = key_set(&ctx).await;
    assert_eq!(set.keys.len(), 1);
    let raw: Value = ctx.get("/api/v1/card/keys", None).await.1;
    let jwk = &raw["keys"][0];
    assert_eq!(
        (&jwk["kty"], &jwk["crv"], &jwk["use"], &jwk["alg"]),
        (&json!("OKP"), &json!("Ed25519"), &json!("sig"), &json!("EdDSA"))
    );
    assert_eq!(jwk["kid"].as_str(), Some(kid(&c.token).as_str()));

    // What any verifier does with the JWK set: find the key by kid, check the signature over `header.payload`.
    let x: [u8; 32] = URL_SAFE_NO_PAD.decode(jwk["x"].as_str().expect("x")).expect("b64").try_into().expect("32 bytes");
    let public = VerifyingKey::from_bytes(&x).expect("public key");
    let (signed, signature) = c.token.rsplit_once('.').expect("three parts");
    let signature: [u8; 64] = URL_SAFE_NO_PAD.decode(signature).expect("b64").try_into().expect("64 bytes");
    public.verify_strict(signed.as_bytes(), &Signature::from_bytes(&signature)).expect("the signature verifies");
    let payload = signed.split_once('.').expect("payload").1;
    let claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("claims");
    assert_eq!((claims.nip.as_str(), claims.exp), (BUDI, c.expires_at.timestamp()));
    // Another key does not verify it.
    let other = SigningKey::from_bytes(&[9u8; 32]).verifying_key();
    assert!(other.verify_strict(signed.as_bytes(), &Signature::from_bytes(&signature)).is_err());
}

async fn rotation_keeps_old_tokens_valid_until_they_expire(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let old = card(&ctx, &token).await;
    let pool = pool(&ctx).await;
    let new_kid = card::rotate(&pool, std::time::Duration::from_secs(86_400)).await.expect("rotate");
    assert_ne!(new_kid, kid(&old.token));

    // New tokens carry the new key at once (every node reads the current key from the database).
    let new = card(&ctx, &token).await;
    assert_eq!(kid(&new.token), new_kid);
    assert!(verify(&ctx, &new.token).await.valid);
    assert!(verify(&ctx, &old.token).await.valid, "the old key still verifies its tokens");
    let kids: Vec<String> = key_set(&ctx).await.keys.into_iter().map(|k| k.kid).collect();
    assert_eq!(kids, vec![new_kid.clone(), kid(&old.token)], "newest first");
    // The retired key signs nothing any more: its private half is gone.
    let mut db = ctx.db().await;
    let private: Option<String> = sqlx::query_scalar("SELECT private_key FROM card_key WHERE kid = $1")
        .bind(kid(&old.token))
        .fetch_one(&mut db)
        .await
        .expect("old key row");
    assert_eq!(private, None);

    // Once the last token the old key could have signed has expired (retired a TTL and the clock margin ago),
    // it leaves the key set and its tokens are refused; the next rotation deletes it.
    let long_ago = (chrono::Utc::now() - chrono::Duration::hours(25)).to_rfc3339();
    sqlx::query("UPDATE card_key SET retired_at = $1 WHERE kid = $2")
        .bind(&long_ago)
        .bind(kid(&old.token))
        .execute(&mut db)
        .await
        .expect("age the old key");
    let kids: Vec<String> = key_set(&ctx).await.keys.into_iter().map(|k| k.kid).collect();
    assert_eq!(kids, vec![new_kid.clone()]);
    assert_eq!(reason(&ctx, &old.token).await, Some(CardInvalid::BadSignature));
    assert!(verify(&ctx, &new.token).await.valid);
    let newest = card::rotate(&pool, std::time::Duration::from_secs(86_400)).await.expect("rotate again");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM card_key").fetch_one(&mut db).await.expect("count");
    assert_eq!(rows, 2, "the expired key is deleted, the previous one kept");
    assert_eq!(kid(&card(&ctx, &token).await.token), newest);
    assert!(verify(&ctx, &new.token).await.valid);
    pool.close().await;
}

async fn a_key_from_a_file_signs_and_the_generated_one_still_verifies(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let generated = card(&ctx, &token).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file_key = SigningKey::from_bytes(&[5u8; 32]);
    let path = dir.path().join("card.pem");
    let pem = ed25519_dalek::pkcs8::EncodePrivateKey::to_pkcs8_pem(&file_key, Default::default()).expect("pem");
    std::fs::write(&path, pem.as_bytes()).expect("write");
    let file_path = path.clone();
    let server = support::start(&ctx.db_url, move |c| c.card_key_file = Some(file_path)).await;
    let file_ctx = Ctx { base: format!("http://{}", server.addr()), ..ctx.clone() };
    let signed = card(&file_ctx, &token).await;
    assert_eq!(kid(&signed.token), card::key_id(&file_key.verifying_key()));
    assert!(verify(&ctx, &signed.token).await.valid, "any node verifies it: the public key is in the database");
    assert!(verify(&file_ctx, &generated.token).await.valid, "the generated key, retired, still verifies");
    let kids: Vec<String> = key_set(&ctx).await.keys.into_iter().map(|k| k.kid).collect();
    assert_eq!(kids, vec![card::key_id(&file_key.verifying_key()), kid(&generated.token)]);
    // The file's private key never reaches the database.
    let mut db = ctx.db().await;
    let private: Option<String> = sqlx::query_scalar("SELECT private_key FROM card_key WHERE kid = $1")
        .bind(card::key_id(&file_key.verifying_key()))
        .fetch_one(&mut db)
        .await
        .expect("file key row");
    assert_eq!(private, None);
    server.shutdown().await;

    // A file that is not a key: the server does not start, and names it.
    std::fs::write(&path, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").expect("write");
    let mut config = mysapk_server::Config::for_database(&ctx.db_url);
    config.card_key_file = Some(path);
    let e = mysapk_server::start(config).await.err().expect("refused");
    assert!(e.to_string().contains("card.pem"), "{e}");
}

async fn forged_altered_unknown_key_and_expired_tokens_are_refused(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let c = card(&ctx, &token).await;
    let mut parts = c.token.split('.');
    let (header, payload, signature) =
        (parts.next().expect("header"), parts.next().expect("payload"), parts.next().expect("signature"));

    // Signed with a key the server does not know (its own kid), or claiming the server's kid.
    let stranger = SigningKey::from_bytes(&[42u8; 32]);
    let forged = sign(&stranger, BUDI, now(), now() + 3600);
    assert_eq!(reason(&ctx, &forged).await, Some(CardInvalid::BadSignature), "unknown kid");
    let (_, forged_rest) = forged.split_once('.').expect("parts");
    assert_eq!(reason(&ctx, &format!("{header}.{forged_rest}")).await, Some(CardInvalid::BadSignature), "wrong key");

    // The payload altered: another NIP (re-encoded), a longer life, or one character changed.
    let mut claims: Claims = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json");
    claims.nip = support::SITI.into();
    let other = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    assert_eq!(reason(&ctx, &format!("{header}.{other}.{signature}")).await, Some(CardInvalid::BadSignature));
    claims.nip = BUDI.into();
    claims.exp += 86_400 * 365;
    let longer = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("json"));
    assert_eq!(reason(&ctx, &format!("{header}.{longer}.{signature}")).await, Some(CardInvalid::BadSignature));
    let flip = |s: &str, i: usize| {
        let mut b = s.as_bytes().to_vec();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        String::from_utf8(b).expect("ascii")
    };
    for i in [0, payload.len() / 2, payload.len() - 1] {
        let altered = format!("{header}.{}.{signature}", flip(payload, i));
        assert_eq!(reason(&ctx, &altered).await, Some(CardInvalid::BadSignature), "payload byte {i}");
    }
    for i in [0, signature.len() / 2, signature.len() - 2] {
        let altered = format!("{header}.{payload}.{}", flip(signature, i));
        assert_eq!(reason(&ctx, &altered).await, Some(CardInvalid::BadSignature), "signature byte {i}");
    }
    // The header altered: another algorithm, or no signature at all.
    let none = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"none","kid":"{}"}}"#, kid(&c.token)));
    assert_eq!(reason(&ctx, &format!("{none}.{payload}.")).await, Some(CardInvalid::BadSignature));
    assert_eq!(reason(&ctx, &format!("{none}.{payload}.{signature}")).await, Some(CardInvalid::BadSignature));
    assert_eq!(reason(&ctx, &format!("{header}.{payload}.")).await, Some(CardInvalid::BadSignature));
    assert_eq!(reason(&ctx, &format!("{header}.{payload}.{signature}x")).await, Some(CardInvalid::BadSignature));

    // Expired: signed by the server's own key with a past expiry.
    let key = stored_key(&ctx).await;
    assert_eq!(card::key_id(&key.verifying_key()), kid(&c.token), "the stored key is the server's");
    let expired = sign(&key, BUDI, now() - 7200, now() - 1);
    assert_eq!(reason(&ctx, &expired).await, Some(CardInvalid::Expired));
    // An expired token altered is still a bad signature first.
    assert_eq!(reason(&ctx, &format!("{expired}A")).await, Some(CardInvalid::BadSignature));
    // And a valid one from the same key verifies.
    assert_eq!(reason(&ctx, &sign(&key, BUDI, now(), now() + 60)).await, None);

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
    let unknown = sign(&key, "199901012020011009", now(), now() + 60);
    assert_eq!(reason(&ctx, &unknown).await, Some(CardInvalid::NoAccount));
}

async fn verification_never_fails_on_any_input(ctx: Ctx) {
    let long = "A".repeat(20_000);
    let long_dotted = format!("{}.{}.{}", "A".repeat(7_000), "B".repeat(7_000), "C".repeat(7_000));
    let inputs = [
        "x",
        "a.",
        ".b",
        "a.b.c",
        "a.b.c.d",
        "%21%21%21.%40%40%40",
        "!!!.@@@",
        "eyJuaXAiOjF9.AAAA",
        "eyJuaXAiOiIxOTkwMDEwMTIwMTUwMzEwMDEiLCJpYXQiOjAsImV4cCI6OTk5OTk5OTk5OTl9.AAAA",
        // A header naming a key id with a NUL byte and quotes: matched in memory, never sent to the database.
        "eyJhbGciOiJFZERTQSIsImtpZCI6IlxcdTAwMDAnOyJ9.eyJuaXAiOiIxIn0.AAAA",
        "%E2%9C%93.%E2%9C%93",
        "%00.%00.%00",
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

async fn page(ctx: &Ctx, token: &str) -> (reqwest::header::HeaderMap, String) {
    let resp = ctx
        .http
        .get(ctx.url(&format!("/api/v1/verify/{token}")))
        .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .send()
        .await
        .expect("page");
    assert_eq!(resp.status(), StatusCode::OK);
    let headers = resp.headers().clone();
    (headers, resp.text().await.expect("html"))
}

async fn a_browser_gets_an_escaped_page_without_scripts(ctx: Ctx) {
    // A name that would run a script if it were not escaped.
    let mut db = ctx.db().await;
    let data: String = sqlx::query_scalar("SELECT data FROM profile WHERE nip = $1")
        .bind(BUDI)
        .fetch_one(&mut db)
        .await
        .expect("profile");
    let mut profile: Value = serde_json::from_str(&data).expect("json");
    profile["nama"] = json!("<script>alert('x')</script> & \"Budi\"");
    sqlx::query("UPDATE profile SET data = $1 WHERE nip = $2")
        .bind(profile.to_string())
        .bind(BUDI)
        .execute(&mut db)
        .await
        .expect("rename");

    let token = ctx.token(BUDI).await;
    let c = card(&ctx, &token).await;
    let (headers, html) = page(&ctx, &c.token).await;
    let header =
        |name| headers.get(name).and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok()).unwrap_or_default();
    assert!(header(CONTENT_TYPE).starts_with("text/html"), "{headers:?}");
    let csp = header(CONTENT_SECURITY_POLICY);
    assert!(csp.starts_with("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("script") && !csp.contains("unsafe"), "no script of any kind: {csp}");
    assert_eq!(header(CACHE_CONTROL), "no-store");
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Budi&quot;, S.Kom."), "{html}");
    assert!(html.contains("Kartu ASN sah") && html.contains(BUDI) && html.contains("Kementerian Dalam Negeri"));
    assert!(html.contains("Berlaku sampai") && html.contains(" WIB"));
    assert!(html.contains(r#"<html lang="id">"#));

    // Not valid: why, in Indonesian, and nothing about the holder.
    let (_, html) = page(&ctx, &format!("{}x", c.token)).await;
    assert!(html.contains("Kartu ASN tidak sah") && html.contains("Tanda tangan kartu tidak cocok"), "{html}");
    assert!(!html.contains(BUDI));
    let expired = sign(&stored_key(&ctx).await, BUDI, now() - 7200, now() - 1);
    let (_, html) = page(&ctx, &expired).await;
    assert!(html.contains("Masa berlaku kode kartu ini telah habis"), "{html}");

    // An API client still gets JSON.
    let check = verify(&ctx, &c.token).await;
    assert!(check.valid);
    let resp = ctx
        .http
        .get(ctx.url(&format!("/api/v1/verify/{}", c.token)))
        .header("Accept", "application/json")
        .send()
        .await
        .expect("json");
    assert!(resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .starts_with("application/json"));
}

/// `GET /api/v1/sync?card=true`: the device renews its card inside the sync. Only the last page carries the token
/// (it is signed once per pull, not per page), and a pull that does not ask gets none.
async fn a_pull_that_asks_brings_the_card_on_its_last_page(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let pull = |cursor: String| {
        let (ctx, token) = (&ctx, &token);
        async move {
            let (status, body) = ctx.get(&format!("/api/v1/sync?cursor={cursor}&limit=3&card=true"), Some(token)).await;
            assert_eq!(status, StatusCode::OK, "pull: {body}");
            serde_json::from_value::<mysapk_model::sync::PullResponse>(body).expect("pull response")
        }
    };
    let mut page = pull(String::new()).await;
    assert!(page.has_more, "the record takes more than one page of 3");
    while page.has_more {
        assert_eq!(page.card, None, "a page with more to come carries no card");
        page = pull(page.cursor.clone()).await;
    }
    let card = page.card.expect("the last page carries the card");
    let check = verify(&ctx, &card.token).await;
    assert!(check.valid, "{check:?}");
    assert_eq!(check.nip.as_deref(), Some(BUDI));
    // Caught up, asking again: an empty last page still brings one; not asking brings none.
    assert!(pull(page.cursor.clone()).await.card.is_some());
    assert_eq!(ctx.pull(&token, &page.cursor, None).await.card, None);
}
