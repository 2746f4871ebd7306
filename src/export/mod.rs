//! Files for people to take away: breakdown tables as CSV and HTML rows,
//! the HTML report, and releases of the responses themselves (anonymised
//! unless asked otherwise) with their codebook and disclosure report.
mod builder;
pub mod cached;
pub mod coding;
pub mod disclosure;
pub mod formats;
pub mod kanon;
pub mod plan;
pub mod quotes;
pub mod release;
pub mod report;
pub mod scrub;
pub mod table;
pub mod text_section;
pub mod values;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod themes_tests;

use crate::domain::Consultation;
use crate::storage::{CurrentResponse, StorageError, Store};
use builder::Builder;
use release::{Options, Release};
use uuid::Uuid;

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
    // A free-text question's answers not coded yet are in no base.
    let coded = b.total.uncoded.is_some();
    if coded {
        header.insert(4, "uncoded".to_owned());
    }
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
        if coded {
            record.insert(4, g.uncoded.unwrap_or(0).to_string());
        }
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

/// The release of a consultation's stored responses, with a 0/1 column per
/// live theme of each coded free-text question, read a page at a time
/// and each dropped once added. Pages are parsed on two threads and added
/// in order as they are done, so that at a million responses the parsed
/// pages are never held beside the whole release.
pub fn release_stored(
    store: &Store,
    c: &Consultation,
    consultation_id: Uuid,
    opts: &Options,
) -> Result<Release, ExportError> {
    let coding = coding::Coding::read(store, consultation_id)?;
    let mut all = Builder::new(c, &coding, opts);
    let mut failed = None;
    crate::pipeline::shared(
        |give| store.each_current_page(consultation_id, give),
        |rows: Vec<CurrentResponse>| {
            let mut b = Builder::new(c, &coding, opts);
            b.reserve(rows.len());
            for row in &rows {
                b.push(row)?;
            }
            Ok(b)
        },
        |b: Result<Builder<'_>, plan::Mismatch>| {
            if failed.is_none()
                && let Err(e) = b.and_then(|b| all.append(b))
            {
                failed = Some(e);
            }
        },
    )?;
    match failed {
        Some(e) => Err(e.into()),
        None => Ok(all.finish()),
    }
}

/// Why a release could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Layout(#[from] plan::Mismatch),
}

/// A cell that a spreadsheet would run as a formula gets a leading
/// apostrophe, so that it is shown as text (OWASP's rule for CSV
/// injection): one starting with `=`, `+`, `-`, `@`, tab, carriage return,
/// line feed or NUL, or with `=`, `+`, `-` or `@` after characters a
/// spreadsheet skips (blanks, no-break and zero-width spaces, controls).
pub fn neutralise(cell: &str) -> String {
    let starts_formula = match cell.chars().next() {
        Some('\t' | '\r' | '\n' | '\0') => true,
        _ => cell
            .chars()
            .find(|&c| !skipped_before_formula(c))
            .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠')),
    };
    if starts_formula {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// Blank and invisible characters: white space (no-break and ideographic
/// spaces among them), controls, and the zero-width and byte-order marks.
fn skipped_before_formula(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}' | '\u{180e}'
        )
}
