//! The note editor: a box over the screen with the study's note in a tui-textarea (several
//! lines, undo, word moves), its keys on the bottom border, and the question before changes are
//! thrown away.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear};

use tui_textarea::TextArea;

use crate::tui::app::NoteEditor;
use crate::tui::theme::Palette;

pub fn draw(frame: &mut Frame, area: Rect, editor: &NoteEditor, theme: &Palette) {
    let title = Line::from(vec![
        Span::raw(" Note on "),
        Span::styled(editor.id.to_string(), theme.bold()),
        Span::raw(" "),
    ]);
    draw_editor_box(frame, area, title, &editor.textarea, editor.confirm_discard, theme);
}

/// A text editor's box over the middle of the screen: `title` on its top border, its keys (or,
/// after Esc with changes, the question before they are thrown away) on the bottom one. The note
/// editor and the profile editor are drawn with it.
pub fn draw_editor_box(
    frame: &mut Frame,
    area: Rect,
    title: Line<'static>,
    textarea: &TextArea<'static>,
    confirm_discard: bool,
    theme: &Palette,
) {
    let width = (area.width * 4 / 5).clamp(area.width.min(40), area.width);
    let height = (area.height * 3 / 5).clamp(area.height.min(8), area.height);
    let boxed =
        Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height };
    let hint = if confirm_discard {
        Line::from(Span::styled(
            " Discard the changes? y: discard, any other key: keep editing ",
            theme.error(),
        ))
    } else {
        Line::from(vec![
            Span::styled(" Ctrl-s", theme.key()),
            Span::raw(" save  "),
            Span::styled("Esc", theme.key()),
            Span::raw(" close "),
        ])
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(title)
        .title_bottom(hint);
    let inner = block.inner(boxed);
    frame.render_widget(Clear, boxed);
    frame.render_widget(block, boxed);
    frame.render_widget(textarea, inner);
}
