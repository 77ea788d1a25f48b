//! The one place the app's state changes: `update(&mut App, Action)`. After every action the
//! derived state is brought up to date (the selected study's record read again through its
//! locator, the visible pane's lines built for the current width, scroll positions clamped), so
//! that `view` only has to draw.

use ratatui::layout::{Rect, Size};

use super::action::{Action, Command};
use super::app::{App, Detail, Document, Focus, Loading, Overlay, Pane};
use super::layout::{self, Areas};
use super::panes::{criteria, help, outcomes, overview, sites};
use crate::catalog::{self, Catalog};

pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Key(command) => on_command(app, command),
        Action::Resize(width, height) => app.size = Size::new(width, height),
        Action::Scroll { column, row, lines } => on_scroll(app, column, row, lines),
        Action::Click { column, row } => on_click(app, column, row),
        Action::Loaded { batch, studies, errors, expected } => {
            app.studies.extend(batch);
            app.loading = Some(Loading { studies, errors, expected });
        }
        Action::Finished(catalog) => on_finished(app, *catalog),
        Action::Tick => {}
    }
    refresh(app);
}

fn on_finished(app: &mut App, catalog: Catalog) {
    // Keep the study the user moved to; untouched, the selection stays on the first in order.
    let selected_id = app.selected_summary().filter(|_| app.selected > 0).map(|s| s.id.clone());
    let Catalog { studies, errors, duplicates, .. } = catalog;
    app.studies = studies;
    app.errors = errors;
    app.loading = None;
    if let Some(id) = selected_id {
        app.selected = app.studies.iter().position(|s| s.id == id).unwrap_or(0);
    }
    let mut message = format!("{} loaded", crate::cli::plural(app.studies.len(), "study", "studies"));
    if !duplicates.is_empty() {
        message.push_str(&format!(", {} duplicates resolved", duplicates.len()));
    }
    app.message = Some(message);
}

fn on_command(app: &mut App, command: Command) {
    if let Some(overlay) = app.overlay {
        on_overlay_command(app, overlay, command);
        return;
    }
    app.message = None;
    if let Some(pane) = command.pane() {
        return show_pane(app, pane);
    }
    match command {
        Command::Quit => app.quit = true,
        Command::ToggleHelp => app.overlay = Some(Overlay::Help { scroll: 0 }),
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
            }
        }
        Command::Back | Command::FocusList => app.focus = Focus::List,
        Command::NextPane => show_pane(app, app.pane.next()),
        Command::PrevPane => show_pane(app, app.pane.prev()),
        Command::ToggleRaw => {
            if app.pane == Pane::Criteria {
                app.raw_criteria = !app.raw_criteria;
            }
        }
        Command::SortSites => sort_sites(app),
        Command::Up
        | Command::Down
        | Command::PageUp
        | Command::PageDown
        | Command::HalfPageUp
        | Command::HalfPageDown
        | Command::Top
        | Command::Bottom => move_focused(app, command),
        Command::Pane1 | Command::Pane2 | Command::Pane3 | Command::Pane4 => {}
    }
}

fn on_overlay_command(app: &mut App, overlay: Overlay, command: Command) {
    let page = usize::from(app.size.height.saturating_sub(6)).max(1);
    let scroll = match overlay {
        Overlay::Help { scroll } | Overlay::Errors { scroll } => scroll,
    };
    let moved = match command {
        Command::Quit => {
            app.quit = true;
            return;
        }
        Command::Back => {
            app.overlay = None;
            return;
        }
        Command::ToggleHelp if matches!(overlay, Overlay::Help { .. }) => {
            app.overlay = None;
            return;
        }
        Command::ToggleErrors if matches!(overlay, Overlay::Errors { .. }) => {
            app.overlay = None;
            return;
        }
        other => step(scroll, other, page, usize::MAX),
    };
    app.overlay = Some(match overlay {
        Overlay::Help { .. } => Overlay::Help { scroll: moved },
        Overlay::Errors { .. } => Overlay::Errors { scroll: moved },
    });
}

/// A pane shown from the keyboard. On a narrow screen the study takes the screen, since that is
/// what the user asked to read; side by side, the list keeps the focus so j/k still browse.
fn show_pane(app: &mut App, pane: Pane) {
    app.pane = pane;
    if app.size.width < layout::SPLIT_MIN_WIDTH && !app.studies.is_empty() {
        app.focus = Focus::Detail;
    }
}

fn sort_sites(app: &mut App) {
    if app.pane != Pane::Sites {
        return;
    }
    if let Some(detail) = app.detail.as_mut()
        && let Ok(study) = detail.record.as_deref()
    {
        let next = detail.sites.sort.next();
        detail.sites.sort_by(study, next);
        app.message = Some(format!("Sites sorted {}", next.label()));
    }
}

/// The new position after a movement command, within `0..=last`.
fn step(position: usize, command: Command, page: usize, last: usize) -> usize {
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

fn move_focused(app: &mut App, command: Command) {
    let areas = Areas::compute(app);
    match app.focus {
        Focus::List => {
            let page = areas.list.map_or(1, |r| usize::from(layout::inner(r).height).max(1));
            let last = app.studies.len().saturating_sub(1);
            app.selected = step(app.selected, command, page, last);
        }
        Focus::Detail => {
            let body = detail_body(app);
            let page = usize::from(body.height).max(1);
            let pane = app.pane;
            let Some(detail) = app.detail.as_mut() else { return };
            if pane == Pane::Sites {
                let rows = sites::table_rows(body);
                let last = detail.sites.order.len().saturating_sub(1);
                let target = step(detail.sites.selected, command, rows.max(1), last);
                let delta = isize::try_from(target).unwrap_or(isize::MAX)
                    - isize::try_from(detail.sites.selected).unwrap_or(0);
                detail.sites.move_by(delta, rows);
            } else if let Some(scroll) = detail.scroll.get_mut(pane.index()) {
                *scroll = step(*scroll, command, page, usize::MAX);
            }
        }
    }
}

fn on_scroll(app: &mut App, column: u16, row: u16, lines: i16) {
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

fn on_click(app: &mut App, column: u16, row: u16) {
    if app.overlay.is_some() {
        app.overlay = None;
        return;
    }
    let areas = Areas::compute(app);
    if let Some(list) = areas.list
        && layout::contains(list, column, row)
    {
        app.focus = Focus::List;
        let inner = layout::inner(list);
        if layout::contains(inner, column, row) {
            let index = app.list_offset + usize::from(row - inner.y);
            if index < app.studies.len() {
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

/// The body of the study block, whether or not it is on screen right now (on a narrow screen
/// it is built for the width it will have when shown).
pub fn detail_body(app: &App) -> Rect {
    let areas = Areas::compute(app);
    let detail = areas.detail.or(Areas::for_screen(app.size, Focus::Detail).detail).unwrap_or_default();
    layout::detail_parts(detail).1
}

/// Brings derived state up to date after any action.
fn refresh(app: &mut App) {
    app.selected = app.selected.min(app.studies.len().saturating_sub(1));
    keep_selection_visible(app);
    load_selected(app);
    build_document(app);
    if let Some(Overlay::Help { scroll }) = app.overlay.as_mut() {
        // The help box is at most the screen's height; its lines show inside its two borders.
        let max = help::line_count().saturating_sub(usize::from(app.size.height.saturating_sub(2)));
        *scroll = (*scroll).min(max);
    }
    if let Some(Overlay::Errors { scroll }) = app.overlay.as_mut() {
        *scroll = (*scroll).min(app.errors.len().saturating_sub(1));
    }
}

fn keep_selection_visible(app: &mut App) {
    let areas = Areas::compute(app);
    let rows = areas.list.map_or(0, |r| usize::from(layout::inner(r).height));
    if rows == 0 {
        return;
    }
    if app.selected < app.list_offset {
        app.list_offset = app.selected;
    } else if app.selected >= app.list_offset + rows {
        app.list_offset = app.selected + 1 - rows;
    }
    let max_offset = app.studies.len().saturating_sub(rows);
    app.list_offset = app.list_offset.min(max_offset);
}

/// Reads the selected study's full record when the selection moved to another study.
fn load_selected(app: &mut App) {
    let Some(summary) = app.studies.get(app.selected) else {
        app.detail = None;
        return;
    };
    if app.detail.as_ref().is_some_and(|d| d.id == summary.id) {
        return;
    }
    let record = catalog::full_record(&summary.locator)
        .map(Box::new)
        .map_err(|e| format!("cannot read {} again from {}: {e}", summary.id, summary.origin));
    let sites = record.as_deref().map(sites::SitesState::new).unwrap_or_default();
    app.detail =
        Some(Detail { id: summary.id.clone(), record, documents: Default::default(), scroll: [0; 4], sites });
}

/// Builds the visible pane's lines for the current width, and clamps its scroll.
fn build_document(app: &mut App) {
    let body = detail_body(app);
    let (pane, raw, theme) = (app.pane, app.raw_criteria, app.theme);
    let Some(detail) = app.detail.as_mut() else { return };
    let Ok(study) = detail.record.as_deref() else { return };
    if pane == Pane::Sites {
        let rows = sites::table_rows(body);
        detail.sites.move_by(0, rows);
        return;
    }
    let index = pane.index();
    let Some(slot) = detail.documents.get_mut(index) else { return };
    let stale =
        slot.as_ref().is_none_or(|d| d.width != body.width || (pane == Pane::Criteria && d.raw != raw));
    if stale {
        let lines = match pane {
            Pane::Overview => overview::document(study, body.width, &theme),
            Pane::Criteria => criteria::document(study, body.width, raw, &theme),
            _ => outcomes::document(study, body.width, &theme),
        };
        *slot = Some(Document { width: body.width, raw, lines });
    }
    let len = slot.as_ref().map_or(0, |d| d.lines.len());
    if let Some(scroll) = detail.scroll.get_mut(index) {
        *scroll = (*scroll).min(len.saturating_sub(usize::from(body.height)));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::tui::theme::Theme;
    use std::path::PathBuf;

    fn assets_app(width: u16, height: u16) -> App {
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let catalog = Catalog::load(&[assets]);
        let mut app = App::new("assets".into(), Size::new(width, height), Theme::plain());
        update(&mut app, Action::Finished(Box::new(catalog)));
        app
    }

    fn press(app: &mut App, commands: &[Command]) {
        for &c in commands {
            update(app, Action::Key(c));
        }
    }

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
        assert_eq!(app.pane, Pane::Overview);
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
        let lines = detail.documents[0].as_ref().unwrap().lines.len();
        let body = detail_body(&app);
        assert_eq!(detail.scroll[0], lines.saturating_sub(usize::from(body.height)));
        press(&mut app, &[Command::Top, Command::HalfPageDown]);
        assert_eq!(app.detail.as_ref().unwrap().scroll[0], usize::from(body.height) / 2);
    }

    #[test]
    fn overlays_open_scroll_and_close() {
        let mut app = assets_app(100, 30);
        press(&mut app, &[Command::ToggleHelp]);
        assert_eq!(app.overlay, Some(Overlay::Help { scroll: 0 }));
        press(&mut app, &[Command::Down, Command::Down]);
        assert!(matches!(app.overlay, Some(Overlay::Help { scroll: 2 }) | Some(Overlay::Help { scroll: 0 })));
        press(&mut app, &[Command::Back]);
        assert_eq!(app.overlay, None);
        press(&mut app, &[Command::ToggleErrors]);
        assert_eq!(app.overlay, None, "nothing failed: no error list");
        assert_eq!(app.message.as_deref(), Some("Nothing failed to load"));
        press(&mut app, &[Command::Quit]);
        assert!(app.quit);
    }

    #[test]
    fn clicks_select_rows_and_tabs() {
        let mut app = assets_app(120, 40);
        let areas = Areas::compute(&app);
        let list = layout::inner(areas.list.unwrap());
        update(&mut app, Action::Click { column: list.x + 2, row: list.y + 3 });
        assert_eq!(app.selected, 3);
        let (tabs, _) = layout::detail_parts(areas.detail.unwrap());
        let x = (tabs.x..tabs.right()).find(|&x| layout::tab_at(tabs, x) == Some(Pane::Sites)).unwrap();
        update(&mut app, Action::Click { column: x, row: tabs.y });
        assert_eq!((app.pane, app.focus), (Pane::Sites, Focus::Detail));
        update(&mut app, Action::Scroll { column: list.x + 1, row: list.y + 1, lines: 3 });
        assert_eq!(app.selected, 6, "the wheel over the list moves the selection");
        assert_eq!(app.focus, Focus::Detail, "without taking the focus");
    }

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
        update(&mut app, Action::Finished(Box::new(catalog)));
        let second = app.studies.iter().position(|s| &*s.id == "NCT04120381").unwrap();
        app.selected = second;
        update(&mut app, Action::Tick);
        let error = app.detail.as_ref().unwrap().record.as_ref().unwrap_err();
        assert!(error.contains("cannot read NCT04120381 again") && error.contains("no such file"), "{error}");
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal.draw(|frame| crate::tui::view::view(&app, frame)).unwrap();
        let screen: String = terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        assert!(screen.contains("This study cannot be shown"), "the pane says why");
    }

    #[test]
    fn sites_selection_and_sort() {
        let mut app = assets_app(120, 40);
        app.selected = app.studies.iter().position(|s| &*s.id == "NCT05183427").unwrap();
        press(&mut app, &[Command::Open, Command::Pane4, Command::PageDown, Command::Down]);
        let sites = &app.detail.as_ref().unwrap().sites;
        assert!(sites.selected > 1);
        let chosen = sites.order[sites.selected];
        press(&mut app, &[Command::SortSites]);
        let sites = &app.detail.as_ref().unwrap().sites;
        assert_eq!(sites.order[sites.selected], chosen, "sorting keeps the same site selected");
        press(&mut app, &[Command::Bottom]);
        let sites = &app.detail.as_ref().unwrap().sites;
        assert_eq!(sites.selected, sites.order.len() - 1);
    }
}
