//! Agency administration through the core (online only): accounts, roles, locks, reset codes, announcements,
//! and the user's own audit trail.

use mysapk_model::admin::{AccountInfo, AnnouncementRequest, NewAccount, ResetCode, RoleChange};
use mysapk_model::notification::NotificationKind;
use mysapk_model::usulan::Role;

use crate::support::{Backend, Bench, Raw, ASN, PASSWORD};

pub const ADMIN: &str = "198011202006041001";

pub(crate) async fn admin_manages_accounts_and_announces(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let admin = bench.core("admin-laptop");
    admin.login(ADMIN, PASSWORD).await.expect("admin login");

    let found = admin.admin_accounts("Budi").await.expect("search");
    assert!(found.iter().any(|a| a.nip == ASN), "{found:?}");

    // Locked: the ASN's login says why.
    let locked = admin.admin_lock(ASN, "Data sedang diaudit").await.expect("lock");
    assert_eq!(locked.locked_reason.as_deref(), Some("Data sedang diaudit"));
    let asn = bench.core("asn-phone");
    let err = asn.login(ASN, PASSWORD).await.expect_err("locked");
    let api = err.to_api_error();
    assert_eq!(api.code, "auth.locked", "{api:?}");
    assert!(api.message.contains("Data sedang diaudit"), "{api:?}");
    assert!(admin.admin_unlock(ASN).await.expect("unlock").locked_reason.is_none());
    asn.login(ASN, PASSWORD).await.expect("login after unlock");

    // Roles, reset code.
    let granted = admin.admin_set_role(ASN, RoleChange { role: Role::Verifikator, grant: true }).await.expect("grant");
    assert!(granted.roles.contains(&Role::Verifikator));
    let revoked =
        admin.admin_set_role(ASN, RoleChange { role: Role::Verifikator, grant: false }).await.expect("revoke");
    assert!(!revoked.roles.contains(&Role::Verifikator));
    let code = admin.admin_reset_code(ASN).await.expect("reset code");
    assert!(!code.code.is_empty());

    // An announcement reaches the ASN as a notification.
    admin
        .admin_announce(AnnouncementRequest {
            title: "Libur nasional".into(),
            body: "Kantor tutup tanggal 17.".into(),
            unor_nama: None,
            golongan_prefix: None,
            jenis_jabatan_id: None,
        })
        .await
        .expect("announce");
    asn.sync_now().await.expect("asn sync");
    let inbox = asn.inbox().expect("inbox");
    assert!(
        inbox.notifications.iter().map(|i| &i.notification).any(|n| n.kind == NotificationKind::Announcement
            && n.title.as_deref() == Some("Libur nasional")
            && n.body.as_deref() == Some("Kantor tutup tanggal 17.")),
        "{inbox:?}"
    );

    // The ASN's own audit trail shows what the admin did; an ASN may not administer.
    assert!(!asn.audit_me().await.expect("audit").is_empty());
    assert!(asn.admin_accounts("").await.is_err(), "an ASN is not an admin");

    // Offline: a clear error.
    bench.stop().await;
    assert_eq!(admin.admin_accounts("Budi").await.expect_err("offline").code(), "network.unreachable");
    bench.finish().await;
}

/// A new account created by the admin (no password: never activated).
pub const NEW_NIP: &str = "199503152020121001";

/// Create the new account over HTTP, as the admin's web console would.
pub async fn create_account_over_http(base: &str) {
    let admin = Raw::login(base, ADMIN).await;
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{base}/api/v1/admin/accounts"))
        .bearer_auth(&admin.token)
        .json(&NewAccount {
            nip: NEW_NIP.into(),
            nama: "Rina Aktivasi".into(),
            tanggal_lahir: chrono::NaiveDate::from_ymd_opt(1995, 3, 15).expect("date"),
            tempat_lahir: "Bandung".into(),
            email: None,
            unor_nama: "Biro Umum".into(),
            roles: vec![],
        })
        .send()
        .await
        .expect("create account");
    assert!(res.status().is_success(), "create account: {}", res.status());
    let info: AccountInfo = res.json().await.expect("account info");
    assert_eq!(info.nip, NEW_NIP);
}

/// Issue a one-time activation / reset code over HTTP.
pub async fn issue_code_over_http(base: &str, nip: &str) -> ResetCode {
    let admin = Raw::login(base, ADMIN).await;
    let res = reqwest::Client::new()
        .post(format!("{base}/api/v1/admin/accounts/{nip}/reset-code"))
        .bearer_auth(&admin.token)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("reset code");
    assert!(res.status().is_success(), "reset code: {}", res.status());
    res.json().await.expect("reset code body")
}

/// A new account is activated in the app with the admin's one-time code: no e-mail involved.
pub(crate) async fn new_account_is_activated_with_the_admins_code(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let base = bench.url();
    create_account_over_http(&base).await;

    // Not activated: no password to be right about, so the login answers as for any wrong password (the app
    // offers activation there), and nothing is stored.
    let phone = bench.core("new-phone");
    let err = phone.login(NEW_NIP, "whatever1").await.expect_err("not activated");
    assert_eq!(err.code(), "auth.invalid_credentials", "{err:?}");
    assert_eq!(err.to_api_error().code, "auth.invalid_credentials");
    assert!(phone.session().is_none());

    // Refused before the network: a short, a common or a NIP-bearing password, an empty code.
    let short = phone.reset_password(NEW_NIP, "ABC", "short").await.expect_err("short");
    assert_eq!(short.to_api_error().code, "password.too_short");
    assert_eq!(short.to_api_error().field.as_deref(), Some("new_password"));
    let common = phone.reset_password(NEW_NIP, "ABC", "Bismillah123").await.expect_err("common");
    assert_eq!(common.to_api_error().code, "password.common");
    let nip = phone.reset_password(NEW_NIP, "ABC", &format!("nip-{NEW_NIP}")).await.expect_err("nip");
    assert_eq!(nip.to_api_error().code, "password.contains_nip");
    let empty = phone.reset_password(NEW_NIP, "  ", "long enough").await.expect_err("no code");
    assert_eq!(empty.to_api_error().field.as_deref(), Some("code"));

    // A wrong code: a clear error, and the account stays unactivated.
    let code = issue_code_over_http(&base, NEW_NIP).await;
    let wrong = phone.reset_password(NEW_NIP, "WRONG-CODE", "rahasia-baru").await.expect_err("wrong code");
    assert_eq!(wrong.code(), "auth.reset_invalid", "{wrong:?}");
    assert!(!wrong.to_api_error().message.is_empty());
    assert_eq!(phone.login(NEW_NIP, "rahasia-baru").await.expect_err("still").code(), "auth.invalid_credentials");

    // The right code (case and spaces do not matter) sets the password; login and the first sync bring the
    // record.
    let typed = format!("  {}  ", code.code.to_lowercase());
    phone.reset_password(NEW_NIP, &typed, "rahasia-baru").await.expect("activate");
    let user = phone.login(NEW_NIP, "rahasia-baru").await.expect("login after activation");
    assert_eq!(user.nip, NEW_NIP);
    let beranda = phone.beranda().expect("beranda");
    let profile = beranda.profile.expect("the first sync brought the profile");
    assert_eq!(profile.nip.as_str(), NEW_NIP);
    assert_eq!(profile.full_name(), "Rina Aktivasi");

    // The code is used up.
    let reuse = phone.reset_password(NEW_NIP, &code.code, "lagi-baru-123").await.expect_err("reuse");
    assert_eq!(reuse.code(), "auth.reset_invalid", "{reuse:?}");
    phone.logout().await.expect("logout");
    phone.login(NEW_NIP, "rahasia-baru").await.expect("the password set with the code still works");

    // The admin re-links the e-mail through the core; the ASN's next sync carries it.
    let admin = bench.core("admin-laptop");
    admin.login(ADMIN, PASSWORD).await.expect("admin login");
    let info = admin.admin_set_email(NEW_NIP, " rina@example.go.id ").await.expect("set e-mail");
    assert_eq!(info.email.as_deref(), Some("rina@example.go.id"));
    assert_eq!(
        admin.admin_set_email(NEW_NIP, "").await.expect_err("empty").to_api_error().field.as_deref(),
        Some("email")
    );
    phone.sync_now().await.expect("sync");
    let profile = phone.beranda().expect("beranda").profile.expect("profile");
    assert_eq!(profile.owner.email.as_deref(), Some("rina@example.go.id"));

    // Offline: a clear error.
    bench.stop().await;
    assert_eq!(
        phone.reset_password(NEW_NIP, "ABCD", "rahasia-baru").await.expect_err("offline").code(),
        "network.unreachable"
    );
    bench.finish().await;
}
