//! Turning the user's PATHs into the list of files to read: folders are walked recursively in a
//! stable (sorted) order, symlink loops are cut, and what cannot be listed is reported.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{FileStamp, InputFile, LoadError, Origin, io_reason};

/// Every file under the inputs, numbered in the order given (folders sorted by name).
pub(super) fn expand(inputs: &[PathBuf], failures: &mut Vec<LoadError>) -> Vec<InputFile> {
    let mut files = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            push(&mut files, input, None);
            continue;
        }
        match fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                let mut visited = HashSet::new();
                walk(input, &mut visited, &mut files, failures);
            }
            Ok(m) if m.is_file() => push(&mut files, input, Some(FileStamp::of(&m))),
            Ok(_) => fail(failures, input, "not a regular file or folder"),
            Err(e) => fail(failures, input, &io_reason("cannot open", &e)),
        }
    }
    files
}

fn push(files: &mut Vec<InputFile>, path: &Path, stamp: Option<FileStamp>) {
    let number = u32::try_from(files.len()).unwrap_or(u32::MAX);
    files.push(InputFile { path: Arc::from(path), number, stamp });
}

fn fail(failures: &mut Vec<LoadError>, path: &Path, reason: &str) {
    failures.push(LoadError { origin: Origin::file(Arc::from(path)), reason: reason.to_string() });
}

fn walk(
    dir: &Path,
    visited: &mut HashSet<PathBuf>,
    files: &mut Vec<InputFile>,
    failures: &mut Vec<LoadError>,
) {
    // Symlinked folders are followed, so the real path is what marks a folder as seen.
    match fs::canonicalize(dir) {
        Ok(real) => {
            if !visited.insert(real) {
                return fail(failures, dir, "symlink loop: this folder was already read (skipped)");
            }
        }
        Err(e) => return fail(failures, dir, &io_reason("cannot open folder", &e)),
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return fail(failures, dir, &io_reason("cannot list folder", &e)),
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => fail(failures, dir, &io_reason("cannot list folder", &e)),
        }
    }
    paths.sort();
    for path in paths {
        if is_hidden(&path) {
            continue;
        }
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => walk(&path, visited, files, failures),
            Ok(m) if m.is_file() => {
                if is_study_candidate(&path) {
                    push(files, &path, Some(FileStamp::of(&m)));
                }
            }
            Ok(_) => {}
            Err(e) => {
                let what = if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                    "broken symlink"
                } else {
                    "cannot open"
                };
                fail(failures, &path, &io_reason(what, &e));
            }
        }
    }
}

/// Dot files (`.DS_Store`, `.git`) are never studies.
fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// Inside folders, files whose extension says they are something else (a CSV export, a README,
/// a PDF) are passed over quietly; everything else is sniffed by content. A file named on the
/// command line is always read.
fn is_study_candidate(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    !matches!(
        ext.as_deref(),
        Some(
            "csv"
                | "tsv"
                | "md"
                | "pdf"
                | "xml"
                | "html"
                | "htm"
                | "xlsx"
                | "xls"
                | "docx"
                | "png"
                | "jpg"
                | "py"
                | "r"
                | "yaml"
                | "yml"
                | "toml"
                | "lock"
                | "rs"
        )
    )
}
