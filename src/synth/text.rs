//! Free-text answers: a template filled in (`texts`, for personal details)
//! or one or two of the question's themes, each in one of its wordings.
use super::profile::{Profile, QuestionProfile};
use crate::domain::{AnswerValue, Answers, Consultation, Question, QuestionId};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;

/// One free-text answer and the themes it carries (indices into the
/// question's profile themes, in the order they appear).
pub struct Written {
    pub text: String,
    pub themes: Vec<usize>,
}

/// A question's theme weights, worked out once rather than per answer.
pub struct ThemeWeights {
    base: Vec<f64>,
    by: Option<QuestionId>,
    per_answer: HashMap<String, Vec<f64>>,
}

impl ThemeWeights {
    pub fn new(c: &Consultation, q: &Question, qp: &QuestionProfile) -> ThemeWeights {
        let weights = |answer: Option<&str>| -> Vec<f64> {
            qp.themes.iter().map(|t| t.weight_for(answer)).collect()
        };
        let by = qp.themes_by(c, q);
        let per_answer = by
            .map(|b| b.options())
            .unwrap_or_default()
            .iter()
            .map(|o| (o.code.to_string(), weights(Some(o.code.as_str()))))
            .collect();
        ThemeWeights {
            base: weights(None),
            by: by.map(|b| b.id.clone()),
            per_answer,
        }
    }

    fn for_person(&self, person: &Answers) -> &[f64] {
        let answer = self.by.as_ref().and_then(|b| match person.get(b.as_str()) {
            Some(AnswerValue::Choice(code)) => self.per_answer.get(code.as_str()),
            _ => None,
        });
        answer.unwrap_or(&self.base)
    }
}

/// An answer for `person`, or `None` when the profile gives nothing to say.
pub fn write(
    qp: &QuestionProfile,
    p: &Profile,
    weights: &ThemeWeights,
    person: &Answers,
    max_length: usize,
    rng: &mut ChaCha8Rng,
) -> Option<Written> {
    let written = if qp.themes.is_empty() {
        Written {
            text: template(qp.texts.choose(rng)?, p, rng),
            themes: Vec::new(),
        }
    } else {
        themed(qp, p, weights.for_person(person), rng)?
    };
    Some(Written {
        text: written.text.chars().take(max_length).collect(),
        themes: written.themes,
    })
}

fn template(template: &str, p: &Profile, rng: &mut ChaCha8Rng) -> String {
    let pick =
        |list: &[String], rng: &mut ChaCha8Rng| list.choose(rng).cloned().unwrap_or_default();
    let place = pick(&p.places, rng);
    let person = pick(&p.people, rng);
    let (first, last) = person.split_once(' ').unwrap_or((person.as_str(), ""));
    template
        .replace("{place}", &place)
        .replace("{first}", &first.to_lowercase())
        .replace("{last}", &last.to_lowercase().replace(' ', "-"))
}

fn themed(
    qp: &QuestionProfile,
    p: &Profile,
    weights: &[f64],
    rng: &mut ChaCha8Rng,
) -> Option<Written> {
    let first = pick_weighted(weights, None, rng)?;
    let mut text = wording(qp, first, p, rng)?;
    let mut themes = vec![first];
    if rng.random::<f64>() < qp.second_theme
        && let Some(second) = pick_weighted(weights, Some(first), rng)
        && let Some(more) = wording(qp, second, p, rng)
    {
        text = join(&text, &more, rng);
        themes.push(second);
    }
    Some(Written { text, themes })
}

/// An index drawn with chance proportional to its weight, `except` left out.
fn pick_weighted(weights: &[f64], except: Option<usize>, rng: &mut ChaCha8Rng) -> Option<usize> {
    let weight = |i: usize| if Some(i) == except { 0.0 } else { weights[i] };
    let total: f64 = (0..weights.len()).map(weight).sum();
    if total <= 0.0 {
        return None;
    }
    let mut left = rng.random::<f64>() * total;
    let mut last = None;
    for i in 0..weights.len() {
        let w = weight(i);
        if w > 0.0 {
            if left < w {
                return Some(i);
            }
            left -= w;
            last = Some(i);
        }
    }
    // Rounding can leave a sliver past the end: it belongs to the last.
    last
}

fn wording(
    qp: &QuestionProfile,
    theme: usize,
    p: &Profile,
    rng: &mut ChaCha8Rng,
) -> Option<String> {
    let text = qp.themes.get(theme)?.texts.choose(rng)?;
    Some(if text.contains("{place}") {
        let place = p
            .places
            .choose(rng)
            .map(String::as_str)
            .unwrap_or("our area");
        text.replace("{place}", place)
    } else {
        text.clone()
    })
}

/// How a second point follows the first.
const CONNECTORS: [&str; 5] = [
    "Also, ",
    "Beyond that, ",
    "Separately, ",
    "On a different point, ",
    "More broadly, ",
];

/// Sentence openings that read right in lower case after a connector;
/// others (names, acronyms, places) keep their capital and go without one.
const PLAIN_OPENINGS: [&str; 24] = [
    "A", "All", "Any", "As", "At", "Every", "For", "If", "In", "It", "Local", "Most", "No", "Our",
    "Some", "Systems", "That", "The", "There", "These", "This", "Too", "We", "With",
];

/// Two points as one answer: side by side, as a new paragraph, or with a
/// connector.
fn join(first: &str, second: &str, rng: &mut ChaCha8Rng) -> String {
    let opening = second.split(' ').next().unwrap_or_default();
    match rng.random_range(0..10) {
        0..=4 => format!("{first} {second}"),
        5..=6 => format!("{first}\n\n{second}"),
        _ if PLAIN_OPENINGS.contains(&opening) => {
            let connector = CONNECTORS.choose(rng).copied().unwrap_or_default();
            format!(
                "{first} {connector}{}{}",
                opening.to_lowercase(),
                &second[opening.len()..]
            )
        }
        _ => format!("{first} {second}"),
    }
}
