//! Hostile input, end to end: zips crafted to exhaust memory or time (sizes that lie, entries
//! that overlap, a "study" of 65 MB, encryption) and folders whose symlinks fan out. The real
//! `nct check` must name what it skipped, load everything else, exit 1, and stay within bounds.
//! The zips are written byte by byte here, since no archiver writes them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn study(id: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "protocolSection": {
            "identificationModule": {"nctId": id, "briefTitle": format!("Study {id}")},
            "statusModule": {"overallStatus": "RECRUITING"}
        },
        "hasResults": false
    }))
    .unwrap()
}

/// Bytes, each repeated some number of times: how a huge document is described without
/// holding it.
type Parts = Vec<(Vec<u8>, usize)>;

/// A study whose title alone takes `megabytes`, as parts: its JSON before the title, the title
/// megabyte by megabyte, its JSON after.
fn huge_study(id: &str, megabytes: usize) -> Parts {
    let json = study(id);
    let title = format!("Study {id}");
    let at = json.windows(title.len()).position(|w| w == title.as_bytes()).unwrap();
    vec![(json[..at].to_vec(), 1), (vec![b'x'; 1 << 20], megabytes), (json[at + title.len()..].to_vec(), 1)]
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// One entry as the archive describes it; what is written is what is declared, true or not.
#[derive(Clone)]
struct Entry {
    name: String,
    data: Vec<u8>,
    method: u16,
    flags: u16,
    crc32: u32,
    compressed_size: u64,
    size: u64,
}

impl Entry {
    fn stored(name: &str, bytes: &[u8]) -> Entry {
        Entry {
            name: name.into(),
            data: bytes.to_vec(),
            method: 0,
            flags: 0,
            crc32: crc32fast::hash(bytes),
            compressed_size: bytes.len() as u64,
            size: bytes.len() as u64,
        }
    }

    fn deflated(name: &str, bytes: &[u8]) -> Entry {
        let data = deflate(bytes);
        Entry {
            name: name.into(),
            compressed_size: data.len() as u64,
            data,
            method: 8,
            flags: 0,
            crc32: crc32fast::hash(bytes),
            size: bytes.len() as u64,
        }
    }

    /// A deflated entry of `parts`, each part compressed once and its stream repeated: after a
    /// full flush a deflate stream does not refer back, so its pieces can be laid end to end.
    fn deflated_parts(name: &str, parts: &[(Vec<u8>, usize)]) -> Entry {
        use flate2::{Compress, Compression, FlushCompress};
        let (mut data, mut crc, mut size) = (vec![], crc32fast::Hasher::new(), 0);
        for (bytes, times) in parts {
            let mut piece = Vec::with_capacity(bytes.len() + 1024);
            let mut compress = Compress::new(Compression::best(), false);
            compress.compress_vec(bytes, &mut piece, FlushCompress::Full).unwrap();
            assert_eq!(compress.total_in(), bytes.len() as u64);
            for _ in 0..*times {
                data.extend(&piece);
                crc.update(bytes);
            }
            size += (bytes.len() * times) as u64;
        }
        let mut end = Vec::with_capacity(64);
        Compress::new(Compression::best(), false).compress_vec(&[], &mut end, FlushCompress::Finish).unwrap();
        data.extend(end);
        Entry {
            name: name.into(),
            compressed_size: data.len() as u64,
            data,
            method: 8,
            flags: 0,
            crc32: crc.finalize(),
            size,
        }
    }

    fn zip64(&self) -> bool {
        self.compressed_size >= 0xFFFF_FFFF || self.size >= 0xFFFF_FFFF
    }

    /// The zip64 extra field (both sizes), when the sizes do not fit 32 bits.
    fn extra(&self) -> Vec<u8> {
        if !self.zip64() {
            return Vec::new();
        }
        let mut extra = vec![];
        extra.extend(1u16.to_le_bytes());
        extra.extend(16u16.to_le_bytes());
        extra.extend(self.size.to_le_bytes());
        extra.extend(self.compressed_size.to_le_bytes());
        extra
    }

    fn sizes32(&self) -> [u32; 2] {
        if self.zip64() { [u32::MAX, u32::MAX] } else { [self.compressed_size as u32, self.size as u32] }
    }

    /// Local header, name, extra field and data.
    fn local(&self) -> Vec<u8> {
        let mut out = vec![];
        out.extend(b"PK\x03\x04");
        for v in [45u16, self.flags, self.method, 0, 0] {
            out.extend(v.to_le_bytes());
        }
        out.extend(self.crc32.to_le_bytes());
        for v in self.sizes32() {
            out.extend(v.to_le_bytes());
        }
        out.extend((self.name.len() as u16).to_le_bytes());
        out.extend((self.extra().len() as u16).to_le_bytes());
        out.extend(self.name.as_bytes());
        out.extend(self.extra());
        out.extend(&self.data);
        out
    }

    /// Its central directory record, pointing at a local header at `offset`.
    fn central(&self, offset: u32) -> Vec<u8> {
        let mut out = vec![];
        out.extend(b"PK\x01\x02");
        for v in [45u16, 45, self.flags, self.method, 0, 0] {
            out.extend(v.to_le_bytes());
        }
        out.extend(self.crc32.to_le_bytes());
        for v in self.sizes32() {
            out.extend(v.to_le_bytes());
        }
        for v in [self.name.len() as u16, self.extra().len() as u16, 0, 0, 0] {
            out.extend(v.to_le_bytes());
        }
        out.extend(0u32.to_le_bytes());
        out.extend(offset.to_le_bytes());
        out.extend(self.name.as_bytes());
        out.extend(self.extra());
        out
    }
}

/// The end-of-central-directory record.
fn end_record(entries: u16, directory_size: u32, directory_offset: u32) -> Vec<u8> {
    let mut out = vec![];
    out.extend(b"PK\x05\x06");
    for v in [0u16, 0, entries, entries] {
        out.extend(v.to_le_bytes());
    }
    out.extend(directory_size.to_le_bytes());
    out.extend(directory_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A zip of `entries` whose central directory lists `listed`: (entry index, name) pairs, so
/// records can point at another entry's local header.
fn zip_listing(entries: &[Entry], listed: &[(usize, &str)]) -> Vec<u8> {
    let mut out = vec![];
    let mut offsets = vec![];
    for entry in entries {
        offsets.push(out.len() as u32);
        out.extend(entry.local());
    }
    let directory_offset = out.len() as u32;
    for &(index, name) in listed {
        let record = Entry { name: name.into(), ..entries[index].clone() };
        out.extend(record.central(offsets[index]));
    }
    let directory_size = out.len() as u32 - directory_offset;
    out.extend(end_record(listed.len() as u16, directory_size, directory_offset));
    out
}

fn zip(entries: &[Entry]) -> Vec<u8> {
    let listed: Vec<(usize, &str)> = entries.iter().enumerate().map(|(i, e)| (i, e.name.as_str())).collect();
    zip_listing(entries, &listed)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// The process's peak resident memory as last seen (0 if it ended before it was seen).
    peak_rss_kb: u64,
}

impl Run {
    fn loaded(&self) -> usize {
        let line = self.stdout.lines().find(|l| l.starts_with("studies: ")).expect("a studies line");
        line["studies: ".len()..].split_whitespace().next().unwrap().replace(',', "").parse().unwrap()
    }

    fn failures(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| !l.trim().is_empty()).collect()
    }
}

/// Runs `nct check` on `paths`, measuring its peak memory: std does not report a child's, and
/// the kernel's own account of it (`wait4`) counts in the memory of the test process that
/// spawned it, so the child's high-water mark is read from /proc while it runs. A run past
/// [`DEADLINE`] is killed and fails the test.
fn check(paths: &[&Path]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_nct"))
        .arg("check")
        .args(paths)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run nct");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            pipe.read_to_string(&mut text).unwrap();
            text
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_rss_kb = 0;
    let status = loop {
        // Read before asking whether it ended: once reaped, its /proc entry is gone.
        if let Some(hwm) = fs::read_to_string(&status_file).ok().and_then(|s| high_water_kb(&s)) {
            peak_rss_kb = hwm;
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("nct check still running after {DEADLINE:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    assert!(!err.contains("panicked"), "nct panicked:\n{err}");
    let code =
        status.code().unwrap_or_else(|| panic!("nct was killed by signal {:?}:\n{err}", status.signal()));
    Run { code, stdout: out, stderr: err, elapsed: started.elapsed(), peak_rss_kb }
}

/// Far more than any of these inputs takes, on a slow machine, in a debug build.
const DEADLINE: Duration = Duration::from_secs(120);

/// The `VmHWM` line of /proc/PID/status: the most memory the process has held, in KB.
fn high_water_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn assert_failure(run: &Run, origin: &str, reason: &str) {
    let prefix = format!("{origin}: ");
    assert!(
        run.failures().iter().any(|l| l.starts_with(&prefix) && l.contains(reason)),
        "no failure for {origin} saying {reason:?}:\n{}",
        run.stderr
    );
}

#[test]
fn an_entry_declaring_2_pow_62_compressed_bytes_is_named_and_skipped() {
    // The attack: a zip64 entry whose compressed size is 2^62, its declared size small, so a
    // reader that trusts it allocates 2^62 bytes and aborts. About 200 bytes in all.
    let dir = tempfile::tempdir().unwrap();
    let mut evil = Entry::stored("evil.json", b"x");
    evil.compressed_size = 1 << 62;
    evil.size = 10;
    let bytes = zip(&[Entry::stored("NCT00000001.json", &study("NCT00000001")), evil]);
    let path = dir.path().join("z.zip");
    fs::write(&path, &bytes).unwrap();

    let run = check(&[&path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.loaded(), 1);
    assert_eq!(run.failures().len(), 1, "{}", run.stderr);
    assert_failure(
        &run,
        &format!("{}!/evil.json", path.display()),
        "declares 4611686018427387904 compressed bytes, more than the file holds",
    );
}

#[test]
fn a_directory_declaring_a_huge_entry_count_loads_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let good = Entry::stored("NCT00000001.json", &study("NCT00000001"));
    let mut bytes = zip(std::slice::from_ref(&good));
    // The end record says 65,535 entries; one is there.
    let end = bytes.len() - 22;
    bytes[end + 8..end + 12].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
    let plain = dir.path().join("count.zip");
    fs::write(&plain, &bytes).unwrap();

    // Zip64: the end record points at a zip64 record declaring 2^60 entries in 2^62 bytes.
    let mut bytes = zip(&[good]);
    bytes.truncate(bytes.len() - 22);
    let directory_offset = good_directory_offset(&bytes);
    let zip64_record_at = bytes.len() as u64;
    bytes.extend(b"PK\x06\x06");
    bytes.extend(44u64.to_le_bytes());
    bytes.extend([45u8, 0, 45, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    bytes.extend((1u64 << 60).to_le_bytes());
    bytes.extend((1u64 << 60).to_le_bytes());
    bytes.extend((1u64 << 62).to_le_bytes());
    bytes.extend(directory_offset.to_le_bytes());
    bytes.extend(b"PK\x06\x07");
    bytes.extend(0u32.to_le_bytes());
    bytes.extend(zip64_record_at.to_le_bytes());
    bytes.extend(1u32.to_le_bytes());
    bytes.extend(end_record(0xffff, u32::MAX, u32::MAX));
    let zip64 = dir.path().join("count64.zip");
    fs::write(&zip64, &bytes).unwrap();

    for path in [&plain, &zip64] {
        let run = check(&[path]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.loaded(), 1, "{}: {}", path.display(), run.stderr);
        assert_eq!(run.failures().len(), 1, "{}", run.stderr);
        assert_failure(&run, &path.display().to_string(), "no central directory");
    }
}

/// Where the central directory of a one-entry zip (without its end record) starts.
fn good_directory_offset(bytes: &[u8]) -> u64 {
    bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap() as u64
}

#[test]
fn overlapping_entries_are_named_and_skipped_without_inflating_them() {
    // 300 directory records point at one local entry: a reader that follows each inflates the
    // same stream 300 times. Its declared size is honest, so only the structure gives it away.
    let dir = tempfile::tempdir().unwrap();
    let spaces = vec![b' '; 4 << 20];
    let entries =
        [Entry::stored("NCT00000001.json", &study("NCT00000001")), Entry::deflated("bomb.json", &spaces)];
    let names: Vec<String> = (0..300).map(|i| format!("bomb{i:03}.json")).collect();
    let mut listed = vec![(0, "NCT00000001.json")];
    listed.extend(names.iter().map(|n| (1, n.as_str())));
    let path = dir.path().join("overlap.zip");
    fs::write(&path, zip_listing(&entries, &listed)).unwrap();

    let run = check(&[&path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.loaded(), 1);
    assert_eq!(run.failures().len(), 300, "one message per skipped entry:\n{}", run.stderr);
    for name in &names {
        assert_failure(
            &run,
            &format!("{}!/{name}", path.display()),
            "overlapping zip entry: it shares its data with bomb",
        );
    }

    // One entry's data runs into the next one's local header (the "quoted" overlap): it is
    // skipped, the next is read. The last runs into the central directory.
    let mut first = Entry::stored("NCT00000002.json", &study("NCT00000002"));
    let second = Entry::stored("NCT00000003.json", &study("NCT00000003"));
    let mut last = Entry::stored("NCT00000004.json", &study("NCT00000004"));
    first.compressed_size += 40;
    first.size += 40;
    last.compressed_size += 40;
    last.size += 40;
    let path = dir.path().join("quoted.zip");
    fs::write(&path, zip(&[first, second, last])).unwrap();
    let run = check(&[&path]);
    assert_eq!(run.loaded(), 1, "{}", run.stderr);
    assert_eq!(run.failures().len(), 2, "{}", run.stderr);
    assert_failure(
        &run,
        &format!("{}!/NCT00000002.json", path.display()),
        "overlapping zip entry: its data runs into NCT00000003.json's",
    );
    assert_failure(
        &run,
        &format!("{}!/NCT00000004.json", path.display()),
        "overlapping zip entry: its data runs into the archive's directory",
    );
}

#[test]
fn a_declared_size_deflate_cannot_reach_is_refused_before_anything_is_allocated() {
    let dir = tempfile::tempdir().unwrap();
    let mut liar = Entry::deflated("NCT00000002.json", &study("NCT00000002"));
    liar.size = liar.compressed_size * 2000;
    let mut stored = Entry::stored("NCT00000003.json", &study("NCT00000003"));
    stored.size = 60 << 20;
    let path = dir.path().join("liar.zip");
    fs::write(&path, zip(&[Entry::stored("NCT00000001.json", &study("NCT00000001")), liar, stored])).unwrap();
    let run = check(&[&path]);
    assert_eq!(run.code, 1);
    assert_eq!(run.loaded(), 1);
    assert_failure(&run, &format!("{}!/NCT00000002.json", path.display()), "which they cannot");
    assert_failure(&run, &format!("{}!/NCT00000003.json", path.display()), "which they cannot");
}

/// A peak memory well over the 64 MB a study may take plus the process's own (about 30 MB), and
/// well under what holding a study of 150 MB costs.
const PEAK_LIMIT_KB: u64 = 240 << 10;

#[test]
fn a_study_over_64_mb_is_too_large_and_never_held_whole() {
    let dir = tempfile::tempdir().unwrap();
    // About 150 KB zipped: highly compressible, 150 MB inflated.
    let big = Entry::deflated_parts("NCT00000002.json", &huge_study("NCT00000002", 150));
    let path = dir.path().join("title.zip");
    fs::write(&path, zip(&[Entry::stored("NCT00000001.json", &study("NCT00000001")), big])).unwrap();
    assert!(fs::metadata(&path).unwrap().len() < 200 << 10);

    let run = check(&[&path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.loaded(), 1);
    assert_eq!(run.failures().len(), 1, "{}", run.stderr);
    assert_failure(&run, &format!("{}!/NCT00000002.json", path.display()), "too large");
    assert!(run.peak_rss_kb > 64 << 10, "the peak was seen: {} MB", run.peak_rss_kb >> 10);
    assert!(run.peak_rss_kb < PEAK_LIMIT_KB, "peak memory {} MB", run.peak_rss_kb >> 10);
}

#[test]
fn a_study_over_64_mb_inside_a_zipped_array_or_page_is_skipped_and_the_rest_stream() {
    // The website's ctg-studies.json.zip is one big array: it still streams, and only the
    // element that is too large is lost. The same for an API page.
    let dir = tempfile::tempdir().unwrap();
    let listing = |before: &[u8], ids: [&str; 3], after: &[u8]| {
        let mut parts = huge_study(ids[1], 65);
        parts[0].0 = [before, b"[", &study(ids[0]), b",\n", &parts[0].0].concat();
        parts[2].0 = [&parts[2].0[..], b",\n", &study(ids[2]), b"]", after].concat();
        parts
    };
    let array = listing(b"", ["NCT00000001", "NCT00000002", "NCT00000003"], b"");
    let page = listing(
        b"{\"studies\": ",
        ["NCT00000004", "NCT00000005", "NCT00000006"],
        b", \"nextPageToken\": \"abc\"}",
    );
    let path = dir.path().join("ctg-studies.json.zip");
    let entries =
        [Entry::deflated_parts("ctg-studies.json", &array), Entry::deflated_parts("page.json", &page)];
    fs::write(&path, zip(&entries)).unwrap();

    let run = check(&[&path]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.failures().len(), 2, "{}", run.stderr);
    assert_failure(&run, &format!("{}!/ctg-studies.json[1]", path.display()), "too large");
    assert_failure(&run, &format!("{}!/page.json[1]", path.display()), "too large");
    assert!(run.stdout.contains("JSON array") && run.stdout.contains("API page"), "{}", run.stdout);
    assert_eq!(run.loaded(), 4);
    // Both entries may stream at once, each holding up to a study's limit.
    assert!(run.peak_rss_kb < 2 * PEAK_LIMIT_KB - (30 << 10), "peak memory {} MB", run.peak_rss_kb >> 10);
}

#[test]
fn encrypted_entries_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut secret = Entry::stored("NCT00000002.json", &study("NCT00000002"));
    secret.flags = 1;
    let entries = [Entry::stored("NCT00000001.json", &study("NCT00000001")), secret];
    let path = dir.path().join("secret.zip");
    fs::write(&path, zip(&entries)).unwrap();
    // The same, cut short before its central directory: read from the local headers.
    let cut = dir.path().join("cut.zip");
    let whole = zip(&entries);
    fs::write(&cut, &whole[..good_directory_offset(&whole) as usize]).unwrap();

    for path in [&path, &cut] {
        let run = check(&[path]);
        assert_eq!(run.code, 1);
        assert_eq!(run.loaded(), 1, "{}", run.stderr);
        assert_failure(
            &run,
            &format!("{}!/NCT00000002.json", path.display()),
            "encrypted zip entry: nct cannot read encrypted archives",
        );
    }
}

#[test]
fn a_zip_cut_short_checks_its_local_entries_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let mut liar = Entry::deflated("NCT00000002.json", &study("NCT00000002"));
    liar.size = liar.compressed_size * 2000;
    let entries = [Entry::stored("NCT00000001.json", &study("NCT00000001")), liar];
    let whole = zip(&entries);
    let path = dir.path().join("cut.zip");
    fs::write(&path, &whole[..good_directory_offset(&whole) as usize]).unwrap();
    let run = check(&[&path]);
    assert_eq!(run.loaded(), 1, "{}", run.stderr);
    assert_failure(&run, &format!("{}!/NCT00000002.json", path.display()), "which they cannot");
    assert_failure(&run, &path.display().to_string(), "incomplete zip");
}

#[test]
fn folders_linked_twice_level_after_level_are_read_once() {
    // Each level links twice to the next: 2^20 ways down, 21 folders.
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let levels = dir.path().join("levels");
    for level in 0..=20 {
        let here = levels.join(format!("{level:02}"));
        fs::create_dir_all(&here).unwrap();
        let id = format!("NCT{:08}", level + 1);
        fs::write(here.join(format!("{id}.json")), study(&id)).unwrap();
        if level < 20 {
            let next = levels.join(format!("{:02}", level + 1));
            symlink(&next, here.join("a")).unwrap();
            symlink(&next, here.join("b")).unwrap();
        }
    }
    // And a file reached through a link of its own.
    symlink(levels.join("20").join("NCT00000021.json"), levels.join("00").join("link.json")).unwrap();

    let run = check(&[&levels.join("00")]);
    assert!(run.elapsed < Duration::from_secs(20), "took {:?}", run.elapsed);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.loaded(), 21);
    assert!(run.stdout.contains("documents: 21 single study JSON"), "each file read once:\n{}", run.stdout);
    assert!(run.failures().is_empty(), "each study read once, no duplicates:\n{}", run.stderr);
}
