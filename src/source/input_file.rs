//! One input file (a file on disk, a zip entry or standard input) sniffed by its content and split into
//! studies: a study object, an API page, an array, NDJSON, or the text export.

use std::io::{BufRead, Read};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::python_literal;
use super::scan::{ScanError, Scanner, show_byte};
use super::{
    Container, Format, InputFileSeen, LoadError, Locator, Order, Origin, Position, RawStudy, Sink, Span,
    Within,
};

/// Where the input file is, for messages, locators and ordering.
#[derive(Clone)]
pub(crate) struct Context {
    pub origin: Origin,
    pub container: Container,
    pub order: Order,
    /// The input file's size when known in advance (files, zip entries).
    pub size: Option<u64>,
    /// False for the JSON inside a text export, whose format is reported as the export's.
    pub report_format: bool,
}

impl Context {
    fn fail(&self, sink: &dyn Sink, position: Option<Position>, reason: impl Into<String>) {
        let origin = match position {
            Some(p) => self.origin.at(p),
            None => self.origin.clone(),
        };
        sink.failure(LoadError { origin, reason: reason.into() });
    }

    /// The whole input file failed.
    pub(crate) fn fail_file(&self, sink: &dyn Sink, reason: impl Into<String>) {
        self.fail(sink, None, reason);
    }

    fn seen(&self, sink: &dyn Sink, format: Format) {
        if self.report_format {
            sink.input_file_seen(InputFileSeen { origin: self.origin.clone(), format });
        }
    }

    fn raw(&self, position: Option<Position>, within: Within, element: u32, json: Vec<u8>) -> RawStudy {
        RawStudy {
            origin: match position {
                Some(p) => self.origin.at(p),
                None => self.origin.clone(),
            },
            locator: Locator { container: self.container.clone(), within },
            order: Order { element, ..self.order },
            json,
        }
    }
}

/// Input files starting with `{` up to this size are read whole, so that the common case, one study
/// per file or zip entry, is handed on without scanning it byte by byte.
const MAX_WHOLE_OBJECT_BYTES: u64 = 64 << 20;

/// The most one study's JSON may take. The largest real record is 3.6 MB; a value over this in
/// a stream is read through and reported, never held whole, so a crafted file cannot make one
/// "study" cost gigabytes.
pub(crate) const MAX_STUDY_BYTES: usize = 64 << 20;

/// Reads an input file already in memory (an inflated zip entry). A single study object, the common
/// case, is handed on without a copy.
pub(crate) fn read_owned(mut bytes: Vec<u8>, ctx: &Context, sink: &dyn Sink) {
    let lead = bytes.iter().take(3).eq(b"\xEF\xBB\xBF".iter()) as usize * 3;
    let start = lead + bytes.iter().skip(lead).take_while(|b| b.is_ascii_whitespace()).count();
    if bytes.get(start) == Some(&b'{') && is_single_object(&bytes) {
        bytes.drain(..start);
        return emit_single(bytes, start as u64, ctx, sink);
    }
    read(bytes.as_slice(), ctx, sink);
}

/// Whether an input file starting with `{` can only be one study: no object starts a line after
/// the first (NDJSON, concatenated objects) and there is no `"studies"` key (an API page).
/// Anything else that is wrong with it shows when it is parsed.
fn is_single_object(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"\n{").is_none()
        && memchr::memmem::find(bytes, b"\r{").is_none()
        && memchr::memmem::find(bytes, b"\"studies\"").is_none()
}

/// Lines ended by a lone `\r` (classic Mac OS) read as `\n` lines: the readers split lines on
/// `\n` only. One byte for another, so every span stays where it was in the file; `\r\n` needs
/// nothing, as `\r` is whitespace to JSON and trimmed from NDJSON lines. Returns the bytes as
/// they were, when any changed.
fn normalize_lone_cr(bytes: &mut [u8]) -> Option<Vec<u8>> {
    if memchr::memchr(b'\n', bytes).is_none() && memchr::memchr(b'\r', bytes).is_some() {
        let original = bytes.to_vec();
        bytes.iter_mut().filter(|b| **b == b'\r').for_each(|b| *b = b'\n');
        return Some(original);
    }
    None
}

fn emit_single(mut json: Vec<u8>, start: u64, ctx: &Context, sink: &dyn Sink) {
    ctx.seen(sink, Format::Study);
    let len = json.trim_ascii_end().len();
    json.truncate(len);
    let span = Span { start, len: len as u64 };
    sink.study(ctx.raw(None, Within::Span(span), 0, json));
}

/// A text export larger than this is not a text export.
const MAX_EXPORT_BYTES: u64 = 256 << 20;

/// Reads one input file, sniffing its format from the first bytes.
pub(crate) fn read<R: BufRead>(reader: R, ctx: &Context, sink: &dyn Sink) {
    let mut scanner = Scanner::new(reader);
    scanner.limit_values(MAX_STUDY_BYTES);
    if let Err(e) = scanner.skip_bom().and_then(|()| scanner.skip_ws()) {
        ctx.fail(sink, None, format!("read error: {e}"));
        return;
    }
    let first = match scanner.peek() {
        Ok(b) => b,
        Err(e) => return ctx.fail(sink, None, format!("read error: {e}")),
    };
    match first {
        None => ctx.fail(sink, None, "empty file: no study in it"),
        Some(b'[') => {
            ctx.seen(sink, Format::Array);
            read_array(&mut scanner, ctx, sink, Within::Span);
        }
        Some(b'{') => match ctx.size {
            Some(size) if size <= MAX_WHOLE_OBJECT_BYTES => read_object_file(scanner, ctx, sink),
            _ => read_objects(&mut scanner, ctx, sink, Within::Span),
        },
        Some(_) => read_text(scanner, ctx, sink),
    }
}

/// An input file that is not JSON: the text export, or something that is not a study at all.
fn read_text<R: BufRead>(mut scanner: Scanner<R>, ctx: &Context, sink: &dyn Sink) {
    let head = match scanner.peek_many(4096) {
        Ok(h) => h.to_vec(),
        Err(e) => return ctx.fail(sink, None, format!("read error: {e}")),
    };
    if python_literal::looks_like_export(&head) {
        let mut text = Vec::new();
        let mut reader = scanner.into_inner().take(MAX_EXPORT_BYTES);
        if let Err(e) = reader.read_to_end(&mut text) {
            return ctx.fail(sink, None, format!("read error: {e}"));
        }
        let text = match String::from_utf8(text) {
            Ok(t) => t,
            Err(e) => {
                return ctx.fail(
                    sink,
                    None,
                    format!("text export is not valid UTF-8 (at byte {})", e.utf8_error().valid_up_to()),
                );
            }
        };
        match python_literal::export_to_json(&text) {
            Ok(json) => {
                ctx.seen(sink, Format::Export);
                let inner_ctx = Context { report_format: false, size: None, ..ctx.clone() };
                let ctx = &inner_ctx;
                let mut inner = Scanner::new(json.as_bytes());
                match inner.peek() {
                    Ok(Some(b'[')) => read_array(&mut inner, ctx, sink, Within::Export),
                    _ => read_objects(&mut inner, ctx, sink, Within::Export),
                }
            }
            Err(e) => ctx.fail(sink, None, format!("text export: {e}")),
        }
        return;
    }
    ctx.fail(sink, None, not_a_study_reason(&head));
}

fn not_a_study_reason(head: &[u8]) -> String {
    let expected =
        "expected study JSON (an object, an array or an API page), NDJSON, a zip, or a text export";
    let text = std::str::from_utf8(head).ok().filter(|t| !t.contains('\0'));
    match text {
        Some(t) => {
            // The first line whatever its end, without control characters a terminal would obey.
            let first = t.split(['\n', '\r']).next().unwrap_or_default();
            // The website's CSV export (and `nct search --format csv`) starts with its columns.
            let header = first.trim_start_matches('\u{feff}').trim_start_matches('"');
            if header.starts_with("NCT Number") {
                return super::folder::CSV_EXPORT.to_owned();
            }
            let line: String = first.chars().filter(|c| !c.is_control()).take(40).collect();
            format!("not a study file: starts with text \"{line}\"; {expected}")
        }
        None => {
            let first: Vec<String> = head.iter().take(4).map(|b| format!("{b:02x}")).collect();
            format!("not a study file: binary data (starts with bytes {}); {expected}", first.join(" "))
        }
    }
}

/// An input file starting with `{`, read whole. One study object (by far the most common) goes to
/// the sink as it is: its syntax is checked when it is parsed. Only an input file that may hold
/// more (an object starting a line after the first, or a `"studies"` key) is scanned.
fn read_object_file<R: BufRead>(scanner: Scanner<R>, ctx: &Context, sink: &dyn Sink) {
    let start = scanner.pos();
    let newlines = scanner.line() - 1;
    let mut bytes = Vec::with_capacity(ctx.size.and_then(|n| usize::try_from(n).ok()).unwrap_or(0));
    if let Err(e) = scanner.into_inner().read_to_end(&mut bytes) {
        return ctx.fail(sink, None, format!("read error: {e}"));
    }
    if is_single_object(&bytes) {
        return emit_single(bytes, start, ctx, sink);
    }
    if let Some(original) = normalize_lone_cr(&mut bytes) {
        let sink = OriginalBytes { sink, original: &original, start };
        let mut inner = Scanner::resume(bytes.as_slice(), start, newlines);
        return read_objects(&mut inner, ctx, &sink, Within::Span);
    }
    let mut inner = Scanner::resume(bytes.as_slice(), start, newlines);
    read_objects(&mut inner, ctx, sink, Within::Span);
}

/// Hands on each study with the input file's own bytes where lone carriage returns were read as
/// line ends, so that the study read again through its locator is byte for byte what was parsed.
struct OriginalBytes<'a> {
    sink: &'a dyn Sink,
    original: &'a [u8],
    /// The input file offset of `original`'s first byte.
    start: u64,
}

impl Sink for OriginalBytes<'_> {
    fn study(&self, mut raw: RawStudy) {
        if let Within::Span(span) = raw.locator.within {
            let range = span.start.checked_sub(self.start).and_then(|from| {
                let from = usize::try_from(from).ok()?;
                Some(from..from.checked_add(usize::try_from(span.len).ok()?)?)
            });
            if let Some(bytes) = range.and_then(|range| self.original.get(range)) {
                raw.json = bytes.to_vec();
            }
        }
        self.sink.study(raw);
    }

    fn failure(&self, error: LoadError) {
        self.sink.failure(error);
    }

    fn input_file_seen(&self, seen: InputFileSeen) {
        self.sink.input_file_seen(seen);
    }

    fn announce(&self, studies: usize) {
        self.sink.announce(studies);
    }

    fn announce_bytes(&self, bytes: u64) {
        self.sink.announce_bytes(bytes);
    }

    fn read_bytes(&self, bytes: u64) {
        self.sink.read_bytes(bytes);
    }
}

/// An input file starting with `{`: one study, an API page, or several studies (NDJSON or
/// concatenated objects).
fn read_objects<R: BufRead>(
    scanner: &mut Scanner<R>,
    ctx: &Context,
    sink: &dyn Sink,
    within: fn(Span) -> Within,
) {
    if scanner.is_limited() && starts_as_api_page(scanner) {
        // A page too large to hold whole: its studies are streamed one by one, each within the
        // limit of a study rather than the page within it.
        ctx.seen(sink, Format::Page);
        return match seek_studies(scanner) {
            Ok(()) => {
                read_array_with(scanner, ctx, sink, within, 0, Holder::Page);
            }
            Err(e) => ctx.fail(sink, None, format!("API page: {e}")),
        };
    }
    let start = scanner.pos();
    let first_line = scanner.line();
    let mut first = Vec::new();
    match scanner.read_value(&mut first) {
        Ok(()) => {}
        Err(e @ ScanError::TooLarge { .. }) => {
            ctx.fail(sink, None, e.to_string());
            // Studies may follow it (NDJSON): they are read as usual.
            return in_parallel_batches(sink, |emit| read_concatenated(scanner, ctx, sink, within, emit));
        }
        // An API page cut short still holds its complete studies, as an array cut short does.
        Err(ScanError::Truncated { at }) if is_api_page(&first) => {
            ctx.seen(sink, Format::Page);
            return read_page(&first, start, ctx, sink, within, Some(at));
        }
        Err(e) => return ctx.fail(sink, None, truncation_reason(e, "the study")),
    }
    let first_span = Span { start, len: scanner.pos() - start };
    if let Err(e) = scanner.skip_ws() {
        return ctx.fail(sink, None, format!("read error: {e}"));
    }
    let more = matches!(scanner.peek(), Ok(Some(_)));
    if !more {
        if is_api_page(&first) {
            ctx.seen(sink, Format::Page);
            read_page(&first, start, ctx, sink, within, None);
        } else {
            ctx.seen(sink, Format::Study);
            sink.study(ctx.raw(None, within(first_span), 0, first));
        }
        return;
    }
    ctx.seen(sink, Format::Ndjson);
    let one_per_line = !first.contains(&b'\n');
    in_parallel_batches(sink, |emit| {
        emit(ctx.raw(Some(Position::Line(first_line)), within(first_span), 0, first));
        if one_per_line {
            read_lines(scanner, ctx, sink, within, emit);
        } else {
            read_concatenated(scanner, ctx, sink, within, emit);
        }
    });
}

/// Whether the scanner's upcoming bytes start an API page (its `studies` key comes early).
fn starts_as_api_page<R: BufRead>(scanner: &mut Scanner<R>) -> bool {
    scanner.peek_many(usize::MAX).is_ok_and(is_api_page)
}

/// Whether a top-level object is an API page: it has a `studies` array. Also answers for the
/// start of an object, as soon as it reaches that array.
fn is_api_page(object: &[u8]) -> bool {
    let mut s = Scanner::new(object);
    let step = |s: &mut Scanner<&[u8]>| -> Result<Option<bool>, ScanError> {
        s.skip_ws()?;
        if s.eat(b'}')? {
            return Ok(Some(false));
        }
        let mut key = Vec::new();
        s.read_value(&mut key)?;
        s.skip_ws()?;
        s.require(b':', "':'")?;
        s.skip_ws()?;
        if key == b"\"studies\"" && s.peek()? == Some(b'[') {
            return Ok(Some(true));
        }
        s.skip_value()?;
        s.skip_ws()?;
        s.eat(b',')?;
        Ok(None)
    };
    if !matches!(s.eat(b'{'), Ok(true)) {
        return false;
    }
    loop {
        match step(&mut s) {
            Ok(Some(answer)) => return answer,
            Ok(None) => {}
            Err(_) => return false,
        }
    }
}

/// Streams the `studies` array of an API page held in memory. `base` is the page's offset in
/// its container, so each study's span points into the container.
///
/// `cut`: where the page was found to end early, if it was (its studies up to there are read).
fn read_page(
    page: &[u8],
    base: u64,
    ctx: &Context,
    sink: &dyn Sink,
    within: fn(Span) -> Within,
    cut: Option<u64>,
) {
    let mut s = Scanner::new(page);
    if let Err(e) = seek_studies(&mut s) {
        return ctx.fail(sink, None, format!("API page: {e}"));
    }
    let offset = s.pos();
    let rest = page.get(usize::try_from(offset).unwrap_or(usize::MAX)..).unwrap_or_default();
    let mut inner = Scanner::new(rest);
    let kept = read_array_with(&mut inner, ctx, sink, within, base + offset, Holder::Page);
    // The studies are whole, but the page ends early after them (in `nextPageToken`, say).
    if let (Some(kept), Some(at)) = (kept, cut) {
        ctx.fail(
            sink,
            None,
            format!(
                "API page cut short at byte {at}, after its studies: all {} kept, but the end of the page \
                 (such as nextPageToken) is missing; the download may be incomplete",
                studies(kept)
            ),
        );
    }
}

/// Moves an API page's scanner to the start of its `studies` array.
fn seek_studies<R: BufRead>(s: &mut Scanner<R>) -> Result<(), ScanError> {
    s.require(b'{', "'{'")?;
    loop {
        s.skip_ws()?;
        let mut key = Vec::new();
        s.read_value(&mut key)?;
        s.skip_ws()?;
        s.require(b':', "':'")?;
        s.skip_ws()?;
        if key == b"\"studies\"" && s.peek()? == Some(b'[') {
            return Ok(());
        }
        s.skip_value()?;
        s.skip_ws()?;
        s.eat(b',')?;
    }
}

fn read_array<R: BufRead>(
    scanner: &mut Scanner<R>,
    ctx: &Context,
    sink: &dyn Sink,
    within: fn(Span) -> Within,
) {
    read_array_with(scanner, ctx, sink, within, 0, Holder::Array);
}

/// What holds an array of studies, for messages.
#[derive(Clone, Copy)]
enum Holder {
    Array,
    Page,
}

/// Parsing happens in parallel batches; past this many bytes in flight, the scanning thread
/// parses the batch itself, so a huge array cannot pile up in memory.
const MAX_BYTES_IN_FLIGHT: usize = 64 << 20;
const BATCH_BYTES: usize = 1 << 20;

/// The elements of a JSON array, each handed to the sink with its index and byte span. `base` is
/// the scanner's offset in the input file. Returns how many studies it held, or `None` when it
/// broke off (reported to the sink, with how many complete studies before the break were kept).
fn read_array_with<R: BufRead>(
    scanner: &mut Scanner<R>,
    ctx: &Context,
    sink: &dyn Sink,
    within: fn(Span) -> Within,
    base: u64,
    holder: Holder,
) -> Option<usize> {
    let mut outcome = None;
    in_parallel_batches(sink, |emit| {
        let result = (|| -> Result<usize, (usize, ScanError)> {
            scanner.require(b'[', "'['").map_err(|e| (0, e))?;
            let mut index = 0usize;
            loop {
                scanner.skip_ws().map_err(|e| (index, e.into()))?;
                if index == 0 && scanner.eat(b']').map_err(|e| (index, e.into()))? {
                    return Ok(0);
                }
                let start = scanner.pos();
                let mut json = Vec::new();
                match scanner.read_value(&mut json) {
                    Ok(()) => {
                        let span = Span { start: base + start, len: scanner.pos() - start };
                        let element = u32::try_from(index).unwrap_or(u32::MAX);
                        emit(ctx.raw(Some(Position::Element(index)), within(span), element, json));
                    }
                    // Read through, not kept: the array goes on after it.
                    Err(e @ ScanError::TooLarge { .. }) => {
                        ctx.fail(sink, Some(Position::Element(index)), e.to_string());
                    }
                    Err(e) => return Err((index, e)),
                }
                index += 1;
                scanner.skip_ws().map_err(|e| (index, e.into()))?;
                if scanner.eat(b',').map_err(|e| (index, e.into()))? {
                    continue;
                }
                scanner.require(b']', "',' or ']' after a study").map_err(|e| (index, e))?;
                return Ok(index);
            }
        })();
        match result {
            Ok(count) => outcome = Some(count),
            Err((index, ScanError::Truncated { at })) => {
                ctx.fail(sink, Some(Position::Element(index)), cut_short_reason(holder, base + at, index));
            }
            Err((index, e)) => ctx.fail(sink, Some(Position::Element(index)), e.to_string()),
        }
    });
    outcome
}

/// An array or page that ends at byte `at`, inside or before its study `[kept]`.
fn cut_short_reason(holder: Holder, at: u64, kept: usize) -> String {
    let what = match holder {
        Holder::Array => "truncated: the array of studies",
        Holder::Page => "truncated: the API page",
    };
    let kept = match kept {
        0 => "no complete study before it to keep".to_string(),
        1 => "the 1 complete study before it was kept".to_string(),
        n => format!("the {n} complete studies before it were kept"),
    };
    format!(
        "{what} ends early (at byte {at}), inside or before this study: {kept}; the download may be incomplete"
    )
}

/// "1 complete study", "12 complete studies".
fn studies(n: usize) -> String {
    if n == 1 { "1 complete study".into() } else { format!("{n} complete studies") }
}

/// Runs `produce` (a scanner walking one input file) on this thread while the studies it emits
/// are parsed in batches on the other cores.
fn in_parallel_batches(sink: &dyn Sink, produce: impl FnOnce(&mut dyn FnMut(RawStudy))) {
    let in_flight = AtomicUsize::new(0);
    rayon::in_place_scope(|scope| {
        let mut batch: Vec<RawStudy> = Vec::new();
        let mut batch_bytes = 0usize;
        let flush = |batch: &mut Vec<RawStudy>, batch_bytes: &mut usize| {
            let work = std::mem::take(batch);
            let bytes = std::mem::take(batch_bytes);
            if in_flight.load(Ordering::Relaxed) + bytes > MAX_BYTES_IN_FLIGHT {
                work.into_iter().for_each(|raw| sink.study(raw));
                return;
            }
            in_flight.fetch_add(bytes, Ordering::Relaxed);
            let in_flight = &in_flight;
            scope.spawn(move |_| {
                work.into_iter().for_each(|raw| sink.study(raw));
                in_flight.fetch_sub(bytes, Ordering::Relaxed);
            });
        };
        {
            let mut emit = |raw: RawStudy| {
                batch_bytes += raw.json.len();
                batch.push(raw);
                if batch_bytes >= BATCH_BYTES {
                    flush(&mut batch, &mut batch_bytes);
                }
            };
            produce(&mut emit);
        }
        flush(&mut batch, &mut batch_bytes);
    });
}

fn truncation_reason(e: ScanError, what: &str) -> String {
    match e {
        ScanError::Truncated { at } => {
            format!("truncated: the file ends inside {what} (at byte {at}); the download may be incomplete")
        }
        other => other.to_string(),
    }
}

/// NDJSON after its first line: one study a line; a broken line costs only itself.
fn read_lines<R: BufRead>(
    scanner: &mut Scanner<R>,
    ctx: &Context,
    sink: &dyn Sink,
    within: fn(Span) -> Within,
    emit: &mut dyn FnMut(RawStudy),
) {
    let mut element = 1u32;
    loop {
        let line_no = scanner.line();
        let start = scanner.pos();
        let mut line = Vec::new();
        match scanner.read_line(&mut line) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e @ ScanError::TooLarge { .. }) => {
                ctx.fail(sink, Some(Position::Line(line_no)), e.to_string());
                continue;
            }
            Err(e) => return ctx.fail(sink, Some(Position::Line(line_no)), e.to_string()),
        }
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_ascii_start().len();
        let span = Span { start: start + lead as u64, len: trimmed.len() as u64 };
        let json = trimmed.to_vec();
        emit(ctx.raw(Some(Position::Line(line_no)), within(span), element, json));
        element = element.saturating_add(1);
    }
}

/// Study objects one after another, pretty-printed over several lines each.
fn read_concatenated<R: BufRead>(
    scanner: &mut Scanner<R>,
    ctx: &Context,
    sink: &dyn Sink,
    within: fn(Span) -> Within,
    emit: &mut dyn FnMut(RawStudy),
) {
    let mut element = 1u32;
    loop {
        if let Err(e) = scanner.skip_ws() {
            return ctx.fail(sink, None, format!("read error: {e}"));
        }
        match scanner.peek() {
            Ok(None) => return,
            Ok(Some(b'{')) => {}
            Ok(Some(b)) => {
                let line = scanner.line();
                return ctx.fail(
                    sink,
                    Some(Position::Line(line)),
                    format!("unexpected {} between studies", show_byte(b)),
                );
            }
            Err(e) => return ctx.fail(sink, None, format!("read error: {e}")),
        }
        let line = scanner.line();
        let start = scanner.pos();
        let mut json = Vec::new();
        match scanner.read_value(&mut json) {
            Ok(()) => {}
            Err(e @ ScanError::TooLarge { .. }) => {
                ctx.fail(sink, Some(Position::Line(line)), e.to_string());
                continue;
            }
            Err(e) => {
                return ctx.fail(sink, Some(Position::Line(line)), truncation_reason(e, "this study"));
            }
        }
        let span = Span { start, len: scanner.pos() - start };
        emit(ctx.raw(Some(Position::Line(line)), within(span), element, json));
        element = element.saturating_add(1);
    }
}
