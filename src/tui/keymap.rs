//! Keys and mouse events to actions. The bindings are data: one table of defaults
//! ([`BINDINGS`]), with a description per binding, and the [`Keymap`] the app runs with: those
//! defaults with the user's remappings (`[keys]` in the settings) applied once at startup. Key
//! dispatch, the help screen and the status-bar hints all read the keymap, so they cannot drift
//! from what the keys do.
//!
//! An action is remapped by its name ([`Command::name`]): the user's keys replace the action's
//! keys in every scope it has. The query line and the note editor keep their keys, since there
//! every other key is text. A key the user gives an action is taken from any other action it
//! would share a screen with: the user's mapping wins, and the settings check says so.

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
    /// A patient is being screened in the Criteria pane, and the study has the focus.
    Screening,
    /// The Sites pane is on screen.
    Sites,
    /// The Outcomes pane shows posted results and has the focus.
    Results,
    /// The Record pane has the focus.
    Record,
    /// The query line is open (every other key edits its text).
    Line,
    /// The note editor is open (every other key edits the note).
    Note,
}

impl Scope {
    /// Whether the scope edits text (the query line, the note editor): its keys are fixed.
    pub fn edits_text(self) -> bool {
        matches!(self, Scope::Line | Scope::Note)
    }

    /// Whether a key bound in both scopes could mean two things at once: the scopes can be
    /// active together. The list and the study never have the focus together, the Criteria and
    /// Sites panes are never on screen together, and results take keys only from the study.
    pub fn overlaps(self, other: Scope) -> bool {
        use Scope::*;
        match (self, other) {
            _ if self == other => true,
            (Line | Note, _) | (_, Line | Note) => false,
            (Global, _) | (_, Global) => true,
            (List, Study) | (Study, List) => false,
            (Criteria, Sites) | (Sites, Criteria) => false,
            (Screening, List | Sites | Results | Record) | (List | Sites | Results | Record, Screening) => {
                false
            }
            (Results, List | Criteria | Sites) | (List | Criteria | Sites, Results) => false,
            (Record, List | Criteria | Sites | Results) | (List | Criteria | Sites | Results, Record) => {
                false
            }
            _ => true,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::List => "Study list",
            Scope::Study => "Study",
            Scope::Criteria => "Criteria pane",
            Scope::Screening => "Criteria pane, screening a patient",
            Scope::Sites => "Sites pane",
            Scope::Results => "Outcomes pane, results",
            Scope::Record => "Record pane",
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

/// The named keys the settings accept, with the code each means.
const KEY_NAMES: [(&str, KeyCode); 17] = [
    ("enter", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("escape", KeyCode::Esc),
];

impl Key {
    /// A key as the settings write it: a character (`j`, `G`, `?`), a name (`enter`, `esc`,
    /// `tab`, `backtab`, `up`, `down`, `left`, `right`, `pageup`, `pagedown`, `home`, `end`,
    /// `space`, `backspace`, `delete`, `insert`, `f1` to `f12`), with `ctrl-`, `alt-` or `shift-`
    /// before it (`ctrl-n`, `alt-x`, `shift-tab`). `shift-` and a letter is the capital letter,
    /// as the terminal sends it.
    pub fn parse(text: &str) -> Result<Key, String> {
        let not_a_key = |why: &str| format!("{text:?} is not a key: {why}");
        let mut rest = if text == " " { text } else { text.trim() };
        let mut modifiers = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let found = [
                ("ctrl-", KeyModifiers::CONTROL),
                ("alt-", KeyModifiers::ALT),
                ("shift-", KeyModifiers::SHIFT),
            ]
            .into_iter()
            .find(|(prefix, _)| lower.starts_with(prefix) && rest.len() > prefix.len());
            let Some((prefix, modifier)) = found else { break };
            modifiers |= modifier;
            rest = rest.get(prefix.len()..).unwrap_or_default();
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(not_a_key("it is empty")),
            (Some(c), None) => KeyCode::Char(c),
            _ => {
                let lower = rest.to_ascii_lowercase();
                let function = lower
                    .strip_prefix('f')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=12).contains(n));
                match (KEY_NAMES.iter().find(|(name, _)| *name == lower), function) {
                    (Some(&(_, code)), _) => code,
                    (None, Some(n)) => KeyCode::F(n),
                    (None, None) => {
                        return Err(not_a_key(
                            "write a character, a name (enter, esc, tab, backtab, up, down, left, right, pageup, \
                             pagedown, home, end, space, f1 to f12), or ctrl-, alt- or shift- and one of those",
                        ));
                    }
                }
            }
        };
        let shift = modifiers.contains(KeyModifiers::SHIFT);
        modifiers -= KeyModifiers::SHIFT;
        let code = match code {
            // Terminals send a shifted letter as the capital, and Shift-Tab as its own key.
            KeyCode::Char(c) if shift && c.is_alphabetic() => {
                KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
            }
            KeyCode::Char(c) if shift => {
                return Err(not_a_key(&format!("write the character shift and {c:?} type instead")));
            }
            KeyCode::Tab if shift => KeyCode::BackTab,
            KeyCode::BackTab => KeyCode::BackTab,
            other => {
                if shift {
                    modifiers |= KeyModifiers::SHIFT;
                }
                other
            }
        };
        // Ctrl with a capital is the same key to a terminal as with the small letter.
        let code = match code {
            KeyCode::Char(c) if modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            other => other,
        };
        Ok(Key { code, modifiers })
    }

    /// The key as the settings write it (`j`, `ctrl-f`, `pagedown`, `shift-tab`).
    pub fn setting(&self) -> String {
        let name = match self.code {
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::BackTab => "shift-tab".to_string(),
            KeyCode::F(n) => format!("f{n}"),
            code => KEY_NAMES
                .iter()
                .find(|(_, c)| *c == code)
                .map_or_else(|| format!("{code:?}"), |(n, _)| n.to_string()),
        };
        let mut text = String::new();
        for (modifier, prefix) in
            [(KeyModifiers::CONTROL, "ctrl-"), (KeyModifiers::ALT, "alt-"), (KeyModifiers::SHIFT, "shift-")]
        {
            if self.modifiers.contains(modifier) {
                text.push_str(prefix);
            }
        }
        text + &name
    }
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
        keys: &[key('5')],
        scope: Scope::Global,
        command: Command::Pane5,
        help: "Record pane: every field of the record",
    },
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
        keys: &[key('B')],
        scope: Scope::Global,
        command: Command::ShowBookmarks,
        help: "list the bookmarks (again: every study)",
    },
    Binding {
        keys: &[key('H')],
        scope: Scope::Global,
        command: Command::ShowRecent,
        help: "list the studies opened lately (again: all)",
    },
    Binding {
        keys: &[key('a')],
        scope: Scope::Global,
        command: Command::EditNote,
        help: "write a note on the study (shown in its Overview)",
    },
    Binding {
        keys: &[key('P')],
        scope: Scope::Global,
        command: Command::ShowProfiles,
        help: "patient profiles (fits:NAME): Enter uses one, a edits",
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
    Binding {
        keys: &[key('F')],
        scope: Scope::Global,
        command: Command::ToggleFacets,
        help: "facets: the listed studies counted by field",
    },
    Binding {
        keys: &[key('o')],
        scope: Scope::Global,
        command: Command::CycleSort,
        help: "cycle the list's order (updated, start, enrollment…)",
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
        keys: &[ctrl('p'), key(':')],
        scope: Scope::Global,
        command: Command::GoTo,
        help: "go to a study: its id, acronym or title, letters in order",
    },
    Binding {
        keys: &[special(KeyCode::Esc)],
        scope: Scope::List,
        command: Command::ClearSearch,
        help: "clear the search, or back to every study",
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
        keys: &[key('m')],
        scope: Scope::Criteria,
        command: Command::StartScreening,
        help: "screen a patient: a checklist of the criteria, saved",
    },
    Binding {
        keys: &[key('S')],
        scope: Scope::Global,
        command: Command::ShowScreenings,
        help: "every screening: Enter resumes one, x exports the log",
    },
    Binding {
        keys: &[key('+'), key('=')],
        scope: Scope::Screening,
        command: Command::AnswerMet,
        help: "met (an exclusion: the patient has it)",
    },
    Binding { keys: &[key('-')], scope: Scope::Screening, command: Command::AnswerNotMet, help: "not met" },
    Binding { keys: &[key('u')], scope: Scope::Screening, command: Command::AnswerUnknown, help: "unknown" },
    Binding {
        keys: &[key('0')],
        scope: Scope::Screening,
        command: Command::AnswerNotApplicable,
        help: "not applicable",
    },
    Binding {
        keys: &[special(KeyCode::Backspace), special(KeyCode::Delete)],
        scope: Scope::Screening,
        command: Command::ClearAnswer,
        help: "take the answer back",
    },
    Binding {
        keys: &[key('c')],
        scope: Scope::Screening,
        command: Command::ScreeningNote,
        help: "a short note on the criterion",
    },
    Binding {
        keys: &[key('m'), special(KeyCode::Esc)],
        scope: Scope::Screening,
        command: Command::StopScreening,
        help: "leave the screening (every answer is saved)",
    },
    Binding {
        keys: &[key('s')],
        scope: Scope::Sites,
        command: Command::SortSites,
        help: "sort: as listed, by country, by status, nearest (near:)",
    },
    Binding {
        keys: &[key('f')],
        scope: Scope::Sites,
        command: Command::FilterSites,
        help: "filter: all sites, recruiting only, within near:",
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
        keys: &[special(KeyCode::Enter), key(' ')],
        scope: Scope::Record,
        command: Command::ToggleFold,
        help: "fold or unfold the field under the cursor",
    },
    Binding {
        keys: &[key('A')],
        scope: Scope::Record,
        command: Command::ToggleAllFolds,
        help: "unfold every field, or fold them back",
    },
    Binding {
        keys: &[key('l'), special(KeyCode::Right)],
        scope: Scope::Record,
        command: Command::ColumnRight,
        help: "unfold the field under the cursor",
    },
    Binding {
        keys: &[key('h'), special(KeyCode::Left)],
        scope: Scope::Record,
        command: Command::ColumnLeft,
        help: "fold it, or up to what holds it; from a section, back",
    },
    Binding {
        keys: &[key('y')],
        scope: Scope::Record,
        command: Command::CopyPath,
        help: "copy the field's JSON path",
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

/// The keys of a binding as the app runs with them: the default's scope, command and help, and
/// the keys after the user's remapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub keys: Vec<Key>,
    pub scope: Scope,
    pub command: Command,
    pub help: &'static str,
}

/// An action the settings give keys of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remap {
    pub command: Command,
    pub keys: Vec<Key>,
}

/// A key a remapping took from another action (which is said to the user).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    /// Which remapping took it (an index into those given).
    pub by: usize,
    pub key: Key,
    /// The action that lost it, where.
    pub from: Command,
    pub scope: Scope,
    /// Whether that action has no key left at all.
    pub from_has_no_key: bool,
}

/// The bindings the app runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: Vec<Bound>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let bindings = BINDINGS
            .iter()
            .map(|b| Bound { keys: b.keys.to_vec(), scope: b.scope, command: b.command, help: b.help })
            .collect();
        Keymap { bindings }
    }
}

/// The commands the settings can remap, each once, in the order of the keymap.
pub fn remappable() -> Vec<Command> {
    let mut commands: Vec<Command> = Vec::new();
    for binding in BINDINGS.iter().filter(|b| !b.scope.edits_text()) {
        if !commands.contains(&binding.command) {
            commands.push(binding.command);
        }
    }
    commands
}

/// The command the settings call `name`, when it can be remapped.
pub fn action_named(name: &str) -> Option<Command> {
    remappable().into_iter().find(|c| c.name() == name)
}

impl Keymap {
    /// The defaults with `remaps` applied in order: each action's keys replaced in its scopes (not
    /// in the query line or the note editor), and each key taken from any other action it would
    /// share a screen with. When two remappings give the same key, the later one wins.
    pub fn with_remaps(remaps: &[Remap]) -> (Keymap, Vec<Taken>) {
        let mut keymap = Keymap::default();
        let mut taken = Vec::new();
        let mut remapped: Vec<Command> = Vec::new();
        for (by, remap) in remaps.iter().enumerate() {
            let mut keys: Vec<Key> = Vec::new();
            for key in &remap.keys {
                if !keys.contains(key) {
                    keys.push(*key);
                }
            }
            let scopes: Vec<Scope> = keymap
                .bindings
                .iter()
                .filter(|b| b.command == remap.command && !b.scope.edits_text())
                .map(|b| b.scope)
                .collect();
            for binding in keymap.bindings.iter_mut() {
                if binding.command == remap.command && !binding.scope.edits_text() {
                    binding.keys.clone_from(&keys);
                }
            }
            for &key in &keys {
                // A key the action had anyway takes nothing: the defaults already agree on it
                // (Results' h and the study's h, say). A key another remapping gave does.
                let had = BINDINGS.iter().any(|b| b.command == remap.command && b.keys.contains(&key));
                for binding in keymap.bindings.iter_mut() {
                    let other = binding.command != remap.command && !binding.scope.edits_text();
                    let shares = scopes.iter().any(|s| s.overlaps(binding.scope));
                    // Two actions that both had the key by default keep sharing it as they did.
                    let theirs_too = BINDINGS.iter().any(|b| {
                        b.command == binding.command && b.scope == binding.scope && b.keys.contains(&key)
                    });
                    let contested = !had || (remapped.contains(&binding.command) && !theirs_too);
                    if other && shares && contested && binding.keys.contains(&key) {
                        binding.keys.retain(|k| *k != key);
                        taken.push(Taken {
                            by,
                            key,
                            from: binding.command,
                            scope: binding.scope,
                            from_has_no_key: false,
                        });
                    }
                }
            }
            remapped.push(remap.command);
        }
        for loss in &mut taken {
            loss.from_has_no_key =
                !keymap.bindings.iter().any(|b| b.command == loss.from && !b.keys.is_empty());
        }
        (keymap, taken)
    }

    pub fn bindings(&self) -> &[Bound] {
        &self.bindings
    }

    /// The command `event` means in `scope`.
    fn command_in(&self, scope: Scope, event: &KeyEvent) -> Option<Command> {
        self.bindings
            .iter()
            .filter(|b| b.scope == scope)
            .find(|b| b.keys.iter().any(|k| matches(k, event)))
            .map(|b| b.command)
    }

    /// The first key of a command, in the first of its bindings that has one (in `scope` when
    /// given), for hints ("?", "q").
    pub fn first_key(&self, command: Command, scope: Option<Scope>) -> Option<Key> {
        self.bindings
            .iter()
            .filter(|b| b.command == command && scope.is_none_or(|s| s == b.scope))
            .find_map(|b| b.keys.first().copied())
    }

    /// The first key of a command as the help writes it; empty when it has none.
    pub fn label(&self, command: Command) -> String {
        self.first_key(command, None).map(|k| key_label(&k)).unwrap_or_default()
    }
}

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
    if app.focus == Focus::Detail && app.pane == Pane::Record {
        scopes.push(Scope::Record);
    }
    if app.focus == Focus::Detail && app.pane == Pane::Criteria && app.screening.is_some() {
        scopes.insert(0, Scope::Screening);
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
        .and_then(|d| d.pane_lines.get(Pane::Outcomes.index())?.as_ref())
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

fn is_ctrl_c(event: &KeyEvent) -> bool {
    event.code == KeyCode::Char('c') && event.modifiers.contains(KeyModifiers::CONTROL)
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
        // The list of screenings opens the one under the cursor, whatever has the focus.
        if event.code == KeyCode::Enter && matches!(app.overlay, Some(super::app::Overlay::Screenings { .. }))
        {
            return Some(Command::Open);
        }
    }
    let scopes = if app.facets.is_some() {
        vec![Scope::List, Scope::Global]
    } else if matches!(app.overlay, Some(super::app::Overlay::Profiles { .. })) {
        // Enter (the list's), n (the study's) and moving mean the profiles' own things there
        vec![Scope::List, Scope::Study, Scope::Global]
    } else {
        active_scopes(app)
    };
    let bound = scopes.iter().find_map(|&scope| app.keymap.command_in(scope, event));
    // Ctrl-c always quits, even when the settings gave its key away and left quit without one:
    // the app can always be left.
    bound.or_else(|| is_ctrl_c(event).then_some(Command::Quit))
}

/// The text being typed, if any: the note editor (`Scope::Note`), or a line (`Scope::Line`: the
/// query line, the find line in any pane, the export's file name and its question, the go-to
/// picker).
fn typing_in(app: &App) -> Option<Scope> {
    if app.note.is_some() || app.profile_editor.is_some() {
        Some(Scope::Note)
    } else if app.line.is_some() || app.replace.is_some() || app.picker.is_some() {
        Some(Scope::Line)
    } else {
        None
    }
}

/// A key that writes a character: a character with no modifier but Shift.
fn is_text(event: &KeyEvent) -> bool {
    matches!(event.code, KeyCode::Char(_)) && (event.modifiers - KeyModifiers::SHIFT).is_empty()
}

/// A terminal event as an action. While text is being typed (a line or the note editor is open,
/// in any pane, under any overlay) every printable key is text, never a command: only the
/// line's own keys (Enter, Esc, Up, Down; Ctrl-s in the note) and Ctrl-c mean anything else.
pub fn action_for_key(app: &App, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let Some(scope) = typing_in(app) else { return command_for(app, event).map(Action::Key) };
    let text = || Action::Edit(tui_textarea::Input::from(*event));
    if is_ctrl_c(event) {
        // Ctrl-c closes the note editor as Esc does (asking first): it never quits with a note
        // unsaved. From a line it quits, as everywhere.
        return Some(Action::Key(if scope == Scope::Note { Command::Back } else { Command::Quit }));
    }
    if is_text(event) {
        return Some(text());
    }
    Some(app.keymap.command_in(scope, event).map_or_else(text, Action::Key))
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
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    let mut label = String::new();
    for (modifier, prefix) in
        [(KeyModifiers::CONTROL, "Ctrl-"), (KeyModifiers::ALT, "Alt-"), (KeyModifiers::SHIFT, "Shift-")]
    {
        if key.modifiers.contains(modifier) {
            label.push_str(prefix);
        }
    }
    label + &name
}

/// Keys as the help writes them: "j ↓".
pub fn keys_text(keys: &[Key]) -> String {
    keys.iter().map(key_label).collect::<Vec<_>>().join(" ")
}

/// All the keys of a default binding: "j ↓".
pub fn keys_label(binding: &Binding) -> String {
    keys_text(binding.keys)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use ratatui::layout::Size;

    fn app() -> App {
        App::new("test".into(), Size::new(120, 40), crate::tui::theme::Theme::plain())
    }

    fn press(app: &App, code: KeyCode, modifiers: KeyModifiers) -> Option<Command> {
        command_for(app, &KeyEvent::new(code, modifiers))
    }

    fn parsed(text: &str) -> Key {
        Key::parse(text).unwrap()
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
        assert_eq!(press(&app, KeyCode::Esc, KeyModifiers::NONE), Some(Command::ClearSearch));
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
    fn no_key_is_bound_twice_in_a_scope() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in BINDINGS.iter().skip(i + 1) {
                let shared = a.keys.iter().any(|k| b.keys.contains(k));
                assert!(!(shared && a.scope == b.scope), "{a:?} and {b:?} share a key");
            }
        }
    }

    #[test]
    fn a_remappable_action_has_the_same_keys_wherever_it_is_bound() {
        // So the settings file can list one set of keys per action, and writing it back as
        // listed changes nothing.
        for command in remappable() {
            let keys: Vec<&[Key]> = BINDINGS
                .iter()
                .filter(|b| b.command == command && !b.scope.edits_text())
                .map(|b| b.keys)
                .collect();
            assert!(keys.windows(2).all(|w| w[0] == w[1]), "{command:?}: {keys:?}");
        }
    }

    #[test]
    fn action_names_are_snake_case_and_distinct() {
        let names: Vec<&str> = remappable().iter().map(|c| c.name()).collect();
        for (i, name) in names.iter().enumerate() {
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name}");
            assert!(!names[i + 1..].contains(name), "{name} twice");
            assert_eq!(action_named(name).map(Command::name), Some(*name));
        }
        assert!(names.contains(&"next") && names.contains(&"toggle_bookmark"));
        assert_eq!(action_named("submit"), None, "the query line's keys are fixed");
    }

    #[test]
    fn keys_are_parsed_as_the_settings_write_them() {
        let key = |code, modifiers| Key { code, modifiers };
        let none = KeyModifiers::NONE;
        assert_eq!(parsed("j"), key(KeyCode::Char('j'), none));
        assert_eq!(parsed("B"), key(KeyCode::Char('B'), none));
        assert_eq!(parsed("shift-b"), key(KeyCode::Char('B'), none), "as the terminal sends it");
        assert_eq!(parsed("?"), key(KeyCode::Char('?'), none));
        assert_eq!(parsed("-"), key(KeyCode::Char('-'), none));
        assert_eq!(parsed("ctrl-n"), key(KeyCode::Char('n'), KeyModifiers::CONTROL));
        assert_eq!(parsed("Ctrl-N"), key(KeyCode::Char('n'), KeyModifiers::CONTROL));
        assert_eq!(parsed("ctrl--"), key(KeyCode::Char('-'), KeyModifiers::CONTROL));
        assert_eq!(parsed("alt-x"), key(KeyCode::Char('x'), KeyModifiers::ALT));
        assert_eq!(parsed("ctrl-alt-x"), key(KeyCode::Char('x'), KeyModifiers::CONTROL | KeyModifiers::ALT));
        assert_eq!(parsed("shift-tab"), key(KeyCode::BackTab, none));
        assert_eq!(parsed("backtab"), key(KeyCode::BackTab, none));
        assert_eq!(parsed("shift-up"), key(KeyCode::Up, KeyModifiers::SHIFT));
        assert_eq!(parsed("space"), key(KeyCode::Char(' '), none));
        assert_eq!(parsed(" "), key(KeyCode::Char(' '), none));
        assert_eq!(parsed("PageDown"), key(KeyCode::PageDown, none));
        assert_eq!(parsed("f1"), key(KeyCode::F(1), none));
        assert_eq!(parsed("F12"), key(KeyCode::F(12), none));
        assert_eq!(parsed("f"), key(KeyCode::Char('f'), none));
        for name in ["enter", "esc", "tab", "up", "down", "left", "right", "pageup", "home", "end"] {
            assert!(Key::parse(name).is_ok(), "{name}");
        }
        for bad in ["", "ctrl+n", "f13", "f0", "control-x", "shift-1", "jk", "ctrl-"] {
            let error = Key::parse(bad).unwrap_err();
            assert!(error.starts_with(&format!("{bad:?} is not a key")), "{error}");
        }
    }

    #[test]
    fn keys_are_written_back_as_they_are_read() {
        for text in
            ["j", "G", "?", "ctrl-f", "alt-x", "shift-tab", "pagedown", "space", "f5", "shift-up", "esc"]
        {
            assert_eq!(parsed(text).setting(), text);
        }
        assert_eq!(key_label(&parsed("alt-x")), "Alt-x");
        assert_eq!(key_label(&parsed("f5")), "F5");
        assert_eq!(key_label(&parsed("shift-up")), "Shift-↑");
    }

    fn remap(command: Command, keys: &[&str]) -> Remap {
        Remap { command, keys: keys.iter().map(|k| parsed(k)).collect() }
    }

    fn keys_of(keymap: &Keymap, command: Command, scope: Scope) -> String {
        keymap
            .bindings()
            .iter()
            .find(|b| b.command == command && b.scope == scope)
            .map(|b| keys_text(&b.keys))
            .unwrap()
    }

    #[test]
    fn a_remap_replaces_the_actions_keys_in_its_scopes_but_not_in_the_query_line() {
        let (keymap, taken) = Keymap::with_remaps(&[remap(Command::Down, &["j", "down", "ctrl-n"])]);
        assert!(taken.is_empty(), "{taken:?}");
        assert_eq!(keys_of(&keymap, Command::Down, Scope::Global), "j ↓ Ctrl-n");
        assert_eq!(keys_of(&keymap, Command::Down, Scope::Line), "↓", "the line keeps its keys");
        let (keymap, _) = Keymap::with_remaps(&[remap(Command::Back, &["esc"])]);
        assert_eq!(keys_of(&keymap, Command::Back, Scope::Study), "Esc");
        assert_eq!(keys_of(&keymap, Command::ColumnLeft, Scope::Results), "h ←");
        assert_eq!(keymap.bindings().len(), BINDINGS.len());
        assert_eq!(Keymap::with_remaps(&[]).0, Keymap::default());
    }

    #[test]
    fn a_key_given_to_one_action_is_taken_from_another_on_the_same_screen() {
        let (keymap, taken) = Keymap::with_remaps(&[remap(Command::ToggleBookmark, &["Z", "l"])]);
        assert_eq!(keys_of(&keymap, Command::ToggleBookmark, Scope::Global), "Z l");
        // l opened the study from the list, moved the results' columns and unfolded the
        // Record pane's fields: all lose it.
        assert_eq!(keys_of(&keymap, Command::Open, Scope::List), "Enter →");
        assert_eq!(keys_of(&keymap, Command::ColumnRight, Scope::Results), "→");
        let losers: Vec<(Command, Scope)> = taken.iter().map(|t| (t.from, t.scope)).collect();
        assert_eq!(
            losers,
            [
                (Command::Open, Scope::List),
                (Command::ColumnRight, Scope::Results),
                (Command::ColumnRight, Scope::Record)
            ]
        );
        assert!(taken.iter().all(|t| t.by == 0 && t.key == parsed("l") && !t.from_has_no_key));

        let mut app = app();
        app.keymap = keymap;
        assert_eq!(press(&app, KeyCode::Char('l'), KeyModifiers::NONE), Some(Command::ToggleBookmark));
        assert_eq!(press(&app, KeyCode::Char('b'), KeyModifiers::NONE), None, "b is no longer bound");
        assert_eq!(press(&app, KeyCode::Char('Z'), KeyModifiers::SHIFT), Some(Command::ToggleBookmark));
    }

    #[test]
    fn two_remaps_of_one_key_the_later_wins_and_an_action_left_without_keys_is_said() {
        let (keymap, taken) =
            Keymap::with_remaps(&[remap(Command::Export, &["E"]), remap(Command::ToggleErrors, &["E"])]);
        assert_eq!(keys_of(&keymap, Command::ToggleErrors, Scope::Global), "E");
        assert_eq!(keys_of(&keymap, Command::Export, Scope::Global), "");
        assert_eq!(taken.len(), 1);
        assert_eq!((taken[0].by, taken[0].from, taken[0].from_has_no_key), (1, Command::Export, true));

        let (keymap, _) = Keymap::with_remaps(&[remap(Command::Quit, &["x"])]);
        let mut app = app();
        app.keymap = keymap;
        assert_eq!(press(&app, KeyCode::Char('x'), KeyModifiers::NONE), Some(Command::Quit));
        assert_eq!(press(&app, KeyCode::Char('q'), KeyModifiers::NONE), None);
        assert_eq!(press(&app, KeyCode::Char('c'), KeyModifiers::CONTROL), Some(Command::Quit), "always");
    }

    #[test]
    fn scopes_overlap_when_they_can_be_active_together() {
        use Scope::*;
        assert!(Global.overlaps(Results) && List.overlaps(Criteria) && Study.overlaps(Results));
        assert!(!List.overlaps(Study) && !List.overlaps(Results) && !Criteria.overlaps(Sites));
        assert!(!Line.overlaps(Global) && Line.overlaps(Line));
    }
}
