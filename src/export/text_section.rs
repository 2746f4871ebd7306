//! A codable free-text question as the report and the staff dashboard show
//! it: how many answered and how many of those are coded, its themes by
//! group (counted as a multiple choice's options, over coded answers), and
//! each theme's quotes.
use super::quotes::{Quote, Quotes};
use super::table::{Table, table};
use crate::analysis::{AnalysisError, Breakdown, Snapshot, Spec};
use crate::domain::{Consultation, Question};

pub struct ThemeQuotes {
    pub label: String,
    pub description: String,
    pub quotes: Vec<Quote>,
}

pub struct TextSection {
    pub id: String,
    pub text: String,
    /// Respondents who gave an answer.
    pub answered: u64,
    /// Answers staff have coded ("no theme applies" included).
    pub coded: u64,
    /// Answers not coded yet.
    pub uncoded: u64,
    /// The themes by group; None while the question has no themes.
    pub table: Option<Table>,
    /// Per theme, in the codebook's order.
    pub themes: Vec<ThemeQuotes>,
}

impl TextSection {
    /// What a question without themes says instead of an empty table.
    pub fn no_themes(&self) -> String {
        let n = self.uncoded;
        format!(
            "No themes yet: {n} {} to read.",
            if n == 1 { "answer" } else { "answers" }
        )
    }

    /// "12 answered; 9 coded, 3 not coded yet."
    pub fn summary(&self) -> String {
        format!(
            "{} answered; {} coded, {} not coded yet.",
            self.answered, self.coded, self.uncoded
        )
    }
}

/// The codable free-text questions, in the definition's order.
pub fn text_questions(c: &Consultation) -> Vec<&Question> {
    c.questions().filter(|q| q.is_codable()).collect()
}

/// `spec`'s free-text question broken down over the snapshot, with its
/// quotes; the breakdown comes too, for a chart.
pub fn text_section(
    snapshot: &Snapshot,
    spec: Spec,
    quotes: &Quotes,
) -> Result<(TextSection, Breakdown), AnalysisError> {
    let q = spec.question.clone();
    let b = snapshot.breakdown(spec)?;
    let themes = snapshot.codebook.of(q.id.as_str());
    let coded = b.total.n;
    let uncoded = b.total.uncoded.unwrap_or(0);
    let section = TextSection {
        id: q.id.to_string(),
        text: q.text.clone(),
        answered: coded + uncoded,
        coded,
        uncoded,
        table: (!themes.is_empty()).then(|| table(&b)),
        themes: themes
            .iter()
            .map(|t| ThemeQuotes {
                label: t.label.as_str().to_owned(),
                description: t.description.as_str().to_owned(),
                quotes: quotes
                    .get(&(q.id.to_string(), t.id))
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect(),
    };
    Ok((section, b))
}
