//! A record's JSON as the registry holds it, as rows of a tree a reader can fold: each field
//! with its depth, its name, its value (for a leaf) and its JSON path, so that nothing in the
//! record is out of reach even where no pane shows it. Arrays are numbered entries from 1 (their
//! paths count from 0, as JSON does). Every name and value passes through the safe-text step.

use serde_json::Value;

use super::safe_text;

/// One field of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRow {
    /// 0 for the record's sections (`protocolSection`), 1 for their modules, and so on.
    pub depth: usize,
    /// The field's name, or `#N` for the Nth entry of an array.
    pub key: String,
    /// What a leaf holds, as text (strings without their quotes); `None` for an object or array.
    pub value: Option<String>,
    /// How many fields or entries a container holds (0 for a leaf).
    pub children: usize,
    /// Whether the container is an array (its children are entries).
    pub array: bool,
    /// The JSON path: `protocolSection.conditionsModule.conditions[0]`.
    pub path: String,
}

impl RecordRow {
    pub fn is_container(&self) -> bool {
        self.value.is_none()
    }

    /// What a folded container says of what it holds.
    pub fn holds(&self) -> String {
        let (one, many) = if self.array { ("entry", "entries") } else { ("field", "fields") };
        super::words::plural(self.children, one, many)
    }
}

/// The record's sections in the order the registry's Researcher View reads them; any other
/// top-level field follows, by name.
const SECTIONS: [&str; 6] = [
    "protocolSection",
    "resultsSection",
    "annotationSection",
    "documentSection",
    "derivedSection",
    "hasResults",
];

/// Every field of `record`, depth first: its sections in the registry's order, then within
/// each the fields by name.
pub fn rows(record: &Value) -> Vec<RecordRow> {
    let mut rows = Vec::new();
    if let Value::Object(fields) = record {
        let mut fields: Vec<_> = fields.iter().collect();
        fields.sort_by_key(|(key, _)| SECTIONS.iter().position(|s| s == key).unwrap_or(SECTIONS.len()));
        for (key, value) in fields {
            push(&mut rows, 0, safe_text::visible_line(key).into_owned(), key.clone(), value);
        }
    } else {
        push(&mut rows, 0, "(record)".into(), String::new(), record);
    }
    rows
}

fn push(rows: &mut Vec<RecordRow>, depth: usize, key: String, path: String, value: &Value) {
    let leaf = |text: String| RecordRow {
        depth,
        key: key.clone(),
        value: Some(text),
        children: 0,
        array: false,
        path: path.clone(),
    };
    match value {
        Value::Object(fields) => {
            rows.push(RecordRow {
                depth,
                key,
                value: None,
                children: fields.len(),
                array: false,
                path: path.clone(),
            });
            for (name, inner) in fields {
                let inner_path = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                push(rows, depth + 1, safe_text::visible_line(name).into_owned(), inner_path, inner);
            }
        }
        Value::Array(entries) => {
            rows.push(RecordRow {
                depth,
                key,
                value: None,
                children: entries.len(),
                array: true,
                path: path.clone(),
            });
            for (index, inner) in entries.iter().enumerate() {
                push(rows, depth + 1, format!("#{}", index + 1), format!("{path}[{index}]"), inner);
            }
        }
        Value::String(text) => rows.push(leaf(safe_text::visible(text).into_owned())),
        Value::Null => rows.push(leaf("null".into())),
        other => rows.push(leaf(other.to_string())),
    }
}

/// The rows on show (their indexes) when `open` says which containers are open: a folded
/// container's fields are hidden, whatever their own state.
pub fn shown(rows: &[RecordRow], open: impl Fn(&RecordRow) -> bool) -> Vec<usize> {
    let mut shown = Vec::new();
    let mut hidden_below: Option<usize> = None;
    for (index, row) in rows.iter().enumerate() {
        if let Some(depth) = hidden_below {
            if row.depth > depth {
                continue;
            }
            hidden_below = None;
        }
        shown.push(index);
        if row.is_container() && !open(row) {
            hidden_below = Some(row.depth);
        }
    }
    shown
}

/// The paths of the containers holding `path` (its ancestors), outermost first.
pub fn ancestors(path: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, c) in path.char_indices() {
        if (c == '.' || c == '[')
            && let Some(before) = path.get(..at)
            && !before.is_empty()
        {
            found.push(before.to_string());
        }
    }
    found
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn fields_become_rows_with_their_paths_and_arrays_numbered_entries() {
        let record = serde_json::json!({
            "protocolSection": {
                "conditionsModule": {"conditions": ["Asthma", "COPD\u{1b}]52"]},
                "designModule": {"enrollmentInfo": {"count": 40}}
            },
            "hasResults": false
        });
        let rows = rows(&record);
        let text: Vec<String> = rows
            .iter()
            .map(|r| {
                format!(
                    "{}{} = {} @ {}",
                    "  ".repeat(r.depth),
                    r.key,
                    r.value.as_deref().unwrap_or("-"),
                    r.path
                )
            })
            .collect();
        assert_eq!(
            text,
            [
                "protocolSection = - @ protocolSection",
                "  conditionsModule = - @ protocolSection.conditionsModule",
                "    conditions = - @ protocolSection.conditionsModule.conditions",
                "      #1 = Asthma @ protocolSection.conditionsModule.conditions[0]",
                "      #2 = COPD␛]52 @ protocolSection.conditionsModule.conditions[1]",
                "  designModule = - @ protocolSection.designModule",
                "    enrollmentInfo = - @ protocolSection.designModule.enrollmentInfo",
                "      count = 40 @ protocolSection.designModule.enrollmentInfo.count",
                "hasResults = false @ hasResults",
            ]
        );
        assert_eq!(rows[2].holds(), "2 entries");
        let folded = shown(&rows, |r| r.depth == 0);
        let keys: Vec<&str> = folded.iter().map(|&i| rows[i].key.as_str()).collect();
        assert_eq!(keys, ["protocolSection", "conditionsModule", "designModule", "hasResults"]);
        assert_eq!(
            ancestors("protocolSection.conditionsModule.conditions[1]"),
            [
                "protocolSection",
                "protocolSection.conditionsModule",
                "protocolSection.conditionsModule.conditions"
            ]
        );
    }
}
