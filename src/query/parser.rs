//! The recursive-descent parser: tokens to an [`Expr`] tree, following the grammar in the
//! module doc of `query`, with every mistake reported at the token that causes it.
//!
//! A term that folds to no words (`&`, `""`) parses to `None`, "nothing asked": it drops out of
//! an AND, makes an OR ask nothing (one branch of it matches everything), and negating it asks
//! nothing either, so that a stray punctuation mark never empties the list. Nesting is capped
//! so that a pasted wall of `(((` is an error rather than a stack overflow.

use super::error::QueryError;
use super::filter::{Filter, field_kind, unknown_field_message};
use super::fold::words;
use super::lexer::{Span, Token, TokenKind};
use super::{Expr, TextTerm, as_nct_id};

/// Deeper than anyone types; shallow enough for the stack of a debug build on any thread.
const MAX_DEPTH: usize = 64;

pub(crate) fn parse(tokens: &[Token]) -> Result<Option<Expr>, QueryError> {
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.sequence(0)?;
    if let Some(extra) = parser.peek() {
        // `sequence` stops only at the end or at a `)` it was not inside.
        return Err(QueryError::at(
            extra.span.start,
            extra.span.len,
            "this ) closes nothing: remove it, or add the ( it should close",
        ));
    }
    Ok(expr)
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

fn starts_term(token: Option<&Token>) -> bool {
    token.is_some_and(|t| {
        matches!(
            t.kind,
            TokenKind::Word(_)
                | TokenKind::Phrase(_)
                | TokenKind::Field { .. }
                | TokenKind::Minus
                | TokenKind::Not
                | TokenKind::Open
        )
    })
}

fn error_at(span: Span, message: impl Into<String>) -> QueryError {
    QueryError::at(span.start, span.len, message)
}

const OR_ALONE: &str = "OR must stand between two terms, as in `covid OR influenza`";
const AND_ALONE: &str =
    "AND must stand between two terms, as in `covid AND vaccine` (or just `covid vaccine`)";

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<&'t Token> {
        self.tokens.get(self.at)
    }

    fn advance(&mut self) -> Option<&'t Token> {
        let token = self.tokens.get(self.at)?;
        self.at += 1;
        Some(token)
    }

    /// Terms joined by AND, written or implicit, up to the end or a `)`.
    fn sequence(&mut self, depth: usize) -> Result<Option<Expr>, QueryError> {
        let mut parts = Vec::new();
        let mut seen_term = false;
        while let Some(token) = self.peek() {
            match token.kind {
                TokenKind::Close => break,
                TokenKind::Or => return Err(error_at(token.span, OR_ALONE)),
                TokenKind::And => {
                    self.advance();
                    if !seen_term || !starts_term(self.peek()) {
                        return Err(error_at(token.span, AND_ALONE));
                    }
                }
                _ => {
                    if let Some(expr) = self.alternatives(depth)? {
                        parts.push(expr);
                    }
                    seen_term = true;
                }
            }
        }
        Ok(join(parts, Joiner::And))
    }

    /// Unary terms joined by OR.
    fn alternatives(&mut self, depth: usize) -> Result<Option<Expr>, QueryError> {
        let mut options = vec![self.unary(depth)?];
        while let Some(or) = self.peek().filter(|t| t.kind == TokenKind::Or) {
            self.advance();
            if !starts_term(self.peek()) {
                return Err(error_at(or.span, OR_ALONE));
            }
            options.push(self.unary(depth)?);
        }
        // A branch that asks nothing matches every study, and so does the whole OR.
        let options: Option<Vec<Expr>> = options.into_iter().collect();
        Ok(options.and_then(|options| join(options, Joiner::Or)))
    }

    fn unary(&mut self, depth: usize) -> Result<Option<Expr>, QueryError> {
        let Some(token) = self.peek() else {
            return Ok(None);
        };
        if depth >= MAX_DEPTH {
            return Err(error_at(
                token.span,
                "the query is nested too deeply: use fewer parentheses or NOTs",
            ));
        }
        match token.kind {
            TokenKind::Not | TokenKind::Minus => {
                self.advance();
                if !starts_term(self.peek()) {
                    let message = if token.kind == TokenKind::Not {
                        "NOT must be followed by what to leave out, as in `NOT placebo` or `NOT (a OR b)`"
                    } else {
                        "- must be followed by what to leave out, as in -placebo, -\"a phrase\" or -status:completed"
                    };
                    return Err(error_at(token.span, message));
                }
                Ok(self.unary(depth + 1)?.map(|inner| Expr::Not(Box::new(inner))))
            }
            _ => self.primary(depth),
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Option<Expr>, QueryError> {
        let Some(token) = self.advance() else {
            return Ok(None);
        };
        match &token.kind {
            TokenKind::Open => {
                if let Some(close) = self.peek().filter(|t| t.kind == TokenKind::Close) {
                    return Err(error_at(
                        token.span.to(close.span),
                        "empty parentheses: put the terms to group inside, or remove them",
                    ));
                }
                let inner = self.sequence(depth + 1)?;
                match self.advance() {
                    Some(close) if close.kind == TokenKind::Close => Ok(inner),
                    _ => Err(error_at(
                        token.span,
                        "this parenthesis is not closed: add a ) after what it groups",
                    )),
                }
            }
            TokenKind::Word(text) => Ok(word_term(text)),
            TokenKind::Phrase(text) => Ok(phrase_term(text)),
            TokenKind::Field { name, name_span, value, value_span } => {
                field_filter(name, *name_span, value, *value_span, token.span).map(Some)
            }
            TokenKind::Close | TokenKind::Or | TokenKind::And | TokenKind::Not | TokenKind::Minus => {
                // Callers check `starts_term` first; this keeps a mistake there an error, not a panic.
                Err(error_at(token.span, "expected a word, a \"phrase\" or a field:value here"))
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Joiner {
    And,
    Or,
}

/// One part stays itself; a nested group of the same operator is flattened into this one.
fn join(parts: Vec<Expr>, joiner: Joiner) -> Option<Expr> {
    let mut flat = Vec::with_capacity(parts.len());
    for part in parts {
        match (joiner, part) {
            (Joiner::And, Expr::And(inner)) | (Joiner::Or, Expr::Or(inner)) => flat.extend(inner),
            (_, part) => flat.push(part),
        }
    }
    if flat.len() < 2 {
        return flat.pop();
    }
    Some(match joiner {
        Joiner::And => Expr::And(flat),
        Joiner::Or => Expr::Or(flat),
    })
}

fn word_term(text: &str) -> Option<Expr> {
    if let Some(id) = as_nct_id(text) {
        return Some(Expr::Filter(Filter::Id(id)));
    }
    let words = words(text);
    let phrase = words.len() > 1;
    (!words.is_empty()).then_some(Expr::Text(TextTerm { field: None, words, phrase, prefix: false }))
}

fn phrase_term(text: &str) -> Option<Expr> {
    let words = words(text);
    (!words.is_empty()).then_some(Expr::Text(TextTerm { field: None, words, phrase: true, prefix: false }))
}

fn field_filter(
    name: &str,
    name_span: Span,
    value: &str,
    value_span: Span,
    whole: Span,
) -> Result<Expr, QueryError> {
    let kind = field_kind(name).ok_or_else(|| error_at(name_span, unknown_field_message(name)))?;
    if value.trim().is_empty() {
        // Nothing after the colon: point at the field; blank quotes: at the quotes.
        let span = if value_span.len == 0 { whole } else { value_span };
        return Err(error_at(span, format!("{}: needs a value, as in {}", kind.name(), kind.example())));
    }
    let mut filter = kind.parse_value(value).map_err(|message| error_at(value_span, message))?;
    if let Filter::Fits(fits) = &mut filter {
        // The profile is looked up later, and the name pointed at if it names none.
        (fits.column, fits.len) = (value_span.start + 1, value_span.len.max(1));
    }
    if let Filter::Near(near) = &mut filter {
        // The catalog resolves the place later, and points at it if it cannot.
        (near.column, near.len) = (value_span.start + 1, value_span.len.max(1));
    }
    Ok(Expr::Filter(filter))
}
