//! `nct cache`: where the catalog cache lives, what it holds, verifying it, and clearing it.

use std::path::{Path, PathBuf};

use super::exit;
use super::output::{self, plural, size};
use crate::catalog::cache::{Cache, Verdict, folder_bytes};

fn root() -> Option<PathBuf> {
    let root = crate::user::cache_dir().map(|d| d.join("catalogs"));
    if root.is_none() {
        output::error("this system gives no home folder: nct keeps no cache");
    }
    root
}

pub fn run(path: bool, clear: bool) -> u8 {
    let Some(root) = root() else { return exit::PROBLEM };
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

/// `nct cache --verify [PATHS]`: every byte of every entry (or of the entry of `inputs`) checked
/// against its checksums, one line per entry; a damaged entry is removed (the next `nct` on its
/// inputs rebuilds it: entries do not record which inputs they are of, so they cannot be rebuilt
/// here).
pub fn verify(inputs: &[PathBuf]) -> u8 {
    let Some(root) = root() else { return exit::PROBLEM };
    let cache = Cache::at(root);
    let folders: Vec<(PathBuf, u64)> = if inputs.is_empty() {
        cache.entries()
    } else {
        match cache.entry_of(inputs) {
            Some(folder) if folder.exists() => vec![(folder.clone(), folder_bytes(&folder))],
            _ => {
                output::print(format!("{}: no entry for these inputs\n", cache.root.display()));
                return exit::OK;
            }
        }
    };
    let mut out =
        format!("{}: {} verified\n", cache.root.display(), plural(folders.len(), "entry", "entries"));
    let mut damaged = 0;
    for (folder, bytes) in &folders {
        let verdict = match cache.verify(folder) {
            Verdict::Sound => "ok".to_string(),
            Verdict::OtherVersion => "written by another version of nct: not verified".to_string(),
            Verdict::Unfinished => "a build under way or interrupted: left alone".to_string(),
            Verdict::Damaged(damage) => {
                damaged += 1;
                match folder.exists() {
                    false => format!("damaged ({damage}): removed; the next nct on its inputs rebuilds it"),
                    true => format!("damaged ({damage}): could not be removed, remove {}", folder.display()),
                }
            }
        };
        out.push_str(&format!("  {}  {}  {verdict}\n", name_of(folder), size(*bytes)));
    }
    output::print(&out);
    if damaged == 0 { exit::OK } else { exit::PROBLEM }
}

fn name_of(folder: &Path) -> String {
    folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}
