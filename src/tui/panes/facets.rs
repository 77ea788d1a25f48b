//! The facets panel (`F`): how many of the listed studies have each status, phase, country,
//! sponsor…, counted by `catalog::facets` over the list's current result set, with the start
//! years as a small bar chart. Enter on a value adds its filter to the query and runs it; Enter on
//! a value the query already filters on takes it out again.
//!
//! The panel owns its state (the counts, laid out as rows, and the cursor), its keys and its
//! drawing. `update` computes the counts when the panel opens and after each drill-down; drawing
//! only reads the rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::catalog::columns::Columns;
use crate::catalog::facets::{self, Facet, FacetCounts, FacetValue};
use crate::present::width::cut_to_width;
use crate::present::words::thousands;
use crate::tui::action::Command;
use crate::tui::theme::Palette;

/// Values listed per facet, the most frequent first; the rest are counted.
const TOP: usize = 8;

/// Start years charted: the latest ones, in year order.
const YEARS: usize = 12;

/// The widest bar of the start-year chart.
const BAR: usize = 20;

/// One row of the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Heading(Facet),
    Value {
        facet: Facet,
        value: FacetValue,
        count: usize,
    },
    /// How many values of the facet are not listed.
    More {
        facet: Facet,
        left: usize,
    },
    Blank,
}

/// The panel while it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetsPanel {
    pub total: usize,
    pub rows: Vec<Row>,
    /// The row the cursor is on: always a value row when there is one.
    pub cursor: usize,
    pub scroll: usize,
}

/// What a key in the panel asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Nothing,
    Close,
    Quit,
    /// Add this filter to the query, or take it out when the query has it.
    Toggle(String),
    /// The value's facet has no filter in the query language.
    NoFilter(Facet),
}

impl FacetsPanel {
    /// The counts over the studies at `places`, the cursor on the first value.
    pub fn new(columns: &Columns, places: &[usize]) -> FacetsPanel {
        let counts = facets::count(columns, places, &Facet::ALL);
        let rows = rows(&counts);
        let cursor = rows.iter().position(is_value).unwrap_or(0);
        FacetsPanel { total: counts.total, rows, cursor, scroll: 0 }
    }

    /// Counted again over new places, the cursor kept on the same value when it is still there.
    pub fn recount(&mut self, columns: &Columns, places: &[usize]) {
        let was = self.rows.get(self.cursor).cloned();
        let scroll = self.scroll;
        *self = FacetsPanel::new(columns, places);
        if let Some(Row::Value { facet, value, .. }) = was
            && let Some(at) = self.rows.iter().position(
                |row| matches!(row, Row::Value { facet: f, value: v, .. } if *f == facet && *v == value),
            )
        {
            self.cursor = at;
            self.scroll = scroll;
        }
    }

    /// The filter of the value under the cursor, if it has one.
    fn selected_term(&self) -> Outcome {
        match self.rows.get(self.cursor) {
            Some(Row::Value { facet, value, .. }) => match facet.query_term(value) {
                Some(term) => Outcome::Toggle(term),
                None => Outcome::NoFilter(*facet),
            },
            _ => Outcome::Nothing,
        }
    }

    /// The panel's keys: up and down over the values, Tab and Shift-Tab to the next or
    /// previous facet, Enter to add or remove the value's filter, Esc or `F` to close.
    pub fn on_command(&mut self, command: Command, page: usize) -> Outcome {
        match command {
            Command::Quit => return Outcome::Quit,
            Command::Back | Command::ClearSearch | Command::ToggleFacets => return Outcome::Close,
            Command::Open | Command::Submit | Command::FocusDetail => return self.selected_term(),
            Command::Down => self.move_by(1),
            Command::Up => self.move_by(-1),
            Command::PageDown | Command::HalfPageDown => self.move_by(page as isize),
            Command::PageUp | Command::HalfPageUp => self.move_by(-(page as isize)),
            Command::Top => self.cursor = self.rows.iter().position(is_value).unwrap_or(0),
            Command::Bottom => self.cursor = self.rows.iter().rposition(is_value).unwrap_or(0),
            Command::NextPane => self.next_facet(true),
            Command::PrevPane => self.next_facet(false),
            _ => {}
        }
        self.follow(page);
        Outcome::Nothing
    }

    /// Scrolls so that the cursor's row, and its facet's heading above it, are in a page of
    /// `page` rows.
    fn follow(&mut self, page: usize) {
        let top = self.cursor.saturating_sub(1);
        if top < self.scroll {
            self.scroll = top;
        } else if page > 0 && self.cursor >= self.scroll + page {
            self.scroll = self.cursor + 1 - page;
        }
    }

    /// Moves the cursor `by` value rows.
    fn move_by(&mut self, by: isize) {
        let values: Vec<usize> =
            self.rows.iter().enumerate().filter(|(_, r)| is_value(r)).map(|(i, _)| i).collect();
        let Some(now) = values.iter().position(|&i| i == self.cursor) else { return };
        let to = now.saturating_add_signed(by).min(values.len().saturating_sub(1));
        self.cursor = values.get(to).copied().unwrap_or(self.cursor);
    }

    /// The first value of the next (or previous) facet that has values.
    fn next_facet(&mut self, forward: bool) {
        let facet_of = |row: &Row| match row {
            Row::Value { facet, .. } => Some(*facet),
            _ => None,
        };
        let Some(current) = self.rows.get(self.cursor).and_then(facet_of) else { return };
        let firsts: Vec<usize> = self
            .rows
            .iter()
            .enumerate()
            .filter(|(i, row)| {
                facet_of(row).is_some()
                    && (*i == 0 || self.rows.get(i - 1).and_then(facet_of) != facet_of(row))
            })
            .map(|(i, _)| i)
            .collect();
        let at =
            firsts.iter().position(|&i| self.rows.get(i).and_then(facet_of) == Some(current)).unwrap_or(0);
        let to = if forward {
            (at + 1) % firsts.len().max(1)
        } else {
            (at + firsts.len() - 1) % firsts.len().max(1)
        };
        self.cursor = firsts.get(to).copied().unwrap_or(self.cursor);
    }
}

fn is_value(row: &Row) -> bool {
    matches!(row, Row::Value { .. })
}

/// The counts as rows: per facet a heading, its most frequent values (the start years in year
/// order, the latest), and how many more.
fn rows(counts: &FacetCounts) -> Vec<Row> {
    let mut rows = Vec::new();
    for (facet, values) in &counts.facets {
        if values.is_empty() {
            continue;
        }
        if !rows.is_empty() {
            rows.push(Row::Blank);
        }
        rows.push(Row::Heading(*facet));
        let (mut shown, limit) = if *facet == Facet::StartYear {
            let mut years = values.clone();
            years.sort_by(|a, b| b.value.cmp(&a.value));
            years.truncate(YEARS);
            years.reverse();
            (years, YEARS)
        } else {
            (values.iter().take(TOP).cloned().collect(), TOP)
        };
        let left = values.len().saturating_sub(limit);
        rows.extend(shown.drain(..).map(|v| Row::Value { facet: *facet, value: v.value, count: v.count }));
        if left > 0 {
            rows.push(Row::More { facet: *facet, left });
        }
    }
    rows
}

/// Whether `query` holds `term` as a whole word (any case): the value is filtered on.
pub fn has_term(query: &str, term: &str) -> bool {
    find_term(query, term).is_some()
}

/// Where `term` stands alone in `query`, in bytes.
fn find_term(query: &str, term: &str) -> Option<std::ops::Range<usize>> {
    let lower = query.to_lowercase();
    // Lower-casing may change lengths outside ASCII: then only an exact match is looked for.
    let haystack = if lower.len() == query.len() { lower.as_str() } else { query };
    let mut from = 0;
    while let Some(at) = haystack.get(from..).and_then(|rest| rest.find(term)) {
        let start = from + at;
        let end = start + term.len();
        let before = haystack.get(..start).and_then(|b| b.chars().next_back());
        let after = haystack.get(end..).and_then(|a| a.chars().next());
        let alone = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c == '(' || c == ')');
        if alone(before) && alone(after) {
            return Some(start..end);
        }
        from = end;
    }
    None
}

/// `query` with `term` added at the end, or taken out when it is there.
pub fn toggled(query: &str, term: &str) -> String {
    match find_term(query, term) {
        Some(range) => {
            let mut text = String::new();
            text.push_str(query.get(..range.start).unwrap_or_default());
            text.push(' ');
            text.push_str(query.get(range.end..).unwrap_or_default());
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        None if query.trim().is_empty() => term.to_string(),
        None => format!("{} {term}", query.trim()),
    }
}

/// A box over most of the screen.
fn panel_area(area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).min(72);
    let height = area.height.saturating_sub(2);
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// The rows the panel shows at once, for paging.
pub fn page(area: Rect) -> usize {
    usize::from(panel_area(area).height.saturating_sub(2)).max(1)
}

/// Draws the panel over `area`; `query` is the list's, to mark the values it filters on.
pub fn draw(frame: &mut Frame, area: Rect, panel: &FacetsPanel, query: &str, theme: &Palette) {
    let rect = panel_area(area);
    frame.render_widget(Clear, rect);
    let title = format!(
        " Facets of {} · Enter adds or removes · Tab next · Esc closes ",
        crate::present::words::plural(panel.total, "study", "studies")
    );
    let block = Block::default().borders(Borders::ALL).border_style(theme.border(true)).title(title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    // The cursor's row stays in sight.
    let mut scroll = panel.scroll.min(panel.rows.len().saturating_sub(1));
    if panel.cursor < scroll {
        scroll = panel.cursor;
    } else if height > 0 && panel.cursor >= scroll + height {
        scroll = panel.cursor + 1 - height;
    }
    let most_years = panel
        .rows
        .iter()
        .filter_map(|row| match row {
            Row::Value { facet: Facet::StartYear, count, .. } => Some(*count),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    let count_width = panel
        .rows
        .iter()
        .filter_map(|row| match row {
            Row::Value { count, .. } => Some(thousands(*count).len()),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    let lines: Vec<Line> = panel
        .rows
        .iter()
        .enumerate()
        .skip(scroll)
        .take(height)
        .map(|(at, row)| {
            let line = row_line(row, at == panel.cursor, query, width, count_width, most_years, theme);
            if at == panel.cursor {
                let fill = width.saturating_sub(line.width());
                let mut spans = line.spans;
                spans.push(Span::raw(" ".repeat(fill)));
                Line::from(spans).style(theme.selected(true))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn row_line(
    row: &Row,
    cursor: bool,
    query: &str,
    width: usize,
    count_width: usize,
    most_years: usize,
    theme: &Palette,
) -> Line<'static> {
    match row {
        Row::Blank => Line::raw(""),
        Row::Heading(facet) => Line::styled(facet.heading().to_string(), theme.heading()),
        Row::More { left, .. } => {
            Line::styled(format!("     … and {} more (nct facets lists all)", thousands(*left)), theme.dim())
        }
        Row::Value { facet, value, count } => {
            let active = facet.query_term(value).is_some_and(|term| has_term(query, &term));
            // The cursor and the filters in the query are marked in text too (no colour needed).
            let mark = format!("{}{} ", if cursor { '›' } else { ' ' }, if active { '✓' } else { ' ' });
            let studies = *count;
            let count = format!("{:>count_width$}", thousands(studies));
            if *facet == Facet::StartYear {
                let bar = (studies * BAR).div_ceil(most_years.max(1)).max(1);
                return Line::from(vec![
                    Span::styled(mark.clone(), theme.key()),
                    Span::raw(format!("{value}  {count} ")),
                    Span::styled("█".repeat(bar), theme.key()),
                ]);
            }
            let room = width.saturating_sub(3 + 2 + count_width + 1);
            let label = cut_to_width(&facet.label(value), room);
            let pad = " ".repeat(room.saturating_sub(label.width()));
            Line::from(vec![
                Span::styled(mark.clone(), theme.key()),
                Span::raw(format!("{label}{pad}  {count}")),
            ])
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_added_and_taken_out_whole() {
        assert_eq!(toggled("", "status:recruiting"), "status:recruiting");
        assert_eq!(toggled("asthma", "phase:2"), "asthma phase:2");
        assert_eq!(toggled("asthma phase:2 status:completed", "phase:2"), "asthma status:completed");
        assert_eq!(toggled("Phase:2", "phase:2"), "");
        // phase:2 is not phase:2/3's start.
        assert_eq!(toggled("phase:2/3", "phase:2"), "phase:2/3 phase:2");
        assert!(has_term("x country:\"united states\"", "country:\"united states\""));
        assert!(!has_term("x sponsor:pfizer-inc", "sponsor:pfizer"));
    }
}
