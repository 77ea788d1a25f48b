//! The registered outcome measures (primary, secondary, other), numbered within their kind, and
//! whether results are posted and, when not, why, as the record tells.

use super::document::{Block, Entries, Entry, Fact};
use super::words::{capitalised, non_blank};
use crate::study::Study;
use crate::study::date::{DateStyle, PartialDate};
use crate::study::enums::UnpostedEventType;
use crate::study::record::{Outcome, OutcomesModule, ProtocolSection};

/// The Outcomes section: the registered measures by kind, then whether results are posted.
pub fn outcomes(module: &OutcomesModule, study: &Study, style: DateStyle) -> Vec<Block> {
    let mut blocks = Vec::new();
    let kinds = [
        ("Primary outcomes", &module.primary_outcomes),
        ("Secondary outcomes", &module.secondary_outcomes),
        ("Other outcomes", &module.other_outcomes),
    ];
    for (heading, measures) in kinds {
        if !measures.is_empty() {
            blocks.push(Block::Subheading(heading.to_owned()));
            let items = measures.iter().map(outcome_entry).collect();
            blocks.push(Block::Entries(Entries { numbered: true, items }));
        }
    }
    match results_status(study, style) {
        Some(ResultsStatus::Posted(Some(date))) => {
            blocks.push(Block::Note(format!("Results posted (first posted {})", date.written(style))))
        }
        Some(ResultsStatus::Posted(None)) => blocks.push(Block::Note("Results posted".to_owned())),
        Some(ResultsStatus::NotPosted { reasons, submissions }) => {
            blocks.push(Block::Note("No results posted".to_owned()));
            let label = if reasons.len() == 1 { "Reason" } else { "Reasons" };
            let facts: Vec<Fact> = [Fact::list(label, reasons), Fact::list("Submissions", submissions)]
                .into_iter()
                .flatten()
                .collect();
            if !facts.is_empty() {
                blocks.push(Block::Facts(facts));
            }
        }
        None => {}
    }
    blocks
}

fn outcome_entry(outcome: &Outcome) -> Entry {
    Entry {
        title: non_blank(&outcome.measure).unwrap_or_else(|| "Unnamed measure".to_owned()),
        facts: non_blank(&outcome.time_frame).map(|t| Fact::plain("Time frame", t)).into_iter().collect(),
        description: non_blank(&outcome.description),
    }
}

/// Whether a study's results are posted, as its record tells.
pub enum ResultsStatus {
    /// Posted, first on this date when the record gives it.
    Posted(Option<PartialDate>),
    /// Not posted; why, when the record says (waived, delayed, a certification to delay,
    /// submitted and not posted yet), and the submissions under quality control review.
    NotPosted { reasons: Vec<String>, submissions: Vec<String> },
}

/// Whether results are posted and, when not, why (its dates written in `style`); `None` when the
/// record says nothing at all (a record fetched without `hasResults`).
pub fn results_status(study: &Study, style: DateStyle) -> Option<ResultsStatus> {
    let no_protocol = ProtocolSection::default();
    let status = &study.protocol_section.as_ref().unwrap_or(&no_protocol).status_module;
    let posted = status.results_first_post_date_struct.date;
    if posted.is_some() || study.has_results == Some(true) || study.results_section.is_some() {
        return Some(ResultsStatus::Posted(posted));
    }
    let mut reasons = Vec::new();
    if status.results_waived == Some(true) {
        reasons.push("Results reporting waived".to_owned());
    }
    if status.delayed_posting == Some(true) {
        reasons.push("Posting delayed until the device is approved or cleared by the FDA".to_owned());
    }
    if let Some(date) = status.disp_first_submit_date.or(status.disp_first_post_date_struct.date) {
        reasons.push(format!(
            "Certification or extension request to delay results, submitted {}",
            date.written(style)
        ));
    }
    let events = study
        .annotation_section
        .as_ref()
        .map_or(&[][..], |a| a.annotation_module.unposted_annotation.unposted_events.as_slice());
    if events.is_empty()
        && let Some(date) = status.results_first_submit_date
    {
        reasons.push(format!("Results submitted {}, not yet posted", date.written(style)));
    }
    let submissions: Vec<String> =
        events.iter().map(|e| unposted_event(e.r#type.as_ref(), e.date, style)).collect();
    if study.has_results.is_none() && reasons.is_empty() && submissions.is_empty() {
        return None;
    }
    Some(ResultsStatus::NotPosted { reasons, submissions })
}

/// "2021-03-04 results submitted": the registry's tracking of a submission under review.
fn unposted_event(kind: Option<&UnpostedEventType>, date: Option<PartialDate>, style: DateStyle) -> String {
    let what = match kind {
        Some(UnpostedEventType::Release) => "results submitted".to_owned(),
        Some(UnpostedEventType::Reset) => "returned with quality control review comments".to_owned(),
        Some(UnpostedEventType::Unrelease) => "submission cancelled".to_owned(),
        Some(UnpostedEventType::Other(other)) => other.to_lowercase(),
        None => "submission event".to_owned(),
    };
    match date {
        Some(date) => format!("{} {what}", date.written(style)),
        None => format!("{} (date unknown)", capitalised(&what)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::present::document::Value;
    use crate::present::study::document;

    #[test]
    fn unposted_results_say_why() {
        let study: Study = serde_json::from_str(
            r#"{"hasResults": false, "protocolSection": {"identificationModule": {"nctId": "NCT00000001"},
                "statusModule": {"resultsFirstSubmitDate": "2024-05-02", "resultsWaived": true}}}"#,
        )
        .unwrap();
        let outcomes =
            document(&study, DateStyle::Iso).sections.into_iter().find(|s| s.heading == "Outcomes").unwrap();
        assert_eq!(outcomes.blocks[0], Block::Note("No results posted".into()));
        let Block::Facts(facts) = &outcomes.blocks[1] else { panic!("{:?}", outcomes.blocks) };
        assert_eq!(facts[0].label, "Reasons");
        assert_eq!(
            facts[0].values,
            [
                Value::Plain("Results reporting waived".into()),
                Value::Plain("Results submitted 2024-05-02, not yet posted".into())
            ]
        );
    }
}
