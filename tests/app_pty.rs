//! End-to-end tests of the app: the real `nct` binary in a pseudo-terminal (portable-pty), its
//! output fed to a terminal emulator (vt100), keys written in, screen text read out. Nothing has
//! to be installed for `cargo test`.
//!
//! Every step waits for what it expects on the screen (with a timeout that fails with a dump of
//! the screen) rather than sleeping, so the tests stay quick on a busy machine and robust on a
//! slow one.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long any one expected screen may take to appear.
const TIMEOUT: Duration = Duration::from_secs(10);

const DOWN: &str = "\x1b[B";
const UP: &str = "\x1b[A";
const TAB: &str = "\t";
const BACK_TAB: &str = "\x1b[Z";
const ENTER: &str = "\r";
const ESC: &str = "\x1b";

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a terminal size is never zero")
}

fn pty_size(cols: u16, rows: u16) -> PtySize {
    PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }
}

/// The app running in a pseudo-terminal of a given size.
struct App {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    reader: Option<JoinHandle<()>>,
    /// The user's folders (XDG config, data and cache) for this run, so no test reads or writes
    /// the real ones; a test that sets them itself overrides these.
    _home: tempfile::TempDir,
}

impl App {
    /// `nct assets` at `cols` x `rows`, with colours on.
    fn open(cols: u16, rows: u16) -> App {
        App::spawn(&["assets"], cols, rows, None)
    }

    /// `nct ARGS` at `cols` x `rows`, with `NO_COLOR` set to `no_color` (or unset).
    fn spawn(args: &[&str], cols: u16, rows: u16, no_color: Option<&str>) -> App {
        App::spawn_with(args, cols, rows, no_color, &[])
    }

    /// As `spawn`, with extra environment variables.
    fn spawn_with(args: &[&str], cols: u16, rows: u16, no_color: Option<&str>, env: &[(&str, &str)]) -> App {
        App::spawn_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, cols, rows, no_color, env)
    }

    /// As `spawn_with`, in the folder `cwd`.
    fn spawn_in(
        cwd: &Path,
        args: &[&str],
        cols: u16,
        rows: u16,
        no_color: Option<&str>,
        env: &[(&str, &str)],
    ) -> App {
        let pair = native_pty_system().openpty(pty_size(cols, rows)).expect("open a pty");
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_nct"));
        command.args(args);
        command.cwd(cwd);
        command.env("TERM", "xterm-256color");
        let home = tempfile::tempdir().expect("a temporary home");
        for (key, folder) in
            [("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")]
        {
            command.env(key, home.path().join(folder));
        }
        match no_color {
            Some(value) => command.env("NO_COLOR", value),
            None => command.env_remove("NO_COLOR"),
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pair.slave.spawn_command(command).expect("start nct");
        // Only the child holds the slave now, so the reader sees the end when it exits.
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let mut output = pair.master.try_clone_reader().expect("pty reader");
        let reader = {
            let parser = parser.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                // Linux reports EIO instead of end of file once the child is gone: either ends it.
                while let Ok(n) = output.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    parser.lock().unwrap().process(&buf[..n]);
                }
            })
        };
        let writer = pair.master.take_writer().expect("pty writer");
        App { master: pair.master, writer, child, parser, reader: Some(reader), _home: home }
    }

    fn screen_text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Types `keys` (raw bytes: escape sequences for special keys).
    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write to the pty");
        self.writer.flush().expect("flush the pty");
    }

    /// Esc alone: on its own write, and given a moment, so that it is not read as the start of
    /// an escape sequence together with the next key.
    fn esc(&mut self) {
        self.send(ESC);
        std::thread::sleep(Duration::from_millis(30));
    }

    /// Polls the screen until `condition` holds on a settled screen (the same text a moment
    /// later, so not halfway through a redraw); fails with the screen after the timeout.
    fn wait_for(&self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut previous = String::new();
        loop {
            let text = self.screen_text();
            if text == previous && condition(&text) {
                return text;
            }
            previous = text;
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen shows:\n{previous}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    /// Waits until `needle` is on the screen.
    fn wait_text(&self, needle: &str) -> String {
        self.wait_for(&format!("{needle:?}"), |s| s.contains(needle))
    }

    /// Waits for the list to be loaded and drawn.
    fn wait_loaded(&self) -> String {
        self.wait_for("the loaded list", |s| s.contains(" Studies 1/") && !s.contains("loading"))
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        // The emulator first, so the redraw the resize causes lands on a screen of the new size.
        self.parser.lock().unwrap().screen_mut().set_size(nz(rows), nz(cols));
        self.master.resize(pty_size(cols, rows)).expect("resize the pty");
    }

    /// Waits for the process to end; returns its exit code, after all its output was read.
    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("child status") {
                break status;
            }
            if start.elapsed() > TIMEOUT {
                panic!("nct did not exit; the screen shows:\n{}", self.screen_text());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().expect("the reader thread");
        }
        status.exit_code()
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("the child's pid")
    }

    /// The terminal is as it was before the app: main screen, cursor visible.
    fn assert_restored(&self) {
        let parser = self.parser.lock().unwrap();
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen:\n{}", screen.contents());
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // A failed test must not leave the app running.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The row of the screen holding `needle`, if any.
fn line_with<'a>(screen: &'a str, needle: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(needle))
}

#[test]
fn opens_on_the_list_and_the_first_study() {
    let app = App::open(120, 40);
    let screen = app.wait_loaded();
    let first = line_with(&screen, "Studies 1/").expect("the list's title");
    assert!(screen.contains("nct"), "{screen}");
    assert!(screen.contains("studies"), "the header counts the studies:\n{screen}");
    assert!(screen.contains("1 Overview") && screen.contains("4 Sites"), "{screen}");
    // The study block's title names the first study in the list.
    let listed = screen
        .lines()
        .nth(2)
        .and_then(|l| l.split_whitespace().find(|w| w.starts_with("│NCT") || w.starts_with("NCT")))
        .map(|w| w.trim_start_matches('│').to_string())
        .expect("the first list row");
    assert!(first.contains(&format!("{listed} ·")), "the detail shows {listed}:\n{screen}");
    assert!(screen.contains("?"), "help hint:\n{screen}");
}

#[test]
fn j_and_k_move_the_selection() {
    let mut app = App::open(120, 40);
    app.wait_loaded();
    app.send("j");
    app.wait_text("Studies 2/");
    app.send("jj");
    app.wait_text("Studies 4/");
    app.send("k");
    app.wait_text("Studies 3/");
    app.send(DOWN);
    let screen = app.wait_text("Studies 4/");
    // The count after the slash is the whole collection.
    let title = line_with(&screen, "Studies 4/").unwrap();
    let total: usize = title
        .split("Studies 4/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("Studies n/total");
    assert!(total >= 20, "{title}");
    app.send("G");
    app.wait_text(&format!("Studies {total}/{total}"));
    app.send("g");
    app.wait_text(&format!("Studies 1/{total}"));
}

/// Moves the selection down to `id` (in the list's order), and waits until it is shown.
fn select(app: &mut App, id: &str) {
    let screen = app.screen_text();
    let rows: Vec<&str> = screen.lines().filter(|l| l.starts_with("│NCT")).collect();
    let index =
        rows.iter().position(|l| l.contains(id)).unwrap_or_else(|| panic!("{id} not listed:\n{screen}"));
    app.send(&"j".repeat(index));
    app.wait_text(&format!("Studies {}/", index + 1));
}

#[test]
fn number_keys_and_tab_switch_panes() {
    let mut app = App::open(120, 40);
    app.wait_loaded();
    select(&mut app, "NCT05183427");
    app.send("2");
    app.wait_text("Inclusion criteria");
    app.send("3");
    app.wait_text("Primary outcomes");
    app.send("4");
    app.wait_text("sites in");
    app.send("1");
    app.wait_for("the Overview again", |s| !s.contains("sites in") && !s.contains("Primary outcomes"));
    app.send(TAB);
    app.wait_text("Inclusion criteria");
    app.send(TAB);
    app.wait_text("Primary outcomes");
    app.send(BACK_TAB);
    app.wait_text("Inclusion criteria");
}

#[test]
fn enter_and_esc_on_a_narrow_terminal() {
    let mut app = App::open(80, 24);
    let list = app.wait_loaded();
    assert!(!list.contains("1 Overview"), "at 80 columns the list has the screen alone:\n{list}");
    select(&mut app, "NCT05183427");
    app.send(ENTER);
    let study = app.wait_text("1 Overview");
    assert!(!study.contains(" Studies "), "the study has the screen alone:\n{study}");
    app.send("2");
    app.wait_text("Inclusion criteria");
    app.esc();
    app.wait_for("the list again", |s| s.contains(" Studies 20/") && !s.contains("1 Overview"));
    // A pane key on a narrow screen opens the study too.
    app.send("j3");
    app.wait_for("the next study's outcomes", |s| s.contains("Primary outcomes") && !s.contains(" Studies "));
    app.send("h");
    app.wait_text("Studies 21/");
}

#[test]
fn help_lists_the_keymap_and_esc_closes_it() {
    let mut app = App::open(120, 40);
    app.wait_loaded();
    app.send("?");
    let help = app.wait_text("Keys (Esc or ? to close)");
    // Generated from the keymap: every scope's heading and each binding's description.
    for expected in [
        "Everywhere",
        "Study list",
        "Criteria pane",
        "Sites pane",
        "next study, site or line",
        "half a page down",
        "Ctrl-d",
        "Shift-Tab",
        "inputs that failed to load",
        "list the bookmarks",
    ] {
        assert!(help.contains(expected), "help lacks {expected:?}:\n{help}");
    }
    // The rest is below the fold: the help scrolls like a pane, a page at a time.
    app.send("\x04");
    app.wait_text("criteria as registered / split");
    app.send("G");
    let bottom = app.wait_text("a click selects a study or a tab");
    assert!(bottom.contains("Query fields"), "help lacks the query fields:\n{bottom}");
    // Above them, the keys of every other scope: the query line, the note editor, the go-to
    // picker and the facets panel, a page up at a time.
    let expected =
        ["Query line", "an earlier query", "Note editor", "Go-to picker", "Facets panel", "Record pane"];
    let mut seen = bottom.clone();
    let mut screen = bottom;
    for _ in 0..10 {
        if expected.iter().all(|e| seen.contains(e)) {
            break;
        }
        app.send("\x02");
        screen = app.wait_for("the help to scroll a page up", |s| s != screen);
        seen.push_str(&screen);
    }
    for expected in expected {
        assert!(seen.contains(expected), "help lacks {expected:?}:\n{seen}");
    }
    app.esc();
    app.wait_for("help to close", |s| !s.contains("Keys (Esc or ? to close)") && s.contains("Studies 1/"));
    app.send("?");
    app.wait_text("Keys (Esc or ? to close)");
    app.send("?");
    app.wait_for("help to close with ?", |s| !s.contains("Keys (Esc or ? to close)"));
}

#[test]
fn resizing_redraws_for_the_new_size() {
    let mut app = App::open(120, 40);
    app.wait_loaded();
    app.send("jj");
    app.wait_text("Studies 3/");
    app.resize(80, 24);
    app.wait_for("the narrow layout", |s| s.contains("Studies 3/") && !s.contains("1 Overview"));
    app.resize(50, 12);
    let small = app.wait_text("Terminal too small");
    assert!(!small.contains("Studies"), "{small}");
    app.resize(120, 40);
    app.wait_for("the wide layout", |s| {
        s.contains("Studies 3/") && s.contains("1 Overview") && !s.contains("too small")
    });
    // Still responsive after all that.
    app.send("k");
    app.wait_text("Studies 2/");
}

#[test]
fn q_quits_with_status_0_and_restores_the_terminal() {
    let mut app = App::open(120, 40);
    app.wait_loaded();
    assert!(app.parser.lock().unwrap().screen().alternate_screen(), "the app draws on the alternate screen");
    select(&mut app, "NCT05183427");
    app.send("2");
    app.wait_text("Inclusion criteria");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    app.assert_restored();
}

#[test]
fn quits_from_the_help_screen_too() {
    let mut app = App::open(100, 30);
    app.wait_loaded();
    app.send("?");
    app.wait_text("Keys (Esc or ? to close)");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    app.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut app = App::open(120, 40);
    app.wait_loaded();
    app.send("4");
    app.wait_text("4 Sites");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &app.pid().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    app.wait_exit();
    app.assert_restored();
}

#[test]
fn a_panic_restores_the_terminal_and_says_where_the_report_is() {
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().display().to_string();
    // Debug builds panic on purpose after the first frame when NCT_DEBUG_PANIC is set.
    let mut app = App::spawn_with(
        &["assets"],
        100,
        30,
        None,
        &[("NCT_DEBUG_PANIC", "1"), ("XDG_CACHE_HOME", &cache_dir)],
    );
    assert_eq!(app.wait_exit(), 101, "a panic exits with Rust's panic status");
    app.assert_restored();
    let screen = app.screen_text();
    assert!(screen.contains("deliberate panic"), "the panic message is printed after restoring:\n{screen}");
    let log = cache.path().join("nct").join("panic.log");
    assert!(screen.contains("report was saved"), "{screen}");
    assert!(std::fs::read_to_string(&log).unwrap().contains("deliberate panic"));
}

#[test]
fn the_app_exits_when_its_terminal_goes_away() {
    // An SSH connection dropping: the terminal disappears under the app (SIGHUP, then end of
    // input). The app must not linger, spinning on a dead terminal.
    let pair = native_pty_system().openpty(pty_size(100, 30)).expect("open a pty");
    let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_nct"));
    command.arg("assets");
    command.cwd(env!("CARGO_MANIFEST_DIR"));
    command.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(command).expect("start nct");
    drop(pair.slave);
    let mut output = pair.master.try_clone_reader().expect("pty reader");
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&seen).contains("Studies") {
        let n = output.read(&mut buf).expect("read the first frame");
        seen.extend_from_slice(&buf[..n]);
    }
    drop(output);
    drop(pair.master);
    let start = Instant::now();
    while child.try_wait().expect("child status").is_none() {
        if start.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("nct kept running after its terminal went away");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn ctrl_d_scrolls_the_open_study() {
    let mut app = App::open(80, 24);
    app.wait_loaded();
    app.send(ENTER);
    let top = app.wait_text("1 Overview");
    app.send("\x04");
    app.wait_for("the Overview to scroll", |s| s != top && s.contains("1 Overview"));
    app.send("g");
    app.wait_for("the top again", |s| s == top);
}

/// The colours of the cells showing `needle` (one cell per character), where it first appears.
fn colours_of(app: &App, needle: &str) -> Vec<(vt100::Color, vt100::Color)> {
    let parser = app.parser.lock().unwrap();
    let screen = parser.screen();
    let (rows, cols) = screen.size();
    let wanted: Vec<String> = needle.chars().map(String::from).collect();
    for row in 0..rows.get() {
        let cells: Vec<&vt100::Cell> = (0..cols.get()).filter_map(|c| screen.cell(row, c)).collect();
        for window in cells.windows(wanted.len()) {
            if window.iter().zip(&wanted).all(|(cell, ch)| cell.contents() == ch) {
                return window.iter().map(|cell| (cell.fgcolor(), cell.bgcolor())).collect();
            }
        }
    }
    panic!("{needle:?} not on screen:\n{}", screen.contents());
}

#[test]
fn status_colours_and_no_color() {
    let app = App::open(120, 40);
    app.wait_loaded();
    let recruiting = colours_of(&app, "RECR");
    assert!(
        recruiting.iter().all(|(fg, _)| *fg == vt100::Color::Idx(2)),
        "recruiting is green: {recruiting:?}"
    );

    let plain = App::spawn(&["assets"], 120, 40, Some("1"));
    let screen = plain.wait_loaded();
    let parser = plain.parser.lock().unwrap();
    let (rows, cols) = parser.screen().size();
    for row in 0..rows.get() {
        for col in 0..cols.get() {
            let cell = parser.screen().cell(row, col).unwrap();
            assert_eq!(
                (cell.fgcolor(), cell.bgcolor()),
                (vt100::Color::Default, vt100::Color::Default),
                "NO_COLOR, yet a colour at row {row}, column {col}:\n{screen}"
            );
        }
    }
    // The selection stays visible without colour.
    assert!(parser.screen().cell(2, 1).unwrap().inverse(), "the selected row is reversed:\n{screen}");
}

#[test]
fn slash_filters_the_list_as_you_type_and_esc_clears_it() {
    let mut app = App::open(120, 40);
    app.wait_loaded();
    app.send("/");
    app.send("cancer");
    let filtered = app.wait_text(" of 27 ");
    let title = line_with(&filtered, " of 27 ").unwrap_or_default();
    assert!(!title.contains("Studies 27 of 27"), "the list is narrowed:\n{filtered}");
    let first = filtered.lines().nth(2).unwrap_or_default();
    let cancer_studies = ["NCT04990515", "NCT05612947", "NCT05894412"];
    assert!(
        cancer_studies.iter().any(|id| first.contains(id)),
        "a title with the word is first:\n{filtered}"
    );
    app.send(ENTER);
    app.wait_for("the filter kept after Enter", |s| s.contains(" of 27 ") && !s.contains("/cancer"));
    // The line opens again with the filter in it; Esc clears both.
    app.send("/");
    app.wait_text("/cancer");
    app.esc();
    app.wait_for("every study again", |s| {
        !s.contains(" of 27 ") && s.contains("/27 ") && !s.contains("/cancer")
    });
    // An NCT id typed in any case jumps to the study.
    app.send("/nct05183427");
    app.wait_text("Torvasiran");
    app.send(ENTER);
    app.wait_for("the study selected", |s| {
        line_with(s, "Studies ").is_some_and(|l| l.contains("Studies 20/27"))
    });
}

#[test]
fn slash_in_a_pane_finds_and_n_moves_between_matches() {
    let mut app = App::open(80, 24);
    app.wait_loaded();
    select(&mut app, "NCT05183427");
    app.send(ENTER);
    app.wait_text("1 Overview");
    app.send("/heart");
    app.wait_text("1/");
    app.send(ENTER);
    app.wait_text("\"heart\" 1/");
    app.send("n");
    app.wait_text("\"heart\" 2/");
    app.send("N");
    app.send("N");
    app.wait_for("the last match", |s| {
        s.contains("\"heart\"") && !s.contains("heart\" 1/") && !s.contains("heart\" 2/")
    });
    app.esc();
    app.wait_for("the find cleared", |s| !s.contains("\"heart\"") && s.contains("1 Overview"));
}

#[test]
fn b_bookmarks_a_study_and_the_bookmark_is_there_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let data_home = data.path().to_str().unwrap();
    let env = [("XDG_DATA_HOME", data_home)];
    let mut app = App::spawn_with(&["assets"], 120, 40, None, &env);
    let screen = app.wait_loaded();
    let first = screen
        .lines()
        .find(|l| l.starts_with("│NCT"))
        .and_then(|l| l.get(3..14))
        .expect("the first row's id")
        .to_string();
    app.send("b");
    let screen = app.wait_text(&format!("{first} bookmarked"));
    assert!(line_with(&screen, &format!("{first}*")).is_some(), "the row is marked:\n{screen}");
    assert!(screen.contains("* bookmarked"), "the study's title says so:\n{screen}");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    let saved = std::fs::read_to_string(data.path().join("nct").join("bookmarks.toml")).unwrap();
    assert!(saved.contains(&format!("[{first}]")), "{saved}");

    let mut again = App::spawn_with(&["assets"], 120, 40, None, &env);
    let screen = again.wait_loaded();
    assert!(line_with(&screen, &format!("{first}*")).is_some(), "still marked:\n{screen}");
    again.send("b");
    again.wait_text("bookmark removed");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
    let saved = std::fs::read_to_string(data.path().join("nct").join("bookmarks.toml")).unwrap();
    assert!(!saved.contains(&first), "{saved}");
}

#[test]
fn a_note_written_in_the_app_is_there_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let data_home = data.path().to_str().unwrap();
    let env = [("XDG_DATA_HOME", data_home)];
    let mut app = App::spawn_with(&["assets"], 120, 40, None, &env);
    app.wait_loaded();
    select(&mut app, "NCT05183427");
    app.send("a");
    app.wait_text("Note on NCT05183427");
    app.send("PI says cohort 2 full\rask about prior biologics");
    app.wait_text("ask about prior biologics");
    // Esc with changes asks before anything is thrown away.
    app.esc();
    app.wait_text("Discard the changes?");
    app.send("n");
    app.wait_text("Ctrl-s save");
    app.send("\x13"); // Ctrl-s
    let screen = app.wait_text("Note on NCT05183427 saved");
    assert!(screen.contains("Your note"), "{screen}");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    let saved =
        std::fs::read_to_string(data.path().join("nct").join("notes").join("NCT05183427.md")).unwrap();
    assert_eq!(saved, "PI says cohort 2 full\nask about prior biologics\n");

    let mut again = App::spawn_with(&["assets"], 120, 40, None, &env);
    again.wait_loaded();
    select(&mut again, "NCT05183427");
    let screen = again.wait_text("Your note");
    assert!(screen.contains("PI says cohort 2 full"), "{screen}");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

#[test]
fn results_open_a_measure_and_scroll_its_table_sideways() {
    let mut app = App::open(80, 24);
    app.wait_loaded();
    select(&mut app, "NCT04720193");
    app.send(ENTER);
    app.send("3");
    app.wait_text("▸ Participant flow");
    // The cursor starts on the first part: two parts down (baseline, then over the blank line
    // and the heading of the measures, where it does not stop) is the first measure, and Enter
    // opens it.
    app.send("jj");
    app.send(ENTER);
    app.send(&"j".repeat(20));
    let open = app.wait_text("80.2 (72.6 to 87.1)");
    assert!(open.contains("Median (95% Confidence Interval)"), "{open}");
    assert!(open.contains("Placebo"), "{open}");
    // l moves the tables a group column to the right: Placebo's column gives way.
    app.send("l");
    let moved = app.wait_text("◂ 1 more");
    let row = line_with(&moved, "│hours").unwrap_or_default().to_owned();
    assert!(!row.contains("80.2") && row.contains("61.4 (55.0 to 68.3)"), "{moved}");
    // h comes back, and h again at the first column goes back to the list.
    app.send("h");
    app.wait_for("Placebo's column again", |s| line_with(s, "│hours").is_some_and(|l| l.contains("80.2")));
    app.send("h");
    app.wait_text("Studies 16/");
}

#[test]
fn query_history_is_there_after_a_restart() {
    let data = tempfile::tempdir().unwrap();
    let data_home = data.path().to_str().unwrap();
    let env = [("XDG_DATA_HOME", data_home)];
    let mut app = App::spawn_with(&["assets"], 120, 40, None, &env);
    app.wait_loaded();
    app.send("/status:completed");
    app.wait_text("status:completed");
    app.send(ENTER);
    app.wait_text(" of 27");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    let saved = std::fs::read_to_string(data.path().join("nct").join("history.toml")).unwrap();
    assert!(saved.contains("status:completed"), "{saved}");

    let mut again = App::spawn_with(&["assets"], 120, 40, None, &env);
    again.wait_loaded();
    again.send("/");
    again.send(UP);
    again.wait_text("status:completed");
    again.esc();
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

#[test]
fn a_save_cut_by_sigkill_leaves_the_last_saved_note_or_the_new_one_never_less() {
    let data = tempfile::tempdir().unwrap();
    let data_home = data.path().to_str().unwrap();
    let env = [("XDG_DATA_HOME", data_home)];
    let file = data.path().join("nct").join("notes").join("NCT05183427.md");
    let mut saved = String::new();
    for round in 0..4 {
        let mut app = App::spawn_with(&["assets"], 120, 40, None, &env);
        app.wait_loaded();
        select(&mut app, "NCT05183427");
        app.send("a");
        app.wait_text("Note on NCT05183427");
        let added = format!(" round {round} {}", "x".repeat(40));
        app.send(&added);
        app.wait_text(&format!("round {round}"));
        // Save and kill at once: the save may or may not have happened, but never half.
        app.send("\x13");
        std::thread::sleep(Duration::from_millis(2 * round));
        let killed = std::process::Command::new("kill")
            .args(["-KILL", &app.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(killed.success());
        app.wait_exit();
        let now = std::fs::read_to_string(&file).unwrap_or_default();
        let new = format!("{}{added}\n", saved.trim_end());
        assert!(now == saved || now == new, "round {round}: the note is neither the old one nor the new one");
        saved = now;
        let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap())
            .map(|d| {
                d.flatten().map(|e| e.file_name()).filter(|n| n.to_string_lossy().contains(".tmp-")).collect()
            })
            .unwrap_or_default();
        // A temporary file may be left by each kill, but it is never what is read as the note.
        assert!(leftovers.len() <= usize::try_from(round).unwrap() + 1, "{leftovers:?}");
    }
}

/// A config folder holding `config.toml` with `text`, for `XDG_CONFIG_HOME`.
fn config_home(text: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("nct");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("config.toml"), text).unwrap();
    home
}

#[test]
fn the_theme_and_colours_in_the_settings_colour_the_app_and_no_color_still_wins() {
    let config =
        config_home("theme = \"light\"\n[colors]\nstatus_recruiting = \"#00af5f\"\nkey = \"bluish\"\n");
    let env = [("XDG_CONFIG_HOME", config.path().to_str().unwrap())];
    let app = App::spawn_with(&["assets"], 120, 40, None, &env);
    app.wait_loaded();
    let recruiting = colours_of(&app, "RECR");
    assert!(recruiting.iter().all(|(fg, _)| *fg == vt100::Color::Rgb(0, 0xaf, 0x5f)), "{recruiting:?}");
    // The light theme's keys are magenta, and a colour it cannot read is said with its line.
    let hint = colours_of(&app, "?");
    assert_eq!(hint[0].0, vt100::Color::Idx(5), "{hint:?}");
    app.wait_text("config.toml:4:");

    for (no_color, text) in [(Some("1"), "theme = \"light\"\n"), (None, "theme = \"mono\"\n")] {
        let config = config_home(text);
        let env = [("XDG_CONFIG_HOME", config.path().to_str().unwrap())];
        let plain = App::spawn_with(&["assets"], 120, 40, no_color, &env);
        plain.wait_loaded();
        let recruiting = colours_of(&plain, "RECR");
        assert!(recruiting.iter().all(|(fg, _)| *fg == vt100::Color::Default), "{text}: {recruiting:?}");
    }
}

#[test]
fn keys_remapped_in_the_settings_work_and_the_help_and_hints_follow() {
    let config =
        config_home("[keys]\nnext = [\"j\", \"down\", \"ctrl-n\"]\ntoggle_help = \"f1\"\nquit = \"Q\"\n");
    let env = [("XDG_CONFIG_HOME", config.path().to_str().unwrap())];
    let mut app = App::spawn_with(&["assets"], 120, 40, None, &env);
    let screen = app.wait_loaded();
    assert!(line_with(&screen, " nct ").is_some_and(|l| l.contains("F1 help  Q quit")), "{screen}");
    app.send("\x0e"); // Ctrl-n
    app.wait_text("Studies 2/");
    app.send("?");
    app.send("q");
    app.send("\x1bOP"); // F1
    let help = app.wait_text("Keys (Esc or F1 to close)");
    assert!(line_with(&help, "next study, site or line").is_some_and(|l| l.contains("j ↓ Ctrl-n")), "{help}");
    assert!(line_with(&help, "this help").is_some_and(|l| l.contains("F1")), "{help}");
    app.esc();
    app.wait_for("help to close", |s| !s.contains("Keys (Esc"));
    app.send("Q");
    assert_eq!(app.wait_exit(), 0);
}

#[test]
fn b_and_h_list_the_bookmarks_and_the_recently_viewed_absent_ones_dim() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("nct");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("bookmarks.toml"),
        "[NCT05183427]\nadded = \"2026-11-01\"\ntitle = \"Torvasiran\"\n\n\
         [NCT09999999]\nadded = \"2026-10-30\"\ntitle = \"Statins After Stroke\"\n",
    )
    .unwrap();
    let env = [("XDG_DATA_HOME", data.path().to_str().unwrap())];
    let mut app = App::spawn_with(&["assets"], 120, 40, None, &env);
    app.wait_loaded();
    app.send("B");
    let view = app.wait_text("Bookmarks 1/2 (1 not loaded)");
    assert!(line_with(&view, "NCT05183427*").is_some(), "{view}");
    assert!(line_with(&view, "NCT09999999*not loaded Statins After Stroke").is_some(), "{view}");
    app.send("j");
    app.wait_text("NCT09999999 is not in the loaded inputs.");
    app.send(ENTER);
    app.wait_text("Saved title: Statins After Stroke");
    app.esc();
    app.esc();
    app.wait_for("every study again", |s| s.contains("Studies ") && !s.contains("Bookmarks"));

    // Opened studies are listed newest first, across a restart.
    select(&mut app, "NCT04120381");
    app.send(ENTER);
    app.esc();
    app.send("g");
    app.send(ENTER);
    app.esc();
    app.wait_text("Studies 1/");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    let mut again = App::spawn_with(&["assets"], 120, 40, None, &env);
    again.wait_loaded();
    again.send("H");
    let recent = again.wait_text("Recently viewed 1/2");
    let rows: Vec<&str> = recent.lines().filter(|l| l.starts_with("│NCT")).collect();
    assert!(rows[0].contains("NCT01447732") && rows[1].contains("NCT04120381"), "{recent}");
    again.send("H");
    again.wait_text("Studies 1/");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

/// The NCT ids of the list's rows on screen, top to bottom.
fn listed_ids(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter(|l| l.starts_with("│NCT"))
        .filter_map(|l| l.get(3..14))
        .map(str::to_string)
        .collect()
}

#[test]
fn two_apps_bookmarking_opening_and_writing_notes_at_once_lose_nothing() {
    let data = tempfile::tempdir().unwrap();
    let env = [("XDG_DATA_HOME", data.path().to_str().unwrap())];
    let mut one = App::spawn_with(&["assets"], 120, 40, None, &env);
    let mut two = App::spawn_with(&["assets"], 120, 40, None, &env);
    let ids = listed_ids(&one.wait_loaded());
    two.wait_loaded();
    assert_eq!(ids.len(), 27);
    // The first five studies in one window, the last five in the other, each bookmarked, opened
    // (which adds it to the history) and left: keys sent to both before either is waited for, so
    // both processes re-read and replace the same files at the same time.
    one.send(&"b\rhj".repeat(5));
    two.send("G");
    two.send(&"b\rhk".repeat(5));
    one.wait_text("Studies 6/27");
    two.wait_text("Studies 22/27");
    // A note each, on different studies, saved at once.
    one.send("a");
    two.send("a");
    one.wait_text(&format!("Note on {}", ids[5]));
    two.wait_text(&format!("Note on {}", ids[21]));
    one.send("written in window one");
    two.send("written in window two");
    one.wait_text("written in window one");
    two.wait_text("written in window two");
    one.send("\x13");
    two.send("\x13");
    one.wait_text("saved");
    two.wait_text("saved");
    for app in [&mut one, &mut two] {
        app.send("q");
        assert_eq!(app.wait_exit(), 0);
    }

    let nct = data.path().join("nct");
    let both: Vec<&String> = ids[..5].iter().chain(&ids[22..]).collect();
    let bookmarks = std::fs::read_to_string(nct.join("bookmarks.toml")).unwrap();
    let history = std::fs::read_to_string(nct.join("history.toml")).unwrap();
    for id in &both {
        assert!(bookmarks.contains(&format!("[{id}]")), "{id} lost from the bookmarks:\n{bookmarks}");
        assert!(history.contains(&format!("\"{id}\"")), "{id} lost from the history:\n{history}");
    }
    assert_eq!(bookmarks.matches("added = ").count(), 10, "{bookmarks}");
    let note = |id: &str| std::fs::read_to_string(nct.join("notes").join(format!("{id}.md"))).unwrap();
    assert_eq!(note(&ids[5]), "written in window one\n");
    assert_eq!(note(&ids[21]), "written in window two\n");

    // A third window sees all of it.
    let mut three = App::spawn_with(&["assets"], 120, 40, None, &env);
    three.wait_loaded();
    three.send("B");
    three.wait_text("Bookmarks 1/10 ");
    three.send("H");
    three.wait_text("Recently viewed 1/10 ");
    three.send("q");
    assert_eq!(three.wait_exit(), 0);
}

#[test]
fn a_note_that_is_not_text_is_reported_by_name_kept_aside_and_the_app_goes_on() {
    let data = tempfile::tempdir().unwrap();
    let notes = data.path().join("nct").join("notes");
    std::fs::create_dir_all(&notes).unwrap();
    let damaged: &[u8] = b"PI says cohort 2 \xff\xfe full";
    std::fs::write(notes.join("NCT05183427.md"), damaged).unwrap();
    std::fs::write(notes.join("NCT01447732.md"), "a readable note\n").unwrap();
    let env = [("XDG_DATA_HOME", data.path().to_str().unwrap())];
    let mut app = App::spawn_with(&["assets"], 120, 40, None, &env);
    app.wait_loaded();
    app.wait_text("notes/NCT05183427.md is not UTF-8 text; kept as notes/NCT05183427.md.corrupt-");
    let aside: Vec<std::path::PathBuf> = std::fs::read_dir(&notes)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("NCT05183427.md.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(!notes.join("NCT05183427.md").exists());
    assert_eq!(std::fs::read(&aside[0]).unwrap(), damaged, "kept as it was");

    // The other note still shows; the study whose note was set aside can have a new one.
    let first = app.wait_text("Your note");
    assert!(first.contains("a readable note"), "{first}");
    select(&mut app, "NCT05183427");
    app.wait_for("no note on the study", |s| s.contains("Torvasiran") && !s.contains("Your note"));
    app.send("a");
    app.wait_text("Note on NCT05183427");
    app.send("a fresh note");
    app.wait_text("a fresh note");
    app.send("\x13");
    app.wait_text("Note on NCT05183427 saved");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    assert_eq!(std::fs::read_to_string(notes.join("NCT05183427.md")).unwrap(), "a fresh note\n");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), damaged, "never overwritten");
}

/// Studies written for a test: a JSON array of `ids`, as the website's download holds them, each
/// titled by the drug of its number (NCT00000002: heparin).
fn studies_json(ids: &[&str]) -> String {
    const DRUGS: [&str; 5] = ["placebo", "aspirin", "heparin", "warfarin", "insulin"];
    let studies: Vec<String> = ids
        .iter()
        .map(|id| {
            let drug = id.get(3..).and_then(|n| n.parse::<usize>().ok()).and_then(|n| DRUGS.get(n)).unwrap();
            format!(
                r#"{{"protocolSection": {{"identificationModule": {{"nctId": "{id}", "briefTitle": "Study of {drug}"}},
                   "statusModule": {{"overallStatus": "RECRUITING"}}}}}}"#
            )
        })
        .collect();
    format!("[{}]\n", studies.join(",\n"))
}

/// Opens the export line and types `name` over the name it offers.
fn export_to(app: &mut App, name: &str) {
    app.send("x");
    app.wait_text("Export to: nct-export.csv");
    app.send(&"\x7f".repeat("nct-export.csv".len()));
    app.wait_for("the name cleared", |s| !s.contains("nct-export.csv"));
    app.send(name);
    app.wait_text(&format!("Export to: {name}"));
    app.send(ENTER);
}

#[test]
fn x_over_an_existing_file_asks_n_keeps_it_and_y_replaces_it_saying_where() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("studies.json"), studies_json(&["NCT00000001", "NCT00000002"])).unwrap();
    let report = dir.path().join("reports.csv");
    let theirs = b"a report of the user's own\r\n\xff kept byte for byte\n";
    std::fs::write(&report, theirs).unwrap();
    let mut app = App::spawn_in(dir.path(), &["studies.json"], 120, 30, None, &[]);
    app.wait_loaded();

    export_to(&mut app, "reports.csv");
    let screen = app.wait_text("reports.csv exists: replace it? y/n");
    assert!(line_with(&screen, "replace it?").unwrap().starts_with("reports.csv exists"), "{screen}");
    app.send("n");
    app.wait_text("Not exported: reports.csv left as it was");
    assert_eq!(std::fs::read(&report).unwrap(), theirs);
    export_to(&mut app, "reports.csv");
    app.wait_text("reports.csv exists: replace it? y/n");
    app.esc();
    app.wait_text("Not exported: reports.csv left as it was");
    assert_eq!(std::fs::read(&report).unwrap(), theirs);

    export_to(&mut app, "reports.csv");
    app.wait_text("reports.csv exists: replace it? y/n");
    app.send("y");
    let absolute = std::fs::canonicalize(dir.path()).unwrap().join("reports.csv");
    let said = format!("Exported 2 studies to {}", absolute.display());
    let screen = app.wait_text(&said);
    assert!(absolute.is_absolute(), "{screen}");
    let written = std::fs::read_to_string(&report).unwrap();
    assert!(written.starts_with("NCT Number,") && written.contains("NCT00000002"), "{written}");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
}

#[test]
fn x_aimed_at_a_loaded_input_refuses_and_leaves_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("studies.json");
    let bytes = studies_json(&["NCT00000001", "NCT00000002", "NCT00000003"]);
    std::fs::write(&input, &bytes).unwrap();
    std::fs::create_dir(dir.path().join("more")).unwrap();
    std::fs::write(dir.path().join("more").join("one.json"), studies_json(&["NCT00000004"])).unwrap();
    let mut app = App::spawn_in(dir.path(), &["studies.json", "more"], 120, 30, None, &[]);
    app.wait_loaded();
    // Narrowed to one study, as when a search result was exported over its input.
    app.send("/");
    app.send("heparin");
    app.wait_text("1/1");
    app.send(ENTER);
    for name in ["studies.json", "more/one.json"] {
        export_to(&mut app, name);
        let said =
            format!("{name} is one of the loaded inputs; nct will not write over it. Name another file.");
        let screen = app.wait_text(&said);
        assert!(
            screen.contains(&format!("Export to: {name}")),
            "the line stays open with the name: {screen}"
        );
        app.esc();
        app.wait_for("the line closed", |s| !s.contains("Export to:"));
    }
    assert_eq!(std::fs::read_to_string(&input).unwrap(), bytes);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("more").join("one.json")).unwrap(),
        studies_json(&["NCT00000004"])
    );
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
}

/// `study` from the bundled assets into `folder`, its status `status` (the assets' record is
/// withdrawn).
fn write_study(folder: &Path, id: &str, status: &str) {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let text = std::fs::read_to_string(assets.join(format!("{id}.json"))).unwrap();
    let text = text.replace("\"overallStatus\": \"WITHDRAWN\"", &format!("\"overallStatus\": \"{status}\""));
    std::fs::write(folder.join(format!("{id}.json")), text).unwrap();
}

#[test]
fn a_bookmarked_study_that_changed_is_marked_and_says_what_changed_since_last_looked() {
    let home = tempfile::tempdir().unwrap();
    let studies = home.path().join("studies");
    std::fs::create_dir(&studies).unwrap();
    write_study(&studies, "NCT02871650", "WITHDRAWN");
    write_study(&studies, "NCT04120381", "RECRUITING");
    let data_home = home.path().join("data");
    let env = [("XDG_DATA_HOME", data_home.to_str().unwrap())];
    let args = [studies.to_str().unwrap()];

    // Bookmarked while looking at it: the record as seen is kept.
    let mut app = App::spawn_with(&args, 120, 40, None, &env);
    app.wait_loaded();
    app.send("j");
    app.wait_for("the second study open", |s| s.contains("NCT04120381 · Recruiting"));
    app.send("b");
    app.wait_text("NCT04120381 bookmarked");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    let copy = data_home.join("nct").join("seen").join("NCT04120381.json");
    assert!(std::fs::read_to_string(&copy).unwrap().contains("\"overallStatus\":\"RECRUITING\""));

    // The registry moved on: withdrawn now. The list marks it; opening it says what changed.
    write_study(&studies, "NCT04120381", "WITHDRAWN");
    let mut again = App::spawn_with(&args, 120, 40, None, &env);
    let screen = again.wait_for("the mark", |s| s.contains("NCT04120381Δ"));
    assert!(!screen.contains("Changed since you last looked"), "{screen}");
    again.send("j");
    let screen = again.wait_text("Changed since you last looked");
    assert!(screen.contains("status: RECRUITING → WITHDRAWN"), "{screen}");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
    assert!(std::fs::read_to_string(&copy).unwrap().contains("\"overallStatus\":\"WITHDRAWN\""));

    // Viewed, so the next start has nothing to say.
    let mut third = App::spawn_with(&args, 120, 40, None, &env);
    let screen = third.wait_loaded();
    assert!(line_with(&screen, "NCT04120381*").is_some(), "{screen}");
    third.send("j");
    let screen = third.wait_for("the study open", |s| s.contains("NCT04120381 · Withdrawn"));
    assert!(!screen.contains("Changed since") && !screen.contains("Δ"), "{screen}");
    third.send("q");
    assert_eq!(third.wait_exit(), 0);
}

#[test]
fn since_older_inputs_marks_new_and_changed_studies_and_changed_filters_them() {
    let home = tempfile::tempdir().unwrap();
    let (old, new) = (home.path().join("old"), home.path().join("new"));
    std::fs::create_dir(&old).unwrap();
    std::fs::create_dir(&new).unwrap();
    write_study(&old, "NCT04120381", "RECRUITING");
    write_study(&new, "NCT04120381", "WITHDRAWN");
    write_study(&new, "NCT02871650", "WITHDRAWN");
    let mut app = App::spawn(&[new.to_str().unwrap(), "--since", old.to_str().unwrap()], 120, 40, None);
    let screen = app.wait_for("the marks", |s| s.contains("1 added, 0 removed, 1 changed"));
    assert!(line_with(&screen, "NCT04120381Δ").is_some(), "{screen}");
    assert!(line_with(&screen, "NCT02871650+").is_some(), "{screen}");
    app.send("/changed:status\r");
    let screen = app.wait_for("the filter", |s| s.contains("Studies 1 of 2"));
    assert!(line_with(&screen, "NCT04120381Δ").is_some(), "{screen}");
    assert!(
        screen.contains("Changed since") && screen.contains("status: RECRUITING → WITHDRAWN"),
        "{screen}"
    );
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
}

/// Opens NCT04577316's Criteria pane and starts screening `patient`, waiting for the verdict.
fn start_screening(app: &mut App, patient: &str) -> String {
    select(app, "NCT04577316");
    app.send(ENTER);
    app.send("2");
    app.wait_text("5 inclusion · 5 exclusion criteria");
    app.send("m");
    app.wait_text("Patient:");
    app.send(patient);
    app.send(ENTER);
    app.wait_text(&format!("{patient} Inclusion "))
}

#[test]
fn a_screening_is_started_answered_resumed_after_a_restart_and_its_log_exported() {
    let data = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    let env = [("XDG_DATA_HOME", data.path().to_str().unwrap())];
    let args = [assets.to_str().unwrap()];
    let mut app = App::spawn_in(cwd.path(), &args, 120, 40, None, &env);
    app.wait_loaded();
    select(&mut app, "NCT04577316");
    app.send(ENTER);
    app.send("2");
    app.wait_text("5 inclusion · 5 exclusion criteria");
    // A name is refused, saying why.
    app.send("m");
    app.wait_text("Patient:");
    app.send("Jane Doe\r");
    app.wait_text("holds spaces, as a name would");
    app.esc();
    app.wait_text("No screening started");
    app.send("m");
    app.wait_text("Patient:");
    app.send("P-014\r");
    let screen = app.wait_text("P-014 Inclusion 0/5 met, 5 unknown · Exclusion 0 hit, 5 unknown →");
    assert!(screen.contains("possibly eligible"), "{screen}");
    // I1 met; its first sub-item not met; then a note on it (the cursor went on to I1.b).
    app.send("+");
    app.wait_text("P-014 Inclusion 1/5 met, 4 unknown");
    app.send("-");
    app.wait_for("I1.a not met", |s| line_with(s, "I1.a").is_some_and(|l| l.contains("✗  I1.a")));
    app.send("k");
    app.send("c");
    app.wait_text("Note on I1.a:");
    app.send("biopsy 2019\r");
    app.wait_text("note: biopsy 2019");
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
    let saved = std::fs::read_to_string(data.path().join("nct/screenings/NCT04577316/P-014.toml")).unwrap();
    assert!(saved.contains("patient = \"P-014\"") && saved.contains("note = \"biopsy 2019\""), "{saved}");

    // Resumed after a restart: the answers are back.
    let mut again = App::spawn_in(cwd.path(), &args, 120, 40, None, &env);
    again.wait_loaded();
    select(&mut again, "NCT04577316");
    again.send(ENTER);
    again.send("1");
    again.wait_text("Screenings: P-014 possibly eligible");
    again.send("2");
    again.wait_text("5 inclusion · 5 exclusion criteria");
    again.send("m");
    again.wait_text("Patient:");
    again.send("P-014\r");
    let screen = again.wait_text("Resumed P-014: 2 answered");
    assert!(screen.contains("P-014 Inclusion 1/5 met, 4 unknown"), "{screen}");
    assert!(line_with(&screen, "I1.a").is_some_and(|l| l.contains("✗  I1.a")), "{screen}");
    assert!(screen.contains("note: biopsy 2019"), "{screen}");
    // The list of screenings, and its log exported next to where nct was started.
    again.esc();
    again.send("S");
    again.wait_text("Screenings (1)");
    again.send("x");
    again.wait_text("Export to: screening-log.csv");
    again.send(ENTER);
    again.wait_text("Screening log: 1 screening written to");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
    let log = std::fs::read_to_string(cwd.path().join("screening-log.csv")).unwrap();
    assert!(log.starts_with("Date,Patient,Study,Title,Verdict,Counts,Not met or unknown\n"), "{log}");
    assert!(log.contains(",P-014,NCT04577316,") && log.contains("possibly eligible"), "{log}");
}

#[test]
fn two_apps_screening_different_patients_of_one_study_at_once_lose_nothing() {
    let data = tempfile::tempdir().unwrap();
    let env = [("XDG_DATA_HOME", data.path().to_str().unwrap())];
    let mut one = App::spawn_with(&["assets"], 120, 40, None, &env);
    let mut two = App::spawn_with(&["assets"], 120, 40, None, &env);
    one.wait_loaded();
    two.wait_loaded();
    start_screening(&mut one, "P-1");
    start_screening(&mut two, "P-2");
    // Answers sent to both before either is waited for: both save at the same time.
    one.send("+-u0+");
    two.send("-+0u-");
    one.send("+-u0+");
    two.send("-+0u-");
    // Each window's verdict over its own ten answers (shown once they are saved).
    one.wait_text("P-1 Inclusion 2/4 met, 1 unknown");
    two.wait_text("P-2 Inclusion 1/4 met, 1 unknown");
    for app in [&mut one, &mut two] {
        app.send("q");
        assert_eq!(app.wait_exit(), 0);
    }
    let read = |patient: &str| {
        let file = data.path().join(format!("nct/screenings/NCT04577316/{patient}.toml"));
        let text = std::fs::read_to_string(file).unwrap();
        text.matches("answer = ").count()
    };
    assert_eq!((read("P-1"), read("P-2")), (10, 10), "every answer of both windows is saved");
    let (code, out) = {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_nct"))
            .args(["screenings", "--study", "NCT04577316", "--format", "json"])
            .env("XDG_DATA_HOME", data.path())
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    assert_eq!(code, Some(0));
    assert!(out.contains("\"patient\": \"P-1\"") && out.contains("\"patient\": \"P-2\""), "{out}");
}

/// `/` in the Sites pane opens the find line, and letters that are commands elsewhere (`B` the
/// bookmarks, `a` a note, `q` quit, `x` export, `s` sort) are typed into it; Enter keeps the
/// matches and `n` selects the next matching site. `f` then cycles the filter, the count line
/// saying how many sites are shown.
#[test]
fn slash_in_the_sites_pane_finds_sites_and_letters_typed_are_text() {
    let mut app = App::spawn(&["tests/fixtures/sites"], 80, 24, None);
    app.wait_for("the loaded list", |s| s.contains(" Studies 1/") && !s.contains("loading"));
    app.send(ENTER);
    app.send("4");
    app.wait_text("22 sites in 5 countries, 10 recruiting");
    app.send("/");
    app.wait_text("Find:");
    app.send("Baqxs");
    let screen = app.wait_text("Find: Baqxs");
    assert!(screen.contains("no match"), "{screen}");
    assert!(
        !screen.contains("Bookmarks") && !screen.contains("Export") && !screen.contains("sorted by"),
        "{screen}"
    );
    app.send(&"\x7f".repeat(4));
    app.send("altimore");
    let screen = app.wait_text("5 of 22 sites match");
    assert!(screen.contains("Find: Baltimore"), "{screen}");
    assert!(line_with(&screen, "Johns Hopkins Hospital").is_some_and(|l| l.contains('•')), "{screen}");
    assert!(line_with(&screen, "Site 2 of 22").is_some(), "the first match is selected:\n{screen}");
    app.send(ENTER);
    app.wait_text("\"Baltimore\" 1/5");
    app.send("n");
    let screen = app.wait_text("\"Baltimore\" 2/5");
    assert!(screen.contains("Site 4 of 22"), "n selects the next matching site:\n{screen}");
    app.send("n");
    // Towson's match is in a contact's email, shown in the details box.
    let screen = app.wait_text("\"Baltimore\" 3/5");
    assert!(screen.contains("trials@baltimore-heart.example.org"), "{screen}");
    app.esc();
    app.wait_for("the find cleared", |s| {
        !s.contains("\"Baltimore\"") && s.contains("22 sites in 5 countries")
    });
    app.send("f");
    let screen = app.wait_text("14 of 22 sites shown, recruiting or not yet");
    assert!(!screen.contains("Massachusetts General"), "a completed site is not shown:\n{screen}");
    app.send("f");
    app.wait_text("22 sites in 5 countries, 10 recruiting");
    // After all that typing the app is still open, on the same study.
    app.send("q");
    assert_eq!(app.wait_exit(), 0);
}
