//! The text export this project grew from: "Viewing Study NCT…", a few header lines, then
//! "Raw JSON" followed by the record written as a Python literal (`repr()` of a dict): strings in
//! single quotes (double when the text holds `'`), escapes such as `\n`, `\\`, `\'`, `\xa0`,
//! `\u2265`, and `True`/`False`/`None`. This module converts that literal to JSON text.
//!
//! Only the literal forms `repr()` produces for JSON-like data are accepted: dicts, lists,
//! tuples, strings (with adjacent-string concatenation), ints, floats, booleans and None. Anything
//! else is an error with its byte offset, never a guess.

use std::fmt;

/// A mistake in the literal, at a byte offset into the text after "Raw JSON".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiteralError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for LiteralError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {} of the Python literal)", self.message, self.offset)
    }
}

/// Whether the first bytes of an input file look like the text export.
pub fn looks_like_export(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.trim_start().starts_with("Viewing Study") || text.split(LINE_ENDS).any(|l| l.trim() == "Raw JSON")
}

/// Line ends as editors write them: `\n`, `\r\n` (Windows) and a lone `\r` (classic Mac OS).
/// Splitting on either byte alone gives an empty line between `\r` and `\n`, which no search
/// here minds.
const LINE_ENDS: [char; 2] = ['\n', '\r'];

/// The JSON text of a whole export input file.
pub fn export_to_json(text: &str) -> Result<String, LiteralError> {
    let Some(after) = after_raw_json_line(text) else {
        return Err(LiteralError {
            offset: 0,
            message: "no \"Raw JSON\" line: this text export holds no record".into(),
        });
    };
    to_json(text.get(after..).unwrap_or_default())
}

/// The byte offset just after the "Raw JSON" line's text (before its line end), whatever the
/// line ends are.
fn after_raw_json_line(text: &str) -> Option<usize> {
    let mut start = 0;
    for line in text.split(LINE_ENDS) {
        if line.trim() == "Raw JSON" {
            return Some(start + line.len());
        }
        start += line.len() + 1;
    }
    None
}

/// Converts one Python literal (with surrounding whitespace) to JSON text.
pub fn to_json(literal: &str) -> Result<String, LiteralError> {
    let mut p = Parser {
        src: literal.as_bytes(),
        text: literal,
        pos: 0,
        out: String::with_capacity(literal.len()),
        depth: 0,
    };
    p.skip_ws();
    if p.peek().is_none() {
        return Err(p.error("the Python literal after \"Raw JSON\" is empty"));
    }
    p.value()?;
    p.skip_ws();
    if let Some(c) = p.peek() {
        return Err(p.error(&format!("unexpected '{}' after the end of the literal", c as char)));
    }
    Ok(p.out)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    out: String,
    depth: usize,
}

/// Deeper nesting than any study record has; stops a hostile input from overflowing the stack.
const MAX_DEPTH: usize = 256;

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn error(&self, message: &str) -> LiteralError {
        LiteralError { offset: self.pos, message: message.to_string() }
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<(), LiteralError> {
        self.skip_ws();
        match self.peek() {
            None => Err(self.error("the literal ends too early (truncated?)")),
            Some(b'{') => self.container(b'{', b'}', true),
            Some(b'[') => self.container(b'[', b']', false),
            Some(b'(') => self.container(b'(', b')', false),
            Some(b'\'' | b'"') => self.strings(),
            Some(b) if b == b'-' || b == b'+' || b == b'.' || b.is_ascii_digit() => self.number(),
            Some(b) if b.is_ascii_alphabetic() => self.keyword(),
            Some(_) => {
                let c = self.text.get(self.pos..).and_then(|rest| rest.chars().next()).unwrap_or('?');
                Err(self.error(&format!("unexpected {c:?}")))
            }
        }
    }

    fn container(&mut self, open: u8, close: u8, is_dict: bool) -> Result<(), LiteralError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.pos += 1;
        self.out.push(if is_dict { '{' } else { '[' });
        let mut first = true;
        loop {
            self.skip_ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                break;
            }
            if !first {
                if self.peek() != Some(b',') {
                    return Err(self.error(&format!("expected ',' or '{}'", close as char)));
                }
                self.pos += 1;
                self.skip_ws();
                // Python allows a trailing comma.
                if self.peek() == Some(close) {
                    self.pos += 1;
                    break;
                }
                self.out.push(',');
            }
            first = false;
            if is_dict {
                self.skip_ws();
                if !matches!(self.peek(), Some(b'\'' | b'"')) {
                    return Err(self.error("expected a quoted key"));
                }
                self.strings()?;
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.error("expected ':' after a key"));
                }
                self.pos += 1;
                self.out.push(':');
            }
            self.value()?;
        }
        let _ = open;
        self.out.push(if is_dict { '}' } else { ']' });
        self.depth -= 1;
        Ok(())
    }

    /// One string, or several adjacent ones (Python joins `'a' 'b'`).
    fn strings(&mut self) -> Result<(), LiteralError> {
        let mut value = String::new();
        loop {
            self.string(&mut value)?;
            let save = self.pos;
            self.skip_ws();
            if !matches!(self.peek(), Some(b'\'' | b'"')) {
                self.pos = save;
                break;
            }
        }
        self.out.push_str(&serde_json::Value::String(value).to_string());
        Ok(())
    }

    fn string(&mut self, value: &mut String) -> Result<(), LiteralError> {
        let Some(quote) = self.peek() else {
            return Err(self.error("expected a string"));
        };
        let start = self.pos;
        self.pos += 1;
        loop {
            // Copy the run of plain characters at once (keeps multi-byte UTF-8 intact).
            let run_end = self
                .src
                .get(self.pos..)
                .and_then(|rest| {
                    rest.iter().position(|&b| b == quote || b == b'\\' || b == b'\n' || b == b'\r')
                })
                .map(|i| self.pos + i);
            let Some(end) = run_end else {
                self.pos = start;
                return Err(self.error("unclosed string (truncated?)"));
            };
            value.push_str(self.text.get(self.pos..end).unwrap_or_default());
            self.pos = end;
            match self.peek() {
                Some(b) if b == quote => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\n' | b'\r') => {
                    self.pos = start;
                    return Err(self.error("unclosed string: a line ends inside it"));
                }
                _ => self.escape(value)?,
            }
        }
    }

    fn escape(&mut self, value: &mut String) -> Result<(), LiteralError> {
        self.pos += 1;
        // The whole character after the backslash: it may take several bytes.
        let Some(c) = self.text.get(self.pos..).and_then(|rest| rest.chars().next()) else {
            return Err(self.error("unfinished escape"));
        };
        self.pos += c.len_utf8();
        match c {
            'n' => value.push('\n'),
            't' => value.push('\t'),
            'r' => value.push('\r'),
            '0' => value.push('\0'),
            'a' => value.push('\u{7}'),
            'b' => value.push('\u{8}'),
            'f' => value.push('\u{c}'),
            'v' => value.push('\u{b}'),
            '\\' | '\'' | '"' => value.push(c),
            // A backslash at the end of a line continues the string on the next, whatever the
            // line end.
            '\n' => {}
            '\r' => {
                if self.peek() == Some(b'\n') {
                    self.pos += 1;
                }
            }
            'x' => value.push(self.code_point(2)?),
            'u' => value.push(self.code_point(4)?),
            'U' => value.push(self.code_point(8)?),
            other => {
                // Python keeps unknown escapes as written: `\é` is a backslash and `é`.
                value.push('\\');
                value.push(other);
            }
        }
        Ok(())
    }

    fn code_point(&mut self, digits: usize) -> Result<char, LiteralError> {
        let rest = self.text.get(self.pos..).unwrap_or_default();
        let hex: String = rest.chars().take(digits).collect();
        if hex.chars().count() < digits {
            return Err(self.error("unfinished escape"));
        }
        // Checked here: `from_str_radix` would take a sign.
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(self.error(&format!("bad escape digits {hex:?}")));
        }
        let n =
            u32::from_str_radix(&hex, 16).map_err(|_| self.error(&format!("bad escape digits {hex:?}")))?;
        self.pos += digits;
        char::from_u32(n).ok_or_else(|| self.error(&format!("escape \\{hex} is not a character")))
    }

    fn number(&mut self) -> Result<(), LiteralError> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.' | b'_'))
        {
            self.pos += 1;
        }
        let raw = self.text.get(start..self.pos).unwrap_or_default().replace('_', "");
        let raw = raw.strip_prefix('+').unwrap_or(&raw);
        // Python writes 1.0 as "1.0" and 1e-05 as "1e-05", both valid JSON once checked.
        match serde_json::from_str::<serde_json::Number>(raw) {
            Ok(n) => {
                self.out.push_str(&n.to_string());
                Ok(())
            }
            Err(_) => {
                self.pos = start;
                Err(self.error(&format!("not a number JSON can hold: \"{raw}\"")))
            }
        }
    }

    fn keyword(&mut self) -> Result<(), LiteralError> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.pos += 1;
        }
        match self.text.get(start..self.pos).unwrap_or_default() {
            "True" => self.out.push_str("true"),
            "False" => self.out.push_str("false"),
            "None" => self.out.push_str("null"),
            word => {
                self.pos = start;
                return Err(self
                    .error(&format!("unexpected name \"{word}\" (only True, False and None are literals)")));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn convert(literal: &str) -> Value {
        serde_json::from_str(&to_json(literal).unwrap()).unwrap()
    }

    #[test]
    fn converts_every_form_repr_writes() {
        let v = convert(
            r#"{'a': 'single', "b": "it's", 'c': True, 'd': False, 'e': None, 'f': [1, -2.5, 1e-05], 'g': (1,), 'h': {},}"#,
        );
        assert_eq!(
            v,
            json!({"a": "single", "b": "it's", "c": true, "d": false, "e": null, "f": [1, -2.5, 1e-05], "g": [1], "h": {}})
        );
    }

    #[test]
    fn decodes_escapes() {
        let v = convert(r"{'t': 'line\none \\ it\'s \xa0nbsp \u2265 18 \U0001F600 \q'}");
        assert_eq!(v["t"], "line\none \\ it's \u{a0}nbsp ≥ 18 😀 \\q");
    }

    #[test]
    fn keeps_non_ascii_text_as_is() {
        assert_eq!(convert("['北京协和医院', 'Zürich']"), json!(["北京协和医院", "Zürich"]));
    }

    #[test]
    fn joins_adjacent_strings() {
        assert_eq!(convert("{'k': 'a' 'b'}"), json!({"k": "ab"}));
    }

    #[test]
    fn errors_say_where() {
        let e = to_json("{'a': 'unclosed}").unwrap_err();
        assert_eq!(e.offset, 6);
        assert!(e.message.contains("unclosed string"), "{e}");
        let e = to_json("{'a': nan}").unwrap_err();
        assert!(e.message.contains("nan"), "{e}");
        let e = to_json("{'a': 1").unwrap_err();
        assert!(e.message.contains("expected ','"), "{e}");
        assert!(to_json("  ").is_err());
        assert!(to_json(&"[".repeat(10_000)).unwrap_err().message.contains("deeply"));
    }

    #[test]
    fn finds_the_literal_after_raw_json() {
        let doc = "Viewing Study NCT00000001\n\nStatus: X\n\nRaw JSON\n\n{'hasResults': False}\n";
        assert!(looks_like_export(doc.as_bytes()));
        assert_eq!(export_to_json(doc).unwrap(), r#"{"hasResults":false}"#);
        assert!(export_to_json("Viewing Study NCT1\nno literal").is_err());
    }

    #[test]
    fn keeps_a_backslash_before_any_character_as_python_does() {
        // Python keeps an unknown escape as the backslash and the character, whatever its size.
        let v = convert(r"{'t': 'a\é b\中 c\😀 d\q'}");
        assert_eq!(v["t"], "a\\é b\\中 c\\😀 d\\q");
        // The text after such an escape is kept whole.
        let v = convert("{'t': '\\é then more text', 'u': 'next'}");
        assert_eq!(v, json!({"t": "\\é then more text", "u": "next"}));
    }

    #[test]
    fn bad_escape_digits_are_errors() {
        assert!(to_json(r"['\x+1']").unwrap_err().message.contains("bad escape digits"));
        assert!(to_json(r"['\xé1']").unwrap_err().message.contains("bad escape digits"));
        assert!(to_json(r"['\u12']").unwrap_err().message.contains("bad escape digits"));
        assert!(to_json(r"'\u12").unwrap_err().message.contains("unfinished escape"));
        let e = to_json("{'a': é}").unwrap_err();
        assert_eq!(e.message, "unexpected 'é'");
    }

    #[test]
    fn reads_exports_with_any_line_ends() {
        let lf = "Viewing Study NCT00000001\n\nStatus: X\n\nRaw JSON\n\n{'a': 'x',\n 'b': 'y \\\nz'}\n";
        let expected = export_to_json(lf).unwrap();
        assert_eq!(expected, r#"{"a":"x","b":"y z"}"#);
        for ends in ["\r\n", "\r"] {
            let text = lf.replace('\n', ends);
            assert!(looks_like_export(text.as_bytes()), "{ends:?}");
            assert_eq!(export_to_json(&text).unwrap(), expected, "{ends:?}");
        }
        // A line end inside a string is still an error, whichever it is.
        for ends in ["\n", "\r\n", "\r"] {
            let e = to_json(&format!("['a{ends}b']")).unwrap_err();
            assert!(e.message.contains("a line ends inside it"), "{ends:?}: {e}");
        }
    }

    proptest::proptest! {
        /// Any JSON-like value written the way Python's repr writes it converts back to itself.
        #[test]
        fn repr_of_strings_round_trips(s in "\\PC*") {
            let literal = python_repr(&s);
            let back: Value = serde_json::from_str(&to_json(&literal).unwrap()).unwrap();
            proptest::prop_assert_eq!(back, Value::String(s));
        }

        #[test]
        fn never_panics_on_arbitrary_text(s in "\\PC{0,64}") {
            let _ = to_json(&s);
        }
    }

    /// Python's repr of a str: single quotes unless the text holds one and no double quote.
    fn python_repr(s: &str) -> String {
        let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
        let mut out = String::from(quote);
        for c in s.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if c == quote => {
                    out.push('\\');
                    out.push(c);
                }
                c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
                c if (0x80..0xa1).contains(&(c as u32)) => out.push_str(&format!("\\x{:02x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push(quote);
        out
    }
}
