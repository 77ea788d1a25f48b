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
                Layout::horizontal([Constraint::Length(list_width(size.width)), Constraint::Min(1)])
                    .areas(body);
            (Some(list), Some(detail))
        } else if focus == Focus::List {
            (Some(body), None)
        } else {
            (None, Some(body))
        };
        Areas { header, list, detail, status }
    }
}

/// The list's columns side by side: 38 at the narrowest split, then three of every four
/// columns more, so titles get room at 120 (53, about 30 characters of title) until the list
/// reaches [`LIST_MAX_WIDTH`]; past that the study takes every column more.
fn list_width(width: u16) -> u16 {
    let grown = 38 + width.saturating_sub(SPLIT_MIN_WIDTH) * 3 / 4;
    grown.min(LIST_MAX_WIDTH).min(width)
}

/// The widest the list grows: wide enough for a title of about 50 characters.
const LIST_MAX_WIDTH: u16 = 72;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_grows_with_the_screen_up_to_its_widest() {
        let list = |width| Areas::for_screen(Size::new(width, 40), Focus::List).list.map(|r| r.width);
        assert_eq!(list(99), Some(99), "one at a time below the split");
        assert_eq!(list(100), Some(38));
        assert_eq!(list(120), Some(53));
        assert_eq!(list(200), Some(LIST_MAX_WIDTH));
        let detail = Areas::for_screen(Size::new(200, 40), Focus::List).detail.map(|r| r.width);
        assert_eq!(detail, Some(200 - LIST_MAX_WIDTH));
    }
}
