//! `nct check`: load the inputs and say what was read (documents by format, studies, duplicates
//! resolved), every failure with its origin and reason, and every field left out of a study
//! that loaded (a warning: it does not change the exit status).

use std::path::PathBuf;
use std::time::Instant;

use serde_json::json;

use super::output::{self, plural, size, thousands};
use super::{CheckFormat, exit};
use crate::catalog::Catalog;
use crate::catalog::cache::{self, Cache, Standing};
use crate::present::safe_text::{SafeText, visible_line};
use crate::study::enums::phases_label;

pub fn run(paths: &[PathBuf], format: CheckFormat) -> u8 {
    let started = Instant::now();
    let listing = crate::source::list_inputs(paths);
    let catalog = Catalog::load_listed(&listing);
    let elapsed = started.elapsed();
    let standing = cache::standing(paths, &listing, Cache::from_env().as_ref());
    match format {
        CheckFormat::Text => {
            let mut report = report_text(paths, &catalog, elapsed.as_secs_f64());
            report.push_str(&skipped_text(&listing.skipped));
            report.push_str(&cache_line(&standing));
            output::print(report);
            output::eprint_lines(catalog.errors.iter().map(ToString::to_string));
            output::eprint_lines(catalog.warnings.iter().map(ToString::to_string));
        }
        CheckFormat::Json => {
            let mut report = report_json(paths, &catalog);
            if let Some(fields) = report.as_object_mut() {
                let skipped = listing.skipped.iter().map(|s| json!({"path": s.path, "reason": s.reason}));
                fields.insert("skipped".into(), skipped.collect());
                fields.insert("cache".into(), cache_json(&standing));
            }
            output::print(SafeText::json(&format!("{report:#}\n")));
        }
    }
    if catalog.errors.is_empty() && !catalog.is_empty() { exit::OK } else { exit::PROBLEM }
}

/// "cache: 96.4 MB, up to date (FOLDER)": what the catalog cache holds for these inputs, every
/// byte of it verified.
fn cache_line(standing: &Standing) -> String {
    match standing {
        Standing::Off => "cache: off\n".into(),
        Standing::Missing => {
            format!(
                "cache: none for these inputs (kept for {} or more)\n",
                plural(cache::MIN_STUDIES, "study", "studies")
            )
        }
        Standing::Fresh { folder, bytes } => {
            format!("cache: {}, up to date ({})\n", size(*bytes), folder.display())
        }
        Standing::Stale { folder, bytes } => format!(
            "cache: {}, out of date: the next `nct search` or app rebuilds it ({})\n",
            size(*bytes),
            folder.display()
        ),
        Standing::Damaged { folder, bytes, damage } => format!(
            "cache: {}, damaged ({damage}): removed; the next `nct search` or app rebuilds it ({})\n",
            size(*bytes),
            folder.display()
        ),
    }
}

fn cache_json(standing: &Standing) -> serde_json::Value {
    match standing {
        Standing::Off => json!({ "standing": "off" }),
        Standing::Missing => json!({ "standing": "missing" }),
        Standing::Fresh { folder, bytes } => json!({ "standing": "fresh", "folder": folder, "bytes": bytes }),
        Standing::Stale { folder, bytes } => json!({ "standing": "stale", "folder": folder, "bytes": bytes }),
        Standing::Damaged { folder, bytes, damage } => {
            json!({ "standing": "damaged", "folder": folder, "bytes": bytes, "damage": damage, "removed": true })
        }
    }
}

/// "skipped: 2 files in the folders, not read:" and one line each with why, so that a folder
/// holding only a CSV export says what to do rather than that nothing was recognised.
fn skipped_text(skipped: &[crate::source::Skipped]) -> String {
    if skipped.is_empty() {
        return String::new();
    }
    let mut out = format!("skipped: {} in the folders, not read:\n", plural(skipped.len(), "file", "files"));
    for skip in skipped {
        out.push_str(&format!("  {}: {}\n", visible_line(&skip.path.display().to_string()), skip.reason));
    }
    out
}

/// Duplicates are expected when downloads overlap; a few examples say enough in text form.
const DUPLICATES_SHOWN: usize = 10;

fn report_text(paths: &[PathBuf], catalog: &Catalog, seconds: f64) -> String {
    let mut out = String::new();
    let inputs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    out.push_str(&format!("{}: {}\n", plural(paths.len(), "input", "inputs"), inputs.join(", ")));
    let documents: Vec<String> = catalog
        .formats
        .iter()
        .map(|(format, &n)| format!("{} {}", thousands(n), format.describe()))
        .collect();
    if documents.is_empty() {
        out.push_str("documents: none read\n");
    } else {
        out.push_str(&format!("documents: {}\n", documents.join(", ")));
    }
    out.push_str(&format!("studies: {} loaded in {seconds:.2} s", thousands(catalog.len())));
    if !catalog.duplicates.is_empty() {
        out.push_str(&format!(
            ", {} resolved (the newest last update kept)",
            plural(catalog.duplicates.len(), "duplicate", "duplicates")
        ));
    }
    out.push('\n');
    for dup in catalog.duplicates.iter().take(DUPLICATES_SHOWN) {
        out.push_str(&format!("  duplicate {}: kept {}, dropped {}\n", dup.id, dup.kept, dup.dropped));
    }
    if catalog.duplicates.len() > DUPLICATES_SHOWN {
        out.push_str(&format!(
            "  … and {} more duplicates (`--format json` lists them all)\n",
            thousands(catalog.duplicates.len() - DUPLICATES_SHOWN)
        ));
    }
    if catalog.errors.is_empty() {
        if catalog.is_empty() {
            out.push_str("no studies found: are these the right paths?\n");
        } else {
            out.push_str("failures: none\n");
        }
    } else {
        out.push_str(&format!(
            "failures: {} (listed on stderr as origin: reason)\n",
            thousands(catalog.errors.len())
        ));
    }
    if !catalog.warnings.is_empty() {
        out.push_str(&format!(
            "warnings: {} left out of studies that loaded (listed on stderr after the failures)\n",
            plural(catalog.warnings.len(), "field", "fields")
        ));
    }
    out
}

fn report_json(paths: &[PathBuf], catalog: &Catalog) -> serde_json::Value {
    let documents: serde_json::Map<String, serde_json::Value> =
        catalog.formats.iter().map(|(format, &n)| (format.key().to_string(), json!(n))).collect();
    json!({
        "inputs": paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "documents": documents,
        "studies": catalog.len(),
        "duplicates": catalog.duplicates.iter().map(|d| json!({
            "id": d.id,
            "kept": d.kept.to_string(),
            "dropped": d.dropped.to_string(),
        })).collect::<Vec<_>>(),
        "failures": catalog.errors.iter().map(|e| json!({
            "origin": e.origin.to_string(),
            "reason": e.reason,
        })).collect::<Vec<_>>(),
        "warnings": catalog.warnings.iter().map(|w| json!({
            "origin": w.origin.to_string(),
            "study": w.study,
            "field": w.field,
            "problem": w.problem,
        })).collect::<Vec<_>>(),
    })
}

/// `nct PATH...` before the app exists: one line per loaded study.
pub fn list(paths: &[PathBuf]) -> u8 {
    let catalog = Catalog::load(paths);
    let mut out = String::new();
    for s in &catalog.studies {
        let status = s.status.as_ref().map(|st| st.label().to_string()).unwrap_or_default();
        // One line per study, whatever a record's id or title holds.
        out.push_str(&format!(
            "{}  {:<24}  {:<10}  {}\n",
            visible_line(&s.id),
            visible_line(&status),
            visible_line(&phases_label(&s.phases)),
            visible_line(&s.brief_title)
        ));
    }
    out.push_str(&format!("{} loaded\n", plural(catalog.len(), "study", "studies")));
    output::print(&out);
    output::eprint_lines(catalog.errors.iter().map(ToString::to_string));
    output::eprint_lines(catalog.warnings.iter().map(ToString::to_string));
    if catalog.errors.is_empty() { exit::OK } else { exit::PROBLEM }
}
