use mysapk_model::history::HistoryKind;
use mysapk_model::sync::{Change, MutationOutcome};
use mysapk_model::usulan::{UsulanAction, UsulanState};

use crate::backend_tests;
use crate::fixtures::{add_jabatan, d, histories, new_id, owner, propose, withdraw};
use crate::support::{Ctx, BUDI, SITI};

backend_tests!(
    first_pull_full_record,
    no_change_pull_is_empty,
    pull_pages,
    push_propose_submits,
    resend_is_not_duplicated,
    rejection_does_not_block_batch,
    ownership_is_checked,
    owner_fields_applied_immediately,
    withdraw_own_proposal,
    notification_read_and_catalog_import,
);

async fn first_pull_full_record(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (cursor, changes) = ctx.pull_all(&token, "").await;
    assert_ne!(cursor, "0");
    let profile = changes
        .iter()
        .find_map(|c| match c {
            Change::Profile { profile } => Some(profile.clone()),
            _ => None,
        })
        .expect("profile");
    assert_eq!(profile.nama, "Budi Santoso");
    assert_eq!(profile.gelar_belakang.as_deref(), Some("S.Kom."));
    assert_eq!(profile.jabatan_nama.as_deref(), Some("Pranata Komputer Ahli Pertama"));
    assert_eq!(profile.golongan_id.as_deref(), Some("32"));
    assert_eq!(profile.jenis_kelamin, "M");
    assert_eq!(profile.tanggal_lahir, d(1990, 1, 1));
    let h = histories(&changes);
    assert!(h.len() >= 6, "{}", h.len());
    for kind in [HistoryKind::Golongan, HistoryKind::Jabatan, HistoryKind::Pendidikan] {
        assert!(h.iter().filter(|r| r.data.kind() == kind).count() >= 2, "{kind:?}");
    }
    let catalogs: Vec<String> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Catalog { catalog } => Some(catalog.name.clone()),
            _ => None,
        })
        .collect();
    for name in mysapk_model::catalog::CATALOG_NAMES {
        assert!(catalogs.iter().any(|c| c == name), "{name} in {catalogs:?}");
    }
    // Nobody else's data.
    let (_, siti) = ctx.pull_all(&ctx.token(SITI).await, "").await;
    let siti_ids: Vec<String> = histories(&siti).into_iter().map(|r| r.id).collect();
    assert!(h.iter().all(|r| !siti_ids.contains(&r.id)));
}

async fn no_change_pull_is_empty(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&token, "").await;
    let again = ctx.pull(&token, &cursor, None).await;
    assert!(again.changes.is_empty());
    assert!(!again.has_more);
    assert_eq!(again.cursor, cursor);
    // Another user's change does not show up in Budi's feed.
    let siti = ctx.token(SITI).await;
    ctx.push(&siti, "siti-phone", &[propose(1, &new_id(), add_jabatan(d(2024, 1, 2), None))]).await;
    let again = ctx.pull(&token, &cursor, None).await;
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    let (status, body) = ctx.get("/api/v1/sync?cursor=abc", Some(&token)).await;
    assert_eq!(status, reqwest::StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "sync.invalid_cursor");
}

async fn pull_pages(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (_, all) = ctx.pull_all(&token, "").await;
    let mut cursor = String::new();
    let mut paged = Vec::new();
    loop {
        let page = ctx.pull(&token, &cursor, Some(3)).await;
        assert!(page.changes.len() <= 3);
        paged.extend(page.changes);
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    assert_eq!(paged, all);
}

async fn push_propose_submits(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&token, "").await;
    let id = new_id();
    let resp = ctx.push(&token, "dev-1", &[propose(1, &id, add_jabatan(d(2024, 1, 2), None))]).await;
    assert_eq!(resp.last_processed_seq, 1);
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
    let page = ctx.pull(&token, &cursor, None).await;
    let usulan = page
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Usulan { usulan } => Some(usulan.clone()),
            _ => None,
        })
        .expect("usulan in pull");
    assert_eq!(usulan.id, id);
    assert_eq!(usulan.state, UsulanState::Submitted);
    assert_eq!(usulan.events.len(), 1);
    assert_eq!(usulan.events[0].actor_nip, BUDI);
}

async fn resend_is_not_duplicated(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let id = new_id();
    let batch = vec![propose(1, &id, add_jabatan(d(2024, 1, 2), None)), propose(2, &new_id(), owner("08123"))];
    let first = ctx.push(&token, "dev-1", &batch).await;
    assert_eq!(first.results[0].outcome, MutationOutcome::Applied);
    assert!(matches!(first.results[1].outcome, MutationOutcome::Rejected { .. }));
    let again = ctx.push(&token, "dev-1", &batch).await;
    // The stored outcome comes back; nothing is done twice.
    assert_eq!(again.results, first.results);
    assert_eq!(again.last_processed_seq, 2);
    let mut db = ctx.db().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usulan WHERE nip = $1")
        .bind(BUDI)
        .fetch_one(&mut db)
        .await
        .expect("count");
    assert_eq!(n, 1);
    let (_, changes) = ctx.pull_all(&token, "").await;
    let u = changes
        .iter()
        .find_map(|c| match c {
            Change::Usulan { usulan } if usulan.id == id => Some(usulan.clone()),
            _ => None,
        })
        .expect("usulan");
    assert_eq!(u.events.len(), 1);
    // A sequence number below last_seq that was never stored: already_processed.
    let gap = ctx.push(&token, "dev-1", &[propose(9, &new_id(), add_jabatan(d(2024, 2, 1), None))]).await;
    assert_eq!(gap.last_processed_seq, 9);
    let old = ctx.push(&token, "dev-1", &[propose(5, &new_id(), add_jabatan(d(2024, 3, 1), None))]).await;
    assert_eq!(old.results[0].outcome, MutationOutcome::AlreadyProcessed);
    assert_eq!(old.last_processed_seq, 9);
    // Another device has its own sequence.
    let other = ctx.push(&token, "dev-2", &[propose(1, &new_id(), add_jabatan(d(2024, 4, 1), None))]).await;
    assert_eq!(other.results[0].outcome, MutationOutcome::Applied);
}

async fn rejection_does_not_block_batch(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let batch = vec![
        propose(1, &new_id(), add_jabatan(d(2024, 1, 2), None)),
        propose(2, &new_id(), add_jabatan(d(2024, 1, 2), Some(d(2023, 1, 1)))),
        propose(3, &new_id(), add_jabatan(d(2024, 6, 3), None)),
    ];
    let resp = ctx.push(&token, "dev-1", &batch).await;
    assert_eq!(resp.last_processed_seq, 3);
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
    match &resp.results[1].outcome {
        MutationOutcome::Rejected { violation } => {
            assert_eq!(violation.code, "date.end_before_start");
            assert_eq!(violation.field, "record.tmt_selesai");
            assert!(!violation.message_id.is_empty() && !violation.message_en.is_empty());
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert_eq!(resp.results[2].outcome, MutationOutcome::Applied);
    let mut db = ctx.db().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM usulan WHERE nip = $1")
        .bind(BUDI)
        .fetch_one(&mut db)
        .await
        .expect("count");
    assert_eq!(n, 2);
}

async fn ownership_is_checked(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let siti = ctx.token(SITI).await;
    let (_, budi_changes) = ctx.pull_all(&budi, "").await;
    let budi_record = histories(&budi_changes)[0].clone();
    let siti_usulan = new_id();
    ctx.push(&siti, "s", &[propose(1, &siti_usulan, add_jabatan(d(2024, 1, 2), None))]).await;
    let resp = ctx
        .push(
            &siti,
            "s",
            &[
                // Change someone else's record.
                propose(
                    2,
                    &new_id(),
                    UsulanAction::ChangeHistory { record_id: budi_record.id.clone(), data: budi_record.data.clone() },
                ),
                // Delete a record that does not exist.
                propose(
                    3,
                    &new_id(),
                    UsulanAction::DeleteHistory { record_id: "nope".into(), kind: HistoryKind::Jabatan },
                ),
                // Propose again under a submitted (not returned) id.
                propose(4, &siti_usulan, add_jabatan(d(2024, 1, 3), None)),
            ],
        )
        .await;
    let codes: Vec<String> = resp
        .results
        .iter()
        .map(|r| match &r.outcome {
            MutationOutcome::Rejected { violation } => violation.code.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(codes, ["record.not_found", "record.not_found", "usulan.not_returned"]);
    // Budi may not withdraw Siti's proposal.
    let resp = ctx.push(&budi, "b", &[withdraw(1, &siti_usulan)]).await;
    assert!(
        matches!(&resp.results[0].outcome, MutationOutcome::Rejected { violation } if violation.code == "usulan.not_found")
    );
}

async fn owner_fields_applied_immediately(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&token, "").await;
    let id = new_id();
    let resp = ctx.push(&token, "dev-1", &[propose(1, &id, owner("081299998888"))]).await;
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
    let page = ctx.pull(&token, &cursor, None).await;
    let profile = page
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Profile { profile } => Some(profile.clone()),
            _ => None,
        })
        .expect("profile changed");
    assert_eq!(profile.owner.no_hp.as_deref(), Some("081299998888"));
    assert!(profile.owner.alamat.is_some(), "unchanged fields kept");
    assert_eq!(profile.last_usulan_id.as_deref(), Some(id.as_str()));
    let usulan = page
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Usulan { usulan } => Some(usulan.clone()),
            _ => None,
        })
        .expect("usulan");
    assert_eq!(usulan.state, UsulanState::Approved);
    // Not in any review queue.
    let v = ctx.token(crate::support::VERIFIKATOR_A).await;
    let (_, queue) = ctx.get("/api/v1/review/queue", Some(&v)).await;
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(0));
}

async fn withdraw_own_proposal(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&token, "dev-1", &[propose(1, &id, add_jabatan(d(2024, 1, 2), None))]).await;
    let (cursor, _) = ctx.pull_all(&token, "").await;
    let resp = ctx.push(&token, "dev-1", &[withdraw(2, &id)]).await;
    assert_eq!(resp.results[0].outcome, MutationOutcome::Applied);
    let page = ctx.pull(&token, &cursor, None).await;
    let u = page
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Usulan { usulan } => Some(usulan.clone()),
            _ => None,
        })
        .expect("usulan");
    assert_eq!(u.state, UsulanState::Withdrawn);
    assert_eq!(u.events.last().map(|e| e.state), Some(UsulanState::Withdrawn));
    // Withdrawing again is rejected (final state); deciding it is a wrong state.
    let resp = ctx.push(&token, "dev-1", &[withdraw(3, &id)]).await;
    assert!(
        matches!(&resp.results[0].outcome, MutationOutcome::Rejected { violation } if violation.code == "usulan.not_withdrawable")
    );
    let v = ctx.token(crate::support::VERIFIKATOR_A).await;
    let (status, body) = ctx.decide(&v, &id, "verify", None).await;
    assert_eq!(status, reqwest::StatusCode::CONFLICT);
    assert_eq!(body["code"], "decision.withdrawn");
}

async fn notification_read_and_catalog_import(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "dev", &[propose(1, &id, add_jabatan(d(2024, 1, 2), None))]).await;
    let v = ctx.token(crate::support::VERIFIKATOR_A).await;
    assert_eq!(ctx.decide(&v, &id, "verify", None).await.0, reqwest::StatusCode::OK);
    let (cursor, changes) = ctx.pull_all(&budi, "").await;
    let note = changes
        .iter()
        .find_map(|c| match c {
            Change::Notification { notification } => Some(notification.clone()),
            _ => None,
        })
        .expect("notification");
    assert!(!note.read);
    let m = mysapk_model::sync::Mutation {
        id: new_id(),
        seq: 2,
        op: mysapk_model::sync::MutationOp::MarkNotificationRead { notification_id: note.id.clone() },
    };
    assert_eq!(ctx.push(&budi, "dev", &[m]).await.results[0].outcome, MutationOutcome::Applied);
    let page = ctx.pull(&budi, &cursor, None).await;
    assert!(page.changes.iter().any(
        |c| matches!(c, Change::Notification { notification } if notification.id == note.id && notification.read)
    ));
    // Siti cannot mark Budi's notification.
    let siti = ctx.token(SITI).await;
    let m = mysapk_model::sync::Mutation {
        id: new_id(),
        seq: 1,
        op: mysapk_model::sync::MutationOp::MarkNotificationRead { notification_id: note.id.clone() },
    };
    assert!(matches!(&ctx.push(&siti, "s", &[m]).await.results[0].outcome, MutationOutcome::Rejected { .. }));
    // Re-importing unchanged reference tables changes nothing and syncs nothing.
    let (cursor, _) = ctx.pull_all(&budi, "").await;
    let changed = mysapk_seed::import_catalogs(&ctx.db_url, &crate::support::reference_dir()).await.expect("import");
    assert_eq!(changed, 0);
    assert!(ctx.pull(&budi, &cursor, None).await.changes.is_empty());
}
