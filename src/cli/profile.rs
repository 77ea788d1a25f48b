//! `nct profile`: the patient profiles `fits:NAME` asks about. `nct profile` lists them,
//! `nct profile NAME` prints one, `--set key=value` / `--unset KEY` change it (creating it),
//! `--delete` removes it. Everything goes through `user::profiles` (locked, atomic).

use super::{exit, output};
use crate::screening::profile::{Profile, split_setting};
use crate::user::profiles::{self, Profiles};

pub fn run(name: Option<&str>, set: &[String], unset: &[String], delete: bool) -> u8 {
    let Some(path) = profiles::profiles_file() else {
        output::error("this system gives no home folder: nct cannot keep profiles");
        return exit::PROBLEM;
    };
    let Some(name) = name else {
        let (saved, problem) = profiles::load(&path);
        if let Some(problem) = problem {
            output::error(&problem);
        }
        if saved.by_name.is_empty() {
            output::print(format!(
                "no profiles yet in {}; make one with nct profile P-014 --set age=67 --set sex=female\n",
                path.display()
            ));
        }
        for (name, profile) in &saved.by_name {
            output::print(format!("{name}  {}\n", one_line(profile)));
        }
        return exit::OK;
    };
    if let Err(e) = profiles::check_name(name) {
        output::error(&e);
        return exit::USAGE;
    }
    if delete {
        let removed = profiles::update(&path, |all: &mut Profiles| {
            let key = all.get(name).map(|p| p.name.clone());
            Ok(key.and_then(|k| all.by_name.remove(&k)).is_some())
        });
        return match removed {
            Ok((true, _)) => {
                output::print(format!("deleted profile {name}\n"));
                exit::OK
            }
            Ok((false, saved)) => {
                output::error(&format!("no profile {name}; the profiles are: {}", names(&saved)));
                exit::PROBLEM
            }
            Err(e) => {
                output::error(&e);
                exit::PROBLEM
            }
        };
    }
    if set.is_empty() && unset.is_empty() {
        let (saved, problem) = profiles::load(&path);
        if let Some(problem) = problem {
            output::error(&problem);
        }
        return match saved.get(name) {
            Some(profile) => {
                output::print(format!("[{}]\n{}", profile.name, profile.to_text()));
                exit::OK
            }
            None => {
                output::error(&format!(
                    "no profile {name}; the profiles are: {}. Make it with nct profile {name} --set age=67",
                    names(&saved)
                ));
                exit::PROBLEM
            }
        };
    }
    // Settings are read before the file is touched: a mistake changes nothing.
    let mut changes: Vec<(&str, &str)> = Vec::new();
    for setting in set {
        match split_setting(setting) {
            Ok(pair) => changes.push(pair),
            Err(e) => {
                output::error(&e);
                return exit::USAGE;
            }
        }
    }
    let changed = profiles::update(&path, |all: &mut Profiles| {
        let key = all.get(name).map_or_else(|| name.to_string(), |p| p.name.clone());
        let mut profile = all.by_name.get(&key).cloned().unwrap_or_else(|| Profile::named(&key));
        for key in unset {
            profile.unset(key)?;
        }
        for (key, value) in &changes {
            profile.set(key, value)?;
        }
        let text = format!("[{}]\n{}", profile.name, profile.to_text());
        all.by_name.insert(key, profile);
        Ok(text)
    });
    match changed {
        Ok((text, _)) => {
            output::print(text);
            exit::OK
        }
        Err(e) => {
            output::error(&e);
            exit::USAGE
        }
    }
}

fn names(saved: &Profiles) -> String {
    let names: Vec<&str> = saved.names().collect();
    if names.is_empty() { "none yet".to_string() } else { names.join(", ") }
}

/// A profile on one line, for the list: `age 67 · sex female · anc 1.8 x10^9/L`.
pub(crate) fn one_line(profile: &Profile) -> String {
    let parts: Vec<String> = profile.lines().iter().map(|(k, v)| format!("{k} {v}")).collect();
    if parts.is_empty() { "(empty)".to_string() } else { parts.join(" · ") }
}
