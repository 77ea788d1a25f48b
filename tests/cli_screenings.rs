//! `nct screenings` through the real binary: the log in every format from screening files
//! written here by hand (as a coordinator's app would have saved them), filters, and a broken
//! file named while the others are still listed.

use std::path::Path;
use std::process::Command;

fn nct(home: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("HOME", home)
        .env_remove("NO_COLOR")
        .output()
        .expect("run nct");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn write(home: &Path, study: &str, patient: &str, text: &str) -> std::path::PathBuf {
    let folder = home.join("data/nct/screenings").join(study);
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join(format!("{patient}.toml"));
    std::fs::write(&file, text).unwrap();
    file
}

const P014: &str = r#"patient = "P-014"
study = "NCT05183427"
title = "Psoriasis \"PASI\" study"
started = "2026-12-01"
updated = "2026-12-06"

[[item]]
ref = "I1"
text = "Adults aged 18 to 75 years"
answer = "met"

[[item]]
ref = "I2"
text = "ECOG performance status <= 1"
answer = "not_met"
note = "ECOG 2 at the last visit"

[[item]]
ref = "E1"
text = "Pregnant or breastfeeding"
answer = "unknown"
"#;

const P015: &str = r#"patient = "P-015"
study = "NCT05183427"
title = "Psoriasis \"PASI\" study"
started = "2026-12-02"
updated = "2026-12-03"

[[item]]
ref = "I1"
text = "Adults aged 18 to 75 years"
answer = "met"

[[item]]
ref = "I2"
text = "Any of the following:"

[[item]]
ref = "I2.a"
text = "prior biologic"
answer = "not_met"

[[item]]
ref = "I2.b"
text = "prior methotrexate"
answer = "met"

[[item]]
ref = "E1"
text = "Pregnant or breastfeeding"
answer = "not_met"
"#;

fn home() -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "NCT05183427", "P-014", P014);
    write(home.path(), "NCT05183427", "P-015", P015);
    write(
        home.path(),
        "NCT01447732",
        "P-020",
        &P014
            .replace("NCT05183427", "NCT01447732")
            .replace("P-014", "P-020")
            .replace("2026-12-06", "2026-11-30"),
    );
    home
}

#[test]
fn the_log_as_text_lists_the_newest_first_with_verdicts_and_what_is_open() {
    let home = home();
    let (code, out, err) = nct(home.path(), &["screenings"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let firsts: Vec<&str> = out.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(
        firsts,
        [
            "2026-12-06  P-014  NCT05183427  not eligible: I2 (ECOG ≤ 1)",
            "2026-12-03  P-015  NCT05183427  eligible",
            "2026-11-30  P-020  NCT01447732  not eligible: I2 (ECOG ≤ 1)",
        ]
    );
    assert!(out.contains("    Psoriasis \"PASI\" study\n"), "{out}");
    assert!(
        out.contains("    Inclusion 1/2 met · Exclusion 0 hit, 1 unknown → not eligible: I2 (ECOG ≤ 1)\n"),
        "{out}"
    );
    assert!(
        out.contains("    I2 not met: ECOG performance status <= 1 — note: ECOG 2 at the last visit\n"),
        "{out}"
    );
    assert!(out.contains("    E1 unknown: Pregnant or breastfeeding\n"), "{out}");
    // I2 of P-015 is met through one of its alternatives.
    assert!(out.contains("    Inclusion 2/2 met · Exclusion 0 hit → eligible\n"), "{out}");
}

#[test]
fn filters_by_study_and_patient_and_says_when_none_match() {
    let home = home();
    let (code, out, _) = nct(home.path(), &["screenings", "--study", "nct01447732"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("2026-11-30  P-020  NCT01447732") && !out.contains("P-014"), "{out}");
    let (code, out, _) = nct(home.path(), &["screenings", "--patient", "P-015"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("2026-12-03  P-015") && !out.contains("P-014"), "{out}");
    let (code, out, err) = nct(home.path(), &["screenings", "--patient", "P-999"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(err.contains("no screenings of patient P-999 in ") && err.contains("screenings"), "{err}");
}

#[test]
fn csv_markdown_and_json_carry_the_same_log() {
    let home = home();
    let (code, csv, _) = nct(home.path(), &["screenings", "--format", "csv", "--study", "NCT05183427"]);
    assert_eq!(code, 0);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("Date,Patient,Study,Title,Verdict,Counts,Not met or unknown"));
    let first = lines.next().unwrap();
    assert!(
        first.starts_with(
            "2026-12-06,P-014,NCT05183427,\"Psoriasis \"\"PASI\"\" study\",not eligible: I2 (ECOG ≤ 1),"
        ),
        "{first}"
    );
    assert!(first.contains("I2 not met: ECOG performance status <= 1 (ECOG 2 at the last visit); E1 unknown: Pregnant or breastfeeding"), "{first}");
    assert_eq!(lines.count(), 1);

    let (code, markdown, _) = nct(home.path(), &["screenings", "-f", "markdown"]);
    assert_eq!(code, 0);
    assert!(
        markdown.starts_with("# Screening log\n\n| Date | Patient | Study | Title | Verdict |\n"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| 2026-12-03 | P-015 | NCT05183427 | Psoriasis \"PASI\" study | eligible |"),
        "{markdown}"
    );
    assert!(
        markdown
            .contains("- **I2** not met: ECOG performance status \\<= 1 — note: ECOG 2 at the last visit"),
        "{markdown}"
    );

    let (code, json, _) = nct(home.path(), &["screenings", "--format", "json"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["patient"], "P-014");
    assert_eq!(rows[0]["verdict"], "not eligible: I2 (ECOG ≤ 1)");
    assert_eq!(rows[0]["open"][0]["ref"], "I2");
    assert_eq!(rows[0]["open"][0]["answer"], "not met");
    assert_eq!(rows[1]["open"].as_array().unwrap().len(), 0);
}

#[test]
fn a_broken_screening_file_is_named_and_the_others_still_listed() {
    let home = home();
    let broken = write(home.path(), "NCT05183427", "P-016", "patient = \"P-016\"\n[[item]\nref = ");
    let (code, out, err) = nct(home.path(), &["screenings"]);
    assert_eq!(code, 1, "something could not be read");
    assert!(
        err.contains(&broken.display().to_string()) && err.contains("is not a screening nct can read"),
        "{err}"
    );
    assert!(err.contains("the other screenings are read"), "{err}");
    assert_eq!(out.lines().filter(|l| !l.starts_with(' ')).count(), 3, "{out}");
    assert!(broken.exists(), "the log moves nothing");
    // Control characters in a hand-edited file are shown, never sent to the terminal.
    write(
        home.path(),
        "NCT05183427",
        "P-017",
        &P015.replace("P-015", "P-017").replace("prior biologic", "prior \u{1b}[2Jbiologic"),
    );
    let (_, out, _) = nct(home.path(), &["screenings", "--patient", "P-017"]);
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

#[test]
fn no_screenings_yet_says_where_they_would_be() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = nct(home.path(), &["screenings"]);
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.starts_with("nct: no screenings in ") && err.contains("m in a study's Criteria pane"),
        "{err}"
    );
}
