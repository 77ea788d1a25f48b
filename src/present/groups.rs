//! Laying out a results table ([`GroupTable`]) in a width: the row labels in a column of their
//! own on the left, then as many group columns as fit, starting from a given one.
//!
//! Columns are as wide as their values, and as wide as their title up to [`TITLE_WIDTH`]; a
//! title wraps onto a second header line, and one longer than that is cut and given a key
//! (`A`, `B`…) explained in a legend above the table, so that a column never needs to be wider
//! than its numbers. The row labels keep the left of every window, so scrolling sideways
//! (the pane) or printing the table in slices (`nct show`) never loses which row is which.

use unicode_width::UnicodeWidthStr;

use super::document::{GroupRow, GroupTable};
use super::width::{COLUMN_GAP, cut_to_width, pad};

/// A group title widens its column up to this; longer ones wrap, then are cut.
const TITLE_WIDTH: usize = 18;
/// The row labels keep at least this much, and at most two fifths of the width.
const MIN_LABEL: usize = 12;
/// Indentation per level of nesting of a row label.
const INDENT: usize = 2;

/// What a laid-out line is, for the pane's styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupLine {
    Legend,
    Header,
    Rule,
    Heading,
    Values,
}

/// The table as lines, and which groups they show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaidTable {
    pub lines: Vec<(GroupLine, String)>,
    /// The first group shown.
    pub first: usize,
    /// How many groups are shown, from `first`.
    pub shown: usize,
}

/// The table in `width` columns, groups from `first` (clamped to the last group) on.
pub fn layout(table: &GroupTable, width: usize, first: usize) -> LaidTable {
    let count = table.groups.len();
    let first = first.min(count.saturating_sub(1));
    let columns: Vec<usize> = (0..count).map(|g| column_width(table, g)).collect();
    let natural_label = table
        .rows
        .iter()
        .filter(|r| !r.is_heading())
        .map(|r| r.label.width() + INDENT * r.depth)
        .chain([table.corner.width().min(TITLE_WIDTH * 2)])
        .max()
        .unwrap_or(0);
    let mut label = natural_label.min((width * 2 / 5).max(MIN_LABEL)).max(MIN_LABEL.min(width));
    // Labels wrap sooner than a group goes out of sight: they give up room down to the
    // minimum when that lets every remaining group show.
    let rest: usize = columns.iter().skip(first).map(|w| w + COLUMN_GAP).sum();
    if label + rest > width && width.saturating_sub(rest) >= MIN_LABEL {
        label = width - rest;
    }
    // Groups from `first` while they fit; always one, cut if it must be.
    let mut used = label;
    let mut widths = Vec::new();
    for &w in columns.iter().skip(first) {
        if !widths.is_empty() && used + COLUMN_GAP + w > width {
            break;
        }
        let w = w.min(width.saturating_sub(used + COLUMN_GAP)).max(1);
        used += COLUMN_GAP + w;
        widths.push(w);
    }
    let shown = widths.len();
    // Room the shown columns leave goes to titles that would otherwise be cut: each widens,
    // left to right, as little as lets its title show whole in two lines.
    for (g, w) in (first..).zip(widths.iter_mut()) {
        let title = table.groups.get(g).map_or("", String::as_str);
        let spare = width.saturating_sub(used);
        if wrap(title, *w).len() > 2
            && let Some(wider) = (*w + 1..=*w + spare).find(|&n| wrap(title, n).len() <= 2)
        {
            used += wider - *w;
            *w = wider;
        }
    }
    let mut lines = Vec::new();
    // Cut titles are keyed A, B… in the order they are shown, so a legend starts at A.
    let mut keys = 0;
    let headers: Vec<Header> = (first..first + shown)
        .zip(&widths)
        .map(|(g, &w)| {
            let title = table.groups.get(g).map_or("", String::as_str);
            let cut = wrap(title, w).len() > 2;
            keys += usize::from(cut);
            header(title, w, cut.then(|| key(keys - 1)))
        })
        .collect();
    for (g, h) in (first..).zip(&headers) {
        if let Some(key) = &h.key {
            let title = table.groups.get(g).map_or("", String::as_str);
            for line in crate::study::markup::hanging(title, &format!("{key}:"), 0, width) {
                lines.push((GroupLine::Legend, line));
            }
        }
    }
    let hidden_left = first;
    let hidden_right = count - first - shown;
    let hint = match (hidden_left, hidden_right) {
        (0, 0) => String::new(),
        (0, right) => format!("{right} more ▸"),
        (left, 0) => format!("◂ {left} more"),
        (left, right) => format!("◂ {left} · {right} ▸"),
    };
    let header_height =
        headers.iter().map(|h| h.lines.len()).max().unwrap_or(1).max(if hint.is_empty() { 1 } else { 2 });
    let corner = wrap(&table.corner, label);
    let mut left_parts: Vec<String> = corner.into_iter().take(if hint.is_empty() { 2 } else { 1 }).collect();
    if !hint.is_empty() {
        left_parts.push(hint);
    }
    let header_height = header_height.max(left_parts.len());
    for i in 0..header_height {
        let left = if left_parts.len() < header_height && i < header_height - left_parts.len() {
            String::new()
        } else {
            left_parts.get(i + left_parts.len() - header_height).cloned().unwrap_or_default()
        };
        let cells: Vec<String> =
            headers.iter().map(|h| h.lines.get(i).cloned().unwrap_or_default()).collect();
        lines.push((GroupLine::Header, row_text(&left, label, &cells, &widths)));
    }
    lines.push((GroupLine::Rule, "─".repeat(used.min(width))));
    for row in &table.rows {
        lines.extend(row_lines(row, label, width, first, &widths));
    }
    LaidTable { lines, first, shown }
}

/// Every group, in slices of columns that fit `width` one under another: for a printout.
pub fn slices(table: &GroupTable, width: usize) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut first = 0;
    loop {
        let laid = layout(table, width, first);
        out.push(laid.lines.into_iter().map(|(_, text)| text).collect());
        first = laid.first + laid.shown;
        if laid.shown == 0 || first >= table.groups.len() {
            return out;
        }
    }
}

/// The key of the `group`th cut title: A, B, … Z, then 27, 28…
fn key(group: usize) -> String {
    u8::try_from(group)
        .ok()
        .filter(|g| *g < 26)
        .map_or_else(|| (group + 1).to_string(), |g| char::from(b'A' + g).to_string())
}

fn column_width(table: &GroupTable, group: usize) -> usize {
    let values = table.rows.iter().filter_map(|r| r.cells.get(group)).map(|c| c.width()).max().unwrap_or(0);
    let title = table.groups.get(group).map_or(0, |t| t.width());
    // A title of two short lines is as good as one long one.
    let title = if title > TITLE_WIDTH { (title / 2 + 4).min(TITLE_WIDTH) } else { title };
    values.max(title).max(3)
}

struct Header {
    lines: Vec<String>,
    /// The key of a title cut to fit, which the legend explains.
    key: Option<String>,
}

/// A group's title in at most two lines of `width`; cut and given `key` when longer.
fn header(title: &str, width: usize, key: Option<String>) -> Header {
    let Some(key) = key else { return Header { lines: wrap(title, width), key: None } };
    let keyed = wrap(&format!("{key}: {title}"), width);
    let mut lines: Vec<String> = keyed.iter().take(2).cloned().collect();
    if let Some(last) = lines.last_mut() {
        *last = cut_to_width(&format!("{last}…"), width);
        if !last.ends_with('…') {
            last.push('…');
        }
        *last = cut_to_width(last, width);
    }
    Header { lines, key: Some(key) }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    textwrap::wrap(text, width.max(1)).into_iter().map(|l| cut_to_width(l.trim_end(), width)).collect()
}

/// A row: a heading across the width, or its label (wrapped in the label column, nested
/// labels indented) with the shown groups' cells on its first line.
fn row_lines(
    row: &GroupRow,
    label: usize,
    width: usize,
    first: usize,
    widths: &[usize],
) -> Vec<(GroupLine, String)> {
    let indent = " ".repeat(INDENT * row.depth);
    if row.is_heading() {
        let options = textwrap::Options::new(width.max(1)).initial_indent(&indent).subsequent_indent(&indent);
        return textwrap::wrap(&row.label, options)
            .into_iter()
            .map(|l| (GroupLine::Heading, cut_to_width(l.trim_end(), width)))
            .collect();
    }
    let hang = format!("{indent}  ");
    let options = textwrap::Options::new(label.max(1)).initial_indent(&indent).subsequent_indent(&hang);
    let labels: Vec<String> =
        textwrap::wrap(&row.label, options).into_iter().map(|l| l.into_owned()).collect();
    let cells: Vec<String> = (first..first + widths.len())
        .zip(widths)
        .map(|(g, &w)| cut_to_width(row.cells.get(g).map_or("", String::as_str), w))
        .collect();
    let mut lines = Vec::new();
    for (i, text) in labels.iter().enumerate() {
        let text = cut_to_width(text, label);
        if i == 0 {
            lines.push((GroupLine::Values, row_text(&text, label, &cells, widths)));
        } else {
            lines.push((GroupLine::Values, text.trim_end().to_owned()));
        }
    }
    if labels.is_empty() {
        lines.push((GroupLine::Values, row_text("", label, &cells, widths)));
    }
    lines
}

fn row_text(left: &str, label: usize, cells: &[String], widths: &[usize]) -> String {
    let mut text = pad(left, label);
    for (cell, &w) in cells.iter().zip(widths) {
        text.push_str(&" ".repeat(COLUMN_GAP));
        text.push_str(&pad(cell, w));
    }
    text.trim_end().to_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub(crate) mod tests {
    use super::*;

    /// A flow-like table of `groups` long-titled groups, shared by the writers' tests.
    pub(crate) fn table(groups: usize) -> GroupTable {
        GroupTable {
            corner: "Treatment".into(),
            groups: (0..groups)
                .map(|g| format!("Group number {g} with a rather long title indeed"))
                .collect(),
            rows: vec![
                GroupRow::values("Started", 0, (0..groups).map(|g| format!("{}", 100 + g)).collect()),
                GroupRow::heading("Reasons not completed", 0),
                GroupRow::values("Adverse Event", 1, (0..groups).map(|g| format!("{g}")).collect()),
            ],
        }
    }

    #[test]
    fn wide_tables_show_the_groups_that_fit_and_say_how_many_are_hidden() {
        let laid = layout(&table(8), 60, 0);
        assert!(laid.shown >= 1 && laid.shown < 8, "{laid:?}");
        for (_, line) in &laid.lines {
            assert!(line.width() <= 60, "{line:?}");
            assert!(!line.ends_with(' '), "{line:?}");
        }
        let text: Vec<&str> = laid.lines.iter().map(|(_, l)| l.as_str()).collect();
        let text = text.join("\n");
        assert!(text.contains(&format!("{} more ▸", 8 - laid.shown)), "{text}");
        assert!(text.contains("A: Group number 0 with a rather long title indeed"), "legend: {text}");
        assert!(text.contains("Started") && text.contains("100"), "{text}");
        let moved = layout(&table(8), 60, 2);
        let text: Vec<&str> = moved.lines.iter().map(|(_, l)| l.as_str()).collect();
        assert!(text.join("\n").contains("◂ 2"), "{text:?}");
        assert_eq!(layout(&table(8), 60, 99).first, 7, "the first group is clamped");
    }

    fn two_groups(second: &str) -> GroupTable {
        GroupTable {
            corner: String::new(),
            groups: vec!["Placebo".into(), second.into()],
            rows: vec![GroupRow::values("Started", 0, vec!["204".into(), "203".into()])],
        }
    }

    fn text(laid: &LaidTable) -> String {
        laid.lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n")
    }

    /// The first cut title is A, even when the group before it needs no key.
    #[test]
    fn a_legend_starts_at_a() {
        let long = "Zentravir 200 mg Twice Daily Plus Standard of Care Given for Five Days in Hospital";
        let laid = layout(&two_groups(long), 50, 0);
        let text = text(&laid);
        assert!(text.starts_with("A: Zentravir 200 mg"), "{text}");
        assert!(!text.contains("B:"), "{text}");
    }

    /// A title is not cut while the line has room to show it in two lines.
    #[test]
    fn room_left_on_the_line_goes_to_a_title_before_it_is_cut() {
        let title = "Oseltamivir 75 mg (ETS-2 Extended Treatment Schedule)";
        let laid = layout(&two_groups(title), 80, 0);
        let text = text(&laid);
        assert!(!text.contains('…') && !text.contains("A:"), "{text}");
        assert!(text.contains("(ETS-2"), "{text}");
        for (_, line) in &laid.lines {
            assert!(line.width() <= 80, "{line:?}");
        }
    }

    #[test]
    fn slices_cover_every_group_once() {
        let slices = slices(&table(8), 60);
        let starts: usize =
            slices.iter().map(|s| s.iter().filter(|l| l.starts_with("Started")).count()).sum();
        assert_eq!(starts, slices.len());
        let all = slices.concat().join("\n");
        for g in 0..8 {
            assert!(all.contains(&format!("{}", 100 + g)), "group {g} in {all}");
        }
    }
}
