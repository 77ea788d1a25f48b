//! Distances as people read them: "12.3 mi", "153 km", in the unit the user typed the radius
//! in. A tenth is kept under a hundred, where it tells two nearby sites apart; beyond, it is
//! noise next to a city's extent.

use crate::study::geo::DistanceUnit;

/// `km` written in `unit`: "12.3 mi", "0.4 km", "153 mi".
pub fn written(km: f64, unit: DistanceUnit) -> String {
    let value = unit.from_km(km);
    if value < 99.95 {
        format!("{value:.1} {}", unit.symbol())
    } else {
        format!("{value:.0} {}", unit.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::study::geo::KM_PER_MILE;

    #[test]
    fn tenths_under_a_hundred_whole_beyond() {
        assert_eq!(written(12.34 * KM_PER_MILE, DistanceUnit::Miles), "12.3 mi");
        assert_eq!(written(0.0, DistanceUnit::Kilometres), "0.0 km");
        assert_eq!(written(99.96, DistanceUnit::Kilometres), "100 km");
        assert_eq!(written(1234.4, DistanceUnit::Kilometres), "1234 km");
    }
}
