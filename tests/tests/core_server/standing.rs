//! "Where do I stand" is computed on the device from its local copy, offline, and on the server from the
//! official tables; both must give the same numbers. Checked on 1,000 generated ASN with varied records.

use std::collections::BTreeMap;

use chrono::Utc;
use mysapk_model::standing::Standing;
use mysapk_seed::GenerateOptions;

use crate::support::{reference_dir, Backend, Bench, PASSWORD};

const GENERATED: usize = 1_000;

pub async fn standing_on_the_device_equals_the_servers(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    let opts = GenerateOptions { batch: 500, ..GenerateOptions::new(GENERATED + 10, 3) };
    mysapk_seed::generate(&bench.database_url, &reference_dir(), &opts, indicatif::ProgressBar::hidden())
        .await
        .expect("generate ASN");
    let nips = generated_nips(&bench.database_url).await;
    assert!(nips.len() >= GENERATED, "{} ASN generated", nips.len());
    bench.start().await;
    let pool = mysapk_server::db::connect(&bench.database_url).await.expect("server pool");
    let today = Utc::now().date_naive();
    let mut bands: BTreeMap<String, usize> = BTreeMap::new();
    let (mut with_talent, mut with_assessment, mut with_suggestions) = (0, 0, 0);
    for (i, nip) in nips.iter().take(GENERATED).enumerate() {
        let core = bench.core(&format!("device-{i}"));
        core.login(nip, PASSWORD).await.unwrap_or_else(|e| panic!("login of {nip}: {e}"));
        let on_device: Standing = core.standing_on(today).expect("standing on the device");
        let on_server: Standing =
            mysapk_server::standing::standing_of(&pool, nip, today).await.expect("standing on the server");
        assert_eq!(on_device, on_server, "device and server disagree for {nip}");
        *bands.entry(format!("{:?}", on_server.ip_asn.band)).or_default() += 1;
        with_talent += usize::from(on_server.talent.is_some());
        with_assessment += usize::from(on_server.assessment.is_some());
        with_suggestions += usize::from(!on_server.ip_asn.suggestions.is_empty());
        core.logout().await.expect("logout");
    }
    println!(
        "{GENERATED} ASN: bands {bands:?}; with assessment {with_assessment}, talent {with_talent}, \
         suggestions {with_suggestions}"
    );
    // The generated records are varied enough for the comparison to mean something.
    assert!(bands.len() >= 3, "the generated records cover several bands: {bands:?}");
    assert!(with_assessment > 0 && with_talent > 0, "some generated ASN have an assessment and a 9-box position");
    pool.close().await;
    bench.finish().await;
}

/// Plain ASN accounts (the generator also makes a verifier, an approver and an admin per agency).
async fn generated_nips(database_url: &str) -> Vec<String> {
    let pool = mysapk_server::db::connect(database_url).await.expect("pool");
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT nip FROM users WHERE roles = 'asn' ORDER BY nip").fetch_all(&pool).await.expect("nips");
    pool.close().await;
    rows.into_iter().map(|(n,)| n).collect()
}
