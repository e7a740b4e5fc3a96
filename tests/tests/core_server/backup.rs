//! `backup` / `restore` of a SQLite node: a backup taken while devices push, restored into a fresh data directory
//! and served again, holds every proposal acknowledged before it started, once, with its document; a restore
//! refuses a target holding data; PostgreSQL is refused with the pointer to its documented procedure.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mysapk_model::usulan::UsulanState;
use mysapk_server::backup::{self, BackupError};
use mysapk_server::Config;

use super::support::{reference_dir, Backend, Bench, Raw, ASN};
use chrono::NaiveDate;
use mysapk_model::history::samples::sample;
use mysapk_model::history::HistoryKind;
use mysapk_model::usulan::UsulanAction;

use super::state_of;

/// The second demo ASN (no reviewer role).
const ASN2: &str = "199205152019032003";

/// A small PDF whose bytes are unique to `tag`, so every proposal carries its own document.
fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% SK KP {tag}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes()
}

/// One acknowledged proposal: its id, owner, documents and when the device learnt it was received.
#[derive(Clone)]
struct Acked {
    id: String,
    nip: &'static str,
    documents: Vec<Vec<u8>>,
    at: Instant,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_pushes_restores_every_acknowledged_proposal() {
    let mut bench = Bench::new(Backend::Sqlite).await;
    bench.start().await;
    let acked: Arc<Mutex<Vec<Acked>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut devices = Vec::new();
    for (device, nip) in [("phone", ASN), ("tablet", ASN), ("phone-2", ASN2)] {
        let core = bench.core(device);
        core.login(nip, super::support::PASSWORD).await.expect("login");
        let (acked, stop) = (Arc::clone(&acked), Arc::clone(&stop));
        devices.push(tokio::spawn(async move {
            let mut refused = 0;
            for i in 0..200_u32 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                // Education records: no cross-record order, so every device may add as many as it likes.
                let kind = HistoryKind::Pendidikan;
                let born = NaiveDate::parse_from_str(&nip[0..8], "%Y%m%d").expect("birth date in the NIP");
                let (mut docs, mut document) = (Vec::new(), Vec::new());
                for rule in kind.rule().documents {
                    let bytes = pdf(&format!("{device} {i} {}", rule.dokumen_id));
                    docs.push(core.attach_document("ijazah.pdf", rule.dokumen_id, &bytes).expect("attach"));
                    document.push(bytes);
                }
                let action = UsulanAction::AddHistory { data: sample(kind, born, 1000 + i) };
                let u = core.propose(action, docs).expect("propose");
                core.sync_now().await.expect("sync");
                if state_of(&core, &u.id) == UsulanState::Submitted {
                    acked.lock().expect("acked").push(Acked { id: u.id, nip, documents: document, at: Instant::now() });
                } else {
                    refused += 1;
                }
            }
            refused
        }));
    }
    let wait_for = |n: usize| {
        let acked = Arc::clone(&acked);
        async move {
            let deadline = Instant::now() + Duration::from_secs(120);
            while acked.lock().expect("acked").len() < n {
                assert!(Instant::now() < deadline, "the devices did not push {n} proposals");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    wait_for(12).await;

    // The backup, taken while the three devices keep pushing.
    let backup_dir = bench.dir.path().join("backup");
    let documents = bench.dir.path().join("documents");
    let started = Instant::now();
    let manifest = backup::backup(&bench.database_url, &documents, &backup_dir).await.expect("backup");
    let took = started.elapsed();
    let during = acked.lock().expect("acked").iter().filter(|a| a.at >= started).count();
    let total_before_stop = acked.lock().expect("acked").len();
    wait_for(total_before_stop + 3).await;
    stop.store(true, Ordering::SeqCst);
    let mut refused = 0;
    for device in devices {
        refused += device.await.expect("device task");
    }
    bench.stop().await;
    let acked = acked.lock().expect("acked").clone();
    let before: Vec<&Acked> = acked.iter().filter(|a| a.at < started).collect();
    println!(
        "backup took {took:?}: {} proposals acknowledged before it, {during} during it, {} in all ({refused} \
         refused on receipt); manifest: {} usulan, {} documents, schema {}",
        before.len(),
        acked.len(),
        manifest.counts.usulan,
        manifest.counts.documents,
        manifest.schema_version
    );
    assert!(before.len() >= 12);
    assert!(manifest.counts.usulan >= i64::try_from(before.len()).expect("count"));
    assert!(manifest.counts.documents >= i64::try_from(before.len()).expect("count"));
    assert!(backup_dir.join("manifest.json").is_file() && backup_dir.join("mysapk.sqlite").is_file());

    // Restored into a fresh data directory and served.
    let fresh = tempfile::tempdir().expect("fresh data directory");
    let url = format!("sqlite://{}", fresh.path().join("mysapk.sqlite").display());
    let fresh_documents = fresh.path().join("documents");
    let restored = backup::restore(&backup_dir, &url, &fresh_documents, false).await.expect("restore");
    assert_eq!(restored, manifest);
    let mut config = Config::for_database(url.clone());
    config.reference_dir = reference_dir();
    config.mfa_required = mysapk_server::config::MfaPolicy::None;
    config.document_dir = fresh_documents.clone();
    let server = mysapk_server::start(config).await.expect("serve the restored data");
    let base = format!("http://{}", server.addr());
    let http = reqwest::Client::new();
    let mut sessions = HashMap::new();
    for nip in [ASN, ASN2] {
        sessions.insert(nip, Raw::login(&base, nip).await);
    }
    let mut on_server = HashMap::new();
    for (nip, raw) in &sessions {
        on_server.insert(*nip, raw.usulan().await);
    }
    for a in &before {
        let copies = on_server[a.nip].iter().filter(|u| u.id == a.id).count();
        assert_eq!(copies, 1, "proposal {} acknowledged before the backup: {copies} copies after the restore", a.id);
        for document in &a.documents {
            let sha256 = {
                use sha2::Digest;
                hex::encode(sha2::Sha256::digest(document))
            };
            let res = http
                .get(format!("{base}/api/v1/documents/{sha256}"))
                .bearer_auth(&sessions[a.nip].token)
                .send()
                .await
                .expect("document request");
            assert!(res.status().is_success(), "document of {}: {}", a.id, res.status());
            assert_eq!(res.bytes().await.expect("document bytes").as_ref(), document.as_slice());
        }
    }
    // Nothing the backup did not hold: at most what the manifest counted.
    let restored_usulan: usize = on_server.values().map(Vec::len).sum();
    assert!(restored_usulan <= usize::try_from(manifest.counts.usulan).expect("count"));
    server.shutdown().await;

    // A second restore onto the restored data is refused, as is a backup into the used directory.
    let again = backup::restore(&backup_dir, &url, &fresh_documents, false).await;
    assert!(matches!(again, Err(BackupError::DatabaseNotEmpty(_))), "{again:?}");
    let other_db = format!("sqlite://{}", fresh.path().join("other.sqlite").display());
    let into_documents = backup::restore(&backup_dir, &other_db, &fresh_documents, false).await;
    assert!(matches!(into_documents, Err(BackupError::DocumentsNotEmpty(_))), "{into_documents:?}");
    assert!(!fresh.path().join("other.sqlite").exists(), "nothing written by a refused restore");
    let used = backup::backup(&bench.database_url, &documents, &backup_dir).await;
    assert!(matches!(used, Err(BackupError::TargetNotEmpty(_))), "{used:?}");
    // --force replaces the database.
    backup::restore(&backup_dir, &url, &fresh_documents, true).await.expect("forced restore");
    bench.finish().await;
}

#[tokio::test]
async fn postgres_is_refused_with_the_documented_procedure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = "postgres://mysapk@db.example/mysapk";
    let err = backup::backup(url, Path::new("documents"), &dir.path().join("b")).await.expect_err("refused");
    assert!(matches!(err, BackupError::Postgres));
    let text = err.to_string();
    assert!(text.contains("pg_dump") && text.contains("pg_basebackup") && text.contains("docs/DEPLOY.md"), "{text}");
    assert!(!dir.path().join("b").exists(), "nothing created");
    let err = backup::restore(dir.path(), url, Path::new("documents"), false).await.expect_err("refused");
    assert!(matches!(err, BackupError::Postgres), "{err:?}");
    // Not a backup directory.
    let empty = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", empty.path().join("x.sqlite").display());
    let err = backup::restore(dir.path(), &url, &empty.path().join("documents"), false).await.expect_err("no manifest");
    assert!(matches!(err, BackupError::NoManifest(_)), "{err:?}");
}
