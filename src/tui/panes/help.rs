//! The help screen, generated from the keymap (every binding with its description) and the query
//! language's field table (every field with an example), and the list of inputs that failed to
//! load.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::source::LoadError;
use crate::tui::action::Command;
use crate::tui::keymap::{self, Keymap, Scope};
use crate::tui::theme::Palette;

/// Every scope of the keymap, in the order the help lists them.
const SCOPES: [Scope; 10] = [
    Scope::Global,
    Scope::List,
    Scope::Study,
    Scope::Criteria,
    Scope::Screening,
    Scope::Sites,
    Scope::Results,
    Scope::Record,
    Scope::Line,
    Scope::Note,
];

/// One key of a screen that has no scope of its own: the command, the scope whose keys it takes,
/// and what it does there.
type Borrowed = (Command, Scope, &'static str);

/// The screens that take another scope's keys with meanings of their own: the go-to picker
/// (the query line's) and the facets panel (the list's and the global ones).
const BORROWING: [(&str, &[Borrowed]); 3] = [
    (
        "Go-to picker (typing matches ids, acronyms and titles)",
        &[
            (Command::Down, Scope::Line, "the next study matched"),
            (Command::Up, Scope::Line, "the previous study matched"),
            (Command::Submit, Scope::Line, "go to the study"),
            (Command::Back, Scope::Line, "close the picker"),
        ],
    ),
    (
        "Facets panel",
        &[
            (Command::Down, Scope::Global, "the next value"),
            (Command::Up, Scope::Global, "the previous value"),
            (Command::PageDown, Scope::Global, "a page of values down"),
            (Command::PageUp, Scope::Global, "a page of values up"),
            (Command::NextPane, Scope::Global, "the next facet"),
            (Command::PrevPane, Scope::Global, "the previous facet"),
            (Command::Open, Scope::List, "put the value's filter in the query, or take it out"),
            (Command::ToggleFacets, Scope::Global, "close the panel"),
            (Command::ClearSearch, Scope::List, "close the panel"),
        ],
    ),
    (
        "Patient profiles (the editor takes the note editor's keys)",
        &[
            (Command::Down, Scope::Global, "the next profile"),
            (Command::Up, Scope::Global, "the previous profile"),
            (Command::Open, Scope::List, "list the open studies it may fit (fits:NAME in the query)"),
            (Command::EditNote, Scope::Global, "edit its key = value lines"),
            (Command::FindNext, Scope::Study, "a new profile"),
            (Command::ShowProfiles, Scope::Global, "close"),
        ],
    ),
];

/// The help text, one line per binding of `keys` under a heading per scope; an action the
/// settings left without a key says so.
pub fn lines(keys: &Keymap, theme: &Palette) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let label = |keys: &[keymap::Key]| match keys {
        [] => "(no key)".to_string(),
        keys => keymap::keys_text(keys),
    };
    let key_width = keys.bindings().iter().map(|b| label(&b.keys).chars().count()).max().unwrap_or(8);
    for scope in SCOPES {
        let bindings: Vec<_> = keys.bindings().iter().filter(|b| b.scope == scope).collect();
        if bindings.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(scope.title(), theme.heading()));
        for b in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<key_width$}  ", label(&b.keys)), theme.key()),
                Span::raw(b.help),
            ]));
        }
    }
    for (title, keys_there) in BORROWING {
        lines.push(Line::raw(""));
        lines.push(Line::styled(title, theme.heading()));
        for &(command, scope, help) in keys_there {
            let bound = keys.bindings().iter().find(|b| b.command == command && b.scope == scope);
            let keys_text = bound.map_or_else(|| "(no key)".to_string(), |b| label(&b.keys));
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys_text:<key_width$}  "), theme.key()),
                Span::raw(help),
            ]));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Query fields (Tab in the query line completes them, and their values)",
        theme.heading(),
    ));
    let examples = crate::query::field_examples();
    let name_width = examples.iter().map(|(name, _)| name.len() + 1).max().unwrap_or(8).max(key_width);
    for (name, example) in examples {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<name_width$}  ", format!("{name}:")), theme.key()),
            Span::raw(example),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Mouse", theme.heading()));
    lines.push(Line::raw("  wheel scrolls what is under the pointer; a click selects a study or a tab"));
    lines
}

pub fn line_count(keys: &Keymap) -> usize {
    lines(keys, &Palette::mono()).len()
}

/// A box in the middle of the screen, at most `width` x `height`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

pub fn draw(frame: &mut Frame, area: Rect, scroll: usize, keys: &Keymap, theme: &Palette) {
    let lines = lines(keys, theme);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    // As wide as the widest line, so that no description is cut.
    let width = u16::try_from(lines.iter().map(Line::width).max().unwrap_or(0) + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    frame.render_widget(Clear, rect);
    let block = Block::default().borders(Borders::ALL).border_style(theme.border(true)).title(
        match keys.first_key(Command::ToggleHelp, None) {
            Some(key) => format!(" Keys (Esc or {} to close) ", keymap::key_label(&key)),
            None => " Keys (Esc to close) ".to_string(),
        },
    );
    let visible: Vec<Line> = lines.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(visible).block(block), rect);
}

pub fn draw_errors(frame: &mut Frame, area: Rect, errors: &[LoadError], scroll: usize, theme: &Palette) {
    let rect = centered(area, area.width.saturating_sub(4), area.height.saturating_sub(2));
    frame.render_widget(Clear, rect);
    let title = format!(" {} failed to load (Esc to close) ", errors.len());
    let block = Block::default().borders(Borders::ALL).border_style(theme.border(true)).title(title);
    let lines: Vec<Line> = errors
        .iter()
        .skip(scroll)
        .map(|e| {
            Line::from(vec![
                Span::styled(format!("{}: ", e.origin), theme.bold()),
                Span::raw(e.reason.clone()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), rect);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// The help is generated from the keymap: every binding of every scope is in it, under its
    /// scope's heading, with its keys and its description.
    #[test]
    fn help_names_every_binding_of_every_scope() {
        let keymap = Keymap::default();
        let text: Vec<String> = lines(&keymap, &Palette::mono())
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        let mut scopes_seen = Vec::new();
        for binding in keymap.bindings() {
            let heading = text.iter().position(|l| l == binding.scope.title());
            let heading = heading.unwrap_or_else(|| panic!("no heading for {:?}", binding.scope));
            let section = text[heading + 1..].iter().take_while(|l| !l.is_empty());
            let keys_text = keymap::keys_text(&binding.keys);
            let found =
                section.clone().any(|l| l.trim_start().starts_with(&keys_text) && l.ends_with(binding.help));
            assert!(found, "{:?} {keys_text} {:?} missing from the help", binding.scope, binding.help);
            if !scopes_seen.contains(&binding.scope) {
                scopes_seen.push(binding.scope);
            }
        }
        assert_eq!(scopes_seen.len(), SCOPES.len(), "every scope has bindings and the help lists them all");
        for heading in [
            "Record pane",
            "Outcomes pane, results",
            "Note editor",
            "Query line",
            "Go-to picker",
            "Facets panel",
        ] {
            assert!(text.iter().any(|l| l.starts_with(heading)), "{heading}");
        }
        // The query fields, each with an example, from the list `?` and Tab completion share.
        for (name, example) in crate::query::field_examples() {
            assert!(text.iter().any(|l| l.contains(&format!("{name}:")) && l.ends_with(example)), "{name}");
        }
    }
}
