//! Derived service events: each kind fires at the right date and not the day before (or not for a record built
//! not to trigger it), is created once however often it is evaluated (one notification, one feed entry), and
//! reaches the ASN through the pull. Budi (born 1990-01-01) gets exactly the records each case builds.

use chrono::NaiveDate;
use mysapk_model::history::samples::sample;
use mysapk_model::history::{CpnsPns, Golongan};
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::services::ServiceKind;
use mysapk_model::sync::Change;
use mysapk_server::db::{records, NoHook};
use reqwest::StatusCode;
use sqlx::AnyPool;

use crate::backend_tests;
use crate::fixtures::{add_jabatan, d, new_id, propose};
use crate::support::{Ctx, APPROVER_A, BUDI, VERIFIKATOR_A};

backend_tests!(
    kenaikan_pangkat,
    kgb,
    bup_one_year,
    bup_three_months,
    skp_missing,
    documents_missing,
    evaluate_all_twice_creates_nothing_more,
    serve_evaluates_on_a_schedule,
);

fn golongan(id: &str, tmt: NaiveDate) -> HistoryData {
    HistoryData::Golongan(Golongan {
        golongan_id: id.into(),
        tmt_golongan: tmt,
        sk_nomor: format!("KP/{id}"),
        sk_tanggal: tmt,
        jenis_kp_id: Some("101".into()),
        mk_tahun: None,
        mk_bulan: None,
    })
}

fn cpns(tmt: NaiveDate) -> HistoryData {
    HistoryData::CpnsPns(CpnsPns {
        nomor_sk_cpns: "813/CPNS".into(),
        tgl_sk_cpns: tmt,
        tmt_cpns: tmt,
        nomor_sk_pns: None,
        tgl_sk_pns: None,
        tmt_pns: None,
        no_spmt: None,
    })
}

fn skp(year: i32) -> HistoryData {
    match sample(HistoryKind::Skp, d(1990, 1, 1), 0) {
        HistoryData::Skp(mut s) => {
            s.tahun = year;
            HistoryData::Skp(s)
        }
        other => other,
    }
}

async fn pool(ctx: &Ctx) -> AnyPool {
    mysapk_server::db::connect(&ctx.db_url).await.expect("pool")
}

/// Budi's official record becomes exactly `data` (the old records are deleted, as tombstones).
async fn set_records(ctx: &Ctx, data: &[HistoryData]) {
    let mut db = ctx.db().await;
    sqlx::query("UPDATE history SET deleted = 1 WHERE nip = $1").bind(BUDI).execute(&mut db).await.expect("delete");
    for data in data {
        let record = HistoryRecord { id: new_id(), data: data.clone(), last_usulan_id: None, siasn_id: None };
        records::put_history(&mut db, BUDI, &record).await.expect("put");
    }
}

async fn evaluate(ctx: &Ctx, pool: &AnyPool, today: NaiveDate) -> usize {
    mysapk_server::services::evaluate(pool, &*ctx.live, BUDI, today).await.expect("evaluate")
}

fn id(key: &str) -> String {
    format!("svc:{BUDI}:{key}")
}

/// (notification rows, change-feed entries) of notification `id`.
async fn stored(ctx: &Ctx, id: &str) -> (i64, i64) {
    let mut db = ctx.db().await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notification WHERE id = $1")
        .bind(id)
        .fetch_one(&mut db)
        .await
        .expect("count");
    let feed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM change_log WHERE entity = 'notification' AND entity_id = $1")
            .bind(id)
            .fetch_one(&mut db)
            .await
            .expect("count");
    (rows, feed)
}

/// Budi's service notifications, pulled from the start.
async fn pulled(ctx: &Ctx) -> Vec<Notification> {
    let token = ctx.token(BUDI).await;
    let (_, changes) = ctx.pull_all(&token, "").await;
    changes
        .into_iter()
        .filter_map(|c| match c {
            Change::Notification { notification } if notification.kind == NotificationKind::Service => {
                Some(notification)
            }
            _ => None,
        })
        .collect()
}

/// What one case expects.
struct Expect {
    key: &'static str,
    service: ServiceKind,
    due: NaiveDate,
    history_kind: Option<HistoryKind>,
}

/// Nothing on `quiet` (the day before the notice window); on `fires`, one notification and one feed entry however
/// often it is evaluated, pulled by Budi with its kind, due date and category.
async fn fires_once(ctx: &Ctx, quiet: NaiveDate, fires: NaiveDate, e: Expect) {
    let pool = pool(ctx).await;
    evaluate(ctx, &pool, quiet).await;
    assert_eq!(stored(ctx, &id(e.key)).await, (0, 0), "{} fired on {quiet}", e.key);
    assert!(evaluate(ctx, &pool, fires).await >= 1, "{} on {fires}", e.key);
    assert_eq!(evaluate(ctx, &pool, fires).await, 0, "a second evaluation creates nothing");
    assert_eq!(stored(ctx, &id(e.key)).await, (1, 1), "{}", e.key);
    let notes = pulled(ctx).await;
    let n = notes.iter().find(|n| n.id == id(e.key)).unwrap_or_else(|| panic!("{} not pulled: {notes:?}", e.key));
    assert_eq!((n.service, n.due_date, n.history_kind), (Some(e.service), Some(e.due), e.history_kind));
    assert!(!n.read);
    pool.close().await;
}

async fn kenaikan_pangkat(ctx: Ctx) {
    // III/a since 2020-04-01: the promotion falls due on 2024-04-01, told from 90 days before (2024-01-02).
    set_records(&ctx, &[golongan("31", d(2020, 4, 1))]).await;
    let e = Expect {
        key: "kp:2024-04-01",
        service: ServiceKind::KenaikanPangkat,
        due: d(2024, 4, 1),
        history_kind: Some(HistoryKind::Golongan),
    };
    fires_once(&ctx, d(2024, 1, 1), d(2024, 1, 2), e).await;
    // No regular promotion from IV/e.
    set_records(&ctx, &[golongan("45", d(2020, 4, 1))]).await;
    let pool = pool(&ctx).await;
    evaluate(&ctx, &pool, d(2024, 1, 2)).await;
    evaluate(&ctx, &pool, d(2024, 4, 1)).await;
    let notes = pulled(&ctx).await;
    assert_eq!(notes.iter().filter(|n| n.service == Some(ServiceKind::KenaikanPangkat)).count(), 1, "{notes:?}");
    pool.close().await;
}

async fn kgb(ctx: Ctx) {
    // CPNS since 2015-03-01: a salary step every two years, the next on 2025-03-01, told 60 days before.
    set_records(&ctx, &[cpns(d(2015, 3, 1))]).await;
    let e = Expect { key: "kgb:2025-03-01", service: ServiceKind::Kgb, due: d(2025, 3, 1), history_kind: None };
    fires_once(&ctx, d(2024, 12, 30), d(2024, 12, 31), e).await;
    // Between two notice windows nothing more.
    let pool = pool(&ctx).await;
    evaluate(&ctx, &pool, d(2025, 6, 1)).await;
    let notes = pulled(&ctx).await;
    assert_eq!(notes.iter().filter(|n| n.service == Some(ServiceKind::Kgb)).count(), 1, "{notes:?}");
    pool.close().await;
}

async fn bup_one_year(ctx: Ctx) {
    // No position with a higher limit: 58, so retirement on 2048-02-01; told one year before.
    set_records(&ctx, &[]).await;
    let e = Expect { key: "bup:12:2048-02-01", service: ServiceKind::Pensiun, due: d(2048, 2, 1), history_kind: None };
    fires_once(&ctx, d(2047, 1, 31), d(2047, 2, 1), e).await;
}

async fn bup_three_months(ctx: Ctx) {
    set_records(&ctx, &[]).await;
    let e = Expect { key: "bup:3:2048-02-01", service: ServiceKind::Pensiun, due: d(2048, 2, 1), history_kind: None };
    fires_once(&ctx, d(2047, 10, 31), d(2047, 11, 1), e).await;
    // The day before, the one-year notice was due (and only that one).
    assert_eq!(stored(&ctx, &id("bup:12:2048-02-01")).await, (1, 1));
    // After retirement nothing.
    let pool = pool(&ctx).await;
    evaluate(&ctx, &pool, d(2048, 2, 1)).await;
    let notes = pulled(&ctx).await;
    assert_eq!(notes.iter().filter(|n| n.service == Some(ServiceKind::Pensiun)).count(), 2, "{notes:?}");
    pool.close().await;
}

async fn skp_missing(ctx: Ctx) {
    // In 2025 the SKP of 2023 and 2024 are expected: with both, nothing.
    set_records(&ctx, &[cpns(d(2015, 3, 1)), skp(2023), skp(2024)]).await;
    let pool = pool(&ctx).await;
    evaluate(&ctx, &pool, d(2025, 6, 1)).await;
    assert!(pulled(&ctx).await.iter().all(|n| n.service != Some(ServiceKind::SkpMissing)));
    // On 2024-12-31 the SKP of 2022 and 2023 are expected (both present); from 2025-01-01 that of 2024 is missing.
    set_records(&ctx, &[cpns(d(2015, 3, 1)), skp(2022), skp(2023)]).await;
    let e = Expect {
        key: "skp:2024",
        service: ServiceKind::SkpMissing,
        due: d(2024, 12, 31),
        history_kind: Some(HistoryKind::Skp),
    };
    fires_once(&ctx, d(2024, 12, 31), d(2025, 1, 1), e).await;
    // An ASN who entered service in 2025 owes no SKP for 2024.
    set_records(&ctx, &[cpns(d(2025, 2, 1))]).await;
    evaluate(&ctx, &pool, d(2026, 1, 1)).await;
    assert_eq!(stored(&ctx, &id("skp:2025")).await, (1, 1), "2025 owed");
    assert_eq!(stored(&ctx, &id("skp:2024")).await, (1, 1), "only the earlier notification");
    pool.close().await;
}

async fn documents_missing(ctx: Ctx) {
    // A golongan record with no document on file; the jabatan comes from an approved proposal with its SK.
    set_records(&ctx, &[golongan("32", d(2019, 4, 1))]).await;
    let budi = ctx.token(BUDI).await;
    let usulan = new_id();
    let r = ctx.push(&budi, "hp-budi", &[propose(1, &usulan, add_jabatan(d(2024, 7, 1), None))]).await;
    assert!(matches!(r.results[0].outcome, mysapk_model::sync::MutationOutcome::Applied), "{r:?}");
    let v = ctx.token(VERIFIKATOR_A).await;
    assert_eq!(ctx.decide(&v, &usulan, "verify", None).await.0, StatusCode::OK);
    let a = ctx.token(APPROVER_A).await;
    let (status, body) = ctx.decide(&a, &usulan, "approve", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The approval evaluated Budi at once: the golongan lacks its SK, the approved jabatan does not.
    assert_eq!(stored(&ctx, &id("docs:golongan")).await, (1, 1));
    assert_eq!(stored(&ctx, &id("docs:jabatan")).await, (0, 0), "a documented record");
    let notes = pulled(&ctx).await;
    let n = notes.iter().find(|n| n.id == id("docs:golongan")).expect("pulled");
    assert_eq!((n.service, n.history_kind), (Some(ServiceKind::DocumentsMissing), Some(HistoryKind::Golongan)));
    // Evaluating again (any day) creates nothing more.
    let pool = pool(&ctx).await;
    assert_eq!(evaluate(&ctx, &pool, d(2026, 1, 5)).await, 0);
    assert_eq!(evaluate(&ctx, &pool, d(2026, 1, 5)).await, 0);
    assert_eq!(stored(&ctx, &id("docs:golongan")).await, (1, 1));
    assert_eq!(stored(&ctx, &id("docs:jabatan")).await, (0, 0));
    // A jabatan record without a document fires.
    let mut db = ctx.db().await;
    let bare = HistoryRecord {
        id: new_id(),
        data: crate::fixtures::jabatan(d(2025, 1, 2), None),
        last_usulan_id: None,
        siasn_id: None,
    };
    records::put_history(&mut db, BUDI, &bare).await.expect("put");
    assert_eq!(evaluate(&ctx, &pool, d(2026, 1, 5)).await, 1);
    assert_eq!(evaluate(&ctx, &pool, d(2026, 1, 5)).await, 0);
    assert_eq!(stored(&ctx, &id("docs:jabatan")).await, (1, 1));
    pool.close().await;
}

async fn evaluate_all_twice_creates_nothing_more(ctx: Ctx) {
    let pool = pool(&ctx).await;
    let today = d(2026, 6, 30);
    let first =
        mysapk_server::services::evaluate_all(&pool, &*ctx.live, today, &|_, _| {}).await.expect("evaluate all");
    assert_eq!(first.asn, 6);
    assert!(first.created > 0 && first.created == first.events, "{first:?}");
    let again =
        mysapk_server::services::evaluate_all(&pool, &*ctx.live, today, &|_, _| {}).await.expect("evaluate all");
    assert_eq!((again.events, again.created), (first.events, 0));
    let mut db = ctx.db().await;
    let (rows, feed): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM notification WHERE id LIKE 'svc:%'), \
         (SELECT COUNT(*) FROM change_log WHERE entity = 'notification' AND entity_id LIKE 'svc:%')",
    )
    .fetch_one(&mut db)
    .await
    .expect("counts");
    assert_eq!((rows, feed), (first.created as i64, first.created as i64));
    pool.close().await;
}

async fn serve_evaluates_on_a_schedule(ctx: Ctx) {
    // The test server does not evaluate (no interval); a second one on the same database every second does.
    let count = || async {
        let mut db = ctx.db().await;
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notification WHERE id LIKE 'svc:%'")
            .fetch_one(&mut db)
            .await
            .expect("count");
        n
    };
    assert_eq!(count().await, 0);
    let server =
        crate::support::start(&ctx.db_url, |c| c.service_interval = Some(std::time::Duration::from_secs(1))).await;
    let mut n = 0;
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        n = count().await;
        if n > 0 {
            break;
        }
    }
    server.shutdown().await;
    assert!(n > 0, "no scheduled evaluation within 10 s");
    // The demo records carry no documents: Budi is told, through the pull.
    let notes = pulled(&ctx).await;
    assert!(notes.iter().any(|n| n.service == Some(ServiceKind::DocumentsMissing)), "{notes:?}");
    // The day is claimed: another node asking for today's full evaluation is told it is done.
    let pool = mysapk_server::db::connect(&ctx.db_url).await.expect("pool");
    let today = mysapk_server::services::today();
    assert!(!mysapk_server::services::claim_day(&pool, today, "another-node").await.expect("claim"));
    let tomorrow = today.succ_opt().expect("tomorrow");
    assert!(mysapk_server::services::claim_day(&pool, tomorrow, "another-node").await.expect("claim"));
    assert!(!mysapk_server::services::claim_day(&pool, tomorrow, "a-third-node").await.expect("claim"));
    pool.close().await;
}

/// Two full evaluations at once on one PostgreSQL database, each on its own pool as two nodes or two
/// `mysapk-server evaluate-services` runs would be (the demo data and 998 copies of Budi's record under other
/// NIPs): every event exists once, with exactly one feed entry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_create_each_event_once() {
    crate::support::run(crate::support::Backend::Postgres, two_processes).await;
}

async fn two_processes(ctx: Ctx) {
    let url = ctx.db_url.clone();
    {
        let pool = pool(&ctx).await;
        let mut tx = pool.begin().await.expect("tx");
        let profile = records::get_profile(&mut tx, BUDI).await.expect("profile").expect("Budi");
        let history = records::list_history(&mut tx, BUDI).await.expect("history");
        for seq in 2..1_000 {
            let nip = format!("{}{seq:03}", &BUDI[..15]);
            let mut copy = profile.clone();
            copy.nip = mysapk_model::Nip::parse(&nip).expect("valid NIP");
            records::put_profile(&mut tx, &copy).await.expect("profile");
            for r in &history {
                let record = HistoryRecord { id: new_id(), data: r.data.clone(), last_usulan_id: None, siasn_id: None };
                records::put_history(&mut tx, &nip, &record).await.expect("history");
            }
        }
        tx.commit().await.expect("commit");
        pool.close().await;
    }
    let run = |url: String| {
        tokio::spawn(async move {
            let pool = mysapk_server::db::connect(&url).await.expect("pool");
            let report = mysapk_server::services::evaluate_all(&pool, &NoHook, d(2026, 6, 30), &|_, _| {}).await;
            pool.close().await;
            report
        })
    };
    let (a, b) = (run(url.clone()), run(url.clone()));
    let mut created = 0;
    let mut due = Vec::new();
    for report in [a.await.expect("evaluation a"), b.await.expect("evaluation b")] {
        let report = report.expect("evaluated");
        due.push(report.events);
        created += report.created;
    }
    let mut db = ctx.db().await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notification WHERE id LIKE 'svc:%'")
        .fetch_one(&mut db)
        .await
        .expect("n");
    let dup: Vec<(String, i64)> = sqlx::query_as(
        "SELECT entity_id, COUNT(*) FROM change_log WHERE entity = 'notification' AND entity_id LIKE 'svc:%' \
         GROUP BY entity_id HAVING COUNT(*) <> 1",
    )
    .fetch_all(&mut db)
    .await
    .expect("dups");
    let feed: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT entity_id) FROM change_log WHERE entity = 'notification' AND entity_id LIKE 'svc:%'",
    )
    .fetch_one(&mut db)
    .await
    .expect("feed");
    assert!(dup.is_empty(), "feed entries not exactly one: {dup:?}");
    assert_eq!(feed, rows, "every notification has its feed entry");
    assert!(rows > 5_000, "{rows} events for 1,004 ASN");
    assert_eq!(due, [rows as u64, rows as u64], "each process saw every event");
    assert_eq!(created, rows as u64, "together the two created each once");
    // Nothing is missing: a third evaluation creates nothing.
    let pool = mysapk_server::db::connect(&url).await.expect("pool");
    let again =
        mysapk_server::services::evaluate_all(&pool, &*ctx.live, d(2026, 6, 30), &|_, _| {}).await.expect("again");
    assert_eq!((again.events, again.created), (rows as u64, 0));
    pool.close().await;
}
