//! Posted results, synthesised for a completed or terminated study from its own arms and
//! outcomes: participant flow, baseline characteristics, one outcome measure per outcome, and
//! adverse events. Results are where the registry's largest records get their size: a trial
//! with a dozen dose cohorts and hundreds of adverse-event terms, each with a count per group,
//! passes a megabyte. `Shape` says how far a study goes.

use std::sync::OnceLock;

use crate::json::J;
use crate::prose::{self, Topic};
use crate::rng::Rng;

/// A reporting group: one arm, or one cohort of a study without arms.
pub struct Group {
    pub title: String,
    pub description: String,
}

/// An outcome of the protocol, which the results report a measure for.
pub struct Outcome {
    pub kind: &'static str,
    pub measure: String,
    pub description: Option<String>,
    pub time_frame: String,
}

/// How large the results are.
pub struct Shape {
    /// Participants who started, split between the groups.
    pub enrollment: u64,
    /// Adverse-event terms, serious and other.
    pub serious_terms: usize,
    pub other_terms: usize,
    /// Flow periods, and extra milestones and withdrawal reasons in each.
    pub periods: usize,
    pub milestones: usize,
    pub reasons: usize,
}

pub fn section(rng: &mut Rng, topic: &Topic, groups: &[Group], outcomes: &[Outcome], shape: &Shape) -> J {
    let sizes = group_sizes(rng, shape.enrollment, groups.len());
    J::obj(vec![
        ("participantFlowModule", flow(rng, topic, groups, &sizes, shape)),
        ("baselineCharacteristicsModule", baseline(rng, topic, groups, &sizes)),
        (
            "outcomeMeasuresModule",
            J::obj(vec![(
                "outcomeMeasures",
                J::Arr(outcomes.iter().map(|o| outcome_measure(rng, topic, groups, &sizes, o)).collect()),
            )]),
        ),
        ("adverseEventsModule", adverse_events(rng, topic, groups, &sizes, shape)),
        ("moreInfoModule", more_info(rng, topic)),
    ])
}

/// Appends `n` more post-hoc outcome measures to a results section (used to make sure a study
/// meant to pass a megabyte does).
pub fn add_measures(
    rng: &mut Rng,
    topic: &Topic,
    results: &mut J,
    groups: &[Group],
    enrollment: u64,
    n: usize,
) {
    let sizes = group_sizes(rng, enrollment, groups.len());
    let Some(J::Arr(measures)) = results.path_mut(&["outcomeMeasuresModule", "outcomeMeasures"]) else {
        return;
    };
    for _ in 0..n {
        let (measure, description, time_frame) = prose::outcome(rng, topic);
        let outcome = Outcome { kind: "POST_HOC", measure, description, time_frame };
        measures.push(outcome_measure(rng, topic, groups, &sizes, &outcome));
    }
}

fn group_sizes(rng: &mut Rng, enrollment: u64, groups: usize) -> Vec<u64> {
    let groups = groups.max(1) as u64;
    let each = (enrollment / groups).max(1);
    (0..groups).map(|_| (each + rng.below(each / 5 + 2)).saturating_sub(each / 10).max(1)).collect()
}

fn group_list(prefix: &str, groups: &[Group], total: bool) -> J {
    let mut items: Vec<J> = groups
        .iter()
        .enumerate()
        .map(|(n, g)| {
            J::obj(vec![
                ("id", J::s(format!("{prefix}{n:03}"))),
                ("title", J::s(g.title.as_str())),
                ("description", J::s(g.description.as_str())),
            ])
        })
        .collect();
    if total {
        items.push(J::obj(vec![
            ("id", J::s(format!("{prefix}{:03}", groups.len()))),
            ("title", J::s("Total")),
            ("description", J::s("Total of all reporting groups")),
        ]));
    }
    J::Arr(items)
}

fn num(n: u64) -> J {
    J::Num(n.to_string())
}

/// `{"groupId": "FG000", "numSubjects": "62"}` for each group.
fn subject_counts(prefix: &str, counts: &[u64]) -> J {
    per_group(prefix, counts, "numSubjects")
}

/// `{"groupId": "FG000", KEY: "62"}` for each group's count.
fn per_group(prefix: &str, counts: &[u64], key: &'static str) -> J {
    J::Arr(
        counts
            .iter()
            .enumerate()
            .map(|(n, c)| {
                J::obj(vec![("groupId", J::s(format!("{prefix}{n:03}"))), (key, J::s(c.to_string()))])
            })
            .collect(),
    )
}

fn flow(rng: &mut Rng, topic: &Topic, groups: &[Group], sizes: &[u64], shape: &Shape) -> J {
    let mut pairs: Vec<(&str, J)> = Vec::new();
    if rng.chance(50) {
        pairs.push(("recruitmentDetails", J::s(prose::sentence(rng, topic))));
    }
    if rng.chance(30) {
        pairs.push(("preAssignmentDetails", J::s(prose::sentence(rng, topic))));
    }
    pairs.push(("groups", group_list("FG", groups, false)));
    let mut started: Vec<u64> = sizes.to_vec();
    let mut periods = Vec::with_capacity(shape.periods);
    for p in 0..shape.periods.max(1) {
        let title = if shape.periods <= 1 {
            "Overall Study".to_string()
        } else {
            match rng.below(3) {
                0 => format!("Period {}", p + 1),
                1 => format!(
                    "{} ({} Weeks)",
                    capital(rng.pick(PERIOD_TITLES).copied().unwrap_or("Treatment")),
                    rng.range(2, 52)
                ),
                _ => format!("Cycle {}", p + 1),
            }
        };
        let mut milestones =
            vec![J::obj(vec![("type", J::s("STARTED")), ("achievements", subject_counts("FG", &started))])];
        let mut left = started.clone();
        for _ in 0..shape.milestones {
            for n in left.iter_mut() {
                *n -= rng.below(*n / 12 + 1).min(*n);
            }
            let kind = rng.pick(MILESTONES).copied().unwrap_or("Received Study Drug");
            milestones
                .push(J::obj(vec![("type", J::s(kind)), ("achievements", subject_counts("FG", &left))]));
        }
        let completed: Vec<u64> = left.iter().map(|n| n - rng.below(n / 8 + 1).min(*n)).collect();
        let dropped: Vec<u64> = started.iter().zip(&completed).map(|(s, c)| s - c).collect();
        milestones.push(J::obj(vec![
            ("type", J::s("COMPLETED")),
            ("achievements", subject_counts("FG", &completed)),
        ]));
        milestones.push(J::obj(vec![
            ("type", J::s("NOT COMPLETED")),
            ("achievements", subject_counts("FG", &dropped)),
        ]));
        let mut reasons = Vec::with_capacity(shape.reasons);
        let mut remaining = dropped.clone();
        for r in 0..shape.reasons.max(1) {
            let last = r + 1 == shape.reasons.max(1);
            let share: Vec<u64> =
                remaining.iter().map(|n| if last { *n } else { rng.below(n / 2 + 1).min(*n) }).collect();
            for (rest, s) in remaining.iter_mut().zip(&share) {
                *rest -= s;
            }
            let kind = WITHDRAWAL_REASONS.get(r % WITHDRAWAL_REASONS.len()).copied().unwrap_or("Other");
            reasons.push(J::obj(vec![("type", J::s(kind)), ("reasons", subject_counts("FG", &share))]));
        }
        periods.push(J::obj(vec![
            ("title", J::s(title)),
            ("milestones", J::Arr(milestones)),
            ("dropWithdraws", J::Arr(reasons)),
        ]));
        started = completed;
    }
    pairs.push(("periods", J::Arr(periods)));
    J::obj(pairs)
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One measurement per reporting group (`prefix` "BG" or "OG"), values from `value`.
fn measurements(prefix: &str, n: usize, mut value: impl FnMut(usize) -> Vec<(&'static str, String)>) -> J {
    J::Arr(
        (0..n)
            .map(|g| {
                let mut pairs = vec![("groupId", J::s(format!("{prefix}{g:03}")))];
                pairs.extend(value(g).into_iter().map(|(k, v)| (k, J::s(v))));
                J::obj(pairs)
            })
            .collect(),
    )
}

fn denoms(prefix: &str, counts: &[u64]) -> J {
    J::Arr(vec![J::obj(vec![
        ("units", J::s("Participants")),
        ("counts", per_group(prefix, counts, "value")),
    ])])
}

fn one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

fn baseline(rng: &mut Rng, topic: &Topic, groups: &[Group], sizes: &[u64]) -> J {
    let mut with_total = sizes.to_vec();
    with_total.push(sizes.iter().sum());
    let n = with_total.len();
    let mut measures = Vec::new();
    let age = rng.range(25, 70) as f64;
    measures.push(J::obj(vec![
        ("title", J::s("Age, Continuous")),
        ("paramType", J::s("MEAN")),
        ("dispersionType", J::s("STANDARD_DEVIATION")),
        ("unitOfMeasure", J::s("years")),
        (
            "classes",
            J::Arr(vec![J::obj(vec![(
                "categories",
                J::Arr(vec![J::obj(vec![(
                    "measurements",
                    measurements("BG", n, |_| {
                        let mean = age + (rng.below(100) as f64 - 50.0) / 10.0;
                        let sd = 6.0 + rng.below(80) as f64 / 10.0;
                        vec![("value", one_decimal(mean)), ("spread", one_decimal(sd))]
                    }),
                )])]),
            )])]),
        ),
    ]));
    let categorical = |rng: &mut Rng, title: &str, categories: &[&str]| {
        let split: Vec<Vec<u64>> = with_total
            .iter()
            .take(with_total.len() - 1)
            .map(|&size| split_count(rng, size, categories.len()))
            .collect();
        let cats: Vec<J> = categories
            .iter()
            .enumerate()
            .map(|(c, name)| {
                J::obj(vec![
                    ("title", J::s(*name)),
                    (
                        "measurements",
                        measurements("BG", n, |g| {
                            let value = match split.get(g) {
                                Some(parts) => parts.get(c).copied().unwrap_or(0),
                                None => split.iter().map(|p| p.get(c).copied().unwrap_or(0)).sum(),
                            };
                            vec![("value", value.to_string())]
                        }),
                    ),
                ])
            })
            .collect();
        J::obj(vec![
            ("title", J::s(title)),
            ("paramType", J::s("COUNT_OF_PARTICIPANTS")),
            ("unitOfMeasure", J::s("Participants")),
            ("classes", J::Arr(vec![J::obj(vec![("categories", J::Arr(cats))])])),
        ])
    };
    measures.push(categorical(rng, "Sex: Female, Male", &["Female", "Male"]));
    if rng.chance(60) {
        measures.push(categorical(rng, "Race (NIH/OMB)", RACES));
    }
    if rng.chance(50) {
        measures.push(categorical(
            rng,
            "Ethnicity (NIH/OMB)",
            &["Hispanic or Latino", "Not Hispanic or Latino", "Unknown or Not Reported"],
        ));
    }
    if rng.chance(30) {
        let countries = rng.range(1, 12) as usize;
        let start = rng.below(COUNTRIES.len() as u64) as usize;
        let names: Vec<&str> =
            (0..countries).filter_map(|k| COUNTRIES.get((start + k) % COUNTRIES.len()).copied()).collect();
        measures.push(categorical(rng, "Region of Enrollment", &names));
    }
    // Baseline values of the study's own measures ("HbA1c", "pain intensity").
    for _ in 0..rng.range(0, 4) {
        let mut title = String::new();
        let pattern = if rng.chance(50) { "{lab}" } else { "{noun}" };
        prose::fill(rng, pattern, topic, &mut title);
        let center = rng.range(2, 150) as f64;
        let unit = *rng.pick(&["mg/dL", "score on a scale", "mmol/L", "units"]).unwrap_or(&"units");
        measures.push(J::obj(vec![
            ("title", J::s(capital(&title))),
            ("paramType", J::s("MEAN")),
            ("dispersionType", J::s("STANDARD_DEVIATION")),
            ("unitOfMeasure", J::s(unit)),
            (
                "classes",
                J::Arr(vec![J::obj(vec![(
                    "categories",
                    J::Arr(vec![J::obj(vec![(
                        "measurements",
                        measurements("BG", n, |_| {
                            let mean = center + (rng.below(100) as f64 - 50.0) / 10.0;
                            vec![
                                ("value", one_decimal(mean)),
                                ("spread", one_decimal(center / 5.0 + rng.below(30) as f64 / 10.0)),
                            ]
                        }),
                    )])]),
                )])]),
            ),
        ]));
    }
    J::obj(vec![
        ("groups", group_list("BG", groups, true)),
        ("denoms", denoms("BG", &with_total)),
        ("measures", J::Arr(measures)),
    ])
}

/// Splits `total` into `parts` counts that add up to it.
fn split_count(rng: &mut Rng, total: u64, parts: usize) -> Vec<u64> {
    let mut left = total;
    let mut out = Vec::with_capacity(parts);
    for p in 0..parts {
        let share = if p + 1 == parts { left } else { rng.below(left + 1).min(rng.below(left + 1)) };
        out.push(share);
        left -= share;
    }
    out
}

fn outcome_measure(rng: &mut Rng, topic: &Topic, groups: &[Group], sizes: &[u64], outcome: &Outcome) -> J {
    let n = groups.len();
    let analysed: Vec<u64> = sizes.iter().map(|s| s - rng.below(s / 10 + 1).min(*s)).collect();
    let (param, dispersion, unit) =
        *rng.pick(PARAMS).unwrap_or(&("MEAN", Some("STANDARD_DEVIATION"), "units on a scale"));
    let unit = if param == "COUNT_OF_PARTICIPANTS" { "Participants" } else { unit };
    let mut pairs: Vec<(&str, J)> =
        vec![("type", J::s(outcome.kind)), ("title", J::s(outcome.measure.as_str()))];
    if let Some(description) = &outcome.description {
        pairs.push(("description", J::s(description.as_str())));
    }
    if rng.chance(70) {
        pairs.push(("populationDescription", J::s(prose::sentence(rng, topic))));
    }
    pairs.push(("reportingStatus", J::s("POSTED")));
    pairs.push(("paramType", J::s(param)));
    if let Some(dispersion) = dispersion {
        pairs.push(("dispersionType", J::s(dispersion)));
    }
    pairs.push(("unitOfMeasure", J::s(unit)));
    pairs.push(("timeFrame", J::s(outcome.time_frame.as_str())));
    pairs.push(("groups", group_list("OG", groups, false)));
    pairs.push(("denoms", denoms("OG", &analysed)));
    let center = rng.range(1, 100) as f64;
    let value = |rng: &mut Rng, g: usize| -> Vec<(&'static str, String)> {
        let size = analysed.get(g).copied().unwrap_or(1);
        match (param, dispersion) {
            ("COUNT_OF_PARTICIPANTS", _) => vec![("value", rng.below(size + 1).to_string())],
            (_, Some("STANDARD_DEVIATION" | "STANDARD_ERROR" | "INTER_QUARTILE_RANGE")) => {
                let v = center + (rng.below(100) as f64 - 50.0) / 10.0;
                vec![
                    ("value", one_decimal(v)),
                    ("spread", one_decimal(center / 4.0 + rng.below(30) as f64 / 10.0)),
                ]
            }
            (_, Some(_)) => {
                let v = center + (rng.below(100) as f64 - 50.0) / 10.0;
                let half = 1.0 + rng.below(50) as f64 / 10.0;
                vec![
                    ("value", one_decimal(v)),
                    ("lowerLimit", one_decimal(v - half)),
                    ("upperLimit", one_decimal(v + half)),
                ]
            }
            (_, None) => vec![("value", format!("{:.1}", center + rng.below(100) as f64 / 10.0))],
        }
    };
    let classes = if rng.chance(40) { rng.range(2, 6) as usize } else { 1 };
    let mut class_items = Vec::with_capacity(classes);
    for c in 0..classes {
        let mut class = Vec::new();
        if classes > 1 {
            class.push(("title", J::s(format!("Week {}", (c + 1) * rng.range(2, 8) as usize))));
        }
        class.push((
            "categories",
            J::Arr(vec![J::obj(vec![("measurements", measurements("OG", n, |g| value(rng, g)))])]),
        ));
        class_items.push(J::obj(class));
    }
    pairs.push(("classes", J::Arr(class_items)));
    if outcome.kind == "PRIMARY" && n >= 2 && rng.chance(70) {
        let analyses: Vec<J> = (1..n).map(|g| analysis(rng, g)).collect();
        pairs.push(("analyses", J::Arr(analyses)));
    }
    J::obj(pairs)
}

fn analysis(rng: &mut Rng, group: usize) -> J {
    let difference = (rng.below(800) as f64 - 400.0) / 100.0;
    let half = 0.2 + rng.below(300) as f64 / 100.0;
    let p = match rng.below(4) {
        0 => "\\<0.001".to_string(),
        _ => format!("{:.3}", (rng.below(999) + 1) as f64 / 1000.0),
    };
    let method = rng.pick(ANALYSIS_METHODS).copied().unwrap_or("ANCOVA");
    J::obj(vec![
        ("groupIds", J::Arr(vec![J::s("OG000"), J::s(format!("OG{group:03}"))])),
        ("nonInferiorityType", J::s("SUPERIORITY")),
        ("pValue", J::s(p)),
        ("statisticalMethod", J::s(method)),
        ("paramType", J::s("Mean Difference (Final Values)")),
        ("paramValue", J::s(format!("{difference:.2}"))),
        ("ciPctValue", J::s("95")),
        ("ciNumSides", J::s("TWO_SIDED")),
        ("ciLowerLimit", J::s(format!("{:.2}", difference - half))),
        ("ciUpperLimit", J::s(format!("{:.2}", difference + half))),
    ])
}

fn adverse_events(rng: &mut Rng, topic: &Topic, groups: &[Group], sizes: &[u64], shape: &Shape) -> J {
    let terms = ae_terms();
    let mut serious_total = vec![0u64; sizes.len()];
    let events = |rng: &mut Rng, count: usize, serious: bool, tally: &mut [u64]| -> J {
        // A partial shuffle: `count` distinct terms.
        let mut order: Vec<usize> = (0..terms.len()).collect();
        let count = count.min(order.len());
        for k in 0..count {
            let j = k + rng.below((order.len() - k) as u64) as usize;
            order.swap(k, j);
        }
        let systematic = rng.chance(30);
        J::Arr(
            order
                .iter()
                .take(count)
                .filter_map(|&t| terms.get(t))
                .map(|(term, organ)| {
                    let stats: Vec<J> = sizes
                        .iter()
                        .enumerate()
                        .map(|(g, &at_risk)| {
                            // Serious events are rare (mostly none or one per group); other
                            // events are listed when at least a few percent had them.
                            let affected = if serious {
                                if rng.chance(55) { 0 } else { rng.below(at_risk / 60 + 2) }
                            } else {
                                let cap = at_risk / 8 + 2;
                                rng.below(cap).min(rng.below(cap))
                            }
                            .min(at_risk);
                            if let Some(t) = tally.get_mut(g) {
                                *t += affected;
                            }
                            J::obj(vec![
                                ("groupId", J::s(format!("EG{g:03}"))),
                                ("numEvents", num(affected + rng.below(affected / 3 + 1))),
                                ("numAffected", num(affected)),
                                ("numAtRisk", num(at_risk)),
                            ])
                        })
                        .collect();
                    J::obj(vec![
                        ("term", J::s(term.as_str())),
                        ("organSystem", J::s(*organ)),
                        ("sourceVocabulary", J::s("MedDRA (27.0)")),
                        (
                            "assessmentType",
                            J::s(if systematic {
                                "SYSTEMATIC_ASSESSMENT"
                            } else {
                                "NON_SYSTEMATIC_ASSESSMENT"
                            }),
                        ),
                        ("stats", J::Arr(stats)),
                    ])
                })
                .collect(),
        )
    };
    let serious = events(rng, shape.serious_terms, true, &mut serious_total);
    let mut other_total = vec![0u64; sizes.len()];
    let other = events(rng, shape.other_terms, false, &mut other_total);
    let event_groups: Vec<J> = groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let at_risk = sizes.get(g).copied().unwrap_or(0);
            // Participants with at least one event: fewer than the events summed over terms,
            // since many have more than one.
            let affected = |total: &[u64]| (total.get(g).copied().unwrap_or(0) * 2 / 5).min(at_risk);
            J::obj(vec![
                ("id", J::s(format!("EG{g:03}"))),
                ("title", J::s(group.title.as_str())),
                ("description", J::s(group.description.as_str())),
                ("deathsNumAffected", num(rng.below(at_risk / 50 + 1))),
                ("deathsNumAtRisk", num(at_risk)),
                ("seriousNumAffected", num(affected(&serious_total))),
                ("seriousNumAtRisk", num(at_risk)),
                ("otherNumAffected", num(affected(&other_total))),
                ("otherNumAtRisk", num(at_risk)),
            ])
        })
        .collect();
    J::obj(vec![
        ("frequencyThreshold", J::s(*rng.pick(&["0", "2", "5", "5", "5"]).unwrap_or(&"5"))),
        ("timeFrame", J::s(prose::time_frame(rng, topic))),
        ("description", J::s(prose::sentence(rng, topic))),
        ("eventGroups", J::Arr(event_groups)),
        ("seriousEvents", serious),
        ("otherEvents", other),
    ])
}

fn more_info(rng: &mut Rng, topic: &Topic) -> J {
    let mut pairs = Vec::new();
    if rng.chance(30) {
        pairs.push((
            "limitationsAndCaveats",
            J::obj(vec![("description", J::s(prose::sentence(rng, topic)))]),
        ));
    }
    pairs.push((
        "certainAgreement",
        J::obj(vec![
            ("piSponsorEmployee", J::Bool(rng.chance(30))),
            ("restrictiveAgreement", J::Bool(rng.chance(50))),
        ]),
    ));
    let name = prose::last_name(rng);
    pairs.push((
        "pointOfContact",
        J::obj(vec![
            ("title", J::s(*rng.pick(CONTACT_TITLES).unwrap_or(&"Study Director"))),
            ("organization", J::s(format!("{name} Clinical Research"))),
            ("email", J::s(format!("results.{}@example.org", name.to_lowercase()))),
            ("phone", J::s(format!("+1 {}-555-{:04}", rng.range(200, 989), rng.below(10_000)))),
        ]),
    ));
    J::obj(pairs)
}

/// Adverse-event terms with their organ system: the listed ones, plus investigations made from
/// analytes ("Lipase increased"), enough distinct terms for the largest studies.
fn ae_terms() -> &'static [(String, &'static str)] {
    static TERMS: OnceLock<Vec<(String, &'static str)>> = OnceLock::new();
    TERMS.get_or_init(|| {
        let mut terms: Vec<(String, &'static str)> = Vec::new();
        for (organ, list) in AE_TERMS {
            for term in *list {
                terms.push((term.to_string(), organ));
            }
        }
        for analyte in ANALYTES {
            for change in ["increased", "decreased"] {
                terms.push((format!("{analyte} {change}"), "Investigations"));
            }
        }
        for site in INFECTION_SITES {
            terms.push((format!("{site} infection"), "Infections and infestations"));
        }
        for part in PAIN_SITES {
            terms.push((format!("Pain in {part}"), "Musculoskeletal and connective tissue disorders"));
        }
        terms
    })
}

const PERIOD_TITLES: &[&str] = &[
    "treatment period",
    "double-blind period",
    "open-label extension",
    "follow-up",
    "run-in",
    "maintenance",
];

const MILESTONES: &[&str] = &[
    "Received at Least One Dose",
    "Completed Week 12",
    "Completed Week 24",
    "Entered Follow-up",
    "Randomized",
    "Treated",
    "Completed Treatment",
    "Evaluable for Efficacy",
];

const WITHDRAWAL_REASONS: &[&str] = &[
    "Adverse Event",
    "Withdrawal by Subject",
    "Lost to Follow-up",
    "Lack of Efficacy",
    "Physician Decision",
    "Protocol Violation",
    "Death",
    "Progressive Disease",
    "Sponsor Decision",
    "Pregnancy",
    "Non-compliance",
    "Other",
];

const RACES: &[&str] = &[
    "American Indian or Alaska Native",
    "Asian",
    "Native Hawaiian or Other Pacific Islander",
    "Black or African American",
    "White",
    "More than one race",
    "Unknown or Not Reported",
];

const COUNTRIES: &[&str] = &[
    "United States",
    "Canada",
    "Germany",
    "France",
    "Spain",
    "Italy",
    "Poland",
    "Japan",
    "China",
    "Korea, Republic of",
    "Brazil",
    "Argentina",
    "Mexico",
    "Australia",
    "United Kingdom",
    "Hungary",
    "Czechia",
    "South Africa",
];

/// (paramType, dispersionType, unit)
const PARAMS: &[(&str, Option<&str>, &str)] = &[
    ("MEAN", Some("STANDARD_DEVIATION"), "score on a scale"),
    ("MEAN", Some("STANDARD_DEVIATION"), "mg/dL"),
    ("NUMBER", None, "percentage of participants"),
    ("COUNT_OF_PARTICIPANTS", None, "Participants"),
    ("COUNT_OF_PARTICIPANTS", None, "Participants"),
    ("LEAST_SQUARES_MEAN", Some("STANDARD_ERROR"), "units on a scale"),
    ("LEAST_SQUARES_MEAN", Some("CONFIDENCE_INTERVAL_95"), "points"),
    ("MEDIAN", Some("INTER_QUARTILE_RANGE"), "days"),
    ("MEDIAN", Some("FULL_RANGE"), "months"),
    ("GEOMETRIC_MEAN", Some("CONFIDENCE_INTERVAL_95"), "ng/mL"),
    ("NUMBER", Some("CONFIDENCE_INTERVAL_95"), "events per participant-year"),
];

const ANALYSIS_METHODS: &[&str] = &[
    "ANCOVA",
    "Mixed Models Analysis",
    "Chi-squared",
    "Log Rank",
    "Cochran-Mantel-Haenszel",
    "Regression, Logistic",
];

const CONTACT_TITLES: &[&str] = &[
    "Study Director",
    "Clinical Trial Disclosure Office",
    "Principal Investigator",
    "Medical Information Desk",
];

const AE_TERMS: &[(&str, &[&str])] = &[
    (
        "Gastrointestinal disorders",
        &[
            "Nausea",
            "Vomiting",
            "Diarrhoea",
            "Constipation",
            "Abdominal pain",
            "Abdominal pain upper",
            "Dyspepsia",
            "Abdominal distension",
            "Flatulence",
            "Gastrooesophageal reflux disease",
            "Stomatitis",
            "Dry mouth",
            "Haemorrhoids",
            "Gastritis",
            "Toothache",
            "Dysphagia",
            "Pancreatitis",
            "Small intestinal obstruction",
        ],
    ),
    (
        "Infections and infestations",
        &[
            "Nasopharyngitis",
            "Bronchitis",
            "Sinusitis",
            "Pneumonia",
            "Influenza",
            "Gastroenteritis",
            "Cellulitis",
            "Sepsis",
            "Herpes zoster",
            "Oral herpes",
            "Pharyngitis",
            "Conjunctivitis",
            "Tooth abscess",
            "Cystitis",
            "Otitis media",
            "COVID-19",
            "Appendicitis",
            "Tinea pedis",
        ],
    ),
    (
        "General disorders",
        &[
            "Fatigue",
            "Pyrexia",
            "Oedema peripheral",
            "Asthenia",
            "Chest pain",
            "Malaise",
            "Chills",
            "Injection site pain",
            "Injection site erythema",
            "Injection site swelling",
            "Influenza like illness",
            "Non-cardiac chest pain",
            "Gait disturbance",
            "Feeling hot",
        ],
    ),
    (
        "Nervous system disorders",
        &[
            "Headache",
            "Dizziness",
            "Somnolence",
            "Paraesthesia",
            "Dysgeusia",
            "Syncope",
            "Tremor",
            "Hypoaesthesia",
            "Neuropathy peripheral",
            "Memory impairment",
            "Sciatica",
            "Lethargy",
            "Disturbance in attention",
            "Transient ischaemic attack",
            "Seizure",
        ],
    ),
    (
        "Musculoskeletal and connective tissue disorders",
        &[
            "Arthralgia",
            "Back pain",
            "Myalgia",
            "Muscle spasms",
            "Osteoarthritis",
            "Musculoskeletal pain",
            "Neck pain",
            "Joint swelling",
            "Tendonitis",
            "Bursitis",
            "Musculoskeletal stiffness",
        ],
    ),
    (
        "Respiratory, thoracic and mediastinal disorders",
        &[
            "Cough",
            "Dyspnoea",
            "Oropharyngeal pain",
            "Epistaxis",
            "Nasal congestion",
            "Rhinorrhoea",
            "Pulmonary embolism",
            "Wheezing",
            "Productive cough",
            "Dysphonia",
            "Pleural effusion",
        ],
    ),
    (
        "Skin and subcutaneous tissue disorders",
        &[
            "Rash",
            "Pruritus",
            "Alopecia",
            "Dry skin",
            "Erythema",
            "Urticaria",
            "Hyperhidrosis",
            "Eczema",
            "Dermatitis contact",
            "Skin lesion",
            "Rash maculo-papular",
            "Night sweats",
        ],
    ),
    (
        "Psychiatric disorders",
        &[
            "Insomnia",
            "Anxiety",
            "Depression",
            "Irritability",
            "Agitation",
            "Sleep disorder",
            "Confusional state",
            "Abnormal dreams",
        ],
    ),
    (
        "Cardiac disorders",
        &[
            "Palpitations",
            "Tachycardia",
            "Atrial fibrillation",
            "Bradycardia",
            "Angina pectoris",
            "Cardiac failure",
            "Myocardial infarction",
        ],
    ),
    (
        "Vascular disorders",
        &[
            "Hypertension",
            "Hypotension",
            "Hot flush",
            "Flushing",
            "Deep vein thrombosis",
            "Haematoma",
            "Orthostatic hypotension",
        ],
    ),
    (
        "Metabolism and nutrition disorders",
        &[
            "Decreased appetite",
            "Hyperglycaemia",
            "Hypokalaemia",
            "Dehydration",
            "Hyponatraemia",
            "Hypoglycaemia",
            "Gout",
            "Hypomagnesaemia",
        ],
    ),
    (
        "Renal and urinary disorders",
        &[
            "Acute kidney injury",
            "Haematuria",
            "Pollakiuria",
            "Dysuria",
            "Nephrolithiasis",
            "Urinary retention",
            "Proteinuria",
        ],
    ),
    (
        "Eye disorders",
        &[
            "Vision blurred",
            "Dry eye",
            "Cataract",
            "Eye pain",
            "Lacrimation increased",
            "Conjunctival haemorrhage",
            "Visual impairment",
        ],
    ),
    (
        "Injury, poisoning and procedural complications",
        &[
            "Fall",
            "Contusion",
            "Ligament sprain",
            "Laceration",
            "Procedural pain",
            "Skin abrasion",
            "Joint injury",
            "Infusion related reaction",
        ],
    ),
    (
        "Blood and lymphatic system disorders",
        &[
            "Anaemia",
            "Neutropenia",
            "Thrombocytopenia",
            "Leukopenia",
            "Lymphopenia",
            "Febrile neutropenia",
            "Lymphadenopathy",
        ],
    ),
    (
        "Reproductive system and breast disorders",
        &[
            "Dysmenorrhoea",
            "Menorrhagia",
            "Erectile dysfunction",
            "Breast pain",
            "Vaginal haemorrhage",
            "Pelvic pain",
        ],
    ),
    (
        "Hepatobiliary disorders",
        &["Cholelithiasis", "Hepatic steatosis", "Cholecystitis", "Hepatic function abnormal"],
    ),
    (
        "Immune system disorders",
        &["Hypersensitivity", "Seasonal allergy", "Anaphylactic reaction", "Drug hypersensitivity"],
    ),
    ("Ear and labyrinth disorders", &["Vertigo", "Tinnitus", "Ear pain", "Hypoacusis"]),
    ("Endocrine disorders", &["Hypothyroidism", "Hyperthyroidism", "Adrenal insufficiency"]),
    (
        "Neoplasms benign, malignant and unspecified (incl cysts and polyps)",
        &[
            "Basal cell carcinoma",
            "Squamous cell carcinoma of skin",
            "Lipoma",
            "Benign neoplasm of thyroid gland",
        ],
    ),
];

const ANALYTES: &[&str] = &[
    "Alanine aminotransferase",
    "Aspartate aminotransferase",
    "Blood alkaline phosphatase",
    "Blood bilirubin",
    "Blood creatinine",
    "Blood creatine phosphokinase",
    "Blood glucose",
    "Blood potassium",
    "Blood sodium",
    "Blood urea",
    "Gamma-glutamyltransferase",
    "Haemoglobin",
    "Lipase",
    "Amylase",
    "Neutrophil count",
    "Platelet count",
    "White blood cell count",
    "Lymphocyte count",
    "Weight",
    "Blood pressure",
    "Heart rate",
    "Blood cholesterol",
    "Blood triglycerides",
    "Blood uric acid",
    "Blood calcium",
    "Blood magnesium",
    "Blood phosphorus",
    "Blood albumin",
    "Glycosylated haemoglobin",
    "Blood lactate dehydrogenase",
    "International normalised ratio",
    "Activated partial thromboplastin time",
    "Eosinophil count",
    "Blood thyroid stimulating hormone",
    "Troponin",
    "Brain natriuretic peptide",
    "C-reactive protein",
    "Ejection fraction",
    "QT interval",
    "Body temperature",
];

const INFECTION_SITES: &[&str] = &[
    "Upper respiratory tract",
    "Lower respiratory tract",
    "Urinary tract",
    "Ear",
    "Eye",
    "Skin",
    "Wound",
    "Vulvovaginal mycotic",
    "Fungal skin",
    "Gastrointestinal",
    "Device related",
    "Post procedural",
    "Respiratory syncytial virus",
    "Viral upper respiratory tract",
    "Tooth",
    "Bacterial",
    "Viral",
];

const PAIN_SITES: &[&str] = &["extremity", "jaw", "skin", "joint", "shoulder", "hip", "knee", "foot", "hand"];
