//! The reviewer's work queue in the pull feed, and offline decisions through push.

use mysapk_model::history::{HistoryData, HistoryKind};
use mysapk_model::review::{ReviewItem, ReviewQueue, REVIEW_DEADLINE_DAYS};
use mysapk_model::sync::{Change, Mutation, MutationOp, MutationOutcome};
use mysapk_model::usulan::{Decision, UsulanAction, UsulanState};
use reqwest::StatusCode;
use serde_json::json;

use crate::backend_tests;
use crate::fixtures::{add_jabatan, d, histories, jabatan, new_id, propose, withdraw};
use crate::support::{Ctx, ADMIN_A, APPROVER_A, BUDI, SITI, VERIFIKATOR_A};

backend_tests!(
    feed_items_appear_and_go,
    first_sync_has_whole_queue,
    role_grant_and_revoke_reach_next_pull,
    offline_decide_applies,
    offline_decide_conflicts,
    expected_state_refuses_a_moved_proposal,
    base_changed_is_refused,
    queue_sorted_and_filtered,
);

fn items(changes: &[Change]) -> Vec<ReviewItem> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::ReviewItem { item } => Some((**item).clone()),
            _ => None,
        })
        .collect()
}

fn gone(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::ReviewItemGone { usulan_id } => Some(usulan_id.clone()),
            _ => None,
        })
        .collect()
}

pub fn decide(seq: i64, usulan_id: &str, decision: Decision, reason: Option<&str>) -> Mutation {
    Mutation {
        id: new_id(),
        seq,
        op: MutationOp::Decide {
            usulan_id: usulan_id.into(),
            decision,
            reason: reason.map(str::to_owned),
            expected_state: None,
        },
    }
}

fn rejected_code(outcome: &MutationOutcome) -> Option<(String, String)> {
    match outcome {
        MutationOutcome::Rejected { violation } => Some((violation.code.clone(), violation.message_en.clone())),
        _ => None,
    }
}

async fn feed_items_appear_and_go(ctx: Ctx) {
    let v = ctx.token(VERIFIKATOR_A).await;
    let a = ctx.token(APPROVER_A).await;
    let (vc, _) = ctx.pull_all(&v, "").await;
    let (ac, _) = ctx.pull_all(&a, "").await;
    // A no-change pull stays empty.
    assert!(ctx.pull(&v, &vc, None).await.changes.is_empty());

    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let page = ctx.pull(&v, &vc, None).await;
    let got = items(&page.changes);
    assert_eq!(got.len(), 1, "{:?}", page.changes);
    assert_eq!(got[0].usulan.id, id);
    assert_eq!(got[0].asn_nama, "Budi Santoso, S.Kom.");
    assert!(!got[0].unor_nama.is_empty());
    let deadline = got[0].deadline.expect("deadline");
    assert_eq!(deadline, got[0].usulan.updated_at + chrono::Duration::days(REVIEW_DEADLINE_DAYS));
    // The approver is not concerned yet.
    let apage = ctx.pull(&a, &ac, None).await;
    assert!(items(&apage.changes).is_empty(), "{:?}", apage.changes);
    // Budi's own feed carries no review entries.
    let (_, budi_changes) = ctx.pull_all(&budi, "").await;
    assert!(items(&budi_changes).is_empty() && gone(&budi_changes).is_empty());

    assert_eq!(ctx.decide(&v, &id, "verify", None).await.0, StatusCode::OK);
    let page2 = ctx.pull(&v, &page.cursor, None).await;
    assert_eq!(gone(&page2.changes), std::slice::from_ref(&id));
    assert!(items(&page2.changes).is_empty());
    let apage2 = ctx.pull(&a, &apage.cursor, None).await;
    assert_eq!(
        items(&apage2.changes).iter().map(|i| i.usulan.id.clone()).collect::<Vec<_>>(),
        std::slice::from_ref(&id)
    );

    assert_eq!(ctx.decide(&a, &id, "approve", None).await.0, StatusCode::OK);
    let apage3 = ctx.pull(&a, &apage2.cursor, None).await;
    assert_eq!(gone(&apage3.changes), std::slice::from_ref(&id));

    // Withdrawal removes it too.
    let id2 = new_id();
    ctx.push(&budi, "dev", &[propose(2, &id2, add_jabatan(d(2024, 8, 1), None)), withdraw(3, &id2)]).await;
    let page3 = ctx.pull(&v, &page2.cursor, None).await;
    assert!(gone(&page3.changes).contains(&id2), "{:?}", page3.changes);
    assert!(items(&page3.changes).is_empty());
}

async fn first_sync_has_whole_queue(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let siti = ctx.token(SITI).await;
    let (b1, b2, s1) = (new_id(), new_id(), new_id());
    ctx.push(&budi, "dev", &[propose(1, &b1, add_jabatan(d(2024, 7, 1), None))]).await;
    ctx.push(&budi, "dev", &[propose(2, &b2, add_jabatan(d(2024, 8, 1), None))]).await;
    ctx.push(&siti, "dev", &[propose(1, &s1, add_jabatan(d(2024, 9, 1), None))]).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    assert_eq!(ctx.decide(&v, &b2, "reject", Some("tidak sesuai")).await.0, StatusCode::OK);
    let (_, changes) = ctx.pull_all(&v, "").await;
    let mut ids: Vec<String> = items(&changes).into_iter().map(|i| i.usulan.id).collect();
    ids.sort();
    let mut want = vec![b1, s1];
    want.sort();
    assert_eq!(ids, want);
    assert!(gone(&changes).is_empty(), "a first sync sends no removals");
}

async fn role_grant_and_revoke_reach_next_pull(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let siti = ctx.token(SITI).await;
    let (cursor, changes) = ctx.pull_all(&siti, "").await;
    assert!(items(&changes).is_empty());

    let admin = ctx.token(ADMIN_A).await;
    let grant = serde_json::json!({"role": "verifikator", "grant": true});
    let (status, body) = ctx.post(&format!("/api/v1/admin/accounts/{SITI}/roles"), Some(&admin), &grant).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = ctx.pull(&siti, &cursor, None).await;
    assert_eq!(items(&page.changes).iter().map(|i| i.usulan.id.clone()).collect::<Vec<_>>(), std::slice::from_ref(&id));

    let revoke = serde_json::json!({"role": "verifikator", "grant": false});
    let (status, body) = ctx.post(&format!("/api/v1/admin/accounts/{SITI}/roles"), Some(&admin), &revoke).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page2 = ctx.pull(&siti, &page.cursor, None).await;
    assert_eq!(gone(&page2.changes), [id]);
}

async fn offline_decide_applies(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let resp = ctx.push(&v, "tablet-v", &[decide(1, &id, Decision::Verify, None)]).await;
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
    assert_eq!(resp.last_processed_seq, 1);
    // A replay gets the stored outcome and does nothing again.
    let again = ctx.push(&v, "tablet-v", &[decide(1, &id, Decision::Verify, None)]).await;
    assert_eq!(again.results[0].outcome, MutationOutcome::Applied);
    let a = ctx.token(APPROVER_A).await;
    let resp = ctx.push(&a, "tablet-a", &[decide(1, &id, Decision::Approve, None)]).await;
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
    let (_, changes) = ctx.pull_all(&budi, "").await;
    assert!(histories(&changes).iter().any(|r| r.last_usulan_id.as_deref() == Some(id.as_str())));
    let mut db = ctx.db().await;
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT action, device_id FROM audit_log WHERE entity_id = $1 AND action IN ('usulan.verify', 'usulan.approve') \
         ORDER BY at",
    )
    .bind(&id)
    .fetch_all(&mut db)
    .await
    .expect("audit");
    assert_eq!(
        rows,
        [("usulan.verify".to_owned(), Some("tablet-v".to_owned())), ("usulan.approve".into(), Some("tablet-a".into()))]
    );
}

async fn offline_decide_conflicts(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (x, y, z) = (new_id(), new_id(), new_id());
    ctx.push(
        &budi,
        "dev",
        &[
            propose(1, &x, add_jabatan(d(2024, 7, 1), None)),
            propose(2, &y, add_jabatan(d(2024, 8, 1), None)),
            propose(3, &z, add_jabatan(d(2024, 9, 1), None)),
        ],
    )
    .await;
    let v = ctx.token(VERIFIKATOR_A).await;
    // Another verifikator decided x first (on the web).
    let other = "198801012014011001";
    let mut db = ctx.db().await;
    sqlx::query(
        "INSERT INTO users (nip, password_hash, roles, instansi_id, created_at) \
         SELECT $1, password_hash, 'asn,verifikator', instansi_id, created_at FROM users WHERE nip = $2",
    )
    .bind(other)
    .bind(VERIFIKATOR_A)
    .execute(&mut db)
    .await
    .expect("second verifikator");
    let v2 = ctx.token(other).await;
    assert_eq!(ctx.decide(&v2, &x, "return", Some("SK buram")).await.0, StatusCode::OK);
    // Budi withdrew y.
    ctx.push(&budi, "dev", &[withdraw(4, &y)]).await;
    // The verifikator comes online with three decisions taken offline.
    let resp = ctx
        .push(
            &v,
            "tablet-v",
            &[
                decide(1, &x, Decision::Verify, None),
                decide(2, &y, Decision::Verify, None),
                decide(3, &z, Decision::Return, None),
                decide(4, "no-such-id", Decision::Verify, None),
                decide(5, &z, Decision::Approve, None),
                decide(6, &z, Decision::Verify, None),
            ],
        )
        .await;
    let codes: Vec<Option<(String, String)>> = resp.results.iter().map(|r| rejected_code(&r.outcome)).collect();
    let (code, msg) = codes[0].clone().expect("x refused");
    assert_eq!(code, "decision.already_decided");
    assert!(msg.contains("returned") && msg.contains(other), "{msg}");
    assert_eq!(codes[1].as_ref().map(|c| c.0.as_str()), Some("decision.withdrawn"));
    assert_eq!(codes[2].as_ref().map(|c| c.0.as_str()), Some("decision.reason_required"));
    assert_eq!(codes[3].as_ref().map(|c| c.0.as_str()), Some("usulan.not_found"));
    assert_eq!(codes[4].as_ref().map(|c| c.0.as_str()), Some("decision.wrong_role"));
    assert_eq!(codes[5], None, "the queue is not blocked by rejections");
    assert_eq!(resp.last_processed_seq, 6);
    let refused: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT entity_id, device_id FROM audit_log WHERE action = 'usulan.decision_refused' AND actor_nip = $1",
    )
    .bind(VERIFIKATOR_A)
    .fetch_all(&mut db)
    .await
    .expect("audit");
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(refused.iter().all(|(_, d)| d.as_deref() == Some("tablet-v")));
}

async fn base_changed_is_refused(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (_, changes) = ctx.pull_all(&budi, "").await;
    let target = histories(&changes)
        .into_iter()
        .find(|r| matches!(r.data, HistoryData::Jabatan(mysapk_model::history::Jabatan { .. })))
        .expect("a jabatan record");
    let (first, second) = (new_id(), new_id());
    let change = |nama: &str| {
        let mut data = target.data.clone();
        if let HistoryData::Jabatan(mysapk_model::history::Jabatan { sk_nomor, .. }) = &mut data {
            *sk_nomor = nama.into();
        }
        UsulanAction::ChangeHistory { record_id: target.id.clone(), data }
    };
    ctx.push(&budi, "dev", &[propose(1, &first, change("800/1/2020")), propose(2, &second, change("800/2/2020"))])
        .await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let a = ctx.token(APPROVER_A).await;
    let (queue_status, body) = ctx.get("/api/v1/review/queue", Some(&v)).await;
    assert_eq!(queue_status, StatusCode::OK);
    let q: ReviewQueue = serde_json::from_value(body).expect("queue");
    let item = q.items.iter().find(|i| i.usulan.id == second).expect("second in queue");
    assert_eq!(item.base.as_ref().map(|b| &b.data), Some(&target.data));
    assert_eq!(item.official.as_ref().map(|b| &b.data), Some(&target.data));
    for id in [&first, &second] {
        assert_eq!(ctx.decide(&v, id, "verify", None).await.0, StatusCode::OK);
    }
    let (ac, _) = ctx.pull_all(&a, "").await;
    assert_eq!(ctx.decide(&a, &first, "approve", None).await.0, StatusCode::OK);
    // The approver's feed shows the changed official value of the second proposal.
    let page = ctx.pull(&a, &ac, None).await;
    let updated = items(&page.changes).into_iter().find(|i| i.usulan.id == second).expect("second re-sent");
    assert_ne!(updated.official.as_ref().map(|r| &r.data), updated.base.as_ref().map(|r| &r.data));
    let (status, body) = ctx.decide(&a, &second, "approve", None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("decision.base_changed")), "{body}");
    // Offline, the same answer.
    let resp = ctx.push(&a, "tablet-a", &[decide(1, &second, Decision::Approve, None)]).await;
    assert_eq!(rejected_code(&resp.results[0].outcome).map(|c| c.0).as_deref(), Some("decision.base_changed"));
    // Returning it is still possible.
    assert_eq!(ctx.decide(&a, &second, "return", Some("data resmi sudah berubah")).await.0, StatusCode::OK);
    let _ = HistoryKind::Jabatan;
}

async fn queue_sorted_and_filtered(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let siti = ctx.token(SITI).await;
    let (b, s) = (new_id(), new_id());
    ctx.push(&budi, "dev", &[propose(1, &b, add_jabatan(d(2024, 7, 1), None))]).await;
    ctx.push(&siti, "dev", &[propose(1, &s, UsulanAction::AddHistory { data: jabatan(d(2024, 9, 1), None) })]).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let (_, body) = ctx.get("/api/v1/review/queue", Some(&v)).await;
    let q: ReviewQueue = serde_json::from_value(body).expect("queue");
    assert_eq!(q.items.iter().map(|i| i.usulan.id.clone()).collect::<Vec<_>>(), [b.clone(), s.clone()]);
    assert!(q.items.windows(2).all(|w| w[0].deadline <= w[1].deadline));
    let (_, body) = ctx.get("/api/v1/review/queue?kind=golongan", Some(&v)).await;
    assert_eq!(body["items"].as_array().map(Vec::len), Some(0));
    let (_, body) = ctx.get("/api/v1/review/queue?kind=jabatan", Some(&v)).await;
    assert_eq!(body["items"].as_array().map(Vec::len), Some(2));
    let unor = q.items[0].unor_nama.clone();
    let (_, body) = ctx.get(&format!("/api/v1/review/queue?unor={}", urlencode(&unor)), Some(&v)).await;
    let filtered: ReviewQueue = serde_json::from_value(body).expect("queue");
    assert!(!filtered.items.is_empty() && filtered.items.iter().all(|i| i.unor_nama == unor));
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// What a refused decision must leave untouched: the proposal row, Budi's records, the change log, the winners.
async fn snapshot(ctx: &Ctx, id: &str) -> (String, String, i64, i64, i64) {
    let mut db = ctx.db().await;
    let (state, updated_at): (String, String) = sqlx::query_as("SELECT state, updated_at FROM usulan WHERE id = $1")
        .bind(id)
        .fetch_one(&mut db)
        .await
        .expect("row");
    let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql);
    let histories =
        count("SELECT COUNT(*) FROM history WHERE nip = $1").bind(BUDI).fetch_one(&mut db).await.expect("n");
    let log = count("SELECT COUNT(*) FROM change_log").fetch_one(&mut db).await.expect("log");
    let winners =
        count("SELECT COUNT(*) FROM audit_log WHERE action IN ('usulan.approve', 'usulan.return', 'usulan.reject')")
            .fetch_one(&mut db)
            .await
            .expect("audit");
    (state, updated_at, histories, log, winners)
}

async fn expected_state_refuses_a_moved_proposal(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let a = ctx.token(APPROVER_A).await;
    // The approver saw it submitted (offline); meanwhile the verifikator verified it.
    let v = ctx.token(VERIFIKATOR_A).await;
    assert_eq!(ctx.decide(&v, &id, "verify", None).await.0, StatusCode::OK);
    let before = snapshot(&ctx, &id).await;
    assert_eq!(before.0, "verified");

    // Over push: refused, nothing changes.
    let mut m = decide(1, &id, Decision::Approve, None);
    if let MutationOp::Decide { expected_state, .. } = &mut m.op {
        *expected_state = Some(UsulanState::Submitted);
    }
    let resp = ctx.push(&a, "tablet-a", &[m]).await;
    let (code, msg) = rejected_code(&resp.results[0].outcome).expect("refused");
    assert_eq!(code, "decision.already_decided", "{msg}");
    assert!(msg.contains("verified"), "{msg}");
    assert_eq!(resp.last_processed_seq, 1);
    assert_eq!(snapshot(&ctx, &id).await, before);

    // Over HTTP: the same refusal.
    let path = format!("/api/v1/review/{id}/decision");
    let (status, body) =
        ctx.post(&path, Some(&a), &json!({"decision": "approve", "expected_state": "submitted"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "decision.already_decided", "{body}");
    assert_eq!(snapshot(&ctx, &id).await, before);

    // Naming the state it is at, the decision goes through.
    let (status, body) = ctx.post(&path, Some(&a), &json!({"decision": "approve", "expected_state": "verified"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(snapshot(&ctx, &id).await.0, "approved");
}
