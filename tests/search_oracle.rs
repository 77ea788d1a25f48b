//! An oracle for `nct search`'s filters: over a hundred synthetic studies are made at test time
//! from the bundled `assets/` (status, phases, start date, eligibility, results and countries
//! varied by a small deterministic generator), written as one JSON array, and for each query
//! the ids the real binary prints are compared, as a set, with the ids this file computes
//! itself from the raw JSON following the semantics documented in `src/query/filter.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

const ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");
/// Each run of the binary builds its full-text index, about 1.5 ms a study in a debug build:
/// enough studies for every case to split them, few enough to keep the test quick.
const STUDIES: usize = 120;

/// A linear congruential generator: the same corpus on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next()).unwrap() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const STATUSES: &[&str] = &[
    "RECRUITING",
    "NOT_YET_RECRUITING",
    "ENROLLING_BY_INVITATION",
    "AVAILABLE",
    "ACTIVE_NOT_RECRUITING",
    "COMPLETED",
    "TERMINATED",
    "SUSPENDED",
    "WITHDRAWN",
    "UNKNOWN",
];

const PHASES: &[&[&str]] = &[
    &["EARLY_PHASE1"],
    &["PHASE1"],
    &["PHASE1", "PHASE2"],
    &["PHASE2"],
    &["PHASE2", "PHASE3"],
    &["PHASE3"],
    &["PHASE4"],
    &["NA"],
];

/// Start dates at every precision, with some right at the queries' edges.
const DATES: &[&str] = &[
    "2012",
    "2014-12-31",
    "2015-05",
    "2015-05-31",
    "2015-06",
    "2015-06-01",
    "2015",
    "2018-12-31",
    "2019",
    "2019-01-01",
    "2019-07",
    "2020",
    "2020-03",
    "2020-12-31",
    "2021",
    "2021-01-01",
    "2021-07-15",
    "2023-02",
    "2025",
];

const MINIMUM_AGES: &[Option<&str>] = &[
    None,
    Some("18 Years"),
    Some("17 Years"),
    Some("45 Years"),
    Some("46 Years"),
    Some("540 Months"),
    Some("6 Months"),
    Some("4 Weeks"),
    Some("30 Days"),
    Some("216 Months"),
    Some("65 Years"),
];

const MAXIMUM_AGES: &[Option<&str>] = &[
    None,
    Some("17 Years"),
    Some("44 Years"),
    Some("45 Years"),
    Some("65 Years"),
    Some("540 Months"),
    Some("2340 Weeks"),
    Some("99 Years"),
];

const COUNTRIES: &[&str] =
    &["Japan", "United States", "Germany", "Côte D'Ivoire", "Korea, Republic of", "France", "Brazil"];

/// The asset studies, in file name order.
fn assets() -> Vec<Value> {
    let mut paths: Vec<_> = std::fs::read_dir(ASSETS)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|path| serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()).collect()
}

fn set_or_remove(object: &mut Value, key: &str, value: Option<Value>) {
    let map = object.as_object_mut().unwrap();
    match value {
        Some(value) => {
            map.insert(key.to_string(), value);
        }
        None => {
            map.remove(key);
        }
    }
}

fn corpus() -> Vec<Value> {
    let assets = assets();
    assert!(!assets.is_empty());
    let mut rng = Lcg(20_240_601);
    (0..STUDIES)
        .map(|n| {
            let mut study = assets[n % assets.len()].clone();
            // Only what the filters read matters; less text makes the binary's index quicker.
            for section in ["resultsSection", "derivedSection", "documentSection", "annotationSection"] {
                study.as_object_mut().unwrap().remove(section);
            }
            study["hasResults"] = json!(rng.below(3) == 0);
            let protocol = &mut study["protocolSection"];
            protocol["identificationModule"]["nctId"] = json!(format!("NCT9{n:07}"));
            for module in ["outcomesModule", "referencesModule", "ipdSharingStatementModule"] {
                protocol.as_object_mut().unwrap().remove(module);
            }
            if let Some(description) = protocol.get_mut("descriptionModule").and_then(Value::as_object_mut) {
                description.remove("detailedDescription");
            }

            protocol["statusModule"]["overallStatus"] = json!(rng.pick(STATUSES));
            let start = (rng.below(8) != 0).then(|| json!({ "date": rng.pick(DATES), "type": "ACTUAL" }));
            set_or_remove(&mut protocol["statusModule"], "startDateStruct", start);

            let design = &mut protocol["designModule"];
            if rng.below(4) == 0 {
                design["studyType"] = json!("OBSERVATIONAL");
                design.as_object_mut().unwrap().remove("phases");
            } else {
                design["studyType"] = json!("INTERVENTIONAL");
                design["phases"] = json!(rng.pick(PHASES));
            }

            if protocol.get("eligibilityModule").is_none() {
                protocol["eligibilityModule"] = json!({});
            }
            let eligibility = &mut protocol["eligibilityModule"];
            let sex = rng.pick(&[None, Some("FEMALE"), Some("MALE"), Some("ALL")]).map(|s| json!(s));
            set_or_remove(eligibility, "sex", sex);
            let minimum = rng.pick(MINIMUM_AGES).map(|a| json!(a));
            set_or_remove(eligibility, "minimumAge", minimum);
            let maximum = rng.pick(MAXIMUM_AGES).map(|a| json!(a));
            set_or_remove(eligibility, "maximumAge", maximum);
            let healthy = rng.pick(&[None, Some(true), Some(false)]).map(|h| json!(h));
            set_or_remove(eligibility, "healthyVolunteers", healthy);
            eligibility.as_object_mut().unwrap().remove("eligibilityCriteria");

            let sites: Vec<Value> = (0..rng.below(4))
                .map(|i| json!({ "facility": format!("Site {i}"), "city": "Springfield", "country": rng.pick(COUNTRIES) }))
                .collect();
            if protocol.get("contactsLocationsModule").is_none() {
                protocol["contactsLocationsModule"] = json!({});
            }
            protocol["contactsLocationsModule"]["locations"] = json!(sites);
            study
        })
        .collect()
}

// The oracle's own reading of the raw JSON.

fn protocol(study: &Value) -> &Value {
    &study["protocolSection"]
}

fn id(study: &Value) -> String {
    protocol(study)["identificationModule"]["nctId"].as_str().unwrap().to_string()
}

fn status(study: &Value) -> &str {
    protocol(study)["statusModule"]["overallStatus"].as_str().unwrap_or("")
}

fn is_open(study: &Value) -> bool {
    ["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "AVAILABLE"].contains(&status(study))
}

fn has_phase(study: &Value, phase: &str) -> bool {
    protocol(study)["designModule"]["phases"]
        .as_array()
        .is_some_and(|phases| phases.iter().any(|p| p.as_str() == Some(phase)))
}

fn study_type(study: &Value) -> &str {
    protocol(study)["designModule"]["studyType"].as_str().unwrap_or("")
}

fn eligibility(study: &Value) -> &Value {
    &protocol(study)["eligibilityModule"]
}

/// Whether a participant of this sex may join; a study that says nothing takes everyone.
fn takes_sex(study: &Value, sex: &str) -> bool {
    match eligibility(study)["sex"].as_str() {
        None | Some("ALL") => true,
        Some(recorded) => recorded == sex,
    }
}

/// `"540 Months"` in years (a year of 365.25 days, a month a twelfth of a year).
fn years(text: &str) -> f64 {
    let (number, unit) = text.split_once(' ').unwrap();
    let number: f64 = number.parse().unwrap();
    let per = match unit.trim_end_matches('s').to_ascii_lowercase().as_str() {
        "year" => 1.0,
        "month" => 1.0 / 12.0,
        "week" => 7.0 / 365.25,
        "day" => 1.0 / 365.25,
        other => panic!("unit {other}"),
    };
    number * per
}

fn age_bound(study: &Value, key: &str) -> Option<f64> {
    eligibility(study)[key].as_str().map(years)
}

const SLACK: f64 = 1e-6;

/// Whether the study's range (inclusive, missing bounds open) holds `age`.
fn takes_age(study: &Value, age: f64) -> bool {
    age_bound(study, "minimumAge").is_none_or(|min| min <= age + SLACK)
        && age_bound(study, "maximumAge").is_none_or(|max| age <= max + SLACK)
}

/// Whether the study takes someone younger than `age`.
fn takes_under(study: &Value, age: f64) -> bool {
    age_bound(study, "minimumAge").is_none_or(|min| min < age - SLACK)
}

fn healthy(study: &Value) -> bool {
    eligibility(study)["healthyVolunteers"].as_bool() == Some(true)
}

fn results(study: &Value) -> bool {
    study["hasResults"].as_bool() == Some(true)
}

fn in_country(study: &Value, needle: &str) -> bool {
    protocol(study)["contactsLocationsModule"]["locations"].as_array().is_some_and(|sites| {
        sites.iter().any(|site| {
            site["country"].as_str().is_some_and(|c| c.to_lowercase().contains(&needle.to_lowercase()))
        })
    })
}

/// The start date's first day as (year, month, day).
fn start(study: &Value) -> Option<(u32, u32, u32)> {
    let text = protocol(study)["statusModule"]["startDateStruct"]["date"].as_str()?;
    let mut parts = text.split('-').map(|p| p.parse::<u32>().unwrap());
    Some((parts.next().unwrap(), parts.next().unwrap_or(1), parts.next().unwrap_or(1)))
}

fn start_in(study: &Value, test: impl Fn((u32, u32, u32)) -> bool) -> bool {
    start(study).is_some_and(test)
}

type Oracle = fn(&Value) -> bool;

const CASES: &[(&str, Oracle)] = &[
    ("status:recruiting", |s| status(s) == "RECRUITING"),
    ("status:Not_Yet-Recruiting", |s| status(s) == "NOT_YET_RECRUITING"),
    ("status:open", is_open),
    ("status:closed", |s| !is_open(s)),
    ("phase:2", |s| has_phase(s, "PHASE2")),
    ("phase:1/2", |s| has_phase(s, "PHASE1") && has_phase(s, "PHASE2")),
    ("phase:na", |s| has_phase(s, "NA")),
    ("phase:early1", |s| has_phase(s, "EARLY_PHASE1")),
    ("phase:iv", |s| has_phase(s, "PHASE4")),
    ("type:observational", |s| study_type(s) == "OBSERVATIONAL"),
    ("sex:female", |s| takes_sex(s, "FEMALE")),
    ("sex:all", |s| eligibility(s)["sex"].as_str().is_none_or(|x| x == "ALL")),
    ("age:45", |s| takes_age(s, 45.0)),
    ("age:17", |s| takes_age(s, 17.0)),
    ("age:<18", |s| takes_under(s, 18.0)),
    ("healthy:yes", healthy),
    ("healthy:no", |s| !healthy(s)),
    ("results:yes", results),
    ("country:japan", |s| in_country(s, "japan")),
    ("start:>=2020", |s| start_in(s, |d| d >= (2020, 1, 1))),
    ("start:>2020", |s| start_in(s, |d| d > (2020, 12, 31))),
    ("start:2019", |s| start_in(s, |d| ((2019, 1, 1)..=(2019, 12, 31)).contains(&d))),
    ("start:2019..2020", |s| start_in(s, |d| ((2019, 1, 1)..=(2020, 12, 31)).contains(&d))),
    ("start:<2015-06", |s| start_in(s, |d| d < (2015, 6, 1))),
    ("start:<=2015-06", |s| start_in(s, |d| d <= (2015, 6, 30))),
    ("-start:2019..2020", |s| !start_in(s, |d| ((2019, 1, 1)..=(2020, 12, 31)).contains(&d))),
    ("phase:3 status:recruiting", |s| has_phase(s, "PHASE3") && status(s) == "RECRUITING"),
    ("-status:completed type:interventional", |s| {
        status(s) != "COMPLETED" && study_type(s) == "INTERVENTIONAL"
    }),
    ("status:recruiting OR status:completed", |s| matches!(status(s), "RECRUITING" | "COMPLETED")),
    ("sex:female age:<18 healthy:yes", |s| takes_sex(s, "FEMALE") && takes_under(s, 18.0) && healthy(s)),
    ("NOT (phase:2 OR phase:3) country:japan", |s| {
        !(has_phase(s, "PHASE2") || has_phase(s, "PHASE3")) && in_country(s, "japan")
    }),
    ("status:open AND start:>=2020 results:no", |s| {
        is_open(s) && start_in(s, |d| d >= (2020, 1, 1)) && !results(s)
    }),
    ("phase:4 type:observational", |s| has_phase(s, "PHASE4") && study_type(s) == "OBSERVATIONAL"),
];

fn run(query: &str, file: &Path, home: &Path) -> (i32, BTreeSet<String>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", "--format", "ids", "--limit", "0", "--", query])
        .arg(file)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .output()
        .expect("run nct");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let ids = stdout.lines().map(str::to_string).collect();
    (output.status.code().unwrap_or(-1), ids, String::from_utf8_lossy(&output.stderr).into_owned())
}

const WORKERS: usize = 2;

/// What is wrong with the binary's answer to one case, if anything.
fn check((query, oracle): &(&str, Oracle), studies: &[Value], file: &Path, home: &Path) -> Option<String> {
    let expected: BTreeSet<String> = studies.iter().filter(|s| oracle(s)).map(id).collect();
    let (code, got, stderr) = run(query, file, home);
    let want_code = if expected.is_empty() { 1 } else { 0 };
    (code != want_code || got != expected).then(|| {
        let missing: Vec<_> = expected.difference(&got).take(5).collect();
        let extra: Vec<_> = got.difference(&expected).take(5).collect();
        format!(
            "{query}: exit {code} (want {want_code}), {} expected, {} printed; missing (first) {missing:?}, \
             extra (first) {extra:?}; {stderr}",
            expected.len(),
            got.len()
        )
    })
}

#[test]
fn filters_agree_with_an_independent_reading_of_the_json() {
    let studies = corpus();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("studies.json");
    std::fs::write(&file, serde_json::to_string(&studies).unwrap()).unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir(&home).unwrap();

    let every: BTreeSet<String> = studies.iter().map(id).collect();
    assert_eq!(every.len(), STUDIES);
    let (code, all, stderr) = run("", &file, &home);
    assert_eq!((code, &all), (0, &every), "the empty query: {stderr}");

    // The runs are independent: a few at a time keep the test quick.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = CASES
            .chunks(CASES.len().div_ceil(WORKERS))
            .map(|cases| {
                scope.spawn(|| {
                    cases.iter().filter_map(|case| check(case, &studies, &file, &home)).collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_corpus_exercises_every_case() {
    // Each query must pick some studies and leave some out, or it proves little; one is meant to
    // find nothing, for the exit status.
    let studies = corpus();
    for (query, oracle) in CASES {
        let hits = studies.iter().filter(|s| oracle(s)).count();
        let none_meant = *query == "phase:4 type:observational";
        assert!((hits > 0 || none_meant) && hits < studies.len(), "{query}: {hits} of {}", studies.len());
    }
}
