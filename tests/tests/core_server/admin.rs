//! Agency administration through the core (online only): accounts, roles, locks, reset codes, announcements,
//! and the user's own audit trail.

use mysapk_model::admin::{AnnouncementRequest, RoleChange};
use mysapk_model::notification::NotificationKind;
use mysapk_model::usulan::Role;

use crate::support::{Backend, Bench, ASN, PASSWORD};

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
        })
        .await
        .expect("announce");
    asn.sync_now().await.expect("asn sync");
    let inbox = asn.inbox().expect("inbox");
    assert!(
        inbox.notifications.iter().any(|n| n.kind == NotificationKind::Announcement
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
