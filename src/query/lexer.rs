//! The query's tokens: words, quoted phrases, `field:value` pairs, `-`, parentheses and the
//! upper-case operators `OR`, `AND`, `NOT`, each with its place in chars for error messages.
//!
//! Operators are upper case only, so that the words of a status people type as text
//! (`not yet recruiting`) stay words; quoting makes an operator a word (`"OR"`). A run of text
//! is a field filter when what comes before its first `:` is a name (letters and `_`); the value
//! is the rest of the run, or a quoted string right after the colon (`status:"active, not
//! recruiting"`). A `-` negates only at the start of a token and only when something follows it.

use super::error::QueryError;

/// A place in the input, 0-based, in chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub len: usize,
}

impl Span {
    /// From the start of `self` to the end of `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start, len: (other.start + other.len).saturating_sub(self.start) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Word(String),
    /// The text between the quotes.
    Phrase(String),
    Field {
        name: String,
        name_span: Span,
        /// Unquoted, possibly empty.
        value: String,
        /// The value with its quotes, if quoted; just after the colon when empty.
        value_span: Span,
    },
    Minus,
    Open,
    Close,
    Or,
    And,
    Not,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

pub(crate) fn tokenize(input: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        if c.is_whitespace() {
            at += 1;
            continue;
        }
        let token = match c {
            '(' => Token { kind: TokenKind::Open, span: Span { start: at, len: 1 } },
            ')' => Token { kind: TokenKind::Close, span: Span { start: at, len: 1 } },
            '"' => {
                let (text, span) = quoted(&chars, at)?;
                Token { kind: TokenKind::Phrase(text), span }
            }
            '-' => {
                let next = chars.get(at + 1);
                if next.is_none_or(|n| n.is_whitespace() || *n == ')') {
                    return Err(QueryError::at(
                        at,
                        1,
                        "a lone - negates nothing: write it against what to leave out, as in -word, \
                         -\"a phrase\" or -status:completed (or quote it to search for it)",
                    ));
                }
                Token { kind: TokenKind::Minus, span: Span { start: at, len: 1 } }
            }
            _ => run(&chars, at)?,
        };
        at = token.span.start + token.span.len;
        tokens.push(token);
    }
    Ok(tokens)
}

/// A quoted string starting at the quote `at`: its text and its span with both quotes.
fn quoted(chars: &[char], at: usize) -> Result<(String, Span), QueryError> {
    let mut text = String::new();
    let mut end = at + 1;
    loop {
        match chars.get(end) {
            None => {
                return Err(QueryError::at(
                    at,
                    1,
                    "this quote is not closed: end the phrase with another \" (or remove this one)",
                ));
            }
            Some('"') => break,
            Some(&c) => text.push(c),
        }
        end += 1;
    }
    Ok((text, Span { start: at, len: end + 1 - at }))
}

fn ends_run(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

/// A bare run of text at `at`: a word, an operator, or a field filter.
fn run(chars: &[char], at: usize) -> Result<Token, QueryError> {
    let mut end = at;
    while chars.get(end).is_some_and(|&c| !ends_run(c)) {
        end += 1;
    }
    let text: String = chars.iter().skip(at).take(end - at).collect();
    let span = Span { start: at, len: end - at };
    let kind = match text.as_str() {
        "OR" => TokenKind::Or,
        "AND" => TokenKind::And,
        "NOT" => TokenKind::Not,
        _ => match text.split_once(':') {
            Some((name, value)) if is_field_name(name) => {
                let name_len = name.chars().count();
                let value_start = at + name_len + 1;
                let name_span = Span { start: at, len: name_len };
                if value.is_empty() && chars.get(end) == Some(&'"') {
                    let (mut value, mut value_span) = quoted(chars, end)?;
                    // `near:"Baltimore, Maryland":25mi`: the radius follows the quoted place.
                    let after = value_span.start + value_span.len;
                    if name.eq_ignore_ascii_case("near") && chars.get(after) == Some(&':') {
                        let mut stop = after;
                        while chars.get(stop).is_some_and(|&c| !ends_run(c)) {
                            stop += 1;
                        }
                        value.extend(chars.iter().skip(after).take(stop - after));
                        value_span.len = stop - value_span.start;
                    }
                    let span = span.to(value_span);
                    let kind = TokenKind::Field { name: name.to_owned(), name_span, value, value_span };
                    return Ok(Token { kind, span });
                }
                let value_span = Span { start: value_start, len: end - value_start };
                TokenKind::Field { name: name.to_owned(), name_span, value: value.to_owned(), value_span }
            }
            _ => TokenKind::Word(text),
        },
    };
    Ok(Token { kind, span })
}

fn is_field_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<TokenKind> {
        tokenize(input).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn word(text: &str) -> TokenKind {
        TokenKind::Word(text.to_owned())
    }

    #[test]
    fn splits_words_phrases_operators_and_parentheses() {
        assert_eq!(
            kinds(r#" a "b c"(d OR -e)NOT f AND or "#),
            [
                word("a"),
                TokenKind::Phrase("b c".into()),
                TokenKind::Open,
                word("d"),
                TokenKind::Or,
                TokenKind::Minus,
                word("e"),
                TokenKind::Close,
                TokenKind::Not,
                word("f"),
                TokenKind::And,
                word("or"),
            ]
        );
        assert_eq!(kinds("OR-e"), [word("OR-e")]);
        assert_eq!(kinds("covid-19 a-b x:"), [word("covid-19"), word("a-b"), field("x", "", 15, 0)]);
    }

    fn field(name: &str, value: &str, value_start: usize, value_len: usize) -> TokenKind {
        let name_start = value_start.saturating_sub(name.chars().count() + 1);
        TokenKind::Field {
            name: name.into(),
            name_span: Span { start: name_start, len: name.chars().count() },
            value: value.into(),
            value_span: Span { start: value_start, len: value_len },
        }
    }

    #[test]
    fn reads_fields_with_bare_and_quoted_values() {
        assert_eq!(kinds("status:recruiting"), [field("status", "recruiting", 7, 10)]);
        assert_eq!(kinds(r#"country:"united states""#), [field("country", "united states", 8, 15)]);
        let tokens = tokenize(r#"-start:>=2020 x"#).unwrap();
        assert_eq!(tokens[1].kind, field("start", ">=2020", 7, 6));
        assert_eq!(tokens[1].span, Span { start: 1, len: 12 });
        assert_eq!(kinds("a:b:c"), [field("a", "b:c", 2, 3)]);
        assert_eq!(
            kinds(r#"near:"Lyon, France":50km x"#),
            [field("near", "Lyon, France:50km", 5, 19), word("x")],
            "near:'s radius follows its quoted place"
        );
        assert_eq!(kinds(r#"title:"a":b"#)[1], word(":b"), "other fields take no such suffix");
    }

    #[test]
    fn what_is_not_a_field_name_stays_a_word() {
        assert_eq!(kinds("10:30 :x a1:b"), [word("10:30"), word(":x"), word("a1:b")]);
    }

    #[test]
    fn points_at_an_unclosed_quote_and_a_lone_minus() {
        assert_eq!(tokenize(r#"a "unclosed"#).unwrap_err().column, 3);
        assert_eq!(tokenize(r#"title:"x"#).unwrap_err().column, 7);
        assert_eq!(tokenize("a - b").unwrap_err().column, 3);
        assert_eq!(tokenize("a -").unwrap_err().column, 3);
        assert_eq!(tokenize("(a -)").unwrap_err().column, 4);
    }

    #[test]
    fn spans_count_chars_not_bytes() {
        let tokens = tokenize("été x").unwrap();
        assert_eq!(tokens[1].span, Span { start: 4, len: 1 });
    }
}
