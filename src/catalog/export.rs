//! Writing a list of studies to a file, for a colleague or a reference manager: the website's
//! CSV columns, a markdown list, the records themselves as JSON (an array, or one a line), or
//! RIS. The format follows the file's extension. Every record is read again through its
//! locator (in parallel, in list order), and the file is replaced atomically.

use std::path::Path;

use rayon::prelude::*;

use super::{Summary, full_record, raw_record};
use crate::present::safe_text::{json_visible, visible};
use crate::source::LoadError;
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

/// Writes `studies` (in this order) to `path` in the format its extension names.
pub fn export(studies: &[&Summary], path: &Path) -> Result<Exported, String> {
    let format = ExportFormat::of(path).ok_or_else(|| {
        format!("{}: name the file .csv, .md, .json, .ndjson or .ris to choose the format", path.display())
    })?;
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
                        .map_err(|e| failed(s, e))
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
                    let study = full_record(&s.locator).map_err(|e| failed(s, e))?;
                    Ok(match format {
                        ExportFormat::Markdown => reference::markdown_row(&study),
                        ExportFormat::Ris => reference::ris(&study),
                        _ => csv_line(&export::csv_row(&study)).map_err(|e| failed(s, e))?,
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
    crate::user::store::write_atomic(path, &bytes)?;
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
            let done = export(&chosen, &path).unwrap();
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
        let error = export(&[&catalog.studies[0]], &dir.path().join("list.xlsx")).unwrap_err();
        assert!(error.contains(".csv, .md, .json, .ndjson or .ris"), "{error}");
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
            export(&[&catalog.studies[0]], &path).unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                let layout = matches!(c, '\n' | '\t') || (c == '\r' && chars.peek() == Some(&'\n'));
                assert!(!crate::present::safe_text::is_unsafe(c) || layout, "{name}: {c:?} in {text:?}");
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
