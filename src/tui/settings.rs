//! The app's own settings: the theme, the colours of its roles and its keys, parsed from the
//! values the user's settings file holds as written (`user::config` reads the file; the palette
//! and the keymap, which know the names, live here). The binary registers [`READER`] with the
//! settings, so that `nct config` and `nct show` report mistakes here as the app does.

use ratatui::style::Color;

use super::keymap::{self, BINDINGS, Key, Keymap, Remap};
use super::theme::{Palette, Role, ThemeName, color_name, parse_color};
use crate::user::config::{AppSettings, Entry, Plain, Written, quoted};

/// What the settings file says of the app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The palette the app starts from.
    pub theme: ThemeName,
    /// The user's colours for roles, over the theme's, in the file's order.
    pub colors: Vec<(Role, Color)>,
    /// The keys: the defaults with the user's `[keys]` applied.
    pub keys: Keymap,
}

/// This module, as the settings reader calls it.
pub const READER: AppSettings = AppSettings { check, commented_defaults };

/// The app's settings among `entries` (the file's, as `user::config` kept them); mistakes
/// leave the defaults (they were said when the file was read).
pub fn read(entries: &[Entry]) -> Settings {
    let mut settings = Settings::default();
    for entry in entries {
        apply(entry, &mut settings);
    }
    settings
}

/// The mistakes in one setting.
fn check(entry: &Entry) -> Vec<String> {
    apply(entry, &mut Settings::default())
}

/// Reads one setting into `settings`; returns what is wrong with it, each naming its line.
fn apply(entry: &Entry, settings: &mut Settings) -> Vec<String> {
    let Entry { name, at, value } = entry;
    let mut warnings = Vec::new();
    match name.as_str() {
        "theme" => match value.text().and_then(ThemeName::named) {
            Some(name) => settings.theme = name,
            None => warnings.push(format!(
                "{at}: theme must be {}, not {}; using \"dark\"",
                quoted(ThemeName::ALL.iter().map(|(name, _)| *name)),
                value.source
            )),
        },
        "colors" => match &value.plain {
            Plain::Table(table) => settings.colors = colors(table, &mut warnings),
            _ => warnings.push(format!(
                "{at}: colors must be a table of roles, as in [colors] accent = \"#5f87af\"; ignored"
            )),
        },
        "keys" => match &value.plain {
            Plain::Table(table) => settings.keys = keys(table, &mut warnings),
            _ => warnings.push(format!(
                "{at}: keys must be a table of actions, as in [keys] toggle_bookmark = \"B\"; ignored"
            )),
        },
        _ => {}
    }
    warnings
}

/// The `[colors]` and `[keys]` sections of `nct config --init`: every role with its colour in
/// the dark theme, every action with its default keys, commented.
fn commented_defaults() -> String {
    let mut text = String::new();
    text.push_str(
        "\n# [colors] gives a role its own colour over the theme's: a name (green, dark-gray,\n\
         # light-blue), \"#rrggbb\", or one of the terminal's 256 colours by number (\"130\").\n\
         # The roles, with their colours in the dark theme:\n\
         # [colors]\n",
    );
    let dark = Palette::dark();
    let lines: Vec<(String, &str)> = Role::ALL
        .iter()
        .map(|&role| (format!("{} = \"{}\"", role.name(), color_name(dark.color_of(role))), role.about()))
        .collect();
    let width = lines.iter().map(|(setting, _)| setting.len()).max().unwrap_or(0);
    for (setting, about) in lines {
        text.push_str(&format!("# {setting:<width$}  # {about}\n"));
    }
    text.push_str(
        "\n# [keys] gives an action keys of its own, in place of its defaults: a key or a list of\n\
         # keys. A key is a character (j, G, ?), a name (enter, esc, tab, backtab, up, down, left,\n\
         # right, pageup, pagedown, home, end, space, f1 to f12), or ctrl-, alt- or shift- and one\n\
         # of those (ctrl-n, shift-tab). A key given to one action is taken from any other that\n\
         # had it. The query line and the note editor keep their keys. The actions, with their\n\
         # default keys:\n\
         # [keys]\n",
    );
    let defaults = Keymap::default();
    let lines: Vec<(String, String)> = keymap::remappable()
        .into_iter()
        .map(|command| {
            let rows: Vec<_> = defaults
                .bindings()
                .iter()
                .filter(|b| b.command == command && !b.scope.edits_text())
                .collect();
            let keys: Vec<String> = rows
                .first()
                .map(|b| b.keys.iter().map(|k| format!("{:?}", k.setting())).collect())
                .unwrap_or_default();
            let about: Vec<&str> = rows.iter().map(|b| b.help).collect();
            (format!("{} = [{}]", command.name(), keys.join(", ")), about.join("; "))
        })
        .collect();
    let width = lines.iter().map(|(setting, _)| setting.len()).max().unwrap_or(0);
    for (setting, about) in lines {
        text.push_str(&format!("# {setting:<width$}  # {about}\n"));
    }
    text
}

/// The `[keys]` table, applied to the default keymap. An unknown action, or a key that cannot be
/// read, is a warning and the action keeps its keys; a key taken from another action is a
/// warning that says which action has it now.
fn keys(entries: &[Entry], warnings: &mut Vec<String>) -> Keymap {
    let mut remaps = Vec::new();
    // Where each remapping's keys are written, for messages about one of them.
    let mut written: Vec<Vec<(Key, &str)>> = Vec::new();
    for Entry { name, at, value } in entries {
        let name = name.as_str();
        let Some(command) = keymap::action_named(name) else {
            if BINDINGS.iter().any(|b| b.command.name() == name) {
                warnings.push(format!(
                    "{at}: keys: {name} is a key of the query line and the note editor, which keep their \
                     keys (there every other key is text); ignored"
                ));
            } else {
                let actions: Vec<&str> = keymap::remappable().iter().map(|c| c.name()).collect();
                warnings.push(format!(
                    "{at}: keys: unknown action {name} (ignored); the actions are {}",
                    actions.join(", ")
                ));
            }
            continue;
        };
        let items: Vec<&Written> = match &value.plain {
            Plain::Text(_) => vec![value],
            Plain::List(items) => items.iter().collect(),
            _ => {
                warnings.push(format!(
                    "{at}: keys: {name} must be a key or a list of keys, as in {name} = [\"j\", \"down\"]; \
                     {name} keeps its keys"
                ));
                continue;
            }
        };
        let parsed: Result<Vec<(Key, &str)>, (String, &str)> = items
            .iter()
            .map(|item| {
                let at = item.at.as_str();
                let text = item.text().ok_or_else(|| (format!("{} is not a key", item.source), at))?;
                Key::parse(text).map(|key| (key, at)).map_err(|why| (why, at))
            })
            .collect();
        match parsed {
            Ok(keys) => {
                remaps.push(Remap { command, keys: keys.iter().map(|&(key, _)| key).collect() });
                written.push(keys);
            }
            Err((why, at)) => {
                warnings.push(format!("{at}: keys: {name}: {why}; {name} keeps its keys"));
            }
        }
    }
    let (keymap, taken) = Keymap::with_remaps(&remaps);
    for loss in taken {
        let winner = remaps.get(loss.by).map_or("", |r| r.command.name());
        let at = written
            .get(loss.by)
            .and_then(|keys| keys.iter().find(|(k, _)| *k == loss.key))
            .map_or("", |&(_, at)| at);
        let loser = loss.from.name();
        let mut warning = format!(
            "{at}: keys: {:?} for {winner} was {loser}'s key ({}); {winner} wins",
            loss.key.setting(),
            loss.scope.title().to_lowercase(),
        );
        if loss.from_has_no_key {
            warning.push_str(&format!(", and {loser} has no key now"));
        }
        warnings.push(warning);
    }
    keymap
}

/// The `[colors]` table: a colour per role; a role or colour nct does not know is a warning and
/// the theme's colour stays.
fn colors(entries: &[Entry], warnings: &mut Vec<String>) -> Vec<(Role, Color)> {
    let mut colors = Vec::new();
    for Entry { name, at, value } in entries {
        let Some(role) = Role::named(name) else {
            let roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            warnings.push(format!(
                "{at}: colors: unknown role {name} (ignored); the roles are {}",
                roles.join(", ")
            ));
            continue;
        };
        match value.text().and_then(parse_color) {
            Some(color) => colors.push((role, color)),
            None => warnings.push(format!(
                "{at}: colors: {name} must be a colour name (green, dark-gray, light-blue), \"#rrggbb\" \
                 or a number from 0 to 255, not {}; using the theme's",
                value.source
            )),
        }
    }
    colors
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::user::config::default_config_with;

    /// What the settings say of the app, with every warning about the file.
    #[derive(Debug, Default, PartialEq, Eq)]
    struct Loaded {
        config: Settings,
        warnings: Vec<String>,
    }

    fn parsed(text: &str) -> Loaded {
        let loaded = crate::user::config::parse_with(text, Path::new("config.toml"), Some(&READER));
        Loaded { config: read(&loaded.config.app), warnings: loaded.warnings }
    }

    fn default_config() -> String {
        default_config_with(Some(&READER))
    }

    #[test]
    fn the_default_file_parses_to_the_defaults() {
        assert_eq!(parsed(&default_config()), Loaded::default());
        // Every setting is one `#` away: the file with its settings uncommented means the same.
        let uncommented: String = default_config()
            .lines()
            .filter_map(|l| l.strip_prefix("# ").filter(|rest| !rest.starts_with(['#', ' '])))
            .filter(|l| {
                let setting = l.split_once(" = ").is_some_and(|(key, _)| {
                    key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                });
                setting || (l.starts_with('[') && l.ends_with(']'))
            })
            .filter(|l| !l.starts_with("library"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(
            uncommented.contains("[colors]\nstatus_recruiting") || uncommented.contains("[colors]\naccent")
        );
        let loaded = parsed(&uncommented);
        assert!(loaded.warnings.is_empty(), "{:?}\n{uncommented}", loaded.warnings);
        assert_eq!(Palette::from_settings(loaded.config.theme, &loaded.config.colors, true), Palette::dark());
        assert!(uncommented.contains("[keys]\nnext = [\"j\", \"down\"] "), "{uncommented}");
        assert!(uncommented.contains("\nquit = [\"q\", \"ctrl-c\"] "), "{uncommented}");
        assert_eq!(loaded.config.keys, Keymap::default(), "every action, as listed, keeps its keys");
    }

    #[test]
    fn a_theme_and_colours_are_read_and_mistakes_keep_the_themes_colours() {
        let loaded = parsed(
            "theme = \"light\"\n[colors]\nstatus_recruiting = \"green\"\naccent = \"#5f87af\"\nkey = \"130\"\n",
        );
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.config.theme, ThemeName::Light);
        assert_eq!(
            loaded.config.colors,
            [
                (Role::StatusRecruiting, Color::Green),
                (Role::Accent, Color::Rgb(0x5f, 0x87, 0xaf)),
                (Role::Key, Color::Indexed(130))
            ]
        );
        let loaded = parsed(
            "theme = \"solarized\"\n\n[colors]\naccent = \"bluish\"\nborder = \"red\"\nerror = \"red\"\n",
        );
        assert_eq!(loaded.config.theme, ThemeName::Dark);
        assert_eq!(loaded.config.colors, [(Role::Error, Color::Red)]);
        assert_eq!(loaded.warnings.len(), 3, "{:?}", loaded.warnings);
        assert!(
            loaded.warnings[0].starts_with(
                "config.toml:1: theme must be \"dark\", \"light\" or \"mono\", not \"solarized\""
            )
        );
        assert!(
            loaded.warnings[1].starts_with("config.toml:4: colors: accent must be a colour name"),
            "{:?}",
            loaded.warnings
        );
        assert!(loaded.warnings[1].ends_with("not \"bluish\"; using the theme's"), "{:?}", loaded.warnings);
        assert!(
            loaded.warnings[2].starts_with(
                "config.toml:5: colors: unknown role border (ignored); the roles are accent, key"
            )
        );
        let loaded = parsed("colors = \"red\"\n");
        assert!(
            loaded.warnings[0].starts_with("config.toml:1: colors must be a table"),
            "{:?}",
            loaded.warnings
        );
    }

    fn keys_of(keymap: &Keymap, action: &str) -> Vec<String> {
        let command = keymap::action_named(action).unwrap();
        let binding = keymap.bindings().iter().find(|b| b.command == command).unwrap();
        binding.keys.iter().map(Key::setting).collect()
    }

    #[test]
    fn keys_are_remapped_by_action_name() {
        let loaded = parsed("[keys]\ntoggle_bookmark = \"B\"\nnext = [\"j\", \"down\", \"ctrl-n\"]\n");
        // B listed the bookmarks: the user's mapping wins, and the warning says so.
        assert_eq!(
            loaded.warnings,
            ["config.toml:2: keys: \"B\" for toggle_bookmark was show_bookmarks's key (everywhere); \
              toggle_bookmark wins, and show_bookmarks has no key now"]
        );
        assert_eq!(keys_of(&loaded.config.keys, "toggle_bookmark"), ["B"]);
        assert!(keys_of(&loaded.config.keys, "show_bookmarks").is_empty());
        assert_eq!(keys_of(&loaded.config.keys, "next"), ["j", "down", "ctrl-n"]);
        assert_eq!(keys_of(&loaded.config.keys, "previous"), ["k", "up"]);
    }

    #[test]
    fn a_key_mistake_names_its_line_and_the_action_keeps_its_keys() {
        let loaded = parsed(
            "[keys]\nnxt = \"n\"\nnext = [\"j\",\n  \"ctrl+n\"]\nsubmit = \"ctrl-m\"\nquit = 3\nexport = \"l\"\n",
        );
        let keys = &loaded.config.keys;
        assert_eq!(keys_of(keys, "next"), ["j", "down"], "the default is kept");
        assert_eq!(keys_of(keys, "quit"), ["q", "ctrl-c"]);
        assert_eq!(keys_of(keys, "export"), ["l"]);
        assert_eq!(keys_of(keys, "open"), ["enter", "right"], "l was taken");
        let w = &loaded.warnings;
        assert_eq!(w.len(), 7, "{w:?}");
        assert!(w[0].starts_with("config.toml:2: keys: unknown action nxt (ignored); the actions are next, previous, page_down,"), "{w:?}");
        assert!(w[1].starts_with("config.toml:4: keys: next: \"ctrl+n\" is not a key: "), "{w:?}");
        assert!(w[1].ends_with("; next keeps its keys"), "{w:?}");
        assert!(w[2].starts_with("config.toml:5: keys: submit is a key of the query line"), "{w:?}");
        assert!(w[3].starts_with("config.toml:6: keys: quit must be a key or a list of keys"), "{w:?}");
        assert_eq!(w[4], "config.toml:7: keys: \"l\" for export was open's key (study list); export wins");
        assert_eq!(
            w[5],
            "config.toml:7: keys: \"l\" for export was column_right's key (outcomes pane, results); export wins"
        );
    }

    #[test]
    fn an_action_that_loses_its_only_key_is_said() {
        let loaded = parsed("[keys]\ntoggle_errors = [\"x\"]\n");
        assert_eq!(
            loaded.warnings,
            [
                "config.toml:2: keys: \"x\" for toggle_errors was export's key (everywhere); toggle_errors wins, and \
              export has no key now"
            ]
        );
    }
}
