//! The screening log as people hand it over: per screening, the date, the patient reference,
//! the study and its title, the verdict, and the criteria not met (or hit) or still unknown, as
//! text, CSV, markdown or JSON. Shared by `nct screenings` and the app's export (`x` in the list
//! of screenings); it reads only the screenings themselves, never the study's inputs.

use serde::Serialize;

use super::criteria::threshold_text;
use crate::screening::checklist::{Screening, Side, side};

/// One screening, as the log writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogRow {
    /// The day it was last updated (`YYYY-MM-DD`).
    pub date: String,
    pub patient: String,
    pub study: String,
    pub title: String,
    /// "possibly eligible", "not eligible: I4 (ECOG ≤ 1), E2".
    pub verdict: String,
    /// "Inclusion 9/11 met, 2 unknown · Exclusion 0 hit, 1 unknown → possibly eligible".
    pub counts: String,
    /// The criteria against the patient or not known yet.
    pub open: Vec<OpenItem>,
}

/// A criterion the log lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenItem {
    #[serde(rename = "ref")]
    pub reference: String,
    /// "not met", "hit", "unknown", "not answered".
    pub answer: String,
    pub text: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The verdict line of a screening, with thresholds written as the panes write them.
pub fn verdict_line(screening: &Screening) -> String {
    screening.verdict().line(|r| screening.reason(r, threshold_text))
}

/// The log's row of a screening.
pub fn row(screening: &Screening) -> LogRow {
    use crate::screening::checklist::Answer;
    let verdict = screening.verdict();
    let open = screening
        .open_items()
        .into_iter()
        .map(|(item, answer)| OpenItem {
            reference: item.reference.clone(),
            answer: match (side(&item.reference), answer) {
                (Side::Exclusion, Some(Answer::Met)) => "hit".to_owned(),
                (_, Some(answer)) => answer.name().to_owned(),
                (_, None) => "not answered".to_owned(),
            },
            text: item.text.split_whitespace().collect::<Vec<_>>().join(" "),
            note: item.note.clone(),
        })
        .collect();
    LogRow {
        date: screening.updated.clone(),
        patient: screening.patient.clone(),
        study: screening.study.clone(),
        title: screening.title.clone(),
        verdict: verdict.outcome_text(|r| screening.reason(r, threshold_text)),
        counts: verdict_line(screening),
        open,
    }
}

/// The criteria of a row on one line: "I4 not met: ECOG ≤ 1 … (note); E2 unknown: …".
fn open_text(row: &LogRow, cut: usize) -> String {
    row.open
        .iter()
        .map(|o| {
            let mut text: String = o.text.chars().take(cut).collect();
            if o.text.chars().count() > cut {
                text.push('…');
            }
            let note = if o.note.is_empty() { String::new() } else { format!(" ({})", o.note) };
            format!("{} {}: {text}{note}", o.reference, o.answer)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A line per screening, its title and counts under it, then each criterion open.
pub fn text(rows: &[LogRow]) -> String {
    let mut out = String::new();
    for row in rows {
        out.push_str(&format!("{}  {}  {}  {}\n", row.date, row.patient, row.study, row.verdict));
        if !row.title.is_empty() {
            out.push_str(&format!("    {}\n", row.title));
        }
        out.push_str(&format!("    {}\n", row.counts));
        for o in &row.open {
            let note = if o.note.is_empty() { String::new() } else { format!(" — note: {}", o.note) };
            out.push_str(&format!("    {} {}: {}{note}\n", o.reference, o.answer, o.text));
        }
    }
    out
}

/// One row per screening; the open criteria in one cell. A cell a spreadsheet would run as a
/// formula (`=`, `+`, `-`, `@` first) starts with a `'`.
pub fn csv(rows: &[LogRow]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let inert = |cell: &str| {
        if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_owned() }
    };
    let _ =
        writer.write_record(["Date", "Patient", "Study", "Title", "Verdict", "Counts", "Not met or unknown"]);
    for row in rows {
        let cells = [
            row.date.clone(),
            row.patient.clone(),
            row.study.clone(),
            row.title.clone(),
            row.verdict.clone(),
            row.counts.clone(),
            open_text(row, 120),
        ];
        let _ = writer.write_record(cells.iter().map(|c| inert(c)));
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Markdown's formatting characters escaped, and a table cell's `|`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A table of the screenings, then the open criteria of each as a list under its heading.
pub fn markdown(rows: &[LogRow]) -> String {
    let mut out = String::from(
        "# Screening log\n\n| Date | Patient | Study | Title | Verdict |\n| --- | --- | --- | --- | --- |\n",
    );
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            escape(&row.date),
            escape(&row.patient),
            escape(&row.study),
            escape(&row.title),
            escape(&row.verdict)
        ));
    }
    for row in rows.iter().filter(|r| !r.open.is_empty()) {
        out.push_str(&format!(
            "\n## {} · {}\n\n{}\n\n",
            escape(&row.patient),
            escape(&row.study),
            escape(&row.counts)
        ));
        for o in &row.open {
            let note =
                if o.note.is_empty() { String::new() } else { format!(" — note: {}", escape(&o.note)) };
            out.push_str(&format!(
                "- **{}** {}: {}{note}\n",
                escape(&o.reference),
                o.answer,
                escape(&o.text)
            ));
        }
    }
    out
}

/// `[{"date", "patient", "study", "title", "verdict", "counts", "open": [{"ref", "answer", "text", "note"}]}]`.
pub fn json(rows: &[LogRow]) -> String {
    serde_json::to_string_pretty(rows).unwrap_or_default() + "\n"
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::screening::checklist::Answer;
    use crate::study::eligibility::split_criteria;

    fn screening() -> Screening {
        let criteria = split_criteria(
            "Inclusion Criteria:\n\n* Adults\n* ECOG <= 1\n\nExclusion Criteria:\n\n* Pregnant\n* =HYPERLINK(\"x\")",
        );
        let mut s = Screening::new("P-014", "NCT05183427", "=SUM(1) | *title*", &criteria);
        s.updated = "2026-12-06".into();
        s.answer("I1", Some(Answer::Met));
        s.answer("I2", Some(Answer::NotMet));
        s.note("I2", "ECOG 2 at | last visit");
        s.answer("E1", Some(Answer::Unknown));
        s
    }

    #[test]
    fn every_format_has_the_verdict_and_the_open_criteria() {
        let rows = [row(&screening())];
        assert_eq!(rows[0].verdict, "not eligible: I2 (ECOG ≤ 1)");
        let refs: Vec<(&str, &str)> =
            rows[0].open.iter().map(|o| (o.reference.as_str(), o.answer.as_str())).collect();
        assert_eq!(refs, [("I2", "not met"), ("E1", "unknown"), ("E2", "not answered")]);
        let text = text(&rows);
        assert!(text.starts_with("2026-12-06  P-014  NCT05183427  not eligible: I2 (ECOG ≤ 1)\n"), "{text}");
        assert!(text.contains("    I2 not met: ECOG <= 1 — note: ECOG 2 at | last visit\n"), "{text}");
        let csv = csv(&rows);
        assert!(csv.contains(",'=SUM(1) | *title*,"), "formulas are made inert: {csv}");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[1], "P-014");
        assert_eq!(&record[3], "'=SUM(1) | *title*");
        let markdown = markdown(&rows);
        assert!(
            markdown.contains("| 2026-12-06 | P-014 | NCT05183427 | =SUM(1) \\| \\*title\\* |"),
            "{markdown}"
        );
        let json: serde_json::Value = serde_json::from_str(&json(&rows)).unwrap();
        assert_eq!(json[0]["open"][0]["ref"], "I2");
        assert_eq!(json[0]["open"][0]["note"], "ECOG 2 at | last visit");
    }
}
