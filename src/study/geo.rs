//! Places on the Earth: a site's coordinates, great-circle distances between them, and an area
//! (a centre and a radius) that `near:` asks about. Distances are haversine on a sphere of the
//! Earth's mean radius: within half a percent of the ellipsoid, which is finer than a city's
//! extent, the size of the error that matters when a place is named.

pub use super::record::GeoPoint;

/// The Earth's mean radius (IUGG), in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Kilometres in a statute mile.
pub const KM_PER_MILE: f64 = 1.609_344;

/// The great-circle distance between two points, in kilometres.
pub fn haversine_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let half_dlat = (lat2 - lat1) / 2.0;
    let half_dlon = (b.lon - a.lon).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat1.cos() * lat2.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// The unit distances are written in: the one the user typed the radius in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DistanceUnit {
    /// Miles, as the registry's website uses.
    #[default]
    Miles,
    Kilometres,
}

impl DistanceUnit {
    /// `km` in this unit.
    pub fn from_km(self, km: f64) -> f64 {
        match self {
            DistanceUnit::Miles => km / KM_PER_MILE,
            DistanceUnit::Kilometres => km,
        }
    }

    /// The unit's symbol: "mi" or "km".
    pub fn symbol(self) -> &'static str {
        match self {
            DistanceUnit::Miles => "mi",
            DistanceUnit::Kilometres => "km",
        }
    }
}

/// An area `near:` asks about, resolved: every point within `radius_km` of `center`.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub center: GeoPoint,
    pub radius_km: f64,
    /// The unit the radius was typed in, for writing distances back.
    pub unit: DistanceUnit,
    /// The place as resolved, for messages and headings: "Baltimore, Maryland, United States",
    /// or the coordinates as typed.
    pub place: String,
}

impl Area {
    /// Whether `point` lies within the area (on its edge counts).
    pub fn contains(&self, point: GeoPoint) -> bool {
        haversine_km(self.center, point) <= self.radius_km
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_between_known_cities() {
        let baltimore = GeoPoint { lat: 39.2904, lon: -76.6122 };
        let washington = GeoPoint { lat: 38.9072, lon: -77.0369 };
        let paris = GeoPoint { lat: 48.8566, lon: 2.3522 };
        let lyon = GeoPoint { lat: 45.764, lon: 4.8357 };
        // Published great-circle distances: Baltimore–Washington 56 km, Paris–Lyon 392 km.
        assert!((haversine_km(baltimore, washington) - 56.0).abs() < 1.5);
        assert!((haversine_km(paris, lyon) - 392.0).abs() < 2.0);
        assert_eq!(haversine_km(paris, paris), 0.0);
        let antipode = GeoPoint { lat: -48.8566, lon: 2.3522 - 180.0 };
        assert!((haversine_km(paris, antipode) - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
    }

    #[test]
    fn an_area_holds_its_edge_and_units_convert() {
        let area = Area {
            center: GeoPoint { lat: 0.0, lon: 0.0 },
            radius_km: 111.2,
            unit: DistanceUnit::Kilometres,
            place: "0, 0".into(),
        };
        assert!(area.contains(GeoPoint { lat: 1.0, lon: 0.0 }));
        assert!(!area.contains(GeoPoint { lat: 1.01, lon: 0.0 }));
        assert!((DistanceUnit::Miles.from_km(KM_PER_MILE * 25.0) - 25.0).abs() < 1e-9);
        assert_eq!(DistanceUnit::Kilometres.symbol(), "km");
    }
}
