//! Every input shape, end to end: `nct check` recognises it, and `nct show --format json` reads
//! each study back through its locator exactly as it was written (array element, API page
//! element, NDJSON line, zip entry in nested folders, text export, standard input).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn study(id: &str, title: &str) -> Value {
    json!({
        "protocolSection": {
            "identificationModule": {"nctId": id, "briefTitle": title},
            "statusModule": {"overallStatus": "COMPLETED", "lastUpdatePostDateStruct": {"date": "2024-02"}},
            "designModule": {"studyType": "OBSERVATIONAL"}
        },
        "hasResults": false
    })
}

fn nct(args: &[&str], stdin: Option<&[u8]>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn p(path: &Path) -> String {
    path.display().to_string()
}

/// `nct check --format json` on the paths: (documents by format, studies loaded, failures).
fn check_json(paths: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(paths);
    let (code, stdout, stderr) = nct(&args, None);
    assert_eq!(code, 0, "check failed: {stdout}\n{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// The record `show --format json` prints, as a value and as its exact text.
fn show_json(id: &str, paths: &[&str]) -> (Value, String) {
    let mut args = vec!["show", id, "--format", "json"];
    args.extend_from_slice(paths);
    let (code, stdout, stderr) = nct(&args, None);
    assert_eq!(code, 0, "show failed: {stderr}");
    (serde_json::from_str(&stdout).unwrap(), stdout)
}

#[test]
fn json_array_elements_read_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ctg-studies.json");
    let text = format!(
        "[\n  {},\n  {}\n]\n",
        serde_json::to_string_pretty(&study("NCT00000001", "First")).unwrap(),
        serde_json::to_string_pretty(&study("NCT00000002", "Second [with] \"brackets\" }")).unwrap()
    );
    fs::write(&file, &text).unwrap();
    let report = check_json(&[&p(&file)]);
    assert_eq!(report["documents"], json!({"array": 1}));
    assert_eq!(report["studies"], 2);
    let (value, raw) = show_json("NCT00000002", &[&p(&file)]);
    assert_eq!(value, study("NCT00000002", "Second [with] \"brackets\" }"));
    assert!(text.contains(&raw), "the record is printed as written in the file");
}

#[test]
fn api_page_with_next_page_token() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.json");
    let page = json!({
        "totalCount": 2,
        "studies": [study("NCT00000001", "A"), study("NCT00000002", "B")],
        "nextPageToken": "ZVNj7o2Elu8o3lpoWsOrsdvmWo"
    });
    fs::write(&file, serde_json::to_string(&page).unwrap()).unwrap();
    let report = check_json(&[&p(&file)]);
    assert_eq!(report["documents"], json!({"page": 1}));
    assert_eq!(report["studies"], 2);
    assert_eq!(show_json("NCT00000002", &[&p(&file)]).0, study("NCT00000002", "B"));
}

#[test]
fn ndjson_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("studies.ndjson");
    let lines: Vec<String> =
        (1..=3).map(|i| serde_json::to_string(&study(&format!("NCT0000000{i}"), "x")).unwrap()).collect();
    fs::write(&file, lines.join("\n") + "\n").unwrap();
    let report = check_json(&[&p(&file)]);
    assert_eq!(report["documents"], json!({"ndjson": 1}));
    assert_eq!(report["studies"], 3);
    assert_eq!(show_json("NCT00000003", &[&p(&file)]).1.trim_end(), lines[2]);
}

#[test]
fn folder_of_nested_folders_skips_non_study_files() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("a").join("b").join("c");
    fs::create_dir_all(&deep).unwrap();
    fs::write(dir.path().join("NCT00000001.json"), study("NCT00000001", "x").to_string()).unwrap();
    fs::write(deep.join("NCT00000002.json"), study("NCT00000002", "y").to_string()).unwrap();
    fs::write(dir.path().join("ctg-studies.csv"), "NCT Number,Study Title\n").unwrap();
    fs::write(dir.path().join(".DS_Store"), [0u8, 1, 2]).unwrap();
    let report = check_json(&[&p(dir.path())]);
    assert_eq!(report["studies"], 2);
    assert_eq!(report["failures"], json!([]));
}

#[test]
fn zip_with_nested_folders_and_an_array_inside() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bulk.zip");
    let mut zip = zip::ZipWriter::new(fs::File::create(&file).unwrap());
    let deflated = zip::write::SimpleFileOptions::default();
    let stored = deflated.compression_method(zip::CompressionMethod::Stored);
    zip.add_directory("NCT0000xxxx/", deflated).unwrap();
    zip.start_file("NCT0000xxxx/NCT00000001.json", deflated).unwrap();
    zip.write_all(serde_json::to_string_pretty(&study("NCT00000001", "One")).unwrap().as_bytes()).unwrap();
    zip.start_file("NCT0000xxxx/NCT00000002.json", stored).unwrap();
    zip.write_all(study("NCT00000002", "Two").to_string().as_bytes()).unwrap();
    zip.start_file("more/ctg-studies.json", deflated).unwrap();
    let array = json!([study("NCT00000003", "Three"), study("NCT00000004", "Four")]);
    zip.write_all(array.to_string().as_bytes()).unwrap();
    zip.start_file("__MACOSX/._NCT00000001.json", deflated).unwrap();
    zip.write_all(&[0, 5, 22, 7]).unwrap();
    zip.finish().unwrap();

    let report = check_json(&[&p(&file)]);
    assert_eq!(report["documents"], json!({"zip": 1, "study": 2, "array": 1}));
    assert_eq!(report["studies"], 4);
    for (id, title) in [("NCT00000001", "One"), ("NCT00000002", "Two"), ("NCT00000004", "Four")] {
        assert_eq!(show_json(id, &[&p(&file)]).0, study(id, title), "{id}");
    }
}

#[test]
fn text_export_like_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("export.txt");
    let text = "Viewing Study NCT00000009\n\n\nStatus: COMPLETED\n\nRaw JSON\n\n\
        {'protocolSection': {'identificationModule': {'nctId': 'NCT00000009', 'briefTitle': \"Patients' \\u2265 18\\xa0years\"}, \
        'statusModule': {'overallStatus': 'COMPLETED'}}, 'hasResults': False}\n";
    fs::write(&file, text).unwrap();
    let report = check_json(&[&p(&file)]);
    assert_eq!(report["documents"], json!({"export": 1}));
    let (value, _) = show_json("nct00000009", &[&p(&file)]);
    assert_eq!(value["protocolSection"]["identificationModule"]["briefTitle"], "Patients' ≥ 18\u{a0}years");
    assert_eq!(value["hasResults"], false);
}

#[test]
fn standard_input() {
    let bytes = serde_json::to_vec(&json!([study("NCT00000001", "a"), study("NCT00000002", "b")])).unwrap();
    let (code, stdout, stderr) = nct(&["show", "NCT00000002", "-", "--format", "json"], Some(&bytes));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), study("NCT00000002", "b"));
    let (code, stdout, _) = nct(&["check", "-"], Some(&bytes));
    assert_eq!(code, 0);
    assert!(stdout.contains("studies: 2 loaded"), "{stdout}");
}

#[test]
fn bundled_assets_all_load() {
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
    let report = check_json(&[&p(&assets)]);
    assert!(report["studies"].as_u64().unwrap() >= 20);
    assert_eq!(report["failures"], json!([]));
    assert_eq!(report["documents"]["export"], 2);
    // The seed study, from its text export.
    let (value, _) = show_json("NCT02491658", &[&p(&assets)]);
    assert_eq!(value["protocolSection"]["designModule"]["phases"], json!(["PHASE1", "PHASE2"]));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(nct(&[], None).0, 2);
    assert_eq!(nct(&["show"], None).0, 2);
    assert_eq!(nct(&["check", "assets", "--format", "yaml"], None).0, 2);
    let (code, stdout, _) = nct(&["--help"], None);
    assert_eq!(code, 0);
    assert!(stdout.contains("Examples:") && stdout.contains("nct show NCT02491658"));
}
