//! Text from the input made safe for a terminal: the one step between a record, a file name or
//! a note and the screen.
//!
//! A record is someone else's text. A title holding `ESC ] 52 ; c ; …` would write the user's
//! clipboard, `ESC ] 0 ;` rename the window, a title cut inside a sequence leave the terminal in
//! it, and a right-to-left override reorder what follows. So C0 and C1 controls, DEL and the bidi
//! overrides are shown as characters (`␛`, `␡`, `\u{9b}`, `\u{202e}`), never emitted; newline
//! and tab stay where layout wants them.
//!
//! [`SafeText`] is what the command line's writer accepts: the only way to put an escape
//! sequence into one is a method for a sequence the project emits itself ([`SafeText::push_link`]),
//! so a field added later cannot slip a raw control through. JSON keeps its exact values: a
//! character that cannot be shown goes out as a JSON escape (`\u009b`), which parses back to
//! the same string.

use std::borrow::Cow;

/// Whether `c` must never reach a terminal as itself: C0 and C1 controls, DEL, and the bidi
/// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). Newline and tab are among
/// them; [`visible`] keeps those for layout.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character shown instead (see [`shown_as`]); newlines, tabs and the
/// carriage return of a `\r\n` line end stay, for layout, and a lone carriage return (the old Mac
/// line end, which some records use) is a newline, as the readers take it. Borrowed when there is
/// nothing to show.
pub fn visible(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, |c, next| match c {
        '\n' | '\t' => Some(Cow::Borrowed(if c == '\n' { "\n" } else { "\t" })),
        '\r' if next == Some('\n') => Some(Cow::Borrowed("\r")),
        '\r' => Some(Cow::Borrowed("\n")),
        _ => None,
    })
}

/// `text` for one line (a table cell, a list row): line breaks and tabs become spaces, every
/// other unsafe character is shown.
pub fn visible_line(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, |c, _| matches!(c, '\n' | '\t' | '\r').then_some(Cow::Borrowed(" ")))
}

/// JSON text with every unsafe character written as a JSON escape (`\u001b`, `\u202e`), so the
/// value read back is exactly the one written, and a terminal showing the JSON is not steered
/// by it. Outside strings JSON holds only whitespace, where a lone carriage return becomes a
/// newline (the same whitespace to a parser, and it cannot overwrite a line on screen).
pub fn json_visible(json: &str) -> Cow<'_, str> {
    replace_unsafe(json, |c, next| match c {
        '\n' => Some(Cow::Borrowed("\n")),
        '\t' => Some(Cow::Borrowed("\t")),
        '\r' if next == Some('\n') => Some(Cow::Borrowed("\r")),
        '\r' => Some(Cow::Borrowed("\n")),
        _ => Some(Cow::Owned(format!("\\u{:04x}", u32::from(c)))),
    })
}

/// How an unsafe character is shown: a C0 control as its control picture (`␛` for ESC, one
/// column like the character it stands for), DEL as `␡`, the others as `\u{9b}`.
pub fn shown_as(c: char) -> Cow<'static, str> {
    let code = u32::from(c);
    match code {
        0..=0x1f => char::from_u32(0x2400 + code).map_or(Cow::Borrowed("\u{fffd}"), |p| Cow::Owned(p.into())),
        0x7f => Cow::Borrowed("\u{2421}"),
        _ => Cow::Owned(format!("\\u{{{code:x}}}")),
    }
}

/// Copies `text`, replacing each unsafe character with what `keep` says (given the character
/// after it), or with [`shown_as`] when `keep` says nothing.
fn replace_unsafe<'a>(
    text: &'a str,
    keep: impl Fn(char, Option<char>) -> Option<Cow<'static, str>>,
) -> Cow<'a, str> {
    let Some(first) = text.find(is_unsafe) else { return Cow::Borrowed(text) };
    let (clean, rest) = text.split_at(first);
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(clean);
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if is_unsafe(c) {
            let shown = keep(c, chars.peek().copied()).unwrap_or_else(|| shown_as(c));
            out.push_str(&shown);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text fit for a terminal. Whatever is pushed is made [`visible`]; escape sequences get in
/// only through the methods for those the project writes itself. The command line prints
/// nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SafeText(String);

impl SafeText {
    pub fn new() -> SafeText {
        SafeText::default()
    }

    /// Text for people: unsafe characters shown (newlines and tabs kept).
    pub fn text(text: &str) -> SafeText {
        SafeText(visible(text).into_owned())
    }

    /// JSON, its values kept exact (see [`json_visible`]).
    pub fn json(json: &str) -> SafeText {
        SafeText(json_visible(json).into_owned())
    }

    pub fn push(&mut self, text: &str) {
        self.0.push_str(&visible(text));
    }

    /// `label` as an OSC 8 hyperlink to `url`, which terminals show as the label and open on a
    /// click. Neither part can end the sequence early: unsafe characters in them are shown.
    pub fn push_link(&mut self, url: &str, label: &str) {
        let url = visible_line(url);
        let label = visible_line(label);
        self.0.push_str(&format!("\x1b]8;;{url}\x1b\\{label}\x1b]8;;\x1b\\"));
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for SafeText {
    fn from(text: &str) -> SafeText {
        SafeText::text(text)
    }
}

impl From<&String> for SafeText {
    fn from(text: &String) -> SafeText {
        SafeText::text(text)
    }
}

impl From<String> for SafeText {
    fn from(text: String) -> SafeText {
        match visible(&text) {
            Cow::Borrowed(_) => SafeText(text),
            Cow::Owned(shown) => SafeText(shown),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// Every character the brief names, in one string.
    const HOSTILE: &str =
        "a\x1b]52;c;aGk=\x07b\x1b]0;owned\x1b\\c\u{9b}31md\x7fe\u{202e}f\u{2066}g\x00h\x1b[";

    fn no_raw_controls(text: &str, allowed: &[char]) {
        for c in text.chars() {
            assert!(!is_unsafe(c) || allowed.contains(&c), "{c:?} in {text:?}");
        }
    }

    #[test]
    fn controls_and_overrides_are_shown_not_emitted() {
        let shown = visible(HOSTILE);
        no_raw_controls(&shown, &[]);
        assert_eq!(shown, "a␛]52;c;aGk=␇b␛]0;owned␛\\c\\u{9b}31md␡e\\u{202e}f\\u{2066}g␀h␛[");
    }

    #[test]
    fn layout_keeps_newlines_and_tabs_and_a_lone_carriage_return_ends_a_line() {
        assert_eq!(visible("a\nb\tc\r\nd\re"), "a\nb\tc\r\nd\ne");
        assert_eq!(visible_line("a\nb\tc\r\nd"), "a b c  d");
        assert!(matches!(visible("plain — text, 日本"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_escapes_keep_the_value() {
        let original = serde_json::json!({ "title": HOSTILE, "c1": "\u{85}\u{9f}" });
        let written = serde_json::to_string_pretty(&original).unwrap();
        let safe = json_visible(&written);
        no_raw_controls(&safe, &['\n']);
        let read: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(read, original);
        // Raw C1 and bidi characters are valid inside JSON strings; they go out escaped.
        let raw = "{\"t\": \"x\u{9b}y\u{202e}\"}\r";
        assert_eq!(json_visible(raw), "{\"t\": \"x\\u009by\\u202e\"}\n");
    }

    #[test]
    fn the_only_escapes_in_safe_text_are_its_own() {
        let mut out = SafeText::from(HOSTILE);
        out.push(HOSTILE);
        no_raw_controls(out.as_str(), &[]);
        out.push_link("https://example.org/\x1b\\", "NCT1\x07");
        let link = "\x1b]8;;https://example.org/␛\\\x1b\\NCT1␇\x1b]8;;\x1b\\";
        assert!(out.as_str().ends_with(link), "{:?}", out.as_str());
        assert_eq!(out.as_str().matches('\x1b').count(), 4);
    }
}
