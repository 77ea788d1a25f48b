//! Study sites: how many a study has, and where they come from.
//!
//! Most registry studies have one site, a tail has hundreds, and about 1 in 500 has 1,000 or
//! more (large vaccine and cardiovascular outcome trials). Small counts are a subset of the
//! template's own sites, as before; larger ones add sites drawn from every template's sites (the
//! 1,148 of NCT05183427 make most of that pool), each varied (facility name, zip code,
//! contacts) so that a study with 2,000 sites is not the same 1,148 twice.

use crate::json::J;
use crate::prose;
use crate::rng::Rng;

/// How many sites a study gets: 1 in 500 gets 1,000 to 2,600; the rest follow the registry's
/// shape (about 9% none, 57% one, a long tail past 100).
pub fn count(rng: &mut Rng) -> usize {
    if rng.below(500) == 0 {
        return rng.range(1000, 2600) as usize;
    }
    let bucket = rng.below(1000);
    let (lo, hi) = match bucket {
        0..90 => (0, 0),
        90..655 => (1, 1),
        655..725 => (2, 2),
        725..815 => (3, 9),
        815..933 => (10, 49),
        933..980 => (50, 199),
        _ => (200, 999),
    };
    // Log-uniform inside a bucket: 10-49 sites is more often 12 than 45.
    let (lo, hi) = (lo as f64, hi as f64);
    if hi <= lo {
        return lo as usize;
    }
    let u = rng.below(1_000_000) as f64 / 1_000_000.0;
    (lo * (hi / lo).powf(u)).round() as usize
}

/// What sites look like while their study has a status: in the registry only the sites of
/// recruiting studies (and of unknown ones, frozen as they were) carry a status of their own,
/// and only open studies list site contacts.
struct SiteStyle {
    statuses: Option<&'static [(&'static str, u64)]>,
    contacts_percent: u64,
}

fn site_style(status: &str) -> SiteStyle {
    let (statuses, contacts_percent): (Option<&'static [(&'static str, u64)]>, u64) = match status {
        "RECRUITING" => (
            Some(&[
                ("RECRUITING", 70),
                ("NOT_YET_RECRUITING", 18),
                ("ACTIVE_NOT_RECRUITING", 6),
                ("WITHDRAWN", 3),
                ("SUSPENDED", 2),
                ("COMPLETED", 1),
            ]),
            40,
        ),
        "UNKNOWN" => (Some(&[("RECRUITING", 85), ("NOT_YET_RECRUITING", 15)]), 30),
        "NOT_YET_RECRUITING" => (None, 15),
        _ => (None, 0),
    };
    SiteStyle { statuses, contacts_percent }
}

/// The sites of a study with `want` sites: an order-preserving subset of the template's own
/// when it has enough, otherwise all of them followed by varied sites from `pool`.
pub fn pick(rng: &mut Rng, own: &[J], pool: &[J], want: usize, status: &str, sponsor: &str) -> Vec<J> {
    let style = site_style(status);
    let mut sites = Vec::with_capacity(want);
    if want <= own.len() {
        let mut needed = want;
        for (seen, site) in own.iter().enumerate() {
            let left = own.len() - seen;
            if needed > 0 && rng.below(left as u64) < needed as u64 {
                sites.push(restyle(rng, site.clone(), &style));
                needed -= 1;
            }
        }
        return sites;
    }
    for site in own {
        sites.push(restyle(rng, site.clone(), &style));
    }
    // From one stretch of the pool, in pool order: the pool is grouped by country and state,
    // and so are a real study's sites (a trial recruits in some countries, not in all).
    if pool.is_empty() {
        return sites;
    }
    let extra = want - sites.len();
    let start = rng.below(pool.len() as u64) as usize;
    let span = (extra * 2).clamp(40, pool.len()) as u64;
    let mut picks: Vec<usize> = (0..extra).map(|_| (start + rng.below(span) as usize) % pool.len()).collect();
    picks.sort_unstable();
    for at in picks {
        if let Some(site) = pool.get(at) {
            sites.push(vary(rng, site, &style, sponsor));
        }
    }
    sites
}

fn restyle(rng: &mut Rng, mut site: J, style: &SiteStyle) -> J {
    match style.statuses {
        Some(table) if site.get("status").is_some() => {
            site.set("status", J::s(*rng.weighted(table).unwrap_or(&"RECRUITING")));
        }
        Some(_) => {}
        None => {
            site.remove("status");
        }
    }
    if style.contacts_percent == 0 {
        site.remove("contacts");
    }
    site
}

/// A new site from a pool site: a facility name in one of the registry's styles, its city,
/// state, country and position, a nearby zip code, and for open studies a status and sometimes
/// contacts.
fn vary(rng: &mut Rng, site: &J, style: &SiteStyle, sponsor: &str) -> J {
    let text = |key: &str| site.get(key).and_then(J::as_str).map(str::to_string);
    let city = text("city").unwrap_or_else(|| "Springfield".into());
    let facility = match rng.below(10) {
        0..3 => text("facility").unwrap_or_else(|| format!("{city} General Hospital")),
        3 => "Research Site".to_string(),
        4 => format!("Investigational Site Number {}", rng.range(100, 99999)),
        5 => format!("{sponsor} Investigative Site"),
        6 => format!("Local Institution - {}", rng.range(1, 999)),
        _ => format!("{city} {}", rng.pick(FACILITY_KINDS).copied().unwrap_or("Clinical Research Center")),
    };
    let mut pairs: Vec<(&str, J)> = vec![("facility", J::s(facility))];
    if let Some(table) = style.statuses {
        pairs.push(("status", J::s(*rng.weighted(table).unwrap_or(&"RECRUITING"))));
    }
    pairs.push(("city", J::s(city)));
    if let Some(state) = text("state") {
        pairs.push(("state", J::s(state)));
    }
    if let Some(zip) = text("zip") {
        // Another zip code of the same area: the last two digits change.
        let digits = zip.bytes().filter(u8::is_ascii_digit).count();
        let mut seen = 0;
        let zip: String = zip
            .chars()
            .map(|c| {
                if !c.is_ascii_digit() {
                    return c;
                }
                seen += 1;
                if seen + 2 > digits { char::from(b'0' + rng.below(10) as u8) } else { c }
            })
            .collect();
        pairs.push(("zip", J::s(zip)));
    }
    if let Some(country) = text("country") {
        pairs.push(("country", J::s(country)));
    }
    if rng.chance(style.contacts_percent) {
        pairs.push(("contacts", contacts(rng)));
    }
    // The registry's position is the city's, so sites in one city share it.
    if let Some(point) = site.get("geoPoint") {
        pairs.push(("geoPoint", point.clone()));
    }
    J::obj(pairs)
}

fn contacts(rng: &mut Rng) -> J {
    let contact = prose::person(rng);
    let phone = format!(
        "+{} {} {} {:04}",
        rng.range(1, 99),
        rng.range(10, 999),
        rng.range(100, 999),
        rng.below(10_000)
    );
    let email = format!("{}.site{:04}@example.org", prose::last_name(rng).to_lowercase(), rng.below(10_000));
    let investigator = format!("{}, MD", prose::person(rng));
    J::Arr(vec![
        J::obj(vec![
            ("name", J::s(contact)),
            ("role", J::s("CONTACT")),
            ("phone", J::s(phone)),
            ("email", J::s(email)),
        ]),
        J::obj(vec![("name", J::s(investigator)), ("role", J::s("PRINCIPAL_INVESTIGATOR"))]),
    ])
}

const FACILITY_KINDS: &[&str] = &[
    "Clinical Research Center",
    "University Hospital",
    "General Hospital",
    "Medical Center",
    "Research Institute",
    "Regional Hospital",
    "Community Health Center",
    "Clinical Trials Unit",
    "Specialty Clinic",
    "Cancer Center",
    "Heart Institute",
    "Children's Hospital",
];
