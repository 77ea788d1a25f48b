//! Moving about: the selection in the list, the scroll of the pane (or its own cursor, in the
//! panes that have one), the pane shown, and the mouse's wheel and clicks.

use super::action::Command;
use super::app::{App, Focus, Pane};
use super::detail::detail_body;
use super::layout::{self, Areas};
use super::list_rows::list_rows;
use super::panes::{outcomes_keys, sites_keys};
use super::update::on_command;

/// A pane shown from the keyboard. On a narrow screen the study takes the screen, since that is
/// what the user asked to read; side by side, the list keeps the focus so j/k still browse.
pub(crate) fn show_pane(app: &mut App, pane: Pane) {
    app.pane = pane;
    if app.size.width < layout::SPLIT_MIN_WIDTH && !app.studies.is_empty() {
        app.focus = Focus::Detail;
    }
}

/// The new position after a movement command, within `0..=last`.
pub(crate) fn moved(position: usize, command: Command, page: usize, last: usize) -> usize {
    let half = (page / 2).max(1);
    let moved = match command {
        Command::Up => position.saturating_sub(1),
        Command::Down => position.saturating_add(1),
        Command::PageUp => position.saturating_sub(page),
        Command::PageDown => position.saturating_add(page),
        Command::HalfPageUp => position.saturating_sub(half),
        Command::HalfPageDown => position.saturating_add(half),
        Command::Top => 0,
        Command::Bottom => last,
        _ => position,
    };
    moved.min(last)
}

/// The scroll that keeps line `cursor` in a view of `height` lines, moving as little as it can.
pub(crate) fn follow(scroll: usize, cursor: usize, height: usize) -> usize {
    if cursor < scroll {
        cursor
    } else if cursor >= scroll + height {
        cursor + 1 - height.max(1)
    } else {
        scroll
    }
}

pub(crate) fn move_focused(app: &mut App, command: Command) {
    let areas = Areas::compute(app);
    match app.focus {
        Focus::List => {
            let page = areas.list.map_or(1, |r| usize::from(list_rows(app, r).height).max(1));
            let last = app.row_count().saturating_sub(1);
            app.selected = moved(app.selected, command, page, last);
        }
        Focus::Detail => {
            let body = detail_body(app);
            let page = usize::from(body.height).max(1);
            let pane = app.pane;
            let Some(detail) = app.detail.as_mut() else { return };
            // Foldable results have a cursor, which the view follows.
            if pane == Pane::Outcomes && outcomes_keys::move_cursor(detail, command, page) {
                return;
            }
            if pane == Pane::Sites {
                sites_keys::move_selection(&mut detail.sites, command, body);
            } else if let Some(scroll) = detail.scroll.get_mut(pane.index()) {
                *scroll = moved(*scroll, command, page, usize::MAX);
            }
        }
    }
}

pub(crate) fn on_scroll(app: &mut App, column: u16, row: u16, lines: i16) {
    if app.overlay.is_some() {
        let command = if lines < 0 { Command::Up } else { Command::Down };
        for _ in 0..lines.unsigned_abs() {
            on_command(app, command);
        }
        return;
    }
    let areas = Areas::compute(app);
    let command = if lines < 0 { Command::Up } else { Command::Down };
    let saved = app.focus;
    if areas.list.is_some_and(|r| layout::contains(r, column, row)) {
        app.focus = Focus::List;
    } else if areas.detail.is_some_and(|r| layout::contains(r, column, row)) {
        app.focus = Focus::Detail;
    } else {
        return;
    }
    for _ in 0..lines.unsigned_abs() {
        move_focused(app, command);
    }
    // The wheel scrolls what is under the pointer without taking the keyboard focus.
    app.focus = saved;
}

pub(crate) fn on_click(app: &mut App, column: u16, row: u16) {
    if app.overlay.is_some() {
        app.overlay = None;
        return;
    }
    let areas = Areas::compute(app);
    if let Some(list) = areas.list
        && layout::contains(list, column, row)
    {
        app.focus = Focus::List;
        let inner = list_rows(app, list);
        if layout::contains(inner, column, row) {
            let index = app.list_offset + usize::from(row - inner.y);
            if index < app.row_count() {
                app.selected = index;
            }
        }
        return;
    }
    if let Some(detail) = areas.detail
        && layout::contains(detail, column, row)
    {
        app.focus = Focus::Detail;
        let (tabs, _) = layout::detail_parts(detail);
        if layout::contains(tabs, column, row)
            && let Some(pane) = layout::tab_at(tabs, column)
        {
            app.pane = pane;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn moving_through_the_list_reads_each_study() {
        let mut app = assets_app(120, 40);
        assert!(app.studies.len() >= 20);
        assert_eq!(app.detail.as_ref().unwrap().id, app.studies[0].id);
        press(&mut app, &[Command::Down, Command::Down]);
        assert_eq!(app.selected, 2);
        assert_eq!(app.detail.as_ref().unwrap().id, app.studies[2].id);
        press(&mut app, &[Command::Bottom]);
        assert_eq!(app.selected, app.studies.len() - 1);
        press(&mut app, &[Command::Up, Command::Top]);
        assert_eq!(app.selected, 0);
        press(&mut app, &[Command::Up]);
        assert_eq!(app.selected, 0, "stays at the top");
    }

    #[test]
    fn panes_focus_and_back() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Pane2]);
        assert_eq!((app.pane, app.focus), (Pane::Criteria, Focus::List), "side by side the list keeps focus");
        press(&mut app, &[Command::Open, Command::NextPane, Command::NextPane]);
        assert_eq!((app.pane, app.focus), (Pane::Sites, Focus::Detail));
        press(&mut app, &[Command::NextPane]);
        assert_eq!(app.pane, Pane::Record);
        press(&mut app, &[Command::NextPane]);
        assert_eq!(app.pane, Pane::Overview);
        press(&mut app, &[Command::PrevPane]);
        assert_eq!(app.pane, Pane::Record);
        press(&mut app, &[Command::PrevPane, Command::Back]);
        assert_eq!((app.pane, app.focus), (Pane::Sites, Focus::List));

        let mut narrow = assets_app(80, 24);
        press(&mut narrow, &[Command::Pane3]);
        assert_eq!(narrow.focus, Focus::Detail, "narrow: the study takes the screen");
        assert!(Areas::compute(&narrow).list.is_none());
        press(&mut narrow, &[Command::Back]);
        assert!(Areas::compute(&narrow).detail.is_none());
    }

    #[test]
    fn scrolling_a_pane_is_clamped_to_its_length() {
        let mut app = assets_app(80, 24);
        let long = app.studies.iter().position(|s| &*s.id == "NCT05183427").unwrap();
        app.selected = long;
        press(&mut app, &[Command::Pane1, Command::Bottom]);
        let detail = app.detail.as_ref().unwrap();
        let lines = detail.pane_lines[0].as_ref().unwrap().lines.len();
        let body = detail_body(&app);
        assert_eq!(detail.scroll[0], lines.saturating_sub(usize::from(body.height)));
        press(&mut app, &[Command::Top, Command::HalfPageDown]);
        assert_eq!(app.detail.as_ref().unwrap().scroll[0], usize::from(body.height) / 2);
    }

    #[test]
    fn clicks_select_rows_and_tabs() {
        let mut app = assets_app(120, 40);
        let areas = Areas::compute(&app);
        let list = layout::inner(areas.list.unwrap());
        step(&mut app, Action::Click { column: list.x + 2, row: list.y + 3 });
        assert_eq!(app.selected, 3);
        let (tabs, _) = layout::detail_parts(areas.detail.unwrap());
        let x = (tabs.x..tabs.right()).find(|&x| layout::tab_at(tabs, x) == Some(Pane::Sites)).unwrap();
        step(&mut app, Action::Click { column: x, row: tabs.y });
        assert_eq!((app.pane, app.focus), (Pane::Sites, Focus::Detail));
        let record = (tabs.x..tabs.right()).find(|&x| layout::tab_at(tabs, x) == Some(Pane::Record)).unwrap();
        assert!(screen(&app).contains("5 Record"));
        step(&mut app, Action::Click { column: record, row: tabs.y });
        assert_eq!(app.pane, Pane::Record, "a click on the Record tab shows it");
        step(&mut app, Action::Click { column: x, row: tabs.y });
        assert_eq!(app.pane, Pane::Sites);
        step(&mut app, Action::Scroll { column: list.x + 1, row: list.y + 1, lines: 3 });
        assert_eq!(app.selected, 6, "the wheel over the list moves the selection");
        assert_eq!(app.focus, Focus::Detail, "without taking the focus");
    }
}
