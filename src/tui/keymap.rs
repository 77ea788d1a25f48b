//! Keys and mouse events to actions. The bindings are data: one table, with a description per
//! binding, from which the help screen and the status-bar hints are generated, so they cannot
//! drift from what the keys do.

use crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::action::{Action, Command};
use super::app::{App, Focus, Pane};
use super::layout;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere (the focused element decides what moving means).
    Global,
    /// The study list has the focus.
    List,
    /// The study has the focus.
    Study,
    /// The Criteria pane is on screen.
    Criteria,
    /// The Sites pane is on screen.
    Sites,
    /// The Outcomes pane shows posted results and has the focus.
    Results,
    /// The query line is open (every other key edits its text).
    Line,
    /// The note editor is open (every other key edits the note).
    Note,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::List => "Study list",
            Scope::Study => "Study",
            Scope::Criteria => "Criteria pane",
            Scope::Sites => "Sites pane",
            Scope::Results => "Outcomes pane, results",
            Scope::Line => "Query line",
            Scope::Note => "Note editor",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

const fn key(c: char) -> Key {
    Key { code: KeyCode::Char(c), modifiers: KeyModifiers::NONE }
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), modifiers: KeyModifiers::CONTROL }
}

const fn special(code: KeyCode) -> Key {
    Key { code, modifiers: KeyModifiers::NONE }
}

/// One line of the keymap: the keys, where they apply, what they do.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub scope: Scope,
    pub command: Command,
    pub help: &'static str,
}

/// Every binding, in the order the help screen lists them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[key('j'), special(KeyCode::Down)],
        scope: Scope::Global,
        command: Command::Down,
        help: "next study, site or line",
    },
    Binding {
        keys: &[key('k'), special(KeyCode::Up)],
        scope: Scope::Global,
        command: Command::Up,
        help: "previous study, site or line",
    },
    Binding {
        keys: &[special(KeyCode::PageDown), ctrl('f')],
        scope: Scope::Global,
        command: Command::PageDown,
        help: "a page down",
    },
    Binding {
        keys: &[special(KeyCode::PageUp), ctrl('b')],
        scope: Scope::Global,
        command: Command::PageUp,
        help: "a page up",
    },
    Binding {
        keys: &[ctrl('d')],
        scope: Scope::Global,
        command: Command::HalfPageDown,
        help: "half a page down",
    },
    Binding {
        keys: &[ctrl('u')],
        scope: Scope::Global,
        command: Command::HalfPageUp,
        help: "half a page up",
    },
    Binding {
        keys: &[key('g'), special(KeyCode::Home)],
        scope: Scope::Global,
        command: Command::Top,
        help: "to the top",
    },
    Binding {
        keys: &[key('G'), special(KeyCode::End)],
        scope: Scope::Global,
        command: Command::Bottom,
        help: "to the bottom",
    },
    Binding { keys: &[key('1')], scope: Scope::Global, command: Command::Pane1, help: "Overview pane" },
    Binding { keys: &[key('2')], scope: Scope::Global, command: Command::Pane2, help: "Criteria pane" },
    Binding { keys: &[key('3')], scope: Scope::Global, command: Command::Pane3, help: "Outcomes pane" },
    Binding { keys: &[key('4')], scope: Scope::Global, command: Command::Pane4, help: "Sites pane" },
    Binding {
        keys: &[special(KeyCode::Tab)],
        scope: Scope::Global,
        command: Command::NextPane,
        help: "next pane",
    },
    Binding {
        keys: &[special(KeyCode::BackTab)],
        scope: Scope::Global,
        command: Command::PrevPane,
        help: "previous pane",
    },
    Binding { keys: &[key('?')], scope: Scope::Global, command: Command::ToggleHelp, help: "this help" },
    Binding {
        keys: &[key('e')],
        scope: Scope::Global,
        command: Command::ToggleErrors,
        help: "inputs that failed to load",
    },
    Binding {
        keys: &[key('b')],
        scope: Scope::Global,
        command: Command::ToggleBookmark,
        help: "bookmark the study, or remove its bookmark",
    },
    Binding {
        keys: &[key('a')],
        scope: Scope::Global,
        command: Command::EditNote,
        help: "write a note on the study (shown in its Overview)",
    },
    Binding {
        keys: &[key('x')],
        scope: Scope::Global,
        command: Command::Export,
        help: "export the list to a file: CSV, markdown, JSON or RIS",
    },
    Binding {
        keys: &[key('y')],
        scope: Scope::Global,
        command: Command::CopyId,
        help: "copy the NCT id (works over SSH: OSC 52)",
    },
    Binding {
        keys: &[key('Y')],
        scope: Scope::Global,
        command: Command::CopyUrl,
        help: "copy the study's clinicaltrials.gov address",
    },
    Binding { keys: &[key('q'), ctrl('c')], scope: Scope::Global, command: Command::Quit, help: "quit" },
    Binding {
        keys: &[special(KeyCode::Enter), key('l'), special(KeyCode::Right)],
        scope: Scope::List,
        command: Command::Open,
        help: "open the study",
    },
    Binding {
        keys: &[key('/')],
        scope: Scope::List,
        command: Command::Search,
        help: "search: words, an NCT id or field filters",
    },
    Binding {
        keys: &[special(KeyCode::Esc)],
        scope: Scope::List,
        command: Command::Back,
        help: "clear the search",
    },
    Binding {
        keys: &[special(KeyCode::Esc), key('h'), special(KeyCode::Left)],
        scope: Scope::Study,
        command: Command::Back,
        help: "clear the find, then back to the list",
    },
    Binding {
        keys: &[key('/')],
        scope: Scope::Study,
        command: Command::Search,
        help: "find text in the pane",
    },
    Binding { keys: &[key('n')], scope: Scope::Study, command: Command::FindNext, help: "next match" },
    Binding { keys: &[key('N')], scope: Scope::Study, command: Command::FindPrev, help: "previous match" },
    Binding {
        keys: &[key('r')],
        scope: Scope::Criteria,
        command: Command::ToggleRaw,
        help: "criteria as registered / split",
    },
    Binding {
        keys: &[key('s')],
        scope: Scope::Sites,
        command: Command::SortSites,
        help: "sort: as listed, by country, by status",
    },
    Binding {
        keys: &[special(KeyCode::Enter), key(' ')],
        scope: Scope::Results,
        command: Command::ToggleFold,
        help: "open or close the part under the cursor",
    },
    Binding {
        keys: &[key('A')],
        scope: Scope::Results,
        command: Command::ToggleAllFolds,
        help: "open all parts, or close all",
    },
    Binding {
        keys: &[key('l'), special(KeyCode::Right)],
        scope: Scope::Results,
        command: Command::ColumnRight,
        help: "tables: the next group column",
    },
    Binding {
        keys: &[key('h'), special(KeyCode::Left)],
        scope: Scope::Results,
        command: Command::ColumnLeft,
        help: "tables: the previous group column; on the first, back",
    },
    Binding {
        keys: &[special(KeyCode::Enter)],
        scope: Scope::Line,
        command: Command::Submit,
        help: "run the query and keep the filter, or keep the matches",
    },
    Binding {
        keys: &[special(KeyCode::Esc)],
        scope: Scope::Line,
        command: Command::Back,
        help: "clear the filter or the matches and close the line",
    },
    Binding {
        keys: &[special(KeyCode::Up)],
        scope: Scope::Line,
        command: Command::Up,
        help: "an earlier query",
    },
    Binding {
        keys: &[special(KeyCode::Down)],
        scope: Scope::Line,
        command: Command::Down,
        help: "a later query",
    },
    Binding {
        keys: &[ctrl('s')],
        scope: Scope::Note,
        command: Command::Submit,
        help: "save the note and close the editor",
    },
    Binding {
        keys: &[special(KeyCode::Esc)],
        scope: Scope::Note,
        command: Command::Back,
        help: "close the editor (asks first when there are changes)",
    },
];

/// The scopes active in the app's current state, most specific first.
fn active_scopes(app: &App) -> Vec<Scope> {
    let mut scopes = Vec::with_capacity(3);
    // A pane's own keys work whenever it is on screen, also while the list has the focus.
    let pane_visible = app.focus == Focus::Detail || app.size.width >= layout::SPLIT_MIN_WIDTH;
    if pane_visible {
        match app.pane {
            Pane::Criteria => scopes.push(Scope::Criteria),
            Pane::Sites => scopes.push(Scope::Sites),
            _ => {}
        }
    }
    // Results take h/l and Enter only while the study has the keyboard: from the list, l and
    // Enter still open the study, and h goes back from the results' first column.
    if app.focus == Focus::Detail && app.pane == Pane::Outcomes && shows_results(app) {
        scopes.push(Scope::Results);
    }
    match app.focus {
        Focus::List => scopes.push(Scope::List),
        Focus::Detail => scopes.push(Scope::Study),
    }
    scopes.push(Scope::Global);
    scopes
}

/// Whether the Outcomes pane shows posted results (it then has parts to fold).
pub fn shows_results(app: &App) -> bool {
    app.detail
        .as_ref()
        .and_then(|d| d.documents.get(Pane::Outcomes.index())?.as_ref())
        .is_some_and(|d| !d.folds.is_empty())
}

fn matches(binding_key: &Key, event: &KeyEvent) -> bool {
    // Shifted letters arrive as the upper-case character, with or without SHIFT reported.
    let modifiers = if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
        event.modifiers - KeyModifiers::SHIFT
    } else {
        event.modifiers
    };
    binding_key.code == event.code && binding_key.modifiers == modifiers
}

/// The command a key means in the current state.
pub fn command_for(app: &App, event: &KeyEvent) -> Option<Command> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    if app.overlay.is_some() {
        // Over help or the error list, Esc and the key that opened it close it; moving scrolls it.
        if event.code == KeyCode::Esc {
            return Some(Command::Back);
        }
    }
    let scopes = active_scopes(app);
    scopes.iter().find_map(|scope| {
        BINDINGS
            .iter()
            .filter(|b| b.scope == *scope)
            .find(|b| b.keys.iter().any(|k| matches(k, event)))
            .map(|b| b.command)
    })
}

/// A terminal event as an action. While the query line is open it takes every key but Ctrl-c.
pub fn action_for_key(app: &App, event: &KeyEvent) -> Option<Action> {
    if app.note.is_some() {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        // Ctrl-c closes the editor as Esc does (asking first): it never quits with a note unsaved.
        let ctrl_c = event.code == KeyCode::Char('c') && event.modifiers.contains(KeyModifiers::CONTROL);
        let bound = BINDINGS
            .iter()
            .filter(|b| b.scope == Scope::Note)
            .find(|b| b.keys.iter().any(|k| matches(k, event)))
            .map(|b| Action::Key(b.command));
        return Some(match bound {
            _ if ctrl_c => Action::Key(Command::Back),
            Some(action) => action,
            None => Action::Edit(tui_textarea::Input::from(*event)),
        });
    }
    if app.line.is_some() && app.overlay.is_none() {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        if event.code == KeyCode::Char('c') && event.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(Action::Key(Command::Quit));
        }
        let bound = BINDINGS
            .iter()
            .filter(|b| b.scope == Scope::Line)
            .find(|b| b.keys.iter().any(|k| matches(k, event)))
            .map(|b| Action::Key(b.command));
        return Some(bound.unwrap_or_else(|| Action::Edit(tui_textarea::Input::from(*event))));
    }
    command_for(app, event).map(Action::Key)
}

pub fn action_for_mouse(event: &MouseEvent) -> Option<Action> {
    let (column, row) = (event.column, event.row);
    match event.kind {
        MouseEventKind::ScrollDown => Some(Action::Scroll { column, row, lines: 3 }),
        MouseEventKind::ScrollUp => Some(Action::Scroll { column, row, lines: -3 }),
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
        _ => None,
    }
}

/// A key as the help screen writes it: `j`, `↓`, `Ctrl-d`, `PgDn`.
pub fn key_label(key: &Key) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Down => "↓".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        other => format!("{other:?}"),
    };
    if key.modifiers.contains(KeyModifiers::CONTROL) { format!("Ctrl-{name}") } else { name }
}

/// All the keys of a binding: "j ↓".
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(key_label).collect::<Vec<_>>().join(" ")
}

/// The first key bound to a command in a scope, for hints ("?", "q").
pub fn first_key(command: Command) -> Option<String> {
    BINDINGS.iter().find(|b| b.command == command).and_then(|b| b.keys.first()).map(key_label)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ratatui::layout::Size;

    fn app() -> App {
        App::new("test".into(), Size::new(120, 40), crate::tui::theme::Theme::plain())
    }

    fn press(app: &App, code: KeyCode, modifiers: KeyModifiers) -> Option<Command> {
        command_for(app, &KeyEvent::new(code, modifiers))
    }

    #[test]
    fn keys_mean_what_the_focus_says() {
        let mut app = app();
        assert_eq!(press(&app, KeyCode::Char('j'), KeyModifiers::NONE), Some(Command::Down));
        assert_eq!(press(&app, KeyCode::Enter, KeyModifiers::NONE), Some(Command::Open));
        assert_eq!(press(&app, KeyCode::Char('r'), KeyModifiers::NONE), None);
        app.pane = Pane::Criteria;
        assert_eq!(
            press(&app, KeyCode::Char('r'), KeyModifiers::NONE),
            Some(Command::ToggleRaw),
            "side by side, the pane's keys work from the list"
        );
        app.size = Size::new(80, 24);
        assert_eq!(press(&app, KeyCode::Char('r'), KeyModifiers::NONE), None, "narrow: the pane is hidden");
        assert_eq!(press(&app, KeyCode::Char('c'), KeyModifiers::CONTROL), Some(Command::Quit));
        assert_eq!(press(&app, KeyCode::Char('G'), KeyModifiers::SHIFT), Some(Command::Bottom));
        app.focus = Focus::Detail;
        app.pane = Pane::Criteria;
        assert_eq!(press(&app, KeyCode::Char('r'), KeyModifiers::NONE), Some(Command::ToggleRaw));
        assert_eq!(press(&app, KeyCode::Esc, KeyModifiers::NONE), Some(Command::Back));
        app.pane = Pane::Sites;
        assert_eq!(press(&app, KeyCode::Char('s'), KeyModifiers::NONE), Some(Command::SortSites));
        assert_eq!(press(&app, KeyCode::BackTab, KeyModifiers::SHIFT), Some(Command::PrevPane));
    }

    #[test]
    fn the_open_query_line_takes_every_key() {
        let mut app = app();
        assert_eq!(press(&app, KeyCode::Char('/'), KeyModifiers::NONE), Some(Command::Search));
        app.line = Some(crate::tui::search::QueryLine::new(crate::tui::search::LineTarget::List, ""));
        let action = |code| action_for_key(&app, &KeyEvent::new(code, KeyModifiers::NONE));
        assert!(matches!(action(KeyCode::Char('q')), Some(Action::Edit(_))), "q is typed, not quit");
        assert!(matches!(action(KeyCode::Char('j')), Some(Action::Edit(_))));
        assert!(matches!(action(KeyCode::Enter), Some(Action::Key(Command::Submit))));
        assert!(matches!(action(KeyCode::Esc), Some(Action::Key(Command::Back))));
        assert!(matches!(action(KeyCode::Up), Some(Action::Key(Command::Up))));
        let ctrl_c = action_for_key(&app, &KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert!(matches!(ctrl_c, Some(Action::Key(Command::Quit))));
    }

    #[test]
    fn no_key_is_bound_twice_in_overlapping_scopes() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in BINDINGS.iter().skip(i + 1) {
                let overlap = a.scope == b.scope || a.scope == Scope::Global || b.scope == Scope::Global;
                let shared = a.keys.iter().any(|k| b.keys.contains(k));
                assert!(!(overlap && shared && a.scope == b.scope), "{a:?} and {b:?} share a key");
            }
        }
    }
}
