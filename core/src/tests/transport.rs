//! The server URL rule at `Core::open` and when the user chooses the agency's server.

use super::*;

const OWN_NIP: &str = "199305202020121004";

fn config(dir: &Path, url: &str) -> CoreConfig {
    CoreConfig::new(dir.to_path_buf(), url)
}

#[test]
fn open_refuses_plain_http_to_another_host_and_a_bad_root_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let e = Core::open(config(dir.path(), "http://mysapk.bkn.go.id")).err().expect("refused");
    assert_eq!(e.code(), "transport.insecure_url");
    assert_eq!(e.to_api_error().code, "transport.insecure_url");
    // Nothing was created for a refused configuration.
    assert!(!dir.path().join("device.json").exists());

    let mut with_roots = config(dir.path(), "https://mysapk.bkn.go.id");
    with_roots.extra_roots = vec![dir.path().join("ca.pem")];
    let e = Core::open(with_roots).err().expect("refused");
    assert_eq!(e.code(), "transport.extra_roots");
    assert!(e.to_string().contains("ca.pem"), "{e}");

    let core = Core::open(config(dir.path(), "https://mysapk.bkn.go.id/")).expect("https opens");
    assert_eq!(core.server_url().as_deref(), Some("https://mysapk.bkn.go.id"));
}

#[tokio::test]
async fn without_a_server_the_login_asks_for_one() {
    secrets::use_mock_store_for_tests();
    let dir = tempfile::tempdir().expect("tempdir");
    let core = Core::open(CoreConfig { server_url: None, ..config(dir.path(), "") }).expect("open");
    assert_eq!(core.server_url(), None);
    let e = core.login("199001012015031001", "pw").await.expect_err("no server");
    assert_eq!(e.code(), "transport.no_server");
    assert_eq!(
        core.set_server_url(Some("https://sapk.instansi.go.id")).expect("set").as_deref(),
        Some("https://sapk.instansi.go.id")
    );
}

#[test]
fn the_chosen_server_is_kept_and_refused_with_unsent_changes_or_a_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let core = Core::open(config(dir.path(), "http://127.0.0.1:9")).expect("open");
        let e = core.set_server_url(Some("http://sapk.instansi.go.id")).expect_err("plain http");
        assert_eq!(e.code(), "transport.insecure_url");
        let e = core.set_server_url(Some("sapk.instansi.go.id")).expect_err("no scheme");
        assert_eq!(e.code(), "transport.invalid_url");
        assert_eq!(core.server_url().as_deref(), Some("http://127.0.0.1:9"), "a refused choice changes nothing");
        let now = core.set_server_url(Some(" https://sapk.instansi.go.id/ ")).expect("https");
        assert_eq!(now.as_deref(), Some("https://sapk.instansi.go.id"));
    }
    // Kept across a restart, over the configured server; `None` goes back to it.
    let core = Core::open(config(dir.path(), "http://127.0.0.1:9")).expect("reopen");
    assert_eq!(core.server_url().as_deref(), Some("https://sapk.instansi.go.id"));
    assert_eq!(core.set_server_url(None).expect("default").as_deref(), Some("http://127.0.0.1:9"));
    drop(core);
    let core = Core::open(config(dir.path(), "http://127.0.0.1:9")).expect("reopen");
    assert_eq!(core.server_url().as_deref(), Some("http://127.0.0.1:9"));
    drop(core);

    // A logged-in account: its tokens must not go to another server. Its own NIP: the mock keystore is shared by
    // the tests running in parallel.
    secrets::use_mock_store_for_tests();
    let core = Core::open(config(dir.path(), "http://127.0.0.1:9")).expect("reopen");
    let user = UserInfo { nip: OWN_NIP.into(), ..user() };
    let account = open_account(dir.path(), OWN_NIP, Some((&user, PASSWORD))).expect("account").expect("user");
    *core.account.lock().expect("lock") = Some(Arc::new(account));
    secrets::save(
        OWN_NIP,
        &secrets::Tokens { access: secrets::Sensitive::new("a".into()), refresh: secrets::Sensitive::new("r".into()) },
    )
    .expect("tokens");
    let e = core.set_server_url(Some("https://sapk.instansi.go.id")).expect_err("session");
    assert_eq!(e.code(), "transport.server_change_session");
    // Choosing the server already in use is no change.
    assert!(core.set_server_url(None).is_ok());

    // Logged out with a queued proposal: it belongs to the server it was made for.
    secrets::delete(OWN_NIP).expect("forget tokens");
    propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("propose");
    let e = core.set_server_url(Some("https://sapk.instansi.go.id")).expect_err("pending");
    assert_eq!(e.code(), "transport.server_change_pending");
    assert_eq!(core.server_url().as_deref(), Some("http://127.0.0.1:9"));
}
