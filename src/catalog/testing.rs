//! Test helpers: summaries built from a few lines of JSON, and a stand-in for the full-text
//! index that looks for whole words in a summary's titles and conditions.

use std::path::Path;
use std::sync::Arc;

use super::{Summary, parse_study};
use crate::query::{TextField, TextTerm, words};
use crate::source::{Container, Locator, Order, Origin, Span, Within};

/// A summary of a study whose `protocolSection` holds `modules` (JSON members, comma-separated,
/// possibly none); an identification module (`NCT00000001`) is added when `modules` has none.
pub(crate) fn summary(modules: &str) -> Summary {
    let mut members = Vec::new();
    if !modules.contains("identificationModule") {
        members.push(r#""identificationModule": {"nctId": "NCT00000001", "briefTitle": "A study"}"#);
    }
    if !modules.trim().is_empty() {
        members.push(modules);
    }
    let json = format!(r#"{{"protocolSection": {{{}}}}}"#, members.join(", "));
    let study = match parse_study(json.as_bytes()) {
        Ok(study) => study,
        Err(error) => panic!("test study does not parse: {error}\n{json}"),
    };
    let locator = Locator {
        container: Container::Memory(Arc::from(json.into_bytes())),
        within: Within::Span(Span { start: 0, len: 0 }),
    };
    Summary::new(
        &study,
        locator,
        Origin::file(Arc::from(Path::new("test.json"))),
        Order::default(),
        &Default::default(),
    )
}

/// Answers a text term from the summary: its words, in a row when a phrase, among the words of
/// the titles and conditions (the title field: titles only). Cities and interventions are not
/// in a summary, so terms limited to them never match.
pub(crate) fn text_in_summary(summary: &Summary) -> impl Fn(&TextTerm) -> bool + '_ {
    move |term| {
        let titles =
            [Some(&*summary.brief_title), summary.official_title.as_deref(), summary.acronym.as_deref()];
        let texts: Vec<&str> = match term.field {
            None => titles.into_iter().flatten().chain(summary.conditions.iter().map(|c| &**c)).collect(),
            Some(TextField::Title) => titles.into_iter().flatten().collect(),
            Some(TextField::Condition) => summary.conditions.iter().map(|c| &**c).collect(),
            Some(TextField::Sponsor) => summary.sponsor.as_deref().into_iter().collect(),
            Some(TextField::Country) => summary.countries.iter().map(|c| &**c).collect(),
            Some(TextField::City | TextField::Intervention) => Vec::new(),
        };
        texts.iter().any(|text| {
            let padded = format!(" {} ", words(text).join(" "));
            if term.phrase {
                padded.contains(&format!(" {} ", term.words.join(" ")))
            } else {
                term.words.iter().all(|w| padded.contains(&format!(" {w} ")))
            }
        })
    }
}
