//! The Sites pane: every site in a table, sortable (`s`), filtered (`f`: all, recruiting, within
//! the distance asked about), nearest first with each site's distance when a query asks `near:`
//! a place, the sites holding the text found (`/`) marked, with the selected site's contacts
//! below.
//!
//! Big studies list a thousand sites and more, so drawing stays proportional to the screen:
//! only the visible rows are built each frame. Column widths depend on every site, though (a
//! column sized to the visible rows would jump as the table scrolls), so the display width of
//! every cell is measured once per sort and kept in the state; each frame only fits those
//! widths to the screen, as `nct show` fits its table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};
use unicode_width::UnicodeWidthStr;

use crate::present::sites::{
    SiteColumn, contact_line, distance_text, site_find_texts, site_is_recruiting, sites_count, study_is_open,
};
use crate::present::width::{COLUMN_GAP, cut_to_width, fit_columns};
use crate::present::words::thousands;
use crate::query::fold;
use crate::study::Study;
use crate::study::enums::RecruitmentStatus;
use crate::study::geo::{Area, haversine_km};
use crate::study::markup;
use crate::study::record::{GeoPoint, Location};
use crate::tui::highlight::{self, Marker, QueryWords};
use crate::tui::search::{Find, find_folded};
use crate::tui::theme::Palette;

/// Fewer table rows than this and the details box gives up lines rather than the table.
const MIN_TABLE_ROWS: u16 = 5;

/// The details box, borders included: six lines of facility, address, status and contacts,
/// eight on a tall screen, where more contacts fit.
const DETAILS_HEIGHT: u16 = 8;
const DETAILS_HEIGHT_TALL: u16 = 10;
const TALL_BODY: u16 = 30;

/// A details box lower than this shows too little to be worth its borders.
const MIN_DETAILS_HEIGHT: u16 = 3;

/// Lines of the facility's name in the details box before it is cut.
const FACILITY_LINES: usize = 2;

/// What starts a row holding the text found, while finding: the match may be in a part the
/// table does not show (a zip code, a contact).
const FOUND_MARK: &str = "• ";

/// How the sites are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SiteSort {
    #[default]
    Listed,
    Country,
    Status,
    /// Nearest the place a query asks about first (only offered with one).
    Nearest,
}

impl SiteSort {
    /// The order after this one; nearest first is one of them only with a place to be near.
    pub fn next(self, near: bool) -> SiteSort {
        match self {
            SiteSort::Nearest => SiteSort::Listed,
            SiteSort::Listed => SiteSort::Country,
            SiteSort::Country => SiteSort::Status,
            SiteSort::Status if near => SiteSort::Nearest,
            SiteSort::Status => SiteSort::Listed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SiteSort::Listed => "as listed",
            SiteSort::Country => "by country",
            SiteSort::Status => "by status",
            SiteSort::Nearest => "nearest first",
        }
    }
}

/// Which sites the table shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SiteFilter {
    #[default]
    All,
    /// Sites recruiting or not yet recruiting (see `present::sites::site_is_recruiting`).
    Recruiting,
    /// Sites within the radius of the place a query asks about (only offered with one).
    Within,
}

impl SiteFilter {
    /// The filter after this one; within the distance is one of them only with a place.
    pub fn next(self, near: bool) -> SiteFilter {
        match self {
            SiteFilter::All => SiteFilter::Recruiting,
            SiteFilter::Recruiting if near => SiteFilter::Within,
            SiteFilter::Recruiting | SiteFilter::Within => SiteFilter::All,
        }
    }

    /// What the filter keeps, for the count line ("12 of 844 sites shown, recruiting or not yet").
    pub fn label(self, near: Option<&Area>) -> String {
        match (self, near) {
            (SiteFilter::All, _) => "all sites".into(),
            (SiteFilter::Recruiting, _) => "recruiting or not yet".into(),
            (SiteFilter::Within, Some(area)) => format!("within {}", radius_text(area)),
            (SiteFilter::Within, None) => "within the distance".into(),
        }
    }
}

/// The area's radius in its unit, as typed: "25 mi", "50 km".
fn radius_text(area: &Area) -> String {
    let value = area.unit.from_km(area.radius_km);
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    format!("{text} {}", area.unit.symbol())
}

/// The display width of every cell of a column, header included, sorted as `fit_columns`
/// wants them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Measured {
    column: SiteColumn,
    widths: Vec<usize>,
}

/// Selection, scroll, order, filter and distances of the sites table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SitesState {
    /// Position in `order` of the selected site.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    pub sort: SiteSort,
    pub filter: SiteFilter,
    /// Indexes into the study's locations of the sites shown, in display order.
    pub order: Vec<usize>,
    /// Whether `order` was built from the record (a state made before it was read has none,
    /// and shows every site as listed).
    built: bool,
    /// The place the distances are from (`App.near` when they were measured).
    pub near: Option<Area>,
    /// Each site's distance from `near` in km, by index into the locations; `None` for a site
    /// without coordinates, and empty without a place.
    pub distances: Vec<Option<f64>>,
    /// The distances as written ("12 mi"), by index into the locations.
    distance_texts: Vec<String>,
    /// Which sites hold `found_for` (by index into the locations), while finding.
    found: Vec<bool>,
    found_for: String,
    /// The columns that hold something, measured over every site.
    columns: Vec<Measured>,
}

impl SitesState {
    pub fn new(study: &Study) -> SitesState {
        let mut state = SitesState::default();
        state.sort_by(study, SiteSort::Listed);
        state
    }

    /// Re-orders the table, keeping the same site selected, on the same screen row if it can.
    pub fn sort_by(&mut self, study: &Study, sort: SiteSort) {
        self.sort = sort;
        self.rebuild(study);
    }

    /// Shows only the sites `filter` keeps, the same site selected if it is one of them.
    pub fn filter_by(&mut self, study: &Study, filter: SiteFilter) {
        self.filter = filter;
        self.rebuild(study);
    }

    /// Measures every site's distance from `near` (a query's `near:`, or none): with a place the
    /// sites are sorted nearest first; without, the sorting and filtering by distance go.
    pub fn set_near(&mut self, study: &Study, near: Option<&Area>) {
        let sites = locations(study);
        self.near = near.cloned();
        self.distances = match near {
            Some(area) => sites
                .iter()
                .map(|site| site.geo_point.map(|point| haversine_km(area.center, point)))
                .collect(),
            None => Vec::new(),
        };
        self.distance_texts = match near {
            Some(area) => self
                .distances
                .iter()
                .map(|km| km.map(|km| distance_text(km, area.unit)).unwrap_or_default())
                .collect(),
            None => Vec::new(),
        };
        if near.is_some() {
            // Another question: the nearest site first, and selected.
            self.sort = SiteSort::Nearest;
            self.order.clear();
            (self.selected, self.offset) = (0, 0);
        } else {
            if self.sort == SiteSort::Nearest {
                self.sort = SiteSort::Listed;
            }
            if self.filter == SiteFilter::Within {
                self.filter = SiteFilter::All;
            }
        }
        self.rebuild(study);
    }

    /// The order and the columns again, after the sort, the filter or the place changed.
    fn rebuild(&mut self, study: &Study) {
        let sites = locations(study);
        let selected_site = self.order.get(self.selected).copied();
        let screen_row = self.selected.saturating_sub(self.offset);
        let overall = study.overall_status();
        let kept = |index: usize, site: &Location| match self.filter {
            SiteFilter::All => true,
            SiteFilter::Recruiting => site_is_recruiting(site, overall),
            SiteFilter::Within => match (&self.near, self.distances.get(index).copied().flatten()) {
                (Some(area), Some(km)) => km <= area.radius_km,
                _ => false,
            },
        };
        self.order = sorted_order(sites, self.sort, &self.distances)
            .into_iter()
            .filter(|&i| sites.get(i).is_some_and(|site| kept(i, site)))
            .collect();
        self.built = true;
        self.selected =
            selected_site.and_then(|site| self.order.iter().position(|&i| i == site)).unwrap_or(0);
        self.offset = self.selected.saturating_sub(screen_row);
        self.columns = measure(sites, &self.distance_texts);
    }

    /// Moves the selection by `delta` rows, keeping it visible in `rows` rows.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        let last = self.order.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.offset = visible_offset(self.offset, self.selected, rows, self.order.len());
    }

    /// The rows (positions in `order`) of the sites that hold `text` in a part find reads
    /// (`present::sites::site_find_texts`), case and accents folded. Which sites hold it is kept
    /// until the text changes, so asking again as the table moves costs a pass over the rows.
    pub fn found_rows(&mut self, study: &Study, text: &str) -> Vec<usize> {
        let needle = fold(text.trim());
        if needle.is_empty() {
            return Vec::new();
        }
        let sites = locations(study);
        if self.found_for != needle || self.found.len() != sites.len() {
            self.found = sites
                .iter()
                .map(|site| site_find_texts(site).any(|part| !find_folded(part, &needle).is_empty()))
                .collect();
            self.found_for = needle;
        }
        let found = &self.found;
        self.order
            .iter()
            .enumerate()
            .filter(|&(_, &site)| found.get(site).copied().unwrap_or(false))
            .map(|(row, _)| row)
            .collect()
    }

    /// How far the site (an index into the locations) is, as written; empty when not known.
    fn distance_of(&self, site: usize) -> Option<&str> {
        self.distance_texts.get(site).map(String::as_str)
    }
}

/// The first visible row that shows `selected` and leaves no empty rows below the last site.
fn visible_offset(offset: usize, selected: usize, rows: usize, count: usize) -> usize {
    if rows == 0 {
        return offset.min(selected);
    }
    let offset = if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    };
    offset.min(count.saturating_sub(rows))
}

fn locations(study: &Study) -> &[Location] {
    study.protocol_section.as_ref().map_or(&[], |p| p.contacts_locations_module.locations.as_slice())
}

/// Site indexes in `sort` order. The sorts are stable, so sites that compare equal keep the
/// order the registry lists them in.
fn sorted_order(sites: &[Location], sort: SiteSort, distances: &[Option<f64>]) -> Vec<usize> {
    match sort {
        // Sites without coordinates (or without a place asked about) go last, as listed.
        SiteSort::Nearest => {
            let mut keyed: Vec<(Option<f64>, usize)> =
                (0..sites.len()).map(|i| (distances.get(i).copied().flatten(), i)).collect();
            keyed.sort_by(|a, b| match (a.0, b.0) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
            keyed.into_iter().map(|(_, index)| index).collect()
        }
        SiteSort::Listed => (0..sites.len()).collect(),
        SiteSort::Country => by_key(sites, |site| {
            // Sites missing a country or city go after those that have one, not before.
            let part = |value: &Option<String>| {
                let text = value.as_deref().map_or("", str::trim);
                (text.is_empty(), text.to_lowercase())
            };
            (part(&site.country), part(&site.city), part(&site.facility))
        }),
        SiteSort::Status => by_key(sites, |site| status_rank(site.status.as_ref())),
    }
}

fn by_key<K: Ord>(sites: &[Location], key: impl Fn(&Location) -> K) -> Vec<usize> {
    let mut keyed: Vec<(K, usize)> = sites.iter().map(key).zip(0..).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, index)| index).collect()
}

/// Where someone looking for a site to join wants to look first: recruiting, then soon to
/// recruit, then still running, then done, then the rest.
fn status_rank(status: Option<&RecruitmentStatus>) -> u8 {
    match status {
        Some(RecruitmentStatus::Recruiting) => 0,
        Some(RecruitmentStatus::NotYetRecruiting) => 1,
        Some(RecruitmentStatus::ActiveNotRecruiting) => 2,
        Some(RecruitmentStatus::EnrollingByInvitation) => 3,
        Some(RecruitmentStatus::Completed) => 4,
        Some(_) => 5,
        None => 6,
    }
}

/// Every column that holds something in some site, with its cells' display widths; the
/// distance first when there is one.
fn measure(sites: &[Location], distances: &[String]) -> Vec<Measured> {
    let distance = |index: usize| distances.get(index).map(String::as_str);
    std::iter::once(SiteColumn::Distance)
        .chain(SiteColumn::REGISTERED)
        .filter(|column| sites.iter().enumerate().any(|(i, site)| !column.cell(site, distance(i)).is_empty()))
        .map(|column| {
            let mut widths: Vec<usize> = std::iter::once(column.header().width())
                .chain(sites.iter().enumerate().map(|(i, site)| column.cell(site, distance(i)).width()))
                .collect();
            widths.sort_unstable();
            Measured { column, widths }
        })
        .collect()
}

/// Whether the list query's words are marked in the column: the full-text index reads
/// facilities, cities and countries.
fn is_searched(column: SiteColumn) -> bool {
    matches!(column, SiteColumn::Facility | SiteColumn::City | SiteColumn::Country)
}

/// Whether finding in the sites reads the column (it reads contacts and zip codes too).
fn is_found_in(column: SiteColumn) -> bool {
    matches!(column, SiteColumn::Facility | SiteColumn::City | SiteColumn::State | SiteColumn::Country)
}

/// Where the pane's parts go in its body; the same for drawing and for `table_rows`.
struct Parts {
    count: Rect,
    header: Rect,
    /// Room for table rows, whether or not there are sites enough to fill it.
    rows: Rect,
    details_height: u16,
}

impl Parts {
    fn of(body: Rect) -> Parts {
        let ideal = if body.height >= TALL_BODY { DETAILS_HEIGHT_TALL } else { DETAILS_HEIGHT };
        let room = body.height.saturating_sub(2 + MIN_TABLE_ROWS);
        let details_height = match ideal.min(room) {
            h if h < MIN_DETAILS_HEIGHT => 0,
            h => h,
        };
        let line = |y: u16| Rect {
            y: body.y.saturating_add(y),
            height: body.height.saturating_sub(y).min(1),
            ..body
        };
        let rows_height = body.height.saturating_sub(2 + details_height);
        Parts {
            count: line(0),
            header: line(1),
            rows: Rect { y: body.y.saturating_add(2), height: rows_height, ..body },
            details_height,
        }
    }
}

/// How many table rows fit in the pane's body.
pub fn table_rows(body: Rect) -> usize {
    usize::from(Parts::of(body).rows.height)
}

/// The text found in the sites, folded, and the row `n`/`N` moved to, while finding.
#[derive(Debug, Clone, Copy)]
struct Finding<'a> {
    needle: &'a str,
    current_row: Option<usize>,
    matches: usize,
}

pub fn draw(
    frame: &mut Frame,
    body: Rect,
    study: &Study,
    state: &SitesState,
    words: &QueryWords,
    find: Option<&Find>,
    theme: &Palette,
) {
    let sites = locations(study);
    let parts = Parts::of(body);
    if sites.is_empty() {
        let text = markup::hanging("No sites listed in this record.", "", 0, usize::from(body.width));
        frame.render_widget(Paragraph::new(text.into_iter().map(Line::from).collect::<Vec<_>>()), body);
        return;
    }
    let folded = find.map(|f| fold(f.text.trim())).filter(|n| !n.is_empty());
    let finding = folded.as_deref().zip(find).map(|(needle, find)| Finding {
        needle,
        current_row: find.matches.get(find.current).map(|m| m.line),
        matches: find.matches.len(),
    });
    // A state made before the record was read has no order: the sites show as listed.
    let shown_sites = if state.built { state.order.len() } else { sites.len() };
    let site_index =
        |position: usize| if state.built { state.order.get(position).copied() } else { Some(position) };
    let site_at = |position: usize| site_index(position).and_then(|i| sites.get(i).map(|site| (i, site)));
    let rows = usize::from(parts.rows.height);
    let offset = visible_offset(state.offset, state.selected, rows, shown_sites);
    let count = count_line(study, sites, state, shown_sites, finding, usize::from(body.width), theme);
    frame.render_widget(count, parts.count);
    if shown_sites == 0 {
        let text = format!("No site is {}: f shows the others.", state.filter.label(state.near.as_ref()));
        frame.render_widget(Line::styled(text, theme.dim()), parts.header);
        return;
    }

    let scrolls = shown_sites > rows;
    let gutter = if finding.is_some() { FOUND_MARK.width() } else { 0 };
    let table_width = usize::from(body.width.saturating_sub(u16::from(scrolls))).saturating_sub(gutter);
    let measured_now;
    let columns = if state.columns.is_empty() {
        measured_now = measure(sites, &state.distance_texts);
        &measured_now
    } else {
        &state.columns
    };
    let layout = fit_layout(columns, table_width);

    let mut header: Vec<Vec<Span<'static>>> =
        layout.iter().map(|&(c, w)| vec![Span::raw(aligned(c, c.header(), w))]).collect();
    if let Some(first) = header.first_mut() {
        first.insert(0, Span::raw(" ".repeat(gutter)));
    }
    frame.render_widget(Line::from(join_cells(header)).style(theme.bold()), parts.header);

    let shown = shown_sites.saturating_sub(offset).min(rows);
    let mut marker = words.marker();
    for (row, position) in (offset..offset + shown).enumerate() {
        let Some((index, site)) = site_at(position) else { continue };
        let selected = position == state.selected;
        let distance = state.distance_of(index);
        let found =
            finding.is_some_and(|f| site_find_texts(site).any(|p| !find_folded(p, f.needle).is_empty()));
        let find_style = match finding {
            Some(f) if f.current_row == Some(position) => theme.current_match(),
            _ => theme.matched(),
        };
        let mut cells: Vec<Vec<Span<'static>>> = layout
            .iter()
            .map(|&(column, width)| {
                let value = column.cell(site, distance);
                let text = aligned(column, value, width);
                let cell = match (column, selected) {
                    (SiteColumn::Status, false) => {
                        Span::styled(text, theme.site_status(site.status.as_ref()))
                    }
                    (SiteColumn::Distance, _) => {
                        Span::styled(text, if selected { Style::new() } else { theme.dim() })
                    }
                    _ => Span::raw(text),
                };
                // A cut cell keeps its first chars, so the marks of the whole text still fit it.
                let mut ranges: Vec<(usize, usize, Style)> = Vec::new();
                if let Some(f) = finding.filter(|_| is_found_in(column)) {
                    ranges.extend(find_folded(value, f.needle).into_iter().map(|(a, b)| (a, b, find_style)));
                }
                if is_searched(column) {
                    ranges.extend(marker.in_text(value).into_iter().map(|(a, b)| (a, b, theme.query_word())));
                }
                if ranges.is_empty() {
                    vec![cell]
                } else {
                    highlight::restyle(&Line::from(cell), &ranges).spans
                }
            })
            .collect();
        if let Some(first) = cells.first_mut().filter(|_| gutter > 0) {
            let mark = if found { Span::styled(FOUND_MARK, theme.matched()) } else { Span::raw("  ") };
            first.insert(0, mark);
        }
        let style = if selected { theme.selected(true) } else { Style::new() };
        let y = parts.rows.y.saturating_add(u16::try_from(row).unwrap_or(u16::MAX));
        let area = Rect { y, height: 1, width: body.width.saturating_sub(u16::from(scrolls)), ..body };
        frame.render_widget(Line::from(join_cells(cells)).style(style), area);
    }

    if scrolls {
        let mut scrollbar = ScrollbarState::new(shown_sites.saturating_sub(rows)).position(offset);
        scrollbar = scrollbar.viewport_content_length(rows);
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(theme.dim());
        frame.render_stateful_widget(bar, parts.rows, &mut scrollbar);
    }

    if parts.details_height > 0 {
        let shown_rows = u16::try_from(shown).unwrap_or(u16::MAX);
        let details =
            Rect { y: parts.rows.y.saturating_add(shown_rows), height: parts.details_height, ..body };
        if let Some((index, site)) = site_at(state.selected) {
            let title = format!(" Site {} of {} ", thousands(state.selected + 1), thousands(shown_sites));
            let marks = Marks { words: &mut marker, found: finding.map(|f| f.needle) };
            draw_details(frame, details, site, state.distance_of(index), &title, marks, theme);
        }
    }
}

/// The columns' widths on a table `width` wide. The distance is never cut (a cut number reads
/// as another): it keeps its widest cell, and the other columns share what is left.
fn fit_layout(columns: &[Measured], width: usize) -> Vec<(SiteColumn, usize)> {
    let (whole, fitted): (Vec<&Measured>, Vec<&Measured>) =
        columns.iter().partition(|m| m.column == SiteColumn::Distance);
    let kept: Vec<(SiteColumn, usize)> =
        whole.iter().map(|m| (m.column, m.widths.last().copied().unwrap_or(0))).collect();
    let room = width.saturating_sub(kept.iter().map(|(_, w)| w + COLUMN_GAP).sum::<usize>());
    let cells: Vec<Vec<usize>> = fitted.iter().map(|m| m.widths.clone()).collect();
    let widths = fit_columns(&cells, room);
    kept.into_iter().chain(fitted.iter().map(|m| m.column).zip(widths)).collect()
}

/// A cell padded to `width`; distances to the right, so their units line up.
fn aligned(column: SiteColumn, text: &str, width: usize) -> String {
    if column != SiteColumn::Distance {
        return padded(text, width);
    }
    let cut = cut_to_width(text, width);
    format!("{}{cut}", " ".repeat(width.saturating_sub(cut.width())))
}

/// The pane's heading: how many sites (how many the filter shows, how many hold the text found)
/// and how they are sorted, with the keys that change it, shortened to fit:
/// "1,148 sites in 23 countries, 312 recruiting · sorted as listed (s: sort, f: filter)",
/// "12 of 844 sites shown, recruiting or not yet · nearest to Baltimore, Maryland, United States",
/// "3 of 12 sites match".
fn count_line(
    study: &Study,
    sites: &[Location],
    state: &SitesState,
    shown: usize,
    finding: Option<Finding<'_>>,
    width: usize,
    theme: &Palette,
) -> Line<'static> {
    let total = sites.len();
    let filtered = state.filter != SiteFilter::All;
    let filter = state.filter.label(state.near.as_ref());
    let site_word = |n: usize| if n == 1 { "site" } else { "sites" };
    let count = match (finding, filtered) {
        (None, false) => sites_count(sites, study_is_open(study.overall_status())),
        (None, true) => {
            format!("{} of {} {} shown, {filter}", thousands(shown), thousands(total), site_word(total))
        }
        (Some(f), false) => {
            format!("{} of {} {} match", thousands(f.matches), thousands(total), site_word(total))
        }
        (Some(f), true) => format!(
            "{} of {} {} match · {} of {} shown, {filter}",
            thousands(f.matches),
            thousands(shown),
            site_word(shown),
            thousands(shown),
            thousands(total)
        ),
    };
    // Said first when it has to be short: the place the sites are nearest to matters more than
    // how many countries they are in.
    let short = match (finding, filtered) {
        (None, false) => format!("{} {}", thousands(total), site_word(total)),
        (None, true) => format!("{} of {} {} shown", thousands(shown), thousands(total), site_word(total)),
        (Some(_), _) => count.clone(),
    };
    let sorted = match (state.sort, state.near.as_ref()) {
        (SiteSort::Nearest, Some(area)) => format!(" · nearest to {}", area.place),
        (sort, _) => format!(" · sorted {}", sort.label()),
    };
    let hint = " (s: sort, f: filter)";
    let fits = |parts: &[&str]| parts.iter().map(|p| p.width()).sum::<usize>() <= width;
    let spans = if fits(&[&count, &sorted, hint]) {
        vec![Span::raw(count), Span::styled(sorted, theme.dim()), Span::styled(hint, theme.dim())]
    } else if fits(&[&count, &sorted]) {
        vec![Span::raw(count), Span::styled(sorted, theme.dim())]
    } else if state.sort == SiteSort::Nearest && fits(&[&short, &sorted]) {
        vec![Span::raw(short), Span::styled(sorted, theme.dim())]
    } else {
        vec![Span::raw(cut_to_width(&count, width))]
    };
    Line::from(spans)
}

/// `line` with the char ranges of the query's words marked.
fn mark_words(line: Line<'static>, marks: &[(usize, usize)], theme: &Palette) -> Line<'static> {
    if marks.is_empty() {
        return line;
    }
    let ranges: Vec<_> = marks.iter().map(|&(start, end)| (start, end, theme.query_word())).collect();
    highlight::restyle(&line, &ranges)
}

/// `text` cut or padded to exactly `width` display columns.
fn padded(text: &str, width: usize) -> String {
    let cut = cut_to_width(text, width);
    let fill = width.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(fill))
}

/// The cells of a row, the gap between them; a cell is several spans where words are marked.
fn join_cells(cells: Vec<Vec<Span<'static>>>) -> Vec<Span<'static>> {
    let gap = " ".repeat(COLUMN_GAP);
    let mut spans = Vec::with_capacity(cells.len() * 2);
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(gap.clone()));
        }
        spans.extend(cell);
    }
    spans
}

/// The selected site in full: name, address, status and where it is, then its contacts, as
/// many as the box holds.
fn draw_details(
    frame: &mut Frame,
    area: Rect,
    site: &Location,
    distance: Option<&str>,
    title: &str,
    marks: Marks<'_, '_>,
    theme: &Palette,
) {
    let block = Block::bordered()
        .title(Line::styled(title.to_owned(), theme.dim()))
        .border_style(theme.dim())
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines =
        details_lines(site, distance, usize::from(inner.width), usize::from(inner.height), marks, theme);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What the details box marks: the list query's words, and the text found in the sites.
struct Marks<'m, 'w> {
    words: &'m mut Marker<'w>,
    /// The text found, folded.
    found: Option<&'m str>,
}

/// The details box's lines; the words of the list's query are marked in the facility's name and
/// the address, the parts of a site the search reads, and the text found in those and in the
/// contacts.
fn details_lines(
    site: &Location,
    distance: Option<&str>,
    width: usize,
    height: usize,
    marks: Marks<'_, '_>,
    theme: &Palette,
) -> Vec<Line<'static>> {
    let Marks { words: marker, found } = marks;
    let found_in = |line: Line<'static>| match found {
        Some(needle) => {
            let ranges: Vec<_> = find_folded(&line.to_string(), needle)
                .into_iter()
                .map(|(a, b)| (a, b, theme.matched()))
                .collect();
            if ranges.is_empty() { line } else { highlight::restyle(&line, &ranges) }
        }
        None => line,
    };
    let mut searched = |line: Line<'static>| {
        let marks = marker.in_text(&line.to_string());
        found_in(mark_words(line, &marks, theme))
    };
    let wrap = |text: &str| markup::hanging(text, "", 0, width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let facility = site.facility.as_deref().map(str::trim).filter(|f| !f.is_empty());
    let mut name = wrap(facility.unwrap_or("Unnamed site"));
    if name.len() > FACILITY_LINES {
        let rest = name.split_off(FACILITY_LINES - 1).join(" ");
        name.push(cut_to_width(&rest, width));
    }
    let name_style = if facility.is_some() { theme.bold() } else { theme.dim() };
    lines.extend(name.into_iter().map(|l| searched(Line::styled(l, name_style))));

    let address: Vec<&str> = [&site.city, &site.state, &site.zip, &site.country]
        .into_iter()
        .filter_map(|part| part.as_deref().map(str::trim).filter(|p| !p.is_empty()))
        .collect();
    if !address.is_empty() {
        lines.extend(wrap(&address.join(", ")).into_iter().map(|l| searched(Line::from(l))));
    }

    let status =
        match (site.status.as_ref().map(|s| s.label().to_owned()), distance.filter(|d| !d.is_empty())) {
            (Some(status), Some(distance)) => Some(format!("{status} · {distance} away")),
            (None, Some(distance)) => Some(format!("{distance} away")),
            (status, None) => status,
        };
    let place = site.geo_point.map(coordinates);
    match (status, place) {
        (Some(status), Some(place)) if status.width() + 3 + place.width() <= width => {
            lines.push(Line::from(vec![
                Span::styled(status, theme.site_status(site.status.as_ref())),
                Span::styled(" · ", theme.dim()),
                Span::styled(place, theme.dim()),
            ]));
        }
        (status, place) => {
            if let Some(status) = status {
                lines.push(Line::styled(status, theme.site_status(site.status.as_ref())));
            }
            if let Some(place) = place {
                lines.push(Line::styled(place, theme.dim()));
            }
        }
    }

    let contacts: Vec<Vec<String>> =
        site.contacts.iter().filter_map(contact_line).map(|c| wrap(&c)).collect();
    let mut room = height.saturating_sub(lines.len());
    for (i, contact) in contacts.iter().enumerate() {
        let left_after = contacts.len() - i - 1;
        // The last line says how many contacts did not fit, rather than cut one short.
        let needs = contact.len() + usize::from(left_after > 0);
        if needs <= room {
            lines.extend(contact.iter().cloned().map(|l| found_in(Line::from(l))));
            room -= contact.len();
            continue;
        }
        let more = contacts.len() - i;
        let word = if more == 1 { "contact" } else { "contacts" };
        if room > 0 {
            lines.push(Line::styled(format!("+{more} more {word} (nct show for all)"), theme.dim()));
        }
        break;
    }
    lines.truncate(height);
    lines
}

/// "45.7640° N, 4.8357° E".
fn coordinates(point: GeoPoint) -> String {
    let lat = if point.lat < 0.0 { 'S' } else { 'N' };
    let lon = if point.lon < 0.0 { 'W' } else { 'E' };
    format!("{:.4}° {lat}, {:.4}° {lon}", point.lat.abs(), point.lon.abs())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::style::Color;

    use super::*;

    use crate::tui::panes::bundled_study as study;

    fn render(study: &Study, state: &SitesState, width: u16, height: u16) -> Buffer {
        render_marked(study, state, &QueryWords::default(), width, height)
    }

    fn render_marked(
        study: &Study,
        state: &SitesState,
        words: &QueryWords,
        width: u16,
        height: u16,
    ) -> Buffer {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let theme = Palette::dark();
        terminal.draw(|frame| draw(frame, frame.area(), study, state, words, None, &theme)).unwrap();
        terminal.backend().buffer().clone()
    }

    /// The text of row `y`'s cells drawn as words of the query, one string per run of them.
    fn query_words_in_row(buffer: &Buffer, y: u16) -> Vec<String> {
        let mut runs: Vec<String> = Vec::new();
        let mut in_run = false;
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let marked = cell.modifier.contains(ratatui::style::Modifier::ITALIC);
            if marked && !in_run {
                runs.push(String::new());
            }
            if marked {
                runs.last_mut().unwrap().push_str(cell.symbol());
            }
            in_run = marked;
        }
        runs
    }

    /// The row's text, one character per cell (the cell after a wide character is skipped).
    fn row(buffer: &Buffer, y: u16) -> String {
        let mut text = String::new();
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            text.push_str(symbol);
            x += u16::try_from(symbol.width().max(1)).unwrap();
        }
        text.trim_end().to_owned()
    }

    /// The column where `needle` starts in row `y`.
    fn column_of(buffer: &Buffer, y: u16, needle: &str) -> Option<u16> {
        (0..buffer.area.width).find(|&x| {
            let found: String = (x..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
            found.starts_with(needle)
        })
    }

    #[test]
    fn counts_sites_and_says_how_they_are_sorted() {
        let study = study("NCT05183427");
        let buffer = render(&study, &SitesState::new(&study), 118, 36);
        assert_eq!(
            row(&buffer, 0),
            "1,148 sites in 23 countries, 718 recruiting · sorted as listed (s: sort, f: filter)"
        );
        let mut state = SitesState::new(&study);
        state.sort_by(&study, SiteSort::Country);
        let narrow = count_line(&study, locations(&study), &state, 1148, None, 50, &Palette::mono());
        assert_eq!(narrow.to_string(), "1,148 sites in 23 countries, 718 recruiting");
    }

    #[test]
    fn sorting_keeps_the_selected_site() {
        let study = study("NCT05183427");
        let sites = locations(&study);
        let mut state = SitesState::new(&study);
        state.move_by(500, 10);
        assert_eq!(state.order[state.selected], 500);
        for sort in [SiteSort::Country, SiteSort::Status, SiteSort::Listed] {
            state.sort_by(&study, sort);
            assert_eq!(state.sort, sort);
            assert_eq!(state.order[state.selected], 500, "{sort:?}");
            assert_eq!(state.selected - state.offset, 9, "the site stays on its screen row");
        }
        assert_eq!(state.selected, 500);

        state.sort_by(&study, SiteSort::Country);
        let key = |&i: &usize| {
            let s = &sites[i];
            let lower = |v: &Option<String>| v.as_deref().unwrap_or("").to_lowercase();
            (lower(&s.country), lower(&s.city), lower(&s.facility))
        };
        assert!(state.order.windows(2).all(|w| key(&w[0]) <= key(&w[1])));

        state.sort_by(&study, SiteSort::Status);
        assert_eq!(sites[state.order[0]].status, Some(RecruitmentStatus::Recruiting));
        assert!(state.order.windows(2).all(|w| {
            let rank = |i: usize| status_rank(sites[i].status.as_ref());
            rank(w[0]) < rank(w[1]) || rank(w[0]) == rank(w[1]) && w[0] < w[1]
        }));
        let first_completed =
            state.order.iter().position(|&i| sites[i].status == Some(RecruitmentStatus::Completed));
        assert_eq!(first_completed, Some(718 + 188 + 89));
    }

    #[test]
    fn moving_keeps_the_selection_in_the_window() {
        let study = study("NCT05183427");
        let mut state = SitesState::new(&study);
        let rows = 10;
        state.move_by(25, rows);
        assert_eq!((state.selected, state.offset), (25, 16));
        state.move_by(-3, rows);
        assert_eq!((state.selected, state.offset), (22, 16));
        state.move_by(-20, rows);
        assert_eq!((state.selected, state.offset), (2, 2));
        state.move_by(10_000, rows);
        assert_eq!((state.selected, state.offset), (1147, 1138));
        state.move_by(-10_000, rows);
        assert_eq!((state.selected, state.offset), (0, 0));
        // A taller screen shows more rows rather than empty ones below the last site.
        state.move_by(1147, rows);
        state.move_by(0, 30);
        assert_eq!((state.selected, state.offset), (1147, 1118));
    }

    #[test]
    fn highlights_the_selected_row_and_details_it_at_80_by_20() {
        let study = study("NCT05183427");
        let mut state = SitesState::new(&study);
        let body = Rect::new(0, 0, 80, 20);
        let rows = table_rows(body);
        assert_eq!(rows, 10);
        state.move_by(2, rows);
        let buffer = render(&study, &state, 80, 20);
        assert!(row(&buffer, 1).starts_with("Facility"), "{}", row(&buffer, 1));
        let selected_y = 2 + 2;
        assert!(row(&buffer, selected_y).starts_with("Tucson Heart Center"));
        assert_eq!(buffer[(0, selected_y)].bg, Color::Blue);
        assert_eq!(buffer[(70, selected_y)].bg, Color::Blue);
        assert_ne!(buffer[(0, selected_y + 1)].bg, Color::Blue);
        // The details box starts right under the table.
        let top = 2 + u16::try_from(rows).unwrap();
        assert!(row(&buffer, top).starts_with("┌ Site 3 of 1,148 "), "{}", row(&buffer, top));
        let details: Vec<String> =
            (top..20).map(|y| row(&buffer, y).trim_end_matches('│').trim_end().to_owned()).collect();
        assert_eq!(details[1], "│ Tucson Heart Center");
        assert_eq!(details[2], "│ Tucson, Arizona, 85724, United States");
        assert_eq!(details[3], "│ Not yet recruiting · 32.2217° N, 110.9265° W");
        assert_eq!(details[4], "│ Ingrid Rossi · +1 198 531 3349 · hfpreserve.site0003@example.org");
        assert_eq!(details[5], "│ Min-jun Martin, MD (Principal Investigator)");
        assert_eq!(details[6], "│");
        assert!(details[7].starts_with("└"), "{details:#?}");
    }

    #[test]
    fn marks_the_query_words_in_facilities_cities_and_countries() {
        let study = study("NCT05183427");
        let mut state = SitesState::new(&study);
        state.move_by(2, table_rows(Rect::new(0, 0, 80, 20)));
        let terms = crate::query::parse("hearts tucson \"united states\" -phoenix recruiting").unwrap();
        let words = QueryWords::new(&terms.highlight_terms());
        let buffer = render_marked(&study, &state, &words, 80, 20);
        assert!(row(&buffer, 2).starts_with("Birmingham Heart Center"), "{}", row(&buffer, 2));
        // Stemmed as the index reads them; not the negated word, nor the status the index does
        // not read; the selected row too.
        assert_eq!(query_words_in_row(&buffer, 2), ["Heart", "United States"]);
        assert_eq!(query_words_in_row(&buffer, 3), ["Heart", "United States"]);
        assert_eq!(query_words_in_row(&buffer, 4), ["Tucson", "Heart", "Tucson", "United States"]);
        let top = 2 + 10;
        assert_eq!(query_words_in_row(&buffer, top + 1), ["Tucson", "Heart"]);
        assert_eq!(query_words_in_row(&buffer, top + 2), ["Tucson", "United States"]);
        assert!(query_words_in_row(&buffer, top + 3).is_empty(), "the status line is not searched");
    }

    #[test]
    fn a_tall_screen_shows_more_rows_and_a_scrollbar() {
        let study = study("NCT05183427");
        let mut state = SitesState::new(&study);
        let rows = table_rows(Rect::new(0, 0, 118, 36));
        assert_eq!(rows, 24);
        state.move_by(600, rows);
        let buffer = render(&study, &state, 118, 36);
        let selected_y = 2 + u16::try_from(state.selected - state.offset).unwrap();
        assert_eq!(selected_y, 2 + 23);
        let site = &locations(&study)[600];
        let facility = site.facility.as_deref().unwrap();
        assert!(row(&buffer, selected_y).starts_with(facility), "{}", row(&buffer, selected_y));
        assert_eq!(buffer[(1, selected_y)].bg, Color::Blue);
        let status_x = column_of(&buffer, 1, "Status").unwrap();
        assert_eq!(buffer[(status_x, selected_y - 1)].bg, Color::Reset);
        assert_ne!(buffer[(status_x, selected_y - 1)].fg, Color::Reset, "statuses carry colour");
        // The scrollbar sits in the last column, its thumb low in the track.
        let track: String = (2..26).map(|y| buffer[(117, y)].symbol().to_owned()).collect();
        assert!(track.contains('█'), "{track}");
        assert!(row(&buffer, 26).starts_with("┌ Site 601 of 1,148 "));
        assert!(row(&buffer, 27).contains(facility));
    }

    #[test]
    fn wide_characters_keep_the_columns_aligned() {
        let study = study("NCT02210479");
        let state = SitesState::new(&study);
        let buffer = render(&study, &state, 80, 24);
        let city_x = column_of(&buffer, 1, "City").unwrap();
        for (y, city) in [(2, "Shanghai"), (3, "Beijing"), (4, "Chengdu")] {
            assert_eq!(column_of(&buffer, y, city), Some(city_x), "{}", row(&buffer, y));
        }
        assert!(row(&buffer, 2).starts_with("华东心血管病研究所"));
        // Narrower than the names: cut with an ellipsis, still aligned.
        let buffer = render(&study, &state, 50, 24);
        let city_x = column_of(&buffer, 1, "City").unwrap();
        for (y, city) in [(2, "Shan"), (3, "Beij"), (4, "Chen")] {
            assert_eq!(column_of(&buffer, y, city), Some(city_x), "{}", row(&buffer, y));
        }
    }

    #[test]
    fn a_study_without_sites_says_so() {
        let buffer = render(&Study::default(), &SitesState::default(), 40, 10);
        assert_eq!(row(&buffer, 0), "No sites listed in this record.");
    }

    #[test]
    fn contacts_that_do_not_fit_are_counted() {
        let contact = |name: &str| crate::study::record::Contact {
            name: Some(name.to_owned()),
            phone: Some("+33 4 72 11 00 00".to_owned()),
            ..Default::default()
        };
        let site = Location {
            facility: Some(
                "Hôpital Édouard Herriot, Hospices Civils de Lyon, Service de Cardiologie".to_owned(),
            ),
            city: Some("Lyon".to_owned()),
            country: Some("France".to_owned()),
            status: Some(RecruitmentStatus::Recruiting),
            contacts: vec![contact("Anne Martin"), contact("Paul Durand"), contact("Marie Petit")],
            geo_point: Some(GeoPoint { lat: 45.764, lon: 4.8357 }),
            ..Location::default()
        };
        let text = |width, height| -> Vec<String> {
            let words = QueryWords::default();
            let mut marker = words.marker();
            let marks = Marks { words: &mut marker, found: None };
            details_lines(&site, None, width, height, marks, &Palette::mono())
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            text(40, 6),
            [
                "Hôpital Édouard Herriot, Hospices Civils",
                "de Lyon, Service de Cardiologie",
                "Lyon, France",
                "Recruiting · 45.7640° N, 4.8357° E",
                "Anne Martin · +33 4 72 11 00 00",
                "+2 more contacts (nct show for all)",
            ]
        );
        assert_eq!(text(30, 6)[1], "Hospices Civils de Lyon, Serv…");
        assert_eq!(text(40, 8).last().unwrap(), "Marie Petit · +33 4 72 11 00 00");
        assert_eq!(text(40, 2).len(), 2);
    }

    /// A study of the hand-written `tests/fixtures/sites`.
    fn fixture_study(id: &str) -> Study {
        let path = format!("{}/tests/fixtures/sites/studies.json", env!("CARGO_MANIFEST_DIR"));
        let studies: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let study = studies
            .iter()
            .find(|s| s["protocolSection"]["identificationModule"]["nctId"] == id)
            .unwrap_or_else(|| panic!("{id} is not in the fixture"));
        crate::catalog::parse_study(&serde_json::to_vec(study).unwrap()).unwrap()
    }

    fn baltimore(radius_miles: f64) -> Area {
        Area {
            center: GeoPoint { lat: 39.2904, lon: -76.6122 },
            radius_km: radius_miles * crate::study::geo::KM_PER_MILE,
            unit: crate::study::geo::DistanceUnit::Miles,
            place: "Baltimore, Maryland, United States".into(),
        }
    }

    fn facilities(study: &Study, state: &SitesState) -> Vec<String> {
        state.order.iter().map(|&i| locations(study)[i].facility.clone().unwrap()).collect()
    }

    #[test]
    fn find_reads_facilities_addresses_zip_codes_and_contacts_in_the_order_shown() {
        let study = fixture_study("NCT09980001");
        let mut state = SitesState::new(&study);
        let found = |state: &mut SitesState, text: &str| -> Vec<String> {
            let rows = state.found_rows(&study, text);
            rows.iter().map(|&row| locations(&study)[state.order[row]].facility.clone().unwrap()).collect()
        };
        // In the city, the facility's name, a contact's email and a contact's name.
        assert_eq!(
            found(&mut state, "baltimore"),
            [
                "Johns Hopkins Hospital",
                "University of Maryland Medical Center",
                "Towson Heart Associates",
                "Mercy Medical Center",
                "Sinai Hospital of Baltimore"
            ]
        );
        assert_eq!(found(&mut state, "21287"), ["Johns Hopkins Hospital"], "the zip code");
        assert_eq!(found(&mut state, "maryland").len(), 8, "the state");
        assert_eq!(found(&mut state, "HERRIOT"), ["Hôpital Édouard Herriot"], "case folded");
        assert_eq!(
            found(&mut state, "hopital"),
            ["Hôpital Édouard Herriot", "Hôpital Européen Georges-Pompidou"]
        );
        assert_eq!(
            found(&mut state, "+1 410 555 0142"),
            ["University of Maryland Medical Center"],
            "a phone"
        );
        assert_eq!(found(&mut state, "japan"), ["Tokyo Medical University Hospital"], "the country");
        assert!(found(&mut state, "  ").is_empty() && found(&mut state, "nowhere").is_empty());
        // Rows of the table as it is ordered and filtered now.
        state.sort_by(&study, SiteSort::Country);
        assert_eq!(
            found(&mut state, "hopital"),
            ["Hôpital Édouard Herriot", "Hôpital Européen Georges-Pompidou"]
        );
        state.filter_by(&study, SiteFilter::Recruiting);
        assert_eq!(
            found(&mut state, "baltimore"),
            [
                "Johns Hopkins Hospital",
                "Sinai Hospital of Baltimore",
                "University of Maryland Medical Center",
                "Towson Heart Associates"
            ],
            "by country, then city; Mercy has completed"
        );
    }

    #[test]
    fn the_filter_keeps_recruiting_sites_or_those_within_the_distance_and_the_selection() {
        let study = fixture_study("NCT09980001");
        let mut state = SitesState::new(&study);
        assert_eq!(state.order.len(), 22);
        state.move_by(5, 10);
        assert_eq!(facilities(&study, &state)[state.selected], "Towson Heart Associates");
        state.filter_by(&study, state.filter.next(false));
        assert_eq!(state.filter, SiteFilter::Recruiting);
        let sites = locations(&study);
        // Recruiting and not yet recruiting; the site without a status of its own counts by the
        // study's (recruiting).
        assert_eq!(state.order.len(), 10 + 3 + 1);
        assert!(state.order.iter().all(|&i| matches!(
            sites[i].status,
            Some(RecruitmentStatus::Recruiting | RecruitmentStatus::NotYetRecruiting) | None
        )));
        assert_eq!(facilities(&study, &state)[state.selected], "Towson Heart Associates", "still selected");
        assert_eq!(state.filter.next(false), SiteFilter::All, "no distance to filter by without near:");
        assert_eq!(state.filter.next(true), SiteFilter::Within);

        state.set_near(&study, Some(&baltimore(25.0)));
        state.filter_by(&study, SiteFilter::Within);
        assert_eq!(
            facilities(&study, &state),
            [
                "Mercy Medical Center",
                "University of Maryland Medical Center",
                "Johns Hopkins Hospital",
                "Sinai Hospital of Baltimore",
                "Towson Heart Associates",
            ],
            "nearest first, within 25 miles; Annapolis has no coordinates"
        );
        // The completed study's sites give no status: none of them is recruiting.
        let completed = fixture_study("NCT09980002");
        let mut state = SitesState::new(&completed);
        state.filter_by(&completed, SiteFilter::Recruiting);
        assert!(state.order.is_empty());
        // Without a place, the distance filter and sort go.
        let mut state = SitesState::new(&study);
        state.set_near(&study, Some(&baltimore(25.0)));
        state.filter_by(&study, SiteFilter::Within);
        state.set_near(&study, None);
        assert_eq!((state.filter, state.sort, state.order.len()), (SiteFilter::All, SiteSort::Listed, 22));
    }

    #[test]
    fn with_a_place_the_sites_are_nearest_first_those_without_coordinates_last() {
        let study = fixture_study("NCT09980001");
        let mut state = SitesState::new(&study);
        state.set_near(&study, Some(&baltimore(50.0)));
        assert_eq!(state.sort, SiteSort::Nearest);
        let sites = locations(&study);
        let distances: Vec<Option<f64>> = state.order.iter().map(|&i| state.distances[i]).collect();
        assert!(distances.iter().take(21).all(Option::is_some));
        assert!(distances.windows(2).take(20).all(|w| w[0] <= w[1]), "{distances:?}");
        assert_eq!(sites[*state.order.last().unwrap()].city.as_deref(), Some("Annapolis"));
        // Against a haversine written here: Johns Hopkins is 1.3 miles from the centre.
        let hopkins =
            sites.iter().position(|s| s.facility.as_deref() == Some("Johns Hopkins Hospital")).unwrap();
        let (lat1, lon1, lat2, lon2) = (
            39.2904f64.to_radians(),
            -76.6122f64.to_radians(),
            39.2963f64.to_radians(),
            -76.5921f64.to_radians(),
        );
        let a = ((lat2 - lat1) / 2.0).sin().powi(2)
            + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
        let miles = 2.0 * 3958.76 * a.sqrt().asin();
        assert!((state.distances[hopkins].unwrap() / crate::study::geo::KM_PER_MILE - miles).abs() < 0.01);
        assert_eq!(state.distance_of(hopkins), Some(&*format!("{miles:.1} mi")), "written in the unit asked");
        // `s` goes round the other orders and back to nearest first.
        let mut sort = state.sort;
        let mut seen = Vec::new();
        for _ in 0..4 {
            sort = sort.next(true);
            seen.push(sort);
        }
        assert_eq!(seen, [SiteSort::Listed, SiteSort::Country, SiteSort::Status, SiteSort::Nearest]);
        assert_eq!(SiteSort::Status.next(false), SiteSort::Listed);
    }

    #[test]
    fn the_count_line_says_what_is_shown_found_and_how_it_is_ordered() {
        let study = fixture_study("NCT09980001");
        let sites = locations(&study);
        let mut state = SitesState::new(&study);
        let line = |state: &SitesState, finding: Option<Finding<'_>>, width: usize| {
            count_line(&study, sites, state, state.order.len(), finding, width, &Palette::mono()).to_string()
        };
        assert_eq!(
            line(&state, None, 200),
            "22 sites in 5 countries, 10 recruiting · sorted as listed (s: sort, f: filter)"
        );
        state.filter_by(&study, SiteFilter::Recruiting);
        assert_eq!(line(&state, None, 62), "14 of 22 sites shown, recruiting or not yet · sorted as listed");
        let finding = Finding { needle: "baltimore", current_row: Some(0), matches: 3 };
        assert_eq!(line(&state, Some(finding), 46), "3 of 14 sites match · 14 of 22 shown, recruit…");
        state.filter_by(&study, SiteFilter::All);
        assert_eq!(line(&state, Some(finding), 38), "3 of 22 sites match · sorted as listed");
        state.set_near(&study, Some(&baltimore(25.0)));
        state.filter_by(&study, SiteFilter::Within);
        assert_eq!(
            line(&state, None, 200),
            "5 of 22 sites shown, within 25 mi · nearest to Baltimore, Maryland, United States (s: sort, f: filter)"
        );
    }

    #[test]
    fn coordinates_read_as_a_map_does() {
        assert_eq!(coordinates(GeoPoint { lat: 45.764, lon: 4.8357 }), "45.7640° N, 4.8357° E");
        assert_eq!(coordinates(GeoPoint { lat: -33.8688, lon: -70.6693 }), "33.8688° S, 70.6693° W");
    }
}
