//! Forwarding approved changes to SIASN, against the SIASN simulator (`mysapk-siasn-sim`) on loopback: every
//! forwardable kind with its documents reaches SIASN exactly once and the proposal's step becomes `recorded` with
//! SIASN's id (pulled by the ASN's device); outages, expired tokens, throttling and lost answers are retried and
//! still delivered once; a refusal is `failed` with SIASN's message until an admin's retry, listed for the
//! agency's admin meanwhile; two nodes' workers send each change once; a worker killed between the send and the store leaves SIASN with one copy;
//! `start_forwarding` runs the worker itself; an import leaves an approved change alone until SIASN records it.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mysapk_model::history::{HistoryData, HistoryKind};
use mysapk_model::siasn::forward::{SiasnFailure, SiasnStep};
use mysapk_model::siasn::write::{WriteBody, WriteEndpoint};
use mysapk_model::sync::{Change, MutationOutcome};
use mysapk_model::usulan::{Usulan, UsulanAction};
use mysapk_server::db::{records, NoHook};
use mysapk_server::documents::DirBlobStore;
use mysapk_server::siasn::client::RetryPolicy;
use mysapk_server::siasn::forward::{ApiFuture, ForwardSettings, Forwarding, SiasnApi, UploadFile, Worker};
use mysapk_server::siasn::import::{import, ImportTarget, Report};
use mysapk_server::siasn::SiasnClient;
use mysapk_siasn_sim::{Outage, Person, RunningSimulator, SaveOutcome, SimConfig, Simulator};
use reqwest::StatusCode;
use serde_json::Value;

use crate::backend_tests;
use crate::fixtures::{add_jabatan, d, new_id, new_record, propose, siasn_config};
use crate::support::{Ctx, ADMIN_A, APPROVER_A, BUDI, DEWI_B, VERIFIKATOR_A};

/// Budi's PNS id in SIASN (32 hex digits, as SIASN's).
const PNS: &str = "A8ACA7CD3C7F3912E040640A040269BB";

pub(crate) fn sim_config(min_interval: Duration) -> SimConfig {
    SimConfig::default().with_min_interval(min_interval)
}

/// The server's SIASN settings for `sim`, with quick retries for a test.
fn forwarding(sim: &RunningSimulator) -> Forwarding {
    let config = siasn_config(sim, Duration::ZERO);
    let mut f = Forwarding::new(config);
    f.retry = RetryPolicy { timeout: Duration::from_secs(10), ..f.retry };
    f.settings = ForwardSettings {
        lease: Duration::from_secs(2),
        // Beyond the simulator's throttle interval of the faults test (300 ms), so throttled tries end.
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_millis(400),
        max_attempts: 40,
        idle_poll: Duration::from_millis(50),
    };
    f
}

pub(crate) fn client(sim: &RunningSimulator) -> SiasnClient {
    let f = forwarding(sim);
    SiasnClient::with_retry(f.config, f.retry).expect("client")
}

pub(crate) async fn worker<A: SiasnApi>(ctx: &Ctx, sim: &RunningSimulator, api: A) -> Worker<A> {
    Worker {
        pool: mysapk_server::db::connect(&ctx.db_url).await.expect("pool"),
        api,
        blobs: Arc::new(DirBlobStore::new(&ctx.doc_dir)),
        after: ctx.live.clone(),
        settings: forwarding(sim).settings,
        owner: new_id(),
    }
}

/// Budi known to SIASN (his PNS id on our profile and a person in the simulator); approvals of this server are
/// queued for SIASN from now on.
pub(crate) async fn bridge(ctx: &Ctx, config: SimConfig) -> RunningSimulator {
    let sim = Simulator::start(config).await.expect("simulator");
    let mut db = ctx.db().await;
    let mut profile = records::get_profile(&mut db, BUDI).await.expect("profile").expect("Budi");
    profile.siasn_pns_id = Some(PNS.to_owned());
    records::put_profile(&mut db, &profile).await.expect("put profile");
    sim.data().add_person(Person::new(PNS, BUDI, &profile.nama, &profile.instansi_id));
    ctx.live.forward_to_siasn();
    sim
}

/// Budi proposes `action`, the verifier verifies, the approver approves: the proposal's id.
pub(crate) async fn approved(ctx: &Ctx, action: UsulanAction) -> String {
    let id = new_id();
    let budi = ctx.token(BUDI).await;
    // A device per proposal: each push is its device's first (seq 1).
    let pushed = ctx.push(&budi, &new_id(), &[propose(1, &id, action)]).await;
    assert_eq!(pushed.results[0].outcome, MutationOutcome::Applied, "propose {id}");
    for (nip, decision) in [(VERIFIKATOR_A, "verify"), (APPROVER_A, "approve")] {
        let token = ctx.token(nip).await;
        let (s, body) = ctx.decide(&token, &id, decision, None).await;
        assert_eq!(s, StatusCode::OK, "{decision} {id}: {body}");
    }
    id
}

/// The proposal as the server holds it.
async fn usulan(ctx: &Ctx, id: &str) -> Usulan {
    let mut db = ctx.db().await;
    mysapk_server::db::usulan::get(&mut db, id).await.expect("usulan").expect("stored").usulan
}

pub(crate) async fn step(ctx: &Ctx, id: &str) -> Option<SiasnStep> {
    usulan(ctx, id).await.siasn
}

/// Run the worker until no row is pending (or fail after 60 s).
pub(crate) async fn drain<A: SiasnApi>(ctx: &Ctx, w: &Worker<A>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        w.run_once().await.expect("worker round");
        let mut db = ctx.db().await;
        let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM siasn_outbox WHERE state = 'pending'")
            .fetch_one(&mut db)
            .await
            .expect("count");
        if pending == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "{pending} outbox row(s) still pending");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

async fn until<F: Future<Output = bool>>(what: &str, mut check: impl FnMut() -> F) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

fn recorded_id(step: Option<SiasnStep>) -> Option<String> {
    match step {
        Some(SiasnStep::Recorded { siasn_id, .. }) => siasn_id,
        other => panic!("expected recorded, got {other:?}"),
    }
}

/// The saves SIASN stored for Budi to `endpoint`.
pub(crate) fn saves(sim: &RunningSimulator, endpoint: WriteEndpoint) -> Vec<(WriteBody, SaveOutcome)> {
    sim.data().saves_to(endpoint).into_iter().map(|s| (s.body, s.outcome)).collect()
}

fn accepted_id(outcome: &SaveOutcome) -> Option<String> {
    match outcome {
        SaveOutcome::Accepted { riwayat_id, .. } => riwayat_id.clone(),
        SaveOutcome::Refused(m) => panic!("refused: {m}"),
    }
}

/// The endpoint of each kind SIASN takes (`server/README.md`'s table); every other kind stays not forwardable.
fn endpoint_of(kind: HistoryKind) -> Option<WriteEndpoint> {
    Some(match kind {
        HistoryKind::Jabatan => WriteEndpoint::Jabatan,
        HistoryKind::Skp => WriteEndpoint::Skp22,
        HistoryKind::Diklat => WriteEndpoint::Diklat,
        HistoryKind::Kursus => WriteEndpoint::Kursus,
        HistoryKind::Penghargaan => WriteEndpoint::Penghargaan,
        HistoryKind::AngkaKredit => WriteEndpoint::AngkaKredit,
        HistoryKind::Pasangan => WriteEndpoint::Pasangan,
        HistoryKind::Anak => WriteEndpoint::Anak,
        _ => return None,
    })
}

async fn every_forwardable_kind_reaches_siasn_once(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let mut proposals = Vec::new();
    for kind in HistoryKind::ALL.into_iter().filter(|k| k.rule().asn_may_propose) {
        let id = approved(&ctx, UsulanAction::AddHistory { data: new_record(kind) }).await;
        proposals.push((kind, id));
    }
    let w = worker(&ctx, &sim, client(&sim)).await;
    drain(&ctx, &w).await;

    let budi = ctx.token(BUDI).await;
    let (_, changes) = ctx.pull_all(&budi, "0").await;
    let pulled = |id: &str| {
        changes.iter().rev().find_map(|c| match c {
            Change::Usulan { usulan } if usulan.id == id => Some(usulan.clone()),
            _ => None,
        })
    };
    let mut uploads_expected = 0;
    for (kind, id) in &proposals {
        let u = usulan(&ctx, id).await;
        let Some(endpoint) = endpoint_of(*kind) else {
            assert!(matches!(u.siasn, Some(SiasnStep::NotForwardable { .. })), "{kind:?}: {:?}", u.siasn);
            continue;
        };
        let sent = saves(&sim, endpoint);
        assert_eq!(sent.len(), 1, "{kind:?}: one save to {endpoint:?}");
        let (body, outcome) = &sent[0];
        let siasn_id = recorded_id(u.siasn.clone());
        // The family saves answer no id (no `mapData` key in the sources): the step is recorded without one.
        let answered = accepted_id(outcome).filter(|_| endpoint.map_data_key().is_some());
        assert_eq!(siasn_id, answered, "{kind:?}: the step carries SIASN's id");
        // The documents went first, each once, and the save names what the uploads answered.
        if endpoint.map_data_key().is_some() {
            assert_eq!(body.path().len(), u.documents.len(), "{kind:?}: path");
            for p in body.path() {
                assert!(sim.data().upload(&p.dok_uri).is_some(), "{kind:?}: {} uploaded", p.dok_uri);
            }
            uploads_expected += u.documents.len();
        }
        // The device pulls the step, and the official record carries SIASN's id.
        assert_eq!(pulled(id).and_then(|p| p.siasn), u.siasn, "{kind:?}: pulled step");
        if let Some(riwayat) = &siasn_id {
            let record = changes.iter().rev().find_map(|c| match c {
                Change::History { record } if record.last_usulan_id.as_deref() == Some(id.as_str()) => {
                    Some(record.clone())
                }
                _ => None,
            });
            assert_eq!(record.and_then(|r| r.siasn_id).as_ref(), Some(riwayat), "{kind:?}: record's siasn_id");
        }
    }
    assert_eq!(sim.data().uploads().len(), uploads_expected, "every document uploaded once");
    // Another round sends nothing more.
    assert_eq!(w.run_once().await.expect("round"), 0);
    assert_eq!(sim.data().saves().len(), proposals.iter().filter(|(k, _)| endpoint_of(*k).is_some()).count());
}

async fn faults_are_retried_and_delivered_once(ctx: Ctx) {
    // SIASN's own throttle (one call per 300 ms) against a client that does not space its calls: 429s.
    let sim = bridge(&ctx, sim_config(Duration::from_millis(300))).await;
    let w = worker(&ctx, &sim, client(&sim)).await;

    // Down: nothing stored, the row waits with the gateway's message; back up: delivered.
    sim.data().set_outage(Some(Outage::Unavailable));
    let down = approved(&ctx, add_jabatan(d(2024, 1, 1), None)).await;
    w.run_once().await.expect("round");
    assert!(matches!(step(&ctx, &down).await, Some(SiasnStep::Pending { attempts }) if attempts >= 1));
    assert!(saves(&sim, WriteEndpoint::Jabatan).is_empty());
    sim.data().set_outage(None);
    drain(&ctx, &w).await;
    assert_eq!(recorded_id(step(&ctx, &down).await), accepted_id(&saves(&sim, WriteEndpoint::Jabatan)[0].1));

    // Tokens revoked by SIASN: renewed, delivered.
    sim.data().expire_tokens();
    let expired = approved(&ctx, add_jabatan(d(2024, 6, 1), None)).await;
    drain(&ctx, &w).await;
    assert!(recorded_id(step(&ctx, &expired).await).is_some());

    // The answer of the save lost (stored, answered 504): the next claim finds it in rw-jabatan, no second save.
    sim.data().lose_answers(1);
    let lost = approved(&ctx, add_jabatan(d(2025, 1, 1), None)).await;
    drain(&ctx, &w).await;
    let lost_id = recorded_id(step(&ctx, &lost).await);

    let sent = saves(&sim, WriteEndpoint::Jabatan);
    assert_eq!(sent.len(), 3, "three changes, three saves: {sent:?}");
    let ids: Vec<Option<String>> = sent.iter().map(|(_, o)| accepted_id(o)).collect();
    assert!(ids.contains(&lost_id), "the lost answer's riwayat is the one recorded");
    let throttled = sim.data().requests().iter().filter(|r| r.status == 429).count();
    assert!(throttled > 0, "the simulator throttled the forwarder");
}

async fn a_refusal_fails_with_siasn_message_until_an_admin_retries(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let w = worker(&ctx, &sim, client(&sim)).await;
    sim.data().refuse_saves(Some("Data riwayat jabatan tidak valid"));
    let id = approved(&ctx, add_jabatan(d(2024, 1, 1), None)).await;
    drain(&ctx, &w).await;
    match step(&ctx, &id).await {
        Some(SiasnStep::Failed { message, .. }) => assert_eq!(message, "Data riwayat jabatan tidak valid"),
        other => panic!("expected failed, got {other:?}"),
    }
    // The ASN's device sees the failure.
    let budi = ctx.token(BUDI).await;
    let (_, changes) = ctx.pull_all(&budi, "0").await;
    assert!(changes.iter().any(|c| matches!(c, Change::Usulan { usulan }
        if usulan.id == id && matches!(usulan.siasn, Some(SiasnStep::Failed { .. })))));

    let path = format!("/api/v1/admin/usulan/{id}/siasn-retry");
    // Not an admin: refused, nothing changes.
    let verifier = ctx.token(VERIFIKATOR_A).await;
    let (s, body) = ctx.post(&path, Some(&verifier), &serde_json::json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    // Another agency's admin: not found, as if the proposal did not exist.
    let mut db = ctx.db().await;
    sqlx::query("UPDATE users SET roles = 'asn,admin' WHERE nip = $1")
        .bind(DEWI_B)
        .execute(&mut db)
        .await
        .expect("role");
    let other_admin = ctx.token(DEWI_B).await;
    let (s, body) = ctx.post(&path, Some(&other_admin), &serde_json::json!({})).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("usulan.not_found")), "{body}");
    assert_eq!(ctx.audit_count("usulan.siasn_retry", &id).await, 0);
    let admin = ctx.token(ADMIN_A).await;
    let (s, body) = ctx.post("/api/v1/admin/usulan/no-such-usulan/siasn-retry", Some(&admin), &Value::Null).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("usulan.not_found")), "{body}");

    sim.data().refuse_saves(None);
    let (s, body) = ctx.post(&path, Some(&admin), &serde_json::json!({})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body, serde_json::json!({"status": "pending", "attempts": 0}));
    assert_eq!(ctx.audit_count("usulan.siasn_retry", &id).await, 1);
    drain(&ctx, &w).await;
    let sent = saves(&sim, WriteEndpoint::Jabatan);
    assert_eq!(sent.len(), 2, "the refused save and the accepted one");
    assert_eq!(recorded_id(step(&ctx, &id).await), accepted_id(&sent[1].1));
    // Recorded: nothing to retry.
    let (s, body) = ctx.post(&path, Some(&admin), &serde_json::json!({})).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::CONFLICT, Some("usulan.siasn_not_failed")), "{body}");
}

async fn an_admin_lists_the_agency_failures_until_a_retry(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let w = worker(&ctx, &sim, client(&sim)).await;
    let admin = ctx.token(ADMIN_A).await;
    let list = |token: String| {
        let ctx = ctx.clone();
        async move {
            let (s, body) = ctx.get("/api/v1/admin/siasn/failed", Some(&token)).await;
            assert_eq!(s, StatusCode::OK, "{body}");
            serde_json::from_value::<Vec<SiasnFailure>>(body).expect("failures")
        }
    };
    // Nothing failed yet; one recorded, two refused (one after the other, so the second failed later).
    let recorded = approved(&ctx, add_jabatan(d(2023, 1, 1), None)).await;
    drain(&ctx, &w).await;
    assert!(recorded_id(step(&ctx, &recorded).await).is_some());
    assert!(list(admin.clone()).await.is_empty());
    sim.data().refuse_saves(Some("Data riwayat jabatan tidak valid"));
    let first = approved(&ctx, add_jabatan(d(2024, 1, 1), None)).await;
    drain(&ctx, &w).await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let second = approved(&ctx, add_jabatan(d(2024, 6, 1), None)).await;
    drain(&ctx, &w).await;

    let failures = list(admin.clone()).await;
    assert_eq!(failures.iter().map(|f| f.usulan_id.as_str()).collect::<Vec<_>>(), [&second, &first], "newest first");
    let mut db = ctx.db().await;
    let nama = records::get_profile(&mut db, BUDI).await.expect("profile").expect("Budi").full_name();
    for f in &failures {
        assert_eq!((f.nip.as_str(), f.nama.as_deref()), (BUDI, Some(nama.as_str())));
        assert_eq!(f.message, "Data riwayat jabatan tidak valid");
        assert_eq!(f.attempts, 1);
        assert!(matches!(&f.action, UsulanAction::AddHistory { data } if data.kind() == HistoryKind::Jabatan));
        match step(&ctx, &f.usulan_id).await {
            Some(SiasnStep::Failed { at, .. }) => assert_eq!(f.failed_at, at, "the step's time"),
            other => panic!("expected failed, got {other:?}"),
        }
    }

    // Another agency's admin sees none of them; an ASN and a verifier may not look; nobody without a token.
    sqlx::query("UPDATE users SET roles = 'asn,admin' WHERE nip = $1")
        .bind(DEWI_B)
        .execute(&mut db)
        .await
        .expect("role");
    assert!(list(ctx.token(DEWI_B).await).await.is_empty());
    for nip in [BUDI, VERIFIKATOR_A] {
        let token = ctx.token(nip).await;
        let (s, body) = ctx.get("/api/v1/admin/siasn/failed", Some(&token)).await;
        assert_eq!((s, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin.not_admin")), "{nip}: {body}");
    }
    let (s, _) = ctx.get("/api/v1/admin/siasn/failed", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);

    // Sent again: off the list at once (pending), and still off once SIASN recorded it.
    sim.data().refuse_saves(None);
    let (s, body) = ctx.post(&format!("/api/v1/admin/usulan/{first}/siasn-retry"), Some(&admin), &Value::Null).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let left: Vec<String> = list(admin.clone()).await.into_iter().map(|f| f.usulan_id).collect();
    assert_eq!(left, std::slice::from_ref(&second));
    drain(&ctx, &w).await;
    assert!(recorded_id(step(&ctx, &first).await).is_some());
    let left: Vec<String> = list(admin.clone()).await.into_iter().map(|f| f.usulan_id).collect();
    assert_eq!(left, [second]);
}

/// The client, except that a save's answer never comes back: the worker hangs after SIASN stored it.
struct AnswerNever(SiasnClient);

impl SiasnApi for AnswerNever {
    fn get_json<'a>(&'a self, path: &'a str) -> ApiFuture<'a> {
        SiasnApi::get_json(&self.0, path)
    }

    fn post_json<'a>(&'a self, path: &'a str, body: &'a Value) -> ApiFuture<'a> {
        Box::pin(async move {
            let _ = SiasnApi::post_json(&self.0, path, body).await;
            std::future::pending().await
        })
    }

    fn upload<'a>(&'a self, path: &'a str, fields: &'a [(&'a str, String)], file: UploadFile) -> ApiFuture<'a> {
        SiasnApi::upload(&self.0, path, fields, file)
    }
}

async fn a_worker_killed_after_the_send_never_sends_twice(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let id = approved(&ctx, add_jabatan(d(2024, 1, 1), None)).await;
    let doomed = worker(&ctx, &sim, AnswerNever(client(&sim))).await;
    let task = tokio::spawn(async move { doomed.run_once().await });
    let data = sim.data();
    until("SIASN to store the save", || {
        let data = data.clone();
        async move { data.saves_to(WriteEndpoint::Jabatan).len() == 1 }
    })
    .await;
    // Killed between the send and the store: the row is still pending with its send noted.
    task.abort();
    assert!(task.await.is_err_and(|e| e.is_cancelled()));
    assert!(matches!(step(&ctx, &id).await, Some(SiasnStep::Pending { .. })));

    // A new worker (another process) takes the row over once the dead one's lease lapsed.
    let w = worker(&ctx, &sim, client(&sim)).await;
    tokio::time::sleep(forwarding(&sim).settings.lease).await;
    drain(&ctx, &w).await;
    let sent = saves(&sim, WriteEndpoint::Jabatan);
    assert_eq!(sent.len(), 1, "SIASN holds the change exactly once");
    assert_eq!(recorded_id(step(&ctx, &id).await), accepted_id(&sent[0].1));
    // Its documents were uploaded once too.
    assert_eq!(sim.data().uploads().len(), usulan(&ctx, &id).await.documents.len());
}

async fn serve_runs_the_worker_until_its_stop(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let mut config = mysapk_server::Config::for_database(&ctx.db_url);
    config.reference_dir = crate::support::reference_dir();
    config.mfa_required = mysapk_server::config::MfaPolicy::None;
    config.document_dir = ctx.doc_dir.clone();
    let server = mysapk_server::start_forwarding(config, Some(forwarding(&sim))).await.expect("server");
    let other = Ctx { base: format!("http://{}", server.addr()), live: server.live(), ..ctx.clone() };
    let id = approved(&other, add_jabatan(d(2024, 1, 1), None)).await;
    until("the serving worker to record it", || {
        let other = other.clone();
        let id = id.clone();
        async move { matches!(step(&other, &id).await, Some(SiasnStep::Recorded { .. })) }
    })
    .await;
    assert_eq!(saves(&sim, WriteEndpoint::Jabatan).len(), 1);
    tokio::time::timeout(Duration::from_secs(30), server.shutdown()).await.expect("the stop waits for no SIASN call");
}

/// Two nodes forwarding at once (two workers with their own clients over one database): every change reaches
/// SIASN once, whichever node claimed it, and its documents are uploaded once.
async fn two_nodes_forward_each_change_once(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let mut proposals = Vec::new();
    for kind in HistoryKind::ALL.into_iter().filter(|k| k.rule().asn_may_propose) {
        if let Some(endpoint) = endpoint_of(kind) {
            proposals.push((endpoint, approved(&ctx, UsulanAction::AddHistory { data: new_record(kind) }).await));
        }
    }
    let (a, b) = (worker(&ctx, &sim, client(&sim)).await, worker(&ctx, &sim, client(&sim)).await);
    tokio::join!(drain(&ctx, &a), drain(&ctx, &b));
    assert_eq!(sim.data().saves().len(), proposals.len(), "each change saved once");
    let mut uploads_expected = 0;
    for (endpoint, id) in &proposals {
        assert!(matches!(step(&ctx, id).await, Some(SiasnStep::Recorded { .. })), "{endpoint:?}");
        assert_eq!(saves(&sim, *endpoint).len(), 1, "{endpoint:?}");
        // As in every_forwardable_kind_reaches_siasn_once: the family saves carry no document path.
        if endpoint.map_data_key().is_some() {
            uploads_expected += usulan(&ctx, id).await.documents.len();
        }
    }
    assert_eq!(sim.data().uploads().len(), uploads_expected, "every document uploaded once");
    assert_eq!(a.run_once().await.expect("round") + b.run_once().await.expect("round"), 0);
}

/// Import `nip` from SIASN.
pub(crate) async fn import_nip(pool: &sqlx::AnyPool, siasn: &SiasnClient, nip: &str) -> Report {
    let target = ImportTarget::Nips(vec![nip.to_owned()]);
    import(pool, &NoHook, siasn, &target, &|_, _| {}).await.expect("import runs")
}

/// The official record `id` as the server holds it.
pub(crate) async fn official(ctx: &Ctx, id: &str) -> HistoryData {
    let mut db = ctx.db().await;
    records::get_history(&mut db, id).await.expect("read").expect("kept").record.data
}

/// An import that runs while an approved change waits for SIASN leaves the record alone (SIASN still serves the
/// old value); once the worker has delivered it, the import finds SIASN's copy carrying it.
async fn an_import_keeps_an_approved_change_until_siasn_records_it(ctx: Ctx) {
    let sim = Simulator::start(sim_config(Duration::ZERO)).await.expect("simulator");
    crate::siasn_import::add_demo(&ctx, &sim, BUDI).await;
    let pool = mysapk_server::db::connect(&ctx.db_url).await.expect("pool");
    let siasn = client(&sim);
    let linked = import_nip(&pool, &siasn, BUDI).await;
    assert!(linked.failed.is_empty(), "{linked:?}");
    ctx.live.forward_to_siasn();

    let history = records::list_history(&mut ctx.db().await, BUDI).await.expect("history");
    let position = history.iter().find(|r| r.siasn_id.is_some() && r.data.kind() == HistoryKind::Jabatan);
    let position = position.expect("a position linked to SIASN").clone();
    let HistoryData::Jabatan(mut jabatan) = position.data.clone() else { panic!("{position:?}") };
    jabatan.sk_nomor = "800/123/BKD/2026".to_owned();
    let action =
        UsulanAction::ChangeHistory { record_id: position.id.clone(), data: HistoryData::Jabatan(jabatan.clone()) };
    // The seed's position ids have SIASN's form only: forwarding sets the reference table's id of a name it lists.
    let mut db = ctx.db().await;
    if let Some(kind) = mysapk_model::siasn::reference::ReferenceKind::of_jenis_jabatan(&jabatan.jenis_jabatan_id) {
        let listed =
            mysapk_server::db::siasn_reference::find(&mut db, kind, "", &jabatan.jabatan_nama).await.expect("find");
        jabatan.jabatan_id = listed.or(jabatan.jabatan_id);
    }
    let approved_data = HistoryData::Jabatan(jabatan);
    let id = approved(&ctx, action).await;
    assert!(matches!(step(&ctx, &id).await, Some(SiasnStep::Pending { .. })));

    // Before the worker runs: SIASN still has the old number; the import writes nothing.
    let early = import_nip(&pool, &siasn, BUDI).await;
    assert_eq!((early.failed.len(), early.changes), (0, 0), "{early:?}");
    assert_eq!(official(&ctx, &position.id).await, approved_data);

    // Delivered: SIASN serves the new number, and an import keeps it.
    let w = worker(&ctx, &sim, client(&sim)).await;
    drain(&ctx, &w).await;
    assert_eq!(recorded_id(step(&ctx, &id).await), position.siasn_id);
    let late = import_nip(&pool, &siasn, BUDI).await;
    assert!(late.failed.is_empty(), "{late:?}");
    let HistoryData::Jabatan(now) = official(&ctx, &position.id).await else { panic!("still a position") };
    assert_eq!(now.sk_nomor, "800/123/BKD/2026");
    pool.close().await;
}

/// A family save stored by SIASN but answered 504: the next claim finds the child, then the spouse, in SIASN's
/// family object by name and birth date, records SIASN's id (on the step and the official record) and sends
/// nothing again.
async fn a_lost_family_answer_is_found_not_sent_again(ctx: Ctx) {
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let w = worker(&ctx, &sim, client(&sim)).await;
    for (kind, endpoint, resource, list, id) in [
        (HistoryKind::Anak, WriteEndpoint::Anak, "data-anak", "/listAnak", "/id"),
        (HistoryKind::Pasangan, WriteEndpoint::Pasangan, "data-pasangan", "/listPasangan", "/orang/id"),
    ] {
        sim.data().lose_answers(1);
        let proposal = approved(&ctx, UsulanAction::AddHistory { data: new_record(kind) }).await;
        drain(&ctx, &w).await;
        assert_eq!(saves(&sim, endpoint).len(), 1, "{kind:?}: SIASN holds it once");
        let person = sim.data().person_by_nip(BUDI).expect("Budi in SIASN");
        let held = person.resources.get(resource).and_then(|d| d.pointer(list)).and_then(Value::as_array);
        let held = held.expect("the family object").clone();
        assert_eq!(held.len(), 1, "{kind:?}: {held:?}");
        let siasn_id = held[0].pointer(id).and_then(Value::as_str).map(str::to_owned);
        assert!(siasn_id.is_some());
        assert_eq!(recorded_id(step(&ctx, &proposal).await), siasn_id, "{kind:?}: the step");
        let history = records::list_history(&mut ctx.db().await, BUDI).await.expect("history");
        let record = history.iter().find(|r| r.last_usulan_id.as_deref() == Some(proposal.as_str()));
        assert_eq!(record.and_then(|r| r.siasn_id.clone()), siasn_id, "{kind:?}: the official record");
    }
    assert_eq!(w.run_once().await.expect("round"), 0, "nothing left to send");
    assert_eq!(sim.data().saves().len(), 2);
}

/// A document whose file is gone from the blob store: the change fails at once with a message naming it (no
/// upload, no save, no retry loop); once the file is back, an admin's retry delivers it once.
async fn a_missing_document_fails_clearly_until_restored_and_retried(ctx: Ctx) {
    use mysapk_server::documents::store::BlobStore;
    let sim = bridge(&ctx, sim_config(Duration::ZERO)).await;
    let w = worker(&ctx, &sim, client(&sim)).await;
    let id = approved(&ctx, add_jabatan(d(2024, 1, 1), None)).await;
    let documents = usulan(&ctx, &id).await.documents;
    assert!(!documents.is_empty(), "a position carries documents");
    let blobs = DirBlobStore::new(&ctx.doc_dir);
    let mut kept = Vec::new();
    for doc in &documents {
        if let Some(bytes) = blobs.get(&doc.sha256).await.expect("read blob") {
            kept.push((doc.sha256.clone(), bytes));
            blobs.delete(&doc.sha256).await.expect("delete blob");
        }
    }
    assert!(!kept.is_empty());

    drain(&ctx, &w).await;
    match step(&ctx, &id).await {
        Some(SiasnStep::Failed { message, .. }) => {
            assert!(
                message.contains(&documents[0].file_name) && message.contains("missing on this server"),
                "{message}"
            );
        }
        other => panic!("expected failed, got {other:?}"),
    }
    assert!(sim.data().uploads().is_empty() && sim.data().saves().is_empty());
    assert_eq!(w.run_once().await.expect("round"), 0, "a failed row is not tried again by itself");
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM siasn_outbox WHERE usulan_id = $1")
        .bind(&id)
        .fetch_one(&mut ctx.db().await)
        .await
        .expect("attempts");
    assert_eq!(attempts, 1, "tried once");

    for (sha, bytes) in &kept {
        blobs.put(sha, bytes).await.expect("restore blob");
    }
    let admin = ctx.token(ADMIN_A).await;
    let (s, body) = ctx.post(&format!("/api/v1/admin/usulan/{id}/siasn-retry"), Some(&admin), &Value::Null).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    drain(&ctx, &w).await;
    let sent = saves(&sim, WriteEndpoint::Jabatan);
    assert_eq!(sent.len(), 1, "delivered once");
    assert_eq!(recorded_id(step(&ctx, &id).await), accepted_id(&sent[0].1));
    assert_eq!(sim.data().uploads().len(), documents.len(), "each document uploaded once");
}

backend_tests!(
    every_forwardable_kind_reaches_siasn_once,
    a_lost_family_answer_is_found_not_sent_again,
    a_missing_document_fails_clearly_until_restored_and_retried,
    faults_are_retried_and_delivered_once,
    a_refusal_fails_with_siasn_message_until_an_admin_retries,
    an_admin_lists_the_agency_failures_until_a_retry,
    a_worker_killed_after_the_send_never_sends_twice,
    serve_runs_the_worker_until_its_stop,
    an_import_keeps_an_approved_change_until_siasn_records_it,
    two_nodes_forward_each_change_once,
);
