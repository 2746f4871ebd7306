//! A consultation's frame read from storage: this thread reads the rows
//! while a second one builds pages of them into frames, so that a cold
//! start at a million responses uses both cores.
use super::{AnalysisError, frame};
use crate::domain::Consultation;
use crate::storage::{ClosedRow, Store};
use polars::prelude::{DataFrame, PolarsResult};
use std::sync::mpsc;
use uuid::Uuid;

const PAGE: usize = 25_000;

/// The data version and the frame of every current response.
pub fn frame(
    store: &Store,
    c: &Consultation,
    consultation_id: Uuid,
) -> Result<(i64, DataFrame), AnalysisError> {
    frame_in_pages(store, c, consultation_id, PAGE)
}

/// As `frame`, built `page` rows at a time.
pub fn frame_in_pages(
    store: &Store,
    c: &Consultation,
    consultation_id: Uuid,
    page: usize,
) -> Result<(i64, DataFrame), AnalysisError> {
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<ClosedRow>)>(1);
    std::thread::scope(|scope| {
        let helper = scope.spawn(move || {
            rx.into_iter()
                .map(|(n, rows)| (n, frame::build(c, &rows)))
                .collect::<Vec<_>>()
        });
        let mut pages: Vec<(usize, PolarsResult<DataFrame>)> = Vec::new();
        let mut n: usize = 0;
        let version = store.each_closed_page(consultation_id, page.max(1), |rows| {
            // The helper takes a page whenever it is free; otherwise this
            // thread builds it, so neither waits for the other.
            match tx.try_send((n, rows)) {
                Ok(()) => {}
                Err(mpsc::TrySendError::Full((_, rows)))
                | Err(mpsc::TrySendError::Disconnected((_, rows))) => {
                    pages.push((n, frame::build(c, &rows)));
                }
            }
            n += 1;
        });
        drop(tx);
        let helped = helper
            .join()
            .map_err(|_| polars::prelude::polars_err!(ComputeError: "a frame builder stopped"))?;
        let version = version?;
        pages.extend(helped);
        pages.sort_by_key(|(n, _)| *n);
        let mut frames = pages.into_iter().map(|(_, f)| f);
        let mut df = match frames.next() {
            Some(f) => f?,
            None => frame::build(c, &[])?,
        };
        for f in frames {
            df.vstack_mut_owned(f?)?;
        }
        // One chunk per column: group-bys over many small chunks are slower.
        df.rechunk_mut_par();
        Ok((version, df))
    })
}
