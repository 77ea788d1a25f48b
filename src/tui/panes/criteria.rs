//! The Criteria pane: who may take part, laid out for screening.
//!
//! It is the pane people read line by line against a patient, often offline, so it puts the
//! quick facts first (sex, ages, healthy volunteers, how many criteria there are, the thresholds
//! summed up) and then the criteria tree of [`eligibility`](crate::study::eligibility) as
//! [`present::criteria`](crate::present::criteria) lays it out: labels as registered, references
//! (`I2.a`) in a column on the left, sub-items hanging under their parent, thresholds marked, a
//! blank line between sections and, in sections whose items run long, between items too. This
//! pane only styles those lines; it never reads structure back from text. The tree is a reading
//! of free text, so the text as registered is one key away (`raw`), wrapped but whole.

use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::present::criteria::{self, CriteriaLine, Role};
use crate::present::{eligibility::who_may_join, words::non_blank as present};
use crate::screening::checklist::{self, Answer, Item, Screening};
use crate::screening::judge;
use crate::screening::profile::Profile;
use crate::study::Study;
use crate::study::eligibility::{Criteria, Criterion, split_criteria};
use crate::study::markup;
use crate::study::record::EligibilityModule;
use crate::tui::theme::Palette;

/// Separates short facts on one line.
const DOT: &str = " · ";

/// Columns a tab in the registered text stands for.
const TAB: &str = "    ";

/// The pane's lines at `width` columns; `raw` shows the criteria text as registered.
pub fn pane_lines(study: &Study, width: u16, raw: bool, theme: &Palette) -> Vec<Line<'static>> {
    pane_lines_since(study, width, raw, theme, None)
}

/// What the pane marks on the criteria besides their text: a screening's answers in a column on
/// the left (with its notes under their criterion), and a patient profile's judgement of each
/// threshold under its criterion (✓ for eligibility, ✗ against, ? unknown).
#[derive(Clone, Copy, Default)]
pub struct Marks<'a> {
    pub screening: Option<&'a Screening>,
    pub profile: Option<&'a Profile>,
}

/// Columns of a screening's answer column: the mark, `~` for a suggestion, a space.
const ANSWER_COLUMN: usize = 3;

/// The pane's lines, with the criteria that are new or changed since `before` (the criteria
/// text of an older version: `nct NEW --since OLD`, or as the user last looked) marked `Δ`
/// beside their reference.
pub fn pane_lines_since(
    study: &Study,
    width: u16,
    raw: bool,
    theme: &Palette,
    before: Option<&str>,
) -> Vec<Line<'static>> {
    pane_lines_marked(study, width, raw, theme, before, Marks::default()).0
}

/// The pane's lines with `marks`, and the line each criterion starts on, by reference.
pub fn pane_lines_marked(
    study: &Study,
    width: u16,
    raw: bool,
    theme: &Palette,
    before: Option<&str>,
    marks: Marks<'_>,
) -> (Vec<Line<'static>>, Vec<(String, usize)>) {
    let no_module = EligibilityModule::default();
    let module = study.protocol_section.as_ref().map_or(&no_module, |p| &p.eligibility_module);
    let width = usize::from(width);
    // Below the narrowest width wrapping can serve, lines are wrapped at that width and cut.
    let wrap_width = width.max(markup::MIN_WIDTH);
    let mut lines = who_may_join_lines(module, wrap_width, theme);
    if let Some(gender) = present(&module.gender_description) {
        let gender = markup::unescape(&gender).into_owned();
        lines.extend(markup::hanging(&gender, "Gender:", 0, wrap_width).into_iter().map(Line::from));
    }
    let criteria_text = present(&module.eligibility_criteria);
    let mut starts = Vec::new();
    match criteria_text.as_deref() {
        None => {
            lines.push(Line::default());
            let none = markup::hanging("No eligibility criteria in this record.", "", 0, wrap_width);
            lines.extend(none.into_iter().map(|l| Line::styled(l, theme.dim())));
        }
        Some(text) if raw => lines.extend(registered_lines(text, wrap_width, theme)),
        Some(text) => {
            let offset = lines.len();
            let (split, at) = split_lines(text, module, wrap_width, theme, before, marks);
            lines.extend(split);
            starts = at.into_iter().map(|(reference, line)| (reference, line + offset)).collect();
        }
    }
    lines.extend(population_lines(module, wrap_width, theme));
    (lines.into_iter().map(|line| fit_line(line, width)).collect(), starts)
}

/// "Sex: all · Ages: 18 to 65 years · Healthy volunteers: no", on as few lines as the width
/// allows without breaking a fact in two, unless a fact alone is too wide.
fn who_may_join_lines(module: &EligibilityModule, width: usize, theme: &Palette) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for fact in who_may_join(module).split(DOT) {
        let fact_width = fact.width();
        if used > 0 && used + DOT.width() + fact_width <= width {
            spans.push(Span::styled(DOT, theme.dim()));
            used += DOT.width();
        } else if used > 0 {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if fact_width > width {
            lines.extend(markup::hanging(fact, "", 0, width).into_iter().map(Line::from));
            continue;
        }
        match fact.split_once(": ") {
            Some((label, value)) => {
                spans.push(Span::styled(format!("{label}: "), theme.label()));
                spans.push(Span::styled(value.to_owned(), theme.bold()));
            }
            None => spans.push(Span::raw(fact.to_owned())),
        }
        used += fact_width;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// The criteria tree as [`present::criteria`](crate::present::criteria) lays it out, with
/// their counts and the thresholds summed up above them; the registered text itself when
/// nothing in it could be split.
fn split_lines(
    text: &str,
    module: &EligibilityModule,
    width: usize,
    theme: &Palette,
    before: Option<&str>,
    marks: Marks<'_>,
) -> (Vec<Line<'static>>, Vec<(String, usize)>) {
    let criteria = split_criteria(text);
    let changed = before.map(|before| criteria::changed_references(&split_criteria(before), &criteria));
    if criteria.is_empty() {
        return (registered_lines(text, width, theme), Vec::new());
    }
    let mut lines = vec![count_line(&criteria, width, theme)];
    let summary = criteria::threshold_summary_lines(&criteria, module, width);
    lines.extend(summary.into_iter().map(|l| Line::styled(l, theme.bold())));
    lines.push(Line::default());
    let column = if marks.screening.is_some() { ANSWER_COLUMN } else { 0 };
    let layout =
        criteria::Layout { width: width.saturating_sub(column).max(markup::MIN_WIDTH), spaced: true };
    let marked = |line: CriteriaLine| match &changed {
        Some(changed) => mark_changed(line, changed),
        None => line,
    };
    let thresholds: std::collections::HashMap<&str, &Criterion> = criteria
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .flat_map(Criterion::walk)
        .map(|(_, c)| (c.reference.as_str(), c))
        .collect();
    let mut starts = Vec::new();
    // The note and profile lines of the criterion laid out last, put under its text (before
    // the next criterion, a blank line or a heading).
    let mut under: Vec<Line<'static>> = Vec::new();
    for line in criteria::lines(&criteria, layout) {
        let ends_item = line.starts.is_some()
            || line.pieces.is_empty()
            || matches!(line.pieces.as_slice(), [(Role::Heading, _)]);
        if ends_item {
            lines.append(&mut under);
        }
        let reference = line.starts.clone();
        let mut shown = styled(marked(line), theme);
        if let Some(screening) = marks.screening {
            let prefix = match reference.as_deref().and_then(|r| screening.item(r)) {
                Some(item) => answer_column(screening, item, theme),
                None => Span::raw(" ".repeat(ANSWER_COLUMN)),
            };
            shown.spans.insert(0, prefix);
        }
        if let Some(reference) = reference {
            starts.push((reference.clone(), lines.len()));
            let indent = " ".repeat(column + 5);
            if let Some(item) =
                marks.screening.and_then(|s| s.item(&reference)).filter(|i| !i.note.is_empty())
            {
                under.push(Line::from(vec![
                    Span::raw(indent.clone()),
                    Span::styled(format!("note: {}", item.note), theme.key()),
                ]));
            }
            if let (Some(profile), Some(criterion)) = (marks.profile, thresholds.get(reference.as_str()))
                && let Some(judged) = profile_line(profile, criterion, theme)
            {
                let mut spans = vec![Span::raw(indent)];
                spans.extend(judged);
                under.push(Line::from(spans));
            }
        }
        lines.push(shown);
    }
    lines.append(&mut under);
    (lines, starts)
}

/// The screening's verdict line over the criteria ("P-014 Inclusion 9/11 met… → possibly
/// eligible"), wrapped to `width`, at most three rows (the criteria need the rest).
pub fn verdict_lines(screening: &Screening, width: u16, theme: &Palette) -> Vec<Line<'static>> {
    let verdict = crate::present::screening_log::verdict_line(screening);
    let width = usize::from(width).max(markup::MIN_WIDTH);
    let mut lines: Vec<Line<'static>> = markup::hanging(&verdict, &screening.patient, 0, width)
        .into_iter()
        .take(3)
        .map(|l| Line::styled(l, theme.bold()))
        .collect();
    if let Some(first) = lines.first_mut() {
        first.style = theme.heading();
    }
    lines
}

/// What the marks put on the lines, hashed: the lines are built again when it changes (an
/// answer, a note, another profile), not at every key.
pub fn stamp(marks: Marks<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    if let Some(screening) = marks.screening {
        for item in &screening.items {
            (&item.reference, item.answer.map(Answer::name), &item.note, item.suggested).hash(&mut hasher);
        }
    }
    format!("{:?}", marks.profile).hash(&mut hasher);
    hasher.finish()
}

/// A screening's answer column for one criterion: its answer (`~` after a suggestion not yet
/// confirmed), or, unanswered, what its sub-items roll up to, dim; `·` when nothing is known.
fn answer_column(screening: &Screening, item: &Item, theme: &Palette) -> Span<'static> {
    match (item.answer, screening.effective(item)) {
        (Some(answer), _) => {
            let suggested = if item.suggested { "~" } else { " " };
            let style = match answer {
                Answer::Met | Answer::NotMet if item.suggested => theme.dim(),
                Answer::Met | Answer::NotMet => theme.bold(),
                Answer::Unknown | Answer::NotApplicable => theme.key(),
            };
            Span::styled(format!("{}{suggested} ", answer.mark()), style)
        }
        (None, Some(rolled)) => Span::styled(format!("{}  ", rolled.mark()), theme.dim()),
        (None, None) => Span::styled("·  ", theme.dim()),
    }
}

/// "✓ ECOG ≤ 1 · ? ANC ≥ 1,500/µL": a profile's judgement of each threshold of a criterion, ✓
/// where it favours eligibility (within an inclusion's threshold, outside an exclusion's).
fn profile_line(profile: &Profile, criterion: &Criterion, theme: &Palette) -> Option<Vec<Span<'static>>> {
    if criterion.thresholds.is_empty() {
        return None;
    }
    let side = checklist::side(&criterion.reference);
    let mut spans = Vec::new();
    for (n, threshold) in criterion.thresholds.iter().enumerate() {
        if n > 0 {
            spans.push(Span::styled(DOT, theme.dim()));
        }
        let (mark, style) = match checklist::favours(side, judge::judge(profile, threshold)) {
            Some(true) => ("✓", theme.bold()),
            Some(false) => ("✗", theme.error()),
            None => ("?", theme.dim()),
        };
        spans.push(Span::styled(format!("{mark} "), style));
        spans.push(Span::styled(criteria::threshold_text(threshold), theme.dim()));
    }
    Some(spans)
}

/// "5 inclusion · 4 exclusion criteria", and the key to the text as registered when it fits.
fn count_line(criteria: &Criteria, width: usize, theme: &Palette) -> Line<'static> {
    let count = criteria::count_line(criteria);
    let hint = " (r: as registered)";
    let mut spans = vec![Span::styled(count.clone(), theme.dim())];
    if count.width() + hint.width() <= width {
        spans.push(Span::styled(hint, theme.dim()));
    }
    Line::from(spans)
}

/// A criterion's first line with `Δ` right after its reference when it is new or changed (as
/// the list marks a changed study); the column keeps its width.
fn mark_changed(mut line: CriteriaLine, changed: &std::collections::HashSet<String>) -> CriteriaLine {
    for (role, text) in &mut line.pieces {
        let reference = text.trim_end();
        if *role == Role::Reference
            && changed.contains(reference)
            && let Some(rest) = text.get(reference.len()..).and_then(|spaces| spaces.strip_prefix(' '))
        {
            *text = format!("{reference}Δ{rest}");
            *role = Role::Threshold;
        }
    }
    line
}

/// A laid-out line with the pane's styles: headings as headings, references and sub-item
/// labels dim (they stay out of the way), top-level labels bold (so the eye finds each
/// criterion), thresholds marked.
fn styled(line: CriteriaLine, theme: &Palette) -> Line<'static> {
    if let [(Role::Heading, text)] = line.pieces.as_slice() {
        return Line::styled(text.clone(), theme.heading());
    }
    let spans: Vec<Span<'static>> = line
        .pieces
        .into_iter()
        .map(|(role, text)| match role {
            Role::Heading => Span::styled(text, theme.heading()),
            Role::Reference | Role::SubLabel => Span::styled(text, theme.dim()),
            Role::Label => Span::styled(text, theme.bold()),
            Role::Threshold => Span::styled(text, theme.threshold()),
            Role::Intro | Role::Text => Span::raw(text),
        })
        .collect();
    Line::from(spans)
}

/// The criteria text as registered: every character kept, long lines wrapped with list items
/// hanging under their text.
fn registered_lines(text: &str, width: usize, theme: &Palette) -> Vec<Line<'static>> {
    let heading = "Criteria as registered (r: back to the split view)";
    let mut lines = vec![Line::default()];
    lines
        .extend(markup::hanging(heading, "", 0, width).into_iter().map(|l| Line::styled(l, theme.heading())));
    lines.push(Line::default());
    for line in text.lines() {
        lines.extend(wrap_registered(line, width).into_iter().map(Line::from));
    }
    lines
}

/// One line of registered text in lines of at most `width` columns. Tabs become spaces, since
/// a terminal cell cannot show one; a line that fits is kept as it is.
fn wrap_registered(line: &str, width: usize) -> Vec<String> {
    let line = line.replace('\t', TAB);
    let line = line.trim_end();
    if line.width() <= width {
        return vec![line.to_owned()];
    }
    let content = line.trim_start();
    let indent = line.len() - content.len();
    match markup::split_marker(content) {
        Some((_, text)) if content.len() > text.len() => {
            let marker = content.get(..content.len() - text.len()).unwrap_or_default();
            // The marker keeps its own spacing only when it is the usual single space.
            match marker.strip_suffix(' ').filter(|m| !m.ends_with(' ')) {
                Some(marker) => markup::hanging(text, marker, indent, width),
                None => markup::hanging(content, "", indent, width),
            }
        }
        _ => markup::hanging(content, "", indent, width),
    }
}

/// Who an observational study draws from, and how.
fn population_lines(module: &EligibilityModule, width: usize, theme: &Palette) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if let Some(population) = present(&module.study_population) {
        lines.push(Line::default());
        lines.push(Line::styled("Study population", theme.heading()));
        lines.extend(markup::render(&population, width).into_iter().map(Line::from));
    }
    if let Some(method) = &module.sampling_method {
        if lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::from(vec![
            Span::styled("Sampling method: ", theme.label()),
            Span::raw(method.label().to_owned()),
        ]));
    }
    lines
}

/// `line` cut to `width` display columns, for widths too narrow for wrapping to keep within.
fn fit_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut room = width;
    let mut spans = Vec::new();
    for span in line.spans {
        let mut kept = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if w > room {
                room = 0;
                break;
            }
            room -= w;
            kept.push(c);
        }
        spans.push(Span::styled(kept, span.style));
        if room == 0 {
            break;
        }
    }
    Line::from(spans).style(line.style)
}

/// Plain text of a line, for tests and searching.
#[cfg(test)]
fn plain(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    use crate::tui::panes::bundled_study as study;
    use ratatui::style::Style;

    fn text(study: &Study, width: u16, raw: bool) -> Vec<String> {
        let lines = pane_lines(study, width, raw, &Palette::mono());
        for line in &lines {
            assert!(line.width() <= usize::from(width), "{width}: {:?}", plain(line));
        }
        lines.iter().map(plain).collect()
    }

    #[test]
    fn nested_criteria_keep_their_labels_with_references_beside_them() {
        let study = study("NCT04577316");
        let lines = text(&study, 60, false);
        assert_eq!(lines[0], "Sex: all · Ages: 18 to 75 years · Healthy volunteers: no");
        assert_eq!(lines[1], "5 inclusion · 5 exclusion criteria (r: as registered)");
        // The thresholds summed up, broken between them, never inside one.
        assert_eq!(lines[2], "Age 18–75 · ECOG ≤ 1 · ANC ≥ 1,000/µL");
        assert_eq!(lines[3], "platelets ≥ 50,000/µL · creatinine clearance ≥ 45 mL/min");
        assert_eq!(lines[4], "LVEF ≥ 45%");
        assert_eq!(lines[5], "");
        assert_eq!(lines[6], "Inclusion criteria");
        assert_eq!(lines[7], "I1   1. Histologically confirmed large B-cell lymphoma,");
        assert_eq!(lines[8], "        including:");
        // The registry's bullets, as bullets, hanging under their parent's text.
        assert_eq!(lines[9], "I1.a    ◦ diffuse large B-cell lymphoma not otherwise");
        assert_eq!(lines[10], "          specified");
        let exclusion = lines.iter().position(|l| l == "Exclusion criteria").unwrap();
        assert_eq!(lines[exclusion - 1], "", "a blank line between sections");
        // Items with sub-items run long: a blank line sets each apart.
        let second = lines.iter().position(|l| l.starts_with("I2   2. Relapsed")).unwrap();
        assert_eq!(lines[second - 1], "");
        assert!(lines.iter().any(|l| l == "I5.d    ◦ left ventricular ejection fraction >=45%"));
        for width in [10, 24, 40, 80, 118] {
            text(&study, width, false);
            text(&study, width, true);
        }
    }

    #[test]
    fn numbers_stand_out_and_letters_step_back() {
        let theme = Palette::dark();
        let lines = pane_lines(&study("NCT04577316"), 60, false, &theme);
        let first = lines.iter().find(|l| plain(l).starts_with("I1   1. Histo")).unwrap();
        assert_eq!((first.spans[0].content.as_ref(), first.spans[0].style), ("I1   ", theme.dim()));
        assert_eq!((first.spans[1].content.as_ref(), first.spans[1].style), ("1.", theme.bold()));
        let sub = lines.iter().find(|l| plain(l).starts_with("I1.a    ◦ diffuse")).unwrap();
        assert_eq!((sub.spans[2].content.as_ref(), sub.spans[2].style), ("◦", theme.dim()));
        let heading = lines.iter().find(|l| plain(l) == "Inclusion criteria").unwrap();
        assert_eq!(heading.style, theme.heading());
    }

    #[test]
    fn short_items_stay_together() {
        let lines = text(&study("NCT02210479"), 100, false);
        assert_eq!(lines[0], "Sex: all · Ages: 65 to 85 years · Healthy volunteers: no");
        assert_eq!(lines[1], "3 inclusion · 4 exclusion criteria (r: as registered)");
        let start = lines.iter().position(|l| l == "Inclusion criteria").unwrap();
        assert_eq!(lines[start + 1], "I1 • Age 65 to 85 years");
        assert!(lines[start + 2].starts_with("I2 • Clinic systolic"), "{lines:#?}");
        assert!(lines.iter().any(|l| l == "E3 • eGFR <30 mL/min/1.73 m²"), "{lines:#?}");
    }

    #[test]
    fn criteria_without_headings_read_as_text() {
        let study = study("NCT03505528");
        let lines = text(&study, 70, false);
        assert_eq!(lines[0], "Sex: all · Ages: 18 years and over · Healthy volunteers: no");
        let all = lines.join("\n");
        assert!(all.contains("Adults with symptoms of dry eye"), "{all}");
        assert!(all.contains("cannot take part."), "{all}");
        assert!(!all.contains("inclusion criteria\n"), "{all}");
    }

    #[test]
    fn old_nci_headings_become_sections() {
        let lines = text(&study("NCT01447732"), 80, false);
        assert!(lines[1].contains("under"), "{lines:#?}");
        for heading in ["Disease characteristics", "Patient characteristics", "Performance status", "Renal"] {
            assert!(lines.iter().any(|l| l == heading), "{heading}: {lines:#?}");
        }
        let age = lines.iter().position(|l| l == "Age").unwrap();
        assert_eq!(lines[age + 1], "O5   • 18 and over");
        assert_eq!(lines[age + 2], "");
        // The heading over sub-headings sits on the first of them.
        let patient = lines.iter().position(|l| l == "Patient characteristics").unwrap();
        assert_eq!(lines[patient + 1], "Age");
        assert!(lines.iter().any(|l| l == "O1.b   ◦ Ki-67 index <=20%"), "{lines:#?}");
    }

    #[test]
    fn thresholds_are_marked_and_references_step_back() {
        let theme = Palette::dark();
        let line = CriteriaLine {
            pieces: vec![
                (Role::Reference, "I4 ".to_owned()),
                (Role::Label, "4.".to_owned()),
                (Role::Text, " ".to_owned()),
                (Role::Threshold, "ECOG ≤ 1".to_owned()),
            ],
            starts: Some("I4".to_owned()),
        };
        let styled = styled(line, &theme);
        let styles: Vec<_> = styled.spans.iter().map(|s| s.style).collect();
        assert_eq!(styles, [theme.dim(), theme.bold(), Style::default(), theme.threshold()]);
        assert_ne!(theme.threshold(), Style::default());
        assert_ne!(Palette::mono().threshold(), Style::default(), "marked without colour too");
    }

    #[test]
    fn raw_text_is_whole_and_wrapped() {
        let study = study("NCT04577316");
        let raw = study.protocol_section.as_ref().unwrap().eligibility_module.eligibility_criteria.clone();
        let lines = text(&study, 44, true);
        assert_eq!(lines[..3], ["Sex: all · Ages: 18 to 75 years", "Healthy volunteers: no", ""]);
        assert_eq!(lines[3], "Criteria as registered (r: back to the split");
        assert_eq!(lines[4], "view)");
        assert_eq!(lines[5], "");
        assert_eq!(lines[6], "Inclusion Criteria:");
        // Lines may break after a slash or a hyphen, so only the spaces may differ.
        let shown: String = lines[6..].concat().chars().filter(|c| !c.is_whitespace()).collect();
        let registered: String = raw.unwrap().chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(shown, registered);
        assert!(lines.iter().any(|l| l == "  * absolute neutrophil count \\>=1,000/µL"), "{lines:#?}");
        assert!(lines.iter().any(|l| l == "  * high-grade B-cell lymphoma with MYC and"), "{lines:#?}");
        assert!(lines.iter().any(|l| l == "    BCL2 rearrangements"), "{lines:#?}");
    }

    #[test]
    fn says_plainly_when_there_is_nothing() {
        let study: Study = serde_json::from_str(
            r#"{"protocolSection": {"eligibilityModule": {"sex": "FEMALE", "maximumAge": "17 Years",
                "genderBased": true, "genderDescription": "Girls \\>= 12 only"}}}"#,
        )
        .unwrap();
        for raw in [false, true] {
            let lines = text(&study, 50, raw);
            assert_eq!(
                lines,
                [
                    "Sex: female · Ages: up to 17 years",
                    "Gender: Girls >= 12 only",
                    "",
                    "No eligibility criteria in this record."
                ]
            );
        }
        let lines = text(&Study::default(), 30, false);
        assert_eq!(lines, ["Ages: any age", "", "No eligibility criteria in", "this record."]);
    }

    #[test]
    fn observational_studies_say_whom_they_draw_from() {
        let study: Study = serde_json::from_str(
            r#"{"protocolSection": {"eligibilityModule": {"sex": "ALL", "minimumAge": "40 Years",
                "eligibilityCriteria": "Inclusion Criteria:\n\n* Smokers\n\nExclusion Criteria:\n\n* None",
                "studyPopulation": "Adults from \\>3 clinics", "samplingMethod": "PROBABILITY_SAMPLE"}}}"#,
        )
        .unwrap();
        let lines = text(&study, 60, false);
        let tail = &lines[lines.len() - 4..];
        assert_eq!(
            tail,
            ["", "Study population", "Adults from >3 clinics", "Sampling method: Probability Sample"]
        );
        assert_eq!(lines[1], "1 inclusion · 1 exclusion criteria (r: as registered)");
    }

    #[test]
    fn narrow_widths_still_fit() {
        let study = study("NCT01447732");
        for width in [0, 1, 5, 9, 10, 11] {
            text(&study, width, false);
            text(&study, width, true);
        }
    }
}
