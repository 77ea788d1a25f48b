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
//! paragraph or an item, never nowhere.

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
/// [`markup::MIN_WIDTH`]): a heading per section, a blank line between sections, top-level
/// criteria numbered per section, sub-criteria lettered then in roman numerals, hanging
/// indents throughout.
pub fn criteria_lines(criteria: &Criteria, width: usize) -> Vec<CriteriaLine> {
    let mut lines = Vec::new();
    for (i, section) in criteria.sections.iter().enumerate() {
        if i > 0 {
            lines.push(line(LineKind::Blank, String::new()));
        }
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

    fn take(&mut self, text: &str, piece: Piece) {
        if let Some((before, heading)) = self.split_glued_exclusion(text) {
            let before_piece = match piece {
                Piece::Paragraph { .. } => Piece::Paragraph { next_is_item: false },
                other => other,
            };
            self.take(before, before_piece);
            self.take(heading, Piece::Trailing);
            return;
        }
        let heading = match piece {
            Piece::Paragraph { next_is_item } => paragraph_heading(text, next_is_item),
            Piece::Trailing => paragraph_heading(text, false),
            Piece::Item { depth: 0 } => item_heading(text),
            Piece::Item { .. } => None,
        };
        if let Some(heading) = heading {
            self.open_section(&heading);
            for trailing in heading.trailing {
                self.take(trailing, Piece::Trailing);
            }
            return;
        }
        match piece {
            Piece::Paragraph { .. } => self.add_paragraph(text),
            Piece::Item { depth } => self.add_item(depth, text),
            Piece::Trailing => self.add_trailing(text),
        }
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

    fn open_section(&mut self, heading: &Heading<'_>) {
        let kind = match heading.kind {
            HeadingKind::Known(kind) => kind,
            HeadingKind::Inherit => match self.open.kind {
                kind @ (SectionKind::Inclusion | SectionKind::Exclusion) => kind,
                _ => SectionKind::Other,
            },
        };
        // "Exclusion Criteria:" followed by "* Exclusion Criteria: all answers must be NO"
        // is one section, not two.
        let repeats_open = self.open.kind == kind
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
fn paragraph_heading(text: &str, next_is_item: bool) -> Option<Heading<'_>> {
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
    let leads = head
        .split_whitespace()
        .take(2)
        .any(|w| w.to_lowercase().contains("clusion"));
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
    const SENTENCE_WORDS: [&str; 13] = [
        "not", "no", "any", "meet", "meeting", "met", "does", "do", "must", "should", "will",
        "may", "apply",
    ];
    let lower = head.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut leading = words.iter().take(4);
    if !leading.any(|w| w.contains("inclusion") || w.contains("exclusion"))
        || words.iter().any(|w| SENTENCE_WORDS.contains(w))
    {
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
