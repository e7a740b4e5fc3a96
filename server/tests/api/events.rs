//! The event stream (`GET /api/v1/events`): a `changed` event on connect, and again when the feed grows, through
//! this process (in-process nudge) or through another server process on the same database (the poll).

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{self, Ctx, ADMIN_A, BUDI, VERIFIKATOR_A};

crate::backend_tests!(
    a_stream_starts_with_the_feed_version_and_follows_announcements,
    a_change_through_another_server_process_reaches_the_stream,
);

/// An open event stream, read event by event.
struct Events {
    resp: reqwest::Response,
    buf: String,
}

impl Events {
    async fn open(ctx: &Ctx, token: &str) -> Self {
        let resp = ctx.http.get(ctx.url("/api/v1/events")).bearer_auth(token).send().await.expect("events");
        assert_eq!(resp.status(), StatusCode::OK);
        let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert!(ct.starts_with("text/event-stream"), "{ct}");
        Self { resp, buf: String::new() }
    }

    /// The next `changed` event's version, within `within`.
    async fn next_version(&mut self, within: Duration) -> Option<i64> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut event = None;
                let mut data = None;
                for line in block.lines() {
                    if let Some(e) = line.strip_prefix("event:") {
                        event = Some(e.trim().to_owned());
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data = Some(d.trim().to_owned());
                    }
                }
                if event.as_deref() == Some("changed") {
                    let v: Value = serde_json::from_str(&data.expect("data line")).expect("json data");
                    return Some(v["version"].as_i64().expect("version"));
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.resp.chunk()).await.ok()?;
            let chunk = chunk.expect("stream read")?;
            self.buf.push_str(&String::from_utf8_lossy(&chunk).replace("\r\n", "\n"));
        }
    }
}

async fn announce(ctx: &Ctx, title: &str) {
    let admin = ctx.token(ADMIN_A).await;
    let (status, body) =
        ctx.post("/api/v1/admin/announcements", Some(&admin), &json!({"title": title, "body": "Isi."})).await;
    assert_eq!(status, StatusCode::OK, "announce: {body}");
}

async fn a_stream_starts_with_the_feed_version_and_follows_announcements(ctx: Ctx) {
    let (status, body) = ctx.get("/api/v1/events", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("auth.missing_token")));
    let (status, _) = ctx.get("/api/v1/events", Some("not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let token = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&token, "0").await;
    let mut events = Events::open(&ctx, &token).await;
    let first = events.next_version(Duration::from_secs(5)).await.expect("first event");
    assert_eq!(first.to_string(), cursor, "the first event carries the newest version of the feed");

    // The default poll is 2 s: an event within 1.5 s comes from the in-process nudge.
    let started = std::time::Instant::now();
    announce(&ctx, "Apel pagi").await;
    let next = events.next_version(Duration::from_secs(5)).await.expect("event after the announcement");
    assert!(next > first, "{next} > {first}");
    let (cursor, changes) = ctx.pull_all(&token, &first.to_string()).await;
    assert_eq!(cursor, next.to_string());
    assert_eq!(changes.len(), 1);
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());

    // A reviewer's stream starts too (the agency scope is one of its keys).
    let reviewer = ctx.token(VERIFIKATOR_A).await;
    let mut r = Events::open(&ctx, &reviewer).await;
    let v = r.next_version(Duration::from_secs(5)).await.expect("reviewer's first event");
    let (cursor, _) = ctx.pull_all(&reviewer, "0").await;
    assert_eq!(v.to_string(), cursor);
    // Nothing new: no event, only keep-alives.
    assert_eq!(events.next_version(Duration::from_millis(2500)).await, None);
}

async fn a_change_through_another_server_process_reaches_the_stream(ctx: Ctx) {
    // The first node's stream polls every 300 ms; the change is written through a second node on the same
    // database. Each server keeps its own live state (no process-wide hub), so no nudge of the first node can
    // carry it, as with another server process: only the poll does.
    let first_node = support::start(&ctx.db_url, |c| c.events_poll = Duration::from_millis(300)).await;
    let node1 = Ctx { base: format!("http://{}", first_node.addr()), ..ctx.clone() };
    let token = node1.token(BUDI).await;
    let mut events = Events::open(&node1, &token).await;
    let first = events.next_version(Duration::from_secs(5)).await.expect("first event");

    let dir = ctx.doc_dir.clone();
    let second_node = support::start(&ctx.db_url, move |c| c.document_dir = dir).await;
    let node2 = Ctx { base: format!("http://{}", second_node.addr()), live: second_node.live(), ..ctx.clone() };
    announce(&node2, "Dari node kedua").await;
    let next = events.next_version(Duration::from_secs(5)).await.expect("event through the poll");
    assert!(next > first);
    let (_, changes) = node1.pull_all(&token, &first.to_string()).await;
    assert!(
        changes.iter().any(|c| matches!(c, mysapk_model::sync::Change::Notification { notification }
            if notification.title.as_deref() == Some("Dari node kedua"))),
        "{changes:?}"
    );
    second_node.shutdown().await;
    first_node.shutdown().await;
}
