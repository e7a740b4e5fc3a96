//! Approved changes SIASN cannot take from mysapk, entered in SIASN by hand by the agency's admin, against the
//! SIASN simulator: the change waits (listed for the admin, never sent by the worker) and an import keeps it
//! (a changed record keeps the approved value, a deleted one is not added back) until the admin marks it entered;
//! then the proposal's step is `recorded` (pulled by the ASN's device) and the next import takes SIASN's copy.

use std::time::Duration;

use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::record::VerifiedFields;
use mysapk_model::siasn::forward::{NotForwardable, SiasnManual, SiasnStep};
use mysapk_model::sync::Change;
use mysapk_model::usulan::UsulanAction;
use mysapk_server::db::records;
use mysapk_siasn_sim::{RunningSimulator, Simulator};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::AnyPool;

use crate::backend_tests;
use crate::siasn_forward::{approved, client, import_nip, official, sim_config, step, worker};
use crate::support::{Ctx, ADMIN_A, BUDI, DEWI_B};

/// Budi as SIASN holds him, his records linked to SIASN by a first import; approvals are queued for SIASN from
/// now on.
async fn linked(ctx: &Ctx) -> (RunningSimulator, AnyPool) {
    let sim = Simulator::start(sim_config(Duration::ZERO)).await.expect("simulator");
    crate::siasn_import::add_demo(ctx, &sim, BUDI).await;
    let pool = mysapk_server::db::connect(&ctx.db_url).await.expect("pool");
    let first = import_nip(&pool, &client(&sim), BUDI).await;
    assert!(first.failed.is_empty(), "{first:?}");
    ctx.live.forward_to_siasn();
    (sim, pool)
}

/// Budi's first record of `kind` linked to SIASN.
async fn linked_record(ctx: &Ctx, kind: HistoryKind) -> HistoryRecord {
    let history = records::list_history(&mut ctx.db().await, BUDI).await.expect("history");
    let found = history.into_iter().find(|r| r.siasn_id.is_some() && r.data.kind() == kind);
    found.unwrap_or_else(|| panic!("a {kind:?} linked to SIASN"))
}

async fn outbox_state(ctx: &Ctx, id: &str) -> Option<String> {
    sqlx::query_scalar("SELECT state FROM siasn_outbox WHERE usulan_id = $1")
        .bind(id)
        .fetch_optional(&mut ctx.db().await)
        .await
        .expect("outbox")
}

/// The agency's waiting changes as `token`'s admin sees them.
async fn waiting(ctx: &Ctx, token: &str) -> Vec<SiasnManual> {
    let (s, body) = ctx.get("/api/v1/admin/siasn/manual", Some(token)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("waiting changes")
}

/// Whether Budi has a (not deleted) record linked to SIASN's `siasn_id`.
async fn holds(ctx: &Ctx, siasn_id: &str) -> bool {
    let history = records::list_history(&mut ctx.db().await, BUDI).await.expect("history");
    history.iter().any(|r| r.siasn_id.as_deref() == Some(siasn_id))
}

async fn make_admin(ctx: &Ctx, nip: &str) {
    sqlx::query("UPDATE users SET roles = 'asn,admin' WHERE nip = $1")
        .bind(nip)
        .execute(&mut ctx.db().await)
        .await
        .expect("role");
}

async fn a_change_siasn_cannot_take_survives_imports_until_an_admin_marks_it_entered(ctx: Ctx) {
    let (sim, pool) = linked(&ctx).await;
    let siasn = client(&sim);
    let golongan = linked_record(&ctx, HistoryKind::Golongan).await;
    let HistoryData::Golongan(mut changed) = golongan.data.clone() else { panic!("{golongan:?}") };
    changed.sk_nomor = "823.3/KP.0777/2026".to_owned();
    let approved_data = HistoryData::Golongan(changed);
    let action = UsulanAction::ChangeHistory { record_id: golongan.id.clone(), data: approved_data.clone() };
    let id = approved(&ctx, action).await;
    assert_eq!(step(&ctx, &id).await, Some(SiasnStep::NotForwardable { reason: NotForwardable::NoEndpoint }));
    assert_eq!(outbox_state(&ctx, &id).await.as_deref(), Some("manual"));

    // The worker never sends it: nothing is due, nothing reaches SIASN, the row still waits.
    let w = worker(&ctx, &sim, client(&sim)).await;
    assert_eq!(w.run_once().await.expect("round"), 0);
    assert!(sim.data().saves().is_empty(), "{:?}", sim.data().saves());
    assert_eq!(outbox_state(&ctx, &id).await.as_deref(), Some("manual"));

    // SIASN still serves the old number: an import keeps the approved one.
    let held = import_nip(&pool, &siasn, BUDI).await;
    assert_eq!((held.failed.len(), held.changes), (0, 0), "{held:?}");
    assert_eq!(official(&ctx, &golongan.id).await, approved_data);

    // Listed for its agency's admin only (and not as a failure).
    let admin = ctx.token(ADMIN_A).await;
    let list = waiting(&ctx, &admin).await;
    assert_eq!(list.iter().map(|m| m.usulan_id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
    assert_eq!((list[0].nip.as_str(), list[0].reason), (BUDI, NotForwardable::NoEndpoint));
    assert!(list[0].nama.is_some());
    let (_, failed) = ctx.get("/api/v1/admin/siasn/failed", Some(&admin)).await;
    assert_eq!(failed, json!([]));
    make_admin(&ctx, DEWI_B).await;
    let other_admin = ctx.token(DEWI_B).await;
    assert!(waiting(&ctx, &other_admin).await.is_empty());

    // Who may list and mark it: not the ASN, not another agency's admin; an unknown proposal is not found.
    let path = format!("/api/v1/admin/usulan/{id}/siasn-manual");
    let budi = ctx.token(BUDI).await;
    let (s, body) = ctx.get("/api/v1/admin/siasn/manual", Some(&budi)).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin.not_admin")), "{body}");
    let (s, body) = ctx.post(&path, Some(&budi), &json!({})).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin.not_admin")), "{body}");
    let (s, body) = ctx.post(&path, Some(&other_admin), &json!({})).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("usulan.not_found")), "{body}");
    let (s, body) = ctx.post("/api/v1/admin/usulan/no-such-usulan/siasn-manual", Some(&admin), &Value::Null).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("usulan.not_found")), "{body}");
    assert_eq!(ctx.audit_count("usulan.siasn_manual", &id).await, 0);
    assert_eq!(outbox_state(&ctx, &id).await.as_deref(), Some("manual"));

    // Marked: recorded (on the ASN's device too), off the list, audited; a second mark is a conflict.
    let (s, body) = ctx.post(&path, Some(&admin), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!((body["status"].as_str(), &body["siasn_id"]), (Some("recorded"), &Value::Null), "{body}");
    assert!(matches!(step(&ctx, &id).await, Some(SiasnStep::Recorded { siasn_id: None, .. })));
    assert_eq!(ctx.audit_count("usulan.siasn_manual", &id).await, 1);
    let (_, changes) = ctx.pull_all(&budi, "0").await;
    assert!(changes.iter().any(|c| matches!(c, Change::Usulan { usulan }
        if usulan.id == id && matches!(usulan.siasn, Some(SiasnStep::Recorded { siasn_id: None, .. })))));
    assert!(waiting(&ctx, &admin).await.is_empty());
    let (s, body) = ctx.post(&path, Some(&admin), &json!({})).await;
    assert_eq!((s, body["code"].as_str()), (StatusCode::CONFLICT, Some("usulan.siasn_not_manual")), "{body}");

    // The hold has ended: SIASN is the system of record again, and the next import takes its copy.
    let after = import_nip(&pool, &siasn, BUDI).await;
    assert_eq!((after.failed.len(), after.changes), (0, 1), "{after:?}");
    assert_eq!(official(&ctx, &golongan.id).await, golongan.data);
    pool.close().await;
}

async fn an_approved_deletion_is_not_undone_by_an_import_while_it_waits(ctx: Ctx) {
    let (sim, pool) = linked(&ctx).await;
    let siasn = client(&sim);
    let gone = linked_record(&ctx, HistoryKind::Pendidikan).await;
    let siasn_id = gone.siasn_id.clone().expect("linked");
    let id =
        approved(&ctx, UsulanAction::DeleteHistory { record_id: gone.id.clone(), kind: HistoryKind::Pendidikan }).await;
    assert_eq!(step(&ctx, &id).await, Some(SiasnStep::NotForwardable { reason: NotForwardable::Deletion }));
    assert!(!holds(&ctx, &siasn_id).await);

    // SIASN still lists it: the import does not add it back.
    let held = import_nip(&pool, &siasn, BUDI).await;
    assert_eq!((held.failed.len(), held.changes), (0, 0), "{held:?}");
    assert!(!holds(&ctx, &siasn_id).await, "the deleted pendidikan came back");

    // The admin deletes it in SIASN and marks it: the next import finds nothing to add back.
    assert!(sim.data().update_person(BUDI, |p| {
        let list = p.resources.get_mut("rw-pendidikan").and_then(Value::as_array_mut).expect("rw-pendidikan");
        list.retain(|r| r["id"].as_str() != Some(siasn_id.as_str()));
    }));
    let admin = ctx.token(ADMIN_A).await;
    let (s, body) = ctx.post(&format!("/api/v1/admin/usulan/{id}/siasn-manual"), Some(&admin), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let after = import_nip(&pool, &siasn, BUDI).await;
    assert_eq!((after.failed.len(), after.changes), (0, 0), "{after:?}");
    assert!(!holds(&ctx, &siasn_id).await);
    pool.close().await;
}

/// A verified field SIASN holds but takes no write of (the place of birth): entered by hand, the profile held.
async fn a_verified_field_change_waits_for_manual_entry(ctx: Ctx) {
    let (sim, pool) = linked(&ctx).await;
    let siasn = client(&sim);
    let before = records::get_profile(&mut ctx.db().await, BUDI).await.expect("read").expect("Budi");
    let fields = VerifiedFields { tempat_lahir: Some("Surabaya".into()), ..VerifiedFields::default() };
    let id = approved(&ctx, UsulanAction::ChangeVerifiedFields { fields }).await;
    assert_eq!(step(&ctx, &id).await, Some(SiasnStep::NotForwardable { reason: NotForwardable::NoEndpoint }));
    assert_eq!(outbox_state(&ctx, &id).await.as_deref(), Some("manual"));
    let held = import_nip(&pool, &siasn, BUDI).await;
    assert_eq!((held.failed.len(), held.changes), (0, 0), "{held:?}");
    let place =
        || async { records::get_profile(&mut ctx.db().await, BUDI).await.expect("read").expect("Budi").tempat_lahir };
    assert_eq!(place().await, "Surabaya");

    let admin = ctx.token(ADMIN_A).await;
    let (s, body) = ctx.post(&format!("/api/v1/admin/usulan/{id}/siasn-manual"), Some(&admin), &json!({})).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let after = import_nip(&pool, &siasn, BUDI).await;
    assert_eq!((after.failed.len(), after.changes), (0, 1), "{after:?}");
    assert_eq!(place().await, before.tempat_lahir, "SIASN (not changed there in this test) is the record again");
    pool.close().await;
}

backend_tests!(
    a_change_siasn_cannot_take_survives_imports_until_an_admin_marks_it_entered,
    an_approved_deletion_is_not_undone_by_an_import_while_it_waits,
    a_verified_field_change_waits_for_manual_entry,
);
