//! Finding text in the pane on screen (`/` with the study focused, then `n` and `N`): the
//! matches as typed, the pane scrolled to the current one, found again when the pane is rebuilt.
//! In a text pane a match is a stretch of a line; in the Sites pane it is a site (a row of the
//! table, `FindMatch::line`) holding the text in its facility, address or contacts, and moving
//! to it selects it.

use crate::tui::app::{App, Pane};
use crate::tui::detail::detail_body;
use crate::tui::search::{self, Find, FindMatch};

/// The find line's text changed: the matches from the first one on screen on.
pub(crate) fn find_as_typed(app: &mut App, text: &str) {
    super::record_keys::reveal(app, text);
    let matches = matches_in_pane(app, text);
    let scroll = pane_scroll(app);
    let current = matches.iter().position(|m| m.line >= scroll).unwrap_or(0);
    app.find = Some(Find { text: text.to_string(), matches, current });
    show_match(app);
}

/// Every match of `text` in the pane on screen.
fn matches_in_pane(app: &mut App, text: &str) -> Vec<FindMatch> {
    if app.pane == Pane::Sites {
        return site_matches(app, text);
    }
    pane_lines(app).map(|lines| search::find_in_lines(lines, text)).unwrap_or_default()
}

/// The rows of the Sites pane's table holding `text`, one match per site.
fn site_matches(app: &mut App, text: &str) -> Vec<FindMatch> {
    let Some(detail) = app.detail.as_mut() else { return Vec::new() };
    let Ok(study) = detail.record.as_deref() else { return Vec::new() };
    detail
        .sites
        .found_rows(study, text)
        .into_iter()
        .map(|row| FindMatch { line: row, start: 0, end: 0 })
        .collect()
}

/// The lines of the pane on screen, when it is a text pane.
fn pane_lines(app: &App) -> Option<&[ratatui::text::Line<'static>]> {
    if app.pane == Pane::Sites {
        return None;
    }
    let detail = app.detail.as_ref()?;
    detail.pane_lines.get(app.pane.index())?.as_ref().map(|d| d.lines.as_slice())
}

/// The first line on screen (the Sites pane: the first row of the table).
fn pane_scroll(app: &App) -> usize {
    let Some(detail) = app.detail.as_ref() else { return 0 };
    if app.pane == Pane::Sites {
        return detail.sites.offset;
    }
    detail.scroll.get(app.pane.index()).copied().unwrap_or(0)
}

/// `n` (+1) and `N` (-1): the next or previous match, round the end.
pub(crate) fn move_find(app: &mut App, by: isize) {
    let Some(find) = app.find.as_mut() else {
        app.message = Some("Nothing to find: / first".into());
        return;
    };
    let count = find.matches.len();
    if count == 0 {
        return;
    }
    find.current = if by < 0 { (find.current + count - 1) % count } else { (find.current + 1) % count };
    show_match(app);
}

/// Scrolls the pane so the current match is on screen, a third down from the top when it has
/// to move, so the lines before it give context.
fn show_match(app: &mut App) {
    let body = detail_body(app);
    let line_height = app.line.as_ref().map_or(0, |l| l.height(body.width));
    let height = usize::from(body.height.saturating_sub(line_height)).max(1);
    let pane = app.pane;
    let Some(target) = app.find.as_ref().and_then(|f| f.matches.get(f.current)).map(|m| m.line) else {
        return;
    };
    if pane == Pane::Sites {
        // The site found is selected, and the table scrolls to it.
        if let Some(sites) = app.detail.as_mut().map(|d| &mut d.sites) {
            let delta = isize::try_from(target).unwrap_or(isize::MAX)
                - isize::try_from(sites.selected).unwrap_or(isize::MAX);
            sites.move_by(delta, super::sites::table_rows(body));
        }
        return;
    }
    let Some(scroll) = app.detail.as_mut().and_then(|d| d.scroll.get_mut(pane.index())) else { return };
    if target < *scroll || target >= *scroll + height {
        *scroll = target.saturating_sub(height / 3);
    }
}

/// Finds again after the pane was rebuilt (another width, pane or study).
pub(crate) fn refresh_find(app: &mut App) {
    let Some(text) = app.find.as_ref().map(|f| f.text.clone()) else { return };
    let matches = matches_in_pane(app, &text);
    if let Some(find) = app.find.as_mut() {
        find.current = find.current.min(matches.len().saturating_sub(1));
        find.matches = matches;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn finding_in_a_pane_scrolls_to_each_match() {
        let mut app = assets_app(80, 24);
        app.selected = app.studies.iter().position(|s| &*s.id == "NCT05183427").unwrap();
        press(&mut app, &[Command::Pane1, Command::Search]);
        assert_eq!(app.line.as_ref().unwrap().target, LineTarget::Pane);
        type_text(&mut app, "HEART");
        let find = app.find.clone().unwrap();
        assert!(find.matches.len() >= 3, "{find:?}");
        assert_eq!(find.current, 0);
        key(&mut app, Key::Enter);
        assert!(app.line.is_none() && app.find.is_some(), "Enter keeps the matches");
        let height = usize::from(detail_body(&app).height);
        let shows = |app: &App| {
            let find = app.find.as_ref().unwrap();
            let line = find.matches[find.current].line;
            let scroll = app.detail.as_ref().unwrap().scroll[0];
            scroll <= line && line < scroll + height
        };
        assert!(shows(&app));
        press(&mut app, &[Command::FindPrev]);
        assert_eq!(app.find.as_ref().unwrap().current, find.matches.len() - 1, "N wraps to the last");
        assert!(app.detail.as_ref().unwrap().scroll[0] > 0, "the pane scrolled down to it");
        assert!(shows(&app));
        press(&mut app, &[Command::FindNext]);
        assert_eq!(app.find.as_ref().unwrap().current, 0, "n wraps to the first");
        assert!(shows(&app));
        press(&mut app, &[Command::FindNext]);
        assert_eq!(app.find.as_ref().unwrap().current, 1);
        assert!(shows(&app));
        press(&mut app, &[Command::Search]);
        key(&mut app, Key::Esc);
        assert!(app.find.is_none() && app.line.is_none(), "Esc closes the line and clears the find");
        assert_eq!(app.focus, Focus::Detail);
    }

    #[test]
    fn finding_in_the_sites_selects_each_matching_site_and_scrolls_to_it() {
        let mut app = assets_app(80, 24);
        app.selected = app.studies.iter().position(|s| &*s.id == "NCT05183427").unwrap();
        press(&mut app, &[Command::Open, Command::Pane4, Command::Search]);
        assert_eq!(app.line.as_ref().unwrap().target, LineTarget::Pane, "/ opens the find line in Sites");
        type_text(&mut app, "tucson");
        let sites = |app: &App| app.detail.as_ref().unwrap().sites.clone();
        let study = app.detail.as_ref().unwrap().record.as_deref().unwrap().clone();
        let locations = &study.protocol_section.as_ref().unwrap().contacts_locations_module.locations;
        let holds = |row: usize, app: &App| {
            let site = &locations[sites(app).order[row]];
            crate::present::sites::site_find_texts(site).any(|t| t.to_lowercase().contains("tucson"))
        };
        let find = app.find.clone().unwrap();
        let expected = (0..locations.len()).filter(|&row| holds(row, &app)).count();
        assert!(expected >= 3, "{expected}");
        assert_eq!(find.matches.len(), expected, "one match per site holding it");
        assert!(find.matches.iter().all(|m| holds(m.line, &app)));
        assert_eq!(sites(&app).selected, find.matches[0].line, "the first match is selected");
        key(&mut app, Key::Enter);
        let rows = crate::tui::panes::sites::table_rows(detail_body(&app));
        for n in 1..=expected {
            press(&mut app, &[Command::FindNext]);
            let (state, find) = (sites(&app), app.find.clone().unwrap());
            assert_eq!(state.selected, find.matches[n % expected].line, "n selects match {n}");
            assert!(state.offset <= state.selected && state.selected < state.offset + rows, "and shows it");
        }
        press(&mut app, &[Command::FindPrev]);
        assert_eq!(sites(&app).selected, app.find.as_ref().unwrap().matches[expected - 1].line, "N wraps");
        assert!(sites(&app).offset > 0, "the table scrolled down to the last");
        // The filter narrows what is found; sorting keeps finding the same sites.
        press(&mut app, &[Command::SortSites]);
        assert_eq!(app.find.as_ref().unwrap().matches.len(), expected);
        press(&mut app, &[Command::FilterSites]);
        let shown = sites(&app).order.len();
        assert!(shown < locations.len());
        let matches = &app.find.as_ref().unwrap().matches;
        let rows: Vec<usize> = matches.iter().map(|m| m.line).collect();
        assert_eq!(rows, (0..shown).filter(|&row| holds(row, &app)).collect::<Vec<_>>());
        press(&mut app, &[Command::Back]);
        assert!(app.find.is_none() && app.focus == Focus::Detail, "Esc clears the find");
    }
}
