//! From a study record to the [`Document`] `nct show` lays out: what a reader wants from the
//! whole record, in reading order, leaving out whatever the record does not say.
//!
//! Every section builder returns its blocks and an empty list means no section, which is how a
//! record with missing modules prints without empty headings.

use super::document::{Block, Document, Entries, Entry, Fact, Section, Table};
use crate::cli::output::{plural, thousands};
use crate::study::Study;
use crate::study::date::{DateStyle, PartialDate};
use crate::study::eligibility::split_criteria;
use crate::study::enums::{
    DateType, EnrollmentType, RecruitmentStatus, Status, UnpostedEventType, phases_label,
};
use crate::study::record::{
    ArmsInterventionsModule, ConditionsModule, Contact, ContactsLocationsModule, DateStruct,
    DescriptionModule, DesignModule, EligibilityModule, IdentificationModule, Location, Outcome,
    OutcomesModule, ProtocolSection, ReferencesModule, SponsorCollaboratorsModule, StatusModule,
};

/// Separates short values on one line.
const DOT: &str = " · ";

/// The study as sections, in the order a reader goes through a record, its dates written in
/// `style`.
pub fn document(study: &Study, style: DateStyle) -> Document {
    let no_protocol = ProtocolSection::default();
    let protocol = study.protocol_section.as_ref().unwrap_or(&no_protocol);
    let ident = &protocol.identification_module;
    let status = &protocol.status_module;
    let sections = [
        ("Design", design(&protocol.design_module)),
        ("Dates", dates(status, style)),
        ("Sponsor", sponsor(&protocol.sponsor_collaborators_module, &protocol.contacts_locations_module)),
        ("Conditions", conditions(&protocol.conditions_module, study)),
        ("Arms and interventions", arms_and_interventions(&protocol.arms_interventions_module)),
        ("Description", description(&protocol.description_module)),
        ("Eligibility", eligibility(&protocol.eligibility_module)),
        ("Outcomes", outcomes(&protocol.outcomes_module, study, style)),
    ];
    let after = [
        ("Sites", sites(&protocol.contacts_locations_module, status.overall_status.as_ref())),
        ("References", references(&protocol.references_module)),
    ];
    let sections = sections.into_iter().chain(results_sections(study, style)).chain(after);
    Document {
        id: ident.nct_id.clone().unwrap_or_default(),
        title: present(&ident.brief_title),
        header: header(protocol, study, style),
        sections: sections
            .into_iter()
            .filter(|(_, blocks)| !blocks.is_empty())
            .map(|(heading, blocks)| Section { heading, blocks })
            .collect(),
    }
}

/// The posted results as sections: participant flow, baseline, outcome measures (each under
/// its own subheading), adverse events, more information.
fn results_sections(study: &Study, style: DateStyle) -> Vec<(&'static str, Vec<Block>)> {
    let Some(results) = study.results_section.as_ref() else { return Vec::new() };
    let mut sections: Vec<(&'static str, Vec<Block>)> = Vec::new();
    for part in super::results::parts(results, style) {
        let heading = part.kind.section();
        let mut blocks = Vec::new();
        if let super::results::PartKind::Outcome(_) = part.kind {
            blocks.push(Block::Subheading(part.title));
        }
        blocks.extend(part.blocks);
        match sections.last_mut() {
            Some((last, existing)) if *last == heading => existing.extend(blocks),
            _ => sections.push((heading, blocks)),
        }
    }
    sections
}

/// A text field worth showing: present and not blank.
pub(crate) fn present(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// Facts as one block, or nothing when none of them is known.
fn facts_block(facts: impl IntoIterator<Item = Option<Fact>>) -> Option<Block> {
    let facts: Vec<Fact> = facts.into_iter().flatten().collect();
    (!facts.is_empty()).then_some(Block::Facts(facts))
}

fn header(protocol: &ProtocolSection, study: &Study, style: DateStyle) -> Vec<Block> {
    let ident = &protocol.identification_module;
    let status = &protocol.status_module;
    let facts = [
        present(&ident.official_title).map(|t| Fact::plain("Official title", t)),
        present(&ident.acronym).map(|a| Fact::plain("Acronym", a)),
        present(&ident.org_study_id_info.id).map(|id| Fact::plain("Org study ID", id)),
        Fact::list("Other IDs", other_ids(ident)),
        status_line(study, protocol).map(|line| Fact::plain("Status", line)),
        present(&status.why_stopped).map(|why| Fact::markup("Why stopped", why)),
        record_dates(status, style).map(|dates| Fact::plain("Record", dates)),
    ];
    facts_block(facts).into_iter().collect()
}

/// "Unknown status (was recruiting) · Phase 1/2 · Interventional".
fn status_line(study: &Study, protocol: &ProtocolSection) -> Option<String> {
    let overall = overall_status_text(&protocol.status_module);
    let phases = Some(phases_label(study.phases())).filter(|p| !p.is_empty());
    let study_type = protocol.design_module.study_type.as_ref().map(|t| t.label().to_owned());
    joined([overall, phases, study_type])
}

/// "NCT-2019-001 (Registry identifier, EudraCT)", one per secondary id.
pub(crate) fn other_ids(ident: &IdentificationModule) -> impl Iterator<Item = String> + '_ {
    ident.secondary_id_infos.iter().filter_map(|info| {
        let id = present(&info.id)?;
        let kind = info.r#type.as_ref().map(|t| t.label().to_owned());
        let about: Vec<String> = kind.into_iter().chain(present(&info.domain)).collect();
        Some(if about.is_empty() { id } else { format!("{id} ({})", about.join(", ")) })
    })
}

/// "Recruiting", or "Unknown status (was recruiting)": an unknown status alone says nothing.
pub(crate) fn overall_status_text(status: &StatusModule) -> Option<String> {
    status.overall_status.as_ref().map(|overall| match (overall, &status.last_known_status) {
        (Status::Unknown, Some(last)) => format!("{} (was {})", overall.label(), lower_first(last.label())),
        _ => overall.label().to_owned(),
    })
}

/// "first posted 2020-03-05 · last update 2024-05-03 · verified 2024-05".
fn record_dates(status: &StatusModule, style: DateStyle) -> Option<String> {
    joined([
        status.study_first_post_date_struct.date.map(|d| format!("first posted {}", d.written(style))),
        status.last_update_post_date_struct.date.map(|d| format!("last update {}", d.written(style))),
        status.status_verified_date.map(|d| format!("verified {}", d.written(style))),
    ])
}

/// The known parts joined by a middle dot; `None` when no part is known.
fn joined(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join(DOT))
}

/// Registry labels are capitalised for a heading; inside a sentence they read lower case.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(crate) fn design(design: &DesignModule) -> Vec<Block> {
    let info = &design.design_info;
    let masking = info.masking_info.masking.as_ref().map(|masking| {
        let who: Vec<&str> = info.masking_info.who_masked.iter().map(|w| w.label()).collect();
        if who.is_empty() {
            masking.label().to_owned()
        } else {
            format!("{} ({})", masking.label(), who.join(", "))
        }
    });
    let label = |value: Option<&str>, name| value.map(|v| Fact::plain(name, v));
    let facts = [
        label(info.allocation.as_ref().map(|a| a.label()), "Allocation"),
        label(info.intervention_model.as_ref().map(|m| m.label()), "Intervention model"),
        masking.map(|m| Fact::plain("Masking", m)),
        label(info.primary_purpose.as_ref().map(|p| p.label()), "Primary purpose"),
        label(info.observational_model.as_ref().map(|m| m.label()), "Observational model"),
        label(info.time_perspective.as_ref().map(|t| t.label()), "Time perspective"),
        design.target_duration.as_ref().map(|d| Fact::plain("Follow-up", d.to_string())),
        label(design.bio_spec.retention.as_ref().map(|r| r.label()), "Biospecimens"),
        enrollment(design).map(|e| Fact::plain("Enrollment", e)),
    ];
    facts_block(facts).into_iter().collect()
}

/// "120 participants (actual)".
fn enrollment(design: &DesignModule) -> Option<String> {
    let count = design.enrollment_info.count?;
    let people = match usize::try_from(count) {
        Ok(n) => plural(n, "participant", "participants"),
        Err(_) => format!("{count} participants"),
    };
    Some(match &design.enrollment_info.r#type {
        Some(EnrollmentType::Actual) => format!("{people} (actual)"),
        Some(EnrollmentType::Estimated) => format!("{people} (estimated)"),
        Some(EnrollmentType::Other(other)) => format!("{people} ({})", other.to_lowercase()),
        None => people,
    })
}

fn dates(status: &StatusModule, style: DateStyle) -> Vec<Block> {
    let facts = [
        dated("Start", &status.start_date_struct, style),
        dated("Primary completion", &status.primary_completion_date_struct, style),
        dated("Completion", &status.completion_date_struct, style),
    ];
    facts_block(facts).into_iter().collect()
}

/// "2020-03 (actual)".
pub(crate) fn dated(label: &'static str, date: &DateStruct, style: DateStyle) -> Option<Fact> {
    let when = date.date?.written(style);
    let value = match &date.r#type {
        Some(DateType::Actual) => format!("{when} (actual)"),
        Some(DateType::Estimated) => format!("{when} (estimated)"),
        Some(DateType::Other(other)) => format!("{when} ({})", other.to_lowercase()),
        None => when,
    };
    Some(Fact::plain(label, value))
}

pub(crate) fn sponsor(
    sponsors: &SponsorCollaboratorsModule,
    contacts: &ContactsLocationsModule,
) -> Vec<Block> {
    let party = &sponsors.responsible_party;
    let investigator: Vec<String> =
        [&party.investigator_full_name, &party.investigator_title, &party.investigator_affiliation]
            .into_iter()
            .filter_map(present)
            .collect();
    let responsible = match (&party.r#type, investigator.is_empty()) {
        (Some(kind), true) => Some(kind.label().to_owned()),
        (Some(kind), false) => Some(format!("{}: {}", kind.label(), investigator.join(", "))),
        (None, false) => Some(investigator.join(", ")),
        (None, true) => None,
    };
    let officials = contacts.overall_officials.iter().filter_map(|official| {
        let name = present(&official.name)?;
        let role = official.role.as_ref().map(|r| format!(" ({})", r.label())).unwrap_or_default();
        let affiliation = present(&official.affiliation).map(|a| format!(", {a}")).unwrap_or_default();
        Some(format!("{name}{role}{affiliation}"))
    });
    let facts = [
        present(&sponsors.lead_sponsor.name).map(|name| Fact::plain("Sponsor", name)),
        Fact::list("Collaborators", sponsors.collaborators.iter().filter_map(|c| present(&c.name))),
        responsible.map(|r| Fact::plain("Responsible party", r)),
        Fact::list("Officials", officials),
    ];
    facts_block(facts).into_iter().collect()
}

pub(crate) fn conditions(conditions: &ConditionsModule, study: &Study) -> Vec<Block> {
    let meshes: Vec<String> = study
        .derived_section
        .condition_browse_module
        .meshes
        .iter()
        .filter_map(|m| present(&m.term))
        .collect();
    let facts = [
        listed("Conditions", &conditions.conditions),
        listed("Keywords", &conditions.keywords),
        listed("MeSH terms", &meshes),
    ];
    facts_block(facts).into_iter().collect()
}

/// Short names on one line. A middle dot rather than a comma, since MeSH terms hold commas
/// ("Carcinoma, Non-Small-Cell Lung").
fn listed(label: &'static str, names: &[String]) -> Option<Fact> {
    let names: Vec<&str> = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
    (!names.is_empty()).then(|| Fact::plain(label, names.join(DOT)))
}

pub(crate) fn arms_and_interventions(module: &ArmsInterventionsModule) -> Vec<Block> {
    let arms: Vec<Entry> = module
        .arm_groups
        .iter()
        .map(|arm| {
            let label = present(&arm.label).unwrap_or_else(|| "Unnamed arm".to_owned());
            Entry {
                title: with_kind(label, arm.r#type.as_ref().map(|t| t.label())),
                facts: listed("Interventions", &arm.intervention_names).into_iter().collect(),
                description: present(&arm.description),
            }
        })
        .collect();
    let interventions: Vec<Entry> = module
        .interventions
        .iter()
        .map(|intervention| {
            let name = present(&intervention.name).unwrap_or_else(|| "Unnamed intervention".to_owned());
            let title = match &intervention.r#type {
                Some(kind) => format!("{}: {name}", kind.label()),
                None => name,
            };
            Entry {
                title,
                facts: listed("Other names", &intervention.other_names).into_iter().collect(),
                description: present(&intervention.description),
            }
        })
        .collect();
    let mut blocks = Vec::new();
    for (heading, items) in [("Arms", arms), ("Interventions", interventions)] {
        if !items.is_empty() {
            blocks.push(Block::Subheading(heading.to_owned()));
            blocks.push(Block::Entries(Entries { numbered: false, items }));
        }
    }
    blocks
}

/// "Treatment A (Experimental)".
fn with_kind(name: String, kind: Option<&str>) -> String {
    match kind {
        Some(kind) => format!("{name} ({kind})"),
        None => name,
    }
}

pub(crate) fn description(module: &DescriptionModule) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (heading, text) in
        [("Brief summary", &module.brief_summary), ("Detailed description", &module.detailed_description)]
    {
        if let Some(text) = present(text) {
            blocks.push(Block::Subheading(heading.to_owned()));
            blocks.push(Block::Markup(text));
        }
    }
    blocks
}

fn eligibility(module: &EligibilityModule) -> Vec<Block> {
    let nothing_said = module.eligibility_criteria.is_none()
        && module.sex.is_none()
        && module.minimum_age.is_none()
        && module.maximum_age.is_none()
        && module.healthy_volunteers.is_none()
        && module.study_population.is_none();
    if nothing_said {
        return Vec::new();
    }
    let mut blocks = vec![Block::Note(who_may_join(module))];
    blocks.extend(facts_block([present(&module.gender_description).map(|g| Fact::markup("Gender", g))]));
    if let Some(raw) = present(&module.eligibility_criteria) {
        // Shown safe before it is split, as every other text of the document is (see
        // `Document::visible`): a control becomes a character the reader sees, not a gap.
        let criteria = split_criteria(&crate::present::safe_text::visible(&raw));
        if !criteria.is_empty() {
            blocks.push(Block::Criteria(criteria));
        }
    }
    if let Some(population) = present(&module.study_population) {
        blocks.push(Block::Subheading("Study population".to_owned()));
        blocks.push(Block::Markup(population));
    }
    let sampling = module.sampling_method.as_ref().map(|m| Fact::plain("Sampling method", m.label()));
    blocks.extend(facts_block([sampling]));
    blocks
}

/// "Sex: all · Ages: 18 to 65 years · Healthy volunteers: no".
pub fn who_may_join(module: &EligibilityModule) -> String {
    let sex = module.sex.as_ref().map(|sex| format!("Sex: {}", sex.label().to_lowercase()));
    let ages = Some(format!("Ages: {}", module.age_range_text()));
    let healthy = module
        .healthy_volunteers
        .map(|yes| format!("Healthy volunteers: {}", if yes { "yes" } else { "no" }));
    joined([sex, ages, healthy]).unwrap_or_default()
}

fn outcomes(module: &OutcomesModule, study: &Study, style: DateStyle) -> Vec<Block> {
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
        title: present(&outcome.measure).unwrap_or_else(|| "Unnamed measure".to_owned()),
        facts: present(&outcome.time_frame).map(|t| Fact::plain("Time frame", t)).into_iter().collect(),
        description: present(&outcome.description),
    }
}

/// Whether a study's results are posted, as its record tells.
pub(crate) enum ResultsStatus {
    /// Posted, first on this date when the record gives it.
    Posted(Option<PartialDate>),
    /// Not posted; why, when the record says (waived, delayed, a certification to delay,
    /// submitted and not posted yet), and the submissions under quality control review.
    NotPosted { reasons: Vec<String>, submissions: Vec<String> },
}

/// Whether results are posted and, when not, why (its dates written in `style`); `None` when the
/// record says nothing at all (a record fetched without `hasResults`).
pub(crate) fn results_status(study: &Study, style: DateStyle) -> Option<ResultsStatus> {
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

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn sites(module: &ContactsLocationsModule, overall: Option<&Status>) -> Vec<Block> {
    let mut blocks = Vec::new();
    if !module.locations.is_empty() {
        blocks.push(Block::Note(sites_count(&module.locations, study_is_open(overall))));
        blocks.push(Block::Table(sites_table(&module.locations)));
    }
    if let Some(contacts) =
        facts_block([Fact::list("Central contacts", module.central_contacts.iter().filter_map(contact_line))])
    {
        blocks.push(contacts);
    }
    blocks
}

/// A study still taking (or about to take) people, for which "0 recruiting" is news.
pub(crate) fn study_is_open(overall: Option<&Status>) -> bool {
    matches!(overall, Some(Status::Recruiting | Status::NotYetRecruiting | Status::EnrollingByInvitation))
}

/// "1,148 sites in 23 countries, 312 recruiting". The recruiting count is left out when it is
/// zero, unless the study itself is open.
pub fn sites_count(locations: &[Location], study_open: bool) -> String {
    let mut countries: Vec<&str> = Vec::new();
    for country in locations.iter().filter_map(|l| l.country.as_deref()).map(str::trim) {
        if !country.is_empty() && !countries.contains(&country) {
            countries.push(country);
        }
    }
    let recruiting = locations.iter().filter(|l| l.status == Some(RecruitmentStatus::Recruiting)).count();
    let mut line = plural(locations.len(), "site", "sites");
    if !countries.is_empty() {
        line.push_str(&format!(" in {}", plural(countries.len(), "country", "countries")));
    }
    if recruiting > 0 || study_open {
        line.push_str(&format!(", {} recruiting", thousands(recruiting)));
    }
    line
}

fn sites_table(locations: &[Location]) -> Table {
    let cell = |text: &Option<String>| present(text).unwrap_or_default();
    let rows = locations
        .iter()
        .map(|site| {
            vec![
                cell(&site.facility),
                cell(&site.city),
                cell(&site.state),
                cell(&site.country),
                site.status.as_ref().map(|s| s.label().to_owned()).unwrap_or_default(),
            ]
        })
        .collect();
    Table { header: vec!["Facility", "City", "State", "Country", "Status"], rows }.without_empty_columns()
}

/// "Jane Roe (Principal Investigator) · +1 555 0100 ext. 12 · jane@example.org".
pub(crate) fn contact_line(contact: &Contact) -> Option<String> {
    let role = contact.role.as_ref().filter(|r| r.as_str() != "CONTACT").map(|r| r.label().to_owned());
    let name = present(&contact.name).map(|name| with_kind(name, role.as_deref()));
    let phone = present(&contact.phone).map(|phone| match present(&contact.phone_ext) {
        Some(ext) => format!("{phone} ext. {ext}"),
        None => phone,
    });
    joined([name, phone, present(&contact.email)])
}

fn references(module: &ReferencesModule) -> Vec<Block> {
    let items: Vec<Entry> = module
        .references
        .iter()
        .filter_map(|reference| {
            let pmid = present(&reference.pmid);
            let title =
                present(&reference.citation).or_else(|| pmid.as_ref().map(|p| format!("PMID {p}")))?;
            let facts =
                present(&reference.citation).and(pmid).map(|p| Fact::plain("PMID", p)).into_iter().collect();
            Some(Entry { title, facts, description: None })
        })
        .collect();
    let links = module.see_also_links.iter().filter_map(|link| {
        let url = present(&link.url)?;
        Some(match present(&link.label) {
            Some(label) => format!("{label}: {url}"),
            None => url,
        })
    });
    let mut blocks = Vec::new();
    if !items.is_empty() {
        blocks.push(Block::Entries(Entries { numbered: true, items }));
    }
    blocks.extend(facts_block([Fact::list("Links", links)]));
    blocks
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::cli::show::document::Value;
    use crate::study::age::{Age, AgeUnit};
    use crate::study::enums::Sex;

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

    fn site(country: &str, status: Option<RecruitmentStatus>) -> Location {
        Location { country: Some(country.to_owned()), status, ..Location::default() }
    }

    #[test]
    fn counts_sites_countries_and_recruiting() {
        let sites = [
            site("France", Some(RecruitmentStatus::Recruiting)),
            site("France", Some(RecruitmentStatus::Completed)),
            site("Japan", None),
        ];
        assert_eq!(sites_count(&sites, false), "3 sites in 2 countries, 1 recruiting");
        assert_eq!(sites_count(&sites[1..2], false), "1 site in 1 country");
        assert_eq!(sites_count(&sites[1..2], true), "1 site in 1 country, 0 recruiting");
        let many: Vec<Location> = (0..1148).map(|i| site(&format!("C{}", i % 23), None)).collect();
        assert_eq!(sites_count(&many, false), "1,148 sites in 23 countries");
        assert_eq!(sites_count(&[Location::default()], false), "1 site");
    }

    #[test]
    fn says_who_may_join() {
        let module = EligibilityModule {
            sex: Some(Sex::All),
            minimum_age: Some(Age::new(18.0, AgeUnit::Years)),
            maximum_age: Some(Age::new(65.0, AgeUnit::Years)),
            healthy_volunteers: Some(false),
            ..EligibilityModule::default()
        };
        assert_eq!(who_may_join(&module), "Sex: all · Ages: 18 to 65 years · Healthy volunteers: no");
        assert_eq!(who_may_join(&EligibilityModule::default()), "Ages: any age");
    }

    #[test]
    fn unknown_status_says_what_it_was() {
        let study: Study = serde_json::from_str(
            r#"{"protocolSection": {"statusModule": {"overallStatus": "UNKNOWN", "lastKnownStatus": "ACTIVE_NOT_RECRUITING"},
                "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE1", "PHASE2"]}}}"#,
        )
        .unwrap();
        let protocol = study.protocol_section.as_ref().unwrap();
        assert_eq!(
            status_line(&study, protocol).unwrap(),
            "Unknown status (was active, not recruiting) · Phase 1/2 · Interventional"
        );
    }

    #[test]
    fn a_bare_record_has_no_sections() {
        let study: Study = serde_json::from_str(
            r#"{"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}"#,
        )
        .unwrap();
        let doc = document(&study, DateStyle::Iso);
        assert_eq!(doc.id, "NCT00000001");
        assert_eq!(doc.title, None);
        assert!(doc.header.is_empty());
        assert!(doc.sections.is_empty(), "{:?}", doc.sections);
    }
}
