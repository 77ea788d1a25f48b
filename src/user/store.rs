//! Reading and writing the user's files so that nothing they wrote is ever lost, and nothing
//! put in their place can stop nct. Every write goes to a temporary file in the same folder, is
//! flushed to disk, then renamed over the old file (a rename is atomic, so a reader, or a crash,
//! sees the old file or the new one, never half of one); a file that cannot be read is renamed
//! aside under a name no other file has, never overwritten.
//!
//! Only regular files are read, and only up to a size that file could sensibly have: a named
//! pipe would block a read forever and a device such as `/dev/zero` would never end, so the
//! type is checked on the opened handle (no window between a check and the open), which is
//! opened without blocking, and at most the cap is read. Such a file is left where it is and
//! said so; the command goes on without it.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// One kind of user file: what it holds (for messages) and the most nct reads of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// "settings", "bookmarks": in "nct reads settings only from a regular file".
    pub holds: &'static str,
    /// Bytes; a larger file is refused.
    pub cap: u64,
}

const MB: u64 = 1 << 20;

/// `config.toml`: a hand-written file of a few kilobytes.
pub const SETTINGS: Kind = Kind { holds: "settings", cap: MB };
/// `bookmarks.toml`: some 80 bytes a bookmark, so room for 200,000 of them.
pub const BOOKMARKS: Kind = Kind { holds: "bookmarks", cap: 16 * MB };
/// `history.toml`: at most 500 queries and 500 studies with their titles.
pub const HISTORY: Kind = Kind { holds: "history", cap: 16 * MB };
/// One note: text a person typed.
pub const NOTE: Kind = Kind { holds: "notes", cap: MB };

/// Why a user file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a file nct reads (a pipe, a device, a folder, or larger than its kind's cap): it is
    /// left where it is, for the user to remove or replace, as the message says.
    Refused(String),
    /// Could not be read (a permission, a disk).
    Unreadable(String),
    /// Read, but its content is not what nct writes (not text, or not TOML).
    Damaged(String),
}

impl ReadError {
    pub fn message(&self) -> &str {
        match self {
            ReadError::Refused(m) | ReadError::Unreadable(m) | ReadError::Damaged(m) => m,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl From<ReadError> for String {
    fn from(error: ReadError) -> String {
        match error {
            ReadError::Refused(m) | ReadError::Unreadable(m) | ReadError::Damaged(m) => m,
        }
    }
}

/// What a file that is not a regular file is, in words ("a named pipe"); `None` for a regular
/// file.
fn not_a_file(kind: fs::FileType) -> Option<&'static str> {
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

fn refused_type(label: &str, kind: Kind, what: &str) -> ReadError {
    ReadError::Refused(format!(
        "{label} is {what}, not a file: nct reads {} only from a regular file; remove it or replace it",
        kind.holds
    ))
}

fn refused_size(label: &str, kind: Kind) -> ReadError {
    let cap = kind.cap / MB;
    ReadError::Refused(format!(
        "{label} is over {cap} MB: nct reads {} only from a file of at most {cap} MB; remove it or make it \
         smaller",
        kind.holds
    ))
}

/// Opens `path` for reading without waiting: opening a named pipe would otherwise block until
/// some other process opened it for writing.
fn open_for_reading(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// The bytes of a user file of `kind` (`label` names it in messages), `None` when there is none
/// yet. Anything but a regular file, or a file over the kind's cap, is refused and left alone.
pub fn read_bytes(path: &Path, label: &str, kind: Kind) -> Result<Option<Vec<u8>>, ReadError> {
    let file = match open_for_reading(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            // A socket cannot be opened at all: say what it is rather than "no such device".
            if let Some(what) = fs::metadata(path).ok().and_then(|m| not_a_file(m.file_type())) {
                return Err(refused_type(label, kind, what));
            }
            return Err(ReadError::Unreadable(format!("cannot read {label}: {e}")));
        }
    };
    // The type of what was opened, not of what the name pointed to a moment before.
    let metadata = file.metadata().map_err(|e| ReadError::Unreadable(format!("cannot read {label}: {e}")))?;
    if let Some(what) = not_a_file(metadata.file_type()) {
        return Err(refused_type(label, kind, what));
    }
    if metadata.len() > kind.cap {
        return Err(refused_size(label, kind));
    }
    // The file may grow after the check: never more than the cap is read.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(kind.cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Unreadable(format!("cannot read {label}: {e}")))?;
    if bytes.len() as u64 > kind.cap {
        return Err(refused_size(label, kind));
    }
    Ok(Some(bytes))
}

/// As [`read_bytes`], as text: a file that is not UTF-8 is damaged.
pub fn read_text(path: &Path, label: &str, kind: Kind) -> Result<Option<String>, ReadError> {
    match read_bytes(path, label, kind)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| ReadError::Damaged(format!("{label} is not UTF-8 text"))),
    }
}

/// Why a user file could not be written. Nothing was replaced: the old file, if any, is whole.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot create {}: {source}", folder.display())]
    Folder { folder: PathBuf, source: io::Error },
    /// A file of the name appeared while this one was written ([`write_new`]): it is kept, and
    /// the caller may ask whether to replace it.
    #[error("cannot save {}: a file of that name was made meanwhile; it is kept", path.display())]
    MadeMeanwhile { path: PathBuf },
    #[error("cannot save {}: {source}", path.display())]
    Save { path: PathBuf, source: io::Error },
}

/// A damaged file that could not be moved aside (it stays where it was).
#[derive(Debug, thiserror::Error)]
#[error("cannot move {} aside: {reason}", path.display())]
pub struct SetAsideError {
    pub path: PathBuf,
    pub reason: String,
}

/// Why a user file could not be locked for a change.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot create {}: {source}", folder.display())]
    Folder { folder: PathBuf, source: io::Error },
    /// Something other than a file (a pipe, a folder) has the lock's name: the user's to remove.
    #[error("{} is {what}, not a file: nct locks {} with a regular file there; remove it", lock.display(), path.display())]
    NotAFile { lock: PathBuf, path: PathBuf, what: &'static str },
    #[error("cannot open {}: {source}", lock.display())]
    Open { lock: PathBuf, source: io::Error },
    #[error("cannot lock {}: {source}", lock.display())]
    Lock { lock: PathBuf, source: io::Error },
}

/// Replaces `path` with `bytes` atomically, creating its folder when needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_through_temporary(path, bytes, |temporary| fs::rename(temporary, path))
}

/// As [`write_atomic`], but never replaces anything: when a file has the name by the time the
/// new one is complete (made since the caller looked), it is kept and this fails.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_through_temporary(path, bytes, |temporary| match fs::hard_link(temporary, path) {
        // A link, unlike a rename, fails when the name is taken.
        Ok(()) => fs::remove_file(temporary),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
        // A file system without hard links: looked at, then renamed.
        Err(_) if fs::symlink_metadata(path).is_ok() => Err(io::ErrorKind::AlreadyExists.into()),
        Err(_) => fs::rename(temporary, path),
    })
}

/// Writes `bytes` to a new temporary file beside `path`, flushed to disk, then puts it in
/// place with `place`.
fn write_through_temporary(
    path: &Path,
    bytes: &[u8],
    place: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<(), WriteError> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(folder)
        .map_err(|source| WriteError::Folder { folder: folder.to_path_buf(), source })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let temporary = folder.join(format!(".{name}.tmp-{}-{stamp}", std::process::id()));
    let written = (|| -> io::Result<()> {
        // A new file, never whatever (a pipe, a link) already has the name.
        let mut file = OpenOptions::new().write(true).create_new(true).open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        place(&temporary)?;
        // The new name itself is durable once the folder is synced.
        if let Ok(handle) = File::open(folder) {
            let _ = handle.sync_all();
        }
        Ok(())
    })();
    written.map_err(|e| {
        let _ = fs::remove_file(&temporary);
        let path = path.to_path_buf();
        match e.kind() {
            io::ErrorKind::AlreadyExists => WriteError::MadeMeanwhile { path },
            _ => WriteError::Save { path, source: e },
        }
    })
}

/// Set-aside names tried for one file in one second before giving up.
const ASIDE_TRIES: u32 = 1000;

/// Renames a file that cannot be read to `NAME.corrupt-SECONDS` beside it (`-2`, `-3`… when
/// that name is taken), so that it is kept for the user and not overwritten by the next save;
/// returns the new path.
///
/// The name is claimed by creating it (`create_new`, which fails if anything has the name), and
/// only then is the file renamed over the claim: two damaged files met in the same second, by
/// one process or two at once, each keep a name of their own.
pub fn set_aside(path: &Path) -> Result<PathBuf, SetAsideError> {
    let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let cannot = |e: &dyn fmt::Display| SetAsideError { path: path.to_path_buf(), reason: e.to_string() };
    for attempt in 1..=ASIDE_TRIES {
        let aside = match attempt {
            1 => path.with_file_name(format!("{name}.corrupt-{stamp}")),
            n => path.with_file_name(format!("{name}.corrupt-{stamp}-{n}")),
        };
        match OpenOptions::new().write(true).create_new(true).open(&aside) {
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(cannot(&e)),
        }
        return match fs::rename(path, &aside) {
            Ok(()) => Ok(aside),
            Err(e) => {
                let _ = fs::remove_file(&aside);
                Err(cannot(&e))
            }
        };
    }
    Err(cannot(&format!("{name}.corrupt-{stamp} and the {ASIDE_TRIES} names after it are all taken")))
}

/// An exclusive lock on `PATH.lock`, held while the value lives.
pub fn lock(path: &Path) -> Result<File, LockError> {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    let lock_path = path.with_file_name(name);
    if let Some(folder) = lock_path.parent() {
        std::fs::create_dir_all(folder)
            .map_err(|source| LockError::Folder { folder: folder.to_path_buf(), source })?;
    }
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        // A named pipe in its place would otherwise block the open until something read it.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let not_a_lock =
        |what: &'static str| LockError::NotAFile { lock: lock_path.clone(), path: path.to_path_buf(), what };
    let file = options.open(&lock_path).map_err(|source| {
        // A pipe no one reads cannot be opened for writing at all: say what it is.
        match fs::metadata(&lock_path).ok().and_then(|m| not_a_file(m.file_type())) {
            Some(what) => not_a_lock(what),
            None => LockError::Open { lock: lock_path.clone(), source },
        }
    })?;
    let metadata = file.metadata().map_err(|source| LockError::Open { lock: lock_path.clone(), source })?;
    if let Some(what) = not_a_file(metadata.file_type()) {
        return Err(not_a_lock(what));
    }
    file.lock().map_err(|source| LockError::Lock { lock: lock_path.clone(), source })?;
    Ok(file)
}

/// A TOML file of the user's as `T`; the default when there is no file yet.
pub fn read_toml<T: serde::de::DeserializeOwned + Default>(path: &Path, kind: Kind) -> Result<T, ReadError> {
    let label = path.display().to_string();
    match read_text(path, &label, kind)? {
        None => Ok(T::default()),
        Some(text) => toml::from_str(&text)
            .map_err(|e| ReadError::Damaged(format!("{label} is damaged: {}", e.message()))),
    }
}

/// As [`read_toml`], with the default in place of a file that cannot be read, said in the
/// second value. A damaged or unreadable file is moved aside (so the next save cannot overwrite
/// it); one that is not a file nct reads is left where it is.
pub fn load_toml<T: serde::de::DeserializeOwned + Default>(path: &Path, kind: Kind) -> (T, Option<String>) {
    match read_toml(path, kind) {
        Ok(value) => (value, None),
        Err(ReadError::Refused(why)) => {
            (T::default(), Some(format!("{why}; nct goes on without {}", kind.holds)))
        }
        Err(ReadError::Unreadable(why) | ReadError::Damaged(why)) => {
            let kept = match set_aside(path) {
                Ok(aside) => format!("kept as {}", aside.display()),
                Err(e) => e.to_string(),
            };
            (T::default(), Some(format!("{why}; {kept}")))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("notes.toml");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<String> = fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["notes.toml"]);
    }

    #[test]
    fn a_new_file_never_replaces_one_made_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        write_new(&path, b"one").unwrap();
        let error = write_new(&path, b"two").unwrap_err().to_string();
        assert!(error.ends_with("list.csv: a file of that name was made meanwhile; it is kept"), "{error}");
        assert_eq!(fs::read(&path).unwrap(), b"one");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary left");
    }

    #[test]
    fn a_file_made_meanwhile_is_told_apart_from_a_failed_save() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("list.csv");
        write_new(&path, b"one").unwrap();
        assert!(matches!(write_new(&path, b"two"), Err(WriteError::MadeMeanwhile { .. })));
        let inside_a_file = path.join("list.csv");
        let error = write_atomic(&inside_a_file, b"two").unwrap_err();
        assert!(matches!(error, WriteError::Folder { .. }), "{error:?}");
        assert!(error.to_string().starts_with(&format!("cannot create {}: ", path.display())), "{error}");
    }

    #[test]
    fn a_corrupt_file_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        fs::write(&path, "[[[").unwrap();
        let aside = set_aside(&path).unwrap();
        assert!(!path.exists());
        assert_eq!(fs::read_to_string(&aside).unwrap(), "[[[");
        assert!(aside.file_name().unwrap().to_string_lossy().starts_with("bookmarks.toml.corrupt-"));
        assert_eq!(read_text(&path, "bookmarks.toml", BOOKMARKS).unwrap(), None);
    }

    #[test]
    fn files_set_aside_in_the_same_second_each_keep_a_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        let mut kept = Vec::new();
        for text in ["[[[", "]]]", "==="] {
            fs::write(&path, text).unwrap();
            kept.push(set_aside(&path).unwrap());
        }
        let texts: Vec<String> = kept.iter().map(|p| fs::read_to_string(p).unwrap()).collect();
        assert_eq!(texts, ["[[[", "]]]", "==="], "{kept:?}");
        let first = kept[0].file_name().unwrap().to_string_lossy().into_owned();
        // Within one second the later ones are numbered after the first.
        if kept[2].file_name().unwrap().to_string_lossy().starts_with(&first) {
            assert!(kept[1].to_string_lossy().ends_with("-2") && kept[2].to_string_lossy().ends_with("-3"));
        }
    }

    #[cfg(unix)]
    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo").arg(path).status().unwrap();
        assert!(status.success());
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_are_read_and_never_past_the_cap() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("config.toml");
        mkfifo(&pipe);
        let error = read_text(&pipe, "config.toml", SETTINGS).unwrap_err();
        assert_eq!(
            error,
            ReadError::Refused(
                "config.toml is a named pipe, not a file: nct reads settings only from a regular file; remove \
                 it or replace it"
                    .into()
            )
        );
        let zero = dir.path().join("history.toml");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let error = read_toml::<toml::Table>(&zero, HISTORY).unwrap_err();
        assert!(error.message().contains("is a character device, not a file"), "{error}");
        let (table, problem) = load_toml::<toml::Table>(&zero, HISTORY);
        assert!(table.is_empty() && problem.unwrap().ends_with("; nct goes on without history"));
        assert!(fs::symlink_metadata(&zero).is_ok(), "left where it is");
        assert!(
            matches!(read_bytes(dir.path(), "notes", NOTE), Err(ReadError::Refused(m)) if m.contains("a folder"))
        );

        let big = dir.path().join("NCT1.md");
        fs::write(&big, vec![b'a'; (NOTE.cap + 1) as usize]).unwrap();
        let error = read_bytes(&big, "notes/NCT1.md", NOTE).unwrap_err();
        assert_eq!(
            error.message(),
            "notes/NCT1.md is over 1 MB: nct reads notes only from a file of at most 1 MB; remove it or make it smaller"
        );
        fs::write(&big, vec![b'a'; NOTE.cap as usize]).unwrap();
        assert_eq!(read_bytes(&big, "", NOTE).unwrap().unwrap().len() as u64, NOTE.cap);
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_in_place_of_a_lock_is_an_error_not_a_wait() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        mkfifo(&dir.path().join("bookmarks.toml.lock"));
        let error = lock(&path).unwrap_err().to_string();
        assert!(error.contains("bookmarks.toml.lock is a named pipe, not a file"), "{error}");
        fs::remove_file(dir.path().join("bookmarks.toml.lock")).unwrap();
        assert!(lock(&path).is_ok());
    }
}
