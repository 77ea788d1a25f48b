//! Fuzzing in `cargo test`: each parser's target from `examples/fuzz` run for a fixed, seeded
//! number of executions (about a second each in a debug build), so that a parser that starts
//! panicking on what the mutator makes of the project's fixtures fails the build. The long run
//! is `benches/fuzz.sh`. The runner itself is tested here too, on parsers made to fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "../examples/fuzz/runner.rs"]
mod runner;
#[path = "../examples/fuzz/targets.rs"]
mod targets;

use std::path::PathBuf;
use std::time::Duration;

use runner::{Config, Report, Target};

fn config(runs: u64) -> Config {
    Config {
        seed: 1,
        runs,
        // Debug builds on a shared machine: only a hang in the making is this slow.
        slow: Duration::from_secs(10),
        crash_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes"),
        max_failures: 5,
        progress: None,
        current: None,
        verbose: false,
    }
}

/// Runs a target and fails with what it found: where each failing input is saved, and the
/// command that replays it.
fn fuzz(name: &str, runs: u64) -> Report {
    let target = targets::find(name).unwrap();
    let report = runner::run(target, &config(runs));
    assert!(
        report.failures.is_empty(),
        "fuzzing {} ({}) found failures:\n{}\nreplay with `cargo run --example fuzz -- --target {name} --replay FILE`",
        name,
        target.about,
        report.summary()
    );
    assert_eq!(report.execs, runs);
    // Mutation reached more than one path: a runner stuck on its seeds would pass vacuously.
    assert!(report.outcomes >= 5, "only {} outcomes: {}", report.outcomes, report.summary());
    report
}

#[test]
fn study_json() {
    fuzz("study", 2_000);
}

#[test]
fn documents() {
    fuzz("documents", 2_500);
}

#[test]
fn text_export() {
    fuzz("export", 4_000);
}

#[test]
fn zip() {
    fuzz("zip", 1_000);
}

#[test]
fn query() {
    fuzz("query", 3_000);
}

#[test]
fn markup() {
    fuzz("markup", 800);
}

#[test]
fn eligibility() {
    fuzz("eligibility", 400);
}

#[test]
fn thresholds() {
    fuzz("thresholds", 2_000);
}

#[test]
fn every_target_is_run_here_and_in_the_readme() {
    let source = include_str!("fuzz.rs");
    let readme = include_str!("../README.md");
    for target in targets::TARGETS {
        let name = target.name;
        assert!(source.contains(&format!("fuzz(\"{name}\", ")), "{name} is not fuzzed in cargo test");
        assert!(readme.contains(&format!("| `{name}` |")), "README.md's table of fuzz targets lacks {name}");
    }
}

// --- the runner ------------------------------------------------------------------------------

/// A parser with a bug: it panics on `{[`, on another thread as the loaders' rayon work does.
fn buggy(input: &[u8]) -> String {
    use rayon::prelude::*;
    let bad = input.windows(2).any(|w| w == b"{[");
    (0..4).into_par_iter().for_each(|i| {
        if bad && i == 3 {
            panic!("found the bug");
        }
    });
    format!("len {}", input.len().min(20))
}

fn buggy_seeds() -> Vec<Vec<u8>> {
    vec![b"abc".to_vec(), b"xyz[".to_vec()]
}

const BUGGY: Target = Target {
    name: "buggy",
    about: "a parser made to panic",
    max_len: 64,
    tokens: &[b"{", b"}", b"[", b"]"],
    seeds: buggy_seeds,
    exec: buggy,
    special: None,
};

#[test]
fn a_panic_is_caught_and_its_input_saved() {
    let mut config = config(20_000);
    config.crash_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-runner-test");
    let report = runner::run(&BUGGY, &config);
    assert_eq!(report.failures.len(), 1, "{}", report.summary());
    let failure = &report.failures[0];
    assert_eq!(failure.kind, "panic");
    assert_eq!(failure.message, "found the bug");
    assert!(failure.place.starts_with("tests/fuzz.rs:"), "{}", failure.place);
    assert!(failure.saved.starts_with(config.crash_dir.join("buggy")));
    let saved = std::fs::read(&failure.saved).unwrap();
    assert!(saved.windows(2).any(|w| w == b"{["), "{:?}", saved.escape_ascii().to_string());
    // The run goes on past a crash (each place is reported once).
    assert_eq!(report.execs, 20_000);
    assert!(report.summary().contains(&failure.saved.display().to_string()));

    let small = runner::minimize(&BUGGY, &saved);
    assert_eq!(small, b"{[");
}

fn sleepy(input: &[u8]) -> String {
    if input.contains(&b'z') {
        std::thread::sleep(Duration::from_millis(30));
    }
    String::new()
}

fn sleepy_seeds() -> Vec<Vec<u8>> {
    vec![b"a".to_vec()]
}

#[test]
fn a_slow_execution_is_a_failure() {
    let target = Target { name: "sleepy", seeds: sleepy_seeds, exec: sleepy, tokens: &[b"z"], ..BUGGY };
    let mut config = config(2_000);
    config.slow = Duration::from_millis(20);
    config.crash_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-runner-test");
    config.max_failures = 1;
    let report = runner::run(&target, &config);
    assert_eq!(report.failures.len(), 1, "{}", report.summary());
    assert_eq!(report.failures[0].kind, "slow");
    assert!(std::fs::read(&report.failures[0].saved).unwrap().contains(&b'z'));
}

#[test]
fn a_seed_replays_the_same_run() {
    let target = targets::find("query").unwrap();
    let (a, b) = (runner::run(target, &config(300)), runner::run(target, &config(300)));
    assert_eq!((a.corpus, a.outcomes), (b.corpus, b.outcomes));
}
