//! What the client core hands to the UI: the local view of the record with pending proposals beside it,
//! and the sync status. These cross the IPC boundary; their TypeScript twins are generated.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::auth::UserInfo;
use crate::catalog::Catalog;
use crate::document::DocumentRef;
use crate::history::{HistoryKind, HistoryRecord};
use crate::notification::Notification;
use crate::notification_text::NotificationText;
use crate::record::Profile;
use crate::review::ReviewItem;
use crate::rules::completeness::CategoryProgress;
use crate::usulan::{Decision, UsulanAction, UsulanEvent, UsulanState};
use crate::Violation;

/// A proposal as the device knows it: queued locally, or synced back from the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LocalUsulan {
    pub id: String,
    pub action: UsulanAction,
    /// `queued` while it waits in the outbox; afterwards the server's state.
    pub state: UsulanState,
    /// The reviewer's reason of a return or rejection.
    pub reason: Option<String>,
    /// Why the server refused the mutation outright (bad input), if it did.
    pub refusal: Option<Violation>,
    pub created_at: DateTime<Utc>,
    pub events: Vec<UsulanEvent>,
    /// Supporting documents attached to it.
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
    /// How many of those documents still wait to be uploaded (the proposal is sent after them).
    #[serde(default)]
    pub documents_waiting: u32,
    /// After approval: what SIASN made of the change, when the agency's server forwards to SIASN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siasn: Option<crate::siasn::forward::SiasnStep>,
}

/// One official history record with the open proposals that concern it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryItem {
    pub record: HistoryRecord,
    pub pending: Vec<LocalUsulan>,
}

/// One history list (kind) of the beranda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryList {
    pub kind: HistoryKind,
    /// Official records, newest first, each with its pending proposals.
    pub items: Vec<HistoryItem>,
    /// Open proposals that add a record of this kind.
    pub pending_additions: Vec<LocalUsulan>,
    /// Complete / needs attention / waiting, with the reasons.
    pub progress: CategoryProgress,
}

/// Everything the beranda shows, read from the local database only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Beranda {
    pub user: UserInfo,
    /// `None` before the first sync.
    pub profile: Option<Profile>,
    /// Open proposals of owner fields.
    pub pending_owner: Vec<LocalUsulan>,
    /// Open proposals of verified data-utama fields.
    #[serde(default)]
    pub pending_verified: Vec<LocalUsulan>,
    /// Categories complete out of all categories (the beranda's progress bar).
    #[serde(default)]
    pub complete_categories: u32,
    #[serde(default)]
    pub total_categories: u32,
    pub histories: Vec<HistoryList>,
    /// Every proposal, newest first (open and decided), for the proposals screen.
    pub usulan: Vec<LocalUsulan>,
    pub unread_notifications: u32,
    pub catalogs: Vec<Catalog>,
    /// Proposals waiting for this user's review step (0 for a user who is not a reviewer).
    #[serde(default)]
    pub review_waiting: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SyncPhase {
    Idle,
    Syncing,
    /// The server could not be reached; retrying with backoff.
    Offline,
    /// Logged out, or the session expired and needs a new login.
    NeedsLogin,
    /// The session may only enrol a second factor (the server's policy wants one): nothing syncs until the
    /// enrolment is confirmed.
    NeedsMfaEnrollment,
}

/// The sync status event stream the UI shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    pub phase: SyncPhase,
    /// Mutations waiting in the outbox.
    pub pending: u32,
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Code of the last failure, if the last attempt failed.
    pub last_error: Option<String>,
}

/// The app lock as the lock screen sees it: nothing personal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LockStatus {
    /// The core refuses personal data (`app.locked`) until the PIN (or, on a phone, biometrics) unlocks it.
    pub locked: bool,
    /// A PIN is set for the logged-in account on this device.
    pub pin_set: bool,
    /// Logged in and no PIN chosen yet in this session: the PIN setup screen comes first.
    pub setup_required: bool,
    /// Wrong PINs left before the session ends.
    pub attempts_left: u32,
}

/// The inbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Inbox {
    pub notifications: Vec<InboxItem>,
}

/// A notification with its words in both languages (the same words the system notification shows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InboxItem {
    #[serde(flatten)]
    pub notification: Notification,
    pub text: NotificationText,
}

impl From<Notification> for InboxItem {
    fn from(notification: Notification) -> Self {
        let text = NotificationText::of(&notification);
        Self { notification, text }
    }
}

/// A reviewer's decision taken on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PendingDecision {
    pub decision: Decision,
    pub reason: Option<String>,
    /// Still waiting in the outbox.
    pub queued: bool,
    /// Why the server refused it (another reviewer decided first, the ASN withdrew, the record changed, …).
    pub refusal: Option<Violation>,
    pub decided_at: DateTime<Utc>,
}

/// One proposal in the reviewer's work queue, as the device holds it (usable offline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LocalReviewItem {
    pub item: ReviewItem,
    pub decision: Option<PendingDecision>,
    /// What the model's rules say of the proposed content (empty when it passes).
    pub checks: Vec<Violation>,
    /// The proposal no longer waits for this reviewer (decided by someone else, withdrawn); kept only to show
    /// why this reviewer's own decision was refused.
    #[serde(default)]
    pub gone: bool,
}

/// Filters of the work queue; `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewFilter {
    pub kind: Option<HistoryKind>,
    pub unor_nama: Option<String>,
}

/// The reviewer's work queue: soonest deadline first (the most urgent on top).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewQueueView {
    pub items: Vec<LocalReviewItem>,
    /// The work units present in the queue, for the filter.
    pub units: Vec<String>,
}
