//! Help with typing a query, where the user meets it, on a corpus made here: "did you mean" for
//! words no study holds on stderr of `nct search` (from a fresh load and from the cache) and in
//! the app's status bar after Enter; Tab in the app's query line completing field names and values.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

use nct::catalog::{Catalog, Progress};
use nct::tui::action::{Action, Command as AppCommand};
use nct::tui::app::App;
use nct::tui::step;
use nct::tui::theme::Theme;
use nct::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;
use tui_textarea::{Input, Key};

/// Three psoriasis studies, two on vaccines, one on both.
fn corpus(dir: &Path) {
    let titles = [
        "Psoriasis in adults",
        "Plaque psoriasis and a biologic",
        "Vaccine response in psoriasis",
        "A vaccine for influenza",
        "Sleep after night shifts",
    ];
    let studies: Vec<String> = titles
        .iter()
        .enumerate()
        .map(|(n, title)| {
            format!(
                r#"{{"protocolSection": {{"identificationModule": {{"nctId": "NCT0000000{}", "briefTitle": "{title}"}}}}}}"#,
                n + 1
            )
        })
        .collect();
    std::fs::write(dir.join("studies.json"), format!("[{}]\n", studies.join(",\n"))).unwrap();
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn search(dir: &Path, query: &str, cache: &str) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", query])
        .arg(dir.join("studies.json"))
        .args(["--format", "ids", "--limit", "0"])
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("NCT_CACHE", cache)
        .output()
        .expect("run nct");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn nct_search_says_what_a_word_that_finds_nothing_may_have_meant() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    // The second "always" run answers from the cache the first one wrote.
    for cache in ["never", "always", "always"] {
        let run = search(dir.path(), "psoriasiss", cache);
        assert_eq!(run.code, 1, "{cache}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr.trim_end(),
            "nct: no study has \"psoriasiss\"; did you mean \"psoriasis\" (3 studies)?",
            "{cache}"
        );
        // The count is the query's with the word in place.
        let run = search(dir.path(), "psoriasiss vacine", cache);
        assert_eq!(
            run.stderr.trim_end(),
            "nct: no study has \"psoriasiss\" or \"vacine\"; did you mean \"psoriasis\" and \"vaccine\" (1 study)?",
            "{cache}"
        );
        // A word in an OR that finds other studies still gets its hint, under the results.
        let run = search(dir.path(), "vacine OR sleep", cache);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stdout, "NCT00000005\n");
        assert!(run.stderr.contains("did you mean \"vaccine\" (3 studies)?"), "{cache}: {}", run.stderr);
        let run = search(dir.path(), "psoriasis", cache);
        assert_eq!(run.code, 0);
        assert_eq!(run.stderr, "", "{cache}");
        for nothing_near in ["zzzzzz", "-psoriasiss psoriasis"] {
            let run = search(dir.path(), nothing_near, cache);
            assert!(!run.stderr.contains("did you mean"), "{nothing_near}: {}", run.stderr);
        }
    }
}

/// The app on the corpus, the query line open.
fn app_typing(dir: &Path) -> App {
    let catalog = Catalog::load_indexed(&[dir.join("studies.json")], &Progress::default());
    let mut app = App::new("corpus".into(), Size::new(120, 20), Theme::plain());
    step(&mut app, Action::Finished(Box::new(catalog)));
    step(&mut app, Action::Key(AppCommand::Search));
    app
}

fn keys(app: &mut App, keys: impl IntoIterator<Item = Key>) {
    for key in keys {
        step(app, Action::Edit(Input { key, ..Input::default() }));
    }
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 20)).unwrap();
    terminal.draw(|frame| view(app, frame)).unwrap();
    terminal
        .backend()
        .buffer()
        .content
        .chunks(120)
        .map(|row| row.iter().map(|cell| cell.symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn tab_completes_a_field_name_then_a_value_the_studies_hold() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("studies.json"),
        r#"[{"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "A"},
            "contactsLocationsModule": {"locations": [{"country": "United Kingdom"}]}}},
           {"protocolSection": {"identificationModule": {"nctId": "NCT00000002", "briefTitle": "B"},
            "contactsLocationsModule": {"locations": [{"country": "United States"}]}}}]"#,
    )
    .unwrap();
    let mut app = app_typing(dir.path());
    keys(&mut app, "cou".chars().map(Key::Char).chain([Key::Tab]));
    assert_eq!(app.line.as_ref().unwrap().text(), "country:");
    keys(&mut app, "u".chars().map(Key::Char).chain([Key::Tab]));
    assert_eq!(app.line.as_ref().unwrap().text(), "country:\"United ");
    let shown = screen(&app);
    assert!(shown.contains("country:\"United Kingdom\"  country:\"United States\""), "{shown}");
    keys(&mut app, "k".chars().map(Key::Char).chain([Key::Tab, Key::Enter]));
    assert!(app.line.is_none());
    let shown = screen(&app);
    assert!(shown.contains("NCT00000001") && !shown.contains("NCT00000002"), "{shown}");
}

#[test]
fn the_app_says_it_in_the_status_bar_after_enter() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let mut app = app_typing(dir.path());
    keys(&mut app, "psoriasiss".chars().map(Key::Char).chain([Key::Enter]));
    let screen = screen(&app);
    assert!(
        screen.contains("No study has \"psoriasiss\"; did you mean \"psoriasis\" (3 studies)?"),
        "{screen}"
    );
}
