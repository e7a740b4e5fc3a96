//! A property test: random requests at every route, as nobody, an ASN, a reviewer and an admin, never get a 5xx.
//!
//! Each case picks a route, a caller and a body: a random JSON value (strings full of control characters and odd
//! Unicode), a random text that is not JSON, or a valid body of the route with one value replaced by a random
//! one. Path parameters are random text too. The runner is deterministic (same cases every run); set
//! `MYSAPK_FUZZ_CASES` for more (default 300 per database) and `MYSAPK_FUZZ_SEED` for other cases.
//!
//! Left out: `GET /api/v1/events` (a stream that stays open; see `limits.rs`), and `auth/logout` and
//! `DELETE auth/sessions/{id}` are sent without a token (so the test's own sessions stay alive: a re-login would
//! soon meet the throttle).

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixtures::new_id;
use crate::support::{Ctx, ADMIN_A, BUDI, VERIFIKATOR_A};

crate::backend_tests!(random_requests_never_get_a_server_error);

/// A route: method, path with `{}` for its one parameter (if any), and a valid body to mutate.
struct Route {
    method: Method,
    path: &'static str,
    valid: Value,
    /// Sent without a token whatever the case says.
    anonymous_only: bool,
}

fn route(method: Method, path: &'static str, valid: Value) -> Route {
    Route { method, path, valid, anonymous_only: false }
}

fn routes() -> Vec<Route> {
    let push = json!({"device_id": "fuzz", "mutations": [
        {"id": "m1", "seq": 1, "op": "propose", "usulan_id": "u1", "documents": [],
            "action": {"type": "change_owner_fields", "fields": {"alamat": "Jl. Merdeka No. 1", "no_hp": "081234567890"}}},
        {"id": "m2", "seq": 2, "op": "withdraw", "usulan_id": "u1"},
        {"id": "m3", "seq": 3, "op": "decide", "usulan_id": "u1", "decision": "verify"},
        {"id": "m4", "seq": 4, "op": "mark_notification_read", "notification_id": "n1"},
        {"id": "m5", "seq": 5, "op": "confirm_category", "kind": "jabatan"}]});
    let account = json!({"nip": "199501012020121001", "nama": "Uji", "tanggal_lahir": "1995-01-01",
        "tempat_lahir": "Bandung", "email": "uji@example.go.id", "unor_nama": "Biro Umum", "roles": ["asn"]});
    vec![
        route(Method::POST, "/api/v1/auth/login", json!({"nip": BUDI, "password": "salah-sekali-123"})),
        route(Method::POST, "/api/v1/auth/refresh", json!({"refresh_token": "x"})),
        route(Method::POST, "/api/v1/auth/reset", json!({"nip": BUDI, "code": "ABCD-EFGH", "new_password": "x"})),
        Route { anonymous_only: true, ..route(Method::POST, "/api/v1/auth/logout", json!({"refresh_token": "x"})) },
        route(Method::GET, "/api/v1/auth/sessions", Value::Null),
        Route { anonymous_only: true, ..route(Method::DELETE, "/api/v1/auth/sessions/{}", Value::Null) },
        route(Method::GET, "/api/v1/sync?cursor={}", Value::Null),
        route(Method::GET, "/api/v1/sync?cursor=0&card={}", Value::Null),
        route(Method::POST, "/api/v1/sync/push", push),
        route(Method::GET, "/api/v1/review/queue?kind={}", Value::Null),
        route(Method::POST, "/api/v1/review/{}/decision", json!({"decision": "reject", "reason": "Lampiran buram"})),
        route(Method::GET, "/api/v1/admin/accounts?q={}", Value::Null),
        route(Method::POST, "/api/v1/admin/accounts", account.clone()),
        route(Method::POST, "/api/v1/admin/accounts/import", json!([account])),
        route(Method::POST, "/api/v1/admin/accounts/{}/roles", json!({"role": "verifikator", "grant": true})),
        route(Method::POST, "/api/v1/admin/accounts/{}/email", json!({"email": "baru@example.go.id"})),
        route(Method::POST, "/api/v1/admin/accounts/{}/lock", json!({"reason": "Diduga disalahgunakan"})),
        route(Method::POST, "/api/v1/admin/accounts/{}/unlock", json!({})),
        route(Method::POST, "/api/v1/admin/accounts/{}/reset-code", json!({})),
        route(
            Method::POST,
            "/api/v1/admin/announcements",
            json!({"title": "Libur", "body": "Kantor tutup.\nTerima kasih."}),
        ),
        route(
            Method::POST,
            "/api/v1/admin/layanan",
            json!({"nip": BUDI, "layanan": "kenaikan_pangkat", "stage": "diterima", "note": "x"}),
        ),
        route(
            Method::POST,
            "/api/v1/admin/assessments",
            json!({"nip": BUDI, "assessment": {"id": "a1", "tanggal": "2024-01-01", "penyelenggara": "BKN",
                "scores": [{"aspect": "integritas", "level": 3, "standard": 3}]}}),
        ),
        route(Method::GET, "/api/v1/admin/audit?before={}", Value::Null),
        route(Method::GET, "/api/v1/admin/siasn/failed?limit={}", Value::Null),
        route(Method::POST, "/api/v1/admin/usulan/{}/siasn-retry", json!({})),
        route(Method::GET, "/api/v1/admin/siasn/manual?limit={}", Value::Null),
        route(Method::POST, "/api/v1/admin/usulan/{}/siasn-manual", json!({})),
        route(Method::GET, "/api/v1/audit/me", Value::Null),
        route(Method::POST, "/api/v1/card", json!({})),
        route(Method::GET, "/api/v1/verify/{}", Value::Null),
        route(Method::GET, "/api/v1/standing?date={}", Value::Null),
        route(Method::GET, "/api/v1/documents/{}", Value::Null),
        route(Method::GET, "/api/v1/documents/{}/status", Value::Null),
        route(Method::PATCH, "/api/v1/documents/{}", Value::Null),
        route(Method::GET, "/apisiasn/1.0/pns/{}/199001012015031001", Value::Null),
        route(Method::GET, "/apisiasn/1.0/routes", Value::Null),
        route(Method::GET, "/healthz", Value::Null),
    ]
}

/// Text with plenty of control characters, odd Unicode and the characters SQL and JSON care about.
fn nasty_text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => proptest::char::range('\u{0}', '\u{1f}'),
        1 => Just('\u{7f}'),
        1 => proptest::char::range('\u{80}', '\u{9f}'),
        4 => proptest::char::range('a', 'z'),
        2 => prop::sample::select(vec!['\'', '"', '\\', '%', '_', '/', '?', '#', '&', ';', '-', ' ', '{', '}']),
        2 => any::<char>(),
    ];
    proptest::collection::vec(ch, 0..24).prop_map(String::from_iter)
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "nip", "password", "reason", "decision", "title", "body", "role", "grant", "device_id", "mutations",
            "email", "kind", "id", "seq", "op", "type", "fields", "action", "refresh_token", "code", "note",
        ])
        .prop_map(str::to_owned),
        1 => nasty_text(),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        nasty_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m: BTreeMap<String, Value>| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What one case sends.
#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    Text(String),
    /// The route's valid body with the leaf number `at` (modulo their count) replaced by `value`.
    Mutated {
        at: usize,
        value: Value,
    },
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        1 => Just(Body::None),
        3 => any_json().prop_map(Body::Json),
        1 => nasty_text().prop_map(Body::Text),
        4 => (any::<usize>(), any_json()).prop_map(|(at, value)| Body::Mutated { at, value }),
    ]
}

/// The pointers of every leaf (and every container) of `v`.
fn pointers(v: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match v {
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(i, item)| pointers(item, format!("{here}/{i}"), out))
        }
        Value::Object(map) => map.iter().for_each(|(k, item)| pointers(item, format!("{here}/{k}"), out)),
        _ => {}
    }
}

fn mutated(valid: &Value, at: usize, value: Value) -> Value {
    let mut all = Vec::new();
    pointers(valid, String::new(), &mut all);
    let mut out = valid.clone();
    if let Some(slot) = all.get(at % all.len()).and_then(|p| out.pointer_mut(p)) {
        *slot = value;
    }
    out
}

/// Every byte that is not alphanumeric as `%XX`.
fn escaped(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// One case: route index, caller index, body, path parameter.
type Case = (usize, usize, Body, String);

/// `n` cases from `seed` (generated before the first request: the strategies are not `Send`).
fn cases(n: u32, seed: u64, routes: usize, callers: usize) -> Vec<Case> {
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config { cases: n, ..Config::default() },
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let case = (0..routes, 0..callers, body(), prop_oneof![nasty_text(), Just(new_id())]);
    (0..n).map(|_| case.new_tree(&mut runner).expect("a case").current()).collect()
}

async fn random_requests_never_get_a_server_error(ctx: Ctx) {
    let n: u32 = std::env::var("MYSAPK_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(300);
    let seed: u64 = std::env::var("MYSAPK_FUZZ_SEED").ok().and_then(|c| c.parse().ok()).unwrap_or(13);
    let routes = routes();
    let tokens =
        [None, Some(ctx.token(BUDI).await), Some(ctx.token(VERIFIKATOR_A).await), Some(ctx.token(ADMIN_A).await)];
    let mut by_class: BTreeMap<u16, u32> = BTreeMap::new();
    let mut failures = Vec::new();
    for (r, who, body, param) in cases(n, seed, routes.len(), tokens.len()) {
        let route = &routes[r];
        let path = route.path.replace("{}", &escaped(&param));
        let mut req = ctx.http.request(route.method.clone(), ctx.url(&path));
        if let Some(token) = tokens[who].as_ref().filter(|_| !route.anonymous_only) {
            req = req.bearer_auth(token);
        }
        let sent = match &body {
            Body::None => None,
            Body::Json(v) => Some(v.to_string()),
            Body::Text(t) => Some(t.clone()),
            Body::Mutated { at, value } => Some(mutated(&route.valid, *at, value.clone()).to_string()),
        };
        if let Some(text) = &sent {
            req = req.header("content-type", "application/json").body(text.clone());
        }
        let resp = req.send().await.expect("the server answers");
        let status = resp.status().as_u16();
        *by_class.entry(status / 100 * 100).or_default() += 1;
        if status >= 500 {
            let answer = resp.text().await.unwrap_or_default();
            failures.push(format!("{} {path} as #{who}: {status} {answer}\n  body: {sent:?}", route.method));
        }
    }
    let classes: Vec<String> = by_class.iter().map(|(c, n)| format!("{}xx: {n}", c / 100)).collect();
    println!("fuzz: {n} requests over {} routes; {}", routes.len(), classes.join(", "));
    assert!(failures.is_empty(), "{} server errors:\n{}", failures.len(), failures.join("\n"));
}
