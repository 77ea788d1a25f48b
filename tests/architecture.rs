//! The layers point one way, and this test holds them there: it reads every path into the crate
//! that `src/` names (`use crate::…`, a fully qualified `crate::…` in code or in a string such as
//! `#[serde(with = "crate::…")]`, grouped `crate::{a, b}`, and `super::…` chains that climb out
//! of a layer) and fails on each one a layer must not take, naming the file, the line and the
//! edge.
//!
//! The rules ([`RULES`]), bottom up:
//! - `study`, `source`: the bottom; they import no other layer.
//! - `query`: the bottom too, but it reads the record's own vocabulary (statuses, phases, ages,
//!   dates) from `study`, so it may import `study`; and `fits:NAME` carries the patient profile
//!   it names, so it may import `screening` (which imports only `study`).
//! - `screening`: the bottom too (a patient against criteria: profiles, judgements, the
//!   checklist); it reads the record's criteria and thresholds, so it may import `study`.
//! - `user`: beside the bottom (the user's files and settings); it may import the bottom layers,
//!   and the app's own settings reach it as plain values, never as the app's types.
//! - `catalog`: above the bottom, and it keeps its cache and exports through `user`'s folders and
//!   atomic writes, so it may import the bottom layers and `user`.
//! - `present`: beside `catalog`, above the bottom; never `catalog` (sideways), `user`, or the top.
//! - `tui`, `cli`: the top; anything below, never each other.
//!
//! Nothing imports `tui` or `cli`. `main.rs` (which launches the app or runs a command) and
//! `lib.rs` are exempt. A folder or file new under `src/` must be given a row before it passes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

const BOTTOM: &[&str] = &["study", "source", "query", "screening"];
const BELOW_TOP: &[&str] = &["study", "source", "query", "screening", "catalog", "present", "user"];

/// Each layer and the layers it may import (besides itself).
const RULES: &[(&str, &[&str])] = &[
    ("study", &[]),
    ("source", &[]),
    ("query", &["study", "screening"]),
    ("screening", &["study"]),
    ("user", BOTTOM),
    ("catalog", &["study", "source", "query", "screening", "user"]),
    ("present", BOTTOM),
    ("tui", BELOW_TOP),
    ("cli", BELOW_TOP),
];

/// Files above every layer.
const EXEMPT: &[&str] = &["main.rs", "lib.rs"];

/// Edges that break the rules for a while, being removed elsewhere: (file, the path it names).
/// Each must still occur (so the list cannot outlive the edge); delete the line when it fails.
/// Empty: the panes' borrowing of `cli::show` went when the present layer landed.
const PENDING: &[(&str, &str)] = &[];

/// One path into the crate: where it is written, and the layer it reaches.
#[derive(Debug, PartialEq)]
struct Reference {
    line: usize,
    /// The layer named (`catalog` in `crate::catalog::Summary`).
    layer: String,
    /// The path as written, up to the item after the layer, for messages.
    path: String,
}

/// The layer a file belongs to: its first folder under `src/`, or its name without `.rs`;
/// `None` for the exempt files.
fn layer_of(file: &str) -> Option<&str> {
    if EXEMPT.contains(&file) {
        return None;
    }
    let first = file.split('/').next()?;
    Some(first.strip_suffix(".rs").unwrap_or(first))
}

/// How many modules deep a file's module is (`catalog/mod.rs` 1, `catalog/cache/file.rs` 3):
/// that many `super`s reach the crate root.
fn depth_of(file: &str) -> usize {
    let parts = file.split('/').count();
    if file.ends_with("/mod.rs") { parts - 1 } else { parts }
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count() + 1
}

/// The identifier at the start of `text`, if any.
fn leading_ident(text: &str) -> &str {
    let end = text.find(|c: char| !is_ident_char(c)).unwrap_or(text.len());
    &text[..end]
}

/// The layers named right after a crate-root prefix that ends at `at` (`crate::` or enough
/// `super::`s): one identifier, or each item of a `{…}` group.
fn named_after(text: &str, prefix: &str, at: usize, out: &mut Vec<Reference>) {
    let rest = &text[at..];
    if let Some(group) = rest.strip_prefix('{') {
        // The items at the group's own depth, each with its offset.
        let mut depth = 0usize;
        let mut item_start = at + 1;
        for (i, c) in group.char_indices() {
            let offset = at + 1 + i;
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    push_item(text, prefix, item_start, offset, out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    push_item(text, prefix, item_start, offset, out);
                    item_start = offset + 1;
                }
                _ => {}
            }
        }
        return;
    }
    push_item(text, prefix, at, at + leading_ident(rest).len(), out);
}

fn push_item(text: &str, prefix: &str, start: usize, end: usize, out: &mut Vec<Reference>) {
    let item = &text[start..end];
    let trimmed = item.trim_start();
    let layer = leading_ident(trimmed);
    if layer.is_empty() || layer == "self" {
        return;
    }
    let offset = start + (item.len() - trimmed.len());
    let after = &text[offset + layer.len()..];
    let next = after.strip_prefix("::").map(leading_ident).filter(|n| !n.is_empty());
    let path = match next {
        Some(next) => format!("{prefix}{layer}::{next}"),
        None => format!("{prefix}{layer}"),
    };
    out.push(Reference { line: line_at(text, offset), layer: layer.to_string(), path });
}

/// Every path into the crate that `text` (the file `file`, relative to `src/`) names.
fn references(file: &str, text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        // `$crate::` in a macro is the crate too; `mycrate::` is not.
        if before.is_some_and(is_ident_char) {
            continue;
        }
        named_after(text, "crate::", at + "crate::".len(), &mut out);
    }
    let depth = depth_of(file);
    for (at, _) in text.match_indices("super::") {
        let before = &text[..at];
        if before.ends_with("::") || before.chars().next_back().is_some_and(is_ident_char) {
            continue;
        }
        let mut end = at;
        let mut supers = 0;
        while text[end..].starts_with("super::") {
            end += "super::".len();
            supers += 1;
        }
        if supers >= depth {
            let prefix = "super::".repeat(supers);
            named_after(text, &prefix, end, &mut out);
        }
    }
    out.sort_by_key(|r| r.line);
    out
}

/// What is wrong with the crate's imports: one message per forbidden edge, and one per rule
/// missing or pending entry gone stale. `files` are (path under `src/`, text).
fn violations(files: &[(String, String)], pending: &[(&str, &str)]) -> Vec<String> {
    let layers: Vec<&str> = RULES.iter().map(|(layer, _)| *layer).collect();
    let mut problems = Vec::new();
    let mut pending_seen = vec![false; pending.len()];
    for (file, text) in files {
        let Some(from) = layer_of(file) else { continue };
        let Some((_, allowed)) = RULES.iter().find(|(layer, _)| *layer == from) else {
            problems.push(format!(
                "src/{file}: the layer {from} has no rule; add it to RULES in tests/architecture.rs"
            ));
            continue;
        };
        for reference in references(file, text) {
            let to = reference.layer.as_str();
            if to == from || !layers.contains(&to) || allowed.contains(&to) {
                continue;
            }
            let waived = pending
                .iter()
                .position(|(pending_file, path)| pending_file == file && reference.path.starts_with(path));
            if let Some(index) = waived {
                pending_seen[index] = true;
                continue;
            }
            let may = if allowed.is_empty() { "nothing".to_string() } else { allowed.join(", ") };
            problems.push(format!(
                "src/{file}:{}: {from} must not import {to} ({}); {from} may import {may}",
                reference.line, reference.path
            ));
        }
    }
    for ((file, path), seen) in pending.iter().zip(pending_seen) {
        if !seen {
            problems.push(format!(
                "src/{file} no longer names {path}: remove its line from PENDING in tests/architecture.rs"
            ));
        }
    }
    problems
}

fn rust_files(folder: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_layer_imports_only_what_it_may() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|path| {
            let name = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
            (name, std::fs::read_to_string(path).unwrap())
        })
        .collect();
    assert!(files.len() > 50, "the sources were not found under {}", src.display());
    let problems = violations(&files, PENDING);
    assert!(problems.is_empty(), "layers imported against the rules:\n{}", problems.join("\n"));
}

// The checker itself, on planted sources: each rule can fail.

fn check(file: &str, text: &str) -> Vec<String> {
    violations(&[(file.to_string(), text.to_string())], &[])
}

#[test]
fn a_use_of_a_higher_layer_is_named_with_its_file_line_and_edge() {
    let text = "//! A query.\n\nuse crate::study::enums::Status;\nuse crate::catalog::Summary;\n";
    assert_eq!(
        check("query/filter.rs", text),
        [
            "src/query/filter.rs:4: query must not import catalog (crate::catalog::Summary); query may import study, screening"
        ]
    );
}

#[test]
fn fully_qualified_paths_groups_and_serde_strings_count() {
    let text = "fn f() { crate::tui::run(); }\n#[serde(with = \"crate::catalog::interner::path\")]\n\
                use crate::{\n    study::Study,\n    user::config::{self, Loaded},\n};\n";
    assert_eq!(
        check("source/locator.rs", text),
        [
            "src/source/locator.rs:1: source must not import tui (crate::tui::run); source may import nothing",
            "src/source/locator.rs:2: source must not import catalog (crate::catalog::interner); source may import nothing",
            "src/source/locator.rs:4: source must not import study (crate::study::Study); source may import nothing",
            "src/source/locator.rs:5: source must not import user (crate::user::config); source may import nothing",
        ]
    );
}

#[test]
fn the_top_layers_never_import_each_other() {
    assert_eq!(
        check("cli/mod.rs", "use crate::catalog::Summary;\nlet code = crate::tui::run(paths, loaded);\n"),
        [
            "src/cli/mod.rs:2: cli must not import tui (crate::tui::run); cli may import study, source, query, \
             screening, catalog, present, user"
        ]
    );
    assert_eq!(check("tui/panes/sites.rs", "use crate::cli::show::text::cut_to_width;\n").len(), 1);
    assert!(check("tui/app.rs", "use crate::{catalog::Summary, present::words, user::today};").is_empty());
}

#[test]
fn supers_that_climb_out_of_the_layer_count_and_those_inside_do_not() {
    assert!(check("catalog/cache/file.rs", "use super::super::interner::Table;\nuse super::*;\n").is_empty());
    assert_eq!(
        check("study/export.rs", "use super::super::tui::panes::bundled_study;\n"),
        ["src/study/export.rs:1: study must not import tui (super::super::tui::panes); study may import \
             nothing"]
    );
}

#[test]
fn main_and_lib_are_exempt_and_a_new_layer_needs_a_rule() {
    assert!(check("main.rs", "use crate::tui::run;").is_empty());
    assert!(check("lib.rs", "pub mod tui;").is_empty());
    assert_eq!(
        check("reports/mod.rs", "use crate::study::Study;"),
        ["src/reports/mod.rs: the layer reports has no rule; add it to RULES in tests/architecture.rs"]
    );
}

#[test]
fn a_pending_edge_is_waived_only_while_it_exists() {
    let files =
        [("tui/panes/sites.rs".to_string(), "use crate::cli::show::text::cut_to_width;\n".to_string())];
    assert!(violations(&files, &[("tui/panes/sites.rs", "crate::cli::show")]).is_empty());
    assert_eq!(
        violations(
            &files,
            &[("tui/panes/sites.rs", "crate::cli::show"), ("tui/panes/overview.rs", "crate::cli::show")]
        ),
        ["src/tui/panes/overview.rs no longer names crate::cli::show: remove its line from PENDING in \
          tests/architecture.rs"]
    );
}
