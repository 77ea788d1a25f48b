//! The user's own places, as the `directories` crate names them for this platform (on Linux the
//! XDG folders: `$XDG_CACHE_HOME/nct`, else `~/.cache/nct`): the catalog cache and the panic log
//! live in the cache folder. Config, bookmarks and notes will join them here.

use std::path::PathBuf;

fn project() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "nct")
}

/// Where nct keeps what it can rebuild: the catalog cache, the panic log. `None` when the system
/// gives no home folder.
pub fn cache_dir() -> Option<PathBuf> {
    project().map(|dirs| dirs.cache_dir().to_path_buf())
}
