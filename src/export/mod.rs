//! Files for people to take away: breakdown tables as CSV and HTML rows,
//! the HTML report (and, later, anonymised response exports).
pub mod disclosure;
pub mod formats;
pub mod kanon;
pub mod release;
pub mod report;
pub mod scrub;
pub mod table;
pub mod values;

#[cfg(test)]
mod tests;

use crate::domain::Consultation;
use crate::storage::{CurrentResponse, StorageError, Store};
use release::{Builder, ExportResponse, Options, Release};
use std::sync::mpsc::TrySendError;
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

/// A stored response as an answer set under `c`.
pub fn parse(c: &Consultation, row: CurrentResponse) -> ExportResponse {
    ExportResponse {
        answers: crate::domain::answers::from_document(c, &row.answers),
        id: row.response_id,
        submitted_at: row.submitted_at,
    }
}

/// The release of a consultation's stored responses, read a page at a time
/// and each dropped once added. Reading stays on this thread; parsing is
/// shared with a second one, which takes a page whenever it is free.
pub fn release_stored(
    store: &Store,
    c: &Consultation,
    consultation_id: Uuid,
    opts: &Options,
) -> Result<Release, StorageError> {
    const PAGE: usize = 2_000;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<CurrentResponse>)>(1);
    std::thread::scope(|scope| {
        let helper = scope.spawn(move || {
            let mut pages = Vec::new();
            for (n, rows) in rx {
                let mut b = Builder::new(c, opts);
                rows.into_iter().for_each(|row| b.push(&parse(c, row)));
                pages.push((n, b));
            }
            pages
        });
        let mut pages = Vec::new();
        let (mut page, mut n) = (Vec::with_capacity(PAGE), 0);
        let mut hand_over = |page: Vec<CurrentResponse>, n: usize| {
            // The helper takes a page whenever it is free; otherwise this
            // thread parses it, so neither waits for the other.
            let page = match tx.try_send((n, page)) {
                Ok(()) => return,
                Err(TrySendError::Full((_, page))) | Err(TrySendError::Disconnected((_, page))) => {
                    page
                }
            };
            let mut b = Builder::new(c, opts);
            for row in page {
                b.push(&parse(c, row));
            }
            pages.push((n, b));
        };
        let read = store.each_current_response(consultation_id, |row| {
            page.push(row);
            if page.len() == PAGE {
                hand_over(std::mem::replace(&mut page, Vec::with_capacity(PAGE)), n);
                n += 1;
            }
        });
        hand_over(page, n);
        drop(tx);
        let helped = helper
            .join()
            .map_err(|_| StorageError::Corrupt("an export worker stopped".into()))?;
        read?;
        pages.extend(helped);
        // Pages back in stored order.
        pages.sort_by_key(|(n, _)| *n);
        let mut all = Builder::new(c, opts);
        all.reserve_for(pages.iter().map(|(_, b)| b));
        for (_, b) in pages {
            all.append(b);
        }
        Ok(all.finish())
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
