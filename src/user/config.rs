//! The user's settings, `config.toml` in the config folder: the library a bare `nct` opens,
//! whether to colour, how dates are written, the theme and its colours, and the keys. A setting
//! with a mistake is reported with its line and the default used instead; a key nct does not
//! know is a warning, never a failure (it may belong to a newer nct).
//!
//! The file is read with the spans of its keys and values, so that every message, down to one
//! key in a list of keys, names the line it is about. The settings only the app reads (`theme`,
//! `[colors]`, `[keys]`) are kept here as written ([`Entry`]) and parsed by the app, whose palette
//! and keymap know their names (`tui::settings`). The binary registers that reader at start
//! ([`register_app_settings`]), so that every reader of the file (`nct config`, `nct show`, the
//! app) reports the same mistakes, in the file's order, without this module knowing the app.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use toml::Spanned;
use toml::de::DeValue;

use super::store;
use crate::study::date::DateStyle;

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
    default_config_with(APP_SETTINGS.get())
}

/// [`default_config`], with the app's sections from `app` (none: without them).
pub fn default_config_with(app: Option<&AppSettings>) -> String {
    let mut text = DEFAULT_SETTINGS.to_string();
    if let Some(app) = app {
        text.push_str(&(app.commented_defaults)());
    }
    text
}

/// A setting the app reads, as written: its name and value, with where, so that the app's
/// messages name the line as these do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// `config.toml:12`: the file and line of the name.
    pub at: String,
    pub value: Written,
}

/// A value as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// `config.toml:12`: the file and line of the value.
    pub at: String,
    /// The value as the user wrote it, for a message that quotes it.
    pub source: String,
    pub plain: Plain,
}

/// A value's shape, as far as the app's settings need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plain {
    Text(String),
    List(Vec<Written>),
    /// Its entries in the file's order.
    Table(Vec<Entry>),
    /// A number, a boolean, a date: nothing the app's settings take.
    Other,
}

impl Written {
    pub fn text(&self) -> Option<&str> {
        match &self.plain {
            Plain::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// How the app reads its own settings, registered by the binary (see the module doc).
#[derive(Debug, Clone, Copy)]
pub struct AppSettings {
    /// The mistakes in one of the app's settings, each a message naming its line.
    pub check: fn(&Entry) -> Vec<String>,
    /// The commented sections `nct config --init` writes after the others.
    pub commented_defaults: fn() -> String,
}

static APP_SETTINGS: OnceLock<AppSettings> = OnceLock::new();

/// Says who reads the app's settings; the first registration stands.
pub fn register_app_settings(app: AppSettings) {
    let _ = APP_SETTINGS.set(app);
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
    /// The app's settings (`theme`, `[colors]`, `[keys]`) as written, in the file's order.
    pub app: Vec<Entry>,
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
    parse_with(text, path, APP_SETTINGS.get())
}

/// [`parse`], with the app's settings checked by `app` (none: kept unchecked).
pub fn parse_with(text: &str, path: &Path, app: Option<&AppSettings>) -> Loaded {
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
            name @ ("theme" | "colors" | "keys") => {
                let entry = Entry { name: name.to_string(), at, value: file.written(value) };
                if let Some(app) = app {
                    warnings.extend((app.check)(&entry));
                }
                config.app.push(entry);
            }
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

    /// A value, kept as written for the app to read.
    fn written(&self, value: &Spanned<DeValue>) -> Written {
        let plain = match value.get_ref() {
            DeValue::String(text) => Plain::Text(text.to_string()),
            DeValue::Array(items) => Plain::List(items.iter().map(|item| self.written(item)).collect()),
            DeValue::Table(table) => {
                let mut entries: Vec<_> = table.iter().collect();
                entries.sort_by_key(|(key, _)| key.span().start);
                Plain::Table(
                    entries
                        .into_iter()
                        .map(|(key, value)| Entry {
                            name: key.get_ref().to_string(),
                            at: self.at(key.span().start),
                            value: self.written(value),
                        })
                        .collect(),
                )
            }
            _ => Plain::Other,
        };
        Written { at: self.at(value.span().start), source: self.source(value), plain }
    }
}

/// The strings of an array of strings (`None` if it is anything else).
fn strings(value: &DeValue) -> Option<Vec<String>> {
    let DeValue::Array(items) = value else { return None };
    items.iter().map(|item| item.get_ref().as_str().map(str::to_string)).collect()
}

/// `"iso", "long" or "us"`.
pub fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
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
pub fn init(path: &Path) -> Result<bool, store::WriteError> {
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
    fn the_apps_settings_are_kept_as_written_and_its_mistakes_said_in_the_files_order() {
        fn check(entry: &Entry) -> Vec<String> {
            match &entry.value.plain {
                Plain::Table(entries) => {
                    entries.iter().map(|e| format!("{}: {} in {}", e.at, e.name, entry.name)).collect()
                }
                _ => vec![format!("{}: {} is {}", entry.at, entry.name, entry.value.source)],
            }
        }
        let app = AppSettings { check, commented_defaults: || "# [keys]\n".into() };
        let text = "theme = \"odd\"\ncolor = \"purple\"\n[keys]\nnext = [\"j\", 3]\n";
        let loaded = parse_with(text, Path::new("config.toml"), Some(&app));
        assert_eq!(
            loaded.warnings,
            [
                "config.toml:1: theme is \"odd\"",
                "config.toml:2: color must be \"auto\" or \"never\", not \"purple\"; using \"auto\"",
                "config.toml:4: next in keys",
            ]
        );
        let [theme, keys] = loaded.config.app.as_slice() else { panic!("{:?}", loaded.config.app) };
        assert_eq!(theme.value.text(), Some("odd"));
        let Plain::Table(entries) = &keys.value.plain else { panic!("{keys:?}") };
        let Plain::List(items) = &entries[0].value.plain else { panic!("{entries:?}") };
        assert_eq!((items[0].text(), items[1].text(), items[1].source.as_str()), (Some("j"), None, "3"));
        assert_eq!(
            parse_with(text, Path::new("config.toml"), None).warnings.len(),
            1,
            "unchecked without the app"
        );
        assert!(default_config_with(Some(&app)).ends_with("# [keys]\n"));
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
