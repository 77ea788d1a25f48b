//! Whether a profile's value meets a threshold read from a criterion: what each measure is, the
//! units it is written in and how they convert, and the comparison once both sides are in one
//! unit.
//!
//! Units convert only where the conversion is fixed: counts (×10⁹/L = ×10³/µL = G/L; 1 ×10⁹/L =
//! 1,000/µL = 1,000/mm³), haemoglobin (g/dL, g/L, and mmol/L at 1.611 g/dL a mmol/L), creatinine
//! (mg/dL = 88.4 µmol/L), bilirubin (mg/dL = 17.1 µmol/L), albumin (g/dL, g/L), glucose (mg/dL =
//! 1/18.016 mmol/L), HbA1c (% and mmol/mol, by the IFCC line), testosterone (ng/dL, nmol/L at
//! 28.84), weight (kg, lb), time for ages. A multiple of the upper (or lower) limit of normal
//! compares only with a value written as a multiple of the same limit: the limit is the
//! laboratory's own. ECOG (and the WHO scale, which is the same) converts to and from Karnofsky
//! by the usual table (ECOG 0 = KPS 90-100, 1 = 70-80, 2 = 50-60, 3 = 30-40, 4 = 10-20, 5 = 0);
//! a KPS range that straddles a threshold is unknown.
//!
//! A threshold written without a unit takes one of its measure's units only when the number is
//! unambiguous: each measure lists the range a bare number may have in each unit ("ANC ≥ 1500"
//! is /µL, "ANC ≥ 1.5" is ×10⁹/L, "haemoglobin ≥ 9" is g/dL), and a number in none or in two of
//! them is unknown.

use serde::{Deserialize, Serialize};

use super::profile::Profile;
use crate::study::threshold::{Comparator, Threshold};

/// What a profile says about one threshold, as written (whether the criterion is an inclusion
/// or an exclusion is the caller's to read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judgement {
    /// The profile's value lies within the threshold.
    Within,
    /// The profile's value lies outside it.
    Outside,
    /// The profile lacks the value, or it cannot be compared (units that do not convert).
    Unknown,
}

/// Units that convert into one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Age,
    Performance,
    Karnofsky,
    Count,
    Haemoglobin,
    Creatinine,
    Bilirubin,
    Clearance,
    Enzyme,
    Albumin,
    Glucose,
    HbA1c,
    Electrolyte,
    Ratio,
    Percent,
    Milliseconds,
    Weight,
    Bmi,
    Pressure,
    Rate,
    Psa,
    Testosterone,
    Tsh,
}

/// Whether a value is absolute or a multiple of the laboratory's normal limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scale {
    Absolute,
    /// × the upper limit of normal.
    Uln,
    /// × the lower limit of normal.
    Lln,
}

/// One unit: the names it is written with (as [`normalize`] leaves them) and how it converts
/// to its family's first unit (`value × factor + offset`).
struct Unit {
    family: Family,
    shown: &'static str,
    names: &'static [&'static str],
    factor: f64,
    offset: f64,
}

const fn unit(family: Family, shown: &'static str, names: &'static [&'static str], factor: f64) -> Unit {
    Unit { family, shown, names, factor, offset: 0.0 }
}

/// Every unit, each family's first being the one values are compared in.
const UNITS: &[Unit] = &[
    unit(Family::Age, "years", &["", "years", "year", "yrs", "yr", "y", "y/o"], 1.0),
    unit(Family::Age, "months", &["months", "month", "mo"], 1.0 / 12.0),
    unit(Family::Age, "weeks", &["weeks", "week", "wk", "wks"], 7.0 / 365.25),
    unit(Family::Age, "days", &["days", "day", "d"], 1.0 / 365.25),
    unit(Family::Performance, "", &[""], 1.0),
    unit(Family::Karnofsky, "%", &["", "%"], 1.0),
    unit(
        Family::Count,
        "x10^9/L",
        &["10^9/l", "g/l", "10^3/ul", "10^3/mm^3", "k/ul", "thou/ul", "10^3/l"],
        1.0,
    ),
    unit(Family::Count, "/µL", &["/ul", "/mm^3", "ul", "mm^3", "10^6/l"], 0.001),
    unit(Family::Haemoglobin, "g/dL", &["g/dl", "g%"], 1.0),
    unit(Family::Haemoglobin, "g/L", &["g/l"], 0.1),
    unit(Family::Haemoglobin, "mmol/L", &["mmol/l"], 1.611),
    unit(Family::Creatinine, "mg/dL", &["mg/dl", "mg%"], 1.0),
    unit(Family::Creatinine, "µmol/L", &["umol/l"], 1.0 / 88.4),
    unit(Family::Creatinine, "mg/L", &["mg/l"], 0.1),
    unit(Family::Bilirubin, "mg/dL", &["mg/dl", "mg%"], 1.0),
    unit(Family::Bilirubin, "µmol/L", &["umol/l"], 1.0 / 17.1),
    unit(Family::Clearance, "mL/min", &["ml/min"], 1.0),
    // estimated GFR per 1.73 m² and clearance per minute are compared as written, as protocols
    // write them interchangeably
    unit(Family::Clearance, "mL/min/1.73 m²", &["ml/min/1.73m^2", "ml/min/1.73", "ml/min/1.73m"], 1.0),
    unit(Family::Clearance, "mL/s", &["ml/s", "ml/sec"], 60.0),
    unit(Family::Enzyme, "U/L", &["u/l", "iu/l"], 1.0),
    unit(Family::Enzyme, "µkat/L", &["ukat/l"], 60.0),
    unit(Family::Albumin, "g/dL", &["g/dl"], 1.0),
    unit(Family::Albumin, "g/L", &["g/l"], 0.1),
    unit(Family::Glucose, "mg/dL", &["mg/dl"], 1.0),
    unit(Family::Glucose, "mmol/L", &["mmol/l"], 18.016),
    unit(Family::HbA1c, "%", &["%", "percent"], 1.0),
    Unit { family: Family::HbA1c, shown: "mmol/mol", names: &["mmol/mol"], factor: 0.09148, offset: 2.152 },
    unit(Family::Electrolyte, "mmol/L", &["mmol/l", "meq/l"], 1.0),
    unit(Family::Ratio, "", &[""], 1.0),
    unit(Family::Percent, "%", &["%", "percent"], 1.0),
    unit(Family::Milliseconds, "ms", &["ms", "msec", "millisecond", "milliseconds"], 1.0),
    unit(Family::Weight, "kg", &["kg", "kgs", "kilograms"], 1.0),
    unit(Family::Weight, "lb", &["lb", "lbs", "pound", "pounds"], 0.453_592_37),
    unit(Family::Bmi, "kg/m²", &["kg/m^2", "kg/m"], 1.0),
    unit(Family::Pressure, "mmHg", &["mmhg"], 1.0),
    unit(Family::Rate, "bpm", &["bpm", "beats/min", "/min", "beats/minute"], 1.0),
    unit(Family::Psa, "ng/mL", &["ng/ml", "ug/l"], 1.0),
    unit(Family::Testosterone, "ng/dL", &["ng/dl"], 1.0),
    unit(Family::Testosterone, "nmol/L", &["nmol/l"], 28.84),
    unit(Family::Testosterone, "ng/mL", &["ng/ml"], 100.0),
    unit(Family::Testosterone, "pg/mL", &["pg/ml"], 0.1),
    unit(Family::Tsh, "mIU/L", &["miu/l", "uiu/ml", "mu/l"], 1.0),
];

/// One measure a profile may hold and thresholds may name.
pub struct Measure {
    /// The profile's key (`anc=1.8 x10^9/L`).
    pub key: &'static str,
    /// Other keys accepted for it.
    pub aliases: &'static [&'static str],
    /// The names `study::threshold` gives it.
    pub what: &'static [&'static str],
    family: Family,
    /// Units a bare number may be in, with the range it then has (both ends included).
    bare: &'static [(&'static str, f64, f64)],
}

const fn measure(
    key: &'static str,
    aliases: &'static [&'static str],
    what: &'static [&'static str],
    family: Family,
    bare: &'static [(&'static str, f64, f64)],
) -> Measure {
    Measure { key, aliases, what, family, bare }
}

const COUNT: &str = "x10^9/L";
const PER_UL: &str = "/µL";

/// Every measure, in the order a profile lists them. The first three are the profile's own
/// fields (`age`, `ecog`, `karnofsky`); the rest are laboratory and clinical values.
pub const MEASURES: &[Measure] = &[
    measure("age", &[], &["age"], Family::Age, &[("years", 0.0, 130.0)]),
    measure("ecog", &["who"], &["ECOG", "WHO"], Family::Performance, &[("", 0.0, 5.0)]),
    measure("karnofsky", &["kps"], &["Karnofsky"], Family::Karnofsky, &[("%", 0.0, 100.0)]),
    measure(
        "anc",
        &["neutrophils"],
        &["ANC"],
        Family::Count,
        &[(COUNT, 0.01, 50.0), (PER_UL, 100.0, 50_000.0)],
    ),
    measure(
        "platelets",
        &["plt", "platelet"],
        &["platelets"],
        Family::Count,
        &[(COUNT, 1.0, 1500.0), (PER_UL, 5000.0, 2_000_000.0)],
    ),
    measure(
        "wbc",
        &["leukocytes"],
        &["WBC"],
        Family::Count,
        &[(COUNT, 0.1, 100.0), (PER_UL, 500.0, 500_000.0)],
    ),
    measure(
        "lymphocytes",
        &[],
        &["lymphocytes"],
        Family::Count,
        &[(COUNT, 0.01, 50.0), (PER_UL, 100.0, 50_000.0)],
    ),
    measure("cd4", &[], &["CD4"], Family::Count, &[(PER_UL, 1.0, 5000.0)]),
    measure(
        "haemoglobin",
        &["hemoglobin", "hb", "hgb"],
        &["haemoglobin"],
        Family::Haemoglobin,
        &[("g/dL", 3.0, 25.0), ("g/L", 30.0, 250.0)],
    ),
    measure(
        "creatinine",
        &[],
        &["creatinine"],
        Family::Creatinine,
        &[("mg/dL", 0.1, 15.0), ("µmol/L", 20.0, 1500.0)],
    ),
    measure(
        "crcl",
        &["creatinine_clearance", "clcr"],
        &["creatinine clearance"],
        Family::Clearance,
        &[("mL/min", 5.0, 250.0)],
    ),
    measure("egfr", &["gfr"], &["eGFR"], Family::Clearance, &[("mL/min/1.73 m²", 5.0, 250.0)]),
    measure(
        "bilirubin",
        &["tbili"],
        &["bilirubin"],
        Family::Bilirubin,
        &[("mg/dL", 0.1, 15.0), ("µmol/L", 20.0, 500.0)],
    ),
    measure("ast", &["sgot"], &["AST"], Family::Enzyme, &[("× ULN", 0.5, 10.0), ("U/L", 10.0, 5000.0)]),
    measure("alt", &["sgpt"], &["ALT"], Family::Enzyme, &[("× ULN", 0.5, 10.0), ("U/L", 10.0, 5000.0)]),
    measure("alp", &[], &["ALP"], Family::Enzyme, &[("× ULN", 0.5, 10.0), ("U/L", 10.0, 5000.0)]),
    measure("albumin", &[], &["albumin"], Family::Albumin, &[("g/dL", 1.0, 7.0), ("g/L", 10.0, 70.0)]),
    measure("inr", &[], &["INR"], Family::Ratio, &[("", 0.5, 10.0)]),
    measure("hba1c", &["a1c"], &["HbA1c"], Family::HbA1c, &[("%", 3.0, 20.0), ("mmol/mol", 20.0, 200.0)]),
    measure("glucose", &[], &["glucose"], Family::Glucose, &[("mg/dL", 40.0, 1000.0), ("mmol/L", 2.0, 35.0)]),
    measure("potassium", &["k"], &["potassium"], Family::Electrolyte, &[("mmol/L", 1.0, 10.0)]),
    measure("sodium", &["na"], &["sodium"], Family::Electrolyte, &[("mmol/L", 100.0, 200.0)]),
    measure("bmi", &[], &["BMI"], Family::Bmi, &[("kg/m²", 10.0, 80.0)]),
    measure("weight", &[], &["weight"], Family::Weight, &[]),
    measure("qtc", &[], &["QTc"], Family::Milliseconds, &[("ms", 250.0, 700.0)]),
    measure("lvef", &["ef"], &["LVEF"], Family::Percent, &[("%", 10.0, 90.0)]),
    measure("spo2", &[], &["SpO2"], Family::Percent, &[("%", 50.0, 100.0)]),
    measure("systolic", &["sbp"], &["systolic"], Family::Pressure, &[("mmHg", 30.0, 300.0)]),
    measure("diastolic", &["dbp"], &["diastolic"], Family::Pressure, &[("mmHg", 20.0, 200.0)]),
    measure("heart_rate", &["hr", "pulse"], &["heart rate"], Family::Rate, &[("bpm", 20.0, 250.0)]),
    measure("psa", &[], &["PSA"], Family::Psa, &[("ng/mL", 0.0, 1000.0)]),
    measure(
        "testosterone",
        &[],
        &["testosterone"],
        Family::Testosterone,
        &[("ng/dL", 60.0, 2000.0), ("nmol/L", 0.1, 40.0)],
    ),
    measure("tsh", &[], &["TSH"], Family::Tsh, &[("mIU/L", 0.01, 100.0)]),
];

/// Index in [`MEASURES`] of the profile's own fields.
pub(crate) const AGE: u8 = 0;
pub(crate) const ECOG: u8 = 1;
pub(crate) const KARNOFSKY: u8 = 2;

/// The measure a profile key names (its key or an alias, any case).
pub fn measure_by_key(key: &str) -> Option<(u8, &'static Measure)> {
    let key = key.trim().to_lowercase().replace(['-', ' '], "_");
    MEASURES.iter().enumerate().find_map(|(i, m)| {
        (m.key == key || m.aliases.contains(&key.as_str())).then_some((u8::try_from(i).ok()?, m))
    })
}

fn measure_by_what(what: &str) -> Option<(u8, &'static Measure)> {
    MEASURES
        .iter()
        .enumerate()
        .find_map(|(i, m)| m.what.contains(&what).then_some((u8::try_from(i).ok()?, m)))
}

/// The measure at an index from [`measure_by_key`].
pub fn measure_at(index: u8) -> Option<&'static Measure> {
    MEASURES.get(usize::from(index))
}

impl Measure {
    /// The units this measure is accepted in, for messages ("x10^9/L, /µL, × ULN").
    pub fn units(&self) -> String {
        let mut shown: Vec<&str> = UNITS
            .iter()
            .filter(|u| u.family == self.family && !u.shown.is_empty())
            .map(|u| u.shown)
            .collect();
        if self.takes_limits() {
            shown.push("× ULN");
        }
        shown.join(", ")
    }

    /// Whether a number alone is a whole value (a score, a ratio).
    pub fn unitless(&self) -> bool {
        matches!(self.family, Family::Performance | Family::Karnofsky | Family::Ratio | Family::Age)
    }

    fn takes_limits(&self) -> bool {
        !matches!(
            self.family,
            Family::Age
                | Family::Performance
                | Family::Karnofsky
                | Family::Percent
                | Family::Weight
                | Family::Bmi
                | Family::Pressure
                | Family::Rate
                | Family::Milliseconds
        )
    }

    /// `value` written in `unit` (as typed or as a criterion writes it) in the measure's
    /// comparison unit; `None` when the unit is not one of this measure's.
    pub fn convert(&self, value: f64, unit: &str) -> Option<(Scale, f64)> {
        let (scale, u) = self.unit_of(unit)?;
        Some((scale, u.map_or(value, |u| value * u.factor + u.offset)))
    }

    fn unit_of(&self, unit: &str) -> Option<(Scale, Option<&'static Unit>)> {
        if let Some(scale) = limit_scale(unit) {
            return self.takes_limits().then_some((scale, None));
        }
        let name = normalize(unit);
        let found = UNITS.iter().find(|u| u.family == self.family && u.names.contains(&name.as_str()))?;
        Some((Scale::Absolute, Some(found)))
    }

    /// The unit a bare number (or all of a bare range) is in, when exactly one fits.
    fn bare_unit(&self, numbers: &[f64]) -> Option<(Scale, Option<&'static Unit>)> {
        let mut fitting =
            self.bare.iter().filter(|(_, low, high)| numbers.iter().all(|n| (*low..=*high).contains(n)));
        let (shown, _, _) = fitting.next()?;
        if fitting.next().is_some() {
            return None;
        }
        if *shown == "× ULN" {
            return Some((Scale::Uln, None));
        }
        let found = UNITS.iter().find(|u| u.family == self.family && u.shown == *shown)?;
        Some((Scale::Absolute, Some(found)))
    }
}

/// "× ULN", "times the upper limit of normal", "x institutional ULN", "*ULN", "normal":
/// a multiple of the laboratory's limit.
fn limit_scale(unit: &str) -> Option<Scale> {
    let lower = unit.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |w: &str| words.contains(&w);
    let glued = |w: &str| words.iter().any(|x| x.strip_prefix('x').is_some_and(|rest| rest == w));
    if has("lln") || glued("lln") || (has("lower") && (has("limit") || has("normal"))) {
        return Some(Scale::Lln);
    }
    if ["uln", "unl", "iuln"].iter().any(|w| has(w) || glued(w)) || has("upper") || has("normal") {
        return Some(Scale::Uln);
    }
    None
}

/// A unit as written, in the form [`UNITS`] names it: lower case, no spaces, one spelling of
/// micro, of powers and of the scale mark, without the scale mark in front and "cells".
fn normalize(unit: &str) -> String {
    let mut s = String::with_capacity(unit.len());
    for c in unit.trim().chars().flat_map(char::to_lowercase) {
        match c {
            c if c.is_whitespace() => {}
            'μ' | 'µ' => s.push('u'),
            '×' | 'х' | '*' => s.push('x'),
            '⁹' => s.push_str("^9"),
            '⁶' => s.push_str("^6"),
            '³' => s.push_str("^3"),
            '²' => s.push_str("^2"),
            c => s.push(c),
        }
    }
    for (from, to) in [
        ("microliter", "ul"),
        ("microlitre", "ul"),
        ("micromol", "umol"),
        ("mcl", "ul"),
        ("mcmol", "umol"),
        ("cumm", "mm^3"),
        ("cells", ""),
        ("cell", ""),
        ("gm/", "g/"),
        ("10x9", "10^9"),
        ("10e9", "10^9"),
        ("10x3", "10^3"),
        ("10e3", "10^3"),
        ("10x6", "10^6"),
        ("10e6", "10^6"),
        ("mm3", "mm^3"),
        ("m2", "m^2"),
    ] {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let s = s.strip_prefix('x').unwrap_or(&s);
    // "x 109/L" is 10^9/L with the superscript lost
    match s {
        _ if s.starts_with("109/") => format!("10^9/{}", s.get(4..).unwrap_or("")),
        _ if s.starts_with("103/") => format!("10^3/{}", s.get(4..).unwrap_or("")),
        _ if s.starts_with("106/") => format!("10^6/{}", s.get(4..).unwrap_or("")),
        _ => s.to_string(),
    }
}

/// A threshold in its measure's comparison unit: what the catalog keeps per study so that
/// `fits:` compares numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Resolved {
    /// Index in [`MEASURES`].
    pub measure: u8,
    pub scale: Scale,
    pub comparator: Cmp,
    /// The value, or the low end of a range.
    pub low: f64,
    /// The value again, or the high end of a range.
    pub high: f64,
}

/// [`Comparator`], kept in the catalog's cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    AtLeast,
    AtMost,
    Above,
    Below,
    Equal,
    Between,
}

impl From<Comparator> for Cmp {
    fn from(c: Comparator) -> Cmp {
        match c {
            Comparator::AtLeast => Cmp::AtLeast,
            Comparator::AtMost => Cmp::AtMost,
            Comparator::Above => Cmp::Above,
            Comparator::Below => Cmp::Below,
            Comparator::Equal => Cmp::Equal,
            Comparator::Between => Cmp::Between,
        }
    }
}

/// The threshold in its measure's comparison unit; `None` when its measure is none a profile
/// holds, or its unit is not one that converts (or is missing and the number is ambiguous).
pub fn resolve(threshold: &Threshold) -> Option<Resolved> {
    let (index, measure) = measure_by_what(&threshold.what)?;
    let (low, high) = match threshold.comparator {
        Comparator::Between => (threshold.low?, threshold.high?),
        _ => {
            let v = threshold.value?;
            (v, v)
        }
    };
    let written = threshold.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let (scale, unit) = match written {
        Some(u) => measure.unit_of(u)?,
        None => measure.bare_unit(&[low, high])?,
    };
    let convert = |v: f64| unit.map_or(v, |u| v * u.factor + u.offset);
    Some(Resolved {
        measure: index,
        scale,
        comparator: threshold.comparator.into(),
        low: convert(low),
        high: convert(high),
    })
}

/// The profile's value against the threshold.
pub fn judge(profile: &Profile, threshold: &Threshold) -> Judgement {
    resolve(threshold).map_or(Judgement::Unknown, |r| judge_resolved(profile, &r))
}

/// The profile's value against a threshold already in its comparison unit.
pub fn judge_resolved(profile: &Profile, threshold: &Resolved) -> Judgement {
    match profile.value_of(threshold.measure, threshold.scale) {
        Some((low, high)) => compare(low, high, threshold),
        None => Judgement::Unknown,
    }
}

/// ECOG for a Karnofsky score, as a range where the score falls between two grades.
pub(crate) fn ecog_of_karnofsky(kps: f64) -> (f64, f64) {
    let grade = |k: f64| match k {
        k if k >= 90.0 => 0.0,
        k if k >= 70.0 => 1.0,
        k if k >= 50.0 => 2.0,
        k if k >= 30.0 => 3.0,
        k if k >= 10.0 => 4.0,
        _ => 5.0,
    };
    // 85 lies between the grades of 80 and 90
    let below = (kps / 10.0).floor() * 10.0;
    let above = (kps / 10.0).ceil() * 10.0;
    (grade(above), grade(below))
}

/// The Karnofsky range of an ECOG grade.
pub(crate) fn karnofsky_of_ecog(ecog: f64) -> (f64, f64) {
    match ecog.round() as i64 {
        0 => (90.0, 100.0),
        1 => (70.0, 80.0),
        2 => (50.0, 60.0),
        3 => (30.0, 40.0),
        4 => (10.0, 20.0),
        _ => (0.0, 0.0),
    }
}

/// Equal but for the rounding conversions bring.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn at_least(a: f64, b: f64) -> bool {
    a > b || same(a, b)
}

fn above(a: f64, b: f64) -> bool {
    a > b && !same(a, b)
}

/// Whether a value known to lie in `low..=high` meets the threshold: all of the range does
/// (within), none of it (outside), or some (unknown).
fn compare(low: f64, high: f64, t: &Resolved) -> Judgement {
    let (all, none) = match t.comparator {
        Cmp::AtLeast => (at_least(low, t.low), above(t.low, high)),
        Cmp::AtMost => (at_least(t.low, high), above(low, t.low)),
        Cmp::Above => (above(low, t.low), at_least(t.low, high)),
        Cmp::Below => (above(t.low, high), at_least(low, t.low)),
        Cmp::Equal => (same(low, t.low) && same(high, t.low), above(t.low, high) || above(low, t.low)),
        Cmp::Between => {
            (at_least(low, t.low) && at_least(t.high, high), above(t.low, high) || above(low, t.high))
        }
    };
    match (all, none) {
        (true, _) => Judgement::Within,
        (false, true) => Judgement::Outside,
        (false, false) => Judgement::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn threshold(what: &str, comparator: Comparator, value: f64, unit: Option<&str>) -> Threshold {
        Threshold {
            what: what.to_string(),
            comparator,
            value: Some(value),
            low: None,
            high: None,
            unit: unit.map(str::to_string),
            text: String::new(),
        }
    }

    fn between(what: &str, low: f64, high: f64, unit: Option<&str>) -> Threshold {
        Threshold {
            what: what.to_string(),
            comparator: Comparator::Between,
            value: None,
            low: Some(low),
            high: Some(high),
            unit: unit.map(str::to_string),
            text: String::new(),
        }
    }

    fn profile(settings: &[(&str, &str)]) -> Profile {
        let mut p = Profile { name: "P-1".into(), ..Profile::default() };
        for (k, v) in settings {
            if let Err(e) = p.set(k, v) {
                panic!("{k}={v}: {e}");
            }
        }
        p
    }

    use Comparator::{Above, AtLeast, AtMost, Below, Equal};
    use Judgement::{Outside, Unknown, Within};

    #[test]
    fn counts_convert_between_per_litre_per_microlitre_and_per_cubic_millimetre() {
        let p = profile(&[("anc", "1.8 x10^9/L"), ("platelets", "150,000/µL")]);
        for unit in ["x 10^9/L", "×10⁹/L", "x 109/L", "× 10^9 /L", "10*9/L", "G/L", "x10^3/µL", "K/uL"] {
            assert_eq!(judge(&p, &threshold("ANC", AtLeast, 1.5, Some(unit))), Within, "{unit}");
            assert_eq!(judge(&p, &threshold("ANC", AtLeast, 2.0, Some(unit))), Outside, "{unit}");
        }
        for unit in ["/µL", "/μL", "/mcL", "cells/mm3", "/mm^3", "/mm³", "cells/microliter", "/cumm"] {
            assert_eq!(judge(&p, &threshold("ANC", AtLeast, 1500.0, Some(unit))), Within, "{unit}");
            assert_eq!(judge(&p, &threshold("ANC", AtLeast, 1800.0, Some(unit))), Within, "{unit}");
            assert_eq!(judge(&p, &threshold("ANC", Above, 1800.0, Some(unit))), Outside, "{unit}");
            assert_eq!(judge(&p, &threshold("platelets", AtLeast, 100_000.0, Some(unit))), Within);
        }
        assert_eq!(judge(&p, &threshold("platelets", Below, 100.0, Some("x10^9/L"))), Outside);
        assert_eq!(judge(&p, &threshold("platelets", AtLeast, 150.0, Some("×109/L"))), Within);
    }

    #[test]
    fn haemoglobin_converts_between_g_per_decilitre_g_per_litre_and_mmol() {
        let p = profile(&[("hb", "10.5 g/dL")]);
        assert_eq!(judge(&p, &threshold("haemoglobin", AtLeast, 100.0, Some("g/L"))), Within);
        assert_eq!(judge(&p, &threshold("haemoglobin", AtLeast, 110.0, Some("g / L"))), Outside);
        assert_eq!(judge(&p, &threshold("haemoglobin", AtLeast, 9.0, Some("gm/dl"))), Within);
        // 6.2 mmol/L is 9.99 g/dL
        assert_eq!(judge(&p, &threshold("haemoglobin", AtLeast, 6.2, Some("mmol/L"))), Within);
        assert_eq!(judge(&p, &threshold("haemoglobin", AtLeast, 6.6, Some("mmol/L"))), Outside);
        let in_litres = profile(&[("haemoglobin", "95 g/L")]);
        assert_eq!(judge(&in_litres, &threshold("haemoglobin", AtLeast, 9.0, Some("g/dL"))), Within);
        assert_eq!(judge(&in_litres, &threshold("haemoglobin", AtLeast, 10.0, Some("g/dL"))), Outside);
    }

    #[test]
    fn creatinine_and_bilirubin_convert_by_their_own_molar_masses() {
        let p = profile(&[("creatinine", "1.1 mg/dL"), ("bilirubin", "20 µmol/L")]);
        // 1.1 mg/dL = 97.24 µmol/L
        assert_eq!(judge(&p, &threshold("creatinine", AtMost, 100.0, Some("µmol/L"))), Within);
        assert_eq!(judge(&p, &threshold("creatinine", AtMost, 97.0, Some("umol/L"))), Outside);
        assert_eq!(judge(&p, &threshold("creatinine", AtMost, 1.5, Some("mg / dl"))), Within);
        // 20 µmol/L of bilirubin = 1.17 mg/dL; as creatinine it would be 0.23
        assert_eq!(judge(&p, &threshold("bilirubin", AtMost, 1.5, Some("mg/dL"))), Within);
        assert_eq!(judge(&p, &threshold("bilirubin", AtMost, 1.1, Some("mg/dL"))), Outside);
        let exact = profile(&[("creatinine", "132.6 µmol/L")]);
        assert_eq!(judge(&exact, &threshold("creatinine", AtMost, 1.5, Some("mg/dL"))), Within);
        assert_eq!(judge(&exact, &threshold("creatinine", Below, 1.5, Some("mg/dL"))), Outside);
    }

    #[test]
    fn multiples_of_the_normal_limit_compare_only_with_multiples() {
        let absolute = profile(&[("ast", "40 U/L"), ("bilirubin", "1.0 mg/dL")]);
        let relative = profile(&[("ast", "1.2 x ULN"), ("bilirubin", "0.8 ×ULN")]);
        for unit in [
            "x ULN",
            "× ULN",
            "×ULN",
            "times the upper limit of normal",
            "*ULN",
            "xULN",
            "x upper limit of normal (ULN)",
        ] {
            assert_eq!(judge(&absolute, &threshold("AST", AtMost, 2.5, Some(unit))), Unknown, "{unit}");
            assert_eq!(judge(&relative, &threshold("AST", AtMost, 2.5, Some(unit))), Within, "{unit}");
            assert_eq!(judge(&relative, &threshold("AST", AtMost, 1.0, Some(unit))), Outside, "{unit}");
            assert_eq!(judge(&relative, &threshold("bilirubin", AtMost, 1.5, Some(unit))), Within, "{unit}");
        }
        assert_eq!(judge(&relative, &threshold("AST", AtMost, 100.0, Some("U/L"))), Unknown);
        assert_eq!(judge(&absolute, &threshold("AST", AtMost, 100.0, Some("U/L"))), Within);
        assert_eq!(judge(&absolute, &threshold("bilirubin", AtMost, 1.5, Some("x LLN"))), Unknown);
    }

    #[test]
    fn a_bare_number_takes_the_unit_its_size_allows_or_none() {
        let p = profile(&[
            ("anc", "1.8 x10^9/L"),
            ("hb", "10 g/dL"),
            ("creatinine", "1.1 mg/dL"),
            ("ast", "50 U/L"),
        ]);
        assert_eq!(judge(&p, &threshold("ANC", AtLeast, 1500.0, None)), Within);
        assert_eq!(judge(&p, &threshold("ANC", AtLeast, 2000.0, None)), Outside);
        assert_eq!(judge(&p, &threshold("ANC", AtLeast, 1.5, None)), Within);
        assert_eq!(judge(&p, &threshold("haemoglobin", AtLeast, 9.0, None)), Within);
        assert_eq!(judge(&p, &threshold("haemoglobin", AtLeast, 110.0, None)), Outside);
        assert_eq!(judge(&p, &threshold("creatinine", AtMost, 1.5, None)), Within);
        assert_eq!(judge(&p, &threshold("creatinine", AtMost, 90.0, None)), Outside);
        // 10 could be × ULN or U/L; 60 can only be U/L; 2.5 only × ULN
        assert_eq!(judge(&p, &threshold("AST", AtMost, 10.0, None)), Unknown);
        assert_eq!(judge(&p, &threshold("AST", AtMost, 60.0, None)), Within);
        assert_eq!(judge(&p, &threshold("AST", AtMost, 2.5, None)), Unknown);
        // a number no unit of the measure allows
        assert_eq!(judge(&p, &threshold("haemoglobin", AtLeast, 27.0, None)), Unknown);
        // a unit of another measure
        assert_eq!(judge(&p, &threshold("creatinine", AtMost, 1.5, Some("mL/min"))), Unknown);
    }

    #[test]
    fn every_comparator_and_ranges() {
        let p = profile(&[("age", "67"), ("ecog", "1"), ("inr", "1.2")]);
        let cases = [
            (threshold("age", AtLeast, 67.0, None), Within),
            (threshold("age", AtLeast, 68.0, Some("years")), Outside),
            (threshold("age", Above, 67.0, None), Outside),
            (threshold("age", Above, 66.0, None), Within),
            (threshold("age", AtMost, 67.0, None), Within),
            (threshold("age", AtMost, 66.0, None), Outside),
            (threshold("age", Below, 67.0, None), Outside),
            (threshold("age", Below, 68.0, None), Within),
            (threshold("ECOG", Equal, 1.0, None), Within),
            (threshold("ECOG", Equal, 0.0, None), Outside),
            (threshold("WHO", AtMost, 1.0, None), Within),
            (between("age", 18.0, 75.0, Some("years")), Within),
            (between("age", 18.0, 67.0, None), Within),
            (between("age", 68.0, 80.0, None), Outside),
            (between("ECOG", 0.0, 1.0, None), Within),
            (between("ECOG", 2.0, 3.0, None), Outside),
            (threshold("INR", AtMost, 1.5, None), Within),
            (threshold("INR", AtMost, 1.1, None), Outside),
            // 67 years is 804 months
            (threshold("age", AtLeast, 800.0, Some("months")), Within),
            (threshold("age", AtLeast, 810.0, Some("months")), Outside),
        ];
        for (t, expected) in cases {
            assert_eq!(judge(&p, &t), expected, "{t:?}");
        }
    }

    #[test]
    fn a_value_the_profile_lacks_is_unknown_never_outside() {
        let empty = profile(&[]);
        for what in
            ["age", "ECOG", "Karnofsky", "ANC", "platelets", "haemoglobin", "creatinine", "AST", "QTc"]
        {
            assert_eq!(judge(&empty, &threshold(what, AtLeast, 1.0, None)), Unknown, "{what}");
            assert_eq!(judge(&empty, &threshold(what, AtMost, 1.0, None)), Unknown, "{what}");
        }
        // measures no profile holds
        let p = profile(&[("age", "40")]);
        assert_eq!(judge(&p, &threshold("washout", AtLeast, 4.0, Some("weeks"))), Unknown);
        assert_eq!(judge(&p, &threshold("life expectancy", AtLeast, 3.0, Some("months"))), Unknown);
        let missing_end = Threshold { high: None, ..between("age", 18.0, 75.0, None) };
        assert_eq!(judge(&p, &missing_end), Unknown);
    }

    #[test]
    fn ecog_and_karnofsky_convert_by_the_usual_table() {
        let kps80 = profile(&[("karnofsky", "80")]);
        assert_eq!(judge(&kps80, &threshold("ECOG", AtMost, 1.0, None)), Within);
        assert_eq!(judge(&kps80, &threshold("ECOG", AtMost, 0.0, None)), Outside);
        assert_eq!(judge(&kps80, &threshold("Karnofsky", AtLeast, 70.0, Some("%"))), Within);
        let ecog1 = profile(&[("ecog", "1")]);
        assert_eq!(judge(&ecog1, &threshold("Karnofsky", AtLeast, 70.0, None)), Within);
        assert_eq!(judge(&ecog1, &threshold("Karnofsky", AtLeast, 60.0, None)), Within);
        assert_eq!(judge(&ecog1, &threshold("Karnofsky", AtLeast, 90.0, None)), Outside);
        // ECOG 1 is KPS 70-80: part of it meets ≥ 80
        assert_eq!(judge(&ecog1, &threshold("Karnofsky", AtLeast, 80.0, None)), Unknown);
        // KPS 85 is ECOG 0 or 1
        let kps85 = profile(&[("karnofsky", "85")]);
        assert_eq!(judge(&kps85, &threshold("ECOG", AtMost, 1.0, None)), Within);
        assert_eq!(judge(&kps85, &threshold("ECOG", Equal, 0.0, None)), Unknown);
    }

    #[test]
    fn other_units_that_convert() {
        let p = profile(&[
            ("glucose", "5.5 mmol/L"),
            ("hba1c", "53 mmol/mol"),
            ("weight", "154 lb"),
            ("albumin", "35 g/L"),
            ("egfr", "55 mL/min/1.73m2"),
            ("testosterone", "1.0 nmol/L"),
        ]);
        // 5.5 mmol/L = 99 mg/dL
        assert_eq!(judge(&p, &threshold("glucose", Below, 100.0, Some("mg/dL"))), Within);
        assert_eq!(judge(&p, &threshold("glucose", Below, 95.0, Some("mg/dl"))), Outside);
        // 53 mmol/mol = 7.0 %
        assert_eq!(judge(&p, &threshold("HbA1c", AtMost, 7.1, Some("%"))), Within);
        assert_eq!(judge(&p, &threshold("HbA1c", AtMost, 6.5, Some("%"))), Outside);
        // 154 lb = 69.9 kg
        assert_eq!(judge(&p, &threshold("weight", AtLeast, 50.0, Some("kg"))), Within);
        assert_eq!(judge(&p, &threshold("weight", AtLeast, 70.0, Some("kg"))), Outside);
        assert_eq!(judge(&p, &threshold("albumin", AtLeast, 3.0, Some("g/dL"))), Within);
        assert_eq!(judge(&p, &threshold("eGFR", AtLeast, 60.0, Some("mL/min/1.73 m2"))), Outside);
        assert_eq!(judge(&p, &threshold("eGFR", AtLeast, 45.0, Some("ml/min"))), Within);
        // castrate level: 1.0 nmol/L = 28.8 ng/dL
        assert_eq!(judge(&p, &threshold("testosterone", Below, 50.0, Some("ng/dL"))), Within);
    }

    #[test]
    fn units_normalize_to_one_spelling() {
        assert_eq!(normalize("x 10^9/L"), "10^9/l");
        assert_eq!(normalize("×10⁹/L"), "10^9/l");
        assert_eq!(normalize("x 109 /L"), "10^9/l");
        assert_eq!(normalize("cells/mm³"), "/mm^3");
        assert_eq!(normalize("/μL"), "/ul");
        assert_eq!(normalize("mL/min/1.73 m2"), "ml/min/1.73m^2");
        assert_eq!(normalize("mL/min/1.73m²"), "ml/min/1.73m^2");
        assert_eq!(normalize("kg/m^2"), "kg/m^2");
        assert_eq!(limit_scale("times the upper limit of normal"), Some(Scale::Uln));
        assert_eq!(limit_scale("x LLN"), Some(Scale::Lln));
        assert_eq!(limit_scale("mg/dL"), None);
    }
}
