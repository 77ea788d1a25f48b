//! A screening's checklist: an answer per criterion, and the verdict they roll up to.

/// A coordinator's answer to one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Met,
    NotMet,
    Unknown,
    NotApplicable,
}
