//! The typed study record: `Study` (one API v2 study object) and its `protocolSection` with
//! every module the registry defines (`spec/ctg-oas-v2.yaml`).
//!
//! Shape rules, so that real records load and wrong ones are reported: a module or nested object
//! is a plain struct that defaults when absent; a scalar is an `Option`; a list is a `Vec` that
//! defaults to empty. Unknown fields are ignored (early-v2 records carry undocumented ones such
//! as `locations_nested`), but a known field of the wrong type is an error, so the loader can
//! name the bad field and read the record again without it (see `lenient`). Results, derived data, documents and annotations live in sibling modules.

use serde::Deserialize;

use crate::study::age::Age;
use crate::study::date::PartialDate;
use crate::study::derived::{AnnotationSection, DerivedSection, DocumentSection};
use crate::study::enums::{
    AgencyClass, ArmGroupType, BioSpecRetention, ContactRole, DateType, DesignAllocation, DesignMasking,
    DesignTimePerspective, EnrollmentType, ExpandedAccessStatus, InterventionType, InterventionalAssignment,
    IpdSharing, IpdSharingInfoType, ObservationalModel, OfficialRole, OrgStudyIdType, Phase, PrimaryPurpose,
    RecruitmentStatus, ReferenceType, ResponsiblePartyType, SamplingMethod, SecondaryIdType, Sex,
    StandardAge, Status, StudyType, WhoMasked,
};
use crate::study::results::ResultsSection;

/// One study as the API v2 returns it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Study {
    /// `None` only in a malformed record; the loader reports it.
    pub protocol_section: Option<ProtocolSection>,
    pub derived_section: DerivedSection,
    pub results_section: Option<ResultsSection>,
    pub document_section: Option<DocumentSection>,
    pub annotation_section: Option<AnnotationSection>,
    pub has_results: Option<bool>,
}

impl Study {
    pub fn nct_id(&self) -> Option<&str> {
        self.protocol_section.as_ref()?.identification_module.nct_id.as_deref()
    }

    pub fn brief_title(&self) -> Option<&str> {
        self.protocol_section.as_ref()?.identification_module.brief_title.as_deref()
    }

    pub fn overall_status(&self) -> Option<&Status> {
        self.protocol_section.as_ref()?.status_module.overall_status.as_ref()
    }

    /// Empty for studies without phases (observational studies have no `phases` key).
    pub fn phases(&self) -> &[Phase] {
        self.protocol_section.as_ref().map_or(&[], |protocol| protocol.design_module.phases.as_slice())
    }

    /// When the record was last updated: the posted date, else the submitted one.
    pub fn last_update(&self) -> Option<PartialDate> {
        let status = &self.protocol_section.as_ref()?.status_module;
        status.last_update_post_date_struct.date.or(status.last_update_submit_date)
    }
}

/// A date with whether it has happened (`ACTUAL`) or is planned (`ESTIMATED`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DateStruct {
    pub date: Option<PartialDate>,
    pub r#type: Option<DateType>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ProtocolSection {
    pub identification_module: IdentificationModule,
    pub status_module: StatusModule,
    pub sponsor_collaborators_module: SponsorCollaboratorsModule,
    pub oversight_module: OversightModule,
    pub description_module: DescriptionModule,
    pub conditions_module: ConditionsModule,
    pub design_module: DesignModule,
    pub arms_interventions_module: ArmsInterventionsModule,
    pub outcomes_module: OutcomesModule,
    pub eligibility_module: EligibilityModule,
    pub contacts_locations_module: ContactsLocationsModule,
    pub references_module: ReferencesModule,
    pub ipd_sharing_statement_module: IpdSharingStatementModule,
}

// --- identification -------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IdentificationModule {
    pub nct_id: Option<String>,
    pub nct_id_aliases: Vec<String>,
    pub org_study_id_info: OrgStudyIdInfo,
    pub secondary_id_infos: Vec<SecondaryIdInfo>,
    pub brief_title: Option<String>,
    pub official_title: Option<String>,
    pub acronym: Option<String>,
    pub organization: Organization,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OrgStudyIdInfo {
    pub id: Option<String>,
    pub r#type: Option<OrgStudyIdType>,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SecondaryIdInfo {
    pub id: Option<String>,
    pub r#type: Option<SecondaryIdType>,
    pub domain: Option<String>,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Organization {
    pub full_name: Option<String>,
    pub class: Option<AgencyClass>,
}

// --- status ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StatusModule {
    pub status_verified_date: Option<PartialDate>,
    pub overall_status: Option<Status>,
    pub last_known_status: Option<Status>,
    pub delayed_posting: Option<bool>,
    /// Markup.
    pub why_stopped: Option<String>,
    pub expanded_access_info: ExpandedAccessInfo,
    pub start_date_struct: DateStruct,
    pub primary_completion_date_struct: DateStruct,
    pub completion_date_struct: DateStruct,
    pub study_first_submit_date: Option<PartialDate>,
    pub study_first_submit_qc_date: Option<PartialDate>,
    pub study_first_post_date_struct: DateStruct,
    pub results_waived: Option<bool>,
    pub results_first_submit_date: Option<PartialDate>,
    pub results_first_submit_qc_date: Option<PartialDate>,
    pub results_first_post_date_struct: DateStruct,
    pub disp_first_submit_date: Option<PartialDate>,
    pub disp_first_submit_qc_date: Option<PartialDate>,
    pub disp_first_post_date_struct: DateStruct,
    pub last_update_submit_date: Option<PartialDate>,
    pub last_update_post_date_struct: DateStruct,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExpandedAccessInfo {
    pub has_expanded_access: Option<bool>,
    pub nct_id: Option<String>,
    pub status_for_nct_id: Option<ExpandedAccessStatus>,
}

// --- sponsors and oversight -----------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SponsorCollaboratorsModule {
    pub responsible_party: ResponsibleParty,
    pub lead_sponsor: Sponsor,
    pub collaborators: Vec<Sponsor>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ResponsibleParty {
    pub r#type: Option<ResponsiblePartyType>,
    pub investigator_full_name: Option<String>,
    pub investigator_title: Option<String>,
    pub investigator_affiliation: Option<String>,
    pub old_name_title: Option<String>,
    pub old_organization: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Sponsor {
    pub name: Option<String>,
    pub class: Option<AgencyClass>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OversightModule {
    pub oversight_has_dmc: Option<bool>,
    pub is_fda_regulated_drug: Option<bool>,
    pub is_fda_regulated_device: Option<bool>,
    pub is_unapproved_device: Option<bool>,
    pub is_ppsd: Option<bool>,
    pub is_us_export: Option<bool>,
    pub fdaaa801_violation: Option<bool>,
}

// --- description and conditions -------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DescriptionModule {
    /// Markup.
    pub brief_summary: Option<String>,
    /// Markup.
    pub detailed_description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ConditionsModule {
    pub conditions: Vec<String>,
    pub keywords: Vec<String>,
}

// --- design ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DesignModule {
    pub study_type: Option<StudyType>,
    pub n_ptrs_to_this_exp_acc_nct_id: Option<u64>,
    pub expanded_access_types: ExpandedAccessTypes,
    pub patient_registry: Option<bool>,
    /// How long participants are followed, e.g. `"2 Years"` (observational studies).
    pub target_duration: Option<Age>,
    pub phases: Vec<Phase>,
    pub design_info: DesignInfo,
    pub bio_spec: BioSpec,
    pub enrollment_info: EnrollmentInfo,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ExpandedAccessTypes {
    pub individual: Option<bool>,
    pub intermediate: Option<bool>,
    pub treatment: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DesignInfo {
    pub allocation: Option<DesignAllocation>,
    pub intervention_model: Option<InterventionalAssignment>,
    /// Markup.
    pub intervention_model_description: Option<String>,
    pub primary_purpose: Option<PrimaryPurpose>,
    pub observational_model: Option<ObservationalModel>,
    pub time_perspective: Option<DesignTimePerspective>,
    pub masking_info: MaskingInfo,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MaskingInfo {
    pub masking: Option<DesignMasking>,
    /// Markup.
    pub masking_description: Option<String>,
    pub who_masked: Vec<WhoMasked>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BioSpec {
    pub retention: Option<BioSpecRetention>,
    /// Markup.
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EnrollmentInfo {
    pub count: Option<u64>,
    pub r#type: Option<EnrollmentType>,
}

// --- arms, interventions and outcomes -------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ArmsInterventionsModule {
    pub arm_groups: Vec<ArmGroup>,
    pub interventions: Vec<Intervention>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ArmGroup {
    pub label: Option<String>,
    pub r#type: Option<ArmGroupType>,
    /// Markup.
    pub description: Option<String>,
    pub intervention_names: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Intervention {
    pub r#type: Option<InterventionType>,
    pub name: Option<String>,
    /// Markup.
    pub description: Option<String>,
    pub arm_group_labels: Vec<String>,
    pub other_names: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OutcomesModule {
    pub primary_outcomes: Vec<Outcome>,
    pub secondary_outcomes: Vec<Outcome>,
    pub other_outcomes: Vec<Outcome>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Outcome {
    pub measure: Option<String>,
    /// Markup.
    pub description: Option<String>,
    pub time_frame: Option<String>,
}

// --- eligibility ----------------------------------------------------------------------------

/// Who may take part. A missing age bound means no bound; see `age_range_text`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EligibilityModule {
    /// Markup, usually "Inclusion Criteria:" and "Exclusion Criteria:" lists.
    pub eligibility_criteria: Option<String>,
    pub healthy_volunteers: Option<bool>,
    pub sex: Option<Sex>,
    pub gender_based: Option<bool>,
    /// Markup.
    pub gender_description: Option<String>,
    pub minimum_age: Option<Age>,
    pub maximum_age: Option<Age>,
    pub std_ages: Vec<StandardAge>,
    /// Markup.
    pub study_population: Option<String>,
    pub sampling_method: Option<SamplingMethod>,
}

// --- contacts and locations -----------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContactsLocationsModule {
    pub central_contacts: Vec<Contact>,
    pub overall_officials: Vec<Official>,
    pub locations: Vec<Location>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Contact {
    pub name: Option<String>,
    pub role: Option<ContactRole>,
    pub phone: Option<String>,
    pub phone_ext: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Official {
    pub name: Option<String>,
    pub affiliation: Option<String>,
    pub role: Option<OfficialRole>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Location {
    pub facility: Option<String>,
    pub status: Option<RecruitmentStatus>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
    pub country: Option<String>,
    pub contacts: Vec<Contact>,
    pub geo_point: Option<GeoPoint>,
}

/// Both coordinates are required by the spec, so a point with one missing is an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

// --- references and data sharing ------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReferencesModule {
    pub references: Vec<Reference>,
    pub see_also_links: Vec<SeeAlsoLink>,
    pub avail_ipds: Vec<AvailIpd>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Reference {
    pub pmid: Option<String>,
    pub r#type: Option<ReferenceType>,
    pub citation: Option<String>,
    pub retractions: Vec<Retraction>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Retraction {
    pub pmid: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SeeAlsoLink {
    /// Markup.
    pub label: Option<String>,
    pub url: Option<String>,
}

/// A shared data set or document; its `type` is free text in the spec.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AvailIpd {
    pub id: Option<String>,
    pub r#type: Option<String>,
    pub url: Option<String>,
    /// Markup.
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IpdSharingStatementModule {
    pub ipd_sharing: Option<IpdSharing>,
    /// Markup.
    pub description: Option<String>,
    pub info_types: Vec<IpdSharingInfoType>,
    /// Markup.
    pub time_frame: Option<String>,
    /// Markup.
    pub access_criteria: Option<String>,
    pub url: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::study::age::AgeUnit;
    use crate::study::enums::{
        AgreementRestrictionType, BrowseLeafRelevance, ConfidenceIntervalNumSides, EventAssessment,
        NonInferiorityType, OutcomeMeasureType, ReportingStatus, UnpostedEventType, ViolationEventType,
        phases_label,
    };

    /// A small study touching every section and module, in the registry's own shape.
    const STUDY: &str = r#"{
      "protocolSection": {
        "identificationModule": {
          "nctId": "NCT01234567",
          "nctIdAliases": ["NCT00000001"],
          "orgStudyIdInfo": {"id": "ABC-1", "type": "NIH", "link": "https://example.org/abc"},
          "secondaryIdInfos": [{"id": "2020-001", "type": "EUDRACT_NUMBER", "domain": "EU"}],
          "organization": {"fullName": "Example University", "class": "OTHER"},
          "briefTitle": "A Study of Things",
          "officialTitle": "A Randomized Study of Things",
          "acronym": "THINGS"
        },
        "statusModule": {
          "statusVerifiedDate": "2024-05",
          "overallStatus": "ACTIVE_NOT_RECRUITING",
          "lastKnownStatus": "RECRUITING",
          "delayedPosting": true,
          "whyStopped": "Funding",
          "expandedAccessInfo": {"hasExpandedAccess": false, "nctId": "NCT07654321", "statusForNctId": "AVAILABLE"},
          "startDateStruct": {"date": "2020-03", "type": "ACTUAL"},
          "primaryCompletionDateStruct": {"date": "2025-12-31", "type": "ESTIMATED"},
          "completionDateStruct": {"date": "2026", "type": "ESTIMATED"},
          "studyFirstSubmitDate": "2020-01-15",
          "studyFirstSubmitQcDate": "2020-01-16",
          "studyFirstPostDateStruct": {"date": "2020-01-20", "type": "ACTUAL"},
          "resultsWaived": false,
          "resultsFirstSubmitDate": "2023-02-01",
          "resultsFirstSubmitQcDate": "2023-02-02",
          "resultsFirstPostDateStruct": {"date": "2023-02-10", "type": "ACTUAL"},
          "dispFirstSubmitDate": "2022-01-01",
          "dispFirstSubmitQcDate": "2022-01-02",
          "dispFirstPostDateStruct": {"date": "2022-01-05", "type": "ACTUAL"},
          "lastUpdateSubmitDate": "2024-05-01",
          "lastUpdatePostDateStruct": {"date": "2024-05-03", "type": "ACTUAL"}
        },
        "sponsorCollaboratorsModule": {
          "responsibleParty": {"type": "PRINCIPAL_INVESTIGATOR", "investigatorFullName": "Ada Lovelace",
            "investigatorTitle": "Professor", "investigatorAffiliation": "Example University",
            "oldNameTitle": "Dr. A", "oldOrganization": "Old Org"},
          "leadSponsor": {"name": "Example University", "class": "OTHER"},
          "collaborators": [{"name": "National Cancer Institute (NCI)", "class": "NIH"}]
        },
        "oversightModule": {"oversightHasDmc": true, "isFdaRegulatedDrug": true, "isFdaRegulatedDevice": false,
          "isUnapprovedDevice": false, "isPpsd": false, "isUsExport": true, "fdaaa801Violation": false},
        "descriptionModule": {"briefSummary": "Tests things.", "detailedDescription": "In **detail**."},
        "conditionsModule": {"conditions": ["Asthma"], "keywords": ["lungs", "breathing"]},
        "designModule": {
          "studyType": "INTERVENTIONAL",
          "nPtrsToThisExpAccNctId": 2,
          "expandedAccessTypes": {"individual": true, "intermediate": false, "treatment": true},
          "patientRegistry": false,
          "targetDuration": "2 Years",
          "phases": ["PHASE1", "PHASE2"],
          "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL",
            "interventionModelDescription": "Two arms", "primaryPurpose": "TREATMENT",
            "observationalModel": "COHORT", "timePerspective": "PROSPECTIVE",
            "maskingInfo": {"masking": "DOUBLE", "maskingDescription": "Blind",
              "whoMasked": ["PARTICIPANT", "INVESTIGATOR"]}},
          "bioSpec": {"retention": "SAMPLES_WITH_DNA", "description": "Blood"},
          "enrollmentInfo": {"count": 120, "type": "ACTUAL"}
        },
        "armsInterventionsModule": {
          "armGroups": [{"label": "Drug A", "type": "EXPERIMENTAL", "description": "Gets A",
            "interventionNames": ["Drug: A"]}],
          "interventions": [{"type": "DRUG", "name": "A", "description": "A pill",
            "armGroupLabels": ["Drug A"], "otherNames": ["Alphamab"]}]
        },
        "outcomesModule": {
          "primaryOutcomes": [{"measure": "FEV1", "description": "Lung function", "timeFrame": "12 weeks"}],
          "secondaryOutcomes": [{"measure": "Exacerbations", "timeFrame": "1 year"}],
          "otherOutcomes": [{"measure": "Quality of life"}]
        },
        "eligibilityModule": {
          "eligibilityCriteria": "Inclusion Criteria:\n\n* Asthma",
          "healthyVolunteers": false, "sex": "ALL", "genderBased": true, "genderDescription": "Any",
          "minimumAge": "6 Months", "maximumAge": "17 Years", "stdAges": ["CHILD"],
          "studyPopulation": "Children", "samplingMethod": "PROBABILITY_SAMPLE"
        },
        "contactsLocationsModule": {
          "centralContacts": [{"name": "Desk", "role": "CONTACT", "phone": "555-0100", "phoneExt": "12",
            "email": "desk@example.org"}],
          "overallOfficials": [{"name": "Ada Lovelace", "affiliation": "Example University",
            "role": "PRINCIPAL_INVESTIGATOR"}],
          "locations": [{"facility": "Example Hospital", "status": "RECRUITING", "city": "Boston",
            "state": "Massachusetts", "zip": "02115", "country": "United States",
            "contacts": [{"name": "Site Desk", "role": "CONTACT"}],
            "geoPoint": {"lat": 42.35843, "lon": -71.05977}}]
        },
        "referencesModule": {
          "references": [{"pmid": "12345", "type": "RESULT", "citation": "Lovelace A. Things. 2024.",
            "retractions": [{"pmid": "999", "source": "Journal"}]}],
          "seeAlsoLinks": [{"label": "Site", "url": "https://example.org"}],
          "availIpds": [{"id": "D1", "type": "Individual Participant Data Set", "url": "https://example.org/d",
            "comment": "On request"}]
        },
        "ipdSharingStatementModule": {"ipdSharing": "YES", "description": "Shared", "infoTypes": ["STUDY_PROTOCOL", "SAP"],
          "timeFrame": "After publication", "accessCriteria": "Ask", "url": "https://example.org/ipd"}
      },
      "resultsSection": {
        "participantFlowModule": {
          "preAssignmentDetails": "None", "recruitmentDetails": "Clinics", "typeUnitsAnalyzed": "Eyes",
          "groups": [{"id": "FG000", "title": "Drug A", "description": "Gets A"}],
          "periods": [{"title": "Overall Study",
            "milestones": [{"type": "STARTED", "comment": "c", "achievements": [{"groupId": "FG000", "numSubjects": "60", "numUnits": "120"}]},
                           {"type": "Received Treatment", "achievements": [{"groupId": "FG000", "numSubjects": "58"}]}],
            "dropWithdraws": [{"type": "Adverse Event", "reasons": [{"groupId": "FG000", "comment": "rash", "numSubjects": "2"}]}]}]
        },
        "baselineCharacteristicsModule": {
          "populationDescription": "All", "typeUnitsAnalyzed": "Participants",
          "groups": [{"id": "BG000", "title": "Drug A"}],
          "denoms": [{"units": "Participants", "counts": [{"groupId": "BG000", "value": "60"}]}],
          "measures": [{"title": "Age, Continuous", "paramType": "MEAN", "dispersionType": "STANDARD_DEVIATION",
            "unitOfMeasure": "years", "calculatePct": false, "denomUnitsSelected": "Participants",
            "description": "Age", "populationDescription": "All",
            "denoms": [{"units": "Participants", "counts": [{"groupId": "BG000", "value": "60"}]}],
            "classes": [{"title": "Overall", "denoms": [], "categories": [{"title": "All",
              "measurements": [{"groupId": "BG000", "value": "11.5", "spread": "3.2", "lowerLimit": "6", "upperLimit": "17", "comment": "ok"}]}]}]}]
        },
        "outcomeMeasuresModule": {
          "outcomeMeasures": [{
            "type": "PRIMARY", "title": "FEV1", "description": "Litres", "populationDescription": "ITT",
            "reportingStatus": "POSTED", "anticipatedPostingDate": "2025-06", "paramType": "LEAST_SQUARES_MEAN",
            "dispersionType": "95% Confidence Interval", "unitOfMeasure": "L", "calculatePct": false,
            "timeFrame": "12 weeks", "typeUnitsAnalyzed": "Participants", "denomUnitsSelected": "Participants",
            "groups": [{"id": "OG000", "title": "Drug A"}],
            "denoms": [{"units": "Participants", "counts": [{"groupId": "OG000", "value": "58"}]}],
            "classes": [{"categories": [{"measurements": [{"groupId": "OG000", "value": "2.1", "lowerLimit": "1.9", "upperLimit": "2.3"}]}]}],
            "analyses": [{"paramType": "Mean Difference (Final Values)", "paramValue": "0.2",
              "dispersionType": "STANDARD_ERROR_OF_MEAN", "dispersionValue": "0.05",
              "statisticalMethod": "ANCOVA", "statisticalComment": "adj", "pValue": "<0.001", "pValueComment": "two-sided",
              "ciNumSides": "TWO_SIDED", "ciPctValue": "95", "ciLowerLimit": "0.1", "ciUpperLimit": "0.3",
              "ciLowerLimitComment": "lo", "ciUpperLimitComment": "hi", "estimateComment": "est",
              "testedNonInferiority": false, "nonInferiorityType": "SUPERIORITY", "nonInferiorityComment": "n",
              "otherAnalysisDescription": "o", "groupDescription": "g", "groupIds": ["OG000", "OG001"]}]
          }]
        },
        "adverseEventsModule": {
          "frequencyThreshold": "5", "timeFrame": "1 year", "description": "All AEs", "allCauseMortalityComment": "none",
          "eventGroups": [{"id": "EG000", "title": "Drug A", "description": "d", "deathsNumAffected": 0, "deathsNumAtRisk": 60,
            "seriousNumAffected": 3, "seriousNumAtRisk": 60, "otherNumAffected": 20, "otherNumAtRisk": 60}],
          "seriousEvents": [{"term": "Pneumonia", "organSystem": "Infections and infestations", "sourceVocabulary": "MedDRA 26.0",
            "assessmentType": "SYSTEMATIC_ASSESSMENT", "notes": "n",
            "stats": [{"groupId": "EG000", "numEvents": 4, "numAffected": 3, "numAtRisk": 60}]}],
          "otherEvents": [{"term": "Headache", "organSystem": "Nervous system disorders",
            "assessmentType": "NON_SYSTEMATIC_ASSESSMENT", "stats": [{"groupId": "EG000", "numAffected": 20, "numAtRisk": 60}]}]
        },
        "moreInfoModule": {
          "limitationsAndCaveats": {"description": "Small"},
          "certainAgreement": {"piSponsorEmployee": false, "restrictionType": "LTE60", "restrictiveAgreement": true, "otherDetails": "x"},
          "pointOfContact": {"title": "Dr. Ada", "organization": "Example University", "email": "ada@example.org",
            "phone": "555-0101", "phoneExt": "7"}
        }
      },
      "annotationSection": {"annotationModule": {
        "unpostedAnnotation": {"unpostedResponsibleParty": "Example University",
          "unpostedEvents": [{"type": "RESET", "date": "2022-03-04", "dateUnknown": false}]},
        "violationAnnotation": {"violationEvents": [{"type": "VIOLATION_IDENTIFIED", "description": "Late",
          "creationDate": "2021-01-01", "issuedDate": "2021-01-02", "releaseDate": "2021-01-03", "postedDate": "2021-01-04"}]}
      }},
      "documentSection": {"largeDocumentModule": {"noSap": false, "largeDocs": [{"typeAbbrev": "Prot_SAP",
        "hasProtocol": true, "hasSap": true, "hasIcf": false, "label": "Study Protocol and Statistical Analysis Plan",
        "date": "2019-04-30", "uploadDate": "2019-05-03T10:41", "filename": "Prot_SAP_000.pdf", "size": 1234567}]}},
      "derivedSection": {
        "miscInfoModule": {"versionHolder": "2024-09-24", "removedCountries": ["Canada"],
          "submissionTracking": {"estimatedResultsFirstSubmitDate": "2023-01-01",
            "firstMcpInfo": {"postDateStruct": {"date": "2023-01-05", "type": "ACTUAL"}},
            "submissionInfos": [{"releaseDate": "2023-01-01", "unreleaseDate": "2023-01-02", "unreleaseDateUnknown": false,
              "resetDate": "2023-01-03", "mcpReleaseN": 1}]}},
        "conditionBrowseModule": {"meshes": [{"id": "D001249", "term": "Asthma"}],
          "ancestors": [{"id": "D008173", "term": "Lung Diseases, Obstructive"}],
          "browseLeaves": [{"id": "M4554", "name": "Asthma", "asFound": "Asthma", "relevance": "HIGH"}],
          "browseBranches": [{"abbrev": "BC08", "name": "Respiratory Tract (Lung and Bronchial) Diseases"}]},
        "interventionBrowseModule": {"browseLeaves": [{"id": "M1", "name": "Alpha", "relevance": "LOW"}]}
      },
      "hasResults": true
    }"#;

    fn parse(text: &str) -> Result<Study, serde_json::Error> {
        serde_json::from_str(text)
    }

    fn date(text: &str) -> Option<PartialDate> {
        Some(PartialDate::parse(text).unwrap())
    }

    #[test]
    fn full_study_protocol() {
        let study = parse(STUDY).unwrap();
        assert_eq!(study.nct_id(), Some("NCT01234567"));
        assert_eq!(study.brief_title(), Some("A Study of Things"));
        assert_eq!(study.overall_status(), Some(&Status::ActiveNotRecruiting));
        assert_eq!(study.phases(), &[Phase::Phase1, Phase::Phase2]);
        assert_eq!(phases_label(study.phases()), "Phase 1/2");
        assert_eq!(study.last_update(), date("2024-05-03"));
        assert_eq!(study.has_results, Some(true));

        let p = study.protocol_section.as_ref().unwrap();
        let id = &p.identification_module;
        assert_eq!(id.nct_id_aliases, ["NCT00000001"]);
        assert_eq!(id.org_study_id_info.r#type, Some(OrgStudyIdType::Nih));
        assert_eq!(id.secondary_id_infos[0].r#type, Some(SecondaryIdType::EudractNumber));
        assert_eq!(id.organization.class, Some(AgencyClass::OtherKind));
        assert_eq!(id.acronym.as_deref(), Some("THINGS"));

        let status = &p.status_module;
        assert_eq!(status.status_verified_date, date("2024-05"));
        assert_eq!(status.last_known_status, Some(Status::Recruiting));
        assert_eq!(status.expanded_access_info.status_for_nct_id, Some(ExpandedAccessStatus::Available));
        assert_eq!(
            status.start_date_struct,
            DateStruct { date: date("2020-03"), r#type: Some(DateType::Actual) }
        );
        assert_eq!(status.completion_date_struct.date, date("2026"));
        assert_eq!(status.primary_completion_date_struct.r#type, Some(DateType::Estimated));
        assert_eq!(status.disp_first_post_date_struct.date, date("2022-01-05"));
        assert_eq!(status.results_first_submit_qc_date, date("2023-02-02"));

        let sponsors = &p.sponsor_collaborators_module;
        assert_eq!(sponsors.responsible_party.r#type, Some(ResponsiblePartyType::PrincipalInvestigator));
        assert_eq!(sponsors.lead_sponsor.name.as_deref(), Some("Example University"));
        assert_eq!(sponsors.collaborators[0].class, Some(AgencyClass::Nih));
        assert_eq!(p.oversight_module.is_us_export, Some(true));
        assert_eq!(p.oversight_module.fdaaa801_violation, Some(false));
        assert_eq!(p.description_module.detailed_description.as_deref(), Some("In **detail**."));
        assert_eq!(p.conditions_module.keywords, ["lungs", "breathing"]);

        let design = &p.design_module;
        assert_eq!(design.study_type, Some(StudyType::Interventional));
        assert_eq!(design.n_ptrs_to_this_exp_acc_nct_id, Some(2));
        assert_eq!(design.expanded_access_types.treatment, Some(true));
        assert_eq!(design.target_duration, Some(Age::new(2.0, AgeUnit::Years)));
        assert_eq!(design.design_info.allocation, Some(DesignAllocation::Randomized));
        assert_eq!(design.design_info.intervention_model, Some(InterventionalAssignment::Parallel));
        assert_eq!(design.design_info.primary_purpose, Some(PrimaryPurpose::Treatment));
        assert_eq!(design.design_info.observational_model, Some(ObservationalModel::Cohort));
        assert_eq!(design.design_info.time_perspective, Some(DesignTimePerspective::Prospective));
        assert_eq!(design.design_info.masking_info.masking, Some(DesignMasking::Double));
        assert_eq!(
            design.design_info.masking_info.who_masked,
            [WhoMasked::Participant, WhoMasked::Investigator]
        );
        assert_eq!(design.bio_spec.retention, Some(BioSpecRetention::SamplesWithDna));
        assert_eq!(
            design.enrollment_info,
            EnrollmentInfo { count: Some(120), r#type: Some(EnrollmentType::Actual) }
        );

        let arms = &p.arms_interventions_module;
        assert_eq!(arms.arm_groups[0].r#type, Some(ArmGroupType::Experimental));
        assert_eq!(arms.arm_groups[0].intervention_names, ["Drug: A"]);
        assert_eq!(arms.interventions[0].r#type, Some(InterventionType::Drug));
        assert_eq!(arms.interventions[0].other_names, ["Alphamab"]);
        assert_eq!(p.outcomes_module.primary_outcomes[0].time_frame.as_deref(), Some("12 weeks"));
        assert_eq!(p.outcomes_module.other_outcomes[0].measure.as_deref(), Some("Quality of life"));

        let eligibility = &p.eligibility_module;
        assert_eq!(eligibility.sex, Some(Sex::All));
        assert_eq!(eligibility.minimum_age, Some(Age::new(6.0, AgeUnit::Months)));
        assert_eq!(eligibility.age_range_text(), "6 months to 17 years");
        assert_eq!(eligibility.std_ages, [StandardAge::Child]);
        assert_eq!(eligibility.sampling_method, Some(SamplingMethod::ProbabilitySample));

        let places = &p.contacts_locations_module;
        assert_eq!(places.central_contacts[0].phone_ext.as_deref(), Some("12"));
        assert_eq!(places.central_contacts[0].role, Some(ContactRole::Contact));
        assert_eq!(places.overall_officials[0].role, Some(OfficialRole::PrincipalInvestigator));
        let site = &places.locations[0];
        assert_eq!(site.status, Some(RecruitmentStatus::Recruiting));
        assert_eq!(site.geo_point, Some(GeoPoint { lat: 42.35843, lon: -71.05977 }));
        assert_eq!(site.contacts[0].name.as_deref(), Some("Site Desk"));

        let references = &p.references_module;
        assert_eq!(references.references[0].r#type, Some(ReferenceType::Result));
        assert_eq!(references.references[0].retractions[0].pmid.as_deref(), Some("999"));
        assert_eq!(references.see_also_links[0].url.as_deref(), Some("https://example.org"));
        assert_eq!(references.avail_ipds[0].r#type.as_deref(), Some("Individual Participant Data Set"));
        let ipd = &p.ipd_sharing_statement_module;
        assert_eq!(ipd.ipd_sharing, Some(IpdSharing::Yes));
        assert_eq!(ipd.info_types, [IpdSharingInfoType::StudyProtocol, IpdSharingInfoType::Sap]);
    }

    #[test]
    fn full_study_results() {
        let study = parse(STUDY).unwrap();
        let results = study.results_section.unwrap();

        let flow = &results.participant_flow_module;
        assert_eq!(flow.type_units_analyzed.as_deref(), Some("Eyes"));
        assert_eq!(flow.groups[0].id.as_deref(), Some("FG000"));
        let period = &flow.periods[0];
        assert_eq!(period.milestones[0].r#type.as_deref(), Some("STARTED"));
        assert_eq!(period.milestones[0].achievements[0].num_units.as_deref(), Some("120"));
        assert_eq!(period.milestones[1].r#type.as_deref(), Some("Received Treatment"));
        assert_eq!(period.drop_withdraws[0].reasons[0].num_subjects.as_deref(), Some("2"));

        let baseline = &results.baseline_characteristics_module;
        assert_eq!(baseline.denoms[0].counts[0].value.as_deref(), Some("60"));
        let age = &baseline.measures[0];
        assert_eq!(age.param_type.as_deref(), Some("MEAN"));
        assert_eq!(age.dispersion_type.as_deref(), Some("STANDARD_DEVIATION"));
        let measurement = &age.classes[0].categories[0].measurements[0];
        assert_eq!(measurement.value.as_deref(), Some("11.5"));
        assert_eq!(measurement.spread.as_deref(), Some("3.2"));

        let outcome = &results.outcome_measures_module.outcome_measures[0];
        assert_eq!(outcome.r#type, Some(OutcomeMeasureType::Primary));
        assert_eq!(outcome.reporting_status, Some(ReportingStatus::Posted));
        assert_eq!(outcome.anticipated_posting_date, date("2025-06"));
        assert_eq!(outcome.dispersion_type.as_deref(), Some("95% Confidence Interval"));
        assert_eq!(outcome.classes[0].categories[0].measurements[0].upper_limit.as_deref(), Some("2.3"));
        let analysis = &outcome.analyses[0];
        assert_eq!(analysis.p_value.as_deref(), Some("<0.001"));
        assert_eq!(analysis.ci_num_sides, Some(ConfidenceIntervalNumSides::TwoSided));
        assert_eq!(analysis.non_inferiority_type, Some(NonInferiorityType::Superiority));
        assert_eq!(analysis.group_ids, ["OG000", "OG001"]);

        let events = &results.adverse_events_module;
        assert_eq!(events.frequency_threshold.as_deref(), Some("5"));
        assert_eq!(events.event_groups[0].serious_num_affected, Some(3));
        assert_eq!(events.serious_events[0].assessment_type, Some(EventAssessment::SystematicAssessment));
        assert_eq!(events.serious_events[0].stats[0].num_events, Some(4));
        assert_eq!(events.other_events[0].stats[0].num_events, None);

        let more = &results.more_info_module;
        assert_eq!(more.limitations_and_caveats.description.as_deref(), Some("Small"));
        assert_eq!(more.certain_agreement.restriction_type, Some(AgreementRestrictionType::Lte60));
        assert_eq!(more.point_of_contact.phone_ext.as_deref(), Some("7"));
    }

    #[test]
    fn full_study_derived_documents_annotations() {
        let study = parse(STUDY).unwrap();
        let misc = &study.derived_section.misc_info_module;
        assert_eq!(misc.version_holder, date("2024-09-24"));
        assert_eq!(misc.removed_countries, ["Canada"]);
        let tracking = &misc.submission_tracking;
        assert_eq!(tracking.first_mcp_info.post_date_struct.date, date("2023-01-05"));
        assert_eq!(tracking.submission_infos[0].mcp_release_n, Some(1));
        let conditions = &study.derived_section.condition_browse_module;
        assert_eq!(conditions.meshes[0].term.as_deref(), Some("Asthma"));
        assert_eq!(conditions.ancestors[0].id.as_deref(), Some("D008173"));
        assert_eq!(conditions.browse_leaves[0].relevance, Some(BrowseLeafRelevance::High));
        assert_eq!(conditions.browse_branches[0].abbrev.as_deref(), Some("BC08"));
        let interventions = &study.derived_section.intervention_browse_module;
        assert_eq!(interventions.browse_leaves[0].relevance, Some(BrowseLeafRelevance::Low));
        assert!(interventions.meshes.is_empty());

        let docs = &study.document_section.unwrap().large_document_module;
        assert_eq!(docs.large_docs[0].upload_date, date("2019-05-03"));
        assert_eq!(docs.large_docs[0].size, Some(1_234_567));
        assert_eq!(docs.large_docs[0].has_icf, Some(false));

        let notes = &study.annotation_section.unwrap().annotation_module;
        assert_eq!(notes.unposted_annotation.unposted_events[0].r#type, Some(UnpostedEventType::Reset));
        let violation = &notes.violation_annotation.violation_events[0];
        assert_eq!(violation.r#type, Some(ViolationEventType::ViolationIdentified));
        assert_eq!(violation.posted_date, date("2021-01-04"));
    }

    #[test]
    fn a_bare_study_defaults_everything() {
        let study =
            parse(r#"{"protocolSection": {"identificationModule": {"nctId": "NCT00000002"}}}"#).unwrap();
        assert_eq!(study.nct_id(), Some("NCT00000002"));
        assert_eq!(study.brief_title(), None);
        assert_eq!(study.overall_status(), None);
        assert!(study.phases().is_empty());
        assert_eq!(phases_label(study.phases()), "");
        assert_eq!(study.last_update(), None);
        assert!(study.results_section.is_none());
        assert_eq!(study.derived_section, DerivedSection::default());
        let eligibility = &study.protocol_section.unwrap().eligibility_module;
        assert_eq!(eligibility.age_range_text(), "any age");

        let empty = parse("{}").unwrap();
        assert!(empty.protocol_section.is_none());
        assert_eq!(empty.nct_id(), None);
        assert!(empty.phases().is_empty());
    }

    #[test]
    fn last_update_falls_back_to_the_submit_date() {
        let study = parse(r#"{"protocolSection": {"statusModule": {"lastUpdateSubmitDate": "2021-07-09"}}}"#)
            .unwrap();
        assert_eq!(study.last_update(), date("2021-07-09"));
    }

    #[test]
    fn unknown_fields_and_values_are_tolerated() {
        let study = parse(
            r#"{"protocolSection": {
                 "identificationModule": {"nctId": "NCT00000003", "shinyNewField": {"a": [1, 2]}},
                 "statusModule": {"overallStatus": "ON_HOLD"},
                 "designModule": {"phases": ["PHASE1", "PHASE9"]},
                 "contactsLocationsModule": {"locations_nested": [{"city": "Kobe"}]},
                 "armsInterventionsModule": {"interventions": [{"name": "A", "interventionMappedName": ["x"]}]}},
               "derivedSection": {"miscInfoModule": {"modelPredictions": {"bmiLimits": {"minBmi": 18.5}}}},
               "somethingElse": true}"#,
        )
        .unwrap();
        assert_eq!(study.overall_status(), Some(&Status::Other("ON_HOLD".into())));
        assert_eq!(study.phases(), &[Phase::Phase1, Phase::Other("PHASE9".into())]);
    }

    fn error_of(text: &str) -> (String, String) {
        let de = &mut serde_json::Deserializer::from_str(text);
        let error = serde_path_to_error::deserialize::<_, Study>(de).unwrap_err();
        (error.path().to_string(), error.inner().to_string())
    }

    #[test]
    fn wrong_types_are_errors_with_a_path() {
        let (path, _) = error_of(r#"{"protocolSection": {"designModule": {"phases": "PHASE1"}}}"#);
        assert_eq!(path, "protocolSection.designModule.phases");
        let (path, _) =
            error_of(r#"{"protocolSection": {"designModule": {"enrollmentInfo": {"count": "30"}}}}"#);
        assert_eq!(path, "protocolSection.designModule.enrollmentInfo.count");
        let (path, _) = error_of(r#"{"protocolSection": {"contactsLocationsModule": {"locations": {}}}}"#);
        assert_eq!(path, "protocolSection.contactsLocationsModule.locations");
        let (path, _) =
            error_of(r#"{"protocolSection": {"designModule": {"enrollmentInfo": {"count": -1}}}}"#);
        assert_eq!(path, "protocolSection.designModule.enrollmentInfo.count");
        let (path, _) = error_of(r#"{"hasResults": "true"}"#);
        assert_eq!(path, "hasResults");
        let (path, message) =
            error_of(r#"{"protocolSection": {"statusModule": {"startDateStruct": {"date": "2015-13"}}}}"#);
        assert_eq!(path, "protocolSection.statusModule.startDateStruct.date");
        assert!(message.contains("2015-13"), "{message}");
        let (path, message) = error_of(r#"{"protocolSection": {"eligibilityModule": {"minimumAge": "18"}}}"#);
        assert_eq!(path, "protocolSection.eligibilityModule.minimumAge");
        assert!(message.contains("\"18\""), "{message}");
        let (path, _) = error_of(
            r#"{"resultsSection": {"adverseEventsModule": {"eventGroups": [{"deathsNumAffected": "0"}]}}}"#,
        );
        assert_eq!(path, "resultsSection.adverseEventsModule.eventGroups[0].deathsNumAffected");
        let (path, _) = error_of(
            r#"{"protocolSection": {"contactsLocationsModule": {"locations": [{"geoPoint": {"lat": 1.0}}]}}}"#,
        );
        assert_eq!(path, "protocolSection.contactsLocationsModule.locations[0].geoPoint");
    }
}
