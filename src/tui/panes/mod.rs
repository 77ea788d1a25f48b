//! One file per part of the screen. The study panes build their lines from the full record
//! (`document`), which `update` caches per width; `view` only draws what is cached.

pub mod criteria;
pub mod help;
pub mod list;
pub mod outcomes;
pub mod overview;
pub mod sites;
pub mod status_bar;
