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
    /// The unit of the last value bound, loosely: a later value in another unit is not this
    /// measure's ("BMI 25-30 kg/m2 and waist circumference ≥ 80 cm").
    unit: Option<String>,
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
/// Words after a bare number that make it a count ("≥ 2 prior lines", "3 or fewer drugs").
const COUNTED: &[&str] = &[
    "prior",
    "previous",
    "line",
    "lines",
    "regimen",
    "regimens",
    "cycle",
    "cycles",
    "dose",
    "doses",
    "times",
    "episodes",
    "attacks",
    "visits",
    "drinks",
    "units",
    "cigarettes",
    "packs",
    "lesions",
    "metastases",
    "sites",
    "organs",
    "levels",
    "courses",
    "treatments",
    "therapies",
    "agents",
    "drugs",
    "medications",
    "classes",
    "children",
    "pregnancies",
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
            unit: None,
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
            // only near values are bound: counting further would make long items quadratic
            if count > 8 || j - from > 64 {
                return count.max(9);
            }
        }
        count
    }

    /// Whether a word starting with `prefix` is in the sentence before token `at`.
    fn sentence_has(&self, at: usize, prefix: &str) -> bool {
        let mut j = at;
        while let Some(k) = j.checked_sub(1) {
            j = k;
            // a sentence's words, not a whole paragraph's: bounded so long items stay linear
            if stops(self.tokens, j) || at - j > 60 {
                return false;
            }
            if self.tokens.get(j).is_some_and(|t| t.kind == Kind::Word && t.lower.starts_with(prefix)) {
                return true;
            }
        }
        false
    }

    fn value(&mut self, v: Value) {
        if v.unit.is_none()
            && self
                .tokens
                .get(v.end)
                .is_some_and(|t| t.kind == Kind::Word && COUNTED.contains(&t.lower.as_ref()))
        {
            return;
        }
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
        // "Male ≥ 50 kg": kilograms and pounds alone weigh the body; beats a minute are a heart rate
        if compares && let Some(what) = self.measure_of_unit(&v) {
            self.close();
            self.emit(what, &v, v.cmp, self.byte_start(v.start));
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
        if let (Some(before), Some(now)) = (&g.unit, self.loose_unit(v))
            && *before != now
        {
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
            if let Some(u) = self.loose_unit(v) {
                g.unit = Some(u);
            }
        }
        any
    }

    fn measure_of_unit(&self, v: &Value) -> Option<&'static str> {
        let unit = v.unit.and_then(|(s, e)| self.text.get(s..e)).unwrap_or("");
        match unit.to_ascii_lowercase().as_str() {
            "kg" | "kgs" | "lb" | "lbs" => Some("weight"),
            "bpm" => Some("heart rate"),
            _ => None,
        }
    }

    /// The unit in a form that compares loosely: every limit of normal alike, case and spaces off.
    fn loose_unit(&self, v: &Value) -> Option<String> {
        if v.unit_kind == UnitKind::LimitOfNormal {
            return Some("limit of normal".into());
        }
        let (s, e) = v.unit?;
        let written = self.text.get(s..e)?;
        Some(written.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect())
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
            || after.starts_with(&["at", "the", "time"])
            || after.starts_with(&["at", "time"])
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
        // "Cycle 1 Day 1" names a day of the study; "15 days per month" is a frequency
        if self.tokens.get(v.end).is_some_and(|t| t.number().is_some()) {
            return;
        }
        if let Some(t) =
            self.tokens.get(v.end).filter(|t| t.is_word("per") || t.is_word("a") || t.is_word("each"))
        {
            let next = self.tokens.get(v.end + 1).and_then(|n| value::time_unit(&n.lower));
            if next.is_some() && t.end <= self.tokens.get(v.end + 1).map_or(0, |n| n.start) {
                return;
            }
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
                // the span starts at "within", "during", "in the past"
                let n = before
                    .iter()
                    .position(|w| matches!(*w, "within" | "during" | "in" | "over"))
                    .map_or(1, |p| before.len() - p);
                ("time window", cmp, if v.within { own_start } else { cue_start(n.min(before.len())) })
            } else {
                match v.cmp {
                    Some(Comparator::AtLeast | Comparator::Above) => {
                        let for_ = last_before == "for";
                        if for_ && !self.negated(v.start) {
                            ("duration", v.cmp, cue_start(1))
                        } else if for_ || after.iter().any(|w| SINCE.contains(w)) || self.before_event(&after)
                        {
                            ("washout", v.cmp, own_start)
                        } else {
                            ("duration", v.cmp, own_start)
                        }
                    }
                    Some(Comparator::AtMost | Comparator::Below) => ("time window", v.cmp, own_start),
                    Some(_) => return,
                    // "lasting 4-72 hours"; "18-48 months status-post"
                    None if range
                        && wider
                            .iter()
                            .any(|w| matches!(*w, "lasting" | "lasted" | "lasts" | "for" | "duration")) =>
                    {
                        ("duration", None, own_start)
                    }
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
                        } else if after.iter().any(|w| matches!(*w, "elapsed" | "passed")) {
                            // "14 days must have elapsed since …"
                            ("washout", Some(Comparator::AtLeast), own_start)
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

    /// "(more than 6 months of screening)": the time is counted back from a study event.
    fn before_event(&self, after: &[&str]) -> bool {
        after.first().is_some_and(|w| *w == "of")
            && after.iter().skip(1).take(2).any(|w| {
                matches!(
                    *w,
                    "screening"
                        | "enrollment"
                        | "enrolment"
                        | "randomization"
                        | "randomisation"
                        | "registration"
                        | "consent"
                        | "baseline"
                        | "visit"
                        | "dosing"
                        | "inclusion"
                        | "entry"
                )
            })
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
        "BMI" => within(10.0, 80.0) && unit != UnitKind::LimitOfNormal,
        "LVEF" => within(20.0, 100.0),
        "QTc" => within(300.0, 700.0),
        "eGFR" => within(5.0, 200.0) && unit != UnitKind::LimitOfNormal,
        "HbA1c" => within(3.0, 200.0),
        "weight" => within(1.0, 500.0) && matches!(unit, UnitKind::None | UnitKind::Other),
        "washout" | "time window" | "duration" => true,
        _ => !matches!(unit, UnitKind::Time(_) | UnitKind::Pressure),
    }
}

#[cfg(test)]
mod tests {
    //! Fixtures written here in the registry's shape (not copied from records): each pattern the
    //! finder reads, with the exact thresholds expected, in the key's compact form
    //! `what cmp value [unit]` / `what between low-high [unit]`.

    use super::*;

    fn compact(t: &Threshold) -> String {
        let cmp = match t.comparator {
            Comparator::AtLeast => ">=",
            Comparator::AtMost => "<=",
            Comparator::Above => ">",
            Comparator::Below => "<",
            Comparator::Equal => "=",
            Comparator::Between => "between",
        };
        let value = match (t.value, t.low, t.high) {
            (Some(v), _, _) => format!("{v}"),
            (None, Some(l), Some(h)) => format!("{l}-{h}"),
            _ => "?".into(),
        };
        match &t.unit {
            Some(u) => format!("{} {cmp} {value} {u}", t.what),
            None => format!("{} {cmp} {value}", t.what),
        }
    }

    fn found(text: &str) -> Vec<String> {
        find(text).iter().map(compact).collect()
    }

    #[track_caller]
    fn check(text: &str, expected: &[&str]) {
        assert_eq!(found(text), expected, "in {text:?}");
    }

    #[test]
    fn comparison_signs() {
        check("Platelet count ≥ 75 x10^9/L", &["platelets >= 75 x10^9/L"]);
        check("Serum creatinine ≤ 1.5 mg/dL", &["creatinine <= 1.5 mg/dL"]);
        check("QTcF > 470 ms on the screening ECG", &["QTc > 470 ms"]);
        check("LVEF < 45% by echocardiogram", &["LVEF < 45 %"]);
        check("INR >= 2.0 and =< 3.0", &["INR >= 2", "INR <= 3"]);
        check("Karnofsky >/= 60", &["Karnofsky >= 60"]);
        check("SpO2 < / = 94% on room air", &["SpO2 <= 94 %"]);
        check("adult > / = 18 years of age", &["age >= 18 years"]);
        check("HbA1c &gt; 8.5% at screening", &["HbA1c > 8.5 %"]);
        check("ECOG=1", &["ECOG = 1"]);
    }

    #[test]
    fn comparisons_in_words() {
        check("Hemoglobin greater than or equal to 9 g/dL", &["haemoglobin >= 9 g/dL"]);
        check("Albumin at least 3.0 g/dL", &["albumin >= 3 g/dL"]);
        check(
            "Total bilirubin no more than 2 times the upper limit of normal",
            &["bilirubin <= 2 times the upper limit of normal"],
        );
        check("Potassium not exceeding 5.5 mmol/L", &["potassium <= 5.5 mmol/L"]);
        check("Body mass index less than 35 kg/m2", &["BMI < 35 kg/m2"]);
        check("Body weight over 50 kg", &["weight > 50 kg"]);
        check("Men ≥ 60 kg, women ≥ 50 kg", &["weight >= 60 kg", "weight >= 50 kg"]);
        check("Resting pulse > 100 bpm", &["heart rate > 100 bpm"]);
        check("Women older than 40 years", &["age > 40 years"]);
        check("Serum creatinine 2 mg/dL or more", &["creatinine >= 2 mg/dL"]);
        check("eGFR lesser than or equal to (≤) 30 mL/min/1.73 m2", &["eGFR <= 30 mL/min/1.73 m2"]);
    }

    #[test]
    fn ranges_and_lists() {
        check("Aged between 18 and 70 years", &["age between 18-70 years"]);
        check("Age 18-75 years", &["age between 18-75 years"]);
        check("Patients 40 to 80 years of age", &["age between 40-80 years"]);
        check("BMI of 20–30 kg/m2 inclusive", &["BMI between 20-30 kg/m2"]);
        check("HbA1c between 7.0% and 10.5%", &["HbA1c between 7-10.5 %"]);
        // ECOG starts at 0: a range from 0 is an upper bound
        check("ECOG performance status 0-1", &["ECOG <= 1"]);
        check("ECOG performance status of 0 or 1", &["ECOG <= 1"]);
        check("WHO performance status 0, 1, or 2", &["WHO <= 2"]);
        check("ECOG 1-2", &["ECOG between 1-2"]);
    }

    #[test]
    fn numbers_as_written() {
        check("ANC ≥ 1,500/mm3", &["ANC >= 1500 /mm3"]);
        check("Platelets ≥ 100 000/µL", &["platelets >= 100000 /µL"]);
        check("Absolute neutrophil count ≥ 1.5 x 10^9/L", &["ANC >= 1.5 x 10^9/L"]);
        check("Neutrophils ≥ 1.5×10⁹/L", &["ANC >= 1.5 ×10⁹/L"]);
        // the superscript lost in copying: "10⁹" becomes "109"
        check("Platelets ≥ 100 x 109/L", &["platelets >= 100 x 109/L"]);
        check("Creatinine clearance ≥ 60 mL/min (Cockcroft-Gault)", &["creatinine clearance >= 60 mL/min"]);
        check("Bilirubin ≤ 25 µmol/L", &["bilirubin <= 25 µmol/L"]);
        check("within two weeks before randomisation", &["time window <= 2 weeks"]);
    }

    #[test]
    fn synonyms_name_one_measure() {
        check("Hgb ≥ 10 g/dL", &["haemoglobin >= 10 g/dL"]);
        check("SGOT and SGPT ≤ 3 × ULN", &["AST <= 3 × ULN", "ALT <= 3 × ULN"]);
        check("CrCl > 50 mL/min", &["creatinine clearance > 50 mL/min"]);
        check("Glomerular filtration rate < 30 mL/min/1.73m2", &["eGFR < 30 mL/min/1.73m2"]);
        check("White blood cell count ≥ 3,000/µL", &["WBC >= 3000 /µL"]);
        check("Glycated hemoglobin (HbA1c) ≥ 7%", &["HbA1c >= 7 %"]);
        check("Lansky play performance score ≥ 50", &["Lansky >= 50"]);
        check("Estimated life expectancy of at least 12 weeks", &["life expectancy >= 12 weeks"]);
        check("aPTT ≤ 1.5 x ULN", &["aPTT <= 1.5 x ULN"]);
        check("Alkaline phosphatase ≤ 5 x ULN", &["ALP <= 5 x ULN"]);
        check("Haemoglobin A1c greater than a value of 11%", &["HbA1c > 11 %"]);
        check("LDH > 2.5X IULN", &["LDH > 2.5 X IULN"]);
    }

    #[test]
    fn measures_named_together_share_the_value() {
        check(
            "AST/ALT ≤ 2.5 × ULN (≤ 5 × ULN in case of liver metastases)",
            &["AST <= 2.5 × ULN", "ALT <= 2.5 × ULN", "AST <= 5 × ULN", "ALT <= 5 × ULN"],
        );
        check(
            "Alanine aminotransferase (ALT) and aspartate aminotransferase (AST) < 3 times ULN",
            &["ALT < 3 times ULN", "AST < 3 times ULN"],
        );
        check("INR or PT ≤ 1.5 × ULN", &["INR <= 1.5 × ULN", "PT <= 1.5 × ULN"]);
        check("Creatinine ≤ institutional ULN", &["creatinine <= 1 institutional ULN"]);
        check(
            "Magnesium more than 1.2 x ULN or less than 0.8 x LLN",
            &["magnesium > 1.2 x ULN", "magnesium < 0.8 x LLN"],
        );
        // a value in another unit after a bound value measures something else
        check("BMI 25-30 kg/m2 and waist circumference ≥ 80 cm", &["BMI between 25-30 kg/m2"]);
        // the value before the names
        check("Liver tests (> 3x normal AST or ALT)", &["AST > 3 x normal", "ALT > 3 x normal"]);
    }

    #[test]
    fn several_values_in_one_item_each_keep_their_measure() {
        check(
            "Adequate marrow: ANC ≥ 1.0 x 10^9/L, platelets ≥ 75,000/mm3, Hb ≥ 8 g/dL; creatinine ≤ 1.5 mg/dL",
            &[
                "ANC >= 1 x 10^9/L",
                "platelets >= 75000 /mm3",
                "haemoglobin >= 8 g/dL",
                "creatinine <= 1.5 mg/dL",
            ],
        );
        check("Body weight ≥ 45 kg for women and ≥ 55 kg for men", &["weight >= 45 kg", "weight >= 55 kg"]);
        check(
            "ECOG ≤ 2 for patients ≥ 16 years old, Lansky ≥ 60 for patients < 16 years old",
            &["ECOG <= 2", "age >= 16 years", "Lansky >= 60", "age < 16 years"],
        );
    }

    #[test]
    fn blood_pressure() {
        check("Blood pressure > 160/95 mmHg", &["systolic > 160 mmHg", "diastolic > 95 mmHg"]);
        check(
            "Systolic blood pressure ≥ 150 mmHg or diastolic blood pressure ≥ 95 mmHg",
            &["systolic >= 150 mmHg", "diastolic >= 95 mmHg"],
        );
        check("SBP 100 - 150 mmHg", &["systolic between 100-150 mmHg"]);
        // a count after the name is not a pressure
        check("Blood pressure controlled with 3 or fewer drugs", &[]);
        check("ECOG ≤ 1 and ≥ 2 prior lines of therapy", &["ECOG <= 1"]);
    }

    #[test]
    fn ages() {
        check("≥ 18 years of age", &["age >= 18 years"]);
        check("Men 21 years or older", &["age >= 21 years"]);
        check("Adults (≥ 18)", &["age >= 18"]);
        check("Participants must be over the age of 21", &["age > 21"]);
        check("Age between 2 months and < 12 years", &["age >= 2 months", "age < 12 years"]);
        check("Children aged 6 to 11", &["age between 6-11"]);
        check("Less than 21 years at the time of enrolment", &["age < 21 years"]);
    }

    #[test]
    fn time_windows_washouts_and_durations() {
        check("Chemotherapy within 28 days before the first dose", &["time window <= 28 days"]);
        check("Myocardial infarction in the past 3 months", &["time window <= 3 months"]);
        check("Surgery ≤ 4 weeks prior to enrolment", &["time window <= 4 weeks"]);
        check("At least 4 weeks since the last dose of any anticancer therapy", &["washout >= 4 weeks"]);
        check("≥ 2 weeks from prior radiotherapy", &["washout >= 2 weeks"]);
        check("A washout of 4 weeks for prior biologics", &["washout >= 4 weeks"]);
        check("14 days must have elapsed since the last chemotherapy", &["washout >= 14 days"]);
        check(
            "No systemic steroids for at least 14 days; not received antibiotics for at least 7 days",
            &["duration >= 14 days", "washout >= 7 days"],
        );
        check("Diagnosis of asthma for at least 6 months", &["duration >= 6 months"]);
        check("Back pain of at least six (6) months duration", &["duration >= 6 months"]);
        check("Type 2 diabetes of at least 1 year duration", &["duration >= 1 year"]);
        check("On a stable dose for 3 months before screening", &["duration >= 3 months"]);
        check(
            "Pain lasting at least 6 weeks but not longer than 12 weeks",
            &["duration >= 6 weeks", "duration <= 12 weeks"],
        );
        check("Attacks lasting 4-72 hours untreated", &["duration between 4-72 hours"]);
        check("Treated brain metastases (more than 3 months of screening)", &["washout > 3 months"]);
        // a day of the study and a frequency are not times to compare
        check("Radiotherapy within 14 days before Cycle 1 Day 1", &["time window <= 14 days"]);
        check("Analgesics on ≥ 10 days per month", &[]);
    }

    #[test]
    fn numbers_that_are_not_thresholds() {
        for text in [
            "Enrolled in a phase 3 study of the same drug",
            "Confirmed COVID-19 infection",
            "Type 2 diabetes mellitus treated with metformin",
            "Patients diagnosed between 2009 and 2012",
            "Received 100 mg twice daily for the first cycle",
            "At least 2 prior lines of systemic therapy",
            "Measurable disease per RECIST 1.1",
            "Stage III or IV non-small cell lung cancer",
            "EGFR exon 19 deletion or exon 21 L858R mutation",
            "Use of effective contraception for 6 months after the last dose",
            "Any other investigational drug within 5 half-lives",
            "Grade 1, 2 or 3a follicular lymphoma",
        ] {
            check(text, &[]);
        }
    }

    #[test]
    fn text_is_the_words_the_threshold_came_from() {
        let t = find("Absolute neutrophil count (ANC) ≥ 1.5 × 10^9/L; platelets ≥ 100 × 10^9/L");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, vec!["Absolute neutrophil count (ANC) ≥ 1.5 × 10^9/L", "platelets ≥ 100 × 10^9/L"]);
        let t = find("History of stroke within the past 6 months");
        assert_eq!(t.first().map(|t| t.text.as_str()), Some("within the past 6 months"));
    }

    #[test]
    fn a_long_item_is_read_whole() {
        let item = "ANC ≥ 1.5 x 10^9/L, surgery within 4 weeks, ".repeat(2_000);
        let found = find(&item);
        assert_eq!(found.len(), 4_000);
        assert_eq!(found.last().map(compact).as_deref(), Some("time window <= 4 weeks"));
    }

    #[test]
    fn hostile_text_does_not_panic() {
        for text in [
            "",
            "≥",
            "≥≥≥ 1",
            "1,",
            "x10^",
            "10^9/",
            "1.5 ×",
            "(((((",
            "age",
            "within",
            "\u{202f}1\u{202f}000",
            "1\u{a0}000 /µL ANC ≥",
        ] {
            let _ = find(text);
        }
    }
}
