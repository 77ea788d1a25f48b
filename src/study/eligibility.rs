//! Eligibility criteria as a screener reads them: the registry's free-text
//! `eligibilityCriteria` split into inclusion, exclusion and other sections of nested items.
//!
//! The registry has no structure for criteria, only the convention of an "Inclusion Criteria:"
//! and an "Exclusion Criteria:" heading over bullet lists. Real records bend it every way:
//! headings in capitals, without colon, with text after the colon, as list items, glued into
//! the middle of an item; "Key inclusion criteria", old NCI headings ("DISEASE
//! CHARACTERISTICS:"), sub-headings ("For parent participants:"), or no heading at all. So the
//! split is a set of heuristics over the blocks [`markup`](super::markup) reads, tuned to
//! those records, and it is lossless: every word of the raw text lands in a heading, an intro
//! paragraph or an item. The only things dropped are a heading repeated on its own line right
//! under itself and stray marks after a heading's colon ("Inclusion Criteria:-", "Exclusion
//! Criteria:1.").

use super::markup::{self, Block};

/// Sub-items deeper than this are kept at this depth: nothing real nests deeper, and it bounds
/// the recursion over the tree.
const MAX_DEPTH: usize = 5;

/// Criteria text split into sections in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Criteria {
    pub sections: Vec<Section>,
}

/// A run of criteria under one heading (or under none, before the first heading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    /// The heading as written, unescaped, without its colon; `None` when the text had none
    /// (an `Unlabelled` section, or a list found to be inclusion criteria by what follows).
    pub heading: Option<String>,
    /// Paragraphs before the first item ("Patients must meet all of the following:").
    pub intro: Vec<String>,
    pub items: Vec<Criterion>,
}

/// What a section's criteria decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Inclusion,
    Exclusion,
    /// A heading that is neither ("Patient characteristics", "Eligibility criteria").
    Other,
    /// Text before any heading.
    Unlabelled,
}

/// One criterion: its text (unescaped, continuation lines joined; a `'\n'` separates
/// paragraphs of the same criterion) and its sub-criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub text: String,
    pub children: Vec<Criterion>,
}

/// What a terminal line of criteria shows, so a view can style it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Heading,
    Intro,
    /// The first or a continuation line of a criterion, at any depth.
    Item,
    Blank,
}

/// A terminal line of rendered criteria.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriteriaLine {
    pub kind: LineKind,
    pub text: String,
}

impl Criteria {
    /// Top-level criteria of every inclusion section.
    pub fn inclusion(&self) -> impl Iterator<Item = &Criterion> {
        self.items_of(SectionKind::Inclusion)
    }

    /// Top-level criteria of every exclusion section.
    pub fn exclusion(&self) -> impl Iterator<Item = &Criterion> {
        self.items_of(SectionKind::Exclusion)
    }

    /// Top-level (inclusion, exclusion) criteria counts.
    pub fn count(&self) -> (usize, usize) {
        (self.inclusion().count(), self.exclusion().count())
    }

    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    fn items_of(&self, kind: SectionKind) -> impl Iterator<Item = &Criterion> {
        self.sections.iter().filter(move |s| s.kind == kind).flat_map(|s| s.items.iter())
    }
}

impl Section {
    fn new(kind: SectionKind, heading: Option<String>) -> Self {
        Section { kind, heading, intro: Vec::new(), items: Vec::new() }
    }

    /// The heading as a reader sees it: sentence case, so "INCLUSION CRITERIA" and
    /// "Key Inclusion Criteria" read "Inclusion criteria" and "Key inclusion criteria".
    /// Inclusion or exclusion sections without a heading of their own get the usual one.
    pub fn title(&self) -> Option<String> {
        match (&self.heading, self.kind) {
            (Some(heading), _) => Some(sentence_case(heading)),
            (None, SectionKind::Inclusion) => Some("Inclusion criteria".to_owned()),
            (None, SectionKind::Exclusion) => Some("Exclusion criteria".to_owned()),
            (None, _) => None,
        }
    }

    fn is_empty(&self) -> bool {
        self.intro.is_empty() && self.items.is_empty()
    }
}

impl Criterion {
    fn leaf(text: &str) -> Self {
        Criterion { text: text.to_owned(), children: Vec::new() }
    }
}

/// Splits raw `eligibilityCriteria` text into sections of nested criteria.
pub fn split_criteria(raw: &str) -> Criteria {
    let blocks = markup::parse(raw);
    let mut splitter = Splitter::new();
    let mut blocks = blocks.iter().peekable();
    while let Some(block) = blocks.next() {
        match block {
            Block::Paragraph(text) => {
                let next_is_item = matches!(blocks.peek(), Some(Block::Item { .. }));
                splitter.take(text, Piece::Paragraph { next_is_item });
            }
            Block::Item { depth, text, .. } => splitter.take(text, Piece::Item { depth: *depth }),
        }
    }
    Criteria { sections: splitter.finish() }
}

/// Lays criteria out as styled terminal lines of at most `width` columns (at least
/// [`markup::MIN_WIDTH`]): a heading per section, a blank line after each section that has
/// content (a bare heading reads as the heading of what follows it), top-level
/// criteria numbered per section, sub-criteria lettered then in roman numerals, hanging
/// indents throughout.
pub fn criteria_lines(criteria: &Criteria, width: usize) -> Vec<CriteriaLine> {
    let mut lines = Vec::new();
    let mut previous: Option<&Section> = None;
    for section in &criteria.sections {
        if previous.is_some_and(|p| !p.is_empty()) {
            lines.push(line(LineKind::Blank, String::new()));
        }
        previous = Some(section);
        if let Some(title) = section.title() {
            push_wrapped(&mut lines, LineKind::Heading, markup::hanging(&title, "", 0, width));
        }
        for paragraph in &section.intro {
            push_wrapped(&mut lines, LineKind::Intro, markup::hanging(paragraph, "", 0, width));
        }
        push_items(&mut lines, &section.items, 0, 0, width);
    }
    lines
}

/// [`criteria_lines`] without the styling: plain terminal lines.
pub fn wrap_criteria(criteria: &Criteria, width: usize) -> Vec<String> {
    criteria_lines(criteria, width).into_iter().map(|l| l.text).collect()
}

fn line(kind: LineKind, text: String) -> CriteriaLine {
    CriteriaLine { kind, text }
}

fn push_wrapped(lines: &mut Vec<CriteriaLine>, kind: LineKind, wrapped: Vec<String>) {
    lines.extend(wrapped.into_iter().map(|text| line(kind, text)));
}

/// Numbers siblings with markers right-aligned to the widest ("9." under "10."), children
/// starting at their parent's text column.
fn push_items(lines: &mut Vec<CriteriaLine>, items: &[Criterion], depth: usize, indent: usize, width: usize) {
    let markers: Vec<String> = (1..=items.len()).map(|n| format!("{}.", ordinal(depth, n))).collect();
    let marker_width = markers.iter().map(String::len).max().unwrap_or(0);
    for (item, marker) in items.iter().zip(&markers) {
        let marker = format!("{marker:>marker_width$}");
        push_wrapped(lines, LineKind::Item, markup::hanging(&item.text, &marker, indent, width));
        push_items(lines, &item.children, depth + 1, indent + marker_width + 1, width);
    }
}

/// 1, 2, 3 at the top; a, b, c below; i, ii, iii deeper still, as legal outlines do.
fn ordinal(depth: usize, n: usize) -> String {
    match depth {
        0 => n.to_string(),
        1 => letters(n),
        _ => roman(n),
    }
}

/// a..z, then aa, ab, … (bijective base 26).
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
    }
    out.iter().rev().collect()
}

fn roman(n: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    if n >= 4000 {
        return n.to_string();
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while rest >= value {
            out.push_str(numeral);
            rest -= value;
        }
    }
    out
}

/// Where a piece of text came from, which decides what it may be.
#[derive(Clone, Copy)]
enum Piece {
    Paragraph {
        next_is_item: bool,
    },
    Item {
        depth: usize,
    },
    /// Text after a heading's colon, or after its first line.
    Trailing,
}

/// A heading found in the text.
struct Heading<'a> {
    text: &'a str,
    kind: HeadingKind,
    /// What followed the colon, and any further lines, to be read as content.
    trailing: Vec<&'a str>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HeadingKind {
    Known(SectionKind),
    /// A sub-heading ("For parent participants:") that belongs to the section it is in.
    Inherit,
}

/// Reads blocks into sections; the section being filled is kept apart from the finished ones,
/// starting as an unlabelled one that is dropped if nothing lands in it.
struct Splitter {
    done: Vec<Section>,
    open: Section,
    /// The shallowest list depth seen in the open section, which counts as top level there.
    base_depth: Option<usize>,
}

impl Splitter {
    fn new() -> Self {
        Splitter { done: Vec::new(), open: Section::new(SectionKind::Unlabelled, None), base_depth: None }
    }

    fn finish(mut self) -> Vec<Section> {
        self.close_open();
        label_list_before_exclusion(&mut self.done);
        self.done
    }

    fn close_open(&mut self) {
        let next = Section::new(SectionKind::Unlabelled, None);
        let mut closed = std::mem::replace(&mut self.open, next);
        // "Inclusion Criteria:\n\nVeterans aged 45 to 64.": under a heading that says what
        // its criteria decide, paragraphs with no list after them are the criteria.
        let decides = matches!(closed.kind, SectionKind::Inclusion | SectionKind::Exclusion);
        if decides && closed.items.is_empty() {
            closed.items = closed.intro.drain(..).map(|p| Criterion::leaf(&p)).collect();
        }
        if closed.heading.is_some() || !closed.is_empty() {
            self.done.push(closed);
        }
        self.base_depth = None;
    }

    /// Reads one block's text. A heading can carry more text after its colon, and that text
    /// more headings, so the pieces still to read wait on a stack rather than in recursion,
    /// which a long enough line would overflow.
    fn take(&mut self, text: &str, piece: Piece) {
        let mut pending = vec![(text, piece)];
        while let Some((text, piece)) = pending.pop() {
            let mut next = self.step(text, piece);
            next.reverse();
            pending.append(&mut next);
        }
    }

    /// Reads a piece of text into the sections, returning the pieces it splits off, in order.
    fn step<'t>(&mut self, text: &'t str, piece: Piece) -> Vec<(&'t str, Piece)> {
        let heading = match piece {
            Piece::Paragraph { next_is_item } => paragraph_heading(text, next_is_item, true),
            Piece::Trailing => paragraph_heading(text, false, false),
            Piece::Item { depth: 0 } => item_heading(text),
            Piece::Item { .. } => None,
        };
        if let Some(heading) = heading {
            self.open_section(&heading, !matches!(piece, Piece::Trailing));
            return heading.trailing.into_iter().map(|t| (t, Piece::Trailing)).collect();
        }
        if let Some((before, heading)) = self.split_glued_exclusion(text) {
            let before_piece = match piece {
                Piece::Paragraph { .. } => Piece::Paragraph { next_is_item: false },
                other => other,
            };
            return vec![(before, before_piece), (heading, Piece::Trailing)];
        }
        match piece {
            Piece::Paragraph { .. } => self.add_paragraph(text),
            Piece::Item { depth } => self.add_item(depth, text),
            Piece::Trailing => self.add_trailing(text),
        }
        Vec::new()
    }

    /// "… (MAB) Exclusion Criteria:• Patient has …": an exclusion heading glued into inclusion
    /// text, as some records have it. Only the capitalised form counts, so that "meets any
    /// exclusion criteria: …" in running text stays whole.
    fn split_glued_exclusion<'t>(&self, text: &'t str) -> Option<(&'t str, &'t str)> {
        let exclusion_seen = self.done.iter().any(|s| s.kind == SectionKind::Exclusion);
        if self.open.kind != SectionKind::Inclusion || exclusion_seen {
            return None;
        }
        let at = ["Exclusion Criteria", "EXCLUSION CRITERIA"]
            .iter()
            .filter_map(|heading| {
                text.match_indices(heading)
                    .map(|(at, _)| at)
                    .find(|&at| at > 0 && is_followed_by_colon(text, at + heading.len()))
            })
            .min()?;
        let (before, heading) = text.split_at(at);
        Some((before.trim(), heading))
    }

    /// `own_line` is false for a heading run into text after another heading's colon.
    fn open_section(&mut self, heading: &Heading<'_>, own_line: bool) {
        let kind = match heading.kind {
            HeadingKind::Known(kind) => kind,
            HeadingKind::Inherit => match self.open.kind {
                kind @ (SectionKind::Inclusion | SectionKind::Exclusion) => kind,
                _ => SectionKind::Other,
            },
        };
        // "Exclusion Criteria:" followed by "* Exclusion Criteria: all answers must be NO"
        // is one section, not two. Only a heading on a line of its own repeats one: the same
        // words run into the text after the colon are more text, whose words must not be lost.
        let repeats_open = own_line
            && self.open.kind == kind
            && self.open.is_empty()
            && self.open.heading.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(heading.text));
        if !repeats_open {
            self.close_open();
            self.open = Section::new(kind, Some(heading.text.to_owned()));
        }
    }

    /// Before the first item a paragraph introduces the list; after it, a paragraph is a
    /// criterion written without a marker, except a lone "OR" / "AND" that joins the
    /// criterion before it to the next.
    fn add_paragraph(&mut self, text: &str) {
        let section = &mut self.open;
        if section.items.is_empty() {
            section.intro.push(text.to_owned());
        } else if is_connective(text) {
            if let Some(last) = section.items.last_mut() {
                last.text.push('\n');
                last.text.push_str(text);
            }
        } else {
            section.items.push(Criterion::leaf(text));
        }
    }

    fn add_item(&mut self, depth: usize, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let base = self.base_depth.map_or(depth, |b| b.min(depth));
        self.base_depth = Some(base);
        let depth = depth.saturating_sub(base).min(MAX_DEPTH);
        insert_at_depth(&mut self.open.items, depth, Criterion::leaf(text));
    }

    /// Text after a heading: a glued list marker makes it a criterion, a bare marker or
    /// punctuation ("Inclusion Criteria:-") is noise, and a line ending in a colon before any
    /// criterion introduces them.
    fn add_trailing(&mut self, text: &str) {
        let (had_marker, content) = match markup::split_marker(text.trim()) {
            Some((_, rest)) => (true, rest),
            None => (false, text.trim()),
        };
        if !content.chars().any(char::is_alphanumeric) {
            return;
        }
        let section = &mut self.open;
        if !had_marker && section.items.is_empty() && content.ends_with(':') {
            section.intro.push(content.to_owned());
        } else {
            section.items.push(Criterion::leaf(content));
        }
    }
}

/// A list with no heading followed by "Exclusion Criteria:" is the inclusion criteria, when no
/// section says so itself.
fn label_list_before_exclusion(sections: &mut [Section]) {
    let has_inclusion = sections.iter().any(|s| s.kind == SectionKind::Inclusion);
    let first_exclusion = sections.iter().position(|s| s.kind == SectionKind::Exclusion);
    if let (false, Some(end)) = (has_inclusion, first_exclusion) {
        sections
            .iter_mut()
            .take(end)
            .filter(|s| s.kind == SectionKind::Unlabelled && !s.items.is_empty())
            .for_each(|s| s.kind = SectionKind::Inclusion);
    }
}

fn insert_at_depth(items: &mut Vec<Criterion>, depth: usize, criterion: Criterion) {
    match items.last_mut() {
        Some(parent) if depth > 0 => insert_at_depth(&mut parent.children, depth - 1, criterion),
        _ => items.push(criterion),
    }
}

fn is_followed_by_colon(text: &str, end: usize) -> bool {
    text.get(end..).is_some_and(|rest| rest.trim_start().starts_with(':'))
}

fn is_connective(text: &str) -> bool {
    ["or", "and", "and/or"].iter().any(|c| text.trim().eq_ignore_ascii_case(c))
}

/// A paragraph that heads a section. Its first line decides; the rest is trailing content.
/// Text that already follows a heading's colon may only be another inclusion or exclusion
/// heading (`generic` false): there "patients with any of the following:" introduces a list.
fn paragraph_heading(text: &str, next_is_item: bool, generic: bool) -> Option<Heading<'_>> {
    let (first_line, later) = split_first_line(text);
    let (head, after) = split_colon(first_line);
    let head_words = head.split_whitespace().count();
    if head_words == 0 || head.ends_with(['.', ';', ',', '!', '?']) {
        return None;
    }
    let has_colon = after.is_some();
    let after_text = after.unwrap_or("");
    let keyword = keyword_kind(head);
    let is_heading = if keyword.is_some() {
        head_words <= 12 && (has_colon || !first_line.ends_with('.'))
    } else if !generic || reads_as_sentence(head) {
        false
    } else if is_all_caps(head) {
        head_words <= 10 && !is_connective(head) && (after_text.is_empty() || head_words >= 2)
    } else if has_colon {
        after_text.is_empty() && head_words <= 6
    } else {
        // "Age", "Performance status", "At Visit 1": a short label over a list.
        next_is_item && head_words <= 4 && later.is_none() && starts_uppercase(head)
    };
    is_heading.then(|| Heading {
        text: head,
        kind: keyword.map_or(known_other(head), HeadingKind::Known),
        trailing: trailing_parts(after_text, later),
    })
}

/// A top-level list item that is really a heading: "* Exclusion Criteria:" or
/// "1. Inclusion Criteria". Stricter than for paragraphs, since items are mostly criteria
/// that may well mention exclusion criteria.
fn item_heading(text: &str) -> Option<Heading<'_>> {
    let (first_line, later) = split_first_line(text);
    let (head, after) = split_colon(first_line);
    let kind = keyword_kind(head)?;
    let words = head.split_whitespace().count();
    let leads = head.split_whitespace().take(2).any(|w| w.to_lowercase().contains("clusion"));
    let short = if after.is_some() { words <= 6 } else { words <= 3 };
    (leads && short && !head.ends_with('.')).then(|| Heading {
        text: head,
        kind: HeadingKind::Known(kind),
        trailing: trailing_parts(after.unwrap_or(""), later),
    })
}

fn split_first_line(text: &str) -> (&str, Option<&str>) {
    match text.split_once('\n') {
        Some((first, rest)) => (first, Some(rest)),
        None => (text, None),
    }
}

/// Splits "Heading: rest" at the first colon; the head comes back trimmed.
fn split_colon(line: &str) -> (&str, Option<&str>) {
    match line.split_once(':') {
        Some((head, after)) => (head.trim(), Some(after.trim())),
        None => (line.trim(), None),
    }
}

fn trailing_parts<'a>(after: &'a str, later: Option<&'a str>) -> Vec<&'a str> {
    std::iter::once(after)
        .chain(later.into_iter().flat_map(|l| l.split('\n')))
        .filter(|part| !part.trim().is_empty())
        .collect()
}

/// Inclusion or exclusion when one of the first words of a heading says so; `Other` when it
/// says both ("Inclusion/Exclusion criteria").
/// A sentence about criteria ("Not meeting inclusion criteria", "For inclusion, patients
/// must…") is not a heading, which its words give away.
fn keyword_kind(head: &str) -> Option<SectionKind> {
    let lower = head.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut leading = words.iter().take(4);
    if !leading.any(|w| w.contains("inclusion") || w.contains("exclusion")) || reads_as_sentence(head) {
        return None;
    }
    let says_exclusion = words.iter().any(|w| w.contains("exclusion"))
        || lower.contains("non-inclusion")
        || lower.contains("non inclusion")
        || lower.contains("noninclusion");
    let says_inclusion = words
        .iter()
        .any(|w| w.contains("inclusion") && !w.contains("non-inclusion") && !w.contains("noninclusion"))
        && !lower.contains("non inclusion");
    Some(match (says_inclusion, says_exclusion) {
        (true, false) => SectionKind::Inclusion,
        (false, true) => SectionKind::Exclusion,
        _ => SectionKind::Other,
    })
}

fn reads_as_sentence(head: &str) -> bool {
    const SENTENCE_WORDS: [&str; 13] = [
        "not", "no", "any", "meet", "meeting", "met", "does", "do", "must", "should", "will", "may", "apply",
    ];
    head.split_whitespace().any(|w| SENTENCE_WORDS.iter().any(|s| w.eq_ignore_ascii_case(s)))
}

/// Headings of their own that are neither inclusion nor exclusion, whatever comes before:
/// the parts of old NCI records, and the general "Eligibility criteria".
fn known_other(head: &str) -> HeadingKind {
    const OTHER: [&str; 5] = [
        "disease characteristics",
        "patient characteristics",
        "prior concurrent therapy",
        "healthy volunteers",
        "eligibility",
    ];
    let lower = head.to_lowercase();
    if OTHER.iter().any(|o| lower.starts_with(o)) {
        HeadingKind::Known(SectionKind::Other)
    } else {
        HeadingKind::Inherit
    }
}

fn is_all_caps(text: &str) -> bool {
    text.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !text.chars().any(char::is_lowercase)
}

fn starts_uppercase(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase)
}

/// Lower-cases capitalised words after the first, and everything in an all-caps heading, but
/// leaves acronyms and mixed case ("COVID-19", "SSc-PAH") as written.
fn sentence_case(heading: &str) -> String {
    let shouting = is_all_caps(heading);
    let words: Vec<String> = heading
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            let word = if shouting || (i > 0 && is_capitalised(word)) {
                word.to_lowercase()
            } else {
                word.to_owned()
            };
            if i == 0 { capitalise(&word) } else { word }
        })
        .collect();
    words.join(" ")
}

/// "Criteria", "(Paramedics)": one capital then small letters.
fn is_capitalised(word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    letters.next().is_some_and(char::is_uppercase)
        && letters.clone().next().is_some()
        && letters.all(char::is_lowercase)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;
    use unicode_width::UnicodeWidthStr;

    fn texts(items: &[Criterion]) -> Vec<&str> {
        items.iter().map(|c| c.text.as_str()).collect()
    }

    fn outline(c: &Criteria) -> Vec<(SectionKind, Option<&str>, usize)> {
        c.sections.iter().map(|s| (s.kind, s.heading.as_deref(), s.items.len())).collect()
    }

    fn inclusion_texts(c: &Criteria) -> Vec<&str> {
        c.inclusion().map(|i| i.text.as_str()).collect()
    }

    fn exclusion_texts(c: &Criteria) -> Vec<&str> {
        c.exclusion().map(|i| i.text.as_str()).collect()
    }

    fn assert_fits(lines: &[String], width: usize) {
        for line in lines {
            assert!(line.width() <= width, "{line:?} is wider than {width}");
            assert_eq!(line.trim_end(), line, "trailing whitespace in {line:?}");
        }
    }

    const USUAL: &str = "Inclusion Criteria:\n\n* Adults aged 18 to 75 years\n* Plaque psoriasis for at least 6 months\n\n  * confirmed by a dermatologist\n  * PASI \\>= 12\n* Able to give written consent\n\nExclusion Criteria:\n\n* Pregnant or breastfeeding\n* Live vaccine within 4 weeks";

    #[test]
    fn usual_record_splits_into_inclusion_and_exclusion() {
        let c = split_criteria(USUAL);
        assert_eq!(
            outline(&c),
            vec![
                (SectionKind::Inclusion, Some("Inclusion Criteria"), 3),
                (SectionKind::Exclusion, Some("Exclusion Criteria"), 2),
            ]
        );
        assert_eq!(c.count(), (3, 2));
        let second = c.inclusion().nth(1).map(|i| texts(&i.children));
        assert_eq!(second, Some(vec!["confirmed by a dermatologist", "PASI >= 12"]));
        assert_eq!(exclusion_texts(&c), ["Pregnant or breastfeeding", "Live vaccine within 4 weeks"]);
    }

    #[test]
    fn wrap_numbers_items_with_hanging_indents() {
        let lines = wrap_criteria(&split_criteria(USUAL), 32);
        assert_eq!(
            lines,
            vec![
                "Inclusion criteria",
                "1. Adults aged 18 to 75 years",
                "2. Plaque psoriasis for at least",
                "   6 months",
                "   a. confirmed by a",
                "      dermatologist",
                "   b. PASI >= 12",
                "3. Able to give written consent",
                "",
                "Exclusion criteria",
                "1. Pregnant or breastfeeding",
                "2. Live vaccine within 4 weeks",
            ]
        );
    }

    #[test]
    fn ten_or_more_items_right_align_their_numbers() {
        let items: String = (1..=11).map(|n| format!("* criterion number {n}\n")).collect();
        let lines = wrap_criteria(&split_criteria(&format!("Exclusion Criteria:\n\n{items}")), 40);
        assert_eq!(lines.get(1).map(String::as_str), Some(" 1. criterion number 1"));
        assert_eq!(lines.get(9).map(String::as_str), Some(" 9. criterion number 9"));
        assert_eq!(lines.get(10).map(String::as_str), Some("10. criterion number 10"));
    }

    #[test]
    fn line_kinds_tell_headings_intros_and_items_apart() {
        let raw = "Inclusion Criteria:\n\nParticipants must meet all of the following:\n\n* Age 18 or older\n\nExclusion Criteria:\n\n* None of the below";
        let kinds: Vec<LineKind> = criteria_lines(&split_criteria(raw), 80).iter().map(|l| l.kind).collect();
        use LineKind::*;
        assert_eq!(kinds, [Heading, Intro, Item, Blank, Heading, Item]);
    }

    #[test]
    fn headings_without_colon_and_in_capitals() {
        let raw = "INCLUSION CRITERIA\n\n* Men over 40\n\nExclusion criteria\n\n* Prior prostate surgery";
        let c = split_criteria(raw);
        assert_eq!(c.count(), (1, 1));
        let titles: Vec<_> = c.sections.iter().filter_map(Section::title).collect();
        assert_eq!(titles, ["Inclusion criteria", "Exclusion criteria"]);
    }

    #[test]
    fn qualified_headings_keep_their_words() {
        let raw = "Key Inclusion Criteria:\n\n* BMI 30 or more\n\nInclusion criteria for patients:\n\n* Type 2 diabetes\n\nKey Exclusion Criteria:\n\n* Prior bariatric surgery\n\nNon-inclusion criteria:\n\n* Under guardianship";
        let c = split_criteria(raw);
        assert_eq!(c.count(), (2, 2));
        let titles: Vec<_> = c.sections.iter().filter_map(Section::title).collect();
        assert_eq!(
            titles,
            [
                "Key inclusion criteria",
                "Inclusion criteria for patients",
                "Key exclusion criteria",
                "Non-inclusion criteria",
            ]
        );
    }

    #[test]
    fn sentence_case_keeps_acronyms() {
        assert_eq!(
            sentence_case("Inclusion Criteria for COVID-19 Patients (SSc-PAH)"),
            "Inclusion criteria for COVID-19 patients (SSc-PAH)"
        );
        assert_eq!(sentence_case("PRIOR CONCURRENT THERAPY"), "Prior concurrent therapy");
        assert_eq!(sentence_case("inclusion criteria"), "Inclusion criteria");
    }

    #[test]
    fn text_after_the_heading_colon_is_content() {
        let raw = "Inclusion Criteria: Adults scheduled for elective knee replacement.\n\nExclusion Criteria:• Prior knee surgery\n\n* Inflammatory arthritis";
        let c = split_criteria(raw);
        assert_eq!(inclusion_texts(&c), ["Adults scheduled for elective knee replacement."]);
        assert_eq!(exclusion_texts(&c), ["Prior knee surgery", "Inflammatory arthritis"]);
    }

    #[test]
    fn stray_punctuation_after_a_heading_is_dropped() {
        let raw =
            "Inclusion Criteria:-\n\n* Smokers\n\nExclusion Criteria:1.\n\n* Asthma\n\nExclusion Criteria:.";
        let c = split_criteria(raw);
        assert_eq!(inclusion_texts(&c), ["Smokers"]);
        assert_eq!(exclusion_texts(&c), ["Asthma"]);
    }

    #[test]
    fn a_colon_line_after_a_heading_introduces_the_list() {
        let raw = "Exclusion Criteria: patients with any of the following:\n\n* Active infection";
        let c = split_criteria(raw);
        let section = c.sections.first();
        assert_eq!(
            section.map(|s| s.intro.clone()),
            Some(vec!["patients with any of the following:".to_owned()])
        );
        assert_eq!(exclusion_texts(&c), ["Active infection"]);
    }

    #[test]
    fn numbered_items_and_lettered_sub_items() {
        let raw = "Inclusion Criteria:\n\n1. Age 18 to 65\n2. Laboratory values:\n\n   1. ANC \\>= 1500/mm\\^3\n   2. Platelets \\>= 100,000/mm\\^3\n3. Signed consent\n\nExclusion Criteria:\n\n1) Pregnancy\n2) Known HIV infection";
        let c = split_criteria(raw);
        assert_eq!(c.count(), (3, 2));
        let labs = c.inclusion().nth(1).map(|i| texts(&i.children));
        assert_eq!(labs, Some(vec!["ANC >= 1500/mm^3", "Platelets >= 100,000/mm^3"]));
    }

    #[test]
    fn missing_exclusion_part() {
        let c = split_criteria("Inclusion Criteria:\n\n* Healthy adults\n* Non-smokers");
        assert_eq!(c.count(), (2, 0));
        assert_eq!(c.sections.len(), 1);
    }

    #[test]
    fn old_nci_headings_are_other_sections_with_their_labels() {
        let raw = "DISEASE CHARACTERISTICS:\n\n* Histologically confirmed adenocarcinoma of the prostate\n\n  * Stage T1-T2\n\nPATIENT CHARACTERISTICS:\n\nAge\n\n* 18 and over\n\nPerformance status\n\n* ECOG 0-1\n\nPRIOR CONCURRENT THERAPY:\n\n* No prior hormonal therapy";
        let c = split_criteria(raw);
        assert_eq!(
            outline(&c),
            vec![
                (SectionKind::Other, Some("DISEASE CHARACTERISTICS"), 1),
                (SectionKind::Other, Some("PATIENT CHARACTERISTICS"), 0),
                (SectionKind::Other, Some("Age"), 1),
                (SectionKind::Other, Some("Performance status"), 1),
                (SectionKind::Other, Some("PRIOR CONCURRENT THERAPY"), 1),
            ]
        );
        assert_eq!(c.count(), (0, 0));
        let lines = wrap_criteria(&c, 60);
        let shown: Vec<&str> = lines.iter().map(String::as_str).skip(3).take(6).collect();
        assert_eq!(shown, ["", "Patient characteristics", "Age", "1. 18 and over", "", "Performance status"]);
    }

    #[test]
    fn healthy_volunteers_heading_is_its_own_section() {
        let raw = "Inclusion Criteria:\n\n* Chronic migraine\n\nExclusion Criteria:\n\n* Opioid use\n\nHealthy volunteers:\n\n* No history of headache";
        let c = split_criteria(raw);
        assert_eq!(outline(&c).last(), Some(&(SectionKind::Other, Some("Healthy volunteers"), 1)));
        assert_eq!(c.count(), (1, 1));
    }

    #[test]
    fn sub_headings_belong_to_the_section_they_are_in() {
        let raw = "Inclusion Criteria:\n\nFor caregivers:\n\n* Lives with the patient\n\nPART B\n\n* Completed part A\n\nExclusion Criteria:\n\nFor caregivers:\n\n* Cognitive impairment";
        let c = split_criteria(raw);
        assert_eq!(c.count(), (2, 1));
        assert_eq!(
            outline(&c),
            vec![
                (SectionKind::Inclusion, Some("Inclusion Criteria"), 0),
                (SectionKind::Inclusion, Some("For caregivers"), 1),
                (SectionKind::Inclusion, Some("PART B"), 1),
                (SectionKind::Exclusion, Some("Exclusion Criteria"), 0),
                (SectionKind::Exclusion, Some("For caregivers"), 1),
            ]
        );
    }

    #[test]
    fn no_headings_at_all() {
        let list = split_criteria("* Cluster headache for 2 years\n* At least 2 episodes");
        assert_eq!(outline(&list), vec![(SectionKind::Unlabelled, None, 2)]);
        assert_eq!(list.count(), (0, 0));
        assert_eq!(wrap_criteria(&list, 40), ["1. Cluster headache for 2 years", "2. At least 2 episodes"]);

        let paragraph = split_criteria("Any adult admitted to the ward.");
        assert_eq!(
            paragraph.sections.first().map(|s| s.intro.clone()),
            Some(vec!["Any adult admitted to the ward.".to_owned()])
        );
        assert_eq!(wrap_criteria(&paragraph, 40), ["Any adult admitted to the ward."]);
    }

    #[test]
    fn an_unheaded_list_before_exclusion_is_inclusion() {
        let raw = "Participants must:\n\n1. Be 18 or older\n2. Own a smartphone\n\nExclusion Criteria:\n\n1. Current psychosis";
        let c = split_criteria(raw);
        assert_eq!(c.count(), (2, 1));
        let lines = wrap_criteria(&c, 40);
        assert_eq!(lines.first().map(String::as_str), Some("Inclusion criteria"));
        assert_eq!(lines.get(1).map(String::as_str), Some("Participants must:"));
    }

    #[test]
    fn exclusion_heading_written_as_a_bullet() {
        let raw = "Inclusion Criteria:\n\n* Stable relationship for 6 months\n* Exclusion Criteria:\n* Taken an SSRI within 3 months\n* Known allergy to the study drug";
        let c = split_criteria(raw);
        assert_eq!(c.count(), (1, 2));
    }

    #[test]
    fn heading_written_as_a_numbered_item_with_intro() {
        let raw = "1. Inclusion Criteria\n\n   To be eligible, subjects must meet the following:\n   1. Diagnosed with erectile dysfunction\n   2. No previous penile prosthesis";
        let c = split_criteria(raw);
        assert_eq!(outline(&c), vec![(SectionKind::Inclusion, Some("Inclusion Criteria"), 2)]);
        assert_eq!(
            c.sections.first().map(|s| s.intro.clone()),
            Some(vec!["To be eligible, subjects must meet the following:".to_owned()])
        );
    }

    #[test]
    fn exclusion_heading_glued_into_an_inclusion_item() {
        let raw = "Inclusion Criteria:\n\n* Skeletally mature\n* Surgery approved by the board Exclusion Criteria:• Disc height under 6 mm\n* Prior fusion";
        let c = split_criteria(raw);
        assert_eq!(inclusion_texts(&c), ["Skeletally mature", "Surgery approved by the board"]);
        assert_eq!(exclusion_texts(&c), ["Disc height under 6 mm", "Prior fusion"]);
    }

    #[test]
    fn mentions_of_criteria_stay_criteria() {
        let raw = "Inclusion Criteria:\n\n* Meets all inclusion criteria: see section 4\n* Patients meeting exclusion criteria: none\n\nExclusion Criteria:\n\n* Any inclusion criteria not met\n* Exclusion criteria must be read with the label";
        let c = split_criteria(raw);
        assert_eq!(c.count(), (2, 2));
    }

    #[test]
    fn repeated_heading_as_first_item_is_one_section() {
        let raw = "Exclusion Criteria:\n\n* Exclusion Criteria: all answers must be NO.\n* Moderate or severe osteoporosis";
        let c = split_criteria(raw);
        assert_eq!(c.sections.len(), 1);
        assert_eq!(exclusion_texts(&c), ["all answers must be NO.", "Moderate or severe osteoporosis"]);
    }

    #[test]
    fn paragraphs_under_a_heading_are_criteria_when_no_list_follows() {
        let raw = "Inclusion Criteria:\n\nMen aged 40 to 70\n\nExclusion Criteria:\n\nPrior penile surgery\n\nUse of nitrates";
        let c = split_criteria(raw);
        assert_eq!(inclusion_texts(&c), ["Men aged 40 to 70"]);
        assert_eq!(exclusion_texts(&c), ["Prior penile surgery", "Use of nitrates"]);
    }

    #[test]
    fn a_lone_or_joins_the_criterion_before_it() {
        let raw = "Inclusion Criteria:\n\n* Pre-hypertension\n\nOR\n\n* Stage 1 hypertension";
        let c = split_criteria(raw);
        assert_eq!(inclusion_texts(&c), ["Pre-hypertension\nOR", "Stage 1 hypertension"]);
        let lines = wrap_criteria(&c, 40);
        assert_eq!(lines, ["Inclusion criteria", "1. Pre-hypertension", "   OR", "2. Stage 1 hypertension"]);
    }

    #[test]
    fn escapes_are_removed() {
        let c = split_criteria(
            "Exclusion Criteria:\n\n* eGFR \\< 30 mL/min\n* \\[NYHA\\] class III\\-IV\n* \\*see appendix",
        );
        assert_eq!(exclusion_texts(&c), ["eGFR < 30 mL/min", "[NYHA] class III-IV", "*see appendix"]);
    }

    #[test]
    fn wide_characters_are_measured_in_columns() {
        let raw = "Inclusion Criteria:\n\n* 年齢18歳以上65歳以下の男性患者で、同意書に署名した者\n\nExclusion Criteria:\n\n* 妊娠中の者";
        let lines = wrap_criteria(&split_criteria(raw), 20);
        assert_fits(&lines, 20);
        assert!(lines.iter().filter(|l| l.starts_with("   ")).count() >= 2);
    }

    #[test]
    fn empty_input_gives_nothing() {
        for raw in ["", "   ", "\n\n", " \n\t\n"] {
            let c = split_criteria(raw);
            assert!(c.is_empty());
            assert!(wrap_criteria(&c, 80).is_empty());
        }
    }

    #[test]
    fn tiny_widths_never_overflow() {
        let c = split_criteria(USUAL);
        for width in 0..=12 {
            assert_fits(&wrap_criteria(&c, width), width.max(markup::MIN_WIDTH));
        }
    }

    #[test]
    fn deep_nesting_is_capped() {
        let raw: String = (0..40).map(|d| format!("{}* level {d}\n", " ".repeat(d * 2))).collect();
        let c = split_criteria(&raw);
        let lines = wrap_criteria(&c, 40);
        assert_fits(&lines, 40);
        assert!(lines.iter().any(|l| l.contains("level 39")));
    }

    #[test]
    fn long_chains_of_headings_do_not_exhaust_the_stack() {
        let raw = "Inclusion Criteria: ".repeat(5_000) + "Exclusion Criteria: adults";
        let c = split_criteria(&raw);
        assert_eq!(exclusion_texts(&c), ["adults"]);
        let glued = format!("Inclusion Criteria:\n\n* {}", "word Exclusion Criteria: ".repeat(5_000));
        let c = split_criteria(&glued);
        assert!(c.sections.iter().any(|s| s.kind == SectionKind::Exclusion));
    }

    #[test]
    fn ordinals_by_depth() {
        assert_eq!(ordinal(0, 12), "12");
        assert_eq!([1, 26, 27, 52, 703].map(letters), ["a", "z", "aa", "az", "aaa"]);
        assert_eq!([1, 4, 9, 14, 40, 1994].map(roman), ["i", "iv", "ix", "xiv", "xl", "mcmxciv"]);
        assert_eq!(roman(5000), "5000");
    }

    #[test]
    fn strong_emphasis_around_headings_is_dropped() {
        let raw = "**Inclusion Criteria:**\n\n* Adults\n\n**Exclusion Criteria:**\n\n* *Active* infection";
        let c = split_criteria(raw);
        assert_eq!(inclusion_texts(&c), ["Adults"]);
        assert_eq!(exclusion_texts(&c), ["Active infection"]);
    }

    /// Seed once found by `any_text_fits_any_width`: a one-column word, then a 40-column run that
    /// cannot break; optimal fit found one column of overflow cheaper than a line of one column.
    #[test]
    fn an_unbreakable_run_one_column_too_wide_is_cut() {
        let raw = "🕨a0aa𑇡A𑎋a\"\"a®0A𑈀a\"A𐐀a\"᪐AA\"A𜴀\"᨞Aa0AਓA𘬀µ\"A";
        let lines = wrap_criteria(&split_criteria(raw), 40);
        assert_fits(&lines, 40);
        assert_eq!(lines.concat().chars().filter(|c| !c.is_whitespace()).collect::<String>(), raw);
    }

    /// Seed once found by `no_word_is_lost`: the second run-in copy of a heading was taken for
    /// a repeat of the first and dropped with its words.
    #[test]
    fn a_heading_run_in_after_itself_keeps_its_words() {
        let c = split_criteria("golf Exclusion Criteria: golf Exclusion Criteria:");
        let lines = wrap_criteria(&c, 60);
        assert_eq!(lines, ["Golf exclusion criteria", "Golf exclusion criteria"]);
        let c = split_criteria("Exclusion Criteria: Exclusion Criteria: adults");
        assert_eq!(exclusion_texts(&c), ["adults"]);
    }

    /// Words worth checking for: a fixed vocabulary, so counting them in the output is exact.
    const WORDS: [&str; 12] = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "juliet", "kilo", "lima",
        "mike",
    ];

    /// Heading words may be dropped when a heading repeats; they must still show somewhere.
    const HEADING_WORDS: [&str; 6] =
        ["inclusion", "exclusion", "criteria", "patient", "characteristics", "key"];

    fn line_strategy() -> impl Strategy<Value = String> {
        let words = prop::collection::vec(
            prop_oneof![
                prop::sample::select(WORDS.to_vec()).prop_map(str::to_owned),
                Just("\\>=".to_owned()),
                Just("\\*".to_owned()),
                Just(":".to_owned()),
                Just("•".to_owned()),
                Just("Exclusion Criteria:".to_owned()),
                Just("OR".to_owned()),
            ],
            0..8,
        )
        .prop_map(|w| w.join(" "));
        let prefix = prop::sample::select(vec![
            "", "* ", "- ", "• ", "  * ", "    - ", "1. ", "2) ", "   1. ", "a. ", "ii. ", "\t* ",
        ]);
        let heading = prop::sample::select(vec![
            "Inclusion Criteria:",
            "Exclusion Criteria:",
            "INCLUSION CRITERIA",
            "Key Exclusion Criteria:",
            "PATIENT CHARACTERISTICS:",
            "Healthy volunteers:",
            "* Exclusion Criteria:",
            "Inclusion Criteria:-",
            "",
            "",
        ]);
        prop_oneof![
            (prefix, words.clone()).prop_map(|(p, w)| format!("{p}{w}")),
            heading.prop_map(str::to_owned),
            words.prop_map(|w| format!("Inclusion Criteria: {w}")),
        ]
    }

    fn word_counts(text: &str) -> HashMap<String, usize> {
        let mut counts = HashMap::new();
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
        counts
    }

    proptest! {
        #[test]
        fn no_word_is_lost(lines in prop::collection::vec(line_strategy(), 0..25)) {
            let raw = lines.join("\n");
            let output = wrap_criteria(&split_criteria(&raw), 60).join("\n");
            let before = word_counts(&raw);
            let after = word_counts(&output);
            for word in WORDS {
                let (b, a) = (before.get(word).copied().unwrap_or(0), after.get(word).copied().unwrap_or(0));
                prop_assert!(a >= b, "{word}: {b} in, {a} out\n{raw}\n---\n{output}");
            }
            for word in HEADING_WORDS {
                prop_assert!(!before.contains_key(word) || after.contains_key(word), "{word} lost\n{raw}\n---\n{output}");
            }
        }

        #[test]
        fn any_text_fits_any_width(raw in "\\PC{0,300}", width in 0usize..50) {
            let lines = wrap_criteria(&split_criteria(&raw), width);
            assert_fits(&lines, width.max(markup::MIN_WIDTH));
        }
    }
}
