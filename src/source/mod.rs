//! Reading inputs: every shape a user keeps studies in, sniffed by content, streamed one study at
//! a time.
//!
//! A PATH may be a single study object, a JSON array (the website's `ctg-studies.json`), an API
//! page (`{"studies": [...], "nextPageToken": ...}`), NDJSON, the text export with a Python
//! literal after "Raw JSON", a zip of any of these (the website's and the bulk download's
//! `ctg-studies.json.zip`), a folder of any of these (recursively), or `-` for standard input.
//!
//! Nothing here parses a study: a reader hands each study's raw JSON to a [`Sink`] together with
//! its [`Origin`] (for messages) and its [`Locator`] (to read it again later), so the caller
//! decides what to keep. Every failure is a [`LoadError`] given to the sink, and reading goes on
//! with the next study, entry or file. Work is spread over all cores with rayon: files of a
//! folder and entries of a zip in parallel, and the elements of one large array are parsed in
//! parallel batches while the scanner moves on.

mod archive;
mod folder;
mod input_file;
mod locator;
pub mod python_literal;
pub mod scan;
pub mod stored_path;

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use folder::reads as folder_reads;
pub use locator::{Container, Locator, RereadError, Span, Within, ZipEntry};
pub use stored_path::PathTable;

/// The shape an input file was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Format {
    /// One study object (`/api/v2/studies/{id}` or one file of the bulk download).
    Study,
    /// A JSON array of studies (the website's "Download, JSON").
    Array,
    /// An API page: `{"studies": [...], "nextPageToken": ...}`.
    Page,
    /// One study per line (or concatenated study objects).
    Ndjson,
    /// The text export: "Viewing Study NCT…" with a Python literal after "Raw JSON".
    Export,
    /// A zip archive of any of the above.
    Zip,
}

impl Format {
    pub fn describe(self) -> &'static str {
        match self {
            Format::Study => "single study JSON",
            Format::Array => "JSON array",
            Format::Page => "API page",
            Format::Ndjson => "NDJSON",
            Format::Export => "text export",
            Format::Zip => "zip archive",
        }
    }

    /// A stable machine name for JSON output.
    pub fn key(self) -> &'static str {
        match self {
            Format::Study => "study",
            Format::Array => "array",
            Format::Page => "page",
            Format::Ndjson => "ndjson",
            Format::Export => "export",
            Format::Zip => "zip",
        }
    }
}

/// Where inside an input file a study sits, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Position {
    /// Index in a JSON array or an API page's `studies` (0-based, as jq counts).
    Element(usize),
    /// Line of an NDJSON file (1-based, as grep counts).
    Line(u64),
}

/// Where a study or a failure came from: the file, the zip entry inside it, and the element or
/// line inside that. Displayed as `file.zip!/dir/NCT01.json`, `studies.json[3]`, `s.ndjson:12`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    #[serde(with = "stored_path")]
    pub path: Arc<Path>,
    pub entry: Option<Arc<str>>,
    pub position: Option<Position>,
}

impl Origin {
    pub fn file(path: Arc<Path>) -> Self {
        Origin { path, entry: None, position: None }
    }

    pub fn at(&self, position: Position) -> Self {
        Origin { position: Some(position), ..self.clone() }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.as_os_str() == "-" {
            f.write_str("<stdin>")?;
        } else {
            write!(f, "{}", self.path.display())?;
        }
        if let Some(entry) = &self.entry {
            write!(f, "!/{entry}")?;
        }
        match self.position {
            Some(Position::Element(i)) => write!(f, "[{i}]"),
            Some(Position::Line(n)) => write!(f, ":{n}"),
            None => Ok(()),
        }
    }
}

/// Something that could not be read, and why. Never fatal to the rest of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadError {
    pub origin: Origin,
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

/// A study that loaded with a field left out, because its value could not be read. Not a
/// failure: the study is there, without that field. Displayed as
/// `file.json[3] NCT01234567: protocolSection.statusModule.startDateStruct.date: "2024-13-45"
/// is not a date (…); field left out`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadWarning {
    pub origin: Origin,
    /// The study's NCT id.
    pub study: Box<str>,
    /// The field's path in the record, as jq names it (`…locations[2].geoPoint`).
    pub field: String,
    /// What was wrong with the value, with a short excerpt of it.
    pub problem: String,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}: {}; field left out", self.origin, self.study, self.field, self.problem)
    }
}

/// Sorts studies into the order the user gave the inputs: file, then zip entry, then element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
pub struct Order {
    pub file: u32,
    pub entry: u32,
    pub element: u32,
}

/// One study's JSON text, not yet parsed.
#[derive(Debug)]
pub struct RawStudy {
    pub origin: Origin,
    pub locator: Locator,
    pub order: Order,
    pub json: Vec<u8>,
}

/// An input file (file or zip entry) that was recognised, for `nct check`'s summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputFileSeen {
    pub origin: Origin,
    pub format: Format,
}

/// Receives what the readers find. Called from several threads at once.
pub trait Sink: Sync {
    fn study(&self, raw: RawStudy);
    fn failure(&self, error: LoadError);
    fn input_file_seen(&self, _seen: InputFileSeen) {}
    /// About this many more studies are coming (for a progress gauge).
    fn announce(&self, _studies: usize) {}
    /// This many bytes of input are to be read (for a progress gauge).
    fn announce_bytes(&self, _bytes: u64) {}
    /// This many more bytes of input were read.
    fn read_bytes(&self, _bytes: u64) {}
}

/// Reads every input, handing studies and failures to `sink`. Inputs are read in parallel.
pub fn read_inputs(inputs: &[PathBuf], sink: &dyn Sink) {
    read_listing(&list_inputs(inputs), sink);
}

/// The files the inputs name (folders walked), with what could not be listed and what was
/// passed over.
#[derive(Debug)]
pub struct Listing {
    files: Vec<InputFile>,
    pub failures: Vec<LoadError>,
    /// Files and folders inside the folders given that are not read, each with why (`nct check`
    /// says them; not failures: a README beside the studies is no mistake).
    pub skipped: Vec<Skipped>,
}

/// A file or folder a folder holds that loading passes over, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: Arc<Path>,
    pub reason: String,
}

/// Lists the files under the inputs, in the order they will be read.
pub fn list_inputs(inputs: &[PathBuf]) -> Listing {
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    let files = folder::expand(inputs, &mut failures, &mut skipped);
    Listing { files, failures, skipped }
}

/// Reads every listed file, handing studies and failures (the listing's own first) to `sink`.
pub fn read_listing(listing: &Listing, sink: &dyn Sink) {
    for failure in &listing.failures {
        sink.failure(failure.clone());
    }
    sink.announce(listing.files.len());
    sink.announce_bytes(listing.bytes());
    use rayon::prelude::*;
    listing.files.par_iter().for_each(|file| read_file(file, sink));
}

/// What names a set of inputs for a cache: the paths as given, and where they resolve from the
/// current folder (origins and locators keep the paths as given, so both must be the same).
/// `None` for standard input, which cannot be read again.
pub fn inputs_key(inputs: &[PathBuf]) -> Option<u64> {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut named = DefaultHasher::new();
    // Paths hash as their bytes: `Path`'s own hash walks components, slow over 600k files.
    for input in inputs {
        if input.as_os_str() == "-" {
            return None;
        }
        input.as_os_str().hash(&mut named);
        std::path::absolute(input).ok()?.as_os_str().hash(&mut named);
    }
    Some(named.finish())
}

impl Listing {
    /// What changes when any listed file's size or modification time does, a file comes or
    /// goes, or the listing's failures change: a cache of these inputs is stale when it does.
    /// `None` when a file could not be stamped (standard input, a file gone since listed).
    pub fn contents_key(&self) -> Option<u64> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut contents = DefaultHasher::new();
        for file in &self.files {
            file.path.as_os_str().hash(&mut contents);
            file.stamp?.hash(&mut contents);
        }
        // A zip is also known by its directory of entries (read once per listing: about 10 ms
        // for the whole registry's 600k entries).
        let zips: Vec<&Path> = self.files.iter().map(|f| &*f.path).filter(|p| is_zip_name(p)).collect();
        for zip in zips {
            archive::directory_crc(zip).hash(&mut contents);
        }
        for failure in &self.failures {
            failure.to_string().hash(&mut contents);
        }
        Some(contents.finish())
    }

    /// The listed files' total size, as listed.
    pub fn bytes(&self) -> u64 {
        self.files.iter().filter_map(|f| f.stamp).map(|s| s.len).sum()
    }

    /// How many files are listed.
    pub fn files(&self) -> usize {
        self.files.len()
    }
}

fn is_zip_name(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

/// A file to read, numbered in the order the user gave it.
#[derive(Debug)]
pub(crate) struct InputFile {
    pub path: Arc<Path>,
    pub number: u32,
    /// `None` for standard input.
    pub stamp: Option<FileStamp>,
}

/// A file's size and modification time when listed: what tells that it changed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct FileStamp {
    len: u64,
    modified_ns: Option<u128>,
}

impl FileStamp {
    pub(crate) fn of(metadata: &std::fs::Metadata) -> FileStamp {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos());
        FileStamp { len: metadata.len(), modified_ns }
    }
}

fn read_file(file: &InputFile, sink: &dyn Sink) {
    let origin = Origin::file(file.path.clone());
    let order = Order { file: file.number, ..Order::default() };
    if file.path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        match io::stdin().lock().read_to_end(&mut bytes) {
            Ok(_) => {
                let bytes: Arc<[u8]> = bytes.into();
                let ctx = input_file::Context {
                    origin,
                    container: Container::Memory(bytes.clone()),
                    order,
                    size: Some(bytes.len() as u64),
                    report_format: true,
                };
                input_file::read(io::Cursor::new(&bytes[..]), &ctx, sink);
            }
            Err(e) => sink.failure(LoadError { origin, reason: format!("cannot read standard input: {e}") }),
        }
        return;
    }
    let handle = match std::fs::File::open(&file.path) {
        Ok(f) => f,
        Err(e) => {
            sink.failure(LoadError { origin, reason: io_reason("cannot open", &e) });
            return;
        }
    };
    let size = handle.metadata().ok().map(|m| m.len());
    let mut reader = io::BufReader::with_capacity(256 * 1024, handle);
    match archive::sniff(&mut reader) {
        // Counts its bytes entry by entry.
        Ok(true) => archive::read(&file.path, reader.into_inner(), order, sink),
        Ok(false) => {
            let ctx = input_file::Context {
                origin,
                container: Container::File(file.path.clone()),
                order,
                size,
                report_format: true,
            };
            input_file::read(reader, &ctx, sink);
            sink.read_bytes(size.unwrap_or(0));
        }
        Err(e) => sink.failure(LoadError { origin, reason: io_reason("cannot read", &e) }),
    }
}

/// An I/O error as a reader wants it: what was attempted, and the system's reason.
pub(crate) fn io_reason(what: &str, e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => {
            format!("{what}: permission denied (check the file's permissions)")
        }
        io::ErrorKind::NotFound => format!("{what}: no such file or folder"),
        _ => format!("{what}: {e}"),
    }
}

/// Reads the study a locator points to, again: the raw JSON text as the registry wrote it (for
/// the text export, the JSON converted from its Python literal).
pub fn reread(locator: &Locator) -> Result<Vec<u8>, RereadError> {
    locator::reread(locator)
}
