//! The full-text index over the studies' text, built with tantivy while the catalog loads.
//!
//! Each study is one tantivy document: a catch-all `text` field with everything people search
//! (titles, conditions, keywords, MeSH terms, interventions, summaries, eligibility, outcomes,
//! sponsors, facilities, cities, countries), plus separate fields for the terms a query limits
//! to a field (`title:`, `cond:`, `intr:`, `sponsor:`, `city:`, `country:`). Every text field
//! goes through the same analyzer (words, lower case, ASCII folding, English stemming) and keeps
//! positions so that phrases work.
//!
//! A document carries a `key` (a u64 fast field) that the loader hands out per parsed study; once
//! duplicates are resolved, [`TextIndex::finish`] maps the keys of the kept studies to their
//! place in the catalog, so a dropped duplicate's document never turns into a hit.
//!
//! The index is built in RAM; [`TextIndex::persist`] copies it to a folder (the catalog cache)
//! and [`TextIndex::open`] maps it back, with the catalog's key-to-place map stored beside it.
//!
//! An index opened from the cache is read through its files' checksums ([`Sums`]): tantivy never
//! sees a byte that was not verified, since tantivy trusts its files and panics or answers
//! wrongly on damaged ones. Every call into tantivy is also a boundary ([`guarded`]): a panic
//! inside it is caught, kept quiet (no message over the app's screen, no terminal torn down) and
//! becomes the index's failure, which the cache treats as damage.

use std::cell::Cell;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io;
use std::ops::{Bound, Range};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, MmapDirectory, OwnedBytes, RamDirectory, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::query::{
    BooleanQuery, BoostQuery, EnableScoring, InvertedIndexRangeQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query as TantivyQuery, TermQuery,
};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{HasLen, Index, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::cache::Sums;
use crate::query::{TextField, TextTerm};
use crate::study::Study;

thread_local! {
    /// Raised while this thread is inside tantivy, where a panic is caught by [`guarded`].
    static INSIDE_INDEX: Cell<bool> = const { Cell::new(false) };
}

/// Whether a panic now would be caught at the index boundary: a panic hook must then neither
/// print nor restore the terminal.
pub fn panic_is_caught() -> bool {
    INSIDE_INDEX.with(Cell::get)
}

/// Makes the panic hook (the one in place now, and the default's message) stay quiet for
/// panics caught at the index boundary. Installed once; called at startup, before any thread
/// could be setting a hook of its own.
pub fn quiet_caught_panics() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !panic_is_caught() {
                previous(info);
            }
        }));
    });
}

/// Runs `call` (into tantivy) with its panics caught and turned into an error.
fn guarded<T>(call: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    quiet_caught_panics();
    let outer = INSIDE_INDEX.with(|inside| inside.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
    INSIDE_INDEX.with(|inside| inside.set(outer));
    result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        Err(format!("the search index failed inside tantivy ({message})"))
    })
}

/// The name the analyzer is registered under in the index's tokenizer manager.
const ANALYZER: &str = "nct_english";

/// Titles and conditions are what a study is about: a word there weighs more than one deep in
/// the eligibility text.
const TITLE_BOOST: f32 = 3.0;
const CONDITION_BOOST: f32 = 2.0;

/// The words a phrase's last word, still being typed, may be the beginning of (`covid-1`: 19,
/// 1b…), the most frequent first being no promise: the first ones in the dictionary.
const PHRASE_PREFIX_WORDS: u32 = 1_000;

/// The text waiting for the indexing threads at most (see [`Queue`]): some 2,000 registry
/// records, plenty to keep them busy.
const QUEUE_BYTES: usize = 32 * 1024 * 1024;

/// Per indexing thread; tantivy needs at least 15 MB each. Twice this cost 70 MB more peak
/// memory at 100k studies for no faster build (the segments it flushes are merged in the
/// background).
const WRITER_MEMORY: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
struct Fields {
    key: Field,
    text: Field,
    title: Field,
    cond: Field,
    intr: Field,
    sponsor: Field,
    city: Field,
    country: Field,
}

/// Words, lower case, ASCII folding, English stemming: how every text field and every query word
/// is read. The app reads a pane's text with it too, to mark the words a query found.
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(RememberedStems)
        .build()
}

/// English stemming (the Snowball stemmer tantivy's own `Stemmer` runs) with each word's stem
/// remembered: registry text repeats its words, and stemming every occurrence anew was a third
/// of the time spent indexing. One memory per thread, shared by all its analyzers (tantivy
/// makes one per field and segment).
#[derive(Clone)]
struct RememberedStems;

/// Words remembered per thread before starting over (some 10 MB).
const REMEMBERED_WORDS: usize = 200_000;

thread_local! {
    static STEMS: std::cell::RefCell<foldhash::HashMap<Box<str>, Box<str>>> = std::cell::RefCell::new(foldhash::HashMap::default());
}

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberedStemsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RememberedStemsFilter<T> {
        RememberedStemsFilter { inner }
    }
}

#[derive(Clone)]
struct RememberedStemsFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for RememberedStemsFilter<T> {
    type TokenStream<'a> = RememberedStemsStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberedStemsStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

struct RememberedStemsStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for RememberedStemsStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        // The stemmer leaves a word of two letters or fewer as it is, and finds no suffix on a
        // number: such words (`of`, `to`, `18`, `2020`) are spared the lookup.
        if token.text.len() <= 2 || token.text.bytes().all(|b| b.is_ascii_digit()) {
            return true;
        }
        STEMS.with_borrow_mut(|stems| {
            if let Some(stem) = stems.get(token.text.as_str()) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            let stem: Box<str> = self.stemmer.stem(&token.text).into();
            if stems.len() >= REMEMBERED_WORDS {
                stems.clear();
            }
            stems.insert(token.text.as_str().into(), stem.clone());
            token.text.clear();
            token.text.push_str(&stem);
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    // Nothing is stored: hits map back to summaries through the key, and the record is read
    // again from its source when shown.
    let text_options = TextOptions::default().set_indexing_options(indexing);
    let mut text = |name: &str| builder.add_text_field(name, text_options.clone());
    let (text_f, title, cond, intr, sponsor, city, country) = (
        text("text"),
        text("title"),
        text("cond"),
        text("intr"),
        text("sponsor"),
        text("city"),
        text("country"),
    );
    let key = builder.add_u64_field("key", NumericOptions::from(INDEXED).set_fast().set_stored());
    (builder.build(), Fields { key, text: text_f, title, cond, intr, sponsor, city, country })
}

/// The fields of an index read back from disk, by name, so that a schema written by another
/// build is checked rather than trusted.
fn fields_of(schema: &Schema) -> Result<Fields, String> {
    let field = |name: &str| schema.get_field(name).map_err(|e| format!("search index: {e}"));
    Ok(Fields {
        key: field("key")?,
        text: field("text")?,
        title: field("title")?,
        cond: field("cond")?,
        intr: field("intr")?,
        sponsor: field("sponsor")?,
        city: field("city")?,
        country: field("country")?,
    })
}

/// Collects documents while loading, from several threads at once.
pub(crate) struct IndexBuilder {
    index: Index,
    /// Where the index lives while built when it is built in memory, kept to copy it to disk
    /// afterwards.
    ram: Option<RamDirectory>,
    writer: IndexWriter<Queued>,
    /// The text of the documents handed to the writer and not yet indexed.
    queue: Arc<Queue>,
    fields: Fields,
    /// The first failure to add a document; the rest would say the same.
    failure: Mutex<Option<String>>,
}

impl IndexBuilder {
    /// A builder writing the index in memory, or straight into `folder` (which must exist and
    /// be empty): a large index then lives in the page cache rather than in the process.
    pub(crate) fn new(folder: Option<&Path>) -> Result<IndexBuilder, String> {
        let (schema, fields) = schema();
        let start = |e: tantivy::TantivyError| format!("cannot start the search index: {e}");
        let (index, ram) = match folder {
            Some(folder) => {
                let directory =
                    MmapDirectory::open(folder).map_err(|e| format!("cannot start the search index: {e}"))?;
                (Index::create(directory, schema, IndexSettings::default()).map_err(start)?, None)
            }
            None => {
                let ram = RamDirectory::create();
                (Index::create(ram.clone(), schema, IndexSettings::default()).map_err(start)?, Some(ram))
            }
        };
        index.tokenizers().register(ANALYZER, analyzer());
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
        let writer: IndexWriter<Queued> = index
            .writer_with_num_threads(threads, threads * WRITER_MEMORY)
            .map_err(|e| format!("cannot start the search index: {e}"))?;
        let queue = Arc::new(Queue {
            held: Mutex::new(0),
            room: Condvar::new(),
            budget: QUEUE_BYTES,
            unbounded: Default::default(),
        });
        Ok(IndexBuilder { index, ram, writer, queue, fields, failure: Mutex::default() })
    }

    /// Adds one study's text under `key`.
    pub(crate) fn add(&self, study: &Study, key: u64) {
        // Once a document failed, the index fails: the rest need not wait for room.
        if self.failure.lock().is_ok_and(|f| f.is_some()) {
            return;
        }
        let (document, bytes) = self.document(study, key);
        self.queue.enter(bytes);
        let document = Queued { document, bytes, queue: self.queue.clone() };
        if let Err(e) = self.writer.add_document(document)
            && let Ok(mut failure) = self.failure.lock()
        {
            failure.get_or_insert_with(|| format!("cannot index a study: {e}"));
        }
    }

    /// The study's document, and the bytes of text it holds.
    fn document(&self, study: &Study, key: u64) -> (TantivyDocument, usize) {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.key, key);
        let Some(protocol) = study.protocol_section.as_ref() else { return (doc, 0) };
        let mut bytes = 0;
        let mut put = |field: Field, value: Option<&str>| {
            if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                doc.add_text(field, value);
                bytes += value.len();
                if field != f.text {
                    doc.add_text(f.text, value);
                    bytes += value.len();
                }
            }
        };
        let derived = &study.derived_section;
        for mesh in derived.condition_browse_module.meshes.iter() {
            put(f.cond, mesh.term.as_deref());
        }
        let ident = &protocol.identification_module;
        put(f.title, ident.brief_title.as_deref());
        put(f.title, ident.official_title.as_deref());
        put(f.title, ident.acronym.as_deref());
        for condition in &protocol.conditions_module.conditions {
            put(f.cond, Some(condition));
        }
        for keyword in &protocol.conditions_module.keywords {
            put(f.text, Some(keyword));
        }
        for intervention in &protocol.arms_interventions_module.interventions {
            put(f.intr, intervention.name.as_deref());
            for other in &intervention.other_names {
                put(f.intr, Some(other));
            }
        }
        let description = &protocol.description_module;
        put(f.text, description.brief_summary.as_deref());
        put(f.text, description.detailed_description.as_deref());
        put(f.text, protocol.eligibility_module.eligibility_criteria.as_deref());
        let outcomes = &protocol.outcomes_module;
        for outcome in outcomes
            .primary_outcomes
            .iter()
            .chain(&outcomes.secondary_outcomes)
            .chain(&outcomes.other_outcomes)
        {
            put(f.text, outcome.measure.as_deref());
            put(f.text, outcome.description.as_deref());
        }
        let sponsors = &protocol.sponsor_collaborators_module;
        put(f.sponsor, sponsors.lead_sponsor.name.as_deref());
        for collaborator in &sponsors.collaborators {
            put(f.sponsor, collaborator.name.as_deref());
        }
        let mut seen_places: HashSet<&str> = HashSet::new();
        for location in &protocol.contacts_locations_module.locations {
            put(f.text, location.facility.as_deref());
            // A city or country named by a hundred sites is still one place: repeating it would
            // only inflate its term frequency.
            for (field, value) in [(f.city, &location.city), (f.country, &location.country)] {
                if let Some(value) = value.as_deref()
                    && seen_places.insert(value)
                {
                    put(field, Some(value));
                }
            }
        }
        (doc, bytes)
    }

    /// Commits what was added; `kept` maps each kept study's key to its place in the catalog.
    pub(crate) fn finish(mut self, kept: &HashMap<u64, usize>) -> Result<TextIndex, String> {
        if let Some(failure) = self.failure.lock().ok().and_then(|mut f| f.take()) {
            return Err(failure);
        }
        self.writer.commit().map_err(|e| format!("cannot build the search index: {e}"))?;
        // Let the merging threads finish, so the searcher sees the final segments.
        self.writer.wait_merging_threads().map_err(|e| format!("cannot build the search index: {e}"))?;
        guarded(|| TextIndex::from_index(&self.index, self.fields, Places::ByKey(kept), self.ram, None))
    }
}

/// How long a study waits for room in the indexing queue with no document indexed meanwhile
/// before it goes in anyway: the indexing threads have stopped (their failure is reported when
/// the document is added), or one huge record is being indexed.
const QUEUE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// The text waiting in tantivy's queue for its indexing threads: tantivy queues up to 10,000
/// documents (170 MB of registry text at 17 KB a study) when indexing falls behind parsing, so
/// the parsing threads wait for room instead, which bounds the memory a load takes whatever
/// the records' sizes.
struct Queue {
    held: Mutex<usize>,
    room: Condvar,
    budget: usize,
    /// Set once a wait ran out of patience: the queue is no longer bounded for this load,
    /// rather than every study waiting in turn on threads that may have stopped.
    unbounded: std::sync::atomic::AtomicBool,
}

impl Queue {
    /// Waits until `bytes` more fit the budget (a document alone always fits), then counts them.
    fn enter(&self, bytes: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        let Ok(mut held) = self.held.lock() else { return };
        while *held > 0 && held.saturating_add(bytes) > self.budget && !self.unbounded.load(Relaxed) {
            let before = *held;
            match self.room.wait_timeout(held, QUEUE_PATIENCE) {
                Ok((now, timeout)) => {
                    held = now;
                    if timeout.timed_out() && *held >= before {
                        self.unbounded.store(true, Relaxed);
                        break;
                    }
                }
                Err(_) => return,
            }
        }
        *held = held.saturating_add(bytes);
    }

    fn leave(&self, bytes: usize) {
        if let Ok(mut held) = self.held.lock() {
            *held = held.saturating_sub(bytes);
        }
        self.room.notify_all();
    }
}

/// A document in the indexing queue: counted in the [`Queue`] until tantivy drops it, once
/// indexed.
struct Queued {
    document: TantivyDocument,
    bytes: usize,
    queue: Arc<Queue>,
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.queue.leave(self.bytes);
    }
}

impl tantivy::Document for Queued {
    type Value<'a> = <TantivyDocument as tantivy::Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as tantivy::Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.document.iter_fields_and_values()
    }
}

/// How each document of the index leads to its study's place in the catalog.
pub(crate) enum Places<'a> {
    /// By the document's key: each kept study's key to its place.
    ByKey(&'a HashMap<u64, usize>),
    /// As stored with the index in the cache: no key to look up per document.
    Stored(Vec<StoredSegment>),
}

/// One segment's documents' places, `u32::MAX` for a dropped duplicate.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredSegment {
    id: String,
    places: Vec<u32>,
}

/// The committed index, ready for queries.
pub struct TextIndex {
    searcher: Searcher,
    fields: Fields,
    /// Per segment, per document: the study's place in the catalog, `None` for a dropped
    /// duplicate.
    studies: Vec<Vec<Option<usize>>>,
    /// The RAM copy, for an index just built; `None` for one opened from disk.
    ram: Option<RamDirectory>,
    /// The checksums its files are read through, when opened from the cache.
    sums: Option<Arc<Sums>>,
    /// The folder it was opened from, when from the cache.
    folder: Option<PathBuf>,
    /// Why it failed, once it has (a file damaged, a panic inside tantivy): it is not asked
    /// again.
    failure: OnceLock<String>,
    /// The last few answers, since typing asks the same words again at every key.
    recent: Recent,
}

/// The answers to the last few questions put to the index, by text term and number of studies:
/// typing `cancer s`, `cancer st`, `cancer sta` asks for `cancer`'s matches and scores at every
/// key, 265k studies of 600k each time.
#[derive(Debug, Default)]
struct Recent {
    matching: Kept<bool>,
    scores: Kept<f32>,
}

/// Answers by (term, number of studies), oldest first. Shared rather than copied: an answer
/// over 600k studies is megabytes, and a copy of fresh memory each keystroke costs a page fault
/// per 4 KB.
type Kept<T> = Mutex<VecDeque<Answer<T>>>;

/// One kept answer: the term and number of studies asked about, and the answer by place.
type Answer<T> = ((TextTerm, usize), Arc<[T]>);

/// Answers kept of each kind: a query's terms and the ones typed just before.
const RECENT_ANSWERS: usize = 8;

impl Recent {
    /// The answer kept for `key` in `kept`, or `answer()`'s, then kept.
    fn answer<T>(
        kept: &Kept<T>,
        key: (&TextTerm, usize),
        answer: impl FnOnce() -> Result<Vec<T>, String>,
    ) -> Result<Arc<[T]>, String> {
        let known = |kept: &VecDeque<Answer<T>>| {
            kept.iter()
                .find(|((term, studies), _)| term == key.0 && *studies == key.1)
                .map(|(_, a)| Arc::clone(a))
        };
        if let Some(found) = kept.lock().ok().and_then(|kept| known(&kept)) {
            return Ok(found);
        }
        let found: Arc<[T]> = answer()?.into();
        if let Ok(mut kept) = kept.lock() {
            if kept.len() >= RECENT_ANSWERS {
                kept.pop_front();
            }
            kept.push_back(((key.0.clone(), key.1), Arc::clone(&found)));
        }
        Ok(found)
    }
}

/// BM25 scores by place: one term's as the index keeps them, or several summed.
#[derive(Debug)]
pub enum Scores {
    One(Arc<[f32]>),
    Summed(Vec<f32>),
}

impl std::ops::Deref for Scores {
    type Target = [f32];

    fn deref(&self) -> &[f32] {
        match self {
            Scores::One(scores) => scores,
            Scores::Summed(scores) => scores,
        }
    }
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex").field("documents", &self.searcher.num_docs()).finish()
    }
}

impl TextIndex {
    fn from_index(
        index: &Index,
        fields: Fields,
        places: Places,
        ram: Option<RamDirectory>,
        sums: Option<Arc<Sums>>,
    ) -> Result<TextIndex, String> {
        // Nothing writes to the index once built: no reloading needed.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| format!("cannot open the search index: {e}"))?;
        let searcher = reader.searcher();
        let segments = searcher.segment_readers();
        let studies = match places {
            Places::ByKey(kept) => {
                let mut studies = Vec::with_capacity(segments.len());
                for segment in segments {
                    let keys = segment.fast_fields().u64("key").map_err(|e| format!("search index: {e}"))?;
                    let places: Vec<Option<usize>> = (0..segment.max_doc())
                        .map(|doc| keys.first(doc).and_then(|key| kept.get(&key).copied()))
                        .collect();
                    studies.push(places);
                }
                studies
            }
            Places::Stored(stored) => {
                let agree = stored.len() == segments.len()
                    && stored.iter().zip(segments).all(|(stored, segment)| {
                        stored.id == segment.segment_id().uuid_string()
                            && stored.places.len() == segment.max_doc() as usize
                    });
                if !agree {
                    return Err("the search index does not match the places stored with it".into());
                }
                stored
                    .into_iter()
                    .map(|segment| {
                        segment.places.into_iter().map(|p| (p != u32::MAX).then_some(p as usize)).collect()
                    })
                    .collect()
            }
        };
        Ok(TextIndex {
            searcher,
            fields,
            studies,
            ram,
            sums,
            folder: None,
            failure: OnceLock::new(),
            recent: Recent::default(),
        })
    }

    /// Each segment's id and each document's place, for [`Places::Stored`].
    pub(crate) fn stored_places(&self) -> Vec<StoredSegment> {
        self.searcher
            .segment_readers()
            .iter()
            .zip(&self.studies)
            .map(|(segment, places)| StoredSegment {
                id: segment.segment_id().uuid_string(),
                places: places
                    .iter()
                    .map(|p| p.and_then(|p| u32::try_from(p).ok()).unwrap_or(u32::MAX))
                    .collect(),
            })
            .collect()
    }

    /// Opens an index that [`TextIndex::persist`] wrote (or that was built in its folder),
    /// reading its files through `sums`. A failure names the damaged file when the checksums
    /// found one.
    pub(super) fn open(folder: &Path, places: Places, sums: Arc<Sums>) -> Result<TextIndex, String> {
        let opened = guarded(|| {
            let directory = MmapDirectory::open(folder).map_err(|e| format!("search index: {e}"))?;
            let checked = CheckedDirectory { inner: directory, sums: sums.clone() };
            let index = Index::open(checked).map_err(|e| format!("search index: {e}"))?;
            index.tokenizers().register(ANALYZER, analyzer());
            let fields = fields_of(&index.schema())?;
            let opened = TextIndex::from_index(&index, fields, places, None, Some(sums.clone()))?;
            Ok(TextIndex { folder: Some(folder.to_path_buf()), ..opened })
        });
        opened.map_err(|why| sums.damage().map_or(why, str::to_string))
    }

    /// Forgets the answers kept for typing (see [`Recent`]), so that the next questions are
    /// answered afresh: for timing what a question costs.
    pub fn forget_answers(&self) {
        if let Ok(mut kept) = self.recent.matching.lock() {
            kept.clear();
        }
        if let Ok(mut kept) = self.recent.scores.lock() {
            kept.clear();
        }
    }

    /// Why the index failed, once it has: later questions are not asked of it.
    pub fn failure(&self) -> Option<&str> {
        self.failure.get().map(String::as_str)
    }

    /// Whether it was opened from the cache (so that its failure is the cache entry's damage).
    pub fn from_cache(&self) -> bool {
        self.sums.is_some()
    }

    /// The folder it was opened from, when from the cache.
    pub(super) fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// Runs a question through the boundary; the first failure (named after the damaged file
    /// when the checksums found one) is kept and given to every later question.
    fn ask<T>(&self, question: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
        if let Some(failure) = self.failure.get() {
            return Err(failure.clone());
        }
        guarded(question).map_err(|why| {
            let why = self.sums.as_ref().and_then(|sums| sums.damage()).map_or(why, str::to_string);
            self.failure.get_or_init(|| why).clone()
        })
    }

    /// Whether the index was built in memory in this run (and [`TextIndex::persist`] can write it).
    pub(crate) fn in_memory(&self) -> bool {
        self.ram.is_some()
    }

    /// Writes a freshly built index's files into `folder` (which must exist and be empty).
    pub(crate) fn persist(&self, folder: &Path) -> Result<(), String> {
        let ram = self.ram.as_ref().ok_or("the search index was not built in this run")?;
        let directory = MmapDirectory::open(folder).map_err(|e| format!("search index: {e}"))?;
        ram.persist(&directory).map_err(|e| format!("cannot write the search index: {e}"))
    }

    fn field(&self, field: Option<TextField>) -> Field {
        let f = self.fields;
        match field {
            None => f.text,
            Some(TextField::Title) => f.title,
            Some(TextField::Condition) => f.cond,
            Some(TextField::Intervention) => f.intr,
            Some(TextField::Sponsor) => f.sponsor,
            Some(TextField::City) => f.city,
            Some(TextField::Country) => f.country,
        }
    }

    /// The analyzed terms of `words` in `field`, as the documents were analyzed.
    fn terms(&self, field: Field, words: &[String]) -> Vec<Term> {
        let mut analyzer = analyzer();
        let mut terms = Vec::new();
        for word in words {
            let mut stream = analyzer.token_stream(word);
            while let Some(token) = stream.next() {
                terms.push(Term::from_field_text(field, &token.text));
            }
        }
        terms
    }

    /// The query for one term on one field: every word (AND), or the phrase; `None` when the
    /// analyzer leaves nothing to look for.
    fn term_query(&self, term: &TextTerm, field: Field) -> Option<Box<dyn TantivyQuery>> {
        let whole = self.whole_term_query(term, field);
        if !term.prefix {
            return whole;
        }
        // The word being typed, as it begins the words of the term dictionary (folded, not
        // stemmed: `diab` is the beginning of no stem's spelling but `diabet`'s), or as a whole
        // word (`vaccines`, whose stem `vaccin` it does not begin).
        let (last, before) = term.words.split_last()?;
        let beginning: Box<dyn TantivyQuery> = if before.is_empty() {
            // Every word of the dictionary from the prefix to the prefix followed by the last
            // char there is: every word it begins, each study once (no score of its own).
            let from = Term::from_field_text(field, last);
            let to = Term::from_field_text(field, &format!("{last}{}", char::MAX));
            Box::new(InvertedIndexRangeQuery::new(Bound::Included(from), Bound::Included(to)))
        } else {
            let mut phrase: Vec<Term> = self.terms(field, before);
            phrase.push(Term::from_field_text(field, last));
            let mut query = PhrasePrefixQuery::new(phrase);
            // tantivy reserves room for them all up front: a bound, if a generous one.
            query.set_max_expansions(PHRASE_PREFIX_WORDS);
            Box::new(query)
        };
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = vec![(Occur::Should, beginning)];
        clauses.extend(whole.map(|whole| (Occur::Should, whole)));
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// [`TextIndex::term_query`] for the words as typed in full.
    fn whole_term_query(&self, term: &TextTerm, field: Field) -> Option<Box<dyn TantivyQuery>> {
        let mut terms = self.terms(field, &term.words);
        if terms.len() <= 1 {
            let single = terms.pop()?;
            return Some(Box::new(TermQuery::new(single, IndexRecordOption::WithFreqs)));
        }
        if term.phrase {
            return Some(Box::new(PhraseQuery::new(terms)));
        }
        let clauses = terms
            .into_iter()
            .map(|t| {
                let query: Box<dyn TantivyQuery> = Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs));
                (Occur::Must, query)
            })
            .collect();
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// Calls `found` with the place of every study `query` matches, and its score when `scored`.
    /// Walks each segment's matching documents directly: no collector, no heap, no hashing.
    fn each_match(
        &self,
        query: &dyn TantivyQuery,
        scored: bool,
        found: &mut dyn FnMut(usize, f32),
    ) -> Result<(), String> {
        let scoring = if scored {
            EnableScoring::enabled_from_searcher(&self.searcher)
        } else {
            EnableScoring::disabled_from_searcher(&self.searcher)
        };
        let weight = query.weight(scoring).map_err(|e| format!("search failed: {e}"))?;
        for (segment, places) in self.searcher.segment_readers().iter().zip(&self.studies) {
            let place_of =
                |doc: u32| usize::try_from(doc).ok().and_then(|d| places.get(d).copied().flatten());
            let walked = if scored {
                weight.for_each(segment, &mut |doc, score| {
                    if let Some(place) = place_of(doc) {
                        found(place, score);
                    }
                })
            } else {
                weight.for_each_no_score(segment, &mut |docs| {
                    for &doc in docs {
                        if let Some(place) = place_of(doc) {
                            found(place, 0.0);
                        }
                    }
                })
            };
            walked.map_err(|e| format!("search failed: {e}"))?;
        }
        Ok(())
    }

    /// The word as the index holds it in `field` (its stem), and how many documents hold it;
    /// `None` when the analyzer leaves nothing of it, or several terms (`covid19` stays one).
    pub fn word_in_index(
        &self,
        word: &str,
        field: Option<TextField>,
    ) -> Result<Option<(String, u64)>, String> {
        self.ask(|| {
            let mut terms = self.terms(self.field(field), &[word.to_string()]);
            let (Some(term), None) = (terms.pop(), terms.pop()) else { return Ok(None) };
            let Some(text) = term.value().as_str().map(str::to_string) else { return Ok(None) };
            let documents = self.searcher.doc_freq(&term).map_err(|e| format!("search failed: {e}"))?;
            Ok(Some((text, documents)))
        })
    }

    /// The term of `field`'s vocabulary nearest `stem` (as [`TextIndex::word_in_index`] gives
    /// it): fewest edits (at most one for a short word, two from five letters), then held by
    /// most documents. Only terms with the same first letter are walked, which keeps the walk a
    /// slice of the dictionary: a typo in the first letter is rare.
    pub fn nearest_term(&self, stem: &str, field: Option<TextField>) -> Result<Option<String>, String> {
        let Some(first) = stem.chars().next() else { return Ok(None) };
        let length = stem.chars().count();
        if length < 3 {
            return Ok(None);
        }
        let most_edits = if length < 5 { 1 } else { 2 };
        let field = self.field(field);
        self.ask(|| {
            let low = first.to_string();
            let high = char::from_u32(u32::from(first) + 1).map(String::from);
            // (edits, documents) per term over every segment.
            let mut near: HashMap<String, (usize, u64)> = HashMap::new();
            for segment in self.searcher.segment_readers() {
                let inverted = segment.inverted_index(field).map_err(|e| format!("search failed: {e}"))?;
                let dictionary = inverted.terms();
                let mut range = dictionary.range().ge(low.as_bytes());
                if let Some(high) = &high {
                    range = range.lt(high.as_bytes());
                }
                let mut stream = range.into_stream().map_err(|e| format!("search failed: {e}"))?;
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                    if term.len().abs_diff(stem.len()) > most_edits || term == stem {
                        continue;
                    }
                    let edits = crate::query::edit_distance(stem, term);
                    if edits <= most_edits {
                        let entry = near.entry(term.to_string()).or_insert((edits, 0));
                        entry.1 += u64::from(stream.value().doc_freq);
                    }
                }
            }
            Ok(near
                .into_iter()
                .min_by(|(a, (edits_a, docs_a)), (b, (edits_b, docs_b))| {
                    edits_a.cmp(edits_b).then(docs_b.cmp(docs_a)).then(a.cmp(b))
                })
                .map(|(term, _)| term))
        })
    }

    /// Which studies (by place, `studies` of them) hold `stem`, a term of the index as it is
    /// (not analyzed again), in `field`.
    pub fn holding_term(
        &self,
        stem: &str,
        field: Option<TextField>,
        studies: usize,
    ) -> Result<Vec<bool>, String> {
        self.ask(|| {
            let mut answers = vec![false; studies];
            let term = Term::from_field_text(self.field(field), stem);
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            self.each_match(&query, false, &mut |place, _| {
                if let Some(answer) = answers.get_mut(place) {
                    *answer = true;
                }
            })?;
            Ok(answers)
        })
    }

    /// Which studies (by place in the catalog, `studies` of them) answer `term`.
    pub fn matching(&self, term: &TextTerm, studies: usize) -> Result<Arc<[bool]>, String> {
        self.ask(|| {
            Recent::answer(&self.recent.matching, (term, studies), || {
                let mut answers = vec![false; studies];
                let Some(query) = self.term_query(term, self.field(term.field)) else { return Ok(answers) };
                self.each_match(&*query, false, &mut |place, _| {
                    if let Some(answer) = answers.get_mut(place) {
                        *answer = true;
                    }
                })?;
                Ok(answers)
            })
        })
    }

    /// BM25 scores of the studies (by place, `studies` of them) for any of `terms`, titles and
    /// conditions weighted up; 0 for a study matching none.
    pub fn scores(&self, terms: &[&TextTerm], studies: usize) -> Result<Scores, String> {
        self.ask(|| self.scores_unguarded(terms, studies))
    }

    /// The sum of each term's scores (as tantivy sums a disjunction's), each term's kept.
    fn scores_unguarded(&self, terms: &[&TextTerm], studies: usize) -> Result<Scores, String> {
        let mut own = terms.iter().map(|term| {
            Recent::answer(&self.recent.scores, (term, studies), || self.term_scores(term, studies))
        });
        let Some(first) = own.next().transpose()? else { return Ok(Scores::Summed(vec![0.0; studies])) };
        let Some(second) = own.next().transpose()? else { return Ok(Scores::One(first)) };
        let mut scores = first.to_vec();
        for term in std::iter::once(Ok(second)).chain(own) {
            scores.iter_mut().zip(term?.iter()).for_each(|(score, own)| *score += own);
        }
        Ok(Scores::Summed(scores))
    }

    /// BM25 scores of the studies for `term`, in every field it is weighed in.
    fn term_scores(&self, term: &TextTerm, studies: usize) -> Result<Vec<f32>, String> {
        let f = self.fields;
        let mut scores = vec![0.0; studies];
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        {
            let weighted: Vec<(Field, f32)> = match term.field {
                None => vec![(f.text, 1.0), (f.title, TITLE_BOOST), (f.cond, CONDITION_BOOST)],
                Some(TextField::Title) => vec![(f.title, TITLE_BOOST)],
                Some(TextField::Condition) => vec![(f.cond, CONDITION_BOOST)],
                Some(other) => vec![(self.field(Some(other)), 1.0)],
            };
            for (field, boost) in weighted {
                // A word being typed ranks as the whole word it is so far: the words it begins
                // would all score alike (a walk of the dictionary for a constant), and ranking by
                // the whole word is what Enter will show.
                if let Some(query) = self.whole_term_query(term, field) {
                    clauses.push((Occur::Should, Box::new(BoostQuery::new(query, boost))));
                }
            }
        }
        if clauses.is_empty() {
            return Ok(scores);
        }
        self.each_match(&BooleanQuery::new(clauses), true, &mut |place, score| {
            if let Some(slot) = scores.get_mut(place) {
                *slot = score;
            }
        })?;
        Ok(scores)
    }
}

/// An entry's index folder read through its checksums: each file's length is checked when it is
/// opened, and each block the first time tantivy reads it; damage is an error tantivy passes on
/// (or panics at, caught by [`guarded`]), and is recorded in the [`Sums`].
#[derive(Debug, Clone)]
struct CheckedDirectory {
    inner: MmapDirectory,
    sums: Arc<Sums>,
}

/// The name of a file tantivy asks for, as listed in the sums.
fn file_name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn damaged(path: &Path, why: String) -> OpenReadError {
    OpenReadError::wrap_io_error(io::Error::new(io::ErrorKind::InvalidData, why), PathBuf::from(path))
}

impl Directory for CheckedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let name = file_name(path);
        let len = self.sums.len_of(&name).map_err(|why| damaged(path, why))?;
        let handle = self.inner.get_file_handle(path)?;
        if handle.len() as u64 != len {
            let how = if (handle.len() as u64) < len { "is cut short" } else { "has grown" };
            return Err(damaged(path, self.sums.record(format!("index/{name} {how}"))));
        }
        Ok(Arc::new(CheckedFile { name, handle, sums: self.sums.clone() }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        let bytes = self.inner.atomic_read(path)?;
        self.sums.check_whole(&file_name(path), &bytes).map_err(|why| damaged(path, why))?;
        Ok(bytes)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &tantivy::directory::Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// One file of the index, its blocks verified as they are first read.
#[derive(Debug)]
struct CheckedFile {
    name: String,
    handle: Arc<dyn FileHandle>,
    sums: Arc<Sums>,
}

impl HasLen for CheckedFile {
    fn len(&self) -> usize {
        self.handle.len()
    }
}

impl FileHandle for CheckedFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        self.sums
            .check_range(&self.name, range.clone(), |block| self.handle.read_bytes(block))
            .map_err(|why| io::Error::new(io::ErrorKind::InvalidData, why))?;
        self.handle.read_bytes(range)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn the_indexing_queue_holds_its_budget_until_a_document_leaves() {
        let queue = Arc::new(Queue {
            held: Mutex::new(0),
            room: Condvar::new(),
            budget: 10,
            unbounded: Default::default(),
        });
        queue.enter(8);
        let entered = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let waiting = {
            let (queue, entered) = (queue.clone(), entered.clone());
            std::thread::spawn(move || {
                queue.enter(5);
                entered.store(true, std::sync::atomic::Ordering::SeqCst);
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(!entered.load(std::sync::atomic::Ordering::SeqCst), "8 + 5 is over the budget of 10");
        queue.leave(8);
        waiting.join().unwrap();
        assert!(entered.load(std::sync::atomic::Ordering::SeqCst));
        assert_eq!(*queue.held.lock().unwrap(), 5);
        // A document larger than the budget goes in alone.
        queue.leave(5);
        queue.enter(50);
        assert_eq!(*queue.held.lock().unwrap(), 50);
    }

    #[test]
    fn remembered_stems_are_the_stemmer_s() {
        let plain = || {
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(tantivy::tokenizer::Stemmer::new(tantivy::tokenizer::Language::English))
                .build()
        };
        let text = "Patients receiving Pembrolizumab, running studies; the study's runners ran. \
                    Naïve patients: receiving, received, receives — Sjögren's syndromes; \
                    is as us ys 's a 12 2020 1990s 3rd covid19 0s 00 ages 18 to 65 é ès";
        // Twice through one analyzer: the second time every stem is remembered.
        let mut remembered = analyzer();
        let first = tokens(&mut remembered, text);
        assert_eq!(first, tokens(&mut plain(), text));
        assert_eq!(tokens(&mut remembered, text), first);
        assert!(first.contains(&"patient".to_string()) && first.contains(&"receiv".to_string()), "{first:?}");
    }
    use crate::catalog::{Catalog, Progress};
    use crate::query::parse;

    fn assets() -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/assets"))
    }

    fn catalog() -> Catalog {
        let catalog = Catalog::load_indexed(&[assets()], &Progress::default());
        assert!(catalog.index.is_some(), "{:?}", catalog.index_error);
        catalog
    }

    fn ids(catalog: &Catalog, query: &str) -> Vec<String> {
        catalog.search(&parse(query).unwrap()).iter().map(|&i| catalog.studies[i].id.to_string()).collect()
    }

    fn term(field: Option<TextField>, words: &[&str], phrase: bool) -> TextTerm {
        TextTerm { field, words: words.iter().map(|w| (*w).to_string()).collect(), phrase, prefix: false }
    }

    fn matching(catalog: &Catalog, term: &TextTerm) -> Vec<String> {
        let mut found: Vec<String> = catalog
            .index
            .as_ref()
            .unwrap()
            .matching(term, catalog.len())
            .unwrap()
            .iter()
            .enumerate()
            .filter(|&(_, &found)| found)
            .map(|(i, _)| catalog.studies[i].id.to_string())
            .collect();
        found.sort();
        found
    }

    #[test]
    fn a_word_being_typed_finds_the_words_it_begins_through_the_dictionary() {
        let catalog = catalog();
        let typed = |words: &[&str], phrase: bool| TextTerm { prefix: true, ..term(None, words, phrase) };
        // `lympho` is no word of any study, but the beginning of `lymphoma`.
        assert!(matching(&catalog, &term(None, &["lympho"], false)).is_empty());
        assert_eq!(
            matching(&catalog, &typed(&["lympho"], false)),
            matching(&catalog, &term(None, &["lymphoma"], false))
        );
        // Typed in full, a word whose stem it does not begin (`vaccines`, `vaccin`) still finds.
        assert_eq!(
            matching(&catalog, &typed(&["vaccines"], false)),
            matching(&catalog, &term(None, &["vaccines"], false))
        );
        assert_eq!(
            matching(&catalog, &typed(&["trial"], false)),
            matching(&catalog, &term(None, &["trial"], false))
        );
        // A phrase's last word begun.
        assert_eq!(
            matching(&catalog, &typed(&["stem", "cel"], true)),
            matching(&catalog, &term(None, &["stem", "cells"], true))
        );
        assert!(catalog.index.as_ref().unwrap().failure().is_none());
    }

    #[test]
    fn words_are_stemmed() {
        let catalog = catalog();
        // The title says "Vaccine" only: the plural finds it through the stem.
        assert_eq!(matching(&catalog, &term(Some(TextField::Title), &["vaccines"], false)), ["NCT04415320"]);
        assert_eq!(ids(&catalog, "vaccinations influenza"), ["NCT04415320"]);
    }

    #[test]
    fn phrases_need_their_words_in_order() {
        let catalog = catalog();
        assert_eq!(ids(&catalog, "\"stem cells\""), ["NCT02491658", "NCT04577316"]);
        assert!(ids(&catalog, "\"cells stem\"").is_empty());
        assert!(ids(&catalog, "stem cells").len() >= 2);
    }

    #[test]
    fn field_restricted_terms_look_in_their_field_only() {
        let catalog = catalog();
        let anywhere = matching(&catalog, &term(None, &["cancer"], false));
        let titles = matching(&catalog, &term(Some(TextField::Title), &["cancer"], false));
        assert_eq!(titles, ["NCT04990515", "NCT05612947", "NCT05894412"]);
        assert!(anywhere.len() > titles.len(), "{anywhere:?}");
        assert!(titles.iter().all(|id| anywhere.contains(id)));
        assert_eq!(ids(&catalog, "city:tokyo"), ["NCT02210479", "NCT05183427"]);
    }

    #[test]
    fn accents_are_folded() {
        let catalog = catalog();
        assert_eq!(ids(&catalog, "sjogren"), ["NCT04338854"]);
        assert_eq!(ids(&catalog, "Sjögren"), ["NCT04338854"]);
        assert_eq!(matching(&catalog, &term(Some(TextField::City), &["cordoba"], true)), ["NCT05183427"]);
    }

    #[test]
    fn titles_rank_first() {
        let catalog = catalog();
        let found = ids(&catalog, "cancer");
        assert!(found.len() > 3, "{found:?}");
        let mut top: Vec<&str> = found[..3].iter().map(String::as_str).collect();
        top.sort_unstable();
        assert_eq!(top, ["NCT04990515", "NCT05612947", "NCT05894412"]);
    }

    #[test]
    fn filters_alone_keep_catalog_order() {
        let catalog = catalog();
        let found = catalog.search(&parse("status:completed").unwrap());
        assert!(found.windows(2).all(|w| w[0] < w[1]), "{found:?}");
        assert_eq!(catalog.search(&parse("").unwrap()).len(), catalog.len());
        assert_eq!(ids(&catalog, "nct04415320"), ["NCT04415320"]);
    }

    #[test]
    fn duplicates_do_not_leak() {
        let catalog = Catalog::load_indexed(&[assets(), assets()], &Progress::default());
        assert_eq!(catalog.duplicates.len(), catalog.len());
        // Every document is indexed twice; only the kept one of each pair maps to a study.
        let index = catalog.index.as_ref().unwrap();
        assert_eq!(index.searcher.num_docs(), 2 * catalog.len() as u64);
        let mapped: Vec<usize> = index.studies.iter().flatten().filter_map(|place| *place).collect();
        assert_eq!(mapped.len(), catalog.len());
        for query in ["cancer", "\"stem cells\"", "vaccines OR psoriasis", "", "-cancer"] {
            let found = catalog.search(&parse(query).unwrap());
            let mut distinct = found.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), found.len(), "{query}");
            assert!(found.iter().all(|&i| i < catalog.len()), "{query}");
        }
        assert_eq!(ids(&catalog, "psoriasis"), ["NCT02491658"]);
    }

    #[test]
    fn a_panic_inside_tantivy_is_caught_and_becomes_the_index_s_failure() {
        let caught = guarded(|| -> Result<(), String> {
            assert!(panic_is_caught());
            panic!("deliberate")
        });
        assert!(caught.unwrap_err().contains("deliberate"));
        assert!(!panic_is_caught());

        // Segment files damaged behind the checksums' back (taken again after the damage): what
        // tantivy makes of them, a panic or an error, never escapes; it is the index's failure.
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("index");
        std::fs::create_dir(&folder).unwrap();
        let listing = crate::source::list_inputs(&[assets()]);
        let catalog = Catalog::load_listing(
            &listing,
            &Progress::default(),
            crate::catalog::Indexing::InFolder(folder.clone()),
        );
        let places = catalog.index.as_ref().unwrap().stored_places();
        drop(catalog);
        let terms = [term(None, &["cancer"], false), term(Some(TextField::City), &["new", "york"], true)];
        let mut failures = Vec::new();
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let segment_file = |f: &&PathBuf| f.extension().is_some_and(|e| e != "json" && e != "lock");
        for file in files.iter().filter(segment_file) {
            let whole = std::fs::read(file).unwrap();
            for at in [0, whole.len() / 4, whole.len() / 2, whole.len() * 3 / 4] {
                let mut damaged = whole.clone();
                damaged[at] ^= 0xff;
                std::fs::write(file, &damaged).unwrap();
                let sums = Arc::new(Sums::new(crate::catalog::cache::sums_of_folder(&folder).unwrap()));
                match TextIndex::open(&folder, Places::Stored(places.clone()), sums) {
                    Err(why) => failures.push(why),
                    Ok(index) => {
                        for term in &terms {
                            let _ = index.matching(term, 30);
                            let _ = index.scores(&[term], 30);
                        }
                        failures.extend(index.failure().map(str::to_string));
                    }
                }
            }
            std::fs::write(file, &whole).unwrap();
        }
        assert!(failures.iter().any(|why| why.contains("inside tantivy")), "no panic met: {failures:#?}");
    }

    #[test]
    fn a_plain_catalog_falls_back_to_summaries() {
        let catalog = Catalog::load(&[assets()]);
        assert!(catalog.index.is_none());
        assert_eq!(ids(&catalog, "psoriasis"), ["NCT02491658"]);
        assert!(ids(&catalog, "city:tokyo").is_empty());
    }
}
