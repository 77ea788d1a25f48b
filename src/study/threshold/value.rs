//! One value as criteria write it: a comparison in signs or words ("≥", "at least", "no more
//! than", "within"), a number or a range ("18-75", "between 18 and 75", "0 or 1", "90/50"), the
//! unit as written ("x 10^9/L", "mL/min/1.73 m2", "× ULN", "weeks"), and words after it that
//! compare too ("18 years or older").

use super::Comparator;
use super::tokens::{Kind, Token};

/// What a unit says about the value, for deciding what it measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UnitKind {
    None,
    Time(TimeUnit),
    LimitOfNormal,
    Pressure,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimeUnit {
    Years,
    Months,
    Weeks,
    Days,
    Hours,
}

#[derive(Debug, Clone)]
pub(super) struct Value {
    pub cmp: Option<Comparator>,
    /// The comparison was the word "within".
    pub within: bool,
    /// Written "over the age of 18".
    pub of_age: bool,
    pub value: f64,
    /// A range: `value` is the low end.
    pub high: Option<f64>,
    /// Written as "0 or 1" / "0, 1 or 2" rather than with a dash.
    pub listed: bool,
    /// Two values "90/50": systolic over diastolic.
    pub over: Option<f64>,
    pub unit: Option<(usize, usize)>,
    pub unit_kind: UnitKind,
    /// First and one-past-last token, including the comparison words.
    pub start: usize,
    pub end: usize,
}

const AT_LEAST: Comparator = Comparator::AtLeast;
const AT_MOST: Comparator = Comparator::AtMost;
const ABOVE: Comparator = Comparator::Above;
const BELOW: Comparator = Comparator::Below;

/// Comparisons in words, longest first where one begins another.
const WORDS: &[(&[&str], Comparator)] = &[
    (&["greater", "than", "or", "equal", "to"], AT_LEAST),
    (&["more", "than", "or", "equal", "to"], AT_LEAST),
    (&["higher", "than", "or", "equal", "to"], AT_LEAST),
    (&["greater", "or", "equal", "to"], AT_LEAST),
    (&["equal", "to", "or", "greater", "than"], AT_LEAST),
    (&["equal", "to", "or", "more", "than"], AT_LEAST),
    (&["equal", "to", "or", "higher", "than"], AT_LEAST),
    (&["equal", "to", "or", "older", "than"], AT_LEAST),
    (&["equal", "or", "greater", "than"], AT_LEAST),
    (&["at", "least"], AT_LEAST),
    (&["no", "less", "than"], AT_LEAST),
    (&["not", "less", "than"], AT_LEAST),
    (&["no", "younger", "than"], AT_LEAST),
    (&["not", "younger", "than"], AT_LEAST),
    (&["a", "minimum", "of"], AT_LEAST),
    (&["minimum", "of"], AT_LEAST),
    (&["minimum"], AT_LEAST),
    (&["less", "than", "or", "equal", "to"], AT_MOST),
    (&["lesser", "than", "or", "equal", "to"], AT_MOST),
    (&["lower", "than", "or", "equal", "to"], AT_MOST),
    (&["less", "or", "equal", "to"], AT_MOST),
    (&["equal", "to", "or", "less", "than"], AT_MOST),
    (&["equal", "to", "or", "lower", "than"], AT_MOST),
    (&["equal", "to", "or", "younger", "than"], AT_MOST),
    (&["equal", "or", "less", "than"], AT_MOST),
    (&["at", "most"], AT_MOST),
    (&["no", "more", "than"], AT_MOST),
    (&["not", "more", "than"], AT_MOST),
    (&["no", "greater", "than"], AT_MOST),
    (&["not", "greater", "than"], AT_MOST),
    (&["no", "higher", "than"], AT_MOST),
    (&["not", "higher", "than"], AT_MOST),
    (&["no", "longer", "than"], AT_MOST),
    (&["not", "longer", "than"], AT_MOST),
    (&["no", "older", "than"], AT_MOST),
    (&["not", "older", "than"], AT_MOST),
    (&["not", "exceeding"], AT_MOST),
    (&["not", "to", "exceed"], AT_MOST),
    (&["a", "maximum", "of"], AT_MOST),
    (&["maximum", "of"], AT_MOST),
    (&["up", "to"], AT_MOST),
    (&["greater", "than"], ABOVE),
    (&["more", "than"], ABOVE),
    (&["higher", "than"], ABOVE),
    (&["older", "than"], ABOVE),
    (&["longer", "than"], ABOVE),
    (&["in", "excess", "of"], ABOVE),
    (&["over"], ABOVE),
    (&["above"], ABOVE),
    (&["exceeding"], ABOVE),
    (&["exceeds"], ABOVE),
    (&["exceed"], ABOVE),
    (&["less", "than"], BELOW),
    (&["lesser", "than"], BELOW),
    (&["lower", "than"], BELOW),
    (&["younger", "than"], BELOW),
    (&["shorter", "than"], BELOW),
    (&["fewer", "than"], BELOW),
    (&["below"], BELOW),
    (&["under"], BELOW),
    (&["equal", "to"], Comparator::Equal),
    (&["equals"], Comparator::Equal),
];

/// Words after a value that make it a bound: "18 years or older", "3 mg/dl or more".
const AFTER_AT_LEAST: &[&str] = &["more", "greater", "older", "above", "higher", "over", "longer", "later"];
const AFTER_AT_MOST: &[&str] = &["less", "lower", "younger", "below", "fewer", "under", "shorter", "smaller"];

/// The comparison starting at token `at`: (comparator, was "within", first token after it).
fn comparison(tokens: &[Token], at: usize) -> Option<(Comparator, bool, usize)> {
    let first = tokens.get(at)?;
    if let Kind::Compare(cmp) = first.kind {
        return Some((cmp, false, at + 1));
    }
    if first.kind != Kind::Word {
        return None;
    }
    if first.lower == "within" {
        return Some((AT_MOST, true, at + 1));
    }
    'phrase: for (words, cmp) in WORDS {
        for (k, w) in words.iter().enumerate() {
            if !tokens.get(at + k).is_some_and(|t| t.is_word(w)) {
                continue 'phrase;
            }
        }
        let mut next = at + words.len();
        // "greater than (>) 3", "lesser than or equal to (≤) 30", "less than [<] 16"
        if tokens.get(next).is_some_and(|t| t.is_mark('(') || t.is_mark('['))
            && tokens.get(next + 1).is_some_and(|t| matches!(t.kind, Kind::Compare(_)))
            && tokens.get(next + 2).is_some_and(|t| t.is_mark(')') || t.is_mark(']'))
        {
            next += 3;
        }
        return Some((*cmp, false, next));
    }
    None
}

/// The value starting at token `at` (a comparison or a number), if one is written there.
/// `between` says the word "between" came just before, so "18 and 75" is a range.
pub(super) fn value_at(tokens: &[Token], at: usize, between: bool) -> Option<Value> {
    let (cmp, within, mut i) = match comparison(tokens, at) {
        Some((cmp, within, next)) => (Some(cmp), within, next),
        None => (None, false, at),
    };
    if cmp.is_some() && tokens.get(i).is_some_and(|t| t.kind == Kind::Compare(Comparator::Equal)) {
        i += 1;
    }
    // "greater than a value of 11%"
    if cmp.is_some()
        && tokens.get(i).is_some_and(|t| t.is_word("a") || t.is_word("the"))
        && tokens.get(i + 1).is_some_and(|t| t.is_word("value"))
        && tokens.get(i + 2).is_some_and(|t| t.is_word("of"))
    {
        i += 3;
    }
    // "over the age of 18"
    let mut of_age = false;
    if cmp.is_some()
        && tokens.get(i).is_some_and(|t| t.is_word("the"))
        && tokens.get(i + 1).is_some_and(|t| t.is_word("age"))
        && tokens.get(i + 2).is_some_and(|t| t.is_word("of"))
    {
        of_age = true;
        i += 3;
    }
    // "≤ institutional ULN", "> ULN": one times the upper limit
    if let Some(cmp) = cmp.filter(|_| !of_age)
        && tokens.get(i).is_some_and(|t| t.number().is_none())
        && let Some((UnitKind::LimitOfNormal, span, next)) = unit_at(tokens, i)
    {
        return Some(Value {
            cmp: Some(cmp),
            within,
            of_age,
            value: 1.0,
            high: None,
            listed: false,
            over: None,
            unit: Some(span),
            unit_kind: UnitKind::LimitOfNormal,
            start: at,
            end: next,
        });
    }
    let value = tokens.get(i)?.number()?;
    i += 1;
    // "six (6) months": the number written twice
    if tokens.get(i).is_some_and(|t| t.is_mark('('))
        && tokens.get(i + 1).and_then(Token::number) == Some(value)
        && tokens.get(i + 2).is_some_and(|t| t.is_mark(')'))
    {
        i += 3;
    }
    let mut v = Value {
        cmp,
        within,
        of_age,
        value,
        high: None,
        listed: false,
        over: None,
        unit: None,
        unit_kind: UnitKind::None,
        start: at,
        end: i,
    };
    if let Some((kind, span, next)) = unit_at(tokens, i) {
        v.unit_kind = kind;
        v.unit = Some(span);
        i = next;
    }
    v.end = i;
    // a range: "18-75", "18 to 75", "18 through 75", "between 18 and 75"
    let joined = tokens.get(i).is_some_and(|t| {
        t.is_mark('-')
            || t.is_mark('–')
            || t.is_mark('—')
            || t.is_mark('~')
            || t.is_mark('～')
            || t.is_word("to")
            || t.is_word("through")
            || t.is_word("thru")
    }) || (between && tokens.get(i).is_some_and(|t| t.is_word("and")));
    if joined && (v.cmp.is_none() || v.cmp == Some(Comparator::Equal)) {
        if let Some(high) = tokens.get(i + 1).and_then(Token::number) {
            if high > value {
                v.high = Some(high);
                v.cmp = None;
                i += 2;
                // the unit after the high end is the range's ("18.0 kg/m2 through 32.0 kg/m2")
                if let Some((kind, span, next)) = unit_at(tokens, i) {
                    v.unit_kind = kind;
                    v.unit = Some(span);
                    i = next;
                }
                v.end = i;
            }
        } else if between
            && tokens.get(i).is_some_and(|t| t.is_word("and"))
            && tokens.get(i + 1).is_some_and(|t| matches!(t.kind, Kind::Compare(_)))
        {
            // "between 6 months and < 16 years": the first end is a lower bound
            v.cmp = Some(AT_LEAST);
        }
    } else if v.cmp.is_none() || v.cmp == Some(Comparator::Equal) {
        // "0 or 1", "0, 1 or 2", "0, 1, or 2": consecutive small whole numbers
        let mut j = i;
        let mut last = value;
        let mut count = 1;
        loop {
            let mut k = j;
            if tokens.get(k).is_some_and(|t| t.is_mark(',')) {
                k += 1;
            }
            if tokens.get(k).is_some_and(|t| t.is_word("or") || t.is_word("and")) {
                k += 1;
            }
            if k == j {
                break;
            }
            match tokens.get(k).and_then(Token::number) {
                Some(n) if n == last + 1.0 && n <= 5.0 && last.fract() == 0.0 => {
                    last = n;
                    count += 1;
                    j = k + 1;
                }
                _ => break,
            }
        }
        if count > 1 {
            v.high = Some(last);
            v.listed = true;
            v.cmp = None;
            i = j;
            v.end = i;
        }
    }
    // "90/50 mmHg"
    if v.high.is_none()
        && v.unit.is_none()
        && tokens.get(i).is_some_and(|t| t.is_mark('/'))
        && tokens.get(i).map(|t| t.start) == tokens.get(i.wrapping_sub(1)).map(|t| t.end)
        && let Some(over) = tokens.get(i + 1).and_then(Token::number)
        && value >= 30.0
        && over >= 20.0
    {
        v.over = Some(over);
        i += 2;
        if let Some((kind, span, next)) = unit_at(tokens, i) {
            v.unit_kind = kind;
            v.unit = Some(span);
            i = next;
        }
        v.end = i;
    }
    // words after: "18 years of age or older", "3 mg/dl or more", "18+"
    if v.cmp.is_none() && v.high.is_none() {
        let mut j = i;
        while tokens.get(j).is_some_and(|t| {
            t.is_word("of") || t.is_word("age") || t.is_word("old") || t.is_word("years") || t.is_mark('-')
        }) {
            j += 1;
        }
        if tokens.get(j).is_some_and(|t| t.is_word("or") || t.is_word("and")) {
            if let Some(w) = tokens.get(j + 1).filter(|t| t.kind == Kind::Word) {
                if AFTER_AT_LEAST.contains(&w.lower.as_ref()) {
                    v.cmp = Some(AT_LEAST);
                    v.end = j + 2;
                } else if AFTER_AT_MOST.contains(&w.lower.as_ref()) {
                    v.cmp = Some(AT_MOST);
                    v.end = j + 2;
                }
            }
        } else if tokens.get(i).is_some_and(|t| t.is_mark('+'))
            && tokens.get(i + 1).is_none_or(|t| t.number().is_none())
        {
            v.cmp = Some(AT_LEAST);
            v.end = i + 1;
        }
    }
    Some(v)
}

const TIME_UNITS: &[(&str, TimeUnit)] = &[
    ("years", TimeUnit::Years),
    ("year", TimeUnit::Years),
    ("yrs", TimeUnit::Years),
    ("yr", TimeUnit::Years),
    ("y", TimeUnit::Years),
    ("yo", TimeUnit::Years),
    ("months", TimeUnit::Months),
    ("month", TimeUnit::Months),
    ("mo", TimeUnit::Months),
    ("mos", TimeUnit::Months),
    ("weeks", TimeUnit::Weeks),
    ("week", TimeUnit::Weeks),
    ("wk", TimeUnit::Weeks),
    ("wks", TimeUnit::Weeks),
    ("days", TimeUnit::Days),
    ("day", TimeUnit::Days),
    ("d", TimeUnit::Days),
    ("hours", TimeUnit::Hours),
    ("hour", TimeUnit::Hours),
    ("hrs", TimeUnit::Hours),
    ("h", TimeUnit::Hours),
];

/// Unit words that may stand first, alone ("mg", "%") or before a slash ("mg/dL").
const UNIT_WORDS: &[&str] = &[
    "g",
    "gm",
    "gr",
    "mg",
    "mcg",
    "µg",
    "μg",
    "ug",
    "ng",
    "pg",
    "mmol",
    "µmol",
    "μmol",
    "umol",
    "mol",
    "meq",
    "iu",
    "miu",
    "ml",
    "dl",
    "cells",
    "cell",
    "mm",
    "mm3",
    "cm",
    "ms",
    "msec",
    "milliseconds",
    "kg",
    "kgs",
    "lb",
    "lbs",
    "mmhg",
    "bpm",
    "sec",
    "seconds",
    "mcl",
    "µl",
    "μl",
    "ul",
    "microliter",
    "microlitre",
    "mio",
    "copies",
    "percent",
    "kg/m2",
];
/// Unit words only after a slash or before one ("U/L", "x10^9/L").
const UNIT_WORDS_SLASHED: &[&str] = &[
    "u",
    "l",
    "min",
    "minute",
    "m2",
    "m",
    "day",
    "kg",
    "dl",
    "ml",
    "mm3",
    "mm",
    "mcl",
    "µl",
    "μl",
    "ul",
    "h",
    "hr",
    "hour",
    "microliter",
    "microlitre",
    "liter",
    "litre",
    "hpf",
    "sec",
    "s",
    "mmol",
    "m²",
    "week",
];

pub(super) fn time_unit(word: &str) -> Option<TimeUnit> {
    TIME_UNITS.iter().find(|(w, _)| *w == word).map(|(_, u)| *u)
}

/// Two tokens written with nothing between them.
fn glued(tokens: &[Token], a: usize, b: usize) -> bool {
    match (tokens.get(a), tokens.get(b)) {
        (Some(x), Some(y)) => x.end == y.start,
        _ => false,
    }
}

/// The unit written at token `at`: (kind, byte span, first token after it).
pub(super) fn unit_at(tokens: &[Token], at: usize) -> Option<(UnitKind, (usize, usize), usize)> {
    let first = tokens.get(at)?;
    let span = |end: usize| (first.start, tokens.get(end - 1).map_or(first.end, |t| t.end));
    if first.is_mark('%') {
        return Some((UnitKind::Other, span(at + 1), at + 1));
    }
    // "6-months", "12-week"
    if first.is_mark('-') && glued(tokens, at.wrapping_sub(1), at) {
        if let Some(word) = tokens.get(at + 1).filter(|t| t.kind == Kind::Word)
            && let Some(u) = time_unit(&word.lower)
        {
            return Some((UnitKind::Time(u), (word.start, word.end), at + 2));
        }
        return None;
    }
    if first.kind == Kind::Word
        && let Some(u) = time_unit(&first.lower)
    {
        // "y/o", "yrs." are still years
        let mut end = at + 1;
        if first.lower == "y"
            && tokens.get(at + 1).is_some_and(|t| t.is_mark('/'))
            && tokens.get(at + 2).is_some_and(|t| t.is_word("o"))
        {
            end = at + 3;
        }
        return Some((UnitKind::Time(u), span(end), end));
    }
    // scale: "x ULN", "× 10^9/L", "times the upper limit of normal", "*upper limit of normal"
    let scaled = first.is_word("x")
        || first.is_word("times")
        || first.is_mark('×')
        || first.is_mark('*')
        || first.is_mark('х');
    let from = if scaled { at + 1 } else { at };
    if let Some(end) = upper_limit(tokens, from) {
        return Some((UnitKind::LimitOfNormal, span(end), end));
    }
    if first.is_word("xuln") {
        return Some((UnitKind::LimitOfNormal, span(at + 1), at + 1));
    }
    if scaled {
        if let Some(end) = power_of_ten(tokens, from) {
            let end = slashed(tokens, end);
            return Some((UnitKind::Other, span(end), end));
        }
        return None;
    }
    // "/mm3", "/µL", "cells/mm3", "mg/dL", "mL/min/1.73 m2", "mm Hg", "kg/m^2"
    let word = |i: usize| tokens.get(i).filter(|t| t.kind == Kind::Word).map(|t| t.lower.as_ref());
    if first.is_mark('/') {
        if word(at + 1).is_some_and(|w| UNIT_WORDS_SLASHED.contains(&w) || UNIT_WORDS.contains(&w)) {
            let end = slashed(tokens, at);
            return Some((UnitKind::Other, span(end), end));
        }
        return None;
    }
    let w = word(at)?;
    if w == "mm" && word(at + 1) == Some("hg") {
        return Some((UnitKind::Pressure, span(at + 2), at + 2));
    }
    if w == "mmhg" {
        return Some((UnitKind::Pressure, span(at + 1), at + 1));
    }
    let standalone = UNIT_WORDS.contains(&w);
    let before_slash = UNIT_WORDS_SLASHED.contains(&w) && tokens.get(at + 1).is_some_and(|t| t.is_mark('/'));
    if standalone || before_slash {
        let mut end = slashed(tokens, at + 1);
        // "/mm^3", "m²"
        end = power_suffix(tokens, end);
        return Some((UnitKind::Other, span(end), end));
    }
    None
}

/// "^3", "²", "3" glued: the power after a unit word.
fn power_suffix(tokens: &[Token], at: usize) -> usize {
    if tokens.get(at).is_some_and(|t| t.is_mark('^'))
        && tokens.get(at + 1).is_some_and(|t| t.number().is_some())
    {
        return at + 2;
    }
    if tokens.get(at).is_some_and(|t| t.is_mark('²') || t.is_mark('³'))
        && glued(tokens, at.wrapping_sub(1), at)
    {
        return at + 1;
    }
    at
}

/// After a unit word at `at - 1`: more "/word" parts ("/min/1.73 m2").
fn slashed(tokens: &[Token], at: usize) -> usize {
    let mut i = power_suffix(tokens, at);
    while tokens.get(i).is_some_and(|t| t.is_mark('/')) {
        let next = tokens.get(i + 1);
        if next.is_some_and(|t| {
            t.kind == Kind::Word
                && (UNIT_WORDS_SLASHED.contains(&t.lower.as_ref()) || UNIT_WORDS.contains(&t.lower.as_ref()))
        }) {
            i = power_suffix(tokens, i + 2);
        } else if next.is_some_and(|t| t.number().is_some_and(|n| (1.7..1.8).contains(&n)))
            && tokens.get(i + 2).is_some_and(|t| t.is_word("m") || t.is_word("m2"))
        {
            // "/1.73 m2", "/1.73m²"
            i = power_suffix(tokens, i + 3);
        } else {
            break;
        }
    }
    i
}

/// "10^9", "10⁹", "10*9", "10e9", or "109" when a slash follows ("x 109/L", the superscript lost).
fn power_of_ten(tokens: &[Token], at: usize) -> Option<usize> {
    let t = tokens.get(at)?;
    let n = t.number()?;
    if n == 10.0 {
        let next = tokens.get(at + 1);
        if next.is_some_and(|t| t.is_mark('^') || t.is_mark('*'))
            && tokens.get(at + 2).is_some_and(|t| t.number().is_some())
        {
            return Some(at + 3);
        }
        if next.is_some_and(|t| t.is_word("e") || t.is_word("exp"))
            && tokens.get(at + 2).is_some_and(|t| t.number().is_some())
        {
            return Some(at + 3);
        }
        if next.is_some_and(|t| {
            t.kind == Kind::Word
                && t.lower.len() > 1
                && t.lower.strip_prefix('e').is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
        }) {
            return Some(at + 2);
        }
        let mut i = at + 1;
        while tokens.get(i).is_some_and(|t| matches!(t.kind, Kind::Mark('⁰'..='⁹' | '¹' | '²' | '³')))
        {
            i += 1;
        }
        if i > at + 1 {
            return Some(i);
        }
        return Some(at + 1);
    }
    if matches!(n as u32, 103 | 106 | 109 | 1012)
        && n.fract() == 0.0
        && tokens.get(at + 1).is_some_and(|t| t.is_mark('/'))
    {
        return Some(at + 1);
    }
    None
}

/// "ULN", "UNL", "the upper limit of normal", "institutional upper limit of normal (ULN)",
/// "upper normal limit", "normal": the end of the phrase, if it starts at `at`.
fn upper_limit(tokens: &[Token], at: usize) -> Option<usize> {
    const WORDS: &[&str] = &[
        "the",
        "institutional",
        "institution",
        "upper",
        "limit",
        "limits",
        "of",
        "normal",
        "range",
        "uln",
        "unl",
        "lln",
        "iuln",
        "lower",
        "laboratory",
        "lab",
        "reference",
        "site",
        "local",
        "value",
        "s",
    ];
    let mut i = at;
    let mut end = None;
    let mut upper = false;
    while let Some(t) = tokens.get(i) {
        if t.kind == Kind::Word && WORDS.contains(&t.lower.as_ref()) {
            match t.lower.as_ref() {
                "uln" | "unl" | "lln" | "iuln" => end = Some(i + 1),
                "upper" | "lower" => upper = true,
                "limit" | "limits" if upper => end = Some(i + 1),
                "normal" => end = Some(i + 1),
                _ => {}
            }
            i += 1;
        } else if t.is_mark('\'') || t.is_mark('’') {
            i += 1;
        } else {
            break;
        }
        if i - at > 9 {
            break;
        }
    }
    let mut end = end?;
    // a first word that is not part of the phrase ("the" alone, "of normal" after nothing)
    if !tokens.get(at).is_some_and(|t| {
        matches!(
            t.lower.as_ref(),
            "the"
                | "institutional"
                | "institution"
                | "upper"
                | "lower"
                | "uln"
                | "unl"
                | "lln"
                | "iuln"
                | "normal"
                | "laboratory"
                | "lab"
                | "local"
                | "site"
        )
    }) {
        return None;
    }
    // "(ULN)" after the words
    if tokens.get(end).is_some_and(|t| t.is_mark('('))
        && tokens.get(end + 1).is_some_and(|t| t.is_word("uln") || t.is_word("unl"))
        && tokens.get(end + 2).is_some_and(|t| t.is_mark(')'))
    {
        end += 3;
    }
    Some(end)
}
