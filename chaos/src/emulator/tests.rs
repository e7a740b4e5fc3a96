//! Unit tests of the emulator against a small keep-alive origin server.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use super::http::{with_close, Framing, Head, Reader};
use super::*;

/// A keep-alive HTTP/1.1 server answering every request with `body` (chunked when `chunked`).
async fn origin(chunked: bool) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut r = Reader::new();
                while let Ok(Some(raw)) = r.head(&mut sock).await {
                    let head = Head::parse(&raw, true).expect("head");
                    let body = r.body(&mut sock, head.framing(true, &head.first)).await.expect("body");
                    let text = format!("{} {} {}", head.first, head.target, body.len());
                    let close = if head.closes() { "Connection: close\r\n" } else { "" };
                    let resp = if chunked {
                        let (a, b) = text.split_at(text.len() / 2);
                        format!(
                            "HTTP/1.1 200 OK\r\n{close}Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
                            a.len(),
                            b.len()
                        )
                    } else {
                        format!("HTTP/1.1 200 OK\r\n{close}Content-Length: {}\r\n\r\n{text}", text.len())
                    };
                    if sock.write_all(resp.as_bytes()).await.is_err() || head.closes() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().build().expect("client")
}

#[tokio::test]
async fn keep_alive_requests_pass_through_and_are_counted() {
    for chunked in [false, true] {
        let emu = Emulator::start(origin(chunked).await, Config::default()).await.expect("start");
        let http = client();
        for i in 0..5 {
            let text = http
                .post(format!("{}/p/{i}", emu.url()))
                .body("x".repeat(i * 10))
                .send()
                .await
                .expect("send")
                .text()
                .await
                .expect("text");
            assert_eq!(text, format!("POST /p/{i} {}", i * 10));
        }
        let st = emu.stats();
        assert_eq!(st.requests, 5);
        assert_eq!(st.responses, 5);
        assert_eq!(st.connections, 1, "keep-alive reuses the connection");
        assert!(st.bytes_up > 100 && st.bytes_down > 100);
    }
}

#[tokio::test]
async fn force_close_closes_every_connection() {
    let cfg = Config { force_close: true, ..Config::default() };
    let emu = Emulator::start(origin(false).await, cfg).await.expect("start");
    let http = client();
    for _ in 0..3 {
        let r = http.get(format!("{}/a", emu.url())).send().await.expect("send");
        assert_eq!(r.headers().get("connection").and_then(|v| v.to_str().ok()), Some("close"));
        assert_eq!(r.text().await.expect("text"), "GET /a 0");
    }
    assert_eq!(emu.stats().connections, 3);
}

#[tokio::test]
async fn scheduled_faults_hit_exactly_their_request() {
    let mut schedule = HashMap::new();
    schedule.insert(0, Fault::ServerError { status: 503 });
    schedule.insert(1, Fault::TooManyRequests { retry_after: 7 });
    schedule.insert(2, Fault::ExpiredToken);
    schedule.insert(3, Fault::DropBeforeForward);
    schedule.insert(4, Fault::ResetMidBody { after: 10 });
    schedule.insert(5, Fault::Truncate);
    let plan = FaultPlan { schedule, ..FaultPlan::default() }.on_paths(&["/sync"]);
    let emu = Emulator::start(origin(false).await, Config { faults: plan, ..Config::default() }).await.expect("start");
    let http = client();
    let url = |p: &str| format!("{}{p}", emu.url());
    // A path outside the plan neither counts nor fails.
    assert_eq!(http.get(url("/login")).send().await.expect("login").status(), 200);
    let r = http.get(url("/sync")).send().await.expect("503");
    assert_eq!(r.status(), 503);
    let r = http.get(url("/sync")).send().await.expect("429");
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("7"));
    let r = http.get(url("/sync")).send().await.expect("401");
    assert_eq!(r.status(), 401);
    assert!(r.text().await.expect("body").contains("auth.expired_token"));
    assert!(http.get(url("/sync")).send().await.is_err(), "dropped before forwarding");
    let reset = match http.get(url("/sync")).send().await {
        Ok(r) => r.text().await.is_err(),
        Err(_) => true,
    };
    assert!(reset, "reset mid-body");
    let truncated = match http.get(url("/sync")).send().await {
        Ok(r) => r.text().await.is_err(),
        Err(_) => true,
    };
    assert!(truncated, "truncated body");
    let r = http.get(url("/sync")).send().await.expect("healthy again");
    assert_eq!(r.text().await.expect("text"), "GET /sync 0");
    let st = emu.stats();
    assert_eq!(st.faults, 6);
    assert_eq!(st.forwarded, 4, "login, reset, truncate, last");
    let counts = emu.fault_counts();
    assert_eq!(counts.get("drop"), Some(&1));
    assert_eq!(counts.get("truncate"), Some(&1));
    let log = emu.log();
    assert_eq!(log.len(), 8);
    assert_eq!(log[1].status, Some(503));
}

#[tokio::test]
async fn random_faults_follow_the_probability() {
    let plan = FaultPlan::random(0.3, vec![Fault::ServerError { status: 500 }], 42);
    let emu = Emulator::start(origin(false).await, Config { faults: plan, ..Config::default() }).await.expect("start");
    let http = client();
    let mut failed = 0;
    for _ in 0..200 {
        if http.get(format!("{}/x", emu.url())).send().await.expect("send").status() == 500 {
            failed += 1;
        }
    }
    assert!((30..=90).contains(&failed), "{failed} of 200 at p = 0.3");
    assert_eq!(emu.stats().faults, failed);
}

#[tokio::test]
async fn latency_and_bandwidth_slow_the_exchange() {
    let cfg = Config {
        up: Link { latency: Duration::from_millis(50), ..Link::default() },
        down: Link { latency: Duration::from_millis(50), jitter: Duration::ZERO, bandwidth: Some(100_000) },
        handshake_rtt: true,
        ..Config::default()
    };
    let emu = Emulator::start(origin(false).await, cfg).await.expect("start");
    let http = client();
    let t = Instant::now();
    http.get(format!("{}/a", emu.url())).send().await.expect("send").text().await.expect("text");
    let first = t.elapsed();
    assert!(first >= Duration::from_millis(200), "handshake + round trip: {first:?}");
    let t = Instant::now();
    // 50 kB up at unlimited, the small answer down: one round trip.
    http.post(format!("{}/b", emu.url())).body(vec![b'x'; 50_000]).send().await.expect("send");
    let second = t.elapsed();
    assert!(second >= Duration::from_millis(100) && second < Duration::from_millis(400), "{second:?}");
    // Limit the upload to 100 kB/s: 50 kB take 0.5 s more.
    emu.set_links(Link { bandwidth: Some(100_000), ..Link::new(50, 0) }, Link::new(50, 0));
    let t = Instant::now();
    http.post(format!("{}/c", emu.url())).body(vec![b'x'; 50_000]).send().await.expect("send");
    let third = t.elapsed();
    assert!(third >= Duration::from_millis(550), "{third:?}");
}

#[test]
fn heads_parse_and_rewrite() {
    let raw = b"POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length: 12\r\n\r\n";
    let h = Head::parse(raw, true).expect("parse");
    assert_eq!((h.first.as_str(), h.target.as_str()), ("POST", "/api/v1/sync/push"));
    assert_eq!(h.framing(true, "POST"), Framing::Length(12));
    let closed = with_close(raw);
    let c = Head::parse(&closed, true).expect("parse");
    assert!(c.closes());
    assert_eq!(c.headers.iter().filter(|(k, _)| k == "connection").count(), 1);
    let resp = Head::parse(b"HTTP/1.1 204 No Content\r\n\r\n", false).expect("resp");
    assert_eq!(resp.framing(false, "GET"), Framing::None);
    let eof = Head::parse(b"HTTP/1.1 200 OK\r\n\r\n", false).expect("resp");
    assert_eq!(eof.framing(false, "GET"), Framing::UntilClose);
}
