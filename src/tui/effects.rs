//! What `update` asks the world to do, and the small runtime that does it. `update` never
//! touches a file: it changes the state and names the effects (read this record, save this note,
//! write the bookmarks…); `perform` carries one out and hands its result back as an action,
//! which `update` takes like any other. `step` runs an action and every effect that follows from
//! it to the end, as the app's loop and the tests do, so the screen drawn next sees it all.

use std::collections::VecDeque;
use std::path::PathBuf;

use super::action::{Action, SeenRead};
use super::app::{App, SinceLooked};
use super::update::update;
use crate::catalog::{self, Summary, TextIndex, diff};
use crate::screening::checklist::Screening;
use crate::source::{Locator, Origin};
use crate::user::bookmarks::Bookmarks;
use crate::user::history::History;
use crate::user::notes::Notes;
use crate::user::screenings::Screenings;
use crate::user::seen::SeenCopies;

/// Something `update` wants done outside the state: file reads and writes.
#[derive(Debug)]
pub enum Effect {
    /// Read the selected study's record again from its source, and the user's note on it; for
    /// a bookmarked study (`seen`), compare it with the copy kept when it was last viewed.
    /// Answered by [`Action::StudyRead`].
    ReadStudy {
        id: Box<str>,
        locator: Locator,
        origin: Origin,
        notes: Option<Notes>,
        seen: Option<SeenCopies>,
    },
    /// Keep a viewed bookmarked study's record as now seen. Answered by [`Action::SeenKept`].
    KeepSeen { id: Box<str>, json: Vec<u8>, copies: SeenCopies },
    /// Keep a study's record, read again, as now seen (it was just bookmarked). Answered by
    /// [`Action::SeenKept`].
    KeepSeenFrom { id: Box<str>, locator: Locator, copies: SeenCopies },
    /// Compare the loaded studies with the older inputs `old` (`nct NEW --since OLD`): only the
    /// studies whose fingerprints differ are read again. Answered by [`Action::SinceCompared`].
    CompareSince { old: PathBuf },
    /// Compare the bookmarked studies' records with their copies as last viewed, once the
    /// studies are loaded: a few records read, not the list. Answered by [`Action::SeenChecked`].
    CheckSeen { studies: Vec<(Box<str>, Locator)>, copies: SeenCopies },
    /// Read the selected study's record again as JSON, for the Record pane. Answered by
    /// [`Action::RecordJsonRead`].
    ReadRecordJson { id: Box<str>, locator: Locator, origin: Origin },
    /// Read the note as saved, to open the editor on it. Answered by [`Action::NoteRead`].
    ReadNote { id: Box<str>, notes: Notes },
    /// Save a patient profile in the profiles file, in place of the one of its name (re-read
    /// and written under its lock). Answered by [`Action::ProfileSaved`].
    SaveProfile { path: std::path::PathBuf, profile: crate::screening::profile::Profile },
    /// Save a note (an empty one is removed). Answered by [`Action::NoteSaved`].
    SaveNote { id: Box<str>, text: String, notes: Notes },
    /// Star or unstar a study in the bookmarks (their file re-read and written under a lock).
    /// Answered by [`Action::BookmarkToggled`].
    ToggleBookmark { id: Box<str>, title: String, bookmarks: Bookmarks },
    /// Add a study the user opened to the history file. Answered by [`Action::ViewedRecorded`].
    RecordViewed { id: Box<str>, title: String, history: History },
    /// Add a query entered in the list's line to the history file (`entered`: the line's text,
    /// acted on once it is saved). Answered by [`Action::QueryRecorded`].
    RecordQuery { query: String, entered: String, history: History },
    /// Read the history file again, for what other windows opened. Answered by
    /// [`Action::HistoryRead`].
    ReadHistory(History),
    /// Check the file named for an export (exists? one of the inputs?). Answered by
    /// [`Action::ExportChecked`].
    CheckExport { typed: String },
    /// Write the listed studies to `path`. Answered by [`Action::Exported`].
    Export { path: PathBuf, replace: bool },
    /// Remove the cache entry of a text index that failed, so the next start builds it again.
    ForgetIndex(TextIndex),
    /// Read a screening as saved, to resume it. Answered by [`Action::ScreeningRead`].
    ReadScreening { study: Box<str>, patient: String, store: Screenings },
    /// Save a screening (dated today, under a lock). Answered by [`Action::ScreeningSaved`].
    SaveScreening { screening: Box<Screening>, store: Screenings },
    /// Read every screening again (other windows save too). Answered by
    /// [`Action::ScreeningsListed`].
    ListScreenings(Screenings),
    /// Write the screening log to the file named (never over a file, nor over an input).
    /// Answered by [`Action::ScreeningLogExported`].
    ExportScreeningLog { typed: String, screenings: Vec<Screening> },
}

/// Carries out one effect and returns what came of it, for `update`. The state is only read
/// (the studies an export writes, the inputs it must not write over).
pub fn perform(app: &App, effect: Effect) -> Option<Action> {
    Some(match effect {
        Effect::ReadStudy { id, locator, origin, notes, seen } => {
            let json = catalog::raw_record(&locator).map_err(catalog::RecordError::from);
            let record = json
                .as_deref()
                .map_err(ToString::to_string)
                .and_then(|json| catalog::parse_study(json).map_err(|e| e.to_string()))
                .map(Box::new)
                .map_err(|e| format!("cannot read {id} again from {origin}: {e}"));
            let seen = match (seen, json, &record) {
                (Some(copies), Ok(json), Ok(_)) => {
                    let since = since_looked(&copies, &id, &json);
                    Some(Box::new(SeenRead { copies, json, since }))
                }
                _ => None,
            };
            let note = notes.and_then(|notes| match notes.read(&id) {
                Ok(note) => note,
                Err(why) => Some(format!("(the note cannot be read: {why})")),
            });
            Action::StudyRead { id, record, note, seen }
        }
        Effect::KeepSeen { id, json, copies } => {
            let result = copies.keep(&id, &json);
            Action::SeenKept { id, result }
        }
        Effect::KeepSeenFrom { id, locator, copies } => {
            let result = catalog::raw_record(&locator)
                .map_err(|e| e.to_string())
                .and_then(|json| copies.keep(&id, &json));
            Action::SeenKept { id, result }
        }
        Effect::CompareSince { old } => {
            let cache = catalog::cache::Cache::from_env();
            let before = diff::Side::open_old(std::slice::from_ref(&old), cache.as_ref());
            let studies = app
                .studies
                .iter()
                .map(|s| diff::Fingerprinted {
                    id: s.id.clone(),
                    content: s.content,
                    locator: s.locator.clone(),
                    origin: s.origin.clone(),
                })
                .collect();
            let now = diff::Side { studies, ..diff::Side::default() };
            let difference = diff::compare(&before, &now, None);
            let mut problems: Vec<String> = before.errors.iter().map(ToString::to_string).collect();
            problems.extend(difference.unreadable.iter().map(ToString::to_string));
            problems.extend(before.cache_problem.clone());
            Action::SinceCompared { difference: Box::new(difference), problems }
        }
        Effect::CheckSeen { studies, copies } => {
            let changed = studies
                .into_iter()
                .filter(|(id, locator)| {
                    let Ok(json) = catalog::raw_record(locator) else { return false };
                    matches!(since_looked(&copies, id, &json), Ok(Some(_)))
                })
                .map(|(id, _)| id)
                .collect();
            Action::SeenChecked(changed)
        }
        Effect::ReadRecordJson { id, locator, origin } => {
            let json = catalog::raw_record(&locator)
                .map_err(|e| e.to_string())
                .and_then(|bytes| serde_json::from_slice(&bytes).map_err(|e| e.to_string()))
                .map_err(|e| format!("cannot read {id} again from {origin}: {e}"));
            Action::RecordJsonRead { id, json }
        }
        Effect::ReadNote { id, notes } => {
            let saved = notes.read(&id);
            Action::NoteRead { id, saved }
        }
        Effect::SaveProfile { path, profile } => {
            let result = crate::user::profiles::save(&path, &profile);
            Action::ProfileSaved { name: profile.name, result }
        }
        Effect::SaveNote { id, text, notes } => {
            let result = notes.save(&id, &text);
            Action::NoteSaved { id, text, result }
        }
        Effect::ToggleBookmark { id, title, mut bookmarks } => {
            let result = bookmarks.toggle(&id, &title, &crate::user::today());
            Action::BookmarkToggled { id, bookmarks, result }
        }
        Effect::RecordViewed { id, title, history } => {
            Action::ViewedRecorded(history.add_viewed(&id, &title))
        }
        Effect::RecordQuery { query, entered, history } => {
            Action::QueryRecorded { entered, result: history.add_query(&query) }
        }
        Effect::ReadHistory(history) => {
            let (entries, problem) = history.load();
            Action::HistoryRead { entries, problem }
        }
        Effect::CheckExport { typed } => {
            let target = catalog::export::target(&typed, &app.inputs, &app.studies);
            Action::ExportChecked { typed, target }
        }
        Effect::Export { path, replace } => {
            let studies: Vec<&Summary> = app.visible.iter().filter_map(|&i| app.studies.get(i)).collect();
            let result = catalog::export::export(&studies, &path, replace);
            Action::Exported { path, result }
        }
        Effect::ForgetIndex(index) => {
            catalog::cache::forget(&index);
            return None;
        }
        Effect::ReadScreening { study, patient, store } => {
            let saved = store.read(&study, &patient);
            Action::ScreeningRead { study, patient, saved }
        }
        Effect::SaveScreening { screening, store } => {
            Action::ScreeningSaved(store.save(&screening, &crate::user::today()))
        }
        Effect::ListScreenings(store) => {
            let (screenings, problems) = store.all();
            Action::ScreeningsListed { screenings, problems }
        }
        Effect::ExportScreeningLog { typed, screenings } => {
            let (path, result) = export_screening_log(&typed, &screenings, &app.inputs);
            Action::ScreeningLogExported { path, result }
        }
    })
}

/// Writes the screening log to the file `typed` names (relative to the working folder), in the
/// format its extension says; never over a file that exists, nor over one of the inputs.
fn export_screening_log(
    typed: &str,
    screenings: &[Screening],
    inputs: &[PathBuf],
) -> (PathBuf, Result<usize, String>) {
    use crate::present::screening_log;
    // A leading `~/` is the home folder, as in the list's export; a relative name is where nct
    // was started.
    let named = crate::user::expand_home(typed);
    let path = std::env::current_dir().map(|d| d.join(&named)).unwrap_or(named);
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let rows: Vec<_> = screenings.iter().map(screening_log::row).collect();
    let text = match extension.as_str() {
        "csv" => screening_log::csv(&rows),
        "md" | "markdown" => screening_log::markdown(&rows),
        "json" => screening_log::json(&rows),
        "txt" | "text" => screening_log::text(&rows),
        _ => return (path, Err(format!("{typed:?}: name a .csv, .md, .json or .txt file"))),
    };
    let canonical = |p: &std::path::Path| std::fs::canonicalize(p).ok();
    if inputs.iter().any(|input| canonical(input).is_some_and(|c| Some(c) == canonical(&path))) {
        return (path, Err(format!("{typed} is one of the loaded inputs: name another file")));
    }
    let result =
        crate::user::store::write_new(&path, text.as_bytes()).map(|()| rows.len()).map_err(|e| match e {
            crate::user::store::WriteError::MadeMeanwhile { .. } => {
                format!("{typed} exists: name another file (it is kept as it is)")
            }
            e => e.to_string(),
        });
    (path, result)
}

/// What changed in study `id` (its record now: `json`) since the copy kept when it was last
/// viewed; `None` when there is no copy or nothing changed.
fn since_looked(copies: &SeenCopies, id: &str, json: &[u8]) -> Result<Option<SinceLooked>, String> {
    let Some(copy) = copies.get(id)? else { return Ok(None) };
    let damaged = |e: serde_json::Error| {
        format!("{id}: the copy kept when it was last viewed is damaged ({e}); it is replaced now")
    };
    let was: serde_json::Value = serde_json::from_slice(&copy).map_err(damaged)?;
    let is: serde_json::Value =
        serde_json::from_slice(json).map_err(|e| format!("{id}: the record is not JSON ({e})"))?;
    let changes = crate::study::changes::compare(&was, &is);
    Ok((!changes.is_empty()).then(|| SinceLooked { day: copies.kept_on(id), changes }))
}

/// Runs `action` through `update`, then each effect it asked for, feeding the results back, in
/// order, until none is left.
pub fn step(app: &mut App, action: Action) {
    let mut pending: VecDeque<Effect> = update(app, action).into();
    while let Some(effect) = pending.pop_front() {
        if let Some(result) = perform(app, effect) {
            pending.extend(update(app, result));
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::tui::test_app::*;

    #[test]
    fn update_names_the_reads_and_writes_and_only_the_runtime_does_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bookmarks.toml");
        let mut app = assets_app(120, 40);
        app.bookmarks = crate::user::bookmarks::Bookmarks::load(&file).0;
        let first = app.studies[0].id.clone();

        // Moving down asks for the next record; the detail stays until it is read.
        let effects = update(&mut app, Action::Key(Command::Down));
        let [Effect::ReadStudy { id, .. }] = effects.as_slice() else { panic!("{effects:?}") };
        assert_eq!(*id, app.studies[1].id);
        assert_eq!(app.detail.as_ref().unwrap().id, first);
        let read = effects.into_iter().next().unwrap();
        let answer = perform(&app, read).unwrap();
        assert!(update(&mut app, answer).is_empty());
        assert_eq!(app.detail.as_ref().unwrap().id, app.studies[1].id);

        // `b` names the bookmark to write; nothing is written until it is performed.
        let effects = update(&mut app, Action::Key(Command::ToggleBookmark));
        assert!(matches!(effects.as_slice(), [Effect::ToggleBookmark { .. }]), "{effects:?}");
        assert!(!file.exists() && app.message.is_none());
        for effect in effects {
            let answer = perform(&app, effect).unwrap();
            assert!(update(&mut app, answer).is_empty());
        }
        assert!(std::fs::read_to_string(&file).unwrap().contains(&*app.studies[1].id));
        assert!(app.message.as_deref().unwrap().contains("bookmarked"), "{:?}", app.message);
    }

    /// The modules `update` calls, with what would be I/O in them: a read or a write there
    /// belongs in `perform`.
    #[test]
    fn the_update_modules_do_no_io() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/tui");
        let mut files =
            vec!["update.rs", "detail.rs", "list_rows.rs", "list_view.rs", "navigate.rs", "query_line.rs"]
                .into_iter()
                .map(|f| root.join(f))
                .collect::<Vec<_>>();
        for entry in std::fs::read_dir(root.join("panes")).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with("_keys.rs") || name == "find.rs" {
                files.push(path);
            }
        }
        assert!(files.len() >= 15, "{files:?}");
        let io = [
            "std::fs",
            "File::",
            "full_record",
            "notes.read",
            "notes.save",
            ".toggle(&",
            "add_query",
            "add_viewed",
            ".load()",
            "cache::forget",
            "export::export",
            "export::target",
            "user::today",
        ];
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            for word in io {
                assert!(!code.contains(word), "{} has {word}: that is an effect's job", file.display());
            }
        }
    }
}
