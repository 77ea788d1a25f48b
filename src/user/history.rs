//! History: the queries entered in the app's query line (for Up/Down, across runs) and the
//! studies recently opened, kept in `history.toml` in the data folder, oldest first, each once
//! (an entry used again moves to the end), at most [`KEEP`] of each. An opened study's title is
//! kept with it, so that the recently viewed list can name a study the inputs of another day do
//! not hold.
//!
//! Each addition re-reads the file under a lock and writes it atomically, so two nct windows
//! add to one history without losing each other's entries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::store;

/// Entries kept of each kind; older ones fall off.
pub const KEEP: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Entries {
    pub queries: Vec<String>,
    pub viewed: Vec<String>,
    /// The titles of the viewed studies, by id (files written before titles were kept have
    /// none).
    pub viewed_titles: BTreeMap<String, String>,
}

impl Entries {
    /// The viewed studies, newest first, each with its title when known.
    pub fn recently_viewed(&self) -> Vec<(&str, Option<&str>)> {
        self.viewed
            .iter()
            .rev()
            .map(|id| (id.as_str(), self.viewed_titles.get(id).map(String::as_str)))
            .collect()
    }

    /// Adds a study opened now (newest), with its title.
    pub fn add_viewed(&mut self, id: &str, title: &str) {
        push_once(&mut self.viewed, id);
        self.viewed_titles.insert(id.to_string(), title.to_string());
        let viewed = &self.viewed;
        self.viewed_titles.retain(|id, _| viewed.contains(id));
    }
}

/// The history file, and what it held when last read.
#[derive(Debug, Clone)]
pub struct History {
    path: PathBuf,
}

impl History {
    pub fn new(path: &Path) -> History {
        History { path: path.to_path_buf() }
    }

    /// What the file holds; a damaged file is moved aside and said so (second value).
    pub fn load(&self) -> (Entries, Option<String>) {
        store::load_toml(&self.path, store::HISTORY)
    }

    /// Adds a query entered in the query line; returns the queries as they now are.
    pub fn add_query(&self, query: &str) -> Result<Vec<String>, String> {
        self.change(|entries| push_once(&mut entries.queries, query)).map(|e| e.queries)
    }

    /// Adds a study the user opened, with its title; returns the history as it now is.
    pub fn add_viewed(&self, id: &str, title: &str) -> Result<Entries, String> {
        self.change(|entries| entries.add_viewed(id, title))
    }

    fn change(&self, apply: impl FnOnce(&mut Entries)) -> Result<Entries, String> {
        let _lock = store::lock(&self.path).map_err(|e| e.to_string())?;
        let mut entries: Entries = store::read_toml(&self.path, store::HISTORY)?;
        apply(&mut entries);
        let text = toml::to_string(&entries).map_err(|e| format!("cannot write the history: {e}"))?;
        store::write_atomic(&self.path, text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(entries)
    }
}

fn push_once(list: &mut Vec<String>, item: &str) {
    list.retain(|known| known != item);
    list.push(item.to_string());
    let extra = list.len().saturating_sub(KEEP);
    list.drain(..extra);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_kept_once_newest_last_and_shared_between_processes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.toml");
        let (one, two) = (History::new(&path), History::new(&path));
        one.add_query("cancer").unwrap();
        two.add_query("status:open").unwrap();
        assert_eq!(one.add_query("cancer").unwrap(), ["status:open", "cancer"]);
        one.add_viewed("NCT05183427", "Torvasiran").unwrap();
        two.add_viewed("NCT01447732", "Capecitabine").unwrap();
        let (entries, problem) = two.load();
        assert!(problem.is_none());
        assert_eq!(entries.queries, ["status:open", "cancer"]);
        assert_eq!(entries.viewed, ["NCT05183427", "NCT01447732"]);
        assert_eq!(
            entries.recently_viewed(),
            [("NCT01447732", Some("Capecitabine")), ("NCT05183427", Some("Torvasiran"))]
        );
    }

    #[test]
    fn a_file_without_titles_still_reads_and_titles_go_with_their_entries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.toml");
        std::fs::write(&path, "queries = []\nviewed = [\"NCT00000001\"]\n").unwrap();
        let history = History::new(&path);
        let (entries, problem) = history.load();
        assert!(problem.is_none());
        assert_eq!(entries.recently_viewed(), [("NCT00000001", None)]);
        let mut entries = Entries::default();
        for i in 0..=KEEP {
            entries.add_viewed(&format!("NCT{i:08}"), "t");
        }
        assert_eq!(entries.viewed.len(), KEEP);
        assert_eq!(entries.viewed_titles.len(), KEEP, "the fallen entry's title goes too");
    }

    #[test]
    fn only_the_newest_are_kept() {
        let mut list: Vec<String> = (0..KEEP).map(|i| i.to_string()).collect();
        push_once(&mut list, "new");
        assert_eq!(list.len(), KEEP);
        assert_eq!(list.first().map(String::as_str), Some("1"));
        assert_eq!(list.last().map(String::as_str), Some("new"));
    }

    #[test]
    fn a_damaged_history_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.toml");
        std::fs::write(&path, "queries = [").unwrap();
        let (entries, problem) = History::new(&path).load();
        assert_eq!(entries, Entries::default());
        assert!(problem.unwrap().contains("corrupt-"));
    }
}
