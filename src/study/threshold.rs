//! Thresholds found in one eligibility criterion's text: what is measured (age, ECOG, a named lab
//! value…), how it is compared, the value or range, the unit as written, and time windows.
//!
//! The criteria tree (`study::eligibility`) calls [`find`] on each item's rendered text; the pane,
//! `nct show` and `nct criteria` show what it returns. This file holds the shared shape; the
//! finder fills it in.

use serde::Serialize;

/// How a threshold compares the measured value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparator {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = "=")]
    Equal,
    #[serde(rename = "between")]
    Between,
}

/// One threshold in a criterion, as `nct criteria --format json` writes it:
/// `{"what", "comparator", "value", "low", "high", "unit", "text"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// Canonical name of what is measured: "age", "ECOG", "Karnofsky", "BMI", "ANC", "platelets",
    /// "haemoglobin", "creatinine", "eGFR", "QTc", "LVEF", "washout", "time window"…
    pub what: String,
    pub comparator: Comparator,
    /// The single value for `>=`, `<=`, `>`, `<`, `=`; `None` for `between`.
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The unit as written ("x10^9/L", "mg/dL", "× ULN", "years", "weeks"), or `None`.
    pub unit: Option<String>,
    /// The words of the criterion the threshold was read from.
    pub text: String,
}

/// Every threshold in one criterion's text, in the order they appear.
pub fn find(text: &str) -> Vec<Threshold> {
    let _ = text;
    Vec::new()
}
