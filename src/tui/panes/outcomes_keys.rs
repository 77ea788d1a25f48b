//! The Outcomes pane's keys when the study has results: a cursor picks the part Enter folds
//! (`a` folds them all), and h/l show the tables' group columns further left or right.

use crate::tui::action::Command;
use crate::tui::app::{App, Detail, Pane};
use crate::tui::detail::{build_document, detail_body};
use crate::tui::navigate::{follow, moved};
use crate::tui::panes::outcomes::Fold;
use crate::tui::update::on_command;

/// What the status bar offers with the pane focused: folding and sideways columns when the
/// study has results.
pub(crate) fn hints(app: &App) -> &'static [Command] {
    if crate::tui::keymap::shows_results(app) { &[Command::ToggleFold, Command::ColumnRight] } else { &[] }
}

/// Moves the cursor of foldable results, the view following it; false when the pane has no
/// parts to fold (it then scrolls like the others). The cursor stops only on lines Enter folds
/// (a part's header or its open lines), never on the blank and heading lines between parts.
pub(crate) fn move_cursor(detail: &mut Detail, command: Command, page: usize) -> bool {
    let index = Pane::Outcomes.index();
    let folds = detail.pane_lines.get(index).and_then(Option::as_ref).filter(|d| !d.folds.is_empty());
    let Some(document) = folds else { return false };
    let last = document.lines.len().saturating_sub(1);
    let from = detail.outcomes.cursor;
    let cursor = foldable_near(&document.folds, moved(from, command, page, last), from);
    detail.outcomes.cursor = cursor;
    let first = document.folds.iter().map(|f| f.header).min().unwrap_or(0);
    if let Some(scroll) = detail.scroll.get_mut(index) {
        // On the first part the lines above it (when they were posted) come back into view.
        *scroll = if cursor == first && cursor < page { 0 } else { follow(*scroll, cursor, page) };
    }
    true
}

/// The line nearest `target` that lies in a part, looking on in the direction moved from
/// `from`, then back when there is none that way.
fn foldable_near(folds: &[Fold], target: usize, from: usize) -> usize {
    let inside = |line: usize| folds.iter().any(|f| f.header <= line && line < f.end.max(f.header + 1));
    if inside(target) {
        return target;
    }
    let after = folds.iter().map(|f| f.header).filter(|&h| h > target).min();
    let before = folds.iter().map(|f| f.end.max(f.header + 1) - 1).filter(|&l| l < target).max();
    let (ahead, behind) = if target >= from { (after, before) } else { (before, after) };
    ahead.or(behind).unwrap_or(from)
}

/// Enter (the part under the cursor) or `a` (every part: all open unless all are open already).
/// The cursor stays on the part's header, so the part stays where the reader is looking.
pub(crate) fn toggle_fold(app: &mut App, all: bool) {
    let page = usize::from(detail_body(app).height).max(1);
    let Some(detail) = app.detail.as_mut() else { return };
    let index = Pane::Outcomes.index();
    let Some(folds) = detail.pane_lines.get(index).and_then(Option::as_ref).map(|d| d.folds.clone()) else {
        return;
    };
    let cursor = detail.outcomes.cursor;
    let under = folds.iter().rev().find(|f| f.header <= cursor && cursor < f.end.max(f.header + 1)).copied();
    if all {
        let open = !folds.iter().all(|f| detail.outcomes.is_open(f.part));
        detail.outcomes.open = vec![open; folds.iter().map(|f| f.part + 1).max().unwrap_or(0)];
    } else if let Some(fold) = under {
        detail.outcomes.toggle(fold.part);
    }
    if let Some(slot) = detail.pane_lines.get_mut(index) {
        *slot = None;
    }
    build_document(app);
    let Some(detail) = app.detail.as_mut() else { return };
    let header = under.and_then(|u| {
        let document = detail.pane_lines.get(index)?.as_ref()?;
        document.folds.iter().find(|f| f.part == u.part).map(|f| f.header)
    });
    if let Some(header) = header {
        detail.outcomes.cursor = header;
    }
    if let Some(scroll) = detail.scroll.get_mut(index) {
        *scroll = follow(*scroll, detail.outcomes.cursor, page);
    }
}

/// `h`: the previous group column; on the first, back as Esc.
pub(crate) fn column_left(app: &mut App) {
    let first = app.detail.as_ref().map_or(0, |d| d.outcomes.first_group);
    if first == 0 {
        on_command(app, Command::Back);
    } else {
        move_columns(app, -1);
    }
}

/// h/l in results: the tables show groups from one column further left or right, up to the
/// last group of the widest table.
pub(crate) fn move_columns(app: &mut App, by: isize) {
    let Some(detail) = app.detail.as_mut() else { return };
    let widest = detail
        .record
        .as_deref()
        .ok()
        .and_then(|s| s.results_section.as_ref())
        .map_or(0, crate::study::results::ResultsSection::most_groups);
    let state = &mut detail.outcomes;
    let moved = state.first_group.saturating_add_signed(by).min(widest.saturating_sub(1));
    if moved != state.first_group {
        state.first_group = moved;
        if let Some(slot) = detail.pane_lines.get_mut(Pane::Outcomes.index()) {
            *slot = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line 0 says when results were posted, 3 is blank, 4 a heading; part 1 is open (5..8).
    fn folds() -> Vec<Fold> {
        vec![
            Fold { part: 0, header: 1, end: 2 },
            Fold { part: 1, header: 2, end: 3 },
            Fold { part: 2, header: 5, end: 8 },
            Fold { part: 3, header: 9, end: 10 },
        ]
    }

    #[test]
    fn the_cursor_skips_lines_enter_cannot_fold() {
        let folds = folds();
        assert_eq!(foldable_near(&folds, 3, 2), 5, "down over a blank and a heading");
        assert_eq!(foldable_near(&folds, 4, 5), 2, "up over them");
        assert_eq!(foldable_near(&folds, 6, 5), 6, "inside an open part");
        assert_eq!(foldable_near(&folds, 8, 7), 9, "out of an open part");
        assert_eq!(foldable_near(&folds, 0, 1), 1, "nothing above the first part");
        assert_eq!(foldable_near(&folds, 10, 9), 9, "nothing below the last");
    }
}
