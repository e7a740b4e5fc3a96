//! Reviewer devices: the work queue arrives with the pull, decisions are taken offline and sent with the push,
//! and a decision that lost a race comes back with the reason.

use mysapk_model::usulan::{Decision, UsulanState};
use mysapk_model::view::{ReviewFilter, SyncPhase};

use crate::support::{Backend, Bench, Raw, APPROVER, ASN, PASSWORD, VERIFIKATOR};
use crate::{add_golongan, d, golongan_docs, state_of};

pub(crate) async fn offline_decision_is_sent_and_leaves_the_queue(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let asn = bench.core("asn-phone");
    asn.login(ASN, PASSWORD).await.expect("asn login");
    let u = asn.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&asn)).expect("propose");
    asn.sync_now().await.expect("submit");

    let reviewer = bench.core("verifier-phone");
    reviewer.login(VERIFIKATOR, PASSWORD).await.expect("verifier login");
    let q = reviewer.review_queue(&ReviewFilter::default()).expect("queue");
    let item = q.items.iter().find(|i| i.item.usulan.id == u.id).expect("the proposal is in the verifier's queue");
    assert_eq!(item.item.usulan.state, UsulanState::Submitted);
    assert!(!item.item.asn_nama.is_empty());
    assert!(item.decision.is_none());
    assert!(reviewer.beranda().expect("beranda").review_waiting >= 1);

    // Offline: the decision is taken and queued.
    bench.stop().await;
    let decided = reviewer.decide(&u.id, Decision::Verify, None).expect("decide offline");
    assert!(decided.decision.as_ref().is_some_and(|d| d.queued));
    assert_eq!(reviewer.sync_now().await.expect_err("offline").code(), "network.unreachable");
    assert_eq!(reviewer.status().phase, SyncPhase::Offline);
    assert_eq!(reviewer.status().pending, 1);

    // Online: sent, and the pull removes it from the verifier's queue.
    bench.start().await;
    reviewer.sync_now().await.expect("sync");
    assert_eq!(reviewer.status().pending, 0);
    let q = reviewer.review_queue(&ReviewFilter::default()).expect("queue");
    assert!(q.items.iter().all(|i| i.item.usulan.id != u.id), "the decided item left the queue");
    asn.sync_now().await.expect("asn sync");
    assert_eq!(state_of(&asn, &u.id), UsulanState::Verified);

    // The approver's device has it now, at the next step.
    let approver = bench.core("approver-phone");
    approver.login(APPROVER, PASSWORD).await.expect("approver login");
    let q = approver.review_queue(&ReviewFilter::default()).expect("queue");
    assert!(q.items.iter().any(|i| i.item.usulan.id == u.id && i.item.usulan.state == UsulanState::Verified));
    approver.decide(&u.id, Decision::Approve, None).expect("approve");
    approver.sync_now().await.expect("sync");
    assert!(approver
        .review_queue(&ReviewFilter::default())
        .expect("queue")
        .items
        .iter()
        .all(|i| i.item.usulan.id != u.id));
    asn.sync_now().await.expect("asn sync");
    assert_eq!(state_of(&asn, &u.id), UsulanState::Approved);
    bench.finish().await;
}

pub(crate) async fn losing_decision_comes_back_with_the_reason(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let asn = bench.core("asn-phone");
    asn.login(ASN, PASSWORD).await.expect("asn login");
    let u = asn.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&asn)).expect("propose");
    asn.sync_now().await.expect("submit");

    let reviewer = bench.core("verifier-phone");
    reviewer.login(VERIFIKATOR, PASSWORD).await.expect("verifier login");
    assert!(reviewer
        .review_queue(&ReviewFilter::default())
        .expect("queue")
        .items
        .iter()
        .any(|i| i.item.usulan.id == u.id));

    // Offline, the device returns it; meanwhile it is verified elsewhere.
    bench.stop().await;
    reviewer.decide(&u.id, Decision::Return, Some("Lampiran SK buram".into())).expect("decide offline");
    bench.start().await;
    let other = Raw::login(&bench.url(), VERIFIKATOR).await;
    assert_eq!(other.decide(&u.id, Decision::Verify).await.state, UsulanState::Verified);

    reviewer.sync_now().await.expect("sync");
    assert_eq!(reviewer.status().pending, 0, "a refusal does not block the outbox");
    let q = reviewer.review_queue(&ReviewFilter::default()).expect("queue");
    let item = q.items.iter().find(|i| i.item.usulan.id == u.id).expect("kept to show why");
    let refusal = item.decision.as_ref().and_then(|d| d.refusal.clone()).expect("the refusal");
    assert_eq!(refusal.code, "decision.already_decided", "{refusal:?}");
    assert!(!refusal.message_en.is_empty() && !refusal.message_id.is_empty());
    asn.sync_now().await.expect("asn sync");
    assert_eq!(state_of(&asn, &u.id), UsulanState::Verified, "the losing decision changed nothing");
    bench.finish().await;
}
