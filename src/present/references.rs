//! A study's references (citations, their kind, PubMed ids linked to PubMed, retractions) and
//! its links elsewhere.

use super::document::{Block, Entries, Entry, Fact, Value, facts_block};
use super::words::non_blank;
use crate::study::record::ReferencesModule;

const PUBMED: &str = "https://pubmed.ncbi.nlm.nih.gov";

/// The References section: citations numbered, then the see-also links.
pub fn references(module: &ReferencesModule) -> Vec<Block> {
    let items: Vec<Entry> = module
        .references
        .iter()
        .filter_map(|reference| {
            let pmid = non_blank(&reference.pmid);
            let title =
                non_blank(&reference.citation).or_else(|| pmid.as_ref().map(|p| format!("PMID {p}")))?;
            let retractions = reference.retractions.iter().filter_map(|r| {
                let pmid = non_blank(&r.pmid)?;
                Some(match non_blank(&r.source) {
                    Some(source) => format!("PMID {pmid} ({source})"),
                    None => format!("PMID {pmid}"),
                })
            });
            let facts = [
                pmid.map(|p| Fact { label: "PMID", values: vec![pubmed(&p)] }),
                reference.r#type.as_ref().map(|t| Fact::plain("Type", t.label())),
                Fact::list("Retracted by", retractions),
            ];
            Some(Entry { title, facts: facts.into_iter().flatten().collect(), description: None })
        })
        .collect();
    let links = module.see_also_links.iter().filter_map(|link| {
        let url = non_blank(&link.url)?;
        Some(match non_blank(&link.label) {
            Some(label) => Value::Link { label: format!("{label}: {url}"), url },
            None => Value::Link { label: url.clone(), url },
        })
    });
    let links: Vec<Value> = links.collect();
    let mut blocks = Vec::new();
    if !items.is_empty() {
        blocks.push(Block::Entries(Entries { numbered: true, items }));
    }
    blocks.extend(facts_block([(!links.is_empty()).then_some(Fact { label: "Links", values: links })]));
    blocks
}

/// A PubMed id, linked to its page when it is a number (anything else is shown as written).
fn pubmed(pmid: &str) -> Value {
    if pmid.chars().all(|c| c.is_ascii_digit()) {
        Value::Link { label: pmid.to_owned(), url: format!("{PUBMED}/{pmid}/") }
    } else {
        Value::Plain(pmid.to_owned())
    }
}
