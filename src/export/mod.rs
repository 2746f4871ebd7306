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
use crate::storage::CurrentAnswer;
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

/// Stored rows (ordered by response) as one answer set per response.
pub fn responses(c: &Consultation, rows: &[CurrentAnswer]) -> Vec<ExportResponse> {
    use crate::domain::QuestionKind;
    use serde_json::{Map, Value};
    let mut out: Vec<(String, chrono::NaiveDateTime, Map<String, Value>)> = Vec::new();
    for r in rows {
        if out.last().is_none_or(|(id, _, _)| *id != r.response_id) {
            out.push((r.response_id.clone(), r.submitted_at, Map::new()));
        }
        let Some((_, _, raw)) = out.last_mut() else {
            continue;
        };
        let multiple = c
            .question(&r.question_id)
            .is_some_and(|q| matches!(q.kind, QuestionKind::MultipleChoice { .. }));
        match (&r.option_code, &r.text_value) {
            (Some(code), _) if multiple => {
                let entry = raw
                    .entry(r.question_id.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(codes) = entry {
                    codes.push(Value::String(code.clone()));
                }
            }
            (Some(v), _) | (None, Some(v)) => {
                raw.insert(r.question_id.clone(), Value::String(v.clone()));
            }
            (None, None) => {}
        }
    }
    out.into_iter()
        .map(|(id, submitted_at, raw)| ExportResponse {
            id,
            submitted_at,
            answers: crate::domain::answers::from_json_lenient(c, &raw),
        })
        .collect()
}

/// A cell that a spreadsheet would run as a formula gets a leading
/// apostrophe, so that it is shown as text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}
