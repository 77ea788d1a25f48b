//! The `nct` binary: see `nct --help`, and `cli` for the commands.

/// Loading parses every record with many small allocations; mimalloc makes them markedly cheaper
/// than the system allocator and returns memory well across rayon's threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    nct::cli::run()
}
