//! A chart's content in words, for screen readers: every figure drawn.
use super::Kind;
use super::grouped::{group_label, percent};
use crate::analysis::{Breakdown, GroupRow};

fn row(b: &Breakdown, g: &GroupRow, label: String) -> String {
    if g.n == 0 {
        return format!("{label}: no answers");
    }
    let parts: Vec<String> = b
        .options
        .iter()
        .map(|o| {
            let p = g.percent.get(&o.code).copied().flatten().unwrap_or(0.0);
            format!("{} {}", o.label, percent(p))
        })
        .collect();
    format!("{label}: {}", parts.join(", "))
}

pub fn describe(b: &Breakdown, kind: Kind, filters: Option<&str>) -> String {
    let by = b.by_text.trim_end_matches('?');
    let everyone = std::iter::once(&b.total).chain(&b.groups);
    let text = match kind {
        Kind::Stacked => {
            let rows: Vec<String> = everyone.map(|g| row(b, g, group_label(g))).collect();
            format!("100% stacked bar chart by {by}. {}.", rows.join("; "))
        }
        Kind::Grouped => {
            let rows: Vec<String> = everyone.map(|g| row(b, g, group_label(g))).collect();
            format!(
                "Grouped bar chart by {by}: for each group, the share of those who answered \
                 who chose each option. {}.",
                rows.join("; ")
            )
        }
        Kind::Overall => format!(
            "Bar chart of all respondents. {}.",
            row(b, &b.total, group_label(&b.total))
        ),
    };
    match filters {
        Some(f) => format!("{f}. {text}"),
        None => text,
    }
}
