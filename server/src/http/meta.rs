//! Meta routes: health, the OpenAPI document, and the answer for an unknown route.

use axum::routing::get;
use axum::{Json, Router};
use mysapk_model::Code;

use super::{openapi, AppState};
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(health)).route("/api/v1/openapi.json", get(openapi::openapi_json))
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

pub async fn not_found() -> ServerError {
    ServerError::api(Code::RouteNotFound)
}
