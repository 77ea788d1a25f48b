//! The README's table of keys is generated from the keymap (`nct::tui::keymap::BINDINGS`, the same
//! table the help screen and the keys themselves use): this test builds the markdown table and
//! checks the README contains it exactly, so the two cannot drift. On failure it prints the
//! table to paste in.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use nct::tui::keymap::{BINDINGS, keys_label};

/// The table, one row per binding in the keymap's order, with the action's name in the settings
/// (`[keys]`) where it can be remapped.
fn keys_table() -> String {
    let mut table = String::from("| keys | where | what it does | action |\n|---|---|---|---|\n");
    for binding in BINDINGS {
        let action =
            if binding.scope.edits_text() { String::new() } else { format!("`{}`", binding.command.name()) };
        table.push_str(&format!(
            "| `{}` | {} | {} | {action} |\n",
            keys_label(binding),
            binding.scope.title(),
            binding.help
        ));
    }
    table
}

#[test]
fn readme_lists_every_key() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = keys_table();
    assert!(
        readme.contains(&table),
        "README.md does not contain the table of keys generated from the keymap; paste this in \
         its place (section \"The app\"):\n\n{table}"
    );
}

#[test]
fn the_table_has_a_row_per_binding() {
    let table = keys_table();
    assert_eq!(table.lines().count(), BINDINGS.len() + 2);
    assert!(BINDINGS.iter().all(|b| !keys_label(b).contains('|') && !b.help.contains('|')));
}

/// The README's screens of `nct assets` count what the app loads from `assets/`: the header's
/// "assets  N studies", the list's "Studies K/N" and the status bar's "K/N".
#[test]
fn readme_counts_the_bundled_studies() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let assets = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
    let loaded = nct::catalog::Catalog::load(&[assets]).len();
    let number_after = |line: &str, marker: &str| -> Option<usize> {
        let rest = &line[line.find(marker)? + marker.len()..];
        rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    };
    let mut counts = Vec::new();
    for line in readme.lines() {
        if let Some(n) = number_after(line, " nct  assets  ") {
            counts.push((n, line));
        }
        if line.starts_with("┌ Studies ") {
            counts.extend(number_after(line, "/").map(|n| (n, line)));
        }
    }
    assert!(counts.len() >= 4, "no screens of `nct assets` found in the README");
    for (n, line) in counts {
        assert_eq!(n, loaded, "the README says {n} where the app shows {loaded} studies: {line:?}");
    }
}
