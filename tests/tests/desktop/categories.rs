//! Every category screen of the desktop app, and the family flow of PDM: the ASN adds a child with a birth
//! certificate PDF, confirms the family data ("data sudah sesuai"), and after the reviewers approve, the
//! category turns complete. A screenshot of each category screen goes to `target/screenshots/`.

use std::time::Duration;

use serde_json::{json, Value};

use crate::webdriver::WebDriver;
use crate::{
    app_login, binary, decide, launch_app, save_screenshot, start_server, test_pdf, Demo, APPROVER, ASN, LONG, SERIAL,
    VERIFIER,
};

/// Every category, in checklist order (the wire names of `HistoryKind`).
const KINDS: [&str; 18] = [
    "cpns_pns",
    "golongan",
    "pmk",
    "pendidikan",
    "jabatan",
    "diklat",
    "kursus",
    "orang_tua",
    "pasangan",
    "anak",
    "penghargaan",
    "hukuman_disiplin",
    "pindah_instansi",
    "cltn",
    "angka_kredit",
    "skp",
    "skp_lama",
    "organisasi",
];

/// Set a form control's value the way a user's typing does (Svelte listens to `input` and `change`).
async fn set_value(wd: &WebDriver, css: &str, value: &str) {
    wd.wait_for(css, LONG).await;
    wd.execute(
        "const el = document.querySelector(arguments[0]);
         el.value = arguments[1];
         el.dispatchEvent(new Event('input', { bubbles: true }));
         el.dispatchEvent(new Event('change', { bubbles: true }));",
        json!([css, value]),
    )
    .await;
}

async fn open_category(wd: &WebDriver, kind: &str) {
    wd.click(&wd.wait_for(&format!("[data-testid=category-{kind}]"), LONG).await).await;
    wd.wait_for(&format!("#history-{kind}"), LONG).await;
}

async fn back(wd: &WebDriver) {
    wd.click(&wd.wait_for("[data-testid=category-back]", LONG).await).await;
    wd.wait_for("[data-testid=category-list]", LONG).await;
}

fn status_is(kind: &str, status: &str) -> (String, Value) {
    (
        "const el = document.querySelector(`[data-testid=category-status-${arguments[0]}]`);
         return el && el.dataset.status === arguments[1];"
            .to_owned(),
        json!([kind, status]),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_family_member_is_added_confirmed_and_complete() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let _server = start_server(&http, &db, &addr).await;
    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;
    app_login(&wd, ASN).await;

    // Every category has its screen.
    wd.wait_for("[data-testid=category-list]", LONG).await;
    save_screenshot(&wd, "c00-beranda-categories").await;
    for (i, kind) in KINDS.iter().enumerate() {
        open_category(&wd, kind).await;
        save_screenshot(&wd, &format!("c{:02}-{kind}", i + 1)).await;
        back(&wd).await;
    }

    // Add a child with the birth certificate.
    open_category(&wd, "anak").await;
    wd.click(&wd.wait_for("[data-testid=add-record]", LONG).await).await;
    wd.wait_for("[data-testid=history-form]", LONG).await;
    for (field, value) in [
        ("nama", "Putri Ayu Lestari"),
        ("tempat_lahir", "Bandung"),
        ("tanggal_lahir", "2021-06-17"),
        ("jenis_kelamin", "F"),
        ("nomor_akta_kelahiran", "3273-LT-17062021-0042"),
        ("status_anak", "kandung"),
    ] {
        set_value(&wd, &format!("#f-{field}"), value).await;
    }
    let alive = wd.wait_for("[data-testid=field-hidup]", LONG).await;
    let checked = wd.execute("return document.querySelector('[data-testid=field-hidup]').checked;", json!([])).await;
    if checked != json!(true) {
        wd.click(&alive).await;
    }
    let akta = tmp.path().join("akta-kelahiran.pdf");
    std::fs::write(&akta, test_pdf("Akta Kelahiran")).expect("write the PDF");
    wd.type_text(&wd.wait_for("[data-testid=doc-x-akta-lahir]", LONG).await, &akta.to_string_lossy()).await;
    wd.wait_for("[data-testid=doc-slot-x-akta-lahir][data-attached=true]", LONG).await;
    save_screenshot(&wd, "c20-anak-form").await;
    wd.click(&wd.wait_for("[data-testid=submit-usulan]", LONG).await).await;

    // The addition waits beside the list; the family data is confirmed meanwhile.
    let usulan_id = wd
        .wait_until(
            "the proposed child is listed as pending",
            "const b = document.querySelector('[data-testid=pending-additions] [data-testid^=usulan-state-]');
             return !document.querySelector('[data-testid=history-form]') && b && b.dataset.testid.replace('usulan-state-', '');",
            json!([]),
            LONG,
        )
        .await;
    let usulan_id = usulan_id.as_str().expect("usulan id").to_owned();
    wd.click(&wd.wait_for("[data-testid=confirm-category]", LONG).await).await;
    wd.wait_for("[data-testid=category-confirmed]", LONG).await;
    let submitted = "const b = document.querySelector(`[data-testid='usulan-state-${arguments[0]}']`);
                     return b && b.dataset.state === 'submitted';";
    wd.wait_until("the proposal reached the server", submitted, json!([usulan_id]), Duration::from_secs(180)).await;
    save_screenshot(&wd, "c21-anak-waiting").await;
    back(&wd).await;
    let (script, args) = status_is("anak", "waiting");
    wd.wait_until("the category waits for a decision", &script, args, LONG).await;

    // The reviewers approve; the category turns complete.
    decide(&http, &base, VERIFIER, &usulan_id, "verify").await;
    decide(&http, &base, APPROVER, &usulan_id, "approve").await;
    let (script, args) = status_is("anak", "complete");
    wd.wait_until("the child category is complete", &script, args, Duration::from_secs(180)).await;
    save_screenshot(&wd, "c22-beranda-anak-complete").await;
    open_category(&wd, "anak").await;
    wd.wait_until(
        "the child is in the official record",
        "return document.querySelector('#history-anak').textContent.includes('Putri Ayu Lestari')
             && !document.querySelector('[data-testid=pending-additions] [data-testid^=usulan-state-]');",
        json!([]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "c23-anak-complete").await;
    wd.quit().await;
}
