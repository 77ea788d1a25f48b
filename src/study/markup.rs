//! The registry's text markup: how free-text fields (summaries, descriptions, eligibility,
//! outcome descriptions) are written, and how to show them in a terminal.
//!
//! The registry stores these fields as a small markdown dialect: backslash escapes (`\>=`,
//! `\^6`), bullet and numbered lists nested by indentation, blank lines between paragraphs,
//! `*emphasis*` and `**strong emphasis**` (shown without their asterisks). This
//! module reads that dialect into [`Block`]s (a flat list: nesting is a depth, because that is
//! all a terminal needs) and wraps them into lines of a given display width with hanging
//! indents. It never fails: whatever the text holds, every word of it comes out again.
//! Markdown output does not come through here; it keeps the raw text.

use std::borrow::Cow;

use textwrap::WordSeparator;
use textwrap::word_splitters::{WordSplitter, split_words};
use textwrap::wrap_algorithms::{Penalties, wrap_optimal_fit};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Narrower than this and wrapping stops being readable; narrower requests are treated as this.
pub const MIN_WIDTH: usize = 10;

/// Columns a tab stands for when it indents a line.
const TAB_INDENT: usize = 4;

/// Extra indentation per nesting level of a list.
const NEST_INDENT: usize = 2;

/// One unit of text as the registry lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Running text, unescaped and without emphasis asterisks. A `'\n'` inside is a hard line
    /// break the author asked for.
    Paragraph(String),
    /// A list item; `depth` 0 is the outermost level. The text is as for a paragraph, its
    /// continuation lines joined; a `'\n'` inside separates paragraphs of the same item.
    Item { depth: usize, marker: Marker, text: String },
}

/// How a list item was marked in the raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// `*`, `-`, `+` or `•` (the character written): shown as a bullet glyph chosen by depth.
    Bullet(char),
    /// `1.`, `1)`, `a.`, `iv)`, `(2)`, `1.2.`: kept as written.
    Numbered(String),
}

/// Removes the registry's backslash escapes (`\>=` is `>=`, `\\` is `\`). A backslash before
/// anything but ASCII punctuation is kept, as markdown does.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek().filter(|n| n.is_ascii_punctuation())
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// Reads raw registry text into blocks. Tolerant of anything: unknown constructs are text.
pub fn parse(raw: &str) -> Vec<Block> {
    let mut parser = Parser::default();
    // `\r\n` is one line end, not a line and a blank one (which would end every paragraph);
    // a lone `\r` is a line end too.
    for line in raw.split('\n').flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r')) {
        parser.line(line);
    }
    parser.blocks.into_iter().map(finish_block).collect()
}

/// The parser keeps the text as written (escapes and all) until a block is complete, since
/// emphasis may pair up across the lines of a paragraph and escapes decide what pairs.
fn finish_block(block: Block) -> Block {
    match block {
        Block::Paragraph(text) => Block::Paragraph(shown_text(&text)),
        Block::Item { depth, marker, text } => Block::Item { depth, marker, text: shown_text(&text) },
    }
}

/// Raw text as a reader sees it: without the asterisks of emphasis, then without escapes.
fn shown_text(raw: &str) -> String {
    unescape(&without_emphasis(raw)).into_owned()
}

/// Drops the asterisks of `*emphasis*` and `**strong emphasis**` from raw (still escaped) text.
///
/// Only asterisks that pair up count: an opening run of one or two right before a word (not
/// inside one: `2*3*4` is arithmetic), a closing run as long right after one, both in the same
/// paragraph of the text (no `'\n'` between them). Escaped asterisks (`\*`) are never
/// emphasis, nor is an asterisk between spaces (`2 * 3`), and list markers are gone before
/// this sees the text. Anything unpaired is kept as written.
fn without_emphasis(raw: &str) -> Cow<'_, str> {
    if !raw.contains('*') {
        return Cow::Borrowed(raw);
    }
    let mut drop = emphasis_runs(raw);
    if drop.is_empty() {
        return Cow::Borrowed(raw);
    }
    drop.sort_unstable_by_key(|run| run.start);
    let mut out = String::with_capacity(raw.len());
    let mut kept_from = 0;
    for run in drop {
        out.push_str(raw.get(kept_from..run.start).unwrap_or_default());
        kept_from = run.end;
    }
    out.push_str(raw.get(kept_from..).unwrap_or_default());
    Cow::Owned(out)
}

/// A character of raw text as markup reads it: an escape pair reads as the character escaped,
/// which is never a delimiter.
struct Token {
    at: usize,
    c: char,
    delimiter: bool,
}

/// A run of unescaped asterisks: `start..end` in bytes (an asterisk is one byte).
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
    /// Paragraphs (`'\n'`) before the run: emphasis does not span them.
    paragraph: usize,
    opens: bool,
    closes: bool,
}

/// The byte ranges of the asterisk runs that pair up as emphasis.
///
/// Linear in the runs: the opener a closer pairs with (the last open run of its length) is kept
/// at hand per length rather than searched for, since text can hold a great many runs that
/// never pair (`*a *b *c …` then `x** y** …`), and searching the open runs for each would take
/// their count squared.
fn emphasis_runs(raw: &str) -> Vec<std::ops::Range<usize>> {
    let mut pairs = Vec::new();
    let mut open: Vec<Run> = Vec::new();
    // Places in `open` of the runs of one asterisk, and of two, in order.
    let mut open_by_len: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
    for run in delimiter_runs(raw) {
        if open.last().is_some_and(|o| o.paragraph != run.paragraph) {
            open.clear();
            open_by_len.iter_mut().for_each(Vec::clear);
        }
        let len = run.end - run.start;
        let same_len = len.checked_sub(1).and_then(|slot| open_by_len.get(slot));
        let opener = same_len.and_then(|places| places.last().copied());
        match opener.and_then(|at| open.get(at).copied().map(|o| (at, o))) {
            Some((at, opener)) if run.closes => {
                pairs.push(opener.start..opener.end);
                pairs.push(run.start..run.end);
                // Openers after the one paired can no longer pair: emphasis nests, never
                // interleaves.
                open.truncate(at);
                for places in &mut open_by_len {
                    while places.last().is_some_and(|&place| place >= at) {
                        places.pop();
                    }
                }
            }
            _ if run.opens => {
                if let Some(places) = len.checked_sub(1).and_then(|slot| open_by_len.get_mut(slot)) {
                    places.push(open.len());
                }
                open.push(run);
            }
            _ => {}
        }
    }
    pairs
}

/// Runs of one or two unescaped asterisks, with what they may do where they stand. Longer runs
/// are kept as written. Read in one pass, keeping only the character before a run, so that a
/// field of megabytes costs no more than its runs.
fn delimiter_runs(raw: &str) -> Vec<Run> {
    let mut chars = raw.char_indices().peekable();
    let tokens = std::iter::from_fn(move || {
        let (at, c) = chars.next()?;
        if c == '\\'
            && let Some(&(_, escaped)) = chars.peek().filter(|(_, n)| n.is_ascii_punctuation())
        {
            chars.next();
            return Some(Token { at, c: escaped, delimiter: false });
        }
        Some(Token { at, c, delimiter: c == '*' })
    });
    let mut runs = Vec::new();
    let mut paragraph = 0;
    let mut previous: Option<char> = None;
    // The run being read: where it starts, its length, and the character before it.
    let mut open_run: Option<(usize, usize, Option<char>)> = None;
    let mut finish = |(start, len, before): (usize, usize, Option<char>), after: Option<char>, paragraph| {
        if len <= 2 {
            runs.push(Run {
                start,
                end: start + len,
                paragraph,
                opens: before.is_none_or(|c: char| !c.is_alphanumeric()) && after.is_some_and(starts_word),
                closes: before.is_some_and(ends_word) && after.is_none_or(|c| !c.is_alphanumeric()),
            });
        }
    };
    for token in tokens {
        if token.delimiter {
            match &mut open_run {
                Some((_, len, _)) => *len += 1,
                None => open_run = Some((token.at, 1, previous)),
            }
        } else {
            if let Some(run) = open_run.take() {
                finish(run, Some(token.c), paragraph);
            }
            paragraph += usize::from(token.c == '\n');
        }
        previous = Some(token.c);
    }
    if let Some(run) = open_run.take() {
        finish(run, None, paragraph);
    }
    runs
}

/// Whether emphasis may start right before `c`: not before a space or closing punctuation.
fn starts_word(c: char) -> bool {
    !c.is_whitespace() && (!c.is_ascii_punctuation() || "([{\"'".contains(c))
}

/// Whether emphasis may end right after `c`: not after a space or opening punctuation.
fn ends_word(c: char) -> bool {
    !c.is_whitespace() && (!c.is_ascii_punctuation() || ".,:;!?)]}\"'%".contains(c))
}

/// Lays blocks out as terminal lines of at most `width` display columns (at least
/// [`MIN_WIDTH`]), without trailing whitespace: a blank line around paragraphs, list items with
/// hanging indents, bullets as `•` / `◦` / `▪` by depth, numbered markers as written.
pub fn wrap(blocks: &[Block], width: usize) -> Vec<String> {
    let width = width.max(MIN_WIDTH);
    let mut lines = Vec::new();
    let mut previous: Option<&Block> = None;
    for block in blocks {
        if previous.is_some_and(|p| needs_blank_between(p, block)) {
            lines.push(String::new());
        }
        match block {
            Block::Paragraph(text) => lines.extend(hanging(text, "", 0, width)),
            Block::Item { depth, marker, text } => {
                let shown = shown_marker(marker, *depth);
                lines.extend(hanging(text, &shown, depth * NEST_INDENT, width));
            }
        }
        previous = Some(block);
    }
    lines
}

/// Parses and wraps in one go: what a pane shows for a free-text field.
pub fn render(raw: &str, width: usize) -> Vec<String> {
    wrap(&parse(raw), width)
}

/// Wraps `text` to `width` columns as a list item: `marker` (may be empty) after `indent`
/// spaces on the first line, later lines aligned under the text. `'\n'` in the text starts a new
/// line at the text column. The indent shrinks rather than leave the text no room.
///
/// Every width is measured as [`UnicodeWidthStr::width`] measures it, as the rest of the layout
/// does, and a word longer than a line is cut between characters: no line is wider than `width`
/// unless the marker itself is.
pub fn hanging(text: &str, marker: &str, indent: usize, width: usize) -> Vec<String> {
    let width = width.max(MIN_WIDTH);
    let marker_width = marker.width();
    let gap = usize::from(marker_width > 0);
    // Deep nesting must not squeeze the text under a few columns: keep the text column within
    // the left half of the line.
    let indent = indent.min((width / 2).saturating_sub(marker_width + gap));
    let first = format!("{}{}{}", " ".repeat(indent), marker, " ".repeat(gap));
    // Only a marker too wide for the line puts the text column further right than that; later
    // lines then still keep some room.
    let column = (indent + marker_width + gap).min(width.saturating_sub(MIN_ROOM));
    let rest = " ".repeat(column);
    let mut lines = Vec::new();
    for (i, part) in text.split('\n').enumerate() {
        let initial = if i == 0 { first.as_str() } else { rest.as_str() };
        wrap_part(part, initial, &rest, width, &mut lines);
    }
    lines
}

/// Columns of text a continuation line keeps however wide the marker before it.
const MIN_ROOM: usize = MIN_WIDTH / 2;

/// A piece of a line as wrapping sees it: a word (or a cut of a long one), the spaces after it,
/// and what it ends in at the end of a line (a hyphen, for a word split where it had none),
/// measured in display columns.
#[derive(Debug)]
struct Fragment<'t> {
    word: &'t str,
    space: &'t str,
    penalty: &'t str,
    width: usize,
}

impl textwrap::core::Fragment for Fragment<'_> {
    fn width(&self) -> f64 {
        self.width as f64
    }

    fn whitespace_width(&self) -> f64 {
        self.space.width() as f64
    }

    fn penalty_width(&self) -> f64 {
        self.penalty.width() as f64
    }
}

/// Wraps one line of text (no `'\n'` in it) after `initial`, continuing under `rest`.
///
/// textwrap finds where lines may break (Unicode line breaking, so CJK text breaks between
/// characters, and after the hyphens of hyphenated words) and chooses the breaks (optimal fit),
/// as its own `wrap` does; the widths it works with are ours, and no fragment is wider than a
/// line, so no line overflows.
fn wrap_part(part: &str, initial: &str, rest: &str, width: usize, lines: &mut Vec<String>) {
    let rest_room = width.saturating_sub(rest.width());
    let mut fragments = Vec::new();
    if !initial.is_empty() {
        // Lets the first word go to the second line when it does not fit after the marker.
        fragments.push(Fragment { word: "", space: "", penalty: "", width: 0 });
    }
    let mut indent = initial;
    let mut laid_out = false;
    let splitter = WordSplitter::HyphenSplitter;
    for word in split_words(WordSeparator::new().find_words(part), &splitter) {
        let room = rest_room.saturating_sub(word.penalty.width());
        let cuts = cut_to_width(word.word, room);
        let last = cuts.len().saturating_sub(1);
        for (i, cut) in cuts.into_iter().enumerate() {
            let (space, penalty) = if i == last { (word.whitespace, word.penalty) } else { ("", "") };
            fragments.push(Fragment { word: cut, space, penalty, width: cut.width() });
        }
        if fragments.len() >= WRAP_CHUNK {
            lay_out(&fragments, indent, rest, width, lines);
            fragments.clear();
            indent = rest;
            laid_out = true;
        }
    }
    if !fragments.is_empty() || !laid_out {
        lay_out(&fragments, indent, rest, width, lines);
    }
}

/// Optimal fit weighs a whole run of words at once and keeps several numbers per word; a
/// paragraph of megabytes (one line of text, a record's whole description) is laid out this
/// many words at a time, so that time and memory stay in proportion to the text. Where one run
/// meets the next a line may end short; no real paragraph is that long.
const WRAP_CHUNK: usize = 4096;

/// Chooses the line breaks among `fragments` (optimal fit) and pushes the lines, the first
/// after `initial`, the others under `rest`.
fn lay_out(fragments: &[Fragment<'_>], initial: &str, rest: &str, width: usize, lines: &mut Vec<String>) {
    let room = [width.saturating_sub(initial.width()), width.saturating_sub(rest.width())];
    let room = room.map(|r| r as f64);
    // Overflowing is never worth it: every fragment fits on a line of its own.
    let penalties = Penalties { overflow_penalty: usize::MAX, ..Penalties::new() };
    let rows = wrap_optimal_fit(fragments, &room, &penalties)
        .unwrap_or_else(|_| textwrap::wrap_algorithms::wrap_first_fit(fragments, &room));
    for (n, row) in rows.iter().enumerate() {
        let indent = if n == 0 { initial } else { rest };
        let mut content = String::new();
        let mut row = row.iter().peekable();
        while let Some(fragment) = row.next() {
            content.push_str(fragment.word);
            if row.peek().is_some() {
                content.push_str(fragment.space);
            } else {
                content.push_str(fragment.penalty);
            }
        }
        push_fitting(lines, indent, content.trim_end(), rest, width);
    }
}

/// Cuts a word into pieces of at most `room` columns, between characters but not inside a
/// character sequence that shows as one (before a combining mark or variation selector, after a
/// zero-width joiner). A sequence wider than `room` is a piece of its own.
fn cut_to_width(word: &str, room: usize) -> Vec<&str> {
    if word.width() <= room {
        return vec![word];
    }
    let mut cuts = Vec::new();
    let mut start = 0;
    let mut cut_at = None;
    let mut previous = None;
    for (at, c) in word.char_indices() {
        if at > start && c.width() != Some(0) && previous != Some(ZERO_WIDTH_JOINER) {
            cut_at = Some(at);
        }
        previous = Some(c);
        let piece = word.get(start..at + c.len_utf8()).unwrap_or_default();
        if let Some(cut) = cut_at.filter(|_| piece.width() > room) {
            cuts.push(word.get(start..cut).unwrap_or_default());
            start = cut;
            cut_at = None;
        }
    }
    cuts.push(word.get(start..).unwrap_or_default());
    cuts
}

const ZERO_WIDTH_JOINER: char = '\u{200d}';

/// Pushes `indent` + `content` as a line, or, should the line measure wider than `width` all
/// the same (a character sequence measures differently from its pieces), as several lines cut
/// between characters and measured whole.
fn push_fitting(lines: &mut Vec<String>, indent: &str, content: &str, rest: &str, width: usize) {
    let whole = format!("{indent}{content}");
    if whole.trim_end().width() <= width {
        lines.push(whole.trim_end().to_owned());
        return;
    }
    let mut line = indent.to_owned();
    let mut after_cut = false;
    for c in content.chars() {
        if after_cut && c.is_whitespace() {
            continue;
        }
        after_cut = false;
        let had_text = !line.trim().is_empty();
        line.push(c);
        if had_text && line.trim_end().width() > width {
            line.pop();
            lines.push(line.trim_end().to_owned());
            line = rest.to_owned();
            after_cut = c.is_whitespace();
            if !after_cut {
                line.push(c);
            }
        }
    }
    lines.push(line.trim_end().to_owned());
}

/// The bullet glyph for a nesting depth, so levels stay apart without colour.
pub fn bullet_glyph(depth: usize) -> &'static str {
    match depth {
        0 => "•",
        1 => "◦",
        _ => "▪",
    }
}

fn shown_marker(marker: &Marker, depth: usize) -> Cow<'_, str> {
    match marker {
        Marker::Bullet(_) => Cow::Borrowed(bullet_glyph(depth)),
        Marker::Numbered(written) => Cow::Borrowed(written.as_str()),
    }
}

/// Paragraphs stand apart from everything; items of one list follow each other directly.
fn needs_blank_between(previous: &Block, next: &Block) -> bool {
    matches!(previous, Block::Paragraph(_)) || matches!(next, Block::Paragraph(_))
}

/// Splits a list marker off the start of a line's content (already without indentation).
/// Escaped markers (`\*`, `2\.`) are text, which is why this looks at the raw line.
pub fn split_marker(content: &str) -> Option<(Marker, &str)> {
    if let Some(rest) = content.strip_prefix('•') {
        return Some((Marker::Bullet('•'), rest.trim_start()));
    }
    for bullet in ['*', '-', '+'] {
        if let Some(rest) = content.strip_prefix(bullet)
            && (rest.is_empty() || rest.starts_with(char::is_whitespace))
        {
            return Some((Marker::Bullet(bullet), rest.trim_start()));
        }
    }
    let token_end = content.find(char::is_whitespace).unwrap_or(content.len());
    let (token, rest) = content.split_at(token_end);
    is_numbered_marker(token).then(|| (Marker::Numbered(token.to_owned()), rest.trim_start()))
}

/// `1.`, `12)`, `1.2.`, `a.`, `B)`, `iv.`, `(3)`, `(b)`: an ordinal and its punctuation.
fn is_numbered_marker(token: &str) -> bool {
    let ordinal = if let Some(inner) = token.strip_prefix('(') {
        inner.strip_suffix(')')
    } else {
        token.strip_suffix('.').or_else(|| token.strip_suffix(')'))
    };
    ordinal.is_some_and(is_ordinal)
}

fn is_ordinal(s: &str) -> bool {
    let is_number = |part: &str| (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    let is_letter = s.len() == 1 && s.bytes().all(|b| b.is_ascii_alphabetic());
    // Only i, v and x: with l, c, d, m ordinary words ("mild.") would pass for numerals.
    let is_roman = (1..=6).contains(&s.len())
        && (s.bytes().all(|b| b"ivx".contains(&b)) || s.bytes().all(|b| b"IVX".contains(&b)));
    let is_outline = s.len() <= 8 && s.split('.').all(is_number);
    is_letter || is_roman || is_outline
}

/// The state of reading raw text line by line.
#[derive(Default)]
struct Parser {
    blocks: Vec<Block>,
    /// Indentation of the markers of the list items still open, outermost first.
    list_indents: Vec<usize>,
    /// A blank line came since the last block was extended.
    after_blank: bool,
    /// The last line ended with a markdown hard break (two spaces or a backslash).
    hard_break: bool,
}

impl Parser {
    fn line(&mut self, raw_line: &str) {
        let line = without_controls(raw_line);
        if line.trim().is_empty() {
            self.after_blank = true;
            self.hard_break = false;
            return;
        }
        let indent = indentation(&line);
        let content = line.trim_start();
        let (content, breaks_after) = split_hard_break(content);
        if let Some((marker, rest)) = split_marker(content) {
            self.start_item(indent, marker, rest);
        } else {
            self.text_line(indent, content);
        }
        self.hard_break = breaks_after;
        self.after_blank = false;
    }

    fn start_item(&mut self, indent: usize, marker: Marker, rest: &str) {
        while self.list_indents.last().is_some_and(|&open| open >= indent) {
            self.list_indents.pop();
        }
        let depth = self.list_indents.len();
        self.list_indents.push(indent);
        self.blocks.push(Block::Item { depth, marker, text: clean_text(rest) });
    }

    fn text_line(&mut self, indent: usize, content: &str) {
        let text = clean_text(content);
        let joiner = if self.after_blank || self.hard_break { "\n" } else { " " };
        match self.blocks.last_mut() {
            // Indented text after an item belongs to it, even past a blank line; unindented
            // text belongs to it only when it follows directly (markdown's lazy continuation).
            Some(Block::Item { text: item, .. }) if indent > 0 || !self.after_blank => {
                join_onto(item, joiner, &text);
            }
            Some(Block::Paragraph(paragraph)) if !self.after_blank => {
                join_onto(paragraph, joiner, &text);
            }
            _ => {
                if indent == 0 {
                    self.list_indents.clear();
                }
                self.blocks.push(Block::Paragraph(text));
            }
        }
    }
}

fn join_onto(target: &mut String, joiner: &str, text: &str) {
    if target.is_empty() {
        target.push_str(text);
    } else if !text.is_empty() {
        target.push_str(joiner);
        target.push_str(text);
    }
}

/// Control characters would move the cursor or colour the terminal; tabs become spaces.
fn without_controls(line: &str) -> Cow<'_, str> {
    if !line.chars().any(char::is_control) {
        return Cow::Borrowed(line);
    }
    let leading_tabs = line.chars().take_while(|c| *c == '\t').count();
    let mut out = " ".repeat(leading_tabs * TAB_INDENT);
    for c in line.chars().skip(leading_tabs) {
        if c == '\t' {
            out.push(' ');
        } else if !c.is_control() {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn indentation(line: &str) -> usize {
    line.chars().take_while(|c| c.is_whitespace()).count()
}

/// Markdown's hard line break: two trailing spaces or a trailing (unescaped) backslash.
fn split_hard_break(content: &str) -> (&str, bool) {
    if content.ends_with("  ") {
        return (content.trim_end(), true);
    }
    let trimmed = content.trim_end();
    match trimmed.strip_suffix('\\') {
        Some(before) if !before.ends_with('\\') => (before.trim_end(), true),
        _ => (trimmed, false),
    }
}

/// Collapses runs of whitespace, so wrapping sees single spaces. Escapes stay until the block
/// is complete ([`finish_block`]).
fn clean_text(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn item(depth: usize, marker: Marker, text: &str) -> Block {
        Block::Item { depth, marker, text: text.to_owned() }
    }

    fn numbered(written: &str) -> Marker {
        Marker::Numbered(written.to_owned())
    }

    fn assert_fits(lines: &[String], width: usize) {
        for line in lines {
            assert!(line.width() <= width, "{line:?} is wider than {width}");
            assert_eq!(line.trim_end(), line, "trailing whitespace in {line:?}");
        }
    }

    #[test]
    fn unescape_removes_backslashes_before_punctuation() {
        assert_eq!(unescape(r"age \>= 18 and \< 65"), "age >= 18 and < 65");
        assert_eq!(unescape(r"10\^6 cells \* 2"), "10^6 cells * 2");
        assert_eq!(unescape(r"\[NYHA\] class \_ \~ \# \- \+ \\"), r"[NYHA] class _ ~ # - + \");
        assert_eq!(unescape(r"C:\path stays"), r"C:\path stays");
        assert_eq!(unescape("trailing \\"), "trailing \\");
    }

    #[test]
    fn unescape_borrows_when_nothing_is_escaped() {
        assert!(matches!(unescape("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn any_line_end_reads_as_a_line_end() {
        let lf = "First line\nsame paragraph.\n\n* item\n  * nested\n* item two";
        let expected = parse(lf);
        assert_eq!(expected.len(), 4, "{expected:?}");
        assert_eq!(parse(&lf.replace('\n', "\r\n")), expected);
        assert_eq!(parse(&lf.replace('\n', "\r")), expected);
    }

    #[test]
    fn paragraphs_are_split_at_blank_lines() {
        let blocks = parse("First paragraph\nsame paragraph.\n\n\nSecond one.");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph("First paragraph same paragraph.".into()),
                Block::Paragraph("Second one.".into()),
            ]
        );
    }

    #[test]
    fn hard_breaks_are_kept_inside_a_paragraph() {
        let blocks = parse("Line one  \nline two\\\nline three");
        assert_eq!(blocks, vec![Block::Paragraph("Line one\nline two\nline three".into())]);
        let lines = wrap(&blocks, 40);
        assert_eq!(lines, vec!["Line one", "line two", "line three"]);
    }

    #[test]
    fn bullets_of_every_kind_are_items() {
        let blocks = parse("* star\n- dash\n+ plus\n• dot\n•glued");
        let texts: Vec<_> = [('*', "star"), ('-', "dash"), ('+', "plus"), ('•', "dot"), ('•', "glued")]
            .iter()
            .map(|(c, t)| item(0, Marker::Bullet(*c), t))
            .collect();
        assert_eq!(blocks, texts);
    }

    #[test]
    fn numbered_markers_are_kept_as_written() {
        let blocks = parse("1. one\n2) two\na. three\nB) four\niv. five\n(3) six\n2.1. seven");
        let markers: Vec<_> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Item { marker: Marker::Numbered(m), .. } => Some(m.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(markers, ["1.", "2)", "a.", "B)", "iv.", "(3)", "2.1."]);
    }

    #[test]
    fn things_that_only_look_like_markers_are_text() {
        for text in [
            "2.5 to 18 years of age",
            "**bold** start",
            "-4.1 a negative number",
            "mild. a word",
            "1999. a year",
            r"\* escaped star",
            r"2\. escaped number",
        ] {
            assert!(matches!(parse(text).as_slice(), [Block::Paragraph(_)]), "{text:?} became an item");
        }
    }

    #[test]
    fn indentation_nests_items() {
        let raw = "* top\n\n  * child\n  * child two\n\n    * grandchild\n* top two\n\n   1. numbered child";
        assert_eq!(
            parse(raw),
            vec![
                item(0, Marker::Bullet('*'), "top"),
                item(1, Marker::Bullet('*'), "child"),
                item(1, Marker::Bullet('*'), "child two"),
                item(2, Marker::Bullet('*'), "grandchild"),
                item(0, Marker::Bullet('*'), "top two"),
                item(1, numbered("1."), "numbered child"),
            ]
        );
    }

    #[test]
    fn a_less_indented_item_closes_deeper_levels() {
        let raw = "* a\n    * deep\n  * middle";
        assert_eq!(
            parse(raw),
            vec![
                item(0, Marker::Bullet('*'), "a"),
                item(1, Marker::Bullet('*'), "deep"),
                item(1, Marker::Bullet('*'), "middle"),
            ]
        );
    }

    #[test]
    fn continuation_lines_join_their_item() {
        let raw = "1. Screening labs:\n   within range\n\n   Second paragraph of it.\nlazy line\n\nAfter.";
        assert_eq!(
            parse(raw),
            vec![
                item(0, numbered("1."), "Screening labs: within range\nSecond paragraph of it. lazy line"),
                Block::Paragraph("After.".into()),
            ]
        );
    }

    #[test]
    fn a_paragraph_after_a_list_resets_nesting() {
        let raw = "* a\n  * b\n\nText\n\n  * c";
        assert_eq!(
            parse(raw),
            vec![
                item(0, Marker::Bullet('*'), "a"),
                item(1, Marker::Bullet('*'), "b"),
                Block::Paragraph("Text".into()),
                item(0, Marker::Bullet('*'), "c"),
            ]
        );
    }

    #[test]
    fn escapes_are_removed_in_items_and_paragraphs() {
        let raw = "* platelets \\>= 100 x 10\\^9/L\n\nANC \\< 1.5 \\[local lab\\]";
        assert_eq!(
            parse(raw),
            vec![
                item(0, Marker::Bullet('*'), "platelets >= 100 x 10^9/L"),
                Block::Paragraph("ANC < 1.5 [local lab]".into()),
            ]
        );
    }

    #[test]
    fn empty_and_blank_input_give_nothing() {
        assert!(parse("").is_empty());
        assert!(parse(" \n\t\n  \r\n").is_empty());
        assert!(render("", 80).is_empty());
        assert!(render("   \n\n ", 0).is_empty());
    }

    #[test]
    fn wrap_uses_hanging_indents_and_depth_glyphs() {
        let raw = "Intro text.\n\n* first item that is long enough to wrap\n  * nested item that also wraps around\n    * deepest\n\n1) numbered item wraps too\n\nClosing.";
        let lines = render(raw, 24);
        assert_eq!(
            lines,
            vec![
                "Intro text.",
                "",
                "• first item that is",
                "  long enough to wrap",
                "  ◦ nested item that",
                "    also wraps around",
                "    ▪ deepest",
                "1) numbered item wraps",
                "   too",
                "",
                "Closing.",
            ]
        );
        assert_fits(&lines, 24);
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let raw = "* 患者は十八歳以上であること。同意書に署名した者。";
        let lines = render(raw, 12);
        assert_fits(&lines, 12);
        assert!(lines.len() > 2);
        assert!(lines.iter().skip(1).all(|l| l.starts_with("  ")));
        let joined: String = lines.iter().map(|l| l.trim_start_matches(['•', ' '])).collect();
        assert_eq!(joined, "患者は十八歳以上であること。同意書に署名した者。");
    }

    #[test]
    fn tiny_widths_are_widened_and_long_words_broken() {
        let raw = "* supercalifragilisticexpialidocious\n          * deeply nested item";
        for width in [0, 1, 5, 10] {
            let lines = render(raw, width);
            assert_fits(&lines, MIN_WIDTH);
            assert!(!lines.is_empty());
        }
    }

    #[test]
    fn deep_nesting_keeps_room_for_text() {
        let raw: String = (0..30).map(|d| format!("{}* level {d}\n", " ".repeat(d * 2))).collect();
        let lines = render(&raw, 20);
        assert_fits(&lines, 20);
        assert!(lines.iter().any(|l| l.contains("level 29")));
    }

    #[test]
    fn control_characters_are_dropped_and_tabs_indent() {
        let raw = "\u{1b}[31mred\u{1b}[0m\n\n* a\n\t* tabbed child";
        assert_eq!(
            parse(raw),
            vec![
                Block::Paragraph("[31mred[0m".into()),
                item(0, Marker::Bullet('*'), "a"),
                item(1, Marker::Bullet('*'), "tabbed child"),
            ]
        );
    }

    #[test]
    fn emphasis_asterisks_are_dropped() {
        assert_eq!(
            parse("Take *one* tablet, **not** two."),
            vec![Block::Paragraph("Take one tablet, not two.".into())]
        );
        assert_eq!(render("**Inclusion Criteria:**", 40), ["Inclusion Criteria:"]);
        assert_eq!(render("(*see* the \"*label*\")", 40), ["(see the \"label\")"]);
        assert_eq!(render("**bold *and* italic** text", 40), ["bold and italic text"]);
        assert_eq!(render("*Note*: fasting ≥*8 hours*", 40), ["Note: fasting ≥8 hours"]);
    }

    #[test]
    fn emphasis_pairs_within_a_paragraph_only() {
        assert_eq!(
            render("*starts on one line\nends on the next*", 40),
            ["starts on one line ends on the next"]
        );
        assert_eq!(
            parse("*one paragraph\n\nanother*"),
            vec![Block::Paragraph("*one paragraph".into()), Block::Paragraph("another*".into())]
        );
        assert_eq!(
            parse("* *first\n\n  second* part"),
            vec![item(0, Marker::Bullet('*'), "*first\nsecond* part")]
        );
        assert_eq!(parse("*hard  \nbreak*"), vec![Block::Paragraph("*hard\nbreak*".into())]);
    }

    #[test]
    fn unpaired_runs_by_the_thousand_keep_their_asterisks_and_pairs_still_pair() {
        // Many openers of one asterisk, then many closers of two that find none: each closer
        // once searched every opener, so 400 KB of this took seconds.
        let count = 20_000;
        let raw = format!("{}{}**x** *y*", "*a ".repeat(count), "b** ".repeat(count));
        let shown = shown_text(&raw);
        assert_eq!(shown.matches('*').count(), count * 3, "only the last two pairs are emphasis");
        assert!(shown.ends_with("b** x y"), "{}", &shown[shown.len() - 20..]);
        // Interleaved runs do not pair across each other, as before.
        assert_eq!(shown_text("*a **b* c**"), "a **b c**");
    }

    #[test]
    fn a_paragraph_of_many_thousand_words_wraps_whole_in_runs() {
        for count in [WRAP_CHUNK - 1, WRAP_CHUNK, 3 * WRAP_CHUNK + 7] {
            let words: Vec<String> = (0..count).map(|n| format!("w{n}")).collect();
            let lines = hanging(&words.join(" "), "1.", 0, 40);
            assert!(lines.iter().all(|l| !l.trim().is_empty() && l.width() <= 40), "{count}");
            assert!(lines.first().is_some_and(|l| l.starts_with("1. w0 ")));
            assert!(lines.iter().skip(1).all(|l| l.starts_with("   w")), "{count}: hanging indent kept");
            let back: Vec<&str> =
                lines.iter().flat_map(|l| l.split_whitespace()).filter(|w| *w != "1.").collect();
            assert_eq!(back, words, "{count}: every word once, in order");
        }
    }

    #[test]
    fn bullets_keep_their_marker_and_emphasis_inside_goes() {
        assert_eq!(
            parse("* *word* in an item\n* plain\n  * **nested** too"),
            vec![
                item(0, Marker::Bullet('*'), "word in an item"),
                item(0, Marker::Bullet('*'), "plain"),
                item(1, Marker::Bullet('*'), "nested too"),
            ]
        );
        assert_eq!(render("* *", 20), ["• *"]);
    }

    #[test]
    fn asterisks_that_do_not_pair_around_words_stay() {
        for text in [
            "2 * 3 = 6 and 4 * 5 = 20",
            "2*3*4 and a*b*c",
            "dose* see footnote *",
            "(*) marked twice (*)",
            "*see appendix",
            "value 5* and 6*",
            "***three***",
            "**unbalanced*",
            "* * not a pair *",
        ] {
            assert_eq!(render(&format!("x {text}"), 80), [format!("x {text}")], "{text:?}");
        }
    }

    #[test]
    fn escaped_asterisks_are_never_emphasis() {
        assert_eq!(render(r"\*not\* emphasis", 40), ["*not* emphasis"]);
        assert_eq!(render(r"\*\*not\*\* strong", 40), ["**not** strong"]);
        assert_eq!(render(r"*half\*", 40), ["*half*"]);
        assert_eq!(render(r"\\*word*", 40), [r"\word"]);
    }

    #[test]
    fn widths_are_unicode_widths_of_whole_sequences() {
        // Each heart with its emoji variation selector is two columns, not the one its first
        // character alone measures; the selector stays with its heart.
        let hearts = "\u{2764}\u{fe0f}".repeat(10);
        for width in [10, 11, 13] {
            let lines = render(&hearts, width);
            assert_fits(&lines, width);
            assert_eq!(lines.concat(), hearts);
            assert!(lines.iter().all(|l| !l.starts_with('\u{fe0f}')), "{lines:?}");
        }
        let family = "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}".repeat(8);
        let lines = render(&family, 10);
        assert_fits(&lines, 10);
        assert_eq!(lines.concat(), family);
        assert!(lines.iter().all(|l| !l.starts_with('\u{1f469}')), "{lines:?}");
    }

    #[test]
    fn long_words_are_cut_by_display_width() {
        let word = "abcdefghij".repeat(3);
        let lines = hanging(&format!("see {word} now"), "1.", 0, 13);
        assert_eq!(lines, ["1. see", "   abcdefghij", "   abcdefghij", "   abcdefghij", "   now"]);
        // Thai has no spaces between words; wide characters must not straddle the edge.
        let lines = hanging(&"กขค\u{1f600}".repeat(6), "", 0, 11);
        assert_fits(&lines, 11);
        assert!(lines.len() > 2, "{lines:?}");
    }

    #[test]
    fn hyphenated_words_break_after_their_hyphens() {
        assert_eq!(hanging("Aiko Brandt-Yamamoto, MD", "", 0, 17), ["Aiko Brandt-", "Yamamoto, MD"]);
        assert_eq!(
            hanging("Fluorine-18 labelled FAP ligand", "", 0, 10),
            ["Fluorine-", "18", "labelled", "FAP ligand"]
        );
    }

    #[test]
    fn a_marker_wider_than_the_line_gets_a_line_of_its_own() {
        let lines = hanging("some words here", "NCT01234567", 0, 10);
        assert_eq!(lines, ["NCT01234567", "     some", "     words", "     here"]);
        let lines = hanging("Title", "NCT01234567", 0, 20);
        assert_eq!(lines, ["NCT01234567 Title"]);
    }

    /// Text made of what trips wrapping up: wide characters, sequences that measure differently
    /// whole than in pieces, long runs without a break, markup.
    fn tricky_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            prop::sample::select(vec![
                " ",
                " ",
                "\n",
                "\n\n",
                "* ",
                "  - ",
                "1. ",
                "word",
                "*",
                "**",
                "\\*",
                "2 * 3",
                "\u{2764}\u{fe0f}",
                "\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}",
                "\u{1f44d}\u{1f3fd}",
                "a\u{301}",
                "\u{fe0f}",
                "\u{200d}",
                "患者",
                "ｆｕｌｌ",
                "กขค",
                "\u{1f600}",
                "-",
                "/",
                "\u{644}\u{627}",
                "\u{a0}",
                "\u{3000}",
                "\t",
            ])
            .prop_map(str::to_owned),
            "[a-z]{1,30}",
            "\\PC{1,8}",
        ];
        prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn rendered_text_fits_any_width(raw in tricky_text(), width in 0usize..60) {
            let lines = render(&raw, width);
            assert_fits(&lines, width.max(MIN_WIDTH));
        }

        #[test]
        fn hanging_text_fits_any_width(
            text in tricky_text(),
            marker in prop::sample::select(vec!["", "1.", "10.", "•", "iv)", "(12)", "1.2.3.4."]),
            indent in 0usize..30,
            width in 0usize..60,
        ) {
            let lines = hanging(&text, marker, indent, width);
            assert_fits(&lines, width.max(MIN_WIDTH));
            let shown: String = lines.concat().chars().filter(|c| !c.is_whitespace()).collect();
            let written: String = format!("{marker}{text}").chars().filter(|c| !c.is_whitespace()).collect();
            prop_assert_eq!(shown, written);
        }
    }

    #[test]
    fn empty_items_do_not_break_layout() {
        let lines = render("-\n* \n* real", 30);
        assert_eq!(lines, vec!["•", "•", "• real"]);
    }
}
