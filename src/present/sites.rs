//! Where a study runs: how many sites in how many countries and how many recruiting, the sites
//! as a table, each contact as one line, and the central contacts.

use super::document::{Block, Fact, Table, facts_block};
use super::words::{joined, non_blank, plural, thousands, with_kind};
use crate::study::enums::{RecruitmentStatus, Status};
use crate::study::record::{Contact, ContactsLocationsModule, Location};

/// The Sites section: the count line and the table of sites, then the central contacts.
pub fn sites(module: &ContactsLocationsModule, overall: Option<&Status>) -> Vec<Block> {
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
pub fn study_is_open(overall: Option<&Status>) -> bool {
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
    let cell = |text: &Option<String>| non_blank(text).unwrap_or_default();
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
pub fn contact_line(contact: &Contact) -> Option<String> {
    let role = contact.role.as_ref().filter(|r| r.as_str() != "CONTACT").map(|r| r.label().to_owned());
    let name = non_blank(&contact.name).map(|name| with_kind(name, role.as_deref()));
    let phone = non_blank(&contact.phone).map(|phone| match non_blank(&contact.phone_ext) {
        Some(ext) => format!("{phone} ext. {ext}"),
        None => phone,
    });
    joined([name, phone, non_blank(&contact.email)])
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

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
}
