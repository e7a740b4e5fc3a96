//! The password policy for every password set from now on (activation and reset): at least
//! [`MIN_PASSWORD_LEN`] characters, not the NIP nor containing it, not one of the common passwords shipped in
//! `common_passwords.txt` (compared lower-cased). The demo accounts' `demo1234` is seeded directly and never
//! passes here.

use crate::Code;
use crate::Violation;

/// The fewest characters a new password has.
pub const MIN_PASSWORD_LEN: usize = 12;

/// The common passwords refused, one a line (`#` starts a comment).
const COMMON: &str = include_str!("common_passwords.txt");

/// Whether `password` (lower-cased) is in the shipped list of common passwords.
pub fn is_common(password: &str) -> bool {
    let lower = password.trim().to_lowercase();
    COMMON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).any(|l| l == lower)
}

/// The first rule `password` breaks as the password of `nip`, reported on `field`; `None` when it is acceptable.
pub fn check_password(password: &str, nip: &str, field: &str) -> Option<Violation> {
    let nip = nip.trim();
    if password.chars().count() < MIN_PASSWORD_LEN {
        Some(Code::PasswordTooShort.violation(field))
    } else if !nip.is_empty() && password.contains(nip) {
        Some(Code::PasswordContainsNip.violation(field))
    } else if is_common(password) {
        Some(Code::PasswordCommon.violation(field))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NIP: &str = "199001012015031001";

    fn code(password: &str) -> Option<String> {
        check_password(password, NIP, "new_password").map(|v| v.code)
    }

    #[test]
    fn each_rule_has_its_code() {
        assert_eq!(code("demo1234").as_deref(), Some("password.too_short"));
        assert_eq!(code("bismillah").as_deref(), Some("password.too_short"));
        assert_eq!(code("x199001012015031001").as_deref(), Some("password.contains_nip"));
        assert_eq!(code(NIP).as_deref(), Some("password.contains_nip"));
        assert_eq!(code("Password1234").as_deref(), Some("password.common"), "compared lower-cased");
        assert_eq!(code("BISMILLAH123").as_deref(), Some("password.common"));
        assert_eq!(code("qwertyuiop1234").as_deref(), Some("password.common"));
        assert_eq!(code("kuda-lari-di-sawah"), None);
        assert_eq!(code("dua belas hu"), None, "exactly twelve characters");
    }

    #[test]
    fn the_list_holds_the_indonesian_favourites() {
        for p in ["bismillah", "indonesia", "sayangku", "rahasia", "merdeka45", "password123", "qwerty", "1qaz2wsx"] {
            assert!(is_common(p), "{p}");
        }
        let entries = COMMON.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).count();
        assert!(entries >= 300, "{entries}");
    }
}
