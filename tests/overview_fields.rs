//! Snapshots of the Overview pane's parts that come from the Researcher View's fields (dates
//! with their type, contacts, oversight, MeSH terms with ancestors, limitations, data sharing,
//! documents, references), at 80x24 and 120x40, on a hand-written study holding every module
//! they come from (`tests/fixtures/every_field/`). The pane is drawn from its top and paged
//! down to its end, each page a snapshot (`tests/snapshots/overview_fields__*.snap`).
//!
//! After a deliberate change, review and accept with `INSTA_UPDATE=always cargo test --test
//! overview_fields` (or `cargo insta review`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use nct::catalog::Catalog;
use nct::tui::action::{Action, Command};
use nct::tui::app::{App, Pane};
use nct::tui::step;
use nct::tui::theme::Theme;
use nct::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;

fn app(width: u16, height: u16) -> App {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every_field");
    let mut app = App::new("every_field".into(), Size::new(width, height), Theme::plain());
    step(&mut app, Action::Finished(Box::new(Catalog::load(&[folder]))));
    step(&mut app, Action::Key(Command::Pane1));
    // Side by side with the list, the keys go to the list until the study has the focus.
    step(&mut app, Action::Key(Command::FocusDetail));
    assert_eq!(app.pane, Pane::Overview);
    app
}

/// The screen as text, one line per row, trailing blanks trimmed.
fn render(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.size.width, app.size.height)).unwrap();
    terminal.draw(|frame| view(app, frame)).unwrap();
    let buffer = terminal.backend().buffer();
    let width = usize::from(buffer.area.width);
    let mut text = String::new();
    for row in buffer.content.chunks(width) {
        let line: String = row.iter().map(|cell| cell.symbol()).collect();
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// Every page of the pane, from the top until paging down changes nothing.
fn pages(width: u16, height: u16) -> Vec<String> {
    let mut app = app(width, height);
    let mut pages = vec![render(&app)];
    for _ in 0..20 {
        step(&mut app, Action::Key(Command::PageDown));
        let page = render(&app);
        if pages.last() == Some(&page) {
            break;
        }
        pages.push(page);
    }
    pages
}

fn snapshot_pages(width: u16, height: u16) -> String {
    let pages = pages(width, height);
    for (i, page) in pages.iter().enumerate() {
        insta::assert_snapshot!(format!("overview_{width}x{height}_page{}", i + 1), page);
    }
    pages.concat()
}

/// What the pages show between them, whatever the page breaks.
const SHOWN: [&str; 22] = [
    "Results posted:",
    "2023-08-15 (actual)",
    "Delay posted:",
    "2023-06-09 (estimated)",
    "Verified:",
    "Central contacts:",
    "trials@harrowgate.example",
    "Officials:",
    "Data monitoring committee: yes",
    "MeSH ancestors:",
    "Skin Diseases, Papulosquamous",
    "Intervention MeSH terms",
    "Protein Kinase Inhibitors",
    "Limitations and caveats",
    "Plan to share IPD: Yes",
    "Statistical Analysis Plan (SAP)",
    "Informed Consent Form",
    "ICF_001.pdf",
    "Size:",
    "PMID:",
    "35551234",
    "Retracted by:",
];

#[test]
fn narrow() {
    let all = snapshot_pages(80, 24);
    for wanted in SHOWN {
        assert!(all.contains(wanted), "no {wanted:?} on any page at 80x24:\n{all}");
    }
}

#[test]
fn wide() {
    let all = snapshot_pages(120, 40);
    for wanted in SHOWN {
        assert!(all.contains(wanted), "no {wanted:?} on any page at 120x40:\n{all}");
    }
}
