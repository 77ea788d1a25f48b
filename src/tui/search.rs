//! Searching inside the app: the query line's state, filtering the study list as the user types,
//! and finding text in a pane. Everything here is computed by `update` and stored in `App`, so
//! that `view` only paints the rows and ranges it is given.
//!
//! Filtering has two modes. Plain words are matched fuzzily against "NCT id + brief title" with
//! nucleo, best first, because that is what feels instant and forgiving while typing. A query
//! with field filters, phrases or operators goes through `catalog::search_studies`: filters from
//! the summaries, words from the full-text index (ranked) once loading has built it.
//!
//! Tab completes the query line's last word: a field name, or a value the loaded studies hold.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::text::Line;
use tui_textarea::TextArea;

use super::highlight::QueryWords;
use crate::catalog::{Summary, TextIndex};
use crate::query::{self, Expr, Query, QueryError, fold};

/// What an open query line searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineTarget {
    /// The study list (filter as you type).
    List,
    /// The text of the pane on screen.
    Pane,
    /// Not a search: the file to export the list to.
    Export,
}

/// The one-line editor at the bottom of the list or the pane, while it is open.
#[derive(Debug, Clone)]
pub struct QueryLine {
    pub textarea: TextArea<'static>,
    pub target: LineTarget,
    /// The last Enter's parse error, shown under the line until the text changes.
    pub error: Option<QueryError>,
    /// Which history entry Up/Down last recalled (index into `App::history`).
    pub recall: Option<usize>,
}

impl QueryLine {
    pub fn new(target: LineTarget, text: &str) -> QueryLine {
        let mut textarea = TextArea::new(vec![text.to_string()]);
        textarea.set_cursor_line_style(ratatui::style::Style::new());
        textarea.set_placeholder_text(match target {
            LineTarget::List => "words, an NCT id, or filters such as status:recruiting phase:3",
            LineTarget::Pane => "text to find in this pane",
            LineTarget::Export => "a file: .csv (the website's columns), .md, .json, .ndjson or .ris",
        });
        textarea.move_cursor(tui_textarea::CursorMove::End);
        QueryLine { textarea, target, error: None, recall: None }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join(" ")
    }

    /// Replaces the text (history recall), cursor at the end.
    pub fn set_text(&mut self, text: &str) {
        *self = QueryLine { recall: self.recall, ..QueryLine::new(self.target, text) };
    }

    /// Rows the line takes: itself, plus the caret and message of an error.
    pub fn height(&self) -> u16 {
        if self.error.is_some() { 3 } else { 1 }
    }
}

/// The filter applied to the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    pub text: String,
    pub fuzzy: bool,
    /// The words the filter looked for, to mark in the selected study's panes: the query's
    /// terms, or the words typed for a fuzzy filter.
    pub words: QueryWords,
}

/// How the list answers a text: the rows (indexes into the studies) in the order to show them,
/// matched to the end (for callers that need the whole answer at once).
pub fn filter_rows(studies: &[Summary], index: Option<&TextIndex>, text: &str) -> (Vec<usize>, ListFilter) {
    let (answer, filter) = filter_rows_within(studies, index, None, text);
    let rows = match answer {
        Answer::Rows(rows) => rows,
        Answer::Fuzzy(mut matching) => {
            while !matching.done() {
                matching.step(studies);
            }
            matching.rows()
        }
    };
    (rows, filter)
}

/// What a filter's text asks for: rows known at once (a query answered by the index and the
/// summaries), or fuzzy matching to run in slices.
#[derive(Debug)]
pub enum Answer {
    Rows(Vec<usize>),
    Fuzzy(FuzzyMatching),
}

/// As [`filter_rows`], matching fuzzy words only against `candidates` when given: typing one
/// more letter can only narrow a fuzzy match, so each keystroke scores the rows the last one
/// kept instead of the whole catalog. Fuzzy matching is returned unstarted.
pub fn filter_rows_within(
    studies: &[Summary],
    index: Option<&TextIndex>,
    candidates: Option<Vec<usize>>,
    text: &str,
) -> (Answer, ListFilter) {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return (Answer::Rows((0..studies.len()).collect()), ListFilter::default());
    }
    match query::parse(trimmed) {
        Ok(Query::Expr(expr)) if !plain_words(&expr) => {
            let terms = Query::Expr(expr.clone()).highlight_terms();
            // Ranked by the full-text index once loading has built it; until then the summaries
            // answer the words.
            let rows = crate::catalog::search_studies(studies, index, &expr);
            let words = QueryWords::new(&terms);
            (Answer::Rows(rows), ListFilter { text: trimmed.to_string(), fuzzy: false, words })
        }
        _ => (
            Answer::Fuzzy(FuzzyMatching::new(
                trimmed,
                candidates.unwrap_or_else(|| (0..studies.len()).collect()),
            )),
            ListFilter { text: trimmed.to_string(), fuzzy: true, words: QueryWords::typed(trimmed) },
        ),
    }
}

/// Only bare words: the fuzzy matcher answers them better while typing than exact words would.
fn plain_words(expr: &Expr) -> bool {
    match expr {
        Expr::Text(term) => term.field.is_none() && !term.phrase,
        Expr::And(parts) => parts.iter().all(plain_words),
        _ => false,
    }
}

/// What the fuzzy matcher reads for a study: the id, a space, the brief title.
pub fn haystack(summary: &Summary) -> String {
    format!("{} {}", summary.id, summary.brief_title)
}

fn pattern(text: &str) -> Pattern {
    Pattern::parse(text, CaseMatching::Ignore, Normalization::Smart)
}

/// Studies scored per [`FuzzyMatching::step`]. nucleo takes about 0.5 µs per title on one core,
/// so a slice is a few milliseconds on two: a keystroke's frame is never late for a large list,
/// which fills in over the next frames instead.
pub const FUZZY_SLICE: usize = 8_192;

/// Studies per thread within a slice: each chunk has its own matcher and buffers.
const FUZZY_CHUNK: usize = 2_048;

/// Fuzzy matching of the list, done a slice at a time, best first so far.
#[derive(Debug, Clone)]
pub struct FuzzyMatching {
    text: String,
    /// Rows still to score, from `next` on.
    candidates: Vec<usize>,
    next: usize,
    /// (score, row) of the matches so far, best first, ties in catalog order.
    scored: Vec<(u32, usize)>,
}

impl FuzzyMatching {
    pub fn new(text: &str, candidates: Vec<usize>) -> FuzzyMatching {
        FuzzyMatching { text: text.to_string(), candidates, next: 0, scored: Vec::new() }
    }

    pub fn done(&self) -> bool {
        self.next >= self.candidates.len()
    }

    /// More rows to match (studies that arrived while loading).
    pub fn add_candidates(&mut self, rows: impl IntoIterator<Item = usize>) {
        self.candidates.extend(rows);
    }

    /// Rows not scored yet.
    pub fn unscored(&self) -> &[usize] {
        self.candidates.get(self.next..).unwrap_or_default()
    }

    /// The matches so far, best first.
    pub fn rows(&self) -> Vec<usize> {
        self.scored.iter().map(|&(_, row)| row).collect()
    }

    /// Scores the next [`FUZZY_SLICE`] rows (on all cores) and merges them into the matches.
    pub fn step(&mut self, studies: &[Summary]) {
        use rayon::prelude::*;
        let end = self.next.saturating_add(FUZZY_SLICE).min(self.candidates.len());
        let Some(slice) = self.candidates.get(self.next..end) else { return };
        let pattern = pattern(&self.text);
        let mut fresh: Vec<(u32, usize)> = slice
            .par_chunks(FUZZY_CHUNK)
            .flat_map_iter(|chunk| score_rows(studies, chunk, &pattern))
            .collect();
        self.next = end;
        let best_first = |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        fresh.sort_unstable_by(best_first);
        let before = std::mem::take(&mut self.scored);
        self.scored = merge_sorted(before, fresh, best_first);
    }
}

/// (score, row) of the rows that match `pattern`.
fn score_rows(studies: &[Summary], rows: &[usize], pattern: &Pattern) -> Vec<(u32, usize)> {
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    // One buffer for every study's haystack.
    let mut hay = String::new();
    rows.iter()
        .filter_map(|&i| studies.get(i).map(|s| (i, s)))
        .filter_map(|(i, s)| {
            hay.clear();
            hay.push_str(&s.id);
            hay.push(' ');
            hay.push_str(&s.brief_title);
            pattern.score(Utf32Str::new(&hay, &mut buf), &mut matcher).map(|score| (score, i))
        })
        .collect()
}

fn merge_sorted<T: Copy>(a: Vec<T>, b: Vec<T>, order: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    if a.is_empty() {
        return b;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => {
                if order(y, x) == std::cmp::Ordering::Less {
                    b.next()
                } else {
                    a.next()
                }
            }
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

/// For each of the rows (on screen), the chars of `haystack(summary)` to mark for the filter:
/// nucleo's matched positions, or the words of a parsed query as the index matched them
/// (stemmed, folded), as the panes mark them. One matcher or analyzer serves all the rows.
pub fn row_marks<'s>(summaries: impl Iterator<Item = &'s Summary>, filter: &ListFilter) -> Vec<Vec<usize>> {
    if filter.text.is_empty() {
        return summaries.map(|_| Vec::new()).collect();
    }
    if !filter.fuzzy {
        let mut marker = filter.words.marker();
        return summaries
            .map(|s| marker.in_text(&haystack(s)).into_iter().flat_map(|(start, end)| start..end).collect())
            .collect();
    }
    let mut matcher = Matcher::new(Config::DEFAULT);
    let pattern = pattern(&filter.text);
    let mut buf = Vec::new();
    summaries
        .map(|s| {
            let hay = haystack(s);
            let mut indices = Vec::new();
            pattern.indices(Utf32Str::new(&hay, &mut buf), &mut matcher, &mut indices);
            indices.into_iter().filter_map(|i| usize::try_from(i).ok()).collect()
        })
        .collect()
}

/// One occurrence of the find text in a pane: its line and char range in that line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindMatch {
    pub line: usize,
    pub start: usize,
    pub end: usize,
}

/// Finding text in the pane on screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Find {
    /// What is being looked for, as typed.
    pub text: String,
    pub matches: Vec<FindMatch>,
    /// The match `n`/`N` last moved to.
    pub current: usize,
}

/// Every occurrence of `needle` in the lines, folded on both sides.
pub fn find_in_lines(lines: &[Line<'_>], needle: &str) -> Vec<FindMatch> {
    let folded = fold(needle.trim());
    if folded.is_empty() {
        return Vec::new();
    }
    let mut matches = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        for (start, end) in find_folded(&text, &folded) {
            matches.push(FindMatch { line: index, start, end });
        }
    }
    matches
}

/// Char ranges of `text` whose folded form holds `folded_needle`, without overlaps.
///
/// Folding can turn one char into several (`ß` → `ss`) or none (combining marks), so the folded
/// text carries, for each of its bytes, the char of `text` it came from.
pub fn find_folded(text: &str, folded_needle: &str) -> Vec<(usize, usize)> {
    if folded_needle.is_empty() {
        return Vec::new();
    }
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    for (index, c) in text.chars().enumerate() {
        let mut buf = [0u8; 4];
        let part =
            if c.is_ascii() { c.to_ascii_lowercase().to_string() } else { fold(c.encode_utf8(&mut buf)) };
        origin.extend(std::iter::repeat_n(index, part.len()));
        folded.push_str(&part);
    }
    let mut ranges = Vec::new();
    let mut from = 0;
    while let Some(found) = folded.get(from..).and_then(|rest| rest.find(folded_needle)) {
        let start_byte = from + found;
        let end_byte = start_byte + folded_needle.len();
        if let (Some(&start), Some(&last)) = (origin.get(start_byte), origin.get(end_byte.saturating_sub(1)))
        {
            ranges.push((start, last + 1));
        }
        from = end_byte;
    }
    ranges
}

/// What Tab does to the query line's text: the new text when the last word completes (to the
/// longest start its choices share), and the choices when there are several.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    pub text: Option<String>,
    pub choices: Vec<String>,
}

/// Completes the last word of `text`: a field name (`cou` → `country:`), or the value of
/// `status:`, `phase:`, `type:`, `country:` or `sponsor:` from the values the loaded `studies`
/// hold (`country:uni` → `country:"United "` then the choices); values with anything but letters
/// and digits are quoted.
pub fn complete(text: &str, studies: &[Summary]) -> Completion {
    // Inside an open quote the word started before it: `country:"united k`.
    let before_quote = match text.matches('"').count() % 2 {
        1 => text.rfind('"').map_or(text, |at| text.get(..at).unwrap_or_default()),
        _ => text,
    };
    let start = before_quote.rfind(char::is_whitespace).map_or(0, |at| at + 1);
    let (kept, last) = text.split_at(start);
    let negation = if last.starts_with('-') { "-" } else { "" };
    let last = last.trim_start_matches('-');
    let choices: Vec<String> = match last.split_once(':') {
        None => {
            let typed = last.to_ascii_lowercase();
            query::field_examples()
                .into_iter()
                .filter(|(name, _)| name.starts_with(&typed))
                .map(|(name, _)| format!("{name}:"))
                .collect()
        }
        Some((field, value)) => {
            let typed = fold(value.trim_start_matches('"'));
            let mut values = field_values(&field.to_ascii_lowercase(), studies);
            values.retain(|v| fold(v).starts_with(&typed));
            values.into_iter().map(|v| format!("{field}:{}", quoted(&v))).collect()
        }
    };
    let Some(first) = choices.first() else { return Completion::default() };
    let shared = choices.iter().fold(first.clone(), |shared, choice| {
        let common = shared
            .char_indices()
            .zip(choice.chars())
            .find(|((_, a), b)| !a.eq_ignore_ascii_case(b))
            .map_or(shared.len().min(choice.len()), |((at, _), _)| at);
        shared.get(..common).unwrap_or_default().to_string()
    });
    let text = (shared.len() > last.len()).then(|| format!("{kept}{negation}{shared}"));
    let choices = if choices.len() > 1 { choices } else { Vec::new() };
    Completion { text, choices }
}

/// `"New York"` for a value with more than letters and digits, the value as it is otherwise.
fn quoted(value: &str) -> String {
    if value.chars().all(char::is_alphanumeric) { value.to_string() } else { format!("\"{value}\"") }
}

/// The values of a field the loaded studies hold, distinct, sorted; none for other fields.
fn field_values(field: &str, studies: &[Summary]) -> Vec<String> {
    let mut values = std::collections::BTreeSet::new();
    for summary in studies {
        match field {
            "status" => values.extend(summary.status.iter().map(|s| s.as_str().to_ascii_lowercase())),
            "phase" => values.extend(summary.phases.iter().map(|p| p.as_str().to_ascii_lowercase())),
            "type" => values.extend(summary.study_type.iter().map(|t| t.as_str().to_ascii_lowercase())),
            "country" => values.extend(summary.countries.iter().map(|c| c.to_string())),
            "sponsor" => values.extend(summary.sponsor.iter().map(|s| s.to_string())),
            _ => return Vec::new(),
        }
    }
    values.into_iter().collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn list_rows_mark_the_words_as_the_index_matched_them() {
        let assets = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let catalog = crate::catalog::Catalog::load(&[assets]);
        let study = catalog.find("NCT04415320").unwrap();
        let (_, filter) = filter_rows(&catalog.studies, None, "vaccines phase:4");
        assert!(!filter.fuzzy);
        let hay: Vec<char> = haystack(study).chars().collect();
        let marks = row_marks(std::iter::once(study), &filter).remove(0);
        let marked: String = marks.iter().map(|&i| hay[i]).collect();
        // The plural asked for marks the singular in the title, through the stem.
        assert!(marked.to_lowercase().contains("vaccine"), "{marked:?} in {:?}", haystack(study));
    }

    #[test]
    fn folded_ranges_are_in_chars_of_the_original() {
        assert_eq!(find_folded("Côte d'Ivoire, CÔTE", "cote"), vec![(0, 4), (15, 19)]);
        assert_eq!(find_folded("Straße strasse", "strasse"), vec![(0, 6), (7, 14)]);
        assert!(find_folded("abc", "").is_empty());
    }

    #[test]
    fn tab_completes_field_names_and_the_values_the_studies_hold() {
        let assets = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let studies = crate::catalog::Catalog::load(&[assets]).studies;
        let text = |typed: &str| complete(typed, &studies).text;
        assert_eq!(text("cancer cou"), Some("cancer country:".into()));
        assert_eq!(text("-statu"), Some("-status:".into()));
        let both = complete("co", &studies);
        assert_eq!(both.text, None, "cond and completion and country share only co");
        assert_eq!(both.choices, ["completion:", "cond:", "country:"]);
        assert_eq!(text("status:recr"), Some("status:recruiting".into()));
        assert_eq!(text("country:jap"), Some("country:Japan".into()));
        let united = complete("phase:2 country:uni", &studies);
        assert_eq!(united.text, Some("phase:2 country:\"United ".into()), "{united:?}");
        assert!(united.choices.contains(&"country:\"United States\"".to_string()), "{united:?}");
        let states = complete("country:\"united s", &studies);
        assert_eq!(states.text, Some("country:\"United States\"".into()), "{states:?}");
        assert_eq!(complete("zzz", &studies), Completion::default());
        assert_eq!(complete("city:par", &studies), Completion::default());
    }
}
