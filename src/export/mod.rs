//! Files for people to take away: breakdown tables as CSV and HTML rows,
//! the HTML report (and, later, anonymised response exports).
pub mod disclosure;
pub mod formats;
pub mod kanon;
pub mod release;
pub mod report;
pub mod scrub;
pub mod table;

#[cfg(test)]
mod tests;

use crate::domain::Consultation;
use crate::storage::CurrentResponse;
use release::ExportResponse;

use crate::analysis::{Breakdown, GroupRow};

/// A breakdown as a table: one row per group and one for all respondents;
/// per option its count, percentage and 95% interval (percentages to one
/// decimal place, as people read them; the JSON API has them unrounded).
pub fn breakdown_csv(b: &Breakdown) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "group_code".to_owned(),
        "group".to_owned(),
        "n".to_owned(),
        "skipped".to_owned(),
        "small_base".to_owned(),
    ];
    for o in &b.options {
        for suffix in ["count", "percent", "ci95_lower", "ci95_upper"] {
            header.push(format!("{}_{suffix}", o.code));
        }
    }
    w.write_record(&header)?;
    let one = |x: Option<f64>| x.map(|v| format!("{v:.1}")).unwrap_or_default();
    let write_row = |w: &mut csv::Writer<Vec<u8>>, g: &GroupRow| -> Result<(), csv::Error> {
        let mut record = vec![
            g.code.clone(),
            neutralise(&g.label),
            g.n.to_string(),
            g.skipped.to_string(),
            g.small_base.to_string(),
        ];
        for o in &b.options {
            let ci = g.ci95.get(&o.code).copied().flatten();
            record.push(g.counts.get(&o.code).copied().unwrap_or(0).to_string());
            record.push(one(g.percent.get(&o.code).copied().flatten()));
            record.push(one(ci.map(|c| c.lower)));
            record.push(one(ci.map(|c| c.upper)));
        }
        w.write_record(&record)
    };
    write_row(&mut w, &b.total)?;
    for g in &b.groups {
        write_row(&mut w, g)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Stored responses as answer sets under `c`.
/// Read one at a time: each stored row is freed once parsed.
pub fn responses(
    c: &Consultation,
    rows: Vec<CurrentResponse>,
) -> impl Iterator<Item = ExportResponse> + '_ {
    rows.into_iter().map(|r| ExportResponse {
        answers: crate::domain::answers::from_json_lenient(
            c,
            &serde_json::from_str(&r.answers).unwrap_or_default(),
        ),
        id: r.response_id,
        submitted_at: r.submitted_at,
    })
}

/// A cell that a spreadsheet would run as a formula gets a leading
/// apostrophe, so that it is shown as text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}
