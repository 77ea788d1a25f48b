//! The user's settings, `config.toml` in the config folder: the library a bare `nct` opens,
//! whether to colour, how dates are written, the theme and its colours, and the keys. A setting
//! with a mistake is reported with its line and the default used instead; a key nct does not
//! know is a warning, never a failure (it may belong to a newer nct).
//!
//! The file is read with the spans of its keys and values, so that every message, down to one
//! key in a list of keys, names the line it is about. The colours and keys are checked here
//! against the app's own palette and keymap, so that `nct config` reports what the app would.

use std::path::{Path, PathBuf};

use ratatui::style::Color;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::store;
use crate::study::date::DateStyle;
use crate::tui::keymap::{self, BINDINGS, Key, Keymap, Remap};
use crate::tui::theme::{Palette, Role, ThemeName, color_name, parse_color};

/// The head of what `nct config --init` writes: every setting, commented, with its default; the
/// colours and keys are listed after it from the palette and the keymap (see [`default_config`]).
const DEFAULT_SETTINGS: &str = r#"# nct settings. Lines starting with # are comments; remove the # to change a setting.

# Studies `nct` opens when started without a PATH: files, folders or zips, as on the
# command line. A leading ~/ is your home folder.
# library = ["~/trials", "~/Downloads/ctg-studies.json.zip"]

# Colours in the app: "auto" (on, unless the NO_COLOR environment variable is set) or "never".
# color = "auto"

# How dates are written in the app and by `nct show`: "iso" (2024-03-05), "long" (5 Mar 2024),
# "us" (03/05/2024) or "eu" (05.03.2024). A date the registry gives without its day is written
# without it (2024-03, Mar 2024, 03/2024, 03.2024). Exports and JSON keep the registry's form.
# date_format = "iso"

# Colours: "dark" (for a dark background), "light" (for a light one) or "mono" (none, as with
# NO_COLOR; color = "never" and NO_COLOR turn colours off whatever the theme).
# theme = "dark"
"#;

/// What `nct config --init` writes: every setting, commented, with its default, so that the
/// file parses to the defaults as written and each setting is one `#` away.
pub fn default_config() -> String {
    let mut text = DEFAULT_SETTINGS.to_string();
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Never,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub library: Vec<PathBuf>,
    pub color: ColorChoice,
    /// How the app and `nct show` write dates.
    pub date_format: DateStyle,
    /// The palette the app starts from.
    pub theme: ThemeName,
    /// The user's colours for roles, over the theme's, in the file's order.
    pub colors: Vec<(Role, Color)>,
    /// The keys: the defaults with the user's `[keys]` applied.
    pub keys: Keymap,
}

/// A config as read: the settings (defaults where the file had none, or a mistake), and what to
/// tell the user about the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub config: Config,
    /// Mistakes (the setting's default is used) and unknown keys, each naming the file and line.
    pub warnings: Vec<String>,
}

/// Reads `path`; no file means the defaults.
pub fn load(path: &Path) -> Loaded {
    let text = match store::read_text(path, &path.display().to_string(), store::SETTINGS) {
        Ok(Some(text)) => text,
        Ok(None) => return Loaded::default(),
        Err(why) => {
            return Loaded {
                config: Config::default(),
                warnings: vec![format!("{why}; using the defaults")],
            };
        }
    };
    parse(&text, path)
}

/// The settings in `text` (the file at `path`, for messages).
pub fn parse(text: &str, path: &Path) -> Loaded {
    let file = File { text, path };
    let document = match toml::de::DeTable::parse(text) {
        Ok(document) => document.into_inner(),
        Err(e) => {
            let warning = format!(
                "{}: {}; using the default settings",
                file.at(e.span().map_or(0, |s| s.start)),
                e.message().trim()
            );
            return Loaded { config: Config::default(), warnings: vec![warning] };
        }
    };
    let mut loaded = Loaded::default();
    // In the file's order, so that messages read top to bottom.
    let mut settings: Vec<_> = document.iter().collect();
    settings.sort_by_key(|(key, _)| key.span().start);
    for (key, value) in settings {
        let at = file.at(key.span().start);
        let warnings = &mut loaded.warnings;
        let config = &mut loaded.config;
        match key.get_ref().as_ref() {
            "library" => match strings(value.get_ref()) {
                Some(items) => config.library = items.iter().map(|p| super::expand_home(p)).collect(),
                None => warnings.push(format!(
                    "{at}: library must be a list of paths, as in library = [\"~/trials\"]; ignored"
                )),
            },
            "color" => match value.get_ref().as_str() {
                Some("auto") => config.color = ColorChoice::Auto,
                Some("never") => config.color = ColorChoice::Never,
                _ => warnings.push(format!(
                    "{at}: color must be \"auto\" or \"never\", not {}; using \"auto\"",
                    file.source(value)
                )),
            },
            "date_format" => match value.get_ref().as_str().and_then(DateStyle::named) {
                Some(style) => config.date_format = style,
                None => warnings.push(format!(
                    "{at}: date_format must be one of {}, not {}; using \"iso\"",
                    quoted(DateStyle::ALL.iter().map(|(name, _)| *name)),
                    file.source(value)
                )),
            },
            "theme" => match value.get_ref().as_str().and_then(ThemeName::named) {
                Some(name) => config.theme = name,
                None => warnings.push(format!(
                    "{at}: theme must be {}, not {}; using \"dark\"",
                    quoted(ThemeName::ALL.iter().map(|(name, _)| *name)),
                    file.source(value)
                )),
            },
            "colors" => match value.get_ref() {
                DeValue::Table(table) => config.colors = colors(table, &file, warnings),
                _ => warnings.push(format!(
                    "{at}: colors must be a table of roles, as in [colors] accent = \"#5f87af\"; ignored"
                )),
            },
            "keys" => match value.get_ref() {
                DeValue::Table(table) => config.keys = keys(table, &file, warnings),
                _ => warnings.push(format!(
                    "{at}: keys must be a table of actions, as in [keys] toggle_bookmark = \"B\"; ignored"
                )),
            },
            other => warnings.push(format!(
                "{at}: unknown setting {other} (ignored); the settings are {}",
                SETTINGS.join(", ")
            )),
        }
    }
    loaded
}

/// Every setting the file may hold, for the message about one it does not know.
const SETTINGS: [&str; 6] = ["library", "color", "date_format", "theme", "colors", "keys"];

/// The `[keys]` table, applied to the default keymap. An unknown action, or a key that cannot be
/// read, is a warning and the action keeps its keys; a key taken from another action is a
/// warning that says which action has it now.
fn keys(table: &DeTable, file: &File, warnings: &mut Vec<String>) -> Keymap {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    let mut remaps = Vec::new();
    // Where each remapping's keys are written, for messages about one of them.
    let mut written: Vec<Vec<(Key, usize)>> = Vec::new();
    for (name, value) in entries {
        let at = file.at(name.span().start);
        let name = name.get_ref().as_ref();
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
        let items: Vec<&Spanned<DeValue>> = match value.get_ref() {
            DeValue::String(_) => vec![value],
            DeValue::Array(items) => items.iter().collect(),
            _ => {
                warnings.push(format!(
                    "{at}: keys: {name} must be a key or a list of keys, as in {name} = [\"j\", \"down\"]; \
                     {name} keeps its keys"
                ));
                continue;
            }
        };
        let parsed: Result<Vec<(Key, usize)>, (String, usize)> = items
            .iter()
            .map(|item| {
                let offset = item.span().start;
                let text = item
                    .get_ref()
                    .as_str()
                    .ok_or_else(|| (format!("{} is not a key", file.source(item)), offset))?;
                Key::parse(text).map(|key| (key, offset)).map_err(|why| (why, offset))
            })
            .collect();
        match parsed {
            Ok(keys) => {
                remaps.push(Remap { command, keys: keys.iter().map(|&(key, _)| key).collect() });
                written.push(keys);
            }
            Err((why, offset)) => {
                warnings.push(format!("{}: keys: {name}: {why}; {name} keeps its keys", file.at(offset)));
            }
        }
    }
    let (keymap, taken) = Keymap::with_remaps(&remaps);
    for loss in taken {
        let winner = remaps.get(loss.by).map_or("", |r| r.command.name());
        let offset = written
            .get(loss.by)
            .and_then(|keys| keys.iter().find(|(k, _)| *k == loss.key))
            .map_or(0, |&(_, o)| o);
        let loser = loss.from.name();
        let mut warning = format!(
            "{}: keys: {:?} for {winner} was {loser}'s key ({}); {winner} wins",
            file.at(offset),
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
fn colors(table: &DeTable, file: &File, warnings: &mut Vec<String>) -> Vec<(Role, Color)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    let mut colors = Vec::new();
    for (key, value) in entries {
        let at = file.at(key.span().start);
        let name = key.get_ref().as_ref();
        let Some(role) = Role::named(name) else {
            let roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            warnings.push(format!(
                "{at}: colors: unknown role {name} (ignored); the roles are {}",
                roles.join(", ")
            ));
            continue;
        };
        match value.get_ref().as_str().and_then(parse_color) {
            Some(color) => colors.push((role, color)),
            None => warnings.push(format!(
                "{at}: colors: {name} must be a colour name (green, dark-gray, light-blue), \"#rrggbb\" \
                 or a number from 0 to 255, not {}; using the theme's",
                file.source(value)
            )),
        }
    }
    colors
}

/// The file being read, for messages that point into it.
struct File<'a> {
    text: &'a str,
    path: &'a Path,
}

impl File<'_> {
    /// `config.toml:12`: the file and the line of a byte offset.
    fn at(&self, offset: usize) -> String {
        format!("{}:{}", self.path.display(), line_of(self.text, offset))
    }

    /// A value as the user wrote it.
    fn source(&self, value: &Spanned<DeValue>) -> String {
        self.text.get(value.span()).unwrap_or_default().trim().to_string()
    }
}

/// The strings of an array of strings (`None` if it is anything else).
fn strings(value: &DeValue) -> Option<Vec<String>> {
    let DeValue::Array(items) = value else { return None };
    items.iter().map(|item| item.get_ref().as_str().map(str::to_string)).collect()
}

/// `"iso", "long" or "us"`.
fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("\"{n}\"")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(1, |before| before.matches('\n').count() + 1)
}

/// Writes the commented default config to `path`, unless a config is already there.
pub fn init(path: &Path) -> Result<bool, String> {
    if path.exists() {
        return Ok(false);
    }
    store::write_atomic(path, default_config().as_bytes()).map(|()| true)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Loaded {
        parse(text, Path::new("config.toml"))
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
    fn settings_are_read() {
        let loaded = parsed("library = [\"/data/trials\", \"b.zip\"]\ncolor = \"never\"\n");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.config.library, [PathBuf::from("/data/trials"), PathBuf::from("b.zip")]);
        assert_eq!(loaded.config.color, ColorChoice::Never);
    }

    #[test]
    fn a_date_format_is_read_and_a_wrong_one_names_the_styles() {
        let loaded = parsed("date_format = \"long\"\n");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.config.date_format, DateStyle::Long);
        let loaded = parsed("\ndate_format = \"german\"\n");
        assert_eq!(loaded.config.date_format, DateStyle::Iso);
        assert_eq!(
            loaded.warnings,
            [
                "config.toml:2: date_format must be one of \"iso\", \"long\", \"us\" or \"eu\", not \"german\"; \
              using \"iso\""
            ]
        );
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
        assert_eq!(w.len(), 6, "{w:?}");
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

    #[test]
    fn a_syntax_error_names_its_line_and_the_defaults_are_used() {
        let loaded = parsed("color = \"never\"\n\nlibrary = [\"a\",\n");
        assert_eq!(loaded.config, Config::default());
        assert_eq!(loaded.warnings.len(), 1);
        assert!(
            loaded.warnings[0].starts_with("config.toml:3:")
                || loaded.warnings[0].starts_with("config.toml:4:"),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn a_bad_value_or_an_unknown_key_is_a_warning_with_its_line() {
        let loaded = parsed("# settings\ncolor = \"purple\"\nlibrary = [\"a\"]\nkeymap = 3\n");
        assert_eq!(loaded.config.library, [PathBuf::from("a")]);
        assert_eq!(loaded.config.color, ColorChoice::Auto);
        assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
        assert!(
            loaded.warnings.iter().any(|w| w.starts_with("config.toml:2: color must be")),
            "{:?}",
            loaded.warnings
        );
        assert!(
            loaded.warnings.iter().any(|w| w.starts_with("config.toml:4: unknown setting keymap")),
            "{:?}",
            loaded.warnings
        );
    }

    #[test]
    fn init_writes_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nct").join("config.toml");
        assert!(init(&path).unwrap());
        assert!(!init(&path).unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), default_config());
    }
}
