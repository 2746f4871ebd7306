//! One answer checked against its question's rules. Options are held by
//! their place in the question's list and text is borrowed where it can
//! be, so that a million stored documents can be read without building
//! an answer set for each.
use super::answers::AnswerValue;
use super::definition::{AnswerOption, Question, QuestionKind, TextFormat};
use super::raw::Raw;
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked<'a> {
    /// The chosen option's index.
    Choice(usize),
    /// Per option, whether it was chosen; at least one was.
    Choices(Vec<bool>),
    Text(Cow<'a, str>),
}

impl Checked<'_> {
    /// The answer as the API and answer sets hold it.
    pub fn into_value(self, q: &Question) -> Option<AnswerValue> {
        let options = q.options();
        Some(match self {
            Checked::Choice(i) => AnswerValue::Choice(options.get(i)?.code.clone()),
            Checked::Choices(chosen) => AnswerValue::Choices(
                options
                    .iter()
                    .zip(chosen)
                    .filter(|(_, c)| *c)
                    .map(|(o, _)| o.code.clone())
                    .collect(),
            ),
            Checked::Text(t) => AnswerValue::Text(t.into_owned()),
        })
    }
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        && !domain.contains('@')
}

/// Which options `items` choose; `None` when none.
fn choose<'s>(
    options: &[AnswerOption],
    items: impl IntoIterator<Item = Result<&'s str, &'static str>>,
) -> Result<Option<Vec<bool>>, String> {
    let mut chosen = vec![false; options.len()];
    let mut problems = Vec::new();
    for item in items {
        match item {
            Ok(s) => match options.iter().position(|o| o.code.as_str() == s) {
                Some(i) if chosen[i] => problems.push(format!("'{s}' is chosen twice")),
                Some(i) => chosen[i] = true,
                None => problems.push(format!("'{s}' is not an option of this question")),
            },
            Err(t) => problems.push(format!("expected option codes as strings, got {t}")),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(chosen.contains(&true).then_some(chosen))
}

/// Refused in any text: PostgreSQL cannot store it, and no member means it.
pub const NUL_MESSAGE: &str = "must not contain the NUL character (U+0000)";

fn text(s: &str, max_length: usize, format: TextFormat) -> Result<Option<Cow<'_, str>>, String> {
    if s.contains('\0') {
        return Err(NUL_MESSAGE.into());
    }
    let text = if s.contains("\r\n") {
        Cow::Owned(s.replace("\r\n", "\n"))
    } else {
        Cow::Borrowed(s)
    };
    if text.trim().is_empty() {
        return Ok(None);
    }
    // Characters are never more than bytes: only a text this long in
    // bytes needs counting.
    if text.len() > max_length {
        let n = text.chars().count();
        if n > max_length {
            return Err(format!(
                "must be {max_length} characters or fewer (it has {n})"
            ));
        }
    }
    if format != TextFormat::Email {
        return Ok(Some(text));
    }
    if !is_email(text.trim()) {
        return Err("enter an email address in the correct format, like name@example.org".into());
    }
    Ok(Some(match text {
        Cow::Borrowed(t) => Cow::Borrowed(t.trim()),
        Cow::Owned(t) => Cow::Owned(t.trim().to_owned()),
    }))
}

/// Checks one raw value by the question's kind. `Ok(None)` means no
/// answer; `Err` says what is wrong, for the member to read.
pub fn check<'b>(q: &Question, v: &'b Raw<'_>) -> Result<Option<Checked<'b>>, String> {
    match (&q.kind, v) {
        (_, Raw::Null) => Ok(None),
        (QuestionKind::SingleChoice { options, .. }, Raw::Str(s)) => {
            match options.iter().position(|o| o.code.as_str() == s) {
                Some(i) => Ok(Some(Checked::Choice(i))),
                None if s.is_empty() => Ok(None),
                None => Err(format!("'{s}' is not an option of this question")),
            }
        }
        (QuestionKind::SingleChoice { .. }, other) => Err(format!(
            "expected one option code as a string, got {}",
            other.json_type()
        )),
        (QuestionKind::MultipleChoice { options }, Raw::List(items)) => Ok(choose(
            options,
            items.iter().map(|i| i.as_deref().map_err(|t| *t)),
        )?
        .map(Checked::Choices)),
        (QuestionKind::MultipleChoice { .. }, other) => Err(format!(
            "expected a list of option codes, got {}",
            other.json_type()
        )),
        (QuestionKind::FreeText { max_length, format }, Raw::Str(s)) => {
            Ok(text(s, *max_length, *format)?.map(Checked::Text))
        }
        (QuestionKind::FreeText { .. }, other) => {
            Err(format!("expected text, got {}", other.json_type()))
        }
    }
}

/// A stored answer read under the current definition: what no longer
/// passes is left out. Versions stored as answer rows came back with one
/// chosen option as a plain string, which is read as a list of one.
pub fn lenient<'b>(q: &Question, v: &'b Raw<'_>) -> Option<Checked<'b>> {
    match (&q.kind, v) {
        (QuestionKind::MultipleChoice { options }, Raw::Str(s)) => {
            choose(options, [Ok(s.as_ref())])
                .ok()?
                .map(Checked::Choices)
        }
        _ => check(q, v).ok()?,
    }
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
