//! The JSON API: one handler per file.
pub mod get_consultation;
pub mod get_results;
pub mod list_consultations;
pub mod openapi;
pub mod submission;
pub mod submit_response;
