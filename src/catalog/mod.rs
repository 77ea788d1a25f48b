//! The loaded collection: a compact [`Summary`] per study, with the [`Locator`] to read its full
//! record again, plus everything that went wrong while loading.
//!
//! Full records are parsed once while loading (so a malformed one is reported at once, with the
//! path of the bad field) and then dropped: only the summary stays, so that the whole registry
//! (600k studies) fits in memory. A study seen twice (the same NCT id in two inputs) is kept
//! once: the version with the newest last-update date wins, and the other is listed in
//! [`Catalog::duplicates`].
//!
//! [`Catalog::load_indexed`] also builds the full-text index ([`index`]) while parsing, for
//! search; [`Catalog::load`] does not, so `nct check` and `nct show` do not pay for it.

pub mod cache;
pub mod columns;
pub mod diff;
pub mod export;
pub mod facets;
pub mod fits;
pub mod geo;
mod index;
pub(crate) mod interner;
mod matching;
pub mod order;
pub mod suggest;
mod summary;
#[cfg(test)]
pub(crate) mod testing;

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

pub(crate) use index::analyzer;
pub use index::{TextIndex, panic_is_caught, quiet_caught_panics};
pub use matching::FilterOnSummary;
pub use summary::{Summary, mark_studies, mark_study};

use rayon::prelude::*;

use crate::query::near::Near;
use crate::query::{Expr, Filter, Query, TextField, TextTerm, contains_folded};

use crate::source::{self, InputFileSeen, Listing, LoadError, LoadWarning, Locator, Origin, RawStudy, Sink};
use crate::study::Study;
use crate::study::lenient::{self, LeftOut};

/// The same study found twice; `kept` is the one in the catalog.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Duplicate {
    pub id: Box<str>,
    pub kept: Origin,
    pub dropped: Origin,
}

#[derive(Debug, Default)]
pub struct Catalog {
    /// In the order of the inputs.
    pub studies: Vec<Summary>,
    pub errors: Vec<LoadError>,
    /// Studies loaded with a field left out (a value that could not be read), by origin.
    pub warnings: Vec<LoadWarning>,
    pub duplicates: Vec<Duplicate>,
    /// How many input files (a zip's entries each one) were recognised as each format. Counted
    /// rather than listed: the whole registry's zip holds 600k of them, and a list of their
    /// origins, sorted, was 100 MB more at the end of a first open.
    pub formats: BTreeMap<source::Format, usize>,
    /// The full-text index, when loaded with [`Catalog::load_indexed`] and it could be built.
    pub index: Option<TextIndex>,
    /// Why the index could not be built, when asked for; search then falls back to summaries.
    pub index_error: Option<String>,
    /// The places the sites name and the site index, for `near:`.
    pub geo: geo::Geo,
    /// The studies' filterable fields by field, for filters, facets and orders over many.
    pub columns: columns::Columns,
    by_id: HashMap<Box<str>, usize>,
    /// The studies were handed, in order, to the loading [`Progress::fresh`] list as they were
    /// read from the cache, and are not in `studies` (nor found by [`Catalog::find`]).
    pub handed_out: bool,
}

/// Whether and where a load builds the full-text index.
enum Indexing {
    None,
    InMemory,
    /// In this folder (existing and empty): for the cache, which keeps it there.
    InFolder(PathBuf),
}

/// Counts studies as they load, for a progress display on another thread.
#[derive(Debug, Default)]
pub struct Progress {
    pub studies: AtomicUsize,
    pub errors: AtomicUsize,
    /// Studies expected, where the inputs say in advance (files found, zip entries); 0 if unknown.
    pub expected: AtomicUsize,
    /// Bytes of input read so far, of `expected_bytes` (0 if unknown): for a rate and a time left.
    pub bytes: AtomicU64,
    pub expected_bytes: AtomicU64,
    /// When set, each summary as it is read from the cache, or a copy of the first
    /// [`COPIES_WHILE_LOADING`] as they are parsed, for a list that fills while loading.
    pub fresh: Option<Mutex<Vec<Summary>>>,
    /// What was handed out so far is void: the loading started over (see [`Progress::restart`]).
    restarted: std::sync::atomic::AtomicBool,
}

impl Progress {
    /// Progress that also hands out each summary as it is parsed.
    pub fn streaming() -> Progress {
        Progress { fresh: Some(Mutex::default()), ..Progress::default() }
    }

    /// The summaries parsed since the last call, and whether those taken before are void
    /// (the loading started over: drop them).
    pub fn take_fresh(&self) -> (bool, Vec<Summary>) {
        let Some(fresh) = self.fresh.as_ref() else { return (false, Vec::new()) };
        let Ok(mut fresh) = fresh.lock() else { return (false, Vec::new()) };
        let restarted = self.restarted.swap(false, Ordering::Relaxed);
        (restarted, std::mem::take(&mut *fresh))
    }

    /// Adds studies to the fresh list.
    pub(crate) fn hand_out(&self, studies: Vec<Summary>) {
        let added = studies.len();
        if let Some(fresh) = &self.fresh
            && let Ok(mut fresh) = fresh.lock()
        {
            fresh.extend(studies);
        }
        self.studies.fetch_add(added, Ordering::Relaxed);
    }

    /// Starts the count and the fresh list over, marking what was taken from it void.
    pub(crate) fn restart(&self) {
        if let Some(fresh) = &self.fresh
            && let Ok(mut fresh) = fresh.lock()
        {
            fresh.clear();
            self.restarted.store(true, Ordering::Relaxed);
        }
        for count in [&self.studies, &self.errors, &self.expected] {
            count.store(0, Ordering::Relaxed);
        }
        self.bytes.store(0, Ordering::Relaxed);
        self.expected_bytes.store(0, Ordering::Relaxed);
    }
}

impl Catalog {
    /// Reads every input. Never fails as a whole: what cannot be read is in `errors`.
    pub fn load(inputs: &[PathBuf]) -> Catalog {
        Self::load_with_progress(inputs, &Progress::default())
    }

    /// Reads the files of a listing made beforehand (see [`source::list_inputs`]).
    pub fn load_listed(listing: &Listing) -> Catalog {
        Self::load_listing(listing, &Progress::default(), Indexing::None)
    }

    pub fn load_with_progress(inputs: &[PathBuf], progress: &Progress) -> Catalog {
        Self::load_with(inputs, progress, false)
    }

    /// Reads every input and builds the full-text index over them on the way, for
    /// [`Catalog::search`].
    pub fn load_indexed(inputs: &[PathBuf], progress: &Progress) -> Catalog {
        Self::load_with(inputs, progress, true)
    }

    fn load_with(inputs: &[PathBuf], progress: &Progress, indexed: bool) -> Catalog {
        let indexing = if indexed { Indexing::InMemory } else { Indexing::None };
        Self::load_listing(&source::list_inputs(inputs), progress, indexing)
    }

    fn load_listing(listing: &Listing, progress: &Progress, indexing: Indexing) -> Catalog {
        let folder = match &indexing {
            Indexing::InFolder(folder) => Some(folder.as_path()),
            _ => None,
        };
        let (builder, mut index_error) = match indexing {
            Indexing::None => (None, None),
            Indexing::InMemory | Indexing::InFolder(_) => match index::IndexBuilder::new(folder) {
                Ok(builder) => (Some(builder), None),
                Err(e) => (None, Some(e)),
            },
        };
        let collector = Collector {
            studies: Mutex::default(),
            errors: Mutex::default(),
            warnings: Mutex::default(),
            formats: Mutex::default(),
            progress,
            index: builder.as_ref(),
            next_key: AtomicU64::new(0),
            shared: interner::Interner::default(),
            geo: geo::GeoBuilder::default(),
            copies_handed_out: AtomicUsize::new(0),
            announced: AtomicUsize::new(0),
        };
        source::read_listing(listing, &collector);
        let mut studies = collector.studies.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut errors = collector.errors.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut warnings = collector.warnings.into_inner().unwrap_or_else(|e| e.into_inner());
        let formats = collector.formats.into_inner().unwrap_or_else(|e| e.into_inner());
        let geo_builder = collector.geo;
        // Orders are unique, so an unstable sort gives the one order; everything is done in
        // place, since a second vector of 600k summaries is hundreds of MB.
        studies.sort_unstable_by_key(|s| s.order);
        errors.sort_by_cached_key(|e| e.origin.to_string());
        // Stable: a study's fields stay in the order they were found.
        warnings.sort_by_cached_key(|w| w.origin.to_string());
        let duplicates = remove_duplicates(&mut studies);
        // A version dropped for a newer one is not loaded: what it left out does not matter.
        if !duplicates.is_empty() && !warnings.is_empty() {
            let dropped: std::collections::HashSet<String> =
                duplicates.iter().map(|d| d.dropped.to_string()).collect();
            warnings.retain(|w| !dropped.contains(&w.origin.to_string()));
        }
        let by_id = places_by_id(&studies);
        let by_key = places_by_key(&studies);
        let columns = columns::Columns::of(&studies);
        let geo = geo_builder.finish(&by_key);
        let mut index = None;
        if let Some(builder) = builder {
            match builder.finish(&by_key) {
                Ok(built) => index = Some(built),
                Err(e) => index_error = Some(e),
            }
        }
        Catalog {
            studies,
            errors,
            warnings,
            duplicates,
            formats,
            index,
            index_error,
            geo,
            columns,
            by_id,
            handed_out: false,
        }
    }

    /// A catalog from its parts as stored in the cache, with its index opened from `index`.
    /// `handed_out`: the studies went to the loading progress instead (see
    /// [`Catalog::handed_out`]). The input files' formats are not stored (`nct check` reads
    /// the inputs).
    fn from_parts(
        parts: cache::Parts,
        index: Option<(&std::path::Path, Arc<cache::Sums>)>,
        handed_out: bool,
    ) -> Result<Catalog, String> {
        let cache::Parts { studies, errors, warnings, duplicates, index_error, places, geo, columns } = parts;
        let by_id = places_by_id(&studies);
        if by_id.len() != studies.len() {
            return Err("the stored studies repeat an id".into());
        }
        if !handed_out && columns.len() != studies.len() {
            return Err("the stored columns do not fit the stored studies".into());
        }
        let index = match (index, places) {
            (Some((folder, sums)), Some(places)) => {
                Some(TextIndex::open(folder, index::Places::Stored(places), sums)?)
            }
            (Some(_), None) => return Err("the places of the index documents are missing".into()),
            (None, _) => None,
        };
        let formats = BTreeMap::new();
        Ok(Catalog {
            studies,
            errors,
            warnings,
            duplicates,
            formats,
            index,
            index_error,
            geo,
            columns,
            by_id,
            handed_out,
        })
    }

    /// The study with this NCT id (any case).
    pub fn find(&self, id: &str) -> Option<&Summary> {
        let id = id.trim().to_ascii_uppercase();
        self.by_id.get(id.as_str()).and_then(|&i| self.studies.get(i))
    }

    pub fn len(&self) -> usize {
        self.studies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.studies.is_empty()
    }

    /// The studies answering `query`, as places in [`Catalog::studies`], best first.
    ///
    /// Filters are answered from the summaries. Text terms are answered by the full-text index
    /// (one tantivy query per distinct term), and the matches ordered by the BM25 score of the
    /// query's positive text terms together (ties, and queries with no text, in catalog order).
    /// Without an index (a catalog loaded with [`Catalog::load`], or one whose index failed), a
    /// text term is a substring test on the summary's titles, conditions and lead sponsor (for
    /// `title:`, `cond:`, `sponsor:`, `country:` the field itself; `city:` and `intr:` match
    /// nothing), and nothing is ranked.
    pub fn search(&self, query: &Query) -> Vec<usize> {
        match query {
            Query::All => (0..self.studies.len()).collect(),
            Query::Id(id) => self.by_id.get(id.as_str()).copied().into_iter().collect(),
            Query::Expr(expr) => {
                // A place no site names matches nothing here; the CLI and the app resolve first
                // (`geo::resolve_places`) to say why.
                let mut expr = expr.clone();
                let _ = geo::resolve_places(&mut expr, &self.geo);
                search_studies(
                    &self.studies,
                    Some(&self.columns),
                    self.index.as_ref(),
                    Some(&self.geo),
                    &expr,
                )
            }
        }
    }
}

/// Each study's index key to its place in the catalog.
fn places_by_key(studies: &[Summary]) -> HashMap<u64, usize> {
    studies.iter().enumerate().map(|(place, s)| (s.index_key, place)).collect()
}

fn places_by_id(studies: &[Summary]) -> HashMap<Box<str>, usize> {
    studies.iter().enumerate().map(|(place, s)| (s.id.clone(), place)).collect()
}

/// Removes every study seen twice but one, in place: the version with the newest last update
/// wins and takes the first one's place in the order. Returns what was removed.
fn remove_duplicates(studies: &mut Vec<Summary>) -> Vec<Duplicate> {
    let mut first: HashMap<Box<str>, usize> = HashMap::with_capacity(studies.len());
    let mut dropped = vec![false; studies.len()];
    let mut duplicates = Vec::new();
    for place in 0..studies.len() {
        let Some(summary) = studies.get(place) else { break };
        match first.entry(summary.id.clone()) {
            Entry::Vacant(slot) => {
                slot.insert(place);
            }
            Entry::Occupied(slot) => {
                let kept_at = *slot.get();
                let newer = studies.get(kept_at).is_some_and(|kept| summary.last_update > kept.last_update);
                if newer {
                    studies.swap(kept_at, place);
                }
                if let (Some(kept), Some(gone), Some(mark)) =
                    (studies.get(kept_at), studies.get(place), dropped.get_mut(place))
                {
                    *mark = true;
                    duplicates.push(Duplicate {
                        id: kept.id.clone(),
                        kept: kept.origin.clone(),
                        dropped: gone.origin.clone(),
                    });
                }
            }
        }
    }
    let mut marks = dropped.into_iter();
    studies.retain(|_| !marks.next().unwrap_or(false));
    duplicates
}

/// The studies (places in `studies`) matching `expr`, best first: filters answered from
/// `columns` when given for these studies (else, and for fields they do not hold, from the
/// summaries), text terms from `index` when there is one (its places must be those of
/// `studies`, as after loading), from the summaries otherwise.
///
/// `near:` filters are answered by `geo`'s site index, for the areas they were resolved to
/// ([`geo::resolve_places`]); without `geo`, or unresolved, they match nothing. A `near:` the
/// whole query must pass (alone, or in the top AND) limits the studies looked at to those it
/// finds, so that it answers in the time its area takes, not the collection's.
pub fn search_studies(
    studies: &[Summary],
    columns: Option<&columns::Columns>,
    index: Option<&TextIndex>,
    geo: Option<&geo::Geo>,
    expr: &Expr,
) -> Vec<usize> {
    search_studies_near(studies, columns, index, geo, expr).0
}

/// [`search_studies`], with the studies near the area a list shows distances for
/// ([`geo::shown_near`]) as its site index found them for the matching, so that a list asks the
/// index once per query rather than again for its distances.
pub fn search_studies_near(
    studies: &[Summary],
    columns: Option<&columns::Columns>,
    index: Option<&TextIndex>,
    geo: Option<&geo::Geo>,
    expr: &Expr,
) -> (Vec<usize>, Option<(crate::study::geo::Area, geo::Nearby)>) {
    // Words alone: the index answers without touching 600k summaries.
    if let Some(index) = index
        && expr.answered_by_text()
        && let Some(found) = search_index(index, studies.len(), expr)
    {
        return (found, None);
    }
    let answers = text_answers(index, expr, studies.len());
    let near_answers: Vec<(&Near, geo::Nearby)> = geo::near_questions(expr)
        .into_iter()
        .map(|(near, statuses)| {
            let found = match (geo, &near.area) {
                (Some(geo), Some(area)) => geo.nearby(area, statuses.as_deref()),
                _ => geo::Nearby::default(),
            };
            (near, found)
        })
        .collect();
    let near = |place: usize, asked: &Near| {
        near_answers.iter().any(|(known, found)| std::ptr::eq(*known, asked) && found.of(place).is_some())
    };
    let candidates: Option<Vec<usize>> = required_near(expr)
        .and_then(|required| near_answers.iter().find(|(known, _)| std::ptr::eq(*known, required)))
        .map(|(_, found)| found.places());
    let plan =
        columns::Plan::new(expr, columns.filter(|columns| columns.len() == studies.len())).answered(&answers);
    let consider = |&place: &usize| {
        studies.get(place).is_some_and(|summary| {
            study_matches(&plan, Some(summary), place, &answers, &|asked| near(place, asked))
        })
    };
    let mut matches: Vec<usize> = match candidates {
        Some(candidates) => candidates.into_iter().filter(consider).collect(),
        // On every core: 600k studies are a few milliseconds each way.
        None => (0..studies.len()).into_par_iter().filter(consider).collect(),
    };
    if let Some(index) = index {
        rank(index, expr, studies.len(), &mut matches);
    }
    // The first `near:` resolved is the one shown (as `geo::shown_near` says), its answer given
    // back rather than asked again.
    let shown = near_answers
        .into_iter()
        .find_map(|(near, found)| near.area.clone().map(|area| (area, found)))
        .filter(|_| geo.is_some());
    (matches, shown)
}

/// A `near:` every match must pass: the query itself, or a part of its top AND.
fn required_near(expr: &Expr) -> Option<&Near> {
    match expr {
        Expr::Filter(Filter::Near(near)) => Some(near),
        Expr::And(parts) => parts.iter().find_map(|part| match part {
            Expr::Filter(Filter::Near(near)) => Some(near),
            _ => None,
        }),
        _ => None,
    }
}

/// Each text term's matches, by place; `None` for a term the index failed on.
pub(crate) type TextAnswers = Vec<(TextTerm, Option<Arc<[bool]>>)>;

/// Each distinct text term of `expr` asked of `index` (over `studies` many studies) once, up
/// front, so that the per-study test is a lookup by place. Without an index, none: the summary
/// answers every term, as it does a term the index failed on.
pub(crate) fn text_answers(index: Option<&TextIndex>, expr: &Expr, studies: usize) -> TextAnswers {
    let mut answers: TextAnswers = Vec::new();
    if let Some(index) = index {
        let mut terms = Vec::new();
        expr.text_terms(&mut terms);
        for term in terms {
            if !answers.iter().any(|(known, _)| *known == term) {
                let answer = index.matching(&term, studies).ok();
                answers.push((term, answer));
            }
        }
    }
    answers
}

/// Whether the study at `place` answers `plan`, its text terms looked up in `answers` (or, for
/// a term the index did not answer, in `summary`) and its `near:` filters put to `near` (a
/// caller without sites answers them all `false`).
pub(crate) fn study_matches(
    plan: &columns::Plan,
    summary: Option<&Summary>,
    place: usize,
    answers: &TextAnswers,
    near: &dyn Fn(&Near) -> bool,
) -> bool {
    let text = |term: &TextTerm| -> bool {
        match answers.iter().find(|(known, _)| known == term) {
            Some((_, Some(found))) => found.get(place).copied().unwrap_or(false),
            _ => summary.is_some_and(|summary| summary_has_text(summary, term)),
        }
    };
    plan.matches(place, summary, &text, near)
}

/// The places (among `studies` many) matching `expr`, best first, from `index` alone, for a
/// tree the index answers ([`Expr::answered_by_text`]); `None` when the index fails on a term.
pub(crate) fn search_index(index: &TextIndex, studies: usize, expr: &Expr) -> Option<Vec<usize>> {
    let mut terms = Vec::new();
    expr.text_terms(&mut terms);
    let answers: Vec<(TextTerm, Arc<[bool]>)> = terms
        .into_iter()
        .map(|term| index.matching(&term, studies).map(|found| (term, found)))
        .collect::<Result<_, _>>()
        .ok()?;
    let answer = text_answer(expr, &answers, studies);
    // Counted first: a broad word's 265k places pushed one by one would copy the vector as it
    // grows.
    let mut matches = Vec::with_capacity(answer.iter().filter(|hit| **hit).count());
    matches.extend(answer.iter().enumerate().filter(|(_, hit)| **hit).map(|(place, _)| place));
    rank(index, expr, studies, &mut matches);
    Some(matches)
}

/// Which of `studies` many studies match a tree the index answers, one vector per node rather
/// than the tree walked per study; `answers` holds each text term's matches, which a tree of
/// one term answers as they are.
fn text_answer<'a>(expr: &Expr, answers: &'a [(TextTerm, Arc<[bool]>)], studies: usize) -> Cow<'a, [bool]> {
    let of = |term: &TextTerm| {
        answers
            .iter()
            .find(|(known, _)| known == term)
            .map_or_else(|| Cow::Owned(vec![false; studies]), |(_, found)| Cow::Borrowed(&**found))
    };
    let combine = |parts: &[Expr], join: fn(&mut bool, bool)| {
        let mut parts = parts.iter().map(|part| text_answer(part, answers, studies));
        let mut all = parts.next().map_or_else(|| vec![false; studies], Cow::into_owned);
        for part in parts {
            all.iter_mut().zip(part.iter()).for_each(|(hit, &other)| join(hit, other));
        }
        Cow::Owned(all)
    };
    match expr {
        Expr::And(parts) => combine(parts, |hit, other| *hit &= other),
        Expr::Or(parts) => combine(parts, |hit, other| *hit |= other),
        Expr::Not(inner) => {
            let mut answer = text_answer(inner, answers, studies).into_owned();
            answer.iter_mut().for_each(|hit| *hit = !*hit);
            Cow::Owned(answer)
        }
        Expr::Text(term) => of(term),
        Expr::Filter(filter) => {
            filter.text_term().map_or_else(|| Cow::Owned(vec![false; studies]), |term| of(&term))
        }
    }
}

/// Orders `matches` by the BM25 score of the query's positive text terms together; ties, and
/// queries with no such term, keep catalog order.
pub(crate) fn rank(index: &TextIndex, expr: &Expr, studies: usize, matches: &mut [usize]) {
    let mut positive = Vec::new();
    positive_terms(expr, false, &mut positive);
    if !positive.is_empty()
        && let Ok(scores) = index.scores(&positive, studies)
    {
        let score = |place: usize| scores.get(place).copied().unwrap_or(0.0);
        sort_by_score(matches, &score);
    }
}

/// Sorts `matches` by `score`, highest first, equal scores keeping their order (a stable sort
/// by [`f32::total_cmp`]). Each match becomes one number, its score's order in the high half
/// and its place or position in the low, sorted unstably on every core: a broad word matches 265k
/// studies of 600k, which a stable sort calling back for both scores per comparison takes
/// 20 ms to order, more than a keystroke's frame. A word being typed scores its matches alike,
/// and they are left as they are.
fn sort_by_score(matches: &mut [usize], score: &(dyn Fn(usize) -> f32 + Sync)) {
    if u32::try_from(matches.len()).is_err() {
        matches.sort_by(|&a, &b| score(b).total_cmp(&score(a)));
        return;
    }
    // In the low half, the place itself when the matches come in catalog order (as the index
    // gives them), so that no copy of them is needed to put them back; else the position.
    let by_place = matches.is_sorted() && matches.last().is_none_or(|&last| u32::try_from(last).is_ok());
    let mut keyed: Vec<u64> = matches
        .par_iter()
        .enumerate()
        .map(|(at, &place)| {
            (u64::from(!total_order(score(place))) << 32) | (if by_place { place } else { at }) as u64
        })
        .collect();
    let first = keyed.first().map_or(0, |key| key >> 32);
    if keyed.iter().all(|key| key >> 32 == first) {
        return;
    }
    keyed.par_sort_unstable();
    let low = |key: u64| (key & u64::from(u32::MAX)) as usize;
    if by_place {
        for (slot, key) in matches.iter_mut().zip(keyed) {
            *slot = low(key);
        }
    } else {
        let before: Vec<usize> = matches.to_vec();
        for (slot, key) in matches.iter_mut().zip(keyed) {
            if let Some(&place) = before.get(low(key)) {
                *slot = place;
            }
        }
    }
}

/// `score`'s bits, ordered as [`f32::total_cmp`] orders the scores.
fn total_order(score: f32) -> u32 {
    let bits = score.to_bits();
    if bits >> 31 == 1 { !bits } else { bits | 1 << 31 }
}

/// The text terms not under a negation, each once: what ranks the matches.
fn positive_terms<'e>(expr: &'e Expr, negated: bool, out: &mut Vec<&'e TextTerm>) {
    match expr {
        Expr::And(parts) | Expr::Or(parts) => {
            for part in parts {
                positive_terms(part, negated, out);
            }
        }
        Expr::Not(inner) => positive_terms(inner, !negated, out),
        Expr::Text(term) => {
            if !negated && !out.contains(&term) {
                out.push(term);
            }
        }
        Expr::Filter(_) => {}
    }
}

/// A text term answered without the index: a substring of the summary's text (see
/// [`Catalog::search`]).
fn summary_has_text(summary: &Summary, term: &TextTerm) -> bool {
    let titles = [Some(&*summary.brief_title), summary.official_title.as_deref(), summary.acronym.as_deref()];
    let conditions = summary.conditions.iter().map(|c| &**c);
    let texts: Vec<&str> = match term.field {
        None => titles.into_iter().flatten().chain(conditions).chain(summary.sponsor.as_deref()).collect(),
        Some(TextField::Title) => titles.into_iter().flatten().collect(),
        Some(TextField::Condition) => conditions.collect(),
        Some(TextField::Sponsor) => summary.sponsor.as_deref().into_iter().collect(),
        Some(TextField::Country) => summary.countries.iter().map(|c| &**c).collect(),
        Some(TextField::City | TextField::Intervention) => Vec::new(),
    };
    if term.phrase {
        let phrase = term.words.join(" ");
        texts.iter().any(|text| contains_folded(text, &phrase))
    } else {
        term.words.iter().all(|word| texts.iter().any(|text| contains_folded(text, word)))
    }
}

/// Why a record is not a study nct can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StudyError {
    #[error("no protocolSection: this is not a study record (or it was fetched with a fields= filter)")]
    NoProtocolSection,
    #[error("no {}: a study needs its NCT id", ID_FIELD)]
    NoId,
    #[error("{} is empty", ID_FIELD)]
    EmptyId,
    /// The id, or a module holding it, was left out for a bad value: that is the reason to give.
    #[error("{0}; a study needs its NCT id")]
    IdLeftOut(LeftOut),
    /// Not JSON, or not a study object: the reason, with the path of the field at fault.
    #[error("{0}")]
    Unreadable(String),
}

/// Why a study's full record could not be had again: its input changed, or it no longer reads.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error(transparent)]
    Reread(#[from] source::RereadError),
    #[error(transparent)]
    Study(#[from] StudyError),
}

/// Reads a study's full record again, through its locator.
pub fn full_record(locator: &Locator) -> Result<Study, RecordError> {
    full_record_read(locator).map(|(study, _)| study)
}

/// [`full_record`], with the fields left out of it (see [`read_study`]).
pub fn full_record_read(locator: &Locator) -> Result<(Study, Vec<LeftOut>), RecordError> {
    let json = source::reread(locator)?;
    Ok(read_study(&json)?)
}

/// The record's JSON text as the registry wrote it.
pub fn raw_record(locator: &Locator) -> Result<Vec<u8>, source::RereadError> {
    source::reread(locator)
}

/// Parses one study (see [`read_study`]), without saying which fields were left out.
pub fn parse_study(json: &[u8]) -> Result<Study, StudyError> {
    read_study(json).map(|(study, _)| study)
}

/// Parses one study. A value that cannot be read (a wrong type, a date that is no date) costs
/// only its field, which is left out and returned (see [`lenient`]); a record that is not JSON,
/// not a study, or has no NCT id is an error naming the field at fault.
pub fn read_study(json: &[u8]) -> Result<(Study, Vec<LeftOut>), StudyError> {
    // The fast path: UTF-8 checked once for the whole record (rather than string by string) and
    // no path tracking. Only a record that fails is read again, field by field.
    let (study, left_out) = match std::str::from_utf8(json).map(serde_json::from_str::<Study>) {
        Ok(Ok(study)) => (study, Vec::new()),
        Ok(Err(e)) if e.classify() == serde_json::error::Category::Data => {
            lenient::read_leniently(json).ok_or_else(|| StudyError::Unreadable(explain_failure(json)))?
        }
        _ => return Err(StudyError::Unreadable(explain_failure(json))),
    };
    if let Err(reason) = check_identity(&study) {
        // Left out for a bad value: that is the reason to give.
        let needed = ["protocolSection", "protocolSection.identificationModule", ID_FIELD];
        return Err(match left_out.iter().find(|l| needed.contains(&l.field.as_str())) {
            Some(left) => StudyError::IdLeftOut(left.clone()),
            None => reason,
        });
    }
    Ok((study, left_out))
}

const ID_FIELD: &str = "protocolSection.identificationModule.nctId";

/// A study record must have a protocol section with an NCT id.
fn check_identity(study: &Study) -> Result<(), StudyError> {
    if study.protocol_section.is_none() {
        return Err(StudyError::NoProtocolSection);
    }
    match study.nct_id() {
        None => Err(StudyError::NoId),
        Some(id) if id.trim().is_empty() => Err(StudyError::EmptyId),
        Some(_) => Ok(()),
    }
}

/// Why a record does not parse, with the path of the field at fault when there is one.
fn explain_failure(json: &[u8]) -> String {
    let mut de = serde_json::Deserializer::from_slice(json);
    let result: Result<Study, _> = serde_path_to_error::deserialize(&mut de);
    match result {
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path.is_empty() || path == "." || path == "?" {
                describe_json_error(&inner)
            } else {
                format!("{path}: {}", describe_json_error(&inner))
            }
        }
        Ok(_) => match de.end() {
            Err(e) => format!("unexpected data after the study: {e}"),
            Ok(()) => "invalid study record".into(),
        },
    }
}

fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => format!("truncated JSON: the study ends early ({e})"),
        Category::Syntax => format!("invalid JSON: {e}"),
        Category::Data => {
            // serde quotes the bad value whole: a long one is cut.
            let text = lenient::short_visible(&e.to_string(), 200);
            if text.contains("expected struct Study") { format!("not a study object: {text}") } else { text }
        }
        Category::Io => format!("read error: {e}"),
    }
}

struct Collector<'a> {
    studies: Mutex<Vec<Summary>>,
    errors: Mutex<Vec<LoadError>>,
    warnings: Mutex<Vec<LoadWarning>>,
    formats: Mutex<BTreeMap<source::Format, usize>>,
    progress: &'a Progress,
    index: Option<&'a index::IndexBuilder>,
    /// Keys are handed out in parsing order rather than packed from the study's `Order`, whose
    /// three u32 parts do not fit a u64 losslessly.
    next_key: AtomicU64,
    shared: interner::Interner,
    geo: geo::GeoBuilder,
    /// Copies of summaries given to the loading progress's fresh list so far.
    copies_handed_out: AtomicUsize,
    /// Studies the inputs announced so far, to make room for at once.
    announced: AtomicUsize,
}

/// How many studies parsed from the inputs are copied to a list that fills while loading: enough
/// to browse and search while the rest load, without a second copy of every summary (300 MB for
/// the whole registry) held until the catalog is finished and replaces them all.
#[cfg(not(test))]
const COPIES_WHILE_LOADING: usize = 20_000;
/// Few in unit tests, so that the bundled studies go past it.
#[cfg(test)]
const COPIES_WHILE_LOADING: usize = 4;

impl Collector<'_> {
    fn left_out(&self, study: &Study, origin: &Origin, left_out: Vec<LeftOut>) {
        let id: Box<str> = study.nct_id().unwrap_or_default().into();
        if let Ok(mut warnings) = self.warnings.lock() {
            warnings.extend(left_out.into_iter().map(|LeftOut { field, problem }| LoadWarning {
                origin: origin.clone(),
                study: id.clone(),
                field,
                problem,
            }));
        }
    }
}

impl Sink for Collector<'_> {
    fn study(&self, raw: RawStudy) {
        match read_study(&raw.json) {
            Ok((study, left_out)) => {
                if !left_out.is_empty() {
                    self.left_out(&study, &raw.origin, left_out);
                }
                let mut summary = Summary::new(&study, raw.locator, raw.origin, raw.order, &self.shared);
                let key = self.next_key.fetch_add(1, Ordering::Relaxed);
                summary.index_key = key;
                summary.content = crate::study::changes::fingerprint(&raw.json);
                if let Some(index) = self.index {
                    index.add(&study, key);
                }
                self.geo.add(&study, key);
                self.progress.studies.fetch_add(1, Ordering::Relaxed);
                if let Some(fresh) = &self.progress.fresh
                    && self.copies_handed_out.fetch_add(1, Ordering::Relaxed) < COPIES_WHILE_LOADING
                    && let Ok(mut fresh) = fresh.lock()
                {
                    fresh.push(summary.clone());
                }
                if let Ok(mut studies) = self.studies.lock() {
                    studies.push(summary);
                }
            }
            Err(reason) => self.failure(LoadError { origin: raw.origin, reason: reason.to_string() }),
        }
    }

    fn failure(&self, error: LoadError) {
        self.progress.errors.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut errors) = self.errors.lock() {
            errors.push(error);
        }
    }

    fn announce(&self, studies: usize) {
        self.progress.expected.fetch_add(studies, Ordering::Relaxed);
        // Room at once rather than by doubling (both buffers held while copying), for all the
        // studies announced so far: a zip is announced as one file, then as its entries less
        // that one, and room for the entries alone would leave the last study to double it.
        let announced = self.announced.fetch_add(studies, Ordering::Relaxed).saturating_add(studies);
        if let Ok(mut kept) = self.studies.lock() {
            let room = announced.saturating_sub(kept.len());
            kept.reserve(room);
        }
    }

    fn announce_bytes(&self, bytes: u64) {
        self.progress.expected_bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    fn read_bytes(&self, bytes: u64) {
        self.progress.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    fn input_file_seen(&self, seen: InputFileSeen) {
        if let Ok(mut formats) = self.formats.lock() {
            *formats.entry(seen.format).or_insert(0) += 1;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::source::{Container, RereadError, Span, Within};

    /// A zip is announced as one file and then as its entries less that one: the room made is
    /// for them all, so the last study does not double the summaries (and hold both copies).
    #[test]
    fn a_zip_of_studies_is_given_room_for_all_of_them_at_once() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let zipped = dir.path().join("ctg-studies.json.zip");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
        for n in 1..=9 {
            let id = format!("NCT{n:08}");
            zip.start_file(format!("{id}.json"), zip::write::SimpleFileOptions::default()).unwrap();
            let record = format!(r#"{{"protocolSection": {{"identificationModule": {{"nctId": "{id}"}}}}}}"#);
            zip.write_all(record.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        let catalog = Catalog::load(&[zipped]);
        assert_eq!(catalog.studies.len(), 9, "{:?}", catalog.errors);
        assert_eq!(catalog.studies.capacity(), 9);
    }

    #[test]
    fn matches_are_sorted_by_score_highest_first_ties_as_they_came() {
        let scores = [0.5, -1.0, 2.0, 0.5, f32::NAN, 0.0, 2.0, -0.0, 1e-30];
        let score = |place: usize| scores.get(place).copied().unwrap_or(0.0);
        for order in
            [vec![0, 1, 2, 3, 4, 5, 6, 7, 8], vec![8, 7, 6, 5, 4, 3, 2, 1, 0], vec![3, 0, 6, 2, 5, 7]]
        {
            let mut stable = order.clone();
            stable.sort_by(|&a, &b| score(b).total_cmp(&score(a)));
            let mut fast = order.clone();
            sort_by_score(&mut fast, &score);
            assert_eq!(fast, stable, "{order:?}");
        }
        // Scored alike (a word being typed), in any order: left as they came.
        let mut alike = vec![9, 2, 5, 0];
        sort_by_score(&mut alike, &|_| 0.0);
        assert_eq!(alike, [9, 2, 5, 0]);
        // Many, with ties, in catalog order and not: as a stable sort orders them.
        let scores: Vec<f32> =
            (0..20_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 20) as f32 / 7.0).collect();
        let score = |place: usize| scores.get(place).copied().unwrap_or(0.0);
        for order in [(0..20_000).collect::<Vec<usize>>(), (0..20_000).rev().step_by(3).collect()] {
            let mut stable = order.clone();
            stable.sort_by(|&a, &b| score(b).total_cmp(&score(a)));
            let mut fast = order.clone();
            sort_by_score(&mut fast, &score);
            assert_eq!(fast, stable);
        }
    }

    #[test]
    fn a_record_that_is_no_study_says_which_way_and_why() {
        let error = read_study(br#"{"derivedSection": {}}"#).unwrap_err();
        assert_eq!(error, StudyError::NoProtocolSection);
        assert!(error.to_string().starts_with("no protocolSection: this is not a study record"));
        let error =
            read_study(br#"{"protocolSection": {"identificationModule": {"nctId": " "}}}"#).unwrap_err();
        assert_eq!(error.to_string(), "protocolSection.identificationModule.nctId is empty");
        let error =
            read_study(br#"{"protocolSection": {"identificationModule": {"nctId": 12345}}}"#).unwrap_err();
        assert!(matches!(&error, StudyError::IdLeftOut(left) if left.field == ID_FIELD), "{error:?}");
        assert!(matches!(read_study(b"[1, 2"), Err(StudyError::Unreadable(_))));
    }

    #[test]
    fn a_list_filling_while_loading_gets_copies_of_the_first_studies_only() {
        let assets = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"));
        let progress = Progress::streaming();
        let catalog = Catalog::load_indexed(&[assets], &progress);
        assert!(catalog.len() > COPIES_WHILE_LOADING, "{}", catalog.len());
        assert!(!catalog.handed_out);
        let (restarted, copies) = progress.take_fresh();
        assert!(!restarted);
        assert_eq!(copies.len(), COPIES_WHILE_LOADING);
        // The count goes on: the loading gauge says every study parsed.
        assert_eq!(progress.studies.load(Ordering::Relaxed), catalog.len());
        assert!(copies.iter().all(|copy| catalog.find(&copy.id).is_some()));
    }

    #[test]
    fn a_study_no_longer_where_it_was_is_told_apart_from_one_that_does_not_read() {
        let container = Container::Memory(Arc::from(&b"{}"[..]));
        let outside =
            Locator { container: container.clone(), within: Within::Span(Span { start: 1, len: 9 }) };
        let error = full_record(&outside).unwrap_err();
        assert!(matches!(error, RecordError::Reread(RereadError::Moved)), "{error:?}");
        assert_eq!(
            error.to_string(),
            "the study is no longer where it was: the input changed since it was loaded"
        );
        let whole = Locator { container, within: Within::Span(Span { start: 0, len: 2 }) };
        assert!(matches!(full_record(&whole), Err(RecordError::Study(StudyError::NoProtocolSection))));
    }
}
