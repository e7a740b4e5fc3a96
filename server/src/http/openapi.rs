//! The OpenAPI document, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{admin, asn, auth, documents, meta, review, sessions, sync};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "mysapk", description = "Self-service personnel data for ASN: auth, sync, documents, review, agency admin, audit."),
    paths(
        meta::health,
        meta::ready,
        auth::login,
        auth::refresh,
        sessions::logout,
        sessions::list,
        sessions::end,
        sessions::name_current,
        sync::pull,
        sync::push,
        review::review_queue,
        review::decision,
        auth::reset_password,
        auth::mfa_status,
        auth::mfa_enroll,
        auth::mfa_confirm,
        admin::mfa_reset,
        admin::my_audit,
        admin::agency_audit,
        admin::list_accounts,
        admin::create_account,
        admin::import_accounts,
        admin::change_role,
        admin::change_email,
        admin::lock,
        admin::unlock,
        admin::reset_code,
        admin::announce,
        admin::layanan_update,
        admin::siasn_failed,
        admin::siasn_retry,
        admin::siasn_manual,
        admin::siasn_manual_entered,
        documents::status,
        documents::patch,
        documents::download,
        asn::card_token,
        asn::verify_card,
        asn::card_keys,
        asn::events,
        asn::my_standing,
        admin::record_assessment
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
