//! Kinerja & Kompetensi from the official records and the stored assessments; the ASN card from local data and
//! its token renewed online and by the sync engine; the admin's layanan update.

use mysapk_model::assessment::{AspectScore, Assessment, POTENSI};
use mysapk_model::history::samples::sample;
use mysapk_model::services::{LayananKind, LayananStage, LayananUpdate};
use mysapk_model::standing::standing;

use super::documents::core_at;
use super::mock_server::{self, lock};
use super::*;
use crate::card::StoredCard;

fn assessment(id: &str, tanggal: NaiveDate, level: u8) -> Assessment {
    Assessment {
        id: id.into(),
        tanggal,
        penyelenggara: "UPT Penilaian Kompetensi".into(),
        scores: POTENSI.iter().map(|a| AspectScore { aspect: *a, level, standard: 3 }).collect(),
    }
}

#[test]
fn standing_reads_official_records_and_assessments_not_overlays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let born = d(1990, 1, 1);
    let records: Vec<HistoryRecord> = HistoryKind::ALL
        .into_iter()
        .flat_map(|kind| (0..3).map(move |n| (kind, n)))
        .map(|(kind, n)| HistoryRecord {
            id: format!("{}-{n}", kind.as_str()),
            data: sample(kind, born, n),
            last_usulan_id: None,
            siasn_id: None,
        })
        .collect();
    let assessments = vec![assessment("a1", d(2023, 5, 1), 2), assessment("a2", d(2024, 5, 1), 4)];
    let mut changes: Vec<Change> = records.iter().map(|r| Change::History { record: r.clone() }).collect();
    changes.extend(assessments.iter().map(|a| Change::Assessment { assessment: a.clone() }));
    changes.push(Change::Profile { profile: profile(None) });
    pull(&core, "1", changes);
    let today = d(2024, 6, 1);
    // The server reads the records by id; so does the device.
    let mut by_id: Vec<&HistoryRecord> = records.iter().collect();
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    let data: Vec<&HistoryData> = by_id.iter().map(|r| &r.data).collect();
    let expected = standing(&data, &assessments, today);
    let got = core.standing_on(today).expect("standing");
    assert_eq!(got, expected);
    assert_eq!(got.assessment.as_ref().map(|a| a.id.as_str()), Some("a2"));
    assert!(!got.skp.is_empty());

    // A queued proposal adding an SKP is an overlay, not yet official: the standing does not move.
    propose(&core, UsulanAction::AddHistory { data: sample(HistoryKind::Skp, born, 7) }).expect("queued");
    assert_eq!(core.standing_on(today).expect("standing"), expected);
    // The same assessment pulled again replaces, never duplicates.
    pull(&core, "2", vec![Change::Assessment { assessment: assessment("a2", d(2024, 5, 1), 5) }]);
    assert_eq!(core.standing_on(today).expect("standing").potential_score, Some(100));
    core.standing().expect("today");
}

#[test]
fn the_card_shows_offline_and_says_when_its_token_expired() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    let before = core.asn_card().expect("card before any sync");
    assert_eq!(before.nip, NIP);
    assert_eq!(before.nama, "Budi");
    assert_eq!((before.verify_url, before.qr_svg, before.expired), (None, None, false));

    let mut p = profile(None);
    p.gelar_depan = Some("Dr.".into());
    p.gelar_belakang = Some("S.Kom".into());
    pull(&core, "1", vec![Change::Profile { profile: p }]);
    let fetched_at = Utc::now() - chrono::Duration::hours(30);
    let old = StoredCard { token: "old.tok".into(), expires_at: fetched_at + chrono::Duration::hours(24), fetched_at };
    let json = serde_json::to_string(&old).expect("json");
    account(&core).store.write(|tx| meta::set(tx, meta::CARD_TOKEN, &json)).expect("store token");
    let card = core.asn_card().expect("card");
    assert_eq!(card.nama, "Dr. Budi, S.Kom");
    assert_eq!(card.instansi_nama, "Instansi");
    assert_eq!(card.unor_nama, "Bagian Umum");
    assert_eq!(card.golongan_id.as_deref(), Some("31"));
    assert_eq!(card.verify_url.as_deref(), Some("http://127.0.0.1:9/api/v1/verify/old.tok"));
    assert!(card.qr_svg.as_deref().is_some_and(|s| s.contains("<svg")));
    assert!(card.expired);
}

#[tokio::test]
async fn refreshing_the_card_needs_the_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_in(dir.path());
    save_dummy_tokens();
    let err = core.refresh_asn_card().await.expect_err("offline");
    assert_eq!(err.code(), "network.unreachable");

    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let card = core.refresh_asn_card().await.expect("card");
    assert_eq!(card.verify_url, Some(format!("{url}/api/v1/verify/tok1")));
    assert!(!card.expired);
    assert_eq!(lock(&server).cards, 1);
}

#[tokio::test]
async fn the_sync_engine_renews_the_token_past_half_its_life() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    core.sync_now().await.expect("sync");
    assert_eq!(lock(&server).cards, 1, "missing: fetched");
    core.sync_now().await.expect("sync");
    assert_eq!(lock(&server).cards, 1, "fresh: kept");
    let card = core.asn_card().expect("card");
    assert_eq!(card.verify_url, Some(format!("{url}/api/v1/verify/tok1")));

    // Past half its life (fetched 13 of 24 hours ago): renewed by the next sync.
    let fetched_at = Utc::now() - chrono::Duration::hours(13);
    let old = StoredCard { token: "tok1".into(), expires_at: fetched_at + chrono::Duration::hours(24), fetched_at };
    let json = serde_json::to_string(&old).expect("json");
    account(&core).store.write(|tx| meta::set(tx, meta::CARD_TOKEN, &json)).expect("store token");
    core.sync_now().await.expect("sync");
    assert_eq!(lock(&server).cards, 2);
    assert_eq!(core.asn_card().expect("card").verify_url, Some(format!("{url}/api/v1/verify/tok2")));
}

#[tokio::test]
async fn a_server_that_brings_the_card_in_the_pull_is_asked_nothing_more() {
    let (url, server) = mock_server::start().await;
    lock(&server).card_in_pull = true;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    core.sync_now().await.expect("sync");
    let counts = |st: &mock_server::MockState| (st.pulls, st.cards, st.cards_in_pull, st.card_key_fetches);
    assert_eq!(counts(&lock(&server)), (1, 1, 1, 0), "one request: the pull, which brought the card");
    assert_eq!(core.asn_card().expect("card").verify_url, Some(format!("{url}/api/v1/verify/tok1")));
    // Fresh: the next pull does not ask for one (the key set, due, is fetched instead).
    core.sync_now().await.expect("sync");
    assert_eq!(counts(&lock(&server)), (2, 1, 1, 1));
}

#[tokio::test]
async fn a_server_without_cards_does_not_fail_the_sync() {
    let (url, server) = mock_server::start().await;
    lock(&server).no_card = true;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    core.sync_now().await.expect("sync");
    core.sync_now().await.expect("sync again");
    let card = core.asn_card().expect("card");
    assert_eq!((card.verify_url, card.expired), (None, false));
}

#[tokio::test]
async fn a_layanan_update_is_checked_then_posted() {
    let (url, server) = mock_server::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let update = |nip: &str, note: Option<String>| LayananUpdate {
        nip: nip.into(),
        layanan: LayananKind::KenaikanPangkat,
        stage: LayananStage::Dikembalikan,
        note,
    };
    let err = core.admin_layanan(update("123", None)).await.expect_err("bad nip");
    assert!(err.to_api_error().code.starts_with("nip."), "{err:?}");
    let err = core.admin_layanan(update(NIP, Some("x".repeat(2_001)))).await.expect_err("long note");
    assert_eq!(err.to_api_error().code, "field.too_long");
    assert!(lock(&server).layanan.is_empty());

    let id = core.admin_layanan(update(&format!(" {NIP} "), Some("  Lengkapi SKP 2024.  ".into()))).await;
    assert_eq!(id.expect("posted"), "lay1");
    let sent = lock(&server).layanan[0].clone();
    assert_eq!(sent["nip"], NIP);
    assert_eq!(sent["note"], "Lengkapi SKP 2024.");
    assert_eq!(sent["stage"], "dikembalikan");
    let id = core.admin_layanan(update(NIP, Some("   ".into()))).await.expect("posted");
    assert_eq!(id, "lay2");
    assert_eq!(lock(&server).layanan[1]["note"], serde_json::Value::Null);
}

#[tokio::test]
async fn the_key_set_is_fetched_after_the_first_sync_and_checks_cards_offline() {
    use crate::card_check::tests::{card_of, key, x};
    use mysapk_model::card::{CardCheckAnswer, CardJwk, CardKeySet, CardRefusal, CheckedBy};

    let (url, server) = mock_server::start().await;
    let k = key();
    let jwk = |kid: &str, x: String| CardJwk {
        kty: "OKP".into(),
        crv: "Ed25519".into(),
        x,
        kid: kid.into(),
        use_: "sig".into(),
        alg: "EdDSA".into(),
    };
    // The real key, and one the device must leave out (not an Ed25519 point).
    lock(&server).card_keys = Some(CardKeySet { keys: vec![jwk("k1", x(&k)), jwk("bad", "AAAA".into())] });
    lock(&server).pull_changes = vec![Change::Profile { profile: profile(None) }];
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    let later = Utc::now().timestamp() + 3600;
    let own = card_of(&k, "k1", NIP, later);
    let other = card_of(&k, "k1", "198503102010011002", later);
    let unknown = |c: &CardCheckAnswer| matches!(c, CardCheckAnswer::Invalid { reason: CardRefusal::UnknownKey, .. });

    // The first sync renews the card token and asks for nothing more; the key set waits for the next one.
    core.sync_now().await.expect("first sync");
    let (cards, fetches) = {
        let st = lock(&server);
        (st.cards, st.card_key_fetches)
    };
    assert_eq!((cards, fetches), (1, 0));
    assert!(unknown(&core.check_card(&own).await.expect("check")), "no key cached yet (the mock has no verify route)");
    core.sync_now().await.expect("second sync");
    assert_eq!(lock(&server).card_key_fetches, 1);
    core.sync_now().await.expect("third sync");
    assert_eq!(lock(&server).card_key_fetches, 1, "fresh: not fetched again");

    // Offline from here: the checks read the cache only.
    drop(server);
    match core.check_card(&format!("  {own}\n")).await.expect("check") {
        CardCheckAnswer::Valid { nip, nama, instansi_nama, expires_at, keys_fetched_at, checked_by } => {
            assert_eq!(checked_by, CheckedBy::Device);
            assert_eq!(nip, NIP);
            assert_eq!(nama.as_deref(), Some("Budi"), "the holder is this account: its name");
            assert_eq!(instansi_nama.as_deref(), Some("Instansi"));
            assert_eq!(expires_at.timestamp(), later);
            assert!(keys_fetched_at.is_some());
        }
        other => panic!("{other:?}"),
    }
    match core.check_card(&other).await.expect("check") {
        CardCheckAnswer::Valid { nip, nama, instansi_nama, .. } => {
            assert_eq!(nip, "198503102010011002");
            assert_eq!((nama, instansi_nama), (None, None), "someone else: the token carries the NIP only");
        }
        other => panic!("{other:?}"),
    }
    assert!(unknown(&core.check_card(&card_of(&key(), "bad", NIP, later)).await.expect("check")), "left out");
}

#[tokio::test]
async fn an_unknown_key_or_a_day_asks_for_the_key_set_again_but_not_at_every_sync() {
    use crate::card_check::tests::{card_of, key};
    use mysapk_model::card::CardKeySet;

    let (url, server) = mock_server::start().await;
    lock(&server).card_keys = Some(CardKeySet { keys: Vec::new() });
    let dir = tempfile::tempdir().expect("tempdir");
    let core = core_at(dir.path(), &url);
    core.sync_now().await.expect("sync");
    core.sync_now().await.expect("sync");
    assert_eq!(lock(&server).card_key_fetches, 1);
    let ago = |minutes: i64| (Utc::now() - chrono::Duration::minutes(minutes)).to_rfc3339();
    let set_meta = |key: &str, value: &str| account(&core).store.write(|tx| meta::set(tx, key, value)).expect("meta");

    // A check meets a key the cache lacks: the next sync asks, but not within 10 minutes of the last attempt.
    core.check_card(&card_of(&key(), "k9", NIP, Utc::now().timestamp() + 60)).await.expect("check");
    core.sync_now().await.expect("sync");
    assert_eq!(lock(&server).card_key_fetches, 1, "asked a moment ago");
    set_meta(meta::CARD_KEYS_TRIED_AT, &ago(11));
    core.sync_now().await.expect("sync");
    assert_eq!(lock(&server).card_key_fetches, 2, "the unknown key asked");
    set_meta(meta::CARD_KEYS_TRIED_AT, &ago(11));
    core.sync_now().await.expect("sync");
    assert_eq!(lock(&server).card_key_fetches, 2, "answered: no longer wanted");

    // A day old: fetched again. A failed fetch waits too.
    set_meta(meta::CARD_KEYS_FETCHED_AT, &ago(25 * 60));
    set_meta(meta::CARD_KEYS_TRIED_AT, &ago(25 * 60));
    lock(&server).card_keys = None;
    core.sync_now().await.expect("a failed key fetch does not fail the sync");
    core.sync_now().await.expect("sync");
    assert_eq!(lock(&server).card_key_fetches, 3);
}
