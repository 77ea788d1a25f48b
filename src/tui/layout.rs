//! Where everything goes on the screen, computed the same way for drawing (`view`) and for
//! mouse hits and page sizes (`update`).

use ratatui::layout::{Constraint, Layout, Rect, Size};

use super::app::{App, Focus, Pane};

/// Below this width the list and the study take the screen in turn.
pub const SPLIT_MIN_WIDTH: u16 = 100;
/// Below this size nothing useful fits: a short message is shown instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    /// The study list's block, when shown.
    pub list: Option<Rect>,
    /// The study's block, when shown.
    pub detail: Option<Rect>,
    pub status: Rect,
}

impl Areas {
    pub fn too_small(size: Size) -> bool {
        size.width < MIN_WIDTH || size.height < MIN_HEIGHT
    }

    pub fn compute(app: &App) -> Areas {
        Areas::for_screen(app.size, app.focus)
    }

    pub fn for_screen(size: Size, focus: Focus) -> Areas {
        let area = Rect::new(0, 0, size.width, size.height);
        let [header, body, status] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(area);
        let (list, detail) = if size.width >= SPLIT_MIN_WIDTH {
            let [list, detail] =
                Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(body);
            (Some(list), Some(detail))
        } else if focus == Focus::List {
            (Some(body), None)
        } else {
            (None, Some(body))
        };
        Areas { header, list, detail, status }
    }
}

/// Inside a bordered block.
pub fn inner(block: Rect) -> Rect {
    Rect {
        x: block.x.saturating_add(1),
        y: block.y.saturating_add(1),
        width: block.width.saturating_sub(2),
        height: block.height.saturating_sub(2),
    }
}

/// The list block's rows, and below them the rows of the query line (`line_height` 0: none).
pub fn list_parts(list: Rect, line_height: u16) -> (Rect, Rect) {
    let inside = inner(list);
    let line_height = line_height.min(inside.height.saturating_sub(1));
    let rows = Rect { height: inside.height - line_height, ..inside };
    let line = Rect { y: rows.bottom(), height: line_height, ..inside };
    (rows, line)
}

/// The find line over the last row of a pane's body.
pub fn pane_line(body: Rect, line_height: u16) -> Rect {
    let height = line_height.min(body.height);
    Rect { y: body.bottom().saturating_sub(height), height, ..body }
}

/// The study block's tab row and the pane's body below it.
pub fn detail_parts(detail: Rect) -> (Rect, Rect) {
    let inside = inner(detail);
    let tabs = Rect { height: inside.height.min(1), ..inside };
    let body = Rect { y: inside.y.saturating_add(2), height: inside.height.saturating_sub(2), ..inside };
    (tabs, body)
}

pub fn contains(rect: Rect, column: u16, row: u16) -> bool {
    column >= rect.x && column < rect.right() && row >= rect.y && row < rect.bottom()
}

/// The tab labels, as drawn from one column into the tab row, two spaces apart.
pub fn tab_label(pane: Pane) -> String {
    format!("{} {}", pane.index() + 1, pane.title())
}

/// Where each tab is drawn: its first column and width.
pub fn tab_spans(tabs: Rect) -> [(Pane, u16, u16); 5] {
    let mut x = tabs.x.saturating_add(1);
    Pane::ALL.map(|pane| {
        let width = u16::try_from(tab_label(pane).len()).unwrap_or(0);
        let span = (pane, x, width);
        x = x.saturating_add(width + 2);
        span
    })
}

/// The tab under a column of the tab row.
pub fn tab_at(tabs: Rect, column: u16) -> Option<Pane> {
    tab_spans(tabs)
        .into_iter()
        .find(|&(_, x, width)| column >= x.saturating_sub(1) && column < x + width + 1)
        .map(|(pane, _, _)| pane)
}
