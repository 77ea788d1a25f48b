//! The text form of `nct show`: plain lines for a terminal or `less`, wrapped to a width, no
//! colour. Section headings are rules (`── Eligibility ───…`), facts are `label: value` lines
//! with the values aligned, and tables are columns fitted to the width by display width (a CJK
//! character counts two columns): cut on a terminal, wrapped in a file or a pipe. On a
//! terminal, links (a document's address, a PubMed id) are OSC 8 hyperlinks.

use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use crate::present::document::{Block, Document, Entries, Fact, value_text};
use crate::present::groups;
use crate::present::safe_text::SafeText;
use crate::present::width::{Fit, fair_table_lines, pad};
use crate::study::markup;

/// Indentation of what belongs to an unnumbered entry.
const ENTRY_INDENT: usize = 2;

/// The study as text lines of at most `width` columns, ending in a newline; tables fitted as
/// `fit` says.
pub fn render(doc: &Document, width: usize, fit: Fit) -> String {
    let mut out = lines(doc, width, fit).join("\n");
    out.push('\n');
    out
}

/// As [`render`], with every link made an OSC 8 hyperlink to its address: for a terminal,
/// which shows the label and opens the address on a click. A label printed whole on a line is
/// linked there; one too long for its line (an address wrapped over the next) is linked piece
/// by piece. The links are put in after layout, since their escape sequences take no room.
pub fn render_linked(doc: &Document, width: usize, fit: Fit) -> SafeText {
    let mut links = doc.links();
    links.retain(|(label, _)| !label.is_empty());
    // At one place the longest label wins: "Label: https://a.org/x" before "https://a.org/x".
    links.sort_by_key(|(label, _)| std::cmp::Reverse(label.len()));
    let lines = lines(doc, width, fit);
    let mut spans: Vec<Vec<(Range<usize>, &str)>> =
        lines.iter().map(|line| whole_links(line, &links)).collect();
    for (i, line) in lines.iter().enumerate() {
        let end = line.trim_end().len();
        let start = line.get(..end).and_then(|l| l.rfind(char::is_whitespace)).map_or(0, |s| s + 1);
        let taken = spans.get(i).is_some_and(|spans| spans.iter().any(|(range, _)| range.end > start));
        if start >= end || taken {
            continue;
        }
        for (label, url) in &links {
            if let Some(pieces) = wrapped_link(&lines, i, start, label) {
                for (j, range) in pieces {
                    if let Some(spans) = spans.get_mut(j) {
                        spans.push((range, url));
                    }
                }
                break;
            }
        }
    }
    let mut out = SafeText::new();
    for (line, mut spans) in lines.iter().zip(spans) {
        spans.sort_by_key(|(range, _)| range.start);
        let mut at = 0;
        for (range, url) in spans {
            if range.start < at {
                continue;
            }
            out.push(line.get(at..range.start).unwrap_or_default());
            out.push_link(url, line.get(range.clone()).unwrap_or_default());
            at = range.end;
        }
        out.push(line.get(at..).unwrap_or_default());
        out.push("\n");
    }
    out
}

/// Where each label stands whole in `line`, left to right.
fn whole_links<'a>(line: &str, links: &[(&str, &'a str)]) -> Vec<(Range<usize>, &'a str)> {
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some((at, label, url)) = links
        .iter()
        .filter_map(|(label, url)| Some((from + line.get(from..)?.find(label)?, *label, *url)))
        .min_by_key(|(at, _, _)| *at)
    {
        spans.push((at..at + label.len(), url));
        from = at + label.len();
    }
    spans
}

/// The pieces of `label` when it starts at byte `start` of line `first` (its last word) and
/// goes on at the start of the next lines, as wrapping a long address leaves it: each piece's
/// line and place. `None` when the lines do not spell the label.
fn wrapped_link(
    lines: &[String],
    first: usize,
    start: usize,
    label: &str,
) -> Option<Vec<(usize, Range<usize>)>> {
    let head = lines.get(first)?.get(start..)?.trim_end();
    if head.len() >= label.len() || !label.starts_with(head) {
        return None;
    }
    let mut pieces = vec![(first, start..start + head.len())];
    let mut done = head.len();
    for (j, next) in lines.iter().enumerate().skip(first + 1) {
        let indent = next.len() - next.trim_start().len();
        let word = next.trim_start().split(char::is_whitespace).next().unwrap_or_default();
        if word.is_empty() || !label.get(done..)?.starts_with(word) {
            return None;
        }
        pieces.push((j, indent..indent + word.len()));
        done += word.len();
        if done == label.len() {
            return Some(pieces);
        }
        // The label goes on only from a line it fills to the end.
        if word.len() != next.trim().len() {
            return None;
        }
    }
    None
}

fn lines(doc: &Document, width: usize, fit: Fit) -> Vec<String> {
    let width = width.max(markup::MIN_WIDTH);
    let mut lines = title_lines(doc, width);
    if !doc.header.is_empty() {
        lines.push(String::new());
        lines.extend(blocks(&doc.header, width, fit));
    }
    for section in &doc.sections {
        lines.push(String::new());
        lines.push(heading_rule(section.heading, width));
        lines.extend(blocks(&section.blocks, width, fit));
    }
    lines
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
fn blocks(blocks: &[Block], width: usize, fit: Fit) -> Vec<String> {
    let mut lines = Vec::new();
    let mut after_subheading = true;
    for block in blocks {
        if !after_subheading {
            lines.push(String::new());
        }
        after_subheading = matches!(block, Block::Subheading(_));
        lines.extend(block_lines(block, width, fit));
    }
    lines
}

fn block_lines(block: &Block, width: usize, fit: Fit) -> Vec<String> {
    match block {
        Block::Facts(facts) => fact_lines(facts, width),
        Block::Note(note) => markup::hanging(note, "", 0, width),
        Block::Markup(raw) => markup::render(raw, width),
        Block::Subheading(heading) => markup::hanging(heading, "", 0, width),
        Block::Entries(entries) => entry_lines(entries, width),
        Block::Criteria(criteria) => crate::present::criteria::text_lines(criteria, width),
        Block::Table(table) => fair_table_lines(table, width, fit),
        Block::Groups(table) => groups::slices(table, width).join(&[String::new()][..]),
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::present::document::Value;

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
    fn links_are_hyperlinks_on_a_terminal_only() {
        use crate::present::document::{Document, Section};
        let url = "https://cdn.clinicaltrials.gov/large-docs/10/NCT09990010/ICF_001.pdf";
        let doc = Document {
            id: "NCT09990010".into(),
            title: None,
            header: Vec::new(),
            sections: vec![Section {
                heading: "Documents",
                blocks: vec![Block::Facts(vec![
                    Fact::url("Link", url),
                    Fact {
                        label: "PMID",
                        values: vec![Value::Link {
                            label: "35551234".into(),
                            url: "https://pubmed.ncbi.nlm.nih.gov/35551234/".into(),
                        }],
                    },
                ])],
            }],
        };
        let plain = render(&doc, 100, Fit::Wrap);
        assert!(plain.contains(&format!("Link: {url}")) && !plain.contains('\u{1b}'), "{plain}");
        let linked = render_linked(&doc, 100, Fit::Cut);
        let linked = linked.as_str();
        assert!(linked.contains(&format!("Link: \x1b]8;;{url}\x1b\\{url}\x1b]8;;\x1b\\\n")), "{linked:?}");
        assert!(
            linked.contains(
                "PMID: \x1b]8;;https://pubmed.ncbi.nlm.nih.gov/35551234/\x1b\\35551234\x1b]8;;\x1b\\"
            ),
            "{linked:?}"
        );
        // Too narrow for the address: each piece of it links to the whole.
        let narrow = render_linked(&doc, 40, Fit::Cut);
        let pieces = narrow.as_str().matches(&format!("\x1b]8;;{url}\x1b\\")).count();
        assert!(pieces >= 2, "{narrow:?}");
        let shown_narrow =
            narrow.as_str().replace(&format!("\x1b]8;;{url}\x1b\\"), "").replace("\x1b]8;;\x1b\\", "");
        let shown_narrow =
            shown_narrow.replace("\x1b]8;;https://pubmed.ncbi.nlm.nih.gov/35551234/\x1b\\", "");
        assert_eq!(shown_narrow, render(&doc, 40, Fit::Cut));
        // Without the escape sequences, the terminal shows what a pipe gets.
        let shown = linked.replace(&format!("\x1b]8;;{url}\x1b\\"), "").replace("\x1b]8;;\x1b\\", "");
        let shown = shown.replace("\x1b]8;;https://pubmed.ncbi.nlm.nih.gov/35551234/\x1b\\", "");
        assert_eq!(shown, plain);
    }

    #[test]
    fn heading_rules_span_the_width() {
        let rule = heading_rule("Sites", 20);
        assert_eq!(rule, "── Sites ───────────");
        assert_eq!(rule.width(), 20);
    }
}
