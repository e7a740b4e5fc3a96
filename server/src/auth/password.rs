//! Passwords: argon2id hashes in PHC form.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::ServerError;

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
}
