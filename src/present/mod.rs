//! A study as people read it, shared by the app and the shell.
//!
//! What lives here knows no ratatui and no clap: it may use `study` (and the other bottom
//! layers) but never `cli` or `tui`. A study becomes a [`document::Document`] (sections of
//! facts, notes, registry text, entries and tables), built part by part by the modules named
//! after those parts; the shell writes a document as text or markdown and the panes style its
//! blocks. Beside it: `safe_text`, the one step every string from the input passes through
//! before it reaches a terminal (kept in `study`, below, because the catalog's exports need it
//! too, and handed on here); `width`, fitting text and table columns to a width; `groups`,
//! a results table laid out in a width; and `words`, counts and short phrases as people read
//! them.

pub mod changes;
pub mod criteria;
pub mod distance;
pub mod document;
pub mod eligibility;
pub mod groups;
pub mod outcomes;
pub mod overview;
pub mod record;
pub mod references;
pub mod results;
pub mod screening_log;
pub use crate::study::safe_text;
pub mod sharing;
pub mod sites;
pub mod study;
pub mod width;
pub mod words;
