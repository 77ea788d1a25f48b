//! The registry's enumerated values (`spec/studies-enums.json`) as Rust enums.
//!
//! Every enum keeps an `Other(Box<str>)` fallback: the registry adds values over time and a record
//! written after this code must still load. Where the registry itself has a value `OTHER`, its
//! variant is named `OtherKind` so that it cannot be confused with the fallback.
//! Fields that are free text in some records and enum codes in others (results `paramType` and
//! `dispersionType`, flow milestone types) are `String` in the model; `parse(..).label()` on one
//! of these enums still gives a reading for them, since an unknown text labels as itself.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

/// Declares a registry enum: each variant is `Name = "REGISTRY_VALUE" => "Human label"`.
/// Generates `parse`, `as_str`, `label`, `is_known`, `ALL`, `FromStr`, `Display` (the label)
/// and a `Deserialize` from a string that never fails on an unknown value.
macro_rules! registry_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($variant:ident = $value:literal => $label:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(
                #[doc = $label]
                $variant,
            )+
            /// A value this version does not know, kept as the registry wrote it.
            Other(Box<str>),
        }

        impl $name {
            /// Every known value, in the registry's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Reads a registry value; an unknown one becomes `Other`.
            pub fn parse(text: &str) -> Self {
                match text {
                    $($value => Self::$variant,)+
                    other => Self::Other(other.into()),
                }
            }

            /// The value as the registry writes it, e.g. `NOT_YET_RECRUITING`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)+
                    Self::Other(text) => text,
                }
            }

            /// A reading for people, e.g. `Not yet recruiting`; an unknown value reads as itself.
            pub fn label(&self) -> &str {
                match self {
                    $(Self::$variant => $label,)+
                    Self::Other(text) => text,
                }
            }

            /// False for a value this version does not know.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl FromStr for $name {
            type Err = Infallible;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(text))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        /// As the registry writes it, so that a stored summary reads back through `Deserialize`.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct RegistryVisitor;

                impl serde::de::Visitor<'_> for RegistryVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "a {} string", stringify!($name))
                    }

                    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<$name, E> {
                        Ok($name::parse(text))
                    }
                }

                deserializer.deserialize_str(RegistryVisitor)
            }
        }
    };
}

registry_enum! {
    /// Registry values of `OrgStudyIdType`.
    OrgStudyIdType {
        Nih = "NIH" => "U.S. NIH Grant/Contract",
        Fda = "FDA" => "U.S. FDA Grant/Contract",
        Va = "VA" => "U.S. VA Grant/Contract",
        Cdc = "CDC" => "U.S. CDC Grant/Contract",
        Ahrq = "AHRQ" => "U.S. AHRQ Grant/Contract",
        Samhsa = "SAMHSA" => "U.S. SAMHSA Grant/Contract",
    }
}

registry_enum! {
    /// Registry values of `SecondaryIdType`.
    SecondaryIdType {
        Nih = "NIH" => "U.S. NIH Grant/Contract",
        Fda = "FDA" => "U.S. FDA Grant/Contract",
        Va = "VA" => "U.S. VA Grant/Contract",
        Cdc = "CDC" => "U.S. CDC Grant/Contract",
        Ahrq = "AHRQ" => "U.S. AHRQ Grant/Contract",
        Samhsa = "SAMHSA" => "U.S. SAMHSA Grant/Contract",
        OtherGrant = "OTHER_GRANT" => "Other Grant/Funding Number",
        EudractNumber = "EUDRACT_NUMBER" => "EudraCT Number",
        Ctis = "CTIS" => "EU Trial (CTIS) Number",
        Registry = "REGISTRY" => "Registry Identifier",
        OtherKind = "OTHER" => "Other Identifier",
    }
}

registry_enum! {
    /// Registry values of `OrgClass`, `LeadSponsorClass`, `CollaboratorClass`.
    AgencyClass {
        Nih = "NIH" => "NIH",
        Fed = "FED" => "U.S. federal",
        OtherGov = "OTHER_GOV" => "Other government",
        Indiv = "INDIV" => "Individual",
        Industry = "INDUSTRY" => "Industry",
        Network = "NETWORK" => "Network",
        Ambig = "AMBIG" => "Ambiguous",
        OtherKind = "OTHER" => "Other",
        Unknown = "UNKNOWN" => "Unknown",
    }
}

registry_enum! {
    /// Overall status of a study (also its last known status).
    Status {
        ActiveNotRecruiting = "ACTIVE_NOT_RECRUITING" => "Active, not recruiting",
        Completed = "COMPLETED" => "Completed",
        EnrollingByInvitation = "ENROLLING_BY_INVITATION" => "Enrolling by invitation",
        NotYetRecruiting = "NOT_YET_RECRUITING" => "Not yet recruiting",
        Recruiting = "RECRUITING" => "Recruiting",
        Suspended = "SUSPENDED" => "Suspended",
        Terminated = "TERMINATED" => "Terminated",
        Withdrawn = "WITHDRAWN" => "Withdrawn",
        Available = "AVAILABLE" => "Available",
        NoLongerAvailable = "NO_LONGER_AVAILABLE" => "No longer available",
        TemporarilyNotAvailable = "TEMPORARILY_NOT_AVAILABLE" => "Temporarily not available",
        ApprovedForMarketing = "APPROVED_FOR_MARKETING" => "Approved for marketing",
        Withheld = "WITHHELD" => "Withheld",
        Unknown = "UNKNOWN" => "Unknown status",
    }
}

registry_enum! {
    /// Registry values of `ExpandedAccessStatusForNCTId`.
    ExpandedAccessStatus {
        Available = "AVAILABLE" => "Available",
        NoLongerAvailable = "NO_LONGER_AVAILABLE" => "No longer available",
        TemporarilyNotAvailable = "TEMPORARILY_NOT_AVAILABLE" => "Temporarily not available",
        ApprovedForMarketing = "APPROVED_FOR_MARKETING" => "Approved for marketing",
    }
}

registry_enum! {
    /// Whether a date has happened (`ACTUAL`) or is planned (`ESTIMATED`).
    DateType {
        Actual = "ACTUAL" => "Actual",
        Estimated = "ESTIMATED" => "Estimated",
    }
}

registry_enum! {
    /// Registry values of `ResponsiblePartyType`.
    ResponsiblePartyType {
        Sponsor = "SPONSOR" => "Sponsor",
        PrincipalInvestigator = "PRINCIPAL_INVESTIGATOR" => "Principal Investigator",
        SponsorInvestigator = "SPONSOR_INVESTIGATOR" => "Sponsor-Investigator",
    }
}

registry_enum! {
    /// Registry values of `StudyType`.
    StudyType {
        ExpandedAccess = "EXPANDED_ACCESS" => "Expanded Access",
        Interventional = "INTERVENTIONAL" => "Interventional",
        Observational = "OBSERVATIONAL" => "Observational",
    }
}

registry_enum! {
    /// Registry values of `Phase`.
    Phase {
        NotApplicable = "NA" => "N/A",
        EarlyPhase1 = "EARLY_PHASE1" => "Early phase 1",
        Phase1 = "PHASE1" => "Phase 1",
        Phase2 = "PHASE2" => "Phase 2",
        Phase3 = "PHASE3" => "Phase 3",
        Phase4 = "PHASE4" => "Phase 4",
    }
}

registry_enum! {
    /// Registry values of `DesignAllocation`.
    DesignAllocation {
        Randomized = "RANDOMIZED" => "Randomized",
        NonRandomized = "NON_RANDOMIZED" => "Non-Randomized",
        NotApplicable = "NA" => "N/A",
    }
}

registry_enum! {
    /// Registry values of `DesignInterventionModel`.
    InterventionalAssignment {
        SingleGroup = "SINGLE_GROUP" => "Single Group Assignment",
        Parallel = "PARALLEL" => "Parallel Assignment",
        Crossover = "CROSSOVER" => "Crossover Assignment",
        Factorial = "FACTORIAL" => "Factorial Assignment",
        Sequential = "SEQUENTIAL" => "Sequential Assignment",
    }
}

registry_enum! {
    /// Registry values of `DesignPrimaryPurpose`.
    PrimaryPurpose {
        Treatment = "TREATMENT" => "Treatment",
        Prevention = "PREVENTION" => "Prevention",
        Diagnostic = "DIAGNOSTIC" => "Diagnostic",
        Ect = "ECT" => "Educational/Counseling/Training",
        SupportiveCare = "SUPPORTIVE_CARE" => "Supportive Care",
        Screening = "SCREENING" => "Screening",
        HealthServicesResearch = "HEALTH_SERVICES_RESEARCH" => "Health Services Research",
        BasicScience = "BASIC_SCIENCE" => "Basic Science",
        DeviceFeasibility = "DEVICE_FEASIBILITY" => "Device Feasibility",
        OtherKind = "OTHER" => "Other",
    }
}

registry_enum! {
    /// Registry values of `DesignObservationalModel`.
    ObservationalModel {
        Cohort = "COHORT" => "Cohort",
        CaseControl = "CASE_CONTROL" => "Case-Control",
        CaseOnly = "CASE_ONLY" => "Case-Only",
        CaseCrossover = "CASE_CROSSOVER" => "Case-Crossover",
        EcologicOrCommunity = "ECOLOGIC_OR_COMMUNITY" => "Ecologic or Community",
        FamilyBased = "FAMILY_BASED" => "Family-Based",
        DefinedPopulation = "DEFINED_POPULATION" => "Defined Population",
        NaturalHistory = "NATURAL_HISTORY" => "Natural History",
        OtherKind = "OTHER" => "Other",
    }
}

registry_enum! {
    /// Registry values of `DesignTimePerspective`.
    DesignTimePerspective {
        Retrospective = "RETROSPECTIVE" => "Retrospective",
        Prospective = "PROSPECTIVE" => "Prospective",
        CrossSectional = "CROSS_SECTIONAL" => "Cross-Sectional",
        OtherKind = "OTHER" => "Other",
    }
}

registry_enum! {
    /// Registry values of `DesignMasking`.
    DesignMasking {
        OpenLabel = "NONE" => "None (Open Label)",
        Single = "SINGLE" => "Single",
        Double = "DOUBLE" => "Double",
        Triple = "TRIPLE" => "Triple",
        Quadruple = "QUADRUPLE" => "Quadruple",
    }
}

registry_enum! {
    /// Registry values of `DesignWhoMasked`.
    WhoMasked {
        Participant = "PARTICIPANT" => "Participant",
        CareProvider = "CARE_PROVIDER" => "Care Provider",
        Investigator = "INVESTIGATOR" => "Investigator",
        OutcomesAssessor = "OUTCOMES_ASSESSOR" => "Outcomes Assessor",
    }
}

registry_enum! {
    /// Registry values of `BioSpecRetention`.
    BioSpecRetention {
        NoneRetained = "NONE_RETAINED" => "None Retained",
        SamplesWithDna = "SAMPLES_WITH_DNA" => "Samples With DNA",
        SamplesWithoutDna = "SAMPLES_WITHOUT_DNA" => "Samples Without DNA",
    }
}

registry_enum! {
    /// Registry values of `EnrollmentType`.
    EnrollmentType {
        Actual = "ACTUAL" => "Actual",
        Estimated = "ESTIMATED" => "Estimated",
    }
}

registry_enum! {
    /// Registry values of `ArmGroupType`.
    ArmGroupType {
        Experimental = "EXPERIMENTAL" => "Experimental",
        ActiveComparator = "ACTIVE_COMPARATOR" => "Active Comparator",
        PlaceboComparator = "PLACEBO_COMPARATOR" => "Placebo Comparator",
        ShamComparator = "SHAM_COMPARATOR" => "Sham Comparator",
        NoIntervention = "NO_INTERVENTION" => "No Intervention",
        OtherKind = "OTHER" => "Other",
    }
}

registry_enum! {
    /// Registry values of `InterventionType`.
    InterventionType {
        Behavioral = "BEHAVIORAL" => "Behavioral",
        Biological = "BIOLOGICAL" => "Biological",
        CombinationProduct = "COMBINATION_PRODUCT" => "Combination Product",
        Device = "DEVICE" => "Device",
        DiagnosticTest = "DIAGNOSTIC_TEST" => "Diagnostic Test",
        DietarySupplement = "DIETARY_SUPPLEMENT" => "Dietary Supplement",
        Drug = "DRUG" => "Drug",
        Genetic = "GENETIC" => "Genetic",
        Procedure = "PROCEDURE" => "Procedure",
        Radiation = "RADIATION" => "Radiation",
        OtherKind = "OTHER" => "Other",
    }
}

registry_enum! {
    /// Registry values of `Sex`.
    Sex {
        Female = "FEMALE" => "Female",
        Male = "MALE" => "Male",
        All = "ALL" => "All",
    }
}

registry_enum! {
    /// Registry values of `StdAge`.
    StandardAge {
        Child = "CHILD" => "Child",
        Adult = "ADULT" => "Adult",
        OlderAdult = "OLDER_ADULT" => "Older Adult",
    }
}

registry_enum! {
    /// Registry values of `SamplingMethod`.
    SamplingMethod {
        ProbabilitySample = "PROBABILITY_SAMPLE" => "Probability Sample",
        NonProbabilitySample = "NON_PROBABILITY_SAMPLE" => "Non-Probability Sample",
    }
}

registry_enum! {
    /// Registry values of `CentralContactRole`, `LocationContactRole`.
    ContactRole {
        StudyChair = "STUDY_CHAIR" => "Study Chair",
        StudyDirector = "STUDY_DIRECTOR" => "Study Director",
        PrincipalInvestigator = "PRINCIPAL_INVESTIGATOR" => "Principal Investigator",
        SubInvestigator = "SUB_INVESTIGATOR" => "Sub-Investigator",
        Contact = "CONTACT" => "Contact",
    }
}

registry_enum! {
    /// Registry values of `OverallOfficialRole`.
    OfficialRole {
        StudyChair = "STUDY_CHAIR" => "Study Chair",
        StudyDirector = "STUDY_DIRECTOR" => "Study Director",
        PrincipalInvestigator = "PRINCIPAL_INVESTIGATOR" => "Principal Investigator",
        SubInvestigator = "SUB_INVESTIGATOR" => "Sub-Investigator",
    }
}

registry_enum! {
    /// Recruitment status of one location.
    RecruitmentStatus {
        ActiveNotRecruiting = "ACTIVE_NOT_RECRUITING" => "Active, not recruiting",
        Completed = "COMPLETED" => "Completed",
        EnrollingByInvitation = "ENROLLING_BY_INVITATION" => "Enrolling by invitation",
        NotYetRecruiting = "NOT_YET_RECRUITING" => "Not yet recruiting",
        Recruiting = "RECRUITING" => "Recruiting",
        Suspended = "SUSPENDED" => "Suspended",
        Terminated = "TERMINATED" => "Terminated",
        Withdrawn = "WITHDRAWN" => "Withdrawn",
        Available = "AVAILABLE" => "Available",
    }
}

registry_enum! {
    /// Registry values of `ReferenceType`.
    ReferenceType {
        Background = "BACKGROUND" => "Background",
        Result = "RESULT" => "Result",
        Derived = "DERIVED" => "Derived",
    }
}

registry_enum! {
    /// Registry values of `IPDSharing`.
    IpdSharing {
        Yes = "YES" => "Yes",
        No = "NO" => "No",
        Undecided = "UNDECIDED" => "Undecided",
    }
}

registry_enum! {
    /// Registry values of `IPDSharingInfoType`.
    IpdSharingInfoType {
        StudyProtocol = "STUDY_PROTOCOL" => "Study Protocol",
        Sap = "SAP" => "Statistical Analysis Plan (SAP)",
        Icf = "ICF" => "Informed Consent Form (ICF)",
        Csr = "CSR" => "Clinical Study Report (CSR)",
        AnalyticCode = "ANALYTIC_CODE" => "Analytic Code",
    }
}

registry_enum! {
    /// Registry values of `BaselineMeasureParamType`, `OutcomeMeasureParamType`.
    MeasureParam {
        GeometricMean = "GEOMETRIC_MEAN" => "Geometric Mean",
        GeometricLeastSquaresMean = "GEOMETRIC_LEAST_SQUARES_MEAN" => "Geometric Least Squares Mean",
        LeastSquaresMean = "LEAST_SQUARES_MEAN" => "Least Squares Mean",
        LogMean = "LOG_MEAN" => "Log Mean",
        Mean = "MEAN" => "Mean",
        Median = "MEDIAN" => "Median",
        Number = "NUMBER" => "Number",
        CountOfParticipants = "COUNT_OF_PARTICIPANTS" => "Count of Participants",
        CountOfUnits = "COUNT_OF_UNITS" => "Count of Units",
    }
}

registry_enum! {
    /// Registry values of `BaselineMeasureDispersionType`.
    MeasureDispersionType {
        NotApplicable = "NA" => "Not Applicable",
        StandardDeviation = "STANDARD_DEVIATION" => "Standard Deviation",
        StandardError = "STANDARD_ERROR" => "Standard Error",
        InterQuartileRange = "INTER_QUARTILE_RANGE" => "Inter-Quartile Range",
        FullRange = "FULL_RANGE" => "Full Range",
        Confidence80 = "CONFIDENCE_80" => "80% Confidence Interval",
        Confidence90 = "CONFIDENCE_90" => "90% Confidence Interval",
        Confidence95 = "CONFIDENCE_95" => "95% Confidence Interval",
        Confidence975 = "CONFIDENCE_975" => "97.5% Confidence Interval",
        Confidence99 = "CONFIDENCE_99" => "99% Confidence Interval",
        ConfidenceOther = "CONFIDENCE_OTHER" => "Other Confidence Interval Level",
        GeometricCoefficient = "GEOMETRIC_COEFFICIENT" => "Geometric Coefficient of Variation",
    }
}

registry_enum! {
    /// Registry values of `OutcomeMeasureType`.
    OutcomeMeasureType {
        Primary = "PRIMARY" => "Primary",
        Secondary = "SECONDARY" => "Secondary",
        OtherPreSpecified = "OTHER_PRE_SPECIFIED" => "Other Pre-specified",
        PostHoc = "POST_HOC" => "Post-Hoc",
    }
}

registry_enum! {
    /// Registry values of `OutcomeMeasureReportingStatus`.
    ReportingStatus {
        NotPosted = "NOT_POSTED" => "Not Posted",
        Posted = "POSTED" => "Posted",
    }
}

registry_enum! {
    /// Registry values of `OutcomeAnalysisDispersionType`.
    AnalysisDispersionType {
        StandardDeviation = "STANDARD_DEVIATION" => "Standard Deviation",
        StandardErrorOfMean = "STANDARD_ERROR_OF_MEAN" => "Standard Error of the Mean",
    }
}

registry_enum! {
    /// Registry values of `OutcomeAnalysisCINumSides`.
    ConfidenceIntervalNumSides {
        OneSided = "ONE_SIDED" => "1-Sided",
        TwoSided = "TWO_SIDED" => "2-Sided",
    }
}

registry_enum! {
    /// Registry values of `OutcomeAnalysisNonInferiorityType`.
    NonInferiorityType {
        Superiority = "SUPERIORITY" => "Superiority",
        NonInferiority = "NON_INFERIORITY" => "Non-Inferiority",
        Equivalence = "EQUIVALENCE" => "Equivalence",
        OtherKind = "OTHER" => "Other",
        NonInferiorityOrEquivalence = "NON_INFERIORITY_OR_EQUIVALENCE" => "Non-Inferiority or Equivalence",
        SuperiorityOrOther = "SUPERIORITY_OR_OTHER" => "Superiority or Other",
        NonInferiorityOrEquivalenceLegacy = "NON_INFERIORITY_OR_EQUIVALENCE_LEGACY" => "Non-Inferiority or Equivalence (legacy)",
        SuperiorityOrOtherLegacy = "SUPERIORITY_OR_OTHER_LEGACY" => "Superiority or Other (legacy)",
    }
}

registry_enum! {
    /// Registry values of `SeriousEventAssessmentType`, `OtherEventAssessmentType`.
    EventAssessment {
        NonSystematicAssessment = "NON_SYSTEMATIC_ASSESSMENT" => "Non-systematic Assessment",
        SystematicAssessment = "SYSTEMATIC_ASSESSMENT" => "Systematic Assessment",
    }
}

registry_enum! {
    /// Registry values of `AgreementRestrictionType`.
    AgreementRestrictionType {
        Lte60 = "LTE60" => "Embargo of 60 days or less",
        Gt60 = "GT60" => "Embargo of more than 60 days",
        OtherKind = "OTHER" => "Other",
    }
}

registry_enum! {
    /// Registry values of `UnpostedEventType`.
    UnpostedEventType {
        Reset = "RESET" => "Reset",
        Release = "RELEASE" => "Release",
        Unrelease = "UNRELEASE" => "Unrelease",
    }
}

registry_enum! {
    /// Registry values of `ViolationEventType`.
    ViolationEventType {
        ViolationIdentified = "VIOLATION_IDENTIFIED" => "Violation Identified by FDA",
        CorrectionConfirmed = "CORRECTION_CONFIRMED" => "Correction Confirmed by FDA",
        PenaltyImposed = "PENALTY_IMPOSED" => "Penalty Imposed by FDA",
        IssuesInLetterAddressedConfirmed = "ISSUES_IN_LETTER_ADDRESSED_CONFIRMED" => "Issues in letter addressed; confirmed by FDA",
    }
}

registry_enum! {
    /// Registry values of `ConditionBrowseLeafRelevance`, `InterventionBrowseLeafRelevance`.
    BrowseLeafRelevance {
        Low = "LOW" => "Low",
        High = "HIGH" => "High",
    }
}

/// The phases of a study as the registry site shows them: `Phase 1/2` for
/// `[PHASE1, PHASE2]`, `N/A` for `[NA]`, and an empty string for none (observational studies).
pub fn phases_label(phases: &[Phase]) -> String {
    let numbers: Vec<&str> = phases
        .iter()
        .filter_map(|phase| match phase {
            Phase::Phase1 => Some("1"),
            Phase::Phase2 => Some("2"),
            Phase::Phase3 => Some("3"),
            Phase::Phase4 => Some("4"),
            _ => None,
        })
        .collect();
    if !numbers.is_empty() && numbers.len() == phases.len() {
        return format!("Phase {}", numbers.join("/"));
    }
    phases.iter().map(Phase::label).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip_and_label() {
        let status = Status::parse("NOT_YET_RECRUITING");
        assert_eq!(status, Status::NotYetRecruiting);
        assert_eq!(status.as_str(), "NOT_YET_RECRUITING");
        assert_eq!(status.label(), "Not yet recruiting");
        assert_eq!(Status::ActiveNotRecruiting.label(), "Active, not recruiting");
        assert_eq!(Status::EnrollingByInvitation.label(), "Enrolling by invitation");
        assert_eq!(Phase::Phase1.label(), "Phase 1");
        assert_eq!(Phase::EarlyPhase1.label(), "Early phase 1");
        assert_eq!(Phase::NotApplicable.label(), "N/A");
        assert_eq!(Phase::NotApplicable.as_str(), "NA");
        assert_eq!(ReferenceType::Background.label(), "Background");
        assert_eq!(Status::Recruiting.to_string(), "Recruiting");
        for status in Status::ALL {
            assert_eq!(&Status::parse(status.as_str()), status);
        }
    }

    #[test]
    fn registry_other_is_not_the_fallback() {
        assert_eq!(InterventionType::parse("OTHER"), InterventionType::OtherKind);
        assert!(InterventionType::OtherKind.is_known());
        assert_eq!(InterventionType::OtherKind.label(), "Other");
    }

    #[test]
    fn unknown_value_falls_back_to_other() {
        let phase = Phase::parse("PHASE5");
        assert_eq!(phase, Phase::Other("PHASE5".into()));
        assert!(!phase.is_known());
        assert_eq!(phase.as_str(), "PHASE5");
        assert_eq!(phase.label(), "PHASE5");
        let parsed: Status = serde_json::from_str("\"PAUSED_FOR_LUNCH\"").unwrap();
        assert_eq!(parsed, Status::Other("PAUSED_FOR_LUNCH".into()));
        assert_eq!("RECRUITING".parse::<Status>(), Ok(Status::Recruiting));
    }

    #[test]
    fn free_text_reads_through_an_enum() {
        assert_eq!(MeasureParam::parse("MEAN").label(), "Mean");
        assert_eq!(
            MeasureDispersionType::parse("95% Confidence Interval").label(),
            "95% Confidence Interval"
        );
    }

    #[test]
    fn non_string_is_an_error() {
        assert!(serde_json::from_str::<Status>("3").is_err());
        assert!(serde_json::from_str::<Vec<Phase>>("\"PHASE1\"").is_err());
    }

    #[test]
    fn phases_read_as_the_registry_shows_them() {
        assert_eq!(phases_label(&[Phase::Phase1, Phase::Phase2]), "Phase 1/2");
        assert_eq!(phases_label(&[Phase::Phase3]), "Phase 3");
        assert_eq!(phases_label(&[Phase::NotApplicable]), "N/A");
        assert_eq!(phases_label(&[Phase::EarlyPhase1]), "Early phase 1");
        assert_eq!(phases_label(&[]), "");
    }
}
