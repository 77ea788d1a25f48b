//! The Record pane (`5`): every field of the record as the registry holds it, as a tree folded
//! by module (see `present::record`), with a cursor on the field whose JSON path `y` copies.
//! The record's JSON is read on demand (an effect), the first time the pane is shown.

use std::collections::BTreeSet;

use ratatui::text::{Line, Span};

use crate::present::record::{self, RecordRow};
use crate::tui::theme::Palette;

/// The tree's rows and what the reader did to them.
#[derive(Debug, Clone, Default)]
pub struct RecordState {
    /// The record's JSON as rows, or why it could not be read; `None` until asked for.
    pub rows: Option<Result<Vec<RecordRow>, String>>,
    /// The record has been asked for (an effect is under way).
    pub asked: bool,
    /// Containers whose fold the reader changed, by path: sections start open, all else folded.
    pub toggled: BTreeSet<String>,
    /// The containers the find opened for the text typed (folded again when the text changes).
    pub revealed: BTreeSet<String>,
    /// The line the cursor is on.
    pub cursor: usize,
    /// The row each line of the pane's document shows (by index into `rows`).
    pub line_rows: Vec<usize>,
}

impl RecordState {
    /// Whether a container shows its fields.
    pub fn is_open(&self, row: &RecordRow) -> bool {
        (row.depth == 0) != self.toggled.contains(&row.path)
    }

    /// The row under the cursor.
    pub fn row_under_cursor(&self) -> Option<&RecordRow> {
        let index = *self.line_rows.get(self.cursor)?;
        self.rows.as_ref()?.as_ref().ok()?.get(index)
    }

    /// Opens or closes the container at `path`.
    pub fn flip(&mut self, path: &str) {
        if !self.toggled.remove(path) {
            self.toggled.insert(path.to_string());
        }
    }

    /// Opens the container at `path` (and not closes it when it is open).
    pub fn open(&mut self, row: &RecordRow) {
        if row.is_container() && !self.is_open(row) {
            self.flip(&row.path);
        }
    }
}

/// The pane's lines for `width`, with the row each shows.
pub fn pane_lines(state: &RecordState, width: u16, theme: &Palette) -> (Vec<Line<'static>>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut line_rows = Vec::new();
    let rows = match &state.rows {
        None => return (vec![Line::styled("Reading the record…", theme.dim())], vec![]),
        Some(Err(why)) => {
            return (
                vec![Line::styled("The record cannot be shown:", theme.error()), Line::raw(why.clone())],
                vec![],
            );
        }
        Some(Ok(rows)) => rows,
    };
    let width = usize::from(width).max(20);
    for index in record::shown(rows, |r| state.is_open(r)) {
        let Some(row) = rows.get(index) else { continue };
        let indent = "  ".repeat(row.depth.min(width / 4));
        let mut spans = vec![Span::raw(indent.clone())];
        match &row.value {
            None => {
                let marker = if state.is_open(row) { "▾ " } else { "▸ " };
                spans.push(Span::styled(marker, theme.dim()));
                spans.push(Span::styled(
                    row.key.clone(),
                    if row.depth == 0 { theme.heading() } else { theme.label() },
                ));
                if !state.is_open(row) {
                    spans.push(Span::styled(format!("  ({})", row.holds()), theme.dim()));
                }
                lines.push(Line::from(spans));
                line_rows.push(index);
            }
            Some(value) => {
                let head = format!("{indent}  {}: ", row.key);
                let hang = " ".repeat((indent.len() + 4).min(width / 2));
                let mut first_line = true;
                for paragraph in value.split('\n') {
                    let lead = if first_line { head.clone() } else { hang.clone() };
                    let options =
                        textwrap::Options::new(width).initial_indent(&lead).subsequent_indent(&hang);
                    let wrapped = textwrap::wrap(paragraph.trim_end_matches('\r'), options);
                    for (n, text) in wrapped.iter().enumerate() {
                        if first_line && n == 0 {
                            let rest = text.get(head.len()..).unwrap_or_default().to_string();
                            lines.push(Line::from(vec![
                                Span::raw(format!("{indent}  ")),
                                Span::styled(format!("{}: ", row.key), theme.label()),
                                Span::raw(rest),
                            ]));
                        } else {
                            lines.push(Line::raw(text.to_string()));
                        }
                        line_rows.push(index);
                    }
                    first_line = false;
                }
            }
        }
    }
    (lines, line_rows)
}
