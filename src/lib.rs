//! `consult`: member consultations and survey analysis.
//!
//! Layers, each using only those below it (lowest first):
//!
//! `domain` (typed definitions, ids and answers, parsed once at the edge)
//! ← `storage` (diesel on SQLite or PostgreSQL; `catalogue` records the
//! loaded definitions there) ← `analysis` (results from stored answers,
//! cached per data version) ← `charts` ← `export` (files to take away)
//! ← `web` (HTTP handlers and pages; `startup` builds the server) ← `cli`.
//!
//! `pipeline` (pages read on one thread, worked on two), `synth` and `ingest` serve the
//! layers that use them and use only those below.
pub mod analysis;
pub mod catalogue;
pub mod charts;
pub mod cli;
pub mod domain;
pub mod export;
pub mod ingest;
pub mod pipeline;
pub mod startup;
pub mod storage;
pub mod synth;
pub mod telemetry;
#[cfg(test)]
mod test_support;
pub mod web;
