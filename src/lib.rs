//! nct: read and search ClinicalTrials.gov study records (API v2 JSON) from files, folders and
//! zips, in a terminal app or from the command line.
//!
//! The crate is laid out as its data flows: `source` streams raw study records out of whatever
//! the user points at, `study` is the typed record and its text helpers (among them the one step
//! that makes input text safe for a terminal), `catalog` is the loaded collection (a compact
//! summary per study plus where to re-read it, whether it answers a query, and its cache),
//! `query` the search language, `present` a study as people read it, `cli` prints answers, `tui`
//! is the app, and `user` the user's own folders. The layers point one way (see
//! `tests/architecture.rs`); the binary, above them all, launches the app or runs a command.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

pub mod catalog;
pub mod cli;
pub mod present;
pub mod query;
pub mod screening;
pub mod source;
pub mod study;
pub mod tui;
pub mod user;
