//! "Since you last looked": each bookmarked study's record as the user last viewed it, one
//! compact JSON file per study in the data folder's `seen/` (`seen/NCT01234567.json`), replaced
//! atomically (through [`store`]) each time the study is viewed again, so that a crash leaves the
//! old copy or the new one. The app keeps the copies as bookmarked studies are viewed;
//! `nct diff --bookmarks PATH` compares them with the records in PATH, and reading them never
//! replaces them (only viewing does).

use std::path::{Path, PathBuf};

use super::store::{self, Kind};

/// A copy is one registry record: a few kilobytes, rarely megabytes (posted results).
pub const SEEN: Kind = Kind { holds: "seen copies", cap: 64 << 20 };

/// The folder of copies.
#[derive(Debug, Clone)]
pub struct SeenCopies {
    folder: PathBuf,
}

impl SeenCopies {
    pub fn new(folder: &Path) -> SeenCopies {
        SeenCopies { folder: folder.to_path_buf() }
    }

    /// The file of study `id`; `None` for anything that is not an NCT id (so a name from a
    /// bookmarks file edited by hand can never lead out of the folder).
    fn file(&self, id: &str) -> Option<PathBuf> {
        let digits = id.strip_prefix("NCT")?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| self.folder.join(format!("{id}.json")))
    }

    /// The record of `id` as last viewed; `None` when it was never kept.
    pub fn get(&self, id: &str) -> Result<Option<Vec<u8>>, String> {
        let Some(file) = self.file(id) else { return Err(format!("{id:?} is not an NCT id")) };
        let label = file.display().to_string();
        store::read_bytes(&file, &label, SEEN).map_err(|e| e.message().to_owned())
    }

    /// The day (UTC, `YYYY-MM-DD`) the copy of `id` was kept, from its file's time; `None` when
    /// there is no copy or the time cannot be read.
    pub fn kept_on(&self, id: &str) -> Option<String> {
        let modified = std::fs::metadata(self.file(id)?).ok()?.modified().ok()?;
        let day = time::OffsetDateTime::from(modified);
        Some(format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day()))
    }

    /// Keeps `record` (the study's JSON) as the copy of `id`, compacted, replacing the last one.
    pub fn keep(&self, id: &str, record: &[u8]) -> Result<(), String> {
        let Some(file) = self.file(id) else { return Err(format!("{id:?} is not an NCT id")) };
        let value: serde_json::Value =
            serde_json::from_slice(record).map_err(|e| format!("the record of {id} is not JSON: {e}"))?;
        let compact = serde_json::to_vec(&value).map_err(|e| e.to_string())?;
        store::write_atomic(&file, &compact).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_kept_compact_and_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let copies = SeenCopies::new(&dir.path().join("seen"));
        assert_eq!(copies.get("NCT00000001").unwrap(), None);
        copies.keep("NCT00000001", b"{\n  \"a\": 1\n}").unwrap();
        assert_eq!(copies.get("NCT00000001").unwrap().unwrap(), b"{\"a\":1}");
        copies.keep("NCT00000001", b"{\"a\": 2}").unwrap();
        assert_eq!(copies.get("NCT00000001").unwrap().unwrap(), b"{\"a\":2}");
        assert_eq!(copies.kept_on("NCT00000001").unwrap(), crate::user::today());
        assert_eq!(copies.kept_on("NCT00000002"), None);
        let files: Vec<_> = std::fs::read_dir(dir.path().join("seen")).unwrap().collect();
        assert_eq!(files.len(), 1, "no temporary file left");
        assert!(copies.keep("NCT00000001", b"{\"a\": ").is_err());
        assert_eq!(
            copies.get("NCT00000001").unwrap().unwrap(),
            b"{\"a\":2}",
            "a bad record replaces nothing"
        );
        for bad in ["../NCT00000001", "NCT", "nct00000001", "NCT0000/1"] {
            assert!(copies.get(bad).is_err() && copies.keep(bad, b"{}").is_err(), "{bad}");
        }
    }
}
