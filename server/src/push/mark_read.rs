//! `MarkNotificationRead`: the ASN read one of their notifications.

use mysapk_model::Code;

use super::Applied;
use crate::auth::AuthUser;
use crate::db::{self, usulan as usulan_db, WriteTx, ENTITY_NOTIFICATION};

pub(super) async fn mark_read(tx: &mut WriteTx<'_>, user: &AuthUser, notification_id: &str) -> Applied {
    let Some((_, mut n)) = usulan_db::get_notification(tx, notification_id).await?.filter(|(o, _)| *o == user.nip)
    else {
        return Ok(Err(Code::NotificationNotFound.violation("notification_id")));
    };
    if !n.read {
        n.read = true;
        usulan_db::put_notification(tx, &user.nip, &n).await?;
        db::log_change(tx, Some(&user.nip), ENTITY_NOTIFICATION, &n.id).await?;
    }
    Ok(Ok(()))
}
