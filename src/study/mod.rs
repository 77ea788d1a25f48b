//! What a study record is: serde types for the ClinicalTrials.gov API v2 record, the text
//! helpers that turn the registry's markup into something a person can read, and the website's
//! CSV row of a record; and `safe_text`, the one step input text takes before any terminal or
//! export shows it.

pub mod age;
pub mod changes;
pub mod date;
pub mod derived;
pub mod eligibility;
pub mod enums;
pub mod export;
pub mod geo;
pub mod lenient;
pub mod markup;
pub mod record;
pub mod reference;
pub mod results;
pub mod safe_text;
pub mod threshold;

pub use record::Study;

/// A study from the bundled `assets/` (records as the registry wrote them), for tests.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn bundled(id: &str) -> Study {
    let path = format!("{}/assets/{id}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}
