//! The catalog cache as a user meets it through the real binary: `nct cache`, the cache line of
//! `nct check`, `nct show` answered from the cache without reading the other studies, a build
//! killed midway that never leaves an entry that is used, and damage in any byte of an entry
//! found, said once, and never changing an answer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs nct with its own cache folder (XDG_CACHE_HOME) and `NCT_CACHE` as given.
fn nct(cache: &Path, policy: &str, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env("XDG_CACHE_HOME", cache)
        .env("NCT_CACHE", policy)
        .env("COLUMNS", "100")
        .output()
        .expect("run nct");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn copy_assets(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(ASSETS).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

fn line_of<'a>(text: &'a str, start: &str) -> &'a str {
    text.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("no {start} line in:\n{text}"))
}

#[test]
fn nct_cache_lists_and_clears_and_nct_check_says_how_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let studies = dir.path().join("studies");
    copy_assets(&studies);
    let input = studies.to_str().unwrap();

    let folder = nct(&cache, "auto", &["cache", "--path"]);
    assert_eq!(folder.stdout.trim(), cache.join("nct").join("catalogs").to_str().unwrap());

    let check = nct(&cache, "always", &["check", input]);
    assert_eq!(
        line_of(&check.stdout, "cache:"),
        "cache: none for these inputs (kept for 1,000 studies or more)"
    );
    assert_eq!(nct(&cache, "always", &["search", "cancer", input, "--format", "ids"]).code, 0);
    let check = nct(&cache, "always", &["check", input]);
    let line = line_of(&check.stdout, "cache:");
    assert!(line.contains(" MB, up to date (") || line.contains(" KB, up to date ("), "{line}");

    let listed = nct(&cache, "auto", &["cache"]);
    assert!(listed.stdout.contains(": 1 entry, "), "{}", listed.stdout);

    // A changed input: the entry is out of date until the next search.
    std::fs::remove_file(studies.join("NCT04415320.json")).unwrap();
    let check = nct(&cache, "always", &["check", input]);
    assert!(line_of(&check.stdout, "cache:").contains("out of date"), "{}", check.stdout);
    let json = nct(&cache, "always", &["check", input, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["cache"]["standing"], "stale");

    let cleared = nct(&cache, "auto", &["cache", "--clear"]);
    assert_eq!(cleared.code, 0);
    assert!(cleared.stdout.starts_with("removed 1 entry ("), "{}", cleared.stdout);
    assert!(nct(&cache, "auto", &["cache"]).stdout.contains(": 0 entries, "));
    let check = nct(&cache, "off", &["check", input]);
    assert_eq!(line_of(&check.stdout, "cache:"), "cache: off");
}

/// A zip of the bundled studies, stored (not deflated) so a test can find an entry's bytes.
fn zip_of_assets(path: &Path) -> Vec<(String, u64, u64)> {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut names: Vec<PathBuf> = std::fs::read_dir(ASSETS)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    for path in &names {
        zip.start_file(path.file_name().unwrap().to_str().unwrap(), options).unwrap();
        zip.write_all(&std::fs::read(path).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let entry = archive.by_index_raw(i).unwrap();
            (entry.name().unwrap().to_string(), entry.data_start().unwrap(), entry.compressed_size())
        })
        .collect()
}

#[test]
fn nct_show_answers_from_the_cache_without_reading_the_other_studies() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let zip = dir.path().join("ctg-studies.json.zip");
    let entries = zip_of_assets(&zip);
    let input = zip.to_str().unwrap();
    let fresh = nct(&cache, "always", &["show", "NCT04415320", input]);
    assert_eq!((fresh.code, fresh.stderr.as_str()), (0, ""));
    assert!(fresh.stdout.starts_with("NCT04415320 "), "{}", fresh.stdout);

    // Another study's bytes are spoiled in place, the zip's size, time and directory kept: a
    // reading of the whole zip would now fail on it, the cache's lookup never goes there.
    let (_, start, len) = entries.iter().find(|(name, ..)| name == "NCT02093468.json").unwrap().clone();
    let modified = std::fs::metadata(&zip).unwrap().modified().unwrap();
    let mut bytes = std::fs::read(&zip).unwrap();
    bytes[start as usize..(start + len) as usize].fill(b'#');
    std::fs::write(&zip, &bytes).unwrap();
    std::fs::File::options().write(true).open(&zip).unwrap().set_modified(modified).unwrap();
    let check = nct(&cache, "off", &["check", input]);
    assert!(
        check.stderr.contains("NCT02093468.json"),
        "the spoiled study fails a full read: {}",
        check.stderr
    );

    let cached = nct(&cache, "always", &["show", "nct04415320", input]);
    assert_eq!((cached.code, cached.stderr.as_str(), cached.stdout.as_str()), (0, "", fresh.stdout.as_str()));
    let json = nct(&cache, "always", &["show", "NCT04415320", input, "--format", "json"]);
    assert!(
        json.stdout.contains("\"nctId\": \"NCT04415320\"")
            || json.stdout.contains("\"nctId\":\"NCT04415320\"")
    );
    let missing = nct(&cache, "always", &["show", "NCT00000001", input]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("NCT00000001: not found among"), "{}", missing.stderr);
}

/// Studies enough to be over the size at which the index is built straight into the new cache
/// entry (16 MB): copies of the bundled study with 1,148 sites under new ids.
fn large_inputs(folder: &Path) {
    std::fs::create_dir_all(folder).unwrap();
    let template = std::fs::read_to_string(Path::new(ASSETS).join("NCT05183427.json")).unwrap();
    for n in 0..70 {
        let id = format!("NCT9{n:07}");
        std::fs::write(folder.join(format!("{id}.json")), template.replace("NCT05183427", &id)).unwrap();
    }
    copy_assets(folder);
}

#[test]
fn a_build_killed_midway_never_leaves_an_entry_that_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let studies = dir.path().join("studies");
    large_inputs(&studies);
    let input = studies.to_str().unwrap();
    let query = ["search", "cancer OR city:tokyo", input, "--format", "ids", "--limit", "0"];
    let truth = nct(&cache, "off", &query);
    assert_eq!(truth.code, 0, "{}", truth.stderr);
    assert!(truth.stdout.lines().count() > 3);

    // Killed at several moments of the build: reading, indexing, writing the entry.
    for delay in [50, 300, 900, 1800, 3000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nct"))
            .args(query)
            .env("XDG_CACHE_HOME", &cache)
            .env("NCT_CACHE", "always")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        let next = nct(&cache, "always", &query);
        assert_eq!(
            (next.stdout.as_str(), next.stderr.as_str()),
            (truth.stdout.as_str(), ""),
            "killed after {delay} ms"
        );
        let reused = nct(&cache, "always", &query);
        assert_eq!((reused.stdout.as_str(), reused.stderr.as_str()), (truth.stdout.as_str(), ""));
        std::fs::remove_dir_all(cache.join("nct").join("catalogs")).unwrap();
    }
}

#[test]
fn a_cached_search_answers_as_a_full_load_does() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let studies = dir.path().join("studies");
    copy_assets(&studies);
    let input = studies.to_str().unwrap();
    // The index alone answers the first ones (from the cache without decoding the catalog);
    // the filters need the summaries.
    let queries = [
        "cancer",
        "\"stem cells\"",
        "city:tokyo",
        "intr:pembrolizumab",
        "vaccines OR psoriasis -cancer",
        "nothingmatchesthis",
        "status:completed cancer",
        "phase:3",
        // Filters mixed with text the summaries cannot answer, negated, or nothing but filters:
        // answered from the cache keeping only the matching summaries.
        "city:tokyo OR phase:3",
        "-cancer phase:2",
        "country:\"united states\" status:completed",
        "status:recruiting psoriasis",
    ];
    for format in ["ids", "json", "table", "csv"] {
        for query in queries {
            let args = ["search", query, input, "--format", format, "--limit", "5"];
            let truth = nct(&cache, "off", &args);
            nct(&cache, "always", &args);
            let cached = nct(&cache, "always", &args);
            assert_eq!(
                (cached.code, cached.stdout.as_str(), cached.stderr.as_str()),
                (truth.code, truth.stdout.as_str(), truth.stderr.as_str()),
                "{query} as {format}"
            );
        }
    }
    for order in ["enrollment", "start", "id"] {
        for query in ["phase:3", "cancer OR status:completed", "city:tokyo OR phase:2"] {
            let args = ["search", query, input, "--format", "ids", "--sort", order];
            let truth = nct(&cache, "off", &args);
            let cached = nct(&cache, "always", &args);
            assert!(truth.stdout.lines().count() > 1, "{query}: {}", truth.stdout);
            assert_eq!(
                (cached.code, cached.stdout.as_str(), cached.stderr.as_str()),
                (truth.code, truth.stdout.as_str(), truth.stderr.as_str()),
                "{query} by {order}"
            );
        }
    }
}

/// The only entry in the cache folder.
fn the_entry(cache: &Path) -> PathBuf {
    let entries: Vec<PathBuf> = std::fs::read_dir(cache.join("nct").join("catalogs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().contains(".tmp-"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

/// Every kind of file an entry holds: `catalog.bin`, tantivy's files, the build number.
const KINDS: [&str; 10] = [
    "catalog.bin",
    "meta.json",
    ".managed.json",
    "nct-build",
    ".term",
    ".idx",
    ".pos",
    ".fieldnorm",
    ".fast",
    ".store",
];

/// The entry's file of `kind` (the first segment's, for a segment file).
fn file_of_kind(entry: &Path, kind: &str) -> PathBuf {
    if kind == "catalog.bin" {
        return entry.join(kind);
    }
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(entry.join("index")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            if kind.starts_with('.') && kind != ".managed.json" { name.ends_with(kind) } else { name == kind }
        })
        .unwrap_or_else(|| panic!("no {kind} file in {}", entry.display()))
}

fn flip(file: &Path, at: usize) {
    let mut bytes = std::fs::read(file).unwrap();
    bytes[at] ^= 0xff;
    std::fs::write(file, &bytes).unwrap();
}

/// Where to flip a byte, as a share of the file's length (an entry rebuilt has other segment
/// files, of other lengths): the first, the middle, the last, and every `1/steps` between.
fn places(steps: usize) -> Vec<(usize, usize)> {
    let mut at: Vec<(usize, usize)> = (1..steps).map(|k| (k, steps)).collect();
    at.extend([(0, 1), (1, 2), (1, 1)]);
    at
}

#[test]
fn every_damaged_byte_range_of_an_entry_is_found_and_the_answers_stay_a_fresh_build_s() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let studies = dir.path().join("studies");
    copy_assets(&studies);
    let input = studies.to_str().unwrap();
    // Answered by the index alone (ids, then shown studies), by one study's part of the entry,
    // by every summary with the index's blocks verified as read (filters), and by a full load
    // (every study listed), which verifies every block.
    let questions: [&[&str]; 6] = [
        &["search", "cancer", input, "--format", "ids"],
        &["search", "\"stem cells\" OR city:tokyo", input, "--limit", "5"],
        &["show", "NCT04415320", input],
        &["search", "status:completed cancer", input, "--format", "json"],
        &["search", "intr:pembrolizumab OR psoriasis", input, "--format", "ids"],
        &["search", "", input, "--format", "ids"],
    ];
    let truths: Vec<Run> = questions.iter().map(|args| nct(&cache, "off", args)).collect();
    for (truth, args) in truths.iter().zip(&questions) {
        assert!(!truth.stdout.is_empty() && truth.stderr.is_empty(), "{args:?}: {}", truth.stderr);
    }
    // How many of the questions said the cache was damaged (naming `named`), each answering as
    // a fresh build does.
    let ask_all = |what: &str, named: &str| -> usize {
        let mut said = 0;
        for (truth, args) in truths.iter().zip(&questions) {
            let run = nct(&cache, "always", args);
            assert_eq!(
                (run.code, run.stdout.as_str()),
                (truth.code, truth.stdout.as_str()),
                "{what}: {args:?}"
            );
            if !run.stderr.is_empty() {
                said += 1;
                assert!(
                    run.stderr.starts_with("nct: the catalog cache was damaged (")
                        && run.stderr.ends_with("); it was rebuilt from the inputs\n")
                        && run.stderr.lines().count() == 1
                        && run.stderr.contains(named),
                    "{what}: {args:?}: {}",
                    run.stderr
                );
            }
        }
        said
    };
    assert_eq!(ask_all("building the entry", ""), 0);
    let verified = nct(&cache, "always", &["cache", "--verify"]);
    assert!(verified.stdout.ends_with("  ok\n") && verified.code == 0, "{}", verified.stdout);

    let mut flips = 0;
    for kind in KINDS {
        // catalog.bin has the most parts: the studies' chunks, the table, the ids, the lists.
        let steps = if kind == "catalog.bin" { 3 } else { 1 };
        for (share, of) in places(steps) {
            // Each flip on an entry as built (the last flip's run rebuilt it, file names anew).
            let file = file_of_kind(&the_entry(&cache), kind);
            let len = std::fs::metadata(&file).unwrap().len() as usize;
            let at = (len * share / of).min(len - 1);
            let what = format!("{kind} byte {at} of {len}");
            flip(&file, at);
            flips += 1;
            let named = if kind == "catalog.bin" { kind } else { kind.trim_start_matches('.') };
            if (share, of) == (1, 2) {
                // Said by `nct check` and by `nct cache --verify`, alternately: damaged, which
                // file, removed; the next questions rebuild it without a word.
                let (by, run) = if flips % 2 == 0 {
                    ("check", nct(&cache, "always", &["check", input]))
                } else {
                    ("verify", nct(&cache, "always", &["cache", "--verify", input]))
                };
                let said = if by == "check" {
                    line_of(&run.stdout, "cache:").to_string()
                } else {
                    run.stdout.clone()
                };
                assert!(
                    said.contains("damaged (") && said.contains(named) && said.contains("removed"),
                    "{what}: {said}"
                );
                // `nct check`'s status is about the inputs, which all loaded.
                assert_eq!(run.code, if by == "check" { 0 } else { 1 }, "{what}: {by}");
                assert_eq!(ask_all(&what, ""), 0, "{what}: removed by {by}, rebuilt quietly");
                continue;
            }
            assert_eq!(ask_all(&what, named), 1, "{what}: the damage is said once");
            // The rebuilt entry is used without a word (a full load, which verifies it all).
            let next = nct(&cache, "always", questions[3]);
            assert_eq!(
                (next.stdout.as_str(), next.stderr.as_str()),
                (truths[3].stdout.as_str(), ""),
                "{what}"
            );
        }
    }
    assert_eq!(flips, 3 * KINDS.len() + 2);

    // A segment file cut short (what makes tantivy panic when it is not caught first) and one
    // missing: the same answers, said once.
    for (what, kind) in [("cut short", ".pos"), ("missing", ".term")] {
        let file = file_of_kind(&the_entry(&cache), kind);
        match what {
            "missing" => std::fs::remove_file(&file).unwrap(),
            _ => {
                let bytes = std::fs::read(&file).unwrap();
                std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
            }
        }
        assert_eq!(ask_all(&format!("{kind} {what}"), kind.trim_start_matches('.')), 1, "{kind} {what}");
    }
}
