//! Notifications for the ASN. The text is rendered on the device from its message catalog,
//! so a notification carries codes, not sentences.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::record::HistoryKind;
use crate::usulan::UsulanState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NotificationKind {
    UsulanState,
    /// An announcement of the agency admin; `title` and `body` carry its text.
    Announcement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: String,
    pub kind: NotificationKind,
    pub usulan_id: Option<String>,
    /// The new state, for `usulan_state` notifications.
    pub state: Option<UsulanState>,
    /// The history kind concerned, if any (`None` for owner fields).
    pub history_kind: Option<HistoryKind>,
    pub reason: Option<String>,
    /// Title of an announcement (written by a person, so not from the message catalog).
    #[serde(default)]
    pub title: Option<String>,
    /// Body of an announcement.
    #[serde(default)]
    pub body: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}
