//! Writing to stdout and stderr without panicking when the reader goes away (`nct show … | head`),
//! and the single door to them: whatever the commands print passes through [`SafeText`], so a
//! control character from a record, a file name or a note is shown, never sent to the terminal.

use std::io::{self, Write};

use crate::present::safe_text::{SafeText, visible};
pub use crate::present::words::{plural, size, thousands};

/// Writes all of `text` to stdout. A closed pipe is not an error worth reporting.
pub fn print(text: impl Into<SafeText>) {
    let text = text.into();
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_str().as_bytes()).and_then(|()| out.flush());
}

/// One message line on stderr, prefixed with the program's name.
pub fn error(message: &str) {
    let _ = writeln!(io::stderr().lock(), "nct: {}", visible(message));
}

/// Lines on stderr as they are, but for characters a terminal must not be sent.
pub fn eprint_lines<I: IntoIterator<Item = String>>(lines: I) {
    let mut err = io::stderr().lock();
    for line in lines {
        if writeln!(err, "{}", visible(&line)).is_err() {
            return;
        }
    }
}
