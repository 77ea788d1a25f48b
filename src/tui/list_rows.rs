//! The list's rows: which studies the filter keeps and in what order, which row is selected,
//! which rows are on screen and what is marked in them.

use ratatui::layout::Rect;

use super::app::{App, Focus, ListView};
use super::effects::Effect;
use super::layout::{self, Areas};
use super::list_view::leave_view;
use super::search::{self, LineTarget, ListFilter};
use crate::catalog::order::SortOrder;
use crate::query;

/// The rows of the list block, above the query line when it is open there.
pub fn list_rows(app: &App, list: Rect) -> Rect {
    // The line's text starts after the one-column prompt, inside the borders.
    let text_width = list.width.saturating_sub(3);
    let line = app.line.as_ref().filter(|l| l.target == LineTarget::List).map_or(0, |l| l.height(text_width));
    layout::list_parts(list, line).0
}

/// The list's row naming study `id`, loaded or not (a view's absent rows).
pub(crate) fn any_row_of(app: &App, id: &str) -> Option<usize> {
    row_of(app, id).or_else(|| app.absent.iter().position(|a| &*a.id == id).map(|i| i + app.visible.len()))
}

/// The list's row showing study `id`.
pub(crate) fn row_of(app: &App, id: &str) -> Option<usize> {
    app.visible.iter().position(|&i| app.studies.get(i).is_some_and(|s| &*s.id == id))
}

/// Applies `text` as the list's filter (`typing`: its last word is still being typed), the best
/// match selected, or with `keep_selection` (studies arriving) the study the selection was on.
/// A query with a mistake changes nothing but says so (see `App::mistake`).
pub(crate) fn refilter(
    app: &mut App,
    text: &str,
    keep_selection: bool,
    typing: bool,
) -> Result<(), query::QueryError> {
    let kept = app.selected_summary().map(|s| s.id.clone());
    let answer = search::filter_rows(
        &app.studies,
        app.columns.as_ref(),
        app.index.as_ref(),
        app.geo.as_ref(),
        &app.profiles,
        text,
        typing,
    );
    drop_failed_index(app);
    let (mut rows, filter) = match answer {
        Ok(answer) => answer,
        Err(error) => {
            app.mistake = true;
            return Err(error);
        }
    };
    app.mistake = false;
    app.profile = filter.profile.clone();
    app.filter = ListFilter { typing, ..filter };
    app.near = app.filter.near.as_ref().map(|(area, _)| area.clone());
    if app.near.is_none() && app.sort == SortOrder::Distance {
        app.sort = SortOrder::Relevance;
    }
    app.sort.sort_near(&app.studies, &mut rows, app.filter.near.as_ref().map(|(_, nearby)| nearby));
    app.visible = rows;
    app.selected = if keep_selection { kept.and_then(|id| row_of(app, &id)).unwrap_or(0) } else { 0 };
    app.list_offset = if keep_selection { app.list_offset } else { 0 };
    if !typing && app.since_input.is_none() && query::parse(text).is_ok_and(|q| q.uses_changes()) {
        app.message = Some(
            "changed: matches only when the app compares with older inputs (`nct NEW --since OLD`)".into(),
        );
    }
    Ok(())
}

/// The filter applied again, as it was typed, to studies that changed (more arrived, the
/// index came, a bookmark moved).
pub(crate) fn reapply_filter(app: &mut App) {
    let (text, typing) = (app.filter.text.clone(), app.filter.typing);
    // It was read once: it reads again.
    let _ = refilter(app, &text, true, typing);
}

/// Every study again, the selection staying on the study it was on.
pub(crate) fn clear_filter(app: &mut App) {
    let _ = refilter(app, "", true, false);
}

/// `o`: the next order of the list, the selection staying on its study.
pub(crate) fn cycle_sort(app: &mut App) {
    app.sort = app.sort.next_near(app.near.is_some());
    let (text, typing) = (app.filter.text.clone(), app.filter.typing);
    let _ = refilter(app, &text, true, typing);
    app.message = Some(format!("Listed {}", app.sort.describe()));
}

/// The list selects study `id`: where it is in the list, or with every study listed when the
/// list's filter left it out.
pub(crate) fn go_to(app: &mut App, id: &str) {
    if app.view != ListView::All && row_of(app, id).is_none() {
        leave_view(app);
    }
    match row_of(app, id) {
        Some(row) => app.selected = row,
        None => jump_to(app, id),
    }
    app.focus = Focus::List;
}

/// An NCT id typed or pasted: every study listed, that one selected.
pub(crate) fn jump_to(app: &mut App, id: &str) {
    let _ = refilter(app, "", false, false);
    match row_of(app, id) {
        Some(row) => app.selected = row,
        None => app.message = Some(format!("{id} is not among the loaded studies")),
    }
}

pub(crate) fn keep_selection_visible(app: &mut App) {
    let areas = Areas::compute(app);
    let rows = areas.list.map_or(0, |r| usize::from(list_rows(app, r).height));
    if rows == 0 {
        return;
    }
    if app.selected < app.list_offset {
        app.list_offset = app.selected;
    } else if app.selected >= app.list_offset + rows {
        app.list_offset = app.selected + 1 - rows;
    }
    let max_offset = app.row_count().saturating_sub(rows);
    app.list_offset = app.list_offset.min(max_offset);
}

/// The marked chars of the list rows on screen.
pub(crate) fn mark_rows(app: &mut App) {
    if app.filter.text.is_empty() {
        app.list_marks.clear();
        return;
    }
    let rows = Areas::compute(app).list.map_or(0, |r| usize::from(list_rows(app, r).height));
    let on_screen = app.visible.iter().skip(app.list_offset).take(rows).filter_map(|&i| app.studies.get(i));
    app.list_marks = search::row_marks(on_screen, &app.filter);
}

/// An index that failed while searching (a panic inside tantivy, caught; every byte it reads was
/// verified when the catalog was loaded) is asked no more: said once, its cache entry removed so
/// that the next start rebuilds it, and words are looked for in the summaries meanwhile.
fn drop_failed_index(app: &mut App) {
    let Some(failure) = app.index.as_ref().and_then(|index| index.failure()).map(str::to_string) else {
        return;
    };
    if let Some(index) = app.index.take() {
        app.effects.push(Effect::ForgetIndex(index));
    }
    let text = format!(
        "{failure}: words are looked for in titles, conditions and sponsors only until nct is started again"
    );
    app.message = Some(match app.message.take() {
        Some(before) => format!("{before}; {text}"),
        None => text,
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn near_sets_the_area_offers_the_distance_order_and_says_a_place_no_site_names() {
        use crate::catalog::order::SortOrder;
        let mut app = assets_app(120, 40);
        refilter(&mut app, "near:Tokyo:30km", false, false).unwrap();
        let area = app.near.clone().expect("the area is set");
        assert!(area.place.starts_with("Tokyo, ") && area.place.ends_with("Japan"), "{}", area.place);
        assert!(!app.visible.is_empty());
        let (_, nearby) = app.filter.near.clone().unwrap();
        assert!(app.visible.iter().all(|&row| nearby.of(row).is_some_and(|n| n.km <= 30.0)));
        for _ in 0..SortOrder::ALL.len() {
            press(&mut app, &[Command::CycleSort]);
        }
        assert_eq!(app.sort, SortOrder::Distance);
        let km: Vec<f64> = app.visible.iter().map(|&row| nearby.of(row).unwrap().km).collect();
        assert!(km.windows(2).all(|pair| pair[0] <= pair[1]), "{km:?}");
        assert!(screen(&app).contains(" km Tokyo"), "{}", screen(&app));
        refilter(&mut app, "cancer", false, false).unwrap();
        assert_eq!((app.near.clone(), app.sort), (None, SortOrder::Relevance), "no near:, no distance order");
        press(&mut app, &[Command::CycleSort]);
        assert_eq!(app.sort, SortOrder::Updated);
        let error = refilter(&mut app, "near:Atlantis", false, false).unwrap_err();
        assert!(error.message.starts_with("near: no site is in a place called"), "{}", error.message);
        assert_eq!((error.column, error.len), (6, 8));
        assert!(app.mistake);
    }

    #[test]
    fn a_query_with_words_uses_the_index_once_loading_built_it() {
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let query = "\"severity index\" status:unknown";
        let rows = |catalog: Catalog| {
            let mut app = App::new("assets".into(), Size::new(120, 40), Theme::plain());
            step(&mut app, Action::Finished(Box::new(catalog)));
            refilter(&mut app, query, false, false).unwrap();
            app.visible.iter().map(|&i| app.studies[i].id.to_string()).collect::<Vec<_>>()
        };
        // The phrase is only in the seed study's criteria, which the summaries do not hold.
        let indexed =
            rows(Catalog::load_indexed(std::slice::from_ref(&assets), &crate::catalog::Progress::default()));
        assert_eq!(indexed, vec!["NCT02491658".to_string()]);
        assert!(rows(Catalog::load(&[assets])).is_empty(), "without the index only summaries answer");
    }
}
