//! Typed consultations, questions and answers, free of storage and HTTP.
pub mod accounts;
pub mod answers;
pub mod check;
pub mod closed_codes;
pub mod coding;
pub mod definition;
pub mod ids;
pub mod parse;
pub mod raw;
pub mod tokens;

pub use answers::{AnswerValue, Answers, FieldError, Mode};
pub use definition::{Consultation, Headline, Privacy, Question, QuestionKind, QuestionType};
pub use ids::{OptionCode, QuestionId, Slug};
pub use parse::DefinitionError;
