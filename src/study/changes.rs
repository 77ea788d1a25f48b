//! What changed between two versions of one study record, by meaning: its status (with why it
//! stopped), its dates (and by how many months they moved), enrollment, results posted, sites
//! added, removed and changing status, the eligibility text word by word, outcomes, arms,
//! interventions, sponsor, and any other field by its JSON path.
//!
//! The comparison is on the records' JSON trees rather than the typed [`Study`](super::Study):
//! a field nct does not model (or a new one the registry adds) is a change all the same, named by
//! its path. Each change says where (`path`), what it was (`from`, the value at that path in the
//! old record, `null` when absent) and what it is (`to`); sites are the exception, summarised as
//! counts with the sites named, since a study's site list can hold thousands.
//!
//! Also here: [`fingerprint`], the content hash that lets two collections skip the studies that
//! did not change without parsing them.

use std::collections::HashMap;
use std::hash::Hasher;

use serde::Serialize;
use serde_json::Value;

use super::date::PartialDate;

/// What a change is about, in the order a reader wants them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Status,
    StartDate,
    PrimaryCompletionDate,
    CompletionDate,
    Enrollment,
    ResultsPosted,
    Sites,
    Eligibility,
    Outcomes,
    Arms,
    Interventions,
    Sponsor,
    Other,
}

impl ChangeKind {
    /// The name the JSON contract uses (`status`, `start_date`…).
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Status => "status",
            ChangeKind::StartDate => "start_date",
            ChangeKind::PrimaryCompletionDate => "primary_completion_date",
            ChangeKind::CompletionDate => "completion_date",
            ChangeKind::Enrollment => "enrollment",
            ChangeKind::ResultsPosted => "results_posted",
            ChangeKind::Sites => "sites",
            ChangeKind::Eligibility => "eligibility",
            ChangeKind::Outcomes => "outcomes",
            ChangeKind::Arms => "arms",
            ChangeKind::Interventions => "interventions",
            ChangeKind::Sponsor => "sponsor",
            ChangeKind::Other => "other",
        }
    }
}

/// One change of one study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// Where, as a JSON path into the record (`protocolSection.statusModule.overallStatus`,
    /// `…primaryOutcomes[0].timeFrame`).
    pub path: String,
    /// The old record's value at `path` (`null` when absent); for sites, the number of sites.
    pub from: Value,
    /// The new record's value at `path`; for sites, the number of sites.
    pub to: Value,
    #[serde(flatten)]
    pub detail: Detail,
}

/// What a change says beyond its two values, by kind; empty fields are left out of the JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Detail {
    /// Status: why the study stopped, as the new record says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why_stopped: Option<String>,
    /// Dates: how many months later (negative: earlier) the new date is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<i64>,
    /// Sites: the sites only the new record lists ("Facility, City, Country").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites_added: Vec<String>,
    /// Sites: the sites only the old record lists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites_removed: Vec<String>,
    /// Sites: sites in both whose recruitment status changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub site_status: Vec<SiteStatus>,
    /// Sites: sites in both with another field changed (contacts, zip, position).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites_edited: Vec<String>,
    /// Eligibility text: the word-level diff, as runs of words kept, removed and added.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordRun>,
    /// Eligibility text: thresholds (see [`super::threshold`]) found only in the old text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub thresholds_removed: Vec<String>,
    /// Eligibility text: thresholds found only in the new text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub thresholds_added: Vec<String>,
}

/// A site whose status changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteStatus {
    pub site: String,
    pub from: Value,
    pub to: Value,
}

/// A run of words of a text diff, written `{"same": "…"}`, `{"removed": "…"}` or `{"added": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordRun {
    Same(String),
    Removed(String),
    Added(String),
}

/// The registry's date of the snapshot a record comes from: it differs in every record of two
/// downloads, and says nothing about the study.
const SNAPSHOT_DATE: &str = "derivedSection.miscInfoModule.versionHolder";
const SNAPSHOT_KEY: &[u8] = b"\"versionHolder\"";

const STATUS: &str = "protocolSection.statusModule.overallStatus";
const WHY_STOPPED: &str = "protocolSection.statusModule.whyStopped";
const SITES: &str = "protocolSection.contactsLocationsModule.locations";
const CRITERIA: &str = "protocolSection.eligibilityModule.eligibilityCriteria";
const RESULTS_POSTED: &str = "protocolSection.statusModule.resultsFirstPostDateStruct";

/// Fields compared whole rather than field by field: a date with its type, enrollment with its
/// type, the sites (summarised).
const WHOLE: [&str; 6] = [
    "protocolSection.statusModule.startDateStruct",
    "protocolSection.statusModule.primaryCompletionDateStruct",
    "protocolSection.statusModule.completionDateStruct",
    RESULTS_POSTED,
    "protocolSection.designModule.enrollmentInfo",
    SITES,
];

/// What posting results brings with it, said by the one `results_posted` change.
const WITH_RESULTS: [&str; 4] = [
    "hasResults",
    "resultsSection",
    "protocolSection.statusModule.resultsFirstSubmitDate",
    "protocolSection.statusModule.resultsFirstSubmitQcDate",
];

/// A hash of a record's JSON text, apart from the snapshot date, so that a study whose record is
/// byte for byte the same in two downloads is known unchanged without parsing it. Two texts
/// with the same content written differently (spacing, key order) hash differently: they are
/// then compared by [`compare`], which finds them equal.
pub fn fingerprint(json: &[u8]) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    match snapshot_date_value(json) {
        Some((start, end)) => {
            hasher.write(json.get(..start).unwrap_or_default());
            hasher.write(json.get(end..).unwrap_or_default());
        }
        None => hasher.write(json),
    }
    hasher.finish()
}

/// The byte range of the `versionHolder` value (a string) in a record's text, if it has one.
fn snapshot_date_value(json: &[u8]) -> Option<(usize, usize)> {
    let key = memchr::memmem::rfind(json, SNAPSHOT_KEY)?;
    let after = key + SNAPSHOT_KEY.len();
    let rest = json.get(after..)?;
    let colon = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    if rest.get(colon) != Some(&b':') {
        return None;
    }
    let open = colon + 1 + rest.get(colon + 1..)?.iter().position(|b| !b.is_ascii_whitespace())?;
    if rest.get(open) != Some(&b'"') {
        return None;
    }
    let close = open + 1 + rest.get(open + 1..)?.iter().position(|&b| b == b'"' || b == b'\\')?;
    (rest.get(close) == Some(&b'"')).then_some((after + open, after + close + 1))
}

/// Every change from `old` to `new` (two records of the same study), by kind then path.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut changes = Vec::new();
    walk(&mut String::new(), Some(old), Some(new), &mut changes);
    let status_changed = changes.iter().any(|c| c.path == STATUS);
    let results_posted = changes.iter().any(|c| c.kind == ChangeKind::ResultsPosted);
    let said_by_another = |c: &Change| {
        (status_changed && c.path == WHY_STOPPED)
            || (results_posted && WITH_RESULTS.iter().any(|prefix| within(&c.path, prefix)))
    };
    changes.retain(|c| !said_by_another(c));
    if status_changed {
        let why = new.pointer("/protocolSection/statusModule/whyStopped").and_then(Value::as_str);
        for change in changes.iter_mut().filter(|c| c.path == STATUS) {
            change.detail.why_stopped = why.map(str::to_owned);
        }
    }
    changes.sort_by(|a, b| (a.kind, &a.path).cmp(&(b.kind, &b.path)));
    changes
}

/// Whether `path` is `prefix` or inside it.
fn within(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

fn walk(path: &mut String, old: Option<&Value>, new: Option<&Value>, changes: &mut Vec<Change>) {
    if old == new || path == SNAPSHOT_DATE {
        return;
    }
    if !WHOLE.contains(&path.as_str()) {
        match (old, new) {
            (Some(Value::Object(a)), Some(Value::Object(b))) => {
                let mut keys: Vec<&String> =
                    a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))).collect();
                keys.sort();
                for key in keys {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    walk(path, a.get(key), b.get(key), changes);
                    path.truncate(len);
                }
                return;
            }
            (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    walk(path, Some(x), Some(y), changes);
                    path.truncate(len);
                }
                return;
            }
            _ => {}
        }
    }
    let (from, to) = (old.cloned().unwrap_or(Value::Null), new.cloned().unwrap_or(Value::Null));
    if let Some(change) = describe(path, from, to) {
        changes.push(change);
    }
}

/// The change at `path`, with what its kind says besides; `None` for sites that differ only in
/// their order.
fn describe(path: &str, from: Value, to: Value) -> Option<Change> {
    let kind = kind_of(path);
    let mut detail = Detail::default();
    match kind {
        ChangeKind::StartDate | ChangeKind::PrimaryCompletionDate | ChangeKind::CompletionDate => {
            detail.months = months_moved(&from, &to);
        }
        ChangeKind::Sites => {
            let (count_from, count_to) = (site_count(&from), site_count(&to));
            detail = compare_sites(&from, &to);
            if count_from == count_to
                && detail.sites_added.is_empty()
                && detail.sites_removed.is_empty()
                && detail.site_status.is_empty()
                && detail.sites_edited.is_empty()
            {
                return None;
            }
            return Some(Change {
                kind,
                path: path.into(),
                from: count_from.into(),
                to: count_to.into(),
                detail,
            });
        }
        ChangeKind::Eligibility if path == CRITERIA => {
            let (a, b) = (from.as_str().unwrap_or_default(), to.as_str().unwrap_or_default());
            detail.words = word_diff(a, b);
            let (removed, added) = threshold_changes(a, b);
            detail.thresholds_removed = removed;
            detail.thresholds_added = added;
        }
        _ => {}
    }
    Some(Change { kind, path: path.into(), from, to, detail })
}

/// The kind of a change at `path`.
fn kind_of(path: &str) -> ChangeKind {
    let rules: [(&str, ChangeKind); 14] = [
        (STATUS, ChangeKind::Status),
        (WHY_STOPPED, ChangeKind::Status),
        ("protocolSection.statusModule.lastKnownStatus", ChangeKind::Status),
        ("protocolSection.statusModule.startDateStruct", ChangeKind::StartDate),
        ("protocolSection.statusModule.primaryCompletionDateStruct", ChangeKind::PrimaryCompletionDate),
        ("protocolSection.statusModule.completionDateStruct", ChangeKind::CompletionDate),
        ("protocolSection.designModule.enrollmentInfo", ChangeKind::Enrollment),
        (RESULTS_POSTED, ChangeKind::ResultsPosted),
        (SITES, ChangeKind::Sites),
        ("protocolSection.eligibilityModule", ChangeKind::Eligibility),
        ("protocolSection.outcomesModule", ChangeKind::Outcomes),
        ("protocolSection.armsInterventionsModule.armGroups", ChangeKind::Arms),
        ("protocolSection.armsInterventionsModule.interventions", ChangeKind::Interventions),
        ("protocolSection.sponsorCollaboratorsModule", ChangeKind::Sponsor),
    ];
    rules.iter().find(|(prefix, _)| within(path, prefix)).map_or(ChangeKind::Other, |r| r.1)
}

/// Months from the date in `from` to the one in `to` (date structs `{"date": "2021-03"}`),
/// when both name their month.
fn months_moved(from: &Value, to: &Value) -> Option<i64> {
    let month_number = |v: &Value| {
        let date = PartialDate::parse(v.get("date")?.as_str()?).ok()?;
        Some(i64::from(date.year) * 12 + i64::from(date.month?))
    };
    Some(month_number(to)? - month_number(from)?)
}

fn site_count(sites: &Value) -> usize {
    sites.as_array().map_or(0, Vec::len)
}

/// How a site is named to the reader, and matched between the two records.
pub fn site_name(site: &Value) -> String {
    let field = |name: &str| site.get(name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let parts: Vec<&str> =
        [field("facility"), field("city"), field("state"), field("country")].into_iter().flatten().collect();
    if parts.is_empty() { "(a site with no name)".into() } else { parts.join(", ") }
}

/// Sites matched by name (a name listed twice matched in order).
fn compare_sites(old: &Value, new: &Value) -> Detail {
    let empty = Vec::new();
    let (old, new) = (old.as_array().unwrap_or(&empty), new.as_array().unwrap_or(&empty));
    let mut unmatched: HashMap<String, std::collections::VecDeque<&Value>> = HashMap::new();
    for site in old {
        unmatched.entry(site_name(site)).or_default().push_back(site);
    }
    let mut detail = Detail::default();
    for site in new {
        let name = site_name(site);
        match unmatched.get_mut(&name).and_then(|same| same.pop_front()) {
            None => detail.sites_added.push(name),
            Some(before) if before == site => {}
            Some(before) => {
                let status = |v: &Value| v.get("status").cloned().unwrap_or(Value::Null);
                let (was, is) = (status(before), status(site));
                if was != is {
                    detail.site_status.push(SiteStatus { site: name.clone(), from: was, to: is });
                }
                let without_status = |v: &Value| {
                    let mut v = v.clone();
                    if let Some(fields) = v.as_object_mut() {
                        fields.remove("status");
                    }
                    v
                };
                if without_status(before) != without_status(site) {
                    detail.sites_edited.push(name);
                }
            }
        }
    }
    // In the old record's order.
    for site in old {
        let name = site_name(site);
        if let Some(left) = unmatched.get_mut(&name)
            && left.front().is_some_and(|first| std::ptr::eq(*first, site))
        {
            left.pop_front();
            detail.sites_removed.push(name);
        }
    }
    detail
}

/// The word-level diff of two texts, as runs.
pub fn word_diff(old: &str, new: &str) -> Vec<WordRun> {
    let diff = similar::TextDiff::configure().algorithm(similar::Algorithm::Patience).diff_words(old, new);
    let mut runs: Vec<WordRun> = Vec::new();
    for change in diff.iter_all_changes() {
        let word = change.value();
        let same_tag = |run: &WordRun| {
            matches!(
                (run, change.tag()),
                (WordRun::Same(_), similar::ChangeTag::Equal)
                    | (WordRun::Removed(_), similar::ChangeTag::Delete)
                    | (WordRun::Added(_), similar::ChangeTag::Insert)
            )
        };
        match runs.last_mut() {
            Some(run) if same_tag(run) => match run {
                WordRun::Same(text) | WordRun::Removed(text) | WordRun::Added(text) => text.push_str(word),
            },
            _ => runs.push(match change.tag() {
                similar::ChangeTag::Equal => WordRun::Same(word.into()),
                similar::ChangeTag::Delete => WordRun::Removed(word.into()),
                similar::ChangeTag::Insert => WordRun::Added(word.into()),
            }),
        }
    }
    runs
}

/// The thresholds found (line by line, a criterion a line) only in the old text and only in the
/// new one, each as `what comparator value unit`.
fn threshold_changes(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
    let found = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .flat_map(super::threshold::find)
            .map(|t| describe_threshold(&t))
            .collect()
    };
    let (before, after) = (found(old), found(new));
    let removed = before.iter().filter(|t| !after.contains(t)).cloned().collect();
    let added = after.iter().filter(|t| !before.contains(t)).cloned().collect();
    (removed, added)
}

fn describe_threshold(threshold: &super::threshold::Threshold) -> String {
    use super::threshold::Comparator;
    let number = |n: Option<f64>| n.map_or_else(|| "?".into(), |n| n.to_string());
    let unit = threshold.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let what = &threshold.what;
    match threshold.comparator {
        Comparator::Between => {
            format!("{what} {} to {}{unit}", number(threshold.low), number(threshold.high))
        }
        other => {
            let sign = match other {
                Comparator::AtLeast => ">=",
                Comparator::AtMost => "<=",
                Comparator::Above => ">",
                Comparator::Below => "<",
                Comparator::Equal | Comparator::Between => "=",
            };
            format!("{what} {sign} {}{unit}", number(threshold.value))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(status: &str, start: &str, sites: Value) -> Value {
        json!({
            "protocolSection": {
                "identificationModule": {"nctId": "NCT00000001", "briefTitle": "A study"},
                "statusModule": {"overallStatus": status, "startDateStruct": {"date": start, "type": "ACTUAL"}},
                "contactsLocationsModule": {"locations": sites},
                "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n\n* Age 18 or more"}
            },
            "derivedSection": {"miscInfoModule": {"versionHolder": "2024-01-01"}}
        })
    }

    #[test]
    fn the_snapshot_date_is_no_change() {
        let old = record("RECRUITING", "2020-01", json!([]));
        let mut new = old.clone();
        new["derivedSection"]["miscInfoModule"]["versionHolder"] = json!("2025-06-01");
        assert!(compare(&old, &new).is_empty());
        let (a, b) = (old.to_string(), new.to_string());
        assert_ne!(a, b);
        assert_eq!(fingerprint(a.as_bytes()), fingerprint(b.as_bytes()));
        let pretty = serde_json::to_string_pretty(&new).unwrap();
        assert_eq!(fingerprint(pretty.as_bytes()), fingerprint(pretty.replace("2025", "2026").as_bytes()));
        assert_ne!(fingerprint(a.as_bytes()), fingerprint(a.replace("RECRUITING", "COMPLETED").as_bytes()));
    }

    #[test]
    fn status_dates_and_sites_by_meaning() {
        let site = |name: &str, status: &str| json!({"facility": name, "city": "Lyon", "country": "France", "status": status});
        let old = record("RECRUITING", "2020-01", json!([site("A", "RECRUITING"), site("B", "RECRUITING")]));
        let mut new =
            record("TERMINATED", "2020-04-15", json!([site("B", "COMPLETED"), site("C", "RECRUITING")]));
        new["protocolSection"]["statusModule"]["whyStopped"] = json!("Funding ended");
        let changes = compare(&old, &new);
        let kinds: Vec<&str> = changes.iter().map(|c| c.kind.name()).collect();
        assert_eq!(kinds, ["status", "start_date", "sites"]);
        assert_eq!(changes[0].detail.why_stopped.as_deref(), Some("Funding ended"));
        assert_eq!(changes[1].detail.months, Some(3));
        assert_eq!(changes[2].from, json!(2));
        assert_eq!(changes[2].detail.sites_added, ["C, Lyon, France"]);
        assert_eq!(changes[2].detail.sites_removed, ["A, Lyon, France"]);
        assert_eq!(changes[2].detail.site_status[0].to, json!("COMPLETED"));
        assert!(changes[2].detail.sites_edited.is_empty());
    }

    #[test]
    fn sites_in_another_order_are_no_change() {
        let a = json!({"facility": "A"});
        let b = json!({"facility": "B"});
        let old = record("RECRUITING", "2020-01", json!([a.clone(), b.clone()]));
        let new = record("RECRUITING", "2020-01", json!([b, a]));
        assert!(compare(&old, &new).is_empty());
    }

    #[test]
    fn criteria_are_diffed_word_by_word() {
        let runs = word_diff("Age 18 or more", "Age 21 or more");
        assert_eq!(
            runs,
            [
                WordRun::Same("Age ".into()),
                WordRun::Removed("18".into()),
                WordRun::Added("21".into()),
                WordRun::Same(" or more".into())
            ]
        );
    }

    #[test]
    fn other_fields_by_path_and_lists_of_another_length_whole() {
        let old =
            json!({"protocolSection": {"conditionsModule": {"conditions": ["a"], "keywords": ["x", "y"]}}});
        let new = json!({"protocolSection": {"conditionsModule": {"conditions": ["a", "b"], "keywords": ["x", "z"]}}});
        let changes = compare(&old, &new);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            ["protocolSection.conditionsModule.conditions", "protocolSection.conditionsModule.keywords[1]"]
        );
        assert_eq!(changes[0].to, json!(["a", "b"]));
    }
}
