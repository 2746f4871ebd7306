//! The demo codebook (`fixtures/codebooks/`): for each free-text question,
//! the themes policy staff code answers with, and the exact phrases that
//! identify each theme in the synthetic answers, so that demo data can be
//! coded without anyone reading it. Real answers are coded by people; the
//! phrases only work because the generator writes from known wordings.
use crate::domain::{Consultation, Privacy, QuestionKind};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The longest theme label, as staff's codebooks allow.
pub const MAX_LABEL: usize = 80;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoCodebook {
    pub consultation: String,
    /// Free-text question id to its themes, in the order they are listed.
    pub questions: BTreeMap<String, Vec<CodedTheme>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodedTheme {
    pub label: String,
    pub description: String,
    /// An answer carries the theme when it contains any of these, exactly
    /// (case and all).
    pub phrases: Vec<String>,
}

impl DemoCodebook {
    /// Parses a codebook and checks it against the definition; every
    /// problem is listed, each naming its field.
    pub fn from_json(text: &str, c: &Consultation) -> Result<DemoCodebook, Vec<String>> {
        let book: DemoCodebook = serde_json::from_str(text).map_err(|e| vec![e.to_string()])?;
        let mut errors = Vec::new();
        if book.consultation != c.slug.as_str() {
            errors.push(format!(
                "consultation: the codebook is for '{}', not '{}'",
                book.consultation, c.slug
            ));
        }
        for (id, themes) in &book.questions {
            check_question(c, id, themes, &mut errors);
        }
        if errors.is_empty() {
            Ok(book)
        } else {
            Err(errors)
        }
    }

    /// The themes of `question` whose phrases occur in `text` (indices into
    /// its list, in order); none for a question the codebook does not cover.
    pub fn themes_of(&self, question: &str, text: &str) -> Vec<usize> {
        self.questions
            .get(question)
            .map(|themes| {
                themes
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.phrases.iter().any(|p| text.contains(p.as_str())))
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn check_question(c: &Consultation, id: &str, themes: &[CodedTheme], errors: &mut Vec<String>) {
    let Some(q) = c.question(id) else {
        errors.push(format!("questions.{id}: no such question"));
        return;
    };
    if !matches!(q.kind, QuestionKind::FreeText { .. }) {
        errors.push(format!("questions.{id}: not a free-text question"));
        return;
    }
    if q.privacy == Privacy::Identifier {
        errors.push(format!(
            "questions.{id}: a personal detail, not an answer to code"
        ));
    }
    if themes.is_empty() {
        errors.push(format!("questions.{id}: needs at least one theme"));
    }
    let mut labels = BTreeSet::new();
    // A phrase that two themes share would code every such answer twice.
    let mut owner: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, t) in themes.iter().enumerate() {
        let tp = format!("questions.{id}[{k}]");
        if t.label.trim().is_empty() || t.label.chars().count() > MAX_LABEL {
            errors.push(format!("{tp}.label: 1 to {MAX_LABEL} characters"));
        } else if !labels.insert(t.label.as_str()) {
            errors.push(format!(
                "{tp}.label: '{}' is used twice in this question",
                t.label
            ));
        }
        if t.description.trim().is_empty() {
            errors.push(format!("{tp}.description: must not be empty"));
        }
        if t.phrases.is_empty() {
            errors.push(format!("{tp}.phrases: needs at least one phrase"));
        }
        for (i, p) in t.phrases.iter().enumerate() {
            if p.trim().is_empty() {
                // An empty phrase would match every answer.
                errors.push(format!("{tp}.phrases[{i}]: must not be empty"));
            } else if let Some(other) = owner.insert(p.as_str(), k)
                && other != k
            {
                errors.push(format!(
                    "{tp}.phrases[{i}]: '{p}' already identifies '{}'",
                    themes[other].label
                ));
            }
        }
    }
}
