//! A pull page of several hundred changes of every entity type, compared with the content expected from
//! the writes (newest state per entity, in version order, tombstones for deletions).

use chrono::TimeZone;
use mysapk_model::history::{HistoryData, HistoryKind, HistoryRecord};
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::sync::Change;
use mysapk_model::usulan::UsulanState;
use mysapk_server::db::{self, records, usulan as usulan_db};
use mysapk_server::db::{ENTITY_CATALOG, ENTITY_HISTORY, ENTITY_NOTIFICATION, ENTITY_PROFILE, ENTITY_USULAN};

use crate::backend_tests;
use crate::fixtures::{add_jabatan, d, jabatan, new_id, propose, withdraw};
use crate::support::{Ctx, BUDI, SITI};

backend_tests!(large_page_matches_expected);

/// The expected feed: one slot per entity, moved to the end whenever the entity changes again.
#[derive(Default)]
struct Expected(Vec<((&'static str, String), Option<Change>)>);

impl Expected {
    fn changed(&mut self, entity: &'static str, id: &str, change: Option<Change>) {
        self.0.retain(|((e, i), _)| !(*e == entity && i == id));
        self.0.push(((entity, id.to_owned()), change));
    }
}

fn with_sk(mut data: HistoryData, sk: String) -> HistoryData {
    if let HistoryData::Jabatan(mysapk_model::history::Jabatan { sk_nomor, .. }) = &mut data {
        *sk_nomor = sk;
    }
    data
}

async fn large_page_matches_expected(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&token, "").await;
    let mut expected = Expected::default();

    // Proposals through the API: 40 submitted, then every fourth withdrawn (moves to the end of the feed).
    let usulan_ids: Vec<String> = (0..40).map(|_| new_id()).collect();
    let mut mutations = Vec::new();
    for (i, id) in usulan_ids.iter().enumerate() {
        let start = d(1981 + i32::try_from(i).unwrap_or(0), 3, 1);
        mutations.push(propose(i64::try_from(i).unwrap_or(0) + 1, id, add_jabatan(start, None)));
        expected.changed(ENTITY_USULAN, id, None);
    }
    let mut seq = i64::try_from(mutations.len()).unwrap_or(0);
    for id in usulan_ids.iter().step_by(4) {
        seq += 1;
        mutations.push(withdraw(seq, id));
        expected.changed(ENTITY_USULAN, id, None);
    }
    let pushed = ctx.push(&token, "bulk-device", &mutations).await;
    assert_eq!(pushed.last_processed_seq, seq);
    for r in &pushed.results {
        assert_eq!(r.outcome, mysapk_model::sync::MutationOutcome::Applied, "{r:?}");
    }
    // Another ASN's proposal in between: not in Budi's feed.
    let siti = ctx.token(SITI).await;
    ctx.push(&siti, "siti-phone", &[propose(1, &new_id(), add_jabatan(d(2024, 1, 2), None))]).await;

    // Direct writes in one transaction: 300 history records, a third changed again, every seventh deleted,
    // profile and notification changes, a catalog change, and Siti's records in between.
    let pool = db::connect(&ctx.db_url).await.expect("pool");
    let mut tx = db::begin_write(&pool, &*ctx.live).await.expect("tx");
    let mut profile = records::get_profile(&mut tx, BUDI).await.expect("profile").expect("exists");
    let at = chrono::Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).single().expect("time");
    for i in 0..300_i32 {
        let id = format!("bulk-{i:03}");
        let data = jabatan(d(1990 + i % 30, 1 + u32::try_from(i % 12).unwrap_or(0), 1), None);
        let mut record = HistoryRecord {
            id: id.clone(),
            data: with_sk(data, format!("SK/{i}")),
            last_usulan_id: None,
            siasn_id: None,
        };
        records::put_history(&mut tx, BUDI, &record).await.expect("put");
        db::log_change(&mut tx, Some(BUDI), ENTITY_HISTORY, &id).await.expect("log");
        expected.changed(ENTITY_HISTORY, &id, Some(Change::History { record: record.clone() }));
        if i % 3 == 0 {
            record.data = with_sk(record.data, format!("SK/{i}/rev"));
            record.last_usulan_id = Some(format!("u-{i}"));
            records::put_history(&mut tx, BUDI, &record).await.expect("put");
            db::log_change(&mut tx, Some(BUDI), ENTITY_HISTORY, &id).await.expect("log");
            expected.changed(ENTITY_HISTORY, &id, Some(Change::History { record: record.clone() }));
        }
        if i % 7 == 0 {
            assert!(records::delete_history(&mut tx, &id, "u-del").await.expect("delete"));
            db::log_change(&mut tx, Some(BUDI), ENTITY_HISTORY, &id).await.expect("log");
            expected.changed(
                ENTITY_HISTORY,
                &id,
                Some(Change::HistoryDeleted { id: id.clone(), kind: HistoryKind::Jabatan }),
            );
        }
        if i % 50 == 0 {
            profile.owner.no_hp = Some(format!("0812{i:08}"));
            records::put_profile(&mut tx, &profile).await.expect("profile");
            db::log_change(&mut tx, Some(BUDI), ENTITY_PROFILE, BUDI).await.expect("log");
            expected.changed(ENTITY_PROFILE, BUDI, Some(Change::Profile { profile: profile.clone() }));
        }
        if i % 20 == 0 {
            let n = Notification {
                usulan_id: Some(usulan_ids[0].clone()),
                state: Some(UsulanState::Approved),
                history_kind: Some(HistoryKind::Jabatan),
                read: i % 40 == 0,
                ..Notification::new(format!("n-{i}"), NotificationKind::UsulanState, at)
            };
            usulan_db::put_notification(&mut tx, BUDI, &n).await.expect("notification");
            db::log_change(&mut tx, Some(BUDI), ENTITY_NOTIFICATION, &n.id).await.expect("log");
            let id = n.id.clone();
            expected.changed(ENTITY_NOTIFICATION, &id, Some(Change::Notification { notification: n }));
        }
        if i % 30 == 0 {
            let other = HistoryRecord {
                id: format!("siti-{i}"),
                data: jabatan(d(2010, 1, 1), None),
                last_usulan_id: None,
                siasn_id: None,
            };
            records::put_history(&mut tx, SITI, &other).await.expect("put");
            db::log_change(&mut tx, Some(SITI), ENTITY_HISTORY, &other.id).await.expect("log");
        }
        if i == 150 {
            let catalog = records::get_catalog(&mut tx, "golongan").await.expect("catalog").expect("exists");
            records::put_catalog(&mut tx, &catalog).await.expect("put catalog");
            db::log_change(&mut tx, None, ENTITY_CATALOG, "golongan").await.expect("log");
            expected.changed(ENTITY_CATALOG, "golongan", Some(Change::Catalog { catalog }));
        }
    }
    tx.commit().await.expect("commit");

    // The proposals' expected content is what the server stored.
    let mut conn = pool.acquire().await.expect("conn");
    let mut want = Vec::with_capacity(expected.0.len());
    for ((entity, id), change) in expected.0 {
        let change = match change {
            Some(c) => c,
            None => {
                assert_eq!(entity, ENTITY_USULAN);
                let row = usulan_db::get(&mut conn, &id).await.expect("usulan").expect("stored");
                Change::Usulan { usulan: row.usulan }
            }
        };
        want.push(change);
    }
    drop(conn);
    pool.close().await;
    assert!(want.len() > 300, "{}", want.len());
    let tombstones = want.iter().filter(|c| matches!(c, Change::HistoryDeleted { .. })).count();
    assert_eq!(tombstones, 43);
    let withdrawn = want
        .iter()
        .filter(|c| matches!(c, Change::Usulan { usulan } if usulan.state == UsulanState::Withdrawn))
        .count();
    assert_eq!(withdrawn, 10);

    // One page holds everything.
    let page = ctx.pull(&token, &cursor, Some(2000)).await;
    assert!(!page.has_more);
    assert_eq!(page.changes.len(), want.len());
    for (i, (got, exp)) in page.changes.iter().zip(&want).enumerate() {
        assert_eq!(got, exp, "change {i}");
    }
    // Small pages concatenate to the same feed, and the final cursor is the end.
    let mut paged = Vec::new();
    let mut c = cursor.clone();
    loop {
        let p = ctx.pull(&token, &c, Some(97)).await;
        assert!(p.changes.len() <= 97);
        c = p.cursor;
        paged.extend(p.changes);
        if !p.has_more {
            break;
        }
    }
    assert_eq!(paged, want);
    assert_eq!(c, page.cursor);
    let again = ctx.pull(&token, &c, None).await;
    assert!(again.changes.is_empty());
}
