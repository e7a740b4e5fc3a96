//! Sync status and the event stream the shell forwards to the UI.

use std::sync::Mutex;

use mysapk_model::notification::Notification;
use mysapk_model::view::{SyncPhase, SyncStatus};
use tokio::sync::broadcast;

#[derive(Clone, Debug)]
pub enum CoreEvent {
    /// Sent whenever the status changes (phase, pending count, last sync, last error).
    Status(SyncStatus),
    /// Notifications a pull brought that the device had not seen before.
    NewNotifications(Vec<Notification>),
}

pub(crate) struct Events {
    tx: broadcast::Sender<CoreEvent>,
    status: Mutex<SyncStatus>,
}

impl Events {
    pub(crate) fn new(initial: SyncStatus) -> Self {
        let (tx, _) = broadcast::channel(64);
        Self { tx, status: Mutex::new(initial) }
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<CoreEvent> {
        self.tx.subscribe()
    }

    pub(crate) fn status(&self) -> SyncStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Change the status; emit it if anything changed.
    pub(crate) fn update(&self, f: impl FnOnce(&mut SyncStatus)) {
        let changed = {
            let mut s = self.status.lock().unwrap_or_else(|p| p.into_inner());
            let before = s.clone();
            f(&mut s);
            (*s != before).then(|| s.clone())
        };
        if let Some(s) = changed {
            // No receiver is fine: nobody is listening yet.
            let _ = self.tx.send(CoreEvent::Status(s));
        }
    }

    pub(crate) fn set_phase(&self, phase: SyncPhase) {
        self.update(|s| s.phase = phase);
    }

    pub(crate) fn notify(&self, fresh: Vec<Notification>) {
        if !fresh.is_empty() {
            let _ = self.tx.send(CoreEvent::NewNotifications(fresh));
        }
    }
}
