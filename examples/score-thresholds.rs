//! Scores `study::threshold::find` against the hand-written key (tests/keys/thresholds.tsv):
//! finds each keyed item's text in the sample studies, runs `find` on it, and prints the misses,
//! the extras, recall and precision. With `--speed`, also times `find` over every line of every
//! sample study's criteria.
//!
//!   cargo run --example score-thresholds -- [SAMPLES_DIR] [--key FILE] [--speed] [--quiet]
//!   cargo run --example score-thresholds -- [SAMPLES_DIR] --show NCT_ID   (each item and what is found)
//!
//! A found threshold is right when its `what`, comparator and value (or low and high) match the
//! key's; units are compared loosely and reported apart.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use nct::study::threshold::{Comparator, Threshold, find};

struct Expected {
    what: String,
    cmp: Comparator,
    value: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    unit: Option<String>,
}

fn main() -> ExitCode {
    // ../shared from the main checkout, ../../shared from a worktree under wt/
    let mut samples = ["../shared/samples", "../../shared/samples"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_dir())
        .unwrap_or_else(|| PathBuf::from("../shared/samples"));
    let mut key = PathBuf::from("tests/keys/thresholds.tsv");
    let mut speed = false;
    let mut quiet = false;
    let mut show = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--speed" => speed = true,
            "--quiet" => quiet = true,
            "--show" => match args.next() {
                Some(id) => show.push(id),
                None => return fail("--show needs a study id"),
            },
            "--key" => match args.next() {
                Some(k) => key = PathBuf::from(k),
                None => return fail("--key needs a file"),
            },
            other => samples = PathBuf::from(other),
        }
    }
    let studies = samples.join("studies");
    if !show.is_empty() {
        for id in &show {
            match criteria_of(&studies, id) {
                Ok(c) => {
                    for item in c.lines().map(render).filter(|l| !l.is_empty()) {
                        println!("{item}");
                        for t in find(&item) {
                            println!("    => {}", show_found(&t));
                        }
                    }
                }
                Err(e) => return fail(&e),
            }
        }
        return ExitCode::SUCCESS;
    }
    let key_text = match std::fs::read_to_string(&key) {
        Ok(t) => t,
        Err(e) => {
            return fail(&format!(
                "{}: {e}; run from the repository's root or pass --key FILE",
                key.display()
            ));
        }
    };
    let (mut expected_n, mut found_n, mut matched_n, mut unit_agree, mut unit_compared) = (0, 0, 0, 0, 0);
    let (mut items, mut items_without, mut clean_without) = (0, 0, 0);
    let mut studies_seen = std::collections::BTreeSet::new();
    for (line_no, line) in key_text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("nct\t") || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(id), Some(words), Some(expect)) = (cols.next(), cols.next(), cols.next()) else {
            return fail(&format!("{}:{}: expected 3 tab-separated columns", key.display(), line_no + 1));
        };
        let expected = match parse_expected(expect) {
            Ok(e) => e,
            Err(e) => return fail(&format!("{}:{}: {e}", key.display(), line_no + 1)),
        };
        let item = match item_text(&studies, id, words) {
            Ok(t) => t,
            Err(e) => return fail(&format!("{}:{}: {e}", key.display(), line_no + 1)),
        };
        items += 1;
        studies_seen.insert(id.to_string());
        let found = find(&item);
        expected_n += expected.len();
        found_n += found.len();
        let mut used = vec![false; found.len()];
        let mut misses = Vec::new();
        for e in &expected {
            let hit = found
                .iter()
                .enumerate()
                .position(|(k, f)| !used.get(k).copied().unwrap_or(true) && same(e, f));
            match hit {
                Some(k) => {
                    if let Some(u) = used.get_mut(k) {
                        *u = true;
                    }
                    matched_n += 1;
                    if let (Some(eu), Some(f)) = (&e.unit, found.get(k)) {
                        unit_compared += 1;
                        if f.unit.as_deref().is_some_and(|fu| loose_unit(fu) == loose_unit(eu)) {
                            unit_agree += 1;
                        }
                    }
                }
                None => misses.push(show_expected(e)),
            }
        }
        if expected.is_empty() {
            items_without += 1;
            if found.is_empty() {
                clean_without += 1;
            }
        }
        let extras: Vec<String> =
            found.iter().zip(&used).filter(|(_, u)| !**u).map(|(f, _)| show_found(f)).collect();
        if !quiet && (!misses.is_empty() || !extras.is_empty()) {
            println!("{id} \"{words}\"");
            for m in misses {
                println!("    missed  {m}");
            }
            for x in extras {
                println!("    extra   {x}");
            }
        }
    }
    let pct = |a: usize, b: usize| if b == 0 { 100.0 } else { 100.0 * a as f64 / b as f64 };
    println!(
        "key: {items} items from {} studies ({} with thresholds, {items_without} without)",
        studies_seen.len(),
        items - items_without
    );
    println!(
        "thresholds: {expected_n} expected, {found_n} found, {matched_n} right; recall {:.1}%, precision {:.1}%",
        pct(matched_n, expected_n),
        pct(matched_n, found_n)
    );
    println!("items without thresholds left without: {clean_without} of {items_without}");
    println!("units agreeing (loosely) where the key gives one: {unit_agree} of {unit_compared}");
    if speed && let Err(e) = time_all(&studies) {
        return fail(&e);
    }
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("score-thresholds: {message}");
    ExitCode::from(2)
}

fn parse_expected(text: &str) -> Result<Vec<Expected>, String> {
    let text = text.trim();
    if text == "-" {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for part in text.split("; ") {
        let words: Vec<&str> = part.split_whitespace().collect();
        let at = words
            .iter()
            .position(|w| matches!(*w, ">=" | "<=" | ">" | "<" | "=" | "between"))
            .ok_or_else(|| format!("no comparator in {part:?}"))?;
        let what = words.get(..at).unwrap_or(&[]).join(" ");
        let cmp = match words.get(at).copied() {
            Some(">=") => Comparator::AtLeast,
            Some("<=") => Comparator::AtMost,
            Some(">") => Comparator::Above,
            Some("<") => Comparator::Below,
            Some("=") => Comparator::Equal,
            _ => Comparator::Between,
        };
        let number = words.get(at + 1).ok_or_else(|| format!("no value in {part:?}"))?;
        let unit = {
            let rest = words.get(at + 2..).unwrap_or(&[]).join(" ");
            if rest.is_empty() { None } else { Some(rest) }
        };
        let parse = |s: &str| s.parse::<f64>().map_err(|_| format!("{s:?} is not a number in {part:?}"));
        let (value, low, high) = if cmp == Comparator::Between {
            let (a, b) = number.split_once('-').ok_or_else(|| format!("a range is low-high in {part:?}"))?;
            (None, Some(parse(a)?), Some(parse(b)?))
        } else {
            (Some(parse(number)?), None, None)
        };
        out.push(Expected { what, cmp, value, low, high, unit });
    }
    Ok(out)
}

/// The text of the item of study `id` whose words start with `words`, rendered as the criteria
/// tree renders it: label and list marker off, backslash escapes removed.
fn item_text(studies: &Path, id: &str, words: &str) -> Result<String, String> {
    let path = studies.join(format!("{id}.json"));
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("{}: {e}; pass the samples folder as the first argument", path.display()))?;
    let record: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    let criteria = record
        .pointer("/protocolSection/eligibilityModule/eligibilityCriteria")
        .and_then(|c| c.as_str())
        .ok_or_else(|| format!("{}: no eligibilityCriteria", path.display()))?;
    let want = normalize(words);
    criteria
        .lines()
        .map(render)
        .find(|item| normalize(item).starts_with(&want))
        .ok_or_else(|| format!("{id}: no criterion item starts with {words:?}"))
}

/// The eligibility criteria text of study `id` in the samples.
fn criteria_of(studies: &Path, id: &str) -> Result<String, String> {
    let path = studies.join(format!("{id}.json"));
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("{}: {e}; pass the samples folder as the first argument", path.display()))?;
    let record: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    record
        .pointer("/protocolSection/eligibilityModule/eligibilityCriteria")
        .and_then(|c| c.as_str())
        .map(str::to_string)
        .ok_or_else(|| format!("{}: no eligibilityCriteria", path.display()))
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One line of the registry's markup as the item's text: indentation, the list marker and the
/// registry's own label off, backslash escapes removed.
fn render(line: &str) -> String {
    let mut s = line.trim_start();
    for marker in ["* ", "- ", "• ", "+ "] {
        if let Some(rest) = s.strip_prefix(marker) {
            s = rest.trim_start();
            break;
        }
    }
    s = strip_label(s);
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// "1.", "12)", "(3)", "a.", "b)", "ii.", "iv)": the label before the item's words.
fn strip_label(s: &str) -> &str {
    let (open, rest) = match s.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let head: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let is_label = !head.is_empty()
        && (head.chars().all(|c| c.is_ascii_digit())
            || (head.len() == 1 && head.chars().all(|c| c.is_ascii_lowercase()))
            || head.chars().all(|c| matches!(c, 'i' | 'v' | 'x')));
    if !is_label {
        return s;
    }
    let after = rest.get(head.len()..).unwrap_or("");
    let after = match after.chars().next() {
        Some('.') | Some(')') if !open || after.starts_with(')') => after.get(1..).unwrap_or(""),
        _ => return s,
    };
    if after.starts_with(' ') { after.trim_start() } else { s }
}

fn same(e: &Expected, f: &Threshold) -> bool {
    let eq = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < 1e-6,
        (None, None) => true,
        _ => false,
    };
    e.what.eq_ignore_ascii_case(&f.what)
        && e.cmp == f.comparator
        && eq(e.value, f.value)
        && eq(e.low, f.low)
        && eq(e.high, f.high)
}

/// Units compared loosely: case, spaces, signs for "times", micro and powers, plurals, and every
/// way of writing the upper limit of normal.
fn loose_unit(unit: &str) -> String {
    let u = unit.to_lowercase();
    if u.contains("uln") || u.contains("unl") || u.contains("upper") || u.contains("normal") {
        return "xuln".into();
    }
    let mut s: String = u
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '^')
        .map(|c| match c {
            '×' | '*' => 'x',
            'µ' | 'μ' => 'u',
            '²' => '2',
            '³' => '3',
            '⁹' => '9',
            c => c,
        })
        .collect();
    for (from, to) in [
        ("microliter", "ul"),
        ("mcl", "ul"),
        ("minute", "min"),
        ("msec", "ms"),
        ("kgs", "kg"),
        ("gm/", "g/"),
        ("10⁹", "109"),
    ] {
        s = s.replace(from, to);
    }
    match s.as_str() {
        "years" | "year" | "yrs" | "yr" | "y" => "year".into(),
        "months" | "month" | "mo" => "month".into(),
        "weeks" | "week" | "wk" | "wks" => "week".into(),
        "days" | "day" | "d" => "day".into(),
        _ => s,
    }
}

fn show_expected(e: &Expected) -> String {
    let v = match (e.value, e.low, e.high) {
        (Some(v), _, _) => format!("{v}"),
        (None, Some(l), Some(h)) => format!("{l}-{h}"),
        _ => "?".into(),
    };
    format!("{} {} {v} {}", e.what, cmp_str(e.cmp), e.unit.as_deref().unwrap_or("")).trim_end().to_string()
}

fn show_found(f: &Threshold) -> String {
    let v = match (f.value, f.low, f.high) {
        (Some(v), _, _) => format!("{v}"),
        (None, Some(l), Some(h)) => format!("{l}-{h}"),
        _ => "?".into(),
    };
    format!("{} {} {v} {}   [{}]", f.what, cmp_str(f.comparator), f.unit.as_deref().unwrap_or(""), f.text)
}

fn cmp_str(c: Comparator) -> &'static str {
    match c {
        Comparator::AtLeast => ">=",
        Comparator::AtMost => "<=",
        Comparator::Above => ">",
        Comparator::Below => "<",
        Comparator::Equal => "=",
        Comparator::Between => "between",
    }
}

/// `find` over every line of every sample study's criteria: lines a second.
fn time_all(studies: &Path) -> Result<(), String> {
    let mut lines = Vec::new();
    let entries = std::fs::read_dir(studies).map_err(|e| format!("{}: {e}", studies.display()))?;
    for entry in entries.flatten() {
        let Ok(bytes) = std::fs::read(entry.path()) else { continue };
        let Ok(record) = serde_json::from_slice::<serde_json::Value>(&bytes) else { continue };
        if let Some(c) =
            record.pointer("/protocolSection/eligibilityModule/eligibilityCriteria").and_then(|c| c.as_str())
        {
            lines.extend(c.lines().map(render).filter(|l| !l.is_empty()));
        }
    }
    let bytes: usize = lines.iter().map(String::len).sum();
    let rounds = 5;
    let mut found = 0;
    let start = Instant::now();
    for _ in 0..rounds {
        for line in &lines {
            found += find(line).len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let per_sec = (rounds * lines.len()) as f64 / secs;
    println!(
        "speed: {} items ({:.1} MB) x {rounds} in {:.3} s: {:.0} items/s, {:.1} µs/item, {:.0} MB/s; {} thresholds a round",
        lines.len(),
        bytes as f64 / 1e6,
        secs,
        per_sec,
        1e6 / per_sec,
        (rounds * bytes) as f64 / 1e6 / secs,
        found / rounds
    );
    Ok(())
}
