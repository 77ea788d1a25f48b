//! The markdown form of `nct show`: `# NCT… — title`, `## Section` headings, bullet lists for
//! facts, numbered lists for criteria and outcomes, a table for sites.
//!
//! The registry's free text is already markdown, so it goes out as written. Our own text
//! (titles, names, criteria after splitting) is escaped so that a `*` or `<` in it stays a
//! character; lines are not wrapped, since whatever renders markdown does that.

use crate::present::document::{Block, Document, Entries, Fact, GroupTable, Table, Value};
use crate::study::eligibility::Criteria;

/// The study as a markdown document, ending in a newline.
pub fn render(doc: &Document) -> String {
    let mut chunks = vec![title(doc)];
    chunks.extend(doc.header.iter().map(block));
    for section in &doc.sections {
        chunks.push(format!("## {}", escape(section.heading)));
        chunks.extend(section.blocks.iter().map(block));
    }
    let mut out = chunks.join("\n\n");
    out.push('\n');
    out
}

fn title(doc: &Document) -> String {
    match &doc.title {
        Some(title) => format!("# {} — {}", doc.id, escape(title)),
        None => format!("# {}", doc.id),
    }
}

fn block(block: &Block) -> String {
    match block {
        Block::Facts(facts) => fact_list(facts),
        Block::Note(note) => escape(note),
        Block::Markup(raw) => raw_text(raw),
        Block::Subheading(heading) => format!("### {}", escape(heading)),
        Block::Entries(entries) => entry_list(entries),
        Block::Criteria(criteria) => criteria_lists(criteria),
        Block::Table(table) => table_text(table),
        Block::Groups(table) => group_table(table),
    }
}

/// `- **Label:** value`, with several values as a nested list.
fn fact_list(facts: &[Fact]) -> String {
    facts.iter().map(fact_item).collect::<Vec<_>>().join("\n")
}

fn fact_item(fact: &Fact) -> String {
    match fact.values.as_slice() {
        [one] => format!("- **{}:** {}", fact.label, markdown_value(one)),
        many => {
            let mut lines = vec![format!("- **{}:**", fact.label)];
            lines.extend(many.iter().map(|v| format!("  - {}", markdown_value(v))));
            lines.join("\n")
        }
    }
}

/// One line of a list item: plain text escaped, markup kept but on one line.
fn markdown_value(value: &Value) -> String {
    match value {
        Value::Plain(text) => escape(text),
        Value::Markup(raw) => raw.split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Link { label, url } => link(label, url),
    }
}

/// Registry text as written, without trailing spaces on its lines (which markdown would read
/// as hard breaks where the registry meant none) and with Windows line ends made plain.
fn raw_text(raw: &str) -> String {
    raw.lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_owned()
}

/// `1. **Title**` (or `- **Title**`) with its facts as a nested list and its description as a
/// paragraph of the item.
fn entry_list(entries: &Entries) -> String {
    let mut items = Vec::new();
    for (i, entry) in entries.items.iter().enumerate() {
        let marker = if entries.numbered { format!("{}.", i + 1) } else { "-".to_owned() };
        let indent = marker.len() + 1;
        let mut item = format!("{marker} **{}**", escape(&entry.title));
        if !entry.facts.is_empty() {
            item.push('\n');
            item.push_str(&indent_lines(&fact_list(&entry.facts), indent));
        }
        if let Some(description) = &entry.description {
            item.push_str("\n\n");
            item.push_str(&indent_lines(&raw_text(description), indent));
        }
        items.push(item);
    }
    let spaced = entries.items.iter().any(|e| e.description.is_some());
    items.join(if spaced { "\n\n" } else { "\n" })
}

/// Every non-blank line moved right by `indent` spaces, to sit inside a list item.
fn indent_lines(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.lines()
        .map(|line| if line.trim().is_empty() { String::new() } else { format!("{pad}{line}") })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each section as `### Inclusion criteria` and a nested list with references and labels as
/// registered (see [`present::criteria::markdown`](crate::present::criteria::markdown)).
fn criteria_lists(criteria: &Criteria) -> String {
    crate::present::criteria::markdown(criteria, escape)
}

/// A pipe table; a `|` in a cell is escaped so it does not end the cell.
fn table_text(table: &Table) -> String {
    let row = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let mut lines = vec![row(table.header.iter().map(|h| escape(h)).collect())];
    lines.push(row(table.header.iter().map(|_| "---".to_owned()).collect()));
    for cells in &table.rows {
        let cells =
            (0..table.header.len()).map(|i| table_cell(cells.get(i).map_or("", String::as_str))).collect();
        lines.push(row(cells));
    }
    lines.join("\n")
}

/// `[label](url)`, or `<url>` when the label is the address; an address holding a space or an
/// angle bracket (which would end it early) is written as plain text.
fn link(label: &str, url: &str) -> String {
    if url.contains(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')')) {
        return escape(label);
    }
    if label == url { format!("<{url}>") } else { format!("[{}]({url})", escape(label)) }
}

fn table_cell(text: &str) -> String {
    escape(text).replace('|', "\\|")
}

/// Backslash-escapes what markdown would read as formatting, links or HTML, the way the
/// registry itself escapes its text (`\>=`, `\*`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The table as a markdown pipe table: every group, full titles, headings as bold rows.
fn group_table(table: &GroupTable) -> String {
    let row = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let mut lines = vec![row(std::iter::once(table_cell(&table.corner))
        .chain(table.groups.iter().map(|g| table_cell(g)))
        .collect())];
    lines.push(row(std::iter::once("---".to_owned())
        .chain(table.groups.iter().map(|_| "---".to_owned()))
        .collect()));
    for r in &table.rows {
        let indent = "&nbsp;&nbsp;".repeat(r.depth);
        let label = if r.is_heading() {
            format!("{indent}**{}**", table_cell(&r.label))
        } else {
            format!("{indent}{}", table_cell(&r.label))
        };
        let cells = (0..table.groups.len()).map(|g| table_cell(r.cells.get(g).map_or("", String::as_str)));
        lines.push(row(std::iter::once(label).chain(cells).collect()));
    }
    lines.join("\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::study::eligibility::split_criteria;

    #[test]
    fn escapes_formatting_characters() {
        assert_eq!(escape("Age >= 18 *and* a_b"), "Age \\>= 18 \\*and\\* a\\_b");
        assert_eq!(escape("plain, text (1)"), "plain, text (1)");
        assert_eq!(table_cell("A | B"), "A \\| B");
    }

    #[test]
    fn links_keep_their_address() {
        assert_eq!(
            link("31234567", "https://pubmed.ncbi.nlm.nih.gov/31234567/"),
            "[31234567](https://pubmed.ncbi.nlm.nih.gov/31234567/)"
        );
        assert_eq!(link("https://a.org/x", "https://a.org/x"), "<https://a.org/x>");
        assert_eq!(link("a_b", "https://a.org/x y"), "a\\_b");
    }

    #[test]
    fn criteria_become_nested_numbered_lists() {
        let criteria = split_criteria(
            "Inclusion Criteria:\n\n* Adults\n* One of:\n\n  * asthma\n  * COPD\n\nExclusion Criteria:\n\n* Pregnancy",
        );
        let text = criteria_lists(&criteria);
        assert_eq!(
            text,
            "### Inclusion criteria\n\n- **I1** Adults\n- **I2** One of:\n  - **I2.a** asthma\n  - **I2.b** COPD\n\n### Exclusion criteria\n\n- **E1** Pregnancy"
        );
    }

    #[test]
    fn registry_text_keeps_its_markup_but_not_trailing_spaces() {
        assert_eq!(raw_text("A \\>= 2  \r\n\r\n* b\r\n"), "A \\>= 2\n\n* b");
    }

    #[test]
    fn indents_inside_list_items_but_not_blank_lines() {
        assert_eq!(indent_lines("a\n\nb", 3), "   a\n\n   b");
    }

    #[test]
    fn markdown_has_a_column_per_group() {
        let text = group_table(&crate::present::groups::tests::table(2));
        assert!(text.starts_with("| Treatment | Group number 0"), "{text}");
        assert!(text.contains("| **Reasons not completed** |  |  |"), "{text}");
        assert!(text.contains("| &nbsp;&nbsp;Adverse Event | 0 | 1 |"), "{text}");
    }
}
