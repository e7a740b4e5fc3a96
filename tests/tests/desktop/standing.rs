//! Issue 4 in the desktop app: the Kinerja & Kompetensi screen (SKP chart, IP ASN, 9-box, radar, suggestions
//! that open the form recording them), the ASN card whose QR token the server verifies, a layanan update the
//! admin posts reaching the inbox without a user action (server-sent nudge), a derived service event opening
//! its category, and every new notification raising a system notification on D-Bus.

use std::time::Duration;

use serde_json::{json, Value};

use crate::{
    api_login, app_login, binary, launch_app, notification_daemon, save_screenshot, server_cmd, start_server,
    watch_notifications, Demo, ASN, LONG, SERIAL,
};

const ADMIN: &str = "198011202006041001";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_standing_card_and_service_notifications() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp, db, addr, base, http, data_dir } = Demo::seeded();
    // The derived events of today, as the server's schedule would create them.
    let evaluated = server_cmd(&db, &addr).arg("evaluate-services").status().expect("evaluate-services");
    assert!(evaluated.success(), "evaluate-services failed");
    let _server = start_server(&http, &db, &addr).await;

    let notify_log = tmp.path().join("notify.log");
    let _daemon = notification_daemon();
    let _monitor = watch_notifications(&notify_log);
    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;
    app_login(&wd, ASN).await;

    // Kinerja & Kompetensi, from the local database.
    wd.click(&wd.wait_for("[data-testid=open-standing]", LONG).await).await;
    wd.wait_for("[data-testid=standing]", LONG).await;
    let total = wd.text(&wd.wait_for("[data-testid=ip-asn-total]", LONG).await).await;
    assert!(total.trim().chars().any(|c| c.is_ascii_digit()), "the IP ASN total is shown: {total:?}");
    wd.wait_for("[data-testid=ip-asn-band]", LONG).await;
    for dim in ["kualifikasi", "kompetensi", "kinerja", "disiplin"] {
        wd.wait_for(&format!("[data-testid=ip-asn-dimension-{dim}]"), LONG).await;
    }
    wd.wait_for("[data-testid=skp-chart]", LONG).await;
    wd.wait_for("[data-testid=skp-quadrant]", LONG).await;
    wd.wait_for("[data-testid=nine-box] [data-current=true]", LONG).await;
    wd.wait_for("[data-testid=radar-kompetensi]", LONG).await;
    wd.wait_for("[data-testid=radar-potensi]", LONG).await;
    let labelled = wd
        .execute(
            "return [...document.querySelectorAll('[data-testid=standing] svg')]
                .every(s => s.getAttribute('role') === 'img' && (s.getAttribute('aria-label') || '').length > 0);",
            json!([]),
        )
        .await;
    assert_eq!(labelled, Value::Bool(true), "every chart is labelled for screen readers");
    save_screenshot(&wd, "k01-standing").await;
    wd.execute("document.querySelector('[data-testid=nine-box]').scrollIntoView();", json!([])).await;
    save_screenshot(&wd, "k02-standing-talent").await;

    // A suggestion opens the form that records it.
    wd.click(&wd.wait_for("[data-testid=suggestion-0]", LONG).await).await;
    wd.wait_for("#history-form", LONG).await;
    save_screenshot(&wd, "k03-suggestion-form").await;
    app_beranda(&wd).await;

    // The ASN card: its QR holds a token the server verifies.
    wd.click(&wd.wait_for("[data-testid=open-card]", LONG).await).await;
    wd.wait_for("[data-testid=asn-card]", LONG).await;
    let url = wd
        .wait_until(
            "the card's QR code",
            "const q = document.querySelector('[data-testid=card-qr] svg'); const c = document.querySelector('[data-verify-url]');
             return q && c && c.dataset.verifyUrl;",
            json!([]),
            LONG,
        )
        .await;
    let url = url.as_str().expect("verify url").to_owned();
    save_screenshot(&wd, "k04-card").await;
    let check: Value = http.get(&url).send().await.expect("verify").json().await.expect("verify json");
    assert_eq!(check["valid"], Value::Bool(true), "{check}");
    assert_eq!(check["nip"], ASN, "{check}");

    // "Periksa Kartu ASN": the QR code's text pasted and checked on the device with the key set a sync cached;
    // a tampered token is refused.
    wd.click(&wd.wait_for("[data-testid=card-check-open]", LONG).await).await;
    let verdict = |text: String| {
        let wd = &wd;
        async move {
            let input = wd.wait_for("[data-testid=card-check-input]", LONG).await;
            wd.clear(&input).await;
            wd.type_text(&input, &text).await;
            wd.click(&wd.wait_for("[data-testid=card-check-submit]", LONG).await).await;
            let token = text.rsplit_once("/api/v1/verify/").map_or(text.as_str(), |(_, t)| t).to_owned();
            wd.wait_until(
                "the card check's verdict",
                "const r = document.querySelector('[data-testid=card-check-result]');
                 return r && r.dataset.token === arguments[0] && (r.dataset.status === 'valid' ? 'valid' : r.dataset.reason);",
                json!([token]),
                LONG,
            )
            .await
        }
    };
    // The key set arrives with the sync after the one that renewed the card token.
    let mut status = Value::Null;
    for _ in 0..10 {
        status = verdict(url.clone()).await;
        if status == "valid" {
            break;
        }
        assert_eq!(status, "unknown_key", "before the key set arrived");
        wd.click(&wd.wait_for("[data-testid=sync-now]", LONG).await).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    assert_eq!(status, "valid");
    let nip = wd.text(&wd.wait_for("[data-testid=card-check-nip]", LONG).await).await;
    assert_eq!(nip, ASN);
    save_screenshot(&wd, "k05-card-check").await;
    let (signed, signature) = url.rsplit_once('.').expect("a JWS");
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    assert_eq!(verdict(format!("{signed}.{flipped}{}", &signature[1..])).await, "bad_signature");
    app_beranda(&wd).await;

    // The admin posts a layanan update: the server's nudge brings it without a user action.
    let admin = api_login(&http, &base, ADMIN).await;
    let posted = http
        .post(format!("{base}/api/v1/admin/layanan"))
        .bearer_auth(&admin)
        .json(&json!({"nip": ASN, "layanan": "kenaikan_pangkat", "stage": "diusulkan",
                      "note": "Berkas KP sudah dikirim ke BKN."}))
        .send()
        .await
        .expect("layanan update");
    assert!(posted.status().is_success(), "layanan update: {}", posted.status());
    wd.click(&wd.wait_for("#nav-inbox", LONG).await).await;
    let layanan = wd
        .wait_until(
            "the layanan update in the inbox",
            "const n = document.querySelector('[data-kind=layanan][data-read=false]'); return n && n.dataset.testid;",
            json!([]),
            Duration::from_secs(60),
        )
        .await;
    save_screenshot(&wd, "k05-inbox-services").await;
    wd.click(&wd.wait_for(&format!("[data-testid='{}']", layanan.as_str().unwrap_or_default()), LONG).await).await;
    wd.wait_until(
        "the update is read and its note shown",
        "const n = document.querySelector(`[data-testid='${arguments[0]}']`);
         return n && n.dataset.read === 'true' && document.body.textContent.includes('Berkas KP sudah dikirim ke BKN.');",
        json!([layanan]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "k06-layanan-detail").await;

    // A derived service event opens its category.
    let service = wd
        .wait_until(
            "a service event with a category",
            "const n = document.querySelector('[data-kind=service][data-history-kind]:not([data-service=skp_missing])');
             return n && [n.dataset.testid, n.dataset.historyKind];",
            json!([]),
            LONG,
        )
        .await;
    let (testid, kind) = (service[0].as_str().unwrap_or_default(), service[1].as_str().unwrap_or_default());
    wd.click(&wd.wait_for(&format!("[data-testid='{testid}']"), LONG).await).await;
    wd.wait_for(&format!("#history-{kind}"), LONG).await;
    save_screenshot(&wd, "k07-service-category").await;
    wd.quit().await;

    if notify_log.exists() && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let log = std::fs::read_to_string(&notify_log).unwrap_or_default();
        println!("Notify calls seen on the session bus: {}", log.matches("member=Notify").count());
        assert!(log.contains("Berkas KP sudah dikirim ke BKN."), "the layanan update raised a system notification");
    }
}

/// Back to the beranda from any screen.
async fn app_beranda(wd: &crate::webdriver::WebDriver) {
    wd.click(&wd.wait_for("#nav-beranda", LONG).await).await;
    wd.wait_for("[data-testid=screen-beranda]", LONG).await;
}
