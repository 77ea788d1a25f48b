//! The registry's text markup: how free-text fields (summaries, descriptions, eligibility,
//! outcome descriptions) are written, and how to show them in a terminal.
//!
//! The registry stores these fields as a small markdown dialect: backslash escapes (`\>=`,
//! `\^6`), bullet and numbered lists nested by indentation, blank lines between paragraphs. This
//! module reads that dialect into [`Block`]s (a flat list: nesting is a depth, because that is
//! all a terminal needs) and wraps them into lines of a given display width with hanging
//! indents. It never fails: whatever the text holds, every word of it comes out again.
//! Markdown output does not come through here; it keeps the raw text.

use std::borrow::Cow;

use unicode_width::UnicodeWidthStr;

/// Narrower than this and wrapping stops being readable; narrower requests are treated as this.
pub const MIN_WIDTH: usize = 10;

/// Columns a tab stands for when it indents a line.
const TAB_INDENT: usize = 4;

/// Extra indentation per nesting level of a list.
const NEST_INDENT: usize = 2;

/// One unit of text as the registry lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Running text, unescaped. A `'\n'` inside is a hard line break the author asked for.
    Paragraph(String),
    /// A list item; `depth` 0 is the outermost level. The text is unescaped, its continuation
    /// lines joined; a `'\n'` inside separates paragraphs of the same item.
    Item { depth: usize, marker: Marker, text: String },
}

/// How a list item was marked in the raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// `*`, `-`, `+` or `•`: shown as a bullet glyph chosen by depth.
    Bullet,
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
    for line in raw.split(['\n', '\r']) {
        parser.line(line);
    }
    parser.blocks
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
pub fn hanging(text: &str, marker: &str, indent: usize, width: usize) -> Vec<String> {
    let width = width.max(MIN_WIDTH);
    let marker_width = marker.width();
    let gap = usize::from(marker_width > 0);
    // Deep nesting must not squeeze the text under a few columns: keep the text column within
    // the left half of the line.
    let indent = indent.min((width / 2).saturating_sub(marker_width + gap));
    let first = format!("{}{}{}", " ".repeat(indent), marker, " ".repeat(gap));
    let rest = " ".repeat(indent + marker_width + gap);
    let mut lines = Vec::new();
    for (i, part) in text.split('\n').enumerate() {
        let initial = if i == 0 { first.as_str() } else { rest.as_str() };
        let options = textwrap::Options::new(width).initial_indent(initial).subsequent_indent(&rest);
        let wrapped = textwrap::wrap(part, options);
        if wrapped.is_empty() {
            lines.push(initial.trim_end().to_owned());
        }
        lines.extend(wrapped.into_iter().map(|l| l.trim_end().to_owned()));
    }
    lines
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
        Marker::Bullet => Cow::Borrowed(bullet_glyph(depth)),
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
        return Some((Marker::Bullet, rest.trim_start()));
    }
    for bullet in ['*', '-', '+'] {
        if let Some(rest) = content.strip_prefix(bullet)
            && (rest.is_empty() || rest.starts_with(char::is_whitespace))
        {
            return Some((Marker::Bullet, rest.trim_start()));
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

/// Unescapes and collapses runs of whitespace, so wrapping sees single spaces.
fn clean_text(raw: &str) -> String {
    unescape(raw).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let texts: Vec<_> =
            ["star", "dash", "plus", "dot", "glued"].iter().map(|t| item(0, Marker::Bullet, t)).collect();
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
                item(0, Marker::Bullet, "top"),
                item(1, Marker::Bullet, "child"),
                item(1, Marker::Bullet, "child two"),
                item(2, Marker::Bullet, "grandchild"),
                item(0, Marker::Bullet, "top two"),
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
                item(0, Marker::Bullet, "a"),
                item(1, Marker::Bullet, "deep"),
                item(1, Marker::Bullet, "middle"),
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
                item(0, Marker::Bullet, "a"),
                item(1, Marker::Bullet, "b"),
                Block::Paragraph("Text".into()),
                item(0, Marker::Bullet, "c"),
            ]
        );
    }

    #[test]
    fn escapes_are_removed_in_items_and_paragraphs() {
        let raw = "* platelets \\>= 100 x 10\\^9/L\n\nANC \\< 1.5 \\[local lab\\]";
        assert_eq!(
            parse(raw),
            vec![
                item(0, Marker::Bullet, "platelets >= 100 x 10^9/L"),
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
                item(0, Marker::Bullet, "a"),
                item(1, Marker::Bullet, "tabbed child"),
            ]
        );
    }

    #[test]
    fn empty_items_do_not_break_layout() {
        let lines = render("-\n* \n* real", 30);
        assert_eq!(lines, vec!["•", "•", "• real"]);
    }
}
