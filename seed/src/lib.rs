//! Seed data: the demo agencies and accounts (`seed --demo`) and generated agencies of any size
//! (`seed --asn N --instansi M`), with the reference catalogs.
//!
//! | module | concern |
//! | --- | --- |
//! | [`demo`] | the six demo accounts and their records (fixed tables plus generated family, SKP, ... records) |
//! | `reference` | the reference data drawn from (on [`mysapk_server::reference`]): catalogs, agencies, positions |
//! | `person` | generating one plausible ASN: NIP, education, golongan and positions, deterministically |
//! | `life` | the other categories (family, training, SKP, awards, ...) and the verified and owner fields |
//! | `assessment` | competency and potential assessments (demo people with SKP, one generated ASN in three) |
//! | `names` | the small Indonesian name, place, school and unit lists the generator draws from |
//! | `siasn_ids` | SIASN's ids (PNS GUID, riwayat, unit, position, education) in SIASN's forms, from the NIP |
//! | [`bulk`] | `seed --asn`: generation on one thread, multi-row inserts on another, with the change log |
//!
//! Every seeded account has the password [`DEMO_PASSWORD`]; all share one argon2 hash computed once per process
//! (the password is public, so sharing its salted hash reveals nothing and keeps seeding fast).

mod assessment;
pub mod bulk;
pub mod demo;
mod life;
mod names;
mod person;
mod reference;
mod siasn_ids;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::OnceLock;

use indicatif::ProgressBar;
use mysapk_model::catalog::Catalog;
use sqlx::AnyConnection;

use mysapk_model::siasn::reference::ReferenceKind;
use mysapk_server::db::ENTITY_CATALOG;
use mysapk_server::db::{self, accounts, records, siasn_reference};
use mysapk_server::error::ServerError;

pub use bulk::{generate, GenerateOptions, GenerateReport, DEFAULT_SEED};
pub use demo::{INSTANSI_A, INSTANSI_B};

/// The password of every seeded account (demo and generated).
pub const DEMO_PASSWORD: &str = "demo1234";

/// What [`seed_demo`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// False when the demo data already existed (nothing was written).
    pub created: bool,
    pub accounts: usize,
    pub histories: usize,
    pub catalogs: usize,
}

/// Seed the demo data (runs the migrations first). Idempotent: does nothing when the demo data exists.
pub async fn seed_demo(database_url: &str, reference_dir: &Path) -> Result<SeedReport, ServerError> {
    seed_demo_with_progress(database_url, reference_dir, ProgressBar::hidden()).await
}

/// [`seed_demo`] reporting progress on `bar`.
pub async fn seed_demo_with_progress(
    database_url: &str,
    reference_dir: &Path,
    bar: ProgressBar,
) -> Result<SeedReport, ServerError> {
    let pool = db::connect(database_url).await?;
    let result = demo::seed_pool(&pool, reference_dir, &bar).await;
    bar.finish_and_clear();
    pool.close().await;
    result
}

/// Re-import the catalogs from the reference tables: [`mysapk_server::reference::import_reference`] (kept for callers of
/// the earlier name). Returns how many catalogs changed.
pub async fn import_catalogs(database_url: &str, reference_dir: &Path) -> Result<usize, ServerError> {
    mysapk_server::reference::import_reference(database_url, reference_dir).await
}

/// Write one catalog and log it for every device.
async fn put_catalog(conn: &mut AnyConnection, c: &Catalog) -> Result<(), ServerError> {
    records::put_catalog(conn, c).await?;
    db::append_change(conn, None, ENTITY_CATALOG, &c.name).await?;
    Ok(())
}

/// Write the catalogs missing from the database and the given agencies (names from the reference).
async fn ensure_catalogs(
    conn: &mut AnyConnection,
    reference: &reference::Reference,
    instansi: &[(String, String)],
) -> Result<usize, ServerError> {
    let mut written = 0;
    for c in &reference.catalogs {
        if records::get_catalog(conn, &c.name).await?.is_none() {
            put_catalog(conn, c).await?;
            written += 1;
        }
    }
    for (id, nama) in instansi {
        accounts::upsert_instansi(conn, id, nama).await?;
    }
    // The position tables, for the ids of positions forwarded to SIASN (server-side only, never synced).
    if siasn_reference::count(conn, ReferenceKind::JabatanFungsional).await? == 0 {
        mysapk_server::reference::put_positions(conn, &reference.positions).await?;
    }
    Ok(written)
}

/// The seeded password's hash, computed once per process (see the module docs).
pub(crate) async fn demo_password_hash() -> Result<String, ServerError> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return Ok(h.clone());
    }
    let h = tokio::task::spawn_blocking(|| mysapk_server::auth::hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| ServerError::internal(format!("hash task: {e}")))??;
    Ok(HASH.get_or_init(|| h).clone())
}
