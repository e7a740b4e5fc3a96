//! Completeness per category, confirming a category, resubmitting a returned proposal, the one-time edit rule,
//! and the bukti PDM generated offline.

use chrono::Datelike;
use mysapk_model::history::samples::sample;
use mysapk_model::rules::completeness::CategoryStatus;
use mysapk_model::usulan::UsulanEvent;

use super::*;

fn born() -> NaiveDate {
    d(1990, 1, 1)
}

fn rec(id: &str, data: HistoryData) -> Change {
    Change::History { record: HistoryRecord { id: id.into(), data, last_usulan_id: None, siasn_id: None } }
}

fn skp(year: i32) -> HistoryData {
    match sample(HistoryKind::Skp, born(), 0) {
        HistoryData::Skp(mut s) => {
            s.tahun = year;
            HistoryData::Skp(s)
        }
        other => other,
    }
}

fn progress(core: &Core, kind: HistoryKind) -> mysapk_model::rules::completeness::CategoryProgress {
    let b = core.beranda().expect("beranda");
    b.histories.into_iter().find(|h| h.kind == kind).expect("kind listed").progress
}

fn codes(p: &mysapk_model::rules::completeness::CategoryProgress) -> Vec<&str> {
    p.reasons.iter().map(|r| r.code.as_str()).collect()
}

fn event(state: UsulanState, reason: Option<&str>) -> UsulanEvent {
    UsulanEvent { at: Utc::now(), actor_nip: "198503102010011002".into(), state, reason: reason.map(Into::into) }
}

#[test]
fn every_category_has_its_completeness() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let year = Utc::now().year();
    pull(
        &core,
        "1",
        vec![
            Change::Profile { profile: profile(None) },
            rec("g1", sample(HistoryKind::Golongan, born(), 0)),
            rec("c1", sample(HistoryKind::CpnsPns, born(), 0)),
            rec("s1", skp(year - 1)),
            rec("o1", sample(HistoryKind::OrangTua, born(), 0)),
        ],
    );
    let b = core.beranda().expect("beranda");
    assert_eq!(b.histories.len(), 18, "every kind, also the empty ones");
    assert_eq!(b.total_categories, 18);
    let complete = b.histories.iter().filter(|h| h.progress.status == CategoryStatus::Complete).count() as u32;
    assert_eq!(b.complete_categories, complete);

    assert_eq!(progress(&core, HistoryKind::Golongan).status, CategoryStatus::Complete);
    assert_eq!(progress(&core, HistoryKind::Golongan).official_count, 1);
    let jabatan = progress(&core, HistoryKind::Jabatan);
    assert_eq!((jabatan.status, codes(&jabatan)), (CategoryStatus::NeedsAttention, vec!["category.empty"]));
    let skp_progress = progress(&core, HistoryKind::Skp);
    assert_eq!(codes(&skp_progress), ["skp.missing_year"], "only {} is missing", year - 2);
    let parents = progress(&core, HistoryKind::OrangTua);
    assert_eq!((parents.status, codes(&parents)), (CategoryStatus::NeedsAttention, vec!["category.unconfirmed"]));

    // A proposal waiting for a decision, then returned for repair.
    let u = propose(&core, UsulanAction::AddHistory { data: sample(HistoryKind::Jabatan, born(), 1) }).expect("add");
    assert_eq!(progress(&core, HistoryKind::Jabatan).status, CategoryStatus::Waiting);
    assert_eq!(progress(&core, HistoryKind::Jabatan).pending_count, 1);
    let mut returned = server_usulan(&u, UsulanState::Returned);
    returned.reason = Some("SK buram".into());
    pull(&core, "2", vec![Change::Usulan { usulan: returned }]);
    let jabatan = progress(&core, HistoryKind::Jabatan);
    assert_eq!(jabatan.status, CategoryStatus::NeedsAttention);
    assert!(codes(&jabatan).contains(&"usulan.returned"));
    // Both SKP years on record (one in the old form): SKP is complete.
    pull(&core, "3", vec![rec("s2", skp(year - 2))]);
    assert_eq!(progress(&core, HistoryKind::Skp).status, CategoryStatus::Complete);
}

#[test]
fn a_confirmation_shows_at_once_and_stays_until_the_profile_carries_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    pull(&core, "1", vec![Change::Profile { profile: profile(None) }]);
    assert_eq!(progress(&core, HistoryKind::Anak).status, CategoryStatus::NeedsAttention);
    core.confirm_category(HistoryKind::Anak).expect("confirm");
    core.confirm_category(HistoryKind::Anak).expect("again: nothing more");
    assert_eq!(progress(&core, HistoryKind::Anak).status, CategoryStatus::Complete);
    let rows = outbox_rows(&core);
    assert_eq!(rows.len(), 1);
    assert!(matches!(rows[0].op, MutationOp::ConfirmCategory { kind: HistoryKind::Anak }));
    assert_eq!(core.status().pending, 1);

    // Received: still shown from the overlay until a pull carries it.
    let response = PushResponse {
        last_processed_seq: rows[0].seq,
        results: vec![MutationResult { id: rows[0].id.clone(), seq: rows[0].seq, outcome: MutationOutcome::Applied }],
    };
    account(&core).store.write(|tx| apply::apply_push(tx, &response)).expect("push");
    assert_eq!(progress(&core, HistoryKind::Anak).status, CategoryStatus::Complete);
    let mut p = profile(None);
    p.confirmed_kinds = vec![HistoryKind::Anak];
    pull(&core, "2", vec![Change::Profile { profile: p }]);
    assert_eq!(progress(&core, HistoryKind::Anak).status, CategoryStatus::Complete);
    let overlay = account(&core).store.read(crate::store::confirmations::all).expect("overlay");
    assert!(overlay.is_empty(), "the pulled profile carries it");

    // A refused confirmation is no longer shown.
    core.confirm_category(HistoryKind::Pasangan).expect("confirm");
    let row = outbox_rows(&core).pop().expect("row");
    let refused = PushResponse {
        last_processed_seq: row.seq,
        results: vec![MutationResult {
            id: row.id,
            seq: row.seq,
            outcome: MutationOutcome::Rejected { violation: Violation::new(Code::KindReadOnly, "kind", "x", "y") },
        }],
    };
    account(&core).store.write(|tx| apply::apply_push(tx, &refused)).expect("push");
    assert!(progress(&core, HistoryKind::Pasangan).reasons.iter().any(|r| r.code == "category.unconfirmed"));
}

#[test]
fn a_returned_proposal_is_corrected_and_queued_again_under_its_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let u = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("propose");
    let not_yet = core.resubmit(&u.id, UsulanAction::AddHistory { data: golongan("33") }, u.documents.clone());
    assert_eq!(not_yet.expect_err("queued").to_api_error().code, "usulan.not_returned");

    let rows = outbox_rows(&core);
    let response = PushResponse {
        last_processed_seq: rows[0].seq,
        results: vec![MutationResult { id: rows[0].id.clone(), seq: rows[0].seq, outcome: MutationOutcome::Applied }],
    };
    account(&core).store.write(|tx| apply::apply_push(tx, &response)).expect("push");
    let mut returned = server_usulan(&u, UsulanState::Returned);
    returned.reason = Some("TMT tidak sesuai SK".into());
    returned.events =
        vec![event(UsulanState::Submitted, None), event(UsulanState::Returned, Some("TMT tidak sesuai SK"))];
    pull(&core, "1", vec![Change::Usulan { usulan: returned.clone() }]);

    // Another category's action is refused; the same one, corrected, is queued again.
    let wrong = core.resubmit(&u.id, UsulanAction::AddHistory { data: sample(HistoryKind::Anak, born(), 0) }, vec![]);
    assert!(matches!(wrong, Err(CoreError::Validation(v)) if v.iter().any(|v| v.code == "usulan.action_changed")));
    let again = core.resubmit(&u.id, UsulanAction::AddHistory { data: golongan("33") }, u.documents.clone());
    let again = again.expect("resubmit");
    assert_eq!((again.id.as_str(), again.state), (u.id.as_str(), UsulanState::Queued));
    assert_eq!(again.events.len(), 2, "the history stays visible");
    let rows = outbox_rows(&core);
    assert!(matches!(&rows[..], [m] if matches!(&m.op,
        MutationOp::Propose { usulan_id, action: UsulanAction::AddHistory { data }, documents }
            if *usulan_id == u.id && *data == golongan("33") && documents.len() == 1)));

    // A pull that still says "returned" (the server has not seen the correction) keeps the correction.
    pull(&core, "2", vec![Change::Usulan { usulan: returned }]);
    let b = core.beranda().expect("beranda");
    let shown = b.usulan.iter().find(|x| x.id == u.id).expect("shown");
    assert_eq!(shown.state, UsulanState::Queued);
    assert_eq!(shown.action, UsulanAction::AddHistory { data: golongan("33") });
    // Once the server has it, its state wins again.
    let mut submitted = server_usulan(&again, UsulanState::Submitted);
    submitted.action = UsulanAction::AddHistory { data: golongan("33") };
    pull(&core, "3", vec![Change::Usulan { usulan: submitted }]);
    assert_eq!(core.beranda().expect("beranda").usulan[0].state, UsulanState::Submitted);
}

#[test]
fn every_rule_runs_before_queueing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    pull(
        &core,
        "1",
        vec![Change::Profile { profile: profile(None) }, Change::History { record: record("r1", "31", None) }],
    );
    let change = || UsulanAction::ChangeHistory { record_id: "r1".into(), data: golongan("31") };
    propose(&core, change()).expect("the first change of a golongan record");
    let err = propose(&core, change()).expect_err("only once");
    assert!(matches!(&err, CoreError::Validation(v) if v.iter().any(|v| v.code == "record.edit_limit")), "{err:?}");
    let read_only = propose(&core, UsulanAction::AddHistory { data: sample(HistoryKind::HukumanDisiplin, born(), 0) });
    assert_eq!(read_only.expect_err("read only").to_api_error().code, "kind.read_only");
    let lower_later = HistoryData::Golongan(mysapk_model::history::Golongan {
        golongan_id: "21".into(),
        tmt_golongan: d(2022, 4, 1),
        sk_nomor: "KP-21".into(),
        sk_tanggal: d(2022, 3, 1),
        jenis_kp_id: None,
        mk_tahun: None,
        mk_bulan: None,
    });
    let err = propose(&core, UsulanAction::AddHistory { data: lower_later }).expect_err("order");
    assert!(matches!(&err, CoreError::Validation(v) if v.iter().any(|v| v.code == "golongan.order")), "{err:?}");
    assert_eq!(outbox_rows(&core).len(), 1);
}

#[test]
fn bukti_pdm_is_generated_offline_from_local_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    pull(&core, "1", vec![Change::Profile { profile: profile(None) }]);
    let queued = propose(&core, UsulanAction::AddHistory { data: golongan("32") }).expect("queued");
    let returned = propose(&core, UsulanAction::AddHistory { data: golongan("33") }).expect("returned");
    let mut r = server_usulan(&returned, UsulanState::Returned);
    r.reason = Some("Lampiran (SK) buram".into());
    pull(&core, "2", vec![Change::Usulan { usulan: r }]);

    let bukti = core.bukti_pdm().expect("bukti");
    let bytes = std::fs::read(&bukti.path).expect("saved");
    if let Some(keep) = std::env::var_os("MYSAPK_KEEP_BUKTI") {
        std::fs::write(keep, &bytes).expect("keep a copy to look at");
    }
    assert_eq!(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &bukti.pdf_base64).ok(),
        Some(bytes.clone())
    );
    let name = std::path::Path::new(&bukti.path).file_name().and_then(|n| n.to_str()).expect("name").to_owned();
    assert!(name.starts_with(&format!("bukti-pdm-{NIP}-")) && name.ends_with(".pdf"), "{name}");
    assert_eq!(name.len(), "bukti-pdm--yyyymmdd-hhmmss.pdf".len() + NIP.len(), "{name}");
    assert!(std::path::Path::new(&bukti.path).starts_with(dir.path()));
    assert!(bytes.starts_with(b"%PDF"));
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(crate::bukti::TITLE));
    assert!(text.contains(NIP));
    assert!(text.contains("Budi"));
    for state in [UsulanState::Queued, UsulanState::Returned] {
        assert!(text.contains(crate::bukti::state_label(state)), "{state:?}");
    }
    assert!(text.contains("Lampiran \\(SK\\) buram") || text.contains("Lampiran (SK) buram"), "the reason");
    assert!(text.contains("Kelengkapan data"));
    drop(queued);
}

#[test]
fn a_correction_may_keep_documents_the_server_holds_but_this_device_does_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    // A proposal made on another device, returned: its SK is on the server only.
    let sk = mysapk_model::document::DocumentRef {
        sha256: "e".repeat(64),
        dokumen_id: "x-sk-kp".into(),
        mime: mysapk_model::document::DocumentMime::Pdf,
        size: 1234,
        file_name: "sk-kp.pdf".into(),
    };
    let t = Utc::now();
    let returned = Usulan {
        id: "u-elsewhere".into(),
        nip: Nip::parse(NIP).expect("nip"),
        action: UsulanAction::AddHistory { data: golongan("32") },
        state: UsulanState::Returned,
        reason: Some("TMT salah".into()),
        created_at: t,
        updated_at: t,
        events: vec![event(UsulanState::Submitted, None), event(UsulanState::Returned, Some("TMT salah"))],
        documents: vec![sk.clone()],
        siasn: None,
    };
    pull(&core, "1", vec![Change::Usulan { usulan: returned }]);
    let again = core
        .resubmit("u-elsewhere", UsulanAction::AddHistory { data: golongan("33") }, vec![sk.clone()])
        .expect("resubmit with the server's document");
    assert_eq!(again.documents, [sk]);
    assert_eq!(again.documents_waiting, 0, "nothing to upload");
    // A document neither here nor on the proposal is still refused.
    let other = mysapk_model::document::DocumentRef { sha256: "f".repeat(64), ..again.documents[0].clone() };
    let mut r2 = server_usulan(&again, UsulanState::Returned);
    r2.events = vec![event(UsulanState::Submitted, None); 3];
    pull(&core, "2", vec![Change::Usulan { usulan: r2 }]);
    let err = core.resubmit("u-elsewhere", UsulanAction::AddHistory { data: golongan("33") }, vec![other]);
    assert!(matches!(err, Err(CoreError::Validation(v)) if v.iter().any(|v| v.code == "document.missing")));
}
