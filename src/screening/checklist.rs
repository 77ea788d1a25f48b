//! A screening's checklist: an answer per criterion, and the verdict they roll up to.
//!
//! A screening is one patient (a pseudonymous reference such as `P-014`, never a name) against
//! one study's criteria tree ([`eligibility`](crate::study::eligibility)): every criterion of the
//! tree is an [`Item`], by its stable reference (`I2.a.1`) and its text as registered, with the
//! coordinator's [`Answer`] (or none yet), a short note, and whether the answer is a suggestion
//! from a patient profile not yet confirmed. The items carry the tree in their references (`I2.a`
//! is under `I2`), so a screening read back from its file alone rolls up to the same verdict.
//!
//! **Roll-up.** A criterion with sub-items, unanswered itself, takes its answer from them, as
//! its words say they combine ([`rollup`]): "any of", "one of the following", "at least one of",
//! "either", "including", "such as" make alternatives (one met is enough); "all of the
//! following", "each of", "both" make requirements (one not met fails it); counts ("at least two
//! of"), exceptions ("except for:") and notes do not combine (the parent is answered on its
//! own). Without words that say, the sub-items' own "…; or" / "…; and" decide; failing those, the
//! section does: **in an exclusion, a list under a parent is alternatives** (any one excludes:
//! "History of:", "Prior:"), **elsewhere requirements** ("Adequate organ function:"). An answer
//! given to the parent itself always wins over its sub-items.
//!
//! **Verdict.** The top-level criteria count. Inclusion criteria (and criteria under other
//! headings, such as the old NCI "Patient characteristics", which list requirements too) must be
//! met; an exclusion criterion answered met means the patient has it: a hit. Any inclusion not
//! met or exclusion hit: not eligible, naming them. Every inclusion met and no exclusion hit or
//! unknown: eligible. Otherwise possibly eligible. Not applicable leaves a criterion out of the
//! count; unanswered counts as unknown.

use serde::{Deserialize, Serialize};

use super::judge::Judgement;
use crate::study::eligibility::{Criteria, Criterion};
use crate::study::threshold::{self, Threshold};

/// A coordinator's answer to one criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Met,
    NotMet,
    Unknown,
    NotApplicable,
}

impl Answer {
    /// The word the screening file and the log write.
    pub fn name(self) -> &'static str {
        match self {
            Answer::Met => "met",
            Answer::NotMet => "not met",
            Answer::Unknown => "unknown",
            Answer::NotApplicable => "not applicable",
        }
    }

    /// One character for the pane's answer column.
    pub fn mark(self) -> &'static str {
        match self {
            Answer::Met => "✓",
            Answer::NotMet => "✗",
            Answer::Unknown => "?",
            Answer::NotApplicable => "–",
        }
    }
}

/// One criterion of a screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// The criterion's stable reference (`I2.a.1`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// The criterion's text as registered when it was screened.
    pub text: String,
    /// `None`: not answered yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// The answer came from a patient profile and is not confirmed yet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suggested: bool,
}

/// One patient screened against one study.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Screening {
    /// The pseudonymous reference (`P-014`), as [`patient_reference`] accepts it.
    pub patient: String,
    pub study: String,
    #[serde(default)]
    pub title: String,
    /// `YYYY-MM-DD`, set when first saved.
    #[serde(default)]
    pub started: String,
    /// `YYYY-MM-DD` of the last save.
    #[serde(default)]
    pub updated: String,
    #[serde(default, rename = "item")]
    pub items: Vec<Item>,
}

/// The longest patient reference accepted: a code, not a sentence.
pub const PATIENT_MAX: usize = 24;

/// The patient reference typed, checked: a short code of letters, digits, `-`, `_` and `.`,
/// holding a digit (a name holds none), starting with a letter or digit. Names and other
/// identifying data stay out of the screening files.
pub fn patient_reference(typed: &str) -> Result<String, String> {
    let code = typed.trim();
    let advice = "use a pseudonymous code such as P-014, never a name";
    if code.is_empty() {
        return Err(format!("type a patient reference: {advice}"));
    }
    if code.chars().any(char::is_whitespace) {
        return Err(format!("{code:?} holds spaces, as a name would: {advice}"));
    }
    if code.chars().count() > PATIENT_MAX {
        return Err(format!("{code:?} is longer than {PATIENT_MAX} characters: {advice}"));
    }
    if let Some(c) = code.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Err(format!("{code:?} holds {c:?}: a reference is letters, digits, - _ and .; {advice}"));
    }
    if !code.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(format!("{code:?} must start with a letter or a digit: {advice}"));
    }
    if !code.chars().any(|c| c.is_ascii_digit()) {
        return Err(format!("{code:?} has no digit and looks like a name: {advice}"));
    }
    Ok(code.to_owned())
}

/// How a parent's sub-items answer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rollup {
    /// Alternatives: one met is enough.
    Any,
    /// Requirements: one not met fails it.
    All,
    /// The sub-items do not answer the parent (a count, exceptions, notes).
    None,
}

impl Rollup {
    pub fn name(self) -> &'static str {
        match self {
            Rollup::Any => "any",
            Rollup::All => "all",
            Rollup::None => "none",
        }
    }
}

/// Words that make a parent's sub-items requirements.
const ALL_WORDS: &[&str] = &[
    "all of the following",
    "all the following",
    "each of the following",
    "both of the following",
    "all of these",
    "all following",
    "each of these",
];

/// Words that make them alternatives, whatever else the parent says.
const ANY_WORDS: &[&str] = &[
    "any of the following",
    "any of these",
    "any one of",
    "one of the following",
    "one of these",
    "one or more of",
    "1 or more of",
    "at least one of",
    "at least 1 of",
    "at least one additional",
    "either",
];

/// Weaker words of alternatives: examples and kinds of the parent.
const EXAMPLE_WORDS: &[&str] =
    &["including", "such as", "e.g.", "for example", "cohorts", "one of", "any of", "at least one"];

/// Numbers that, in "at least N of" or "N or more of", make a count the sub-items cannot
/// answer alone.
const COUNTS: &[&str] = &["2", "3", "4", "5", "6", "two", "three", "four", "five", "six"];

/// How the sub-items of the criterion `text` (with sub-items `children`) answer it; `exclusion`
/// for the criteria of an exclusion section (see the module's account).
pub fn rollup(text: &str, children: &[&str], exclusion: bool) -> Rollup {
    let text = text.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    // "Either or both of the following" offers alternatives, though it says "both of".
    if text.contains("either or both") {
        return Rollup::Any;
    }
    if has(ALL_WORDS) {
        return Rollup::All;
    }
    if has(ANY_WORDS) {
        return Rollup::Any;
    }
    let counted = COUNTS.iter().any(|n| {
        text.contains(&format!("at least {n} of"))
            || text.contains(&format!("{n} or more of"))
            || text.contains(&format!("have had {n} "))
    });
    let notes =
        !children.is_empty() && children.iter().all(|c| c.trim_start().to_lowercase().starts_with("note"));
    if counted || notes || text.contains("except") {
        return Rollup::None;
    }
    if has(EXAMPLE_WORDS) {
        return Rollup::Any;
    }
    // The sub-items' own joining words: "…; or" between alternatives, "…; and" between
    // requirements (the last one has none).
    let ending = |word: &str| {
        children.iter().any(|c| {
            let c = c.trim_end().trim_end_matches([';', ',', '.', ':']).to_lowercase();
            c.ends_with(&format!(" {word}")) || c.ends_with(&format!(";{word}"))
        })
    };
    match (ending("or"), ending("and")) {
        (true, false) => Rollup::Any,
        (false, true) => Rollup::All,
        _ if exclusion => Rollup::Any,
        _ => Rollup::All,
    }
}

/// What a section letter of a reference decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Must be met (`I`, and `O`: criteria under other headings).
    Inclusion,
    /// Met means excluded (`E`).
    Exclusion,
}

/// The side of a reference (`E3.a`: exclusion).
pub fn side(reference: &str) -> Side {
    if reference.starts_with('E') { Side::Exclusion } else { Side::Inclusion }
}

/// The reference of the criterion a reference is under, `None` at the top.
pub fn parent_reference(reference: &str) -> Option<&str> {
    reference.rsplit_once('.').map(|(parent, _)| parent)
}

/// Whether a profile's judgement of a threshold favours eligibility (`Some(true)`: ✓), goes
/// against it (`Some(false)`: ✗), or cannot tell (`None`: ?). A threshold written in an
/// exclusion describes who is excluded: within it is against.
pub fn favours(side: Side, judgement: Judgement) -> Option<bool> {
    match (side, judgement) {
        (_, Judgement::Unknown) => None,
        (Side::Inclusion, Judgement::Within) | (Side::Exclusion, Judgement::Outside) => Some(true),
        (Side::Inclusion, Judgement::Outside) | (Side::Exclusion, Judgement::Within) => Some(false),
    }
}

fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

impl Screening {
    /// A new screening of `patient` for a study, with every criterion of `criteria` unanswered.
    pub fn new(patient: &str, study: &str, title: &str, criteria: &Criteria) -> Screening {
        let items = criteria
            .sections
            .iter()
            .flat_map(|s| s.items.iter())
            .flat_map(Criterion::walk)
            .map(|(_, c)| Item {
                reference: c.reference.clone(),
                text: c.text.clone(),
                answer: None,
                note: String::new(),
                suggested: false,
            })
            .collect();
        Screening {
            patient: patient.to_owned(),
            study: study.to_owned(),
            title: title.to_owned(),
            started: String::new(),
            updated: String::new(),
            items,
        }
    }

    /// A saved screening brought up to the study's criteria now: its answers kept where the
    /// criterion reads as it did (same reference, same words), with how many answers were
    /// dropped because their criterion is gone or reworded.
    pub fn resumed(saved: Screening, criteria: &Criteria, title: &str) -> (Screening, usize) {
        let mut fresh = Screening::new(&saved.patient, &saved.study, title, criteria);
        fresh.started = saved.started;
        fresh.updated = saved.updated;
        let mut dropped = 0;
        for old in saved.items.into_iter().filter(|i| i.answer.is_some() || !i.note.is_empty()) {
            match fresh
                .items
                .iter_mut()
                .find(|i| i.reference == old.reference && same_words(&i.text, &old.text))
            {
                Some(item) => {
                    item.answer = old.answer;
                    item.note = old.note;
                    item.suggested = old.suggested;
                }
                None => dropped += 1,
            }
        }
        (fresh, dropped)
    }

    pub fn item(&self, reference: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.reference == reference)
    }

    /// Answers a criterion (confirming a suggestion); `None` clears the answer.
    pub fn answer(&mut self, reference: &str, answer: Option<Answer>) {
        if let Some(item) = self.items.iter_mut().find(|i| i.reference == reference) {
            item.answer = answer;
            item.suggested = false;
        }
    }

    /// Sets a criterion's note (trimmed to one line).
    pub fn note(&mut self, reference: &str, note: &str) {
        if let Some(item) = self.items.iter_mut().find(|i| i.reference == reference) {
            item.note = note.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }

    /// Suggests answers from a profile's judgements of each criterion's thresholds, for the
    /// criteria not answered yet: an inclusion all of whose thresholds the profile is within is
    /// met, one it is outside of is not met; an exclusion the profile is within a threshold of
    /// is met (a hit), one it is outside of every threshold of is not met. Unknowns suggest
    /// nothing. Returns how many were suggested.
    pub fn prefill(&mut self, criteria: &Criteria, judge: impl Fn(&Threshold) -> Judgement) -> usize {
        let mut suggested = 0;
        let criteria: Vec<&Criterion> = criteria
            .sections
            .iter()
            .flat_map(|s| s.items.iter())
            .flat_map(Criterion::walk)
            .map(|(_, c)| c)
            .collect();
        for item in self.items.iter_mut().filter(|i| i.answer.is_none()) {
            let Some(criterion) = criteria.iter().find(|c| c.reference == item.reference) else { continue };
            if criterion.thresholds.is_empty() {
                continue;
            }
            let judged: Vec<Judgement> = criterion.thresholds.iter().map(&judge).collect();
            let within = |j: &Judgement| *j == Judgement::Within;
            let outside = |j: &Judgement| *j == Judgement::Outside;
            let answer = match side(&item.reference) {
                Side::Inclusion if judged.iter().any(outside) => Some(Answer::NotMet),
                Side::Inclusion if judged.iter().all(within) => Some(Answer::Met),
                Side::Exclusion if judged.iter().any(within) => Some(Answer::Met),
                Side::Exclusion if judged.iter().all(outside) => Some(Answer::NotMet),
                _ => None,
            };
            if answer.is_some() {
                item.answer = answer;
                item.suggested = true;
                suggested += 1;
            }
        }
        suggested
    }

    /// The sub-items of a reference, in order.
    fn children<'a>(&'a self, reference: &'a str) -> impl Iterator<Item = &'a Item> + 'a {
        self.items.iter().filter(move |i| parent_reference(&i.reference) == Some(reference))
    }

    /// How the sub-items of `item` answer it.
    pub fn rollup_of(&self, item: &Item) -> Option<Rollup> {
        let children: Vec<&str> = self.children(&item.reference).map(|c| c.text.as_str()).collect();
        (!children.is_empty())
            .then(|| rollup(&item.text, &children, side(&item.reference) == Side::Exclusion))
    }

    /// The answer a criterion counts with: its own, else its sub-items' rolled up; `None` when
    /// neither says anything.
    pub fn effective(&self, item: &Item) -> Option<Answer> {
        self.effective_at(item, 0)
    }

    fn effective_at(&self, item: &Item, depth: usize) -> Option<Answer> {
        // References nest a handful deep; a file edited by hand might loop.
        if item.answer.is_some() || depth > 8 {
            return item.answer;
        }
        let rollup = self.rollup_of(item)?;
        if rollup == Rollup::None {
            return None;
        }
        let answers: Vec<Option<Answer>> =
            self.children(&item.reference).map(|c| self.effective_at(c, depth + 1)).collect();
        combine(rollup, &answers)
    }

    /// The verdict over the top-level criteria.
    pub fn verdict(&self) -> Verdict {
        let mut verdict = Verdict::default();
        for item in self.items.iter().filter(|i| parent_reference(&i.reference).is_none()) {
            let answer = self.effective(item);
            let side = side(&item.reference);
            let counts = match side {
                Side::Inclusion => &mut verdict.inclusion,
                Side::Exclusion => &mut verdict.exclusion,
            };
            match answer {
                Some(Answer::NotApplicable) => counts.not_applicable += 1,
                Some(Answer::Met) => counts.met += 1,
                Some(Answer::NotMet) => counts.not_met += 1,
                Some(Answer::Unknown) | None => counts.unknown += 1,
            }
            let against = matches!(
                (side, answer),
                (Side::Inclusion, Some(Answer::NotMet)) | (Side::Exclusion, Some(Answer::Met))
            );
            if against {
                verdict.against.push(item.reference.clone());
            }
        }
        verdict.suggested = self.items.iter().filter(|i| i.suggested && i.answer.is_some()).count();
        verdict
    }

    /// The criteria a log lists: those not met (or, for exclusions, hit) and those unknown or
    /// unanswered, top level only, with the answer that counts.
    pub fn open_items(&self) -> Vec<(&Item, Option<Answer>)> {
        self.items
            .iter()
            .filter(|i| parent_reference(&i.reference).is_none())
            .map(|i| (i, self.effective(i)))
            .filter(|(i, answer)| {
                matches!(
                    (side(&i.reference), answer),
                    (_, None | Some(Answer::Unknown))
                        | (Side::Inclusion, Some(Answer::NotMet))
                        | (Side::Exclusion, Some(Answer::Met))
                )
            })
            .collect()
    }
}

/// Sub-items' answers rolled up (`None`: unanswered).
fn combine(rollup: Rollup, answers: &[Option<Answer>]) -> Option<Answer> {
    let any = |a: Answer| answers.contains(&Some(a));
    let answered = answers.iter().filter(|a| a.is_some()).count();
    if answered == 0 {
        return None;
    }
    let all_settled = answered == answers.len() && !any(Answer::Unknown);
    match rollup {
        Rollup::None => None,
        _ if all_settled && answers.iter().all(|a| *a == Some(Answer::NotApplicable)) => {
            Some(Answer::NotApplicable)
        }
        Rollup::Any if any(Answer::Met) => Some(Answer::Met),
        Rollup::Any if all_settled => Some(Answer::NotMet),
        Rollup::All if any(Answer::NotMet) => Some(Answer::NotMet),
        Rollup::All if all_settled => Some(Answer::Met),
        _ => Some(Answer::Unknown),
    }
}

/// Top-level criteria of one side, counted by the answer that counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub met: usize,
    pub not_met: usize,
    /// Unknown or not answered yet.
    pub unknown: usize,
    pub not_applicable: usize,
}

impl Counts {
    /// The criteria that count (not applicable left out).
    pub fn counted(&self) -> usize {
        self.met + self.not_met + self.unknown
    }
}

/// What a screening comes to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    pub inclusion: Counts,
    pub exclusion: Counts,
    /// Inclusions not met and exclusions hit, by reference, in order.
    pub against: Vec<String>,
    /// Answers that are suggestions not yet confirmed.
    pub suggested: usize,
}

/// The outcome in a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Eligible,
    PossiblyEligible,
    NotEligible,
    /// The study has no inclusion or exclusion criteria to screen.
    NothingToScreen,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Eligible => "eligible",
            Outcome::PossiblyEligible => "possibly eligible",
            Outcome::NotEligible => "not eligible",
            Outcome::NothingToScreen => "nothing to screen",
        }
    }
}

impl Verdict {
    pub fn outcome(&self) -> Outcome {
        if self.inclusion.counted() + self.exclusion.counted() == 0
            && self.inclusion.not_applicable + self.exclusion.not_applicable == 0
        {
            Outcome::NothingToScreen
        } else if !self.against.is_empty() {
            Outcome::NotEligible
        } else if self.inclusion.unknown + self.exclusion.unknown == 0 {
            Outcome::Eligible
        } else {
            Outcome::PossiblyEligible
        }
    }

    /// The outcome, with the criteria against it: "not eligible: I4 (ECOG ≤ 1), E2".
    /// `describe` gives a criterion's short reason (its first threshold, as the caller writes
    /// thresholds), or `None`.
    pub fn outcome_text(&self, describe: impl Fn(&str) -> Option<String>) -> String {
        let outcome = self.outcome();
        if outcome != Outcome::NotEligible {
            return outcome.name().to_owned();
        }
        let against: Vec<String> = self
            .against
            .iter()
            .map(|r| match describe(r) {
                Some(why) => format!("{r} ({why})"),
                None => r.clone(),
            })
            .collect();
        format!("{}: {}", outcome.name(), against.join(", "))
    }

    /// "Inclusion 9/11 met, 2 unknown · Exclusion 0 hit, 1 unknown → possibly eligible".
    pub fn line(&self, describe: impl Fn(&str) -> Option<String>) -> String {
        if self.outcome() == Outcome::NothingToScreen {
            return "No inclusion or exclusion criteria to screen".to_owned();
        }
        let unknown = |n: usize| if n == 0 { String::new() } else { format!(", {n} unknown") };
        let (i, e) = (&self.inclusion, &self.exclusion);
        let mut line = format!("Inclusion {}/{} met{}", i.met, i.counted(), unknown(i.unknown));
        line.push_str(&format!(" · Exclusion {} hit{}", e.met, unknown(e.unknown)));
        line.push_str(&format!(" → {}", self.outcome_text(describe)));
        if self.suggested > 0 {
            line.push_str(&format!(" ({} suggested, not confirmed)", self.suggested));
        }
        line
    }
}

impl Screening {
    /// A criterion's short reason for a verdict: its first threshold, as `write` writes one.
    pub fn reason(&self, reference: &str, write: impl Fn(&Threshold) -> String) -> Option<String> {
        let item = self.item(reference)?;
        threshold::find(&item.text).first().map(write)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::study::eligibility::split_criteria;

    const TEXT: &str = "Inclusion Criteria:\n\n* Adults 18 to 75\n* ECOG <= 1\n* Adequate organ function:\n  * ANC >= 1.5\n  * platelets >= 100\n* Any of the following:\n  * prior surgery\n  * prior radiotherapy\n\nExclusion Criteria:\n\n* Pregnant\n* History of:\n  * stroke\n  * myocardial infarction\n";

    fn screening() -> Screening {
        Screening::new("P-014", "NCT00000001", "A study", &split_criteria(TEXT))
    }

    #[test]
    fn every_criterion_is_an_item_by_its_reference() {
        let s = screening();
        let refs: Vec<&str> = s.items.iter().map(|i| i.reference.as_str()).collect();
        assert_eq!(
            refs,
            ["I1", "I2", "I3", "I3.a", "I3.b", "I4", "I4.a", "I4.b", "E1", "E2", "E2.a", "E2.b"]
        );
        assert_eq!(
            s.verdict().line(|_| None),
            "Inclusion 0/4 met, 4 unknown · Exclusion 0 hit, 2 unknown → possibly eligible"
        );
    }

    #[test]
    fn requirements_fail_on_one_and_alternatives_pass_on_one() {
        let mut s = screening();
        s.answer("I3.a", Some(Answer::Met));
        assert_eq!(s.effective(s.item("I3").unwrap()), Some(Answer::Unknown), "one of two requirements");
        s.answer("I3.b", Some(Answer::Met));
        assert_eq!(s.effective(s.item("I3").unwrap()), Some(Answer::Met));
        s.answer("I3.b", Some(Answer::NotMet));
        assert_eq!(s.effective(s.item("I3").unwrap()), Some(Answer::NotMet));
        s.answer("I4.b", Some(Answer::Met));
        assert_eq!(s.effective(s.item("I4").unwrap()), Some(Answer::Met), "one alternative is enough");
        s.answer("I4.b", Some(Answer::NotMet));
        assert_eq!(s.effective(s.item("I4").unwrap()), Some(Answer::Unknown));
        s.answer("I4.a", Some(Answer::NotMet));
        assert_eq!(s.effective(s.item("I4").unwrap()), Some(Answer::NotMet));
        // In an exclusion a list under a parent is alternatives: one hit excludes.
        s.answer("E2.b", Some(Answer::Met));
        assert_eq!(s.effective(s.item("E2").unwrap()), Some(Answer::Met));
        // The parent's own answer wins.
        s.answer("E2", Some(Answer::NotMet));
        assert_eq!(s.effective(s.item("E2").unwrap()), Some(Answer::NotMet));
        s.answer("I3.a", Some(Answer::NotApplicable));
        s.answer("I3.b", Some(Answer::NotApplicable));
        assert_eq!(s.effective(s.item("I3").unwrap()), Some(Answer::NotApplicable));
    }

    #[test]
    fn verdicts_say_eligible_possibly_or_not_and_why() {
        let mut s = screening();
        for r in ["I1", "I2", "I3", "I4"] {
            s.answer(r, Some(Answer::Met));
        }
        s.answer("E1", Some(Answer::NotMet));
        assert_eq!(
            s.verdict().line(|_| None),
            "Inclusion 4/4 met · Exclusion 0 hit, 1 unknown → possibly eligible"
        );
        s.answer("E2.a", Some(Answer::NotMet));
        s.answer("E2.b", Some(Answer::NotMet));
        assert_eq!(s.verdict().outcome(), Outcome::Eligible);
        assert_eq!(s.verdict().line(|_| None), "Inclusion 4/4 met · Exclusion 0 hit → eligible");
        s.answer("I2", Some(Answer::NotMet));
        s.answer("E1", Some(Answer::Met));
        let describe = |r: &str| s.reason(r, |t| format!("{} {:?}", t.what, t.value));
        let line = s.verdict().line(describe);
        assert!(line.ends_with("→ not eligible: I2 (ECOG Some(1.0)), E1"), "{line}");
        s.answer("I1", Some(Answer::NotApplicable));
        assert!(s.verdict().line(|_| None).starts_with("Inclusion 2/3 met · Exclusion 1 hit"));
        let open: Vec<&str> = s.open_items().iter().map(|(i, _)| i.reference.as_str()).collect();
        assert_eq!(open, ["I2", "E1"]);
        let none = Screening::new("P-1", "NCT1", "", &split_criteria(""));
        assert_eq!(none.verdict().outcome(), Outcome::NothingToScreen);
    }

    #[test]
    fn suggestions_count_and_are_said_until_confirmed() {
        let mut s = screening();
        let criteria = split_criteria(TEXT);
        let judged =
            s.prefill(&criteria, |t| if t.what == "ECOG" { Judgement::Outside } else { Judgement::Unknown });
        assert_eq!(judged, 1);
        assert_eq!(
            (s.item("I2").unwrap().answer, s.item("I2").unwrap().suggested),
            (Some(Answer::NotMet), true)
        );
        assert!(s.verdict().line(|_| None).ends_with("(1 suggested, not confirmed)"));
        s.answer("I2", Some(Answer::Met));
        assert!(!s.item("I2").unwrap().suggested);
        assert_eq!(s.verdict().suggested, 0);
        // A profile that knows nothing suggests nothing (the stub's shape).
        let mut fresh = screening();
        assert_eq!(fresh.prefill(&criteria, |_| Judgement::Unknown), 0);
        assert_eq!(favours(Side::Exclusion, Judgement::Within), Some(false));
        assert_eq!(favours(Side::Inclusion, Judgement::Within), Some(true));
    }

    #[test]
    fn resuming_keeps_answers_whose_criterion_reads_the_same() {
        let mut s = screening();
        s.answer("I1", Some(Answer::Met));
        s.answer("I2", Some(Answer::NotMet));
        s.note("I2", "  ECOG 2\n last visit ");
        let reworded = TEXT.replace("ECOG <= 1", "ECOG <= 2");
        let (resumed, dropped) = Screening::resumed(s, &split_criteria(&reworded), "A study");
        assert_eq!(dropped, 1);
        assert_eq!(resumed.item("I1").unwrap().answer, Some(Answer::Met));
        assert_eq!(resumed.item("I2").unwrap().answer, None);
    }

    #[test]
    fn patient_references_are_codes_never_names() {
        assert_eq!(patient_reference(" P-014 ").unwrap(), "P-014");
        assert_eq!(patient_reference("2026.07_a").unwrap(), "2026.07_a");
        for (typed, why) in [
            ("", "type a patient reference"),
            ("John Smith", "holds spaces"),
            ("Smith", "looks like a name"),
            ("../etc/1", "holds '/'"),
            (".P1", "must start with"),
            ("P-01\u{202e}4", "holds"),
            ("P1234567890123456789012345", "longer than"),
        ] {
            let error = patient_reference(typed).unwrap_err();
            assert!(error.contains(why) && error.contains("never a name"), "{typed:?}: {error}");
        }
    }

    #[test]
    fn parent_words_decide_how_children_roll_up() {
        let r = |text: &str, children: &[&str], exclusion| rollup(text, children, exclusion);
        assert_eq!(r("Any of the following:", &[], false), Rollup::Any);
        assert_eq!(r("Must meet all of the following, including at least one of:", &[], false), Rollup::All);
        assert_eq!(r("At least two of the following:", &[], false), Rollup::None);
        assert_eq!(r("History of another malignancy except for:", &[], true), Rollup::None);
        assert_eq!(r("Either or both:", &[], false), Rollup::Any);
        assert_eq!(r("A woman who:", &["is sterile; or", "is postmenopausal"], false), Rollup::Any);
        assert_eq!(r("Castration resistance:", &["PSA rising, and", "testosterone low"], false), Rollup::All);
        assert_eq!(r("Prior:", &["radiotherapy", "chemotherapy"], true), Rollup::Any, "exclusion default");
        assert_eq!(
            r("Adequate organ function:", &["ANC", "platelets"], false),
            Rollup::All,
            "inclusion default"
        );
        assert_eq!(r("Resected NSCLC", &["Note: N2 allowed"], false), Rollup::None);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod key_tests {
    /// The hand-written key the roll-up is scored against (`cargo run --example score-rollup`)
    /// stays readable by the scorer: study, reference, any/all/none on every row.
    #[test]
    fn the_rollup_key_is_well_formed() {
        let key = include_str!("../../tests/keys/rollup.tsv");
        let rows: Vec<Vec<&str>> = key
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split('\t').collect())
            .collect();
        assert!(rows.len() >= 40, "{}", rows.len());
        for row in &rows {
            assert!(row.len() >= 3 && row[0].starts_with("NCT"), "{row:?}");
            assert!(["any", "all", "none"].contains(&row[2]), "{row:?}");
            assert!(row[1].starts_with(['I', 'E', 'O']), "{row:?}");
        }
        let studies: std::collections::HashSet<&str> = rows.iter().map(|r| r[0]).collect();
        assert!(studies.len() >= 20, "varied studies: {}", studies.len());
    }
}
