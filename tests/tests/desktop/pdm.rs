//! The PDM path in the app: a proposal made offline is approved, and reviewers decide in the app offline.

use std::time::Duration;

use serde_json::json;

use crate::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_app_offline_usulan_is_approved() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let Demo { tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let mut server = Some(start_server(&http, &db, &addr).await);

    let notify_log = tmp.path().join("notify.log");
    let _daemon = notification_daemon();
    let _monitor = watch_notifications(&notify_log);

    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;

    // Login.
    let nip = wd.wait_for("#login-nip", LONG).await;
    wd.type_text(&nip, ASN).await;
    let pw = wd.wait_for("#login-password", LONG).await;
    wd.type_text(&pw, PASSWORD).await;
    save_screenshot(&wd, "01-login").await;
    let submit = wd.wait_for("#login-submit", LONG).await;
    wd.click(&submit).await;

    // Beranda shows the record after the first sync.
    let name = wd.wait_for("[data-testid=asn-nip]", LONG).await;
    assert_eq!(wd.text(&name).await, ASN);
    let name = wd.wait_for("[data-testid=asn-name]", LONG).await;
    assert!(wd.text(&name).await.contains("Budi Santoso"));
    let current = wd.text(&wd.wait_for("[data-testid=asn-jabatan]", LONG).await).await;
    assert_ne!(current, NEW_JABATAN);
    wd.wait_for("[data-testid=category-jabatan]", LONG).await;
    save_screenshot(&wd, "02-beranda").await;
    wd.click(&wd.wait_for("[data-testid=category-jabatan]", LONG).await).await;
    wd.wait_for("#history-jabatan [data-record-id]", LONG).await;

    // Offline: the server stops.
    drop(server.take());
    tokio::time::sleep(Duration::from_secs(1)).await;

    // Propose a change of the newest jabatan record.
    let record_id = wd
        .execute(
            "const li = document.querySelector('#history-jabatan [data-record-id]'); return li && li.dataset.recordId;",
            json!([]),
        )
        .await;
    let record_id = record_id.as_str().expect("a jabatan record").to_owned();
    let change = wd.wait_for(&format!("[data-testid='change-{record_id}']"), LONG).await;
    wd.click(&change).await;
    let field = wd.wait_for("#f-jabatan_nama", LONG).await;
    wd.clear(&field).await;
    wd.type_text(&field, NEW_JABATAN).await;
    // The SK Jabatan (mandatory for this category) as a PDF file.
    let sk = tmp.path().join("sk-jabatan.pdf");
    std::fs::write(&sk, test_pdf("SK Jabatan")).expect("write the PDF");
    wd.type_text(&wd.wait_for("[data-testid=doc-872]", LONG).await, &sk.to_string_lossy()).await;
    wd.wait_for("[data-testid=doc-slot-872][data-attached=true]", LONG).await;
    save_screenshot(&wd, "03-propose-form").await;
    wd.click(&wd.wait_for("#propose-submit", LONG).await).await;

    // It waits in the outbox.
    let usulan_id = wd
        .wait_until(
            "a queued proposal beside the record",
            "const b = document.querySelector(`[data-record-id='${arguments[0]}'] [data-state=queued]`);
             return !document.querySelector('#history-form') && b && b.dataset.testid.replace('usulan-state-', '');",
            json!([record_id]),
            LONG,
        )
        .await;
    let usulan_id = usulan_id.as_str().expect("usulan id").to_owned();
    wd.wait_until(
        "the sync bar shows offline with one pending",
        "const s = document.querySelector('#sync-bar'); return s && s.dataset.pending !== '0';",
        json!([]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "04-queued-offline").await;

    // Online again: the sync loop submits it on its own.
    server = Some(start_server(&http, &db, &addr).await);
    let state_of = "const b = document.querySelector(`[data-testid='usulan-state-${arguments[0]}']`);
                    return b && b.dataset.state === arguments[1];";
    wd.wait_until("the proposal is submitted", state_of, json!([usulan_id, "submitted"]), Duration::from_secs(180))
        .await;
    save_screenshot(&wd, "05-submitted").await;

    // The verifier and the approver accept it.
    decide(&http, &base, VERIFIER, &usulan_id, "verify").await;
    decide(&http, &base, APPROVER, &usulan_id, "approve").await;

    // The app pulls the applied change and the notification.
    wd.click(&wd.wait_for("[data-testid=category-back]", LONG).await).await;
    wd.wait_until(
        "the beranda shows the new jabatan",
        "const j = document.querySelector('[data-testid=asn-jabatan]'); return j && j.textContent.trim() === arguments[0];",
        json!([NEW_JABATAN]),
        Duration::from_secs(180),
    )
    .await;
    save_screenshot(&wd, "06-approved-beranda").await;

    wd.click(&wd.wait_for("#nav-inbox", LONG).await).await;
    let note = wd
        .wait_until(
            "an unread approval notification",
            "const n = document.querySelector(`[data-usulan='${arguments[0]}'][data-state=approved][data-read=false]`);
             return n && n.dataset.testid;",
            json!([usulan_id]),
            LONG,
        )
        .await;
    save_screenshot(&wd, "07-inbox").await;
    let note = wd.wait_for(&format!("[data-testid='{}']", note.as_str().unwrap_or_default()), LONG).await;
    wd.click(&note).await;
    wd.wait_until("the proposal opens approved", state_of, json!([usulan_id, "approved"]), LONG).await;
    save_screenshot(&wd, "08-usulan").await;

    wd.quit().await;
    drop(server);

    if notify_log.exists() && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let log = std::fs::read_to_string(&notify_log).unwrap_or_default();
        println!("Notify calls seen on the session bus: {}", log.matches("member=Notify").count());
        assert!(log.contains("member=Notify"), "no system notification was raised on D-Bus");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_reviewers_decide_offline_and_the_asn_sees_the_change() {
    let _serial = SERIAL.lock().await;
    const REVIEWED_JABATAN: &str = "Analis Kepegawaian Ahli Madya";
    let app_bin = binary("mysapk-app");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let mut server = Some(start_server(&http, &db, &addr).await);
    let usulan_id = propose_over_http(&http, &base, REVIEWED_JABATAN).await;

    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;

    // The verifier sees the proposal in the work queue.
    app_login(&wd, VERIFIER).await;
    wd.wait_until(
        "the beranda counts the waiting proposal",
        "const c = document.querySelector('[data-testid=review-waiting]'); return c && Number(c.dataset.count) > 0;",
        json!([]),
        Duration::from_secs(180),
    )
    .await;
    save_screenshot(&wd, "r01-verifier-beranda").await;
    open_review(&wd, &usulan_id).await;
    wd.wait_for("[data-testid=compare-jabatan_nama][data-changed=true]", LONG).await;
    // The attached SK Jabatan opens in the app (fetched from the server, kept for offline use).
    wd.click(&wd.wait_for("[data-testid=review-documents] [data-testid=open-doc-872]", LONG).await).await;
    wd.wait_for("[data-testid=doc-viewer][data-mime='application/pdf']", LONG).await;
    save_screenshot(&wd, "r01b-review-document").await;
    wd.click(&wd.wait_for("[data-testid=doc-close]", LONG).await).await;

    // Offline: the verifier verifies; the decision waits in the outbox.
    drop(server.take());
    tokio::time::sleep(Duration::from_secs(1)).await;
    save_screenshot(&wd, "r02-review-screen").await;
    wd.click(&wd.wait_for("#decide-verify", LONG).await).await;
    wd.wait_for("[data-testid=decision-status][data-status=queued]", LONG).await;
    wd.wait_until(
        "the sync bar shows a pending mutation",
        "const s = document.querySelector('#sync-bar'); return s && s.dataset.pending !== '0';",
        json!([]),
        LONG,
    )
    .await;
    save_screenshot(&wd, "r03-decision-queued-offline").await;
    wd.click(&wd.wait_for("[data-testid=review-back]", LONG).await).await;
    wd.wait_for(&format!("[data-testid='review-decision-{usulan_id}'][data-status=queued]"), LONG).await;
    save_screenshot(&wd, "r04-queue-offline").await;

    // Online again: the sync loop sends the decision and the pull takes the item out of the queue.
    server = Some(start_server(&http, &db, &addr).await);
    wd.wait_until(
        "the verified proposal leaves the verifier's queue",
        "return !!document.querySelector('[data-testid=queue-list]') &&
                !document.querySelector(`[data-testid='review-row-${arguments[0]}']`) &&
                document.querySelector('#sync-bar').dataset.pending === '0';",
        json!([usulan_id]),
        Duration::from_secs(180),
    )
    .await;
    save_screenshot(&wd, "r05-queue-after-sync").await;

    // The approver approves it in the app.
    app_logout(&wd).await;
    app_login(&wd, APPROVER).await;
    open_review(&wd, &usulan_id).await;
    save_screenshot(&wd, "r06-approver-review").await;
    wd.click(&wd.wait_for("#decide-approve", LONG).await).await;
    wd.click(&wd.wait_for("[data-testid=review-back]", LONG).await).await;
    wd.wait_until(
        "the approved proposal leaves the approver's queue",
        "return !!document.querySelector('[data-testid=queue-list]') &&
                !document.querySelector(`[data-testid='review-row-${arguments[0]}']`);",
        json!([usulan_id]),
        Duration::from_secs(180),
    )
    .await;

    // The ASN sees the applied record.
    app_logout(&wd).await;
    app_login(&wd, ASN).await;
    wd.wait_until(
        "the ASN's beranda shows the approved jabatan",
        "const j = document.querySelector('[data-testid=asn-jabatan]'); return j && j.textContent.trim() === arguments[0];",
        json!([REVIEWED_JABATAN]),
        Duration::from_secs(180),
    )
    .await;
    save_screenshot(&wd, "r07-asn-applied").await;

    wd.quit().await;
    drop(server);
}
