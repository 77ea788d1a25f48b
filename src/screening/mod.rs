//! Screening a patient against a study's eligibility: patient profiles and what their values
//! are (`profile`), whether a value meets a criterion's threshold once units are brought
//! together (`judge`), and the per-criterion checklist a coordinator fills in, rolled up to a
//! verdict (`checklist`). Plain data and rules: files are kept by `user`, the query filter
//! `fits:` is answered by `catalog`, and the Criteria pane and `nct screenings` show them.

pub mod checklist;
pub mod judge;
pub mod profile;
