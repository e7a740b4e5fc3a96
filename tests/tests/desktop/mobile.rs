//! Issue 15, "Ready for the stores", in the desktop WebKit at a phone's size: the back gesture goes back a screen
//! through the web view's history (what Tauri's Android app plugin does with the system back: `WebView.goBack()`
//! while the web view can go back), and from the home screen there is nothing left to go back to (the system then
//! leaves the app). The page is laid out for a notched phone (`viewport-fit=cover`, the status bar's colour).

use std::time::Duration;

use serde_json::{json, Value};

use crate::{app_login, binary, launch_app, save_screenshot, start_server, Demo, ASN, LONG, SERIAL};

/// The system back gesture: the web view goes back one history entry, if it has one. `false` when it had none.
/// The app's guard entry has a state; the page's own first entry has none (the web view cannot go back from it).
async fn back_gesture(wd: &crate::webdriver::WebDriver) -> bool {
    let could = wd.execute("return history.state !== null;", json!([])).await == Value::Bool(true);
    if could {
        wd.execute("history.back();", json!([])).await;
    }
    settle().await;
    could
}

/// Let the traversal and its `popstate` run.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(400)).await;
}

async fn on_screen(wd: &crate::webdriver::WebDriver, name: &str) {
    wd.wait_for(&format!("[data-testid=screen-{name}]"), LONG).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_phone_back_gesture_goes_back_a_screen() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let _server = start_server(&http, &db, &addr).await;
    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;
    wd.set_window_size(390, 844).await;
    app_login(&wd, ASN).await;

    // Laid out for a phone with a notch and a coloured status bar.
    let head = wd
        .execute(
            "return [document.querySelector('meta[name=viewport]').content,
                     [...document.querySelectorAll('meta[name=theme-color]')].map(m => m.content).join(' ')];",
            json!([]),
        )
        .await;
    assert!(head[0].as_str().is_some_and(|v| v.contains("viewport-fit=cover")), "{head}");
    assert_eq!(head[1], "#1d4ed8 #172554", "the header's colours, light and dark");

    // Home: nothing to go back to.
    assert!(!back_gesture(&wd).await, "no history entry on the home screen");
    on_screen(&wd, "beranda").await;

    // Home → card → card check: back, back, and then nothing left.
    wd.click(&wd.wait_for("[data-testid=open-card]", LONG).await).await;
    on_screen(&wd, "card").await;
    wd.click(&wd.wait_for("[data-testid=card-check-open]", LONG).await).await;
    on_screen(&wd, "card_check").await;
    save_screenshot(&wd, "m01-phone-card-check").await;
    assert!(back_gesture(&wd).await);
    on_screen(&wd, "card").await;
    assert!(back_gesture(&wd).await);
    on_screen(&wd, "beranda").await;
    assert!(!back_gesture(&wd).await, "home again: the next gesture leaves the app");
    on_screen(&wd, "beranda").await;

    // A tab sits one step above home, whatever came before it.
    wd.click(&wd.wait_for("[data-testid=open-standing]", LONG).await).await;
    on_screen(&wd, "standing").await;
    wd.click(&wd.wait_for("[data-testid=nav-inbox]", LONG).await).await;
    on_screen(&wd, "inbox").await;
    assert!(back_gesture(&wd).await);
    on_screen(&wd, "beranda").await;

    // The tab bar's home forgets the history: nothing to go back to.
    wd.click(&wd.wait_for("[data-testid=nav-usulan]", LONG).await).await;
    on_screen(&wd, "usulan").await;
    wd.click(&wd.wait_for("[data-testid=nav-beranda]", LONG).await).await;
    on_screen(&wd, "beranda").await;
    settle().await;
    assert!(!back_gesture(&wd).await, "no guard entry left after going home by the tab bar");
    on_screen(&wd, "beranda").await;
    save_screenshot(&wd, "m02-phone-home").await;
    wd.quit().await;
}
