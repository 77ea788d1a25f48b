//! A study's references (citations and PubMed ids) and its links elsewhere.

use super::document::{Block, Entries, Entry, Fact, facts_block};
use super::words::non_blank;
use crate::study::record::ReferencesModule;

/// The References section: citations numbered, then the links.
pub fn references(module: &ReferencesModule) -> Vec<Block> {
    let items: Vec<Entry> = module
        .references
        .iter()
        .filter_map(|reference| {
            let pmid = non_blank(&reference.pmid);
            let title =
                non_blank(&reference.citation).or_else(|| pmid.as_ref().map(|p| format!("PMID {p}")))?;
            let facts = non_blank(&reference.citation)
                .and(pmid)
                .map(|p| Fact::plain("PMID", p))
                .into_iter()
                .collect();
            Some(Entry { title, facts, description: None })
        })
        .collect();
    let links = module.see_also_links.iter().filter_map(|link| {
        let url = non_blank(&link.url)?;
        Some(match non_blank(&link.label) {
            Some(label) => format!("{label}: {url}"),
            None => url,
        })
    });
    let mut blocks = Vec::new();
    if !items.is_empty() {
        blocks.push(Block::Entries(Entries { numbered: true, items }));
    }
    blocks.extend(facts_block([Fact::list("Links", links)]));
    blocks
}
