//! Eligibility as people read it: the criteria tree of [`eligibility`] laid out for a screen or
//! a page, shared by the Criteria pane, `nct show` and `nct criteria`.
//!
//! A line here is a list of pieces, each with the [`Role`] it plays (a reference, a label, text,
//! a threshold), so that the pane only adds styles and the shell only joins them. Items keep
//! their labels as registered (bullets as a bullet glyph per depth), hang under their text, and
//! carry their reference (`I2.a`) in a column on the left; thresholds found in an item are
//! marked where its words are. Above the tree go the facts (sex, ages, healthy volunteers), how
//! many criteria there are, and one line summing up the thresholds.

use unicode_width::UnicodeWidthStr;

use crate::study::eligibility::{Criteria, Criterion, Section, SectionKind};
use crate::study::markup;
use crate::study::record::EligibilityModule;
use crate::study::threshold::{Comparator, Threshold};

/// Separates short facts on one line.
pub const DOT: &str = " · ";

/// A section whose items reach this many lines (sub-items included) gets, when asked for, a
/// blank line between items: there the labels alone no longer make the items easy to tell
/// apart.
const LONG_ITEM_LINES: usize = 3;

/// What a piece of a line is, for the one who styles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Heading,
    Intro,
    /// An item's reference, in the column on the left.
    Reference,
    /// A top-level item's label.
    Label,
    /// A sub-item's label.
    SubLabel,
    Text,
    /// The words a threshold was read from.
    Threshold,
}

/// One laid-out line: its pieces in order. A blank line has none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CriteriaLine {
    pub pieces: Vec<(Role, String)>,
    /// The reference of the criterion this line is the first line of (a screening puts its
    /// answer there); `None` on other lines.
    pub starts: Option<String>,
}

impl CriteriaLine {
    fn one(role: Role, text: String) -> CriteriaLine {
        CriteriaLine { pieces: vec![(role, text)], starts: None }
    }

    /// The line without roles.
    pub fn plain(&self) -> String {
        self.pieces.iter().map(|(_, text)| text.as_str()).collect()
    }
}

/// How to lay the tree out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub width: usize,
    /// A blank line between the top-level items of sections whose items run long (the pane).
    pub spaced: bool,
}

/// "Sex", "Ages", "Healthy volunteers" with their values, as far as the record says.
pub fn facts(module: &EligibilityModule) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    if let Some(sex) = &module.sex {
        facts.push(("Sex", sex.label().to_lowercase()));
    }
    facts.push(("Ages", module.age_range_text()));
    if let Some(yes) = module.healthy_volunteers {
        facts.push(("Healthy volunteers", if yes { "yes" } else { "no" }.to_owned()));
    }
    facts
}

/// How many criteria there are, as a screener counts them: top-level items.
pub fn count_line(criteria: &Criteria) -> String {
    let (inclusion, exclusion) = criteria.count();
    let criteria_word = |n: usize| if n == 1 { "criterion" } else { "criteria" };
    match (inclusion, exclusion) {
        (0, 0) => {
            let items: usize = criteria.sections.iter().map(|s| s.items.len()).sum();
            let headed = criteria.sections.iter().filter(|s| s.heading.is_some()).count();
            match (items, headed) {
                (0, _) => "Written as text, not as inclusion and exclusion lists".to_owned(),
                (n, 0 | 1) => format!("{n} {}, not marked inclusion or exclusion", criteria_word(n)),
                (n, h) => format!("{n} {} under {h} headings", criteria_word(n)),
            }
        }
        (i, 0) => format!("{i} inclusion {}, no exclusion criteria", criteria_word(i)),
        (0, e) => format!("{e} exclusion {}, no inclusion criteria", criteria_word(e)),
        (i, e) => format!("{i} inclusion · {e} exclusion {}", criteria_word(i + e)),
    }
}

/// The thresholds in one line: the registered ages first, then each thing measured once, as
/// its first inclusion criterion says it, then what excludes ("Age 18–75 · ECOG ≤ 1 · ANC ≥
/// 1.5 ×10^9/L · not eGFR < 30 mL/min"). `None` when there is nothing to sum up.
pub fn threshold_summary(criteria: &Criteria, module: &EligibilityModule) -> Option<String> {
    let parts = threshold_summary_parts(criteria, module);
    (!parts.is_empty()).then(|| parts.join(DOT))
}

/// The summary in lines no wider than `width`, broken between its parts ("ANC ≥ 1,500/µL" is
/// never split from its unit); a part wider than the line wraps on its own.
pub fn threshold_summary_lines(criteria: &Criteria, module: &EligibilityModule, width: usize) -> Vec<String> {
    let width = width.max(markup::MIN_WIDTH);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in threshold_summary_parts(criteria, module) {
        let joined = if line.is_empty() { part.clone() } else { format!("{line}{DOT}{part}") };
        if joined.width() <= width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if part.width() <= width {
            line = part;
        } else {
            let mut wrapped = markup::hanging(&part, "", 0, width);
            line = wrapped.pop().unwrap_or_default();
            lines.extend(wrapped);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The summary's parts: the registered ages, then each thing measured, once per section kind.
fn threshold_summary_parts(criteria: &Criteria, module: &EligibilityModule) -> Vec<String> {
    let mut parts: Vec<String> = age_summary(module).into_iter().collect();
    let mut seen: Vec<(bool, String)> = Vec::new();
    if !parts.is_empty() {
        // The registered ages stand for the inclusion side's age criteria.
        seen.push((false, "age".to_owned()));
    }
    for (excludes, kind) in [(false, SectionKind::Inclusion), (true, SectionKind::Exclusion)] {
        let items = criteria.sections.iter().filter(|s| s.kind == kind).flat_map(|s| s.items.iter());
        for (_, item) in items.flat_map(Criterion::walk) {
            for threshold in &item.thresholds {
                let key = (excludes, threshold.what.to_lowercase());
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let shown = threshold_text(threshold);
                // A washout reads the same from either side (the least time since a
                // treatment).
                let part = match threshold.what.as_str() {
                    "washout" => shown,
                    // "≤ 12 months" needs its item's words to mean anything: left to the
                    // marks in the item.
                    "time window" | "duration" => continue,
                    _ if excludes => format!("not {shown}"),
                    _ => shown,
                };
                parts.push(part);
            }
        }
    }
    parts
}

/// "Age 18–75", "Age ≥ 18", "Age 6 months–17 years".
fn age_summary(module: &EligibilityModule) -> Option<String> {
    use crate::study::age::AgeUnit;
    let years = |age: &crate::study::age::Age| {
        if age.unit == AgeUnit::Years { format!("{}", age.value) } else { age.to_string() }
    };
    match (&module.minimum_age, &module.maximum_age) {
        (Some(min), Some(max)) => Some(format!("Age {}–{}", years(min), years(max))),
        (Some(min), None) => Some(format!("Age ≥ {}", years(min))),
        (None, Some(max)) => Some(format!("Age ≤ {}", years(max))),
        (None, None) => None,
    }
}

/// "ECOG ≤ 1", "ANC ≥ 1.5 ×10^9/L", "BMI 18.5–30 kg/m2", "washout ≥ 4 weeks".
pub fn threshold_text(threshold: &Threshold) -> String {
    let unit = |value: String| match threshold.unit.as_deref() {
        Some(unit) if unit.starts_with(['%', '×', '/']) => format!("{value}{unit}"),
        Some(unit) => format!("{value} {unit}"),
        None => value,
    };
    // Whole numbers of four digits and more are grouped as people write them ("50,000/µL").
    let number = |n: Option<f64>| match n {
        Some(n) if n >= 1000.0 && n.fract() == 0.0 && n < 1e15 => {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let whole = n as usize;
            super::words::thousands(whole)
        }
        Some(n) => format!("{n}"),
        None => "?".to_owned(),
    };
    let what = &threshold.what;
    match threshold.comparator {
        Comparator::Between => unit(format!("{what} {}–{}", number(threshold.low), number(threshold.high))),
        comparator => unit(format!("{what} {} {}", comparator_sign(comparator), number(threshold.value))),
    }
}

fn comparator_sign(comparator: Comparator) -> &'static str {
    match comparator {
        Comparator::AtLeast => "≥",
        Comparator::AtMost => "≤",
        Comparator::Above => ">",
        Comparator::Below => "<",
        Comparator::Equal => "=",
        Comparator::Between => "–",
    }
}

/// The references of the criteria in `now` that are new or read differently from the same
/// reference in `before` (an older version of the study's criteria): what a reader comparing two
/// versions looks at first. A parent is not marked for a change in its children.
pub fn changed_references(before: &Criteria, now: &Criteria) -> std::collections::HashSet<String> {
    let texts = |criteria: &Criteria| -> Vec<(String, String)> {
        criteria
            .sections
            .iter()
            .flat_map(|s| s.items.iter())
            .flat_map(Criterion::walk)
            .map(|(_, item)| {
                (item.reference.clone(), item.text.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .collect()
    };
    let old: std::collections::HashMap<String, String> = texts(before).into_iter().collect();
    texts(now)
        .into_iter()
        .filter(|(reference, text)| old.get(reference) != Some(text))
        .map(|(reference, _)| reference)
        .collect()
}

/// The tree as lines: a heading per section, intro paragraphs, items with hanging indents, a
/// blank line after each section that has content (a bare heading reads as the heading of what
/// follows it).
pub fn lines(criteria: &Criteria, layout: Layout) -> Vec<CriteriaLine> {
    let width = layout.width.max(markup::MIN_WIDTH);
    let gutter = gutter_width(criteria, width);
    let mut lines = Vec::new();
    let mut previous: Option<&Section> = None;
    for section in &criteria.sections {
        if previous.is_some_and(|p| !p.intro.is_empty() || !p.items.is_empty()) {
            lines.push(CriteriaLine::default());
        }
        previous = Some(section);
        if let Some(title) = section.title() {
            lines.extend(
                markup::hanging(&title, "", 0, width)
                    .into_iter()
                    .map(|l| CriteriaLine::one(Role::Heading, l)),
            );
        }
        for paragraph in &section.intro {
            let wrapped = markup::hanging(paragraph, "", 0, width);
            lines.extend(wrapped.into_iter().map(|l| CriteriaLine::one(Role::Intro, l)));
        }
        let items: Vec<Vec<CriteriaLine>> =
            section.items.iter().map(|item| item_lines(item, &section.items, 0, 0, gutter, width)).collect();
        let spaced = layout.spaced && items.iter().any(|l| l.len() >= LONG_ITEM_LINES);
        for (i, item) in items.into_iter().enumerate() {
            if spaced && i > 0 {
                lines.push(CriteriaLine::default());
            }
            lines.extend(item);
        }
    }
    lines
}

/// [`lines`] without roles: what `nct show` and `nct criteria` print.
pub fn text_lines(criteria: &Criteria, width: usize) -> Vec<String> {
    lines(criteria, Layout { width, spaced: false }).iter().map(CriteriaLine::plain).collect()
}

/// Columns of the reference column, with the space after it; none when the widest reference
/// would take more than a third of the line.
fn gutter_width(criteria: &Criteria, width: usize) -> usize {
    let widest = criteria
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .flat_map(Criterion::walk)
        .map(|(_, item)| item.reference.width())
        .max()
        .unwrap_or(0);
    let gutter = widest + 1;
    if widest == 0 || gutter * 3 > width || width.saturating_sub(gutter) < markup::MIN_WIDTH {
        0
    } else {
        gutter
    }
}

/// The label as shown: as registered, but a bullet as the glyph of its depth.
pub fn shown_label(item: &Criterion, depth: usize) -> String {
    match item.label.as_deref() {
        Some("*" | "-" | "+" | "•") => markup::bullet_glyph(depth).to_owned(),
        Some(label) => label.to_owned(),
        None => String::new(),
    }
}

/// One item and what is under it. Labels are right-aligned to the widest of the siblings
/// ("9." over "10."); children start at their parent's text column.
fn item_lines(
    item: &Criterion,
    siblings: &[Criterion],
    depth: usize,
    indent: usize,
    gutter: usize,
    width: usize,
) -> Vec<CriteriaLine> {
    let label_width = siblings.iter().map(|s| shown_label(s, depth).width()).max().unwrap_or(0);
    let label = shown_label(item, depth);
    let marker = if label_width == 0 { String::new() } else { format!("{label:>label_width$}") };
    let room = width.saturating_sub(gutter);
    let wrapped = markup::hanging(&item.text, &marker, indent, room);
    let marked = threshold_marks(&item.text, &item.thresholds);
    let marker_chars = marker.chars().filter(|c| !c.is_whitespace()).count();
    let label_role = if depth == 0 { Role::Label } else { Role::SubLabel };
    let mut seen = 0;
    let mut out = Vec::with_capacity(wrapped.len());
    for (n, line) in wrapped.iter().enumerate() {
        let mut pieces = Vec::new();
        if gutter > 0 {
            let reference = if n == 0 { item.reference.as_str() } else { "" };
            pieces.push((Role::Reference, format!("{reference:<gutter$}")));
        }
        let skip = if n == 0 { marker_chars } else { 0 };
        pieces.extend(line_pieces(line, skip, label_role, &marked, &mut seen));
        let starts = (n == 0).then(|| item.reference.clone());
        out.push(CriteriaLine { pieces: merged(pieces), starts });
    }
    let child_indent = indent + if label_width == 0 { 2 } else { label_width + 1 };
    for child in &item.children {
        out.extend(item_lines(child, &item.children, depth + 1, child_indent, gutter, width));
    }
    out
}

/// Which of the text's non-blank characters belong to a threshold's words, one flag each.
fn threshold_marks(text: &str, thresholds: &[Threshold]) -> Vec<bool> {
    let mut marks = vec![false; text.chars().filter(|c| !c.is_whitespace()).count()];
    let mut from = 0;
    for threshold in thresholds {
        let words = threshold.text.trim();
        if words.is_empty() {
            continue;
        }
        let found = text
            .get(from..)
            .and_then(|rest| rest.find(words))
            .map(|at| at + from)
            .or_else(|| text.find(words));
        let Some(at) = found else { continue };
        let before = text.get(..at).map_or(0, |b| b.chars().filter(|c| !c.is_whitespace()).count());
        let count = words.chars().filter(|c| !c.is_whitespace()).count();
        for mark in marks.iter_mut().skip(before).take(count) {
            *mark = true;
        }
        from = at + words.len();
    }
    marks
}

/// A wrapped line cut into pieces: its indentation and first `skip` non-blank characters (the
/// label) as `label_role`, then text and threshold words; `seen` counts the text's non-blank
/// characters laid out so far. A space between two threshold characters is part of the
/// threshold.
fn line_pieces(
    line: &str,
    skip: usize,
    label_role: Role,
    marked: &[bool],
    seen: &mut usize,
) -> Vec<(Role, String)> {
    let mut pieces: Vec<(Role, String)> = Vec::new();
    let mut skipped = 0;
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let role = if skipped < skip {
            if !c.is_whitespace() {
                skipped += 1;
            }
            if c.is_whitespace() { Role::Text } else { label_role }
        } else if c.is_whitespace() {
            let next_marked = chars.get(i + 1..).is_some_and(|rest| {
                rest.iter().any(|c| !c.is_whitespace()) && marked.get(*seen).copied().unwrap_or(false)
            });
            let previous_marked = *seen > 0 && marked.get(*seen - 1).copied().unwrap_or(false);
            if next_marked && previous_marked && pieces.last().is_some_and(|(r, _)| *r == Role::Threshold) {
                Role::Threshold
            } else {
                Role::Text
            }
        } else {
            let role = if marked.get(*seen).copied().unwrap_or(false) { Role::Threshold } else { Role::Text };
            *seen += 1;
            role
        };
        match pieces.last_mut() {
            Some((last, text)) if *last == role => text.push(c),
            _ => pieces.push((role, c.to_string())),
        }
    }
    pieces
}

/// Neighbouring pieces of one role as one.
fn merged(pieces: Vec<(Role, String)>) -> Vec<(Role, String)> {
    let mut out: Vec<(Role, String)> = Vec::with_capacity(pieces.len());
    for (role, text) in pieces {
        match out.last_mut() {
            Some((last, existing)) if *last == role => existing.push_str(&text),
            _ => out.push((role, text)),
        }
    }
    out
}

/// The tree as markdown: `### Heading` per section, intro paragraphs, and nested bullet lists
/// whose items start with their reference in bold and their label as registered, so that a
/// renderer does not renumber them. `escape` is the writer's escaping of our text.
pub fn markdown(criteria: &Criteria, escape: impl Fn(&str) -> String) -> String {
    let mut chunks = Vec::new();
    for section in &criteria.sections {
        if let Some(title) = section.title() {
            chunks.push(format!("### {}", escape(&title)));
        }
        chunks.extend(section.intro.iter().map(|p| escape(p)));
        if !section.items.is_empty() {
            let mut lines = Vec::new();
            for item in &section.items {
                markdown_item(&mut lines, item, 0, &escape);
            }
            chunks.push(lines.join("\n"));
        }
    }
    chunks.join("\n\n")
}

fn markdown_item(lines: &mut Vec<String>, item: &Criterion, indent: usize, escape: &impl Fn(&str) -> String) {
    let pad = " ".repeat(indent);
    // A bullet is the list's own marker already.
    let label = match item.label.as_deref() {
        None | Some("*" | "-" | "+" | "•") => String::new(),
        Some(label) => format!("{} ", escape(label)),
    };
    let mut paragraphs = item.text.split('\n');
    let first = paragraphs.next().unwrap_or_default();
    lines.push(format!("{pad}- **{}** {label}{}", item.reference, escape(first)).trim_end().to_owned());
    for paragraph in paragraphs.filter(|p| !p.trim().is_empty()) {
        lines.push(String::new());
        lines.push(format!("{pad}  {}", escape(paragraph)));
    }
    for child in &item.children {
        markdown_item(lines, child, indent + 2, escape);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn changed_references_are_the_new_and_reworded_criteria_only() {
        use crate::study::eligibility::split_criteria;
        let before = split_criteria("Inclusion Criteria:\n\n1. Adults\n2. ECOG 0-1\n   a. or KPS >= 70\n");
        let now =
            split_criteria("Inclusion Criteria:\n\n1. Adults\n2. ECOG 0-2\n   a. or KPS >= 70\n3. Consent\n");
        let mut changed: Vec<String> = changed_references(&before, &now).into_iter().collect();
        changed.sort();
        assert_eq!(changed, ["I2", "I3"], "I2.a is worded as before");
        assert!(changed_references(&now, &now).is_empty());
    }
    use crate::study::eligibility::split_criteria;
    use proptest::prelude::*;

    fn assert_fits(lines: &[String], width: usize) {
        for line in lines {
            assert!(line.width() <= width, "{line:?} is wider than {width}");
            assert_eq!(line.trim_end(), line, "trailing whitespace in {line:?}");
        }
    }

    const USUAL: &str = "Inclusion Criteria:\n\n1. Adults aged 18 to 75 years\n2. Plaque psoriasis for at least 6 months:\n\n   a) confirmed by a dermatologist\n   b) PASI \\>= 12\n10. Able to give written consent\n\nExclusion Criteria:\n\n* Pregnant or breastfeeding\n* Live vaccine within 4 weeks";

    #[test]
    fn labels_as_registered_hang_and_align_with_references_beside_them() {
        let lines = text_lines(&split_criteria(USUAL), 40);
        assert_eq!(
            lines,
            [
                "Inclusion criteria",
                "I1    1. Adults aged 18 to 75 years",
                "I2    2. Plaque psoriasis for at least",
                "         6 months:",
                "I2.a     a) confirmed by a dermatologist",
                "I2.b     b) PASI >= 12",
                "I3   10. Able to give written consent",
                "",
                "Exclusion criteria",
                "E1   • Pregnant or breastfeeding",
                "E2   • Live vaccine within 4 weeks",
            ]
        );
    }

    #[test]
    fn narrow_lines_drop_the_reference_column_and_still_fit() {
        let criteria = split_criteria(USUAL);
        for width in 0..=16 {
            let lines = text_lines(&criteria, width);
            assert_fits(&lines, width.max(markup::MIN_WIDTH));
        }
        assert!(text_lines(&criteria, 12).iter().all(|l| !l.starts_with("I1")));
    }

    #[test]
    fn wide_characters_are_measured_in_columns() {
        let raw = "Inclusion Criteria:\n\n* 年齢18歳以上65歳以下の男性患者で、同意書に署名した者\n\nExclusion Criteria:\n\n* 妊娠中の者";
        let lines = text_lines(&split_criteria(raw), 24);
        assert_fits(&lines, 24);
        assert!(lines.iter().filter(|l| l.starts_with("     ")).count() >= 2, "{lines:#?}");
    }

    fn threshold(
        what: &str,
        comparator: Comparator,
        value: f64,
        unit: Option<&str>,
        text: &str,
    ) -> Threshold {
        Threshold {
            what: what.to_owned(),
            comparator,
            value: Some(value),
            low: None,
            high: None,
            unit: unit.map(str::to_owned),
            text: text.to_owned(),
        }
    }

    /// The usual record with thresholds put on its items by hand, as the finder would.
    fn with_thresholds() -> Criteria {
        let mut criteria = split_criteria(
            "Inclusion Criteria:\n\n* ECOG performance status 0 or 1, i.e. ECOG <= 1\n* ANC >= 1.5 x10^9/L\n\nExclusion Criteria:\n\n* eGFR < 30 mL/min",
        );
        let items: Vec<&mut Criterion> =
            criteria.sections.iter_mut().flat_map(|s| s.items.iter_mut()).collect();
        let marks = [
            threshold("ECOG", Comparator::AtMost, 1.0, None, "ECOG <= 1"),
            threshold("ANC", Comparator::AtLeast, 1.5, Some("x10^9/L"), "ANC >= 1.5 x10^9/L"),
            threshold("eGFR", Comparator::Below, 30.0, Some("mL/min"), "eGFR < 30 mL/min"),
        ];
        for (item, mark) in items.into_iter().zip(marks) {
            item.thresholds = vec![mark];
        }
        criteria
    }

    #[test]
    fn threshold_words_are_marked_even_across_a_line_break() {
        let criteria = with_thresholds();
        let lines = lines(&criteria, Layout { width: 30, spaced: false });
        let marked: Vec<String> = lines
            .iter()
            .flat_map(|l| l.pieces.iter())
            .filter(|(role, _)| *role == Role::Threshold)
            .map(|(_, text)| text.clone())
            .collect();
        assert_eq!(marked, ["ECOG <= 1", "ANC >= 1.5 x10^9/L", "eGFR < 30 mL/min"], "{lines:#?}");
        // Narrower, the words break over lines and stay marked, and nothing else is.
        let narrow = super::lines(&criteria, Layout { width: 16, spaced: false });
        let marked: String = narrow
            .iter()
            .flat_map(|l| l.pieces.iter())
            .filter(|(role, _)| *role == Role::Threshold)
            .flat_map(|(_, text)| text.chars().filter(|c| !c.is_whitespace()))
            .collect();
        assert_eq!(marked, "ECOG<=1ANC>=1.5x10^9/LeGFR<30mL/min");
        assert_eq!(lines[1].plain(), "I1 • ECOG performance status 0");
        assert_eq!(lines[1].pieces[0], (Role::Reference, "I1 ".to_owned()));
        assert_eq!(lines[1].pieces[1], (Role::Label, "•".to_owned()));
    }

    #[test]
    fn thresholds_sum_up_in_one_line_with_the_registered_ages() {
        let module: EligibilityModule =
            serde_json::from_str(r#"{"minimumAge": "18 Years", "maximumAge": "75 Years"}"#).unwrap();
        let summary = threshold_summary(&with_thresholds(), &module);
        assert_eq!(
            summary.as_deref(),
            Some("Age 18–75 · ECOG ≤ 1 · ANC ≥ 1.5 x10^9/L · not eGFR < 30 mL/min")
        );
        let months: EligibilityModule = serde_json::from_str(r#"{"minimumAge": "6 Months"}"#).unwrap();
        assert_eq!(threshold_summary(&Criteria::default(), &months).as_deref(), Some("Age ≥ 6 months"));
        assert_eq!(threshold_summary(&Criteria::default(), &EligibilityModule::default()), None);
        let between = Threshold {
            comparator: Comparator::Between,
            value: None,
            low: Some(18.5),
            high: Some(30.0),
            ..threshold("BMI", Comparator::Between, 0.0, Some("kg/m2"), "")
        };
        assert_eq!(threshold_text(&between), "BMI 18.5–30 kg/m2");
        assert_eq!(
            threshold_text(&threshold("LVEF", Comparator::AtLeast, 50.0, Some("%"), "")),
            "LVEF ≥ 50%"
        );
    }

    #[test]
    fn counts_say_what_kind_of_list_it_is() {
        assert_eq!(count_line(&split_criteria(USUAL)), "3 inclusion · 2 exclusion criteria");
        assert_eq!(count_line(&split_criteria("* a\n* b")), "2 criteria, not marked inclusion or exclusion");
        assert_eq!(
            count_line(&split_criteria("Inclusion Criteria:\n\n* a")),
            "1 inclusion criterion, no exclusion criteria"
        );
    }

    #[test]
    fn markdown_keeps_labels_and_references_so_that_nothing_is_renumbered() {
        let markdown = markdown(&split_criteria(USUAL), |t| t.replace('>', "\\>"));
        assert_eq!(
            markdown,
            "### Inclusion criteria\n\n- **I1** 1. Adults aged 18 to 75 years\n- **I2** 2. Plaque psoriasis for at least 6 months:\n  - **I2.a** a) confirmed by a dermatologist\n  - **I2.b** b) PASI \\>= 12\n- **I3** 10. Able to give written consent\n\n### Exclusion criteria\n\n- **E1** Pregnant or breastfeeding\n- **E2** Live vaccine within 4 weeks"
        );
    }

    proptest! {
        #[test]
        fn any_text_fits_any_width(raw in "\\PC{0,300}", width in 0usize..50) {
            let lines = text_lines(&split_criteria(&raw), width);
            assert_fits(&lines, width.max(markup::MIN_WIDTH));
        }

        /// The pieces of a line are the line: roles never add or lose a character.
        #[test]
        fn pieces_make_up_the_plain_line(raw in "\\PC{0,200}", width in 10usize..60) {
            let criteria = split_criteria(&raw);
            let plain = text_lines(&criteria, width);
            let laid: Vec<String> = lines(&criteria, Layout { width, spaced: false }).iter().map(CriteriaLine::plain).collect();
            prop_assert_eq!(plain, laid);
        }
    }
}
