//! Places: what `country:` and `state:` values mean. This file owns the table of countries the
//! registry names (`places.tsv`: ISO 3166 alpha-2 and alpha-3 codes, every spelling the registry
//! has written for the country, and the names people type) and the table of US states, and
//! resolving what the user typed to one entry of either.
//!
//! Typed text and table names are compared by their [`key`]: folded (case and accents), `&` read
//! as `and`, then only letters and digits, so `U.S.`, `us` and `US` are one key, and `Cote
//! d'Ivoire` is `Côte D'Ivoire`. A key names one country (a test checks the table), so `country:`
//! never matches by substring: `us` is the United States, not Australia or Russia.
//!
//! A study matches a country when one of its sites' countries is one of that country's registry
//! spellings (the registry renamed some: `Czech Republic` then `Czechia`, `Turkey` then `Turkey
//! (Türkiye)`), compared whole. A spelling not in the table matches nothing; when the registry
//! adds one, it goes into `places.tsv`.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::filter::edit_distance;
use super::fold::fold;

/// One country of the table.
#[derive(Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166 alpha-2, upper case.
    pub alpha2: &'static str,
    /// ISO 3166 alpha-3, upper case.
    pub alpha3: &'static str,
    /// The registry's spellings, the current one first: what a site's country is compared with.
    pub registry_names: Vec<&'static str>,
    /// Other names people type (`UK`, `South Korea`), not written by the registry.
    pub aliases: Vec<&'static str>,
}

impl Country {
    /// The registry's current name for the country.
    pub fn name(&self) -> &'static str {
        self.registry_names.first().copied().unwrap_or(self.alpha3)
    }

    /// Whether `site_country`, as a study's site writes it, is this country.
    pub fn is_named(&self, site_country: &str) -> bool {
        self.registry_names.iter().any(|name| {
            // Sites write the registry's spelling; only non-ASCII ones need folding to compare.
            name.eq_ignore_ascii_case(site_country)
                || ((!site_country.is_ascii() || !name.is_ascii()) && fold(site_country) == fold(name))
        })
    }
}

/// A US state (or the District of Columbia), as the registry names it in a US site's `state`.
#[derive(Debug, PartialEq, Eq)]
pub struct UsState {
    pub name: &'static str,
    /// The two-letter postal code.
    pub code: &'static str,
}

impl UsState {
    /// Whether a US site's `state` is this state.
    pub fn is_named(&self, site_state: &str) -> bool {
        self.name.eq_ignore_ascii_case(site_state.trim()) || self.code.eq_ignore_ascii_case(site_state.trim())
    }
}

/// The states, with the District of Columbia; Puerto Rico, Guam and the other territories are
/// countries in the registry.
pub const US_STATES: &[UsState] = &[
    UsState { name: "Alabama", code: "AL" },
    UsState { name: "Alaska", code: "AK" },
    UsState { name: "Arizona", code: "AZ" },
    UsState { name: "Arkansas", code: "AR" },
    UsState { name: "California", code: "CA" },
    UsState { name: "Colorado", code: "CO" },
    UsState { name: "Connecticut", code: "CT" },
    UsState { name: "Delaware", code: "DE" },
    UsState { name: "District of Columbia", code: "DC" },
    UsState { name: "Florida", code: "FL" },
    UsState { name: "Georgia", code: "GA" },
    UsState { name: "Hawaii", code: "HI" },
    UsState { name: "Idaho", code: "ID" },
    UsState { name: "Illinois", code: "IL" },
    UsState { name: "Indiana", code: "IN" },
    UsState { name: "Iowa", code: "IA" },
    UsState { name: "Kansas", code: "KS" },
    UsState { name: "Kentucky", code: "KY" },
    UsState { name: "Louisiana", code: "LA" },
    UsState { name: "Maine", code: "ME" },
    UsState { name: "Maryland", code: "MD" },
    UsState { name: "Massachusetts", code: "MA" },
    UsState { name: "Michigan", code: "MI" },
    UsState { name: "Minnesota", code: "MN" },
    UsState { name: "Mississippi", code: "MS" },
    UsState { name: "Missouri", code: "MO" },
    UsState { name: "Montana", code: "MT" },
    UsState { name: "Nebraska", code: "NE" },
    UsState { name: "Nevada", code: "NV" },
    UsState { name: "New Hampshire", code: "NH" },
    UsState { name: "New Jersey", code: "NJ" },
    UsState { name: "New Mexico", code: "NM" },
    UsState { name: "New York", code: "NY" },
    UsState { name: "North Carolina", code: "NC" },
    UsState { name: "North Dakota", code: "ND" },
    UsState { name: "Ohio", code: "OH" },
    UsState { name: "Oklahoma", code: "OK" },
    UsState { name: "Oregon", code: "OR" },
    UsState { name: "Pennsylvania", code: "PA" },
    UsState { name: "Rhode Island", code: "RI" },
    UsState { name: "South Carolina", code: "SC" },
    UsState { name: "South Dakota", code: "SD" },
    UsState { name: "Tennessee", code: "TN" },
    UsState { name: "Texas", code: "TX" },
    UsState { name: "Utah", code: "UT" },
    UsState { name: "Vermont", code: "VT" },
    UsState { name: "Virginia", code: "VA" },
    UsState { name: "Washington", code: "WA" },
    UsState { name: "West Virginia", code: "WV" },
    UsState { name: "Wisconsin", code: "WI" },
    UsState { name: "Wyoming", code: "WY" },
];

const TABLE: &str = include_str!("places.tsv");

/// Every country of the table, in its order.
pub fn countries() -> &'static [Country] {
    &COUNTRIES
}

static COUNTRIES: LazyLock<Vec<Country>> = LazyLock::new(|| TABLE.lines().filter_map(read_line).collect());

/// Each key (name, spelling, alias, code) to the countries it names: one, unless the table is
/// wrong, which a test catches.
static BY_KEY: LazyLock<HashMap<String, Vec<usize>>> = LazyLock::new(|| {
    let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
    for (at, country) in COUNTRIES.iter().enumerate() {
        for spelling in spellings(country) {
            let entry = by_key.entry(key(spelling)).or_default();
            if !entry.contains(&at) {
                entry.push(at);
            }
        }
    }
    by_key
});

fn spellings(country: &Country) -> impl Iterator<Item = &'static str> + '_ {
    [country.alpha2, country.alpha3]
        .into_iter()
        .chain(country.registry_names.iter().copied())
        .chain(country.aliases.iter().copied())
}

/// `AF AFG Afghanistan | Other spelling = Alias | Alias`; comments and blank lines give `None`.
fn read_line(line: &'static str) -> Option<Country> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let mut parts = line.splitn(3, ' ');
    let (alpha2, alpha3, names) = (parts.next()?, parts.next()?, parts.next()?);
    let (registry, aliases) = names.split_once(" = ").unwrap_or((names, ""));
    let list = |text: &'static str| -> Vec<&'static str> {
        text.split('|').map(str::trim).filter(|name| !name.is_empty()).collect()
    };
    Some(Country { alpha2, alpha3, registry_names: list(registry), aliases: list(aliases) })
}

/// What names are compared by: folded, `&` as `and`, only letters and digits.
pub fn key(text: &str) -> String {
    fold(&text.replace('&', " and ")).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The country `typed` names, or the message saying it names none, with the nearest names.
pub fn resolve_country(typed: &str) -> Result<&'static Country, String> {
    let mut wanted = key(typed);
    // "The Gambia", "the Netherlands": the article is not part of the name.
    if !BY_KEY.contains_key(&wanted)
        && let Some(rest) = wanted.strip_prefix("the")
        && BY_KEY.contains_key(rest)
    {
        wanted = rest.to_owned();
    }
    if let Some(&[at]) = BY_KEY.get(&wanted).map(Vec::as_slice)
        && let Some(country) = COUNTRIES.get(at)
    {
        return Ok(country);
    }
    let names =
        COUNTRIES.iter().flat_map(|c| c.registry_names.iter().chain(&c.aliases).map(move |n| (*n, c.name())));
    Err(format!(
        "country: no country is called {typed:?}{}; give a country's name, its ISO code (US, GB, \
         DEU) or a common name (USA, UK, South Korea)",
        suggestions(&wanted, names)
    ))
}

/// The US state `typed` names (its name or postal code), or the message saying it names none.
pub fn resolve_state(typed: &str) -> Result<&'static UsState, String> {
    let wanted = key(typed);
    if let Some(state) = US_STATES.iter().find(|s| key(s.name) == wanted || key(s.code) == wanted) {
        return Ok(state);
    }
    let names = US_STATES.iter().map(|s| (s.name, s.name));
    Err(format!(
        "state: no US state is called {typed:?}{}; give a state's name or postal code (state:ny, \
         state:\"new york\")",
        suggestions(&wanted, names)
    ))
}

/// ` (did you mean A, B or C?)` for the names nearest `wanted` (a key), each `(spelling, shown)`;
/// empty when none is near.
fn suggestions(wanted: &str, names: impl Iterator<Item = (&'static str, &'static str)>) -> String {
    if wanted.is_empty() {
        return String::new();
    }
    let mut ranked: Vec<((bool, usize), &str)> = names
        .filter_map(|(spelling, shown)| {
            let target = key(spelling);
            let distance = edit_distance(wanted, &target);
            let len = target.chars().count();
            let near = len > 3 && distance <= (len / 3).max(2);
            let start = wanted.chars().count() >= 3 && target.starts_with(wanted);
            (near || start).then_some(((!start, distance), shown))
        })
        .collect();
    ranked.sort();
    let mut shown: Vec<&str> = Vec::new();
    for (_, name) in ranked {
        if !shown.contains(&name) && shown.len() < 3 {
            shown.push(name);
        }
    }
    match shown.as_slice() {
        [] => String::new(),
        [one] => format!(" (did you mean {one:?}?)"),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(|n| format!("{n:?}")).collect();
            format!(" (did you mean {} or {last:?}?)", init.join(", "))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_table_is_read() {
        let lines = TABLE.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).count();
        assert_eq!(countries().len(), lines);
        for country in countries() {
            assert_eq!(country.alpha2.len(), 2, "{country:?}");
            assert_eq!(country.alpha3.len(), 3, "{country:?}");
            assert!(!country.registry_names.is_empty(), "{country:?}");
        }
    }

    #[test]
    fn every_key_names_one_country() {
        for (key, at) in BY_KEY.iter() {
            let names: Vec<&str> = at.iter().map(|&i| countries()[i].name()).collect();
            assert_eq!(at.len(), 1, "{key:?} names {names:?}");
        }
    }

    #[test]
    fn a_state_by_name_or_code() {
        assert_eq!(resolve_state("ny").unwrap().name, "New York");
        assert_eq!(resolve_state("New York").unwrap().code, "NY");
        assert_eq!(resolve_state("georgia").unwrap().code, "GA");
        assert!(resolve_state("Ontario").is_err());
        assert!(resolve_state("Calfornia").unwrap_err().contains("did you mean \"California\"?"));
    }

    #[test]
    fn unknown_countries_get_the_nearest_names() {
        let message = resolve_country("Frnace").unwrap_err();
        assert!(
            message.starts_with("country: no country is called \"Frnace\" (did you mean \"France\"?)"),
            "{message}"
        );
        let message = resolve_country("united").unwrap_err();
        assert!(message.contains("\"United Arab Emirates\""), "{message}");
        assert!(message.contains("\"United Kingdom\""), "{message}");
        assert!(!resolve_country("qqqqqq").unwrap_err().contains("did you mean"));
        assert_eq!(resolve_country("the Netherlands").unwrap().alpha2, "NL");
        assert_eq!(resolve_country("Antigua & Barbuda").unwrap().alpha2, "AG");
    }

    #[test]
    fn a_site_matches_its_registry_spellings_whole() {
        let us = resolve_country("usa").unwrap();
        assert!(us.is_named("United States"));
        assert!(!us.is_named("United States Minor Outlying Islands"));
        let turkey = resolve_country("Türkiye").unwrap();
        assert!(turkey.is_named("Turkey (Türkiye)"));
        assert!(turkey.is_named("Turkey (Turkiye)"));
        assert!(turkey.is_named("Turkey"));
        assert!(!resolve_country("uk").unwrap().is_named("Ukraine"));
    }
}
