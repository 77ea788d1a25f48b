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

mod generator;
mod json;
mod output;
mod rng;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use generator::{Generator, load_templates};
use output::Sink;

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
