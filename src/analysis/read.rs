//! A consultation's frame read from storage, its pages built into frames
//! on two threads while they are read, so that a cold start at a million
//! responses uses both cores.
use super::{AnalysisError, frame};
use crate::domain::Consultation;
use crate::storage::{ClosedRow, Store};
use polars::prelude::DataFrame;
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
    let mut frames = Vec::new();
    let version = crate::pipeline::shared(
        |give| store.each_closed_page(consultation_id, page.max(1), give),
        |rows: Vec<ClosedRow>| frame::build(c, &rows),
        |f| frames.push(f),
    )?;
    let mut frames = frames.into_iter();
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
}
