//! The catalog cache: a loaded catalog (summaries, locators, load failures) and its full-text
//! index kept on disk, so that the next `nct` on the same inputs opens them instead of reading,
//! parsing and indexing every study again.
//!
//! An entry is a folder per set of inputs, named by [`source::inputs_key`], holding
//! `catalog.bin` (the catalog, with the [`source::Listing::contents_key`] it was built from) and
//! `index/` (tantivy's files). An entry whose contents fingerprint differs from the inputs' is
//! stale and is replaced, so the cache holds one entry per set of inputs however often they
//! change.
//!
//! Safety, because a cache that is wrong is worse than none:
//! - An entry is written whole into a temporary folder next to it and renamed into place, so a
//!   crash or Ctrl-C mid-write leaves a temporary folder (removed later), never a half entry.
//! - `catalog.bin` starts with a magic and a format version, its header and each of its parts
//!   have a CRC-32 (see [`file`]), and it lists a CRC-32 per 64 KB block of every file in
//!   `index/` ([`sums`]). A full load verifies every block (on other cores while the summaries
//!   are decoded); `nct search` answered from the index alone, or with filters from the
//!   summaries ([`filter`]), verifies each block it reads the first time it reads it, so
//!   tantivy never reads an unverified byte; a panic inside tantivy is
//!   caught and is damage too. Damage is reported once, the entry removed and rebuilt, and the
//!   answer given from the inputs.
//! - Both halves carry the same build number, so a reader that meets one half of an entry that
//!   another process replaced meanwhile notices and reads the inputs instead.
//! - Two processes building the same entry do not wait for each other: each writes its own
//!   temporary folder, and the last rename wins with an equivalent entry.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime};

use rayon::prelude::*;

mod file;
mod sums;

use super::{Catalog, Progress, Summary};
use crate::source;
pub(super) use file::Parts;
pub(super) use sums::Sums;
/// For the index's tests, which damage files behind the checksums' back.
#[cfg(test)]
pub(super) use sums::of_folder as sums_of_folder;

/// Below this many studies, reading the inputs again is about as quick as opening a cache.
pub const MIN_STUDIES: usize = 1_000;
/// Inputs of this many bytes (some 1,000 registry records) have their index built on disk, in
/// the entry being made, rather than in memory.
const INDEX_ON_DISK_BYTES: u64 = 16 << 20;

const CATALOG_FILE: &str = "catalog.bin";
const INDEX_FOLDER: &str = "index";
/// The build number's copy inside the index folder.
const BUILD_FILE: &str = "nct-build";
/// Temporary folders older than this are leftovers of a run that was stopped mid-write.
const LEFTOVER_AGE: Duration = Duration::from_secs(3600);

/// When the cache is used, from the `NCT_CACHE` environment variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// `NCT_CACHE=off`: never read nor written.
    Off,
    /// The default: read when present, written for inputs of [`MIN_STUDIES`] or more.
    Auto,
    /// `NCT_CACHE=always`: written for inputs of any size.
    Always,
}

impl Policy {
    pub fn from_env() -> Policy {
        match std::env::var("NCT_CACHE").as_deref().map(str::trim) {
            Ok("off" | "0" | "no") => Policy::Off,
            Ok("always") => Policy::Always,
            _ => Policy::Auto,
        }
    }
}

/// The folder entries live in, and when to use them.
#[derive(Debug, Clone)]
pub struct Cache {
    pub root: PathBuf,
    pub policy: Policy,
    /// Inputs of at least this many bytes have their index built straight into the new entry.
    pub index_on_disk: u64,
}

impl Cache {
    /// The user's cache folder (see `user::cache_dir`) under the policy `NCT_CACHE` sets; `None`
    /// when the cache is off or there is no home to keep it in.
    pub fn from_env() -> Option<Cache> {
        let policy = Policy::from_env();
        if policy == Policy::Off {
            return None;
        }
        Some(Cache {
            root: crate::user::cache_dir()?.join("catalogs"),
            policy,
            index_on_disk: INDEX_ON_DISK_BYTES,
        })
    }

    /// The cache in `root`, under the default policy.
    pub fn at(root: PathBuf) -> Cache {
        Cache { root, policy: Policy::Auto, index_on_disk: INDEX_ON_DISK_BYTES }
    }

    fn entry(&self, inputs_key: u64) -> PathBuf {
        self.root.join(format!("{inputs_key:016x}"))
    }
}

/// How the cache stands for some inputs, for `nct check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// `NCT_CACHE=off`, or no home to keep a cache in.
    Off,
    /// No entry for these inputs.
    Missing,
    /// An entry of this many bytes, built from the inputs as they are.
    Fresh { folder: PathBuf, bytes: u64 },
    /// An entry of this many bytes, built from the inputs as they were, or by another version.
    Stale { folder: PathBuf, bytes: u64 },
    /// An entry of this many bytes found damaged (why, naming the file): it was removed.
    Damaged { folder: PathBuf, bytes: u64, damage: String },
}

/// How the cache stands for `inputs`, whose listing is `listing`, every byte of its entry
/// verified; a damaged entry is removed (and said so), so that the next load rebuilds it.
pub fn standing(inputs: &[PathBuf], listing: &source::Listing, cache: Option<&Cache>) -> Standing {
    let Some((cache, inputs_key)) = cache.zip(source::inputs_key(inputs)) else { return Standing::Off };
    let folder = cache.entry(inputs_key);
    if !folder.exists() {
        return Standing::Missing;
    }
    let bytes = folder_bytes(&folder);
    match verify_entry(&folder) {
        Ok(Some(contents)) if Some(contents) == listing.contents_key() => Standing::Fresh { folder, bytes },
        Ok(_) => Standing::Stale { folder, bytes },
        Err(damage) => {
            let _ = fs::remove_dir_all(&folder);
            Standing::Damaged { folder, bytes, damage }
        }
    }
}

/// What verifying one entry found, for `nct cache --verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every byte as written.
    Sound,
    /// Written by another version of nct, or replaced while read: not verified.
    OtherVersion,
    /// Damaged (why, naming the file): removed.
    Damaged(String),
    /// A temporary folder of a build under way or interrupted.
    Unfinished,
}

impl Cache {
    /// Verifies every byte of the entry in `folder`, removing it when damaged.
    pub fn verify(&self, folder: &Path) -> Verdict {
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.contains(".tmp-") || name.contains(".old-") {
            return Verdict::Unfinished;
        }
        match verify_entry(folder) {
            Ok(Some(_)) => Verdict::Sound,
            Ok(None) => Verdict::OtherVersion,
            Err(damage) => {
                let _ = fs::remove_dir_all(folder);
                Verdict::Damaged(damage)
            }
        }
    }

    /// The folder of the entry for `inputs` (whether or not there is one).
    pub fn entry_of(&self, inputs: &[PathBuf]) -> Option<PathBuf> {
        source::inputs_key(inputs).map(|key| self.entry(key))
    }
}

/// Reads every byte of the entry and checks it against its checksums: the contents key it was
/// built from when sound; `Ok(None)` for an entry of another format version or replaced while
/// read; `Err` naming what is damaged.
fn verify_entry(entry: &Path) -> Result<Option<u64>, String> {
    if !entry.join(CATALOG_FILE).exists() {
        return Err("catalog.bin is missing".into());
    }
    let Some(opened) = open_entry(entry)? else { return Ok(None) };
    let verified = opened.verify().and_then(|()| {
        let sums = Sums::new(opened.index_files()?);
        sums.verify_all(&entry.join(INDEX_FOLDER))
    });
    match verified {
        Ok(()) => Ok(Some(opened.header.contents)),
        Err(why) => confirm_damage(entry, &opened, why).map(|()| None),
    }
}

/// `Err(why)` when the entry read as `opened` is still in place, so that what failed is damage;
/// `Ok(())` when another process replaced it meanwhile (what was read mixed two builds).
fn confirm_damage(entry: &Path, opened: &file::Opened, why: String) -> Result<(), String> {
    match file::open(&entry.join(CATALOG_FILE)) {
        Ok(Some(now)) if now.header.build != opened.header.build => Ok(()),
        Ok(None) => Ok(()),
        Err(_) if !entry.join(CATALOG_FILE).exists() => Ok(()),
        _ => Err(why),
    }
}

/// The size of the files under `folder`.
pub fn folder_bytes(folder: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(folder) else { return 0 };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => folder_bytes(&entry.path()),
            _ => entry.metadata().map_or(0, |m| m.len()),
        })
        .sum()
}

impl Cache {
    /// Every entry (and leftover of an interrupted write), with its size.
    pub fn entries(&self) -> Vec<(PathBuf, u64)> {
        let Ok(entries) = fs::read_dir(&self.root) else { return Vec::new() };
        let mut found: Vec<(PathBuf, u64)> =
            entries.flatten().map(|e| e.path()).map(|path| (path.clone(), folder_bytes(&path))).collect();
        found.sort();
        found
    }

    /// Removes every entry; returns how many and how many bytes they held. A process reading an
    /// entry meanwhile keeps what it has open, and rebuilds what it has not.
    pub fn clear(&self) -> Result<(usize, u64), String> {
        let mut removed = (0, 0);
        for (path, bytes) in self.entries() {
            let result = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            result.map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            removed = (removed.0 + 1, removed.1 + bytes);
        }
        Ok(removed)
    }
}

/// What the cache did for one load, for a note to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The catalog was opened from the cache.
    Reused,
    /// The inputs were read and the cache entry written.
    Stored,
    /// The inputs were read; nothing was written (cache off, inputs too small, standard input).
    NotUsed,
    /// The inputs were read, but the entry could not be written: why.
    NotStored(String),
    /// The entry was damaged (why): it was removed, and the inputs read (and a new entry written
    /// when `stored`).
    Rebuilt { damage: String, stored: bool },
}

impl Outcome {
    /// A line for the user when something went wrong with the cache; `None` when all is well.
    pub fn problem(&self) -> Option<String> {
        match self {
            Outcome::NotStored(why) => Some(format!("could not save the catalog cache: {why}")),
            Outcome::Rebuilt { damage, .. } => {
                Some(format!("the catalog cache was damaged ({damage}); it was rebuilt from the inputs"))
            }
            Outcome::Reused | Outcome::Stored | Outcome::NotUsed => None,
        }
    }
}

/// Loads the inputs with their full-text index, through the cache when there is one.
pub fn load(inputs: &[PathBuf], progress: &Progress, cache: Option<&Cache>) -> (Catalog, Outcome) {
    let Some((cache, inputs_key)) = cache.zip(source::inputs_key(inputs)) else {
        return (Catalog::load_indexed(inputs, progress), Outcome::NotUsed);
    };
    let entry = cache.entry(inputs_key);
    let (listing, contents, stored) = if progress.fresh.is_some() {
        // Summaries go to the list as they are decoded, so the entry must be known to be of
        // these inputs first: the listing, then the entry.
        let (listing, opened) = rayon::join(|| source::list_inputs(inputs), || open_entry(&entry));
        let contents = listing.contents_key();
        let stored = match opened {
            Ok(Some(opened)) if Some(opened.header.contents) == contents => {
                read_catalog(&opened, &entry, Some(progress))
                    .map(|catalog| catalog.map(|catalog| (opened.header.contents, catalog)))
            }
            Ok(_) => Ok(None),
            Err(why) => Err(why),
        };
        (listing, contents, stored)
    } else {
        // The entry is read while the inputs are listed (the listing stats every file: most of
        // the time on a large folder); it is used only if it was built from what the listing
        // finds.
        let (listing, stored) = rayon::join(|| source::list_inputs(inputs), || read_entry(&entry));
        let contents = listing.contents_key();
        (listing, contents, stored)
    };
    let mut damage = None;
    match stored {
        Ok(Some((built_from, catalog))) if Some(built_from) == contents => {
            progress
                .studies
                .store(catalog.len().max(progress.studies.load(Ordering::Relaxed)), Ordering::Relaxed);
            progress.errors.store(catalog.errors.len(), Ordering::Relaxed);
            return (catalog, Outcome::Reused);
        }
        // Missing, stale or replaced meanwhile: anything handed out is taken back.
        Ok(_) => progress.restart(),
        Err(why) => {
            // Removed now so that the damage is reported once, even if no new entry is written.
            let _ = fs::remove_dir_all(&entry);
            // What was handed out of the damaged entry is taken back: the inputs are read now.
            progress.restart();
            damage = Some(why);
        }
    }
    // Inputs this large will be stored: their index is built straight into the new entry's
    // folder, so that it never sits in memory as well.
    let draft = match contents {
        Some(_) if listing.bytes() >= cache.index_on_disk => Draft::start(&cache.root, &entry).ok(),
        _ => None,
    };
    let indexing = match &draft {
        Some(draft) => super::Indexing::InFolder(draft.index_folder()),
        None => super::Indexing::InMemory,
    };
    let catalog = Catalog::load_listing(&listing, progress, indexing);
    let wanted = cache.policy == Policy::Always || catalog.len() >= MIN_STUDIES || draft.is_some();
    let written = match contents {
        Some(contents) if wanted && catalog.index.is_some() => Some(
            match draft {
                Some(draft) => Ok(draft),
                None => Draft::start(&cache.root, &entry),
            }
            .and_then(|draft| draft.finish(&cache.root, &entry, &catalog, contents)),
        ),
        _ => {
            if let Some(draft) = draft {
                draft.abandon();
            }
            None
        }
    };
    let outcome = match (damage, written) {
        (Some(damage), written) => Outcome::Rebuilt { damage, stored: matches!(written, Some(Ok(()))) },
        (None, None) => Outcome::NotUsed,
        (None, Some(Ok(()))) => Outcome::Stored,
        (None, Some(Err(why))) => Outcome::NotStored(why),
    };
    (catalog, outcome)
}

/// Loads again after the entry's index failed while searching (`damage`: what the checksums
/// could not see, a panic inside tantivy): the entry is removed and rebuilt from the inputs.
pub fn rebuild(
    inputs: &[PathBuf],
    progress: &Progress,
    cache: Option<&Cache>,
    damage: String,
) -> (Catalog, Outcome) {
    if let Some(entry) = cache.and_then(|cache| cache.entry_of(inputs)) {
        let _ = fs::remove_dir_all(entry);
    }
    progress.restart();
    let (catalog, outcome) = load(inputs, progress, cache);
    let stored = matches!(outcome, Outcome::Stored | Outcome::Rebuilt { stored: true, .. });
    (catalog, Outcome::Rebuilt { damage, stored })
}

/// Removes the cache entry `index` was opened from, after it failed while searching: the next
/// load rebuilds it.
pub fn forget(index: &super::TextIndex) {
    if let Some(entry) = index.folder().and_then(Path::parent) {
        let _ = fs::remove_dir_all(entry);
    }
}

/// What a cache entry says about one NCT id.
#[derive(Debug)]
pub enum Lookup {
    Found(Box<Summary>),
    /// Not among the studies the entry holds (this many; this many inputs failed to load).
    Absent {
        studies: usize,
        failures: usize,
    },
    /// No fresh entry to ask, or one that cannot say: load the inputs.
    Unknown,
}

/// The study with this NCT id (any case) from the inputs' cache entry, when there is a fresh
/// one, reading only the part of the entry that holds it: `nct show ID` on the whole registry
/// without decoding 600k summaries.
pub fn find(inputs: &[PathBuf], id: &str, cache: Option<&Cache>) -> Lookup {
    let Some((_, opened)) = fresh_entry(inputs, cache) else { return Lookup::Unknown };
    match opened.find(&id.trim().to_ascii_uppercase()) {
        Ok(Some(summary)) => Lookup::Found(Box::new(summary)),
        Ok(None) => match (opened.meta(), usize::try_from(opened.studies())) {
            (Ok(meta), Ok(studies)) => Lookup::Absent { studies, failures: meta.errors.len() },
            _ => Lookup::Unknown,
        },
        Err(_) => Lookup::Unknown,
    }
}

/// A query answered from the inputs' cache entry without decoding its summaries: the index
/// finds the matches, and only the studies shown are read (`nct search WORD` on the whole
/// registry in milliseconds).
pub struct Answer {
    opened: file::Opened,
    /// The matches, best first, as places in the catalog.
    pub found: Vec<usize>,
    /// What failed to load when the entry was built.
    pub errors: Vec<crate::source::LoadError>,
    /// The fields left out of studies when the entry was built.
    pub warnings: Vec<crate::source::LoadWarning>,
}

impl Answer {
    /// The ids of the studies at `places`.
    pub fn ids(&self, places: &[usize]) -> Result<Vec<Box<str>>, String> {
        self.opened.ids_at(places)
    }

    /// The summaries of the studies at `places`.
    pub fn summaries(&self, places: &[usize]) -> Result<Vec<Summary>, String> {
        self.opened.summaries_at(places)
    }
}

/// `query` answered from a fresh cache entry of `inputs` when the index alone answers it
/// (words, phrases, `city:`, `intr:`; no filter on a summary's fields); `None` otherwise, and
/// the caller loads the catalog.
pub fn answer(inputs: &[PathBuf], query: &crate::query::Query, cache: Option<&Cache>) -> Option<Answer> {
    let crate::query::Query::Expr(expr) = query else { return None };
    if !expr.answered_by_text() {
        return None;
    }
    let (entry, opened) = fresh_entry(inputs, cache)?;
    let meta = opened.meta().ok()?;
    if meta.index_error.is_some() {
        return None;
    }
    let places = opened.places().ok().flatten()?;
    // Checked as the index reads them: a damaged block read fails the answer here, and the full
    // load that follows verifies, reports and rebuilds.
    let sums = Arc::new(Sums::new(opened.index_files().ok()?));
    let index =
        super::TextIndex::open(&entry.join(INDEX_FOLDER), super::index::Places::Stored(places), sums).ok()?;
    let studies = usize::try_from(opened.studies()).ok()?;
    // A word no study holds gets a suggestion, which reads the summaries: the full load gives it.
    if super::suggest::has_missing_words(&index, expr) {
        return None;
    }
    let found = super::search_index(&index, studies, expr)?;
    Some(Answer { opened, found, errors: meta.errors, warnings: meta.warnings })
}

/// A query answered from a cache entry without the catalog in memory: the stored columns
/// answer its filters ([`super::columns`]), the index its words, and only the studies shown are
/// read, their ids alone or their summaries (a filter on what the columns do not hold, such as
/// a title or a note, reads each stored summary once instead). Blocks of the index are verified
/// as it reads them, as for [`Answer`].
pub struct Filtered {
    opened: file::Opened,
    /// The matching summaries, in catalog order, when a filter needed them read.
    kept: Vec<(usize, Summary)>,
    /// The matches in the order asked for, as places in the catalog.
    pub found: Vec<usize>,
    /// What failed to load when the entry was built.
    pub errors: Vec<crate::source::LoadError>,
    /// The fields left out of studies when the entry was built.
    pub warnings: Vec<crate::source::LoadWarning>,
}

impl Filtered {
    /// The ids of the first `count` matches.
    pub fn ids(&self, count: usize) -> Result<Vec<Box<str>>, String> {
        let places = self.found.get(..count.min(self.found.len())).unwrap_or_default();
        self.opened.ids_at(places)
    }

    /// The columns of `parts` (as for counting facets over the matches).
    pub fn columns(&self, parts: &[super::columns::Part]) -> Result<super::columns::Columns, String> {
        self.opened.columns_of(parts)
    }

    /// The summaries of the first `count` matches, each marked by `mark`.
    pub fn summaries(&self, count: usize, mark: &dyn Fn(&mut Summary)) -> Result<Vec<Summary>, String> {
        let places = self.found.get(..count.min(self.found.len())).unwrap_or_default();
        let mut shown = if self.kept.is_empty() {
            self.opened.summaries_at(places)?
        } else {
            // `kept` is in catalog order: each shown study is found in it by halving.
            let kept = |place: &usize| {
                self.kept.binary_search_by_key(place, |(p, _)| *p).ok().and_then(|at| self.kept.get(at))
            };
            places.iter().filter_map(|place| kept(place).map(|(_, summary)| summary.clone())).collect()
        };
        shown.iter_mut().for_each(mark);
        Ok(shown)
    }
}

/// `query` answered from a fresh cache entry of `inputs` as [`Filtered`], the matches in
/// `order`, each summary read to test it marked by `mark` (the user's bookmarks and notes)
/// first; `None` when the entry cannot answer just as a full load would (no fresh entry,
/// damage, an index that failed or a word no study holds, whose suggestion reads every
/// summary), and the caller loads the catalog.
pub fn filter(
    inputs: &[PathBuf],
    query: &crate::query::Query,
    cache: Option<&Cache>,
    mark: &(dyn Fn(&mut Summary) + Sync),
    order: super::order::SortOrder,
) -> Option<Filtered> {
    // Every study: a conjunction of nothing, which each study passes.
    let every = crate::query::Expr::And(Vec::new());
    let expr = match query {
        crate::query::Query::Expr(expr) => expr,
        crate::query::Query::All => &every,
        crate::query::Query::Id(_) => return None,
    };
    let (entry, opened) = fresh_entry(inputs, cache)?;
    let meta = opened.meta().ok()?;
    if meta.index_error.is_some() {
        return None;
    }
    let studies = usize::try_from(opened.studies()).ok()?;
    // Filters alone need no index: it is not even opened.
    let index = if expr.needs_text() {
        let places = opened.places().ok().flatten()?;
        let sums = Arc::new(Sums::new(opened.index_files().ok()?));
        let index =
            super::TextIndex::open(&entry.join(INDEX_FOLDER), super::index::Places::Stored(places), sums)
                .ok()?;
        if super::suggest::has_missing_words(&index, expr) {
            return None;
        }
        Some(index)
    } else {
        None
    };
    let answers = super::text_answers(index.as_ref(), expr, studies);
    if answers.iter().any(|(_, answer)| answer.is_none()) {
        return None;
    }
    // Only the columns the filters and the order read: three small arrays for
    // `status:recruiting phase:3 country:Germany` rather than all of them.
    let mut parts = super::columns::parts_for(expr);
    super::columns::add_parts(&mut parts, order.parts());
    let columns = opened.columns_of(&parts).ok()?;
    let plan = super::columns::Plan::new(expr, Some(&columns)).answered(&answers);
    let no_near = |_: &crate::query::near::Near| false;
    // Summaries read only when a filter needs them: then each once, and the matches kept.
    let mut kept: Vec<(usize, Summary)> = Vec::new();
    let mut found: Vec<usize> = if plan.needs_summary() {
        kept = opened
            .studies_where(&|place, summary| {
                mark(summary);
                super::study_matches(&plan, Some(summary), place, &answers, &no_near)
            })
            .ok()?;
        kept.iter().map(|(place, _)| *place).collect()
    } else {
        (0..studies)
            .into_par_iter()
            .filter(|&place| super::study_matches(&plan, None, place, &answers, &no_near))
            .collect()
    };
    if let Some(index) = &index {
        super::rank(index, expr, studies, &mut found);
        if index.failure().is_some() {
            return None;
        }
    }
    if order != super::order::SortOrder::Relevance {
        let mut ids: Vec<(usize, Box<str>)> =
            found.iter().copied().zip(opened.ids_at(&found).ok()?).collect();
        ids.sort_unstable_by_key(|(place, _)| *place);
        let id = |place: usize| ids.binary_search_by_key(&place, |(p, _)| *p).ok().and_then(|at| ids.get(at));
        order.sort_columns(&columns, &|place| id(place).map(|(_, id)| &**id), &mut found);
    }
    Some(Filtered { opened, kept, found, errors: meta.errors, warnings: meta.warnings })
}

/// The catalog of `inputs` from their fresh cache entry, without its index (neither opened nor
/// verified): for `nct diff`, which needs only each study's id, fingerprint and locator. `None`
/// when there is no fresh entry or it cannot be read: a full [`load`] then reports and rebuilds.
pub fn load_summaries(inputs: &[PathBuf], cache: Option<&Cache>) -> Option<Catalog> {
    let (_, opened) = fresh_entry(inputs, cache)?;
    let parts = opened.parts(None).ok()?;
    Catalog::from_parts(parts, None, false).ok()
}

/// The inputs' entry, opened, when it was built from the inputs as they are now (listed while
/// the entry is opened).
fn fresh_entry(inputs: &[PathBuf], cache: Option<&Cache>) -> Option<(PathBuf, file::Opened)> {
    let (cache, inputs_key) = cache.zip(source::inputs_key(inputs))?;
    let entry = cache.entry(inputs_key);
    let (listing, opened) = rayon::join(|| source::list_inputs(inputs), || open_entry(&entry));
    let opened = opened.ok().flatten()?;
    (Some(opened.header.contents) == listing.contents_key()).then_some((entry, opened))
}

/// The entry's catalog and the contents key it was built from; `Ok(None)` when there is none or
/// it is of another format version or half replaced; `Err` when it is damaged.
fn read_entry(entry: &Path) -> Result<Option<(u64, Catalog)>, String> {
    let Some(opened) = open_entry(entry)? else { return Ok(None) };
    Ok(read_catalog(&opened, entry, None)?.map(|catalog| (opened.header.contents, catalog)))
}

/// The entry's `catalog.bin`, opened; `Ok(None)` as for [`read_entry`].
fn open_entry(entry: &Path) -> Result<Option<file::Opened>, String> {
    let Some(opened) = file::open(&entry.join(CATALOG_FILE))? else { return Ok(None) };
    if !same_build(&entry.join(INDEX_FOLDER), opened.header.build)? {
        confirm_damage(entry, &opened, "index/nct-build does not match catalog.bin".into())?;
        return Ok(None);
    }
    Ok(Some(opened))
}

/// The catalog of an opened entry with its index. With `streaming`, the summaries are handed to
/// its `fresh` list as they are decoded rather than kept in the catalog. `Ok(None)` when the
/// index was replaced by another process's meanwhile.
fn read_catalog(
    opened: &file::Opened,
    entry: &Path,
    streaming: Option<&Progress>,
) -> Result<Option<Catalog>, String> {
    let index = entry.join(INDEX_FOLDER);
    let sums = Arc::new(Sums::new(opened.index_files()?));
    // Every block of the index verified on other cores while the summaries are decoded.
    let (parts, verified) = rayon::join(
        || match streaming {
            Some(progress) => {
                progress
                    .expected
                    .store(usize::try_from(opened.studies()).unwrap_or(usize::MAX), Ordering::Relaxed);
                let mut hand_out = |studies: Vec<Summary>| progress.hand_out(studies);
                opened.parts(Some(&mut hand_out))
            }
            None => opened.parts(None),
        },
        || sums.verify_all(&index),
    );
    let opened_catalog = parts
        .and_then(|parts| verified.map(|()| parts))
        .and_then(|parts| Catalog::from_parts(parts, Some((&index, sums)), streaming.is_some()));
    match opened_catalog {
        Ok(catalog) => Ok(Some(catalog)),
        // Parts that do not fit are another build's when the entry was replaced: not damage.
        Err(why) => confirm_damage(entry, opened, why).map(|()| None),
    }
}

/// Whether the index folder is of the same build as the `catalog.bin` read (`false`: replaced
/// by another process between the two reads, so read the inputs this time).
fn same_build(index: &Path, build: u64) -> Result<bool, String> {
    match fs::read(index.join(BUILD_FILE)) {
        Ok(stored) => Ok(stored == build.to_le_bytes()),
        Err(e) => Err(format!("the index has no build number: {e}")),
    }
}

/// A new entry being put together in a temporary folder beside where it goes, then renamed
/// into place whole.
struct Draft {
    folder: PathBuf,
    /// Where an existing entry is moved while this one takes its place.
    aside: PathBuf,
    build: u64,
}

impl Draft {
    fn start(root: &Path, entry: &Path) -> Result<Draft, String> {
        fs::create_dir_all(root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        remove_leftovers(root);
        let name = entry.file_name().and_then(|n| n.to_str()).unwrap_or("entry");
        let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let unique = format!("{}-{stamp}", std::process::id());
        let draft = Draft {
            folder: root.join(format!("{name}.tmp-{unique}")),
            aside: root.join(format!("{name}.old-{unique}")),
            build: build_number(stamp),
        };
        let index = draft.index_folder();
        fs::create_dir_all(&index).map_err(|e| format!("cannot create {}: {e}", index.display()))?;
        Ok(draft)
    }

    fn index_folder(&self) -> PathBuf {
        self.folder.join(INDEX_FOLDER)
    }

    /// Writes what is not yet in the folder (the index, if built in memory; `catalog.bin`) and
    /// renames the folder into place.
    fn finish(self, root: &Path, entry: &Path, catalog: &Catalog, contents: u64) -> Result<(), String> {
        let result = self
            .write(catalog, contents)
            .and_then(|()| swap_into_place(root, &self.folder, entry, &self.aside));
        if result.is_err() {
            self.abandon();
        }
        result
    }

    fn write(&self, catalog: &Catalog, contents: u64) -> Result<(), String> {
        let index = self.index_folder();
        if let Some(text_index) = &catalog.index
            && text_index.in_memory()
        {
            text_index.persist(&index)?;
        }
        write_synced(&index.join(BUILD_FILE), |w| w.write_all(&self.build.to_le_bytes()))?;
        // Read back from disk, so that what is listed is what the next run will read.
        let index_files = sums::of_folder(&index)?;
        file::write(&self.folder.join(CATALOG_FILE), catalog, &index_files, contents, self.build)?;
        sync_folder(&self.folder);
        Ok(())
    }

    fn abandon(self) {
        let _ = fs::remove_dir_all(&self.folder);
    }
}

/// A number telling this build's two halves from another's.
fn build_number(stamp: u128) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut hasher = DefaultHasher::new();
    (stamp, std::process::id()).hash(&mut hasher);
    hasher.finish()
}

fn write_synced(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> Result<(), String> {
    let mut file = File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    write(&mut file)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Makes the names in a folder durable (a no-op where folders cannot be opened).
fn sync_folder(folder: &Path) {
    if let Ok(handle) = File::open(folder) {
        let _ = handle.sync_all();
    }
}

/// Renames `temporary` to `entry`, moving an existing entry aside first (rename does not
/// replace a folder that has files).
fn swap_into_place(root: &Path, temporary: &Path, entry: &Path, aside: &Path) -> Result<(), String> {
    if fs::rename(temporary, entry).is_ok() {
        sync_folder(root);
        return Ok(());
    }
    let moved_aside = fs::rename(entry, aside).is_ok();
    let placed = fs::rename(temporary, entry);
    let _ = fs::remove_dir_all(aside);
    sync_folder(root);
    match placed {
        Ok(()) => Ok(()),
        // Another process put its entry in place between our two renames: it is as good.
        Err(_) if moved_aside && entry.join(CATALOG_FILE).exists() => {
            let _ = fs::remove_dir_all(temporary);
            Ok(())
        }
        Err(e) => Err(format!("cannot move the new entry into {}: {e}", entry.display())),
    }
}

/// Removes temporary folders that runs stopped mid-write left behind.
fn remove_leftovers(root: &Path) {
    let Ok(entries) = fs::read_dir(root) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.contains(".tmp-") || name.contains(".old-")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > LEFTOVER_AGE);
        if old {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::query::{Query, parse};

    /// The bundled studies copied into a folder the test may change, and a cache beside them.
    fn setup() -> (tempfile::TempDir, Vec<PathBuf>, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let studies = dir.path().join("studies");
        fs::create_dir(&studies).unwrap();
        let assets = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
        for entry in fs::read_dir(assets).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                fs::copy(&path, studies.join(path.file_name().unwrap())).unwrap();
            }
        }
        fs::write(studies.join("broken.json"), "{\"protocolSection\": ").unwrap();
        let cache = Cache { root: dir.path().join("cache"), policy: Policy::Always, index_on_disk: u64::MAX };
        (dir, vec![studies], cache)
    }

    fn ids(catalog: &Catalog, query: &str) -> Vec<String> {
        catalog.search(&parse(query).unwrap()).iter().map(|&i| catalog.studies[i].id.to_string()).collect()
    }

    fn load(inputs: &[PathBuf], cache: &Cache) -> (Catalog, Outcome) {
        super::load(inputs, &Progress::default(), Some(cache))
    }

    fn entry_of(cache: &Cache) -> PathBuf {
        let entries: Vec<PathBuf> = fs::read_dir(&cache.root).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(entries.len(), 1, "{entries:?}");
        entries[0].clone()
    }

    const QUERIES: [&str; 6] =
        ["cancer", "\"stem cells\"", "status:completed", "city:tokyo", "vaccines OR psoriasis -cancer", ""];

    #[test]
    fn a_stored_catalog_reopens_the_same() {
        let (_dir, inputs, cache) = setup();
        let (fresh, outcome) = load(&inputs, &cache);
        assert_eq!(outcome, Outcome::Stored);
        let (cached, outcome) = load(&inputs, &cache);
        assert_eq!(outcome, Outcome::Reused);
        assert!(cached.index.is_some());
        assert_eq!(cached.len(), fresh.len());
        assert_eq!(cached.errors, fresh.errors);
        assert_eq!(cached.errors.len(), 1, "{:?}", cached.errors);
        for query in QUERIES {
            assert_eq!(ids(&cached, query), ids(&fresh, query), "{query}");
        }
        assert!(ids(&cached, "city:tokyo").len() == 2);
        // The locators still lead to the records.
        let summary = cached.find("nct04415320").unwrap();
        assert!(crate::catalog::full_record(&summary.locator).is_ok());
    }

    #[test]
    fn one_study_is_found_from_the_entry_alone() {
        let (_dir, inputs, cache) = setup();
        assert!(matches!(find(&inputs, "NCT04415320", Some(&cache)), Lookup::Unknown), "no entry yet");
        let (catalog, _) = load(&inputs, &cache);
        assert!(catalog.len() > 2 * file::STUDIES_PER_CHUNK, "several chunks");
        for summary in &catalog.studies {
            let Lookup::Found(found) = find(&inputs, &summary.id.to_ascii_lowercase(), Some(&cache)) else {
                panic!("{} not found", summary.id)
            };
            assert_eq!(found.id, summary.id);
            assert_eq!(found.brief_title, summary.brief_title);
            assert_eq!(found.origin, summary.origin);
        }
        let Lookup::Found(found) = find(&inputs, " nct04415320 ", Some(&cache)) else { panic!("found") };
        assert!(crate::catalog::full_record(&found.locator).is_ok());
        assert!(matches!(
            find(&inputs, "NCT00000000", Some(&cache)),
            Lookup::Absent { studies, failures: 1 } if studies == catalog.len()
        ));
        assert!(matches!(find(&inputs, "NCT04415320", None), Lookup::Unknown));
        // A changed input makes the entry stale: it is not asked.
        fs::write(inputs[0].join("NCT99999999.json"), "{}").unwrap();
        assert!(matches!(find(&inputs, "NCT04415320", Some(&cache)), Lookup::Unknown));
    }

    #[test]
    fn a_list_gets_the_stored_studies_in_order_as_they_are_decoded() {
        let (_dir, inputs, cache) = setup();
        let (fresh, _) = load(&inputs, &cache);
        let progress = Progress::streaming();
        let (catalog, outcome) = super::load(&inputs, &progress, Some(&cache));
        assert_eq!(outcome, Outcome::Reused);
        assert!(catalog.handed_out && catalog.studies.is_empty());
        let (restarted, handed) = progress.take_fresh();
        assert!(!restarted);
        let order = |studies: &[Summary]| studies.iter().map(|s| s.id.to_string()).collect::<Vec<_>>();
        assert_eq!(order(&handed), order(&fresh.studies));
        assert_eq!(progress.studies.load(Ordering::Relaxed), fresh.len());
        // The index's places are those of the handed-out list.
        let query = parse("vaccines").unwrap();
        let Query::Expr(expr) = &query else { panic!("an expression") };
        let places =
            crate::catalog::search_studies(&handed, None, catalog.index.as_ref(), Some(&catalog.geo), expr);
        let found: Vec<&str> = places.iter().map(|&p| &*handed[p].id).collect();
        assert_eq!(found, ids(&fresh, "vaccines"));
    }

    #[test]
    fn a_damaged_entry_met_while_handing_out_starts_the_list_over() {
        let (_dir, inputs, cache) = setup();
        let (fresh, _) = load(&inputs, &cache);
        let file = entry_of(&cache).join(CATALOG_FILE);
        let mut bytes = fs::read(&file).unwrap();
        // Inside the last chunk, after the first chunks' bytes (the directory says where it is;
        // chunks come first and are most of the file).
        let at = bytes.len() * 2 / 3;
        bytes[at] ^= 0xff;
        fs::write(&file, &bytes).unwrap();
        let progress = Progress::streaming();
        let (catalog, outcome) = super::load(&inputs, &progress, Some(&cache));
        assert!(matches!(outcome, Outcome::Rebuilt { stored: true, .. }), "{outcome:?}");
        assert!(!catalog.handed_out);
        assert_eq!(catalog.len(), fresh.len());
        let (restarted, _) = progress.take_fresh();
        assert!(restarted, "what was handed out before the damage is void");
    }

    #[test]
    fn a_damaged_index_file_met_while_handing_out_starts_the_list_over() {
        let (_dir, inputs, cache) = setup();
        let (fresh, _) = load(&inputs, &cache);
        let index = entry_of(&cache).join(INDEX_FOLDER);
        let mut files: Vec<PathBuf> = fs::read_dir(&index).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let pos = files.iter().find(|f| f.extension().is_some_and(|e| e == "pos")).unwrap();
        let mut bytes = fs::read(pos).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        fs::write(pos, &bytes).unwrap();
        let progress = Progress::streaming();
        let (catalog, outcome) = super::load(&inputs, &progress, Some(&cache));
        let Outcome::Rebuilt { damage, stored: true } = &outcome else { panic!("{outcome:?}") };
        assert!(damage.starts_with("index/") && damage.ends_with(".pos fails its checksum"), "{damage}");
        assert_eq!(catalog.len(), fresh.len());
        assert_eq!(ids(&catalog, "\"stem cells\""), ids(&fresh, "\"stem cells\""));
        let (restarted, _) = progress.take_fresh();
        assert!(restarted, "what was handed out before the damage was found is void");
        assert_eq!(load(&inputs, &cache).1, Outcome::Reused);
    }

    #[test]
    fn an_index_built_in_the_entry_is_the_same() {
        let (_dir, inputs, mut cache) = setup();
        let (in_memory, _) = super::load(&inputs, &Progress::default(), None);
        cache.index_on_disk = 0;
        cache.policy = Policy::Auto;
        let (on_disk, outcome) = load(&inputs, &cache);
        assert_eq!(outcome, Outcome::Stored, "built on disk, so kept however small");
        assert!(!on_disk.index.as_ref().unwrap().in_memory());
        let (reopened, outcome) = load(&inputs, &cache);
        assert_eq!(outcome, Outcome::Reused);
        for query in QUERIES {
            assert_eq!(ids(&on_disk, query), ids(&in_memory, query), "{query}");
            assert_eq!(ids(&reopened, query), ids(&in_memory, query), "{query}");
        }
        let leftovers: Vec<_> = fs::read_dir(&cache.root).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the entry: no temporary folder left");
    }

    #[test]
    fn the_index_alone_answers_text_queries_from_the_entry() {
        let (_dir, inputs, cache) = setup();
        let (catalog, _) = load(&inputs, &cache);
        for query in
            ["cancer", "\"stem cells\"", "city:tokyo", "vaccines OR \"stem cells\" -cancer", "intr:aspirin"]
        {
            let parsed = parse(query).unwrap();
            let answer =
                answer(&inputs, &parsed, Some(&cache)).unwrap_or_else(|| panic!("{query}: no answer"));
            assert_eq!(answer.found, catalog.search(&parsed), "{query}");
            let ids: Vec<String> =
                answer.ids(&answer.found).unwrap().iter().map(|id| id.to_string()).collect();
            assert_eq!(ids, self::ids(&catalog, query), "{query}");
            let summaries = answer.summaries(&answer.found).unwrap();
            assert!(summaries.iter().zip(&ids).all(|(s, id)| *s.id == **id));
            assert_eq!(answer.errors, catalog.errors);
        }
        // A word no study of the entry holds (psoriasis is in a file the entry leaves out) gets a
        // suggestion, which reads the summaries.
        for needs_summaries in
            ["status:completed", "cancer phase:3", "", "NCT04415320", "title:cancer", "vaccines OR psoriasis"]
        {
            assert!(
                answer(&inputs, &parse(needs_summaries).unwrap(), Some(&cache)).is_none(),
                "{needs_summaries}"
            );
        }
        // A stale entry does not answer.
        fs::remove_file(inputs[0].join("NCT04415320.json")).unwrap();
        assert!(answer(&inputs, &parse("cancer").unwrap(), Some(&cache)).is_none());
    }

    #[test]
    fn filters_are_answered_from_the_entry_decoding_only_the_studies_shown() {
        use crate::catalog::order::SortOrder;
        let (_dir, inputs, cache) = setup();
        let (catalog, _) = load(&inputs, &cache);
        let no_marks = |_: &mut Summary| {};
        let all = usize::MAX;
        for query in [
            "status:completed",
            "cancer phase:3",
            "city:tokyo OR phase:2",
            "-cancer status:completed",
            "\"stem cells\" OR sex:female",
            "intr:aspirin OR phase:1",
            "title:covid OR country:\"united states\"",
        ] {
            let parsed = parse(query).unwrap();
            for order in SortOrder::ALL {
                let filtered = filter(&inputs, &parsed, Some(&cache), &no_marks, order)
                    .unwrap_or_else(|| panic!("{query}: no answer"));
                let mut expected = catalog.search(&parsed);
                order.sort(&catalog.studies, &mut expected);
                let expected: Vec<String> =
                    expected.iter().map(|&p| catalog.studies[p].id.to_string()).collect();
                let shown: Vec<String> =
                    filtered.summaries(all, &no_marks).unwrap().iter().map(|s| s.id.to_string()).collect();
                assert_eq!(shown, expected, "{query} {order:?}");
                let ids: Vec<String> = filtered.ids(all).unwrap().iter().map(|id| id.to_string()).collect();
                assert_eq!(ids, expected, "{query} {order:?}");
                assert_eq!(filtered.found.len(), expected.len());
                assert_eq!(filtered.errors, catalog.errors);
                // Only the first few read.
                let first = filtered.summaries(2, &no_marks).unwrap();
                assert_eq!(first.len(), expected.len().min(2));
                assert!(first.iter().zip(&expected).all(|(s, id)| *s.id == **id), "{query} {order:?}");
            }
        }
        // The mark is set before the test: a note filter sees it.
        let noted = |summary: &mut Summary| {
            if &*summary.id == "NCT04415320" {
                summary.note = Some("ask".into());
            }
        };
        let relevance = SortOrder::Relevance;
        let filtered = filter(&inputs, &parse("note:ask").unwrap(), Some(&cache), &noted, relevance).unwrap();
        let shown = filtered.summaries(all, &noted).unwrap();
        assert_eq!(shown.iter().map(|s| &*s.id).collect::<Vec<_>>(), ["NCT04415320"]);
        // A word no study holds gets a suggestion from every summary: the full load gives it.
        assert!(
            filter(&inputs, &parse("cancre phase:3").unwrap(), Some(&cache), &no_marks, relevance).is_none()
        );
        fs::remove_file(inputs[0].join("NCT04415320.json")).unwrap();
        let stale = filter(&inputs, &parse("phase:3").unwrap(), Some(&cache), &no_marks, relevance);
        assert!(stale.is_none(), "stale");
    }

    #[test]
    fn facets_are_counted_from_the_stored_columns_as_from_the_catalog() {
        use crate::catalog::columns::Part;
        use crate::catalog::facets::{self, Facet};
        use crate::catalog::order::SortOrder;
        let (_dir, inputs, cache) = setup();
        let (catalog, _) = load(&inputs, &cache);
        let parts: Vec<Part> = Facet::ALL.iter().map(|facet| facet.part()).collect();
        for query in ["", "status:completed", "phase:2", "title:covid OR country:\"united states\""] {
            let parsed = parse(query).unwrap();
            let filtered = filter(&inputs, &parsed, Some(&cache), &|_| {}, SortOrder::Relevance).unwrap();
            let stored = filtered.columns(&parts).unwrap();
            let counted = facets::count(&stored, &filtered.found, &Facet::ALL);
            assert_eq!(
                counted,
                facets::count(&catalog.columns, &catalog.search(&parsed), &Facet::ALL),
                "{query:?}"
            );
            assert!(counted.total > 0, "{query:?}");
        }
    }

    #[test]
    fn a_changed_input_is_read_again() {
        let (_dir, inputs, cache) = setup();
        load(&inputs, &cache);
        fs::remove_file(inputs[0].join("NCT04415320.json")).unwrap();
        let (catalog, outcome) = load(&inputs, &cache);
        assert_eq!(outcome, Outcome::Stored);
        assert!(catalog.find("NCT04415320").is_none());
        assert!(ids(&catalog, "vaccines").is_empty());
        assert_eq!(load(&inputs, &cache).1, Outcome::Reused);
        // Still one entry for these inputs: the stale one was replaced.
        entry_of(&cache);
    }

    #[test]
    fn damage_is_reported_once_and_rebuilt() {
        let (_dir, inputs, cache) = setup();
        let (fresh, _) = load(&inputs, &cache);
        let file = entry_of(&cache).join(CATALOG_FILE);
        let mut bytes = fs::read(&file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        fs::write(&file, &bytes).unwrap();
        let (catalog, outcome) = load(&inputs, &cache);
        assert_eq!(
            outcome,
            Outcome::Rebuilt { damage: "catalog.bin fails its checksum".into(), stored: true }
        );
        assert!(outcome.problem().unwrap().contains("damaged"));
        assert_eq!(ids(&catalog, "cancer"), ids(&fresh, "cancer"));
        assert_eq!(load(&inputs, &cache).1, Outcome::Reused);

        // Cut short, and not a cache file at all.
        let file = entry_of(&cache).join(CATALOG_FILE);
        let bytes = fs::read(&file).unwrap();
        fs::write(&file, &bytes[..bytes.len() - 10]).unwrap();
        assert_eq!(
            load(&inputs, &cache).1,
            Outcome::Rebuilt { damage: "catalog.bin is cut short".into(), stored: true }
        );
        let file = entry_of(&cache).join(CATALOG_FILE);
        fs::write(&file, b"hello").unwrap();
        assert!(matches!(load(&inputs, &cache).1, Outcome::Rebuilt { .. }));
    }

    #[test]
    fn a_damaged_index_is_rebuilt() {
        let (_dir, inputs, cache) = setup();
        let (fresh, _) = load(&inputs, &cache);
        let index = entry_of(&cache).join(INDEX_FOLDER);
        for file in fs::read_dir(&index).unwrap() {
            let path = file.unwrap().path();
            if path.file_name().is_some_and(|n| n != BUILD_FILE) {
                fs::write(&path, b"garbage").unwrap();
            }
        }
        let (catalog, outcome) = load(&inputs, &cache);
        assert!(matches!(outcome, Outcome::Rebuilt { stored: true, .. }), "{outcome:?}");
        assert_eq!(ids(&catalog, "cancer"), ids(&fresh, "cancer"));
        assert_eq!(load(&inputs, &cache).1, Outcome::Reused);
    }

    #[test]
    fn a_write_cut_short_is_never_used() {
        let (_dir, inputs, cache) = setup();
        load(&inputs, &cache);
        let entry = entry_of(&cache);
        // What a run killed mid-write leaves: its temporary folder, and no entry.
        let leftover = cache.root.join(format!("{}.tmp-1-2", entry.file_name().unwrap().to_string_lossy()));
        fs::rename(&entry, &leftover).unwrap();
        let file = leftover.join(CATALOG_FILE);
        let bytes = fs::read(&file).unwrap();
        fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
        let (catalog, outcome) = load(&inputs, &cache);
        assert_eq!(outcome, Outcome::Stored);
        assert_eq!(catalog.len(), 25);
        assert!(leftover.exists(), "a recent leftover may still be another run's: left alone");
    }

    #[test]
    fn small_inputs_are_not_stored_by_default() {
        let (_dir, inputs, mut cache) = setup();
        cache.policy = Policy::Auto;
        let (catalog, outcome) = load(&inputs, &cache);
        assert_eq!(outcome, Outcome::NotUsed);
        assert!(catalog.index.is_some());
        assert!(!cache.root.exists());
    }

    #[test]
    fn two_loads_at_once_both_succeed() {
        let (_dir, inputs, cache) = setup();
        let loads: Vec<(Catalog, Outcome)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..2).map(|_| scope.spawn(|| load(&inputs, &cache))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (catalog, outcome) in &loads {
            assert!(matches!(outcome, Outcome::Stored | Outcome::Reused), "{outcome:?}");
            assert_eq!(ids(catalog, "cancer"), ids(&loads[0].0, "cancer"));
        }
        let (catalog, outcome) = load(&inputs, &cache);
        assert_eq!(outcome, Outcome::Reused);
        assert_eq!(ids(&catalog, "cancer"), ids(&loads[0].0, "cancer"));
        entry_of(&cache);
    }

    #[test]
    fn standard_input_is_never_cached() {
        let (_dir, _inputs, cache) = setup();
        let (_, outcome) = super::load(&[PathBuf::from("-")], &Progress::default(), Some(&cache));
        assert_eq!(outcome, Outcome::NotUsed);
    }
}
