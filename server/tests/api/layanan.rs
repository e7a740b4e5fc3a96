//! Layanan status updates posted by an agency admin, and announcements filtered by golongan and jenis jabatan.

use mysapk_model::admin::AuditEntry;
use mysapk_model::notification::{Notification, NotificationKind};
use mysapk_model::services::{LayananKind, LayananStage};
use mysapk_model::sync::Change;
use reqwest::StatusCode;
use serde_json::json;

use crate::backend_tests;
use crate::support::{Ctx, ADMIN_A, APPROVER_A, BUDI, DEWI_B, SITI, VERIFIKATOR_A};

backend_tests!(layanan_update_reaches_the_asn, layanan_refusals, announcement_filters);

fn notifications(changes: &[Change], kind: NotificationKind) -> Vec<Notification> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Notification { notification } if notification.kind == kind => Some(notification.clone()),
            _ => None,
        })
        .collect()
}

async fn layanan_update_reaches_the_asn(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&budi, "").await;
    let siti = ctx.token(SITI).await;
    let (siti_cursor, _) = ctx.pull_all(&siti, "").await;
    let admin = ctx.token(ADMIN_A).await;
    let note = "Berkas KP sudah diusulkan ke BKN; tunggu pertek.";
    let (status, body) = ctx
        .post(
            "/api/v1/admin/layanan",
            Some(&admin),
            &json!({"nip": BUDI, "layanan": "kenaikan_pangkat", "stage": "diusulkan", "note": note}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let created: Notification = serde_json::from_value(body).expect("notification");
    let page = ctx.pull(&budi, &cursor, None).await;
    let got = notifications(&page.changes, NotificationKind::Layanan);
    assert_eq!(got.len(), 1, "{:?}", page.changes);
    let n = &got[0];
    assert_eq!(n.id, created.id);
    assert_eq!((n.layanan, n.stage), (Some(LayananKind::KenaikanPangkat), Some(LayananStage::Diusulkan)));
    assert_eq!(n.body.as_deref(), Some(note));
    assert!(!n.read);
    assert!(ctx.pull(&siti, &siti_cursor, None).await.changes.is_empty(), "only Budi");
    // Without a note, a later stage.
    let (status, body) = ctx
        .post(
            "/api/v1/admin/layanan",
            Some(&admin),
            &json!({"nip": BUDI, "layanan": "kenaikan_pangkat", "stage": "sk_terbit", "note": null}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["stage"], "sk_terbit");
    assert!(body["body"].is_null());
    // Audited, with the subject.
    let (status, body) = ctx.get("/api/v1/audit/me", Some(&budi)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let entries: Vec<AuditEntry> = serde_json::from_value(body).expect("entries");
    let audited: Vec<&AuditEntry> = entries.iter().filter(|e| e.action == "layanan.update").collect();
    assert_eq!(audited.len(), 2);
    assert!(audited.iter().all(|e| e.actor_nip == ADMIN_A));
    assert!(audited.iter().any(|e| e.entity_id == created.id && e.details["note"] == note));
    // Documented.
    let (status, api) = ctx.get("/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(api["paths"]["/api/v1/admin/layanan"]["post"].is_object(), "{}", api["paths"]);
}

async fn layanan_refusals(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let post = |token: String, body: serde_json::Value| {
        let ctx = ctx.clone();
        async move { ctx.post("/api/v1/admin/layanan", Some(&token), &body).await }
    };
    let update =
        |nip: &str, note: Option<String>| json!({"nip": nip, "layanan": "kgb", "stage": "diterima", "note": note});
    // Another agency's ASN does not exist for this admin.
    let (status, body) = post(admin.clone(), update(DEWI_B, None)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("account.not_found")), "{body}");
    let (status, body) = post(admin.clone(), update("199901012020011001", None)).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("account.not_found")), "{body}");
    // A note of more than 2,000 characters is refused with its field; exactly 2,000 is fine.
    let (status, body) = post(admin.clone(), update(BUDI, Some("é".repeat(2_001)))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("layanan.note_too_long"), Some("note")));
    let (status, body) = post(admin.clone(), update(BUDI, Some("é".repeat(2_000)))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Unknown stage: a body error.
    let (status, body) =
        post(admin.clone(), json!({"nip": BUDI, "layanan": "kgb", "stage": "selesai", "note": null})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("request.invalid_json")), "{body}");
    // Only admins.
    for nip in [BUDI, VERIFIKATOR_A, APPROVER_A] {
        let token = ctx.token(nip).await;
        let (status, body) = post(token, update(SITI, None)).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin.not_admin")), "{nip}");
    }
    // Refusals wrote nothing: Siti and Dewi have no layanan notification.
    for nip in [SITI, DEWI_B] {
        let token = ctx.token(nip).await;
        let (_, changes) = ctx.pull_all(&token, "").await;
        assert!(notifications(&changes, NotificationKind::Layanan).is_empty(), "{nip}");
    }
}

/// Agency A: Budi III/b fungsional, Siti III/b fungsional (her pelaksana post ended), Agus III/c fungsional,
/// Hendra IV/a struktural, Rudi III/c fungsional.
async fn announcement_filters(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let mut cursors = Vec::new();
    for nip in [BUDI, SITI, VERIFIKATOR_A, APPROVER_A, ADMIN_A] {
        let token = ctx.token(nip).await;
        let (cursor, _) = ctx.pull_all(&token, "").await;
        cursors.push((nip, token, cursor));
    }
    let cases: [(serde_json::Value, &[&str]); 6] = [
        (json!({"golongan_prefix": "33"}), &[VERIFIKATOR_A, ADMIN_A]),
        (json!({"golongan_prefix": "4"}), &[APPROVER_A]),
        (json!({"jenis_jabatan_id": "1"}), &[APPROVER_A]),
        (json!({"jenis_jabatan_id": "4"}), &[]),
        (json!({"golongan_prefix": "32", "jenis_jabatan_id": "2"}), &[BUDI, SITI]),
        (json!({"golongan_prefix": "3", "jenis_jabatan_id": "2", "unor_nama": "tidak ada"}), &[]),
    ];
    for (i, (filter, expected)) in cases.iter().enumerate() {
        let mut body = json!({"title": format!("Pengumuman {i}"), "body": "Isi", "unor_nama": null});
        if let (Some(b), Some(f)) = (body.as_object_mut(), filter.as_object()) {
            b.extend(f.clone());
        }
        let (status, sent) = ctx.post("/api/v1/admin/announcements", Some(&admin), &body).await;
        assert_eq!(status, StatusCode::OK, "{sent}");
        assert_eq!(sent["recipients"].as_u64(), Some(expected.len() as u64), "{filter}");
        for (nip, token, cursor) in &mut cursors {
            let (next, changes) = ctx.pull_all(token, cursor).await;
            *cursor = next;
            let got = notifications(&changes, NotificationKind::Announcement);
            let title = format!("Pengumuman {i}");
            let received = got.iter().any(|n| n.title.as_deref() == Some(title.as_str()));
            assert_eq!(received, expected.contains(nip), "{nip} {filter}");
        }
    }
}
