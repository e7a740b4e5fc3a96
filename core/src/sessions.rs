//! "My devices": the account's sessions on the server (one per login), and ending one of them. Online only.

use mysapk_model::auth::SessionInfo;

use crate::error::CoreError;
use crate::Core;

impl Core {
    /// The account's live sessions (`current`: this device's).
    pub async fn sessions(&self) -> Result<Vec<SessionInfo>, CoreError> {
        self.online(|access| async move { self.http.get_json(&access, "/api/v1/auth/sessions", &[]).await }).await
    }

    /// End one session ("log out on that device"): its tokens stop working at once. Ending this device's own
    /// session is a logout: use [`Core::logout`] for that, which also forgets the tokens here.
    pub async fn end_session(&self, id: &str) -> Result<(), CoreError> {
        let path = format!("/api/v1/auth/sessions/{}", urlencoding_path(id));
        self.online(|access| {
            let path = &path;
            async move { self.http.delete_ok(&access, path).await }
        })
        .await
    }
}

/// How this device names itself in "my devices": its host name and operating system (`budi-laptop (linux)`), or
/// the app and the operating system when the host name is unknown (Android has none to read).
pub(crate) fn device_name() -> String {
    let host = ["HOSTNAME", "COMPUTERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok())
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty());
    match host {
        Some(h) => format!("{h} ({})", std::env::consts::OS),
        None => format!("MySAPK ({})", std::env::consts::OS),
    }
}

/// A session id as one path segment (ids are hex; anything else is escaped rather than trusted).
fn urlencoding_path(id: &str) -> String {
    id.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn session_ids_stay_one_path_segment() {
        assert_eq!(super::urlencoding_path("ab12-cd"), "ab12-cd");
        assert_eq!(super::urlencoding_path("../x y"), "%2E%2E%2Fx%20y");
    }

    #[test]
    fn the_device_names_its_operating_system() {
        assert!(super::device_name().ends_with(&format!("({})", std::env::consts::OS)));
    }
}
