//! The shell under `tauri::test::mock_builder()`: no display, no D-Bus, but the real capabilities (ACL).

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

use crate::{builder, start_core};
use mysapk_core::CoreConfig;

fn app(dir: &tempfile::TempDir) -> App<MockRuntime> {
    mysapk_core::secrets::use_mock_store_for_tests();
    let app = builder(mock_builder()).build(tauri::generate_context!()).expect("the app builds");
    // The mock runtime runs no setup hook: open the core like production does. Nothing listens on the discard
    // port, so the core is offline.
    let config = CoreConfig::new(dir.path().to_path_buf(), "http://127.0.0.1:9");
    start_core(app.handle(), config).expect("core opens");
    app
}

fn main_window(app: &App<MockRuntime>) -> WebviewWindow<MockRuntime> {
    match app.get_webview_window("main") {
        Some(w) => w,
        None => WebviewWindowBuilder::new(app, "main", Default::default()).build().expect("main window"),
    }
}

/// The origin of the app's own pages on this platform.
const LOCAL_ORIGIN: &str =
    if cfg!(any(windows, target_os = "android")) { "http://tauri.localhost" } else { "tauri://localhost" };

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: LOCAL_ORIGIN.parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().expect("json response"))
}

#[test]
fn command_errors_cross_as_code_and_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app(&dir);
    let w = main_window(&app);

    // A malformed NIP is refused by the core before any network call, naming the field.
    let err = invoke(&w, "login", json!({"nip": "123", "password": "x"})).expect_err("bad NIP fails");
    assert_eq!(err["code"], "nip.length", "{err}");
    assert_eq!(err["field"], "nip", "{err}");
    assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "{err}");

    // Without a session the beranda is refused with a stable code and no field.
    let err = invoke(&w, "beranda", json!({})).expect_err("no session");
    assert_eq!(err["code"], "not_logged_in", "{err}");
    assert!(err["message"].is_string(), "{err}");
    assert!(err.get("field").is_none(), "{err}");

    // Offline and logged out: the session is empty, the status is readable.
    assert_eq!(invoke(&w, "session", json!({})), Ok(Value::Null));
    let status = invoke(&w, "sync_status", json!({})).expect("status");
    assert!(status["phase"].is_string(), "{status}");
}

#[test]
fn capabilities_deny_what_is_not_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app(&dir);
    let w = main_window(&app);

    // Window management is not granted to the UI.
    let err = invoke(&w, "plugin:window|close", json!({})).expect_err("window commands are denied");
    assert!(err.to_string().contains("not allowed"), "{err}");

    // A listed app command passes the ACL.
    assert!(invoke(&w, "set_locale", json!({"lang": "en"})).is_ok());
}

#[test]
fn review_and_admin_commands_pass_the_acl() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app(&dir);
    let w = main_window(&app);
    // Listed in the capability file, so they reach the core, which answers "not logged in".
    for (cmd, args) in [
        ("review_queue", json!({})),
        ("review_queue", json!({"filter": {"kind": "jabatan", "unor_nama": null}})),
        ("decide", json!({"usulanId": "u1", "decision": "verify", "reason": null})),
        ("admin_accounts", json!({"q": ""})),
        ("admin_set_role", json!({"nip": "199001012015031001", "change": {"role": "verifikator", "grant": true}})),
        ("admin_lock", json!({"nip": "199001012015031001", "reason": "x"})),
        ("admin_unlock", json!({"nip": "199001012015031001"})),
        ("admin_reset_code", json!({"nip": "199001012015031001"})),
        ("admin_set_email", json!({"nip": "199001012015031001", "email": "a@example.go.id"})),
        ("admin_announce", json!({"request": {"title": "t", "body": "b", "unor_nama": null}})),
        ("audit_agency", json!({})),
        ("audit_agency", json!({"limit": 50, "before": "2026-03-02T08:00:00Z"})),
        ("audit_me", json!({})),
        ("standing", json!({})),
        ("asn_card", json!({})),
        ("refresh_asn_card", json!({})),
        (
            "admin_layanan",
            json!({"update": {"nip": "199001012015031001", "layanan": "kgb", "stage": "diterima", "note": null}}),
        ),
        ("admin_siasn_failed", json!({})),
        ("admin_siasn_retry", json!({"usulanId": "u1"})),
        ("admin_siasn_manual", json!({})),
        ("admin_siasn_manual_entered", json!({"usulanId": "u1"})),
    ] {
        let err = invoke(&w, cmd, args).expect_err("no session");
        assert_eq!(err["code"], "not_logged_in", "{cmd}: {err}");
    }
}

#[test]
fn reset_password_passes_the_acl_and_needs_no_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app(&dir);
    let w = main_window(&app);
    // A short password is refused by the core before any network call, naming the field.
    let args = json!({"nip": "199001012015031001", "code": "ABCD1234", "newPassword": "short"});
    let err = invoke(&w, "reset_password", args).expect_err("short password");
    assert_eq!(err["code"], "password.too_short", "{err}");
    assert_eq!(err["field"], "new_password", "{err}");
    // A valid request reaches the network (nothing listens on the discard port): no session was needed.
    let args = json!({"nip": "199001012015031001", "code": "ABCD1234", "newPassword": "cukup-panjang-sekali"});
    let err = invoke(&w, "reset_password", args).expect_err("offline");
    assert_eq!(err["code"], "network.unreachable", "{err}");
}

#[test]
fn document_category_and_bukti_commands_pass_the_acl() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app(&dir);
    let w = main_window(&app);

    // The category forms need no session.
    let specs = invoke(&w, "category_specs", json!({})).expect("specs");
    assert_eq!(specs.as_array().map(Vec::len), Some(18), "{specs}");
    assert!(specs[0]["kind"].is_string(), "{specs}");

    // Content that is not base64 is refused by the shell, naming the field.
    let args = json!({"fileName": "sk.pdf", "dokumenId": "872", "contentBase64": "%%% not base64"});
    let err = invoke(&w, "attach_document", args).expect_err("bad base64");
    assert_eq!(err["code"], "document.invalid_base64", "{err}");
    assert_eq!(err["field"], "content_base64", "{err}");

    // Listed in the capability file, so they reach the core, which answers "not logged in".
    let action = json!({"type": "delete_history", "record_id": "r1", "kind": "golongan"});
    let doc = json!({"sha256": "a".repeat(64), "dokumen_id": "872", "mime": "application/pdf", "size": 10,
        "file_name": "sk.pdf"});
    for (cmd, args) in [
        ("attach_document", json!({"fileName": "sk.pdf", "dokumenId": "872", "contentBase64": "JVBERi0="})),
        ("propose", json!({"action": action})),
        ("propose", json!({"action": action, "documents": [doc]})),
        ("resubmit", json!({"usulanId": "u1", "action": action, "documents": []})),
        ("confirm_category", json!({"kind": "anak"})),
        ("open_document", json!({"sha256": "a".repeat(64)})),
        ("bukti_pdm", json!({})),
    ] {
        let err = invoke(&w, cmd, args).expect_err("no session");
        assert_eq!(err["code"], "not_logged_in", "{cmd}: {err}");
    }
}

#[test]
fn the_server_choice_passes_the_acl_and_keeps_the_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app(&dir);
    let w = main_window(&app);
    assert_eq!(invoke(&w, "server_url", json!({})), Ok(json!("http://127.0.0.1:9")));
    let err = invoke(&w, "set_server_url", json!({"url": "http://sapk.instansi.go.id"})).expect_err("plain http");
    assert_eq!(err["code"], "transport.insecure_url", "{err}");
    let now = invoke(&w, "set_server_url", json!({"url": "https://sapk.instansi.go.id/"})).expect("https");
    assert_eq!(now, json!("https://sapk.instansi.go.id"));
    assert_eq!(invoke(&w, "set_server_url", json!({"url": null})), Ok(json!("http://127.0.0.1:9")));
}

#[test]
fn the_ui_may_only_check_notifications_on_desktop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app(&dir);
    let w = main_window(&app);
    // Whether notifications are allowed: every platform (desktop grants them without asking).
    assert_eq!(invoke(&w, "plugin:notification|is_permission_granted", json!({})), Ok(Value::Bool(true)));
    // Asking, showing or scheduling from the UI: not granted on desktop (phones may ask: mobile-notify.json).
    for cmd in ["plugin:notification|request_permission", "plugin:notification|notify", "plugin:notification|cancel"] {
        let err = invoke(&w, cmd, json!({})).expect_err("denied");
        assert!(err.to_string().contains("not allowed"), "{cmd}: {err}");
    }
}

#[test]
fn the_app_lock_commands_pass_the_acl_and_biometrics_are_for_phones_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = app(&dir);
    let w = main_window(&app);
    // Logged out: nothing locked, no PIN to set up, and nothing personal in the status.
    let status = invoke(&w, "lock_status", json!({})).expect("status");
    assert_eq!(status, json!({"locked": false, "pin_set": false, "setup_required": false, "attempts_left": 5}));
    assert_eq!(invoke(&w, "lock_now", json!({})).expect("lock now")["locked"], false, "no PIN, no lock");
    // A malformed PIN is refused before anything else, naming the field.
    let err = invoke(&w, "set_pin", json!({"pin": "12a"})).expect_err("format");
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("app.pin_format"), Some("pin")), "{err}");
    for (cmd, args) in [
        ("set_pin", json!({"pin": "123456"})),
        ("unlock_pin", json!({"pin": "123456"})),
        ("change_pin", json!({"currentPin": "123456", "pin": "654321"})),
        ("remove_pin", json!({"currentPin": "123456"})),
    ] {
        let err = invoke(&w, cmd, args).expect_err("no session");
        assert_eq!(err["code"], "not_logged_in", "{cmd}: {err}");
    }
    // The biometric unlock is granted by the phones' capability only: on a desktop the UI cannot call it.
    if cfg!(not(mobile)) {
        let err = invoke(&w, "unlock_biometric", json!({"reason": "x"})).expect_err("phones only");
        assert!(err.to_string().contains("not allowed"), "{err}");
    }
}
