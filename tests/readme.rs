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
