//! Readers that must not lose or garble data, end to end through the real binary: line ends of
//! every kind, a backslash before any character in a text export's Python literal, an API page
//! cut short, and a study with one bad value, which loads without that field and says so.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

/// A real-shaped study with a value in each field the bad-value cases spoil.
fn study(id: &str) -> Value {
    json!({
        "protocolSection": {
            "identificationModule": {"nctId": id, "briefTitle": format!("Inhaled Budesonide Study {id}")},
            "statusModule": {
                "overallStatus": "RECRUITING",
                "startDateStruct": {"date": "2021-03-15", "type": "ACTUAL"},
                "lastUpdatePostDateStruct": {"date": "2024-01-15", "type": "ACTUAL"}
            },
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Example University", "class": "OTHER"}},
            "conditionsModule": {"conditions": ["Asthma"]},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE2"],
                             "enrollmentInfo": {"count": 40, "type": "ESTIMATED"}},
            "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n\n* Asthma for 6 months\n\nExclusion Criteria:\n\n* Smoking",
                                  "sex": "ALL", "minimumAge": "18 Years"},
            "contactsLocationsModule": {"locations": [
                {"facility": "General Hospital", "city": "Lyon", "country": "France",
                 "geoPoint": {"lat": 45.75, "lon": 4.85}}
            ]}
        },
        "derivedSection": {"miscInfoModule": {"versionHolder": "2024-06-01"}},
        "hasResults": false
    })
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn nct_in(cache: &Path, policy: &str, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .env("NCT_CACHE", policy)
        .env("COLUMNS", "100")
        .output()
        .expect("run nct");
    let run = Run {
        code: output.status.code().expect("nct exited by a signal (a crash?)"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "nct panicked:\n{}", run.stderr);
    run
}

/// nct with the cache off, so that each run reads the inputs.
fn nct(args: &[&str]) -> Run {
    nct_in(Path::new("/nonexistent"), "off", args)
}

fn check(paths: &[&Path]) -> Run {
    let mut args = vec!["check".to_string()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    nct(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn show(id: &str, path: &Path, format: &str) -> Run {
    nct(&["show", id, path.to_str().unwrap(), "--format", format])
}

/// The loaded-studies count from `nct check`'s text report.
fn loaded(run: &Run) -> usize {
    let line = run.stdout.lines().find(|l| l.starts_with("studies: ")).expect("a studies line");
    line["studies: ".len()..].split_whitespace().next().unwrap().replace(',', "").parse().unwrap()
}

fn stderr_lines(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

/// A value as Python's `repr()` writes it, as in the text export.
fn python_repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
            let mut out = String::from(quote);
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    c if c == quote => {
                        out.push('\\');
                        out.push(c);
                    }
                    c => out.push(c),
                }
            }
            out.push(quote);
            out
        }
        Value::Array(items) => format!("[{}]", items.iter().map(python_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => {
            let items: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", python_repr(&json!(k)), python_repr(v))).collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// The text export of `value`, as the seed is laid out, with `\n` line ends; the literal's
/// top-level keys one a line, so that its own line ends are tested too.
fn text_export(id: &str, value: &Value) -> String {
    let keys: Vec<String> = value
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{}: {}", python_repr(&json!(k)), python_repr(v)))
        .collect();
    format!(
        "Viewing Study {id}\n\n\nStudy NCT ID: {id}\nStatus: RECRUITING\n\nBrief Title: A study\n\nRaw JSON\n\n{{{}}}\n",
        keys.join(",\n ")
    )
}

#[test]
fn a_text_export_with_crlf_or_cr_line_ends_loads_and_shows_as_with_lf() {
    let dir = tempfile::tempdir().unwrap();
    let text = text_export("NCT00000001", &study("NCT00000001"));
    let lf = write(dir.path(), "lf.txt", &text);
    let expected = show("NCT00000001", &lf, "text");
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    assert!(expected.stdout.contains("Inhaled Budesonide Study"), "{}", expected.stdout);
    let expected_json = show("NCT00000001", &lf, "json");
    for (name, ends) in [("crlf.txt", "\r\n"), ("cr.txt", "\r")] {
        let path = write(dir.path(), name, text.replace('\n', ends));
        let run = check(&[&path]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(run.stdout.contains("documents: 1 text export"), "{name}: {}", run.stdout);
        assert_eq!(loaded(&run), 1, "{name}");
        let shown = show("NCT00000001", &path, "text");
        assert_eq!(shown.code, 0, "{name}: {}", shown.stderr);
        assert_eq!(shown.stdout, expected.stdout, "{name}");
        assert_eq!(show("NCT00000001", &path, "json").stdout, expected_json.stdout, "{name}");
    }
}

#[test]
fn ndjson_with_crlf_or_cr_line_ends_reads_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> =
        (1..=3).map(|i| serde_json::to_string(&study(&format!("NCT0000000{i}"))).unwrap()).collect();
    for (name, ends) in [("crlf.ndjson", "\r\n"), ("cr.ndjson", "\r")] {
        let path = write(dir.path(), name, lines.join(ends) + ends);
        let run = check(&[&path]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(run.stdout.contains("documents: 1 NDJSON"), "{name}: {}", run.stdout);
        assert_eq!(loaded(&run), 3, "{name}");
        // The record reads back exactly, without its line end.
        let json = show("NCT00000002", &path, "json");
        assert_eq!(json.stdout.trim_end_matches('\n'), lines[1], "{name}");

        // A broken line costs only itself, and is named by its number.
        let broken = format!("{}{ends}{{\"protocolSection\": {{{ends}{}{ends}", lines[0], lines[2]);
        let path = write(dir.path(), &format!("broken-{name}"), broken);
        let run = check(&[&path]);
        assert_eq!(loaded(&run), 2, "{name}: {}", run.stderr);
        let failures = stderr_lines(&run);
        assert_eq!(failures.len(), 1, "{name}: {}", run.stderr);
        assert!(failures[0].starts_with(&format!("{}:2: ", path.display())), "{name}: {}", failures[0]);
    }
}

#[test]
fn crlf_inside_a_text_field_shows_as_lf() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = study("NCT00000001");
    value["protocolSection"]["descriptionModule"] =
        json!({"briefSummary": "One paragraph\nin two lines.\n\n* a list item\n* another"});
    let lf = write(dir.path(), "lf.json", serde_json::to_string(&value).unwrap());
    let expected = show("NCT00000001", &lf, "text");
    assert!(expected.stdout.contains("One paragraph in two lines."), "{}", expected.stdout);
    let text = serde_json::to_string(&value).unwrap();
    for (name, ends) in [("crlf.json", r"\r\n"), ("cr.json", r"\r")] {
        let path = write(dir.path(), name, text.replace(r"\n", ends));
        assert!(fs::read_to_string(&path).unwrap().contains(ends));
        assert_eq!(show("NCT00000001", &path, "text").stdout, expected.stdout, "{name}");
    }
}

#[test]
fn line_ends_inside_a_zip_read_the_same() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let lines: Vec<String> =
        (1..=2).map(|i| serde_json::to_string(&study(&format!("NCT0000000{i}"))).unwrap()).collect();
    let export = text_export("NCT00000003", &study("NCT00000003")).replace('\n', "\r\n");
    let path = dir.path().join("studies.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in [("a/cr.ndjson", lines.join("\r") + "\r"), ("b/export.txt", export)] {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    let run = check(&[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(loaded(&run), 3, "{}", run.stdout);
    assert_eq!(show("NCT00000002", &path, "json").stdout.trim_end_matches('\n'), lines[1]);
}

#[test]
fn a_backslash_before_any_character_in_a_python_literal_is_kept_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let value = study("NCT00000001");
    let text = text_export("NCT00000001", &value)
        .replace("'Inhaled Budesonide Study NCT00000001'", r"'Inhaled \é, \中 and \😀 study'");
    assert!(text.contains(r"\中"));
    let path = write(dir.path(), "export.txt", text);
    let run = check(&[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&show("NCT00000001", &path, "json").stdout).unwrap();
    // As Python reads it: an unknown escape keeps its backslash.
    assert_eq!(
        json["protocolSection"]["identificationModule"]["briefTitle"],
        "Inhaled \\é, \\中 and \\😀 study"
    );
    // The rest of the record after it is whole.
    assert_eq!(json["protocolSection"]["conditionsModule"]["conditions"], json!(["Asthma"]));
}

#[test]
fn an_api_page_cut_short_keeps_its_complete_studies_and_says_how_many() {
    let dir = tempfile::tempdir().unwrap();
    let studies: Vec<Value> = (1..=4).map(|i| study(&format!("NCT0000000{i}"))).collect();
    // In the API's order: the studies, then the token.
    let page = format!(
        "{{\n  \"studies\": {},\n  \"nextPageToken\": \"NF0g5JGBlPY\"\n}}\n",
        serde_json::to_string_pretty(&studies).unwrap()
    );

    // Cut in the middle of the third study.
    let cut = page.find("NCT00000003").unwrap() + 40;
    let path = write(dir.path(), "page.json", &page[..cut]);
    let run = check(&[&path]);
    assert_eq!(run.code, 1);
    assert_eq!(loaded(&run), 2, "{}", run.stderr);
    assert!(run.stdout.contains("documents: 1 API page"), "{}", run.stdout);
    let failures = stderr_lines(&run);
    assert_eq!(failures.len(), 1, "{}", run.stderr);
    assert!(failures[0].starts_with(&format!("{}[2]: ", path.display())), "{}", failures[0]);
    assert!(failures[0].contains("API page ends early"), "{}", failures[0]);
    assert!(failures[0].contains("the 2 complete studies before it were kept"), "{}", failures[0]);
    assert_eq!(show("NCT00000002", &path, "json").code, 0);

    // Cut after the studies, in the page token: every study kept, the cut still said.
    let cut = page.find("NF0g5").unwrap();
    let path = write(dir.path(), "token.json", &page[..cut]);
    let run = check(&[&path]);
    assert_eq!(run.code, 1);
    assert_eq!(loaded(&run), 4, "{}", run.stderr);
    let failures = stderr_lines(&run);
    assert_eq!(failures.len(), 1, "{}", run.stderr);
    assert!(failures[0].starts_with(&format!("{}: API page cut short", path.display())), "{}", failures[0]);
    assert!(failures[0].contains("all 4 complete studies kept"), "{}", failures[0]);
}

/// Each case: the study's id, the field spoiled, its bad value, and what `nct show` must no
/// longer print because of it.
fn bad_value_cases() -> Vec<(&'static str, &'static str, Value, &'static str)> {
    vec![
        (
            "NCT00000011",
            "protocolSection.statusModule.startDateStruct.date",
            json!("2024-13-45"),
            "2021-03-15",
        ),
        ("NCT00000012", "protocolSection.designModule.enrollmentInfo.count", json!("abc"), "40 participants"),
        ("NCT00000013", "protocolSection.designModule.phases", json!("PHASE2"), "Phase 2"),
        ("NCT00000014", "protocolSection.contactsLocationsModule.locations", json!({}), "General Hospital"),
    ]
}

fn spoil(value: &mut Value, field: &str, bad: Value) {
    let pointer = format!("/{}", field.replace('.', "/"));
    *value.pointer_mut(&pointer).unwrap() = bad;
}

#[test]
fn a_bad_value_costs_only_its_field_with_one_warning_naming_study_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", serde_json::to_string(&study("NCT00000009")).unwrap());
    for (id, field, bad, gone) in bad_value_cases() {
        let mut value = study(id);
        spoil(&mut value, field, bad.clone());
        let path = write(dir.path(), &format!("{id}.json"), serde_json::to_string_pretty(&value).unwrap());
        let run = check(&[&good, &path]);
        assert_eq!(run.code, 0, "{field}: warnings alone exit 0\n{}", run.stderr);
        assert_eq!(loaded(&run), 2, "{field}: {}", run.stderr);
        assert!(run.stdout.contains("failures: none"), "{field}: {}", run.stdout);
        assert!(run.stdout.contains("warnings: 1 field left out"), "{field}: {}", run.stdout);
        let lines = stderr_lines(&run);
        assert_eq!(lines.len(), 1, "{field}: {}", run.stderr);
        let start = format!("{} {id}: {field}: {bad} is not ", path.display());
        assert!(lines[0].starts_with(&start), "{field}: {:?} does not start with {start:?}", lines[0]);
        assert!(lines[0].ends_with("; field left out"), "{}", lines[0]);

        // The study shows with everything but that field.
        let shown = show(id, &path, "text");
        assert_eq!(shown.code, 0, "{field}: {}", shown.stderr);
        for kept in [
            "Inhaled Budesonide Study",
            "Recruiting",
            "Asthma",
            "Example University",
            "Asthma for 6 months",
            "Smoking",
            "2021-03-15",
            "40 participants",
            "Phase 2",
            "General Hospital",
        ] {
            assert_eq!(shown.stdout.contains(kept), kept != gone, "{field}: {kept:?} in:\n{}", shown.stdout);
        }
        // `nct show` says what it left out, as `nct check` does.
        assert_eq!(stderr_lines(&shown), lines, "{field}");
        // The raw record is as the file has it.
        let raw: Value = serde_json::from_str(&show(id, &path, "json").stdout).unwrap();
        assert_eq!(raw, value);
    }
}

#[test]
fn check_json_lists_the_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = study("NCT00000011");
    spoil(&mut value, "protocolSection.statusModule.startDateStruct.date", json!("2024-13-45"));
    let path =
        write(dir.path(), "bad.json", serde_json::to_string(&json!([study("NCT00000001"), value])).unwrap());
    let run = nct(&["check", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["failures"], json!([]));
    assert_eq!(
        report["warnings"],
        json!([{
            "origin": format!("{}[1]", path.display()),
            "study": "NCT00000011",
            "field": "protocolSection.statusModule.startDateStruct.date",
            "problem": "\"2024-13-45\" is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)",
        }])
    );
}

#[test]
fn a_huge_or_hidden_bad_value_gives_a_short_visible_message() {
    let dir = tempfile::tempdir().unwrap();
    let field = "protocolSection.statusModule.startDateStruct.date";
    let mut huge = study("NCT00000021");
    spoil(&mut huge, field, json!(format!("{}\u{1b}[31m", "9".repeat(10 * 1024))));
    let mut hidden = study("NCT00000022");
    spoil(&mut hidden, field, json!("\u{202e}2024\u{7}\u{9b}"));
    let path = write(dir.path(), "bad.json", serde_json::to_string(&json!([huge, hidden])).unwrap());
    let run = check(&[&path]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(loaded(&run), 2);
    let lines = stderr_lines(&run);
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    for line in &lines {
        let (_, rest) = line.split_once(&format!("{field}: ")).unwrap();
        let (excerpt, _) = rest.split_once(" is not a date").unwrap();
        assert!(excerpt.chars().count() <= 70, "excerpt too long: {excerpt:?}");
        assert!(
            !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "raw control character in {line:?}"
        );
    }
    assert!(lines[0].contains("9999…"), "{}", lines[0]);
    assert!(lines[0].contains("characters)"), "the full size is said: {}", lines[0]);
    assert!(lines[1].contains(r#""\u{202e}2024\u0007\u{9b}""#), "{}", lines[1]);
}

#[test]
fn a_duplicate_dropped_for_a_newer_version_has_no_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let version = |name: &str, updated: &str, bad: bool| {
        let mut value = study("NCT00000011");
        spoil(&mut value, "protocolSection.statusModule.lastUpdatePostDateStruct.date", json!(updated));
        if bad {
            spoil(&mut value, "protocolSection.statusModule.startDateStruct.date", json!("2024-13-45"));
        }
        write(dir.path(), name, serde_json::to_string(&value).unwrap())
    };
    let old_bad = version("old-bad.json", "2020-01-01", true);
    let new_good = version("new-good.json", "2024-01-01", false);
    let new_bad = version("new-bad.json", "2024-01-01", true);
    for paths in [[&old_bad, &new_good], [&new_good, &old_bad]] {
        let run = check(&[paths[0].as_path(), paths[1].as_path()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stdout.contains("1 duplicate resolved"), "{}", run.stdout);
        assert!(!run.stdout.contains("warnings:"), "{}", run.stdout);
        assert_eq!(run.stderr, "");
    }
    // The version kept has the bad value: it says so, once.
    let run = check(&[&old_bad, &new_bad]);
    let lines = stderr_lines(&run);
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(lines[0].starts_with(&format!("{} NCT00000011: ", new_bad.display())), "{}", lines[0]);
}

#[test]
fn too_many_bad_values_fail_the_study_with_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = study("NCT00000001");
    let many: Vec<Value> = (0..100).map(|_| json!("x".repeat(10 * 1024))).collect();
    spoil(&mut value, "protocolSection.contactsLocationsModule.locations", json!(many));
    let path = write(dir.path(), "bad.json", serde_json::to_string(&value).unwrap());
    let run = check(&[&path]);
    assert_eq!(run.code, 1);
    assert_eq!(loaded(&run), 0);
    let lines = stderr_lines(&run);
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    let start = format!("{}: protocolSection.contactsLocationsModule.locations[0]: ", path.display());
    assert!(lines[0].starts_with(&start), "{}", lines[0]);
    assert!(lines[0].len() < 400, "{}", lines[0]);
}

#[test]
fn a_bad_nct_id_is_still_a_failure_that_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = study("NCT00000001");
    spoil(&mut value, "protocolSection.identificationModule.nctId", json!(12345));
    let path = write(dir.path(), "bad.json", serde_json::to_string(&value).unwrap());
    let run = check(&[&path]);
    assert_eq!(run.code, 1);
    assert_eq!(loaded(&run), 0);
    let lines = stderr_lines(&run);
    assert_eq!(
        lines,
        [format!(
            "{}: protocolSection.identificationModule.nctId: 12345 is not text; a study needs its NCT id",
            path.display()
        )]
    );
}

#[test]
fn warnings_survive_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let mut value = study("NCT00000011");
    spoil(&mut value, "protocolSection.designModule.phases", json!("PHASE2"));
    let path =
        write(dir.path(), "bad.json", serde_json::to_string(&json!([study("NCT00000001"), value])).unwrap());
    let input = path.to_str().unwrap();
    let warning =
        format!("{input}[1] NCT00000011: protocolSection.designModule.phases: \"PHASE2\" is not a list");

    let first = nct_in(&cache, "always", &["search", "budesonide", input]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.contains(&warning), "{}", first.stderr);
    let standing = nct_in(&cache, "always", &["check", input]);
    assert!(standing.stdout.contains("up to date"), "the entry was stored:\n{}", standing.stdout);
    // Answered from the stored entry: by the index alone, and through the stored summaries.
    for query in ["budesonide", "status:recruiting"] {
        let again = nct_in(&cache, "always", &["search", query, input]);
        assert_eq!(again.code, 0, "{query}: {}", again.stderr);
        assert!(again.stdout.contains("NCT00000011"), "{query}: {}", again.stdout);
        assert_eq!(stderr_lines(&again), [warning.clone() + "; field left out"], "{query}");
    }
}
