//! Seed tests: every generated record passes the model's rules; a generated agency on SQLite and PostgreSQL
//! serves a generated ASN their full record through a first sync.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use mysapk_model::catalog::Catalogs;
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::record::{OwnerFields, Profile, VerifiedFields};
use mysapk_model::rules::proposal::{check_proposal, RecordFacts};
use mysapk_model::rules::RuleContext;
use mysapk_model::sync::{Change, PullResponse};
use mysapk_model::usulan::UsulanAction;
use mysapk_model::Nip;

use super::bulk::{generate_batches, GenerateOptions};
use super::person::Tables;
use super::reference::Reference;

pub(crate) fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference")
}

pub(crate) fn reference() -> Reference {
    Reference::load(&reference_dir()).expect("reference tables load")
}

/// Every record passes its content rules (codes from the reference catalogs, dates against the owner's birth)
/// and the rules a proposal adding it would meet, except the documents (a seeded record has none) and the
/// read-only kinds; golongan rise with their TMT; the data utama fields are valid.
pub(crate) fn assert_record_valid(
    r: &Reference,
    nip: &Nip,
    records: &[HistoryData],
    verified: &VerifiedFields,
    owner: &OwnerFields,
) {
    let codes = Catalogs(r.catalogs.clone());
    let today = chrono::Utc::now().date_naive();
    let ctx = RuleContext::new(&codes, today).for_owner(nip);
    let official: Vec<HistoryRecord> = records
        .iter()
        .enumerate()
        .map(|(i, data)| HistoryRecord { id: i.to_string(), data: data.clone(), last_usulan_id: None, siasn_id: None })
        .collect();
    for (i, d) in records.iter().enumerate() {
        let v = d.validate(&ctx);
        assert!(v.is_empty(), "{nip} {d:?}: {v:?}");
        let others: Vec<HistoryRecord> = official.iter().filter(|o| o.id != i.to_string()).cloned().collect();
        let facts = RecordFacts { official: &others, changes_before: HashMap::new() };
        let v: Vec<_> = check_proposal(&UsulanAction::AddHistory { data: d.clone() }, &[], &ctx, &facts)
            .into_iter()
            .filter(|v| !v.code.starts_with("document.") && v.code != "kind.read_only")
            .collect();
        assert!(v.is_empty(), "{nip} {d:?}: {v:?}");
    }
    let v = verified.validate(&ctx);
    assert!(v.is_empty(), "{nip} verified {verified:?}: {v:?}");
    let v = owner.validate();
    assert!(v.is_empty(), "{nip} owner {owner:?}: {v:?}");
}

/// The batches of a generated run, on this thread.
fn generated(asn: usize, instansi: usize, seed: u64) -> Vec<super::bulk::Batch> {
    let r = reference();
    let tables = Tables { fungsional_ahli: &r.fungsional_ahli, all_instansi: &r.instansi };
    let mut opts = GenerateOptions::new(asn, instansi);
    opts.seed = seed;
    opts.batch = 250;
    let mut out = Vec::new();
    generate_batches(&opts, &r.instansi[..instansi], &tables, &HashSet::new(), |b| {
        out.push(b);
        true
    })
    .expect("generate");
    out
}

#[test]
fn about_one_generated_asn_in_three_has_a_valid_assessment() {
    let batches = generated(1_000, 4, 7);
    let rows: Vec<&(String, String, String)> = batches.iter().flat_map(|b| &b.assessments).collect();
    assert!((250..=420).contains(&rows.len()), "{} of 1000", rows.len());
    let ids: HashSet<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let nips: HashSet<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!((ids.len(), nips.len()), (rows.len(), rows.len()), "one per ASN, unique ids");
    for (id, _, data) in rows {
        let a: mysapk_model::assessment::Assessment = serde_json::from_str(data).expect("assessment JSON");
        assert_eq!(&a.id, id);
        assert_eq!(a.check(super::life::as_of()), Vec::new(), "{a:?}");
    }
    let again = generated(1_000, 4, 7);
    let same = |b: &[super::bulk::Batch]| b.iter().flat_map(|b| b.assessments.clone()).collect::<Vec<_>>();
    assert_eq!(same(&batches), same(&again), "deterministic from the seed");
}

#[test]
fn a_thousand_generated_asn_pass_every_rule() {
    let r = reference();
    let batches = generated(1_000, 5, 7);
    let mut nips = Vec::new();
    let mut kinds = BTreeSet::new();
    let mut records = 0;
    for b in &batches {
        let mut by_nip: HashMap<&str, Vec<HistoryData>> = HashMap::new();
        for (_, nip, kind, json, siasn_id) in &b.histories {
            assert!(mysapk_model::siasn::is_riwayat_id(siasn_id), "{siasn_id}");
            let data: HistoryData = serde_json::from_str(json).expect("history JSON");
            assert_eq!(data.kind().as_str(), *kind);
            kinds.insert(data.kind());
            by_nip.entry(nip.as_str()).or_default().push(data);
            records += 1;
        }
        for (nip, _, json) in &b.profiles {
            let profile: Profile = serde_json::from_str(json).expect("profile JSON");
            assert_eq!(profile.nip.as_str(), nip);
            let data = by_nip.remove(nip.as_str()).unwrap_or_default();
            for always in [
                HistoryKind::CpnsPns,
                HistoryKind::Golongan,
                HistoryKind::Pendidikan,
                HistoryKind::Jabatan,
                HistoryKind::OrangTua,
                HistoryKind::Skp,
                HistoryKind::Organisasi,
            ] {
                assert!(data.iter().any(|d| d.kind() == always), "{nip} lacks {always:?}");
            }
            assert_record_valid(&r, &profile.nip, &data, &profile.verified, &profile.owner);
            let birth = profile.nip.birth_date().expect("birth");
            let tmt = chrono::NaiveDate::parse_from_str(&format!("{}01", &nip[8..14]), "%Y%m%d").expect("tmt");
            let age = super::life::months_between(birth, tmt) / 12;
            assert!((20..=35).contains(&age), "{nip}: {age} at TMT CPNS");
            let records: Vec<HistoryRecord> = data
                .into_iter()
                .map(|data| HistoryRecord { id: String::new(), data, last_usulan_id: None, siasn_id: None })
                .collect();
            let (golongan, jabatan) = mysapk_server::workflow::derive_current(&records);
            assert_eq!((golongan, jabatan), (profile.golongan_id.clone(), profile.jabatan_nama.clone()), "{nip}");
            nips.push(nip.clone());
        }
        assert!(by_nip.is_empty(), "history rows of a NIP outside its batch");
    }
    assert_eq!(nips.len(), 1_000);
    let mut sorted = nips.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, nips, "unique NIPs, generated in NIP order");
    assert_eq!(kinds.len(), HistoryKind::ALL.len(), "every kind occurs: {kinds:?}");
    assert!(records > 15_000, "{records} records for 1,000 ASN");
}

#[test]
fn generation_is_deterministic() {
    let digest = |batches: &[super::bulk::Batch]| {
        batches.iter().flat_map(|b| b.histories.iter().map(|h| format!("{}{}{}", h.0, h.1, h.3))).collect::<String>()
    };
    assert_eq!(digest(&generated(50, 2, 1)), digest(&generated(50, 2, 1)));
    assert_ne!(digest(&generated(50, 2, 1)), digest(&generated(50, 2, 2)));
}

/// Seed the demo data and 200 generated ASN in 3 agencies into `url`; refuse a second run; a generated ASN
/// logs in and a first sync returns their whole record.
async fn seed_and_pull(url: &str) {
    let dir = reference_dir();
    super::seed_demo(url, &dir).await.expect("demo seed");
    let opts = GenerateOptions { batch: 64, ..GenerateOptions::new(200, 3) };
    let report = super::generate(url, &dir, &opts, indicatif::ProgressBar::hidden()).await.expect("generate");
    assert_eq!(report.asn, 200);
    assert_eq!(report.instansi, 3);
    assert!(report.histories > 3_000, "{report:?}");
    let again = super::generate(url, &dir, &opts, indicatif::ProgressBar::hidden()).await;
    assert!(again.is_err_and(|e| e.to_string().contains("already holds generated ASN")));

    let pool = mysapk_server::db::connect(url).await.expect("connect");
    let (nip, kinds): (String, i64) = sqlx::query_as(
        "SELECT nip, COUNT(DISTINCT kind) AS k FROM history WHERE nip NOT IN ($1, $2) \
         GROUP BY nip ORDER BY k DESC, nip LIMIT 1",
    )
    .bind("199001012015031001")
    .bind("199205152019032003")
    .fetch_one(&pool)
    .await
    .expect("richest generated record");
    let stored: Vec<(String, String)> = sqlx::query_as("SELECT id, kind FROM history WHERE nip = $1")
        .bind(&nip)
        .fetch_all(&pool)
        .await
        .expect("stored records");
    let agencies: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT instansi_id) FROM profile WHERE nip <> $1")
        .bind("199001012015031001")
        .fetch_one(&pool)
        .await
        .expect("agencies");
    pool.close().await;
    assert!(kinds >= 12, "{nip} has {kinds} kinds");
    assert!(agencies >= 3);

    let mut config = mysapk_server::Config::for_database(url);
    config.reference_dir = dir;
    config.mfa_required = mysapk_server::config::MfaPolicy::None;
    let server = mysapk_server::start(config).await.expect("server");
    let base = format!("http://{}", server.addr());
    let client = reqwest::Client::new();
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"nip": nip, "password": super::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("token");
    let token = login["access_token"].as_str().expect("access token").to_owned();
    let mut cursor = String::new();
    let mut changes = Vec::new();
    loop {
        let page: PullResponse = client
            .get(format!("{base}/api/v1/sync?cursor={cursor}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("pull")
            .json()
            .await
            .expect("pull response");
        changes.extend(page.changes);
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    server.shutdown().await;
    let profile = changes.iter().find_map(|c| match c {
        Change::Profile { profile } => Some(profile.clone()),
        _ => None,
    });
    let profile = profile.expect("profile pulled");
    assert_eq!(profile.nip.as_str(), nip);
    assert!(profile.golongan_id.is_some() && profile.jabatan_nama.is_some());
    let pulled: Vec<&HistoryRecord> = changes
        .iter()
        .filter_map(|c| match c {
            Change::History { record } => Some(record),
            _ => None,
        })
        .collect();
    let pulled_ids: BTreeSet<&str> = pulled.iter().map(|r| r.id.as_str()).collect();
    let stored_ids: BTreeSet<&str> = stored.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(pulled_ids, stored_ids, "the first sync returns every record");
    let pulled_kinds: BTreeSet<HistoryKind> = pulled.iter().map(|r| r.data.kind()).collect();
    assert_eq!(pulled_kinds.len() as i64, kinds);
    for always in [HistoryKind::CpnsPns, HistoryKind::Golongan, HistoryKind::Skp, HistoryKind::OrangTua] {
        assert!(pulled_kinds.contains(&always), "{always:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_agencies_sync_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    seed_and_pull(&format!("sqlite://{}/seed.sqlite", dir.path().display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_agencies_sync_on_postgres() {
    use sqlx::Connection;
    let admin_url =
        std::env::var("MYSAPK_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL unreachable at {admin_url} (set MYSAPK_TEST_PG_URL): {e}"));
    let name = format!("mysapk_seed_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create database");
    let url = match admin_url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("MYSAPK_TEST_PG_URL without a database name"),
    };
    let outcome = tokio::spawn(async move { seed_and_pull(&url).await }).await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.expect("drop");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
