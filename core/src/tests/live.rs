//! The nudge: a `changed` event on the server's event stream starts a pull at once (the periodic sync is 15 s
//! away); a broken stream reconnects; a server without the stream syncs as before.

use std::time::Duration;

use super::documents::core_at;
use super::mock_server::{self, lock, Shared};
use super::*;

/// Poll `f` every 20 ms for at most 5 s (a third of the sync period).
async fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !f() {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn has_record(core: &Core, id: &str) -> bool {
    account(core).store.read(|c| crate::store::records::history_by_id(c, id)).expect("read").is_some()
}

fn send_event(server: &Shared, version: u64) {
    let tx = lock(server).events.clone().expect("events");
    tx.send(version).expect("a stream is listening");
}

#[tokio::test]
async fn a_changed_event_pulls_at_once_and_a_broken_stream_reconnects() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let sync_loop = core.spawn_sync_loop();
    // The first sync; the event sent on connect (version 1) is covered by the cursor (1) once it has run.
    eventually("stream open and a pull", || {
        let s = lock(&server);
        s.event_connections == 1 && s.pulls >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pulls = lock(&server).pulls;
    send_event(&server, 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(lock(&server).pulls, pulls, "a version already pulled starts no sync");

    lock(&server).pull_changes = vec![Change::History { record: record("sse-1", "32", None) }];
    send_event(&server, 2);
    eventually("the pushed change pulled", || has_record(&core, "sse-1")).await;
    assert_eq!(lock(&server).pulls, pulls + 1, "one pull per event");

    // The server drops every stream (a restart): the device reconnects with backoff and is nudged again.
    lock(&server).events = Some(tokio::sync::broadcast::channel(16).0);
    eventually("stream reopened", || lock(&server).event_connections == 2).await;
    lock(&server).pull_changes = vec![Change::History { record: record("sse-2", "33", None) }];
    tokio::time::sleep(Duration::from_millis(100)).await;
    send_event(&server, 3);
    eventually("the second change pulled", || has_record(&core, "sse-2")).await;
    assert_eq!(core.status().last_error, None);
    sync_loop.abort();
}

#[tokio::test]
async fn a_server_without_the_stream_still_syncs() {
    let (url, server) = mock_server::start().await;
    lock(&server).no_events = true;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let sync_loop = core.spawn_sync_loop();
    eventually("first sync", || lock(&server).pulls >= 1).await;
    eventually("idle", || core.status().phase == SyncPhase::Idle).await;
    // A local write still nudges the loop.
    lock(&server).pull_changes = vec![Change::History { record: record("no-sse", "32", None) }];
    core.mark_read("missing").expect_err("no such notification");
    core.withdraw("missing").expect_err("no such proposal");
    core.nudge.notify_one();
    eventually("nudged pull", || has_record(&core, "no-sse")).await;
    assert_eq!(lock(&server).event_connections, 0);
    assert_eq!(core.status().last_error, None);
    sync_loop.abort();
}

/// On a phone the app in the background holds no stream: `pause` closes it at once, `resume` reopens it and the
/// nudges work again.
#[tokio::test]
async fn a_paused_app_holds_no_stream_and_reopens_it_on_resume() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let sync_loop = core.spawn_sync_loop();
    let listening = |s: &Shared| lock(s).events.as_ref().map_or(0, tokio::sync::broadcast::Sender::receiver_count);
    eventually("stream open", || lock(&server).event_connections == 1 && listening(&server) == 1).await;
    assert!(core.in_foreground());

    core.pause();
    assert!(!core.in_foreground());
    eventually("stream closed", || listening(&server) == 0).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(lock(&server).event_connections, 1, "no new stream while paused");

    core.resume();
    eventually("stream reopened", || lock(&server).event_connections == 2 && listening(&server) == 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    lock(&server).pull_changes = vec![Change::History { record: record("resumed-1", "32", None) }];
    send_event(&server, 5);
    eventually("the change pulled after the resume", || has_record(&core, "resumed-1")).await;
    sync_loop.abort();
}
