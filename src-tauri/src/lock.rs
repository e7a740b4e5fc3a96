//! The app lock's commands and the moments it locks again: the core holds the lock (a locked core refuses
//! personal data with `app.locked`); the shell tells it when the app goes to the background and comes back (desktop:
//! window focus; phones: the activity paused and resumed), and on phones unlocks it after the OS confirmed the user
//! by biometrics, so the core trusts the shell's word, never a claim of the web view.

use std::time::Instant;

use mysapk_model::view::LockStatus;
use tauri::{AppHandle, Emitter, Manager, Runtime, State, WindowEvent};

use crate::commands::AppCore;
use crate::error::CommandResult;

/// The event that carries a new [`LockStatus`] to the UI (locked again after a while away, unlocked, the session
/// ended by wrong PINs).
pub const LOCK_STATUS_EVENT: &str = "lock-status";

fn emit<R: Runtime>(app: &AppHandle<R>, status: &LockStatus) {
    if let Err(e) = app.emit(LOCK_STATUS_EVENT, status) {
        tracing::debug!("lock status event not sent: {e}");
    }
}

/// Tell the UI after a command that may end the session (the fifth wrong PIN), whatever its outcome.
fn emit_current<R: Runtime>(app: &AppHandle<R>, core: &AppCore) {
    if let Ok(status) = core.0.lock_status() {
        emit(app, &status);
    }
}

/// The lock as the lock screen sees it (nothing personal).
#[tauri::command]
pub async fn lock_status(core: State<'_, AppCore>) -> CommandResult<LockStatus> {
    Ok(core.0.lock_status()?)
}

/// Set the PIN after a login (6 digits).
#[tauri::command]
pub async fn set_pin<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, AppCore>,
    pin: String,
) -> CommandResult<LockStatus> {
    let status = core.0.set_pin(&pin)?;
    emit(&app, &status);
    Ok(status)
}

/// Unlock with the PIN; the fifth wrong one in a row ends the session (`app.pin_locked_out`).
#[tauri::command]
pub async fn unlock_pin<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, AppCore>,
    pin: String,
) -> CommandResult<LockStatus> {
    let result = core.0.unlock_pin(&pin).await;
    emit_current(&app, &core);
    Ok(result?)
}

/// Change the PIN (needs the current one).
#[tauri::command]
pub async fn change_pin<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, AppCore>,
    current_pin: String,
    pin: String,
) -> CommandResult<LockStatus> {
    let result = core.0.change_pin(&current_pin, &pin).await;
    emit_current(&app, &core);
    Ok(result?)
}

/// Remove the PIN (needs the current one).
#[tauri::command]
pub async fn remove_pin<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, AppCore>,
    current_pin: String,
) -> CommandResult<LockStatus> {
    let result = core.0.remove_pin(&current_pin).await;
    emit_current(&app, &core);
    Ok(result?)
}

/// Lock now (when a PIN is set).
#[tauri::command]
pub async fn lock_now<R: Runtime>(app: AppHandle<R>, core: State<'_, AppCore>) -> CommandResult<LockStatus> {
    let status = core.0.lock_now()?;
    emit(&app, &status);
    Ok(status)
}

/// Phones: unlock after the OS confirmed the user with a fingerprint or the face (the biometric plugin's Rust
/// API, called here; the web view only asks). `reason` is the text the system prompt shows, in the UI's language.
#[cfg(mobile)]
#[tauri::command]
pub async fn unlock_biometric<R: Runtime>(
    app: AppHandle<R>,
    core: State<'_, AppCore>,
    reason: String,
) -> CommandResult<LockStatus> {
    use tauri_plugin_biometric::{AuthOptions, BiometricExt};
    let options = AuthOptions { allow_device_credential: false, ..Default::default() };
    if let Err(e) = app.biometric().authenticate(reason, options) {
        tracing::info!("biometric unlock refused: {e}");
        return Err(crate::error::CommandError(mysapk_model::Code::AppBiometricFailed.api_error()));
    }
    let status = core.0.unlock_by_platform()?;
    emit(&app, &status);
    Ok(status)
}

/// A window event: going to the background and coming back (desktop: focus; phones: the activity paused and
/// resumed). Coming back after [`mysapk_core::BACKGROUND_LOCK`] with a PIN set locks the app.
pub fn on_window_event<R: Runtime>(app: &AppHandle<R>, event: &WindowEvent) {
    let away = match event {
        WindowEvent::Focused(focused) => !*focused,
        #[cfg(mobile)]
        WindowEvent::Suspended => true,
        #[cfg(mobile)]
        WindowEvent::Resumed => false,
        _ => return,
    };
    let Some(core) = app.try_state::<AppCore>() else { return };
    if away {
        core.0.app_to_background(Instant::now());
    } else if core.0.app_to_foreground(Instant::now()) {
        emit_current(app, &core);
    }
}
