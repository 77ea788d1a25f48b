//! A study as people read it, shared by the app and the shell.
//!
//! What lives here knows no ratatui and no clap: it may use `study` (and the other bottom
//! layers) but never `cli` or `tui`. So far it holds the width and words helpers both print with,
//! and hands on `safe_text`, the one step every string from the input passes through before it
//! reaches a terminal (kept in `study`, below, because the catalog's exports need it too).

pub use crate::study::safe_text;
pub mod width;
pub mod words;
