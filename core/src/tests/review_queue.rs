//! The reviewer's offline work queue: items from the pull, decisions queued, refusals explained.

use super::*;
use mysapk_model::review::ReviewItem;
use mysapk_model::usulan::{Decision, UsulanEvent};
use mysapk_model::view::ReviewFilter;

/// A core whose user is a verifier (and an ASN).
fn reviewer_in(dir: &Path, roles: Vec<Role>) -> Arc<Core> {
    let core = core_in(dir);
    let mut u = user();
    u.roles = roles;
    let account = open_account(dir, NIP, Some((&u, PASSWORD))).expect("account").expect("user");
    *core.account.lock().expect("lock") = Some(Arc::new(account));
    core
}

pub(super) fn item(id: &str, state: UsulanState, unor: &str, deadline_day: u32, data: HistoryData) -> ReviewItem {
    let t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("time");
    ReviewItem {
        usulan: Usulan {
            id: id.into(),
            nip: Nip::parse("199202022018012002").expect("nip"),
            action: UsulanAction::AddHistory { data },
            state,
            reason: None,
            created_at: t,
            updated_at: t,
            events: Vec::new(),
            documents: Vec::new(),
            siasn: None,
        },
        asn_nama: format!("ASN {id}"),
        unor_nama: unor.into(),
        deadline: Utc.with_ymd_and_hms(2026, 2, deadline_day, 0, 0, 0).single(),
        official: None,
        base: None,
    }
}

pub(super) fn change(i: ReviewItem) -> Change {
    Change::ReviewItem { item: Box::new(i) }
}

fn respond(core: &Core, outcome: MutationOutcome) {
    let m = outbox_rows(core).remove(0);
    let response =
        PushResponse { last_processed_seq: m.seq, results: vec![MutationResult { id: m.id, seq: m.seq, outcome }] };
    account(core).store.write(|tx| apply::apply_push(tx, &response)).expect("apply push");
}

#[test]
fn queue_is_sorted_by_deadline_filtered_and_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = reviewer_in(dir.path(), vec![Role::Asn, Role::Verifikator]);
    pull(
        &core,
        "1",
        vec![
            change(item("late", UsulanState::Submitted, "Bagian Umum", 20, golongan("32"))),
            change(item("soon", UsulanState::Submitted, "Bagian Keuangan", 3, golongan(""))),
            change(item("mid", UsulanState::Submitted, "Bagian Umum", 10, golongan("33"))),
        ],
    );
    let q = core.review_queue(&ReviewFilter::default()).expect("queue");
    let ids: Vec<_> = q.items.iter().map(|i| i.item.usulan.id.as_str()).collect();
    assert_eq!(ids, ["soon", "mid", "late"], "most urgent on top");
    assert_eq!(q.units, ["Bagian Keuangan", "Bagian Umum"]);
    assert!(!q.items[0].checks.is_empty(), "an empty golongan breaks a rule");
    let f = ReviewFilter { kind: None, unor_nama: Some("Bagian Umum".into()) };
    assert_eq!(core.review_queue(&f).expect("queue").items.len(), 2);
    let f = ReviewFilter { kind: Some(HistoryKind::Jabatan), unor_nama: None };
    assert!(core.review_queue(&f).expect("queue").items.is_empty());
    assert_eq!(core.beranda().expect("beranda").review_waiting, 3);
    pull(&core, "2", vec![Change::ReviewItemGone { usulan_id: "mid".into() }]);
    assert_eq!(core.review_queue(&ReviewFilter::default()).expect("queue").items.len(), 2);
}

#[test]
fn offline_decision_is_queued_then_leaves_with_the_pull() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = reviewer_in(dir.path(), vec![Role::Asn, Role::Verifikator]);
    pull(&core, "1", vec![change(item("u1", UsulanState::Submitted, "Bagian Umum", 3, golongan("32")))]);

    let err = core.decide("u1", Decision::Approve, None).expect_err("approver step");
    assert_eq!(err.to_api_error().code, "decision.wrong_state");
    let err = core.decide("u1", Decision::Return, Some("  ".into())).expect_err("reason required");
    assert_eq!(err.to_api_error().code, "decision.reason_required");
    assert!(outbox_rows(&core).is_empty(), "a refused decision queues nothing");

    let item = core.decide("u1", Decision::Verify, None).expect("decide offline");
    let d = item.decision.expect("decision");
    assert!(d.queued);
    assert_eq!(d.decision, Decision::Verify);
    let rows = outbox_rows(&core);
    assert_eq!(rows.len(), 1);
    assert!(
        matches!(&rows[0].op, MutationOp::Decide { usulan_id, decision: Decision::Verify, reason: None, expected_state: Some(UsulanState::Submitted) } if usulan_id == "u1")
    );
    assert_eq!(core.beranda().expect("beranda").review_waiting, 0);
    let err = core.decide("u1", Decision::Reject, Some("x".into())).expect_err("already decided here");
    assert_eq!(err.to_api_error().code, "decision.pending");

    // Survives reopening.
    drop(core);
    let core = reviewer_in(dir.path(), vec![Role::Asn, Role::Verifikator]);
    let q = core.review_queue(&ReviewFilter::default()).expect("queue");
    assert!(q.items[0].decision.as_ref().is_some_and(|d| d.queued));

    respond(&core, MutationOutcome::Applied);
    let q = core.review_queue(&ReviewFilter::default()).expect("queue");
    let d = q.items[0].decision.clone().expect("sent decision stays until the pull");
    assert!(!d.queued && d.refusal.is_none());
    pull(&core, "2", vec![Change::ReviewItemGone { usulan_id: "u1".into() }]);
    assert!(core.review_queue(&ReviewFilter::default()).expect("queue").items.is_empty());
}

#[test]
fn refused_decision_shows_why_also_when_the_item_is_gone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = reviewer_in(dir.path(), vec![Role::Asn, Role::Verifikator]);
    pull(&core, "1", vec![change(item("u1", UsulanState::Submitted, "Bagian Umum", 3, golongan("32")))]);
    core.decide("u1", Decision::Verify, None).expect("decide");
    let v = Violation::new(Code::DecisionAlreadyDecided, "decision", "Sudah diputuskan.", "Already decided.");
    respond(&core, MutationOutcome::Rejected { violation: v.clone() });
    pull(&core, "2", vec![Change::ReviewItemGone { usulan_id: "u1".into() }]);
    let q = core.review_queue(&ReviewFilter::default()).expect("queue");
    assert_eq!(q.items.len(), 1, "kept to explain the refusal");
    assert_eq!(q.items[0].decision.as_ref().and_then(|d| d.refusal.clone()), Some(v));
    assert_eq!(core.beranda().expect("beranda").review_waiting, 0);
    assert_eq!(core.decide("u1", Decision::Verify, None).expect_err("gone").code(), "review.not_found");
}

#[test]
fn refused_decision_on_a_waiting_item_may_be_taken_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = reviewer_in(dir.path(), vec![Role::Asn, Role::Verifikator, Role::Approver]);
    pull(&core, "1", vec![change(item("u1", UsulanState::Submitted, "Bagian Umum", 3, golongan("32")))]);
    core.decide("u1", Decision::Verify, None).expect("decide");
    let v = Violation::new(Code::DecisionBaseChanged, "decision", "Data berubah.", "The record changed.");
    respond(&core, MutationOutcome::Rejected { violation: v });
    assert_eq!(core.beranda().expect("beranda").review_waiting, 1);
    let again = core.decide("u1", Decision::Verify, None).expect("decide again");
    assert!(again.decision.is_some_and(|d| d.queued && d.refusal.is_none()));
    respond(&core, MutationOutcome::Applied);
    // The same person approves next: the item comes back at the next step, without the old decision.
    pull(&core, "2", vec![change(item("u1", UsulanState::Verified, "Bagian Umum", 9, golongan("32")))]);
    let q = core.review_queue(&ReviewFilter::default()).expect("queue");
    assert!(q.items[0].decision.is_none());
    assert_eq!(q.items[0].item.usulan.state, UsulanState::Verified);
}

#[test]
fn asn_without_roles_may_not_decide() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = reviewer_in(dir.path(), vec![Role::Asn]);
    pull(&core, "1", vec![change(item("u1", UsulanState::Submitted, "Bagian Umum", 3, golongan("32")))]);
    let err = core.decide("u1", Decision::Verify, None).expect_err("no role");
    assert_eq!(err.to_api_error().code, "decision.wrong_role");
}

#[tokio::test]
async fn admin_calls_offline_are_unreachable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    save_dummy_tokens();
    assert_eq!(core.admin_accounts("budi").await.expect_err("offline").code(), "network.unreachable");
    assert_eq!(core.audit_me().await.expect_err("offline").code(), "network.unreachable");
    assert_eq!(core.audit_agency(None, None).await.expect_err("offline").code(), "network.unreachable");
    assert_eq!(core.admin_siasn_failed().await.expect_err("offline").code(), "network.unreachable");
    assert_eq!(core.admin_siasn_manual().await.expect_err("offline").code(), "network.unreachable");
    let bad_id = core.admin_siasn_manual_entered("../x").await.expect_err("bad id");
    assert_eq!(bad_id.to_api_error().code, "usulan.not_found");
    assert_eq!(core.admin_lock(NIP, " ").await.expect_err("reason").to_api_error().code, "field.required");
}

#[tokio::test]
async fn agency_audit_passes_its_filters_and_keeps_the_server_order() {
    use mysapk_model::admin::AuditEntry;
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, server) = super::mock_server::start().await;
    let core = super::documents::core_at(dir.path(), &url);
    let entry = |id: &str, at: &str, action: &str, reason: Option<&str>| AuditEntry {
        id: id.into(),
        at: at.parse().expect("time"),
        actor_nip: NIP.into(),
        device_id: Some("dev-1".into()),
        action: action.into(),
        entity: "account".into(),
        entity_id: "199001012015031001".into(),
        subject_nip: Some("199001012015031001".into()),
        details: serde_json::json!({"locked": true}),
        reason: reason.map(Into::into),
    };
    server.lock().expect("mock").audit = vec![
        entry("a2", "2026-03-02T08:00:00Z", "account.lock", Some("Data sedang diaudit")),
        entry("a1", "2026-03-01T08:00:00Z", "role.grant", None),
    ];

    let all = core.audit_agency(None, None).await.expect("audit");
    assert_eq!(all.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), ["a2", "a1"], "newest first, as sent");
    assert_eq!(all[0].reason.as_deref(), Some("Data sedang diaudit"));
    assert_eq!(all[0].details["locked"], true);
    core.audit_agency(Some(50), Some(" 2026-03-02T08:00:00Z ")).await.expect("next page");
    core.audit_agency(Some(10), Some("  ")).await.expect("blank before");

    let queries = server.lock().expect("mock").audit_queries.clone();
    assert_eq!(queries.len(), 3);
    assert_eq!(queries[0].get("token").map(String::as_str), Some("Bearer a"), "with the access token");
    assert!(!queries[0].contains_key("limit") && !queries[0].contains_key("before"), "{:?}", queries[0]);
    assert_eq!(queries[1].get("limit").map(String::as_str), Some("50"));
    assert_eq!(
        queries[1].get("before").map(String::as_str),
        Some("2026-03-02T08:00:00.000000Z"),
        "as the server stores times, which it compares as text"
    );
    assert_eq!(queries[2].get("limit").map(String::as_str), Some("10"));
    assert!(!queries[2].contains_key("before"), "a blank `before` is not sent");
}

#[test]
fn the_verifier_is_told_before_queueing_the_approvers_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = reviewer_in(dir.path(), vec![Role::Asn, Role::Verifikator, Role::Approver]);
    let mut verified = item("u1", UsulanState::Verified, "Bagian Umum", 3, golongan("32"));
    let at = verified.usulan.created_at;
    verified.usulan.events.push(UsulanEvent { at, actor_nip: NIP.into(), state: UsulanState::Verified, reason: None });
    let mut other = item("u2", UsulanState::Verified, "Bagian Umum", 4, golongan("32"));
    other.usulan.events.push(UsulanEvent {
        at,
        actor_nip: "198503102010011002".into(),
        state: UsulanState::Verified,
        reason: None,
    });
    pull(&core, "1", vec![change(verified), change(other)]);
    let err = core.decide("u1", Decision::Approve, None).expect_err("own verification");
    assert_eq!(err.to_api_error().code, "decision.same_reviewer");
    let err = core.decide("u1", Decision::Reject, Some("x".into())).expect_err("own verification");
    assert_eq!(err.to_api_error().code, "decision.same_reviewer");
    assert!(outbox_rows(&core).is_empty(), "a refused decision queues nothing");
    core.decide("u2", Decision::Approve, None).expect("verified by someone else");
    assert_eq!(outbox_rows(&core).len(), 1);
}
