//! The summaries' filterable fields as columns: one array per field over every study, its
//! values numbered in a table of the distinct ones (a status, a country, a sponsor), so that a
//! filter, a facet or a sort over 600k studies reads a few megabytes of numbers rather than
//! 600k scattered rows, and a filter on a text ("sponsor:pfizer", "country:germany") is tested
//! once per distinct value rather than once per study.
//!
//! Built from the summaries once they are all loaded ([`Columns::of`]), and stored so in the
//! catalog cache, so that a warm `nct search` with filters answers from the columns alone and
//! decodes only the summaries it prints. The user's own marks (bookmarks, notes, what changed)
//! and the titles are not here: a filter on those is answered from the summary
//! ([`Node::Summary`]).
//!
//! [`Plan`] is a query put to the columns: its filters turned into tests on numbers, the rest
//! left to the text index, the site index or the summary, as `matching` answers them, with the
//! same answers (`tests::columns_answer_as_the_summaries_do`).

use std::collections::HashMap;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

use super::Summary;
use super::matching::FilterOnSummary;
use crate::query::near::Near;
use crate::query::{DateField, Expr, Filter, TextField, TextTerm, contains_folded, takes_sex};
use crate::study::date::PartialDate;
use crate::study::enums::{AgencyClass, InterventionType, Phase, Sex, StandardAge, Status, StudyType};

/// A field with at most one value per study: `codes[place]` is 0 for none, else the value's
/// place in `values` plus one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Coded<T> {
    pub values: Vec<T>,
    pub codes: Vec<u32>,
}

/// A field with a list of values per study: the codes of study `place` are
/// `codes[starts[place]..starts[place + 1]]`, each a place in `values` (no "none" code).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodedLists<T> {
    pub values: Vec<T>,
    pub starts: Vec<u32>,
    pub codes: Vec<u32>,
}

impl<T> Default for Coded<T> {
    fn default() -> Self {
        Coded { values: Vec::new(), codes: Vec::new() }
    }
}

impl<T> Default for CodedLists<T> {
    fn default() -> Self {
        CodedLists { values: Vec::new(), starts: vec![0], codes: Vec::new() }
    }
}

impl<T> Coded<T> {
    /// The value of the study at `place`.
    pub fn at(&self, place: usize) -> Option<&T> {
        let code = *self.codes.get(place)?;
        self.values.get(code.checked_sub(1)? as usize)
    }

    /// Which codes `accept` takes, by code, `none` saying whether a study without one passes.
    fn accepted(&self, none: bool, accept: impl Fn(&T) -> bool) -> Vec<bool> {
        std::iter::once(none).chain(self.values.iter().map(accept)).collect()
    }
}

impl<T> CodedLists<T> {
    /// The codes of the study at `place`.
    pub fn codes_at(&self, place: usize) -> &[u32] {
        let start = self.starts.get(place).copied().unwrap_or(0) as usize;
        let end = self.starts.get(place + 1).copied().unwrap_or(0) as usize;
        self.codes.get(start..end).unwrap_or_default()
    }

    fn accepted(&self, accept: impl Fn(&T) -> bool) -> Vec<bool> {
        self.values.iter().map(accept).collect()
    }

    /// Whether the study at `place` has a value whose code `accepted` takes.
    fn any(&self, place: usize, accepted: &[bool]) -> bool {
        self.codes_at(place).iter().any(|&code| accepted.get(code as usize).copied().unwrap_or(false))
    }
}

/// Numbers the distinct values of one field while the columns are built.
struct Numbering<K, T> {
    known: HashMap<K, u32, foldhash::fast::RandomState>,
    values: Vec<T>,
}

impl<K: Hash + Eq, T> Numbering<K, T> {
    fn new() -> Self {
        Numbering { known: HashMap::default(), values: Vec::new() }
    }

    /// The code of `value` (keyed by `key`), numbering it if new.
    fn code(&mut self, key: K, value: impl FnOnce() -> T) -> u32 {
        let next = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        *self.known.entry(key).or_insert_with(|| {
            self.values.push(value());
            next
        })
    }
}

/// A [`Coded`] column being built.
struct OneBuilder<K, T> {
    numbering: Numbering<K, T>,
    codes: Vec<u32>,
}

impl<K: Hash + Eq, T> OneBuilder<K, T> {
    fn new(studies: usize) -> Self {
        OneBuilder { numbering: Numbering::new(), codes: Vec::with_capacity(studies) }
    }

    fn push(&mut self, value: Option<(K, impl FnOnce() -> T)>) {
        let code = value.map_or(0, |(key, value)| self.numbering.code(key, value).saturating_add(1));
        self.codes.push(code);
    }

    fn done(self) -> Coded<T> {
        Coded { values: self.numbering.values, codes: self.codes }
    }
}

/// A [`CodedLists`] column being built.
struct ListsBuilder<K, T> {
    numbering: Numbering<K, T>,
    starts: Vec<u32>,
    codes: Vec<u32>,
}

impl<K: Hash + Eq, T> ListsBuilder<K, T> {
    fn new(studies: usize) -> Self {
        let mut starts = Vec::with_capacity(studies + 1);
        starts.push(0);
        ListsBuilder { numbering: Numbering::new(), starts, codes: Vec::new() }
    }

    fn push<'v, V: 'v>(
        &mut self,
        values: impl IntoIterator<Item = &'v V>,
        key: impl Fn(&V) -> K,
        value: impl Fn(&V) -> T,
    ) {
        for item in values {
            let code = self.numbering.code(key(item), || value(item));
            self.codes.push(code);
        }
        self.starts.push(u32::try_from(self.codes.len()).unwrap_or(u32::MAX));
    }

    fn done(self) -> CodedLists<T> {
        CodedLists { values: self.numbering.values, starts: self.starts, codes: self.codes }
    }
}

/// The filterable fields of every study of a catalog, by place (see the module's doc); stored
/// a [`Part`] at a time ([`Columns::encode_part`]).
#[derive(Debug, Clone, Default)]
pub struct Columns {
    studies: usize,
    pub status: Coded<Status>,
    pub phases: CodedLists<Phase>,
    pub study_type: Coded<StudyType>,
    pub funder: Coded<AgencyClass>,
    pub sex: Coded<Sex>,
    pub age_groups: CodedLists<StandardAge>,
    pub intervention_types: CodedLists<InterventionType>,
    pub countries: CodedLists<Box<str>>,
    pub us_states: CodedLists<Box<str>>,
    pub conditions: CodedLists<Box<str>>,
    pub sponsor: Coded<Box<str>>,
    /// The age bounds in years.
    pub minimum_age: Coded<f64>,
    pub maximum_age: Coded<f64>,
    pub healthy_volunteers: Vec<bool>,
    pub has_results: Vec<bool>,
    pub start: Vec<Option<PartialDate>>,
    pub completion: Vec<Option<PartialDate>>,
    pub first_posted: Vec<Option<PartialDate>>,
    pub last_update: Vec<Option<PartialDate>>,
    pub enrollment: Vec<Option<u64>>,
}

impl Columns {
    /// The columns of `studies`, in their order.
    pub fn of(studies: &[Summary]) -> Columns {
        let n = studies.len();
        let mut status = OneBuilder::new(n);
        let mut phases = ListsBuilder::new(n);
        let mut study_type = OneBuilder::new(n);
        let mut funder = OneBuilder::new(n);
        let mut sex = OneBuilder::new(n);
        let mut age_groups = ListsBuilder::new(n);
        let mut intervention_types = ListsBuilder::new(n);
        let mut countries = ListsBuilder::new(n);
        let mut us_states = ListsBuilder::new(n);
        let mut conditions = ListsBuilder::new(n);
        let mut sponsor = OneBuilder::new(n);
        let mut minimum_age = OneBuilder::new(n);
        let mut maximum_age = OneBuilder::new(n);
        let years = |age: &Option<crate::study::age::Age>| {
            age.as_ref().map(|age| {
                let years = age.in_years();
                (years.to_bits(), move || years)
            })
        };
        let text = |text: &std::sync::Arc<str>| Box::<str>::from(&**text);
        for summary in studies {
            status.push(summary.status.as_ref().map(|s| (s, || s.clone())));
            phases.push(summary.phases.iter(), Phase::clone, Phase::clone);
            study_type.push(summary.study_type.as_ref().map(|t| (t, || t.clone())));
            funder.push(summary.funder.as_ref().map(|f| (f, || f.clone())));
            sex.push(summary.sex.as_ref().map(|s| (s, || s.clone())));
            age_groups.push(summary.age_groups.iter(), StandardAge::clone, StandardAge::clone);
            intervention_types.push(
                summary.intervention_types.iter(),
                InterventionType::clone,
                InterventionType::clone,
            );
            countries.push(summary.countries.iter(), |c| c.clone(), text);
            us_states.push(summary.us_states.iter(), |s| s.clone(), text);
            conditions.push(summary.conditions.iter(), |c| c.clone(), text);
            sponsor.push(summary.sponsor.as_ref().map(|s| (s.clone(), || text(s))));
            minimum_age.push(years(&summary.minimum_age));
            maximum_age.push(years(&summary.maximum_age));
        }
        Columns {
            studies: n,
            status: status.done(),
            phases: phases.done(),
            study_type: study_type.done(),
            funder: funder.done(),
            sex: sex.done(),
            age_groups: age_groups.done(),
            intervention_types: intervention_types.done(),
            countries: countries.done(),
            us_states: us_states.done(),
            conditions: conditions.done(),
            sponsor: sponsor.done(),
            minimum_age: minimum_age.done(),
            maximum_age: maximum_age.done(),
            healthy_volunteers: studies.iter().map(|s| s.healthy_volunteers == Some(true)).collect(),
            has_results: studies.iter().map(|s| s.has_results).collect(),
            start: studies.iter().map(|s| s.start).collect(),
            completion: studies.iter().map(|s| s.completion).collect(),
            first_posted: studies.iter().map(|s| s.first_posted).collect(),
            last_update: studies.iter().map(|s| s.last_update).collect(),
            enrollment: studies.iter().map(|s| s.enrollment).collect(),
        }
    }

    /// How many studies the columns describe.
    pub fn len(&self) -> usize {
        self.studies
    }

    pub fn is_empty(&self) -> bool {
        self.studies == 0
    }

    /// Whether every column has one entry per study: a stored copy that does not is damaged.
    pub fn is_whole(&self) -> bool {
        Part::ALL.iter().all(|&part| self.is_whole_in(part))
    }

    /// Whether the columns of `part` have one entry per study, each code in its table.
    fn is_whole_in(&self, part: Part) -> bool {
        let n = self.studies;
        fn one<T>(column: &Coded<T>, n: usize) -> bool {
            column.codes.len() == n && column.codes.iter().all(|&code| code as usize <= column.values.len())
        }
        fn lists<T>(column: &CodedLists<T>, n: usize) -> bool {
            column.starts.len() == n + 1
                && column.starts.windows(2).all(|pair| pair.first() <= pair.get(1))
                && column.starts.last().is_some_and(|&end| end as usize == column.codes.len())
                && column.codes.iter().all(|&code| (code as usize) < column.values.len())
        }
        match part {
            Part::Status => one(&self.status, n),
            Part::Phases => lists(&self.phases, n),
            Part::StudyType => one(&self.study_type, n),
            Part::Funder => one(&self.funder, n),
            Part::Sex => one(&self.sex, n),
            Part::AgeGroups => lists(&self.age_groups, n),
            Part::InterventionTypes => lists(&self.intervention_types, n),
            Part::Countries => lists(&self.countries, n),
            Part::UsStates => lists(&self.us_states, n),
            Part::Conditions => lists(&self.conditions, n),
            Part::Sponsor => one(&self.sponsor, n),
            Part::Ages => one(&self.minimum_age, n) && one(&self.maximum_age, n),
            Part::Flags => self.healthy_volunteers.len() == n && self.has_results.len() == n,
            Part::Dates => [&self.start, &self.completion, &self.first_posted, &self.last_update]
                .iter()
                .all(|column| column.len() == n),
            Part::Enrollment => self.enrollment.len() == n,
        }
    }

    /// The columns of `part`, encoded to be stored apart.
    pub fn encode_part(&self, part: Part) -> Result<Vec<u8>, String> {
        let encoded = match part {
            Part::Status => postcard::to_stdvec(&self.status),
            Part::Phases => postcard::to_stdvec(&self.phases),
            Part::StudyType => postcard::to_stdvec(&self.study_type),
            Part::Funder => postcard::to_stdvec(&self.funder),
            Part::Sex => postcard::to_stdvec(&self.sex),
            Part::AgeGroups => postcard::to_stdvec(&self.age_groups),
            Part::InterventionTypes => postcard::to_stdvec(&self.intervention_types),
            Part::Countries => postcard::to_stdvec(&self.countries),
            Part::UsStates => postcard::to_stdvec(&self.us_states),
            Part::Conditions => postcard::to_stdvec(&self.conditions),
            Part::Sponsor => postcard::to_stdvec(&self.sponsor),
            Part::Ages => postcard::to_stdvec(&(&self.minimum_age, &self.maximum_age)),
            Part::Flags => postcard::to_stdvec(&(&self.healthy_volunteers, &self.has_results)),
            Part::Dates => {
                postcard::to_stdvec(&(&self.start, &self.completion, &self.first_posted, &self.last_update))
            }
            Part::Enrollment => postcard::to_stdvec(&self.enrollment),
        };
        encoded.map_err(|e| e.to_string())
    }

    /// The columns of `studies` studies with the `parts` that `read` gives (as
    /// [`Columns::encode_part`] encoded them) decoded and checked whole; the others are empty,
    /// and a filter or an order on them must not be asked (see [`parts_for`]).
    pub fn decode_parts(
        studies: usize,
        parts: &[Part],
        read: &dyn Fn(Part) -> Result<Vec<u8>, String>,
    ) -> Result<Columns, String> {
        fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, String> {
            postcard::from_bytes(bytes).map_err(|e| format!("the stored columns: {e}"))
        }
        let mut columns = Columns { studies, ..Columns::default() };
        for &part in parts {
            let bytes = read(part)?;
            let bytes = bytes.as_slice();
            match part {
                Part::Status => columns.status = decode(bytes)?,
                Part::Phases => columns.phases = decode(bytes)?,
                Part::StudyType => columns.study_type = decode(bytes)?,
                Part::Funder => columns.funder = decode(bytes)?,
                Part::Sex => columns.sex = decode(bytes)?,
                Part::AgeGroups => columns.age_groups = decode(bytes)?,
                Part::InterventionTypes => columns.intervention_types = decode(bytes)?,
                Part::Countries => columns.countries = decode(bytes)?,
                Part::UsStates => columns.us_states = decode(bytes)?,
                Part::Conditions => columns.conditions = decode(bytes)?,
                Part::Sponsor => columns.sponsor = decode(bytes)?,
                Part::Ages => (columns.minimum_age, columns.maximum_age) = decode(bytes)?,
                Part::Flags => (columns.healthy_volunteers, columns.has_results) = decode(bytes)?,
                Part::Dates => {
                    (columns.start, columns.completion, columns.first_posted, columns.last_update) =
                        decode(bytes)?
                }
                Part::Enrollment => columns.enrollment = decode(bytes)?,
            }
            if !columns.is_whole_in(part) {
                return Err(format!("the stored columns of {part:?} do not fit the studies"));
            }
        }
        Ok(columns)
    }

    /// The date a date filter or an order reads, of the study at `place`.
    pub fn date(&self, field: DateField, place: usize) -> Option<PartialDate> {
        let column = match field {
            DateField::Start => &self.start,
            DateField::Completion => &self.completion,
            DateField::Posted => &self.first_posted,
            DateField::Updated => &self.last_update,
        };
        column.get(place).copied().flatten()
    }

    /// `filter` as a test on the columns, or `None` when they do not hold its field.
    fn test<'c, 'q>(&'c self, filter: &'q Filter) -> Option<Test<'c, 'q>> {
        let one = |codes: &'c [u32], accepted: Vec<bool>| Some(Test::One { codes, accepted });
        let any =
            |lists: &'c CodedLists<Box<str>>, accepted: Vec<bool>| Some(Test::AnyText { lists, accepted });
        match filter {
            Filter::Status(statuses) => {
                one(&self.status.codes, self.status.accepted(false, |s| statuses.contains(s)))
            }
            Filter::Phase(phases) => {
                let required: Option<Vec<u32>> = phases
                    .iter()
                    .map(|asked| {
                        self.phases.values.iter().position(|p| p == asked).and_then(|c| u32::try_from(c).ok())
                    })
                    .collect();
                Some(Test::AllPhases { lists: &self.phases, required })
            }
            Filter::Type(asked) => {
                one(&self.study_type.codes, self.study_type.accepted(false, |t| t == asked))
            }
            Filter::Funder(asked) => one(&self.funder.codes, self.funder.accepted(false, |f| f == asked)),
            Filter::Sex(asked) => {
                one(&self.sex.codes, self.sex.accepted(takes_sex(None, asked), |s| takes_sex(Some(s), asked)))
            }
            Filter::AgeGroup(asked) => {
                Some(Test::AnyAgeGroup { accepted: self.age_groups.accepted(|g| g == asked) })
            }
            Filter::InterventionType(asked) => {
                Some(Test::AnyIntervention { accepted: self.intervention_types.accepted(|k| k == asked) })
            }
            Filter::Country(country) => {
                any(&self.countries, self.countries.accepted(|c| country.is_named(c)))
            }
            Filter::State(state) => any(&self.us_states, self.us_states.accepted(|s| state.is_named(s))),
            Filter::Text { field: TextField::Country, value } => {
                any(&self.countries, self.countries.accepted(|c| contains_folded(c, value)))
            }
            Filter::Text { field: TextField::Condition, value } => {
                any(&self.conditions, self.conditions.accepted(|c| contains_folded(c, value)))
            }
            Filter::Text { field: TextField::Sponsor, value } => {
                one(&self.sponsor.codes, self.sponsor.accepted(false, |s| contains_folded(s, value)))
            }
            Filter::Age(range) => Some(Test::Age(range)),
            Filter::Healthy(yes) => Some(Test::Flag { flags: &self.healthy_volunteers, yes: *yes }),
            Filter::Results(yes) => Some(Test::Flag { flags: &self.has_results, yes: *yes }),
            Filter::Date { field, range } => Some(Test::Date { field: *field, range }),
            Filter::Bookmarked(_)
            | Filter::Changed(_)
            | Filter::Note(_)
            | Filter::Id(_)
            | Filter::Fits(_)
            | Filter::Near(_)
            | Filter::Text { .. } => None,
        }
    }
}

/// The columns stored apart, so that a query reads only those its filters and order ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    Status,
    Phases,
    StudyType,
    Funder,
    Sex,
    AgeGroups,
    InterventionTypes,
    Countries,
    UsStates,
    Conditions,
    Sponsor,
    /// Both age bounds.
    Ages,
    /// Healthy volunteers and results.
    Flags,
    /// Start, completion, first posted and last update.
    Dates,
    Enrollment,
}

impl Part {
    pub const ALL: [Part; 15] = [
        Part::Status,
        Part::Phases,
        Part::StudyType,
        Part::Funder,
        Part::Sex,
        Part::AgeGroups,
        Part::InterventionTypes,
        Part::Countries,
        Part::UsStates,
        Part::Conditions,
        Part::Sponsor,
        Part::Ages,
        Part::Flags,
        Part::Dates,
        Part::Enrollment,
    ];

    /// The part whose columns answer `filter` (as [`Columns::test`] reads them), if any.
    fn of(filter: &Filter) -> Option<Part> {
        Some(match filter {
            Filter::Status(_) => Part::Status,
            Filter::Phase(_) => Part::Phases,
            Filter::Type(_) => Part::StudyType,
            Filter::Funder(_) => Part::Funder,
            Filter::Sex(_) => Part::Sex,
            Filter::AgeGroup(_) => Part::AgeGroups,
            Filter::InterventionType(_) => Part::InterventionTypes,
            Filter::Country(_) | Filter::Text { field: TextField::Country, .. } => Part::Countries,
            Filter::State(_) => Part::UsStates,
            Filter::Text { field: TextField::Condition, .. } => Part::Conditions,
            Filter::Text { field: TextField::Sponsor, .. } => Part::Sponsor,
            Filter::Age(_) => Part::Ages,
            Filter::Healthy(_) | Filter::Results(_) => Part::Flags,
            Filter::Date { .. } => Part::Dates,
            Filter::Bookmarked(_)
            | Filter::Changed(_)
            | Filter::Note(_)
            | Filter::Id(_)
            | Filter::Fits(_)
            | Filter::Near(_)
            | Filter::Text { .. } => return None,
        })
    }
}

/// The parts of the columns that `expr`'s filters read, each once.
pub fn parts_for(expr: &Expr) -> Vec<Part> {
    fn collect(expr: &Expr, parts: &mut Vec<Part>) {
        match expr {
            Expr::And(all) | Expr::Or(all) => all.iter().for_each(|part| collect(part, parts)),
            Expr::Not(inner) => collect(inner, parts),
            Expr::Text(_) => {}
            Expr::Filter(filter) => add_parts(parts, Part::of(filter)),
        }
    }
    let mut parts = Vec::new();
    collect(expr, &mut parts);
    parts
}

/// Adds to `parts` those of `more` it does not hold yet: a list of parts to read holds each once.
pub fn add_parts(parts: &mut Vec<Part>, more: impl IntoIterator<Item = Part>) {
    for part in more {
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
}

/// A filter as a test on the columns.
#[derive(Debug)]
enum Test<'c, 'q> {
    /// The study's code of a one-value column is among the `accepted` (by code, 0 for none).
    One {
        codes: &'c [u32],
        accepted: Vec<bool>,
    },
    /// One of the study's texts is among the `accepted` (by code).
    AnyText {
        lists: &'c CodedLists<Box<str>>,
        accepted: Vec<bool>,
    },
    AnyAgeGroup {
        accepted: Vec<bool>,
    },
    AnyIntervention {
        accepted: Vec<bool>,
    },
    /// The study has every one of these phases (`None`: one no study has).
    AllPhases {
        lists: &'c CodedLists<Phase>,
        required: Option<Vec<u32>>,
    },
    Age(&'q crate::query::AgeRange),
    Flag {
        flags: &'c [bool],
        yes: bool,
    },
    Date {
        field: DateField,
        range: &'q crate::query::DateRange,
    },
}

impl Test<'_, '_> {
    fn passes(&self, columns: &Columns, place: usize) -> bool {
        match self {
            Test::One { codes, accepted } => {
                let code = codes.get(place).copied().unwrap_or(0);
                accepted.get(code as usize).copied().unwrap_or(false)
            }
            Test::AnyText { lists, accepted } => lists.any(place, accepted),
            Test::AnyAgeGroup { accepted } => columns.age_groups.any(place, accepted),
            Test::AnyIntervention { accepted } => columns.intervention_types.any(place, accepted),
            Test::AllPhases { lists, required } => required
                .as_ref()
                .is_some_and(|required| required.iter().all(|code| lists.codes_at(place).contains(code))),
            Test::Age(range) => range.accepts_years(
                columns.minimum_age.at(place).copied(),
                columns.maximum_age.at(place).copied(),
            ),
            Test::Flag { flags, yes } => flags.get(place).copied().unwrap_or(false) == *yes,
            Test::Date { field, range } => {
                columns.date(*field, place).is_some_and(|date| range.contains(date))
            }
        }
    }
}

/// A query's tree with each filter turned into what answers it.
#[derive(Debug)]
enum Node<'c, 'q> {
    And(Vec<Node<'c, 'q>>),
    Or(Vec<Node<'c, 'q>>),
    Not(Box<Node<'c, 'q>>),
    /// Asked of whoever holds the text (the full-text index).
    Text(TextTerm),
    /// A text term the index answered, by place (see [`Plan::answered`]).
    Found(&'q [bool]),
    Near(&'q Near),
    Column(Test<'c, 'q>),
    /// A field the columns do not hold (titles, the user's marks, `fits:`).
    Summary(&'q Filter),
}

/// A query put to the columns (see the module's doc); without columns, every filter is put to
/// the summary.
#[derive(Debug)]
pub struct Plan<'c, 'q> {
    columns: Option<&'c Columns>,
    root: Node<'c, 'q>,
}

impl<'c, 'q> Plan<'c, 'q> {
    /// `expr` put to `columns`, when given.
    pub fn new(expr: &'q Expr, columns: Option<&'c Columns>) -> Plan<'c, 'q> {
        Plan { columns, root: node(expr, columns) }
    }

    /// The plan with each text term that the index answered (`answers`, each term's matches by
    /// place, as `catalog::text_answers` gives them) looked up once here rather than for each
    /// study: comparing terms 600k times took longer than the rest of a query with words.
    pub fn answered(mut self, answers: &'q super::TextAnswers) -> Plan<'c, 'q> {
        fn resolve<'c, 'q>(node: &mut Node<'c, 'q>, answers: &'q super::TextAnswers) {
            match node {
                Node::And(all) | Node::Or(all) => all.iter_mut().for_each(|part| resolve(part, answers)),
                Node::Not(inner) => resolve(inner, answers),
                Node::Text(term) => {
                    if let Some((_, Some(found))) = answers.iter().find(|(known, _)| known == term) {
                        *node = Node::Found(found);
                    }
                }
                Node::Found(_) | Node::Near(_) | Node::Column(_) | Node::Summary(_) => {}
            }
        }
        resolve(&mut self.root, answers);
        self
    }

    /// Whether some filter is answered only by the summary.
    pub fn needs_summary(&self) -> bool {
        fn needs(node: &Node) -> bool {
            match node {
                Node::And(parts) | Node::Or(parts) => parts.iter().any(needs),
                Node::Not(inner) => needs(inner),
                Node::Summary(_) => true,
                Node::Text(_) | Node::Found(_) | Node::Near(_) | Node::Column(_) => false,
            }
        }
        needs(&self.root)
    }

    /// Whether the study at `place` answers: filters from the columns, or from `summary` (a
    /// study without one fails a filter only it answers), text terms by `text`, `near:` by `near`.
    pub fn matches(
        &self,
        place: usize,
        summary: Option<&Summary>,
        text: &dyn Fn(&TextTerm) -> bool,
        near: &dyn Fn(&Near) -> bool,
    ) -> bool {
        self.root.matches(self.columns, place, summary, text, near)
    }
}

fn node<'c, 'q>(expr: &'q Expr, columns: Option<&'c Columns>) -> Node<'c, 'q> {
    let all = |parts: &'q [Expr]| parts.iter().map(|part| node(part, columns)).collect();
    match expr {
        Expr::And(parts) => Node::And(all(parts)),
        Expr::Or(parts) => Node::Or(all(parts)),
        Expr::Not(inner) => Node::Not(Box::new(node(inner, columns))),
        Expr::Text(term) => Node::Text(term.clone()),
        Expr::Filter(Filter::Near(near)) => Node::Near(near),
        Expr::Filter(filter) => match columns.and_then(|columns| columns.test(filter)) {
            Some(test) => Node::Column(test),
            // What no summary holds (`city:`, `intr:`) is a question for the text index.
            None => match filter.text_term().filter(|_| answered_by_text(filter)) {
                Some(term) => Node::Text(term),
                None => Node::Summary(filter),
            },
        },
    }
}

/// Whether a summary cannot answer `filter`, so that the text index does (as
/// [`FilterOnSummary::matches`] says by `None`).
fn answered_by_text(filter: &Filter) -> bool {
    matches!(filter, Filter::Text { field: TextField::City | TextField::Intervention, .. })
}

impl Node<'_, '_> {
    fn matches(
        &self,
        columns: Option<&Columns>,
        place: usize,
        summary: Option<&Summary>,
        text: &dyn Fn(&TextTerm) -> bool,
        near: &dyn Fn(&Near) -> bool,
    ) -> bool {
        match self {
            Node::And(all) => all.iter().all(|n| n.matches(columns, place, summary, text, near)),
            Node::Or(any) => any.iter().any(|n| n.matches(columns, place, summary, text, near)),
            Node::Not(inner) => !inner.matches(columns, place, summary, text, near),
            Node::Text(term) => text(term),
            Node::Found(found) => found.get(place).copied().unwrap_or(false),
            Node::Near(asked) => near(asked),
            Node::Column(test) => columns.is_some_and(|columns| test.passes(columns, place)),
            Node::Summary(filter) => summary.is_some_and(|summary| {
                filter.matches(summary).unwrap_or_else(|| filter.text_term().is_some_and(|term| text(&term)))
            }),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    /// Every filter kind the columns answer, alone and combined, over the bundled studies:
    /// the columns must keep exactly the studies the summaries keep.
    #[test]
    fn columns_answer_as_the_summaries_do() {
        let catalog = Catalog::load(&[std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")]);
        assert!(catalog.len() > 5, "{}", catalog.len());
        let columns = Columns::of(&catalog.studies);
        assert!(columns.is_whole());
        let queries = [
            "status:recruiting",
            "status:open",
            "status:completed OR status:terminated",
            "phase:2",
            "phase:1 phase:2",
            "phase:4",
            "type:interventional",
            "type:observational",
            "funder:industry",
            "funder:nih",
            "sex:female",
            "sex:male",
            "agegroup:child",
            "agegroup:older_adult",
            "intrtype:drug",
            "intrtype:behavioral",
            "country:\"united states\"",
            "country:germany",
            "country:france OR country:canada",
            "state:ca",
            "state:\"new york\"",
            "sponsor:university",
            "cond:cancer",
            "cond:diab",
            "age:18",
            "age:5..12",
            "age:>70",
            "age:<18",
            "healthy:yes",
            "healthy:no",
            "results:yes",
            "results:no",
            "start:2020..",
            "start:..2015",
            "completion:2022",
            "posted:2019..2021",
            "updated:>=2024",
            "-status:completed phase:3 OR funder:industry",
            "-country:\"united states\" results:no",
        ];
        let no_text = |_: &TextTerm| false;
        let no_near = |_: &Near| false;
        let mut kept_some = 0;
        for text in queries {
            let crate::query::Query::Expr(expr) = crate::query::parse(text).unwrap() else {
                panic!("{text} is not a query with filters")
            };
            let plan = Plan::new(&expr, Some(&columns));
            assert!(!plan.needs_summary(), "{text}");
            let by_columns: Vec<usize> =
                (0..catalog.len()).filter(|&place| plan.matches(place, None, &no_text, &no_near)).collect();
            let by_summary = Plan::new(&expr, None);
            let by_summaries: Vec<usize> = (0..catalog.len())
                .filter(|&place| by_summary.matches(place, Some(&catalog.studies[place]), &no_text, &no_near))
                .collect();
            assert_eq!(by_columns, by_summaries, "{text}");
            // Read back with only the parts the query asks of, as a warm `nct search` reads them.
            let parts = parts_for(&expr);
            assert!(!parts.is_empty() && parts.len() < Part::ALL.len(), "{text}");
            let read = |part: Part| columns.encode_part(part);
            let partial = Columns::decode_parts(catalog.len(), &parts, &read).unwrap();
            let plan = Plan::new(&expr, Some(&partial));
            let by_parts: Vec<usize> =
                (0..catalog.len()).filter(|&place| plan.matches(place, None, &no_text, &no_near)).collect();
            assert_eq!(by_parts, by_summaries, "{text}: by its parts");
            kept_some += usize::from(!by_columns.is_empty() && by_columns.len() < catalog.len());
        }
        // The bundled studies tell most of these apart: a test of nothing would pass anyway.
        assert!(kept_some >= queries.len() / 2, "{kept_some}");
        // Every part round-trips, and columns stored for another number of studies are damage.
        let read = |part: Part| columns.encode_part(part);
        let whole = Columns::decode_parts(catalog.len(), &Part::ALL, &read).unwrap();
        assert!(whole.is_whole());
        for part in Part::ALL {
            assert!(Columns::decode_parts(catalog.len() + 1, &[part], &read).is_err(), "{part:?}");
        }
    }
}
