//! Growing a template's protocol to the size of registry records by the means sponsors use:
//! longer summaries and descriptions, more eligibility criteria, more outcomes, arms, keywords
//! and references, and the MeSH browse lists the registry derives. How much each study gets is
//! drawn from one per-study `scale` (log-normal, median 1), because in the registry a study that
//! writes a long description also tends to list many criteria and outcomes.

use crate::json::J;
use crate::prose::{self, Topic};
use crate::rng::Rng;

/// Key order of the registry's records, for keys a template may not have yet.
const PROTOCOL_ORDER: &[&str] = &[
    "identificationModule",
    "statusModule",
    "sponsorCollaboratorsModule",
    "oversightModule",
    "descriptionModule",
    "conditionsModule",
    "designModule",
    "armsInterventionsModule",
    "outcomesModule",
    "eligibilityModule",
    "contactsLocationsModule",
    "referencesModule",
    "ipdSharingStatementModule",
];
pub const STUDY_ORDER: &[&str] = &[
    "protocolSection",
    "resultsSection",
    "annotationSection",
    "documentSection",
    "derivedSection",
    "hasResults",
];
const DERIVED_ORDER: &[&str] = &["miscInfoModule", "conditionBrowseModule", "interventionBrowseModule"];
const DESCRIPTION_ORDER: &[&str] = &["briefSummary", "detailedDescription"];
const CONDITIONS_ORDER: &[&str] = &["conditions", "keywords"];
const OUTCOMES_ORDER: &[&str] = &["primaryOutcomes", "secondaryOutcomes", "otherOutcomes"];
const BROWSE_ORDER: &[&str] = &["meshes", "ancestors", "browseLeaves", "browseBranches"];

/// Sets `key` in an object, inserting a new key where the registry's `order` puts it.
pub fn set_ordered(object: &mut J, key: &str, value: J, order: &[&str]) {
    let J::Obj(pairs) = object else { return };
    if let Some((_, v)) = pairs.iter_mut().find(|(k, _)| k == key) {
        *v = value;
        return;
    }
    let rank = |k: &str| order.iter().position(|o| *o == k);
    let at = match rank(key) {
        Some(mine) => pairs.iter().position(|(k, _)| rank(k).is_some_and(|r| r > mine)),
        None => None,
    };
    match at {
        Some(at) => pairs.insert(at, (key.to_string(), value)),
        None => pairs.push((key.to_string(), value)),
    }
}

fn text_of(object: &J, key: &str) -> Option<String> {
    object.get(key).and_then(J::as_str).map(str::to_string)
}

/// The items of an array under `key` (empty when absent).
fn items(object: &J, key: &str) -> Vec<J> {
    match object.get(key) {
        Some(J::Arr(items)) => items.clone(),
        _ => Vec::new(),
    }
}

pub fn description(rng: &mut Rng, topic: &Topic, protocol: &mut J, scale: f64) {
    let Some(module) = protocol.get_mut("descriptionModule") else { return };
    let mut brief = text_of(module, "briefSummary").unwrap_or_default();
    for _ in 0..rng.amount(1.0, scale) {
        if !brief.is_empty() {
            brief.push(' ');
        }
        brief.push_str(&prose::sentence(rng, topic));
    }
    set_ordered(module, "briefSummary", J::s(brief), DESCRIPTION_ORDER);
    // About a third of registry records have no detailed description.
    let existing = text_of(module, "detailedDescription");
    if existing.is_none() && rng.chance(35) {
        return;
    }
    let mut paragraphs: Vec<String> = existing.into_iter().collect();
    let count = rng.amount(1.4, scale * scale) + usize::from(paragraphs.is_empty());
    for _ in 0..count {
        if rng.chance(20) {
            let n = rng.range(3, 10) as usize;
            paragraphs.push(prose::procedure_list(rng, topic, n));
        } else {
            let n = rng.range(2, 5) as usize;
            paragraphs.push(prose::paragraph(rng, topic, n));
        }
    }
    set_ordered(module, "detailedDescription", J::s(paragraphs.join("\n\n")), DESCRIPTION_ORDER);
}

pub fn keywords(rng: &mut Rng, topic: &Topic, protocol: &mut J, scale: f64) {
    let Some(module) = protocol.get_mut("conditionsModule") else { return };
    if !rng.chance(65) {
        return;
    }
    let mut words: Vec<String> =
        items(module, "keywords").iter().filter_map(J::as_str).map(str::to_string).collect();
    for _ in 0..rng.amount(2.5, scale) {
        let word = prose::keyword(rng, topic);
        if !words.iter().any(|w| w.eq_ignore_ascii_case(&word)) {
            words.push(word);
        }
    }
    if !words.is_empty() {
        set_ordered(module, "keywords", J::Arr(words.into_iter().map(J::s).collect()), CONDITIONS_ORDER);
    }
}

/// Adds `cohorts` dose cohorts of a new drug as arms, with the intervention they share.
pub fn arms(rng: &mut Rng, topic: &Topic, protocol: &mut J, cohorts: usize) {
    let Some(module) = protocol.get_mut("armsInterventionsModule") else { return };
    if cohorts == 0 || module.get("armGroups").is_none() {
        return;
    }
    let drug = prose::drug_name(rng);
    let name = capitalised(&drug);
    let code = prose::compound_code(rng);
    let route = *rng.pick(&["orally", "subcutaneously", "intravenously"]).unwrap_or(&"orally");
    let frequency =
        *rng.pick(&["once daily", "twice daily", "once weekly", "every 3 weeks"]).unwrap_or(&"once daily");
    let mut dose = rng.range(1, 20) * 5;
    let mut arms = items(module, "armGroups");
    let mut labels = Vec::with_capacity(cohorts);
    for k in 0..cohorts {
        let label = if cohorts > 3 {
            format!("Cohort {}: {name} {dose} mg", k + 1)
        } else {
            format!("{name} {dose} mg")
        };
        let mut description = format!("Participants receive {name} {dose} mg {route} {frequency}");
        if rng.chance(50) {
            description.push_str(&format!(" for {} weeks", rng.range(4, 52)));
        }
        description.push('.');
        if rng.chance(40) {
            description.push(' ');
            description.push_str(&prose::arm_note(rng, topic));
        }
        arms.push(J::obj(vec![
            ("label", J::s(label.as_str())),
            ("type", J::s("EXPERIMENTAL")),
            ("description", J::s(description)),
            ("interventionNames", J::Arr(vec![J::s(format!("Drug: {name}"))])),
        ]));
        labels.push(J::s(label));
        dose = dose * rng.range(3, 4) / 2;
    }
    module.set("armGroups", J::Arr(arms));
    let mut interventions = items(module, "interventions");
    interventions.push(J::obj(vec![
        ("type", J::s("DRUG")),
        ("name", J::s(name.as_str())),
        ("description", J::s(format!("{name} ({code}) given {route} {frequency}."))),
        ("armGroupLabels", J::Arr(labels)),
        ("otherNames", J::Arr(vec![J::s(code)])),
    ]));
    module.set("interventions", J::Arr(interventions));
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn outcome_item(rng: &mut Rng, topic: &Topic) -> J {
    let (measure, description, time_frame) = prose::outcome(rng, topic);
    let mut pairs = vec![("measure", J::s(measure))];
    if let Some(description) = description {
        pairs.push(("description", J::s(description)));
    }
    pairs.push(("timeFrame", J::s(time_frame)));
    J::obj(pairs)
}

pub fn outcomes(rng: &mut Rng, topic: &Topic, protocol: &mut J, scale: f64) {
    let Some(module) = protocol.get_mut("outcomesModule") else { return };
    let add = |rng: &mut Rng, module: &mut J, key: &str, n: usize| {
        if n == 0 {
            return;
        }
        let mut list = items(module, key);
        list.extend((0..n).map(|_| outcome_item(rng, topic)));
        set_ordered(module, key, J::Arr(list), OUTCOMES_ORDER);
    };
    let primary = if rng.chance(25) { rng.range(1, 2) as usize } else { 0 };
    add(rng, module, "primaryOutcomes", primary);
    let secondary = rng.amount(4.5, scale);
    add(rng, module, "secondaryOutcomes", secondary);
    let other = if rng.chance(12) { rng.amount(2.0, scale) } else { 0 };
    add(rng, module, "otherOutcomes", other);
}

pub fn eligibility(rng: &mut Rng, topic: &Topic, protocol: &mut J, scale: f64) {
    let Some(module) = protocol.get_mut("eligibilityModule") else { return };
    let Some(text) = text_of(module, "eligibilityCriteria") else { return };
    let inclusion: Vec<String> =
        (0..rng.amount(3.5, scale)).map(|_| prose::inclusion_criterion(rng, topic)).collect();
    let exclusion: Vec<String> =
        (0..rng.amount(6.0, scale)).map(|_| prose::exclusion_criterion(rng, topic)).collect();
    module.set("eligibilityCriteria", J::s(add_criteria(&text, &inclusion, &exclusion)));
}

/// A list item's marker: `Some(None)` for a bullet ("* ", "- "), `Some(Some(n))` for "n. ".
fn marker(line: &str) -> Option<Option<u32>> {
    if line.starts_with("* ") || line.starts_with("- ") {
        return Some(None);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line.get(digits..)?;
    if digits > 0 && rest.starts_with(". ") {
        return line.get(..digits)?.parse().ok().map(Some);
    }
    None
}

/// Adds criteria to eligibility text in its own style: inclusion items after the last item of
/// the inclusion list, exclusion items after the last item of the exclusion list, each with the
/// marker that list uses ("* ", "- " or the next number). A part without a list (criteria as
/// prose) or without an exclusion heading gets nothing of that kind.
pub fn add_criteria(text: &str, inclusion: &[String], exclusion: &[String]) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let heading = lines.iter().position(|line| {
        let lower = line.trim().to_lowercase();
        lower.contains("exclusion") && lower.len() < 60 && marker(line.trim_start()).is_none()
    });
    let mut insertions: Vec<(usize, Vec<String>)> = Vec::new();
    let parts = match heading {
        Some(h) => vec![(0..h, inclusion), (h..lines.len(), exclusion)],
        None => vec![(0..lines.len(), inclusion)],
    };
    for (range, new) in parts {
        if new.is_empty() {
            continue;
        }
        // The last top-level item of this part, and the end of its block (nested lines).
        let Some((last, style)) =
            range.clone().rev().find_map(|i| lines.get(i).and_then(|l| marker(l)).map(|m| (i, m)))
        else {
            continue;
        };
        // Nested lines are indented, and may follow their item after a blank line.
        let indented = |i: usize| lines.get(i).is_some_and(|l| l.starts_with(' ') && !l.trim().is_empty());
        let blank = |i: usize| lines.get(i).is_some_and(|l| l.trim().is_empty());
        let mut end = last + 1;
        loop {
            let mut next = end;
            while next < range.end && blank(next) {
                next += 1;
            }
            if next < range.end && indented(next) {
                end = next + 1;
            } else {
                break;
            }
        }
        let prefix = lines.get(last).and_then(|l| l.get(..2)).unwrap_or("* ").to_string();
        let added = new
            .iter()
            .enumerate()
            .map(|(k, item)| match style {
                Some(n) => format!("{}. {item}", n as usize + k + 1),
                None => format!("{prefix}{item}"),
            })
            .collect();
        insertions.push((end, added));
    }
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + inclusion.len() + exclusion.len());
    for (i, line) in lines.iter().enumerate() {
        for (at, added) in &insertions {
            if *at == i {
                out.extend(added.iter().cloned());
            }
        }
        out.push(line.to_string());
    }
    for (at, added) in &insertions {
        if *at == lines.len() {
            out.extend(added.iter().cloned());
        }
    }
    out.join("\n")
}

pub fn references(rng: &mut Rng, topic: &Topic, protocol: &mut J, scale: f64) {
    if !rng.chance(35) {
        return;
    }
    let count = 1 + rng.amount(1.5, scale * scale);
    if protocol.get("referencesModule").is_none() {
        set_ordered(
            protocol,
            "referencesModule",
            J::obj(vec![("references", J::Arr(Vec::new()))]),
            PROTOCOL_ORDER,
        );
    }
    let Some(module) = protocol.get_mut("referencesModule") else { return };
    let mut list = items(module, "references");
    for _ in 0..count {
        let kind = *rng
            .pick(&["BACKGROUND", "BACKGROUND", "BACKGROUND", "RESULT", "DERIVED"])
            .unwrap_or(&"BACKGROUND");
        list.push(J::obj(vec![
            ("pmid", J::s(rng.range(10_000_000, 39_999_999).to_string())),
            ("type", J::s(kind)),
            ("citation", J::s(prose::citation(rng, topic))),
        ]));
    }
    set_ordered(module, "references", J::Arr(list), &["references", "seeAlsoLinks", "availIpds"]);
}

// ---------------------------------------------------------------------------------------------
// MeSH browse lists (derivedSection): the registry lists, for the conditions and for the
// interventions, the matched terms, their ancestors, "browse leaves" (every term it found, with
// a relevance) and "browse branches" (the top-level categories).

/// A stable made-up MeSH id for a term, so a term has the same id in every study.
fn term_id(prefix: char, term: &str, digits: u32) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in term.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("{prefix}{:0width$}", h % 10u64.pow(digits), width = digits as usize)
}

fn mesh(prefix: char, term: &str) -> J {
    J::obj(vec![("id", J::s(term_id(prefix, term, 6))), ("term", J::s(term))])
}

fn leaf(term: &str, found: Option<&str>, relevance: &str) -> J {
    let mut pairs = vec![("id", J::s(term_id('M', term, 5))), ("name", J::s(term))];
    if let Some(found) = found {
        pairs.push(("asFound", J::s(found)));
    }
    pairs.push(("relevance", J::s(relevance)));
    J::obj(pairs)
}

/// Completes the conditions' browse module (ancestors, leaves, branches) around its meshes.
pub fn condition_browse(rng: &mut Rng, derived: &mut J, conditions: &[String]) {
    let Some(module) = derived.get_mut("conditionBrowseModule") else { return };
    if module.get("browseLeaves").is_some() {
        return;
    }
    let meshes: Vec<String> = items(module, "meshes")
        .iter()
        .filter_map(|m| m.get("term").and_then(J::as_str))
        .map(str::to_string)
        .collect();
    let mut ancestors: Vec<&(&str, &str, &str)> = Vec::new();
    for _ in 0..rng.range(2, 7) {
        if let Some(a) = rng.pick(CONDITION_ANCESTORS)
            && !ancestors.iter().any(|x| x.0 == a.0)
        {
            ancestors.push(a);
        }
    }
    if module.get("ancestors").is_none() {
        set_ordered(
            module,
            "ancestors",
            J::Arr(ancestors.iter().map(|a| mesh('D', a.0)).collect()),
            BROWSE_ORDER,
        );
    }
    let mut leaves: Vec<J> = meshes
        .iter()
        .enumerate()
        .map(|(n, term)| leaf(term, conditions.get(n).map(String::as_str), "HIGH"))
        .collect();
    leaves.extend(ancestors.iter().map(|a| leaf(a.0, None, "LOW")));
    for _ in 0..rng.range(0, 6) {
        if let Some(term) = rng.pick(RELATED_CONDITIONS) {
            leaves.push(leaf(term, None, "LOW"));
        }
    }
    set_ordered(module, "browseLeaves", J::Arr(leaves), BROWSE_ORDER);
    let mut branches: Vec<J> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for a in &ancestors {
        if !seen.contains(&a.1) {
            seen.push(a.1);
            branches.push(J::obj(vec![("abbrev", J::s(a.1)), ("name", J::s(a.2))]));
        }
    }
    branches.push(J::obj(vec![("abbrev", J::s("All")), ("name", J::s("All Conditions"))]));
    set_ordered(module, "browseBranches", J::Arr(branches), BROWSE_ORDER);
}

/// Adds an interventions' browse module of drug classes (for about half of drug studies).
pub fn intervention_browse(rng: &mut Rng, derived: &mut J) {
    if derived.get("interventionBrowseModule").is_some() || !rng.chance(50) {
        return;
    }
    let mut picked: Vec<&(&str, &str, &str)> = Vec::new();
    for _ in 0..rng.range(1, 8) {
        if let Some(c) = rng.pick(DRUG_CLASS_TERMS)
            && !picked.iter().any(|x| x.0 == c.0)
        {
            picked.push(c);
        }
    }
    let mut branches: Vec<J> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for c in &picked {
        if !seen.contains(&c.1) {
            seen.push(c.1);
            branches.push(J::obj(vec![("abbrev", J::s(c.1)), ("name", J::s(c.2))]));
        }
    }
    branches.push(J::obj(vec![("abbrev", J::s("All")), ("name", J::s("All Drugs and Chemicals"))]));
    let module = J::obj(vec![
        ("ancestors", J::Arr(picked.iter().map(|c| mesh('D', c.0)).collect())),
        ("browseLeaves", J::Arr(picked.iter().map(|c| leaf(c.0, None, "LOW")).collect())),
        ("browseBranches", J::Arr(branches)),
    ]);
    set_ordered(derived, "interventionBrowseModule", module, DERIVED_ORDER);
}

/// (term, branch abbreviation, branch name)
const CONDITION_ANCESTORS: &[(&str, &str, &str)] = &[
    ("Nervous System Diseases", "BC10", "Nervous System Diseases"),
    ("Central Nervous System Diseases", "BC10", "Nervous System Diseases"),
    ("Brain Diseases", "BC10", "Nervous System Diseases"),
    ("Neurodegenerative Diseases", "BC10", "Nervous System Diseases"),
    ("Cardiovascular Diseases", "BC14", "Heart and Blood Diseases"),
    ("Heart Diseases", "BC14", "Heart and Blood Diseases"),
    ("Vascular Diseases", "BC14", "Heart and Blood Diseases"),
    ("Neoplasms", "BC04", "Neoplasms"),
    ("Neoplasms by Site", "BC04", "Neoplasms"),
    ("Neoplasms by Histologic Type", "BC04", "Neoplasms"),
    ("Carcinoma", "BC04", "Neoplasms"),
    ("Respiratory Tract Diseases", "BC08", "Respiratory Tract (Lung and Bronchial) Diseases"),
    ("Lung Diseases", "BC08", "Respiratory Tract (Lung and Bronchial) Diseases"),
    ("Lung Diseases, Obstructive", "BC08", "Respiratory Tract (Lung and Bronchial) Diseases"),
    ("Digestive System Diseases", "BC06", "Digestive System Diseases"),
    ("Gastrointestinal Diseases", "BC06", "Digestive System Diseases"),
    ("Intestinal Diseases", "BC06", "Digestive System Diseases"),
    ("Skin Diseases", "BC17", "Skin and Connective Tissue Diseases"),
    ("Skin Diseases, Papulosquamous", "BC17", "Skin and Connective Tissue Diseases"),
    ("Connective Tissue Diseases", "BC17", "Skin and Connective Tissue Diseases"),
    ("Immune System Diseases", "BC20", "Immune System Diseases"),
    ("Autoimmune Diseases", "BC20", "Immune System Diseases"),
    ("Musculoskeletal Diseases", "BC05", "Muscle, Bone, and Cartilage Diseases"),
    ("Joint Diseases", "BC05", "Muscle, Bone, and Cartilage Diseases"),
    ("Bone Diseases", "BC05", "Muscle, Bone, and Cartilage Diseases"),
    ("Metabolic Diseases", "BC18", "Nutritional and Metabolic Diseases"),
    ("Nutrition Disorders", "BC18", "Nutritional and Metabolic Diseases"),
    ("Glucose Metabolism Disorders", "BC18", "Nutritional and Metabolic Diseases"),
    ("Endocrine System Diseases", "BC19", "Gland and Hormone Related Diseases"),
    ("Mental Disorders", "BXM", "Behaviors and Mental Disorders"),
    ("Mood Disorders", "BXM", "Behaviors and Mental Disorders"),
    ("Behavior and Behavior Mechanisms", "BXM", "Behaviors and Mental Disorders"),
    ("Infections", "BC01", "Infections"),
    ("Virus Diseases", "BC02", "Viral Diseases"),
    ("Bacterial Infections and Mycoses", "BC01", "Infections"),
    ("Kidney Diseases", "BC13", "Urinary Tract, Sexual Organs, and Pregnancy Conditions"),
    ("Urologic Diseases", "BC13", "Urinary Tract, Sexual Organs, and Pregnancy Conditions"),
    ("Pathologic Processes", "BC23", "Symptoms and General Pathology"),
    ("Disease Attributes", "BC23", "Symptoms and General Pathology"),
    ("Chronic Disease", "BC23", "Symptoms and General Pathology"),
    ("Signs and Symptoms", "BC23", "Symptoms and General Pathology"),
    ("Eye Diseases", "BC11", "Eye Diseases"),
    ("Hematologic Diseases", "BC15", "Blood and Lymph Conditions"),
];

const RELATED_CONDITIONS: &[&str] = &[
    "Syndrome",
    "Inflammation",
    "Fibrosis",
    "Recurrence",
    "Pain",
    "Fatigue",
    "Weight Loss",
    "Hypersensitivity",
    "Edema",
    "Necrosis",
    "Ischemia",
    "Hemorrhage",
    "Insulin Resistance",
    "Hyperplasia",
    "Atrophy",
    "Cognitive Dysfunction",
    "Sleep Wake Disorders",
    "Dyspnea",
    "Fever",
    "Emergencies",
];

/// (term, branch abbreviation, branch name)
const DRUG_CLASS_TERMS: &[(&str, &str, &str)] = &[
    ("Anti-Inflammatory Agents", "Infl", "Anti-Inflammatory Agents"),
    ("Antirheumatic Agents", "ARhu", "Antirheumatic Agents"),
    ("Antineoplastic Agents", "ANeo", "Antineoplastic Agents"),
    ("Protein Kinase Inhibitors", "ANeo", "Antineoplastic Agents"),
    ("Enzyme Inhibitors", "EnzI", "Enzyme Inhibitors"),
    ("Hypoglycemic Agents", "Hypo", "Hypoglycemic Agents"),
    ("Antihypertensive Agents", "AnHy", "Antihypertensive Agents"),
    ("Analgesics", "Analg", "Analgesics"),
    ("Immunosuppressive Agents", "Immun", "Immunosuppressive Agents"),
    ("Antiviral Agents", "Infe", "Anti-Infective Agents"),
    ("Anti-Bacterial Agents", "Infe", "Anti-Infective Agents"),
    ("Anticoagulants", "Coag", "Coagulants and Anticoagulants"),
    ("Central Nervous System Depressants", "CNSDep", "Central Nervous System Depressants"),
    ("Antibodies, Monoclonal", "Immun", "Immunosuppressive Agents"),
    ("Hormones", "Horm", "Hormones"),
    ("Vitamins", "Vi", "Vitamins"),
    ("Antioxidants", "AnOx", "Antioxidants"),
    ("Cardiovascular Agents", "CVA", "Cardiovascular Agents"),
    ("Bronchodilator Agents", "Resp", "Respiratory System Agents"),
    ("Psychotropic Drugs", "Psy", "Psychotropic Drugs"),
    ("Gastrointestinal Agents", "Gast", "Gastrointestinal Agents"),
    ("Dermatologic Agents", "Derm", "Dermatologic Agents"),
];

#[cfg(test)]
mod tests {
    use super::add_criteria;

    fn items(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn bullets_go_at_the_end_of_each_list() {
        let text = "Inclusion Criteria:\n\n* Adult\n* Consent\n\nExclusion Criteria:\n\n* Pregnancy";
        let got = add_criteria(text, &items(&["Able to walk"]), &items(&["Prior surgery", "Smoker"]));
        assert_eq!(
            got,
            "Inclusion Criteria:\n\n* Adult\n* Consent\n* Able to walk\n\nExclusion Criteria:\n\n\
             * Pregnancy\n* Prior surgery\n* Smoker"
        );
    }

    #[test]
    fn numbered_lists_continue_after_nested_items() {
        let text = "Inclusion Criteria:\n\n1. Lymphoma\n2. Organ function:\n\n  * ANC ok\n  * Platelets ok\n\n\
                    Exclusion Criteria:\n\n1. Pregnancy";
        let got = add_criteria(text, &items(&["Measurable disease"]), &items(&["CNS disease"]));
        assert_eq!(
            got,
            "Inclusion Criteria:\n\n1. Lymphoma\n2. Organ function:\n\n  * ANC ok\n  * Platelets ok\n\
             3. Measurable disease\n\nExclusion Criteria:\n\n1. Pregnancy\n2. CNS disease"
        );
    }

    #[test]
    fn text_without_a_list_or_heading_gets_only_what_fits() {
        let prose = "Adults with dry eye; contact lens wearers cannot take part.";
        assert_eq!(add_criteria(prose, &items(&["Able to walk"]), &items(&["Smoker"])), prose);
        let inclusion_only = "Inclusion Criteria:\n\n* Aged 70 or older";
        assert_eq!(
            add_criteria(inclusion_only, &items(&["Able to walk"]), &items(&["Smoker"])),
            "Inclusion Criteria:\n\n* Aged 70 or older\n* Able to walk"
        );
    }
}
