//! Linux only: WebKitGTK's memory caches sized for this app. The UI is one page with its assets embedded, never
//! navigated back and forth, so WebKit's default "web browser" cache model (a back/forward page cache and large
//! memory caches for resources of many sites) only costs memory. The "document viewer" model turns those off.
//!
//! Turning off accelerated compositing as well (`HardwareAccelerationPolicy::Never`) took the web process from
//! 188 to 122 MB under Xvfb (P9), but a WebDriver screenshot then crashed the desktop test suite once in CI, so it
//! is not set.

use tauri::{Manager, Runtime};
use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};

/// Set the document-viewer cache model on the web context of every window of `app`.
pub fn use_document_viewer_caches<R: Runtime>(app: &tauri::AppHandle<R>) {
    for (label, window) in app.webview_windows() {
        let set = window.with_webview(|webview| {
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
        if let Err(e) = set {
            tracing::warn!(window = %label, "WebKit cache model not set: {e}");
        }
    }
}
