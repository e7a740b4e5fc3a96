//! `chaos-server <database_url> <addr> [access_ttl_secs]`: the mysapk server in its own process, so a fault
//! test can kill it with SIGKILL. The database must be seeded already. Prints `listening <addr>` when ready.

use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(database_url), Some(addr)) = (args.next(), args.next()) else {
        eprintln!("usage: chaos-server <database_url> <addr> [access_ttl_secs]");
        std::process::exit(2);
    };
    let mut config = mysapk_server::Config::for_database(database_url);
    config.addr = addr.parse()?;
    config.mfa_required = mysapk_server::config::MfaPolicy::None;
    if let Some(ttl) = args.next() {
        config.access_ttl = Duration::from_secs(ttl.parse()?);
    }
    let server = mysapk_server::start(config).await?;
    println!("listening {}", server.addr());
    server.wait().await;
    Ok(())
}
