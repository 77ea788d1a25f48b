//! Reading a record that holds a bad value: the field with the value is left out, the rest of
//! the study is kept, and what was left out is said.
//!
//! A record that parses as it is never comes here (the loader's fast path parses the text
//! straight into [`Study`]). One that fails on a value (a date `"2024-13-45"`, `"phases":
//! "PHASE2"`, `"locations": {}`, a count `"abc"`) is parsed again as a `serde_json::Value`,
//! and the typed parse is retried on that tree: each time it fails, the field serde names
//! (through `serde_path_to_error`) is taken out of the tree and recorded, until the record
//! parses or [`MAX_LEFT_OUT`] fields are gone. So any wrong type at any depth costs only its
//! field, without a lenient deserializer for each field type, and a good record pays nothing.

use std::fmt;

use serde_json::Value;
use serde_path_to_error::Segment;

use super::Study;

/// Past this many bad values, a record is not worth reading field by field.
pub const MAX_LEFT_OUT: usize = 64;

/// A value is shown in a message up to this many characters, so that a huge bad value gives a
/// short message.
const EXCERPT_CHARS: usize = 40;

/// A field whose value could not be read, left out of the study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// Where, as serde and jq name it: `protocolSection.statusModule.startDateStruct.date`,
    /// `…locations[2].geoPoint` (indices as in the record, counted from 0).
    pub field: String,
    /// What was wrong, with a short excerpt of the value: `"2024-13-45" is not a date`.
    pub problem: String,
}

impl fmt::Display for LeftOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// The study in `json` with every field whose value cannot be read left out, and those fields;
/// `None` when leaving fields out does not help: the text is not a JSON object, the fault is
/// not in one field (a duplicate key), or there are more than [`MAX_LEFT_OUT`] bad values. The
/// caller then reports the record as a failure.
pub fn read_leniently(json: &[u8]) -> Option<(Study, Vec<LeftOut>)> {
    let mut tree: Value = serde_json::from_slice(json).ok()?;
    if !tree.is_object() {
        return None;
    }
    let mut left_out = Vec::new();
    let mut gone = Removed::default();
    loop {
        let failure = match serde_path_to_error::deserialize::<_, Study>(&tree) {
            // A fault the tree does not have (a key given twice): not one field's.
            Ok(_) if left_out.is_empty() => return None,
            Ok(study) => return Some((study, left_out)),
            Err(failure) => failure,
        };
        if left_out.len() >= MAX_LEFT_OUT {
            return None;
        }
        let steps = steps_of(failure.path())?;
        let value = take(&mut tree, &steps)?;
        let field = gone.as_in_record(&steps);
        let (field_text, message) = (show_path(&field), failure.inner().to_string());
        let problem = match taken_before(&left_out, &field_text, &message) {
            // Incomplete only because a bad value in it was left out: say so, rather than show
            // an object the record does not hold.
            Some(name) => format!("needs its field {name}, left out above"),
            None => describe(&message, &value),
        };
        left_out.push(LeftOut { field: field_text, problem });
        if let Some((Step::Index(index), array)) = field.split_last() {
            gone.elements.push((array.to_vec(), *index));
        }
    }
}

/// The field (as `` `lat` ``) whose absence `message` reports in the object at `path`, when that
/// field was one of those left out.
fn taken_before<'m>(left_out: &[LeftOut], path: &str, message: &'m str) -> Option<&'m str> {
    let name = message.strip_prefix("missing field ")?;
    let key = name.trim_matches('`');
    left_out
        .iter()
        .any(|l| l.field.strip_prefix(path).and_then(|rest| rest.strip_prefix('.')) == Some(key))
        .then_some(name)
}

/// One step of a path into the record.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The steps of a path serde names; `None` for the record itself or a step that is not a key
/// or an index.
fn steps_of(path: &serde_path_to_error::Path) -> Option<Vec<Step>> {
    let steps = path
        .iter()
        .map(|segment| match segment {
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect::<Option<Vec<Step>>>()?;
    (!steps.is_empty()).then_some(steps)
}

/// Takes the value at `steps` out of `tree`.
fn take(tree: &mut Value, steps: &[Step]) -> Option<Value> {
    let (last, parents) = steps.split_last()?;
    let mut node = tree;
    for step in parents {
        node = match step {
            Step::Key(key) => node.as_object_mut()?.get_mut(key)?,
            Step::Index(index) => node.as_array_mut()?.get_mut(*index)?,
        };
    }
    match last {
        Step::Key(key) => node.as_object_mut()?.remove(key),
        Step::Index(index) => {
            let array = node.as_array_mut()?;
            (*index < array.len()).then(|| array.remove(*index))
        }
    }
}

/// Array elements taken out so far, so that later paths are told with the record's own indices
/// rather than those of the shortened arrays.
#[derive(Default)]
struct Removed {
    /// The array's path and the element's index, both as in the record.
    elements: Vec<(Vec<Step>, usize)>,
}

impl Removed {
    /// `steps` (in the tree as it is now) as a path in the record as it was read.
    fn as_in_record(&self, steps: &[Step]) -> Vec<Step> {
        let mut path = Vec::with_capacity(steps.len());
        for step in steps {
            let step = match step {
                Step::Key(key) => Step::Key(key.clone()),
                Step::Index(now) => {
                    let mut before: Vec<usize> =
                        self.elements.iter().filter(|(array, _)| *array == path).map(|(_, i)| *i).collect();
                    before.sort_unstable();
                    // Each element removed at or before this place moves it one further on.
                    Step::Index(
                        before.into_iter().fold(*now, |index, gone| index + usize::from(gone <= index)),
                    )
                }
            };
            path.push(step);
        }
        path
    }
}

/// `protocolSection.designModule.phases[1]`.
fn show_path(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                push_visible(&mut out, key);
            }
            Step::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// `"2024-13-45" is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)`: the value's excerpt
/// and what was expected, from serde's message (`invalid type: …, expected a sequence`) or the
/// record types' own (`not a date: …; expected …`), never the message's copy of the value.
fn describe(message: &str, value: &Value) -> String {
    let shown = excerpt(value);
    let what = if let Some((_, expected)) = message.rsplit_once(", expected ") {
        format!("is not {}", expected_words(expected))
    } else if let Some(field) = message.strip_prefix("missing field ") {
        format!("lacks the field {}", cut(field))
    } else if let Some((kind, _)) = message.strip_prefix("not ").and_then(|rest| rest.split_once(':')) {
        match message.rsplit_once("; expected ") {
            Some((_, expected)) => format!("is not {} (expected {})", cut(kind), cut(expected)),
            None => format!("is not {}", cut(kind)),
        }
    } else {
        format!("cannot be read ({})", cut(message))
    };
    format!("{shown} {what}")
}

/// serde's name for what a field holds, in a reader's words.
fn expected_words(expected: &str) -> String {
    match expected {
        "a sequence" => "a list".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a string" => "text".into(),
        "a map" => "an object".into(),
        _ if expected.starts_with("struct ") => "an object".into(),
        // The record's enums: `a Phase string`.
        _ if expected.starts_with("a ") && expected.ends_with(" string") => "text".into(),
        _ => cut(expected),
    }
}

/// The value as JSON text, cut to [`EXCERPT_CHARS`] characters (with its full size when cut),
/// every control or invisible formatting character written as an escape.
pub fn excerpt(value: &Value) -> String {
    let text = value.to_string();
    let chars = text.chars().count();
    if chars <= EXCERPT_CHARS {
        return cut(&text);
    }
    let head: String = text.chars().take(EXCERPT_CHARS).collect();
    format!("{}… ({chars} characters)", cut(&head))
}

/// At most [`EXCERPT_CHARS`]` + 20` characters of `text`, shown visibly.
fn cut(text: &str) -> String {
    short_visible(text, EXCERPT_CHARS + 20)
}

/// At most `limit` characters of `text` (then `…`), control and invisible formatting characters
/// written as escapes: for a message that may quote a value from the input.
pub fn short_visible(text: &str, limit: usize) -> String {
    let mut out = String::new();
    for (taken, c) in text.chars().enumerate() {
        if taken == limit {
            out.push('…');
            break;
        }
        push_visible(&mut out, c.encode_utf8(&mut [0; 4]));
    }
    out
}

/// `text` with control characters and invisible formatting (bidi overrides, zero widths) as
/// `\u{…}` escapes, so that a message cannot move the cursor or reorder a terminal line.
fn push_visible(out: &mut String, text: &str) {
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
}

fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::study::enums::Phase;
    use serde_json::json;

    fn record(bad: Value) -> Vec<u8> {
        let mut study = json!({"protocolSection": {
            "identificationModule": {"nctId": "NCT00000001", "briefTitle": "Kept"},
            "designModule": {"phases": ["PHASE2"], "enrollmentInfo": {"count": 40}},
            "contactsLocationsModule": {"locations": [{"city": "Lyon"}, {"city": "Kobe"}]}
        }});
        merge(&mut study, bad);
        serde_json::to_vec(&study).unwrap()
    }

    fn merge(into: &mut Value, from: Value) {
        match (into, from) {
            (Value::Object(into), Value::Object(from)) => {
                for (key, value) in from {
                    merge(into.entry(key).or_insert(Value::Null), value);
                }
            }
            (into, from) => *into = from,
        }
    }

    fn fields(left_out: &[LeftOut]) -> Vec<&str> {
        left_out.iter().map(|l| l.field.as_str()).collect()
    }

    #[test]
    fn a_bad_value_costs_only_its_field() {
        let (study, left_out) =
            read_leniently(&record(json!({"protocolSection": {"designModule": {"phases": "PHASE2"}}})))
                .unwrap();
        assert_eq!(fields(&left_out), ["protocolSection.designModule.phases"]);
        assert_eq!(left_out[0].problem, r#""PHASE2" is not a list"#);
        assert!(study.phases().is_empty());
        assert_eq!(study.brief_title(), Some("Kept"));
        let design = &study.protocol_section.as_ref().unwrap().design_module;
        assert_eq!(design.enrollment_info.count, Some(40));
    }

    #[test]
    fn every_kind_of_mistake_is_described_from_what_was_expected() {
        let cases = [
            (
                json!({"statusModule": {"startDateStruct": {"date": "2024-13-45"}}}),
                "protocolSection.statusModule.startDateStruct.date",
                r#""2024-13-45" is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)"#,
            ),
            (
                json!({"designModule": {"enrollmentInfo": {"count": "abc"}}}),
                "protocolSection.designModule.enrollmentInfo.count",
                r#""abc" is not a whole number (0 or more)"#,
            ),
            (
                json!({"designModule": {"enrollmentInfo": {"count": -1}}}),
                "protocolSection.designModule.enrollmentInfo.count",
                "-1 is not a whole number (0 or more)",
            ),
            (
                json!({"contactsLocationsModule": {"locations": {}}}),
                "protocolSection.contactsLocationsModule.locations",
                "{} is not a list",
            ),
            (
                json!({"eligibilityModule": {"healthyVolunteers": "yes"}}),
                "protocolSection.eligibilityModule.healthyVolunteers",
                r#""yes" is not true or false"#,
            ),
            (
                json!({"eligibilityModule": {"minimumAge": "18"}}),
                "protocolSection.eligibilityModule.minimumAge",
                r#""18" is not an age (expected a number and a unit, such as "18 Years" or "6 Months")"#,
            ),
            (
                json!({"statusModule": {"overallStatus": 3}}),
                "protocolSection.statusModule.overallStatus",
                "3 is not text",
            ),
            (
                json!({"identificationModule": {"briefTitle": ["a"]}}),
                "protocolSection.identificationModule.briefTitle",
                r#"["a"] is not text"#,
            ),
            (
                json!({"statusModule": "RECRUITING"}),
                "protocolSection.statusModule",
                r#""RECRUITING" is not an object"#,
            ),
        ];
        for (bad, field, problem) in cases {
            let (_, left_out) = read_leniently(&record(json!({ "protocolSection": bad }))).unwrap();
            assert_eq!(left_out, [LeftOut { field: field.into(), problem: problem.into() }]);
        }
    }

    #[test]
    fn elements_taken_out_leave_later_paths_as_in_the_record() {
        let bad = json!({"protocolSection": {
            "designModule": {"phases": ["PHASE1", 2, "PHASE3", false]},
            "contactsLocationsModule": {"locations": [1, {"city": "Lyon", "geoPoint": {"lat": 1.0}}, "x", {"city": "Kobe"}]}
        }});
        let (study, left_out) = read_leniently(&record(bad)).unwrap();
        assert_eq!(
            fields(&left_out),
            // Keys in the tree's order (sorted), elements in the array's.
            [
                "protocolSection.contactsLocationsModule.locations[0]",
                "protocolSection.contactsLocationsModule.locations[1].geoPoint",
                "protocolSection.contactsLocationsModule.locations[2]",
                "protocolSection.designModule.phases[1]",
                "protocolSection.designModule.phases[3]",
            ]
        );
        assert_eq!(left_out[1].problem, r#"{"lat":1.0} lacks the field `lon`"#);

        // A bad coordinate costs the point, which cannot do without it.
        let bad = json!({"protocolSection": {"contactsLocationsModule": {"locations": [{"geoPoint": {"lat": "n", "lon": 2}}]}}});
        let (_, left_out) = read_leniently(&record(bad)).unwrap();
        let point = "protocolSection.contactsLocationsModule.locations[0].geoPoint";
        assert_eq!(
            left_out,
            [
                LeftOut { field: format!("{point}.lat"), problem: r#""n" is not a number"#.into() },
                LeftOut { field: point.into(), problem: "needs its field `lat`, left out above".into() },
            ]
        );
        assert_eq!(study.phases(), [Phase::Phase1, Phase::Phase3]);
        let locations = &study.protocol_section.as_ref().unwrap().contacts_locations_module.locations;
        let cities: Vec<_> = locations.iter().map(|l| l.city.as_deref().unwrap()).collect();
        assert_eq!(cities, ["Lyon", "Kobe"]);
    }

    #[test]
    fn a_value_is_shown_short_and_visible() {
        let huge = json!("x".repeat(10_000));
        let shown = excerpt(&huge);
        assert!(shown.chars().count() < 70, "{shown}");
        assert!(shown.ends_with("… (10002 characters)"), "{shown}");
        let hidden = excerpt(&json!("\u{202e}a\u{7}b\u{9b}c\u{200b}"));
        assert_eq!(hidden, r#""\u{202e}a\u0007b\u{9b}c\u{200b}""#);
        // Never cut inside a character.
        assert!(excerpt(&json!("中".repeat(100))).starts_with("\"中中"));
    }

    #[test]
    fn gives_up_where_leaving_fields_out_does_not_help() {
        // Not an object, not JSON, a key given twice (not one field's fault), a good record.
        assert!(read_leniently(b"[1, 2]").is_none());
        assert!(read_leniently(b"{\"protocolSection\": ").is_none());
        assert!(read_leniently(br#"{"hasResults": true, "hasResults": true}"#).is_none());
        assert!(read_leniently(&record(json!({}))).is_none());
        // More bad values than are worth reading around.
        let many: Vec<Value> = (0..=MAX_LEFT_OUT).map(|_| json!(1)).collect();
        let bad = json!({"protocolSection": {"conditionsModule": {"conditions": many}}});
        assert!(read_leniently(&record(bad)).is_none());
    }
}
