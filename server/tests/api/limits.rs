//! What one client may hold of the server: a slow request head is cut off, one user's event streams are capped,
//! and control characters in any text of a request are refused with 400 naming the field (never a 500).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::fixtures::new_id;
use crate::support::{self, Ctx, ADMIN_A, BUDI, SITI, VERIFIKATOR_A};

crate::backend_tests!(
    a_slow_request_head_is_cut_off,
    one_user_holds_at_most_five_event_streams,
    control_characters_are_refused_naming_the_field,
    an_import_row_with_a_control_character_is_a_row_error,
    a_request_over_its_time_limit_answers_503_but_the_event_stream_is_exempt,
);

async fn a_slow_request_head_is_cut_off(ctx: Ctx) {
    let server = support::start(&ctx.db_url, |c| c.http.header_read_timeout = Duration::from_millis(500)).await;
    let mut conn = tokio::net::TcpStream::connect(server.addr()).await.expect("connect");
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.expect("first bytes");
    // One more header byte now and then, never the end of the head: hyper closes the connection (it may answer
    // 408 first). The loop ends by the server, not by a clock of the test.
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    let closed = loop {
        match tokio::time::timeout(Duration::from_millis(200), conn.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {
                if conn.write_all(b"X").await.is_err() {
                    break true;
                }
            }
        }
        if answer.len() > 64 * 1024 {
            break false;
        }
    };
    assert!(closed, "the server kept a slow connection open");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
    // A client that sends its head at once is served.
    let (status, _) = ctx.send(ctx.http.get(format!("http://{}/healthz", server.addr())), None).await;
    assert_eq!(status, StatusCode::OK);
    server.shutdown().await;
}

async fn one_user_holds_at_most_five_event_streams(ctx: Ctx) {
    let open = |token: String| {
        let ctx = ctx.clone();
        async move { ctx.http.get(ctx.url("/api/v1/events")).bearer_auth(token).send().await.expect("events") }
    };
    let mut streams = Vec::new();
    for _ in 0..5 {
        // Separate logins: separate devices of one user.
        let resp = open(ctx.token(BUDI).await).await;
        assert_eq!(resp.status(), StatusCode::OK);
        streams.push(resp);
    }
    let sixth = open(ctx.token(BUDI).await).await;
    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    let body: serde_json::Value = sixth.json().await.expect("json");
    assert_eq!(body["code"], "events.too_many_for_user");
    // Another user's first stream opens.
    let other = open(ctx.token(SITI).await).await;
    assert_eq!(other.status(), StatusCode::OK);
    // A closed stream gives its place back (the server notices when it next writes: keep-alive or an event).
    drop(streams.pop());
    let admin = ctx.token(ADMIN_A).await;
    let mut reopened = None;
    for attempt in 0..50 {
        // An announcement makes every stream write, so the server sees the closed one.
        let (status, _) = ctx
            .post(
                "/api/v1/admin/announcements",
                Some(&admin),
                &json!({"title": format!("Uji {attempt}"), "body": "Isi pengumuman."}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let resp = open(ctx.token(BUDI).await).await;
        if resp.status() == StatusCode::OK {
            reopened = Some(resp);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reopened.is_some(), "a closed stream never gave its place back");
}

async fn control_characters_are_refused_naming_the_field(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let admin = ctx.token(ADMIN_A).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let expect = |(status, body): (StatusCode, serde_json::Value), field: &str| {
        assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("field.control_chars")), "{body}");
        assert_eq!(body["field"], field, "{body}");
    };
    // A push whose text holds a NUL: 500 on PostgreSQL before.
    let id = new_id();
    let push = json!({"device_id": "dev", "mutations": [{"id": new_id(), "seq": 1,
        "op": "propose", "usulan_id": id, "documents": [],
        "action": {"type": "change_owner_fields", "fields": {"alamat": "Jl. Merdeka\u{0} No. 1"}}}]});
    expect(ctx.post("/api/v1/sync/push", Some(&budi), &push).await, "mutations[0].action.fields.alamat");
    expect(
        ctx.post("/api/v1/sync/push", Some(&budi), &json!({"device_id": "d\u{0}", "mutations": []})).await,
        "device_id",
    );
    // Admin bodies, decision reasons.
    expect(
        ctx.post("/api/v1/admin/announcements", Some(&admin), &json!({"title": "a\u{1b}[2J", "body": "x"})).await,
        "title",
    );
    expect(ctx.post("/api/v1/admin/accounts/x/lock", Some(&admin), &json!({"reason": "r\u{7f}"})).await, "reason");
    expect(
        ctx.post("/api/v1/review/x/decision", Some(&v), &json!({"decision": "reject", "reason": "\u{0}"})).await,
        "reason",
    );
    // Line breaks in free text are fine (a multi-line announcement).
    let (status, body) = ctx
        .post("/api/v1/admin/announcements", Some(&admin), &json!({"title": "Libur", "body": "Baris satu\r\n\tdua"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Paths and queries.
    expect(ctx.post("/api/v1/review/a%00b/decision", Some(&v), &json!({"decision": "verify"})).await, "path");
    expect(ctx.get("/api/v1/admin/accounts?q=a%00", Some(&admin)).await, "query");
    expect(ctx.get("/api/v1/sync?cursor=%1b", Some(&budi)).await, "query");
    // The record's rules refuse what the device would queue (single-line fields: no line break either).
    let push = json!({"device_id": "dev", "mutations": [{"id": new_id(), "seq": 1,
        "op": "propose", "usulan_id": new_id(), "documents": [],
        "action": {"type": "change_verified_fields", "fields": {"tempat_lahir": "Ban\ndung"}}}]});
    let (status, body) = ctx.post("/api/v1/sync/push", Some(&budi), &push).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["violation"]["code"], "field.control_chars", "{body}");
}

/// An account import is read as CSV or as JSON rows, not through `ApiJson`: its rows are checked one by one.
async fn an_import_row_with_a_control_character_is_a_row_error(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let csv = "nip,nama,tanggal_lahir,tempat_lahir,email,unor_nama,roles\n\
               199501012020121001,U\u{0}ji,1995-01-01,Bandung,u@x.go.id,Biro Umum,\n\
               199502022020121002,Dua,1995-02-02,Ban\u{1b}dung,,Biro Umum,\n\
               199503032020121003,Tiga,1995-03-03,Bandung,,Biro Umum,\n";
    let req = ctx.http.post(ctx.url("/api/v1/admin/accounts/import")).header("content-type", "text/csv").body(csv);
    let (status, body) = ctx.send(req, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["imported"], 1, "{body}");
    let errors = body["errors"].as_array().expect("errors");
    let fields: Vec<_> = errors.iter().map(|e| (e["code"].as_str(), e["field"].as_str())).collect();
    assert_eq!(
        fields,
        [(Some("field.control_chars"), Some("nama")), (Some("field.control_chars"), Some("tempat_lahir"))]
    );
}

async fn a_request_over_its_time_limit_answers_503_but_the_event_stream_is_exempt(ctx: Ctx) {
    // A zero limit: every request that waits at all (the database, the password hash) is over it.
    let server = support::start(&ctx.db_url, |c| c.http.request_timeout = Duration::ZERO).await;
    let base = format!("http://{}", server.addr());
    let login = ctx.http.post(format!("{base}/api/v1/auth/login")).json(&json!({"nip": BUDI, "password": "demo1234"}));
    let (status, body) = ctx.send(login, None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("request.timeout")), "{body}");
    // The stream lives on (a token from the other server on the same database).
    let token = ctx.token(BUDI).await;
    let resp = ctx.http.get(format!("{base}/api/v1/events")).bearer_auth(token).send().await.expect("events");
    assert_eq!(resp.status(), StatusCode::OK);
    drop(resp);
    server.shutdown().await;
}
