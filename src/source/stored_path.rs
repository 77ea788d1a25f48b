//! How the paths of origins and locators are written by serde: once per encoding.
//!
//! Thousands of studies come from the same few files, so while a [`PathTable`] is kept on this
//! thread ([`PathTable::encoding`], [`PathTable::decoding`]), a path is written as its number
//! in that table; outside of those it is written itself, so [`Origin`](super::Origin) and
//! [`Locator`](super::Locator) stay plain serde values. Whoever stores them (the catalog's
//! cache) keeps the table beside them.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The distinct paths of one encoding, in the order they were first written.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PathTable {
    paths: Arc<[Arc<Path>]>,
}

#[derive(Default)]
struct Numbering {
    numbers: HashMap<Box<[u8]>, u32>,
    paths: Vec<Arc<Path>>,
}

thread_local! {
    static ENCODING: RefCell<Option<Numbering>> = const { RefCell::new(None) };
    static DECODING: RefCell<Option<PathTable>> = const { RefCell::new(None) };
}

impl PathTable {
    /// Runs `encode` with paths written as numbers, and returns the table they number into.
    pub fn encoding<T>(encode: impl FnOnce() -> T) -> (T, PathTable) {
        let before = ENCODING.with(|slot| slot.borrow_mut().replace(Numbering::default()));
        let result = encode();
        let numbering =
            ENCODING.with(|slot| std::mem::replace(&mut *slot.borrow_mut(), before)).unwrap_or_default();
        (result, PathTable { paths: numbering.paths.into() })
    }

    /// Runs `decode` with numbers read back as the paths of this table.
    pub fn decoding<T>(&self, decode: impl FnOnce() -> T) -> T {
        let before = DECODING.with(|slot| slot.borrow_mut().replace(self.clone()));
        let result = decode();
        DECODING.with(|slot| *slot.borrow_mut() = before);
        result
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

fn encoding_active() -> bool {
    ENCODING.with(|slot| slot.borrow().is_some())
}

fn number_path(path: &Arc<Path>) -> Option<u32> {
    ENCODING.with(|slot| {
        let mut slot = slot.borrow_mut();
        let numbering = slot.as_mut()?;
        let bytes = path.as_os_str().as_encoded_bytes();
        if let Some(&n) = numbering.numbers.get(bytes) {
            return Some(n);
        }
        let n = u32::try_from(numbering.paths.len()).ok()?;
        numbering.numbers.insert(bytes.into(), n);
        numbering.paths.push(path.clone());
        Some(n)
    })
}

/// A path as stored: its number in the table, or itself when no table is in use. The variants'
/// order is the stored form (the catalog cache's bytes), so it must not change.
#[derive(Serialize, Deserialize)]
enum Stored<T> {
    Numbered(u32),
    Inline(T),
}

/// `Arc<Path>` through the table (`#[serde(with = "stored_path")]`).
pub fn serialize<S: Serializer>(path: &Arc<Path>, serializer: S) -> Result<S::Ok, S::Error> {
    match number_path(path) {
        Some(n) => Stored::<&Path>::Numbered(n).serialize(serializer),
        None if encoding_active() => Err(serde::ser::Error::custom("too many distinct paths to store")),
        None => Stored::Inline(&**path).serialize(serializer),
    }
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<Path>, D::Error> {
    match Stored::<PathBuf>::deserialize(deserializer)? {
        Stored::Inline(path) => Ok(Arc::from(path)),
        Stored::Numbered(n) => DECODING
            .with(|slot| slot.borrow().as_ref().and_then(|table| table.paths.get(n as usize).cloned()))
            .ok_or_else(|| serde::de::Error::custom(format!("text number {n} is not in the stored table"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row(#[serde(with = "super")] Arc<Path>);

    fn rows() -> Vec<Row> {
        let zip: Arc<Path> = Arc::from(Path::new("/data/ctg-studies.json.zip"));
        vec![Row(zip.clone()), Row(Arc::from(Path::new("/data/other.json"))), Row(zip)]
    }

    #[test]
    fn paths_stored_through_a_table_come_back_equal_and_shared() {
        let (bytes, table) = PathTable::encoding(|| postcard::to_allocvec(&rows()));
        let bytes = bytes.unwrap_or_default();
        assert_eq!(table.len(), 2);
        let back: Vec<Row> = table.decoding(|| postcard::from_bytes(&bytes)).unwrap_or_default();
        assert_eq!(back, rows());
        let [first, _, third] = back.as_slice() else { panic!("three rows expected") };
        assert!(Arc::ptr_eq(&first.0, &third.0));
    }

    #[test]
    fn a_number_outside_the_table_is_an_error_not_a_panic() {
        let (bytes, _) = PathTable::encoding(|| postcard::to_allocvec(&rows()));
        let back: Result<Vec<Row>, _> =
            PathTable::default().decoding(|| postcard::from_bytes(&bytes.unwrap_or_default()));
        assert!(back.is_err());
    }

    #[test]
    fn without_a_table_paths_are_written_inline() {
        let bytes = postcard::to_allocvec(&rows()).unwrap_or_default();
        let back: Vec<Row> = postcard::from_bytes(&bytes).unwrap_or_default();
        assert_eq!(back, rows());
    }
}
