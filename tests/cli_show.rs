//! `nct show` end to end: the real binary on the hand-written studies in `tests/fixtures/show/`
//! (fictional records in the v2 schema), checked by what a reader of its output looks for.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// A full interventional study: arms, nested criteria, outcomes, 3 sites in 2 countries.
const FULL: &str = "NCT09990001";
/// Only an identification and a status module.
const BARE: &str = "NCT09990002";
/// Observational, status unknown, results posted, a `|` in a facility name.
const OBSERVATIONAL: &str = "NCT09990003";

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/show")
}

fn nct(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1")
        .output()
        .expect("the nct binary runs")
}

/// Runs `nct show ID fixtures --format FORMAT`, expecting success, and returns stdout.
fn show(id: &str, format: &str) -> String {
    let output = nct(&["show", id, fixtures().to_str().unwrap(), "--format", format]);
    assert!(output.status.success(), "nct show {id} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// The index of the first line equal to `wanted`, so tests can check what follows it.
fn line_index(text: &str, wanted: &str) -> usize {
    lines(text).iter().position(|l| *l == wanted).unwrap_or_else(|| panic!("no line {wanted:?} in:\n{text}"))
}

#[test]
fn text_shows_the_key_fields() {
    let out = show(FULL, "text");
    assert!(out.starts_with("NCT09990001 Lumiracet for Mild Persistent Asthma\n"), "{out}");
    for wanted in [
        "Acronym:        LUMEN-2",
        "Org study ID:   LMR-204",
        "2024-000123-45 (EudraCT Number)",
        "LF-GRANT-7 (Other Grant/Funding Number, Lumen Foundation)",
        "Status:         Recruiting · Phase 2 · Interventional",
        "first posted 2024-01-18 · last update 2025-02-05 · verified 2025-02",
        "Masking:            Double (Participant, Investigator)",
        "Enrollment:         1,200 participants (estimated)",
        "Start:              2024-03-15 (actual)",
        "Primary completion: 2026-06 (estimated)",
        "Sponsor:           Northwind University Hospital",
        "Collaborators:     Lumen Foundation",
        "MeSH terms:     Asthma",
        "MeSH ancestors: Bronchial Diseases",
        "Lumiracet (Experimental)",
        "  Interventions: Drug: Lumiracet",
        "  Other names: LMR-01 · Lumirex",
        "Sex: all · Ages: 18 to 65 years · Healthy volunteers: no",
        "   Time frame: Baseline and week 12",
        "No results posted",
        "Central contacts: Study Desk · +1 555 0100 ext. 12 · lumen2@example.org",
        "   PMID: 31234567",
    ] {
        assert!(out.contains(wanted), "missing {wanted:?} in:\n{out}");
    }
    // The registry's escapes are gone in text; the raw text keeps them (see the json test).
    assert!(out.contains("adults aged >= 18 years"), "{out}");
    assert!(!out.contains("\\>="), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour in show output");
}

#[test]
fn text_sections_come_in_reading_order() {
    let out = show(FULL, "text");
    let order = [
        "Design",
        "Dates",
        "Sponsor",
        "Conditions",
        "Arms and interventions",
        "Description",
        "Eligibility",
        "Outcomes",
        "Sites",
        "References",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|heading| {
            let rule = format!("── {heading} ");
            out.find(&rule).unwrap_or_else(|| panic!("no {rule:?} heading in:\n{out}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "sections out of order:\n{out}");
}

#[test]
fn criteria_keep_their_labels_with_references_under_inclusion_and_exclusion() {
    let out = show(FULL, "text");
    let inclusion = line_index(&out, "Inclusion criteria");
    let exclusion = line_index(&out, "Exclusion criteria");
    let all = lines(&out);
    assert_eq!(
        all[inclusion + 1..inclusion + 6],
        [
            "I1   • Age >= 18 years",
            "I2   • Diagnosis of asthma for at least 6 months",
            "I3   • One of the following:",
            "I3.a   ◦ FEV1 between 60% and 85% of predicted",
            "I3.b   ◦ Positive methacholine challenge",
        ]
    );
    assert_eq!(
        all[exclusion + 1..exclusion + 3],
        ["E1   • Current smoker", "E2   • Pregnancy or breastfeeding"]
    );
}

#[test]
fn sites_have_a_count_line_and_aligned_columns() {
    let out = show(FULL, "text");
    let count = line_index(&out, "3 sites in 2 countries, 1 recruiting");
    let all = lines(&out);
    let table = &all[count + 2..count + 6];
    assert!(table[0].starts_with("Facility"), "{out}");
    assert!(table[1].starts_with("Northwind University Hospital") && table[1].ends_with("Recruiting"));
    assert!(table[2].ends_with("Not yet recruiting"));
    assert!(table[3].starts_with("東京呼吸器センター") && table[3].ends_with("Completed"));
    // The country column starts at the same display column on every row, CJK counting two.
    let country_column = |line: &str| {
        let at = line.find(if line.starts_with("Facility") { "Country" } else { "United States" });
        let at = at.or_else(|| line.find("Japan")).unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let columns: Vec<usize> = table.iter().map(|l| country_column(l)).collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{table:#?}");
}

#[test]
fn text_fits_the_width_from_columns() {
    for width in [50, 72] {
        let output = Command::new(env!("CARGO_BIN_EXE_nct"))
            .args(["show", FULL, fixtures().to_str().unwrap()])
            .env("COLUMNS", width.to_string())
            .output()
            .unwrap();
        let out = String::from_utf8(output.stdout).unwrap();
        for line in out.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= width, "{line:?} wider than {width}");
        }
        assert!(out.contains(&"─".repeat(10)), "{out}");
    }
    // An absurd COLUMNS is ignored: lines are up to 100 wide.
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["show", FULL, fixtures().to_str().unwrap()])
        .env("COLUMNS", "3")
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.lines().any(|l| unicode_width::UnicodeWidthStr::width(l) == 100), "{out}");
}

#[test]
fn markdown_has_headings_lists_and_a_sites_table() {
    let out = show(FULL, "markdown");
    assert!(out.starts_with("# NCT09990001 — Lumiracet for Mild Persistent Asthma\n"), "{out}");
    for wanted in [
        "\n## Design\n",
        "\n## Eligibility\n",
        "\n## Sites\n",
        "- **Acronym:** LUMEN-2",
        "- **Enrollment:** 1,200 participants (estimated)",
        "### Inclusion criteria\n\n- **I1** Age \\>= 18 years\n- **I2** Diagnosis of asthma for at least 6 months\n- **I3** One of the following:\n  - **I3.a** FEV1",
        "### Exclusion criteria\n\n- **E1** Current smoker\n- **E2** Pregnancy or breastfeeding",
        "3 sites in 2 countries, 1 recruiting",
        "| Facility | City | State | Country | Status |\n| --- | --- | --- | --- | --- |\n",
        "| Northwind University Hospital | Boston | Massachusetts | United States | Recruiting |",
        "| 東京呼吸器センター | Tokyo |  | Japan | Completed |",
        // The registry's text is markdown already: kept as written, escapes and lists included.
        "adults aged \\>= 18 years",
        "Visits:\n\n* Screening\n* Week 4\n* Week 12",
    ] {
        assert!(out.contains(wanted), "missing {wanted:?} in:\n{out}");
    }
}

#[test]
fn markdown_escapes_pipes_in_table_cells() {
    let out = show(OBSERVATIONAL, "markdown");
    assert!(out.contains("| St. Brigid \\| North Campus | Cork | Ireland |"), "{out}");
    assert!(out.contains("- **Status:** Unknown status (was recruiting) · Observational"), "{out}");
    assert!(out.contains("Results posted (first posted 2023-09-14)"), "{out}");
}

#[test]
fn json_is_the_record_as_written() {
    let out = show(FULL, "json");
    let printed: serde_json::Value = serde_json::from_str(&out).unwrap();
    let file = std::fs::read_to_string(fixtures().join("NCT09990001.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&file).unwrap();
    assert_eq!(printed, expected);
}

#[test]
fn an_unknown_id_fails_saying_how_many_studies_were_searched() {
    let output = nct(&["show", "NCT00000000", fixtures().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("NCT00000000"), "{stderr}");
    assert!(stderr.contains("3 studies"), "{stderr}");
}

#[test]
fn the_id_may_be_lower_case() {
    let out = show("nct09990001", "text");
    assert!(out.starts_with("NCT09990001 "), "{out}");
    let out = show(" nct09990003", "markdown");
    assert!(out.starts_with("# NCT09990003 "), "{out}");
}

#[test]
fn a_bare_study_prints_without_empty_parts() {
    let text = show(BARE, "text");
    assert_eq!(
        text,
        "NCT09990002 A Registry Entry With Almost Nothing In It\n\n\
         Status:      Withdrawn\n\
         Why stopped: Funding was not obtained (sponsor decision).\n"
    );
    let markdown = show(BARE, "markdown");
    assert_eq!(
        markdown,
        "# NCT09990002 — A Registry Entry With Almost Nothing In It\n\n\
         - **Status:** Withdrawn\n\
         - **Why stopped:** Funding was not obtained \\(sponsor decision\\).\n"
    );
    for out in [&text, &markdown] {
        assert!(!out.contains("None") && !out.contains("──") && !out.contains("##"), "{out}");
    }
}

#[test]
fn an_observational_study_shows_its_design_and_population() {
    let out = show(OBSERVATIONAL, "text");
    for wanted in [
        "Status: Unknown status (was recruiting) · Observational",
        "Observational model: Cohort",
        "Time perspective:    Prospective",
        "Enrollment:          1 participant (actual)",
        "Sex: female · Ages: 21 years and over",
        "Study population",
        "Sampling method: Non-Probability Sample",
        "1 site in 1 country\n",
    ] {
        assert!(out.contains(wanted), "missing {wanted:?} in:\n{out}");
    }
    assert!(!out.contains("── Arms"), "{out}");
    assert!(!out.contains("State"), "no site gives a state, so no State column:\n{out}");
    // No blank line right under a heading, and never two blank lines in a row.
    let all = lines(&out);
    for pair in all.windows(2) {
        assert!(!(pair[0].starts_with("──") && pair[1].is_empty()), "{out}");
        assert!(!(pair[0].is_empty() && pair[1].is_empty()), "{out}");
    }
}
