//! `fits:NAME`: the open studies a patient profile may fit, answered from the summary.
//!
//! A study fits when
//! - it is open: recruiting, not yet recruiting, enrolling by invitation, or available
//!   (`status:open`'s statuses);
//! - its registered age range holds the profile's age, its sex field takes the profile's sex,
//!   and, for a profile of a healthy volunteer, it accepts healthy volunteers (a patient,
//!   `healthy=no`, may join either kind); a field the profile or the study lacks never excludes;
//! - one of its conditions holds one of the profile's conditions, folded, as `cond:` matches
//!   (a profile without conditions skips this);
//! - and no threshold read from its criteria is violated: an inclusion criterion whose threshold
//!   the profile's value lies outside, or an exclusion criterion whose threshold it lies within
//!   (`screening::judge`). A value the profile lacks, or one that does not convert, is unknown
//!   and never a violation. An inclusion criterion that offers alternatives (its text says "or"
//!   between thresholds of different measures, it reads one measure twice, or it or its
//!   section asks for "one of" its items) is violated only when every threshold in it is.
//!
//! The thresholds are read once, while loading, and only for open studies (the first open pays
//! for those alone): [`rules_of`] keeps them per study, in the comparison unit of their
//! measure, in the summary and the catalog cache.

use serde::{Deserialize, Serialize};

use super::Summary;
use crate::query::fits::Fits;
use crate::query::{AgeRange, Expr, Filter, OPEN_STATUSES, Query, QueryError, contains_folded, takes_sex};
use crate::screening::judge::{self, Judgement, Resolved};
use crate::screening::profile::{Profile, Sex as ProfileSex};
use crate::study::eligibility::{Criterion, SectionKind, split_criteria};
use crate::study::enums::{Sex, Status};
use crate::study::record::EligibilityModule;
use crate::user::profiles::Profiles;

/// Thresholds of one criterion (with those of its items when they are alternatives), in their
/// measures' comparison units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub exclusion: bool,
    /// The thresholds are alternatives: an inclusion rule is violated only when all are.
    pub alternatives: bool,
    pub thresholds: Box<[Resolved]>,
}

/// Words in a criterion that make its items alternatives.
const ANY_OF: &[&str] =
    &["one of the following", "any of the following", "either of the following", "at least one of"];

/// The rules of a study's criteria, for an open study; none for another (`fits:` keeps open
/// studies only, so reading their criteria would be wasted).
pub fn rules_of(status: Option<&Status>, eligibility: &EligibilityModule) -> Box<[Rule]> {
    let open = status.is_some_and(|s| OPEN_STATUSES.contains(s));
    let Some(text) = eligibility.eligibility_criteria.as_deref().filter(|_| open) else {
        return Box::default();
    };
    let mut rules = Vec::new();
    for section in split_criteria(text).sections {
        let exclusion = match section.kind {
            SectionKind::Inclusion => false,
            SectionKind::Exclusion => true,
            // neither: what a threshold there decides is not known
            SectionKind::Other => continue,
        };
        let intro = section.intro.join(" ").to_lowercase();
        if ANY_OF.iter().any(|w| intro.contains(w)) {
            // "Patients must meet one of the following": the section's items are alternatives
            let thresholds: Vec<Resolved> = section
                .items
                .iter()
                .flat_map(|item| item.walk())
                .flat_map(|(_, c)| c.thresholds.iter().filter_map(judge::resolve))
                .collect();
            if !thresholds.is_empty() {
                rules.push(Rule { exclusion, alternatives: true, thresholds: thresholds.into() });
            }
            continue;
        }
        for item in &section.items {
            collect(item, exclusion, &mut rules);
        }
    }
    rules.into()
}

fn collect(item: &Criterion, exclusion: bool, rules: &mut Vec<Rule>) {
    let lower = item.text.to_lowercase();
    if !item.children.is_empty() && ANY_OF.iter().any(|w| lower.contains(w)) {
        let thresholds: Vec<Resolved> =
            item.walk().iter().flat_map(|(_, c)| c.thresholds.iter().filter_map(judge::resolve)).collect();
        if !thresholds.is_empty() {
            rules.push(Rule { exclusion, alternatives: true, thresholds: thresholds.into() });
        }
        return;
    }
    let thresholds: Vec<Resolved> = item.thresholds.iter().filter_map(judge::resolve).collect();
    if !thresholds.is_empty() {
        let measures_differ =
            thresholds.iter().any(|t| thresholds.first().is_some_and(|f| f.measure != t.measure));
        let said_or = lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == "or");
        // "ECOG 0-1 (2 if due to the disease)": one measure read twice in a criterion is
        // alternatives too, so that a value only one reading admits is not ruled out
        let repeated = thresholds
            .iter()
            .enumerate()
            .any(|(i, t)| thresholds.iter().skip(i + 1).any(|u| u.measure == t.measure));
        let alternatives = (measures_differ && said_or) || repeated;
        rules.push(Rule { exclusion, alternatives, thresholds: thresholds.into() });
    }
    for child in &item.children {
        collect(child, exclusion, rules);
    }
}

/// Whether a rule rules the profile out.
fn violated(rule: &Rule, profile: &Profile) -> bool {
    let judged = rule.thresholds.iter().map(|t| judge::judge_resolved(profile, t));
    let bad = if rule.exclusion { Judgement::Within } else { Judgement::Outside };
    if rule.alternatives && !rule.exclusion {
        let mut any = false;
        for j in judged {
            if j != bad {
                return false;
            }
            any = true;
        }
        any
    } else {
        judged.into_iter().any(|j| j == bad)
    }
}

/// Whether the study answers `fits:` for the profile it names (none looked up: no study).
pub fn fits(summary: &Summary, asked: &Fits) -> bool {
    let Some(profile) = asked.profile.as_deref() else { return false };
    if !summary.status.as_ref().is_some_and(|s| OPEN_STATUSES.contains(s)) {
        return false;
    }
    if let Some(age) = profile.age_years {
        let range = AgeRange { low: std::ops::Bound::Included(age), high: std::ops::Bound::Included(age) };
        if !range.accepts(summary.minimum_age.as_ref(), summary.maximum_age.as_ref()) {
            return false;
        }
    }
    if let Some(sex) = profile.sex {
        let asked = match sex {
            ProfileSex::Female => Sex::Female,
            ProfileSex::Male => Sex::Male,
        };
        if !takes_sex(summary.sex.as_ref(), &asked) {
            return false;
        }
    }
    if profile.healthy_volunteer == Some(true) && summary.healthy_volunteers != Some(true) {
        return false;
    }
    if !asked.conditions.is_empty()
        && !summary
            .conditions
            .iter()
            .any(|c| asked.conditions.iter().any(|wanted| contains_folded(c, wanted)))
    {
        return false;
    }
    !summary.rules.iter().any(|rule| violated(rule, profile))
}

/// Looks up the profile of every `fits:` in the query; the first one's profile is returned (the
/// app's active profile). A name that names no profile is the query's mistake, pointing at it
/// and naming the profiles there are.
pub fn resolve_profiles(query: &mut Query, profiles: &Profiles) -> Result<Option<Profile>, QueryError> {
    let Query::Expr(expr) = query else { return Ok(None) };
    let mut first = None;
    resolve_in(expr, profiles, &mut first)?;
    Ok(first)
}

fn resolve_in(expr: &mut Expr, profiles: &Profiles, first: &mut Option<Profile>) -> Result<(), QueryError> {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => {
            for part in parts {
                resolve_in(part, profiles, first)?;
            }
        }
        Expr::Not(inner) => resolve_in(inner, profiles, first)?,
        Expr::Text(_) => {}
        Expr::Filter(Filter::Fits(asked)) => {
            let Some(profile) = profiles.get(&asked.name) else {
                let names: Vec<&str> = profiles.names().collect();
                let there = if names.is_empty() {
                    "there are none yet: make one with nct profile NAME --set age=67 …".to_string()
                } else {
                    format!("the profiles are {}", names.join(", "))
                };
                return Err(QueryError {
                    column: asked.column.max(1),
                    len: asked.len.max(1),
                    message: format!("fits: no profile named {:?}; {there}", asked.name),
                });
            };
            asked.resolve(profile);
            if first.is_none() {
                *first = Some(profile.clone());
            }
            if let Some(near) = profile.place.as_deref().and_then(|place| near_of_place(place, asked)) {
                let fits = std::mem::replace(expr, Expr::And(Vec::new()));
                *expr = Expr::And(vec![fits, near]);
            }
        }
        Expr::Filter(_) => {}
    }
    Ok(())
}

/// The `near:` filter a profile's place stands for (at `near:`'s default radius), pointing at
/// the `fits:` value, so that a place no site names is the query's mistake there; resolved by
/// the catalog's places after this, as a typed `near:` is. A place that does not read as one
/// (a stray `:` taken for a radius) adds nothing.
fn near_of_place(place: &str, asked: &crate::query::fits::Fits) -> Option<Expr> {
    let mut near = crate::query::near::parse_near(place).ok()?;
    (near.column, near.len) = (asked.column, asked.len);
    Some(Expr::Filter(Filter::Near(near)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::testing::summary;

    fn profile(settings: &[(&str, &str)]) -> Profile {
        let mut p = Profile::named("P-1");
        for (k, v) in settings {
            p.set(k, v).unwrap();
        }
        p
    }

    fn asked(p: &Profile) -> Fits {
        let mut fits = crate::query::fits::parse_fits("P-1").unwrap();
        fits.resolve(p);
        fits
    }

    fn study(status: &str, criteria: &str) -> Summary {
        let criteria = serde_json::to_string(criteria).unwrap();
        summary(&format!(
            r#""statusModule": {{"overallStatus": "{status}"}},
               "eligibilityModule": {{"eligibilityCriteria": {criteria}, "minimumAge": "18 Years", "sex": "ALL"}}"#
        ))
    }

    #[test]
    fn alternatives_in_one_criterion_need_every_one_violated() {
        let s = study(
            "RECRUITING",
            "Inclusion Criteria:\n\n* Creatinine ≤ 1.5 mg/dL or creatinine clearance ≥ 60 mL/min\n",
        );
        assert_eq!(s.rules.len(), 1);
        assert!(s.rules[0].alternatives);
        let one_ok = profile(&[("creatinine", "2.0 mg/dL"), ("crcl", "70 mL/min")]);
        let none_ok = profile(&[("creatinine", "2.0 mg/dL"), ("crcl", "50 mL/min")]);
        let one_known_bad = profile(&[("creatinine", "2.0 mg/dL")]);
        assert!(fits(&s, &asked(&one_ok)));
        assert!(!fits(&s, &asked(&none_ok)));
        // the clearance is unknown: it may meet the criterion
        assert!(fits(&s, &asked(&one_known_bad)));
    }

    #[test]
    fn one_measure_read_twice_in_a_criterion_is_alternatives() {
        let s = study(
            "RECRUITING",
            "Inclusion Criteria:\n\n* ECOG 0-1 (patients with ECOG 2-3 may enrol if due to the disease)\n",
        );
        assert!(s.rules.iter().all(|r| r.alternatives), "{:?}", s.rules);
        assert!(fits(&s, &asked(&profile(&[("ecog", "1")]))));
        assert!(fits(&s, &asked(&profile(&[("ecog", "3")]))));
        assert!(!fits(&s, &asked(&profile(&[("ecog", "4")]))));
    }

    #[test]
    fn one_of_the_following_makes_items_alternatives() {
        let nested = study(
            "RECRUITING",
            "Inclusion Criteria:\n\n1. Adequate function, one of the following:\n   a. ANC ≥ 1.5 x 10^9/L\n   b. Platelets ≥ 100 x 10^9/L\n2. Age 18 or older\n",
        );
        let section = study(
            "RECRUITING",
            "Inclusion Criteria:\n\nPatients must meet one of the following:\n\n* ANC ≥ 1.5 x 10^9/L\n* Platelets ≥ 100 x 10^9/L\n",
        );
        let every =
            study("RECRUITING", "Inclusion Criteria:\n\n* ANC ≥ 1.5 x 10^9/L\n* Platelets ≥ 100 x 10^9/L\n");
        let one = profile(&[("anc", "1.0 x10^9/L"), ("platelets", "150 x10^9/L")]);
        let neither = profile(&[("anc", "1.0 x10^9/L"), ("platelets", "50 x10^9/L")]);
        for s in [&nested, &section] {
            assert!(s.rules.iter().any(|r| r.alternatives), "{:?}", s.rules);
            assert!(fits(s, &asked(&one)));
            assert!(!fits(s, &asked(&neither)));
        }
        assert!(!fits(&every, &asked(&one)));
    }

    #[test]
    fn closed_studies_keep_no_rules_and_never_fit() {
        let s = study("COMPLETED", "Inclusion Criteria:\n\n* ANC ≥ 1.5 x 10^9/L\n");
        assert!(s.rules.is_empty());
        assert!(!fits(&s, &asked(&profile(&[]))));
    }
}
