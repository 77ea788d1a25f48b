//! Search latency benchmark: how long a query takes once the catalog and its full-text index are
//! loaded (what the app's query line and a cached `nct search` pay), and how long one keystroke
//! in the app's query line takes (filter as you type, then the list and the selected study
//! refreshed: everything `update` does before the next frame).
//!
//!   cargo bench --bench search                       the bundled studies
//!   NCT_BENCH_CORPORA=a.zip,b.zip cargo bench --bench search
//!   benches/search.sh 10000 100000                   generated corpora, plus nct against rg
//!
//! `NCT_BENCH_QUERIES="q1;q2"` times those queries instead, `NCT_BENCH_EACH=1` prints each
//! query's own line (and each keystroke's), `NCT_BENCH_ROUNDS=N` types the keystroke queries N times (default 3),
//! `NCT_BENCH_ONLY_KEYS=1` skips the queries.
//!
//! For each corpus: p50, p99 and max over every run of every query of a kind (words, phrases,
//! filters, mixed), each query run `RUNS` times; then the keystrokes of typing a few queries
//! into the list's query line from empty, each one timed (the key's own update: what delays the
//! next frame: the query as typed, its last word a prefix through the index's dictionary, answered
//! by the same engine as `nct search`). "list complete" is the same figure now that nothing goes
//! on after the key (it was fuzzy matching a slice per frame). Goals (the search issue, at 100k
//! studies on 2 cores): queries p50 <= 10 ms and p99 <= 50 ms; a keystroke <= 16 ms (a frame).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use nct::catalog::{Catalog, Progress};
use nct::query::parse;
use nct::tui::action::{Action, Command};
use nct::tui::app::App;
use nct::tui::step;
use nct::tui::theme::Theme;
use ratatui::layout::Size;
use tui_textarea::{Input, Key};

/// The binary's allocator, with the options it has once the app has loaded (mimalloc's own):
/// what a keystroke costs depends on how freed memory is kept for reuse.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 20;

const QUERIES: [(&str, &[&str]); 4] = [
    (
        "words",
        &["cancer", "diabetes", "psoriasis", "vaccine", "asthma pain", "tokyo", "insulin", "heart failure"],
    ),
    ("phrases", &["\"breast cancer\"", "\"stem cells\"", "\"type 2 diabetes\"", "\"healthy volunteers\""]),
    (
        "filters",
        &[
            "status:recruiting",
            "phase:3",
            "age:45 sex:female",
            "start:>=2020",
            "country:france status:open",
            "type:observational results:yes",
        ],
    ),
    (
        "mixed",
        &[
            "cancer status:recruiting phase:2",
            "diabetes -insulin country:\"united states\"",
            "(asthma OR copd) age:<18",
            "sponsor:pfizer vaccine",
        ],
    ),
];

/// Typed into the list's query line one key at a time: words (each a prefix while typed), then a
/// query with a filter.
const TYPED: [&str; 3] = ["breast cancer", "diabetes", "cancer status:recruiting"];

fn corpora() -> Vec<PathBuf> {
    match std::env::var("NCT_BENCH_CORPORA") {
        Ok(list) if !list.trim().is_empty() => list.split(',').map(PathBuf::from).collect(),
        _ => vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")],
    }
}

fn percentiles(mut times: Vec<Duration>) -> String {
    if times.is_empty() {
        return "(no runs)".into();
    }
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "p50 {:7.3} ms  p99 {:7.3} ms  max {:7.3} ms  ({} runs)",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0)),
        times.len()
    )
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is read from the command line.
    for corpus in corpora() {
        let started = Instant::now();
        let catalog = Catalog::load_indexed(std::slice::from_ref(&corpus), &Progress::default());
        let loaded = started.elapsed();
        assert!(catalog.index.is_some(), "{:?}", catalog.index_error);
        println!(
            "{}: {} studies, loaded and indexed in {:.2} s",
            corpus.display(),
            catalog.len(),
            loaded.as_secs_f64()
        );
        // `NCT_BENCH_QUERIES="q1;q2"` times those instead of the built-in set.
        let custom: Vec<String> = std::env::var("NCT_BENCH_QUERIES")
            .map(|q| q.split(';').map(str::to_string).collect())
            .unwrap_or_default();
        let custom: Vec<&str> = custom.iter().map(String::as_str).collect();
        let kinds: Vec<(&str, &[&str])> =
            if custom.is_empty() { QUERIES.to_vec() } else { vec![("custom", custom.as_slice())] };
        for &(kind, queries) in kinds.iter().filter(|_| std::env::var_os("NCT_BENCH_ONLY_KEYS").is_none()) {
            let mut times = Vec::new();
            let mut hits = 0;
            for query in queries.iter() {
                let parsed = parse(query).unwrap();
                let mut own = Vec::new();
                for _ in 0..RUNS {
                    // Each run asks afresh: the index keeps its last answers for typing, which
                    // would make every run but the first a lookup.
                    if let Some(index) = &catalog.index {
                        index.forget_answers();
                    }
                    let started = Instant::now();
                    let found = catalog.search(&parsed);
                    own.push(started.elapsed());
                    hits = found.len().max(hits);
                }
                if std::env::var_os("NCT_BENCH_EACH").is_some() {
                    println!("    {query:40} {}", percentiles(own.clone()));
                }
                times.extend(own);
            }
            println!("  search {kind:8} {}  (most hits {hits})", percentiles(times));
        }
        keystrokes(catalog);
    }
}

fn keystrokes(catalog: Catalog) {
    let mut app = App::new("bench".into(), Size::new(120, 40), Theme { color: true });
    step(&mut app, Action::Finished(Box::new(catalog)));
    let (mut times, mut complete) = (Vec::new(), Vec::new());
    let rounds = std::env::var("NCT_BENCH_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    let each = std::env::var("NCT_BENCH_EACH").is_ok_and(|v| v == "1");
    for _ in 0..rounds {
        for text in TYPED {
            step(&mut app, Action::Key(Command::Search));
            for (at, c) in text.char_indices() {
                let started = Instant::now();
                step(&mut app, Action::Edit(Input { key: Key::Char(c), ..Input::default() }));
                times.push(started.elapsed());
                if each {
                    println!(
                        "    key {:?}: {:.2} ms",
                        &text[..at + c.len_utf8()],
                        started.elapsed().as_secs_f64() * 1e3
                    );
                }
                // The frames after it, until a large list is matched to the end.
                while app.matching_underway() {
                    step(&mut app, Action::Tick);
                }
                complete.push(started.elapsed());
            }
            // Esc clears the line and the filter, untimed.
            step(&mut app, Action::Edit(Input { key: Key::Esc, ..Input::default() }));
        }
    }
    println!("  keystroke       {}", percentiles(times));
    println!("  list complete   {}", percentiles(complete));
}
