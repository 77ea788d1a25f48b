//! The facets panel's keys at the app's level: `F` opens it over the listed studies, and
//! Enter on a value puts its filter in the query (or takes it out), the panel counting again.

use ratatui::layout::Rect;

use super::facets::{self, FacetsPanel, Outcome};
use crate::tui::action::Command;
use crate::tui::app::{App, ListView};
use crate::tui::list_rows::refilter;
use crate::tui::list_view::leave_view;

/// `F`: the facets of the listed studies (a view's too: its rows are a result set as well).
pub(crate) fn open_facets(app: &mut App) {
    app.facets = Some(FacetsPanel::new(&app.columns(), &app.visible));
}

/// A key while the facets panel is open: Enter puts the value's filter in the query (or takes it
/// out) and runs it, and the panel counts the new result set.
pub(crate) fn on_facets_command(app: &mut App, command: Command) {
    let page = facets::page(Rect::new(0, 0, app.size.width, app.size.height));
    let Some(panel) = app.facets.as_mut() else { return };
    match panel.on_command(command, page) {
        Outcome::Nothing => {}
        Outcome::Close => app.facets = None,
        Outcome::Quit => app.quit = true,
        Outcome::NoFilter(facet) => {
            app.message = Some(format!("{} has no query filter: the count is for reading", facet.heading()))
        }
        Outcome::Toggle(term) => {
            if app.view != ListView::All {
                leave_view(app);
            }
            let text = facets::toggled(&app.filter.text, &term);
            let _ = refilter(app, &text, false, false);
            app.message =
                Some(if text.is_empty() { "Every study".to_string() } else { format!("Query: {text}") });
            if let Some(mut panel) = app.facets.take() {
                panel.recount(&app.columns(), &app.visible);
                app.facets = Some(panel);
            }
        }
    }
}
