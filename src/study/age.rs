//! `Age`: the registry's ages and durations (`"18 Years"`, `"6 Months"`, `"30 Minutes"`), used
//! for eligibility bounds and a design's target duration, and the one-line reading of an age
//! range. A missing bound means no limit, so it is an `Option<Age>` on the record, never a zero.

use std::fmt;
use std::str::FromStr;

use crate::study::record::EligibilityModule;

/// The unit an age is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeUnit {
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}

impl AgeUnit {
    /// Reads a unit, singular or plural, in any case.
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.to_ascii_lowercase();
        let singular = lower.strip_suffix('s').unwrap_or(&lower);
        match singular {
            "minute" => Some(Self::Minutes),
            "hour" => Some(Self::Hours),
            "day" => Some(Self::Days),
            "week" => Some(Self::Weeks),
            "month" => Some(Self::Months),
            "year" => Some(Self::Years),
            _ => None,
        }
    }

    /// The lower-case name, `"year"` or `"years"`.
    pub fn name(self, plural: bool) -> &'static str {
        match (self, plural) {
            (Self::Minutes, false) => "minute",
            (Self::Minutes, true) => "minutes",
            (Self::Hours, false) => "hour",
            (Self::Hours, true) => "hours",
            (Self::Days, false) => "day",
            (Self::Days, true) => "days",
            (Self::Weeks, false) => "week",
            (Self::Weeks, true) => "weeks",
            (Self::Months, false) => "month",
            (Self::Months, true) => "months",
            (Self::Years, false) => "year",
            (Self::Years, true) => "years",
        }
    }

    /// How many years one of this unit is (a year is 365.25 days, a month a twelfth of it).
    fn years(self) -> f64 {
        const DAY: f64 = 1.0 / 365.25;
        match self {
            Self::Minutes => DAY / (24.0 * 60.0),
            Self::Hours => DAY / 24.0,
            Self::Days => DAY,
            Self::Weeks => 7.0 * DAY,
            Self::Months => 1.0 / 12.0,
            Self::Years => 1.0,
        }
    }
}

/// An age or duration as the registry writes it: a number and a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Age {
    /// Whole in every record seen; a fraction is accepted all the same.
    pub value: f64,
    pub unit: AgeUnit,
}

/// An age string that is not a number followed by a unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an age: {text:?}; expected a number and a unit, such as \"18 Years\" or \"6 Months\"")]
pub struct AgeError {
    /// The text as given.
    pub text: String,
}

impl Age {
    pub fn new(value: f64, unit: AgeUnit) -> Self {
        Self { value, unit }
    }

    /// Reads `"18 Years"`, `"1 year"`, `"6 MONTHS"`, ...
    pub fn parse(text: &str) -> Result<Self, AgeError> {
        let fail = || AgeError { text: text.to_owned() };
        let mut words = text.split_whitespace();
        let (Some(number), Some(unit), None) = (words.next(), words.next(), words.next()) else {
            return Err(fail());
        };
        // f64's parser also takes "inf", "NaN" and "-3", none of which is an age.
        if !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(fail());
        }
        let value: f64 = number.parse().map_err(|_| fail())?;
        let unit = AgeUnit::parse(unit).ok_or_else(fail)?;
        Ok(Self { value, unit })
    }

    /// The age in years, for comparing ages written in different units.
    pub fn in_years(&self) -> f64 {
        self.value * self.unit.years()
    }

    /// The number as it should be shown: `18`, not `18.0`.
    fn number_text(&self) -> String {
        format!("{}", self.value)
    }

    fn unit_text(&self) -> &'static str {
        self.unit.name(self.value != 1.0)
    }
}

impl FromStr for Age {
    type Err = AgeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for Age {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.number_text(), self.unit_text())
    }
}

/// As the registry writes it (`18 years`), which `Deserialize` reads back exactly.
impl serde::Serialize for Age {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Age {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AgeVisitor;

        impl serde::de::Visitor<'_> for AgeVisitor {
            type Value = Age;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an age string such as \"18 Years\"")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Age, E> {
                Age::parse(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(AgeVisitor)
    }
}

/// `"18 to 65 years"`, `"6 months to 17 years"`, `"18 years and over"`, `"up to 17 years"`,
/// `"any age"`.
pub fn age_range_text(minimum: Option<&Age>, maximum: Option<&Age>) -> String {
    match (minimum, maximum) {
        (Some(min), Some(max)) if min.unit == max.unit => format!("{} to {max}", min.number_text()),
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("{min} and over"),
        (None, Some(max)) => format!("up to {max}"),
        (None, None) => "any age".to_owned(),
    }
}

impl EligibilityModule {
    /// The ages a study takes, in one line (see [`age_range_text`]).
    pub fn age_range_text(&self) -> String {
        age_range_text(self.minimum_age.as_ref(), self.maximum_age.as_ref())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn age(text: &str) -> Age {
        Age::parse(text).unwrap()
    }

    #[test]
    fn parses_every_unit_in_any_case_and_number() {
        assert_eq!(age("18 Years"), Age::new(18.0, AgeUnit::Years));
        assert_eq!(age("1 Year"), Age::new(1.0, AgeUnit::Years));
        assert_eq!(age("6 Months"), Age::new(6.0, AgeUnit::Months));
        assert_eq!(age("1 month"), Age::new(1.0, AgeUnit::Months));
        assert_eq!(age("4 WEEKS"), Age::new(4.0, AgeUnit::Weeks));
        assert_eq!(age("3 Days"), Age::new(3.0, AgeUnit::Days));
        assert_eq!(age("12 Hours"), Age::new(12.0, AgeUnit::Hours));
        assert_eq!(age("30 Minutes"), Age::new(30.0, AgeUnit::Minutes));
        assert_eq!(age(" 2.5  years "), Age::new(2.5, AgeUnit::Years));
    }

    #[test]
    fn rejects_what_is_not_an_age_naming_the_text() {
        for bad in [
            "",
            "18",
            "Years",
            "N/A",
            "18 Yrs",
            "eighteen Years",
            "-3 Years",
            "inf Years",
            "NaN Days",
            "18 Years old",
            "1.2.3 Years",
        ] {
            let error = Age::parse(bad).expect_err(bad);
            assert_eq!(error.text, bad);
            assert!(error.to_string().contains(&format!("{bad:?}")), "{error}");
        }
        let error = serde_json::from_str::<Age>("\"18 Yrs\"").unwrap_err();
        assert!(error.to_string().contains("18 Yrs"), "{error}");
        assert!(serde_json::from_str::<Age>("18").is_err());
    }

    #[test]
    fn converts_to_years() {
        assert_eq!(age("18 Years").in_years(), 18.0);
        assert_eq!(age("6 Months").in_years(), 0.5);
        assert!((age("365 Days").in_years() - 0.9993).abs() < 0.001);
        assert!(age("30 Minutes").in_years() < age("1 Hour").in_years());
        assert!(age("4 Weeks").in_years() < age("1 Month").in_years());
    }

    #[test]
    fn displays_in_lower_case_with_number_agreement() {
        assert_eq!(age("18 Years").to_string(), "18 years");
        assert_eq!(age("1 Year").to_string(), "1 year");
        assert_eq!(age("6 MONTHS").to_string(), "6 months");
        assert_eq!(age("1.5 Days").to_string(), "1.5 days");
    }

    #[test]
    fn reads_an_age_range() {
        let text = |min: Option<&str>, max: Option<&str>| {
            EligibilityModule {
                minimum_age: min.map(age),
                maximum_age: max.map(age),
                ..EligibilityModule::default()
            }
            .age_range_text()
        };
        assert_eq!(text(Some("18 Years"), Some("65 Years")), "18 to 65 years");
        assert_eq!(text(Some("18 Years"), None), "18 years and over");
        assert_eq!(text(None, Some("17 Years")), "up to 17 years");
        assert_eq!(text(None, None), "any age");
        assert_eq!(text(Some("6 Months"), Some("17 Years")), "6 months to 17 years");
        assert_eq!(text(Some("1 Year"), None), "1 year and over");
    }
}
