//! `nct search`: the studies answering a query, best first, as a table for people or ids, CSV,
//! JSON or NDJSON for scripts.
//!
//! The query is parsed before anything is loaded, so a mistake is reported at once (exit 2, with
//! a caret under the column). The catalog is loaded with its full-text index.

use std::path::PathBuf;

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::output::{self, thousands};
use super::show::text::cut_to_width;
use super::{SearchFormat, exit};
use crate::catalog::cache::{self, Cache};
use crate::catalog::{Progress, Summary};
use crate::query;
use crate::study::date::PartialDate;
use crate::study::enums::phases_label;

/// Table lines are this wide when the terminal's width is not known.
const DEFAULT_WIDTH: usize = 100;

/// Widths outside this range in `COLUMNS` are a mistake rather than a terminal.
const SANE_WIDTHS: std::ops::RangeInclusive<usize> = 40..=400;

/// Where a study lives on the registry's website.
const STUDY_URL: &str = "https://clinicaltrials.gov/study/";

/// The website's CSV export columns that a summary holds, in the website's order.
const CSV_HEADER: [&str; 15] = [
    "NCT Number",
    "Study Title",
    "Study URL",
    "Acronym",
    "Study Status",
    "Conditions",
    "Sponsor",
    "Phases",
    "Enrollment",
    "Study Type",
    "Start Date",
    "Primary Completion Date",
    "Completion Date",
    "First Posted",
    "Last Update Posted",
];

pub fn run(text: &str, paths: &[PathBuf], format: SearchFormat, limit: usize) -> u8 {
    let query = match query::parse(text) {
        Ok(query) => query,
        Err(e) => {
            output::error(&format!("in the query, column {}: {}", e.column, e.message));
            output::eprint_lines([format!("  {text}"), format!("  {}", e.caret_line_under(text))]);
            return exit::USAGE;
        }
    };
    let (catalog, outcome) = cache::load(paths, &Progress::default(), Cache::from_env().as_ref());
    if let Some(problem) = outcome.problem() {
        output::error(&problem);
    }
    if let Some(problem) = &catalog.index_error {
        output::error(&format!(
            "{problem}; words are looked for in titles, conditions and sponsors only, unranked"
        ));
    }
    let found = catalog.search(&query);
    let shown: Vec<&Summary> = found
        .iter()
        .take(if limit == 0 { usize::MAX } else { limit })
        .filter_map(|&place| catalog.studies.get(place))
        .collect();
    let printed = match format {
        SearchFormat::Ids => shown.iter().map(|s| format!("{}\n", s.id)).collect(),
        SearchFormat::Table => {
            table(&shown, found.len(), output_width(std::env::var("COLUMNS").ok().as_deref()))
        }
        SearchFormat::Csv => csv(&shown),
        SearchFormat::Json => {
            format!("{:#}\n", serde_json::Value::Array(shown.iter().map(|s| object(s)).collect()))
        }
        SearchFormat::Ndjson => shown.iter().map(|s| format!("{}\n", object(s))).collect(),
    };
    output::print(&printed);
    output::eprint_lines(catalog.errors.iter().map(ToString::to_string));
    if found.is_empty() || !catalog.errors.is_empty() { exit::PROBLEM } else { exit::OK }
}

fn output_width(columns: Option<&str>) -> usize {
    columns.and_then(|c| c.trim().parse().ok()).filter(|w| SANE_WIDTHS.contains(w)).unwrap_or(DEFAULT_WIDTH)
}

fn status_label(s: &Summary) -> String {
    s.status.as_ref().map(|st| st.label().to_string()).unwrap_or_default()
}

/// Aligned columns (id, status, phase, title cut to `width`), then how many more there are.
fn table(shown: &[&Summary], found: usize, width: usize) -> String {
    let status_width = shown.iter().map(|s| status_label(s).width()).max().unwrap_or(0);
    let phase_width = shown.iter().map(|s| phases_label(&s.phases).width()).max().unwrap_or(0);
    let mut out = String::new();
    for s in shown {
        let status = status_label(s);
        let phase = phases_label(&s.phases);
        let mut line = format!("{}  {}  {}  ", s.id, pad(&status, status_width), pad(&phase, phase_width));
        let room = width.saturating_sub(line.width());
        line.push_str(&cut_to_width(&s.brief_title, room));
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if found > shown.len() {
        out.push_str(&format!("… {} more (--limit 0 for all)\n", thousands(found - shown.len())));
    }
    out
}

fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

fn date(d: Option<PartialDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn phases_registered(s: &Summary) -> Vec<String> {
    s.phases.iter().map(|p| p.as_str().to_string()).collect()
}

/// The cells of one CSV row, in [`CSV_HEADER`]'s order, values as registered.
fn csv_cells(s: &Summary) -> [String; 15] {
    [
        s.id.to_string(),
        s.brief_title.to_string(),
        format!("{STUDY_URL}{}", s.id),
        s.acronym.as_deref().unwrap_or_default().to_string(),
        s.status.as_ref().map(|st| st.as_str().to_string()).unwrap_or_default(),
        s.conditions.join("|"),
        s.sponsor.as_deref().unwrap_or_default().to_string(),
        phases_registered(s).join("|"),
        s.enrollment.map(|n| n.to_string()).unwrap_or_default(),
        s.study_type.as_ref().map(|t| t.as_str().to_string()).unwrap_or_default(),
        date(s.start),
        date(s.primary_completion),
        date(s.completion),
        date(s.first_posted),
        date(s.last_update),
    ]
}

/// A CSV field quoted as RFC 4180 asks: only when it holds a comma, a quote or a line break.
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

fn csv(shown: &[&Summary]) -> String {
    let line = |cells: &[String]| {
        let fields: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        format!("{}\r\n", fields.join(","))
    };
    let header: Vec<String> = CSV_HEADER.iter().map(|h| (*h).to_string()).collect();
    let mut out = line(&header);
    for s in shown {
        out.push_str(&line(&csv_cells(s)));
    }
    out
}

/// One study for `json` and `ndjson`: enum values and dates as registered.
fn object(s: &Summary) -> serde_json::Value {
    json!({
        "id": s.id,
        "title": s.brief_title,
        "acronym": s.acronym,
        "status": s.status.as_ref().map(|st| st.as_str()),
        "phases": phases_registered(s),
        "type": s.study_type.as_ref().map(|t| t.as_str()),
        "conditions": s.conditions,
        "sponsor": s.sponsor,
        "enrollment": s.enrollment,
        "start_date": s.start.map(|d| d.to_string()),
        "primary_completion_date": s.primary_completion.map(|d| d.to_string()),
        "completion_date": s.completion.map(|d| d.to_string()),
        "first_posted": s.first_posted.map(|d| d.to_string()),
        "last_update_posted": s.last_update.map(|d| d.to_string()),
        "url": format!("{STUDY_URL}{}", s.id),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn titles_are_cut_to_the_room_left() {
        assert_eq!(cut_to_width("short", 10), "short");
        assert_eq!(cut_to_width("a longer title", 8), "a longe…");
        assert_eq!(cut_to_width("日本語のタイトル", 7), "日本語…");
        assert_eq!(output_width(Some("120")), 120);
        assert_eq!(output_width(Some("5")), DEFAULT_WIDTH);
        assert_eq!(output_width(None), DEFAULT_WIDTH);
    }
}
