//! A study's changes ([`crate::study::changes`]) as people read them, one line each: "status:
//! recruiting → terminated (why stopped: funding ended)", "start date: 2020-01 → 2020-04-15
//! (3 months later)", a word diff of the criteria with a little context around each edit. The
//! shell writes these lines as text, markdown or CSV.

use serde_json::Value;

use super::words::{plural, thousands};
use crate::study::changes::{Change, ChangeKind, WordRun};

/// How edited words are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// `[-removed-]{+added+}`, as `git diff --word-diff=plain` and wdiff write them.
    Plain,
    /// `~~removed~~ **added**`.
    Markdown,
}

/// Words of unchanged text kept either side of an edit.
const CONTEXT_WORDS: usize = 5;
/// A value longer than this is cut, in a line (the JSON keeps it whole).
const VALUE_CHARS: usize = 120;

/// The kind as a reader names it.
pub fn kind_label(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Status => "status",
        ChangeKind::StartDate => "start date",
        ChangeKind::PrimaryCompletionDate => "primary completion date",
        ChangeKind::CompletionDate => "completion date",
        ChangeKind::Enrollment => "enrollment",
        ChangeKind::ResultsPosted => "results first posted",
        ChangeKind::Sites => "sites",
        ChangeKind::Eligibility => "eligibility",
        ChangeKind::Outcomes => "outcomes",
        ChangeKind::Arms => "arms",
        ChangeKind::Interventions => "interventions",
        ChangeKind::Sponsor => "sponsor",
        ChangeKind::Other => "other",
    }
}

/// "2 added, 1 removed, 5 changed".
pub fn counts(added: usize, removed: usize, changed: usize) -> String {
    format!("{} added, {} removed, {} changed", thousands(added), thousands(removed), thousands(changed))
}

/// One line for a change: its kind, what it was and what it is, and what it says besides.
pub fn line(change: &Change, marks: Marks) -> String {
    let label = kind_label(change.kind);
    let field = field_name(&change.path);
    let detail = detail(change, marks);
    let moved = match change.kind {
        ChangeKind::Sites => format!("{} → {}", site_count(&change.from), site_count(&change.to)),
        ChangeKind::Eligibility if change.from.is_string() && change.to.is_string() && !detail.is_empty() => {
            String::new()
        }
        _ => match list_change(&change.from, &change.to) {
            Some(items) => items,
            None => format!("{} → {}", value(&change.from), value(&change.to)),
        },
    };
    let head = match change.kind {
        ChangeKind::Status
        | ChangeKind::StartDate
        | ChangeKind::PrimaryCompletionDate
        | ChangeKind::CompletionDate
        | ChangeKind::Enrollment
        | ChangeKind::ResultsPosted
        | ChangeKind::Sites => label.to_owned(),
        _ => format!("{label}: {field}"),
    };
    let mut out = if moved.is_empty() { head } else { format!("{head}: {moved}") };
    if !detail.is_empty() {
        out.push_str(if detail.starts_with('(') { " " } else { ": " });
        out.push_str(&detail);
    }
    out
}

/// What a change says beyond its values, in words ("3 months later"; the sites named; the
/// criteria's word diff); empty when nothing.
pub fn detail(change: &Change, marks: Marks) -> String {
    let d = &change.detail;
    let mut parts: Vec<String> = Vec::new();
    if let Some(why) = &d.why_stopped {
        parts.push(format!("(why stopped: {})", cut(why)));
    }
    if let Some(months) = d.months {
        parts.push(match months {
            0 => "(the same month)".into(),
            m if m > 0 => format!("({} later)", plural(m.unsigned_abs() as usize, "month", "months")),
            m => format!("({} earlier)", plural(m.unsigned_abs() as usize, "month", "months")),
        });
    }
    let named = |what: &str, sites: &[String]| {
        (!sites.is_empty())
            .then(|| format!("{what} {}", sites.iter().map(|s| cut(s)).collect::<Vec<_>>().join("; ")))
    };
    let mut sites: Vec<String> = Vec::new();
    sites.extend(named("added", &d.sites_added));
    sites.extend(named("removed", &d.sites_removed));
    for status in &d.site_status {
        sites.push(format!("{}: {} → {}", cut(&status.site), value(&status.from), value(&status.to)));
    }
    sites.extend(named("edited", &d.sites_edited));
    if !sites.is_empty() {
        parts.push(format!("({})", sites.join("; ")));
    }
    if !d.words.is_empty() {
        parts.push(word_diff(&d.words, marks));
    }
    if !d.thresholds_removed.is_empty() || !d.thresholds_added.is_empty() {
        parts.push(format!(
            "(thresholds removed: {}; added: {})",
            or_none(&d.thresholds_removed),
            or_none(&d.thresholds_added)
        ));
    }
    parts.join(" ")
}

fn or_none(items: &[String]) -> String {
    if items.is_empty() { "none".into() } else { items.join(", ") }
}

/// The last part of a path, for a reader: `primaryOutcomes[0].timeFrame` of
/// `protocolSection.outcomesModule.primaryOutcomes[0].timeFrame`.
pub fn field_name(path: &str) -> &str {
    let module = path.find("Module.").map(|at| at + "Module.".len());
    match module {
        Some(at) => path.get(at..).unwrap_or(path),
        None => path.strip_prefix("protocolSection.").unwrap_or(path),
    }
}

/// A list that gained or lost items, as the items added and removed, each by its name (or label,
/// measure, text); `None` when either side is not a list.
fn list_change(from: &Value, to: &Value) -> Option<String> {
    let (before, after) = (list_items(from)?, list_items(to)?);
    if from.is_null() && to.is_null() {
        return None;
    }
    let name = |item: &Value| {
        ["name", "label", "measure", "facility", "title", "citation"]
            .iter()
            .find_map(|key| item.get(key).and_then(Value::as_str))
            .map_or_else(|| value(item), |text| value(&Value::String(text.to_owned())))
    };
    let only = |these: &[Value], those: &[Value]| -> Vec<String> {
        these.iter().filter(|item| !those.contains(item)).map(name).collect()
    };
    let (added, removed) = (only(after, before), only(before, after));
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", added.join("; ")));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", removed.join("; ")));
    }
    if parts.is_empty() {
        parts.push("the same items in another order".into());
    }
    Some(parts.join("; "))
}

/// The items of a list, none for an absent one; `None` for anything else.
fn list_items(v: &Value) -> Option<&[Value]> {
    match v {
        Value::Array(items) => Some(items),
        Value::Null => Some(&[]),
        _ => None,
    }
}

fn site_count(count: &Value) -> String {
    plural(count.as_u64().unwrap_or(0) as usize, "site", "sites")
}

/// A value in a line: text as it is (cut), a date or enrollment struct as "2020-01 (estimated)",
/// anything else as compact JSON (cut); absent as "(none)".
pub fn value(v: &Value) -> String {
    match v {
        Value::Null => "(none)".into(),
        Value::String(text) => cut(&text.split_whitespace().collect::<Vec<_>>().join(" ")),
        Value::Object(fields) => {
            let main = fields.get("date").or_else(|| fields.get("count"));
            let kind = fields.get("type").and_then(Value::as_str).map(str::to_lowercase);
            match (main, kind) {
                (Some(main), Some(kind)) if fields.len() == 2 => format!("{} ({kind})", plain(main)),
                (Some(main), None) if fields.len() == 1 => plain(main),
                _ => cut(&v.to_string()),
            }
        }
        other => cut(&other.to_string()),
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(text) => text.clone(),
        Value::Number(n) => n.as_u64().map_or_else(|| n.to_string(), |n| thousands(n as usize)),
        other => other.to_string(),
    }
}

fn cut(text: &str) -> String {
    if text.chars().count() <= VALUE_CHARS {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(VALUE_CHARS - 1).collect();
    out.push('…');
    out
}

/// The word runs on one line, each edit marked, unchanged text kept only around the edits.
pub fn word_diff(runs: &[WordRun], marks: Marks) -> String {
    let mut out = String::new();
    let last = runs.len().saturating_sub(1);
    for (i, run) in runs.iter().enumerate() {
        match run {
            WordRun::Same(text) => {
                let words: Vec<&str> = text.split_whitespace().collect();
                let keep_before = if i == 0 { 0 } else { CONTEXT_WORDS };
                let keep_after = if i == last { 0 } else { CONTEXT_WORDS };
                let spaced = |part: &[&str]| part.join(" ");
                if words.len() > keep_before + keep_after {
                    let head = words.get(..keep_before).unwrap_or_default();
                    let tail = words.get(words.len() - keep_after..).unwrap_or_default();
                    let mut shown = Vec::new();
                    if !head.is_empty() {
                        shown.push(spaced(head));
                    }
                    shown.push("…".into());
                    if !tail.is_empty() {
                        shown.push(spaced(tail));
                    }
                    push_word(&mut out, &shown.join(" "));
                } else if !words.is_empty() {
                    push_word(&mut out, &spaced(&words));
                }
            }
            WordRun::Removed(text) | WordRun::Added(text) => {
                let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if words.is_empty() {
                    continue;
                }
                let removed = matches!(run, WordRun::Removed(_));
                let marked = match (marks, removed) {
                    (Marks::Plain, true) => format!("[-{words}-]"),
                    (Marks::Plain, false) => format!("{{+{words}+}}"),
                    (Marks::Markdown, true) => format!("~~{words}~~"),
                    (Marks::Markdown, false) => format!("**{words}**"),
                };
                push_word(&mut out, &marked);
            }
        }
    }
    out
}

fn push_word(out: &mut String, text: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(text);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::study::changes::{Detail, compare};
    use serde_json::json;

    #[test]
    fn a_status_and_a_date_read_as_words() {
        let old = json!({"protocolSection": {"statusModule": {"overallStatus": "RECRUITING",
            "startDateStruct": {"date": "2020-01", "type": "ESTIMATED"}}}});
        let new = json!({"protocolSection": {"statusModule": {"overallStatus": "TERMINATED", "whyStopped": "No funds",
            "startDateStruct": {"date": "2019-11-03", "type": "ACTUAL"}}}});
        let lines: Vec<String> = compare(&old, &new).iter().map(|c| line(c, Marks::Plain)).collect();
        assert_eq!(
            lines,
            [
                "status: RECRUITING → TERMINATED (why stopped: No funds)",
                "start date: 2020-01 (estimated) → 2019-11-03 (actual) (2 months earlier)"
            ]
        );
    }

    #[test]
    fn criteria_show_edits_with_context() {
        let old = "Inclusion Criteria:\n\n* Age 18 years or more at the time of signing the consent form";
        let new = "Inclusion Criteria:\n\n* Age 21 years or more at the time of signing the consent form";
        let change = Change {
            kind: ChangeKind::Eligibility,
            path: "protocolSection.eligibilityModule.eligibilityCriteria".into(),
            from: json!(old),
            to: json!(new),
            detail: Detail { words: crate::study::changes::word_diff(old, new), ..Detail::default() },
        };
        assert_eq!(
            line(&change, Marks::Plain),
            "eligibility: eligibilityCriteria: Inclusion Criteria: * Age [-18-] {+21+} years or more at the …"
        );
        assert!(line(&change, Marks::Markdown).contains("~~18~~ **21**"));
    }
}
