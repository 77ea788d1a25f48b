//! The user's own places, as the `directories` crate names them for this platform (on Linux the
//! XDG folders: `$XDG_CACHE_HOME/nct`, else `~/.cache/nct`, and the same for config and data):
//! the catalog cache and the panic log in the cache folder; bookmarks, notes and history in the
//! data folder; settings in the config folder. Every write there goes through [`store`],
//! atomically.

pub mod bookmarks;
pub mod config;
pub mod history;
pub mod notes;
pub mod profiles;
pub mod screenings;
pub mod seen;
pub mod store;

use std::path::PathBuf;

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "nct")
}

/// Where nct keeps what it can rebuild: the catalog cache, the panic log. `None` when the system
/// gives no home folder.
pub fn cache_dir() -> Option<PathBuf> {
    project().map(|dirs| dirs.cache_dir().to_path_buf())
}

/// Where nct keeps what the user made: bookmarks, notes. `None` without a home folder.
pub fn data_dir() -> Option<PathBuf> {
    project().map(|dirs| dirs.data_dir().to_path_buf())
}

/// The bookmarks file.
pub fn bookmarks_file() -> Option<PathBuf> {
    data_dir().map(|d| d.join("bookmarks.toml"))
}

/// The settings file.
pub fn config_file() -> Option<PathBuf> {
    project().map(|dirs| dirs.config_dir().join("config.toml"))
}

/// The history of queries and opened studies.
pub fn history_file() -> Option<PathBuf> {
    data_dir().map(|d| d.join("history.toml"))
}

/// The folder of notes, one file per study.
pub fn notes_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("notes"))
}

/// The folder of screenings, one folder per study and one file per patient screened.
pub fn screenings_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("screenings"))
}

/// The folder of the records of bookmarked studies as last viewed (see [`seen`]).
pub fn seen_dir() -> Option<PathBuf> {
    data_dir().map(|d| d.join("seen"))
}

/// `~/x` as the home folder's `x`: a path from the settings or typed in the app, where no shell
/// expanded it.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(base)) => base.home_dir().join(rest),
        _ => PathBuf::from(path),
    }
}

/// Today's date, `YYYY-MM-DD` (UTC), for the day a bookmark was added.
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:04}-{:02}-{:02}", now.year(), u8::from(now.month()), now.day())
}
