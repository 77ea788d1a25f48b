//! Where a study lives, so that its full record can be read again on demand instead of being
//! kept in memory: a file or a zip entry (the container), and a byte range inside it.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::python_literal;

/// The bytes a study was read from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Container {
    File(#[serde(with = "super::stored_path")] Arc<Path>),
    /// A member of a zip archive. Its compressed data's place is kept so that re-reading does
    /// not need the archive's central directory (large for the 600k-study bulk download).
    Zip {
        #[serde(with = "super::stored_path")]
        path: Arc<Path>,
        entry: ZipEntry,
    },
    /// Standard input, kept whole because it cannot be read twice.
    Memory(Arc<[u8]>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZipEntry {
    pub data_start: u64,
    pub compressed_size: u64,
    pub deflated: bool,
}

/// A byte range inside a container's (uncompressed) contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: u64,
    pub len: u64,
}

/// Which part of the container is the study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Within {
    /// A byte range of the JSON text.
    Span(Span),
    /// A byte range of the JSON converted from a text export's Python literal.
    Export(Span),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Locator {
    pub container: Container,
    pub within: Within,
}

/// A cap on what is read back for one study, so a corrupt locator cannot exhaust memory.
const MAX_STUDY_BYTES: u64 = 1 << 30;

/// Why a study could not be read again through its locator. The input may have changed since it
/// was loaded (moved, shortened, rewritten), which the caller may offer to reload.
#[derive(Debug, thiserror::Error)]
pub enum RereadError {
    /// The file cannot be opened (gone, moved, no permission).
    #[error("{}", super::io_reason(&format!("cannot open {}", path.display()), source))]
    Open { path: Arc<Path>, source: io::Error },
    /// The file is shorter than the study's place in it.
    #[error("{}: the file is shorter than when it was loaded", path.display())]
    Shorter { path: Arc<Path> },
    /// The bytes at the study's place are no longer there.
    #[error("the study is no longer where it was: the input changed since it was loaded")]
    Moved,
    #[error("the study is too large to read ({len} bytes)")]
    TooLarge { len: u64 },
    /// Reading failed part way, in a file named or not.
    #[error("{}: {source}", path.display())]
    Read { path: Arc<Path>, source: io::Error },
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The text export no longer converts to JSON.
    #[error("{0}")]
    Export(String),
    #[error(transparent)]
    OutOfRange(#[from] std::num::TryFromIntError),
}

pub(super) fn reread(locator: &Locator) -> Result<Vec<u8>, RereadError> {
    match locator.within {
        Within::Span(span) => read_span(&locator.container, span),
        Within::Export(span) => {
            let all = read_all(&locator.container)?;
            let json = python_literal::export_to_json(&String::from_utf8_lossy(&all))
                .map_err(|e| RereadError::Export(e.to_string()))?;
            slice(json.as_bytes(), span)
        }
    }
}

fn slice(bytes: &[u8], span: Span) -> Result<Vec<u8>, RereadError> {
    let start = usize::try_from(span.start)?;
    let end = start.saturating_add(usize::try_from(span.len)?);
    bytes.get(start..end).map(<[u8]>::to_vec).ok_or(RereadError::Moved)
}

fn read_span(container: &Container, span: Span) -> Result<Vec<u8>, RereadError> {
    if span.len > MAX_STUDY_BYTES {
        return Err(RereadError::TooLarge { len: span.len });
    }
    match container {
        Container::File(path) => {
            let mut file = open(path)?;
            file.seek(SeekFrom::Start(span.start))?;
            read_exact_len(file, span.len, path)
        }
        Container::Zip { path, entry } => {
            let mut reader = open_entry(path, *entry)?;
            io::copy(&mut (&mut reader).take(span.start), &mut io::sink())?;
            read_exact_len(reader, span.len, path)
        }
        Container::Memory(bytes) => slice(bytes, span),
    }
}

fn read_exact_len(reader: impl Read, len: u64, path: &Arc<Path>) -> Result<Vec<u8>, RereadError> {
    let mut out = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    reader
        .take(len)
        .read_to_end(&mut out)
        .map_err(|source| RereadError::Read { path: path.clone(), source })?;
    if (out.len() as u64) < len {
        return Err(RereadError::Shorter { path: path.clone() });
    }
    Ok(out)
}

fn read_all(container: &Container) -> Result<Vec<u8>, RereadError> {
    let mut out = Vec::new();
    match container {
        Container::File(path) => {
            open(path)?.take(MAX_STUDY_BYTES).read_to_end(&mut out)?;
        }
        Container::Zip { path, entry } => {
            open_entry(path, *entry)?.take(MAX_STUDY_BYTES).read_to_end(&mut out)?;
        }
        Container::Memory(bytes) => out.extend_from_slice(bytes),
    }
    Ok(out)
}

fn open(path: &Arc<Path>) -> Result<File, RereadError> {
    File::open(path).map_err(|source| RereadError::Open { path: path.clone(), source })
}

/// The uncompressed contents of a zip entry, read straight from its compressed data.
fn open_entry(path: &Arc<Path>, entry: ZipEntry) -> Result<Box<dyn Read>, RereadError> {
    let mut file = open(path)?;
    file.seek(SeekFrom::Start(entry.data_start))?;
    let raw = file.take(entry.compressed_size);
    if entry.deflated { Ok(Box::new(flate2::read::DeflateDecoder::new(raw))) } else { Ok(Box::new(raw)) }
}
