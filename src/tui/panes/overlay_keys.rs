//! The keys of the screens drawn over the others (help, the inputs that failed to load): they
//! scroll, and close with Esc or their own key.

use crate::tui::action::Command;
use crate::tui::app::{App, Overlay};
use crate::tui::navigate::moved;

pub(crate) fn on_overlay_command(app: &mut App, overlay: Overlay, command: Command) {
    let page = usize::from(app.size.height.saturating_sub(6)).max(1);
    let scroll = match overlay {
        Overlay::Help { scroll } | Overlay::Errors { scroll } => scroll,
        Overlay::Screenings { .. } | Overlay::Profiles { .. } => return,
    };
    let moved = match command {
        Command::Quit => {
            app.quit = true;
            return;
        }
        Command::Back => {
            app.overlay = None;
            return;
        }
        Command::ToggleHelp if matches!(overlay, Overlay::Help { .. }) => {
            app.overlay = None;
            return;
        }
        Command::ToggleErrors if matches!(overlay, Overlay::Errors { .. }) => {
            app.overlay = None;
            return;
        }
        other => moved(scroll, other, page, usize::MAX),
    };
    app.overlay = Some(match overlay {
        Overlay::Help { .. } => Overlay::Help { scroll: moved },
        Overlay::Errors { .. } => Overlay::Errors { scroll: moved },
        other => other,
    });
}

/// The scroll kept within what the overlay holds, for the screen's height.
pub(crate) fn clamp_scroll(app: &mut App) {
    if let Some(Overlay::Help { scroll }) = app.overlay.as_mut() {
        // The help box is at most the screen's height; its lines show inside its two borders.
        let max = super::help::line_count(&app.keymap)
            .saturating_sub(usize::from(app.size.height.saturating_sub(2)));
        *scroll = (*scroll).min(max);
    }
    if let Some(Overlay::Errors { scroll }) = app.overlay.as_mut() {
        *scroll = (*scroll).min(app.errors.len().saturating_sub(1));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::tui::test_app::*;

    #[test]
    fn overlays_open_scroll_and_close() {
        let mut app = assets_app(100, 30);
        press(&mut app, &[Command::ToggleHelp]);
        assert_eq!(app.overlay, Some(Overlay::Help { scroll: 0 }));
        press(&mut app, &[Command::Down, Command::Down]);
        assert!(matches!(app.overlay, Some(Overlay::Help { scroll: 2 }) | Some(Overlay::Help { scroll: 0 })));
        press(&mut app, &[Command::Back]);
        assert_eq!(app.overlay, None);
        press(&mut app, &[Command::ToggleErrors]);
        assert_eq!(app.overlay, None, "nothing failed: no error list");
        assert_eq!(app.message.as_deref(), Some("Nothing failed to load"));
        press(&mut app, &[Command::Quit]);
        assert!(app.quit);
    }
}
