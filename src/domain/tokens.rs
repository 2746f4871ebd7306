//! Secrets handed to members: the private link token and the receipt reference.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use sha2::{Digest, Sha256};

/// The secret in a member's private link. Only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn generate() -> Self {
        let bytes: [u8; 32] = rand::rng().random();
        Self(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Accepts only the shape `generate` makes, so junk never reaches a query.
    pub fn parse(s: &str) -> Option<Self> {
        let ok = s.len() == 43
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

/// Crockford's base 32: no I, L, O or U, so a reference read aloud is unambiguous.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A receipt reference such as `K7QM-2XHD-9TPA` (60 random bits).
pub fn new_receipt() -> String {
    let mut rng = rand::rng();
    let chars: Vec<char> = (0..12)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!(
        "{}-{}-{}",
        chars[0..4].iter().collect::<String>(),
        chars[4..8].iter().collect::<String>(),
        chars[8..12].iter().collect::<String>()
    )
}

/// Whether `typed` is the reference number `stored`, however a member
/// wrote it: in either case, with or without the dashes, with spaces, and
/// with the letters O, I and L, which the alphabet leaves out, read as the
/// digits they look like.
pub fn same_receipt(stored: &str, typed: &str) -> bool {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect()
    };
    let stored = plain(stored);
    !stored.is_empty() && stored == plain(typed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_number_matches_however_it_is_typed() {
        for typed in [
            "K7QM-2XHD-9TPA",
            "k7qm-2xhd-9tpa",
            "K7QM2XHD9TPA",
            " k7qm 2xhd 9tpa ",
            "K7QM–2XHD–9TPA",
        ] {
            assert!(same_receipt("K7QM-2XHD-9TPA", typed), "{typed}");
        }
        for typed in ["", "K7QM-2XHD-9TP", "K7QM-2XHD-9TPB", "K7QM-2XHD-9TPAA"] {
            assert!(!same_receipt("K7QM-2XHD-9TPA", typed), "{typed}");
        }
        assert!(!same_receipt("", ""));
        assert!(same_receipt("10AB-0000-1111", "iOab-oooo-lIl1"));
    }

    #[test]
    fn tokens_round_trip_and_hash_stably() {
        let t = AccessToken::generate();
        let parsed = AccessToken::parse(t.as_str()).expect("generated token parses");
        assert_eq!(parsed.hash(), t.hash());
        assert_eq!(t.hash().len(), 64);
        assert!(AccessToken::parse("short").is_none());
        assert!(
            AccessToken::parse(&"a".repeat(42).chars().chain(['/']).collect::<String>()).is_none()
        );
    }

    #[test]
    fn receipts_have_the_documented_shape() {
        let r = new_receipt();
        assert_eq!(r.len(), 14);
        let parts: Vec<&str> = r.split('-').collect();
        assert_eq!(parts.len(), 3);
        assert!(
            parts
                .iter()
                .all(|p| p.len() == 4 && p.bytes().all(|b| ALPHABET.contains(&b)))
        );
    }
}
