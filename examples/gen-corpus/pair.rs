//! Snapshot pairs for `nct diff` (`--edits E`): OLD and NEW made from the same generated
//! studies, and `truth.json` beside them, what a diff of the two must report exactly.
//!
//! NEW is OLD with `E` studies edited, one edit each, the kinds taken in turn (status with why it
//! stopped, the three dates, enrollment, results posted, sites added, removed and changing
//! status, eligibility text, an outcome, an arm, an intervention added, a collaborator added, the
//! title), an edit that does not fit a study (no arms to change) passing to the next kind; about
//! one study in ten more removed and as many added. Every record of NEW also carries a later
//! snapshot date (`versionHolder`), as a real later download does, which is no change.
//!
//! The truth is written in the JSON contract of `nct diff --format json`: `{"added", "removed",
//! "changed": [{"id", "changes": [{"kind", "path", "from", "to", …}]}]}`, ids sorted, each
//! study's changes in any order. Each edit states its own change (path, old value, new value),
//! rather than this file diffing the two records, so that the diff is checked against what was
//! done and not against a second copy of itself.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use rayon::prelude::*;

use crate::generator::Generator;
use crate::json::J;
use crate::output::{Layout, Scratch, Sink, encode};

/// The kinds of edit, in turn.
const KINDS: usize = 13;

/// The snapshot date every record of NEW carries.
const NEW_SNAPSHOT: &str = "2026-12-01";

/// What an edited study's record becomes and the changes a diff must report for it.
struct Edited {
    study: J,
    changes: Vec<J>,
}

/// Where OLD and NEW go for a layout: `OUT/old.zip` and `OUT/new.zip`, `OUT/old/` and `OUT/new/`…
pub fn paths(out: &Path, layout: Layout) -> (PathBuf, PathBuf) {
    let ext = match layout {
        Layout::Dir => "",
        Layout::Zip => ".zip",
        Layout::Array => ".json",
        Layout::Ndjson => ".ndjson",
    };
    (out.join(format!("old{ext}")), out.join(format!("new{ext}")))
}

/// The role of the i-th study of OLD.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Same,
    /// The k-th edited study.
    Edited(u64),
    Removed,
}

/// Writes OLD, NEW and `truth.json` into the folder `out`; returns the truth's counts (added,
/// removed, changed).
pub fn write(
    generator: &Generator,
    count: u64,
    edits: u64,
    layout: Layout,
    out: &Path,
) -> Result<(u64, u64, u64)> {
    let moved = if edits == 0 { 0 } else { (edits / 10).max(1) };
    if edits + moved > count {
        bail!("--edits {edits}: {count} studies are too few for {edits} edits and {moved} removed");
    }
    std::fs::create_dir_all(out)?;
    let (old_path, new_path) = paths(out, layout);
    let mut old_sink = Sink::create(layout, &old_path)?;
    let mut new_sink = Sink::create(layout, &new_path)?;
    let step = count.checked_div(edits + moved).unwrap_or(count.max(1)).max(1);
    let role = |i: u64| -> Role {
        if edits == 0 || !i.is_multiple_of(step) {
            return Role::Same;
        }
        match i / step {
            k if k < edits => Role::Edited(k),
            k if k < edits + moved => Role::Removed,
            _ => Role::Same,
        }
    };
    let mut changed: Vec<(String, Vec<J>)> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let mut added: Vec<String> = Vec::new();
    let total = count + moved;
    let mut next = 0;
    while next < total {
        let end = total.min(next + 1024);
        type Built = (String, Option<crate::output::Encoded>, Option<crate::output::Encoded>, Role, Vec<J>);
        let batch: Vec<Result<Built>> = (next..end)
            .into_par_iter()
            .map_init(Scratch::new, |scratch, i| {
                let generated = generator.study(i)?;
                let id = generated.id.clone();
                if i >= count {
                    let mut study = generated.study;
                    later_snapshot(&mut study);
                    let new = encode(layout, id.clone(), &study, scratch)?;
                    return Ok((id, None, Some(new), Role::Same, Vec::new()));
                }
                let old = encode(layout, id.clone(), &generated.study, scratch)?;
                let role = role(i);
                let (study, changes) = match role {
                    Role::Removed => return Ok((id, Some(old), None, role, Vec::new())),
                    Role::Same => (generated.study, Vec::new()),
                    Role::Edited(k) => {
                        let edited = edit(generated.study, k);
                        (edited.study, edited.changes)
                    }
                };
                let mut study = study;
                later_snapshot(&mut study);
                let new = encode(layout, id.clone(), &study, scratch)?;
                Ok((id, Some(old), Some(new), role, changes))
            })
            .collect();
        for built in batch {
            let (id, old, new, role, changes) = built?;
            match (&old, &new) {
                (None, Some(_)) => added.push(id.clone()),
                (Some(_), None) => removed.push(id.clone()),
                _ => {}
            }
            if let Role::Edited(_) = role {
                changed.push((id, changes));
            }
            if let Some(old) = old {
                old_sink.write(&old)?;
            }
            if let Some(new) = new {
                new_sink.write(&new)?;
            }
        }
        next = end;
    }
    old_sink.finish()?;
    new_sink.finish()?;
    added.sort();
    removed.sort();
    changed.sort_by(|a, b| a.0.cmp(&b.0));
    let counts = (added.len() as u64, removed.len() as u64, changed.len() as u64);
    let ids = |ids: Vec<String>| J::Arr(ids.into_iter().map(J::Str).collect());
    let truth = J::obj(vec![
        ("added", ids(added)),
        ("removed", ids(removed)),
        (
            "changed",
            J::Arr(
                changed
                    .into_iter()
                    .map(|(id, changes)| J::obj(vec![("id", J::Str(id)), ("changes", J::Arr(changes))]))
                    .collect(),
            ),
        ),
    ]);
    let mut text = String::new();
    truth.write(&mut text, Some(0));
    text.push('\n');
    std::fs::write(out.join("truth.json"), text)?;
    Ok(counts)
}

fn later_snapshot(study: &mut J) {
    if let Some(misc) = study.path_mut(&["derivedSection", "miscInfoModule"])
        && misc.get("versionHolder").is_some()
    {
        misc.set("versionHolder", J::s(NEW_SNAPSHOT));
    }
}

/// The k-th edit: kind k (mod [`KINDS`]), or the next kind that fits the study.
fn edit(study: J, k: u64) -> Edited {
    for turn in 0..KINDS as u64 {
        let kind = ((k + turn) % KINDS as u64) as usize;
        let mut copy = study.clone();
        if let Some(changes) = apply(&mut copy, kind, k) {
            return Edited { study: copy, changes };
        }
    }
    // The title edit always fits; this is for a study with no protocol section at all.
    Edited { study, changes: Vec::new() }
}

fn change(kind: &str, path: &str, from: Option<J>, to: J) -> J {
    J::obj(vec![("kind", J::s(kind)), ("path", J::s(path)), ("from", from.unwrap_or(J::Null)), ("to", to)])
}

fn with(mut change: J, key: &str, value: J) -> J {
    change.set(key, value);
    change
}

const STATUS: [&str; 2] = ["protocolSection", "statusModule"];

/// Applies edit `kind` to `study`; the changes a diff must find, or `None` when the study has
/// nothing this edit changes.
fn apply(study: &mut J, kind: usize, k: u64) -> Option<Vec<J>> {
    let status_path = |field: &str| format!("protocolSection.statusModule.{field}");
    match kind {
        0 => {
            let module = study.path_mut(&STATUS)?;
            let old = module.get("overallStatus").cloned();
            let new = if old.as_ref().and_then(J::as_str) == Some("TERMINATED") {
                "WITHDRAWN"
            } else {
                "TERMINATED"
            };
            let why = format!("The sponsor stopped the study (edit {k})");
            module.set("overallStatus", J::s(new));
            module.set("whyStopped", J::s(why.clone()));
            let found = change("status", &status_path("overallStatus"), old, J::s(new));
            Some(vec![with(found, "why_stopped", J::s(why))])
        }
        1..=3 => {
            let (field, kind_name, months) = match kind {
                1 => ("startDateStruct", "start_date", 3),
                2 => ("primaryCompletionDateStruct", "primary_completion_date", -2),
                _ => ("completionDateStruct", "completion_date", 14),
            };
            let module = study.path_mut(&STATUS)?;
            let old = module.get(field)?.clone();
            let date = old.get("date").and_then(J::as_str)?;
            let moved = move_months(date, months)?;
            let mut new = old.clone();
            new.set("date", J::s(moved));
            module.set(field, new.clone());
            Some(vec![with(
                change(kind_name, &status_path(field), Some(old), new),
                "months",
                J::Num(months.to_string()),
            )])
        }
        4 => {
            let module = study.path_mut(&["protocolSection", "designModule"])?;
            let old = module.get("enrollmentInfo")?.clone();
            let count = old.get("count").and_then(|c| match c {
                J::Num(n) => n.parse::<u64>().ok(),
                _ => None,
            })?;
            let mut new = old.clone();
            new.set("count", J::Num((count + 37).to_string()));
            new.set("type", J::s("ACTUAL"));
            module.set("enrollmentInfo", new.clone());
            Some(vec![change("enrollment", "protocolSection.designModule.enrollmentInfo", Some(old), new)])
        }
        5 => {
            let module = study.path_mut(&STATUS)?;
            let old = module.get("resultsFirstPostDateStruct").cloned();
            let new = J::obj(vec![("date", J::s("2026-11-20")), ("type", J::s("ACTUAL"))]);
            module.set("resultsFirstPostDateStruct", new.clone());
            study.set("hasResults", J::Bool(true));
            Some(vec![change("results_posted", &status_path("resultsFirstPostDateStruct"), old, new)])
        }
        6 => edit_sites(study, k),
        7 => {
            let module = study.path_mut(&["protocolSection", "eligibilityModule"])?;
            let old = module.get("eligibilityCriteria")?.clone();
            // No number in it: the thresholds found in the text stay the same.
            let new = format!("{}\n* Able to keep a symptom diary (edit {k})", old.as_str()?);
            module.set("eligibilityCriteria", J::s(new.clone()));
            let path = "protocolSection.eligibilityModule.eligibilityCriteria";
            Some(vec![change("eligibility", path, Some(old), J::s(new))])
        }
        8 => first_item_text(study, &["outcomesModule", "primaryOutcomes"], "timeFrame", "outcomes", k),
        9 => first_item_text(study, &["armsInterventionsModule", "armGroups"], "description", "arms", k),
        10 => appended(
            study,
            &["armsInterventionsModule", "interventions"],
            J::obj(vec![
                ("type", J::s("BEHAVIORAL")),
                ("name", J::s(format!("Symptom diary (edit {k})"))),
                ("description", J::s("A daily diary kept on paper.")),
            ]),
            "interventions",
        ),
        11 => appended(
            study,
            &["sponsorCollaboratorsModule", "collaborators"],
            J::obj(vec![("name", J::s(format!("Diff Edit Foundation {k}"))), ("class", J::s("OTHER"))]),
            "sponsor",
        ),
        _ => {
            let module = study.path_mut(&["protocolSection", "identificationModule"])?;
            let old = module.get("briefTitle")?.clone();
            let new = format!("{} (revised)", old.as_str()?);
            module.set("briefTitle", J::s(new.clone()));
            Some(vec![change(
                "other",
                "protocolSection.identificationModule.briefTitle",
                Some(old),
                J::s(new),
            )])
        }
    }
}

/// A date `2020-03` or `2020-03-15` moved by `months`; a day past the 28th becomes the 28th, so
/// the date stays a date.
fn move_months(date: &str, months: i64) -> Option<String> {
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: Option<i64> = parts.next().map(|d| d.parse().ok()).unwrap_or(None);
    let total = year * 12 + (month - 1) + months;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    Some(match day {
        Some(day) => format!("{year:04}-{month:02}-{:02}", day.min(28)),
        None => format!("{year:04}-{month:02}"),
    })
}

/// The field `field` of the first item of a list in the protocol section changed.
fn first_item_text(study: &mut J, list: &[&str], field: &str, kind: &str, k: u64) -> Option<Vec<J>> {
    let mut keys = vec!["protocolSection"];
    keys.extend_from_slice(list);
    let J::Arr(items) = study.path_mut(&keys)? else { return None };
    let first = items.first_mut()?;
    let old = first.get(field).cloned();
    let new = J::s(format!("Changed in the new download (edit {k})"));
    first.set(field, new.clone());
    Some(vec![change(kind, &format!("{}[0].{field}", keys.join(".")), old, new)])
}

/// An item added to a list in the protocol section (whose module exists): the whole list is the
/// change, from what it was (absent: `null`).
fn appended(study: &mut J, list: &[&str], item: J, kind: &str) -> Option<Vec<J>> {
    let (module_key, list_key) = (list.first()?, list.get(1)?);
    let module = study.path_mut(&["protocolSection", module_key])?;
    let old = module.get(list_key).cloned();
    let mut items = match &old {
        Some(J::Arr(items)) => items.clone(),
        Some(_) => return None,
        None => Vec::new(),
    };
    items.push(item);
    module.set(list_key, J::Arr(items.clone()));
    Some(vec![change(kind, &format!("protocolSection.{module_key}.{list_key}"), old, J::Arr(items))])
}

/// How `nct diff` names a site: facility, city, state, country, those present, joined.
fn site_name(site: &J) -> String {
    let parts: Vec<&str> = ["facility", "city", "state", "country"]
        .iter()
        .filter_map(|f| site.get(f).and_then(J::as_str).map(str::trim).filter(|s| !s.is_empty()))
        .collect();
    if parts.is_empty() { "(a site with no name)".into() } else { parts.join(", ") }
}

/// A site added, the first site (with a name no other site has) removed, and the next such
/// site's status changed.
fn edit_sites(study: &mut J, k: u64) -> Option<Vec<J>> {
    let module = study.path_mut(&["protocolSection", "contactsLocationsModule"])?;
    let mut sites = match module.get("locations") {
        Some(J::Arr(sites)) => sites.clone(),
        Some(_) => return None,
        None => Vec::new(),
    };
    let before = sites.len();
    let names: Vec<String> = sites.iter().map(site_name).collect();
    let name = |at: usize| names.get(at).cloned().unwrap_or_default();
    let unique: Vec<usize> =
        (0..sites.len()).filter(|&i| names.iter().filter(|n| **n == name(i)).count() == 1).collect();
    let mut found = change("sites", "protocolSection.contactsLocationsModule.locations", None, J::Null);
    if let Some(&at) = unique.get(1) {
        let site = sites.get_mut(at)?;
        let old = site.get("status").cloned().unwrap_or(J::Null);
        let new = if old.as_str() == Some("COMPLETED") { "RECRUITING" } else { "COMPLETED" };
        site.set("status", J::s(new));
        let status = J::obj(vec![("site", J::s(name(at))), ("from", old), ("to", J::s(new))]);
        found.set("site_status", J::Arr(vec![status]));
    }
    if let Some(&at) = unique.first() {
        sites.remove(at);
        found.set("sites_removed", J::Arr(vec![J::s(name(at))]));
    }
    let added = J::obj(vec![
        ("facility", J::s(format!("Diff Edit Hospital {k}"))),
        ("status", J::s("RECRUITING")),
        ("city", J::s("Lyon")),
        ("country", J::s("France")),
    ]);
    found.set("sites_added", J::Arr(vec![J::s(site_name(&added))]));
    sites.push(added);
    found.set("from", J::Num(before.to_string()));
    found.set("to", J::Num(sites.len().to_string()));
    module.set("locations", J::Arr(sites));
    Some(vec![found])
}
