//! The note editor's keys: `a` opens it on the selected study with its note as saved (read
//! through an effect), Ctrl-s saves and closes, Esc closes, asking first when there are changes.

use tui_textarea::{Input, Key};

use crate::tui::action::Command;
use crate::tui::app::{App, NoteEditor};
use crate::tui::effects::Effect;

/// `a`: the note editor on the selected study, once its note as saved is read (`note_read`).
pub(crate) fn open_note(app: &mut App) {
    let Some(id) = app.selected_id().map(Box::<str>::from) else { return };
    let Some(notes) = app.notes.clone() else {
        app.message = Some("Notes need a data folder, and this system gives none".into());
        return;
    };
    app.effects.push(Effect::ReadNote { id, notes });
}

/// The note as saved: the editor opens on it.
pub(crate) fn note_read(app: &mut App, id: &str, saved: Result<Option<String>, String>) {
    match saved {
        Ok(saved) => app.note = Some(NoteEditor::new(id, saved.as_deref().unwrap_or_default())),
        Err(why) => app.message = Some(why),
    }
}

/// The note editor's own keys: Ctrl-s saves and closes; Esc closes, asking first when the note
/// has changes (the next `y` discards them).
pub(crate) fn on_note_command(app: &mut App, command: Command) {
    let Some(editor) = app.note.as_mut() else { return };
    match command {
        Command::Submit => {
            let (id, text) = (editor.id.clone(), editor.text());
            match app.notes.clone() {
                Some(notes) => app.effects.push(Effect::SaveNote { id, text, notes }),
                None => note_saved(app, id, &text, Err("notes need a data folder".into())),
            }
        }
        Command::Back if editor.changed() => {
            editor.confirm_discard = true;
            app.message =
                Some("Discard the changes to this note? y: discard, any other key: keep editing".into());
        }
        Command::Back => app.note = None,
        _ => {}
    }
}

/// The note written: the editor closes and the note shows (and `note:` finds it); when the save
/// failed the editor stays open with the text, so nothing is lost.
pub(crate) fn note_saved(app: &mut App, id: Box<str>, text: &str, saved: Result<(), String>) {
    if let Err(why) = saved {
        app.message = Some(why);
        return;
    }
    app.note = None;
    let note = Some(text.trim_end().to_string()).filter(|t| !t.trim().is_empty());
    app.message = Some(match &note {
        Some(_) => format!("Note on {id} saved"),
        None => format!("Note on {id} removed"),
    });
    match &note {
        Some(text) => app.note_texts.insert(id.to_string(), text.clone()),
        None => app.note_texts.remove(&*id),
    };
    if let Some(summary) = app.studies.iter_mut().find(|s| s.id == id) {
        summary.note = note.as_deref().map(Box::from);
    }
    if let Some(detail) = app.detail.as_mut().filter(|d| d.id == id) {
        detail.note = note;
        detail.pane_lines = Default::default();
    }
}

/// A key typed into the editor; after Esc with changes, `y` discards them.
pub(crate) fn on_note_edit(app: &mut App, input: Input) {
    let Some(editor) = app.note.as_mut() else { return };
    match type_into_editor(&mut editor.confirm_discard, &mut editor.textarea, input) {
        EditorKey::Typed => {}
        EditorKey::Discard => {
            app.note = None;
            app.message = Some("Changes to the note discarded".into());
        }
        EditorKey::KeepEditing => app.message = Some("Still editing: Ctrl-s saves".into()),
    }
}

/// What a key typed into an editor (the note's, a profile's) did.
pub(crate) enum EditorKey {
    Typed,
    /// `y` to the question after Esc with changes: throw them away.
    Discard,
    /// Any other key to that question.
    KeepEditing,
}

/// `input` typed into `textarea`, or, when the question before discarding is open
/// (`confirm_discard`), its answer.
pub(crate) fn type_into_editor(
    confirm_discard: &mut bool,
    textarea: &mut tui_textarea::TextArea<'static>,
    input: Input,
) -> EditorKey {
    if std::mem::take(confirm_discard) {
        return if matches!(input.key, Key::Char('y' | 'Y')) {
            EditorKey::Discard
        } else {
            EditorKey::KeepEditing
        };
    }
    textarea.input(input);
    EditorKey::Typed
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn a_note_is_written_saved_and_shown_and_changes_are_not_lost_silently() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = assets_app(120, 40);
        app.notes = Some(crate::user::notes::Notes::new(dir.path()));
        let id = selected_id(&app);
        press(&mut app, &[Command::EditNote]);
        assert!(app.note.is_some());
        type_text(&mut app, "PI says cohort 2 full");
        // Esc with changes asks; another key goes on editing, the text kept.
        press(&mut app, &[Command::Back]);
        assert!(app.note.as_ref().unwrap().confirm_discard);
        key(&mut app, Key::Char('n'));
        assert_eq!(app.note.as_ref().unwrap().text(), "PI says cohort 2 full");
        key(&mut app, Key::Enter);
        type_text(&mut app, "ask about biologics");
        press(&mut app, &[Command::Submit]);
        assert!(app.note.is_none());
        assert_eq!(app.message.as_deref(), Some(format!("Note on {id} saved").as_str()));
        let saved = std::fs::read_to_string(dir.path().join(format!("{id}.md"))).unwrap();
        assert_eq!(saved, "PI says cohort 2 full\nask about biologics\n");
        let overview: Vec<String> = app.detail.as_ref().unwrap().pane_lines[0]
            .as_ref()
            .unwrap()
            .lines
            .iter()
            .take(3)
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect();
        assert_eq!(overview, ["Your note", "PI says cohort 2 full", "ask about biologics"]);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "note:cohort");
        key(&mut app, Key::Enter);
        assert_eq!(app.visible.len(), 1, "note: finds the note just saved");
        assert_eq!(selected_id(&app), id);

        // Reopened: the saved text; Esc without changes just closes; with changes, y discards.
        press(&mut app, &[Command::EditNote]);
        assert_eq!(app.note.as_ref().unwrap().text(), "PI says cohort 2 full\nask about biologics");
        press(&mut app, &[Command::Back]);
        assert!(app.note.is_none());
        press(&mut app, &[Command::EditNote]);
        type_text(&mut app, "!!");
        press(&mut app, &[Command::Back]);
        key(&mut app, Key::Char('y'));
        assert!(app.note.is_none());
        assert_eq!(std::fs::read_to_string(dir.path().join(format!("{id}.md"))).unwrap(), saved);
    }
}
