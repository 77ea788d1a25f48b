//! Field filters: the `name:value` half of the language. This file owns the table of field
//! names and reading each field's value (with the message that says what was expected); testing
//! a filter against a study's summary is the catalog's (`catalog::matching`), by these rules.
//!
//! Semantics, chosen so that a missing value never hides a study it might concern:
//! - `status:` names one registry status in any case, with `_`, `-`, spaces or commas (only
//!   letters and digits are compared), or the registry's label; `open` is recruiting, not yet
//!   recruiting, enrolling by invitation and available; `closed` is every other known status.
//! - `phase:2` matches a study whose phases include phase 2 (so PHASE1+PHASE2 too); `phase:1/2`
//!   needs both; `na` is the registry's `NA` (observational studies have no phase at all and
//!   match no `phase:`); `early1`, `0` and `early_phase1` are EARLY_PHASE1; `i`…`iv` also work.
//! - `sex:female` matches studies for females or for all; `sex:all` only studies for all. A
//!   study that records no sex counts as open to all.
//! - `age:` asks about participants' ages in years, and a study matches when its eligible range
//!   (minimum to maximum age, both inclusive, a missing bound being open) holds at least one of
//!   them: `age:45` holds 45, `age:<18` takes someone under 18 (minimum below 18 or missing),
//!   `age:>=65` someone 65 or over (maximum 65 or more, or missing), `age:18..65` overlaps.
//! - Dates compare the study's date by its first day (`2019-05` is 2019-05-01) against bounds
//!   widened to whole periods: `start:2019` is within 2019, `2019..2021` from 2019-01-01 through
//!   2021-12-31, `>=2020` on or after 2020-01-01, `>2020` after 2020-12-31, `<2015-06` before
//!   2015-06-01, `<=2015-06` on or before 2015-06-30. A study without that date never matches.
//! - `funder:industry` (the lead sponsor's class), `agegroup:child` (the registry's standard age
//!   groups: child, adult, older_adult) and `intrtype:drug` (an intervention of that type) name
//!   a registry value or its label in any case; a study without the field matches none.
//! - `healthy:yes` matches studies that accept healthy volunteers; `healthy:no` every other
//!   one (including those that do not say), so yes and no split the collection.
//! - `id:` is an NCT number or its start (`id:NCT0123`, `id:0123`).
//! - `title:`, `cond:`, `sponsor:` look for the folded value as a substring of the folded
//!   field; titles are the brief and official titles and the acronym.
//! - `country:` and `state:` name one place, resolved by [`places`](super::places) (`us`, `USA`
//!   and `"united states"` are one country) and compared whole with the sites' countries, or the
//!   states of the sites in the United States; a name that is no place is an error. `city:` and `intr:` are not in the summary: they are
//!   answered by the full-text callback, as a phrase in that field.
//! - `fits:NAME` names a patient profile ([`fits`](super::fits)); the catalog answers it once
//!   the profile is looked up (`catalog::fits`).
//! - `near:` asks for a site within a radius of a place ([`near`](super::near)); neither the
//!   summary nor the text holds sites, so the catalog's site index answers it.

use std::fmt;
use std::ops::{Bound, RangeBounds};

use super::TextTerm;
use super::fits::{Fits, parse_fits};
use super::fold::{fold, words};
use super::near::{Near, parse_near};
use super::places::{Country, UsState, resolve_country, resolve_state};
use crate::study::age::Age;
use crate::study::date::PartialDate;
use crate::study::enums::{AgencyClass, InterventionType, Phase, Sex, StandardAge, Status, StudyType};

/// The statuses `status:open` stands for: a study one may still join.
pub const OPEN_STATUSES: &[Status] =
    &[Status::Recruiting, Status::NotYetRecruiting, Status::EnrollingByInvitation, Status::Available];

/// A test on one study.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// The study's overall status is one of these.
    Status(Vec<Status>),
    /// The study's phases include every one of these.
    Phase(Vec<Phase>),
    Type(StudyType),
    /// The lead sponsor's class (`funder:industry`).
    Funder(AgencyClass),
    /// The study lists this standard age group (`agegroup:child`).
    AgeGroup(StandardAge),
    /// One of the study's interventions is of this type (`intrtype:drug`).
    InterventionType(InterventionType),
    /// A participant of this sex may join (`All`: the study takes every sex).
    Sex(Sex),
    Age(AgeRange),
    /// Accepts healthy volunteers (true), or does not say it does (false).
    Healthy(bool),
    Results(bool),
    /// In the user's bookmarks (true), or not (false).
    Bookmarked(bool),
    /// New or changed since the inputs the app compares with (`nct NEW --since OLD`).
    Changed(ChangedWhat),
    /// The user's note on the study holds this text, [`fold`]ed.
    Note(String),
    Date {
        field: DateField,
        range: DateRange,
    },
    /// The start of an NCT id, upper case (`NCT0123`), or a whole one.
    Id(String),
    /// A site in this country (see [`places`](super::places)).
    Country(&'static Country),
    /// A US site in this state.
    State(&'static UsState),
    /// The open studies a patient profile may fit (see `catalog::fits`).
    Fits(Fits),
    /// A site within a distance of a place (see [`near`](super::near)).
    Near(Near),
    /// A substring of a text field, [`fold`]ed.
    Text {
        field: TextField,
        value: String,
    },
}

/// The text fields a filter or a text term can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    /// Brief title, official title and acronym.
    Title,
    Condition,
    Intervention,
    /// The lead sponsor.
    Sponsor,
    /// Cities of the sites.
    City,
    /// Countries of the sites.
    Country,
}

impl TextField {
    /// The field's name in a query.
    pub fn name(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Condition => "cond",
            Self::Intervention => "intr",
            Self::Sponsor => "sponsor",
            Self::City => "city",
            Self::Country => "country",
        }
    }
}

/// The dates a filter can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateField {
    Start,
    Completion,
    /// First posted on the registry.
    Posted,
    /// Last update posted.
    Updated,
}

impl DateField {
    pub fn name(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Completion => "completion",
            Self::Posted => "posted",
            Self::Updated => "updated",
        }
    }
}

/// Whole days, so that partial dates on either side compare by one rule (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: Bound<PartialDate>,
    pub to: Bound<PartialDate>,
}

impl DateRange {
    /// Whether `date`, taken as its first day, is in the range.
    pub fn contains(&self, date: PartialDate) -> bool {
        (self.from, self.to).contains(&date.first_day())
    }
}

/// Participants' ages in years that a study must take at least one of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AgeRange {
    pub low: Bound<f64>,
    pub high: Bound<f64>,
}

/// Ages in units other than years come out a hair off whole numbers (`216 Months`).
const AGE_SLACK: f64 = 1e-9;

impl AgeRange {
    /// Whether a study taking `minimum` to `maximum` (inclusive, missing = no bound) takes
    /// someone in this range.
    pub fn accepts(&self, minimum: Option<&Age>, maximum: Option<&Age>) -> bool {
        self.accepts_years(minimum.map(Age::in_years), maximum.map(Age::in_years))
    }

    /// [`AgeRange::accepts`], the study's bounds given in years.
    pub fn accepts_years(&self, minimum: Option<f64>, maximum: Option<f64>) -> bool {
        let low_fits = match (self.low, maximum) {
            (Bound::Unbounded, _) | (_, None) => true,
            (Bound::Included(low), Some(max)) => low <= max + AGE_SLACK,
            (Bound::Excluded(low), Some(max)) => low < max - AGE_SLACK,
        };
        let high_fits = match (self.high, minimum) {
            (Bound::Unbounded, _) | (_, None) => true,
            (Bound::Included(high), Some(min)) => high >= min - AGE_SLACK,
            (Bound::Excluded(high), Some(min)) => high > min + AGE_SLACK,
        };
        low_fits && high_fits
    }
}

impl Filter {
    /// A text filter as a phrase limited to its field, for the full-text index.
    pub fn text_term(&self) -> Option<TextTerm> {
        match self {
            Self::Text { field, value } => {
                Some(TextTerm { field: Some(*field), words: words(value), phrase: true, prefix: false })
            }
            _ => None,
        }
    }
}

/// Whether a study for `study` (none said: open to all) takes someone of sex `asked`.
pub fn takes_sex(study: Option<&Sex>, asked: &Sex) -> bool {
    match study {
        None | Some(Sex::All) => true,
        Some(sex) => sex == asked,
    }
}

/// What a field name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    Status,
    Phase,
    Type,
    Funder,
    AgeGroup,
    InterventionType,
    Sex,
    Age,
    Healthy,
    Results,
    Bookmarked,
    Changed,
    Note,
    Id,
    Country,
    State,
    Fits,
    Near,
    Date(DateField),
    Text(TextField),
}

/// Every field name, canonical names first (in the order error messages list them).
const FIELDS: &[(&str, FieldKind)] = &[
    ("status", FieldKind::Status),
    ("phase", FieldKind::Phase),
    ("type", FieldKind::Type),
    ("sex", FieldKind::Sex),
    ("age", FieldKind::Age),
    ("healthy", FieldKind::Healthy),
    ("results", FieldKind::Results),
    ("bookmarked", FieldKind::Bookmarked),
    ("changed", FieldKind::Changed),
    ("note", FieldKind::Note),
    ("id", FieldKind::Id),
    ("start", FieldKind::Date(DateField::Start)),
    ("completion", FieldKind::Date(DateField::Completion)),
    ("posted", FieldKind::Date(DateField::Posted)),
    ("updated", FieldKind::Date(DateField::Updated)),
    ("title", FieldKind::Text(TextField::Title)),
    ("cond", FieldKind::Text(TextField::Condition)),
    ("intr", FieldKind::Text(TextField::Intervention)),
    ("sponsor", FieldKind::Text(TextField::Sponsor)),
    ("country", FieldKind::Country),
    ("state", FieldKind::State),
    ("city", FieldKind::Text(TextField::City)),
    ("near", FieldKind::Near),
    ("funder", FieldKind::Funder),
    ("agegroup", FieldKind::AgeGroup),
    ("intrtype", FieldKind::InterventionType),
    ("fits", FieldKind::Fits),
];

/// Longer spellings people reach for; accepted, not listed.
const ALIASES: &[(&str, FieldKind)] = &[
    ("condition", FieldKind::Text(TextField::Condition)),
    ("intervention", FieldKind::Text(TextField::Intervention)),
];

/// Every field a query can name, in the table's order, with a filled-in example: what the help
/// screen lists.
pub fn field_examples() -> Vec<(&'static str, &'static str)> {
    FIELDS.iter().map(|&(name, kind)| (name, kind.example())).collect()
}

pub(crate) fn field_kind(name: &str) -> Option<FieldKind> {
    let name = name.to_ascii_lowercase();
    FIELDS.iter().chain(ALIASES).find(|(known, _)| *known == name).map(|&(_, kind)| kind)
}

/// Every field's name, in the order messages and help list them.
pub fn field_names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|(name, _)| *name)
}

/// The message for a field name that is not one.
pub(crate) fn unknown_field_message(name: &str) -> String {
    let names: Vec<&str> = field_names().collect();
    let lower = name.to_ascii_lowercase();
    let candidates = FIELDS.iter().chain(ALIASES).map(|(n, _)| (*n, *n));
    let hint = match closest(&lower, candidates) {
        Some(best) => format!(" (did you mean {best}:?)"),
        None => String::new(),
    };
    format!(
        "unknown field {name}:{hint}; the fields are {}. To search for the text itself, quote it: \"{name}:…\"",
        names.join(", ")
    )
}

impl FieldKind {
    pub(crate) fn name(self) -> &'static str {
        FIELDS.iter().find(|(_, kind)| *kind == self).map_or("field", |(name, _)| name)
    }

    /// A filled-in example, for the message about an empty value.
    pub(crate) fn example(self) -> &'static str {
        match self {
            Self::Status => "status:recruiting",
            Self::Phase => "phase:2",
            Self::Type => "type:interventional",
            Self::Funder => "funder:industry",
            Self::AgeGroup => "agegroup:child",
            Self::InterventionType => "intrtype:drug",
            Self::Sex => "sex:female",
            Self::Age => "age:45",
            Self::Healthy => "healthy:yes",
            Self::Results => "results:yes",
            Self::Bookmarked => "bookmarked:yes",
            Self::Changed => "changed:status",
            Self::Note => "note:cohort",
            Self::Id => "id:NCT01234567",
            Self::Date(DateField::Start) => "start:>=2020",
            Self::Date(DateField::Completion) => "completion:2019..2021",
            Self::Date(DateField::Posted) => "posted:2024",
            Self::Date(DateField::Updated) => "updated:>=2024-06",
            Self::Text(TextField::Title) => "title:vaccine",
            Self::Text(TextField::Condition) => "cond:diabetes",
            Self::Text(TextField::Intervention) => "intr:metformin",
            Self::Text(TextField::Sponsor) => "sponsor:pfizer",
            Self::Text(TextField::Country) | Self::Country => "country:uk",
            Self::State => "state:ny",
            Self::Fits => "fits:P-014",
            Self::Near => "near:\"Baltimore, Maryland\":25mi",
            Self::Text(TextField::City) => "city:paris",
        }
    }

    /// Reads a non-empty value; the error says what this field expects.
    pub(crate) fn parse_value(self, value: &str) -> Result<Filter, String> {
        let name = self.name();
        match self {
            Self::Status => parse_status(value).map(Filter::Status),
            Self::Phase => parse_phases(value).map(Filter::Phase),
            Self::Type => parse_type(value).map(Filter::Type),
            Self::Funder => {
                registry_value(name, value, AgencyClass::ALL, AgencyClass::as_str, AgencyClass::label)
                    .map(Filter::Funder)
            }
            Self::AgeGroup => {
                registry_value(name, value, StandardAge::ALL, StandardAge::as_str, StandardAge::label)
                    .map(Filter::AgeGroup)
            }
            Self::InterventionType => registry_value(
                name,
                value,
                InterventionType::ALL,
                InterventionType::as_str,
                InterventionType::label,
            )
            .map(Filter::InterventionType),
            Self::Sex => parse_sex(value).map(Filter::Sex),
            Self::Age => parse_age_range(value).map(Filter::Age),
            Self::Healthy => parse_yes_no(name, value).map(Filter::Healthy),
            Self::Results => parse_yes_no(name, value).map(Filter::Results),
            Self::Bookmarked => parse_yes_no(name, value).map(Filter::Bookmarked),
            Self::Changed => ChangedWhat::parse(value),
            Self::Id => parse_id(value).map(Filter::Id),
            Self::Country => resolve_country(value).map(Filter::Country),
            Self::State => resolve_state(value).map(Filter::State),
            Self::Fits => parse_fits(value).map(Filter::Fits),
            Self::Near => parse_near(value).map(Filter::Near),
            Self::Date(field) => parse_date_range(name, value).map(|range| Filter::Date { field, range }),
            Self::Text(_) | Self::Note => {
                let folded = fold(value.trim());
                if !folded.chars().any(char::is_alphanumeric) {
                    return Err(format!(
                        "{name}: expected some letters or digits to look for, as in {}",
                        self.example()
                    ));
                }
                Ok(match self {
                    Self::Text(field) => Filter::Text { field, value: folded },
                    _ => Filter::Note(folded),
                })
            }
        }
    }
}

/// Only letters and digits, folded: what enum values are compared by, so `not_yet_recruiting`,
/// `Not yet recruiting` and `NOT-YET-RECRUITING` are one value.
fn key(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn parse_status(value: &str) -> Result<Vec<Status>, String> {
    let wanted = key(value);
    match wanted.as_str() {
        "open" => return Ok(OPEN_STATUSES.to_vec()),
        "closed" => return Ok(Status::ALL.iter().filter(|s| !OPEN_STATUSES.contains(s)).cloned().collect()),
        _ => {}
    }
    if let Some(status) = Status::ALL.iter().find(|s| key(s.as_str()) == wanted || key(s.label()) == wanted) {
        return Ok(vec![status.clone()]);
    }
    let names: Vec<String> = Status::ALL.iter().map(|s| s.as_str().to_ascii_lowercase()).collect();
    let candidates =
        names.iter().map(|n| (n.as_str(), n.as_str())).chain([("open", "open"), ("closed", "closed")]);
    let hint = match closest(&wanted, candidates) {
        Some(best) => format!(" (did you mean {best}?)"),
        None => String::new(),
    };
    Err(format!(
        "status: unknown status {value:?}{hint}; expected one of {}, or open/closed",
        names.join(", ")
    ))
}

fn parse_phases(value: &str) -> Result<Vec<Phase>, String> {
    let fail = || {
        format!(
            "phase: expected 1, 2, 3, 4, early1 (or 0), na, or phases that must all be present such \
             as 1/2; not {value:?}"
        )
    };
    if matches!(key(value).as_str(), "na" | "notapplicable") {
        return Ok(vec![Phase::NotApplicable]);
    }
    let mut phases = Vec::new();
    for part in value.split(['/', '+', ',', '&']) {
        let phase = one_phase(&key(part)).ok_or_else(fail)?;
        if !phases.contains(&phase) {
            phases.push(phase);
        }
    }
    Ok(phases)
}

fn one_phase(key: &str) -> Option<Phase> {
    let number = key.strip_prefix("phase").unwrap_or(key);
    match number {
        "0" | "early1" | "earlyphase1" | "early" | "earlyi" => Some(Phase::EarlyPhase1),
        "1" | "i" => Some(Phase::Phase1),
        "2" | "ii" => Some(Phase::Phase2),
        "3" | "iii" => Some(Phase::Phase3),
        "4" | "iv" => Some(Phase::Phase4),
        "na" => Some(Phase::NotApplicable),
        _ => None,
    }
}

fn parse_type(value: &str) -> Result<StudyType, String> {
    match key(value).as_str() {
        "interventional" => Ok(StudyType::Interventional),
        "observational" => Ok(StudyType::Observational),
        "expanded" | "expandedaccess" => Ok(StudyType::ExpandedAccess),
        _ => Err(format!("type: expected interventional, observational or expanded; not {value:?}")),
    }
}

/// One of a registry enum's values, by its registry name or its label in any case
/// (`older_adult`, `Older Adult`); the message lists them all.
fn registry_value<T: Clone>(
    name: &str,
    value: &str,
    all: &[T],
    as_str: fn(&T) -> &str,
    label: fn(&T) -> &str,
) -> Result<T, String> {
    let wanted = key(value);
    if let Some(found) = all.iter().find(|v| key(as_str(v)) == wanted || key(label(v)) == wanted) {
        return Ok(found.clone());
    }
    let names: Vec<String> = all.iter().map(|v| as_str(v).to_ascii_lowercase()).collect();
    let hint = match closest(&wanted, names.iter().map(|n| (n.as_str(), n.as_str()))) {
        Some(best) => format!(" (did you mean {best}?)"),
        None => String::new(),
    };
    Err(format!("{name}: unknown value {value:?}{hint}; expected one of {}", names.join(", ")))
}

fn parse_sex(value: &str) -> Result<Sex, String> {
    match key(value).as_str() {
        "female" | "f" => Ok(Sex::Female),
        "male" | "m" => Ok(Sex::Male),
        "all" => Ok(Sex::All),
        _ => Err(format!("sex: expected female, male or all; not {value:?}")),
    }
}

/// What `changed:` asks for: any change (or a new study), or a change of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedWhat {
    Any,
    Status,
    Results,
    Dates,
    Eligibility,
    Sites,
}

impl ChangedWhat {
    pub const ALL: [ChangedWhat; 6] = [
        ChangedWhat::Any,
        ChangedWhat::Status,
        ChangedWhat::Results,
        ChangedWhat::Dates,
        ChangedWhat::Eligibility,
        ChangedWhat::Sites,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ChangedWhat::Any => "yes",
            ChangedWhat::Status => "status",
            ChangedWhat::Results => "results",
            ChangedWhat::Dates => "dates",
            ChangedWhat::Eligibility => "eligibility",
            ChangedWhat::Sites => "sites",
        }
    }

    /// Its bit in a study's changes as the app marks them (see `catalog::Summary::changed`); a
    /// new study has [`ChangedWhat::NEW`] only.
    pub fn bit(self) -> u8 {
        match self {
            ChangedWhat::Any => u8::MAX,
            ChangedWhat::Status => 1 << 1,
            ChangedWhat::Results => 1 << 2,
            ChangedWhat::Dates => 1 << 3,
            ChangedWhat::Eligibility => 1 << 4,
            ChangedWhat::Sites => 1 << 5,
        }
    }

    /// A study that was not in the inputs compared with.
    pub const NEW: u8 = 1;
    /// A change of a kind `changed:` does not name.
    pub const OTHER: u8 = 1 << 6;

    fn parse(value: &str) -> Result<Filter, String> {
        let wanted = key(value);
        let wanted = if matches!(wanted.as_str(), "y" | "true") { "yes".to_owned() } else { wanted };
        ChangedWhat::ALL.into_iter().find(|w| w.name() == wanted).map(Filter::Changed).ok_or_else(|| {
            format!("changed: expected yes, status, results, dates, eligibility or sites; not {value:?}")
        })
    }
}

fn parse_yes_no(name: &str, value: &str) -> Result<bool, String> {
    match key(value).as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => Err(format!("{name}: expected yes or no; not {value:?}")),
    }
}

fn parse_id(value: &str) -> Result<String, String> {
    let upper = value.trim().to_ascii_uppercase();
    let digits = upper.strip_prefix("NCT").unwrap_or(&upper);
    if digits.len() <= 8 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(format!("NCT{digits}"));
    }
    Err(format!(
        "id: expected an NCT number such as NCT01234567, or the start of one (NCT0123); not {value:?}"
    ))
}

/// Splits a leading comparison off a value: `>=2020` gives `(">=", "2020")`.
fn comparison(value: &str) -> (&str, &str) {
    for op in [">=", "<=", ">", "<", "="] {
        if let Some(rest) = value.strip_prefix(op) {
            return (op, rest);
        }
    }
    ("", value)
}

fn parse_age_range(value: &str) -> Result<AgeRange, String> {
    let fail = || format!("age: expected an age in years such as 45, <18, >=65 or 18..65; not {value:?}");
    let number = |text: &str| years(text).ok_or_else(fail);
    let range = if let Some((low, high)) = value.split_once("..") {
        let bound = |text: &str| {
            if text.is_empty() { Ok(Bound::Unbounded) } else { number(text).map(Bound::Included) }
        };
        if low.is_empty() && high.is_empty() {
            return Err(fail());
        }
        AgeRange { low: bound(low)?, high: bound(high)? }
    } else {
        let (op, rest) = comparison(value);
        let age = number(rest)?;
        match op {
            ">=" => AgeRange { low: Bound::Included(age), high: Bound::Unbounded },
            ">" => AgeRange { low: Bound::Excluded(age), high: Bound::Unbounded },
            "<=" => AgeRange { low: Bound::Unbounded, high: Bound::Included(age) },
            "<" => AgeRange { low: Bound::Unbounded, high: Bound::Excluded(age) },
            _ => AgeRange { low: Bound::Included(age), high: Bound::Included(age) },
        }
    };
    if let (Bound::Included(low), Bound::Included(high)) = (range.low, range.high)
        && low > high
    {
        return Err(format!("age: the range {value} is empty; put the lower age first"));
    }
    Ok(range)
}

/// A plain decimal number: `f64::from_str` would also take `inf`, `NaN` and `1e3`.
fn years(text: &str) -> Option<f64> {
    let plain = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|&b| b == b'.').count() <= 1
        && text.bytes().any(|b| b.is_ascii_digit());
    if plain { text.parse().ok() } else { None }
}

fn parse_date_range(name: &str, value: &str) -> Result<DateRange, String> {
    let expected = "expected a date (YYYY, YYYY-MM or YYYY-MM-DD), a comparison such as >=2020 or <2015-06, \
                    or a range such as 2019..2021";
    let date = |text: &str| {
        if !text.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!("{name}: {expected}; not {value:?}"));
        }
        PartialDate::parse(text).map_err(|e| format!("{name}: {e}, a comparison or a range"))
    };
    let range = if let Some((from, to)) = value.split_once("..") {
        if from.is_empty() && to.is_empty() {
            return Err(format!("{name}: {expected}; not {value:?}"));
        }
        DateRange {
            from: if from.is_empty() { Bound::Unbounded } else { Bound::Included(date(from)?.first_day()) },
            to: if to.is_empty() { Bound::Unbounded } else { Bound::Included(date(to)?.last_day()) },
        }
    } else {
        let (op, rest) = comparison(value);
        let when = date(rest)?;
        match op {
            ">=" => DateRange { from: Bound::Included(when.first_day()), to: Bound::Unbounded },
            ">" => DateRange { from: Bound::Excluded(when.last_day()), to: Bound::Unbounded },
            "<=" => DateRange { from: Bound::Unbounded, to: Bound::Included(when.last_day()) },
            "<" => DateRange { from: Bound::Unbounded, to: Bound::Excluded(when.first_day()) },
            _ => DateRange { from: Bound::Included(when.first_day()), to: Bound::Included(when.last_day()) },
        }
    };
    if let (Bound::Included(from), Bound::Included(to)) = (range.from, range.to)
        && from > to
    {
        return Err(format!("{name}: the range {value} is empty; put the earlier date first"));
    }
    Ok(range)
}

/// The candidate nearest to `typed` (compared by [`key`]), if near enough to be a typo or a
/// clear start of it. Candidates are `(spelling, shown)`.
fn closest<'a>(typed: &str, candidates: impl Iterator<Item = (&'a str, &'a str)>) -> Option<&'a str> {
    let typed = key(typed);
    if typed.is_empty() {
        return None;
    }
    // A clear start of a name beats a nearer typo: `condit` is `condition`, not `cond`.
    candidates
        .filter_map(|(spelling, shown)| {
            let target = key(spelling);
            let distance = edit_distance(&typed, &target);
            let len = target.chars().count();
            let near = distance <= if len <= 3 { 1 } else { (len / 3).max(2) };
            let start = typed.chars().count() >= 3 && target.starts_with(&typed);
            (near || start).then_some(((!start, distance), shown))
        })
        .min_by_key(|&(rank, _)| rank)
        .map(|(_, shown)| shown)
}

/// Levenshtein distance, in chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let replace = previous.get(j).map_or(usize::MAX, |d| d + usize::from(ca != *cb));
            let delete = previous.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let insert = current.last().map_or(usize::MAX, |d| d + 1);
            current.push(replace.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

fn write_bound<T: fmt::Display>(f: &mut fmt::Formatter<'_>, bound: &Bound<T>, low: bool) -> fmt::Result {
    match (bound, low) {
        (Bound::Included(x), true) => write!(f, "[{x}"),
        (Bound::Excluded(x), true) => write!(f, "({x}"),
        (Bound::Unbounded, true) => write!(f, "(*"),
        (Bound::Included(x), false) => write!(f, "{x}]"),
        (Bound::Excluded(x), false) => write!(f, "{x})"),
        (Bound::Unbounded, false) => write!(f, "*)"),
    }
}

/// A compact reading of the resolved filter (`phase:PHASE1+PHASE2`, `age:[*,18)`), for debugging
/// and tests; not meant to be parsed again.
impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |names: Vec<&str>, separator: &str| names.join(separator);
        match self {
            Self::Status(list) => {
                write!(f, "status:{}", join(list.iter().map(Status::as_str).collect(), "|"))
            }
            Self::Phase(list) => write!(f, "phase:{}", join(list.iter().map(Phase::as_str).collect(), "+")),
            Self::Type(study_type) => write!(f, "type:{}", study_type.as_str()),
            Self::Funder(class) => write!(f, "funder:{}", class.as_str()),
            Self::AgeGroup(group) => write!(f, "agegroup:{}", group.as_str()),
            Self::InterventionType(kind) => write!(f, "intrtype:{}", kind.as_str()),
            Self::Sex(sex) => write!(f, "sex:{}", sex.as_str()),
            Self::Age(range) => {
                f.write_str("age:")?;
                write_bound(f, &range.low, true)?;
                f.write_str(",")?;
                write_bound(f, &range.high, false)
            }
            Self::Healthy(yes) => write!(f, "healthy:{}", if *yes { "yes" } else { "no" }),
            Self::Bookmarked(yes) => write!(f, "bookmarked:{}", if *yes { "yes" } else { "no" }),
            Self::Results(yes) => write!(f, "results:{}", if *yes { "yes" } else { "no" }),
            Self::Changed(what) => write!(f, "changed:{}", what.name()),
            Self::Date { field, range } => {
                write!(f, "{}:", field.name())?;
                write_bound(f, &range.from, true)?;
                f.write_str(",")?;
                write_bound(f, &range.to, false)
            }
            Self::Id(prefix) => write!(f, "id:{prefix}"),
            Self::Country(country) => write!(f, "country:{:?}", country.name()),
            Self::State(state) => write!(f, "state:{:?}", state.name),
            Self::Fits(fits) => write!(f, "fits:{}", fits.name),
            Self::Near(near) => write!(f, "near:{:?}:{}{}", near.typed, near.radius, near.unit.symbol()),
            Self::Text { field, value } => write!(f, "{}:{value:?}", field.name()),
            Self::Note(value) => write!(f, "note:{value:?}"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn filter(field: &str, value: &str) -> Filter {
        field_kind(field).unwrap().parse_value(value).unwrap()
    }

    fn error(field: &str, value: &str) -> String {
        field_kind(field).unwrap().parse_value(value).unwrap_err()
    }

    fn shown(field: &str, value: &str) -> String {
        filter(field, value).to_string()
    }

    #[test]
    fn statuses_in_any_spelling_and_the_open_and_closed_groups() {
        for spelling in ["recruiting", "RECRUITING", "Recruiting"] {
            assert_eq!(filter("status", spelling), Filter::Status(vec![Status::Recruiting]));
        }
        for spelling in ["not_yet_recruiting", "not yet recruiting", "Not-Yet-Recruiting", "NOTYETRECRUITING"]
        {
            assert_eq!(filter("status", spelling), Filter::Status(vec![Status::NotYetRecruiting]));
        }
        assert_eq!(
            filter("status", "active, not recruiting"),
            Filter::Status(vec![Status::ActiveNotRecruiting])
        );
        assert_eq!(filter("status", "unknown status"), Filter::Status(vec![Status::Unknown]));
        assert_eq!(
            shown("status", "open"),
            "status:RECRUITING|NOT_YET_RECRUITING|ENROLLING_BY_INVITATION|AVAILABLE"
        );
        let Filter::Status(closed) = filter("status", "Closed") else { panic!() };
        assert_eq!(closed.len(), Status::ALL.len() - OPEN_STATUSES.len());
        assert!(closed.contains(&Status::Completed) && !closed.contains(&Status::Recruiting));
    }

    #[test]
    fn a_misspelt_status_suggests_the_nearest_and_lists_them_all() {
        let message = error("status", "recruting");
        assert!(
            message.starts_with("status: unknown status \"recruting\" (did you mean recruiting?)"),
            "{message}"
        );
        assert!(message.contains("expected one of active_not_recruiting, completed,"), "{message}");
        assert!(message.ends_with("or open/closed"), "{message}");
        assert!(error("status", "opne").contains("did you mean open?"));
        assert!(!error("status", "zzz").contains("did you mean"));
    }

    #[test]
    fn phases_alone_together_and_not_applicable() {
        assert_eq!(filter("phase", "2"), Filter::Phase(vec![Phase::Phase2]));
        assert_eq!(filter("phase", "PHASE2"), Filter::Phase(vec![Phase::Phase2]));
        assert_eq!(filter("phase", "1/2"), Filter::Phase(vec![Phase::Phase1, Phase::Phase2]));
        assert_eq!(filter("phase", "phase1+phase2"), Filter::Phase(vec![Phase::Phase1, Phase::Phase2]));
        assert_eq!(filter("phase", "iii"), Filter::Phase(vec![Phase::Phase3]));
        for na in ["na", "NA", "n/a", "not applicable"] {
            assert_eq!(filter("phase", na), Filter::Phase(vec![Phase::NotApplicable]), "{na}");
        }
        for early in ["early1", "0", "early_phase1", "EARLY_PHASE1"] {
            assert_eq!(filter("phase", early), Filter::Phase(vec![Phase::EarlyPhase1]), "{early}");
        }
        assert!(error("phase", "5").starts_with("phase: expected 1, 2, 3, 4, early1"));
        assert!(error("phase", "1/").contains("\"1/\""));
    }

    #[test]
    fn types_sexes_and_yes_no() {
        assert_eq!(filter("type", "Interventional"), Filter::Type(StudyType::Interventional));
        assert_eq!(filter("type", "observational"), Filter::Type(StudyType::Observational));
        assert_eq!(filter("type", "expanded"), Filter::Type(StudyType::ExpandedAccess));
        assert_eq!(filter("type", "expanded_access"), Filter::Type(StudyType::ExpandedAccess));
        assert!(error("type", "rct").contains("interventional, observational or expanded"));
        assert_eq!(filter("sex", "FEMALE"), Filter::Sex(Sex::Female));
        assert!(error("sex", "x").contains("female, male or all"));
        assert_eq!(filter("healthy", "Yes"), Filter::Healthy(true));
        assert_eq!(filter("bookmarked", "no"), Filter::Bookmarked(false));
        assert_eq!(Filter::Bookmarked(true).to_string(), "bookmarked:yes");
        assert_eq!(filter("changed", "Dates"), Filter::Changed(ChangedWhat::Dates));
        assert_eq!(filter("changed", "yes").to_string(), "changed:yes");
        assert_eq!(
            error("changed", "soon"),
            "changed: expected yes, status, results, dates, eligibility or sites; not \"soon\""
        );
        assert_eq!(filter("note", "Cohort 2"), Filter::Note("cohort 2".into()));
        assert_eq!(Filter::Note("cohort".into()).to_string(), "note:\"cohort\"");
        assert_eq!(filter("results", "no"), Filter::Results(false));
        assert_eq!(error("healthy", "maybe"), "healthy: expected yes or no; not \"maybe\"");
    }

    #[test]
    fn ages_as_one_value_comparisons_and_ranges() {
        assert_eq!(shown("age", "45"), "age:[45,45]");
        assert_eq!(shown("age", "<18"), "age:(*,18)");
        assert_eq!(shown("age", "<=17"), "age:(*,17]");
        assert_eq!(shown("age", ">=65"), "age:[65,*)");
        assert_eq!(shown("age", ">65"), "age:(65,*)");
        assert_eq!(shown("age", "18..65"), "age:[18,65]");
        assert_eq!(shown("age", "..5"), "age:(*,5]");
        assert_eq!(shown("age", "0.5"), "age:[0.5,0.5]");
        for bad in ["old", "1e3", "inf", "-3", "..", "1.2.3", ">=", "18 years"] {
            assert!(error("age", bad).starts_with("age: expected an age in years"), "{bad}");
        }
        assert!(error("age", "65..18").contains("empty"));
    }

    #[test]
    fn dates_widen_to_whole_periods() {
        assert_eq!(shown("start", "2019"), "start:[2019-01-01,2019-12-31]");
        assert_eq!(shown("start", "=2019-02"), "start:[2019-02-01,2019-02-28]");
        assert_eq!(shown("start", "2019..2021"), "start:[2019-01-01,2021-12-31]");
        assert_eq!(shown("start", "2019-06.."), "start:[2019-06-01,*)");
        assert_eq!(shown("completion", "..2021"), "completion:(*,2021-12-31]");
        assert_eq!(shown("start", ">=2020"), "start:[2020-01-01,*)");
        assert_eq!(shown("start", ">2020"), "start:(2020-12-31,*)");
        assert_eq!(shown("start", "<2015-06"), "start:(*,2015-06-01)");
        assert_eq!(shown("updated", "<=2015-06"), "updated:(*,2015-06-30]");
        assert_eq!(shown("posted", "2024-06-03"), "posted:[2024-06-03,2024-06-03]");
        assert!(error("start", "soon").starts_with("start: expected a date"));
        assert!(error("start", "2015-13").contains("the month is not 1 to 12"));
        assert!(error("start", "2021..2019").contains("empty"));
    }

    #[test]
    fn ids_are_upper_case_prefixes() {
        assert_eq!(filter("id", "nct0123"), Filter::Id("NCT0123".into()));
        assert_eq!(filter("id", "0123"), Filter::Id("NCT0123".into()));
        assert_eq!(filter("id", "NCT01234567"), Filter::Id("NCT01234567".into()));
        assert!(error("id", "NCT012345678").contains("NCT number"));
        assert!(error("id", "abc").contains("NCT number"));
    }

    #[test]
    fn text_values_are_folded_and_need_a_letter_or_digit() {
        assert_eq!(shown("country", "cote d’ivoire"), "country:\"Côte D'Ivoire\"");
        assert_eq!(shown("state", "ga"), "state:\"Georgia\"");
        assert_eq!(filter("condition", "Diabetes"), filter("cond", "diabetes"));
        assert!(error("city", " & ").contains("letters or digits"));
        let term = filter("city", "New York").text_term().unwrap();
        assert_eq!(
            term,
            TextTerm {
                field: Some(TextField::City),
                words: vec!["new".into(), "york".into()],
                phrase: true,
                prefix: false
            }
        );
        assert_eq!(filter("age", "4").text_term(), None);
    }

    #[test]
    fn field_names_ignore_case_and_unknown_ones_get_a_suggestion() {
        assert_eq!(field_kind("STATUS"), Some(FieldKind::Status));
        assert_eq!(field_kind("Intervention"), Some(FieldKind::Text(TextField::Intervention)));
        assert_eq!(field_kind("foo"), None);
        let message = unknown_field_message("stauts");
        assert!(
            message.starts_with("unknown field stauts: (did you mean status:?); the fields are"),
            "{message}"
        );
        let message = unknown_field_message("foo");
        assert!(!message.contains("did you mean"), "{message}");
        assert!(message.contains("the fields are status, phase, type, sex, age,"), "{message}");
        assert!(unknown_field_message("contry").contains("did you mean country:?"));
        assert!(unknown_field_message("condit").contains("did you mean condition:?"));
    }

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("recruting", "recruiting"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
