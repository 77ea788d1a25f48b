//! The generator: template studies from `assets/`, varied into new records.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use crate::json::{J, Parser};
use crate::prose::{self, Topic};
use crate::rng::Rng;
use crate::{grow, results, sites};

/// The size of the `NCT9xxxxxxx` id space: at most this many studies.
pub const MAX_STUDIES: u64 = 10_000_000;

// ---------------------------------------------------------------------------------------------
// Templates

pub struct Template {
    name: String,
    /// The study without its locations (they can be large: one asset has 1,148).
    base: J,
    locations: Vec<J>,
    study_type: String,
}

pub fn load_templates(dir: &Path) -> Result<Vec<Template>> {
    let entries = fs::read_dir(dir).with_context(|| format!("reading template folder {}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("listing {}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut templates = Vec::new();
    for path in paths {
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str::<serde_json::Value>(&text)
            .with_context(|| format!("{} is not valid JSON", path.display()))?;
        let mut base = Parser::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
        if base.get("protocolSection").is_none() {
            eprintln!("gen-corpus: skipping {} (not a study object)", path.display());
            continue;
        }
        let locations = match base.path_mut(&["protocolSection", "contactsLocationsModule"]) {
            Some(module) => match module.remove("locations") {
                Some(J::Arr(items)) => items,
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let study_type = base
            .get("protocolSection")
            .and_then(|p| p.get("designModule"))
            .and_then(|d| d.get("studyType"))
            .and_then(J::as_str)
            .unwrap_or("INTERVENTIONAL")
            .to_string();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        templates.push(Template { name, base, locations, study_type });
    }
    if templates.is_empty() {
        bail!("no template studies (*.json with a protocolSection) in {}", dir.display());
    }
    Ok(templates)
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const ADJECTIVES: &[&str] = &[
    "Pragmatic",
    "Adaptive",
    "Pilot",
    "Long-term",
    "Community-based",
    "Nurse-led",
    "Digital",
    "Telehealth-supported",
    "Multinational",
    "Registry-based",
    "Investigator-initiated",
    "Decentralized",
    "Stepped-care",
    "Personalized",
    "Biomarker-guided",
    "Early-access",
];

const POPULATIONS: &[&str] = &[
    "Older Adults",
    "Adolescents",
    "Veterans",
    "Rural Communities",
    "Primary Care",
    "Outpatients",
    "Hospitalized Adults",
    "Low-resource Settings",
    "Indigenous Communities",
    "Shift Workers",
    "Caregivers",
    "Athletes",
];

const CODENAMES: &[&str] = &[
    "AURORA", "BOREALIS", "CASCADE", "DELTA", "EMBER", "FALCON", "GRANITE", "HARBOR", "IRIS", "JUNIPER",
    "KESTREL", "LUMEN", "MERIDIAN", "NOVA", "ORCHID", "PRISM", "QUARTZ", "RIVET", "SIERRA", "TUNDRA",
    "UMBRA", "VECTOR", "WILLOW", "XENON", "YARROW", "ZEPHYR",
];

/// (condition, MeSH id, MeSH term)
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("Type 2 Diabetes", "D003924", "Diabetes Mellitus, Type 2"),
    ("Hypertension", "D006973", "Hypertension"),
    ("Heart Failure", "D006333", "Heart Failure"),
    ("Atrial Fibrillation", "D001281", "Atrial Fibrillation"),
    ("Asthma", "D001249", "Asthma"),
    ("COPD", "D029424", "Pulmonary Disease, Chronic Obstructive"),
    ("Breast Cancer", "D001943", "Breast Neoplasms"),
    ("Non-small Cell Lung Cancer", "D002289", "Carcinoma, Non-Small-Cell Lung"),
    ("Colorectal Cancer", "D015179", "Colorectal Neoplasms"),
    ("Prostate Cancer", "D011471", "Prostatic Neoplasms"),
    ("Multiple Myeloma", "D009101", "Multiple Myeloma"),
    ("Major Depressive Disorder", "D003865", "Depressive Disorder, Major"),
    ("Generalized Anxiety Disorder", "D001008", "Anxiety Disorders"),
    ("Schizophrenia", "D012559", "Schizophrenia"),
    ("Alzheimer Disease", "D000544", "Alzheimer Disease"),
    ("Parkinson Disease", "D010300", "Parkinson Disease"),
    ("Multiple Sclerosis", "D009103", "Multiple Sclerosis"),
    ("Epilepsy", "D004827", "Epilepsy"),
    ("Migraine", "D008881", "Migraine Disorders"),
    ("Stroke", "D020521", "Stroke"),
    ("Rheumatoid Arthritis", "D001172", "Arthritis, Rheumatoid"),
    ("Psoriasis", "D011565", "Psoriasis"),
    ("Crohn Disease", "D003424", "Crohn Disease"),
    ("Ulcerative Colitis", "D003093", "Colitis, Ulcerative"),
    ("Chronic Kidney Disease", "D051436", "Renal Insufficiency, Chronic"),
    ("Obesity", "D009765", "Obesity"),
    ("Osteoarthritis, Knee", "D020370", "Osteoarthritis, Knee"),
    ("Osteoporosis", "D010024", "Osteoporosis"),
    ("HIV Infections", "D015658", "HIV Infections"),
    ("Tuberculosis", "D014376", "Tuberculosis"),
    ("COVID-19", "D000086382", "COVID-19"),
    ("Chronic Pain", "D059350", "Chronic Pain"),
    ("Insomnia", "D007319", "Sleep Initiation and Maintenance Disorders"),
    ("Sickle Cell Disease", "D000755", "Anemia, Sickle Cell"),
];

/// (name, agency class)
const SPONSORS: &[(&str, &str)] = &[
    ("Aldermoor Pharmaceuticals", "INDUSTRY"),
    ("Brightwater Biologics, Inc.", "INDUSTRY"),
    ("Corvane Therapeutics", "INDUSTRY"),
    ("Duskline Medical Devices", "INDUSTRY"),
    ("Everford University", "OTHER"),
    ("Fairhaven Children's Hospital", "OTHER"),
    ("Glenmoor Cancer Centre", "OTHER"),
    ("Hollis Institute of Public Health", "OTHER"),
    ("National Institute of Allergy and Infectious Diseases (NIAID)", "NIH"),
    ("National Heart, Lung, and Blood Institute (NHLBI)", "NIH"),
    ("VA Office of Research and Development", "FED"),
    ("Northwind Clinical Trials Network", "NETWORK"),
    ("Ministry of Health, Republic of Valdoria", "OTHER_GOV"),
    ("Dr. Imogen Castellanos", "INDIV"),
];

const WHY_STOPPED: &[&str] = &[
    "Slow enrollment",
    "Sponsor decision; not related to safety",
    "Funding ended",
    "Futility at a planned interim analysis",
    "The principal investigator left the institution",
    "Study drug supply interrupted",
    "Paused by the data monitoring committee pending a safety review",
];

const PHASES: &[(&[&str], u64)] = &[
    (&["NA"], 22),
    (&["EARLY_PHASE1"], 3),
    (&["PHASE1"], 15),
    (&["PHASE1", "PHASE2"], 6),
    (&["PHASE2"], 22),
    (&["PHASE2", "PHASE3"], 4),
    (&["PHASE3"], 17),
    (&["PHASE4"], 11),
];

const NA_PHASE: &[&str] = &["NA"];

const STATUSES: &[(&str, u64)] = &[
    ("COMPLETED", 40),
    ("RECRUITING", 18),
    ("NOT_YET_RECRUITING", 6),
    ("ACTIVE_NOT_RECRUITING", 8),
    ("ENROLLING_BY_INVITATION", 2),
    ("TERMINATED", 7),
    ("WITHDRAWN", 3),
    ("SUSPENDED", 1),
    ("UNKNOWN", 15),
];

const EA_STATUSES: &[(&str, u64)] = &[
    ("AVAILABLE", 5),
    ("NO_LONGER_AVAILABLE", 3),
    ("TEMPORARILY_NOT_AVAILABLE", 1),
    ("APPROVED_FOR_MARKETING", 2),
];

// ---------------------------------------------------------------------------------------------
// Dates, as a month count (year * 12 + month - 1) plus an optional day.

/// The generator's "today": December 2025 (fixed, so output does not depend on the clock).
const NOW: i64 = 2025 * 12 + 11;

fn ym(months: i64) -> (i64, i64) {
    (months.div_euclid(12), months.rem_euclid(12) + 1)
}

fn day_date(months: i64, day: i64) -> String {
    let (y, m) = ym(months);
    format!("{y:04}-{m:02}-{day:02}")
}

fn month_date(months: i64) -> String {
    let (y, m) = ym(months);
    format!("{y:04}-{m:02}")
}

fn date_struct(date: String, kind: Option<&str>) -> J {
    let mut pairs = vec![("date", J::s(date))];
    if let Some(kind) = kind {
        pairs.push(("type", J::s(kind)));
    }
    J::obj(pairs)
}

// ---------------------------------------------------------------------------------------------
// The generator

/// One generated study and what the size report counts about it.
pub struct Generated {
    pub id: String,
    pub study: J,
    pub sites: usize,
}

pub struct Generator {
    templates: Vec<Template>,
    /// The templates a study with posted results can grow from (interventional ones).
    interventional: Vec<usize>,
    /// Every template's sites: where the sites of studies with more sites than their template
    /// come from.
    site_pool: Vec<J>,
    /// Mixed with a study's index to seed that study's own generator, so studies can be built
    /// in any order, on any thread, and still come out the same for a seed.
    seed_key: u64,
    id_offset: u64,
}

/// Of the completed and terminated studies, how many post results (in the registry about one
/// study in ten has results; completed and terminated are about half of all studies).
const RESULTS_PERCENT: u64 = 18;

/// 1 in this many studies is a giant: a completed trial with many dose cohorts whose posted
/// results (hundreds of adverse-event terms per cohort, long participant flows) pass 1 MB.
const GIANT_ONE_IN: u64 = 2000;

/// The size a giant's record is grown to at least.
const GIANT_BYTES: usize = 1_100_000;

impl Generator {
    pub fn new(templates: Vec<Template>, seed: u64) -> Generator {
        let mut rng = Rng::new(seed);
        let id_offset = rng.below(MAX_STUDIES);
        let seed_key = rng.next();
        let interventional = (0..templates.len())
            .filter(|&n| templates.get(n).is_some_and(|t| t.study_type == "INTERVENTIONAL"))
            .collect();
        let site_pool = templates.iter().flat_map(|t| t.locations.iter().cloned()).collect();
        Generator { templates, interventional, site_pool, seed_key, id_offset }
    }

    /// The i-th id: a permutation of 0..10^7 (multiplier coprime with 10), so ids never repeat.
    fn nct_id(&self, i: u64) -> String {
        let n = (i.wrapping_mul(6_180_339).wrapping_add(self.id_offset)) % MAX_STUDIES;
        format!("NCT9{n:07}")
    }

    pub fn study(&self, i: u64) -> Result<Generated> {
        let id = self.nct_id(i);
        let rng = &mut Rng::new(self.seed_key ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let giant = rng.below(GIANT_ONE_IN) == 0 && !self.interventional.is_empty();
        let at = if giant {
            self.interventional
                .get(rng.below(self.interventional.len() as u64) as usize)
                .copied()
                .unwrap_or(0)
        } else {
            rng.below(self.templates.len() as u64) as usize
        };
        let template = self.templates.get(at).ok_or_else(|| anyhow!("template index out of range"))?;
        let mut study = template.base.clone();
        let expanded_access = template.study_type == "EXPANDED_ACCESS";
        let interventional = template.study_type == "INTERVENTIONAL";
        // How much this study's sponsor writes: log-normal, median 1, 1 in 10 above 2.5.
        let scale = (0.7 * rng.normal()).exp();

        // Status, and whether results are posted
        let table = if expanded_access { EA_STATUSES } else { STATUSES };
        let status = if giant {
            "COMPLETED"
        } else {
            *rng.weighted(table).ok_or_else(|| anyhow!("empty status table"))?
        };
        let with_results = giant
            || (matches!(status, "COMPLETED" | "TERMINATED")
                && !expanded_access
                && rng.chance(RESULTS_PERCENT));
        let template_results = study.remove("resultsSection");
        study.set("hasResults", J::Bool(with_results));

        let protocol = study
            .get_mut("protocolSection")
            .ok_or_else(|| anyhow!("{}: no protocolSection", template.name))?;

        // Identification: id, titles, acronym, organisation
        let sponsor = if rng.chance(60) { rng.pick(SPONSORS).copied() } else { None };
        if let Some(ident) = protocol.get_mut("identificationModule") {
            ident.set("nctId", J::s(id.as_str()));
            let brief = ident.get("briefTitle").and_then(J::as_str).unwrap_or("Study").to_string();
            let adjective = rng.pick(ADJECTIVES).copied().unwrap_or("Pilot");
            let population = rng.pick(POPULATIONS).copied().unwrap_or("Adults");
            let codename = rng.pick(CODENAMES).copied().unwrap_or("NOVA");
            let new_brief = match rng.below(4) {
                0 => format!("{adjective} {brief}"),
                1 => format!("{brief} in {population}"),
                2 => format!("{adjective} {brief} in {population}"),
                _ => format!("{brief} ({codename})"),
            };
            ident.set("briefTitle", J::s(new_brief));
            if let Some(official) = ident.get("officialTitle").and_then(J::as_str).map(str::to_string) {
                let number = rng.range(1, 9);
                ident.set("officialTitle", J::s(format!("{codename}-{number}: {official}")));
            }
            if ident.get("acronym").is_some() || rng.chance(30) {
                let acronym = J::s(format!("{codename}-{}", rng.range(1, 9)));
                ident.set("acronym", acronym);
            }
            ident.set(
                "orgStudyIdInfo",
                J::obj(vec![("id", J::s(format!("GEN-{}", id.get(3..).unwrap_or(""))))]),
            );
            if let Some((name, class)) = sponsor {
                ident.set("organization", J::obj(vec![("fullName", J::s(name)), ("class", J::s(class))]));
            }
        }
        let sponsor_name = match sponsor {
            Some((name, _)) => name.to_string(),
            None => protocol
                .get("sponsorCollaboratorsModule")
                .and_then(|module| module.get("leadSponsor"))
                .and_then(|lead| lead.get("name"))
                .and_then(J::as_str)
                .unwrap_or("Sponsor")
                .to_string(),
        };

        // Status module, rebuilt in the registry's key order
        if let Some(old) = protocol.get_mut("statusModule") {
            *old = status_module(rng, old, status, with_results);
        }

        // Sponsor
        if let Some((name, class)) = sponsor
            && let Some(lead) = protocol.path_mut(&["sponsorCollaboratorsModule", "leadSponsor"])
        {
            *lead = J::obj(vec![("name", J::s(name)), ("class", J::s(class))]);
        }

        // Conditions (and their MeSH terms in the derived section)
        let mut new_meshes = None;
        if rng.chance(55) {
            let n = rng.range(1, 3) as usize;
            let mut chosen: Vec<&(&str, &str, &str)> = Vec::new();
            while chosen.len() < n {
                if let Some(c) = rng.pick(CONDITIONS)
                    && !chosen.iter().any(|x| x.0 == c.0)
                {
                    chosen.push(c);
                }
            }
            if let Some(module) = protocol.get_mut("conditionsModule") {
                module.set("conditions", J::Arr(chosen.iter().map(|c| J::s(c.0)).collect()));
            }
            new_meshes = Some(J::Arr(
                chosen.iter().map(|c| J::obj(vec![("id", J::s(c.1)), ("term", J::s(c.2))])).collect(),
            ));
        }
        let conditions: Vec<String> = protocol
            .get("conditionsModule")
            .and_then(|m| m.get("conditions"))
            .map(|list| match list {
                J::Arr(items) => items.iter().filter_map(J::as_str).map(str::to_string).collect(),
                _ => Vec::new(),
            })
            .unwrap_or_default();

        // Design: phases and enrollment
        let mut enrollment_count = 0u64;
        if let Some(design) = protocol.get_mut("designModule") {
            if interventional {
                let phases = if giant {
                    &["PHASE1", "PHASE2"][..]
                } else {
                    rng.weighted(PHASES).copied().unwrap_or(NA_PHASE)
                };
                design.set("phases", J::Arr(phases.iter().map(|p| J::s(*p)).collect()));
            }
            if let Some(enrollment) = design.get_mut("enrollmentInfo") {
                enrollment_count = if status == "WITHDRAWN" {
                    0
                } else if giant {
                    rng.range(2000, 8000) as u64
                } else {
                    // log-uniform between 10 and ~20,000
                    let exp = rng.range(100, 430) as f64 / 100.0;
                    10f64.powf(exp).round() as u64
                };
                let kind = match status {
                    "RECRUITING" | "NOT_YET_RECRUITING" | "ENROLLING_BY_INVITATION" | "UNKNOWN" => {
                        "ESTIMATED"
                    }
                    _ => "ACTUAL",
                };
                *enrollment =
                    J::obj(vec![("count", J::Num(enrollment_count.to_string())), ("type", J::s(kind))]);
            }
        }

        // Longer text, more criteria, outcomes, arms, keywords and references
        let mut topic = topic(rng, protocol, &conditions);
        grow::description(rng, &topic, protocol, scale);
        grow::keywords(rng, &topic, protocol, scale);
        let cohorts = if giant {
            rng.range(12, 22) as usize
        } else if interventional && rng.chance(25) {
            1 + rng.amount(1.0, scale)
        } else {
            0
        };
        grow::arms(rng, &topic, protocol, cohorts);
        if topic.drug.is_empty() {
            topic.drug = first_intervention(protocol).unwrap_or_else(|| prose::drug_name(rng));
        }
        grow::outcomes(rng, &topic, protocol, scale);
        grow::eligibility(rng, &topic, protocol, scale);
        grow::references(rng, &topic, protocol, scale);

        // Sites
        if let Some(module) = protocol.get_mut("contactsLocationsModule") {
            let want = sites::count(rng);
            if want == 0 {
                module.remove("locations");
            } else {
                let picked =
                    sites::pick(rng, &template.locations, &self.site_pool, want, status, &sponsor_name);
                module.set("locations", J::Arr(picked));
            }
        }

        // Results: the template's own when it has them (half the time), otherwise made from
        // this study's arms and outcomes.
        let mut results_plan = None;
        if with_results {
            let plan = ResultsPlan::new(rng, protocol, giant, enrollment_count, scale);
            let section = match template_results {
                Some(own) if !giant && rng.chance(50) => own,
                _ => results::section(rng, &topic, &plan.groups, &plan.outcomes, &plan.shape),
            };
            grow::set_ordered(&mut study, "resultsSection", section, grow::STUDY_ORDER);
            results_plan = Some(plan);
        }

        if let Some(derived) = study.get_mut("derivedSection") {
            if let Some(meshes) = new_meshes {
                grow::set_ordered(
                    derived,
                    "conditionBrowseModule",
                    J::obj(vec![("meshes", meshes)]),
                    &["miscInfoModule", "conditionBrowseModule", "interventionBrowseModule"],
                );
            }
            grow::condition_browse(rng, derived, &conditions);
            if interventional {
                grow::intervention_browse(rng, derived);
            }
        }

        if giant && let Some(plan) = &results_plan {
            grow_to(rng, &topic, &mut study, plan, GIANT_BYTES);
        }

        let sites = match study.get("protocolSection").and_then(|p| p.get("contactsLocationsModule")) {
            Some(module) => match module.get("locations") {
                Some(J::Arr(items)) => items.len(),
                _ => 0,
            },
            None => 0,
        };
        Ok(Generated { id, study, sites })
    }
}

/// Adds post-hoc outcome measures to a giant's results until its record is `bytes` long.
fn grow_to(rng: &mut Rng, topic: &Topic, study: &mut J, plan: &ResultsPlan, bytes: usize) {
    let mut text = String::with_capacity(bytes + (1 << 16));
    for _ in 0..64 {
        text.clear();
        study.write(&mut text, None);
        if text.len() >= bytes {
            return;
        }
        let Some(results) = study.get_mut("resultsSection") else { return };
        results::add_measures(rng, topic, results, &plan.groups, plan.shape.enrollment, 10);
    }
}

/// What a study is about, for the generated text: its first condition and intervention, and
/// who takes part.
fn topic(rng: &mut Rng, protocol: &J, conditions: &[String]) -> Topic {
    let condition = match conditions.first() {
        Some(c) => prose::in_sentence(c),
        None => "the condition under study".to_string(),
    };
    let eligibility = protocol.get("eligibilityModule");
    let sex = eligibility.and_then(|e| e.get("sex")).and_then(J::as_str).unwrap_or("ALL");
    let children_only = match eligibility.and_then(|e| e.get("stdAges")) {
        Some(J::Arr(ages)) => ages.iter().all(|a| a.as_str() == Some("CHILD")),
        _ => false,
    };
    let population = if children_only {
        "children"
    } else {
        match sex {
            "FEMALE" => *rng.pick(&["women", "female participants", "adult women"]).unwrap_or(&"women"),
            "MALE" => *rng.pick(&["men", "male participants", "adult men"]).unwrap_or(&"men"),
            _ => *rng
                .pick(&["adults", "patients", "participants", "older adults", "outpatients"])
                .unwrap_or(&"adults"),
        }
    };
    let drug = first_intervention(protocol).unwrap_or_default();
    Topic::new(rng, condition, drug, population.to_string())
}

fn first_intervention(protocol: &J) -> Option<String> {
    match protocol.get("armsInterventionsModule").and_then(|m| m.get("interventions")) {
        Some(J::Arr(items)) => {
            items.first().and_then(|i| i.get("name")).and_then(J::as_str).map(str::to_string)
        }
        _ => None,
    }
}

/// The inputs of a synthesised results section: groups from the study's arms, one measure per
/// outcome, and how large it gets.
struct ResultsPlan {
    groups: Vec<results::Group>,
    outcomes: Vec<results::Outcome>,
    shape: results::Shape,
}

impl ResultsPlan {
    fn new(rng: &mut Rng, protocol: &J, giant: bool, enrollment: u64, scale: f64) -> ResultsPlan {
        let arms: Vec<&J> = match protocol.get("armsInterventionsModule").and_then(|m| m.get("armGroups")) {
            Some(J::Arr(items)) => items.iter().collect(),
            _ => Vec::new(),
        };
        let limit = if giant { 40 } else { 8 };
        let mut groups: Vec<results::Group> = arms
            .iter()
            .take(limit)
            .map(|arm| {
                let title = arm.get("label").and_then(J::as_str).unwrap_or("Study Group").to_string();
                let description = arm.get("description").and_then(J::as_str).unwrap_or(&title).to_string();
                results::Group { title, description }
            })
            .collect();
        if groups.is_empty() {
            groups.push(results::Group {
                title: "All Participants".into(),
                description: "All participants enrolled in the study.".into(),
            });
        }
        let mut outcomes = Vec::new();
        let outcomes_module = protocol.get("outcomesModule");
        for (key, kind) in [
            ("primaryOutcomes", "PRIMARY"),
            ("secondaryOutcomes", "SECONDARY"),
            ("otherOutcomes", "OTHER_PRE_SPECIFIED"),
        ] {
            if let Some(J::Arr(items)) = outcomes_module.and_then(|m| m.get(key)) {
                for item in items {
                    outcomes.push(results::Outcome {
                        kind,
                        measure: item.get("measure").and_then(J::as_str).unwrap_or("Outcome").to_string(),
                        description: item.get("description").and_then(J::as_str).map(str::to_string),
                        time_frame: item
                            .get("timeFrame")
                            .and_then(J::as_str)
                            .unwrap_or("Up to 12 months")
                            .to_string(),
                    });
                }
            }
        }
        let shape = if giant {
            results::Shape {
                enrollment: enrollment.max(2000),
                serious_terms: rng.range(150, 260) as usize,
                other_terms: rng.range(150, 260) as usize,
                periods: rng.range(4, 9) as usize,
                milestones: rng.range(2, 6) as usize,
                reasons: rng.range(6, 12) as usize,
            }
        } else {
            let heavy = scale * scale;
            results::Shape {
                enrollment: enrollment.max(groups.len() as u64 * 4),
                serious_terms: rng.amount(10.0, heavy),
                other_terms: 2 + rng.amount(18.0, heavy),
                periods: if rng.chance(75) { 1 } else { rng.range(2, 3) as usize },
                milestones: if rng.chance(60) { 0 } else { rng.range(1, 2) as usize },
                reasons: rng.range(1, 5) as usize,
            }
        };
        ResultsPlan { groups, outcomes, shape }
    }
}

fn status_module(rng: &mut Rng, old: &J, status: &str, with_results: bool) -> J {
    // Which phase of life the study is in decides where its dates fall relative to NOW.
    let past = matches!(
        status,
        "COMPLETED"
            | "TERMINATED"
            | "WITHDRAWN"
            | "UNKNOWN"
            | "NO_LONGER_AVAILABLE"
            | "APPROVED_FOR_MARKETING"
    );
    let future = status == "NOT_YET_RECRUITING";
    let (start, primary, completion) = if past {
        let start = rng.range(2000 * 12, NOW - 30);
        let primary = (start + rng.range(6, 72)).min(NOW - 4);
        let completion = (primary + rng.range(0, 18)).min(NOW - 2);
        (start, primary, completion)
    } else if future {
        let start = NOW + rng.range(1, 9);
        let primary = start + rng.range(12, 48);
        (start, primary, primary + rng.range(0, 24))
    } else {
        let start = rng.range(NOW - 96, NOW - 1);
        let primary = NOW + rng.range(1, 48);
        (start, primary, primary + rng.range(0, 24))
    };
    let submitted = if future { NOW - rng.range(0, 3) } else { start - rng.range(0, 4) };
    let submit_day = rng.range(1, 20);
    let post_day = submit_day + rng.range(2, 8);
    let last_update = if past && status != "UNKNOWN" {
        (completion + rng.range(1, 8)).min(NOW)
    } else if status == "UNKNOWN" {
        (start + rng.range(6, 36)).min(completion).max(submitted + 1)
    } else {
        (NOW - rng.range(0, 6)).max(submitted + 1)
    };
    let update_day = rng.range(1, 22);
    let results = with_results.then(|| ((completion + rng.range(6, 12)).min(NOW), rng.range(1, 20)));
    let last_update = match results {
        Some((month, _)) => last_update.max(month),
        None => last_update,
    };
    let estimated_ends = !past || status == "UNKNOWN";
    let partial = |rng: &mut Rng, months: i64| {
        if rng.chance(50) { month_date(months) } else { day_date(months, rng.range(1, 28)) }
    };
    let post_type = |months: i64| if months < 2017 * 12 { "ESTIMATED" } else { "ACTUAL" };

    let mut pairs: Vec<(&str, J)> =
        vec![("statusVerifiedDate", J::s(month_date(last_update))), ("overallStatus", J::s(status))];
    if status == "UNKNOWN" {
        let last_known =
            ["RECRUITING", "ACTIVE_NOT_RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"];
        pairs.push(("lastKnownStatus", J::s(*rng.pick(&last_known).unwrap_or(&"RECRUITING"))));
    }
    if matches!(status, "TERMINATED" | "WITHDRAWN" | "SUSPENDED") {
        pairs.push(("whyStopped", J::s(*rng.pick(WHY_STOPPED).unwrap_or(&"Sponsor decision"))));
    }
    let expanded = old
        .get("expandedAccessInfo")
        .cloned()
        .unwrap_or_else(|| J::obj(vec![("hasExpandedAccess", J::Bool(false))]));
    pairs.push(("expandedAccessInfo", expanded));
    if old.get("startDateStruct").is_some() {
        let kind = if start <= NOW && !future { "ACTUAL" } else { "ESTIMATED" };
        pairs.push(("startDateStruct", date_struct(partial(rng, start), Some(kind))));
    }
    let end_kind = if estimated_ends { "ESTIMATED" } else { "ACTUAL" };
    if old.get("primaryCompletionDateStruct").is_some() {
        pairs.push(("primaryCompletionDateStruct", date_struct(partial(rng, primary), Some(end_kind))));
    }
    if old.get("completionDateStruct").is_some() {
        pairs.push(("completionDateStruct", date_struct(partial(rng, completion), Some(end_kind))));
    }
    pairs.push(("studyFirstSubmitDate", J::s(day_date(submitted, submit_day))));
    pairs.push(("studyFirstSubmitQcDate", J::s(day_date(submitted, submit_day + rng.range(0, 1)))));
    pairs.push((
        "studyFirstPostDateStruct",
        date_struct(day_date(submitted, post_day), Some(post_type(submitted))),
    ));
    if let Some((results, day)) = results {
        pairs.push(("resultsFirstSubmitDate", J::s(day_date(results, day))));
        pairs.push(("resultsFirstSubmitQcDate", J::s(day_date(results, day + rng.range(0, 5)))));
        pairs.push(("resultsFirstPostDateStruct", date_struct(day_date(results, day + 6), Some("ACTUAL"))));
    }
    pairs.push(("lastUpdateSubmitDate", J::s(day_date(last_update, update_day))));
    pairs.push((
        "lastUpdatePostDateStruct",
        date_struct(day_date(last_update, update_day + 3), Some(post_type(last_update))),
    ));
    J::obj(pairs)
}
