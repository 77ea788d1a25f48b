//! An app loaded from the bundled `assets/` and driven as the user drives it (keys, typing,
//! clicks), every effect carried out, for the tests of the app's parts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

pub(crate) use std::path::PathBuf;

pub(crate) use ratatui::layout::Size;
pub(crate) use tui_textarea::{Input, Key};

pub(crate) use crate::catalog::Catalog;
pub(crate) use crate::query;
pub(crate) use crate::tui::action::{Action, Command};
pub(crate) use crate::tui::app::{App, Focus, ListView, Overlay, Pane};
pub(crate) use crate::tui::detail::detail_body;
pub(crate) use crate::tui::layout::{self, Areas};
pub(crate) use crate::tui::list_rows::{list_rows, refilter};
pub(crate) use crate::tui::search::{self, LineTarget};
pub(crate) use crate::tui::step;
pub(crate) use crate::tui::theme::Theme;

pub(crate) fn assets_app(width: u16, height: u16) -> App {
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
    let catalog = Catalog::load(&[assets]);
    let mut app = App::new("assets".into(), Size::new(width, height), Theme::plain());
    step(&mut app, Action::Finished(Box::new(catalog)));
    app
}

pub(crate) fn press(app: &mut App, commands: &[Command]) {
    for &c in commands {
        step(app, Action::Key(c));
    }
}

pub(crate) fn key(app: &mut App, key: Key) {
    step(app, Action::Edit(Input { key, ..Input::default() }));
}

pub(crate) fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, Key::Char(c));
    }
}

pub(crate) fn line_text(app: &App) -> String {
    app.line.as_ref().unwrap().text()
}

pub(crate) fn selected_id(app: &App) -> String {
    app.selected_summary().unwrap().id.to_string()
}

pub(crate) fn screen(app: &App) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| crate::tui::view::view(app, frame)).unwrap();
    terminal.backend().buffer().content().iter().map(|c| c.symbol()).collect()
}

/// Bookmarks two loaded studies (by id) and one the inputs lack, in memory.
pub(crate) fn with_bookmarks(app: &mut App, ids: &[&str]) {
    for id in ids {
        app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == *id).unwrap();
        press(app, &[Command::ToggleBookmark]);
    }
    app.bookmarks.toggle("NCT09999999", "A study from another download", "2026-11-20").unwrap();
    app.selected = 0;
    step(app, Action::Tick);
}

/// An app over `n` studies made from the bundled ones (ids NCT9…), more than one slice of
/// fuzzy matching.
pub(crate) fn large_app(n: usize) -> App {
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
pub(crate) fn picked(app: &App) -> Vec<usize> {
    app.picker.as_ref().unwrap().matching.rows()
}
