//! The command line: `nct [PATH...]`, `nct show`, `nct check`. Same catalog as the app, printed
//! as text, markdown or JSON for SSH sessions and pipes.
//!
//! Exit codes follow grep and ripgrep: 0 found / all loaded, 1 nothing found / something in the
//! input failed to load (each failure on stderr as `origin: reason`), 2 usage error.

mod check;
mod output;
pub(crate) mod show;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use output::{plural, thousands};

const EXAMPLES: &str = "\
Examples:
  nct assets                          browse the bundled studies
  nct ~/trials/ctg-studies.json.zip   browse a download from clinicaltrials.gov
  nct show NCT02491658 assets         print one study as text
  nct check ~/trials                  what loads, what does not, and why

A PATH is a study file (JSON object, array or API page, NDJSON, or a text export), a zip of
them, or a folder of any of these (read recursively). `-` reads standard input.";

#[derive(Debug, Parser)]
#[command(
    name = "nct",
    version,
    about = "Read and search ClinicalTrials.gov study records in the terminal",
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// Study files, zips or folders to open
    paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print one study: titles, status, design, eligibility, outcomes and sites
    #[command(after_help = "Examples:
  nct show NCT02491658 assets
  nct show nct02491658 ctg-studies.json.zip --format markdown > study.md
  nct show NCT02491658 assets --format json | jq .protocolSection.eligibilityModule

`--format json` prints the record exactly as the registry wrote it.
Exit status: 0 when the study is found, 1 when it is not, 2 on a usage error.")]
    Show {
        /// The study's NCT id (any case), e.g. NCT02491658
        id: String,
        /// Study files, zips or folders to look in
        paths: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Load the inputs and report what was read, duplicates, and every failure
    #[command(after_help = "Examples:
  nct check ctg-studies.json.zip
  nct check ~/trials --format json

Failures are printed on stderr as `origin: reason`, where origin names the file and, inside it,
the zip entry (`file.zip!/NCT0001.json`), the array element (`file.json[3]`, counted from 0) or
the line (`file.ndjson:12`).
Exit status: 0 when everything loaded, 1 when anything failed to load, 2 on a usage error.")]
    Check {
        /// Study files, zips or folders to check
        paths: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

/// Exit statuses, as grep and ripgrep use them.
pub mod exit {
    pub const OK: u8 = 0;
    pub const PROBLEM: u8 = 1;
    pub const USAGE: u8 = 2;
}

pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    let code = match cli.command {
        Some(Command::Show { id, paths, format }) => with_paths(paths, |paths| show::run(&id, paths, format)),
        Some(Command::Check { paths, format }) => with_paths(paths, |paths| check::run(paths, format)),
        None => with_paths(cli.paths, open_app),
    };
    ExitCode::from(code)
}

/// The app, when there is a terminal to draw on; otherwise (a pipe) the list of studies.
fn open_app(paths: &[PathBuf]) -> u8 {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return check::list(paths);
    }
    match crate::tui::run(paths.to_vec()) {
        Ok(code) => code,
        Err(e) => {
            output::error(&format!("cannot use the terminal: {e}"));
            exit::PROBLEM
        }
    }
}

/// Runs a command on its PATHs, or says how to give some.
fn with_paths(paths: Vec<PathBuf>, command: impl FnOnce(&[PathBuf]) -> u8) -> u8 {
    if paths.is_empty() {
        output::error(
            "no PATH given: name study files, zips or folders, e.g. `nct assets` (see `nct --help`)",
        );
        return exit::USAGE;
    }
    command(&paths)
}
