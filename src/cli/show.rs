//! `nct show`: one study, as text, markdown or the registry's JSON.
//!
//! JSON is the record's own bytes, so every raw field stays reachable. Text and markdown show
//! the same reading of the record (a [`Document`], built once by `present::study`) and only
//! write it out: `text` as wrapped lines, `markdown` as markdown.

pub(super) mod markdown;
mod text;

use std::io::IsTerminal;
use std::path::PathBuf;

use super::{ShowFormat, exit, output};
use crate::catalog::cache::{self, Cache};
use crate::catalog::{self, Catalog, Progress};
use crate::present;
use crate::present::document::{self, Document};
use crate::present::safe_text::SafeText;
use crate::present::width::Fit;
use crate::study::date::DateStyle;

/// The study's full record, with the fields left out of it (values that cannot be read) said on
/// stderr, as `nct check` says them.
pub(super) fn full_record(summary: &catalog::Summary) -> Result<crate::study::Study, String> {
    let (study, left_out) = catalog::full_record_read(&summary.locator).map_err(|e| e.to_string())?;
    output::eprint_lines(left_out.into_iter().map(|left| {
        let warning = crate::source::LoadWarning {
            origin: summary.origin.clone(),
            study: summary.id.clone(),
            field: left.field,
            problem: left.problem,
        };
        warning.to_string()
    }));
    Ok(study)
}

/// Load failures said before "not found"; the rest are left to `nct check`.
const FAILURES_SHOWN: usize = 5;

/// Text lines are this wide when the terminal's width is not known.
const DEFAULT_WIDTH: usize = 100;

/// Widths outside this range in `COLUMNS` are a mistake rather than a terminal.
const SANE_WIDTHS: std::ops::RangeInclusive<usize> = 40..=400;

/// The study `id` among the inputs, through the cache when there is one; `None` when it is not
/// there, which has been said on stderr.
pub(super) fn find(id: &str, paths: &[PathBuf]) -> Option<catalog::Summary> {
    let cache = Cache::from_env();
    let summary = match cache::find(paths, id, cache.as_ref()) {
        cache::Lookup::Found(summary) => *summary,
        cache::Lookup::Absent { studies, failures } => {
            output::error(&not_found(id, studies, failures));
            return None;
        }
        cache::Lookup::Unknown => {
            // Through the cache (stored for the next time) when there is one; without, no index
            // is needed to find one study.
            let catalog = match &cache {
                Some(cache) => {
                    let (catalog, outcome) = cache::load(paths, &Progress::default(), Some(cache));
                    if let Some(problem) = outcome.problem() {
                        output::error(&problem);
                    }
                    catalog
                }
                None => Catalog::load(paths),
            };
            match catalog.find(id) {
                Some(summary) => summary.clone(),
                None => {
                    // The study may be in what failed: a few reasons say at once why (a CSV
                    // export given for a JSON download, say), `nct check` says them all.
                    output::eprint_lines(catalog.errors.iter().take(FAILURES_SHOWN).map(ToString::to_string));
                    output::error(&not_found(id, catalog.len(), catalog.errors.len()));
                    return None;
                }
            }
        }
    };
    Some(summary)
}

pub fn run(id: &str, paths: &[PathBuf], format: ShowFormat) -> u8 {
    let Some(summary) = find(id, paths) else { return exit::PROBLEM };
    // Only text and markdown are read by people; JSON stays as the registry wrote it.
    let style = match format {
        ShowFormat::Json => DateStyle::Iso,
        ShowFormat::Text | ShowFormat::Markdown => date_style(),
    };
    let printed = match format {
        // The record's own bytes, but for characters a terminal must not be sent, which go out
        // as JSON escapes of the same value.
        ShowFormat::Json => catalog::raw_record(&summary.locator)
            .map_err(|e| e.to_string())
            .map(|bytes| SafeText::json(&String::from_utf8_lossy(&bytes))),
        ShowFormat::Text => full_record(&summary).map(|study| {
            let doc = with_note(present::study::document(&study, style), &summary.id).visible();
            let columns = std::env::var("COLUMNS").ok();
            // A terminal gets the width it has, cut tables and links; a file or a pipe keeps
            // every character, its tables wrapped rather than cut.
            if std::io::stdout().is_terminal() {
                let known = columns.as_deref().and_then(sane_width).or_else(terminal_width);
                text::render_linked(&doc, known.unwrap_or(DEFAULT_WIDTH), Fit::Cut)
            } else {
                SafeText::from(text::render(&doc, output_width(columns.as_deref()), Fit::Wrap))
            }
        }),
        ShowFormat::Markdown => full_record(&summary).map(|study| {
            SafeText::from(markdown::render(
                &with_note(present::study::document(&study, style), &summary.id).visible(),
            ))
        }),
    };
    match printed {
        Ok(text) => {
            output::print(text);
            exit::OK
        }
        Err(reason) => {
            output::error(&format!("{}: {reason}", summary.origin));
            exit::PROBLEM
        }
    }
}

/// The `date_format` setting; mistakes in the settings are said on stderr, as the app says them.
fn date_style() -> DateStyle {
    let Some(file) = crate::user::config_file() else { return DateStyle::default() };
    let loaded = crate::user::config::load(&file);
    output::eprint_lines(loaded.warnings);
    loaded.config.date_format
}

/// The document with the user's note on the study first, when there is one.
fn with_note(mut doc: Document, id: &str) -> Document {
    let notes = crate::user::notes_dir().map(|folder| crate::user::notes::Notes::new(&folder));
    match notes.map(|n| n.read(id)) {
        Some(Ok(Some(note))) => {
            let blocks = vec![document::Block::Markup(note.trim_end().to_string())];
            doc.sections.insert(0, document::Section { heading: "Your note", blocks });
        }
        Some(Err(why)) => output::error(&why),
        _ => {}
    }
    doc
}

/// "NCT0000: not found among 24 studies", with a pointer to `nct check` when some input did
/// not load, since the study may be in what failed.
fn not_found(id: &str, studies: usize, failures: usize) -> String {
    let mut message = format!("{id}: not found among {}", output::plural(studies, "study", "studies"));
    if failures > 0 {
        let failed = output::plural(failures, "input", "inputs");
        message.push_str(&format!(" ({failed} failed to load; `nct check` says why)"));
    }
    message
}

/// How wide wrapped prose is: `COLUMNS` when it is believable, else the terminal's own width on a
/// terminal, else the default (a file or a pipe).
pub(super) fn text_width() -> usize {
    let columns = std::env::var("COLUMNS").ok();
    match columns.as_deref().and_then(sane_width) {
        Some(width) => width,
        None if std::io::stdout().is_terminal() => terminal_width().unwrap_or(DEFAULT_WIDTH),
        None => DEFAULT_WIDTH,
    }
}

/// The `COLUMNS` the shell gives, when it is a believable width.
fn output_width(columns: Option<&str>) -> usize {
    columns.and_then(sane_width).unwrap_or(DEFAULT_WIDTH)
}

fn sane_width(columns: &str) -> Option<usize> {
    columns.trim().parse().ok().filter(|w| SANE_WIDTHS.contains(w))
}

/// The terminal's own width, for a shell that does not export `COLUMNS` (bash sets it but
/// keeps it to itself).
fn terminal_width() -> Option<usize> {
    crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
        .filter(|w| SANE_WIDTHS.contains(w))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn width_comes_from_columns_when_sane() {
        assert_eq!(output_width(None), 100);
        assert_eq!(output_width(Some("80")), 80);
        assert_eq!(output_width(Some(" 132 ")), 132);
        assert_eq!(output_width(Some("20")), 100);
        assert_eq!(output_width(Some("5000")), 100);
        assert_eq!(output_width(Some("wide")), 100);
    }
}
