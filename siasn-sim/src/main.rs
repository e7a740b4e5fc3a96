//! `mysapk-siasn-sim serve`: a SIASN simulator on an address, for demos and manual tests.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use mysapk_siasn_sim::{ApimClient, Generate, SimConfig, Simulator, SsoUser};

#[derive(Parser)]
#[command(
    name = "mysapk-siasn-sim",
    about = "A SIASN simulator: APIM and SSO tokens, rate limit, reads, writes, uploads"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serves the simulator until Ctrl-C.
    Serve(Serve),
}

#[derive(clap::Args)]
struct Serve {
    #[arg(long, default_value = "127.0.0.1:8243")]
    addr: SocketAddr,
    /// How many ASN to generate.
    #[arg(long, default_value_t = 0)]
    people: usize,
    /// Their agency (SIASN instansi id; default: Kementerian Dalam Negeri).
    #[arg(long, default_value = "A5EB03E23BF3F6A0E040640A040252AD")]
    instansi: String,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Keep the data in this JSON file (read at start, written at Ctrl-C).
    #[arg(long)]
    data_file: Option<PathBuf>,
    /// Least time between two accepted calls of one integrator, in milliseconds (0: no limit).
    #[arg(long, env = "MYSAPK_SIASN_MIN_INTERVAL_MS", default_value_t = 800)]
    min_interval_ms: u64,
    #[arg(long, default_value_t = 3600)]
    apim_token_secs: u64,
    #[arg(long, default_value_t = 43200)]
    sso_token_secs: u64,
    #[arg(long, env = "MYSAPK_SIASN_APIM_KEY", default_value = SimConfig::TEST_APIM_KEY)]
    apim_key: String,
    #[arg(long, env = "MYSAPK_SIASN_APIM_SECRET", default_value = SimConfig::TEST_APIM_SECRET, hide_env_values = true)]
    apim_secret: String,
    #[arg(long, env = "MYSAPK_SIASN_SSO_CLIENT_ID", default_value = SimConfig::TEST_SSO_CLIENT_ID)]
    sso_client_id: String,
    #[arg(long, env = "MYSAPK_SIASN_SSO_USERNAME", default_value = SimConfig::TEST_SSO_USERNAME)]
    sso_username: String,
    #[arg(long, env = "MYSAPK_SIASN_SSO_PASSWORD", default_value = SimConfig::TEST_SSO_PASSWORD, hide_env_values = true)]
    sso_password: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    let Command::Serve(args) = Cli::parse().command;
    let config = SimConfig {
        apim_clients: vec![ApimClient { key: args.apim_key, secret: args.apim_secret }],
        sso_client_id: args.sso_client_id,
        sso_users: vec![SsoUser { username: args.sso_username, password: args.sso_password }],
        apim_token_lifetime: Duration::from_secs(args.apim_token_secs),
        sso_token_lifetime: Duration::from_secs(args.sso_token_secs),
        min_interval: Duration::from_millis(args.min_interval_ms),
        generate: (args.people > 0).then_some(Generate {
            instansi_id: args.instansi,
            count: args.people,
            seed: args.seed,
        }),
        data_file: args.data_file,
    };
    let sim = match Simulator::start_on(config, args.addr).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("mysapk-siasn-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("SIASN simulator");
    println!("  MYSAPK_SIASN_BASE_URL={}", sim.base_url());
    println!("  APIM token: {}", sim.apim_token_url());
    println!("  MYSAPK_SIASN_SSO_URL={}", sim.sso_url());
    println!("  people: {}", sim.data().people().len());
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("mysapk-siasn-sim: {e}");
    }
    let saved = sim.save_data();
    sim.stop().await;
    match saved {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mysapk-siasn-sim: {e}");
            ExitCode::FAILURE
        }
    }
}
