//! The interactive app, in The Elm Architecture: `App` holds all state as plain data, `Action`
//! is everything that can happen, `update` is the only place state changes (returning the
//! effects it wants done, which `effects` performs and reports back as actions), and `view`
//! draws from the state without doing I/O. `keymap` turns key and mouse events into actions; loading
//! runs on another thread and reports in as actions, so the list appears at once and fills.

pub mod action;
pub mod app;
pub mod detail;
pub mod effects;
pub mod highlight;
pub mod keymap;
pub mod layout;
pub mod list_rows;
pub mod list_view;
pub mod navigate;
pub mod panes;
pub mod query_line;
pub mod search;
pub mod settings;
pub mod terminal;
#[cfg(test)]
pub(crate) mod test_app;
pub mod theme;
pub mod update;
pub mod view;

pub use effects::step;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crossterm::event::{self, Event};
use ratatui::layout::Size;

use action::Action;
use app::{App, Loading};

use crate::catalog::cache::{self, Cache};
use crate::catalog::{Catalog, Progress};

/// How often the screen is redrawn while loading, and how long to wait for input otherwise.
const TICK: Duration = Duration::from_millis(100);
/// While loading: studies arriving show within a frame (the cache hands out the first ones in
/// milliseconds).
const LOADING_TICK: Duration = Duration::from_millis(16);

/// "assets/" for one input, "3 inputs" for more.
pub fn inputs_label(paths: &[PathBuf]) -> String {
    match paths {
        [one] => one.display().to_string(),
        many => format!("{} inputs", many.len()),
    }
}

/// Gives the app the user's notes, query history and bookmarks from the data folder; returns
/// what to tell the user about them (a damaged file moved aside).
fn open_user_files(app: &mut App) -> Vec<String> {
    use crate::user::{self, bookmarks::Bookmarks, history::History, notes::Notes};
    let mut problems = Vec::new();
    app.notes = user::notes_dir().map(|folder| Notes::new(&folder));
    app.seen = user::seen_dir().map(|folder| user::seen::SeenCopies::new(&folder));
    app.screenings = user::screenings_dir().map(|folder| user::screenings::Screenings::new(&folder));
    if let Some(store) = &app.screenings {
        // For the studies' Overviews; a file that cannot be read is said, the others are listed.
        let (log, unreadable) = store.all();
        app.screening_log = log;
        problems.extend(unreadable);
    }
    if let Some(notes) = &app.notes {
        let (texts, unreadable) = notes.all();
        app.note_texts = texts;
        problems.extend(unreadable);
    }
    if let Some(file) = user::history_file() {
        let history = History::new(&file);
        let (entries, problem) = history.load();
        app.viewed = update::recently_viewed(&entries);
        app.history = entries.queries;
        app.history_file = Some(history);
        problems.extend(problem);
    }
    if let Some(file) = user::profiles::profiles_file() {
        let (profiles, problem) = user::profiles::load(&file);
        app.profiles = profiles;
        app.profiles_file = Some(file);
        problems.extend(problem);
    }
    if let Some(file) = user::bookmarks_file() {
        let (bookmarks, problem) = Bookmarks::load(&file);
        app.bookmarks = bookmarks;
        problems.extend(problem);
    }
    problems
}

/// Runs the app until the user quits. Returns the exit status. `once_loaded` is called once
/// the inputs are loaded and indexed, from this thread (the binary tunes its allocator there:
/// loading wants memory given back at once, typing wants it kept for reuse).
pub fn run(
    paths: Vec<PathBuf>,
    since: Option<PathBuf>,
    loaded: crate::user::config::Loaded,
    once_loaded: fn(),
) -> std::io::Result<u8> {
    let stop = terminal::stop_signals();
    let started = std::time::Instant::now();
    let progress = Arc::new(Progress::streaming());
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(Catalog, cache::Outcome)>();
    {
        let progress = progress.clone();
        let paths = paths.clone();
        std::thread::spawn(move || {
            let loaded = cache::load(&paths, &progress, Cache::from_env().as_ref());
            let _ = done_tx.send(loaded);
        });
    }
    let mut term = terminal::enter()?;
    let size = term.size().unwrap_or(Size::new(80, 24));
    let config = &loaded.config;
    let color_allowed = config.color != crate::user::config::ColorChoice::Never && !theme::no_color_env();
    let own = settings::read(&config.app);
    let palette = theme::Palette::from_settings(own.theme, &own.colors, color_allowed);
    let mut app = App::new(inputs_label(&paths), size, palette);
    app.inputs = paths;
    app.since_input = since;
    app.dates = config.date_format;
    app.keymap = own.keys;
    // Said once loading has finished, after what it says.
    let mut notices: Vec<String> = loaded.warnings;
    notices.extend(open_user_files(&mut app));
    let result = (|| -> std::io::Result<()> {
        // Drawn only when something changed: an idle app costs nothing.
        let mut dirty = true;
        loop {
            if dirty {
                term.draw(|frame| view::view(&app, frame))?;
                dirty = false;
            }
            if let Some(text) = app.clipboard.take() {
                terminal::copy_to_clipboard(&text);
            }
            // Lets the tests prove that a panic leaves the terminal restored (debug builds only).
            #[cfg(debug_assertions)]
            if std::env::var_os("NCT_DEBUG_PANIC").is_some() {
                panic!("NCT_DEBUG_PANIC is set: a deliberate panic to test terminal restoration");
            }
            if app.quit || stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            if app.loading.is_some() {
                dirty = true;
                let finished = done_rx.try_recv().ok();
                // Everything handed out before the end is taken first: a catalog read from the
                // cache comes without its studies, which all went through `fresh`.
                let (restart, batch) = progress.take_fresh();
                step(
                    &mut app,
                    Action::Loaded {
                        restart,
                        batch,
                        progress: Loading {
                            studies: progress.studies.load(Ordering::Relaxed),
                            errors: progress.errors.load(Ordering::Relaxed),
                            expected: progress.expected.load(Ordering::Relaxed),
                            bytes: progress.bytes.load(Ordering::Relaxed),
                            expected_bytes: progress.expected_bytes.load(Ordering::Relaxed),
                            elapsed: started.elapsed(),
                        },
                    },
                );
                if let Some((catalog, outcome)) = finished {
                    step(&mut app, Action::Finished(Box::new(catalog)));
                    once_loaded();
                    for notice in notices.drain(..).chain(outcome.problem()) {
                        step(&mut app, Action::Notice(notice));
                    }
                    continue;
                }
            }
            // Fuzzy matching of a large list goes on a slice per frame, keys read in between.
            let wait = if app.matching_underway() {
                step(&mut app, Action::Tick);
                dirty = true;
                std::time::Duration::ZERO
            } else if app.loading.is_some() {
                LOADING_TICK
            } else {
                TICK
            };
            if !event::poll(wait)? {
                continue;
            }
            // Handle everything queued before drawing again, so held keys never lag behind.
            loop {
                let action = match event::read()? {
                    Event::Key(key) => keymap::action_for_key(&app, &key),
                    Event::Mouse(mouse) => keymap::action_for_mouse(&mouse),
                    Event::Resize(w, h) => Some(Action::Resize(w, h)),
                    _ => None,
                };
                if let Some(action) = action {
                    step(&mut app, action);
                    dirty = true;
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
    })();
    terminal::restore();
    result?;
    Ok(0)
}
