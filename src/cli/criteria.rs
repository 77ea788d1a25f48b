//! `nct criteria`: one study's eligibility as the criteria tree, as text, markdown or JSON.
//!
//! The JSON is a contract for scripts (the screening checklist builds on it):
//! `{"nct_id", "sex", "minimum_age", "maximum_age", "healthy_volunteers", "sections": [{"kind":
//! "inclusion"|"exclusion"|"other", "heading", "intro", "items": [{"ref", "label", "text",
//! "thresholds": [{"what", "comparator", "value", "low", "high", "unit", "text"}], "items":
//! [...]}]}]}`. Text and markdown show the same tree as the Criteria pane and `nct show`.

use std::path::PathBuf;

use serde::Serialize;

use super::show::markdown::escape;
use super::{CriteriaFormat, exit, output};
use crate::present::criteria;
use crate::present::safe_text::{SafeText, visible};
use crate::study::Study;
use crate::study::age::Age;
use crate::study::eligibility::{Criteria, Criterion, Section, split_criteria};
use crate::study::record::EligibilityModule;
use crate::study::threshold::Threshold;

pub fn run(id: &str, paths: &[PathBuf], format: CriteriaFormat) -> u8 {
    let Some(summary) = super::show::find(id, paths) else { return exit::PROBLEM };
    let study = match super::show::full_record(&summary) {
        Ok(study) => study,
        Err(reason) => {
            output::error(&format!("{}: {reason}", summary.origin));
            return exit::PROBLEM;
        }
    };
    let module = eligibility_module(&study);
    // For people the text is shown safe before it is split, as `nct show` does: a control
    // becomes a character the reader sees, and every piece of the tree is then safe. JSON keeps
    // the exact values, its writer escaping what a terminal must not be sent.
    let raw = module.eligibility_criteria.as_deref();
    let criteria = match format {
        CriteriaFormat::Json => raw.map(split_criteria),
        CriteriaFormat::Text | CriteriaFormat::Markdown => raw.map(|raw| split_criteria(&visible(raw))),
    }
    .unwrap_or_default();
    let printed = match format {
        CriteriaFormat::Json => json(&summary.id, &module, &criteria),
        CriteriaFormat::Text => {
            SafeText::from(text(&summary.id, &module, &criteria, super::show::text_width()))
        }
        CriteriaFormat::Markdown => SafeText::from(markdown(&summary.id, &module, &criteria)),
    };
    output::print(printed);
    exit::OK
}

fn eligibility_module(study: &Study) -> EligibilityModule {
    study.protocol_section.as_ref().map(|p| p.eligibility_module.clone()).unwrap_or_default()
}

/// The facts, the count, the thresholds summed up, then the tree.
fn text(id: &str, module: &EligibilityModule, criteria: &Criteria, width: usize) -> String {
    let mut lines = vec![id.to_owned(), crate::present::eligibility::who_may_join(module)];
    if criteria.is_empty() {
        lines.push("No eligibility criteria in this record.".to_owned());
    } else {
        lines.push(criteria::count_line(criteria));
        lines.extend(criteria::threshold_summary_lines(criteria, module, width));
        lines.push(String::new());
        lines.extend(criteria::text_lines(criteria, width));
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn markdown(id: &str, module: &EligibilityModule, criteria: &Criteria) -> String {
    let mut chunks = vec![format!("# {id}: eligibility")];
    let facts: Vec<String> = criteria::facts(module)
        .iter()
        .map(|(label, value)| format!("- **{label}:** {}", escape(value)))
        .collect();
    chunks.push(facts.join("\n"));
    if criteria.is_empty() {
        chunks.push("No eligibility criteria in this record.".to_owned());
    } else {
        chunks.push(escape(&criteria::count_line(criteria)));
        chunks.extend(criteria::threshold_summary(criteria, module).map(|s| escape(&s)));
        chunks.push(criteria::markdown(criteria, escape));
    }
    let mut out = chunks.join("\n\n");
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonStudy<'a> {
    nct_id: &'a str,
    sex: Option<&'a str>,
    minimum_age: Option<&'a Age>,
    maximum_age: Option<&'a Age>,
    healthy_volunteers: Option<bool>,
    sections: Vec<JsonSection<'a>>,
}

#[derive(Serialize)]
struct JsonSection<'a> {
    kind: &'static str,
    heading: Option<&'a str>,
    /// Paragraphs before the first item ("Patients must meet all of the following:").
    intro: &'a [String],
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    #[serde(rename = "ref")]
    reference: &'a str,
    label: Option<&'a str>,
    text: &'a str,
    thresholds: &'a [Threshold],
    items: Vec<JsonItem<'a>>,
}

fn json(id: &str, module: &EligibilityModule, criteria: &Criteria) -> SafeText {
    let study = JsonStudy {
        nct_id: id,
        sex: module.sex.as_ref().map(|s| s.as_str()),
        minimum_age: module.minimum_age.as_ref(),
        maximum_age: module.maximum_age.as_ref(),
        healthy_volunteers: module.healthy_volunteers,
        sections: criteria.sections.iter().map(json_section).collect(),
    };
    match serde_json::to_string_pretty(&study) {
        Ok(mut text) => {
            text.push('\n');
            SafeText::json(&text)
        }
        // Plain structs of strings and numbers always serialise; a NaN would be written null.
        Err(_) => SafeText::json("{}\n"),
    }
}

fn json_section(section: &Section) -> JsonSection<'_> {
    JsonSection {
        kind: section.kind.name(),
        heading: section.heading.as_deref(),
        intro: &section.intro,
        items: section.items.iter().map(json_item).collect(),
    }
}

fn json_item(item: &Criterion) -> JsonItem<'_> {
    JsonItem {
        reference: &item.reference,
        label: item.label.as_deref(),
        text: &item.text,
        thresholds: &item.thresholds,
        items: item.children.iter().map(json_item).collect(),
    }
}
