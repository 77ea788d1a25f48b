//! The catalog cache as a user meets it through the real binary: `nct cache`, the cache line of
//! `nct check`, `nct show` answered from the cache without reading the other studies, and a
//! build killed midway that never leaves an entry that is used.

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
}
