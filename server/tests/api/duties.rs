//! Separation of duties: the verifier of a proposal never takes the approver's step on it (over HTTP and offline),
//! and a caller without the role of an admin or review route gets 403 before the body is looked at.

use mysapk_model::sync::MutationOutcome;
use mysapk_model::usulan::Decision;
use reqwest::StatusCode;
use serde_json::json;

use crate::fixtures::{add_jabatan, d, new_id, propose};
use crate::review_feed::decide;
use crate::support::{Ctx, ADMIN_A, APPROVER_A, BUDI, VERIFIKATOR_A};

crate::backend_tests!(
    the_verifier_is_never_the_approver,
    the_verifier_is_never_the_approver_offline,
    roles_are_decided_before_the_body,
);

/// Give the verifier the approver role too, so only the separation of duties stands in the way.
async fn verifier_also_approver(ctx: &Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let (status, body) = ctx
        .post(
            &format!("/api/v1/admin/accounts/{VERIFIKATOR_A}/roles"),
            Some(&admin),
            &json!({"role": "approver", "grant": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn verified_proposal(ctx: &Ctx, verifier: &str) -> String {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let (status, body) = ctx.decide(verifier, &id, "verify", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    id
}

async fn the_verifier_is_never_the_approver(ctx: Ctx) {
    verifier_also_approver(&ctx).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let id = verified_proposal(&ctx, &v).await;
    for (decision, reason) in [("approve", None), ("return", Some("x")), ("reject", Some("x"))] {
        let (status, body) = ctx.decide(&v, &id, decision, reason).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("decision.same_reviewer")),
            "{decision}: {body}"
        );
    }
    // Another approver takes the step.
    let a = ctx.token(APPROVER_A).await;
    let (status, body) = ctx.decide(&a, &id, "approve", None).await;
    assert_eq!((status, body["state"].as_str()), (StatusCode::OK, Some("approved")), "{body}");
}

async fn the_verifier_is_never_the_approver_offline(ctx: Ctx) {
    verifier_also_approver(&ctx).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let id = verified_proposal(&ctx, &v).await;
    let res = ctx.push(&v, "laptop", &[decide(1, &id, Decision::Approve, None)]).await;
    match &res.results[0].outcome {
        MutationOutcome::Rejected { violation } => assert_eq!(violation.code, "decision.same_reviewer"),
        other => panic!("expected a recorded rejection, got {other:?}"),
    }
    // Another approver, offline too.
    let a = ctx.token(APPROVER_A).await;
    let res = ctx.push(&a, "tablet", &[decide(1, &id, Decision::Approve, None)]).await;
    assert!(matches!(res.results[0].outcome, MutationOutcome::Applied), "{:?}", res.results[0].outcome);
}

async fn roles_are_decided_before_the_body(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let bodies = [json!({}), json!({"nip": 1}), json!([]), json!("\u{0}"), json!({"role": "admin"})];
    let routes = [
        "/api/v1/admin/accounts".to_owned(),
        format!("/api/v1/admin/accounts/{BUDI}/roles"),
        format!("/api/v1/admin/accounts/{BUDI}/email"),
        format!("/api/v1/admin/accounts/{BUDI}/lock"),
        "/api/v1/admin/announcements".to_owned(),
        "/api/v1/admin/layanan".to_owned(),
        "/api/v1/admin/assessments".to_owned(),
    ];
    for route in &routes {
        for body in &bodies {
            let (status, answer) = ctx.post(route, Some(&budi), body).await;
            assert_eq!((status, answer["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin.not_admin")), "{route}");
        }
        // Not even JSON.
        let resp = ctx
            .http
            .post(ctx.url(route))
            .bearer_auth(&budi)
            .header("content-type", "text/plain")
            .body("{")
            .send()
            .await
            .expect("request");
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{route}");
    }
    for body in &bodies {
        let (status, answer) = ctx.post("/api/v1/review/some-id/decision", Some(&budi), body).await;
        assert_eq!((status, answer["code"].as_str()), (StatusCode::FORBIDDEN, Some("review.not_reviewer")));
    }
    // Without a token: 401 before anything else.
    let (status, _) = ctx.post("/api/v1/admin/announcements", None, &json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
