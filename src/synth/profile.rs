//! A synthetic-data profile: what the generated responses of one
//! consultation should look like. Profiles are data (`fixtures/profiles/`),
//! checked against the consultation's definition like definitions are.
use super::codebook::MAX_LABEL;
use crate::domain::{Consultation, Question, QuestionKind};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub consultation: String,
    /// What the data set is, said in every file generated from it.
    pub description: String,
    /// The number of responses the counts below describe.
    pub responses: usize,
    pub period: Period,
    /// The single-choice question whose answer shifts the others (`tilt`).
    pub tilt_by: Option<String>,
    #[serde(default)]
    pub places: Vec<String>,
    #[serde(default)]
    pub people: Vec<String>,
    pub questions: BTreeMap<String, QuestionProfile>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionProfile {
    /// Single choice: answers per option among those the question applies
    /// to, exact at `responses` and scaled otherwise.
    pub counts: Option<BTreeMap<String, u64>>,
    /// Single choice: how many of those leave it unanswered.
    #[serde(default)]
    pub skipped: u64,
    /// Single choice: shift towards the first options (positive) or the
    /// last (negative) by the answer to `tilt_by`.
    #[serde(default)]
    pub tilt: BTreeMap<String, f64>,
    /// Multiple choice: the chance that a respondent picks each option.
    pub chosen: Option<BTreeMap<String, f64>>,
    /// Multiple choice and free text: the share who answer at all.
    pub answered: Option<f64>,
    /// Free text: templates, with `{place}`, `{first}` and `{last}` filled in.
    #[serde(default)]
    pub texts: Vec<String>,
    /// Free text, instead of `texts`: the points members make, one per
    /// answer and sometimes two.
    #[serde(default)]
    pub themes: Vec<Theme>,
    /// Free text: the share of themed answers that make a second point.
    #[serde(default)]
    pub second_theme: f64,
    /// Free text: the single-choice question whose answer the themes'
    /// `weight_by` refers to; by default the one this question follows up.
    pub themes_by: Option<String>,
}

/// One point members make in a free-text answer, in several wordings so
/// that answers read as written by different people.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub label: String,
    pub description: String,
    /// How often answers carry it, relative to the question's other themes.
    pub weight: f64,
    /// The weight instead among those who gave this answer to `themes_by`,
    /// so that a breakdown by that answer shows different reasons.
    #[serde(default)]
    pub weight_by: BTreeMap<String, f64>,
    /// Wordings, with `{place}` filled in.
    pub texts: Vec<String>,
}

impl QuestionProfile {
    /// The question whose answer tilts the theme weights: `themes_by`, or
    /// else the single-choice question `q` follows up.
    pub fn themes_by<'c>(&self, c: &'c Consultation, q: &Question) -> Option<&'c Question> {
        let id = match (&self.themes_by, &q.condition) {
            (Some(by), _) => by.as_str(),
            (None, Some(cond)) => cond.question.as_str(),
            (None, None) => return None,
        };
        c.question(id)
            .filter(|b| matches!(b.kind, QuestionKind::SingleChoice { .. }))
    }
}

impl Profile {
    /// Parses a profile and checks it against the definition; every problem
    /// is listed.
    pub fn from_json(text: &str, c: &Consultation) -> Result<Profile, Vec<String>> {
        let p: Profile = serde_json::from_str(text).map_err(|e| vec![e.to_string()])?;
        let mut errors = Vec::new();
        if p.consultation != c.slug.as_str() {
            errors.push(format!(
                "consultation: the profile is for '{}', not '{}'",
                p.consultation, c.slug
            ));
        }
        if p.responses == 0 {
            errors.push("responses: must be at least 1".into());
        }
        if p.period.to < p.period.from {
            errors.push("period: 'to' is before 'from'".into());
        }
        if let Some(by) = &p.tilt_by
            && !matches!(
                c.question(by).map(|q| &q.kind),
                Some(QuestionKind::SingleChoice { .. })
            )
        {
            errors.push(format!("tilt_by: '{by}' is not a single-choice question"));
        }
        for (id, qp) in &p.questions {
            check_question(c, &p, id, qp, &mut errors);
        }
        if errors.is_empty() {
            Ok(p)
        } else {
            Err(errors)
        }
    }
}

fn check_question(
    c: &Consultation,
    p: &Profile,
    id: &str,
    qp: &QuestionProfile,
    errors: &mut Vec<String>,
) {
    let Some(q) = c.question(id) else {
        errors.push(format!("questions.{id}: no such question"));
        return;
    };
    let known = |code: &str| q.option(code).is_some();
    for code in qp.counts.iter().flat_map(|m| m.keys()) {
        if !known(code) {
            errors.push(format!("questions.{id}.counts.{code}: no such option"));
        }
    }
    for (code, chance) in qp.chosen.iter().flat_map(|m| m.iter()) {
        if !known(code) {
            errors.push(format!("questions.{id}.chosen.{code}: no such option"));
        }
        if !(0.0..=1.0).contains(chance) {
            errors.push(format!(
                "questions.{id}.chosen.{code}: a chance is between 0 and 1"
            ));
        }
    }
    if let Some(share) = qp.answered
        && !(0.0..=1.0).contains(&share)
    {
        errors.push(format!(
            "questions.{id}.answered: a share is between 0 and 1"
        ));
    }
    let by = p.tilt_by.as_deref().and_then(|b| c.question(b));
    for group in qp.tilt.keys() {
        if by.and_then(|b| b.option(group)).is_none() {
            errors.push(format!(
                "questions.{id}.tilt.{group}: not an option of tilt_by"
            ));
        }
    }
    match &q.kind {
        QuestionKind::SingleChoice { .. } if qp.counts.is_none() => {
            errors.push(format!(
                "questions.{id}: a single-choice question needs counts"
            ));
        }
        QuestionKind::MultipleChoice { .. } if qp.chosen.is_none() => {
            errors.push(format!(
                "questions.{id}: a multiple-choice question needs chosen"
            ));
        }
        QuestionKind::FreeText { .. } if qp.texts.is_empty() && qp.themes.is_empty() => {
            errors.push(format!(
                "questions.{id}: a free-text question needs texts or themes"
            ));
        }
        _ => {}
    }
    check_themes(c, q, qp, errors);
}

fn check_themes(c: &Consultation, q: &Question, qp: &QuestionProfile, errors: &mut Vec<String>) {
    let id = q.id.as_str();
    let themed = !qp.themes.is_empty() || qp.themes_by.is_some() || qp.second_theme != 0.0;
    if !themed {
        return;
    }
    if !matches!(q.kind, QuestionKind::FreeText { .. }) {
        errors.push(format!(
            "questions.{id}.themes: only free-text questions have themes"
        ));
        return;
    }
    if !qp.texts.is_empty() && !qp.themes.is_empty() {
        errors.push(format!("questions.{id}: give texts or themes, not both"));
    }
    if !(0.0..=1.0).contains(&qp.second_theme) {
        errors.push(format!(
            "questions.{id}.second_theme: a share is between 0 and 1"
        ));
    }
    let by = qp.themes_by(c, q);
    if let Some(name) = &qp.themes_by {
        // Answers are generated in the definition's order: only an earlier
        // question's answer is known when the text is written.
        let earlier = c
            .questions()
            .take_while(|x| x.id != q.id)
            .any(|x| x.id.as_str() == name);
        if by.is_none() || !earlier {
            errors.push(format!(
                "questions.{id}.themes_by: '{name}' is not a single-choice question before '{id}'"
            ));
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    for (k, t) in qp.themes.iter().enumerate() {
        let tp = format!("questions.{id}.themes[{k}]");
        let len = t.label.trim().chars().count();
        if len == 0 || t.label.chars().count() > MAX_LABEL {
            errors.push(format!("{tp}.label: 1 to {MAX_LABEL} characters"));
        } else if !seen.insert(t.label.as_str()) {
            errors.push(format!(
                "{tp}.label: '{}' is used twice in this question",
                t.label
            ));
        }
        if t.description.trim().is_empty() {
            errors.push(format!("{tp}.description: must not be empty"));
        }
        if !(t.weight.is_finite() && t.weight >= 0.0) {
            errors.push(format!("{tp}.weight: a weight is 0 or more"));
        }
        for (code, w) in &t.weight_by {
            match by {
                None => errors.push(format!(
                    "{tp}.weight_by.{code}: no themes_by, and '{id}' follows up no single-choice question"
                )),
                Some(b) if b.option(code).is_none() => errors.push(format!(
                    "{tp}.weight_by.{code}: not an option of '{}'",
                    b.id
                )),
                _ => {}
            }
            if !(w.is_finite() && *w >= 0.0) {
                errors.push(format!("{tp}.weight_by.{code}: a weight is 0 or more"));
            }
        }
        if t.texts.is_empty() {
            errors.push(format!("{tp}.texts: needs at least one text"));
        }
        for (i, text) in t.texts.iter().enumerate() {
            if text.trim().is_empty() {
                errors.push(format!("{tp}.texts[{i}]: must not be empty"));
            }
        }
    }
    // Everyone who answers must be able to get a theme, whatever they
    // answered to `themes_by`.
    let answers = by.map(|b| b.options()).unwrap_or_default();
    let groups = std::iter::once(None).chain(answers.iter().map(|o| Some(o.code.as_str())));
    for group in groups {
        let total: f64 = qp.themes.iter().map(|t| t.weight_for(group)).sum();
        if !qp.themes.is_empty() && total.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            match group {
                None => errors.push(format!("questions.{id}.themes: every weight is 0")),
                Some(code) => errors.push(format!(
                    "questions.{id}.themes: every weight is 0 for those who answered '{code}'"
                )),
            }
        }
    }
}

impl Theme {
    /// The weight among those whose answer to `themes_by` is `answer`.
    pub fn weight_for(&self, answer: Option<&str>) -> f64 {
        answer
            .and_then(|a| self.weight_by.get(a).copied())
            .unwrap_or(self.weight)
    }
}
