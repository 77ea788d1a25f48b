//! `nct facets`: how many of the studies a query finds have each status, phase, country,
//! sponsor…, as aligned blocks for people or as JSON for scripts. The counting is the catalog's
//! (`catalog::facets`), over the same matches `nct search` finds.

use std::path::PathBuf;

use unicode_width::UnicodeWidthStr;

use super::output::{self, plural, thousands};
use super::search::{load_and_search, parse_query};
use super::{FacetsFormat, exit};
use crate::catalog::Summary;
use crate::catalog::cache::{self, Cache};
use crate::catalog::columns::{self, Part};
use crate::catalog::facets::{self, Facet, FacetCounts};
use crate::catalog::order::SortOrder;
use crate::present::width::cut_to_width;
use crate::query;
use crate::source::{LoadError, LoadWarning};

/// Values shown per facet in text; JSON lists them all.
const TOP: usize = 10;

/// Values longer than this are cut in text, so that the counts stay in one column.
const VALUE_WIDTH: usize = 60;

pub fn run(text: &str, paths: &[PathBuf], format: FacetsFormat, fields: &[Facet]) -> u8 {
    let Some(query) = parse_query(text) else { return exit::USAGE };
    let cache = Cache::from_env();
    // Each facet once, in the order asked.
    let mut wanted: Vec<Facet> = Vec::new();
    for facet in if fields.is_empty() { &Facet::ALL[..] } else { fields } {
        if !wanted.contains(facet) {
            wanted.push(*facet);
        }
    }
    if let Some(code) = count_from_cache(&query, paths, format, &wanted, cache.as_ref()) {
        return code;
    }
    let (catalog, found) = load_and_search(&query, paths, cache.as_ref());
    if super::search::resolve_places(query.clone(), text, &catalog).is_none() {
        return exit::USAGE;
    }
    let counts = facets::count(&catalog.columns, &found, &wanted);
    let code = print_counts(&counts, format, &catalog.errors, &catalog.warnings);
    // The process ends next: freeing 100,000 summaries one by one would only delay the exit.
    std::mem::forget(catalog);
    code
}

/// The counts answered from the cache's columns, as `nct search` answers from them
/// ([`cache::filter`]), reading only the columns the query and the facets ask of; `None` when
/// the catalog must be loaded (no fresh entry, a place to resolve, bookmarks to name).
fn count_from_cache(
    query: &query::Query,
    paths: &[PathBuf],
    format: FacetsFormat,
    wanted: &[Facet],
    cache: Option<&Cache>,
) -> Option<u8> {
    if super::search::has_near(query) || query.uses_bookmarks(true) {
        return None;
    }
    let (bookmarks, notes) = super::search::user_marks();
    let mark = |summary: &mut Summary| crate::catalog::mark_study(summary, &bookmarks, &notes);
    let filtered = cache::filter(paths, query, cache, &mark, SortOrder::Relevance)?;
    let mut parts: Vec<Part> = Vec::new();
    columns::add_parts(&mut parts, wanted.iter().map(|facet| facet.part()));
    let columns = filtered.columns(&parts).ok()?;
    let counts = facets::count(&columns, &filtered.found, wanted);
    Some(print_counts(&counts, format, &filtered.errors, &filtered.warnings))
}

/// Prints `counts`, then what failed to load or was left out; returns the exit status.
fn print_counts(
    counts: &FacetCounts,
    format: FacetsFormat,
    errors: &[LoadError],
    warnings: &[LoadWarning],
) -> u8 {
    let printed = match format {
        FacetsFormat::Text => blocks(counts),
        FacetsFormat::Json => counts.to_json_text(),
    };
    output::print(&printed);
    output::eprint_lines(errors.iter().map(ToString::to_string));
    output::eprint_lines(warnings.iter().map(ToString::to_string));
    if counts.total == 0 || !errors.is_empty() { exit::PROBLEM } else { exit::OK }
}

/// "1,234 studies", then one block per facet: its heading, its most frequent values with their
/// counts aligned, and how many values are left out.
fn blocks(counts: &FacetCounts) -> String {
    let mut out = format!("{}\n", plural(counts.total, "study", "studies"));
    for (facet, values) in &counts.facets {
        out.push_str(&format!("\n{}\n", facet.heading()));
        if values.is_empty() {
            out.push_str("  (none recorded)\n");
            continue;
        }
        let shown: Vec<(String, String)> = values
            .iter()
            .take(TOP)
            .map(|v| (cut_to_width(&facet.label(&v.value), VALUE_WIDTH), thousands(v.count)))
            .collect();
        let label_width = shown.iter().map(|(label, _)| label.width()).max().unwrap_or(0);
        let count_width = shown.iter().map(|(_, count)| count.len()).max().unwrap_or(0);
        for (label, count) in &shown {
            let pad = " ".repeat(label_width.saturating_sub(label.width()));
            out.push_str(&format!("  {label}{pad}  {count:>count_width$}\n"));
        }
        if values.len() > shown.len() {
            out.push_str(&format!(
                "  … and {} more (--format json lists them all)\n",
                thousands(values.len() - shown.len())
            ));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::catalog::facets::{FacetValue, ValueCount};

    #[test]
    fn counts_are_aligned_and_the_rest_is_counted() {
        let many: Vec<ValueCount> = (0..12)
            .map(|n| ValueCount { value: FacetValue::Text(format!("Country {n}")), count: 1200 - n * 100 })
            .collect();
        let counts = FacetCounts {
            total: 1500,
            facets: vec![
                (
                    Facet::Status,
                    vec![
                        ValueCount { value: FacetValue::Text("RECRUITING".into()), count: 1200 },
                        ValueCount { value: FacetValue::Text("COMPLETED".into()), count: 3 },
                    ],
                ),
                (Facet::Country, many),
                (Facet::Sex, Vec::new()),
            ],
        };
        let text = blocks(&counts);
        assert!(
            text.starts_with("1,500 studies\n\nStatus\n  Recruiting  1,200\n  Completed       3\n"),
            "{text}"
        );
        assert!(text.contains("  Country 0  1,200\n"), "{text}");
        assert!(text.contains("  Country 9    300\n  … and 2 more"), "{text}");
        assert!(text.contains("Sex\n  (none recorded)\n"), "{text}");
    }
}
