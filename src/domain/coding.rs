//! Codebooks for free-text questions: themes that staff (or, later, a
//! machine) assign to members' answers so that the answers can be counted.
use super::{FieldError, QuestionId};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

pub const LABEL_MAX: usize = 80;
pub const DESCRIPTION_MAX: usize = 2000;

/// A theme's number within its question, from 1 (to the largest the
/// database's INTEGER holds); never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ThemeId(u32);

impl ThemeId {
    pub fn new(n: i64) -> Option<ThemeId> {
        (1..=i64::from(i32::MAX))
            .contains(&n)
            .then_some(ThemeId(n as u32))
    }
    pub fn parse(s: &str) -> Result<ThemeId, String> {
        s.parse::<i64>()
            .ok()
            .and_then(ThemeId::new)
            .ok_or_else(|| format!("'{s}' is not a theme id (a whole number from 1)"))
    }
    pub fn get(self) -> u32 {
        self.0
    }
    pub fn as_i32(self) -> i32 {
        // `new` keeps ids within i32.
        self.0 as i32
    }
}

impl fmt::Display for ThemeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

fn has_control(s: &str, allow_newlines: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
}

/// 1–80 characters, kept exactly as typed: a label with spaces around it
/// is refused rather than trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ThemeLabel(String);

impl ThemeLabel {
    pub fn parse(s: &str) -> Result<ThemeLabel, FieldError> {
        let err = |m: &str| Err(FieldError::new("label", m));
        let chars = s.chars().count();
        if s.trim().is_empty() {
            return err("give the theme a label");
        }
        if chars > LABEL_MAX {
            return Err(FieldError::new(
                "label",
                format!("a label has at most {LABEL_MAX} characters; this one has {chars}"),
            ));
        }
        if s.trim() != s {
            return err("a label cannot begin or end with a space");
        }
        if has_control(s, false) {
            return err("a label is one line of text, without control characters");
        }
        Ok(ThemeLabel(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Labels are unique in their question whatever their case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// What the theme covers, for coders and for the codebook researchers get.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ThemeDescription(String);

impl ThemeDescription {
    pub fn parse(s: &str) -> Result<ThemeDescription, FieldError> {
        let chars = s.chars().count();
        if chars > DESCRIPTION_MAX {
            return Err(FieldError::new(
                "description",
                format!(
                    "a description has at most {DESCRIPTION_MAX} characters; this one has {chars}"
                ),
            ));
        }
        if has_control(s, true) {
            return Err(FieldError::new(
                "description",
                "a description cannot hold control characters",
            ));
        }
        Ok(ThemeDescription(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Theme {
    pub id: ThemeId,
    pub label: ThemeLabel,
    pub description: ThemeDescription,
}

/// Every free-text question's live themes, in id order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codebook {
    pub themes: BTreeMap<QuestionId, Vec<Theme>>,
}

impl Codebook {
    pub fn of(&self, question: &str) -> &[Theme] {
        self.themes.get(question).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Who or what put a theme on an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AssignedBy {
    Person,
    Machine,
}

impl AssignedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            AssignedBy::Person => "person",
            AssignedBy::Machine => "machine",
        }
    }
    pub fn parse(s: &str) -> Option<AssignedBy> {
        match s {
            "person" => Some(AssignedBy::Person),
            "machine" => Some(AssignedBy::Machine),
            _ => None,
        }
    }
}

/// One theme on one answer.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Assignment {
    #[schema(value_type = u32)]
    pub id: ThemeId,
    pub assigned_by: AssignedBy,
    /// A machine's confidence, 0–1; null for a person.
    pub confidence: Option<f64>,
}

/// Whether a free-text answer counts as one: blank answers do not.
pub fn is_answer(text: &str) -> bool {
    !text.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn labels_are_checked_and_kept_as_typed() {
        assert!(ThemeLabel::parse("").is_err());
        assert!(ThemeLabel::parse("   ").is_err());
        assert!(ThemeLabel::parse(" Finance").is_err());
        assert!(ThemeLabel::parse("a\tb").is_err());
        assert!(ThemeLabel::parse(&"x".repeat(81)).is_err());
        assert_eq!(
            ThemeLabel::parse(&"é".repeat(80)).map(|l| l.as_str().chars().count()),
            Ok(80)
        );
        let l = ThemeLabel::parse("Allocation of Finance").expect("valid");
        assert_eq!(l.key(), "allocation of finance");
        let e = ThemeLabel::parse("").expect_err("empty");
        assert_eq!(e.field, "label");
    }

    #[test]
    fn theme_ids_are_whole_numbers_from_one() {
        assert_eq!(ThemeId::parse("3").map(ThemeId::get), Ok(3));
        assert_eq!(
            ThemeId::parse("2147483647").map(ThemeId::get),
            Ok(2147483647)
        );
        for bad in ["0", "-1", "1.5", "x", "", "2147483648", "99999999999"] {
            assert!(ThemeId::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn a_parsed_label_is_the_text_given(s in "\\PC{0,100}") {
            if let Ok(l) = ThemeLabel::parse(&s) {
                prop_assert_eq!(l.as_str(), s.as_str());
                prop_assert!(s.chars().count() <= LABEL_MAX);
                prop_assert!(is_answer(&s));
            }
        }
    }
}
