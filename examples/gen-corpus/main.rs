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
//! * `zip`: `OUT` is a zip of one `NCTxxxxxxxx.json` per study at the top level, made like the
//!   registry's `ctg-studies.json.zip`: compact JSON without a final newline, deflated at the
//!   normal level, MS-DOS attributes, no extra fields (zip64 end records past 65,535 entries);
//! * `array`: `OUT` is one JSON array (one compact study per line);
//! * `ndjson`: `OUT` has one compact study per line.
//!
//! For every generated study the generator varies the `nctId` (unique, in the `NCT9xxxxxxx` range so
//! it never clashes with a real record), the titles and acronym (mixing in words from a small
//! built-in vocabulary so that search has something to find), `overallStatus` (with a matching
//! `whyStopped` / `lastKnownStatus`), phases, all status dates, enrollment, conditions (with their
//! MeSH terms), sponsor and sites. Everything else, and the key order of the registry's records,
//! comes from the template.
//!
//! Studies are then grown to the registry's sizes (`grow`, `sites`, `results`), since the
//! templates are 3 to 9 KB and real records average about 19 KB: longer summaries and
//! descriptions, more eligibility criteria, outcomes, arms, keywords and references written
//! from vocabularies (`prose`), the MeSH browse lists, sites (none to hundreds, 1 in 500 with
//! 1,000 or more), and posted results on about one completed or terminated study in five. 1 in
//! 2,000 is a completed trial with a dozen or more dose cohorts whose results pass 1 MB. With the
//! bundled templates a corpus comes out at about 17 KB a study on average (median about 10 KB),
//! and its zip at about 4.7 KB a study (3.6:1; the registry's is about 4:1).
//!
//! The output is deterministic for a given `--seed` (default 1): each study has its own random
//! generator, seeded from the seed and its index, so studies are built and compressed in parallel
//! and written in order, the same bytes whatever the number of threads. It is written as it is
//! built, a batch of studies at a time, so `N` may be the size of the whole registry (600,000:
//! about 10 GB of JSON, a 2.8 GB zip, a few minutes on two cores).
//! `N` is at most 10,000,000 (the size of the `NCT9xxxxxxx` id space).
//!
//! With `--edits E`, OUT is a folder and gets a snapshot pair for `nct diff` instead (see
//! `pair`): `OUT/old.zip` and `OUT/new.zip` (or `old/` and `new/`, …) of the same N studies, NEW
//! with E of them edited, about E/10 removed and as many added, and `OUT/truth.json`, the diff
//! they must give, in the JSON of `nct diff --format json`.
//!
//! At the end a size report goes to stderr: the number of studies, their total, mean, median and
//! largest size as compact JSON, how many are 1 MB or more and how many have 1,000 sites or more,
//! and the size of the output.

mod generator;
mod grow;
mod json;
mod output;
mod pair;
mod prose;
mod results;
mod rng;
mod sites;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use rayon::prelude::*;

use generator::{Generator, MAX_STUDIES, load_templates};
use output::{Encoded, Layout, Scratch, Sink, encode};

/// Building a study makes many small allocations (a tree of strings per record, cloned from
/// the templates); mimalloc, which `nct` itself uses, makes them much cheaper than the system
/// allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: gen-corpus N OUT --layout dir|zip|array|ndjson [--seed S] [--from DIR] [--edits E]

  N              number of studies to generate (0 to 10000000)
  OUT            output folder (dir) or file (zip, array, ndjson)
  --layout L     dir: OUT/NCT9123/NCT91234567.json, one pretty file per study
                 zip: a deflate zip of NCTxxxxxxxx.json files (like ctg-studies.json.zip)
                 array: one JSON array file; ndjson: one study per line
  --seed S       seed for the generator (unsigned integer, default 1)
  --from DIR     folder of template studies (*.json); default: the crate's assets/
  --edits E      a pair for `nct diff` in the folder OUT: old and new (E studies edited, about
                 E/10 removed and E/10 added) and truth.json, what the diff must report
  -h, --help     show this message";

// ---------------------------------------------------------------------------------------------
// Arguments

struct Args {
    count: u64,
    out: PathBuf,
    layout: Layout,
    seed: u64,
    from: Option<PathBuf>,
    edits: Option<u64>,
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
    let mut edits = None;
    let mut raw = raw;
    while let Some(arg) = raw.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Parsed::Help),
            "--layout" | "--seed" | "--from" | "--edits" => {
                let value = raw.next().ok_or_else(|| format!("{arg} needs a value"))?;
                match arg.as_str() {
                    "--layout" => layout = Some(parse_layout(&value)?),
                    "--seed" => {
                        seed = value
                            .parse()
                            .map_err(|_| format!("--seed: not an unsigned integer: {value:?}"))?
                    }
                    "--edits" => edits = Some(parse_edits(&value)?),
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
                        "--edits" => edits = Some(parse_edits(value)?),
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
    Ok(Parsed::Run(Args { count, out: PathBuf::from(out), layout, seed, from, edits }))
}

fn parse_edits(s: &str) -> std::result::Result<u64, String> {
    s.parse().map_err(|_| format!("--edits: not an unsigned integer: {s:?}"))
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
    let generator = Generator::new(templates, args.seed);
    if let Some(edits) = args.edits {
        let (added, removed, changed) = pair::write(&generator, args.count, edits, args.layout, &args.out)?;
        eprintln!(
            "gen-corpus: wrote a pair of {} studies to {} in {:.2}s: {changed} changed, {removed} removed, \
             {added} added (truth.json)",
            args.count,
            args.out.display(),
            started.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let mut sink = Sink::create(args.layout, &args.out)?;
    let mut report = Report::default();
    // Studies are built and encoded a batch at a time on every core, then written in order: the
    // batch bounds memory (a few studies are megabytes) whatever N is.
    let mut next = 0;
    while next < args.count {
        let end = args.count.min(next + BATCH);
        let batch: Vec<Result<(Encoded, usize)>> = (next..end)
            .into_par_iter()
            .map_init(Scratch::new, |scratch, i| {
                let generated = generator.study(i)?;
                let encoded = encode(args.layout, generated.id, &generated.study, scratch)?;
                Ok((encoded, generated.sites))
            })
            .collect();
        for built in batch {
            let (encoded, sites) = built?;
            sink.write(&encoded)?;
            report.add(&encoded, sites);
        }
        next = end;
    }
    let written = sink.finish()?;
    eprintln!(
        "gen-corpus: wrote {} studies to {} ({:?} layout, seed {}) in {:.2}s",
        args.count,
        args.out.display(),
        args.layout,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    report.print(args.layout, written);
    Ok(())
}

/// Studies built and encoded together; at about 20 KB a study, a batch is a few tens of MB.
const BATCH: u64 = 1024;

/// What the corpus looks like, to compare with the registry's figures (printed on stderr).
#[derive(Default)]
struct Report {
    /// Each study's size as compact JSON (4 bytes a study: 2.4 MB for the whole registry).
    sizes: Vec<u32>,
    total: u64,
    largest: Option<(u64, String)>,
    megabyte: u64,
    many_sites: u64,
}

impl Report {
    fn add(&mut self, study: &Encoded, sites: usize) {
        let size = study.compact_len;
        self.sizes.push(u32::try_from(size).unwrap_or(u32::MAX));
        self.total += size;
        if self.largest.as_ref().is_none_or(|(max, _)| size > *max) {
            self.largest = Some((size, study.id.clone()));
        }
        self.megabyte += u64::from(size >= 1 << 20);
        self.many_sites += u64::from(sites >= 1000);
    }

    fn print(mut self, layout: Layout, written: u64) {
        let n = self.sizes.len() as u64;
        if n == 0 {
            return;
        }
        self.sizes.sort_unstable();
        let median = self.sizes.get(self.sizes.len() / 2).copied().unwrap_or(0);
        let (max, max_id) = self.largest.unwrap_or_default();
        let kb = |bytes: u64| bytes as f64 / 1024.0;
        let mb = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        eprintln!(
            "gen-corpus: {n} studies, {:.1} MB of compact JSON: mean {:.1} KB, median {:.1} KB, \
             largest {:.1} KB ({max_id})",
            mb(self.total),
            kb(self.total / n),
            kb(u64::from(median)),
            kb(max),
        );
        eprintln!(
            "gen-corpus: {} studies of 1 MB or more (1 in {}), {} with 1,000 sites or more (1 in {})",
            self.megabyte,
            n.checked_div(self.megabyte).map_or("-".into(), |k| k.to_string()),
            self.many_sites,
            n.checked_div(self.many_sites).map_or("-".into(), |k| k.to_string()),
        );
        let what = match layout {
            Layout::Zip => format!(
                "zip of {:.1} MB, {:.1} KB a study, {:.1}:1",
                mb(written),
                kb(written / n),
                self.total as f64 / written.max(1) as f64
            ),
            Layout::Dir => format!("{:.1} MB in files (pretty-printed)", mb(written)),
            Layout::Array | Layout::Ndjson => format!("{:.1} MB", mb(written)),
        };
        eprintln!("gen-corpus: output: {what}");
    }
}
