//! A patient profile: what is known of one (pseudonymous) patient that eligibility asks about.

/// One patient's values; every field may be unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// The profile's name, as `fits:NAME` and `nct profile NAME` call it.
    pub name: String,
    pub age_years: Option<f64>,
}
