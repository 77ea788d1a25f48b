//! A study as people read it, shared by the app and the shell.
//!
//! What lives here knows no ratatui and no clap: it may use `study` (and the other bottom
//! layers) but never `cli` or `tui`. So far it holds `safe_text`, the one step every string from
//! the input passes through before it reaches a terminal, and the width and words helpers both
//! print with.

pub mod criteria;
pub mod safe_text;
pub mod width;
pub mod words;
