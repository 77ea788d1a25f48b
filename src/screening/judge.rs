//! Whether a profile's value meets a threshold read from a criterion.

use super::profile::Profile;
use crate::study::threshold::Threshold;

/// What a profile says about one threshold, as written (whether the criterion is an inclusion
/// or an exclusion is the caller's to read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// The profile's value lies within the threshold.
    Within,
    /// The profile's value lies outside it.
    Outside,
    /// The profile lacks the value, or it cannot be compared (units that do not convert).
    Unknown,
}

/// The profile's value against the threshold.
pub fn judge(_profile: &Profile, _threshold: &Threshold) -> Judgement {
    Judgement::Unknown
}
