//! Facet counting benchmark: how long the counts of every facet take over a whole catalog and
//! over a 10,000-study result set, as `nct facets` computes them and as the app's `F` panel
//! does (the counts laid out as the panel's rows). Goals (issue 14, at 100k studies on 2 cores):
//! the whole set <= 100 ms, a 10k-study result <= 20 ms.
//!
//!   cargo bench --bench facets                          the bundled studies
//!   NCT_BENCH_CORPUS=target/bench/dir-100000 cargo bench --bench facets
//!   benches/facets.sh 100000                            generated corpus, plus the whole
//!                                                       `nct facets ''` process against jq

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use nct::catalog::Catalog;
use nct::catalog::facets::{self, Facet};
use nct::tui::panes::facets::FacetsPanel;

const RUNS: usize = 30;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn time(label: &str, mut run: impl FnMut()) {
    run();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label:<44} p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(times[times.len() - 1])
    );
}

fn main() {
    let corpus = std::env::var("NCT_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets"));
    let started = Instant::now();
    let catalog = Catalog::load(std::slice::from_ref(&corpus));
    let n = catalog.studies.len();
    println!(
        "{}: {n} studies loaded in {:.1} s ({} cores)",
        corpus.display(),
        started.elapsed().as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );
    let all: Vec<usize> = (0..n).collect();
    // A 10,000-study result spread over the catalog, as a query's matches are.
    let step = (n / 10_000).max(1);
    let some: Vec<usize> = (0..n).step_by(step).take(10_000).collect();
    time(&format!("every facet, whole set ({n})"), || {
        std::hint::black_box(facets::count(&catalog.columns, &all, &Facet::ALL));
    });
    time(&format!("every facet, a result of {}", some.len()), || {
        std::hint::black_box(facets::count(&catalog.columns, &some, &Facet::ALL));
    });
    time(&format!("app panel (counts and rows), whole set ({n})"), || {
        std::hint::black_box(FacetsPanel::new(&catalog.columns, &all));
    });
    time(&format!("app panel, a result of {}", some.len()), || {
        std::hint::black_box(FacetsPanel::new(&catalog.columns, &some));
    });
    time(&format!("status only, whole set ({n})"), || {
        std::hint::black_box(facets::count(&catalog.columns, &all, &[Facet::Status]));
    });
    std::mem::forget(catalog);
}
