//! "Ganti server" on the login screen: plain HTTP is refused, an agency's https server is kept across a restart,
//! and "the app's own server" goes back to the configured one, with which the login works again.

use serde_json::json;

use crate::webdriver::WebDriver;
use crate::{app_login, binary, launch_app, save_screenshot, start_server, Demo, ASN, LONG, SERIAL};

const AGENCY: &str = "mysapk.instansi.go.id";

async fn current_server(wd: &WebDriver) -> String {
    wd.text(&wd.wait_for("[data-testid=login-server-current]", LONG).await).await
}

/// Open the server form (when collapsed), type `url` and save.
async fn choose(wd: &WebDriver, url: &str) {
    if let Some(change) = wd.find("[data-testid=login-server-change]").await {
        wd.click(&change).await;
    }
    let field = wd.wait_for("#login-server-url", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, url).await;
    wd.click(&wd.wait_for("[data-testid=login-server-save]", LONG).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_login_screen_chooses_the_agency_server() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let _server = start_server(&http, &db, &addr).await;
    let (driver, wd) = launch_app(&app_bin, &base, &data_dir).await;
    let shown = current_server(&wd).await;
    assert!(shown.contains(&addr), "the configured server is shown: {shown}");

    choose(&wd, &format!("http://{AGENCY}")).await;
    wd.wait_for("[data-testid=login-server-error]", LONG).await;
    let code =
        wd.execute("return document.querySelector('[data-testid=login-server-error]').dataset.code", json!([])).await;
    assert_eq!(code, json!("transport.insecure_url"));
    save_screenshot(&wd, "s01-plain-http-refused").await;

    choose(&wd, AGENCY).await;
    wd.wait_until(
        "the agency server shown",
        "const el = document.querySelector('[data-testid=login-server-current]'); \
         return !!el && el.innerText.includes(arguments[0]) && !document.querySelector('#login-server-url');",
        json!([AGENCY]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "s02-agency-server").await;
    wd.quit().await;
    drop(driver);

    // Kept by the device across a restart, over MYSAPK_SERVER_URL.
    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;
    let shown = current_server(&wd).await;
    assert!(shown.contains(AGENCY), "the choice survived a restart: {shown}");

    // Back to the configured server, and the login works there.
    wd.click(&wd.wait_for("[data-testid=login-server-change]", LONG).await).await;
    wd.click(&wd.wait_for("[data-testid=login-server-default]", LONG).await).await;
    wd.wait_until(
        "the configured server shown again",
        "const el = document.querySelector('[data-testid=login-server-current]'); \
         return !!el && el.innerText.includes(arguments[0]);",
        json!([addr]),
        LONG,
    )
    .await;
    app_login(&wd, ASN).await;
    wd.quit().await;
}
