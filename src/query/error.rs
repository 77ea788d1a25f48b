//! `QueryError`: a mistake in a query, with where it is, so the query line can underline it and
//! the command line can print it (`nct search` exits 2 with it).

use std::fmt;

use unicode_width::UnicodeWidthStr;

/// A query that cannot be parsed: what is wrong, what was expected, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    /// 1-based, counted in chars of the input.
    pub column: usize,
    /// How many chars the mistake spans; at least 1.
    pub len: usize,
    pub message: String,
}

impl QueryError {
    /// `span_start` is 0-based in chars, as the lexer counts.
    pub(crate) fn at(span_start: usize, len: usize, message: impl Into<String>) -> Self {
        Self { column: span_start + 1, len: len.max(1), message: message.into() }
    }

    /// Spaces then carets under the mistake, to print below the query (one char per column).
    pub fn caret_line(&self) -> String {
        format!("{}{}", " ".repeat(self.column.saturating_sub(1)), "^".repeat(self.len.max(1)))
    }

    /// The caret line measured in terminal cells for this `input`, so that wide characters
    /// (CJK, emoji) before or inside the mistake do not shift the carets.
    pub fn caret_line_under(&self, input: &str) -> String {
        let before: String = input.chars().take(self.column.saturating_sub(1)).collect();
        let inside: String = input.chars().skip(self.column.saturating_sub(1)).take(self.len).collect();
        format!("{}{}", " ".repeat(before.width()), "^".repeat(inside.width().max(1)))
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for QueryError {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn carets_sit_under_the_mistake() {
        let error = QueryError::at(7, 9, "bad");
        assert_eq!(error.column, 8);
        assert_eq!(error.caret_line(), "       ^^^^^^^^^");
        assert_eq!(error.to_string(), "bad");
        assert_eq!(QueryError::at(0, 0, "x").caret_line(), "^");
    }

    #[test]
    fn carets_measure_wide_characters() {
        let error = QueryError::at(3, 2, "bad");
        assert_eq!(error.caret_line_under("日本 ab"), "     ^^");
        assert_eq!(error.caret_line(), "   ^^");
    }
}
