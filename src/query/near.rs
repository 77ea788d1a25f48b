//! `near:PLACE[:RADIUS]`: the value of the distance filter, as typed. This file owns reading it
//! (`near:Baltimore`, `near:"Baltimore, Maryland":25mi`, `near:"Lyon, France":50km`,
//! `near:39.29,-76.61:40km`) and the messages for a radius or coordinates that are no such
//! thing. A named place is resolved later, by the catalog, from the places its sites name
//! (`catalog::geo`): the query knows no places but countries and US states. Coordinates are an
//! area at once.
//!
//! The radius is miles when no unit is given, and 50 miles when no radius is given, as the
//! registry's website does. It must be more than nothing and at most half the Earth's
//! circumference, beyond which every site is near.

use crate::study::geo::{Area, DistanceUnit, EARTH_RADIUS_KM, GeoPoint, KM_PER_MILE};

/// The radius when none is typed: the website's.
pub const DEFAULT_RADIUS_MILES: f64 = 50.0;

/// What `near:` asks about.
#[derive(Debug, Clone, PartialEq)]
pub struct Near {
    /// The place as typed, trimmed (`Baltimore, Maryland`), or the coordinates as typed.
    pub typed: String,
    /// Coordinates typed, when they were.
    pub point: Option<GeoPoint>,
    /// The radius in the unit typed.
    pub radius: f64,
    pub unit: DistanceUnit,
    /// The area asked about: set at once for coordinates, by the catalog for a named place
    /// (see `catalog::geo`); a filter left without one matches no study.
    pub area: Option<Area>,
    /// Where the value is in the query (1-based column and length, in chars), so that a place
    /// the catalog cannot resolve is pointed at like any other mistake.
    pub column: usize,
    pub len: usize,
}

impl Near {
    /// The radius in kilometres.
    pub fn radius_km(&self) -> f64 {
        match self.unit {
            DistanceUnit::Miles => self.radius * KM_PER_MILE,
            DistanceUnit::Kilometres => self.radius,
        }
    }

    /// The area around `center`, named `place`.
    pub fn area_around(&self, center: GeoPoint, place: String) -> Area {
        Area { center, radius_km: self.radius_km(), unit: self.unit, place }
    }
}

/// Reads `near:`'s value; the error says what was expected.
pub fn parse_near(value: &str) -> Result<Near, String> {
    let value = value.trim();
    let (place, radius) = match value.rsplit_once(':') {
        Some((place, radius)) => (place.trim(), Some(radius.trim())),
        None => (value, None),
    };
    let (radius, unit) = match radius {
        Some(radius) => parse_radius(radius)?,
        None => (DEFAULT_RADIUS_MILES, DistanceUnit::Miles),
    };
    if !place.chars().any(char::is_alphanumeric) {
        return Err(format!(
            "near: expected a place before the radius, as in near:\"Baltimore, Maryland\":25mi; not {value:?}"
        ));
    }
    let point = coordinates(place)?;
    let mut near = Near { typed: place.to_owned(), point, radius, unit, area: None, column: 0, len: 0 };
    if let Some(point) = point {
        near.area = Some(near.area_around(point, format!("{}, {}", point.lat, point.lon)));
    }
    Ok(near)
}

/// `25mi`, `25 miles`, `40km`, `12.5` (miles).
fn parse_radius(text: &str) -> Result<(f64, DistanceUnit), String> {
    let digits_end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let unit = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "mi" | "mile" | "miles" => Some(DistanceUnit::Miles),
        "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => {
            Some(DistanceUnit::Kilometres)
        }
        _ => None,
    };
    let radius = plain_number(number);
    let (Some(radius), Some(unit)) = (radius, unit) else {
        return Err(format!(
            "near: the radius {text:?} is not a distance; write it as 25mi or 40km after the place \
             (miles when no unit is given), as in near:Baltimore:25mi"
        ));
    };
    let half_earth_km = std::f64::consts::PI * EARTH_RADIUS_KM;
    let km = match unit {
        DistanceUnit::Miles => radius * KM_PER_MILE,
        DistanceUnit::Kilometres => radius,
    };
    if radius <= 0.0 || km > half_earth_km {
        return Err(format!(
            "near: the radius {text:?} is out of range: give more than 0 and at most {:.0}{} (half \
             the Earth's circumference, beyond which every site is near)",
            unit.from_km(half_earth_km).floor(),
            unit.symbol()
        ));
    }
    Ok((radius, unit))
}

/// A plain decimal number, without sign, exponent, `inf` or `NaN`.
fn plain_number(text: &str) -> Option<f64> {
    let plain = text.bytes().any(|b| b.is_ascii_digit())
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && text.bytes().filter(|&b| b == b'.').count() <= 1;
    if plain { text.parse().ok() } else { None }
}

/// `39.29,-76.61` as a point; `None` for a name; an error for coordinates out of range.
fn coordinates(place: &str) -> Result<Option<GeoPoint>, String> {
    let Some((lat, lon)) = place.split_once(',') else { return Ok(None) };
    let signed = |text: &str| {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        plain_number(digits).map(|n| if negative { -n } else { n })
    };
    let (Some(lat), Some(lon)) = (signed(lat), signed(lon)) else {
        // A name with a comma in it (`Baltimore, MD`), unless it starts like a number.
        if place.trim_start().starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+') {
            return Err(format!(
                "near: {place:?} is neither a place nor coordinates; give coordinates as latitude,longitude \
                 in degrees, as in near:39.29,-76.61:40km"
            ));
        }
        return Ok(None);
    };
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!(
            "near: the latitude {lat} is out of range: it is between -90 and 90 (south to north); \
             give latitude first, then longitude, as in near:39.29,-76.61"
        ));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!(
            "near: the longitude {lon} is out of range: it is between -180 and 180 (west to east), \
             as in near:39.29,-76.61"
        ));
    }
    Ok(Some(GeoPoint { lat, lon }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_place_alone_is_fifty_miles() {
        let near = parse_near("Baltimore").unwrap();
        assert_eq!(near.typed, "Baltimore");
        assert_eq!((near.radius, near.unit), (50.0, DistanceUnit::Miles));
        assert!((near.radius_km() - 80.4672).abs() < 1e-9);
        assert_eq!(near.point, None);
        assert_eq!(near.area, None, "a name waits for the catalog");
    }

    #[test]
    fn radii_in_miles_or_kilometres() {
        let near = parse_near("Baltimore, Maryland:25mi").unwrap();
        assert_eq!(
            (near.typed.as_str(), near.radius, near.unit),
            ("Baltimore, Maryland", 25.0, DistanceUnit::Miles)
        );
        let near = parse_near("Lyon, France:50km").unwrap();
        assert_eq!((near.radius, near.unit), (50.0, DistanceUnit::Kilometres));
        assert_eq!(parse_near("Paris:12.5").unwrap().radius, 12.5);
        assert_eq!(parse_near("Paris:10 miles").unwrap().unit, DistanceUnit::Miles);
    }

    #[test]
    fn coordinates_are_an_area_at_once() {
        let near = parse_near("39.29,-76.61:40km").unwrap();
        assert_eq!(near.point, Some(GeoPoint { lat: 39.29, lon: -76.61 }));
        let area = near.area.unwrap();
        assert_eq!(area.radius_km, 40.0);
        assert_eq!(area.place, "39.29, -76.61");
        assert!(parse_near(" -33.9 , +151.2 ").unwrap().point.is_some());
    }

    #[test]
    fn bad_radii_and_coordinates_say_what_is_expected() {
        for bad in ["Paris:far", "Paris:25ft", "Paris:-3km", "Paris:1e3", "Paris:"] {
            let message = parse_near(bad).unwrap_err();
            assert!(message.starts_with("near: the radius"), "{bad}: {message}");
            assert!(message.contains("25mi or 40km"), "{bad}: {message}");
        }
        for bad in ["Paris:0mi", "Paris:30000km", "Paris:13000mi"] {
            let message = parse_near(bad).unwrap_err();
            assert!(message.contains("out of range"), "{bad}: {message}");
            assert!(message.contains("at most"), "{bad}: {message}");
        }
        assert!(parse_near("95,10").unwrap_err().starts_with("near: the latitude 95 is out of range"));
        assert!(parse_near("10,-190").unwrap_err().starts_with("near: the longitude -190 is out of range"));
        assert!(parse_near("39.2,x").unwrap_err().contains("neither a place nor coordinates"));
        assert!(parse_near(":25mi").unwrap_err().contains("expected a place before the radius"));
        assert_eq!(parse_near("Baltimore, MD").unwrap().point, None);
    }
}
