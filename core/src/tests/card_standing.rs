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
    secrets::save(
        NIP,
        &secrets::Tokens { access: secrets::Sensitive::new("a".into()), refresh: secrets::Sensitive::new("r".into()) },
    )
    .expect("tokens");
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
