//! The standing (`GET /api/v1/standing`) equals the model's computation from the pulled record, and the SIASN
//! facade's `nilaiipasn` carries the same IP ASN.

use mysapk_model::assessment::Assessment;
use mysapk_model::history::HistoryData;
use mysapk_model::standing::{standing, Standing};
use mysapk_model::sync::Change;
use reqwest::StatusCode;

use crate::fixtures::{d, histories};
use crate::support::{Ctx, BUDI, DEWI_B, SITI};

crate::backend_tests!(the_standing_is_the_model_s_from_the_pulled_record, nilaiipasn_is_this_year_s_ip_asn);

async fn pulled(ctx: &Ctx, token: &str) -> (Vec<HistoryData>, Vec<Assessment>) {
    let (_, changes) = ctx.pull_all(token, "0").await;
    let records = histories(&changes).into_iter().map(|r| r.data).collect();
    let assessments = changes
        .into_iter()
        .filter_map(|c| match c {
            Change::Assessment { assessment } => Some(assessment),
            _ => None,
        })
        .collect();
    (records, assessments)
}

async fn the_standing_is_the_model_s_from_the_pulled_record(ctx: Ctx) {
    let pool = mysapk_server::db::connect(&ctx.db_url).await.expect("pool");
    for nip in [BUDI, SITI, DEWI_B] {
        let token = ctx.token(nip).await;
        let (records, assessments) = pulled(&ctx, &token).await;
        let refs: Vec<&HistoryData> = records.iter().collect();
        for date in [d(2024, 6, 30), d(2026, 3, 1), d(2026, 12, 31)] {
            let (status, body) = ctx.get(&format!("/api/v1/standing?date={date}"), Some(&token)).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let served: Standing = serde_json::from_value(body).expect("standing");
            let expected = standing(&refs, &assessments, date);
            assert_eq!(served, expected, "{nip} on {date}");
            let direct = mysapk_server::standing::standing_of(&pool, nip, date).await.expect("standing_of");
            assert_eq!(direct, expected);
        }
        // With SKP of last year and an assessment, the 9-box position is known.
        let s = standing(&refs, &assessments, d(2026, 3, 1));
        assert!(s.talent.is_some() && s.assessment.is_some() && s.potential_score.is_some(), "{nip}: {s:?}");
    }
    // Default date: today (UTC); a malformed one is refused.
    let token = ctx.token(BUDI).await;
    let (status, body) = ctx.get("/api/v1/standing", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let served: Standing = serde_json::from_value(body).expect("standing");
    assert!((served.today - chrono::Utc::now().date_naive()).num_days().abs() <= 1);
    let (status, e) = ctx.get("/api/v1/standing?date=31-12-2026", Some(&token)).await;
    assert_eq!(
        (status, e["code"].as_str(), e["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("standing.invalid_date"), Some("date"))
    );
    let (status, _) = ctx.get("/api/v1/standing", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    pool.close().await;
}

async fn nilaiipasn_is_this_year_s_ip_asn(ctx: Ctx) {
    let token = ctx.token(BUDI).await;
    let (status, body) = ctx.get(&format!("/apisiasn/1.0/pns/nilaiipasn/{BUDI}"), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["code"], 1);
    let data = &body["data"];
    let (_, s) = ctx.get("/api/v1/standing", Some(&token)).await;
    let s: Standing = serde_json::from_value(s).expect("standing");
    assert_eq!(data["nipBaru"], BUDI);
    assert_eq!(data["tahun"], s.ip_asn.year);
    assert_eq!(data["total"], s.ip_asn.total);
    let sum: u64 = ["kualifikasi", "kompetensi", "kinerja", "disiplin"]
        .iter()
        .map(|k| data[k].as_u64().unwrap_or_else(|| panic!("{k}: {data}")))
        .sum();
    assert_eq!(sum, u64::from(s.ip_asn.total));
    assert!(data["kategori"].as_str().is_some_and(|k| !k.is_empty()), "{data}");
    // Another agency's NIP: not found, as for every resource.
    let (status, _) = ctx.get(&format!("/apisiasn/1.0/pns/nilaiipasn/{DEWI_B}"), Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
