//! Assessments: recorded by the agency admin, pulled by the ASN as `Change::Assessment`.

use mysapk_model::assessment::{AspectScore, Assessment, NewAssessment, KOMPETENSI, POTENSI};
use mysapk_model::sync::Change;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::fixtures::d;
use crate::support::{Ctx, ADMIN_A, BUDI, DEWI_B, SITI};

crate::backend_tests!(
    an_admin_records_and_the_asn_pulls_it,
    invalid_assessments_are_refused_with_their_field,
    only_the_admin_of_the_asn_agency_records,
);

fn sample(id: &str) -> Assessment {
    Assessment {
        id: id.into(),
        tanggal: d(2025, 9, 15),
        penyelenggara: "Pusat Penilaian Kompetensi ASN BKN".into(),
        scores: KOMPETENSI
            .iter()
            .chain(POTENSI.iter())
            .map(|a| AspectScore { aspect: *a, level: 4, standard: 3 })
            .collect(),
    }
}

fn body(nip: &str, a: &Assessment) -> Value {
    serde_json::to_value(NewAssessment { nip: nip.into(), assessment: a.clone() }).expect("json")
}

fn assessments(changes: &[Change]) -> Vec<Assessment> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Assessment { assessment } => Some(assessment.clone()),
            _ => None,
        })
        .collect()
}

async fn an_admin_records_and_the_asn_pulls_it(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let (cursor, all) = ctx.pull_all(&budi, "0").await;
    let seeded = assessments(&all);
    assert_eq!(seeded.len(), 1, "the demo person with SKP has one seeded assessment");
    assert!(seeded[0].check(chrono::Utc::now().date_naive()).is_empty());

    let admin = ctx.token(ADMIN_A).await;
    let (status, created) = ctx.post("/api/v1/admin/assessments", Some(&admin), &body(BUDI, &sample(""))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let created: Assessment = serde_json::from_value(created).expect("assessment");
    assert!(uuid::Uuid::parse_str(&created.id).is_ok(), "server-assigned id: {}", created.id);
    assert_eq!(created, Assessment { id: created.id.clone(), ..sample("") });

    let (next, changes) = ctx.pull_all(&budi, &cursor).await;
    assert_eq!(assessments(&changes), vec![created.clone()]);
    // A correction under the same id replaces it.
    let mut corrected = created.clone();
    corrected.penyelenggara = "UPT Penilaian Kompetensi Pegawai BKN".into();
    let (status, _) = ctx.post("/api/v1/admin/assessments", Some(&admin), &body(BUDI, &corrected)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, changes) = ctx.pull_all(&budi, &next).await;
    assert_eq!(assessments(&changes), vec![corrected.clone()]);
    let (_, all) = ctx.pull_all(&budi, "0").await;
    assert_eq!(assessments(&all).len(), 2);
    // Nobody else's feed carries it; its id cannot be taken for another ASN.
    let siti = ctx.token(SITI).await;
    let (_, theirs) = ctx.pull_all(&siti, "0").await;
    assert!(!assessments(&theirs).iter().any(|a| a.id == created.id));
    let (status, e) = ctx.post("/api/v1/admin/assessments", Some(&admin), &body(SITI, &corrected)).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::CONFLICT, Some("assessment.id_taken")));

    // Audited.
    let (status, audit) = ctx.get("/api/v1/audit/me", Some(&budi)).await;
    assert_eq!(status, StatusCode::OK);
    let recorded = audit
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "assessment.record" && e["entity_id"] == json!(created.id))
        .count();
    assert_eq!(recorded, 2);
}

async fn invalid_assessments_are_refused_with_their_field(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let cases: Vec<(Assessment, &str, &str)> = vec![
        (
            {
                let mut a = sample("");
                a.scores[1].level = 6;
                a
            },
            "assessment.level",
            "scores[1]",
        ),
        (
            {
                let mut a = sample("");
                a.scores[3].standard = 0;
                a
            },
            "assessment.level",
            "scores[3]",
        ),
        (
            {
                let mut a = sample("");
                a.scores[2].aspect = a.scores[0].aspect;
                a
            },
            "assessment.duplicate_aspect",
            "scores[2]",
        ),
        (
            {
                let mut a = sample("");
                a.scores.clear();
                a
            },
            "assessment.no_scores",
            "scores",
        ),
        (
            {
                let mut a = sample("");
                a.tanggal = d(2999, 1, 1);
                a
            },
            "date.in_future",
            "tanggal",
        ),
        (
            {
                let mut a = sample("");
                a.penyelenggara = " ".into();
                a
            },
            "field.required",
            "penyelenggara",
        ),
    ];
    let budi = ctx.token(BUDI).await;
    let (cursor, _) = ctx.pull_all(&budi, "0").await;
    for (a, code, field) in cases {
        let (status, e) = ctx.post("/api/v1/admin/assessments", Some(&admin), &body(BUDI, &a)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{code}: {e}");
        assert_eq!((e["code"].as_str(), e["field"].as_str()), (Some(code), Some(field)), "{e}");
    }
    // A level out of the u8 range is a malformed body.
    let mut raw = body(BUDI, &sample(""));
    raw["assessment"]["scores"][0]["level"] = json!(300);
    let (status, e) = ctx.post("/api/v1/admin/assessments", Some(&admin), &raw).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::BAD_REQUEST, Some("request.invalid_json")));
    let (status, e) = ctx.post("/api/v1/admin/assessments", Some(&admin), &body("123", &sample(""))).await;
    assert_eq!((status, e["field"].as_str()), (StatusCode::BAD_REQUEST, Some("nip")), "{e}");
    // Nothing was stored.
    let (_, changes) = ctx.pull_all(&budi, &cursor).await;
    assert!(assessments(&changes).is_empty());
}

async fn only_the_admin_of_the_asn_agency_records(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let (status, e) = ctx.post("/api/v1/admin/assessments", Some(&admin), &body(DEWI_B, &sample(""))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("account.not_found")));
    let (status, e) =
        ctx.post("/api/v1/admin/assessments", Some(&admin), &body("199901012020011009", &sample(""))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::NOT_FOUND, Some("account.not_found")));
    let budi = ctx.token(BUDI).await;
    let (status, e) = ctx.post("/api/v1/admin/assessments", Some(&budi), &body(BUDI, &sample(""))).await;
    assert_eq!((status, e["code"].as_str()), (StatusCode::FORBIDDEN, Some("admin.not_admin")));
    let (status, _) = ctx.post("/api/v1/admin/assessments", None, &body(BUDI, &sample(""))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Dewi's feed got nothing.
    let dewi = ctx.token(DEWI_B).await;
    let (_, all) = ctx.pull_all(&dewi, "0").await;
    assert_eq!(assessments(&all).len(), 1, "only her seeded one");
}
