//! One file per part of the screen. The study panes build their lines from the full record
//! (`document`), which `update` caches per width; `view` only draws what is cached.

pub mod criteria;
pub mod export;
pub mod facets;
pub mod help;
pub mod list;
pub mod note;
pub mod outcomes;
pub mod overview;
pub mod picker;
pub mod profiles;
pub mod record;
pub mod screenings;
pub mod sites;
pub mod status_bar;

// The keys of each pane and overlay, beside what draws it.
pub mod criteria_keys;
pub mod export_keys;
pub mod facets_keys;
pub mod find;
pub mod note_keys;
pub mod outcomes_keys;
pub mod overlay_keys;
pub mod picker_keys;
pub mod profiles_keys;
pub mod record_keys;
pub mod sites_keys;

/// A study from the bundled `assets/`, for the panes' tests.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn bundled_study(id: &str) -> crate::study::Study {
    let path = format!("{}/assets/{id}.json", env!("CARGO_MANIFEST_DIR"));
    crate::catalog::parse_study(&std::fs::read(path).unwrap()).unwrap()
}
