//! Notifications for the ASN. The text is rendered on the device from its message catalog,
//! so a notification carries codes, not sentences.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::history::HistoryKind;
use crate::services::{LayananKind, LayananStage, ServiceKind};
use crate::usulan::UsulanState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NotificationKind {
    UsulanState,
    /// An announcement of the agency admin; `title` and `body` carry its text.
    Announcement,
    /// A service derived from the record falls due (`service`, `due_date`, `history_kind`).
    Service,
    /// An admin's status update of the ASN's service file (`layanan`, `stage`; `body` carries the note).
    Layanan,
    /// Something changed about how the owner logs in (`account_event`; `reason` carries an admin's reason).
    Account,
}

/// A change to how an account logs in, told to its owner so that a change they did not make is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountEvent {
    /// The owner turned two-step verification on.
    MfaEnabled,
    /// An admin removed the second factor.
    MfaReset,
    /// An admin issued a password reset (or activation) code.
    ResetCodeIssued,
    /// The password was set with a reset code.
    PasswordReset,
    /// An admin changed the account's roles.
    RolesChanged,
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
    /// For `service`: what falls due, and when.
    #[serde(default)]
    pub service: Option<ServiceKind>,
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// For a retirement notice: how many months before the date it was given (12 or 3).
    #[serde(default)]
    pub lead_months: Option<u32>,
    /// For `layanan`: which service file, and the stage it reached.
    #[serde(default)]
    pub layanan: Option<LayananKind>,
    #[serde(default)]
    pub stage: Option<LayananStage>,
    /// For `account`: what changed.
    #[serde(default)]
    pub account_event: Option<AccountEvent>,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

impl Notification {
    /// An unread notification of `kind` with no facts yet; set the ones its kind carries with struct update syntax
    /// (`Notification { service: Some(…), ..Notification::new(id, kind, now) }`).
    pub fn new(id: impl Into<String>, kind: NotificationKind, created_at: DateTime<Utc>) -> Self {
        Self {
            id: id.into(),
            kind,
            usulan_id: None,
            state: None,
            history_kind: None,
            reason: None,
            title: None,
            body: None,
            service: None,
            due_date: None,
            lead_months: None,
            layanan: None,
            stage: None,
            account_event: None,
            created_at,
            read: false,
        }
    }
}
