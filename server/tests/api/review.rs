use mysapk_model::history::{HistoryData, HistoryKind};
use mysapk_model::notification::NotificationKind;
use mysapk_model::review::ReviewQueue;
use mysapk_model::sync::{Change, MutationOutcome};
use mysapk_model::usulan::{Usulan, UsulanAction, UsulanState};
use reqwest::StatusCode;

use crate::backend_tests;
use crate::fixtures::{add_jabatan, d, histories, new_id, propose};
use crate::support::{Ctx, ADMIN_A, APPROVER_A, BUDI, DEWI_B, INSTANSI_B, VERIFIKATOR_A};

backend_tests!(
    verify_then_approve_applies,
    return_and_resubmit,
    resubmit_with_a_changed_action_is_refused,
    approve_delete_gives_tombstone,
    other_agency_sees_nothing,
    concurrent_double_decision,
    decision_errors,
);

async fn queue(ctx: &Ctx, token: &str) -> ReviewQueue {
    let (status, body) = ctx.get("/api/v1/review/queue", Some(token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("queue")
}

fn usulan_of(changes: &[Change], id: &str) -> Option<Usulan> {
    changes.iter().find_map(|c| match c {
        Change::Usulan { usulan } if usulan.id == id => Some(usulan.clone()),
        _ => None,
    })
}

async fn verify_then_approve_applies(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&budi, "").await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;

    let v = ctx.token(VERIFIKATOR_A).await;
    let a = ctx.token(APPROVER_A).await;
    let q = queue(&ctx, &v).await;
    assert_eq!(q.items.len(), 1);
    assert_eq!(q.items[0].usulan.id, id);
    assert_eq!(q.items[0].asn_nama, "Budi Santoso, S.Kom.");
    assert!(queue(&ctx, &a).await.items.is_empty(), "approver waits for verification");

    let (status, body) = ctx.decide(&v, &id, "verify", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "verified");
    assert!(queue(&ctx, &v).await.items.is_empty());
    assert_eq!(queue(&ctx, &a).await.items.len(), 1);

    let (status, body) = ctx.decide(&a, &id, "approve", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let approved: Usulan = serde_json::from_value(body).expect("usulan");
    assert_eq!(approved.state, UsulanState::Approved);
    let states: Vec<UsulanState> = approved.events.iter().map(|e| e.state).collect();
    assert_eq!(states, [UsulanState::Submitted, UsulanState::Verified, UsulanState::Approved]);
    assert_eq!(approved.events[2].actor_nip, APPROVER_A);

    let page = ctx.pull(&budi, &cursor, None).await;
    let new_record = histories(&page.changes)
        .into_iter()
        .find(|r| r.last_usulan_id.as_deref() == Some(id.as_str()))
        .expect("applied record carries last_usulan_id");
    assert!(matches!(new_record.data, HistoryData::Jabatan(mysapk_model::history::Jabatan { .. })));
    assert_eq!(usulan_of(&page.changes, &id).map(|u| u.state), Some(UsulanState::Approved));
    let notes: Vec<_> = page
        .changes
        .iter()
        .filter_map(|c| match c {
            // The approval also evaluates Budi's service events (his seeded records carry no documents).
            Change::Notification { notification } if notification.kind != NotificationKind::Service => {
                Some(notification.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(notes.len(), 2, "verified and approved");
    assert!(notes.iter().all(|n| n.kind == NotificationKind::UsulanState && n.usulan_id.as_deref() == Some(&*id)));
    assert!(notes.iter().any(|n| n.state == Some(UsulanState::Approved)));
    let profile = page
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Profile { profile } => Some(profile.clone()),
            _ => None,
        })
        .expect("profile re-derived");
    assert_eq!(profile.jabatan_nama.as_deref(), Some("Pranata Komputer Ahli Muda"));

    let mut db = ctx.db().await;
    let audits: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('usulan.verify', 'usulan.approve') AND subject_nip = $1",
    )
    .bind(BUDI)
    .fetch_one(&mut db)
    .await
    .expect("audit");
    assert_eq!(audits, 2);
    let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'record.add'")
        .fetch_one(&mut db)
        .await
        .expect("audit");
    assert_eq!(applied, 1);
}

async fn return_and_resubmit(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let (status, body) = ctx.decide(&v, &id, "return", Some("SK belum dilampirkan")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "returned");
    assert_eq!(body["reason"], "SK belum dilampirkan");
    let resp = ctx.push(&budi, "dev", &[propose(2, &id, add_jabatan(d(2024, 7, 2), None))]).await;
    assert_eq!(resp.results[0].outcome, mysapk_model::sync::MutationOutcome::Applied);
    let (_, changes) = ctx.pull_all(&budi, "").await;
    let u = usulan_of(&changes, &id).expect("usulan");
    assert_eq!(u.state, UsulanState::Submitted);
    assert_eq!(u.events.len(), 3);
    let returned = changes.iter().any(|c| {
        matches!(c, Change::Notification { notification }
            if notification.state == Some(UsulanState::Returned)
                && notification.reason.as_deref() == Some("SK belum dilampirkan"))
    });
    assert!(returned);
}

/// A correction is the same usulan: a returned proposal to add a jabatan cannot come back as a deletion. The
/// refusal is recorded in the push (`usulan.action_changed`), the usulan stays returned, and a proper correction
/// still goes through.
async fn resubmit_with_a_changed_action_is_refused(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (_, changes) = ctx.pull_all(&budi, "").await;
    let jabatan =
        histories(&changes).into_iter().find(|r| r.data.kind() == HistoryKind::Jabatan).expect("a jabatan record");
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    assert_eq!(ctx.decide(&v, &id, "return", Some("SK belum dilampirkan")).await.0, StatusCode::OK);
    let changed = UsulanAction::DeleteHistory { record_id: jabatan.id.clone(), kind: HistoryKind::Jabatan };
    let resp = ctx.push(&budi, "dev", &[propose(2, &id, changed)]).await;
    assert!(
        matches!(&resp.results[0].outcome, MutationOutcome::Rejected { violation }
            if violation.code == "usulan.action_changed" && violation.field == "action"),
        "{:?}",
        resp.results[0].outcome
    );
    let (_, changes) = ctx.pull_all(&budi, "").await;
    assert_eq!(usulan_of(&changes, &id).expect("usulan").state, UsulanState::Returned);
    let resp = ctx.push(&budi, "dev", &[propose(3, &id, add_jabatan(d(2024, 7, 2), None))]).await;
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
}

async fn approve_delete_gives_tombstone(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (cursor, changes) = ctx.pull_all(&budi, "").await;
    let target = histories(&changes)
        .into_iter()
        .find(|r| matches!(&r.data, HistoryData::Golongan(mysapk_model::history::Golongan { golongan_id, .. }) if golongan_id == "32"))
        .expect("III/b record");
    let id = new_id();
    let action = UsulanAction::DeleteHistory { record_id: target.id.clone(), kind: HistoryKind::Golongan };
    ctx.push(&budi, "dev", &[propose(1, &id, action)]).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let q = queue(&ctx, &v).await;
    assert_eq!(q.items[0].official.as_ref().map(|r| r.id.clone()), Some(target.id.clone()));
    assert_eq!(ctx.decide(&v, &id, "verify", None).await.0, StatusCode::OK);
    let a = ctx.token(APPROVER_A).await;
    assert_eq!(ctx.decide(&a, &id, "approve", None).await.0, StatusCode::OK);
    let page = ctx.pull(&budi, &cursor, None).await;
    assert!(page.changes.iter().any(
        |c| matches!(c, Change::HistoryDeleted { id, kind } if *id == target.id && *kind == HistoryKind::Golongan)
    ));
    let profile = page.changes.iter().find_map(|c| match c {
        Change::Profile { profile } => Some(profile.clone()),
        _ => None,
    });
    assert_eq!(profile.and_then(|p| p.golongan_id).as_deref(), Some("31"));
}

async fn other_agency_sees_nothing(ctx: Ctx) {
    // Agency B has no reviewer in the demo data: make one from Dewi's account row.
    let reviewer_b = "198701012012121001";
    let mut db = ctx.db().await;
    sqlx::query(
        "INSERT INTO users (nip, password_hash, roles, instansi_id, created_at) \
         SELECT $1, password_hash, 'asn,verifikator,approver', instansi_id, created_at FROM users WHERE nip = $2",
    )
    .bind(reviewer_b)
    .bind(DEWI_B)
    .execute(&mut db)
    .await
    .expect("create reviewer B");
    let b = ctx.login(reviewer_b).await;
    assert_eq!(b.user.instansi_id, INSTANSI_B);

    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    assert!(queue(&ctx, &b.access_token).await.items.is_empty());
    let (status, body) = ctx.decide(&b.access_token, &id, "verify", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["code"], "usulan.not_found");
    let (status, body) = ctx.decide(&b.access_token, "no-such-id", "verify", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("usulan.not_found")));

    // B's own proposal reaches B's reviewer only.
    let dewi = ctx.token(DEWI_B).await;
    let dewi_id = new_id();
    ctx.push(&dewi, "dev", &[propose(1, &dewi_id, add_jabatan(d(2024, 7, 1), None))]).await;
    let q = queue(&ctx, &b.access_token).await;
    assert_eq!(q.items.iter().map(|i| i.usulan.id.clone()).collect::<Vec<_>>(), std::slice::from_ref(&dewi_id));
    let v = ctx.token(VERIFIKATOR_A).await;
    assert!(queue(&ctx, &v).await.items.iter().all(|i| i.usulan.id != dewi_id));
    let (status, _) = ctx.decide(&v, &dewi_id, "verify", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn concurrent_double_decision(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let v1 = ctx.token(VERIFIKATOR_A).await;
    let v2 = ctx.token(VERIFIKATOR_A).await;
    let (r1, r2) = tokio::join!(ctx.decide(&v1, &id, "verify", None), ctx.decide(&v2, &id, "verify", None));
    let mut statuses = [r1.0, r2.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{r1:?} {r2:?}");
    let loser = if r1.0 == StatusCode::CONFLICT { r1.1 } else { r2.1 };
    assert_eq!(loser["code"], "decision.already_decided", "{loser}");
    let msg = loser["message"].as_str().unwrap_or_default();
    assert!(msg.contains("verified") && msg.contains(VERIFIKATOR_A), "{msg}");
    let mut db = ctx.db().await;
    let attempts: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT action, device_id FROM audit_log WHERE entity_id = $1 AND action LIKE 'usulan.%' ORDER BY at",
    )
    .bind(&id)
    .fetch_all(&mut db)
    .await
    .expect("audit");
    let actions: Vec<&str> = attempts.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(actions, ["usulan.submit", "usulan.verify", "usulan.decision_refused"]);
    // Two approvals at once: one applies the change, exactly once.
    let a1 = ctx.token(APPROVER_A).await;
    let a2 = ctx.token(APPROVER_A).await;
    let (r1, r2) = tokio::join!(ctx.decide(&a1, &id, "approve", None), ctx.decide(&a2, &id, "approve", None));
    let mut statuses = [r1.0, r2.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT], "{r1:?} {r2:?}");
    let (_, changes) = ctx.pull_all(&budi, "").await;
    assert_eq!(usulan_of(&changes, &id).map(|u| u.events.len()), Some(3));
    let applied = histories(&changes).iter().filter(|r| r.last_usulan_id.as_deref() == Some(id.as_str())).count();
    assert_eq!(applied, 1);
}

async fn decision_errors(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let a = ctx.token(APPROVER_A).await;
    let (status, body) = ctx.decide(&a, &id, "verify", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("decision.wrong_role")));
    let (status, body) = ctx.decide(&v, &id, "reject", Some("  ")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("decision.reason_required")));
    assert_eq!(body["field"], "reason");
    let (status, body) = ctx.decide(&a, &id, "approve", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("decision.wrong_state")));
    // An ASN without a reviewer role has no queue.
    let (status, body) = ctx.get("/api/v1/review/queue", Some(&ctx.token(ADMIN_A).await)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("review.not_reviewer")));
    let (status, _) = ctx.decide(&budi, &id, "verify", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A reviewer never decides their own proposal.
    let own = new_id();
    ctx.push(&v, "dev", &[propose(1, &own, add_jabatan(d(2024, 7, 1), None))]).await;
    assert!(queue(&ctx, &v).await.items.iter().all(|i| i.usulan.id != own), "own proposal not in own queue");
    let (status, body) = ctx.decide(&v, &own, "verify", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("decision.own_proposal")));
}
