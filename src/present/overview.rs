//! What a study is, who runs it and when, as facts: the header of a document (other titles and
//! ids, status, record dates), design and enrollment, every date with its type, sponsor and
//! contacts, oversight, conditions and interventions with their MeSH terms, arms, summary and
//! description. The Overview pane shows these blocks as they are.

use super::document::{Block, Entries, Entry, Fact, facts_block};
use super::words::{DOT, joined, lower_first, non_blank, plural, with_kind};
use crate::study::Study;
use crate::study::date::DateStyle;
use crate::study::derived::BrowseModule;
use crate::study::enums::{DateType, EnrollmentType, Status, phases_label};
use crate::study::record::{
    ArmsInterventionsModule, ConditionsModule, ContactsLocationsModule, DateStruct, DescriptionModule,
    DesignModule, IdentificationModule, OversightModule, ProtocolSection, SponsorCollaboratorsModule,
    StatusModule,
};

/// The facts under a document's title: other titles and ids, status, record dates.
pub fn header(protocol: &ProtocolSection, study: &Study, style: DateStyle) -> Vec<Block> {
    let ident = &protocol.identification_module;
    let status = &protocol.status_module;
    let facts = [
        non_blank(&ident.official_title).map(|t| Fact::plain("Official title", t)),
        non_blank(&ident.acronym).map(|a| Fact::plain("Acronym", a)),
        non_blank(&ident.org_study_id_info.id).map(|id| Fact::plain("Org study ID", id)),
        Fact::list("Other IDs", other_ids(ident)),
        status_line(study, protocol).map(|line| Fact::plain("Status", line)),
        non_blank(&status.why_stopped).map(|why| Fact::markup("Why stopped", why)),
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
pub fn other_ids(ident: &IdentificationModule) -> impl Iterator<Item = String> + '_ {
    ident.secondary_id_infos.iter().filter_map(|info| {
        let id = non_blank(&info.id)?;
        let kind = info.r#type.as_ref().map(|t| t.label().to_owned());
        let about: Vec<String> = kind.into_iter().chain(non_blank(&info.domain)).collect();
        Some(if about.is_empty() { id } else { format!("{id} ({})", about.join(", ")) })
    })
}

/// "Recruiting", or "Unknown status (was recruiting)": an unknown status alone says nothing.
pub fn overall_status_text(status: &StatusModule) -> Option<String> {
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

/// The Design section: allocation, model, masking, purpose, follow-up, enrollment.
pub fn design(design: &DesignModule) -> Vec<Block> {
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

/// The Dates section: every date the status module holds, the study's own (start, primary
/// completion, completion) with whether it happened or is planned, then the record's
/// (submitted, posted, results, a delay of results, updates, verified). A submission date has
/// no type in the registry: it is always one that happened.
pub fn dates(status: &StatusModule, style: DateStyle) -> Vec<Block> {
    let on = |label: &'static str, date: Option<crate::study::date::PartialDate>| {
        date.map(|d| Fact::plain(label, d.written(style)))
    };
    let facts = [
        dated("Start", &status.start_date_struct, style),
        dated("Primary completion", &status.primary_completion_date_struct, style),
        dated("Completion", &status.completion_date_struct, style),
        on("First submitted", status.study_first_submit_date),
        dated("First posted", &status.study_first_post_date_struct, style),
        on("Results submitted", status.results_first_submit_date),
        dated("Results posted", &status.results_first_post_date_struct, style),
        on("Delay requested", status.disp_first_submit_date),
        dated("Delay posted", &status.disp_first_post_date_struct, style),
        on("Update submitted", status.last_update_submit_date),
        dated("Last update", &status.last_update_post_date_struct, style),
        on("Verified", status.status_verified_date),
    ];
    facts_block(facts).into_iter().collect()
}

/// "2020-03 (actual)".
pub fn dated(label: &'static str, date: &DateStruct, style: DateStyle) -> Option<Fact> {
    let when = date.date?.written(style);
    let value = match &date.r#type {
        Some(DateType::Actual) => format!("{when} (actual)"),
        Some(DateType::Estimated) => format!("{when} (estimated)"),
        Some(DateType::Other(other)) => format!("{when} ({})", other.to_lowercase()),
        None => when,
    };
    Some(Fact::plain(label, value))
}

/// The Sponsor section: sponsor, collaborators, responsible party, officials.
pub fn sponsor(sponsors: &SponsorCollaboratorsModule, contacts: &ContactsLocationsModule) -> Vec<Block> {
    let party = &sponsors.responsible_party;
    let investigator: Vec<String> =
        [&party.investigator_full_name, &party.investigator_title, &party.investigator_affiliation]
            .into_iter()
            .filter_map(non_blank)
            .collect();
    let responsible = match (&party.r#type, investigator.is_empty()) {
        (Some(kind), true) => Some(kind.label().to_owned()),
        (Some(kind), false) => Some(format!("{}: {}", kind.label(), investigator.join(", "))),
        (None, false) => Some(investigator.join(", ")),
        (None, true) => None,
    };
    let facts = [
        non_blank(&sponsors.lead_sponsor.name).map(|name| Fact::plain("Sponsor", name)),
        Fact::list("Collaborators", sponsors.collaborators.iter().filter_map(|c| non_blank(&c.name))),
        responsible.map(|r| Fact::plain("Responsible party", r)),
        Fact::list("Officials", officials(contacts)),
    ];
    facts_block(facts).into_iter().collect()
}

/// The Conditions section: conditions, keywords, and the MeSH terms the registry gave them with
/// the broader terms above those, each on one line.
pub fn conditions(conditions: &ConditionsModule, study: &Study) -> Vec<Block> {
    let browse = &study.derived_section.condition_browse_module;
    let facts = [listed("Conditions", &conditions.conditions), listed("Keywords", &conditions.keywords)];
    facts_block(facts.into_iter().chain(mesh_facts(browse))).into_iter().collect()
}

/// The interventions' MeSH terms and their ancestors, under their own subheading.
pub fn intervention_terms(study: &Study) -> Vec<Block> {
    match facts_block(mesh_facts(&study.derived_section.intervention_browse_module)) {
        Some(facts) => vec![Block::Subheading("Intervention MeSH terms".to_owned()), facts],
        None => Vec::new(),
    }
}

/// "MeSH terms" and "MeSH ancestors" (the broader headings the registry derives them under).
fn mesh_facts(browse: &BrowseModule) -> [Option<Fact>; 2] {
    let terms = |meshes: &[crate::study::derived::Mesh]| -> Vec<String> {
        meshes.iter().filter_map(|m| non_blank(&m.term)).collect()
    };
    [listed("MeSH terms", &terms(&browse.meshes)), listed("MeSH ancestors", &terms(&browse.ancestors))]
}

/// The Oversight section: a data monitoring committee, FDA regulation, export. Only what the
/// record says, yes or no.
pub fn oversight(module: &OversightModule) -> Vec<Block> {
    let said = |label: &'static str, value: Option<bool>| {
        value.map(|yes| Fact::plain(label, if yes { "yes" } else { "no" }))
    };
    let facts = [
        said("Data monitoring committee", module.oversight_has_dmc),
        said("FDA-regulated drug", module.is_fda_regulated_drug),
        said("FDA-regulated device", module.is_fda_regulated_device),
        said("Unapproved device", module.is_unapproved_device),
        said("Pediatric postmarket surveillance", module.is_ppsd),
        said("Exported from the US", module.is_us_export),
        said("FDAAA 801 violation", module.fdaaa801_violation),
    ];
    facts_block(facts).into_iter().collect()
}

/// The Contacts section of the Overview: whom to ask about the study (name, role, phone,
/// email). The officials are with the sponsor; `nct show` has these with the sites.
pub fn contacts(contacts: &ContactsLocationsModule) -> Vec<Block> {
    let central = contacts.central_contacts.iter().filter_map(super::sites::contact_line);
    facts_block([Fact::list("Central contacts", central)]).into_iter().collect()
}

/// "Jane Roe (Principal Investigator), Example University", one per overall official.
fn officials(contacts: &ContactsLocationsModule) -> impl Iterator<Item = String> + '_ {
    contacts.overall_officials.iter().filter_map(|official| {
        let name = non_blank(&official.name)?;
        let role = official.role.as_ref().map(|r| format!(" ({})", r.label())).unwrap_or_default();
        let affiliation = non_blank(&official.affiliation).map(|a| format!(", {a}")).unwrap_or_default();
        Some(format!("{name}{role}{affiliation}"))
    })
}

/// Short names on one line. A middle dot rather than a comma, since MeSH terms hold commas
/// ("Carcinoma, Non-Small-Cell Lung").
fn listed(label: &'static str, names: &[String]) -> Option<Fact> {
    let names: Vec<&str> = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
    (!names.is_empty()).then(|| Fact::plain(label, names.join(DOT)))
}

/// The arms, then the interventions, each under its own subheading.
pub fn arms_and_interventions(module: &ArmsInterventionsModule) -> Vec<Block> {
    let arms: Vec<Entry> = module
        .arm_groups
        .iter()
        .map(|arm| {
            let label = non_blank(&arm.label).unwrap_or_else(|| "Unnamed arm".to_owned());
            Entry {
                title: with_kind(label, arm.r#type.as_ref().map(|t| t.label())),
                facts: listed("Interventions", &arm.intervention_names).into_iter().collect(),
                description: non_blank(&arm.description),
            }
        })
        .collect();
    let interventions: Vec<Entry> = module
        .interventions
        .iter()
        .map(|intervention| {
            let name = non_blank(&intervention.name).unwrap_or_else(|| "Unnamed intervention".to_owned());
            let title = match &intervention.r#type {
                Some(kind) => format!("{}: {name}", kind.label()),
                None => name,
            };
            Entry {
                title,
                facts: listed("Other names", &intervention.other_names).into_iter().collect(),
                description: non_blank(&intervention.description),
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

/// The brief summary and the detailed description, each under its own subheading.
pub fn description(module: &DescriptionModule) -> Vec<Block> {
    let mut blocks = Vec::new();
    for (heading, text) in
        [("Brief summary", &module.brief_summary), ("Detailed description", &module.detailed_description)]
    {
        if let Some(text) = non_blank(text) {
            blocks.push(Block::Subheading(heading.to_owned()));
            blocks.push(Block::Markup(text));
        }
    }
    blocks
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

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
}
