//! The selected study, read in full: asked for (an effect) when the selection moves to another
//! study, kept when it arrives, and its visible pane's lines built for the current width.

use ratatui::layout::Rect;

use super::action::SeenRead;
use super::app::{App, Detail, Focus, Pane, PaneLines};
use super::effects::Effect;
use super::layout::{self, Areas};
use super::panes::{criteria, outcomes, overview, record, record_keys, screenings, sites};
use crate::study::Study;
use crate::study::changes::ChangeKind;

/// The body of the study block, whether or not it is on screen right now (on a narrow screen
/// it is built for the width it will have when shown).
pub fn detail_body(app: &App) -> Rect {
    let areas = Areas::compute(app);
    let detail = areas.detail.or(Areas::for_screen(app.size, Focus::Detail).detail).unwrap_or_default();
    layout::detail_parts(detail).1
}

/// Asks for the selected study's full record when the selection moved to another study;
/// whether it is being read (the panes are built once it has arrived).
pub(crate) fn load_selected(app: &mut App) -> bool {
    let Some(summary) = app.selected_summary() else {
        app.detail = None;
        return false;
    };
    if app.detail.as_ref().is_some_and(|d| d.id == summary.id) {
        return false;
    }
    let read = Effect::ReadStudy {
        id: summary.id.clone(),
        locator: summary.locator.clone(),
        origin: summary.origin.clone(),
        notes: app.notes.clone(),
        seen: seen_copies_for(app, &summary.id),
    };
    app.effects.push(read);
    true
}

/// The copies to compare a study with and keep it in, when it counts as seen: bookmarked, and
/// opened once loading finished (the study shown while studies still arrive in any order is
/// not one the user chose to open).
fn seen_copies_for(app: &App, id: &str) -> Option<crate::user::seen::SeenCopies> {
    app.seen.clone().filter(|_| app.loading.is_none() && app.bookmarks.contains(id))
}

/// Once loading finished: the selected study, read while loading, is read again as seen when
/// it is bookmarked.
pub(crate) fn read_selected_as_seen(app: &mut App) {
    let Some(summary) = app.selected_summary() else { return };
    if app.detail.as_ref().is_none_or(|d| d.id != summary.id) {
        return;
    }
    let Some(seen) = seen_copies_for(app, &summary.id) else { return };
    let read = Effect::ReadStudy {
        id: summary.id.clone(),
        locator: summary.locator.clone(),
        origin: summary.origin.clone(),
        notes: app.notes.clone(),
        seen: Some(seen),
    };
    app.effects.push(read);
}

/// The record read (or why it could not be), kept while its study is still the one selected.
pub(crate) fn study_read(
    app: &mut App,
    id: Box<str>,
    record: Result<Box<Study>, String>,
    note: Option<String>,
    seen: Option<Box<SeenRead>>,
) {
    let wanted = app.selected_summary().is_some_and(|s| s.id == id);
    // A study shown is read again only to be compared as seen (`read_selected_as_seen`).
    if !wanted || (seen.is_none() && app.detail.as_ref().is_some_and(|d| d.id == id)) {
        return;
    }
    // Shown now, so seen now: the record is kept as the copy to compare with next time.
    let since = seen.and_then(|seen| {
        let SeenRead { copies, json, since } = *seen;
        app.effects.push(Effect::KeepSeen { id: id.clone(), json, copies });
        app.changed_since_seen.remove(&id);
        since.unwrap_or_else(|why| {
            app.message = Some(why);
            None
        })
    });
    let sites = record.as_deref().map(sites::SitesState::new).unwrap_or_default();
    app.detail = Some(Detail {
        id,
        record,
        pane_lines: Default::default(),
        scroll: [0; 5],
        sites,
        outcomes: Default::default(),
        record_tree: Default::default(),
        note,
        since,
    });
}

/// What changed in the selected study since the older inputs (`--since`), for the top of its
/// Overview; nothing when the app compares with none, or it did not change.
fn since_inputs_lines(app: &App, width: u16) -> Vec<ratatui::text::Line<'static>> {
    let (Some(old), Some(summary)) = (&app.since_input, app.selected_summary()) else { return Vec::new() };
    if app.detail.as_ref().is_none_or(|d| d.id != summary.id) {
        return Vec::new();
    }
    if summary.changed == crate::query::filter::ChangedWhat::NEW {
        let heading = format!("New since {}: it is not in those inputs.", old.display());
        return overview::change_lines(&heading, &[], width, &app.theme);
    }
    match app.since_changes.get(&summary.id) {
        Some(changes) => {
            overview::change_lines(&format!("Changed since {}:", old.display()), changes, width, &app.theme)
        }
        None => Vec::new(),
    }
}

/// Builds the visible pane's lines for the current width, marks the list filter's words in them
/// when either changed, and clamps its scroll.
pub(crate) fn build_document(app: &mut App) {
    if app.pane == Pane::Record {
        record_keys::ask_json(app);
    }
    let body = detail_body(app);
    let (pane, raw, theme, dates) = (app.pane, app.raw_criteria, app.theme, app.dates);
    let since_inputs = since_inputs_lines(app, body.width);
    let since_changes = app.detail.as_ref().and_then(|d| app.since_changes.get(&d.id)).map(Vec::as_slice);
    // A screening of the study shown marks the Criteria pane (not its registered text).
    let shown_id = app.detail.as_ref().map(|d| d.id.clone());
    let mut screening = app
        .screening
        .as_mut()
        .filter(|s| !raw && shown_id.as_deref().is_some_and(|id| s.screening.study.eq_ignore_ascii_case(id)));
    let marks = criteria::Marks {
        screening: screening.as_deref().map(|s| &s.screening),
        profile: app.profile.as_ref(),
    };
    let stamp = if pane == Pane::Criteria { criteria::stamp(marks) } else { 0 };
    let screenings_here: Vec<&crate::screening::checklist::Screening> = app
        .screening_log
        .iter()
        .filter(|s| shown_id.as_deref().is_some_and(|id| s.study.eq_ignore_ascii_case(id)))
        .collect();
    let Some(detail) = app.detail.as_mut() else { return };
    let Ok(study) = detail.record.as_deref() else { return };
    if pane == Pane::Sites {
        let rows = sites::table_rows(body);
        detail.sites.move_by(0, rows);
        return;
    }
    let index = pane.index();
    let Some(slot) = detail.pane_lines.get_mut(index) else { return };
    let stale = slot.as_ref().is_none_or(|d| {
        d.width != body.width || (pane == Pane::Criteria && (d.raw != raw || d.stamp != stamp))
    });
    let mut starts = Vec::new();
    if stale {
        let (lines, folds) = match pane {
            Pane::Overview => {
                let mut lines = since_inputs;
                if let Some(since) = &detail.since {
                    lines.extend(overview::since_lines(since, body.width, &theme));
                }
                if let Some(note) = &detail.note {
                    lines.extend(overview::note_lines(note, body.width, &theme));
                }
                lines.extend(screenings::overview_lines(&screenings_here, body.width, &theme));
                lines.extend(overview::pane_lines(study, body.width, &theme, dates));
                (lines, Vec::new())
            }
            Pane::Criteria => {
                // The criteria text before, when the eligibility changed since the older inputs
                // or since the user last looked.
                let changes = since_changes.or(detail.since.as_ref().map(|s| s.changes.as_slice()));
                let before = changes.and_then(|changes| {
                    changes.iter().find(|c| c.kind == ChangeKind::Eligibility).and_then(|c| c.from.as_str())
                });
                let (lines, at) = criteria::pane_lines_marked(study, body.width, raw, &theme, before, marks);
                starts = at;
                (lines, Vec::new())
            }
            Pane::Record => {
                let (lines, line_rows) = record::pane_lines(&detail.record_tree, body.width, &theme);
                detail.record_tree.line_rows = line_rows;
                (lines, Vec::new())
            }
            _ => outcomes::pane_lines(study, body.width, &theme, &detail.outcomes, dates),
        };
        *slot = Some(PaneLines { width: body.width, raw, lines, folds, stamp, ..PaneLines::default() });
        if let Some(state) = screening.as_deref_mut() {
            state.item_lines = state
                .screening
                .items
                .iter()
                .map(|item| starts.iter().find(|(r, _)| *r == item.reference).map_or(0, |(_, line)| *line))
                .collect();
        }
    }

    let words = &app.filter.words;
    if let Some(document) = slot.as_mut()
        && document.marked_for != *words
    {
        document.word_marks = words.in_lines(&document.lines);
        document.marked_for = words.clone();
    }
    // The cursor of foldable results starts on the first part, and stays among the lines.
    if let Some(document) = slot.as_ref()
        && let Some(first) = document.folds.first()
    {
        let cursor = &mut detail.outcomes.cursor;
        *cursor = (*cursor).max(first.header).min(document.lines.len().saturating_sub(1));
    }
    let len = slot.as_ref().map_or(0, |d| d.lines.len());
    if pane == Pane::Record {
        let tree = &mut detail.record_tree;
        tree.cursor = tree.cursor.min(tree.line_rows.len().saturating_sub(1));
    }
    if let Some(scroll) = detail.scroll.get_mut(index) {
        *scroll = (*scroll).min(len.saturating_sub(usize::from(body.height)));
    }
    // The criterion under a screening's cursor stays in view, under the verdict line.
    if pane == Pane::Criteria
        && let Some(state) = screening.as_deref()
        && let Some(&line) = state.item_lines.get(state.cursor)
        && let Some(scroll) = detail.scroll.get_mut(index)
    {
        let verdict = if body.height > 4 {
            criteria::verdict_lines(&state.screening, body.width, &theme).len()
        } else {
            0
        };
        let height = usize::from(body.height).saturating_sub(verdict).max(1);
        *scroll = super::navigate::follow(*scroll, line, height);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn a_study_that_cannot_be_read_again_shows_why_instead_of_crashing() {
        let dir = tempfile::tempdir().unwrap();
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        for id in ["NCT04120381", "NCT02871650"] {
            std::fs::copy(assets.join(format!("{id}.json")), dir.path().join(format!("{id}.json"))).unwrap();
        }
        let catalog = Catalog::load(&[dir.path().to_path_buf()]);
        std::fs::remove_file(dir.path().join("NCT04120381.json")).unwrap();
        let mut app = App::new("tmp".into(), Size::new(120, 40), Theme::plain());
        step(&mut app, Action::Finished(Box::new(catalog)));
        let second = app.studies.iter().position(|s| &*s.id == "NCT04120381").unwrap();
        app.selected = second;
        step(&mut app, Action::Tick);
        let error = app.detail.as_ref().unwrap().record.as_ref().unwrap_err();
        assert!(error.contains("cannot read NCT04120381 again") && error.contains("no such file"), "{error}");
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal.draw(|frame| crate::tui::view::view(&app, frame)).unwrap();
        let screen: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        assert!(screen.contains("This study cannot be shown"), "the pane says why");
    }

    /// The app on a folder holding two studies, one bookmarked, with the data folder's copies
    /// in `seen`.
    fn app_with_copies(dir: &std::path::Path) -> App {
        let catalog = Catalog::load(&[dir.join("studies")]);
        let mut app = App::new("tmp".into(), Size::new(120, 40), Theme::plain());
        app.bookmarks = crate::user::bookmarks::Bookmarks::load(&dir.join("bookmarks.toml")).0;
        app.seen = Some(crate::user::seen::SeenCopies::new(&dir.join("seen")));
        step(&mut app, Action::Finished(Box::new(catalog)));
        app
    }

    #[test]
    fn a_bookmarked_study_that_changed_since_last_looked_is_marked_and_says_what_changed_once() {
        let dir = tempfile::tempdir().unwrap();
        let studies = dir.path().join("studies");
        std::fs::create_dir(&studies).unwrap();
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        for id in ["NCT04120381", "NCT02871650"] {
            std::fs::copy(assets.join(format!("{id}.json")), studies.join(format!("{id}.json"))).unwrap();
        }
        let mut bookmarks = crate::user::bookmarks::Bookmarks::load(&dir.path().join("bookmarks.toml")).0;
        bookmarks.toggle("NCT04120381", "a title", "2026-01-01").unwrap();
        // The copy as last viewed: recruiting then, withdrawn now.
        let now = std::fs::read_to_string(studies.join("NCT04120381.json")).unwrap();
        let then = now.replace("\"overallStatus\": \"WITHDRAWN\"", "\"overallStatus\": \"RECRUITING\"");
        assert_ne!(now, then);
        let copies = crate::user::seen::SeenCopies::new(&dir.path().join("seen"));
        copies.keep("NCT04120381", then.as_bytes()).unwrap();

        let mut app = app_with_copies(dir.path());
        let row = app.studies.iter().position(|s| &*s.id == "NCT04120381").unwrap();
        let other = app.studies.iter().position(|s| &*s.id == "NCT02871650").unwrap();
        // Another study is on screen first: the changed one is marked in the list, not yet viewed.
        app.selected = other;
        step(&mut app, Action::Tick);
        let list = screen(&app);
        assert!(list.contains("NCT04120381Δ") || list.contains("NCT04120381 Δ"), "{list}");
        assert!(!list.contains("Changed since you last looked"), "{list}");
        assert_eq!(
            copies.get("NCT04120381").unwrap().unwrap(),
            serde_json::to_vec(&serde_json::from_str::<serde_json::Value>(&then).unwrap()).unwrap(),
            "only viewing replaces the copy"
        );

        app.selected = row;
        step(&mut app, Action::Tick);
        let viewed = screen(&app);
        let today = crate::user::today();
        assert!(viewed.contains(&format!("Changed since you last looked ({today}):")), "{viewed}");
        assert!(viewed.contains("status: RECRUITING → WITHDRAWN"), "{viewed}");
        assert!(!viewed.contains("Δ"), "viewed, so no longer marked: {viewed}");
        let kept: serde_json::Value =
            serde_json::from_slice(&copies.get("NCT04120381").unwrap().unwrap()).unwrap();
        assert_eq!(
            kept,
            serde_json::from_str::<serde_json::Value>(&now).unwrap(),
            "the copy is the record as viewed now"
        );

        // After a restart the copy is the one just kept: nothing to say.
        let mut again = app_with_copies(dir.path());
        again.selected = again.studies.iter().position(|s| &*s.id == "NCT04120381").unwrap();
        step(&mut again, Action::Tick);
        let restarted = screen(&again);
        assert!(!restarted.contains("Δ") && !restarted.contains("Changed since"), "{restarted}");
        assert!(restarted.contains("NCT04120381*") || restarted.contains("NCT04120381 *"), "{restarted}");
    }

    #[test]
    fn since_older_inputs_the_list_marks_new_and_changed_studies_and_changed_filters_them() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        std::fs::create_dir(&old).unwrap();
        std::fs::create_dir(&new).unwrap();
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        for id in ["NCT04120381", "NCT02871650", "NCT03318094"] {
            std::fs::copy(assets.join(format!("{id}.json")), new.join(format!("{id}.json"))).unwrap();
        }
        // OLD: the first was recruiting, the second is the same, the third was not there yet.
        let now = std::fs::read_to_string(new.join("NCT04120381.json")).unwrap();
        let then = now.replace("\"overallStatus\": \"WITHDRAWN\"", "\"overallStatus\": \"RECRUITING\"");
        assert_ne!(now, then);
        std::fs::write(old.join("NCT04120381.json"), then).unwrap();
        std::fs::copy(assets.join("NCT02871650.json"), old.join("NCT02871650.json")).unwrap();

        let mut app = App::new("new".into(), Size::new(120, 40), Theme::plain());
        app.since_input = Some(old.clone());
        step(&mut app, Action::Finished(Box::new(Catalog::load(std::slice::from_ref(&new)))));
        let message = app.message.clone().unwrap();
        assert!(message.contains("1 added, 0 removed, 1 changed"), "{message}");
        app.selected = app.studies.iter().position(|s| &*s.id == "NCT02871650").unwrap();
        step(&mut app, Action::Tick);
        let list = screen(&app);
        assert!(list.contains("NCT04120381Δ"), "{list}");
        assert!(list.contains("NCT03318094+"), "{list}");
        assert!(list.contains("NCT02871650 "), "unchanged, unmarked: {list}");
        assert!(
            !list.contains("Changed since") && !list.contains("New since"),
            "an unchanged study's Overview says nothing: {list}"
        );

        for (query, ids) in [
            ("changed:yes", vec!["NCT03318094", "NCT04120381"]),
            ("changed:status", vec!["NCT04120381"]),
            ("changed:sites", vec![]),
            ("-changed:yes", vec!["NCT02871650"]),
        ] {
            press(&mut app, &[Command::Search]);
            type_text(&mut app, query);
            key(&mut app, Key::Enter);
            let mut shown: Vec<&str> = app.visible.iter().map(|&i| &*app.studies[i].id).collect();
            shown.sort_unstable();
            assert_eq!(shown, ids, "{query}");
            press(&mut app, &[Command::Search]);
            for _ in 0..query.len() {
                key(&mut app, Key::Backspace);
            }
            key(&mut app, Key::Enter);
        }

        app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == "NCT04120381").unwrap();
        step(&mut app, Action::Tick);
        let changed = screen(&app);
        assert!(changed.contains(&format!("Changed since {}:", old.display())), "{changed}");
        assert!(changed.contains("status: RECRUITING → WITHDRAWN"), "{changed}");
        app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == "NCT03318094").unwrap();
        step(&mut app, Action::Tick);
        let added = screen(&app);
        assert!(added.contains("New since"), "{added}");
    }

    #[test]
    fn since_older_inputs_the_criteria_pane_marks_the_criteria_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        std::fs::create_dir(&old).unwrap();
        std::fs::create_dir(&new).unwrap();
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        std::fs::copy(assets.join("NCT02871650.json"), new.join("NCT02871650.json")).unwrap();
        // OLD allowed a body mass index up to 40; NEW up to 45.
        let now = std::fs::read_to_string(new.join("NCT02871650.json")).unwrap();
        let then = now.replace("Body mass index 25 to 45", "Body mass index 25 to 40");
        assert_ne!(now, then);
        std::fs::write(old.join("NCT02871650.json"), then).unwrap();

        let mut app = App::new("new".into(), Size::new(120, 40), Theme::plain());
        app.since_input = Some(old);
        step(&mut app, Action::Finished(Box::new(Catalog::load(std::slice::from_ref(&new)))));
        step(&mut app, Action::Tick);
        press(&mut app, &[Command::Pane2]);
        let criteria = screen(&app);
        assert!(criteria.contains("I2Δ• Body mass index 25 to 45"), "the changed one: {criteria}");
        assert!(
            criteria.contains("I1 • Liver biopsy") && criteria.contains("I3 • Stable body"),
            "{criteria}"
        );
        assert_eq!(criteria.matches('Δ').count(), 2, "only it, and the study in the list: {criteria}");
    }

    #[test]
    fn changed_without_older_inputs_says_why_nothing_matches() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "changed:yes");
        key(&mut app, Key::Enter);
        assert!(app.visible.is_empty());
        let message = app.message.clone().unwrap_or_default();
        assert!(message.contains("nct NEW --since OLD"), "{message}");
    }
}
