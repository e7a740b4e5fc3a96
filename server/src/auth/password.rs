//! Passwords: argon2id hashes in PHC form. In request paths every hash runs on a blocking thread behind one
//! semaphore of about as many permits as cores ([`Argon2Gate`]): a flood of logins queues there instead of taking
//! every blocking thread and 19 MiB of memory per hash, and the async workers (sync, pushes) keep running.

use std::sync::{Arc, OnceLock};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::error::ServerError;

/// The argon2 gate of one server: at most this many hashes at once, each on a blocking thread.
#[derive(Debug, Clone)]
pub struct Argon2Gate(Arc<Semaphore>);

impl Argon2Gate {
    /// A gate of `permits` hashes at once (0: none ever runs; a test uses that to show a path never hashes).
    pub fn new(permits: usize) -> Self {
        Self(Arc::new(Semaphore::new(permits)))
    }

    /// One permit per core.
    pub fn per_core() -> Self {
        Self::new(default_permits())
    }

    /// Run `work` on a blocking thread while holding a permit.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServerError> {
        let permit = Arc::clone(&self.0)
            .acquire_owned()
            .await
            .map_err(|e| ServerError::internal(format!("argon2 gate: {e}")))?;
        tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await
        .map_err(|e| ServerError::internal(format!("password task: {e}")))
    }

    /// Hash a password in a request path.
    pub async fn hash(&self, password: String) -> Result<String, ServerError> {
        self.run(move || hash_password(&password)).await?
    }

    /// Check a password in a request path. Without a stored hash (no such account, or not activated) it is
    /// checked against a dummy hash all the same and fails, so the answer takes as long as a wrong password of a
    /// real account.
    pub async fn verify(&self, password: String, phc: Option<String>) -> Result<bool, ServerError> {
        self.run(move || match phc {
            Some(phc) => verify_password(&password, &phc),
            None => {
                verify_password(&password, dummy_hash());
                false
            }
        })
        .await
    }
}

impl Default for Argon2Gate {
    fn default() -> Self {
        Self::per_core()
    }
}

/// The number of cores (2 when unknown).
pub fn default_permits() -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
}

/// A hash of a random password with the same parameters as real ones, made once per process.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let random = format!("{:032x}", rand::random::<u128>());
        // Hashing a fixed-size ASCII string with a fresh salt cannot fail; an empty string verifies nothing.
        hash_password(&random).unwrap_or_default()
    })
}

/// Hash a password with argon2id (CPU-heavy: call from a blocking thread in request paths).
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::internal(format!("password hashing failed: {e}")))
}

/// Whether `password` matches the stored PHC hash.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("demo1234").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo1234", &h));
        assert!(!verify_password("demo12345", &h));
        assert!(!verify_password("demo1234", "not a hash"));
    }

    #[tokio::test]
    async fn without_a_hash_the_dummy_is_checked_and_fails() {
        let gate = Argon2Gate::new(1);
        assert!(!gate.verify("demo1234".into(), None).await.expect("ran"));
        assert!(dummy_hash().starts_with("$argon2id$"));
        let h = gate.hash("kuda-lari-di-sawah".into()).await.expect("hash");
        assert!(gate.verify("kuda-lari-di-sawah".into(), Some(h)).await.expect("ran"));
    }
}
