//! The parts of a study the registry writes rather than the sponsor: `DerivedSection` (MeSH
//! terms for conditions and interventions, the record's version date, submission tracking),
//! `DocumentSection` (uploaded protocols, analysis plans and consent forms) and
//! `AnnotationSection` (notes on unposted results and FDAAA 801 violations).

use serde::Deserialize;

use crate::study::date::PartialDate;
use crate::study::enums::{BrowseLeafRelevance, UnpostedEventType, ViolationEventType};
use crate::study::record::DateStruct;

// --- derived --------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DerivedSection {
    pub misc_info_module: MiscInfoModule,
    pub condition_browse_module: BrowseModule,
    pub intervention_browse_module: BrowseModule,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MiscInfoModule {
    /// The date of the registry snapshot this record was taken from.
    pub version_holder: Option<PartialDate>,
    pub removed_countries: Vec<String>,
    pub submission_tracking: SubmissionTracking,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SubmissionTracking {
    pub estimated_results_first_submit_date: Option<PartialDate>,
    pub first_mcp_info: FirstMcpInfo,
    pub submission_infos: Vec<SubmissionInfo>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FirstMcpInfo {
    pub post_date_struct: DateStruct,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SubmissionInfo {
    pub release_date: Option<PartialDate>,
    pub unrelease_date: Option<PartialDate>,
    pub unrelease_date_unknown: Option<bool>,
    pub reset_date: Option<PartialDate>,
    pub mcp_release_n: Option<u64>,
}

/// MeSH terms the registry matched to a study's conditions or interventions.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BrowseModule {
    pub meshes: Vec<Mesh>,
    pub ancestors: Vec<Mesh>,
    pub browse_leaves: Vec<BrowseLeaf>,
    pub browse_branches: Vec<BrowseBranch>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Mesh {
    pub id: Option<String>,
    pub term: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BrowseLeaf {
    pub id: Option<String>,
    pub name: Option<String>,
    pub as_found: Option<String>,
    pub relevance: Option<BrowseLeafRelevance>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BrowseBranch {
    pub abbrev: Option<String>,
    pub name: Option<String>,
}

// --- documents ------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DocumentSection {
    pub large_document_module: LargeDocumentModule,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LargeDocumentModule {
    pub no_sap: Option<bool>,
    pub large_docs: Vec<LargeDoc>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LargeDoc {
    /// `"Prot"`, `"SAP"`, `"ICF"`, `"Prot_SAP"`, ...
    pub type_abbrev: Option<String>,
    pub has_protocol: Option<bool>,
    pub has_sap: Option<bool>,
    pub has_icf: Option<bool>,
    pub label: Option<String>,
    pub date: Option<PartialDate>,
    /// Written with a time (`"2019-05-03T10:41"`); only the date is kept.
    pub upload_date: Option<PartialDate>,
    pub filename: Option<String>,
    /// Bytes.
    pub size: Option<u64>,
}

// --- annotations ----------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnnotationSection {
    pub annotation_module: AnnotationModule,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AnnotationModule {
    pub unposted_annotation: UnpostedAnnotation,
    pub violation_annotation: ViolationAnnotation,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UnpostedAnnotation {
    pub unposted_responsible_party: Option<String>,
    pub unposted_events: Vec<UnpostedEvent>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct UnpostedEvent {
    pub r#type: Option<UnpostedEventType>,
    pub date: Option<PartialDate>,
    pub date_unknown: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ViolationAnnotation {
    pub violation_events: Vec<ViolationEvent>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ViolationEvent {
    pub r#type: Option<ViolationEventType>,
    pub description: Option<String>,
    pub creation_date: Option<PartialDate>,
    pub issued_date: Option<PartialDate>,
    pub release_date: Option<PartialDate>,
    pub posted_date: Option<PartialDate>,
}
