//! Text that many studies share, kept once.
//!
//! In memory, an [`Interner`] hands out one `Arc` per distinct text while loading (countries,
//! lead sponsors, conditions), so 600k summaries do not each own a copy of "United States".
//! In the catalog cache, each distinct text or file path is written once, in a [`Table`], and each
//! use as its number in that table: the `serde(with)` modules here ([`text`], [`texts`]) look the
//! table up in a thread-local set for the duration of one encoding or decoding
//! ([`Table::encoding`], [`Table::decoding`]); paths go through the source's own
//! [`PathTable`], kept alongside. Outside of those, they write and read the text itself, so the
//! types stay plain serde values.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::source::PathTable;

/// Hands out one shared copy per distinct text; used from several loading threads at once.
#[derive(Debug, Default)]
pub struct Interner {
    known: Mutex<HashSet<Arc<str>>>,
}

impl Interner {
    pub fn intern(&self, text: &str) -> Arc<str> {
        let Ok(mut known) = self.known.lock() else { return Arc::from(text) };
        if let Some(shared) = known.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        known.insert(shared.clone());
        shared
    }
}

/// The distinct texts and paths of a stored catalog, in the order they were first written.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Table {
    texts: Vec<Arc<str>>,
    paths: PathTable,
}

/// What the encoder has numbered so far.
#[derive(Default)]
struct Numbering {
    texts: HashMap<Arc<str>, u32>,
    table: Table,
}

thread_local! {
    static ENCODING: RefCell<Option<Numbering>> = const { RefCell::new(None) };
    static DECODING: RefCell<Option<Arc<Table>>> = const { RefCell::new(None) };
}

impl Table {
    /// Runs `encode` with texts and paths written as numbers, and returns the table they number
    /// into (to be stored with them).
    pub fn encoding<T>(encode: impl FnOnce() -> T) -> (T, Table) {
        ENCODING.with(|slot| *slot.borrow_mut() = Some(Numbering::default()));
        let (result, paths) = PathTable::encoding(encode);
        let numbering = ENCODING.with(|slot| slot.borrow_mut().take()).unwrap_or_default();
        (result, Table { paths, ..numbering.table })
    }

    /// Runs `decode` with numbers read back as the texts and paths of `table`.
    pub fn decoding<T>(table: &Arc<Table>, decode: impl FnOnce() -> T) -> T {
        let before = DECODING.with(|slot| slot.borrow_mut().replace(table.clone()));
        let result = table.paths.decoding(decode);
        DECODING.with(|slot| *slot.borrow_mut() = before);
        result
    }
}

/// Whether a table is in use on this thread, for encoding.
fn encoding_active() -> bool {
    ENCODING.with(|slot| slot.borrow().is_some())
}

fn number_text(text: &Arc<str>) -> Option<u32> {
    ENCODING.with(|slot| {
        let mut slot = slot.borrow_mut();
        let numbering = slot.as_mut()?;
        if let Some(&n) = numbering.texts.get(text) {
            return Some(n);
        }
        let n = u32::try_from(numbering.table.texts.len()).ok()?;
        numbering.texts.insert(text.clone(), n);
        numbering.table.texts.push(text.clone());
        Some(n)
    })
}

/// A text or path as stored: its number in the table, or itself when no table is in use.
#[derive(Serialize, Deserialize)]
enum Stored<T> {
    Numbered(u32),
    Inline(T),
}

fn missing<E: serde::de::Error>(n: u32) -> E {
    E::custom(format!("text number {n} is not in the stored table"))
}

/// `Arc<str>` through the table.
pub mod text {
    use super::*;

    pub fn serialize<S: Serializer>(text: &Arc<str>, serializer: S) -> Result<S::Ok, S::Error> {
        match number_text(text) {
            Some(n) => Stored::<&str>::Numbered(n).serialize(serializer),
            None if encoding_active() => Err(serde::ser::Error::custom("too many distinct texts to store")),
            None => Stored::Inline(&**text).serialize(serializer),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Arc<str>, D::Error> {
        match Stored::<Box<str>>::deserialize(deserializer)? {
            Stored::Inline(text) => Ok(Arc::from(text)),
            Stored::Numbered(n) => DECODING
                .with(|slot| slot.borrow().as_ref().and_then(|table| table.texts.get(n as usize).cloned()))
                .ok_or_else(|| missing(n)),
        }
    }
}

/// `Option<Arc<str>>` through the table.
pub mod optional_text {
    use super::*;

    pub fn serialize<S: Serializer>(text: &Option<Arc<str>>, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wrapped<'a>(#[serde(with = "super::text")] &'a Arc<str>);
        text.as_ref().map(Wrapped).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Arc<str>>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "super::text")] Arc<str>);
        Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|Wrapped(text)| text))
    }
}

/// `Box<[Arc<str>]>` through the table.
pub mod texts {
    use super::*;

    pub fn serialize<S: Serializer>(texts: &[Arc<str>], serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wrapped<'a>(#[serde(with = "super::text")] &'a Arc<str>);
        serializer.collect_seq(texts.iter().map(Wrapped))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<[Arc<str>]>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "super::text")] Arc<str>);
        Ok(Vec::<Wrapped>::deserialize(deserializer)?.into_iter().map(|Wrapped(text)| text).collect())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        #[serde(with = "text")]
        country: Arc<str>,
        #[serde(with = "optional_text")]
        sponsor: Option<Arc<str>>,
        #[serde(with = "texts")]
        conditions: Box<[Arc<str>]>,
        #[serde(with = "crate::source::stored_path")]
        file: Arc<Path>,
    }

    fn row(country: &str, conditions: &[&str]) -> Row {
        Row {
            country: country.into(),
            sponsor: Some("Pfizer".into()),
            conditions: conditions.iter().map(|&c| Arc::from(c)).collect(),
            file: Arc::from(Path::new("/data/ctg-studies.json.zip")),
        }
    }

    #[test]
    fn the_interner_hands_out_one_copy_per_text() {
        let interner = Interner::default();
        let a = interner.intern("United States");
        let b = interner.intern("United States");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &interner.intern("France")));
    }

    #[test]
    fn rows_stored_through_a_table_come_back_equal_and_shared() {
        let rows = vec![row("France", &["Asthma"]), row("France", &["Asthma", "COPD"])];
        let (bytes, table) = Table::encoding(|| postcard::to_allocvec(&rows));
        let bytes = bytes.unwrap_or_default();
        assert_eq!(table.texts.len(), 4, "France, Pfizer, Asthma, COPD once each");
        assert_eq!(table.paths.len(), 1);
        let inline = postcard::to_allocvec(&rows).unwrap_or_default();
        assert!(bytes.len() < inline.len() / 2, "{} vs {} bytes", bytes.len(), inline.len());

        let table = Arc::new(table);
        let back: Vec<Row> = Table::decoding(&table, || postcard::from_bytes(&bytes)).unwrap_or_default();
        assert_eq!(back, rows);
        let [first, second] = back.as_slice() else { panic!("two rows expected") };
        assert!(Arc::ptr_eq(&first.country, &second.country));
        assert!(Arc::ptr_eq(&first.file, &second.file));
    }

    #[test]
    fn a_number_outside_the_table_is_an_error_not_a_panic() {
        let rows = vec![row("France", &["Asthma"])];
        let (bytes, _) = Table::encoding(|| postcard::to_allocvec(&rows));
        let empty = Arc::new(Table::default());
        let back: Result<Vec<Row>, _> =
            Table::decoding(&empty, || postcard::from_bytes(&bytes.unwrap_or_default()));
        assert!(back.is_err());
    }

    #[test]
    fn without_a_table_texts_are_written_inline() {
        let rows = vec![row("France", &["Asthma"])];
        let bytes = postcard::to_allocvec(&rows).unwrap_or_default();
        let back: Vec<Row> = postcard::from_bytes(&bytes).unwrap_or_default();
        assert_eq!(back, rows);
    }
}
