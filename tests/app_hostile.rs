//! Hostile text in the app: a record, a file name and a status message holding escape
//! sequences, C1 controls, DEL and bidi overrides are drawn (ratatui `TestBackend`) with no
//! cell holding such a character, in every pane, the error list and the status bar; and odd ids
//! (long, of another shape, of wide characters) keep the list's columns in line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;

use nct::catalog::Catalog;
use nct::tui::action::{Action, Command};
use nct::tui::app::App;
use nct::tui::step;
use nct::tui::theme::Theme;
use nct::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Size;
use serde_json::json;
use unicode_width::UnicodeWidthStr;

fn hostile(field: &str) -> String {
    format!(
        "{field} \x1b]52;c;aGk=\x07 \x1b]0;owned\x07 \u{9b}31m \x7f \u{202e}rev\u{2066}iso cut\x1b]8;;http://e/"
    )
}

fn study(id: &str, title: &str) -> serde_json::Value {
    json!({
        "protocolSection": {
            "identificationModule": {"nctId": id, "briefTitle": title, "officialTitle": hostile("Official")},
            "statusModule": {"overallStatus": "RECRUITING"},
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": hostile("Sponsor")}},
            "descriptionModule": {"briefSummary": hostile("Summary")},
            "conditionsModule": {"conditions": [hostile("Condition")]},
            "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE2"]},
            "outcomesModule": {"primaryOutcomes": [{"measure": hostile("Outcome"), "timeFrame": hostile("Week")}]},
            "eligibilityModule": {"eligibilityCriteria": format!("Inclusion Criteria:\n\n* {}", hostile("Included"))},
            "contactsLocationsModule": {"locations": [{"facility": hostile("Facility"), "city": hostile("City"), "country": "France"}]}
        }
    })
}

const IDS: [&str; 4] = ["NCT09990001", "NCT0999000199999999999", "X-1", "日本語日本語日本語"];

fn app(width: u16, height: u16) -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (n, id) in IDS.iter().enumerate() {
        fs::write(dir.path().join(format!("{n}.json")), study(id, &hostile("Title")).to_string()).unwrap();
    }
    fs::write(dir.path().join("broken\x1b]0;file\x07\u{9b}2J.json"), "not a study").unwrap();
    let catalog = Catalog::load(&[dir.path().to_path_buf()]);
    assert_eq!((catalog.len(), catalog.errors.len()), (IDS.len(), 1));
    let mut app = App::new("hostile\x1b[2J".into(), Size::new(width, height), Theme::plain());
    step(&mut app, Action::Finished(Box::new(catalog)));
    (app, dir)
}

fn draw(app: &App) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| view(app, frame)).unwrap();
    terminal.backend().buffer().clone()
}

fn assert_safe(what: &str, buffer: &Buffer) {
    for cell in &buffer.content {
        let bad = cell
            .symbol()
            .chars()
            .find(|&c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'));
        assert!(bad.is_none(), "{what}: {bad:?} in a cell of {buffer:?}");
    }
}

fn text(buffer: &Buffer) -> Vec<String> {
    let width = usize::from(buffer.area.width);
    buffer
        .content
        .chunks(width)
        .map(|row| {
            let mut line = String::new();
            let mut covered = 0usize;
            for cell in row {
                if covered == 0 {
                    line.push_str(cell.symbol());
                }
                covered = covered.max(cell.symbol().width()).saturating_sub(1);
            }
            line
        })
        .collect()
}

#[test]
fn no_cell_holds_a_control_or_bidi_character_in_any_pane() {
    let (mut app, _dir) = app(120, 40);
    app.message = Some(hostile("Message"));
    for id in IDS {
        app.selected = app.studies.iter().position(|s| &*s.id == id).unwrap();
        step(&mut app, Action::Tick);
        for pane in [Command::Pane1, Command::Pane2, Command::Pane3, Command::Pane4] {
            step(&mut app, Action::Key(pane));
            let screen = draw(&app);
            assert_safe(&format!("{id} {pane:?}"), &screen);
        }
    }
    let screen = draw(&app);
    let lines = text(&screen);
    assert!(lines.iter().any(|l| l.contains("Facility ")), "{lines:#?}");
    step(&mut app, Action::Key(Command::ToggleErrors));
    let errors = draw(&app);
    assert_safe("errors", &errors);
    assert!(text(&errors).iter().any(|l| l.contains("broken")), "{:#?}", text(&errors));
}

#[test]
fn odd_ids_keep_the_list_columns_in_line() {
    let (app, _dir) = app(120, 40);
    let lines = text(&draw(&app));
    // The status badge ("RECR", readable without colour) starts in the same column on every row.
    let columns: Vec<usize> =
        lines.iter().filter_map(|line| line.find("RECR").map(|at| line.get(..at).unwrap().width())).collect();
    assert_eq!(columns.len(), IDS.len(), "{lines:#?}");
    assert!(columns.iter().all(|&c| c == columns[0]), "{columns:?}\n{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("NCT0999000…")), "a long id is cut: {lines:#?}");
}
