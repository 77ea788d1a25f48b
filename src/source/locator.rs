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

pub(super) fn reread(locator: &Locator) -> Result<Vec<u8>, String> {
    match locator.within {
        Within::Span(span) => read_span(&locator.container, span),
        Within::Export(span) => {
            let all = read_all(&locator.container)?;
            let json =
                python_literal::export_to_json(&String::from_utf8_lossy(&all)).map_err(|e| e.to_string())?;
            slice(json.as_bytes(), span)
        }
    }
}

fn slice(bytes: &[u8], span: Span) -> Result<Vec<u8>, String> {
    let start = usize::try_from(span.start).map_err(|e| e.to_string())?;
    let end = start.saturating_add(usize::try_from(span.len).map_err(|e| e.to_string())?);
    bytes
        .get(start..end)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| "the study is no longer where it was: the input changed since it was loaded".into())
}

fn read_span(container: &Container, span: Span) -> Result<Vec<u8>, String> {
    if span.len > MAX_STUDY_BYTES {
        return Err(format!("the study is too large to read ({} bytes)", span.len));
    }
    match container {
        Container::File(path) => {
            let mut file = open(path)?;
            file.seek(SeekFrom::Start(span.start)).map_err(|e| e.to_string())?;
            read_exact_len(file, span.len, path)
        }
        Container::Zip { path, entry } => {
            let mut reader = open_entry(path, *entry)?;
            io::copy(&mut (&mut reader).take(span.start), &mut io::sink()).map_err(|e| e.to_string())?;
            read_exact_len(reader, span.len, path)
        }
        Container::Memory(bytes) => slice(bytes, span),
    }
}

fn read_exact_len(reader: impl Read, len: u64, path: &Path) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    reader.take(len).read_to_end(&mut out).map_err(|e| format!("{}: {e}", path.display()))?;
    if (out.len() as u64) < len {
        return Err(format!("{}: the file is shorter than when it was loaded", path.display()));
    }
    Ok(out)
}

fn read_all(container: &Container) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match container {
        Container::File(path) => {
            open(path)?.take(MAX_STUDY_BYTES).read_to_end(&mut out).map_err(|e| e.to_string())?;
        }
        Container::Zip { path, entry } => {
            open_entry(path, *entry)?
                .take(MAX_STUDY_BYTES)
                .read_to_end(&mut out)
                .map_err(|e| e.to_string())?;
        }
        Container::Memory(bytes) => out.extend_from_slice(bytes),
    }
    Ok(out)
}

fn open(path: &Path) -> Result<File, String> {
    File::open(path).map_err(|e| super::io_reason(&format!("cannot open {}", path.display()), &e))
}

/// The uncompressed contents of a zip entry, read straight from its compressed data.
fn open_entry(path: &Path, entry: ZipEntry) -> Result<Box<dyn Read>, String> {
    let mut file = open(path)?;
    file.seek(SeekFrom::Start(entry.data_start)).map_err(|e| e.to_string())?;
    let raw = file.take(entry.compressed_size);
    if entry.deflated { Ok(Box::new(flate2::read::DeflateDecoder::new(raw))) } else { Ok(Box::new(raw)) }
}
