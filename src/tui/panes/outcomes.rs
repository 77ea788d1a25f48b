//! The Outcomes pane: primary, secondary and other outcome measures, and whether results are
//! posted.
//!
//! Measures are numbered within their kind, each with its time frame and description (the
//! registry's markup rendered). The results line says only what the record says: posted (and
//! when), or not, with the reasons the record gives for it (a waiver, a delayed posting, a
//! certification or extension request, a submission still in quality control review).
//!
//! The posted results themselves (participant flow, baseline, outcome tables, adverse events)
//! are not shown yet; they come as tables of their own in a later issue.

use ratatui::style::Style;
use ratatui::text::Line;

use super::overview::{Field, Page};
use crate::cli::show::build;
use crate::cli::show::document::{Entries, Entry, Fact};
use crate::study::Study;
use crate::study::date::PartialDate;
use crate::study::enums::UnpostedEventType;
use crate::study::markup;
use crate::study::record::{Outcome, ProtocolSection};
use crate::tui::theme::Theme;

/// The pane's lines at `width` columns.
pub fn document(study: &Study, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let no_protocol = ProtocolSection::default();
    let protocol = study.protocol_section.as_ref().unwrap_or(&no_protocol);
    let module = &protocol.outcomes_module;
    let mut page = Page::new(width, theme);
    let kinds = [
        ("Primary outcomes", &module.primary_outcomes),
        ("Secondary outcomes", &module.secondary_outcomes),
        ("Other outcomes", &module.other_outcomes),
    ];
    for (kind, measures) in kinds {
        if !measures.is_empty() {
            page.heading(&format!("{kind} ({})", measures.len()));
            page.entries(&Entries { numbered: true, items: measures.iter().map(measure).collect() });
        }
    }
    if module.primary_outcomes.is_empty()
        && module.secondary_outcomes.is_empty()
        && module.other_outcomes.is_empty()
    {
        page.note("No outcome measures in this record.", theme.dim());
    }
    if let Some((line, reasons)) = results(study) {
        page.heading("Results");
        page.note(&line, Style::new());
        page.fields(&reasons);
    }
    page.finish()
}

/// A measure as an entry. Titles and time frames are registry text too (`\>=50%`), so they
/// lose their escapes here.
fn measure(outcome: &Outcome) -> Entry {
    Entry {
        title: build::present(&outcome.measure)
            .map_or_else(|| "Unnamed measure".to_owned(), |m| markup::unescape(&m).into_owned()),
        facts: build::present(&outcome.time_frame)
            .map(|t| Fact::markup("Time frame", t))
            .into_iter()
            .collect(),
        description: build::present(&outcome.description),
    }
}

/// Whether results are posted and, when not, what the record says about why; nothing when the
/// record says nothing at all (a record fetched without `hasResults`).
fn results(study: &Study) -> Option<(String, Vec<Field>)> {
    let no_protocol = ProtocolSection::default();
    let status = &study.protocol_section.as_ref().unwrap_or(&no_protocol).status_module;
    let posted = status.results_first_post_date_struct.date;
    if posted.is_some() || study.has_results == Some(true) || study.results_section.is_some() {
        let line = match posted {
            Some(date) => format!("Results posted on {date}"),
            None => "Results posted".to_owned(),
        };
        return Some((line, Vec::new()));
    }
    let mut reasons = Vec::new();
    if status.results_waived == Some(true) {
        reasons.push("results reporting waived".to_owned());
    }
    if status.delayed_posting == Some(true) {
        reasons.push("posting delayed until the device is approved or cleared by the FDA".to_owned());
    }
    if let Some(date) = status.disp_first_submit_date.or(status.disp_first_post_date_struct.date) {
        reasons.push(format!("certification or extension request to delay results, submitted {date}"));
    }
    let events = study
        .annotation_section
        .as_ref()
        .map_or(&[][..], |a| a.annotation_module.unposted_annotation.unposted_events.as_slice());
    if events.is_empty()
        && let Some(date) = status.results_first_submit_date
    {
        reasons.push(format!("results submitted {date}, not yet posted"));
    }
    let submissions: Vec<String> = events.iter().map(|e| unposted_event(e.r#type.as_ref(), e.date)).collect();
    if study.has_results.is_none() && reasons.is_empty() && submissions.is_empty() {
        return None;
    }
    let label = if reasons.len() == 1 { "Reason" } else { "Reasons" };
    let fields = [
        Field::list(label, reasons.iter().map(|r| capitalised(r)).collect()),
        Field::list("Submissions", submissions),
    ];
    Some(("No results posted".to_owned(), fields.into_iter().filter(|f| !f.values.is_empty()).collect()))
}

/// "2021-03-04 results submitted": the registry's tracking of a submission under review.
fn unposted_event(kind: Option<&UnpostedEventType>, date: Option<PartialDate>) -> String {
    let what = match kind {
        Some(UnpostedEventType::Release) => "results submitted".to_owned(),
        Some(UnpostedEventType::Reset) => "returned with quality control review comments".to_owned(),
        Some(UnpostedEventType::Unrelease) => "submission cancelled".to_owned(),
        Some(UnpostedEventType::Other(other)) => other.to_lowercase(),
        None => "submission event".to_owned(),
    };
    match date {
        Some(date) => format!("{date} {what}"),
        None => format!("{} (date unknown)", capitalised(&what)),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::tui::panes::overview::tests::{check_layout, study, text};

    fn outcomes(study: &Study, width: u16) -> String {
        let theme = Theme { color: true };
        let lines = document(study, width, &theme);
        check_layout(&lines, width, &theme);
        text(&lines)
    }

    #[test]
    fn every_line_fits_at_every_width() {
        for id in ["NCT05183427", "NCT02210479", "NCT04120381", "NCT03505528", "NCT03318094"] {
            for width in [40, 80, 118] {
                outcomes(&study(id), width);
            }
        }
    }

    #[test]
    fn measures_are_counted_and_numbered() {
        let text = outcomes(&study("NCT03318094"), 80);
        assert!(text.contains("Primary outcomes (1)\n1. Change From Baseline"), "{text}");
        assert!(text.contains("Secondary outcomes ("), "{text}");
        assert!(text.contains("Time frame: Baseline, Weeks 9 to 12"), "{text}");
        assert!(text.contains(">=50% Reduction"), "escapes are removed: {text}");
        assert!(!text.contains("\\>"), "{text}");
        assert!(text.ends_with("Results\nResults posted on 2021-03-12"), "{text}");
    }

    #[test]
    fn no_results_is_said() {
        let text = outcomes(&study("NCT05183427"), 80);
        assert!(text.contains("Primary outcomes ("), "{text}");
        assert!(text.contains("No results posted"), "{text}");
    }

    #[test]
    fn reasons_for_unposted_results_are_given() {
        let study: Study = serde_json::from_str(
            r#"{"hasResults": false,
                "protocolSection": {"statusModule": {"resultsWaived": true, "delayedPosting": true,
                    "dispFirstSubmitDate": "2020-01-15", "resultsFirstSubmitDate": "2021-02-01"}},
                "annotationSection": {"annotationModule": {"unpostedAnnotation": {"unpostedEvents": [
                    {"type": "RELEASE", "date": "2021-02-01"}, {"type": "RESET", "date": "2021-03-01"},
                    {"type": "UNRELEASE", "dateUnknown": true}]}}}}"#,
        )
        .unwrap();
        let text = outcomes(&study, 118);
        assert!(
            text.starts_with("No outcome measures in this record.\n\nResults\nNo results posted\n"),
            "{text}"
        );
        assert!(text.contains("Reasons:     Results reporting waived"), "{text}");
        assert!(text.contains("device is approved or cleared"), "{text}");
        assert!(text.contains("extension request to delay results, submitted 2020-01-15"), "{text}");
        assert!(text.contains("Submissions: 2021-02-01 results submitted"), "{text}");
        assert!(text.contains("2021-03-01 returned with quality control review comments"), "{text}");
        assert!(text.contains("Submission cancelled (date unknown)"), "{text}");
    }

    #[test]
    fn a_submission_under_review_is_not_posted() {
        let study: Study = serde_json::from_str(
            r#"{"hasResults": false, "protocolSection": {"statusModule": {"resultsFirstSubmitDate": "2024-05"}}}"#,
        )
        .unwrap();
        let text = outcomes(&study, 80);
        assert!(
            text.contains("No results posted\nReason: Results submitted 2024-05, not yet posted"),
            "{text}"
        );
    }

    #[test]
    fn a_record_silent_about_results_says_nothing_of_them() {
        let study: Study = serde_json::from_str(
            r#"{"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}"#,
        )
        .unwrap();
        assert_eq!(outcomes(&study, 80), "No outcome measures in this record.");
    }
}
