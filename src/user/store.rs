//! Writing the user's files so that nothing they wrote is ever lost: every write goes to a
//! temporary file in the same folder, is flushed to disk, then renamed over the old file (a
//! rename is atomic, so a reader, or a crash, sees the old file or the new one, never half of
//! one); a file that cannot be read is renamed aside with a timestamp, never overwritten.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Replaces `path` with `bytes` atomically, creating its folder when needed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let temporary = folder.join(format!(".{name}.tmp-{}-{stamp}", std::process::id()));
    let written = (|| -> io::Result<()> {
        let mut file = File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)?;
        // The rename itself is durable once the folder is synced.
        if let Ok(handle) = File::open(folder) {
            let _ = handle.sync_all();
        }
        Ok(())
    })();
    written.map_err(|e| {
        let _ = fs::remove_file(&temporary);
        format!("cannot save {}: {e}", path.display())
    })
}

/// Renames a file that cannot be read to `NAME.corrupt-SECONDS` beside it, so that it is kept
/// for the user and not overwritten by the next save; returns the new path.
pub fn set_aside(path: &Path) -> Result<PathBuf, String> {
    let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let aside = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    fs::rename(path, &aside).map_err(|e| format!("cannot move {} aside: {e}", path.display()))?;
    Ok(aside)
}

/// The text of a file, `None` when there is none yet.
pub fn read_text(path: &Path) -> Result<Option<String>, String> {
    match fs::read(path) {
        Ok(bytes) => {
            String::from_utf8(bytes).map(Some).map_err(|_| format!("{} is not UTF-8 text", path.display()))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// An exclusive lock on `PATH.lock`, held while the value lives.
pub fn lock(path: &Path) -> Result<File, String> {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    let lock_path = path.with_file_name(name);
    if let Some(folder) = lock_path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
    file.lock().map_err(|e| format!("cannot lock {}: {e}", lock_path.display()))?;
    Ok(file)
}

/// A TOML file of the user's as `T`; the default when there is no file yet.
pub fn read_toml<T: serde::de::DeserializeOwned + Default>(path: &Path) -> Result<T, String> {
    match read_text(path)? {
        None => Ok(T::default()),
        Some(text) => {
            toml::from_str(&text).map_err(|e| format!("{} is damaged: {}", path.display(), e.message()))
        }
    }
}

/// As [`read_toml`]; a damaged file is moved aside (so the next save cannot overwrite it) and
/// said so in the second value, with the default in its place.
pub fn load_toml<T: serde::de::DeserializeOwned + Default>(path: &Path) -> (T, Option<String>) {
    match read_toml(path) {
        Ok(value) => (value, None),
        Err(why) => {
            let kept = match set_aside(path) {
                Ok(aside) => format!("kept as {}", aside.display()),
                Err(e) => e,
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
    fn a_corrupt_file_is_kept_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bookmarks.toml");
        fs::write(&path, "[[[").unwrap();
        let aside = set_aside(&path).unwrap();
        assert!(!path.exists());
        assert_eq!(fs::read_to_string(&aside).unwrap(), "[[[");
        assert!(aside.file_name().unwrap().to_string_lossy().starts_with("bookmarks.toml.corrupt-"));
        assert_eq!(read_text(&path).unwrap(), None);
    }
}
