//! Whom the device talks to and whom it trusts: the server URL rule (https, or plain http to this device only),
//! an agency's extra root certificates, and telling an untrusted certificate apart from a network failure.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use reqwest::Url;

use crate::error::CoreError;
use crate::store::outbox;
use crate::{secrets, Core};

impl Core {
    /// The server this device talks to (without a trailing `/`); `None` until one is chosen (a build without a
    /// default server).
    pub fn server_url(&self) -> Option<String> {
        Some(self.http.base()).filter(|b| !b.is_empty())
    }

    /// Talk to the agency's server `url` from now on, kept in `device.json` across restarts; `None` goes back to
    /// the app's configured server. The URL follows the same rule as the configured one. Refused during a
    /// session (its tokens would go to the new server) and while the last account still has unsent changes: they
    /// belong to the server they were made for. Returns the server now in use.
    pub fn set_server_url(&self, url: Option<&str>) -> Result<Option<String>, CoreError> {
        let chosen = url.map(check_server_url).transpose()?;
        let target = chosen.clone().or_else(|| self.default_server_url.clone());
        if target == self.server_url() {
            self.keep_server_choice(chosen)?;
            return Ok(target);
        }
        if let Some(account) = self.current() {
            if matches!(secrets::load(&account.user.nip), Ok(Some(_))) {
                return Err(CoreError::ServerChangeSession);
            }
            let pending = account.store.read(outbox::count)?;
            if pending > 0 {
                return Err(CoreError::ServerChangePending(pending));
            }
        }
        self.keep_server_choice(chosen)?;
        self.http.set_base(target.as_deref())?;
        tracing::info!(server = target.as_deref().unwrap_or("none"), "server changed");
        Ok(target)
    }

    fn keep_server_choice(&self, chosen: Option<String>) -> Result<(), CoreError> {
        let mut device = self.device.lock().unwrap_or_else(|p| p.into_inner());
        if device.server_url != chosen {
            device.server_url = chosen;
            device.save(&self.data_dir)?;
        }
        Ok(())
    }
}

/// The server's base URL (without a trailing `/`) when it may be used: `https://` to any host, `http://` only to
/// a loopback host (`127.0.0.0/8`, `::1`, `localhost`): the demo, the tests and `./dev start`. Anything else is
/// refused, never downgraded.
pub(crate) fn check_server_url(url: &str) -> Result<String, CoreError> {
    let trimmed = url.trim().trim_end_matches('/');
    let invalid = || CoreError::InvalidUrl(trimmed.to_owned());
    let parsed = Url::parse(trimmed).map_err(|_| invalid())?;
    // The base is joined with API paths: credentials, a query or a fragment in it would travel or break them.
    if parsed.cannot_be_a_base()
        || !parsed.username().is_empty()
        || parsed.password().is_some()
        || parsed.query().is_some()
        || parsed.fragment().is_some()
    {
        return Err(invalid());
    }
    let host = parsed.host_str().filter(|h| !h.is_empty()).ok_or_else(invalid)?;
    match parsed.scheme() {
        "https" => Ok(trimmed.to_owned()),
        "http" if is_loopback(host) => Ok(trimmed.to_owned()),
        "http" => Err(CoreError::InsecureUrl(trimmed.to_owned())),
        _ => Err(invalid()),
    }
}

/// `host` as the parsed URL spells it: IPv6 in brackets, IPv4 normalised (`127.1` is `127.0.0.1`).
fn is_loopback(host: &str) -> bool {
    let ip = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    match ip.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Follow a redirect only where the URL rule allows (at most 10): an `https` server must not send the device's
/// requests on to plain `http`.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let url = attempt.url();
        let allowed = match url.scheme() {
            "https" => true,
            "http" => url.host_str().is_some_and(is_loopback),
            _ => false,
        };
        let origin = url.origin().ascii_serialization();
        if !allowed {
            attempt.error(CoreError::InsecureUrl(origin))
        } else if attempt.previous().len() >= 10 {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// Every certificate of the PEM files, added to the platform's roots (an agency's private CA). A file that cannot
/// be read or holds no certificate is an error naming it: a silently missing root would only show later as an
/// untrusted server.
pub(crate) fn extra_roots(paths: &[PathBuf]) -> Result<Vec<reqwest::Certificate>, CoreError> {
    let mut roots = Vec::new();
    for path in paths {
        let bad = |reason: String| CoreError::ExtraRoots { path: path.clone(), reason };
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(e.to_string()))?;
        if certs.is_empty() {
            return Err(bad("no PEM certificate in the file".into()));
        }
        roots.extend(certs);
    }
    Ok(roots)
}

/// Paths from a list in the style of `PATH` (`:` apart; `;` on Windows), empty entries skipped.
pub fn split_paths(list: &std::ffi::OsStr) -> Vec<PathBuf> {
    std::env::split_paths(list).filter(|p| p != Path::new("")).collect()
}

/// Whether a failed request was refused because the server's certificate is not trusted (or not valid for its
/// name), as opposed to the network being down.
pub(crate) fn is_certificate_error(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(e);
    while let Some(err) = next {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return matches!(tls, rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented);
        }
        // tokio-rustls and hyper hand the TLS error over inside `io::Error`s, whose `source` skips what they wrap.
        next = match err.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_to_any_host_and_http_to_loopback_only() {
        for ok in [
            "https://mysapk.bkn.go.id",
            "https://mysapk.bkn.go.id/",
            "https://10.1.2.3:8443/mysapk",
            "  https://[2001:db8::1]  ",
            "http://127.0.0.1:8080",
            "http://127.9.9.9",
            "http://localhost:8080/",
            "http://LOCALHOST",
            "http://[::1]:8080",
        ] {
            let base = check_server_url(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert!(!base.ends_with('/') && base == base.trim(), "{ok} → {base}");
        }
        for insecure in [
            "http://mysapk.bkn.go.id",
            "http://10.0.0.5:8080",
            "http://192.168.1.10",
            "http://[2001:db8::1]",
            "http://0.0.0.0:8080",
            "http://localhost.evil.example",
            "http://128.0.0.1",
        ] {
            let e = check_server_url(insecure).expect_err(insecure);
            assert_eq!(e.code(), "transport.insecure_url", "{insecure}");
            assert!(!e.is_transient() && !e.needs_login());
        }
        for invalid in [
            "",
            "mysapk.bkn.go.id",
            "ftp://mysapk.bkn.go.id",
            "https://",
            "https://user:pw@mysapk.bkn.go.id",
            "https://mysapk.bkn.go.id/?x=1",
            "https://mysapk.bkn.go.id/#top",
            "file:///etc/passwd",
            "javascript:alert(1)",
        ] {
            assert_eq!(check_server_url(invalid).expect_err(invalid).code(), "transport.invalid_url", "{invalid}");
        }
    }

    #[test]
    fn a_bad_root_file_names_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("missing.pem");
        let e = extra_roots(std::slice::from_ref(&missing)).expect_err("missing");
        assert_eq!(e.code(), "transport.extra_roots");
        assert!(e.to_string().contains("missing.pem"), "{e}");
        let garbage = dir.path().join("garbage.pem");
        std::fs::write(&garbage, "not a certificate").expect("write");
        let e = extra_roots(&[garbage]).expect_err("garbage");
        assert!(e.to_string().contains("garbage.pem"), "{e}");
        assert!(extra_roots(&[]).expect("none").is_empty());
    }

    #[test]
    fn a_path_list_splits_and_skips_empty_entries() {
        let list = std::env::join_paths(["/a/ca.pem", "", "/b/ca.pem"]).expect("join");
        assert_eq!(split_paths(&list), vec![PathBuf::from("/a/ca.pem"), PathBuf::from("/b/ca.pem")]);
    }
}
