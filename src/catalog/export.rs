//! Writing a list of studies to a file, for a colleague or a reference manager: the website's
//! CSV columns, a markdown list, the records themselves as JSON (an array, or one a line), or
//! RIS. The format follows the file's extension. Every record is read again through its
//! locator (in parallel, in list order), and the file is written atomically.
//!
//! Nothing the user has is lost to an export: the file named is checked first ([`target`]), and
//! one of the files the studies were loaded from is never written over; an existing file is
//! replaced only when the caller says so (after asking), and a new one never replaces a file
//! made meanwhile.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Summary, full_record, raw_record};
use crate::source::{Container, LoadError};
use crate::study::safe_text::{json_visible, visible};
use crate::study::{export, reference};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Markdown,
    Json,
    Ndjson,
    Ris,
}

impl ExportFormat {
    /// The format a file name asks for, by its extension.
    pub fn of(path: &Path) -> Option<ExportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "md" | "markdown" => Some(Self::Markdown),
            "json" => Some(Self::Json),
            "ndjson" | "jsonl" => Some(Self::Ndjson),
            "ris" => Some(Self::Ris),
            _ => None,
        }
    }
}

/// What an export did: studies written, and those whose record could not be read again.
#[derive(Debug, Default)]
pub struct Exported {
    pub written: usize,
    pub unreadable: Vec<LoadError>,
}

/// Where an export goes, checked before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Absolute, for the message that says where the file went.
    pub path: PathBuf,
    /// A file already has the name: it is replaced only once the user says so.
    pub exists: bool,
}

/// The file the user typed (a leading `~/` is the home folder) as an export's target: a name
/// that gives the format, not a folder, and not one of the files the studies were loaded from:
/// the `inputs` as given (files, zips, and the files a loaded folder reads) and each study's
/// own file, whatever its name (a symlink, a hard link).
pub fn target(typed: &str, inputs: &[PathBuf], studies: &[Summary]) -> Result<Target, String> {
    if typed.is_empty() {
        return Err("name the file to export to: .csv, .md, .json, .ndjson or .ris".into());
    }
    let path = crate::user::expand_home(typed);
    format_of(&path, typed)?;
    let path = std::path::absolute(&path).map_err(|e| format!("{typed}: {e}"))?;
    if fs::symlink_metadata(&path).is_err() {
        return Ok(Target { path, exists: false });
    }
    if let Ok(file) = fs::metadata(&path) {
        if file.is_dir() {
            return Err(format!("{typed} is a folder: name a file in it"));
        }
        if is_loaded_input(&path, &file, inputs, studies) {
            return Err(format!(
                "{typed} is one of the loaded inputs; nct will not write over it. Name another file."
            ));
        }
    }
    Ok(Target { path, exists: true })
}

fn format_of(path: &Path, typed: &str) -> Result<ExportFormat, String> {
    ExportFormat::of(path).ok_or_else(|| {
        format!("{typed}: name the file .csv, .md, .json, .ndjson or .ris to choose the format")
    })
}

/// Whether `path` (an existing file, `file` its metadata) is something the studies were loaded
/// from.
fn is_loaded_input(path: &Path, file: &fs::Metadata, inputs: &[PathBuf], studies: &[Summary]) -> bool {
    let canonical = fs::canonicalize(path).ok();
    for input in inputs.iter().filter(|i| i.as_os_str() != "-") {
        if same_file(path, file, input) {
            return true;
        }
        // A file a loaded folder reads, whether or not it held a study (it may have failed).
        let in_folder = fs::metadata(input).is_ok_and(|m| m.is_dir())
            && canonical
                .as_deref()
                .zip(fs::canonicalize(input).ok())
                .is_some_and(|(c, folder)| c.starts_with(folder));
        if in_folder && canonical.as_deref().is_some_and(crate::source::folder_reads) {
            return true;
        }
    }
    // A study's file reached through a link from inside a loaded folder, under another name.
    // One look at each file (a folder of the bulk download holds 600,000), on every core.
    let mut seen = HashSet::new();
    let containers: Vec<&Path> = studies
        .iter()
        .filter_map(|s| match &s.locator.container {
            Container::File(file) | Container::Zip { path: file, .. } => Some(&**file),
            Container::Memory(_) => None,
        })
        .filter(|container| seen.insert(*container))
        .collect();
    containers.par_iter().any(|container| same_file(path, file, container))
}

/// Whether `other` is the file `path` is (`file` its metadata): the same device and inode, so
/// that a link or another spelling of the path is seen through.
#[cfg(unix)]
fn same_file(_path: &Path, file: &fs::Metadata, other: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(other).is_ok_and(|o| o.dev() == file.dev() && o.ino() == file.ino())
}

#[cfg(not(unix))]
fn same_file(path: &Path, _file: &fs::Metadata, other: &Path) -> bool {
    matches!((fs::canonicalize(path), fs::canonicalize(other)), (Ok(a), Ok(b)) if a == b)
}

/// Writes `studies` (in this order) to `path` in the format its extension names. A file already
/// at `path` is replaced only when `replace` says so; otherwise it is kept and this fails.
pub fn export(studies: &[&Summary], path: &Path, replace: bool) -> Result<Exported, String> {
    let format = format_of(path, &path.display().to_string())?;
    let mut unreadable = Vec::new();
    let mut kept = |result: Result<String, LoadError>| match result {
        Ok(text) => Some(text),
        Err(e) => {
            unreadable.push(e);
            None
        }
    };
    let failed = |s: &Summary, reason: String| LoadError { origin: s.origin.clone(), reason };
    let bytes: Vec<u8> = match format {
        ExportFormat::Json | ExportFormat::Ndjson => {
            let records: Vec<Result<String, LoadError>> = studies
                .par_iter()
                .map(|s| {
                    raw_record(&s.locator)
                        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_string())
                        .map_err(|e| failed(s, e.to_string()))
                })
                .collect();
            let records: Vec<String> = records.into_iter().filter_map(&mut kept).collect();
            let json = if format == ExportFormat::Json {
                format!("[\n{}\n]\n", records.join(",\n"))
            } else {
                records.iter().map(|r| format!("{}\n", compact(r))).collect::<String>()
            };
            // Exact values, and no control a terminal showing the file would obey.
            json_visible(&json).into_owned().into_bytes()
        }
        ExportFormat::Csv | ExportFormat::Markdown | ExportFormat::Ris => {
            let rendered: Vec<Result<String, LoadError>> = studies
                .par_iter()
                .map(|s| {
                    let study = full_record(&s.locator).map_err(|e| failed(s, e.to_string()))?;
                    Ok(match format {
                        ExportFormat::Markdown => reference::markdown_row(&study),
                        ExportFormat::Ris => reference::ris(&study),
                        _ => csv_line(&export::csv_row(&study)).map_err(|e| failed(s, e.to_string()))?,
                    })
                })
                .collect();
            let rows: Vec<String> = rendered.into_iter().filter_map(&mut kept).collect();
            let head = match format {
                ExportFormat::Csv => csv_line(&export::CSV_COLUMNS.map(str::to_string)).unwrap_or_default(),
                ExportFormat::Markdown => reference::MARKDOWN_HEADER.to_string(),
                _ => String::new(),
            };
            let mut text = head;
            text.push_str(&rows.concat());
            // Files meant for a spreadsheet, a reference manager or `cat`: the record's controls
            // are shown, as on screen.
            visible(&text).into_owned().into_bytes()
        }
    };
    if replace {
        crate::user::store::write_atomic(path, &bytes).map_err(|e| e.to_string())?;
    } else {
        crate::user::store::write_new(path, &bytes).map_err(|e| e.to_string())?;
    }
    Ok(Exported { written: studies.len() - unreadable.len(), unreadable })
}

/// One CSV line (CRLF), quoted as RFC 4180 asks.
fn csv_line(cells: &[String]) -> Result<String, String> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(cells).map_err(|e| e.to_string())?;
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A record on one line: re-serialized when it spans several (a pretty-printed file).
fn compact(record: &str) -> String {
    if !record.contains('\n') {
        return record.to_string();
    }
    serde_json::from_str::<serde_json::Value>(record)
        .map_or_else(|_| record.replace('\n', " "), |v| v.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;

    fn assets() -> Catalog {
        Catalog::load(&[std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"))])
    }

    #[test]
    fn every_format_writes_the_studies_in_list_order() {
        let catalog = assets();
        let dir = tempfile::tempdir().unwrap();
        let chosen: Vec<&Summary> =
            ["NCT05183427", "NCT01447732"].iter().map(|id| catalog.find(id).unwrap()).collect();
        for name in ["list.csv", "list.md", "list.json", "list.ndjson", "list.ris"] {
            let path = dir.path().join(name);
            let done = export(&chosen, &path, false).unwrap();
            assert_eq!(done.written, 2, "{name}");
            let text = std::fs::read_to_string(&path).unwrap();
            let first = text.find("NCT05183427").unwrap_or_else(|| panic!("{name}: {text}"));
            assert!(first < text.find("NCT01447732").unwrap(), "{name}: in list order");
        }
        let csv = std::fs::read_to_string(dir.path().join("list.csv")).unwrap();
        assert!(csv.starts_with("NCT Number,Study Title,Study URL,"), "{csv}");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("list.json")).unwrap()).unwrap();
        assert_eq!(json[0]["protocolSection"]["identificationModule"]["nctId"], "NCT05183427");
        let ndjson = std::fs::read_to_string(dir.path().join("list.ndjson")).unwrap();
        assert_eq!(ndjson.lines().count(), 2);
        assert!(ndjson.lines().all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok()));
        let ris = std::fs::read_to_string(dir.path().join("list.ris")).unwrap();
        assert_eq!(ris.matches("TY  - DBASE").count(), 2);
    }

    #[test]
    fn an_unknown_extension_says_which_to_use() {
        let catalog = assets();
        let dir = tempfile::tempdir().unwrap();
        let error = export(&[&catalog.studies[0]], &dir.path().join("list.xlsx"), true).unwrap_err();
        assert!(error.contains(".csv, .md, .json, .ndjson or .ris"), "{error}");
    }

    fn study(id: &str) -> String {
        format!(
            r#"{{"protocolSection": {{"identificationModule": {{"nctId": "{id}", "briefTitle": "T"}}}}}}"#
        )
    }

    #[cfg(unix)]
    #[test]
    fn a_target_is_never_a_loaded_input_whatever_its_name() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let folder = root.join("trials");
        fs::create_dir_all(folder.join("sub")).unwrap();
        fs::write(folder.join("sub").join("a.json"), study("NCT00000001")).unwrap();
        fs::write(folder.join("broken.json"), "{").unwrap();
        fs::write(folder.join("notes.csv"), "not read by the folder").unwrap();
        let single = root.join("studies.json");
        fs::write(&single, format!("[{}]", study("NCT00000002"))).unwrap();
        let zipped = root.join("ctg-studies.json.zip");
        let mut zip = zip::ZipWriter::new(fs::File::create(&zipped).unwrap());
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("NCT00000003.json", stored).unwrap();
        zip.write_all(study("NCT00000003").as_bytes()).unwrap();
        zip.finish().unwrap();
        let outside = root.join("elsewhere.json");
        fs::write(&outside, study("NCT00000004")).unwrap();
        std::os::unix::fs::symlink(&outside, folder.join("linked.json")).unwrap();
        fs::hard_link(&single, root.join("hard.json")).unwrap();

        let inputs = vec![folder.clone(), single.clone(), zipped.clone(), PathBuf::from("-")];
        let catalog = Catalog::load(&inputs[..3]);
        assert_eq!(catalog.studies.len(), 4, "{:?}", catalog.errors);
        let refused = |path: &Path| {
            let typed = path.display().to_string();
            let error = target(&typed, &inputs, &catalog.studies).unwrap_err();
            assert_eq!(
                error,
                format!(
                    "{typed} is one of the loaded inputs; nct will not write over it. Name another file."
                )
            );
        };
        // .json.zip has no export format: the zip is refused as a name first, and as an input
        // when it could be one.
        let zip_as_json = root.join("zip.json");
        fs::hard_link(&zipped, &zip_as_json).unwrap();
        for path in [
            &single,
            &zip_as_json,
            &folder.join("sub").join("a.json"),
            &folder.join("broken.json"),
            &outside,
            &root.join("hard.json"),
        ] {
            refused(path);
        }
        refused(&folder.join("..").join("trials").join("sub").join("a.json"));
        assert!(
            target(&zipped.display().to_string(), &inputs, &catalog.studies)
                .unwrap_err()
                .contains("name the file .csv")
        );

        // What a loaded folder passes over, and what is new, are fine: one exists, one does not.
        let csv = target(&folder.join("notes.csv").display().to_string(), &inputs, &catalog.studies).unwrap();
        assert!(csv.exists);
        let new = target(&root.join("new.json").display().to_string(), &inputs, &catalog.studies).unwrap();
        assert_eq!(new, Target { path: root.join("new.json"), exists: false });
        let relative = target("list.ris", &inputs, &catalog.studies).unwrap();
        assert_eq!(relative.path, std::env::current_dir().unwrap().join("list.ris"));
        assert!(target(&folder.display().to_string(), &[], &[]).is_err(), "no format");
        let dotted = root.join("folder.json");
        fs::create_dir(&dotted).unwrap();
        assert!(
            target(&dotted.display().to_string(), &[], &[])
                .unwrap_err()
                .ends_with("is a folder: name a file in it")
        );

        // A new file is never written over one made since the target was checked.
        fs::write(root.join("new.json"), "theirs").unwrap();
        let chosen: Vec<&Summary> = catalog.studies.iter().collect();
        assert!(export(&chosen, &new.path, false).is_err());
        assert_eq!(fs::read_to_string(root.join("new.json")).unwrap(), "theirs");
        assert_eq!(export(&chosen, &new.path, true).unwrap().written, 4);
    }

    #[test]
    fn hostile_text_is_shown_in_every_format_and_json_stays_exact() {
        let dir = tempfile::tempdir().unwrap();
        let title = "T \u{1b}]52;c;aGk=\u{7} \u{9b}2J \u{7f} \u{202e}x";
        let record = serde_json::json!({"protocolSection": {
            "identificationModule": {"nctId": "NCT09990777", "briefTitle": title},
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": title}}
        }});
        std::fs::write(dir.path().join("s.json"), record.to_string()).unwrap();
        let catalog = Catalog::load(&[dir.path().to_path_buf()]);
        for name in ["list.csv", "list.md", "list.json", "list.ndjson", "list.ris"] {
            let path = dir.path().join(name);
            export(&[&catalog.studies[0]], &path, true).unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                let layout = matches!(c, '\n' | '\t') || (c == '\r' && chars.peek() == Some(&'\n'));
                assert!(!crate::study::safe_text::is_unsafe(c) || layout, "{name}: {c:?} in {text:?}");
            }
            if name.ends_with("json") {
                let value: serde_json::Value = serde_json::from_str(text.lines().next().unwrap_or_default())
                    .or_else(|_| serde_json::from_str::<serde_json::Value>(&text).map(|v| v[0].clone()))
                    .unwrap();
                assert_eq!(value, record, "{name}");
            } else {
                assert!(text.contains("T ␛]52;c;aGk=␇"), "{name}: {text}");
            }
        }
    }
}
