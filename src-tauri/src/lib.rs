//! The Tauri shell of mysapk: opens the client core, exposes it to the UI as IPC commands, forwards its
//! events and raises system notifications. Business logic lives in `mysapk-core`.

mod card_scan;
mod commands;
mod error;
mod lock;
mod notify;
mod reminders;
mod resume;
#[cfg(target_os = "linux")]
mod webkit;

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use mysapk_core::{Core, CoreConfig};
use mysapk_model::notification_text::Lang;
use tauri::{Manager, RunEvent, Runtime, WindowEvent};

pub use error::{CommandError, CommandResult};
pub use lock::LOCK_STATUS_EVENT;
pub use notify::{NOTIFICATIONS_EVENT, NOTIFICATION_TAP_EVENT, SYNC_STATUS_EVENT};

/// The agency's server built into this app (`MYSAPK_DEFAULT_SERVER_URL` at build time, `https://`): the one a
/// phone build talks to, which no environment variable can change. Debug builds without it use the local demo
/// server; a release build without it has none, and asks for one on the login screen.
pub const DEFAULT_SERVER_URL: Option<&str> = match option_env!("MYSAPK_DEFAULT_SERVER_URL") {
    Some(url) => Some(url),
    None if cfg!(debug_assertions) => Some("http://127.0.0.1:8080"),
    None => None,
};

/// The app without its core: plugins, managed UI state and the command handler. Shared by production and by
/// tests with `tauri::test::mock_builder()`.
pub fn builder<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_notification::init())
        .manage(RwLock::new(Lang::default()))
        .manage(resume::FocusGate::default())
        .manage(reminders::Scheduled::default())
        .manage(card_scan::PendingCardLink::default())
        .on_window_event(|window, event| {
            if let WindowEvent::Focused(focused) = event {
                resume::on_focus(window.app_handle(), *focused);
            }
            // Phones: no event stream in the background, a sync on resume.
            #[cfg(mobile)]
            resume::on_lifecycle(window.app_handle(), event);
            lock::on_window_event(window.app_handle(), event);
        })
        .invoke_handler(tauri::generate_handler![
            commands::login,
            commands::reset_password,
            commands::logout,
            commands::session,
            commands::server_url,
            commands::set_server_url,
            commands::beranda,
            commands::propose,
            commands::resubmit,
            commands::category_specs,
            commands::attach_document,
            commands::confirm_category,
            commands::open_document,
            commands::bukti_pdm,
            commands::withdraw,
            commands::inbox,
            commands::mark_read,
            commands::sync_now,
            commands::sync_status,
            commands::set_locale,
            commands::review_queue,
            commands::decide,
            commands::admin_accounts,
            commands::admin_set_role,
            commands::admin_lock,
            commands::admin_unlock,
            commands::admin_reset_code,
            commands::admin_mfa_reset,
            commands::admin_set_email,
            commands::admin_announce,
            commands::audit_agency,
            commands::audit_me,
            commands::standing,
            commands::sessions,
            commands::end_session,
            commands::mfa_status,
            commands::mfa_enroll,
            commands::mfa_confirm,
            commands::asn_card,
            commands::refresh_asn_card,
            commands::check_card,
            card_scan::read_card_picture,
            card_scan::camera_scanner,
            card_scan::take_card_link,
            commands::admin_layanan,
            commands::admin_siasn_failed,
            commands::admin_siasn_retry,
            commands::admin_siasn_manual,
            commands::admin_siasn_manual_entered,
            lock::lock_status,
            lock::set_pin,
            lock::unlock_pin,
            lock::change_pin,
            lock::remove_pin,
            lock::lock_now,
            #[cfg(mobile)]
            lock::unlock_biometric,
        ])
}

/// Open the core, manage it, start its sync loop and forward its events to the UI.
pub fn start_core<R: Runtime>(
    app: &tauri::AppHandle<R>,
    config: CoreConfig,
) -> Result<Arc<Core>, mysapk_core::CoreError> {
    let handle = app.clone();
    tauri::async_runtime::block_on(async move {
        let core = Core::open(config)?;
        handle.manage(commands::AppCore(Arc::clone(&core)));
        core.spawn_sync_loop();
        notify::forward_taps(&handle);
        tauri::async_runtime::spawn(notify::forward_events(handle, Arc::clone(&core)));
        Ok(core)
    })
}

/// Where the core keeps its database (`MYSAPK_DATA_DIR`, else the platform's app data dir), its server
/// (`MYSAPK_SERVER_URL` over [`DEFAULT_SERVER_URL`]; the one chosen on the login screen wins over both) and the
/// extra roots of an agency's private CA (`MYSAPK_EXTRA_ROOTS`: PEM files, `:` apart).
fn core_config<R: Runtime>(app: &tauri::AppHandle<R>) -> Result<CoreConfig, Box<dyn std::error::Error>> {
    let data_dir = match std::env::var_os("MYSAPK_DATA_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => app.path().app_data_dir()?,
    };
    std::fs::create_dir_all(&data_dir)?;
    let server_url = std::env::var("MYSAPK_SERVER_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| DEFAULT_SERVER_URL.map(str::to_owned));
    let mut config = CoreConfig { data_dir, server_url, extra_roots: Vec::new() };
    if let Some(list) = std::env::var_os("MYSAPK_EXTRA_ROOTS") {
        config.extra_roots = mysapk_core::split_paths(&list);
    }
    Ok(config)
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    // A card's verify link opens the app ("Periksa Kartu ASN"); on phones the camera scans a card's QR.
    let app = builder(tauri::Builder::default()).plugin(tauri_plugin_deep_link::init());
    #[cfg(mobile)]
    let app = app.plugin(tauri_plugin_barcode_scanner::init());
    // Phones: unlock the app lock with a fingerprint or the face.
    #[cfg(mobile)]
    let app = app.plugin(tauri_plugin_biometric::init());
    let built = app
        .setup(|app| {
            mysapk_core::secrets::use_platform_store()?;
            let config = core_config(app.handle())?;
            tracing::info!(data_dir = %config.data_dir.display(), server = ?config.server_url, "opening core");
            start_core(app.handle(), config)?;
            card_scan::watch_links(app.handle());
            #[cfg(target_os = "linux")]
            webkit::use_document_viewer_caches(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!());
    match built {
        Ok(app) => app.run(on_run_event),
        Err(e) => {
            tracing::error!("the app stopped: {e}");
            std::process::exit(1);
        }
    }
}

/// The run loop's events: nothing to do here; a phone's pause and resume arrive as window events
/// (`WindowEvent::Suspended`/`Resumed`, see `resume::on_lifecycle`), desktop uses window focus.
fn on_run_event<R: Runtime>(_app: &tauri::AppHandle<R>, _event: RunEvent) {}

#[cfg(test)]
mod tests;
