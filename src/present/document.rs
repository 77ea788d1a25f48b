//! A study as people read it, before it is laid out: sections of facts, notes, registry text,
//! entries and tables. "Document" in this project means this.
//!
//! `nct show` writes a whole [`Document`] as text or markdown, and the app's panes style the
//! blocks they show; both show the same things in the same order, only the layout differs.
//! Deciding what to show (and leaving out what a record lacks) happens once, in the builders
//! beside this module (`study`, `overview`, `eligibility`, `outcomes`, `results`, `sites`,
//! `sharing`, `references`), and every form only lays out this model. An empty part never
//! reaches the model, so no form can print an empty heading. A link is a value of its own, so
//! that each form can make it one (a hyperlink on a terminal, `[label](url)` in markdown).

use crate::present::safe_text::{visible, visible_line};
use crate::study::eligibility::Criteria;
use crate::study::markup;

/// One study, ready to lay out.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: String,
    pub title: Option<String>,
    /// The facts under the title (other titles, ids, status, record dates).
    pub header: Vec<Block>,
    pub sections: Vec<Section>,
}

/// A headed part of the study; never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub heading: &'static str,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `label: value` lines, aligned together.
    Facts(Vec<Fact>),
    /// A sentence of our own ("3 sites in 2 countries").
    Note(String),
    /// Free text as the registry wrote it (its markdown dialect).
    Markup(String),
    /// A minor heading inside a section ("Primary outcomes").
    Subheading(String),
    /// Arms, interventions, outcomes, references.
    Entries(Entries),
    /// Eligibility criteria split into inclusion and exclusion.
    Criteria(Criteria),
    Table(Table),
    /// Results: one column per group (arm), one row per milestone, class or category.
    Groups(GroupTable),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub label: &'static str,
    /// One or more values; several are shown one a line.
    pub values: Vec<Value>,
}

/// A value is plain text (a name, a date), registry markup (escapes, emphasis), which the
/// text form unescapes and the markdown form keeps, or a link: its label is what is read, and
/// the forms that can (a terminal, markdown) make it open `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Plain(String),
    Markup(String),
    Link { label: String, url: String },
}

/// A list of things with a title each, and optional facts and description.
#[derive(Debug, Clone, PartialEq)]
pub struct Entries {
    pub numbered: bool,
    pub items: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub title: String,
    pub facts: Vec<Fact>,
    /// Registry markup.
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// A results table: the groups as columns (their titles, not the registry's `OG000`), and
/// rows that are either values per group or headings over the rows that follow (a class, an
/// organ system).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTable {
    /// What the rows are, over the row labels ("Treatment (5 Days)", "Serious adverse events").
    pub corner: String,
    pub groups: Vec<String>,
    pub rows: Vec<GroupRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub label: String,
    /// Nesting under the headings above it: 0 at the top.
    pub depth: usize,
    /// One cell per group (empty where the record has nothing); no cells makes a heading row.
    pub cells: Vec<String>,
}

impl GroupRow {
    pub fn values(label: impl Into<String>, depth: usize, cells: Vec<String>) -> GroupRow {
        GroupRow { label: label.into(), depth, cells }
    }

    pub fn heading(label: impl Into<String>, depth: usize) -> GroupRow {
        GroupRow { label: label.into(), depth, cells: Vec::new() }
    }

    pub fn is_heading(&self) -> bool {
        self.cells.is_empty()
    }
}

impl Fact {
    pub fn plain(label: &'static str, value: impl Into<String>) -> Fact {
        Fact { label, values: vec![Value::Plain(value.into())] }
    }

    pub fn markup(label: &'static str, value: impl Into<String>) -> Fact {
        Fact { label, values: vec![Value::Markup(value.into())] }
    }

    /// A link whose label is the address itself, so that a form without links loses nothing.
    pub fn url(label: &'static str, url: impl Into<String>) -> Fact {
        let url = url.into();
        Fact { label, values: vec![Value::Link { label: url.clone(), url }] }
    }

    /// A fact with one value per line; `None` when there are no values, so it is left out.
    pub fn list(label: &'static str, values: impl IntoIterator<Item = String>) -> Option<Fact> {
        let values: Vec<Value> = values.into_iter().map(Value::Plain).collect();
        (!values.is_empty()).then_some(Fact { label, values })
    }
}

/// Facts as one block, or nothing when none of them is known.
pub fn facts_block(facts: impl IntoIterator<Item = Option<Fact>>) -> Option<Block> {
    let facts: Vec<Fact> = facts.into_iter().flatten().collect();
    (!facts.is_empty()).then_some(Block::Facts(facts))
}

/// A value as one run of text: markup loses its escapes and line breaks.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Plain(text) => text.clone(),
        Value::Markup(raw) => markup::unescape(raw).split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Link { label, .. } => label.clone(),
    }
}

impl Document {
    /// Every link the document holds, as (label, address), in order: the text form makes each
    /// label it prints whole on a line a hyperlink on a terminal.
    pub fn links(&self) -> Vec<(&str, &str)> {
        let facts =
            self.header.iter().chain(self.sections.iter().flat_map(|s| &s.blocks)).flat_map(|block| {
                let facts: Vec<&Fact> = match block {
                    Block::Facts(facts) => facts.iter().collect(),
                    Block::Entries(entries) => entries.items.iter().flat_map(|e| &e.facts).collect(),
                    _ => Vec::new(),
                };
                facts
            });
        facts
            .flat_map(|fact| &fact.values)
            .filter_map(|value| match value {
                Value::Link { label, url } => Some((label.as_str(), url.as_str())),
                _ => None,
            })
            .collect()
    }
}

impl Table {
    /// Drops the columns no row fills (no site gives a state, say), so neither form shows an
    /// empty column.
    pub fn without_empty_columns(self) -> Table {
        let keep: Vec<bool> = (0..self.header.len())
            .map(|column| self.rows.iter().any(|row| row.get(column).is_some_and(|cell| !cell.is_empty())))
            .collect();
        let filter = |cells: Vec<String>| -> Vec<String> {
            cells.into_iter().zip(&keep).filter(|(_, keep)| **keep).map(|(cell, _)| cell).collect()
        };
        let header = self.header.into_iter().zip(&keep).filter(|(_, keep)| **keep).map(|(h, _)| h).collect();
        Table { header, rows: self.rows.into_iter().map(filter).collect() }
    }
}

impl Document {
    /// The document with every character a terminal must not be sent shown instead (see
    /// `present::safe_text`), before it is laid out, so that widths are measured on what will
    /// be printed. One-line texts (titles, names, cells) lose their line breaks too; registry
    /// text and criteria keep theirs. Every part is matched in full: a new kind of block does
    /// not compile until it is made visible here.
    pub fn visible(self) -> Document {
        Document {
            id: line(self.id),
            title: self.title.map(line),
            header: self.header.into_iter().map(Block::visible).collect(),
            sections: self
                .sections
                .into_iter()
                .map(|Section { heading, blocks }| Section {
                    heading,
                    blocks: blocks.into_iter().map(Block::visible).collect(),
                })
                .collect(),
        }
    }
}

impl Block {
    fn visible(self) -> Block {
        match self {
            Block::Facts(facts) => Block::Facts(facts.into_iter().map(Fact::visible).collect()),
            Block::Note(note) => Block::Note(line(note)),
            Block::Markup(raw) => Block::Markup(text(raw)),
            Block::Subheading(heading) => Block::Subheading(line(heading)),
            Block::Entries(Entries { numbered, items }) => Block::Entries(Entries {
                numbered,
                items: items
                    .into_iter()
                    .map(|Entry { title, facts, description }| Entry {
                        title: line(title),
                        facts: facts.into_iter().map(Fact::visible).collect(),
                        description: description.map(text),
                    })
                    .collect(),
            }),
            // Split from text already shown safe (see `eligibility`), so every word of it is safe.
            Block::Criteria(criteria) => Block::Criteria(criteria),
            Block::Table(Table { header, rows }) => Block::Table(Table {
                header,
                rows: rows.into_iter().map(|row| row.into_iter().map(line).collect()).collect(),
            }),
            Block::Groups(GroupTable { corner, groups, rows }) => Block::Groups(GroupTable {
                corner: line(corner),
                groups: groups.into_iter().map(line).collect(),
                rows: rows
                    .into_iter()
                    .map(|GroupRow { label, depth, cells }| GroupRow {
                        label: line(label),
                        depth,
                        cells: cells.into_iter().map(line).collect(),
                    })
                    .collect(),
            }),
        }
    }
}

impl Fact {
    fn visible(self) -> Fact {
        let values = self
            .values
            .into_iter()
            .map(|value| match value {
                Value::Plain(plain) => Value::Plain(line(plain)),
                Value::Markup(raw) => Value::Markup(text(raw)),
                Value::Link { label, url } => Value::Link { label: line(label), url: line(url) },
            })
            .collect();
        Fact { label: self.label, values }
    }
}

/// Text that keeps its line breaks, shown safe; not copied when already safe.
fn text(raw: String) -> String {
    match visible(&raw) {
        std::borrow::Cow::Borrowed(_) => raw,
        std::borrow::Cow::Owned(shown) => shown,
    }
}

/// Text for one line, shown safe; not copied when already safe.
fn line(raw: String) -> String {
    match visible_line(&raw) {
        std::borrow::Cow::Borrowed(_) => raw,
        std::borrow::Cow::Owned(shown) => shown,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_fact_without_values_is_left_out() {
        assert_eq!(Fact::list("Keywords", Vec::new()), None);
        assert_eq!(Fact::list("Keywords", vec!["a".to_owned()]).unwrap().values, [Value::Plain("a".into())]);
    }

    #[test]
    fn empty_columns_are_dropped() {
        let table = Table {
            header: vec!["Facility", "State", "Country"],
            rows: vec![vec!["A".into(), String::new(), "France".into()], vec!["B".into(), String::new()]],
        };
        let table = table.without_empty_columns();
        assert_eq!(table.header, ["Facility", "Country"]);
        assert_eq!(table.rows[0], ["A", "France"]);
        assert_eq!(table.rows[1], ["B"]);
    }
}
