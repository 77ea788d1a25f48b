//! `nct profile` and `fits:` through the real binary, with the user's folders in a temporary
//! home: profiles made, printed, listed, changed and deleted; bad keys and values refused with
//! what is accepted; and `nct search fits:NAME` over studies generated here with known ages,
//! sexes, statuses, conditions and thresholds in assorted units, checked against what this test
//! computes for each profile by plain arithmetic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Command;

use serde_json::json;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn nct(home: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_nct"))
        .args(args)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("COLUMNS", "100")
        .output()
        .expect("run nct");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn profiles_are_made_printed_listed_changed_and_deleted() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let empty = nct(home, &["profile"]);
    assert_eq!(empty.code, 0);
    assert!(empty.stdout.contains("no profiles yet"), "{}", empty.stdout);

    let made = nct(
        home,
        &[
            "profile",
            "P-014",
            "--set",
            "age=67",
            "--set",
            "sex=female",
            "--set",
            "ecog=1",
            "--set",
            "anc=1.8 x10^9/L",
            "--set",
            "creatinine=1.1 mg/dL",
            "--set",
            "condition=breast cancer, hypertension",
            "--set",
            "place=\"Baltimore, Maryland\"",
        ],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let printed = nct(home, &["profile", "P-014"]);
    assert_eq!(
        printed.stdout,
        "[P-014]\nage = 67\nsex = female\ncondition = breast cancer\ncondition = hypertension\n\
         place = Baltimore, Maryland\necog = 1\nanc = 1.8 x10^9/L\ncreatinine = 1.1 mg/dL\n"
    );
    let file = std::fs::read_to_string(home.join("data/nct/profiles.toml")).unwrap();
    assert!(file.contains("identifying data"), "the file says to keep identities out:\n{file}");
    assert!(file.contains("anc = \"1.8 x10^9/L\""), "{file}");

    nct(home, &["profile", "P-015", "--set", "age=40"]);
    let listed = nct(home, &["profile"]);
    assert_eq!(listed.stdout.lines().count(), 2, "{}", listed.stdout);
    assert!(listed.stdout.starts_with("P-014  age 67 · sex female"), "{}", listed.stdout);

    let unset = nct(home, &["profile", "P-014", "--unset", "ecog", "--set", "anc=1500/µL"]);
    assert_eq!(unset.code, 0, "{}", unset.stderr);
    assert!(!unset.stdout.contains("ecog") && unset.stdout.contains("anc = 1500 /µL"), "{}", unset.stdout);

    let deleted = nct(home, &["profile", "P-015", "--delete"]);
    assert_eq!((deleted.code, deleted.stdout.as_str()), (0, "deleted profile P-015\n"));
    let gone = nct(home, &["profile", "P-015"]);
    assert_eq!(gone.code, 1);
    assert!(gone.stderr.contains("no profile P-015; the profiles are: P-014"), "{}", gone.stderr);
}

#[test]
fn bad_keys_values_and_names_are_refused_and_change_nothing() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    nct(home, &["profile", "P-1", "--set", "age=50"]);
    let before = std::fs::read_to_string(home.join("data/nct/profiles.toml")).unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["profile", "P-1", "--set", "bloodtype=A"], "'bloodtype' is not a profile key; accepted: age"),
        (
            &["profile", "P-1", "--set", "age=50", "--set", "anc=1.8"],
            "anc: '1.8' has no unit; accepted units: x10^9/L, /µL",
        ),
        (&["profile", "P-1", "--set", "sex=x"], "sex: 'x' is not accepted; accepted: female, male"),
        (&["profile", "P-1", "--set", "ecog"], "'ecog' is not a setting"),
        (&["profile", "Jane Doe", "--set", "age=50"], "pseudonymous"),
    ];
    for (args, expected) in cases {
        let run = nct(home, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
    assert_eq!(std::fs::read_to_string(home.join("data/nct/profiles.toml")).unwrap(), before);
    let help = nct(home, &["profile", "--help"]);
    assert!(help.stdout.contains("pseudonymous code") && help.stdout.contains("identifying data"));
}

/// A small deterministic generator (no crate needed for it).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

/// One generated study and what it asks, in the units the test compares in.
struct Generated {
    id: String,
    open: bool,
    min_age: Option<f64>,
    max_age: Option<f64>,
    sex: &'static str,
    healthy: bool,
    condition: &'static str,
    /// ANC ≥ (×10⁹/L), creatinine ≤ (mg/dL), haemoglobin ≥ (g/dL), ECOG ≤, and excluded when
    /// bilirubin > (× ULN).
    anc: Option<f64>,
    creatinine: Option<f64>,
    haemoglobin: Option<f64>,
    ecog: Option<f64>,
    bilirubin_excluded_above: Option<f64>,
}

const STATUSES: &[(&str, bool)] = &[
    ("RECRUITING", true),
    ("NOT_YET_RECRUITING", true),
    ("ENROLLING_BY_INVITATION", true),
    ("COMPLETED", false),
    ("ACTIVE_NOT_RECRUITING", false),
];
const CONDITIONS: &[&str] = &["Breast Cancer", "Metastatic Breast Cancer", "Lung Cancer", "Asthma"];

fn generate(i: usize, rng: &mut Lcg) -> (Generated, serde_json::Value) {
    let (status, open) = STATUSES[rng.below(STATUSES.len())];
    let min_age = [None, Some(18.0), Some(50.0), Some(70.0)][rng.below(4)];
    let max_age = [None, Some(65.0), Some(80.0)][rng.below(3)];
    let sex = ["ALL", "FEMALE", "MALE"][rng.below(3)];
    let healthy = rng.below(4) == 0;
    let condition = CONDITIONS[rng.below(CONDITIONS.len())];
    let mut inclusion = vec!["Signed informed consent".to_string()];
    let mut exclusion = vec!["Pregnancy".to_string()];
    let pick = |rng: &mut Lcg, values: &[f64]| (rng.below(3) > 0).then(|| values[rng.below(values.len())]);
    let anc = pick(rng, &[1.0, 1.5, 2.0]);
    if let Some(v) = anc {
        inclusion.push(match rng.below(3) {
            0 => format!("Absolute neutrophil count (ANC) ≥ {v} x 10^9/L"),
            1 => format!("ANC ≥ {}/mm3", v * 1000.0),
            _ => format!("ANC ≥ {} cells/µL", v * 1000.0),
        });
    }
    let creatinine = pick(rng, &[1.0, 1.5, 2.0]);
    if let Some(v) = creatinine {
        inclusion.push(match rng.below(2) {
            0 => format!("Serum creatinine ≤ {v} mg/dL"),
            _ => format!("Serum creatinine ≤ {} µmol/L", (v * 88.4).round()),
        });
    }
    let haemoglobin = pick(rng, &[9.0, 10.0, 11.0]);
    if let Some(v) = haemoglobin {
        inclusion.push(match rng.below(2) {
            0 => format!("Hemoglobin ≥ {v} g/dL"),
            _ => format!("Hemoglobin ≥ {} g/L", v * 10.0),
        });
    }
    let ecog = pick(rng, &[0.0, 1.0, 2.0]);
    if let Some(v) = ecog {
        inclusion.push(format!("ECOG performance status ≤ {v}"));
    }
    let bilirubin = pick(rng, &[1.0, 1.5, 3.0]);
    if let Some(v) = bilirubin {
        exclusion.push(format!("Total bilirubin > {v} × ULN"));
    }
    let criteria = format!(
        "Inclusion Criteria:\n\n{}\n\nExclusion Criteria:\n\n{}\n",
        inclusion.iter().map(|c| format!("* {c}")).collect::<Vec<_>>().join("\n"),
        exclusion.iter().map(|c| format!("* {c}")).collect::<Vec<_>>().join("\n"),
    );
    let id = format!("NCT{:08}", 10_000 + i);
    let mut eligibility = json!({
        "eligibilityCriteria": criteria,
        "healthyVolunteers": healthy,
        "sex": sex,
    });
    if let Some(min) = min_age {
        eligibility["minimumAge"] = json!(format!("{min} Years"));
    }
    if let Some(max) = max_age {
        eligibility["maximumAge"] = json!(format!("{max} Years"));
    }
    let record = json!({
        "protocolSection": {
            "identificationModule": {"nctId": id, "briefTitle": format!("Generated study {i}")},
            "statusModule": {"overallStatus": status},
            "conditionsModule": {"conditions": [condition]},
            "eligibilityModule": eligibility,
        },
        "hasResults": false,
    });
    let generated = Generated {
        id,
        open,
        min_age,
        max_age,
        sex,
        healthy,
        condition,
        anc,
        creatinine,
        haemoglobin,
        ecog,
        bilirubin_excluded_above: bilirubin,
    };
    (generated, record)
}

/// A profile as this test knows it, in the units it compares in.
#[derive(Clone, Copy)]
struct Known {
    age: f64,
    sex: Option<&'static str>,
    healthy: bool,
    condition: Option<&'static str>,
    anc: Option<f64>,
    creatinine: Option<f64>,
    haemoglobin: Option<f64>,
    ecog: Option<f64>,
    bilirubin: Option<f64>,
}

fn expected_fit(s: &Generated, p: &Known) -> bool {
    let at_least = |have: Option<f64>, need: Option<f64>| match (have, need) {
        (Some(have), Some(need)) => have >= need,
        _ => true,
    };
    s.open
        && s.min_age.is_none_or(|min| p.age >= min)
        && s.max_age.is_none_or(|max| p.age <= max)
        && p.sex.is_none_or(|sex| s.sex == "ALL" || s.sex == sex)
        && (!p.healthy || s.healthy)
        && p.condition.is_none_or(|c| s.condition.to_lowercase().contains(c))
        && at_least(p.anc, s.anc)
        && at_least(s.creatinine, p.creatinine)
        && at_least(p.haemoglobin, s.haemoglobin)
        && at_least(s.ecog, p.ecog)
        && !matches!((p.bilirubin, s.bilirubin_excluded_above), (Some(b), Some(limit)) if b > limit)
}

#[test]
fn fits_keeps_the_open_studies_the_profile_may_fit_and_converts_units() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let corpus = home.join("studies");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut rng = Lcg(19);
    let mut studies = Vec::new();
    for i in 0..300 {
        let (generated, record) = generate(i, &mut rng);
        std::fs::write(corpus.join(format!("{}.json", generated.id)), record.to_string()).unwrap();
        studies.push(generated);
    }
    // Values in other units than most criteria: 1800/µL, 97 µmol/L (1.097 mg/dL), 105 g/L.
    let profiles: &[(&str, &[&str], Known)] = &[
        (
            "P-A",
            &[
                "age=67",
                "sex=female",
                "ecog=1",
                "anc=1800/µL",
                "creatinine=97 µmol/L",
                "haemoglobin=105 g/L",
                "bilirubin=1.2 x ULN",
                "condition=breast cancer",
            ],
            Known {
                age: 67.0,
                sex: Some("FEMALE"),
                healthy: false,
                condition: Some("breast cancer"),
                anc: Some(1.8),
                creatinine: Some(97.0 / 88.4),
                haemoglobin: Some(10.5),
                ecog: Some(1.0),
                bilirubin: Some(1.2),
            },
        ),
        (
            "P-B",
            &[
                "age=45",
                "sex=male",
                "healthy=yes",
                "anc=2.5 x10^9/L",
                "creatinine=0.8 mg/dL",
                "haemoglobin=14 g/dL",
            ],
            Known {
                age: 45.0,
                sex: Some("MALE"),
                healthy: true,
                condition: None,
                anc: Some(2.5),
                creatinine: Some(0.8),
                haemoglobin: Some(14.0),
                ecog: None,
                bilirubin: None,
            },
        ),
        // Nothing measured: every threshold is unknown, and none may exclude.
        (
            "P-C",
            &["age=72"],
            Known {
                age: 72.0,
                sex: None,
                healthy: false,
                condition: None,
                anc: None,
                creatinine: None,
                haemoglobin: None,
                ecog: None,
                bilirubin: None,
            },
        ),
    ];
    let corpus_arg = corpus.to_str().unwrap();
    for (name, settings, known) in profiles {
        let mut args = vec!["profile", *name];
        for s in *settings {
            args.extend(["--set", s]);
        }
        let made = nct(home, &args);
        assert_eq!(made.code, 0, "{}", made.stderr);
        let mut expected: Vec<&str> =
            studies.iter().filter(|s| expected_fit(s, known)).map(|s| s.id.as_str()).collect();
        expected.sort_unstable();
        assert!(expected.len() >= 3, "{name}: the generator gives too few fits to test: {expected:?}");
        if *name == "P-A" {
            // the thresholds decide something: without them more studies would fit
            let unmeasured = Known {
                anc: None,
                creatinine: None,
                haemoglobin: None,
                ecog: None,
                bilirubin: None,
                ..*known
            };
            let loose = studies.iter().filter(|s| expected_fit(s, &unmeasured)).count();
            assert!(loose > expected.len() + 3, "{name}: {loose} vs {}", expected.len());
        }
        let query = format!("fits:{name}");
        let found = nct(home, &["search", &query, corpus_arg, "--format", "ids", "--limit", "0"]);
        let mut ids: Vec<&str> = found.stdout.lines().collect();
        ids.sort_unstable();
        assert_eq!(ids, expected, "{name}: {}", found.stderr);
    }
    // Every profile lacking values finds at least what the same profile with values finds.
    let unknown = nct(home, &["search", "fits:P-C", corpus_arg, "--format", "ids", "--limit", "0"]);
    let open_and_aged = studies
        .iter()
        .filter(|s| s.open && s.min_age.is_none_or(|m| m <= 72.0) && s.max_age.is_none_or(|m| m >= 72.0))
        .count();
    assert_eq!(unknown.stdout.lines().count(), open_and_aged);

    // With other filters, and an unknown name pointed at with the profiles there are.
    let combined =
        nct(home, &["search", "fits:P-A -metastatic", corpus_arg, "--format", "ids", "--limit", "0"]);
    assert_eq!(combined.code, 0, "{}", combined.stderr);
    let missing = nct(home, &["search", "cancer fits:P-Z", corpus_arg]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("column 13: fits: no profile named \"P-Z\"; the profiles are P-A, P-B, P-C"),
        "{}",
        missing.stderr
    );
    assert!(missing.stderr.contains("\n              ^^^\n"), "the name is pointed at: {}", missing.stderr);
}

/// A recruiting study for every adult with one site in `city`.
fn study_at(id: &str, city: &str, state: &str, country: &str, lat: f64, lon: f64) -> serde_json::Value {
    json!({"protocolSection": {
        "identificationModule": {"nctId": id, "briefTitle": format!("A study in {city}")},
        "statusModule": {"overallStatus": "RECRUITING"},
        "conditionsModule": {"conditions": ["Asthma"]},
        "eligibilityModule": {"sex": "ALL", "minimumAge": "18 Years", "healthyVolunteers": false,
            "eligibilityCriteria": "Inclusion Criteria:\n\n* Asthma\n\nExclusion Criteria:\n\n* Smoking"},
        "contactsLocationsModule": {"locations": [{"facility": "Hospital", "status": "RECRUITING",
            "city": city, "state": state, "country": country, "geoPoint": {"lat": lat, "lon": lon}}]}
    }})
}

/// A profile's place is a `near:` of its own (at the default 50 miles): `fits:` keeps only the
/// studies with a site near it, and a place no site names is the query's mistake, pointed at the
/// profile's name.
#[test]
fn fits_with_a_profile_that_has_a_place_keeps_the_studies_near_it() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let corpus = home.join("studies");
    std::fs::create_dir_all(&corpus).unwrap();
    let studies = [
        study_at("NCT00000101", "Baltimore", "Maryland", "United States", 39.2904, -76.6122),
        study_at("NCT00000102", "Towson", "Maryland", "United States", 39.4015, -76.6019),
        study_at("NCT00000103", "Boston", "Massachusetts", "United States", 42.3601, -71.0589),
        study_at("NCT00000104", "Lyon", "", "France", 45.764, 4.8357),
    ];
    for study in &studies {
        let id = study["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap();
        std::fs::write(corpus.join(format!("{id}.json")), study.to_string()).unwrap();
    }
    let corpus = corpus.to_str().unwrap();
    for (name, place) in [("P-N", "Baltimore, Maryland"), ("P-X", "Atlantis")] {
        let made = nct(home, &["profile", name, "--set", "age=50", "--set", &format!("place={place}")]);
        assert_eq!(made.code, 0, "{}", made.stderr);
    }
    let everyone = nct(home, &["search", "status:open", corpus, "--format", "ids"]);
    assert_eq!(everyone.stdout.lines().count(), 4, "{}", everyone.stderr);

    let near = nct(home, &["search", "fits:P-N", corpus, "--format", "ids"]);
    assert_eq!(near.code, 0, "{}", near.stderr);
    assert_eq!(near.stdout.lines().collect::<Vec<_>>(), ["NCT00000101", "NCT00000102"]);

    let nowhere = nct(home, &["search", "fits:P-X", corpus, "--format", "ids"]);
    assert_eq!(nowhere.code, 2, "{}", nowhere.stdout);
    assert!(nowhere.stderr.contains("Atlantis"), "{}", nowhere.stderr);
    assert!(nowhere.stdout.is_empty(), "{}", nowhere.stdout);
}
