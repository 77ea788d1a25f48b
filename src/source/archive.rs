//! Zip archives: the website's `ctg-studies.json.zip` and the registry's bulk download (one JSON
//! file per study, in any folder layout). Entries are inflated and parsed in parallel, each
//! worker with its own cheap clone of the archive over a shared file handle, and each entry is
//! sniffed like any other document, so a zip of arrays or of text exports works too.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use zip::{CompressionMethod, ZipArchive};

use super::document::{self, Context};
use super::{Container, DocumentSeen, Format, LoadError, Order, Origin, Sink, ZipEntry};

/// Whether the input starts like a zip archive (a local file header, or the end record of an
/// empty archive).
pub(super) fn sniff<R: BufRead>(reader: &mut R) -> io::Result<bool> {
    let head = reader.fill_buf()?;
    Ok(head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06"))
}

/// A file handle that many readers share, each with its own position (reads use `pread`), so
/// the archive can be cloned per worker without reopening the file or re-reading the central
/// directory.
#[derive(Clone)]
struct SharedFile {
    file: Arc<File>,
    pos: u64,
    len: u64,
}

impl Read for SharedFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for SharedFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos =
            target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

pub(super) fn read(path: &Arc<Path>, file: File, order: Order, sink: &dyn Sink) {
    let origin = Origin::file(path.clone());
    let len = match file.metadata() {
        Ok(m) => m.len(),
        Err(e) => return sink.failure(LoadError { origin, reason: format!("cannot read: {e}") }),
    };
    let shared = SharedFile { file: Arc::new(file), pos: 0, len };
    let archive = match ZipArchive::new(shared.clone()) {
        Ok(a) => a,
        Err(e) => return recover(path, &shared, order, sink, &e.to_string()),
    };
    sink.document(DocumentSeen { origin: origin.clone(), format: Format::Zip });
    (0..archive.len()).into_par_iter().for_each_with(archive, |archive, index| {
        read_entry(archive, index, path, order, sink);
    });
}

fn read_entry(
    archive: &mut ZipArchive<SharedFile>,
    index: usize,
    path: &Arc<Path>,
    order: Order,
    sink: &dyn Sink,
) {
    let mut origin = Origin::file(path.clone());
    let name: Arc<str> = match archive.name_for_index(index) {
        Some(Ok(name)) => Arc::from(name.as_ref()),
        _ => Arc::from(format!("entry {index}")),
    };
    if name.ends_with('/') || is_metadata(&name) {
        return;
    }
    origin.entry = Some(name);
    let entry = match archive.by_index(index) {
        Ok(e) => e,
        Err(e) => {
            return sink.failure(LoadError { origin, reason: format!("cannot read this zip entry: {e}") });
        }
    };
    if entry.is_dir() {
        return;
    }
    let deflated = match entry.compression() {
        CompressionMethod::Stored => false,
        CompressionMethod::Deflated => true,
        other => {
            return sink.failure(LoadError {
                origin,
                reason: format!(
                    "zip entry compressed with {other}, which nct does not read (only stored and deflate)"
                ),
            });
        }
    };
    let Some(data_start) = entry.data_start() else {
        return sink.failure(LoadError { origin, reason: "zip entry has no readable local header".into() });
    };
    let zip_entry = ZipEntry { data_start, compressed_size: entry.compressed_size(), deflated };
    let ctx = Context {
        origin,
        container: Container::Zip { path: path.clone(), entry: zip_entry },
        order: Order { entry: u32::try_from(index).unwrap_or(u32::MAX), ..order },
    };
    document::read(BufReader::with_capacity(64 * 1024, CheckedEntry(entry)), &ctx, sink);
}

/// Files that archivers add beside the studies, which are not studies and not errors.
fn is_metadata(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    name.starts_with("__MACOSX/") || base.starts_with("._") || base == ".DS_Store" || base == "Thumbs.db"
}

/// Turns the zip crate's "invalid checksum" into a message that names corruption.
struct CheckedEntry<R>(R);

impl<R: Read> Read for CheckedEntry<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf).map_err(|e| {
            let text = e.to_string();
            if text.contains("checksum") || text.contains("corrupt") || text.contains("invalid") {
                io::Error::new(e.kind(), format!("corrupt zip entry ({text})"))
            } else {
                e
            }
        })
    }
}

/// A zip without a readable central directory, typically a download cut short: the entries
/// whose local header and data are complete are read anyway, and the archive is reported.
fn recover(path: &Arc<Path>, file: &SharedFile, order: Order, sink: &dyn Sink, why: &str) {
    let origin = Origin::file(path.clone());
    let entries = local_entries(file);
    let complete: Vec<&LocalEntry> =
        entries.iter().filter(|e| e.entry.data_start + e.entry.compressed_size <= file.len).collect();
    let reason = if entries.is_empty() {
        format!("not a readable zip ({why}); if it was downloaded, the download may be incomplete: download it again")
    } else {
        sink.document(DocumentSeen { origin: origin.clone(), format: Format::Zip });
        format!(
            "incomplete zip: no central directory ({why}); the download was probably cut short. \
             {} complete entries were read from their local headers; download it again for the rest",
            complete.len()
        )
    };
    sink.failure(LoadError { origin, reason });
    complete.par_iter().for_each(|local| {
        let ctx = Context {
            origin: Origin { entry: Some(local.name.clone()), ..Origin::file(path.clone()) },
            container: Container::Zip { path: path.clone(), entry: local.entry },
            order: Order { entry: local.index, ..order },
        };
        let raw = SharedFile { pos: local.entry.data_start, ..file.clone() }.take(local.entry.compressed_size);
        if local.entry.deflated {
            document::read(BufReader::new(flate2::read::DeflateDecoder::new(raw)), &ctx, sink);
        } else {
            document::read(BufReader::new(raw), &ctx, sink);
        }
    });
}

struct LocalEntry {
    name: Arc<str>,
    index: u32,
    entry: ZipEntry,
}

/// Walks the local file headers from the start of the archive, stopping at the first one that
/// is cut off, has no sizes (a data descriptor follows its data) or uses a method nct cannot read.
fn local_entries(file: &SharedFile) -> Vec<LocalEntry> {
    let mut entries = Vec::new();
    let mut pos = 0u64;
    let mut header = [0u8; 30];
    loop {
        if file.file.read_exact_at(&mut header, pos).is_err() || !header.starts_with(b"PK\x03\x04") {
            return entries;
        }
        let u16_at = |i: usize| header.get(i..i + 2).and_then(|b| b.try_into().ok()).map_or(0, u16::from_le_bytes);
        let u32_at = |i: usize| header.get(i..i + 4).and_then(|b| b.try_into().ok()).map_or(0, u32::from_le_bytes);
        let flags = u16_at(6);
        let method = u16_at(8);
        let compressed_size = u64::from(u32_at(18));
        let name_len = u64::from(u16_at(26));
        let extra_len = u64::from(u16_at(28));
        if flags & 0x08 != 0 || compressed_size == 0xFFFF_FFFF || !matches!(method, 0 | 8) {
            return entries;
        }
        let mut name = vec![0u8; name_len as usize];
        if file.file.read_exact_at(&mut name, pos + 30).is_err() {
            return entries;
        }
        let data_start = pos + 30 + name_len + extra_len;
        let name = String::from_utf8_lossy(&name).into_owned();
        if !name.ends_with('/') && !is_metadata(&name) {
            entries.push(LocalEntry {
                name: Arc::from(name),
                index: u32::try_from(entries.len()).unwrap_or(u32::MAX),
                entry: ZipEntry { data_start, compressed_size, deflated: method == 8 },
            });
        }
        pos = data_start + compressed_size;
    }
}
