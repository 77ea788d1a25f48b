//! Two collections compared: the studies added, removed and changed from OLD to NEW, and for
//! each changed study what changed by meaning ([`crate::study::changes`]).
//!
//! Made to be quick on the whole registry, where a month changes some 3% of 600k studies. Each
//! side is reduced to a [`Side`]: per study its id, its content [fingerprint] and the
//! [`Locator`] to read it again. Only a study whose fingerprint differs is read again from both
//! sides and compared; the rest are never parsed. A side comes, best first, from its fresh cache
//! entry (summaries only, no index: nothing is parsed), from a full load that also writes the
//! entry (NEW, so that the next run is quick), or from a scan that hashes each record and reads
//! only its id (OLD, the older download, which is seldom opened again).
//!
//! [fingerprint]: crate::study::changes::fingerprint

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::{self, Cache};
use super::{Catalog, Progress};
use crate::source::{self, LoadError, Locator, RawStudy, Sink};
use crate::study::changes::{self, Change};

/// One study of a side: enough to know whether it changed and to read it again.
#[derive(Debug, Clone)]
pub struct Fingerprinted {
    pub id: Box<str>,
    pub content: u64,
    pub locator: Locator,
    pub origin: source::Origin,
}

/// One side of a comparison.
#[derive(Debug, Default)]
pub struct Side {
    pub studies: Vec<Fingerprinted>,
    /// What failed to load: a study in it may show as removed or added.
    pub errors: Vec<LoadError>,
    /// How the side was read, for a note (`--verbose` and the benchmark).
    pub read: Reading,
    /// A line for the user when the cache had a problem.
    pub cache_problem: Option<String>,
}

/// How a [`Side`] was read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reading {
    /// From its fresh cache entry.
    #[default]
    Cache,
    /// Loaded in full (and its cache entry written when the cache is on and it is large).
    Loaded,
    /// Each record hashed and its id read, nothing kept.
    Scanned,
}

impl Side {
    /// The side of a loaded catalog.
    pub fn of_catalog(catalog: &Catalog, read: Reading) -> Side {
        let studies = catalog
            .studies
            .iter()
            .map(|s| Fingerprinted {
                id: s.id.clone(),
                content: s.content,
                locator: s.locator.clone(),
                origin: s.origin.clone(),
            })
            .collect();
        Side { studies, errors: catalog.errors.clone(), read, cache_problem: None }
    }

    /// NEW: from its fresh cache entry, or loaded in full through the cache (which then keeps
    /// it, as `nct search` would).
    pub fn open_new(inputs: &[PathBuf], cache: Option<&Cache>) -> Side {
        if let Some(catalog) = cache::load_summaries(inputs, cache) {
            return Side::of_catalog(&catalog, Reading::Cache);
        }
        let (catalog, outcome) = match cache {
            Some(_) => cache::load(inputs, &Progress::default(), cache),
            None => (Catalog::load(inputs), cache::Outcome::NotUsed),
        };
        let mut side = Side::of_catalog(&catalog, Reading::Loaded);
        side.cache_problem = outcome.problem();
        // The process ends soon: freeing 600k summaries one by one would only delay it.
        std::mem::forget(catalog);
        side
    }

    /// OLD: from its fresh cache entry, or scanned.
    pub fn open_old(inputs: &[PathBuf], cache: Option<&Cache>) -> Side {
        match cache::load_summaries(inputs, cache) {
            Some(catalog) => {
                let side = Side::of_catalog(&catalog, Reading::Cache);
                std::mem::forget(catalog);
                side
            }
            None => Side::scan(inputs),
        }
    }

    /// Every record of `inputs` hashed and its id read, without parsing the rest: a fraction
    /// of a full load's work. A study found twice keeps its newest version, as a catalog does.
    pub fn scan(inputs: &[PathBuf]) -> Side {
        let scanner = Scanner::default();
        source::read_listing(&source::list_inputs(inputs), &scanner);
        let mut found = scanner.found.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut errors = scanner.errors.into_inner().unwrap_or_else(|e| e.into_inner());
        found.sort_by_key(|(_, _, order)| *order);
        let mut newest: HashMap<Box<str>, usize> = HashMap::with_capacity(found.len());
        let mut studies: Vec<Fingerprinted> = Vec::with_capacity(found.len());
        let mut updated: Vec<Option<String>> = Vec::with_capacity(found.len());
        for (study, last_update, _) in found {
            match newest.get(&study.id) {
                Some(&place) => {
                    if last_update > updated.get(place).cloned().flatten()
                        && let (Some(kept), Some(when)) = (studies.get_mut(place), updated.get_mut(place))
                    {
                        *kept = study;
                        *when = last_update;
                    }
                }
                None => {
                    newest.insert(study.id.clone(), studies.len());
                    studies.push(study);
                    updated.push(last_update);
                }
            }
        }
        errors.sort_by_cached_key(|e| e.origin.to_string());
        Side { studies, errors, read: Reading::Scanned, cache_problem: None }
    }
}

/// The studies of a [`Side::scan`], with their last update (to choose among duplicates) and
/// their order in the inputs.
#[derive(Default)]
struct Scanner {
    found: Mutex<Vec<(Fingerprinted, Option<String>, source::Order)>>,
    errors: Mutex<Vec<LoadError>>,
}

/// The little of a record a scan reads; serde skips the rest without building it.
#[derive(Deserialize)]
struct Head {
    #[serde(rename = "protocolSection")]
    protocol: Option<HeadProtocol>,
}

#[derive(Deserialize)]
struct HeadProtocol {
    #[serde(rename = "identificationModule")]
    identification: Option<HeadIdentification>,
    #[serde(rename = "statusModule")]
    status: Option<HeadStatus>,
}

#[derive(Deserialize)]
struct HeadIdentification {
    #[serde(rename = "nctId")]
    id: Option<String>,
}

#[derive(Deserialize)]
struct HeadStatus {
    #[serde(rename = "lastUpdatePostDateStruct")]
    last_update: Option<HeadDate>,
}

#[derive(Deserialize)]
struct HeadDate {
    date: Option<String>,
}

impl Sink for Scanner {
    fn study(&self, raw: RawStudy) {
        let head = serde_json::from_slice::<Head>(&raw.json).ok().and_then(|head| head.protocol);
        let (id, last_update) = match head {
            Some(HeadProtocol { identification: Some(HeadIdentification { id: Some(id) }), status })
                if !id.trim().is_empty() =>
            {
                (id, status.and_then(|s| s.last_update).and_then(|d| d.date))
            }
            // An odd record: the full reader says what is wrong, or reads it leniently.
            _ => match super::read_study(&raw.json) {
                Ok((study, _)) => (
                    study.nct_id().unwrap_or_default().to_owned(),
                    study.last_update().map(|d| d.written(crate::study::date::DateStyle::Iso)),
                ),
                Err(reason) => {
                    return self.failure(LoadError { origin: raw.origin, reason: reason.to_string() });
                }
            },
        };
        let study = Fingerprinted {
            id: id.trim().to_ascii_uppercase().into(),
            content: changes::fingerprint(&raw.json),
            locator: raw.locator,
            origin: raw.origin,
        };
        if let Ok(mut found) = self.found.lock() {
            found.push((study, last_update, raw.order));
        }
    }

    fn failure(&self, error: LoadError) {
        if let Ok(mut errors) = self.errors.lock() {
            errors.push(error);
        }
    }
}

/// What changed from OLD to NEW.
#[derive(Debug, Default, Serialize)]
pub struct Difference {
    /// In NEW only, by id.
    pub added: Vec<Box<str>>,
    /// In OLD only, by id.
    pub removed: Vec<Box<str>>,
    /// In both and different, by id.
    pub changed: Vec<StudyChanges>,
    /// `nct diff --bookmarks`: bookmarked studies with no copy as last viewed (not viewed since
    /// nct keeps copies). Left out of the JSON when empty, as it always is for two inputs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_viewed: Vec<Box<str>>,
    /// Studies whose record could not be read again to compare (the file changed meanwhile).
    #[serde(skip)]
    pub unreadable: Vec<LoadError>,
    /// Studies in both sides whose fingerprints differ, read again and compared.
    #[serde(skip)]
    pub compared: usize,
}

impl Difference {
    pub fn is_empty(&self) -> bool {
        // Studies not viewed yet are not known to have changed.
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// One changed study.
#[derive(Debug, Serialize)]
pub struct StudyChanges {
    pub id: Box<str>,
    /// The new record's brief title, for people (not in the JSON contract).
    #[serde(skip)]
    pub title: Option<String>,
    pub changes: Vec<Change>,
}

/// Which studies a comparison reports, by id: `--query`'s matches in NEW (added and changed)
/// and in OLD (removed: they are no longer in NEW).
pub struct Only<'a> {
    pub new: &'a dyn Fn(&str) -> bool,
    pub old: &'a dyn Fn(&str) -> bool,
}

/// Compares two sides. Only the studies whose fingerprints differ are read again (from both
/// sides, in parallel) and compared.
pub fn compare(old: &Side, new: &Side, only: Option<&Only>) -> Difference {
    let before: HashMap<&str, &Fingerprinted> = old.studies.iter().map(|s| (&*s.id, s)).collect();
    let after: HashMap<&str, &Fingerprinted> = new.studies.iter().map(|s| (&*s.id, s)).collect();
    let keep_new = |id: &str| only.is_none_or(|only| (only.new)(id));
    let keep_old = |id: &str| only.is_none_or(|only| (only.old)(id));
    let mut added: Vec<Box<str>> = Vec::new();
    let mut candidates: Vec<(&Fingerprinted, &Fingerprinted)> = Vec::new();
    for study in &new.studies {
        match before.get(&*study.id) {
            None if keep_new(&study.id) => added.push(study.id.clone()),
            Some(was) if was.content != study.content && keep_new(&study.id) => candidates.push((was, study)),
            _ => {}
        }
    }
    let mut removed: Vec<Box<str>> = old
        .studies
        .iter()
        .filter(|s| !after.contains_key(&*s.id) && keep_old(&s.id))
        .map(|s| s.id.clone())
        .collect();
    let compared = candidates.len();
    let results: Vec<Result<Option<StudyChanges>, LoadError>> =
        candidates.par_iter().map(|(was, is)| compare_study(was, is)).collect();
    let mut changed = Vec::new();
    let mut unreadable = Vec::new();
    for result in results {
        match result {
            Ok(Some(study)) => changed.push(study),
            Ok(None) => {}
            Err(error) => unreadable.push(error),
        }
    }
    added.sort();
    removed.sort();
    changed.sort_by(|a, b| a.id.cmp(&b.id));
    Difference { added, removed, changed, not_viewed: Vec::new(), unreadable, compared }
}

/// A study's record read again, as a JSON tree; `side` names it in the error.
fn read_again(study: &Fingerprinted, side: &str) -> Result<serde_json::Value, LoadError> {
    let failed = |reason: String| LoadError {
        origin: study.origin.clone(),
        reason: format!(
            "{} in {side}: cannot read it again to compare ({reason}); was the input changed meanwhile?",
            study.id
        ),
    };
    let json = source::reread(&study.locator).map_err(|e| failed(e.to_string()))?;
    serde_json::from_slice(&json).map_err(|e| failed(e.to_string()))
}

/// Both records of a study read again and compared; `None` when they differ only in form.
fn compare_study(old: &Fingerprinted, new: &Fingerprinted) -> Result<Option<StudyChanges>, LoadError> {
    let (was, is) = (read_again(old, "OLD")?, read_again(new, "NEW")?);
    Ok(changed_study(&new.id, &was, &is))
}

/// `study` as it is in its input compared with `copy`, its record as the user last viewed it
/// (the copies `user::seen` keeps); `None` when nothing changed. A copy that is not JSON is an error.
pub fn since_viewed(copy: &[u8], study: &Fingerprinted) -> Result<Option<StudyChanges>, LoadError> {
    let was: serde_json::Value = serde_json::from_slice(copy).map_err(|e| LoadError {
        origin: study.origin.clone(),
        reason: format!(
            "{}: the copy kept when it was last viewed is damaged ({e}); view the study again to replace it",
            study.id
        ),
    })?;
    Ok(changed_study(&study.id, &was, &read_again(study, "PATH")?))
}

fn changed_study(id: &str, was: &serde_json::Value, is: &serde_json::Value) -> Option<StudyChanges> {
    let found = changes::compare(was, is);
    if found.is_empty() {
        return None;
    }
    let title = is.pointer("/protocolSection/identificationModule/briefTitle").and_then(|t| t.as_str());
    Some(StudyChanges { id: id.into(), title: title.map(str::to_owned), changes: found })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn assets() -> Vec<PathBuf> {
        vec![PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"))]
    }

    fn fingerprints(side: &Side) -> Vec<(String, u64)> {
        let mut found: Vec<(String, u64)> =
            side.studies.iter().map(|s| (s.id.to_string(), s.content)).collect();
        found.sort();
        found
    }

    #[test]
    fn a_scan_finds_the_fingerprints_a_load_keeps() {
        let scanned = Side::scan(&assets());
        let loaded = Side::of_catalog(&Catalog::load(&assets()), Reading::Loaded);
        assert_eq!(scanned.read, Reading::Scanned);
        assert!(scanned.studies.len() > 20);
        assert_eq!(fingerprints(&scanned), fingerprints(&loaded));
        let origins = |side: &Side| side.errors.iter().map(|e| e.origin.to_string()).collect::<Vec<_>>();
        assert_eq!(origins(&scanned), origins(&loaded));
        // The same inputs: nothing to read again, nothing changed.
        let difference = compare(&scanned, &loaded, None);
        assert!(difference.is_empty() && difference.compared == 0, "{difference:?}");
    }
}
