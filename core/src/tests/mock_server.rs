//! A small in-process stand-in for the server's document and sync routes (unit tests only), with faults to
//! inject: a chunk stored but its answer lost, an unavailable upload route, a stale status, a refused document.
//! Also the agency audit log reader, answering what the test put in `audit` and noting each query; the event
//! stream (`GET /api/v1/events`, one `changed` event on connect and one per value sent on `events`), the card
//! token and the layanan update.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use mysapk_model::admin::AuditEntry;
use mysapk_model::document::UploadStatus;
use mysapk_model::sync::{Change, Mutation, MutationOp, MutationOutcome, MutationResult, PullResponse, PushRequest};
use mysapk_model::Code;
use mysapk_model::{ApiError, Violation};

use crate::documents::sha256_hex;

#[derive(Default)]
pub(crate) struct MockState {
    /// Bytes received per document.
    pub docs: HashMap<String, Vec<u8>>,
    pub complete: HashMap<String, bool>,
    /// `(sha256, offset)` of every PATCH received.
    pub patches: Vec<(String, u64)>,
    /// Every mutation pushed, in order.
    pub pushed: Vec<Mutation>,
    /// Store this many more chunks normally, then store the next one but answer 503 (the answer is lost).
    pub lose_answer_after: Option<u32>,
    /// Every PATCH answers 503 without storing anything.
    pub patch_unavailable: bool,
    /// The next status answer claims nothing was received.
    pub stale_status_once: bool,
    /// Every PATCH is refused with 422 and this code.
    pub refuse: Option<String>,
    /// Changes the next pull returns (once).
    pub pull_changes: Vec<Change>,
    /// What `GET /api/v1/admin/audit` answers.
    pub audit: Vec<AuditEntry>,
    /// The query of every `GET /api/v1/admin/audit`, with the bearer token under `token`.
    pub audit_queries: Vec<HashMap<String, String>>,
    /// How many pulls arrived.
    pub pulls: u32,
    /// Each value sent here becomes a `changed` event on every open event stream.
    pub events: Option<tokio::sync::broadcast::Sender<u64>>,
    /// How many event streams were opened.
    pub event_connections: u32,
    /// The event stream answers 404, as a server without it.
    pub no_events: bool,
    /// `POST /api/v1/card` answers 404, as a server without it.
    pub no_card: bool,
    /// A pull that asks (`card=true`) carries a card token, as the server does; without, the device has to
    /// `POST /api/v1/card` (an older server).
    pub card_in_pull: bool,
    /// How many of the card tokens issued came with a pull.
    pub cards_in_pull: u32,
    /// How many card tokens were issued, and how long each lives (seconds; 0 means one day).
    pub cards: u32,
    pub card_life_secs: i64,
    /// What `GET /api/v1/card/keys` answers (404 while `None`), and how often it was asked.
    pub card_keys: Option<mysapk_model::card::CardKeySet>,
    pub card_key_fetches: u32,
    /// Every layanan update received.
    pub layanan: Vec<serde_json::Value>,
    /// Answer at most this many mutations per push, as a server over its time budget.
    pub push_answers_at_most: Option<usize>,
    /// Answer this many more pushes 503 `server.busy` with `Retry-After: 3`, as a server shedding load.
    pub busy_pushes: u32,
    /// The `X-Request-Id` of every push and pull, in order (`None`: sent without one).
    pub sync_request_ids: Vec<Option<String>>,
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

pub(crate) type Shared = Arc<Mutex<MockState>>;

/// The mock's state, for a test to set up or inspect (a panicked holder does not poison it for the next).
pub(crate) fn lock(s: &Shared) -> std::sync::MutexGuard<'_, MockState> {
    s.lock().unwrap_or_else(|p| p.into_inner())
}

fn error(status: StatusCode, code: &str) -> Response {
    (status, Json(ApiError::new(code, code))).into_response()
}

fn status_of(st: &MockState, sha: &str) -> UploadStatus {
    UploadStatus {
        sha256: sha.to_owned(),
        received: st.docs.get(sha).map_or(0, |d| d.len() as u64),
        complete: st.complete.get(sha).copied().unwrap_or(false),
    }
}

async fn status(State(s): State<Shared>, Path(sha): Path<String>) -> Response {
    let mut st = lock(&s);
    let mut answer = status_of(&st, &sha);
    if std::mem::take(&mut st.stale_status_once) {
        answer.received = 0;
    }
    Json(answer).into_response()
}

fn header(h: &HeaderMap, name: &str) -> Option<u64> {
    h.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

async fn patch(State(s): State<Shared>, Path(sha): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let mut st = lock(&s);
    let (Some(offset), Some(total)) = (header(&headers, "Upload-Offset"), header(&headers, "Upload-Length")) else {
        return error(StatusCode::BAD_REQUEST, "document.headers");
    };
    st.patches.push((sha.clone(), offset));
    if st.patch_unavailable {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if let Some(code) = st.refuse.clone() {
        return error(StatusCode::UNPROCESSABLE_ENTITY, &code);
    }
    let have = st.docs.get(&sha).map_or(0, |d| d.len() as u64);
    if offset != have {
        return error(StatusCode::CONFLICT, "document.offset_mismatch");
    }
    st.docs.entry(sha.clone()).or_default().extend_from_slice(&body);
    let now = st.docs.get(&sha).map_or(0, |d| d.len() as u64);
    if now == total {
        let ok = st.docs.get(&sha).is_some_and(|d| sha256_hex(d) == sha);
        if !ok {
            st.docs.remove(&sha);
            return error(StatusCode::UNPROCESSABLE_ENTITY, "document.checksum_mismatch");
        }
        st.complete.insert(sha.clone(), true);
    }
    match st.lose_answer_after {
        Some(0) => {
            st.lose_answer_after = None;
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Some(n) => {
            st.lose_answer_after = Some(n - 1);
            Json(status_of(&st, &sha)).into_response()
        }
        None => Json(status_of(&st, &sha)).into_response(),
    }
}

async fn bytes(State(s): State<Shared>, Path(sha): Path<String>) -> Response {
    let st = lock(&s);
    match st.docs.get(&sha) {
        Some(d) if st.complete.get(&sha).copied().unwrap_or(false) => d.clone().into_response(),
        _ => error(StatusCode::NOT_FOUND, "document.not_found"),
    }
}

async fn push(State(s): State<Shared>, headers: HeaderMap, Json(request): Json<PushRequest>) -> Response {
    let mut st = lock(&s);
    st.sync_request_ids.push(request_id(&headers));
    if st.busy_pushes > 0 {
        st.busy_pushes -= 1;
        let body = Json(serde_json::json!({"code": "server.busy", "message": "busy"}));
        return (StatusCode::SERVICE_UNAVAILABLE, [("retry-after", "3")], body).into_response();
    }
    let mut results = Vec::new();
    let mut last = 0;
    let answered = st.push_answers_at_most.unwrap_or(usize::MAX);
    for m in request.mutations.into_iter().take(answered) {
        let missing = match &m.op {
            MutationOp::Propose { documents, .. } => {
                documents.iter().any(|d| !st.complete.get(&d.sha256).copied().unwrap_or(false))
            }
            _ => false,
        };
        let outcome = if missing {
            MutationOutcome::Rejected { violation: Violation::new(Code::DocumentMissing, "documents", "x", "x") }
        } else {
            MutationOutcome::Applied
        };
        last = m.seq;
        results.push(MutationResult { id: m.id.clone(), seq: m.seq, outcome });
        st.pushed.push(m);
    }
    Json(mysapk_model::sync::PushResponse { last_processed_seq: last, results }).into_response()
}

async fn pull(State(s): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    let mut st = lock(&s);
    st.sync_request_ids.push(request_id(&headers));
    st.pulls += 1;
    let changes = std::mem::take(&mut st.pull_changes);
    let card = (st.card_in_pull && query.get("card").is_some_and(|v| v == "true")).then(|| {
        st.cards_in_pull += 1;
        issue_card(&mut st)
    });
    drop(st);
    Json(PullResponse { cursor: "1".into(), has_more: false, changes, card }).into_response()
}

async fn agency_audit(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(mut query): Query<HashMap<String, String>>,
) -> Response {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
    query.insert("token".into(), token.to_owned());
    let mut st = lock(&s);
    st.audit_queries.push(query);
    Json(st.audit.clone()).into_response()
}

fn sse_changed(version: u64) -> Bytes {
    Bytes::from(format!(": keep-alive\n\nevent: changed\ndata: {{\"version\": {version}}}\n\n"))
}

async fn events(State(s): State<Shared>) -> Response {
    let mut st = lock(&s);
    if st.no_events {
        return error(StatusCode::NOT_FOUND, "not_found");
    }
    st.event_connections += 1;
    let Some(rx) = st.events.as_ref().map(tokio::sync::broadcast::Sender::subscribe) else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    drop(st);
    let first = futures_util::stream::once(async { Ok::<_, std::convert::Infallible>(sse_changed(1)) });
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(v) => return Some((Ok(sse_changed(v)), rx)),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let body = axum::body::Body::from_stream(futures_util::StreamExt::chain(first, rest));
    ([(axum::http::header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}

async fn card(State(s): State<Shared>) -> Response {
    let mut st = lock(&s);
    if st.no_card {
        return error(StatusCode::NOT_FOUND, "not_found");
    }
    Json(issue_card(&mut st)).into_response()
}

fn issue_card(st: &mut MockState) -> mysapk_model::card::CardToken {
    st.cards += 1;
    let life = if st.card_life_secs == 0 { 86_400 } else { st.card_life_secs };
    mysapk_model::card::CardToken {
        token: format!("tok{}", st.cards),
        expires_at: chrono::Utc::now() + chrono::Duration::seconds(life),
    }
}

async fn card_keys(State(s): State<Shared>) -> Response {
    let mut st = lock(&s);
    st.card_key_fetches += 1;
    match st.card_keys.clone() {
        Some(set) => Json(set).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found"),
    }
}

async fn layanan(State(s): State<Shared>, Json(body): Json<serde_json::Value>) -> Response {
    let mut st = lock(&s);
    st.layanan.push(body);
    Json(serde_json::json!({ "id": format!("lay{}", st.layanan.len()) })).into_response()
}

/// Start the mock on a free loopback port; returns its URL and state.
pub(crate) async fn start() -> (String, Shared) {
    let state: Shared = Arc::default();
    lock(&state).events = Some(tokio::sync::broadcast::channel(16).0);
    let app = Router::new()
        .route("/api/v1/documents/{sha}/status", get(status))
        .route("/api/v1/documents/{sha}", get(bytes).patch(patch))
        .route("/api/v1/sync/push", post(push))
        .route("/api/v1/sync", get(pull))
        .route("/api/v1/admin/audit", get(agency_audit))
        .route("/api/v1/events", get(events))
        .route("/api/v1/card", post(card))
        .route("/api/v1/card/keys", get(card_keys))
        .route("/api/v1/admin/layanan", post(layanan))
        .with_state(Arc::clone(&state));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), state)
}
