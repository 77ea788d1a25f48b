//! A study with an 8 MB summary and description, shown whole by the real `nct show`: text layout
//! is linear in its input (the figure is in the README; this checks that every word comes out).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

const ID: &str = "NCT09990999";
const EIGHT_MB: usize = 8 * 1024 * 1024;

/// Paragraphs of numbered words, with emphasis that pairs and asterisk runs that never do (the
/// shape that once made layout quadratic), ending in `last`.
fn huge_text(last: &str) -> (String, usize) {
    let mut text = String::with_capacity(EIGHT_MB + 1024);
    let mut words = 0;
    while text.len() < EIGHT_MB {
        for _ in 0..60 {
            text.push_str(&format!("w{words} "));
            words += 1;
        }
        text.push_str("*stress* *a *b *c d** e** f** **strong**\n\n");
    }
    text.push_str(last);
    (text, words)
}

#[test]
fn show_lays_out_eight_megabyte_fields_completely() {
    let (summary, summary_words) = huge_text("END-OF-SUMMARY");
    // A paragraph of 100,000 asterisk runs that never pair: searching the open ones for each
    // closer made this alone take minutes.
    let unpaired = format!("{}{}\n\n", "*a ".repeat(100_000), "b** ".repeat(100_000));
    let (description, _) = huge_text(&format!("{unpaired}END-OF-DESCRIPTION"));
    let record = serde_json::json!({"protocolSection": {
        "identificationModule": {"nctId": ID, "briefTitle": "Huge"},
        "descriptionModule": {"briefSummary": summary, "detailedDescription": description}
    }});
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.json");
    std::fs::write(&file, record.to_string()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["show", ID])
        .arg(&file)
        .env("NCT_CACHE", "off")
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("END-OF-SUMMARY") && text.trim_end().ends_with("END-OF-DESCRIPTION"));
    // Every word of the summary, once, in order.
    let last = format!("w{} ", summary_words - 1);
    let summary_part = &text[..text.find("END-OF-SUMMARY").unwrap()];
    assert!(summary_part.contains(&last.trim_end().to_string()), "the summary's last word is missing");
    let numbered = summary_part.split_whitespace().filter(|w| w.starts_with('w')).count();
    assert_eq!(numbered, summary_words);
    assert!(text.lines().all(|line| unicode_width::UnicodeWidthStr::width(line) <= 100));
    // Paired emphasis loses its asterisks; runs that never pair keep theirs.
    assert!(!text.contains("*stress*") && text.contains("*a *b *c d** e** f** strong"));
    assert_eq!(text.matches("b**").count(), 100_000, "every unpaired run is kept");
}
