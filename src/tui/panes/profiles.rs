//! The patient profiles overlay (`P`): the profiles in `profiles.toml`, one a line, the selected
//! one's values below; and the profile editor, a box with the profile's `key = value` lines in a
//! text area, its keys on the bottom border.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::screening::profile::Profile;
use crate::tui::app::App;
use crate::tui::theme::Palette;

/// What the editor starts with for a new profile: how to write one, as comments it skips.
pub const NEW_PROFILE: &str = "name = \n\
# One key = value a line; a name is a pseudonymous code (P-014), never a patient's name.\n\
# age = 67\n# sex = female\n# ecog = 1\n# anc = 1.8 x10^9/L\n# creatinine = 1.1 mg/dL\n\
# condition = breast cancer\n# place = Baltimore, Maryland";

/// Editing a profile's lines.
#[derive(Debug, Clone)]
pub struct ProfileEditor {
    pub textarea: tui_textarea::TextArea<'static>,
    /// The text as opened, to tell whether there is anything to lose.
    pub opened: String,
    /// Esc was pressed with changes: the next `y` discards them.
    pub confirm_discard: bool,
}

impl ProfileEditor {
    /// The editor on `profile` (`name = …` first), or on a new profile's template.
    pub fn new(profile: Option<&Profile>) -> ProfileEditor {
        let text = match profile {
            Some(p) => format!("name = {}\n{}", p.name, p.to_text()),
            None => NEW_PROFILE.to_string(),
        };
        let text = text.trim_end().to_string();
        let mut textarea = tui_textarea::TextArea::new(text.lines().map(str::to_string).collect());
        textarea.move_cursor(tui_textarea::CursorMove::Top);
        textarea.move_cursor(tui_textarea::CursorMove::End);
        ProfileEditor { textarea, opened: text, confirm_discard: false }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn changed(&self) -> bool {
        self.text().trim_end() != self.opened
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let (width, height) = (width.min(area.width), height.min(area.height));
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// The list of profiles, the one at `selected` marked and its values shown.
pub fn draw_list(frame: &mut Frame, area: Rect, app: &App, selected: usize) {
    let theme = &app.theme;
    let rect = centered(area, area.width.saturating_sub(8).max(40), area.height.saturating_sub(4).max(8));
    frame.render_widget(Clear, rect);
    let hint = Line::from(vec![
        Span::styled(" Enter", theme.key()),
        Span::raw(" fits:NAME  "),
        Span::styled("a", theme.key()),
        Span::raw(" edit  "),
        Span::styled("n", theme.key()),
        Span::raw(" new  "),
        Span::styled("Esc", theme.key()),
        Span::raw(" close "),
    ]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(" Patient profiles ")
        .title_bottom(hint);
    let mut lines: Vec<Line> = Vec::new();
    if app.profiles.by_name.is_empty() {
        lines.push(Line::from("No profiles yet: n makes one (or nct profile P-014 --set age=67 …)."));
    }
    for (row, (name, profile)) in app.profiles.by_name.iter().enumerate() {
        let style = if row == selected { theme.selected(true) } else { ratatui::style::Style::new() };
        let active = app.profile.as_ref().is_some_and(|p| p.name == *name);
        let summary: Vec<String> = profile.lines().iter().take(4).map(|(k, v)| format!("{k} {v}")).collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{} {name:<12}", if active { "•" } else { " " }), style),
            Span::styled(format!(" {}", summary.join(" · ")), theme.dim()),
        ]));
    }
    if let Some(profile) = app.profiles.by_name.values().nth(selected) {
        lines.push(Line::from(""));
        for (key, value) in profile.lines() {
            lines.push(Line::from(vec![Span::styled(format!("  {key} = "), theme.dim()), Span::raw(value)]));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), rect);
}

/// The editor box, as the note editor's.
pub fn draw_editor(frame: &mut Frame, area: Rect, editor: &ProfileEditor, theme: &Palette) {
    let title = Line::from(" Profile: one key = value a line ");
    super::note::draw_editor_box(frame, area, title, &editor.textarea, editor.confirm_discard, theme);
}
