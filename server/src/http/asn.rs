//! The ASN's own routes: the card and its public check, the event stream, the standing.

use std::convert::Infallible;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::Stream;
use mysapk_model::card::{CardCheck, CardKeySet, CardToken};
use mysapk_model::ApiError;
use mysapk_model::Code;
use serde::Deserialize;

use super::{card_page, AppState};
use crate::auth::{self, AuthUser};
use crate::error::ServerError;
use crate::{card, events, standing};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/card", post(card_token))
        .route("/api/v1/card/keys", get(card_keys))
        .route("/api/v1/verify/{token}", get(verify_card))
        .route("/api/v1/events", get(events))
        .route("/api/v1/standing", get(my_standing))
}

#[utoipa::path(post, path = "/api/v1/card", security(("bearer" = [])),
    responses((status = 200, body = CardToken), (status = 401, body = ApiError)))]
pub async fn card_token(State(state): State<AppState>, user: AuthUser) -> Result<Json<CardToken>, ServerError> {
    Ok(Json(state.card_keys.issue(&user.nip).await?))
}

/// Public: always 200, the answer is the result (`valid`, or `reason`: `bad_signature`, `expired`, `no_account`).
/// A browser (`Accept: text/html` preferred) gets the same result as a page in Indonesian.
#[utoipa::path(get, path = "/api/v1/verify/{token}", params(("token" = String, Path, description = "The card token")),
    responses((status = 200, body = CardCheck), (status = 200, content_type = "text/html", description = "The result as a page, for a browser")))]
pub async fn verify_card(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let check = card::verify(&state.pool, &state.card_keys, &token).await?;
    let mut response =
        if card_page::wants_html(&headers) { card_page::response(&check, &token) } else { Json(check).into_response() };
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept"));
    Ok(response)
}

/// Public: the keys that verify card tokens (a JWK set); a verifier may keep it for a few minutes.
#[utoipa::path(get, path = "/api/v1/card/keys", responses((status = 200, body = CardKeySet)))]
pub async fn card_keys(State(state): State<AppState>) -> Result<Response, ServerError> {
    let set = state.card_keys.key_set().await?;
    // Public and the same for everyone: the one answer allowed in caches (see `http::headers`).
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(set)).into_response())
}

fn bearer(headers: &HeaderMap) -> Result<String, ServerError> {
    let missing = || ServerError::api(Code::AuthMissingToken);
    let value = headers.get(header::AUTHORIZATION).ok_or_else(missing)?.to_str().map_err(|_| missing())?;
    value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .ok_or_else(missing)
}

/// `text/event-stream`: `event: changed`, `data: {"version": v}` on connect and whenever the caller's feed grows.
#[utoipa::path(get, path = "/api/v1/events", security(("bearer" = [])),
    responses((status = 200, content_type = "text/event-stream", description = "`event: changed` with `data: {\"version\": <newest change-log version>}`"),
        (status = 401, body = ApiError), (status = 503, body = ApiError)))]
pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ServerError> {
    let access_token = bearer(&headers)?;
    let user = auth::authenticate(&state.pool, &state.tokens, &access_token).await?;
    user.require_full_session()?;
    events::stream(events::StreamSetup {
        pool: state.pool.clone(),
        tokens: state.tokens.clone(),
        live: state.live.clone(),
        closing: state.closing.clone(),
        access_token,
        user,
        poll: state.events_poll,
        user_streams: state.user_streams.clone(),
        per_user: state.limits.event_streams_per_user,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StandingParams {
    /// `YYYY-MM-DD`; default today (UTC).
    pub date: Option<String>,
}

/// The caller's own `Standing` (see `mysapk_model::standing::summary`).
#[utoipa::path(get, path = "/api/v1/standing", params(StandingParams), security(("bearer" = [])),
    responses((status = 200, content_type = "application/json", description = "Standing: IP ASN, SKP years, talent box, newest assessment"),
        (status = 400, body = ApiError), (status = 401, body = ApiError)))]
pub async fn my_standing(
    State(state): State<AppState>,
    user: AuthUser,
    params: Result<Query<StandingParams>, QueryRejection>,
) -> Result<Json<mysapk_model::standing::Standing>, ServerError> {
    let Query(p) = params.map_err(|e| ServerError::api_detail(Code::RequestInvalidQuery, e.body_text()))?;
    let date = standing::parse_date(p.date.as_deref())?;
    Ok(Json(standing::standing_of(&state.pool, &user.nip, date).await?))
}
