//! Counting a question's answers per group of a single-choice question in
//! one pass over the frame: a polars group-by for a multiple choice and for
//! a free-text question's themes, one pass over the codes for a single
//! choice.
use super::crosstab;
use super::frame::{SUBMITTED, answered_column, applies_column, codes, option_column, text_column};
use super::spec::{Filters, Spec};
use crate::domain::{Question, QuestionKind};
use polars::prelude::{DataFrame, DataType, Expr, IntoLazy, PolarsResult, col, len, lit};
use std::collections::HashMap;

/// Counts per (group, option), group None for those who did not answer `by`.
#[derive(Default)]
pub(super) struct Tallies {
    pub counts: HashMap<(Option<String>, String), u64>,
    pub n: HashMap<Option<String>, u64>,
    pub skipped: HashMap<Option<String>, u64>,
    pub uncoded: HashMap<Option<String>, u64>,
}

pub(super) fn filter_expr(f: &Filters) -> Option<Expr> {
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
pub(super) fn tally(df: &DataFrame, spec: &Spec) -> PolarsResult<Tallies> {
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
        QuestionKind::FreeText { .. } => {
            // Coded answers count as a multiple choice's answers, themes
            // as its options; the rest answered (uncoded) or skipped.
            let (coded, text) = (answered_column(q), text_column(q));
            let not_text = col(text.as_str()).not();
            let skipped = match spec.question.condition {
                Some(_) => col(applies_column(q)).and(not_text),
                None => not_text,
            };
            let mut aggs = vec![
                len().alias("__n"),
                col(text.as_str())
                    .cast(DataType::UInt64)
                    .sum()
                    .alias("__uncoded"),
                skipped.cast(DataType::UInt64).sum().alias("__skipped"),
            ];
            let codes: Vec<String> = spec.themes.iter().map(|t| t.id.to_string()).collect();
            for code in &codes {
                aggs.push(
                    col(option_column(q, code))
                        .cast(DataType::UInt64)
                        .sum()
                        .alias(code.as_str()),
                );
            }
            let df = lazy()
                .group_by([col(by), col(coded.as_str())])
                .agg(aggs)
                .collect()?;
            let flags = df.column(&coded)?.bool()?.clone();
            let is_coded = |i: usize| flags.get(i).unwrap_or(false);
            for (i, (group, n)) in group_counts(&df, by, "__n")?.into_iter().enumerate() {
                if is_coded(i) {
                    t.n.insert(group, n);
                }
            }
            for (i, (group, k)) in group_counts(&df, by, "__uncoded")?.into_iter().enumerate() {
                if !is_coded(i) {
                    t.uncoded.insert(group, k);
                }
            }
            for (i, (group, k)) in group_counts(&df, by, "__skipped")?.into_iter().enumerate() {
                if !is_coded(i) {
                    t.skipped.insert(group, k);
                }
            }
            for code in &codes {
                for (i, (group, k)) in group_counts(&df, by, code)?.into_iter().enumerate() {
                    if is_coded(i) {
                        t.counts.insert((group, code.clone()), k);
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
