//! The study list: NCT id, status as a coloured badge (readable without colour), phase, and
//! the title cut with an ellipsis by display width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::catalog::Summary;
use crate::cli::thousands;
use crate::study::enums::{Phase, StudyType};
use crate::tui::app::{App, Focus};
use crate::tui::layout;
use crate::tui::theme::{Theme, status_badge};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let focused = app.focus == Focus::List;
    let position = if app.studies.is_empty() {
        "0".to_string()
    } else {
        format!("{}/{}", thousands(app.selected + 1), thousands(app.studies.len()))
    };
    let title = match app.loading {
        Some(_) => format!(" Studies {position} (loading…) "),
        None => format!(" Studies {position} "),
    };
    let block = Block::default().borders(Borders::ALL).border_style(theme.border(focused)).title(title);
    let inner = layout::inner(area);
    frame.render_widget(block, area);
    if app.studies.is_empty() {
        let text = if app.loading.is_some() {
            "Loading studies…"
        } else if app.errors.is_empty() {
            "No studies found in these paths."
        } else {
            "No study could be loaded: press e to see why."
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim()), inner);
        return;
    }
    let width = usize::from(inner.width);
    let lines: Vec<Line> = app
        .studies
        .iter()
        .enumerate()
        .skip(app.list_offset)
        .take(usize::from(inner.height))
        .map(|(i, s)| row(s, width, i == app.selected, focused, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The phase in at most three columns: "1", "1/2", "3", "E1", "NA", "obs", "EA".
pub fn phase_short(summary: &Summary) -> String {
    if summary.phases.is_empty() {
        return match summary.study_type {
            Some(StudyType::Observational) => "obs".into(),
            Some(StudyType::ExpandedAccess) => "EA".into(),
            _ => "—".into(),
        };
    }
    let parts: Vec<&str> = summary
        .phases
        .iter()
        .map(|p| match p {
            Phase::EarlyPhase1 => "E1",
            Phase::Phase1 => "1",
            Phase::Phase2 => "2",
            Phase::Phase3 => "3",
            Phase::Phase4 => "4",
            Phase::NotApplicable => "NA",
            Phase::Other(_) => "?",
        })
        .collect();
    parts.join("/")
}

fn row(summary: &Summary, width: usize, selected: bool, focused: bool, theme: &Theme) -> Line<'static> {
    let badge = status_badge(summary.status.as_ref());
    let fixed = 11 + 1 + 5 + 1 + 3 + 1;
    let title_width = width.saturating_sub(fixed);
    let mut spans = vec![
        Span::styled(format!("{:<11} ", summary.id), theme.dim()),
        Span::styled(format!("{badge:<5}"), theme.status(summary.status.as_ref())),
        Span::raw(format!(" {:<3} ", phase_short(summary))),
        Span::raw(fit(&summary.brief_title, title_width)),
    ];
    if selected {
        let style = theme.selected(focused);
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        spans = spans.into_iter().map(|s| s.patch_style(style)).collect();
        spans.push(Span::styled(" ".repeat(width.saturating_sub(used)), style));
    }
    Line::from(spans)
}

/// `text` cut to `width` display columns, with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_display_width() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("a longer title here", 10), "a longer …");
        assert_eq!(fit("北京协和医院研究", 9), "北京协和…");
        assert_eq!(fit("北京协和医院研究", 9).width(), 9);
        assert_eq!(fit("abc", 0), "");
    }
}
