//! Declares the app's commands so each one gets an `allow-<command>` permission: a command is callable from the
//! UI only when `capabilities/default.json` lists it.

/// Every IPC command of the app (keep in step with `commands.rs` and the capability file).
const COMMANDS: &[&str] = &[
    "login",
    "reset_password",
    "logout",
    "session",
    "server_url",
    "set_server_url",
    "beranda",
    "propose",
    "resubmit",
    "category_specs",
    "attach_document",
    "confirm_category",
    "open_document",
    "bukti_pdm",
    "withdraw",
    "inbox",
    "mark_read",
    "sync_now",
    "sync_status",
    "set_locale",
    "review_queue",
    "decide",
    "admin_accounts",
    "admin_set_role",
    "admin_lock",
    "admin_unlock",
    "admin_reset_code",
    "admin_mfa_reset",
    "admin_set_email",
    "admin_announce",
    "audit_agency",
    "audit_me",
    "standing",
    "sessions",
    "end_session",
    "asn_card",
    "refresh_asn_card",
    "check_card",
    "read_card_picture",
    "camera_scanner",
    "take_card_link",
    "admin_layanan",
    "admin_siasn_failed",
    "admin_siasn_retry",
    "admin_siasn_manual",
    "admin_siasn_manual_entered",
    "mfa_status",
    "mfa_enroll",
    "mfa_confirm",
    "lock_status",
    "set_pin",
    "unlock_pin",
    "change_pin",
    "remove_pin",
    "lock_now",
    "unlock_biometric",
];

fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
