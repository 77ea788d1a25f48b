//! The user's settings, `config.toml` in the config folder: the library a bare `nct` opens, and
//! colours. A setting with a mistake is reported with its line and the default used instead; a
//! key nct does not know is a warning, never a failure (it may belong to a newer nct).

use std::path::{Path, PathBuf};

use super::store;

/// What `nct config --init` writes: every setting, commented, with its default.
pub const DEFAULT_CONFIG: &str = r#"# nct settings. Lines starting with # are comments; remove the # to change a setting.

# Studies `nct` opens when started without a PATH: files, folders or zips, as on the
# command line. A leading ~/ is your home folder.
# library = ["~/trials", "~/Downloads/ctg-studies.json.zip"]

# Colours in the app: "auto" (on, unless the NO_COLOR environment variable is set) or "never".
# color = "auto"
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
    let at = |offset: Option<usize>| match offset {
        Some(offset) => format!("{}:{}", path.display(), line_of(text, offset)),
        None => path.display().to_string(),
    };
    let table: toml::Table = match text.parse() {
        Ok(table) => table,
        Err(e) => {
            let warning = format!(
                "{}: {}; using the default settings",
                at(e.span().map(|s| s.start)),
                e.message().trim()
            );
            return Loaded { config: Config::default(), warnings: vec![warning] };
        }
    };
    // Where a key is written, for messages about its value.
    let line_of_key = |key: &str| text.lines().position(|l| l.trim_start().starts_with(key)).map(|n| n + 1);
    let key_at = |key: &str| match line_of_key(key) {
        Some(line) => format!("{}:{line}", path.display()),
        None => path.display().to_string(),
    };
    let mut loaded = Loaded::default();
    for (key, value) in &table {
        match key.as_str() {
            "library" => match value.as_array() {
                Some(items) if items.iter().all(toml::Value::is_str) => {
                    loaded.config.library =
                        items.iter().filter_map(toml::Value::as_str).map(expand_home).collect();
                }
                _ => loaded.warnings.push(format!(
                    "{}: library must be a list of paths, as in library = [\"~/trials\"]; ignored",
                    key_at("library")
                )),
            },
            "color" => match value.as_str() {
                Some("auto") => loaded.config.color = ColorChoice::Auto,
                Some("never") => loaded.config.color = ColorChoice::Never,
                _ => loaded.warnings.push(format!(
                    "{}: color must be \"auto\" or \"never\", not {value}; using \"auto\"",
                    key_at("color")
                )),
            },
            other => loaded.warnings.push(format!(
                "{}: unknown setting {other} (ignored); the settings are library and color",
                key_at(other)
            )),
        }
    }
    loaded
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
