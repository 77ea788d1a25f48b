//! A streaming scanner that finds where each JSON value begins and ends without parsing it.
//!
//! Study files can be large arrays (the website's download) or API pages holding hundreds of
//! studies. Parsing the whole input file as one `serde_json::Value` would hold every study in
//! memory, and one syntax error would lose all of them. The scanner instead walks the bytes,
//! tracking only strings and bracket depth, and hands out each element's exact bytes and offset.
//! Each element is then parsed on its own, so a broken element costs only itself, and its byte
//! range is the locator used to re-read it later.

use std::io::{self, BufRead};

/// Why a value could not be delimited.
#[derive(Debug)]
pub enum ScanError {
    /// The input ended inside a value (a truncated download).
    Truncated { at: u64 },
    /// A byte that cannot start or continue what was expected here.
    Unexpected { at: u64, found: u8, expected: &'static str },
    /// The value is longer than the scanner's limit: it was read to its end but not kept.
    TooLarge { at: u64, len: u64, limit: usize },
    /// Reading failed.
    Io(io::Error),
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::Truncated { at } => {
                write!(f, "truncated: the data ends inside a value (at byte {at})")
            }
            ScanError::Unexpected { at, found, expected } => {
                write!(f, "unexpected {} at byte {at}, expected {expected}", show_byte(*found))
            }
            ScanError::TooLarge { at, len, limit } => write!(
                f,
                "too large: {len} bytes of JSON (at byte {at}), over the {} MB a study may take \
                 (the largest real record is under 4 MB); skipped",
                limit >> 20
            ),
            ScanError::Io(e) => write!(f, "read error: {e}"),
        }
    }
}

impl From<io::Error> for ScanError {
    fn from(e: io::Error) -> Self {
        ScanError::Io(e)
    }
}

/// A byte as a reader wants to see it in a message.
pub fn show_byte(b: u8) -> String {
    if b.is_ascii_graphic() { format!("'{}'", b as char) } else { format!("byte 0x{b:02x}") }
}

/// Reads JSON values from a buffered reader, remembering the absolute offset and line.
pub struct Scanner<R> {
    reader: R,
    /// Offset of the next unread byte from the start of the input.
    pos: u64,
    /// Newlines consumed so far (line numbers for messages are `newlines + 1`).
    newlines: u64,
    /// The longest value (or line) copied out; longer ones are read through without being kept,
    /// so one huge value in a stream costs no more memory than this.
    limit: usize,
    /// Whether the value being read went over `limit`.
    over: bool,
}

impl<R: BufRead> Scanner<R> {
    pub fn new(reader: R) -> Self {
        Scanner { reader, pos: 0, newlines: 0, limit: usize::MAX, over: false }
    }

    /// Continues a scan whose first `pos` bytes and `newlines` lines were consumed elsewhere.
    pub fn resume(reader: R, pos: u64, newlines: u64) -> Self {
        Scanner { reader, pos, newlines, limit: usize::MAX, over: false }
    }

    /// Values (and lines) longer than `limit` bytes are read through to their end but not kept:
    /// `read_value` and `read_line` report them as [`ScanError::TooLarge`], leaving `out` empty.
    pub fn limit_values(&mut self, limit: usize) {
        self.limit = limit;
    }

    /// Whether values over some length are not kept (see [`Scanner::limit_values`]).
    pub fn is_limited(&self) -> bool {
        self.limit != usize::MAX
    }

    pub fn pos(&self) -> u64 {
        self.pos
    }

    pub fn line(&self) -> u64 {
        self.newlines + 1
    }

    pub fn into_inner(self) -> R {
        self.reader
    }

    /// The next byte without consuming it; `None` at the end of input.
    pub fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.reader.fill_buf()?.first().copied())
    }

    /// Up to `n` upcoming bytes without consuming them (fewer at the end of input or of the
    /// reader's buffer).
    pub fn peek_many(&mut self, n: usize) -> io::Result<&[u8]> {
        let buf = self.reader.fill_buf()?;
        Ok(buf.get(..n.min(buf.len())).unwrap_or_default())
    }

    fn consume(&mut self, n: usize) {
        self.reader.consume(n);
        self.pos += n as u64;
    }

    /// Skips a UTF-8 byte order mark, which Windows tools put in front of JSON files.
    pub fn skip_bom(&mut self) -> io::Result<()> {
        if self.peek_many(3)? == [0xEF, 0xBB, 0xBF] {
            self.consume(3);
        }
        Ok(())
    }

    /// Skips whitespace, counting newlines.
    pub fn skip_ws(&mut self) -> io::Result<()> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            let n = buf.iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')).count();
            let newlines = buf.iter().take(n).filter(|&&b| b == b'\n').count();
            let whole = n == buf.len();
            self.newlines += newlines as u64;
            self.consume(n);
            if !whole {
                return Ok(());
            }
        }
    }

    /// Consumes `byte` if it comes next; says whether it did.
    pub fn eat(&mut self, byte: u8) -> io::Result<bool> {
        if self.peek()? == Some(byte) {
            self.consume(1);
            return Ok(true);
        }
        Ok(false)
    }

    /// Consumes `byte`, or fails saying what was found instead.
    pub fn require(&mut self, byte: u8, expected: &'static str) -> Result<(), ScanError> {
        match self.peek()? {
            Some(b) if b == byte => {
                self.consume(1);
                Ok(())
            }
            Some(found) => Err(ScanError::Unexpected { at: self.pos, found, expected }),
            None => Err(ScanError::Truncated { at: self.pos }),
        }
    }

    /// Copies one complete JSON value (object, array, string or scalar) into `out`, appending.
    /// Only strings and nesting are tracked: the value's contents are validated later, when it is
    /// parsed on its own.
    pub fn read_value(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        let start = self.pos;
        self.over = false;
        let read = self.read_any_value(out);
        self.too_large(start).map_or(read, Err)
    }

    /// After a value or line that started at `start`: the error if it went over the limit.
    fn too_large(&mut self, start: u64) -> Option<ScanError> {
        let over = std::mem::take(&mut self.over);
        over.then(|| ScanError::TooLarge { at: start, len: self.pos - start, limit: self.limit })
    }

    fn read_any_value(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        match self.peek()? {
            None => Err(ScanError::Truncated { at: self.pos }),
            Some(b'{' | b'[') => self.read_nested(out),
            Some(b'"') => {
                self.take(out, 1);
                self.read_string_rest(out)
            }
            Some(b) if b == b'-' || b.is_ascii_alphanumeric() => self.read_scalar(out),
            Some(found) => Err(ScanError::Unexpected { at: self.pos, found, expected: "a JSON value" }),
        }
    }

    /// Skips one complete JSON value without keeping it.
    pub fn skip_value(&mut self) -> Result<(), ScanError> {
        let limit = std::mem::replace(&mut self.limit, 0);
        let skipped = self.read_value(&mut Vec::new());
        self.limit = limit;
        match skipped {
            Err(ScanError::TooLarge { .. }) => Ok(()),
            other => other,
        }
    }

    /// Copies `n` bytes of the current buffer into `out` (unless that would go over the limit)
    /// and consumes them.
    fn take(&mut self, out: &mut Vec<u8>, n: usize) {
        if let Ok(buf) = self.reader.fill_buf() {
            let n = n.min(buf.len());
            if !self.over && out.len().saturating_add(n) > self.limit {
                // What was kept of it is of no use: give its memory back now.
                self.over = true;
                *out = Vec::new();
            }
            if !self.over {
                out.extend_from_slice(buf.get(..n).unwrap_or_default());
            }
            self.consume(n);
        }
    }

    fn read_scalar(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(());
            }
            let n = buf
                .iter()
                .take_while(|&&b| b == b'-' || b == b'+' || b == b'.' || b.is_ascii_alphanumeric())
                .count();
            let whole = n == buf.len();
            self.take(out, n);
            if !whole {
                return Ok(());
            }
        }
    }

    /// After an opening quote: copies through the closing quote.
    fn read_string_rest(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        let mut escaped = false;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Err(ScanError::Truncated { at: self.pos });
            }
            let (n, closed) = string_end(buf, &mut escaped);
            self.newlines += count_newlines(buf.get(..n).unwrap_or_default());
            self.take(out, n);
            if closed {
                return Ok(());
            }
        }
    }

    /// An object or array: copies through its matching close bracket.
    fn read_nested(&mut self, out: &mut Vec<u8>) -> Result<(), ScanError> {
        let mut state = Nesting::default();
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                return Err(ScanError::Truncated { at: self.pos });
            }
            let (n, closed) = state.advance(buf);
            self.newlines += count_newlines(buf.get(..n).unwrap_or_default());
            self.take(out, n);
            if closed {
                return Ok(());
            }
        }
    }

    /// Reads up to and including the next newline into `out` (NDJSON lines). Returns the number
    /// of bytes read; 0 at the end of input.
    pub fn read_line(&mut self, out: &mut Vec<u8>) -> Result<usize, ScanError> {
        let start = self.pos;
        self.over = false;
        loop {
            let buf = self.reader.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let (n, ended) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            self.take(out, n);
            if ended {
                self.newlines += 1;
                break;
            }
        }
        match self.too_large(start) {
            Some(e) => Err(e),
            None => Ok(usize::try_from(self.pos - start).unwrap_or(usize::MAX)),
        }
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Inside a string: how many bytes of `buf` belong to it, and whether its closing quote is among
/// them. Jumps between quotes and backslashes, which is most of a study's bytes.
fn string_end(buf: &[u8], escaped: &mut bool) -> (usize, bool) {
    let mut i = 0;
    loop {
        if *escaped {
            if i >= buf.len() {
                return (buf.len(), false);
            }
            *escaped = false;
            i += 1;
        }
        match buf.get(i..).and_then(|rest| memchr::memchr2(b'"', b'\\', rest)) {
            None => return (buf.len(), false),
            Some(j) => {
                i += j;
                if buf.get(i) == Some(&b'"') {
                    return (i + 1, true);
                }
                *escaped = true;
                i += 1;
            }
        }
    }
}

/// Bytes that matter outside strings when delimiting a value. A lookup table, because this test
/// runs on every byte of indentation and punctuation; a `u8` always indexes 256 entries.
#[allow(clippy::indexing_slicing)]
const STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'[' as usize] = true;
    table[b']' as usize] = true;
    table
};

/// Where a scan of nested brackets stands between buffer refills.
#[derive(Default)]
struct Nesting {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl Nesting {
    /// Consumes as much of `buf` as belongs to the value: the count, and whether it closed.
    fn advance(&mut self, buf: &[u8]) -> (usize, bool) {
        let mut i = 0;
        while i < buf.len() {
            if self.in_string {
                let rest = buf.get(i..).unwrap_or_default();
                let (n, closed) = string_end(rest, &mut self.escaped);
                i += n;
                if !closed {
                    return (buf.len(), false);
                }
                self.in_string = false;
                continue;
            }
            let rest = buf.get(i..).unwrap_or_default();
            #[allow(clippy::indexing_slicing)]
            let Some(j) = rest.iter().position(|&b| STRUCTURAL[usize::from(b)]) else {
                return (buf.len(), false);
            };
            i += j;
            match buf.get(i) {
                Some(b'"') => self.in_string = true,
                Some(b'{' | b'[') => self.depth += 1,
                _ => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return (i + 1, true);
                    }
                }
            }
            i += 1;
        }
        (buf.len(), false)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn values(input: &[u8], cap: usize) -> Vec<String> {
        let mut s = Scanner::new(BufReader::with_capacity(cap, input));
        let mut out = vec![];
        loop {
            s.skip_ws().unwrap();
            if s.peek().unwrap().is_none() {
                break;
            }
            let mut v = vec![];
            s.read_value(&mut v).unwrap();
            out.push(String::from_utf8(v).unwrap());
        }
        out
    }

    #[test]
    fn delimits_values_across_small_buffers() {
        let input = br#"{"a": "x}\"]", "b": [1, {"c": 2}]} [1,2] "str\\" 12.5e3 true"#;
        for cap in [1, 2, 3, 7, 64] {
            assert_eq!(
                values(input, cap),
                vec![r#"{"a": "x}\"]", "b": [1, {"c": 2}]}"#, "[1,2]", r#""str\\""#, "12.5e3", "true"],
                "buffer capacity {cap}"
            );
        }
    }

    #[test]
    fn truncated_value_is_reported_with_offset() {
        let mut s = Scanner::new(BufReader::new(&br#"{"a": [1, 2"#[..]));
        let err = s.read_value(&mut vec![]).unwrap_err();
        assert!(matches!(err, ScanError::Truncated { at: 11 }), "{err:?}");
    }

    #[test]
    fn values_over_the_limit_are_read_through_and_not_kept() {
        let input = br#"[1, "a long string", {"b": [1, 2, 3]}, 4]"#;
        for cap in [1, 3, 64] {
            let mut s = Scanner::new(BufReader::with_capacity(cap, &input[..]));
            s.limit_values(5);
            s.require(b'[', "'['").unwrap();
            let mut kept = vec![];
            let next = |s: &mut Scanner<_>| {
                s.skip_ws().unwrap();
                let mut out = vec![];
                let read = s.read_value(&mut out);
                s.skip_ws().unwrap();
                s.eat(b',').unwrap();
                read.map(|()| String::from_utf8(out).unwrap())
            };
            kept.push(next(&mut s).unwrap());
            let err = next(&mut s).unwrap_err();
            assert!(matches!(err, ScanError::TooLarge { at: 4, len: 15, limit: 5 }), "{err:?}");
            let err = next(&mut s).unwrap_err();
            assert!(matches!(err, ScanError::TooLarge { at: 21, len: 16, .. }), "{err:?}");
            kept.push(next(&mut s).unwrap());
            assert_eq!(kept, ["1", "4"], "buffer capacity {cap}");
            assert!(s.eat(b']').unwrap());
        }
    }

    #[test]
    fn lines_over_the_limit_are_read_through_and_not_kept() {
        let mut s = Scanner::new(BufReader::with_capacity(2, &b"{}\n{\"long\": 1}\n{}"[..]));
        s.limit_values(4);
        let mut line = vec![];
        assert_eq!(s.read_line(&mut line).unwrap(), 3);
        let err = s.read_line(&mut vec![]).unwrap_err();
        assert!(matches!(err, ScanError::TooLarge { at: 3, len: 12, .. }), "{err:?}");
        assert_eq!(s.line(), 3);
        line.clear();
        assert_eq!(s.read_line(&mut line).unwrap(), 2);
        assert_eq!(line, b"{}");
        assert!(err.to_string().starts_with("too large: 12 bytes of JSON (at byte 3)"), "{err}");
    }

    #[test]
    fn counts_lines_and_skips_bom() {
        let mut s = Scanner::new(BufReader::new(&b"\xEF\xBB\xBF\n\n{\"a\":\n1}\n"[..]));
        s.skip_bom().unwrap();
        s.skip_ws().unwrap();
        assert_eq!(s.line(), 3);
        assert_eq!(s.pos(), 5);
        s.read_value(&mut vec![]).unwrap();
        assert_eq!(s.line(), 4);
    }
}
