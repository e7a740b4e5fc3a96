//! P8, scale: the same server on a PostgreSQL database of 1,000,000 generated ASN and on one of 10,000 (the
//! baseline), measured side by side in one run: a first full sync, a no-change sync and a proposal of randomly
//! chosen generated ASN, alternating between the two databases request by request so that the machine's noise
//! falls on both alike.
//!
//! The databases are seeded by `mysapk-server seed --asn N` (the same generator) and kept between runs: a
//! database whose ASN count already matches is reused (seeding a million takes about 20 minutes here).

use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use chrono::NaiveDate;
use mysapk_model::auth::{LoginRequest, TokenResponse};
use mysapk_model::history::{HistoryData, Organisasi};
use mysapk_model::sync::{Mutation, MutationOp, MutationOutcome, PullResponse, PushRequest, PushResponse};
use mysapk_model::usulan::UsulanAction;
use mysapk_seed::GenerateOptions;
use mysapk_server::Config;
use sqlx::Connection;

use crate::fixtures::{pg_base_url, reference_dir, PASSWORD};
use crate::report::{Figure, Section};
use crate::stats::{ms, percentile, ratio};
use crate::{bar, Mode};

struct Sizes {
    large: usize,
    small: usize,
    /// Agencies the ASN are spread over (each also gets a verifier, an approver and an admin).
    instansi: usize,
    users: usize,
}

/// A seeded database with a server on it.
struct Scale {
    asn: usize,
    database: String,
    server: mysapk_server::RunningServer,
    users: Vec<(String, String)>,
}

pub async fn run(mode: Mode) -> anyhow::Result<Section> {
    let s = match mode {
        Mode::Full => Sizes { large: 1_000_000, small: 10_000, instansi: 20, users: 200 },
        Mode::Quick => Sizes { large: 300, small: 30, instansi: 2, users: 10 },
    };
    let mut section = Section::new("p8", mode);
    let tag = if mode == Mode::Quick { "quick" } else { "full" };
    let small = Scale::open(&format!("mysapk_p8_{tag}_small"), s.small, &s).await?;
    let large = Scale::open(&format!("mysapk_p8_{tag}_large"), s.large, &s).await?;
    let result = measure(&s, &small, &large).await;
    section.note(&format!(
        "Two PostgreSQL databases seeded by `mysapk-server seed --asn {} --instansi {}` and `--asn {}` \
         (kept as `{}` and `{}` and reused when their ASN count matches), each with the server in this process \
         ({}). {} generated ASN of each, chosen at random (`ORDER BY md5(nip)`), log in once; then for each of them, \
         alternating between the two servers: a first full sync (every page from no cursor), a no-change sync and one \
         proposal (an organisasi record, one push). The ratio is large / small; the goal is within 1.3×.",
        s.large,
        s.instansi,
        s.small,
        large.database,
        small.database,
        crate::build_kind(),
        s.users
    ));
    small.server.shutdown().await;
    large.server.shutdown().await;
    section.figures.extend(result?);
    Ok(section)
}

impl Scale {
    async fn open(database: &str, asn: usize, s: &Sizes) -> anyhow::Result<Scale> {
        let mut url = reqwest::Url::parse(&pg_base_url())?;
        url.set_path(database);
        let url = url.to_string();
        let have = generated_count(database, &url).await?;
        // The generator skips the rare NIP it cannot make unique, so a full seed may hold slightly fewer.
        if !have.is_some_and(|h| h <= asn && h * 100 >= asn * 99) {
            eprintln!("P8: seeding {asn} ASN into {database} (found {have:?})");
            recreate(database).await?;
            let opts = GenerateOptions::new(asn, s.instansi);
            let pb = bar(asn as u64, "seeding");
            let report = mysapk_seed::generate(&url, &reference_dir(), &opts, pb).await?;
            eprintln!("P8: seeded {} ASN in {:.0} s", report.asn, report.elapsed.as_secs_f64());
        }
        let mut config = Config::for_database(url.clone());
        config.reference_dir = reference_dir();
        config.mfa_required = mysapk_server::config::MfaPolicy::None;
        let server = mysapk_server::start(config).await.context("start the server")?;
        let base = format!("http://{}", server.addr());
        let nips = sample_nips(&url, s.users).await?;
        let http = reqwest::Client::new();
        let mut sessions = Vec::new();
        for nip in nips {
            let tokens: TokenResponse = http
                .post(format!("{base}/api/v1/auth/login"))
                .json(&LoginRequest::new(nip.clone(), PASSWORD))
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            sessions.push((nip, tokens.access_token));
        }
        let asn = generated_count(database, &url).await?.unwrap_or(asn);
        Ok(Scale { asn, database: database.to_owned(), server, users: sessions })
    }

    fn base(&self) -> String {
        format!("http://{}", self.server.addr())
    }
}

/// The number of ASN in `database`, `None` when it does not exist or holds no users table yet.
async fn generated_count(database: &str, url: &str) -> anyhow::Result<Option<usize>> {
    let mut admin = sqlx::PgConnection::connect(&pg_base_url()).await.context("PostgreSQL")?;
    let exists: Option<(i32,)> = sqlx::query_as("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(database)
        .fetch_optional(&mut admin)
        .await?;
    admin.close().await?;
    if exists.is_none() {
        return Ok(None);
    }
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let total: Result<(i64,), _> = sqlx::query_as("SELECT count(*) FROM users").fetch_one(&mut conn).await;
    conn.close().await?;
    Ok(total.ok().and_then(|(n,)| usize::try_from(n).ok()))
}

async fn recreate(database: &str) -> anyhow::Result<()> {
    let mut admin = sqlx::PgConnection::connect(&pg_base_url()).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)")).execute(&mut admin).await?;
    sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut admin).await?;
    admin.close().await?;
    Ok(())
}

async fn sample_nips(url: &str, n: usize) -> anyhow::Result<Vec<String>> {
    let mut conn = sqlx::PgConnection::connect(url).await?;
    let rows: Vec<(String,)> = sqlx::query_as("SELECT nip FROM users WHERE roles = 'asn' ORDER BY md5(nip) LIMIT $1")
        .bind(i64::try_from(n)?)
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    ensure!(rows.len() == n, "only {} plain ASN to sample", rows.len());
    Ok(rows.into_iter().map(|(nip,)| nip).collect())
}

#[derive(Default)]
struct Samples {
    first: Vec<Duration>,
    nochange: Vec<Duration>,
    propose: Vec<Duration>,
    rows: usize,
}

async fn measure(s: &Sizes, small: &Scale, large: &Scale) -> anyhow::Result<Vec<Figure>> {
    let http = reqwest::Client::new();
    let (mut a, mut b) = (Samples::default(), Samples::default());
    let run = uuid::Uuid::new_v4().simple().to_string();
    let pb = bar(s.users as u64, "P8 users");
    for i in 0..s.users {
        // Alternate which database goes first, so neither always meets a warm cache.
        if i % 2 == 0 {
            one_user(&http, small, &run, i, &mut a).await?;
            one_user(&http, large, &run, i, &mut b).await?;
        } else {
            one_user(&http, large, &run, i, &mut b).await?;
            one_user(&http, small, &run, i, &mut a).await?;
        }
        pb.inc(1);
    }
    pb.finish_and_clear();
    let setup = format!(
        "{} vs {} generated ASN on PostgreSQL; {} random ASN each; mean {:.1} vs {:.1} changes per first sync",
        large.asn,
        small.asn,
        s.users,
        b.rows as f64 / s.users as f64,
        a.rows as f64 / s.users as f64
    );
    let (large_asn, small_asn) = (large.asn, small.asn);
    let figure = |id: &'static str, what: &str, large: &[Duration], small: &[Duration]| {
        let (l50, l99, s50, s99) =
            (percentile(large, 50.0), percentile(large, 99.0), percentile(small, 50.0), percentile(small, 99.0));
        let r50 = l50.as_secs_f64() / s50.as_secs_f64().max(1e-9);
        Figure {
            id,
            name: format!("{what}: p50 / p99"),
            command: String::new(),
            setup: setup.clone(),
            goal: "within 1.3× of the 10,000-ASN database".into(),
            measured: format!("{} / {} ({large_asn} ASN)", ms(l50), ms(l99)),
            baseline: format!("{} / {} ({small_asn} ASN)", ms(s50), ms(s99)),
            ratio: format!(
                "p50 {} · p99 {}",
                ratio(l50.as_secs_f64(), s50.as_secs_f64()),
                ratio(l99.as_secs_f64(), s99.as_secs_f64())
            ),
            met: Some(r50 <= 1.3),
        }
    };
    Ok(vec![
        figure("P8", "first full sync", &b.first, &a.first),
        figure("P8", "no-change sync", &b.nochange, &a.nochange),
        figure("P8", "one proposal (push)", &b.propose, &a.propose),
    ])
}

async fn one_user(http: &reqwest::Client, scale: &Scale, run: &str, i: usize, out: &mut Samples) -> anyhow::Result<()> {
    let base = scale.base();
    let (nip, token) = &scale.users[i];
    // First full sync: every page from no cursor.
    let started = Instant::now();
    let mut cursor: Option<String> = None;
    loop {
        let mut req = http.get(format!("{base}/api/v1/sync")).bearer_auth(token);
        if let Some(c) = &cursor {
            req = req.query(&[("cursor", c)]);
        }
        let page: PullResponse = req.send().await?.error_for_status()?.json().await?;
        out.rows += page.changes.len();
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    out.first.push(started.elapsed());
    // No change.
    let started = Instant::now();
    let page: PullResponse = http
        .get(format!("{base}/api/v1/sync"))
        .bearer_auth(token)
        .query(&[("cursor", cursor.unwrap_or_default())])
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    out.nochange.push(started.elapsed());
    ensure!(page.changes.is_empty(), "a no-change sync of {nip} brought {} changes", page.changes.len());
    // One proposal.
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN) + chrono::Duration::days(i as i64);
    let push = PushRequest {
        // A new device per run: a reused database has seen seq 1 of last run's devices.
        device_id: format!("p8-{run}-{nip}"),
        mutations: vec![Mutation {
            id: uuid::Uuid::new_v4().to_string(),
            seq: 1,
            op: MutationOp::Propose {
                usulan_id: uuid::Uuid::new_v4().to_string(),
                action: UsulanAction::AddHistory {
                    data: HistoryData::Organisasi(Organisasi {
                        nama_organisasi: "Koperasi Pegawai".into(),
                        jabatan_organisasi: format!("Anggota {i}"),
                        tanggal_mulai: start,
                        tanggal_selesai: None,
                    }),
                },
                documents: Vec::new(),
            },
        }],
    };
    let started = Instant::now();
    let res: PushResponse = http
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(token)
        .json(&push)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    out.propose.push(started.elapsed());
    let outcome = res.results.first().map(|r| &r.outcome);
    ensure!(
        matches!(outcome, Some(MutationOutcome::Applied | MutationOutcome::AlreadyProcessed)),
        "the proposal of {nip} was not applied: {outcome:?}"
    );
    Ok(())
}
