//! Patient profiles: `profiles.toml` in the data folder, one table per profile in name order,
//! each key as `nct profile NAME --set key=value` takes it (`conditions` as a list). A profile
//! name is a pseudonymous code (`P-014`): names and other identifying data stay out.
//!
//! Each change re-reads the file under a lock, applies itself and writes the file atomically, as
//! bookmarks do: two processes editing profiles at once both keep their change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::store;
use crate::screening::profile::Profile;

/// `profiles.toml`: a few hundred bytes a profile.
const PROFILES: store::Kind = store::Kind { holds: "profiles", cap: 16 << 20 };

/// The profiles file.
pub fn profiles_file() -> Option<PathBuf> {
    super::data_dir().map(|d| d.join("profiles.toml"))
}

/// Whether `name` can name a profile: letters, digits, `-`, `_` and `.`, as `fits:NAME` reads
/// it without quotes; the error says so.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.chars().count() <= 40
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{name}' cannot name a profile: use up to 40 letters, digits, '-', '_' or '.', a \
             pseudonymous code such as P-014 (never the patient's name)"
        ))
    }
}

/// The saved profiles, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profiles {
    pub by_name: BTreeMap<String, Profile>,
}

impl Profiles {
    /// The profile named `name`, in any case.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.by_name.get(name).or_else(|| self.by_name.values().find(|p| p.name.eq_ignore_ascii_case(name)))
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// Profiles from the file's text; values that do not read are left out and said in the
    /// second value, naming the profile and key.
    pub fn from_toml(text: &str, label: &str) -> Result<(Profiles, Vec<String>), String> {
        let tables: BTreeMap<String, toml::Table> =
            toml::from_str(text).map_err(|e| format!("{label} is damaged: {}", e.message()))?;
        let mut profiles = Profiles::default();
        let mut problems = Vec::new();
        for (name, table) in tables {
            let mut profile = Profile::named(&name);
            for (key, value) in &table {
                let values = match value {
                    toml::Value::Array(items) => items.iter().collect(),
                    single => vec![single],
                };
                for value in values {
                    let text = match value {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Integer(n) => n.to_string(),
                        toml::Value::Float(n) => n.to_string(),
                        toml::Value::Boolean(b) => if *b { "yes" } else { "no" }.to_string(),
                        other => other.to_string(),
                    };
                    if let Err(e) = profile.set(key, &text) {
                        problems.push(format!("{label}: profile {name}: {e}"));
                    }
                }
            }
            profiles.by_name.insert(name, profile);
        }
        Ok((profiles, problems))
    }

    /// The file's text: a comment on what it is, then a table per profile.
    pub fn to_toml(&self) -> String {
        let mut out = String::from(
            "# Patient profiles for fits:NAME and nct profile. A name is a pseudonymous code\n\
             # (P-014): keep names and other identifying data out of this file.\n",
        );
        for (name, profile) in &self.by_name {
            out.push('\n');
            out.push_str(&format!("[{}]\n", toml_key(name)));
            let lines = profile.lines();
            let conditions: Vec<&String> =
                lines.iter().filter(|(k, _)| *k == "condition").map(|(_, v)| v).collect();
            for (key, value) in &lines {
                match *key {
                    "condition" => {}
                    "age" | "ecog" | "karnofsky" => out.push_str(&format!("{key} = {value}\n")),
                    _ => out.push_str(&format!("{key} = {}\n", toml_string(value))),
                }
                if *key == "healthy" && !conditions.is_empty() {
                    let list: Vec<String> = conditions.iter().map(|c| toml_string(c)).collect();
                    out.push_str(&format!("conditions = [{}]\n", list.join(", ")));
                }
            }
            if !lines.iter().any(|(k, _)| *k == "healthy") && !conditions.is_empty() {
                let list: Vec<String> = conditions.iter().map(|c| toml_string(c)).collect();
                out.push_str(&format!("conditions = [{}]\n", list.join(", ")));
            }
        }
        out
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn toml_key(name: &str) -> String {
    if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        name.to_string()
    } else {
        toml_string(name)
    }
}

/// The profiles in `path` (none when there is no file yet), and what could not be read. A file
/// that is not TOML is moved aside, as other user files are, and said so.
pub fn load(path: &Path) -> (Profiles, Option<String>) {
    let label = path.display().to_string();
    match store::read_text(path, &label, PROFILES) {
        Ok(None) => (Profiles::default(), None),
        Ok(Some(text)) => match Profiles::from_toml(&text, &label) {
            Ok((profiles, problems)) => {
                let problem = (!problems.is_empty()).then(|| problems.join("\n"));
                (profiles, problem)
            }
            Err(why) => {
                let kept = match store::set_aside(path) {
                    Ok(aside) => format!("kept as {}", aside.display()),
                    Err(e) => e.to_string(),
                };
                (Profiles::default(), Some(format!("{why}; {kept}")))
            }
        },
        Err(store::ReadError::Refused(why)) => {
            (Profiles::default(), Some(format!("{why}; nct goes on without profiles")))
        }
        Err(e) => (Profiles::default(), Some(e.to_string())),
    }
}

/// Applies `change` to the profiles in `path` under its lock and writes them back atomically;
/// returns what the change returned and the profiles as saved.
pub fn update<T>(
    path: &Path,
    change: impl FnOnce(&mut Profiles) -> Result<T, String>,
) -> Result<(T, Profiles), String> {
    let _lock = store::lock(path).map_err(|e| e.to_string())?;
    let label = path.display().to_string();
    let mut profiles = match store::read_text(path, &label, PROFILES).map_err(String::from)? {
        None => Profiles::default(),
        Some(text) => {
            let (profiles, problems) = Profiles::from_toml(&text, &label)?;
            if let Some(first) = problems.first() {
                // saving would drop what could not be read
                return Err(format!("{first}; correct it in {label} first"));
            }
            profiles
        }
    };
    let answer = change(&mut profiles)?;
    store::write_atomic(path, profiles.to_toml().as_bytes()).map_err(|e| e.to_string())?;
    Ok((answer, profiles))
}

/// Saves `profile` in place of the one of its name (the app's editor).
pub fn save(path: &Path, profile: &Profile) -> Result<Profiles, String> {
    check_name(&profile.name)?;
    update(path, |profiles| {
        profiles.by_name.insert(profile.name.clone(), profile.clone());
        Ok(())
    })
    .map(|((), saved)| saved)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn profile(name: &str, settings: &[(&str, &str)]) -> Profile {
        let mut p = Profile::named(name);
        for (k, v) in settings {
            p.set(k, v).unwrap();
        }
        p
    }

    #[test]
    fn the_file_is_readable_toml_that_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.toml");
        let p = profile(
            "P-014",
            &[
                ("age", "67"),
                ("sex", "female"),
                ("healthy", "no"),
                ("condition", "breast cancer, \"quoted\" one"),
                ("place", "Baltimore, Maryland"),
                ("ecog", "1"),
                ("anc", "1.8 x10^9/L"),
            ],
        );
        save(&path, &p).unwrap();
        save(&path, &profile("A.1", &[("age", "40")])).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("[P-014]\nage = 67\nsex = \"female\"\nhealthy = \"no\"\n"), "{text}");
        assert!(text.contains("conditions = [\"breast cancer\", '\"quoted\" one']"), "{text}");
        assert!(text.find("[\"A.1\"]").unwrap() < text.find("[P-014]").unwrap(), "{text}");
        let (loaded, problem) = load(&path);
        assert_eq!(problem, None);
        assert_eq!(loaded.get("p-014"), Some(&p));
        assert_eq!(loaded.names().collect::<Vec<_>>(), ["A.1", "P-014"]);
    }

    #[test]
    fn a_bad_value_in_the_file_is_named_and_saving_waits_for_it_to_be_corrected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.toml");
        std::fs::write(&path, "[P-1]\nage = 40\nsex = \"other\"\n").unwrap();
        let (loaded, problem) = load(&path);
        assert_eq!(loaded.get("P-1").unwrap().age_years, Some(40.0));
        assert!(problem.unwrap().contains("profile P-1: sex: 'other'"));
        let error = save(&path, &profile("P-2", &[])).unwrap_err();
        assert!(error.contains("correct it in"), "{error}");
    }

    #[test]
    fn names_are_codes() {
        assert!(check_name("P-014").is_ok());
        assert!(check_name("Jane Doe").unwrap_err().contains("pseudonymous"));
        assert!(check_name("").is_err());
    }
}
