//! What a study record is: serde types for the ClinicalTrials.gov API v2 record, the text
//! helpers that turn the registry's markup into something a person can read, and the website's
//! CSV row of a record.

pub mod age;
pub mod changes;
pub mod date;
pub mod derived;
pub mod eligibility;
pub mod enums;
pub mod export;
pub mod lenient;
pub mod markup;
pub mod record;
pub mod reference;
pub mod results;
pub mod threshold;

pub use record::Study;
