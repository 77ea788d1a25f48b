//! The profiles overlay's keys (`P` opens it): moving picks a profile, Enter puts `fits:NAME` in
//! the list's query (in place of a `fits:` already there), `a` edits the profile's lines, `n`
//! starts a new one, Esc or `P` closes. The editor's keys are the note editor's: Ctrl-s saves
//! (through an effect: nothing here touches the file), Esc closes, asking first when there are
//! changes.

use super::note_keys::{EditorKey, type_into_editor};
use tui_textarea::Input;

use super::profiles::ProfileEditor;
use crate::screening::profile::{Profile, split_setting};
use crate::tui::action::Command;
use crate::tui::app::{App, Overlay};
use crate::tui::effects::Effect;
use crate::tui::list_rows::{reapply_filter, refilter};
use crate::user::profiles::{Profiles, check_name};

/// `P`: the profiles overlay, on the active profile when there is one.
pub(crate) fn open_profiles(app: &mut App) {
    let selected = app
        .profile
        .as_ref()
        .and_then(|active| app.profiles.names().position(|n| n == active.name))
        .unwrap_or(0);
    app.overlay = Some(Overlay::Profiles { selected });
}

/// A key over the overlay.
pub(crate) fn on_profiles_command(app: &mut App, selected: usize, command: Command) {
    let count = app.profiles.by_name.len();
    let selected = match command {
        Command::Quit => {
            app.quit = true;
            return;
        }
        Command::Back | Command::ShowProfiles => {
            app.overlay = None;
            return;
        }
        Command::Down => (selected + 1).min(count.saturating_sub(1)),
        Command::Up => selected.saturating_sub(1),
        Command::Top => 0,
        Command::Bottom => count.saturating_sub(1),
        Command::Open | Command::Submit | Command::FocusDetail => {
            let name = app.profiles.names().nth(selected).map(str::to_string);
            if let Some(name) = name {
                use_profile(app, &name);
            }
            return;
        }
        Command::EditNote => {
            let profile = app.profiles.by_name.values().nth(selected);
            app.profile_editor = Some(ProfileEditor::new(profile));
            return;
        }
        Command::FindNext => {
            app.profile_editor = Some(ProfileEditor::new(None));
            return;
        }
        _ => selected,
    };
    app.overlay = Some(Overlay::Profiles { selected });
}

/// The list's query with `fits:NAME` in place of any `fits:` in it.
fn with_fits(query: &str, name: &str) -> String {
    let kept: Vec<&str> =
        query.split_whitespace().filter(|word| !word.to_lowercase().starts_with("fits:")).collect();
    let mut text = kept.join(" ");
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str("fits:");
    text.push_str(name);
    text
}

fn use_profile(app: &mut App, name: &str) {
    let text = with_fits(&app.filter.text, name);
    app.overlay = None;
    match refilter(app, &text, false, false) {
        Ok(()) => app.message = Some(format!("Listing the open studies {name} may fit")),
        Err(error) => app.message = Some(error.message),
    }
}

/// The editor's own keys: Ctrl-s checks the lines and saves; Esc closes, asking first.
pub(crate) fn on_editor_command(app: &mut App, command: Command) {
    let Some(editor) = app.profile_editor.as_mut() else { return };
    match command {
        Command::Submit => match read_editor(&editor.text()) {
            Ok(profile) => match app.profiles_file.clone() {
                Some(path) => app.effects.push(Effect::SaveProfile { path, profile }),
                None => {
                    let mut profiles = app.profiles.clone();
                    let name = profile.name.clone();
                    profiles.by_name.insert(name.clone(), profile);
                    profile_saved(app, &name, Ok(profiles));
                }
            },
            Err(why) => app.message = Some(why),
        },
        Command::Back if editor.changed() => {
            editor.confirm_discard = true;
            app.message =
                Some("Discard the changes to this profile? y: discard, any other key: keep editing".into());
        }
        Command::Back => app.profile_editor = None,
        _ => {}
    }
}

/// The profile the editor's lines make: `name = …` first (or anywhere), then `key = value`s.
fn read_editor(text: &str) -> Result<Profile, String> {
    let mut name = None;
    let mut rest = String::new();
    for line in text.lines() {
        let is_name = split_setting(line.trim()).is_ok_and(|(k, _)| k.eq_ignore_ascii_case("name"));
        if is_name && name.is_none() {
            name = split_setting(line.trim()).ok().map(|(_, v)| v.to_string());
            rest.push('\n');
        } else {
            rest.push_str(line);
            rest.push('\n');
        }
    }
    let name = name
        .filter(|n| !n.is_empty())
        .ok_or("line 1: name = … is missing: give the profile a code such as P-014")?;
    check_name(&name)?;
    Profile::from_text(&name, &rest)
}

/// The profiles as saved: the editor closes, and a list filtered by `fits:` is answered again
/// with the profile's new values. When the save failed the editor stays open with the text.
pub(crate) fn profile_saved(app: &mut App, name: &str, saved: Result<Profiles, String>) {
    match saved {
        Ok(profiles) => {
            app.profiles = profiles;
            app.profile_editor = None;
            let selected = app.profiles.names().position(|n| n == name).unwrap_or(0);
            app.overlay = Some(Overlay::Profiles { selected });
            if app.filter.text.to_lowercase().contains("fits:") {
                reapply_filter(app);
            }
            app.message = Some(format!("Profile {name} saved"));
        }
        Err(why) => app.message = Some(why),
    }
}

/// A key typed into the editor; after Esc with changes, `y` discards them.
pub(crate) fn on_editor_edit(app: &mut App, input: Input) {
    let Some(editor) = app.profile_editor.as_mut() else { return };
    match type_into_editor(&mut editor.confirm_discard, &mut editor.textarea, input) {
        EditorKey::Typed => {}
        EditorKey::Discard => {
            app.profile_editor = None;
            app.message = Some("Changes to the profile discarded".into());
        }
        EditorKey::KeepEditing => app.message = Some("Still editing: Ctrl-s saves".into()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn a_profile_is_made_edited_saved_and_used_as_fits() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("profiles.toml");
        let mut app = assets_app(120, 40);
        app.profiles_file = Some(file.clone());
        press(&mut app, &[Command::ShowProfiles]);
        assert_eq!(app.overlay, Some(Overlay::Profiles { selected: 0 }));
        assert!(screen(&app).contains("No profiles yet"));
        // n: a new profile from the template
        press(&mut app, &[Command::FindNext]);
        assert!(app.profile_editor.is_some());
        type_text(&mut app, "P-7");
        key(&mut app, Key::Enter);
        type_text(&mut app, "age = 40\nsex = other");
        press(&mut app, &[Command::Submit]);
        assert!(
            app.message.as_deref().unwrap().contains("sex: 'other' is not accepted"),
            "{:?}",
            app.message
        );
        assert!(app.profile_editor.is_some(), "a mistake keeps the editor open with the text");
        for _ in 0.."other".len() {
            key(&mut app, Key::Backspace);
        }
        type_text(&mut app, "female");
        press(&mut app, &[Command::Submit]);
        assert_eq!(app.message.as_deref(), Some("Profile P-7 saved"));
        assert!(app.profile_editor.is_none());
        let saved = std::fs::read_to_string(&file).unwrap();
        assert!(saved.contains("[P-7]\nage = 40\nsex = \"female\"\n"), "{saved}");

        // Enter: the list is filtered by fits:P-7, and the app's profile is P-7's
        press(&mut app, &[Command::Open]);
        assert_eq!(app.filter.text, "fits:P-7");
        assert_eq!(app.profile.as_ref().map(|p| p.name.as_str()), Some("P-7"));
        let expected =
            crate::catalog::Catalog::load(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets")]);
        let open_for_40 = expected
            .studies
            .iter()
            .filter(|s| s.status.as_ref().is_some_and(|st| query::OPEN_STATUSES.contains(st)))
            .count();
        assert!(app.visible.len() <= open_for_40 && !app.visible.is_empty());

        // Edited from the overlay: a value that rules studies out narrows the list at once
        let before = app.visible.len();
        press(&mut app, &[Command::ShowProfiles, Command::EditNote]);
        key(&mut app, Key::Down);
        key(&mut app, Key::End);
        key(&mut app, Key::Backspace);
        key(&mut app, Key::Backspace);
        type_text(&mut app, "5");
        press(&mut app, &[Command::Submit]);
        assert_eq!(app.profiles.get("P-7").unwrap().age_years, Some(5.0));
        let shown = screen(&app);
        assert!(
            shown.contains("Patient profiles") && shown.contains("• P-7") && shown.contains("age = 5"),
            "{shown}"
        );
        assert!(app.visible.len() < before, "a five-year-old fits fewer studies");
        press(&mut app, &[Command::Back]);
        assert_eq!(app.overlay, None);

        // another query: no profile
        refilter(&mut app, "cancer", false, false).unwrap();
        assert_eq!(app.profile, None);
    }

    /// Saving goes through an effect: the update side (update.rs, these keys, the overlay) reads
    /// and writes no file itself.
    #[test]
    fn the_update_side_does_no_io() {
        let sources = [
            ("update.rs", include_str!("../update.rs")),
            ("panes/profiles_keys.rs", include_str!("profiles_keys.rs")),
            ("panes/profiles.rs", include_str!("profiles.rs")),
        ];
        for (name, source) in sources {
            let code = source.split("#[cfg(test)]").next().unwrap();
            for io in [
                "std::fs",
                "std::io",
                "File::",
                "profiles::save",
                "profiles::load",
                "profiles::update",
                "OpenOptions",
            ] {
                assert!(!code.contains(io), "{name} does I/O itself ({io}): ask for an effect instead");
            }
        }
    }

    #[test]
    fn enter_replaces_the_fits_already_in_the_query() {
        assert_eq!(super::with_fits("cancer fits:P-1 phase:2", "P-2"), "cancer phase:2 fits:P-2");
        assert_eq!(super::with_fits("", "P-2"), "fits:P-2");
    }
}
