//! Sites on the map, for `near:`: the places the loaded sites name (a gazetteer, so that
//! `near:Baltimore` needs no network and no bundled data) and a spatial index over every site,
//! built with the catalog and kept in its cache.
//!
//! Every (city, state, country) a site with coordinates writes is a place, centred on the
//! median of its sites' coordinates (a stray geocode does not move it) and counted by its
//! sites. A typed name is resolved to one of them: the city compared by its folded key, then
//! each part after a comma as a state (a US postal code too), a country (its aliases, as for
//! `country:`) or a region the sites write. A city alone names every place of that name; when
//! they lie more than [`SAME_PLACE_KM`] apart the name is ambiguous, and the message lists them.
//! A state or country alone is refused: the sites spread over it, so a radius around its middle
//! means nothing; the message asks for a city or coordinates.
//!
//! The index is a grid of one-degree cells rather than an R-tree (the `rstar` crate): the
//! registry's coordinates are geocodes of cities, so its millions of sites sit at some hundred
//! thousand distinct points (a *locality*: one place at one point). The grid holds those,
//! sorted by cell, and each locality its sites (study, status) in a flat array: about five
//! bytes a site, stored as plain vectors in the cache, and a query reads the few cells its
//! radius covers, measuring each locality there once.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::query::near::Near;
use crate::query::places::{key, resolve_country, resolve_state};
use crate::query::{Expr, Filter, QueryError};
use crate::study::Study;
use crate::study::enums::{RecruitmentStatus, Status};
use crate::study::geo::{Area, EARTH_RADIUS_KM, GeoPoint, haversine_km};

/// Places of one name closer than this are one place spelled two ways (`Baltimore, MD` and
/// `Baltimore, Maryland`); farther apart, two places (Portland, Oregon and Portland, Maine).
pub const SAME_PLACE_KM: f64 = 100.0;

/// Cells are this many degrees on a side.
const CELL_DEGREES: f64 = 1.0;
const ROWS: usize = 180;
const COLUMNS: usize = 360;

/// At most this many candidates are named in the message for an ambiguous name.
const CANDIDATES_SHOWN: usize = 8;

/// A place the sites name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Place {
    pub city: Box<str>,
    pub state: Option<Box<str>>,
    pub country: Option<Box<str>>,
    /// The median of its sites' coordinates.
    pub lat: f64,
    pub lon: f64,
    /// Sites with coordinates there, over all studies.
    pub sites: u32,
    /// The city's [`key`], which places are sorted by.
    city_key: Box<str>,
}

impl Place {
    pub fn center(&self) -> GeoPoint {
        GeoPoint { lat: self.lat, lon: self.lon }
    }

    /// "Baltimore, Maryland, United States": every part it has.
    pub fn full_name(&self) -> String {
        [Some(&*self.city), self.state.as_deref(), self.country.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// "Baltimore, Maryland" in the United States, "Lyon, France" elsewhere: what a list row
    /// has room for.
    pub fn short_name(&self) -> String {
        let second = match self.country.as_deref() {
            Some("United States") => self.state.as_deref().or(self.country.as_deref()),
            other => other.or(self.state.as_deref()),
        };
        match second {
            Some(second) => format!("{}, {second}", self.city),
            None => self.city.to_string(),
        }
    }
}

/// The gazetteer and the site index of a catalog (see the module doc).
#[derive(Debug, Default, Clone, Serialize, Deserialize, PartialEq)]
pub struct Geo {
    /// Sorted by city key.
    places: Vec<Place>,
    /// Where each cell's localities start (cells row by row, south to north, west to east);
    /// one more than the cells.
    cell_starts: Vec<u32>,
    locality_lat: Vec<f32>,
    locality_lon: Vec<f32>,
    locality_place: Vec<u32>,
    /// Where each locality's sites start; one more than the localities.
    site_starts: Vec<u32>,
    /// The site's study: its place in the catalog.
    site_study: Vec<u32>,
    /// The site's own status: 0 when it has none, else 1 + its place in [`RecruitmentStatus::ALL`].
    site_status: Vec<u8>,
    /// Studies in the catalog (more than any site's study).
    studies: u32,
}

/// A study's nearest site in an area.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nearest {
    pub km: f64,
    locality: u32,
}

/// The studies with a site in an area, each with its nearest one there. Dense, by the study's
/// place: a query near a big city finds tens of thousands of studies through hundreds of
/// thousands of sites, and a vector indexed by place beats a map at both.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Nearby {
    /// Kilometres to each study's nearest site in the area; infinite for a study with none.
    km: Vec<f32>,
    locality: Vec<u32>,
    found: usize,
}

impl Nearby {
    /// The nearest site of the study at `place`, if it has one in the area.
    pub fn of(&self, place: usize) -> Option<Nearest> {
        let km = *self.km.get(place)?;
        let locality = *self.locality.get(place)?;
        km.is_finite().then_some(Nearest { km: f64::from(km), locality })
    }

    pub fn len(&self) -> usize {
        self.found
    }

    pub fn is_empty(&self) -> bool {
        self.found == 0
    }

    /// The studies' places, in catalog order.
    pub fn places(&self) -> Vec<usize> {
        self.km.iter().enumerate().filter(|(_, km)| km.is_finite()).map(|(place, _)| place).collect()
    }
}

fn status_code(status: Option<&RecruitmentStatus>) -> u8 {
    status
        .and_then(|status| RecruitmentStatus::ALL.iter().position(|s| s == status))
        .and_then(|at| u8::try_from(at + 1).ok())
        .unwrap_or(0)
}

/// Which site status codes agree with `statuses` (a site without a status always does).
fn agreeing(statuses: Option<&[Status]>) -> [bool; 256] {
    let mut table = [true; 256];
    if let Some(statuses) = statuses {
        for (at, status) in RecruitmentStatus::ALL.iter().enumerate() {
            if let Some(slot) = table.get_mut(at + 1) {
                *slot = statuses.iter().any(|s| s.as_str() == status.as_str());
            }
        }
    }
    table
}

fn cell_of(lat: f64, lon: f64) -> usize {
    let row = ((lat + 90.0) / CELL_DEGREES).floor().clamp(0.0, (ROWS - 1) as f64) as usize;
    let column = ((lon + 180.0) / CELL_DEGREES).floor().clamp(0.0, (COLUMNS - 1) as f64) as usize;
    row * COLUMNS + column
}

impl Geo {
    /// Places the sites name.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Sites in the index (distinct study, locality and status).
    pub fn sites(&self) -> usize {
        self.site_study.len()
    }

    /// The place of `nearest`'s site, as a list row names it ("Baltimore, Maryland").
    pub fn site_place(&self, nearest: &Nearest) -> Option<&Place> {
        let place = *self.locality_place.get(nearest.locality as usize)?;
        self.places.get(place as usize)
    }

    /// The places called `city` (compared by key).
    fn called(&self, city: &str) -> &[Place] {
        let wanted = key(city);
        let start = self.places.partition_point(|p| *p.city_key < *wanted);
        let end = self.places.partition_point(|p| *p.city_key <= *wanted);
        self.places.get(start..end).unwrap_or(&[])
    }

    /// The area `near` asks about: its own for coordinates, else around the place its name
    /// resolves to; the message says why a name resolves to none (see the module doc).
    pub fn resolve(&self, near: &Near) -> Result<Area, String> {
        if let Some(area) = &near.area {
            return Ok(area.clone());
        }
        let typed = near.typed.as_str();
        let mut parts = typed.split(',').map(str::trim).filter(|part| !part.is_empty());
        let city = parts.next().unwrap_or_default();
        let qualifiers: Vec<&str> = parts.collect();
        let named = self.called(city);
        let mut candidates: Vec<&Place> =
            named.iter().filter(|place| qualifiers.iter().all(|q| qualifies(place, q))).collect();
        if candidates.is_empty() {
            return Err(self.unknown(typed, city, &qualifiers, named));
        }
        // Most sites first; between equals, the name spelled out (`Maryland` over `MD`).
        candidates.sort_by(|a, b| {
            (b.sites, b.full_name().len())
                .cmp(&(a.sites, a.full_name().len()))
                .then_with(|| a.full_name().cmp(&b.full_name()))
        });
        let Some(&first) = candidates.first() else {
            return Err(self.unknown(typed, city, &qualifiers, named));
        };
        // Spellings of one city (its state written three ways) are one place: each candidate
        // joins the first larger one within reach, and only places far apart are a question.
        let mut clusters: Vec<(&Place, u32)> = Vec::new();
        for &place in &candidates {
            match clusters
                .iter_mut()
                .find(|(head, _)| haversine_km(head.center(), place.center()) <= SAME_PLACE_KM)
            {
                Some((_, sites)) => *sites = sites.saturating_add(place.sites),
                None => clusters.push((place, place.sites)),
            }
        }
        if clusters.len() > 1 {
            clusters.sort_by_key(|(_, sites)| std::cmp::Reverse(*sites));
            let listed: Vec<String> = clusters
                .iter()
                .take(CANDIDATES_SHOWN)
                .map(|(place, sites)| format!("{} ({})", place.full_name(), sites_count(*sites)))
                .collect();
            let more = clusters.len().saturating_sub(CANDIDATES_SHOWN);
            let more = if more > 0 { format!(" and {more} more") } else { String::new() };
            let example = match (first.state.as_deref(), first.country.as_deref()) {
                (Some(state), _) => format!("{}, {state}", first.city),
                (None, Some(country)) => format!("{}, {country}", first.city),
                (None, None) => first.city.to_string(),
            };
            return Err(format!(
                "near: {typed:?} names places far apart: {}{more}; say which with its state or country, \
                 as in near:\"{example}\"",
                listed.join(", ")
            ));
        }
        Ok(near.area_around(first.center(), first.full_name()))
    }

    fn unknown(&self, typed: &str, city: &str, qualifiers: &[&str], named: &[Place]) -> String {
        let coordinates = "or give coordinates, as in near:39.29,-76.61:40km";
        if qualifiers.is_empty() {
            let region = resolve_state(city)
                .map(|state| state.name.to_owned())
                .or_else(|_| resolve_country(city).map(|country| country.name().to_owned()));
            if let Ok(region) = region
                && named.is_empty()
            {
                return format!(
                    "near: {region} is a region, not a place: its sites spread over it; name a city in \
                     it, as in near:\"Baltimore, Maryland\", {coordinates}"
                );
            }
        }
        if !named.is_empty() {
            let mut listed: Vec<&Place> = named.iter().collect();
            listed.sort_by_key(|p| std::cmp::Reverse(p.sites));
            let listed: Vec<String> = listed.iter().take(CANDIDATES_SHOWN).map(|p| p.full_name()).collect();
            return format!(
                "near: no site is in {typed:?}; the sites' places called {city} are {}",
                listed.join(", ")
            );
        }
        format!(
            "near: no site is in a place called {typed:?}; name a city where a study has a site (as the \
             Sites pane writes it), with its state or country when needed, {coordinates}"
        )
    }

    /// Every study with a site within `area`, each with its nearest site there. With `statuses`,
    /// a site's own status must be one of them, where the site has one.
    pub fn nearby(&self, area: &Area, statuses: Option<&[Status]>) -> Nearby {
        let agrees = agreeing(statuses);
        let studies = self.studies as usize;
        let mut km_of = vec![f32::INFINITY; studies];
        let mut locality_of = vec![0u32; studies];
        self.each_cell(area, |cell| {
            let (Some(&start), Some(&end)) = (self.cell_starts.get(cell), self.cell_starts.get(cell + 1))
            else {
                return;
            };
            for locality in start..end {
                let at = locality as usize;
                let (Some(&lat), Some(&lon)) = (self.locality_lat.get(at), self.locality_lon.get(at)) else {
                    continue;
                };
                let km = haversine_km(area.center, GeoPoint { lat: f64::from(lat), lon: f64::from(lon) });
                if km > area.radius_km {
                    continue;
                }
                let (Some(&first), Some(&last)) = (self.site_starts.get(at), self.site_starts.get(at + 1))
                else {
                    continue;
                };
                let sites = first as usize..last as usize;
                let studies = self.site_study.get(sites.clone()).unwrap_or(&[]);
                let codes = self.site_status.get(sites).unwrap_or(&[]);
                for (&study, &code) in studies.iter().zip(codes) {
                    if !agrees.get(usize::from(code)).copied().unwrap_or(true) {
                        continue;
                    }
                    let at = study as usize;
                    if let (Some(best), Some(place)) = (km_of.get_mut(at), locality_of.get_mut(at))
                        && (km as f32) < *best
                    {
                        *best = km as f32;
                        *place = locality;
                    }
                }
            }
        });
        let found = km_of.iter().filter(|km| km.is_finite()).count();
        Nearby { km: km_of, locality: locality_of, found }
    }

    /// Calls `visit` with every cell that may hold a point of `area`.
    fn each_cell(&self, area: &Area, mut visit: impl FnMut(usize)) {
        let angle = area.radius_km / EARTH_RADIUS_KM;
        let dlat = angle.to_degrees() + 0.01;
        let (lat, lon) = (area.center.lat, area.center.lon);
        let (south, north) = (lat - dlat, lat + dlat);
        // The longitudes a spherical cap spans at most; all of them when it reaches a pole.
        let cos = lat.to_radians().cos();
        let all_longitudes = south <= -90.0 || north >= 90.0 || angle.sin() >= cos;
        let dlon = if all_longitudes { 180.0 } else { (angle.sin() / cos).asin().to_degrees() + 0.01 };
        let row_of = |lat: f64| ((lat + 90.0) / CELL_DEGREES).floor().clamp(0.0, (ROWS - 1) as f64) as usize;
        let columns: Vec<usize> = if all_longitudes || dlon >= 180.0 {
            (0..COLUMNS).collect()
        } else {
            let first = ((lon - dlon + 180.0) / CELL_DEGREES).floor() as i64;
            let last = ((lon + dlon + 180.0) / CELL_DEGREES).floor() as i64;
            let wide = COLUMNS as i64;
            let mut columns: Vec<usize> = (first..=last).map(|c| c.rem_euclid(wide) as usize).collect();
            columns.sort_unstable();
            columns.dedup();
            columns
        };
        for row in row_of(south)..=row_of(north) {
            for &column in &columns {
                visit(row * COLUMNS + column);
            }
        }
    }
}

/// Whether a qualifier typed after the city (`Maryland`, `MD`, `France`, `FR`, `Île-de-France`)
/// fits `place`.
fn qualifies(place: &Place, typed: &str) -> bool {
    let wanted = key(typed);
    if place.state.as_deref().is_some_and(|state| key(state) == wanted)
        || place.country.as_deref().is_some_and(|country| key(country) == wanted)
    {
        return true;
    }
    let in_us = place.country.as_deref() == Some("United States");
    if in_us
        && let Ok(state) = resolve_state(typed)
        && place.state.as_deref().is_some_and(|s| state.is_named(s))
    {
        return true;
    }
    resolve_country(typed).is_ok_and(|country| place.country.as_deref().is_some_and(|c| country.is_named(c)))
}

fn sites_count(sites: u32) -> String {
    if sites == 1 { "1 site".into() } else { format!("{sites} sites") }
}

/// What the filters of a query ask of the site index: each `near:` with the statuses its
/// siblings in the same AND ask for (`status:recruiting near:…`), which its sites must agree with.
pub fn near_questions(expr: &Expr) -> Vec<(&Near, Option<Vec<Status>>)> {
    let mut out = Vec::new();
    collect_near(expr, None, &mut out);
    out
}

fn collect_near<'e>(
    expr: &'e Expr,
    statuses: Option<&[Status]>,
    out: &mut Vec<(&'e Near, Option<Vec<Status>>)>,
) {
    match expr {
        Expr::And(parts) => {
            let mut asked: Option<Vec<Status>> = None;
            for part in parts {
                if let Expr::Filter(Filter::Status(list)) = part {
                    asked = Some(match asked {
                        None => list.clone(),
                        Some(before) => before.into_iter().filter(|s| list.contains(s)).collect(),
                    });
                }
            }
            for part in parts {
                collect_near(part, asked.as_deref(), out);
            }
        }
        Expr::Or(parts) => parts.iter().for_each(|part| collect_near(part, None, out)),
        Expr::Not(inner) => collect_near(inner, None, out),
        Expr::Filter(Filter::Near(near)) => out.push((near, statuses.map(<[Status]>::to_vec))),
        Expr::Filter(_) | Expr::Text(_) => {}
    }
}

/// Resolves every `near:` of `expr` against `geo`'s places; the first that names no place (or
/// an ambiguous one) is the query's mistake, pointed at.
pub fn resolve_places(expr: &mut Expr, geo: &Geo) -> Result<(), QueryError> {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => parts.iter_mut().try_for_each(|part| resolve_places(part, geo)),
        Expr::Not(inner) => resolve_places(inner, geo),
        Expr::Filter(Filter::Near(near)) => {
            let area = geo.resolve(near).map_err(|message| QueryError {
                column: near.column.max(1),
                len: near.len.max(1),
                message,
            })?;
            near.area = Some(area);
            Ok(())
        }
        Expr::Filter(_) | Expr::Text(_) => Ok(()),
    }
}

/// The `near:` a list shows distances for: the first in the query, with its sites' statuses to
/// agree with.
pub fn shown_near(expr: &Expr) -> Option<(Area, Option<Vec<Status>>)> {
    near_questions(expr)
        .into_iter()
        .find_map(|(near, statuses)| near.area.clone().map(|area| (area, statuses)))
}

/// One site as it is collected while loading.
#[derive(Debug, Clone, Copy)]
struct RawSite {
    /// The study's index key (see `Summary::index_key`) while loading; its place in the catalog
    /// once [`GeoBuilder::finish`] has found it.
    key: u32,
    place: u32,
    lat: f32,
    lon: f32,
    status: u8,
}

type PlaceName = (Box<str>, Option<Box<str>>, Option<Box<str>>);

#[derive(Default)]
struct Collected {
    /// Each place's id by its name's parts joined with [`SEPARATOR`]: looked up with a borrowed
    /// string, so that a place seen again costs no allocation.
    ids: HashMap<Box<str>, u32>,
    /// By id.
    names: Vec<PlaceName>,
    sites: Vec<RawSite>,
}

/// Between the parts of a place's name in [`Collected::ids`]: a control character no name holds.
const SEPARATOR: char = '\u{1f}';

/// Collects sites while studies are parsed, on any thread.
#[derive(Default)]
pub struct GeoBuilder {
    collected: Mutex<Collected>,
}

impl GeoBuilder {
    /// The study's sites with coordinates; a place the study names twice at one point with
    /// one status is one site (the index answers "which studies", not "how many sites").
    pub fn add(&self, study: &Study, key: u64) {
        let Some(protocol) = study.protocol_section.as_ref() else { return };
        let Ok(key) = u32::try_from(key) else { return };
        let mut seen = std::collections::HashSet::new();
        let located: Vec<_> = protocol
            .contacts_locations_module
            .locations
            .iter()
            .filter_map(|location| {
                let point = location.geo_point?;
                let valid = point.lat.is_finite()
                    && point.lon.is_finite()
                    && (-90.0..=90.0).contains(&point.lat)
                    && (-180.0..=180.0).contains(&point.lon);
                let city = location.city.as_deref().map(str::trim).filter(|c| !c.is_empty())?;
                let (lat, lon) = (point.lat as f32, point.lon as f32);
                let status = status_code(location.status.as_ref());
                let new = seen.insert((
                    city,
                    location.state.as_deref(),
                    location.country.as_deref(),
                    lat.to_bits(),
                    lon.to_bits(),
                    status,
                ));
                (valid && new).then_some((location, city, lat, lon, status))
            })
            .collect();
        if located.is_empty() {
            return;
        }
        let mut name = String::new();
        let Ok(mut collected) = self.collected.lock() else { return };
        for (location, city, lat, lon, status) in located {
            name.clear();
            name.push_str(city);
            name.push(SEPARATOR);
            name.push_str(location.state.as_deref().unwrap_or_default());
            name.push(SEPARATOR);
            name.push_str(location.country.as_deref().unwrap_or_default());
            let place = match collected.ids.get(name.as_str()) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(collected.names.len()).unwrap_or(u32::MAX);
                    collected.ids.insert(name.as_str().into(), id);
                    collected.names.push((
                        city.into(),
                        location.state.as_deref().map(Box::from),
                        location.country.as_deref().map(Box::from),
                    ));
                    id
                }
            };
            collected.sites.push(RawSite { key, place, lat, lon, status });
        }
    }

    /// The gazetteer and index, with each study's key turned into its place in the catalog
    /// (`place_of`); sites of studies not kept (a duplicate dropped) are left out.
    pub fn finish(self, place_of: &HashMap<u64, usize>) -> Geo {
        let Collected { ids, names, mut sites } =
            self.collected.into_inner().unwrap_or_else(|e| e.into_inner());
        drop(ids);
        // Each site's study key becomes the study's place where it lies: a second vector of
        // the whole registry's 6M sites would be 150 MB more at the peak of a first open.
        sites.retain_mut(|site| {
            match place_of.get(&u64::from(site.key)).and_then(|&place| u32::try_from(place).ok()) {
                Some(place) => {
                    site.key = place;
                    true
                }
                None => false,
            }
        });
        // Places: the median point of each, then sorted by city key.
        let mut counts = vec![0u32; names.len()];
        for site in &sites {
            if let Some(count) = counts.get_mut(site.place as usize) {
                *count += 1;
            }
        }
        let mut starts = Vec::with_capacity(counts.len() + 1);
        let mut total = 0u32;
        for count in &counts {
            starts.push(total);
            total += count;
        }
        starts.push(total);
        let mut lats = vec![0f32; sites.len()];
        let mut lons = vec![0f32; sites.len()];
        let mut filled = starts.clone();
        for site in &sites {
            if let Some(slot) = filled.get_mut(site.place as usize) {
                let at = *slot as usize;
                if let (Some(lat), Some(lon)) = (lats.get_mut(at), lons.get_mut(at)) {
                    (*lat, *lon) = (site.lat, site.lon);
                }
                *slot += 1;
            }
        }
        let median = |values: &mut [f32]| -> f64 {
            let middle = values.len() / 2;
            if values.is_empty() {
                return 0.0;
            }
            let (_, value, _) = values.select_nth_unstable_by(middle, f32::total_cmp);
            f64::from(*value)
        };
        let mut places: Vec<(u32, Place)> = Vec::with_capacity(names.len());
        for ((name, id), window) in names.into_iter().zip(0u32..).zip(starts.windows(2)) {
            let (from, to) = match window {
                [from, to] => (*from as usize, *to as usize),
                _ => continue,
            };
            let (city, state, country) = name;
            let (lat, lon) = match (lats.get_mut(from..to), lons.get_mut(from..to)) {
                (Some(lats), Some(lons)) => (median(lats), median(lons)),
                _ => (0.0, 0.0),
            };
            let city_key = key(&city).into();
            places.push((id, Place { city, state, country, lat, lon, sites: (to - from) as u32, city_key }));
        }
        drop((lats, lons));
        places.sort_by(|(_, a), (_, b)| a.city_key.cmp(&b.city_key).then_with(|| b.sites.cmp(&a.sites)));
        let mut renamed = vec![0u32; places.len()];
        for (new, (old, _)) in places.iter().enumerate() {
            if let Some(slot) = renamed.get_mut(*old as usize) {
                *slot = new as u32;
            }
        }
        let places: Vec<Place> = places.into_iter().map(|(_, place)| place).collect();
        // Localities: one place at one point, sorted by cell; each site then belongs to one.
        let mut localities: HashMap<(u32, u32, u32), u32> = HashMap::new();
        let mut locality_of = Vec::with_capacity(sites.len());
        let mut points: Vec<(u32, f32, f32)> = Vec::new();
        for site in &sites {
            let place = renamed.get(site.place as usize).copied().unwrap_or(0);
            let next = points.len() as u32;
            let id =
                *localities.entry((place, site.lat.to_bits(), site.lon.to_bits())).or_insert_with(|| {
                    points.push((place, site.lat, site.lon));
                    next
                });
            locality_of.push(id);
        }
        drop(localities);
        let mut order: Vec<u32> = (0..points.len() as u32).collect();
        order.sort_by_key(|&id| {
            let (_, lat, lon) = points.get(id as usize).copied().unwrap_or((0, 0.0, 0.0));
            (cell_of(f64::from(lat), f64::from(lon)), id)
        });
        let mut sorted_id = vec![0u32; points.len()];
        for (new, &old) in order.iter().enumerate() {
            if let Some(slot) = sorted_id.get_mut(old as usize) {
                *slot = new as u32;
            }
        }
        let mut cell_starts = vec![0u32; ROWS * COLUMNS + 1];
        let mut locality_lat = Vec::with_capacity(points.len());
        let mut locality_lon = Vec::with_capacity(points.len());
        let mut locality_place = Vec::with_capacity(points.len());
        for &old in &order {
            let (place, lat, lon) = points.get(old as usize).copied().unwrap_or((0, 0.0, 0.0));
            if let Some(count) = cell_starts.get_mut(cell_of(f64::from(lat), f64::from(lon)) + 1) {
                *count += 1;
            }
            locality_lat.push(lat);
            locality_lon.push(lon);
            locality_place.push(place);
        }
        for cell in 1..cell_starts.len() {
            let before = cell_starts.get(cell - 1).copied().unwrap_or(0);
            if let Some(count) = cell_starts.get_mut(cell) {
                *count += before;
            }
        }
        // Sites grouped by locality, each group by study.
        let mut keyed: Vec<(u32, u32, u8)> = sites
            .iter()
            .zip(&locality_of)
            .map(|(site, &locality)| {
                (sorted_id.get(locality as usize).copied().unwrap_or(0), site.key, site.status)
            })
            .collect();
        drop(sites);
        drop(locality_of);
        keyed.sort_unstable();
        keyed.dedup();
        let mut site_starts = vec![0u32; points.len() + 1];
        for &(locality, _, _) in &keyed {
            if let Some(count) = site_starts.get_mut(locality as usize + 1) {
                *count += 1;
            }
        }
        for at in 1..site_starts.len() {
            let before = site_starts.get(at - 1).copied().unwrap_or(0);
            if let Some(count) = site_starts.get_mut(at) {
                *count += before;
            }
        }
        let site_study = keyed.iter().map(|&(_, study, _)| study).collect();
        let site_status = keyed.iter().map(|&(_, _, status)| status).collect();
        Geo {
            places,
            cell_starts,
            locality_lat,
            locality_lon,
            locality_place,
            site_starts,
            site_study,
            site_status,
            studies: place_of.values().max().map_or(0, |&max| u32::try_from(max + 1).unwrap_or(u32::MAX)),
        }
    }
}

impl Geo {
    /// Bytes the index and the gazetteer take in memory, about: for the performance figures.
    pub fn heap_bytes(&self) -> usize {
        let places: usize = self
            .places
            .iter()
            .map(|p| {
                std::mem::size_of::<Place>()
                    + p.city.len()
                    + p.city_key.len()
                    + p.state.as_deref().map_or(0, str::len)
                    + p.country.as_deref().map_or(0, str::len)
            })
            .sum();
        places
            + 4 * (self.cell_starts.len()
                + self.locality_lat.len()
                + self.locality_lon.len()
                + self.locality_place.len()
                + self.site_starts.len()
                + self.site_study.len())
            + self.site_status.len()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::parse_study;
    use crate::query::{Query, parse};

    /// A study with sites `(city, state, country, lat, lon, status)`.
    fn study(id: &str, sites: &[(&str, &str, &str, f64, f64, &str)]) -> Study {
        let locations: Vec<String> = sites
            .iter()
            .map(|(city, state, country, lat, lon, status)| {
                let state = if state.is_empty() { String::new() } else { format!(r#""state": "{state}","#) };
                let status = if status.is_empty() { String::new() } else { format!(r#""status": "{status}","#) };
                format!(
                    r#"{{"city": "{city}", {state} {status} "country": "{country}", "geoPoint": {{"lat": {lat}, "lon": {lon}}}}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"protocolSection": {{"identificationModule": {{"nctId": "{id}"}},
                "contactsLocationsModule": {{"locations": [{}]}}}}}}"#,
            locations.join(",")
        );
        parse_study(json.as_bytes()).unwrap()
    }

    fn geo(studies: &[Study]) -> Geo {
        let builder = GeoBuilder::default();
        for (key, study) in studies.iter().enumerate() {
            builder.add(study, key as u64);
        }
        let place_of: HashMap<u64, usize> = (0..studies.len()).map(|k| (k as u64, k)).collect();
        builder.finish(&place_of)
    }

    fn world() -> Geo {
        geo(&[
            study(
                "NCT00000001",
                &[
                    ("Baltimore", "Maryland", "United States", 39.29, -76.61, "RECRUITING"),
                    ("Portland", "Oregon", "United States", 45.52, -122.68, ""),
                ],
            ),
            study(
                "NCT00000002",
                &[
                    ("Portland", "Oregon", "United States", 45.52, -122.68, "COMPLETED"),
                    ("Portland", "Oregon", "United States", 45.53, -122.67, "RECRUITING"),
                    ("Portland", "Maine", "United States", 43.66, -70.26, ""),
                    ("Lyon", "", "France", 45.76, 4.84, "RECRUITING"),
                ],
            ),
            study(
                "NCT00000003",
                &[
                    ("Baltimore", "MD", "United States", 39.30, -76.60, "COMPLETED"),
                    ("Washington", "District of Columbia", "United States", 38.91, -77.04, ""),
                    ("Saint-Étienne", "", "France", 45.43, 4.39, ""),
                ],
            ),
        ])
    }

    fn resolve(geo: &Geo, typed: &str) -> Result<Area, String> {
        let Query::Expr(Expr::Filter(Filter::Near(near))) = parse(&format!("near:{typed:?}")).unwrap() else {
            panic!("{typed}")
        };
        geo.resolve(&near)
    }

    #[test]
    fn places_are_the_median_of_their_sites_counted() {
        let geo = world();
        let portland: Vec<&Place> = geo.places().iter().filter(|p| &*p.city == "Portland").collect();
        assert_eq!(portland.len(), 2);
        let oregon = portland.iter().find(|p| p.state.as_deref() == Some("Oregon")).unwrap();
        assert_eq!(oregon.sites, 3);
        assert!((oregon.lat - 45.52).abs() < 1e-4 && (oregon.lon - -122.68).abs() < 1e-4, "{oregon:?}");
        assert_eq!(oregon.full_name(), "Portland, Oregon, United States");
        assert_eq!(oregon.short_name(), "Portland, Oregon");
    }

    #[test]
    fn names_resolve_with_states_codes_and_country_aliases() {
        let geo = world();
        let area = resolve(&geo, "baltimore, maryland").unwrap();
        assert_eq!(area.place, "Baltimore, Maryland, United States");
        assert!(resolve(&geo, "Baltimore, MD").is_ok());
        assert!(resolve(&geo, "BALTIMORE").is_ok(), "two spellings 1 km apart are one place");
        assert_eq!(resolve(&geo, "Lyon, FR").unwrap().place, "Lyon, France");
        assert_eq!(resolve(&geo, "lyon, france").unwrap().place, "Lyon, France");
        assert!(resolve(&geo, "Saint-Etienne").is_ok(), "accents fold");
        assert_eq!(resolve(&geo, "Portland, ME").unwrap().place, "Portland, Maine, United States");
        assert_eq!(resolve(&geo, "Portland, Oregon, USA").unwrap().place, "Portland, Oregon, United States");
    }

    #[test]
    fn a_name_of_places_far_apart_lists_them_most_sites_first() {
        let message = resolve(&world(), "Portland").unwrap_err();
        assert_eq!(
            message,
            "near: \"Portland\" names places far apart: Portland, Oregon, United States (3 sites), \
             Portland, Maine, United States (1 site); say which with its state or country, as in \
             near:\"Portland, Oregon\""
        );
    }

    #[test]
    fn spellings_of_one_city_are_one_candidate_with_their_sites_summed() {
        let geo = geo(&[study(
            "NCT00000009",
            &[
                ("London", "", "United Kingdom", 51.51, -0.13, ""),
                ("London", "", "United Kingdom", 51.52, -0.12, ""),
                ("London", "England", "United Kingdom", 51.50, -0.14, ""),
                ("London", "Greater London", "United Kingdom", 51.49, -0.10, ""),
                ("London", "Ontario", "Canada", 42.98, -81.25, ""),
            ],
        )]);
        assert_eq!(
            resolve(&geo, "London").unwrap_err(),
            "near: \"London\" names places far apart: London, United Kingdom (4 sites), London, \
             Ontario, Canada (1 site); say which with its state or country, as in near:\"London, United \
             Kingdom\""
        );
        assert_eq!(resolve(&geo, "London, UK").unwrap().place, "London, United Kingdom");
    }

    #[test]
    fn unknown_places_and_regions_say_what_to_give() {
        let geo = world();
        let message = resolve(&geo, "Maryland").unwrap_err();
        assert!(message.starts_with("near: Maryland is a region, not a place"), "{message}");
        assert!(message.contains("name a city in it") && message.contains("coordinates"), "{message}");
        assert!(resolve(&geo, "France").unwrap_err().starts_with("near: France is a region"));
        let message = resolve(&geo, "Atlantis").unwrap_err();
        assert!(message.starts_with("near: no site is in a place called \"Atlantis\""), "{message}");
        let message = resolve(&geo, "Portland, Texas").unwrap_err();
        assert!(message.contains("the sites' places called Portland are Portland, Oregon"), "{message}");
    }

    #[test]
    fn nearby_finds_each_study_nearest_site_and_agrees_with_statuses() {
        let geo = world();
        let baltimore = Area {
            center: GeoPoint { lat: 39.29, lon: -76.61 },
            radius_km: 80.0,
            unit: crate::study::geo::DistanceUnit::Miles,
            place: "b".into(),
        };
        let found = geo.nearby(&baltimore, None);
        assert_eq!(found.places(), [0, 2]);
        assert!(found.of(0).unwrap().km < 0.01);
        let third = found.of(2).unwrap();
        assert!(
            (third.km - haversine_km(baltimore.center, GeoPoint { lat: 39.30, lon: -76.60 })).abs() < 0.01
        );
        assert_eq!(geo.site_place(&third).unwrap().short_name(), "Baltimore, MD");
        // Recruiting: the third study's Baltimore site completed, its Washington site says nothing.
        let recruiting = geo.nearby(&baltimore, Some(&[Status::Recruiting]));
        assert_eq!(recruiting.places(), [0, 2]);
        assert!(recruiting.of(2).unwrap().km > 40.0, "the site that agrees is Washington's");
        let tight = Area { radius_km: 10.0, ..baltimore };
        assert_eq!(geo.nearby(&tight, Some(&[Status::Recruiting])).places(), [0]);
    }

    #[test]
    fn areas_across_the_antimeridian_and_around_a_pole() {
        let geo = geo(&[
            study("NCT00000001", &[("Suva", "", "Fiji", -18.14, 178.44, "")]),
            study("NCT00000002", &[("Apia", "", "Samoa", -13.83, -171.76, "")]),
            study("NCT00000003", &[("Longyearbyen", "", "Norway", 78.22, 15.65, "")]),
        ]);
        let area = |lat: f64, lon: f64, km: f64| Area {
            center: GeoPoint { lat, lon },
            radius_km: km,
            unit: crate::study::geo::DistanceUnit::Kilometres,
            place: String::new(),
        };
        assert_eq!(geo.nearby(&area(-16.0, 179.9, 1500.0), None).places(), [0, 1]);
        assert_eq!(geo.nearby(&area(89.9, -100.0, 1400.0), None).places(), [2]);
        assert_eq!(geo.nearby(&area(0.0, 0.0, 20_000.0), None).len(), 3);
    }

    #[test]
    fn statuses_come_from_the_same_and() {
        let Query::Expr(expr) =
            parse("status:recruiting (near:1,2 OR near:3,4) near:5,6 status:open").unwrap()
        else {
            panic!()
        };
        let asked: Vec<(String, Option<Vec<Status>>)> =
            near_questions(&expr).into_iter().map(|(n, s)| (n.typed.clone(), s)).collect();
        assert_eq!(
            asked,
            [("1,2".into(), None), ("3,4".into(), None), ("5,6".into(), Some(vec![Status::Recruiting]))]
        );
    }
}
