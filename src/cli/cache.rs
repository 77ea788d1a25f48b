//! `nct cache`: where the catalog cache lives, what it holds, and clearing it.

use super::exit;
use super::output::{self, plural, size};
use crate::catalog::cache::Cache;

pub fn run(path: bool, clear: bool) -> u8 {
    let Some(root) = crate::user::cache_dir().map(|d| d.join("catalogs")) else {
        output::error("this system gives no home folder: nct keeps no cache");
        return exit::PROBLEM;
    };
    if path {
        output::print(format!("{}\n", root.display()));
        return exit::OK;
    }
    let cache = Cache::at(root);
    if clear {
        return match cache.clear() {
            Ok((entries, bytes)) => {
                output::print(format!("removed {} ({})\n", plural(entries, "entry", "entries"), size(bytes)));
                exit::OK
            }
            Err(why) => {
                output::error(&why);
                exit::PROBLEM
            }
        };
    }
    let entries = cache.entries();
    let total: u64 = entries.iter().map(|(_, bytes)| bytes).sum();
    let mut out =
        format!("{}: {}, {}\n", cache.root.display(), plural(entries.len(), "entry", "entries"), size(total));
    for (path, bytes) in &entries {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        out.push_str(&format!("  {name}  {}\n", size(*bytes)));
    }
    if std::env::var("NCT_CACHE").is_ok_and(|v| matches!(v.trim(), "off" | "0" | "no")) {
        out.push_str("NCT_CACHE=off: the cache is neither read nor written\n");
    }
    output::print(&out);
    exit::OK
}
