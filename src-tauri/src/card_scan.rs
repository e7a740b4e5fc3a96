//! "Periksa Kartu ASN" in the shell: a picture of a card's QR code read by the core, whether this build scans with
//! the camera (phones, `tauri-plugin-barcode-scanner`, called from the UI), and the card's verify link opening the
//! app (`tauri-plugin-deep-link`: `mysapk://verify/<token>` on desktop, the agency's
//! `https://<host>/api/v1/verify/<token>` app link on phones). A link is kept until the UI takes it
//! ([`take_card_link`]; the UI also hears [`CARD_LINK_EVENT`] while running), so a link that launched the app is
//! not lost before the UI is ready. Any other link is ignored.

use std::sync::Mutex;

use base64::Engine as _;
use mysapk_core::card_picture::{token_from_app_link, token_from_picture, MAX_PICTURE_BYTES};
use mysapk_model::Code;
use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use crate::{CommandError, CommandResult};

/// Emitted (no payload) when a card link arrives while the app runs: the UI takes it with [`take_card_link`].
pub const CARD_LINK_EVENT: &str = "card-link";

/// The token of the last card link that opened the app, until the UI takes it.
#[derive(Default)]
pub struct PendingCardLink(Mutex<Option<String>>);

/// The card token in the QR code of a picture (PNG or JPEG, base64), for the same check as a pasted link.
#[tauri::command]
pub async fn read_card_picture(content_base64: String) -> CommandResult<String> {
    // Base64 is 4/3 of the bytes: refuse what cannot fit before decoding it.
    if content_base64.len() / 4 * 3 > MAX_PICTURE_BYTES + 3 {
        return Err(CommandError(Code::CardPictureTooLarge.api_error()));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content_base64.trim())
        .map_err(|_| CommandError(Code::CardPictureNotImage.api_error()))?;
    tauri::async_runtime::spawn_blocking(move || token_from_picture(&bytes))
        .await
        .map_err(|_| CommandError(Code::CardPictureNotImage.api_error()))?
        .map_err(|e| {
            tracing::debug!(code = e.code().as_str(), "card picture not read");
            CommandError(e.code().api_error())
        })
}

/// Whether this build scans QR codes with the camera (phones only).
#[tauri::command]
pub fn camera_scanner() -> bool {
    cfg!(mobile)
}

/// The token of a card link that opened the app, once.
#[tauri::command]
pub fn take_card_link(pending: State<'_, PendingCardLink>) -> Option<String> {
    pending.0.lock().ok().and_then(|mut link| link.take())
}

/// Keep the token of the first card link among `urls` and tell the UI; ignore the rest.
pub fn open_links<R: Runtime>(app: &AppHandle<R>, urls: impl IntoIterator<Item = impl AsRef<str>>) {
    let token = urls.into_iter().find_map(|url| {
        let token = token_from_app_link(url.as_ref());
        if token.is_none() {
            // Never the link itself: it may carry someone's token.
            tracing::debug!("a link that is no card check was ignored");
        }
        token
    });
    let Some(token) = token else { return };
    let Some(pending) = app.try_state::<PendingCardLink>() else { return };
    if let Ok(mut link) = pending.0.lock() {
        *link = Some(token);
    }
    tracing::debug!("a card link opened the app");
    if let Err(e) = app.emit(CARD_LINK_EVENT, ()) {
        tracing::warn!("card link event not sent: {e}");
    }
}

/// The link that launched the app, and every later one (deep-link plugin).
pub fn watch_links<R: Runtime>(app: &AppHandle<R>) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let links = app.deep_link();
    match links.get_current() {
        Ok(Some(urls)) => open_links(app, urls.iter().map(|u| u.as_str().to_owned())),
        Ok(None) => {}
        Err(e) => tracing::warn!("reading the launch link: {e}"),
    }
    let handle = app.clone();
    links.on_open_url(move |event| open_links(&handle, event.urls().iter().map(|u| u.as_str().to_owned())));
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJFZERTQSJ9.eyJuaXAiOiIxIn0.c2ln";

    #[test]
    fn only_card_links_are_kept_and_taken_once() {
        let app = tauri::test::mock_builder()
            .manage(PendingCardLink::default())
            .build(tauri::test::mock_context(tauri::test::noop_assets()))
            .expect("app");
        let handle = app.handle();
        open_links(handle, ["https://example.com/x", "mysapk://other/a.b.c", "file:///etc/passwd"]);
        assert_eq!(take_card_link(handle.state()), None);
        open_links(handle, ["mysapk://nothing".to_owned(), format!("mysapk://verify/{TOKEN}")]);
        assert_eq!(take_card_link(handle.state()).as_deref(), Some(TOKEN));
        assert_eq!(take_card_link(handle.state()), None);
        open_links(handle, [format!("https://sapk.example.go.id/api/v1/verify/{TOKEN}")]);
        assert_eq!(take_card_link(handle.state()).as_deref(), Some(TOKEN));
    }

    #[tokio::test]
    async fn a_picture_is_bounded_before_decoding() {
        let err = |code: Code| Err(CommandError(code.api_error()));
        assert_eq!(read_card_picture("!!!".into()).await, err(Code::CardPictureNotImage));
        assert_eq!(read_card_picture("aGVsbG8=".into()).await, err(Code::CardPictureNotImage));
        let huge = "A".repeat(MAX_PICTURE_BYTES / 3 * 4 + 16);
        assert_eq!(read_card_picture(huge).await, err(Code::CardPictureTooLarge));
    }
}
