//! One question of a definition: its kind, options, combined categories,
//! condition, privacy and headline, every problem reported with its path.
use super::super::definition::*;
use super::super::ids::{OptionCode, QuestionId};
use super::{Errors, MAX_TEXT_LENGTH};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub(super) id: String,
    kind: String,
    text: String,
    help: Option<String>,
    #[serde(default)]
    required: bool,
    options: Option<Vec<RawOption>>,
    combined: Option<Vec<RawCombined>>,
    max_length: Option<u64>,
    format: Option<String>,
    condition: Option<RawCondition>,
    privacy: Option<String>,
    headline: Option<RawHeadline>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeadline {
    category: String,
    text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    code: String,
    label: String,
    #[serde(default)]
    neutral: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCombined {
    code: String,
    label: String,
    of: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    question: String,
    any_of: Vec<String>,
}

fn build_options(
    raw: Option<Vec<RawOption>>,
    qp: &str,
    min: usize,
    errs: &mut Errors,
) -> Vec<AnswerOption> {
    let raw = raw.unwrap_or_default();
    if raw.len() < min {
        errs.add(
            format!("{qp}.options"),
            format!("needs at least {min} options"),
        );
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (oi, ro) in raw.into_iter().enumerate() {
        let op = format!("{qp}.options[{oi}]");
        if !seen.insert(ro.code.clone()) {
            errs.add(
                format!("{op}.code"),
                format!("option code '{}' is used twice in this question", ro.code),
            );
        }
        errs.non_empty(&format!("{op}.label"), &ro.label);
        if let Some(code) = errs.ok(&format!("{op}.code"), OptionCode::parse(&ro.code)) {
            out.push(AnswerOption {
                code,
                label: ro.label,
                neutral: ro.neutral,
            });
        }
    }
    out
}

fn build_combined(
    raw: Vec<RawCombined>,
    qp: &str,
    options: &[AnswerOption],
    errs: &mut Errors,
) -> Vec<CombinedCategory> {
    let mut seen: HashSet<String> = options.iter().map(|o| o.code.to_string()).collect();
    let mut out = Vec::new();
    for (ci, rc) in raw.into_iter().enumerate() {
        let cp = format!("{qp}.combined[{ci}]");
        if !seen.insert(rc.code.clone()) {
            errs.add(
                format!("{cp}.code"),
                format!(
                    "code '{}' is already used by an option or another combined category",
                    rc.code
                ),
            );
        }
        errs.non_empty(&format!("{cp}.label"), &rc.label);
        if rc.of.len() < 2 {
            errs.add(
                format!("{cp}.of"),
                "a combined category joins at least two options",
            );
        }
        let mut of = Vec::new();
        let mut members = HashSet::new();
        for (i, c) in rc.of.iter().enumerate() {
            if !members.insert(c) {
                errs.add(format!("{cp}.of[{i}]"), format!("'{c}' is listed twice"));
            }
            match options.iter().find(|o| o.code.as_str() == c) {
                Some(o) => of.push(o.code.clone()),
                None => errs.add(
                    format!("{cp}.of[{i}]"),
                    format!("'{c}' is not an option of this question"),
                ),
            }
        }
        if let Some(code) = errs.ok(&format!("{cp}.code"), OptionCode::parse(&rc.code)) {
            out.push(CombinedCategory {
                code,
                label: rc.label,
                of,
            });
        }
    }
    out
}

pub(super) fn build_question(
    rq: RawQuestion,
    qp: &str,
    earlier: &HashMap<String, Question>,
    all_ids: &HashSet<String>,
    errs: &mut Errors,
) -> Option<Question> {
    let id = errs.ok(&format!("{qp}.id"), QuestionId::parse(&rq.id));
    errs.non_empty(&format!("{qp}.text"), &rq.text);
    let choice = matches!(rq.kind.as_str(), "single_choice" | "multiple_choice");
    if choice {
        if rq.max_length.is_some() {
            errs.add(
                format!("{qp}.max_length"),
                "only free-text questions have a maximum length",
            );
        }
        if rq.format.is_some() {
            errs.add(
                format!("{qp}.format"),
                "only free-text questions have a format",
            );
        }
    }
    let kind = match rq.kind.as_str() {
        "single_choice" => {
            let options = build_options(rq.options, qp, 2, errs);
            let combined = build_combined(rq.combined.unwrap_or_default(), qp, &options, errs);
            Some(QuestionKind::SingleChoice { options, combined })
        }
        "multiple_choice" => {
            if rq.combined.is_some() {
                errs.add(
                    format!("{qp}.combined"),
                    "combined categories are for single-choice questions",
                );
            }
            Some(QuestionKind::MultipleChoice {
                options: build_options(rq.options, qp, 1, errs),
            })
        }
        "free_text" => {
            if rq.options.is_some() {
                errs.add(
                    format!("{qp}.options"),
                    "free-text questions have no options",
                );
            }
            let max_length = match rq.max_length {
                Some(n) if (1..=MAX_TEXT_LENGTH).contains(&n) => n as usize,
                Some(n) => {
                    errs.add(
                        format!("{qp}.max_length"),
                        format!("{n} is outside 1 to {MAX_TEXT_LENGTH}"),
                    );
                    1
                }
                None => {
                    errs.add(
                        format!("{qp}.max_length"),
                        "free-text questions need a maximum length",
                    );
                    1
                }
            };
            let format = match rq.format.as_deref() {
                None | Some("plain") => TextFormat::Plain,
                Some("email") => TextFormat::Email,
                Some(f) => {
                    errs.add(
                        format!("{qp}.format"),
                        format!("unknown format '{f}' (use plain or email)"),
                    );
                    TextFormat::Plain
                }
            };
            Some(QuestionKind::FreeText { max_length, format })
        }
        other => {
            errs.add(
                format!("{qp}.kind"),
                format!("unknown kind '{other}' (use single_choice, multiple_choice or free_text)"),
            );
            None
        }
    };
    let privacy = match rq.privacy.as_deref() {
        None => Privacy::None,
        Some("identifier") => Privacy::Identifier,
        Some("quasi_identifier") => {
            if rq.kind != "single_choice" {
                errs.add(
                    format!("{qp}.privacy"),
                    "a quasi-identifier must be a single-choice question",
                );
            }
            Privacy::QuasiIdentifier
        }
        Some(p) => {
            errs.add(
                format!("{qp}.privacy"),
                format!("unknown privacy '{p}' (use identifier or quasi_identifier)"),
            );
            Privacy::None
        }
    };
    let condition = rq
        .condition
        .and_then(|c| build_condition(c, &rq.id, qp, earlier, all_ids, errs));
    let headline = rq
        .headline
        .and_then(|h| build_headline(h, kind.as_ref(), qp, errs));
    Some(Question {
        id: id?,
        text: rq.text,
        help: rq.help,
        required: rq.required,
        kind: kind?,
        condition,
        privacy,
        headline,
    })
}

fn build_headline(
    h: RawHeadline,
    kind: Option<&QuestionKind>,
    qp: &str,
    errs: &mut Errors,
) -> Option<Headline> {
    let hp = format!("{qp}.headline");
    errs.non_empty(&format!("{hp}.text"), &h.text);
    let Some(QuestionKind::SingleChoice { options, combined }) = kind else {
        errs.add(hp, "headlines are for single-choice questions");
        return None;
    };
    let known = options.iter().any(|o| o.code.as_str() == h.category)
        || combined.iter().any(|c| c.code.as_str() == h.category);
    if !known {
        errs.add(
            format!("{hp}.category"),
            format!(
                "'{}' is neither an option nor a combined category",
                h.category
            ),
        );
        return None;
    }
    let category = errs.ok(&format!("{hp}.category"), OptionCode::parse(&h.category))?;
    Some(Headline {
        category,
        text: h.text,
    })
}

fn build_condition(
    rc: RawCondition,
    own_id: &str,
    qp: &str,
    earlier: &HashMap<String, Question>,
    all_ids: &HashSet<String>,
    errs: &mut Errors,
) -> Option<Condition> {
    let cp = format!("{qp}.condition");
    let Some(target) = earlier.get(&rc.question) else {
        let why = if rc.question == own_id {
            "a question cannot depend on itself".to_owned()
        } else if all_ids.contains(&rc.question) {
            format!(
                "depends on '{}', which comes later; a condition may only refer to an earlier question",
                rc.question
            )
        } else {
            format!("depends on unknown question '{}'", rc.question)
        };
        errs.add(format!("{cp}.question"), why);
        return None;
    };
    if target.options().is_empty() {
        errs.add(
            format!("{cp}.question"),
            format!(
                "'{}' is a free-text question; a condition needs a choice question",
                rc.question
            ),
        );
        return None;
    }
    if rc.any_of.is_empty() {
        errs.add(format!("{cp}.any_of"), "list at least one option code");
    }
    let mut any_of = Vec::new();
    for (i, c) in rc.any_of.iter().enumerate() {
        match target.option(c) {
            Some(o) => any_of.push(o.code.clone()),
            None => errs.add(
                format!("{cp}.any_of[{i}]"),
                format!("'{c}' is not an option of '{}'", rc.question),
            ),
        }
    }
    Some(Condition {
        question: target.id.clone(),
        any_of,
    })
}
