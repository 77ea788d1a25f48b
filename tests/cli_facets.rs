//! `nct facets` and `nct search --sort` through the real binary, over studies written here: the
//! counts and orders are computed again in the test from the raw JSON (walking
//! `serde_json::Value`, none of nct's code), and must agree.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

/// `nct ARGS` with the user's folders in `home` and no cache: (exit code, stdout, stderr).
fn nct(home: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("NCT_CACHE", "off")
        .output()
        .expect("run nct");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A small deterministic generator, so that the studies vary without a crate.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.roll(items.len())]
    }

    /// Up to `most` distinct items.
    fn some<'a>(&mut self, items: &[&'a str], most: usize) -> Vec<&'a str> {
        let mut chosen = Vec::new();
        for _ in 0..self.roll(most + 1) {
            let item = self.pick(items);
            if !chosen.contains(&item) {
                chosen.push(item);
            }
        }
        chosen
    }
}

const STATUSES: &[&str] = &["RECRUITING", "COMPLETED", "TERMINATED", "NOT_YET_RECRUITING", "WITHDRAWN"];
const PHASES: &[&str] = &["EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA"];
const COUNTRIES: &[&str] = &["United States", "France", "Côte D'Ivoire", "Japan", "Brazil"];
const SPONSORS: &[&str] =
    &["Pfizer", "Assistance Publique - Hôpitaux de Paris", "National Cancer Institute (NCI)"];
const CLASSES: &[&str] = &["INDUSTRY", "OTHER", "NIH", "OTHER_GOV"];
const CONDITIONS: &[&str] = &["Asthma", "Diabetes Mellitus, Type 2", "Psoriasis", "Breast Cancer"];
const INTERVENTIONS: &[&str] = &["DRUG", "DEVICE", "BEHAVIORAL", "PROCEDURE", "OTHER"];
const AGES: &[&str] = &["CHILD", "ADULT", "OLDER_ADULT"];
const SEXES: &[&str] = &["ALL", "FEMALE", "MALE"];

/// Study `n` in the registry's shape, fields left out now and then as real records do.
fn study(n: usize, dice: &mut Dice) -> Value {
    let id = format!("NCT{:08}", 5_000_000 - n * 7919 % 4_000_000);
    let interventional = dice.roll(4) != 0;
    let mut status = json!({ "overallStatus": dice.pick(STATUSES) });
    if dice.roll(6) != 0 {
        let year = 2005 + dice.roll(18);
        let date = match dice.roll(3) {
            0 => format!("{year}"),
            1 => format!("{year}-{:02}", 1 + dice.roll(12)),
            _ => format!("{year}-{:02}-{:02}", 1 + dice.roll(12), 1 + dice.roll(28)),
        };
        status["startDateStruct"] = json!({ "date": date });
    }
    if dice.roll(5) != 0 {
        status["completionDateStruct"] =
            json!({ "date": format!("{}-{:02}", 2010 + dice.roll(15), 1 + dice.roll(12)) });
    }
    status["lastUpdatePostDateStruct"] = json!({ "date": format!("{}-{:02}-{:02}", 2015 + dice.roll(10), 1 + dice.roll(12), 1 + dice.roll(28)) });
    let mut design = json!({ "studyType": if interventional { "INTERVENTIONAL" } else { "OBSERVATIONAL" } });
    if interventional {
        let mut phases = dice.some(PHASES, 2);
        if phases.is_empty() {
            phases.push("NA");
        }
        design["phases"] = json!(phases);
    }
    if dice.roll(5) != 0 {
        design["enrollmentInfo"] = json!({ "count": dice.roll(4) * 50 + dice.roll(3), "type": "ACTUAL" });
    }
    let mut eligibility = json!({ "stdAges": dice.some(AGES, 3) });
    if dice.roll(5) != 0 {
        eligibility["sex"] = json!(dice.pick(SEXES));
    }
    let mut lead = json!({ "name": dice.pick(SPONSORS) });
    if dice.roll(6) != 0 {
        lead["class"] = json!(dice.pick(CLASSES));
    }
    // Sites: some countries twice, as in a study with several sites in one country.
    let locations: Vec<Value> = (0..dice.roll(5))
        .map(|site| json!({ "facility": format!("Site {site}"), "country": dice.pick(COUNTRIES) }))
        .collect();
    let interventions: Vec<Value> = dice
        .some(INTERVENTIONS, 3)
        .into_iter()
        .enumerate()
        .map(|(k, kind)| json!({ "type": kind, "name": format!("Thing {k}") }))
        .chain((dice.roll(3) == 0).then(|| json!({ "type": "DRUG", "name": "Another drug" })))
        .collect();
    json!({
        "protocolSection": {
            "identificationModule": { "nctId": id, "briefTitle": format!("Study number {n}") },
            "statusModule": status,
            "sponsorCollaboratorsModule": { "leadSponsor": lead },
            "conditionsModule": { "conditions": dice.some(CONDITIONS, 3) },
            "designModule": design,
            "armsInterventionsModule": { "interventions": interventions },
            "eligibilityModule": eligibility,
            "contactsLocationsModule": { "locations": locations },
        },
        "hasResults": dice.roll(3) == 0,
    })
}

/// A folder of `n` studies, one file each; the studies, as written.
fn corpus(dir: &Path, n: usize) -> Vec<Value> {
    let mut dice = Dice(14);
    let studies: Vec<Value> = (0..n).map(|k| study(k, &mut dice)).collect();
    let folder = dir.join("studies");
    std::fs::create_dir_all(&folder).unwrap();
    for s in &studies {
        let id = s["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap();
        std::fs::write(folder.join(format!("{id}.json")), serde_json::to_vec_pretty(s).unwrap()).unwrap();
    }
    studies
}

fn strings(value: &Value) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for item in value.as_array().into_iter().flatten() {
        if let Some(text) = item.as_str()
            && !seen.iter().any(|s| s == text)
        {
            seen.push(text.to_string());
        }
    }
    seen
}

/// Each facet's values of one study, read from its JSON.
fn values_of(study: &Value) -> BTreeMap<&'static str, Vec<Value>> {
    let p = &study["protocolSection"];
    let text = |v: &Value| v.as_str().map(|s| vec![json!(s)]).unwrap_or_default();
    let list = |v: &Value| strings(v).into_iter().map(Value::from).collect::<Vec<_>>();
    let mut out = BTreeMap::new();
    out.insert("status", text(&p["statusModule"]["overallStatus"]));
    out.insert("phase", list(&p["designModule"]["phases"]));
    out.insert("type", text(&p["designModule"]["studyType"]));
    out.insert("results", vec![json!(if study["hasResults"] == json!(true) { "YES" } else { "NO" })]);
    out.insert("funder", text(&p["sponsorCollaboratorsModule"]["leadSponsor"]["class"]));
    out.insert("sex", text(&p["eligibilityModule"]["sex"]));
    out.insert("age_group", list(&p["eligibilityModule"]["stdAges"]));
    let countries: Vec<Value> = p["contactsLocationsModule"]["locations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| l["country"].clone())
        .collect();
    out.insert("country", list(&Value::Array(countries)));
    out.insert("sponsor", text(&p["sponsorCollaboratorsModule"]["leadSponsor"]["name"]));
    out.insert("condition", list(&p["conditionsModule"]["conditions"]));
    let kinds: Vec<Value> = p["armsInterventionsModule"]["interventions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["type"].clone())
        .collect();
    out.insert("intervention_type", list(&Value::Array(kinds)));
    let year = p["statusModule"]["startDateStruct"]["date"]
        .as_str()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<u64>().ok());
    out.insert("start_year", year.map(|y| vec![json!(y)]).unwrap_or_default());
    out
}

/// The expected `nct facets --format json` of `studies`: every list by count, then value.
fn expected(studies: &[&Value]) -> Value {
    let mut facets: BTreeMap<&str, BTreeMap<String, (Value, usize)>> = BTreeMap::new();
    for study in studies {
        for (facet, values) in values_of(study) {
            let counts = facets.entry(facet).or_default();
            for value in values {
                counts.entry(value.to_string()).or_insert((value, 0)).1 += 1;
            }
        }
    }
    let mut out = serde_json::Map::new();
    for (facet, counts) in facets {
        let mut list: Vec<(Value, usize)> = counts.into_values().collect();
        list.sort_by(|(va, a), (vb, b)| {
            b.cmp(a).then_with(|| match (va.as_u64(), vb.as_u64()) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => va.as_str().cmp(&vb.as_str()),
            })
        });
        out.insert(
            facet.to_string(),
            Value::Array(
                list.into_iter().map(|(value, count)| json!({"value": value, "count": count})).collect(),
            ),
        );
    }
    json!({ "total": studies.len(), "facets": out })
}

#[test]
fn facet_counts_agree_with_counts_made_from_the_raw_json() {
    let home = tempfile::tempdir().unwrap();
    let studies = corpus(home.path(), 120);
    let folder = home.path().join("studies");
    let folder = folder.to_str().unwrap();

    let (code, stdout, stderr) = nct(home.path(), &["facets", "", folder, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    let all: Vec<&Value> = studies.iter().collect();
    assert_eq!(printed, expected(&all));
    // The shape, keys in the documented order.
    assert!(
        stdout.starts_with("{\n  \"total\": 120,\n  \"facets\": {\n    \"status\": [\n      {\"value\": "),
        "{stdout}"
    );
    let order: Vec<&str> = printed["facets"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(order.len(), 12, "{order:?}");
    let at = |key: &str| stdout.find(&format!("\"{key}\": [")).unwrap();
    assert!(at("status") < at("phase") && at("phase") < at("type") && at("condition") < at("start_year"));
    assert!(printed["facets"]["start_year"][0]["value"].is_u64(), "a year is a number");

    // Over a query's matches: the same counts over the studies the test picks itself.
    let (code, stdout, stderr) =
        nct(home.path(), &["facets", "status:recruiting", folder, "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let recruiting: Vec<&Value> = studies
        .iter()
        .filter(|s| s["protocolSection"]["statusModule"]["overallStatus"] == json!("RECRUITING"))
        .collect();
    assert!(recruiting.len() > 5 && recruiting.len() < 100, "{}", recruiting.len());
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), expected(&recruiting));
}

#[test]
fn field_limits_the_facets_and_text_shows_the_top_values_aligned() {
    let home = tempfile::tempdir().unwrap();
    let studies = corpus(home.path(), 60);
    let folder = home.path().join("studies");
    let folder = folder.to_str().unwrap();
    let (code, stdout, _) = nct(
        home.path(),
        &["facets", "", folder, "--format", "json", "--field", "country", "--field", "phase"],
    );
    assert_eq!(code, 0);
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    let keys: Vec<&String> = printed["facets"].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 2, "{stdout}");
    let all: Vec<&Value> = studies.iter().collect();
    assert_eq!(printed["facets"]["country"], expected(&all)["facets"]["country"]);
    assert!(stdout.find("\"country\"").unwrap() < stdout.find("\"phase\"").unwrap(), "in the order asked");

    let (code, stdout, _) = nct(home.path(), &["facets", "", folder, "--field", "status"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "60 studies");
    assert_eq!(lines[2], "Status");
    assert_eq!(lines.len(), 3 + STATUSES.len(), "{stdout}");
    // Counts right-aligned in one column, the most frequent first.
    let ends: Vec<usize> = lines[3..].iter().map(|l| l.len()).collect();
    assert!(ends.iter().all(|&e| e == ends[0]), "{stdout}");
    let counts: Vec<usize> =
        lines[3..].iter().map(|l| l.split_whitespace().last().unwrap().parse().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{stdout}");
    assert_eq!(counts.iter().sum::<usize>(), 60);
    assert!(stdout.contains("  Not yet recruiting "), "labels for people: {stdout}");

    let (_, stdout, _) =
        nct(home.path(), &["facets", "", folder, "--field", "condition", "--field", "sponsor"]);
    assert!(stdout.contains("Lead sponsor\n  "), "{stdout}");

    let (code, _, stderr) = nct(home.path(), &["facets", "", folder, "--field", "colour"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("the facets are status, phase"), "{stderr}");
}

#[test]
fn facets_exit_as_search_does() {
    let home = tempfile::tempdir().unwrap();
    corpus(home.path(), 10);
    let folder = home.path().join("studies");
    let folder = folder.to_str().unwrap();
    let (code, stdout, _) = nct(home.path(), &["facets", "zzyzx", folder, "--format", "json"]);
    assert_eq!(code, 1, "nothing matched");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap()["total"], json!(0));
    let (code, stdout, stderr) = nct(home.path(), &["facets", "phase:banana", folder]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty() && stderr.contains("column 7") && stderr.contains('^'), "{stderr}");
}

/// The ids `nct search '' --sort ORDER` prints.
fn sorted_ids(home: &Path, folder: &str, order: &str) -> Vec<String> {
    let (code, stdout, stderr) =
        nct(home, &["search", "", folder, "--format", "ids", "--limit", "0", "--sort", order]);
    assert_eq!(code, 0, "{stderr}");
    stdout.lines().map(str::to_string).collect()
}

/// What a study is sorted by: a date's year, month and day, or a number and two zeros.
type SortKey = Option<(u32, u32, u32)>;

/// A date as the registry writes it, as a key that sorts by time (a missing month or day is the
/// first).
fn date_key(value: &Value) -> SortKey {
    let text = value.as_str()?;
    let mut parts = text.split('-').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next().flatten().unwrap_or(0), parts.next().flatten().unwrap_or(0)))
}

#[test]
fn search_sorts_newest_and_largest_first_missing_last_ties_by_id() {
    let home = tempfile::tempdir().unwrap();
    let studies = corpus(home.path(), 80);
    let folder = home.path().join("studies");
    let folder = folder.to_str().unwrap();
    let id = |s: &Value| s["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap().to_string();
    // Newest (largest) first, missing last, then by id.
    let expect = |key: &dyn Fn(&Value) -> SortKey| {
        let mut rows: Vec<(SortKey, String)> = studies.iter().map(|s| (key(s), id(s))).collect();
        rows.sort_by(|(ka, ia), (kb, ib)| match (ka, kb) {
            (Some(a), Some(b)) => b.cmp(a).then(ia.cmp(ib)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => ia.cmp(ib),
        });
        rows.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    };
    let status = |s: &Value, field: &str| s["protocolSection"]["statusModule"][field]["date"].clone();
    assert_eq!(
        sorted_ids(home.path(), folder, "start"),
        expect(&|s| date_key(&status(s, "startDateStruct")))
    );
    assert_eq!(
        sorted_ids(home.path(), folder, "completion"),
        expect(&|s| date_key(&status(s, "completionDateStruct")))
    );
    assert_eq!(
        sorted_ids(home.path(), folder, "updated"),
        expect(&|s| date_key(&status(s, "lastUpdatePostDateStruct")))
    );
    let enrollment = |s: &Value| {
        s["protocolSection"]["designModule"]["enrollmentInfo"]["count"].as_u64().map(|n| (n as u32, 0, 0))
    };
    let by_enrollment = sorted_ids(home.path(), folder, "enrollment");
    assert_eq!(by_enrollment, expect(&enrollment));
    let mut by_id: Vec<String> = studies.iter().map(id).collect();
    by_id.sort();
    assert_eq!(sorted_ids(home.path(), folder, "id"), by_id);
    // Relevance, the default, is the search's own order: the catalog's for no words.
    let (_, default, _) = nct(home.path(), &["search", "", folder, "--format", "ids", "--limit", "0"]);
    assert_eq!(sorted_ids(home.path(), folder, "relevance").join("\n") + "\n", default);
    assert_ne!(sorted_ids(home.path(), folder, "relevance"), by_enrollment);

    // With words and a filter: the same studies as relevance, in the order asked.
    let (_, relevant, _) = nct(
        home.path(),
        &["search", "asthma NOT status:withdrawn", folder, "--format", "ids", "--limit", "0"],
    );
    let (_, sorted, _) = nct(
        home.path(),
        &["search", "asthma NOT status:withdrawn", folder, "--format", "ids", "--limit", "0", "--sort", "id"],
    );
    let mut relevant: Vec<&str> = relevant.lines().collect();
    relevant.sort();
    assert!(relevant.len() > 2, "{relevant:?}");
    assert_eq!(sorted.lines().collect::<Vec<_>>(), relevant);

    let (code, _, stderr) = nct(home.path(), &["search", "", folder, "--sort", "newest"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("relevance") && stderr.contains("enrollment"), "{stderr}");
}

#[test]
fn each_value_s_filter_finds_as_many_studies_as_its_count() {
    use nct::catalog::facets::{Facet, FacetValue};
    let home = tempfile::tempdir().unwrap();
    corpus(home.path(), 60);
    let folder = home.path().join("studies");
    let folder = folder.to_str().unwrap();
    let (_, stdout, _) = nct(home.path(), &["facets", "", folder, "--format", "json"]);
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    let mut checked = 0;
    for (name, values) in printed["facets"].as_object().unwrap() {
        let facet = Facet::named(name).unwrap();
        // sex:female also finds the studies open to all: its count is not the facet's.
        if facet == Facet::Sex {
            continue;
        }
        for entry in values.as_array().unwrap() {
            let value = match &entry["value"] {
                Value::Number(year) => FacetValue::Year(year.as_u64().unwrap() as u16),
                other => FacetValue::Text(other.as_str().unwrap().to_string()),
            };
            let term = facet.query_term(&value).unwrap_or_else(|| panic!("{name} {value} has no filter"));
            let (code, found, stderr) =
                nct(home.path(), &["search", &term, folder, "--format", "ids", "--limit", "0"]);
            assert_eq!(code, 0, "{term}: {stderr}");
            assert_eq!(found.lines().count() as u64, entry["count"].as_u64().unwrap(), "{term}");
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked}");
}
