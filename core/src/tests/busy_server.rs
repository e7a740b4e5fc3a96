//! A server under more load than it takes: it answers only part of a push, or sheds the push with 503 and
//! `Retry-After`. Nothing is lost or sent twice, and the wait it asks for is kept.

use std::time::Duration;

use super::documents::core_at;
use super::mock_server::{self, lock};
use super::*;

fn propose_five(core: &Core) {
    for code in ["31", "32", "33", "31", "32"] {
        propose(core, UsulanAction::AddHistory { data: golongan(code) }).expect("propose");
    }
}

#[tokio::test]
async fn a_push_answered_in_part_sends_the_rest_at_once_each_mutation_once() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    propose_five(&core);
    lock(&server).push_answers_at_most = Some(2);

    let status = core.sync_now().await.expect("sync");

    assert_eq!(status.pending, 0, "one sync sends everything");
    let seqs: Vec<i64> = lock(&server).pushed.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4, 5], "each mutation pushed once, in order");
    let states: Vec<UsulanState> = core.beranda().expect("beranda").usulan.iter().map(|u| u.state).collect();
    assert_eq!(states, [UsulanState::Submitted; 5]);
}

#[tokio::test]
async fn a_shed_push_keeps_the_outbox_and_the_wait_the_server_asks_for() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    propose_five(&core);
    lock(&server).busy_pushes = 1;

    let err = core.sync_now().await.expect_err("shed");
    assert_eq!(err.code(), "server.unavailable");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(core.status().pending, 5, "nothing dropped");
    let not_before = account(&core).store.read(outbox::not_before).expect("read").expect("a not-before is kept");
    assert!(not_before > Utc::now() + chrono::Duration::seconds(2), "the loop waits as asked: {not_before}");

    let status = core.sync_now().await.expect("sync once the server has room");
    assert_eq!(status.pending, 0);
    assert_eq!(lock(&server).pushed.len(), 5, "each mutation pushed once");
}
