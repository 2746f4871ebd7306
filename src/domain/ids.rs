//! Identifiers parsed once at the edge: a string that got past `parse` is valid.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

fn is_code(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

macro_rules! code_type {
    ($name:ident, $what:literal, $max:expr) => {
        // Shared, not copied: answer sets hold an id and a code per answer,
        // and a million of them are made when data is generated.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
        #[serde(try_from = "String")]
        pub struct $name(Arc<str>);

        // By hand: `into = "String"` would copy the string each time.
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl $name {
            /// Lower-case ASCII letters, digits and `_`, starting with a letter.
            pub fn parse(s: &str) -> Result<Self, String> {
                if is_code(s, $max) {
                    Ok(Self(Arc::from(s)))
                } else {
                    Err(format!(
                        concat!(
                            "'{}' is not a valid ",
                            $what,
                            ": use lower-case letters, digits and _, starting with a letter, at most {} characters"
                        ),
                        s, $max
                    ))
                }
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0.to_string()
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        // Ordered as their text is, so maps keyed by them can be searched
        // by text.
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

code_type!(QuestionId, "question id", 64);
code_type!(OptionCode, "option code", 64);
code_type!(SectionId, "section id", 64);

/// A consultation's URL name: lower-case words joined by hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 100
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "'{s}' is not a valid slug: use lower-case words and digits joined by single hyphens"
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for Slug {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}
impl From<Slug> for String {
    fn from(v: Slug) -> String {
        v.0
    }
}
impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_rejects_codes() {
        assert!(QuestionId::parse("q5a").is_ok());
        assert!(QuestionId::parse("q8_why").is_ok());
        assert!(QuestionId::parse("").is_err());
        assert!(QuestionId::parse("Q1").is_err());
        assert!(QuestionId::parse("1q").is_err());
        assert!(OptionCode::parse("dont know").is_err());
        assert!(Slug::parse("next-steps-for-system-working").is_ok());
        assert!(Slug::parse("next--steps").is_err());
        assert!(Slug::parse("-x").is_err());
    }

    proptest! {
        #[test]
        fn parsed_codes_round_trip(s in "[a-z][a-z0-9_]{0,63}") {
            let q = QuestionId::parse(&s).expect("valid by construction");
            prop_assert_eq!(q.as_str(), s.as_str());
        }

        #[test]
        fn codes_never_contain_other_characters(s in "\\PC{0,80}") {
            if let Ok(q) = OptionCode::parse(&s) {
                prop_assert!(q.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'));
                prop_assert!(q.as_str().len() <= 64);
            }
        }

        #[test]
        fn slugs_never_contain_other_characters(s in "\\PC{0,120}") {
            if let Ok(slug) = Slug::parse(&s) {
                prop_assert!(slug.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
                prop_assert!(!slug.as_str().contains("--"));
            }
        }
    }
}
