//! Where a study runs: how many sites in how many countries and how many recruiting, the sites
//! as a table (its columns and cells, shared by `nct show` and the app's Sites pane), which
//! sites take people, how far a site is written, what finding in the sites reads, each contact
//! as one line, and the central contacts.

use super::document::{Block, Fact, Table, facts_block};
use super::words::{joined, non_blank, plural, thousands, with_kind};
use crate::study::enums::{RecruitmentStatus, Status};
use crate::study::geo::DistanceUnit;
use crate::study::record::{Contact, ContactsLocationsModule, Location};

/// A column of the sites table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteColumn {
    Facility,
    City,
    State,
    Country,
    Status,
    /// How far the site is from the place asked about (`near:`), when there is one.
    Distance,
}

impl SiteColumn {
    /// The columns every sites table has (before those without a value anywhere are left out).
    pub const REGISTERED: [SiteColumn; 5] =
        [SiteColumn::Facility, SiteColumn::City, SiteColumn::State, SiteColumn::Country, SiteColumn::Status];

    pub fn header(self) -> &'static str {
        match self {
            SiteColumn::Facility => "Facility",
            SiteColumn::City => "City",
            SiteColumn::State => "State",
            SiteColumn::Country => "Country",
            SiteColumn::Status => "Status",
            SiteColumn::Distance => "Distance",
        }
    }

    /// The site's cell, trimmed; `distance` is the site's distance as written (`distance_text`),
    /// when it has one.
    pub fn cell<'a>(self, site: &'a Location, distance: Option<&'a str>) -> &'a str {
        fn text(value: &Option<String>) -> &str {
            value.as_deref().map_or("", str::trim)
        }
        match self {
            SiteColumn::Facility => text(&site.facility),
            SiteColumn::City => text(&site.city),
            SiteColumn::State => text(&site.state),
            SiteColumn::Country => text(&site.country),
            SiteColumn::Status => site.status.as_ref().map_or("", |s| s.label()),
            SiteColumn::Distance => distance.unwrap_or(""),
        }
    }
}

/// Whether a site takes people now or soon: its own status is Recruiting or Not yet recruiting.
/// A site that gives no status of its own counts by the study's overall status, as the
/// registry's location search reads it.
pub fn site_is_recruiting(site: &Location, overall: Option<&Status>) -> bool {
    match &site.status {
        Some(status) => matches!(status, RecruitmentStatus::Recruiting | RecruitmentStatus::NotYetRecruiting),
        None => matches!(overall, Some(Status::Recruiting | Status::NotYetRecruiting)),
    }
}

/// A distance in `unit`: "3.4 mi" under ten, "12 mi", "1,250 km".
pub fn distance_text(km: f64, unit: DistanceUnit) -> String {
    let value = unit.from_km(km);
    if value < 9.95 {
        format!("{value:.1} {}", unit.symbol())
    } else {
        // Rounded, not cut: 12.6 miles is 13 miles.
        // Distances on the Earth stay far below where a float stops holding whole numbers.
        let whole = value.round();
        let whole = if (0.0..1e15).contains(&whole) { whole as usize } else { 0 };
        format!("{} {}", thousands(whole), unit.symbol())
    }
}

/// What finding in the sites reads of a site: the facility, the address (city, state, zip,
/// country) and the contacts' names, emails and phones.
pub fn site_find_texts(site: &Location) -> impl Iterator<Item = &str> {
    let address = [&site.facility, &site.city, &site.state, &site.zip, &site.country];
    let contacts = site.contacts.iter().flat_map(|c| [&c.name, &c.email, &c.phone]);
    address.into_iter().chain(contacts).filter_map(|part| part.as_deref())
}

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
    let columns = SiteColumn::REGISTERED;
    let rows = locations
        .iter()
        .map(|site| columns.iter().map(|column| column.cell(site, None).to_owned()).collect())
        .collect();
    Table { header: columns.iter().map(|c| c.header()).collect(), rows }.without_empty_columns()
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

    #[test]
    fn recruiting_sites_are_those_taking_people_now_or_soon() {
        use RecruitmentStatus::*;
        let open = Some(&Status::Recruiting);
        let closed = Some(&Status::Completed);
        for (status, counts) in [
            (Recruiting, true),
            (NotYetRecruiting, true),
            (ActiveNotRecruiting, false),
            (EnrollingByInvitation, false),
            (Completed, false),
            (Withdrawn, false),
        ] {
            assert_eq!(
                site_is_recruiting(&site("France", Some(status.clone())), closed),
                counts,
                "{status:?}"
            );
            assert_eq!(site_is_recruiting(&site("France", Some(status.clone())), open), counts, "{status:?}");
        }
        assert!(site_is_recruiting(&site("France", None), open), "no status of its own: the study's");
        assert!(site_is_recruiting(&site("France", None), Some(&Status::NotYetRecruiting)));
        assert!(!site_is_recruiting(&site("France", None), closed));
        assert!(!site_is_recruiting(&site("France", None), None));
    }

    #[test]
    fn distances_are_written_in_the_unit_asked() {
        use crate::study::geo::KM_PER_MILE;
        assert_eq!(distance_text(12.4 * KM_PER_MILE, DistanceUnit::Miles), "12 mi");
        assert_eq!(distance_text(12.6 * KM_PER_MILE, DistanceUnit::Miles), "13 mi");
        assert_eq!(distance_text(3.44 * KM_PER_MILE, DistanceUnit::Miles), "3.4 mi");
        assert_eq!(distance_text(0.0, DistanceUnit::Kilometres), "0.0 km");
        assert_eq!(distance_text(1250.2, DistanceUnit::Kilometres), "1,250 km");
        assert_eq!(distance_text(9.96, DistanceUnit::Kilometres), "10 km", "never 10.0");
    }

    #[test]
    fn find_reads_the_address_and_the_contacts() {
        let site = Location {
            facility: Some("Johns Hopkins".into()),
            zip: Some("21287".into()),
            contacts: vec![Contact {
                name: Some("Ada Roe".into()),
                email: Some("ada@example.org".into()),
                phone: Some("+1 410 555 0100".into()),
                role: None,
                ..Contact::default()
            }],
            ..site("United States", None)
        };
        let texts: Vec<&str> = site_find_texts(&site).collect();
        assert_eq!(
            texts,
            ["Johns Hopkins", "21287", "United States", "Ada Roe", "ada@example.org", "+1 410 555 0100"]
        );
    }
}
