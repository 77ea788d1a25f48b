//! The export line's keys: `x` opens it with a file name; Enter checks the name and writes the
//! list as shown (both through effects), asking first before a file that exists is replaced.

use tui_textarea::{Input, Key};

use super::export::ReplaceQuestion;
use crate::catalog::export::{Exported, Target};
use crate::tui::action::Command;
use crate::tui::app::App;
use crate::tui::effects::Effect;
use crate::tui::search::{LineTarget, QueryLine};

/// `x`: the export line, with a name to start from.
pub(crate) fn open_export(app: &mut App) {
    if !app.visible.is_empty() {
        app.line = Some(QueryLine::new(LineTarget::Export, "nct-export.csv"));
        app.replace = None;
    }
}

/// Enter on the name typed: checked first (`export_checked`).
pub(crate) fn export_list(app: &mut App, typed: &str) {
    app.effects.push(Effect::CheckExport { typed: typed.to_string() });
}

/// Writes the list as shown to the file checked; on a mistake (no format, a folder, one of the
/// loaded inputs) the line stays open with the name, and the row above it says why. A file that
/// exists is replaced only once the user says yes.
pub(crate) fn export_checked(app: &mut App, typed: String, target: Result<Target, String>) {
    match target {
        Err(why) => app.message = Some(why),
        Ok(target) if target.exists => app.replace = Some(ReplaceQuestion { typed, path: target.path }),
        Ok(target) => app.effects.push(Effect::Export { path: target.path, replace: false }),
    }
}

/// While the question is asked, only a yes (typed, see `on_replace_edit`) or a no answers it.
pub(crate) fn on_replace_command(app: &mut App, command: Command) {
    match command {
        Command::Quit => app.quit = true,
        Command::Back => keep_existing_file(app),
        _ => {}
    }
}

/// y or n typed to the question.
pub(crate) fn on_replace_edit(app: &mut App, input: Input) {
    match input.key {
        Key::Char('y' | 'Y') => replace_existing_file(app),
        Key::Char('n' | 'N') | Key::Esc => keep_existing_file(app),
        _ => {}
    }
}

/// Yes to the question: the file is replaced.
fn replace_existing_file(app: &mut App) {
    if let Some(question) = app.replace.take() {
        app.effects.push(Effect::Export { path: question.path, replace: true });
    }
}

/// No (or Esc) to the question: nothing is written, and the line closes.
fn keep_existing_file(app: &mut App) {
    if let Some(question) = app.replace.take() {
        app.line = None;
        app.message = Some(format!("Not exported: {} left as it was", question.typed));
    }
}

/// The export written: the line closes and the status bar says how many went where.
pub(crate) fn exported(app: &mut App, path: &std::path::Path, result: Result<Exported, String>) {
    match result {
        Ok(done) => {
            app.line = None;
            let mut message = format!(
                "Exported {} to {}",
                crate::present::words::plural(done.written, "study", "studies"),
                path.display()
            );
            if !done.unreadable.is_empty() {
                message.push_str(&format!("; {} could not be read again", done.unreadable.len()));
            }
            if !app.absent.is_empty() {
                // The view names them, but there is no record to write.
                message.push_str(&format!("; {} not in the loaded inputs left out", app.absent.len()));
            }
            app.message = Some(message);
        }
        Err(why) => app.message = Some(why),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn export_in_the_bookmarks_view_writes_what_is_shown() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = assets_app(120, 40);
        with_bookmarks(&mut app, &["NCT05183427", "NCT01447732"]);
        press(&mut app, &[Command::ShowBookmarks, Command::Export]);
        let path = dir.path().join("starred.md");
        app.line.as_mut().unwrap().set_text(&path.display().to_string());
        press(&mut app, &[Command::Submit]);
        let message = app.message.clone().unwrap();
        assert!(message.starts_with("Exported 2 studies to "), "{message}");
        assert!(message.ends_with("; 1 not in the loaded inputs left out"), "{message}");
        let written = std::fs::read_to_string(path).unwrap();
        assert!(written.contains("NCT05183427") && written.contains("NCT01447732"), "{written}");
        assert!(!written.contains("NCT04120381") && !written.contains("NCT09999999"));
    }

    #[test]
    fn x_exports_the_list_as_shown() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = assets_app(120, 40);
        press(&mut app, &[Command::Search]);
        type_text(&mut app, "country:japan");
        key(&mut app, Key::Enter);
        assert_eq!(app.visible.len(), 2);
        press(&mut app, &[Command::Export]);
        assert_eq!(app.line.as_ref().unwrap().text(), "nct-export.csv");
        // No format in the name: the line stays open and says which to use.
        let wrong = dir.path().join("list.txt");
        app.line.as_mut().unwrap().set_text(&wrong.display().to_string());
        press(&mut app, &[Command::Submit]);
        assert!(app.line.is_some());
        assert!(app.message.as_deref().unwrap().contains(".csv, .md"), "{:?}", app.message);
        let path = dir.path().join("tokyo.ris");
        app.line.as_mut().unwrap().set_text(&path.display().to_string());
        press(&mut app, &[Command::Submit]);
        assert!(app.line.is_none());
        assert!(app.message.as_deref().unwrap().starts_with("Exported 2 studies to "), "{:?}", app.message);
        assert_eq!(std::fs::read_to_string(path).unwrap().matches("TY  - DBASE").count(), 2);
        assert!(!wrong.exists());
    }

    #[cfg(unix)]
    #[test]
    fn x_asks_before_replacing_a_file_and_never_writes_over_an_input() {
        let dir = tempfile::tempdir().unwrap();
        // Wide enough for the messages naming the checkout's own path, wherever it is cloned.
        let mut app = assets_app(300, 40);
        let path = dir.path().join("reports.csv");
        std::fs::write(&path, "kept\n").unwrap();
        let export_to = |app: &mut App, name: &str| {
            press(app, &[Command::Export]);
            app.line.as_mut().unwrap().set_text(name);
            press(app, &[Command::Submit]);
        };
        export_to(&mut app, &path.display().to_string());
        assert!(
            screen(&app).contains(&format!("{} exists: replace it? y/n", path.display())),
            "{}",
            screen(&app)
        );
        key(&mut app, Key::Char('q'));
        assert!(app.replace.is_some() && !app.quit, "only y or n answers");
        key(&mut app, Key::Char('n'));
        assert!(app.line.is_none() && app.replace.is_none());
        assert_eq!(
            app.message.as_deref(),
            Some(&*format!("Not exported: {} left as it was", path.display()))
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept\n");
        export_to(&mut app, &path.display().to_string());
        press(&mut app, &[Command::Back]);
        assert!(app.line.is_none() && app.message.as_deref().unwrap().starts_with("Not exported"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "kept\n");
        export_to(&mut app, &path.display().to_string());
        key(&mut app, Key::Char('y'));
        let exported = format!("Exported {} studies to {}", app.visible.len(), path.display());
        assert_eq!(app.message.as_deref(), Some(&*exported));
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("NCT Number,"));

        // A study's own file, however it is named: refused, and said above the line kept open.
        let input = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets").join("NCT05183427.json");
        let before = std::fs::read(&input).unwrap();
        let link = dir.path().join("linked.json");
        std::os::unix::fs::symlink(&input, &link).unwrap();
        for name in [input.display().to_string(), link.display().to_string()] {
            export_to(&mut app, &name);
            let said =
                format!("{name} is one of the loaded inputs; nct will not write over it. Name another file.");
            assert_eq!(app.message.as_deref(), Some(&*said));
            assert!(app.line.is_some() && app.replace.is_none());
            assert!(screen(&app).contains(&said), "{}", screen(&app));
            press(&mut app, &[Command::Back]);
        }
        assert_eq!(std::fs::read(&input).unwrap(), before);
    }
}
