//! The Outcomes pane: the posted results of a study, or its registered outcome measures and
//! why results are not posted.
//!
//! A study with results shows them as the website does, each part folded to one line until
//! opened: participant flow, baseline characteristics, every outcome measure (title, type, time
//! frame, population, unit, parameter and dispersion, a table with a column per arm, then its
//! statistical analyses), adverse events, limitations and the point of contact. Folding is what
//! keeps a study with 40 measures navigable: the pane opens on a list of them, one line each.
//! A cursor line (j/k) picks the part Enter opens or closes, wherever in the part it is; `a`
//! opens or closes them all. Results tables scroll sideways by whole group columns (h/l) with
//! the row labels kept on the left; `h` on the first column still goes back, as elsewhere.
//!
//! Without results, the registered measures are numbered within their kind, each with its
//! time frame and description, and the results line says only what the record says: posted
//! (and when), or not, with the reasons the record gives for it (a waiver, a delayed posting, a
//! certification or extension request, a submission still in quality control review).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::overview::{Field, Page};
use crate::present::document::{Entries, Entry, Fact};
use crate::present::outcomes::{ResultsStatus, results_status};
use crate::present::results::{self, ResultPart};
use crate::present::width::cut_to_width;
use crate::present::words::non_blank;
use crate::study::Study;
use crate::study::date::DateStyle;
use crate::study::markup;
use crate::study::record::{Outcome, OutcomesModule, ProtocolSection};
use crate::tui::theme::Palette;

/// What the reader did in the pane for the study on screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutcomesState {
    /// Which parts are open, by their place in the pane (a part not listed is closed).
    pub open: Vec<bool>,
    /// The line the cursor is on.
    pub cursor: usize,
    /// The first group column results tables show.
    pub first_group: usize,
}

impl OutcomesState {
    pub fn is_open(&self, part: usize) -> bool {
        self.open.get(part).copied().unwrap_or(false)
    }

    pub fn toggle(&mut self, part: usize) {
        if self.open.len() <= part {
            self.open.resize(part + 1, false);
        }
        if let Some(open) = self.open.get_mut(part) {
            *open = !*open;
        }
    }
}

/// A foldable part's place in the pane's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fold {
    /// The part's number among the pane's parts.
    pub part: usize,
    /// Its one-line header.
    pub header: usize,
    /// The line after its last.
    pub end: usize,
}

/// The pane's lines at `width` columns, dates written in `style`, and where its foldable parts
/// are.
pub fn pane_lines(
    study: &Study,
    width: u16,
    theme: &Palette,
    state: &OutcomesState,
    style: DateStyle,
) -> (Vec<Line<'static>>, Vec<Fold>) {
    let no_protocol = ProtocolSection::default();
    let protocol = study.protocol_section.as_ref().unwrap_or(&no_protocol);
    let module = &protocol.outcomes_module;
    let parts = study.results_section.as_ref().map(|r| results::parts(r, style)).unwrap_or_default();
    let status = results(study, style);
    if !parts.is_empty() {
        let posted = status.map_or_else(|| "Results posted".to_owned(), |(line, _)| line);
        return results_document(&posted, &parts, module, width, theme, state);
    }
    let mut page = Page::new(width, theme);
    registered(&mut page, module);
    if module.primary_outcomes.is_empty()
        && module.secondary_outcomes.is_empty()
        && module.other_outcomes.is_empty()
    {
        page.note("No outcome measures in this record.", theme.dim());
    }
    if let Some((line, reasons)) = status {
        page.heading("Results");
        page.note(&line, Style::new());
        page.fields(&reasons);
    }
    (page.finish(), Vec::new())
}

fn registered(page: &mut Page, module: &OutcomesModule) {
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
}

/// The results, a part a fold, after a line saying when they were posted; the registered
/// measures come last, folded too, since the results repeat them with their values.
fn results_document(
    posted: &str,
    parts: &[ResultPart],
    module: &OutcomesModule,
    width: u16,
    theme: &Palette,
    state: &OutcomesState,
) -> (Vec<Line<'static>>, Vec<Fold>) {
    let mut page = Page::new(width, theme);
    page.first_group = state.first_group;
    page.structured_facts = true;
    page.note(&format!("{posted} · Enter opens a part, A opens all"), theme.dim());
    let mut folds = Vec::new();
    let measures = parts.iter().filter(|p| matches!(p.kind, results::PartKind::Outcome(_))).count();
    let mut outcomes_headed = false;
    for (index, part) in parts.iter().enumerate() {
        if matches!(part.kind, results::PartKind::Outcome(_)) && !outcomes_headed {
            page.heading(&format!("Outcome measures ({measures})"));
            outcomes_headed = true;
        } else if !matches!(part.kind, results::PartKind::Outcome(_)) && outcomes_headed {
            outcomes_headed = false;
            page.gap();
        }
        let open = state.is_open(index);
        let header = page.len();
        page.push(fold_header(&part.title, &part.summary, open, usize::from(width), theme));
        if open {
            page.blocks(&part.blocks);
            page.gap();
        }
        folds.push(Fold { part: index, header, end: page.len() });
    }
    let registered_count =
        module.primary_outcomes.len() + module.secondary_outcomes.len() + module.other_outcomes.len();
    if registered_count > 0 {
        let index = parts.len();
        let open = state.is_open(index);
        page.gap();
        let header = page.len();
        let title = "Registered outcome measures";
        page.push(fold_header(title, &registered_count.to_string(), open, usize::from(width), theme));
        if open {
            registered(&mut page, module);
        }
        folds.push(Fold { part: index, header, end: page.len() });
    }
    let lines = page.finish();
    let last = lines.len();
    for fold in &mut folds {
        fold.end = fold.end.min(last);
    }
    (lines, folds)
}

/// "▸ 2. Secondary: Participants With Virus Shedding · Days 2, 4 and 6", cut to the width.
fn fold_header(title: &str, summary: &str, open: bool, width: usize, theme: &Palette) -> Line<'static> {
    let marker = if open { "▾ " } else { "▸ " };
    let title = markup::unescape(title);
    let head = cut_to_width(&format!("{marker}{title}"), width);
    let used = unicode_width::UnicodeWidthStr::width(head.as_str());
    let mut spans = vec![Span::styled(head, theme.bold())];
    let rest = width.saturating_sub(used + 3);
    if !summary.is_empty() && rest > 3 {
        spans.push(Span::styled(format!(" · {}", cut_to_width(summary, rest)), theme.dim()));
    }
    Line::from(spans)
}

/// A measure as an entry. Titles and time frames are registry text too (`\>=50%`), so they
/// lose their escapes here.
fn measure(outcome: &Outcome) -> Entry {
    Entry {
        title: non_blank(&outcome.measure)
            .map_or_else(|| "Unnamed measure".to_owned(), |m| markup::unescape(&m).into_owned()),
        facts: non_blank(&outcome.time_frame).map(|t| Fact::markup("Time frame", t)).into_iter().collect(),
        description: non_blank(&outcome.description),
    }
}

/// Whether results are posted and, when not, what the record says about why (see
/// [`results_status`]); nothing when the record says nothing at all.
fn results(study: &Study, style: DateStyle) -> Option<(String, Vec<Field>)> {
    match results_status(study, style)? {
        ResultsStatus::Posted(Some(date)) => {
            Some((format!("Results posted on {}", date.written(style)), Vec::new()))
        }
        ResultsStatus::Posted(None) => Some(("Results posted".to_owned(), Vec::new())),
        ResultsStatus::NotPosted { reasons, submissions } => {
            let label = if reasons.len() == 1 { "Reason" } else { "Reasons" };
            let fields = [Field::list(label, reasons), Field::list("Submissions", submissions)];
            Some((
                "No results posted".to_owned(),
                fields.into_iter().filter(|f| !f.values.is_empty()).collect(),
            ))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::tui::panes::overview::tests::{check_layout, study, text};

    fn outcomes(study: &Study, width: u16) -> String {
        outcomes_in(study, width, &OutcomesState::default())
    }

    fn outcomes_in(study: &Study, width: u16, state: &OutcomesState) -> String {
        let theme = Palette::dark();
        let (lines, folds) = pane_lines(study, width, &theme, state, DateStyle::Iso);
        check_layout(&lines, width, &theme);
        for fold in &folds {
            assert!(fold.header < fold.end && fold.end <= lines.len(), "{fold:?}");
        }
        text(&lines)
    }

    fn all_open() -> OutcomesState {
        OutcomesState { open: vec![true; 64], ..OutcomesState::default() }
    }

    #[test]
    fn every_line_fits_at_every_width() {
        for id in ["NCT05183427", "NCT02210479", "NCT04120381", "NCT03505528", "NCT03318094", "NCT04720193"] {
            for width in [40, 80, 118] {
                outcomes(&study(id), width);
                for first_group in [0, 1, 2, 9] {
                    outcomes_in(&study(id), width, &OutcomesState { first_group, ..all_open() });
                }
            }
        }
    }

    #[test]
    fn results_open_folded_a_line_a_part() {
        let text = outcomes(&study("NCT04720193"), 80);
        assert!(text.starts_with("Results posted on 2023-06-02"), "{text}");
        assert!(text.contains("\n▸ Participant flow · 2 periods, 612 started\n"), "{text}");
        assert!(text.contains("Outcome measures (3)\n▸ 1. Primary: Time to Alleviation"), "{text}");
        assert!(text.contains("▸ Adverse events · 2 serious, 3 other event terms"), "{text}");
        assert!(text.ends_with("▸ Registered outcome measures · 3"), "{text}");
        let open = outcomes_in(&study("NCT04720193"), 80, &all_open());
        assert!(open.contains("▾ Participant flow"), "{open}");
        assert!(open.contains("Infections and infestations\n  Pneumonia"), "{open}");
        assert!(open.contains("Cardiac disorders\n  Myocardial infarction"), "{open}");
        assert!(open.contains("Email:        trials@halvern.example"), "{open}");
        assert!(open.contains("Enrolment ended early in Spain because the 2021-2022 season"), "{open}");
    }

    /// A measure's description inside the results keeps its paragraphs and bullets, as the
    /// registered measures show the same text, beside its label.
    #[test]
    fn result_descriptions_keep_their_lines_and_bullets() {
        let study: Study = serde_json::from_str(
            r#"{"hasResults": true,
                "protocolSection": {"outcomesModule": {"primaryOutcomes": [{"measure": "Relapse",
                    "description": "Relapse is any of:\n\n* a new lesion\n* a rise in score\n\nAssessed blind."}]}},
                "resultsSection": {"outcomeMeasuresModule": {"outcomeMeasures": [{"type": "PRIMARY",
                    "title": "Relapse", "timeFrame": "Week 12",
                    "description": "Relapse is any of:\n\n* a new lesion\n* a rise in score\n\nAssessed blind."}]}}}"#,
        )
        .unwrap();
        let text = outcomes_in(&study, 80, &all_open());
        let expected = "Description: Relapse is any of:\n\n             • a new lesion\n             • a rise in score\n\n             Assessed blind.";
        assert!(text.contains(expected), "{text}");
        assert!(!text.contains("* a new"), "{text}");
        assert!(text.contains("   Relapse is any of:\n\n   • a new lesion\n   • a rise in score"), "{text}");
    }

    #[test]
    fn measures_are_counted_and_numbered() {
        let text = outcomes_in(&study("NCT03318094"), 80, &all_open());
        assert!(text.contains("Primary outcomes (1)\n1. Change From Baseline"), "{text}");
        assert!(text.contains("Secondary outcomes ("), "{text}");
        assert!(text.contains("Time frame: Baseline, Weeks 9 to 12"), "{text}");
        assert!(text.contains(">=50% Reduction"), "escapes are removed: {text}");
        assert!(!text.contains("\\>"), "{text}");
        assert!(text.starts_with("Results posted on 2021-03-12"), "{text}");
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
