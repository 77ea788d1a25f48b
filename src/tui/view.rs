//! Drawing: `view(&App, &mut Frame)` lays out the screen and asks each part to draw itself from
//! the state. Nothing here reads files or searches; what a pane shows was prepared by `update`.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap,
};
use unicode_width::UnicodeWidthStr;

use super::action::Command;
use super::app::{AbsentRow, App, Focus, Overlay, Pane};
use super::highlight::{self, WordMark};
use super::keymap;
use super::layout::{self, Areas, MIN_HEIGHT, MIN_WIDTH};
use super::panes::{export, facets, help, list, note, picker, profiles, screenings, sites, status_bar};
use super::search::{Find, LineTarget};
use super::theme::Palette;
use crate::present::safe_text::is_unsafe;
use crate::study::date::PartialDate;
use crate::study::enums::{Status, phases_label};

pub fn view(app: &App, frame: &mut Frame) {
    draw(app, frame);
    only_safe_cells(frame.buffer_mut());
}

/// The screen's last check before it goes to the terminal, whatever drew it: a cell holding a
/// character a terminal must not be sent (see `present::safe_text`; ratatui drops most controls
/// but keeps a bidi override that shares a cell) loses that character. Records, file names and
/// messages cannot steer the terminal through any pane, present or future.
fn only_safe_cells(buffer: &mut ratatui::buffer::Buffer) {
    for cell in &mut buffer.content {
        if cell.symbol().contains(is_unsafe) {
            let kept: String = cell.symbol().chars().filter(|&c| !is_unsafe(c)).collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if Areas::too_small(app.size) || area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return too_small(frame, area);
    }
    let areas = Areas::compute(app);
    status_bar::draw_header(frame, areas.header, app);
    if let Some(list_area) = areas.list {
        list::draw(frame, list_area, app);
    }
    if let Some(detail) = areas.detail {
        draw_detail(frame, detail, app);
    }
    status_bar::draw(frame, areas.status, app);
    export::draw(frame, areas.status, app);
    if let Some(panel) = &app.facets {
        facets::draw(frame, area, panel, &app.filter.text, &app.theme);
    }
    match app.overlay {
        Some(Overlay::Help { scroll }) => help::draw(frame, area, scroll, &app.keymap, &app.theme),
        Some(Overlay::Errors { scroll }) => help::draw_errors(frame, area, &app.errors, scroll, &app.theme),
        Some(Overlay::Screenings { selected }) => screenings::draw(frame, area, app, selected),
        Some(Overlay::Profiles { selected }) => profiles::draw_list(frame, area, app, selected),
        None => {}
    }
    if let Some(editor) = &app.profile_editor {
        profiles::draw_editor(frame, area, editor, &app.theme);
    }
    if let Some(picker) = &app.picker {
        picker::draw(frame, area, picker, &app.studies, &app.theme);
    }
    if let Some(editor) = &app.note {
        note::draw(frame, area, editor, &app.theme);
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    let text = format!(
        "Terminal too small ({}x{}): nct needs {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge it, or q to quit.",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// The title of the study block: "NCT02491658 · Unknown status (was recruiting) · Phase 1/2",
/// fitted to the `width` of its top border.
fn detail_title(app: &App, width: u16) -> Line<'static> {
    let theme = &app.theme;
    let Some(summary) = app.selected_summary() else {
        return match app.selected_absent() {
            Some(absent) => Line::from(vec![
                Span::raw(" "),
                Span::styled(absent.id.to_string(), theme.bold()),
                Span::styled(" · not in the loaded inputs ", theme.dim()),
            ]),
            None => Line::from(" No study "),
        };
    };
    let mut status =
        summary.status.as_ref().map_or_else(|| "No status".to_string(), |s| s.label().to_string());
    if summary.status == Some(Status::Unknown)
        && let Some(last) = app.record().and_then(|r| r.protocol_section.as_ref())
        && let Some(known) = &last.status_module.last_known_status
    {
        status.push_str(&format!(" (was {})", known.label().to_lowercase()));
    }
    let mut spans = vec![
        Span::raw(" "),
        Span::styled(summary.id.to_string(), theme.bold()),
        Span::raw(" · "),
        Span::styled(status, theme.status(summary.status.as_ref())),
    ];
    let phases = phases_label(&summary.phases);
    if !phases.is_empty() {
        spans.push(Span::raw(format!(" · {phases}")));
    }
    if app.bookmarks.contains(&summary.id) {
        // Where the whole word does not fit on the border, the mark alone says it.
        let used: usize = spans.iter().map(|s| s.content.width()).sum();
        let mark =
            if used + " · * bookmarked ".width() <= usize::from(width) { "* bookmarked" } else { "*" };
        spans.push(Span::raw(" · "));
        spans.push(Span::styled(mark, theme.key()));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

fn draw_detail(frame: &mut Frame, area: Rect, app: &App) {
    let theme = &app.theme;
    let focused = app.focus == Focus::Detail;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(detail_title(app, area.width.saturating_sub(2)));
    frame.render_widget(block, area);
    let (tabs, body) = layout::detail_parts(area);
    draw_tabs(frame, tabs, app.pane, theme);
    if let Some(absent) = app.selected_absent() {
        let lines = absent_lines(app, absent);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
        return;
    }
    let Some(detail) = app.detail.as_ref() else {
        let text = if app.loading.is_some() { "Loading…" } else { "No study to show." };
        frame.render_widget(Paragraph::new(text).style(theme.dim()), body);
        return;
    };
    let study = match detail.record.as_deref() {
        Ok(study) => study,
        Err(reason) => {
            let lines = vec![
                Line::styled("This study cannot be shown:", theme.error()),
                Line::raw(reason.clone()),
                Line::raw(""),
                Line::styled("Run `nct check` on the same paths to see what changed.", theme.dim()),
            ];
            frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
            return;
        }
    };
    if app.pane == Pane::Sites {
        sites::draw(frame, body, study, &detail.sites, &app.filter.words, app.find.as_ref(), theme);
        return draw_find_line(frame, body, app);
    }
    let Some(document) = detail.pane_lines.get(app.pane.index()).and_then(Option::as_ref) else { return };
    let scroll = detail.scroll.get(app.pane.index()).copied().unwrap_or(0);
    // A screening's verdict line stays at the top of the Criteria pane, the criteria scroll under it.
    let screening = app.screening.as_ref().filter(|s| {
        app.pane == Pane::Criteria && !app.raw_criteria && s.screening.study.eq_ignore_ascii_case(&detail.id)
    });
    let body = match screening {
        Some(state) if body.height > 4 => {
            let verdict = super::panes::criteria::verdict_lines(&state.screening, body.width, theme);
            let rows = u16::try_from(verdict.len()).unwrap_or(1);
            frame.render_widget(Paragraph::new(verdict), Rect { height: rows, ..body });
            Rect { y: body.y + rows, height: body.height - rows, ..body }
        }
        _ => body,
    };
    let height = usize::from(body.height);
    // Foldable results have a cursor line: the part Enter opens or closes.
    let cursor = if let Some(state) = screening {
        state.item_lines.get(state.cursor).copied()
    } else if app.pane == Pane::Record {
        Some(detail.record_tree.cursor).filter(|_| !detail.record_tree.line_rows.is_empty())
    } else {
        (!document.folds.is_empty()).then_some(detail.outcomes.cursor)
    };
    let visible: Vec<Line> = document
        .lines
        .iter()
        .enumerate()
        .skip(scroll)
        .take(height)
        .map(|(index, line)| {
            let marked =
                mark_line(line, index, marks_on(&document.word_marks, index), app.find.as_ref(), theme);
            if cursor == Some(index) {
                cursor_line(marked, usize::from(body.width), focused, theme)
            } else {
                marked
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(visible), body);
    draw_find_line(frame, body, app);
    let screening_prompt = app.line.as_ref().and_then(|l| match l.target {
        LineTarget::Patient => Some((l, "Patient: ".to_owned())),
        LineTarget::ScreeningNote => {
            let reference =
                screening.and_then(|s| s.screening.items.get(s.cursor)).map(|i| i.reference.as_str());
            Some((l, format!("Note on {}: ", reference.unwrap_or("it"))))
        }
        _ => None,
    });
    if let Some((line, prompt)) = screening_prompt {
        let area = layout::pane_line(body, line.height(body.width));
        frame.render_widget(Clear, area);
        list::draw_line(frame, area, line, &prompt, None, theme);
    }
    if document.lines.len() > height {
        let mut state = ScrollbarState::new(document.lines.len().saturating_sub(height)).position(scroll);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight).begin_symbol(None).end_symbol(None);
        let track = Rect { y: body.y, height: body.height, ..area };
        frame.render_stateful_widget(bar, track, &mut state);
    }
}

/// The find line at the foot of the pane, while open.
fn draw_find_line(frame: &mut Frame, body: Rect, app: &App) {
    if let Some(line) = app.line.as_ref().filter(|l| l.target == LineTarget::Pane) {
        let area = layout::pane_line(body, line.height(body.width));
        frame.render_widget(Clear, area);
        list::draw_line(frame, area, line, "Find: ", app.find.as_ref().map(find_count), &app.theme);
    }
}

/// What the study area says of a study a view names that the loaded inputs lack: what was saved
/// with it, and how to read it.
fn absent_lines(app: &App, absent: &AbsentRow) -> Vec<Line<'static>> {
    let theme = &app.theme;
    let mut lines = vec![
        Line::styled(format!("{} is not in the loaded inputs.", absent.id), theme.bold()),
        Line::raw(""),
    ];
    match absent.title.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(title) => lines.push(Line::from(vec![
            Span::styled("Saved title: ", theme.label()),
            Span::raw(title.to_string()),
        ])),
        None => lines.push(Line::styled("No title was saved with it.", theme.dim())),
    }
    let bookmark = app.bookmarks.get(&absent.id);
    if let Some(bookmark) = bookmark {
        let added = PartialDate::parse(&bookmark.added)
            .map_or_else(|_| bookmark.added.clone(), |d| d.written(app.dates));
        lines.push(Line::from(vec![Span::styled("Bookmarked:  ", theme.label()), Span::raw(added)]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "It was bookmarked or opened with other files: open those too (nct PATH...) to read it.",
        theme.dim(),
    ));
    if bookmark.is_some()
        && let Some(key) = app.keymap.first_key(Command::ToggleBookmark, None)
    {
        lines.push(Line::styled(format!("{} removes the bookmark.", keymap::key_label(&key)), theme.dim()));
    }
    lines
}

/// The cursor's line, set off across the pane's width (a blank line too, so it shows).
fn cursor_line(mut line: Line<'static>, width: usize, focused: bool, theme: &Palette) -> Line<'static> {
    let fill = width.saturating_sub(line.width());
    line.spans.push(Span::raw(" ".repeat(fill)));
    let style = theme.selected(focused);
    for span in &mut line.spans {
        span.style = span.style.patch(style);
    }
    line
}

/// "3/12": the match `n`/`N` is on, of how many.
pub fn find_count(find: &Find) -> String {
    if find.matches.is_empty() {
        return " no match ".into();
    }
    format!(" {}/{} ", find.current + 1, find.matches.len())
}

/// A pane line with the list query's words and the found text marked, the current match more
/// so. Where both cover a char the find's mark shows: it is what `n`/`N` step through.
fn mark_line(
    line: &Line<'static>,
    index: usize,
    words: &[WordMark],
    find: Option<&Find>,
    theme: &Palette,
) -> Line<'static> {
    let mut ranges: Vec<(usize, usize, Style)> = Vec::new();
    if let Some(find) = find {
        ranges.extend(find.matches.iter().enumerate().filter(|(_, m)| m.line == index).map(|(n, m)| {
            let style = if n == find.current { theme.current_match() } else { theme.matched() };
            (m.start, m.end, style)
        }));
    }
    ranges.extend(words.iter().map(|m| (m.start, m.end, theme.query_word())));
    highlight::restyle(line, &ranges)
}

/// The marks of line `index`, out of all a document's (in line order).
fn marks_on(marks: &[WordMark], index: usize) -> &[WordMark] {
    let from = marks.partition_point(|m| m.line < index);
    let to = marks.partition_point(|m| m.line <= index);
    marks.get(from..to).unwrap_or_default()
}

fn draw_tabs(frame: &mut Frame, tabs: Rect, current: Pane, theme: &Palette) {
    let mut spans = vec![Span::raw(" ")];
    for pane in Pane::ALL {
        let label = layout::tab_label(pane);
        if pane == current {
            spans.push(Span::styled(label, theme.selected(true)));
        } else {
            spans.push(Span::styled(label, theme.dim()));
        }
        spans.push(Span::raw("  "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).alignment(Alignment::Left), tabs);
}
