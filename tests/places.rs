//! `country:` and `state:` as a user meets them: the hand-written answer key in
//! `tests/keys/countries.tsv` scored against nct's resolution (100% required), every registry
//! country name resolving to itself, and `nct search` on a corpus made here finding whole
//! countries, US states by name or code, and refusing an unknown country with a suggestion.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

use nct::query::places::{countries, resolve_country, resolve_state};

const KEY: &str = include_str!("keys/countries.tsv");

#[test]
fn the_answer_key_scores_one_hundred_percent() {
    let mut total = 0;
    let mut wrong = Vec::new();
    for line in KEY.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let [field, typed, expected] = line.split('\t').collect::<Vec<_>>()[..] else {
            panic!("key line is not three tab-separated columns: {line:?}")
        };
        total += 1;
        let got = match field {
            "country" => resolve_country(typed).map(|c| c.name().to_string()),
            "state" => resolve_state(typed).map(|s| s.name.to_string()),
            other => panic!("unknown field {other:?} in the key"),
        };
        if got.as_deref() != Ok(expected) {
            wrong.push(format!("{field}:{typed:?} gave {got:?}, expected {expected:?}"));
        }
    }
    let right = total - wrong.len();
    println!("places answer key: {right}/{total} right");
    assert!(total >= 60, "the key has only {total} entries");
    assert!(wrong.is_empty(), "{right}/{total} right; wrong:\n{}", wrong.join("\n"));
}

#[test]
fn every_registry_name_and_code_resolves_to_its_own_country() {
    for country in countries() {
        for name in
            country.registry_names.iter().chain(&country.aliases).chain([&country.alpha2, &country.alpha3])
        {
            let got = resolve_country(name).map(|c| c.name());
            assert_eq!(got, Ok(country.name()), "{name:?}");
            let shouted = name.to_uppercase();
            assert_eq!(resolve_country(&shouted).map(|c| c.name()), Ok(country.name()), "{shouted:?}");
        }
        for name in &country.registry_names {
            assert!(country.is_named(name), "{name:?}");
        }
    }
    // The names the registry writes in its records today, as the samples show them.
    for name in [
        "United States",
        "Korea, Republic of",
        "South Korea",
        "Russian Federation",
        "Russia",
        "Iran, Islamic Republic of",
        "Czechia",
        "Czech Republic",
        "Turkey",
        "Turkey (Türkiye)",
        "Vietnam",
        "Taiwan",
        "Côte D'Ivoire",
        "Palestinian Territories, Occupied",
        "Palestinian Territory, occupied",
        "Brunei Darussalam",
        "Niue",
        "Guam",
        "Puerto Rico",
        "Hong Kong",
    ] {
        let country = resolve_country(name).unwrap();
        assert!(country.is_named(name), "{name:?}");
    }
}

/// A study with sites in these (city, state, country) places.
fn study(id: &str, sites: &[(&str, &str, &str)]) -> String {
    let locations: Vec<String> = sites
        .iter()
        .map(|(city, state, country)| {
            let state = if state.is_empty() { String::new() } else { format!(r#""state": "{state}", "#) };
            format!(r#"{{"city": "{city}", {state}"country": "{country}"}}"#)
        })
        .collect();
    format!(
        r#"{{"protocolSection": {{"identificationModule": {{"nctId": "{id}", "briefTitle": "Study {id} of diabetes"}},
            "conditionsModule": {{"conditions": ["Diabetes"]}},
            "contactsLocationsModule": {{"locations": [{}]}}}}}}"#,
        locations.join(", ")
    )
}

fn corpus(dir: &Path) {
    let studies = [
        study("NCT00000001", &[("Boston", "Massachusetts", "United States")]),
        study("NCT00000002", &[("Sydney", "New South Wales", "Australia")]),
        study("NCT00000003", &[("Vienna", "", "Austria")]),
        study("NCT00000004", &[("Moscow", "", "Russian Federation")]),
        study("NCT00000005", &[("Kyiv", "", "Ukraine")]),
        study("NCT00000006", &[("London", "", "United Kingdom")]),
        study("NCT00000007", &[("Atlanta", "Georgia", "United States"), ("Paris", "", "France")]),
        study("NCT00000008", &[("Tbilisi", "", "Georgia")]),
        study("NCT00000009", &[("Istanbul", "", "Turkey (Türkiye)")]),
        study("NCT00000010", &[("Ankara", "", "Turkey")]),
        study("NCT00000011", &[("Niamey", "", "Niger")]),
        study("NCT00000012", &[("Lagos", "", "Nigeria")]),
        study("NCT00000013", &[("Seoul", "", "Korea, Republic of")]),
        study("NCT00000014", &[("Busan", "", "South Korea")]),
    ];
    std::fs::write(dir.join("studies.json"), format!("[{}]\n", studies.join(",\n"))).unwrap();
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn search(dir: &Path, query: &str) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", query])
        .arg(dir.join("studies.json"))
        .args(["--format", "ids", "--limit", "0"])
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("COLUMNS", "100")
        .output()
        .expect("run nct");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn ids(dir: &Path, query: &str) -> Vec<String> {
    let run = search(dir, query);
    assert!(run.code == 0 || run.code == 1, "{query}: exit {} {}", run.code, run.stderr);
    // The study numbers, in order, so the assertions read short.
    let mut numbers: Vec<u32> =
        run.stdout.lines().map(|id| id.trim_start_matches("NCT").parse().expect("an NCT id")).collect();
    numbers.sort_unstable();
    numbers.iter().map(u32::to_string).collect()
}

#[test]
fn nct_search_finds_whole_countries_by_any_name_and_states_by_name_or_code() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    for us in ["us", "US", "USA", "U.S.", "\"united states\"", "\"United States of America\"", "america"] {
        assert_eq!(ids(dir.path(), &format!("country:{us}")), ["1", "7"], "country:{us}");
    }
    assert_eq!(ids(dir.path(), "country:UK"), ["6"]);
    assert_eq!(ids(dir.path(), "country:\"great britain\""), ["6"]);
    assert_eq!(ids(dir.path(), "country:ukraine"), ["5"]);
    assert_eq!(ids(dir.path(), "country:russia"), ["4"]);
    assert_eq!(ids(dir.path(), "country:AT"), ["3"]);
    assert_eq!(ids(dir.path(), "country:türkiye"), ["9", "10"]);
    assert_eq!(ids(dir.path(), "country:niger"), ["11"]);
    assert_eq!(ids(dir.path(), "country:\"south korea\""), ["13", "14"]);
    assert_eq!(ids(dir.path(), "country:georgia"), ["8"]);
    assert_eq!(ids(dir.path(), "state:georgia"), ["7"]);
    assert_eq!(ids(dir.path(), "state:GA"), ["7"]);
    assert_eq!(ids(dir.path(), "state:ma OR state:ga"), ["1", "7"]);
    assert_eq!(ids(dir.path(), "country:us -state:ga"), ["1"]);
}

#[test]
fn an_unknown_country_or_state_is_an_error_with_a_caret_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let run = search(dir.path(), "diabetes country:Germny");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("no country is called \"Germny\" (did you mean \"Germany\"?)"),
        "{}",
        run.stderr
    );
    let caret = run.stderr.lines().find(|l| l.trim_start().starts_with('^')).expect("a caret line");
    let query = run.stderr.lines().find(|l| l.contains("diabetes country:Germny")).expect("the query echoed");
    let at = query.find("Germny").unwrap();
    assert_eq!(caret.find('^'), Some(at), "{}", run.stderr);
    assert_eq!(caret.trim(), "^^^^^^", "{}", run.stderr);
    let run = search(dir.path(), "state:Ontario");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no US state is called \"Ontario\""), "{}", run.stderr);
}
