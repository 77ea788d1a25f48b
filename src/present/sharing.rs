//! What a study shares beyond its record: the plan for individual participant data (IPD) and
//! the data sets and documents it lists as available, and the documents uploaded to the
//! registry (protocol, statistical analysis plan, consent form), each with its link.

use super::document::{Block, Entries, Entry, Fact, facts_block};
use super::words::{joined, non_blank, size};
use crate::study::Study;
use crate::study::date::DateStyle;
use crate::study::derived::LargeDoc;
use crate::study::record::{IpdSharingStatementModule, ReferencesModule};

/// Where the registry serves an uploaded document: the last two digits of the study's number,
/// the id, the file name.
const LARGE_DOCS: &str = "https://cdn.clinicaltrials.gov/large-docs";

/// The Data sharing section: the IPD plan as facts, then the shared data sets as entries.
pub fn data_sharing(plan: &IpdSharingStatementModule, references: &ReferencesModule) -> Vec<Block> {
    let facts = [
        plan.ipd_sharing.as_ref().map(|answer| Fact::plain("Plan to share IPD", answer.label())),
        non_blank(&plan.description).map(|text| Fact::markup("Plan", text)),
        Fact::list("Shared", plan.info_types.iter().map(|t| t.label().to_owned())),
        non_blank(&plan.time_frame).map(|text| Fact::markup("Time frame", text)),
        non_blank(&plan.access_criteria).map(|text| Fact::markup("Access criteria", text)),
        non_blank(&plan.url).map(|url| Fact::url("URL", url)),
    ];
    let mut blocks: Vec<Block> = facts_block(facts).into_iter().collect();
    let available: Vec<Entry> = references
        .avail_ipds
        .iter()
        .filter_map(|ipd| {
            let title = joined([non_blank(&ipd.r#type), non_blank(&ipd.id)])?;
            let facts = non_blank(&ipd.url).map(|url| Fact::url("URL", url)).into_iter().collect();
            Some(Entry { title, facts, description: non_blank(&ipd.comment) })
        })
        .collect();
    if !available.is_empty() {
        blocks.push(Block::Subheading("Available data and documents".to_owned()));
        blocks.push(Block::Entries(Entries { numbered: false, items: available }));
    }
    blocks
}

/// The Documents section: each uploaded document with its date, upload date, size and link;
/// then whether the study says it has no statistical analysis plan.
pub fn documents(study: &Study, style: DateStyle) -> Vec<Block> {
    let Some(section) = &study.document_section else { return Vec::new() };
    let module = &section.large_document_module;
    let id = study.nct_id().unwrap_or_default();
    let items: Vec<Entry> =
        module.large_docs.iter().filter_map(|doc| document_entry(doc, id, style)).collect();
    let mut blocks = Vec::new();
    if !items.is_empty() {
        blocks.push(Block::Entries(Entries { numbered: false, items }));
    }
    if module.no_sap == Some(true) {
        blocks.push(Block::Note("No statistical analysis plan (the study says it has none)".to_owned()));
    }
    blocks
}

fn document_entry(doc: &LargeDoc, id: &str, style: DateStyle) -> Option<Entry> {
    let file = non_blank(&doc.filename);
    let title = non_blank(&doc.label).or_else(|| non_blank(&doc.type_abbrev)).or_else(|| file.clone())?;
    let facts = [
        doc.date.map(|d| Fact::plain("Date", d.written(style))),
        doc.upload_date.map(|d| Fact::plain("Uploaded", d.written(style))),
        doc.size.map(|bytes| Fact::plain("Size", size(bytes))),
        file.and_then(|file| large_doc_url(id, &file)).map(|url| Fact::url("Link", url)),
    ];
    Some(Entry { title, facts: facts.into_iter().flatten().collect(), description: None })
}

/// `https://cdn.clinicaltrials.gov/large-docs/29/NCT00955929/Prot_SAP_000.pdf`; none for an
/// id too short to have the two digits, or a file name that would leave the folder.
pub fn large_doc_url(id: &str, file: &str) -> Option<String> {
    let digits = id.get(id.len().checked_sub(2)?..)?;
    if !digits.chars().all(|c| c.is_ascii_digit())
        || file.contains(['/', '\\'])
        || file.contains(char::is_whitespace)
    {
        return None;
    }
    Some(format!("{LARGE_DOCS}/{digits}/{id}/{file}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn document_links_follow_the_registry() {
        assert_eq!(
            large_doc_url("NCT00955929", "Prot_SAP_000.pdf").unwrap(),
            "https://cdn.clinicaltrials.gov/large-docs/29/NCT00955929/Prot_SAP_000.pdf"
        );
        assert_eq!(large_doc_url("", "a.pdf"), None);
        assert_eq!(large_doc_url("NCT00955929", "../x.pdf"), None);
    }
}
