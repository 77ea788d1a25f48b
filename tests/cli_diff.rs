//! `nct diff OLD NEW` as scripts call it: the real binary on snapshot pairs made here by the
//! project's generator (`examples/gen-corpus`, its `--edits` pair), whose truth file says what
//! was edited; the diff must report exactly that, in every format. Also: unchanged studies are
//! never read again when the cache knows their fingerprints, `--query`, the exit statuses (0 the
//! same, 1 different, 2 trouble) and the messages for inputs that cannot be compared.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
// The generator's modules, compiled into this test: it uses only what a pair needs.
#![allow(dead_code)]

#[path = "../examples/gen-corpus/generator.rs"]
mod generator;
#[path = "../examples/gen-corpus/grow.rs"]
mod grow;
#[path = "../examples/gen-corpus/json.rs"]
mod json;
#[path = "../examples/gen-corpus/output.rs"]
mod output;
#[path = "../examples/gen-corpus/pair.rs"]
mod pair;
#[path = "../examples/gen-corpus/prose.rs"]
mod prose;
#[path = "../examples/gen-corpus/results.rs"]
mod results;
#[path = "../examples/gen-corpus/rng.rs"]
mod rng;
#[path = "../examples/gen-corpus/sites.rs"]
mod sites;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use output::Layout;
use serde_json::{Value, json};

const ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");

const KINDS: [&str; 13] = [
    "status",
    "start_date",
    "primary_completion_date",
    "completion_date",
    "enrollment",
    "results_posted",
    "sites",
    "eligibility",
    "outcomes",
    "arms",
    "interventions",
    "sponsor",
    "other",
];

struct Pair {
    dir: tempfile::TempDir,
    old: PathBuf,
    new: PathBuf,
    truth: Value,
}

/// A pair of `count` studies with `edits` edited, written by the generator (seed 7).
fn pair(count: u64, edits: u64, layout: Layout) -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let templates = generator::load_templates(Path::new(ASSETS)).unwrap();
    let generator = generator::Generator::new(templates, 7);
    let out = dir.path().join("pair");
    pair::write(&generator, count, edits, layout, &out).unwrap();
    let (old, new) = pair::paths(&out, layout);
    let truth = serde_json::from_str(&std::fs::read_to_string(out.join("truth.json")).unwrap()).unwrap();
    Pair { dir, old, new, truth }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// `nct diff` with its own empty cache and user folders under `home`.
fn diff(home: &Path, cache: &str, args: &[&Path], extra: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .arg("diff")
        .args(args)
        .args(extra)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .env("NCT_CACHE", cache)
        .output()
        .expect("run nct");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn diff_pair(pair: &Pair, cache: &str, extra: &[&str]) -> Run {
    diff(pair.dir.path(), cache, &[&pair.old, &pair.new], extra)
}

/// Each changed study's changes as a set, without what the truth does not state: the words of a
/// text diff, and the thresholds read from it (the edits add none, but what `threshold::find`
/// reads is another part's to test).
fn changes_by_study(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|study| {
            let changes = study["changes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|change| {
                    let mut change = change.clone();
                    for derived in ["words", "thresholds_removed", "thresholds_added"] {
                        change.as_object_mut().unwrap().remove(derived);
                    }
                    change.to_string()
                })
                .collect();
            (study["id"].as_str().unwrap().to_owned(), changes)
        })
        .collect()
}

fn ids(report: &Value, key: &str) -> Vec<String> {
    report[key].as_array().unwrap().iter().map(|id| id.as_str().unwrap().to_owned()).collect()
}

#[test]
fn json_reports_exactly_the_truth_with_every_kind() {
    let pair = pair(120, 26, Layout::Zip);
    let kinds: BTreeSet<&str> = pair.truth["changed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, KINDS.into_iter().collect(), "the pair holds an edit of every kind");
    let run = diff_pair(&pair, "off", &["--format", "json"]);
    assert_eq!(run.code, 1, "differences: {}", run.stderr);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(ids(&report, "added"), ids(&pair.truth, "added"));
    assert_eq!(ids(&report, "removed"), ids(&pair.truth, "removed"));
    assert_eq!(ids(&report, "removed").len(), 2);
    assert_eq!(changes_by_study(&report), changes_by_study(&pair.truth));
    // Ids in order, and nothing but the contract's keys at the top.
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["added", "changed", "removed"]);
    // The criteria's word diff says what was added.
    let eligibility = report["changed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["changes"].as_array().unwrap())
        .find(|c| c["kind"] == "eligibility")
        .unwrap();
    let added: Vec<&Value> =
        eligibility["words"].as_array().unwrap().iter().filter(|w| w.get("added").is_some()).collect();
    assert_eq!(added.len(), 1, "{eligibility}");
    assert!(added[0]["added"].as_str().unwrap().contains("Able to keep a symptom diary"));
}

#[test]
fn text_markdown_and_csv_report_the_same_changes() {
    let pair = pair(60, 26, Layout::Dir);
    let truth = changes_by_study(&pair.truth);
    let (added, removed) = (ids(&pair.truth, "added"), ids(&pair.truth, "removed"));

    let text = diff_pair(&pair, "off", &[]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    let first = text.stdout.lines().next().unwrap();
    assert_eq!(first, format!("{} added, {} removed, {} changed", added.len(), removed.len(), truth.len()));
    for id in &added {
        assert!(text.stdout.contains(&format!("\nadded {id}\n")), "{}", text.stdout);
    }
    for id in &removed {
        assert!(text.stdout.contains(&format!("\nremoved {id}\n")), "{}", text.stdout);
    }
    // A line per change, under its study, starting with the kind as a reader names it.
    let mut study = String::new();
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.stdout.lines().skip(1) {
        if let Some(change) = line.strip_prefix("  ") {
            seen.entry(study.clone()).or_default().push(change.to_owned());
        } else if line.starts_with("NCT") && line.contains(" · ") {
            study = line.split(' ').next().unwrap().to_owned();
        }
    }
    assert_eq!(seen.keys().cloned().collect::<Vec<_>>(), truth.keys().cloned().collect::<Vec<_>>());
    let lines: Vec<&String> = seen.values().flatten().collect();
    for label in [
        "status: ",
        "start date: ",
        "primary completion date: ",
        "completion date: ",
        "enrollment: ",
        "results first posted: (none) → 2026-11-20 (actual)",
        "sites: ",
        "eligibility: eligibilityCriteria: ",
        "outcomes: primaryOutcomes[0].timeFrame: ",
        "arms: armGroups[0].description: ",
        "interventions: interventions: added Symptom diary (edit ",
        "sponsor: collaborators: added Diff Edit Foundation ",
        "other: briefTitle: ",
    ] {
        assert!(lines.iter().any(|l| l.starts_with(label)), "no line {label:?} in {lines:#?}");
    }
    assert!(lines.iter().any(|l| l.contains("(why stopped: The sponsor stopped the study")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("(3 months later)")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("(2 months earlier)")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("{+* Able to keep a symptom diary")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("added Diff Edit Hospital ")), "{lines:#?}");

    let markdown = diff_pair(&pair, "off", &["--format", "markdown"]);
    assert_eq!(markdown.code, 1);
    assert!(markdown.stdout.starts_with("# What changed\n\n"), "{}", markdown.stdout);
    for id in truth.keys() {
        assert!(markdown.stdout.contains(&format!("\n### {id} · ")), "{id}");
    }
    assert!(markdown.stdout.contains("*** Able to keep a symptom diary"), "{}", markdown.stdout);

    let csv = diff_pair(&pair, "off", &["--format", "csv"]);
    assert_eq!(csv.code, 1);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "change", "kind", "path", "from", "to", "detail"]
    );
    let mut rows: BTreeSet<(String, String, String, String)> = BTreeSet::new();
    for row in reader.records() {
        let row = row.unwrap();
        rows.insert((row[0].into(), row[1].into(), row[2].into(), row[3].into()));
        if row[2] == *"other" {
            assert!(row[5].ends_with(" (revised)"), "text as it is: {:?}", &row[5]);
        }
    }
    let mut expected: BTreeSet<(String, String, String, String)> = BTreeSet::new();
    for id in &added {
        expected.insert((id.clone(), "added".into(), String::new(), String::new()));
    }
    for id in &removed {
        expected.insert((id.clone(), "removed".into(), String::new(), String::new()));
    }
    for study in pair.truth["changed"].as_array().unwrap() {
        for change in study["changes"].as_array().unwrap() {
            expected.insert((
                study["id"].as_str().unwrap().into(),
                "changed".into(),
                change["kind"].as_str().unwrap().into(),
                change["path"].as_str().unwrap().into(),
            ));
        }
    }
    assert_eq!(rows, expected);
}

#[test]
fn the_same_download_twice_is_no_difference() {
    let pair = pair(30, 0, Layout::Ndjson);
    let run = diff_pair(&pair, "off", &[]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "0 added, 0 removed, 0 changed\n"), "{}", run.stderr);
    let json = diff_pair(&pair, "off", &["--format", "json"]);
    assert_eq!(json.code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&json.stdout).unwrap(),
        json!({"added": [], "removed": [], "changed": []})
    );
}

#[test]
fn with_the_cache_unchanged_studies_are_never_read_again() {
    let pair = pair(40, 4, Layout::Dir);
    let changed: BTreeSet<String> = changes_by_study(&pair.truth).into_keys().collect();
    // Both sides opened once, so that the cache knows every study's fingerprint.
    for side in [&pair.old, &pair.new] {
        let opened = diff(pair.dir.path(), "always", &[side, side], &[]);
        assert_eq!(opened.code, 0, "{}", opened.stderr);
    }
    // An unchanged study's file in OLD spoilt behind the cache's back (same size, same time).
    let spoilt = std::fs::read_dir(&pair.old)
        .unwrap()
        .flat_map(|folder| std::fs::read_dir(folder.unwrap().path()).unwrap())
        .map(|file| file.unwrap().path())
        .find(|file| {
            let id = file.file_stem().unwrap().to_string_lossy().into_owned();
            !changed.contains(&id) && !ids(&pair.truth, "removed").contains(&id)
        })
        .unwrap();
    let modified = std::fs::metadata(&spoilt).unwrap().modified().unwrap();
    let length = std::fs::metadata(&spoilt).unwrap().len() as usize;
    std::fs::write(&spoilt, "x".repeat(length)).unwrap();
    std::fs::File::options().write(true).open(&spoilt).unwrap().set_modified(modified).unwrap();

    let cached = diff_pair(&pair, "always", &["--format", "json"]);
    assert_eq!(cached.code, 1, "the spoilt study is never read: {}", cached.stderr);
    let report: Value = serde_json::from_str(&cached.stdout).unwrap();
    assert_eq!(changes_by_study(&report), changes_by_study(&pair.truth));

    // Without the cache OLD is read, and the spoilt file is trouble.
    let uncached = diff_pair(&pair, "off", &["--format", "json"]);
    assert_eq!(uncached.code, 2, "{}", uncached.stderr);
    let name = spoilt.file_name().unwrap().to_string_lossy().into_owned();
    assert!(uncached.stderr.contains(&name), "{}", uncached.stderr);
    assert!(uncached.stderr.contains("may list them as added or removed"), "{}", uncached.stderr);
}

#[test]
fn a_query_keeps_the_studies_that_match_it() {
    let pair = pair(40, 4, Layout::Zip);
    let truth = changes_by_study(&pair.truth);
    let one = truth.keys().next().unwrap().clone();
    let run = diff_pair(&pair, "off", &["--query", &one, "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(changes_by_study(&report).into_keys().collect::<Vec<_>>(), [one]);
    assert!(ids(&report, "added").is_empty() && ids(&report, "removed").is_empty());
    // A removed study is matched in OLD, where it still is.
    let removed = ids(&pair.truth, "removed")[0].clone();
    let run = diff_pair(&pair, "off", &["--query", &removed, "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(ids(&report, "removed"), [removed]);
    // Nothing matching: no difference.
    let run = diff_pair(&pair, "off", &["--query", "NCT00000001"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "0 added, 0 removed, 0 changed\n"));
    // A mistake in the query is a usage error pointing at it.
    let run = diff_pair(&pair, "off", &["--query", "status:"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("in the query, column"), "{}", run.stderr);
}

#[test]
fn inputs_that_cannot_be_compared_are_trouble() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let assets = Path::new(ASSETS);
    let missing = home.join("no-such.zip");
    let run = diff(home, "off", &[&missing, assets], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty(), "no report: {}", run.stdout);
    assert!(run.stderr.contains("no-such.zip"), "{}", run.stderr);
    assert!(run.stderr.contains("OLD ("), "{}", run.stderr);

    let empty = home.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let run = diff(home, "off", &[assets, &empty], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("NEW (") && run.stderr.contains("no study records in it"), "{}", run.stderr);

    let dash = Path::new("-");
    let run = diff(home, "off", &[dash, dash], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot both be standard input"), "{}", run.stderr);

    // A broken file beside good ones: the report, and trouble said.
    let broken = home.join("broken");
    std::fs::create_dir(&broken).unwrap();
    for file in std::fs::read_dir(assets).unwrap().map(|f| f.unwrap().path()) {
        std::fs::copy(&file, broken.join(file.file_name().unwrap())).unwrap();
    }
    std::fs::write(broken.join("cut.json"), "{\"protocolSection\": {").unwrap();
    let run = diff(home, "off", &[assets, &broken], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.starts_with("0 added, 0 removed, 0 changed"), "{}", run.stdout);
    assert!(run.stderr.contains("cut.json: "), "{}", run.stderr);

    let run = diff(home, "off", &[assets], &[]);
    assert_eq!(run.code, 2, "NEW is required");
}

#[test]
fn bookmarked_studies_since_they_were_last_viewed() {
    let pair = pair(40, 4, Layout::Dir);
    let truth = changes_by_study(&pair.truth);
    let changed = truth.keys().next().unwrap().clone();
    let removed = ids(&pair.truth, "removed")[0].clone();
    let record =
        |side: &Path, id: &str| std::fs::read(side.join(&id[..7]).join(format!("{id}.json"))).unwrap();
    let unchanged: Vec<String> = std::fs::read_dir(&pair.new)
        .unwrap()
        .flat_map(|folder| std::fs::read_dir(folder.unwrap().path()).unwrap())
        .map(|file| file.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|id| {
            !truth.contains_key(id)
                && std::fs::metadata(pair.old.join(&id[..7]).join(format!("{id}.json"))).is_ok()
        })
        .take(2)
        .collect();
    let (seen_unchanged, never_viewed) = (&unchanged[0], &unchanged[1]);
    let data = pair.dir.path().join("data/nct");
    std::fs::create_dir_all(&data).unwrap();
    let bookmarks: String = [&changed, &removed, seen_unchanged, never_viewed]
        .iter()
        .map(|id| format!("[{id}]\nadded = \"2026-01-01\"\ntitle = \"Study {id}\"\n\n"))
        .collect();
    std::fs::write(data.join("bookmarks.toml"), bookmarks).unwrap();
    // The copies as the app keeps them when a bookmarked study is viewed: from OLD.
    let copies = nct::user::seen::SeenCopies::new(&data.join("seen"));
    for id in [&changed, &removed, seen_unchanged] {
        copies.keep(id, &record(&pair.old, id)).unwrap();
    }
    let run =
        diff(pair.dir.path(), "off", &[], &["--bookmarks", pair.new.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(changes_by_study(&report), BTreeMap::from([(changed.clone(), truth[&changed].clone())]));
    assert_eq!(ids(&report, "not_viewed"), std::slice::from_ref(never_viewed));
    assert!(ids(&report, "added").is_empty() && ids(&report, "removed").is_empty());
    assert!(run.stderr.contains(&format!("{removed} is bookmarked but not in")), "{}", run.stderr);
    let text = diff(pair.dir.path(), "off", &[], &["--bookmarks", pair.new.to_str().unwrap()]);
    assert!(
        text.stdout.starts_with("0 added, 0 removed, 1 changed, 1 not viewed since bookmarked\n"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains(&format!("\nnot viewed {never_viewed}\n")), "{}", text.stdout);
    // The report is no viewing: the copies are as they were. Viewed again, nothing has changed.
    assert_eq!(
        copies.get(&changed).unwrap().unwrap(),
        serde_json::to_vec(&serde_json::from_slice::<Value>(&record(&pair.old, &changed)).unwrap()).unwrap()
    );
    copies.keep(&changed, &record(&pair.new, &changed)).unwrap();
    let again =
        diff(pair.dir.path(), "off", &[], &["--bookmarks", pair.new.to_str().unwrap(), "--format", "json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let report: Value = serde_json::from_str(&again.stdout).unwrap();
    assert!(report["changed"].as_array().unwrap().is_empty());
    // A damaged copy is trouble, named.
    std::fs::write(data.join("seen").join(format!("{seen_unchanged}.json")), "{\"protocolSection\": ")
        .unwrap();
    let damaged = diff(pair.dir.path(), "off", &[], &["--bookmarks", pair.new.to_str().unwrap()]);
    assert_eq!(damaged.code, 2);
    assert!(
        damaged
            .stderr
            .contains(&format!("{seen_unchanged}: the copy kept when it was last viewed is damaged")),
        "{}",
        damaged.stderr
    );
    // --bookmarks takes the place of OLD and NEW.
    let both =
        diff(pair.dir.path(), "off", &[&pair.old, &pair.new], &["--bookmarks", pair.new.to_str().unwrap()]);
    assert_eq!(both.code, 2);
}

/// `nct ARGS` with its own empty user folders under `home`.
fn nct(home: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .output()
        .expect("run nct");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn changed_and_since_belong_to_the_app_and_the_shell_is_told_so() {
    let home = tempfile::tempdir().unwrap();
    let search = nct(home.path(), &["search", "changed:status", "assets"]);
    assert_eq!(search.code, 2, "{}", search.stderr);
    assert!(search.stdout.is_empty(), "{}", search.stdout);
    assert!(
        search.stderr.contains("changed: needs older inputs")
            && search.stderr.contains("nct NEW --since OLD"),
        "{}",
        search.stderr
    );
    let show = nct(home.path(), &["show", "NCT04120381", "assets", "--since", "assets"]);
    assert_eq!(show.code, 2, "{}", show.stderr);
    assert!(show.stderr.contains("--since"), "a command takes no --since: {}", show.stderr);
    let mistake = nct(home.path(), &["search", "changed:soon", "assets"]);
    assert_eq!(mistake.code, 2);
    assert!(
        mistake.stderr.contains("expected yes, status, results, dates, eligibility or sites"),
        "{}",
        mistake.stderr
    );
}
