//! End-to-end: the client core against the real server over loopback HTTP, each test on SQLite and on
//! PostgreSQL (a fresh database per test from `MYSAPK_TEST_PG_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`; the tests fail when it is unreachable).

mod admin;
mod at_rest;
mod backup;
mod card;
mod categories;
mod login;
mod mfa;
mod review;
mod sessions;
mod shutdown;
mod standing;
mod support;
mod transport;

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use mysapk_core::{Core, CoreEvent};
use mysapk_model::history::{HistoryData, HistoryKind};
use mysapk_model::sync::{Mutation, MutationOp, MutationOutcome, PushRequest};
use mysapk_model::usulan::{Decision, UsulanAction, UsulanState};
use mysapk_model::view::{Beranda, HistoryList, SyncPhase};
use support::{Backend, Bench, Raw, APPROVER, ASN, PASSWORD, VERIFIKATOR};

/// Run one scenario on both storage back ends of the server.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(super::Backend::Sqlite).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(super::Backend::Postgres).await;
            }
        }
    )*};
}

on_both_backends!(
    offline_proposal_is_reviewed_and_applied,
    crash_windows_neither_lose_nor_duplicate,
    rejected_proposal_does_not_block_the_next,
    sync_loop_recovers_when_the_server_returns,
    expired_token_is_refreshed_and_a_dead_session_needs_login,
    a_throttled_login_tells_the_device_how_long_to_wait,
);

use review::{losing_decision_comes_back_with_the_reason, offline_decision_is_sent_and_leaves_the_queue};

use categories::every_category_is_added_and_changed_with_documents;

use admin::{admin_manages_accounts_and_announces, new_account_is_activated_with_the_admins_code};
use at_rest::a_copy_of_the_data_directory_reveals_nothing;
use card::{a_card_is_checked_offline_with_the_cached_keys, an_admin_resets_a_users_second_factor};
use login::a_throttled_login_tells_the_device_how_long_to_wait;
use mfa::{a_privileged_account_must_enrol_before_it_syncs, mfa_is_enrolled_and_asked_for_at_every_login};
use sessions::{
    a_copied_refresh_token_ends_the_whole_session, ended_session_needs_login_and_keeps_the_outbox,
    logout_on_the_device_ends_its_server_session,
};
use shutdown::sigterm_during_pushes_loses_no_acknowledged_push;
use standing::standing_on_the_device_equals_the_servers;
use transport::{an_account_database_stays_with_its_server, the_device_trusts_an_agency_ca_given_as_an_extra_root};

on_both_backends!(sigterm_during_pushes_loses_no_acknowledged_push);

on_both_backends!(
    offline_decision_is_sent_and_leaves_the_queue,
    losing_decision_comes_back_with_the_reason,
    admin_manages_accounts_and_announces,
    new_account_is_activated_with_the_admins_code,
    every_category_is_added_and_changed_with_documents,
    standing_on_the_device_equals_the_servers,
    logout_on_the_device_ends_its_server_session,
    ended_session_needs_login_and_keeps_the_outbox,
    a_copied_refresh_token_ends_the_whole_session,
    mfa_is_enrolled_and_asked_for_at_every_login,
    a_privileged_account_must_enrol_before_it_syncs,
    a_copy_of_the_data_directory_reveals_nothing,
    the_device_trusts_an_agency_ca_given_as_an_extra_root,
    an_account_database_stays_with_its_server,
    a_card_is_checked_offline_with_the_cached_keys,
    an_admin_resets_a_users_second_factor,
);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn golongan(id: &str, tmt: NaiveDate) -> HistoryData {
    HistoryData::Golongan(mysapk_model::history::Golongan {
        golongan_id: id.into(),
        tmt_golongan: tmt,
        sk_nomor: format!("KP-{id}"),
        sk_tanggal: tmt,
        jenis_kp_id: None,
        mk_tahun: None,
        mk_bulan: None,
    })
}

/// The golongan category's mandatory document (SK kenaikan pangkat), attached on `core` as a small PDF.
fn golongan_docs(core: &Core) -> Vec<mysapk_model::document::DocumentRef> {
    vec![core.attach_document("sk-kp.pdf", "x-sk-kp", SK_KP_PDF).expect("attach the SK KP")]
}

const SK_KP_PDF: &[u8] = b"%PDF-1.4\n% SK KP\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

fn add_golongan(id: &str, tmt: NaiveDate) -> UsulanAction {
    UsulanAction::AddHistory { data: golongan(id, tmt) }
}

fn golongan_list(b: &Beranda) -> &HistoryList {
    b.histories.iter().find(|h| h.kind == HistoryKind::Golongan).expect("golongan list")
}

fn state_of(core: &Core, id: &str) -> UsulanState {
    core.beranda().expect("beranda").usulan.iter().find(|u| u.id == id).map(|u| u.state).expect("usulan present")
}

async fn offline_proposal_is_reviewed_and_applied(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let core = bench.core("phone");
    let user = core.login(ASN, PASSWORD).await.expect("login");
    assert_eq!(user.nip, ASN);
    assert_eq!(core.session().map(|u| u.nip), Some(ASN.to_owned()));
    let b = core.beranda().expect("beranda");
    assert_eq!(b.profile.as_ref().map(|p| p.nip.as_str()), Some(ASN), "the first sync brought the record");
    assert!(!golongan_list(&b).items.is_empty());
    assert!(!b.catalogs.is_empty());
    assert_eq!(core.status().phase, SyncPhase::Idle);
    let wrong = mysapk_core::Core::login(&bench.core("other"), ASN, "not-the-password").await;
    assert_eq!(wrong.expect_err("wrong password").code(), "auth.invalid_credentials");

    // Offline: the proposal is queued and shown beside the record.
    bench.stop().await;
    let mut events = core.subscribe();
    let u = core.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&core)).expect("propose offline");
    assert_eq!(u.state, UsulanState::Queued);
    let err = core.sync_now().await.expect_err("the server is down");
    assert_eq!(err.code(), "network.unreachable");
    assert_eq!(core.status().phase, SyncPhase::Offline);
    assert_eq!(core.status().pending, 1);
    let b = core.beranda().expect("beranda");
    assert!(golongan_list(&b).pending_additions.iter().any(|p| p.id == u.id));

    // Back online: received.
    bench.start().await;
    let status = core.sync_now().await.expect("sync");
    assert_eq!(status.phase, SyncPhase::Idle);
    assert_eq!(status.pending, 0);
    assert_eq!(state_of(&core, &u.id), UsulanState::Submitted);

    // Decided by the reviewers.
    let verifikator = Raw::login(&bench.url(), VERIFIKATOR).await;
    assert!(verifikator.queue().await.items.iter().any(|i| i.usulan.id == u.id));
    assert_eq!(verifikator.decide(&u.id, Decision::Verify).await.state, UsulanState::Verified);
    let approver = Raw::login(&bench.url(), APPROVER).await;
    assert_eq!(approver.decide(&u.id, Decision::Approve).await.state, UsulanState::Approved);

    // Applied: the official record carries it, the overlay is gone, a notification arrived.
    core.sync_now().await.expect("sync after approval");
    let b = core.beranda().expect("beranda");
    let list = golongan_list(&b);
    assert!(list.items.iter().any(|i| i.record.last_usulan_id.as_deref() == Some(u.id.as_str())));
    assert!(list.pending_additions.is_empty(), "overlay dropped once applied");
    assert!(list.items.iter().all(|i| i.pending.is_empty()));
    assert_eq!(state_of(&core, &u.id), UsulanState::Approved);
    let inbox = core.inbox().expect("inbox");
    assert!(inbox
        .notifications
        .iter()
        .map(|i| &i.notification)
        .any(|n| n.usulan_id.as_deref() == Some(u.id.as_str()) && n.state == Some(UsulanState::Approved)));
    assert!(b.unread_notifications >= 1);
    let mut announced = false;
    while let Ok(e) = events.try_recv() {
        if let CoreEvent::NewNotifications(ns) = e {
            announced |= ns.iter().any(|n| n.usulan_id.as_deref() == Some(u.id.as_str()));
        }
    }
    assert!(announced, "NewNotifications announced the decision");

    // Marking it read reaches the server.
    let n = inbox.notifications.iter().map(|i| &i.notification).find(|n| !n.read).expect("an unread notification");
    core.mark_read(&n.id).expect("mark read");
    core.sync_now().await.expect("sync");
    assert_eq!(core.status().pending, 0);
    bench.finish().await;
}

/// The device's replica id and queued mutations, read straight from its encrypted database file with the key the
/// keystore holds for it (the test process's in-memory keystore).
fn read_outbox(db: &Path) -> (String, Vec<Mutation>) {
    let name = mysapk_core::secrets::db_key_name(db);
    let key = keyring_core::Entry::new("mysapk.db", &name).and_then(|e| e.get_password()).expect("database key");
    let conn = rusqlite::Connection::open(db).expect("open device db");
    conn.pragma_update(None, "key", format!("x'{}'", key.trim())).expect("key");
    let device_id: String =
        conn.query_row("SELECT value FROM meta WHERE key = 'replica_id'", [], |r| r.get(0)).expect("replica id");
    let mut st = conn.prepare("SELECT seq, mutation_id, op FROM outbox ORDER BY seq").expect("prepare");
    let rows =
        st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))).expect("query");
    let mutations = rows
        .map(|row| {
            let (seq, id, op) = row.expect("row");
            let op: MutationOp = serde_json::from_str(&op).expect("op json");
            Mutation { id, seq, op }
        })
        .collect();
    (device_id, mutations)
}

async fn crash_windows_neither_lose_nor_duplicate(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let core = bench.core("phone");
    core.login(ASN, PASSWORD).await.expect("login");

    // Window 1: saved locally, killed before sending.
    let a = core.propose(add_golongan("33", d(2023, 4, 1)), golongan_docs(&core)).expect("propose a");
    drop(core);

    // Window 2: the server processed the push, the app died before applying the answer.
    let core = bench.core("phone");
    assert_eq!(core.status().pending, 1, "the outbox survived");
    let b = core.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&core)).expect("propose b");
    drop(core);
    let db = bench.device_dir("phone").join(format!("{ASN}.sqlite"));
    let (device_id, mutations) = read_outbox(&db);
    assert_eq!(mutations.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2]);
    let raw = Raw::login(&bench.url(), ASN).await;
    raw.upload(SK_KP_PDF).await;
    let answer = raw.push(&PushRequest { device_id, mutations }).await;
    assert!(answer.results.iter().all(|r| r.outcome == MutationOutcome::Applied), "{answer:?}");

    // Reopen and sync: the resend is answered from the stored outcomes.
    let core = bench.core("phone");
    assert_eq!(core.status().pending, 2);
    core.sync_now().await.expect("sync");
    assert_eq!(core.status().pending, 0);
    assert_eq!(state_of(&core, &a.id), UsulanState::Submitted);
    assert_eq!(state_of(&core, &b.id), UsulanState::Submitted);
    core.sync_now().await.expect("sync again");

    let on_server = raw.usulan().await;
    assert_eq!(on_server.len(), 2, "exactly one usulan each: {on_server:?}");
    assert_eq!(on_server.iter().filter(|u| u.id == a.id).count(), 1);
    assert_eq!(on_server.iter().filter(|u| u.id == b.id).count(), 1);
    let verifikator = Raw::login(&bench.url(), VERIFIKATOR).await;
    let queue = verifikator.queue().await;
    assert_eq!(queue.items.iter().filter(|i| i.usulan.id == a.id || i.usulan.id == b.id).count(), 2);
    bench.finish().await;
}

async fn rejected_proposal_does_not_block_the_next(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let phone = bench.core("phone");
    phone.login(ASN, PASSWORD).await.expect("login phone");
    let tablet = bench.core("tablet");
    tablet.login(ASN, PASSWORD).await.expect("login tablet");
    let beranda = tablet.beranda().expect("beranda");
    let target = golongan_list(&beranda).items.last().expect("a golongan record").record.clone();

    // The phone deletes the record and the reviewers approve.
    let delete = phone
        .propose(UsulanAction::DeleteHistory { record_id: target.id.clone(), kind: HistoryKind::Golongan }, Vec::new())
        .expect("propose delete");
    phone.sync_now().await.expect("sync phone");
    Raw::login(&bench.url(), VERIFIKATOR).await.decide(&delete.id, Decision::Verify).await;
    Raw::login(&bench.url(), APPROVER).await.decide(&delete.id, Decision::Approve).await;

    // The tablet, not synced since, changes the deleted record, then adds another one.
    let change = tablet
        .propose(
            UsulanAction::ChangeHistory { record_id: target.id.clone(), data: golongan("22", d(2012, 4, 1)) },
            golongan_docs(&tablet),
        )
        .expect("propose change");
    let add = tablet.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&tablet)).expect("propose add");
    tablet.sync_now().await.expect("sync tablet");

    let b = tablet.beranda().expect("beranda");
    let refused = b.usulan.iter().find(|u| u.id == change.id).expect("change");
    assert_eq!(refused.state, UsulanState::Rejected);
    assert_eq!(refused.refusal.as_ref().map(|v| v.code.as_str()), Some("record.not_found"));
    assert_eq!(state_of(&tablet, &add.id), UsulanState::Submitted);
    assert_eq!(tablet.status().pending, 0);
    assert!(golongan_list(&b).items.iter().all(|i| i.record.id != target.id), "the deletion was pulled");
    assert!(golongan_list(&b).pending_additions.iter().any(|p| p.id == add.id));
    phone.sync_now().await.expect("sync phone");
    assert!(golongan_list(&phone.beranda().expect("beranda")).items.iter().all(|i| i.pending.is_empty()));
    bench.finish().await;
}

async fn wait_for(core: &Core, what: &str, cond: impl Fn(&mysapk_model::view::SyncStatus) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    while !cond(&core.status()) {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting for {what}: {:?}", core.status());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sync_loop_recovers_when_the_server_returns(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let core = bench.core("phone");
    core.login(ASN, PASSWORD).await.expect("login");
    let sync_loop = core.spawn_sync_loop();
    bench.stop().await;

    let u = core.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&core)).expect("propose");
    wait_for(&core, "offline", |s| s.phase == SyncPhase::Offline).await;
    bench.start().await;
    wait_for(&core, "the outbox to drain", |s| s.pending == 0 && s.phase == SyncPhase::Idle).await;
    assert_eq!(state_of(&core, &u.id), UsulanState::Submitted);
    sync_loop.abort();
    bench.finish().await;
}

async fn expired_token_is_refreshed_and_a_dead_session_needs_login(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench
        .start_with(|c| {
            c.access_ttl = Duration::from_secs(1);
            c.refresh_ttl = Duration::from_secs(3);
        })
        .await;
    let core = bench.core("phone");
    core.login(ASN, PASSWORD).await.expect("login");

    // The access token expires: the core refreshes once and carries on.
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let first = core.propose(add_golongan("33", d(2023, 4, 1)), golongan_docs(&core)).expect("propose");
    core.sync_now().await.expect("sync with a refreshed token");
    assert_eq!(state_of(&core, &first.id), UsulanState::Submitted);
    assert!(core.session().is_some());

    // Both tokens expire: the session needs a new login, and nothing local is lost.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let second = core.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&core)).expect("propose");
    let err = core.sync_now().await.expect_err("the session is dead");
    assert_eq!(err.code(), "auth.invalid_refresh");
    assert_eq!(core.status().phase, SyncPhase::NeedsLogin);
    assert_eq!(core.status().pending, 1);
    assert!(core.session().is_none());
    assert_eq!(state_of(&core, &second.id), UsulanState::Queued);

    core.login(ASN, PASSWORD).await.expect("log in again");
    assert_eq!(core.status().pending, 0, "the first sync after login pushed the outbox");
    assert_eq!(state_of(&core, &second.id), UsulanState::Submitted);
    bench.finish().await;
}
