//! The study list: NCT id, status as a coloured badge (readable without colour), phase, and
//! the title cut with an ellipsis by display width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::catalog::Summary;
use crate::catalog::order::SortOrder;
use crate::present::safe_text::visible_line;
use crate::present::width::cut_to_width;
use crate::present::words::thousands;
use crate::study::enums::{Phase, StudyType};
use crate::tui::action::Command;
use crate::tui::app::{AbsentRow, App, Focus, ListView};
use crate::tui::keymap;
use crate::tui::layout;
use crate::tui::search::{LineTarget, QueryLine};
use crate::tui::theme::{Palette, status_badge};
use crate::tui::update;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let focused = app.focus == Focus::List;
    let position = if app.view != ListView::All {
        match app.row_count() {
            0 => "0".to_string(),
            rows => format!("{}/{}", thousands(app.selected + 1), thousands(rows)),
        }
    } else if app.studies.is_empty() {
        "0".to_string()
    } else if !app.filter.text.is_empty() {
        // Filtered: how many of all, the count the query answers.
        format!("{} of {}", thousands(app.visible.len()), thousands(app.studies.len()))
    } else {
        format!("{}/{}", thousands(app.selected + 1), thousands(app.studies.len()))
    };
    let absent = match app.absent.len() {
        0 => String::new(),
        // Short: the list is narrow; the rows and the study area say it in full.
        n => format!(" ({} not loaded)", thousands(n)),
    };
    let loading = if app.loading.is_some() { " (loading…)" } else { "" };
    // The order is said once it is not the search's own.
    let order = match app.sort {
        SortOrder::Relevance => String::new(),
        other => format!(" · {}", other.describe()),
    };
    // The rows are the last answer, not one to the query in the line: no count to mislead.
    let title = if app.mistake && app.view == ListView::All {
        format!(" {}: mistake in the query{loading} ", app.view.title())
    } else {
        format!(" {} {position}{absent}{loading}{order} ", app.view.title())
    };
    let block = Block::default().borders(Borders::ALL).border_style(theme.border(focused)).title(title);
    let inner = update::list_rows(app, area);
    frame.render_widget(block, area);
    if let Some(line) = app.line.as_ref().filter(|l| l.target == LineTarget::List) {
        let (_, line_area) = layout::list_parts(area, line.height(area.width.saturating_sub(3)));
        draw_line(frame, line_area, line, "/", None, theme);
    }
    if app.view != ListView::All && app.row_count() == 0 {
        let text = match app.view {
            ListView::Bookmarks => match app.keymap.first_key(Command::ToggleBookmark, None) {
                Some(key) => {
                    format!("No bookmarks yet: {} bookmarks the selected study.", keymap::key_label(&key))
                }
                None => "No bookmarks yet.".to_string(),
            },
            _ => "No study opened yet: the studies you open are listed here, newest first.".to_string(),
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim()).wrap(Wrap { trim: true }), inner);
        return;
    }
    if app.studies.is_empty() && app.view == ListView::All {
        let text = if app.loading.is_some() {
            "Loading studies…".to_string()
        } else if app.errors.is_empty() {
            "No studies found in these paths.".to_string()
        } else {
            match app.keymap.first_key(Command::ToggleErrors, None) {
                Some(key) => {
                    format!("No study could be loaded: press {} to see why.", keymap::key_label(&key))
                }
                None => "No study could be loaded: `nct check` says why.".to_string(),
            }
        };
        frame.render_widget(Paragraph::new(text).style(theme.dim()), inner);
        return;
    }
    let width = usize::from(inner.width);
    if app.row_count() == 0 {
        frame.render_widget(Paragraph::new("No study matches.").style(theme.dim()), inner);
        return;
    }
    let no_marks = Vec::new();
    let lines: Vec<Line> = (app.list_offset..)
        .zip(app.list_marks.iter().chain(std::iter::repeat(&no_marks)))
        .take(usize::from(inner.height))
        .filter_map(|(i, marks)| match (app.row_summary(i), app.absent_row(i)) {
            (Some(s), _) => {
                let starred = app.bookmarks.contains(&s.id);
                let mark = if s.changed == crate::query::filter::ChangedWhat::NEW {
                    Mark::New
                } else if s.changed != 0 || (starred && app.changed_since_seen.contains(&s.id)) {
                    Mark::Changed
                } else if starred {
                    Mark::Bookmarked
                } else {
                    Mark::None
                };
                let nearest = nearest_site(app, i);
                Some(row(s, width, (i == app.selected, focused, mark), marks, nearest.as_deref(), theme))
            }
            (None, Some(absent)) => {
                let starred = app.bookmarks.contains(&absent.id);
                Some(absent_row(absent, width, (i == app.selected, focused, starred), theme))
            }
            (None, None) => None,
        })
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

/// The query line: a prompt, the text being edited, the error's caret and message under it,
/// and a count on the right.
pub fn draw_line(
    frame: &mut Frame,
    area: Rect,
    line: &QueryLine,
    prompt: &str,
    count: Option<String>,
    theme: &Palette,
) {
    let prompt_width = u16::try_from(prompt.width()).unwrap_or(0);
    let count_width = count.as_ref().map_or(0, |c| u16::try_from(c.width()).unwrap_or(0));
    let first = Rect { height: area.height.min(1), ..area };
    frame.render_widget(Paragraph::new(Span::styled(prompt.to_string(), theme.key())), first);
    let edit = Rect {
        x: first.x.saturating_add(prompt_width),
        width: first.width.saturating_sub(prompt_width).saturating_sub(count_width),
        ..first
    };
    frame.render_widget(&line.textarea, edit);
    if let Some(count) = count {
        let right = Rect { x: edit.right(), width: count_width, ..first };
        frame.render_widget(Paragraph::new(Span::styled(count, theme.dim())), right);
    }
    if let Some(error) = &line.error {
        let caret = Rect { x: edit.x, y: first.y.saturating_add(1), width: edit.width, height: 1 };
        let caret = caret.intersection(area);
        frame.render_widget(
            Paragraph::new(Span::styled(error.caret_line_under(&line.text()), theme.error())),
            caret,
        );
        // The whole message, wrapped: cut to the line's width it lost what matters most (the
        // fields or values it lists).
        let lines: Vec<Line> =
            line.error_lines(edit.width).into_iter().map(|text| Line::styled(text, theme.error())).collect();
        let message = Rect {
            y: caret.y.saturating_add(1),
            height: u16::try_from(lines.len()).unwrap_or(u16::MAX),
            ..caret
        }
        .intersection(area);
        frame.render_widget(Paragraph::new(lines), message);
    }
}

/// What the column between a row's id and its status shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    None,
    Bookmarked,
    /// Changed since the older inputs (`--since`), or, bookmarked, since the user last looked.
    Changed,
    /// Not in the older inputs.
    New,
}

/// The nearest matching site of the study on `row`, with `near:` active: " 12.3 mi Baltimore,
/// Maryland", the distance right-aligned so that the places start in one column down the list;
/// empty for a study found by another branch of an OR.
fn nearest_site(app: &App, row: usize) -> Option<String> {
    // "1,234 mi" and "12.3 km" fit; a longer distance pushes its place along rather than being cut.
    const DISTANCE_WIDTH: usize = 8;
    let (area, nearby) = app.filter.near.as_ref()?;
    let nearest = app.visible.get(row).and_then(|&place| nearby.of(place));
    let Some(nearest) = nearest else { return Some(String::new()) };
    let distance = crate::present::distance::written(nearest.km, area.unit);
    let place = app.geo.as_ref().and_then(|geo| geo.site_place(&nearest)).map(|p| p.short_name());
    Some(match place {
        Some(place) => format!("{distance:>DISTANCE_WIDTH$} {}", visible_line(&place)),
        None => format!("{distance:>DISTANCE_WIDTH$}"),
    })
}

/// The nearest site's column takes at most this share of the row (1/n), and never more than
/// [`NEAREST_MAX`] columns, so the title keeps room.
const NEAREST_SHARE: usize = 3;
const NEAREST_MAX: usize = 32;

/// One study's row; `(selected, focused, mark)` say how to draw it; `nearest`, with `near:`
/// active, the nearest matching site.
fn row(
    summary: &Summary,
    width: usize,
    (selected, focused, mark): (bool, bool, Mark),
    marks: &[usize],
    nearest: Option<&str>,
    theme: &Palette,
) -> Line<'static> {
    let badge = status_badge(summary.status.as_ref());
    let nearest_width = nearest.map_or(0, |_| (width / NEAREST_SHARE).min(NEAREST_MAX));
    let fixed = ID_WIDTH + 1 + 5 + 1 + 3 + 1 + nearest_width;
    let title_width = width.saturating_sub(fixed);
    // Marks count chars of `search::haystack`: the id, a space, the title.
    let id_len = summary.id.chars().count() + 1;
    let title_marks: Vec<usize> = marks.iter().filter_map(|m| m.checked_sub(id_len)).collect();
    let mut spans = marked(&id_cell(&summary.id), marks, theme.dim(), theme);
    // A bookmark shows in the column between the id and the status, readable without colour;
    // a study changed (since `--since`'s inputs, or a bookmark since last looked) shows a delta
    // there instead, and one new since `--since`'s inputs a plus.
    spans.push(match mark {
        Mark::New => Span::styled("+", theme.key()),
        Mark::Changed => Span::styled("Δ", theme.key()),
        Mark::Bookmarked => Span::styled("*", theme.key()),
        Mark::None => Span::raw(" "),
    });
    spans.push(Span::styled(format!("{badge:<5}"), theme.status(summary.status.as_ref())));
    spans.push(Span::raw(format!(" {:<3} ", phase_short(summary))));
    if let Some(nearest) = nearest {
        let cell = cut_to_width(nearest, nearest_width.saturating_sub(1));
        let fill = nearest_width.saturating_sub(cell.width());
        spans.push(Span::styled(format!("{cell}{}", " ".repeat(fill)), theme.key()));
    }
    let title = cut_to_width(&visible_line(&summary.brief_title), title_width);
    spans.extend(marked(&title, &title_marks, Style::new(), theme));
    if selected {
        spans = selected_spans(spans, width, focused, theme);
    }
    Line::from(spans)
}

/// A study a view names that the loaded inputs lack: dim, "not loaded" where the status and
/// phase would be (there is no record to take them from), and the title saved with it.
fn absent_row(
    absent: &AbsentRow,
    width: usize,
    (selected, focused, bookmarked): (bool, bool, bool),
    theme: &Palette,
) -> Line<'static> {
    let fixed = ID_WIDTH + 1 + 11;
    let title = absent.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or("(no title saved)");
    let mut spans = vec![
        Span::styled(id_cell(&absent.id), theme.dim()),
        if bookmarked { Span::styled("*", theme.dim()) } else { Span::raw(" ") },
        Span::styled("not loaded ", theme.dim()),
        Span::styled(cut_to_width(&visible_line(title), width.saturating_sub(fixed)), theme.dim()),
    ];
    if selected {
        spans = selected_spans(spans, width, focused, theme);
    }
    Line::from(spans)
}

/// Columns of the id: a registry id (`NCT` and eight digits) fills them exactly.
const ID_WIDTH: usize = 11;

/// The id in exactly [`ID_WIDTH`] display columns: an odd one (longer, of another shape, of
/// wide characters) is cut or padded by display width, so the columns after it stay in line.
fn id_cell(id: &str) -> String {
    let cut = cut_to_width(&visible_line(id), ID_WIDTH);
    let fill = ID_WIDTH.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(fill))
}

/// `text` as spans, the chars at `marks` in the match style.
fn marked(text: &str, marks: &[usize], style: Style, theme: &Palette) -> Vec<Span<'static>> {
    if marks.is_empty() {
        return vec![Span::styled(text.to_string(), style)];
    }
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    for (i, c) in text.chars().enumerate() {
        let is_marked = marks.contains(&i);
        if is_marked != run_marked && !run.is_empty() {
            let run_style = if run_marked { theme.matched() } else { style };
            spans.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_marked = is_marked;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_marked { theme.matched() } else { style }));
    }
    spans
}

/// A row's spans in the selection's style, padded to the list's width.
fn selected_spans(
    spans: Vec<Span<'static>>,
    width: usize,
    focused: bool,
    theme: &Palette,
) -> Vec<Span<'static>> {
    let style = theme.selected(focused);
    let used: usize = spans.iter().map(|s| s.content.width()).sum();
    let mut spans: Vec<Span<'static>> = spans.into_iter().map(|s| s.patch_style(style)).collect();
    spans.push(Span::styled(" ".repeat(width.saturating_sub(used)), style));
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_display_width() {
        assert_eq!(cut_to_width("short", 10), "short");
        assert_eq!(cut_to_width("a longer title here", 10), "a longer …");
        assert_eq!(cut_to_width("北京协和医院研究", 9), "北京协和…");
        assert_eq!(cut_to_width("北京协和医院研究", 9).width(), 9);
        assert_eq!(cut_to_width("abc", 0), "");
    }

    #[test]
    fn ids_take_eleven_columns_whatever_their_shape() {
        for id in
            ["NCT01234567", "X-1", "NCT0123456789012345", "日本語日本語日本語", "a日本語日本語", "N\x1bC"]
        {
            assert_eq!(id_cell(id).width(), ID_WIDTH, "{id:?} as {:?}", id_cell(id));
        }
        assert_eq!(id_cell("NCT0123456789012345"), "NCT0123456…");
        assert_eq!(id_cell("X-1"), "X-1        ");
    }
}
