//! Eligibility criteria as a screener reads them: the registry's free-text
//! `eligibilityCriteria` read into a tree of sections and items, each item with its label as
//! registered, its text, the thresholds found in it and its sub-items.
//!
//! The registry has no structure for criteria, only the convention of an "Inclusion Criteria:"
//! and an "Exclusion Criteria:" heading over bullet lists. Real records bend it every way:
//! headings in capitals, without colon, with text after the colon, as list items, glued into
//! the middle of an item, or indented inside a sub-list; "Key inclusion criteria", old NCI
//! headings ("DISEASE CHARACTERISTICS:"), sub-headings ("For parent participants:"), or no
//! heading at all. So the reading is a set of rules over the blocks [`markup`](super::markup)
//! reads, tuned to those records:
//!
//! - **Sections**: inclusion, exclusion, or other (its heading as registered, or none for text
//!   before any heading). A heading with nothing under it ("PATIENT CHARACTERISTICS:" over "Age",
//!   "Performance status") is a section of its own without items.
//! - **Labels** are kept exactly as registered (`1.`, `a)`, `ii.`, `(3)`, `*`, `-`, or none):
//!   numbering that restarts or mixes styles is never renumbered.
//! - **Children** come from indentation; from an item ending in ":" ("any of the following:")
//!   followed by items labelled in another style (`1.` then `i)`, `ii)`), up to the next item
//!   of the parent's own style; from such a run of items between an item and its successor
//!   ("b." … "i." "ii." … "c.") even without the colon; and from labels run together on one line
//!   ("… as follows: i) … ii) …", or an item "i) … ii) … iii) …"), which split into items.
//! - **A heading inside a sub-list** is judged by what follows it: when the sub-list carries on
//!   after it (the next item is nested too), the heading is a stray of the registry's editor and
//!   is dropped (the raw text still has it); otherwise it opens its section.
//! - **References**: every item gets a stable reference from its position, not its label, so
//!   that it means the same whatever the registry's numbering: `I` (inclusion), `E` (exclusion)
//!   or `O` (other) and the item's number among the top-level items of that kind across all
//!   sections (`I1`, `I2`, …, `E3`), then one step per level, letters at the first level below
//!   the top, numbers at the second, letters again at the third (`I2.a`, `I2.a.1`, `I2.a.1.b`).
//!   Letters run a…z, aa, ab… .
//!
//! Apart from stray headings, the reading is lossless: every word of the raw text lands in a
//! heading, an intro paragraph, a label or an item. The only other things dropped are a heading
//! repeated on its own line right under itself and stray marks after a heading's colon
//! ("Inclusion Criteria:-", "Exclusion Criteria:1.").

use super::markup::{self, Block, Marker};
use super::threshold::{self, Threshold};

/// Sub-items deeper than this are kept at this depth: nothing real nests deeper, and it bounds
/// the recursion over the tree.
const MAX_DEPTH: usize = 5;

/// Criteria text split into sections in the order written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Criteria {
    pub sections: Vec<Section>,
}

/// A run of criteria under one heading (or under none, before the first heading).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub kind: SectionKind,
    /// The heading as written, unescaped, without its colon; `None` when the text had none
    /// (text before any heading, or a list found to be inclusion criteria by what follows).
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
    /// A heading that is neither ("Patient characteristics", "Eligibility criteria"), or text
    /// before any heading.
    Other,
}

/// One criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    /// Its stable reference: `I2`, `E3.a`, `O1.b.2` (see the module's account).
    pub reference: String,
    /// The label as registered (`1.`, `a)`, `ii.`, `(3)`, `*`, `-`, `•`), `None` for a
    /// criterion written as a paragraph.
    pub label: Option<String>,
    /// Unescaped, without emphasis marks, continuation lines joined; a `'\n'` separates
    /// paragraphs of the same criterion.
    pub text: String,
    /// What [`threshold::find`] reads in `text`.
    pub thresholds: Vec<Threshold>,
    pub children: Vec<Criterion>,
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

impl SectionKind {
    /// The word `nct criteria --format json` writes.
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Inclusion => "inclusion",
            SectionKind::Exclusion => "exclusion",
            SectionKind::Other => "other",
        }
    }

    /// The first letter of its items' references.
    fn reference_letter(self) -> char {
        match self {
            SectionKind::Inclusion => 'I',
            SectionKind::Exclusion => 'E',
            SectionKind::Other => 'O',
        }
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
            (None, SectionKind::Other) => None,
        }
    }

    fn is_empty(&self) -> bool {
        self.intro.is_empty() && self.items.is_empty()
    }

    fn is_unlabelled(&self) -> bool {
        self.kind == SectionKind::Other && self.heading.is_none()
    }
}

impl Criterion {
    fn new(label: Option<String>, text: &str) -> Self {
        Criterion {
            reference: String::new(),
            label,
            text: text.to_owned(),
            thresholds: Vec::new(),
            children: Vec::new(),
        }
    }

    /// This criterion and every one below it, depth first, with their depth (0 for this one).
    pub fn walk(&self) -> Vec<(usize, &Criterion)> {
        let mut out = Vec::new();
        let mut stack = vec![(0, self)];
        while let Some((depth, item)) = stack.pop() {
            out.push((depth, item));
            stack.extend(item.children.iter().rev().map(|c| (depth + 1, c)));
        }
        out
    }
}

/// Splits raw `eligibilityCriteria` text into sections of nested criteria, with references and
/// thresholds.
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
            Block::Item { depth, marker, text } => {
                let next_depth = match blocks.peek() {
                    Some(Block::Item { depth, .. }) => Some(*depth),
                    _ => None,
                };
                let label = label_of(marker);
                splitter.take(text, Piece::Item { depth: *depth, label: Some(&label), next_depth });
            }
        }
    }
    let mut sections = splitter.finish();
    for section in &mut sections {
        section.items = structure(std::mem::take(&mut section.items), 0);
        promote_intro_item(section);
    }
    number(&mut sections);
    Criteria { sections }
}

/// "* Eligible participants must meet the following criteria:" as a section's only item, with
/// the whole list under it: the introduction of the list, which holds the criteria.
fn promote_intro_item(section: &mut Section) {
    let [only] = section.items.as_mut_slice() else { return };
    let bare = matches!(only.label.as_deref(), None | Some("*" | "-" | "+" | "•"));
    if bare
        && section.intro.is_empty()
        && !only.children.is_empty()
        && introduces(only)
        && reads_as_intro(&only.text)
    {
        section.intro.push(std::mem::take(&mut only.text));
        section.items = std::mem::take(&mut only.children);
    }
}

fn label_of(marker: &Marker) -> String {
    match marker {
        Marker::Bullet(c) => c.to_string(),
        Marker::Numbered(written) => written.clone(),
    }
}

/// Gives every item its reference and thresholds.
fn number(sections: &mut [Section]) {
    let mut counts = [0usize; 3];
    for section in sections {
        let slot = match section.kind {
            SectionKind::Inclusion => 0,
            SectionKind::Exclusion => 1,
            SectionKind::Other => 2,
        };
        let letter = section.kind.reference_letter();
        for item in &mut section.items {
            let count = counts.get_mut(slot);
            let n = count.map_or(0, |c| {
                *c += 1;
                *c
            });
            number_item(item, format!("{letter}{n}"), 0);
        }
    }
}

fn number_item(item: &mut Criterion, reference: String, depth: usize) {
    for (i, child) in item.children.iter_mut().enumerate() {
        let step = if depth.is_multiple_of(2) { letters(i + 1) } else { (i + 1).to_string() };
        number_item(child, format!("{reference}.{step}"), depth + 1);
    }
    item.thresholds = threshold::find(&item.text);
    item.reference = reference;
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

/// How a label counts: the kinds of ordinal it may be, each with its value, and its
/// punctuation. "i." may be the ninth letter or the first roman numeral; which one, the labels
/// around it tell.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ordinal {
    values: Vec<(Count, usize)>,
    punctuation: Punctuation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    Number,
    LowerLetter,
    UpperLetter,
    LowerRoman,
    UpperRoman,
    Bullet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Punctuation {
    /// `1.`
    Dot,
    /// `1)`
    Paren,
    /// `(1)`
    Enclosed,
    /// A bullet, or an outline number (`1.2.`) that starts no sequence of ours.
    None,
}

/// What a label counts as, or `None` for no label or one that counts nothing.
fn ordinal(label: Option<&str>) -> Option<Ordinal> {
    let label = label?;
    if matches!(label, "*" | "-" | "+" | "•") {
        return Some(Ordinal { values: vec![(Count::Bullet, 0)], punctuation: Punctuation::None });
    }
    let (inner, punctuation) = if let Some(inner) = label.strip_prefix('(') {
        (inner.strip_suffix(')')?, Punctuation::Enclosed)
    } else if let Some(inner) = label.strip_suffix('.') {
        (inner, Punctuation::Dot)
    } else {
        (label.strip_suffix(')')?, Punctuation::Paren)
    };
    let mut values = Vec::new();
    if !inner.is_empty() && inner.len() <= 3 && inner.bytes().all(|b| b.is_ascii_digit()) {
        values.push((Count::Number, inner.parse().ok()?));
    }
    let mut chars = inner.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_ascii_lowercase() {
            values.push((Count::LowerLetter, usize::from(c as u8 - b'a') + 1));
        } else if c.is_ascii_uppercase() {
            values.push((Count::UpperLetter, usize::from(c as u8 - b'A') + 1));
        }
    }
    if let Some(n) = roman_value(inner) {
        let count =
            if inner.bytes().all(|b| b.is_ascii_lowercase()) { Count::LowerRoman } else { Count::UpperRoman };
        values.push((count, n));
    }
    (!values.is_empty()).then_some(Ordinal { values, punctuation })
}

/// i … xxxix (or in capitals): what lists use.
fn roman_value(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 7 {
        return None;
    }
    let lower = s.to_ascii_lowercase();
    if lower != s && s.to_ascii_uppercase() != s {
        return None;
    }
    let mut total = 0;
    let mut previous = 0;
    for c in lower.chars().rev() {
        let value = match c {
            'i' => 1,
            'v' => 5,
            'x' => 10,
            _ => return None,
        };
        if value < previous {
            total -= value;
        } else {
            total += value;
            previous = value;
        }
    }
    // Only the canonical spelling: "iiii" or "vx" are not numerals.
    (to_roman(total) == lower).then_some(total)
}

fn to_roman(mut n: usize) -> String {
    let mut out = String::new();
    for (value, numeral) in [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")] {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

impl Ordinal {
    fn is_bullet(&self) -> bool {
        self.values.iter().any(|(count, _)| *count == Count::Bullet)
    }

    /// Whether a list may start here: 1, a, A, i, I, or a bullet.
    fn is_first(&self) -> bool {
        self.values.iter().any(|(count, n)| *count == Count::Bullet || *n == 1)
    }

    /// Whether `next` comes right after this one in the same list: the next value of a kind
    /// both may be, with the same punctuation; any bullet after a bullet.
    fn followed_by(&self, next: &Ordinal) -> bool {
        if self.is_bullet() || next.is_bullet() {
            return self.is_bullet() && next.is_bullet();
        }
        self.punctuation == next.punctuation
            && self.values.iter().any(|(count, n)| next.values.iter().any(|(c, m)| c == count && *m == n + 1))
    }

    /// Whether `next` is the next number after this one, written with a parenthesis whatever
    /// this one's punctuation: "2." then "3)".
    fn number_followed_by(&self, next: &Ordinal) -> bool {
        let number =
            |o: &Ordinal| o.values.iter().find(|(count, _)| *count == Count::Number).map(|(_, n)| *n);
        matches!(next.punctuation, Punctuation::Paren | Punctuation::Enclosed)
            && number(self).zip(number(next)).is_some_and(|(n, m)| m == n + 1)
    }

    /// The kinds this and `next` share as consecutive values, so that a sequence keeps to one.
    fn counts_followed_by(&self, next: &Ordinal) -> Vec<Count> {
        self.values
            .iter()
            .filter(|(count, n)| next.values.iter().any(|(c, m)| c == count && *m == n + 1))
            .map(|(count, _)| *count)
            .collect()
    }
}

fn ordinal_of(item: &Criterion) -> Option<Ordinal> {
    ordinal(item.label.as_deref())
}

/// Whether a criterion introduces what follows: its text ends in a colon (the registry's
/// editor sometimes adds a full stop after it: "any of the following:.").
fn introduces(item: &Criterion) -> bool {
    let end = item.text.trim_end().trim_end_matches(['.', ' ']);
    end.ends_with(':')
}

/// The rules of the module's account over one list of siblings (already nested by
/// indentation), then over their children.
fn structure(items: Vec<Criterion>, depth: usize) -> Vec<Criterion> {
    let next_ordinals: Vec<Option<Ordinal>> = items.iter().skip(1).map(ordinal_of).chain([None]).collect();
    let mut split = Vec::with_capacity(items.len());
    for (mut item, next) in items.into_iter().zip(next_ordinals) {
        rejoin_broken_parenthesis(&mut item);
        split.extend(split_inline(item, next.as_ref(), depth));
    }
    let mut items = adopt_runs(split);
    for item in &mut items {
        let children = std::mem::take(&mut item.children);
        item.children = if depth >= MAX_DEPTH { children } else { structure(children, depth + 1) };
    }
    items
}

/// "… Lansky score (for patients" over a sub-item "12 years of age) ≥ 50%": the registry lost a
/// "<" and made the rest of the sentence a bullet. A first child that closes a parenthesis its
/// parent left open is the rest of the parent's text.
fn rejoin_broken_parenthesis(item: &mut Criterion) {
    let closes_first = |text: &str| {
        let close = text.find(')');
        close.is_some_and(|at| !text.get(..at).is_some_and(|before| before.contains('(')))
    };
    let broken =
        item.children.first().is_some_and(|child| child.children.is_empty() && closes_first(&child.text));
    if broken && opens_unclosed(&item.text) && !item.children.is_empty() {
        let child = item.children.remove(0);
        let marker = child.label.filter(|l| !matches!(l.as_str(), "*" | "-" | "+" | "•"));
        let rest = [marker.as_deref().unwrap_or(""), child.text.as_str()].join(" ");
        item.text = format!("{} {}", item.text.trim_end(), rest.trim());
    }
}

/// Whether `text` leaves a parenthesis open.
fn opens_unclosed(text: &str) -> bool {
    let mut depth: usize = 0;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth > 0
}

/// A run of items in another style after an item takes its place as the item's children,
/// when the item ends in a colon or the list resumes right after the run with the item's
/// successor.
fn adopt_runs(items: Vec<Criterion>) -> Vec<Criterion> {
    let mut out: Vec<Criterion> = Vec::with_capacity(items.len());
    let mut rest = items.into_iter().peekable();
    while let Some(mut item) = rest.next() {
        let parent = ordinal_of(&item);
        let starts_run = |next: &Criterion| {
            let Some(next) = ordinal_of(next) else { return false };
            next.is_first() && !parent.as_ref().is_some_and(|p| p.followed_by(&next))
        };
        if !rest.peek().is_some_and(starts_run) || (parent.is_none() && !introduces(&item)) {
            out.push(item);
            continue;
        }
        // The run: items that follow one another in their own list and do not resume the
        // parent's.
        let mut run: Vec<Criterion> = Vec::new();
        let mut counts: Option<Vec<Count>> = None;
        while let Some(next) = rest.peek() {
            let Some(next_ordinal) = ordinal_of(next) else { break };
            if parent.as_ref().is_some_and(|p| p.followed_by(&next_ordinal)) && !run.is_empty() {
                break;
            }
            if let Some(last) = run.last().and_then(ordinal_of) {
                let shared = last.counts_followed_by(&next_ordinal);
                let keeps_count = match &counts {
                    Some(counts) => shared.iter().any(|c| counts.contains(c)),
                    None => !shared.is_empty(),
                };
                if !(last.followed_by(&next_ordinal) && (keeps_count || last.is_bullet())) {
                    break;
                }
                if !last.is_bullet() {
                    counts = Some(shared);
                }
            }
            match rest.next() {
                Some(next) => run.push(next),
                None => break,
            }
        }
        let resumes = match (&parent, rest.peek().and_then(ordinal_of)) {
            (Some(parent), Some(next)) => parent.followed_by(&next),
            _ => false,
        };
        if introduces(&item) || resumes {
            item.children.splice(0..0, run);
            out.push(item);
        } else {
            out.push(item);
            out.extend(run);
        }
    }
    continue_sub_lists(out)
}

/// "(a) … (i) …" then "(ii) …" then "(b) …" as siblings: an item whose label carries on the
/// list of the children of the item before it (and not that item's own list) belongs to them.
fn continue_sub_lists(items: Vec<Criterion>) -> Vec<Criterion> {
    let mut out: Vec<Criterion> = Vec::with_capacity(items.len());
    for item in items {
        let joins = out.last().is_some_and(|previous| {
            let (Some(last_child), Some(own)) =
                (previous.children.last().and_then(ordinal_of), ordinal_of(&item))
            else {
                return false;
            };
            let parent_continues = ordinal_of(previous).is_some_and(|p| p.followed_by(&own));
            !own.is_bullet() && last_child.followed_by(&own) && !parent_continues
        });
        match out.last_mut() {
            Some(previous) if joins => previous.children.push(item),
            _ => out.push(item),
        }
    }
    out
}

/// A label run into the text of an item, as a token: `ii)`, `(b)`, and, only where the item's
/// own label is the first of their list, `ii.`.
struct InlineLabel<'t> {
    at: usize,
    end: usize,
    written: &'t str,
    ordinal: Ordinal,
}

/// Splits labels run together on one line. "i) … ii) … iii) …" as an item labelled "i)"
/// becomes the items "i)", "ii)", "iii)"; "… as follows: (a) … (b) …" keeps its head as the
/// item's text and takes the parts as children. Each part may hold a list of its own
/// ("(b) … any of: (i) … (ii) …").
///
/// A single label run into the text counts when the item after it (`next`) carries on its
/// list: "(a) … at Screening: (i) For US only …" then "(ii) For Japan only …".
fn split_inline(item: Criterion, next: Option<&Ordinal>, depth: usize) -> Vec<Criterion> {
    if depth >= MAX_DEPTH {
        return vec![item];
    }
    let own = ordinal_of(&item).filter(|o| !o.is_bullet());
    let after_own = own.as_ref().map(|own| inline_labels(&item.text, Some(own), None)).unwrap_or_default();
    let siblings = !after_own.is_empty();
    let labels = if siblings { after_own } else { inline_labels(&item.text, None, next) };
    let Some(first) = labels.first() else { return vec![item] };
    let head = item.text.get(..first.at).unwrap_or_default().trim();
    let mut parts = Vec::with_capacity(labels.len());
    for (i, label) in labels.iter().enumerate() {
        let end = labels.get(i + 1).map_or(item.text.len(), |next| next.at);
        let text = item.text.get(label.end..end).unwrap_or_default().trim();
        let part = Criterion::new(Some(label.written.to_owned()), text);
        parts.extend(split_inline(part, None, depth + 1));
    }
    let Criterion { label, children, .. } = item;
    if siblings {
        // The item's own label starts the list: its parts are its siblings, and what was
        // nested under the line belongs to the last of them.
        let mut items = vec![Criterion::new(label, head)];
        items.extend(parts);
        if let Some(last) = items.last_mut() {
            last.children.extend(children);
        }
        items
    } else {
        let mut parent = Criterion::new(label, head);
        parent.children = parts;
        parent.children.extend(children);
        vec![parent]
    }
}

/// The labels of a list run into `text`, in order: the first of a list (or, after an item
/// labelled `own`, its successor) and each one's successor, at least two of them (one after
/// `own`). Empty when the text holds no such list.
fn inline_labels<'t>(text: &'t str, own: Option<&Ordinal>, next: Option<&Ordinal>) -> Vec<InlineLabel<'t>> {
    let candidates: Vec<InlineLabel<'t>> = tokens(text)
        .into_iter()
        .flat_map(|(at, token)| {
            // "or(ii)": an enclosed label glued to the word before it.
            let glued = token
                .char_indices()
                .skip(1)
                .find(|&(i, c)| {
                    c == '(' && token.get(..i).is_some_and(|w| w.chars().all(char::is_alphabetic))
                })
                .and_then(|(i, _)| token.get(i..).map(|label| (at + i, label)))
                .filter(|(_, label)| {
                    ordinal(Some(label)).is_some_and(|o| o.punctuation == Punctuation::Enclosed)
                });
            std::iter::once((at, token)).chain(glued)
        })
        .filter_map(|(at, token)| {
            let ordinal = ordinal(Some(token))?;
            // "ii." run into an item labelled "i." is a list; "2." in running text more often
            // ends a sentence ("ECOG 0, 1 or 2. Patients …"), so a dot only counts after the
            // first label of a list.
            let allowed = match ordinal.punctuation {
                Punctuation::Paren | Punctuation::Enclosed => true,
                Punctuation::Dot => own.is_some_and(|o| o.punctuation == Punctuation::Dot && o.is_first()),
                Punctuation::None => false,
            };
            // A label is followed by words, not by the end of the text.
            let followed = text.get(at + token.len()..).is_some_and(|rest| !rest.trim().is_empty());
            (allowed && followed).then_some(InlineLabel {
                at,
                end: at + token.len(),
                written: token,
                ordinal,
            })
        })
        .collect();
    let mut chain: Vec<InlineLabel<'t>> = Vec::new();
    let mut counts: Option<Vec<Count>> = None;
    for candidate in candidates {
        let previous = chain.last().map(|l| &l.ordinal).or(own);
        // "(type 1) diabetes", "(PDE5 type 5) inhibitors": a parenthesis closing one the text
        // opened starts no list.
        let closes_one = candidate.ordinal.punctuation == Punctuation::Paren
            && opens_unclosed(text.get(..candidate.at).unwrap_or_default());
        let fits = match previous {
            None => candidate.ordinal.is_first() && !closes_one,
            // "5) … 5) …": a label written twice, kept as registered.
            Some(previous)
                if !chain.is_empty()
                    && candidate.ordinal == *previous
                    && candidate.ordinal.punctuation != Punctuation::Dot =>
            {
                true
            }
            // "2. Clinical diagnosis … 3) Hand pain …": the item's list goes on in the
            // registry's other style.
            Some(previous)
                if chain.is_empty() && !closes_one && previous.number_followed_by(&candidate.ordinal) =>
            {
                counts = Some(vec![Count::Number]);
                true
            }
            Some(previous) => {
                let shared = previous.counts_followed_by(&candidate.ordinal);
                let keeps = match &counts {
                    Some(counts) => shared.iter().any(|c| counts.contains(c)),
                    None => !shared.is_empty(),
                };
                if previous.followed_by(&candidate.ordinal) && keeps {
                    counts = Some(shared);
                    true
                } else {
                    false
                }
            }
        };
        if fits {
            chain.push(candidate);
        } else if own.is_none() && chain.len() == 1 && candidate.ordinal.is_first() && !closes_one {
            // A false start ("type 1) …"): a later first label may begin the real list.
            chain.clear();
            counts = None;
            chain.push(candidate);
        }
    }
    let carried_on = chain.last().zip(next).is_some_and(|(last, next)| last.ordinal.followed_by(next));
    let enough = if own.is_some() || carried_on { 1 } else { 2 };
    if chain.len() >= enough { chain } else { Vec::new() }
}

/// Whitespace-separated tokens of `text` with their byte offsets.
fn tokens(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(from)) => {
                out.extend(text.get(from..at).map(|token| (from, token)));
                start = None;
            }
            (false, None) => start = Some(at),
            _ => {}
        }
    }
    out
}

/// Where a piece of text came from, which decides what it may be.
#[derive(Clone, Copy)]
enum Piece<'a> {
    Paragraph {
        next_is_item: bool,
    },
    /// A list item at `depth`, labelled as written; `next_depth` is the depth of the block
    /// after it when that is an item too.
    Item {
        depth: usize,
        label: Option<&'a str>,
        next_depth: Option<usize>,
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
    /// The last criterion is a paragraph ending in a colon over the list that follows it: that
    /// list's items are its children.
    list_parent: bool,
}

impl Splitter {
    fn new() -> Self {
        Splitter {
            done: Vec::new(),
            open: Section::new(SectionKind::Other, None),
            base_depth: None,
            list_parent: false,
        }
    }

    fn finish(mut self) -> Vec<Section> {
        self.close_open();
        label_list_before_exclusion(&mut self.done);
        self.done
    }

    fn close_open(&mut self) {
        let next = Section::new(SectionKind::Other, None);
        let mut closed = std::mem::replace(&mut self.open, next);
        // "Inclusion Criteria:\n\nVeterans aged 45 to 64.": under a heading that says what
        // its criteria decide, paragraphs with no list after them are the criteria.
        let decides = matches!(closed.kind, SectionKind::Inclusion | SectionKind::Exclusion);
        if decides && closed.items.is_empty() && !closed.intro.iter().all(|p| reads_as_intro(p)) {
            closed.items = closed.intro.drain(..).map(|p| Criterion::new(None, &p)).collect();
        }
        if closed.heading.is_some() || !closed.is_empty() {
            self.done.push(closed);
        }
        self.base_depth = None;
        self.list_parent = false;
    }

    /// Reads one block's text. A heading can carry more text after its colon, and that text
    /// more headings, so the pieces still to read wait on a stack rather than in recursion,
    /// which a long enough line would overflow.
    fn take(&mut self, text: &str, piece: Piece<'_>) {
        let mut pending = vec![(text, piece)];
        while let Some((text, piece)) = pending.pop() {
            let mut next = self.step(text, piece);
            next.reverse();
            pending.append(&mut next);
        }
    }

    /// Reads a piece of text into the sections, returning the pieces it splits off, in order.
    fn step<'t, 'a>(&mut self, text: &'t str, piece: Piece<'a>) -> Vec<(&'t str, Piece<'a>)> {
        let heading = match piece {
            Piece::Paragraph { next_is_item } => paragraph_heading(text, next_is_item, true),
            Piece::Trailing => paragraph_heading(text, false, false),
            Piece::Item { depth, label, .. } if !self.is_nested(depth) => {
                item_heading(text).filter(|_| !self.continues_numbering(label))
            }
            Piece::Item { .. } => {
                item_heading(text).filter(|h| self.switches_kind(h) && starts_with_keyword(h.text))
            }
        };
        if let Some(heading) = heading {
            if let Piece::Item { depth, label, next_depth } = piece
                && self.continues_sub_list(depth, next_depth)
            {
                // A heading inside a sub-list that carries on after it: a stray.
                let rest = heading.trailing.join(" ");
                if !rest.trim().is_empty() {
                    self.add_item(depth, label, &rest);
                }
                return Vec::new();
            }
            self.open_section(&heading, !matches!(piece, Piece::Trailing));
            return heading.trailing.into_iter().map(|t| (t, Piece::Trailing)).collect();
        }
        if let Some((before, heading)) = self.split_glued_exclusion(text) {
            if let Piece::Item { depth, label, next_depth } = piece
                && self.continues_sub_list(depth, next_depth)
            {
                // "1. PCR positive …; OR\n\n      Exclusion Criteria:" then "2. PCR positive …" in
                // the same sub-list: the heading is a stray, what follows its colon is text.
                let after = heading.split_once(':').map_or("", |(_, after)| after).trim();
                let kept = [before, after].iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>();
                self.add_item(depth, label, &kept.join(" "));
                return Vec::new();
            }
            let before_piece = match piece {
                Piece::Paragraph { .. } => Piece::Paragraph { next_is_item: false },
                other => other,
            };
            return vec![(before, before_piece), (heading, Piece::Trailing)];
        }
        if let Piece::Item { depth, label, next_depth } = piece
            && next_depth.is_some_and(|next| !self.is_nested(next))
            && let Some((body, last)) = text.rsplit_once('\n')
            && let Some(heading) = embedded_heading(last)
        {
            // "6. Adequate organ function: …" whose last paragraph, indented under it, is
            // "Exclusion Criteria" (or "Type of Participant and Disease Characteristics") and
            // the list goes on at the top: the paragraph heads what follows.
            self.add_item(depth, label, body);
            self.open_section(&heading, true);
            return Vec::new();
        }
        match piece {
            Piece::Paragraph { next_is_item } => self.add_paragraph(text, next_is_item),
            Piece::Item { depth, label, .. } => self.add_item(depth, label, text),
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
        // A heading with other words before its keyword ("Part B exclusion criteria") is not
        // taken for a repeat, so those words are never dropped.
        let repeats_open = own_line
            && starts_with_keyword(heading.text)
            && self.open.kind == kind
            && self.open.is_empty()
            && self.open.heading.as_deref().is_some_and(|h| h.eq_ignore_ascii_case(heading.text));
        if !repeats_open {
            self.close_open();
            self.open = Section::new(kind, Some(heading.text.to_owned()));
        }
    }

    /// Before the first item a paragraph may introduce the list (see [`Splitter::settle_intro`]);
    /// after it, a paragraph is a criterion written without a marker, the parent of the list
    /// right after it when it ends in a colon, except a lone "OR" / "AND" that joins the
    /// criterion before it to the next.
    fn add_paragraph(&mut self, text: &str, next_is_item: bool) {
        let section = &mut self.open;
        if section.items.is_empty() {
            section.intro.push(text.to_owned());
        } else if is_connective(text) || continues_a_criterion(text) {
            // "NOTE: …" qualifies the criterion just read, wherever it sits; "AND not …" goes
            // on with the top-level criterion before it.
            let target =
                if starts_with_note(text) { last_item(&mut section.items) } else { section.items.last_mut() };
            if let Some(last) = target {
                last.text.push('\n');
                last.text.push_str(text);
            }
        } else {
            section.items.push(Criterion::new(None, text));
            self.list_parent = next_is_item && text.trim_end().ends_with(':');
        }
    }

    /// When the first item comes: paragraphs before it that all read as an introduction
    /// ("Patients must meet all of the following:") stay the intro; otherwise they are
    /// criteria written without a marker, and the last of them, when it ends in a colon, is
    /// the parent of the list.
    fn settle_intro(&mut self) {
        let section = &mut self.open;
        if !section.items.is_empty() || section.intro.iter().all(|p| reads_as_intro(p)) {
            return;
        }
        self.list_parent = section.intro.last().is_some_and(|p| p.trim_end().ends_with(':'));
        section.items = section.intro.drain(..).map(|p| Criterion::new(None, &p)).collect();
    }

    fn add_item(&mut self, depth: usize, label: Option<&str>, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.settle_intro();
        let (label, text) = wrapped_label(label, text);
        let base = self.base_depth.map_or(depth, |b| b.min(depth));
        self.base_depth = Some(base);
        let depth = depth.saturating_sub(base).min(MAX_DEPTH) + usize::from(self.list_parent);
        insert_at_depth(&mut self.open.items, depth, Criterion::new(label.map(str::to_owned), text));
    }

    /// Whether `label` carries on the numbering of the open section's items ("5. fMRI
    /// exclusion only: …" after "4."): such an item is a criterion, whatever its words.
    fn continues_numbering(&self, label: Option<&str>) -> bool {
        let last = self.open.items.last().and_then(ordinal_of);
        match (last, ordinal(label)) {
            (Some(last), Some(next)) => !next.is_bullet() && last.followed_by(&next),
            _ => false,
        }
    }

    /// Whether an item at `depth` sits inside another item of the open section.
    fn is_nested(&self, depth: usize) -> bool {
        self.base_depth.is_some_and(|base| depth > base)
    }

    /// Whether the item at `depth` is nested and the block after it is nested too: the
    /// sub-list it is in carries on.
    fn continues_sub_list(&self, depth: usize, next_depth: Option<usize>) -> bool {
        self.is_nested(depth) && next_depth.is_some_and(|next| self.is_nested(next))
    }

    /// Whether a heading would take the reader from inclusion to exclusion or back: only such
    /// a heading, met inside a sub-list, is weighed as one (a "Part B:" there is text).
    fn switches_kind(&self, heading: &Heading<'_>) -> bool {
        matches!(heading.kind, HeadingKind::Known(kind @ (SectionKind::Inclusion | SectionKind::Exclusion)) if kind != self.open.kind)
    }

    /// Text after a heading: a glued list marker makes it a criterion, a bare marker or
    /// punctuation ("Inclusion Criteria:-") is noise, and a line ending in a colon before any
    /// criterion introduces them.
    fn add_trailing(&mut self, text: &str) {
        let (marker, content) = match markup::split_marker(text.trim()) {
            Some((marker, rest)) => (Some(label_of(&marker)), rest),
            None => (None, text.trim()),
        };
        if !content.chars().any(char::is_alphanumeric) {
            return;
        }
        let section = &mut self.open;
        if marker.is_none() && section.items.is_empty() && content.ends_with(':') {
            section.intro.push(content.to_owned());
        } else {
            section.items.push(Criterion::new(marker, content));
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
            .filter(|s| s.is_unlabelled() && !s.items.is_empty())
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

/// A paragraph after a criterion that goes on with it rather than standing alone: a note on
/// it, or a clause that starts with a conjunction ("AND not a candidate for …").
fn continues_a_criterion(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default().to_lowercase();
    starts_with_note(text) || ["and", "or", "and/or", "but", "except", "unless"].contains(&first.as_str())
}

fn starts_with_note(text: &str) -> bool {
    let lower = text.trim_start().trim_start_matches(['*', '(']).to_lowercase();
    lower.starts_with("note:") || lower.starts_with("note -") || lower.starts_with("note that")
}

/// The criterion read last: the last item of the last item, down to the deepest.
fn last_item(items: &mut [Criterion]) -> Option<&mut Criterion> {
    let last = items.last_mut()?;
    if last.children.is_empty() {
        return Some(last);
    }
    last_item(&mut last.children)
}

/// Whether a paragraph before a list reads as its introduction rather than a criterion.
fn reads_as_intro(text: &str) -> bool {
    const INTRO_WORDS: [&str; 6] =
        ["following", "criteria", "eligib", "must meet", "must fulfil", "must satisfy"];
    let lower = text.to_lowercase();
    text.trim_end().ends_with(':') || INTRO_WORDS.iter().any(|w| lower.contains(w))
}

/// "* 1. Age 18 or over", "* (i) …", "* • …": a bullet wrapping a label of its own, which is
/// the label as registered.
fn wrapped_label<'a>(label: Option<&'a str>, text: &'a str) -> (Option<&'a str>, &'a str) {
    if !matches!(label, Some("*" | "-" | "+" | "•")) {
        return (label, text);
    }
    let Some((token, rest)) = text.split_once(char::is_whitespace) else { return (label, text) };
    let rest = rest.trim_start();
    let is_label =
        token == "•" || ordinal(Some(token)).is_some_and(|o| !o.is_bullet()) || is_compound_label(token);
    if is_label && !rest.is_empty() { (Some(token), rest) } else { (label, text) }
}

/// "(b.i)", "(2a)": a label made of a letter, number or numeral and another, enclosed.
fn is_compound_label(token: &str) -> bool {
    token.strip_prefix('(').and_then(|t| t.strip_suffix(')')).is_some_and(|inner| {
        (2..=6).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
    })
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

/// "Exclusion Criteria", "Key inclusion criteria", "Non-inclusion criteria": a heading that is
/// nothing but its keyword.
fn starts_with_keyword(head: &str) -> bool {
    let first = head.split_whitespace().next().unwrap_or_default().to_lowercase();
    first.contains("clusion") || first == "key" || first == "non"
}

/// The last paragraph of an item that reads as a heading: an inclusion or exclusion heading,
/// or a short title in title case ("Type of Participant and Disease Characteristics").
fn embedded_heading(paragraph: &str) -> Option<Heading<'_>> {
    if let Some(heading) = paragraph_heading(paragraph, true, true).filter(|h| h.trailing.is_empty()) {
        return Some(heading);
    }
    let head = paragraph.trim().trim_end_matches(':').trim_end();
    let words: Vec<&str> = head.split_whitespace().collect();
    const SMALL: [&str; 8] = ["and", "of", "for", "the", "with", "in", "or", "to"];
    let title_case = (2..=8).contains(&words.len())
        && words.iter().all(|w| SMALL.contains(w) || w.chars().next().is_some_and(char::is_uppercase))
        && words.iter().filter(|w| !SMALL.contains(w)).count() >= 2
        && !head.ends_with(['.', ';', ',', '!', '?']);
    title_case.then(|| Heading { text: head, kind: known_other(head), trailing: Vec::new() })
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

    /// The tree as lines: `kind | heading` per section, `> intro` paragraphs, then each item as
    /// `REF LABEL TEXT` indented two spaces per level (`-` for no label).
    fn tree(c: &Criteria) -> Vec<String> {
        let mut lines = Vec::new();
        for section in &c.sections {
            lines.push(
                format!("{} | {}", section.kind.name(), section.heading.as_deref().unwrap_or(""))
                    .trim_end()
                    .to_owned(),
            );
            lines.extend(section.intro.iter().map(|p| format!("> {p}")));
            for (depth, item) in section.items.iter().flat_map(Criterion::walk) {
                let label = item.label.as_deref().unwrap_or("-");
                lines.push(format!("{}{} {label} {}", "  ".repeat(depth), item.reference, item.text));
            }
        }
        lines
    }

    /// Every word the tree holds, for counting.
    fn words_of(c: &Criteria) -> String {
        let mut words = Vec::new();
        for section in &c.sections {
            words.extend(section.heading.clone());
            words.extend(section.intro.iter().cloned());
            for (_, item) in section.items.iter().flat_map(Criterion::walk) {
                words.extend(item.label.clone());
                words.push(item.text.clone());
            }
        }
        words.join("\n")
    }

    /// A heading the editor left indented inside inclusion 5's sub-list, with the sub-list
    /// and the inclusion numbering going on after it (the shape of NCT04280705).
    #[test]
    fn a_stray_heading_inside_a_sub_list_is_judged_by_what_follows() {
        let raw = "Inclusion Criteria:\n\n1. Adult in hospital with a respiratory infection.\n2. Consent given.\n3. Confirmed infection, as shown by either of the following:\n\n   1. A positive swab under 3 days old; OR\n\n      Exclusion Criteria:\n   2. An older positive swab AND worsening disease.\n4. Oxygen saturation \\< / = 94% on room air.\n5. No other treatment trial until day 29.\n\nExclusion Criteria:\n\n1. ALT \\> 5 times the upper limit of normal.\n2. Pregnancy.";
        let c = split_criteria(raw);
        assert_eq!(
            tree(&c),
            [
                "inclusion | Inclusion Criteria",
                "I1 1. Adult in hospital with a respiratory infection.",
                "I2 2. Consent given.",
                "I3 3. Confirmed infection, as shown by either of the following:",
                "  I3.a 1. A positive swab under 3 days old; OR",
                "  I3.b 2. An older positive swab AND worsening disease.",
                "I4 4. Oxygen saturation < / = 94% on room air.",
                "I5 5. No other treatment trial until day 29.",
                "exclusion | Exclusion Criteria",
                "E1 1. ALT > 5 times the upper limit of normal.",
                "E2 2. Pregnancy.",
            ]
        );
        assert_eq!(c.count(), (5, 2));
    }

    /// The same heading with the top-level list going on after it is a heading: it ends the
    /// inclusion criteria, even without its colon, at the end of an item's text.
    #[test]
    fn a_heading_ending_an_item_opens_its_section_when_the_top_level_list_follows() {
        let raw = "Inclusion criteria\n\n1. Adequate organ function:\n\n   * Creatinine \\<= 1.5 x ULN\n\n   Exclusion Criteria\n2. Pregnancy.\n3. Known allergy.";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | Inclusion criteria",
                "I1 1. Adequate organ function:",
                "  I1.a * Creatinine <= 1.5 x ULN",
                "exclusion | Exclusion Criteria",
                "E1 2. Pregnancy.",
                "E2 3. Known allergy.",
            ]
        );
    }

    /// "any of the following:" then "i)", "ii)", "iii)" at the margin, as items of their own
    /// (the shape of NCT05552976): alternatives under the item, not criteria beside it.
    #[test]
    fn alternatives_after_a_colon_are_children() {
        let raw = "Inclusion Criteria\n\n- Measurable disease, shown by any of the following:.\n\ni) Serum protein \\>= 0.5 g/dL or.\n\nii) Urine protein \\>= 200 mg per 24 hours.\n\niii) Free light chain \\> 100 mg/L.\n\n* One to three prior lines of therapy.\n* Response to one of them.\n\nExclusion Criteria\n\n1. Progression on a proteasome inhibitor, except:\n2. Prior treatment with the study drug.";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | Inclusion Criteria",
                "I1 - Measurable disease, shown by any of the following:.",
                "  I1.a i) Serum protein >= 0.5 g/dL or.",
                "  I1.b ii) Urine protein >= 200 mg per 24 hours.",
                "  I1.c iii) Free light chain > 100 mg/L.",
                "I2 * One to three prior lines of therapy.",
                "I3 * Response to one of them.",
                "exclusion | Exclusion Criteria",
                "E1 1. Progression on a proteasome inhibitor, except:",
                "E2 2. Prior treatment with the study drug.",
            ]
        );
    }

    /// Letters under an exclusion, with "i. … ii. …" run together on one line after b. and
    /// the letters going on with c. (the shape of NCT04886388): the labels stay as registered,
    /// the numerals are b.'s children, and c. is still c.
    #[test]
    fn an_inline_roman_list_between_letters_belongs_to_the_letter_before_it() {
        let raw = "Exclusion Criteria:\n\n1. Pregnancy.\n2. Active infection.\n3. Any of these treatments:\n\n   a. Live vaccines within 30 days.\n   b. Immunosuppressants within 14 days, such as\n   i. Oral steroids above 10 mg a day ii. Chemotherapy of any kind\n   c. Radiotherapy within 4 weeks.\n   d. Surgery within 4 weeks.\n4. Known allergy.";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "exclusion | Exclusion Criteria",
                "E1 1. Pregnancy.",
                "E2 2. Active infection.",
                "E3 3. Any of these treatments:",
                "  E3.a a. Live vaccines within 30 days.",
                "  E3.b b. Immunosuppressants within 14 days, such as",
                "    E3.b.1 i. Oral steroids above 10 mg a day",
                "    E3.b.2 ii. Chemotherapy of any kind",
                "  E3.c c. Radiotherapy within 4 weeks.",
                "  E3.d d. Surgery within 4 weeks.",
                "E4 4. Known allergy.",
            ]
        );
    }

    /// "i) … ii) … iii) … iv) …" on one line under an item (the shape of NCT05097287), and
    /// "(a) … (b) …" run into an item's sentence with a list of their own inside (b).
    #[test]
    fn labels_run_together_on_one_line_are_split() {
        let raw = "Inclusion Criteria:\n\n1. Organ function:\n\n   i) Haemoglobin \\>= 9 g/dL ii) ANC \\>= 1.5 x 10\\^9/L iii) Platelets \\>= 100 x 10\\^9/L iv) Bilirubin \\<= 1.5 x ULN\n2. Myeloma as defined below: (a) a confirmed diagnosis (b) measurable disease, any of: (i) serum protein \\>= 0.5 g/dL; or (ii) urine protein \\>= 200 mg\n3. Past cancer except (i) skin cancer or(ii) cervical cancer in situ.";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | Inclusion Criteria",
                "I1 1. Organ function:",
                "  I1.a i) Haemoglobin >= 9 g/dL",
                "  I1.b ii) ANC >= 1.5 x 10^9/L",
                "  I1.c iii) Platelets >= 100 x 10^9/L",
                "  I1.d iv) Bilirubin <= 1.5 x ULN",
                "I2 2. Myeloma as defined below:",
                "  I2.a (a) a confirmed diagnosis",
                "  I2.b (b) measurable disease, any of:",
                "    I2.b.1 (i) serum protein >= 0.5 g/dL; or",
                "    I2.b.2 (ii) urine protein >= 200 mg",
                "I3 3. Past cancer except",
                "  I3.a (i) skin cancer or",
                "  I3.b (ii) cervical cancer in situ.",
            ]
        );
    }

    /// One label run into an item counts when the next item carries its list on: "(a) …:
    /// (i) …" then "(ii) …" then "(b) …".
    #[test]
    fn a_sub_list_started_inline_is_carried_on_by_the_items_after_it() {
        let raw = "Exclusion Criteria:\n\n1. Diabetes:\n\n   (a) Type 1 diabetes: (i) In the US: treated for 4 months\n\n   (ii) In Japan: treated for 6 months\n\n   (b) Uncontrolled type 2 diabetes.\n2. Heart failure.";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "exclusion | Exclusion Criteria",
                "E1 1. Diabetes:",
                "  E1.a (a) Type 1 diabetes:",
                "    E1.a.1 (i) In the US: treated for 4 months",
                "    E1.a.2 (ii) In Japan: treated for 6 months",
                "  E1.b (b) Uncontrolled type 2 diabetes.",
                "E2 2. Heart failure.",
            ]
        );
    }

    /// Numbering that restarts, labels in mixed styles, a label written twice: all kept as
    /// registered; references count places, not labels.
    #[test]
    fn restarts_and_mixed_styles_are_kept_as_registered() {
        let raw = "Inclusion Criteria:\n\n1. Adults\n2. Chronic pain\n3) Pain score 4 or more\n1. Own a smartphone\n5) Able to read\n5) Able to walk\n\nExclusion Criteria:\n\nA. Psychosis\nb) Dementia\n(3) Pregnancy";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | Inclusion Criteria",
                "I1 1. Adults",
                "I2 2. Chronic pain",
                "I3 3) Pain score 4 or more",
                "I4 1. Own a smartphone",
                "I5 5) Able to read",
                "I6 5) Able to walk",
                "exclusion | Exclusion Criteria",
                "E1 A. Psychosis",
                "E2 b) Dementia",
                "E3 (3) Pregnancy",
            ]
        );
    }

    /// "2. … 3) …" then "4) … 5) … 5) …": the list goes on inline in another style, a label
    /// written twice stays twice; a parenthesis that closes one the text opened is no label.
    #[test]
    fn a_list_going_on_inline_in_another_style_is_split_as_registered() {
        let raw = "Inclusion Criteria:\n\n1. Adults 21 to 80\n2. Chronic hand pain 3) Pain of 4 or more daily\n\n4) Uses opioids 5) Speaks English 5) Owns a smartphone\n\nExclusion Criteria:\n\n1. Response to PDE5 (phosphodiesterase type 5) inhibitors\n2. A spine scan (score of 6) with a T score under -2";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | Inclusion Criteria",
                "I1 1. Adults 21 to 80",
                "I2 2. Chronic hand pain",
                "I3 3) Pain of 4 or more daily",
                "I4 4) Uses opioids",
                "I5 5) Speaks English",
                "I6 5) Owns a smartphone",
                "exclusion | Exclusion Criteria",
                "E1 1. Response to PDE5 (phosphodiesterase type 5) inhibitors",
                "E2 2. A spine scan (score of 6) with a T score under -2",
            ]
        );
    }

    /// A numbered list restarting under an item that ends in a colon, before the item's
    /// successor: the restarted list is the item's.
    #[test]
    fn a_restarted_list_before_the_next_number_is_a_sub_list() {
        let raw = "Inclusion Criteria:\n\n1. Adults\n2. Laboratory values:\n1. ANC \\>= 1.5\n2. Platelets \\>= 100\n3. Consent";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | Inclusion Criteria",
                "I1 1. Adults",
                "I2 2. Laboratory values:",
                "  I2.a 1. ANC >= 1.5",
                "  I2.b 2. Platelets >= 100",
                "I3 3. Consent",
            ]
        );
    }

    /// Indentation nests by 2, 3 or 4 spaces alike; bullets wrapping a label of their own
    /// ("* (i) …") carry that label; references go letter, number, letter down the levels.
    #[test]
    fn nesting_by_indentation_with_wrapped_labels() {
        let raw = "Inclusion Criteria:\n\n* Refractory disease, as in (i) or (ii):\n\n  * (i) Six months of treatment, with\n\n    1. no response\n    2. no improvement\n\n        * (b.i) in spleen size\n  * (ii) Intolerance\n\nAND no transplant planned\n\n* ECOG 0 to 2";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | Inclusion Criteria",
                "I1 * Refractory disease, as in (i) or (ii):\nAND no transplant planned",
                "  I1.a (i) Six months of treatment, with",
                "    I1.a.1 1. no response",
                "    I1.a.2 2. no improvement",
                "      I1.a.2.a (b.i) in spleen size",
                "  I1.b (ii) Intolerance",
                "I2 * ECOG 0 to 2",
            ]
        );
    }

    /// No heading at all: paragraphs are criteria without labels, and one ending in a colon
    /// heads the list after it.
    #[test]
    fn paragraphs_without_headings_are_criteria_and_a_colon_one_heads_its_list() {
        let raw = "Planned chemotherapy with a high emetic risk\n\nBody weight of at least 12 kg\n\nBlood tests within a week before the first dose:\n\n* Creatinine under 1.5 x ULN\n* ALT under 5 x ULN\n\nA negative pregnancy test";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "other |",
                "O1 - Planned chemotherapy with a high emetic risk",
                "O2 - Body weight of at least 12 kg",
                "O3 - Blood tests within a week before the first dose:",
                "  O3.a * Creatinine under 1.5 x ULN",
                "  O3.b * ALT under 5 x ULN",
                "O4 - A negative pregnancy test",
            ]
        );
    }

    /// Odd headings: "Key Inclusion Criteria" with an intro, a sub-heading at the margin, a bullet
    /// that only introduces the whole list, notes and "AND" clauses kept with their criterion.
    #[test]
    fn odd_headings_intros_and_notes() {
        let raw = "KEY INCLUSION CRITERIA\n\nParticipants are eligible only if all the following apply:\n\nAge\n\n1. 18 to 75 years\n\nExclusion criteria:\n\n* Patients are excluded for any of the following criteria:\n\n  1. ECG abnormality\n\n  NOTE: sinus bradycardia is allowed\n  2. Heart failure";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | KEY INCLUSION CRITERIA",
                "> Participants are eligible only if all the following apply:",
                "inclusion | Age",
                "I1 1. 18 to 75 years",
                "exclusion | Exclusion criteria",
                "> Patients are excluded for any of the following criteria:",
                "E1 1. ECG abnormality\nNOTE: sinus bradycardia is allowed",
                "E2 2. Heart failure",
            ]
        );
    }

    #[test]
    fn a_parenthesis_broken_into_a_bullet_is_rejoined() {
        let raw = "Inclusion Criteria:\n\n1. Lansky score (for patients\n\n   * 12 years of age) \\>= 50%\n2. Consent";
        assert_eq!(
            tree(&split_criteria(raw)),
            [
                "inclusion | Inclusion Criteria",
                "I1 1. Lansky score (for patients 12 years of age) >= 50%",
                "I2 2. Consent",
            ]
        );
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
        assert_eq!(
            tree(&c).get(..6).unwrap_or_default(),
            [
                "other | DISEASE CHARACTERISTICS",
                "O1 * Histologically confirmed adenocarcinoma of the prostate",
                "  O1.a * Stage T1-T2",
                "other | PATIENT CHARACTERISTICS",
                "other | Age",
                "O2 * 18 and over",
            ]
        );
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
        assert_eq!(outline(&list), vec![(SectionKind::Other, None, 2)]);
        assert_eq!(list.count(), (0, 0));
        assert_eq!(tree(&list), ["other |", "O1 * Cluster headache for 2 years", "O2 * At least 2 episodes"]);

        let paragraph = split_criteria("Any adult admitted to the ward.");
        assert_eq!(
            paragraph.sections.first().map(|s| s.intro.clone()),
            Some(vec!["Any adult admitted to the ward.".to_owned()])
        );
    }

    #[test]
    fn an_unheaded_list_before_exclusion_is_inclusion() {
        let raw = "Participants must:\n\n1. Be 18 or older\n2. Own a smartphone\n\nExclusion Criteria:\n\n1. Current psychosis";
        let c = split_criteria(raw);
        assert_eq!(c.count(), (2, 1));
        let first = c.sections.first();
        assert_eq!(first.and_then(Section::title).as_deref(), Some("Inclusion criteria"));
        assert_eq!(first.map(|s| s.intro.clone()), Some(vec!["Participants must:".to_owned()]));
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
    }

    #[test]
    fn escapes_are_removed() {
        let c = split_criteria(
            "Exclusion Criteria:\n\n* eGFR \\< 30 mL/min\n* \\[NYHA\\] class III\\-IV\n* \\*see appendix",
        );
        assert_eq!(exclusion_texts(&c), ["eGFR < 30 mL/min", "[NYHA] class III-IV", "*see appendix"]);
    }

    #[test]
    fn empty_input_gives_nothing() {
        for raw in ["", "   ", "\n\n", " \n\t\n"] {
            let c = split_criteria(raw);
            assert!(c.is_empty());
        }
    }

    #[test]
    fn deep_nesting_is_capped() {
        let raw: String = (0..40).map(|d| format!("{}* level {d}\n", " ".repeat(d * 2))).collect();
        let c = split_criteria(&raw);
        let deepest =
            c.sections.iter().flat_map(|s| &s.items).flat_map(Criterion::walk).map(|(d, _)| d).max();
        assert_eq!(deepest, Some(MAX_DEPTH));
        assert!(tree(&c).iter().any(|l| l.contains("level 39")));
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
    fn letters_and_numerals() {
        assert_eq!([1, 26, 27, 52, 703].map(letters), ["a", "z", "aa", "az", "aaa"]);
        let numerals = ["i", "iv", "ix", "xiv", "XXXIX", "iiii", "vx", "Iv", "mild"].map(roman_value);
        assert_eq!(numerals, [Some(1), Some(4), Some(9), Some(14), Some(39), None, None, None, None]);
    }

    #[test]
    fn strong_emphasis_around_headings_is_dropped() {
        let raw = "**Inclusion Criteria:**\n\n* Adults\n\n**Exclusion Criteria:**\n\n* *Active* infection";
        let c = split_criteria(raw);
        assert_eq!(inclusion_texts(&c), ["Adults"]);
        assert_eq!(exclusion_texts(&c), ["Active infection"]);
    }

    /// Seed once found by `no_word_is_lost`: the second run-in copy of a heading was taken for
    /// a repeat of the first and dropped with its words.
    #[test]
    fn a_heading_run_in_after_itself_keeps_its_words() {
        let c = split_criteria("golf Exclusion Criteria: golf Exclusion Criteria:");
        let titles: Vec<_> = c.sections.iter().filter_map(Section::title).collect();
        assert_eq!(titles, ["Golf exclusion criteria", "Golf exclusion criteria"]);
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
            let output = words_of(&split_criteria(&raw));
            let before = word_counts(&raw);
            let after = word_counts(&output);
            for word in WORDS {
                let (b, a) = (before.get(word).copied().unwrap_or(0), after.get(word).copied().unwrap_or(0));
                prop_assert!(a >= b, "{word}: {b} in, {a} out\n{raw}\n---\n{output}");
            }
            // A heading indented inside a list may be a stray the list carries on past, which is
            // dropped; every other heading keeps its words.
            // (Also a heading at the margin met inside a sub-list: an indented line before it and
            // one after it.)
            let all: Vec<&str> = raw.lines().filter(|l| !l.trim().is_empty()).collect();
            let indented = |l: &&str| l.starts_with([' ', '\t']);
            let indented_heading = all.iter().enumerate().any(|(i, l)| {
                l.contains("Criteria")
                    && (indented(l)
                        || (i.checked_sub(1).and_then(|p| all.get(p)).is_some_and(indented)
                            && all.iter().skip(i + 1).any(indented)))
            });
            for word in HEADING_WORDS.into_iter().filter(|_| !indented_heading) {
                prop_assert!(!before.contains_key(word) || after.contains_key(word), "{word} lost\n{raw}\n---\n{output}");
            }
        }
    }
}
