//! Turning the user's PATHs into the list of files to read: folders are walked recursively in a
//! stable (sorted) order, symlink loops are cut, each real folder and file is listed once however
//! many symlinks lead to it, and what cannot be listed is reported.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{FileStamp, InputFile, LoadError, Origin, Skipped, io_reason};

/// Why a folder's CSV file is not read: the website's CSV export holds a few columns per study,
/// never the record.
pub const CSV_EXPORT: &str = "a CSV export holds no full study records: download JSON from the same search";

/// Every file under the inputs, numbered in the order given (folders sorted by name), with
/// what the folders hold that is passed over in `skipped`.
pub(super) fn expand(
    inputs: &[PathBuf],
    failures: &mut Vec<LoadError>,
    skipped: &mut Vec<Skipped>,
) -> Vec<InputFile> {
    let mut files = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            push(&mut files, input, None);
            continue;
        }
        match fs::metadata(input) {
            Ok(m) if m.is_dir() => {
                let first = files.len();
                // Within one input: a folder given twice is read twice, as asked.
                let mut found = Found { files: &mut files, failures, skipped };
                walk(input, &m, &mut Vec::new(), &mut Seen::default(), &mut found);
                stamp(files.get_mut(first..).unwrap_or_default());
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

/// Reads the size and modification time of the files not stamped yet, in parallel: on a folder
/// of 100,000 studies this is most of the listing's time. A file that cannot be read is left
/// unstamped (its reading will report why).
fn stamp(files: &mut [InputFile]) {
    use rayon::prelude::*;
    files.par_iter_mut().filter(|f| f.stamp.is_none()).for_each(|file| {
        file.stamp = fs::metadata(&file.path).ok().map(|m| FileStamp::of(&m));
    });
}

/// What tells two folders apart however they were reached: device and inode where the system
/// has them (no path resolution per folder), the canonical path elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FolderKey {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

fn folder_key(dir: &Path, metadata: &fs::Metadata) -> std::io::Result<FolderKey> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = dir;
        Ok(FolderKey::Inode(metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        fs::canonicalize(dir).map(FolderKey::Path)
    }
}

/// What has been listed, so that each real folder is walked and each real file listed once
/// however many symlinks lead to it: folders linking twice to the next, level after level, would
/// otherwise be walked 2^levels times.
#[derive(Default)]
struct Seen {
    folders: HashSet<FolderKey>,
    /// Device and inode of the files (where the system has them: elsewhere, each folder walked
    /// once leaves only symlinks to files to list a file twice).
    files: HashSet<(u64, u64)>,
}

impl Seen {
    /// Whether a file (of metadata `file`) is met for the first time.
    fn first_file(&mut self, file: &fs::Metadata) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            self.files.insert((file.dev(), file.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = file;
            true
        }
    }

    /// Whether a file listed in a folder (on the device of `folder`) is met for the first time,
    /// told from the listing alone.
    fn first_listed(&mut self, folder: &fs::Metadata, entry: &fs::DirEntry) -> bool {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{DirEntryExt, MetadataExt};
            self.files.insert((folder.dev(), entry.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = (folder, entry);
            true
        }
    }
}

/// What a walk finds: the files to read, what cannot be listed, what is passed over.
struct Found<'a> {
    files: &'a mut Vec<InputFile>,
    failures: &'a mut Vec<LoadError>,
    skipped: &'a mut Vec<Skipped>,
}

impl Found<'_> {
    fn skip(&mut self, path: &Path, reason: String) {
        self.skipped.push(Skipped { path: Arc::from(path), reason });
    }
}

/// Lists `dir` (whose metadata is `metadata`) and the folders below it, files sorted by name.
/// `ancestors` are the folders on the way down: meeting one again is a symlink loop. A folder
/// met again otherwise (two links to it) was listed already, and is passed over quietly.
fn walk(
    dir: &Path,
    metadata: &fs::Metadata,
    ancestors: &mut Vec<FolderKey>,
    seen: &mut Seen,
    found: &mut Found,
) {
    let failures = &mut *found.failures;
    let key = match folder_key(dir, metadata) {
        Ok(key) => key,
        Err(e) => return fail(failures, dir, &io_reason("cannot open folder", &e)),
    };
    if ancestors.contains(&key) {
        return fail(failures, dir, "symlink loop: this folder was already read (skipped)");
    }
    if !seen.folders.insert(key.clone()) {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return fail(failures, dir, &io_reason("cannot list folder", &e)),
    };
    let mut listed: Vec<fs::DirEntry> = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => listed.push(e),
            Err(e) => fail(failures, dir, &io_reason("cannot list folder", &e)),
        }
    }
    // All share this folder, so the names alone order them (and cheaply: no path components).
    listed.sort_by_key(fs::DirEntry::file_name);
    ancestors.push(key);
    for entry in listed {
        let path = entry.path();
        if is_hidden(&path) {
            found.skip(&path, "hidden (its name starts with a dot)".to_owned());
            continue;
        }
        // The listing tells plain files and folders apart without a `stat`; files are stamped
        // afterwards, all at once on every core (see `stamp`). A symlink is followed.
        let kind = entry.file_type();
        if kind.as_ref().is_ok_and(fs::FileType::is_file) {
            match passed_over(&path) {
                Some(reason) => found.skip(&path, reason),
                None if seen.first_listed(metadata, &entry) => push(found.files, &path, None),
                None => {}
            }
            continue;
        }
        let is_symlink = kind.is_ok_and(|t| t.is_symlink());
        let metadata = if is_symlink { fs::metadata(&path) } else { entry.metadata() };
        match metadata {
            Ok(m) if m.is_dir() => walk(&path, &m, ancestors, seen, found),
            Ok(m) if m.is_file() => match passed_over(&path) {
                Some(reason) => found.skip(&path, reason),
                None if seen.first_file(&m) => push(found.files, &path, Some(FileStamp::of(&m))),
                None => {}
            },
            Ok(_) => found.skip(&path, "not a regular file or folder".to_owned()),
            Err(e) => {
                let what = if is_symlink { "broken symlink" } else { "cannot open" };
                fail(found.failures, &path, &io_reason(what, &e));
            }
        }
    }
    ancestors.pop();
}

/// Dot files (`.DS_Store`, `.git`) are never studies.
fn is_hidden(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'))
}

/// Whether loading a folder reads this file of it (not hidden, not of a kind passed over), so
/// that an export never writes over what a loaded folder holds.
pub fn reads(file: &Path) -> bool {
    !is_hidden(file) && passed_over(file).is_none()
}

/// Why a folder's file is not read, when its extension says it is not a study: a CSV export
/// gets the way to the records, anything else its kind.
fn passed_over(path: &Path) -> Option<String> {
    if is_study_candidate(path) {
        return None;
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    Some(match ext.as_str() {
        "csv" | "tsv" => CSV_EXPORT.to_owned(),
        _ => format!("a .{ext} file is not a study record (name it after the command to read it anyway)"),
    })
}

/// Inside folders, files whose extension says they are something else (a CSV export, a README,
/// a PDF) are passed over (`nct check` lists them, with why); everything else is sniffed by
/// content. A file named on the
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
