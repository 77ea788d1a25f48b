//! `catalog.bin`, the stored catalog: its layout, writing and reading.
//!
//! A fixed header, then frames (byte ranges, each with its length and CRC-32 recorded), then a
//! directory frame saying where each frame is; the header holds the directory's place and CRC.
//! Every frame but the ids is postcard, compressed with zstd ([`pack`]): summaries are mostly
//! titles, which shrink to under a third.
//! - the table: each distinct text and path once ([`Table`]);
//! - meta: the load failures and warnings, duplicates, and why the index failed (its paths
//!   written out, so that it is read without the table);
//! - chunks of [`STUDIES_PER_CHUNK`] summaries: decoded on all cores at
//!   once when the whole catalog is opened, and one alone when one study is wanted;
//! - ids: every study's id and place, sorted and fixed-width, so that one study is found by a
//!   binary search without decoding any summary (`nct show ID` on 600k studies).
//!
//! - geo: the places the sites name and the site index, for `near:` (`catalog::geo`);
//! - columns: the summaries' filterable fields by field ([`Columns`]), a frame per [`Part`], so
//!   that a query with filters reads only the columns it asks of and decodes no summary but
//!   those printed;
//! - index files: the length and per-block CRCs of every file in the entry's index folder
//!   ([`FileSums`]), so that the index is verified as well.
//!
//! The header ends with its own CRC. Any frame that fails its CRC or does not decode, or a header
//! that fails its own, makes the whole file damaged.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::super::columns::{Columns, Part};
use super::super::geo::Geo;
use super::super::index::StoredSegment;
use super::super::interner::Table;
use super::super::{Catalog, Duplicate, Summary};
use super::sums::FileSums;
use crate::source::{LoadError, LoadWarning};

const MAGIC: &[u8; 8] = b"NCTCATLG";
/// Raised whenever what is stored changes shape; a file of another version is stale.
pub(super) const FORMAT_VERSION: u32 = 16;
/// The header's fields, then their CRC.
const HEADER_FIELDS_LEN: usize = 8 + 4 + 8 + 8 + FRAME_REF_LEN;
const HEADER_LEN: usize = HEADER_FIELDS_LEN + 4;
const FRAME_REF_LEN: usize = 8 + 8 + 4;
#[cfg(not(test))]
pub(super) const STUDIES_PER_CHUNK: usize = 256;
/// Small in unit tests, so that the bundled studies span several chunks.
#[cfg(test)]
pub(super) const STUDIES_PER_CHUNK: usize = 4;
/// The largest frame believed: a damaged length must not ask for all memory.
const MAX_FRAME: u64 = 1 << 31;
/// An id in the ids frame: its bytes, zero-padded (registry ids have 11).
const ID_BYTES: usize = 16;
const ID_RECORD: usize = ID_BYTES + 4;

/// Where a frame is in the file.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
struct FrameRef {
    at: u64,
    len: u64,
    crc: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct Directory {
    table: FrameRef,
    meta: FrameRef,
    ids: FrameRef,
    /// Whether every id fits the ids frame, so that an id not there is not in the catalog.
    all_ids: bool,
    chunks: Vec<FrameRef>,
    /// Each index document's place in the catalog ([`StoredSegment`]s), when there is an index.
    places: Option<FrameRef>,
    /// The index folder's files' checksums.
    index_files: FrameRef,
    /// The places the sites name and the site index ([`Geo`]).
    geo: FrameRef,
    /// The summaries' filterable fields as columns ([`Columns`]), each part apart.
    columns: Vec<(Part, FrameRef)>,
    /// Studies in each chunk but the last.
    per_chunk: u32,
    studies: u64,
}

/// Not the documents seen (one per zip entry: 600k for the registry, wanted only by `nct check`,
/// which reads the inputs).
#[derive(Serialize)]
struct MetaRef<'a> {
    errors: &'a [LoadError],
    warnings: &'a [LoadWarning],
    duplicates: &'a [Duplicate],
    index_error: &'a Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Meta {
    pub errors: Vec<LoadError>,
    pub warnings: Vec<LoadWarning>,
    duplicates: Vec<Duplicate>,
    pub index_error: Option<String>,
}

#[derive(Deserialize)]
struct Chunk {
    studies: Vec<Summary>,
}

#[derive(Serialize)]
struct ChunkRef<'a> {
    studies: &'a [Summary],
}

/// The catalog as read back, for [`Catalog::from_parts`].
pub(in crate::catalog) struct Parts {
    pub studies: Vec<Summary>,
    pub errors: Vec<LoadError>,
    pub warnings: Vec<LoadWarning>,
    pub duplicates: Vec<Duplicate>,
    pub index_error: Option<String>,
    pub places: Option<Vec<StoredSegment>>,
    pub geo: Geo,
    pub columns: Columns,
}

pub(super) struct Header {
    pub version: u32,
    /// The inputs' contents key the catalog was built from.
    pub contents: u64,
    /// Tells this write's `catalog.bin` and index apart from another's.
    pub build: u64,
    directory: FrameRef,
}

impl Header {
    fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        let parts: [&[u8]; 7] = [
            MAGIC,
            &self.version.to_le_bytes(),
            &self.contents.to_le_bytes(),
            &self.build.to_le_bytes(),
            &self.directory.at.to_le_bytes(),
            &self.directory.len.to_le_bytes(),
            &self.directory.crc.to_le_bytes(),
        ];
        let mut at = 0;
        for part in parts {
            if let Some(slot) = out.get_mut(at..at + part.len()) {
                slot.copy_from_slice(part);
            }
            at += part.len();
        }
        let crc = crc32fast::hash(out.get(..HEADER_FIELDS_LEN).unwrap_or_default());
        if let Some(slot) = out.get_mut(HEADER_FIELDS_LEN..) {
            slot.copy_from_slice(&crc.to_le_bytes());
        }
        out
    }

    /// The header; `Ok(None)` for a file of an older format version (stale, not damaged).
    fn decode(bytes: &[u8; HEADER_LEN]) -> Result<Option<Header>, String> {
        let (magic, rest) = bytes.split_at(MAGIC.len());
        if magic != MAGIC {
            return Err("catalog.bin is not a catalog cache file".into());
        }
        let (fields, crc) = bytes.split_at(HEADER_FIELDS_LEN);
        let intact = crc.try_into().map(u32::from_le_bytes).ok() == Some(crc32fast::hash(fields));
        let mut rest = rest;
        let mut take = |n: usize| {
            let (head, tail) = rest.split_at_checked(n).unwrap_or((rest, &[]));
            rest = tail;
            head
        };
        let u32_of = |b: &[u8]| b.try_into().map(u32::from_le_bytes).unwrap_or_default();
        let u64_of = |b: &[u8]| b.try_into().map(u64::from_le_bytes).unwrap_or_default();
        let header = Header {
            version: u32_of(take(4)),
            contents: u64_of(take(8)),
            build: u64_of(take(8)),
            directory: FrameRef { at: u64_of(take(8)), len: u64_of(take(8)), crc: u32_of(take(4)) },
        };
        // An older nct's file has another header (no CRC here): stale. A version of ours, or a
        // newer one whose header does not add up, is damage: a flipped version byte must not pass
        // for an old file.
        match (intact, header.version) {
            (true, FORMAT_VERSION) => Ok(Some(header)),
            (true, _) => Ok(None),
            (false, version) if version < FORMAT_VERSION && version > 0 => Ok(None),
            (false, _) => Err("catalog.bin's header fails its checksum".into()),
        }
    }
}

/// Passes bytes on while keeping their count and CRC-32.
struct Checksummed<W> {
    inner: W,
    hasher: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Write for Checksummed<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(buf.get(..n).unwrap_or_default());
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes frames one after another, keeping where each is.
struct Frames<W> {
    out: W,
    at: u64,
}

impl<W: Write> Frames<W> {
    fn frame(
        &mut self,
        write: impl FnOnce(&mut dyn Write) -> Result<(), String>,
    ) -> Result<FrameRef, String> {
        let mut body = Checksummed { inner: &mut self.out, hasher: crc32fast::Hasher::new(), len: 0 };
        write(&mut body)?;
        let frame = FrameRef { at: self.at, len: body.len, crc: body.hasher.finalize() };
        self.at += frame.len;
        Ok(frame)
    }

    /// `value` encoded, then compressed (see [`pack`]).
    fn value(&mut self, value: &impl Serialize) -> Result<FrameRef, String> {
        self.packed(&postcard::to_stdvec(value).map_err(|e| e.to_string())?)
    }

    /// `bytes` compressed (see [`pack`]).
    fn packed(&mut self, bytes: &[u8]) -> Result<FrameRef, String> {
        let packed = pack(bytes)?;
        self.frame(|out| out.write_all(&packed).map_err(|e| e.to_string()))
    }
}

/// Writes `catalog` to `path` (a new file), built from inputs whose contents key is `contents`.
pub(super) fn write(
    path: &Path,
    catalog: &Catalog,
    index_files: &[FileSums],
    contents: u64,
    build: u64,
) -> Result<(), String> {
    let io_error = |e: io::Error| format!("cannot write {}: {e}", path.display());
    let file = File::create(path).map_err(io_error)?;
    // Through `&File` (which is `Write` and `Seek`), so the header can be written last.
    let mut handle = &file;
    handle.write_all(&[0u8; HEADER_LEN]).map_err(io_error)?;
    let mut frames = Frames { out: BufWriter::with_capacity(1 << 20, &file), at: HEADER_LEN as u64 };
    let written = Table::encoding(|| -> Result<_, String> {
        let mut chunks = Vec::new();
        for studies in catalog.studies.chunks(STUDIES_PER_CHUNK) {
            chunks.push(frames.value(&ChunkRef { studies })?);
        }
        Ok(chunks)
    });
    let (chunks, table) = match written {
        (Ok(chunks), table) => (chunks, table),
        (Err(e), _) => return Err(format!("cannot write {}: {e}", path.display())),
    };
    // Outside the table (its paths written out), so that it is read without the table.
    let meta = frames.value(&MetaRef {
        errors: &catalog.errors,
        warnings: &catalog.warnings,
        duplicates: &catalog.duplicates,
        index_error: &catalog.index_error,
    })?;
    let places = match &catalog.index {
        Some(index) => Some(frames.value(&index.stored_places())?),
        None => None,
    };
    let (ids, all_ids) = id_records(&catalog.studies);
    let ids = frames.frame(|out| out.write_all(&ids).map_err(|e| e.to_string()))?;
    let table = frames.value(&table)?;
    let index_files = frames.value(&index_files)?;
    let geo = frames.value(&catalog.geo)?;
    let columns = Part::ALL
        .into_iter()
        .map(|part| Ok((part, frames.packed(&catalog.columns.encode_part(part)?)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let per_chunk = STUDIES_PER_CHUNK as u32;
    let studies = catalog.studies.len() as u64;
    let directory = Directory {
        table,
        meta,
        ids,
        all_ids,
        chunks,
        places,
        index_files,
        geo,
        columns,
        per_chunk,
        studies,
    };
    let directory = frames.value(&directory)?;
    frames.out.flush().map_err(io_error)?;
    drop(frames);
    let header = Header { version: FORMAT_VERSION, contents, build, directory };
    handle.seek(SeekFrom::Start(0)).map_err(io_error)?;
    handle.write_all(&header.encode()).map_err(io_error)?;
    file.sync_all().map_err(io_error)
}

/// The ids frame: `(id, place)` records sorted by id, and whether every id fitted.
fn id_records(studies: &[Summary]) -> (Vec<u8>, bool) {
    let mut records: Vec<[u8; ID_RECORD]> = Vec::with_capacity(studies.len());
    let mut all = true;
    for (place, summary) in studies.iter().enumerate() {
        let (id, place) = (summary.id.as_bytes(), u32::try_from(place));
        match (id.len() <= ID_BYTES, place) {
            (true, Ok(place)) => {
                let mut record = [0u8; ID_RECORD];
                let (id_part, place_part) = record.split_at_mut(ID_BYTES);
                id_part.iter_mut().zip(id).for_each(|(slot, &b)| *slot = b);
                place_part.copy_from_slice(&place.to_le_bytes());
                records.push(record);
            }
            _ => all = false,
        }
    }
    records.par_sort_unstable();
    (records.concat(), all)
}

/// An opened `catalog.bin`: its header and directory, read and checked.
pub(super) struct Opened {
    /// Kept open: every part is read from this file, even if another process replaces the
    /// entry meanwhile.
    file: File,
    pub header: Header,
    directory: Directory,
}

/// Opens `path`; `Ok(None)` when there is no such file or it is of another format version,
/// `Err` when it is damaged.
pub(super) fn open(path: &Path) -> Result<Option<Opened>, String> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot open {}: {e}", path.display())),
    };
    let mut header = [0u8; HEADER_LEN];
    if file.read_exact(&mut header).is_err() {
        return Err("catalog.bin is cut short".into());
    }
    let Some(header) = Header::decode(&header)? else { return Ok(None) };
    let directory: Directory = decode(&read_value_bytes(&file, header.directory)?)?;
    Ok(Some(Opened { file, header, directory }))
}

fn read_frame(file: &File, frame: FrameRef) -> Result<Vec<u8>, String> {
    use std::os::unix::fs::FileExt;
    if frame.len > MAX_FRAME {
        return Err("catalog.bin is damaged: a part is impossibly large".into());
    }
    let mut bytes = vec![0u8; usize::try_from(frame.len).map_err(|e| e.to_string())?];
    file.read_exact_at(&mut bytes, frame.at).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => "catalog.bin is cut short".to_string(),
        _ => format!("cannot read catalog.bin: {e}"),
    })?;
    if crc32fast::hash(&bytes) != frame.crc {
        return Err("catalog.bin fails its checksum".into());
    }
    Ok(bytes)
}

/// How hard zstd works: level 3 makes `catalog.bin` under a third of its size (61 MB to 18 MB at
/// 100k studies) and still inflates 600k summaries in a fraction of the time their decoding takes.
const ZSTD_LEVEL: i32 = 3;

/// `bytes` compressed with zstd, after their length (8 bytes, little-endian), which the reader
/// checks against [`MAX_FRAME`] before it makes room for them.
fn pack(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let compressed = zstd::bulk::compress(bytes, ZSTD_LEVEL).map_err(|e| e.to_string())?;
    Ok([&(bytes.len() as u64).to_le_bytes()[..], &compressed].concat())
}

/// The bytes [`pack`] packed.
fn unpack(packed: &[u8]) -> Result<Vec<u8>, String> {
    let (len, compressed) =
        packed.split_at_checked(8).ok_or("catalog.bin is damaged: a part is cut short")?;
    let len = len.try_into().map(u64::from_le_bytes).unwrap_or(u64::MAX);
    if len > MAX_FRAME {
        return Err("catalog.bin is damaged: a part is impossibly large".into());
    }
    let len = usize::try_from(len).map_err(|e| e.to_string())?;
    let bytes =
        zstd::bulk::decompress(compressed, len).map_err(|e| format!("catalog.bin is damaged: {e}"))?;
    if bytes.len() != len {
        return Err("catalog.bin is damaged: a part is not the length it says".into());
    }
    Ok(bytes)
}

/// A frame [`Frames::value`] wrote, read, checked and unpacked.
fn read_value_bytes(file: &File, frame: FrameRef) -> Result<Vec<u8>, String> {
    unpack(&read_frame(file, frame)?)
}

fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("catalog.bin: {e}"))
}

impl Opened {
    fn table(&self) -> Result<Arc<Table>, String> {
        Ok(Arc::new(decode(&read_value_bytes(&self.file, self.directory.table)?)?))
    }

    /// The chunk at `number`, decoded with `table`.
    fn chunk(&self, number: usize, table: &Arc<Table>) -> Result<Chunk, String> {
        let frame = self.directory.chunks.get(number).copied().ok_or("catalog.bin: no such part")?;
        let bytes = read_value_bytes(&self.file, frame)?;
        Table::decoding(table, || decode::<Chunk>(&bytes))
    }

    /// Everything stored, the chunks decoded several at once and taken in order. With
    /// `hand_out`, each chunk's summaries go to it as they are decoded instead of into
    /// [`Parts::studies`] (then left empty), so that a list can show the first studies while
    /// the rest are read.
    pub(super) fn parts(&self, mut hand_out: Option<&mut dyn FnMut(Vec<Summary>)>) -> Result<Parts, String> {
        let table = self.table()?;
        let meta: Meta = decode(&read_value_bytes(&self.file, self.directory.meta)?)?;
        let total = usize::try_from(self.directory.studies).map_err(|e| e.to_string())?;
        let per_chunk = self.directory.per_chunk as usize;
        let capacity = total.min(self.directory.chunks.len().saturating_mul(per_chunk));
        let mut studies = Vec::with_capacity(if hand_out.is_some() { 0 } else { capacity });
        let mut read = 0;
        let numbers: Vec<usize> = (0..self.directory.chunks.len()).collect();
        for window in numbers.chunks(2 * rayon::current_num_threads().max(1)) {
            let chunks: Vec<Chunk> =
                window.par_iter().map(|&number| self.chunk(number, &table)).collect::<Result<_, String>>()?;
            for chunk in chunks {
                read += chunk.studies.len();
                match hand_out.as_mut() {
                    Some(hand_out) => hand_out(chunk.studies),
                    None => studies.extend(chunk.studies),
                }
            }
        }
        if read != total {
            return Err("catalog.bin is damaged: it holds a different number of studies than it says".into());
        }
        // Not needed for the catalog, but `nct show` and `nct search` read it: a full load
        // verifies it too, so that damage there is found when everything is read.
        read_frame(&self.file, self.directory.ids)?;
        let Meta { errors, warnings, duplicates, index_error } = meta;
        let places = self.places()?;
        let geo = decode(&read_value_bytes(&self.file, self.directory.geo)?)?;
        let columns = self.columns()?;
        Ok(Parts { studies, errors, warnings, duplicates, index_error, places, geo, columns })
    }

    /// The studies for which `keep` (given each study's place) says yes, with their places, in
    /// catalog order: every chunk decoded (several at once) and dropped but for what is kept,
    /// so that memory holds the matches rather than every summary.
    pub(super) fn studies_where(
        &self,
        keep: &(dyn Fn(usize, &mut Summary) -> bool + Sync),
    ) -> Result<Vec<(usize, Summary)>, String> {
        let table = self.table()?;
        let total = usize::try_from(self.directory.studies).map_err(|e| e.to_string())?;
        let per_chunk = self.directory.per_chunk as usize;
        let numbers: Vec<usize> = (0..self.directory.chunks.len()).collect();
        let mut read = 0;
        let mut kept = Vec::new();
        for window in numbers.chunks(2 * rayon::current_num_threads().max(1)) {
            let chunks: Vec<(usize, Vec<(usize, Summary)>)> = window
                .par_iter()
                .map(|&number| {
                    let chunk = self.chunk(number, &table)?;
                    let first = number.saturating_mul(per_chunk);
                    let count = chunk.studies.len();
                    let kept = (first..)
                        .zip(chunk.studies)
                        .filter_map(|(place, mut summary)| {
                            keep(place, &mut summary).then_some((place, summary))
                        })
                        .collect();
                    Ok((count, kept))
                })
                .collect::<Result<_, String>>()?;
            for (count, chunk) in chunks {
                read += count;
                kept.extend(chunk);
            }
        }
        if read != total {
            return Err("catalog.bin is damaged: it holds a different number of studies than it says".into());
        }
        Ok(kept)
    }

    /// The index documents' places, when stored.
    pub(super) fn places(&self) -> Result<Option<Vec<StoredSegment>>, String> {
        match self.directory.places {
            Some(frame) => Ok(Some(decode(&read_value_bytes(&self.file, frame)?)?)),
            None => Ok(None),
        }
    }

    /// The load failures, duplicates, documents and index failure.
    pub(super) fn meta(&self) -> Result<Meta, String> {
        decode(&read_value_bytes(&self.file, self.directory.meta)?)
    }

    /// The ids of the studies at `places`, in that order, from the ids frame alone.
    pub(super) fn ids_at(&self, places: &[usize]) -> Result<Vec<Box<str>>, String> {
        let ids = read_frame(&self.file, self.directory.ids)?;
        let total = ids.len() / ID_RECORD;
        if !self.directory.all_ids {
            return Err("some ids are not in the stored id list".into());
        }
        let mut by_place = vec![u32::MAX; total];
        for (number, record) in ids.chunks_exact(ID_RECORD).enumerate() {
            let place = record.get(ID_BYTES..).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
            if let Some(slot) = place.and_then(|place| by_place.get_mut(place as usize)) {
                *slot = u32::try_from(number).unwrap_or(u32::MAX);
            }
        }
        places
            .iter()
            .map(|&place| {
                let number = by_place
                    .get(place)
                    .copied()
                    .filter(|&n| n != u32::MAX)
                    .ok_or("catalog.bin: an id is missing")?;
                let record = ids
                    .get(number as usize * ID_RECORD..)
                    .and_then(|r| r.get(..ID_BYTES))
                    .unwrap_or_default();
                let id = record.split(|&b| b == 0).next().unwrap_or_default();
                Ok(String::from_utf8_lossy(id).into())
            })
            .collect()
    }

    /// The summaries of the studies at `places`, in that order, decoding only their chunks.
    pub(super) fn summaries_at(&self, places: &[usize]) -> Result<Vec<Summary>, String> {
        let per_chunk = (self.directory.per_chunk as usize).max(1);
        // (place, where it goes in the answer), by place, so that each chunk is read once.
        let mut wanted: Vec<(usize, usize)> = places.iter().copied().zip(0..).collect();
        wanted.sort_unstable();
        let table = self.table()?;
        // Each chunk dropped once its wanted studies are taken: the whole catalog is never held.
        let taken: Vec<Vec<(usize, Summary)>> = wanted
            .chunk_by(|a, b| a.0 / per_chunk == b.0 / per_chunk)
            .collect::<Vec<_>>()
            .par_iter()
            .map(|group| {
                let number = group.first().map_or(0, |(place, _)| place / per_chunk);
                let chunk = self.chunk(number, &table)?;
                group
                    .iter()
                    .map(|&(place, at)| {
                        let summary = chunk.studies.get(place % per_chunk).cloned();
                        summary
                            .map(|summary| (at, summary))
                            .ok_or_else(|| "catalog.bin: a study is missing".to_string())
                    })
                    .collect()
            })
            .collect::<Result<_, String>>()?;
        let mut answer: Vec<Option<Summary>> = vec![None; places.len()];
        for (at, summary) in taken.into_iter().flatten() {
            if let Some(slot) = answer.get_mut(at) {
                *slot = Some(summary);
            }
        }
        answer
            .into_iter()
            .map(|summary| summary.ok_or_else(|| "catalog.bin: a study is missing".to_string()))
            .collect()
    }

    /// The summaries' filterable fields, checked whole for the number of studies stored.
    pub(super) fn columns(&self) -> Result<Columns, String> {
        self.columns_of(&Part::ALL)
    }

    /// The columns of `parts` only, the others left empty (a query reads those it asks of).
    pub(super) fn columns_of(&self, parts: &[Part]) -> Result<Columns, String> {
        let studies = usize::try_from(self.directory.studies).map_err(|e| e.to_string())?;
        let read = |part: Part| {
            let (_, frame) = self
                .directory
                .columns
                .iter()
                .find(|(stored, _)| *stored == part)
                .ok_or("catalog.bin is damaged: a part of its columns is missing")?;
            read_value_bytes(&self.file, *frame)
        };
        Columns::decode_parts(studies, parts, &read).map_err(|why| format!("catalog.bin is damaged: {why}"))
    }

    /// The checksums of the index folder's files.
    pub(super) fn index_files(&self) -> Result<Vec<FileSums>, String> {
        decode(&read_value_bytes(&self.file, self.directory.index_files)?)
    }

    /// Reads every part of the file and checks its CRC, decoding none: `nct check` and
    /// `nct cache --verify`.
    pub(super) fn verify(&self) -> Result<(), String> {
        let d = &self.directory;
        let frames = [d.table, d.meta, d.ids, d.index_files, d.geo]
            .into_iter()
            .chain(d.columns.iter().map(|(_, frame)| *frame))
            .chain(d.places)
            .chain(d.chunks.iter().copied());
        let end = frames
            .map(|frame| read_frame(&self.file, frame).map(|_| frame.at + frame.len))
            .try_fold(0, |end, read| read.map(|at| end.max(at)))?;
        let len = self.file.metadata().map_err(|e| format!("cannot read catalog.bin: {e}"))?.len();
        let directory_end = self.header.directory.at + self.header.directory.len;
        if len != end.max(directory_end) {
            return Err("catalog.bin has bytes after its end".into());
        }
        Ok(())
    }

    /// How many studies the catalog holds.
    pub(super) fn studies(&self) -> u64 {
        self.directory.studies
    }

    /// The study with this id (exactly as stored: upper case), reading only its own chunk;
    /// `Ok(None)` when it is not in the catalog, `Err` when the file is damaged or the id is one
    /// the ids frame cannot hold (then every chunk must be read: [`Opened::parts`]).
    pub(super) fn find(&self, id: &str) -> Result<Option<Summary>, String> {
        let ids = read_frame(&self.file, self.directory.ids)?;
        let place = match id_place(&ids, id) {
            Some(place) => place,
            None if self.directory.all_ids && id.len() <= ID_BYTES => return Ok(None),
            None => return Err("this id is not in the stored id list".into()),
        };
        let table = self.table()?;
        let per_chunk = (self.directory.per_chunk as usize).max(1);
        let chunk = self.chunk(place / per_chunk, &table)?;
        let summary = chunk.studies.into_iter().nth(place % per_chunk);
        match summary {
            Some(summary) if *summary.id == *id => Ok(Some(summary)),
            _ => Err("catalog.bin is damaged: its id list and its studies disagree".into()),
        }
    }
}

/// The place of `id` in the sorted ids frame.
fn id_place(ids: &[u8], id: &str) -> Option<usize> {
    if id.len() > ID_BYTES {
        return None;
    }
    let mut wanted = [0u8; ID_BYTES];
    wanted.iter_mut().zip(id.as_bytes()).for_each(|(slot, &b)| *slot = b);
    let record = |i: usize| ids.get(i * ID_RECORD..(i + 1) * ID_RECORD).unwrap_or_default();
    let (mut low, mut high) = (0, ids.len() / ID_RECORD);
    while low < high {
        let middle = low + (high - low) / 2;
        let (stored, place) = record(middle).split_at_checked(ID_BYTES).unwrap_or_default();
        match stored.cmp(&wanted[..]) {
            std::cmp::Ordering::Less => low = middle + 1,
            std::cmp::Ordering::Greater => high = middle,
            std::cmp::Ordering::Equal => return Some(u32::from_le_bytes(place.try_into().ok()?) as usize),
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_part_comes_back_whole_and_a_damaged_one_is_refused_without_reserving_its_claim() {
        let bytes = b"Safety and Efficacy of UC-MSCs in Patients With Psoriasis Vulgaris".repeat(20);
        let packed = pack(&bytes).unwrap();
        assert!(packed.len() < bytes.len() / 4, "{}", packed.len());
        assert_eq!(unpack(&packed).unwrap(), bytes);
        let said = |packed: &[u8]| unpack(packed).unwrap_err();
        assert!(said(&packed[..5]).contains("cut short"));
        // A length past what any part may be is refused before memory is made for it.
        let mut huge = packed.clone();
        huge[..8].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(said(&huge).contains("impossibly large"));
        // A length that does not match what the bytes inflate to.
        let mut short = packed.clone();
        short[..8].copy_from_slice(&10u64.to_le_bytes());
        assert!(said(&short).contains("damaged"));
        let mut long = packed.clone();
        long[..8].copy_from_slice(&((bytes.len() + 7) as u64).to_le_bytes());
        assert!(said(&long).contains("damaged"));
        let mut garbled = packed;
        let last = garbled.len() - 3;
        garbled[last] ^= 0xff;
        assert!(unpack(&garbled).map_or(true, |inflated| inflated != bytes));
    }
}
