//! An order-preserving JSON tree (the registry's key order is part of what we want to keep, and
//! serde_json's Map sorts keys unless the preserve_order feature is on), its writer and a small
//! parser that keeps object keys in document order.

use anyhow::{Context, Result, anyhow, bail};

#[derive(Clone, Debug)]
pub enum J {
    Null,
    Bool(bool),
    /// The number's text exactly as written (so "0.250" stays "0.250").
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn s(text: impl Into<String>) -> J {
        J::Str(text.into())
    }

    pub fn obj(pairs: Vec<(&str, J)>) -> J {
        J::Obj(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    pub fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut J> {
        match self {
            J::Obj(pairs) => pairs.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn path_mut(&mut self, keys: &[&str]) -> Option<&mut J> {
        let mut node = self;
        for key in keys {
            node = node.get_mut(key)?;
        }
        Some(node)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Replaces the value of `key`, or appends it when absent.
    pub fn set(&mut self, key: &str, value: J) {
        if let J::Obj(pairs) = self {
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => pairs.push((key.to_string(), value)),
            }
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<J> {
        match self {
            J::Obj(pairs) => {
                let at = pairs.iter().position(|(k, _)| k == key)?;
                Some(pairs.remove(at).1)
            }
            _ => None,
        }
    }

    /// Writes JSON; `indent` is `Some(level)` for 2-space pretty printing, `None` for compact.
    pub fn write(&self, out: &mut String, indent: Option<usize>) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => write_str(out, s),
            J::Arr(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push('[');
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    newline(out, indent.map(|l| l + 1));
                    item.write(out, indent.map(|l| l + 1));
                }
                newline(out, indent);
                out.push(']');
            }
            J::Obj(pairs) => {
                if pairs.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (n, (key, value)) in pairs.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    newline(out, indent.map(|l| l + 1));
                    write_str(out, key);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    value.write(out, indent.map(|l| l + 1));
                }
                newline(out, indent);
                out.push('}');
            }
        }
    }
}

fn newline(out: &mut String, level: Option<usize>) {
    if let Some(level) = level {
        out.push('\n');
        for _ in 0..level {
            out.push_str("  ");
        }
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    // Only ASCII needs escaping, so bytes can be scanned: every byte of a multi-byte character
    // is 0x80 or above, and the runs between escapes stay on character boundaries. This is the
    // generator's hottest loop, so runs of 16 plain bytes are skipped at once (a test the
    // compiler vectorises).
    let bytes = s.as_bytes();
    let needs_escape = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    let mut plain = 0; // start of the run of bytes that need no escaping
    let mut at = 0;
    while at < bytes.len() {
        if let Some(chunk) = bytes.get(at..at + 16)
            && !chunk.iter().fold(false, |any, &b| any | needs_escape(b))
        {
            at += 16;
            continue;
        }
        let b = bytes.get(at).copied().unwrap_or_default();
        at += 1;
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(plain..at - 1).unwrap_or_default());
        if escaped.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(escaped);
        }
        plain = at;
    }
    out.push_str(s.get(plain..).unwrap_or_default());
    out.push('"');
}

/// A small JSON parser that keeps object keys in document order. Input is first checked with
/// serde_json, so the errors here are only a safety net.
pub struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    pub fn parse(text: &'a str) -> Result<J> {
        let mut p = Parser { bytes: text.as_bytes(), pos: 0 };
        let value = p.value(0)?;
        p.ws();
        if p.peek().is_some() {
            bail!("trailing characters at byte {}", p.pos);
        }
        Ok(value)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<u8> {
        let b = self.peek().ok_or_else(|| anyhow!("unexpected end of input"))?;
        self.pos += 1;
        Ok(b)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, want: u8) -> Result<()> {
        let got = self.next()?;
        if got != want {
            bail!("expected {:?} at byte {}, found {:?}", want as char, self.pos - 1, got as char);
        }
        Ok(())
    }

    fn literal(&mut self, word: &str, value: J) -> Result<J> {
        for want in word.bytes() {
            self.eat(want)?;
        }
        Ok(value)
    }

    fn value(&mut self, depth: usize) -> Result<J> {
        if depth > 256 {
            bail!("nesting too deep at byte {}", self.pos);
        }
        self.ws();
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                let mut pairs = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(J::Obj(pairs));
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    let value = self.value(depth + 1)?;
                    pairs.push((key, value));
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b'}' => return Ok(J::Obj(pairs)),
                        other => {
                            bail!("expected ',' or '}}' at byte {}, found {:?}", self.pos - 1, other as char)
                        }
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(J::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b']' => return Ok(J::Arr(items)),
                        other => {
                            bail!("expected ',' or ']' at byte {}, found {:?}", self.pos - 1, other as char)
                        }
                    }
                }
            }
            Some(b'"') => Ok(J::Str(self.string()?)),
            Some(b't') => self.literal("true", J::Bool(true)),
            Some(b'f') => self.literal("false", J::Bool(false)),
            Some(b'n') => self.literal("null", J::Null),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while matches!(self.peek(), Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
                    self.pos += 1;
                }
                let text = self.bytes.get(start..self.pos).ok_or_else(|| anyhow!("bad number"))?;
                Ok(J::Num(String::from_utf8_lossy(text).into_owned()))
            }
            Some(other) => bail!("unexpected {:?} at byte {}", other as char, self.pos),
            None => bail!("unexpected end of input"),
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = (self.next()? as char)
                .to_digit(16)
                .ok_or_else(|| anyhow!("bad \\u escape at byte {}", self.pos))?;
            n = n * 16 + d;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            match self.next()? {
                b'"' => break,
                b'\\' => match self.next()? {
                    b'"' => out.push(b'"'),
                    b'\\' => out.push(b'\\'),
                    b'/' => out.push(b'/'),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'u' => {
                        let mut code = self.hex4()?;
                        if (0xD800..0xDC00).contains(&code) && self.peek() == Some(b'\\') {
                            self.eat(b'\\')?;
                            self.eat(b'u')?;
                            let low = self.hex4()?;
                            code = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
                        }
                        let c = char::from_u32(code).unwrap_or('\u{FFFD}');
                        let mut tmp = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                    }
                    other => bail!("bad escape \\{} at byte {}", other as char, self.pos - 1),
                },
                b => out.push(b),
            }
        }
        String::from_utf8(out).context("string is not UTF-8")
    }
}
