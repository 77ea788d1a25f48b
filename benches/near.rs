//! Distance search benchmark (issue 17): what the site index costs to build while loading, to
//! store and to decode from the cache, the memory it holds, and how long `near:` takes to answer
//! once the catalog is open, as the app asks it (the matches, then each one's nearest site).
//! Goals at 600k studies: `near:` <= 20 ms; the index <= 10% of the first open and <= 50 MB.
//!
//!   cargo bench --bench near                                  the bundled studies
//!   NCT_BENCH_CORPUS=target/bench/corpus-100000.zip cargo bench --bench near

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use nct::catalog::geo::{self, GeoBuilder};
use nct::catalog::{Catalog, Progress};
use nct::query::{Query, parse};

const RUNS: usize = 30;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time(label: &str, mut run: impl FnMut() -> usize) {
    let found = run();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{label:<52} {found:>7} found  p50 {:>7.2} ms  p99 {:>7.2} ms",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
    );
}

fn main() {
    let corpus = std::env::var("NCT_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets"));
    let started = Instant::now();
    let catalog = Catalog::load_indexed(std::slice::from_ref(&corpus), &Progress::default());
    let load = started.elapsed();
    println!(
        "{}: {} studies loaded with the full-text index in {:.2} s ({} cores)",
        corpus.display(),
        catalog.len(),
        load.as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |p| p.get())
    );
    // The index's share of that load: each study's sites collected (as the loader does, on one
    // thread here), then the gazetteer and grid built; the records are read again first, outside
    // the clock. `NCT_BENCH_ONLY_QUERIES=1` skips it.
    if std::env::var_os("NCT_BENCH_ONLY_QUERIES").is_none() {
        let builder = GeoBuilder::default();
        let mut collecting = Duration::ZERO;
        for (key, summary) in catalog.studies.iter().enumerate() {
            let study = nct::catalog::full_record(&summary.locator).unwrap();
            let started = Instant::now();
            builder.add(&study, key as u64);
            collecting += started.elapsed();
        }
        let places: std::collections::HashMap<u64, usize> =
            (0..catalog.len()).map(|k| (k as u64, k)).collect();
        let started = Instant::now();
        let built = builder.finish(&places);
        let finishing = started.elapsed();
        // The same sites and places (their order follows the order studies were parsed in).
        assert_eq!((built.sites(), built.places().len()), (catalog.geo.sites(), catalog.geo.places().len()));
        println!(
            "site index: collecting {:.0} ms (one thread) + building {:.0} ms = {:.1}% of the load",
            ms(collecting),
            ms(finishing),
            100.0 * (collecting + finishing).as_secs_f64() / load.as_secs_f64()
        );
    }
    let geo = &catalog.geo;
    let stored = postcard::to_allocvec(geo).unwrap();
    let started = Instant::now();
    let decoded: geo::Geo = postcard::from_bytes(&stored).unwrap();
    println!(
        "{} sites, {} places; memory {:.1} MB; in the cache {:.1} MB, decoded in {:.0} ms",
        geo.sites(),
        geo.places().len(),
        geo.heap_bytes() as f64 / 1e6,
        stored.len() as f64 / 1e6,
        ms(started.elapsed())
    );
    drop(decoded);
    // The places with the most sites: where `near:` has the most to look through.
    let mut busiest: Vec<&geo::Place> = geo.places().iter().collect();
    busiest.sort_by_key(|place| std::cmp::Reverse(place.sites));
    for place in busiest.iter().take(3) {
        let name = match (&place.state, &place.country) {
            (Some(state), _) => format!("{}, {state}", place.city),
            (None, Some(country)) => format!("{}, {country}", place.city),
            (None, None) => place.city.to_string(),
        };
        for radius in ["25mi", "50mi", "500km"] {
            for prefix in ["", "status:recruiting "] {
                let text = format!("{prefix}near:\"{name}\":{radius}");
                let Query::Expr(mut expr) = parse(&text).unwrap() else { unreachable!() };
                // As the app asks: the place resolved, the matches, then each one's nearest site.
                time(&text, || {
                    geo::resolve_places(&mut expr, geo).unwrap();
                    let (rows, shown) = nct::catalog::search_studies_near(
                        &catalog.studies,
                        Some(&catalog.columns),
                        None,
                        Some(geo),
                        &expr,
                    );
                    let (_, nearby) = shown.unwrap();
                    assert!(nearby.len() >= rows.len());
                    rows.len()
                });
            }
        }
    }
    let text = "near:40.0,-95.0:2000mi";
    let Query::Expr(expr) = parse(text).unwrap() else { unreachable!() };
    time(&format!("{text} (most of the United States)"), || {
        nct::catalog::search_studies(&catalog.studies, Some(&catalog.columns), None, Some(geo), &expr).len()
    });
}
