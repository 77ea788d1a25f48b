//! A study as a reference: an RIS record (what Zotero, EndNote and Mendeley import) and a row of
//! a markdown list, for handing a list of studies to a colleague.
//!
//! RIS has no type for a trial registration; `DBASE` (an online database entry) is what the
//! reference managers file a registry record under, with the registry as `DB` and the NCT id as
//! accession number `AN`, so the reference can be cited and found again.

use crate::study::Study;
use crate::study::enums::phases_label;
use crate::study::export::STUDY_URL;

/// One RIS record, lines ending in CRLF as the format asks, closed by `ER`.
pub fn ris(study: &Study) -> String {
    let mut out = String::new();
    let mut tag = |tag: &str, value: &str| {
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        if !value.is_empty() {
            out.push_str(&format!("{tag}  - {value}\r\n"));
        }
    };
    tag("TY", "DBASE");
    let id = study.nct_id().unwrap_or_default().trim().to_string();
    let Some(protocol) = study.protocol_section.as_ref() else {
        tag("AN", &id);
        out.push_str("ER  - \r\n");
        return out;
    };
    let ident = &protocol.identification_module;
    tag("TI", ident.brief_title.as_deref().or(ident.official_title.as_deref()).unwrap_or(&id));
    if let Some(official) = ident.official_title.as_deref() {
        tag("T2", official);
    }
    if let Some(sponsor) = protocol.sponsor_collaborators_module.lead_sponsor.name.as_deref() {
        tag("AU", sponsor);
    }
    let status = &protocol.status_module;
    if let Some(posted) = status.study_first_post_date_struct.date.or(status.study_first_submit_date) {
        tag("PY", &posted.year.to_string());
        let month = posted.month.map(|m| format!("{m:02}")).unwrap_or_default();
        let day = posted.day.map(|d| format!("{d:02}")).unwrap_or_default();
        tag("DA", &format!("{}/{month}/{day}", posted.year));
    }
    for condition in &protocol.conditions_module.conditions {
        tag("KW", condition);
    }
    if let Some(summary) = protocol.description_module.brief_summary.as_deref() {
        tag("AB", summary);
    }
    let mut about = Vec::new();
    if let Some(overall) = &status.overall_status {
        about.push(overall.label().to_string());
    }
    let phases = phases_label(&protocol.design_module.phases);
    if !phases.is_empty() {
        about.push(phases);
    }
    tag("N1", &about.join("; "));
    tag("DB", "ClinicalTrials.gov");
    tag("AN", &id);
    tag("UR", &format!("{STUDY_URL}{id}"));
    out.push_str("ER  - \r\n");
    out
}

/// The header of the markdown list.
pub const MARKDOWN_HEADER: &str = "| Study | Status | Phase | Title |\n|---|---|---|---|\n";

/// One row of the markdown list: the id linked to its page, status, phase, title.
pub fn markdown_row(study: &Study) -> String {
    let id = study.nct_id().unwrap_or_default().trim().to_string();
    let protocol = study.protocol_section.as_ref();
    let title = protocol
        .and_then(|p| p.identification_module.brief_title.as_deref())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|");
    let status = protocol
        .and_then(|p| p.status_module.overall_status.as_ref())
        .map(|s| s.label().to_string())
        .unwrap_or_default();
    let phases = protocol.map(|p| phases_label(&p.design_module.phases)).unwrap_or_default();
    format!("| [{id}]({STUDY_URL}{id}) | {status} | {phases} | {title} |\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn study() -> Study {
        serde_json::from_str(
            r#"{"protocolSection": {
                "identificationModule": {"nctId": "NCT05183427", "briefTitle": "A | B\ntrial",
                    "officialTitle": "The Official Title"},
                "statusModule": {"overallStatus": "RECRUITING", "studyFirstPostDateStruct": {"date": "2022-01-11"}},
                "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Acme Pharma"}},
                "conditionsModule": {"conditions": ["Asthma", "COPD"]},
                "designModule": {"phases": ["PHASE3"]},
                "descriptionModule": {"briefSummary": "Two\nlines."}}}"#,
        )
        .unwrap()
    }

    #[test]
    fn an_ris_record_has_its_tags_in_order_and_ends_with_er() {
        let ris = ris(&study());
        let lines: Vec<&str> = ris.split("\r\n").collect();
        assert_eq!(lines[0], "TY  - DBASE");
        assert!(lines.contains(&"TI  - A | B trial"), "{ris}");
        assert!(lines.contains(&"AU  - Acme Pharma"));
        assert!(lines.contains(&"PY  - 2022") && lines.contains(&"DA  - 2022/01/11"));
        assert!(lines.contains(&"KW  - Asthma") && lines.contains(&"KW  - COPD"));
        assert!(lines.contains(&"AB  - Two lines."));
        assert!(lines.contains(&"AN  - NCT05183427"));
        assert!(lines.contains(&"UR  - https://clinicaltrials.gov/study/NCT05183427"));
        assert!(ris.ends_with("ER  - \r\n"));
    }

    #[test]
    fn a_markdown_row_links_the_id_and_escapes_pipes() {
        assert_eq!(
            markdown_row(&study()),
            "| [NCT05183427](https://clinicaltrials.gov/study/NCT05183427) | Recruiting | Phase 3 | A \\| B trial |\n"
        );
    }
}
