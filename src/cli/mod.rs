//! The command line: `nct [PATH...]`, `nct show`, `nct criteria`, `nct search`, `nct facets`,
//! `nct diff`, `nct check`, `nct profile` (and `nct completions`, `nct man`, written from this definition). Same catalog as
//! the app, printed as text, markdown or JSON for SSH sessions and pipes. With no PATH, every
//! command reads the library the settings name.
//!
//! Exit codes follow grep and ripgrep: 0 found / all loaded, 1 nothing found / something in the
//! input failed to load (each failure on stderr as `origin: reason`), 2 usage or query error.

mod cache;
mod check;
mod completions;
mod config;
mod criteria;
mod diff;
mod facets;
mod output;
mod profile;
mod screenings;
mod search;
pub(crate) mod show;

use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::present::safe_text::is_unsafe;

pub use output::{plural, thousands};

const EXAMPLES: &str = "\
Examples:
  nct assets                          browse the bundled studies
  nct ~/trials/ctg-studies.json.zip   browse a download from clinicaltrials.gov
  nct show NCT02491658 assets         print one study as text
  nct criteria NCT02491658 assets     its eligibility criteria as a tree
  nct search 'psoriasis phase:3' assets   find studies, best first
  nct facets 'status:recruiting' assets   count them by phase, country, sponsor…
  nct check ~/trials                  what loads, what does not, and why
  nct diff last-month.zip today.zip   studies added, removed and changed, and what changed

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
    command: Option<CliCommand>,

    /// Study files, zips or folders to open
    paths: Vec<PathBuf>,

    /// Open the app comparing with OLD (an older download): new and changed studies are marked
    /// in the list, `changed:` filters them, and each one's Overview starts with what changed
    #[arg(long, value_name = "OLD")]
    since: Option<PathBuf>,
}

// A subcommand of `nct` (not the tui's `keymap::Command`, which is what a key does). A plain
// comment: clap would take a doc comment for help text.
#[derive(Debug, Subcommand)]
enum CliCommand {
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
        /// Study files, zips or folders to look in (none: the settings' `library`)
        paths: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// Print one study's eligibility criteria as a tree: sections, items with their labels as
    /// registered and references (I2.a), and the thresholds found in them
    #[command(after_help = "Examples:
  nct criteria NCT02491658 assets
  nct criteria NCT02491658 --format markdown > criteria.md
  nct criteria NCT02491658 assets --format json | jq '.sections[].items[].ref'

JSON: {\"nct_id\", \"sex\", \"minimum_age\", \"maximum_age\", \"healthy_volunteers\", \"sections\":
[{\"kind\": \"inclusion\"|\"exclusion\"|\"other\", \"heading\", \"intro\", \"items\": [{\"ref\", \"label\",
\"text\", \"thresholds\": [{\"what\", \"comparator\", \"value\", \"low\", \"high\", \"unit\", \"text\"}],
\"items\": [...]}]}]}. References: I (inclusion), E (exclusion), O (other) and the item's place,
then a letter, a number, a letter... per level below (I2, I2.a, I2.a.1).
Exit status: 0 when the study is found, 1 when it is not, 2 on a usage error.")]
    Criteria {
        /// The study's NCT id (any case), e.g. NCT02491658
        id: String,
        /// Study files, zips or folders to look in (none: the settings' `library`)
        paths: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = CriteriaFormat::Text)]
        format: CriteriaFormat,
    },
    /// Find studies: words, "phrases", -negation, OR, and field filters, best match first
    #[command(after_help = search_help())]
    Search {
        /// The query; quote it for the shell, e.g. 'psoriasis phase:3'. It may start with `-`
        /// ('-placebo vaccine'): a negation is a query, not an option
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Study files, zips or folders to search (none: the settings' `library`)
        paths: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = SearchFormat::Table)]
        format: SearchFormat,
        /// Print at most this many studies (0: all)
        #[arg(long, short = 'n', default_value_t = 50)]
        limit: usize,
        /// The order: relevance (best match first; catalog order for a query without words),
        /// updated, start, completion (newest first), enrollment (largest first), id
        #[arg(long, short, value_enum, default_value_t = SearchSort::Relevance)]
        sort: SearchSort,
    },
    /// Count the studies a query finds by status, phase, type, results, funder, sex, age group,
    /// country, sponsor, condition, intervention type and start year
    #[command(after_help = "Examples:
  nct facets '' assets                      every facet over every study
  nct facets 'cond:diabetes' ~/trials --field phase --field country
  nct facets 'status:recruiting' assets --format json | jq '.facets.country[:5]'

A study counts once in each value it has: a PHASE1+PHASE2 study counts for both phases, a study
with sites in three countries for each. Text shows the most frequent values of each facet;
JSON lists them all, as the registry writes them: {\"total\": N, \"facets\": {\"status\":
[{\"value\": \"RECRUITING\", \"count\": 12}, ...], ...}}.
Facets: status phase type results funder sex age_group country sponsor condition
intervention_type start_year.
Exit status: 0 when something matched, 1 when nothing matched or an input failed to load,
2 on a usage or query error.")]
    Facets {
        /// The query, as for `nct search`; '' for every study
        query: String,
        /// Study files, zips or folders to count in (none: the settings' `library`)
        paths: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = FacetsFormat::Text)]
        format: FacetsFormat,
        /// Only this facet (repeat for more): status, phase, type, results, funder, sex,
        /// age_group, country, sponsor, condition, intervention_type, start_year
        #[arg(long = "field", value_name = "NAME", value_parser = facet_name)]
        fields: Vec<crate::catalog::facets::Facet>,
    },
    /// What changed between two downloads: studies added, removed and changed, and for each
    /// changed study its changes (status, dates, enrollment, results, sites, eligibility…)
    #[command(after_help = "Examples:
  nct diff ctg-studies-2025-01.json.zip ctg-studies-2025-02.json.zip
  nct diff old/ new/ --query 'cond:psoriasis status:recruiting' --format markdown > changes.md
  nct diff old.zip new.zip --format json | jq '.changed[] | select(.changes[].kind == \"status\")'
  nct diff --bookmarks ~/trials/ctg-studies.json.zip   your studies since you last viewed them

OLD and NEW are any inputs nct reads (a study file, a folder, a zip). --query keeps the studies
that match it in NEW (and, for studies removed, in OLD), as `nct search` matches.
JSON: {\"added\": [ids], \"removed\": [ids], \"changed\": [{\"id\": \"NCT…\", \"changes\":
[{\"kind\": \"status\", \"path\": \"protocolSection.statusModule.overallStatus\", \"from\": …,
\"to\": …}]}]}; kinds: status start_date primary_completion_date completion_date enrollment
results_posted sites eligibility outcomes arms interventions sponsor other.
--bookmarks PATH compares each bookmarked study in PATH with its record as you last viewed it in
the app (kept in the data folder's seen/); studies never viewed since are listed as not viewed
(JSON: \"not_viewed\"). The report does not count as viewing: the copies stay as they are.
The registry's snapshot date (versionHolder), which differs in every record of two downloads, is
not a change. Unchanged studies are skipped by a fingerprint kept in the catalog cache.
Exit status (as diff): 0 when nothing changed, 1 when something did, 2 on trouble (usage or
query error, an input that failed to load).")]
    Diff {
        /// The older download: a study file, a folder or a zip
        #[arg(required_unless_present = "bookmarks")]
        old: Option<PathBuf>,
        /// The newer download
        #[arg(required_unless_present = "bookmarks")]
        new: Option<PathBuf>,
        /// Your bookmarked studies in PATH against their records as you last viewed them in the
        /// app (a weekly "what changed in my studies")
        #[arg(long, value_name = "PATH", conflicts_with_all = ["old", "new", "query"])]
        bookmarks: Option<PathBuf>,
        /// Only studies matching this query (as `nct search`), e.g. 'cond:psoriasis'
        #[arg(long, short, allow_hyphen_values = true)]
        query: Option<String>,
        #[arg(long, short, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Load the inputs and report what was read, duplicates, and every failure
    #[command(after_help = "Examples:
  nct check ctg-studies.json.zip
  nct check ~/trials --format json

Failures are printed on stderr as `origin: reason`, where origin names the file and, inside it,
the zip entry (`file.zip!/NCT0001.json`), the array element (`file.json[3]`, counted from 0) or
the line (`file.ndjson:12`). A study with a value that cannot be read (a date `2024-13-45`, a
list given as text) loads without that field, and a warning follows the failures:
`origin NCT-ID: field.path: problem; field left out`.
Exit status: 0 when every study loaded (warnings or not), 1 when anything failed to load, 2 on a
usage error.")]
    Check {
        /// Study files, zips or folders to check (none: the settings' `library`)
        paths: Vec<PathBuf>,
        #[arg(long, short, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// The screening log: every patient screened in the app (m in a study's Criteria pane), with
    /// the verdict and the criteria not met or unknown, from the screening files alone
    #[command(after_help = "Examples:
  nct screenings                       every screening, newest first
  nct screenings --study NCT05183427   the patients screened for one study
  nct screenings --patient P-014 --format markdown > P-014.md
  nct screenings --format csv > screening-log.csv

The screenings are the files in the data folder's screenings/ (nct config --path says where), one
per study and patient reference. A file that cannot be read is named on stderr; the others are
listed. Exit status: 0 when screenings were listed, 1 when there were none (or a file could not be
read), 2 on a usage error.")]
    Screenings {
        /// Only the screenings of this study
        #[arg(long, value_name = "ID")]
        study: Option<String>,
        /// Only the screenings of this patient reference
        #[arg(long, value_name = "REF")]
        patient: Option<String>,
        #[arg(long, short, value_enum, default_value_t = ScreeningsFormat::Text)]
        format: ScreeningsFormat,
    },
    /// Where nct keeps your settings, bookmarks, notes, history and cache; check the settings
    #[command(after_help = "Examples:
  nct config --path     where every file lives
  nct config --init     write a commented config.toml with the defaults (kept if one exists)
  nct config            check config.toml: mistakes and unknown settings, with their lines

Exit status: 0 when the settings are fine, 1 when config.toml has a mistake, 2 on a usage error.")]
    Config {
        /// Print where each file lives
        #[arg(long)]
        path: bool,
        /// Write a commented default config.toml (an existing one is kept)
        #[arg(long)]
        init: bool,
    },
    /// The catalog cache: where it is, its entries and their size; --verify checks them, --clear
    /// removes them
    #[command(
        after_help = "nct keeps, per set of inputs of 1,000 studies or more, their summaries and search index,
so that the next nct on them opens at once. An entry is rebuilt when its inputs change, and
when it is found damaged (every file of an entry carries checksums).
NCT_CACHE=off neither reads nor writes it; NCT_CACHE=always caches inputs of any size.
Examples:
  nct cache                   the entries and their size
  nct cache --path            the folder
  nct cache --verify          read every byte of every entry; remove the damaged ones
  nct cache --verify ~/trials the same for the entry of these inputs
  nct cache --clear           remove every entry

Exit status: 0 when all is well, 1 when an entry was damaged (or could not be removed)."
    )]
    Cache {
        /// Print the cache folder
        #[arg(long, conflicts_with_all = ["clear", "verify"])]
        path: bool,
        /// Remove every entry
        #[arg(long, conflicts_with = "verify")]
        clear: bool,
        /// Verify every entry (or the entry of PATHS) byte by byte; damaged ones are removed
        #[arg(long)]
        verify: bool,
        /// With --verify: the inputs whose entry to verify
        #[arg(requires = "verify")]
        paths: Vec<PathBuf>,
    },
    /// Patient profiles for fits:NAME: list them, print one, or --set its values
    #[command(after_help = "A profile NAME is a pseudonymous code (P-014): keep patients' names and other
identifying data out of profiles. They are kept in profiles.toml in the data folder
(nct config --path).

Keys: age (years), sex (female|male), healthy (yes|no), condition (repeatable, or a comma
list), place (text, as near: reads it), ecog (0-5), karnofsky (0-100), and values with their
unit: anc, platelets, wbc, lymphocytes, cd4, haemoglobin, creatinine, crcl, egfr, bilirubin,
ast, alt, alp, albumin, inr, hba1c, glucose, potassium, sodium, bmi, weight, qtc, lvef, spo2,
systolic, diastolic, heart_rate, psa, testosterone, tsh. Units convert where they are
comparable (x10^9/L, /µL and /mm3; g/dL and g/L; mg/dL and µmol/L...); a value given as
x ULN compares only with thresholds written as x ULN.

Examples:
  nct profile                       list the profiles
  nct profile P-014 --set age=67 --set sex=female --set ecog=1 --set \"anc=1.8 x10^9/L\"
  nct profile P-014 --set \"condition=breast cancer\" --set \"place=Baltimore, Maryland\"
  nct profile P-014                 print it
  nct profile P-014 --unset ecog    forget one value
  nct profile P-014 --delete
  nct search fits:P-014             the open studies the patient may fit

Exit status: 0 when done, 1 when the profile does not exist, 2 on a usage error or a bad value.")]
    Profile {
        /// The profile's name, a pseudonymous code such as P-014 (none: list the profiles)
        name: Option<String>,
        /// Set a value: key=value, e.g. age=67, sex=female, "anc=1.8 x10^9/L" (repeatable)
        #[arg(long, value_name = "KEY=VALUE", requires = "name")]
        set: Vec<String>,
        /// Forget a value (condition: all of them) (repeatable)
        #[arg(long, value_name = "KEY", requires = "name")]
        unset: Vec<String>,
        /// Delete the profile
        #[arg(long, requires = "name", conflicts_with_all = ["set", "unset"])]
        delete: bool,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(after_help = "Examples:
  nct completions bash > ~/.local/share/bash-completion/completions/nct
  nct completions zsh > \"${fpath[1]}/_nct\"
  nct completions fish > ~/.config/fish/completions/nct.fish")]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `nct man > ~/.local/share/man/man1/nct.1`
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CriteriaFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Aligned columns: id, status, phase, title
    Table,
    /// One NCT id a line, best first
    Ids,
    /// The registry website's export columns
    Csv,
    /// An array of objects
    Json,
    /// One JSON object a line
    Ndjson,
}

/// `nct search --sort`: the catalog's [`SortOrder`](crate::catalog::order::SortOrder)s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchSort {
    Relevance,
    Updated,
    Start,
    Completion,
    Enrollment,
    Id,
    /// The nearest matching site first; needs `near:` in the query.
    Distance,
}

impl SearchSort {
    fn order(self) -> crate::catalog::order::SortOrder {
        use crate::catalog::order::SortOrder;
        match self {
            SearchSort::Relevance => SortOrder::Relevance,
            SearchSort::Updated => SortOrder::Updated,
            SearchSort::Start => SortOrder::Start,
            SearchSort::Completion => SortOrder::Completion,
            SearchSort::Enrollment => SortOrder::Enrollment,
            SearchSort::Id => SortOrder::Id,
            SearchSort::Distance => SortOrder::Distance,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FacetsFormat {
    /// One block per facet, the most frequent values first
    Text,
    /// {"total": N, "facets": {"status": [{"value": ..., "count": ...}, ...], ...}}
    Json,
}

/// A `--field` of `nct facets`.
fn facet_name(name: &str) -> Result<crate::catalog::facets::Facet, String> {
    use crate::catalog::facets::Facet;
    Facet::named(name).ok_or_else(|| {
        let names: Vec<&str> = Facet::ALL.iter().map(|f| f.name()).collect();
        format!("no facet {name:?}; the facets are {}", names.join(", "))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Counts, ids added and removed, a line per change
    Text,
    /// The same with headings and lists
    Markdown,
    /// {"added": [...], "removed": [...], "changed": [{"id", "changes": [...]}]}
    Json,
    /// One row per study added or removed and per change
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScreeningsFormat {
    /// A line per screening, its counts and open criteria under it
    Text,
    /// One row per screening: Date, Patient, Study, Title, Verdict, Counts, Not met or unknown
    Csv,
    /// A table, then the open criteria of each screening
    Markdown,
    /// [{"date", "patient", "study", "title", "verdict", "counts", "open": [...]}]
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

/// `nct search --help`'s text after the options: the fields listed from the query's own table
/// of fields, so that the list never leaves one out.
fn search_help() -> String {
    let fields: Vec<String> = crate::query::filter::field_names().map(|name| format!("{name}:")).collect();
    format!(
        "Examples:
  nct search psoriasis assets
  nct search 'phase:3 status:recruiting' ctg-studies.json.zip --limit 0
  nct search '\"stem cells\" -cord' ~/trials --format ids
  nct search 'country:japan age:70' assets --format csv > studies.csv
  nct search 'cond:diabetes start:>=2020' assets --format ndjson | jq .sponsor
  nct search 'status:recruiting near:\"Baltimore, Maryland\":25mi' ~/trials --sort distance

Query: every word must match (any case, accents ignored, English stems: vaccines finds vaccine);
\"exact phrases\"; -word or NOT word; a OR b; parentheses; field filters (e.g. status:open
phase:2 age:<18 start:2019..2021). An empty query matches every study.
Fields: {}
Exit status: 0 when something matched, 1 when nothing matched or an input failed to load,
2 on a usage or query error (the message points at the column).",
        fields.join(" ")
    )
}

/// What the command line asks for. The app is launched by the binary (`main.rs`), not from here,
/// so that the shell's commands never depend on the terminal app.
pub enum Invocation {
    /// A command ran (or the arguments were wrong): exit with this status.
    Done(u8),
    /// Open the app on these inputs, with these settings, compared with `since` if given.
    App { paths: Vec<PathBuf>, since: Option<PathBuf>, settings: crate::user::config::Loaded },
}

/// Parses the arguments and runs the command they name; a bare `nct` with a terminal returns
/// [`Invocation::App`] for the binary to launch.
pub fn run() -> Invocation {
    // Before any thread starts: a panic caught inside the search index must print nothing.
    crate::catalog::quiet_caught_panics();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap quotes the arguments it could not take; one may hold a control character
            // (a file name, a pasted title), and then the message goes out plain and shown safe.
            let plain = e.render().to_string();
            let layout = |c: char| matches!(c, '\n' | '\t');
            if e.use_stderr() && plain.contains(|c| is_unsafe(c) && !layout(c)) {
                output::eprint_lines([plain.trim_end().to_owned()]);
            } else {
                let _ = e.print();
            }
            return Invocation::Done(if e.use_stderr() { exit::USAGE } else { exit::OK });
        }
    };
    let code = match cli.command {
        Some(CliCommand::Show { id, paths, format }) => {
            with_paths(paths, |paths| show::run(&id, paths, format))
        }
        Some(CliCommand::Criteria { id, paths, format }) => {
            with_paths(paths, |paths| criteria::run(&id, paths, format))
        }
        Some(CliCommand::Search { query, paths, format, limit, sort }) => {
            with_paths(paths, |paths| search::run(&query, paths, format, limit, sort.order()))
        }
        Some(CliCommand::Facets { query, paths, format, fields }) => {
            with_paths(paths, |paths| facets::run(&query, paths, format, &fields))
        }
        Some(CliCommand::Diff { old, new, bookmarks, query, format }) => match (bookmarks, old, new) {
            (Some(path), _, _) => diff::bookmarks(&path, format),
            (None, Some(old), Some(new)) => diff::run(&old, &new, query.as_deref(), format),
            // clap requires both without --bookmarks.
            (None, _, _) => exit::USAGE,
        },
        Some(CliCommand::Check { paths, format }) => with_paths(paths, |paths| check::run(paths, format)),
        Some(CliCommand::Screenings { study, patient, format }) => {
            screenings::run(study.as_deref(), patient.as_deref(), format)
        }
        Some(CliCommand::Config { path, init }) => config::run(path, init),
        Some(CliCommand::Profile { name, set, unset, delete }) => {
            profile::run(name.as_deref(), &set, &unset, delete)
        }
        Some(CliCommand::Completions { shell }) => completions::script(shell, Cli::command()),
        Some(CliCommand::Man) => completions::manual(Cli::command()),
        Some(CliCommand::Cache { path, clear, verify, paths }) => {
            if verify {
                cache::verify(&paths)
            } else {
                cache::run(path, clear)
            }
        }
        None => return open_app(cli.paths, cli.since),
    };
    Invocation::Done(code)
}

/// The app, when there is a terminal to draw on; otherwise (a pipe) the list of studies. With
/// no PATH, the library the settings name.
fn open_app(paths: Vec<PathBuf>, since: Option<PathBuf>) -> Invocation {
    use std::io::IsTerminal;
    let loaded = crate::user::config_file().map(|file| crate::user::config::load(&file)).unwrap_or_default();
    let paths = if paths.is_empty() { loaded.config.library.clone() } else { paths };
    if paths.is_empty() {
        // A library the settings could not give (a mistake, a file that is not one) is said first.
        output::eprint_lines(loaded.warnings);
        output::error(
            "no PATH given: name study files, zips or folders, e.g. `nct assets`, or set `library` in \
             the settings (`nct config --init` writes them; see `nct --help`)",
        );
        return Invocation::Done(exit::USAGE);
    }
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        output::eprint_lines(loaded.warnings);
        return Invocation::Done(check::list(&paths));
    }
    Invocation::App { paths, since, settings: loaded }
}

/// The app could not take the terminal: says so, and returns the exit status.
pub fn terminal_failed(e: &std::io::Error) -> u8 {
    output::error(&format!("cannot use the terminal: {e}"));
    exit::PROBLEM
}

/// Runs a command on its PATHs; with none, on the library the settings name, as a bare `nct`
/// does; with neither, says how to give some.
fn with_paths(paths: Vec<PathBuf>, command: impl FnOnce(&[PathBuf]) -> u8) -> u8 {
    if !paths.is_empty() {
        return command(&paths);
    }
    let loaded = crate::user::config_file().map(|file| crate::user::config::load(&file)).unwrap_or_default();
    if loaded.config.library.is_empty() {
        // A library the settings could not give (a mistake, a file that is not one) is said first.
        output::eprint_lines(loaded.warnings);
        output::error(
            "no PATH given and no library in the settings: name study files, zips or folders after \
             the command, e.g. `nct search psoriasis assets`, or set `library` in the settings (`nct \
             config --init` writes them; see `nct --help`)",
        );
        return exit::USAGE;
    }
    command(&loaded.config.library)
}
