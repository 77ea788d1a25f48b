//! The header line (what is open) and the status bar (key hints generated from the keymap,
//! position, load errors, messages, and the loading gauge).

use crate::present::safe_text::visible_line;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::present::words::{plural, thousands};
use crate::tui::action::Command;
use crate::tui::app::{App, Focus, ListView, Pane};
use crate::tui::keymap::{self, Keymap, Scope};
use crate::tui::search;
use crate::tui::theme::Palette;
use crate::tui::view;

pub fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let count = match app.loading {
        Some(l) => format!("loading… {}", plural(l.studies, "study", "studies")),
        None => plural(app.studies.len(), "study", "studies"),
    };
    let left = Line::from(vec![
        Span::styled(" nct ", theme.bold()),
        Span::raw(format!(" {}  ", visible_line(&app.inputs_label))),
        Span::styled(count, theme.dim()),
    ]);
    let right = hint_spans(&app.keymap, &[Command::ToggleHelp, Command::Quit], false, theme);
    let right_width: usize = right.iter().map(|s| s.content.width()).sum();
    let [l, r] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(u16::try_from(right_width).unwrap_or(0))])
            .areas(area);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(Line::from(right)), r);
}

/// Short descriptions for the status-bar hints; the keys come from the keymap.
fn hint_word(command: Command) -> &'static str {
    match command {
        Command::Down => "move",
        Command::Open => "open",
        Command::Back => "back",
        Command::Pane1 => "panes",
        Command::ToggleRaw => "raw text",
        Command::SortSites => "sort",
        Command::StartScreening => "screen",
        Command::AnswerMet => "met",
        Command::AnswerNotMet => "not",
        Command::AnswerUnknown => "unknown",
        Command::AnswerNotApplicable => "n/a",
        Command::ScreeningNote => "note",
        Command::StopScreening => "done",
        Command::FilterSites => "filter",
        Command::ToggleFold => "fold",
        Command::CopyPath => "copy path",
        Command::ColumnRight => "columns",
        Command::ToggleHelp => "help",
        Command::ToggleErrors => "errors",
        Command::Quit => "quit",
        Command::PageDown => "page",
        Command::Search => "search",
        Command::FindNext => "match",
        Command::Submit => "keep",
        Command::Up => "history",
        Command::ClearSearch => "every study",
        _ => "",
    }
}

/// The keys of a hint: the command's first key, or for a pair of commands (down and up, the
/// four panes) their first keys together, as the keymap has them.
fn hint_keys(keys: &Keymap, command: Command, in_line: bool) -> Option<String> {
    let first = |command, scope| keys.first_key(command, scope).map(|k| keymap::key_label(&k));
    let pair = |a, b, scope| Some(format!("{}/{}", first(a, scope)?, first(b, scope)?));
    match command {
        Command::Pane1 => {
            let panes = [Command::Pane1, Command::Pane2, Command::Pane3, Command::Pane4, Command::Pane5];
            let labels: Option<Vec<String>> = panes.iter().map(|&p| first(p, None)).collect();
            labels.map(
                |labels| {
                    if labels == ["1", "2", "3", "4", "5"] { "1-5".to_string() } else { labels.join("/") }
                },
            )
        }
        Command::Down => pair(Command::Down, Command::Up, None),
        Command::FindNext => pair(Command::FindNext, Command::FindPrev, None),
        Command::Up if in_line => pair(Command::Up, Command::Down, Some(Scope::Line)),
        Command::ColumnRight => pair(Command::ColumnLeft, Command::ColumnRight, None),
        _ if in_line => first(command, Some(Scope::Line)),
        _ => first(command, None),
    }
}

fn hint_spans(keys: &Keymap, commands: &[Command], in_line: bool, theme: &Palette) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for &command in commands {
        // An action the settings left without a key has no hint.
        let Some(keys) = hint_keys(keys, command, in_line) else { continue };
        spans.push(Span::styled(keys, theme.key()));
        let word = match command {
            // In the query line Esc closes it (clearing what it found) rather than going back.
            Command::Back if in_line => "clear",
            _ => hint_word(command),
        };
        spans.push(Span::raw(format!(" {word}  ")));
    }
    spans
}

/// The hints (key and word span pairs) that fit whole in `room` columns, in order: the first
/// that does not fit and every one after it are left out rather than cut mid-word.
fn whole_hints(spans: Vec<Span<'static>>, room: usize) -> Vec<Span<'static>> {
    let mut kept = Vec::new();
    let mut used = 0;
    let mut spans = spans.into_iter();
    while let (Some(keys), Some(word)) = (spans.next(), spans.next()) {
        // The two spaces after a word only part it from the next hint.
        let width = keys.content.width() + word.content.trim_end().width();
        if used + width > room {
            break;
        }
        used += keys.content.width() + word.content.width();
        kept.push(keys);
        kept.push(word);
    }
    kept
}

/// The hints for what has the focus.
fn hints(app: &App) -> Vec<Command> {
    if let Some(line) = &app.line {
        // The line takes every key: only its own mean anything now.
        let mut commands = vec![Command::Submit, Command::Back];
        if line.target == search::LineTarget::List {
            commands.push(Command::Up);
        }
        return commands;
    }
    let mut commands = vec![Command::Down];
    match app.focus {
        Focus::List => commands.push(Command::Open),
        Focus::Detail => commands.push(Command::Back),
    }
    if app.focus == Focus::List && app.view != ListView::All {
        commands.push(Command::ClearSearch);
    }
    commands.push(Command::Pane1);
    commands.push(Command::Search);
    if app.focus == Focus::Detail && app.find.is_some() {
        commands.push(Command::FindNext);
    }
    if app.focus == Focus::Detail || app.size.width >= crate::tui::layout::SPLIT_MIN_WIDTH {
        commands.extend_from_slice(match app.pane {
            Pane::Criteria => super::criteria_keys::hints(app),
            Pane::Sites => super::sites_keys::HINTS,
            _ => &[],
        });
    }
    if app.focus == Focus::Detail && app.pane == Pane::Record {
        commands.extend_from_slice(super::record_keys::HINTS);
    }
    if app.focus == Focus::Detail && app.pane == Pane::Outcomes {
        commands.extend_from_slice(super::outcomes_keys::hints(app));
    }
    if !app.errors.is_empty() {
        commands.push(Command::ToggleErrors);
    }
    commands
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let mut right = Vec::new();
    if let Some(find) = app.find.as_ref().filter(|_| app.line.is_none()) {
        right.push(Span::styled(format!(" {:?}{}", find.text, view::find_count(find)), theme.dim()));
    }
    if app.row_count() > 0 {
        right.push(Span::styled(
            format!(" {}/{} ", thousands(app.selected + 1), thousands(app.row_count())),
            theme.dim(),
        ));
    }
    if !app.errors.is_empty() {
        right.push(Span::styled(
            match app.keymap.first_key(Command::ToggleErrors, None) {
                Some(key) => {
                    format!(" {} failed to load ({}) ", thousands(app.errors.len()), keymap::key_label(&key))
                }
                None => format!(" {} failed to load ", thousands(app.errors.len())),
            },
            theme.error(),
        ));
    }
    if let Some(message) = &app.message {
        // A message may name a file or a record: what cannot be sent to a terminal is shown.
        right.push(Span::raw(format!(" {} ", visible_line(message))));
    }
    // A message (a save, a warning) is shown whole, the hints giving way to it until the next
    // key clears it, and the position and failures too when it needs their room; otherwise the
    // hints keep half the bar.
    if app.message.is_some() {
        let wide = |spans: &[Span]| spans.iter().map(|s| s.content.width()).sum::<usize>();
        while right.len() > 1 && wide(&right) > usize::from(area.width) {
            right.remove(0);
        }
    }
    let room = if app.message.is_some() { usize::from(area.width) } else { usize::from(area.width) / 2 };
    let right_width = right.iter().map(|s| s.content.width()).sum::<usize>().min(room);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(u16::try_from(right_width).unwrap_or(0))])
            .areas(area);
    if let Some(loading) = app.loading
        && loading.expected > 0
    {
        let ratio = (loading.studies as f64 / loading.expected as f64).clamp(0.0, 1.0);
        let label = gauge_label(&loading);
        let gauge = LineGauge::default().ratio(ratio).label(label).filled_style(theme.key());
        frame.render_widget(gauge, left_area);
    } else {
        let spans = hint_spans(&app.keymap, &hints(app), app.line.is_some(), theme);
        // A column kept free before what the right side says, so the two never run together.
        let room = usize::from(left_area.width).saturating_sub(usize::from(right_width > 0));
        frame.render_widget(Paragraph::new(Line::from(whole_hints(spans, room))), left_area);
    }
    frame.render_widget(Paragraph::new(Line::from(right)).right_aligned(), right_area);
}

/// "Loading 120,000 of ~600,000 · 85 MB/s · 40 s left": the rate and the time left once a
/// second of reading gives them meaning, from bytes when the inputs' size is known.
fn gauge_label(loading: &crate::tui::app::Loading) -> String {
    let mut label = format!(" Loading {} of ~{}", thousands(loading.studies), thousands(loading.expected));
    let seconds = loading.elapsed.as_secs_f64();
    if seconds >= 1.0 {
        let (done, total) = if loading.expected_bytes > 0 && loading.bytes > 0 {
            label.push_str(&format!(" · {:.0} MB/s", loading.bytes as f64 / 1e6 / seconds));
            (loading.bytes as f64, loading.expected_bytes as f64)
        } else {
            (loading.studies as f64, loading.expected as f64)
        };
        if done > 0.0 && total > done {
            let left = (seconds * (total - done) / done).round() as u64;
            label.push_str(&match left {
                0..60 => format!(" · {left} s left"),
                _ => format!(" · {}:{:02} left", left / 60, left % 60),
            });
        }
    }
    label.push(' ');
    label
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::Loading;
    use std::time::Duration;

    #[test]
    fn the_gauge_says_the_rate_and_the_time_left_once_there_is_a_rate() {
        let early = Loading {
            studies: 10,
            expected: 600_000,
            elapsed: Duration::from_millis(300),
            ..Loading::default()
        };
        assert_eq!(gauge_label(&early), " Loading 10 of ~600,000 ");
        let by_bytes = Loading {
            studies: 120_000,
            expected: 600_000,
            bytes: 250_000_000,
            expected_bytes: 2_500_000_000,
            elapsed: Duration::from_secs(10),
            ..Loading::default()
        };
        assert_eq!(gauge_label(&by_bytes), " Loading 120,000 of ~600,000 · 25 MB/s · 1:30 left ");
        let by_studies =
            Loading { studies: 500, expected: 1_000, elapsed: Duration::from_secs(2), ..Loading::default() };
        assert_eq!(gauge_label(&by_studies), " Loading 500 of ~1,000 · 2 s left ");
    }
}
