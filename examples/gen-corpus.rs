//! Synthetic ClinicalTrials.gov corpora for scale tests and benchmarks.
//!
//! ```text
//! cargo run --release --example gen-corpus -- N OUT --layout dir|zip|array|ndjson [--seed S] [--from DIR]
//! ```
//!
//! Builds `N` distinct, realistic API v2 study records from the project's own studies in `assets/`
//! (read at run time from `CARGO_MANIFEST_DIR/assets`, or from `--from DIR`) and writes them to
//! `OUT` in one of the layouts that `nct` reads:
//!
//! * `dir`: `OUT/` is a folder with one pretty-printed file per study in nested subfolders,
//!   `OUT/NCT9123/NCT91234567.json`;
//! * `zip`: `OUT` is a deflate zip of one `NCTxxxxxxxx.json` per study, like the registry's
//!   `ctg-studies.json.zip`;
//! * `array`: `OUT` is one JSON array (one compact study per line);
//! * `ndjson`: `OUT` has one compact study per line.
//!
//! For every generated study the generator varies the `nctId` (unique, in the `NCT9xxxxxxx` range so
//! it never clashes with a real record), the titles and acronym (mixing in words from a small
//! built-in vocabulary so that search has something to find), `overallStatus` (with a matching
//! `whyStopped` / `lastKnownStatus`), phases, all status dates, enrollment, conditions (with their
//! MeSH terms), sponsor and a subset of the template's locations. Everything else, and the key
//! order of the registry's records, comes from the template. A posted `resultsSection` is kept only
//! when the new status is completed or terminated.
//!
//! The output is deterministic for a given `--seed` (default 1) and is written as it is built: only
//! the templates and one study are in memory at any time, so `N` may be in the hundreds of
//! thousands. `N` is at most 10,000,000 (the size of the `NCT9xxxxxxx` id space).

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};

const USAGE: &str = "\
usage: gen-corpus N OUT --layout dir|zip|array|ndjson [--seed S] [--from DIR]

  N              number of studies to generate (0 to 10000000)
  OUT            output folder (dir) or file (zip, array, ndjson)
  --layout L     dir: OUT/NCT9123/NCT91234567.json, one pretty file per study
                 zip: a deflate zip of NCTxxxxxxxx.json files (like ctg-studies.json.zip)
                 array: one JSON array file; ndjson: one study per line
  --seed S       seed for the generator (unsigned integer, default 1)
  --from DIR     folder of template studies (*.json); default: the crate's assets/
  -h, --help     show this message";

const MAX_STUDIES: u64 = 10_000_000;

// ---------------------------------------------------------------------------------------------
// Arguments

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layout {
    Dir,
    Zip,
    Array,
    Ndjson,
}

struct Args {
    count: u64,
    out: PathBuf,
    layout: Layout,
    seed: u64,
    from: Option<PathBuf>,
}

enum Parsed {
    Run(Args),
    Help,
}

fn parse_args(raw: impl Iterator<Item = String>) -> std::result::Result<Parsed, String> {
    let mut positional = Vec::new();
    let mut layout = None;
    let mut seed = 1u64;
    let mut from = None;
    let mut raw = raw;
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--layout" | "--seed" | "--from" => {
                let value = raw.next().ok_or_else(|| format!("{arg} needs a value"))?;
                match arg.as_str() {
                    "--layout" => layout = Some(parse_layout(&value)?),
                    "--seed" => {
                        seed = value
                            .parse()
                            .map_err(|_| format!("--seed: not an unsigned integer: {value:?}"))?
                    }
                    _ => from = Some(PathBuf::from(value)),
                }
            }
            other => {
                if let Some((key, value)) = other.split_once('=') {
                    match key {
                        "--layout" => layout = Some(parse_layout(value)?),
                        "--seed" => {
                            seed = value
                                .parse()
                                .map_err(|_| format!("--seed: not an unsigned integer: {value:?}"))?
                        }
                        "--from" => from = Some(PathBuf::from(value)),
                        _ => return Err(format!("unknown option {key:?}")),
                    }
                } else if other.starts_with('-') && other.len() > 1 {
                    return Err(format!("unknown option {other:?}"));
                } else {
                    positional.push(arg);
                }
            }
        }
    }
    let mut positional = positional.into_iter();
    let (Some(count), Some(out), None) = (positional.next(), positional.next(), positional.next()) else {
        return Err("expected exactly two arguments, N and OUT".into());
    };
    let count: u64 = count.parse().map_err(|_| format!("N: not an unsigned integer: {count:?}"))?;
    if count > MAX_STUDIES {
        return Err(format!("N: at most {MAX_STUDIES} studies fit in the NCT9xxxxxxx range"));
    }
    let layout = layout.ok_or("--layout is required")?;
    Ok(Parsed::Run(Args { count, out: PathBuf::from(out), layout, seed, from }))
}

fn parse_layout(s: &str) -> std::result::Result<Layout, String> {
    match s {
        "dir" => Ok(Layout::Dir),
        "zip" => Ok(Layout::Zip),
        "array" => Ok(Layout::Array),
        "ndjson" => Ok(Layout::Ndjson),
        _ => Err(format!("--layout: expected dir, zip, array or ndjson, not {s:?}")),
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Parsed::Run(args)) => args,
        Ok(Parsed::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("gen-corpus: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-corpus: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<()> {
    let started = Instant::now();
    let from = match &args.from {
        Some(dir) => dir.clone(),
        None => {
            let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
            if manifest.is_dir() { manifest } else { PathBuf::from("assets") }
        }
    };
    let templates = load_templates(&from)?;
    let mut generator = Generator::new(templates, args.seed);
    let mut sink = Sink::create(args.layout, &args.out)?;
    let mut buf = String::with_capacity(1 << 16);
    for i in 0..args.count {
        let (id, study) = generator.study(i)?;
        buf.clear();
        sink.write(&id, &study, &mut buf)?;
    }
    sink.finish()?;
    eprintln!(
        "gen-corpus: wrote {} studies to {} ({:?} layout, seed {}) in {:.2}s",
        args.count,
        args.out.display(),
        args.layout,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// An order-preserving JSON tree (the registry's key order is part of what we want to keep, and
// serde_json's Map sorts keys unless the preserve_order feature is on).

#[derive(Clone, Debug)]
enum J {
    Null,
    Bool(bool),
    /// The number's text exactly as written (so "0.250" stays "0.250").
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    fn s(text: impl Into<String>) -> J {
        J::Str(text.into())
    }

    fn obj(pairs: Vec<(&str, J)>) -> J {
        J::Obj(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    fn get(&self, key: &str) -> Option<&J> {
        match self {
            J::Obj(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut J> {
        match self {
            J::Obj(pairs) => pairs.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn path_mut(&mut self, keys: &[&str]) -> Option<&mut J> {
        let mut node = self;
        for key in keys {
            node = node.get_mut(key)?;
        }
        Some(node)
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            J::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Replaces the value of `key`, or appends it when absent.
    fn set(&mut self, key: &str, value: J) {
        if let J::Obj(pairs) = self {
            match pairs.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => pairs.push((key.to_string(), value)),
            }
        }
    }

    fn remove(&mut self, key: &str) -> Option<J> {
        match self {
            J::Obj(pairs) => {
                let at = pairs.iter().position(|(k, _)| k == key)?;
                Some(pairs.remove(at).1)
            }
            _ => None,
        }
    }

    /// Writes JSON; `indent` is `Some(level)` for 2-space pretty printing, `None` for compact.
    fn write(&self, out: &mut String, indent: Option<usize>) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => write_str(out, s),
            J::Arr(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push('[');
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    newline(out, indent.map(|l| l + 1));
                    item.write(out, indent.map(|l| l + 1));
                }
                newline(out, indent);
                out.push(']');
            }
            J::Obj(pairs) => {
                if pairs.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (n, (key, value)) in pairs.iter().enumerate() {
                    if n > 0 {
                        out.push(',');
                    }
                    newline(out, indent.map(|l| l + 1));
                    write_str(out, key);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    value.write(out, indent.map(|l| l + 1));
                }
                newline(out, indent);
                out.push('}');
            }
        }
    }
}

fn newline(out: &mut String, level: Option<usize>) {
    if let Some(level) = level {
        out.push('\n');
        for _ in 0..level {
            out.push_str("  ");
        }
    }
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut plain = 0; // start of the run of characters that need no escaping
    for (at, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{08}' => "\\b",
            '\u{0c}' => "\\f",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(plain..at).unwrap_or_default());
        if escaped.is_empty() {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push_str(escaped);
        }
        plain = at + c.len_utf8();
    }
    out.push_str(s.get(plain..).unwrap_or_default());
    out.push('"');
}

/// A small JSON parser that keeps object keys in document order. Input is first checked with
/// serde_json, so the errors here are only a safety net.
struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn parse(text: &'a str) -> Result<J> {
        let mut p = Parser { bytes: text.as_bytes(), pos: 0 };
        let value = p.value(0)?;
        p.ws();
        if p.peek().is_some() {
            bail!("trailing characters at byte {}", p.pos);
        }
        Ok(value)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<u8> {
        let b = self.peek().ok_or_else(|| anyhow!("unexpected end of input"))?;
        self.pos += 1;
        Ok(b)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, want: u8) -> Result<()> {
        let got = self.next()?;
        if got != want {
            bail!("expected {:?} at byte {}, found {:?}", want as char, self.pos - 1, got as char);
        }
        Ok(())
    }

    fn literal(&mut self, word: &str, value: J) -> Result<J> {
        for want in word.bytes() {
            self.eat(want)?;
        }
        Ok(value)
    }

    fn value(&mut self, depth: usize) -> Result<J> {
        if depth > 256 {
            bail!("nesting too deep at byte {}", self.pos);
        }
        self.ws();
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                let mut pairs = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(J::Obj(pairs));
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    self.ws();
                    self.eat(b':')?;
                    let value = self.value(depth + 1)?;
                    pairs.push((key, value));
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b'}' => return Ok(J::Obj(pairs)),
                        other => {
                            bail!("expected ',' or '}}' at byte {}, found {:?}", self.pos - 1, other as char)
                        }
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(J::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b']' => return Ok(J::Arr(items)),
                        other => {
                            bail!("expected ',' or ']' at byte {}, found {:?}", self.pos - 1, other as char)
                        }
                    }
                }
            }
            Some(b'"') => Ok(J::Str(self.string()?)),
            Some(b't') => self.literal("true", J::Bool(true)),
            Some(b'f') => self.literal("false", J::Bool(false)),
            Some(b'n') => self.literal("null", J::Null),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while matches!(self.peek(), Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')) {
                    self.pos += 1;
                }
                let text = self.bytes.get(start..self.pos).ok_or_else(|| anyhow!("bad number"))?;
                Ok(J::Num(String::from_utf8_lossy(text).into_owned()))
            }
            Some(other) => bail!("unexpected {:?} at byte {}", other as char, self.pos),
            None => bail!("unexpected end of input"),
        }
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = (self.next()? as char)
                .to_digit(16)
                .ok_or_else(|| anyhow!("bad \\u escape at byte {}", self.pos))?;
            n = n * 16 + d;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            match self.next()? {
                b'"' => break,
                b'\\' => match self.next()? {
                    b'"' => out.push(b'"'),
                    b'\\' => out.push(b'\\'),
                    b'/' => out.push(b'/'),
                    b'b' => out.push(0x08),
                    b'f' => out.push(0x0c),
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'u' => {
                        let mut code = self.hex4()?;
                        if (0xD800..0xDC00).contains(&code) && self.peek() == Some(b'\\') {
                            self.eat(b'\\')?;
                            self.eat(b'u')?;
                            let low = self.hex4()?;
                            code = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
                        }
                        let c = char::from_u32(code).unwrap_or('\u{FFFD}');
                        let mut tmp = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                    }
                    other => bail!("bad escape \\{} at byte {}", other as char, self.pos - 1),
                },
                b => out.push(b),
            }
        }
        String::from_utf8(out).context("string is not UTF-8")
    }
}

// ---------------------------------------------------------------------------------------------
// Templates

struct Template {
    name: String,
    /// The study without its locations (they can be large: one asset has 1,148).
    base: J,
    locations: Vec<J>,
    study_type: String,
}

fn load_templates(dir: &Path) -> Result<Vec<Template>> {
    let entries = fs::read_dir(dir).with_context(|| format!("reading template folder {}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("listing {}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut templates = Vec::new();
    for path in paths {
        let text = fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str::<serde_json::Value>(&text)
            .with_context(|| format!("{} is not valid JSON", path.display()))?;
        let mut base = Parser::parse(&text).with_context(|| format!("parsing {}", path.display()))?;
        if base.get("protocolSection").is_none() {
            eprintln!("gen-corpus: skipping {} (not a study object)", path.display());
            continue;
        }
        let locations = match base.path_mut(&["protocolSection", "contactsLocationsModule"]) {
            Some(module) => match module.remove("locations") {
                Some(J::Arr(items)) => items,
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let study_type = base
            .get("protocolSection")
            .and_then(|p| p.get("designModule"))
            .and_then(|d| d.get("studyType"))
            .and_then(J::as_str)
            .unwrap_or("INTERVENTIONAL")
            .to_string();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        templates.push(Template { name, base, locations, study_type });
    }
    if templates.is_empty() {
        bail!("no template studies (*.json with a protocolSection) in {}", dir.display());
    }
    Ok(templates)
}

// ---------------------------------------------------------------------------------------------
// Randomness: xorshift64* seeded through splitmix64.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n` > 0; returns 0 for 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { ((self.next() >> 32) * n) >> 32 }
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo { lo } else { lo + self.below((hi - lo + 1) as u64) as i64 }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// Picks by weight from `(item, weight)` pairs.
    fn weighted<'a, T>(&mut self, items: &'a [(T, u64)]) -> Option<&'a T> {
        let total: u64 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total);
        for (item, weight) in items {
            if roll < *weight {
                return Some(item);
            }
            roll -= weight;
        }
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const ADJECTIVES: &[&str] = &[
    "Pragmatic",
    "Adaptive",
    "Pilot",
    "Long-term",
    "Community-based",
    "Nurse-led",
    "Digital",
    "Telehealth-supported",
    "Multinational",
    "Registry-based",
    "Investigator-initiated",
    "Decentralized",
    "Stepped-care",
    "Personalized",
    "Biomarker-guided",
    "Early-access",
];

const POPULATIONS: &[&str] = &[
    "Older Adults",
    "Adolescents",
    "Veterans",
    "Rural Communities",
    "Primary Care",
    "Outpatients",
    "Hospitalized Adults",
    "Low-resource Settings",
    "Indigenous Communities",
    "Shift Workers",
    "Caregivers",
    "Athletes",
];

const CODENAMES: &[&str] = &[
    "AURORA", "BOREALIS", "CASCADE", "DELTA", "EMBER", "FALCON", "GRANITE", "HARBOR", "IRIS", "JUNIPER",
    "KESTREL", "LUMEN", "MERIDIAN", "NOVA", "ORCHID", "PRISM", "QUARTZ", "RIVET", "SIERRA", "TUNDRA",
    "UMBRA", "VECTOR", "WILLOW", "XENON", "YARROW", "ZEPHYR",
];

/// (condition, MeSH id, MeSH term)
const CONDITIONS: &[(&str, &str, &str)] = &[
    ("Type 2 Diabetes", "D003924", "Diabetes Mellitus, Type 2"),
    ("Hypertension", "D006973", "Hypertension"),
    ("Heart Failure", "D006333", "Heart Failure"),
    ("Atrial Fibrillation", "D001281", "Atrial Fibrillation"),
    ("Asthma", "D001249", "Asthma"),
    ("COPD", "D029424", "Pulmonary Disease, Chronic Obstructive"),
    ("Breast Cancer", "D001943", "Breast Neoplasms"),
    ("Non-small Cell Lung Cancer", "D002289", "Carcinoma, Non-Small-Cell Lung"),
    ("Colorectal Cancer", "D015179", "Colorectal Neoplasms"),
    ("Prostate Cancer", "D011471", "Prostatic Neoplasms"),
    ("Multiple Myeloma", "D009101", "Multiple Myeloma"),
    ("Major Depressive Disorder", "D003865", "Depressive Disorder, Major"),
    ("Generalized Anxiety Disorder", "D001008", "Anxiety Disorders"),
    ("Schizophrenia", "D012559", "Schizophrenia"),
    ("Alzheimer Disease", "D000544", "Alzheimer Disease"),
    ("Parkinson Disease", "D010300", "Parkinson Disease"),
    ("Multiple Sclerosis", "D009103", "Multiple Sclerosis"),
    ("Epilepsy", "D004827", "Epilepsy"),
    ("Migraine", "D008881", "Migraine Disorders"),
    ("Stroke", "D020521", "Stroke"),
    ("Rheumatoid Arthritis", "D001172", "Arthritis, Rheumatoid"),
    ("Psoriasis", "D011565", "Psoriasis"),
    ("Crohn Disease", "D003424", "Crohn Disease"),
    ("Ulcerative Colitis", "D003093", "Colitis, Ulcerative"),
    ("Chronic Kidney Disease", "D051436", "Renal Insufficiency, Chronic"),
    ("Obesity", "D009765", "Obesity"),
    ("Osteoarthritis, Knee", "D020370", "Osteoarthritis, Knee"),
    ("Osteoporosis", "D010024", "Osteoporosis"),
    ("HIV Infections", "D015658", "HIV Infections"),
    ("Tuberculosis", "D014376", "Tuberculosis"),
    ("COVID-19", "D000086382", "COVID-19"),
    ("Chronic Pain", "D059350", "Chronic Pain"),
    ("Insomnia", "D007319", "Sleep Initiation and Maintenance Disorders"),
    ("Sickle Cell Disease", "D000755", "Anemia, Sickle Cell"),
];

/// (name, agency class)
const SPONSORS: &[(&str, &str)] = &[
    ("Aldermoor Pharmaceuticals", "INDUSTRY"),
    ("Brightwater Biologics, Inc.", "INDUSTRY"),
    ("Corvane Therapeutics", "INDUSTRY"),
    ("Duskline Medical Devices", "INDUSTRY"),
    ("Everford University", "OTHER"),
    ("Fairhaven Children's Hospital", "OTHER"),
    ("Glenmoor Cancer Centre", "OTHER"),
    ("Hollis Institute of Public Health", "OTHER"),
    ("National Institute of Allergy and Infectious Diseases (NIAID)", "NIH"),
    ("National Heart, Lung, and Blood Institute (NHLBI)", "NIH"),
    ("VA Office of Research and Development", "FED"),
    ("Northwind Clinical Trials Network", "NETWORK"),
    ("Ministry of Health, Republic of Valdoria", "OTHER_GOV"),
    ("Dr. Imogen Castellanos", "INDIV"),
];

const WHY_STOPPED: &[&str] = &[
    "Slow enrollment",
    "Sponsor decision; not related to safety",
    "Funding ended",
    "Futility at a planned interim analysis",
    "The principal investigator left the institution",
    "Study drug supply interrupted",
    "Paused by the data monitoring committee pending a safety review",
];

const PHASES: &[(&[&str], u64)] = &[
    (&["NA"], 22),
    (&["EARLY_PHASE1"], 3),
    (&["PHASE1"], 15),
    (&["PHASE1", "PHASE2"], 6),
    (&["PHASE2"], 22),
    (&["PHASE2", "PHASE3"], 4),
    (&["PHASE3"], 17),
    (&["PHASE4"], 11),
];

const NA_PHASE: &[&str] = &["NA"];

const STATUSES: &[(&str, u64)] = &[
    ("COMPLETED", 40),
    ("RECRUITING", 18),
    ("NOT_YET_RECRUITING", 6),
    ("ACTIVE_NOT_RECRUITING", 8),
    ("ENROLLING_BY_INVITATION", 2),
    ("TERMINATED", 7),
    ("WITHDRAWN", 3),
    ("SUSPENDED", 1),
    ("UNKNOWN", 15),
];

const EA_STATUSES: &[(&str, u64)] = &[
    ("AVAILABLE", 5),
    ("NO_LONGER_AVAILABLE", 3),
    ("TEMPORARILY_NOT_AVAILABLE", 1),
    ("APPROVED_FOR_MARKETING", 2),
];

const LOCATION_STATUSES: &[&str] = &[
    "ACTIVE_NOT_RECRUITING",
    "COMPLETED",
    "ENROLLING_BY_INVITATION",
    "NOT_YET_RECRUITING",
    "RECRUITING",
    "SUSPENDED",
    "TERMINATED",
    "WITHDRAWN",
];

// ---------------------------------------------------------------------------------------------
// Dates, as a month count (year * 12 + month - 1) plus an optional day.

/// The generator's "today": December 2025 (fixed, so output does not depend on the clock).
const NOW: i64 = 2025 * 12 + 11;

fn ym(months: i64) -> (i64, i64) {
    (months.div_euclid(12), months.rem_euclid(12) + 1)
}

fn day_date(months: i64, day: i64) -> String {
    let (y, m) = ym(months);
    format!("{y:04}-{m:02}-{day:02}")
}

fn month_date(months: i64) -> String {
    let (y, m) = ym(months);
    format!("{y:04}-{m:02}")
}

fn date_struct(date: String, kind: Option<&str>) -> J {
    let mut pairs = vec![("date", J::s(date))];
    if let Some(kind) = kind {
        pairs.push(("type", J::s(kind)));
    }
    J::obj(pairs)
}

// ---------------------------------------------------------------------------------------------
// The generator

struct Generator {
    templates: Vec<Template>,
    rng: Rng,
    id_offset: u64,
}

impl Generator {
    fn new(templates: Vec<Template>, seed: u64) -> Generator {
        let mut rng = Rng::new(seed);
        let id_offset = rng.below(MAX_STUDIES);
        Generator { templates, rng, id_offset }
    }

    /// The i-th id: a permutation of 0..10^7 (multiplier coprime with 10), so ids never repeat.
    fn nct_id(&self, i: u64) -> String {
        let n = (i.wrapping_mul(6_180_339).wrapping_add(self.id_offset)) % MAX_STUDIES;
        format!("NCT9{n:07}")
    }

    fn study(&mut self, i: u64) -> Result<(String, J)> {
        let id = self.nct_id(i);
        let rng = &mut self.rng;
        let at = rng.below(self.templates.len() as u64) as usize;
        let template = self.templates.get(at).ok_or_else(|| anyhow!("template index out of range"))?;
        let mut study = template.base.clone();
        let expanded_access = template.study_type == "EXPANDED_ACCESS";
        let interventional = template.study_type == "INTERVENTIONAL";

        // Status
        let table = if expanded_access { EA_STATUSES } else { STATUSES };
        let status = *rng.weighted(table).ok_or_else(|| anyhow!("empty status table"))?;
        let keep_results =
            matches!(status, "COMPLETED" | "TERMINATED") && study.get("resultsSection").is_some();
        if !keep_results {
            study.remove("resultsSection");
            study.set("hasResults", J::Bool(false));
        }

        let protocol = study
            .get_mut("protocolSection")
            .ok_or_else(|| anyhow!("{}: no protocolSection", template.name))?;

        // Identification: id, titles, acronym, organisation
        let sponsor = if rng.chance(60) { rng.pick(SPONSORS).copied() } else { None };
        if let Some(ident) = protocol.get_mut("identificationModule") {
            ident.set("nctId", J::s(id.as_str()));
            let brief = ident.get("briefTitle").and_then(J::as_str).unwrap_or("Study").to_string();
            let adjective = rng.pick(ADJECTIVES).copied().unwrap_or("Pilot");
            let population = rng.pick(POPULATIONS).copied().unwrap_or("Adults");
            let codename = rng.pick(CODENAMES).copied().unwrap_or("NOVA");
            let new_brief = match rng.below(4) {
                0 => format!("{adjective} {brief}"),
                1 => format!("{brief} in {population}"),
                2 => format!("{adjective} {brief} in {population}"),
                _ => format!("{brief} ({codename})"),
            };
            ident.set("briefTitle", J::s(new_brief));
            if let Some(official) = ident.get("officialTitle").and_then(J::as_str).map(str::to_string) {
                let number = rng.range(1, 9);
                ident.set("officialTitle", J::s(format!("{codename}-{number}: {official}")));
            }
            if ident.get("acronym").is_some() || rng.chance(30) {
                let acronym = J::s(format!("{codename}-{}", rng.range(1, 9)));
                ident.set("acronym", acronym);
            }
            ident.set(
                "orgStudyIdInfo",
                J::obj(vec![("id", J::s(format!("GEN-{}", id.get(3..).unwrap_or(""))))]),
            );
            if let Some((name, class)) = sponsor {
                ident.set("organization", J::obj(vec![("fullName", J::s(name)), ("class", J::s(class))]));
            }
        }

        // Status module, rebuilt in the registry's key order
        if let Some(old) = protocol.get_mut("statusModule") {
            *old = status_module(rng, old, status, keep_results);
        }

        // Sponsor
        if let Some((name, class)) = sponsor
            && let Some(lead) = protocol.path_mut(&["sponsorCollaboratorsModule", "leadSponsor"])
        {
            *lead = J::obj(vec![("name", J::s(name)), ("class", J::s(class))]);
        }

        // Conditions (and their MeSH terms in the derived section)
        let mut new_meshes = None;
        if rng.chance(55) {
            let n = rng.range(1, 3) as usize;
            let mut chosen: Vec<&(&str, &str, &str)> = Vec::new();
            while chosen.len() < n {
                if let Some(c) = rng.pick(CONDITIONS)
                    && !chosen.iter().any(|x| x.0 == c.0)
                {
                    chosen.push(c);
                }
            }
            if let Some(module) = protocol.get_mut("conditionsModule") {
                module.set("conditions", J::Arr(chosen.iter().map(|c| J::s(c.0)).collect()));
            }
            new_meshes = Some(J::Arr(
                chosen.iter().map(|c| J::obj(vec![("id", J::s(c.1)), ("term", J::s(c.2))])).collect(),
            ));
        }

        // Design: phases and enrollment
        if let Some(design) = protocol.get_mut("designModule") {
            if interventional {
                let phases = rng.weighted(PHASES).copied().unwrap_or(NA_PHASE);
                design.set("phases", J::Arr(phases.iter().map(|p| J::s(*p)).collect()));
            }
            if let Some(enrollment) = design.get_mut("enrollmentInfo") {
                let count = if status == "WITHDRAWN" {
                    0
                } else {
                    // log-uniform between 10 and ~20,000
                    let exp = rng.range(100, 430) as f64 / 100.0;
                    10f64.powf(exp).round() as i64
                };
                let kind = match status {
                    "RECRUITING" | "NOT_YET_RECRUITING" | "ENROLLING_BY_INVITATION" | "UNKNOWN" => {
                        "ESTIMATED"
                    }
                    _ => "ACTUAL",
                };
                *enrollment = J::obj(vec![("count", J::Num(count.to_string())), ("type", J::s(kind))]);
            }
        }

        // Locations: an order-preserving random subset of the template's
        if !template.locations.is_empty() {
            let total = template.locations.len();
            let want = if total <= 3 || rng.chance(2) {
                total
            } else {
                (rng.range(1, total.min(60) as i64) as usize).min(total)
            };
            let mut picked = Vec::with_capacity(want);
            let mut needed = want;
            for (seen, location) in template.locations.iter().enumerate() {
                let left = total - seen;
                if needed > 0 && rng.below(left as u64) < needed as u64 {
                    let mut location = location.clone();
                    if location.get("status").is_some() && status != "RECRUITING" {
                        if LOCATION_STATUSES.contains(&status) {
                            location.set("status", J::s(status));
                        } else {
                            location.remove("status");
                        }
                    }
                    picked.push(location);
                    needed -= 1;
                }
            }
            if let Some(module) = protocol.get_mut("contactsLocationsModule") {
                module.set("locations", J::Arr(picked));
            }
        }

        if let Some(meshes) = new_meshes
            && let Some(derived) = study.get_mut("derivedSection")
        {
            derived.set("conditionBrowseModule", J::obj(vec![("meshes", meshes)]));
        }
        Ok((id, study))
    }
}

fn status_module(rng: &mut Rng, old: &J, status: &str, with_results: bool) -> J {
    // Which phase of life the study is in decides where its dates fall relative to NOW.
    let past = matches!(
        status,
        "COMPLETED"
            | "TERMINATED"
            | "WITHDRAWN"
            | "UNKNOWN"
            | "NO_LONGER_AVAILABLE"
            | "APPROVED_FOR_MARKETING"
    );
    let future = status == "NOT_YET_RECRUITING";
    let (start, primary, completion) = if past {
        let start = rng.range(2000 * 12, NOW - 30);
        let primary = (start + rng.range(6, 72)).min(NOW - 4);
        let completion = (primary + rng.range(0, 18)).min(NOW - 2);
        (start, primary, completion)
    } else if future {
        let start = NOW + rng.range(1, 9);
        let primary = start + rng.range(12, 48);
        (start, primary, primary + rng.range(0, 24))
    } else {
        let start = rng.range(NOW - 96, NOW - 1);
        let primary = NOW + rng.range(1, 48);
        (start, primary, primary + rng.range(0, 24))
    };
    let submitted = if future { NOW - rng.range(0, 3) } else { start - rng.range(0, 4) };
    let submit_day = rng.range(1, 20);
    let post_day = submit_day + rng.range(2, 8);
    let last_update = if past && status != "UNKNOWN" {
        (completion + rng.range(1, 8)).min(NOW)
    } else if status == "UNKNOWN" {
        (start + rng.range(6, 36)).min(completion).max(submitted + 1)
    } else {
        (NOW - rng.range(0, 6)).max(submitted + 1)
    };
    let update_day = rng.range(1, 22);
    let results = with_results.then(|| ((completion + rng.range(6, 12)).min(NOW), rng.range(1, 20)));
    let last_update = match results {
        Some((month, _)) => last_update.max(month),
        None => last_update,
    };
    let estimated_ends = !past || status == "UNKNOWN";
    let partial = |rng: &mut Rng, months: i64| {
        if rng.chance(50) { month_date(months) } else { day_date(months, rng.range(1, 28)) }
    };
    let post_type = |months: i64| if months < 2017 * 12 { "ESTIMATED" } else { "ACTUAL" };

    let mut pairs: Vec<(&str, J)> =
        vec![("statusVerifiedDate", J::s(month_date(last_update))), ("overallStatus", J::s(status))];
    if status == "UNKNOWN" {
        let last_known =
            ["RECRUITING", "ACTIVE_NOT_RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION"];
        pairs.push(("lastKnownStatus", J::s(*rng.pick(&last_known).unwrap_or(&"RECRUITING"))));
    }
    if matches!(status, "TERMINATED" | "WITHDRAWN" | "SUSPENDED") {
        pairs.push(("whyStopped", J::s(*rng.pick(WHY_STOPPED).unwrap_or(&"Sponsor decision"))));
    }
    let expanded = old
        .get("expandedAccessInfo")
        .cloned()
        .unwrap_or_else(|| J::obj(vec![("hasExpandedAccess", J::Bool(false))]));
    pairs.push(("expandedAccessInfo", expanded));
    if old.get("startDateStruct").is_some() {
        let kind = if start <= NOW && !future { "ACTUAL" } else { "ESTIMATED" };
        pairs.push(("startDateStruct", date_struct(partial(rng, start), Some(kind))));
    }
    let end_kind = if estimated_ends { "ESTIMATED" } else { "ACTUAL" };
    if old.get("primaryCompletionDateStruct").is_some() {
        pairs.push(("primaryCompletionDateStruct", date_struct(partial(rng, primary), Some(end_kind))));
    }
    if old.get("completionDateStruct").is_some() {
        pairs.push(("completionDateStruct", date_struct(partial(rng, completion), Some(end_kind))));
    }
    pairs.push(("studyFirstSubmitDate", J::s(day_date(submitted, submit_day))));
    pairs.push(("studyFirstSubmitQcDate", J::s(day_date(submitted, submit_day + rng.range(0, 1)))));
    pairs.push((
        "studyFirstPostDateStruct",
        date_struct(day_date(submitted, post_day), Some(post_type(submitted))),
    ));
    if let Some((results, day)) = results {
        pairs.push(("resultsFirstSubmitDate", J::s(day_date(results, day))));
        pairs.push(("resultsFirstSubmitQcDate", J::s(day_date(results, day + rng.range(0, 5)))));
        pairs.push(("resultsFirstPostDateStruct", date_struct(day_date(results, day + 6), Some("ACTUAL"))));
    }
    pairs.push(("lastUpdateSubmitDate", J::s(day_date(last_update, update_day))));
    pairs.push((
        "lastUpdatePostDateStruct",
        date_struct(day_date(last_update, update_day + 3), Some(post_type(last_update))),
    ));
    J::obj(pairs)
}

// ---------------------------------------------------------------------------------------------
// Output

enum Sink {
    Dir { root: PathBuf, made: HashSet<String> },
    Zip { zip: Box<zip::ZipWriter<BufWriter<File>>>, options: zip::write::SimpleFileOptions },
    Array { out: BufWriter<File>, first: bool },
    Ndjson { out: BufWriter<File> },
}

fn create_file(path: &Path) -> Result<BufWriter<File>> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

impl Sink {
    fn create(layout: Layout, out: &Path) -> Result<Sink> {
        Ok(match layout {
            Layout::Dir => {
                fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
                Sink::Dir { root: out.to_path_buf(), made: HashSet::new() }
            }
            Layout::Zip => {
                let stamp = zip::DateTime::from_date_and_time(2025, 12, 1, 0, 0, 0)
                    .map_err(|e| anyhow!("zip timestamp: {e:?}"))?;
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated)
                    .last_modified_time(stamp)
                    .unix_permissions(0o644);
                Sink::Zip { zip: Box::new(zip::ZipWriter::new(create_file(out)?)), options }
            }
            Layout::Array => {
                let mut out = create_file(out)?;
                out.write_all(b"[\n")?;
                Sink::Array { out, first: true }
            }
            Layout::Ndjson => Sink::Ndjson { out: create_file(out)? },
        })
    }

    fn write(&mut self, id: &str, study: &J, buf: &mut String) -> Result<()> {
        match self {
            Sink::Dir { root, made } => {
                let folder = id.get(..7).unwrap_or(id);
                let dir = root.join(folder);
                if !made.contains(folder) {
                    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                    made.insert(folder.to_string());
                }
                study.write(buf, Some(0));
                buf.push('\n');
                let path = dir.join(format!("{id}.json"));
                fs::write(&path, buf.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
            }
            Sink::Zip { zip, options } => {
                study.write(buf, Some(0));
                buf.push('\n');
                zip.start_file(format!("{id}.json"), *options)
                    .with_context(|| format!("zip entry {id}.json"))?;
                zip.write_all(buf.as_bytes()).with_context(|| format!("zip entry {id}.json"))?;
            }
            Sink::Array { out, first } => {
                if !*first {
                    out.write_all(b",\n")?;
                }
                *first = false;
                study.write(buf, None);
                out.write_all(buf.as_bytes())?;
            }
            Sink::Ndjson { out } => {
                study.write(buf, None);
                buf.push('\n');
                out.write_all(buf.as_bytes())?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Dir { .. } => {}
            Sink::Zip { zip, .. } => {
                let mut inner = zip.finish().context("finishing zip")?;
                inner.flush()?;
            }
            Sink::Array { mut out, first } => {
                out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
                out.flush()?;
            }
            Sink::Ndjson { mut out } => out.flush()?,
        }
        Ok(())
    }
}
