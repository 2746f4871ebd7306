//! How often each (group, answer) pair of two code columns occurs, counted
//! in one pass over the codes' dictionary ids: polars' group-by on two
//! columns has a fixed cost larger than this whole pass at the sizes we
//! serve (figures in `bench/latest.md`).
use polars::prelude::{Column, DataFrame, DataType, PolarsError, PolarsResult};

/// One (group, answer) pair that occurs, each the place of its code in the
/// codes given, or `None` for no code (or one not given).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub group: Option<usize>,
    pub answer: Option<usize>,
    pub rows: u64,
    /// Those of `rows` that the question applied to.
    pub applied: u64,
}

/// The pairs of codes in columns `by` and `q` of `df`, given the codes
/// each may hold. `applies`, a boolean column, says which rows the
/// question applied to; without it, every row.
pub fn pairs(
    df: &DataFrame,
    (by, by_codes): (&str, &[&str]),
    (q, q_codes): (&str, &[&str]),
    applies: Option<&str>,
) -> PolarsResult<Vec<Pair>> {
    let (by_slots, by_ids) = slots(df.column(by)?, by_codes)?;
    let (q_slots, q_ids) = slots(df.column(q)?, q_codes)?;
    let (by_ids, q_ids) = (by_ids.u32()?, q_ids.u32()?);
    let slot = |table: &[u32], id: Option<u32>| {
        id.and_then(|id| table.get(id as usize))
            .map_or(0, |&s| s as usize)
    };
    let stride = q_codes.len() + 1;
    // Per (group slot, answer slot): rows, and rows the question applied to.
    let mut cells = vec![[0u64; 2]; (by_codes.len() + 1) * stride];
    let mut count = |applied: &mut dyn FnMut() -> bool| {
        for (b, a) in by_ids.iter().zip(q_ids.iter()) {
            let cell = &mut cells[slot(&by_slots, b) * stride + slot(&q_slots, a)];
            cell[0] += 1;
            cell[1] += u64::from(applied());
        }
    };
    match applies {
        None => count(&mut || true),
        Some(name) => {
            let mut flags = df.column(name)?.bool()?.iter();
            count(&mut || flags.next().flatten().unwrap_or(false));
        }
    }
    let place = |slot: usize| slot.checked_sub(1);
    Ok(cells
        .iter()
        .enumerate()
        .filter(|(_, cell)| cell[0] > 0)
        .map(|(i, cell)| Pair {
            group: place(i / stride),
            answer: place(i % stride),
            rows: cell[0],
            applied: cell[1],
        })
        .collect())
}

/// A code column's slot per dictionary id (code `k` in `codes` has slot
/// `k + 1`; every other id 0), and the column's ids as `u32`.
fn slots(c: &Column, codes: &[&str]) -> PolarsResult<(Vec<u32>, Column)> {
    let DataType::Categorical(_, mapping) = c.dtype() else {
        return Err(PolarsError::SchemaMismatch(
            format!("{} is not a code column", c.name()).into(),
        ));
    };
    let ids: Vec<Option<u32>> = codes.iter().map(|code| mapping.get_cat(code)).collect();
    let mut table = vec![0; ids.iter().flatten().max().map_or(0, |&m| m as usize + 1)];
    for (k, id) in ids.iter().enumerate() {
        if let Some(id) = id {
            table[*id as usize] = k as u32 + 1;
        }
    }
    Ok((table, c.to_physical_repr().cast(&DataType::UInt32)?))
}

#[cfg(test)]
mod tests {
    use super::{Pair, pairs};
    use crate::analysis::frame::categorical;
    use polars::prelude::{Column, DataFrame};

    fn codes(name: &str, values: &[Option<&str>]) -> Column {
        Column::new(name.into(), values)
            .cast(&categorical())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn pair(group: Option<usize>, answer: Option<usize>, rows: u64, applied: u64) -> Pair {
        Pair {
            group,
            answer,
            rows,
            applied,
        }
    }

    #[test]
    fn pairs_are_counted_by_hand() {
        let (a, b) = (Some("a"), Some("b"));
        let (yes, no) = (Some("yes"), Some("no"));
        let df = DataFrame::new_infer_height(vec![
            codes("g", &[a, a, b, None, a, b, b]),
            codes("q", &[yes, no, yes, yes, None, None, yes]),
            Column::new(
                "applies".into(),
                &[true, true, true, true, false, true, true],
            ),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let (g, q) = (("g", &["a", "b"][..]), ("q", &["yes", "no"][..]));
        let mut got = pairs(&df, g, q, Some("applies")).unwrap_or_else(|e| panic!("{e}"));
        got.sort();
        let expected = vec![
            pair(None, Some(0), 1, 1),
            pair(Some(0), None, 1, 0),
            pair(Some(0), Some(0), 1, 1),
            pair(Some(0), Some(1), 1, 1),
            pair(Some(1), None, 1, 1),
            pair(Some(1), Some(0), 2, 2),
        ];
        assert_eq!(got, expected);
        // Without an `applies` column every row counts as applied.
        let mut got = pairs(&df, g, q, None).unwrap_or_else(|e| panic!("{e}"));
        got.sort();
        assert_eq!(got[1], pair(Some(0), None, 1, 1));
    }

    #[test]
    fn codes_not_given_count_as_none() {
        let df = DataFrame::new_infer_height(vec![
            codes("g", &[Some("a"), Some("b"), Some("a")]),
            codes("q", &[Some("x"), Some("never-listed"), Some("x")]),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let mut got =
            pairs(&df, ("g", &["a"]), ("q", &["x", "y"]), None).unwrap_or_else(|e| panic!("{e}"));
        got.sort();
        assert_eq!(
            got,
            vec![pair(None, None, 1, 1), pair(Some(0), Some(0), 2, 2)]
        );
    }

    #[test]
    fn an_empty_frame_has_no_pairs() {
        let df = DataFrame::new_infer_height(vec![codes("g", &[]), codes("q", &[])])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            pairs(&df, ("g", &["a"]), ("q", &["x"]), None).ok(),
            Some(vec![])
        );
    }

    #[test]
    fn a_column_of_text_is_refused() {
        let df = DataFrame::new_infer_height(vec![
            Column::new("g".into(), &["a"]),
            codes("q", &[Some("x")]),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(pairs(&df, ("g", &["a"]), ("q", &["x"]), None).is_err());
    }
}
