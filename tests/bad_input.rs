//! Bad input, end to end: the real `nct check` on broken files must name each file (and entry,
//! element or line) with a reason, load every good study beside them, never panic, and exit 1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;

/// A small but real-shaped study record.
fn study(id: &str) -> serde_json::Value {
    json!({
        "protocolSection": {
            "identificationModule": {"nctId": id, "briefTitle": format!("Study {id}")},
            "statusModule": {
                "overallStatus": "RECRUITING",
                "startDateStruct": {"date": "2021-03"},
                "lastUpdatePostDateStruct": {"date": "2024-01-15", "type": "ACTUAL"}
            },
            "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE2"],
                             "enrollmentInfo": {"count": 40, "type": "ESTIMATED"}},
            "contactsLocationsModule": {"locations": [{"facility": "General Hospital", "city": "Lyon", "country": "France"}]}
        },
        "derivedSection": {"miscInfoModule": {"versionHolder": "2024-06-01"}},
        "hasResults": false
    })
}

fn study_text(id: &str) -> String {
    serde_json::to_string_pretty(&study(id)).unwrap()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn nct(args: &[&str]) -> Run {
    let Output { status, stdout, stderr } =
        Command::new(env!("CARGO_BIN_EXE_nct")).args(args).output().expect("run nct");
    Run {
        code: status.code().expect("nct exited by a signal (a crash?)"),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn check(paths: &[&Path]) -> Run {
    let mut args = vec!["check"];
    let strs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(strs.iter().map(String::as_str));
    let run = nct(&args);
    assert!(!run.stderr.contains("panicked"), "nct panicked:\n{}", run.stderr);
    run
}

/// The loaded-studies count from `nct check`'s text report.
fn loaded(run: &Run) -> usize {
    let line = run.stdout.lines().find(|l| l.starts_with("studies: ")).expect("a studies line");
    line["studies: ".len()..].split_whitespace().next().unwrap().replace(',', "").parse().unwrap()
}

/// The failure lines (stderr), one per failure.
fn failures(run: &Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

/// Asserts exactly one failure line, for `origin`, whose reason contains `reason`.
fn assert_one_failure(run: &Run, origin: &str, reason: &str) {
    let lines = failures(run);
    assert_eq!(lines.len(), 1, "expected one failure, got:\n{}", run.stderr);
    let line = lines[0];
    assert!(line.starts_with(&format!("{origin}: ")), "origin {origin:?} not at the start of {line:?}");
    assert!(line.to_lowercase().contains(&reason.to_lowercase()), "reason {reason:?} not in {line:?}");
    assert_eq!(run.code, 1, "exit code");
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", study_text("NCT00000001"));
    let bad = write(dir.path(), "empty.json", "");
    let run = check(&[&good, &bad]);
    assert_eq!(loaded(&run), 1);
    assert_one_failure(&run, &bad.display().to_string(), "empty file");
}

#[test]
fn binary_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.json", study_text("NCT00000001"));
    let bad = write(dir.path(), "image.bin", [0x89u8, b'P', b'N', b'G', 0, 0, 0x1a, 0xff, 0xfe]);
    let run = check(&[dir.path()]);
    assert_eq!(loaded(&run), 1);
    assert_one_failure(&run, &bad.display().to_string(), "binary data");
}

#[test]
fn truncated_json() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.json", study_text("NCT00000001"));
    let text = study_text("NCT00000002");
    let bad = write(dir.path(), "b.json", &text[..text.len() / 2]);
    let run = check(&[dir.path()]);
    assert_eq!(loaded(&run), 1);
    assert_one_failure(&run, &bad.display().to_string(), "truncated");
}

#[test]
fn array_with_a_broken_third_element() {
    let dir = tempfile::tempdir().unwrap();
    let s = |id| serde_json::to_string(&study(id)).unwrap();
    let text = format!(
        "[{}, {}, {{\"protocolSection\": {{\"identificationModule\": {{\"nctId\": \"NCT00000003\",, }}}}}}, {}, {}]",
        s("NCT00000001"),
        s("NCT00000002"),
        s("NCT00000004"),
        s("NCT00000005")
    );
    let bad = write(dir.path(), "ctg-studies.json", text);
    let run = check(&[&bad]);
    assert_eq!(loaded(&run), 4);
    assert_one_failure(&run, &format!("{}[2]", bad.display()), "invalid JSON");
}

#[test]
fn truncated_array_keeps_the_studies_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let all: Vec<_> = (1..=4).map(|i| study(&format!("NCT0000000{i}"))).collect();
    let text = serde_json::to_string(&all).unwrap();
    let cut = text.rfind("NCT00000004").unwrap();
    let bad = write(dir.path(), "partial.json", &text[..cut]);
    let run = check(&[&bad]);
    assert_eq!(loaded(&run), 3);
    assert_one_failure(&run, &format!("{}[3]", bad.display()), "truncated");
}

#[test]
fn ndjson_with_a_broken_line_in_the_middle() {
    let dir = tempfile::tempdir().unwrap();
    let s = |id| serde_json::to_string(&study(id)).unwrap();
    let text = format!(
        "{}\n{}\n{{\"protocolSection\": {{\"ident\n{}\n",
        s("NCT00000001"),
        s("NCT00000002"),
        s("NCT00000004")
    );
    let bad = write(dir.path(), "studies.ndjson", text);
    let run = check(&[&bad]);
    assert_eq!(loaded(&run), 3);
    assert_one_failure(&run, &format!("{}:3", bad.display()), "");
}

#[test]
fn missing_protocol_section_or_nct_id() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", study_text("NCT00000001"));
    let no_protocol = write(dir.path(), "no-protocol.json", r#"{"derivedSection": {}, "hasResults": false}"#);
    let run = check(&[&good, &no_protocol]);
    assert_eq!(loaded(&run), 1);
    assert_one_failure(&run, &no_protocol.display().to_string(), "no protocolSection");

    let mut value = study("NCT00000002");
    value["protocolSection"]["identificationModule"].as_object_mut().unwrap().remove("nctId");
    let no_id = write(dir.path(), "no-id.json", serde_json::to_string(&value).unwrap());
    let run = check(&[&good, &no_id]);
    assert_eq!(loaded(&run), 1);
    assert_one_failure(&run, &no_id.display().to_string(), "nctId");
}

#[test]
fn invalid_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.json", study_text("NCT00000001"));
    let mut bytes = study_text("NCT00000002").into_bytes();
    let at = bytes.windows(5).position(|w| w == b"Study").unwrap();
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    let bad = write(dir.path(), "latin1.json", bytes);
    let run = check(&[&good, &bad]);
    assert_eq!(loaded(&run), 1);
    assert_one_failure(&run, &bad.display().to_string(), "unicode");
}

#[test]
fn utf8_bom_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(study_text("NCT00000001").into_bytes());
    let file = write(dir.path(), "bom.json", bytes);
    let run = check(&[&file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(loaded(&run), 1);
}

#[test]
fn a_20_mb_text_field_loads() {
    let dir = tempfile::tempdir().unwrap();
    let mut value = study("NCT00000001");
    value["protocolSection"]["descriptionModule"] = json!({"detailedDescription": "word ".repeat(4 << 20)});
    let file = write(dir.path(), "huge.json", serde_json::to_string(&value).unwrap());
    assert!(fs::metadata(&file).unwrap().len() > 20_000_000);
    let run = check(&[&file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(loaded(&run), 1);
}

fn zip_of(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn zip_with_one_corrupt_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctg-studies.json.zip");
    let entries: Vec<(String, Vec<u8>)> = (1..=3)
        .map(|i| (format!("NCT0000000{i}.json"), study_text(&format!("NCT0000000{i}")).into_bytes()))
        .collect();
    let named: Vec<(&str, Vec<u8>)> = entries.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    zip_of(&path, &named);
    // Damage the compressed data of the second entry (between its local header and the third's).
    let mut bytes = fs::read(&path).unwrap();
    let second = bytes.windows(4).enumerate().filter(|(_, w)| w == b"PK\x03\x04").nth(1).unwrap().0;
    let third = bytes.windows(4).enumerate().filter(|(_, w)| w == b"PK\x03\x04").nth(2).unwrap().0;
    let middle = second + 30 + "NCT00000002.json".len() + (third - second - 30 - 16) / 2;
    for b in &mut bytes[middle..middle + 8] {
        *b ^= 0x5a;
    }
    fs::write(&path, bytes).unwrap();
    let run = check(&[&path]);
    assert_eq!(loaded(&run), 2, "{}", run.stderr);
    assert_one_failure(&run, &format!("{}!/NCT00000002.json", path.display()), "");
}

#[test]
fn truncated_zip_is_reported_and_its_complete_entries_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctg-studies.json.zip");
    let entries: Vec<(String, Vec<u8>)> = (1..=4)
        .map(|i| (format!("NCT0000000{i}.json"), study_text(&format!("NCT0000000{i}")).into_bytes()))
        .collect();
    let named: Vec<(&str, Vec<u8>)> = entries.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    zip_of(&path, &named);
    let bytes = fs::read(&path).unwrap();
    let fourth = bytes.windows(4).enumerate().filter(|(_, w)| w == b"PK\x03\x04").nth(3).unwrap().0;
    fs::write(&path, &bytes[..fourth + 40]).unwrap();
    let run = check(&[&path]);
    assert_eq!(run.code, 1);
    assert_eq!(loaded(&run), 3, "{}", run.stderr);
    let lines = failures(&run);
    assert!(!lines.is_empty());
    assert!(
        lines.iter().all(|l| l.starts_with(&path.display().to_string())) && run.stderr.contains("incomplete"),
        "{}",
        run.stderr
    );
}

#[test]
fn folder_with_broken_symlink_unreadable_file_and_symlink_loop() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("library");
    fs::create_dir_all(root.join("sub")).unwrap();
    write(&root, "NCT00000001.json", study_text("NCT00000001"));
    write(&root.join("sub"), "NCT00000002.json", study_text("NCT00000002"));
    symlink(root.join("missing.json"), root.join("dangling.json")).unwrap();
    symlink(&root, root.join("sub").join("loop")).unwrap();
    let locked = write(&root, "locked.json", study_text("NCT00000003"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = fs::File::open(&locked).is_ok(); // true when the tests run as root

    let run = check(&[&root]);
    let lines = failures(&run);
    assert_eq!(run.code, 1);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{}: broken symlink", root.join("dangling.json").display()))),
        "{}",
        run.stderr
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{}: symlink loop", root.join("sub").join("loop").display()))),
        "{}",
        run.stderr
    );
    if readable_anyway {
        assert_eq!(loaded(&run), 3);
        assert_eq!(lines.len(), 2, "{}", run.stderr);
    } else {
        assert_eq!(loaded(&run), 2);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{}: cannot open: permission denied", locked.display()))),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_path_that_does_not_exist() {
    let run = check(&[Path::new("/nonexistent/studies.json")]);
    assert_one_failure(&run, "/nonexistent/studies.json", "no such file");
}

#[test]
fn duplicates_keep_the_newest_and_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut old = study("NCT00000001");
    old["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = json!("2020-01");
    old["protocolSection"]["identificationModule"]["briefTitle"] = json!("Old title");
    let old_path = write(dir.path(), "a-old.json", serde_json::to_string(&old).unwrap());
    let new_path = write(dir.path(), "b-new.json", study_text("NCT00000001"));
    let run = check(&[&old_path, &new_path]);
    assert_eq!(run.code, 0);
    assert_eq!(loaded(&run), 1);
    assert!(
        run.stdout.contains(&format!(
            "duplicate NCT00000001: kept {}, dropped {}",
            new_path.display(),
            old_path.display()
        )),
        "{}",
        run.stdout
    );
    let show = nct(&[
        "show",
        "NCT00000001",
        &old_path.display().to_string(),
        &new_path.display().to_string(),
        "--format",
        "json",
    ]);
    assert!(show.stdout.contains("Study NCT00000001") && !show.stdout.contains("Old title"));
}
