//! Extractors: JSON bodies with API errors, the bearer-token caller, and the caller who must hold a role
//! ([`AdminUser`], [`ReviewerUser`]): decided from the token alone, before any body is read, so a caller without
//! the role gets 403 whatever it sends.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::Json;
use mysapk_model::usulan::Role;
use mysapk_model::Code;
use serde::de::DeserializeOwned;

use super::AppState;
use crate::auth::{self, AuthUser};
use crate::error::ServerError;

/// `Json<T>` whose rejections are API errors: 413 `request.too_large`, 400 `request.invalid_json`, and 400
/// `field.control_chars` naming the first text (of any field, whatever `T` reads) holding a control character
/// other than a line break or tab.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ApiJsonUnchecked(value) = ApiJsonUnchecked::<serde_json::Value>::from_request(req, state).await?;
        if let Some(field) = mysapk_model::rules::control_chars_in(&value) {
            return Err(ServerError::api(Code::FieldControlChars).on_field(&field));
        }
        serde_json::from_value(value).map(ApiJson).map_err(|e| {
            ServerError::api_detail(
                Code::RequestInvalidJson,
                format!("Failed to deserialize the JSON body into the target type: {e}"),
            )
        })
    }
}

/// `Json<T>` with API errors and without the control-character guard: how [`ApiJson`] reads a body.
pub struct ApiJsonUnchecked<T>(pub T);

impl<S, T> FromRequest<S> for ApiJsonUnchecked<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJsonUnchecked(v)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ServerError::api(Code::RequestTooLarge))
            }
            Err(rejection) => Err(ServerError::api_detail(Code::RequestInvalidJson, rejection.body_text())),
        }
    }
}

/// The caller, an admin (403 `admin.not_admin` otherwise).
pub struct AdminUser(pub AuthUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        crate::admin::require_admin(&user)?;
        Ok(AdminUser(user))
    }
}

/// The caller, a verifikator or approver (403 `review.not_reviewer` otherwise).
pub struct ReviewerUser(pub AuthUser);

impl FromRequestParts<AppState> for ReviewerUser {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if !user.roles.iter().any(|r| matches!(r, Role::Verifikator | Role::Approver)) {
            return Err(ServerError::api(Code::ReviewNotReviewer));
        }
        Ok(ReviewerUser(user))
    }
}

/// The caller of a full session: a session that may only enrol a second factor gets 403
/// `auth.mfa_enrollment_required` here, on every route but those taking [`AnySession`].
impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let AnySession { user, .. } = AnySession::from_request_parts(parts, state).await?;
        user.require_full_session()?;
        Ok(user)
    }
}

/// The caller of any live session, also one that may only enrol a second factor (enrolment, logout, naming the
/// device), and the hash of its access token (which session is "this one").
pub struct AnySession {
    pub user: AuthUser,
    pub access_hash: String,
}

impl FromRequestParts<AppState> for AnySession {
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
        let user = auth::authenticate(&state.pool, &state.tokens, token).await?;
        Ok(AnySession { user, access_hash: auth::token_hash(token) })
    }
}
