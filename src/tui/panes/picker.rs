//! The go-to picker: a box over the screen with a line to type an NCT id, an acronym or words of
//! a title into, and the studies matching it fuzzily below, best first, the chosen one marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::catalog::Summary;
use crate::present::width::cut_to_width;
use crate::present::words::thousands;
use crate::tui::search::Picker;
use crate::tui::theme::Palette;

pub fn draw(frame: &mut Frame, area: Rect, picker: &Picker, studies: &[Summary], theme: &Palette) {
    let width = (area.width * 4 / 5).clamp(area.width.min(40), area.width);
    let height = (area.height * 3 / 5).clamp(area.height.min(8), area.height);
    let boxed =
        Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height };
    let found = if picker.text().trim().is_empty() {
        String::new()
    } else if picker.matching.done() {
        format!(" {} ", thousands(picker.found()))
    } else {
        format!(" {}… ", thousands(picker.found()))
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(" Go to study ")
        .title(Line::from(Span::styled(found, theme.dim())).right_aligned())
        .title_bottom(Line::from(vec![
            Span::styled(" Enter", theme.key()),
            Span::raw(" go  "),
            Span::styled("↑/↓", theme.key()),
            Span::raw(" choose  "),
            Span::styled("Esc", theme.key()),
            Span::raw(" close "),
        ]));
    let inner = block.inner(boxed);
    frame.render_widget(Clear, boxed);
    frame.render_widget(block, boxed);
    let prompt = Rect { height: inner.height.min(1), width: inner.width.min(2), ..inner };
    frame.render_widget(Paragraph::new(Span::styled("> ", theme.key())), prompt);
    let edit = Rect { x: inner.x.saturating_add(2), width: inner.width.saturating_sub(2), ..prompt };
    frame.render_widget(&picker.textarea, edit);
    let rows = Rect { y: inner.y.saturating_add(1), height: inner.height.saturating_sub(1), ..inner };
    let room = usize::from(rows.width);
    let lines: Vec<Line> = picker
        .best()
        .into_iter()
        .enumerate()
        .take(usize::from(rows.height))
        .filter_map(|(i, row)| studies.get(row).map(|s| (i, s)))
        .map(|(i, s)| {
            let acronym = s.acronym.as_deref().map(|a| format!(" {a}")).unwrap_or_default();
            let text = cut_to_width(&format!("{}{acronym}  {}", s.id, s.brief_title), room);
            let style =
                if i == picker.selected { theme.selected(true) } else { ratatui::style::Style::new() };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), rows);
}
