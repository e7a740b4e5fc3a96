//! Issue 15, "the card, checked by camera" on the desktop: "Periksa Kartu ASN" checks another ASN's card (a) from
//! its verify link pasted (answered by the server, with the holder's name), (b) from a PNG picture of its QR code picked through the file input (decoded in Rust),
//! (c) from the picture again with the server stopped (offline, the cached card keys), and (d) from the app launched
//! with the card's `mysapk://verify/<token>` link as its argument (the desktop deep link).

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::webdriver::WebDriver;
use crate::{
    api_login, app_login, binary, launch_app, launch_app_args, save_screenshot, start_server, Demo, ASN, LONG, SERIAL,
    VERIFIER,
};

/// Another ASN's card token, fetched as their own device would.
async fn card_token(http: &reqwest::Client, base: &str, nip: &str) -> String {
    let access = api_login(http, base, nip).await;
    let card: Value = http
        .post(format!("{base}/api/v1/card"))
        .bearer_auth(access)
        .json(&json!({}))
        .send()
        .await
        .expect("card")
        .json()
        .await
        .expect("card json");
    card["token"].as_str().unwrap_or_else(|| panic!("no card token: {card}")).to_owned()
}

/// `text` as a QR code in a PNG file (black modules on white, a quiet zone), as a screenshot of the card would be.
fn write_qr_png(path: &Path, text: &str) {
    let code = qrcode::QrCode::new(text.as_bytes()).expect("encodable");
    let image = code.render::<image::Luma<u8>>().min_dimensions(360, 360).quiet_zone(true).build();
    image.save_with_format(path, image::ImageFormat::Png).expect("write the QR picture");
}

/// The verdict shown for `token` checked from `source` (`text`, `picture`, `link`): `valid` or the reason.
async fn verdict(wd: &WebDriver, token: &str, source: &str) -> Value {
    wd.wait_until(
        "the card check's verdict",
        "const r = document.querySelector('[data-testid=card-check-result]');
         return r && r.dataset.token === arguments[0] && r.dataset.source === arguments[1]
             && (r.dataset.status === 'valid' ? 'valid' : r.dataset.reason);",
        json!([token, source]),
        LONG,
    )
    .await
}

/// Who answered the check shown: `server` or `device`.
async fn checked_by(wd: &WebDriver) -> Value {
    wd.execute("return document.querySelector('[data-testid=card-check-result]')?.dataset.by ?? null;", json!([])).await
}

async fn paste(wd: &WebDriver, text: &str) {
    let input = wd.wait_for("[data-testid=card-check-input]", LONG).await;
    wd.clear(&input).await;
    wd.type_text(&input, text).await;
    wd.click(&wd.wait_for("[data-testid=card-check-submit]", LONG).await).await;
}

/// Pick `path` in the picture input (WebDriver "send keys" of a file path to an `<input type=file>`).
async fn pick(wd: &WebDriver, path: &Path) {
    // No earlier answer may pass for this one.
    wd.execute(
        "for (const s of ['card-check-result', 'card-check-error']) document.querySelector(`[data-testid=${s}]`)?.remove();",
        json!([]),
    )
    .await;
    let input = wd.wait_for("[data-testid=card-check-picture]", LONG).await;
    wd.type_text(&input, &path.to_string_lossy()).await;
}

/// The error code shown after a picture that gives no token.
async fn picture_error(wd: &WebDriver) -> Value {
    wd.wait_until(
        "the picture's error",
        "const e = document.querySelector('[data-testid=card-check-error]'); return e && e.dataset.code;",
        json!([]),
        LONG,
    )
    .await
}

async fn open_card_check(wd: &WebDriver) {
    // Beranda → card → card check, each step clicked again while its button is still there after 5 s. Right after
    // a login the PIN setup card appears above the beranda and moves what is below it: a click in that moment can
    // land beside the button (a full run once stayed on the beranda).
    wd.wait_for("[data-testid=open-card]", LONG).await;
    for _ in 0..6 {
        if wd.find("[data-testid=screen-card_check]").await.is_some() {
            return;
        }
        for button in ["[data-testid=card-check-open]", "[data-testid=open-card]"] {
            if let Some(element) = wd.find(button).await {
                wd.click(&element).await;
                break;
            }
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline && wd.find("[data-testid=screen-card_check]").await.is_none() {
            if wd.find("[data-testid=card-check-open]").await.is_some()
                && wd.find("[data-testid=screen-card]").await.is_some()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    wd.wait_for("[data-testid=screen-card_check]", LONG).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_card_check_by_link_picture_offline_and_deep_link() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let server = start_server(&http, &db, &addr).await;
    let token = card_token(&http, &base, VERIFIER).await;
    let url = format!("{base}/api/v1/verify/{token}");

    let (driver, wd) = launch_app(&app_bin, &base, &data_dir).await;
    app_login(&wd, ASN).await;
    open_card_check(&wd).await;
    // A desktop build has no camera scanner: no scan button.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(wd.find("[data-testid=card-check-scan]").await.is_none(), "no camera button on desktop");

    // (a) The verify link pasted: online, the server answers, naming the holder.
    paste(&wd, &url).await;
    assert_eq!(verdict(&wd, &token, "text").await, "valid", "the pasted link");
    assert_eq!(checked_by(&wd).await, "server");
    assert_eq!(wd.text(&wd.wait_for("[data-testid=card-check-nip]", LONG).await).await, VERIFIER);
    let name = wd.text(&wd.wait_for("[data-testid=card-check-name]", LONG).await).await;
    assert!(!name.is_empty() && name != wd.text(&wd.wait_for("[data-testid=card-check-instansi]", LONG).await).await);
    save_screenshot(&wd, "c01-card-check-link").await;

    // (b) A PNG of the card's QR code, picked through the file input and decoded in Rust.
    let qr = tmp.path().join("kartu-qr.png");
    write_qr_png(&qr, &url);
    pick(&wd, &qr).await;
    assert_eq!(verdict(&wd, &token, "picture").await, "valid", "the picture of the QR");
    assert_eq!(wd.text(&wd.wait_for("[data-testid=card-check-nip]", LONG).await).await, VERIFIER);
    save_screenshot(&wd, "c02-card-check-picture").await;
    // Pictures that give no card: each its own message.
    let other = tmp.path().join("other-qr.png");
    write_qr_png(&other, "https://example.com/bukan-kartu");
    pick(&wd, &other).await;
    assert_eq!(picture_error(&wd).await, "card_picture.not_card");
    let not_image = tmp.path().join("not-image.png");
    std::fs::write(&not_image, b"this is not a picture").expect("write");
    pick(&wd, &not_image).await;
    assert_eq!(picture_error(&wd).await, "card_picture.not_image");
    let blank = tmp.path().join("blank.png");
    image::GrayImage::from_pixel(200, 120, image::Luma([255])).save(&blank).expect("write blank");
    pick(&wd, &blank).await;
    assert_eq!(picture_error(&wd).await, "card_picture.no_qr");
    save_screenshot(&wd, "c03-card-check-no-qr").await;

    // (c) Offline: the key set arrives with a sync after the first one; then the server stops and the picture is
    // checked on the device with the cached keys.
    let mut keys = Value::Null;
    for _ in 0..15 {
        wd.click(&wd.wait_for("[data-testid=sync-now]", LONG).await).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
        paste(&wd, &url).await;
        verdict(&wd, &token, "text").await;
        keys = wd
            .execute("return document.querySelector('[data-testid=card-check-keys]')?.dataset.keys ?? null;", json!([]))
            .await;
        if keys == "yes" {
            break;
        }
    }
    assert_eq!(keys, "yes", "the card key set reached the device");
    drop(server);
    let stopped = http.get(format!("{base}/healthz")).send().await;
    assert!(stopped.is_err(), "the server is stopped");
    pick(&wd, &qr).await;
    assert_eq!(verdict(&wd, &token, "picture").await, "valid", "the picture, offline");
    assert_eq!(checked_by(&wd).await, "device");
    // A tampered token is refused offline too.
    let (signed, signature) = token.rsplit_once('.').expect("a JWS");
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let forged = format!("{signed}.{flipped}{}", &signature[1..]);
    paste(&wd, &forged).await;
    assert_eq!(verdict(&wd, &forged, "text").await, "bad_signature");
    save_screenshot(&wd, "c04-card-check-offline").await;
    wd.quit().await;
    drop(driver);

    // (d) The app launched by the card's app link: after the login, "Periksa Kartu ASN" opens with the token
    // checked (the session's keyring is new, so the app asks for the password again).
    let _server = start_server(&http, &db, &addr).await;
    let link = format!("mysapk://verify/{token}");
    let (_driver, wd) = launch_app_args(&app_bin, &base, &data_dir, &[], &[&link]).await;
    wd.wait_for("#login-nip, [data-testid=screen-card_check]", LONG).await;
    if wd.find("#login-nip").await.is_some() {
        login_to_card_check(&wd).await;
    }
    wd.wait_for("[data-testid=screen-card_check]", LONG).await;
    assert_eq!(verdict(&wd, &token, "link").await, "valid", "the deep link");
    assert_eq!(wd.text(&wd.wait_for("[data-testid=card-check-nip]", LONG).await).await, VERIFIER);
    save_screenshot(&wd, "c05-card-check-deep-link").await;
    wd.quit().await;
}

/// Log in through the login screen; the pending card link then opens the check (not the beranda).
async fn login_to_card_check(wd: &WebDriver) {
    let field = wd.wait_for("#login-nip", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, ASN).await;
    wd.type_text(&wd.wait_for("#login-password", LONG).await, crate::PASSWORD).await;
    wd.click(&wd.wait_for("#login-submit", LONG).await).await;
}
