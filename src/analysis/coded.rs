//! Staff's coding of free-text answers, as frame columns beside the
//! answers: per free-text question `<id>__answered` (coded, "no theme
//! applies" included) and `<id>__<theme id>` per live theme. Themes then
//! count as the options of a multiple-choice question do.
use super::frame::{ID_HI, ID_LO, answered_column, option_column};
use crate::domain::Consultation;
use crate::domain::coding::Codebook;
use polars::prelude::{Column, DataFrame, PolarsResult};
use std::collections::HashMap;

/// One current coding: response, question, theme (None: no theme applies).
pub type CodingRow = (String, String, Option<i32>);

/// Adds the coding columns of every free-text question to `df`.
pub fn add_columns(
    df: &mut DataFrame,
    c: &Consultation,
    book: &Codebook,
    codings: &[CodingRow],
) -> PolarsResult<()> {
    let n = df.height();
    let (hi, lo) = (
        df.column(ID_HI)?.u64()?.clone(),
        df.column(ID_LO)?.u64()?.clone(),
    );
    let mut row_of: HashMap<u128, usize> = HashMap::with_capacity(n);
    for i in 0..n {
        if let (Some(h), Some(l)) = (hi.get(i), lo.get(i)) {
            row_of.insert((u128::from(h) << 64) | u128::from(l), i);
        }
    }
    for q in c.questions().filter(|q| q.is_codable()) {
        let id = q.id.as_str();
        let themes = book.of(id);
        let mut coded = vec![false; n];
        let mut carries = vec![vec![false; n]; themes.len()];
        for (response, _, theme) in codings.iter().filter(|(_, qid, _)| qid == id) {
            let Some(&row) = uuid::Uuid::parse_str(response)
                .ok()
                .and_then(|u| row_of.get(&u.as_u128()))
            else {
                // Coded but no longer current (withdrawn meanwhile).
                continue;
            };
            coded[row] = true;
            if let Some(k) = theme.and_then(|t| themes.iter().position(|x| x.id.as_i32() == t)) {
                carries[k][row] = true;
            }
        }
        df.with_column(Column::new(answered_column(id).into(), coded))?;
        for (t, flags) in themes.iter().zip(carries) {
            df.with_column(Column::new(
                option_column(id, &t.id.to_string()).into(),
                flags,
            ))?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "coded_tests.rs"]
mod tests;
