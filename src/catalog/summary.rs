//! The compact row kept per study: what the list shows and the filters test, without the full
//! record. Strings are boxed slices because 600k summaries must stay small.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::interner::{self, Interner};

use crate::source::{Locator, Order, Origin};
use crate::study::Study;
use crate::study::age::Age;
use crate::study::date::PartialDate;
use crate::study::enums::{
    AgencyClass, EnrollmentType, InterventionType, Phase, Sex, StandardAge, Status, StudyType,
};
use crate::study::record::ProtocolSection;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    pub id: Box<str>,
    pub brief_title: Arc<str>,
    pub official_title: Option<Arc<str>>,
    pub acronym: Option<Box<str>>,
    pub status: Option<Status>,
    pub phases: Box<[Phase]>,
    pub study_type: Option<StudyType>,
    pub start: Option<PartialDate>,
    pub primary_completion: Option<PartialDate>,
    pub completion: Option<PartialDate>,
    pub first_posted: Option<PartialDate>,
    pub last_update: Option<PartialDate>,
    pub enrollment: Option<u64>,
    pub enrollment_actual: bool,
    #[serde(with = "interner::optional_text")]
    pub sponsor: Option<Arc<str>>,
    /// The lead sponsor's class (industry, NIH, other...): the funder type, for facets.
    pub funder: Option<AgencyClass>,
    /// Distinct, in the record's order: the interventions' types, for facets.
    pub intervention_types: Box<[InterventionType]>,
    #[serde(with = "interner::texts")]
    pub conditions: Box<[Arc<str>]>,
    /// Distinct, in the order the sites list them.
    #[serde(with = "interner::texts")]
    pub countries: Box<[Arc<str>]>,
    /// The states of the sites in the United States, distinct, for `state:`.
    #[serde(with = "interner::texts")]
    pub us_states: Box<[Arc<str>]>,
    pub sex: Option<Sex>,
    pub minimum_age: Option<Age>,
    pub maximum_age: Option<Age>,
    /// The registry's standard age groups (CHILD, ADULT, OLDER_ADULT), as the record lists them.
    pub age_groups: Box<[StandardAge]>,
    pub healthy_volunteers: Option<bool>,
    /// The thresholds of an open study's criteria, for `fits:` (see [`super::fits`]); none for
    /// a closed one.
    pub rules: Box<[super::fits::Rule]>,
    pub has_results: bool,
    /// The record's [fingerprint](crate::study::changes::fingerprint): `nct diff` skips a study
    /// whose fingerprint is the same in both inputs. Set by the loader, which has the record's text.
    pub content: u64,
    /// In the user's bookmarks: set by whoever loaded them (the app, `nct search`), never stored
    /// in the catalog cache.
    #[serde(skip)]
    pub bookmarked: bool,
    /// What changed since the inputs the app compares with (`nct NEW --since OLD`), as
    /// [`ChangedWhat`](crate::query::filter::ChangedWhat) bits, for `changed:`; 0 when unchanged
    /// or nothing is compared. Set by the app, never stored in the catalog cache.
    #[serde(skip)]
    pub changed: u8,
    /// The user's note on the study, for `note:`; set and kept like `bookmarked`.
    #[serde(skip)]
    pub note: Option<Box<str>>,
    pub locator: Locator,
    pub origin: Origin,
    pub order: Order,
    /// The study's document key in the full-text index while loading (unique within one load,
    /// even one without an index); not stored, since the cache keeps each document's place.
    #[serde(skip)]
    pub index_key: u64,
}

fn boxed(s: &Option<String>) -> Option<Box<str>> {
    s.as_deref().map(Box::from)
}

impl Summary {
    /// The summary of `study`; texts many studies share come from `shared`.
    pub fn new(study: &Study, locator: Locator, origin: Origin, order: Order, shared: &Interner) -> Summary {
        let no_protocol = ProtocolSection::default();
        let protocol = study.protocol_section.as_ref().unwrap_or(&no_protocol);
        let ident = &protocol.identification_module;
        let status = &protocol.status_module;
        let design = &protocol.design_module;
        let eligibility = &protocol.eligibility_module;
        let mut countries: Vec<Arc<str>> = Vec::new();
        let mut us_states: Vec<Arc<str>> = Vec::new();
        for location in &protocol.contacts_locations_module.locations {
            if let Some(country) = location.country.as_deref()
                && !countries.iter().any(|c| &**c == country)
            {
                countries.push(shared.intern(country));
            }
            // Other countries' states (provinces, regions) would make `state:georgia` or
            // `state:wa` find sites abroad.
            if location.country.as_deref() == Some("United States")
                && let Some(state) = location.state.as_deref()
                && !us_states.iter().any(|s| &**s == state)
            {
                us_states.push(shared.intern(state));
            }
        }
        let mut intervention_types: Vec<InterventionType> = Vec::new();
        for intervention in &protocol.arms_interventions_module.interventions {
            if let Some(kind) = &intervention.r#type
                && !intervention_types.contains(kind)
            {
                intervention_types.push(kind.clone());
            }
        }
        let mut age_groups: Vec<StandardAge> = Vec::new();
        for group in &eligibility.std_ages {
            if !age_groups.contains(group) {
                age_groups.push(group.clone());
            }
        }
        let lead_sponsor = &protocol.sponsor_collaborators_module.lead_sponsor;
        Summary {
            id: study.nct_id().unwrap_or_default().trim().to_ascii_uppercase().into(),
            brief_title: ident
                .brief_title
                .as_deref()
                .or(ident.official_title.as_deref())
                .unwrap_or("(no title)")
                .into(),
            official_title: ident.official_title.as_deref().map(Arc::from),
            acronym: boxed(&ident.acronym),
            status: status.overall_status.clone(),
            phases: design.phases.clone().into(),
            study_type: design.study_type.clone(),
            start: status.start_date_struct.date,
            primary_completion: status.primary_completion_date_struct.date,
            completion: status.completion_date_struct.date,
            first_posted: status.study_first_post_date_struct.date.or(status.study_first_submit_date),
            last_update: study.last_update(),
            enrollment: design.enrollment_info.count,
            enrollment_actual: design.enrollment_info.r#type == Some(EnrollmentType::Actual),
            sponsor: lead_sponsor.name.as_deref().map(|name| shared.intern(name)),
            funder: lead_sponsor.class.clone(),
            intervention_types: intervention_types.into(),
            conditions: protocol.conditions_module.conditions.iter().map(|c| shared.intern(c)).collect(),
            countries: countries.into(),
            us_states: us_states.into(),
            sex: eligibility.sex.clone(),
            minimum_age: eligibility.minimum_age,
            maximum_age: eligibility.maximum_age,
            age_groups: age_groups.into(),
            healthy_volunteers: eligibility.healthy_volunteers,
            rules: super::fits::rules_of(status.overall_status.as_ref(), eligibility),
            has_results: study.has_results.unwrap_or(false) || study.results_section.is_some(),
            content: 0,
            bookmarked: false,
            changed: 0,
            note: None,
            locator,
            origin,
            order,
            index_key: 0,
        }
    }
}

/// Marks each study with what the user keeps on it, for `bookmarked:` and `note:`.
pub fn mark_studies(
    studies: &mut [Summary],
    bookmarks: &crate::user::bookmarks::Bookmarks,
    notes: &std::collections::BTreeMap<String, String>,
) {
    for summary in studies {
        mark_study(summary, bookmarks, notes);
    }
}

/// [`mark_studies`] for one study.
pub fn mark_study(
    summary: &mut Summary,
    bookmarks: &crate::user::bookmarks::Bookmarks,
    notes: &std::collections::BTreeMap<String, String>,
) {
    summary.bookmarked = bookmarks.contains(&summary.id);
    summary.note = notes.get(&*summary.id).map(|n| Box::from(n.as_str()));
}
