//! Screenings: one patient screened against one study (see
//! [`checklist`](crate::screening::checklist)), one TOML file each in the data folder's
//! `screenings/`, by study and patient reference (`screenings/NCT05183427/P-014.toml`).
//!
//! One file per screening, as notes are one file per study: two coordinators (or two windows)
//! screening different patients never write the same file, and each save replaces a small file
//! atomically, under a lock on that file, so two saves of the same screening never interleave.
//! The files are readable and hold everything a screening log needs (patient, study, title,
//! dates, each criterion's reference, text, answer, note and whether it is a suggestion), so
//! `nct screenings` reads them alone, without the study's inputs.
//!
//! A file that is not a screening (broken TOML, not text) is named in a message and the other
//! screenings still read; the app, about to save over one, moves it aside first
//! (`P-014.toml.corrupt-SECONDS`), as it does a damaged note.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::store::{self, Kind, ReadError};
use crate::screening::checklist::{Screening, patient_reference};

/// A screening file: a few hundred criteria at most, each with a short note.
const SCREENING: Kind = Kind { holds: "screenings", cap: 4 << 20 };

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screenings {
    folder: PathBuf,
}

impl Screenings {
    pub fn new(folder: &Path) -> Screenings {
        Screenings { folder: folder.to_path_buf() }
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The file of a screening; an error for a study id or a patient reference that cannot
    /// name one (ids come from the inputs, references from the user).
    pub fn file(&self, study: &str, patient: &str) -> Result<PathBuf, String> {
        let safe_study =
            !study.is_empty() && study.len() <= 32 && study.chars().all(|c| c.is_ascii_alphanumeric());
        if !safe_study {
            return Err(format!("{study:?} cannot name a screening folder"));
        }
        let patient = patient_reference(patient)?;
        Ok(self.folder.join(study.to_ascii_uppercase()).join(format!("{patient}.toml")))
    }

    /// A screening as saved, `None` when there is none yet. A file that is not a screening is
    /// moved aside (the app is about to write a new one) and the error says where it went.
    pub fn read(&self, study: &str, patient: &str) -> Result<Option<Screening>, String> {
        let file = self.file(study, patient)?;
        match read_screening(&file) {
            Ok(screening) => Ok(screening),
            Err(ReadError::Damaged(why)) => {
                let kept = match store::set_aside(&file) {
                    Ok(aside) => format!("kept as {}", aside.display()),
                    Err(e) => e.to_string(),
                };
                Err(format!("{why}; {kept}; the screening starts afresh"))
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Saves a screening under a lock on its file, dated `today` (`YYYY-MM-DD`): started the
    /// day it was first saved (kept from the file when there is one), updated today. Returns
    /// it as saved.
    pub fn save(&self, screening: &Screening, today: &str) -> Result<Screening, String> {
        let file = self.file(&screening.study, &screening.patient)?;
        let _lock = store::lock(&file).map_err(|e| e.to_string())?;
        let mut saved = screening.clone();
        if saved.started.is_empty() {
            saved.started = match read_screening(&file) {
                Ok(Some(before)) if !before.started.is_empty() => before.started,
                _ => today.to_owned(),
            };
        }
        saved.updated = today.to_owned();
        let text = toml::to_string(&saved).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        let text = format!(
            "# A screening by nct: patient {} for {}. Keep names and identifying data out.\n{text}",
            saved.patient, saved.study
        );
        store::write_atomic(&file, text.as_bytes()).map_err(|e| e.to_string())?;
        Ok(saved)
    }

    /// Every screening, newest first (then by study and patient), and a message for each file
    /// that could not be read (which is left where it is).
    pub fn all(&self) -> (Vec<Screening>, Vec<String>) {
        let mut screenings = Vec::new();
        let mut problems = Vec::new();
        let studies = match fs::read_dir(&self.folder) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return (screenings, problems),
            Err(e) => return (screenings, vec![format!("cannot list {}: {e}", self.folder.display())]),
        };
        let mut files: Vec<PathBuf> = Vec::new();
        for study in studies.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_dir())) {
            match fs::read_dir(study.path()) {
                Ok(entries) => files.extend(
                    entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))),
                ),
                Err(e) => problems.push(format!("cannot list {}: {e}", study.path().display())),
            }
        }
        files.sort();
        for file in files {
            match read_screening(&file) {
                Ok(Some(screening)) => screenings.push(screening),
                Ok(None) => {}
                Err(error) => problems.push(format!("{}; the other screenings are read", error.message())),
            }
        }
        screenings.sort_by(|a, b| {
            b.updated
                .cmp(&a.updated)
                .then_with(|| a.study.cmp(&b.study))
                .then_with(|| a.patient.cmp(&b.patient))
        });
        (screenings, problems)
    }
}

fn read_screening(file: &Path) -> Result<Option<Screening>, ReadError> {
    let label = file.display().to_string();
    let Some(text) = store::read_text(file, &label, SCREENING)? else { return Ok(None) };
    let screening: Screening = toml::from_str(&text).map_err(|e| {
        ReadError::Damaged(format!("{label} is not a screening nct can read: {}", e.message().trim_end()))
    })?;
    if screening.patient.is_empty() || screening.study.is_empty() {
        return Err(ReadError::Damaged(format!(
            "{label} is not a screening nct can read: it names no patient or study"
        )));
    }
    Ok(Some(screening))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::screening::checklist::Answer;
    use crate::study::eligibility::split_criteria;

    fn screening(patient: &str) -> Screening {
        let criteria = split_criteria(
            "Inclusion Criteria:\n\n* Adults\n* ECOG <= 1\n\nExclusion Criteria:\n\n* Pregnant",
        );
        Screening::new(patient, "NCT05183427", "A \"quoted\" title", &criteria)
    }

    #[test]
    fn a_screening_is_saved_dated_read_back_and_listed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Screenings::new(&dir.path().join("screenings"));
        assert_eq!(store.read("NCT05183427", "P-014").unwrap(), None);
        let mut s = screening("P-014");
        s.answer("I1", Some(Answer::Met));
        // Hostile text: quotes, TOML syntax, control characters and right-to-left marks.
        s.note("I1", "\"]] [[item]] ref = \"E9\" \u{202e}\u{7} = 'x'\\");
        s.items[1].text = "line\nbreak\t\"and\" '''quotes'''".to_owned();
        let saved = store.save(&s, "2026-12-06").unwrap();
        assert_eq!((saved.started.as_str(), saved.updated.as_str()), ("2026-12-06", "2026-12-06"));
        let file = dir.path().join("screenings/NCT05183427/P-014.toml");
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains("patient = \"P-014\"") && text.contains("[[item]]"), "{text}");
        assert_eq!(store.read("nct05183427", "P-014").unwrap(), Some(saved.clone()));
        let later = store.save(&saved, "2026-12-07").unwrap();
        assert_eq!((later.started.as_str(), later.updated.as_str()), ("2026-12-06", "2026-12-07"));
        store.save(&screening("P-015"), "2026-12-05").unwrap();
        let (all, problems) = store.all();
        assert!(problems.is_empty(), "{problems:?}");
        let patients: Vec<&str> = all.iter().map(|s| s.patient.as_str()).collect();
        assert_eq!(patients, ["P-014", "P-015"], "newest first");
        assert_eq!(all[0].item("I1").unwrap().note, s.item("I1").unwrap().note);
    }

    #[test]
    fn a_broken_file_is_named_and_the_rest_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let store = Screenings::new(dir.path());
        store.save(&screening("P-1"), "2026-12-06").unwrap();
        let broken = dir.path().join("NCT05183427/P-2.toml");
        fs::write(&broken, "patient = \"P-2\"\n[[item]\nref = ").unwrap();
        let (all, problems) = store.all();
        assert_eq!(all.len(), 1);
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].contains(&broken.display().to_string()) && problems[0].contains("not a screening"),
            "{}",
            problems[0]
        );
        assert!(broken.exists(), "listing moves nothing");
        // The app, resuming it, keeps the broken file aside before a new one is saved.
        let error = store.read("NCT05183427", "P-2").unwrap_err();
        assert!(error.contains("kept as") && !broken.exists(), "{error}");
    }

    #[test]
    fn names_and_paths_are_refused_as_file_names() {
        let store = Screenings::new(Path::new("/nonexistent"));
        assert!(store.file("NCT1", "John Smith").unwrap_err().contains("spaces"));
        assert!(store.file("../x", "P-1").is_err());
        assert!(store.file("NCT1", "../../P1").is_err());
    }
}
