//! The wide table that analyses run on: one row per response, built once
//! per data version from the stored answer rows.
//!
//! Columns: `__submitted` (milliseconds since 1970, UTC); per single-choice
//! question its option code (null when unanswered); per multiple-choice
//! question `<id>__answered` and one boolean `<id>__<code>` per option; per
//! conditional question `<id>__applies`.
use crate::domain::{Consultation, Question, QuestionKind};
use crate::storage::CurrentAnswer;
use polars::prelude::{Column, DataFrame, PolarsResult};
use std::collections::HashMap;

pub const SUBMITTED: &str = "__submitted";

pub fn answered_column(q: &str) -> String {
    format!("{q}__answered")
}

pub fn option_column(q: &str, code: &str) -> String {
    format!("{q}__{code}")
}

pub fn applies_column(q: &str) -> String {
    format!("{q}__applies")
}

/// One response's codes per question, as read from its rows.
type Codes<'a> = HashMap<&'a str, Vec<&'a str>>;

/// Builds the frame. `rows` must be ordered by response (as
/// `Store::current_answers` returns them).
pub fn build(c: &Consultation, rows: &[CurrentAnswer]) -> PolarsResult<DataFrame> {
    let mut responses: Vec<(i64, Codes<'_>)> = Vec::new();
    let mut last: Option<&str> = None;
    for r in rows {
        if last != Some(r.response_id.as_str()) {
            last = Some(r.response_id.as_str());
            let ms = r.submitted_at.and_utc().timestamp_millis();
            responses.push((ms, HashMap::new()));
        }
        if let (Some(code), Some((_, codes))) = (&r.option_code, responses.last_mut()) {
            codes
                .entry(r.question_id.as_str())
                .or_default()
                .push(code.as_str());
        }
    }
    let height = responses.len();
    let mut columns = vec![Column::new(
        SUBMITTED.into(),
        responses.iter().map(|(t, _)| *t).collect::<Vec<i64>>(),
    )];
    for q in c.questions() {
        match &q.kind {
            QuestionKind::SingleChoice { .. } => {
                let values: Vec<Option<&str>> = responses
                    .iter()
                    .map(|(_, codes)| {
                        codes
                            .get(q.id.as_str())
                            .and_then(|v| v.first().copied())
                            .filter(|code| q.option(code).is_some())
                    })
                    .collect();
                columns.push(Column::new(q.id.as_str().into(), values));
            }
            QuestionKind::MultipleChoice { options } => {
                let answered: Vec<bool> = responses
                    .iter()
                    .map(|(_, codes)| {
                        codes_of(codes, q.id.as_str())
                            .iter()
                            .any(|code| q.option(code).is_some())
                    })
                    .collect();
                columns.push(Column::new(answered_column(q.id.as_str()).into(), answered));
                for o in options {
                    let chosen: Vec<bool> = responses
                        .iter()
                        .map(|(_, codes)| codes_of(codes, q.id.as_str()).contains(&o.code.as_str()))
                        .collect();
                    columns.push(Column::new(
                        option_column(q.id.as_str(), o.code.as_str()).into(),
                        chosen,
                    ));
                }
            }
            QuestionKind::FreeText { .. } => continue,
        }
        if q.condition.is_some() {
            let applies: Vec<bool> = responses
                .iter()
                .map(|(_, codes)| condition_met(q, codes))
                .collect();
            columns.push(Column::new(applies_column(q.id.as_str()).into(), applies));
        }
    }
    DataFrame::new(height, columns)
}

fn codes_of<'a, 'c>(codes: &'c Codes<'a>, question: &str) -> &'c [&'a str] {
    codes.get(question).map_or(&[], Vec::as_slice)
}

fn condition_met(q: &Question, codes: &Codes<'_>) -> bool {
    q.condition.as_ref().is_none_or(|cond| {
        codes.get(cond.question.as_str()).is_some_and(|given| {
            given
                .iter()
                .any(|g| cond.any_of.iter().any(|a| a.as_str() == *g))
        })
    })
}

/// Responses per week (weeks start on Monday, UTC), oldest first, weeks
/// without responses included.
pub fn by_week(df: &DataFrame) -> PolarsResult<Vec<(chrono::NaiveDate, u64)>> {
    use chrono::Datelike;
    let times = df.column(SUBMITTED)?.i64()?;
    let mut weeks: std::collections::BTreeMap<chrono::NaiveDate, u64> = Default::default();
    for ms in (0..times.len()).filter_map(|i| times.get(i)) {
        let Some(t) = chrono::DateTime::from_timestamp_millis(ms) else {
            continue;
        };
        let day = t.date_naive();
        let monday = day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
        *weeks.entry(monday).or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (weeks.keys().next(), weeks.keys().last()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut week = first;
    while week <= last {
        out.push((week, weeks.get(&week).copied().unwrap_or(0)));
        week += chrono::Duration::days(7);
    }
    Ok(out)
}
