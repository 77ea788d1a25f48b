//! `fits:NAME`: the value of the patient-profile filter, as typed. The query reads the name
//! only; the profile is looked up later, by whoever holds the user's profiles (`nct search`,
//! the app), through `catalog::fits::resolve_profiles`, which also points at a name that names
//! no profile. What a profile fits is the catalog's to answer (`catalog::fits`).

use std::sync::Arc;

use crate::screening::profile::Profile;

/// What `fits:` asks about.
#[derive(Debug, Clone, PartialEq)]
pub struct Fits {
    /// The profile's name as typed.
    pub name: String,
    /// The profile, once looked up; a filter left without one matches no study.
    pub profile: Option<Arc<Profile>>,
    /// The profile's conditions, folded as `cond:` folds its value.
    pub conditions: Vec<String>,
    /// Where the name is in the query (1-based column and length, in chars), to point at it.
    pub column: usize,
    pub len: usize,
}

impl Fits {
    /// Attaches the profile the name names.
    pub fn resolve(&mut self, profile: &Profile) {
        self.conditions = profile.conditions.iter().map(|c| super::fold(c.trim())).collect();
        self.profile = Some(Arc::new(profile.clone()));
    }
}

/// Reads `fits:`'s value: a profile name (letters, digits, `-`, `_`, `.`).
pub(crate) fn parse_fits(value: &str) -> Result<Fits, String> {
    let name = value.trim();
    if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(format!(
            "fits: expected a profile's name (letters, digits, '-', '_', '.'), as in fits:P-014; not {name:?}"
        ));
    }
    Ok(Fits { name: name.to_string(), profile: None, conditions: Vec::new(), column: 0, len: 0 })
}
