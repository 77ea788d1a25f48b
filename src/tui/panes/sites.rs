//! The Sites pane: every site in a table, sortable, with the selected site's contacts below.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::study::Study;
use crate::tui::theme::Theme;

/// How the sites are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SiteSort {
    #[default]
    Listed,
    Country,
    Status,
}

impl SiteSort {
    pub fn next(self) -> SiteSort {
        match self {
            SiteSort::Listed => SiteSort::Country,
            SiteSort::Country => SiteSort::Status,
            SiteSort::Status => SiteSort::Listed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SiteSort::Listed => "as listed",
            SiteSort::Country => "by country",
            SiteSort::Status => "by status",
        }
    }
}

/// Selection, scroll and order of the sites table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitesState {
    /// Position in `order` of the selected site.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    pub sort: SiteSort,
    /// Indexes into the study's locations, in display order.
    pub order: Vec<usize>,
}

impl SitesState {
    pub fn new(study: &Study) -> SitesState {
        let mut state = SitesState::default();
        state.sort_by(study, SiteSort::Listed);
        state
    }

    /// Re-orders the table, keeping the same site selected.
    pub fn sort_by(&mut self, study: &Study, sort: SiteSort) {
        let count =
            study.protocol_section.as_ref().map_or(0, |p| p.contacts_locations_module.locations.len());
        self.sort = sort;
        self.order = (0..count).collect();
    }

    /// Moves the selection by `delta` rows, keeping it visible in `rows` rows.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        let last = self.order.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if rows > 0 && self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }
}

/// How many table rows fit in the pane's body.
pub fn table_rows(body: Rect) -> usize {
    usize::from(body.height.saturating_sub(8))
}

pub fn draw(frame: &mut Frame, body: Rect, study: &Study, state: &SitesState, theme: &Theme) {
    let _ = (frame, body, study, state, theme);
}
