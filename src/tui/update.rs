//! The one place the app's state changes: `update(&mut App, Action)`. After every action the
//! derived state is brought up to date (the selected study's record read again through its
//! locator, the visible pane's lines built for the current width, scroll positions clamped), so
//! that `view` only has to draw.

use ratatui::layout::{Rect, Size};
use tui_textarea::{Input, Key};

use super::action::{Action, Command};
use super::app::{AbsentRow, App, Detail, Document, Focus, ListView, NoteEditor, Overlay, Pane};
use super::layout::{self, Areas};
use super::panes::export::ReplaceQuestion;
use super::panes::facets::{self, FacetsPanel, Outcome};
use super::panes::{criteria, help, outcomes, overview, sites};
use super::search::{self, Find, LineTarget, ListFilter, QueryLine};
use crate::catalog::{self, Catalog};
use crate::query::{self, Query};

pub fn update(app: &mut App, action: Action) {
    match action {
        Action::Key(command) => on_command(app, command),
        Action::Resize(width, height) => app.size = Size::new(width, height),
        // The mouse does not reach under an open note editor or the facets panel.
        Action::Scroll { .. } | Action::Click { .. } if app.note.is_some() || app.facets.is_some() => {}
        Action::Scroll { column, row, lines } => on_scroll(app, column, row, lines),
        Action::Click { column, row } => on_click(app, column, row),
        // Nothing new: only the gauge moves (the list is not filtered again every frame).
        Action::Loaded { restart: false, batch, progress } if batch.is_empty() => {
            app.loading = Some(progress)
        }
        Action::Loaded { restart, batch, progress } => {
            if restart {
                app.studies.clear();
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
                if let Ok((rows, _)) = search::filter_rows(fresh, None, &app.filter.text, app.filter.typing) {
                    app.visible.extend(rows.into_iter().map(|row| row + first_new));
                }
            } else {
                reapply_filter(app);
            }
        }
        Action::Finished(catalog) => on_finished(app, *catalog),
        Action::Notice(text) => {
            app.message = Some(match app.message.take() {
                Some(before) => format!("{before}; {text}"),
                None => text,
            });
        }
        Action::Tick => step_matching(app),
        Action::Edit(input) => on_edit(app, input),
    }
    refresh(app);
}

fn on_finished(app: &mut App, catalog: Catalog) {
    // Keep the study the user moved to; untouched, the selection stays on the first in order.
    let selected_id = app.selected_id().filter(|_| app.selected > 0).map(Box::<str>::from);
    let Catalog { studies, errors, warnings, duplicates, index, handed_out, .. } = catalog;
    // Studies read from the cache all came through `Loaded`, in order, and are not sent again.
    if !handed_out {
        app.studies = studies;
    }
    mark_bookmarked(app, 0);
    app.index = index;
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
}

fn on_command(app: &mut App, command: Command) {
    if app.note.is_some() {
        return on_note_command(app, command);
    }
    if let Some(overlay) = app.overlay {
        on_overlay_command(app, overlay, command);
        return;
    }
    if app.picker.is_some() {
        return on_picker_command(app, command);
    }
    app.message = None;
    if app.line.is_some() {
        return on_line_command(app, command);
    }
    if app.facets.is_some() {
        return on_facets_command(app, command);
    }
    if let Some(pane) = command.pane() {
        return show_pane(app, pane);
    }
    match command {
        Command::Quit => app.quit = true,
        Command::ToggleHelp => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Command::ToggleBookmark => toggle_bookmark(app),
        Command::ShowBookmarks => toggle_view(app, ListView::Bookmarks),
        Command::ShowRecent => toggle_view(app, ListView::Recent),
        Command::EditNote => open_note(app),
        Command::Export => {
            if !app.visible.is_empty() {
                app.line = Some(QueryLine::new(LineTarget::Export, "nct-export.csv"));
                app.replace = None;
            }
        }
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
        Command::GoTo => open_picker(app),
        Command::ToggleFacets => open_facets(app),
        Command::CycleSort => cycle_sort(app),
        Command::FindNext => move_find(app, 1),
        Command::FindPrev => move_find(app, -1),
        Command::NextPane => show_pane(app, app.pane.next()),
        Command::PrevPane => show_pane(app, app.pane.prev()),
        Command::ToggleRaw => {
            if app.pane == Pane::Criteria {
                app.raw_criteria = !app.raw_criteria;
            }
        }
        Command::SortSites => sort_sites(app),
        Command::ToggleFold => toggle_fold(app, false),
        Command::ToggleAllFolds => toggle_fold(app, true),
        Command::ColumnLeft => {
            let first = app.detail.as_ref().map_or(0, |d| d.outcomes.first_group);
            if first == 0 {
                on_command(app, Command::Back);
            } else {
                move_columns(app, -1);
            }
        }
        Command::ColumnRight => move_columns(app, 1),
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

/// `F`: the facets of the listed studies (a view's too: its rows are a result set as well).
fn open_facets(app: &mut App) {
    app.facets = Some(FacetsPanel::new(&app.studies, &app.visible));
}

/// A key while the facets panel is open: Enter puts the value's filter in the query (or takes it
/// out) and runs it, and the panel counts the new result set.
fn on_facets_command(app: &mut App, command: Command) {
    let page = facets::page(Rect::new(0, 0, app.size.width, app.size.height));
    let Some(panel) = app.facets.as_mut() else { return };
    match panel.on_command(command, page) {
        Outcome::Nothing => {}
        Outcome::Close => app.facets = None,
        Outcome::Quit => app.quit = true,
        Outcome::NoFilter(facet) => {
            app.message = Some(format!("{} has no query filter: the count is for reading", facet.heading()))
        }
        Outcome::Toggle(term) => {
            if app.view != ListView::All {
                leave_view(app);
            }
            let text = facets::toggled(&app.filter.text, &term);
            let _ = refilter(app, &text, false, false);
            app.message =
                Some(if text.is_empty() { "Every study".to_string() } else { format!("Query: {text}") });
            if let Some(panel) = app.facets.as_mut() {
                panel.recount(&app.studies, &app.visible);
            }
        }
    }
}

/// `o`: the next order of the list, the selection staying on its study.
fn cycle_sort(app: &mut App) {
    app.sort = app.sort.next();
    let (text, typing) = (app.filter.text.clone(), app.filter.typing);
    let _ = refilter(app, &text, true, typing);
    app.message = Some(format!("Listed {}", app.sort.describe()));
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
            let page = areas.list.map_or(1, |r| usize::from(list_rows(app, r).height).max(1));
            let last = app.row_count().saturating_sub(1);
            app.selected = step(app.selected, command, page, last);
        }
        Focus::Detail => {
            let body = detail_body(app);
            let page = usize::from(body.height).max(1);
            let pane = app.pane;
            let Some(detail) = app.detail.as_mut() else { return };
            let folds =
                detail.documents.get(pane.index()).and_then(Option::as_ref).filter(|d| !d.folds.is_empty());
            if pane == Pane::Outcomes
                && let Some(document) = folds
            {
                // A cursor line picks the part Enter folds; the view follows it.
                let last = document.lines.len().saturating_sub(1);
                let cursor = step(detail.outcomes.cursor, command, page, last);
                detail.outcomes.cursor = cursor;
                if let Some(scroll) = detail.scroll.get_mut(pane.index()) {
                    *scroll = follow(*scroll, cursor, page);
                }
            } else if pane == Pane::Sites {
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

/// The scroll that keeps line `cursor` in a view of `height` lines, moving as little as it can.
fn follow(scroll: usize, cursor: usize, height: usize) -> usize {
    if cursor < scroll {
        cursor
    } else if cursor >= scroll + height {
        cursor + 1 - height.max(1)
    } else {
        scroll
    }
}

/// Enter (the part under the cursor) or `a` (every part: all open unless all are open already).
/// The cursor stays on the part's header, so the part stays where the reader is looking.
fn toggle_fold(app: &mut App, all: bool) {
    let page = usize::from(detail_body(app).height).max(1);
    let Some(detail) = app.detail.as_mut() else { return };
    let index = Pane::Outcomes.index();
    let Some(folds) = detail.documents.get(index).and_then(Option::as_ref).map(|d| d.folds.clone()) else {
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
    if let Some(slot) = detail.documents.get_mut(index) {
        *slot = None;
    }
    build_document(app);
    let Some(detail) = app.detail.as_mut() else { return };
    let header = under.and_then(|u| {
        let document = detail.documents.get(index)?.as_ref()?;
        document.folds.iter().find(|f| f.part == u.part).map(|f| f.header)
    });
    if let Some(header) = header {
        detail.outcomes.cursor = header;
    }
    if let Some(scroll) = detail.scroll.get_mut(index) {
        *scroll = follow(*scroll, detail.outcomes.cursor, page);
    }
}

/// h/l in results: the tables show groups from one column further left or right, up to the
/// last group of the widest table.
fn move_columns(app: &mut App, by: isize) {
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
        if let Some(slot) = detail.documents.get_mut(Pane::Outcomes.index()) {
            *slot = None;
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

/// The body of the study block, whether or not it is on screen right now (on a narrow screen
/// it is built for the width it will have when shown).
pub fn detail_body(app: &App) -> Rect {
    let areas = Areas::compute(app);
    let detail = areas.detail.or(Areas::for_screen(app.size, Focus::Detail).detail).unwrap_or_default();
    layout::detail_parts(detail).1
}

/// Brings derived state up to date after any action.
fn refresh(app: &mut App) {
    if app.filter.text.is_empty() && app.view == ListView::All && app.visible.len() != app.studies.len() {
        app.visible = (0..app.studies.len()).collect();
    }
    app.selected = app.selected.min(app.row_count().saturating_sub(1));
    keep_selection_visible(app);
    mark_rows(app);
    load_selected(app);
    build_document(app);
    refresh_find(app);
    if let Some(Overlay::Help { scroll }) = app.overlay.as_mut() {
        // The help box is at most the screen's height; its lines show inside its two borders.
        let max =
            help::line_count(&app.keymap).saturating_sub(usize::from(app.size.height.saturating_sub(2)));
        *scroll = (*scroll).min(max);
    }
    if let Some(Overlay::Errors { scroll }) = app.overlay.as_mut() {
        *scroll = (*scroll).min(app.errors.len().saturating_sub(1));
    }
}

fn keep_selection_visible(app: &mut App) {
    let areas = Areas::compute(app);
    let rows = areas.list.map_or(0, |r| usize::from(list_rows(app, r).height));
    if rows == 0 {
        return;
    }
    if app.selected < app.list_offset {
        app.list_offset = app.selected;
    } else if app.selected >= app.list_offset + rows {
        app.list_offset = app.selected + 1 - rows;
    }
    let max_offset = app.row_count().saturating_sub(rows);
    app.list_offset = app.list_offset.min(max_offset);
}

/// Reads the selected study's full record when the selection moved to another study.
fn load_selected(app: &mut App) {
    let Some(summary) = app.selected_summary() else {
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
    let note = app.notes.as_ref().and_then(|notes| match notes.read(&summary.id) {
        Ok(note) => note,
        Err(why) => Some(format!("(the note cannot be read: {why})")),
    });
    app.detail = Some(Detail {
        id: summary.id.clone(),
        record,
        documents: Default::default(),
        scroll: [0; 4],
        sites,
        outcomes: Default::default(),
        note,
    });
}

/// Builds the visible pane's lines for the current width, marks the list filter's words in them
/// when either changed, and clamps its scroll.
fn build_document(app: &mut App) {
    let body = detail_body(app);
    let (pane, raw, theme, dates) = (app.pane, app.raw_criteria, app.theme, app.dates);
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
        let (lines, folds) = match pane {
            Pane::Overview => {
                let mut lines = match &detail.note {
                    Some(note) => overview::note_lines(note, body.width, &theme),
                    None => Vec::new(),
                };
                lines.extend(overview::document(study, body.width, &theme, dates));
                (lines, Vec::new())
            }
            Pane::Criteria => (criteria::document(study, body.width, raw, &theme), Vec::new()),
            _ => outcomes::document(study, body.width, &theme, &detail.outcomes, dates),
        };
        *slot = Some(Document { width: body.width, raw, lines, folds, ..Document::default() });
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
    if let Some(scroll) = detail.scroll.get_mut(index) {
        *scroll = (*scroll).min(len.saturating_sub(usize::from(body.height)));
    }
}

/// The rows of the list block, above the query line when it is open there.
pub fn list_rows(app: &App, list: Rect) -> Rect {
    // The line's text starts after the one-column prompt, inside the borders.
    let text_width = list.width.saturating_sub(3);
    let line = app.line.as_ref().filter(|l| l.target == LineTarget::List).map_or(0, |l| l.height(text_width));
    layout::list_parts(list, line).0
}

/// The list's row naming study `id`, loaded or not (a view's absent rows).
fn any_row_of(app: &App, id: &str) -> Option<usize> {
    row_of(app, id).or_else(|| app.absent.iter().position(|a| &*a.id == id).map(|i| i + app.visible.len()))
}

/// The list's row showing study `id`.
fn row_of(app: &App, id: &str) -> Option<usize> {
    app.visible.iter().position(|&i| app.studies.get(i).is_some_and(|s| &*s.id == id))
}

/// Applies `text` as the list's filter (`typing`: its last word is still being typed), the best
/// match selected, or with `keep_selection` (studies arriving) the study the selection was on.
/// A query with a mistake changes nothing but says so (see `App::mistake`).
fn refilter(app: &mut App, text: &str, keep_selection: bool, typing: bool) -> Result<(), query::QueryError> {
    let kept = app.selected_summary().map(|s| s.id.clone());
    let answer = search::filter_rows(&app.studies, app.index.as_ref(), text, typing);
    drop_failed_index(app);
    let (mut rows, filter) = match answer {
        Ok(answer) => answer,
        Err(error) => {
            app.mistake = true;
            return Err(error);
        }
    };
    app.mistake = false;
    app.filter = ListFilter { typing, ..filter };
    app.sort.sort(&app.studies, &mut rows);
    app.visible = rows;
    app.selected = if keep_selection { kept.and_then(|id| row_of(app, &id)).unwrap_or(0) } else { 0 };
    app.list_offset = if keep_selection { app.list_offset } else { 0 };
    Ok(())
}

/// The filter applied again, as it was typed, to studies that changed (more arrived, the
/// index came, a bookmark moved).
fn reapply_filter(app: &mut App) {
    let (text, typing) = (app.filter.text.clone(), app.filter.typing);
    // It was read once: it reads again.
    let _ = refilter(app, &text, true, typing);
}

/// Marks the studies from `first` on with what the user keeps on them (bookmark, note), for
/// `bookmarked:` and `note:`.
pub fn mark_bookmarked(app: &mut App, first: usize) {
    if let Some(studies) = app.studies.get_mut(first..) {
        crate::catalog::mark_studies(studies, &app.bookmarks, &app.note_texts);
    }
}

/// Adds the selected study to the recently viewed, with its title, when the user opens it.
fn remember_viewed(app: &mut App) {
    let Some((id, title)) = app.selected_summary().map(|s| (s.id.clone(), s.brief_title.to_string())) else {
        return;
    };
    match app.history_file.as_ref().map(|file| file.add_viewed(&id, &title)) {
        // With what other windows opened meanwhile.
        Some(Ok(entries)) => app.viewed = recently_viewed(&entries),
        Some(Err(why)) => app.message = Some(why),
        None => {
            app.viewed.retain(|(known, _)| *known != id);
            app.viewed.insert(0, (id, Some(title)));
        }
    }
}

/// The history's viewed studies as the app keeps them: newest first, with their titles.
pub fn recently_viewed(entries: &crate::user::history::Entries) -> Vec<(Box<str>, Option<String>)> {
    entries
        .recently_viewed()
        .into_iter()
        .map(|(id, title)| (Box::from(id), title.map(str::to_string)))
        .collect()
}

/// `B` and `H`: the list shows the bookmarks, or the studies opened lately; the same key again
/// shows every study. A search in place is cleared: a view lists what it names, all of it.
fn toggle_view(app: &mut App, view: ListView) {
    if app.view == view {
        return leave_view(app);
    }
    if view == ListView::Recent
        && let Some(file) = app.history_file.as_ref()
    {
        // Read again, for what other windows opened.
        let (entries, problem) = file.load();
        app.viewed = recently_viewed(&entries);
        if let Some(problem) = problem {
            app.message = Some(problem);
        }
    }
    if !app.filter.text.is_empty() {
        let _ = refilter(app, "", false, false);
    }
    app.view = view;
    app.focus = Focus::List;
    fill_view(app);
    app.selected = 0;
    app.list_offset = 0;
}

/// Every study again, the selection on the study it was on.
fn leave_view(app: &mut App) {
    let kept = app.selected_summary().map(|s| s.id.clone());
    app.view = ListView::All;
    app.absent.clear();
    app.visible = (0..app.studies.len()).collect();
    app.selected = kept.and_then(|id| row_of(app, &id)).unwrap_or(0);
}

/// The rows of the bookmarks or recently viewed view from the studies loaded so far: those
/// present, in the view's order, then those the inputs lack. The selection stays on its study.
fn fill_view(app: &mut App) {
    let kept = app.selected_id().map(Box::<str>::from);
    let (present, absent): (Vec<usize>, Vec<AbsentRow>) = match app.view {
        ListView::All => {
            app.absent.clear();
            return;
        }
        ListView::Bookmarks => {
            // In the list's order; the summaries already carry the mark, so this is one pass.
            let marked = || app.studies.iter().enumerate().filter(|(_, s)| s.bookmarked);
            let present: Vec<usize> = marked().map(|(i, _)| i).collect();
            let loaded: std::collections::HashSet<&str> = marked().map(|(_, s)| &*s.id).collect();
            let absent = app
                .bookmarks
                .absent(|id| loaded.contains(id))
                .into_iter()
                .map(|(id, bookmark)| AbsentRow { id: id.into(), title: Some(bookmark.title.clone()) })
                .collect();
            (present, absent)
        }
        ListView::Recent => {
            let wanted: std::collections::HashMap<&str, usize> =
                app.viewed.iter().enumerate().map(|(order, (id, _))| (&**id, order)).collect();
            let mut found: Vec<(usize, usize)> = app
                .studies
                .iter()
                .enumerate()
                .filter_map(|(i, s)| wanted.get(&*s.id).map(|&order| (order, i)))
                .collect();
            found.sort_unstable();
            let loaded: std::collections::HashSet<usize> = found.iter().map(|&(order, _)| order).collect();
            let absent = app
                .viewed
                .iter()
                .enumerate()
                .filter(|(order, _)| !loaded.contains(order))
                .map(|(_, (id, title))| AbsentRow { id: id.clone(), title: title.clone() })
                .collect();
            (found.into_iter().map(|(_, i)| i).collect(), absent)
        }
    };
    app.visible = present;
    app.absent = absent;
    let row = kept.and_then(|id| any_row_of(app, &id));
    app.selected = row.unwrap_or(app.selected).min(app.row_count().saturating_sub(1));
}

/// `a`: the note editor on the selected study, with its note as saved.
fn open_note(app: &mut App) {
    let Some(id) = app.selected_id().map(Box::<str>::from) else { return };
    let Some(notes) = app.notes.as_ref() else {
        app.message = Some("Notes need a data folder, and this system gives none".into());
        return;
    };
    match notes.read(&id) {
        Ok(saved) => app.note = Some(NoteEditor::new(&id, saved.as_deref().unwrap_or_default())),
        Err(why) => app.message = Some(why),
    }
}

/// The note editor's own keys: Ctrl-s saves and closes; Esc closes, asking first when the note
/// has changes (the next `y` discards them).
fn on_note_command(app: &mut App, command: Command) {
    let Some(editor) = app.note.as_mut() else { return };
    match command {
        Command::Submit => {
            let (id, text) = (editor.id.clone(), editor.text());
            let saved = match app.notes.as_ref() {
                Some(notes) => notes.save(&id, &text),
                None => Err("notes need a data folder".into()),
            };
            match saved {
                Ok(()) => {
                    app.note = None;
                    let note = Some(text.trim_end().to_string()).filter(|t| !t.trim().is_empty());
                    app.message = Some(match &note {
                        Some(_) => format!("Note on {id} saved"),
                        None => format!("Note on {id} removed"),
                    });
                    match &note {
                        Some(text) => app.note_texts.insert(id.to_string(), text.clone()),
                        None => app.note_texts.remove(&*id),
                    };
                    if let Some(summary) = app.studies.iter_mut().find(|s| s.id == id) {
                        summary.note = note.as_deref().map(Box::from);
                    }
                    if let Some(detail) = app.detail.as_mut().filter(|d| d.id == id) {
                        detail.note = note;
                        detail.documents = Default::default();
                    }
                }
                // The editor stays open with the text: nothing is lost when a save fails.
                Err(why) => app.message = Some(why),
            }
        }
        Command::Back if editor.changed() => {
            editor.confirm_discard = true;
            app.message =
                Some("Discard the changes to this note? y: discard, any other key: keep editing".into());
        }
        Command::Back => app.note = None,
        _ => {}
    }
}

/// Bookmarks whose study is not loaded are not dropped: the status bar names them.
fn say_absent_bookmarks(app: &mut App) {
    let absent = app.bookmarks.absent(|id| app.studies.iter().any(|s| &*s.id == id));
    if absent.is_empty() {
        return;
    }
    let named: Vec<String> = absent.iter().map(|(id, b)| format!("{id} ({})", b.title)).collect();
    app.message = Some(format!(
        "{} not among the loaded studies: {}",
        crate::present::words::plural(absent.len(), "bookmark is", "bookmarks are"),
        named.join(", ")
    ));
}

/// `b`: stars the selected study, or unstars it; said in the status bar.
fn toggle_bookmark(app: &mut App) {
    let (id, title): (Box<str>, String) = match (app.selected_summary(), app.selected_absent()) {
        (Some(summary), _) => (summary.id.clone(), summary.brief_title.to_string()),
        // A study not loaded can be unstarred (or starred again) by the title saved with it.
        (None, Some(absent)) => (absent.id.clone(), absent.title.clone().unwrap_or_default()),
        (None, None) => return,
    };
    let today = crate::user::today();
    let toggled = app.bookmarks.toggle(&id, &title, &today);
    if let Ok(now) = toggled
        && let Some(summary) = app.studies.iter_mut().find(|s| s.id == id)
    {
        summary.bookmarked = now;
    }
    // A list filtered by `bookmarked:` follows the change at once.
    let filtered_by_bookmarks = query::parse(&app.filter.text).is_ok_and(|q| q.uses_bookmarks(false));
    if toggled.is_ok() && filtered_by_bookmarks {
        reapply_filter(app);
    }
    if toggled.is_ok() && app.view == ListView::Bookmarks {
        fill_view(app);
    }
    app.message = Some(match toggled {
        Ok(true) => format!("{id} bookmarked ({} in all)", app.bookmarks.len()),
        Ok(false) => format!("{id}: bookmark removed"),
        Err(why) => why,
    });
}

/// The next slice of the go-to picker's fuzzy matching, if any is left.
fn step_matching(app: &mut App) {
    if !app.matching_underway() {
        return;
    }
    if let Some(picker) = app.picker.as_mut() {
        picker.matching.step(&app.studies);
    }
}

fn open_picker(app: &mut App) {
    if !app.studies.is_empty() {
        app.picker = Some(search::Picker::new());
    }
}

/// The go-to picker's keys: Enter goes to the chosen study, Esc closes, Up and Down choose.
fn on_picker_command(app: &mut App, command: Command) {
    let Some(picker) = app.picker.as_mut() else { return };
    match command {
        Command::Quit => app.quit = true,
        Command::Submit | Command::Open => {
            let chosen = picker.chosen().and_then(|row| app.studies.get(row)).map(|s| s.id.clone());
            app.picker = None;
            if let Some(id) = chosen {
                go_to(app, &id);
            }
        }
        Command::Back => app.picker = None,
        Command::Up => picker.selected = picker.selected.saturating_sub(1),
        Command::Down => {
            let last = picker.found().min(search::PICKER_ROWS).saturating_sub(1);
            picker.selected = (picker.selected + 1).min(last);
        }
        _ => {}
    }
}

/// A key typed into the go-to picker's line.
fn on_picker_edit(app: &mut App, input: Input) {
    let enter = input.key == Key::Enter || (input.ctrl && matches!(input.key, Key::Char('m' | 'j')));
    let command = match input.key {
        _ if enter => Some(Command::Submit),
        Key::Esc => Some(Command::Back),
        Key::Up => Some(Command::Up),
        Key::Down => Some(Command::Down),
        _ => None,
    };
    if let Some(command) = command {
        return on_picker_command(app, command);
    }
    let Some(picker) = app.picker.as_mut() else { return };
    let before = picker.text();
    picker.textarea.input(input);
    if picker.text() != before {
        picker.retype(&app.studies);
    }
}

/// The list selects study `id`: where it is in the list, or with every study listed when the
/// list's filter left it out.
fn go_to(app: &mut App, id: &str) {
    if app.view != ListView::All && row_of(app, id).is_none() {
        leave_view(app);
    }
    match row_of(app, id) {
        Some(row) => app.selected = row,
        None => jump_to(app, id),
    }
    app.focus = Focus::List;
}

/// Every study again, the selection staying on the study it was on.
fn clear_filter(app: &mut App) {
    let _ = refilter(app, "", true, false);
}

fn open_line(app: &mut App) {
    if app.studies.is_empty() {
        return;
    }
    match app.focus {
        Focus::List => app.line = Some(QueryLine::new(LineTarget::List, &app.filter.text)),
        Focus::Detail if app.pane != Pane::Sites => {
            let text = app.find.as_ref().map(|f| f.text.clone()).unwrap_or_default();
            app.line = Some(QueryLine::new(LineTarget::Pane, &text));
        }
        Focus::Detail => app.message = Some("Find works in Overview, Criteria and Outcomes".into()),
    }
}

/// The query line's own keys (`Scope::Line` in the keymap).
fn on_line_command(app: &mut App, command: Command) {
    let Some(target) = app.line.as_ref().map(|l| l.target) else { return };
    if app.replace.is_some() {
        // Only a yes (typed, see `on_edit`) or a no answers the question.
        match command {
            Command::Quit => app.quit = true,
            Command::Back => keep_existing_file(app),
            _ => {}
        }
        return;
    }
    match command {
        Command::Quit => app.quit = true,
        Command::Submit => submit_line(app),
        Command::Back => {
            app.line = None;
            match target {
                LineTarget::List => clear_filter(app),
                LineTarget::Pane => app.find = None,
                LineTarget::Export => {}
            }
        }
        Command::Up | Command::Down if target == LineTarget::List => recall(app, command == Command::Up),
        _ => {}
    }
}

/// A key typed into the query line. Enter, Esc, Up and Down arrive as commands from the keymap;
/// they are understood here too, so that an `Edit` means the same whoever sends it.
fn on_edit(app: &mut App, input: Input) {
    if let Some(editor) = app.note.as_mut() {
        if std::mem::take(&mut editor.confirm_discard) {
            if matches!(input.key, Key::Char('y' | 'Y')) {
                app.note = None;
                app.message = Some("Changes to the note discarded".into());
            } else {
                app.message = Some("Still editing: Ctrl-s saves".into());
            }
            return;
        }
        editor.textarea.input(input);
        return;
    }
    if app.replace.is_some() {
        match input.key {
            Key::Char('y' | 'Y') => replace_existing_file(app),
            Key::Char('n' | 'N') | Key::Esc => keep_existing_file(app),
            _ => {}
        }
        return;
    }
    if app.picker.is_some() {
        return on_picker_edit(app, input);
    }
    let Some(line) = app.line.as_mut() else { return };
    let target = line.target;
    let enter = input.key == Key::Enter || (input.ctrl && matches!(input.key, Key::Char('m' | 'j')));
    match input.key {
        _ if enter => on_line_command(app, Command::Submit),
        Key::Esc => on_line_command(app, Command::Back),
        Key::Up => on_line_command(app, Command::Up),
        Key::Down => on_line_command(app, Command::Down),
        Key::Tab if target == LineTarget::List => complete_line(app),
        _ => {
            let before = line.text();
            line.textarea.input(input);
            let text = line.text();
            if text != before {
                line.error = None;
                line.recall = None;
                if target == LineTarget::Export {
                    // What was wrong with the last name goes once the name changes.
                    app.message = None;
                }
                on_line_text(app, target, &text);
            }
        }
    }
}

/// Tab: the last word completed as far as its choices agree, the choices in the status bar.
fn complete_line(app: &mut App) {
    let Some(line) = app.line.as_mut() else { return };
    let completion = search::complete(&line.text(), &app.studies);
    if let Some(text) = &completion.text {
        line.set_text(text);
        on_line_text(app, LineTarget::List, text);
    }
    app.message = match completion.choices.len() {
        0 => None,
        many => {
            const SHOWN: usize = 8;
            let mut listed = completion.choices.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("  ");
            if many > SHOWN {
                listed.push_str(&format!("  … {} more", many - SHOWN));
            }
            Some(listed)
        }
    };
}

/// The line's text changed: filter the list or find in the pane, as it is typed.
fn on_line_text(app: &mut App, target: LineTarget, text: &str) {
    match target {
        LineTarget::List => match query::parse(text) {
            Ok(Query::Id(id)) => jump_to(app, &id),
            // Halfway through a filter (`status:`, an open quote) the text does not parse yet:
            // the list stays as it was rather than flashing empty, its title saying so; Enter
            // says what is wrong.
            Err(_) => app.mistake = true,
            Ok(_) => {
                let _ = refilter(app, text, false, true);
            }
        },
        LineTarget::Pane => {
            let matches = pane_lines(app).map(|lines| search::find_in_lines(lines, text)).unwrap_or_default();
            let scroll = pane_scroll(app);
            let current = matches.iter().position(|m| m.line >= scroll).unwrap_or(0);
            app.find = Some(Find { text: text.to_string(), matches, current });
            show_match(app);
        }
        LineTarget::Export => {}
    }
}

/// An NCT id typed or pasted: every study listed, that one selected.
fn jump_to(app: &mut App, id: &str) {
    let _ = refilter(app, "", false, false);
    match row_of(app, id) {
        Some(row) => app.selected = row,
        None => app.message = Some(format!("{id} is not among the loaded studies")),
    }
}

/// Enter: the list keeps its filter (a query that does not parse keeps the line open with the
/// error under it); the pane keeps its matches for `n`/`N`.
fn submit_line(app: &mut App) {
    let Some(line) = app.line.as_mut() else { return };
    let text = line.text();
    match line.target {
        LineTarget::List => match query::parse(&text) {
            Err(error) => {
                line.error = Some(error);
                app.mistake = true;
            }
            Ok(parsed) => {
                app.line = None;
                let trimmed = text.trim();
                if !trimmed.is_empty() && app.history.last().is_none_or(|last| last != trimmed) {
                    app.history.push(trimmed.to_string());
                    // Saved with what other windows added meanwhile; Up/Down then offer all.
                    match app.history_file.as_ref().map(|file| file.add_query(trimmed)) {
                        Some(Ok(queries)) => app.history = queries,
                        Some(Err(why)) => app.message = Some(why),
                        None => {}
                    }
                }
                let starred = parsed.uses_bookmarks(true);
                match &parsed {
                    Query::Id(id) => jump_to(app, id),
                    // Read whole, as `nct search` reads it: the best match first.
                    _ => {
                        let _ = refilter(app, &text, false, false);
                    }
                }
                suggest_words(app, &parsed);
                if starred {
                    say_absent_bookmarks(app);
                }
                app.focus = Focus::List;
            }
        },
        LineTarget::Export => export_list(app, text.trim()),
        LineTarget::Pane => {
            app.line = None;
            if app.find.as_ref().is_some_and(|f| f.matches.is_empty()) {
                app.message = Some(format!("No match for {:?}", text.trim()));
                app.find = None;
            }
        }
    }
}

/// A word of the query that no study holds: the status bar says what to type instead, and how
/// many studies that would find (the same suggestion as `nct search`'s).
fn suggest_words(app: &mut App, query: &Query) {
    let (Query::Expr(expr), Some(index)) = (query, app.index.as_ref()) else { return };
    if let Some(suggestion) = crate::catalog::suggest::suggest(&app.studies, index, expr) {
        let mut message = suggestion.message();
        if let Some(first) = message.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        app.message = Some(message);
    }
}

/// Writes the list as shown to the file typed; on a mistake (no format, a folder, one of the
/// loaded inputs) the line stays open with the name, and the row above it says why. A file that
/// exists is replaced only once the user says yes.
fn export_list(app: &mut App, typed: &str) {
    match crate::catalog::export::target(typed, &app.inputs, &app.studies) {
        Err(why) => app.message = Some(why),
        Ok(target) if target.exists => {
            app.replace = Some(ReplaceQuestion { typed: typed.to_string(), path: target.path });
        }
        Ok(target) => write_export(app, &target.path, false),
    }
}

/// Yes to the question: the file is replaced.
fn replace_existing_file(app: &mut App) {
    if let Some(question) = app.replace.take() {
        write_export(app, &question.path, true);
    }
}

/// No (or Esc) to the question: nothing is written, and the line closes.
fn keep_existing_file(app: &mut App) {
    if let Some(question) = app.replace.take() {
        app.line = None;
        app.message = Some(format!("Not exported: {} left as it was", question.typed));
    }
}

fn write_export(app: &mut App, path: &std::path::Path, replace: bool) {
    let studies: Vec<&crate::catalog::Summary> =
        app.visible.iter().filter_map(|&i| app.studies.get(i)).collect();
    match crate::catalog::export::export(&studies, path, replace) {
        Ok(done) => {
            app.line = None;
            let mut message = format!(
                "Exported {} to {}",
                crate::present::words::plural(done.written, "study", "studies"),
                path.display()
            );
            if !done.unreadable.is_empty() {
                message.push_str(&format!("; {} could not be read again", done.unreadable.len()));
            }
            if !app.absent.is_empty() {
                // The view names them, but there is no record to write.
                message.push_str(&format!("; {} not in the loaded inputs left out", app.absent.len()));
            }
            app.message = Some(message);
        }
        Err(why) => app.message = Some(why),
    }
}

/// Up (older) and Down (newer) through the queries entered before.
fn recall(app: &mut App, older: bool) {
    let Some(line) = app.line.as_mut() else { return };
    let last = app.history.len().checked_sub(1);
    let next = match (line.recall, older) {
        (None, true) => last,
        (Some(i), true) => Some(i.saturating_sub(1)),
        (None, false) => None,
        (Some(i), false) => Some(i + 1).filter(|&n| n < app.history.len()),
    };
    let text = next.and_then(|i| app.history.get(i)).cloned().unwrap_or_default();
    line.recall = next;
    line.set_text(&text);
    line.error = None;
    on_line_text(app, LineTarget::List, &text);
}

/// The lines of the pane on screen, when it is a text pane.
fn pane_lines(app: &App) -> Option<&[ratatui::text::Line<'static>]> {
    if app.pane == Pane::Sites {
        return None;
    }
    let detail = app.detail.as_ref()?;
    detail.documents.get(app.pane.index())?.as_ref().map(|d| d.lines.as_slice())
}

fn pane_scroll(app: &App) -> usize {
    app.detail.as_ref().and_then(|d| d.scroll.get(app.pane.index()).copied()).unwrap_or(0)
}

/// `n` (+1) and `N` (-1): the next or previous match, round the end.
fn move_find(app: &mut App, by: isize) {
    let Some(find) = app.find.as_mut() else {
        app.message = Some("Nothing to find: / first".into());
        return;
    };
    let count = find.matches.len();
    if count == 0 {
        return;
    }
    find.current = if by < 0 { (find.current + count - 1) % count } else { (find.current + 1) % count };
    show_match(app);
}

/// Scrolls the pane so the current match is on screen, a third down from the top when it has
/// to move, so the lines before it give context.
fn show_match(app: &mut App) {
    let body = detail_body(app);
    let line_height = app.line.as_ref().map_or(0, |l| l.height(body.width));
    let height = usize::from(body.height.saturating_sub(line_height)).max(1);
    let pane = app.pane;
    let Some(target) = app.find.as_ref().and_then(|f| f.matches.get(f.current)).map(|m| m.line) else {
        return;
    };
    let Some(scroll) = app.detail.as_mut().and_then(|d| d.scroll.get_mut(pane.index())) else { return };
    if target < *scroll || target >= *scroll + height {
        *scroll = target.saturating_sub(height / 3);
    }
}

/// Finds again after the pane was rebuilt (another width, pane or study).
fn refresh_find(app: &mut App) {
    let Some(text) = app.find.as_ref().map(|f| f.text.clone()) else { return };
    let matches = pane_lines(app).map(|lines| search::find_in_lines(lines, &text)).unwrap_or_default();
    if let Some(find) = app.find.as_mut() {
        find.current = find.current.min(matches.len().saturating_sub(1));
        find.matches = matches;
    }
}

/// The marked chars of the list rows on screen.
fn mark_rows(app: &mut App) {
    if app.filter.text.is_empty() {
        app.list_marks.clear();
        return;
    }
    let rows = Areas::compute(app).list.map_or(0, |r| usize::from(list_rows(app, r).height));
    let on_screen = app.visible.iter().skip(app.list_offset).take(rows).filter_map(|&i| app.studies.get(i));
    app.list_marks = search::row_marks(on_screen, &app.filter);
}

/// An index that failed while searching (a panic inside tantivy, caught; every byte it reads was
/// verified when the catalog was loaded) is asked no more: said once, its cache entry removed so
/// that the next start rebuilds it, and words are looked for in the summaries meanwhile.
fn drop_failed_index(app: &mut App) {
    let Some(failure) = app.index.as_ref().and_then(|index| index.failure()).map(str::to_string) else {
        return;
    };
    if let Some(index) = app.index.take() {
        crate::catalog::cache::forget(&index);
    }
    let text = format!(
        "{failure}: words are looked for in titles, conditions and sponsors only until nct is started again"
    );
    app.message = Some(match app.message.take() {
        Some(before) => format!("{before}; {text}"),
        None => text,
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
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

    #[test]
    fn a_query_with_words_uses_the_index_once_loading_built_it() {
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let query = "\"severity index\" status:unknown";
        let rows = |catalog: Catalog| {
            let mut app = App::new("assets".into(), Size::new(120, 40), Theme::plain());
            update(&mut app, Action::Finished(Box::new(catalog)));
            refilter(&mut app, query, false, false).unwrap();
            app.visible.iter().map(|&i| app.studies[i].id.to_string()).collect::<Vec<_>>()
        };
        // The phrase is only in the seed study's criteria, which the summaries do not hold.
        let indexed =
            rows(Catalog::load_indexed(std::slice::from_ref(&assets), &crate::catalog::Progress::default()));
        assert_eq!(indexed, vec!["NCT02491658".to_string()]);
        assert!(rows(Catalog::load(&[assets])).is_empty(), "without the index only summaries answer");
    }

    fn press(app: &mut App, commands: &[Command]) {
        for &c in commands {
            update(app, Action::Key(c));
        }
    }

    fn key(app: &mut App, key: Key) {
        update(app, Action::Edit(Input { key, ..Input::default() }));
    }

    fn type_text(app: &mut App, text: &str) {
        for c in text.chars() {
            key(app, Key::Char(c));
        }
    }

    fn line_text(app: &App) -> String {
        app.line.as_ref().unwrap().text()
    }

    fn selected_id(app: &App) -> String {
        app.selected_summary().unwrap().id.to_string()
    }

    fn screen(app: &App) -> String {
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(app.size.width, app.size.height))
                .unwrap();
        terminal.draw(|frame| crate::tui::view::view(app, frame)).unwrap();
        terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect()
    }

    /// Bookmarks two loaded studies (by id) and one the inputs lack, in memory.
    fn with_bookmarks(app: &mut App, ids: &[&str]) {
        for id in ids {
            app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == *id).unwrap();
            press(app, &[Command::ToggleBookmark]);
        }
        app.bookmarks.toggle("NCT09999999", "A study from another download", "2026-11-20").unwrap();
        app.selected = 0;
        update(app, Action::Tick);
    }

    #[test]
    fn the_bookmarks_view_lists_present_studies_then_absent_ones_and_esc_returns() {
        let mut app = assets_app(120, 40);
        with_bookmarks(&mut app, &["NCT05183427", "NCT01447732"]);
        app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == "NCT04120381").unwrap();
        press(&mut app, &[Command::ShowBookmarks]);
        assert_eq!(app.view, ListView::Bookmarks);
        let ids: Vec<&str> = app.visible.iter().map(|&i| &*app.studies[i].id).collect();
        assert_eq!(ids, ["NCT01447732", "NCT05183427"], "present ones in the list's order");
        assert_eq!(app.absent.len(), 1);
        assert_eq!(app.row_count(), 3);
        assert!(screen(&app).contains(" Bookmarks 1/3 (1 not loaded) "), "{}", screen(&app));
        press(&mut app, &[Command::Bottom]);
        assert_eq!(app.selected_id(), Some("NCT09999999"));
        assert!(app.detail.is_none(), "nothing to read");
        let shown = screen(&app);
        assert!(shown.contains("NCT09999999 is not in the loaded inputs."), "{shown}");
        assert!(shown.contains("Saved title: A study from another download"), "{shown}");
        assert!(shown.contains("Bookmarked:  2026-11-20"), "{shown}");
        // Opening it, copying its id, paging: nothing breaks.
        press(&mut app, &[Command::Open, Command::Pane3, Command::PageDown, Command::Back, Command::CopyId]);
        assert_eq!(app.clipboard.take().as_deref(), Some("NCT09999999"));
        press(&mut app, &[Command::Up]);
        assert_eq!(selected_id(&app), "NCT05183427");
        press(&mut app, &[Command::ClearSearch]);
        assert_eq!((app.view, app.row_count()), (ListView::All, app.studies.len()));
        assert_eq!(selected_id(&app), "NCT05183427", "the selection stays on its study");
        assert!(app.absent.is_empty());
        press(&mut app, &[Command::ShowBookmarks, Command::ShowBookmarks]);
        assert_eq!(app.view, ListView::All, "the same key returns to every study");
    }

    #[test]
    fn the_view_fills_as_studies_arrive_and_keeps_its_selection_when_loading_ends() {
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let catalog = Catalog::load(&[assets]);
        let mut app = App::new("assets".into(), Size::new(120, 40), Theme::plain());
        app.bookmarks.toggle("NCT09999999", "Gone", "2026-11-20").unwrap();
        app.bookmarks.toggle("NCT05183427", "Torvasiran", "2026-11-20").unwrap();
        press(&mut app, &[Command::ShowBookmarks, Command::Down]);
        assert_eq!(
            (app.row_count(), app.selected_id()),
            (2, Some("NCT09999999")),
            "nothing loaded: both absent"
        );
        let batch = catalog.studies.clone();
        let progress = crate::tui::app::Loading { studies: 27, ..Default::default() };
        update(&mut app, Action::Loaded { restart: false, batch, progress });
        assert_eq!(app.visible.len(), 1, "the bookmarked study arrived");
        assert_eq!(app.selected_id(), Some("NCT09999999"), "the selection stays on its row");
        update(&mut app, Action::Finished(Box::new(catalog)));
        assert_eq!((app.view, app.row_count()), (ListView::Bookmarks, 2));
        assert_eq!(app.selected_id(), Some("NCT09999999"));
    }

    #[test]
    fn a_bookmark_removed_in_the_view_leaves_it_and_absent_ones_can_be_removed() {
        let mut app = assets_app(120, 40);
        with_bookmarks(&mut app, &["NCT05183427"]);
        press(&mut app, &[Command::ShowBookmarks, Command::ToggleBookmark]);
        assert_eq!(app.visible.len(), 0);
        assert_eq!(app.selected_id(), Some("NCT09999999"));
        press(&mut app, &[Command::ToggleBookmark]);
        assert_eq!(app.row_count(), 0);
        assert!(app.bookmarks.is_empty());
        assert!(screen(&app).contains("No bookmarks yet: b bookmarks the"), "{}", screen(&app));
    }

    #[test]
    fn export_in_the_bookmarks_view_writes_what_is_shown() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = assets_app(120, 40);
        with_bookmarks(&mut app, &["NCT05183427", "NCT01447732"]);
        press(&mut app, &[Command::ShowBookmarks, Command::Export]);
        let path = dir.path().join("starred.md");
        app.line.as_mut().unwrap().set_text(&path.display().to_string());
        press(&mut app, &[Command::Submit]);
        let message = app.message.clone().unwrap();
        assert!(message.starts_with("Exported 2 studies to "), "{message}");
        assert!(message.ends_with("; 1 not in the loaded inputs left out"), "{message}");
        let written = std::fs::read_to_string(path).unwrap();
        assert!(written.contains("NCT05183427") && written.contains("NCT01447732"), "{written}");
        assert!(!written.contains("NCT04120381") && !written.contains("NCT09999999"));
    }

    #[test]
    fn the_recent_view_lists_opened_studies_newest_first() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::ShowRecent]);
        assert_eq!(app.row_count(), 0);
        assert!(screen(&app).contains("No study opened yet"));
        press(&mut app, &[Command::ShowRecent]);
        for id in ["NCT05183427", "NCT01447732", "NCT04120381", "NCT05183427"] {
            app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == id).unwrap();
            press(&mut app, &[Command::Open, Command::Back]);
        }
        app.viewed.push(("NCT09999998".into(), None));
        press(&mut app, &[Command::ShowRecent]);
        let ids: Vec<&str> = app.visible.iter().map(|&i| &*app.studies[i].id).collect();
        assert_eq!(ids, ["NCT05183427", "NCT04120381", "NCT01447732"]);
        assert_eq!(app.absent.first().map(|a| &*a.id), Some("NCT09999998"));
        assert!(screen(&app).contains(" Recently viewed 1/4 (1 not loaded) "));
        // A search is over every study: it leaves the view.
        press(&mut app, &[Command::Search]);
        assert_eq!(app.view, ListView::All);
        assert!(app.line.is_some());
    }

    #[test]
    fn typing_a_filter_narrows_the_list_and_clicks_follow_it() {
        let mut app = assets_app(120, 40);
        let all = app.studies.len();
        press(&mut app, &[Command::Down, Command::Down, Command::Search]);
        assert!(app.line.is_some());
        type_text(&mut app, "cancer");
        assert!(app.visible.len() >= 3 && app.visible.len() < all, "{:?}", app.visible);
        // Never scattered letters: every study listed holds the word (no index here: in its
        // titles, conditions or sponsor).
        for &i in &app.visible {
            let s = &app.studies[i];
            let text = format!(
                "{} {:?} {:?} {:?} {:?}",
                s.brief_title, s.official_title, s.conditions, s.acronym, s.sponsor
            );
            assert!(text.to_lowercase().contains("cancer"), "{text}");
        }
        assert_eq!(app.selected, 0, "the best match is selected");
        assert_eq!(app.detail.as_ref().unwrap().id, app.studies[app.visible[0]].id);
        assert!(app.list_marks.iter().any(|marks| marks.len() >= 6), "the word is marked");
        key(&mut app, Key::Enter);
        assert!(app.line.is_none());
        assert_eq!(app.focus, Focus::List);
        assert_eq!(app.filter.text, "cancer", "Enter keeps the filter");
        let list = list_rows(&app, Areas::compute(&app).list.unwrap());
        update(&mut app, Action::Click { column: list.x + 2, row: list.y + 1 });
        assert_eq!(app.selected, 1);
        assert_eq!(app.detail.as_ref().unwrap().id, app.studies[app.visible[1]].id);
        let chosen = selected_id(&app);
        let below = u16::try_from(app.visible.len()).unwrap();
        assert!(below < list.height, "{} rows", app.visible.len());
        update(&mut app, Action::Click { column: list.x + 2, row: list.y + below });
        assert_eq!(selected_id(&app), chosen, "a click below the filtered rows selects nothing");
        press(&mut app, &[Command::Bottom]);
        assert_eq!(app.selected, app.visible.len() - 1);
        press(&mut app, &[Command::Back]);
        assert_eq!(app.visible.len(), all, "Esc in the list clears the filter");
        assert_eq!(selected_id(&app), app.studies[app.visible[app.selected]].id.to_string());
    }

    /// An app over `n` studies made from the bundled ones (ids NCT9…), more than one slice of
    /// fuzzy matching.
    fn large_app(n: usize) -> App {
        let mut app = assets_app(120, 40);
        let base = app.studies.clone();
        app.studies = (0..n)
            .map(|i| {
                let mut summary = base[i % base.len()].clone();
                summary.id = format!("NCT9{i:07}").into();
                summary
            })
            .collect();
        refilter(&mut app, "", false, false).unwrap();
        app
    }

    /// The picker's matches, to the end, best first.
    fn picked(app: &App) -> Vec<usize> {
        app.picker.as_ref().unwrap().matching.rows()
    }

    #[test]
    fn the_go_to_picker_matches_a_large_list_a_slice_per_frame_and_goes_to_the_study() {
        let n = 2 * search::FUZZY_SLICE + 100;
        let mut app = large_app(n);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "cancer");
        key(&mut app, Key::Enter);
        let filtered = app.visible.clone();
        press(&mut app, &[Command::GoTo]);
        type_text(&mut app, "nct9001");
        assert!(app.matching_underway(), "one keystroke scores one slice, not {n} studies");
        let partial = picked(&app).len();
        assert!(partial > 0 && partial <= search::FUZZY_SLICE, "{partial}");
        let mut frames = 0;
        while app.matching_underway() {
            update(&mut app, Action::Tick);
            frames += 1;
        }
        assert_eq!(frames, 2);
        assert!(picked(&app).len() > partial);
        assert_eq!(app.visible, filtered, "the picker leaves the list's search alone");
        // The best match is the id typed; Down chooses the next; Enter goes there.
        let best = picked(&app)[0];
        assert!(app.studies[best].id.starts_with("NCT9001"), "{}", app.studies[best].id);
        key(&mut app, Key::Down);
        let second = app.studies[picked(&app)[1]].id.to_string();
        key(&mut app, Key::Enter);
        assert!(app.picker.is_none());
        assert_eq!(selected_id(&app), second);
        // Esc closes it without going anywhere.
        press(&mut app, &[Command::GoTo]);
        type_text(&mut app, "nct9002");
        key(&mut app, Key::Esc);
        assert!(app.picker.is_none());
        assert_eq!(selected_id(&app), second);
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
        update(&mut app, Action::Loaded { restart: false, batch: more, progress });
        let (whole, _) = search::filter_rows(&app.studies, None, "cancer status:open", true).unwrap();
        assert!(whole.len() > before);
        assert_eq!(app.visible, whole);
    }

    #[test]
    fn studies_arriving_while_the_picker_is_open_are_matched_too() {
        let mut app = large_app(3);
        app.loading = Some(crate::tui::app::Loading::default());
        press(&mut app, &[Command::GoTo]);
        type_text(&mut app, "nct9");
        assert_eq!(picked(&app).len(), 3);
        let more = large_app(10).studies.split_off(3);
        let progress = crate::tui::app::Loading { studies: 10, expected: 10, ..Default::default() };
        update(&mut app, Action::Loaded { restart: false, batch: more, progress });
        while app.matching_underway() {
            update(&mut app, Action::Tick);
        }
        assert_eq!(picked(&app).len(), 10);
    }

    #[test]
    fn b_bookmarks_and_bookmarked_filters() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Down, Command::ToggleBookmark]);
        let starred = selected_id(&app);
        app.bookmarks.toggle("NCT99999999", "A study not loaded", "2026-11-25").unwrap();
        assert!(app.message.as_deref().unwrap().contains("bookmarked"), "{:?}", app.message);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "bookmarked:yes");
        key(&mut app, Key::Enter);
        assert_eq!(app.visible.len(), 1);
        assert_eq!(selected_id(&app), starred);
        assert_eq!(
            app.message.as_deref(),
            Some("1 bookmark is not among the loaded studies: NCT99999999 (A study not loaded)")
        );
        // Unstarred from the filtered list: it leaves the list at once.
        press(&mut app, &[Command::ToggleBookmark]);
        assert!(app.visible.is_empty());
        assert!(app.message.as_deref().unwrap().contains("removed"));
    }

    #[test]
    fn a_note_is_written_saved_and_shown_and_changes_are_not_lost_silently() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = assets_app(120, 40);
        app.notes = Some(crate::user::notes::Notes::new(dir.path()));
        let id = selected_id(&app);
        press(&mut app, &[Command::EditNote]);
        assert!(app.note.is_some());
        type_text(&mut app, "PI says cohort 2 full");
        // Esc with changes asks; another key goes on editing, the text kept.
        press(&mut app, &[Command::Back]);
        assert!(app.note.as_ref().unwrap().confirm_discard);
        key(&mut app, Key::Char('n'));
        assert_eq!(app.note.as_ref().unwrap().text(), "PI says cohort 2 full");
        key(&mut app, Key::Enter);
        type_text(&mut app, "ask about biologics");
        press(&mut app, &[Command::Submit]);
        assert!(app.note.is_none());
        assert_eq!(app.message.as_deref(), Some(format!("Note on {id} saved").as_str()));
        let saved = std::fs::read_to_string(dir.path().join(format!("{id}.md"))).unwrap();
        assert_eq!(saved, "PI says cohort 2 full\nask about biologics\n");
        let overview: Vec<String> = app.detail.as_ref().unwrap().documents[0]
            .as_ref()
            .unwrap()
            .lines
            .iter()
            .take(3)
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(overview, ["Your note", "PI says cohort 2 full", "ask about biologics"]);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "note:cohort");
        key(&mut app, Key::Enter);
        assert_eq!(app.visible.len(), 1, "note: finds the note just saved");
        assert_eq!(selected_id(&app), id);

        // Reopened: the saved text; Esc without changes just closes; with changes, y discards.
        press(&mut app, &[Command::EditNote]);
        assert_eq!(app.note.as_ref().unwrap().text(), "PI says cohort 2 full\nask about biologics");
        press(&mut app, &[Command::Back]);
        assert!(app.note.is_none());
        press(&mut app, &[Command::EditNote]);
        type_text(&mut app, "!!");
        press(&mut app, &[Command::Back]);
        key(&mut app, Key::Char('y'));
        assert!(app.note.is_none());
        assert_eq!(std::fs::read_to_string(dir.path().join(format!("{id}.md"))).unwrap(), saved);
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
    fn x_exports_the_list_as_shown() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "country:japan");
        key(&mut app, Key::Enter);
        assert_eq!(app.visible.len(), 2);
        press(&mut app, &[Command::Export]);
        assert_eq!(app.line.as_ref().unwrap().text(), "nct-export.csv");
        // No format in the name: the line stays open and says which to use.
        let wrong = dir.path().join("list.txt");
        app.line.as_mut().unwrap().set_text(&wrong.display().to_string());
        press(&mut app, &[Command::Submit]);
        assert!(app.line.is_some());
        assert!(app.message.as_deref().unwrap().contains(".csv, .md"), "{:?}", app.message);
        let path = dir.path().join("tokyo.ris");
        app.line.as_mut().unwrap().set_text(&path.display().to_string());
        press(&mut app, &[Command::Submit]);
        assert!(app.line.is_none());
        assert!(app.message.as_deref().unwrap().starts_with("Exported 2 studies to "), "{:?}", app.message);
        assert_eq!(std::fs::read_to_string(path).unwrap().matches("TY  - DBASE").count(), 2);
        assert!(!wrong.exists());
    }

    #[cfg(unix)]
    #[test]
    fn x_asks_before_replacing_a_file_and_never_writes_over_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = assets_app(120, 40);
        let path = dir.path().join("reports.csv");
        std::fs::write(&path, "kept\n").unwrap();
        let export_to = |app: &mut App, name: &str| {
            press(app, &[Command::Export]);
            app.line.as_mut().unwrap().set_text(name);
            press(app, &[Command::Submit]);
        };
        export_to(&mut app, &path.display().to_string());
        assert!(
            screen(&app).contains(&format!("{} exists: replace it? y/n", path.display())),
            "{}",
            screen(&app)
        );
        key(&mut app, Key::Char('q'));
        assert!(app.replace.is_some() && !app.quit, "only y or n answers");
        key(&mut app, Key::Char('n'));
        assert!(app.line.is_none() && app.replace.is_none());
        assert_eq!(
            app.message.as_deref(),
            Some(&*format!("Not exported: {} left as it was", path.display()))
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept\n");
        export_to(&mut app, &path.display().to_string());
        press(&mut app, &[Command::Back]);
        assert!(app.line.is_none() && app.message.as_deref().unwrap().starts_with("Not exported"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept\n");
        export_to(&mut app, &path.display().to_string());
        key(&mut app, Key::Char('y'));
        let exported = format!("Exported {} studies to {}", app.visible.len(), path.display());
        assert_eq!(app.message.as_deref(), Some(&*exported));
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("NCT Number,"));

        // A study's own file, however it is named: refused, and said above the line kept open.
        let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets").join("NCT05183427.json");
        let before = std::fs::read(&input).unwrap();
        let link = dir.path().join("linked.json");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        for name in [input.display().to_string(), link.display().to_string()] {
            export_to(&mut app, &name);
            let said =
                format!("{name} is one of the loaded inputs; nct will not write over it. Name another file.");
            assert_eq!(app.message.as_deref(), Some(&*said));
            assert!(app.line.is_some() && app.replace.is_none());
            assert!(screen(&app).contains(&said), "{}", screen(&app));
            press(&mut app, &[Command::Back]);
        }
        assert_eq!(std::fs::read(&input).unwrap(), before);
    }

    #[test]
    fn typing_shows_the_query_with_its_last_word_begun_and_enter_reads_it_whole() {
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let catalog =
            Catalog::load_indexed(std::slice::from_ref(&assets), &crate::catalog::Progress::default());
        let whole = |text: &str| catalog.search(&query::parse(text).unwrap());
        let mut app = App::new("assets".into(), Size::new(120, 40), Theme::plain());
        update(&mut app, Action::Finished(Box::new(Catalog::load_indexed(&[assets], &Default::default()))));
        for typed in
            ["diabet", "vaccines covid", "psoria -plaque", "heart OR lung", "covid-1", "cancer phase:2"]
        {
            press(&mut app, &[Command::Search]);
            for (i, c) in typed.char_indices() {
                key(&mut app, Key::Char(c));
                let so_far = &typed[..i + c.len_utf8()];
                if let Ok((rows, _)) = search::filter_rows(&app.studies, app.index.as_ref(), so_far, true) {
                    assert_eq!(app.visible, rows, "after typing {so_far:?}");
                    // The word begun finds at least what the word whole finds.
                    let entered = whole(so_far);
                    assert!(entered.iter().all(|row| rows.contains(row)), "{so_far:?}");
                }
            }
            key(&mut app, Key::Enter);
            assert_eq!(app.visible, whole(typed), "Enter answers {typed:?} as nct search does");
            press(&mut app, &[Command::Back]);
        }
        // `lympho` begins `lymphoma`: typing finds what only the whole word would.
        assert!(!whole("lymphoma").is_empty());
        assert!(whole("lympho").is_empty());
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "lympho");
        assert!(whole("lymphoma").iter().all(|row| app.visible.contains(row)), "{:?}", app.visible);
    }

    #[test]
    fn an_nct_id_jumps_to_the_study() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "nct05183427");
        assert_eq!(selected_id(&app), "NCT05183427");
        assert_eq!(app.visible.len(), app.studies.len(), "the list is not narrowed to one");
        key(&mut app, Key::Enter);
        assert_eq!(selected_id(&app), "NCT05183427");
        press(&mut app, &[Command::Search]);
        key(&mut app, Key::Esc);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "https://clinicaltrials.gov/study/NCT04120381?tab=results");
        assert_eq!(selected_id(&app), "NCT04120381", "a pasted address jumps too");
    }

    #[test]
    fn a_query_error_keeps_the_line_open_with_its_column() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "cancer bogus:1");
        key(&mut app, Key::Enter);
        let line = app.line.as_ref().expect("the line stays open");
        let error = line.error.as_ref().expect("the error is shown");
        assert_eq!(error.column, 8, "{error:?}");
        key(&mut app, Key::Backspace);
        assert!(app.line.as_ref().unwrap().error.is_none(), "editing clears the error");
        key(&mut app, Key::Esc);
        assert!(app.line.is_none());
        assert_eq!(app.visible.len(), app.studies.len(), "Esc restores every study");
        assert!(app.filter.text.is_empty());
    }

    #[test]
    fn field_filters_use_the_summaries() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "status:recruiting");
        key(&mut app, Key::Enter);
        assert!(!app.visible.is_empty() && app.visible.len() < app.studies.len());
        assert!(
            app.visible
                .iter()
                .all(|&i| app.studies[i].status == Some(crate::study::enums::Status::Recruiting))
        );
    }

    #[test]
    fn up_and_down_recall_earlier_queries() {
        let mut app = assets_app(120, 40);
        for query in ["cancer", "adults"] {
            press(&mut app, &[Command::Search]);
            type_text(&mut app, query);
            key(&mut app, Key::Enter);
            press(&mut app, &[Command::Back]);
        }
        assert_eq!(app.history, ["cancer", "adults"]);
        press(&mut app, &[Command::Search]);
        key(&mut app, Key::Up);
        assert_eq!(line_text(&app), "adults");
        key(&mut app, Key::Up);
        assert_eq!(line_text(&app), "cancer");
        assert!(app.visible.len() < app.studies.len(), "a recalled query filters");
        key(&mut app, Key::Up);
        assert_eq!(line_text(&app), "cancer", "the oldest stays");
        key(&mut app, Key::Down);
        assert_eq!(line_text(&app), "adults");
        key(&mut app, Key::Down);
        assert_eq!(line_text(&app), "");
        assert_eq!(app.visible.len(), app.studies.len());
    }

    #[test]
    fn finding_in_a_pane_scrolls_to_each_match() {
        let mut app = assets_app(80, 24);
        app.selected = app.studies.iter().position(|s| &*s.id == "NCT05183427").unwrap();
        press(&mut app, &[Command::Pane1, Command::Search]);
        assert_eq!(app.line.as_ref().unwrap().target, LineTarget::Pane);
        type_text(&mut app, "HEART");
        let find = app.find.clone().unwrap();
        assert!(find.matches.len() >= 3, "{find:?}");
        assert_eq!(find.current, 0);
        key(&mut app, Key::Enter);
        assert!(app.line.is_none() && app.find.is_some(), "Enter keeps the matches");
        let height = usize::from(detail_body(&app).height);
        let shows = |app: &App| {
            let find = app.find.as_ref().unwrap();
            let line = find.matches[find.current].line;
            let scroll = app.detail.as_ref().unwrap().scroll[0];
            scroll <= line && line < scroll + height
        };
        assert!(shows(&app));
        press(&mut app, &[Command::FindPrev]);
        assert_eq!(app.find.as_ref().unwrap().current, find.matches.len() - 1, "N wraps to the last");
        assert!(app.detail.as_ref().unwrap().scroll[0] > 0, "the pane scrolled down to it");
        assert!(shows(&app));
        press(&mut app, &[Command::FindNext]);
        assert_eq!(app.find.as_ref().unwrap().current, 0, "n wraps to the first");
        assert!(shows(&app));
        press(&mut app, &[Command::FindNext]);
        assert_eq!(app.find.as_ref().unwrap().current, 1);
        assert!(shows(&app));
        press(&mut app, &[Command::Search]);
        key(&mut app, Key::Esc);
        assert!(app.find.is_none() && app.line.is_none(), "Esc closes the line and clears the find");
        assert_eq!(app.focus, Focus::Detail);
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
