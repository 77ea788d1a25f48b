//! `ResultsSection`: the posted results of a study, i.e. participant flow, baseline
//! characteristics, outcome measures with their analyses, adverse events and the
//! point of contact.
//!
//! Numbers here are strings, as the registry sends them (`"value": "15"`, `"pValue": "<0.001"`,
//! `"NA"` for not available), and are kept as written. Only the adverse-event counts are
//! integers in the spec and in the data. `paramType`, `dispersionType` and flow milestone or
//! drop-out types are `String`: free text in some records, enum codes in others; read them
//! with `MeasureParam::parse(..).label()` and the like, which pass free text through.

use serde::Deserialize;

use crate::study::date::PartialDate;
use crate::study::enums::{
    AgreementRestrictionType, ConfidenceIntervalNumSides, EventAssessment, NonInferiorityType,
    OutcomeMeasureType, ReportingStatus,
};

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResultsSection {
    pub participant_flow_module: ParticipantFlowModule,
    pub baseline_characteristics_module: BaselineCharacteristicsModule,
    pub outcome_measures_module: OutcomeMeasuresModule,
    pub adverse_events_module: AdverseEventsModule,
    pub more_info_module: MoreInfoModule,
}

/// An arm or group as results name it; other parts refer to it by `id` (`"FG000"`, `"BG000"`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResultGroup {
    pub id: Option<String>,
    pub title: Option<String>,
    /// Markup.
    pub description: Option<String>,
}

// --- participant flow -----------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ParticipantFlowModule {
    /// Markup.
    pub pre_assignment_details: Option<String>,
    /// Markup.
    pub recruitment_details: Option<String>,
    pub type_units_analyzed: Option<String>,
    pub groups: Vec<ResultGroup>,
    pub periods: Vec<FlowPeriod>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FlowPeriod {
    pub title: Option<String>,
    pub milestones: Vec<FlowMilestone>,
    pub drop_withdraws: Vec<DropWithdraw>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FlowMilestone {
    /// `"STARTED"`, `"COMPLETED"`, `"NOT COMPLETED"` or free text.
    pub r#type: Option<String>,
    /// Markup.
    pub comment: Option<String>,
    pub achievements: Vec<FlowStats>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DropWithdraw {
    /// A reason such as `"Adverse Event"`, or free text.
    pub r#type: Option<String>,
    /// Markup.
    pub comment: Option<String>,
    pub reasons: Vec<FlowStats>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FlowStats {
    pub group_id: Option<String>,
    /// Markup.
    pub comment: Option<String>,
    pub num_subjects: Option<String>,
    pub num_units: Option<String>,
}

// --- baseline characteristics ---------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BaselineCharacteristicsModule {
    /// Markup.
    pub population_description: Option<String>,
    pub type_units_analyzed: Option<String>,
    pub groups: Vec<ResultGroup>,
    pub denoms: Vec<Denom>,
    pub measures: Vec<BaselineMeasure>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BaselineMeasure {
    pub title: Option<String>,
    /// Markup.
    pub description: Option<String>,
    /// Markup.
    pub population_description: Option<String>,
    pub param_type: Option<String>,
    pub dispersion_type: Option<String>,
    pub unit_of_measure: Option<String>,
    pub calculate_pct: Option<bool>,
    pub denom_units_selected: Option<String>,
    pub denoms: Vec<Denom>,
    pub classes: Vec<MeasureClass>,
}

/// How many were analysed, per group, in some unit (`"Participants"`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Denom {
    pub units: Option<String>,
    pub counts: Vec<DenomCount>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DenomCount {
    pub group_id: Option<String>,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MeasureClass {
    pub title: Option<String>,
    pub denoms: Vec<Denom>,
    pub categories: Vec<MeasureCategory>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MeasureCategory {
    pub title: Option<String>,
    pub measurements: Vec<Measurement>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Measurement {
    pub group_id: Option<String>,
    pub value: Option<String>,
    pub spread: Option<String>,
    pub lower_limit: Option<String>,
    pub upper_limit: Option<String>,
    /// Markup.
    pub comment: Option<String>,
}

// --- outcome measures -----------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OutcomeMeasuresModule {
    pub outcome_measures: Vec<OutcomeMeasure>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OutcomeMeasure {
    pub r#type: Option<OutcomeMeasureType>,
    pub title: Option<String>,
    /// Markup.
    pub description: Option<String>,
    /// Markup.
    pub population_description: Option<String>,
    pub reporting_status: Option<ReportingStatus>,
    pub anticipated_posting_date: Option<PartialDate>,
    pub param_type: Option<String>,
    pub dispersion_type: Option<String>,
    pub unit_of_measure: Option<String>,
    pub calculate_pct: Option<bool>,
    pub time_frame: Option<String>,
    pub type_units_analyzed: Option<String>,
    pub denom_units_selected: Option<String>,
    pub groups: Vec<ResultGroup>,
    pub denoms: Vec<Denom>,
    pub classes: Vec<MeasureClass>,
    pub analyses: Vec<MeasureAnalysis>,
}

/// A statistical analysis of one outcome measure.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MeasureAnalysis {
    /// Free text in the spec, e.g. `"Mean Difference (Final Values)"`.
    pub param_type: Option<String>,
    pub param_value: Option<String>,
    pub dispersion_type: Option<String>,
    pub dispersion_value: Option<String>,
    pub statistical_method: Option<String>,
    /// Markup.
    pub statistical_comment: Option<String>,
    pub p_value: Option<String>,
    /// Markup.
    pub p_value_comment: Option<String>,
    pub ci_num_sides: Option<ConfidenceIntervalNumSides>,
    pub ci_pct_value: Option<String>,
    pub ci_lower_limit: Option<String>,
    pub ci_upper_limit: Option<String>,
    /// Markup.
    pub ci_lower_limit_comment: Option<String>,
    /// Markup.
    pub ci_upper_limit_comment: Option<String>,
    /// Markup.
    pub estimate_comment: Option<String>,
    pub tested_non_inferiority: Option<bool>,
    pub non_inferiority_type: Option<NonInferiorityType>,
    /// Markup.
    pub non_inferiority_comment: Option<String>,
    /// Markup.
    pub other_analysis_description: Option<String>,
    /// Markup.
    pub group_description: Option<String>,
    pub group_ids: Vec<String>,
}

// --- adverse events -------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AdverseEventsModule {
    /// A percentage as text, e.g. `"5"`.
    pub frequency_threshold: Option<String>,
    pub time_frame: Option<String>,
    /// Markup.
    pub description: Option<String>,
    /// Markup.
    pub all_cause_mortality_comment: Option<String>,
    pub event_groups: Vec<EventGroup>,
    pub serious_events: Vec<AdverseEvent>,
    pub other_events: Vec<AdverseEvent>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EventGroup {
    pub id: Option<String>,
    pub title: Option<String>,
    /// Markup.
    pub description: Option<String>,
    pub deaths_num_affected: Option<u64>,
    pub deaths_num_at_risk: Option<u64>,
    pub serious_num_affected: Option<u64>,
    pub serious_num_at_risk: Option<u64>,
    pub other_num_affected: Option<u64>,
    pub other_num_at_risk: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AdverseEvent {
    pub term: Option<String>,
    pub organ_system: Option<String>,
    pub source_vocabulary: Option<String>,
    pub assessment_type: Option<EventAssessment>,
    /// Markup.
    pub notes: Option<String>,
    pub stats: Vec<EventStats>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EventStats {
    pub group_id: Option<String>,
    pub num_events: Option<u64>,
    pub num_affected: Option<u64>,
    pub num_at_risk: Option<u64>,
}

// --- more information -----------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MoreInfoModule {
    pub limitations_and_caveats: LimitationsAndCaveats,
    pub certain_agreement: CertainAgreement,
    pub point_of_contact: PointOfContact,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LimitationsAndCaveats {
    /// Markup.
    pub description: Option<String>,
}

/// Whether investigators may publish without the sponsor's leave.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CertainAgreement {
    pub pi_sponsor_employee: Option<bool>,
    pub restriction_type: Option<AgreementRestrictionType>,
    pub restrictive_agreement: Option<bool>,
    /// Markup.
    pub other_details: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PointOfContact {
    pub title: Option<String>,
    pub organization: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub phone_ext: Option<String>,
}

// --- readings -------------------------------------------------------------------------------
//
// Results refer to groups by id (`"OG000"`) and keep one entry per group in lists of their own;
// a table wants one cell per group in the groups' order. These accessors line them up, and
// read a value with its dispersion the way the website writes it.

/// Anything results keep per group.
pub trait PerGroup {
    fn group_id(&self) -> Option<&str>;
}

macro_rules! per_group {
    ($($t:ty),+) => {$(
        impl PerGroup for $t {
            fn group_id(&self) -> Option<&str> {
                self.group_id.as_deref()
            }
        }
    )+};
}
per_group!(Measurement, DenomCount, FlowStats, EventStats);

/// `items` in the order of `group_ids`: the entry for each group, if the record has one.
pub fn by_group<'a, T: PerGroup>(group_ids: &[&str], items: &'a [T]) -> Vec<Option<&'a T>> {
    group_ids.iter().map(|id| items.iter().find(|item| item.group_id() == Some(*id))).collect()
}

/// The ids of `groups`, in order; an untitled group without an id keeps its place as "".
pub fn group_ids(groups: &[ResultGroup]) -> Vec<&str> {
    groups.iter().map(|g| g.id.as_deref().unwrap_or_default()).collect()
}

impl ResultGroup {
    /// The arm's title as results name it; its id when the record gives no title.
    pub fn name(&self) -> String {
        non_blank(self.title.as_deref())
            .or(non_blank(self.id.as_deref()))
            .map_or_else(|| "Unnamed group".to_owned(), str::to_owned)
    }
}

impl EventGroup {
    pub fn name(&self) -> String {
        non_blank(self.title.as_deref())
            .or(non_blank(self.id.as_deref()))
            .map_or_else(|| "Unnamed group".to_owned(), str::to_owned)
    }
}

/// The title of group `id` among `groups`, or the id itself when no group has it.
pub fn group_name(groups: &[ResultGroup], id: &str) -> String {
    groups.iter().find(|g| g.id.as_deref() == Some(id)).map_or_else(|| id.to_owned(), ResultGroup::name)
}

/// The text when the record gives some: trimmed, not blank (as `present::words::non_blank`, on
/// borrowed text).
fn non_blank(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

impl Denom {
    /// The number analysed in each of `group_ids`, as written.
    pub fn counts_by_group(&self, group_ids: &[&str]) -> Vec<Option<String>> {
        by_group(group_ids, &self.counts).into_iter().map(|c| c.and_then(|c| c.value.clone())).collect()
    }
}

impl Measurement {
    /// "38.2 (11.4)", "80.2 (72.6 to 87.1)", "121": the value with its spread or limits, as the
    /// website writes it. An empty string when the record gives nothing for the group.
    pub fn reading(&self) -> String {
        let value = non_blank(self.value.as_deref()).unwrap_or_default();
        let (lower, upper) = (non_blank(self.lower_limit.as_deref()), non_blank(self.upper_limit.as_deref()));
        let spread = non_blank(self.spread.as_deref());
        match (lower, upper, spread) {
            (Some(lower), Some(upper), _) => format!("{value} ({lower} to {upper})"),
            (Some(lower), None, _) => format!("{value} (≥{lower})"),
            (None, Some(upper), _) => format!("{value} (≤{upper})"),
            (None, None, Some(spread)) => format!("{value} ({spread})"),
            (None, None, None) => value.to_owned(),
        }
    }

    /// The reading with the share of `denom` it is, for counts the registry asks to show as a
    /// percentage (`calculatePct`): "121 (63.7%)".
    pub fn reading_with_share(&self, denom: Option<&str>) -> String {
        let reading = self.reading();
        let count = non_blank(self.value.as_deref()).and_then(|v| v.parse::<f64>().ok());
        let total = denom.and_then(|d| d.trim().parse::<f64>().ok()).filter(|t| *t > 0.0);
        match (count, total) {
            (Some(count), Some(total)) => format!("{reading} ({:.1}%)", count / total * 100.0),
            _ => reading,
        }
    }
}

impl FlowStats {
    /// The number of participants (or units, when the period counts units only).
    pub fn count(&self) -> Option<&str> {
        non_blank(self.num_subjects.as_deref()).or(non_blank(self.num_units.as_deref()))
    }
}

/// "21/201 (10.45%)": affected of at risk, as the website writes adverse-event counts.
pub fn affected_reading(affected: Option<u64>, at_risk: Option<u64>) -> String {
    match (affected, at_risk) {
        (Some(affected), Some(at_risk)) if at_risk > 0 => {
            #[allow(clippy::cast_precision_loss)]
            let share = affected as f64 / at_risk as f64 * 100.0;
            format!("{affected}/{at_risk} ({share:.2}%)")
        }
        (Some(affected), Some(at_risk)) => format!("{affected}/{at_risk}"),
        (Some(affected), None) => affected.to_string(),
        (None, Some(at_risk)) => format!("?/{at_risk}"),
        (None, None) => String::new(),
    }
}

impl EventStats {
    pub fn reading(&self) -> String {
        affected_reading(self.num_affected, self.num_at_risk)
    }
}

impl AdverseEventsModule {
    /// Events of one kind grouped by organ system, the systems in the order they first appear
    /// (the registry lists them so), each event keeping its place within its system.
    pub fn by_organ_system(events: &[AdverseEvent]) -> Vec<(&str, Vec<&AdverseEvent>)> {
        let mut systems: Vec<(&str, Vec<&AdverseEvent>)> = Vec::new();
        for event in events {
            let system = non_blank(event.organ_system.as_deref()).unwrap_or("Other");
            match systems.iter_mut().find(|(name, _)| *name == system) {
                Some((_, list)) => list.push(event),
                None => systems.push((system, vec![event])),
            }
        }
        systems
    }
}

impl ResultsSection {
    /// The most groups any part of the results has: how far its tables can scroll sideways.
    pub fn most_groups(&self) -> usize {
        let outcomes = self.outcome_measures_module.outcome_measures.iter().map(|m| m.groups.len());
        [
            self.participant_flow_module.groups.len(),
            self.baseline_characteristics_module.groups.len(),
            self.adverse_events_module.event_groups.len(),
        ]
        .into_iter()
        .chain(outcomes)
        .max()
        .unwrap_or(0)
    }

    /// Whether the section holds nothing a reader could see (an empty object).
    pub fn is_empty(&self) -> bool {
        self.participant_flow_module.periods.is_empty()
            && self.baseline_characteristics_module.measures.is_empty()
            && self.outcome_measures_module.outcome_measures.is_empty()
            && self.adverse_events_module.event_groups.is_empty()
            && self.more_info_module == MoreInfoModule::default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn measurement(json: &str) -> Measurement {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_value_reads_with_its_spread_or_limits() {
        assert_eq!(measurement(r#"{"value": "38.2", "spread": "11.4"}"#).reading(), "38.2 (11.4)");
        let ci = r#"{"value": "80.2", "lowerLimit": "72.6", "upperLimit": "87.1"}"#;
        assert_eq!(measurement(ci).reading(), "80.2 (72.6 to 87.1)");
        assert_eq!(measurement(r#"{"value": "NA", "upperLimit": "9"}"#).reading(), "NA (≤9)");
        assert_eq!(measurement(r#"{"value": "121"}"#).reading(), "121");
        assert_eq!(measurement(r#"{"value": "121"}"#).reading_with_share(Some("190")), "121 (63.7%)");
        assert_eq!(measurement(r#"{"value": "121"}"#).reading_with_share(Some("0")), "121");
        assert_eq!(measurement("{}").reading(), "");
    }

    #[test]
    fn entries_line_up_with_their_groups() {
        let counts: Vec<DenomCount> = serde_json::from_str(
            r#"[{"groupId": "OG001", "value": "5"}, {"groupId": "OG000", "value": "4"}]"#,
        )
        .unwrap();
        let denom = Denom { units: None, counts };
        assert_eq!(
            denom.counts_by_group(&["OG000", "OG001", "OG002"]),
            [Some("4".to_owned()), Some("5".to_owned()), None]
        );
    }

    #[test]
    fn adverse_events_read_as_affected_of_at_risk() {
        assert_eq!(affected_reading(Some(21), Some(201)), "21/201 (10.45%)");
        assert_eq!(affected_reading(Some(0), Some(0)), "0/0");
        assert_eq!(affected_reading(None, None), "");
    }

    #[test]
    fn events_group_under_their_organ_system_in_order() {
        let events: Vec<AdverseEvent> = serde_json::from_str(
            r#"[{"term": "Nausea", "organSystem": "Gastrointestinal disorders"},
                {"term": "Headache", "organSystem": "Nervous system disorders"},
                {"term": "Diarrhoea", "organSystem": "Gastrointestinal disorders"}]"#,
        )
        .unwrap();
        let systems = AdverseEventsModule::by_organ_system(&events);
        let names: Vec<(&str, Vec<&str>)> = systems
            .iter()
            .map(|(s, list)| (*s, list.iter().map(|e| e.term.as_deref().unwrap()).collect()))
            .collect();
        assert_eq!(
            names,
            [
                ("Gastrointestinal disorders", vec!["Nausea", "Diarrhoea"]),
                ("Nervous system disorders", vec!["Headache"])
            ]
        );
    }
}
