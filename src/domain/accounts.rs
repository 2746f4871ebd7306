//! Who signs in (staff, researchers, administrators) and what each may do.
//! Members never need an account.
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Staff,
    Researcher,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "staff" => Some(Role::Staff),
            "researcher" => Some(Role::Researcher),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Researcher => "researcher",
        }
    }
}

/// An email address as accounts use it: trimmed, lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Email, String> {
        let s = s.trim().to_lowercase();
        let valid = s.len() <= 254
            && !s.chars().any(char::is_whitespace)
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if valid {
            Ok(Email(s))
        } else {
            Err(format!("'{s}' is not an email address"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A one-time password: 18 random bytes, base64url (24 characters).
pub fn new_password() -> String {
    let bytes: [u8; 18] = rand::rng().random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Argon2id with a random salt, in the PHC string format.
pub fn hash_password(password: &str) -> Result<String, String> {
    let bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&bytes).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Checks `password` against a hash no one has the password of: a sign-in
/// for an address with no account takes as long as one with an account,
/// so its timing does not tell which addresses have one.
pub fn verify_without_account(password: &str) {
    static NOBODY: LazyLock<Option<String>> = LazyLock::new(|| hash_password(&new_password()).ok());
    if let Some(hash) = NOBODY.as_deref() {
        std::hint::black_box(verify_password(password, hash));
    }
}

/// Seconds an account waits after `failures` wrong passwords in a row:
/// none for the first two, then 2^(n−3), at most five minutes.
pub fn lockout_seconds(failures: i32) -> Option<i64> {
    (failures >= 3).then(|| (1i64 << (failures - 3).min(9)).min(300))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_emails_parse_at_the_edge() {
        assert_eq!(Role::parse("staff"), Some(Role::Staff));
        assert_eq!(Role::parse("Staff"), None);
        assert_eq!(Role::Researcher.as_str(), "researcher");
        assert_eq!(
            Email::parse(" Ann@Example.ORG ").map(|e| e.0),
            Ok("ann@example.org".into())
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a nn@example.org",
            "ann@.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn waits_grow_after_the_third_failure_to_five_minutes() {
        let waits: Vec<_> = [1, 2, 3, 4, 5, 11, 12, 40].map(lockout_seconds).to_vec();
        assert_eq!(
            waits,
            [
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(256),
                Some(300),
                Some(300)
            ]
        );
    }

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let p = new_password();
        assert_eq!(p.len(), 24);
        let h = hash_password(&p).unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&p, &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password(&p, "not a hash"));
        assert_ne!(hash_password(&p).unwrap_or_default(), h, "salted");
    }
}
