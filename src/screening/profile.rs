//! A patient profile: what is known of one (pseudonymous) patient that eligibility asks about,
//! and the `key=value` settings it is written and edited with (`nct profile NAME --set …`, the
//! app's profile editor and `profiles.toml` all go through [`Profile::set`]).
//!
//! Keys: `age` (years, or "18 months"), `sex` (female, male), `healthy` (yes, no: a healthy
//! volunteer), `condition` (repeatable, or a comma list), `place` (text, as `near:` reads it),
//! `ecog` (0-5), `karnofsky` (0-100), and the measures of `judge::MEASURES` with a number and
//! a unit (`anc=1.8 x10^9/L`, `creatinine=1.1 mg/dL`, `ast=1.2 x ULN`).

use super::judge::{self, AGE, ECOG, KARNOFSKY, Scale};

/// The patient's sex, as the registry's eligibility field asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
}

/// One measured value, in the unit it was given in.
#[derive(Debug, Clone, PartialEq)]
pub struct LabValue {
    /// The measure's key in `judge::MEASURES` ("anc", "creatinine").
    pub key: &'static str,
    pub value: f64,
    /// The unit as given ("x10^9/L", "mg/dL", "x ULN"; empty for a ratio such as INR).
    pub unit: String,
    measure: u8,
    scale: Scale,
    /// `value` in the measure's comparison unit.
    compared: f64,
}

/// One patient's values; every field may be unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// The profile's name, as `fits:NAME` and `nct profile NAME` call it.
    pub name: String,
    pub age_years: Option<f64>,
    pub sex: Option<Sex>,
    /// Whether the patient is a healthy volunteer.
    pub healthy_volunteer: Option<bool>,
    /// Conditions, as typed; `fits:` matches each like `cond:`.
    pub conditions: Vec<String>,
    /// A place, as `near:` reads it ("Baltimore, Maryland").
    pub place: Option<String>,
    pub ecog: Option<u8>,
    pub karnofsky: Option<u8>,
    /// Laboratory and clinical values, at most one per measure, in `judge::MEASURES` order.
    pub labs: Vec<LabValue>,
}

/// The keys `set` accepts, for messages and help.
pub const KEYS_HELP: &str = "age (years), sex (female|male), healthy (yes|no), condition (repeatable \
or a comma list), place (text), ecog (0-5), karnofsky (0-100), and values with units: anc, platelets, \
wbc, lymphocytes, cd4, haemoglobin, creatinine, crcl, egfr, bilirubin, ast, alt, alp, albumin, inr, \
hba1c, glucose, potassium, sodium, bmi, weight, qtc, lvef, spo2, systolic, diastolic, heart_rate, psa, \
testosterone, tsh";

/// `key=value` split at the first `=`, both trimmed, with quotes around the value removed.
pub fn split_setting(setting: &str) -> Result<(&str, &str), String> {
    let Some((key, value)) = setting.split_once('=') else {
        return Err(format!(
            "'{setting}' is not a setting: write key=value, e.g. age=67 or \"anc=1.8 x10^9/L\""
        ));
    };
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    Ok((key.trim(), value.trim()))
}

fn number(key: &str, text: &str, accepted: &str) -> Result<f64, String> {
    let cleaned: String = text.chars().filter(|c| *c != ',' && *c != '_').collect();
    match cleaned.parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(n),
        _ => Err(format!("{key}: '{text}' is not a number; {accepted}")),
    }
}

/// The number at the start of `text` and the rest (the unit): "1.8 x10^9/L", "150,000/µL".
fn number_and_unit(text: &str) -> (&str, &str) {
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '_')))
        .map_or(text.len(), |(i, _)| i);
    (text.get(..end).unwrap_or(""), text.get(end..).unwrap_or("").trim())
}

fn yes_no(key: &str, value: &str) -> Result<bool, String> {
    match value.to_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => Err(format!("{key}: '{value}' is not yes or no; accepted: yes, no")),
    }
}

impl Profile {
    /// An empty profile named `name`.
    pub fn named(name: &str) -> Profile {
        Profile { name: name.to_string(), ..Profile::default() }
    }

    /// Sets one key from its text; the error names the key and what it accepts.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let lower = key.trim().to_lowercase();
        let value = value.trim();
        if value.is_empty() {
            return Err(format!("{key}: no value; to remove it, use --unset {key}"));
        }
        match lower.as_str() {
            "age" => {
                let accepted = "accepted: years (age=67), or a number and months, weeks or days";
                let (n, unit) = number_and_unit(value);
                let n = number("age", if n.is_empty() { value } else { n }, accepted)?;
                let Some((_, years)) = judge::MEASURES.first().and_then(|m| m.convert(n, unit)) else {
                    return Err(format!("age: '{unit}' is not a unit of age; {accepted}"));
                };
                if years > 130.0 {
                    return Err(format!("age: {value} is more than 130 years; {accepted}"));
                }
                self.age_years = Some(years);
            }
            "sex" => {
                self.sex = Some(match value.to_lowercase().as_str() {
                    "female" | "f" | "woman" => Sex::Female,
                    "male" | "m" | "man" => Sex::Male,
                    _ => return Err(format!("sex: '{value}' is not accepted; accepted: female, male")),
                });
            }
            "healthy" | "healthy_volunteer" | "healthy-volunteer" => {
                self.healthy_volunteer = Some(yes_no("healthy", value)?);
            }
            "condition" | "conditions" => {
                for condition in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    if !self.conditions.iter().any(|c| c.eq_ignore_ascii_case(condition)) {
                        self.conditions.push(condition.to_string());
                    }
                }
            }
            "place" => self.place = Some(value.to_string()),
            "ecog" | "who" => {
                let accepted = "accepted: a whole number from 0 to 5";
                let n = number("ecog", value, accepted)?;
                if n.fract() != 0.0 || n > 5.0 {
                    return Err(format!("ecog: '{value}' is not accepted; {accepted}"));
                }
                self.ecog = Some(n as u8);
            }
            "karnofsky" | "kps" => {
                let accepted = "accepted: a whole number from 0 to 100";
                let n = number("karnofsky", value.trim_end_matches('%').trim(), accepted)?;
                if n.fract() != 0.0 || n > 100.0 {
                    return Err(format!("karnofsky: '{value}' is not accepted; {accepted}"));
                }
                self.karnofsky = Some(n as u8);
            }
            _ => {
                let Some((index, measure)) = judge::measure_by_key(&lower).filter(|(i, _)| *i > KARNOFSKY)
                else {
                    return Err(format!("'{key}' is not a profile key; accepted: {KEYS_HELP}"));
                };
                let key = measure.key;
                let example = format!("e.g. {key}=1.5 {}", measure.units().split(", ").next().unwrap_or(""));
                let accepted = format!("accepted units: {} ({})", measure.units(), example.trim());
                let (n, unit) = number_and_unit(value);
                let n = number(key, if n.is_empty() { value } else { n }, &accepted)?;
                if unit.is_empty() && !measure.unitless() {
                    return Err(format!("{key}: '{value}' has no unit; {accepted}"));
                }
                let Some((scale, compared)) = measure.convert(n, unit) else {
                    return Err(format!("{key}: '{unit}' is not a unit nct converts for {key}; {accepted}"));
                };
                let lab = LabValue { key, value: n, unit: unit.to_string(), measure: index, scale, compared };
                self.labs.retain(|l| l.measure != index);
                let at = self.labs.iter().position(|l| l.measure > index).unwrap_or(self.labs.len());
                self.labs.insert(at, lab);
            }
        }
        Ok(())
    }

    /// Removes one key's value (`condition` removes them all); false when it had none.
    pub fn unset(&mut self, key: &str) -> Result<bool, String> {
        let lower = key.trim().to_lowercase();
        let had = match lower.as_str() {
            "age" => self.age_years.take().is_some(),
            "sex" => self.sex.take().is_some(),
            "healthy" | "healthy_volunteer" | "healthy-volunteer" => self.healthy_volunteer.take().is_some(),
            "condition" | "conditions" => !std::mem::take(&mut self.conditions).is_empty(),
            "place" => self.place.take().is_some(),
            "ecog" | "who" => self.ecog.take().is_some(),
            "karnofsky" | "kps" => self.karnofsky.take().is_some(),
            _ => {
                let Some((index, _)) = judge::measure_by_key(&lower) else {
                    return Err(format!("'{key}' is not a profile key; accepted: {KEYS_HELP}"));
                };
                let before = self.labs.len();
                self.labs.retain(|l| l.measure != index);
                self.labs.len() != before
            }
        };
        Ok(had)
    }

    /// The profile as `key = value` pairs, in a fixed order, each value as `set` reads it back.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(age) = self.age_years {
            out.push(("age", format!("{age}")));
        }
        if let Some(sex) = self.sex {
            out.push(("sex", sex.as_str().to_string()));
        }
        if let Some(h) = self.healthy_volunteer {
            out.push(("healthy", if h { "yes" } else { "no" }.to_string()));
        }
        for condition in &self.conditions {
            out.push(("condition", condition.clone()));
        }
        if let Some(place) = &self.place {
            out.push(("place", place.clone()));
        }
        if let Some(ecog) = self.ecog {
            out.push(("ecog", ecog.to_string()));
        }
        if let Some(kps) = self.karnofsky {
            out.push(("karnofsky", kps.to_string()));
        }
        for lab in &self.labs {
            let text = if lab.unit.is_empty() {
                format!("{}", lab.value)
            } else {
                format!("{} {}", lab.value, lab.unit)
            };
            out.push((lab.key, text));
        }
        out
    }

    /// The profile as the editor shows it: one `key = value` a line.
    pub fn to_text(&self) -> String {
        self.lines().iter().map(|(k, v)| format!("{k} = {v}\n")).collect()
    }

    /// A profile from the editor's lines (`key = value` or `key=value`; blank lines and lines
    /// starting with `#` are skipped); the error names the line.
    pub fn from_text(name: &str, text: &str) -> Result<Profile, String> {
        let mut profile = Profile::named(name);
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = split_setting(line).map_err(|e| format!("line {}: {e}", n + 1))?;
            profile.set(key, value).map_err(|e| format!("line {}: {e}", n + 1))?;
        }
        Ok(profile)
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.lines().is_empty()
    }

    /// The profile's value of a measure (an index in `judge::MEASURES`) on a scale, in its
    /// comparison unit, as a range: ECOG read from a Karnofsky score (or the reverse) may be
    /// known only to lie between two values.
    pub fn value_of(&self, measure: u8, scale: Scale) -> Option<(f64, f64)> {
        let point = |v: f64| (v, v);
        match measure {
            AGE => self.age_years.filter(|_| scale == Scale::Absolute).map(point),
            ECOG => match (self.ecog, self.karnofsky) {
                (Some(e), _) => Some(point(f64::from(e))),
                (None, Some(k)) => Some(judge::ecog_of_karnofsky(f64::from(k))),
                (None, None) => None,
            },
            KARNOFSKY => match (self.karnofsky, self.ecog) {
                (Some(k), _) => Some(point(f64::from(k))),
                (None, Some(e)) => Some(judge::karnofsky_of_ecog(f64::from(e))),
                (None, None) => None,
            },
            _ => {
                self.labs.iter().find(|l| l.measure == measure && l.scale == scale).map(|l| point(l.compared))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_all(settings: &[&str]) -> Result<Profile, String> {
        let mut p = Profile::named("P-014");
        for s in settings {
            let (k, v) = split_setting(s)?;
            p.set(k, v)?;
        }
        Ok(p)
    }

    #[test]
    fn settings_as_the_command_line_gives_them() {
        let p = match set_all(&[
            "age=67",
            "sex=female",
            "ecog=1",
            "anc=1.8 x10^9/L",
            "creatinine=1.1 mg/dL",
            "healthy=no",
            "condition=breast cancer",
            "condition=Hypertension, type 2 diabetes",
            "place=\"Baltimore, Maryland\"",
            "inr=1.1",
        ]) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(p.age_years, Some(67.0));
        assert_eq!(p.sex, Some(Sex::Female));
        assert_eq!(p.ecog, Some(1));
        assert_eq!(p.healthy_volunteer, Some(false));
        assert_eq!(p.conditions, ["breast cancer", "Hypertension", "type 2 diabetes"]);
        assert_eq!(p.place.as_deref(), Some("Baltimore, Maryland"));
        assert_eq!(
            p.to_text(),
            "age = 67\nsex = female\nhealthy = no\ncondition = breast cancer\ncondition = Hypertension\n\
             condition = type 2 diabetes\nplace = Baltimore, Maryland\necog = 1\nanc = 1.8 x10^9/L\n\
             creatinine = 1.1 mg/dL\ninr = 1.1\n"
        );
        // what the editor shows reads back the same
        assert_eq!(Profile::from_text("P-014", &p.to_text()), Ok(p));
    }

    #[test]
    fn a_value_set_again_replaces_the_old_one_and_unset_removes_it() {
        let mut p = Profile::named("P");
        assert_eq!(p.set("anc", "1.8 x10^9/L"), Ok(()));
        assert_eq!(p.set("ANC", "1500 /µL"), Ok(()));
        assert_eq!(p.lines(), [("anc", "1500 /µL".to_string())]);
        assert_eq!(p.value_of(3, Scale::Absolute), Some((1.5, 1.5)));
        assert_eq!(p.unset("anc"), Ok(true));
        assert_eq!(p.unset("anc"), Ok(false));
        assert!(p.is_empty());
        assert_eq!(p.set("age", "18 months"), Ok(()));
        assert_eq!(p.age_years, Some(1.5));
    }

    #[test]
    fn bad_keys_and_values_name_the_key_and_what_is_accepted() {
        let cases: &[(&str, &[&str])] = &[
            ("weight_kg=80", &["'weight_kg' is not a profile key", "accepted: age"]),
            ("age=old", &["age: 'old' is not a number", "accepted: years"]),
            ("age=200", &["age: 200 is more than 130 years"]),
            ("sex=other", &["sex: 'other' is not accepted", "female, male"]),
            ("ecog=7", &["ecog: '7' is not accepted", "0 to 5"]),
            ("ecog=1.5", &["ecog: '1.5'"]),
            ("healthy=maybe", &["healthy: 'maybe' is not yes or no"]),
            ("anc=1.8", &["anc: '1.8' has no unit", "x10^9/L, /µL"]),
            ("anc=1.8 mg/dL", &["anc: 'mg/dL' is not a unit nct converts for anc", "x10^9/L"]),
            ("creatinine=high", &["creatinine: 'high' is not a number", "mg/dL, µmol/L"]),
            ("karnofsky=150", &["karnofsky: '150'", "0 to 100"]),
            ("place=", &["place: no value", "--unset place"]),
            ("age67", &["'age67' is not a setting", "key=value"]),
        ];
        for (setting, expected) in cases {
            let error = match set_all(&[setting]) {
                Ok(p) => panic!("{setting} was accepted: {p:?}"),
                Err(e) => e,
            };
            for part in *expected {
                assert!(error.contains(part), "{setting}: {error:?} lacks {part:?}");
            }
        }
    }

    #[test]
    fn editor_text_errors_name_the_line() {
        let error = Profile::from_text("P", "age = 67\n# a note\n\nsex = other\n");
        assert!(matches!(&error, Err(e) if e.starts_with("line 4: sex:")), "{error:?}");
    }
}
