//! Pages for policy staff: every route under `/staff`.
pub(crate) mod audit;
pub(crate) mod dashboard;
pub(crate) mod index;
pub(crate) mod question;
