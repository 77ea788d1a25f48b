//! The user's settings, `config.toml` in the config folder: the library a bare `nct` opens, and
//! colours. A setting with a mistake is reported with its line and the default used instead; a
//! key nct does not know is a warning, never a failure (it may belong to a newer nct).

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::DeValue;

use super::store;
use crate::study::date::DateStyle;

/// What `nct config --init` writes: every setting, commented, with its default.
pub const DEFAULT_CONFIG: &str = r#"# nct settings. Lines starting with # are comments; remove the # to change a setting.

# Studies `nct` opens when started without a PATH: files, folders or zips, as on the
# command line. A leading ~/ is your home folder.
# library = ["~/trials", "~/Downloads/ctg-studies.json.zip"]

# Colours in the app: "auto" (on, unless the NO_COLOR environment variable is set) or "never".
# color = "auto"

# How dates are written in the app and by `nct show`: "iso" (2024-03-05), "long" (5 Mar 2024),
# "us" (03/05/2024) or "eu" (05.03.2024). A date the registry gives without its day is written
# without it (2024-03, Mar 2024, 03/2024, 03.2024). Exports and JSON keep the registry's form.
# date_format = "iso"
"#;

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
    let text = match store::read_text(path) {
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
                Some(items) => config.library = items.iter().map(|p| expand_home(p)).collect(),
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
            other => warnings.push(format!(
                "{at}: unknown setting {other} (ignored); the settings are {}",
                SETTINGS.join(", ")
            )),
        }
    }
    loaded
}

/// Every setting the file may hold, for the message about one it does not know.
const SETTINGS: [&str; 3] = ["library", "color", "date_format"];

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

/// `~/x` as the home folder's `x`.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(base)) => base.home_dir().join(rest),
        _ => PathBuf::from(path),
    }
}

/// Writes the commented default config to `path`, unless a config is already there.
pub fn init(path: &Path) -> Result<bool, String> {
    if path.exists() {
        return Ok(false);
    }
    store::write_atomic(path, DEFAULT_CONFIG.as_bytes()).map(|()| true)
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
        assert_eq!(parsed(DEFAULT_CONFIG), Loaded::default());
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
    fn init_writes_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nct").join("config.toml");
        assert!(init(&path).unwrap());
        assert!(!init(&path).unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), DEFAULT_CONFIG);
    }
}
