//! k-anonymity over the quasi-identifiers: every combination of their
//! values in a release is shared by at least k rows.
//!
//! Greedy, bottom-up: while some combination is shared by fewer than k
//! rows, take the step that protects the most rows per row changed: in one
//! quasi-identifier, merge its smallest answer into a generalised value
//! ("Merged: ..."); only when no merge helps, withhold a quasi-identifier
//! for everyone. Once the rows still at risk are few (at most 5% of all),
//! those rows are withheld instead.
use super::release::Column;
use serde::Serialize;
use std::collections::HashMap;

pub const MERGED: &str = "_merged";
pub const WITHHELD: &str = "_withheld";

/// Withhold rows instead of a whole column when at most this share of the
/// rows are at risk.
const ROW_SUPPRESSION_SHARE: f64 = 0.05;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generalisation {
    pub question: String,
    /// The answer codes shown as one value.
    pub merged: Vec<String>,
    pub into: String,
    pub label: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub generalised: Vec<Generalisation>,
    pub suppressed_columns: Vec<String>,
    pub suppressed_rows: usize,
}

type Key = Vec<Option<String>>;

fn key(row: &[Option<String>], qi: &[usize]) -> Key {
    qi.iter().map(|&j| row[j].clone()).collect()
}

fn class_sizes(rows: &[Vec<Option<String>>], qi: &[usize]) -> HashMap<Key, usize> {
    let mut sizes = HashMap::new();
    for r in rows {
        *sizes.entry(key(r, qi)).or_default() += 1;
    }
    sizes
}

/// Rows whose combination is shared by fewer than k rows.
fn at_risk(rows: &[Vec<Option<String>>], qi: &[usize], k: usize) -> usize {
    let sizes = class_sizes(rows, qi);
    rows.iter().filter(|r| sizes[&key(r, qi)] < k).count()
}

/// The size of the smallest class; None without rows or quasi-identifiers.
pub fn min_class(rows: &[Vec<Option<String>>], qi: &[usize]) -> Option<usize> {
    if qi.is_empty() {
        return (!rows.is_empty()).then_some(rows.len());
    }
    class_sizes(rows, qi).into_values().min()
}

/// The answer merged next in column j: the smallest one not yet merged
/// (two of them when nothing is merged yet). None when nothing is left.
fn next_merge(rows: &[Vec<Option<String>>], j: usize) -> Option<Vec<String>> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for r in rows {
        if let Some(v) = r[j].as_deref() {
            *counts.entry(v).or_default() += 1;
        }
    }
    if counts.contains_key(WITHHELD) {
        return None;
    }
    let mut by_size: Vec<(&str, usize)> =
        counts.into_iter().filter(|(v, _)| *v != MERGED).collect();
    // Smallest first; ties in code order, so the result is reproducible.
    by_size.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let has_merged = rows.iter().any(|r| r[j].as_deref() == Some(MERGED));
    let take = if has_merged { 1 } else { 2 };
    (by_size.len() >= take).then(|| {
        by_size
            .iter()
            .take(take)
            .map(|(v, _)| (*v).to_owned())
            .collect()
    })
}

fn merge(rows: &mut [Vec<Option<String>>], j: usize, codes: &[String]) -> usize {
    let mut changed = 0;
    for r in rows.iter_mut() {
        if r[j].as_ref().is_some_and(|v| codes.contains(v)) {
            r[j] = Some(MERGED.to_owned());
            changed += 1;
        }
    }
    changed
}

fn withhold(rows: &mut [Vec<Option<String>>], j: usize) {
    for r in rows.iter_mut() {
        r[j] = Some(WITHHELD.to_owned());
    }
}

enum Step {
    Merge(usize, Vec<String>),
    Withhold(usize),
}

/// Makes `rows` k-anonymous over the `qi` columns, recording categories
/// added to `cols` for generalised and withheld values.
pub fn protect(
    rows: &mut Vec<Vec<Option<String>>>,
    qi: &[usize],
    cols: &mut [Column],
    k: usize,
) -> Outcome {
    let mut out = Outcome::default();
    if qi.is_empty() {
        return out;
    }
    let max_row_suppression = (rows.len() as f64 * ROW_SUPPRESSION_SHARE).floor() as usize;
    let mut merged: HashMap<usize, Vec<String>> = HashMap::new();
    let mut withheld: Vec<usize> = Vec::new();
    loop {
        let risky = at_risk(rows, qi, k);
        if risky <= max_row_suppression {
            break;
        }
        // Score every possible step: rows protected per row changed. When
        // no single step protects anyone (several must combine), the step
        // that joins the most combinations per row changed moves closer.
        let classes = class_sizes(rows, qi).len();
        let mut best: Option<((f64, f64), Step)> = None;
        for &j in qi.iter().filter(|j| !withheld.contains(j)) {
            let mut steps = vec![Step::Withhold(j)];
            if let Some(codes) = next_merge(rows, j) {
                steps.push(Step::Merge(j, codes));
            }
            for step in steps {
                let mut trial = rows.clone();
                let changed = match &step {
                    Step::Merge(j, codes) => merge(&mut trial, *j, codes),
                    Step::Withhold(j) => {
                        withhold(&mut trial, *j);
                        trial.len()
                    }
                };
                let gain = risky.saturating_sub(at_risk(&trial, qi, k));
                let joined = classes.saturating_sub(class_sizes(&trial, qi).len());
                if gain == 0 && joined == 0 {
                    continue;
                }
                // Merging keeps more for analysis than withholding a whole
                // column: a withholding counts only when no merge helps.
                let weight = if matches!(step, Step::Withhold(_)) {
                    1e-6
                } else {
                    1.0
                };
                let per_row = |x: usize| weight * x as f64 / changed.max(1) as f64;
                let score = (per_row(gain), per_row(joined));
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, step));
                }
            }
        }
        match best {
            Some((_, Step::Merge(j, codes))) => {
                merge(rows, j, &codes);
                merged.entry(j).or_default().extend(codes);
            }
            Some((_, Step::Withhold(j))) => {
                withhold(rows, j);
                withheld.push(j);
            }
            None => {
                // No single step helps (the quasi-identifiers move
                // together): withhold the one with the most values, and go on.
                let distinct = |j: usize| {
                    rows.iter()
                        .filter_map(|r| r[j].as_deref())
                        .collect::<std::collections::HashSet<_>>()
                        .len()
                };
                let Some(j) = qi
                    .iter()
                    .copied()
                    .filter(|j| !withheld.contains(j))
                    .max_by_key(|&j| distinct(j))
                else {
                    break;
                };
                withhold(rows, j);
                withheld.push(j);
            }
        }
    }
    // What is still at risk is withheld row by row.
    let sizes = class_sizes(rows, qi);
    let before = rows.len();
    rows.retain(|r| sizes[&key(r, qi)] >= k);
    out.suppressed_rows = before - rows.len();
    for &j in qi {
        if withheld.contains(&j) {
            cols[j].categories.push((
                WITHHELD.to_owned(),
                "Withheld to protect respondents".into(),
            ));
            out.suppressed_columns.push(cols[j].name.clone());
        } else if let Some(codes) = merged.get(&j) {
            let mut codes = codes.clone();
            codes.sort();
            let labels: Vec<String> = cols[j]
                .categories
                .iter()
                .filter(|(c, _)| codes.contains(c))
                .map(|(_, l)| l.clone())
                .collect();
            let label = format!("Merged: {}", labels.join("; "));
            cols[j].categories.push((MERGED.to_owned(), label.clone()));
            out.generalised.push(Generalisation {
                question: cols[j].name.clone(),
                merged: codes,
                into: MERGED.to_owned(),
                label,
            });
        }
    }
    out
}
