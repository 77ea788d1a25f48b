//! `nct diff OLD NEW`: the studies added, removed and changed between two downloads, each
//! changed study's changes by meaning, as text, markdown, JSON or CSV.
//!
//! Exit status as diff(1): 0 when OLD and NEW hold the same studies, the same; 1 when they
//! differ; 2 on trouble (a usage or query error, an input that failed to load, a study that
//! could not be read again), since then the report may be wrong.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::output;
use super::{DiffFormat, exit};
use crate::catalog::cache::Cache;
use crate::catalog::diff::{self, Difference, Fingerprinted, Only, Side};
use crate::present::changes::{self as wording, Marks};
use crate::present::safe_text::SafeText;
use crate::user::seen::SeenCopies;

pub fn run(old: &Path, new: &Path, query: Option<&str>, format: DiffFormat) -> u8 {
    if old.as_os_str() == "-" && new.as_os_str() == "-" {
        output::error("OLD and NEW cannot both be standard input (`-`): save one of them to a file first");
        return exit::USAGE;
    }
    let query = match query.map(super::search::parse_query) {
        Some(None) => return exit::USAGE,
        Some(Some(query)) => Some(query),
        None => None,
    };
    let cache = Cache::from_env();
    let (old_inputs, new_inputs) = (vec![old.to_path_buf()], vec![new.to_path_buf()]);
    let (old_side, new_side, matching) = match &query {
        None => {
            let (old_side, new_side) = rayon::join(
                || Side::open_old(&old_inputs, cache.as_ref()),
                || Side::open_new(&new_inputs, cache.as_ref()),
            );
            (old_side, new_side, None)
        }
        Some(query) => {
            // Both loaded with their index: the query is answered as `nct search` answers it.
            let side = |inputs: &[PathBuf]| {
                let (catalog, found) = super::search::load_and_search(query, inputs, cache.as_ref());
                let ids: HashSet<Box<str>> = found
                    .iter()
                    .filter_map(|&place| catalog.studies.get(place))
                    .map(|s| s.id.clone())
                    .collect();
                let side = Side::of_catalog(&catalog, diff::Reading::Loaded);
                std::mem::forget(catalog);
                (side, ids)
            };
            let ((old_side, old_ids), (new_side, new_ids)) = (side(&old_inputs), side(&new_inputs));
            (old_side, new_side, Some((old_ids, new_ids)))
        }
    };
    let mut trouble = false;
    for (side, name, path) in [(&old_side, "OLD", old), (&new_side, "NEW", new)] {
        match said(side, name, path) {
            Some(failed) => trouble |= failed,
            None => return exit::USAGE,
        }
    }
    let difference = match &matching {
        None => diff::compare(&old_side, &new_side, None),
        Some((old_ids, new_ids)) => {
            let only = Only { new: &|id| new_ids.contains(id), old: &|id| old_ids.contains(id) };
            diff::compare(&old_side, &new_side, Some(&only))
        }
    };
    finish(&difference, format, trouble)
}

/// What went wrong reading a side, said on stderr: `Some(whether anything failed to load)`, or
/// `None` when nothing could be read at all (then there is nothing to compare).
fn said(side: &Side, name: &str, path: &Path) -> Option<bool> {
    if let Some(problem) = &side.cache_problem {
        output::error(problem);
    }
    output::eprint_lines(side.errors.iter().map(ToString::to_string));
    if side.studies.is_empty() {
        let why =
            if side.errors.is_empty() { "no study records in it" } else { "nothing in it could be read" };
        output::error(&format!(
            "{name} ({}): {why}; give a study file, a folder or a zip of them (see `nct check {}`)",
            path.display(),
            path.display()
        ));
        return None;
    }
    Some(!side.errors.is_empty())
}

/// `nct diff --bookmarks PATH`: each bookmarked study in PATH against its record as the user last
/// viewed it (see `user::seen`). The copies are only read: this report is not a viewing.
pub fn bookmarks(path: &Path, format: DiffFormat) -> u8 {
    let (marks, problem) = match crate::user::bookmarks_file() {
        Some(file) => crate::user::bookmarks::Bookmarks::load(&file),
        None => Default::default(),
    };
    output::eprint_lines(problem);
    if marks.is_empty() {
        output::error("no bookmarks yet: bookmark studies in the app, view them, and ask again later");
    }
    let copies = crate::user::seen_dir().map(|folder| SeenCopies::new(&folder));
    let cache = Cache::from_env();
    let side = Side::open_new(&[path.to_path_buf()], cache.as_ref());
    let Some(mut trouble) = said(&side, "PATH", path) else { return exit::USAGE };
    let by_id: HashMap<&str, &Fingerprinted> = side.studies.iter().map(|s| (&*s.id, s)).collect();
    let mut difference = Difference::default();
    for (id, bookmark) in marks.iter() {
        let Some(study) = by_id.get(id) else {
            output::error(&format!("{id} is bookmarked but not in {} ({})", path.display(), bookmark.title));
            continue;
        };
        match copies.as_ref().map(|copies| copies.get(id)) {
            Some(Ok(Some(copy))) => match diff::since_viewed(&copy, study) {
                Ok(Some(changed)) => difference.changed.push(changed),
                Ok(None) => {}
                Err(error) => difference.unreadable.push(error),
            },
            Some(Ok(None)) | None => difference.not_viewed.push(id.into()),
            Some(Err(why)) => {
                output::error(&why);
                trouble = true;
            }
        }
    }
    finish(&difference, format, trouble)
}

/// Prints the report and the studies that could not be read again; the exit status.
fn finish(difference: &Difference, format: DiffFormat, trouble: bool) -> u8 {
    output::print(report(difference, format));
    output::eprint_lines(difference.unreadable.iter().map(ToString::to_string));
    if trouble || !difference.unreadable.is_empty() {
        output::error(
            "some studies could not be read (above): the report may list them as added or removed; \
             `nct check` on the input says more",
        );
        exit::USAGE
    } else if difference.is_empty() {
        exit::OK
    } else {
        exit::PROBLEM
    }
}

fn report(difference: &Difference, format: DiffFormat) -> SafeText {
    match format {
        DiffFormat::Text => SafeText::text(&text(difference, Marks::Plain)),
        DiffFormat::Markdown => SafeText::text(&text(difference, Marks::Markdown)),
        DiffFormat::Json => match serde_json::to_string_pretty(difference) {
            Ok(json) => SafeText::json(&format!("{json}\n")),
            Err(e) => SafeText::text(&format!("{{\"error\": \"{e}\"}}\n")),
        },
        DiffFormat::Csv => SafeText::text(&csv(difference)),
    }
}

/// The report for people: counts, the ids added and removed, then each changed study with a
/// line per change. Markdown has headings and lists.
fn text(difference: &Difference, marks: Marks) -> String {
    let markdown = marks == Marks::Markdown;
    let mut counts =
        wording::counts(difference.added.len(), difference.removed.len(), difference.changed.len());
    if !difference.not_viewed.is_empty() {
        counts.push_str(&format!(", {} not viewed since bookmarked", difference.not_viewed.len()));
    }
    let mut out = String::new();
    if markdown {
        out.push_str(&format!("# What changed\n\n{counts}\n"));
    } else {
        out.push_str(&format!("{counts}\n"));
    }
    let lists = [
        ("Added", &difference.added),
        ("Removed", &difference.removed),
        ("Not viewed", &difference.not_viewed),
    ];
    for (heading, ids) in lists {
        if ids.is_empty() {
            continue;
        }
        if markdown {
            out.push_str(&format!("\n## {heading}\n\n"));
            ids.iter().for_each(|id| out.push_str(&format!("- {id}\n")));
        } else {
            out.push('\n');
            let word = heading.to_lowercase();
            ids.iter().for_each(|id| out.push_str(&format!("{word} {id}\n")));
        }
    }
    if markdown && !difference.changed.is_empty() {
        out.push_str("\n## Changed\n");
    }
    for study in &difference.changed {
        let title = study
            .title
            .as_deref()
            .map(|t| format!(" · {}", t.split_whitespace().collect::<Vec<_>>().join(" ")));
        let title = title.unwrap_or_default();
        if markdown {
            out.push_str(&format!("\n### {}{title}\n\n", study.id));
        } else {
            out.push_str(&format!("\n{}{title}\n", study.id));
        }
        for change in &study.changes {
            let line = wording::line(change, marks);
            out.push_str(&if markdown { format!("- {line}\n") } else { format!("  {line}\n") });
        }
    }
    out
}

/// One row per study added or removed and per change: `id,change,kind,path,from,to,detail`;
/// `from` and `to` are text as it is, other values as JSON.
fn csv(difference: &Difference) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut rows: Vec<[String; 7]> =
        vec![["id", "change", "kind", "path", "from", "to", "detail"].map(String::from)];
    let value = |v: &serde_json::Value| match v {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    let lists = [
        ("added", &difference.added),
        ("removed", &difference.removed),
        ("not_viewed", &difference.not_viewed),
    ];
    for (change, ids) in lists {
        for id in ids {
            rows.push([
                id.to_string(),
                change.into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    for study in &difference.changed {
        for change in &study.changes {
            rows.push([
                study.id.to_string(),
                "changed".into(),
                change.kind.name().into(),
                change.path.clone(),
                value(&change.from),
                value(&change.to),
                wording::detail(change, Marks::Plain),
            ]);
        }
    }
    for row in rows {
        if writer.write_record(&row).is_err() {
            break;
        }
    }
    writer.into_inner().map(|bytes| String::from_utf8_lossy(&bytes).into_owned()).unwrap_or_default()
}
