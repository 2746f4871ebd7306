//! A question broken down by a single-choice question: counts from the
//! frame (`grouped`), then percentages, Wilson intervals and a chi-square
//! test. A free-text question's themes count as a multiple choice's
//! options, over its coded answers.
use super::grouped::tally;
use super::spec::Spec;
use super::stats::{ChiSquare, Interval, chi_square, percent, wilson};
use crate::domain::QuestionKind;
use polars::prelude::{DataFrame, PolarsResult};
use serde::Serialize;
use std::collections::BTreeMap;

/// Bases below this are flagged.
pub const SMALL_BASE: u64 = 10;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GroupRow {
    /// The `by` option's code; `_all` for all respondents.
    pub code: String,
    pub label: String,
    /// Those in the group who answered.
    pub n: u64,
    /// Those in the group to whom the question applied but who did not answer.
    pub skipped: u64,
    /// A free-text question: those in the group who answered but whose
    /// answer is not coded yet (not in `n`). Absent for closed questions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncoded: Option<u64>,
    /// Per option code.
    #[schema(value_type = Object)]
    pub counts: BTreeMap<String, u64>,
    /// Per option code: 0–100, unrounded; null when n = 0.
    #[schema(value_type = Object)]
    pub percent: BTreeMap<String, Option<f64>>,
    /// Per option code: the 95% Wilson interval `{lower, upper}`, 0–100.
    #[schema(value_type = Object)]
    pub ci95: BTreeMap<String, Option<Interval>>,
    pub small_base: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CombinedCell {
    pub count: u64,
    pub percent: Option<f64>,
    pub ci95: Option<Interval>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CombinedRow {
    pub code: String,
    pub label: String,
    pub of: Vec<String>,
    /// Keyed by the `by` option's code.
    #[schema(value_type = Object)]
    pub groups: BTreeMap<String, CombinedCell>,
    pub total: CombinedCell,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OptionInfo {
    pub code: String,
    pub label: String,
    pub neutral: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Breakdown {
    pub question: String,
    pub question_text: String,
    pub kind: crate::domain::QuestionType,
    pub by: String,
    pub by_text: String,
    /// The question's options in the definition's order.
    pub options: Vec<OptionInfo>,
    pub groups: Vec<GroupRow>,
    pub total: GroupRow,
    pub combined: Vec<CombinedRow>,
    /// None for multiple choice, or when fewer than two groups or options
    /// have answers.
    pub test: Option<ChiSquare>,
}

/// A group's counts: those who answered, skipped, and (free text) whose
/// answers are not coded yet.
struct Bases {
    n: u64,
    skipped: u64,
    uncoded: Option<u64>,
}

fn row(code: &str, label: &str, b: Bases, counts: BTreeMap<String, u64>) -> GroupRow {
    let Bases {
        n,
        skipped,
        uncoded,
    } = b;
    GroupRow {
        code: code.to_owned(),
        label: label.to_owned(),
        n,
        skipped,
        uncoded,
        percent: counts
            .iter()
            .map(|(c, &k)| (c.clone(), percent(k, n)))
            .collect(),
        ci95: counts
            .iter()
            .map(|(c, &k)| (c.clone(), wilson(k, n)))
            .collect(),
        small_base: n < SMALL_BASE,
        counts,
    }
}

fn cell(k: u64, n: u64) -> CombinedCell {
    CombinedCell {
        count: k,
        percent: percent(k, n),
        ci95: wilson(k, n),
    }
}

/// Breaks `spec.question` down by `spec.by` over the frame.
pub fn breakdown(df: &DataFrame, spec: &Spec) -> PolarsResult<Breakdown> {
    let t = tally(df, spec)?;
    let q = &spec.question;
    let free_text = spec.is_free_text();
    let options: Vec<OptionInfo> = if free_text {
        spec.themes
            .iter()
            .map(|th| OptionInfo {
                code: th.id.to_string(),
                label: th.label.as_str().to_owned(),
                neutral: false,
            })
            .collect()
    } else {
        q.options()
            .iter()
            .map(|o| OptionInfo {
                code: o.code.to_string(),
                label: o.label.clone(),
                neutral: o.neutral,
            })
            .collect()
    };
    let counts_for = |group: Option<&str>| -> BTreeMap<String, u64> {
        options
            .iter()
            .map(|o| {
                let code = o.code.clone();
                let k = match group {
                    Some(g) => t.counts.get(&(Some(g.to_owned()), code.clone())).copied(),
                    // All respondents: every group, including no answer to `by`.
                    None => Some(
                        t.counts
                            .iter()
                            .filter(|((_, c), _)| *c == code)
                            .map(|(_, k)| k)
                            .sum(),
                    ),
                };
                (code, k.unwrap_or(0))
            })
            .collect()
    };
    let bases = |key: Option<&Option<String>>| match key {
        Some(key) => Bases {
            n: t.n.get(key).copied().unwrap_or(0),
            skipped: t.skipped.get(key).copied().unwrap_or(0),
            uncoded: free_text.then(|| t.uncoded.get(key).copied().unwrap_or(0)),
        },
        None => Bases {
            n: t.n.values().sum(),
            skipped: t.skipped.values().sum(),
            uncoded: free_text.then(|| t.uncoded.values().sum()),
        },
    };
    let groups: Vec<GroupRow> = spec
        .by
        .options()
        .iter()
        .map(|g| {
            let key = Some(g.code.to_string());
            row(
                g.code.as_str(),
                &g.label,
                bases(Some(&key)),
                counts_for(Some(g.code.as_str())),
            )
        })
        .collect();
    let total = row("_all", "All respondents", bases(None), counts_for(None));
    let combined = match &q.kind {
        QuestionKind::SingleChoice { combined, .. } => combined
            .iter()
            .map(|cc| {
                let sum = |r: &GroupRow| -> u64 {
                    cc.of
                        .iter()
                        .map(|c| r.counts.get(c.as_str()).copied().unwrap_or(0))
                        .sum()
                };
                CombinedRow {
                    code: cc.code.to_string(),
                    label: cc.label.clone(),
                    of: cc.of.iter().map(ToString::to_string).collect(),
                    groups: groups
                        .iter()
                        .map(|r| (r.code.clone(), cell(sum(r), r.n)))
                        .collect(),
                    total: cell(sum(&total), total.n),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let test = match &q.kind {
        QuestionKind::SingleChoice { .. } => chi_square(
            &groups
                .iter()
                .map(|r| options.iter().map(|o| r.counts[&o.code]).collect())
                .collect::<Vec<Vec<u64>>>(),
        ),
        _ => None,
    };
    Ok(Breakdown {
        question: q.id.to_string(),
        question_text: q.text.clone(),
        kind: q.question_type(),
        by: spec.by.id.to_string(),
        by_text: spec.by.text.clone(),
        options,
        groups,
        total,
        combined,
        test,
    })
}

#[cfg(test)]
#[path = "breakdown_tests.rs"]
mod tests;
