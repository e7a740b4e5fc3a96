//! Telling an account's owner that how they log in changed (second factor, reset code, password, roles), so that
//! a change they did not make is seen on their own device.

use chrono::Utc;
use mysapk_model::notification::{AccountEvent, Notification, NotificationKind};

use crate::db::{self, usulan as usulan_db, WriteTx, ENTITY_NOTIFICATION};
use crate::error::ServerError;

/// An in-app notification of `event` to `nip` in the transaction of the change; `reason`: an admin's reason.
pub async fn notify_account_change(
    tx: &mut WriteTx<'_>,
    nip: &str,
    event: AccountEvent,
    reason: Option<&str>,
) -> Result<(), ServerError> {
    let n = Notification {
        account_event: Some(event),
        reason: reason.map(str::to_owned),
        ..Notification::new(uuid::Uuid::new_v4().to_string(), NotificationKind::Account, Utc::now())
    };
    usulan_db::put_notification(tx, nip, &n).await?;
    db::log_change(tx, Some(nip), ENTITY_NOTIFICATION, &n.id).await?;
    Ok(())
}
