//! The Overview pane: titles, ids, status, design, enrollment, every date with its type,
//! sponsor and contacts, oversight, conditions and interventions with their MeSH terms, arms,
//! summary and description, limitations, data sharing, documents and references.
//!
//! What to show, and what to leave out when a record lacks it, is decided once for `nct show`
//! and the app (`present::overview`); this pane takes the same blocks and lays them out as
//! styled lines. Only
//! the head of the pane is its own, so that the status word can carry its colour and the record
//! dates sit with the other dates. [`Page`] is the layout both this pane and Outcomes use:
//! headings, `label: value` facts wrapped under their value, entries with hanging indents and
//! the registry's markup, every line within the pane's width as unicode-width measures it.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::present::document::{Block, Entries, Fact, GroupTable, Value, value_text};
use crate::present::groups::{self, GroupLine};
use crate::present::references as present_references;
use crate::present::width::{cut_to_width, table_lines};
use crate::present::words::non_blank;
use crate::present::{changes, overview, sharing};
use crate::study::Study;
use crate::study::changes::Change;
use crate::study::date::DateStyle;
use crate::study::enums::phases_label;
use crate::study::markup;
use crate::study::record::ProtocolSection;
use crate::tui::app::SinceLooked;
use crate::tui::theme::Palette;

/// Indentation of what belongs to an unnumbered entry (an arm's interventions).
const ENTRY_INDENT: usize = 2;

/// The pane's lines at `width` columns, dates written in `style`.
pub fn pane_lines(study: &Study, width: u16, theme: &Palette, style: DateStyle) -> Vec<Line<'static>> {
    let no_protocol = ProtocolSection::default();
    let protocol = study.protocol_section.as_ref().unwrap_or(&no_protocol);
    let status = &protocol.status_module;
    let mut page = Page::new(width, theme);
    if let Some(title) = non_blank(&protocol.identification_module.brief_title) {
        page.title(&title);
    }
    page.gap();
    page.fields(&head(study, protocol, theme));
    page.section("Design", &overview::design(&protocol.design_module));
    page.section("Dates", &overview::dates(status, style));
    page.section(
        "Sponsor",
        &overview::sponsor(&protocol.sponsor_collaborators_module, &protocol.contacts_locations_module),
    );
    page.section("Contacts", &overview::contacts(&protocol.contacts_locations_module));
    page.section("Oversight", &overview::oversight(&protocol.oversight_module));
    page.section("Conditions", &overview::conditions(&protocol.conditions_module, study));
    // These come with their own subheadings ("Arms", "Brief summary"), which head them here.
    page.blocks(&overview::arms_and_interventions(&protocol.arms_interventions_module));
    page.blocks(&overview::intervention_terms(study));
    page.blocks(&overview::description(&protocol.description_module));
    let limitations = study
        .results_section
        .as_ref()
        .and_then(|r| non_blank(&r.more_info_module.limitations_and_caveats.description));
    if let Some(text) = limitations {
        page.section("Limitations and caveats", &[Block::Markup(text)]);
    }
    let references = &protocol.references_module;
    page.section("Data sharing", &sharing::data_sharing(&protocol.ipd_sharing_statement_module, references));
    page.section("Documents", &sharing::documents(study, style));
    page.section("References", &present_references::references(references));
    page.finish()
}

/// Ids, status, phases and type: what tells one study from another at a glance.
fn head(study: &Study, protocol: &ProtocolSection, theme: &Palette) -> Vec<Field> {
    let ident = &protocol.identification_module;
    let status = &protocol.status_module;
    let phases = Some(phases_label(study.phases())).filter(|p| !p.is_empty());
    let fields = [
        non_blank(&ident.official_title).map(|t| Field::plain("Official title", t)),
        non_blank(&ident.acronym).map(|a| Field::plain("Acronym", a)),
        non_blank(&ident.nct_id).map(|id| Field::plain("NCT ID", id)),
        non_blank(&ident.org_study_id_info.id).map(|id| Field::plain("Org study ID", id)),
        Some(Field::list("Other IDs", overview::other_ids(ident).collect())),
        overview::overall_status_text(status).map(|text| Field {
            label: "Status",
            values: vec![text],
            style: theme.status(status.overall_status.as_ref()),
            markup: None,
        }),
        non_blank(&status.why_stopped).map(|why| Field::from(&Fact::markup("Why stopped", why))),
        phases.map(|p| Field::plain("Phase", p)),
        protocol.design_module.study_type.as_ref().map(|t| Field::plain("Study type", t.label())),
    ];
    fields.into_iter().flatten().filter(|f| !f.values.is_empty()).collect()
}

/// A `label: value` line (or lines, for several values) as the pane shows it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Field {
    pub label: &'static str,
    pub values: Vec<String>,
    /// The style of the values; the label has the theme's.
    pub style: Style,
    /// Registry text shown as its markup says (paragraphs, line breaks, bullets) beside the
    /// label, in place of `values`.
    pub markup: Option<String>,
}

impl Field {
    pub fn plain(label: &'static str, value: impl Into<String>) -> Field {
        Field { label, values: vec![value.into()], style: Style::new(), markup: None }
    }

    /// One value a line; no values means the field is left out.
    pub fn list(label: &'static str, values: Vec<String>) -> Field {
        Field { label, values, style: Style::new(), markup: None }
    }

    /// A fact whose one value is registry text with more than one paragraph, line or list item
    /// keeps them, rendered as free text is elsewhere; any other fact is as `From` gives it.
    pub fn structured(fact: &Fact) -> Field {
        let mut field = Field::from(fact);
        if let [Value::Markup(raw)] = fact.values.as_slice() {
            let blocks = markup::parse(raw);
            let shaped = blocks.len() > 1
                || blocks.iter().any(|b| match b {
                    markup::Block::Paragraph(text) => text.contains('\n'),
                    markup::Block::Item { .. } => true,
                });
            if shaped {
                field.markup = Some(raw.clone());
            }
        }
        field
    }
}

impl From<&Fact> for Field {
    fn from(fact: &Fact) -> Field {
        Field::list(fact.label, fact.values.iter().map(value_text).collect())
    }
}

/// The user's note on the study, for the top of the Overview: a heading, the text as written
/// (its line breaks kept, long lines wrapped), and a blank line before the record.
pub fn note_lines(note: &str, width: u16, theme: &Palette) -> Vec<Line<'static>> {
    let mut page = Page::new(width, theme);
    page.lines.push(Line::styled("Your note", theme.heading()));
    for line in note.trim_end().lines() {
        if line.trim().is_empty() {
            page.lines.push(Line::default());
        } else {
            page.note(line, theme.key());
        }
    }
    page.lines.push(Line::default());
    page.lines
}

/// "Changed since you last looked (DAY):" and a line per change, first in the Overview of a
/// bookmarked study whose record changed since it was last viewed.
pub fn since_lines(since: &SinceLooked, width: u16, theme: &Palette) -> Vec<Line<'static>> {
    let day = since.day.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
    change_lines(&format!("Changed since you last looked{day}:"), &since.changes, width, theme)
}

/// A heading and a line per change, first in the Overview.
pub fn change_lines(heading: &str, changes: &[Change], width: u16, theme: &Palette) -> Vec<Line<'static>> {
    let mut page = Page::new(width, theme);
    page.lines.push(Line::styled(heading.to_owned(), theme.heading()));
    for change in changes {
        page.note(&format!("- {}", changes::line(change, changes::Marks::Plain)), theme.key());
    }
    page.lines.push(Line::default());
    page.lines
}

/// A pane's lines as they are laid out, one part after another, with a blank line between
/// parts and never a heading without something under it.
pub(super) struct Page<'t> {
    width: usize,
    theme: &'t Palette,
    lines: Vec<Line<'static>>,
    /// The first group column results tables show (the Outcomes pane scrolls them sideways).
    pub first_group: usize,
    /// Whether facts keep the paragraphs and lists of their registry text (the results do).
    pub structured_facts: bool,
}

impl<'t> Page<'t> {
    pub fn new(width: u16, theme: &'t Palette) -> Page<'t> {
        Page {
            width: usize::from(width).max(markup::MIN_WIDTH),
            theme,
            lines: Vec::new(),
            first_group: 0,
            structured_facts: false,
        }
    }

    pub fn finish(mut self) -> Vec<Line<'static>> {
        while self.lines.last().is_some_and(|line| line.width() == 0) {
            self.lines.pop();
        }
        self.lines
    }

    /// A blank line, unless the page is empty or already ends in one.
    pub fn gap(&mut self) {
        if self.lines.last().is_some_and(|line| line.width() > 0) {
            self.lines.push(Line::default());
        }
    }

    /// The study's title, bold and wrapped.
    pub fn title(&mut self, text: &str) {
        let style = self.theme.bold();
        let lines = markup::hanging(text, "", 0, self.width);
        self.lines.extend(lines.into_iter().map(|line| Line::styled(line, style)));
    }

    /// A heading on one line; callers only head something that follows.
    pub fn heading(&mut self, text: &str) {
        self.gap();
        self.lines.push(Line::styled(cut_to_width(text, self.width), self.theme.heading()));
    }

    /// A headed section; nothing at all when it has no blocks.
    pub fn section(&mut self, heading: &str, blocks: &[Block]) {
        if !blocks.is_empty() {
            self.heading(heading);
            self.blocks(blocks);
        }
    }

    /// Blocks one after another, with a blank line between them. A subheading is a heading
    /// here: panes are short enough that one level of heading reads best.
    pub fn blocks(&mut self, blocks: &[Block]) {
        // What comes first sits right under whatever heads it.
        let mut after_heading = true;
        for block in blocks {
            if !after_heading {
                self.gap();
            }
            after_heading = matches!(block, Block::Subheading(_));
            match block {
                Block::Subheading(text) => self.heading(text),
                Block::Facts(facts) => {
                    let structured = self.structured_facts;
                    let fields: Vec<Field> = facts
                        .iter()
                        .map(|f| if structured { Field::structured(f) } else { Field::from(f) })
                        .collect();
                    self.fields(&fields);
                }
                Block::Note(note) => self.note(note, Style::new()),
                Block::Markup(raw) => self.plain(markup::render(raw, self.width)),
                Block::Entries(entries) => self.entries(entries),
                Block::Criteria(criteria) => {
                    self.plain(crate::present::criteria::text_lines(criteria, self.width))
                }
                Block::Table(table) => self.plain(table_lines(table, self.width)),
                Block::Groups(table) => self.groups(table),
            }
        }
    }

    /// A sentence of our own, wrapped.
    pub fn note(&mut self, text: &str, style: Style) {
        let lines = markup::hanging(text, "", 0, self.width);
        self.lines.extend(lines.into_iter().map(|line| Line::styled(line, style)));
    }

    pub fn fields(&mut self, fields: &[Field]) {
        let lines = field_lines(fields, self.width, self.theme);
        self.lines.extend(lines);
    }

    /// Arms, interventions or outcome measures: a bold title (numbered or not), with its facts
    /// and description indented under it.
    pub fn entries(&mut self, entries: &Entries) {
        let count = entries.items.len();
        let marker_width = if entries.numbered { format!("{count}.").len() } else { 0 };
        let spaced = entries.items.iter().any(|e| e.description.is_some());
        for (i, entry) in entries.items.iter().enumerate() {
            if i > 0 && spaced {
                self.lines.push(Line::default());
            }
            let (marker, indent) = if entries.numbered {
                (format!("{:>marker_width$}", format!("{}.", i + 1)), marker_width + 1)
            } else {
                (String::new(), ENTRY_INDENT)
            };
            let bold = self.theme.bold();
            let title = markup::hanging(&entry.title, &marker, 0, self.width);
            self.lines.extend(title.into_iter().map(|line| Line::styled(line, bold)));
            let inner = self.width.saturating_sub(indent).max(markup::MIN_WIDTH);
            let fields: Vec<Field> = entry.facts.iter().map(Field::from).collect();
            let mut body = field_lines(&fields, inner, self.theme);
            if let Some(description) = &entry.description {
                body.extend(markup::render(description, inner).into_iter().map(Line::raw));
            }
            self.lines.extend(body.into_iter().map(|line| indented(line, indent)));
        }
    }

    /// A results table from the page's first group column on, its header and headings set off.
    pub fn groups(&mut self, table: &GroupTable) {
        let laid = groups::layout(table, self.width, self.first_group);
        for (kind, text) in laid.lines {
            let style = match kind {
                GroupLine::Header => self.theme.label(),
                GroupLine::Rule | GroupLine::Legend => self.theme.dim(),
                GroupLine::Heading => self.theme.bold(),
                GroupLine::Values => Style::new(),
            };
            self.lines.push(Line::styled(text, style));
        }
    }

    /// The number of lines so far.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// A line as it is: a caller's own kind of line (a fold's header).
    pub fn push(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    fn plain(&mut self, lines: Vec<String>) {
        self.lines.extend(lines.into_iter().map(Line::raw));
    }
}

/// `label: value` lines with the values of a group starting in one column (within the left
/// half of the line, so that a long label on a narrow pane leaves the value room), each value
/// wrapping under itself and further values of a field one a line below the first.
fn field_lines(fields: &[Field], width: usize, theme: &Palette) -> Vec<Line<'static>> {
    let label_width = fields.iter().map(|f| f.label.width() + 1).max().unwrap_or(0);
    let label_width = label_width.min((width / 2).saturating_sub(1));
    let blank = " ".repeat(label_width);
    let mut lines = Vec::new();
    for field in fields {
        let label = format!("{}:", field.label);
        let marker = format!("{label:<label_width$}");
        if let Some(raw) = &field.markup {
            // The text starts a space after the labels, as `hanging` puts the values.
            let text = markup::render(raw, width.saturating_sub(label_width + 1).max(markup::MIN_WIDTH));
            for (n, line) in text.into_iter().enumerate() {
                let mut spans = match n {
                    0 => vec![Span::styled(format!("{marker} "), theme.label())],
                    _ if line.is_empty() => Vec::new(),
                    _ => vec![Span::raw(format!("{blank} "))],
                };
                spans.push(Span::styled(line, field.style));
                lines.push(Line::from(spans));
            }
            continue;
        }
        for (i, value) in field.values.iter().enumerate() {
            let first_marker = if i == 0 { &marker } else { &blank };
            for (n, line) in markup::hanging(value, first_marker, 0, width).into_iter().enumerate() {
                let labelled = if i == 0 && n == 0 { line.strip_prefix(&label) } else { None };
                lines.push(match labelled {
                    Some(rest) => Line::from(vec![
                        Span::styled(label.clone(), theme.label()),
                        Span::styled(rest.to_owned(), field.style),
                    ]),
                    None => Line::styled(line, field.style),
                });
            }
        }
    }
    lines
}

/// `line` moved right by `indent` columns; a blank line stays empty.
fn indented(mut line: Line<'static>, indent: usize) -> Line<'static> {
    if line.width() > 0 {
        line.spans.insert(0, Span::raw(" ".repeat(indent)));
    }
    line
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
pub(super) mod tests {
    use unicode_width::UnicodeWidthChar;

    use super::*;

    pub(crate) use crate::tui::panes::bundled_study as study;

    pub fn text(lines: &[Line]) -> String {
        let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
        lines.join("\n")
    }

    /// What every pane document must hold to: lines within the width, no "None", no heading
    /// without something under it, no blank line at either end or two in a row.
    pub fn check_layout(lines: &[Line], width: u16, theme: &Palette) {
        let is_heading = |line: &Line| line.style == theme.heading();
        assert!(!lines.is_empty());
        for (i, line) in lines.iter().enumerate() {
            let shown = line.to_string();
            assert!(line.width() <= usize::from(width), "line {i} wider than {width}: {shown:?}");
            assert_eq!(line.width(), shown.width(), "{shown:?}");
            assert!(!shown.contains("None"), "line {i}: {shown:?}");
            assert!(!shown.ends_with(' '), "trailing space on line {i}: {shown:?}");
            if is_heading(line) {
                assert!(i + 1 < lines.len(), "a heading at the end: {shown:?}");
                let next = &lines[i + 1];
                assert!(next.width() > 0 && !is_heading(next), "heading {shown:?} heads nothing");
            }
            if line.width() == 0 {
                assert!(i > 0 && i + 1 < lines.len(), "blank line at an end");
                assert!(lines[i + 1].width() > 0, "two blank lines at {i}");
            }
        }
    }

    fn overview(id: &str, width: u16) -> (Vec<Line<'static>>, String) {
        let theme = Palette::dark();
        let lines = pane_lines(&study(id), width, &theme, DateStyle::Iso);
        check_layout(&lines, width, &theme);
        let text = text(&lines);
        (lines, text)
    }

    const ASSETS: [&str; 5] = ["NCT05183427", "NCT02210479", "NCT04120381", "NCT03505528", "NCT03318094"];

    #[test]
    fn every_line_fits_at_every_width() {
        for id in ASSETS {
            for width in [40, 80, 118] {
                let (_, text) = overview(id, width);
                assert!(text.contains(id), "{id} at {width}");
            }
        }
    }

    #[test]
    fn a_large_study_shows_its_facts() {
        let (lines, text) = overview("NCT05183427", 80);
        let theme = Palette::dark();
        for heading in ["Design", "Dates", "Sponsor", "Conditions", "Arms", "Brief summary"] {
            assert!(
                lines.iter().any(|l| l.style == theme.heading() && l.to_string() == heading),
                "no heading {heading}"
            );
        }
        for fact in
            ["Status:", "Recruiting", "Phase:", "Study type:", "Enrollment:", "Start:", "First posted:"]
        {
            assert!(text.contains(fact), "no {fact:?} in\n{text}");
        }
        let status = lines.iter().find(|l| l.to_string().starts_with("Status:")).unwrap();
        assert_eq!(status.spans[0].style, theme.label());
        assert_eq!(status.spans[1].style, theme.status(Some(&crate::study::enums::Status::Recruiting)));
    }

    #[test]
    fn an_unknown_status_says_what_it_was() {
        let (_, text) = overview("NCT02210479", 118);
        assert!(text.contains("Unknown status (was recruiting)"), "{text}");
    }

    #[test]
    fn wide_characters_wrap_by_display_width() {
        let (lines, _) = overview("NCT02210479", 40);
        let wide = |line: &Line| line.to_string().chars().any(|c| c.width() == Some(2));
        assert!(lines.iter().any(wide));
    }

    #[test]
    fn a_withdrawn_study_says_why() {
        let (_, text) = overview("NCT04120381", 80);
        assert!(text.contains("Withdrawn"), "{text}");
        assert!(text.contains("Why stopped:"), "{text}");
    }

    #[test]
    fn missing_modules_leave_no_empty_headings() {
        let (_, text) = overview("NCT03505528", 40);
        assert!(text.contains("NCT03505528"), "{text}");
    }

    #[test]
    fn values_wrap_under_themselves() {
        let theme = Palette::mono();
        let fields = [Field::plain("Start", "2020"), Field::plain("Primary completion", "word ".repeat(12))];
        let lines: Vec<String> = field_lines(&fields, 40, &theme).iter().map(ToString::to_string).collect();
        assert_eq!(lines[0], "Start:              2020");
        assert!(lines[1].starts_with("Primary completion: word"));
        assert!(lines[2].starts_with("                    word"), "{lines:?}");
        assert!(lines.iter().all(|l| l.width() <= 40));
    }

    #[test]
    fn dates_are_written_in_the_chosen_style() {
        let study = study("NCT04120381");
        let iso = text(&pane_lines(&study, 80, &Palette::mono(), DateStyle::Iso));
        assert!(iso.contains("2020-03 (estimated)") && iso.contains("2019-10-09"), "{iso}");
        let eu = text(&pane_lines(&study, 80, &Palette::mono(), DateStyle::Eu));
        assert!(eu.contains("03.2020 (estimated)") && eu.contains("09.10.2019"), "{eu}");
        assert!(!eu.contains("2020-03") && !eu.contains("2019-10"), "{eu}");
    }

    #[test]
    fn a_bare_record_shows_what_it_has() {
        let study: Study = serde_json::from_str(
            r#"{"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}"#,
        )
        .unwrap();
        let lines = pane_lines(&study, 80, &Palette::mono(), DateStyle::Iso);
        assert_eq!(text(&lines), "NCT ID: NCT00000001");
    }
}
