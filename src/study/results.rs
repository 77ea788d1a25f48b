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
