//! What stands in front of SIASN's back end, in the order a call meets it: the APIM gateway (WSO2) checks the
//! `Authorization` token and the integrator's rate limit and reaches the back end (or answers that it cannot);
//! the back end checks the SSO token in `Auth`.
//!
//! Shapes:
//! - WSO2 faults are `{code, message, description}` JSON (rumahASN `middleware/siasn.middleware.js` reads
//!   `code`, `message`, `type`, `description`, and treats `message == "Invalid Credentials"` as a token fault and
//!   `"Runtime Error"` with a description holding `SUSPENDED` as the back end being down). Codes from the WSO2 API
//!   Manager error-code table: 900901 Invalid Credentials, 900902 Missing Credentials, 900800 Message throttled
//!   out (HTTP 429, with `nextAccessTime`), 900906 no matching resource, 101503/303001 Runtime Error (503).
//! - The back end's SSO faults: `{"message": "invalid or expired jwt"}` (401; rumahASN checks this exact text)
//!   and `{"message": "missing or malformed jwt"}` (400), the answers of the Go echo JWT middleware whose
//!   wording rumahASN meets.
//! - The rate limit: integrators are throttled to about one request every 0.8 s (the figure); counted per
//!   APIM consumer key, only accepted calls start a new interval.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::auth::{bearer, TokenFault, TokenKind};
use crate::server::{lock, Shared};
use crate::store::{Outage, RequestLog};

fn wso2(status: StatusCode, code: &str, message: &str, description: &str) -> Response {
    (status, Json(json!({ "code": code, "message": message, "description": description }))).into_response()
}

/// The APIM token fault.
pub(crate) fn apim_fault(fault: TokenFault) -> Response {
    match fault {
        TokenFault::Missing => wso2(
            StatusCode::UNAUTHORIZED,
            "900902",
            "Missing Credentials",
            "Invalid Credentials. Make sure your API invocation call has a header: 'Authorization : Bearer ACCESS_TOKEN'",
        ),
        TokenFault::Invalid => wso2(
            StatusCode::UNAUTHORIZED,
            "900901",
            "Invalid Credentials",
            "Invalid Credentials. Make sure you have provided the correct security credentials",
        ),
    }
}

fn throttled(next_access: chrono::DateTime<chrono::Utc>) -> Response {
    let at = next_access.format("%Y-%b-%d %H:%M:%S%z UTC").to_string();
    (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({
            "code": "900800",
            "message": "Message throttled out",
            "description": format!("You have exceeded your quota .You can access API after {at}"),
            "nextAccessTime": at,
        })),
    )
        .into_response()
}

fn outage(outage: Outage) -> Response {
    let runtime = |code: &str, description: &str| {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "code": code, "type": "Status report", "message": "Runtime Error", "description": description })),
        )
            .into_response()
    };
    match outage {
        Outage::Unavailable => runtime("101503", "Error connecting to the back end"),
        Outage::Suspended => runtime(
            "303001",
            "Currently , Address endpoint : [ Name : apisiasn--v1.0_APIproductionEndpoint ] [ State : SUSPENDED ]",
        ),
        Outage::BadGateway => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n",
        )
            .into_response(),
    }
}

/// The gateway gave up waiting for the back end, which still did the work: 504, WSO2 code 101504.
pub(crate) fn answer_lost() -> Response {
    (
        StatusCode::GATEWAY_TIMEOUT,
        Json(json!({ "code": "101504", "type": "Status report", "message": "Runtime Error", "description": "Send timeout" })),
    )
        .into_response()
}

fn sso_fault(fault: TokenFault) -> Response {
    match fault {
        TokenFault::Missing => (StatusCode::BAD_REQUEST, Json(json!({ "message": "missing or malformed jwt" }))),
        TokenFault::Invalid => (StatusCode::UNAUTHORIZED, Json(json!({ "message": "invalid or expired jwt" }))),
    }
    .into_response()
}

/// WSO2's answer to a path no API resource matches.
pub(crate) fn no_resource_answer() -> Response {
    wso2(
        StatusCode::NOT_FOUND,
        "900906",
        "No matching resource found for given API Request",
        "The requested resource is not available.",
    )
}

/// The fallback: WSO2's answer under the API base, a plain 404 elsewhere.
pub(crate) async fn no_resource(request: Request) -> Response {
    if request.uri().path().starts_with(crate::API_BASE) {
        no_resource_answer()
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

/// Every API call passes here before its handler.
pub(crate) async fn gateway(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let apim = bearer(headers, header::AUTHORIZATION.as_str());
    let sso = bearer(headers, "auth");
    let (apim, sso) = {
        let tokens = lock(&shared.tokens);
        (tokens.check(TokenKind::Apim, apim.as_deref()), tokens.check(TokenKind::Sso, sso.as_deref()))
    };
    let integrator = match apim {
        Ok(key) => key,
        Err(fault) => return apim_fault(fault),
    };
    let interval = shared.config.min_interval;
    if !interval.is_zero() {
        let mut last = lock(&shared.throttle);
        let now = Instant::now();
        if let Some(previous) = last.get(&integrator) {
            let since = now.duration_since(*previous);
            if since < interval {
                let wait = chrono::Duration::from_std(interval - since).unwrap_or_default();
                return throttled(chrono::Utc::now() + wait);
            }
        }
        last.insert(integrator, now);
    }
    let down = lock(&shared.store).outage;
    if let Some(down) = down {
        return outage(down);
    }
    if let Err(fault) = sso {
        return sso_fault(fault);
    }
    next.run(request).await
}

/// Notes every request with the status it was answered.
pub(crate) async fn log(State(shared): State<Shared>, request: Request, next: Next) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let route = request.extensions().get::<MatchedPath>().map_or_else(|| path.clone(), |m| m.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    lock(&shared.store).requests.push(RequestLog { method, route, path, status });
    response
}
