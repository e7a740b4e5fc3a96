//! One request id per sync: every pull and push of one sync carries the same `X-Request-Id` (a UUID v7), the
//! next sync another, so the server's log lines of one sync can be found together.

use super::documents::core_at;
use super::mock_server::{self, lock};
use super::*;

#[tokio::test]
async fn the_pulls_and_pushes_of_one_sync_share_one_request_id() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    for code in ["31", "32", "33"] {
        propose(&core, UsulanAction::AddHistory { data: golongan(code) }).expect("propose");
    }
    // Two mutations per push: this sync takes two pushes, then a pull.
    lock(&server).push_answers_at_most = Some(2);

    core.sync_now().await.expect("sync");
    let first: Vec<Option<String>> = std::mem::take(&mut lock(&server).sync_request_ids);
    assert_eq!(first.len(), 3, "two pushes and a pull: {first:?}");
    let id = first[0].clone().expect("an id is sent");
    assert!(first.iter().all(|i| i.as_deref() == Some(id.as_str())), "one id for the whole sync: {first:?}");
    assert_eq!(uuid::Uuid::parse_str(&id).expect("a UUID").get_version_num(), 7);

    core.sync_now().await.expect("a second sync");
    let second = std::mem::take(&mut lock(&server).sync_request_ids);
    assert!(!second.is_empty());
    assert!(second.iter().all(|i| i.is_some() && *i == second[0]), "{second:?}");
    assert_ne!(second[0].as_deref(), Some(id.as_str()), "each sync its own id");
}
