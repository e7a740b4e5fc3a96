//! The read endpoints `/pns/{resource}/{nip}`.

use axum::Router;

use crate::server::Shared;

pub(crate) fn routes(router: Router<Shared>) -> Router<Shared> {
    router
}
