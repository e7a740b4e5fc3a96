//! The app lock on a core with an account and no reachable server: set, unlock, wrong PINs, restart, the views
//! refused while locked, the session ended by the fifth wrong PIN with the outbox kept.

use std::time::{Duration, Instant};

use mysapk_model::view::ReviewFilter;

use super::*;
use crate::app_lock::{BACKGROUND_LOCK, MAX_FAILURES};

const PIN: &str = "482916";

/// A user of each test's own: the keystore is shared, and the PIN entry is per NIP.
fn user_of(nip: &str) -> UserInfo {
    UserInfo { nip: nip.into(), nama: "Siti Pengunci".into(), instansi_id: "I1".into(), roles: vec![Role::Asn] }
}

fn logged_in(dir: &Path, nip: &str) -> Arc<Core> {
    secrets::use_mock_store_for_tests();
    save_dummy_tokens_for(nip);
    core_in_as(dir, &user_of(nip))
}

fn reopen(dir: &Path) -> Arc<Core> {
    Core::open(CoreConfig::new(dir.to_path_buf(), "http://127.0.0.1:9")).expect("open")
}

fn assert_locked<T: std::fmt::Debug>(what: &str, r: Result<T, CoreError>) {
    match r {
        Err(CoreError::Locked) => {}
        other => panic!("{what}: expected app.locked, got {other:?}"),
    }
}

#[tokio::test]
async fn set_verify_restart_keeps_the_count_and_a_locked_core_refuses_personal_data() {
    let nip = "197707072003121005";
    let dir = tempfile::tempdir().expect("tempdir");
    let core = logged_in(dir.path(), nip);
    let s = core.lock_status().expect("status");
    assert!(s.setup_required && !s.pin_set && !s.locked, "{s:?}");

    let s = core.set_pin(PIN).expect("set");
    assert!(s.pin_set && !s.setup_required && !s.locked, "{s:?}");
    let err = core.set_pin("111111").expect_err("a second set needs the current PIN");
    assert_eq!(err.code(), Code::Validation);
    assert_eq!(err.to_api_error().code, Code::AppPinAlreadySet.as_str());

    // The keystore entry holds a salted Argon2id hash, not the PIN.
    let entry = secrets::load_pin(&crate::app_lock::entry_name(dir.path(), nip)).expect("entry").expect("present");
    assert!(!entry.contains(PIN), "the PIN in clear: {entry}");
    assert!(entry.contains("$argon2id$"), "{entry}");

    assert!(core.lock_now().expect("lock").locked);
    assert_locked("beranda", core.beranda());
    assert_locked("inbox", core.inbox());
    assert_locked("standing", core.standing());
    assert_locked("review queue", core.review_queue(&ReviewFilter::default()));
    assert_locked("card", core.asn_card());
    assert_locked("bukti", core.bukti_pdm());
    assert_locked("user", core.user());
    assert_locked("propose", core.propose(UsulanAction::AddHistory { data: golongan("32") }, Vec::new()));
    assert_locked("mark read", core.mark_read("n1"));
    assert!(core.session().is_none(), "no name while locked");
    // What the lock screen reads is nothing personal.
    let status = serde_json::to_string(&core.lock_status().expect("status")).expect("json");
    assert!(!status.contains(nip) && !status.contains("Siti"), "{status}");

    // A malformed PIN is refused before it is checked, and does not count.
    assert_eq!(core.unlock_pin("12345").await.expect_err("format").to_api_error().code, "app.pin_format");
    assert_eq!(core.lock_status().expect("status").attempts_left, MAX_FAILURES);
    match core.unlock_pin("000000").await {
        Err(CoreError::PinWrong { attempts_left }) => assert_eq!(attempts_left, MAX_FAILURES - 1),
        other => panic!("expected a wrong PIN, got {other:?}"),
    }
    drop(core);

    // A restart: locked at launch, and the count survived.
    let core = reopen(dir.path());
    let s = core.lock_status().expect("status");
    assert!(s.locked && s.pin_set, "{s:?}");
    assert_eq!(s.attempts_left, MAX_FAILURES - 1, "the count survives a restart");
    assert_locked("beranda after a restart", core.beranda());

    let s = core.unlock_pin(PIN).await.expect("unlock");
    assert!(!s.locked);
    assert_eq!(s.attempts_left, MAX_FAILURES, "a right PIN starts the count again");
    assert!(core.beranda().is_ok());
    assert_eq!(core.user().expect("user").map(|u| u.nip), Some(nip.to_owned()));
    core.logout().await.expect("clean up");
    assert!(
        secrets::load_pin(&crate::app_lock::entry_name(dir.path(), nip)).expect("entry").is_none(),
        "a logout removes the PIN entry"
    );
}

#[tokio::test]
async fn five_wrong_pins_end_the_session_and_the_outbox_survives_the_next_login() {
    let nip = "197808082004121006";
    let u = user_of(nip);
    let dir = tempfile::tempdir().expect("tempdir");
    let core = logged_in(dir.path(), nip);
    core.set_pin(PIN).expect("set");
    let queued = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("propose");
    assert_eq!(outbox_rows(&core).len(), 1);
    core.lock_now().expect("lock");

    for left in (1..MAX_FAILURES).rev() {
        match core.unlock_pin("135790").await {
            Err(CoreError::PinWrong { attempts_left }) => assert_eq!(attempts_left, left),
            other => panic!("expected a wrong PIN, got {other:?}"),
        }
    }
    let err = core.unlock_pin("135790").await.expect_err("the fifth");
    assert!(matches!(err, CoreError::PinLockedOut), "{err:?}");
    assert_eq!(err.to_api_error().code, "app.pin_locked_out");

    // The session is over: tokens and PIN entry gone, nothing to read, and not locked (the login screen shows).
    assert!(secrets::load(nip).expect("tokens").is_none(), "the tokens are removed");
    assert!(secrets::load_pin(&crate::app_lock::entry_name(dir.path(), nip)).expect("entry").is_none());
    assert_eq!(core.status().phase, SyncPhase::NeedsLogin);
    assert!(matches!(core.beranda(), Err(CoreError::NotLoggedIn)));
    let s = core.lock_status().expect("status");
    assert!(!s.locked && !s.pin_set, "{s:?}");
    // Even the right PIN does nothing now.
    assert!(matches!(core.unlock_pin(PIN).await, Err(CoreError::NotLoggedIn)));
    drop(core);

    // The next login with the password opens the same database (its key from the copy sealed with the password)
    // with the proposal still queued.
    assert!(db_path(dir.path(), nip).exists(), "the database stays");
    let account = open_account(dir.path(), nip, Some((&u, PASSWORD))).expect("open").expect("user");
    let rows = account.store.read(|c| outbox::batch(c, 100)).expect("outbox");
    assert_eq!(rows.len(), 1, "the unsent proposal is kept");
    let local = account.store.read(|c| store::usulan::get(c, &queued.id)).expect("read").expect("the usulan");
    assert_eq!(local.usulan.state, UsulanState::Queued);
}

#[tokio::test]
async fn change_and_remove_need_the_current_pin_and_wrong_ones_count() {
    let nip = "197909092005121007";
    let dir = tempfile::tempdir().expect("tempdir");
    let core = logged_in(dir.path(), nip);
    assert!(matches!(core.change_pin(PIN, "222222").await, Err(CoreError::PinNotSet)));
    core.set_pin(PIN).expect("set");
    assert!(matches!(core.change_pin("999999", "222222").await, Err(CoreError::PinWrong { attempts_left: 4 })));
    assert!(matches!(core.remove_pin("999999").await, Err(CoreError::PinWrong { attempts_left: 3 })));
    let s = core.change_pin(PIN, "222222").await.expect("change");
    assert_eq!(s.attempts_left, MAX_FAILURES);
    core.lock_now().expect("lock");
    assert!(matches!(core.unlock_pin(PIN).await, Err(CoreError::PinWrong { .. })), "the old PIN is gone");
    core.unlock_pin("222222").await.expect("the new PIN");

    let s = core.remove_pin("222222").await.expect("remove");
    assert!(!s.pin_set && !s.setup_required && !s.locked, "removed, and not asked again: {s:?}");
    assert!(!core.lock_now().expect("lock").locked, "no PIN, no lock");
    drop(core);
    assert!(!reopen(dir.path()).lock_status().expect("status").locked, "nor at launch");
}

#[tokio::test]
async fn five_minutes_in_the_background_lock_again() {
    let nip = "198010102006121008";
    let dir = tempfile::tempdir().expect("tempdir");
    let core = logged_in(dir.path(), nip);
    let t0 = Instant::now();
    core.app_to_background(t0);
    assert!(!core.app_to_foreground(t0 + BACKGROUND_LOCK), "no PIN, no lock");

    core.set_pin(PIN).expect("set");
    core.app_to_background(t0);
    assert!(!core.app_to_foreground(t0 + BACKGROUND_LOCK - Duration::from_secs(1)), "a short switch");
    assert!(!core.lock_status().expect("status").locked);
    core.app_to_background(t0);
    // A second blur keeps the first time.
    core.app_to_background(t0 + Duration::from_secs(60));
    assert!(core.app_to_foreground(t0 + BACKGROUND_LOCK));
    assert_locked("beranda", core.beranda());
    assert!(!core.app_to_foreground(t0 + BACKGROUND_LOCK * 2), "already counted");

    // The platform's word (biometrics on a phone) unlocks, and starts the count again.
    assert!(matches!(core.unlock_pin("000000").await, Err(CoreError::PinWrong { .. })));
    let s = core.unlock_by_platform().expect("unlock");
    assert!(!s.locked);
    assert_eq!(s.attempts_left, MAX_FAILURES);
}

#[tokio::test]
async fn the_pin_belongs_to_the_account_on_this_device() {
    let nip = "198111112007121009";
    let (one, two) = (tempfile::tempdir().expect("tempdir"), tempfile::tempdir().expect("tempdir"));
    let first = logged_in(one.path(), nip);
    first.set_pin(PIN).expect("set");
    first.lock_now().expect("lock");
    // A second data directory of the same account (another copy of the app, a test beside this one): its own PIN.
    let second = logged_in(two.path(), nip);
    let s = second.lock_status().expect("status");
    assert!(!s.locked && !s.pin_set && s.setup_required, "{s:?}");
    assert!(second.beranda().is_ok());
    assert!(!reopen(two.path()).lock_status().expect("status").locked);
    assert!(reopen(one.path()).lock_status().expect("status").locked);
}
