//! The go-to picker's keys: typing matches fuzzily over ids, acronyms and titles (a slice per
//! frame on a large list), Up and Down choose, Enter goes to the study, Esc closes.

use tui_textarea::{Input, Key};

use crate::tui::action::Command;
use crate::tui::app::App;
use crate::tui::list_rows::go_to;
use crate::tui::search::{self, Picker};

/// `:`: the picker. It opens while nothing is loaded yet too (the studies are matched as they
/// arrive), so that what is typed next is text, never commands.
pub(crate) fn open_picker(app: &mut App) {
    app.picker = Some(Picker::new());
}

/// The next slice of the go-to picker's fuzzy matching, if any is left.
pub(crate) fn step_matching(app: &mut App) {
    if !app.matching_underway() {
        return;
    }
    if let Some(picker) = app.picker.as_mut() {
        picker.matching.step(&app.studies);
    }
}

/// The go-to picker's keys: Enter goes to the chosen study, Esc closes, Up and Down choose.
pub(crate) fn on_picker_command(app: &mut App, command: Command) {
    let Some(picker) = app.picker.as_mut() else { return };
    match command {
        Command::Quit => app.quit = true,
        Command::Submit | Command::Open => {
            let chosen = picker.chosen().and_then(|row| app.studies.get(row)).map(|s| s.id.clone());
            app.picker = None;
            if let Some(id) = chosen {
                go_to(app, &id);
            }
        }
        Command::Back => app.picker = None,
        Command::Up => picker.selected = picker.selected.saturating_sub(1),
        Command::Down => {
            let last = picker.found().min(search::PICKER_ROWS).saturating_sub(1);
            picker.selected = (picker.selected + 1).min(last);
        }
        _ => {}
    }
}

/// A key typed into the go-to picker's line.
pub(crate) fn on_picker_edit(app: &mut App, input: Input) {
    let enter = input.key == Key::Enter || (input.ctrl && matches!(input.key, Key::Char('m' | 'j')));
    let command = match input.key {
        _ if enter => Some(Command::Submit),
        Key::Esc => Some(Command::Back),
        Key::Up => Some(Command::Up),
        Key::Down => Some(Command::Down),
        _ => None,
    };
    if let Some(command) = command {
        return on_picker_command(app, command);
    }
    let Some(picker) = app.picker.as_mut() else { return };
    let before = picker.text();
    picker.textarea.input(input);
    if picker.text() != before {
        picker.retype(&app.studies);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn the_go_to_picker_matches_a_large_list_a_slice_per_frame_and_goes_to_the_study() {
        let n = 2 * search::FUZZY_SLICE + 100;
        let mut app = large_app(n);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "cancer");
        key(&mut app, Key::Enter);
        let filtered = app.visible.clone();
        press(&mut app, &[Command::GoTo]);
        type_text(&mut app, "nct9001");
        assert!(app.matching_underway(), "one keystroke scores one slice, not {n} studies");
        let partial = picked(&app).len();
        assert!(partial > 0 && partial <= search::FUZZY_SLICE, "{partial}");
        let mut frames = 0;
        while app.matching_underway() {
            step(&mut app, Action::Tick);
            frames += 1;
        }
        assert_eq!(frames, 2);
        assert!(picked(&app).len() > partial);
        assert_eq!(app.visible, filtered, "the picker leaves the list's search alone");
        // The best match is the id typed; Down chooses the next; Enter goes there.
        let best = picked(&app)[0];
        assert!(app.studies[best].id.starts_with("NCT9001"), "{}", app.studies[best].id);
        key(&mut app, Key::Down);
        let second = app.studies[picked(&app)[1]].id.to_string();
        key(&mut app, Key::Enter);
        assert!(app.picker.is_none());
        assert_eq!(selected_id(&app), second);
        // Esc closes it without going anywhere.
        press(&mut app, &[Command::GoTo]);
        type_text(&mut app, "nct9002");
        key(&mut app, Key::Esc);
        assert!(app.picker.is_none());
        assert_eq!(selected_id(&app), second);
    }

    #[test]
    fn studies_arriving_while_the_picker_is_open_are_matched_too() {
        let mut app = large_app(3);
        app.loading = Some(crate::tui::app::Loading::default());
        press(&mut app, &[Command::GoTo]);
        type_text(&mut app, "nct9");
        assert_eq!(picked(&app).len(), 3);
        let more = large_app(10).studies.split_off(3);
        let progress = crate::tui::app::Loading { studies: 10, expected: 10, ..Default::default() };
        step(&mut app, Action::Loaded { restart: false, batch: more, progress });
        while app.matching_underway() {
            step(&mut app, Action::Tick);
        }
        assert_eq!(picked(&app).len(), 10);
    }
}
