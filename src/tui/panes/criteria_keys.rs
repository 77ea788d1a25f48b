//! The Criteria pane's key: `r` shows the text as registered instead of the split criteria.

use crate::tui::action::Command;
use crate::tui::app::{App, Pane};

/// What the status bar offers while the pane is shown.
pub(crate) const HINTS: &[Command] = &[Command::ToggleRaw];

/// `r`: the registered text, or the split criteria again.
pub(crate) fn toggle_raw(app: &mut App) {
    if app.pane == Pane::Criteria {
        app.raw_criteria = !app.raw_criteria;
    }
}
