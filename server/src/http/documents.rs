//! Document routes: resumable upload (`status`, `PATCH` chunks) and authorised download.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use mysapk_model::document::UploadStatus;
use mysapk_model::ApiError;
use mysapk_model::Code;

use super::AppState;
use crate::auth::AuthUser;
use crate::error::ServerError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/documents/{sha256}/status", get(status))
        .route("/api/v1/documents/{sha256}", get(download).patch(patch))
}

/// A required numeric header (`Upload-Offset`, `Upload-Length`).
fn number_header(headers: &HeaderMap, name: &'static str) -> Result<u64, ServerError> {
    headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok()).ok_or_else(|| {
        ServerError::api_detail(
            Code::DocumentInvalidHeader,
            format!("The {name} header (a non-negative integer) is required."),
        )
        .on_field(name.to_owned())
    })
}

#[utoipa::path(get, path = "/api/v1/documents/{sha256}/status",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256 of the document")), security(("bearer" = [])),
    responses((status = 200, body = UploadStatus, description = "Bytes of this user's upload the server holds; complete when the user owns the stored document"),
        (status = 400, body = ApiError), (status = 401, body = ApiError)))]
pub async fn status(
    State(state): State<AppState>,
    user: AuthUser,
    Path(sha256): Path<String>,
) -> Result<Json<UploadStatus>, ServerError> {
    Ok(Json(state.documents.status(&state.pool, &user, &sha256).await?))
}

#[utoipa::path(patch, path = "/api/v1/documents/{sha256}",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256 of the whole document"),
        ("Upload-Offset" = u64, Header, description = "Where this chunk starts: the `received` of the last status"),
        ("Upload-Length" = u64, Header, description = "The whole document's size in bytes")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The next chunk (at most 256 KiB)"),
    security(("bearer" = [])),
    responses((status = 200, body = UploadStatus),
        (status = 400, body = ApiError, description = "document.invalid_sha256, document.invalid_header, document.chunk_invalid"),
        (status = 409, body = ApiError, description = "document.offset_mismatch (re-read the status), document.length_mismatch"),
        (status = 413, body = ApiError, description = "document.too_large, request.too_large"),
        (status = 422, body = ApiError, description = "document.checksum_mismatch, document.not_pdf_or_jpeg, document.truncated, document.empty")))]
pub async fn patch(
    State(state): State<AppState>,
    user: AuthUser,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<UploadStatus>, ServerError> {
    let offset = number_header(&headers, "upload-offset")?;
    let length = number_header(&headers, "upload-length")?;
    let body = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ServerError::api(Code::RequestTooLarge)
        } else {
            ServerError::api_detail(Code::RequestInvalidBody, r.body_text())
        }
    })?;
    Ok(Json(state.documents.patch(&state.pool, &user, &sha256, offset, length, &body).await?))
}

#[utoipa::path(get, path = "/api/v1/documents/{sha256}",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256 of the document")), security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>, description = "The bytes, with the content type sniffed at upload (application/pdf or image/jpeg)"),
        (status = 401, body = ApiError),
        (status = 404, body = ApiError, description = "document.not_found: absent, or not the caller's to read")))]
pub async fn download(
    State(state): State<AppState>,
    user: AuthUser,
    Path(sha256): Path<String>,
) -> Result<Response, ServerError> {
    let (mime, bytes) = state.documents.read(&state.pool, &user, &sha256).await?;
    Ok((
        [
            (header::CONTENT_TYPE, mime.as_str()),
            (header::CACHE_CONTROL, "private, no-store"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CONTENT_DISPOSITION, "attachment"),
        ],
        bytes,
    )
        .into_response())
}
