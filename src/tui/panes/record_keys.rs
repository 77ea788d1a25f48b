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
    if let Some(slot) = detail.documents.get_mut(Pane::Record.index()) {
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
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::HalfPageUp
        | Command::HalfPageDown
        | Command::Top
        | Command::Bottom => {
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
                tree.toggle(&row.path);
                refold(app, &row.path);
            } else if let Some(parent) = crate::present::record::ancestors(&row.path).pop() {
                // On a field, Enter folds the container holding it.
                tree.toggle(&parent);
                refold(app, &parent);
            }
        }
        Command::ToggleAllFolds => {
            let rows = tree.rows.as_ref().and_then(|r| r.as_ref().ok());
            let all_open = rows.is_some_and(|rows| rows.iter().filter(|r| r.is_container()).all(|r| tree.is_open(r)));
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
                tree.toggle(&row.path);
                refold(app, &row.path);
            }
        }
        Command::ColumnLeft => match under {
            Some(row) if row.is_container() && tree.is_open(&row) => {
                tree.toggle(&row.path);
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
    if let Some(slot) = app.detail.as_mut().and_then(|d| d.documents.get_mut(Pane::Record.index())) {
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
/// it: case and accents folded), so that finding reaches folded fields. Short texts open
/// nothing: two letters are in almost every field.
pub(crate) fn reveal(app: &mut App, text: &str) {
    let needle = crate::query::fold(text.trim());
    if app.pane != Pane::Record || needle.chars().count() < 3 {
        return;
    }
    let Some(detail) = app.detail.as_mut() else { return };
    let tree = &mut detail.record_tree;
    let Some(rows) = tree.rows.as_ref().and_then(|r| r.as_ref().ok()) else { return };
    let mut wanted = std::collections::BTreeSet::new();
    for row in rows {
        let found = |s: &str| crate::query::fold(s).contains(&needle);
        if found(&row.key) || row.value.as_deref().is_some_and(found) {
            wanted.extend(crate::present::record::ancestors(&row.path));
        }
    }
    let closed: Vec<_> = rows.iter().filter(|r| wanted.contains(&r.path) && !tree.is_open(r)).cloned().collect();
    if closed.is_empty() {
        return;
    }
    for row in &closed {
        tree.open(row);
    }
    if let Some(slot) = detail.documents.get_mut(Pane::Record.index()) {
        *slot = None;
    }
    build_document(app);
}
