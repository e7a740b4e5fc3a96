//! The OpenAPI document, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{admin_handlers, asn, documents, handlers};

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
        handlers::health,
        handlers::login,
        handlers::refresh,
        handlers::pull,
        handlers::push,
        handlers::review_queue,
        handlers::decision,
        admin_handlers::reset_password,
        admin_handlers::my_audit,
        admin_handlers::agency_audit,
        admin_handlers::list_accounts,
        admin_handlers::create_account,
        admin_handlers::import_accounts,
        admin_handlers::change_role,
        admin_handlers::change_email,
        admin_handlers::lock,
        admin_handlers::unlock,
        admin_handlers::reset_code,
        admin_handlers::announce,
        admin_handlers::layanan_update,
        documents::status,
        documents::patch,
        documents::download,
        asn::card_token,
        asn::verify_card,
        asn::events,
        asn::my_standing,
        asn::record_assessment
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
