//! P7 with distinct users: every simulated device is its own generated ASN (`seed --asn`) with its own session,
//! and comes back no sooner than [`Sizes::revisit`], longer than the token cache's and the quiet-feed cache's TTL
//! (`TOKEN_CACHE_TTL` 2 s, `FEED_CACHE_TTL` 1 s): each pull finds its own entries expired, as the app's pull every
//! 15 s does, so the per-process caches help only as much as they would in production (the catalogs' global feed
//! key, shared by everyone, stays cached in production too). Time is compressed (2.5 s instead of 15 s), so a node's
//! request rate is reached with fewer users; the figure is requests/s and latency at the given concurrency.
//!
//! Phases on one server: real logins (argon2, a bounded pool), no-change pulls alone, then the deadline-hour mix
//! (`docs/CAPACITY.md` §2): the same pulls, a proposal pushed before about one turn in 19 (its echo is the pull
//! that follows), and a writer committing history records for random users so that about 7 % of the other pulls
//! bring changes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use chrono::NaiveDate;
use mysapk_model::history::{HistoryData, Organisasi};
use mysapk_model::sync::{Mutation, MutationOp, MutationOutcome, PullResponse, PushRequest, PushResponse};
use mysapk_model::usulan::UsulanAction;
use mysapk_server::auth::session::{self, NewSession};
use mysapk_server::db;

use crate::fixtures::{self, history_record, Backend, ServerEnv};
use crate::report::Figure;
use crate::stats::{ms, percentile, ratio};
use crate::{bar, Mode};

pub struct Sizes {
    /// Generated ASN, one device and session each.
    pub users: usize,
    /// Concurrent connections carrying them (each a task with its own keep-alive connection).
    pub workers: usize,
    /// The shortest time between two pulls of one user.
    pub revisit: Duration,
    pub seconds: f64,
    /// Real logins measured (argon2), from `login_pool` at once.
    pub logins: usize,
    pub login_pool: usize,
    pub instansi: usize,
}

impl Sizes {
    pub fn new(mode: Mode) -> Sizes {
        match mode {
            Mode::Full => Sizes {
                users: 16_000,
                workers: 256,
                revisit: Duration::from_millis(2_500),
                seconds: 10.0,
                logins: 200,
                login_pool: 8,
                instansi: 20,
            },
            Mode::Quick => Sizes {
                users: 64,
                workers: 8,
                revisit: Duration::from_millis(200),
                seconds: 0.5,
                logins: 4,
                login_pool: 2,
                instansi: 2,
            },
        }
    }

    /// The most pulls per second the users can ask for (each at most once per `revisit`).
    fn offered(&self) -> f64 {
        self.users as f64 / self.revisit.as_secs_f64()
    }
}

/// One pull in 19 turns is preceded by a push: 326 pushes per 6,301 pulls in the deadline hour (CAPACITY.md §2).
const PUSH_EVERY: u64 = 19;
/// Share of pulls that should bring a writer's change: 433 of 6,301 (the pulls with changes that are not a
/// push's echo, CAPACITY.md §2).
const WRITER_SHARE: f64 = 433.0 / 6_301.0;

/// The shared-session P7 of the same run, for the baseline column.
pub struct Shared {
    pub rate: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub devices: usize,
    pub sessions: usize,
}

/// What a deadline-hour mix measured, for the capacity arithmetic.
pub struct Measured {
    pub nochange_rate: f64,
    pub mix_rate: f64,
    pub login_rate: f64,
}

struct User {
    nip: String,
    token: String,
    cursor: String,
    next: Instant,
    seq: i64,
    /// The mutation and proposal ids of a push that was shed, sent again with the same ids.
    pending: Option<(String, String)>,
}

#[derive(Default)]
struct Tally {
    nochange: Vec<Duration>,
    changes: Vec<Duration>,
    pushes: Vec<Duration>,
    changes_rows: usize,
    shed: usize,
    errors: usize,
    last_error: Option<String>,
}

impl Tally {
    fn merge(&mut self, o: Tally) {
        self.nochange.extend(o.nochange);
        self.changes.extend(o.changes);
        self.pushes.extend(o.pushes);
        self.changes_rows += o.changes_rows;
        self.shed += o.shed;
        self.errors += o.errors;
        if o.last_error.is_some() {
            self.last_error = o.last_error;
        }
    }

    fn requests(&self) -> usize {
        self.nochange.len() + self.changes.len() + self.pushes.len()
    }
}

pub async fn run(s: &Sizes, backend: Backend, shared: &Shared) -> anyhow::Result<(Vec<Figure>, Measured)> {
    let dir = tempfile::tempdir()?;
    let pb = bar(s.users as u64, "seed --asn");
    let (env, report) = ServerEnv::start_generated(backend, dir.path(), s.users, s.instansi, pb).await?;
    eprintln!(
        "P7 distinct users on {}: seeded {} ASN in {:.1} s",
        backend.name(),
        report.asn,
        report.elapsed.as_secs_f64()
    );
    let result = measure(s, backend, &env, shared).await;
    env.finish().await;
    result
}

async fn measure(
    s: &Sizes,
    backend: Backend,
    env: &ServerEnv,
    shared: &Shared,
) -> anyhow::Result<(Vec<Figure>, Measured)> {
    let base = env.url();
    let pool = db::connect(&env.database_url).await?;
    let nips: Vec<String> =
        sqlx::query_scalar(&format!("SELECT nip FROM users WHERE roles = 'asn' ORDER BY nip LIMIT {}", s.users))
            .fetch_all(&pool)
            .await?;
    ensure!(nips.len() >= s.workers, "only {} plain ASN generated", nips.len());
    let version: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM change_log").fetch_one(&pool).await?;

    // Real logins first, on an idle server: the figure for the login share of the capacity.
    let logins = measure_logins(s, &base, &nips[..s.logins.min(nips.len())]).await?;

    // Every user's session, issued by the server's own `session::start` (what a login does after the password
    // check), in transactions of 500: a login each would cost argon2 × users before the timed part.
    let ttls = {
        let c = mysapk_server::Config::for_database(env.database_url.clone());
        mysapk_server::auth::Ttls {
            access: c.access_ttl,
            refresh: c.refresh_ttl,
            refresh_reuse_grace: c.refresh_reuse_grace,
            session_max: c.session_max,
            session_idle: c.session_idle,
        }
    };
    let pb = bar(nips.len() as u64, "sessions");
    let mut users = Vec::with_capacity(nips.len());
    for chunk in nips.chunks(500) {
        let mut rows = Vec::with_capacity(chunk.len());
        {
            let mut conn = pool.acquire().await?;
            for nip in chunk {
                rows.push(db::accounts::find_user(&mut conn, nip).await?.context("generated user")?);
            }
        }
        let mut tx = db::begin_write(&pool, &db::NoHook).await?;
        for row in &rows {
            let t = session::start(&mut tx, row, ttls, NewSession::default()).await?;
            users.push(User {
                nip: row.nip.clone(),
                token: t.access_token,
                cursor: version.to_string(),
                next: Instant::now(),
                seq: 0,
                pending: None,
            });
        }
        tx.commit().await?;
        pb.inc(chunk.len() as u64);
    }
    pb.finish_and_clear();
    let mut groups: Vec<Vec<User>> = (0..s.workers).map(|_| Vec::new()).collect();
    for (i, u) in users.into_iter().enumerate() {
        groups[i % s.workers].push(u);
    }

    let run_id = uuid::Uuid::new_v4().simple().to_string();
    let (alone, groups) = phase(s, &base, groups, false, &run_id).await?;
    ensure!(alone.errors == 0 && alone.shed == 0, "no-change phase: {} errors, {} shed", alone.errors, alone.shed);
    ensure!(alone.changes.is_empty(), "no-change phase: {} pulls brought changes", alone.changes.len());
    let alone_rate = alone.requests() as f64 / s.seconds;

    // The writer: history records for random users at WRITER_SHARE of the no-change rate, one transaction
    // every 100 ms.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let pool = pool.clone();
        let nips = nips.clone();
        let per_second = WRITER_SHARE * alone_rate;
        tokio::spawn(async move {
            let mut written = 0usize;
            let mut owed = 0.0f64;
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            while !stop.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(100)).await;
                owed += per_second / 10.0;
                let n = owed.floor() as usize;
                owed -= n as f64;
                if n == 0 {
                    continue;
                }
                let mut tx = db::begin_write(&pool, &db::NoHook).await?;
                for _ in 0..n {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    let nip = &nips[(x % nips.len() as u64) as usize];
                    let record = history_record(written);
                    db::records::put_history(&mut tx, nip, &record).await?;
                    db::log_change(&mut tx, Some(nip), db::ENTITY_HISTORY, &record.id).await?;
                    written += 1;
                }
                tx.commit().await?;
            }
            anyhow::Ok(written)
        })
    };
    let mixed = phase(s, &base, groups, true, &run_id).await;
    stop.store(true, Ordering::SeqCst);
    let written = writer.await??;
    let (mix, _) = mixed?;
    pool.close().await;
    ensure!(mix.errors == 0, "mix phase: {} errors (last: {:?})", mix.errors, mix.last_error);
    let mix_rate = mix.requests() as f64 / s.seconds;

    let name = backend.name();
    let capped = alone_rate >= 0.9 * s.offered();
    let common = format!(
        "{} generated ASN (`seed --asn {} --instansi {}`), each its own session, carried by {} connections \
         (one task and keep-alive connection each, {} users per connection); a user is pulled at most once per \
         {:.1} s (compressed from the app's 15 s, still past both caches' TTL), so the users can ask for at most \
         {:.0} pulls/s{}. Each phase {:.1} s after a 0.5 s warm-up.",
        nips.len(),
        nips.len(),
        s.instansi,
        s.workers,
        nips.len().div_ceil(s.workers),
        s.revisit.as_secs_f64(),
        s.offered(),
        if capped { " — reached: the figure is the users' ceiling, the server could do more" } else { "" },
        s.seconds,
    );
    let p = |v: &[Duration], q: f64| percentile(v, q);
    let shared_name = format!("P7 shared sessions ({} devices, {} sessions)", shared.devices, shared.sessions);
    let mix_setup = format!(
        "{common} Mix: before one turn in {PUSH_EVERY} the user pushes one proposal (an organisasi record; \
         `POST /api/v1/sync/push`), and the pull that follows brings its echo; a writer in the bench commits \
         history records of random users through the server's storage functions ({written} records, one \
         transaction per 100 ms) so that about {:.0} % of the other pulls bring changes. Measured: {} no-change \
         pulls, {} pulls with changes ({:.1} changes each on average), {} pushes, {} pushes shed with 503 \
         (retryable), 0 errors. Deadline-hour shares (CAPACITY.md §2): 83.6 % / 11.5 % / 4.9 %; here {:.1} % / \
         {:.1} % / {:.1} %.",
        100.0 * WRITER_SHARE,
        mix.nochange.len(),
        mix.changes.len(),
        mix.changes_rows as f64 / mix.changes.len().max(1) as f64,
        mix.pushes.len(),
        mix.shed,
        100.0 * mix.nochange.len() as f64 / mix.requests().max(1) as f64,
        100.0 * mix.changes.len() as f64 / mix.requests().max(1) as f64,
        100.0 * mix.pushes.len() as f64 / mix.requests().max(1) as f64,
    );
    let login_setup = format!(
        "{} real logins (`POST /api/v1/auth/login`, Argon2id as configured: `Argon2::default()`), {} at a time, \
         of distinct generated ASN, on the idle server before the other phases; the server's argon2 gate has \
         one permit per core.",
        logins.latencies.len(),
        s.login_pool
    );
    let figures = vec![
        Figure {
            id: "P7u",
            name: format!("{name}: no-change syncs of {} distinct users: throughput", nips.len()),
            command: String::new(),
            setup: common.clone(),
            goal: "≥ 5,000 req/s (P7's goal)".into(),
            measured: format!("{alone_rate:.0} req/s"),
            baseline: format!("{shared_name}: {:.0} req/s", shared.rate),
            ratio: format!("{:.2}× of shared sessions", alone_rate / shared.rate.max(1e-9)),
            met: Some(alone_rate >= 5_000.0),
        },
        Figure {
            id: "P7u",
            name: format!("{name}: no-change sync of distinct users: latency p50 / p99"),
            command: String::new(),
            setup: common.clone(),
            goal: "p99 ≤ 50 ms".into(),
            measured: format!("{} / {}", ms(p(&alone.nochange, 50.0)), ms(p(&alone.nochange, 99.0))),
            baseline: format!("shared sessions {} / {}", ms(shared.p50), ms(shared.p99)),
            ratio: format!("p99 {}", ratio(p(&alone.nochange, 99.0).as_secs_f64(), shared.p99.as_secs_f64())),
            met: Some(p(&alone.nochange, 99.0) <= Duration::from_millis(50)),
        },
        Figure {
            id: "P7m",
            name: format!("{name}: deadline-hour mix of distinct users: requests/s"),
            command: String::new(),
            setup: mix_setup.clone(),
            goal: "measured (the capacity's unit)".into(),
            measured: format!(
                "{mix_rate:.0} req/s ({:.0} no-change, {:.0} with changes, {:.0} pushes)",
                mix.nochange.len() as f64 / s.seconds,
                mix.changes.len() as f64 / s.seconds,
                mix.pushes.len() as f64 / s.seconds
            ),
            baseline: format!("no-change alone {alone_rate:.0} req/s"),
            ratio: format!("{:.2}×", mix_rate / alone_rate.max(1e-9)),
            met: None,
        },
        Figure {
            id: "P7m",
            name: format!("{name}: in the mix, pull with changes / push: p50 / p99"),
            command: String::new(),
            setup: mix_setup,
            goal: "measured".into(),
            measured: format!(
                "{} / {} · push {} / {}",
                ms(p(&mix.changes, 50.0)),
                ms(p(&mix.changes, 99.0)),
                ms(p(&mix.pushes, 50.0)),
                ms(p(&mix.pushes, 99.0))
            ),
            baseline: format!(
                "no-change pull in the mix {} / {}",
                ms(p(&mix.nochange, 50.0)),
                ms(p(&mix.nochange, 99.0))
            ),
            ratio: format!(
                "p50 {} (changes) · {} (push)",
                ratio(p(&mix.changes, 50.0).as_secs_f64(), p(&mix.nochange, 50.0).as_secs_f64()),
                ratio(p(&mix.pushes, 50.0).as_secs_f64(), p(&mix.nochange, 50.0).as_secs_f64())
            ),
            met: None,
        },
        Figure {
            id: "P7l",
            name: format!("{name}: logins: throughput, p50 / p99"),
            command: String::new(),
            setup: login_setup,
            goal: "measured".into(),
            measured: format!(
                "{:.1} logins/s, {} / {}",
                logins.rate(),
                ms(p(&logins.latencies, 50.0)),
                ms(p(&logins.latencies, 99.0))
            ),
            baseline: format!("no-change sync alone {alone_rate:.0} req/s"),
            ratio: format!("1 login ≈ {:.0} no-change syncs", alone_rate / logins.rate().max(1e-9)),
            met: None,
        },
    ];
    Ok((figures, Measured { nochange_rate: alone_rate, mix_rate, login_rate: logins.rate() }))
}

struct Logins {
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Logins {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

async fn measure_logins(s: &Sizes, base: &str, nips: &[String]) -> anyhow::Result<Logins> {
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let nips: Arc<Vec<String>> = Arc::new(nips.to_vec());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..s.login_pool {
        let (next, nips, base) = (next.clone(), nips.clone(), base.to_owned());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut lat = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(nip) = nips.get(i) else { break };
                let t = Instant::now();
                fixtures::login(&client, &base, nip).await?;
                lat.push(t.elapsed());
            }
            anyhow::Ok(lat)
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await??);
    }
    Ok(Logins { latencies, elapsed: started.elapsed() })
}

/// One timed phase: every worker goes round its users, each no sooner than its `next`; with `mix`, a push
/// before one turn in [`PUSH_EVERY`]. Gives the users back (their cursors moved) for the next phase.
async fn phase(
    s: &Sizes,
    base: &str,
    groups: Vec<Vec<User>>,
    mix: bool,
    run_id: &str,
) -> anyhow::Result<(Tally, Vec<Vec<User>>)> {
    let label = if mix { "deadline mix" } else { "distinct no-change" };
    let pb = bar((s.seconds * 10.0) as u64, label);
    let warm = Instant::now() + Duration::from_millis(500);
    let end = warm + Duration::from_secs_f64(s.seconds);
    let revisit = s.revisit;
    let mut tasks = Vec::new();
    for (w, mut users) in groups.into_iter().enumerate() {
        let sync = format!("{base}/api/v1/sync");
        let push = format!("{base}/api/v1/sync/push");
        let run_id = run_id.to_owned();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut tally = Tally::default();
            let mut turn = w as u64;
            let mut i = 0;
            let n = users.len();
            'rounds: loop {
                let u = &mut users[i];
                i = (i + 1) % n;
                if u.next > Instant::now() {
                    tokio::time::sleep_until(u.next.min(end).into()).await;
                }
                if Instant::now() >= end {
                    break 'rounds;
                }
                u.next = Instant::now() + revisit;
                turn += 1;
                if mix && turn.is_multiple_of(PUSH_EVERY) {
                    if u.pending.is_none() {
                        u.seq += 1;
                        u.pending = Some((uuid::Uuid::new_v4().to_string(), uuid::Uuid::new_v4().to_string()));
                    }
                    let t = Instant::now();
                    match push_one(&client, &push, &run_id, u).await {
                        Ok(Some(())) => {
                            u.pending = None;
                            if t >= warm {
                                tally.pushes.push(t.elapsed());
                            }
                        }
                        Ok(None) => {
                            // Shed (503): the same mutation is sent again on a later turn, as the app does.
                            if t >= warm {
                                tally.shed += 1;
                            }
                        }
                        Err(e) => {
                            tally.errors += 1;
                            tally.last_error = Some(format!("{e:#}"));
                        }
                    }
                }
                let t = Instant::now();
                let res = async {
                    let page: PullResponse = client
                        .get(&sync)
                        .query(&[("cursor", u.cursor.as_str()), ("limit", "500")])
                        .bearer_auth(&u.token)
                        .send()
                        .await?
                        .error_for_status()?
                        .json()
                        .await?;
                    anyhow::Ok(page)
                }
                .await;
                let took = t.elapsed();
                match res {
                    Ok(page) => {
                        if t >= warm {
                            if page.changes.is_empty() {
                                tally.nochange.push(took);
                            } else {
                                tally.changes.push(took);
                                tally.changes_rows += page.changes.len();
                            }
                        }
                        u.cursor = page.cursor;
                    }
                    Err(e) => {
                        tally.errors += 1;
                        tally.last_error = Some(format!("{e:#}"));
                    }
                }
            }
            (tally, users)
        }));
    }
    let ticker = {
        let pb = pb.clone();
        tokio::spawn(async move {
            while Instant::now() < end {
                tokio::time::sleep(Duration::from_millis(100)).await;
                pb.inc(1);
            }
        })
    };
    let mut tally = Tally::default();
    let mut groups = Vec::new();
    for t in tasks {
        let (t, users) = t.await?;
        tally.merge(t);
        groups.push(users);
    }
    ticker.abort();
    pb.finish_and_clear();
    Ok((tally, groups))
}

/// Push one proposal of `u` (sequence `u.seq` of this run's device). `Ok(None)`: shed with 503.
async fn push_one(client: &reqwest::Client, url: &str, run_id: &str, u: &User) -> anyhow::Result<Option<()>> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN) + chrono::Duration::days(u.seq);
    let (mutation_id, usulan_id) = u.pending.clone().context("no pending push")?;
    let push = PushRequest {
        device_id: format!("p7-{run_id}-{}", u.nip),
        mutations: vec![Mutation {
            id: mutation_id,
            seq: u.seq,
            op: MutationOp::Propose {
                usulan_id,
                action: UsulanAction::AddHistory {
                    data: HistoryData::Organisasi(Organisasi {
                        nama_organisasi: "Koperasi Pegawai".into(),
                        jabatan_organisasi: format!("Anggota {}", u.seq),
                        tanggal_mulai: start,
                        tanggal_selesai: None,
                    }),
                },
                documents: Vec::new(),
            },
        }],
    };
    let res = client.post(url).bearer_auth(&u.token).json(&push).send().await?;
    if res.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE {
        let _ = res.bytes().await;
        return Ok(None);
    }
    let res: PushResponse = res.error_for_status()?.json().await?;
    let outcome = res.results.first().map(|r| &r.outcome);
    ensure!(
        matches!(outcome, Some(MutationOutcome::Applied | MutationOutcome::AlreadyProcessed)),
        "the proposal of {} was not applied: {outcome:?}",
        u.nip
    );
    Ok(Some(()))
}
