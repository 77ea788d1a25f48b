//! The text form of `nct show`: plain lines for a terminal or `less`, wrapped to a width, no
//! colour. Section headings are rules (`── Eligibility ───…`), facts are `label: value` lines
//! with the values aligned, and tables are columns cut to the width by display width (a CJK
//! character counts two columns).

use unicode_width::UnicodeWidthStr;

use super::document::{Block, Document, Entries, Fact, Table, Value};
pub use crate::present::width::cut_to_width;
use crate::study::markup;

/// Spaces between table columns.
pub(crate) const COLUMN_GAP: usize = 2;

/// A table column is not cut narrower than this, so that every column stays recognisable.
const MIN_COLUMN: usize = 6;

/// Indentation of what belongs to an unnumbered entry.
const ENTRY_INDENT: usize = 2;

/// The study as text lines of at most `width` columns, ending in a newline.
pub fn render(doc: &Document, width: usize) -> String {
    let width = width.max(markup::MIN_WIDTH);
    let mut lines = title_lines(doc, width);
    if !doc.header.is_empty() {
        lines.push(String::new());
        lines.extend(blocks(&doc.header, width));
    }
    for section in &doc.sections {
        lines.push(String::new());
        lines.push(heading_rule(section.heading, width));
        lines.extend(blocks(&section.blocks, width));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// "NCT01234567  A Study of Things", the title wrapped under itself.
fn title_lines(doc: &Document, width: usize) -> Vec<String> {
    match &doc.title {
        Some(title) => markup::hanging(title, &doc.id, 0, width),
        None => vec![doc.id.clone()],
    }
}

/// "── Eligibility ─────────…" across the width.
pub fn heading_rule(heading: &str, width: usize) -> String {
    let start = format!("── {heading} ");
    let fill = width.saturating_sub(start.width());
    format!("{start}{}", "─".repeat(fill))
}

/// Blocks with a blank line between them, except that a subheading sits on what it heads.
fn blocks(blocks: &[Block], width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut after_subheading = true;
    for block in blocks {
        if !after_subheading {
            lines.push(String::new());
        }
        after_subheading = matches!(block, Block::Subheading(_));
        lines.extend(block_lines(block, width));
    }
    lines
}

fn block_lines(block: &Block, width: usize) -> Vec<String> {
    match block {
        Block::Facts(facts) => fact_lines(facts, width),
        Block::Note(note) => markup::hanging(note, "", 0, width),
        Block::Markup(raw) => markup::render(raw, width),
        Block::Subheading(heading) => markup::hanging(heading, "", 0, width),
        Block::Entries(entries) => entry_lines(entries, width),
        Block::Criteria(criteria) => crate::present::criteria::text_lines(criteria, width),
        Block::Table(table) => table_lines(table, width),
        Block::Groups(table) => super::groups::slices(table, width).join(&[String::new()][..]),
    }
}

/// `label: value` lines with every value starting in the same column; a value too long for
/// the line wraps under itself, and further values of a fact go one a line below the first.
pub fn fact_lines(facts: &[Fact], width: usize) -> Vec<String> {
    let label_width = facts.iter().map(|f| f.label.width() + 1).max().unwrap_or(0);
    // A long label on a narrow screen must not leave the value no room.
    let value_column = (label_width + 1).min(width / 2);
    let blank = " ".repeat(value_column);
    let mut lines = Vec::new();
    for fact in facts {
        for (i, value) in fact.values.iter().enumerate() {
            let first = if i == 0 { pad(&format!("{}:", fact.label), value_column) } else { blank.clone() };
            let text = value_text(value);
            let options = textwrap::Options::new(width).initial_indent(&first).subsequent_indent(&blank);
            lines.extend(textwrap::wrap(&text, options).into_iter().map(|l| l.trim_end().to_owned()));
        }
    }
    lines
}

/// A value as one run of text: markup loses its escapes and line breaks.
pub(crate) fn value_text(value: &Value) -> String {
    match value {
        Value::Plain(text) => text.clone(),
        Value::Markup(raw) => markup::unescape(raw).split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Entries one after another: numbered ones as `1.` items, the others as a title with what
/// belongs to it indented below. A blank line goes between entries that have a description.
fn entry_lines(entries: &Entries, width: usize) -> Vec<String> {
    let count = entries.items.len();
    let marker_width = if entries.numbered { format!("{count}.").len() } else { 0 };
    let spaced = entries.items.iter().any(|e| e.description.is_some());
    let mut lines = Vec::new();
    for (i, entry) in entries.items.iter().enumerate() {
        if i > 0 && spaced {
            lines.push(String::new());
        }
        let (marker, indent) = if entries.numbered {
            (format!("{:>marker_width$}", format!("{}.", i + 1)), marker_width + 1)
        } else {
            (String::new(), ENTRY_INDENT)
        };
        lines.extend(markup::hanging(&entry.title, &marker, 0, width));
        let inner = width.saturating_sub(indent).max(markup::MIN_WIDTH);
        let mut body = fact_lines(&entry.facts, inner);
        if let Some(description) = &entry.description {
            body.extend(markup::render(description, inner));
        }
        lines.extend(body.into_iter().map(|line| indented(&line, indent)));
    }
    lines
}

fn indented(line: &str, indent: usize) -> String {
    if line.is_empty() { String::new() } else { format!("{}{line}", " ".repeat(indent)) }
}

/// Columns padded to their widest cell, cut (with `…`) to fit the width.
pub fn table_lines(table: &Table, width: usize) -> Vec<String> {
    let header: Vec<String> = table.header.iter().map(|h| (*h).to_owned()).collect();
    let cell_widths: Vec<Vec<usize>> = (0..header.len())
        .map(|column| {
            std::iter::once(&header)
                .chain(&table.rows)
                .map(|row| row.get(column).map_or(0, |cell| cell.width()))
                .collect()
        })
        .collect();
    let widths = fit_columns(&cell_widths, width);
    std::iter::once(&header).chain(&table.rows).map(|row| table_row(row, &widths)).collect()
}

fn table_row(row: &[String], widths: &[usize]) -> String {
    let cells: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(column, &w)| pad(&cut_to_width(row.get(column).map_or("", String::as_str), w), w))
        .collect();
    cells.join(&" ".repeat(COLUMN_GAP)).trim_end().to_owned()
}

/// Column widths that fit in `width` with the gaps between them, given every cell's width per
/// column. Columns give up one column at a time, each time the one where the fewest cells get
/// cut: one long city does not cost every facility name its end, and a column of long names
/// shrinks before a column of short ones. No column goes below [`MIN_COLUMN`] (or its widest
/// cell), so a very narrow screen gets lines that are too long rather than columns of nothing.
pub fn fit_columns(cell_widths: &[Vec<usize>], width: usize) -> Vec<usize> {
    let sorted: Vec<Vec<usize>> = cell_widths
        .iter()
        .map(|cells| {
            let mut cells = cells.clone();
            cells.sort_unstable();
            cells
        })
        .collect();
    let mut widths: Vec<usize> = sorted.iter().map(|cells| cells.last().copied().unwrap_or(0)).collect();
    let gaps = COLUMN_GAP * widths.len().saturating_sub(1);
    let budget = width.saturating_sub(gaps);
    while widths.iter().sum::<usize>() > budget {
        // Narrowing a column to `w - 1` cuts the cells at least `w` wide; ties go to the wider.
        let cheapest = widths
            .iter()
            .zip(&sorted)
            .enumerate()
            .filter(|(_, (w, _))| **w > MIN_COLUMN)
            .min_by_key(|(_, (w, cells))| {
                (cells.len() - cells.partition_point(|c| c < *w), std::cmp::Reverse(**w))
            })
            .map(|(column, _)| column);
        match cheapest.and_then(|column| widths.get_mut(column)) {
            Some(w) => *w -= 1,
            None => break,
        }
    }
    widths
}

/// `text` followed by spaces up to `width` display columns.
fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_display_width() {
        assert_eq!(cut_to_width("Boston", 10), "Boston");
        assert_eq!(cut_to_width("Massachusetts General", 8), "Massach…");
        // Each of these counts two columns: four columns hold one and the ellipsis.
        assert_eq!(cut_to_width("東京大学病院", 4), "東…");
        assert_eq!(cut_to_width("東京大学病院", 12), "東京大学病院");
        assert_eq!(cut_to_width("abc", 0), "");
    }

    #[test]
    fn columns_give_way_where_fewest_cells_suffer() {
        let one_each = |widths: &[usize]| widths.iter().map(|w| vec![*w]).collect::<Vec<_>>();
        assert_eq!(fit_columns(&one_each(&[40, 10, 8]), 100), [40, 10, 8]);
        assert_eq!(fit_columns(&one_each(&[40, 10, 8]), 40), [18, 10, 8]);
        assert_eq!(fit_columns(&one_each(&[40, 30, 8]), 40), [14, 14, 8]);
        assert_eq!(fit_columns(&one_each(&[40, 30, 3]), 10), [6, 6, 3]);
        // Facilities all near 30, one city of 22 among cities of 8: the odd city is cut first.
        let facilities = vec![30, 29, 28, 30, 27];
        let cities = vec![8, 22, 7, 8, 6];
        assert_eq!(fit_columns(&[facilities.clone(), cities.clone()], 42), [30, 10]);
        assert_eq!(fit_columns(&[facilities, cities], 36), [27, 7]);
    }

    #[test]
    fn tables_align_wide_characters() {
        let table = Table {
            header: vec!["Facility", "Country"],
            rows: vec![vec!["東京病院".into(), "Japan".into()], vec!["Clinic".into(), "France".into()]],
        };
        let lines = table_lines(&table, 80);
        assert_eq!(lines, ["Facility  Country", "東京病院  Japan", "Clinic    France"]);
        for line in table_lines(&table, 14) {
            assert!(line.width() <= 14, "{line:?}");
        }
    }

    #[test]
    fn facts_align_and_wrap_under_their_value() {
        let facts = [
            Fact::plain("Start", "2020-03 (actual)"),
            Fact::plain("Primary completion", "2025-12 (estimated) and some more words to wrap"),
            Fact {
                label: "Other IDs",
                values: vec![Value::Plain("A".into()), Value::Markup("B \\>= 2".into())],
            },
        ];
        let lines = fact_lines(&facts, 50);
        assert_eq!(
            lines,
            [
                "Start:              2020-03 (actual)",
                "Primary completion: 2025-12 (estimated) and some",
                "                    more words to wrap",
                "Other IDs:          A",
                "                    B >= 2",
            ]
        );
    }

    #[test]
    fn heading_rules_span_the_width() {
        let rule = heading_rule("Sites", 20);
        assert_eq!(rule, "── Sites ───────────");
        assert_eq!(rule.width(), 20);
    }
}
