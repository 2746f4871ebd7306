//! The JSON API: one handler per file.
pub mod breakdown_query;
pub mod coding;
pub mod export_access;
pub mod get_breakdown;
pub mod get_chart;
pub mod get_consultation;
pub mod get_export;
pub mod get_headlines;
pub mod get_results;
pub mod json_body;
pub mod list_consultations;
pub mod openapi;
pub mod set_schedule;
pub mod snapshot;
pub mod submission;
pub mod submit_response;
