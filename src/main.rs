//! The `nct` binary: see `nct --help`, and `cli` for the commands. It sits above both faces of
//! nct: the command line parses the arguments and runs its commands, and the binary launches the
//! app when they ask for it, so that `cli` and `tui` never import each other.

use nct::cli::Invocation;

/// Loading parses every record with many small allocations; mimalloc makes them markedly cheaper
/// than the system allocator and returns memory well across rayon's threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Every reader of the settings file reports the app's settings as the app reads them.
    nct::user::config::register_app_settings(nct::tui::settings::READER);
    let code = match nct::cli::run() {
        Invocation::Done(code) => code,
        Invocation::App { paths, since, settings } => {
            nct::tui::run(paths, since, settings).unwrap_or_else(|e| nct::cli::terminal_failed(&e))
        }
    };
    std::process::ExitCode::from(code)
}
