//! Extractors: JSON bodies with API errors, and the bearer-token caller.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::Json;
use mysapk_model::Code;
use serde::de::DeserializeOwned;

use super::AppState;
use crate::auth::{self, AuthUser};
use crate::error::ServerError;

/// `Json<T>` whose rejections are API errors: 413 `request.too_large`, 400 `request.invalid_json`.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ServerError::api(Code::RequestTooLarge))
            }
            Err(rejection) => Err(ServerError::api_detail(Code::RequestInvalidJson, rejection.body_text())),
        }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let missing = || ServerError::api(Code::AuthMissingToken);
        let value = parts.headers.get(header::AUTHORIZATION).ok_or_else(missing)?;
        let value = value.to_str().map_err(|_| missing())?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(missing)?;
        auth::authenticate(&state.pool, &state.tokens, token).await
    }
}
