//! k-anonymity over the quasi-identifiers: every combination of their
//! values in a release is shared by at least k rows.
//!
//! Greedy, bottom-up: while some combination is shared by fewer than k
//! rows, take the step that protects the most rows per row changed: in one
//! quasi-identifier, merge its smallest answer into a generalised value
//! ("Merged: ..."); only when no merge helps, withhold a quasi-identifier
//! for everyone. Once the rows still at risk are few (at most 5% of all),
//! those rows are withheld instead.
use super::plan::Column;
use super::values::Values;
use serde::Serialize;
// A fast hash: the classes are counted over every row, three times.
use foldhash::HashMap;

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
    /// The rows released, in ascending order: those not withheld.
    pub rows: Vec<usize>,
    /// The smallest class among them (see `min_class`).
    pub min_class: Option<usize>,
}

type Key = Vec<Option<String>>;

/// Rows per combination of the `qi` columns' values (borrowed from
/// them), over the rows `rows` picks.
fn class_sizes<'a>(
    values: &'a [Values],
    cols: &'a [Column],
    qi: &[usize],
    rows: impl IntoIterator<Item = usize>,
) -> HashMap<Vec<Option<&'a str>>, usize> {
    let mut sizes: HashMap<Vec<Option<&str>>, usize> = HashMap::default();
    // One key buffer for every row: a new key is made only per class.
    let mut key = Vec::with_capacity(qi.len());
    for i in rows {
        key.clear();
        key.extend(qi.iter().map(|&j| values[j].cell(i, &cols[j].categories)));
        match sizes.get_mut(key.as_slice()) {
            Some(n) => *n += 1,
            None => {
                sizes.insert(key.clone(), 1);
            }
        }
    }
    sizes
}

fn all_rows(values: &[Values]) -> std::ops::Range<usize> {
    0..values.first().map_or(0, Values::len)
}

/// The search works on the distinct combinations of quasi-identifier
/// values with their row counts, not on the rows: a few hundred entries
/// however many responses there are.
type Combos = Vec<(Key, usize)>;

fn combos(values: &[Values], cols: &[Column], qi: &[usize]) -> Combos {
    class_sizes(values, cols, qi, all_rows(values))
        .into_iter()
        .map(|(key, n)| (key.into_iter().map(|v| v.map(str::to_owned)).collect(), n))
        .collect()
}

/// Entries with equal keys joined (after a merge or a withholding).
fn joined(c: &Combos) -> HashMap<&Key, usize> {
    let mut sizes: HashMap<&Key, usize> = HashMap::default();
    for (key, n) in c {
        *sizes.entry(key).or_default() += n;
    }
    sizes
}

/// Rows whose combination is shared by fewer than k rows.
fn at_risk(c: &Combos, k: usize) -> usize {
    joined(c).into_values().filter(|&n| n < k).sum()
}

/// The size of the smallest class among the rows `rows` picks; None
/// without rows or quasi-identifiers. Tests check `protect`'s own figure
/// against it.
#[cfg(test)]
pub fn min_class(
    values: &[Values],
    cols: &[Column],
    qi: &[usize],
    rows: &[usize],
) -> Option<usize> {
    if qi.is_empty() {
        return (!rows.is_empty()).then_some(rows.len());
    }
    class_sizes(values, cols, qi, rows.iter().copied())
        .into_values()
        .min()
}

/// The answer merged next in position j: the smallest one not yet merged
/// (two of them when nothing is merged yet). None when nothing is left.
fn next_merge(c: &Combos, j: usize) -> Option<Vec<String>> {
    let mut counts: HashMap<&str, usize> = HashMap::default();
    for (key, n) in c {
        if let Some(v) = key[j].as_deref() {
            *counts.entry(v).or_default() += n;
        }
    }
    if counts.contains_key(WITHHELD) {
        return None;
    }
    let has_merged = counts.contains_key(MERGED);
    let mut by_size: Vec<(&str, usize)> =
        counts.into_iter().filter(|(v, _)| *v != MERGED).collect();
    // Smallest first; ties in code order, so the result is reproducible.
    by_size.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let take = if has_merged { 1 } else { 2 };
    (by_size.len() >= take).then(|| {
        by_size
            .iter()
            .take(take)
            .map(|(v, _)| (*v).to_owned())
            .collect()
    })
}

/// Merges `codes` in position j; returns the rows changed.
fn merge(c: &mut Combos, j: usize, codes: &[String]) -> usize {
    let mut changed = 0;
    for (key, n) in c.iter_mut() {
        if key[j].as_ref().is_some_and(|v| codes.contains(v)) {
            key[j] = Some(MERGED.to_owned());
            changed += *n;
        }
    }
    changed
}

/// Withholds position j; returns the rows changed (all of them).
fn withhold(c: &mut Combos, j: usize) -> usize {
    for (key, _) in c.iter_mut() {
        key[j] = Some(WITHHELD.to_owned());
    }
    c.iter().map(|(_, n)| n).sum()
}

enum Step {
    Merge(usize, Vec<String>),
    Withhold(usize),
}

/// Makes the rows k-anonymous over the `qi` columns, recording
/// categories added to `cols` for generalised and withheld values. Rows
/// still at risk are left out of `Outcome::rows`, not removed from the
/// columns: at a million rows, moving every column would cost more than
/// the rest of the search.
pub fn protect(values: &mut [Values], qi: &[usize], cols: &mut [Column], k: usize) -> Outcome {
    let mut out = Outcome {
        rows: all_rows(values).collect(),
        ..Outcome::default()
    };
    if qi.is_empty() {
        out.min_class = (!out.rows.is_empty()).then_some(out.rows.len());
        return out;
    }
    let rows = out.rows.len();
    let max_row_suppression = (rows as f64 * ROW_SUPPRESSION_SHARE).floor() as usize;
    // Positions in the combination key, 0..qi.len().
    let positions: Vec<usize> = (0..qi.len()).collect();
    let mut c = combos(values, cols, qi);
    let mut merged: HashMap<usize, Vec<String>> = HashMap::default();
    let mut withheld: Vec<usize> = Vec::new();
    loop {
        let risky = at_risk(&c, k);
        if risky <= max_row_suppression {
            break;
        }
        // Score every possible step: rows protected per row changed. When
        // no single step protects anyone (several must combine), the step
        // that joins the most combinations per row changed moves closer.
        let classes = joined(&c).len();
        let mut best: Option<((f64, f64), Step)> = None;
        for &j in positions.iter().filter(|j| !withheld.contains(j)) {
            let mut steps = vec![Step::Withhold(j)];
            if let Some(codes) = next_merge(&c, j) {
                steps.push(Step::Merge(j, codes));
            }
            for step in steps {
                let mut trial = c.clone();
                let changed = match &step {
                    Step::Merge(j, codes) => merge(&mut trial, *j, codes),
                    Step::Withhold(j) => withhold(&mut trial, *j),
                };
                let gain = risky.saturating_sub(at_risk(&trial, k));
                let fewer = classes.saturating_sub(joined(&trial).len());
                if gain == 0 && fewer == 0 {
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
                let score = (per_row(gain), per_row(fewer));
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, step));
                }
            }
        }
        match best {
            Some((_, Step::Merge(j, codes))) => {
                merge(&mut c, j, &codes);
                merged.entry(j).or_default().extend(codes);
            }
            Some((_, Step::Withhold(j))) => {
                withhold(&mut c, j);
                withheld.push(j);
            }
            None => {
                // No single step helps (the quasi-identifiers move
                // together): withhold the one with the most values, and go on.
                let distinct = |j: usize| {
                    c.iter()
                        .filter_map(|(key, _)| key[j].as_deref())
                        .collect::<std::collections::HashSet<_>>()
                        .len()
                };
                let Some(j) = positions
                    .iter()
                    .copied()
                    .filter(|j| !withheld.contains(j))
                    .max_by_key(|&j| distinct(j))
                else {
                    break;
                };
                withhold(&mut c, j);
                withheld.push(j);
            }
        }
    }
    // The decisions, applied to the columns once.
    for (p, &j) in qi.iter().enumerate() {
        if withheld.contains(&p) {
            cols[j].categories.push((
                WITHHELD.to_owned(),
                "Withheld to protect respondents".into(),
            ));
            apply(&mut values[j], &cols[j].categories, |_| true);
            out.suppressed_columns.push(cols[j].name.clone());
        } else if let Some(codes) = merged.get(&p) {
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
            apply(&mut values[j], &cols[j].categories, |v| {
                v.is_some_and(|v| codes.iter().any(|c| c == v))
            });
            out.generalised.push(Generalisation {
                question: cols[j].name.clone(),
                merged: codes,
                into: MERGED.to_owned(),
                label,
            });
        }
    }
    // The combinations now hold what the columns hold: the classes' sizes
    // come from them, with no pass over the rows unless some are still at
    // risk, and those are withheld row by row.
    let sizes: HashMap<Vec<Option<&str>>, usize> = joined(&c)
        .into_iter()
        .map(|(key, n)| (key.iter().map(Option::as_deref).collect(), n))
        .collect();
    if sizes.values().any(|&n| n < k) {
        let mut key = Vec::with_capacity(qi.len());
        out.rows.retain(|&i| {
            key.clear();
            key.extend(qi.iter().map(|&j| values[j].cell(i, &cols[j].categories)));
            sizes.get(key.as_slice()).is_some_and(|&n| n >= k)
        });
    }
    out.suppressed_rows = rows - out.rows.len();
    out.min_class = sizes.into_values().filter(|&n| n >= k).min();
    out
}

/// Replaces the values `replace` picks with the column's last category
/// (the one just added: merged or withheld).
fn apply(v: &mut Values, categories: &[(String, String)], replace: impl Fn(Option<&str>) -> bool) {
    let Some((last, _)) = categories.last() else {
        return;
    };
    match v {
        Values::Codes(col) => {
            let to = u16::try_from(categories.len() - 1).ok();
            let hit: Vec<bool> = categories
                .iter()
                .map(|(c, _)| replace(Some(c.as_str())))
                .collect();
            let none = replace(None);
            for x in col.iter_mut() {
                let chosen = match x {
                    Some(c) => hit.get(usize::from(*c)).copied().unwrap_or(false),
                    None => none,
                };
                if chosen {
                    *x = to;
                }
            }
        }
        Values::Text(col) => {
            let replaced = col
                .iter()
                .map(|x| if replace(x) { Some(last.as_str()) } else { x })
                .collect();
            *col = replaced;
        }
        // Quasi-identifiers are single answers: never flags.
        Values::Flags(_) => {}
    }
}
