//! Notes: what the user wrote against a study ("PI says cohort 2 full"), one markdown file per
//! study in the data folder's `notes/` (`notes/NCT05183427.md`).
//!
//! One file per study, rather than one file of all notes, because two nct processes saving
//! notes at once then never touch the same file unless they edit the same study's note, and
//! each save is an atomic replace of a small file: no lock, no merge, nothing of another
//! study's note at risk. Plain files also read and diff well outside nct.
//!
//! A note file that is not UTF-8 text (written by another program, or damaged) is moved aside
//! as `NCT….md.corrupt-SECONDS` when first read and said so by its name: the user keeps it, and
//! the next note saved on the study cannot overwrite it. A named pipe, a device or a file over
//! 1 MB in a note's place is not read (see [`store::read_bytes`]) and is left where it is.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::store::{self, ReadError};

#[derive(Debug, Clone)]
pub struct Notes {
    folder: PathBuf,
}

impl Notes {
    pub fn new(folder: &Path) -> Notes {
        Notes { folder: folder.to_path_buf() }
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The file of a study's note; `None` for an id that is not a safe file name (ids come from
    /// the inputs, which may hold anything).
    fn file(&self, id: &str) -> Option<PathBuf> {
        let safe = !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric());
        safe.then(|| self.folder.join(format!("{}.md", id.to_ascii_uppercase())))
    }

    /// The study's note, `None` when it has none. A note that is not text is moved aside, and
    /// the error says where.
    pub fn read(&self, id: &str) -> Result<Option<String>, String> {
        let Some(file) = self.file(id) else { return Ok(None) };
        self.read_note(&file)
    }

    fn read_note(&self, file: &Path) -> Result<Option<String>, String> {
        match store::read_text(file, &self.shown(file), store::NOTE) {
            Ok(text) => Ok(text),
            Err(ReadError::Damaged(why)) => {
                let kept = match store::set_aside(file) {
                    Ok(aside) => format!("kept as {}", self.shown(&aside)),
                    Err(e) => e.to_string(),
                };
                Err(format!("{why}; {kept}"))
            }
            // Unreadable is not damaged (a permission, a disk), and a pipe or a device in a
            // note's place is the user's to deal with: either is left where it is.
            Err(error) => Err(error.into()),
        }
    }

    /// `notes/NCT05183427.md`: short enough for the status bar; `nct config --path` says where
    /// the folder is.
    fn shown(&self, file: &Path) -> String {
        let folder = self.folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        format!("{folder}/{name}")
    }

    /// Saves the study's note; an empty (or blank) note removes the file.
    pub fn save(&self, id: &str, text: &str) -> Result<(), String> {
        let file = self.file(id).ok_or_else(|| format!("{id:?} cannot name a note file"))?;
        if text.trim().is_empty() {
            return match fs::remove_file(&file) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    Err(format!("cannot remove {}: {e}", file.display()))
                }
                _ => Ok(()),
            };
        }
        let mut text = text.to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        store::write_atomic(&file, text.as_bytes()).map_err(|e| e.to_string())
    }

    /// Every note, by study id. A note that cannot be read is left out and said why (one that
    /// is not text is moved aside first).
    pub fn all(&self) -> (BTreeMap<String, String>, Vec<String>) {
        let mut notes = BTreeMap::new();
        let mut problems = Vec::new();
        let entries = match fs::read_dir(&self.folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return (notes, problems),
            Err(e) => return (notes, vec![format!("cannot list {}: {e}", self.folder.display())]),
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(id) = path
                .file_stem()
                .and_then(|s| s.to_str())
                .filter(|_| path.extension().is_some_and(|e| e == "md"))
            else {
                continue;
            };
            match self.read_note(&path) {
                Ok(Some(text)) => {
                    notes.insert(id.to_string(), text);
                }
                Ok(None) => {}
                Err(why) => problems.push(why),
            }
        }
        (notes, problems)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_saved_read_and_removed_when_emptied() {
        let dir = tempfile::tempdir().unwrap();
        let notes = Notes::new(&dir.path().join("notes"));
        assert_eq!(notes.read("NCT05183427").unwrap(), None);
        notes.save("nct05183427", "PI says cohort 2 full").unwrap();
        assert_eq!(notes.read("NCT05183427").unwrap().as_deref(), Some("PI says cohort 2 full\n"));
        assert!(dir.path().join("notes").join("NCT05183427.md").exists());
        notes.save("NCT01447732", "ask about prior biologics\n").unwrap();
        let (all, problems) = notes.all();
        assert!(problems.is_empty());
        assert_eq!(all.keys().collect::<Vec<_>>(), ["NCT01447732", "NCT05183427"]);
        notes.save("NCT05183427", "  \n").unwrap();
        assert_eq!(notes.read("NCT05183427").unwrap(), None);
    }

    #[test]
    fn a_note_that_is_not_text_is_kept_aside_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("notes");
        let notes = Notes::new(&folder);
        notes.save("NCT01447732", "fine").unwrap();
        let damaged = b"PI says \xff\xfe cohort 2";
        fs::write(folder.join("NCT05183427.md"), damaged).unwrap();
        let (all, problems) = notes.all();
        assert_eq!(all.keys().collect::<Vec<_>>(), ["NCT01447732"], "the others still read");
        assert_eq!(problems.len(), 1, "{problems:?}");
        let problem = &problems[0];
        assert!(
            problem
                .starts_with("notes/NCT05183427.md is not UTF-8 text; kept as notes/NCT05183427.md.corrupt-"),
            "{problem}"
        );
        let aside: Vec<_> = fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(notes.read("NCT05183427").unwrap(), None, "moved, so the study has no note now");
        notes.save("NCT05183427", "a new note").unwrap();
        assert_eq!(fs::read(&aside[0]).unwrap(), damaged, "the saved note went to a new file");
        assert_eq!(notes.read("NCT05183427").unwrap().as_deref(), Some("a new note\n"));
    }

    #[test]
    fn an_id_that_is_not_a_file_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let notes = Notes::new(dir.path());
        assert!(notes.save("../../etc/passwd", "x").is_err());
        assert_eq!(notes.read("../x").unwrap(), None);
    }
}
