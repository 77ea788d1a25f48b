//! The one place the app's state changes: `update(&mut App, Action)`, which returns the effects
//! it asks for (reading a record, saving a note…; see `effects`) and does no I/O itself. It
//! dispatches each action to the part of the app it belongs to (the panes own their keys, in
//! `panes/*_keys.rs`), then brings the derived state up to date (the selected study's record
//! asked for, the visible pane's lines built for the current width, scroll positions clamped),
//! so that `view` only has to draw.

use ratatui::layout::Size;
use tui_textarea::Input;

use super::action::{Action, Command};
use super::app::{App, Focus, ListView, Overlay};
use super::detail::{build_document, load_selected, read_selected_as_seen, study_read};
use super::effects::Effect;
use super::list_rows::{
    any_row_of, clear_filter, cycle_sort, keep_selection_visible, mark_rows, reapply_filter,
};
use super::list_view::{
    bookmark_toggled, fill_view, history_read, leave_view, mark_bookmarked, remember_viewed, toggle_bookmark,
    toggle_view, viewed_recorded,
};
use super::navigate::{move_focused, on_click, on_scroll, show_pane};
use super::panes::{
    criteria_keys, export_keys, facets_keys, find, note_keys, outcomes_keys, overlay_keys, picker_keys,
    profiles_keys, record_keys, sites_keys,
};
use super::query_line::{on_line_command, on_line_edit, open_line, query_recorded};
use super::search;
use crate::catalog::Catalog;

// Where they were before the update was split, for the callers outside it (the list pane,
// the app's start).
pub use super::list_rows::list_rows;
pub use super::list_view::recently_viewed;

/// Handles `action`; returns the effects it asks for, whose results come back as actions.
#[must_use = "the effects asked for must be performed (see `effects::step`)"]
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Key(command) => on_command(app, command),
        Action::Resize(width, height) => app.size = Size::new(width, height),
        // The mouse does not reach under an open note editor or the facets panel.
        Action::Scroll { .. } | Action::Click { .. }
            if app.note.is_some() || app.facets.is_some() || app.profile_editor.is_some() => {}
        Action::Scroll { column, row, lines } => on_scroll(app, column, row, lines),
        Action::Click { column, row } => on_click(app, column, row),
        // Nothing new: only the gauge moves (the list is not filtered again every frame).
        Action::Loaded { restart: false, batch, progress } if batch.is_empty() => {
            app.loading = Some(progress)
        }
        Action::Loaded { restart, batch, progress } => on_loaded(app, restart, batch, progress),
        Action::Finished(catalog) => on_finished(app, *catalog),
        Action::Notice(text) => {
            app.message = Some(match app.message.take() {
                Some(before) => format!("{before}; {text}"),
                None => text,
            });
        }
        Action::Tick => picker_keys::step_matching(app),
        Action::Edit(input) => on_edit(app, input),
        Action::StudyRead { id, record, note, seen } => study_read(app, id, record, note, seen),
        Action::SinceCompared { difference, problems } => since_compared(app, *difference, problems),
        Action::SeenChecked(changed) => app.changed_since_seen.extend(changed),
        Action::SeenKept { id, result: Err(why) } => {
            app.message = Some(format!("the record of {id} as viewed now cannot be kept: {why}"))
        }
        Action::SeenKept { result: Ok(()), .. } => {}
        Action::NoteRead { id, saved } => note_keys::note_read(app, &id, saved),
        Action::NoteSaved { id, text, result } => note_keys::note_saved(app, id, &text, result),
        Action::ProfileSaved { name, result } => profiles_keys::profile_saved(app, &name, result),
        Action::BookmarkToggled { id, bookmarks, result } => bookmark_toggled(app, &id, bookmarks, result),
        Action::ViewedRecorded(result) => viewed_recorded(app, result),
        Action::QueryRecorded { entered, result } => query_recorded(app, &entered, result),
        Action::HistoryRead { entries, problem } => history_read(app, &entries, problem),
        Action::ExportChecked { typed, target } => export_keys::export_checked(app, typed, target),
        Action::Exported { path, result } => export_keys::exported(app, &path, result),
        Action::RecordJsonRead { id, json } => record_keys::json_read(app, &id, json),
        Action::ScreeningRead { study, patient, saved } => {
            criteria_keys::screening_read(app, &study, &patient, saved)
        }
        Action::ScreeningSaved(result) => criteria_keys::screening_saved(app, result),
        Action::ScreeningsListed { screenings, problems } => {
            criteria_keys::screenings_listed(app, screenings, problems)
        }
        Action::ScreeningLogExported { path, result } => criteria_keys::log_exported(app, &path, result),
    }
    refresh(app);
    std::mem::take(&mut app.effects)
}

/// Studies parsed since the last report, added to the list as they come.
fn on_loaded(
    app: &mut App,
    restart: bool,
    batch: Vec<crate::catalog::Summary>,
    progress: super::app::Loading,
) {
    if restart {
        app.studies.clear();
        app.columns = None;
        app.visible.clear();
        app.selected = 0;
        app.picker = None;
    }
    let first_new = app.studies.len();
    // Room for every study expected at once: a vector of 600k summaries grown by
    // doubling would hold its old and new buffers together.
    let expected = progress.expected.max(first_new + batch.len());
    app.studies.reserve_exact(expected - app.studies.len());
    app.studies.extend(batch);
    mark_bookmarked(app, first_new);
    app.loading = Some(progress);
    if let Some(picker) = app.picker.as_mut() {
        // The new studies are matched on top of what is already matched.
        picker.matching.add_candidates(first_new..app.studies.len());
    }
    if app.view != ListView::All {
        // A view has no filter: its rows are what it names among the studies so far.
        fill_view(app);
    } else if app.index.is_none() {
        // Without an index nothing is ranked: the studies that arrived are answered on
        // their own, after the rows so far, rather than all of them again per batch.
        let fresh = app.studies.get(first_new..).unwrap_or_default();
        if let Ok((rows, _)) =
            search::filter_rows(fresh, None, None, None, &app.profiles, &app.filter.text, app.filter.typing)
        {
            app.visible.extend(rows.into_iter().map(|row| row + first_new));
        }
    } else {
        reapply_filter(app);
    }
}

fn on_finished(app: &mut App, catalog: Catalog) {
    // Keep the study the user moved to; untouched, the selection stays on the first in order.
    let selected_id = app.selected_id().filter(|_| app.selected > 0).map(Box::<str>::from);
    let Catalog { studies, errors, warnings, duplicates, index, geo, columns, handed_out, .. } = catalog;
    // Studies read from the cache all came through `Loaded`, in order, and are not sent again.
    if !handed_out {
        app.studies = studies;
    }
    mark_bookmarked(app, 0);
    app.index = index;
    app.geo = Some(geo);
    // Of the same studies in the same order, whether they came through `Loaded` or not.
    app.columns = Some(columns).filter(|columns| columns.len() == app.studies.len());
    app.errors = errors;
    app.loading = None;
    reapply_filter(app);
    fill_view(app);
    if let Some(id) = selected_id {
        app.selected = any_row_of(app, &id).unwrap_or(0);
    }
    let mut message =
        format!("{} loaded", crate::present::words::plural(app.studies.len(), "study", "studies"));
    if !duplicates.is_empty() {
        message.push_str(&format!(", {} duplicates resolved", duplicates.len()));
    }
    if !warnings.is_empty() {
        message.push_str(&format!(
            ", {} left out for bad values (`nct check` lists them)",
            crate::present::words::plural(warnings.len(), "field", "fields")
        ));
    }
    app.message = Some(message);
    check_seen(app);
    read_selected_as_seen(app);
    if let Some(old) = app.since_input.clone() {
        app.effects.push(Effect::CompareSince { old });
    }
}

/// Marks the studies new or changed since the older inputs, for the list, `changed:` and the
/// Overview, and says how many.
fn since_compared(app: &mut App, difference: crate::catalog::diff::Difference, problems: Vec<String>) {
    use crate::query::filter::ChangedWhat;
    use crate::study::changes::ChangeKind;
    let added: std::collections::HashSet<&str> = difference.added.iter().map(|id| &**id).collect();
    let changed: std::collections::HashMap<&str, u8> = difference
        .changed
        .iter()
        .map(|study| {
            let bits = study.changes.iter().fold(0, |bits, change| {
                bits | match change.kind {
                    ChangeKind::Status => ChangedWhat::Status.bit(),
                    ChangeKind::ResultsPosted => ChangedWhat::Results.bit(),
                    ChangeKind::StartDate
                    | ChangeKind::PrimaryCompletionDate
                    | ChangeKind::CompletionDate => ChangedWhat::Dates.bit(),
                    ChangeKind::Eligibility => ChangedWhat::Eligibility.bit(),
                    ChangeKind::Sites => ChangedWhat::Sites.bit(),
                    _ => ChangedWhat::OTHER,
                }
            });
            (&*study.id, bits)
        })
        .collect();
    for summary in &mut app.studies {
        summary.changed = match changed.get(&*summary.id) {
            Some(&bits) => bits,
            None if added.contains(&*summary.id) => ChangedWhat::NEW,
            None => 0,
        };
    }
    let counts = crate::present::changes::counts(
        difference.added.len(),
        difference.removed.len(),
        difference.changed.len(),
    );
    let mut message = match &app.since_input {
        Some(old) => format!("since {}: {counts}", old.display()),
        None => counts,
    };
    if !problems.is_empty() {
        message.push_str(&format!("; {}", problems.join("; ")));
    }
    app.message = Some(message);
    app.since_changes = difference.changed.into_iter().map(|study| (study.id, study.changes)).collect();
    // The Overview on screen starts with what changed.
    if let Some(detail) = app.detail.as_mut() {
        detail.pane_lines = Default::default();
    }
    reapply_filter(app);
}

/// Asks which bookmarked studies changed since last viewed, to mark them in the list: only
/// the bookmarked ones are read, once, after loading, so the list is never slowed by it.
fn check_seen(app: &mut App) {
    let Some(copies) = app.seen.clone() else { return };
    let studies: Vec<_> =
        app.studies.iter().filter(|s| s.bookmarked).map(|s| (s.id.clone(), s.locator.clone())).collect();
    if !studies.is_empty() {
        app.effects.push(Effect::CheckSeen { studies, copies });
    }
}

/// A key: to what has the keyboard (the note editor, an overlay, the picker, the query line,
/// the facets panel), else to the list or the pane.
pub(crate) fn on_command(app: &mut App, command: Command) {
    if app.note.is_some() {
        return note_keys::on_note_command(app, command);
    }
    if app.profile_editor.is_some() {
        return profiles_keys::on_editor_command(app, command);
    }
    if matches!(app.overlay, Some(Overlay::Screenings { .. })) {
        return match app.line {
            Some(_) => on_line_command(app, command),
            None => criteria_keys::on_log_command(app, command),
        };
    }
    if let Some(Overlay::Profiles { selected }) = app.overlay {
        return profiles_keys::on_profiles_command(app, selected, command);
    }
    if let Some(overlay) = app.overlay {
        return overlay_keys::on_overlay_command(app, overlay, command);
    }
    if app.picker.is_some() {
        return picker_keys::on_picker_command(app, command);
    }
    app.message = None;
    if app.line.is_some() {
        return on_line_command(app, command);
    }
    if app.facets.is_some() {
        return facets_keys::on_facets_command(app, command);
    }
    if let Some(pane) = command.pane() {
        return show_pane(app, pane);
    }
    if record_keys::on_record_command(app, command) || criteria_keys::on_screening_command(app, command) {
        return;
    }
    match command {
        Command::Quit => app.quit = true,
        Command::ToggleHelp => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Command::ToggleBookmark => toggle_bookmark(app),
        Command::ShowBookmarks => toggle_view(app, ListView::Bookmarks),
        Command::ShowRecent => toggle_view(app, ListView::Recent),
        Command::EditNote => note_keys::open_note(app),
        Command::ShowProfiles => profiles_keys::open_profiles(app),
        Command::Export => export_keys::open_export(app),
        Command::CopyId | Command::CopyUrl => {
            if let Some(id) = app.selected_id().map(str::to_string) {
                let text = if command == Command::CopyUrl {
                    format!("{}{id}", crate::study::export::STUDY_URL)
                } else {
                    id
                };
                app.message = Some(format!("Copied {text}"));
                app.clipboard = Some(text);
            }
        }
        Command::ToggleErrors => {
            if app.errors.is_empty() {
                app.message = Some("Nothing failed to load".into());
            } else {
                app.overlay = Some(Overlay::Errors { scroll: 0 });
            }
        }
        Command::Open | Command::FocusDetail => {
            if !app.studies.is_empty() {
                app.focus = Focus::Detail;
                remember_viewed(app);
            }
        }
        Command::Back if app.focus == Focus::Detail && app.find.is_some() => app.find = None,
        Command::Back | Command::ClearSearch if app.focus == Focus::List => {
            if !app.filter.text.is_empty() {
                clear_filter(app);
            } else if app.view != ListView::All {
                leave_view(app);
            }
        }
        Command::Back | Command::FocusList | Command::ClearSearch => app.focus = Focus::List,
        Command::Search => {
            // A search is over every study: the bookmarks are `bookmarked:yes` away.
            if app.focus == Focus::List && app.view != ListView::All {
                leave_view(app);
            }
            open_line(app);
        }
        Command::Submit => {}
        Command::GoTo => picker_keys::open_picker(app),
        Command::ToggleFacets => facets_keys::open_facets(app),
        Command::CycleSort => cycle_sort(app),
        Command::FindNext => find::move_find(app, 1),
        Command::FindPrev => find::move_find(app, -1),
        Command::NextPane => show_pane(app, app.pane.next()),
        Command::PrevPane => show_pane(app, app.pane.prev()),
        Command::ToggleRaw => criteria_keys::toggle_raw(app),
        Command::SortSites => sites_keys::sort_sites(app),
        Command::FilterSites => sites_keys::filter_sites(app),
        Command::ToggleFold => outcomes_keys::toggle_fold(app, false),
        Command::ToggleAllFolds => outcomes_keys::toggle_fold(app, true),
        Command::ColumnLeft => outcomes_keys::column_left(app),
        Command::ColumnRight => outcomes_keys::move_columns(app, 1),
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::HalfPageUp
        | Command::HalfPageDown
        | Command::Top
        | Command::Bottom => move_focused(app, command),
        Command::CopyPath => {}
        Command::ShowScreenings => criteria_keys::show_screenings(app),
        Command::StartScreening
        | Command::StopScreening
        | Command::AnswerMet
        | Command::AnswerNotMet
        | Command::AnswerUnknown
        | Command::AnswerNotApplicable
        | Command::ClearAnswer
        | Command::ScreeningNote => {}
        Command::Pane1 | Command::Pane2 | Command::Pane3 | Command::Pane4 | Command::Pane5 => {}
    }
}

/// A key typed: into the note editor, the export's question, the picker or the query line.
fn on_edit(app: &mut App, input: Input) {
    if app.note.is_some() {
        note_keys::on_note_edit(app, input);
    } else if app.profile_editor.is_some() {
        profiles_keys::on_editor_edit(app, input);
    } else if app.replace.is_some() {
        export_keys::on_replace_edit(app, input);
    } else if app.picker.is_some() {
        picker_keys::on_picker_edit(app, input);
    } else {
        on_line_edit(app, input);
    }
}

/// Brings derived state up to date after any action. While the selected study is being read
/// its panes wait: they are built when it arrives.
fn refresh(app: &mut App) {
    if app.filter.text.is_empty() && app.view == ListView::All && app.visible.len() != app.studies.len() {
        app.visible = (0..app.studies.len()).collect();
    }
    app.selected = app.selected.min(app.row_count().saturating_sub(1));
    keep_selection_visible(app);
    mark_rows(app);
    overlay_keys::clamp_scroll(app);
    if load_selected(app) {
        return;
    }
    sites_keys::follow_near(app);
    build_document(app);
    criteria_keys::resume_wanted(app);
    find::refresh_find(app);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    /// Every character the keymap binds to a command somewhere (alone or with Shift): the keys
    /// that must be text while a line is open.
    fn command_characters(app: &App) -> String {
        let mut characters = String::new();
        for binding in app.keymap.bindings() {
            for key in &binding.keys {
                if let KeyCode::Char(c) = key.code
                    && key.modifiers.is_empty()
                    && !characters.contains(c)
                {
                    characters.push(c);
                }
            }
        }
        characters
    }

    /// Types `text` as the terminal sends it: key events through the keymap.
    fn type_keys(app: &mut App, text: &str) {
        for c in text.chars() {
            let modifiers = if c.is_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
            if let Some(action) =
                crate::tui::keymap::action_for_key(app, &KeyEvent::new(KeyCode::Char(c), modifiers))
            {
                step(app, action);
            }
        }
    }

    /// What typing into a line leaves alone: where the user is and what the app holds.
    fn around_the_line(app: &App) -> String {
        format!(
            "{:?}",
            (
                (app.quit, app.overlay, app.pane, app.focus, app.view, app.sort, app.raw_criteria),
                (app.line.as_ref().map(|l| l.target), app.picker.is_some(), app.facets.is_some()),
                (app.note.as_ref().map(|n| n.id.clone()), app.replace.as_ref().map(|r| r.path.clone())),
                (&app.bookmarks, &app.clipboard, app.history.len()),
            )
        )
    }

    /// The text of the line open (or the note editor's).
    fn line_text(app: &App) -> Option<String> {
        app.note
            .as_ref()
            .map(|n| n.text())
            .or_else(|| app.picker.as_ref().map(|p| p.text()))
            .or_else(|| app.line.as_ref().map(|l| l.text()))
    }

    /// What the line shows and what it did: its text and what it found or filtered.
    fn the_line(app: &App) -> String {
        let text = line_text(app);
        // The study shown follows the list's filter; its sites' order follows nothing typed.
        let sites = app
            .detail
            .as_ref()
            .map(|d| (&d.id, d.sites.selected, d.sites.offset, d.sites.sort, d.sites.filter));
        format!("{:?}", (text, &app.find, &app.visible, app.selected, &app.filter.text, sites))
    }

    #[test]
    fn with_a_line_open_every_key_bound_to_a_command_is_text_in_every_pane_and_overlay() {
        let notes = tempfile::tempdir().unwrap();
        let characters = command_characters(&assets_app(120, 40));
        for c in ['q', 'B', 'a', 'x', 's', 'f', '/', ':', '?', 'n', 'N', 'j', '4', ' '] {
            assert!(characters.contains(c), "{c:?} is bound: {characters:?}");
        }
        // Each way a line opens, over each pane (the list's line with the pane beside it; the
        // find line in the pane itself).
        let mut lines: Vec<(String, Vec<Command>)> = Vec::new();
        for pane in Pane::ALL {
            let show = [Command::Pane1, Command::Pane2, Command::Pane3, Command::Pane4, Command::Pane5]
                [pane.index()];
            lines.push((format!("the query line beside {pane:?}"), vec![show, Command::Search]));
            lines.push((format!("the find line in {pane:?}"), vec![Command::Open, show, Command::Search]));
            lines.push((format!("the picker over {pane:?}"), vec![Command::Open, show, Command::GoTo]));
            lines.push((
                format!("the note editor over {pane:?}"),
                vec![Command::Open, show, Command::EditNote],
            ));
        }
        lines.push(("the export line".into(), vec![Command::Export]));
        lines.push((
            "the query line over the bookmarks".into(),
            vec![Command::ShowBookmarks, Command::Search],
        ));
        for (what, opening) in &lines {
            let open = || {
                let mut app = assets_app(120, 40);
                app.notes = Some(crate::user::notes::Notes::new(notes.path()));
                app.selected =
                    app.visible.iter().position(|&i| &*app.studies[i].id == "NCT05183427").unwrap();
                press(&mut app, opening);
                app
            };
            let mut typed = open();
            let before = around_the_line(&typed);
            let line_before = the_line(&typed);
            type_keys(&mut typed, &characters);
            assert_eq!(around_the_line(&typed), before, "{what}: typing {characters:?} ran a command");
            // The same characters given as text, with no keymap in between, do the same.
            let mut as_text = open();
            type_text(&mut as_text, &characters);
            assert_eq!(the_line(&typed), the_line(&as_text), "{what}");
            assert_ne!(the_line(&typed), line_before, "{what}: the line took the text");
            let text = line_text(&typed).unwrap();
            assert!(text.ends_with(&characters), "{what}: the line holds {text:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_question_before_replacing_a_file_takes_only_its_answer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.csv");
        std::fs::write(&path, "kept\n").unwrap();
        let mut app = assets_app(300, 40);
        press(&mut app, &[Command::Export]);
        app.line.as_mut().unwrap().set_text(&path.display().to_string());
        press(&mut app, &[Command::Submit]);
        assert!(app.replace.is_some());
        let before = around_the_line(&app);
        let not_answers: String = command_characters(&app).chars().filter(|c| !"yYnN".contains(*c)).collect();
        type_keys(&mut app, &not_answers);
        assert_eq!(around_the_line(&app), before, "typing {not_answers:?} ran a command");
        type_keys(&mut app, "n");
        assert!(app.replace.is_none() && app.line.is_none());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept\n");
    }

    #[test]
    fn y_and_shift_y_copy_the_id_and_the_address() {
        let mut app = assets_app(120, 40);
        let id = selected_id(&app);
        press(&mut app, &[Command::CopyId]);
        assert_eq!(app.clipboard.take(), Some(id.clone()));
        press(&mut app, &[Command::CopyUrl]);
        assert_eq!(app.clipboard.take(), Some(format!("https://clinicaltrials.gov/study/{id}")));
        assert!(app.message.as_deref().unwrap().starts_with("Copied https://"));
    }

    #[test]
    fn studies_arriving_while_the_list_is_searched_are_answered_too() {
        let mut app = large_app(27);
        app.loading = Some(crate::tui::app::Loading::default());
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "cancer status:open");
        let before = app.visible.len();
        assert!(before > 0);
        let more = large_app(80).studies.split_off(27);
        let progress = crate::tui::app::Loading { studies: 80, expected: 80, ..Default::default() };
        step(&mut app, Action::Loaded { restart: false, batch: more, progress });
        let (whole, _) =
            search::filter_rows(&app.studies, None, None, None, &app.profiles, "cancer status:open", true)
                .unwrap();
        assert!(whole.len() > before);
        assert_eq!(app.visible, whole);
    }
}
