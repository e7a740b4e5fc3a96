//! Unit tests of the facade, the store and the apply functions, on temporary databases.

use std::path::Path;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::record::{OwnerFields, Profile};
use mysapk_model::sync::{Change, MutationOp, MutationOutcome, MutationResult, PullResponse, PushResponse};
use mysapk_model::usulan::{Role, Usulan, UsulanAction, UsulanState};
use mysapk_model::view::{LocalUsulan, SyncPhase};
use mysapk_model::Code;
use mysapk_model::{Nip, Violation};

use super::*;
use crate::store::apply;

mod app_lock;
mod busy_server;
mod card_standing;
mod documents;
mod live;
mod mock_server;
mod review_queue;
mod sync_request_id;
mod transport;
mod usulan;

const NIP: &str = "199001012015031001";
/// The password the test accounts log in with (it seals their database keys).
const PASSWORD: &str = "kata-sandi-uji";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// Tokens in the keystore for `NIP` that no server accepts (the tests' servers are unreachable or mocks).
fn save_dummy_tokens() {
    save_dummy_tokens_for(NIP);
}

/// The keystore is shared by the tests of this process, and a logout forgets its NIP's tokens: a test that logs
/// out does it as a user of its own, or it would log the others out.
fn save_dummy_tokens_for(nip: &str) {
    let tokens =
        secrets::Tokens { access: secrets::Sensitive::new("a".into()), refresh: secrets::Sensitive::new("r".into()) };
    secrets::save(nip, &tokens).expect("tokens");
}

fn user() -> UserInfo {
    UserInfo { nip: NIP.into(), nama: "Budi".into(), instansi_id: "I1".into(), roles: vec![Role::Asn] }
}

/// A core with a logged-in account and no reachable server.
fn core_in(dir: &Path) -> Arc<Core> {
    core_in_as(dir, &user())
}

/// [`core_in`] for another user (see [`save_dummy_tokens_for`]).
fn core_in_as(dir: &Path, u: &UserInfo) -> Arc<Core> {
    secrets::use_mock_store_for_tests();
    let core = Core::open(CoreConfig::new(dir.to_path_buf(), "http://127.0.0.1:9")).expect("open");
    let account = open_account(dir, &u.nip, Some((u, PASSWORD))).expect("account").expect("user");
    *core.account.lock().expect("lock") = Some(Arc::new(account));
    let mut device = core.device.lock().expect("lock");
    device.last_nip = Some(u.nip.clone());
    device.save(dir).expect("save device");
    drop(device);
    core
}

fn account(core: &Core) -> Arc<Account> {
    core.current().expect("account")
}

fn golongan(id: &str) -> HistoryData {
    HistoryData::Golongan(mysapk_model::history::Golongan {
        golongan_id: id.into(),
        tmt_golongan: d(2020, 4, 1),
        sk_nomor: "KP-1".into(),
        sk_tanggal: d(2020, 3, 1),
        jenis_kp_id: None,
        mk_tahun: None,
        mk_bulan: None,
    })
}

fn record(id: &str, golongan_id: &str, last: Option<&str>) -> HistoryRecord {
    HistoryRecord { id: id.into(), data: golongan(golongan_id), last_usulan_id: last.map(Into::into), siasn_id: None }
}

fn profile(last: Option<&str>) -> Profile {
    Profile {
        nip: Nip::parse(NIP).expect("nip"),
        nama: "Budi".into(),
        gelar_depan: None,
        gelar_belakang: None,
        tempat_lahir: "Bandung".into(),
        tanggal_lahir: d(1990, 1, 1),
        jenis_kelamin: "M".into(),
        instansi_id: "I1".into(),
        instansi_nama: "Instansi".into(),
        unor_nama: "Bagian Umum".into(),
        golongan_id: Some("31".into()),
        jabatan_nama: None,
        owner: OwnerFields::default(),
        verified: Default::default(),
        confirmed_kinds: Vec::new(),
        last_usulan_id: last.map(Into::into),
        siasn_pns_id: None,
        unor_id: None,
    }
}

fn server_usulan(local: &LocalUsulan, state: UsulanState) -> Usulan {
    let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("time");
    Usulan {
        id: local.id.clone(),
        nip: Nip::parse(NIP).expect("nip"),
        action: local.action.clone(),
        state,
        reason: None,
        created_at: local.created_at,
        updated_at: t,
        events: Vec::new(),
        documents: local.documents.clone(),
        siasn: None,
    }
}

fn notification(id: &str) -> Notification {
    Notification {
        state: Some(UsulanState::Approved),
        history_kind: Some(HistoryKind::Golongan),
        ..Notification::new(id, NotificationKind::UsulanState, Utc::now())
    }
}

fn pull(core: &Core, cursor: &str, changes: Vec<Change>) -> Vec<Notification> {
    let page = PullResponse { cursor: cursor.into(), has_more: false, changes, card: None };
    account(core).store.write(|tx| apply::apply_page(tx, &page)).expect("apply page")
}

fn outbox_rows(core: &Core) -> Vec<mysapk_model::sync::Mutation> {
    account(core).store.read(|c| outbox::batch(c, 1000)).expect("outbox")
}

/// A small whole PDF.
pub(crate) fn pdf(marker: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {marker}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes()
}

/// Propose with the documents the kind requires (attached here first).
fn propose(core: &Core, action: UsulanAction) -> Result<LocalUsulan, CoreError> {
    let mut documents = Vec::new();
    if let Some(kind) = action.history_kind() {
        if !matches!(action, UsulanAction::DeleteHistory { .. }) {
            for rule in kind.rule().documents.iter().filter(|r| r.mandatory) {
                let bytes = pdf(&format!("{}-{}", rule.dokumen_id, uuid::Uuid::new_v4()));
                documents.push(core.attach_document("sk.pdf", rule.dokumen_id, &bytes).expect("attach"));
            }
        }
    }
    core.propose(action, documents)
}

fn golongan_list(b: &Beranda) -> &HistoryList {
    b.histories.iter().find(|h| h.kind == HistoryKind::Golongan).expect("golongan list")
}

use mysapk_model::view::HistoryList;

#[test]
fn propose_is_atomic_and_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let a = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("propose");
    assert_eq!(a.state, UsulanState::Queued);
    let b = propose(
        &core,
        UsulanAction::ChangeOwnerFields {
            fields: OwnerFields { no_hp: Some("081234567890".into()), ..Default::default() },
        },
    )
    .expect("propose");
    assert_eq!(core.status().pending, 2);
    drop(core);

    let core = Core::open(CoreConfig::new(dir.path().to_path_buf(), "http://127.0.0.1:9")).expect("reopen");
    let rows = outbox_rows(&core);
    assert_eq!(rows.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2]);
    assert!(matches!(&rows[0].op, MutationOp::Propose { usulan_id, .. } if *usulan_id == a.id));
    assert!(matches!(&rows[1].op, MutationOp::Propose { usulan_id, .. } if *usulan_id == b.id));
    assert_eq!(core.status().pending, 2);
    let beranda = core.beranda().expect("beranda");
    assert_eq!(beranda.usulan.len(), 2);
    assert_eq!(golongan_list(&beranda).pending_additions.len(), 1);
    assert_eq!(beranda.pending_owner.len(), 1);

    propose(&core, UsulanAction::AddHistory { data: golongan("33") }).expect("third");
    assert_eq!(outbox_rows(&core).last().map(|m| m.seq), Some(3), "sequence continues after reopening");
}

#[test]
fn sequence_never_reused_after_rows_are_sent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let u = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("propose");
    let m = outbox_rows(&core).remove(0);
    let response = PushResponse {
        last_processed_seq: 1,
        results: vec![MutationResult { id: m.id, seq: 1, outcome: MutationOutcome::Applied }],
    };
    account(&core).store.write(|tx| apply::apply_push(tx, &response)).expect("apply push");
    assert!(outbox_rows(&core).is_empty());
    assert_eq!(core.beranda().expect("beranda").usulan[0].state, UsulanState::Submitted);
    assert_eq!(core.beranda().expect("beranda").usulan[0].id, u.id);
    propose(&core, UsulanAction::AddHistory { data: golongan("33") }).expect("second");
    assert_eq!(outbox_rows(&core)[0].seq, 2);
}

#[test]
fn validation_error_returns_violations_and_queues_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let bad = HistoryData::Golongan(mysapk_model::history::Golongan {
        golongan_id: "35".into(),
        tmt_golongan: d(2020, 4, 1),
        sk_nomor: " ".into(),
        sk_tanggal: d(2020, 3, 1),
        jenis_kp_id: None,
        mk_tahun: None,
        mk_bulan: None,
    });
    let err = propose(&core, UsulanAction::AddHistory { data: bad }).expect_err("invalid");
    let CoreError::Validation(violations) = &err else { panic!("not a validation error: {err:?}") };
    let codes: Vec<_> = violations.iter().map(|v| v.code.as_str()).collect();
    assert_eq!(codes, ["code.unknown", "field.required"]);
    assert_eq!(err.code(), "validation");
    assert_eq!(err.to_api_error().field.as_deref(), Some("record.golongan_id"));

    let err = propose(&core, UsulanAction::DeleteHistory { record_id: "nope".into(), kind: HistoryKind::Golongan })
        .expect_err("unknown record");
    assert_eq!(err.to_api_error().code, "record.not_found");

    // Synced catalogs narrow the codes accepted.
    pull(
        &core,
        "1",
        vec![Change::Catalog {
            catalog: mysapk_model::catalog::Catalog {
                name: "golongan".into(),
                entries: vec![mysapk_model::catalog::CatalogEntry { id: "31".into(), nama: "III/a".into() }],
            },
        }],
    );
    let err = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect_err("not in catalog");
    assert_eq!(err.to_api_error().code, "code.unknown");

    assert!(outbox_rows(&core).is_empty());
    assert!(core.beranda().expect("beranda").usulan.is_empty());
    assert_eq!(core.status().pending, 0);
}

#[test]
fn overlay_stays_until_the_official_record_carries_the_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    pull(
        &core,
        "1",
        vec![
            Change::Profile { profile: profile(None) },
            Change::History { record: record("r1", "31", None) },
            Change::History { record: record("r2", "21", None) },
        ],
    );
    let change =
        propose(&core, UsulanAction::ChangeHistory { record_id: "r1".into(), data: golongan("32") }).expect("change");
    let delete = propose(&core, UsulanAction::DeleteHistory { record_id: "r2".into(), kind: HistoryKind::Golongan })
        .expect("del");
    let add = propose(&core, UsulanAction::AddHistory { data: golongan("33") }).expect("add");
    let owner = propose(
        &core,
        UsulanAction::ChangeOwnerFields {
            fields: OwnerFields { email: Some("budi@instansi.go.id".into()), ..Default::default() },
        },
    )
    .expect("owner");

    let pending_of = |core: &Core, id: &str| -> Vec<String> {
        let b = core.beranda().expect("beranda");
        let list = golongan_list(&b);
        list.items
            .iter()
            .find(|i| i.record.id == id)
            .map(|i| i.pending.iter().map(|u| u.id.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(pending_of(&core, "r1"), vec![change.id.clone()]);
    assert_eq!(pending_of(&core, "r2"), vec![delete.id.clone()]);
    let b = core.beranda().expect("beranda");
    assert_eq!(golongan_list(&b).items[0].record.id, "r1", "newest first");
    assert_eq!(golongan_list(&b).pending_additions.len(), 1);
    assert_eq!(b.pending_owner.len(), 1);

    // Decided but not applied: the overlay stays.
    pull(
        &core,
        "2",
        vec![
            Change::Usulan { usulan: server_usulan(&change, UsulanState::Approved) },
            Change::Usulan { usulan: server_usulan(&delete, UsulanState::Approved) },
            Change::Usulan { usulan: server_usulan(&owner, UsulanState::Approved) },
        ],
    );
    assert_eq!(pending_of(&core, "r1"), vec![change.id.clone()]);
    assert_eq!(pending_of(&core, "r2"), vec![delete.id.clone()]);
    assert_eq!(core.beranda().expect("beranda").pending_owner.len(), 1);
    assert_eq!(
        core.beranda().expect("beranda").usulan.iter().find(|u| u.id == change.id).map(|u| u.state),
        Some(UsulanState::Approved)
    );

    // Applied: the pulled records carry the proposals.
    pull(
        &core,
        "3",
        vec![
            Change::History { record: record("r1", "32", Some(&change.id)) },
            Change::HistoryDeleted { id: "r2".into(), kind: HistoryKind::Golongan },
            Change::Profile { profile: profile(Some(&owner.id)) },
        ],
    );
    let b = core.beranda().expect("beranda");
    let list = golongan_list(&b);
    assert!(list.items.iter().all(|i| i.pending.is_empty()));
    assert!(list.items.iter().all(|i| i.record.id != "r2"));
    assert!(b.pending_owner.is_empty());
    assert_eq!(list.pending_additions.len(), 1, "the addition is still open");

    // Record first, decision after: applied at once.
    pull(
        &core,
        "4",
        vec![
            Change::History { record: record("r3", "33", Some(&add.id)) },
            Change::Usulan { usulan: server_usulan(&add, UsulanState::Approved) },
        ],
    );
    let b = core.beranda().expect("beranda");
    assert!(golongan_list(&b).pending_additions.is_empty());
    assert_eq!(b.usulan.len(), 4, "decided proposals stay in the list");
}

#[test]
fn rejected_outcome_marks_the_usulan_and_does_not_block_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let first = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("first");
    let second = propose(&core, UsulanAction::AddHistory { data: golongan("33") }).expect("second");
    let rows = outbox_rows(&core);
    let violation = Violation::new(Code::RecordEditLimit, "record", "Sudah ada.", "Already exists.");
    let response = PushResponse {
        last_processed_seq: 2,
        results: vec![
            MutationResult {
                id: rows[0].id.clone(),
                seq: 1,
                outcome: MutationOutcome::Rejected { violation: violation.clone() },
            },
            MutationResult { id: rows[1].id.clone(), seq: 2, outcome: MutationOutcome::Applied },
        ],
    };
    let processed = account(&core).store.write(|tx| apply::apply_push(tx, &response)).expect("apply");
    assert_eq!(processed, 2);
    assert!(outbox_rows(&core).is_empty());
    let b = core.beranda().expect("beranda");
    let get = |id: &str| b.usulan.iter().find(|u| u.id == id).cloned().expect("usulan");
    assert_eq!(get(&first.id).state, UsulanState::Rejected);
    assert_eq!(get(&first.id).refusal, Some(violation));
    assert_eq!(get(&second.id).state, UsulanState::Submitted);
    assert_eq!(get(&second.id).refusal, None);
    assert_eq!(golongan_list(&b).pending_additions.len(), 1, "a refused proposal is no overlay");
}

#[test]
fn already_processed_resend_is_no_loss_and_no_duplicate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let u = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("propose");
    let m = outbox_rows(&core).remove(0);
    let response = PushResponse {
        last_processed_seq: 1,
        results: vec![MutationResult { id: m.id.clone(), seq: 1, outcome: MutationOutcome::AlreadyProcessed }],
    };
    let store = &account(&core).store;
    store.write(|tx| apply::apply_push(tx, &response)).expect("apply");
    // A second copy of the same answer is harmless.
    assert_eq!(store.write(|tx| apply::apply_push(tx, &response)).expect("again"), 0);
    let b = core.beranda().expect("beranda");
    assert_eq!(b.usulan.len(), 1);
    assert_eq!(b.usulan[0].id, u.id);
    assert_eq!(b.usulan[0].state, UsulanState::Submitted);
}

#[test]
fn applying_the_same_page_twice_is_harmless() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let mut events = core.subscribe();
    let changes = vec![
        Change::Profile { profile: profile(None) },
        Change::History { record: record("r1", "31", None) },
        Change::Notification { notification: notification("n1") },
    ];
    let first = pull(&core, "5", changes.clone());
    let second = pull(&core, "5", changes);
    assert_eq!(first.len(), 1);
    assert!(second.is_empty(), "a notification is new only once");
    let b = core.beranda().expect("beranda");
    assert_eq!(golongan_list(&b).items.len(), 1);
    assert_eq!(b.unread_notifications, 1);
    assert_eq!(core.inbox().expect("inbox").notifications.len(), 1);
    let cursor = account(&core).store.read(|c| meta::get(c, meta::CURSOR)).expect("cursor");
    assert_eq!(cursor.as_deref(), Some("5"));
    core.events.notify(first);
    assert!(matches!(events.try_recv(), Ok(CoreEvent::NewNotifications(n)) if n.len() == 1));
}

#[test]
fn mark_read_is_local_first_and_survives_a_stale_pull() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    pull(&core, "1", vec![Change::Notification { notification: notification("n1") }]);
    core.mark_read("n1").expect("mark");
    core.mark_read("n1").expect("mark twice queues nothing more");
    assert_eq!(outbox_rows(&core).len(), 1);
    pull(&core, "2", vec![Change::Notification { notification: notification("n1") }]);
    assert_eq!(core.beranda().expect("beranda").unread_notifications, 0);
    assert_eq!(core.mark_read("nope").expect_err("unknown").code(), "notification.not_found");
}

#[test]
fn withdraw_is_queued_and_a_refusal_restores_the_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let u = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("propose");
    pull(&core, "1", vec![Change::Usulan { usulan: server_usulan(&u, UsulanState::Submitted) }]);
    core.withdraw(&u.id).expect("withdraw");
    let state = |core: &Core| core.beranda().expect("beranda").usulan[0].state;
    assert_eq!(state(&core), UsulanState::Withdrawn);
    let rows = outbox_rows(&core);
    let w = rows.iter().find(|m| matches!(m.op, MutationOp::Withdraw { .. })).expect("withdraw row");
    let violation = Violation::new(Code::DecisionWrongState, "decision", "x", "y");
    let response = PushResponse {
        last_processed_seq: w.seq,
        results: vec![MutationResult {
            id: w.id.clone(),
            seq: w.seq,
            outcome: MutationOutcome::Rejected { violation },
        }],
    };
    account(&core).store.write(|tx| apply::apply_push(tx, &response)).expect("apply");
    assert_eq!(state(&core), UsulanState::Submitted);
    assert_eq!(core.withdraw("nope").expect_err("unknown").code(), "usulan.not_found");
}

#[tokio::test]
async fn offline_sync_keeps_the_outbox_and_reports_offline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    save_dummy_tokens();
    propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("propose");
    let mut events = core.subscribe();
    let err = core.sync_now().await.expect_err("offline");
    assert_eq!(err.code(), "network.unreachable");
    let mut phases = Vec::new();
    while let Ok(CoreEvent::Status(s)) = events.try_recv() {
        phases.push(s.phase);
    }
    assert_eq!(phases, [SyncPhase::Syncing, SyncPhase::Offline], "a Status event on every phase change");
    let status = core.status();
    assert_eq!(status.phase, SyncPhase::Offline);
    assert_eq!(status.pending, 1);
    assert_eq!(status.last_error.as_deref(), Some("network.unreachable"));
    assert_eq!(outbox_rows(&core).len(), 1);
}

#[tokio::test]
async fn not_logged_in_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    secrets::use_mock_store_for_tests();
    let core = Core::open(CoreConfig::new(dir.path().to_path_buf(), "http://127.0.0.1:9")).expect("open");
    assert!(core.session().is_none());
    assert_eq!(core.beranda().expect_err("no account").code(), "not_logged_in");
    assert_eq!(core.sync_now().await.expect_err("no account").code(), "not_logged_in");
    assert_eq!(core.status().phase, SyncPhase::NeedsLogin);
    assert_eq!(core.login("123", "x").await.expect_err("bad nip").to_api_error().code, "nip.length");
}

#[tokio::test]
async fn a_session_that_must_enrol_does_not_sync_until_the_confirm_even_after_a_restart() {
    const OWN: &str = "199106062015032004"; // it logs out
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in_as(dir.path(), &UserInfo { nip: OWN.into(), ..user() });
    save_dummy_tokens_for(OWN);
    core.set_enrollment_pending(&account(&core), true).expect("flag");
    assert!(core.mfa_enrollment_required());
    // No request is tried: this core's server is unreachable, and the answer is not `network.unreachable`.
    let err = core.sync_now().await.expect_err("must enrol");
    assert!(matches!(err, CoreError::MfaEnrollmentRequired), "{err:?}");
    assert_eq!(core.status().phase, SyncPhase::NeedsMfaEnrollment);
    drop(core);

    let core = Core::open(CoreConfig::new(dir.path().to_path_buf(), "http://127.0.0.1:9")).expect("reopen");
    assert!(core.mfa_enrollment_required());
    assert_eq!(core.status().phase, SyncPhase::NeedsMfaEnrollment);
    // A logout ends the wait: the next login decides again.
    core.logout().await.expect("logout");
    assert!(!core.mfa_enrollment_required());
}
