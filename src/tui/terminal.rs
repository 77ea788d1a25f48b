//! Entering and leaving the full-screen terminal, and making sure it is left the way it was
//! found: on quit, on panic (the message is printed after restoring, and saved to a log file;
//! not for a panic caught inside the search index, which the app survives),
//! and on SIGTERM or SIGHUP (an SSH connection dropping).

use std::io::{self, Stdout, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal in raw mode on the alternate screen with mouse reporting.
pub fn enter() -> io::Result<Term> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture, cursor::Hide) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(stdout))
}

/// Leaves the alternate screen and raw mode; safe to call more than once.
pub fn restore() {
    let mut stdout = io::stdout();
    let _ = execute!(stdout, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// Where a panic's report is written.
pub fn panic_log_path() -> PathBuf {
    crate::user::cache_dir().unwrap_or_else(std::env::temp_dir).join("panic.log")
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Caught inside the search index and handled there: the app goes on, on its screen.
        if crate::catalog::panic_is_caught() {
            return;
        }
        restore();
        let log = panic_log_path();
        let report = format!("nct {} crashed: {info}\n", env!("CARGO_PKG_VERSION"));
        let saved = log.parent().is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
            && std::fs::write(&log, &report).is_ok();
        previous(info);
        if saved {
            eprintln!("nct: this is a bug; the report was saved to {}", log.display());
        }
    }));
}

/// A flag raised when the process is asked to stop (SIGTERM, SIGINT) or its terminal goes away
/// (SIGHUP: an SSH connection dropping), so the event loop can leave cleanly. If the loop has
/// not left shortly after (a terminal that vanished can keep the input reader from ever
/// returning), the terminal is restored here and the process exits.
pub fn stop_signals() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let signals = [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT];
    if let Ok(mut incoming) = signal_hook::iterator::Signals::new(signals) {
        let flag = flag.clone();
        std::thread::spawn(move || {
            if let Some(signal) = incoming.forever().next() {
                flag.store(true, Ordering::SeqCst);
                std::thread::sleep(GRACE);
                restore();
                std::process::exit(128 + signal);
            }
        });
    }
    flag
}

/// How long the event loop gets to leave by itself after a stop signal.
const GRACE: Duration = Duration::from_millis(400);

/// Puts `text` on the clipboard of the terminal the user sits at, through the OSC 52 escape
/// sequence, which terminals (and tmux with `set-clipboard on`) pass on even over SSH, where no
/// clipboard program could reach the user's machine.
pub fn copy_to_clipboard(text: &str) {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut stdout = io::stdout();
    let _ = write!(stdout, "\x1b]52;c;{encoded}\x07");
    let _ = stdout.flush();
}
