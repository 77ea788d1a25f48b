//! The checksums of the files in an entry's index folder (tantivy's segment files, `meta.json`,
//! `.managed.json`, the build number): a CRC-32 per [`BLOCK`] of each file, listed in
//! `catalog.bin` (whose own parts carry CRCs), and their verification.
//!
//! Per block rather than per file so that a warm `nct search` verifies only what the index reads
//! for its query (a few blocks of postings) instead of hundreds of megabytes at every open; a
//! full load, `nct check` and `nct cache --verify` verify every block. Whichever finds damage
//! first records it here, naming the file, so that what is reported is the damage rather than
//! whatever the index library made of the damaged bytes.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Bytes per checksummed block: a query's postings span a few of them.
pub(in crate::catalog) const BLOCK: usize = 64 << 10;
/// Blocks read at once when a whole file is verified.
const BLOCKS_PER_READ: usize = 16;

/// One file's length and checksums, as listed in `catalog.bin`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(in crate::catalog) struct FileSums {
    pub name: String,
    pub len: u64,
    pub blocks: Vec<u32>,
}

/// The checksums of every file in `folder`, read back from disk after they were written.
pub(in crate::catalog) fn of_folder(folder: &Path) -> Result<Vec<FileSums>, String> {
    let listing = fs::read_dir(folder).map_err(|e| format!("cannot list {}: {e}", folder.display()))?;
    let mut names = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", folder.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Tantivy's lock files hold nothing, and a reader may create one.
        if entry.file_type().is_ok_and(|kind| kind.is_file()) && !name.ends_with(".lock") {
            names.push(name);
        }
    }
    names.sort();
    names
        .into_par_iter()
        .map(|name| {
            let path = folder.join(&name);
            let failed = |e: io::Error| format!("cannot read {}: {e}", path.display());
            // A block at a time: an index file may be hundreds of megabytes.
            let mut file = File::open(&path).map_err(failed)?;
            let (mut blocks, mut len, mut block) = (Vec::new(), 0u64, vec![0u8; BLOCK]);
            loop {
                let filled = fill(&mut file, &mut block).map_err(failed)?;
                if filled == 0 {
                    break;
                }
                blocks.push(crc32fast::hash(block.get(..filled).unwrap_or_default()));
                len += filled as u64;
                if filled < BLOCK {
                    break;
                }
            }
            Ok(FileSums { name, len, blocks })
        })
        .collect()
}

/// Reads into `buffer` until it is full or the file ends; how much was read.
fn fill(file: &mut File, buffer: &mut [u8]) -> io::Result<usize> {
    use std::io::Read;
    let mut filled = 0;
    while let Some(rest) = buffer.get_mut(filled..).filter(|rest| !rest.is_empty()) {
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// One file's checksums and which of its blocks were found good.
#[derive(Debug)]
struct FileCheck {
    len: u64,
    blocks: Vec<u32>,
    verified: Vec<AtomicBool>,
}

/// The checksums of an entry's index folder, with what was verified so far and the first damage
/// found.
#[derive(Debug)]
pub(in crate::catalog) struct Sums {
    files: HashMap<String, FileCheck>,
    damage: OnceLock<String>,
}

impl Sums {
    pub fn new(listed: Vec<FileSums>) -> Sums {
        let files = listed
            .into_iter()
            .map(|file| {
                let verified = file.blocks.iter().map(|_| AtomicBool::new(false)).collect();
                (file.name, FileCheck { len: file.len, blocks: file.blocks, verified })
            })
            .collect();
        Sums { files, damage: OnceLock::new() }
    }

    /// The first damage found, naming the file.
    pub fn damage(&self) -> Option<&str> {
        self.damage.get().map(String::as_str)
    }

    fn damaged(&self, why: String) -> String {
        self.damage.get_or_init(|| why).clone()
    }

    /// Records damage found outside these checks; returns the first recorded.
    pub fn record(&self, why: String) -> String {
        self.damaged(why)
    }

    /// The file `name`'s length as listed, or the damage of a file not listed at all.
    pub fn len_of(&self, name: &str) -> Result<u64, String> {
        match self.files.get(name) {
            Some(file) => Ok(file.len),
            None => Err(self.damaged(format!("index/{name} is not among the entry's files"))),
        }
    }

    /// Checks the blocks of `name` that `range` touches and were not verified yet; `read` gives
    /// a block's bytes.
    pub fn check_range<B: std::ops::Deref<Target = [u8]>>(
        &self,
        name: &str,
        range: Range<usize>,
        read: impl Fn(Range<usize>) -> io::Result<B>,
    ) -> Result<(), String> {
        let file = self
            .files
            .get(name)
            .ok_or_else(|| self.damaged(format!("index/{name} is not among the entry's files")))?;
        if range.is_empty() {
            return Ok(());
        }
        let len = usize::try_from(file.len).unwrap_or(usize::MAX);
        if range.end > len {
            return Err(self.damaged(format!("index/{name} is read past its end")));
        }
        for number in range.start / BLOCK..=(range.end - 1) / BLOCK {
            if file.verified.get(number).is_some_and(|done| done.load(Ordering::Relaxed)) {
                continue;
            }
            let block = number * BLOCK..((number + 1) * BLOCK).min(len);
            let bytes = read(block).map_err(|e| self.damaged(format!("cannot read index/{name}: {e}")))?;
            self.check_block(name, file, number, &bytes)?;
        }
        Ok(())
    }

    fn check_block(&self, name: &str, file: &FileCheck, number: usize, bytes: &[u8]) -> Result<(), String> {
        match (file.blocks.get(number), file.verified.get(number)) {
            (Some(&sum), Some(done)) if crc32fast::hash(bytes) == sum => {
                done.store(true, Ordering::Relaxed);
                Ok(())
            }
            _ => Err(self.damaged(format!("index/{name} fails its checksum"))),
        }
    }

    /// Checks a whole small file read at once, every block (these bytes were read anew).
    pub fn check_whole(&self, name: &str, bytes: &[u8]) -> Result<(), String> {
        let len = self.len_of(name)?;
        if bytes.len() as u64 != len {
            return Err(self.damaged(format!("index/{name} has another size than it had")));
        }
        let file = self.files.get(name).ok_or_else(|| self.damaged(format!("index/{name} is not listed")))?;
        for (number, block) in bytes.chunks(BLOCK).enumerate() {
            self.check_block(name, file, number, block)?;
        }
        Ok(())
    }

    /// Verifies every block of every listed file in `folder` not verified yet, on all cores.
    pub fn verify_all(&self, folder: &Path) -> Result<(), String> {
        if let Some(damage) = self.damage() {
            return Err(damage.to_string());
        }
        let mut names: Vec<&String> = self.files.keys().collect();
        names.sort();
        // The files opened and their size checked first, so that a missing or cut file is said
        // as such rather than as a block failing its checksum.
        let mut opened = Vec::with_capacity(names.len());
        for name in names {
            let Some(check) = self.files.get(name) else { continue };
            let path = folder.join(name);
            let file = match File::open(&path) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(self.damaged(format!("index/{name} is missing")));
                }
                Err(e) => return Err(self.damaged(format!("cannot read index/{name}: {e}"))),
            };
            let len = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
            if len != check.len {
                let how = if len < check.len { "is cut short" } else { "has grown" };
                return Err(self.damaged(format!("index/{name} {how}")));
            }
            opened.push((name, check, file));
        }
        let reads: Vec<(usize, usize)> = opened
            .iter()
            .enumerate()
            .flat_map(|(at, (_, check, _))| {
                (0..check.blocks.len()).step_by(BLOCKS_PER_READ).map(move |first| (at, first))
            })
            .collect();
        reads.into_par_iter().try_for_each_init(Vec::new, |buffer, (at, first)| {
            let Some((name, check, file)) = opened.get(at) else { return Ok(()) };
            let numbers = first..(first + BLOCKS_PER_READ).min(check.blocks.len());
            if numbers.clone().all(|n| check.verified.get(n).is_some_and(|d| d.load(Ordering::Relaxed))) {
                return Ok(());
            }
            let len = usize::try_from(check.len).unwrap_or(usize::MAX);
            let span = first * BLOCK..(numbers.end * BLOCK).min(len);
            buffer.resize(span.len(), 0);
            file.read_exact_at(buffer, span.start as u64)
                .map_err(|e| self.damaged(format!("cannot read index/{name}: {e}")))?;
            for (number, bytes) in numbers.zip(buffer.chunks(BLOCK)) {
                self.check_block(name, check, number, bytes)?;
            }
            Ok(())
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn folder_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            fs::write(dir.path().join(name), bytes).unwrap();
        }
        dir
    }

    fn big() -> Vec<u8> {
        (0..BLOCK * 3 + 100).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn every_block_of_every_file_is_checked() {
        let dir = folder_with(&[("a.idx", big()), ("meta.json", b"{}".to_vec()), ("empty", Vec::new())]);
        let listed = of_folder(dir.path()).unwrap();
        assert_eq!(listed.iter().map(|f| f.blocks.len()).collect::<Vec<_>>(), [4, 0, 1]);
        assert!(Sums::new(listed.clone()).verify_all(dir.path()).is_ok());

        for at in [0, BLOCK - 1, BLOCK, 2 * BLOCK + 7, 3 * BLOCK + 99] {
            let mut bytes = big();
            bytes[at] ^= 0x01;
            fs::write(dir.path().join("a.idx"), &bytes).unwrap();
            let sums = Sums::new(listed.clone());
            assert_eq!(sums.verify_all(dir.path()), Err("index/a.idx fails its checksum".into()), "{at}");
            assert_eq!(sums.damage(), Some("index/a.idx fails its checksum"));
            // Read lazily: only the range over the damaged block fails.
            let sums = Sums::new(listed.clone());
            let read = |r: Range<usize>| Ok(&bytes[r]);
            let block = at / BLOCK;
            let other = if block == 0 { BLOCK..BLOCK + 10 } else { 0..10 };
            assert!(sums.check_range("a.idx", other, read).is_ok());
            assert!(sums.check_range("a.idx", at..at + 1, read).is_err());
        }
        fs::write(dir.path().join("a.idx"), &big()[..BLOCK]).unwrap();
        assert_eq!(Sums::new(listed.clone()).verify_all(dir.path()), Err("index/a.idx is cut short".into()));
        fs::remove_file(dir.path().join("a.idx")).unwrap();
        assert_eq!(Sums::new(listed.clone()).verify_all(dir.path()), Err("index/a.idx is missing".into()));
        let sums = Sums::new(listed);
        assert!(sums.check_whole("meta.json", b"{}").is_ok());
        assert!(sums.check_whole("meta.json", b"{]").is_err());
        assert!(sums.len_of("other.idx").is_err());
    }
}
