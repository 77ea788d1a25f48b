//! The query line's keys: typing filters the list (or finds in the pane) as it goes, Tab
//! completes, Up and Down recall earlier queries, Enter keeps the filter and saves the query in
//! the history (through an effect), Esc puts things back.

use tui_textarea::{Input, Key};

use super::action::Command;
use super::app::{App, Focus};
use super::effects::Effect;
use super::list_rows::{clear_filter, jump_to, refilter};
use super::list_view::say_absent_bookmarks;
use super::panes::{criteria_keys, export_keys, find};
use super::search::{self, LineTarget, QueryLine};
use crate::query::{self, Query};

/// `/`: the line over the list (its filter) or over the pane (finding in it). It always opens,
/// in every pane and while loading too, so that what is typed next is text, never commands.
pub(crate) fn open_line(app: &mut App) {
    match app.focus {
        Focus::List => app.line = Some(QueryLine::new(LineTarget::List, &app.filter.text)),
        Focus::Detail => {
            let text = app.find.as_ref().map(|f| f.text.clone()).unwrap_or_default();
            app.line = Some(QueryLine::new(LineTarget::Pane, &text));
        }
    }
}

/// The query line's own keys (`Scope::Line` in the keymap).
pub(crate) fn on_line_command(app: &mut App, command: Command) {
    let Some(target) = app.line.as_ref().map(|l| l.target) else { return };
    if app.replace.is_some() {
        return export_keys::on_replace_command(app, command);
    }
    match command {
        Command::Quit => app.quit = true,
        Command::Submit => submit_line(app),
        Command::Back => {
            app.line = None;
            match target {
                LineTarget::List => clear_filter(app),
                LineTarget::Pane => app.find = None,
                LineTarget::Export | LineTarget::ScreeningNote | LineTarget::ScreeningLog => {}
                LineTarget::Patient => app.message = Some("No screening started".into()),
            }
        }
        Command::Up | Command::Down if target == LineTarget::List => recall(app, command == Command::Up),
        _ => {}
    }
}

/// A key typed into the query line. Enter, Esc, Up and Down arrive as commands from the keymap;
/// they are understood here too, so that an `Edit` means the same whoever sends it.
pub(crate) fn on_line_edit(app: &mut App, input: Input) {
    let Some(line) = app.line.as_mut() else { return };
    let target = line.target;
    let enter = input.key == Key::Enter || (input.ctrl && matches!(input.key, Key::Char('m' | 'j')));
    match input.key {
        _ if enter => on_line_command(app, Command::Submit),
        Key::Esc => on_line_command(app, Command::Back),
        Key::Up => on_line_command(app, Command::Up),
        Key::Down => on_line_command(app, Command::Down),
        Key::Tab if target == LineTarget::List => complete_line(app),
        _ => {
            let before = line.text();
            line.textarea.input(input);
            let text = line.text();
            if text != before {
                line.error = None;
                line.recall = None;
                if matches!(target, LineTarget::Export | LineTarget::Patient | LineTarget::ScreeningLog) {
                    // What was wrong with the last name goes once the name changes.
                    app.message = None;
                }
                on_line_text(app, target, &text);
            }
        }
    }
}

/// Tab: the last word completed as far as its choices agree, the choices in the status bar.
fn complete_line(app: &mut App) {
    let Some(line) = app.line.as_mut() else { return };
    let completion = search::complete(&line.text(), &app.studies);
    if let Some(text) = &completion.text {
        line.set_text(text);
        on_line_text(app, LineTarget::List, text);
    }
    app.message = match completion.choices.len() {
        0 => None,
        many => {
            const SHOWN: usize = 8;
            let mut listed = completion.choices.iter().take(SHOWN).cloned().collect::<Vec<_>>().join("  ");
            if many > SHOWN {
                listed.push_str(&format!("  … {} more", many - SHOWN));
            }
            Some(listed)
        }
    };
}

/// The line's text changed: filter the list or find in the pane, as it is typed.
fn on_line_text(app: &mut App, target: LineTarget, text: &str) {
    match target {
        LineTarget::List => match query::parse(text) {
            Ok(Query::Id(id)) => jump_to(app, &id),
            // Halfway through a filter (`status:`, an open quote) the text does not parse yet:
            // the list stays as it was rather than flashing empty, its title saying so; Enter
            // says what is wrong.
            Err(_) => app.mistake = true,
            Ok(_) => {
                let _ = refilter(app, text, false, true);
            }
        },
        LineTarget::Pane => find::find_as_typed(app, text),
        LineTarget::Export | LineTarget::Patient | LineTarget::ScreeningNote | LineTarget::ScreeningLog => {}
    }
}

/// Enter: the list keeps its filter (a query that does not parse keeps the line open with the
/// error under it); the pane keeps its matches for `n`/`N`.
fn submit_line(app: &mut App) {
    let Some(line) = app.line.as_mut() else { return };
    let text = line.text();
    match line.target {
        LineTarget::List => match search::read_whole(&text, app.geo.as_ref(), &app.profiles) {
            Err(error) => {
                line.error = Some(error);
                app.mistake = true;
            }
            Ok(_) => {
                app.line = None;
                let trimmed = text.trim();
                if !trimmed.is_empty() && app.history.last().is_none_or(|last| last != trimmed) {
                    app.history.push(trimmed.to_string());
                    // Saved with what other windows added meanwhile; Up/Down then offer all.
                    if let Some(history) = app.history_file.clone() {
                        let query = trimmed.to_string();
                        app.effects.push(Effect::RecordQuery { query, entered: text, history });
                        return;
                    }
                }
                act_on_query(app, &text);
            }
        },
        LineTarget::Export => export_keys::export_list(app, text.trim()),
        LineTarget::Patient => criteria_keys::patient_typed(app, &text),
        LineTarget::ScreeningNote => criteria_keys::note_typed(app, &text),
        LineTarget::ScreeningLog => criteria_keys::export_log(app, text.trim()),
        LineTarget::Pane => {
            app.line = None;
            if app.find.as_ref().is_some_and(|f| f.matches.is_empty()) {
                app.message = Some(format!("No match for {:?}", text.trim()));
                app.find = None;
            }
        }
    }
}

/// The history after the query entered was saved in it; the query is then acted on.
pub(crate) fn query_recorded(app: &mut App, entered: &str, result: Result<Vec<String>, String>) {
    match result {
        Ok(queries) => app.history = queries,
        Err(why) => app.message = Some(why),
    }
    act_on_query(app, entered);
}

/// The query entered, read whole: the list filtered (or the study named selected), with what
/// the status bar has to say about it.
fn act_on_query(app: &mut App, text: &str) {
    let Ok(parsed) = query::parse(text) else { return };
    let starred = parsed.uses_bookmarks(true);
    match &parsed {
        Query::Id(id) => jump_to(app, id),
        // Read whole, as `nct search` reads it: the best match first.
        _ => {
            let _ = refilter(app, text, false, false);
        }
    }
    suggest_words(app, &parsed);
    if starred {
        say_absent_bookmarks(app);
    }
    app.focus = Focus::List;
}

/// A word of the query that no study holds: the status bar says what to type instead, and how
/// many studies that would find (the same suggestion as `nct search`'s).
fn suggest_words(app: &mut App, query: &Query) {
    let (Query::Expr(expr), Some(index)) = (query, app.index.as_ref()) else { return };
    if let Some(suggestion) =
        crate::catalog::suggest::suggest(&app.studies, app.columns.as_ref(), index, app.geo.as_ref(), expr)
    {
        let mut message = suggestion.message();
        if let Some(first) = message.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        app.message = Some(message);
    }
}

/// Up (older) and Down (newer) through the queries entered before.
fn recall(app: &mut App, older: bool) {
    let Some(line) = app.line.as_mut() else { return };
    let last = app.history.len().checked_sub(1);
    let next = match (line.recall, older) {
        (None, true) => last,
        (Some(i), true) => Some(i.saturating_sub(1)),
        (None, false) => None,
        (Some(i), false) => Some(i + 1).filter(|&n| n < app.history.len()),
    };
    let text = next.and_then(|i| app.history.get(i)).cloned().unwrap_or_default();
    line.recall = next;
    line.set_text(&text);
    line.error = None;
    on_line_text(app, LineTarget::List, &text);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn typing_a_filter_narrows_the_list_and_clicks_follow_it() {
        let mut app = assets_app(120, 40);
        let all = app.studies.len();
        press(&mut app, &[Command::Down, Command::Down, Command::Search]);
        assert!(app.line.is_some());
        type_text(&mut app, "cancer");
        assert!(app.visible.len() >= 3 && app.visible.len() < all, "{:?}", app.visible);
        // Never scattered letters: every study listed holds the word (no index here: in its
        // titles, conditions or sponsor).
        for &i in &app.visible {
            let s = &app.studies[i];
            let text = format!(
                "{} {:?} {:?} {:?} {:?}",
                s.brief_title, s.official_title, s.conditions, s.acronym, s.sponsor
            );
            assert!(text.to_lowercase().contains("cancer"), "{text}");
        }
        assert_eq!(app.selected, 0, "the best match is selected");
        assert_eq!(app.detail.as_ref().unwrap().id, app.studies[app.visible[0]].id);
        assert!(app.list_marks.iter().any(|marks| marks.len() >= 6), "the word is marked");
        key(&mut app, Key::Enter);
        assert!(app.line.is_none());
        assert_eq!(app.focus, Focus::List);
        assert_eq!(app.filter.text, "cancer", "Enter keeps the filter");
        let list = list_rows(&app, Areas::compute(&app).list.unwrap());
        step(&mut app, Action::Click { column: list.x + 2, row: list.y + 1 });
        assert_eq!(app.selected, 1);
        assert_eq!(app.detail.as_ref().unwrap().id, app.studies[app.visible[1]].id);
        let chosen = selected_id(&app);
        let below = u16::try_from(app.visible.len()).unwrap();
        assert!(below < list.height, "{} rows", app.visible.len());
        step(&mut app, Action::Click { column: list.x + 2, row: list.y + below });
        assert_eq!(selected_id(&app), chosen, "a click below the filtered rows selects nothing");
        press(&mut app, &[Command::Bottom]);
        assert_eq!(app.selected, app.visible.len() - 1);
        press(&mut app, &[Command::Back]);
        assert_eq!(app.visible.len(), all, "Esc in the list clears the filter");
        assert_eq!(selected_id(&app), app.studies[app.visible[app.selected]].id.to_string());
    }

    #[test]
    fn typing_shows_the_query_with_its_last_word_begun_and_enter_reads_it_whole() {
        let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets");
        let catalog =
            Catalog::load_indexed(std::slice::from_ref(&assets), &crate::catalog::Progress::default());
        let whole = |text: &str| catalog.search(&query::parse(text).unwrap());
        let mut app = App::new("assets".into(), Size::new(120, 40), Theme::plain());
        step(&mut app, Action::Finished(Box::new(Catalog::load_indexed(&[assets], &Default::default()))));
        for typed in
            ["diabet", "vaccines covid", "psoria -plaque", "heart OR lung", "covid-1", "cancer phase:2"]
        {
            press(&mut app, &[Command::Search]);
            for (i, c) in typed.char_indices() {
                key(&mut app, Key::Char(c));
                let so_far = &typed[..i + c.len_utf8()];
                if let Ok((rows, _)) = search::filter_rows(
                    &app.studies,
                    app.columns.as_ref(),
                    app.index.as_ref(),
                    app.geo.as_ref(),
                    &app.profiles,
                    so_far,
                    true,
                ) {
                    assert_eq!(app.visible, rows, "after typing {so_far:?}");
                    // The word begun finds at least what the word whole finds.
                    let entered = whole(so_far);
                    assert!(entered.iter().all(|row| rows.contains(row)), "{so_far:?}");
                }
            }
            key(&mut app, Key::Enter);
            assert_eq!(app.visible, whole(typed), "Enter answers {typed:?} as nct search does");
            press(&mut app, &[Command::Back]);
        }
        // `lympho` begins `lymphoma`: typing finds what only the whole word would.
        assert!(!whole("lymphoma").is_empty());
        assert!(whole("lympho").is_empty());
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "lympho");
        assert!(whole("lymphoma").iter().all(|row| app.visible.contains(row)), "{:?}", app.visible);
    }

    #[test]
    fn an_nct_id_jumps_to_the_study() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "nct05183427");
        assert_eq!(selected_id(&app), "NCT05183427");
        assert_eq!(app.visible.len(), app.studies.len(), "the list is not narrowed to one");
        key(&mut app, Key::Enter);
        assert_eq!(selected_id(&app), "NCT05183427");
        press(&mut app, &[Command::Search]);
        key(&mut app, Key::Esc);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "https://clinicaltrials.gov/study/NCT04120381?tab=results");
        assert_eq!(selected_id(&app), "NCT04120381", "a pasted address jumps too");
    }

    #[test]
    fn a_query_error_keeps_the_line_open_with_its_column() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "cancer bogus:1");
        key(&mut app, Key::Enter);
        let line = app.line.as_ref().expect("the line stays open");
        let error = line.error.as_ref().expect("the error is shown");
        assert_eq!(error.column, 8, "{error:?}");
        key(&mut app, Key::Backspace);
        assert!(app.line.as_ref().unwrap().error.is_none(), "editing clears the error");
        key(&mut app, Key::Esc);
        assert!(app.line.is_none());
        assert_eq!(app.visible.len(), app.studies.len(), "Esc restores every study");
        assert!(app.filter.text.is_empty());
    }

    #[test]
    fn field_filters_use_the_summaries() {
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "status:recruiting");
        key(&mut app, Key::Enter);
        assert!(!app.visible.is_empty() && app.visible.len() < app.studies.len());
        assert!(
            app.visible
                .iter()
                .all(|&i| app.studies[i].status == Some(crate::study::enums::Status::Recruiting))
        );
    }

    #[test]
    fn up_and_down_recall_earlier_queries() {
        let mut app = assets_app(120, 40);
        for query in ["cancer", "adults"] {
            press(&mut app, &[Command::Search]);
            type_text(&mut app, query);
            key(&mut app, Key::Enter);
            press(&mut app, &[Command::Back]);
        }
        assert_eq!(app.history, ["cancer", "adults"]);
        press(&mut app, &[Command::Search]);
        key(&mut app, Key::Up);
        assert_eq!(line_text(&app), "adults");
        key(&mut app, Key::Up);
        assert_eq!(line_text(&app), "cancer");
        assert!(app.visible.len() < app.studies.len(), "a recalled query filters");
        key(&mut app, Key::Up);
        assert_eq!(line_text(&app), "cancer", "the oldest stays");
        key(&mut app, Key::Down);
        assert_eq!(line_text(&app), "adults");
        key(&mut app, Key::Down);
        assert_eq!(line_text(&app), "");
        assert_eq!(app.visible.len(), app.studies.len());
    }
}
