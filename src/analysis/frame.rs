//! The wide table that analyses run on: one row per response, built once
//! per data version from each response's closed answers.
//!
//! Columns: `__submitted` (milliseconds since 1970, UTC); `__id_hi` and
//! `__id_lo`, the response's id as two numbers; per single-choice
//! question its option code (null when unanswered); per multiple-choice
//! question `<id>__answered` and one boolean `<id>__<code>` per option; per
//! free-text question `<id>__text` (answered), and, added by `coded`,
//! `<id>__answered` (coded) and `<id>__<theme id>` per theme; per
//! conditional question `<id>__applies`.
use crate::domain::definition::Condition;
use crate::domain::{Consultation, Question, QuestionKind};
use crate::storage::ClosedRow;
use polars::prelude::{Categories, Column, DataFrame, DataType, PolarsResult, StringChunked};
use std::collections::HashMap;

pub const SUBMITTED: &str = "__submitted";
pub const ID_HI: &str = "__id_hi";
pub const ID_LO: &str = "__id_lo";

pub fn text_column(q: &str) -> String {
    format!("{q}__text")
}

pub fn answered_column(q: &str) -> String {
    format!("{q}__answered")
}

pub fn option_column(q: &str, code: &str) -> String {
    format!("{q}__{code}")
}

pub fn applies_column(q: &str) -> String {
    format!("{q}__applies")
}

/// A column being filled, one value per response.
enum ColumnFill<'c> {
    /// The code, borrowed from the definition; codes it does not list are null.
    Single(Vec<Option<&'c str>>),
    /// Whether any listed option was chosen, then one flag per option.
    Multiple(Vec<bool>, Vec<Vec<bool>>),
}

/// Builds the frame from each response's closed answers in one pass, with
/// no per-response allocation: at a million responses this is the cold
/// path of every analysis.
pub fn build(c: &Consultation, rows: &[ClosedRow]) -> PolarsResult<DataFrame> {
    let n = rows.len();
    let questions: Vec<&Question> = c
        .questions()
        .filter(|q| !matches!(q.kind, QuestionKind::FreeText { .. }))
        .collect();
    let texts: Vec<&Question> = c
        .questions()
        .filter(|q| matches!(q.kind, QuestionKind::FreeText { .. }))
        .collect();
    let mut answered_text: Vec<Vec<bool>> = vec![Vec::with_capacity(n); texts.len()];
    let (mut hi, mut lo) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let index: HashMap<&str, usize> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let mut builders: Vec<ColumnFill<'_>> = questions
        .iter()
        .map(|q| match &q.kind {
            QuestionKind::MultipleChoice { options } => ColumnFill::Multiple(
                Vec::with_capacity(n),
                vec![Vec::with_capacity(n); options.len()],
            ),
            _ => ColumnFill::Single(Vec::with_capacity(n)),
        })
        .collect();
    // Per conditional question: the slot of the question it depends on.
    let conditions: Vec<Option<(usize, &Condition)>> = questions
        .iter()
        .map(|q| {
            let cond = q.condition.as_ref()?;
            Some((*index.get(cond.question.as_str())?, cond))
        })
        .collect();
    let mut applies: Vec<Option<Vec<bool>>> = questions
        .iter()
        .map(|q| q.condition.as_ref().map(|_| Vec::with_capacity(n)))
        .collect();
    let mut times = Vec::with_capacity(n);
    // This response's codes per question ("a" or "a,b"), reused.
    let mut slot: Vec<Option<&str>> = vec![None; questions.len()];
    for r in rows {
        times.push(r.submitted_at.and_utc().timestamp_millis());
        // An id that is not one would be a bug in storage; it then joins
        // no coding rather than stopping every analysis.
        let id = uuid::Uuid::parse_str(&r.response_id).map_or(0, |u| u.as_u128());
        hi.push((id >> 64) as u64);
        lo.push(id as u64);
        slot.fill(None);
        for flags in answered_text.iter_mut() {
            flags.push(false);
        }
        for (q, codes) in crate::domain::closed_codes::entries(&r.closed) {
            if let Some(&i) = index.get(q) {
                slot[i] = Some(codes);
            } else if let Some(k) = texts.iter().position(|t| t.id.as_str() == q)
                && let Some(flag) = answered_text[k].last_mut()
            {
                *flag = true;
            }
        }
        for (i, q) in questions.iter().enumerate() {
            let given = slot[i];
            match &mut builders[i] {
                ColumnFill::Single(values) => values.push(given.and_then(|code| {
                    q.options()
                        .iter()
                        .find(|o| o.code.as_str() == code)
                        .map(|o| o.code.as_str())
                })),
                ColumnFill::Multiple(answered, chosen) => {
                    let mut any = false;
                    for code in given.into_iter().flat_map(|g| g.split(',')) {
                        if let Some(k) = q.options().iter().position(|o| o.code.as_str() == code) {
                            if chosen[k].len() < times.len() {
                                chosen[k].push(true);
                            }
                            any = true;
                        }
                    }
                    // Options not chosen: pad every flag to this row.
                    for flags in chosen.iter_mut() {
                        if flags.len() < times.len() {
                            flags.push(false);
                        }
                    }
                    answered.push(any);
                }
            }
            if let Some(flags) = &mut applies[i] {
                let met = conditions[i].is_none_or(|(j, cond)| {
                    slot[j].is_some_and(|g| {
                        g.split(',')
                            .any(|code| cond.any_of.iter().any(|a| a.as_str() == code))
                    })
                });
                flags.push(met);
            }
        }
    }
    let mut columns = vec![
        Column::new(SUBMITTED.into(), times),
        Column::new(ID_HI.into(), hi),
        Column::new(ID_LO.into(), lo),
    ];
    for ((q, builder), applies) in questions.iter().zip(builders).zip(applies) {
        let id = q.id.as_str();
        match builder {
            ColumnFill::Single(values) => {
                // Categorical: group-bys on codes run about twice as fast
                // as on strings.
                columns.push(Column::new(id.into(), values).cast(&categorical())?)
            }
            ColumnFill::Multiple(answered, chosen) => {
                columns.push(Column::new(answered_column(id).into(), answered));
                for (o, flags) in q.options().iter().zip(chosen) {
                    columns.push(Column::new(
                        option_column(id, o.code.as_str()).into(),
                        flags,
                    ));
                }
            }
        }
        if let Some(flags) = applies {
            columns.push(Column::new(applies_column(id).into(), flags));
        }
    }
    for (q, flags) in texts.iter().zip(answered_text) {
        columns.push(Column::new(text_column(q.id.as_str()).into(), flags));
        if q.condition.is_some() {
            columns.push(Column::new(
                applies_column(q.id.as_str()).into(),
                applies_of(q, &columns, n)?,
            ));
        }
    }
    DataFrame::new(n, columns)
}

/// Whether a conditional free-text question applied to each response,
/// from the column of the question it depends on.
fn applies_of(q: &Question, columns: &[Column], n: usize) -> PolarsResult<Vec<bool>> {
    let Some(cond) = &q.condition else {
        return Ok(vec![true; n]);
    };
    let on = cond.question.as_str();
    let mut out = vec![false; n];
    if let Some(c) = columns.iter().find(|c| c.name().as_str() == on) {
        let codes = c.cast(&DataType::String)?;
        let codes = codes.str()?;
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = codes
                .get(i)
                .is_some_and(|v| cond.any_of.iter().any(|a| a.as_str() == v));
        }
    } else {
        // A multiple choice: any of its chosen flags among `any_of`.
        for code in &cond.any_of {
            let name = option_column(on, code.as_str());
            if let Some(c) = columns.iter().find(|c| c.name().as_str() == name) {
                let flags = c.bool()?;
                for (i, slot) in out.iter_mut().enumerate() {
                    *slot |= flags.get(i).unwrap_or(false);
                }
            }
        }
    }
    Ok(out)
}

/// The type of the code columns; see `codes` for reading them back.
pub fn categorical() -> DataType {
    DataType::from_categories(Categories::global())
}

/// A code column (of this frame or of a result grouped by one) as strings.
pub fn codes(df: &DataFrame, name: &str) -> PolarsResult<StringChunked> {
    Ok(df.column(name)?.cast(&DataType::String)?.str()?.clone())
}

/// Responses per week (weeks start on Monday, UTC), oldest first, weeks
/// without responses included: the latest `max` weeks up to the last
/// response, and how many responses came before them. Bounded so that a
/// stray date centuries away never makes a row for every week between.
pub fn by_week(df: &DataFrame, max: usize) -> PolarsResult<(Vec<(chrono::NaiveDate, u64)>, u64)> {
    use chrono::{Datelike, Days};
    let times = df.column(SUBMITTED)?.i64()?;
    let mut weeks: std::collections::BTreeMap<chrono::NaiveDate, u64> = Default::default();
    for ms in (0..times.len()).filter_map(|i| times.get(i)) {
        let Some(t) = chrono::DateTime::from_timestamp_millis(ms) else {
            continue;
        };
        let day = t.date_naive();
        let back = Days::new(u64::from(day.weekday().num_days_from_monday()));
        *weeks
            .entry(day.checked_sub_days(back).unwrap_or(day))
            .or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (weeks.keys().next(), weeks.keys().last()) else {
        return Ok((Vec::new(), 0));
    };
    let span = Days::new(7 * (max.max(1) as u64 - 1));
    let first_shown = last
        .checked_sub_days(span)
        .unwrap_or(chrono::NaiveDate::MIN);
    let earlier = weeks.range(..first_shown).map(|(_, n)| n).sum();
    let mut week = first.max(first_shown);
    let mut out = Vec::new();
    while week <= last {
        out.push((week, weeks.get(&week).copied().unwrap_or(0)));
        match week.checked_add_days(Days::new(7)) {
            Some(next) => week = next,
            None => break,
        }
    }
    Ok((out, earlier))
}
