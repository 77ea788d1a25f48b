//! Output: the layouts `nct` reads. Each study is first *encoded* (serialised, and for the zip
//! deflated and checksummed), which is the costly part and runs on every core, then *written*
//! in order by one [`Sink`], so the file is the same whatever the number of threads.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::json::J;

/// The layouts `nct` reads (see the crate's documentation).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    Dir,
    Zip,
    Array,
    Ndjson,
}

/// One study, ready to be written.
pub struct Encoded {
    pub id: String,
    /// What goes into the file or zip entry: pretty JSON for `dir`, compact JSON otherwise,
    /// deflated for `zip`.
    bytes: Vec<u8>,
    /// The study's size as compact JSON (the measure the report and the registry's figures use).
    pub compact_len: u64,
    /// Zip only: the CRC-32 and length of the uncompressed entry.
    crc32: u32,
    plain_len: u64,
}

/// Per-thread buffers for [`encode`], reused from study to study.
pub struct Scratch {
    text: String,
    deflate: flate2::Compress,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            text: String::with_capacity(1 << 16),
            deflate: flate2::Compress::new(flate2::Compression::new(DEFLATE_LEVEL), false),
        }
    }
}

/// zlib's default level, which is what the registry's zip uses ("normal" in its entry flags):
/// a faster level would make the archive larger than the real one for the same studies.
const DEFLATE_LEVEL: u32 = 6;

pub fn encode(layout: Layout, id: String, study: &J, scratch: &mut Scratch) -> Result<Encoded> {
    let text = &mut scratch.text;
    text.clear();
    study.write(text, None);
    let compact_len = text.len() as u64;
    let mut encoded = Encoded { id, bytes: Vec::new(), compact_len, crc32: 0, plain_len: compact_len };
    match layout {
        Layout::Dir => {
            text.clear();
            study.write(text, Some(0));
            text.push('\n');
            encoded.bytes = text.as_bytes().to_vec();
        }
        Layout::Zip => {
            encoded.crc32 = crc32fast::hash(text.as_bytes());
            encoded.bytes = deflate(&mut scratch.deflate, text.as_bytes())?;
        }
        Layout::Array => encoded.bytes = text.as_bytes().to_vec(),
        Layout::Ndjson => {
            text.push('\n');
            encoded.bytes = text.as_bytes().to_vec();
        }
    }
    Ok(encoded)
}

/// Raw deflate (no zlib header), as zip entries hold it.
fn deflate(compress: &mut flate2::Compress, input: &[u8]) -> Result<Vec<u8>> {
    compress.reset();
    let mut out = Vec::with_capacity(input.len() / 3 + 64);
    loop {
        let read = compress.total_in() as usize;
        let rest = input.get(read..).unwrap_or_default();
        if out.len() == out.capacity() {
            out.reserve(out.capacity().max(4096));
        }
        match compress.compress_vec(rest, &mut out, flate2::FlushCompress::Finish)? {
            flate2::Status::StreamEnd => return Ok(out),
            flate2::Status::Ok | flate2::Status::BufError => {}
        }
    }
}

pub enum Sink {
    Dir { root: PathBuf, made: HashSet<String>, written: u64 },
    Zip(ZipOut),
    Array { out: BufWriter<File>, first: bool, written: u64 },
    Ndjson { out: BufWriter<File>, written: u64 },
}

fn create_file(path: &Path) -> Result<BufWriter<File>> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

impl Sink {
    pub fn create(layout: Layout, out: &Path) -> Result<Sink> {
        Ok(match layout {
            Layout::Dir => {
                fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
                Sink::Dir { root: out.to_path_buf(), made: HashSet::new(), written: 0 }
            }
            Layout::Zip => Sink::Zip(ZipOut::new(create_file(out)?)),
            Layout::Array => {
                let mut out = create_file(out)?;
                out.write_all(b"[\n")?;
                Sink::Array { out, first: true, written: 2 }
            }
            Layout::Ndjson => Sink::Ndjson { out: create_file(out)?, written: 0 },
        })
    }

    pub fn write(&mut self, study: &Encoded) -> Result<()> {
        let id = study.id.as_str();
        match self {
            Sink::Dir { root, made, written } => {
                let folder = id.get(..7).unwrap_or(id);
                let dir = root.join(folder);
                if !made.contains(folder) {
                    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                    made.insert(folder.to_string());
                }
                let path = dir.join(format!("{id}.json"));
                fs::write(&path, &study.bytes).with_context(|| format!("writing {}", path.display()))?;
                *written += study.bytes.len() as u64;
            }
            Sink::Zip(zip) => zip.add(study).with_context(|| format!("zip entry {id}.json"))?,
            Sink::Array { out, first, written } => {
                if !*first {
                    out.write_all(b",\n")?;
                    *written += 2;
                }
                *first = false;
                out.write_all(&study.bytes)?;
                *written += study.bytes.len() as u64;
            }
            Sink::Ndjson { out, written } => {
                out.write_all(&study.bytes)?;
                *written += study.bytes.len() as u64;
            }
        }
        Ok(())
    }

    /// Completes the output and returns how many bytes it holds.
    pub fn finish(self) -> Result<u64> {
        Ok(match self {
            Sink::Dir { written, .. } => written,
            Sink::Zip(zip) => zip.finish().context("finishing zip")?,
            Sink::Array { mut out, first, written } => {
                let end: &[u8] = if first { b"]\n" } else { b"\n]\n" };
                out.write_all(end)?;
                out.flush()?;
                written + end.len() as u64
            }
            Sink::Ndjson { mut out, written } => {
                out.flush()?;
                written
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// The zip, written by hand to look like the registry's `ctg-studies.json.zip`: entries deflated
// at the normal level with their sizes and CRC in the local header (no data descriptor), the
// UTF-8 name flag, "version 2.0, MS-DOS" as the maker, no extra fields and no comments. The zip
// crate cannot take entries deflated elsewhere, and deflating is what has to run in parallel.
// Zip64 records are added only where a count or an offset needs them (more than 65,535 entries,
// as the full registry has, or an archive past 4 GiB).

const LOCAL_HEADER: u32 = 0x0403_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const ZIP64_END: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
/// 2.0: deflate; 4.5: zip64.
const VERSION_DEFLATE: u16 = 20;
const VERSION_ZIP64: u16 = 45;
const FLAG_UTF8_NAME: u16 = 0x0800;
const METHOD_DEFLATE: u16 = 8;
/// 2025-12-01 00:00:00 in MS-DOS form (the generator's fixed "today", so output is reproducible).
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = ((2025 - 1980) << 9) | (12 << 5) | 1;

pub struct ZipOut {
    out: BufWriter<File>,
    /// Bytes written so far: where the next local header starts.
    offset: u64,
    /// The central directory, built as entries are written and appended at the end (about 62
    /// bytes an entry: 37 MB for the whole registry).
    central: Vec<u8>,
    entries: u64,
}

fn put16(buf: &mut Vec<u8>, n: u16) {
    buf.extend_from_slice(&n.to_le_bytes());
}

fn put32(buf: &mut Vec<u8>, n: u32) {
    buf.extend_from_slice(&n.to_le_bytes());
}

fn put64(buf: &mut Vec<u8>, n: u64) {
    buf.extend_from_slice(&n.to_le_bytes());
}

impl ZipOut {
    fn new(out: BufWriter<File>) -> ZipOut {
        ZipOut { out, offset: 0, central: Vec::new(), entries: 0 }
    }

    fn add(&mut self, study: &Encoded) -> Result<()> {
        let name = format!("{}.json", study.id);
        let (Ok(compressed), Ok(plain), Ok(name_len)) =
            (u32::try_from(study.bytes.len()), u32::try_from(study.plain_len), u16::try_from(name.len()))
        else {
            bail!("entry too large for a zip without zip64 sizes");
        };
        let mut header = Vec::with_capacity(30 + name.len());
        put32(&mut header, LOCAL_HEADER);
        put16(&mut header, VERSION_DEFLATE);
        put16(&mut header, FLAG_UTF8_NAME);
        put16(&mut header, METHOD_DEFLATE);
        put16(&mut header, DOS_TIME);
        put16(&mut header, DOS_DATE);
        put32(&mut header, study.crc32);
        put32(&mut header, compressed);
        put32(&mut header, plain);
        put16(&mut header, name_len);
        put16(&mut header, 0); // extra field length
        header.extend_from_slice(name.as_bytes());
        self.out.write_all(&header)?;
        self.out.write_all(&study.bytes)?;

        // An offset past 4 GiB goes into a zip64 extra field instead of the 32-bit slot.
        let far = u32::try_from(self.offset).ok();
        let c = &mut self.central;
        put32(c, CENTRAL_HEADER);
        put16(c, VERSION_DEFLATE); // made by: version 2.0, MS-DOS (high byte 0)
        put16(c, if far.is_some() { VERSION_DEFLATE } else { VERSION_ZIP64 });
        put16(c, FLAG_UTF8_NAME);
        put16(c, METHOD_DEFLATE);
        put16(c, DOS_TIME);
        put16(c, DOS_DATE);
        put32(c, study.crc32);
        put32(c, compressed);
        put32(c, plain);
        put16(c, name_len);
        put16(c, if far.is_some() { 0 } else { 12 }); // extra field length
        put16(c, 0); // comment length
        put16(c, 0); // disk number
        put16(c, 0); // internal attributes
        put32(c, 0); // external attributes
        put32(c, far.unwrap_or(u32::MAX));
        c.extend_from_slice(name.as_bytes());
        if far.is_none() {
            put16(c, 0x0001); // zip64 extended information
            put16(c, 8);
            put64(c, self.offset);
        }
        self.offset += header.len() as u64 + study.bytes.len() as u64;
        self.entries += 1;
        Ok(())
    }

    /// Writes the central directory and the end records; returns the archive's size.
    fn finish(mut self) -> Result<u64> {
        let start = self.offset;
        let size = self.central.len() as u64;
        self.out.write_all(&self.central)?;
        let mut end = Vec::with_capacity(98);
        let entries16 = u16::try_from(self.entries).ok().filter(|&n| n != u16::MAX);
        let start32 = u32::try_from(start).ok().filter(|&n| n != u32::MAX);
        let size32 = u32::try_from(size).ok().filter(|&n| n != u32::MAX);
        if entries16.is_none() || start32.is_none() || size32.is_none() {
            let zip64_end = start + size;
            put32(&mut end, ZIP64_END);
            put64(&mut end, 44); // size of the rest of this record
            put16(&mut end, VERSION_ZIP64);
            put16(&mut end, VERSION_ZIP64);
            put32(&mut end, 0); // this disk
            put32(&mut end, 0); // disk with the central directory
            put64(&mut end, self.entries);
            put64(&mut end, self.entries);
            put64(&mut end, size);
            put64(&mut end, start);
            put32(&mut end, ZIP64_LOCATOR);
            put32(&mut end, 0);
            put64(&mut end, zip64_end);
            put32(&mut end, 1); // number of disks
        }
        put32(&mut end, END_OF_CENTRAL_DIRECTORY);
        put16(&mut end, 0);
        put16(&mut end, 0);
        put16(&mut end, entries16.unwrap_or(u16::MAX));
        put16(&mut end, entries16.unwrap_or(u16::MAX));
        put32(&mut end, size32.unwrap_or(u32::MAX));
        put32(&mut end, start32.unwrap_or(u32::MAX));
        put16(&mut end, 0); // comment length
        self.out.write_all(&end)?;
        self.out.flush()?;
        Ok(start + size + end.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::Layout;
    use super::{Scratch, Sink, encode};
    use crate::json::J;

    fn write_zip(path: &std::path::Path, count: usize) -> Vec<(String, String)> {
        let mut sink = Sink::create(Layout::Zip, path).unwrap();
        let mut scratch = Scratch::new();
        let mut written = Vec::new();
        for n in 0..count {
            let id = format!("NCT9{n:07}");
            let study = J::obj(vec![("nctId", J::s(id.as_str())), ("note", J::s("line\n\"quoted\""))]);
            let encoded = encode(Layout::Zip, id.clone(), &study, &mut scratch).unwrap();
            sink.write(&encoded).unwrap();
            let mut text = String::new();
            study.write(&mut text, None);
            written.push((format!("{id}.json"), text));
        }
        sink.finish().unwrap();
        written
    }

    fn read_back(path: &std::path::Path, expected: &[(String, String)]) {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        assert_eq!(archive.len(), expected.len());
        for (index, (name, text)) in expected.iter().enumerate().step_by(997) {
            let mut entry = archive.by_index(index).unwrap();
            assert_eq!(entry.name().unwrap().as_ref(), name.as_str());
            let mut got = String::new();
            entry.read_to_string(&mut got).unwrap();
            assert_eq!(&got, text);
        }
    }

    #[test]
    fn the_zip_reads_back_with_its_entries_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("small.zip");
        let expected = write_zip(&path, 3);
        read_back(&path, &expected);
    }

    #[test]
    fn more_than_65535_entries_get_zip64_end_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("many.zip");
        let expected = write_zip(&path, 70_000);
        read_back(&path, &expected);
    }
}
