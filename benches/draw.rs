//! Frame-time benchmark of the app (criterion): how long `nct::tui::view::view` takes to draw one
//! frame into a ratatui `TestBackend`, for every pane, the help overlay and a 100,000-study list,
//! and how long `update` takes to move the selection one step in that list (which reads the next
//! study again through its locator and builds its Overview: the real cost of pressing `j`).
//! The `filtered` group does the same with the list filtered by a query, whose words the panes
//! then mark, and times the marking of each text pane on its own (`update` does it once per
//! study, pane, width and filter). The `results` group draws the Outcomes pane of a results
//! record generated larger than any real one (8 groups, 60 measures, 132 adverse-event terms).
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
use nct::tui::step;
use nct::tui::theme::Theme;
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
    step(&mut app, Action::Finished(Box::new(catalog)));
    app
}

fn press(app: &mut App, commands: &[Command]) {
    for &command in commands {
        step(app, Action::Key(command));
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
    step(&mut app, Action::Tick);
    assert_eq!(app.detail.as_ref().unwrap().sites.selected, count / 2);
    let mut terminal = terminal();
    c.bench_function(&format!("sites/{MANY_SITES}"), |b| {
        b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters));
    });
    // Finding in the sites: the matches marked on screen, found again as the state moves on.
    press(&mut app, &[Command::Search]);
    for c in "heart".chars() {
        step(
            &mut app,
            Action::Edit(tui_textarea::Input { key: tui_textarea::Key::Char(c), ..Default::default() }),
        );
    }
    assert!(app.find.as_ref().is_some_and(|f| f.matches.len() > 100));
    c.bench_function(&format!("sites/{MANY_SITES}/find"), |b| {
        b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters));
    });
    // Nearest first, with each site's distance.
    step(&mut app, Action::Edit(tui_textarea::Input { key: tui_textarea::Key::Esc, ..Default::default() }));
    app.near = Some(nct::study::geo::Area {
        center: nct::study::geo::GeoPoint { lat: 39.2904, lon: -76.6122 },
        radius_km: 80.0,
        unit: nct::study::geo::DistanceUnit::Miles,
        place: "Baltimore, Maryland, United States".into(),
    });
    step(&mut app, Action::Tick);
    assert_eq!(app.detail.as_ref().unwrap().sites.distances.len(), count);
    c.bench_function(&format!("sites/{MANY_SITES}/near"), |b| {
        b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters));
    });
}

/// Posted results larger than any real record: 8 groups, 60 outcome measures (each with two
/// classes of three categories and an analysis), 12 baseline measures, 3 flow periods and 132
/// adverse-event terms in 12 organ systems. Generated here, so no huge file is committed.
fn big_results_study() -> serde_json::Value {
    use serde_json::json;
    const GROUPS: usize = 8;
    let groups = |prefix: &str| -> Vec<serde_json::Value> {
        (0..GROUPS)
            .map(|g| json!({"id": format!("{prefix}{g:03}"), "title": format!("Arm {g}: zentravir {} mg twice daily", 25 * (g + 1))}))
            .collect()
    };
    let values = |prefix: &str, seed: usize| -> Vec<serde_json::Value> {
        (0..GROUPS)
            .map(|g| json!({"groupId": format!("{prefix}{g:03}"), "value": format!("{}.{}", 10 + (seed * 7 + g) % 90, g), "spread": format!("{}.{}", 1 + g % 5, seed % 10)}))
            .collect()
    };
    let counts = |prefix: &str| -> Vec<serde_json::Value> {
        (0..GROUPS)
            .map(|g| json!({"groupId": format!("{prefix}{g:03}"), "value": format!("{}", 180 + g)}))
            .collect()
    };
    let classes = |prefix: &str, seed: usize| -> Vec<serde_json::Value> {
        (0..2)
            .map(|c| {
                let categories: Vec<serde_json::Value> = (0..3)
                    .map(|k| json!({"title": format!("Category {k}"), "measurements": values(prefix, seed + c * 3 + k)}))
                    .collect();
                json!({"title": format!("Week {}", 4 * (c + 1)), "categories": categories})
            })
            .collect()
    };
    let measures: Vec<serde_json::Value> = (0..60)
        .map(|m| {
            json!({
                "type": if m < 4 { "PRIMARY" } else { "SECONDARY" },
                "title": format!("Change From Baseline in Symptom Score {m} at Weeks 4 and 8"),
                "description": "Symptom score from 0 (none) to 21 (worst), rated by the participant each day.",
                "populationDescription": "Participants with a baseline and at least one post-baseline score.",
                "paramType": "LEAST_SQUARES_MEAN", "dispersionType": "Standard Error", "unitOfMeasure": "score on a scale",
                "timeFrame": "Baseline, Weeks 4 and 8", "groups": groups("OG"),
                "denoms": [{"units": "Participants", "counts": counts("OG")}],
                "classes": classes("OG", m),
                "analyses": [{"groupIds": ["OG000", "OG001"], "statisticalMethod": "ANCOVA", "pValue": "0.012",
                    "paramType": "LS Mean Difference", "paramValue": "-1.4", "ciPctValue": "95", "ciNumSides": "TWO_SIDED",
                    "ciLowerLimit": "-2.5", "ciUpperLimit": "-0.3"}]
            })
        })
        .collect();
    let baseline: Vec<serde_json::Value> = (0..12)
        .map(|m| json!({"title": format!("Baseline measure {m}"), "paramType": "MEAN", "dispersionType": "STANDARD_DEVIATION",
            "unitOfMeasure": "units", "classes": classes("BG", m)}))
        .collect();
    let milestone = |kind: &str| json!({"type": kind, "achievements": (0..GROUPS).map(|g| json!({"groupId": format!("FG{g:03}"), "numSubjects": format!("{}", 200 - g)})).collect::<Vec<_>>()});
    let periods: Vec<serde_json::Value> = (0..3)
        .map(|p| json!({"title": format!("Period {p}"), "milestones": [milestone("STARTED"), milestone("COMPLETED"), milestone("NOT COMPLETED")],
            "dropWithdraws": [{"type": "Adverse Event", "reasons": (0..GROUPS).map(|g| json!({"groupId": format!("FG{g:03}"), "numSubjects": "2"})).collect::<Vec<_>>()}]}))
        .collect();
    let event = |t: usize| {
        json!({"term": format!("Event term {t}"), "organSystem": format!("Organ system {}", t % 12), "sourceVocabulary": "MedDRA 26.0",
            "assessmentType": "SYSTEMATIC_ASSESSMENT",
            "stats": (0..GROUPS).map(|g| json!({"groupId": format!("EG{g:03}"), "numEvents": t % 9 + g, "numAffected": t % 7 + g, "numAtRisk": 200 - g})).collect::<Vec<_>>()})
    };
    let event_groups: Vec<serde_json::Value> = (0..GROUPS)
        .map(|g| json!({"id": format!("EG{g:03}"), "title": format!("Arm {g}"), "seriousNumAffected": g, "seriousNumAtRisk": 200 - g,
            "otherNumAffected": 40 + g, "otherNumAtRisk": 200 - g, "deathsNumAffected": 0, "deathsNumAtRisk": 200 - g}))
        .collect();
    json!({
        "protocolSection": {"identificationModule": {"nctId": "NCT09999999", "briefTitle": "Generated results for the draw benchmark"},
            "statusModule": {"overallStatus": "COMPLETED", "resultsFirstPostDateStruct": {"date": "2024-01-02", "type": "ACTUAL"}}},
        "hasResults": true,
        "resultsSection": {
            "participantFlowModule": {"groups": groups("FG"), "periods": periods},
            "baselineCharacteristicsModule": {"groups": groups("BG"), "denoms": [{"units": "Participants", "counts": counts("BG")}], "measures": baseline},
            "outcomeMeasuresModule": {"outcomeMeasures": measures},
            "adverseEventsModule": {"timeFrame": "Up to week 8", "eventGroups": event_groups,
                "seriousEvents": (0..24).map(event).collect::<Vec<_>>(), "otherEvents": (24..132).map(event).collect::<Vec<_>>()},
            "moreInfoModule": {"limitationsAndCaveats": {"description": "Generated."}, "pointOfContact": {"title": "Nobody", "email": "n@example.org"}}
        }
    })
}

/// The Outcomes pane of the generated results study, every part open, drawn at the top, a
/// third and two thirds down (flow and baseline, outcome tables, adverse events), and
/// scrolled two group columns to the right; and `update`'s cost of opening every part.
fn results(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("NCT09999999.json");
    std::fs::write(&path, serde_json::to_vec(&big_results_study()).unwrap()).unwrap();
    let catalog = Catalog::load(&[path]);
    assert!(catalog.errors.is_empty(), "{:?}", catalog.errors);
    let mut group = c.benchmark_group("results");
    for (width, height) in [(80, 24), (WIDTH, HEIGHT)] {
        let mut app = App::new("bench".into(), Size::new(width, height), Theme { color: true });
        step(&mut app, Action::Finished(Box::new(Catalog::load(&[dir.path().join("NCT09999999.json")]))));
        press(&mut app, &[Command::Pane3, Command::FocusDetail]);
        group.bench_function(format!("open-all-update/{width}x{height}"), |b| {
            b.iter_custom(|iters| {
                timed_loop(
                    iters,
                    &mut app,
                    |app| {
                        if app.detail.as_ref().unwrap().outcomes.open.iter().any(|o| *o) {
                            step(app, Action::Key(Command::ToggleAllFolds));
                        }
                    },
                    |app| step(black_box(app), Action::Key(Command::ToggleAllFolds)),
                )
            });
        });
        // The frames below are of every part open, however many times the loop above toggled
        // (once in `cargo test --bench`, any number under `cargo bench`).
        if !app.detail.as_ref().unwrap().outcomes.open.iter().all(|o| *o) {
            step(&mut app, Action::Key(Command::ToggleAllFolds));
        }
        let lines = app.detail.as_ref().unwrap().pane_lines[2].as_ref().unwrap().lines.len();
        assert!(lines > 1500, "every part open: {lines} lines");
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        for (name, at, columns) in [
            ("top", 0, 0),
            ("third", lines / 3, 0),
            ("two-thirds", 2 * lines / 3, 0),
            ("right", lines / 3, 2),
        ] {
            let detail = app.detail.as_mut().unwrap();
            detail.outcomes.cursor = at;
            detail.scroll[2] = at;
            for _ in 0..columns {
                step(&mut app, Action::Key(Command::ColumnRight));
            }
            step(&mut app, Action::Tick);
            group.bench_function(format!("draw-{name}/{width}x{height}"), |b| {
                b.iter_custom(|iters| full_redraws(&mut terminal, &app, iters));
            });
        }
    }
    drop(catalog);
    group.finish();
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
    step(&mut app, Action::Tick);
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
                        step(app, Action::Tick);
                    }
                },
                |app| step(black_box(app), Action::Key(Command::Down)),
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
        step(&mut app, Action::Edit(Input { key: Key::Char(c), ..Input::default() }));
    }
    step(&mut app, Action::Edit(Input { key: Key::Enter, ..Input::default() }));
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
        ["mark-overview", "mark-criteria", "mark-outcomes"].into_iter().zip(&detail.pane_lines)
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
                        step(app, Action::Tick);
                    }
                },
                |app| step(black_box(app), Action::Key(Command::Down)),
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
    targets = panes, sites, help, list_100k, filtered, results
}
criterion_main!(benches);
