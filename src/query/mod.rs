//! The search language: what the user types into the query line or `nct search`, parsed into a
//! [`Query`] that the catalog's summaries and (later) the full-text index answer.
//!
//! ```text
//! diabetes "insulin pump" -pediatric       every word, the exact phrase, not this word
//! covid OR influenza vaccine                OR binds tighter: (covid OR influenza) AND vaccine
//! NOT (a b)   -"a phrase"   -status:open    negation of a term, a group, a filter
//! status:recruiting phase:2 age:<18 country:"united states" start:2019..2021
//! near:"Baltimore, Maryland":25mi  near:39.29,-76.61:40km   a site within the radius
//! NCT01234567                               alone: jump to that study
//! ```
//!
//! The pipeline is `lexer` (tokens with their columns) → `parser` (recursive descent into
//! an [`Expr`]) with the field table and value readers in [`filter`]; [`fold`] is the shared
//! case and accent folding. The tree keeps two kinds of leaves apart on purpose: a [`Filter`]
//! is answered from a study's summary, a [`TextTerm`] only by whoever holds the text (the
//! full-text index). The catalog, which owns summaries, evaluates a tree with a callback for the
//! latter (`catalog::matching`), so the same evaluation serves the index, filter-as-you-type and
//! tests; the query knows nothing of summaries.
//!
//! Grammar, loosest first (operators are upper case; the `lexer` says why):
//! ```text
//! query   := and
//! and     := or (AND? or)*            implicit AND between terms
//! or      := unary (OR unary)*
//! unary   := (NOT | -) unary | primary
//! primary := ( and ) | word | "phrase" | field:value | field:"value"
//! ```
//! Free text is [`fold`]ed and split into words on anything that is not a letter or digit; a
//! bare word that splits into several (`covid-19`) is a phrase of them. A word or phrase with no
//! letter or digit (`&`, `""`) is ignored, as if not typed. An NCT id as a bare word anywhere is
//! the filter `id:` for that study. The semantics of each filter are in [`filter`].

mod error;
pub mod filter;
pub mod fits;
mod fold;
mod lexer;
pub mod near;
mod parser;
pub mod places;

use std::fmt;

pub use error::QueryError;
pub use filter::{
    AgeRange, DateField, DateRange, Filter, OPEN_STATUSES, TextField, edit_distance, field_examples,
    takes_sex,
};
pub use fold::{contains_folded, fold, words};

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    /// Nothing typed: every study.
    All,
    /// An NCT id alone (upper case): the study to jump to.
    Id(String),
    Expr(Expr),
}

/// A boolean tree of filters and text terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Every one; never nested directly in another `And`, never fewer than two.
    And(Vec<Expr>),
    /// Any one; never nested directly in another `Or`, never fewer than two.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    Text(TextTerm),
    Filter(Filter),
}

/// Words to find in a study's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TextTerm {
    /// Limited to one field (`city:`, `intr:` put to the index), or anywhere when `None`.
    pub field: Option<TextField>,
    /// [`fold`]ed, never empty.
    pub words: Vec<String>,
    /// The words must appear together in this order, as written (a quoted phrase, a
    /// hyphenated word, a field's value); otherwise the one word, stemmed if the index stems.
    pub phrase: bool,
    /// The last word is still being typed: it also matches the words it begins (see
    /// [`parse_typing`]).
    pub prefix: bool,
}

/// Parses what the user typed. An empty query (or only spaces) is [`Query::All`].
pub fn parse(input: &str) -> Result<Query, QueryError> {
    if let Some(id) = lone_nct_id(input) {
        return Ok(Query::Id(id));
    }
    let tokens = lexer::tokenize(input)?;
    Ok(match parser::parse(&tokens)? {
        None => Query::All,
        Some(expr) => Query::Expr(expr),
    })
}

/// A word being typed on its own begins other words from its third letter on: one or two
/// letters begin most words of a large index, so that every study would match them (and at
/// 600k studies the walk through the dictionary would take longer than a frame); until then it
/// is the word itself (`c` finds vitamin C, `can` finds cancer).
const SHORTEST_BEGINNING: usize = 3;

/// Parses what is being typed into the query line: as [`parse`], with the last word taken as
/// the beginning of a word (`diab` also finds diabetes) when the text ends inside it and it has
/// [`SHORTEST_BEGINNING`] letters or follows another word of a phrase. Only a bare word or the
/// last word of a hyphenated one is read so; a word after a space, a closing quote or a field's
/// value is whole.
pub fn parse_typing(input: &str) -> Result<Query, QueryError> {
    let mut query = parse(input)?;
    if !input.chars().last().is_some_and(char::is_alphanumeric) {
        return Ok(query);
    }
    let last_token = input.rsplit(|c: char| c.is_whitespace() || c == '"').next().unwrap_or("");
    let typed = words(last_token).pop();
    if let Query::Expr(expr) = &mut query
        && let Some(Expr::Text(term)) = expr.last_leaf_mut()
        && term.field.is_none()
        && typed.is_some()
        && term.words.last() == typed.as_ref()
        && (term.words.len() > 1 || typed.as_ref().is_some_and(|w| w.chars().count() >= SHORTEST_BEGINNING))
    {
        term.prefix = true;
    }
    Ok(query)
}

/// `text` as an NCT id (upper case) if it is one: `NCT` and eight digits, in any case.
pub fn as_nct_id(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let digits = upper.strip_prefix("NCT")?;
    (digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(upper)
}

/// An id alone in the query, or a registry address pasted whole (`…clinicaltrials.gov/study/
/// NCT01234567?tab=results`).
fn lone_nct_id(input: &str) -> Option<String> {
    let trimmed = input.trim();
    if let Some(id) = as_nct_id(trimmed) {
        return Some(id);
    }
    if trimmed.contains(char::is_whitespace) || !trimmed.to_ascii_lowercase().contains("clinicaltrials.gov/")
    {
        return None;
    }
    let path = trimmed.split(['?', '#']).next()?;
    as_nct_id(path.trim_end_matches('/').rsplit('/').next()?)
}

impl Query {
    /// Whether the query filters on the user's bookmarks (`bookmarked:`), so that it depends on
    /// them; `starred_only` for `bookmarked:yes` alone.
    pub fn uses_bookmarks(&self, starred_only: bool) -> bool {
        let Self::Expr(expr) = self else { return false };
        expr.any_filter(&|f| matches!(f, Filter::Bookmarked(yes) if *yes || !starred_only))
    }

    /// Whether the query asks what changed (`changed:`), which only the app compared with older
    /// inputs (`nct NEW --since OLD`) knows.
    pub fn uses_changes(&self) -> bool {
        let Self::Expr(expr) = self else { return false };
        expr.any_filter(&|f| matches!(f, Filter::Changed(_)))
    }

    /// The words and phrases the user asked to find (not those negated), folded, each once, in
    /// the order typed: what to highlight in the list and the panes.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut terms = Vec::new();
        if let Self::Expr(expr) = self {
            expr.collect_highlights(false, &mut terms);
        }
        terms
    }
}

impl Expr {
    /// Whether any filter of the tree passes `test`.
    pub fn any_filter(&self, test: &dyn Fn(&Filter) -> bool) -> bool {
        match self {
            Self::And(parts) | Self::Or(parts) => parts.iter().any(|part| part.any_filter(test)),
            Self::Not(inner) => inner.any_filter(test),
            Self::Text(_) => false,
            Self::Filter(filter) => test(filter),
        }
    }

    /// Whether the full-text index alone answers the tree (its words, phrases, `city:` and
    /// `intr:`), with no summary.
    pub fn answered_by_text(&self) -> bool {
        !self.any_filter(&|filter| {
            !matches!(filter, Filter::Text { field: TextField::City | TextField::Intervention, .. })
        })
    }

    /// Whether evaluating calls the text callback at all: when not, summaries alone answer
    /// the query and no index is needed.
    pub fn needs_text(&self) -> bool {
        match self {
            Self::And(parts) | Self::Or(parts) => parts.iter().any(Expr::needs_text),
            Self::Not(inner) => inner.needs_text(),
            Self::Text(_) => true,
            Self::Filter(filter) => filter.text_term().is_some(),
        }
    }

    /// Every text term the full-text index may be asked while evaluating the tree: the words and
    /// phrases, and the text filters a summary cannot answer (`city:`, `intr:`), each once.
    pub fn text_terms(&self, out: &mut Vec<TextTerm>) {
        let term = match self {
            Self::And(parts) | Self::Or(parts) => {
                for part in parts {
                    part.text_terms(out);
                }
                return;
            }
            Self::Not(inner) => return inner.text_terms(out),
            Self::Text(term) => Some(term.clone()),
            Self::Filter(filter @ Filter::Text { field: TextField::City | TextField::Intervention, .. }) => {
                filter.text_term()
            }
            Self::Filter(_) => None,
        };
        if let Some(term) = term
            && !out.contains(&term)
        {
            out.push(term);
        }
    }

    /// The leaf written last (the rightmost): the tree keeps the order of the text.
    fn last_leaf_mut(&mut self) -> Option<&mut Expr> {
        match self {
            Self::And(parts) | Self::Or(parts) => parts.last_mut().and_then(Expr::last_leaf_mut),
            Self::Not(inner) => inner.last_leaf_mut(),
            Self::Text(_) | Self::Filter(_) => Some(self),
        }
    }

    fn collect_highlights(&self, negated: bool, out: &mut Vec<String>) {
        let term = match self {
            Self::And(parts) | Self::Or(parts) => {
                for part in parts {
                    part.collect_highlights(negated, out);
                }
                return;
            }
            Self::Not(inner) => return inner.collect_highlights(!negated, out),
            Self::Text(term) => Some(term.words.join(" ")),
            Self::Filter(filter) => filter.text_term().map(|term| term.words.join(" ")),
        };
        if let Some(term) = term
            && !negated
            && !out.contains(&term)
        {
            out.push(term);
        }
    }
}

/// `*` for every study, `=NCT…` for a jump, else the tree (see `Expr`'s `Display`).
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::All => f.write_str("*"),
            Self::Id(id) => write!(f, "={id}"),
            Self::Expr(expr) => expr.fmt(f),
        }
    }
}

/// The tree in prefix form, `(AND a (OR b c) (NOT "d e"))`, to show how a query was read.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, op: &str, parts: &[Expr]| {
            write!(f, "({op}")?;
            for part in parts {
                write!(f, " {part}")?;
            }
            f.write_str(")")
        };
        match self {
            Self::And(parts) => list(f, "AND", parts),
            Self::Or(parts) => list(f, "OR", parts),
            Self::Not(inner) => write!(f, "(NOT {inner})"),
            Self::Text(term) => term.fmt(f),
            Self::Filter(filter) => filter.fmt(f),
        }
    }
}

impl fmt::Display for TextTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = self.field {
            write!(f, "{}:", field.name())?;
        }
        let text = self.words.join(" ");
        let more = if self.prefix { "*" } else { "" };
        if self.phrase { write!(f, "\"{text}{more}\"") } else { write!(f, "{text}{more}") }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::study::enums::Status;
    use proptest::prelude::*;

    fn read(input: &str) -> String {
        parse(input).unwrap().to_string()
    }

    fn error(input: &str) -> QueryError {
        parse(input).unwrap_err()
    }

    fn word(text: &str) -> Expr {
        Expr::Text(TextTerm { field: None, words: vec![text.into()], phrase: false, prefix: false })
    }

    #[test]
    fn the_word_being_typed_is_a_prefix_and_only_that_one() {
        let typing = |input: &str| parse_typing(input).unwrap().to_string();
        assert_eq!(typing("diab"), "diab*");
        assert_eq!(typing("heart fail"), "(AND heart fail*)");
        assert_eq!(typing("heart fail "), "(AND heart fail)", "a space ends the word");
        assert_eq!(typing("-plaq"), "(NOT plaq*)");
        assert_eq!(typing("a OR bcg"), "(OR a bcg*)");
        assert_eq!(typing("c"), "c", "one or two letters are the word itself");
        assert_eq!(typing("heart fa"), "(AND heart fa)");
        assert_eq!(typing("can"), "can*");
        assert_eq!(typing("covid-1"), "\"covid 1*\"");
        assert_eq!(typing("\"heart fail\""), "\"heart fail\"", "a closed phrase is whole");
        assert_eq!(typing("cancer phase:2"), read("cancer phase:2"));
        assert_eq!(typing("cond:diab"), read("cond:diab"), "a field's value is a filter, not a word");
        assert_eq!(typing("(a b)"), "(AND a b)");
        assert_eq!(parse_typing("NCT01234567").unwrap(), Query::Id("NCT01234567".into()));
        assert!(parse_typing("foo:bar").is_err());
    }

    #[test]
    fn near_keeps_the_place_as_typed_and_where_it_is() {
        assert_eq!(
            read(r#"near:"Baltimore, Maryland":25mi cancer"#),
            r#"(AND near:"Baltimore, Maryland":25mi cancer)"#
        );
        assert_eq!(read("NEAR:39.29,-76.61:40km"), r#"near:"39.29,-76.61":40km"#);
        assert_eq!(read("near:Lyon"), r#"near:"Lyon":50mi"#);
        let Query::Expr(Expr::And(parts)) = parse(r#"x near:"Lyon, France":50km"#).unwrap() else { panic!() };
        let Expr::Filter(Filter::Near(near)) = &parts[1] else { panic!() };
        assert_eq!((near.column, near.len), (8, 19), "the place with its quotes and radius");
        let mistake = error("a near:Lyon:5parsecs");
        assert_eq!((mistake.column, mistake.len), (8, 13));
        assert!(mistake.message.starts_with("near: the radius \"5parsecs\""), "{}", mistake.message);
        assert!(error("near:").message.contains("near:\"Baltimore, Maryland\":25mi"));
    }

    #[test]
    fn empty_queries_match_everything() {
        assert_eq!(parse("").unwrap(), Query::All);
        assert_eq!(parse("   \t ").unwrap(), Query::All);
        assert_eq!(parse("& ... \"\"").unwrap(), Query::All);
    }

    #[test]
    fn an_nct_id_alone_is_a_jump() {
        for typed in [
            "NCT01234567",
            "nct01234567",
            "  Nct01234567 ",
            "https://clinicaltrials.gov/study/NCT01234567?tab=results",
        ] {
            assert_eq!(parse(typed).unwrap(), Query::Id("NCT01234567".into()), "{typed}");
        }
        assert_eq!(read("NCT0123456"), "nct0123456");
        assert_eq!(read("NCT01234567 OR nct07654321"), "(OR id:NCT01234567 id:NCT07654321)");
        assert_eq!(read("NCT01234567 cancer"), "(AND id:NCT01234567 cancer)");
    }

    #[test]
    fn words_phrases_and_negation() {
        assert_eq!(parse("Diabète").unwrap(), Query::Expr(word("diabete")));
        assert_eq!(read("heart attack"), "(AND heart attack)");
        assert_eq!(read(r#""Heart Attack""#), r#""heart attack""#);
        assert_eq!(read(r#""cancer""#), r#""cancer""#);
        assert_eq!(read("covid-19"), r#""covid 19""#);
        assert_eq!(read("-placebo"), "(NOT placebo)");
        assert_eq!(read(r#"-"healthy volunteers""#), r#"(NOT "healthy volunteers")"#);
        assert_eq!(read("NOT placebo"), "(NOT placebo)");
        assert_eq!(read("NOT NOT placebo"), "(NOT (NOT placebo))");
        assert_eq!(read("a -b"), "(AND a (NOT b))");
        assert_eq!(read("a & b"), "(AND a b)");
    }

    #[test]
    fn or_binds_tighter_than_the_implicit_and() {
        let parsed = parse("a b OR c").unwrap();
        assert_eq!(parsed, Query::Expr(Expr::And(vec![word("a"), Expr::Or(vec![word("b"), word("c")])])));
        assert_eq!(read("a OR b c"), "(AND (OR a b) c)");
        assert_eq!(read("a OR b OR c"), "(OR a b c)");
        assert_eq!(read("a AND b OR c"), "(AND a (OR b c))");
        assert_eq!(read("(a b) OR c"), "(OR (AND a b) c)");
        assert_eq!(read("NOT a OR b"), "(OR (NOT a) b)");
        assert_eq!(read("-(a OR b) c"), "(AND (NOT (OR a b)) c)");
        assert_eq!(read("((a)) (b c) d"), "(AND a b c d)");
        assert_eq!(read("(a OR b) OR (c OR d)"), "(OR a b c d)");
        assert_eq!(read("a or b"), "(AND a or b)");
        assert_eq!(read("not yet recruiting"), "(AND not yet recruiting)");
        assert_eq!(read(r#""OR" a"#), r#"(AND "or" a)"#);
    }

    #[test]
    fn an_ignored_word_drops_out_of_its_group() {
        assert_eq!(read("a & b"), "(AND a b)");
        assert_eq!(read("a OR &"), "*");
        assert_eq!(read("a -&"), "a");
    }

    #[test]
    fn field_filters_parse_to_their_tree() {
        assert_eq!(
            parse("status:recruiting").unwrap(),
            Query::Expr(Expr::Filter(Filter::Status(vec![Status::Recruiting])))
        );
        assert_eq!(read("STATUS:Not_Yet_Recruiting"), "status:NOT_YET_RECRUITING");
        assert_eq!(read(r#"status:"active, not recruiting""#), "status:ACTIVE_NOT_RECRUITING");
        assert_eq!(read("phase:1/2 type:interventional"), "(AND phase:PHASE1+PHASE2 type:INTERVENTIONAL)");
        assert_eq!(read("phase:na OR phase:early1"), "(OR phase:NA phase:EARLY_PHASE1)");
        assert_eq!(
            read("sex:female age:<18 healthy:no results:yes"),
            "(AND sex:FEMALE age:(*,18) healthy:no results:yes)"
        );
        assert_eq!(read("age:>=65"), "age:[65,*)");
        assert_eq!(
            read("start:>=2020 updated:>=2024-06"),
            "(AND start:[2020-01-01,*) updated:[2024-06-01,*))"
        );
        assert_eq!(read("start:2019..2021"), "start:[2019-01-01,2021-12-31]");
        assert_eq!(read("completion:<2015-06"), "completion:(*,2015-06-01)");
        assert_eq!(read("id:nct0123"), "id:NCT0123");
        assert_eq!(
            read(r#"country:"United States" country:france"#),
            r#"(AND country:"United States" country:"France")"#
        );
        assert_eq!(read("city:Paris sponsor:Pfizer"), r#"(AND city:"paris" sponsor:"pfizer")"#);
        assert_eq!(
            read("cond:diabetes intr:metformin title:vaccine"),
            r#"(AND cond:"diabetes" intr:"metformin" title:"vaccine")"#
        );
        assert_eq!(
            read("-status:open"),
            "(NOT status:RECRUITING|NOT_YET_RECRUITING|ENROLLING_BY_INVITATION|AVAILABLE)"
        );
        assert_eq!(
            read("(status:completed OR status:terminated) results:no"),
            "(AND (OR status:COMPLETED status:TERMINATED) results:no)"
        );
    }

    fn at(input: &str) -> (usize, usize, String) {
        let e = error(input);
        (e.column, e.len, e.message)
    }

    #[test]
    fn errors_point_at_their_column() {
        let (column, len, message) = at("status:recruting");
        assert_eq!((column, len), (8, 9));
        assert!(message.contains("did you mean recruiting?"), "{message}");
        let (column, len, message) = at("foo:bar");
        assert_eq!((column, len), (1, 3));
        assert!(message.starts_with("unknown field foo:"), "{message}");
        assert!(message.contains("status, phase, type"), "{message}");
        assert!(at("cancer stauts:open").2.contains("did you mean status:?"));
        assert_eq!(at("cancer stauts:open").0, 8);
        assert_eq!(at(r#""unclosed"#).0, 1);
        assert_eq!(at(r#"a "unclosed"#).0, 3);
        assert_eq!(at("(a b").0, 1);
        assert!(at("(a b").2.contains("not closed"));
        assert_eq!(at("a (b (c) d").0, 3);
        assert_eq!(at("a b)").0, 4);
        assert!(at("a b)").2.contains("closes nothing"));
        assert_eq!(at("a ()").0, 3);
        assert_eq!(at("a ()").1, 2);
        assert_eq!(at("a OR").0, 3);
        assert!(at("a OR").2.contains("OR must stand between two terms"));
        assert_eq!(at("OR a").0, 1);
        assert_eq!(at("a OR OR b").0, 3);
        assert_eq!(at("(OR a)").0, 2);
        assert_eq!(at("a NOT").0, 3);
        assert!(at("a NOT").2.contains("NOT must be followed"));
        assert_eq!(at("a NOT OR b").0, 3);
        assert_eq!(at("(a NOT)").0, 4);
        assert_eq!(at("a AND").0, 3);
        assert_eq!(at("AND a").0, 1);
        assert_eq!(at("-OR").0, 1);
        let (column, len, message) = at("cancer status:");
        assert_eq!((column, len), (8, 7));
        assert_eq!(message, "status: needs a value, as in status:recruiting");
        assert_eq!(at(r#"country:"  ""#).0, 9);
        let (column, len, message) = at(r#"status:"active not recrutng""#);
        assert_eq!((column, len), (8, 21));
        assert!(message.contains("did you mean active_not_recruiting?"), "{message}");
        assert_eq!(at("phase:5").0, 7);
        assert!(at("start:soon").2.starts_with("start: expected a date"));
        assert_eq!(at("été age:old").0, 9);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "(".repeat(10_000);
        assert!(parse(&deep).is_err());
        let negated = "NOT ".repeat(10_000) + "a";
        assert!(parse(&negated).unwrap_err().message.contains("deeply"));
        assert!(parse(&format!("{}a{}", "(".repeat(20), ")".repeat(20))).is_ok());
    }

    #[test]
    fn highlights_positive_words_and_phrases_once() {
        let query =
            parse(r#"Insulin "Heart Failure" -placebo NOT (x OR y) cond:Diabetes insulin status:open --z"#)
                .unwrap();
        assert_eq!(query.highlight_terms(), ["insulin", "heart failure", "diabetes", "z"]);
        assert!(parse("NCT01234567").unwrap().highlight_terms().is_empty());
        assert!(parse("").unwrap().highlight_terms().is_empty());
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_errors_point_inside(input in "\\PC{0,40}") {
            if let Err(e) = parse(&input) {
                let chars = input.chars().count();
                prop_assert!(e.column >= 1 && e.len >= 1, "{e:?}");
                prop_assert!(e.column - 1 + e.len <= chars, "{e:?} for {input:?}");
                prop_assert!(!e.message.is_empty());
            }
        }

        #[test]
        fn query_like_input_never_panics(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "a", "\"", "(", ")", "-", "OR", "AND", "NOT", "status:", "open", "phase:1/2", "age:<",
                    "18", "..", "start:", "2019", ">=", "x:", ":", " ", "é", "NCT01234567", "country:\"",
                ]),
                0..16,
            )
        ) {
            let input: String = parts.concat();
            if let Err(e) = parse(&input) {
                prop_assert!(e.column >= 1 && e.column - 1 + e.len <= input.chars().count(), "{e:?} for {input:?}");
            }
        }
    }
}
