//! The `nct` binary: see `nct --help`, and `cli` for the commands.

fn main() -> std::process::ExitCode {
    nct::cli::run()
}
