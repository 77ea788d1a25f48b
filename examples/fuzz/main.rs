//! Fuzzing nct's parsers on the stable toolchain, with nothing to install.
//!
//! ```text
//! cargo run --release --example fuzz -- --target all --runs 1000000     the long run (benches/fuzz.sh)
//! cargo run --release --example fuzz -- --list                          the targets
//! cargo run --release --example fuzz -- --target zip --replay FILE...   run saved inputs again
//! cargo run --release --example fuzz -- --target zip --minimize FILE    shrink a crashing input
//! ```
//!
//! Each target is one parser called through the crate's public API (`targets`); the runner
//! (`runner`) mutates a corpus made of the project's own fixtures and studies plus hand-written
//! seeds, calls the target under `catch_unwind`, and saves each input that panics or is slower
//! than `--slow-ms` under `target/fuzz-crashes/TARGET/`. The run fails (exit 1) when anything was
//! saved. Each target runs in a child process, so that one that aborts (an allocation failure
//! or a stack overflow cannot be caught) is reported with its input, and started again with
//! the next seed for the runs left. `cargo test` runs every target briefly (`tests/fuzz.rs`).

mod runner;
mod targets;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Duration;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Fuzz nct's parsers with a seeded mutation runner")]
struct Args {
    /// Targets' names (see --list), separated by commas, or `all`.
    #[arg(long, default_value = "all", value_delimiter = ',')]
    target: Vec<String>,
    /// Executions per target (the seeds count).
    #[arg(long, default_value_t = 100_000)]
    runs: u64,
    /// The same seed replays the same inputs.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// An execution slower than this is a failure.
    #[arg(long, default_value_t = 1000)]
    slow_ms: u64,
    /// Where failing inputs are saved (default: target/fuzz-crashes).
    #[arg(long)]
    crashes: Option<PathBuf>,
    /// Stop a target after this many failures.
    #[arg(long, default_value_t = 20)]
    max_failures: usize,
    /// Seconds between progress lines (0: none).
    #[arg(long, default_value_t = 10)]
    progress: u64,
    /// How many times a target's process is started again after it died, before giving up.
    #[arg(long, default_value_t = 10)]
    max_restarts: u32,
    /// Run the targets in this process rather than each in a child process.
    #[arg(long)]
    in_process: bool,
    /// Print each new outcome as the corpus grows.
    #[arg(long)]
    verbose: bool,
    /// List the targets.
    #[arg(long)]
    list: bool,
    /// Run the target on these files and say what happened.
    #[arg(long, num_args = 1..)]
    replay: Vec<PathBuf>,
    /// Shrink this crashing input; the result goes beside it as FILE.min.
    #[arg(long)]
    minimize: Option<PathBuf>,
    /// (Internal) write each input here before running it.
    #[arg(long, hide = true)]
    current: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.list {
        for t in targets::TARGETS {
            println!("{:12} {}", t.name, t.about);
        }
        return ExitCode::SUCCESS;
    }
    let mut chosen: Vec<&runner::Target> = Vec::new();
    for name in &args.target {
        if name == "all" {
            chosen.extend(targets::TARGETS);
        } else if let Some(t) = targets::find(name) {
            chosen.push(t);
        } else {
            let names: Vec<&str> = targets::TARGETS.iter().map(|t| t.name).collect();
            eprintln!("fuzz: no target {name:?}; the targets are {} (or all)", names.join(", "));
            return ExitCode::from(2);
        }
    }
    if !args.replay.is_empty() || args.minimize.is_some() {
        let [target] = chosen[..] else {
            eprintln!("fuzz: --replay and --minimize need one --target");
            return ExitCode::from(2);
        };
        return if let Some(file) = &args.minimize {
            minimize(target, file)
        } else {
            replay(target, &args.replay)
        };
    }
    let crash_dir = args
        .crashes
        .clone()
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes"));
    let mut failed = false;
    for target in chosen {
        let ok = if !args.in_process && args.current.is_none() {
            in_child(target, &args, &crash_dir)
        } else {
            let config = runner::Config {
                seed: args.seed,
                runs: args.runs,
                slow: Duration::from_millis(args.slow_ms),
                crash_dir: crash_dir.clone(),
                max_failures: args.max_failures,
                progress: (args.progress > 0).then(|| Duration::from_secs(args.progress)),
                current: args.current.clone(),
                verbose: args.verbose,
            };
            let report = runner::run(target, &config);
            println!("{}", report.summary());
            report.failures.is_empty()
        };
        failed |= !ok;
    }
    let _ = std::fs::remove_dir_all(runner::scratch_dir());
    if failed {
        eprintln!(
            "fuzz: failures were found; replay one with --target NAME --replay FILE, shrink it with --minimize FILE"
        );
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs one target in a child process. When the child dies without a report (an abort), saves
/// the input it was running and starts it again, with the next seed, for the runs left.
fn in_child(target: &runner::Target, args: &Args, crash_dir: &std::path::Path) -> bool {
    let current = runner::scratch_dir().join(format!("current-{}", target.name));
    let _ = std::fs::create_dir_all(runner::scratch_dir());
    // This very program even when a rebuild has replaced its file since it started (the path
    // `current_exe` gives then names the new one, or nothing).
    let proc_exe = std::path::Path::new("/proc/self/exe");
    let me = if proc_exe.exists() { Ok(proc_exe.to_path_buf()) } else { std::env::current_exe() };
    let Ok(me) = me else {
        eprintln!("fuzz: cannot find this program to run {} in a child; try --in-process", target.name);
        return false;
    };
    let (mut seed, mut left, mut restarts) = (args.seed, args.runs, 0);
    loop {
        let _ = std::fs::remove_file(current.with_extension("count"));
        let child = Command::new(&me)
            .args(["--target", target.name, "--runs", &left.to_string(), "--seed", &seed.to_string()])
            .args(["--slow-ms", &args.slow_ms.to_string(), "--max-failures", &args.max_failures.to_string()])
            .args(["--progress", &args.progress.to_string()])
            .args(args.verbose.then_some("--verbose"))
            .arg("--crashes")
            .arg(crash_dir)
            .arg("--current")
            .arg(&current)
            .spawn();
        let status = child.and_then(|mut child| {
            let status = child.wait();
            let _ = std::fs::remove_dir_all(runner::scratch_dir_of(child.id()));
            status
        });
        match status {
            Ok(s) if s.success() => return restarts == 0,
            // 1: failures found and reported; 3: a hang, saved and reported by the watchdog.
            Ok(s) if matches!(s.code(), Some(1 | 3)) => return false,
            Ok(s) => {
                let input = std::fs::read(&current).unwrap_or_default();
                let dir = crash_dir.join(target.name);
                let saved = dir.join(format!("abort-{:016x}", runner::content_hash(&input)));
                let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&saved, &input));
                let done: u64 = std::fs::read_to_string(current.with_extension("count"))
                    .ok()
                    .and_then(|c| c.trim().parse().ok())
                    .unwrap_or(0);
                eprintln!(
                    "{}: the process died ({s}) after {done} or more execs, on an input saved in {}",
                    target.name,
                    saved.display()
                );
                left = left.saturating_sub(done.max(1));
                restarts += 1;
                if left == 0 || restarts > args.max_restarts {
                    return false;
                }
                seed += 1;
                eprintln!("{}: starting again with seed {seed} for the {left} runs left", target.name);
            }
            Err(e) => {
                eprintln!("fuzz: cannot run {} in a child: {e}", target.name);
                return false;
            }
        }
    }
}

fn replay(target: &runner::Target, files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for file in files {
        match std::fs::read(file) {
            Ok(input) => match runner::execute(target, &input) {
                Ok(outcome) => println!("{}: ok: {outcome}", file.display()),
                Err((place, message)) => {
                    failed = true;
                    println!("{}: panicked at {place}: {message}", file.display());
                }
            },
            Err(e) => {
                failed = true;
                eprintln!("fuzz: cannot read {}: {e}", file.display());
            }
        }
    }
    let _ = std::fs::remove_dir_all(runner::scratch_dir());
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn minimize(target: &runner::Target, file: &PathBuf) -> ExitCode {
    let input = match std::fs::read(file) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("fuzz: cannot read {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let small = runner::minimize(target, &input);
    let _ = std::fs::remove_dir_all(runner::scratch_dir());
    let out = PathBuf::from(format!("{}.min", file.display()));
    if let Err(e) = std::fs::write(&out, &small) {
        eprintln!("fuzz: cannot write {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!("{} bytes -> {} bytes in {}", input.len(), small.len(), out.display());
    println!("{}", small.escape_ascii());
    ExitCode::SUCCESS
}
