//! `nct criteria` end to end: the real binary on studies written in the test (fictional records
//! in the v2 schema, shaped like real ones), checked as a script reading its JSON and a reader of
//! its text would check them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

/// Inclusion 3's sub-list holds an indented stray "Exclusion Criteria:" and carries on after it;
/// inclusion 4 ends "any of the following:" over alternatives at the margin; exclusion 2 has
/// its sub-items run together on one line.
const CRITERIA: &str = "Inclusion Criteria:\n\n1. Adults in hospital with a respiratory infection.\n2. Consent given.\n3. Confirmed infection, as shown by either of the following:\n\n   1. A positive swab under 3 days old; OR\n\n      Exclusion Criteria:\n   2. An older positive swab AND worsening disease.\n4. Low oxygen, any of the following:\n\ni) Saturation \\<= 94% on room air\n\nii) Needs oxygen\n\nExclusion Criteria:\n\n1. ALT \\> 5 times the upper limit of normal.\n2. Organ failure: i) kidney ii) liver iii) heart\n3. Pregnancy.";

fn studies(dir: &Path) {
    let study = |id: &str, eligibility: Value| {
        json!({
            "protocolSection": {
                "identificationModule": {"nctId": id, "briefTitle": format!("Study {id}")},
                "statusModule": {"overallStatus": "RECRUITING"},
                "eligibilityModule": eligibility,
            }
        })
    };
    let records = [
        study(
            "NCT09990101",
            json!({"eligibilityCriteria": CRITERIA, "sex": "ALL", "minimumAge": "18 Years",
                   "maximumAge": "75 Years", "healthyVolunteers": false}),
        ),
        study(
            "NCT09990102",
            json!({"eligibilityCriteria": "* Adults \u{1b}]0;pwned\u{7}\n* Smokers", "sex": "FEMALE"}),
        ),
        study("NCT09990103", json!({"sex": "MALE"})),
    ];
    for record in records {
        let id = record["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap().to_owned();
        std::fs::write(dir.join(format!("{id}.json")), serde_json::to_string_pretty(&record).unwrap())
            .unwrap();
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn nct(args: &[&str], config_home: &Path) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .env("NCT_CACHE", "off")
        .env("XDG_CONFIG_HOME", config_home)
        .output()
        .expect("the nct binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn criteria(id: &str, format: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    studies(dir.path());
    nct(&["criteria", id, dir.path().to_str().unwrap(), "--format", format], dir.path())
}

/// An item as `REF LABEL TEXT` with its children indented, for comparing whole trees.
fn outline(items: &Value, depth: usize, out: &mut Vec<String>) {
    for item in items.as_array().unwrap() {
        let label = item["label"].as_str().unwrap_or("-");
        out.push(format!(
            "{}{} {label} {}",
            "  ".repeat(depth),
            item["ref"].as_str().unwrap(),
            item["text"].as_str().unwrap()
        ));
        assert!(item["thresholds"].is_array(), "{item}");
        outline(&item["items"], depth + 1, out);
    }
}

#[test]
fn json_is_the_tree_with_labels_as_registered_and_references() {
    let run = criteria("nct09990101", "json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["nct_id"], "NCT09990101");
    assert_eq!(doc["sex"], "ALL");
    assert_eq!(doc["minimum_age"], "18 years");
    assert_eq!(doc["maximum_age"], "75 years");
    assert_eq!(doc["healthy_volunteers"], false);
    let sections = doc["sections"].as_array().unwrap();
    let heads: Vec<(&str, &str)> =
        sections.iter().map(|s| (s["kind"].as_str().unwrap(), s["heading"].as_str().unwrap())).collect();
    assert_eq!(heads, [("inclusion", "Inclusion Criteria"), ("exclusion", "Exclusion Criteria")]);
    let mut tree = Vec::new();
    for section in sections {
        outline(&section["items"], 0, &mut tree);
    }
    assert_eq!(
        tree,
        [
            "I1 1. Adults in hospital with a respiratory infection.",
            "I2 2. Consent given.",
            "I3 3. Confirmed infection, as shown by either of the following:",
            "  I3.a 1. A positive swab under 3 days old; OR",
            "  I3.b 2. An older positive swab AND worsening disease.",
            "I4 4. Low oxygen, any of the following:",
            "  I4.a i) Saturation <= 94% on room air",
            "  I4.b ii) Needs oxygen",
            "E1 1. ALT > 5 times the upper limit of normal.",
            "E2 2. Organ failure:",
            "  E2.a i) kidney",
            "  E2.b ii) liver",
            "  E2.c iii) heart",
            "E3 3. Pregnancy.",
        ]
    );
    // Every key of the contract, on every section and item, even when empty.
    let item = &sections[0]["items"][0];
    for key in ["ref", "label", "text", "thresholds", "items"] {
        assert!(item.get(key).is_some(), "{key} missing from {item}");
    }
    for key in ["kind", "heading", "items"] {
        assert!(sections[0].get(key).is_some(), "{key} missing");
    }
}

#[test]
fn json_says_null_for_what_the_record_lacks() {
    let run = criteria("NCT09990103", "json");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["sex"], "MALE");
    assert_eq!((doc["minimum_age"].clone(), doc["healthy_volunteers"].clone()), (Value::Null, Value::Null));
    assert_eq!(doc["sections"], json!([]));
    // Without headings: one other section, no heading, bullets as registered.
    let doc: Value = serde_json::from_str(&criteria("NCT09990102", "json").stdout).unwrap();
    assert_eq!(doc["sections"][0]["kind"], "other");
    assert_eq!(doc["sections"][0]["heading"], Value::Null);
    assert_eq!(doc["sections"][0]["items"][1]["label"], "*");
    assert_eq!(doc["sections"][0]["items"][1]["ref"], "O2");
}

#[test]
fn text_shows_facts_counts_and_the_tree() {
    let run = criteria("NCT09990101", "text");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..7],
        [
            "NCT09990101",
            "Sex: all · Ages: 18 to 75 years · Healthy volunteers: no",
            "4 inclusion · 3 exclusion criteria",
            // The thresholds summed up: what excludes is said as "not".
            "Age 18–75 · not ALT > 5 times the upper limit of normal",
            "",
            "Inclusion criteria",
            "I1   1. Adults in hospital with a respiratory infection.",
        ]
    );
    for wanted in
        ["I3.a    1. A positive swab under 3 days old; OR", "I4.b    ii) Needs oxygen", "E2.c    iii) heart"]
    {
        assert!(lines.contains(&wanted), "no {wanted:?} in:\n{}", run.stdout);
    }
    assert_eq!(run.stdout.matches("Exclusion criteria").count(), 1, "{}", run.stdout);
}

#[test]
fn markdown_keeps_labels_and_references() {
    let run = criteria("NCT09990101", "markdown");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("# NCT09990101: eligibility\n\n- **Sex:** all\n"), "{}", run.stdout);
    for wanted in [
        "### Inclusion criteria\n\n- **I1** 1. Adults in hospital",
        "  - **I3.a** 1. A positive swab under 3 days old; OR\n",
        "  - **I4.a** i) Saturation \\<= 94% on room air\n",
        "### Exclusion criteria\n\n- **E1** 1. ALT \\> 5 times",
    ] {
        assert!(run.stdout.contains(wanted), "no {wanted:?} in:\n{}", run.stdout);
    }
}

#[test]
fn control_characters_in_a_record_are_shown_never_sent() {
    for format in ["text", "markdown", "json"] {
        let run = criteria("NCT09990102", format);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            !run.stdout.contains('\u{1b}') && !run.stdout.contains('\u{7}'),
            "{format}: {:?}",
            run.stdout
        );
    }
    assert!(criteria("NCT09990102", "text").stdout.contains("Adults ␛]0;pwned␇"));
    let doc: Value = serde_json::from_str(&criteria("NCT09990102", "json").stdout).unwrap();
    // The item's text is the rendered text, which holds no control characters (the registered
    // text, controls and all, is `nct show --format json`'s).
    assert_eq!(doc["sections"][0]["items"][0]["text"], "Adults ]0;pwned");
}

#[test]
fn an_unknown_study_is_said_and_exits_1() {
    let run = criteria("NCT09990199", "json");
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("NCT09990199: not found among 3 studies"), "{}", run.stderr);
}

#[test]
fn without_a_path_the_library_of_the_settings_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let studies_dir = dir.path().join("studies");
    std::fs::create_dir_all(&studies_dir).unwrap();
    studies(&studies_dir);
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("nct")).unwrap();
    std::fs::write(config.join("nct").join("config.toml"), format!("library = [{:?}]\n", studies_dir))
        .unwrap();
    let run = nct(&["criteria", "NCT09990101", "--format", "json"], &config);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"ref\": \"I4.b\""), "{}", run.stdout);
    // And with neither, a usage error that says how to give one.
    let empty = tempfile::tempdir().unwrap();
    let run = nct(&["criteria", "NCT09990101"], empty.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("library"), "{}", run.stderr);
}
