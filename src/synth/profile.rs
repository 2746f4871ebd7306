//! A synthetic-data profile: what the generated responses of one
//! consultation should look like. Profiles are data (`fixtures/profiles/`),
//! checked against the consultation's definition like definitions are.
use crate::domain::{Consultation, QuestionKind};
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
        QuestionKind::FreeText { .. } if qp.texts.is_empty() => {
            errors.push(format!("questions.{id}: a free-text question needs texts"));
        }
        _ => {}
    }
}
