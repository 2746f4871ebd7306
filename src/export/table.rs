//! A breakdown as an HTML table's rows, with display rounding.
use crate::analysis::{Breakdown, GroupRow};
use crate::domain::QuestionType;

pub struct Cell {
    pub percent: String,
    pub count: u64,
    /// "95% CI 49.0–94.3%", or empty.
    pub interval: String,
}

pub struct Row {
    pub label: String,
    pub n: u64,
    pub skipped: u64,
    pub small_base: bool,
    /// A free-text question: answers not coded yet, in no percentage.
    pub uncoded: Option<u64>,
    pub cells: Vec<Cell>,
    pub is_total: bool,
}

pub struct Table {
    pub columns: Vec<String>,
    /// A free-text question's table, with a "not coded yet" column.
    pub coded: bool,
    pub rows: Vec<Row>,
    /// The chi-square test in words, or why there is none.
    pub test: String,
}

fn row(b: &Breakdown, g: &GroupRow, is_total: bool) -> Row {
    Row {
        label: g.label.clone(),
        n: g.n,
        skipped: g.skipped,
        small_base: g.small_base,
        uncoded: g.uncoded,
        is_total,
        cells: b
            .options
            .iter()
            .map(|o| {
                let pct = g.percent.get(&o.code).copied().flatten();
                let ci = g.ci95.get(&o.code).copied().flatten();
                Cell {
                    percent: pct.map_or_else(|| "–".into(), |p| format!("{p:.0}%")),
                    count: g.counts.get(&o.code).copied().unwrap_or(0),
                    interval: ci.map_or_else(String::new, |c| {
                        format!("95% CI {:.1}–{:.1}%", c.lower, c.upper)
                    }),
                }
            })
            .collect(),
    }
}

pub fn table(b: &Breakdown) -> Table {
    let mut rows = vec![row(b, &b.total, true)];
    rows.extend(b.groups.iter().map(|g| row(b, g, false)));
    let test = match &b.test {
        Some(t) => format!(
            "Chi-square test of independence: {:.1} on {} degrees of freedom, p {}{}.",
            t.statistic,
            t.df,
            if t.p_value < 0.001 {
                "< 0.001".to_owned()
            } else {
                format!("= {:.3}", t.p_value)
            },
            if t.low_expected_counts {
                "; some expected counts are below 5, so treat the p-value with caution"
            } else {
                ""
            }
        ),
        None if b.kind == QuestionType::FreeText => {
            "An answer can carry more than one theme: percentages are of the answers coded in each group, answers not coded yet are counted apart, and no test of independence applies.".into()
        }
        None if b.kind == QuestionType::MultipleChoice => {
            "Respondents could choose more than one option: percentages are of those in each group who answered, and no test of independence applies.".into()
        }
        None => "Too few groups or options have answers for a test of independence.".into(),
    };
    Table {
        columns: b.options.iter().map(|o| o.label.clone()).collect(),
        coded: b.total.uncoded.is_some(),
        rows,
        test,
    }
}
