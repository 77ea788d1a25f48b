//! Facets: how many studies of a result set have each value of a field (status, phase, country,
//! sponsor, start year…), counted from the summaries, for `nct facets` and the app's panel.
//!
//! A study counts once in each value it has: a PHASE1+PHASE2 study counts for both phases, a
//! study with sites in three countries for each country; a study without the field counts in
//! none. Values are kept as the registry writes them (enum names, country and sponsor names), so
//! that scripts can feed them back into queries; [`Facet::query_term`] writes that filter.
//!
//! Counting reads the catalog's [`Columns`], where each value is a number: one pass over the
//! result set per task, on every core, with one tally per facet counting by number, and the
//! numbers named only once counted.

use std::collections::HashMap;
use std::fmt;

use rayon::prelude::*;

use super::columns::{Columns, Part};
use crate::study::enums::{AgencyClass, InterventionType, Phase, Sex, StandardAge, Status, StudyType};

/// A field the studies are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Status,
    Phase,
    Type,
    Results,
    /// The lead sponsor's class.
    Funder,
    Sex,
    /// The registry's standard age groups.
    AgeGroup,
    Country,
    /// The lead sponsor.
    Sponsor,
    Condition,
    InterventionType,
    StartYear,
}

impl Facet {
    /// Every facet, in the order they are printed and shown.
    pub const ALL: [Facet; 12] = [
        Facet::Status,
        Facet::Phase,
        Facet::Type,
        Facet::Results,
        Facet::Funder,
        Facet::Sex,
        Facet::AgeGroup,
        Facet::Country,
        Facet::Sponsor,
        Facet::Condition,
        Facet::InterventionType,
        Facet::StartYear,
    ];

    /// The part of the catalog's columns the facet is counted from.
    pub fn part(self) -> Part {
        match self {
            Facet::Status => Part::Status,
            Facet::Phase => Part::Phases,
            Facet::Type => Part::StudyType,
            Facet::Results => Part::Flags,
            Facet::Funder => Part::Funder,
            Facet::Sex => Part::Sex,
            Facet::AgeGroup => Part::AgeGroups,
            Facet::Country => Part::Countries,
            Facet::Sponsor => Part::Sponsor,
            Facet::Condition => Part::Conditions,
            Facet::InterventionType => Part::InterventionTypes,
            Facet::StartYear => Part::Dates,
        }
    }

    /// The facet's name in JSON and on the command line (`--field`).
    pub fn name(self) -> &'static str {
        match self {
            Facet::Status => "status",
            Facet::Phase => "phase",
            Facet::Type => "type",
            Facet::Results => "results",
            Facet::Funder => "funder",
            Facet::Sex => "sex",
            Facet::AgeGroup => "age_group",
            Facet::Country => "country",
            Facet::Sponsor => "sponsor",
            Facet::Condition => "condition",
            Facet::InterventionType => "intervention_type",
            Facet::StartYear => "start_year",
        }
    }

    /// The facet called `name` (see [`Facet::name`]).
    pub fn named(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|facet| facet.name() == name)
    }

    /// A heading for people.
    pub fn heading(self) -> &'static str {
        match self {
            Facet::Status => "Status",
            Facet::Phase => "Phase",
            Facet::Type => "Study type",
            Facet::Results => "Results posted",
            Facet::Funder => "Funder type",
            Facet::Sex => "Sex",
            Facet::AgeGroup => "Age group",
            Facet::Country => "Country",
            Facet::Sponsor => "Lead sponsor",
            Facet::Condition => "Condition",
            Facet::InterventionType => "Intervention type",
            Facet::StartYear => "Start year",
        }
    }

    /// `value` as people read it: an enum's label ("Recruiting", "Phase 2", "Industry"), a name
    /// or a year as itself.
    pub fn label(self, value: &FacetValue) -> String {
        let FacetValue::Text(text) = value else { return value.to_string() };
        match self {
            Facet::Status => Status::parse(text).label().to_string(),
            Facet::Phase => Phase::parse(text).label().to_string(),
            Facet::Type => StudyType::parse(text).label().to_string(),
            Facet::Results => match text.as_str() {
                "YES" => "Yes".into(),
                "NO" => "No".into(),
                other => other.into(),
            },
            Facet::Funder => AgencyClass::parse(text).label().to_string(),
            Facet::Sex => Sex::parse(text).label().to_string(),
            Facet::AgeGroup => StandardAge::parse(text).label().to_string(),
            Facet::InterventionType => InterventionType::parse(text).label().to_string(),
            Facet::Country | Facet::Sponsor | Facet::Condition | Facet::StartYear => text.clone(),
        }
    }

    /// The query filter that keeps the studies with `value`, as a user would type it
    /// (`status:recruiting`, `phase:2`, `country:"united states"`); `None` for a facet the query
    /// language has no filter for.
    pub fn query_term(self, value: &FacetValue) -> Option<String> {
        let text = match value {
            FacetValue::Year(year) => return (self == Facet::StartYear).then(|| format!("start:{year}")),
            FacetValue::Text(text) => text.as_str(),
        };
        let field = match self {
            Facet::Status => "status",
            Facet::Type => "type",
            Facet::Funder => "funder",
            Facet::AgeGroup => "agegroup",
            Facet::InterventionType => "intrtype",
            Facet::Results => "results",
            Facet::Sex => "sex",
            Facet::Country => "country",
            Facet::Sponsor => "sponsor",
            Facet::Condition => "cond",
            Facet::Phase => {
                let phase = match Phase::parse(text) {
                    Phase::NotApplicable => "na".to_string(),
                    Phase::EarlyPhase1 => "early1".to_string(),
                    Phase::Phase1 => "1".to_string(),
                    Phase::Phase2 => "2".to_string(),
                    Phase::Phase3 => "3".to_string(),
                    Phase::Phase4 => "4".to_string(),
                    Phase::Other(other) => other.to_lowercase(),
                };
                return Some(format!("phase:{phase}"));
            }
            Facet::StartYear => return None,
        };
        let value = text.to_lowercase().replace('"', "");
        // Quoted when it holds more than one word or a character the query reads itself.
        let plain = value.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        Some(if plain && !value.starts_with('-') {
            format!("{field}:{value}")
        } else {
            format!("{field}:\"{value}\"")
        })
    }
}

/// One value of a facet: a registry text (an enum name, a country, a sponsor) or a year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FacetValue {
    Text(String),
    Year(u16),
}

impl fmt::Display for FacetValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FacetValue::Text(text) => f.write_str(text),
            FacetValue::Year(year) => write!(f, "{year}"),
        }
    }
}

impl FacetValue {
    /// The value in JSON: a year is a number.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            FacetValue::Text(text) => serde_json::Value::from(text.as_str()),
            FacetValue::Year(year) => serde_json::Value::from(*year),
        }
    }
}

/// A value and how many studies have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueCount {
    pub value: FacetValue,
    pub count: usize,
}

/// The counts of a result set: for each facet asked, its values by count (most first), then by
/// value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    /// Studies counted.
    pub total: usize,
    pub facets: Vec<(Facet, Vec<ValueCount>)>,
}

impl FacetCounts {
    /// The counts of one facet, if it was asked for.
    pub fn of(&self, facet: Facet) -> Option<&[ValueCount]> {
        self.facets.iter().find(|(f, _)| *f == facet).map(|(_, counts)| counts.as_slice())
    }

    /// [`FacetCounts::to_json`] as text, with its keys in the documented order (`total` first,
    /// the facets in [`Facet::ALL`]'s order, `value` before `count`) and one value a line.
    pub fn to_json_text(&self) -> String {
        let mut out = format!("{{\n  \"total\": {},\n  \"facets\": {{", self.total);
        for (at, (facet, counts)) in self.facets.iter().enumerate() {
            out.push_str(if at == 0 { "\n" } else { ",\n" });
            out.push_str(&format!("    \"{}\": [", facet.name()));
            for (n, count) in counts.iter().enumerate() {
                out.push_str(if n == 0 { "\n" } else { ",\n" });
                out.push_str(&format!(
                    "      {{\"value\": {}, \"count\": {}}}",
                    count.value.to_json(),
                    count.count
                ));
            }
            out.push_str(if counts.is_empty() { "]" } else { "\n    ]" });
        }
        out.push_str(if self.facets.is_empty() { "}\n}\n" } else { "\n  }\n}\n" });
        out
    }

    /// `{"total": N, "facets": {"status": [{"value": "RECRUITING", "count": 12}, …], …}}`.
    pub fn to_json(&self) -> serde_json::Value {
        let facets: serde_json::Map<String, serde_json::Value> = self
            .facets
            .iter()
            .map(|(facet, counts)| {
                let values = counts
                    .iter()
                    .map(|c| serde_json::json!({ "value": c.value.to_json(), "count": c.count }))
                    .collect();
                (facet.name().to_string(), serde_json::Value::Array(values))
            })
            .collect();
        serde_json::json!({ "total": self.total, "facets": facets })
    }
}

/// Studies counted per task at least: each task has a tally per facet as long as the facet's
/// distinct values (100k conditions in the registry), so tasks are few and long.
const CHUNK: usize = 16_384;

/// Counts `facets` over the studies at `places` (a place out of range is skipped), from the
/// catalog's `columns`.
pub fn count(columns: &Columns, places: &[usize], facets: &[Facet]) -> FacetCounts {
    let tasks = 2 * rayon::current_num_threads().max(1);
    let per_task = places.len().div_ceil(tasks).max(CHUNK);
    let fresh = || facets.iter().map(|facet| Tally::new(values_of(*facet, columns))).collect::<Vec<_>>();
    let (total, tallies) = places
        .par_chunks(per_task)
        .map(|chunk| {
            let mut tallies = fresh();
            let mut total = 0;
            for &place in chunk.iter().filter(|&&place| place < columns.len()) {
                total += 1;
                for (facet, tally) in facets.iter().zip(&mut tallies) {
                    tally_study(*facet, columns, place, tally);
                }
            }
            (total, tallies)
        })
        .reduce(
            || (0, fresh()),
            |(total, mut tallies), (more, others)| {
                for (tally, other) in tallies.iter_mut().zip(others) {
                    tally.merge(other);
                }
                (total + more, tallies)
            },
        );
    let facets = facets
        .iter()
        .zip(tallies)
        .map(|(facet, tally)| (*facet, tally.sorted(|code| value_name(*facet, columns, code))))
        .collect();
    FacetCounts { total, facets }
}

/// Every facet over every study of `columns`.
pub fn count_all(columns: &Columns) -> FacetCounts {
    let places: Vec<usize> = (0..columns.len()).collect();
    count(columns, &places, &Facet::ALL)
}

/// How many values `facet` numbers in `columns` (none for the start year, tallied by year).
fn values_of(facet: Facet, columns: &Columns) -> usize {
    match facet {
        Facet::Status => columns.status.values.len(),
        Facet::Phase => columns.phases.values.len(),
        Facet::Type => columns.study_type.values.len(),
        Facet::Results => 2,
        Facet::Funder => columns.funder.values.len(),
        Facet::Sex => columns.sex.values.len(),
        Facet::AgeGroup => columns.age_groups.values.len(),
        Facet::Country => columns.countries.values.len(),
        Facet::Sponsor => columns.sponsor.values.len(),
        Facet::Condition => columns.conditions.values.len(),
        Facet::InterventionType => columns.intervention_types.values.len(),
        Facet::StartYear => 0,
    }
}

/// The value `facet` numbers `code` in `columns`, as the registry writes it.
fn value_name(facet: Facet, columns: &Columns, code: usize) -> Option<&str> {
    fn name<T>(values: &[T], code: usize, text: impl Fn(&T) -> &str) -> Option<&str> {
        values.get(code).map(text)
    }
    match facet {
        Facet::Status => name(&columns.status.values, code, Status::as_str),
        Facet::Phase => name(&columns.phases.values, code, Phase::as_str),
        Facet::Type => name(&columns.study_type.values, code, StudyType::as_str),
        Facet::Results => ["YES", "NO"].get(code).copied(),
        Facet::Funder => name(&columns.funder.values, code, AgencyClass::as_str),
        Facet::Sex => name(&columns.sex.values, code, Sex::as_str),
        Facet::AgeGroup => name(&columns.age_groups.values, code, StandardAge::as_str),
        Facet::Country => name(&columns.countries.values, code, |text| text),
        Facet::Sponsor => name(&columns.sponsor.values, code, |text| text),
        Facet::Condition => name(&columns.conditions.values, code, |text| text),
        Facet::InterventionType => name(&columns.intervention_types.values, code, InterventionType::as_str),
        Facet::StartYear => None,
    }
}

/// Adds the values of `facet` that the study at `place` has to `tally`, each once.
fn tally_study(facet: Facet, columns: &Columns, place: usize, tally: &mut Tally) {
    let one = |codes: &[u32], tally: &mut Tally| {
        if let Some(code) = codes.get(place).and_then(|code| code.checked_sub(1)) {
            tally.add(code as usize);
        }
    };
    // A value listed twice in one record (a condition, say) counts once.
    let each = |codes: &[u32], tally: &mut Tally| {
        for (at, code) in codes.iter().enumerate() {
            if !codes.get(..at).unwrap_or_default().contains(code) {
                tally.add(*code as usize);
            }
        }
    };
    match facet {
        Facet::Status => one(&columns.status.codes, tally),
        Facet::Phase => each(columns.phases.codes_at(place), tally),
        Facet::Type => one(&columns.study_type.codes, tally),
        Facet::Results => tally.add(usize::from(!columns.has_results.get(place).copied().unwrap_or(false))),
        Facet::Funder => one(&columns.funder.codes, tally),
        Facet::Sex => one(&columns.sex.codes, tally),
        Facet::AgeGroup => each(columns.age_groups.codes_at(place), tally),
        Facet::Country => each(columns.countries.codes_at(place), tally),
        Facet::Sponsor => one(&columns.sponsor.codes, tally),
        Facet::Condition => each(columns.conditions.codes_at(place), tally),
        Facet::InterventionType => each(columns.intervention_types.codes_at(place), tally),
        Facet::StartYear => {
            if let Some(start) = columns.start.get(place).copied().flatten() {
                *tally.years.entry(start.year).or_insert(0) += 1;
            }
        }
    }
}

/// The counts of one facet while counting: by the column's code of each value.
#[derive(Debug, Default)]
struct Tally {
    counts: Vec<usize>,
    years: HashMap<u16, usize>,
}

impl Tally {
    fn new(values: usize) -> Tally {
        Tally { counts: vec![0; values], years: HashMap::new() }
    }

    fn add(&mut self, code: usize) {
        if let Some(count) = self.counts.get_mut(code) {
            *count += 1;
        }
    }

    fn merge(&mut self, other: Tally) {
        self.counts.iter_mut().zip(other.counts).for_each(|(mine, theirs)| *mine += theirs);
        for (year, count) in other.years {
            *self.years.entry(year).or_insert(0) += count;
        }
    }

    /// Most studies first, then by value; `name` gives each code's value.
    fn sorted<'c>(self, name: impl Fn(usize) -> Option<&'c str>) -> Vec<ValueCount> {
        let texts = self.counts.into_iter().enumerate().filter(|(_, count)| *count > 0).filter_map(
            |(code, count)| {
                name(code).map(|value| ValueCount { value: FacetValue::Text(value.to_string()), count })
            },
        );
        let years =
            self.years.into_iter().map(|(year, count)| ValueCount { value: FacetValue::Year(year), count });
        let mut counts: Vec<ValueCount> = texts.chain(years).collect();
        counts.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        counts
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::testing::summary;

    fn values(counts: &FacetCounts, facet: Facet) -> Vec<(String, usize)> {
        counts.of(facet).unwrap().iter().map(|c| (c.value.to_string(), c.count)).collect()
    }

    #[test]
    fn a_study_counts_once_in_each_value_it_has() {
        let studies = vec![
            summary(
                r#""designModule": {"phases": ["PHASE1", "PHASE2"], "studyType": "INTERVENTIONAL"},
                "statusModule": {"overallStatus": "RECRUITING", "startDateStruct": {"date": "2020-03"}},
                "conditionsModule": {"conditions": ["Asthma", "Asthma", "COPD"]},
                "contactsLocationsModule": {"locations": [{"country": "France"}, {"country": "Spain"}, {"country": "France"}]}"#,
            ),
            summary(
                r#""designModule": {"phases": ["PHASE2"]},
                "statusModule": {"overallStatus": "COMPLETED", "startDateStruct": {"date": "2020-01-02"}},
                "conditionsModule": {"conditions": ["Asthma"]},
                "contactsLocationsModule": {"locations": [{"country": "Spain"}]}"#,
            ),
            summary(r#""designModule": {"studyType": "OBSERVATIONAL"}"#),
        ];
        let counts = count_all(&Columns::of(&studies));
        assert_eq!(counts.total, 3);
        assert_eq!(values(&counts, Facet::Phase), [("PHASE2".into(), 2), ("PHASE1".into(), 1)]);
        assert_eq!(values(&counts, Facet::Country), [("Spain".into(), 2), ("France".into(), 1)]);
        assert_eq!(values(&counts, Facet::Condition), [("Asthma".into(), 2), ("COPD".into(), 1)]);
        assert_eq!(values(&counts, Facet::StartYear), [("2020".into(), 2)]);
        assert_eq!(values(&counts, Facet::Results), [("NO".into(), 3)]);
        assert_eq!(
            values(&counts, Facet::Status),
            [("COMPLETED".into(), 1), ("RECRUITING".into(), 1)],
            "ties by value"
        );
        let text = count(&Columns::of(&studies), &[0, 1], &[Facet::Status, Facet::Sex, Facet::StartYear])
            .to_json_text();
        assert_eq!(
            text,
            "{\n  \"total\": 2,\n  \"facets\": {\n    \"status\": [\n      {\"value\": \"COMPLETED\", \"count\": 1},\n      \
             {\"value\": \"RECRUITING\", \"count\": 1}\n    ],\n    \"sex\": [],\n    \"start_year\": [\n      \
             {\"value\": 2020, \"count\": 2}\n    ]\n  }\n}\n"
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed,
            count(&Columns::of(&studies), &[0, 1], &[Facet::Status, Facet::Sex, Facet::StartYear]).to_json()
        );
        let only = count(&Columns::of(&studies), &[1, 7], &[Facet::Status]);
        assert_eq!(only.total, 1, "a place out of range is skipped");
        assert_eq!(only.facets.len(), 1);
    }

    #[test]
    fn a_value_becomes_the_filter_a_user_would_type() {
        let text = |s: &str| FacetValue::Text(s.into());
        assert_eq!(Facet::Status.query_term(&text("RECRUITING")).unwrap(), "status:recruiting");
        assert_eq!(Facet::Phase.query_term(&text("PHASE2")).unwrap(), "phase:2");
        assert_eq!(Facet::Phase.query_term(&text("EARLY_PHASE1")).unwrap(), "phase:early1");
        assert_eq!(Facet::Country.query_term(&text("United States")).unwrap(), "country:\"united states\"");
        assert_eq!(Facet::Sponsor.query_term(&text("Pfizer")).unwrap(), "sponsor:pfizer");
        assert_eq!(Facet::Results.query_term(&text("YES")).unwrap(), "results:yes");
        assert_eq!(Facet::StartYear.query_term(&FacetValue::Year(2021)).unwrap(), "start:2021");
        assert_eq!(Facet::Funder.query_term(&text("INDUSTRY")).unwrap(), "funder:industry");
        assert_eq!(Facet::AgeGroup.query_term(&text("OLDER_ADULT")).unwrap(), "agegroup:older_adult");
        assert_eq!(
            Facet::InterventionType.query_term(&text("DIETARY_SUPPLEMENT")).unwrap(),
            "intrtype:dietary_supplement"
        );
        assert_eq!(Facet::StartYear.query_term(&text("2021")), None);
    }
}
