//! Agency admin, audit log, authorization matrix.

use std::time::Instant;

use mysapk_model::admin::{AccountInfo, AuditEntry, ImportReport, ResetCode};
use mysapk_model::notification::NotificationKind;
use mysapk_model::sync::Change;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::backend_tests;
use crate::fixtures::{add_jabatan, d, new_id, propose};
use crate::support::{Ctx, ADMIN_A, APPROVER_A, BUDI, DEWI_B, SITI, VERIFIKATOR_A};

backend_tests!(
    authorization_matrix,
    import_ten_thousand_with_bad_rows,
    lock_shows_reason_at_login,
    reset_code_works_once,
    created_account_activates_with_code,
    announcement_reaches_pull,
    audit_is_append_only_and_readable,
);

/// A snapshot of everything a denied request must not change.
async fn snapshot(ctx: &Ctx) -> Vec<String> {
    let mut db = ctx.db().await;
    let mut out = Vec::new();
    for sql in [
        "SELECT CAST(value AS TEXT) FROM counter",
        "SELECT CAST(COUNT(*) AS TEXT) FROM audit_log",
        "SELECT CAST(COUNT(*) AS TEXT) FROM users",
        "SELECT CAST(COUNT(*) AS TEXT) FROM notification",
        "SELECT CAST(COUNT(*) AS TEXT) FROM reset_code",
        "SELECT CAST(COUNT(*) AS TEXT) FROM assessment",
        "SELECT CAST(COUNT(*) AS TEXT) FROM tokens WHERE revoked = 1",
    ] {
        let v: String = sqlx::query_scalar(sql).fetch_one(&mut db).await.expect(sql);
        out.push(v);
    }
    let users: Vec<(String, String, Option<String>)> =
        sqlx::query_as("SELECT nip, roles, locked_reason FROM users ORDER BY nip").fetch_all(&mut db).await.expect("u");
    out.push(format!("{users:?}"));
    let states: Vec<(String, String)> =
        sqlx::query_as("SELECT id, state FROM usulan ORDER BY id").fetch_all(&mut db).await.expect("usulan");
    out.push(format!("{states:?}"));
    out
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Asn,
    Verifikator,
    Approver,
    Admin,
}

async fn authorization_matrix(ctx: Ctx) {
    let callers = [
        (Who::Asn, ctx.token(BUDI).await),
        (Who::Verifikator, ctx.token(VERIFIKATOR_A).await),
        (Who::Approver, ctx.token(APPROVER_A).await),
        (Who::Admin, ctx.token(ADMIN_A).await),
    ];
    let budi = ctx.token(BUDI).await;
    let dewi = ctx.token(DEWI_B).await;
    let mut budi_seq = 0;
    let mut dewi_seq = 0;
    let new_account = json!({"nip": "199503032020121001", "nama": "Andi Wijaya", "tanggal_lahir": "1995-03-03",
        "tempat_lahir": "Bandung", "email": null, "unor_nama": "Biro Kepegawaian", "roles": []});
    let import = json!([{"nip": "199604042021121001", "nama": "Bayu", "tanggal_lahir": "1996-04-04",
        "tempat_lahir": "Bogor", "unor_nama": "Biro Kepegawaian"}]);
    // (name, method, own path, other-agency path, body, expected(who, own))
    type Expect = fn(Who, bool) -> StatusCode;
    let admin_only: Expect = |w, own| match (w, own) {
        (Who::Admin, true) => StatusCode::OK,
        (Who::Admin, false) => StatusCode::NOT_FOUND,
        _ => StatusCode::FORBIDDEN,
    };
    let admin_agency: Expect = |w, _| if w == Who::Admin { StatusCode::OK } else { StatusCode::FORBIDDEN };
    let admin_create: Expect = |w, _| if w == Who::Admin { StatusCode::CREATED } else { StatusCode::FORBIDDEN };
    let admin_not_found: Expect = |w, _| if w == Who::Admin { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN };
    let assessment = |nip: &str| {
        json!({"nip": nip, "assessment": {"id": "", "tanggal": "2025-02-03", "penyelenggara": "BKN",
            "scores": [{"aspect": "integritas", "level": 3, "standard": 3}]}})
    };
    let acc = |nip: &str, what: &str| format!("/api/v1/admin/accounts/{nip}/{what}");
    type Case<'a> = (&'a str, &'a str, String, Option<String>, Value, Expect);
    let cases: Vec<Case<'_>> = vec![
        ("accounts", "GET", "/api/v1/admin/accounts?q=a".into(), None, Value::Null, admin_agency),
        ("create", "POST", "/api/v1/admin/accounts".into(), None, new_account, admin_create),
        ("import", "POST", "/api/v1/admin/accounts/import".into(), None, import, admin_agency),
        (
            "roles",
            "POST",
            acc(SITI, "roles"),
            Some(acc(DEWI_B, "roles")),
            json!({"role": "approver", "grant": true}),
            admin_only,
        ),
        (
            "email",
            "POST",
            acc(SITI, "email"),
            Some(acc(DEWI_B, "email")),
            json!({"email": "siti@kemendagri.go.id"}),
            admin_only,
        ),
        ("lock", "POST", acc(SITI, "lock"), Some(acc(DEWI_B, "lock")), json!({"reason": "Mutasi"}), admin_only),
        ("unlock", "POST", acc(SITI, "unlock"), Some(acc(DEWI_B, "unlock")), json!({}), admin_only),
        ("reset-code", "POST", acc(SITI, "reset-code"), Some(acc(DEWI_B, "reset-code")), json!({}), admin_only),
        (
            "announce",
            "POST",
            "/api/v1/admin/announcements".into(),
            None,
            json!({"title": "Apel", "body": "Senin 07.30", "unor_nama": null}),
            admin_agency,
        ),
        ("audit", "GET", "/api/v1/admin/audit?limit=10".into(), None, Value::Null, admin_agency),
        ("assessment", "POST", "/api/v1/admin/assessments".into(), None, assessment(SITI), admin_create),
        ("assessment-other", "POST", "/api/v1/admin/assessments".into(), None, assessment(DEWI_B), admin_not_found),
    ];
    let mut checked = 0;
    for (name, method, own_path, other_path, body, expect) in &cases {
        for own in [true, false] {
            let path = match (own, other_path) {
                (true, _) => own_path.clone(),
                (false, Some(p)) => p.clone(),
                (false, None) => continue,
            };
            for (who, token) in &callers {
                let want = expect(*who, own);
                let before = snapshot(&ctx).await;
                let req = if *method == "GET" {
                    ctx.http.get(ctx.url(&path))
                } else {
                    ctx.http.post(ctx.url(&path)).json(body)
                };
                let (status, resp) = ctx.send(req, Some(token)).await;
                assert_eq!(status, want, "{name} as {who:?} own={own}: {resp}");
                if !status.is_success() {
                    assert_eq!(snapshot(&ctx).await, before, "{name} as {who:?} own={own} changed something");
                }
                checked += 1;
            }
        }
    }
    // Review endpoints: the queue, and a decision on a fresh proposal of the own / the other agency.
    for (who, token) in &callers {
        let want = match who {
            Who::Verifikator | Who::Approver => StatusCode::OK,
            _ => StatusCode::FORBIDDEN,
        };
        let before = snapshot(&ctx).await;
        let (status, body) = ctx.get("/api/v1/review/queue", Some(token)).await;
        assert_eq!(status, want, "queue as {who:?}: {body}");
        assert_eq!(snapshot(&ctx).await, before);
        for own in [true, false] {
            let id = new_id();
            if own {
                budi_seq += 1;
                ctx.push(&budi, "dev", &[propose(budi_seq, &id, add_jabatan(d(2024, 7, 1), None))]).await;
            } else {
                dewi_seq += 1;
                ctx.push(&dewi, "dev", &[propose(dewi_seq, &id, add_jabatan(d(2024, 7, 1), None))]).await;
            }
            // A caller without a reviewer role is refused before the proposal is looked up.
            let want = match (who, own) {
                (Who::Verifikator | Who::Approver, false) => StatusCode::NOT_FOUND,
                (Who::Verifikator, true) => StatusCode::OK,
                _ => StatusCode::FORBIDDEN,
            };
            let before = snapshot(&ctx).await;
            let (status, body) = ctx.decide(token, &id, "verify", None).await;
            assert_eq!(status, want, "decision as {who:?} own={own}: {body}");
            if !status.is_success() {
                assert_eq!(snapshot(&ctx).await, before, "decision as {who:?} own={own} changed something");
            }
            checked += 1;
        }
    }
    println!("authorization matrix: {checked} requests checked");
}

fn nip_for(i: usize) -> (String, String) {
    let birth = d(1970, 1, 1) + chrono::Duration::days((i % 3000) as i64);
    let seq = i / 3000 + 1;
    (format!("{}2005011{seq:03}", birth.format("%Y%m%d")), birth.format("%Y-%m-%d").to_string())
}

async fn import_ten_thousand_with_bad_rows(ctx: Ctx) {
    let mut csv = String::from("nip,nama,tanggal_lahir,tempat_lahir,email,unor_nama,roles\n");
    let mut expected = Vec::new();
    for i in 0..10_000 {
        let (mut nip, mut date) = nip_for(i);
        let mut nama = format!("Pegawai {i}");
        let mut roles = if i % 50 == 0 { "verifikator".to_owned() } else { String::new() };
        if i % 100 == 7 {
            let code = match (i / 100) % 5 {
                0 => {
                    nip = "12345".into();
                    "nip.length"
                }
                1 => {
                    date = "1980-13-45".into();
                    "account.tanggal_lahir_format"
                }
                2 => {
                    nama = String::new();
                    "account.nama_required"
                }
                3 => {
                    nip = nip_for(i - 1).0;
                    date = nip_for(i - 1).1;
                    "account.duplicate"
                }
                _ => {
                    roles = "superuser".into();
                    "account.unknown_role"
                }
            };
            expected.push((u32::try_from(i + 2).expect("line"), code));
        }
        csv.push_str(&format!(
            "{nip},\"{nama}\",{date},Jakarta,p{i}@contoh.go.id,\"Biro Umum, Bagian {}\",{roles}\n",
            i % 7
        ));
    }
    let admin = ctx.token(ADMIN_A).await;
    let started = Instant::now();
    let resp = ctx
        .http
        .post(ctx.url("/api/v1/admin/accounts/import"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("import");
    let status = resp.status();
    let body: Value = resp.json().await.expect("json");
    println!("imported 10,000 CSV rows in {:?}", started.elapsed());
    assert_eq!(status, StatusCode::OK, "{body}");
    let report: ImportReport = serde_json::from_value(body).expect("report");
    assert_eq!(report.imported, 9_900);
    let got: Vec<(u32, &str)> = report.errors.iter().map(|e| (e.line, e.code.as_str())).collect();
    assert_eq!(got, expected);
    assert!(report.errors.iter().all(|e| !e.message.is_empty()));
    let dup = report.errors.iter().find(|e| e.code == "account.duplicate").expect("dup");
    assert_eq!(dup.field.as_deref(), Some("nip"));
    assert!(dup.nip.is_some());
    let mut db = ctx.db().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE password_hash = ''")
        .fetch_one(&mut db)
        .await
        .expect("count");
    assert_eq!(n, 9_900);
    let audits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'account.import'")
        .fetch_one(&mut db)
        .await
        .expect("count");
    assert_eq!(audits, 9_900);
    // An imported account is searchable, not activated, and its profile syncs after activation.
    let (status, body) = ctx.get(&format!("/api/v1/admin/accounts?q={}", nip_for(1).0), Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    let found: Vec<AccountInfo> = serde_json::from_value(body).expect("accounts");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].unor_nama, "Biro Umum, Bagian 1");
    let (status, body) =
        ctx.post("/api/v1/auth/login", None, &json!({"nip": nip_for(1).0, "password": "whatever1"})).await;
    // Not activated: no password to be right about, so the same answer as any wrong one.
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("auth.invalid_credentials")));
    // Importing the same file again refuses every row as existing.
    let again = "nip,nama,tanggal_lahir,tempat_lahir,email,unor_nama,roles\n".to_owned()
        + &format!("{},X,{},Y,,Z,\n", nip_for(1).0, nip_for(1).1);
    let resp = ctx
        .http
        .post(ctx.url("/api/v1/admin/accounts/import"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(again)
        .send()
        .await
        .expect("import");
    let report: ImportReport = resp.json().await.expect("report");
    assert_eq!(report.imported, 0);
    assert_eq!(report.errors[0].code, "account.exists");
    assert_eq!(report.errors[0].line, 2);
}

async fn lock_shows_reason_at_login(ctx: Ctx) {
    let siti = ctx.token(SITI).await;
    let admin = ctx.token(ADMIN_A).await;
    let reason = "Akun dikunci: sedang proses mutasi ke Pemprov Jabar (hubungi BKPSDM).";
    let (status, body) =
        ctx.post(&format!("/api/v1/admin/accounts/{SITI}/lock"), Some(&admin), &json!({"reason": "  "})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("account.reason_required")));
    let (status, body) =
        ctx.post(&format!("/api/v1/admin/accounts/{SITI}/lock"), Some(&admin), &json!({"reason": reason})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["locked_reason"], reason);
    // Tokens are revoked.
    let (status, _) = ctx.get("/api/v1/sync", Some(&siti)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = ctx.post("/api/v1/auth/login", None, &json!({"nip": SITI, "password": "demo1234"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["code"], "auth.locked");
    assert_eq!(body["message"], reason);
    // An admin may not lock themselves.
    let (status, body) =
        ctx.post(&format!("/api/v1/admin/accounts/{ADMIN_A}/lock"), Some(&admin), &json!({"reason": "x"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("account.self_lock")));
    let (status, _) = ctx.post(&format!("/api/v1/admin/accounts/{SITI}/unlock"), Some(&admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK);
    ctx.login(SITI).await;
    // Nobody changes their own roles: neither dropping admin nor granting themselves a reviewer role.
    for (role, grant) in [("admin", false), ("approver", true), ("verifikator", true), ("admin", true)] {
        let (status, body) = ctx
            .post(
                &format!("/api/v1/admin/accounts/{ADMIN_A}/roles"),
                Some(&admin),
                &json!({"role": role, "grant": grant}),
            )
            .await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("role.self_change")), "{role}");
    }
    let (status, body) = ctx
        .post(&format!("/api/v1/admin/accounts/{SITI}/roles"), Some(&admin), &json!({"role": "asn", "grant": true}))
        .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("role.not_assignable")));
}

async fn issue_code(ctx: &Ctx, admin: &str, nip: &str) -> ResetCode {
    let (status, body) = ctx.post(&format!("/api/v1/admin/accounts/{nip}/reset-code"), Some(admin), &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).expect("code")
}

async fn reset_code_works_once(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let code = issue_code(&ctx, &admin, BUDI).await;
    assert_eq!(code.code.len(), 8);
    assert!(code.expires_at > chrono::Utc::now() + chrono::Duration::hours(23));
    let reset = |pw: &str| json!({"nip": BUDI, "code": code.code, "new_password": pw});
    let (status, body) = ctx.post("/api/v1/auth/reset", None, &reset("pendek")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("password.too_short")));
    let (status, body) = ctx
        .post("/api/v1/auth/reset", None, &json!({"nip": BUDI, "code": "WRONGCOD", "new_password": "rahasia-baru"}))
        .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("auth.reset_invalid")));
    let (status, body) = ctx.post("/api/v1/auth/reset", None, &reset("rahasia-baru")).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = ctx.post("/api/v1/auth/login", None, &json!({"nip": BUDI, "password": "rahasia-baru"})).await;
    assert_eq!(status, StatusCode::OK, "login at once after reset: {body}");
    let (status, _) = ctx.post("/api/v1/auth/login", None, &json!({"nip": BUDI, "password": "demo1234"})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = ctx.post("/api/v1/auth/reset", None, &reset("lagi-lagi-baru")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("auth.reset_invalid")), "reuse");
    let mut db = ctx.db().await;
    let stored: String = sqlx::query_scalar("SELECT code_hash FROM reset_code WHERE nip = $1")
        .bind(BUDI)
        .fetch_one(&mut db)
        .await
        .expect("row");
    assert!(!stored.contains(&code.code), "stored hashed");
}

async fn created_account_activates_with_code(ctx: Ctx) {
    let admin = ctx.token(ADMIN_A).await;
    let nip = "199503032020121001";
    let bad = json!({"nip": nip, "nama": "Andi", "tanggal_lahir": "1995-03-04", "tempat_lahir": "Bandung",
        "email": null, "unor_nama": "Biro Kepegawaian", "roles": []});
    let (status, body) = ctx.post("/api/v1/admin/accounts", Some(&admin), &bad).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("account.birth_date_mismatch")));
    let good = json!({"nip": nip, "nama": "Andi Wijaya", "tanggal_lahir": "1995-03-03", "tempat_lahir": "Bandung",
        "email": "andi@kemendagri.go.id", "unor_nama": "Biro Kepegawaian", "roles": ["verifikator"]});
    let (status, body) = ctx.post("/api/v1/admin/accounts", Some(&admin), &good).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = ctx.post("/api/v1/admin/accounts", Some(&admin), &good).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("account.exists")));
    let (status, body) = ctx.post("/api/v1/auth/login", None, &json!({"nip": nip, "password": "apa saja"})).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("auth.invalid_credentials")));
    let code = issue_code(&ctx, &admin, nip).await;
    let (status, _) = ctx
        .post(
            "/api/v1/auth/reset",
            None,
            &json!({"nip": nip, "code": code.code.to_lowercase(), "new_password": "andi-wijaya-12345"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) =
        ctx.post("/api/v1/auth/login", None, &json!({"nip": nip, "password": "andi-wijaya-12345"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().expect("token").to_owned();
    let (_, changes) = ctx.pull_all(&token, "").await;
    assert!(changes.iter().any(|c| matches!(c, Change::Profile { profile } if profile.nama == "Andi Wijaya")));
    // E-mail re-link.
    let (status, body) = ctx
        .post(
            &format!("/api/v1/admin/accounts/{nip}/email"),
            Some(&admin),
            &json!({"email": "andi.w@kemendagri.go.id"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["email"], "andi.w@kemendagri.go.id");
}

async fn announcement_reaches_pull(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let dewi = ctx.token(DEWI_B).await;
    let (bc, _) = ctx.pull_all(&budi, "").await;
    let (dc, _) = ctx.pull_all(&dewi, "").await;
    let admin = ctx.token(ADMIN_A).await;
    let (status, body) = ctx
        .post(
            "/api/v1/admin/announcements",
            Some(&admin),
            &json!({"title": "Apel pagi", "body": "Senin pukul 07.30.", "unor_nama": null}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["recipients"], 5);
    let page = ctx.pull(&budi, &bc, None).await;
    let note = page
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Notification { notification } if notification.kind == NotificationKind::Announcement => {
                Some(notification.clone())
            }
            _ => None,
        })
        .expect("announcement");
    assert_eq!(note.title.as_deref(), Some("Apel pagi"));
    assert_eq!(note.body.as_deref(), Some("Senin pukul 07.30."));
    assert!(ctx.pull(&dewi, &dc, None).await.changes.is_empty(), "another agency");
    let (status, body) = ctx
        .post(
            "/api/v1/admin/announcements",
            Some(&admin),
            &json!({"title": "Rapat", "body": "Ruang 3", "unor_nama": "tidak ada"}),
        )
        .await;
    assert_eq!((status, body["recipients"].as_u64()), (StatusCode::OK, Some(0)));
    let (status, body) = ctx
        .post("/api/v1/admin/announcements", Some(&admin), &json!({"title": "", "body": "x", "unor_nama": null}))
        .await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("announcement.title_required")));
}

async fn audit_is_append_only_and_readable(ctx: Ctx) {
    let budi = ctx.token(BUDI).await;
    let id = new_id();
    ctx.push(&budi, "hp-budi", &[propose(1, &id, add_jabatan(d(2024, 7, 1), None))]).await;
    let v = ctx.token(VERIFIKATOR_A).await;
    let resp = ctx
        .http
        .post(ctx.url(&format!("/api/v1/review/{id}/decision")))
        .bearer_auth(&v)
        .header("X-Device-Id", "laptop-agus")
        .json(&json!({"decision": "return", "reason": "SK belum dilampirkan"}))
        .send()
        .await
        .expect("decide");
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, body) = ctx.get("/api/v1/audit/me", Some(&budi)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mine: Vec<AuditEntry> = serde_json::from_value(body).expect("entries");
    let ret = mine.iter().find(|e| e.action == "usulan.return").expect("return entry");
    assert_eq!(ret.actor_nip, VERIFIKATOR_A);
    assert_eq!(ret.device_id.as_deref(), Some("laptop-agus"));
    assert_eq!(ret.reason.as_deref(), Some("SK belum dilampirkan"));
    assert_eq!(ret.subject_nip.as_deref(), Some(BUDI));
    assert!(mine.iter().any(|e| e.action == "usulan.submit" && e.device_id.as_deref() == Some("hp-budi")));
    assert!(mine.iter().all(|e| e.subject_nip.as_deref() == Some(BUDI)));
    let admin = ctx.token(ADMIN_A).await;
    let (status, body) = ctx.get("/api/v1/admin/audit?limit=2", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page: Vec<AuditEntry> = serde_json::from_value(body).expect("entries");
    assert_eq!(page.len(), 2);
    let before = page[1].at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let (_, body) =
        ctx.get(&format!("/api/v1/admin/audit?limit=1000&before={}", before.replace('+', "%2B")), Some(&admin)).await;
    let older: Vec<AuditEntry> = serde_json::from_value(body).expect("entries");
    assert!(older.iter().all(|e| e.at < page[1].at));
    assert!(!older.is_empty());
    let dewi = ctx.token(DEWI_B).await;
    let (_, body) = ctx.get("/api/v1/audit/me", Some(&dewi)).await;
    let dewis: Vec<AuditEntry> = serde_json::from_value(body).expect("entries");
    assert!(dewis.iter().all(|e| e.subject_nip.as_deref() == Some(DEWI_B)));

    // No route changes or deletes entries.
    let mut db = ctx.db().await;
    let count = |rows: Vec<(String, String)>| rows;
    let all_before: Vec<(String, String)> =
        sqlx::query_as("SELECT id, action FROM audit_log ORDER BY id").fetch_all(&mut db).await.expect("rows");
    let entry_id = ret.id.clone();
    for path in [
        "/api/v1/audit/me".to_owned(),
        "/api/v1/admin/audit".to_owned(),
        format!("/api/v1/audit/me/{entry_id}"),
        format!("/api/v1/admin/audit/{entry_id}"),
    ] {
        for token in [&admin, &budi] {
            for method in [reqwest::Method::PUT, reqwest::Method::PATCH, reqwest::Method::DELETE] {
                let (status, _) = ctx
                    .send(ctx.http.request(method.clone(), ctx.url(&path)).json(&json!({"action": "x"})), Some(token))
                    .await;
                assert!(
                    status == StatusCode::METHOD_NOT_ALLOWED || status == StatusCode::NOT_FOUND,
                    "{method} {path}: {status}"
                );
            }
        }
    }
    let all_after: Vec<(String, String)> =
        sqlx::query_as("SELECT id, action FROM audit_log ORDER BY id").fetch_all(&mut db).await.expect("rows");
    assert_eq!(count(all_after), all_before);
}
