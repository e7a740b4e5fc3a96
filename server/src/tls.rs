//! HTTPS served by the server itself: a certificate chain and its private key from PEM files
//! (`MYSAPK_TLS_CERT`, `MYSAPK_TLS_KEY`), turned into a rustls acceptor for the accept loop
//! (`http::serve`). Without them the server speaks plain HTTP: on loopback, for the embedded demo, or behind a
//! reverse proxy that terminates TLS.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

/// The value of `Strict-Transport-Security` on every HTTPS answer: one year, so a browser that once reached
/// the server over HTTPS never falls back to plain HTTP for it.
pub const HSTS: &str = "max-age=31536000";

/// The two PEM files of `MYSAPK_TLS_CERT` and `MYSAPK_TLS_KEY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, leaf first.
    pub cert: PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// Why the TLS configuration cannot be used: the server refuses to start rather than fall back to plain HTTP.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("MYSAPK_TLS_CERT is set but MYSAPK_TLS_KEY is not: set both for HTTPS, or neither for plain HTTP")]
    KeyMissing,
    #[error("MYSAPK_TLS_KEY is set but MYSAPK_TLS_CERT is not: set both for HTTPS, or neither for plain HTTP")]
    CertMissing,
    #[error("MYSAPK_TLS_CERT {path}: {source}")]
    Cert { path: PathBuf, source: rustls_pki_types::pem::Error },
    #[error("MYSAPK_TLS_CERT {path}: no certificate in the file")]
    NoCert { path: PathBuf },
    #[error("MYSAPK_TLS_KEY {path}: {source}")]
    Key { path: PathBuf, source: rustls_pki_types::pem::Error },
    #[error("MYSAPK_TLS_CERT and MYSAPK_TLS_KEY: {0}")]
    Rustls(#[from] rustls::Error),
}

impl TlsFiles {
    /// Both paths or neither: one alone is a mistake worth refusing to start for.
    pub fn from_pair(cert: Option<PathBuf>, key: Option<PathBuf>) -> Result<Option<Self>, TlsError> {
        match (cert, key) {
            (Some(cert), Some(key)) => Ok(Some(Self { cert, key })),
            (None, None) => Ok(None),
            (Some(_), None) => Err(TlsError::KeyMissing),
            (None, Some(_)) => Err(TlsError::CertMissing),
        }
    }

    /// Read both files and build the acceptor (TLS 1.2 and 1.3; HTTP/1.1 by ALPN).
    pub fn acceptor(&self) -> Result<TlsAcceptor, TlsError> {
        let certs = read_certs(&self.cert)?;
        let key = PrivateKeyDer::from_pem_file(&self.key)
            .map_err(|source| TlsError::Key { path: self.key.clone(), source })?;
        // The provider is named rather than taken from the process default, which is ambiguous (a panic) as soon
        // as anything in the build turns on a second one.
        let mut config =
            rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()?
                .with_no_client_auth()
                .with_single_cert(certs, key)?;
        // HTTP/1.1 only: the header-read timeout of the accept loop covers HTTP/1, and no client of ours needs h2.
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|iter| iter.collect::<Result<Vec<_>, _>>())
        .map_err(|source| TlsError::Cert { path: path.to_owned(), source })?;
    if certs.is_empty() {
        return Err(TlsError::NoCert { path: path.to_owned() });
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_or_neither() {
        let p = |s: &str| Some(PathBuf::from(s));
        assert_eq!(TlsFiles::from_pair(None, None).expect("neither"), None);
        assert!(TlsFiles::from_pair(p("c"), p("k")).expect("both").is_some());
        assert!(matches!(TlsFiles::from_pair(p("c"), None), Err(TlsError::KeyMissing)));
        assert!(matches!(TlsFiles::from_pair(None, p("k")), Err(TlsError::CertMissing)));
    }

    #[test]
    fn unreadable_files_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "").expect("write");
        let files = TlsFiles { cert: dir.path().join("missing.pem"), key: empty.clone() };
        let e = files.acceptor().err().expect("missing cert");
        assert!(e.to_string().contains("missing.pem"), "{e}");
        let files = TlsFiles { cert: empty.clone(), key: empty };
        assert!(matches!(files.acceptor(), Err(TlsError::NoCert { .. })));
    }
}
