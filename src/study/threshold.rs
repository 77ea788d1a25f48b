//! Thresholds found in one eligibility criterion's text: what is measured (age, ECOG, a named lab
//! value…), how it is compared, the value or range, the unit as written, and time windows.
//!
//! The criteria tree (`study::eligibility`) calls [`find`] on each item's rendered text; the pane,
//! `nct show` and `nct criteria` show what it returns.
//!
//! How it reads: [`tokens`] splits the text into words, numbers and comparison signs;
//! [`measures`] names what is measured from its vocabulary; [`value`] reads a comparison, a number
//! or range and its unit; [`find`] binds each value to the measure written just before it (or,
//! for times, decides from the words around it which kind of time it is). Nothing is compiled
//! per call: the vocabulary index is built once.
//!
//! Names of what is measured (`what`): "age", "ECOG", "WHO", "Karnofsky", "Lansky", "BMI",
//! "weight", "life expectancy", "ANC", "platelets", "haemoglobin", "WBC", "lymphocytes", "CD4",
//! "creatinine", "creatinine clearance", "eGFR", "bilirubin", "AST", "ALT", "ALP", "albumin",
//! "lipase", "amylase", "INR", "PT", "aPTT", "HbA1c", "potassium", "sodium", "calcium",
//! "magnesium", "glucose", "LDL cholesterol", "triglycerides", "TSH", "PSA", "testosterone",
//! "SpO2", "FEV1", "QTc", "LVEF", "systolic", "diastolic", "heart rate"; and three kinds of time:
//! - "time window": how recent an event may be or must be, `<=` unless written otherwise
//!   ("within 28 days before", "in the past 3 months", "≤ 6 months prior to dosing");
//! - "washout": the least time since a previous treatment or surgery, `>=`
//!   ("at least 4 weeks since", "≥ 2 weeks from prior chemotherapy", "washout of 4 weeks");
//! - "duration": how long something has lasted, `>=` ("for at least 6 months", "of at least
//!   3 months duration", "stable dose for 3 months").
//!
//! Not thresholds here: counts (prior lines of therapy, attempts, drinks), doses, stages and
//! grades, questionnaire scores, tumour and imaging sizes, dates, versions and names with
//! numbers ("phase 3", "COVID-19", "type 2").

mod measures;
mod tokens;
mod value;

use serde::Serialize;

use measures::{
    AGE, BLOOD_PRESSURE, DIASTOLIC, ECOG, KARNOFSKY, LANSKY, LIFE_EXPECTANCY, Mention, SYSTOLIC, WHO,
};
use tokens::{Kind, Token};
use value::{TimeUnit, UnitKind, Value};

/// How a threshold compares the measured value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Comparator {
    #[serde(rename = ">=")]
    AtLeast,
    #[serde(rename = "<=")]
    AtMost,
    #[serde(rename = ">")]
    Above,
    #[serde(rename = "<")]
    Below,
    #[serde(rename = "=")]
    Equal,
    #[serde(rename = "between")]
    Between,
}

/// One threshold in a criterion, as `nct criteria --format json` writes it:
/// `{"what", "comparator", "value", "low", "high", "unit", "text"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// Canonical name of what is measured: "age", "ECOG", "Karnofsky", "BMI", "ANC", "platelets",
    /// "haemoglobin", "creatinine", "eGFR", "QTc", "LVEF", "washout", "time window"…
    pub what: String,
    pub comparator: Comparator,
    /// The single value for `>=`, `<=`, `>`, `<`, `=`; `None` for `between`.
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The unit as written ("x10^9/L", "mg/dL", "× ULN", "years", "weeks"), or `None`.
    pub unit: Option<String>,
    /// The words of the criterion the threshold was read from.
    pub text: String,
}

/// Every threshold in one criterion's text, in the order they appear.
pub fn find(text: &str) -> Vec<Threshold> {
    let tokens = tokens::tokenize(text);
    let mut reader = Reader {
        text,
        tokens: &tokens,
        out: Vec::new(),
        group: None,
        restated_after: None,
        unbound: None,
        last_time: None,
    };
    reader.read();
    reader.out
}

/// Measures named together ("AST and/or ALT", "Absolute neutrophil count (ANC)") and the values
/// bound to them so far.
struct Group {
    names: Vec<&'static str>,
    start_byte: usize,
    /// One past the last token of the last mention or bound value: values are bound while close.
    last: usize,
    /// One past the last mention's last token.
    mention_end: usize,
    bound: usize,
    /// A value written before the measures ("> 2x normal AST or ALT").
    before: Option<Value>,
}

struct Reader<'t, 'a> {
    text: &'a str,
    tokens: &'t [Token<'a>],
    out: Vec<Threshold>,
    group: Option<Group>,
    /// The token after a time just read: "13 weeks (3 months)" says the same time twice.
    restated_after: Option<usize>,
    /// The last comparison read but bound to nothing: it may belong to the measure named next.
    unbound: Option<Value>,
    /// The last time read and what it was: "at least 6 weeks but not longer than 24 weeks".
    last_time: Option<(usize, &'static str)>,
}

/// Words and marks that may stand between measures named together.
fn connects(t: &Token) -> bool {
    match t.kind {
        Kind::Mark(c) => matches!(c, '/' | '(' | ')' | '[' | ']' | ',' | '&' | '-'),
        Kind::Word => matches!(
            t.lower.as_ref(),
            "and"
                | "or"
                | "serum"
                | "the"
                | "both"
                | "either"
                | "total"
                | "plasma"
                | "blood"
                | "s"
                | "level"
                | "levels"
        ),
        _ => false,
    }
}

fn stops(tokens: &[Token], i: usize) -> bool {
    let Some(t) = tokens.get(i) else { return true };
    match t.kind {
        Kind::Mark(';' | '\n' | '②' | '③' | '④' | '①') => true,
        // a full stop ends a sentence; "e.g." and "vs." do not
        Kind::Mark('.') => {
            let before = i.checked_sub(1).and_then(|j| tokens.get(j));
            !before.is_some_and(|b| b.kind == Kind::Word && b.lower.len() <= 2 && b.end == t.start)
        }
        _ => false,
    }
}

/// Words before a time that make it a time window ("in the past 3 months").
const RECENT: &[&str] = &["past", "last", "previous", "preceding", "prior", "recent", "next", "latest"];
/// Words after a time that make a least time a washout ("at least 4 weeks since").
const SINCE: &[&str] = &[
    "since",
    "from",
    "after",
    "elapsed",
    "following",
    "post",
    "later",
    "prior",
    "before",
    "ago",
    "passed",
    "previously",
];
const NEGATED_VERBS: &[&str] = &[
    "received",
    "receive",
    "taken",
    "take",
    "required",
    "require",
    "requiring",
    "used",
    "use",
    "had",
    "undergone",
];
const SUBJECTS: &[&str] = &[
    "men",
    "women",
    "male",
    "males",
    "female",
    "females",
    "patient",
    "patients",
    "subject",
    "subjects",
    "participant",
    "participants",
    "person",
    "persons",
    "people",
    "individual",
    "individuals",
    "volunteer",
    "volunteers",
    "boys",
    "girls",
    "adolescents",
    "infants",
];

impl<'t, 'a> Reader<'t, 'a> {
    fn read(&mut self) {
        let mut i = 0;
        while i < self.tokens.len() {
            if stops(self.tokens, i) {
                self.close();
                self.unbound = None;
                i += 1;
                continue;
            }
            if let Some(m) = measures::mention_at(self.tokens, i) {
                let end = m.end.max(i + 1);
                self.mention(m);
                i = end;
                continue;
            }
            let between =
                (i.saturating_sub(4)..i).any(|j| self.tokens.get(j).is_some_and(|t| t.is_word("between")));
            if let Some(v) = value::value_at(self.tokens, i, between) {
                let end = v.end.max(i + 1);
                self.value(v);
                i = end;
                continue;
            }
            i += 1;
        }
        self.close();
    }

    fn close(&mut self) {
        if let Some(mut g) = self.group.take()
            && let Some(v) = g.before.take()
        {
            self.bind(&mut g, &v);
        }
    }

    fn mention(&mut self, m: Mention) {
        if let Some(g) = self.group.as_mut() {
            let joined = g.bound == 0
                && m.start.saturating_sub(g.mention_end) <= 4
                && (g.mention_end..m.start).all(|j| self.tokens.get(j).is_some_and(connects));
            if joined {
                for name in m.names {
                    if !g.names.contains(name) {
                        g.names.push(name);
                    }
                }
                g.mention_end = m.end;
                g.last = m.end;
                return;
            }
        }
        self.close();
        // a value written just before the name ("> 1.5x normal bilirubin") belongs to it
        let before = self.unbound.take().filter(|v| v.end == m.start || v.end + 1 == m.start);
        let start_byte = before
            .as_ref()
            .and_then(|v| self.tokens.get(v.start))
            .or_else(|| self.tokens.get(m.start))
            .map_or(0, |t| t.start);
        self.group = Some(Group {
            names: m.names.to_vec(),
            start_byte,
            last: m.end,
            mention_end: m.end,
            bound: 0,
            before,
        });
    }

    /// Word and number tokens between the group's last token and `at`.
    /// Words inside parentheses do not count: "ejection fraction (as measured by MUGA) < 50%".
    fn distance(&self, from: usize, at: usize) -> usize {
        let mut depth = 0usize;
        let mut count = 0;
        for j in from..at {
            match self.tokens.get(j).map(|t| t.kind) {
                Some(Kind::Mark('(' | '[')) => depth += 1,
                Some(Kind::Mark(')' | ']')) => depth = depth.saturating_sub(1),
                Some(Kind::Word | Kind::Number(_)) if depth == 0 => count += 1,
                _ => {}
            }
        }
        count
    }

    /// Whether a word starting with `prefix` is in the sentence before token `at`.
    fn sentence_has(&self, at: usize, prefix: &str) -> bool {
        let mut j = at;
        while let Some(k) = j.checked_sub(1) {
            j = k;
            if stops(self.tokens, j) {
                return false;
            }
            if self.tokens.get(j).is_some_and(|t| t.kind == Kind::Word && t.lower.starts_with(prefix)) {
                return true;
            }
        }
        false
    }

    fn value(&mut self, v: Value) {
        let compares = v.cmp.is_some() || v.high.is_some() || v.over.is_some();
        let time = match v.unit_kind {
            UnitKind::Time(u) => Some(u),
            _ => None,
        };
        // "13 weeks (3 months)": the same time written twice
        if time.is_some() && self.restated_after.is_some_and(|after| v.start == after + 1) && v.cmp.is_none()
        {
            return;
        }
        if v.of_age {
            self.emit(AGE, &v, v.cmp, self.byte_start(v.start));
            return;
        }
        let close =
            self.group.as_ref().is_some_and(|g| g.before.is_none() && self.distance(g.last, v.start) <= 6);
        if close && let Some(mut g) = self.group.take() {
            let taken = self.take_into(&mut g, &v, time);
            self.group = Some(g);
            if taken {
                return;
            }
        }
        if let Some(unit) = time {
            self.time(&v, unit);
            return;
        }
        if compares {
            // a group with a value written before its names takes none after them
            if self.group.as_ref().is_some_and(|g| g.before.is_some()) {
                self.close();
            }
            self.unbound = Some(v);
        }
    }

    /// Binds `v` to the close group `g` if it measures it; false leaves `v` to be read otherwise.
    fn take_into(&mut self, g: &mut Group, v: &Value, time: Option<TimeUnit>) -> bool {
        let names = &g.names;
        if let Some(unit) = time {
            if names.contains(&LIFE_EXPECTANCY) {
                return self.bind(g, v);
            }
            if names.contains(&AGE) && !self.recent_before(v) {
                let near = self.distance(g.mention_end, v.start) <= 2 || v.high.is_some();
                if unit == TimeUnit::Years || near {
                    return self.bind(g, v);
                }
            }
            return false;
        }
        if !(v.cmp.is_some() || v.high.is_some() || v.over.is_some()) {
            return false;
        }
        self.bind(g, v)
    }

    /// Emits one threshold per measure of the group; false when none of them takes the value.
    fn bind(&mut self, g: &mut Group, v: &Value) -> bool {
        let mut any = false;
        let mut names = g.names.clone();
        // "blood pressure (systolic > 170 …)": the specific names say which
        if names.iter().any(|n| *n == SYSTOLIC || *n == DIASTOLIC) {
            names.retain(|n| *n != BLOOD_PRESSURE);
        }
        let bp_only = names.iter().all(|n| *n == BLOOD_PRESSURE || *n == SYSTOLIC || *n == DIASTOLIC);
        for name in names {
            let start = g.start_byte;
            if v.over.is_some() && bp_only {
                // "90/50 mmHg": systolic over diastolic, whichever names the group has
                let (sys, dia) = (v.value, v.over.unwrap_or(v.value));
                if name != DIASTOLIC {
                    let one = Value { over: None, ..v.clone() };
                    any |= self.emit(SYSTOLIC, &one, v.cmp, start);
                }
                if name != SYSTOLIC {
                    let other = Value { over: None, value: dia, ..v.clone() };
                    any |= self.emit(DIASTOLIC, &other, v.cmp, start);
                }
                let _ = sys;
                continue;
            }
            let name = match name {
                // the first value of "blood pressure (130-139 mmHg or 85-89 mmHg)" is systolic
                BLOOD_PRESSURE if g.bound == 0 => SYSTOLIC,
                BLOOD_PRESSURE => DIASTOLIC,
                // "performance status ≥ 70" is on the Karnofsky scale
                ECOG if v.value > 5.0 && v.high.is_none() => KARNOFSKY,
                other => other,
            };
            any |= self.emit(name, v, v.cmp, start);
        }
        if any {
            g.bound += 1;
            g.last = v.end;
        }
        any
    }

    fn byte_start(&self, tok: usize) -> usize {
        self.tokens.get(tok).map_or(0, |t| t.start)
    }

    /// "within the past", "in the last": the words just before `v` make it a time window.
    fn recent_before(&self, v: &Value) -> bool {
        if v.within {
            return true;
        }
        let words = self.words_before(v.start, 4);
        words.iter().any(|w| *w == "within" || *w == "during")
            || words.last().is_some_and(|w| RECENT.contains(w))
    }

    /// Up to `n` words before token `at`, nearest last, not crossing a stop.
    fn words_before(&self, at: usize, n: usize) -> Vec<&str> {
        let mut out = Vec::new();
        let mut j = at;
        while out.len() < n {
            let Some(k) = j.checked_sub(1) else { break };
            j = k;
            // the words before another number are that number's
            if stops(self.tokens, j) || self.tokens.get(j).is_some_and(|t| t.number().is_some()) {
                break;
            }
            if let Some(t) = self.tokens.get(j).filter(|t| t.kind == Kind::Word) {
                out.push(t.lower.as_ref());
            }
        }
        out.reverse();
        out
    }

    /// Up to `n` words after token `at` (marks skipped), not crossing a stop.
    fn words_after(&self, at: usize, n: usize) -> Vec<&str> {
        let mut out = Vec::new();
        let mut j = at;
        while out.len() < n && j < self.tokens.len() && !stops(self.tokens, j) {
            if let Some(t) = self.tokens.get(j) {
                match t.kind {
                    Kind::Word => out.push(t.lower.as_ref()),
                    Kind::Number(_) => break,
                    _ => {}
                }
            }
            j += 1;
        }
        out
    }

    /// A value in years read as an age ("18-65 years of age", "patients over 18 years").
    fn is_age(&self, v: &Value, unit: TimeUnit) -> bool {
        if unit != TimeUnit::Years || !(v.cmp.is_some() || v.high.is_some()) || v.value > 120.0 {
            return false;
        }
        let after = self.words_after(v.end, 3);
        // "18 years of age or older": the words of age were read into the value
        let own_words =
            (v.start..v.end).filter_map(|j| self.tokens.get(j)).any(|t| t.is_word("age") || t.is_word("old"));
        if own_words {
            return !self.recent_before(v);
        }
        let unit_word = v.unit.and_then(|(s, e)| self.text.get(s..e)).unwrap_or("");
        if after.first().is_some_and(|w| *w == "old")
            || after.starts_with(&["of", "age"])
            || unit_word.eq_ignore_ascii_case("yo")
            || unit_word.contains('/')
        {
            return !self.recent_before(v);
        }
        if after
            .iter()
            .take(2)
            .any(|w| SINCE.contains(w) || *w == "duration" || *w == "history" || *w == "disease")
            || self.recent_before(v)
        {
            return false;
        }
        let before = self.words_before(v.start, 2);
        before.is_empty() || before.iter().any(|w| SUBJECTS.contains(w))
    }

    /// A value with a time unit and no measure: an age, a time window, a washout or a duration.
    fn time(&mut self, v: &Value, unit: TimeUnit) {
        if self.is_age(v, unit) {
            self.emit(AGE, v, v.cmp, self.byte_start(v.start));
            return;
        }
        // how long contraception lasts after the last dose is not a criterion's threshold
        if self.sentence_has(v.start, "contracept") {
            return;
        }
        // a second bound joined to a first ("at least 6 weeks but not longer than 24 weeks")
        if let Some((end, what)) = self.last_time {
            let joined = v.start >= end
                && v.start - end <= 2
                && (end..v.start).all(|j| {
                    self.tokens.get(j).is_some_and(|t| {
                        t.is_word("and") || t.is_word("but") || t.is_word("or") || t.is_mark(',')
                    })
                });
            if joined && v.cmp.is_some() {
                let start = self.byte_start(v.start);
                if self.emit(what, v, v.cmp, start) {
                    self.last_time = Some((v.end, what));
                }
                return;
            }
        }
        let wider = self.words_before(v.start, 7);
        let before = self.words_before(v.start, 4);
        let after = self.words_after(v.end, 4);
        let last_before = before.last().copied().unwrap_or("");
        let cue_start = |words: usize| -> usize {
            // the byte where the cue words start, `words` words before the value
            let mut j = v.start;
            let mut seen = 0;
            while seen < words {
                let Some(k) = j.checked_sub(1) else { break };
                j = k;
                if self.tokens.get(j).is_some_and(|t| t.kind == Kind::Word) {
                    seen += 1;
                }
            }
            self.byte_start(j)
        };
        let own_start = self.byte_start(v.start);
        let range = v.high.is_some();
        let (what, cmp, start): (&str, Option<Comparator>, usize) =
            if before.iter().any(|w| *w == "washout" || *w == "wash") {
                ("washout", Some(v.cmp.unwrap_or(Comparator::AtLeast)), cue_start(before.len()))
            } else if wider.contains(&"for") && wider.contains(&"least") && v.cmp.is_none() {
                // "for at least the past 6 months"
                ("duration", Some(Comparator::AtLeast), cue_start(before.len()))
            } else if !(range || v.within || (last_before == "for" && self.negated(v.start)))
                && (after.first().is_some_and(|w| *w == "duration")
                    || (wider.contains(&"duration") && v.cmp.is_some())
                    || (wider.contains(&"stable")
                        && !matches!(v.cmp, Some(Comparator::AtMost | Comparator::Below))))
            {
                // "of at least 6 months duration following …", "a stable dose for 3 months before"
                ("duration", Some(v.cmp.unwrap_or(Comparator::AtLeast)), own_start)
            } else if self.recent_before(v) {
                let cmp = if range { None } else { Some(v.cmp.unwrap_or(Comparator::AtMost)) };
                let n = before
                    .iter()
                    .rev()
                    .position(|w| *w == "within" || *w == "during" || *w == "in" || *w == "the")
                    .map_or(0, |p| p + 1);
                ("time window", cmp, if v.within { own_start } else { cue_start(n.min(before.len())) })
            } else {
                match v.cmp {
                    Some(Comparator::AtLeast | Comparator::Above) => {
                        let for_ = last_before == "for";
                        if for_ && !self.negated(v.start) {
                            ("duration", v.cmp, cue_start(1))
                        } else if for_ || after.iter().any(|w| SINCE.contains(w)) {
                            ("washout", v.cmp, own_start)
                        } else {
                            ("duration", v.cmp, own_start)
                        }
                    }
                    Some(Comparator::AtMost | Comparator::Below) => ("time window", v.cmp, own_start),
                    Some(_) => return,
                    None if range => ("time window", None, own_start),
                    None => {
                        let first_after = after.first().copied().unwrap_or("");
                        if last_before == "for" {
                            if matches!(first_after, "before" | "prior" | "preceding" | "to") {
                                ("time window", Some(Comparator::AtMost), cue_start(1))
                            } else if matches!(first_after, "following" | "after" | "post") {
                                return;
                            } else {
                                ("duration", Some(Comparator::AtLeast), cue_start(1))
                            }
                        } else if matches!(first_after, "before" | "prior" | "preceding" | "ago") {
                            ("time window", Some(Comparator::AtMost), own_start)
                        } else if first_after == "duration"
                            || (first_after == "of"
                                && matches!(
                                    last_before,
                                    "received" | "completed" | "had" | "undergone" | "underwent"
                                ))
                        {
                            ("duration", Some(Comparator::AtLeast), own_start)
                        } else {
                            return;
                        }
                    }
                }
            };
        if self.emit(what, v, cmp, start) {
            self.restated_after = Some(v.end);
            self.last_time = Some((v.end, what));
        }
    }

    /// "not received … for at least 2 weeks": the least time is a washout.
    fn negated(&self, at: usize) -> bool {
        let words = self.words_before(at, 10);
        words.windows(3).any(|w| {
            matches!(w.first(), Some(&"not") | Some(&"no"))
                && w.iter().skip(1).any(|x| NEGATED_VERBS.contains(x))
        }) || words.windows(2).any(|w| {
            matches!(w.first(), Some(&"not") | Some(&"no"))
                && w.get(1).is_some_and(|x| NEGATED_VERBS.contains(x))
        })
    }

    /// Pushes one threshold if the value is plausible for what it measures.
    fn emit(&mut self, what: &'static str, v: &Value, cmp: Option<Comparator>, start: usize) -> bool {
        let (comparator, value, low, high) = match (v.high, cmp) {
            (Some(high), _) if (what == ECOG || what == WHO) && v.value == 0.0 => {
                (Comparator::AtMost, Some(high), None, None)
            }
            (Some(high), _) => (Comparator::Between, None, Some(v.value), Some(high)),
            (None, Some(cmp)) => (cmp, Some(v.value), None, None),
            (None, None) => return false,
        };
        if v.listed && !(what == ECOG || what == WHO) {
            return false;
        }
        if !plausible(what, v) {
            return false;
        }
        let unit = v.unit.and_then(|(s, e)| self.text.get(s..e)).map(|u| u.trim().to_string());
        let end = v.end.checked_sub(1).and_then(|j| self.tokens.get(j)).map_or(self.text.len(), |t| t.end);
        let value_start = self.byte_start(v.start);
        // a short span: from the measure's name when it is near, else the value alone
        let start = if start <= value_start && value_start - start <= 80 { start } else { value_start };
        let text = self.text.get(start..end).unwrap_or("").trim().to_string();
        self.out.push(Threshold { what: what.to_string(), comparator, value, low, high, unit, text });
        true
    }
}

/// Values outside what a measure can be are something else ("2 or fewer antihypertensive drugs"
/// after "blood pressure", "EGFR-TKI" after "at least one").
fn plausible(what: &str, v: &Value) -> bool {
    let top = v.high.unwrap_or(v.value);
    let low = v.value;
    let unit = v.unit_kind;
    let within = |a: f64, b: f64| low >= a && top <= b;
    match what {
        AGE => matches!(unit, UnitKind::None | UnitKind::Time(_)) && within(0.0, 120.0),
        ECOG | WHO => unit == UnitKind::None && within(0.0, 5.0),
        KARNOFSKY | LANSKY => matches!(unit, UnitKind::None | UnitKind::Other) && within(10.0, 100.0),
        LIFE_EXPECTANCY => matches!(unit, UnitKind::Time(_)),
        SYSTOLIC | DIASTOLIC => matches!(unit, UnitKind::None | UnitKind::Pressure) && within(30.0, 300.0),
        "BMI" => within(10.0, 80.0) && unit != UnitKind::UpperLimit,
        "LVEF" => within(20.0, 100.0),
        "QTc" => within(300.0, 700.0),
        "eGFR" => within(5.0, 200.0) && unit != UnitKind::UpperLimit,
        "HbA1c" => within(3.0, 200.0),
        "weight" => within(1.0, 500.0) && matches!(unit, UnitKind::None | UnitKind::Other),
        "washout" | "time window" | "duration" => true,
        _ => !matches!(unit, UnitKind::Time(_) | UnitKind::Pressure),
    }
}
