//! The words, numbers, comparison signs and punctuation of one criterion, with their byte spans,
//! read in one pass: thousands separators ("1,500", "100 000") joined into one number, numbers
//! glued to units ("3mg", "2.5ULN") split, and two-character signs ("≥", ">=", "=<", ">/=") read
//! as one comparator.

use std::borrow::Cow;

use super::Comparator;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Word,
    Number(f64),
    Compare(Comparator),
    Mark(char),
}

#[derive(Debug, Clone)]
pub(super) struct Token<'a> {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// The word in lower case (borrowed when it already is); empty for the other kinds.
    pub lower: Cow<'a, str>,
}

impl Token<'_> {
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.lower == w
    }
    pub fn is_mark(&self, c: char) -> bool {
        self.kind == Kind::Mark(c)
    }
    pub fn number(&self) -> Option<f64> {
        match self.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        }
    }
}

/// Numbers written as words, as criteria write small counts and durations ("within two weeks").
const NUMBER_WORDS: [(&str, f64); 13] = [
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
];

pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c == '&' {
            // "&gt;" and its kin, left in some records' text by an HTML export
            let rest = text.get(start..).unwrap_or("");
            let entity = [
                ("&gt;=", Comparator::AtLeast),
                ("&lt;=", Comparator::AtMost),
                ("&ge;", Comparator::AtLeast),
                ("&le;", Comparator::AtMost),
                ("&gt;", Comparator::Above),
                ("&lt;", Comparator::Below),
            ]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e));
            if let Some((e, cmp)) = entity {
                let end = start + e.len();
                while chars.peek().is_some_and(|&(i, _)| i < end) {
                    chars.next();
                }
                out.push(Token { kind: Kind::Compare(cmp), start, end, lower: Cow::Borrowed("") });
                continue;
            }
            out.push(mark(start, start + 1, '&'));
        } else if c == '\n' {
            out.push(mark(start, start + 1, '\n'));
        } else if c.is_whitespace() {
            continue;
        } else if c.is_ascii_digit() {
            let end = number_end(text, start);
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
            let digits: String = text
                .get(start..end)
                .unwrap_or("")
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            match digits.parse::<f64>() {
                Ok(n) => out.push(Token { kind: Kind::Number(n), start, end, lower: Cow::Borrowed("") }),
                Err(_) => out.push(mark(start, end, '?')),
            }
        } else if c.is_alphabetic() {
            let mut end = start + c.len_utf8();
            // "x109/L", "x10^9": the multiplication sign glued to the power of ten.
            let glued_times = (c == 'x' || c == 'X') && bytes.get(end).is_some_and(u8::is_ascii_digit);
            if !glued_times {
                while let Some(&(i, d)) = chars.peek() {
                    // "FEV₁": a subscript digit is part of the name
                    if d.is_alphabetic() || d.is_ascii_digit() || ('₀'..='₉').contains(&d) {
                        end = i + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
            }
            let word = text.get(start..end).unwrap_or("");
            let lower = if word.chars().any(|c| c.is_uppercase() || ('₀'..='₉').contains(&c)) {
                Cow::Owned(
                    word.chars()
                        .flat_map(char::to_lowercase)
                        .map(|c| {
                            if ('₀'..='₉').contains(&c) {
                                char::from(b'0' + (c as u32 - '₀' as u32) as u8)
                            } else {
                                c
                            }
                        })
                        .collect(),
                )
            } else {
                Cow::Borrowed(word)
            };
            let kind = match NUMBER_WORDS.iter().find(|(w, _)| *w == lower) {
                Some(&(_, n)) => Kind::Number(n),
                None => Kind::Word,
            };
            out.push(Token { kind, start, end, lower });
        } else {
            let next = chars.peek().map(|&(_, d)| d);
            let after = text.get(start + c.len_utf8()..).unwrap_or("");
            // "> / =" and "< / =", spaced as some records write them (NCT04280705's "SpO2 < / =
            // 94%"): the whole run is one sign.
            let spaced = matches!(c, '>' | '<').then(|| spaced_or_equal(after)).flatten();
            let (cmp, len) = match (c, next) {
                ('>', _) if let Some(n) = spaced => (Some(Comparator::AtLeast), 1 + n),
                ('<', _) if let Some(n) = spaced => (Some(Comparator::AtMost), 1 + n),
                ('≥' | '⩾' | '≧', _) => (Some(Comparator::AtLeast), c.len_utf8()),
                ('≤' | '⩽' | '≦', _) => (Some(Comparator::AtMost), c.len_utf8()),
                ('>', Some('=')) | ('=', Some('>')) => (Some(Comparator::AtLeast), 2),
                ('<', Some('=')) | ('=', Some('<')) => (Some(Comparator::AtMost), 2),
                ('>', Some('/')) if after.starts_with("/=") => (Some(Comparator::AtLeast), 3),
                ('<', Some('/')) if after.starts_with("/=") => (Some(Comparator::AtMost), 3),
                ('>', _) => (Some(Comparator::Above), 1),
                ('<', _) => (Some(Comparator::Below), 1),
                ('=', _) => (Some(Comparator::Equal), 1),
                _ => (None, c.len_utf8()),
            };
            let end = start + len;
            while chars.peek().is_some_and(|&(i, _)| i < end) {
                chars.next();
            }
            match cmp {
                Some(cmp) => {
                    out.push(Token { kind: Kind::Compare(cmp), start, end, lower: Cow::Borrowed("") })
                }
                None => out.push(mark(start, end, c)),
            }
        }
    }
    out
}

/// The length of " / =" (spaces around the slash) at the start of `after`, when it is there.
fn spaced_or_equal(after: &str) -> Option<usize> {
    let slash = after.trim_start_matches(' ').strip_prefix('/')?;
    let equal = slash.trim_start_matches(' ').strip_prefix('=')?;
    let len = after.len() - equal.len();
    // Unspaced ">/=" is read above; only a spaced run is this.
    (len > 2).then_some(len)
}

fn mark(start: usize, end: usize, c: char) -> Token<'static> {
    Token { kind: Kind::Mark(c), start, end, lower: Cow::Borrowed("") }
}

/// Where the number starting at `start` ends: digits, groups of three after a comma or a space
/// when the first group has at most three digits ("1,500", "100 000"), and one decimal part.
fn number_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let digits_from =
        |i: usize| bytes.get(i..).map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_digit()).count());
    let first = digits_from(start);
    let mut end = start + first;
    if first <= 3 {
        loop {
            let sep = match bytes.get(end) {
                Some(b',') | Some(b' ') => 1,
                // no-break and thin spaces: U+00A0 (2 bytes), U+2009 and U+202F (3 bytes)
                Some(0xC2) if bytes.get(end + 1) == Some(&0xA0) => 2,
                Some(0xE2)
                    if matches!(bytes.get(end + 1..end + 3), Some([0x80, 0x89]) | Some([0x80, 0xAF])) =>
                {
                    3
                }
                _ => break,
            };
            let group = digits_from(end + sep);
            let after = bytes.get(end + sep + group);
            // a group of exactly three, not followed by a decimal point or more digits
            if group == 3
                && !matches!(after, Some(b'.') if bytes.get(end + sep + group + 1).is_some_and(u8::is_ascii_digit))
            {
                end += sep + group;
            } else {
                break;
            }
        }
    }
    if bytes.get(end) == Some(&b'.') {
        let frac = digits_from(end + 1);
        if frac > 0 {
            end += 1 + frac;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<f64> {
        tokenize(text).iter().filter_map(Token::number).collect()
    }

    #[test]
    fn thousands_are_joined_and_lists_are_not() {
        assert_eq!(numbers("ANC ≥ 1,500/mm3"), vec![1500.0]);
        assert_eq!(numbers("platelets 100 000/µL"), vec![100000.0]);
        assert_eq!(numbers("grade 1, 2, or 3"), vec![1.0, 2.0, 3.0]);
        assert_eq!(numbers("1.5 x ULN"), vec![1.5]);
        assert_eq!(numbers("within two weeks"), vec![2.0]);
    }

    #[test]
    fn signs_are_read_as_one_comparator() {
        let kinds: Vec<Kind> = tokenize("a >= b =< c >/= d ≥ e").into_iter().map(|t| t.kind).collect();
        let cmps: Vec<Comparator> = kinds
            .into_iter()
            .filter_map(|k| match k {
                Kind::Compare(c) => Some(c),
                _ => None,
            })
            .collect();
        assert_eq!(
            cmps,
            vec![Comparator::AtLeast, Comparator::AtMost, Comparator::AtLeast, Comparator::AtLeast]
        );
    }

    #[test]
    fn numbers_glued_to_units_are_split() {
        let t = tokenize("3mg/dl 2.5ULN x109/L");
        let words: Vec<&str> = t.iter().filter(|t| t.kind == Kind::Word).map(|t| t.lower.as_ref()).collect();
        assert_eq!(words, vec!["mg", "dl", "uln", "x", "l"]);
    }
}
