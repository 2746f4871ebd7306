//! `consult`: member consultations and survey analysis.
//!
//! Layers, each using only the one below it: `web` (HTTP handlers and pages)
//! → `catalogue` (loaded consultations) → `domain` (typed definitions and
//! answers) → `storage` (diesel, SQLite or PostgreSQL) → `analysis`
//! (results from stored answers, cached per data version).
pub mod analysis;
pub mod catalogue;
pub mod charts;
pub mod cli;
pub mod domain;
pub mod export;
pub mod ingest;
pub mod paged;
pub mod startup;
pub mod storage;
pub mod synth;
pub mod telemetry;
pub mod web;
