//! Snapshots of the app's screens: the state built through the public API (load the bundled
//! studies, `update` with the keys a user would press), drawn by `view` into a ratatui
//! `TestBackend`, and the buffer compared as text with `insta` (`tests/snapshots/`).
//!
//! The studies are the hard cases of `assets/`: 1,148 sites, nested criteria, criteria without
//! headings and missing modules, Chinese and Japanese text, a withdrawn study. Each pane is
//! drawn at 80x24 (the study takes the screen) or 120x40 (list and study side by side), or both.
//! Drawn without colour (`Theme::plain`), so the text is all there is to compare.
//!
//! After a deliberate change of a screen, review and accept the new snapshots with
//! `INSTA_UPDATE=always cargo test --test app_screens` (or `cargo insta review`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nct::catalog::{Catalog, Progress};
use nct::tui::action::{Action, Command};
use nct::tui::app::{App, Pane};
use nct::tui::step;
use nct::tui::theme::Theme;
use nct::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;
use ratatui::style::Modifier;
use tui_textarea::{Input, Key};

fn assets() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")
}

/// The app after loading `catalog`, on a `width` x `height` terminal.
fn app_with(label: &str, catalog: Catalog, width: u16, height: u16) -> App {
    let mut app = App::new(label.into(), Size::new(width, height), Theme::plain());
    step(&mut app, Action::Finished(Box::new(catalog)));
    app
}

fn assets_app(width: u16, height: u16) -> App {
    app_with("assets", Catalog::load(&[assets()]), width, height)
}

fn press(app: &mut App, commands: &[Command]) {
    for &command in commands {
        step(app, Action::Key(command));
    }
}

/// Selects the study `id`, as a click or a jump would.
fn select(app: &mut App, id: &str) {
    app.selected = app.studies.iter().position(|s| &*s.id == id).unwrap_or_else(|| panic!("{id} not loaded"));
    step(app, Action::Tick);
}

/// The key that shows a pane.
fn pane_key(pane: Pane) -> Command {
    match pane {
        Pane::Overview => Command::Pane1,
        Pane::Criteria => Command::Pane2,
        Pane::Outcomes => Command::Pane3,
        Pane::Sites => Command::Pane4,
        Pane::Record => Command::Pane5,
    }
}

/// The screen as text: one line per row, trailing blanks trimmed, the cell a wide character
/// covers left out (so a row of Chinese is as long on the page as it is on the screen).
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

/// Snapshots `id` in each of `panes` at each size, named `pane_WxH_id`.
fn snapshot_study(id: &str, panes: &[(Pane, u16, u16)]) {
    for &(pane, width, height) in panes {
        let mut app = assets_app(width, height);
        select(&mut app, id);
        press(&mut app, &[pane_key(pane)]);
        assert_eq!(app.pane, pane);
        let name = format!("{}_{width}x{height}_{id}", pane.title().to_lowercase());
        insta::assert_snapshot!(name, render(&app));
    }
}

const NARROW: (u16, u16) = (80, 24);
const WIDE: (u16, u16) = (120, 40);

fn at(pane: Pane, (width, height): (u16, u16)) -> (Pane, u16, u16) {
    (pane, width, height)
}

/// Phase 3, 1,148 sites in 23 countries.
#[test]
fn many_sites() {
    snapshot_study(
        "NCT05183427",
        &[
            at(Pane::Overview, WIDE),
            at(Pane::Criteria, NARROW),
            at(Pane::Outcomes, WIDE),
            at(Pane::Sites, NARROW),
            at(Pane::Sites, WIDE),
        ],
    );
}

/// The Record pane: every field as a tree, sections open and modules folded.
#[test]
fn record_pane() {
    snapshot_study("NCT04577316", &[at(Pane::Record, NARROW), at(Pane::Record, WIDE)]);
}

/// The Record pane with a module unfolded (Enter on it) and the cursor in it.
#[test]
fn record_pane_unfolded() {
    let mut app = assets_app(120, 40);
    select(&mut app, "NCT04577316");
    press(&mut app, &[Command::Open, Command::Pane5, Command::Down, Command::Down]);
    press(&mut app, &[Command::ToggleFold, Command::Down, Command::Down]);
    insta::assert_snapshot!("record_unfolded_120x40_NCT04577316", render(&app));
}

/// Numbered criteria with nested bullets.
#[test]
fn nested_criteria() {
    snapshot_study(
        "NCT04577316",
        &[
            at(Pane::Overview, NARROW),
            at(Pane::Criteria, NARROW),
            at(Pane::Criteria, WIDE),
            at(Pane::Outcomes, NARROW),
            at(Pane::Sites, WIDE),
        ],
    );
}

/// No description, sites or outcomes modules; criteria without headings.
#[test]
fn missing_modules() {
    snapshot_study(
        "NCT03505528",
        &[
            at(Pane::Overview, WIDE),
            at(Pane::Criteria, NARROW),
            at(Pane::Outcomes, WIDE),
            at(Pane::Sites, NARROW),
        ],
    );
}

/// Chinese title, Chinese and Japanese sites: wide characters.
#[test]
fn wide_characters() {
    snapshot_study(
        "NCT02210479",
        &[
            at(Pane::Overview, NARROW),
            at(Pane::Overview, WIDE),
            at(Pane::Criteria, WIDE),
            at(Pane::Outcomes, NARROW),
            at(Pane::Sites, WIDE),
        ],
    );
}

/// Withdrawn before enrolling anyone, with why it stopped.
#[test]
fn withdrawn() {
    snapshot_study(
        "NCT04120381",
        &[
            at(Pane::Overview, NARROW),
            at(Pane::Overview, WIDE),
            at(Pane::Criteria, NARROW),
            at(Pane::Outcomes, WIDE),
            at(Pane::Sites, NARROW),
        ],
    );
}

/// At 80 columns the list has the screen until a study is opened.
#[test]
fn narrow_list() {
    let app = assets_app(80, 24);
    insta::assert_snapshot!("list_80x24", render(&app));
}

#[test]
fn criteria_as_registered() {
    let mut app = assets_app(120, 40);
    select(&mut app, "NCT04577316");
    press(&mut app, &[Command::Pane2, Command::Open, Command::ToggleRaw]);
    assert!(app.raw_criteria);
    insta::assert_snapshot!("criteria_raw_120x40_NCT04577316", render(&app));
}

#[test]
fn help() {
    let mut app = assets_app(120, 40);
    press(&mut app, &[Command::ToggleHelp]);
    insta::assert_snapshot!("help_120x40", render(&app));

    let mut small = assets_app(80, 24);
    press(&mut small, &[Command::ToggleHelp]);
    insta::assert_snapshot!("help_80x24", render(&small));
    // Scrolled to the end on a short screen, the last lines show.
    press(&mut small, &[Command::Bottom]);
    insta::assert_snapshot!("help_80x24_bottom", render(&small));
}

#[test]
fn too_small() {
    let app = assets_app(50, 12);
    insta::assert_snapshot!("too_small_50x12", render(&app));
}

/// Two broken files in a temporary directory, loaded after `inputs`; the directory's name
/// (which changes from run to run) is shown as `broken/`.
fn with_broken_files(inputs: &[PathBuf]) -> Catalog {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("NCT09999991.json"), r#"{"protocolSection": {"identificationModule": {"#)
        .unwrap();
    std::fs::write(dir.path().join("NCT09999992.json"), b"\x00\x01\x02 not a study").unwrap();
    let mut paths = inputs.to_vec();
    paths.push(dir.path().to_path_buf());
    let mut catalog = Catalog::load(&paths);
    assert_eq!(catalog.errors.len(), 2, "{:?}", catalog.errors);
    for error in &mut catalog.errors {
        let inside = error.origin.path.strip_prefix(dir.path()).unwrap();
        error.origin.path = Arc::from(Path::new("broken").join(inside));
        assert!(!error.reason.contains(&*dir.path().to_string_lossy()), "{}", error.reason);
    }
    catalog.errors.sort_by_key(|e| e.origin.to_string());
    catalog
}

/// The status bar counts the failures, `e` lists them.
#[test]
fn load_errors() {
    let mut app = app_with("2 inputs", with_broken_files(&[assets()]), 120, 40);
    insta::assert_snapshot!("load_errors_120x40", render(&app));
    press(&mut app, &[Command::ToggleErrors]);
    insta::assert_snapshot!("load_errors_list_120x40", render(&app));
}

/// The status bar at 80 and 60 columns with load errors, then with a long message: what the
/// right side says is shown whole, and the hints left of it are whole hints, a column apart
/// from it, however few fit.
#[test]
fn status_bar_hints_give_way_whole() {
    let whole = [
        "j/k move",
        "Enter open",
        "Esc back",
        "1-5 panes",
        "/ search",
        "e errors",
        "Enter fold",
        "h/l columns",
    ];
    let message = "Saved 1,234 studies to ~/trials/influenza-3.json";
    for width in [80u16, 60] {
        let mut app = app_with("2 inputs", with_broken_files(&[assets()]), width, 24);
        for with_message in [false, true] {
            if with_message {
                app.message = Some(message.into());
            }
            let screen = render(&app);
            let bar = screen.lines().last().unwrap();
            let said = if with_message { message } else { "2 failed to load (e)" };
            assert!(bar.contains(said), "{width}: {said:?} is not whole in {bar:?}");
            let right = [" 1/27 ", said].into_iter().filter_map(|s| bar.find(s)).min().unwrap();
            let hints = &bar[..right];
            if !hints.is_empty() {
                assert!(hints.ends_with(' '), "{width}: hints run into what is said: {bar:?}");
            }
            for hint in hints.split("  ").map(str::trim).filter(|h| !h.is_empty()) {
                assert!(whole.contains(&hint), "{width}: {hint:?} is cut in {bar:?}");
            }
            if !with_message {
                let first = if width == 80 { "j/k move  Enter open  1-5 panes" } else { "j/k move" };
                assert!(hints.starts_with(first), "{width}: {bar:?}");
            }
        }
    }
}

/// Nothing could be loaded: the list says so and points at `e`.
#[test]
fn nothing_loaded() {
    let mut app = app_with("broken", with_broken_files(&[]), 80, 24);
    insta::assert_snapshot!("nothing_loaded_80x24", render(&app));
    press(&mut app, &[Command::ToggleErrors]);
    insta::assert_snapshot!("nothing_loaded_errors_80x24", render(&app));
}

/// Types `text` into the open query line, a key at a time.
fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        step(app, Action::Edit(Input { key: Key::Char(c), ..Input::default() }));
    }
}

fn edit_key(app: &mut App, key: Key) {
    step(app, Action::Edit(Input { key, ..Input::default() }));
}

/// The screen, then under it each row that has found text on it with `^` under every marked
/// cell, `#` under the current match and `~` under a word of the list's query marked in a pane:
/// a text snapshot has no styles, and the marks are the point of these screens. (The legend
/// names `~` only on screens that have one.)
fn render_with_marks(app: &App) -> String {
    let mut text = render(app);
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| view(app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut rows = String::new();
    for (y, row) in buffer.content.chunks(usize::from(buffer.area.width)).enumerate() {
        let marks: String = row
            .iter()
            .map(|cell| {
                let m = cell.modifier;
                if m.contains(Modifier::UNDERLINED | Modifier::REVERSED) {
                    '#'
                } else if m.contains(Modifier::UNDERLINED) {
                    '^'
                } else if m.contains(Modifier::ITALIC) {
                    '~'
                } else {
                    ' '
                }
            })
            .collect();
        if marks.trim().is_empty() {
            continue;
        }
        rows.push_str(&format!("{y:>2}: {}\n", marks.trim_end()));
    }
    let legend = if rows.contains('~') { "^ found, # current, ~ query word" } else { "^ found, # current" };
    text.push_str(&format!("--- marks ({legend}) ---\n"));
    text.push_str(&rows);
    text
}

/// The query line open over the list, with a mistake: the caret under the column and the
/// message under it.
#[test]
fn query_line_with_an_error() {
    for (width, height) in [NARROW, WIDE] {
        let mut app = assets_app(width, height);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "cancer phase:7");
        edit_key(&mut app, Key::Enter);
        assert!(app.line.as_ref().is_some_and(|l| l.error.is_some()));
        insta::assert_snapshot!(format!("query_error_{width}x{height}"), render(&app));
    }
}

/// An unknown field entered: the whole message, every field it lists, wrapped under the caret;
/// the list keeps the answer it showed before (to `psoriasis study`, as typed before the colon),
/// and its title says the query has a mistake instead of a count. Fixing the query gives the
/// count back.
#[test]
fn a_mistake_shows_its_whole_message_and_keeps_the_list() {
    let catalog = Catalog::load_indexed(&[assets()], &Progress::default());
    let mut app = app_with("assets", catalog, 80, 24);
    press(&mut app, &[Command::Search]);
    type_text(&mut app, "psoriasis");
    edit_key(&mut app, Key::Enter);
    let before = app.visible.clone();
    assert_eq!(before.len(), 1);
    press(&mut app, &[Command::Search]);
    type_text(&mut app, " study");
    assert_eq!(app.visible, before);
    type_text(&mut app, ":bar");
    edit_key(&mut app, Key::Enter);
    assert_eq!(app.visible, before, "the list keeps what it showed");
    let screen = render(&app);
    assert!(screen.contains("┌ Studies: mistake in the query "), "{screen}");
    assert!(!screen.contains(" of 27"), "no count that looks like an answer:\n{screen}");
    let message: String = screen
        .lines()
        .skip_while(|l| !l.contains("^^^"))
        .skip(1)
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .take_while(|l| !l.starts_with('└'))
        .collect::<Vec<_>>()
        .join(" ");
    for field in ["status", "updated", "title", "cond", "intr", "sponsor", "country", "city"] {
        assert!(
            message.contains(&format!(" {field},")) || message.contains(&format!(" {field}.")),
            "{field}: {message}"
        );
    }
    assert!(message.ends_with("quote it: \"study:…\""), "{message}");
    insta::assert_snapshot!("query_mistake_80x24", screen);
    for _ in 0.." study:bar".len() {
        edit_key(&mut app, Key::Backspace);
    }
    edit_key(&mut app, Key::Enter);
    assert!(render(&app).contains("┌ Studies 1 of 27 "), "{}", render(&app));
}

/// The list filtered as typed: the count in the title, matched letters marked.
#[test]
fn list_filtered() {
    let mut app = assets_app(120, 40);
    press(&mut app, &[Command::Search]);
    type_text(&mut app, "covid");
    insta::assert_snapshot!("list_filtered_120x40", render_with_marks(&app));
}

/// Finding a word in a pane: every match marked, the current one more so, the count.
#[test]
fn find_in_a_pane() {
    let mut app = assets_app(80, 24);
    select(&mut app, "NCT05183427");
    press(&mut app, &[Command::Pane1, Command::Search]);
    type_text(&mut app, "heart");
    insta::assert_snapshot!("find_typing_80x24", render_with_marks(&app));
    edit_key(&mut app, Key::Enter);
    press(&mut app, &[Command::FindNext, Command::FindNext]);
    insta::assert_snapshot!("find_next_80x24", render_with_marks(&app));
}

/// The list filtered by a query: its words marked in the selected study's Overview as the index
/// matched them (`vaccines` marks "Vaccine" and "vaccination"), the phrase where its words follow
/// each other. Text found in the pane keeps its own marks where both apply; Esc clearing the
/// list's filter clears the pane's marks.
#[test]
fn query_words_in_a_pane() {
    let catalog = Catalog::load_indexed(&[assets()], &Progress::default());
    let mut app = app_with("assets", catalog, 120, 40);
    press(&mut app, &[Command::Search]);
    type_text(&mut app, "vaccines \"flu seasons\"");
    edit_key(&mut app, Key::Enter);
    assert_eq!(app.selected_summary().map(|s| &*s.id), Some("NCT04415320"));
    insta::assert_snapshot!("query_words_120x40", render_with_marks(&app));
    // The summary, scrolled to by finding a word of the phrase.
    press(&mut app, &[Command::Open, Command::Search]);
    type_text(&mut app, "seasons");
    edit_key(&mut app, Key::Enter);
    insta::assert_snapshot!("query_words_and_find_120x40", render_with_marks(&app));
    // Esc clears the find, then leaves the pane, then clears the list's filter.
    press(&mut app, &[Command::Back, Command::Back, Command::Back]);
    assert!(app.filter.text.is_empty());
    let screen = render_with_marks(&app);
    let (_, marks) = screen.split_once("--- marks").unwrap();
    assert!(!marks.contains('~'), "{screen}");
}

/// Posted results (3 arms, one with a long title): folded to a line a part, then a measure
/// opened, its table scrolled a group column to the right, and everything open side by side.
#[test]
fn results() {
    let id = "NCT04720193";
    let mut app = assets_app(80, 24);
    select(&mut app, id);
    press(&mut app, &[Command::Pane3]);
    insta::assert_snapshot!("results_80x24_folded", render(&app));
    // The cursor starts on the first part; the first measure is the third part.
    let opened = render(&app);
    assert!(opened.contains("▸ 1. Primary: Time to Alleviation"), "{opened}");
    let folds = app.detail.as_ref().unwrap().pane_lines[2].as_ref().unwrap().folds.clone();
    assert_eq!(app.detail.as_ref().unwrap().outcomes.cursor, folds[0].header);
    // j steps from part to part over the blank and heading lines between them, where Enter
    // would do nothing; k, g and G likewise.
    let cursor = |app: &App| app.detail.as_ref().unwrap().outcomes.cursor;
    let headers: Vec<usize> = folds.iter().map(|f| f.header).collect();
    press(&mut app, &[Command::Down, Command::Down]);
    assert_eq!(cursor(&app), headers[2]);
    press(&mut app, &[Command::Up]);
    assert_eq!(cursor(&app), headers[1]);
    press(&mut app, &[Command::Bottom]);
    assert_eq!(cursor(&app), *headers.last().unwrap());
    press(&mut app, &[Command::Up]);
    assert_eq!(cursor(&app), headers[headers.len() - 2]);
    press(&mut app, &[Command::Top, Command::Down, Command::Down]);
    assert_eq!(cursor(&app), headers[2]);
    press(&mut app, &[Command::ToggleFold]);
    press(&mut app, &[Command::PageDown]);
    insta::assert_snapshot!("results_80x24_measure", render(&app));
    press(&mut app, &[Command::ColumnRight]);
    insta::assert_snapshot!("results_80x24_measure_scrolled", render(&app));

    let mut app = assets_app(120, 40);
    select(&mut app, id);
    press(&mut app, &[Command::Pane3, Command::FocusDetail, Command::ToggleAllFolds]);
    insta::assert_snapshot!("results_120x40_open", render(&app));
    press(&mut app, &[Command::PageDown, Command::PageDown]);
    insta::assert_snapshot!("results_120x40_open_page3", render(&app));
}

/// The bookmarks view: two bookmarked studies the inputs hold, and one they lack (bookmarked
/// another day from other files), dim, after them. Selected, it says so in the study area.
#[test]
fn bookmarks_view_with_an_absent_bookmark() {
    let mut app = assets_app(120, 40);
    for (id, title, day) in [
        ("NCT05183427", "A Study of Torvasiran", "2026-11-02"),
        ("NCT09999999", "Statins After Stroke in Older Adults (STAY)", "2026-10-30"),
        ("NCT02210479", "Single-pill Combination", "2026-11-03"),
    ] {
        app.bookmarks.toggle(id, title, day).unwrap();
    }
    // As loading marks the studies the bookmarks name.
    nct::catalog::mark_studies(&mut app.studies, &app.bookmarks, &Default::default());
    press(&mut app, &[Command::ShowBookmarks]);
    insta::assert_snapshot!("bookmarks_120x40", render(&app));
    press(&mut app, &[Command::Bottom]);
    insta::assert_snapshot!("bookmarks_absent_selected_120x40", render(&app));
    app.size = Size::new(80, 24);
    press(&mut app, &[Command::Open]);
    insta::assert_snapshot!("bookmarks_absent_opened_80x24", render(&app));
}

/// A patient screened against nested criteria: the verdict over the criteria, answers in their
/// column (a suggestion-free start, one of each answer, a note, a roll-up shown dim on the
/// parent), the cursor on the next criterion; at 120x40 and 80x24.
#[test]
fn criteria_screening() {
    for (width, height) in [WIDE, NARROW] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = assets_app(width, height);
        app.screenings = Some(nct::user::screenings::Screenings::new(dir.path()));
        select(&mut app, "NCT04577316");
        press(&mut app, &[Command::Pane2, Command::Open, Command::StartScreening]);
        for c in "P-014".chars() {
            step(&mut app, Action::Edit(Input { key: Key::Char(c), ..Input::default() }));
        }
        step(&mut app, Action::Edit(Input { key: Key::Enter, ..Input::default() }));
        // I1 met; I1.a–d: not met, unknown, not applicable, met (I1 keeps its own answer);
        // I2 not met with a note; the cursor then on I3.
        press(
            &mut app,
            &[
                Command::AnswerMet,
                Command::AnswerNotMet,
                Command::AnswerUnknown,
                Command::AnswerNotApplicable,
                Command::AnswerMet,
                Command::AnswerNotMet,
                Command::Up,
                Command::ScreeningNote,
            ],
        );
        for c in "two lines only".chars() {
            step(&mut app, Action::Edit(Input { key: Key::Char(c), ..Input::default() }));
        }
        step(&mut app, Action::Edit(Input { key: Key::Enter, ..Input::default() }));
        press(&mut app, &[Command::Down]);
        insta::assert_snapshot!(format!("criteria_screening_{width}x{height}_NCT04577316"), render(&app));
    }
}
/// The hand-written studies of `tests/fixtures/sites`: 22 sites of every status in five
/// countries, one without coordinates, one without a status of its own.
fn sites_app(width: u16, height: u16) -> App {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites");
    let mut app = app_with("sites", Catalog::load(&[fixture]), width, height);
    select(&mut app, "NCT09980001");
    app
}

/// What `near:"Baltimore, Maryland"` resolves to, as the query would set it.
fn near_baltimore(miles: f64) -> nct::study::geo::Area {
    nct::study::geo::Area {
        center: nct::study::geo::GeoPoint { lat: 39.2904, lon: -76.6122 },
        radius_km: miles * nct::study::geo::KM_PER_MILE,
        unit: nct::study::geo::DistanceUnit::Miles,
        place: "Baltimore, Maryland, United States".into(),
    }
}

/// `/` in the Sites pane: the sites holding the text marked (in the cells shown, and by a dot
/// when it is in a contact), `n` selecting the next.
#[test]
fn sites_find() {
    let mut app = sites_app(80, 24);
    press(&mut app, &[Command::Open, Command::Pane4, Command::Search]);
    type_text(&mut app, "baltimore");
    insta::assert_snapshot!("sites_find_typing_80x24", render_with_marks(&app));
    edit_key(&mut app, Key::Enter);
    press(&mut app, &[Command::FindNext, Command::FindNext]);
    insta::assert_snapshot!("sites_find_80x24", render_with_marks(&app));
}

/// `f` cycling: recruiting (and not yet) only, then every site again; with `near:`, within the
/// distance too.
#[test]
fn sites_filters() {
    let mut app = sites_app(120, 40);
    press(&mut app, &[Command::Pane4, Command::FocusDetail, Command::FilterSites]);
    insta::assert_snapshot!("sites_recruiting_120x40", render(&app));
    press(&mut app, &[Command::FilterSites]);
    assert!(render(&app).contains("22 sites in 5 countries, 10 recruiting"), "{}", render(&app));
    app.near = Some(near_baltimore(25.0));
    press(&mut app, &[Command::FilterSites, Command::FilterSites]);
    insta::assert_snapshot!("sites_within_120x40", render(&app));
    press(&mut app, &[Command::FilterSites]);
    assert!(
        render(&app).contains("22 sites · nearest to Baltimore, Maryland, United States"),
        "{}",
        render(&app)
    );
}

/// With `near:`, the Sites pane is nearest first with each site's distance, those without
/// coordinates last; the heading names the place.
#[test]
fn sites_nearest_first() {
    let mut app = sites_app(120, 40);
    app.near = Some(near_baltimore(50.0));
    press(&mut app, &[Command::Pane4]);
    insta::assert_snapshot!("sites_nearest_120x40", render(&app));
    let mut app = sites_app(80, 24);
    app.near = Some(near_baltimore(50.0));
    press(&mut app, &[Command::Open, Command::Pane4, Command::Bottom]);
    insta::assert_snapshot!("sites_nearest_last_80x24", render(&app));
}

/// The list with `near:` active: each row's nearest site, its distance right-aligned so that
/// the places start in one column, nearest first once `o` reaches that order.
#[test]
fn list_near_a_place_nearest_first() {
    let mut app = assets_app(120, 30);
    press(&mut app, &[Command::Search]);
    type_text(&mut app, "near:42.36,-71.06:600mi");
    edit_key(&mut app, Key::Enter);
    while app.sort != nct::catalog::order::SortOrder::Distance {
        press(&mut app, &[Command::CycleSort]);
    }
    insta::assert_snapshot!("list_near_nearest_first_120x30", render(&app));
}
