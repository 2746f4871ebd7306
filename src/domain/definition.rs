//! A consultation definition after validation: every id parsed, every
//! reference resolved. Built only by `Consultation::from_json` (see `parse`).
use super::ids::{OptionCode, QuestionId, SectionId, Slug};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Consultation {
    pub slug: Slug,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<DateTime<Utc>>,
    /// Days after submission that identifying answers are kept; then
    /// `consult retention run` erases them.
    pub retention_days: u32,
    /// Only members with an invitation link may answer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub invite_only: bool,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Section {
    pub id: SectionId,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Question {
    pub id: QuestionId,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    pub required: bool,
    #[serde(flatten)]
    pub kind: QuestionKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    #[serde(skip_serializing_if = "Privacy::is_none")]
    pub privacy: Privacy,
    /// What the report's headline sentence about this question says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<Headline>,
}

/// "8 in 10 respondents <text>": the share is of `category` (an option or
/// a combined category) among all who answered.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Headline {
    pub category: OptionCode,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice {
        options: Vec<AnswerOption>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        combined: Vec<CombinedCategory>,
    },
    MultipleChoice {
        options: Vec<AnswerOption>,
    },
    FreeText {
        max_length: usize,
        #[serde(skip_serializing_if = "TextFormat::is_plain")]
        format: TextFormat,
    },
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AnswerOption {
    pub code: OptionCode,
    pub label: String,
    /// Drawn in a neutral colour ("don't know"), outside the agree/disagree scale.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub neutral: bool,
}

/// Options reported together, such as "agree or partly agree".
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CombinedCategory {
    pub code: OptionCode,
    pub label: String,
    pub of: Vec<OptionCode>,
}

/// The question applies only when `question` was answered with one of `any_of`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Condition {
    pub question: QuestionId,
    pub any_of: Vec<OptionCode>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Privacy {
    #[default]
    None,
    /// Names a person or organisation directly (removed from anonymised exports).
    Identifier,
    /// Identifies in combination with others (generalised in anonymised exports).
    QuasiIdentifier,
}

impl Privacy {
    fn is_none(&self) -> bool {
        *self == Privacy::None
    }
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum TextFormat {
    #[default]
    Plain,
    Email,
}

impl TextFormat {
    fn is_plain(&self) -> bool {
        *self == TextFormat::Plain
    }
}

impl Consultation {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| s.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id.as_str() == id)
    }

    pub fn section_index(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.id.as_str() == id)
    }

    /// Open when now lies within the optional opening and closing times.
    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        self.opens_at.is_none_or(|t| now >= t) && self.closes_at.is_none_or(|t| now < t)
    }
}

impl Question {
    pub fn options(&self) -> &[AnswerOption] {
        match &self.kind {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options } => options,
            QuestionKind::FreeText { .. } => &[],
        }
    }

    pub fn option(&self, code: &str) -> Option<&AnswerOption> {
        self.options().iter().find(|o| o.code.as_str() == code)
    }

    /// A free-text question whose answers staff read, code and count:
    /// not a personal field such as a name or an email address.
    pub fn is_codable(&self) -> bool {
        matches!(self.kind, QuestionKind::FreeText { .. }) && self.privacy == Privacy::None
    }

    pub fn question_type(&self) -> QuestionType {
        match self.kind {
            QuestionKind::SingleChoice { .. } => QuestionType::SingleChoice,
            QuestionKind::MultipleChoice { .. } => QuestionType::MultipleChoice,
            QuestionKind::FreeText { .. } => QuestionType::FreeText,
        }
    }
}

/// A question's kind without its options, as results name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    SingleChoice,
    MultipleChoice,
    FreeText,
}
