//! `nct config`: where the user's files live (`--path`), a commented default settings file
//! (`--init`), and a check of the settings as they are.

use super::{exit, output};
use crate::user;

pub fn run(path: bool, init: bool) -> u8 {
    let Some(config) = user::config_file() else {
        output::error("this system gives no home folder: nct cannot keep settings, bookmarks or notes");
        return exit::PROBLEM;
    };
    if init {
        match user::config::init(&config) {
            Ok(true) => output::print(format!("wrote {}\n", config.display())),
            Ok(false) => output::print(format!("kept {} (it already exists)\n", config.display())),
            Err(why) => {
                output::error(&why.to_string());
                return exit::PROBLEM;
            }
        }
    }
    if path {
        let shown = |p: Option<std::path::PathBuf>| p.map(|p| p.display().to_string()).unwrap_or_default();
        output::print(format!(
            "settings   {}\nbookmarks  {}\nseen       {}\nnotes      {}\nscreenings {}\nhistory    {}\nprofiles   {}\ncache      {}\n",
            config.display(),
            shown(user::bookmarks_file()),
            shown(user::seen_dir()),
            shown(user::notes_dir()),
            shown(user::screenings_dir()),
            shown(user::history_file()),
            shown(user::profiles::profiles_file()),
            shown(user::cache_dir().map(|d| d.join("catalogs"))),
        ));
    }
    if path || init {
        return exit::OK;
    }
    let loaded = user::config::load(&config);
    if loaded.warnings.is_empty() {
        let state = if config.exists() { "fine" } else { "not written yet: the defaults apply" };
        output::print(format!("{}: {state}\n", config.display()));
        exit::OK
    } else {
        output::eprint_lines(loaded.warnings);
        exit::PROBLEM
    }
}
