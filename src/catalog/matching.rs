//! Whether a study's summary passes a filter. The query language (`query`) knows nothing of
//! summaries: its filters are answered here, from the fields a summary keeps, where the
//! catalog's columns do not hold them (or there are none yet); a query's tree is walked by
//! [`super::columns::Plan`]. The rules are the query's (see `query::filter`); this is where
//! they meet the data.
//!
//! A trait on the query's filter, so that a test reads as a question put to the filter
//! (`filter.matches(summary)`), while the query module stays free of summaries.

use super::Summary;
use crate::query::{DateField, Filter, TextField, contains_folded, takes_sex};
use crate::study::date::PartialDate;

/// A filter tested against the fields of a summary.
pub trait FilterOnSummary {
    /// Whether the study passes, or `None` when the summary does not hold the field (`city:`,
    /// `intr:`): then [`Filter::text_term`] is the question to put to the full-text index.
    fn matches(&self, summary: &Summary) -> Option<bool>;
}

impl FilterOnSummary for Filter {
    fn matches(&self, summary: &Summary) -> Option<bool> {
        let answer = match self {
            Filter::Status(statuses) => summary.status.as_ref().is_some_and(|s| statuses.contains(s)),
            Filter::Phase(phases) => phases.iter().all(|p| summary.phases.contains(p)),
            Filter::Type(study_type) => summary.study_type.as_ref() == Some(study_type),
            Filter::Funder(class) => summary.funder.as_ref() == Some(class),
            Filter::AgeGroup(group) => summary.age_groups.contains(group),
            Filter::InterventionType(kind) => summary.intervention_types.contains(kind),
            Filter::Sex(sex) => takes_sex(summary.sex.as_ref(), sex),
            Filter::Age(range) => range.accepts(summary.minimum_age.as_ref(), summary.maximum_age.as_ref()),
            Filter::Healthy(yes) => (summary.healthy_volunteers == Some(true)) == *yes,
            Filter::Results(yes) => summary.has_results == *yes,
            Filter::Bookmarked(yes) => summary.bookmarked == *yes,
            Filter::Changed(what) => summary.changed & what.bit() != 0,
            Filter::Note(value) => summary.note.as_deref().is_some_and(|note| contains_folded(note, value)),
            Filter::Date { field, range } => {
                date_of(*field, summary).is_some_and(|date| range.contains(date))
            }
            Filter::Id(prefix) => summary.id.starts_with(prefix.as_str()),
            Filter::Country(country) => summary.countries.iter().any(|c| country.is_named(c)),
            Filter::State(state) => summary.us_states.iter().any(|s| state.is_named(s)),
            Filter::Fits(asked) => super::fits::fits(summary, asked),
            Filter::Near(_) => return None,
            Filter::Text { field, value } => {
                let has = |text: &str| contains_folded(text, value);
                match field {
                    TextField::Title => {
                        has(&summary.brief_title)
                            || summary.official_title.as_deref().is_some_and(has)
                            || summary.acronym.as_deref().is_some_and(has)
                    }
                    TextField::Condition => summary.conditions.iter().any(|c| has(c)),
                    TextField::Sponsor => summary.sponsor.as_deref().is_some_and(has),
                    TextField::Country => summary.countries.iter().any(|c| has(c)),
                    TextField::City | TextField::Intervention => return None,
                }
            }
        };
        Some(answer)
    }
}

/// The summary's date that a date filter tests.
pub(super) fn date_of(field: DateField, summary: &Summary) -> Option<PartialDate> {
    match field {
        DateField::Start => summary.start,
        DateField::Completion => summary.completion,
        DateField::Posted => summary.first_posted,
        DateField::Updated => summary.last_update,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::columns::{Columns, Plan};
    use crate::catalog::testing::{summary, text_in_summary};
    use crate::query::filter::field_kind;
    use crate::query::parse;
    use crate::query::{Query, TextTerm};
    use crate::study::enums::{AgencyClass, InterventionType, StandardAge};

    fn filter(field: &str, value: &str) -> Filter {
        field_kind(field).unwrap().parse_value(value).unwrap()
    }

    fn error(field: &str, value: &str) -> String {
        field_kind(field).unwrap().parse_value(value).unwrap_err()
    }

    fn matches(field: &str, value: &str, json: &str) -> bool {
        filter(field, value).matches(&summary(json)).unwrap()
    }

    #[test]
    fn phase_two_matches_a_phase_one_two_study_and_one_slash_two_needs_both() {
        let both = r#""designModule": {"phases": ["PHASE1", "PHASE2"]}"#;
        let two = r#""designModule": {"phases": ["PHASE2"]}"#;
        let none = r#""designModule": {"studyType": "OBSERVATIONAL"}"#;
        assert!(matches("phase", "2", both));
        assert!(matches("phase", "1", both));
        assert!(matches("phase", "1/2", both));
        assert!(matches("phase", "2", two));
        assert!(!matches("phase", "1/2", two));
        assert!(!matches("phase", "3", both));
        assert!(!matches("phase", "na", none));
        assert!(matches("phase", "na", r#""designModule": {"phases": ["NA"]}"#));
    }

    #[test]
    fn status_open_and_closed() {
        let with = |status: &str| format!(r#""statusModule": {{"overallStatus": "{status}"}}"#);
        for open in ["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "AVAILABLE"] {
            assert!(matches("status", "open", &with(open)), "{open}");
            assert!(!matches("status", "closed", &with(open)), "{open}");
        }
        for closed in ["COMPLETED", "ACTIVE_NOT_RECRUITING", "TERMINATED", "WITHDRAWN", "UNKNOWN"] {
            assert!(matches("status", "closed", &with(closed)), "{closed}");
            assert!(!matches("status", "open", &with(closed)), "{closed}");
        }
        assert!(matches(
            "status",
            "\"active, not recruiting\"".trim_matches('"'),
            &with("ACTIVE_NOT_RECRUITING")
        ));
        assert!(!matches("status", "open", ""));
        assert!(!matches("status", "closed", ""));
    }

    #[test]
    fn sex_female_matches_studies_open_to_all() {
        let with = |sex: &str| format!(r#""eligibilityModule": {{"sex": "{sex}"}}"#);
        assert!(matches("sex", "female", &with("FEMALE")));
        assert!(matches("sex", "female", &with("ALL")));
        assert!(!matches("sex", "female", &with("MALE")));
        assert!(matches("sex", "male", &with("ALL")));
        assert!(matches("sex", "all", &with("ALL")));
        assert!(!matches("sex", "all", &with("FEMALE")));
        assert!(matches("sex", "female", ""));
    }

    fn ages(min: Option<&str>, max: Option<&str>) -> String {
        let mut fields = Vec::new();
        if let Some(min) = min {
            fields.push(format!(r#""minimumAge": "{min}""#));
        }
        if let Some(max) = max {
            fields.push(format!(r#""maximumAge": "{max}""#));
        }
        format!(r#""eligibilityModule": {{{}}}"#, fields.join(", "))
    }

    #[test]
    fn an_age_is_held_by_the_range_and_a_missing_bound_is_open() {
        assert!(matches("age", "45", &ages(Some("18 Years"), Some("65 Years"))));
        assert!(matches("age", "65", &ages(Some("18 Years"), Some("65 Years"))));
        assert!(!matches("age", "66", &ages(Some("18 Years"), Some("65 Years"))));
        assert!(!matches("age", "17", &ages(Some("18 Years"), Some("65 Years"))));
        assert!(matches("age", "45", &ages(Some("18 Years"), None)));
        assert!(matches("age", "45", &ages(None, Some("50 Years"))));
        assert!(matches("age", "45", &ages(None, None)));
        assert!(matches("age", "1", &ages(Some("6 Months"), Some("12 Months"))));
        assert!(!matches("age", "2", &ages(Some("6 Months"), Some("12 Months"))));
        assert!(matches("age", "18", &ages(Some("216 Months"), None)));
    }

    #[test]
    fn under_and_over_ask_whether_someone_that_age_may_join() {
        assert!(matches("age", "<18", &ages(Some("12 Years"), Some("65 Years"))));
        assert!(matches("age", "<18", &ages(None, Some("65 Years"))));
        assert!(matches("age", "<18", &ages(Some("6 Months"), None)));
        assert!(!matches("age", "<18", &ages(Some("18 Years"), None)));
        assert!(matches("age", "<=18", &ages(Some("18 Years"), None)));
        assert!(matches("age", ">=65", &ages(Some("18 Years"), None)));
        assert!(matches("age", ">=65", &ages(Some("18 Years"), Some("65 Years"))));
        assert!(!matches("age", ">65", &ages(Some("18 Years"), Some("65 Years"))));
        assert!(!matches("age", ">=65", &ages(Some("18 Years"), Some("64 Years"))));
        assert!(matches("age", "60..70", &ages(Some("18 Years"), Some("64 Years"))));
        assert!(!matches("age", "65..70", &ages(Some("18 Years"), Some("64 Years"))));
    }

    #[test]
    fn date_filters_on_partial_dates() {
        let start = |date: &str| format!(r#""statusModule": {{"startDateStruct": {{"date": "{date}"}}}}"#);
        assert!(matches("start", "2019", &start("2019-05")));
        assert!(matches("start", "2019", &start("2019")));
        assert!(matches("start", "2019", &start("2019-12-31")));
        assert!(!matches("start", "2019", &start("2020-01")));
        assert!(matches("start", "2019-05", &start("2019-05-17")));
        assert!(!matches("start", "2019-05", &start("2019")));
        assert!(matches("start", "2019..2021", &start("2021-12")));
        assert!(!matches("start", "2019..2021", &start("2022")));
        assert!(matches("start", ">=2020", &start("2020")));
        assert!(matches("start", ">=2020", &start("2020-01")));
        assert!(!matches("start", ">=2020", &start("2019-12-31")));
        assert!(!matches("start", ">2020", &start("2020-12")));
        assert!(matches("start", ">2020", &start("2021")));
        assert!(matches("start", "<2015-06", &start("2015-05-31")));
        assert!(matches("start", "<2015-06", &start("2015")));
        assert!(!matches("start", "<2015-06", &start("2015-06")));
        assert!(matches("start", "<=2015-06", &start("2015-06-30")));
        assert!(!matches("start", ">=2000", ""));
        let updated = r#""statusModule": {"lastUpdatePostDateStruct": {"date": "2024-06-03"}}"#;
        assert!(matches("updated", ">=2024-06", updated));
        assert!(!matches("updated", ">=2024-07", updated));
        let completion = r#""statusModule": {"completionDateStruct": {"date": "2026"}}"#;
        assert!(matches("completion", "2026", completion));
    }

    #[test]
    fn healthy_results_type_and_id() {
        assert!(matches("healthy", "yes", r#""eligibilityModule": {"healthyVolunteers": true}"#));
        assert!(matches("healthy", "no", r#""eligibilityModule": {"healthyVolunteers": false}"#));
        assert!(matches("healthy", "no", ""));
        assert!(!matches("healthy", "yes", ""));
        assert!(matches("type", "observational", r#""designModule": {"studyType": "OBSERVATIONAL"}"#));
        assert!(!matches("type", "interventional", r#""designModule": {"studyType": "OBSERVATIONAL"}"#));
        assert!(matches("id", "nct0000", ""));
        assert!(matches("id", "NCT00000001", ""));
        assert!(!matches("id", "NCT00000002", ""));
        assert!(!matches("results", "yes", ""));
        assert!(matches("results", "no", ""));
    }

    #[test]
    fn text_filters_look_for_a_folded_substring_and_places_for_the_whole_name() {
        let sites = r#""contactsLocationsModule": {"locations": [
            {"city": "Abidjan", "country": "Côte D'Ivoire"}, {"city": "Boston", "country": "United States"}]}"#;
        assert!(matches("country", "cote d'ivoire", sites));
        assert!(matches("country", "CÔTE D'IVOIRE", sites));
        assert!(matches("country", "united states", sites));
        assert!(matches("country", "US", sites));
        assert!(!matches("country", "france", sites));
        let turkey = r#""contactsLocationsModule": {"locations": [{"country": "Turkey (Türkiye)"}]}"#;
        assert!(matches("country", "turkey", turkey));
        assert!(matches("country", "TR", turkey));
        let georgia = r#""contactsLocationsModule": {"locations": [
            {"city": "Tbilisi", "country": "Georgia"}, {"city": "Tbilisi", "state": "Georgia", "country": "Georgia"}]}"#;
        assert!(matches("country", "georgia", georgia));
        assert!(!matches("state", "georgia", georgia), "a state of a site abroad is not a US state");
        let atlanta = r#""contactsLocationsModule": {"locations": [
            {"city": "Atlanta", "state": "Georgia", "country": "United States"}]}"#;
        assert!(matches("state", "GA", atlanta));
        assert!(matches("state", "georgia", atlanta));
        assert!(!matches("country", "georgia", atlanta));
        assert!(!matches("state", "virginia", atlanta));
        let s = summary(sites);
        assert_eq!(filter("city", "boston").matches(&s), None);
        assert_eq!(filter("intr", "aspirin").matches(&s), None);
        let named = r#""identificationModule": {"nctId": "NCT00000001", "briefTitle": "A Trial of Émpathy",
            "officialTitle": "Official words", "acronym": "ATOE"},
            "conditionsModule": {"conditions": ["Type 2 Diabetes", "Obesity"]},
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Hôpital Saint-Louis"}}"#;
        assert!(matches("title", "empathy", named));
        assert!(matches("title", "official", named));
        assert!(matches("title", "atoe", named));
        assert!(!matches("title", "diabetes", named));
        assert!(matches("cond", "2 diab", named));
        assert!(matches("cond", "obesity", named));
        assert!(matches("sponsor", "hopital saint", named));
        assert!(!matches("sponsor", "pfizer", named));
    }

    #[test]
    fn funder_age_group_and_intervention_type_name_registry_values() {
        assert_eq!(filter("funder", "industry"), Filter::Funder(AgencyClass::Industry));
        assert_eq!(filter("funder", "Other government"), Filter::Funder(AgencyClass::OtherGov));
        assert_eq!(filter("agegroup", "older_adult"), Filter::AgeGroup(StandardAge::OlderAdult));
        assert_eq!(filter("agegroup", "Older Adult"), Filter::AgeGroup(StandardAge::OlderAdult));
        assert_eq!(
            filter("intrtype", "DIETARY_SUPPLEMENT"),
            Filter::InterventionType(InterventionType::DietarySupplement)
        );
        let message = error("funder", "industri");
        assert!(message.contains("did you mean industry?") && message.contains("nih"), "{message}");
        let study = r#""sponsorCollaboratorsModule": {"leadSponsor": {"name": "X", "class": "INDUSTRY"}},
            "eligibilityModule": {"stdAges": ["ADULT", "OLDER_ADULT"]},
            "armsInterventionsModule": {"interventions": [{"type": "DEVICE"}, {"type": "DRUG"}]}"#;
        assert!(matches("funder", "industry", study));
        assert!(!matches("funder", "nih", study));
        assert!(matches("agegroup", "adult", study));
        assert!(!matches("agegroup", "child", study));
        assert!(matches("intrtype", "drug", study));
        assert!(!matches("intrtype", "behavioral", study));
        assert!(!matches("funder", "industry", r#""designModule": {}"#), "no class, no match");
    }

    const STUDY: &str = r#""identificationModule": {"nctId": "NCT00000042", "briefTitle": "Insulin pump in type 1 diabetes"},
        "statusModule": {"overallStatus": "RECRUITING", "startDateStruct": {"date": "2019-05"}},
        "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE1", "PHASE2"]},
        "conditionsModule": {"conditions": ["Diabetes Mellitus, Type 1"]},
        "eligibilityModule": {"sex": "ALL", "minimumAge": "18 Years"},
        "contactsLocationsModule": {"locations": [{"city": "Abidjan", "country": "Côte D'Ivoire"}]}"#;

    /// Whether the study answers `input`, asked as the catalog asks (its columns, then its
    /// summary for what they do not hold).
    fn hits(input: &str) -> bool {
        let study = summary(STUDY);
        let columns = Columns::of(std::slice::from_ref(&study));
        match parse(input).unwrap() {
            Query::All => true,
            Query::Id(id) => *study.id == *id,
            Query::Expr(expr) => {
                Plan::new(&expr, Some(&columns))
                    .matches(0, Some(&study), &text_in_summary(&study), &|_| false)
            }
        }
    }

    #[test]
    fn whole_queries_evaluate_on_a_summary() {
        assert!(hits(""));
        assert!(hits("nct00000042"));
        assert!(!hits("NCT00000043"));
        assert!(hits("insulin diabetes"));
        assert!(hits("Insulin \"type 1 diabetes\""));
        assert!(!hits("\"diabetes type 1\""));
        assert!(hits("\"diabetes mellitus\""));
        assert!(!hits("insulin -pump"));
        assert!(hits("insulin -metformin"));
        assert!(hits("metformin OR insulin"));
        assert!(!hits("metformin OR aspirin"));
        assert!(hits("status:open phase:2 sex:female age:45 start:2019 type:interventional"));
        assert!(hits("status:recruiting phase:1/2 age:>=65 start:2019..2021 -start:<2019"));
        assert!(!hits("age:<18"));
        assert!(hits("country:\"cote d'ivoire\" country:CIV country:ci"));
        assert!(parse("country:cote").unwrap_err().message.contains("did you mean \"Côte D'Ivoire\"?"));
        assert!(hits("NOT status:closed"));
        assert!(hits("city:abidjan OR insulin"));
        assert!(!hits("city:abidjan"));
        assert!(hits("id:NCT0000004 NCT00000042"));
    }

    #[test]
    fn summaries_alone_answer_filter_only_queries() {
        let Query::Expr(expr) = parse("status:open phase:2 (age:45 OR -sex:male)").unwrap() else { panic!() };
        assert!(!expr.needs_text());
        let study = summary(STUDY);
        let no_text = |_: &TextTerm| -> bool { unreachable!("no text term") };
        assert!(Plan::new(&expr, None).matches(0, Some(&study), &no_text, &|_| false));
        for needs in ["a status:open", "city:paris", "-intr:x", "(a OR b)"] {
            let Query::Expr(expr) = parse(needs).unwrap() else { panic!() };
            assert!(expr.needs_text(), "{needs}");
        }
    }
}
