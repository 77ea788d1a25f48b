//! `nct search` as scripts call it: the real binary on the bundled `assets/`, every output
//! format, the limit, and the exit statuses (0 found, 1 nothing found, 2 query error).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::Command;

const ASSETS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn search(query: &str, extra: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", query, ASSETS])
        .args(extra)
        .env("COLUMNS", "100"))
}

fn run(command: &mut Command) -> Run {
    let output = command.output().expect("run nct");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn ids(query: &str) -> Vec<String> {
    let run = search(query, &["--format", "ids", "--limit", "0"]);
    assert_eq!(run.code, 0, "{query}: {}", run.stderr);
    run.stdout.lines().map(str::to_string).collect()
}

#[test]
fn ids_best_first_for_filters_and_words() {
    assert_eq!(ids("phase:3 status:recruiting"), ["NCT05183427", "NCT05507743"]);
    assert_eq!(ids("psoriasis"), ["NCT02491658"]);
    assert_eq!(ids("\"stem cells\""), ["NCT02491658", "NCT04577316"]);
    assert_eq!(ids("country:japan"), ["NCT02210479", "NCT05183427"]);
    let old = ids("age:70");
    assert_eq!(old.len(), 19, "{old:?}");
    assert!(old.contains(&"NCT02093468".to_string()));
    assert!(!old.contains(&"NCT02491658".to_string()));
    // Titles first: the three studies with "cancer" in their titles lead.
    let cancer = ids("cancer");
    let mut top = cancer[..3].to_vec();
    top.sort();
    assert_eq!(top, ["NCT04990515", "NCT05612947", "NCT05894412"]);
    assert_eq!(ids("psoriasis OR vaccines status:completed"), ["NCT04415320"]);
}

#[test]
fn an_empty_query_matches_every_study() {
    assert_eq!(ids("").len(), 27);
}

/// The website's export header, spelled as in a CSV downloaded from clinicaltrials.gov.
const WEBSITE_HEADER: [&str; 29] = [
    "NCT Number",
    "Study Title",
    "Study URL",
    "Acronym",
    "Study Status",
    "Study Results",
    "Conditions",
    "Interventions",
    "Primary Outcome Measures",
    "Secondary Outcome Measures",
    "Other Outcome Measures",
    "Sponsor",
    "Collaborators",
    "Sex",
    "Age",
    "Phases",
    "Enrollment",
    "Funder Type",
    "Study Type",
    "Study Design",
    "Other IDs",
    "Start Date",
    "Primary Completion Date",
    "Completion Date",
    "First Posted",
    "Results First Posted",
    "Last Update Posted",
    "Locations",
    "Study Documents",
];

/// The header and the rows of `nct search`'s CSV, read by a CSV reader.
fn csv_records(stdout: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

#[test]
fn csv_has_the_website_columns() {
    let run = search("psoriasis", &["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("NCT Number,Study Title,Study URL,"), "{}", run.stdout);
    assert!(run.stdout.ends_with("\r\n"));
    let (header, rows) = csv_records(&run.stdout);
    assert_eq!(header, WEBSITE_HEADER);
    assert_eq!(rows.len(), 1);
    let row: Vec<(&str, &str)> =
        WEBSITE_HEADER.iter().copied().zip(rows[0].iter().map(String::as_str)).collect();
    let cell = |column: &str| row.iter().find(|(c, _)| *c == column).unwrap().1.to_string();
    assert_eq!(
        cell("Primary Outcome Measures"),
        "Change from Baseline in Psoriasis Area and Severity Index (PASI) score at 8 weeks, PASI score will \
         be assessed at baseline (pre-infusion) and week 8 (right after the sixth UC-MSCs infusion), \
         baseline and 8 weeks|Change from Baseline in Dermatology Life Quality Index (DLQI) score at 8 weeks, \
         DLQI score will be assessed at baseline (pre-infusion) and week 8 (right after the sixth UC-MSCs \
         infusion), baseline and 8 weeks"
    );
    let secondary: Vec<String> = cell("Secondary Outcome Measures").split('|').map(str::to_string).collect();
    assert_eq!(secondary.len(), 4, "{secondary:?}");
    assert_eq!(
        secondary[0],
        "body temperature will be monitored for any possible infusion-related toxicities., up to 3 months"
    );
    // The outcome cells are checked above; every other cell whole.
    let others: Vec<(&str, &str)> = row
        .into_iter()
        .filter(|(c, _)| !["Primary Outcome Measures", "Secondary Outcome Measures"].contains(c))
        .collect();
    assert_eq!(
        others,
        [
            ("NCT Number", "NCT02491658"),
            ("Study Title", "Safety and Efficacy of UC-MSCs in Patients With Psoriasis Vulgaris"),
            ("Study URL", "https://clinicaltrials.gov/study/NCT02491658"),
            ("Acronym", ""),
            ("Study Status", "UNKNOWN"),
            ("Study Results", "NO"),
            ("Conditions", "Psoriasis Vulgaris"),
            ("Interventions", "BIOLOGICAL: UC-MSCs"),
            ("Other Outcome Measures", ""),
            ("Sponsor", "Affiliated Hospital to Academy of Military Medical Sciences"),
            ("Collaborators", ""),
            ("Sex", "ALL"),
            ("Age", "ADULT, OLDER_ADULT"),
            ("Phases", "PHASE1|PHASE2"),
            ("Enrollment", "30"),
            ("Funder Type", "OTHER"),
            ("Study Type", "INTERVENTIONAL"),
            (
                "Study Design",
                "Allocation: NA|Intervention Model: SINGLE_GROUP|Masking: NONE|Primary Purpose: TREATMENT"
            ),
            ("Other IDs", "307-PV-MSC"),
            ("Start Date", "2015-04"),
            ("Primary Completion Date", "2016-12"),
            ("Completion Date", "2016-12"),
            ("First Posted", "2015-07-08"),
            ("Results First Posted", ""),
            ("Last Update Posted", "2015-07-08"),
            (
                "Locations",
                "Affiliated Hospital to Academy of Military Medical Sciences, Beijing, Beijing Municipality, \
                 100071, China"
            ),
            ("Study Documents", ""),
        ]
    );
}

#[test]
fn csv_has_a_row_for_every_study_found_best_first() {
    for query in ["", "cancer"] {
        let run = search(query, &["--format", "csv", "--limit", "0"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let (_, rows) = csv_records(&run.stdout);
        let first_column: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
        assert_eq!(first_column, ids(query), "{query}");
        assert!(rows.iter().all(|r| r.len() == 29));
    }
}

#[test]
fn csv_cells_with_commas_quotes_and_line_breaks_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let title = "Salt, \"Sugar\" and Fat";
    let description = "Grams a day, by diary.\n\nWeighed, \"as eaten\".";
    let study = serde_json::json!({
        "protocolSection": {
            "identificationModule": {"nctId": "NCT09999999", "briefTitle": title},
            "outcomesModule": {"primaryOutcomes": [{"measure": "Intake", "description": description}]}
        }
    });
    std::fs::write(dir.path().join("NCT09999999.json"), study.to_string()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", "", "--format", "csv"])
        .arg(dir.path())
        .output()
        .expect("run nct");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("\r\nNCT09999999,\"Salt, \"\"Sugar\"\" and Fat\","), "{stdout}");
    let (_, rows) = csv_records(&stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], title);
    assert_eq!(rows[0][8], format!("Intake, {description}"));
}

#[test]
fn json_and_ndjson_parse() {
    let run = search("country:japan", &["--format", "json"]);
    assert_eq!(run.code, 0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let array = value.as_array().unwrap();
    assert_eq!(array.len(), 2);
    assert_eq!(array[0]["id"], "NCT02210479");
    assert_eq!(array[0]["url"], "https://clinicaltrials.gov/study/NCT02210479");
    let run = search("country:japan", &["--format", "ndjson"]);
    let lines: Vec<serde_json::Value> =
        run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["id"], "NCT05183427");
    assert!(lines[1]["phases"].as_array().unwrap().contains(&serde_json::json!("PHASE3")));
}

#[test]
fn the_table_says_how_many_more() {
    let run = search("", &["--limit", "5"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    assert!(lines[0].starts_with("NCT01447732  Completed"), "{}", lines[0]);
    assert_eq!(lines[5], "… 22 more (--limit 0 for all)");
    assert!(lines.iter().all(|l| unicode_width::UnicodeWidthStr::width(*l) <= 100));
    let all = search("", &["--limit", "0"]);
    assert_eq!(all.stdout.lines().count(), 27);
    assert!(!all.stdout.contains("more"));
    let default = search("", &[]);
    assert_eq!(default.stdout.lines().count(), 27, "27 studies are under the default limit of 50");
}

#[test]
fn nothing_found_exits_1() {
    let run = search("zzzqqqx", &["--format", "ids"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
}

#[test]
fn a_query_error_exits_2_with_a_caret() {
    let run = search("status:recruting", &[]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("did you mean recruiting?"), "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines[lines.len() - 2], "  status:recruting");
    assert_eq!(lines[lines.len() - 1], "         ^^^^^^^^^");
}

/// Every field the query language has, as the README lists them.
const FIELDS: [&str; 27] = [
    "status",
    "phase",
    "type",
    "sex",
    "age",
    "healthy",
    "results",
    "bookmarked",
    "changed",
    "note",
    "id",
    "start",
    "completion",
    "posted",
    "updated",
    "title",
    "cond",
    "intr",
    "sponsor",
    "country",
    "state",
    "city",
    "near",
    "funder",
    "agegroup",
    "intrtype",
    "fits",
];

#[test]
fn an_unknown_field_lists_every_field_and_so_does_the_help() {
    let run = search("foo:bar", &[]);
    assert_eq!(run.code, 2);
    let (message, _) = run.stderr.split_once(". To search").expect("the message");
    let (_, listed) = message.split_once("the fields are ").expect("a list of fields");
    let listed: Vec<&str> = listed.split(", ").collect();
    assert_eq!(listed, FIELDS, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines[lines.len() - 2], "  foo:bar");
    assert_eq!(lines[lines.len() - 1], "  ^^^");
    let help = run_nct(&["search", "--help"]);
    let fields = help.stdout.lines().find_map(|l| l.strip_prefix("Fields: ")).expect("a Fields: line");
    let named: Vec<&str> = fields.split_whitespace().map(|f| f.trim_end_matches(':')).collect();
    assert_eq!(named, FIELDS, "{}", help.stdout);
}

fn run_nct(args: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_nct")).args(args))
}

/// `nct search` over a copy of the bundled studies with its own cache folder (XDG_CACHE_HOME)
/// and the cache on for any size (`NCT_CACHE=always`).
fn cached_search(studies: &std::path::Path, cache: &std::path::Path, query: &str) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", query])
        .arg(studies)
        .args(["--format", "ids", "--limit", "0"])
        .env("XDG_CACHE_HOME", cache)
        .env("NCT_CACHE", "always"))
}

#[test]
fn the_catalog_cache_answers_the_same_and_damage_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let studies = dir.path().join("studies");
    std::fs::create_dir(&studies).unwrap();
    for entry in std::fs::read_dir(ASSETS).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, studies.join(path.file_name().unwrap())).unwrap();
        }
    }
    let cache = dir.path().join("cache");
    let query = "cancer OR city:tokyo";
    let first = cached_search(&studies, &cache, query);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(first.stderr.is_empty(), "{}", first.stderr);
    let entries: Vec<_> = std::fs::read_dir(cache.join("nct").join("catalogs"))
        .expect("the cache was written under XDG_CACHE_HOME/nct/catalogs")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let second = cached_search(&studies, &cache, query);
    assert_eq!((second.code, &second.stdout, &second.stderr), (0, &first.stdout, &String::new()));

    // A study changed on disk: the cache is stale and the answer follows the file.
    std::fs::remove_file(studies.join("NCT05183427.json")).unwrap();
    let changed = cached_search(&studies, &cache, query);
    assert!(!changed.stdout.contains("NCT05183427"), "{}", changed.stdout);
    assert!(changed.stdout.contains("NCT02210479"), "{}", changed.stdout);

    // Damage: reported once (on stderr, the answer still right), then rebuilt quietly.
    let file = entries[0].join("catalog.bin");
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    std::fs::write(&file, bytes).unwrap();
    let damaged = cached_search(&studies, &cache, query);
    assert_eq!(damaged.stdout, changed.stdout);
    assert!(damaged.stderr.contains("the catalog cache was damaged"), "{}", damaged.stderr);
    let after = cached_search(&studies, &cache, query);
    assert_eq!((after.stdout, after.stderr), (changed.stdout, String::new()));
}

#[test]
fn bookmarked_finds_the_user_s_bookmarks() {
    let data = tempfile::tempdir().unwrap();
    let folder = data.path().join("nct");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("bookmarks.toml"),
        "[NCT05183427]\nadded = \"2026-11-25\"\ntitle = \"t\"\n\n[NCT99999999]\nadded = \"2026-11-25\"\ntitle = \"not loaded\"\n\n[NCT02210479]\nadded = \"2026-11-24\"\ntitle = \"t\"\n",
    )
    .unwrap();
    let ids = |query: &str| {
        let found = run(Command::new(env!("CARGO_BIN_EXE_nct"))
            .args(["search", query, ASSETS, "--format", "ids", "--limit", "0"])
            .env("XDG_DATA_HOME", data.path()));
        found.stdout.lines().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(ids("bookmarked:yes"), ["NCT02210479", "NCT05183427"]);
    let found = run(Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", "bookmarked:yes", ASSETS, "--format", "ids"])
        .env("XDG_DATA_HOME", data.path()));
    assert!(
        found.stderr.contains("NCT99999999 is bookmarked but not among the inputs (not loaded)"),
        "a bookmark of a study not loaded is named, not dropped: {}",
        found.stderr
    );
    assert_eq!(ids("bookmarked:yes city:tokyo phase:3"), ["NCT05183427"]);
    assert_eq!(ids("bookmarked:no").len(), 25);

    // Notes, one file per study: `note:` finds them, folded.
    std::fs::create_dir_all(folder.join("notes")).unwrap();
    std::fs::write(folder.join("notes").join("NCT04415320.md"), "Ask about prior BIOLOGICS\n").unwrap();
    assert_eq!(ids("note:biologics"), ["NCT04415320"]);
    assert_eq!(ids("note:biologics bookmarked:yes"), Vec::<String>::new());
    let show = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["show", "NCT04415320", ASSETS])
        .env("XDG_DATA_HOME", data.path())
        .output()
        .expect("run nct");
    let text = String::from_utf8_lossy(&show.stdout);
    let note = text.find("Ask about prior BIOLOGICS").expect("nct show prints the note");
    assert!(text.find("Your note").is_some_and(|heading| heading < note), "{text}");
    assert!(note < text.find("Design").unwrap(), "the note comes first:\n{text}");
}

#[test]
fn a_query_may_start_with_a_negation() {
    // Taken as the query, not as an unknown option: the same studies as with the word first.
    let negated_first = ids("-placebo study");
    assert_eq!(negated_first, ids("study -placebo"));
    let placebo = ids("placebo");
    assert!(!negated_first.is_empty() && !placebo.is_empty());
    assert!(negated_first.iter().all(|id| !placebo.contains(id)), "{negated_first:?} {placebo:?}");
    // Options still work around it.
    let run = search("-placebo", &["--format", "ids", "-n", "2"]);
    assert_eq!((run.code, run.stdout.lines().count()), (0, 2), "{}", run.stderr);
}

/// The great-circle distance by the spherical law of cosines on unit vectors: another formula
/// than the program's haversine, so that a mistake in one is not checked against itself.
fn cosine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let vector = |(lat, lon): (f64, f64)| {
        let (lat, lon) = (lat.to_radians(), lon.to_radians());
        (lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin())
    };
    let (x1, y1, z1) = vector(a);
    let (x2, y2, z2) = vector(b);
    let cross =
        ((y1 * z2 - z1 * y2).powi(2) + (z1 * x2 - x1 * z2).powi(2) + (x1 * y2 - y1 * x2).powi(2)).sqrt();
    let dot = x1 * x2 + y1 * y2 + z1 * z2;
    6371.0088 * cross.atan2(dot)
}

/// Cities the generated sites are scattered around, as (city, state, country, lat, lon).
const CITIES: &[(&str, &str, &str, f64, f64)] = &[
    ("Baltimore", "Maryland", "United States", 39.2904, -76.6122),
    ("Washington", "District of Columbia", "United States", 38.9072, -77.0369),
    ("Portland", "Oregon", "United States", 45.5152, -122.6784),
    ("Portland", "Maine", "United States", 43.6591, -70.2568),
    ("Lyon", "", "France", 45.764, 4.8357),
    ("Paris", "Île-de-France", "France", 48.8566, 2.3522),
];

/// Studies with sites near those cities, each site's point moved a little from the city's (a
/// registry geocode is the city's; these are scattered so that radii cut between them), written
/// to `dir`; returns each study's id, overall status and sites `(lat, lon, status)`.
type Site = (f64, f64, Option<&'static str>, &'static str);

fn write_sited_studies(dir: &std::path::Path) -> Vec<(String, &'static str, Vec<Site>)> {
    let mut seed = 17u64;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let mut studies = Vec::new();
    for i in 0..60 {
        let id = format!("NCT{:08}", 20_000_000 + i);
        let overall = ["RECRUITING", "COMPLETED", "NOT_YET_RECRUITING"][next(3) as usize];
        let mut sites = Vec::new();
        let mut locations = Vec::new();
        for _ in 0..1 + next(4) {
            let (city, state, country, lat, lon) = CITIES[next(CITIES.len() as u64) as usize];
            // Up to about 0.9 degrees away: 0 to 100 km.
            let lat = lat + (next(1801) as f64 - 900.0) / 1000.0;
            let lon = lon + (next(1801) as f64 - 900.0) / 1000.0;
            let status = [None, Some("RECRUITING"), Some("COMPLETED")][next(3) as usize];
            sites.push((lat, lon, status, city));
            let mut site = serde_json::json!({
                "facility": format!("{city} Site {i}"), "city": city, "country": country,
                "geoPoint": {"lat": lat, "lon": lon},
            });
            if !state.is_empty() {
                site["state"] = serde_json::json!(state);
            }
            if let Some(status) = status {
                site["status"] = serde_json::json!(status);
            }
            locations.push(site);
        }
        let record = serde_json::json!({"protocolSection": {
            "identificationModule": {"nctId": id, "briefTitle": format!("Study {i}")},
            "statusModule": {"overallStatus": overall},
            "contactsLocationsModule": {"locations": locations},
        }});
        std::fs::write(dir.join(format!("{id}.json")), record.to_string()).unwrap();
        studies.push((id, overall, sites));
    }
    studies
}

fn search_in(dir: &std::path::Path, query: &str, extra: &[&str]) -> Run {
    run(Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(["search", query])
        .arg(dir)
        .args(extra)
        .env("COLUMNS", "120")
        .env("NCT_CACHE", "off"))
}

fn sorted_ids(run: &Run) -> Vec<String> {
    let mut ids: Vec<String> = run.stdout.lines().map(str::to_string).collect();
    ids.sort();
    ids
}

#[test]
fn near_coordinates_find_every_study_with_a_site_within_the_radius() {
    let dir = tempfile::tempdir().unwrap();
    let studies = write_sited_studies(dir.path());
    let mut found_some = 0;
    for (lat, lon, km) in
        [(39.29, -76.61, 40.0), (39.0, -77.0, 25.0), (45.76, 4.84, 80.0), (10.0, 10.0, 100.0)]
    {
        let expected: Vec<String> = studies
            .iter()
            .filter(|(_, _, sites)| sites.iter().any(|&(a, b, _, _)| cosine_km((lat, lon), (a, b)) <= km))
            .map(|(id, _, _)| id.clone())
            .collect();
        found_some += usize::from(!expected.is_empty() && expected.len() < studies.len());
        let query = format!("near:{lat},{lon}:{km}km");
        let run = search_in(dir.path(), &query, &["--format", "ids", "--limit", "0"]);
        assert_eq!(sorted_ids(&run), expected, "{query}: {}", run.stderr);
        // The same radius in miles finds the same studies.
        let miles = format!("near:{lat},{lon}:{}mi", km / 1.609_344);
        assert_eq!(
            sorted_ids(&search_in(dir.path(), &miles, &["--format", "ids", "--limit", "0"])),
            expected
        );
    }
    assert!(found_some >= 3, "the radii must cut between the studies");
}

#[test]
fn a_status_filter_asks_the_sites_own_status_where_they_have_one() {
    let dir = tempfile::tempdir().unwrap();
    let studies = write_sited_studies(dir.path());
    let (lat, lon, km) = (39.29, -76.61, 60.0);
    let expected: Vec<String> = studies
        .iter()
        .filter(|(_, overall, sites)| {
            *overall == "RECRUITING"
                && sites.iter().any(|&(a, b, status, _)| {
                    cosine_km((lat, lon), (a, b)) <= km && status.is_none_or(|s| s == "RECRUITING")
                })
        })
        .map(|(id, _, _)| id.clone())
        .collect();
    let loose: Vec<String> = studies
        .iter()
        .filter(|(_, overall, sites)| {
            *overall == "RECRUITING" && sites.iter().any(|&(a, b, _, _)| cosine_km((lat, lon), (a, b)) <= km)
        })
        .map(|(id, _, _)| id.clone())
        .collect();
    assert!(expected.len() < loose.len(), "some recruiting study's only near site must have completed");
    let run = search_in(
        dir.path(),
        &format!("status:recruiting near:{lat},{lon}:{km}km"),
        &["--format", "ids", "--limit", "0"],
    );
    assert_eq!(sorted_ids(&run), expected, "{}", run.stderr);
    // In an OR the status is not the sites' business.
    let run = search_in(
        dir.path(),
        &format!("status:recruiting (near:{lat},{lon}:{km}km OR id:NCT0)"),
        &["--format", "ids", "--limit", "0"],
    );
    assert_eq!(sorted_ids(&run), loose, "{}", run.stderr);
}

#[test]
fn the_table_shows_the_nearest_site_and_sorts_by_distance() {
    let dir = tempfile::tempdir().unwrap();
    let studies = write_sited_studies(dir.path());
    let run =
        search_in(dir.path(), "near:\"Baltimore, Maryland\":60mi", &["--sort", "distance", "--limit", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The place is where its sites are: the median of their coordinates (the upper one of two).
    let median = |pick: fn(&Site) -> f64| {
        let mut values: Vec<f64> = studies
            .iter()
            .flat_map(|(_, _, sites)| sites)
            .filter(|site| site.3 == "Baltimore")
            .map(pick)
            .collect();
        values.sort_by(f64::total_cmp);
        values[values.len() / 2]
    };
    let center = (median(|site| site.0), median(|site| site.1));
    let mut last = 0.0;
    for line in run.stdout.lines() {
        let id = &line[..11];
        let (_, _, sites) = studies.iter().find(|(known, _, _)| known == id).unwrap();
        let nearest =
            sites.iter().map(|&(a, b, _, _)| cosine_km(center, (a, b)) / 1.609_344).fold(f64::MAX, f64::min);
        let written: f64 = line.split(" mi, ").next().unwrap().rsplit(' ').next().unwrap().parse().unwrap();
        assert!((written - nearest).abs() <= 0.051, "{line:?} should say {nearest:.2} mi");
        assert!(
            line.contains(" mi, Baltimore, Maryland") || line.contains(" mi, Washington, District of Columb"),
            "{line}"
        );
        assert!(nearest >= last - 0.05, "nearest first: {line}");
        last = nearest;
    }
    assert!(run.stdout.lines().count() >= 5, "{}", run.stdout);
    let json =
        search_in(dir.path(), "near:\"Baltimore, MD\":60mi", &["--sort", "distance", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let first = &value[0]["nearest_site"];
    assert_eq!(first["unit"], "mi");
    assert!(first["distance"].as_f64().unwrap() <= value[1]["nearest_site"]["distance"].as_f64().unwrap());
    assert!(
        first["place"].as_str().unwrap().ends_with(", Maryland")
            || first["place"].as_str().unwrap().starts_with("Washington")
    );
    let without = search_in(dir.path(), "status:recruiting", &["--sort", "distance"]);
    assert_eq!(without.code, 2);
    assert!(without.stderr.contains("--sort distance needs a place in the query"), "{}", without.stderr);
}

#[test]
fn places_are_named_like_countries_and_ambiguous_ones_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    write_sited_studies(dir.path());
    let ambiguous = search_in(dir.path(), "cancer near:portland", &[]);
    assert_eq!(ambiguous.code, 2, "{}", ambiguous.stderr);
    assert!(
        ambiguous
            .stderr
            .contains("in the query, column 13: near: \"portland\" names places far apart: Portland, "),
        "{}",
        ambiguous.stderr
    );
    assert!(
        ambiguous.stderr.contains("Portland, Oregon, United States (")
            && ambiguous.stderr.contains("Portland, Maine, United States ("),
        "{}",
        ambiguous.stderr
    );
    assert!(
        ambiguous.stderr.ends_with("  cancer near:portland\n              ^^^^^^^^\n"),
        "{:?}",
        ambiguous.stderr
    );
    for named in [
        "near:\"Portland, OR\"",
        "near:\"portland, oregon\":30km",
        "near:\"Lyon, FR\"",
        "near:\"Paris, France\":40mi",
    ] {
        let run = search_in(dir.path(), named, &["--format", "ids"]);
        assert_eq!(run.code, 0, "{named}: {}", run.stderr);
    }
    let region = search_in(dir.path(), "near:Maryland", &[]);
    assert_eq!(region.code, 2);
    assert!(region.stderr.contains("near: Maryland is a region, not a place"), "{}", region.stderr);
    let unknown = search_in(dir.path(), "near:Atlantis", &[]);
    assert!(unknown.stderr.contains("no site is in a place called \"Atlantis\""), "{}", unknown.stderr);
    let radius = search_in(dir.path(), "near:Lyon:far", &[]);
    assert_eq!(radius.code, 2);
    assert!(radius.stderr.contains("near: the radius \"far\" is not a distance"), "{}", radius.stderr);
    let latitude = search_in(dir.path(), "near:91,2", &[]);
    assert!(latitude.stderr.contains("the latitude 91 is out of range"), "{}", latitude.stderr);
}

#[test]
fn near_answers_the_same_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let studies = dir.path().join("studies");
    std::fs::create_dir(&studies).unwrap();
    write_sited_studies(&studies);
    let cache = dir.path().join("cache");
    for query in [
        "near:\"Baltimore, Maryland\":40mi",
        "status:recruiting near:45.76,4.84:70km",
        "near:\"Paris, FR\" OR near:\"Portland, ME\"",
    ] {
        let args = ["--sort", "distance", "--limit", "0"];
        let uncached = search_in(&studies, query, &args);
        let cached = |_: usize| {
            run(Command::new(env!("CARGO_BIN_EXE_nct"))
                .args(["search", query])
                .arg(&studies)
                .args(args)
                .env("COLUMNS", "120")
                .env("XDG_CACHE_HOME", &cache)
                .env("NCT_CACHE", "always"))
        };
        let (stored, reused) = (cached(0), cached(1));
        assert!(cache.join("nct").join("catalogs").exists());
        assert_eq!(uncached.code, 0, "{query}: {}", uncached.stderr);
        assert_eq!(stored.stdout, uncached.stdout, "{query}");
        assert_eq!(reused.stdout, uncached.stdout, "{query}");
    }
}
