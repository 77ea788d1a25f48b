//! The Record pane's keys, with the study focused: j/k and the page keys move a cursor over the
//! fields, Enter or Space folds the container under it (`A`: every one), `l` opens and `h`
//! closes (or goes up to the container holding the field, and from a closed section back to
//! the list), and `y` copies the field's JSON path. Finding (`/`) opens the containers that
//! hold what is found.

use crate::tui::action::Command;
use crate::tui::app::{App, Focus, Pane};
use crate::tui::detail::{build_document, detail_body};
use crate::tui::effects::Effect;
use crate::tui::navigate::{follow, moved};
use crate::tui::update::on_command;

/// What the status bar offers with the pane focused.
pub(crate) const HINTS: &[Command] = &[Command::ToggleFold, Command::CopyPath];

/// Asks for the selected study's record as JSON, once, when the pane is to be shown.
pub(crate) fn ask_json(app: &mut App) {
    let Some(summary) = app.selected_summary() else { return };
    let effect = Effect::ReadRecordJson {
        id: summary.id.clone(),
        locator: summary.locator.clone(),
        origin: summary.origin.clone(),
    };
    let id = summary.id.clone();
    let Some(detail) = app.detail.as_mut().filter(|d| d.id == id) else { return };
    if detail.record_tree.asked {
        return;
    }
    detail.record_tree.asked = true;
    app.effects.push(effect);
}

/// The record's JSON arrived: its tree, while the study is still the one shown.
pub(crate) fn json_read(app: &mut App, id: &str, json: Result<serde_json::Value, String>) {
    let Some(detail) = app.detail.as_mut().filter(|d| &*d.id == id) else { return };
    detail.record_tree.rows = Some(json.map(|value| crate::present::record::rows(&value)));
    if let Some(slot) = detail.pane_lines.get_mut(Pane::Record.index()) {
        *slot = None;
    }
}

/// A key while the Record pane has the keyboard; false when it is not the pane's to handle.
pub(crate) fn on_record_command(app: &mut App, command: Command) -> bool {
    if app.pane != Pane::Record || app.focus != Focus::Detail {
        return false;
    }
    let page = usize::from(detail_body(app).height).max(1);
    let Some(detail) = app.detail.as_mut() else { return false };
    let tree = &mut detail.record_tree;
    let under = tree.row_under_cursor().cloned();
    match command {
        command if command.moves() => {
            let last = tree.line_rows.len().saturating_sub(1);
            tree.cursor = moved(tree.cursor, command, page, last);
            if let Some(scroll) = detail.scroll.get_mut(Pane::Record.index()) {
                *scroll = follow(*scroll, tree.cursor, page);
            }
        }
        Command::CopyPath => {
            let Some(row) = under else { return true };
            app.message = Some(format!("Copied {}", row.path));
            app.clipboard = Some(row.path);
        }
        Command::ToggleFold => {
            let Some(row) = under else { return true };
            if row.is_container() {
                tree.flip(&row.path);
                refold(app, &row.path);
            } else if let Some(parent) = crate::present::record::ancestors(&row.path).pop() {
                // On a field, Enter folds the container holding it.
                tree.flip(&parent);
                refold(app, &parent);
            }
        }
        Command::ToggleAllFolds => {
            let rows = tree.rows.as_ref().and_then(|r| r.as_ref().ok());
            let all_open =
                rows.is_some_and(|rows| rows.iter().filter(|r| r.is_container()).all(|r| tree.is_open(r)));
            if all_open {
                tree.toggled.clear();
            } else if let Some(rows) = rows.cloned() {
                for row in &rows {
                    tree.open(row);
                }
            }
            let path = under.map(|r| r.path).unwrap_or_default();
            refold(app, &path);
        }
        Command::ColumnRight => {
            if let Some(row) = under.filter(|r| r.is_container() && !tree.is_open(r)) {
                tree.flip(&row.path);
                refold(app, &row.path);
            }
        }
        Command::ColumnLeft => match under {
            Some(row) if row.is_container() && tree.is_open(&row) => {
                tree.flip(&row.path);
                refold(app, &row.path);
            }
            Some(row) if row.depth > 0 => {
                if let Some(parent) = crate::present::record::ancestors(&row.path).pop() {
                    put_cursor_on(app, &parent, page);
                }
            }
            _ => on_command(app, Command::Back),
        },
        _ => return false,
    }
    true
}

/// Builds the pane again after a fold changed, the cursor on the row at `path` (so what was
/// folded stays where the reader is looking).
fn refold(app: &mut App, path: &str) {
    if let Some(slot) = app.detail.as_mut().and_then(|d| d.pane_lines.get_mut(Pane::Record.index())) {
        *slot = None;
    }
    build_document(app);
    let page = usize::from(detail_body(app).height).max(1);
    put_cursor_on(app, path, page);
}

fn put_cursor_on(app: &mut App, path: &str, page: usize) {
    let Some(detail) = app.detail.as_mut() else { return };
    let tree = &mut detail.record_tree;
    let Some(rows) = tree.rows.as_ref().and_then(|r| r.as_ref().ok()) else { return };
    let Some(line) = tree.line_rows.iter().position(|&i| rows.get(i).is_some_and(|r| r.path == path)) else {
        return;
    };
    tree.cursor = line;
    if let Some(scroll) = detail.scroll.get_mut(Pane::Record.index()) {
        *scroll = follow(*scroll, line, page);
    }
}

/// Opens the containers holding the fields whose name or value holds `text` (as find matches
/// it: case and accents folded), so that finding reaches folded fields. What the find opened
/// for the text typed before is folded again first, so the tree shows what the text finds, not
/// every prefix of it. Short texts open nothing: two letters are in almost every field.
pub(crate) fn reveal(app: &mut App, text: &str) {
    if app.pane != Pane::Record {
        return;
    }
    let needle = crate::query::fold(text.trim());
    let Some(detail) = app.detail.as_mut() else { return };
    let tree = &mut detail.record_tree;
    let Some(rows) = tree.rows.as_ref().and_then(|r| r.as_ref().ok()) else { return };
    let mut wanted = std::collections::BTreeSet::new();
    if needle.chars().count() >= 3 {
        for row in rows {
            let found = |s: &str| crate::query::fold(s).contains(&needle);
            if found(&row.key) || row.value.as_deref().is_some_and(found) {
                wanted.extend(crate::present::record::ancestors(&row.path));
            }
        }
    }
    let to_open: Vec<_> =
        rows.iter().filter(|r| wanted.contains(&r.path) && !tree.is_open(r)).cloned().collect();
    let before = std::mem::take(&mut tree.revealed);
    let to_close: Vec<_> = before.iter().filter(|path| !wanted.contains(*path)).cloned().collect();
    if to_open.is_empty() && to_close.is_empty() {
        tree.revealed = before;
        return;
    }
    for path in &to_close {
        tree.flip(path);
    }
    tree.revealed = before.into_iter().filter(|path| wanted.contains(path)).collect();
    for row in &to_open {
        tree.open(row);
        tree.revealed.insert(row.path.clone());
    }
    if let Some(slot) = detail.pane_lines.get_mut(Pane::Record.index()) {
        *slot = None;
    }
    build_document(app);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::tui::test_app::*;

    /// The app on `id`'s Record pane, the study focused.
    fn on_record(id: &str) -> App {
        let mut app = assets_app(80, 24);
        app.selected = app.studies.iter().position(|s| &*s.id == id).unwrap();
        press(&mut app, &[Command::Open, Command::Pane5]);
        assert_eq!((app.pane, app.focus), (Pane::Record, Focus::Detail));
        app
    }

    fn pane_text(app: &App) -> Vec<String> {
        let document = app.detail.as_ref().unwrap().pane_lines[Pane::Record.index()].as_ref().unwrap();
        document.lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    fn under_cursor(app: &App) -> String {
        app.detail.as_ref().unwrap().record_tree.row_under_cursor().unwrap().path.clone()
    }

    /// Moves the cursor to the line showing `path`.
    fn cursor_to(app: &mut App, path: &str) {
        press(app, &[Command::Top]);
        for _ in 0..200 {
            if under_cursor(app) == path {
                return;
            }
            press(app, &[Command::Down]);
        }
        panic!("{path} not on show: {:#?}", pane_text(app));
    }

    #[test]
    fn modules_fold_and_unfold_with_enter_and_h_l() {
        let mut app = on_record("NCT04577316");
        let folded = pane_text(&app);
        assert_eq!(folded[0], "▾ protocolSection");
        assert!(folded.iter().any(|l| l == "  ▸ conditionsModule  (2 fields)"), "{folded:#?}");
        assert!(
            !folded.iter().any(|l| l.contains("conditions:") || l.contains("#1")),
            "modules start folded"
        );

        cursor_to(&mut app, "protocolSection.conditionsModule");
        press(&mut app, &[Command::ToggleFold]);
        let open = pane_text(&app);
        assert!(open.iter().any(|l| l == "  ▾ conditionsModule"), "{open:#?}");
        assert_eq!(under_cursor(&app), "protocolSection.conditionsModule", "the cursor stays on the module");
        press(&mut app, &[Command::Down]);
        let field = under_cursor(&app);
        assert!(field.starts_with("protocolSection.conditionsModule."), "{field}");

        // h on a field goes up to its module; h again folds it; l opens it again.
        press(&mut app, &[Command::ColumnLeft]);
        assert_eq!(under_cursor(&app), "protocolSection.conditionsModule");
        press(&mut app, &[Command::ColumnLeft]);
        assert_eq!(pane_text(&app), folded);
        press(&mut app, &[Command::ColumnRight]);
        assert_eq!(pane_text(&app), open);

        // A unfolds everything (arrays as numbered entries), and again folds back.
        press(&mut app, &[Command::ToggleAllFolds]);
        let all = pane_text(&app);
        assert!(all.iter().any(|l| l.trim_start().starts_with("#1")), "{all:#?}");
        assert!(all.len() > open.len() * 2);
        press(&mut app, &[Command::ToggleAllFolds]);
        assert_eq!(pane_text(&app), folded);

        // From a folded section, h goes back to the list.
        press(&mut app, &[Command::Top, Command::ToggleFold]);
        assert_eq!(pane_text(&app)[0], "▸ protocolSection  (13 fields)");
        press(&mut app, &[Command::ColumnLeft]);
        assert_eq!(app.focus, Focus::List);
    }

    #[test]
    fn y_copies_the_json_path_of_the_field_under_the_cursor() {
        let mut app = on_record("NCT04577316");
        cursor_to(&mut app, "protocolSection.conditionsModule");
        press(&mut app, &[Command::ColumnRight, Command::Down]);
        press(&mut app, &[Command::ColumnRight, Command::Down]);
        let path = under_cursor(&app);
        assert_eq!(path, "protocolSection.conditionsModule.conditions[0]");
        press(&mut app, &[Command::CopyPath]);
        assert_eq!(app.clipboard.take(), Some(path));
        // The key that does it is `y`, there: it copies the path, not the NCT id.
        let y = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE);
        assert_eq!(crate::tui::keymap::command_for(&app, &y), Some(Command::CopyPath));
    }

    #[test]
    fn find_reaches_folded_fields_and_n_moves_between_them() {
        let mut app = on_record("NCT04577316");
        let condition = "Mediastinal";
        assert!(!pane_text(&app).iter().any(|l| l.contains(condition)), "folded at first");
        press(&mut app, &[Command::Search]);
        type_text(&mut app, condition);
        let find = app.find.clone().unwrap();
        assert!(!find.matches.is_empty(), "{:#?}", pane_text(&app));
        let line = &pane_text(&app)[find.matches[0].line];
        assert!(line.contains("Mediastinal"), "{line}");
        // Only what holds the whole text is open, not what its first letters found on the way.
        let open = pane_text(&app);
        assert!(open.iter().any(|l| l == "  ▾ conditionsModule"), "{open:#?}");
        assert!(open.iter().any(|l| l == "  ▸ sponsorCollaboratorsModule  (3 fields)"), "{open:#?}");
        key(&mut app, Key::Enter);
        press(&mut app, &[Command::FindNext]);
        assert_eq!(app.find.as_ref().unwrap().current, 1 % find.matches.len());
    }

    /// With the find line open, letters are its text: `q`, `5`, `y`, `A`, `h`, `j` and space run
    /// nothing, through the same keymap the terminal's keys go through.
    #[test]
    fn typing_after_slash_in_the_record_pane_runs_no_command() {
        let mut app = on_record("NCT04577316");
        let before = pane_text(&app);
        let slash = KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE);
        let action = crate::tui::keymap::action_for_key(&app, &slash).unwrap();
        step(&mut app, action);
        assert!(app.line.is_some());
        for c in "q5yA hjl1?".chars() {
            let event = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            let action = crate::tui::keymap::action_for_key(&app, &event).unwrap();
            assert!(matches!(action, Action::Edit(_)), "{c:?} became {action:?}");
            step(&mut app, action);
        }
        assert!(!app.quit);
        assert_eq!((app.pane, app.focus), (Pane::Record, Focus::Detail));
        assert!(app.clipboard.is_none() && app.overlay.is_none());
        assert_eq!(line_text(&app), "q5yA hjl1?");
        assert_eq!(pane_text(&app), before, "no fold changed");
    }
}
