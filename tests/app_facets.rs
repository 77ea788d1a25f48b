//! The app's facets panel (`F`) and list order (`o`), through the public API as `app_screens`
//! drives it: keys into `update`, the screen drawn by `view` into a `TestBackend` and compared
//! with `insta` (`tests/snapshots/`), and what a drill-down does to the query and the list.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use nct::catalog::order::SortOrder;
use nct::catalog::{Catalog, Summary};
use nct::study::enums::Status;
use nct::tui::action::{Action, Command};
use nct::tui::app::App;
use nct::tui::step;
use nct::tui::theme::Theme;
use nct::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;

fn assets_app(width: u16, height: u16) -> App {
    let catalog = Catalog::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")]);
    let mut app = App::new("assets".into(), Size::new(width, height), Theme::plain());
    step(&mut app, Action::Finished(Box::new(catalog)));
    app
}

fn press(app: &mut App, commands: &[Command]) {
    for &command in commands {
        step(app, Action::Key(command));
    }
}

/// The screen as text, trailing blanks trimmed, the cell a wide character covers left out.
fn render(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| view(app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let mut text = String::new();
    for row in buffer.content.chunks(width) {
        let mut line = String::new();
        let mut covered = 0usize;
        for cell in row {
            if covered == 0 {
                line.push_str(cell.symbol());
            }
            covered = covered.max(unicode_width::UnicodeWidthStr::width(cell.symbol())).saturating_sub(1);
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

fn listed(app: &App) -> Vec<&Summary> {
    app.visible.iter().map(|&i| &app.studies[i]).collect()
}

#[test]
fn f_opens_the_counts_and_enter_adds_then_removes_a_filter() {
    let mut app = assets_app(120, 40);
    let all = app.visible.len();
    let completed = app.studies.iter().filter(|s| s.status == Some(Status::Completed)).count();
    assert!(completed > 1 && completed < all);
    press(&mut app, &[Command::ToggleFacets]);
    insta::assert_snapshot!("facets_120x40", render(&app));

    // The cursor starts on the most frequent status: Completed.
    press(&mut app, &[Command::Open]);
    assert_eq!(app.filter.text, "status:completed");
    assert_eq!(app.visible.len(), completed);
    assert!(listed(&app).iter().all(|s| s.status == Some(Status::Completed)));
    assert_eq!(app.facets.as_ref().unwrap().total, completed, "the panel counts the new result set");
    insta::assert_snapshot!("facets_120x40_completed", render(&app));

    // Tab to the next facet (phase), a value added to the query there too.
    press(&mut app, &[Command::NextPane, Command::Open]);
    assert!(app.filter.text.starts_with("status:completed phase:"), "{}", app.filter.text);
    let narrowed = app.visible.len();
    assert!(narrowed <= completed);
    // Enter again on the same value takes it out.
    press(&mut app, &[Command::Open]);
    assert_eq!(app.filter.text, "status:completed");
    assert_eq!(app.visible.len(), completed);
    press(&mut app, &[Command::PrevPane, Command::Open]);
    assert_eq!(app.filter.text, "");
    assert_eq!(app.visible.len(), all);

    // Funder type, four facets on: a value with its own filter.
    press(
        &mut app,
        &[Command::NextPane, Command::NextPane, Command::NextPane, Command::NextPane, Command::Open],
    );
    assert!(app.filter.text.starts_with("funder:"), "{}", app.filter.text);
    let funder = app.filter.text.trim_start_matches("funder:").to_string();
    assert!(!app.visible.is_empty());
    assert!(
        listed(&app)
            .iter()
            .all(|s| s.funder.as_ref().is_some_and(|f| f.as_str().eq_ignore_ascii_case(&funder))),
        "{funder}"
    );
    press(&mut app, &[Command::Open]);
    assert_eq!(app.visible.len(), all);

    // Esc closes the panel; F opens it again, F closes it too.
    press(&mut app, &[Command::Back]);
    assert!(app.facets.is_none());
    press(&mut app, &[Command::ToggleFacets, Command::ToggleFacets]);
    assert!(app.facets.is_none());
}

#[test]
fn the_facets_panel_fits_a_small_screen() {
    let mut app = assets_app(80, 24);
    press(&mut app, &[Command::ToggleFacets, Command::Bottom]);
    insta::assert_snapshot!("facets_80x24_start_years", render(&app));
}

#[test]
fn o_cycles_the_list_orders_shown_in_its_title() {
    let mut app = assets_app(120, 40);
    let catalog_order: Vec<Box<str>> = listed(&app).iter().map(|s| s.id.clone()).collect();
    let mut seen = Vec::new();
    for _ in 0..SortOrder::ALL.len() {
        press(&mut app, &[Command::CycleSort]);
        seen.push(app.sort);
        let mut expected: Vec<usize> = (0..app.studies.len()).collect();
        app.sort.sort(&app.studies, &mut expected);
        if app.sort == SortOrder::Relevance {
            let ids: Vec<Box<str>> = listed(&app).iter().map(|s| s.id.clone()).collect();
            assert_eq!(ids, catalog_order, "relevance with no words is the catalog's order");
        } else {
            assert_eq!(app.visible, expected, "{:?}", app.sort);
        }
        let screen = render(&app);
        let title = screen.lines().nth(1).unwrap();
        assert_eq!(title.contains(app.sort.describe()), app.sort != SortOrder::Relevance, "{title}");
    }
    assert_eq!(
        seen,
        [
            SortOrder::Updated,
            SortOrder::Start,
            SortOrder::Completion,
            SortOrder::Enrollment,
            SortOrder::Id,
            SortOrder::Relevance
        ]
    );
    // Newest start first, and a query keeps the order.
    press(&mut app, &[Command::CycleSort, Command::CycleSort]);
    assert_eq!(app.sort, SortOrder::Start);
    let starts: Vec<_> = listed(&app).iter().map(|s| s.start).collect();
    let known: Vec<_> = starts.iter().flatten().collect();
    assert!(known.windows(2).all(|w| w[0] >= w[1]), "{starts:?}");
    assert!(starts.iter().skip_while(|s| s.is_some()).all(Option::is_none), "missing last: {starts:?}");
    insta::assert_snapshot!("list_sorted_by_start_120x40", render(&app));
}
