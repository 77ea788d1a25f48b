//! Scores the screening roll-up (`screening::checklist::rollup`) against the hand-written key
//! (tests/keys/rollup.tsv): for each keyed parent criterion, the study's criteria are split, the
//! parent found by its reference, and the rule's any / all / none compared with the key's.
//! Prints each miss and the score.
//!
//!   cargo run --example score-rollup -- [SAMPLES_DIR] [--key FILE]

use std::path::PathBuf;
use std::process::ExitCode;

use nct::screening::checklist::{Side, rollup, side};
use nct::study::eligibility::{Criterion, split_criteria};

fn main() -> ExitCode {
    let mut samples = ["../shared/samples", "../../shared/samples"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("../shared/samples"));
    let mut key = PathBuf::from("tests/keys/rollup.tsv");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--key" => match args.next() {
                Some(k) => key = PathBuf::from(k),
                None => return fail("--key needs a file"),
            },
            _ => samples = PathBuf::from(arg),
        }
    }
    let text = match std::fs::read_to_string(&key) {
        Ok(text) => text,
        Err(e) => return fail(&format!("{}: {e}", key.display())),
    };
    let (mut right, mut total) = (0, 0);
    let mut confusion = std::collections::BTreeMap::<(String, String), usize>::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [id, reference, expected, ..] = fields.as_slice() else {
            return fail(&format!("{}:{}: want study, ref, any/all/none", key.display(), n + 1));
        };
        let file = samples.join("studies").join(format!("{id}.json"));
        let json: serde_json::Value = match std::fs::read(&file).map(|b| serde_json::from_slice(&b)) {
            Ok(Ok(json)) => json,
            _ => return fail(&format!("{}: cannot read it (SAMPLES_DIR?)", file.display())),
        };
        let raw = json
            .pointer("/protocolSection/eligibilityModule/eligibilityCriteria")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let criteria = split_criteria(raw);
        let found = criteria
            .sections
            .iter()
            .flat_map(|s| s.items.iter())
            .flat_map(Criterion::walk)
            .map(|(_, c)| c)
            .find(|c| c.reference == *reference);
        let Some(parent) = found else {
            println!("{id} {reference}: not found in the split criteria");
            total += 1;
            continue;
        };
        let children: Vec<&str> = parent.children.iter().map(|c| c.text.as_str()).collect();
        let got = rollup(&parent.text, &children, side(reference) == Side::Exclusion).name();
        total += 1;
        *confusion.entry((expected.to_string(), got.to_string())).or_default() += 1;
        if got == *expected {
            right += 1;
        } else {
            let shown: String = parent.text.chars().take(90).collect();
            println!("{id} {reference}: key {expected}, rule {got}: {shown}");
        }
    }
    println!("key → rule counts:");
    for ((key, rule), n) in &confusion {
        println!("  {key:>4} → {rule:<4} {n}");
    }
    #[allow(clippy::cast_precision_loss)]
    let share = if total == 0 { 0.0 } else { 100.0 * right as f64 / total as f64 };
    println!("roll-up: {right}/{total} parents agree with the key ({share:.0}%)");
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("score-rollup: {message}");
    ExitCode::from(2)
}
