//! The agency admin locks an account, and the login screen says why.

use serde_json::{json, Value};

use crate::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_admin_locks_an_account_and_the_login_says_why() {
    let _serial = SERIAL.lock().await;
    const ADMIN: &str = "198011202006041001";
    const REASON: &str = "Data sedang diaudit";
    let app_bin = binary("mysapk-app");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let server = start_server(&http, &db, &addr).await;
    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;

    app_login(&wd, ADMIN).await;
    wd.click(&wd.wait_for("[data-testid=open-admin]", LONG).await).await;
    let q = wd.wait_for("#admin-q", LONG).await;
    wd.type_text(&q, "Budi").await;
    wd.click(&wd.wait_for("[data-testid=admin-search]", LONG).await).await;
    wd.click(&wd.wait_for(&format!("[data-testid='lock-{ASN}']"), LONG).await).await;
    let reason = wd.wait_for("[data-testid=lock-reason]", LONG).await;
    wd.type_text(&reason, REASON).await;
    wd.click(&wd.wait_for("[data-testid=lock-confirm]", LONG).await).await;
    wd.wait_for(&format!("[data-testid='account-{ASN}'][data-locked=true]"), LONG).await;
    wd.click(&wd.wait_for(&format!("[data-testid='reset-{ASN}']"), LONG).await).await;
    wd.wait_for(&format!("[data-testid='reset-code-{ASN}']"), LONG).await;
    save_screenshot(&wd, "a01-admin-locked").await;

    let title = wd.wait_for("#announce-title", LONG).await;
    wd.type_text(&title, "Libur nasional").await;
    let body = wd.wait_for("#announce-body", LONG).await;
    wd.type_text(&body, "Kantor tutup tanggal 17.").await;
    wd.click(&wd.wait_for("[data-testid=announce-send]", LONG).await).await;
    wd.wait_for("[data-testid=admin-notice]", LONG).await;
    save_screenshot(&wd, "a02-admin-announced").await;

    // The agency's audit log shows the lock, newest first, with its reason, actor and device.
    wd.click(&wd.wait_for("[data-testid=open-agency-audit]", LONG).await).await;
    wd.wait_for("[data-testid=agency-audit-list]", LONG).await;
    let row = wd.wait_for("[data-testid=agency-audit-row][data-action='account.lock']", LONG).await;
    let text = wd.text(&row).await;
    assert!(text.contains("Akun dikunci") && text.contains(REASON) && text.contains(ADMIN), "{text}");
    let first =
        wd.execute("return document.querySelector('[data-testid=agency-audit-row]').dataset.action", json!([])).await;
    assert_eq!(first, json!("announcement.send"), "newest first");
    let filter = wd.wait_for("[data-testid=agency-audit-filter]", LONG).await;
    wd.type_text(&filter, "dikunci").await;
    wd.wait_until(
        "the filter keeps only the lock",
        "const r = [...document.querySelectorAll('[data-testid=agency-audit-row]')]; \
         return r.length > 0 && r.every(e => e.dataset.action === 'account.lock')",
        json!([]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "a02b-agency-audit").await;

    // The locked ASN's login says why.
    app_logout(&wd).await;
    let field = wd.wait_for("#login-nip", LONG).await;
    wd.type_text(&field, ASN).await;
    wd.type_text(&wd.wait_for("#login-password", LONG).await, PASSWORD).await;
    wd.click(&wd.wait_for("#login-submit", LONG).await).await;
    let error = wd.wait_for("[data-testid=login-error][data-code='auth.locked']", LONG).await;
    let text = wd.text(&error).await;
    assert!(text.contains("Akun dikunci") && text.contains(REASON), "{text}");
    save_screenshot(&wd, "a03-login-locked").await;

    // A new account (created over HTTP, no password yet) is activated in the app with a one-time code.
    let admin_token = api_login(&http, &base, ADMIN).await;
    let created = http
        .post(format!("{base}/api/v1/admin/accounts"))
        .bearer_auth(&admin_token)
        .json(&json!({"nip": NEW_NIP, "nama": "Rina Aktivasi", "tanggal_lahir": "1995-03-15",
            "tempat_lahir": "Bandung", "email": null, "unor_nama": "Biro Umum", "roles": []}))
        .send()
        .await
        .expect("create account");
    assert!(created.status().is_success(), "create account: {}", created.status());
    let field = wd.wait_for("#login-nip", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, NEW_NIP).await;
    let pw = wd.wait_for("#login-password", LONG).await;
    wd.clear(&pw).await;
    wd.type_text(&pw, "belum-ada-123").await;
    wd.click(&wd.wait_for("#login-submit", LONG).await).await;
    // Not activated answers as any wrong password does; the hint offers the activation form.
    wd.wait_for("[data-testid=login-error][data-code='auth.invalid_credentials']", LONG).await;
    let hint = wd.text(&wd.wait_for("[data-testid=login-not-activated]", LONG).await).await;
    assert!(hint.contains("kode aktivasi"), "{hint}");
    save_screenshot(&wd, "a04-login-not-activated").await;
    wd.click(&wd.wait_for("[data-testid=login-open-activate]", LONG).await).await;
    wd.wait_for("[data-testid=activate-form]", LONG).await;

    // The admin issues the code (over HTTP here); a wrong code first, then the right one.
    let code: Value = http
        .post(format!("{base}/api/v1/admin/accounts/{NEW_NIP}/reset-code"))
        .bearer_auth(&admin_token)
        .json(&json!({}))
        .send()
        .await
        .expect("reset code")
        .json()
        .await
        .expect("reset code json");
    let code = code["code"].as_str().unwrap_or_else(|| panic!("no code: {code}")).to_owned();
    let nip_value = wd.execute("return document.querySelector('[data-testid=activate-nip]').value", json!([])).await;
    assert_eq!(nip_value, json!(NEW_NIP), "the NIP carries over from the login form");
    let code_field = wd.wait_for("[data-testid=activate-code]", LONG).await;
    wd.type_text(&code_field, "SALAH123").await;
    wd.type_text(&wd.wait_for("[data-testid=activate-password]", LONG).await, NEW_PASSWORD).await;
    wd.type_text(&wd.wait_for("[data-testid=activate-password2]", LONG).await, NEW_PASSWORD).await;
    wd.click(&wd.wait_for("[data-testid=activate-submit]", LONG).await).await;
    let wrong = wd.wait_for("[data-testid=activate-error][data-code='auth.reset_invalid']", LONG).await;
    assert!(wd.text(&wrong).await.contains("Kode salah"), "a clear message for a wrong code");
    let code_field = wd.wait_for("[data-testid=activate-code]", LONG).await;
    wd.clear(&code_field).await;
    wd.type_text(&code_field, &code).await;
    save_screenshot(&wd, "a05-activate-form").await;
    wd.click(&wd.wait_for("[data-testid=activate-submit]", LONG).await).await;
    wd.wait_for("[data-testid=screen-beranda]", LONG).await;
    wd.wait_until(
        "the new account's record on the beranda",
        "return document.body.innerText.includes(arguments[0])",
        json!(["Rina Aktivasi"]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "a06-activated-beranda").await;

    // The audit trail names the actions in words.
    wd.click(&wd.wait_for("[data-testid=open-audit]", LONG).await).await;
    wd.wait_until(
        "translated audit actions",
        "return document.body.innerText.includes(arguments[0])",
        json!(["Kata sandi ditetapkan dengan kode"]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "a07-audit-translated").await;

    wd.quit().await;
    drop(server);
}
