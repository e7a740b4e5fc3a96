//! Every category end to end (add and change, verified and approved, pulled), the server's own rule check on
//! receipt (whatever the device skipped), verified fields of data utama and category confirmation.

use mysapk_model::history::samples::sample;
use mysapk_model::history::HistoryRecord;
use mysapk_model::history::{Golongan, HistoryData, HistoryKind, Predikat};
use mysapk_model::record::{Profile, VerifiedFields};
use mysapk_model::sync::{Change, Mutation, MutationOp, MutationOutcome, PushResponse};
use mysapk_model::usulan::UsulanAction;
use reqwest::StatusCode;

use crate::backend_tests;
use crate::fixtures::{add_jabatan, budi_born, d, histories, new_id, new_record, propose, propose_with};
use crate::support::{Ctx, APPROVER_A, BUDI, SITI, VERIFIKATOR_A};

/// The same record, corrected.
fn changed_record(kind: HistoryKind, old: &HistoryData) -> HistoryData {
    match old {
        HistoryData::Golongan(g) => {
            HistoryData::Golongan(Golongan { sk_nomor: "823.3/KP.1000/2023".into(), ..g.clone() })
        }
        _ => sample(kind, budi_born(), 3),
    }
}

fn assert_applied(resp: &PushResponse, what: &str) {
    for r in &resp.results {
        assert_eq!(r.outcome, MutationOutcome::Applied, "{what} seq {}", r.seq);
    }
}

fn rejected_code(resp: &PushResponse) -> Option<String> {
    match &resp.results.first()?.outcome {
        MutationOutcome::Rejected { violation } => Some(violation.code.clone()),
        _ => None,
    }
}

async fn approve_all(ctx: &Ctx, ids: &[String]) {
    let v = ctx.token(VERIFIKATOR_A).await;
    let a = ctx.token(APPROVER_A).await;
    for id in ids {
        let (s, body) = ctx.decide(&v, id, "verify", None).await;
        assert_eq!(s, StatusCode::OK, "verify {id}: {body}");
        let (s, body) = ctx.decide(&a, id, "approve", None).await;
        assert_eq!(s, StatusCode::OK, "approve {id}: {body}");
    }
}

fn applied_by<'a>(records: &'a [HistoryRecord], usulan_id: &str) -> Option<&'a HistoryRecord> {
    records.iter().find(|r| r.last_usulan_id.as_deref() == Some(usulan_id))
}

fn profile_of(changes: &[Change]) -> Option<Profile> {
    changes.iter().rev().find_map(|c| match c {
        Change::Profile { profile } => Some(profile.clone()),
        _ => None,
    })
}

backend_tests!(
    every_kind_add_and_change_approved,
    server_rejects_what_the_rules_reject,
    verified_fields_and_confirmation,
    import_reference_syncs_every_catalog,
);

async fn import_reference_syncs_every_catalog(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&budi, "").await;
    let changed = mysapk_server::reference::import_reference(&ctx.db_url, &crate::support::reference_dir())
        .await
        .expect("import");
    let (_, changes) = ctx.pull_all(&budi, &cursor).await;
    let pulled = changes.iter().filter(|c| matches!(c, Change::Catalog { .. })).count();
    assert_eq!(pulled, changed, "each changed catalog is pulled once");
    // Importing again changes nothing; every catalog is then on the device.
    let again = mysapk_server::reference::import_reference(&ctx.db_url, &crate::support::reference_dir())
        .await
        .expect("import again");
    assert_eq!(again, 0);
    let (_, all) = ctx.pull_all(&budi, "").await;
    for name in mysapk_model::catalog::CATALOG_NAMES {
        let catalog = all.iter().find_map(|c| match c {
            Change::Catalog { catalog } if catalog.name == name => Some(catalog),
            _ => None,
        });
        assert!(catalog.is_some_and(|c| !c.entries.is_empty()), "{name}");
    }
}

async fn every_kind_add_and_change_approved(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let kinds: Vec<HistoryKind> = HistoryKind::ALL.into_iter().filter(|k| k.rule().asn_may_propose).collect();
    assert!(kinds.len() >= 15, "{kinds:?}");
    let adds: Vec<(HistoryKind, String, HistoryData)> = kinds.iter().map(|k| (*k, new_id(), new_record(*k))).collect();
    let mutations: Vec<Mutation> = adds
        .iter()
        .enumerate()
        .map(|(i, (_, id, data))| propose(i as i64 + 1, id, UsulanAction::AddHistory { data: data.clone() }))
        .collect();
    let resp = ctx.push(&budi, "dev", &mutations).await;
    for (r, (kind, _, _)) in resp.results.iter().zip(&adds) {
        assert_eq!(r.outcome, MutationOutcome::Applied, "add {kind:?}");
    }
    approve_all(&ctx, &adds.iter().map(|(_, id, _)| id.clone()).collect::<Vec<_>>()).await;
    let (cursor, changes) = ctx.pull_all(&budi, "").await;
    let records = histories(&changes);
    let mut changes_to_make = Vec::new();
    for (kind, id, data) in &adds {
        let r = applied_by(&records, id).unwrap_or_else(|| panic!("{kind:?} added record not pulled"));
        assert_eq!(&r.data, data, "{kind:?}");
        changes_to_make.push((*kind, new_id(), r.id.clone(), changed_record(*kind, data)));
    }
    let mutations: Vec<Mutation> = changes_to_make
        .iter()
        .enumerate()
        .map(|(i, (_, id, record_id, data))| {
            let action = UsulanAction::ChangeHistory { record_id: record_id.clone(), data: data.clone() };
            propose((adds.len() + i) as i64 + 1, id, action)
        })
        .collect();
    let resp = ctx.push(&budi, "dev", &mutations).await;
    for (r, (kind, ..)) in resp.results.iter().zip(&changes_to_make) {
        assert_eq!(r.outcome, MutationOutcome::Applied, "change {kind:?}");
    }
    approve_all(&ctx, &changes_to_make.iter().map(|(_, id, ..)| id.clone()).collect::<Vec<_>>()).await;
    let (_, changes) = ctx.pull_all(&budi, &cursor).await;
    let records = histories(&changes);
    for (kind, id, record_id, data) in &changes_to_make {
        let r = applied_by(&records, id).unwrap_or_else(|| panic!("{kind:?} changed record not pulled"));
        assert_eq!((&r.id, &r.data), (record_id, data), "{kind:?}");
    }
}

async fn server_rejects_what_the_rules_reject(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (_, changes) = ctx.pull_all(&budi, "").await;
    let records = histories(&changes);
    let golongan = records
        .iter()
        .find(|r| matches!(&r.data, HistoryData::Golongan(g) if g.golongan_id == "31"))
        .expect("Budi's III/a record")
        .clone();
    let siti = ctx.token(SITI).await;
    let (_, siti_changes) = ctx.pull_all(&siti, "").await;
    let siti_record = histories(&siti_changes).into_iter().next().expect("a record of Siti");

    // The one-time golongan edit: the first change is accepted, a second one refused.
    let fix = |sk: &str| {
        let HistoryData::Golongan(g) = &golongan.data else { unreachable!("golongan") };
        UsulanAction::ChangeHistory {
            record_id: golongan.id.clone(),
            data: HistoryData::Golongan(Golongan { sk_nomor: sk.into(), ..g.clone() }),
        }
    };
    assert_applied(&ctx.push(&budi, "first", &[propose(1, &new_id(), fix("813/FIX/1"))]).await, "first change");

    let mut skp = sample(HistoryKind::Skp, budi_born(), 1);
    if let HistoryData::Skp(s) = &mut skp {
        s.predikat = Predikat::SangatBaik;
    }
    let mut child = sample(HistoryKind::Anak, budi_born(), 1);
    if let HistoryData::Anak(a) = &mut child {
        a.tanggal_lahir = d(1985, 5, 5);
    }
    let low_golongan = HistoryData::Golongan(Golongan {
        golongan_id: "21".into(),
        tmt_golongan: d(2024, 1, 1),
        sk_nomor: "KP/low".into(),
        sk_tanggal: d(2023, 12, 1),
        jenis_kp_id: None,
        mk_tahun: None,
        mk_bulan: None,
    });
    let verified = |nik: &str| UsulanAction::ChangeVerifiedFields {
        fields: VerifiedFields { nik: Some(nik.into()), ..VerifiedFields::default() },
    };
    let add = |data: HistoryData| UsulanAction::AddHistory { data };
    let cases: Vec<(&str, Mutation, &str)> = vec![
        ("bad NIK", propose(1, &new_id(), verified("1234")), "nik.format"),
        ("NIK of another birth date", propose(1, &new_id(), verified("3273010202900001")), "nik.birth_date_mismatch"),
        ("wrong SKP predikat", propose(1, &new_id(), add(skp)), "skp.predikat_mismatch"),
        ("golongan out of order", propose(1, &new_id(), add(low_golongan)), "golongan.order"),
        ("second change of a golongan record", propose(1, &new_id(), fix("813/FIX/2")), "record.edit_limit"),
        (
            "missing mandatory document",
            propose_with(1, &new_id(), add_jabatan(d(2024, 7, 1), None), vec![]),
            "document.required",
        ),
        (
            "read-only kind",
            propose(1, &new_id(), add(sample(HistoryKind::HukumanDisiplin, budi_born(), 1))),
            "kind.read_only",
        ),
        ("child born before the ASN", propose(1, &new_id(), add(child)), "family.child_before_parent"),
        (
            "another ASN's record",
            propose(
                1,
                &new_id(),
                UsulanAction::ChangeHistory { record_id: siti_record.id.clone(), data: siti_record.data.clone() },
            ),
            "record.not_found",
        ),
        (
            "undeclared document",
            propose_with(
                1,
                &new_id(),
                add_jabatan(d(2024, 7, 1), None),
                vec![crate::documents::reference("872", b"never uploaded")],
            ),
            "document.missing",
        ),
    ];
    for (i, (what, m, expected)) in cases.into_iter().enumerate() {
        // A new device per case: each mutation is the device's first, the server checks it all the same.
        let resp = ctx.push(&budi, &format!("raw-{i}"), &[m]).await;
        assert_eq!(rejected_code(&resp).as_deref(), Some(expected), "{what}: {resp:?}");
    }
    // Nothing of it reached the record or the proposals.
    let mut db = ctx.db().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usulan WHERE nip = $1")
        .bind(BUDI)
        .fetch_one(&mut db)
        .await
        .expect("count");
    assert_eq!(n, 1, "only the first golongan change is stored");
}

async fn verified_fields_and_confirmation(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&budi, "").await;
    let id = new_id();
    let fields = VerifiedFields {
        nik: Some("3273010101900001".into()),
        agama_id: Some("1".into()),
        status_kawin_id: Some("1".into()),
        tempat_lahir: Some("Bandung".into()),
        gelar_depan: None,
        gelar_belakang: Some("M.Kom.".into()),
    };
    let action = UsulanAction::ChangeVerifiedFields { fields: fields.clone() };
    assert_applied(&ctx.push(&budi, "dev", &[propose(1, &id, action)]).await, "verified fields");
    approve_all(&ctx, std::slice::from_ref(&id)).await;
    let (cursor, changes) = ctx.pull_all(&budi, &cursor).await;
    let p = profile_of(&changes).expect("profile pulled");
    assert_eq!(*p.verified, fields);
    assert_eq!((p.tempat_lahir.as_str(), p.gelar_belakang.as_deref()), ("Bandung", Some("M.Kom.")));
    assert_eq!(p.last_usulan_id.as_deref(), Some(id.as_str()));

    let confirm = |seq, kind| Mutation { id: new_id(), seq, op: MutationOp::ConfirmCategory { kind } };
    let resp = ctx.push(&budi, "dev", &[confirm(2, HistoryKind::Anak), confirm(3, HistoryKind::Anak)]).await;
    assert_applied(&resp, "confirm");
    let (_, changes) = ctx.pull_all(&budi, &cursor).await;
    let p = profile_of(&changes).expect("profile pulled after confirmation");
    assert_eq!(p.confirmed_kinds, vec![HistoryKind::Anak]);
    let mut db = ctx.db().await;
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'record.confirm_category' AND subject_nip = $1",
    )
    .bind(BUDI)
    .fetch_one(&mut db)
    .await
    .expect("count");
    assert_eq!(n, 2);
}
