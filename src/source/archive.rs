//! Zip archives: the website's `ctg-studies.json.zip` and the registry's bulk download (one JSON
//! file per study, in any folder layout). Entries are inflated and parsed in parallel, each
//! worker with its own cheap clone of the archive over a shared file handle, and each entry is
//! sniffed like any other input file, so a zip of arrays or of text exports works too.
//!
//! Nothing an archive declares is trusted beyond the file itself: an entry's data must lie
//! within the file and its own room (before the next entry and the central directory), its
//! declared size must be one its data can inflate to, and no more than that is ever inflated or
//! allocated, so a crafted zip costs a message, not the process.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use zip::{CompressionMethod, ZipArchive};

use super::input_file::{self, Context};
use super::{Container, Format, InputFileSeen, LoadError, Order, Origin, RawStudy, Sink, ZipEntry};

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
    sink.input_file_seen(InputFileSeen { origin: origin.clone(), format: Format::Zip });
    // The zip itself was counted as one file; its entries are what is coming.
    sink.announce(archive.len().saturating_sub(1));
    let layout = Layout::of(&archive, len);
    let counted = std::sync::atomic::AtomicU64::new(0);
    let counting = Counting { sink, counted: &counted };
    (0..archive.len()).into_par_iter().for_each_init(
        || (archive.clone(), flate2::Decompress::new(false)),
        |(archive, inflater), index| {
            read_entry(archive, inflater, &layout, index, path, order, &counting);
        },
    );
    // Headers and the central directory: the rest of the file.
    sink.read_bytes(len.saturating_sub(counted.load(std::sync::atomic::Ordering::Relaxed)));
}

/// Where each entry may lie, from the central directory alone: from its local header to the
/// next entry's local header, or to the central directory. An entry whose data reaches past
/// that overlaps another, which no archiver writes: it is how a crafted zip makes many entries
/// inflate one huge stream again and again. So every compressed byte is inflated at most once.
struct Layout {
    /// Every entry's local header offset with the entry's index, sorted.
    headers: Vec<(u64, usize)>,
    directory_start: u64,
}

/// Why an entry cannot have the room it claims.
enum Overlap {
    /// Another entry (by index) has the same local header.
    SharedHeader(usize),
    /// Its local header is not before the central directory.
    HeaderPastDirectory,
}

impl Layout {
    fn of(archive: &ZipArchive<SharedFile>, len: u64) -> Layout {
        let mut headers: Vec<(u64, usize)> = (0..archive.len())
            .filter_map(|i| archive.by_index_data(i).ok().map(|e| (e.header_start(), i)))
            .collect();
        headers.sort_unstable();
        Layout { headers, directory_start: archive.central_directory_start().min(len) }
    }

    /// The end of the room of entry `index`, whose local header is at `header_start`.
    fn room(&self, index: usize, header_start: u64) -> Result<u64, Overlap> {
        if header_start >= self.directory_start {
            return Err(Overlap::HeaderPastDirectory);
        }
        let here = self.headers.partition_point(|&(h, _)| h < header_start);
        let after = self.headers.partition_point(|&(h, _)| h <= header_start);
        let sharing = self.headers.get(here..after).unwrap_or_default();
        if let Some(&(_, other)) = sharing.iter().find(|&&(_, i)| i != index) {
            return Err(Overlap::SharedHeader(other));
        }
        let next = self.headers.get(after).map_or(self.directory_start, |&(h, _)| h);
        Ok(next.min(self.directory_start))
    }

    /// Which entry's local header starts at `offset`, if any.
    fn entry_at(&self, offset: u64) -> Option<usize> {
        let at = self.headers.partition_point(|&(h, _)| h < offset);
        self.headers.get(at).filter(|&&(h, _)| h == offset).map(|&(_, i)| i)
    }
}

/// Passes everything on, counting each entry's compressed bytes as read.
struct Counting<'a> {
    sink: &'a dyn Sink,
    counted: &'a std::sync::atomic::AtomicU64,
}

impl Sink for Counting<'_> {
    fn study(&self, raw: RawStudy) {
        self.sink.study(raw);
    }

    fn failure(&self, error: LoadError) {
        self.sink.failure(error);
    }

    fn input_file_seen(&self, seen: InputFileSeen) {
        self.sink.input_file_seen(seen);
    }

    fn announce(&self, studies: usize) {
        self.sink.announce(studies);
    }

    fn announce_bytes(&self, bytes: u64) {
        self.sink.announce_bytes(bytes);
    }

    fn read_bytes(&self, bytes: u64) {
        self.counted.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
        self.sink.read_bytes(bytes);
    }
}

/// How an entry whose data cannot be trusted is described, after "zip entry ".
const SKIPPED: &str = "the archive is damaged or was crafted to exhaust memory or time (a \"zip bomb\"); \
                       this entry was skipped";

fn entry_name(archive: &ZipArchive<SharedFile>, index: usize) -> Arc<str> {
    match archive.name_for_index(index) {
        Some(Ok(name)) => Arc::from(name.as_ref()),
        _ => Arc::from(format!("entry {index}")),
    }
}

fn read_entry(
    archive: &mut ZipArchive<SharedFile>,
    inflater: &mut flate2::Decompress,
    layout: &Layout,
    index: usize,
    path: &Arc<Path>,
    order: Order,
    sink: &dyn Sink,
) {
    let mut origin = Origin::file(path.clone());
    let name = entry_name(archive, index);
    if name.ends_with('/') || is_metadata(&name) {
        return;
    }
    origin.entry = Some(name);
    let fail = |origin: Origin, reason: String| sink.failure(LoadError { origin, reason });
    let (header_start, encrypted) = match archive.by_index_data(index) {
        Ok(entry) if entry.is_dir() => return,
        Ok(entry) => (entry.header_start(), entry.encrypted()),
        Err(e) => return fail(origin, format!("cannot read this zip entry: {e}")),
    };
    if encrypted {
        return fail(origin, ENCRYPTED.into());
    }
    let room = match layout.room(index, header_start) {
        Ok(end) => end,
        Err(Overlap::SharedHeader(other)) => {
            let other = entry_name(archive, other);
            return fail(
                origin,
                format!("overlapping zip entry: it shares its data with {other}; {SKIPPED}"),
            );
        }
        Err(Overlap::HeaderPastDirectory) => {
            return fail(origin, format!("zip entry placed after the archive's directory; {SKIPPED}"));
        }
    };
    let file = archive.clone().into_inner();
    let stored = match archive.by_index_raw(index) {
        Ok(raw) => StoredEntry {
            method: raw.compression(),
            data_start: raw.data_start(),
            compressed_size: raw.compressed_size(),
            size: raw.size(),
            crc32: raw.crc32(),
        },
        Err(e) => return fail(origin, format!("cannot read this zip entry: {e}")),
    };
    let deflated = match stored.method {
        CompressionMethod::Stored => false,
        CompressionMethod::Deflated => true,
        other => {
            return fail(
                origin,
                format!(
                    "zip entry compressed with {other}, which nct does not read (only stored and deflate)"
                ),
            );
        }
    };
    let Some(data_start) = stored.data_start else {
        return fail(origin, "zip entry has no readable local header".into());
    };
    let entry = ZipEntry { data_start, compressed_size: stored.compressed_size, deflated };
    let end = match entry_end(&entry, file.len) {
        Ok(end) => end,
        Err(reason) => return fail(origin, reason),
    };
    if end > room {
        let reason = match layout.entry_at(room).filter(|_| room < layout.directory_start) {
            Some(other) => format!(
                "overlapping zip entry: its data runs into {}'s; {SKIPPED}",
                entry_name(archive, other)
            ),
            None => format!("overlapping zip entry: its data runs into the archive's directory; {SKIPPED}"),
        };
        return fail(origin, reason);
    }
    sink.read_bytes(stored.compressed_size);
    let ctx = Context {
        origin,
        container: Container::Zip { path: path.clone(), entry },
        order: Order { entry: u32::try_from(index).unwrap_or(u32::MAX), ..order },
        size: Some(stored.size),
        report_format: true,
    };
    read_entry_data(&file, inflater, &entry, stored.size, stored.crc32, &ctx, sink);
}

const ENCRYPTED: &str = "encrypted zip entry: nct cannot read encrypted archives; \
                         extract it with its password and give nct the extracted files";

/// Where an entry's compressed data ends, if it lies within the file.
fn entry_end(entry: &ZipEntry, file_len: u64) -> Result<u64, String> {
    match entry.data_start.checked_add(entry.compressed_size) {
        Some(end) if end <= file_len => Ok(end),
        _ => Err(format!(
            "zip entry declares {} compressed bytes, more than the file holds after its start \
             ({} bytes); {SKIPPED}",
            entry.compressed_size,
            file_len.saturating_sub(entry.data_start)
        )),
    }
}

/// What the central directory and local header say about an entry.
struct StoredEntry {
    method: CompressionMethod,
    data_start: Option<u64>,
    compressed_size: u64,
    size: u64,
    crc32: u32,
}

/// Deflate cannot expand data more than this: a length/distance pair of two bits stands for at
/// most 258 bytes.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// Reads an entry whose compressed data lies within the file: the declared size (`size`) is
/// first checked against what the data could possibly hold, and is never allocated beyond
/// what one study may take.
fn read_entry_data(
    file: &SharedFile,
    inflater: &mut flate2::Decompress,
    entry: &ZipEntry,
    size: u64,
    crc32: u32,
    ctx: &Context,
    sink: &dyn Sink,
) {
    let possible = if entry.deflated {
        entry.compressed_size.saturating_add(1).saturating_mul(MAX_DEFLATE_RATIO)
    } else {
        entry.compressed_size
    };
    if size > possible || (!entry.deflated && size != entry.compressed_size) {
        let how = if entry.deflated { "inflate to" } else { "stored as" };
        return ctx.fail_file(
            sink,
            format!(
                "corrupt zip entry: it says {} compressed bytes {how} {size}, which they cannot; {SKIPPED}",
                entry.compressed_size
            ),
        );
    }
    if size > input_file::MAX_STUDY_BYTES as u64 {
        // Too large to hold at once (a whole download zipped as one array): streamed, each of
        // its studies within the limit of one study.
        let raw = SharedFile { pos: entry.data_start, ..file.clone() }.take(entry.compressed_size);
        if entry.deflated {
            let inflated = DeclaredSize { inner: flate2::read::DeflateDecoder::new(raw), left: size };
            input_file::read(BufReader::with_capacity(STREAM_BUFFER, inflated), ctx, sink);
        } else {
            input_file::read(BufReader::with_capacity(STREAM_BUFFER, raw), ctx, sink);
        }
        return;
    }
    match inflate(file, inflater, entry, size, crc32) {
        Ok(bytes) => input_file::read_owned(bytes, ctx, sink),
        Err(reason) => ctx.fail_file(sink, reason),
    }
}

/// The buffer of a streamed entry: large enough to see an API page's `studies` key.
const STREAM_BUFFER: usize = 256 << 10;

/// An inflating reader that fails rather than give more than the entry's declared size.
struct DeclaredSize<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for DeclaredSize<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // Anything more is more than the archive declared.
            return match self.inner.read(&mut [0u8; 1])? {
                0 => Ok(0),
                _ => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "corrupt zip entry: it inflates to more than the archive says",
                )),
            };
        }
        let room = usize::try_from(self.left).unwrap_or(usize::MAX).min(buf.len());
        let n = self.inner.read(buf.get_mut(..room).unwrap_or_default())?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Compressed data is read this much at a time: never all of an entry at once.
const COMPRESSED_CHUNK: u64 = 256 << 10;

/// An entry's contents, inflated straight into a buffer of its declared size (checked by the
/// caller against what the data can hold and what a study may take), checked against the CRC
/// the archive recorded. Inflating stops as soon as the data gives more than declared.
/// `inflater` is reused from entry to entry: setting up a fresh one costs more than inflating a
/// small study.
fn inflate(
    file: &SharedFile,
    inflater: &mut flate2::Decompress,
    entry: &ZipEntry,
    size: u64,
    crc32: u32,
) -> Result<Vec<u8>, String> {
    let read_error = |e: io::Error| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            "truncated zip entry: the archive ends inside it (incomplete download?)".to_string()
        } else {
            format!("cannot read this zip entry: {e}")
        }
    };
    let size = usize::try_from(size).map_err(|e| e.to_string())?;
    let bytes = if entry.deflated {
        let mut out = Vec::with_capacity(size.saturating_add(1));
        let too_much =
            || format!("corrupt zip entry: it inflates to more than the {size} bytes the archive says");
        inflater.reset(false);
        let mut chunk = vec![0u8; usize::try_from(COMPRESSED_CHUNK.min(entry.compressed_size)).unwrap_or(0)];
        let mut pos = entry.data_start;
        let end = entry.data_start + entry.compressed_size;
        let mut ended = false;
        while !ended && pos < end {
            let n = usize::try_from((end - pos).min(COMPRESSED_CHUNK)).unwrap_or(0);
            let input = chunk.get_mut(..n).unwrap_or_default();
            file.file.read_exact_at(input, pos).map_err(read_error)?;
            pos += n as u64;
            let flush =
                if pos == end { flate2::FlushDecompress::Finish } else { flate2::FlushDecompress::None };
            let mut input: &[u8] = input;
            loop {
                let (before, before_out) = (inflater.total_in(), out.len());
                let status = inflater
                    .decompress_vec(input, &mut out, flush)
                    .map_err(|e| format!("corrupt zip entry: cannot inflate it ({e})"))?;
                let used = usize::try_from(inflater.total_in() - before).unwrap_or(usize::MAX);
                input = input.get(used..).unwrap_or_default();
                if status == flate2::Status::StreamEnd {
                    ended = true;
                    break;
                }
                if out.len() > size {
                    return Err(too_much());
                }
                if input.is_empty() {
                    break;
                }
                if used == 0 && out.len() == before_out {
                    return Err("corrupt zip entry: inflating it makes no progress".into());
                }
            }
        }
        if out.len() > size {
            return Err(too_much());
        }
        if !ended || out.len() != size {
            return Err(format!(
                "corrupt zip entry: it inflates to {} bytes, the archive says {size}",
                out.len()
            ));
        }
        out
    } else {
        let mut stored = vec![0u8; size];
        file.file.read_exact_at(&mut stored, entry.data_start).map_err(read_error)?;
        stored
    };
    if crc32fast::hash(&bytes) != crc32 {
        return Err("corrupt zip entry: its checksum does not match (damaged or incomplete download?)".into());
    }
    Ok(bytes)
}

/// Files that archivers add beside the studies, which are not studies and not errors.
fn is_metadata(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    name.starts_with("__MACOSX/") || base.starts_with("._") || base == ".DS_Store" || base == "Thumbs.db"
}

/// A zip without a readable central directory, typically a download cut short: the entries
/// whose local header and data are complete are read anyway, and the archive is reported.
fn recover(path: &Arc<Path>, file: &SharedFile, order: Order, sink: &dyn Sink, why: &str) {
    let origin = Origin::file(path.clone());
    let entries = local_entries(file);
    let complete: Vec<&LocalEntry> =
        entries.iter().filter(|e| entry_end(&e.entry, file.len).is_ok()).collect();
    let reason = if entries.is_empty() {
        format!(
            "not a readable zip ({why}); if it was downloaded, the download may be incomplete: download it again"
        )
    } else {
        sink.input_file_seen(InputFileSeen { origin: origin.clone(), format: Format::Zip });
        format!(
            "incomplete zip: no central directory ({why}); the download was probably cut short. \
             {} complete entries were read from their local headers; download it again for the rest",
            complete.len()
        )
    };
    sink.failure(LoadError { origin, reason });
    complete.par_iter().for_each_init(
        || flate2::Decompress::new(false),
        |inflater, local| {
            let ctx = Context {
                origin: Origin { entry: Some(local.name.clone()), ..Origin::file(path.clone()) },
                container: Container::Zip { path: path.clone(), entry: local.entry },
                order: Order { entry: local.index, ..order },
                size: Some(local.size),
                report_format: true,
            };
            if local.encrypted {
                return ctx.fail_file(sink, ENCRYPTED);
            }
            read_entry_data(file, inflater, &local.entry, local.size, local.crc32, &ctx, sink);
        },
    );
}

struct LocalEntry {
    name: Arc<str>,
    index: u32,
    entry: ZipEntry,
    size: u64,
    crc32: u32,
    encrypted: bool,
}

/// Walks the local file headers from the start of the archive, stopping at the first one that
/// is cut off, has no sizes (a data descriptor follows its data) or uses a method nct cannot read.
/// Each entry's data ends where the next header starts, so none overlap.
fn local_entries(file: &SharedFile) -> Vec<LocalEntry> {
    let mut entries = Vec::new();
    let mut pos = 0u64;
    let mut header = [0u8; 30];
    loop {
        if file.file.read_exact_at(&mut header, pos).is_err() || !header.starts_with(b"PK\x03\x04") {
            return entries;
        }
        let u16_at =
            |i: usize| header.get(i..i + 2).and_then(|b| b.try_into().ok()).map_or(0, u16::from_le_bytes);
        let u32_at =
            |i: usize| header.get(i..i + 4).and_then(|b| b.try_into().ok()).map_or(0, u32::from_le_bytes);
        let flags = u16_at(6);
        let method = u16_at(8);
        let crc32 = u32_at(14);
        let compressed_size = u64::from(u32_at(18));
        let size = u64::from(u32_at(22));
        let name_len = u64::from(u16_at(26));
        let extra_len = u64::from(u16_at(28));
        let zip64 = compressed_size == 0xFFFF_FFFF || size == 0xFFFF_FFFF;
        if flags & 0x08 != 0 || zip64 || !matches!(method, 0 | 8) {
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
                size,
                crc32,
                encrypted: flags & 0x01 != 0,
            });
        }
        pos = data_start + compressed_size;
    }
}

/// A CRC-32 of the zip's central directory (the list of its entries with their sizes, CRCs and
/// places), read through the end-of-central-directory record (zip64 too). What a cache keys a
/// zip by besides its size and time: a zip rewritten with the same size and time has another
/// directory. `None` when the file has no readable directory (its reading will say why).
pub(crate) fn directory_crc(path: &Path) -> Option<u32> {
    let (file, place) = directory_place(path)?;
    let mut directory = vec![0u8; usize::try_from(place.size).ok()?];
    file.read_exact_at(&mut directory, place.offset).ok()?;
    Some(crc32fast::hash(&directory))
}

/// Where a zip's central directory is.
#[derive(Debug)]
struct DirectoryPlace {
    offset: u64,
    size: u64,
    /// Found through the zip64 record (what the tests check).
    #[cfg_attr(not(test), expect(dead_code))]
    zip64: bool,
}

fn directory_place(path: &Path) -> Option<(File, DirectoryPlace)> {
    const EOCD: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const ZIP64_LOCATOR: [u8; 4] = [0x50, 0x4b, 0x06, 0x07];
    const ZIP64_EOCD: [u8; 4] = [0x50, 0x4b, 0x06, 0x06];
    /// The record (22 bytes) plus the longest comment.
    const TAIL: u64 = 22 + 0xffff;
    /// A directory larger than this is not believed (600k entries take about 40 MB).
    const MAX_DIRECTORY: u64 = 1 << 30;
    let file = File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let tail_start = len.saturating_sub(TAIL);
    let mut tail = vec![0u8; usize::try_from(len - tail_start).ok()?];
    file.read_exact_at(&mut tail, tail_start).ok()?;
    let at = tail.windows(4).rposition(|w| w == EOCD)?;
    let record = tail.get(at..at + 22)?;
    let u16_at = |b: &[u8], i: usize| b.get(i..i + 2).and_then(|x| x.try_into().ok()).map(u16::from_le_bytes);
    let u32_at = |b: &[u8], i: usize| b.get(i..i + 4).and_then(|x| x.try_into().ok()).map(u32::from_le_bytes);
    let u64_at = |b: &[u8], i: usize| b.get(i..i + 8).and_then(|x| x.try_into().ok()).map(u64::from_le_bytes);
    let (mut size, mut offset) = (u64::from(u32_at(record, 12)?), u64::from(u32_at(record, 16)?));
    let entries = u16_at(record, 10)?;
    let mut zip64 = false;
    if size == 0xffff_ffff || offset == 0xffff_ffff || entries == 0xffff {
        // Zip64: a locator just before the record points at the zip64 record.
        let locator = tail.get(at.checked_sub(20)?..at)?;
        if locator.get(..4)? == ZIP64_LOCATOR {
            let mut record = [0u8; 56];
            file.read_exact_at(&mut record, u64_at(locator, 8)?).ok()?;
            if record.get(..4)? == ZIP64_EOCD {
                size = u64_at(&record, 40)?;
                offset = u64_at(&record, 48)?;
                zip64 = true;
            }
        }
    }
    if size > MAX_DIRECTORY || offset.checked_add(size)? > len {
        return None;
    }
    Some((file, DirectoryPlace { offset, size, zip64 }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(path: &Path, entries: &[(&str, &[u8])]) {
        let mut zip = zip::ZipWriter::new(File::create(path).unwrap());
        let options = zip::write::SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }

    #[test]
    fn the_directory_crc_tells_zips_of_one_size_apart() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.zip"), dir.path().join("b.zip"));
        zip_of(&a, &[("NCT1.json", b"{\"x\": 1}"), ("NCT2.json", b"{}")]);
        zip_of(&b, &[("NCT1.json", b"{\"x\": 2}"), ("NCT2.json", b"{}")]);
        assert_eq!(fs_len(&a), fs_len(&b));
        let (crc_a, crc_b) = (directory_crc(&a), directory_crc(&b));
        assert!(crc_a.is_some() && crc_b.is_some());
        assert_ne!(crc_a, crc_b, "the entries' CRCs differ, so do the directories");
        assert_eq!(directory_crc(&a), crc_a, "the same file, the same CRC");
        std::fs::write(&a, b"not a zip at all").unwrap();
        assert_eq!(directory_crc(&a), None);
        std::fs::write(&a, b"").unwrap();
        assert_eq!(directory_crc(&a), None);
    }

    #[test]
    fn the_directory_of_a_zip64_archive_is_found() {
        // More entries than a plain zip can count: like the registry's bulk download.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.zip");
        let names: Vec<String> = (0..66_000).map(|i| format!("{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        zip_of(&path, &entries);
        let (file, place) = directory_place(&path).unwrap();
        assert!(place.zip64, "{place:?}");
        let mut signature = [0u8; 4];
        file.read_exact_at(&mut signature, place.offset).unwrap();
        assert_eq!(signature, [0x50, 0x4b, 0x01, 0x02], "a central directory header starts there");
        assert!(directory_crc(&path).is_some());
        let archive = ZipArchive::new(File::open(&path).unwrap()).unwrap();
        assert_eq!(archive.len(), 66_000);
    }

    fn fs_len(path: &Path) -> u64 {
        std::fs::metadata(path).unwrap().len()
    }
}
