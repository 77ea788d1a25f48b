//! `nct completions SHELL` and `nct man`: the shell completion script and the manual page,
//! written from the same clap definition the parser uses, so that neither can fall behind an
//! option (ripgrep, fd and bat ship theirs the same way).

use super::{exit, output};
use crate::present::safe_text::SafeText;

/// The completion script for `shell` on stdout.
pub fn script(shell: clap_complete::Shell, mut command: clap::Command) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "nct", &mut script);
    print_generated(&script, "completion script")
}

/// The manual pages (section 1, roff) on stdout: `nct`'s, then one per subcommand (`nct-show`,
/// …), as `man -l` reads them one after another.
pub fn manual(command: clap::Command) -> u8 {
    let command = command.name("nct");
    let mut page = Vec::new();
    let written = clap_mangen::Man::new(command.clone()).render(&mut page).and_then(|()| {
        for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set() && sub.get_name() != "help") {
            let page_of = sub.clone().display_name(format!("nct-{}", sub.get_name()));
            let page_of = page_of.bin_name(format!("nct {}", sub.get_name()));
            clap_mangen::Man::new(page_of).render(&mut page)?;
        }
        Ok(())
    });
    match written {
        Ok(()) => print_generated(&page, "manual page"),
        Err(e) => {
            output::error(&format!("cannot write the manual page: {e}"));
            exit::PROBLEM
        }
    }
}

/// Generated text of our own, printed as it is; it holds no input, only the command's help.
fn print_generated(bytes: &[u8], what: &str) -> u8 {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            output::print(SafeText::text(text));
            exit::OK
        }
        Err(e) => {
            output::error(&format!("the {what} is not UTF-8 ({e}); please report this"));
            exit::PROBLEM
        }
    }
}
