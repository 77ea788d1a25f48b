//! One engine: the app's query line and `nct search` give the same answer. Over a corpus of
//! studies written here in the registry's v2 shape (varied titles, conditions, interventions,
//! statuses, phases, countries, sponsors, dates), each query is typed into the real app in a
//! pseudo-terminal and entered, and the count in the list's title and the first rows on screen
//! are compared with what `nct search QUERY DIR --format ids --limit 0` prints for it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(20);
const STUDIES: usize = 150;
const COLS: u16 = 120;
const ROWS: u16 = 40;

const CONDITIONS: &[&str] = &[
    "Type 2 Diabetes",
    "Psoriasis",
    "Breast Cancer",
    "Lung Cancer",
    "Asthma",
    "COVID-19",
    "Heart Failure",
    "Hypertension",
    "Depression",
    "Migraine",
    "Anxiety",
    "Chronic Obstructive Pulmonary Disease",
];

const INTERVENTIONS: &[(&str, &str)] = &[
    ("Metformin", "DRUG"),
    ("Insulin Glargine", "DRUG"),
    ("Remdesivir", "DRUG"),
    ("Adalimumab", "BIOLOGICAL"),
    ("Pembrolizumab", "BIOLOGICAL"),
    ("Cognitive Behavioral Therapy", "BEHAVIORAL"),
    ("Exercise Training", "BEHAVIORAL"),
    ("Influenza Vaccine", "BIOLOGICAL"),
    ("Placebo", "DRUG"),
];

const STATUSES: &[&str] =
    &["RECRUITING", "COMPLETED", "ACTIVE_NOT_RECRUITING", "TERMINATED", "NOT_YET_RECRUITING", "UNKNOWN"];

const PHASES: &[&[&str]] =
    &[&["PHASE1"], &["PHASE2"], &["PHASE3"], &["PHASE2", "PHASE3"], &["PHASE4"], &["NA"]];

const COUNTRIES: &[(&str, &str)] = &[
    ("France", "Paris"),
    ("Germany", "Berlin"),
    ("United States", "Boston"),
    ("Japan", "Tokyo"),
    ("Brazil", "São Paulo"),
    ("United Kingdom", "Oxford"),
];

/// Where the cities of [`COUNTRIES`] are, in its order: the sites' geoPoints.
const POINTS: &[(f64, f64)] = &[
    (48.8566, 2.3522),
    (52.52, 13.405),
    (42.3601, -71.0589),
    (35.6762, 139.6503),
    (-23.5505, -46.6333),
    (51.752, -1.2577),
];

const SITE_STATUSES: &[Option<&str>] = &[None, Some("RECRUITING"), Some("COMPLETED")];

const SPONSORS: &[(&str, &str)] = &[
    ("Pfizer", "INDUSTRY"),
    ("National Cancer Institute (NCI)", "NIH"),
    ("Novartis", "INDUSTRY"),
    ("University of Oxford", "OTHER"),
    ("Assistance Publique - Hôpitaux de Paris", "OTHER"),
];

const POPULATIONS: &[&str] = &["Adults", "Older Adults", "Children", "Women", "Healthy Volunteers"];

/// Words, phrases, OR, NOT, filters and mixes of them.
const QUERIES: &[&str] = &[
    "diabetes",
    "psoriasis",
    "cancer",
    "remdesivir",
    "vaccine",
    "vaccines",
    "insulin",
    "exercise",
    "heart failure",
    "\"breast cancer\"",
    "\"heart failure\" -hypertension",
    "covid",
    "covid-19",
    "asthma OR migraine",
    "cancer -lung",
    "NOT placebo",
    "status:recruiting",
    "phase:3",
    "type:observational",
    "country:france",
    "sponsor:pfizer",
    "cond:diabetes",
    "intr:metformin",
    "title:vaccine",
    "start:>=2020",
    "diabetes status:recruiting",
    "(asthma OR copd) phase:2",
    "cancer country:germany -breast",
    "depression OR anxiety sex:female",
    "metformin OR insulin -placebo",
    "results:yes",
    "age:70",
    "\"cognitive behavioral\"",
    "pembrolizumab lung",
    "hypertension start:2015..2019",
    "oxford",
    "city:tokyo asthma",
    "status:open phase:2 cancer",
    "fits:P-1",
    "fits:P-1 cancer",
    "fits:P-2 OR migraine",
    "fits:P-3 -fits:P-1",
    "zzzqqq",
    "near:boston",
    "near:\"Paris, France\":30km",
    "status:recruiting near:48.85,2.35:100km",
    "near:Oxford:200mi cancer",
    "near:tokyo:20km OR psoriasis",
];

/// A deterministic generator, so the corpus is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(self.0 >> 33).unwrap() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn study(i: usize, rng: &mut Lcg) -> Value {
    let condition = *rng.pick(CONDITIONS);
    let other = *rng.pick(CONDITIONS);
    let (drug, kind) = *rng.pick(INTERVENTIONS);
    let population = *rng.pick(POPULATIONS);
    let observational = rng.below(5) == 0;
    let (sponsor, class) = *rng.pick(SPONSORS);
    let sites: Vec<Value> = (0..1 + rng.below(3))
        .map(|j| {
            let at = rng.below(COUNTRIES.len());
            let (country, city) = COUNTRIES[at];
            // Scattered up to about 60 km around the city, without drawing from `rng` (the rest
            // of the corpus stays as it was); a status of the site's own on two sites in three.
            let (lat, lon) = POINTS[at];
            let shift = |k: usize| ((i * 37 + j * 11 + k * 5) % 101) as f64 / 100.0 - 0.5;
            let mut site = json!({
                "facility": format!("{city} General Hospital"), "city": city, "country": country,
                "geoPoint": {"lat": lat + shift(1), "lon": lon + shift(2)},
            });
            if let Some(status) = SITE_STATUSES[(i + j) % SITE_STATUSES.len()] {
                site["status"] = json!(status);
            }
            site
        })
        .collect();
    let start = format!("{}-{:02}", 2012 + rng.below(14), 1 + rng.below(12));
    let title = if observational {
        format!("Registry of {condition} Outcomes in {population}")
    } else {
        format!("{drug} for {condition} in {population}")
    };
    let sex = *rng.pick(&["ALL", "FEMALE", "MALE"]);
    let mut protocol = json!({
        "identificationModule": {
            "nctId": format!("NCT{:08}", 10_000_000 + i * 7),
            "briefTitle": title,
            "officialTitle": format!("A Study of {drug} Compared With Usual Care in {other}"),
            "acronym": format!("TRIAL-{}{}", ["AX", "BQ", "CZ"][i % 3], i),
        },
        "statusModule": {
            "overallStatus": *rng.pick(STATUSES),
            "startDateStruct": {"date": start},
            "lastUpdatePostDateStruct": {"date": "2024-05-01"},
        },
        "sponsorCollaboratorsModule": {"leadSponsor": {"name": sponsor, "class": class}},
        "descriptionModule": {
            "briefSummary": format!(
                "This study looks at {drug} in {population} with {condition}. Participants with {other} \
                 are followed for two years."
            ),
        },
        "conditionsModule": {"conditions": [condition, other], "keywords": [drug]},
        "designModule": if observational {
            json!({"studyType": "OBSERVATIONAL"})
        } else {
            json!({"studyType": "INTERVENTIONAL", "phases": *rng.pick(PHASES)})
        },
        "armsInterventionsModule": {"interventions": [{"type": kind, "name": drug}]},
        "eligibilityModule": {
            "sex": sex,
            "minimumAge": format!("{} Years", 18 + rng.below(50)),
            "maximumAge": format!("{} Years", 60 + rng.below(30)),
            "healthyVolunteers": population == "Healthy Volunteers",
            // thresholds in assorted units, for fits: (from `i`, so the other fields stay as they were)
            "eligibilityCriteria": format!(
                "Inclusion Criteria:\n\n* ANC ≥ {} x 10^9/L\n* {}\n\nExclusion Criteria:\n\n* Hemoglobin < {} g/L\n",
                [1.0, 1.5, 2.0][i % 3],
                if i.is_multiple_of(2) { format!("Creatinine ≤ {} mg/dL", [1.0, 1.5][i / 2 % 2]) } else { "Creatinine ≤ 133 µmol/L".to_string() },
                [90, 100, 110][i / 3 % 3],
            ),
        },
        "contactsLocationsModule": {"locations": sites},
    });
    if rng.below(3) == 0 {
        protocol["designModule"]["enrollmentInfo"] = json!({"count": 20 + rng.below(500)});
    }
    json!({"protocolSection": protocol, "hasResults": rng.below(4) == 0})
}

fn write_corpus(dir: &Path) {
    let mut rng = Lcg(14);
    for i in 0..STUDIES {
        let study = study(i, &mut rng);
        let id = study["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap().to_string();
        std::fs::write(dir.join(format!("{id}.json")), serde_json::to_string_pretty(&study).unwrap())
            .unwrap();
    }
}

/// The user's folders for both the app and the CLI: none of the real ones, the same for both.
fn user_env(home: &Path) -> Vec<(&'static str, std::path::PathBuf)> {
    [("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")]
        .into_iter()
        .map(|(key, folder)| (key, home.join(folder)))
        .collect()
}

fn cli_ids(corpus: &Path, home: &Path, query: &str) -> Vec<String> {
    cli_ids_sorted(corpus, home, query, "relevance")
}

fn cli_ids_sorted(corpus: &Path, home: &Path, query: &str, sort: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", query])
        .arg(corpus)
        .args(["--format", "ids", "--limit", "0", "--sort", sort])
        .envs(user_env(home))
        .output()
        .unwrap();
    let code = output.status.code();
    assert!(code == Some(0) || code == Some(1), "{query}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().lines().map(str::to_string).collect()
}

struct App {
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn MasterPty + Send>,
}

impl App {
    fn spawn(corpus: &Path, home: &Path) -> App {
        let size = PtySize { rows: ROWS, cols: COLS, pixel_width: 0, pixel_height: 0 };
        let pair = native_pty_system().openpty(size).unwrap();
        let mut command = CommandBuilder::new(env!("CARGO_BIN_EXE_nct"));
        command.arg(corpus);
        command.env("TERM", "xterm-256color");
        command.env("NO_COLOR", "1");
        for (key, value) in user_env(home) {
            command.env(key, value);
        }
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let nz = |n| NonZeroU16::new(n).unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(ROWS), nz(COLS), 0)));
        let mut output = pair.master.try_clone_reader().unwrap();
        let feed = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = output.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pair.master.take_writer().unwrap();
        App { writer, child, parser, _master: pair.master }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Polls until `condition` holds on a settled screen (the same text a moment later).
    fn wait_for(&self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        let mut previous = String::new();
        loop {
            let text = self.parser.lock().unwrap().screen().contents();
            if text == previous && condition(&text) {
                return text;
            }
            previous = text;
            assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}; the screen shows:\n{previous}");
            std::thread::sleep(Duration::from_millis(40));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The count in the list's title after a query: " Studies N of M ".
fn title_count(screen: &str) -> Option<usize> {
    let title = screen.lines().find(|l| l.contains("┌ Studies "))?;
    let after = title.split("┌ Studies ").nth(1)?;
    let (count, rest) = after.split_once(" of ")?;
    rest.starts_with(&STUDIES.to_string()).then_some(())?;
    count.replace(',', "").parse().ok()
}

/// The ids of the list's rows, top down: the first cell of each row of the list block.
fn listed_ids(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|line| line.strip_prefix('│'))
        .map(|row| row.chars().take(11).collect::<String>())
        .filter(|id| id.starts_with("NCT") && id[3..].chars().all(|c| c.is_ascii_digit()) && id.len() == 11)
        .collect()
}

/// `Ctrl-p` (or `:`) opens the go-to picker: letters of an acronym in order find the study,
/// Enter goes there, the list's search left alone; Esc closes it without moving.
#[test]
fn the_go_to_picker_finds_a_study_by_its_acronym_and_goes_there() {
    let corpus = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    write_corpus(corpus.path());
    let mut app = App::spawn(corpus.path(), home.path());
    app.wait_for("the loaded list", |s| s.contains(" Studies 1/") && !s.contains("loading"));
    // Study 100 is TRIAL-BQ100: "bq100" are its letters in order, and no other's.
    let id = format!("NCT{:08}", 10_000_000 + 100 * 7);
    app.send("\x10");
    app.wait_for("the picker", |s| s.contains(" Go to study "));
    app.send("bq100");
    let screen = app.wait_for("the match", |s| s.contains(&format!("{id} TRIAL-BQ100")));
    let box_row = screen.lines().position(|l| l.contains(" Go to study ")).unwrap();
    let first = screen.lines().nth(box_row + 2).unwrap();
    assert!(first.contains(&id), "the best match first:\n{screen}");
    app.send("\r");
    let screen =
        app.wait_for("the study", |s| !s.contains(" Go to study ") && s.contains(&format!("{id} ·")));
    assert!(screen.contains(&format!(" Studies {}/{STUDIES} ", 101)), "{screen}");
    app.send(":");
    app.wait_for("the picker again", |s| s.contains(" Go to study "));
    app.send("ax3");
    app.send("\x1b");
    let screen = app.wait_for("the picker closed", |s| !s.contains(" Go to study "));
    assert!(screen.contains(&format!("{id} ·")), "Esc goes nowhere:\n{screen}");
}

#[test]
fn the_app_answers_every_query_as_nct_search_does() {
    let corpus = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    write_corpus(corpus.path());
    // Patient profiles for fits:, values in units other than the criteria's.
    std::fs::create_dir_all(home.path().join("data/nct")).unwrap();
    std::fs::write(
        home.path().join("data/nct/profiles.toml"),
        "[P-1]\nage = 60\nsex = \"female\"\nanc = \"1600/µL\"\ncreatinine = \"110 µmol/L\"\n\n\
         [P-2]\nage = 30\nconditions = [\"asthma\"]\nhaemoglobin = \"10.5 g/dL\"\n\n[P-3]\nage = 45\n",
    )
    .unwrap();
    let mut app = App::spawn(corpus.path(), home.path());
    app.wait_for("the loaded list", |s| s.contains(" Studies 1/") && !s.contains("loading"));
    let mut compared_rows = 0;
    let mut found = 0;
    for query in QUERIES {
        let expected = cli_ids(corpus.path(), home.path(), query);
        found += usize::from(!expected.is_empty() && expected.len() < STUDIES);
        if query.starts_with("fits:") {
            assert!(!expected.is_empty() && expected.len() < STUDIES / 2, "{query}: {expected:?}");
        }
        app.send("/");
        app.wait_for("the query line", |s| s.contains("Enter keep"));
        app.send(query);
        app.send("\r");
        let screen = app.wait_for(&format!("the answer to {query:?}"), |s| {
            !s.contains("Enter keep") && title_count(s).is_some()
        });
        let count = title_count(&screen).unwrap();
        assert_eq!(
            count,
            expected.len(),
            "{query:?}: the app counts {count}, nct search prints {expected:?}\n{screen}"
        );
        let shown = listed_ids(&screen);
        let rows = expected.len().min(shown.len());
        assert!(rows > 0 || expected.is_empty(), "{query:?}: no rows on screen\n{screen}");
        assert_eq!(shown[..rows], expected[..rows], "{query:?}: the first rows differ\n{screen}");
        compared_rows += rows;
        // Esc clears the search: every study again.
        app.send("\x1b");
        std::thread::sleep(Duration::from_millis(30));
        app.wait_for("every study again", |s| {
            s.contains(" Studies 1/") || s.contains(&format!("/{STUDIES} "))
        });
    }
    assert!(
        found >= 30,
        "only {found} queries find some studies but not all: the corpus does not exercise them"
    );
    assert!(compared_rows >= 200, "{compared_rows} rows compared");
}

/// With `near:`, the list shows each study's nearest site, `o` reaches "nearest site first" after
/// the other orders, in `nct search --sort distance`'s order; a place no site names is the
/// query's mistake, said under the line.
#[test]
fn near_lists_distances_and_sorts_by_them_as_nct_search_does() {
    let corpus = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    write_corpus(corpus.path());
    let mut app = App::spawn(corpus.path(), home.path());
    app.wait_for("the loaded list", |s| s.contains(" Studies 1/") && !s.contains("loading"));
    let query = "near:oxford:6000km";
    let expected = cli_ids_sorted(corpus.path(), home.path(), query, "distance");
    assert!(expected.len() > 20 && expected.len() < STUDIES, "{}", expected.len());
    app.send("/");
    app.wait_for("the query line", |s| s.contains("Enter keep"));
    app.send(query);
    app.send("\r");
    let screen = app.wait_for("the answer", |s| !s.contains("Enter keep") && title_count(s).is_some());
    assert_eq!(title_count(&screen), Some(expected.len()), "{screen}");
    assert!(screen.contains(" km Oxford"), "the nearest site on each row:\n{screen}");
    for _ in 0..6 {
        app.send("o");
        std::thread::sleep(Duration::from_millis(30));
    }
    let screen = app.wait_for("nearest first", |s| s.contains("nearest site first"));
    let shown = listed_ids(&screen);
    assert!(shown.len() > 10, "{screen}");
    // The selection stays on its study, so the rows on screen are a stretch of the order.
    let at = expected.iter().position(|id| *id == shown[0]).unwrap();
    assert_eq!(shown[..], expected[at..at + shown.len()], "{screen}");
    app.send("o");
    app.wait_for("back to relevance", |s| !s.contains("nearest site first") && s.contains("by relevance"));
    app.send("/");
    app.wait_for("the query line", |s| s.contains("Enter keep"));
    for _ in 0..query.len() {
        app.send("\x7f");
    }
    app.send("near:Atlantis\r");
    let screen = app.wait_for("the mistake", |s| s.contains("no site is in a place called"));
    assert!(screen.contains("mistake in the query"), "{screen}");
}
