//! Review routes: the reviewer's queue and a decision on one usulan.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use mysapk_model::review::{DecisionRequest, ReviewQueue};
use mysapk_model::usulan::Usulan;
use mysapk_model::ApiError;
use mysapk_model::Code;
use serde::Deserialize;

use super::extract::ReviewerUser;
use super::{ApiJson, AppState};
use crate::error::ServerError;
use crate::{review, workflow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/review/queue", get(review_queue))
        .route("/api/v1/review/{usulan_id}/decision", post(decision))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueParams {
    /// Only proposals of this history kind (`jabatan`, `golongan`, `pendidikan`).
    pub kind: Option<String>,
    /// Only proposals of ASN of this work unit.
    pub unor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/review/queue", params(QueueParams), security(("bearer" = [])),
    responses((status = 200, body = ReviewQueue), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub async fn review_queue(
    State(state): State<AppState>,
    ReviewerUser(user): ReviewerUser,
    params: Result<Query<QueueParams>, QueryRejection>,
) -> Result<Json<ReviewQueue>, ServerError> {
    let Query(params) = params.map_err(|e| ServerError::api_detail(Code::RequestInvalidQuery, e.body_text()))?;
    let filter = review::QueueFilter { kind: params.kind, unor: params.unor };
    Ok(Json(review::queue(&state.pool, &user, &filter).await?))
}

/// The optional `X-Device-Id` header (recorded in the audit log).
pub fn device_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-device-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .map(str::to_owned)
}

#[utoipa::path(post, path = "/api/v1/review/{usulan_id}/decision", request_body = DecisionRequest,
    params(("usulan_id" = String, Path, description = "The proposal id")), security(("bearer" = [])),
    responses((status = 200, body = Usulan), (status = 400, body = ApiError), (status = 403, body = ApiError),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn decision(
    State(state): State<AppState>,
    ReviewerUser(user): ReviewerUser,
    Path(usulan_id): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<DecisionRequest>,
) -> Result<Json<Usulan>, ServerError> {
    let device = device_id(&headers);
    Ok(Json(workflow::decide_usulan(&state.pool, &*state.live, &user, &usulan_id, &req, device.as_deref()).await?))
}
