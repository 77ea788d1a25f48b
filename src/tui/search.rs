//! Searching inside the app: the query line's state, filtering the study list as the user types,
//! and finding text in a pane. Everything here is computed by `update` and stored in `App`, so
//! that `view` only paints the rows and ranges it is given.
//!
//! The list is filtered by one engine, the one `nct search` answers with
//! (`catalog::search_studies`): filters from the summaries, words from the full-text index
//! (ranked) once loading has built it. While the query is typed, its last word is also the
//! beginning of longer words, through the index's term dictionary; Enter reads it whole.
//!
//! Fuzzy matching (nucleo) is for going to a study by its id, acronym or title (the go-to
//! picker), never for search: a subsequence of letters is no answer to a query.
//!
//! Tab completes the query line's last word: a field name, or a value the loaded studies hold.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::text::Line;
use tui_textarea::TextArea;

use super::highlight::QueryWords;
use crate::catalog::geo::{self, Geo, Nearby};
use crate::catalog::{Summary, TextIndex};
use crate::query::{self, Query, QueryError, fold};
use crate::screening::profile::Profile;
use crate::study::geo::Area;
use crate::user::profiles::Profiles;

/// What an open query line searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineTarget {
    /// The study list (filter as you type).
    List,
    /// The text of the pane on screen.
    Pane,
    /// Not a search: the file to export the list to.
    Export,
    /// Not a search: the patient reference a screening is for.
    Patient,
    /// Not a search: a note on the criterion under the screening's cursor.
    ScreeningNote,
    /// Not a search: the file to export the screening log to.
    ScreeningLog,
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
            LineTarget::Patient => "a pseudonymous code such as P-014, never a name",
            LineTarget::ScreeningNote => "a short note (no names or identifying data)",
            LineTarget::ScreeningLog => "a file: .csv, .md, .json or .txt",
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

    /// Rows the line takes when its text is `width` columns wide: itself, plus the caret and
    /// the whole message of an error, wrapped.
    pub fn height(&self, width: u16) -> u16 {
        let message = self.error_lines(width).len();
        if message == 0 { 1 } else { u16::try_from(message).unwrap_or(u16::MAX).saturating_add(2) }
    }

    /// The error's message in lines of at most `width` columns (words kept whole unless one is
    /// wider than a line); none without an error.
    pub fn error_lines(&self, width: u16) -> Vec<String> {
        self.error.as_ref().map_or_else(Vec::new, |error| wrap_words(&error.message, usize::from(width)))
    }
}

/// `text` in lines of at most `width` columns, broken between words; a word wider than a line
/// is broken where the line ends.
pub fn wrap_words(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let width = width.max(1);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split_whitespace() {
        let word_width = unicode_width::UnicodeWidthStr::width(word);
        if used > 0 && used + 1 + word_width > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        for c in word.chars() {
            let c_width = c.width().unwrap_or(0);
            if used + c_width > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += c_width;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The filter applied to the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListFilter {
    pub text: String,
    /// Read as it is being typed (the last word also begins longer words), not yet entered.
    pub typing: bool,
    /// The words the filter looked for, to mark in the list and the selected study's panes.
    pub words: QueryWords,
    /// The patient profile the query's `fits:` names, as loaded.
    pub profile: Option<Profile>,
    /// The area of the query's `near:`, resolved, and each matching study's nearest site in
    /// it (with the statuses of the same AND), for the list's distance column and order.
    pub near: Option<(Area, Nearby)>,
}

/// The list's answer to `text`: the rows (indexes into the studies) in the order to show them,
/// as `nct search` answers the same query over the same studies (the one engine,
/// [`crate::catalog::search_studies`]). `typing`: the text is still being typed, and its last
/// word is also the beginning of longer words ([`query::parse_typing`]).
///
/// `geo` resolves `near:` places (a place no site names is the query's mistake, as `nct search`
/// says it); without it (still loading) `near:` matches nothing yet. `profiles` are the user's
/// patient profiles, which `fits:NAME` names (a name that names none is the query's mistake);
/// the profile found is the filter's `profile`, and its place a `near:` of its own.
pub fn filter_rows(
    studies: &[Summary],
    columns: Option<&crate::catalog::columns::Columns>,
    index: Option<&TextIndex>,
    geo: Option<&Geo>,
    profiles: &Profiles,
    text: &str,
    typing: bool,
) -> Result<(Vec<usize>, ListFilter), QueryError> {
    let mut parsed = if typing { query::parse_typing(text) } else { query::parse(text) }?;
    // Profiles first: a profile's place becomes a `near:`, which the places then resolve.
    let profile = crate::catalog::fits::resolve_profiles(&mut parsed, profiles)?;
    if let (Query::Expr(expr), Some(geo)) = (&mut parsed, geo) {
        geo::resolve_places(expr, geo)?;
    }
    let filter = |words: QueryWords| ListFilter {
        text: text.trim().to_string(),
        typing,
        words,
        profile: profile.clone(),
        near: None,
    };
    Ok(match parsed {
        Query::All => ((0..studies.len()).collect(), ListFilter::default()),
        Query::Id(id) => {
            (studies.iter().position(|s| *s.id == *id).into_iter().collect(), filter(QueryWords::default()))
        }
        Query::Expr(expr) => {
            let terms = Query::Expr(expr.clone()).highlight_terms();
            // Ranked by the full-text index once loading has built it; until then the summaries
            // answer the words.
            let (rows, near) = crate::catalog::search_studies_near(studies, columns, index, geo, &expr);
            (rows, ListFilter { near, ..filter(QueryWords::new(&terms)) })
        }
    })
}

/// `text` read whole, as Enter reads it, with its `fits:` profiles looked up in `profiles` and
/// then its `near:` places (a profile's place among them) resolved against `geo` (once loading
/// has built it): the mistake to show under the line, if any.
pub fn read_whole(text: &str, geo: Option<&Geo>, profiles: &Profiles) -> Result<Query, QueryError> {
    let mut parsed = query::parse(text)?;
    crate::catalog::fits::resolve_profiles(&mut parsed, profiles)?;
    if let (Query::Expr(expr), Some(geo)) = (&mut parsed, geo) {
        geo::resolve_places(expr, geo)?;
    }
    Ok(parsed)
}

/// How the list marks a study's row: the id, a space, the brief title (the chars the marks
/// count).
pub fn haystack(summary: &Summary) -> String {
    format!("{} {}", summary.id, summary.brief_title)
}

/// Rows of the go-to picker drawn at most: the best matches.
pub const PICKER_ROWS: usize = 50;

/// The go-to picker: a line to type an id, an acronym or words of a title into, and the studies
/// they match fuzzily, best first; Enter goes to the one chosen.
#[derive(Debug, Clone)]
pub struct Picker {
    pub textarea: TextArea<'static>,
    pub matching: FuzzyMatching,
    /// The chosen row among the matches.
    pub selected: usize,
}

impl Picker {
    pub fn new() -> Picker {
        let mut textarea = TextArea::default();
        textarea.set_cursor_line_style(ratatui::style::Style::new());
        textarea.set_placeholder_text("an NCT id, an acronym or words of a title");
        Picker { textarea, matching: FuzzyMatching::new("", Vec::new()), selected: 0 }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join(" ")
    }

    /// Matching starts over for the text as it now is, over all the studies.
    pub fn retype(&mut self, studies: &[Summary]) {
        let text = self.text();
        let candidates = if text.trim().is_empty() { Vec::new() } else { (0..studies.len()).collect() };
        self.matching = FuzzyMatching::new(text.trim(), candidates);
        self.matching.step(studies);
        self.selected = 0;
    }

    /// The best matches so far (rows into the studies), at most [`PICKER_ROWS`].
    pub fn best(&self) -> Vec<usize> {
        self.matching.scored.iter().take(PICKER_ROWS).map(|&(_, row)| row).collect()
    }

    /// How many studies match so far.
    pub fn found(&self) -> usize {
        self.matching.scored.len()
    }

    /// The chosen study's row into the studies.
    pub fn chosen(&self) -> Option<usize> {
        self.matching.scored.get(self.selected).map(|&(_, row)| row)
    }
}

impl Default for Picker {
    fn default() -> Picker {
        Picker::new()
    }
}

/// What the go-to picker's fuzzy matcher reads for a study: the id, the acronym, the title.
fn picker_haystack(summary: &Summary, hay: &mut String) {
    hay.clear();
    hay.push_str(&summary.id);
    if let Some(acronym) = summary.acronym.as_deref() {
        hay.push(' ');
        hay.push_str(acronym);
    }
    hay.push(' ');
    hay.push_str(&summary.brief_title);
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
            picker_haystack(s, &mut hay);
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
/// the words of the query as the index matched them (stemmed, folded), as the panes mark them.
/// One analyzer serves all the rows.
pub fn row_marks<'s>(summaries: impl Iterator<Item = &'s Summary>, filter: &ListFilter) -> Vec<Vec<usize>> {
    if filter.text.is_empty() {
        return summaries.map(|_| Vec::new()).collect();
    }
    let mut marker = filter.words.marker();
    summaries
        .map(|s| marker.in_text(&haystack(s)).into_iter().flat_map(|(start, end)| start..end).collect())
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
        let (_, filter) =
            filter_rows(&catalog.studies, None, None, None, &Profiles::default(), "vaccines phase:4", false)
                .unwrap();
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
