//! Every PDM category end to end: for each kind the ASN may propose, an addition and then a change, each with
//! every document the category takes attached on the device while offline, sent when the network returns
//! (documents first), verified and approved by the agency's reviewers; the official record on the device then
//! carries it.

use chrono::NaiveDate;
use mysapk_core::Core;
use mysapk_model::document::DocumentRef;
use mysapk_model::history::samples::sample;
use mysapk_model::history::{Golongan, HistoryData, HistoryKind};
use mysapk_model::usulan::{Decision, UsulanAction, UsulanState};

use crate::state_of;
use crate::support::{Backend, Bench, Raw, APPROVER, ASN, PASSWORD, VERIFIKATOR};

/// A small, whole PDF whose content (and so its SHA-256) differs per `tag`.
fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {tag}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").into_bytes()
}

/// Every document the kind takes (mandatory and optional), so each category carries at least one.
fn attach_all(core: &Core, kind: HistoryKind, tag: &str) -> Vec<DocumentRef> {
    kind.rule()
        .documents
        .iter()
        .map(|d| {
            let name = format!("{}-{tag}.pdf", d.dokumen_id);
            core.attach_document(&name, d.dokumen_id, &pdf(&format!("{}-{}-{tag}", kind.as_str(), d.dokumen_id)))
                .expect("attach a valid PDF")
        })
        .collect()
}

/// The record to add and the record to change it into. Golongan must rise above the demo record's.
fn records(kind: HistoryKind, born: NaiveDate) -> (HistoryData, HistoryData) {
    if kind == HistoryKind::Golongan {
        let g = |tmt: NaiveDate| {
            HistoryData::Golongan(Golongan {
                golongan_id: "45".into(),
                tmt_golongan: tmt,
                sk_nomor: "KP-E2E".into(),
                sk_tanggal: tmt,
                jenis_kp_id: Some("101".into()),
                mk_tahun: Some(30),
                mk_bulan: Some(0),
            })
        };
        let date = |m| NaiveDate::from_ymd_opt(2026, m, 1).expect("date");
        return (g(date(4)), g(date(10)));
    }
    (sample(kind, born, 100), sample(kind, born, 101))
}

async fn approve(bench: &Bench, usulan_id: &str) {
    let verifikator = Raw::login(&bench.url(), VERIFIKATOR).await;
    assert_eq!(verifikator.decide(usulan_id, Decision::Verify).await.state, UsulanState::Verified);
    let approver = Raw::login(&bench.url(), APPROVER).await;
    assert_eq!(approver.decide(usulan_id, Decision::Approve).await.state, UsulanState::Approved);
}

fn official(core: &Core, kind: HistoryKind, usulan_id: &str) -> Option<(String, HistoryData)> {
    let b = core.beranda().expect("beranda");
    let list = b.histories.iter().find(|h| h.kind == kind).expect("every kind has a list");
    list.items
        .iter()
        .find(|i| i.record.last_usulan_id.as_deref() == Some(usulan_id))
        .map(|i| (i.record.id.clone(), i.record.data.clone()))
}

pub(crate) async fn every_category_is_added_and_changed_with_documents(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let core = bench.core("asn-phone");
    core.login(ASN, PASSWORD).await.expect("login");
    let born = NaiveDate::parse_from_str(&ASN[0..8], "%Y%m%d").expect("birth date in the NIP");

    for kind in HistoryKind::ALL.into_iter().filter(|k| k.rule().asn_may_propose) {
        let (first, second) = records(kind, born);

        // Offline: attach and propose the addition.
        bench.stop().await;
        let docs = attach_all(&core, kind, "add");
        assert!(!docs.is_empty(), "{kind:?} takes at least one document");
        let attached = docs.len();
        let add = core.propose(UsulanAction::AddHistory { data: first.clone() }, docs).expect("propose offline");
        assert_eq!(add.state, UsulanState::Queued, "{kind:?}");
        assert!(core.sync_now().await.is_err(), "offline");

        // Online: documents first, then the proposal; reviewed; applied on the device.
        bench.start().await;
        core.sync_now().await.expect("sync");
        assert_eq!(state_of(&core, &add.id), UsulanState::Submitted, "{kind:?}");
        approve(&bench, &add.id).await;
        core.sync_now().await.expect("sync after approval");
        let (record_id, data) = official(&core, kind, &add.id).expect("the addition is in the official record");
        let synced = core.beranda().expect("beranda").usulan.into_iter().find(|u| u.id == add.id).expect("usulan");
        assert_eq!((synced.documents.len(), synced.documents_waiting), (attached, 0), "{kind:?}: documents arrived");
        assert_eq!(data, first, "{kind:?}");

        // The change, the same way.
        bench.stop().await;
        let docs = attach_all(&core, kind, "change");
        let change = core
            .propose(UsulanAction::ChangeHistory { record_id: record_id.clone(), data: second.clone() }, docs)
            .expect("propose the change offline");
        bench.start().await;
        core.sync_now().await.expect("sync");
        approve(&bench, &change.id).await;
        core.sync_now().await.expect("sync after approval");
        let (changed_id, data) = official(&core, kind, &change.id).expect("the change is in the official record");
        assert_eq!((changed_id.as_str(), &data), (record_id.as_str(), &second), "{kind:?}");
    }
    bench.finish().await;
}
