//! The list query's words, marked in the selected study's panes: wherever a word the filter
//! looked for appears in the Overview, Criteria, Outcomes or a site, the reader sees why the
//! study is in the list.
//!
//! The full-text index stems English words and folds case and accents, so `vaccines` finds a
//! study that says "Vaccination" and `sjogren` one that says "Sjögren": comparing text would
//! miss those. Both sides therefore go through the index's own analyzer, and a word of the pane
//! is marked when its analyzed form equals an analyzed word of the query. A phrase is marked only
//! where its words follow one another, also across a wrapped line. Tokens carry byte offsets into
//! the text analyzed; the marks are in chars of the line, the unit `view` paints in.
//!
//! Analyzing is not free (stemming every word), so a text pane is marked once when its lines are
//! built or the filter changes (`update` keeps the marks with the lines), and the Sites pane,
//! which builds its rows each frame, marks only the cells on screen.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tantivy::tokenizer::TextAnalyzer;

use crate::catalog;

/// The words and phrases a list filter looked for, analyzed as the index analyzes text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryWords {
    /// Each distinct analyzed word once.
    words: Vec<String>,
    /// Each term as the words (indexes into `words`) that must follow one another: one for a
    /// word, several for a phrase.
    phrases: Vec<Vec<usize>>,
}

/// A word (or phrase) of the list's query in a pane: its line and char range in that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordMark {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

impl QueryWords {
    /// From the filter's terms: folded words, a phrase's words joined by spaces (as
    /// `Query::highlight_terms` gives them).
    pub fn new(terms: &[String]) -> QueryWords {
        let mut analyzer = catalog::analyzer();
        let mut sought = QueryWords::default();
        for term in terms {
            let mut phrase = Vec::new();
            let mut stream = analyzer.token_stream(term);
            while let Some(token) = stream.next() {
                let word = match sought.words.iter().position(|w| *w == token.text) {
                    Some(known) => known,
                    None => {
                        sought.words.push(token.text.clone());
                        sought.words.len() - 1
                    }
                };
                phrase.push(word);
            }
            if !phrase.is_empty() && !sought.phrases.contains(&phrase) {
                sought.phrases.push(phrase);
            }
        }
        sought
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Where the words are in a pane's lines, in line order. The lines are analyzed as one text,
    /// so that a phrase wrapped onto the next line is still found.
    pub fn in_lines(&self, lines: &[Line<'_>]) -> Vec<WordMark> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut text = String::new();
        let mut starts = Vec::with_capacity(lines.len());
        for line in lines {
            starts.push(text.len());
            for span in &line.spans {
                text.push_str(&span.content);
            }
            text.push('\n');
        }
        let mut marks: Vec<WordMark> = self
            .matched_bytes(&mut catalog::analyzer(), &text)
            .into_iter()
            .filter_map(|(from, to)| {
                let line = starts.partition_point(|&start| start <= from).checked_sub(1)?;
                let line_start = *starts.get(line)?;
                let column = |byte: usize| text.get(line_start..byte).map_or(0, |s| s.chars().count());
                Some(WordMark { line, start: column(from), end: column(to) })
            })
            .collect();
        marks.sort_by_key(|m| (m.line, m.start));
        marks.dedup();
        marks
    }

    /// Char ranges of the words in one line of text.
    pub fn in_text(&self, text: &str) -> Vec<(usize, usize)> {
        self.marker().in_text(text)
    }

    /// A reader of many short texts (a screen of table cells) that builds its analyzer once.
    pub fn marker(&self) -> Marker<'_> {
        Marker { words: self, analyzer: None }
    }

    /// Byte ranges of `text` to mark: each match from its first word to its last, or for a
    /// phrase wrapped onto the next line, each line's part of it (leaving the indent alone).
    fn matched_bytes(&self, analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, usize)> {
        // Which sought word each token is, if any, and where it is.
        let mut tokens: Vec<(Option<usize>, usize, usize)> = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            let word = self.words.iter().position(|w| *w == token.text);
            tokens.push((word, token.offset_from, token.offset_to));
        }
        let mut ranges = Vec::new();
        for start in 0..tokens.len() {
            for phrase in &self.phrases {
                let Some(run) = tokens.get(start..start + phrase.len()) else { continue };
                if !run.iter().zip(phrase).all(|(token, &word)| token.0 == Some(word)) {
                    continue;
                }
                let mut words = run.iter().map(|&(_, from, to)| (from, to));
                let Some(mut part) = words.next() else { continue };
                for (from, to) in words {
                    if text.get(part.1..from).is_some_and(|gap| !gap.contains('\n')) {
                        part.1 = to;
                    } else {
                        ranges.push(part);
                        part = (from, to);
                    }
                }
                ranges.push(part);
            }
        }
        ranges
    }
}

/// Marks the words in one short text after another. Building the analyzer costs more than
/// reading a table cell, so it is built once, and only if there are words to look for.
pub struct Marker<'w> {
    words: &'w QueryWords,
    analyzer: Option<TextAnalyzer>,
}

impl Marker<'_> {
    /// Char ranges of the words in one line of text (a site's cell, a line of its details).
    pub fn in_text(&mut self, text: &str) -> Vec<(usize, usize)> {
        if self.words.is_empty() {
            return Vec::new();
        }
        let analyzer = self.analyzer.get_or_insert_with(catalog::analyzer);
        let column = |byte: usize| text.get(..byte).map_or(0, |s| s.chars().count());
        self.words
            .matched_bytes(analyzer, text)
            .into_iter()
            .map(|(from, to)| (column(from), column(to)))
            .collect()
    }
}

/// `line` with the chars in `ranges` (start, end, style) restyled, the span's own style patched
/// with the range's. Where ranges overlap, the first one listed wins.
pub fn restyle(line: &Line<'static>, ranges: &[(usize, usize, Style)]) -> Line<'static> {
    if ranges.is_empty() {
        return line.clone();
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut at = 0usize;
    for span in &line.spans {
        let mut run = String::new();
        let mut run_style = None;
        for c in span.content.chars() {
            let style = ranges
                .iter()
                .find(|(start, end, _)| (*start..*end).contains(&at))
                .map_or(span.style, |&(_, _, mark)| span.style.patch(mark));
            if run_style.is_some_and(|s| s != style) {
                spans.push(Span::styled(std::mem::take(&mut run), run_style.unwrap_or(style)));
            }
            run_style = Some(style);
            run.push(c);
            at += 1;
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, run_style.unwrap_or(span.style)));
        }
    }
    Line { spans, ..line.clone() }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::query::{Query, parse};

    /// The words a list query looks for, as the app takes them from it.
    fn sought(query: &str) -> QueryWords {
        QueryWords::new(&parse(query).unwrap().highlight_terms())
    }

    /// The marked text of each range, to read the tests by.
    fn marked(words: &QueryWords, text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        words.in_text(text).into_iter().map(|(start, end)| chars[start..end].iter().collect()).collect()
    }

    #[test]
    fn stemmed_words_match_as_the_index_matched_them() {
        let words = sought("Vaccines");
        assert_eq!(
            marked(&words, "A vaccine trial: vaccination of adults, VACCINES given, no vaccinia"),
            ["vaccine", "vaccination", "VACCINES"]
        );
        assert_eq!(marked(&sought("running"), "He runs; they run, a runner"), ["runs", "run"]);
    }

    #[test]
    fn case_and_accents_are_folded_both_ways() {
        assert_eq!(
            marked(&sought("Sjögren"), "Primary sjogren syndrome (SJÖGREN's)"),
            ["sjogren", "SJÖGREN"]
        );
        assert_eq!(marked(&sought("sjogren"), "Syndrome de Sjögren"), ["Sjögren"]);
    }

    #[test]
    fn a_phrase_is_marked_where_its_words_follow_each_other() {
        let words = sought("\"heart failure\"");
        assert_eq!(
            marked(&words, "Heart  failure, not failure of the heart; heart-failure"),
            ["Heart  failure", "heart-failure"]
        );
        // Across a wrapped line: each part on its own line, the indent left unmarked.
        let lines = [Line::raw("Patients with chronic heart"), Line::raw("    failure and a heart")];
        assert_eq!(
            words.in_lines(&lines),
            [WordMark { line: 0, start: 22, end: 27 }, WordMark { line: 1, start: 4, end: 11 }]
        );
    }

    #[test]
    fn negated_words_are_not_marked() {
        let words = sought("asthma -children NOT smoking");
        assert_eq!(marked(&words, "Asthma in children who are smoking"), ["Asthma"]);
        assert!(sought("-asthma").is_empty());
        assert_eq!(marked(&sought("cond:asthma status:recruiting"), "asthma, recruiting"), ["asthma"]);
        assert!(QueryWords::new(&Query::All.highlight_terms()).is_empty());
    }

    #[test]
    fn byte_offsets_become_char_positions() {
        // Multi-byte chars before and inside the words: positions count chars, as view paints.
        let words = sought("étude coeur");
        assert_eq!(words.in_text("Première ÉTUDE du cœur"), [(9, 14), (18, 22)]);
        assert_eq!(words.in_text("北京 étude, coeur"), [(3, 8), (10, 15)]);
        let lines =
            [Line::from(vec![Span::raw("Über: "), Span::raw("Étude")]), Line::raw("—"), Line::raw("«coeur»")];
        assert_eq!(
            words.in_lines(&lines),
            [WordMark { line: 0, start: 6, end: 11 }, WordMark { line: 2, start: 1, end: 6 }]
        );
    }

    #[test]
    fn restyle_patches_the_ranges_and_the_first_wins() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let italic = Style::new().add_modifier(ratatui::style::Modifier::ITALIC);
        let line = Line::from(vec![Span::raw("ab"), Span::styled("cdé", italic)]);
        let marked = restyle(&line, &[(1, 3, bold), (2, 5, italic)]);
        let parts: Vec<(&str, Style)> = marked.spans.iter().map(|s| (s.content.as_ref(), s.style)).collect();
        assert_eq!(parts, [("a", Style::new()), ("b", bold), ("c", italic.patch(bold)), ("dé", italic)]);
    }
}
