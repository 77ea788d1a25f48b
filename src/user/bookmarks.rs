//! Bookmarks: the studies the user starred, kept in `bookmarks.toml` in the data folder, one
//! table per NCT id in id order (so the file diffs well under git), with the day it was added
//! and the study's title, so that a bookmark whose study is not among the loaded inputs can
//! still be listed by name rather than dropped.
//!
//! Each change re-reads the file under a lock, applies itself, and writes the file atomically:
//! two nct processes bookmarking at once both keep their change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    /// When it was added, `YYYY-MM-DD`.
    pub added: String,
    pub title: String,
}

/// The bookmarks, and the file they live in (none: in memory only, as in tests).
#[derive(Debug, Clone, Default)]
pub struct Bookmarks {
    path: Option<PathBuf>,
    entries: BTreeMap<String, Bookmark>,
}

impl Bookmarks {
    /// The bookmarks in `path` (none when the file does not exist yet). A file that cannot be
    /// read is moved aside (and said so in the second value) rather than overwritten later.
    pub fn load(path: &Path) -> (Bookmarks, Option<String>) {
        let (entries, problem) = store::load_toml(path, store::BOOKMARKS);
        (Bookmarks { path: Some(path.to_path_buf()), entries }, problem)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    pub fn get(&self, id: &str) -> Option<&Bookmark> {
        self.entries.get(id)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The bookmarks whose study is not among `loaded` (absent from the inputs opened): kept,
    /// and listed by the title saved with them.
    pub fn absent(&self, loaded: impl Fn(&str) -> bool) -> Vec<(&str, &Bookmark)> {
        self.iter().filter(|(id, _)| !loaded(id)).collect()
    }

    /// The bookmarked ids, in id order, with their bookmark.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Bookmark)> {
        self.entries.iter().map(|(id, b)| (id.as_str(), b))
    }

    /// Adds the study if it is not bookmarked, removes it if it is; returns whether it is now.
    /// The file is re-read under a lock first, so changes another process made are kept.
    pub fn toggle(&mut self, id: &str, title: &str, today: &str) -> Result<bool, String> {
        let Some(path) = self.path.clone() else {
            let now = self.entries.remove(id).is_none();
            if now {
                self.entries.insert(id.to_string(), Bookmark { added: today.into(), title: title.into() });
            }
            return Ok(now);
        };
        let _lock = store::lock(&path).map_err(|e| e.to_string())?;
        let mut entries: BTreeMap<String, Bookmark> = store::read_toml(&path, store::BOOKMARKS)?;
        let now = if entries.remove(id).is_some() {
            false
        } else {
            entries.insert(id.to_string(), Bookmark { added: today.to_string(), title: title.to_string() });
            true
        };
        let text = toml::to_string(&entries).map_err(|e| format!("cannot write bookmarks: {e}"))?;
        store::write_atomic(&path, text.as_bytes()).map_err(|e| e.to_string())?;
        self.entries = entries;
        Ok(now)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn toggling_saves_a_sorted_readable_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        let (mut bookmarks, problem) = Bookmarks::load(&path);
        assert!(problem.is_none() && bookmarks.is_empty());
        assert!(bookmarks.toggle("NCT05183427", "A \"quoted\" title", "2026-11-25").unwrap());
        assert!(bookmarks.toggle("NCT01447732", "First", "2026-11-24").unwrap());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.find("NCT01447732").unwrap() < text.find("NCT05183427").unwrap(), "{text}");
        assert!(text.contains("added = \"2026-11-24\""), "{text}");
        let (again, _) = Bookmarks::load(&path);
        assert!(again.contains("NCT05183427") && again.contains("NCT01447732"));
        assert_eq!(again.iter().next().unwrap().1.title, "First");
        assert!(!bookmarks.toggle("NCT05183427", "", "2026-11-25").unwrap());
        assert!(!Bookmarks::load(&path).0.contains("NCT05183427"));
    }

    #[test]
    fn another_process_s_bookmark_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        let (mut mine, _) = Bookmarks::load(&path);
        let (mut theirs, _) = Bookmarks::load(&path);
        theirs.toggle("NCT00000001", "Theirs", "2026-11-25").unwrap();
        mine.toggle("NCT00000002", "Mine", "2026-11-25").unwrap();
        let (both, _) = Bookmarks::load(&path);
        assert_eq!(both.len(), 2);
        assert!(mine.contains("NCT00000001"), "re-read before writing");
    }

    #[test]
    fn a_damaged_file_is_reported_and_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        std::fs::write(&path, "[NCT1\nadded = ").unwrap();
        let (mut bookmarks, problem) = Bookmarks::load(&path);
        let problem = problem.unwrap();
        assert!(problem.contains("damaged") && problem.contains("corrupt-"), "{problem}");
        assert!(bookmarks.is_empty());
        bookmarks.toggle("NCT00000001", "New", "2026-11-25").unwrap();
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.contains("corrupt"))
            .collect();
        assert_eq!(kept.len(), 1);
        assert_eq!(std::fs::read_to_string(dir.path().join(&kept[0])).unwrap(), "[NCT1\nadded = ");
    }
}
