//! `mysapk-server siasn import`, the real binary (`CARGO_BIN_EXE_mysapk-server`) against a SIASN simulator started
//! by the test, configured only through `MYSAPK_SIASN_*` (docs/DEPLOY.md §8) on a fresh SQLite database: a NIP
//! SIASN holds and one it does not (exit code, the per-NIP report, the records written), a re-run that writes
//! nothing, refused credentials (a non-zero exit that says how to resume, then the resumed run) and no settings.

use std::process::{Command, Output};

use mysapk_siasn_sim::{SimConfig, Simulator};

const AGENCY: &str = "A5EB03E23CCCF6A0E040640A040252AD";
/// A valid NIP SIASN does not know.
const UNKNOWN: &str = "199901012024011001";

/// Run `mysapk-server siasn import ARGS` with only `env` (and the database) set; off the runtime's threads, which
/// serve the simulator meanwhile.
async fn import(db_url: &str, env: Vec<(&'static str, String)>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mysapk-server"));
    cmd.env_clear().args(["siasn", "import"]).args(args).env("DATABASE_URL", db_url).env("RUST_LOG", "warn");
    cmd.envs(env);
    tokio::task::spawn_blocking(move || cmd.output()).await.expect("joined").expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The summary line: `(imported, unchanged, failed, written, resumed)`.
fn summary(out: &Output) -> (u32, u32, u32, u32, bool) {
    let stdout = text(&out.stdout);
    let line = stdout.lines().find(|l| l.contains(" NIP(s)")).unwrap_or_else(|| panic!("no summary: {stdout}"));
    let numbers: Vec<u32> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().expect("a count"))
        .collect();
    assert_eq!(numbers.len(), 5, "{line}");
    (numbers[1], numbers[2], numbers[3], numbers[4], line.contains("(resumed)"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_command_reports_per_nip_and_writes_the_records() {
    let sim = Simulator::start(SimConfig::default().with_people(AGENCY, 1, 3)).await.expect("simulator");
    let person = sim.data().people().remove(0);
    let dir = tempfile::tempdir().expect("tempdir");
    let db_url = format!("sqlite://{}", dir.path().join("mysapk.sqlite").display());
    let nips = ["--nip", person.nip.as_str(), "--nip", UNKNOWN];

    // One NIP imported, one not in SIASN: reported on its own line, the run still succeeds.
    let first = import(&db_url, sim.mysapk_env(), &nips).await;
    let stderr = text(&first.stderr);
    assert!(first.status.success(), "{first:?}");
    assert!(stderr.lines().any(|l| l.starts_with(&format!("{UNKNOWN} siasn.not_found: "))), "{stderr}");
    assert!(!stderr.contains(&format!("{} siasn.", person.nip)), "{stderr}");
    let (imported, unchanged, failed, written, resumed) = summary(&first);
    assert_eq!((imported, unchanged, failed, resumed), (1, 0, 1, false));
    assert!(text(&first.stdout).starts_with("2 NIP(s): "), "{first:?}");

    // What it wrote: the profile under SIASN's PNS id, an account without a password, every riwayat with SIASN's
    // id; nothing of the unknown NIP.
    let pool = mysapk_server::db::connect(&db_url).await.expect("database");
    let mut conn = pool.acquire().await.expect("connection");
    let profile =
        mysapk_server::db::records::get_profile(&mut conn, &person.nip).await.expect("read").expect("profile");
    assert_eq!((profile.siasn_pns_id.as_deref(), profile.instansi_id.as_str()), (Some(person.pns_id.as_str()), AGENCY));
    let user = mysapk_server::db::accounts::find_user(&mut conn, &person.nip).await.expect("read").expect("account");
    assert!(user.password_hash.is_empty(), "activated later with a reset code");
    let history = mysapk_server::db::records::list_history(&mut conn, &person.nip).await.expect("history");
    assert!(!history.is_empty() && history.iter().all(|r| r.siasn_id.is_some()), "{history:?}");
    assert_eq!(written as usize, 1 + history.len(), "the profile and each riwayat");
    assert!(mysapk_server::db::records::get_profile(&mut conn, UNKNOWN).await.expect("read").is_none());
    assert!(mysapk_server::db::accounts::find_user(&mut conn, UNKNOWN).await.expect("read").is_none());
    drop(conn);

    // The same NIPs again: nothing written.
    let again = import(&db_url, sim.mysapk_env(), &nips).await;
    assert!(again.status.success(), "{again:?}");
    assert_eq!(summary(&again), (0, 1, 1, 0, false));

    // Refused credentials: the run stops with a non-zero exit saying how to resume; the same command resumes.
    let mut wrong = sim.mysapk_env();
    wrong.retain(|(k, _)| *k != "MYSAPK_SIASN_APIM_SECRET");
    wrong.push(("MYSAPK_SIASN_APIM_SECRET", "not-the-secret".to_owned()));
    let stopped = import(&db_url, wrong, &nips).await;
    assert!(!stopped.status.success(), "{stopped:?}");
    assert!(text(&stopped.stderr).contains("run the same import again to resume"), "{stopped:?}");
    let resumed = import(&db_url, sim.mysapk_env(), &nips).await;
    assert!(resumed.status.success(), "{resumed:?}");
    assert_eq!(summary(&resumed), (0, 1, 1, 0, true));

    // No SIASN settings: a non-zero exit naming the setting, no run.
    let unset = import(&db_url, Vec::new(), &nips).await;
    assert!(!unset.status.success(), "{unset:?}");
    assert!(text(&unset.stderr).contains("MYSAPK_SIASN_BASE_URL is not set"), "{unset:?}");
    pool.close().await;
    sim.stop().await;
}
