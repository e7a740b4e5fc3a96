//! Sync routes: pull (the change feed) and push (the device's mutations, behind the write gate).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use mysapk_model::sync::{MutationOutcome, PullResponse, PushRequest, PushResponse};
use mysapk_model::ApiError;
use mysapk_model::Code;
use serde::Deserialize;

use super::{ApiJson, AppState};
use crate::auth::AuthUser;
use crate::error::ServerError;
use crate::{push, sync};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/sync", get(pull)).route("/api/v1/sync/push", post(push))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PullParams {
    /// Opaque cursor from the previous pull; absent for the first sync.
    pub cursor: Option<String>,
    /// Page size (default 500).
    pub limit: Option<i64>,
    /// `true`: the last page also carries a fresh card token (what `POST /api/v1/card` gives), so a device renews
    /// its card without a request of its own.
    pub card: Option<bool>,
}

#[utoipa::path(get, path = "/api/v1/sync", params(PullParams), security(("bearer" = [])),
    responses((status = 200, body = PullResponse), (status = 401, body = ApiError)))]
pub async fn pull(
    State(state): State<AppState>,
    user: AuthUser,
    params: Result<Query<PullParams>, QueryRejection>,
) -> Result<Json<PullResponse>, ServerError> {
    let Query(params) = params.map_err(|e| ServerError::api_detail(Code::RequestInvalidQuery, e.body_text()))?;
    let cursor = sync::parse_cursor(params.cursor.as_deref())?;
    let limit = params.limit.unwrap_or(sync::DEFAULT_PULL_LIMIT);
    let mut page = sync::pull(&state.pool, &state.feed, &user, cursor, limit).await?;
    if params.card == Some(true) && !page.has_more {
        // The card is secondary to the record: a failure to sign leaves it out, and the device asks again later.
        match state.card_keys.issue(&user.nip).await {
            Ok(token) => page.card = Some(token),
            Err(e) => tracing::warn!(error = %e, "card token not issued with the pull"),
        }
    }
    metrics::counter!(crate::metrics::PULLS).increment(1);
    Ok(Json(page))
}

#[utoipa::path(post, path = "/api/v1/sync/push", request_body = PushRequest, security(("bearer" = [])),
    responses((status = 200, body = PushResponse), (status = 400, body = ApiError), (status = 401, body = ApiError),
        (status = 413, body = ApiError), (status = 503, body = ApiError)))]
pub async fn push(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ServerError> {
    let _turn = state.writes.enter().await?;
    let answer = push::push(&state.pool, &*state.live, &user, &req).await?;
    metrics::counter!(crate::metrics::PUSHES).increment(1);
    for r in &answer.results {
        let outcome = match r.outcome {
            MutationOutcome::Applied => "applied",
            MutationOutcome::AlreadyProcessed => "already_processed",
            MutationOutcome::Rejected { .. } => "rejected",
        };
        metrics::counter!(crate::metrics::MUTATIONS, "outcome" => outcome).increment(1);
    }
    Ok(Json(answer))
}
