//! `mysapk-server`: serve, seed demo data, or run migrations.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use mysapk_server::config::{DEFAULT_DATABASE_URL, DEFAULT_REFERENCE_DIR};
use mysapk_server::{Config, ServerError};

#[derive(Parser)]
#[command(name = "mysapk-server", version, about = "The mysapk reference server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Common {
    /// `sqlite://<path>` or `postgres://…`
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    /// Directory of the SIASN reference JSON tables.
    #[arg(long, env = "MYSAPK_REFERENCE_DIR", default_value = DEFAULT_REFERENCE_DIR, global = true)]
    reference_dir: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        #[arg(long, env = "MYSAPK_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Access-token lifetime in seconds.
        #[arg(long, env = "MYSAPK_ACCESS_TTL_SECS")]
        access_ttl_secs: Option<u64>,
        #[command(flatten)]
        common: Common,
    },
    /// Seed data.
    Seed {
        /// The demo agencies, accounts and records (idempotent).
        #[arg(long, required = true)]
        demo: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Re-import the catalogs from the reference tables (only changed catalogs are written and synced).
    ImportCatalogs {
        #[command(flatten)]
        common: Common,
    },
    /// Run the database migrations.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "failed");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<(), ServerError> {
    match command {
        Command::Serve { addr, access_ttl_secs, common } => {
            let mut config = Config::for_database(common.database_url);
            config.addr = addr;
            config.reference_dir = common.reference_dir;
            if let Some(secs) = access_ttl_secs {
                config.access_ttl = Duration::from_secs(secs);
            }
            let server = mysapk_server::start(config).await?;
            println!("mysapk-server listening on http://{}", server.addr());
            shutdown_signal().await?;
            tracing::info!("shutting down");
            server.shutdown().await;
            Ok(())
        }
        Command::Seed { demo: _, common } => {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            let report =
                mysapk_server::seed::seed_demo_with_progress(&common.database_url, &common.reference_dir, bar).await?;
            if report.created {
                println!(
                    "seeded {} accounts, {} history records, {} catalogs (password: {})",
                    report.accounts,
                    report.histories,
                    report.catalogs,
                    mysapk_server::seed::DEMO_PASSWORD
                );
            } else {
                println!("demo data already present: nothing to do");
            }
            Ok(())
        }
        Command::ImportCatalogs { common } => {
            let changed = mysapk_server::seed::import_catalogs(&common.database_url, &common.reference_dir).await?;
            println!("{changed} catalog(s) changed");
            Ok(())
        }
        Command::Migrate { common } => {
            let pool = mysapk_server::db::connect(&common.database_url).await?;
            pool.close().await;
            println!("migrations applied");
            Ok(())
        }
    }
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() -> Result<(), ServerError> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r?,
            _ = term.recv() => {}
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await?;
        Ok(())
    }
}
