//! Hostile text, end to end: a record, a file name, a zip entry name and a note holding escape
//! sequences, C1 controls, DEL and bidi overrides must never reach the terminal as themselves.
//! The real binary runs `show` (text, markdown), `search` (table, csv, ids) and `check`; every
//! byte of stdout and stderr is looked at. JSON keeps the exact strings (as JSON escapes).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::Command;

use serde_json::json;

const ID: &str = "NCT09990777";

/// What an attacker puts in a field: a clipboard write (OSC 52), a window title (OSC 0), a C1
/// CSI, DEL, bidi override and isolate, and at the end a sequence cut in the middle.
fn hostile(field: &str) -> String {
    format!(
        "{field} \x1b]52;c;aGVsbG8=\x07 \x1b]0;owned\x07 \u{9b}31m red \x7f del \u{202e}desrever\u{202c} \
         \u{2066}iso\u{2069} cut\x1b]8;;http://evil.example/"
    )
}

fn study() -> serde_json::Value {
    json!({
        "protocolSection": {
            "identificationModule": {
                "nctId": ID,
                "briefTitle": hostile("Title"),
                "officialTitle": hostile("Official"),
                "acronym": hostile("ACR"),
            },
            "statusModule": {"overallStatus": "RECRUITING", "startDateStruct": {"date": "2021-03"}},
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": hostile("Sponsor")}},
            "descriptionModule": {"briefSummary": hostile("Summary")},
            "conditionsModule": {"conditions": [hostile("Condition")], "keywords": [hostile("Keyword")]},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE2"]},
            "armsInterventionsModule": {
                "interventions": [{"type": "DRUG", "name": hostile("Drug"), "description": hostile("Dose")}]
            },
            "outcomesModule": {
                "primaryOutcomes": [{"measure": hostile("Outcome"), "timeFrame": hostile("Week")}]
            },
            "eligibilityModule": {
                "eligibilityCriteria": format!(
                    "Inclusion Criteria:\n\n* {}\n\nExclusion Criteria:\n\n* {}",
                    hostile("Included"),
                    hostile("Excluded")
                ),
                "sex": "ALL",
                "minimumAge": "18 Years"
            },
            "contactsLocationsModule": {"locations": [{
                "facility": hostile("Facility"), "city": hostile("City"), "country": "France"
            }]}
        },
        "resultsSection": {"participantFlowModule": {
            "groups": [{"id": "FG000", "title": hostile("Group")}],
            "periods": [{"title": hostile("Period"), "milestones": [{
                "type": hostile("Milestone"), "achievements": [{"groupId": "FG000", "numSubjects": "12"}]
            }]}]
        }},
        "hasResults": true
    })
}

/// A folder holding the hostile study, a broken file and a zip with a broken entry, both named
/// with escape sequences, and a home whose note on the study is hostile too.
struct World {
    studies: tempfile::TempDir,
    home: tempfile::TempDir,
}

fn world() -> World {
    let studies = tempfile::tempdir().unwrap();
    let dir = studies.path();
    fs::write(dir.join("hostile.json"), serde_json::to_string_pretty(&study()).unwrap()).unwrap();
    fs::write(dir.join("broken\x1b]0;file-title\x07\u{9b}2J.json"), "not a study").unwrap();
    let mut zip = zip::ZipWriter::new(fs::File::create(dir.join("entries.zip")).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("entry\x1b]52;c;aGk=\x07\u{202e}.json", options).unwrap();
    zip.write_all(b"{\"truncated\": ").unwrap();
    zip.finish().unwrap();
    let home = tempfile::tempdir().unwrap();
    let notes = home.path().join("data/nct/notes");
    fs::create_dir_all(&notes).unwrap();
    fs::write(notes.join(format!("{ID}.md")), hostile("Note")).unwrap();
    World { studies, home }
}

struct Run {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).unwrap()
    }

    fn err(&self) -> String {
        String::from_utf8(self.stderr.clone()).unwrap()
    }
}

fn nct(world: &World, args: &[&str]) -> Run {
    let home = world.home.path();
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .arg(world.studies.path())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("NCT_CACHE", "off")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    assert!(output.status.code().is_some(), "{args:?} died by a signal");
    Run { stdout: output.stdout, stderr: output.stderr }
}

/// No escape, no C1 control (a lone 0x9b byte is not UTF-8 and fails; U+009B is looked for), no DEL, no bidi override, and of the other
/// C0 controls only newline, tab and the carriage return of a CSV line end.
fn assert_safe(what: &str, bytes: &[u8]) {
    assert!(!bytes.contains(&0x1b), "{what}: an ESC byte in {:?}", String::from_utf8_lossy(bytes));
    let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| panic!("{what}: not UTF-8"));
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let layout = matches!(c, '\n' | '\t') || (c == '\r' && chars.peek() == Some(&'\n'));
        let bidi = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        let shown = (!c.is_control() || layout) && !bidi;
        assert!(shown, "{what}: {c:?} reached the terminal in {text:?}");
    }
}

fn assert_run_safe(what: &str, run: &Run) {
    assert_safe(&format!("{what} stdout"), &run.stdout);
    assert_safe(&format!("{what} stderr"), &run.stderr);
}

#[test]
fn show_text_shows_every_hostile_field_without_its_controls() {
    let world = world();
    let run = nct(&world, &["show", ID]);
    assert_run_safe("show text", &run);
    let out = run.out();
    for field in [
        "Title",
        "Official",
        "Sponsor",
        "Summary",
        "Condition",
        "Drug",
        "Outcome",
        "Included",
        "Excluded",
        "Facility",
        "Group",
        "Milestone",
        "Note",
    ] {
        assert!(out.contains(&format!("{field} ␛]52;c;")), "{field} is not shown visibly:\n{out}");
    }
    assert!(out.contains("\\u{9b}31m") && out.contains("␡") && out.contains("\\u{202e}desrever"), "{out}");
    assert!(out.contains("cut␛]8;;http://evil.example/"), "{out}");
}

#[test]
fn show_markdown_shows_every_hostile_field_without_its_controls() {
    let world = world();
    let run = nct(&world, &["show", ID, "--format", "markdown"]);
    assert_run_safe("show markdown", &run);
    let out = run.out();
    for field in
        ["Title", "Sponsor", "Summary", "Condition", "Outcome", "Included", "Facility", "Group", "Note"]
    {
        // Markdown escapes the `]` of our own text, and keeps the registry's markup as written.
        let shown = [format!("{field} ␛\\]52;c;"), format!("{field} ␛]52;c;")];
        assert!(shown.iter().any(|s| out.contains(s)), "{field}:\n{out}");
    }
}

#[test]
fn show_json_keeps_the_exact_strings_as_json_escapes() {
    let world = world();
    let run = nct(&world, &["show", ID, "--format", "json"]);
    assert_run_safe("show json", &run);
    let record: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(record, study());
    assert!(run.out().contains("\\u009b31m"), "{}", run.out());
}

#[test]
fn search_table_csv_ids_and_json_are_safe_and_json_exact() {
    let world = world();
    for format in ["table", "csv", "ids"] {
        let run = nct(&world, &["search", "", "--format", format]);
        assert_run_safe(&format!("search {format}"), &run);
        // The broken file and the broken zip entry are named on stderr, visibly.
        let err = run.err();
        assert!(err.contains("broken␛]0;file-title␇\\u{9b}2J.json: "), "{format}: {err}");
        assert!(err.contains("entry␛]52;c;aGk=␇\\u{202e}.json"), "{format}: {err}");
    }
    let table = nct(&world, &["search", "", "--format", "table"]).out();
    assert!(table.starts_with(&format!("{ID}  ")) && table.contains("Title ␛]52;c;"), "{table}");
    let csv = nct(&world, &["search", "", "--format", "csv"]).out();
    assert!(csv.contains("Title ␛]52;c;") && csv.contains("Sponsor ␛]52;c;"), "{csv}");
    for format in ["json", "ndjson"] {
        let run = nct(&world, &["search", "", "--format", format]);
        assert_run_safe(&format!("search {format}"), &run);
        let out = run.out();
        let value: serde_json::Value = match format {
            "json" => serde_json::from_str(&out).unwrap(),
            _ => serde_json::from_str(out.lines().next().unwrap()).unwrap(),
        };
        let study = if format == "json" { &value[0] } else { &value };
        assert_eq!(study["title"], json!(hostile("Title")), "{format}");
        assert_eq!(study["sponsor"], json!(hostile("Sponsor")), "{format}");
    }
}

#[test]
fn check_names_hostile_files_and_entries_visibly() {
    let world = world();
    for format in ["text", "json"] {
        let run = nct(&world, &["check", "--format", format]);
        assert_run_safe(&format!("check {format}"), &run);
    }
    let run = nct(&world, &["check"]);
    assert!(run.err().contains("broken␛]0;file-title␇"), "{}", run.err());
    // `nct PATH` into a pipe lists the studies, one a line.
    let listed = nct(&world, &[]);
    assert_run_safe("list", &listed);
    assert!(listed.out().starts_with(&format!("{ID}  Recruiting")), "{}", listed.out());
    assert!(listed.out().contains("Title ␛]52;c;"), "{}", listed.out());
    let json: serde_json::Value =
        serde_json::from_slice(&nct(&world, &["check", "--format", "json"]).stdout).unwrap();
    let origins: Vec<&str> =
        json["failures"].as_array().unwrap().iter().map(|f| f["origin"].as_str().unwrap()).collect();
    assert!(origins.iter().any(|o| o.contains("broken\x1b]0;file-title\x07\u{9b}2J.json")), "{origins:?}");
}

/// `nct config` and `nct cache` with a settings file and folders named by someone else.
fn nct_at_home(home: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config\x1b]0;cfg\x07"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache\u{9b}2J"))
        .output()
        .unwrap();
    assert!(output.status.code().is_some(), "{args:?} died by a signal");
    Run { stdout: output.stdout, stderr: output.stderr }
}

#[test]
fn config_and_cache_messages_show_what_names_and_settings_hold() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config\x1b]0;cfg\x07/nct");
    fs::create_dir_all(&config).unwrap();
    fs::write(
        config.join("config.toml"),
        "\"odd\\u001b]52;c;aGk=\\u0007key\" = 1\ndate_format = \"\\u009b2J\"\n",
    )
    .unwrap();
    let checked = nct_at_home(home.path(), &["config"]);
    assert_run_safe("config", &checked);
    assert!(checked.err().contains("odd␛]52;c;aGk=␇key"), "{}", checked.err());
    for args in [&["config", "--path"][..], &["cache"], &["cache", "--path"]] {
        let run = nct_at_home(home.path(), args);
        assert_run_safe(&format!("{args:?}"), &run);
        assert!(
            run.out().contains("\\u{9b}2J") || run.out().contains("config␛]0;cfg␇"),
            "{args:?}: {}",
            run.out()
        );
    }
}
