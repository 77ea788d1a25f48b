//! Screenings on screen: the study's screenings in its Overview ("Screenings: P-014 possibly
//! eligible (2026-12-06)"), and the list of every screening (`S`): date, patient, study,
//! verdict, the one under the cursor resumed with Enter, the log exported with `x`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::list;
use crate::present::criteria::threshold_text;
use crate::screening::checklist::Screening;
use crate::study::markup;
use crate::tui::app::App;
use crate::tui::search::LineTarget;
use crate::tui::theme::Palette;

/// The outcome of a screening in a few words: "not eligible: I4 (ECOG ≤ 1)".
fn outcome(screening: &Screening) -> String {
    screening.verdict().outcome_text(|r| screening.reason(r, threshold_text))
}

/// "Screenings: P-014 possibly eligible (2026-12-06) · P-015 …", wrapped, for the top of the
/// study's Overview; nothing when it has none.
pub fn overview_lines(screenings: &[&Screening], width: u16, theme: &Palette) -> Vec<Line<'static>> {
    if screenings.is_empty() {
        return Vec::new();
    }
    let listed: Vec<String> =
        screenings.iter().map(|s| format!("{} {} ({})", s.patient, outcome(s), s.updated)).collect();
    let text = listed.join(" · ");
    let width = usize::from(width).max(markup::MIN_WIDTH);
    let mut lines: Vec<Line<'static>> = markup::hanging(&text, "Screenings:", 0, width)
        .into_iter()
        .map(|l| Line::styled(l, theme.key()))
        .collect();
    lines.push(Line::default());
    lines
}

/// The list of every screening over the screen, the export line at its foot while open.
pub fn draw(frame: &mut Frame, area: Rect, app: &App, selected: usize) {
    let theme = &app.theme;
    let margin = |n: u16, of: u16| if of > n * 4 { n } else { 0 };
    let area = Rect {
        x: area.x + margin(2, area.width),
        y: area.y + margin(1, area.height),
        width: area.width.saturating_sub(2 * margin(2, area.width)),
        height: area.height.saturating_sub(2 * margin(1, area.height)),
    };
    frame.render_widget(Clear, area);
    let title =
        format!(" Screenings ({}) · Enter resume · x export the log · Esc close ", app.screening_log.len());
    let block = Block::default().borders(Borders::ALL).border_style(theme.border(true)).title(title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height.saturating_sub(1)).max(1);
    let offset = selected.saturating_sub(rows.saturating_sub(1));
    let mut lines = vec![Line::styled("Date        Patient      Study        Verdict", theme.label())];
    for (n, screening) in app.screening_log.iter().enumerate().skip(offset).take(rows) {
        let text = format!(
            "{:<10}  {:<11}  {:<11}  {}",
            screening.updated,
            screening.patient,
            screening.study,
            outcome(screening)
        );
        let line = if n == selected {
            let fill =
                usize::from(inner.width).saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()));
            Line::from(Span::styled(format!("{text}{}", " ".repeat(fill)), theme.selected(true)))
        } else {
            Line::raw(text)
        };
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(line) = app.line.as_ref().filter(|l| l.target == LineTarget::ScreeningLog) {
        let foot = Rect { y: inner.y + inner.height.saturating_sub(1), height: 1, ..inner };
        frame.render_widget(Clear, foot);
        let count = crate::present::words::plural(app.screening_log.len(), "screening", "screenings");
        list::draw_line(frame, foot, line, "Export to: ", Some(format!(" {count} ")), theme);
        if let Some(message) = &app.message
            && foot.y > inner.y
        {
            let above = Rect { y: foot.y - 1, ..foot };
            frame.render_widget(Clear, above);
            frame.render_widget(Paragraph::new(Span::styled(format!(" {message}"), theme.error())), above);
        }
    }
}
