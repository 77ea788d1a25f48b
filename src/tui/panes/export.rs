//! The export line over the status bar: the file name being typed (with how many studies go),
//! what was wrong with the last name on the row above it, and, when the name is taken, the
//! question before that file is replaced.

use std::path::PathBuf;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::list;
use crate::tui::app::App;
use crate::tui::search::LineTarget;

/// The export waiting for a yes or no: a file already has the name typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplaceQuestion {
    /// The name as the user typed it, for the question.
    pub typed: String,
    /// Where the export goes, absolute.
    pub path: PathBuf,
}

pub fn draw(frame: &mut Frame, status: Rect, app: &App) {
    let Some(line) = app.line.as_ref().filter(|l| l.target == LineTarget::Export) else { return };
    let theme = &app.theme;
    // Over the status bar, which is drawn first: none of it shows through.
    frame.render_widget(Clear, status);
    if let Some(question) = &app.replace {
        let text = Line::from(vec![
            Span::styled(format!("{} exists: replace it? ", question.typed), theme.error()),
            Span::styled("y/n", theme.key()),
        ]);
        frame.render_widget(Paragraph::new(text), status);
        return;
    }
    let count = crate::present::words::plural(app.visible.len(), "study", "studies");
    list::draw_line(frame, status, line, "Export to: ", Some(format!(" {count} ")), theme);
    // The line covers the status bar: what was wrong with the name goes on the row above.
    if let Some(message) = &app.message
        && status.y > 0
    {
        let above = Rect { y: status.y - 1, height: 1, ..status };
        frame.render_widget(Clear, above);
        frame.render_widget(Paragraph::new(Span::styled(format!(" {message}"), theme.error())), above);
    }
}
