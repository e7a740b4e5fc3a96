//! `chaos-device <data_dir> <server_url> <nip> <password> <proposals> <sync_every>`: a device (the client
//! core) in its own process, so a fault test can kill it with SIGKILL at any moment.
//!
//! It logs in (the keystore is the in-memory mock, so each run logs in again), then saves `proposals`
//! proposals, syncing after every `sync_every`, and prints one line per step on stdout:
//! `ready`, `saved <usulan_id> <marker>` (only after the save has committed), `synced <pending>` or
//! `sync_failed <code>`, and `done` at the end. The marker (see `mysapk_chaos::proposals`) is unique
//! per proposal.

use std::io::Write;

use mysapk_chaos::proposals::proposal;
use mysapk_core::{Core, CoreConfig};

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [data_dir, url, nip, password, proposals, sync_every] = args.as_slice() else {
        eprintln!("usage: chaos-device <data_dir> <server_url> <nip> <password> <proposals> <sync_every>");
        std::process::exit(2);
    };
    let proposals: u64 = proposals.parse()?;
    let sync_every: u64 = sync_every.parse::<u64>()?.max(1);
    mysapk_core::secrets::use_mock_store_for_tests();
    let core = Core::open(CoreConfig::new(data_dir, url.clone()))?;
    loop {
        match core.login(nip, password).await {
            Ok(_) => break,
            Err(e) => {
                say(&format!("login_failed {}", e.code()));
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    }
    say("ready");
    let seed = uuid::Uuid::new_v4().as_u128() as u64;
    for i in 0..proposals {
        let marker = format!("CHAOS-{}", uuid::Uuid::new_v4().simple());
        let saved = core.propose(proposal(seed.wrapping_add(i), &marker), Vec::new())?;
        say(&format!("saved {} {marker}", saved.id));
        if (i + 1) % sync_every == 0 {
            match core.sync_now().await {
                Ok(s) => say(&format!("synced {}", s.pending)),
                Err(e) => say(&format!("sync_failed {}", e.code())),
            }
        }
    }
    match core.sync_now().await {
        Ok(s) => say(&format!("synced {}", s.pending)),
        Err(e) => say(&format!("sync_failed {}", e.code())),
    }
    say("done");
    Ok(())
}
