//! The fuzz targets: one per parser, each called through the crate's public API the way `nct`
//! calls it, with its starting corpus (the project's own fixtures and studies plus small
//! hand-written seeds) and the tokens of its format.
//!
//! A target panics on a bug: the parsers are meant never to panic, and where a parser promises
//! more (a locator reads the same bytes again, a converted literal is JSON, a line fits its
//! width), the target checks that too.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use nct::source::{self, InputFileSeen, LoadError, RawStudy, Sink};
use nct::study::{eligibility, export, markup, threshold};
use unicode_width::UnicodeWidthStr;

use crate::runner::{Rng, Target, scratch_dir};

pub const TARGETS: &[Target] = &[
    Target {
        name: "study",
        about: "one study's JSON: catalog::parse_study, then the CSV row, criteria and summary",
        max_len: 64 * 1024,
        tokens: JSON_TOKENS,
        seeds: study_seeds,
        exec: study,
        special: None,
    },
    Target {
        name: "documents",
        about: "a file of any document format (object, array, API page, NDJSON, text export), read as nct reads a file",
        max_len: 64 * 1024,
        tokens: DOCUMENT_TOKENS,
        seeds: document_seeds,
        exec: documents,
        special: None,
    },
    Target {
        name: "export",
        about: "the text export: python_literal::export_to_json and to_json",
        max_len: 64 * 1024,
        tokens: LITERAL_TOKENS,
        seeds: export_seeds,
        exec: text_export,
        special: None,
    },
    Target {
        name: "zip",
        about: "a zip file, read as nct reads a file (inputs up to 64 KB)",
        max_len: 64 * 1024,
        tokens: ZIP_TOKENS,
        seeds: zip_seeds,
        exec: zip,
        special: Some(fresh_zip),
    },
    Target {
        name: "query",
        about: "the query language: query::parse and what the catalog asks of a query",
        max_len: 1024,
        tokens: QUERY_TOKENS,
        seeds: query_seeds,
        exec: query,
        special: None,
    },
    Target {
        name: "markup",
        about: "the registry's text markup: markup::parse, wrap and render at several widths",
        max_len: 4 * 1024,
        tokens: MARKUP_TOKENS,
        seeds: markup_seeds,
        exec: markup_text,
        special: None,
    },
    Target {
        name: "eligibility",
        about: "eligibility criteria: eligibility::split_criteria and present::criteria's laid-out lines",
        max_len: 4 * 1024,
        tokens: MARKUP_TOKENS,
        seeds: eligibility_seeds,
        exec: criteria,
        special: None,
    },
    Target {
        name: "thresholds",
        about: "thresholds in criteria: threshold::find on each line and on the whole text",
        max_len: 2 * 1024,
        tokens: THRESHOLD_TOKENS,
        seeds: eligibility_seeds,
        exec: thresholds,
        special: None,
    },
];

pub fn find(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

// --- executions --------------------------------------------------------------------------------

fn study(input: &[u8]) -> String {
    match nct::catalog::parse_study(input) {
        Ok(study) => format!("ok {}", study_shape(&study)),
        Err(reason) => reason.to_string(),
    }
}

/// Runs the helpers that take a parsed study's text apart, and says what kind of study it was.
fn study_shape(study: &nct::study::Study) -> String {
    let row = export::csv_row(study);
    let mut shape = format!("{} csv", bucket(row.iter().map(String::len).sum()));
    if let Some(protocol) = &study.protocol_section {
        if let Some(text) = &protocol.eligibility_module.eligibility_criteria {
            let criteria = eligibility::split_criteria(text);
            let (inclusion, exclusion) = criteria.count();
            shape.push_str(&format!(" criteria {} {}", bucket(inclusion), bucket(exclusion)));
            let _ = nct::present::criteria::text_lines(&criteria, 60);
        }
        if let Some(text) = &protocol.description_module.brief_summary {
            shape.push_str(&format!(" summary {}", bucket(markup::render(text, 60).len())));
        }
    }
    shape.push_str(&format!(" update {:?} results {:?}", study.last_update().is_some(), study.has_results));
    shape
}

fn documents(input: &[u8]) -> String {
    read_as_file("document", input)
}

fn zip(input: &[u8]) -> String {
    read_as_file("archive.zip", input)
}

/// Writes the input to a scratch file and reads it with `source::read_inputs`, as `nct` reads
/// a PATH; then parses each study as the catalog does and reads it again through its locator.
fn read_as_file(name: &str, input: &[u8]) -> String {
    let path = scratch_file(name);
    // The folder goes when the last run in the process ends; a later run makes it again.
    let written = std::fs::write(&path, input)
        .or_else(|_| std::fs::create_dir_all(scratch_dir()).and_then(|()| std::fs::write(&path, input)));
    if let Err(e) = written {
        // Not the parser's fault: the run cannot go on meaningfully.
        eprintln!("fuzz: cannot write the scratch file {}: {e}", path.display());
        std::process::exit(2);
    }
    let collected = Collected::default();
    source::read_inputs(std::slice::from_ref(&path), &collected);
    let studies = collected.studies.into_inner().unwrap_or_default();
    let mut parsed = 0;
    let mut outcomes = Vec::new();
    for raw in &studies {
        match nct::catalog::parse_study(&raw.json) {
            Ok(study) => {
                parsed += 1;
                let _ = study_shape(&study);
            }
            Err(reason) => outcomes.push(reason.to_string()),
        }
        let again = source::reread(&raw.locator);
        assert!(
            again.as_deref().is_ok_and(|bytes| bytes == &raw.json[..]),
            "reading {} again through its locator {:?} gives other bytes: {:?}",
            raw.origin,
            raw.locator,
            again.map(|b| String::from_utf8_lossy(&b).into_owned())
        );
    }
    let mut formats: Vec<&str> =
        collected.documents.into_inner().unwrap_or_default().iter().map(|d| d.format.key()).collect();
    formats.sort_unstable();
    formats.dedup();
    outcomes.extend(collected.failures.into_inner().unwrap_or_default().into_iter().map(|f| f.reason));
    outcomes.sort_unstable();
    outcomes.dedup();
    format!(
        "{} studies {} parsed {} | {}",
        formats.join(","),
        bucket(studies.len()),
        bucket(parsed),
        outcomes.join(" | ")
    )
}

#[derive(Default)]
struct Collected {
    studies: Mutex<Vec<RawStudy>>,
    failures: Mutex<Vec<LoadError>>,
    documents: Mutex<Vec<InputFileSeen>>,
}

impl Sink for Collected {
    fn study(&self, raw: RawStudy) {
        if let Ok(mut s) = self.studies.lock() {
            s.push(raw);
        }
    }

    fn failure(&self, error: LoadError) {
        if let Ok(mut f) = self.failures.lock() {
            f.push(error);
        }
    }

    fn input_file_seen(&self, seen: InputFileSeen) {
        if let Ok(mut d) = self.documents.lock() {
            d.push(seen);
        }
    }
}

/// A file in this process's scratch folder (one per target, so targets may run at once).
fn scratch_file(name: &str) -> PathBuf {
    scratch_dir().join(name)
}

fn text_export(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(input);
    let looks = source::python_literal::looks_like_export(input);
    let whole = source::python_literal::export_to_json(&text);
    let literal = source::python_literal::to_json(&text);
    for json in [&whole, &literal].into_iter().flatten() {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
            panic!("the literal converts to text that is not JSON ({e}): {json:?}");
        }
    }
    let parsed = match whole.as_ref().map(|json| nct::catalog::parse_study(json.as_bytes())) {
        Ok(Ok(study)) => study_shape(&study),
        Ok(Err(reason)) => reason.to_string(),
        Err(_) => String::new(),
    };
    let said = |r: &Result<String, source::python_literal::LiteralError>| match r {
        Ok(_) => "ok".to_string(),
        Err(e) => e.message.clone(),
    };
    format!("{looks} {} {} {parsed}", said(&whole), said(&literal))
}

fn query(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(input);
    let _ = nct::query::as_nct_id(&text);
    match nct::query::parse(&text) {
        Ok(query) => {
            let mut terms = Vec::new();
            let _ = query.highlight_terms();
            let _ = query.uses_bookmarks(false);
            let shape = match &query {
                nct::query::Query::Expr(expr) => {
                    let _ = (expr.answered_by_text(), expr.needs_text());
                    expr.text_terms(&mut terms);
                    expr_shape(expr)
                }
                other => format!("{other:?}").chars().take_while(|c| c.is_alphabetic()).collect(),
            };
            format!("ok {shape}")
        }
        Err(error) => {
            let chars = text.chars().count();
            assert!(
                error.column >= 1 && error.column <= chars + 1 && error.column - 1 + error.len <= chars + 1,
                "the error's place (column {}, {} long) is outside the {chars}-char query: {}",
                error.column,
                error.len,
                error.message
            );
            let _ = error.caret_line_under(&text);
            error.message
        }
    }
}

/// The tree of a query with its words left out: what kinds of node it has, and how nested.
fn expr_shape(expr: &nct::query::Expr) -> String {
    use nct::query::Expr;
    match expr {
        Expr::And(parts) | Expr::Or(parts) => {
            let kind = if matches!(expr, Expr::And(_)) { "and" } else { "or" };
            let inner: Vec<String> = parts.iter().take(4).map(expr_shape).collect();
            format!("{kind}({})", inner.join(","))
        }
        Expr::Not(inner) => format!("not({})", expr_shape(inner)),
        Expr::Text(term) => format!("text{:?}{}", term.field, if term.phrase { "\"" } else { "" }),
        Expr::Filter(filter) => format!("{filter:?}").chars().take_while(|c| c.is_alphanumeric()).collect(),
    }
}

/// Widths to lay text out at: 0 (treated as the narrowest), a narrow and a wide pane.
const WIDTHS: [usize; 3] = [0, 37, 100];

fn markup_text(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(input);
    let _ = markup::unescape(&text);
    let blocks = markup::parse(&text);
    let widest_marker = blocks
        .iter()
        .map(|b| match b {
            markup::Block::Item { marker: markup::Marker::Numbered(m), .. } => m.width(),
            markup::Block::Item { .. } => 1,
            markup::Block::Paragraph(_) => 0,
        })
        .max()
        .unwrap_or(0);
    for width in WIDTHS {
        let lines = markup::wrap(&blocks, width);
        let limit = width.max(markup::MIN_WIDTH);
        // The promise: no line wider than asked unless a marker is too wide for the line.
        if widest_marker < limit / 2 {
            for line in &lines {
                assert!(line.width() <= limit, "a line {} wide at width {limit}: {line:?}", line.width());
            }
        }
    }
    for line in text.lines().take(50) {
        let _ = markup::split_marker(line.trim_start());
    }
    let _ = markup::hanging(text.get(..text.len().min(512)).unwrap_or_default(), "(iv)", 3, 12);
    let items = blocks.iter().filter(|b| matches!(b, markup::Block::Item { .. })).count();
    let depth =
        blocks.iter().map(|b| if let markup::Block::Item { depth, .. } = b { *depth } else { 0 }).max();
    format!("blocks {} items {} depth {}", bucket(blocks.len()), bucket(items), bucket(depth.unwrap_or(0)))
}

fn criteria(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(input);
    let criteria = eligibility::split_criteria(&text);
    for width in WIDTHS {
        let layout = nct::present::criteria::Layout { width, spaced: true };
        let lines = nct::present::criteria::lines(&criteria, layout);
        let limit = width.max(markup::MIN_WIDTH);
        // Registered markers ("12.", "(b.ii)") fit in half of any line this wide.
        if limit >= 37 {
            for line in &lines {
                let text = line.plain();
                assert!(text.width() <= limit, "a line {} wide at width {limit}: {text:?}", text.width());
            }
        }
    }
    let _ = nct::present::criteria::text_lines(&criteria, 80);
    let (inclusion, exclusion) = criteria.count();
    let kinds: Vec<String> = criteria.sections.iter().take(6).map(|s| format!("{:?}", s.kind)).collect();
    for section in &criteria.sections {
        let _ = section.title();
    }
    format!("{} {} {} {}", kinds.join(","), bucket(inclusion), bucket(exclusion), criteria.is_empty())
}

/// A count as its order of magnitude, so outcomes differ by kind rather than by size; a letter,
/// since the runner blurs digits.
fn bucket(n: usize) -> char {
    char::from(b'a' + (usize::BITS - n.leading_zeros()) as u8)
}

// --- tokens ------------------------------------------------------------------------------------

#[rustfmt::skip]
const JSON_TOKENS: &[&[u8]] = &[
    b"{", b"}", b"[", b"]", b"\"", b":", b",", b"\\", b"\\u0000", b"\\ud800", b"\\udc00\\ud800", b"\\\"",
    b"null", b"true", b"false", b"-0", b"1e999", b"-1e999", b"18446744073709551616", b"-9223372036854775809",
    b"0.0000000000000000000000000000001", b"1E400", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3\x28", b"\n", b"\r\n",
    b"{\"a\":", b"[[[[[[[[", b"\"nctId\":", b"\"protocolSection\":", b"\"identificationModule\":",
    b"\"NCT01234567\"", b"\"studies\":", b"\"nextPageToken\":", b"\"date\":\"2015-04\"", b"\"2015-13-40\"",
    b"\"minimumAge\":\"18 Years\"", b"\"999999999999 Years\"", b"\"phases\":[\"PHASE9\"]",
    b"\"enrollmentInfo\":{\"count\":", b"\"eligibilityCriteria\":\"", b"\"locations\":[", b"\"hasResults\":",
    b"\"resultsSection\":{", b"\"overallStatus\":\"", b"\"statusModule\":{", b"\"designModule\":{",
];

#[rustfmt::skip]
const DOCUMENT_TOKENS: &[&[u8]] = &[
    b"{", b"}", b"[", b"]", b"\"", b":", b",", b"\\", b"\\u0000", b"\n", b"\r\n", b"\n\n", b"\xef\xbb\xbf",
    b"1e999", b"18446744073709551616", b"null", b"{\"studies\":[", b"],\"nextPageToken\":\"x\"}",
    b"\"totalCount\":", b"{\"protocolSection\":{\"identificationModule\":{\"nctId\":\"NCT00000001\"}}}",
    b"\"nctId\":", b"\"NCT01234567\"", b"Viewing Study NCT00000001\n", b"\nRaw JSON\n", b"'", b"True",
    b"None", b"\\x", b"\\u22", b"[[[[[[[[", b"{\"a\":{\"a\":{\"a\":", b"\x00", b"\xff", b"PK\x03\x04",
];

#[rustfmt::skip]
const LITERAL_TOKENS: &[&[u8]] = &[
    b"Viewing Study NCT02491658\n", b"Raw JSON", b"\nRaw JSON\n", b"{", b"}", b"[", b"]", b"(", b")", b"'", b"\"",
    b"''", b"'''", b":", b",", b"\\", b"\\x", b"\\xa0", b"\\xff", b"\\u", b"\\u2265", b"\\ud800", b"\\U0001f600",
    b"\\U00110000", b"\\N{BULLET}", b"\\'", b"\\\\", b"\\n", b"\\0", b"\\777", b"None", b"True", b"False", b"nan",
    b"inf", b"-inf", b"1e999", b"1_000", b"0x1f", b"-", b"18446744073709551616", b"b'", b"u'", b"r'", b"f'",
    b"'a' 'b'", b"{'a': ", b"[[[[[[[[", b"((((", b"\n", b"\r", b"\t", b"\xc3\xa9", b"\xff",
];

#[rustfmt::skip]
const ZIP_TOKENS: &[&[u8]] = &[
    b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07", b"PK\x07\x08", b"PK\x05\x05",
    b"\xff\xff\xff\xff", b"\xff\xff", b"\xff\xff\xff\xff\xff\xff\xff\xff", b"\xff\xff\xff\xff\xff\xff\xff\x7f",
    b"\x00\x00\x00\x00", b"\x01\x00", b"\x01\x00\x10\x00", b"\x01\x00\x1c\x00", b"\x08\x00", b"\x00\x00",
    b"\x14\x00", b"\x2d\x00", b"\x0e\x00", b"\x63\x00", b"\x01\x99\x07\x00", b"\x00\x08", b"\x09\x00",
    b"\x75\x70", b"\x55\x54", b"{", b"}", b"[", b"\"", b".json", b"/", b"../", b"__MACOSX/",
];

#[rustfmt::skip]
const QUERY_TOKENS: &[&[u8]] = &[
    b"\"", b"(", b")", b":", b"-", b" ", b"OR", b"AND", b"NOT", b"or", b"|", b"*", b"\\", b"'", b">", b"<", b">=",
    b"<=", b"=", b"..", b"NCT01234567", b"nct0", b"status:", b"phase:", b"type:", b"country:", b"sex:", b"age:",
    b"healthy:", b"results:", b"sponsor:", b"cond:", b"intr:", b"start:", b"city:", b"title:", b"updated:",
    b"completion:", b"starred:", b"recruiting", b"open", b"completed", b"1", b"2", b"3", b"1/2", b"early1", b"na",
    b"female", b"male", b"all", b"yes", b"no", b"2020", b"2020-13", b"2020-02-30", b"99999999999999999999",
    b"45", b"-1", b"18-65", b"18..65", b"interventional", b"observational", b"\xc3\xa9", b"\xe4\xb8\xad",
    b"\xcc\x81", b"\xef\xbc\x88", b"\t", b"\n", b"\x00",
];

#[rustfmt::skip]
const MARKUP_TOKENS: &[&[u8]] = &[
    b"\\", b"\\>=", b"\\<", b"\\^6", b"\\*", b"\\\\", b"*", b"**", b"***", b"_", b"* ", b"- ", b"+ ", b"\xe2\x80\xa2 ",
    b"1. ", b"1) ", b"12. ", b"a. ", b"iv) ", b"(2) ", b"1.2. ", b"99999999999999999999. ", b"  ", b"    ", b"\t",
    b"\n", b"\n\n", b"\r\n", b"\n  * ", b"\n    - ", b"\n1. ", b"Inclusion Criteria:", b"Exclusion Criteria:",
    b"INCLUSION CRITERIA", b"Key inclusion criteria:", b"Key Exclusion Criteria", b"Patient characteristics:",
    b"DISEASE CHARACTERISTICS:", b"For parent participants:", b"Inclusion Criteria:-", b"Exclusion Criteria:1.",
    b":", b".", b"\xe4\xb8\xad\xe6\x96\x87", b"\xcc\x81", b"\xe2\x80\x8b", b"\xf0\x9f\x98\x80", b"\x00", b"\x1b[",
];

/// Comparisons, numbers, units and measures as criteria write them.
const THRESHOLD_TOKENS: &[&[u8]] = &[
    "≥".as_bytes(),
    "≤".as_bytes(),
    b">=",
    b"=<",
    b">/=",
    b"&gt;",
    b"<",
    b">",
    b"=",
    b"at least ",
    b"no more than ",
    b"greater than or equal to ",
    b"less than (<) ",
    b"within ",
    b"in the past ",
    b"for at least ",
    b"washout of ",
    b"between ",
    b" and ",
    b" to ",
    b"-",
    "–".as_bytes(),
    b" or ",
    b"0 or 1",
    b"1,500",
    b"100 000",
    b"1.5",
    b"0",
    b"18",
    b"x 10^9/L",
    "×10⁹/L".as_bytes(),
    b"x 109/L",
    b"/mm3",
    b"g/dL",
    b"mL/min/1.73 m2",
    b"%",
    b" ms",
    b"kg/m2",
    b" x ULN",
    b" times the upper limit of normal",
    b" years",
    b" months",
    b"-weeks",
    b" days",
    b" of age",
    b" or older",
    b" since",
    b" prior to",
    b"ECOG ",
    b"AST/ALT ",
    b"ANC ",
    b"platelets ",
    b"blood pressure ",
    b"90/50 mmHg",
    b"age ",
    b"life expectancy ",
    b"(",
    b")",
    b"[",
    b"]",
    b";",
    b".",
    b",",
    b"\n",
    "₁".as_bytes(),
    b"\xcc\x81",
];

/// Runs the finder; each threshold's text is words of the input, and a range runs low to high.
fn thresholds(input: &[u8]) -> String {
    let text = String::from_utf8_lossy(input);
    let mut count = 0;
    for line in text.lines().take(200).chain(std::iter::once(text.as_ref())) {
        for t in threshold::find(line) {
            assert!(line.contains(&t.text), "{:?} is not in {line:?}", t.text);
            if let (Some(low), Some(high)) = (t.low, t.high) {
                assert!(low < high, "a range from {low} to {high} in {line:?}");
            }
            assert!(
                t.value.is_some() != (t.low.is_some() && t.high.is_some()),
                "value and range both or neither: {t:?}"
            );
            count += 1;
        }
    }
    format!("thresholds {}", bucket(count))
}

// --- seeds -------------------------------------------------------------------------------------

/// The project's own files: every study under `assets/` and `tests/fixtures/`.
fn project_files(keep: fn(&Path) -> bool) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut folders = vec![root.join("assets"), root.join("tests/fixtures")];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                folders.push(path);
            } else if keep(&path)
                && let Ok(bytes) = std::fs::read(&path)
            {
                files.push(bytes);
            }
        }
    }
    files
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

fn is_export(path: &Path) -> bool {
    path.to_string_lossy().ends_with("-export.txt")
}

/// A small study, written here: what mutations of a whole record start from most cheaply.
const SMALL_STUDY: &str = r#"{"protocolSection":{"identificationModule":{"nctId":"NCT00000001","briefTitle":"A small study"},"statusModule":{"overallStatus":"RECRUITING","startDateStruct":{"date":"2021-03"},"lastUpdatePostDateStruct":{"date":"2024-01-15","type":"ACTUAL"}},"designModule":{"studyType":"INTERVENTIONAL","phases":["PHASE2"],"enrollmentInfo":{"count":40,"type":"ESTIMATED"}},"eligibilityModule":{"eligibilityCriteria":"Inclusion Criteria:\n\n* Adults\n\nExclusion Criteria:\n\n* Pregnancy","sex":"ALL","minimumAge":"18 Years"},"contactsLocationsModule":{"locations":[{"facility":"General Hospital","city":"Lyon","country":"France"}]}},"hasResults":false}"#;

fn small_study(id: &str) -> String {
    SMALL_STUDY.replace("NCT00000001", id)
}

fn study_seeds() -> Vec<Vec<u8>> {
    let mut seeds = vec![
        SMALL_STUDY.as_bytes().to_vec(),
        br#"{"protocolSection":{"identificationModule":{"nctId":"NCT00000002"}}}"#.to_vec(),
        br#"{"protocolSection":{}}"#.to_vec(),
        br#"{"protocolSection":{"identificationModule":{"nctId":""}},"derivedSection":{}}"#.to_vec(),
        br#"{"hasResults":"true"}"#.to_vec(),
        b"[]".to_vec(),
    ];
    seeds.extend(project_files(is_json));
    seeds
}

fn document_seeds() -> Vec<Vec<u8>> {
    let (a, b) = (small_study("NCT00000001"), small_study("NCT00000002"));
    let mut seeds = vec![
        a.clone().into_bytes(),
        format!("[{a},\n{b}]").into_bytes(),
        format!("{{\"studies\":[{a},{b}],\"nextPageToken\":\"abc\",\"totalCount\":2}}").into_bytes(),
        format!("{{\"totalCount\":1,\"studies\":[{a}]}}").into_bytes(),
        format!("{a}\n{b}\n").into_bytes(),
        format!("{a}{b}").into_bytes(),
        format!("\u{feff}{a}\r\n\r\n{b}").into_bytes(),
        b"[]".to_vec(),
        b"{}".to_vec(),
        b"".to_vec(),
        b"\n\n".to_vec(),
        format!("Viewing Study NCT00000001\n\nRaw JSON\n\n{}\n", python_literal_of(&a)).into_bytes(),
        // Failures fuzzing found, kept as seeds: a text export with CRLF line ends, and an API
        // page with lone carriage returns whose studies must read back byte for byte.
        b"\r\nRaw JSON\n\"\"".to_vec(),
        format!("{{\"studies\":[{a},\r{b}]\r}}").into_bytes(),
    ];
    seeds.extend(project_files(|p| is_json(p) || is_export(p)));
    seeds
}

/// A JSON study written the way the text export writes it (a Python `repr` of the dict).
fn python_literal_of(json: &str) -> String {
    fn write(value: &serde_json::Value, out: &mut String) {
        use serde_json::Value;
        match value {
            Value::Null => out.push_str("None"),
            Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
            Value::Number(n) => out.push_str(&n.to_string()),
            Value::String(s) => {
                let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
                out.push(quote);
                for c in s.chars() {
                    match c {
                        '\n' => out.push_str("\\n"),
                        '\\' => out.push_str("\\\\"),
                        '\u{a0}' => out.push_str("\\xa0"),
                        c if c == quote => {
                            out.push('\\');
                            out.push(c);
                        }
                        c => out.push(c),
                    }
                }
                out.push(quote);
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write(item, out);
                }
                out.push(']');
            }
            Value::Object(map) => {
                out.push('{');
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write(&serde_json::Value::String(key.clone()), out);
                    out.push_str(": ");
                    write(item, out);
                }
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(json) {
        write(&value, &mut out);
    }
    out
}

fn export_seeds() -> Vec<Vec<u8>> {
    let mut seeds = vec![
        format!("Viewing Study NCT00000001\n\nRaw JSON\n\n{}\n", python_literal_of(SMALL_STUDY)).into_bytes(),
        b"Viewing Study NCT00000001\nRaw JSON\n{'a': [1, -2.5e3, True, False, None, (1, 2)], \"b'\": 'x\\xa0\\u2265\\'' 'y'}"
            .to_vec(),
        b"{'protocolSection': {'identificationModule': {'nctId': 'NCT00000003'}}}".to_vec(),
        b"Raw JSON\n".to_vec(),
        b"Viewing Study\n".to_vec(),
    ];
    seeds.extend(project_files(is_export));
    seeds
}

fn query_seeds() -> Vec<Vec<u8>> {
    [
        "",
        "psoriasis",
        "psoriasis phase:3",
        "NCT02491658",
        "nct02491658",
        "\"breast cancer\" -metastatic",
        "status:recruiting country:france",
        "(asthma OR copd) type:interventional",
        "sex:female age:45 healthy:yes",
        "results:yes sponsor:pfizer cond:diabetes intr:metformin",
        "start:>=2020 start:<2023-06",
        "status:open phase:1/2",
        "city:lyon -status:completed",
        "age:18-65",
        "phase:early1 OR phase:na",
        "-(a OR b) c",
        "non-small-cell lung",
        "starred:yes",
        "status:",
        "\"unclosed",
        "(",
        "a)",
        "OR",
        "country:\"united kingdom\"",
        "sponsor:\"national cancer institute\" start:2019..2021",
        "中文 é́",
    ]
    .iter()
    .map(|q| q.as_bytes().to_vec())
    .collect()
}

/// Free-text fields of the project's studies, by JSON key.
fn texts_of(keys: &[&str]) -> Vec<Vec<u8>> {
    fn walk(value: &serde_json::Value, keys: &[&str], out: &mut Vec<Vec<u8>>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    match item {
                        serde_json::Value::String(s) if keys.contains(&key.as_str()) => {
                            out.push(s.as_bytes().to_vec())
                        }
                        _ => walk(item, keys, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| walk(i, keys, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for file in project_files(is_json) {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&file) {
            walk(&value, keys, &mut out);
        }
    }
    out
}

const CRITERIA_SEEDS: &[&str] = &[
    "Inclusion Criteria:\n\n* Adults aged \\>= 18 years\n* BMI \\< 30 kg/m\\^2\n  * nested item\n\nExclusion Criteria:\n\n* Pregnancy",
    "INCLUSION CRITERIA\n1. First\n2. Second\n   a. sub\n   b. sub\n\nEXCLUSION CRITERIA\n1. Other",
    "Key inclusion criteria: adults\n\nKey exclusion criteria:\n\n- none",
    "DISEASE CHARACTERISTICS:\n\n* Histologically confirmed\n\nPATIENT CHARACTERISTICS:\n\nAge:\n\n* 18 and over",
    "Inclusion Criteria:-\n\n1) one\n2) two\n\nExclusion Criteria:1. glued",
    "For parent participants:\n\n* consent\n\nFor child participants:\n\n* age 2 to 5",
    "Participants must be healthy.",
    "* * *\n\n\\* not a bullet\n\n**strong** and *emphasis*",
    "\t* tab indented\n        * deep\n                * deeper\n                        * deepest",
    "",
];

fn markup_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = CRITERIA_SEEDS.iter().map(|s| s.as_bytes().to_vec()).collect();
    seeds.extend(texts_of(&["briefSummary", "detailedDescription", "eligibilityCriteria", "description"]));
    seeds
}

fn eligibility_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = CRITERIA_SEEDS.iter().map(|s| s.as_bytes().to_vec()).collect();
    seeds.extend(texts_of(&["eligibilityCriteria"]));
    seeds
}

// --- zips --------------------------------------------------------------------------------------

/// Entry names worth trying: nested folders, the macOS metadata the reader skips, names that
/// are not JSON, escapes out of the archive.
const ENTRY_NAMES: &[&str] = &[
    "NCT00000001.json",
    "NCT0000xxxx/NCT00000002.json",
    "ctg-studies.json",
    "__MACOSX/._NCT00000001.json",
    ".DS_Store",
    "dir/",
    "../outside.json",
    "/absolute.json",
    "README.txt",
    "a\\b.json",
    "",
    "inner.zip",
    "é/中.json",
];

struct EntryPlan {
    name: &'static str,
    bytes: Vec<u8>,
    stored: bool,
    zip64: bool,
}

fn build_zip(entries: &[EntryPlan], comment: Option<&str>) -> Option<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for entry in entries {
        let method =
            if entry.stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        let options =
            zip::write::SimpleFileOptions::default().compression_method(method).large_file(entry.zip64);
        if entry.name.ends_with('/') {
            zip.add_directory(entry.name, options).ok()?;
        } else {
            zip.start_file(entry.name, options).ok()?;
            zip.write_all(&entry.bytes).ok()?;
        }
    }
    if let Some(comment) = comment {
        zip.set_comment(comment).ok()?;
    }
    zip.finish().ok().map(Cursor::into_inner)
}

fn zip_seeds() -> Vec<Vec<u8>> {
    let (a, b) = (small_study("NCT00000001").into_bytes(), small_study("NCT00000002").into_bytes());
    let plan = |name, bytes: &Vec<u8>, stored, zip64| EntryPlan { name, bytes: bytes.clone(), stored, zip64 };
    let array = format!("[{},{}]", small_study("NCT00000003"), small_study("NCT00000004")).into_bytes();
    let layouts = [
        vec![plan("NCT00000001.json", &a, true, false)],
        vec![
            plan("NCT00000001.json", &a, false, false),
            plan("NCT0000xxxx/NCT00000002.json", &b, true, false),
        ],
        vec![plan("NCT00000001.json", &a, true, true), plan("NCT00000002.json", &b, false, true)],
        vec![plan("ctg-studies.json", &array, false, false), plan("__MACOSX/._x.json", &a, true, false)],
        vec![plan("dir/", &Vec::new(), true, false), plan("dir/NCT00000001.json", &a, true, false)],
        vec![
            plan("broken.json", &a[..a.len() / 2].to_vec(), true, false),
            plan("NCT00000002.json", &b, true, false),
        ],
        vec![],
    ];
    let mut seeds: Vec<Vec<u8>> = layouts.iter().filter_map(|entries| build_zip(entries, None)).collect();
    seeds.extend(build_zip(&[plan("NCT00000001.json", &a, true, false)], Some("a comment")));
    // Found by fuzzing: a stored entry whose zip64 extra declares 2^50 compressed bytes (the
    // reader allocated it and the process aborted).
    seeds.push(hex(
        "504b03042d00000000000000000043bfa6a3ffffffffffffffff06001400612e6a736f6e010010000200000000000000\
         00000000000004007b7d504b01022d002d00000000000000000043bfa6a3ffffffffffffffff0600140000000000000000\
         00000000000000612e6a736f6e0100100002000000000000000000000000000400504b05060000000001000100480000\
         003a0000000000",
    ));
    seeds
}

/// Bytes written as hex digits (whitespace between them ignored).
fn hex(digits: &str) -> Vec<u8> {
    let digits: Vec<u8> = digits.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()).collect()
}

/// A new zip around a few documents (each lightly mutated): keeps the archive well formed so
/// that mutations reach the entries, their names and sizes, and the documents inside.
fn fresh_zip(rng: &mut Rng, _corpus: &[Vec<u8>]) -> Option<Vec<u8>> {
    static DOCUMENTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    let documents =
        DOCUMENTS.get_or_init(|| document_seeds().into_iter().filter(|d| d.len() <= 12 * 1024).collect());
    let count = rng.small(4);
    let mut entries = Vec::new();
    for _ in 0..count {
        let mut bytes = rng.pick(documents).cloned().unwrap_or_default();
        for _ in 0..rng.small(3) {
            let at = rng.below(bytes.len() + 1);
            let token = rng.pick(DOCUMENT_TOKENS).copied().unwrap_or_default();
            if rng.chance(50) {
                bytes.splice(at..at, token.iter().copied());
            } else {
                bytes.truncate(at);
            }
        }
        let name = rng.pick(ENTRY_NAMES).copied().unwrap_or_default();
        let bytes = if name == "inner.zip" { build_zip(&[], None).unwrap_or_default() } else { bytes };
        entries.push(EntryPlan { name, bytes, stored: rng.chance(50), zip64: rng.chance(20) });
    }
    let comment = rng.chance(10).then_some("PK\u{5}\u{6} a comment that looks like an end record");
    let mut made = build_zip(&entries, comment)?;
    // Some raw damage on top, where the structure is now right.
    for _ in 0..rng.small(2) {
        let len = made.len();
        let at = rng.below(len);
        if let Some(token) = rng.pick(ZIP_TOKENS) {
            let end = (at + token.len()).min(len);
            made.splice(at..end, token.iter().copied());
        }
    }
    Some(made)
}
