//! What the user keeps on studies and the views of the list that show it: bookmarks (`b`, `B`)
//! and the recently viewed (`H`). The files they live in are read and written through effects.

use super::app::{AbsentRow, App, Focus, ListView};
use super::effects::Effect;
use super::list_rows::{any_row_of, reapply_filter, refilter, row_of};
use crate::query;
use crate::user::history::Entries;

/// Marks the studies from `first` on with what the user keeps on them (bookmark, note), for
/// `bookmarked:` and `note:`.
pub fn mark_bookmarked(app: &mut App, first: usize) {
    if let Some(studies) = app.studies.get_mut(first..) {
        crate::catalog::mark_studies(studies, &app.bookmarks, &app.note_texts);
    }
}

/// Adds the selected study to the recently viewed, with its title, when the user opens it.
pub(crate) fn remember_viewed(app: &mut App) {
    let Some((id, title)) = app.selected_summary().map(|s| (s.id.clone(), s.brief_title.to_string())) else {
        return;
    };
    match app.history_file.clone() {
        Some(history) => app.effects.push(Effect::RecordViewed { id, title, history }),
        None => {
            app.viewed.retain(|(known, _)| *known != id);
            app.viewed.insert(0, (id, Some(title)));
        }
    }
}

/// The history file after a study opened was added: with what other windows opened meanwhile.
pub(crate) fn viewed_recorded(app: &mut App, result: Result<Entries, String>) {
    match result {
        Ok(entries) => app.viewed = recently_viewed(&entries),
        Err(why) => app.message = Some(why),
    }
}

/// The history's viewed studies as the app keeps them: newest first, with their titles.
pub fn recently_viewed(entries: &Entries) -> Vec<(Box<str>, Option<String>)> {
    entries
        .recently_viewed()
        .into_iter()
        .map(|(id, title)| (Box::from(id), title.map(str::to_string)))
        .collect()
}

/// `B` and `H`: the list shows the bookmarks, or the studies opened lately; the same key again
/// shows every study. A search in place is cleared: a view lists what it names, all of it.
pub(crate) fn toggle_view(app: &mut App, view: ListView) {
    if app.view == view {
        return leave_view(app);
    }
    if view == ListView::Recent
        && let Some(file) = app.history_file.clone()
    {
        // Read again, for what other windows opened; shown once read (`history_read`).
        app.effects.push(Effect::ReadHistory(file));
        return;
    }
    show_view(app, view);
}

/// The history read again for the recently viewed view, which then shows.
pub(crate) fn history_read(app: &mut App, entries: &Entries, problem: Option<String>) {
    app.viewed = recently_viewed(entries);
    if let Some(problem) = problem {
        app.message = Some(problem);
    }
    show_view(app, ListView::Recent);
}

fn show_view(app: &mut App, view: ListView) {
    if !app.filter.text.is_empty() {
        let _ = refilter(app, "", false, false);
    }
    app.view = view;
    app.focus = Focus::List;
    fill_view(app);
    app.selected = 0;
    app.list_offset = 0;
}

/// Every study again, the selection on the study it was on.
pub(crate) fn leave_view(app: &mut App) {
    let kept = app.selected_summary().map(|s| s.id.clone());
    app.view = ListView::All;
    app.absent.clear();
    app.visible = (0..app.studies.len()).collect();
    app.selected = kept.and_then(|id| row_of(app, &id)).unwrap_or(0);
}

/// The rows of the bookmarks or recently viewed view from the studies loaded so far: those
/// present, in the view's order, then those the inputs lack. The selection stays on its study.
pub(crate) fn fill_view(app: &mut App) {
    let kept = app.selected_id().map(Box::<str>::from);
    let (present, absent): (Vec<usize>, Vec<AbsentRow>) = match app.view {
        ListView::All => {
            app.absent.clear();
            return;
        }
        ListView::Bookmarks => {
            // In the list's order; the summaries already carry the mark, so this is one pass.
            let marked = || app.studies.iter().enumerate().filter(|(_, s)| s.bookmarked);
            let present: Vec<usize> = marked().map(|(i, _)| i).collect();
            let loaded: std::collections::HashSet<&str> = marked().map(|(_, s)| &*s.id).collect();
            let absent = app
                .bookmarks
                .absent(|id| loaded.contains(id))
                .into_iter()
                .map(|(id, bookmark)| AbsentRow { id: id.into(), title: Some(bookmark.title.clone()) })
                .collect();
            (present, absent)
        }
        ListView::Recent => {
            let wanted: std::collections::HashMap<&str, usize> =
                app.viewed.iter().enumerate().map(|(order, (id, _))| (&**id, order)).collect();
            let mut found: Vec<(usize, usize)> = app
                .studies
                .iter()
                .enumerate()
                .filter_map(|(i, s)| wanted.get(&*s.id).map(|&order| (order, i)))
                .collect();
            found.sort_unstable();
            let loaded: std::collections::HashSet<usize> = found.iter().map(|&(order, _)| order).collect();
            let absent = app
                .viewed
                .iter()
                .enumerate()
                .filter(|(order, _)| !loaded.contains(order))
                .map(|(_, (id, title))| AbsentRow { id: id.clone(), title: title.clone() })
                .collect();
            (found.into_iter().map(|(_, i)| i).collect(), absent)
        }
    };
    app.visible = present;
    app.absent = absent;
    let row = kept.and_then(|id| any_row_of(app, &id));
    app.selected = row.unwrap_or(app.selected).min(app.row_count().saturating_sub(1));
}

/// Bookmarks whose study is not loaded are not dropped: the status bar names them.
pub(crate) fn say_absent_bookmarks(app: &mut App) {
    let absent = app.bookmarks.absent(|id| app.studies.iter().any(|s| &*s.id == id));
    if absent.is_empty() {
        return;
    }
    let named: Vec<String> = absent.iter().map(|(id, b)| format!("{id} ({})", b.title)).collect();
    app.message = Some(format!(
        "{} not among the loaded studies: {}",
        crate::present::words::plural(absent.len(), "bookmark is", "bookmarks are"),
        named.join(", ")
    ));
}

/// `b`: stars the selected study, or unstars it (in the bookmarks file, then here:
/// `bookmark_toggled`).
pub(crate) fn toggle_bookmark(app: &mut App) {
    let (id, title): (Box<str>, String) = match (app.selected_summary(), app.selected_absent()) {
        (Some(summary), _) => (summary.id.clone(), summary.brief_title.to_string()),
        // A study not loaded can be unstarred (or starred again) by the title saved with it.
        (None, Some(absent)) => (absent.id.clone(), absent.title.clone().unwrap_or_default()),
        (None, None) => return,
    };
    app.effects.push(Effect::ToggleBookmark { id, title, bookmarks: app.bookmarks.clone() });
}

/// The bookmarks after `b`, as the file now holds them; said in the status bar.
pub(crate) fn bookmark_toggled(
    app: &mut App,
    id: &str,
    bookmarks: crate::user::bookmarks::Bookmarks,
    toggled: Result<bool, String>,
) {
    app.bookmarks = bookmarks;
    if let Ok(now) = toggled
        && let Some(summary) = app.studies.iter_mut().find(|s| &*s.id == id)
    {
        summary.bookmarked = now;
        // Starred while looking at it: the record as seen now is the one to compare with later.
        if let (true, Some(copies)) = (now, app.seen.clone()) {
            let locator = summary.locator.clone();
            app.effects.push(Effect::KeepSeenFrom { id: id.into(), locator, copies });
        }
    }
    // A list filtered by `bookmarked:` follows the change at once.
    let filtered_by_bookmarks = query::parse(&app.filter.text).is_ok_and(|q| q.uses_bookmarks(false));
    if toggled.is_ok() && filtered_by_bookmarks {
        reapply_filter(app);
    }
    if toggled.is_ok() && app.view == ListView::Bookmarks {
        fill_view(app);
    }
    app.message = Some(match toggled {
        Ok(true) => format!("{id} bookmarked ({} in all)", app.bookmarks.len()),
        Ok(false) => format!("{id}: bookmark removed"),
        Err(why) => why,
    });
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn the_bookmarks_view_lists_present_studies_then_absent_ones_and_esc_returns() {
        let mut app = assets_app(120, 40);
        with_bookmarks(&mut app, &["NCT05183427", "NCT01447732"]);
        app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == "NCT04120381").unwrap();
        press(&mut app, &[Command::ShowBookmarks]);
        assert_eq!(app.view, ListView::Bookmarks);
        let ids: Vec<&str> = app.visible.iter().map(|&i| &*app.studies[i].id).collect();
        assert_eq!(ids, ["NCT01447732", "NCT05183427"], "present ones in the list's order");
        assert_eq!(app.absent.len(), 1);
        assert_eq!(app.row_count(), 3);
        assert!(screen(&app).contains(" Bookmarks 1/3 (1 not loaded) "), "{}", screen(&app));
        press(&mut app, &[Command::Bottom]);
        assert_eq!(app.selected_id(), Some("NCT09999999"));
        assert!(app.detail.is_none(), "nothing to read");
        let shown = screen(&app);
        assert!(shown.contains("NCT09999999 is not in the loaded inputs."), "{shown}");
        assert!(shown.contains("Saved title: A study from another download"), "{shown}");
        assert!(shown.contains("Bookmarked:  2026-11-20"), "{shown}");
        // Opening it, copying its id, paging: nothing breaks.
        press(&mut app, &[Command::Open, Command::Pane3, Command::PageDown, Command::Back, Command::CopyId]);
        assert_eq!(app.clipboard.take().as_deref(), Some("NCT09999999"));
        press(&mut app, &[Command::Up]);
        assert_eq!(selected_id(&app), "NCT05183427");
        press(&mut app, &[Command::ClearSearch]);
        assert_eq!((app.view, app.row_count()), (ListView::All, app.studies.len()));
        assert_eq!(selected_id(&app), "NCT05183427", "the selection stays on its study");
        assert!(app.absent.is_empty());
        press(&mut app, &[Command::ShowBookmarks, Command::ShowBookmarks]);
        assert_eq!(app.view, ListView::All, "the same key returns to every study");
    }

    #[test]
    fn the_view_fills_as_studies_arrive_and_keeps_its_selection_when_loading_ends() {
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let catalog = Catalog::load(&[assets]);
        let mut app = App::new("assets".into(), Size::new(120, 40), Theme::plain());
        app.bookmarks.toggle("NCT09999999", "Gone", "2026-11-20").unwrap();
        app.bookmarks.toggle("NCT05183427", "Torvasiran", "2026-11-20").unwrap();
        press(&mut app, &[Command::ShowBookmarks, Command::Down]);
        assert_eq!(
            (app.row_count(), app.selected_id()),
            (2, Some("NCT09999999")),
            "nothing loaded: both absent"
        );
        let batch = catalog.studies.clone();
        let progress = crate::tui::app::Loading { studies: 27, ..Default::default() };
        step(&mut app, Action::Loaded { restart: false, batch, progress });
        assert_eq!(app.visible.len(), 1, "the bookmarked study arrived");
        assert_eq!(app.selected_id(), Some("NCT09999999"), "the selection stays on its row");
        step(&mut app, Action::Finished(Box::new(catalog)));
        assert_eq!((app.view, app.row_count()), (ListView::Bookmarks, 2));
        assert_eq!(app.selected_id(), Some("NCT09999999"));
    }

    #[test]
    fn a_bookmark_removed_in_the_view_leaves_it_and_absent_ones_can_be_removed() {
        let mut app = assets_app(120, 40);
        with_bookmarks(&mut app, &["NCT05183427"]);
        press(&mut app, &[Command::ShowBookmarks, Command::ToggleBookmark]);
        assert_eq!(app.visible.len(), 0);
        assert_eq!(app.selected_id(), Some("NCT09999999"));
        press(&mut app, &[Command::ToggleBookmark]);
        assert_eq!(app.row_count(), 0);
        assert!(app.bookmarks.is_empty());
        assert!(screen(&app).contains("No bookmarks yet: b bookmarks the"), "{}", screen(&app));
    }

    #[test]
    fn the_recent_view_lists_opened_studies_newest_first() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::ShowRecent]);
        assert_eq!(app.row_count(), 0);
        assert!(screen(&app).contains("No study opened yet"));
        press(&mut app, &[Command::ShowRecent]);
        for id in ["NCT05183427", "NCT01447732", "NCT04120381", "NCT05183427"] {
            app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == id).unwrap();
            press(&mut app, &[Command::Open, Command::Back]);
        }
        app.viewed.push(("NCT09999998".into(), None));
        press(&mut app, &[Command::ShowRecent]);
        let ids: Vec<&str> = app.visible.iter().map(|&i| &*app.studies[i].id).collect();
        assert_eq!(ids, ["NCT05183427", "NCT04120381", "NCT01447732"]);
        assert_eq!(app.absent.first().map(|a| &*a.id), Some("NCT09999998"));
        assert!(screen(&app).contains(" Recently viewed 1/4 (1 not loaded) "));
        // A search is over every study: it leaves the view.
        press(&mut app, &[Command::Search]);
        assert_eq!(app.view, ListView::All);
        assert!(app.line.is_some());
    }

    #[test]
    fn b_bookmarks_and_bookmarked_filters() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Down, Command::ToggleBookmark]);
        let starred = selected_id(&app);
        app.bookmarks.toggle("NCT99999999", "A study not loaded", "2026-11-25").unwrap();
        assert!(app.message.as_deref().unwrap().contains("bookmarked"), "{:?}", app.message);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "bookmarked:yes");
        key(&mut app, Key::Enter);
        assert_eq!(app.visible.len(), 1);
        assert_eq!(selected_id(&app), starred);
        assert_eq!(
            app.message.as_deref(),
            Some("1 bookmark is not among the loaded studies: NCT99999999 (A study not loaded)")
        );
        // Unstarred from the filtered list: it leaves the list at once.
        press(&mut app, &[Command::ToggleBookmark]);
        assert!(app.visible.is_empty());
        assert!(app.message.as_deref().unwrap().contains("removed"));
    }
}
