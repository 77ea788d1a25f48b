//! The Sites pane's keys: the selection moves through the table, `s` sorts it (as listed, by
//! country, by status, nearest first when a query asks `near:` a place) and `f` filters it (all
//! sites, recruiting, within the distance asked), the same site staying selected. The pane
//! follows the place the query asks about (`App.near`).

use ratatui::layout::Rect;

use super::sites::{self, SiteFilter, SiteSort, SitesState};
use crate::present::words::{plural, thousands};
use crate::tui::action::Command;
use crate::tui::app::{App, Pane};
use crate::tui::navigate::moved;

/// What the status bar offers while the pane is shown.
pub(crate) const HINTS: &[Command] = &[Command::SortSites, Command::FilterSites];

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
        let next = detail.sites.sort.next(detail.sites.near.is_some());
        detail.sites.sort_by(study, next);
        app.message = Some(match (next, detail.sites.near.as_ref()) {
            (SiteSort::Nearest, Some(area)) => format!("Sites nearest to {} first", area.place),
            _ => format!("Sites sorted {}", next.label()),
        });
    }
}

/// `f`: the next filter of the sites (all, recruiting, within the distance when a query asks
/// `near:` a place).
pub(crate) fn filter_sites(app: &mut App) {
    if app.pane != Pane::Sites {
        return;
    }
    if let Some(detail) = app.detail.as_mut()
        && let Ok(study) = detail.record.as_deref()
    {
        let state = &mut detail.sites;
        let next = state.filter.next(state.near.is_some());
        state.filter_by(study, next);
        let shown = state.order.len();
        let total =
            study.protocol_section.as_ref().map_or(0, |p| p.contacts_locations_module.locations.len());
        app.message = Some(match next {
            SiteFilter::All => format!("All {} shown", plural(total, "site", "sites")),
            _ => format!(
                "{} of {} shown, {}",
                thousands(shown),
                plural(total, "site", "sites"),
                next.label(state.near.as_ref())
            ),
        });
    }
}

/// The open study's sites measured from the place the query asks about, when it changed (a
/// query with `near:` applied, or taken away): nearest first with their distances, or back to
/// as listed.
pub(crate) fn follow_near(app: &mut App) {
    let Some(detail) = app.detail.as_mut() else { return };
    let Ok(study) = detail.record.as_deref() else { return };
    if detail.sites.near != app.near {
        detail.sites.set_near(study, app.near.as_ref());
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
