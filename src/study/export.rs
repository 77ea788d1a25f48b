//! The website's CSV export of studies (clinicaltrials.gov, "Download", CSV): its 29 columns in its
//! order, each cell written as the website writes it, so that a sheet made with nct lines up with
//! one downloaded from the registry.
//!
//! Cells hold values as registered: enum names (`RECRUITING`, `PHASE1|PHASE2`), dates as partial
//! as they were entered, text with the registry's markup left in. Multi-valued cells are joined
//! with `|`; the parts of one value (an outcome's measure, description and time frame, a site's
//! facility, city, state, zip and country) with `, `, leaving out the empty ones.

use std::io;

use crate::study::Study;
use crate::study::date::PartialDate;
use crate::study::derived::LargeDoc;
use crate::study::enums::{
    AgencyClass, DesignAllocation, DesignMasking, DesignTimePerspective, InterventionalAssignment,
    ObservationalModel, Phase, PrimaryPurpose, Sex, StandardAge, Status, StudyType, WhoMasked,
};
use crate::study::record::{DesignModule, Intervention, Location, Outcome, ProtocolSection};

/// The header row, spelled as the website spells it.
pub const CSV_COLUMNS: [&str; 29] = [
    "NCT Number",
    "Study Title",
    "Study URL",
    "Acronym",
    "Study Status",
    "Study Results",
    "Conditions",
    "Interventions",
    "Primary Outcome Measures",
    "Secondary Outcome Measures",
    "Other Outcome Measures",
    "Sponsor",
    "Collaborators",
    "Sex",
    "Age",
    "Phases",
    "Enrollment",
    "Funder Type",
    "Study Type",
    "Study Design",
    "Other IDs",
    "Start Date",
    "Primary Completion Date",
    "Completion Date",
    "First Posted",
    "Results First Posted",
    "Last Update Posted",
    "Locations",
    "Study Documents",
];

/// Where a study's page is on the registry's website.
pub const STUDY_URL: &str = "https://clinicaltrials.gov/study/";

/// Where the registry keeps uploaded protocols, analysis plans and consent forms.
const LARGE_DOCS_URL: &str = "https://cdn.clinicaltrials.gov/large-docs/";

/// Between the values of a multi-valued cell.
const VALUES: &str = "|";

/// Between the parts of one value, and between the standard age groups.
const PARTS: &str = ", ";

/// One study's row, in [`CSV_COLUMNS`]' order. A module the record lacks gives empty cells.
pub fn csv_row(study: &Study) -> [String; 29] {
    let no_protocol = ProtocolSection::default();
    let protocol = study.protocol_section.as_ref().unwrap_or(&no_protocol);
    let ident = &protocol.identification_module;
    let status = &protocol.status_module;
    let sponsors = &protocol.sponsor_collaborators_module;
    let design = &protocol.design_module;
    let outcomes = &protocol.outcomes_module;
    let eligibility = &protocol.eligibility_module;
    let id = ident.nct_id.as_deref().unwrap_or_default();
    let has_results = study.has_results.unwrap_or(false) || study.results_section.is_some();
    let other_ids = ident
        .org_study_id_info
        .id
        .iter()
        .chain(ident.secondary_id_infos.iter().filter_map(|s| s.id.as_ref()));
    [
        id.to_owned(),
        text(ident.brief_title.as_deref()),
        if id.is_empty() { String::new() } else { format!("{STUDY_URL}{id}") },
        text(ident.acronym.as_deref()),
        text(status.overall_status.as_ref().map(Status::as_str)),
        (if has_results { "YES" } else { "NO" }).to_owned(),
        join(&protocol.conditions_module.conditions, VALUES),
        join(protocol.arms_interventions_module.interventions.iter().map(intervention), VALUES),
        join(outcomes.primary_outcomes.iter().map(outcome), VALUES),
        join(outcomes.secondary_outcomes.iter().map(outcome), VALUES),
        join(outcomes.other_outcomes.iter().map(outcome), VALUES),
        text(sponsors.lead_sponsor.name.as_deref()),
        join(sponsors.collaborators.iter().filter_map(|c| c.name.as_deref()), VALUES),
        text(eligibility.sex.as_ref().map(Sex::as_str)),
        join(eligibility.std_ages.iter().map(StandardAge::as_str), PARTS),
        join(design.phases.iter().map(Phase::as_str), VALUES),
        design.enrollment_info.count.map(|n| n.to_string()).unwrap_or_default(),
        text(sponsors.lead_sponsor.class.as_ref().map(AgencyClass::as_str)),
        text(design.study_type.as_ref().map(StudyType::as_str)),
        study_design(design),
        join(other_ids, VALUES),
        date(status.start_date_struct.date),
        date(status.primary_completion_date_struct.date),
        date(status.completion_date_struct.date),
        date(status.study_first_post_date_struct.date),
        date(status.results_first_post_date_struct.date),
        date(status.last_update_post_date_struct.date),
        join(protocol.contacts_locations_module.locations.iter().map(location), VALUES),
        study_documents(study, id),
    ]
}

/// Writes the header and the rows as RFC 4180 asks: a cell is quoted only when it holds a comma,
/// a quote or a line break, and lines end with CRLF.
pub fn write_csv<W, R>(out: W, rows: impl IntoIterator<Item = R>) -> io::Result<()>
where
    W: io::Write,
    R: AsRef<[String]>,
{
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    writer.write_record(CSV_COLUMNS)?;
    for row in rows {
        writer.write_record(row.as_ref())?;
    }
    writer.flush()
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_owned()
}

fn date(value: Option<PartialDate>) -> String {
    value.map(|d| d.to_string()).unwrap_or_default()
}

fn join<I>(values: I, separator: &str) -> String
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let mut out = String::new();
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(value.as_ref());
    }
    out
}

/// The parts that are there, joined with `, `: the website leaves a missing part out rather
/// than writing an empty one between commas.
fn present_parts<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    join(parts.into_iter().flatten().filter(|part| !part.trim().is_empty()), PARTS)
}

/// `DRUG: Aspirin`.
fn intervention(intervention: &Intervention) -> String {
    let name = intervention.name.as_deref().unwrap_or_default();
    match &intervention.r#type {
        Some(kind) => format!("{}: {name}", kind.as_str()),
        None => name.to_owned(),
    }
}

fn outcome(outcome: &Outcome) -> String {
    present_parts([outcome.measure.as_deref(), outcome.description.as_deref(), outcome.time_frame.as_deref()])
}

fn location(site: &Location) -> String {
    present_parts([
        site.facility.as_deref(),
        site.city.as_deref(),
        site.state.as_deref(),
        site.zip.as_deref(),
        site.country.as_deref(),
    ])
}

/// Every label is written even when its value is missing, so that the cell's shape depends on
/// the study type alone.
fn study_design(design: &DesignModule) -> String {
    let info = &design.design_info;
    match design.study_type {
        Some(StudyType::Interventional) => {
            let masking = &info.masking_info;
            let mut masked = text(masking.masking.as_ref().map(DesignMasking::as_str));
            if !masking.who_masked.is_empty() {
                let who = join(masking.who_masked.iter().map(WhoMasked::as_str), PARTS);
                masked.push_str(&format!(" ({who})"));
            }
            format!(
                "Allocation: {}|Intervention Model: {}|Masking: {masked}|Primary Purpose: {}",
                text(info.allocation.as_ref().map(DesignAllocation::as_str)),
                text(info.intervention_model.as_ref().map(InterventionalAssignment::as_str)),
                text(info.primary_purpose.as_ref().map(PrimaryPurpose::as_str)),
            )
        }
        Some(StudyType::Observational) => format!(
            "Observational Model: {}|Time Perspective: {}",
            text(info.observational_model.as_ref().map(ObservationalModel::as_str)),
            text(info.time_perspective.as_ref().map(DesignTimePerspective::as_str)),
        ),
        // Expanded access records register no design.
        _ => String::new(),
    }
}

fn study_documents(study: &Study, id: &str) -> String {
    let Some(documents) = &study.document_section else { return String::new() };
    join(documents.large_document_module.large_docs.iter().map(|doc| study_document(doc, id)), VALUES)
}

/// `Study Protocol, https://cdn.clinicaltrials.gov/large-docs/67/NCT01234567/Prot_000.pdf`: the
/// registry files documents under the last two digits of the study's id.
fn study_document(doc: &LargeDoc, id: &str) -> String {
    let url = doc.filename.as_deref().filter(|name| !name.is_empty()).map(|filename| {
        let folder = id.get(id.len().saturating_sub(2)..).unwrap_or_default();
        format!("{LARGE_DOCS_URL}{folder}/{id}/{filename}")
    });
    present_parts([doc.label.as_deref(), url.as_deref()])
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::study::bundled as bundled_study;

    fn study(json: &str) -> Study {
        serde_json::from_str(json).unwrap()
    }

    /// The cell of `column` in the study's row.
    fn cell(study: &Study, column: &str) -> String {
        let place = CSV_COLUMNS.iter().position(|c| *c == column).unwrap();
        csv_row(study)[place].clone()
    }

    /// A study whose protocol section holds only `modules`.
    fn protocol(modules: &str) -> Study {
        study(&format!(r#"{{"protocolSection": {{{modules}}}}}"#))
    }

    const EVERY_COLUMN: &str = r#"{
      "protocolSection": {
        "identificationModule": {
          "nctId": "NCT01234567",
          "orgStudyIdInfo": {"id": "EX-2020-01"},
          "secondaryIdInfos": [{"id": "2020-000123-45", "type": "EUDRACT_NUMBER"}, {"type": "OTHER"},
                               {"id": "R01CA000001", "type": "NIH"}],
          "briefTitle": "Aspirin, or Not, for Things",
          "acronym": "ANT"
        },
        "statusModule": {
          "overallStatus": "RECRUITING",
          "startDateStruct": {"date": "2020-03", "type": "ACTUAL"},
          "primaryCompletionDateStruct": {"date": "2025-06-30", "type": "ESTIMATED"},
          "completionDateStruct": {"date": "2026", "type": "ESTIMATED"},
          "studyFirstSubmitDate": "2020-01-02",
          "studyFirstPostDateStruct": {"date": "2020-01-10", "type": "ACTUAL"},
          "resultsFirstPostDateStruct": {"date": "2024-02-01", "type": "ACTUAL"},
          "lastUpdateSubmitDate": "2024-04-30",
          "lastUpdatePostDateStruct": {"date": "2024-05-03", "type": "ACTUAL"}
        },
        "sponsorCollaboratorsModule": {
          "leadSponsor": {"name": "Example University", "class": "OTHER"},
          "collaborators": [{"name": "National Cancer Institute (NCI)", "class": "NIH"},
                            {"name": "Acme, Inc.", "class": "INDUSTRY"}]
        },
        "conditionsModule": {"conditions": ["Asthma", "Lung Diseases, Obstructive"]},
        "designModule": {
          "studyType": "INTERVENTIONAL",
          "phases": ["PHASE2", "PHASE3"],
          "designInfo": {
            "allocation": "RANDOMIZED",
            "interventionModel": "PARALLEL",
            "primaryPurpose": "TREATMENT",
            "maskingInfo": {"masking": "DOUBLE", "whoMasked": ["PARTICIPANT", "OUTCOMES_ASSESSOR"]}
          },
          "enrollmentInfo": {"count": 120, "type": "ESTIMATED"}
        },
        "armsInterventionsModule": {
          "interventions": [{"type": "DRUG", "name": "Aspirin"}, {"type": "OTHER", "name": "Placebo"}]
        },
        "outcomesModule": {
          "primaryOutcomes": [{"measure": "FEV1", "description": "Litres, by spirometry", "timeFrame": "12 weeks"}],
          "secondaryOutcomes": [{"measure": "Exacerbations", "timeFrame": "1 year"},
                                {"measure": "Quality of life", "description": ""}],
          "otherOutcomes": [{"measure": "Cost", "description": "In \\>=2020 dollars\n\nper patient"}]
        },
        "eligibilityModule": {"sex": "ALL", "stdAges": ["CHILD", "ADULT", "OLDER_ADULT"]},
        "contactsLocationsModule": {
          "locations": [
            {"facility": "City Hospital", "city": "Boston", "state": "Massachusetts", "zip": "02114",
             "country": "United States"},
            {"city": "Zürich", "zip": "8008", "country": "Switzerland"}
          ]
        }
      },
      "documentSection": {
        "largeDocumentModule": {
          "largeDocs": [
            {"typeAbbrev": "Prot_SAP", "label": "Study Protocol and Statistical Analysis Plan",
             "filename": "Prot_SAP_000.pdf"},
            {"typeAbbrev": "ICF", "label": "Informed Consent Form", "filename": "ICF_001.pdf"}
          ]
        }
      },
      "hasResults": true
    }"#;

    #[test]
    fn every_column_of_a_full_record() {
        let row = csv_row(&study(EVERY_COLUMN));
        let expected = [
            ("NCT Number", "NCT01234567"),
            ("Study Title", "Aspirin, or Not, for Things"),
            ("Study URL", "https://clinicaltrials.gov/study/NCT01234567"),
            ("Acronym", "ANT"),
            ("Study Status", "RECRUITING"),
            ("Study Results", "YES"),
            ("Conditions", "Asthma|Lung Diseases, Obstructive"),
            ("Interventions", "DRUG: Aspirin|OTHER: Placebo"),
            ("Primary Outcome Measures", "FEV1, Litres, by spirometry, 12 weeks"),
            ("Secondary Outcome Measures", "Exacerbations, 1 year|Quality of life"),
            ("Other Outcome Measures", "Cost, In \\>=2020 dollars\n\nper patient"),
            ("Sponsor", "Example University"),
            ("Collaborators", "National Cancer Institute (NCI)|Acme, Inc."),
            ("Sex", "ALL"),
            ("Age", "CHILD, ADULT, OLDER_ADULT"),
            ("Phases", "PHASE2|PHASE3"),
            ("Enrollment", "120"),
            ("Funder Type", "OTHER"),
            ("Study Type", "INTERVENTIONAL"),
            (
                "Study Design",
                "Allocation: RANDOMIZED|Intervention Model: PARALLEL|\
                 Masking: DOUBLE (PARTICIPANT, OUTCOMES_ASSESSOR)|Primary Purpose: TREATMENT",
            ),
            ("Other IDs", "EX-2020-01|2020-000123-45|R01CA000001"),
            ("Start Date", "2020-03"),
            ("Primary Completion Date", "2025-06-30"),
            ("Completion Date", "2026"),
            ("First Posted", "2020-01-10"),
            ("Results First Posted", "2024-02-01"),
            ("Last Update Posted", "2024-05-03"),
            (
                "Locations",
                "City Hospital, Boston, Massachusetts, 02114, United States|Zürich, 8008, Switzerland",
            ),
            (
                "Study Documents",
                "Study Protocol and Statistical Analysis Plan, \
                 https://cdn.clinicaltrials.gov/large-docs/67/NCT01234567/Prot_SAP_000.pdf|\
                 Informed Consent Form, https://cdn.clinicaltrials.gov/large-docs/67/NCT01234567/ICF_001.pdf",
            ),
        ];
        assert_eq!(expected.map(|(column, _)| column), CSV_COLUMNS);
        assert_eq!(row, expected.map(|(_, value)| value.to_owned()));
    }

    #[test]
    fn the_interventional_design_names_every_label_even_when_empty() {
        let design = |info: &str| {
            cell(
                &protocol(&format!(r#""designModule": {{"studyType": "INTERVENTIONAL", {info}}}"#)),
                "Study Design",
            )
        };
        assert_eq!(
            design(r#""phases": ["NA"]"#),
            "Allocation: |Intervention Model: |Masking: |Primary Purpose: "
        );
        assert_eq!(
            design(r#""designInfo": {"interventionModel": "CROSSOVER", "maskingInfo": {"masking": "NONE"}}"#),
            "Allocation: |Intervention Model: CROSSOVER|Masking: NONE|Primary Purpose: "
        );
        // Who is masked goes in parentheses only when the record says.
        assert_eq!(
            design(r#""designInfo": {"allocation": "NA", "maskingInfo": {"masking": "SINGLE"}}"#),
            "Allocation: NA|Intervention Model: |Masking: SINGLE|Primary Purpose: "
        );
    }

    #[test]
    fn the_observational_design_has_its_own_labels() {
        let observational = protocol(
            r#""designModule": {"studyType": "OBSERVATIONAL",
                "designInfo": {"observationalModel": "CASE_CONTROL", "timePerspective": "RETROSPECTIVE"}}"#,
        );
        assert_eq!(
            cell(&observational, "Study Design"),
            "Observational Model: CASE_CONTROL|Time Perspective: RETROSPECTIVE"
        );
        assert_eq!(cell(&observational, "Phases"), "");
        let bare = protocol(r#""designModule": {"studyType": "OBSERVATIONAL"}"#);
        assert_eq!(cell(&bare, "Study Design"), "Observational Model: |Time Perspective: ");
        let expanded_access = protocol(r#""designModule": {"studyType": "EXPANDED_ACCESS"}"#);
        assert_eq!(cell(&expanded_access, "Study Design"), "");
        assert_eq!(cell(&expanded_access, "Study Type"), "EXPANDED_ACCESS");
    }

    #[test]
    fn outcomes_leave_out_their_empty_parts() {
        let record = protocol(
            r#""outcomesModule": {"primaryOutcomes": [
                 {"measure": "Pain", "timeFrame": "Day 3"},
                 {"description": "Only a description"},
                 {"measure": "Sleep", "description": " ", "timeFrame": ""},
                 {"measure": "Mood", "description": "PHQ-9, total score", "timeFrame": "Week 4"}]}"#,
        );
        assert_eq!(
            cell(&record, "Primary Outcome Measures"),
            "Pain, Day 3|Only a description|Sleep|Mood, PHQ-9, total score, Week 4"
        );
        assert_eq!(cell(&record, "Secondary Outcome Measures"), "");
    }

    #[test]
    fn locations_leave_out_their_empty_parts() {
        let record = protocol(
            r#""contactsLocationsModule": {"locations": [
                 {"facility": "Possover", "city": "Zürich", "zip": "8008", "country": "Switzerland"},
                 {"facility": "Rambam Medical Center", "city": "Haifa", "country": "Israel",
                  "status": "RECRUITING", "geoPoint": {"lat": 32.8, "lon": 35.0}},
                 {"country": "Japan"}]}"#,
        );
        assert_eq!(
            cell(&record, "Locations"),
            "Possover, Zürich, 8008, Switzerland|Rambam Medical Center, Haifa, Israel|Japan"
        );
    }

    #[test]
    fn documents_are_filed_under_the_last_two_digits_of_the_id() {
        let record = study(
            r#"{"protocolSection": {"identificationModule": {"nctId": "NCT05043896"}},
                "documentSection": {"largeDocumentModule": {"noSap": false, "largeDocs": [
                  {"label": "Study Protocol: Study Protocol Chart", "filename": "Prot_000.pdf",
                   "uploadDate": "2021-08-31T17:47"},
                  {"label": "Informed Consent Form"},
                  {"filename": "SAP_003.pdf"}]}}}"#,
        );
        assert_eq!(
            cell(&record, "Study Documents"),
            "Study Protocol: Study Protocol Chart, https://cdn.clinicaltrials.gov/large-docs/96/NCT05043896/Prot_000.pdf|\
             Informed Consent Form|\
             https://cdn.clinicaltrials.gov/large-docs/96/NCT05043896/SAP_003.pdf"
        );
        // An id too short for its folder still gives a row.
        let odd = study(
            r#"{"protocolSection": {"identificationModule": {"nctId": "7"}},
                "documentSection": {"largeDocumentModule": {"largeDocs": [{"label": "L", "filename": "f.pdf"}]}}}"#,
        );
        assert_eq!(cell(&odd, "Study Documents"), "L, https://cdn.clinicaltrials.gov/large-docs/7/7/f.pdf");
    }

    #[test]
    fn multi_valued_cells_keep_the_registry_order() {
        let record = protocol(
            r#""identificationModule": {"orgStudyIdInfo": {}, "secondaryIdInfos": [{"id": "B"}, {"id": "A"}]},
               "conditionsModule": {"conditions": ["Zeta", "Alpha"], "keywords": ["not a condition"]},
               "sponsorCollaboratorsModule": {"collaborators": [{"class": "NIH"}, {"name": "Second"}]},
               "eligibilityModule": {"stdAges": ["ADULT", "OLDER_ADULT"]},
               "designModule": {"phases": ["EARLY_PHASE1", "PHASE1"]}"#,
        );
        assert_eq!(cell(&record, "Other IDs"), "B|A");
        assert_eq!(cell(&record, "Conditions"), "Zeta|Alpha");
        assert_eq!(cell(&record, "Collaborators"), "Second");
        assert_eq!(cell(&record, "Age"), "ADULT, OLDER_ADULT");
        assert_eq!(cell(&record, "Phases"), "EARLY_PHASE1|PHASE1");
        assert_eq!(cell(&record, "Interventions"), "");
    }

    #[test]
    fn study_results_says_yes_or_no() {
        assert_eq!(cell(&study(r#"{"hasResults": true}"#), "Study Results"), "YES");
        assert_eq!(cell(&study(r#"{"hasResults": false}"#), "Study Results"), "NO");
        assert_eq!(cell(&study("{}"), "Study Results"), "NO");
        // A record with a results section has results even when its flag is missing.
        assert_eq!(cell(&study(r#"{"resultsSection": {}}"#), "Study Results"), "YES");
        assert_eq!(cell(&bundled_study("NCT03318094"), "Study Results"), "YES");
        assert_eq!(cell(&bundled_study("NCT03318094"), "Results First Posted"), "2021-03-12");
    }

    #[test]
    fn a_record_missing_its_modules_gives_empty_cells() {
        for record in [study("{}"), protocol(""), protocol(r#""identificationModule": {}"#)] {
            let row = csv_row(&record);
            for (column, value) in CSV_COLUMNS.iter().zip(&row) {
                let expected = if *column == "Study Results" { "NO" } else { "" };
                assert_eq!(value, expected, "{column}");
            }
        }
        let id_only = protocol(r#""identificationModule": {"nctId": "NCT00000002"}"#);
        assert_eq!(cell(&id_only, "Study URL"), "https://clinicaltrials.gov/study/NCT00000002");
        assert_eq!(cell(&id_only, "Study Documents"), "");
    }

    #[test]
    fn dates_are_written_as_registered() {
        let record = bundled_study("NCT03871049");
        assert_eq!(cell(&record, "Start Date"), "2019-05-21");
        assert_eq!(cell(&record, "Primary Completion Date"), "2033-06");
        assert_eq!(
            cell(&record, "Study Design"),
            "Observational Model: COHORT|Time Perspective: PROSPECTIVE"
        );
        // First Posted is the posted date only: a submitted date is another column's on the website.
        let submitted_only = protocol(r#""statusModule": {"studyFirstSubmitDate": "2020-01-02"}"#);
        assert_eq!(cell(&submitted_only, "First Posted"), "");
    }

    #[test]
    fn the_csv_quotes_only_what_needs_it_and_ends_lines_with_crlf() {
        let row = |cells: [&str; 2]| {
            let mut row: [String; 29] = Default::default();
            row[0] = cells[0].to_owned();
            row[1] = cells[1].to_owned();
            row
        };
        let mut out = Vec::new();
        write_csv(&mut out, [row(["plain", "a, b"]), row(["say \"hi\"", "two\nlines"])]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], CSV_COLUMNS.join(","));
        assert_eq!(lines[1], format!("plain,\"a, b\"{}", ",".repeat(27)));
        assert_eq!(lines[2], format!("\"say \"\"hi\"\"\",\"two\nlines\"{}", ",".repeat(27)));
        assert_eq!(lines[3], "");
        assert_eq!(lines.len(), 4);
    }
}
