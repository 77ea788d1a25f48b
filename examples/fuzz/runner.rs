//! The mutation runner: a seeded corpus, a mutator, one target called under `catch_unwind` per
//! execution, and what a failure leaves behind (the input, saved where the report says).
//!
//! Why not cargo-fuzz or cargo-afl: both need a nightly toolchain or an extra installed tool,
//! and this runs wherever `cargo test` does. There is no coverage feedback; instead the corpus
//! grows by the inputs that produce an *outcome* not seen before (the target says what happened:
//! how many studies, which kind of error), which steers mutation towards the parsers' different
//! paths about as well for inputs this small.
//!
//! Everything is deterministic for a seed: the same seed and number of runs replays the same
//! inputs (targets' outcomes do not depend on timing or thread order), so a failure found by a
//! long run can be found again.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

/// One parser, as the runner drives it.
pub struct Target {
    pub name: &'static str,
    pub about: &'static str,
    /// Inputs are cut to this many bytes (keeps executions fast, and allocations bounded).
    pub max_len: usize,
    /// Pieces of the format worth inserting whole: delimiters, keywords, magic numbers.
    pub tokens: &'static [&'static [u8]],
    /// The starting corpus.
    pub seeds: fn() -> Vec<Vec<u8>>,
    /// Runs the parser on one input and says what happened, in a few words (for corpus growth;
    /// numbers and quoted text in it are blurred). Panics on a bug: a crash is any panic.
    pub exec: fn(&[u8]) -> String,
    /// A mutation of the target's own, for formats whose structure bytes mutations rarely keep
    /// (zip): given a random source and the corpus, an input, or `None` to mutate bytes as usual.
    pub special: Option<Special>,
}

/// Makes an input from a random source and the corpus, or `None` to mutate bytes as usual.
pub type Special = fn(&mut Rng, &[Vec<u8>]) -> Option<Vec<u8>>;

/// How long and where a run goes.
pub struct Config {
    pub seed: u64,
    pub runs: u64,
    /// An execution slower than this is a failure (a hang in the making); its input is saved.
    pub slow: Duration,
    /// Failures are saved under `crash_dir/TARGET/`.
    pub crash_dir: PathBuf,
    /// Stop after this many saved failures.
    pub max_failures: usize,
    /// Print a progress line this often (`None`: quiet).
    pub progress: Option<Duration>,
    /// Write each input here before running it, so that a parent process can save the input
    /// that killed this one (an abort or a stack overflow cannot be caught); and the number of
    /// executions so far beside it (`.count`, every 4096), so that it can go on from there.
    pub current: Option<PathBuf>,
    /// Print each new outcome (to see what the target tells apart).
    pub verbose: bool,
}

/// What went wrong with one input.
#[derive(Debug, Clone)]
pub struct Failure {
    /// `panic` or `slow`.
    pub kind: &'static str,
    /// Where it panicked (`src/x.rs:12:5`), or how long it took.
    pub place: String,
    pub message: String,
    pub saved: PathBuf,
}

/// What a run did.
#[derive(Debug)]
pub struct Report {
    pub target: &'static str,
    pub execs: u64,
    pub elapsed: Duration,
    pub corpus: usize,
    pub outcomes: usize,
    pub slowest: Duration,
    pub failures: Vec<Failure>,
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// One line for the terminal, then one per failure.
    pub fn summary(&self) -> String {
        let mut text = format!(
            "{}: {} execs in {:.1} s ({:.0}/s), corpus {}, {} outcomes, slowest {:.1} ms, {} failures",
            self.target,
            self.execs,
            self.elapsed.as_secs_f64(),
            self.per_second(),
            self.corpus,
            self.outcomes,
            self.slowest.as_secs_f64() * 1e3,
            self.failures.len()
        );
        for f in &self.failures {
            text.push_str(&format!("\n  {} at {}: {} -> {}", f.kind, f.place, f.message, f.saved.display()));
        }
        text
    }
}

/// A corpus larger than this stops growing: past it, new outcomes are mostly new error texts.
const MAX_CORPUS: usize = 4096;

/// Runs `target` for `config.runs` executions: the seeds first, as they are, then mutations.
pub fn run(target: &Target, config: &Config) -> Report {
    quiet_panics();
    let mut rng = Rng::new(config.seed ^ name_hash(target.name));
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    let mut outcomes = HashSet::new();
    let mut failures = Vec::new();
    let mut failed_places = HashSet::new();
    let mut slowest = Duration::ZERO;
    let mut queue: Vec<Vec<u8>> =
        (target.seeds)().into_iter().filter(|s| s.len() <= target.max_len).collect();
    queue.reverse();
    if queue.is_empty() {
        queue.push(Vec::new());
    }
    // Every seed stays in the corpus, whatever its outcome: they are the real shapes of the
    // format; what mutation makes of them stays only when it leads somewhere new.
    let mut seeds_left = queue.len();
    RUNNING.fetch_add(1, Ordering::SeqCst);
    let started = Instant::now();
    let mut last_progress = started;
    let watchdog = Watchdog::start(target.name, config);
    let mut current = config.current.as_deref().and_then(|path| std::fs::File::create(path).ok());
    let mut execs = 0;
    while execs < config.runs && failures.len() < config.max_failures {
        let is_seed = seeds_left > 0;
        seeds_left = seeds_left.saturating_sub(1);
        let input = match queue.pop() {
            Some(seed) => seed,
            None => mutate(&mut rng, &corpus, target),
        };
        if let Some(file) = &mut current {
            keep_current(file, &input);
        }
        watchdog.begin(&input);
        let began = Instant::now();
        let result = execute(target, &input);
        let took = began.elapsed();
        watchdog.end();
        execs += 1;
        slowest = slowest.max(took);
        if execs % 4096 == 0
            && let Some(path) = &config.current
        {
            let _ = std::fs::write(path.with_extension("count"), execs.to_string());
        }
        match result {
            Ok(outcome) => {
                // Timed again before it counts: on a busy machine one execution can wait
                // for a core far longer than it runs.
                if took > config.slow && timed(target, &input) > config.slow {
                    let place = format!("{:.2} s", took.as_secs_f64());
                    let message = format!("slower than {:.2} s", config.slow.as_secs_f64());
                    failures.push(save(config, target.name, "slow", place, message, &input));
                } else if (outcomes.insert(blur(&outcome)) && corpus.len() < MAX_CORPUS) || is_seed {
                    if config.verbose {
                        eprintln!("{}: new outcome: {}", target.name, blur(&outcome));
                    }
                    corpus.push(input);
                }
            }
            Err((place, message)) => {
                // Each place once: the same bug found again is not news.
                if failed_places.insert(place.clone()) {
                    failures.push(save(config, target.name, "panic", place, message, &input));
                }
                if is_seed {
                    corpus.push(input);
                }
            }
        }
        if let Some(every) = config.progress
            && last_progress.elapsed() >= every
        {
            last_progress = Instant::now();
            let rate = execs as f64 / started.elapsed().as_secs_f64().max(1e-9);
            eprintln!(
                "{}: {execs} execs ({rate:.0}/s), corpus {}, {} failures",
                target.name,
                corpus.len(),
                failures.len()
            );
        }
    }
    if RUNNING.fetch_sub(1, Ordering::SeqCst) == 1 {
        let _ = std::fs::remove_dir_all(scratch_dir());
    }
    Report {
        target: target.name,
        execs,
        elapsed: started.elapsed(),
        corpus: corpus.len(),
        outcomes: outcomes.len(),
        slowest,
        failures,
    }
}

/// Runs the target on one input: its outcome, or where and why it panicked.
pub fn execute(target: &Target, input: &[u8]) -> Result<String, (String, String)> {
    quiet_panics();
    FUZZING.with(|f| f.set(true));
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.exec)(input)));
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    FUZZING.with(|f| f.set(false));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(a panic without a message)".into());
        let place = LAST_PANIC.lock().map(|p| p.clone()).unwrap_or_default();
        (place, message)
    })
}

fn timed(target: &Target, input: &[u8]) -> Duration {
    let began = Instant::now();
    let _ = execute(target, input);
    began.elapsed()
}

/// The smallest input found that still panics at the same place, by cutting pieces out of it.
pub fn minimize(target: &Target, input: &[u8]) -> Vec<u8> {
    let Err((place, _)) = execute(target, input) else { return input.to_vec() };
    let mut best = input.to_vec();
    let mut chunk = best.len().div_ceil(2).max(1);
    loop {
        let mut shrunk = false;
        let mut start = 0;
        while start < best.len() {
            let end = (start + chunk).min(best.len());
            let mut candidate = best.clone();
            candidate.drain(start..end);
            match execute(target, &candidate) {
                Err((p, _)) if p == place => {
                    best = candidate;
                    shrunk = true;
                }
                _ => start += chunk,
            }
        }
        if chunk == 1 && !shrunk {
            return best;
        }
        if !shrunk {
            chunk = chunk.div_ceil(2);
        }
    }
}

/// Overwrites the file with the input: two system calls, not the four of `fs::write`, since
/// this happens before every execution.
fn keep_current(file: &mut std::fs::File, input: &[u8]) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let _ = file.write_all_at(input, 0).and_then(|()| file.set_len(input.len() as u64));
    }
    #[cfg(not(unix))]
    {
        use std::io::{Seek, Write};
        let _ =
            file.rewind().and_then(|_| file.write_all(input)).and_then(|()| file.set_len(input.len() as u64));
    }
}

fn save(
    config: &Config,
    target: &str,
    kind: &'static str,
    place: String,
    message: String,
    input: &[u8],
) -> Failure {
    let dir = config.crash_dir.join(target);
    let saved = dir.join(format!("{kind}-{:016x}", content_hash(input)));
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&saved, input)) {
        eprintln!("fuzz: cannot save the failing input to {}: {e}", saved.display());
    }
    Failure { kind, place, message, saved }
}

pub fn content_hash(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

fn name_hash(name: &str) -> u64 {
    // Stable across runs and builds (DefaultHasher's keys are fixed, but its algorithm is not
    // promised): FNV-1a.
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// An outcome with its particulars blurred: digits as `#`, quoted text as `…`, so that
/// "expected value at line 1 column 7" and "... column 9" count as one outcome.
pub fn blur(outcome: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut last_digit = false;
    for c in outcome.chars() {
        if let Some(q) = quote {
            if c == q {
                out.push(c);
                quote = None;
            }
            continue;
        }
        if c.is_ascii_digit() {
            if !last_digit {
                out.push('#');
            }
            last_digit = true;
            continue;
        }
        last_digit = false;
        out.push(c);
        if matches!(c, '`' | '"') {
            out.push('…');
            quote = Some(c);
        }
        if out.len() > 160 {
            break;
        }
    }
    out
}

// --- panics ----------------------------------------------------------------------------------

thread_local! {
    static FUZZING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs under way in this process (tests run several at once): the last one to end removes the
/// scratch folder.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Executions under way in this process (rayon workers panic for them on other threads).
static ACTIVE: AtomicUsize = AtomicUsize::new(0);
static LAST_PANIC: Mutex<String> = Mutex::new(String::new());

/// Replaces the panic hook once: it notes where each panic happened, and stays silent for
/// panics of a fuzzed execution (thousands of expected messages would bury the report); other
/// panics (a failing test's assertion) still go to the previous hook.
fn quiet_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let place = info.location().map(|l| l.to_string()).unwrap_or_default();
            // A panic inside the standard library ("capacity overflow") is placed by the
            // project's frame that called it: that is the bug, and what tells two apart.
            let place = if is_ours(&place) {
                place
            } else {
                let trace = std::backtrace::Backtrace::force_capture().to_string();
                match trace
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("at "))
                    .find(|at| is_ours(at) && !at.contains("fuzz/runner.rs"))
                {
                    Some(ours) => format!("{} (in {place})", ours.trim_start_matches("./")),
                    None => place,
                }
            };
            if let Ok(mut last) = LAST_PANIC.lock() {
                *last = place;
            }
            let fuzzing = FUZZING.with(|f| f.get())
                || (ACTIVE.load(Ordering::SeqCst) > 0 && rayon::current_thread_index().is_some());
            if !fuzzing {
                previous(info);
            }
        }));
    });
}

/// Whether a source place is in this project (rather than the standard library or a crate).
fn is_ours(place: &str) -> bool {
    let place = place.trim_start_matches("./");
    let place = place.strip_prefix(env!("CARGO_MANIFEST_DIR")).map_or(place, |p| p.trim_start_matches('/'));
    ["src/", "tests/", "examples/"].iter().any(|dir| place.starts_with(dir))
}

// --- hangs -----------------------------------------------------------------------------------

/// Catches an execution that never ends (which `catch_unwind` cannot): after ten times the
/// slow limit (at least 10 s) it saves the input and ends the process with an error.
struct Watchdog {
    state: Arc<Mutex<Option<Running>>>,
    done: Arc<std::sync::atomic::AtomicBool>,
}

/// When the execution under way began, and its input.
type Running = (Instant, Vec<u8>);

impl Watchdog {
    fn start(target: &'static str, config: &Config) -> Watchdog {
        let state: Arc<Mutex<Option<Running>>> = Arc::new(Mutex::new(None));
        let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let limit = (config.slow * 10).max(Duration::from_secs(10));
        let dir = config.crash_dir.join(target);
        let (watched, finished) = (state.clone(), done.clone());
        std::thread::spawn(move || {
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let Ok(guard) = watched.lock() else { return };
                if let Some((began, input)) = &*guard
                    && began.elapsed() > limit
                {
                    let saved = dir.join(format!("hang-{:016x}", content_hash(input)));
                    let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&saved, input));
                    eprintln!(
                        "fuzz: {target}: an execution has run for {:.0} s (a hang); its input is saved in {}",
                        began.elapsed().as_secs_f64(),
                        saved.display()
                    );
                    std::process::exit(3);
                }
            }
        });
        Watchdog { state, done }
    }

    fn begin(&self, input: &[u8]) {
        if let Ok(mut s) = self.state.lock() {
            match &mut *s {
                Some((began, kept)) => {
                    *began = Instant::now();
                    kept.clear();
                    kept.extend_from_slice(input);
                }
                None => *s = Some((Instant::now(), input.to_vec())),
            }
        }
    }

    fn end(&self) {
        if let Ok(mut s) = self.state.lock()
            && let Some((began, _)) = &mut *s
        {
            // Far in the future, without giving up the buffer.
            *began = Instant::now() + Duration::from_secs(1 << 30);
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
    }
}

// --- randomness and mutation -----------------------------------------------------------------

/// xorshift64* seeded through splitmix64: small, fast, the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (0 for 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (((self.next() >> 32) * n as u64) >> 32) as usize }
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// Small numbers far more often than large ones: lengths and counts of mutations.
    pub fn small(&mut self, max: usize) -> usize {
        let bits = self.below(usize::BITS as usize - max.leading_zeros() as usize + 1);
        self.below((1usize << bits).min(max.saturating_add(1)))
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

/// Bytes that break parsers: the ends of ranges, delimiters and the characters escapes use.
const INTERESTING: &[u8] = b"\0\x01\x7f\x80\xff\xc3\xe2\n\r\t \"'\\{}[]:,-+.0179eE";

/// A new input from the corpus: one to eight mutations stacked on a random member.
pub fn mutate(rng: &mut Rng, corpus: &[Vec<u8>], target: &Target) -> Vec<u8> {
    if let Some(special) = target.special
        && rng.chance(30)
        && let Some(made) = special(rng, corpus)
    {
        return cut(made, target.max_len);
    }
    let mut data = rng.pick(corpus).cloned().unwrap_or_default();
    for _ in 0..1 + rng.small(7) {
        mutate_once(rng, &mut data, corpus, target.tokens);
    }
    cut(data, target.max_len)
}

fn cut(mut data: Vec<u8>, max_len: usize) -> Vec<u8> {
    data.truncate(max_len);
    data
}

fn mutate_once(rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>], tokens: &[&[u8]]) {
    let len = data.len();
    let at = rng.below(len + 1);
    match rng.below(12) {
        0 if len > 0 => {
            if let Some(b) = data.get_mut(at.min(len - 1)) {
                *b ^= 1 << rng.below(8);
            }
        }
        1 if len > 0 => {
            let value = INTERESTING.get(rng.below(INTERESTING.len())).copied().unwrap_or(0);
            if let Some(b) = data.get_mut(at.min(len - 1)) {
                *b = value;
            }
        }
        2 => {
            let n = rng.small(len - at);
            data.drain(at..at + n);
        }
        3 => {
            // Duplicate a range somewhere else (repeats structure: nesting, list items).
            let from = rng.below(len + 1);
            let n = rng.small((len - from).min(4096));
            let piece: Vec<u8> = data.get(from..from + n).unwrap_or_default().to_vec();
            let to = rng.below(len + 1);
            data.splice(to..to, piece);
        }
        4 => {
            let n = 1 + rng.small(15);
            let bytes: Vec<u8> = (0..n).map(|_| random_byte(rng)).collect();
            data.splice(at..at, bytes);
        }
        5 | 6 => {
            if let Some(token) = rng.pick(tokens) {
                data.splice(at..at, token.iter().copied());
            }
        }
        7 => {
            // Overwrite with a token (keeps the length around the same).
            if let Some(token) = rng.pick(tokens) {
                let end = (at + token.len()).min(len);
                data.splice(at..end, token.iter().copied());
            }
        }
        8 => {
            // Splice: this input's head, another's tail.
            if let Some(other) = rng.pick(corpus) {
                let from = rng.below(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(other.get(from..).unwrap_or_default());
            }
        }
        9 => {
            // A piece of another input inserted.
            if let Some(other) = rng.pick(corpus) {
                let from = rng.below(other.len() + 1);
                let n = rng.small((other.len() - from).min(4096));
                data.splice(at..at, other.get(from..from + n).unwrap_or_default().iter().copied());
            }
        }
        10 => {
            // One token many times: deep nesting, long runs.
            if let Some(token) = rng.pick(tokens) {
                let times = 1 + rng.small(300);
                let run: Vec<u8> = token.iter().copied().cycle().take(token.len() * times).collect();
                data.splice(at..at, run);
            }
        }
        11 if len > 0 => data.truncate(at),
        _ => data.push(random_byte(rng)),
    }
}

fn random_byte(rng: &mut Rng) -> u8 {
    if rng.chance(50) {
        INTERESTING.get(rng.below(INTERESTING.len())).copied().unwrap_or(0)
    } else {
        (rng.next() >> 56) as u8
    }
}

/// The folder for scratch files of this process: in memory when `/dev/shm` is there.
pub fn scratch_dir() -> PathBuf {
    scratch_dir_of(std::process::id())
}

/// The scratch folder of the process `pid` (a child that died leaves it behind).
pub fn scratch_dir_of(pid: u32) -> PathBuf {
    let base = Path::new("/dev/shm");
    let base = if base.is_dir() { base.to_path_buf() } else { std::env::temp_dir() };
    base.join(format!("nct-fuzz-{pid}"))
}
