//! `PartialDate`: the registry's dates, which are a year and month as often as a full day
//! (`"2015-04"`, `"2015-04-12"`), and once in a while carry a time (`uploadDate` is
//! `"2019-05-03T10:41"`). No date crate holds a date with a missing day, so this type does.

use std::fmt;
use std::str::FromStr;

/// A date that may lack its day, or its month and day.
///
/// Ordering is by year, then month, then day, with a missing part sorting before any present
/// one: `2015` < `2015-01` < `2015-01-05` < `2015-02`. A less precise date therefore sorts at
/// the start of the span it covers, which keeps sorting total and stable; filters that need
/// "does this month fall in a range" should compare against `first_day` / `last_day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: u16,
    /// 1 to 12.
    pub month: Option<u8>,
    /// 1 to the month's length; only present with a month.
    pub day: Option<u8>,
}

/// A date string that is not a registry date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date: {text:?} ({reason}); expected YYYY, YYYY-MM or YYYY-MM-DD")]
pub struct DateError {
    /// The text as given.
    pub text: String,
    reason: &'static str,
}

impl PartialDate {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a time after a `T` is ignored.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let fail = |reason| DateError { text: text.to_owned(), reason };
        let trimmed = text.trim();
        // The time of day is never shown or compared, so it is dropped rather than kept.
        let date_part = trimmed.split_once('T').map_or(trimmed, |(date, _time)| date);
        let mut parts = date_part.split('-');
        let year_text = parts.next().ok_or_else(|| fail("empty"))?;
        if year_text.len() != 4 {
            return Err(fail("the year needs four digits"));
        }
        let year: u16 = parse_digits(year_text).ok_or_else(|| fail("the year is not a number"))?;
        let month = match parts.next() {
            None => None,
            Some(month_text) => {
                let month: u8 = parse_digits(month_text)
                    .filter(|_| month_text.len() <= 2)
                    .ok_or_else(|| fail("the month is not a number"))?;
                if !(1..=12).contains(&month) {
                    return Err(fail("the month is not 1 to 12"));
                }
                Some(month)
            }
        };
        let day = match (parts.next(), month) {
            (None, _) => None,
            (Some(_), None) => return Err(fail("a day without a month")),
            (Some(day_text), Some(month)) => {
                let day: u8 = parse_digits(day_text)
                    .filter(|_| day_text.len() <= 2)
                    .ok_or_else(|| fail("the day is not a number"))?;
                if day == 0 || day > days_in_month(year, month) {
                    return Err(fail("no such day in that month"));
                }
                Some(day)
            }
        };
        if parts.next().is_some() {
            return Err(fail("too many parts"));
        }
        Ok(Self { year, month, day })
    }

    /// The earliest full date this date covers (`2015-04` gives `2015-04-01`).
    pub fn first_day(&self) -> Self {
        Self { year: self.year, month: Some(self.month.unwrap_or(1)), day: Some(self.day.unwrap_or(1)) }
    }

    /// The latest full date this date covers (`2015-02` gives `2015-02-28`).
    pub fn last_day(&self) -> Self {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        Self { year: self.year, month: Some(month), day: Some(day) }
    }
}

/// How dates are written for a reader, in the app and `nct show`. Machine outputs (JSON, CSV,
/// RIS, the query language) keep the registry's form whatever the setting, so scripts never
/// see a date they must guess the order of. A date without its day or month is written with
/// what it has in each style (`Mar 2024`, `03/2024`), never with an invented day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateStyle {
    /// `2024-03-05`, `2024-03`: as the registry writes them.
    #[default]
    Iso,
    /// `5 Mar 2024`, `Mar 2024`.
    Long,
    /// `03/05/2024`, `03/2024`.
    Us,
    /// `05.03.2024`, `03.2024`: dots, so that a day first is never read as an American month.
    Eu,
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl DateStyle {
    /// Every style with the name the settings use for it.
    pub const ALL: [(&'static str, DateStyle); 4] =
        [("iso", DateStyle::Iso), ("long", DateStyle::Long), ("us", DateStyle::Us), ("eu", DateStyle::Eu)];

    /// The style a settings name means (`"iso"`, `"long"`, `"us"`, `"eu"`, any case).
    pub fn named(name: &str) -> Option<DateStyle> {
        DateStyle::ALL.iter().find(|(known, _)| known.eq_ignore_ascii_case(name.trim())).map(|&(_, s)| s)
    }

    /// The settings name of the style.
    pub fn name(self) -> &'static str {
        DateStyle::ALL.iter().find(|(_, s)| *s == self).map_or("iso", |(name, _)| name)
    }
}

impl PartialDate {
    /// The date as a reader wants it, in `style`.
    pub fn written(&self, style: DateStyle) -> String {
        let year = self.year;
        match (style, self.month, self.day) {
            (DateStyle::Iso, ..) | (_, None, _) => self.to_string(),
            (DateStyle::Long, Some(month), day) => {
                let name = MONTHS.get(usize::from(month).saturating_sub(1)).copied().unwrap_or("?");
                match day {
                    Some(day) => format!("{day} {name} {year}"),
                    None => format!("{name} {year}"),
                }
            }
            (DateStyle::Us, Some(month), Some(day)) => format!("{month:02}/{day:02}/{year:04}"),
            (DateStyle::Us, Some(month), None) => format!("{month:02}/{year:04}"),
            (DateStyle::Eu, Some(month), Some(day)) => format!("{day:02}.{month:02}.{year:04}"),
            (DateStyle::Eu, Some(month), None) => format!("{month:02}.{year:04}"),
        }
    }
}

/// Only ASCII digits: `u16::from_str` would also take a leading `+`.
fn parse_digits<T: FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

/// As the registry writes it (`2015-04`) in text formats; in binary ones (the catalog cache) as
/// one number, `YYYYMMDD` with 0 for a missing month or day, which is quicker to read back.
impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.collect_str(self)
        } else {
            let (month, day) = (u32::from(self.month.unwrap_or(0)), u32::from(self.day.unwrap_or(0)));
            serializer.serialize_u32(u32::from(self.year) * 10_000 + month * 100 + day)
        }
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl serde::de::Visitor<'_> for DateVisitor {
            type Value = PartialDate;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date string such as \"2015-04\"")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<PartialDate, E> {
                PartialDate::parse(text).map_err(E::custom)
            }

            fn visit_u32<E: serde::de::Error>(self, packed: u32) -> Result<PartialDate, E> {
                let part = |n: u32| u8::try_from(n).ok().filter(|&n| n != 0);
                let year = u16::try_from(packed / 10_000).map_err(E::custom)?;
                let (month, day) = (part(packed / 100 % 100), part(packed % 100));
                Ok(PartialDate { year, month, day: month.and(day) })
            }
        }

        if deserializer.is_human_readable() {
            deserializer.deserialize_str(DateVisitor)
        } else {
            deserializer.deserialize_u32(DateVisitor)
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn dates_round_trip_through_text_and_binary_forms() {
        for text in ["2015", "2015-04", "2015-04-12", "1999-12-31"] {
            let d = date(text);
            assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<PartialDate>(&format!("\"{text}\"")).unwrap(), d);
            let bytes = postcard::to_stdvec(&d).unwrap();
            assert_eq!(postcard::from_bytes::<PartialDate>(&bytes).unwrap(), d, "{text}");
        }
    }

    #[test]
    fn parses_each_precision() {
        assert_eq!(date("2015"), PartialDate { year: 2015, month: None, day: None });
        assert_eq!(date("2015-04"), PartialDate { year: 2015, month: Some(4), day: None });
        assert_eq!(date("2015-04-12"), PartialDate { year: 2015, month: Some(4), day: Some(12) });
        assert_eq!(date("2019-05-03T10:41"), date("2019-05-03"));
        assert_eq!(date("2024-02-29").day, Some(29));
    }

    #[test]
    fn rejects_nonsense_naming_the_text() {
        for bad in [
            "",
            "soon",
            "15",
            "2015-13",
            "2015-00",
            "2015-04-32",
            "2015-02-29",
            "2015-04-00",
            "2015-4-1-1",
            "+015",
            "2015-+4",
            "2015--01",
            "2015-04-12x",
            "1900-02-29",
        ] {
            let error = PartialDate::parse(bad).expect_err(bad);
            assert_eq!(error.text, bad);
            assert!(error.to_string().contains(&format!("{bad:?}")), "{error}");
        }
    }

    #[test]
    fn orders_less_precise_first() {
        let mut dates =
            [date("2015-02"), date("2015-01-05"), date("2014-12-31"), date("2015-01"), date("2015")];
        dates.sort();
        let shown: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2014-12-31", "2015", "2015-01", "2015-01-05", "2015-02"]);
        assert!(date("2015-10") > date("2015-09-30"));
    }

    #[test]
    fn displays_as_the_registry_writes() {
        for text in ["2015", "2015-04", "2015-04-02", "0999-01"] {
            assert_eq!(date(text).to_string(), text);
        }
        assert_eq!(date("2019-05-03T10:41").to_string(), "2019-05-03");
    }

    #[test]
    fn spans_of_a_partial_date() {
        assert_eq!(date("2016-02").last_day(), date("2016-02-29"));
        assert_eq!(date("2015").first_day(), date("2015-01-01"));
        assert_eq!(date("2015").last_day(), date("2015-12-31"));
        assert_eq!(date("2015-06-07").last_day(), date("2015-06-07"));
    }

    #[test]
    fn deserializes_from_a_string_only() {
        let parsed: PartialDate = serde_json::from_str("\"2015-04\"").unwrap();
        assert_eq!(parsed, date("2015-04"));
        let error = serde_json::from_str::<PartialDate>("\"2015-13-01\"").unwrap_err();
        assert!(error.to_string().contains("2015-13-01"), "{error}");
        assert!(serde_json::from_str::<PartialDate>("2015").is_err());
    }

    #[test]
    fn each_style_writes_full_and_partial_dates() {
        let cases = [
            ("2024-03-05", ["2024-03-05", "5 Mar 2024", "03/05/2024", "05.03.2024"]),
            ("2024-03", ["2024-03", "Mar 2024", "03/2024", "03.2024"]),
            ("2024", ["2024", "2024", "2024", "2024"]),
            ("2015-12-31", ["2015-12-31", "31 Dec 2015", "12/31/2015", "31.12.2015"]),
        ];
        for (text, expected) in cases {
            let written: Vec<String> = DateStyle::ALL.iter().map(|&(_, s)| date(text).written(s)).collect();
            assert_eq!(written, expected, "{text}");
        }
    }

    #[test]
    fn styles_are_named_as_the_settings_write_them() {
        for (name, style) in DateStyle::ALL {
            assert_eq!(DateStyle::named(name), Some(style));
            assert_eq!(style.name(), name);
        }
        assert_eq!(DateStyle::named(" Long "), Some(DateStyle::Long));
        assert_eq!(DateStyle::named("european"), None);
        assert_eq!(DateStyle::default(), DateStyle::Iso, "the registry's form unless asked");
    }
}
