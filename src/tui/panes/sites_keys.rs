//! The Sites pane's keys: the selection moves through the table, and `s` sorts it (as listed,
//! by country, by status), the same site staying selected.

use ratatui::layout::Rect;

use super::sites::{self, SitesState};
use crate::tui::action::Command;
use crate::tui::app::{App, Pane};
use crate::tui::navigate::moved;

/// What the status bar offers while the pane is shown.
pub(crate) const HINTS: &[Command] = &[Command::SortSites];

/// A movement key in the table of `body`'s height.
pub(crate) fn move_selection(state: &mut SitesState, command: Command, body: Rect) {
    let rows = sites::table_rows(body);
    let last = state.order.len().saturating_sub(1);
    let target = moved(state.selected, command, rows.max(1), last);
    let delta = isize::try_from(target).unwrap_or(isize::MAX) - isize::try_from(state.selected).unwrap_or(0);
    state.move_by(delta, rows);
}

/// `s`: the next order of the sites.
pub(crate) fn sort_sites(app: &mut App) {
    if app.pane != Pane::Sites {
        return;
    }
    if let Some(detail) = app.detail.as_mut()
        && let Ok(study) = detail.record.as_deref()
    {
        let next = detail.sites.sort.next();
        detail.sites.sort_by(study, next);
        app.message = Some(format!("Sites sorted {}", next.label()));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn sites_selection_and_sort() {
        let mut app = assets_app(120, 40);
        app.selected = app.studies.iter().position(|s| &*s.id == "NCT05183427").unwrap();
        press(&mut app, &[Command::Open, Command::Pane4, Command::PageDown, Command::Down]);
        let sites = &app.detail.as_ref().unwrap().sites;
        assert!(sites.selected > 1);
        let chosen = sites.order[sites.selected];
        press(&mut app, &[Command::SortSites]);
        let sites = &app.detail.as_ref().unwrap().sites;
        assert_eq!(sites.order[sites.selected], chosen, "sorting keeps the same site selected");
        press(&mut app, &[Command::Bottom]);
        let sites = &app.detail.as_ref().unwrap().sites;
        assert_eq!(sites.selected, sites.order.len() - 1);
    }
}
