//! `mysapk-server siasn …`: SIASN, the national system of record (settings `MYSAPK_SIASN_*`, docs/DEPLOY.md).

use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;
use mysapk_server::db::NoHook;
use mysapk_server::ServerError;

use crate::progress::progress_bar;

#[derive(Subcommand)]
pub enum SiasnCmd {
    /// Import official records from SIASN: written only where they differ, sent to the devices on their next
    /// pull. An interrupted import of the same NIPs or agency resumes where it stopped; a NIP that fails is
    /// reported and the import goes on.
    Import {
        /// A NIP to import (repeatable).
        #[arg(long = "nip", required_unless_present_any = ["instansi", "nip_file"])]
        nips: Vec<String>,
        /// The agency: every NIP of it mysapk holds, and those of --nip-file.
        #[arg(long, conflicts_with = "nips")]
        instansi: Option<String>,
        /// NIPs to import: one per line, or a CSV with a `nip_baru` column (SIASN's employee export).
        #[arg(long)]
        nip_file: Option<PathBuf>,
    },
}

/// The NIPs of a file: one per line, or the `nip_baru` column of a CSV with a header.
fn read_nip_file(path: &std::path::Path) -> Result<Vec<String>, ServerError> {
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else { return Ok(Vec::new()) };
    let columns: Vec<&str> = first.split(',').map(|c| c.trim().trim_matches('"')).collect();
    match columns.iter().position(|c| c.eq_ignore_ascii_case("nip_baru") || c.eq_ignore_ascii_case("nip")) {
        Some(i) => {
            Ok(lines.filter_map(|l| l.split(',').nth(i)).map(|n| n.trim().trim_matches('"').to_owned()).collect())
        }
        None => Ok(std::iter::once(first)
            .chain(lines)
            .map(|l| l.split(',').next().unwrap_or(l).trim().to_owned())
            .collect()),
    }
}

fn client() -> Result<mysapk_server::siasn::SiasnClient, ServerError> {
    let config = mysapk_server::siasn::SiasnConfig::from_env()
        .map_err(|e| ServerError::Config(e.to_string()))?
        .ok_or_else(|| ServerError::Config("MYSAPK_SIASN_BASE_URL is not set: see docs/DEPLOY.md, \"SIASN\"".into()))?;
    mysapk_server::siasn::SiasnClient::new(config).map_err(|e| ServerError::Config(e.to_string()))
}

pub async fn import(
    database_url: &str,
    nips: Vec<String>,
    instansi: Option<String>,
    nip_file: Option<PathBuf>,
) -> Result<(), ServerError> {
    use mysapk_server::siasn::import::ImportTarget;
    let client = client()?;
    let mut extra = Vec::new();
    if let Some(file) = &nip_file {
        extra = read_nip_file(file)?;
    }
    let target = match instansi {
        Some(id) => ImportTarget::Instansi { id, extra },
        None => ImportTarget::Nips(nips.into_iter().chain(extra).collect()),
    };
    let pool = mysapk_server::db::connect(database_url).await?;
    let (bar, progress) =
        progress_bar("{elapsed_precise} [{bar:40}] {human_pos}/{human_len} NIP, {per_sec}, ETA {eta}");
    bar.enable_steady_tick(Duration::from_millis(500));
    let result = mysapk_server::siasn::import::import(&pool, &NoHook, &client, &target, &progress).await;
    bar.finish_and_clear();
    pool.close().await;
    let r = result?;
    for f in &r.failed {
        eprintln!("{} {}: {}", f.nip, f.code, f.message);
    }
    println!(
        "{} NIP(s){}: {} imported, {} unchanged, {} failed; {} record(s) written",
        r.total,
        if r.resumed { " (resumed)" } else { "" },
        r.imported,
        r.unchanged,
        r.failed.len(),
        r.changes
    );
    if let Some(stop) = r.stopped {
        return Err(ServerError::Config(format!(
            "stopped at {} ({}): {}; run the same import again to resume",
            stop.nip, stop.code, stop.message
        )));
    }
    Ok(())
}
