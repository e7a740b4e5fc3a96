//! `mysapk-bench`: measures the device core and the server against the project's performance goals, each
//! figure beside a baseline measured in the same run, and writes `docs/BENCHMARKS.md`.
//!
//! | module | concern |
//! | --- | --- |
//! | `device` | P1 propose, P2 start-up, P3 (in `p3`), P3e first sync from the real server, P4 no-change sync, P6 sending the queue |
//! | `server` | P7 concurrent no-change syncs on SQLite and PostgreSQL, healthz as the ceiling |
//! | `distinct` | P7 with distinct users (own ASN and session each), the deadline-hour mix (pulls with changes, pushes), logins |
//! | `fixtures` | the in-process server, bulk seeding, the stub sync server |
//! | `p3` | P3 first sync applied on the device against the bare rusqlite ceiling, plain and encrypted |
//! | `p5` | P5 first full sync over a slow link vs a per-resource SIASN-style client |
//! | `p8` | P8 scale: latency on a 1,000,000-ASN PostgreSQL database beside a 10,000-ASN one |
//! | `p9` | P9 the desktop app: stripped size, memory after login, launch → cached beranda (under Xvfb) |
//! | `proxy` | the counting TCP proxy |
//! | `report` | figures and the markdown file |
//! | `safety` | S1–S3 the price of safety: syncs and new connections over HTTPS vs plain HTTP, a login vs healthz |
//! | `stats` | percentiles, bytes written |

mod device;
mod distinct;
mod fixtures;
mod p3;
mod p5;
mod p8;
mod p9;
mod proxy;
mod report;
mod safety;
mod server;
mod stats;

use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Suite {
    Device,
    Server,
    /// P5: first full sync over a slow link vs a per-resource client of the SIASN-shaped facade.
    P5,
    /// P8: sync and proposal latency on 1,000,000 generated ASN beside 10,000 (seeds PostgreSQL once: ~25 min).
    P8,
    /// P9: the release desktop app: size, memory, launch to the cached beranda (needs a display: see p9.rs).
    P9,
    /// S1–S3: the price of TLS on syncs and new connections, and of a login (argon2, throttle) over a bare request.
    Safety,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Full,
    Quick,
}

/// Benchmarks of mysapk against its performance goals (writes docs/BENCHMARKS.md).
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    suite: Suite,
    /// Tiny sizes that only keep the harness working; writes to target/bench-quick/ instead of docs/.
    #[arg(long)]
    quick: bool,
    /// Write the markdown here instead.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn build_kind() -> &'static str {
    if cfg!(debug_assertions) {
        "debug build"
    } else {
        "release build"
    }
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn bar(len: u64, message: &'static str) -> ProgressBar {
    let pb = ProgressBar::new(len).with_message(message);
    if let Ok(style) = ProgressStyle::with_template("{msg:>22} [{bar:40}] {pos}/{len} {elapsed}") {
        pb.set_style(style.progress_chars("=> "));
    }
    pb
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let mode = if args.quick { Mode::Quick } else { Mode::Full };
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().map_or_else(|| manifest.clone(), PathBuf::from);
    let out = args.out.unwrap_or_else(|| match mode {
        Mode::Full => root.join("docs/BENCHMARKS.md"),
        Mode::Quick => root.join("target/bench-quick/BENCHMARKS.md"),
    });
    if cfg!(debug_assertions) && mode == Mode::Full {
        eprintln!("warning: a debug build; the figures are meaningful only with --release");
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async {
        if matches!(args.suite, Suite::Device | Suite::All) {
            let section = device::run(mode).await?;
            section.print_table();
            report::update(&out, &section)?;
        }
        if matches!(args.suite, Suite::Server | Suite::All) {
            let section = server::run(mode).await?;
            section.print_table();
            report::update(&out, &section)?;
        }
        if matches!(args.suite, Suite::P5 | Suite::All) {
            let section = p5::run(mode).await?;
            section.print_table();
            report::update(&out, &section)?;
        }
        if matches!(args.suite, Suite::Safety | Suite::All) {
            let section = safety::run(mode).await?;
            section.print_table();
            report::update(&out, &section)?;
        }
        if args.suite == Suite::P8 {
            let section = p8::run(mode).await?;
            section.print_table();
            report::update(&out, &section)?;
        }
        if args.suite == Suite::P9 {
            let section = p9::run(mode).await?;
            section.print_table();
            report::update(&out, &section)?;
        }
        eprintln!("wrote {}", out.display());
        anyhow::Ok(())
    })
}
