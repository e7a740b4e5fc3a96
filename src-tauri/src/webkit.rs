//! Linux only: WebKitGTK tuned for this app. The UI is one page of forms, lists and small SVG charts with its
//! assets embedded, never navigated back and forth:
//! - WebKit's default "web browser" cache model keeps a back/forward page cache and large memory caches for
//!   resources of many sites; the "document viewer" model turns those off;
//! - accelerated compositing buys nothing for such a page, and without a GPU (a VM, Xvfb) it runs on software GL,
//!   which cost the web process about 70 MB (P9 in `docs/BENCHMARKS.md`).

use tauri::{Manager, Runtime};
use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};

/// Apply the settings above to every web view of `app` (called in the setup hook, before the first page loads).
pub fn tune_web_views<R: Runtime>(app: &tauri::AppHandle<R>) {
    for (label, window) in app.webview_windows() {
        let set = window.with_webview(|webview| {
            let view = webview.inner();
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
            if let Some(settings) = WebViewExt::settings(&view) {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(e) = set {
            tracing::warn!(window = %label, "WebKit settings not applied: {e}");
        }
    }
}
