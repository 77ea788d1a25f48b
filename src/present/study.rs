//! The whole record as one [`Document`], in the order a reader goes through it: the header
//! facts, then a section per part of the protocol, the posted results, sites and references,
//! leaving out whatever the record does not say. This is what `nct show` writes.
//!
//! Every section builder returns its blocks and an empty list means no section, which is how a
//! record with missing modules prints without empty headings.

use super::document::{Block, Document, Section};
use super::eligibility::eligibility;
use super::outcomes::outcomes;
use super::overview::{
    arms_and_interventions, conditions, dates, description, design, header, intervention_terms, oversight,
    sponsor,
};
use super::references::references;
use super::results::{self, PartKind};
use super::sharing::{data_sharing, documents};
use super::sites::sites;
use super::words::non_blank;
use crate::study::Study;
use crate::study::date::DateStyle;
use crate::study::record::ProtocolSection;

/// The study as sections, in the order a reader goes through a record, its dates written in
/// `style`.
pub fn document(study: &Study, style: DateStyle) -> Document {
    let no_protocol = ProtocolSection::default();
    let protocol = study.protocol_section.as_ref().unwrap_or(&no_protocol);
    let ident = &protocol.identification_module;
    let status = &protocol.status_module;
    let sections = [
        ("Design", design(&protocol.design_module)),
        ("Dates", dates(status, style)),
        ("Sponsor", sponsor(&protocol.sponsor_collaborators_module, &protocol.contacts_locations_module)),
        ("Oversight", oversight(&protocol.oversight_module)),
        ("Conditions", conditions(&protocol.conditions_module, study)),
        (
            "Arms and interventions",
            [arms_and_interventions(&protocol.arms_interventions_module), intervention_terms(study)].concat(),
        ),
        ("Description", description(&protocol.description_module)),
        ("Eligibility", eligibility(&protocol.eligibility_module)),
        ("Outcomes", outcomes(&protocol.outcomes_module, study, style)),
    ];
    let after = [
        ("Sites", sites(&protocol.contacts_locations_module, status.overall_status.as_ref())),
        ("Data sharing", data_sharing(&protocol.ipd_sharing_statement_module, &protocol.references_module)),
        ("Documents", documents(study, style)),
        ("References", references(&protocol.references_module)),
    ];
    let sections = sections.into_iter().chain(results_sections(study, style)).chain(after);
    Document {
        id: ident.nct_id.clone().unwrap_or_default(),
        title: non_blank(&ident.brief_title),
        header: header(protocol, study, style),
        sections: sections
            .into_iter()
            .filter(|(_, blocks)| !blocks.is_empty())
            .map(|(heading, blocks)| Section { heading, blocks })
            .collect(),
    }
}

/// The posted results as sections: participant flow, baseline, outcome measures (each under
/// its own subheading), adverse events, more information.
fn results_sections(study: &Study, style: DateStyle) -> Vec<(&'static str, Vec<Block>)> {
    let Some(results) = study.results_section.as_ref() else { return Vec::new() };
    let mut sections: Vec<(&'static str, Vec<Block>)> = Vec::new();
    for part in results::parts(results, style) {
        let heading = part.kind.section();
        let mut blocks = Vec::new();
        if let PartKind::Outcome(_) = part.kind {
            blocks.push(Block::Subheading(part.title));
        }
        blocks.extend(part.blocks);
        match sections.last_mut() {
            Some((last, existing)) if *last == heading => existing.extend(blocks),
            _ => sections.push((heading, blocks)),
        }
    }
    sections
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_record_has_no_sections() {
        let study: Study = serde_json::from_str(
            r#"{"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}"#,
        )
        .unwrap();
        let doc = document(&study, DateStyle::Iso);
        assert_eq!(doc.id, "NCT00000001");
        assert_eq!(doc.title, None);
        assert!(doc.header.is_empty());
        assert!(doc.sections.is_empty(), "{:?}", doc.sections);
    }
}
