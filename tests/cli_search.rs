//! `nct search` as scripts call it: the real binary on the bundled `assets/`, every output
//! format, the limit, and the exit statuses (0 found, 1 nothing found, 2 query error).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

const ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn search(query: &str, extra: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", query, ASSETS])
        .args(extra)
        .env("COLUMNS", "100")
        .output()
        .expect("run nct");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn ids(query: &str) -> Vec<String> {
    let run = search(query, &["--format", "ids", "--limit", "0"]);
    assert_eq!(run.code, 0, "{query}: {}", run.stderr);
    run.stdout.lines().map(str::to_string).collect()
}

#[test]
fn ids_best_first_for_filters_and_words() {
    assert_eq!(ids("phase:3 status:recruiting"), ["NCT05183427", "NCT05507743"]);
    assert_eq!(ids("psoriasis"), ["NCT02491658"]);
    assert_eq!(ids("\"stem cells\""), ["NCT02491658", "NCT04577316"]);
    assert_eq!(ids("country:japan"), ["NCT02210479", "NCT05183427"]);
    let old = ids("age:70");
    assert_eq!(old.len(), 19, "{old:?}");
    assert!(old.contains(&"NCT02093468".to_string()));
    assert!(!old.contains(&"NCT02491658".to_string()));
    // Titles first: the three studies with "cancer" in their titles lead.
    let cancer = ids("cancer");
    let mut top = cancer[..3].to_vec();
    top.sort();
    assert_eq!(top, ["NCT04990515", "NCT05612947", "NCT05894412"]);
    assert_eq!(ids("psoriasis OR vaccines status:completed"), ["NCT04415320"]);
}

#[test]
fn an_empty_query_matches_every_study() {
    assert_eq!(ids("").len(), 26);
}

#[test]
fn csv_has_the_website_columns() {
    let run = search("psoriasis", &["--format", "csv"]);
    assert_eq!(run.code, 0);
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next().unwrap(),
        "NCT Number,Study Title,Study URL,Acronym,Study Status,Conditions,Sponsor,Phases,Enrollment,\
         Study Type,Start Date,Primary Completion Date,Completion Date,First Posted,Last Update Posted"
    );
    assert_eq!(
        lines.next().unwrap(),
        "NCT02491658,Safety and Efficacy of UC-MSCs in Patients With Psoriasis Vulgaris,\
         https://clinicaltrials.gov/study/NCT02491658,,UNKNOWN,Psoriasis Vulgaris,\
         Affiliated Hospital to Academy of Military Medical Sciences,PHASE1|PHASE2,30,INTERVENTIONAL,\
         2015-04,2016-12,2016-12,2015-07-08,2015-07-08"
    );
    assert!(lines.next().is_none());
}

#[test]
fn json_and_ndjson_parse() {
    let run = search("country:japan", &["--format", "json"]);
    assert_eq!(run.code, 0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let array = value.as_array().unwrap();
    assert_eq!(array.len(), 2);
    assert_eq!(array[0]["id"], "NCT02210479");
    assert_eq!(array[0]["url"], "https://clinicaltrials.gov/study/NCT02210479");
    let run = search("country:japan", &["--format", "ndjson"]);
    let lines: Vec<serde_json::Value> =
        run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["id"], "NCT05183427");
    assert!(lines[1]["phases"].as_array().unwrap().contains(&serde_json::json!("PHASE3")));
}

#[test]
fn the_table_says_how_many_more() {
    let run = search("", &["--limit", "5"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    assert!(lines[0].starts_with("NCT01447732  Completed"), "{}", lines[0]);
    assert_eq!(lines[5], "… 21 more (--limit 0 for all)");
    assert!(lines.iter().all(|l| unicode_width::UnicodeWidthStr::width(*l) <= 100));
    let all = search("", &["--limit", "0"]);
    assert_eq!(all.stdout.lines().count(), 26);
    assert!(!all.stdout.contains("more"));
    let default = search("", &[]);
    assert_eq!(default.stdout.lines().count(), 26, "26 studies are under the default limit of 50");
}

#[test]
fn nothing_found_exits_1() {
    let run = search("zzzqqqx", &["--format", "ids"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_query_error_exits_2_with_a_caret() {
    let run = search("status:recruting", &[]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("did you mean recruiting?"), "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines[lines.len() - 2], "  status:recruting");
    assert_eq!(lines[lines.len() - 1], "         ^^^^^^^^^");
}
