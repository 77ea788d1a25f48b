//! From a study's posted results to blocks both `nct show` and the Outcomes pane lay out:
//! participant flow, baseline characteristics, each outcome measure with its analyses, adverse
//! events, limitations and the point of contact.
//!
//! The registry keeps results as lists per group with string values; here they become
//! [`GroupTable`]s, one column per group in the groups' order, one row per milestone, class or
//! category, so that a value always sits under its arm's title. Each part is a [`ResultPart`]
//! with a one-line summary, which is what the pane shows while the part is folded.

use super::document::{Block, Fact, GroupRow, GroupTable, facts_block};
use super::words::{lower_first, non_blank, plural};
use crate::study::date::DateStyle;
use crate::study::enums::{MeasureDispersionType, MeasureParam};
use crate::study::results::{
    AdverseEvent, AdverseEventsModule, BaselineCharacteristicsModule, Denom, EventGroup, FlowStats,
    MeasureAnalysis, MeasureClass, MoreInfoModule, OutcomeMeasure, ParticipantFlowModule, ResultGroup,
    ResultsSection, affected_reading, by_group, group_ids, group_name,
};

/// What a part of the results is, for its heading in `nct show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Flow,
    Baseline,
    /// An outcome measure; its number among all measures, from 1.
    Outcome(usize),
    AdverseEvents,
    MoreInfo,
}

impl PartKind {
    /// The `nct show` section a part goes under.
    pub fn section(self) -> &'static str {
        match self {
            PartKind::Flow => "Participant flow",
            PartKind::Baseline => "Baseline characteristics",
            PartKind::Outcome(_) => "Outcome measures",
            PartKind::AdverseEvents => "Adverse events",
            PartKind::MoreInfo => "More information",
        }
    }
}

/// One foldable part of the results.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultPart {
    pub kind: PartKind,
    /// "Participant flow", "Primary: Time to Alleviation of Influenza Symptoms".
    pub title: String,
    /// What the part holds in a few words ("2 periods, 612 started").
    pub summary: String,
    pub blocks: Vec<Block>,
}

/// Every part the record's results have, in the website's order, dates written in `style`;
/// none when it has no results.
pub fn parts(results: &ResultsSection, style: DateStyle) -> Vec<ResultPart> {
    let mut parts = Vec::new();
    parts.extend(flow(&results.participant_flow_module));
    parts.extend(baseline(&results.baseline_characteristics_module));
    let measures = &results.outcome_measures_module.outcome_measures;
    parts.extend(measures.iter().enumerate().map(|(i, m)| outcome(m, i + 1, style)));
    parts.extend(adverse_events(&results.adverse_events_module));
    parts.extend(more_info(&results.more_info_module));
    parts
}

fn names(groups: &[ResultGroup]) -> Vec<String> {
    groups.iter().map(ResultGroup::name).collect()
}

/// Comments the registry gives on single values ("3 participants withdrew before dosing"), as
/// notes under the table: "Group, row: comment", in table order.
fn value_notes(notes: Vec<String>) -> Option<Block> {
    (!notes.is_empty()).then(|| {
        Block::Facts(vec![Fact {
            label: "Value notes",
            values: notes.into_iter().map(super::document::Value::Markup).collect(),
        }])
    })
}

/// "Group, row: comment", or "Group: comment" when the row has no name.
fn value_note(group: Option<&String>, row: &str, comment: &str) -> String {
    let group = group.map_or("", String::as_str);
    let place: Vec<&str> = [group, row].into_iter().filter(|p| !p.is_empty()).collect();
    if place.is_empty() { comment.to_owned() } else { format!("{}: {comment}", place.join(", ")) }
}

/// The notes on each value of a measure's classes and categories, in table order.
fn measure_notes(classes: &[MeasureClass], ids: &[&str], groups: &[String], measure: &str) -> Vec<String> {
    let mut notes = Vec::new();
    for class in classes {
        for category in &class.categories {
            let row = non_blank(&category.title).or_else(|| non_blank(&class.title)).unwrap_or_default();
            let row =
                [measure, row.as_str()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · ");
            for (i, m) in by_group(ids, &category.measurements).into_iter().enumerate() {
                if let Some(comment) = m.and_then(|m| non_blank(&m.comment)) {
                    notes.push(value_note(groups.get(i), &row, &comment));
                }
            }
        }
    }
    notes
}

// --- participant flow -----------------------------------------------------------------------

fn flow(module: &ParticipantFlowModule) -> Option<ResultPart> {
    if module.periods.is_empty() {
        return None;
    }
    let ids = group_ids(&module.groups);
    let mut blocks: Vec<Block> = facts_block([
        non_blank(&module.recruitment_details).map(|t| Fact::markup("Recruitment", t)),
        non_blank(&module.pre_assignment_details).map(|t| Fact::markup("Pre-assignment", t)),
        non_blank(&module.type_units_analyzed).map(|t| Fact::plain("Units", t)),
    ])
    .into_iter()
    .collect();
    let mut started = None;
    for (n, period) in module.periods.iter().enumerate() {
        let mut rows = Vec::new();
        for milestone in &period.milestones {
            let kind = milestone.r#type.as_deref().unwrap_or("Milestone");
            let cells: Vec<String> = by_group(&ids, &milestone.achievements)
                .into_iter()
                .map(|s| s.and_then(|s| s.count()).unwrap_or_default().to_owned())
                .collect();
            if n == 0 && kind == "STARTED" {
                started = Some(cells.iter().filter_map(|c| c.parse::<u64>().ok()).sum::<u64>());
            }
            rows.push(GroupRow::values(milestone_label(kind), 0, cells));
        }
        if !period.drop_withdraws.is_empty() {
            rows.push(GroupRow::heading("Reasons not completed", 0));
            for reason in &period.drop_withdraws {
                let cells = by_group(&ids, &reason.reasons)
                    .into_iter()
                    .map(|s| s.and_then(|s| s.count()).unwrap_or_default().to_owned())
                    .collect();
                rows.push(GroupRow::values(reason.r#type.as_deref().unwrap_or("Other"), 1, cells));
            }
        }
        let corner = non_blank(&period.title).unwrap_or_else(|| format!("Period {}", n + 1));
        blocks.push(Block::Groups(GroupTable { corner, groups: names(&module.groups), rows }));
        let groups = names(&module.groups);
        // A row's own comment, then its counts' comments, group by group.
        let row_notes = |row: &str, comment: &Option<String>, counts: &[FlowStats]| {
            let own = non_blank(comment).map(|c| value_note(None, row, &c));
            let per_group = by_group(&ids, counts).into_iter().enumerate().filter_map(|(i, stats)| {
                stats.and_then(|s| non_blank(&s.comment)).map(|c| value_note(groups.get(i), row, &c))
            });
            own.into_iter().chain(per_group).collect::<Vec<_>>()
        };
        let mut notes = Vec::new();
        for milestone in &period.milestones {
            let kind = milestone_label(milestone.r#type.as_deref().unwrap_or("Milestone"));
            notes.extend(row_notes(&kind, &milestone.comment, &milestone.achievements));
        }
        for reason in &period.drop_withdraws {
            let kind = reason.r#type.as_deref().unwrap_or("Other");
            notes.extend(row_notes(kind, &reason.comment, &reason.reasons));
        }
        blocks.extend(value_notes(notes));
    }
    let mut summary = plural(module.periods.len(), "period", "periods");
    if let Some(started) = started {
        summary.push_str(&format!(", {started} started"));
    }
    Some(ResultPart { kind: PartKind::Flow, title: "Participant flow".into(), summary, blocks })
}

/// "Started" for the registry's `STARTED`; free text as written.
fn milestone_label(kind: &str) -> String {
    match kind {
        "STARTED" => "Started".into(),
        "COMPLETED" => "Completed".into(),
        "NOT COMPLETED" => "Not completed".into(),
        other => other.to_owned(),
    }
}

// --- baseline and outcome values ------------------------------------------------------------

/// "Mean (Standard Deviation)": how the values are summarised, free text or enum codes alike.
fn param_label(param: &Option<String>, dispersion: &Option<String>) -> Option<String> {
    let param = non_blank(param).map(|p| MeasureParam::parse(&p).label().to_owned());
    let dispersion = non_blank(dispersion)
        .filter(|d| d != "NA")
        .map(|d| MeasureDispersionType::parse(&d).label().to_owned());
    match (param, dispersion) {
        (Some(p), Some(d)) => Some(format!("{p} ({d})")),
        (Some(p), None) => Some(p),
        (None, Some(d)) => Some(d),
        (None, None) => None,
    }
}

/// The "Participants analysed" row of a denom, labelled with its units.
fn denom_row(denom: &Denom, ids: &[&str], depth: usize) -> GroupRow {
    let units = non_blank(&denom.units).unwrap_or_else(|| "Participants".into());
    let cells = denom.counts_by_group(ids).into_iter().map(Option::unwrap_or_default).collect();
    GroupRow::values(format!("{units} analysed"), depth, cells)
}

/// How a measure's values read: what they are and whether counts get a percentage.
struct Values<'a> {
    ids: &'a [&'a str],
    /// Counts of the whole measure, for percentages (`calculatePct`).
    denom: Option<&'a Denom>,
    pct: bool,
}

impl Values<'_> {
    /// Rows for a measure's classes and categories, from `depth`. A lone untitled row takes
    /// `single` as its label, so that a measure with one value per group is one row.
    fn rows(&self, classes: &[MeasureClass], depth: usize, single: &str) -> Vec<GroupRow> {
        let mut rows = Vec::new();
        for class in classes {
            let denom = class.denoms.first().or(self.denom);
            let class_title = non_blank(&class.title);
            let (category_depth, lone_label) = match &class_title {
                Some(title) if class.categories.len() == 1 && class.denoms.is_empty() => {
                    (depth, title.clone())
                }
                Some(title) => {
                    rows.push(GroupRow::heading(title.clone(), depth));
                    (depth + 1, single.to_owned())
                }
                None => (depth, single.to_owned()),
            };
            if let Some(denom) = class.denoms.first() {
                rows.push(denom_row(denom, self.ids, category_depth));
            }
            for category in &class.categories {
                let label = non_blank(&category.title).unwrap_or_else(|| lone_label.clone());
                let cells = by_group(self.ids, &category.measurements)
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| match m {
                        Some(m) if self.pct => {
                            let total = denom.and_then(|d| d.counts_by_group(self.ids).into_iter().nth(i));
                            m.reading_with_share(total.flatten().as_deref())
                        }
                        Some(m) => m.reading(),
                        None => String::new(),
                    })
                    .collect();
                rows.push(GroupRow::values(label, category_depth, cells));
            }
        }
        rows
    }
}

fn baseline(module: &BaselineCharacteristicsModule) -> Option<ResultPart> {
    if module.measures.is_empty() {
        return None;
    }
    let ids = group_ids(&module.groups);
    let mut rows: Vec<GroupRow> = module.denoms.iter().map(|d| denom_row(d, &ids, 0)).collect();
    for measure in &module.measures {
        let title = non_blank(&measure.title).unwrap_or_else(|| "Measure".into());
        let how =
            [param_label(&measure.param_type, &measure.dispersion_type), non_blank(&measure.unit_of_measure)];
        let how: Vec<String> = how.into_iter().flatten().collect();
        let values = Values {
            ids: &ids,
            denom: measure.denoms.first().or(module.denoms.first()),
            pct: measure.calculate_pct == Some(true),
        };
        let lone = measure.classes.len() == 1
            && measure.classes.iter().all(|c| non_blank(&c.title).is_none() && c.categories.len() == 1);
        let label = if how.is_empty() { title.clone() } else { format!("{title} · {}", how.join(", ")) };
        if lone {
            rows.extend(values.rows(&measure.classes, 0, &label));
        } else {
            rows.push(GroupRow::heading(label, 0));
            rows.extend(measure.denoms.iter().map(|d| denom_row(d, &ids, 1)));
            rows.extend(values.rows(&measure.classes, 1, &title));
        }
    }
    let blocks = facts_block([
        non_blank(&module.population_description).map(|t| Fact::markup("Population", t)),
        non_blank(&module.type_units_analyzed).map(|t| Fact::plain("Units", t)),
    ])
    .into_iter()
    .chain([Block::Groups(GroupTable { corner: String::new(), groups: names(&module.groups), rows })])
    .chain(value_notes(
        module
            .measures
            .iter()
            .flat_map(|m| {
                let title = non_blank(&m.title).unwrap_or_default();
                measure_notes(&m.classes, &ids, &names(&module.groups), &title)
            })
            .collect(),
    ))
    .collect();
    let summary = plural(module.measures.len(), "measure", "measures");
    Some(ResultPart { kind: PartKind::Baseline, title: "Baseline characteristics".into(), summary, blocks })
}

// --- outcome measures -----------------------------------------------------------------------

fn outcome(measure: &OutcomeMeasure, number: usize, style: DateStyle) -> ResultPart {
    let kind = measure.r#type.as_ref().map(|t| t.label().to_owned());
    let title = non_blank(&measure.title).unwrap_or_else(|| "Unnamed measure".into());
    let ids = group_ids(&measure.groups);
    let mut blocks: Vec<Block> = facts_block([
        kind.clone().map(|k| Fact::plain("Type", k)),
        non_blank(&measure.time_frame).map(|t| Fact::markup("Time frame", t)),
        param_label(&measure.param_type, &measure.dispersion_type).map(|p| Fact::plain("Measure", p)),
        non_blank(&measure.unit_of_measure).map(|u| Fact::plain("Unit", u)),
        non_blank(&measure.population_description).map(|t| Fact::markup("Population", t)),
        non_blank(&measure.description).map(|t| Fact::markup("Description", t)),
    ])
    .into_iter()
    .collect();
    if measure.classes.is_empty() {
        let note = match measure.anticipated_posting_date {
            Some(date) => format!("No values posted; anticipated {}.", date.written(style)),
            None => "No values posted for this measure.".to_owned(),
        };
        blocks.push(Block::Note(note));
    } else {
        let values =
            Values { ids: &ids, denom: measure.denoms.first(), pct: measure.calculate_pct == Some(true) };
        let single = non_blank(&measure.unit_of_measure).unwrap_or_else(|| "Value".into());
        let mut rows: Vec<GroupRow> = measure.denoms.iter().map(|d| denom_row(d, &ids, 0)).collect();
        rows.extend(values.rows(&measure.classes, 0, &single));
        blocks.push(Block::Groups(GroupTable {
            corner: String::new(),
            groups: names(&measure.groups),
            rows,
        }));
        blocks.extend(value_notes(measure_notes(&measure.classes, &ids, &names(&measure.groups), "")));
    }
    let count = measure.analyses.len();
    for (i, analysis) in measure.analyses.iter().enumerate() {
        blocks.extend(facts_block(analysis_facts(analysis, &measure.groups, i + 1, count)));
    }
    let mut summary = non_blank(&measure.time_frame).unwrap_or_default();
    if count > 0 {
        let analyses = plural(count, "analysis", "analyses");
        summary = if summary.is_empty() { analyses } else { format!("{summary} · {analyses}") };
    }
    let title = match kind {
        Some(kind) => format!("{number}. {kind}: {title}"),
        None => format!("{number}. {title}"),
    };
    ResultPart { kind: PartKind::Outcome(number), title, summary, blocks }
}

/// An analysis as facts: which groups, the method and p-value, the estimate with its interval.
fn analysis_facts(
    analysis: &MeasureAnalysis,
    groups: &[ResultGroup],
    number: usize,
    count: usize,
) -> Vec<Option<Fact>> {
    let compared: Vec<String> = analysis.group_ids.iter().map(|id| group_name(groups, id)).collect();
    let compared = if compared.is_empty() { "groups not given".to_owned() } else { compared.join(" vs ") };
    let heading = if count == 1 { compared } else { format!("{number} of {count}, {compared}") };
    vec![
        Some(Fact::plain("Analysis", heading)),
        non_blank(&analysis.group_description).map(|t| Fact::markup("Groups", t)),
        analysis.non_inferiority_type.as_ref().map(|t| Fact::plain("Hypothesis", t.label())),
        non_blank(&analysis.statistical_method).map(|m| Fact::plain("Method", m)),
        non_blank(&analysis.p_value).map(|p| Fact::plain("P-value", p)),
        non_blank(&analysis.p_value_comment).map(|t| Fact::markup("P-value note", t)),
        estimate(analysis).map(|e| Fact::plain("Estimate", e)),
        non_blank(&analysis.estimate_comment).map(|t| Fact::markup("Estimate note", t)),
        non_blank(&analysis.statistical_comment).map(|t| Fact::markup("Comment", t)),
        non_blank(&analysis.non_inferiority_comment).map(|t| Fact::markup("Hypothesis note", t)),
        non_blank(&analysis.other_analysis_description).map(|t| Fact::markup("Other", t)),
    ]
}

/// "Difference in median -18.8 (95% CI, 2-sided: -29.4 to -7.9); Standard Error 0.15".
fn estimate(analysis: &MeasureAnalysis) -> Option<String> {
    let mut parts = Vec::new();
    let param = non_blank(&analysis.param_type);
    let value = non_blank(&analysis.param_value);
    if param.is_some() || value.is_some() {
        parts.push([param, value].into_iter().flatten().collect::<Vec<_>>().join(" "));
    }
    let (lower, upper) = (non_blank(&analysis.ci_lower_limit), non_blank(&analysis.ci_upper_limit));
    if lower.is_some() || upper.is_some() {
        let pct = non_blank(&analysis.ci_pct_value).map_or_else(|| "CI".to_owned(), |p| format!("{p}% CI"));
        let sides = analysis.ci_num_sides.as_ref().map(|s| format!(", {}", s.label())).unwrap_or_default();
        let range = format!("{} to {}", lower.as_deref().unwrap_or("?"), upper.as_deref().unwrap_or("?"));
        parts.push(format!("({pct}{sides}: {range})"));
    }
    let mut text = parts.join(" ");
    if let Some(value) = non_blank(&analysis.dispersion_value) {
        let kind = non_blank(&analysis.dispersion_type)
            .map(|d| crate::study::enums::AnalysisDispersionType::parse(&d).label().to_owned())
            .unwrap_or_else(|| "Dispersion".into());
        text = if text.is_empty() { format!("{kind} {value}") } else { format!("{text}; {kind} {value}") };
    }
    (!text.is_empty()).then_some(text)
}

// --- adverse events -------------------------------------------------------------------------

fn adverse_events(module: &AdverseEventsModule) -> Option<ResultPart> {
    if module.event_groups.is_empty() && module.serious_events.is_empty() && module.other_events.is_empty() {
        return None;
    }
    let groups: Vec<String> = module.event_groups.iter().map(EventGroup::name).collect();
    let ids: Vec<&str> = module.event_groups.iter().map(|g| g.id.as_deref().unwrap_or_default()).collect();
    let vocabularies = distinct(
        module
            .serious_events
            .iter()
            .chain(&module.other_events)
            .filter_map(|e| non_blank(&e.source_vocabulary)),
    );
    let assessments = distinct(
        module
            .serious_events
            .iter()
            .chain(&module.other_events)
            .filter_map(|e| e.assessment_type.as_ref().map(|a| a.label().to_owned())),
    );
    let mut blocks: Vec<Block> = facts_block([
        non_blank(&module.time_frame).map(|t| Fact::markup("Time frame", t)),
        non_blank(&module.frequency_threshold)
            .map(|t| Fact::plain("Threshold", format!("{t}% for other events"))),
        Fact::list("Vocabulary", vocabularies),
        Fact::list("Assessment", assessments),
        non_blank(&module.description).map(|t| Fact::markup("Description", t)),
        non_blank(&module.all_cause_mortality_comment).map(|t| Fact::markup("Mortality note", t)),
    ])
    .into_iter()
    .collect();
    type Counts = fn(&EventGroup) -> (Option<u64>, Option<u64>);
    let totals: [(&str, Counts); 3] = [
        ("All-cause mortality", |g| (g.deaths_num_affected, g.deaths_num_at_risk)),
        ("Serious adverse events", |g| (g.serious_num_affected, g.serious_num_at_risk)),
        ("Other adverse events", |g| (g.other_num_affected, g.other_num_at_risk)),
    ];
    let rows: Vec<GroupRow> = totals
        .iter()
        .filter(|(_, of)| module.event_groups.iter().any(|g| of(g) != (None, None)))
        .map(|(label, of)| {
            let cells = module.event_groups.iter().map(|g| affected_reading(of(g).0, of(g).1)).collect();
            GroupRow::values(*label, 0, cells)
        })
        .collect();
    if !rows.is_empty() {
        blocks.push(Block::Groups(GroupTable {
            corner: "Affected / at risk".into(),
            groups: groups.clone(),
            rows,
        }));
    }
    for (corner, events) in
        [("Serious adverse events", &module.serious_events), ("Other adverse events", &module.other_events)]
    {
        if !events.is_empty() {
            let rows = event_rows(events, &ids);
            blocks.push(Block::Groups(GroupTable { corner: corner.into(), groups: groups.clone(), rows }));
        }
    }
    let summary =
        format!("{} serious, {} other event terms", module.serious_events.len(), module.other_events.len());
    Some(ResultPart { kind: PartKind::AdverseEvents, title: "Adverse events".into(), summary, blocks })
}

fn event_rows(events: &[AdverseEvent], ids: &[&str]) -> Vec<GroupRow> {
    let mut rows = Vec::new();
    for (system, events) in AdverseEventsModule::by_organ_system(events) {
        rows.push(GroupRow::heading(system, 0));
        for event in events {
            let cells =
                by_group(ids, &event.stats).into_iter().map(|s| s.map(|s| s.reading()).unwrap_or_default());
            rows.push(GroupRow::values(
                non_blank(&event.term).unwrap_or_else(|| "Unnamed event".into()),
                1,
                cells.collect(),
            ));
        }
    }
    rows
}

fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        if !out.contains(&value) {
            out.push(value);
        }
    }
    out
}

// --- more information -----------------------------------------------------------------------

fn more_info(module: &MoreInfoModule) -> Option<ResultPart> {
    let mut blocks = Vec::new();
    if let Some(text) = non_blank(&module.limitations_and_caveats.description) {
        blocks.push(Block::Subheading("Limitations and caveats".into()));
        blocks.push(Block::Markup(text));
    }
    let contact = &module.point_of_contact;
    let phone = non_blank(&contact.phone).map(|p| match non_blank(&contact.phone_ext) {
        Some(ext) => format!("{p} ext. {ext}"),
        None => p,
    });
    let contact_facts = facts_block([
        non_blank(&contact.title).map(|t| Fact::plain("Name", t)),
        non_blank(&contact.organization).map(|t| Fact::plain("Organization", t)),
        non_blank(&contact.email).map(|t| Fact::plain("Email", t)),
        phone.map(|t| Fact::plain("Phone", t)),
    ]);
    if let Some(block) = contact_facts {
        blocks.push(Block::Subheading("Point of contact".into()));
        blocks.push(block);
    }
    let agreement = &module.certain_agreement;
    let agreement_facts = facts_block([
        agreement.pi_sponsor_employee.map(|yes| {
            Fact::plain("Investigators", if yes { "sponsor employees" } else { "not sponsor employees" })
        }),
        agreement.restrictive_agreement.map(|yes| {
            let restriction = agreement.restriction_type.as_ref().map(|t| t.label().to_owned());
            let text = match (yes, restriction) {
                (true, Some(r)) => format!("the sponsor may restrict publication: {}", lower_first(&r)),
                (true, None) => "the sponsor may restrict publication".to_owned(),
                (false, _) => "no restriction on publication".to_owned(),
            };
            Fact::plain("Agreement", text)
        }),
        non_blank(&agreement.other_details).map(|t| Fact::markup("Details", t)),
    ]);
    if let Some(block) = agreement_facts {
        blocks.push(Block::Subheading("Publication agreement".into()));
        blocks.push(block);
    }
    if blocks.is_empty() {
        return None;
    }
    let summary = ["limitations", "contact", "agreement"]
        .into_iter()
        .zip([
            module.limitations_and_caveats.description.is_some(),
            contact != &Default::default(),
            agreement != &Default::default(),
        ])
        .filter(|(_, has)| *has)
        .map(|(name, _)| name)
        .collect::<Vec<_>>()
        .join(", ");
    Some(ResultPart { kind: PartKind::MoreInfo, title: "Limitations and contact".into(), summary, blocks })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::study::Study;

    fn fixture() -> Study {
        let path = format!("{}/assets/NCT04720193.json", env!("CARGO_MANIFEST_DIR"));
        // Straight through serde: present/ sits beside catalog and does not reach into it.
        serde_json::from_slice::<Study>(&std::fs::read(path).unwrap()).unwrap()
    }

    fn tables(part: &ResultPart) -> Vec<&GroupTable> {
        part.blocks.iter().filter_map(|b| if let Block::Groups(t) = b { Some(t) } else { None }).collect()
    }

    /// The value of row `label` under group `group`, the row found below heading `under`.
    fn cell<'a>(table: &'a GroupTable, under: Option<&str>, label: &str, group: &str) -> &'a str {
        let column = table.groups.iter().position(|g| g == group).unwrap();
        let start =
            under.map_or(0, |h| table.rows.iter().position(|r| r.is_heading() && r.label == h).unwrap());
        let row = table.rows.iter().skip(start).find(|r| !r.is_heading() && r.label == label).unwrap();
        &row.cells[column]
    }

    #[test]
    fn every_outcome_value_sits_under_its_group_and_category() {
        let study = fixture();
        let results = study.results_section.as_ref().unwrap();
        let parts = parts(results, DateStyle::Iso);
        for (n, measure) in results.outcome_measures_module.outcome_measures.iter().enumerate() {
            let part = parts.iter().find(|p| p.kind == PartKind::Outcome(n + 1)).unwrap();
            let table = tables(part)[0];
            for class in &measure.classes {
                for category in &class.categories {
                    for m in &category.measurements {
                        let group = group_name(&measure.groups, m.group_id.as_deref().unwrap());
                        let label = category
                            .title
                            .clone()
                            .or(class.title.clone().filter(|_| class.categories.len() == 1));
                        let label = label.unwrap_or_else(|| measure.unit_of_measure.clone().unwrap());
                        let text = cell(
                            table,
                            class.title.as_deref().filter(|_| class.categories.len() > 1),
                            &label,
                            &group,
                        );
                        assert!(
                            text.starts_with(&m.reading()),
                            "{label} / {group}: {text:?} lacks {:?}",
                            m.reading()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_baseline_value_sits_under_its_group_and_category() {
        let study = fixture();
        let results = study.results_section.as_ref().unwrap();
        let module = &results.baseline_characteristics_module;
        let part = parts(results, DateStyle::Iso).into_iter().find(|p| p.kind == PartKind::Baseline).unwrap();
        let table = tables(&part)[0];
        for measure in &module.measures {
            for class in &measure.classes {
                for category in &class.categories {
                    for m in &category.measurements {
                        let group = group_name(&module.groups, m.group_id.as_deref().unwrap());
                        let row = table.rows.iter().find(|r| {
                            let label = category.title.as_deref().or(class.title.as_deref());
                            label.map_or(r.label.starts_with(measure.title.as_deref().unwrap()), |l| {
                                r.label == l
                            }) && !r.is_heading()
                        });
                        let column = table.groups.iter().position(|g| *g == group).unwrap();
                        assert_eq!(row.unwrap().cells[column], m.reading());
                    }
                }
            }
        }
    }

    #[test]
    fn shares_analysed_counts_and_analyses_read_as_on_the_website() {
        let parts = parts(fixture().results_section.as_ref().unwrap(), DateStyle::Iso);
        let shedding = tables(&parts[3])[0];
        assert_eq!(
            shedding.groups,
            ["Placebo", "Zentravir 100 mg", "Zentravir 200 mg Twice Daily Plus Standard of Care"]
        );
        assert_eq!(cell(shedding, None, "Participants analysed", "Placebo"), "190");
        assert_eq!(cell(shedding, Some("Day 2"), "Shedding", "Placebo"), "121 (63.7%)");
        // Day 4 has its own analysed counts, and the shares are of those.
        assert_eq!(cell(shedding, Some("Day 4"), "Shedding", "Placebo"), "58 (31.4%)");
        let Block::Facts(analysis) = parts[2]
            .blocks
            .iter()
            .find(|b| matches!(b, Block::Facts(f) if f[0].label == "Analysis"))
            .unwrap()
        else {
            panic!()
        };
        let text: Vec<String> = analysis.iter().map(|f| format!("{}: {:?}", f.label, f.values)).collect();
        let text = text.join("\n");
        assert!(text.contains("1 of 2, Placebo vs Zentravir 100 mg"), "{text}");
        assert!(text.contains("Difference in median -18.8 (95% CI, 2-Sided: -29.4 to -7.9)"), "{text}");
        assert!(text.contains("P-value: [Plain(\"0.003\")]"), "{text}");
    }

    #[test]
    fn comments_on_single_values_are_notes_under_their_table() {
        let path = format!("{}/assets/NCT04720193.json", env!("CARGO_MANIFEST_DIR"));
        let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let results = &mut json["resultsSection"];
        results["outcomeMeasuresModule"]["outcomeMeasures"][0]["classes"][0]["categories"][0]["measurements"]
            [1]["comment"] = "Two participants had no \\>= 24 h diary.".into();
        results["participantFlowModule"]["periods"][0]["milestones"][0]["achievements"][0]["comment"] =
            "One randomised in error.".into();
        let study: Study = serde_json::from_value(json).unwrap();
        let parts = parts(study.results_section.as_ref().unwrap(), DateStyle::Iso);
        let notes = |part: &ResultPart| -> Vec<String> {
            part.blocks
                .iter()
                .filter_map(|b| if let Block::Facts(f) = b { Some(f) } else { None })
                .flatten()
                .filter(|f| f.label == "Value notes")
                .flat_map(|f| &f.values)
                .map(|v| match v {
                    super::super::document::Value::Markup(t) => t.clone(),
                    other => format!("{other:?}"),
                })
                .collect()
        };
        let outcome = parts.iter().find(|p| p.kind == PartKind::Outcome(1)).unwrap();
        let group = tables(outcome)[0].groups[1].clone();
        assert_eq!(notes(outcome), [format!("{group}: Two participants had no \\>= 24 h diary.")]);
        let flow = parts.iter().find(|p| p.kind == PartKind::Flow).unwrap();
        assert_eq!(notes(flow), ["Placebo, Started: One randomised in error."]);
        assert!(
            parts
                .iter()
                .filter(|p| p.kind != PartKind::Flow && p.kind != PartKind::Outcome(1))
                .all(|p| notes(p).is_empty())
        );
    }

    #[test]
    fn flow_and_adverse_events_are_tables_per_group() {
        let parts = parts(fixture().results_section.as_ref().unwrap(), DateStyle::Iso);
        let flow = tables(&parts[0]);
        assert_eq!(flow.len(), 2);
        assert_eq!(flow[0].corner, "Treatment (5 Days)");
        assert_eq!(cell(flow[0], None, "Started", "Placebo"), "204");
        assert_eq!(cell(flow[0], Some("Reasons not completed"), "Adverse Event", "Zentravir 100 mg"), "2");
        assert_eq!(parts[0].summary, "2 periods, 612 started");
        let events = parts.iter().find(|p| p.kind == PartKind::AdverseEvents).unwrap();
        let tables = tables(events);
        assert_eq!(cell(tables[0], None, "All-cause mortality", "Zentravir 100 mg"), "0/205 (0.00%)");
        assert_eq!(
            cell(tables[1], Some("Cardiac disorders"), "Myocardial infarction", "Placebo"),
            "0/203 (0.00%)"
        );
        assert_eq!(
            cell(tables[2], Some("Gastrointestinal disorders"), "Diarrhoea", "Placebo"),
            "7/203 (3.45%)"
        );
        assert_eq!(events.summary, "2 serious, 3 other event terms");
    }
}
