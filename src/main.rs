//! The `nct` binary: see `nct --help`, and `cli` for the commands. It sits above both faces of
//! nct: the command line parses the arguments and runs its commands, and the binary launches the
//! app when they ask for it, so that `cli` and `tui` never import each other.

use nct::cli::Invocation;

/// Loading parses every record with many small allocations; mimalloc makes them markedly cheaper
/// than the system allocator and returns memory well across rayon's threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` and `mi_option_purge_delay`, as numbered by the
/// mimalloc (v3) that `libmimalloc-sys` 0.1.49 builds (its `mimalloc.h`; the bindings name only
/// some options).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// mimalloc's own purge delay, in ms: freed memory is kept this long for reuse.
const DEFAULT_PURGE_DELAY: std::ffi::c_long = 1000;

/// Memory freed is given back to the system at once rather than a second later (mimalloc v3's
/// default), and arenas are committed as they are used rather than whole: a load parses 600k
/// records on every core, each freed as soon as its summary is made, and by default the freed
/// pages pile up for a second before they are returned. Measured at 100,000 studies
/// (`benches/registry.sh`, same run): the app's first open peaks at 363 MB instead of 467, a
/// reopen at 178 instead of 216, a cold `nct search` at 518 instead of 672, in the same time.
fn return_freed_memory_at_once() {
    // SAFETY: plain stores into mimalloc's option table, done first thing in `main`, before any
    // thread of ours exists (the functions are not thread-safe); both options are read by
    // mimalloc whenever it purges or makes an arena.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

/// Once the app has loaded, freed memory is kept a second for reuse again: typing in the query
/// line asks for megabytes at every key (a broad word's 265k matches, their scores and their
/// order), and memory given back at once is memory the next key faults in again. Measured at
/// 600,000 studies on 2 cores (`benches/search.rs` with the app's allocator), the keystroke's
/// p99 is 14 ms this way and 21 ms with memory given back at once.
fn keep_freed_memory_for_reuse() {
    // SAFETY: one aligned word stored into mimalloc's option table from the app's thread, once
    // loading has ended (its threads are done or idle). A purge on another thread reads the word
    // anew each time; it reads the old delay or the new, both valid.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, DEFAULT_PURGE_DELAY);
    }
}

fn main() -> std::process::ExitCode {
    return_freed_memory_at_once();
    // Every reader of the settings file reports the app's settings as the app reads them.
    nct::user::config::register_app_settings(nct::tui::settings::READER);
    let code = match nct::cli::run() {
        Invocation::Done(code) => code,
        Invocation::App { paths, since, settings } => {
            nct::tui::run(paths, since, settings, keep_freed_memory_for_reuse)
                .unwrap_or_else(|e| nct::cli::terminal_failed(&e))
        }
    };
    std::process::ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers stand for the options meant: each has its documented default until set.
    #[test]
    fn the_allocator_options_are_those_named() {
        // SAFETY: reads of mimalloc's option table; no test here sets them.
        let (eager, delay) = unsafe {
            (libmimalloc_sys::mi_option_get(ARENA_EAGER_COMMIT), libmimalloc_sys::mi_option_get(PURGE_DELAY))
        };
        assert_eq!((eager, delay), (2, DEFAULT_PURGE_DELAY));
    }
}
