//! A closed question broken down by a single-choice question: counts from
//! the frame (one pass over the codes for a single choice, a polars
//! group-by for a multiple choice), then percentages, Wilson intervals and
//! a chi-square test.
use super::crosstab;
use super::frame::{SUBMITTED, answered_column, applies_column, codes, option_column};
use super::spec::{Filters, Spec};
use super::stats::{ChiSquare, Interval, chi_square, percent, wilson};
use crate::domain::{Question, QuestionKind};
use polars::prelude::{DataFrame, DataType, Expr, IntoLazy, PolarsResult, col, len, lit};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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

/// Counts per (group, option), group None for those who did not answer `by`.
#[derive(Default)]
struct Tallies {
    counts: HashMap<(Option<String>, String), u64>,
    n: HashMap<Option<String>, u64>,
    skipped: HashMap<Option<String>, u64>,
}

fn filter_expr(f: &Filters) -> Option<Expr> {
    let mut parts: Vec<Expr> = Vec::new();
    for a in &f.answers {
        let any = a
            .any_of
            .iter()
            .map(|code| col(a.question.as_str()).eq(lit(code.as_str())))
            .reduce(|x, y| x.or(y));
        parts.extend(any);
    }
    if let Some(t) = f.from {
        parts.push(col(SUBMITTED).gt_eq(lit(t.timestamp_millis())));
    }
    if let Some(t) = f.until {
        parts.push(col(SUBMITTED).lt(lit(t.timestamp_millis())));
    }
    parts.into_iter().reduce(|x, y| x.and(y))
}

/// How many of a group's rows the question applied to: all of them, or
/// the count of its `applies` column.
fn applied(q: &Question) -> Expr {
    if q.condition.is_some() {
        col(applies_column(q.id.as_str()))
            .cast(DataType::UInt64)
            .sum()
            .alias("__applied")
    } else {
        len().alias("__applied")
    }
}

/// (group, n) pairs of a frame grouped by `by` with a count column `n`.
fn group_counts(df: &DataFrame, by: &str, n: &str) -> PolarsResult<Vec<(Option<String>, u64)>> {
    let groups = codes(df, by)?;
    let counts = df.column(n)?.cast(&DataType::UInt64)?;
    let counts = counts.u64()?;
    Ok((0..df.height())
        .map(|i| (groups.get(i).map(str::to_owned), counts.get(i).unwrap_or(0)))
        .collect())
}

/// One pass over the frame: grouped by `by` and by whether (or what) the
/// question was answered, so that those who answered and those who skipped
/// a question that applied to them come out of the same pass.
fn tally(df: &DataFrame, spec: &Spec) -> PolarsResult<Tallies> {
    let (q, by) = (spec.question.id.as_str(), spec.by.id.as_str());
    let filter = filter_expr(&spec.filters);
    let lazy = || match &filter {
        Some(f) => df.clone().lazy().filter(f.clone()),
        None => df.clone().lazy(),
    };
    let mut t = Tallies::default();
    match &spec.question.kind {
        QuestionKind::MultipleChoice { options } => {
            let answered = answered_column(q);
            let mut aggs = vec![len().alias("__n"), applied(&spec.question)];
            for o in options {
                aggs.push(
                    col(option_column(q, o.code.as_str()))
                        .cast(DataType::UInt64)
                        .sum()
                        .alias(o.code.as_str()),
                );
            }
            let df = lazy()
                .group_by([col(by), col(answered.as_str())])
                .agg(aggs)
                .collect()?;
            let flags = df.column(&answered)?.bool()?.clone();
            let is_answered = |i: usize| flags.get(i).unwrap_or(false);
            for (i, (group, n)) in group_counts(&df, by, "__n")?.into_iter().enumerate() {
                if is_answered(i) {
                    t.n.insert(group, n);
                }
            }
            for (i, (group, k)) in group_counts(&df, by, "__applied")?.into_iter().enumerate() {
                if !is_answered(i) {
                    t.skipped.insert(group, k);
                }
            }
            for o in options {
                for (i, (group, k)) in group_counts(&df, by, o.code.as_str())?
                    .into_iter()
                    .enumerate()
                {
                    if is_answered(i) {
                        t.counts.insert((group, o.code.to_string()), k);
                    }
                }
            }
        }
        _ => {
            let applies = spec.question.condition.is_some().then(|| applies_column(q));
            let filtered;
            let frame = match &filter {
                None => df,
                Some(_) => {
                    let mut columns = vec![col(by), col(q)];
                    columns.extend(applies.iter().map(|a| col(a.as_str())));
                    filtered = lazy().select(columns).collect()?;
                    &filtered
                }
            };
            let by_codes: Vec<&str> = spec.by.options().iter().map(|o| o.code.as_str()).collect();
            let q_codes: Vec<&str> = spec
                .question
                .options()
                .iter()
                .map(|o| o.code.as_str())
                .collect();
            let pairs = crosstab::pairs(frame, (by, &by_codes), (q, &q_codes), applies.as_deref())?;
            for p in pairs {
                let group = p.group.map(|k| by_codes[k].to_owned());
                match p.answer {
                    Some(k) => {
                        *t.n.entry(group.clone()).or_default() += p.rows;
                        t.counts.insert((group, q_codes[k].to_owned()), p.rows);
                    }
                    None => *t.skipped.entry(group).or_default() += p.applied,
                }
            }
        }
    }
    Ok(t)
}

fn row(code: &str, label: &str, n: u64, skipped: u64, counts: BTreeMap<String, u64>) -> GroupRow {
    GroupRow {
        code: code.to_owned(),
        label: label.to_owned(),
        n,
        skipped,
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
    let options = q.options();
    let counts_for = |group: Option<&str>| -> BTreeMap<String, u64> {
        options
            .iter()
            .map(|o| {
                let code = o.code.to_string();
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
    let groups: Vec<GroupRow> = spec
        .by
        .options()
        .iter()
        .map(|g| {
            let key = Some(g.code.to_string());
            row(
                g.code.as_str(),
                &g.label,
                t.n.get(&key).copied().unwrap_or(0),
                t.skipped.get(&key).copied().unwrap_or(0),
                counts_for(Some(g.code.as_str())),
            )
        })
        .collect();
    let total = row(
        "_all",
        "All respondents",
        t.n.values().sum(),
        t.skipped.values().sum(),
        counts_for(None),
    );
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
                .map(|r| options.iter().map(|o| r.counts[o.code.as_str()]).collect())
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
        options: options
            .iter()
            .map(|o| OptionInfo {
                code: o.code.to_string(),
                label: o.label.clone(),
                neutral: o.neutral,
            })
            .collect(),
        groups,
        total,
        combined,
        test,
    })
}

#[cfg(test)]
#[path = "breakdown_tests.rs"]
mod tests;
