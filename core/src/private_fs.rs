//! Files and directories only the app's own user may read: the account databases, their key files and the
//! document cache hold personal data. On Unix (Linux, Android, macOS, iOS) directories get mode 0700 and files
//! 0600; elsewhere the platform's per-user app data directory already keeps other users out.

use std::path::Path;

use crate::error::CoreError;

/// Create `dir` (and its parents) readable by the owner only.
pub(crate) fn create_dir(dir: &Path) -> Result<(), CoreError> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, 0o700)
}

/// Make an existing file readable and writable by the owner only.
pub(crate) fn restrict_file(path: &Path) -> Result<(), CoreError> {
    restrict(path, 0o600)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> Result<(), CoreError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
    Ok(())
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> Result<(), CoreError> {
    Ok(())
}

/// Make a rename or creation in the directory of `path` durable (a no-op where directories cannot be synced).
pub(crate) fn sync_dir(path: &Path) -> Result<(), CoreError> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Write `bytes` to `path` atomically (a temporary file renamed over it), owner-only, synced.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    use std::io::Write;
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    // Unique, so two writers of the same file never share a half-written temporary.
    name.push(format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let tmp = path.with_file_name(name);
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        restrict_file(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok::<(), CoreError>(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written?;
    sync_dir(path)
}
