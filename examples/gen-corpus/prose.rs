//! Generated text: summaries, descriptions, eligibility criteria, outcome measures, citations
//! and keywords, written from sentence patterns whose slots are filled from vocabularies with
//! the study's own generator.
//!
//! Two things shape it. Real records are long because sponsors write a lot, so text is where
//! most of the added size goes; and a corpus made of a few repeated paragraphs would deflate far
//! better than the registry does (about 4:1) and make zip benchmarks look faster than they are,
//! so every sentence is drawn slot by slot, with numbers. Disease words come from the study's own
//! conditions (the `{cond}` slot), not from the vocabularies, so a search for a condition still
//! finds the studies about it and not every study.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::rng::Rng;

/// What a study is about, for the slots that name it.
pub struct Topic {
    /// The first condition, as it reads in a sentence ("psoriasis", "type 2 diabetes").
    pub condition: String,
    /// The first intervention's name.
    pub drug: String,
    /// Who takes part ("adults", "children aged 6 to 17 years").
    pub population: String,
    /// The few measures, instruments, tests and drug classes this study keeps coming back to.
    focus: Focus,
    /// Hashes of the sentences, criteria and measures written for this study so far: a study
    /// says each of them once.
    said: RefCell<HashSet<u64>>,
    /// The patterns used so far (by address).
    used: RefCell<HashSet<usize>>,
    /// Where the study's window into a list of alike patterns starts.
    window: usize,
}

/// A study's own short lists, drawn once from the vocabularies. A real record repeats itself
/// (the same scale in the description, the outcomes and the criteria), and deflate, which sees
/// one study at a time, finds those repeats: drawing every slot from the whole vocabulary gives
/// text that compresses markedly worse than the registry's.
struct Focus {
    nouns: Vec<&'static str>,
    instruments: Vec<&'static str>,
    labs: Vec<&'static str>,
    procedures: Vec<&'static str>,
    classes: Vec<&'static str>,
    /// Time frames, which real outcomes share ("Baseline, Week 12" over and over).
    time_frames: Vec<String>,
}

impl Topic {
    pub fn new(rng: &mut Rng, condition: String, drug: String, population: String) -> Topic {
        let window = rng.below(1 << 16) as usize;
        let mut draw = |items: &[&'static str], n: usize| -> Vec<&'static str> {
            (0..n).filter_map(|_| rng.pick(items).copied()).collect()
        };
        let focus = Focus {
            nouns: draw(NOUNS, 5),
            instruments: draw(INSTRUMENTS, 3),
            labs: draw(LABS, 3),
            procedures: draw(PROCEDURES, 2),
            classes: draw(DRUG_CLASSES, 3),
            time_frames: Vec::new(),
        };
        let mut topic = Topic {
            condition,
            drug,
            population,
            focus,
            said: RefCell::new(HashSet::new()),
            used: RefCell::new(HashSet::new()),
            window,
        };
        for _ in 0..3 {
            let mut frame = String::new();
            fill_from(rng, TIME_FRAMES, &topic, &mut frame);
            topic.focus.time_frames.push(capitalised(frame));
        }
        topic
    }
}

/// Most of the time a slot takes a word from the study's focus, otherwise from the whole
/// vocabulary.
fn pick_focused(rng: &mut Rng, focus: &[&str], all: &[&str], out: &mut String) {
    if rng.chance(90) && !focus.is_empty() {
        pick_into(rng, focus, out);
    } else {
        pick_into(rng, all, out);
    }
}

/// A condition name as it reads inside a sentence: lower case, except for acronyms and words
/// with capitals inside them ("COPD", "HIV Infections" -> "HIV infections", "Crohn Disease" ->
/// "Crohn disease" is close enough for generated prose).
pub fn in_sentence(condition: &str) -> String {
    let mut out = String::with_capacity(condition.len());
    for (n, word) in condition.split(' ').enumerate() {
        if n > 0 {
            out.push(' ');
        }
        let upper = word.chars().filter(|c| c.is_uppercase()).count();
        if upper > 1 || (n > 0 && upper == 1 && word.len() <= 2) {
            out.push_str(word);
        } else {
            out.push_str(&word.to_lowercase());
        }
    }
    out
}

/// Fills `pattern`'s `{slot}`s and appends the result to `out`.
pub fn fill(rng: &mut Rng, pattern: &str, topic: &Topic, out: &mut String) {
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(rest.get(..open).unwrap_or_default());
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else {
            out.push_str(rest.get(open..).unwrap_or_default());
            return;
        };
        slot(rng, after.get(..close).unwrap_or_default(), topic, out);
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
}

fn pick_into(rng: &mut Rng, items: &[&str], out: &mut String) {
    out.push_str(rng.pick(items).copied().unwrap_or_default());
}

fn slot(rng: &mut Rng, name: &str, topic: &Topic, out: &mut String) {
    use std::fmt::Write;
    match name {
        "cond" => out.push_str(&topic.condition),
        "drug" => out.push_str(&topic.drug),
        "pop" => out.push_str(&topic.population),
        "noun" => pick_focused(rng, &topic.focus.nouns, NOUNS, out),
        "verb" => pick_into(rng, VERBS, out),
        "adj" => pick_into(rng, ADJECTIVES, out),
        "instr" => pick_focused(rng, &topic.focus.instruments, INSTRUMENTS, out),
        "lab" => pick_focused(rng, &topic.focus.labs, LABS, out),
        "proc" => pick_focused(rng, &topic.focus.procedures, PROCEDURES, out),
        "design" => pick_into(rng, DESIGNS, out),
        "stat" => pick_into(rng, STAT_METHODS, out),
        "cov" => pick_into(rng, COVARIATES, out),
        "setting" => pick_into(rng, SETTINGS, out),
        "class" => pick_focused(rng, &topic.focus.classes, DRUG_CLASSES, out),
        "comorb" => pick_into(rng, COMORBIDITIES, out),
        "role" => pick_into(rng, ROLES, out),
        "freq" => pick_into(rng, FREQUENCIES, out),
        "route" => pick_into(rng, ROUTES, out),
        "ratio" => pick_into(rng, RATIOS, out),
        "effect" => pick_into(rng, EFFECT_VERBS, out),
        "ability" => pick_into(rng, ABILITIES, out),
        "unit" => pick_into(rng, TIME_UNITS, out),
        "period" => pick_into(rng, PERIODS, out),
        "cmp" => pick_into(rng, COMPARISONS, out),
        "visit" => {
            let (unit, last) =
                *rng.pick(&[("Day", 28), ("Week", 52), ("Week", 24), ("Month", 24)]).unwrap_or(&("Week", 52));
            let _ = write!(out, "{unit} {}", rng.range(1, last));
        }
        "visits" => {
            let unit = rng.pick(&["weeks", "weeks", "months"]).copied().unwrap_or("weeks");
            let first = rng.range(1, 6);
            let second = first + rng.range(2, 8);
            let third = second + rng.range(4, 24);
            let _ = write!(out, "baseline and {unit} {first}, {second} and {third}");
        }
        "n" => {
            let _ = write!(out, "{}", rng.range(2, 12));
        }
        "N" => {
            let _ = write!(out, "{}", rng.range(24, 960));
        }
        "pct" => {
            let _ = write!(out, "{}", rng.range(5, 95));
        }
        "dose" => {
            let dose = rng.pick(&[1, 2, 5, 10, 20, 25, 40, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1000]);
            let _ = write!(out, "{} mg", dose.copied().unwrap_or(10));
        }
        "labcmp" => lab_threshold(rng, out),
        "age" => pick_into(rng, &["12", "16", "18", "18", "18", "21", "40", "45", "50", "60", "65"], out),
        "bmi" => pick_into(rng, &["30", "32", "35", "38", "40", "45"], out),
        "qtc" => pick_into(rng, &["450", "470", "480", "500"], out),
        "year" => {
            let _ = write!(out, "{}", rng.range(1995, 2025));
        }
        _ => {
            out.push('{');
            out.push_str(name);
            out.push('}');
        }
    }
}

/// A laboratory threshold in the registry's escaped markup ("ALT \>3 × upper limit of normal").
fn lab_threshold(rng: &mut Rng, out: &mut String) {
    use std::fmt::Write;
    let (name, unit, lo, hi, scale) =
        rng.pick(LAB_LIMITS).copied().unwrap_or(("Hemoglobin", "g/dL", 8, 12, 1));
    let op = rng.pick(&["\\<", "\\<=", "\\>", "\\>="]).copied().unwrap_or("\\<");
    let value = rng.range(lo, hi);
    if scale == 1 {
        let _ = write!(out, "{name} {op}{value} {unit}");
    } else {
        let _ = write!(out, "{name} {op}{}.{} {unit}", value / scale, value % scale);
    }
}

fn capitalised(mut text: String) -> String {
    if let Some(first) = text.chars().next()
        && first.is_lowercase()
    {
        let upper: String = first.to_uppercase().collect();
        text.replace_range(..first.len_utf8(), &upper);
    }
    text
}

/// One sentence of a summary or description.
pub fn sentence(rng: &mut Rng, topic: &Topic) -> String {
    fresh(rng, SENTENCES, topic)
}

/// A text from one of `patterns` that this study has not said yet (a few tries: a pattern
/// without slots can only be said once).
fn fresh(rng: &mut Rng, patterns: &[&'static str], topic: &Topic) -> String {
    let mut text = String::new();
    for _ in 0..4 {
        text.clear();
        fill_from(rng, patterns, topic, &mut text);
        if topic.said.borrow_mut().insert(text_hash(&text)) {
            break;
        }
    }
    capitalised(text)
}

/// FNV-1a, for remembering what a study has said.
fn text_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn rng_pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    rng.pick(items).copied().unwrap_or_default()
}

/// Fills one pattern picked from `patterns`, preferring one this study has not used yet (a
/// list of ten criteria made from three shapes reads like a machine wrote it).
fn fill_from(rng: &mut Rng, patterns: &[&'static str], topic: &Topic, out: &mut String) {
    let mut pattern = "";
    for _ in 0..3 {
        pattern = rng_pick(rng, patterns);
        if topic.used.borrow_mut().insert(pattern.as_ptr() as usize) {
            break;
        }
    }
    fill(rng, pattern, topic, out);
}

/// Fills one pattern from the study's own few (a window of four into `patterns`): a sponsor
/// words its outcomes alike ("Change from baseline in X at week 12" for X after X), and
/// deflate, which sees one study at a time, finds those repeats in real records.
fn fill_alike(rng: &mut Rng, patterns: &[&'static str], topic: &Topic, out: &mut String) {
    let len = patterns.len().max(1);
    let at = (topic.window + rng.below(4) as usize) % len;
    fill(rng, patterns.get(at).copied().unwrap_or_default(), topic, out);
}

/// A paragraph of `n` sentences.
pub fn paragraph(rng: &mut Rng, topic: &Topic, n: usize) -> String {
    let mut out = String::with_capacity(n * 150);
    for k in 0..n {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(&sentence(rng, topic));
    }
    out
}

/// A numbered or bulleted list of study procedures, as many descriptions have.
pub fn procedure_list(rng: &mut Rng, topic: &Topic, n: usize) -> String {
    let mut out = String::with_capacity(n * 80);
    let numbered = rng.chance(50);
    for k in 0..n {
        if k > 0 {
            out.push('\n');
        }
        if numbered {
            out.push_str(&format!("{}. ", k + 1));
        } else {
            out.push_str("* ");
        }
        out.push_str(&fresh(rng, PROCEDURE_ITEMS, topic));
    }
    out
}

pub fn inclusion_criterion(rng: &mut Rng, topic: &Topic) -> String {
    fresh(rng, INCLUSION, topic)
}

pub fn exclusion_criterion(rng: &mut Rng, topic: &Topic) -> String {
    fresh(rng, EXCLUSION, topic)
}

/// An outcome: its measure, maybe a description, and its time frame.
pub fn outcome(rng: &mut Rng, topic: &Topic) -> (String, Option<String>, String) {
    let mut measure = String::with_capacity(100);
    for _ in 0..4 {
        measure.clear();
        fill_alike(rng, MEASURES, topic, &mut measure);
        if topic.said.borrow_mut().insert(text_hash(&measure)) {
            break;
        }
    }
    let measure = capitalised(measure);
    // Descriptions may repeat from outcome to outcome, as real ones do, but not within one.
    let description = rng.chance(60).then(|| {
        let mut text = String::with_capacity(200);
        fill_alike(rng, MEASURE_DESCRIPTIONS, topic, &mut text);
        if rng.chance(40) {
            let mut second = String::with_capacity(100);
            fill_alike(rng, MEASURE_DESCRIPTIONS, topic, &mut second);
            if second != text {
                text.push(' ');
                text.push_str(&second);
            }
        }
        capitalised(text)
    });
    (measure, description, time_frame(rng, topic))
}

pub fn time_frame(rng: &mut Rng, topic: &Topic) -> String {
    if rng.chance(70)
        && let Some(frame) = rng.pick(&topic.focus.time_frames)
    {
        return frame.clone();
    }
    let mut out = String::with_capacity(60);
    fill_from(rng, TIME_FRAMES, topic, &mut out);
    capitalised(out)
}

pub fn keyword(rng: &mut Rng, topic: &Topic) -> String {
    if rng.chance(15) {
        return topic.condition.clone();
    }
    let mut out = String::new();
    fill_from(rng, KEYWORDS, topic, &mut out);
    out
}

/// A note on one arm of a dose-cohort study.
pub fn arm_note(rng: &mut Rng, topic: &Topic) -> String {
    fresh(rng, ARM_NOTES, topic)
}

/// An invented person, "Okafor AB" style for citations or "Ingrid Moreau" for contacts.
pub fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng_pick(rng, FIRST_NAMES), rng_pick(rng, LAST_NAMES))
}

pub fn last_name(rng: &mut Rng) -> &'static str {
    rng_pick(rng, LAST_NAMES)
}

/// A citation in the registry's usual form: authors. Title. Journal. Year;Vol(Issue):pages.
pub fn citation(rng: &mut Rng, topic: &Topic) -> String {
    let mut out = String::with_capacity(260);
    let authors = rng.range(1, 7);
    for k in 0..authors {
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(rng_pick(rng, LAST_NAMES));
        out.push(' ');
        let initials = rng.range(1, 2);
        for _ in 0..initials {
            out.push(char::from(b'A' + rng.below(26) as u8));
        }
    }
    if authors >= 6 {
        out.push_str(", et al");
    }
    out.push_str(". ");
    let mut title = String::new();
    fill_from(rng, TITLES, topic, &mut title);
    out.push_str(&capitalised(title));
    out.push_str(". ");
    out.push_str(rng_pick(rng, JOURNALS));
    let year = rng.range(1998, 2025);
    let volume = rng.range(1, 400);
    let issue = rng.range(1, 24);
    let page = rng.range(1, 2400);
    let pages = rng.range(3, 18);
    out.push_str(&format!(". {year};{volume}({issue}):{page}-{}.", page + pages));
    if rng.chance(40) {
        out.push_str(&format!(
            " doi: 10.{}/{}.{year}.{}.",
            rng.range(1000, 9999),
            rng.range(10, 99),
            rng.range(1000, 99999)
        ));
    }
    out
}

/// An invented drug name: an international-nonproprietary-name-like stem with a class suffix.
pub fn drug_name(rng: &mut Rng) -> String {
    let mut name = String::with_capacity(14);
    name.push_str(rng_pick(rng, DRUG_PREFIXES));
    if rng.chance(50) {
        name.push_str(rng_pick(rng, DRUG_MIDDLES));
    }
    name.push_str(rng_pick(rng, DRUG_SUFFIXES));
    name
}

/// A sponsor's compound code, "ABX-4412".
pub fn compound_code(rng: &mut Rng) -> String {
    let letters: String = (0..rng.range(2, 4)).map(|_| char::from(b'A' + rng.below(26) as u8)).collect();
    format!("{letters}-{}", rng.range(100, 99999))
}

// ---------------------------------------------------------------------------------------------
// Patterns

const SENTENCES: &[&str] = &[
    "This {design} study will {verb} the {noun} of {drug} in {pop} with {cond}.",
    "The primary objective is to {verb} whether {drug} {effect} {noun} compared with {cmp} over {n} {unit}.",
    "Participants will be randomized in a {ratio} ratio to {drug} {dose} {freq} or {cmp}, stratified by {cov} and {cov}.",
    "Assessments of {noun}, {noun} and {noun} will be performed at {visits}.",
    "{noun} will be measured with {instr} at {visits}.",
    "Safety will be monitored by the {role} throughout the {period}, including review of adverse events, vital signs and {lab}.",
    "Blood samples for {lab} and {lab} will be collected at {visit} and at the end of the {period}.",
    "A sample size of {N} participants provides {pct}% power to detect a difference of {n} points in {noun} at a two-sided alpha of 0.05, allowing for {n}% dropout.",
    "Data will be analyzed with a {stat} adjusted for {cov}, {cov} and {cov}.",
    "{cond} affects many {pop}, and current treatments offer limited benefit for {noun}.",
    "Previous studies suggested that {drug} may {effect} {noun} in {pop}, but the evidence remains {adj}.",
    "Participants will receive {drug} {route} {freq} for {n} {unit}, followed by a {n}-week follow-up period.",
    "Recruitment will take place in {setting} over approximately {n} months.",
    "The {role} will review unblinded safety data after {pct}% of participants have completed the {period}.",
    "Secondary analyses will explore the association between {noun} and {noun} in the subgroup of participants with {cov} above the median.",
    "Participants may withdraw at any time without affecting their usual care.",
    "Missing data will be handled with multiple imputation under a missing-at-random assumption, with {stat} as a sensitivity analysis.",
    "An interim analysis for futility is planned when {N} participants have reached {visit}.",
    "{proc} will be performed at screening and repeated at {visit} to {verb} changes in {noun}.",
    "The study hypothesis is that {drug} is {adj} to {cmp} for {noun} in {pop} with {cond}.",
    "Adherence will be assessed by {instr} and by counting returned study medication at each visit.",
    "Participants who complete the {period} may enter an optional open-label extension lasting {n} {unit}.",
    "Quality of life will be assessed with {instr} at {visits}.",
    "Exploratory endpoints include {noun}, {noun} and changes in {lab} from baseline to {visit}.",
    "Study visits will be scheduled in {setting}, and remote visits by telephone are allowed between scheduled clinic visits.",
    "The intervention was developed with input from {pop} and clinicians working in {setting}.",
    "If dose-limiting toxicities occur in 2 or more of 6 participants at a dose level, enrollment at higher doses will stop.",
    "Pharmacokinetic samples will be drawn before dosing and at {n} time points up to {n} hours after the dose on {visit}.",
    "Health economic data, including {noun} and days of work lost, will be collected with {instr}.",
    "The trial is sponsored by the investigators and funded by a public research grant; the manufacturer supplies {drug} free of charge.",
    "Outcome assessors will be blinded to treatment allocation, and {noun} will be adjudicated by an independent committee.",
    "Participants in the {cmp} group will continue their usual treatment for {cond} as prescribed by their physician.",
    "Enrollment of {pop} is expected to be completed within {n} months of the first site opening.",
    "Results will be reported according to the CONSORT statement and shared with participants in a plain-language summary.",
    "Each participant will take part for about {n} {unit}, with {n} clinic visits and {n} telephone contacts.",
    "The dose of {drug} may be reduced to {dose} in participants who experience intolerable {noun}.",
    "Genetic samples will be stored for up to {n} years for research on {noun} in {cond}, with separate consent.",
    "A {stat} will be used to compare {noun} between groups at {visit}.",
    "Participants will keep an electronic diary of {noun} and use of rescue medication during the {period}.",
    "The study will also {verb} the cost-effectiveness of {drug} from the perspective of the health system.",
];

const ARM_NOTES: &[&str] = &[
    "Treatment continues until disease progression or unacceptable toxicity.",
    "Participants may continue treatment in the open-label extension.",
    "Doses are taken with food.",
    "Escalation to the next cohort follows review of safety data by the {role}.",
    "Dose interruptions of up to {n} weeks are allowed for toxicity.",
    "Participants in this cohort also provide samples for {lab} at every visit.",
    "The cohort enrolls {n} to {N} participants.",
    "Premedication with an antihistamine is given before each infusion.",
];

const PROCEDURE_ITEMS: &[&str] = &[
    "screening visit with {proc} and {lab}",
    "randomization and first dose of {drug} ({visit})",
    "{visit}: {instr} and {lab}",
    "{visit}: {proc}",
    "telephone follow-up at {visit}",
    "end-of-treatment visit with {instr}",
    "safety follow-up {n} weeks after the last dose",
    "{proc} at baseline and {visit}",
    "collection of {lab} samples at every visit",
    "review of diary entries and concomitant medication at {visit}",
];

const INCLUSION: &[&str] = &[
    "age {age} years or older at the time of signing informed consent",
    "documented diagnosis of {cond} for at least {n} months before screening",
    "{cond} confirmed by {proc} within {n} weeks before randomization",
    "stable treatment with {class} for at least {n} weeks before {visit}",
    "{labcmp} at screening",
    "able to {ability}",
    "willing and able to provide written informed consent and to comply with all study procedures",
    "women of childbearing potential must have a negative pregnancy test at screening and agree to use highly effective contraception until {n} weeks after the last dose",
    "body mass index between 18 and {bmi} kg/m² inclusive",
    "at least {n} episodes of {noun} in the {n} weeks before screening",
    "{noun} score of at least {n} on {instr} at screening and at baseline",
    "eastern Cooperative Oncology Group (ECOG) performance status of 0 to {n}",
    "adequate organ function, defined as {labcmp} and {labcmp}",
    "inadequate response or intolerance to at least one prior {class}",
    "lives within {n}0 km of a participating site and has access to a telephone",
    "fluent in the local language, or an interpreter available at every visit",
    "completed at least {pct}% of diary entries during the baseline period",
    "receiving care at one of the participating {setting}",
];

const EXCLUSION: &[&str] = &[
    "{comorb}",
    "history of {comorb} within {n} years before screening",
    "use of {class} within {n} weeks before randomization",
    "{labcmp} at screening",
    "known hypersensitivity to {drug} or to any of its excipients",
    "participation in another interventional study within {n}0 days before screening",
    "pregnant or breastfeeding, or planning a pregnancy during the study",
    "major surgery within {n} weeks before {visit} or planned during the study",
    "any condition that, in the opinion of the investigator, would interfere with the evaluation of {noun}",
    "current alcohol or substance use disorder",
    "unable to {ability}",
    "prior treatment with {drug} or another {class}",
    "live attenuated immunization within {n} weeks before the first dose",
    "QTcF interval \\>{qtc} ms on the screening electrocardiogram",
    "active infection requiring systemic treatment within {n} days before randomization",
    "history of {comorb} or {comorb}",
    "planned {proc} during the {period}",
    "employee of the sponsor or of the investigator's institution, or a relative of one",
];

const MEASURES: &[&str] = &[
    "change from baseline in {noun} at {visit}",
    "percentage of participants with a {pct}% improvement in {noun} at {visit}",
    "number of participants with treatment-emergent adverse events",
    "time to first {noun}",
    "change from baseline in {instr} total score",
    "proportion of participants achieving {adj} improvement in {noun}",
    "{lab} at {visit}",
    "area under the concentration-time curve (AUC) of {drug}",
    "maximum plasma concentration (Cmax) of {drug}",
    "number of participants with clinically significant changes in {lab}",
    "incidence of {noun} during the {period}",
    "annualized rate of {noun}",
    "mean daily {noun} over the last {n} weeks of treatment",
    "participant-reported {noun} measured by {instr}",
    "rate of study drug discontinuation due to adverse events",
    "{noun} assessed by {proc}",
    "overall survival",
    "duration of {noun}",
    "percentage of days with {noun} during the {period}",
    "change in {noun} from {visit} to {visit}",
];

const MEASURE_DESCRIPTIONS: &[&str] = &[
    "{noun} will be measured with {instr}; higher scores indicate worse outcomes.",
    "Defined as the time from randomization to the first documented {noun}.",
    "Scores range from 0 to {n}0; a negative change from baseline indicates improvement.",
    "Adverse events will be coded with MedDRA and graded according to CTCAE version 5.0.",
    "Assessed by a blinded central reader using {proc}.",
    "Participants who discontinue before {visit} will be counted as non-responders.",
    "{lab} will be measured at a central laboratory.",
    "Calculated as the number of events divided by the time at risk, in years.",
    "Based on diary entries recorded by the participant every evening.",
    "Includes all randomized participants who received at least one dose of study treatment.",
];

const TIME_FRAMES: &[&str] = &[
    "baseline and {visit}",
    "up to {n} weeks",
    "{visit}",
    "from randomization up to {n}0 months",
    "baseline, {visit}, {visit} and {visit}",
    "up to {n} years after the last participant is enrolled",
    "pre-dose and up to {n} hours post-dose on {visit}",
    "from first dose to {n}0 days after the last dose",
    "every {n} weeks during the {period}",
    "day 1 through {visit}",
];

const KEYWORDS: &[&str] = &[
    "{noun}",
    "{drug}",
    "{class}",
    "{instr}",
    "{proc}",
    "randomized controlled trial",
    "real-world evidence",
    "quality of life",
    "biomarker",
    "pharmacokinetics",
    "dose finding",
    "implementation science",
    "shared decision making",
    "patient-reported outcomes",
    "telemedicine",
    "health services research",
    "{setting}",
];

const TITLES: &[&str] = &[
    "{drug} for {cond} in {pop}: a {design} trial",
    "{noun} and {noun} in {pop} with {cond}",
    "effect of {class} on {noun} in {cond}: a systematic review and meta-analysis",
    "long-term {noun} after treatment of {cond}",
    "validation of {instr} in {pop}",
    "predictors of {noun} in {setting}",
    "{design} comparison of {drug} and {cmp} for {cond}",
    "{noun} as a marker of {noun} in {cond}: a cohort study",
];

// ---------------------------------------------------------------------------------------------
// Vocabularies

const NOUNS: &[&str] = &[
    "symptom severity",
    "quality of life",
    "functional capacity",
    "treatment adherence",
    "time to relapse",
    "pain intensity",
    "sleep quality",
    "fatigue",
    "cognitive performance",
    "physical activity",
    "hospital admissions",
    "emergency department visits",
    "disease activity",
    "exercise tolerance",
    "medication burden",
    "patient satisfaction",
    "caregiver burden",
    "health care costs",
    "body weight",
    "blood pressure",
    "inflammatory markers",
    "bone mineral density",
    "lung function",
    "muscle strength",
    "gait speed",
    "wound healing",
    "infection rate",
    "viral load",
    "antibody response",
    "immune response",
    "glycemic control",
    "renal function",
    "liver enzymes",
    "plasma concentration",
    "tolerability",
    "recurrence",
    "mortality",
    "length of stay",
    "depressive symptoms",
    "anxiety",
    "daily functioning",
    "work productivity",
    "symptom-free days",
    "rescue medication use",
    "flare frequency",
    "visual acuity",
    "hearing thresholds",
    "nutritional status",
    "frailty",
    "falls",
    "readmission",
    "treatment response",
    "remission",
    "progression-free survival",
    "time to treatment failure",
    "healthcare utilization",
    "self-efficacy",
    "health literacy",
    "social participation",
    "oxygen saturation",
    "heart rate variability",
    "arterial stiffness",
    "endothelial function",
    "insulin sensitivity",
    "lipid profile",
    "microbiome composition",
    "cortisol levels",
    "dose-limiting toxicities",
    "serious adverse events",
    "injection-site reactions",
];

const VERBS: &[&str] = &[
    "evaluate",
    "compare",
    "assess",
    "characterize",
    "measure",
    "determine",
    "estimate",
    "explore",
    "describe",
    "investigate",
    "quantify",
    "examine",
    "confirm",
    "establish",
];

const EFFECT_VERBS: &[&str] = &[
    "reduces",
    "improves",
    "prevents deterioration in",
    "slows the decline of",
    "normalizes",
    "increases",
    "stabilizes",
    "delays worsening of",
];

const ADJECTIVES: &[&str] = &[
    "inconclusive",
    "non-inferior",
    "superior",
    "clinically meaningful",
    "limited",
    "sustained",
    "consistent",
    "preliminary",
    "heterogeneous",
    "equivalent",
    "modest",
    "substantial",
];

const COMPARISONS: &[&str] = &[
    "placebo",
    "usual care",
    "standard of care",
    "an active comparator",
    "a waiting list",
    "sham treatment",
    "best supportive care",
    "a lower dose",
    "attention control",
    "enhanced usual care",
];

const INSTRUMENTS: &[&str] = &[
    "the EQ-5D-5L questionnaire",
    "the Short Form-36 (SF-36)",
    "a 10-point numeric rating scale",
    "the Hospital Anxiety and Depression Scale (HADS)",
    "the Patient Health Questionnaire-9 (PHQ-9)",
    "the Pittsburgh Sleep Quality Index",
    "the 6-minute walk test",
    "the Timed Up and Go test",
    "the Montreal Cognitive Assessment (MoCA)",
    "a visual analogue scale",
    "the Brief Pain Inventory",
    "the FACIT-Fatigue scale",
    "the Clinical Global Impression scale",
    "a validated food frequency questionnaire",
    "wrist-worn accelerometry",
    "the WHO-5 Well-Being Index",
    "the Work Productivity and Activity Impairment questionnaire",
    "a structured clinical interview",
    "home spirometry",
    "continuous glucose monitoring",
    "ambulatory blood pressure monitoring",
    "the Short Physical Performance Battery",
    "the Generalized Anxiety Disorder-7 scale",
    "the Insomnia Severity Index",
    "a study-specific electronic diary",
    "the Dermatology Life Quality Index",
    "the Oswestry Disability Index",
    "the Fatigue Severity Scale",
];

const LABS: &[&str] = &[
    "HbA1c",
    "C-reactive protein",
    "serum creatinine",
    "estimated glomerular filtration rate",
    "alanine aminotransferase",
    "hemoglobin",
    "platelet count",
    "neutrophil count",
    "LDL cholesterol",
    "triglycerides",
    "fasting glucose",
    "NT-proBNP",
    "troponin T",
    "interleukin-6",
    "ferritin",
    "vitamin D",
    "thyroid-stimulating hormone",
    "urinary albumin-to-creatinine ratio",
    "serum potassium",
    "plasma drug concentration",
    "anti-drug antibodies",
    "fecal calprotectin",
    "CD4 count",
    "D-dimer",
];

const LAB_LIMITS: &[(&str, &str, i64, i64, i64)] = &[
    ("Hemoglobin", "g/dL", 80, 120, 10),
    ("Absolute neutrophil count", "× 10^9/L", 10, 20, 10),
    ("Platelet count", "× 10^9/L", 50, 150, 1),
    ("ALT or AST", "× upper limit of normal", 15, 50, 10),
    ("Total bilirubin", "× upper limit of normal", 12, 30, 10),
    ("eGFR", "mL/min/1.73 m²", 15, 60, 1),
    ("Serum creatinine", "mg/dL", 12, 25, 10),
    ("HbA1c", "%", 65, 110, 10),
    ("Serum potassium", "mmol/L", 30, 55, 10),
    ("INR", "", 12, 20, 10),
    ("Fasting glucose", "mmol/L", 50, 130, 10),
    ("Triglycerides", "mg/dL", 150, 500, 1),
    ("LDL cholesterol", "mmol/L", 18, 49, 10),
    ("Systolic blood pressure", "mmHg", 90, 180, 1),
    ("Body weight", "kg", 40, 150, 1),
    ("Serum albumin", "g/dL", 25, 35, 10),
];

const PROCEDURES: &[&str] = &[
    "magnetic resonance imaging",
    "computed tomography",
    "ultrasound",
    "biopsy",
    "echocardiography",
    "a 12-lead electrocardiogram",
    "spirometry",
    "dual-energy X-ray absorptiometry",
    "endoscopy",
    "colonoscopy",
    "polysomnography",
    "skin punch biopsy",
    "optical coherence tomography",
    "positron emission tomography",
    "bone marrow aspiration",
    "lumbar puncture",
    "cardiopulmonary exercise testing",
    "standardized photography",
    "audiometry",
    "electroencephalography",
];

const DESIGNS: &[&str] = &[
    "randomized, double-blind, placebo-controlled",
    "open-label, single-arm",
    "multicenter, randomized, parallel-group",
    "prospective, observational",
    "pragmatic, cluster-randomized",
    "randomized, crossover",
    "phase 2, dose-ranging",
    "non-randomized, pilot",
    "randomized, assessor-blinded",
    "adaptive, seamless phase 2/3",
    "stepped-wedge",
    "single-center, feasibility",
];

const STAT_METHODS: &[&str] = &[
    "mixed model for repeated measures",
    "analysis of covariance",
    "Cox proportional hazards model",
    "logistic regression model",
    "negative binomial regression",
    "generalized estimating equations model",
    "Kaplan-Meier analysis with a stratified log-rank test",
    "linear mixed-effects model",
    "Cochran-Mantel-Haenszel test",
    "Bayesian hierarchical model",
    "Wilcoxon rank-sum test",
    "tipping-point analysis",
];

const COVARIATES: &[&str] = &[
    "age",
    "sex",
    "region",
    "study site",
    "baseline severity",
    "body mass index",
    "prior treatment",
    "disease duration",
    "smoking status",
    "baseline score",
    "renal function",
    "concomitant medication use",
];

const SETTINGS: &[&str] = &[
    "primary care practices",
    "tertiary referral centers",
    "community hospitals",
    "university hospitals",
    "outpatient clinics",
    "rehabilitation centers",
    "nursing homes",
    "community pharmacies",
    "school health services",
    "specialist clinics",
    "rural health centers",
    "intensive care units",
    "emergency departments",
    "occupational health services",
];

const DRUG_CLASSES: &[&str] = &[
    "systemic corticosteroids",
    "biologic therapy",
    "strong CYP3A4 inhibitors",
    "anticoagulants",
    "immunosuppressants",
    "monoamine oxidase inhibitors",
    "proton pump inhibitors",
    "antiplatelet agents",
    "opioid analgesics",
    "JAK inhibitors",
    "TNF inhibitors",
    "SGLT2 inhibitors",
    "GLP-1 receptor agonists",
    "beta-blockers",
    "antipsychotic medication",
    "investigational drugs",
    "hormonal therapy",
    "antiepileptic drugs",
    "statins",
    "systemic antibiotics",
];

const COMORBIDITIES: &[&str] = &[
    "uncontrolled hypertension",
    "active malignancy other than non-melanoma skin cancer",
    "known HIV infection",
    "active hepatitis B or hepatitis C infection",
    "severe renal impairment",
    "moderate or severe hepatic impairment",
    "myocardial infarction or unstable angina",
    "clinically significant arrhythmia",
    "uncontrolled diabetes mellitus",
    "active tuberculosis",
    "severe psychiatric illness",
    "dementia or significant cognitive impairment",
    "organ transplantation",
    "bleeding disorder",
    "epilepsy or recurrent seizures",
    "chronic heart failure (NYHA class III or IV)",
    "inflammatory bowel disease",
    "autoimmune disease requiring systemic treatment",
    "primary immunodeficiency",
    "thromboembolic event",
];

const ROLES: &[&str] = &[
    "data monitoring committee",
    "study physician",
    "principal investigator",
    "independent safety monitor",
    "trial steering committee",
    "research nurse",
    "medical monitor",
    "clinical events committee",
];

const FREQUENCIES: &[&str] = &[
    "once daily",
    "twice daily",
    "three times daily",
    "once weekly",
    "every 2 weeks",
    "every 4 weeks",
    "monthly",
];

const ROUTES: &[&str] = &[
    "orally",
    "subcutaneously",
    "intravenously",
    "by inhalation",
    "topically",
    "intramuscularly",
    "intranasally",
];

const RATIOS: &[&str] = &["1:1", "2:1", "1:1:1", "3:1", "1:1:1:1", "2:2:1"];

const ABILITIES: &[&str] = &[
    "swallow tablets",
    "complete questionnaires without assistance",
    "walk 10 meters with or without a walking aid",
    "attend all study visits",
    "use a smartphone application",
    "undergo magnetic resonance imaging",
    "perform reproducible spirometry",
    "keep a daily electronic diary",
    "follow the study diet",
];

const TIME_UNITS: &[&str] = &["weeks", "weeks", "months", "days"];

const PERIODS: &[&str] = &[
    "treatment period",
    "double-blind period",
    "maintenance phase",
    "induction phase",
    "follow-up period",
    "open-label extension",
    "run-in period",
    "titration phase",
];

const FIRST_NAMES: &[&str] = &[
    "Amara", "Bjorn", "Chen", "Dalia", "Emeka", "Farah", "Gustavo", "Hana", "Ines", "Jonas", "Kavya", "Lars",
    "Mei", "Nadia", "Oskar", "Priya", "Quentin", "Rania", "Sofia", "Tomasz", "Uma", "Viktor", "Wanjiru",
    "Xavier", "Yusuf", "Zofia", "Aiko", "Bruno", "Carmen", "Dmitri", "Elif", "Felipe", "Grace", "Hiroshi",
    "Ingrid", "Joao", "Kofi", "Leila", "Mateo", "Noor",
];

const LAST_NAMES: &[&str] = &[
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Haddad",
    "Moreau",
    "Kowalski",
    "Silva",
    "Nakamura",
    "Fischer",
    "Rossi",
    "Mensah",
    "Novak",
    "Garcia",
    "Ivanova",
    "Papadopoulos",
    "Jensen",
    "Kim",
    "Osei",
    "Dubois",
    "Sato",
    "Horvath",
    "Costa",
    "Nguyen",
    "Muller",
    "Bianchi",
    "Andersen",
    "Yilmaz",
    "Petrov",
    "Singh",
    "Olsen",
    "Ramirez",
    "Cohen",
    "Abe",
    "Walsh",
    "Mbeki",
    "Larsen",
    "Fernandes",
    "Varga",
    "Schmidt",
    "Park",
    "Hughes",
    "Eriksen",
    "Takahashi",
    "Moretti",
    "Banda",
    "Reyes",
    "Kaur",
    "Weber",
];

const JOURNALS: &[&str] = &[
    "J Clin Res Methods",
    "Ann Intern Investig",
    "Clin Trials Rep",
    "Int J Clin Pract Res",
    "Eur J Translational Med",
    "Contemp Trials Commun",
    "BMC Clin Stud",
    "Am J Therapeutic Res",
    "Lancet Reg Health Res",
    "J Patient Rep Outcomes Res",
    "Pharmacol Ther Rev",
    "Scand J Clin Investig",
];

const DRUG_PREFIXES: &[&str] = &[
    "vel", "tor", "ami", "bre", "cal", "dor", "ema", "fil", "gan", "har", "iso", "jor", "kel", "lum", "mir",
    "nal", "ota", "pra", "qui", "ros", "sel", "tal", "ume", "var", "zan", "ber", "cor", "lis",
];

const DRUG_MIDDLES: &[&str] = &["ti", "ro", "va", "mi", "le", "do", "xa", "zi", "ne", "pi"];

const DRUG_SUFFIXES: &[&str] = &[
    "mab",
    "tinib",
    "gliflozin",
    "siran",
    "tide",
    "vir",
    "parin",
    "stat",
    "zumab",
    "lukast",
    "prazole",
    "olol",
    "sartan",
    "dronate",
    "cept",
    "gliptin",
    "semide",
    "tegravir",
    "racetam",
    "oxacin",
];
