//! The fields a reader of the registry's Researcher View finds, in `nct show` (text and
//! markdown) through the real binary, on a hand-written study holding every module they come
//! from (`tests/fixtures/every_field/`): contacts and officials, oversight, every date with its
//! type, condition and intervention MeSH terms with their ancestors, IPD sharing, uploaded
//! documents with the registry's link, references with PubMed links, see-also links,
//! limitations. Then what a file or a pipe gets (nothing cut at any width), inputs that are
//! not study records (a CSV export, a folder's other files), and the completion scripts and
//! manual page.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EVERY_FIELD: &str = "NCT09990010";

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every_field")
}

fn nct(args: &[&str], columns: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_nct"));
    command.args(args).env("NO_COLOR", "1").env("NCT_CACHE", "off");
    match columns {
        Some(columns) => command.env("COLUMNS", columns),
        None => command.env_remove("COLUMNS"),
    };
    command.output().expect("the nct binary runs")
}

fn show(format: &str, columns: Option<&str>) -> String {
    let output = nct(&["show", EVERY_FIELD, fixtures().to_str().unwrap(), "--format", format], columns);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// The lines of the section headed `heading` (text form), up to the next section.
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let start = format!("── {heading} ");
    let mut lines = text.lines().skip_while(|l| !l.starts_with(&start));
    assert!(lines.next().is_some(), "no section {heading} in:\n{text}");
    lines.take_while(|l| !l.starts_with("── ")).collect()
}

#[test]
fn text_shows_every_field() {
    let out = show("text", None);
    let has = |section_name: &str, wanted: &[&str]| {
        let lines = section(&out, section_name).join("\n");
        for line in wanted {
            assert!(lines.contains(line), "{section_name}: no {line:?} in:\n{lines}");
        }
    };
    has(
        "Dates",
        &[
            "Start:              2019-04-02 (actual)",
            "Primary completion: 2022-08-30 (actual)",
            "Completion:         2023-01 (estimated)",
            "First submitted:    2019-02-11",
            "First posted:       2019-02-14 (actual)",
            "Results submitted:  2023-07-20",
            "Results posted:     2023-08-15 (actual)",
            "Delay requested:    2023-06-01",
            "Delay posted:       2023-06-09 (estimated)",
            "Update submitted:   2024-11-04",
            "Last update:        2024-11-07 (actual)",
            "Verified:           2024-11",
        ],
    );
    has(
        "Sponsor",
        &["Officials:         Call 1-877-555-0199 (Harrowgate) or 1-317-555-0100 (Study Director),"],
    );
    has(
        "Oversight",
        &[
            "Data monitoring committee: yes",
            "FDA-regulated drug:        yes",
            "FDA-regulated device:      no",
            "Exported from the US:      no",
        ],
    );
    has(
        "Conditions",
        &["MeSH terms:     Psoriasis", "MeSH ancestors: Skin Diseases, Papulosquamous · Skin Diseases"],
    );
    has(
        "Arms and interventions",
        &[
            "Intervention MeSH terms",
            "MeSH terms:     Veltrasib",
            "MeSH ancestors: Protein Kinase Inhibitors · Enzyme Inhibitors",
        ],
    );
    has("More information", &["Limitations and caveats", "The trial ended early at two sites"]);
    has("Sites", &["Central contacts: Harrowgate Call Center · 1-877-555-0199 · trials@harrowgate.example"]);
    has(
        "Data sharing",
        &[
            "Plan to share IPD: Yes",
            "Plan:              Anonymized individual participant data",
            "Shared:            Study Protocol",
            "                   Statistical Analysis Plan (SAP)",
            "                   Clinical Study Report (CSR)",
            "Time frame:        From 6 months after publication, for 2 years.",
            "Access criteria:   Qualified researchers with an approved proposal.",
            "URL:               https://vivli.example/harrowgate",
            "Available data and documents",
            "Individual Participant Data Set · VELTRA-3-IPD",
            "  URL: https://vivli.example/veltra-3",
            "  Requests through the sharing platform.",
        ],
    );
    has(
        "Documents",
        &[
            "Study Protocol and Statistical Analysis Plan\n  Date:     2018-12-03\n  Uploaded: 2023-07-20\n  Size:     1.5 MB\n  Link:     https://cdn.clinicaltrials.gov/large-docs/10/NCT09990010/Prot_SAP_000.pdf",
            "Informed Consent Form\n  Date:     2019-01-15\n  Uploaded: 2023-07-20\n  Size:     413 KB\n  Link:     https://cdn.clinicaltrials.gov/large-docs/10/NCT09990010/ICF_001.pdf",
        ],
    );
    has(
        "References",
        &[
            "1. Quill A, Marsh B. Oral veltrasib in plaque psoriasis",
            "   PMID: 35551234\n   Type: Result",
            "   PMID:         30001111\n   Type:         Background\n   Retracted by: PMID 30009999 (J Skin Sci. 2019)",
            "Links: Plain language summary: https://trials.harrowgate.example/veltra-3",
        ],
    );
    // A pipe gets no escape sequences: links are plain text there.
    assert!(!out.contains('\u{1b}'), "{out}");
}

#[test]
fn markdown_shows_every_field_with_links() {
    let out = show("markdown", None);
    for wanted in [
        "## Dates",
        "- **Delay posted:** 2023-06-09 (estimated)",
        "- **Results posted:** 2023-08-15 (actual)",
        "## Oversight\n\n- **Data monitoring committee:** yes\n- **FDA-regulated drug:** yes",
        "- **MeSH ancestors:** Skin Diseases, Papulosquamous · Skin Diseases",
        "### Intervention MeSH terms\n\n- **MeSH terms:** Veltrasib",
        "### Limitations and caveats",
        "- **Central contacts:** Harrowgate Call Center · 1-877-555-0199 · trials@harrowgate.example",
        "## Data sharing\n\n- **Plan to share IPD:** Yes",
        "- **Shared:**\n  - Study Protocol\n  - Statistical Analysis Plan (SAP)",
        "- **URL:** <https://vivli.example/harrowgate>",
        "## Documents\n\n- **Study Protocol and Statistical Analysis Plan**\n  - **Date:** 2018-12-03",
        "  - **Link:** <https://cdn.clinicaltrials.gov/large-docs/10/NCT09990010/Prot_SAP_000.pdf>",
        "  - **Size:** 413 KB",
        "   - **PMID:** [35551234](https://pubmed.ncbi.nlm.nih.gov/35551234/)",
        "   - **Retracted by:** PMID 30009999 (J Skin Sci. 2019)",
        "[Plain language summary: https://trials.harrowgate.example/veltra-3](https://trials.harrowgate.example/veltra-3)",
    ] {
        assert!(out.contains(wanted), "no {wanted:?} in:\n{out}");
    }
}

/// The Sites section of a pipe, narrow or wide: no cut (`…`), no line wider than `COLUMNS`,
/// the same characters at every width (only the layout differs), and where the width allows,
/// every word of every name whole.
#[test]
fn a_pipe_gets_every_name_at_any_width() {
    let names = [
        "Dermatology Research Associates of the Greater Metropolitan Area, Clinical Trials Unit, Building C",
        "Clinique Universitaire de Dermatologie et Vénéréologie du Centre Hospitalier Régional",
        "Hautklinik",
        "San Antonio",
        "Countryside Township",
        "Pennsylvania",
        "United States",
        "Germany",
    ];
    let mut characters = Vec::new();
    for columns in ["60", "80", "100", "250"] {
        let out = show("text", Some(columns));
        assert!(!out.contains('…'), "a cut at COLUMNS={columns}:\n{out}");
        let sites = section(&out, "Sites");
        let width: usize = columns.parse().unwrap();
        for line in &sites {
            assert!(line.chars().count() <= width, "wider than {columns}: {line:?}");
        }
        if width >= 80 {
            let words: Vec<&str> = sites.iter().flat_map(|l| l.split_whitespace()).collect();
            for name in names {
                for word in name.split_whitespace() {
                    assert!(
                        words.contains(&word),
                        "{word:?} of {name:?} lost at COLUMNS={columns}:\n{}",
                        sites.join("\n")
                    );
                }
            }
        }
        let mut chars: Vec<char> = sites.concat().chars().filter(|c| !c.is_whitespace()).collect();
        chars.sort_unstable();
        characters.push(chars);
    }
    for chars in &characters[1..] {
        assert_eq!(chars, &characters[0], "the Sites section holds other characters at another width");
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

const CSV_EXPORT: &str = "a CSV export holds no full study records: download JSON from the same search";

#[test]
fn a_csv_export_says_to_download_json() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("ctg-studies.csv");
    write(
        &csv,
        "NCT Number,Study Title,Study URL\nNCT09990010,Veltrasib,https://clinicaltrials.gov/study/NCT09990010\n",
    );
    let csv = csv.to_str().unwrap();
    for args in [vec!["show", EVERY_FIELD, csv], vec!["check", csv], vec!["search", "veltrasib", csv]] {
        let output = nct(&args, None);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(&format!("{csv}: {CSV_EXPORT}")), "{args:?}: {stderr}");
    }
}

#[test]
fn check_says_why_each_file_of_a_folder_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("ctg-studies.csv"), "NCT Number,Study Title\n");
    write(&dir.path().join("protocol.pdf"), "%PDF-1.4");
    write(&dir.path().join(".DS_Store"), "\0\0");
    let output = nct(&["check", dir.path().to_str().unwrap()], None);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "nothing loaded: {stdout}");
    let at = |name: &str| dir.path().join(name).display().to_string();
    for line in [
        "skipped: 3 files in the folders, not read:".to_owned(),
        format!("  {}: {CSV_EXPORT}", at("ctg-studies.csv")),
        format!(
            "  {}: a .pdf file is not a study record (name it after the command to read it anyway)",
            at("protocol.pdf")
        ),
        format!("  {}: hidden (its name starts with a dot)", at(".DS_Store")),
    ] {
        assert!(stdout.lines().any(|l| l == line), "no line {line:?} in:\n{stdout}");
    }
    assert!(!stdout.contains("none recognised"), "{stdout}");
    let json = nct(&["check", dir.path().to_str().unwrap(), "--format", "json"], None);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 3, "{report:#}");
    assert!(
        skipped.iter().any(|s| s["reason"] == CSV_EXPORT && s["path"] == at("ctg-studies.csv")),
        "{report:#}"
    );
    // Beside studies, skipped files are no failure.
    std::fs::copy(fixtures().join("NCT09990010.json"), dir.path().join("NCT09990010.json")).unwrap();
    let output = nct(&["check", dir.path().to_str().unwrap()], None);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stdout));
}

/// Every subcommand a user can complete or read about.
const SUBCOMMANDS: [&str; 8] = ["show", "search", "facets", "check", "config", "cache", "completions", "man"];

#[test]
fn completions_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let output = nct(&["completions", shell], None);
        assert!(output.status.success(), "{shell}: {}", String::from_utf8_lossy(&output.stderr));
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.lines().count() > 20, "{shell}: {script}");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        assert!(script.contains("format"), "{shell} completion lacks options");
    }
    let output = nct(&["completions", "tcsh"], None);
    assert_eq!(output.status.code(), Some(2), "an unknown shell is a usage error");
}

#[test]
fn the_manual_has_a_page_per_subcommand() {
    let output = nct(&["man"], None);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH nct 1"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(page.contains(&format!(".TH nct-{sub} 1")), "no page for {sub}");
    }
    assert!(page.contains("nct show"), "{page}");
}
