//! "Did you mean": a word of the query that no study holds is matched against the index's own
//! vocabulary by edit distance, and the suggestion comes with how many studies the query would
//! find with it. The app and `nct search` both ask here, so they suggest the same thing.
//!
//! The index holds stems (`diabet`), which are not words to show; the suggested stem is turned
//! back into the word the studies write most often for it, read from the titles, conditions and
//! sponsors of the studies holding it (`diabetes`), or shown as the stem when none does.

use std::collections::HashMap;

use tantivy::tokenizer::TokenStream;

use super::index::analyzer;
use super::{Summary, TextIndex, search_studies};
use crate::query::{Expr, TextField, TextTerm, fold};

/// Studies read for the words a stem stands for: enough to find the common spelling.
const STUDIES_READ_FOR_SPELLING: usize = 200;

/// Words the query looks for that no study holds, and what to type instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// (typed, suggested), in the order typed.
    pub words: Vec<(String, String)>,
    /// The studies the query finds with every suggested word in place of the typed one.
    pub studies: usize,
}

impl Suggestion {
    /// `no study has "diabetis"; did you mean "diabetes" (81 studies)?`
    pub fn message(&self) -> String {
        let quoted = |pick: fn(&(String, String)) -> &String| -> Vec<String> {
            self.words.iter().map(|pair| format!("\"{}\"", pick(pair))).collect()
        };
        let typed = quoted(|(typed, _)| typed);
        let suggested = quoted(|(_, suggested)| suggested);
        let studies =
            if self.studies == 1 { "1 study".to_string() } else { format!("{} studies", self.studies) };
        format!("no study has {}; did you mean {} ({studies})?", typed.join(" or "), suggested.join(" and "))
    }
}

/// Whether some word the query looks for (not under a negation) is held by no study: then
/// [`suggest`] has something to say. `false` when the index cannot tell.
pub fn has_missing_words(index: &TextIndex, expr: &Expr) -> bool {
    missing_words(index, expr).is_some_and(|missing| !missing.is_empty())
}

/// A suggestion for the words of `expr` that no study holds, or `None` when every word is held,
/// none is near a word of the index, or the query would find nothing with the suggestions.
/// `columns`, when given, are those of `studies` (see [`search_studies`]).
pub fn suggest(
    studies: &[Summary],
    columns: Option<&super::columns::Columns>,
    index: &TextIndex,
    geo: Option<&super::geo::Geo>,
    expr: &Expr,
) -> Option<Suggestion> {
    let missing = missing_words(index, expr)?;
    let mut words = Vec::new();
    for (field, typed, stem) in missing {
        let Ok(Some(near)) = index.nearest_term(&stem, field) else { continue };
        let spelling = spelling_of(studies, index, field, &near).unwrap_or(near);
        if !words.iter().any(|(known, _)| *known == typed) {
            words.push((typed, spelling));
        }
    }
    if words.is_empty() {
        return None;
    }
    let corrected = replace_words(expr, &words);
    let found = search_studies(studies, columns, Some(index), geo, &corrected).len();
    (found > 0).then_some(Suggestion { words, studies: found })
}

/// (field, typed word, its stem) for each word of a positive text term held by no document;
/// `None` when the index fails.
fn missing_words(index: &TextIndex, expr: &Expr) -> Option<Vec<(Option<TextField>, String, String)>> {
    let mut terms = Vec::new();
    positive_terms(expr, false, &mut terms);
    let mut missing = Vec::new();
    for term in terms {
        for word in &term.words {
            if let Some((stem, 0)) = index.word_in_index(word, term.field).ok()? {
                missing.push((term.field, word.clone(), stem));
            }
        }
    }
    Some(missing)
}

fn positive_terms<'e>(expr: &'e Expr, negated: bool, out: &mut Vec<&'e TextTerm>) {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => {
            parts.iter().for_each(|part| positive_terms(part, negated, out))
        }
        Expr::Not(inner) => positive_terms(inner, !negated, out),
        Expr::Text(term) if !negated => out.push(term),
        Expr::Text(_) | Expr::Filter(_) => {}
    }
}

/// The word the studies holding `stem` write most often for it, folded.
fn spelling_of(
    studies: &[Summary],
    index: &TextIndex,
    field: Option<TextField>,
    stem: &str,
) -> Option<String> {
    let holding = index.holding_term(stem, field, studies.len()).ok()?;
    let mut analyzer = analyzer();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let holders = holding.iter().enumerate().filter(|(_, held)| **held).map(|(place, _)| place);
    for summary in holders.take(STUDIES_READ_FOR_SPELLING).filter_map(|place| studies.get(place)) {
        let texts =
            [Some(&*summary.brief_title), summary.official_title.as_deref(), summary.acronym.as_deref()]
                .into_iter()
                .flatten()
                .chain(summary.conditions.iter().map(|c| &**c))
                .chain(summary.sponsor.as_deref());
        for text in texts {
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                if token.text == stem
                    && let Some(written) = text.get(token.offset_from..token.offset_to)
                {
                    *counts.entry(fold(written)).or_default() += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .max_by(|(a, count_a), (b, count_b)| count_a.cmp(count_b).then(b.cmp(a)))
        .map(|(word, _)| word)
}

/// `expr` with each typed word of a text term replaced by its suggestion.
fn replace_words(expr: &Expr, words: &[(String, String)]) -> Expr {
    match expr {
        Expr::And(parts) => Expr::And(parts.iter().map(|part| replace_words(part, words)).collect()),
        Expr::Or(parts) => Expr::Or(parts.iter().map(|part| replace_words(part, words)).collect()),
        Expr::Not(inner) => Expr::Not(Box::new(replace_words(inner, words))),
        Expr::Text(term) => {
            let replaced = term
                .words
                .iter()
                .map(|word| {
                    words.iter().find(|(typed, _)| typed == word).map_or(word, |(_, new)| new).clone()
                })
                .collect();
            Expr::Text(TextTerm { words: replaced, ..term.clone() })
        }
        Expr::Filter(filter) => Expr::Filter(filter.clone()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::{Catalog, Progress};
    use crate::query::{Query, parse};

    fn catalog() -> Catalog {
        let assets = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        Catalog::load_indexed(&[assets], &Progress::default())
    }

    fn suggestion(catalog: &Catalog, text: &str) -> Option<Suggestion> {
        let Ok(Query::Expr(expr)) = parse(text) else { panic!("{text}") };
        suggest(&catalog.studies, Some(&catalog.columns), catalog.index.as_ref().unwrap(), None, &expr)
    }

    fn count(catalog: &Catalog, text: &str) -> usize {
        catalog.search(&parse(text).unwrap()).len()
    }

    #[test]
    fn a_misspelled_word_gets_the_word_the_studies_write_and_its_count() {
        let catalog = catalog();
        let found = suggestion(&catalog, "psoriasiss").unwrap();
        assert_eq!(found.words, [("psoriasiss".to_string(), "psoriasis".to_string())]);
        assert_eq!(found.studies, count(&catalog, "psoriasis"));
        assert_eq!(
            found.message(),
            format!("no study has \"psoriasiss\"; did you mean \"psoriasis\" ({} stud", found.studies)
                + if found.studies == 1 { "y)?" } else { "ies)?" }
        );
        let two = suggestion(&catalog, "psoriasiss OR vacines").unwrap();
        assert_eq!(two.words.len(), 2, "{two:?}");
        assert_eq!(two.studies, count(&catalog, &format!("psoriasis OR {}", two.words[1].1)));
    }

    #[test]
    fn nothing_is_suggested_for_held_words_negated_words_or_far_ones() {
        let catalog = catalog();
        assert_eq!(suggestion(&catalog, "psoriasis"), None);
        assert_eq!(suggestion(&catalog, "-psoriasiss"), None);
        assert_eq!(suggestion(&catalog, "qqqqqqqq"), None);
        assert!(!has_missing_words(
            catalog.index.as_ref().unwrap(),
            &Expr::Text(TextTerm { field: None, words: vec!["cancer".into()], phrase: false, prefix: false })
        ));
    }
}
