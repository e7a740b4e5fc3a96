//! `data_dir/device.json`: which account was used last and the server chosen on this device. Holds no secret.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct DeviceFile {
    /// Identifies this installation (diagnostics); pushes use each account database's own replica id.
    pub device_id: String,
    pub last_nip: Option<String>,
    /// The agency's server chosen on the login screen; absent: the app's configured server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_url: Option<String>,
}

impl DeviceFile {
    fn path(data_dir: &Path) -> PathBuf {
        data_dir.join("device.json")
    }

    pub(crate) fn load_or_create(data_dir: &Path) -> Result<Self, CoreError> {
        match std::fs::read(Self::path(data_dir)) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes)?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let fresh =
                    DeviceFile { device_id: uuid::Uuid::new_v4().to_string(), last_nip: None, server_url: None };
                fresh.save(data_dir)?;
                Ok(fresh)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Write atomically (a temporary file, synced, then renamed over the old one), owner-only: it names the
    /// last account.
    pub(crate) fn save(&self, data_dir: &Path) -> Result<(), CoreError> {
        crate::private_fs::write_atomic(&Self::path(data_dir), &serde_json::to_vec_pretty(self)?)
    }
}
