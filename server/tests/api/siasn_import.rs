//! Import from SIASN against the simulator (`mysapk-siasn-sim`): a generated agency, a re-import that writes only
//! what changed and reaches the ASN's device (riwayat lists, family objects, performance and career records:
//! changed, and deleted when SIASN no longer holds them), failures reported per NIP (not found, SIASN down), renewed
//! tokens, SIASN's rate limit, a run resumed after an interruption, and `serve`'s scheduled re-import.

use std::time::Duration;

use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord, ParentRole, Predikat};
use mysapk_model::siasn::import::{FAMILY_RESOURCES, RW_RESOURCES};
use mysapk_model::sync::Change;
use mysapk_server::db::NoHook;
use mysapk_server::siasn::client::RetryPolicy;
use mysapk_server::siasn::import::{import, spawn_reimport, ImportTarget, Report};
use mysapk_server::siasn::SiasnClient;
use mysapk_siasn_sim::{Outage, Person, RunningSimulator, SimConfig, Simulator};
use serde_json::Value;
use sqlx::AnyPool;

use crate::backend_tests;
use crate::fixtures::siasn_config;
use crate::support::{Ctx, APPROVER_A, BUDI, VERIFIKATOR_A};

/// A demo ASN with a disciplinary penalty (and credit points): with BUDI, SIASN then serves every kind imported.
const RUDI: &str = "198011202006041001";

/// The kinds read from `rw-skp22`, `rw-angkakredit`, `rw-hukdis` and the family objects.
const FAMILY_AND_PERFORMANCE: [HistoryKind; 6] = [
    HistoryKind::Pasangan,
    HistoryKind::Anak,
    HistoryKind::OrangTua,
    HistoryKind::Skp,
    HistoryKind::AngkaKredit,
    HistoryKind::HukumanDisiplin,
];

/// The kinds read from `rw-masakerja`, `rw-cltn`, `rw-pindahinstansi` and `rw-skp`, with the resource of each.
const CAREER: [(HistoryKind, &str); 4] = [
    (HistoryKind::Pmk, "rw-masakerja"),
    (HistoryKind::Cltn, "rw-cltn"),
    (HistoryKind::PindahInstansi, "rw-pindahinstansi"),
    (HistoryKind::SkpLama, "rw-skp"),
];

/// The simulated agency (not one of the demo's).
const AGENCY: &str = "A5EB03E23CCCF6A0E040640A040252AD";

fn client_for(sim: &RunningSimulator, min_interval: Duration, attempts: u32) -> SiasnClient {
    let config = siasn_config(sim, min_interval);
    let retry = RetryPolicy {
        attempts,
        base_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        timeout: Duration::from_secs(10),
    };
    SiasnClient::with_retry(config, retry).expect("client")
}

async fn pool(ctx: &Ctx) -> AnyPool {
    mysapk_server::db::connect(&ctx.db_url).await.expect("pool")
}

async fn run(pool: &AnyPool, client: &SiasnClient, target: &ImportTarget) -> Report {
    import(pool, &NoHook, client, target, &|_, _| {}).await.expect("import runs")
}

fn nips(sim: &RunningSimulator) -> Vec<String> {
    let mut nips: Vec<String> = sim.data().people().into_iter().map(|p| p.nip).collect();
    nips.sort();
    nips
}

/// A demo ASN (with an account) as SIASN holds him: his own record through `to_siasn`, every resource an import
/// reads.
pub(crate) async fn add_demo(ctx: &Ctx, sim: &RunningSimulator, nip: &str) {
    use mysapk_model::siasn::to_siasn;
    let mut db = ctx.db().await;
    let profile = mysapk_server::db::records::get_profile(&mut db, nip).await.expect("read").expect("demo ASN");
    let history = mysapk_server::db::records::list_history(&mut db, nip).await.expect("history");
    let names = mysapk_server::db::records::load_catalogs(&mut db).await.expect("catalogs");
    let mut person = Person::new(&to_siasn::pns_id(&profile), nip, &profile.nama, &profile.instansi_id);
    let read = RW_RESOURCES.iter().chain(FAMILY_RESOURCES.iter()).map(|(resource, _)| *resource);
    for resource in std::iter::once("data-utama").chain(read) {
        if let Some(v) = to_siasn::read(resource, &profile, &history, &names) {
            person.resources.insert(resource.to_owned(), v);
        }
    }
    sim.data().add_person(person);
}

/// The records of `nip` of the family and performance kinds, by id.
async fn family_and_performance(ctx: &Ctx, nip: &str) -> Vec<HistoryRecord> {
    let mut db = ctx.db().await;
    let mut records = mysapk_server::db::records::list_history(&mut db, nip).await.expect("history");
    records.retain(|r| FAMILY_AND_PERFORMANCE.contains(&r.data.kind()));
    records.sort_by(|a, b| a.id.cmp(&b.id));
    records
}

/// The records of `nip` of the career kinds ([`CAREER`]), by id.
async fn career(ctx: &Ctx, nip: &str) -> Vec<HistoryRecord> {
    let mut db = ctx.db().await;
    let mut records = mysapk_server::db::records::list_history(&mut db, nip).await.expect("history");
    records.retain(|r| CAREER.iter().any(|(kind, _)| *kind == r.data.kind()));
    records.sort_by(|a, b| a.id.cmp(&b.id));
    records
}

/// The SIASN ids a resource of `nip` holds in the simulator: `pointer` to a list (or an object), `id` in each.
fn sim_ids(sim: &RunningSimulator, nip: &str, resource: &str, list: &str, id: &str) -> Vec<String> {
    let person = sim.data().person_by_nip(nip).expect("in the simulator");
    let Some(data) = person.resources.get(resource) else { return Vec::new() };
    let items: Vec<&Value> = match data.pointer(list) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(map)) => map.values().filter(|v| v.is_object()).collect(),
        _ => Vec::new(),
    };
    let mut ids: Vec<String> =
        items.iter().filter_map(|v| v.pointer(id).and_then(Value::as_str)).map(str::to_owned).collect();
    ids.sort();
    ids
}

/// The first `rw-jabatan` record of `nip` in the simulator gets a new name; its SIASN id.
fn rename_position(sim: &RunningSimulator, nip: &str, name: &str) -> String {
    let mut id = String::new();
    assert!(sim.data().update_person(nip, |p| {
        let first = p.resources.get_mut("rw-jabatan").and_then(Value::as_array_mut).and_then(|l| l.first_mut());
        let first = first.expect("a position");
        first["namaJabatan"] = Value::String(name.to_owned());
        id = first["id"].as_str().expect("id").to_owned();
    }));
    id
}

async fn agency_import_writes_only_changes(ctx: Ctx) {
    let sim = Simulator::start(SimConfig::default().with_people(AGENCY, 5, 7)).await.expect("simulator");
    add_demo(&ctx, &sim, BUDI).await;
    add_demo(&ctx, &sim, RUDI).await;
    let client = client_for(&sim, Duration::from_millis(2), 3);
    let pool = pool(&ctx).await;
    let everyone = nips(&sim);
    assert_eq!(everyone.len(), 7);
    let demo_before = (family_and_performance(&ctx, BUDI).await, family_and_performance(&ctx, RUDI).await);
    for kind in FAMILY_AND_PERFORMANCE {
        let held = |records: &[HistoryRecord]| records.iter().any(|r| r.data.kind() == kind);
        assert!(held(&demo_before.0) || held(&demo_before.1), "SIASN serves {kind:?} of BUDI or RUDI");
    }

    let first = run(&pool, &client, &ImportTarget::Nips(everyone.clone())).await;
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    assert_eq!((first.total, first.imported), (7, 7), "{first:?}");
    // A generated person is now in mysapk with SIASN's ids.
    let person = sim.data().people().into_iter().find(|p| p.nip != BUDI && p.nip != RUDI).expect("generated");
    let mut db = ctx.db().await;
    let profile = mysapk_server::db::records::get_profile(&mut db, &person.nip).await.expect("read").expect("imported");
    assert_eq!(profile.siasn_pns_id.as_deref(), Some(person.pns_id.as_str()));
    assert_eq!(profile.instansi_id, AGENCY);
    let history = mysapk_server::db::records::list_history(&mut db, &person.nip).await.expect("history");
    assert!(!history.is_empty() && history.iter().all(|r| r.siasn_id.is_some()), "{history:?}");
    // Every generated person's family and SKP are in mysapk under SIASN's ids (the person's `orang.id`).
    for p in sim.data().people().into_iter().filter(|p| p.nip != BUDI && p.nip != RUDI) {
        let history = mysapk_server::db::records::list_history(&mut db, &p.nip).await.expect("history");
        let ours = |kind: HistoryKind| {
            let mut ids: Vec<String> =
                history.iter().filter(|r| r.data.kind() == kind).filter_map(|r| r.siasn_id.clone()).collect();
            ids.sort();
            ids
        };
        let nip = p.nip.as_str();
        assert_eq!(ours(HistoryKind::Pasangan), sim_ids(&sim, nip, "data-pasangan", "/listPasangan", "/orang/id"));
        assert_eq!(ours(HistoryKind::Anak), sim_ids(&sim, nip, "data-anak", "/listAnak", "/id"));
        assert_eq!(ours(HistoryKind::OrangTua), sim_ids(&sim, nip, "data-ortu", "", "/id"));
        assert_eq!(ours(HistoryKind::Skp), sim_ids(&sim, nip, "rw-skp22", "", "/id"));
        assert_eq!(ours(HistoryKind::OrangTua).len(), 2, "{nip}: both parents");
        // The appointment, kept in data-utama, is one record named by the PNS id.
        assert_eq!(ours(HistoryKind::CpnsPns), vec![p.pns_id.clone()], "{nip}: the CPNS/PNS appointment");
    }
    drop(db);
    // The demo's own records came back as they were (same ids, same content): SIASN's answer maps to them.
    let demo_after = (family_and_performance(&ctx, BUDI).await, family_and_performance(&ctx, RUDI).await);
    assert_eq!(demo_after, demo_before);

    // Nothing changed in SIASN: nothing is written.
    let again = run(&pool, &client, &ImportTarget::Nips(everyone.clone())).await;
    assert_eq!((again.unchanged, again.imported, again.changes), (7, 0, 0), "{again:?}");

    // One position changed in SIASN: that record alone is written, and BUDI's device pulls it.
    let token = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&token, "0").await;
    let siasn_id = rename_position(&sim, BUDI, "Analis Kebijakan Ahli Muda");
    let third = run(&pool, &client, &ImportTarget::Nips(everyone.clone())).await;
    assert_eq!((third.imported, third.unchanged, third.changes), (1, 6, 1), "{third:?}");
    let (cursor, changes) = ctx.pull_all(&token, &cursor).await;
    let records: Vec<_> = changes
        .iter()
        .filter_map(|c| match c {
            Change::History { record } => Some(record),
            Change::Profile { .. } => panic!("the profile did not change: {c:?}"),
            _ => None,
        })
        .collect();
    assert_eq!(records.len(), 1, "{changes:?}");
    assert_eq!(records[0].siasn_id.as_deref(), Some(siasn_id.as_str()));
    assert_eq!(records[0].data.title(), "Analis Kebijakan Ahli Muda");

    // In SIASN a child is renamed, an SKP's predikat changes and the mother is no longer held: those records
    // alone are written (two changed, one deleted) and reach BUDI's device.
    let mut changed = (String::new(), String::new());
    assert!(sim.data().update_person(BUDI, |p| {
        let child = p.resources.get_mut("data-anak").and_then(|d| d.pointer_mut("/listAnak/0")).expect("a child");
        child["nama"] = Value::String("Nama Baru".to_owned());
        changed.0 = child["id"].as_str().expect("id").to_owned();
        let skp = p.resources.get_mut("rw-skp22").and_then(|d| d.pointer_mut("/0")).expect("an SKP");
        skp["KuadranKinerjaNilai"] = Value::from(5.0);
        skp["kuadranKinerja"] = Value::String("SANGAT KURANG".to_owned());
        changed.1 = skp["id"].as_str().expect("id").to_owned();
        p.resources.get_mut("data-ortu").expect("parents")["ibu"] = Value::Null;
    }));
    let before = family_and_performance(&ctx, BUDI).await;
    let mother = before
        .iter()
        .find(|r| matches!(&r.data, HistoryData::OrangTua(o) if o.hubungan == ParentRole::Ibu))
        .expect("BUDI's mother")
        .clone();
    let fourth = run(&pool, &client, &ImportTarget::Nips(everyone)).await;
    assert_eq!((fourth.imported, fourth.unchanged, fourth.changes), (1, 6, 3), "{fourth:?}");
    let after = family_and_performance(&ctx, BUDI).await;
    let by_siasn = |id: &str| after.iter().find(|r| r.siasn_id.as_deref() == Some(id)).expect("kept").data.clone();
    assert_eq!(by_siasn(&changed.0).title(), "Nama Baru");
    assert!(matches!(by_siasn(&changed.1), HistoryData::Skp(s) if s.predikat == Predikat::SangatKurang));
    assert!(after.iter().all(|r| r.id != mother.id), "the mother SIASN no longer holds is deleted");
    assert_eq!(after.len(), before.len() - 1);
    let (_, changes) = ctx.pull_all(&token, &cursor).await;
    let written: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::History { record } => record.siasn_id.as_deref(),
            Change::HistoryDeleted { id, kind: HistoryKind::OrangTua } if *id == mother.id => Some("deleted mother"),
            _ => None,
        })
        .collect();
    assert_eq!(written.len(), 3, "{changes:?}");
    assert!(written.contains(&changed.0.as_str()) && written.contains(&changed.1.as_str()), "{written:?}");
    // Read again, the same answer writes nothing.
    let fifth = run(&pool, &client, &ImportTarget::Nips(vec![BUDI.to_owned()])).await;
    assert_eq!((fifth.unchanged, fifth.changes), (1, 0), "{fifth:?}");
    pool.close().await;
    sim.stop().await;
}

/// PMK, unpaid leave, transfers and the old SKP: generated people's come in under SIASN's ids, the demo's map back
/// unchanged (a transfer keeps its unit name, which SIASN holds only as an id), a change in SIASN reaches the
/// record, and an unchanged SIASN writes nothing.
async fn career_kinds_import_and_follow_siasn(ctx: Ctx) {
    let sim = Simulator::start(SimConfig::default().with_people(AGENCY, 6, 7)).await.expect("simulator");
    // Agus: prior work counted and an unpaid leave; Hendra: a transfer; BUDI: the SKP of 2019-2021.
    for nip in [BUDI, VERIFIKATOR_A, APPROVER_A] {
        add_demo(&ctx, &sim, nip).await;
    }
    let client = client_for(&sim, Duration::from_millis(2), 3);
    let pool = pool(&ctx).await;
    let everyone = nips(&sim);
    let demo = [BUDI, VERIFIKATOR_A, APPROVER_A];
    let mut demo_before = Vec::new();
    for nip in demo {
        demo_before.push(career(&ctx, nip).await);
    }
    for (kind, _) in CAREER {
        assert!(demo_before.iter().flatten().any(|r| r.data.kind() == kind), "the demo holds {kind:?}");
    }

    let first = run(&pool, &client, &ImportTarget::Nips(everyone.clone())).await;
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    assert_eq!((first.total, first.imported), (9, 9), "{first:?}");
    let mut generated_held = 0;
    for p in sim.data().people().into_iter().filter(|p| !demo.contains(&p.nip.as_str())) {
        let history = career(&ctx, &p.nip).await;
        for (kind, resource) in CAREER {
            let mut ours: Vec<String> =
                history.iter().filter(|r| r.data.kind() == kind).filter_map(|r| r.siasn_id.clone()).collect();
            ours.sort();
            assert_eq!(ours, sim_ids(&sim, &p.nip, resource, "", "/id"), "{} {resource}", p.nip);
            generated_held += ours.len();
        }
    }
    assert!(generated_held > 0, "the generated people have career records");
    for (nip, before) in demo.iter().zip(&demo_before) {
        assert_eq!(&career(&ctx, nip).await, before, "{nip}: mapped back unchanged");
    }
    let again = run(&pool, &client, &ImportTarget::Nips(everyone.clone())).await;
    assert_eq!((again.unchanged, again.changes), (9, 0), "{again:?}");

    // In SIASN: Agus's PMK counts a year more and his leave ended later, Hendra's transfer has another SK number,
    // BUDI's 2019 SKP another score. Those four records alone are written.
    let mut changed = Vec::new();
    let mut edit = |nip: &str, resource: &str, field: &str, value: Value| {
        assert!(sim.data().update_person(nip, |p| {
            let record = p.resources.get_mut(resource).and_then(|l| l.pointer_mut("/0")).expect(resource);
            record[field] = value;
            changed.push(record["id"].as_str().expect("id").to_owned());
        }));
    };
    edit(VERIFIKATOR_A, "rw-masakerja", "tasaKerjaTahun", Value::from("9"));
    edit(VERIFIKATOR_A, "rw-cltn", "tanggalAktif", Value::from("01-01-2024"));
    edit(APPROVER_A, "rw-pindahinstansi", "skTujuanNomor", Value::from("PI/BARU/2020"));
    edit(BUDI, "rw-skp", "nilaiSkp", Value::from(70.5));
    let token = ctx.token(APPROVER_A).await;
    let (cursor, _) = ctx.pull_all(&token, "0").await;
    let third = run(&pool, &client, &ImportTarget::Nips(everyone.clone())).await;
    assert_eq!((third.imported, third.unchanged, third.changes), (3, 6, 4), "{third:?}");
    let mut after = Vec::new();
    for nip in demo {
        after.extend(career(&ctx, nip).await);
    }
    let by_siasn = |id: &str| after.iter().find(|r| r.siasn_id.as_deref() == Some(id)).expect("linked").data.clone();
    assert!(matches!(by_siasn(&changed[0]), HistoryData::Pmk(m) if m.mk_tahun == 9));
    assert!(
        matches!(by_siasn(&changed[1]), HistoryData::Cltn(c) if c.tanggal_aktif.is_some_and(|d| d.to_string() == "2024-01-01"))
    );
    let HistoryData::PindahInstansi(transfer) = by_siasn(&changed[2]) else { panic!("a transfer") };
    let HistoryData::PindahInstansi(was) =
        demo_before[2].iter().find(|r| r.data.kind() == HistoryKind::PindahInstansi).expect("Hendra's").data.clone()
    else {
        panic!("a transfer")
    };
    assert_eq!((transfer.sk_nomor.as_str(), transfer.unor_baru_nama), ("PI/BARU/2020", was.unor_baru_nama));
    assert!(matches!(by_siasn(&changed[3]), HistoryData::SkpLama(s) if s.nilai_skp == 70.5));
    // Hendra's device pulls his changed transfer.
    let (_, changes) = ctx.pull_all(&token, &cursor).await;
    assert!(
        changes.iter().any(
            |c| matches!(c, Change::History { record } if record.siasn_id.as_deref() == Some(changed[2].as_str()))
        ),
        "{changes:?}"
    );
    let fourth = run(&pool, &client, &ImportTarget::Nips(everyone)).await;
    assert_eq!((fourth.unchanged, fourth.changes), (9, 0), "{fourth:?}");
    pool.close().await;
    sim.stop().await;
}

async fn failures_are_per_nip_and_tokens_renew(ctx: Ctx) {
    let sim = Simulator::start(SimConfig::default().with_people(AGENCY, 3, 11)).await.expect("simulator");
    let client = client_for(&sim, Duration::ZERO, 2);
    let pool = pool(&ctx).await;
    let mut asked = nips(&sim);
    // A valid NIP SIASN does not know.
    asked.insert(1, "199901012024011001".to_owned());
    let report = run(&pool, &client, &ImportTarget::Nips(asked.clone())).await;
    assert_eq!(report.imported, 3, "{report:?}");
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert_eq!((report.failed[0].nip.as_str(), report.failed[0].code.as_str()), (asked[1].as_str(), "siasn.not_found"));

    // Tokens revoked early: renewed once on the 401, the import goes on.
    sim.data().expire_tokens();
    rename_position(&sim, &asked[0], "Pranata Komputer Ahli Madya");
    let renewed = run(&pool, &client, &ImportTarget::Nips(vec![asked[0].clone()])).await;
    assert_eq!((renewed.imported, renewed.failed.len()), (1, 0), "{renewed:?}");

    // SIASN down: each NIP fails after the client's retries, with a code, and the run still ends.
    sim.data().set_outage(Some(Outage::Unavailable));
    let down = run(&pool, &client, &ImportTarget::Nips(asked[2..].to_vec())).await;
    assert_eq!(down.failed.len(), 2, "{down:?}");
    assert!(down.failed.iter().all(|f| f.code == "siasn.unavailable"), "{down:?}");
    assert!(down.stopped.is_none());
    sim.data().set_outage(None);
    pool.close().await;
    sim.stop().await;
}

async fn throttled_calls_are_retried(ctx: Ctx) {
    // SIASN throttles at one call per 40 ms; this client does not pace itself, so it meets 429s and retries.
    let sim =
        Simulator::start(SimConfig::default().with_people(AGENCY, 2, 3).with_min_interval(Duration::from_millis(40)))
            .await
            .expect("simulator");
    let client = client_for(&sim, Duration::ZERO, 8);
    let pool = pool(&ctx).await;
    let report = run(&pool, &client, &ImportTarget::Nips(nips(&sim))).await;
    assert_eq!((report.imported, report.failed.len()), (2, 0), "{report:?}");
    assert!(sim.data().requests().iter().any(|r| r.status == 429), "the simulator throttled at least once");
    // Pacing above SIASN's interval meets no 429 at all (after the throttled client's last interval is over).
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = sim.data().requests().iter().filter(|r| r.status == 429).count();
    let paced = client_for(&sim, Duration::from_millis(120), 1);
    let again = run(&pool, &paced, &ImportTarget::Nips(nips(&sim))).await;
    assert_eq!((again.unchanged, again.failed.len()), (2, 0), "{again:?}");
    assert_eq!(sim.data().requests().iter().filter(|r| r.status == 429).count(), before);
    pool.close().await;
    sim.stop().await;
}

async fn an_interrupted_import_resumes(ctx: Ctx) {
    let sim = Simulator::start(SimConfig::default().with_people(AGENCY, 6, 5)).await.expect("simulator");
    let client = client_for(&sim, Duration::from_millis(25), 2);
    let pool = pool(&ctx).await;
    let target = ImportTarget::Nips(nips(&sim));
    // Interrupted (the future dropped, as at Ctrl-C) once two NIPs are done.
    let (done_tx, mut done_rx) = tokio::sync::watch::channel(0u64);
    let progress = |n: u64, _: u64| {
        done_tx.send_replace(n);
    };
    let cut = tokio::select! {
        r = import(&pool, &NoHook, &client, &target, &progress) => Some(r),
        _ = done_rx.wait_for(|n| *n >= 2) => None,
    };
    assert!(cut.is_none(), "the first attempt was interrupted");
    let first_nip = nips(&sim)[0].clone();
    let reads_of_first = |sim: &RunningSimulator| {
        sim.data().requests().iter().filter(|r| r.path.ends_with(&format!("/data-utama/{first_nip}"))).count()
    };
    assert_eq!(reads_of_first(&sim), 1);

    let resumed = run(&pool, &client, &target).await;
    assert!(resumed.resumed, "{resumed:?}");
    assert_eq!((resumed.total, resumed.imported, resumed.failed.len()), (6, 6, 0), "{resumed:?}");
    assert_eq!(reads_of_first(&sim), 1, "a NIP done before the interruption is not read again");
    // The run is finished: the next import of the same NIPs is a new run.
    let next = run(&pool, &client, &target).await;
    assert!(!next.resumed);
    assert_eq!(next.unchanged, 6);
    pool.close().await;
    sim.stop().await;
}

/// `serve`'s scheduled re-import: a record changed in SIASN reaches the ASN's device with no one running an import.
async fn the_scheduled_reimport_brings_a_siasn_change_to_the_device(ctx: Ctx) {
    let sim = Simulator::start(SimConfig::default()).await.expect("simulator");
    add_demo(&ctx, &sim, BUDI).await;
    let client = client_for(&sim, Duration::ZERO, 2);
    let pool = pool(&ctx).await;
    let linked = run(&pool, &client, &ImportTarget::Nips(vec![BUDI.to_owned()])).await;
    assert!(linked.failed.is_empty(), "{linked:?}");
    let token = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&token, "0").await;
    let siasn_id = rename_position(&sim, BUDI, "Analis SDM Aparatur Ahli Madya");

    let task = spawn_reimport(pool.clone(), ctx.live.clone(), client, Duration::from_millis(200));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let record = loop {
        let (_, changes) = ctx.pull_all(&token, &cursor).await;
        let renamed = changes.into_iter().find_map(|c| match c {
            Change::History { record } if record.siasn_id.as_deref() == Some(siasn_id.as_str()) => Some(record),
            _ => None,
        });
        if let Some(record) = renamed {
            break record;
        }
        assert!(std::time::Instant::now() < deadline, "no re-import brought the change");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    task.abort();
    assert_eq!(record.data.title(), "Analis SDM Aparatur Ahli Madya");
    pool.close().await;
    sim.stop().await;
}

backend_tests!(
    agency_import_writes_only_changes,
    career_kinds_import_and_follow_siasn,
    failures_are_per_nip_and_tokens_renew,
    throttled_calls_are_retried,
    an_interrupted_import_resumes,
    the_scheduled_reimport_brings_a_siasn_change_to_the_device,
);

/// A read is retried while SIASN is down; a write is not repeated once it may have reached SIASN (a 5xx), only
/// when it surely did not (throttled at the gateway).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_are_repeated_only_when_they_did_not_reach_siasn() {
    let sim = Simulator::start(SimConfig::default().with_people(AGENCY, 1, 2)).await.expect("simulator");
    let nip = nips(&sim)[0].clone();
    let client = client_for(&sim, Duration::ZERO, 3);
    let count =
        |sim: &RunningSimulator, end: &str| sim.data().requests().iter().filter(|r| r.path.ends_with(end)).count();
    sim.data().set_outage(Some(Outage::Unavailable));
    let read = client.get(&format!("/pns/data-utama/{nip}")).await;
    assert!(matches!(read, Err(mysapk_server::siasn::SiasnError::Unavailable { attempts: 3, .. })), "{read:?}");
    assert_eq!(count(&sim, &format!("/data-utama/{nip}")), 3);
    let write = client.post_json("/jabatan/save", &serde_json::json!({})).await;
    assert!(matches!(write, Err(mysapk_server::siasn::SiasnError::Unavailable { attempts: 1, .. })), "{write:?}");
    assert_eq!(count(&sim, "/jabatan/save"), 1, "a save that may have reached SIASN is not sent again");
    sim.data().set_outage(None);
    sim.stop().await;

    // Throttled at the gateway: the save never reached SIASN and is sent again after the wait.
    let sim = Simulator::start(SimConfig::default().with_min_interval(Duration::from_millis(150))).await.expect("sim");
    // Backoffs of 20, 40, 80, 160, 200 ms: past the 150 ms interval.
    let client = client_for(&sim, Duration::ZERO, 6);
    let _ = client.get("/pns/data-utama/199001012015031001").await;
    let _ = client.post_json("/jabatan/save", &serde_json::json!({})).await;
    let saves: Vec<u16> =
        sim.data().requests().iter().filter(|r| r.path.ends_with("/jabatan/save")).map(|r| r.status).collect();
    assert_eq!(saves.first(), Some(&429), "{saves:?}");
    assert!(saves.len() >= 2 && saves.last() != Some(&429), "{saves:?}");
    sim.stop().await;
}
