//! The SIASN step in the app: the server forwards approvals to the SIASN simulator (in this process); SIASN
//! refuses one, the agency's admin finds it under "Gagal ke SIASN" with SIASN's message and sends it again, and
//! the ASN's proposal then says "Tercatat di SIASN".

use std::process::Stdio;
use std::time::{Duration, Instant};

use mysapk_siasn_sim::{Person, SimConfig, Simulator};
use serde_json::{json, Value};

use super::*;

const ADMIN: &str = "198011202006041001";
const REFUSAL: &str = "Nomor SK jabatan sudah digunakan";

/// Budi's record in SIASN, as the server's facade serves it (his PNS id, agency and positions).
async fn add_budi(http: &reqwest::Client, base: &str, sim: &mysapk_siasn_sim::RunningSimulator) {
    let token = api_login(http, base, ASN).await;
    let mut data = Vec::new();
    for resource in ["data-utama", "rw-jabatan"] {
        let v: Value = http
            .get(format!("{base}/apisiasn/1.0/pns/{resource}/{ASN}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("facade")
            .json()
            .await
            .expect("facade json");
        data.push((resource, v["data"].clone()));
    }
    let utama = &data[0].1;
    let (Some(pns), Some(instansi)) = (utama["id"].as_str(), utama["instansiIndukId"].as_str()) else {
        panic!("Budi's data-utama: {utama}")
    };
    let mut budi = Person::new(pns, ASN, "Budi Santoso", instansi);
    for (resource, v) in data {
        budi.resources.insert(resource.to_owned(), v);
    }
    sim.data().add_person(budi);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desktop_siasn_refusal_is_retried_by_the_admin_and_recorded() {
    let _serial = SERIAL.lock().await;
    let app_bin = binary("mysapk-app");
    let sim = Simulator::start(SimConfig::default().with_min_interval(Duration::ZERO)).await.expect("simulator");
    let Demo { tmp: _tmp, db, addr, base, http, data_dir } = Demo::seeded();
    let child =
        server_cmd(&db, &addr).envs(sim.mysapk_env()).arg("serve").stdout(Stdio::null()).spawn().expect("spawn server");
    let _server = Proc(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !http.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status().is_success()) {
        assert!(Instant::now() < deadline, "the server did not start on {addr}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    add_budi(&http, &base, &sim).await;

    // SIASN refuses the approved change.
    sim.data().refuse_saves(Some(REFUSAL));
    let usulan_id = propose_over_http(&http, &base, NEW_JABATAN).await;
    decide(&http, &base, VERIFIER, &usulan_id, "verify").await;
    decide(&http, &base, APPROVER, &usulan_id, "approve").await;

    // The admin finds it with SIASN's message, and sends it again once SIASN takes it.
    let (_driver, wd) = launch_app(&app_bin, &base, &data_dir).await;
    app_login(&wd, ADMIN).await;
    wd.click(&wd.wait_for("[data-testid=open-admin]", LONG).await).await;
    wd.click(&wd.wait_for("[data-testid=open-siasn-failures]", LONG).await).await;
    let row = format!("[data-testid=siasn-failure][data-id='{usulan_id}']");
    // The worker polls every few seconds: reload until the refusal is listed.
    wd.wait_until(
        "the refused proposal in the list",
        "if (document.querySelector(arguments[0])) return true; \
         const r = document.querySelector('[data-testid=siasn-failures-reload]'); if (r && !r.disabled) r.click(); \
         return false;",
        json!([row]),
        LONG,
    )
    .await;
    let text = wd.text(&wd.wait_for(&row, LONG).await).await;
    assert!(text.contains(REFUSAL) && text.contains("Budi Santoso"), "{text}");
    save_screenshot(&wd, "s01-siasn-failure").await;
    sim.data().refuse_saves(None);
    wd.click(&wd.wait_for(&format!("[data-testid='siasn-failure-retry-{usulan_id}']"), LONG).await).await;
    wd.wait_until(
        "the retried proposal off the list",
        "return !document.querySelector(arguments[0]);",
        json!([row]),
        LONG,
    )
    .await;

    // The ASN's proposal says SIASN recorded it.
    app_logout(&wd).await;
    app_login(&wd, ASN).await;
    wd.click(&wd.wait_for("#nav-usulan", LONG).await).await;
    let step = format!("[data-testid='usulan-siasn-{usulan_id}']");
    wd.wait_until(
        "the proposal's SIASN step recorded (after a sync)",
        "const s = document.querySelector(arguments[0]); if (s && s.dataset.siasn === 'recorded') return true; \
         const b = document.querySelector('[data-testid=sync-now]'); if (b && !b.disabled) b.click(); return false;",
        json!([step]),
        LONG,
    )
    .await;
    let text = wd.text(&wd.wait_for(&step, LONG).await).await;
    assert!(text.contains("Tercatat di SIASN"), "{text}");
    assert_eq!(sim.data().saves().len(), 2, "one refused save, one recorded");
    save_screenshot(&wd, "s02-siasn-recorded").await;
}
