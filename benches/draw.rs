//! Frame-time benchmark of the app (criterion): how long `nct::tui::view::view` takes to draw one
//! frame into a ratatui `TestBackend`, for every pane, the help overlay and a 100,000-study list,
//! and how long `update` takes to move the selection one step in that list (which reads the next
//! study again through its locator and builds its Overview: the real cost of pressing `j`).
//! The `filtered` group does the same with the list filtered by a query, whose words the panes
//! then mark, and times the marking of each text pane on its own (`update` does it once per
//! study, pane, width and filter).
//!
//!   cargo bench --bench draw                  all of it
//!   cargo bench --bench draw -- list-100k     only the benchmarks whose name contains this
//!
//! Every frame is a full redraw: the terminal's previous buffer is cleared (untimed) before each
//! timed frame, so every cell is diffed and written, as after opening another study. The goal
//! is 2 ms per frame (and per step of the selection) on the 2-core machine the app is built on.
//!
//! Times are wall-clock by default. On a shared machine, where other processes take the CPU
//! mid-frame, `NCT_BENCH_CLOCK=cpu` times the benchmark thread's CPU time instead (Linux:
//! `CLOCK_THREAD_CPUTIME_ID`), which leaves out the time spent waiting for a core.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use nct::catalog::{Catalog, Summary};
use nct::tui::action::{Action, Command};
use nct::tui::app::App;
use nct::tui::theme::Theme;
use nct::tui::update::update;
use nct::tui::view::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Size;
use tui_textarea::{Input, Key};

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;
/// The study with the most sites among the bundled ones (1,148).
const MANY_SITES: &str = "NCT05183427";
const LIST_LEN: usize = 100_000;

fn assets() -> Catalog {
    let catalog = Catalog::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")]);
    assert!(catalog.errors.is_empty(), "assets failed to load: {:?}", catalog.errors);
    catalog
}

/// An app over `catalog` at 120x40 (colours on, as most users see it), loading finished.
fn app_with(catalog: Catalog) -> App {
    let mut app = App::new("assets".into(), Size::new(WIDTH, HEIGHT), Theme { color: true });
    update(&mut app, Action::Finished(Box::new(catalog)));
    app
}

fn press(app: &mut App, commands: &[Command]) {
    for &command in commands {
        update(app, Action::Key(command));
    }
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap()
}

/// The clock the benchmarks read: wall time, or with `NCT_BENCH_CLOCK=cpu` this thread's CPU time.
#[derive(Clone, Copy)]
enum Clock {
    Wall(Instant),
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    Cpu,
}

impl Clock {
    fn get() -> Clock {
        static CLOCK: std::sync::OnceLock<Clock> = std::sync::OnceLock::new();
        *CLOCK.get_or_init(|| match std::env::var("NCT_BENCH_CLOCK").as_deref() {
            #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
            Ok("cpu") => Clock::Cpu,
            #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
            Ok("cpu") => panic!("NCT_BENCH_CLOCK=cpu is only supported on 64-bit Linux"),
            _ => Clock::Wall(Instant::now()),
        })
    }

    /// Time since an arbitrary origin, fixed for the run.
    fn now(self) -> Duration {
        match self {
            Clock::Wall(origin) => origin.elapsed(),
            #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
            Clock::Cpu => thread_cpu_time(),
        }
    }
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_cpu_time() -> Duration {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    // clock_gettime is in the C library std links; on 64-bit Linux `struct timespec` is two
    // 64-bit integers.
    unsafe extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: the signature above matches the C one, and `time` is a live, writable timespec.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(u64::try_from(time.tv_sec).unwrap(), u32::try_from(time.tv_nsec).unwrap())
}

/// Sums the time of `iters` runs of `timed`, each after an untimed `setup`.
fn timed_loop<S>(iters: u64, state: &mut S, setup: impl Fn(&mut S), timed: impl Fn(&mut S)) -> Duration {
    let clock = Clock::get();
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        setup(state);
        let start = clock.now();
        timed(state);
        total += clock.now().saturating_sub(start);
    }
    total
}

/// Times `iters` full redraws of `app`.
fn full_redraws(terminal: &mut Terminal<TestBackend>, app: &App, iters: u64) -> Duration {
    timed_loop(
        iters,
        terminal,
        |terminal| terminal.clear().unwrap(),
        |terminal| {
            terminal.draw(|frame| view(black_box(app), frame)).unwrap();
        },
    )
}

/// Overview, Criteria and Outcomes of every bundled study, each its own benchmark.
fn panes(c: &mut Criterion) {
    let catalog = assets();
    let ids: Vec<Box<str>> = catalog.studies.iter().map(|s| s.id.clone()).collect();
    let mut app = app_with(catalog);
    let mut terminal = terminal();
    for (name, pane) in
        [("overview", Command::Pane1), ("criteria", Command::Pane2), ("outcomes", Command::Pane3)]
    {
        let mut group = c.benchmark_group(name);
        for (index, id) in ids.iter().enumerate() {
            app.selected = index;
            // Opens the study and builds the pane's lines (update's work, not timed here).
            press(&mut app, &[Command::Open, pane]);
            assert_eq!(app.detail.as_ref().map(|d| &*d.id), Some(&**id));
            group.bench_function(BenchmarkId::from_parameter(id), |b| {
                b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters));
            });
        }
        group.finish();
    }
}

/// The Sites pane of the study with 1,148 sites, the selection half-way down the table.
fn sites(c: &mut Criterion) {
    let catalog = assets();
    let index = catalog.studies.iter().position(|s| &*s.id == MANY_SITES).unwrap();
    let mut app = app_with(catalog);
    app.selected = index;
    press(&mut app, &[Command::Open, Command::Pane4]);
    let detail = app.detail.as_mut().unwrap();
    let count = detail.sites.order.len();
    assert!(count > 1000, "{MANY_SITES} has {count} sites");
    detail.sites.move_by(isize::try_from(count / 2).unwrap(), 0);
    update(&mut app, Action::Tick);
    assert_eq!(app.detail.as_ref().unwrap().sites.selected, count / 2);
    let mut terminal = terminal();
    c.bench_function(&format!("sites/{MANY_SITES}"), |b| {
        b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters));
    });
}

/// The help overlay over the first study.
fn help(c: &mut Criterion) {
    let mut app = app_with(assets());
    press(&mut app, &[Command::ToggleHelp]);
    let mut terminal = terminal();
    c.bench_function("help", |b| b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters)));
}

const WORDS: &[&str] = &[
    "Randomized",
    "Trial",
    "of",
    "Adjuvant",
    "Pembrolizumab",
    "in",
    "Early-Stage",
    "Non-Small",
    "Cell",
    "Lung",
    "Cancer",
    "Versus",
    "Placebo",
    "Children",
    "With",
    "Type 1 Diabetes",
    "a",
    "Phase 2",
    "Open-Label",
    "Study",
    "北京协和医院",
    "Évaluation",
];

/// 100,000 summaries made from the bundled ones: ids NCT90000000 on, titles of varied length
/// and script. Their locators still point at the bundled files, so a moved selection reads a
/// real record again.
fn many(base: &[Summary]) -> Vec<Summary> {
    (0..LIST_LEN)
        .map(|i| {
            let mut summary = base[i % base.len()].clone();
            summary.id = format!("NCT9{i:07}").into();
            let words = 3 + i % 17;
            let title: Vec<&str> = (0..words).map(|w| WORDS[(i * 7 + w * 3) % WORDS.len()]).collect();
            summary.brief_title = if i % 5 == 0 {
                format!("{} ({i})", summary.brief_title).into()
            } else {
                title.join(" ").into()
            };
            summary
        })
        .collect()
}

fn list_100k(c: &mut Criterion) {
    let catalog = assets();
    let studies = many(&catalog.studies);
    let mut app = app_with(catalog);
    app.studies = studies;
    app.selected = LIST_LEN / 2;
    update(&mut app, Action::Tick);
    assert_eq!(app.detail.as_ref().map(|d| d.id.to_string()), Some(format!("NCT9{:07}", LIST_LEN / 2)));
    let mut terminal = terminal();
    let mut group = c.benchmark_group("list-100k");
    group.bench_function("draw", |b| b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters)));
    // One step down per iteration, from the middle on; back to the middle (untimed) near the end.
    group.bench_function("update-down", |b| {
        b.iter_custom(|iters| {
            timed_loop(
                iters,
                &mut app,
                |app| {
                    if app.selected + 2 >= app.studies.len() {
                        app.selected = LIST_LEN / 2;
                        update(app, Action::Tick);
                    }
                },
                |app| update(black_box(app), Action::Key(Command::Down)),
            )
        });
    });
    group.finish();
}

/// A query of common words, so that the panes have many to mark.
const QUERY: &str = "patients OR study OR heart OR treatment OR \"heart failure\"";

/// The panes of the study with the most sites, and a step down the list, with the list filtered
/// by `QUERY` (typed and entered as a user would).
fn filtered(c: &mut Criterion) {
    let mut app = app_with(assets());
    press(&mut app, &[Command::Search]);
    for c in QUERY.chars() {
        update(&mut app, Action::Edit(Input { key: Key::Char(c), ..Input::default() }));
    }
    update(&mut app, Action::Edit(Input { key: Key::Enter, ..Input::default() }));
    assert_eq!(app.filter.text, QUERY);
    let row = app.visible.iter().position(|&i| &*app.studies[i].id == MANY_SITES).unwrap();
    assert!(app.visible.len() > 2, "{} rows", app.visible.len());
    let mut terminal = terminal();
    let mut group = c.benchmark_group("filtered");
    for (name, pane) in [
        ("overview", Command::Pane1),
        ("criteria", Command::Pane2),
        ("outcomes", Command::Pane3),
        ("sites", Command::Pane4),
    ] {
        app.selected = row;
        press(&mut app, &[Command::Open, pane]);
        group.bench_function(name, |b| b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters)));
    }
    press(&mut app, &[Command::Pane1, Command::FocusList]);
    // What `update` adds when it builds a pane: marking the query's words in all its lines.
    let words = app.filter.words.clone();
    let detail = app.detail.as_ref().unwrap();
    for (name, document) in
        ["mark-overview", "mark-criteria", "mark-outcomes"].into_iter().zip(&detail.documents)
    {
        let lines = &document.as_ref().unwrap().lines;
        assert!(!words.in_lines(lines).is_empty(), "{name}: nothing to mark");
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                timed_loop(iters, &mut (), |_| {}, |_| drop(black_box(words.in_lines(lines))))
            })
        });
    }
    // Each step reads another study and builds (and marks) its Overview; round the filtered rows.
    group.bench_function("update-down", |b| {
        b.iter_custom(|iters| {
            timed_loop(
                iters,
                &mut app,
                |app| {
                    if app.selected + 1 >= app.visible.len() {
                        app.selected = 0;
                        update(app, Action::Tick);
                    }
                },
                |app| update(black_box(app), Action::Key(Command::Down)),
            )
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs: there are ~80 benchmarks, and the machine is shared (medians are what count).
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30);
    targets = panes, sites, help, list_100k, filtered
}
criterion_main!(benches);
