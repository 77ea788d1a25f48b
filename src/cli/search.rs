//! `nct search`: the studies answering a query, best first, as a table for people or ids, CSV,
//! JSON or NDJSON for scripts.
//!
//! The query is parsed before anything is loaded, so a mistake is reported at once (exit 2, with
//! a caret under the column). The catalog is loaded with its full-text index.

use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::output::{self, thousands};
use super::{SearchFormat, exit};
use crate::catalog::cache::{self, Cache};
use crate::catalog::order::SortOrder;
use crate::catalog::{self, Progress, Summary};
use crate::present::safe_text::{SafeText, visible_line};
use crate::present::width::cut_to_width;
use crate::query;
use crate::source::{LoadError, LoadWarning};
use crate::study::enums::phases_label;
use crate::study::export::{self, STUDY_URL};

/// Table lines are this wide when the terminal's width is not known.
const DEFAULT_WIDTH: usize = 100;

/// Widths outside this range in `COLUMNS` are a mistake rather than a terminal.
const SANE_WIDTHS: std::ops::RangeInclusive<usize> = 40..=400;

pub fn run(text: &str, paths: &[PathBuf], format: SearchFormat, limit: usize, order: SortOrder) -> u8 {
    let Some(query) = parse_query(text) else { return exit::USAGE };
    if order == SortOrder::Distance && !has_near(&query) {
        output::error(
            "--sort distance needs a place in the query to measure from: add near:PLACE, as in \
             near:\"Baltimore, Maryland\":25mi or near:39.29,-76.61:40km",
        );
        return exit::USAGE;
    }
    let cache = Cache::from_env();
    // The cache's index answers in relevance order only: another order needs the summaries.
    if order == SortOrder::Relevance
        && let Some(code) = answer_from_cache(&query, paths, format, limit, cache.as_ref())
    {
        return code;
    }
    let marks = user_marks();
    // Sites are not in the summaries: a query with a place (typed, or a profile's) loads the
    // catalog with its site index.
    if !has_near(&query)
        && let Some(code) = filter_from_cache(&query, paths, format, limit, order, cache.as_ref(), &marks)
    {
        return code;
    }
    let (catalog, mut found) = load_and_search_marked(&query, paths, cache.as_ref(), marks);
    let Some(query) = resolve_places(query, text, &catalog) else { return exit::USAGE };
    let distances = Distances::of(&query, &catalog);
    order.sort_near(&catalog.studies, &mut found, distances.as_ref().map(|d| &d.nearby));
    let shown: Vec<(&Summary, Option<NearestSite>)> = found
        .iter()
        .take(shown_count(limit))
        .filter_map(|&place| catalog.studies.get(place).map(|s| (s, place)))
        .map(|(s, place)| (s, distances.as_ref().and_then(|d| d.nearest(place, &catalog.geo))))
        .collect();
    let code = print_found(&shown, found.len(), format, &catalog.errors, &catalog.warnings);
    if let (query::Query::Expr(expr), Some(index)) = (&query, catalog.index.as_ref())
        && let Some(suggestion) = catalog::suggest::suggest(
            &catalog.studies,
            Some(&catalog.columns),
            index,
            Some(&catalog.geo),
            expr,
        )
    {
        output::error(&suggestion.message());
    }
    // The process ends next: freeing 100,000 summaries one by one would only delay the exit.
    std::mem::forget(catalog);
    code
}

/// Whether the query asks for a distance (`near:`).
pub(super) fn has_near(query: &query::Query) -> bool {
    matches!(query, query::Query::Expr(expr) if expr.any_filter(&|f| matches!(f, query::Filter::Near(_))))
}

/// `query` with its `near:` places resolved against the catalog's sites, or `None` once a place
/// that names none (or several far apart) is said on stderr like any mistake in the query.
pub(super) fn resolve_places(
    mut query: query::Query,
    text: &str,
    catalog: &catalog::Catalog,
) -> Option<query::Query> {
    let query::Query::Expr(expr) = &mut query else { return Some(query) };
    match catalog::geo::resolve_places(expr, &catalog.geo) {
        Ok(()) => Some(query),
        Err(e) => {
            say_mistake(text, &e);
            None
        }
    }
}

fn say_mistake(text: &str, e: &query::QueryError) {
    output::error(&format!("in the query, column {}: {}", e.column, e.message));
    output::eprint_lines([format!("  {text}"), format!("  {}", e.caret_line_under(text))]);
}

/// Each shown study's nearest matching site, for a query with `near:`.
struct Distances {
    area: crate::study::geo::Area,
    nearby: catalog::geo::Nearby,
}

impl Distances {
    fn of(query: &query::Query, catalog: &catalog::Catalog) -> Option<Distances> {
        let query::Query::Expr(expr) = query else { return None };
        let (area, statuses) = catalog::geo::shown_near(expr)?;
        let nearby = catalog.geo.nearby(&area, statuses.as_deref());
        Some(Distances { area, nearby })
    }

    /// The study's nearest matching site; `None` for a study with no site in the area (one
    /// found by another branch of an OR).
    fn nearest(&self, place: usize, geo: &catalog::geo::Geo) -> Option<NearestSite> {
        let nearest = self.nearby.of(place)?;
        Some(NearestSite {
            distance: self.area.unit.from_km(nearest.km),
            written: crate::present::distance::written(nearest.km, self.area.unit),
            unit: self.area.unit.symbol(),
            place: geo.site_place(&nearest).map(catalog::geo::Place::short_name),
        })
    }
}

/// A shown study's nearest matching site.
struct NearestSite {
    /// In `unit`.
    distance: f64,
    /// "12.3 mi".
    written: String,
    unit: &'static str,
    /// "Baltimore, Maryland".
    place: Option<String>,
}

impl NearestSite {
    /// "12.3 mi, Baltimore, Maryland", for the table.
    fn cell(&self) -> String {
        match &self.place {
            Some(place) => format!("{}, {place}", self.written),
            None => self.written.clone(),
        }
    }
}

/// The query in `text`, or `None` once its mistake is said on stderr, with a caret under it.
pub(super) fn parse_query(text: &str) -> Option<query::Query> {
    match query::parse(text).and_then(with_profiles) {
        Ok(query) if query.uses_changes() => {
            output::error(
                "in the query: changed: needs older inputs to compare with, which only the app has \
                 (`nct NEW --since OLD`); for the shell, `nct diff OLD NEW --query …` reports the changes",
            );
            None
        }
        Ok(query) => Some(query),
        Err(e) => {
            say_mistake(text, &e);
            None
        }
    }
}

/// The query with the profiles its `fits:` name looked up in the user's profiles file.
fn with_profiles(mut query: query::Query) -> Result<query::Query, query::QueryError> {
    if matches!(&query, query::Query::Expr(e) if e.any_filter(&|f| matches!(f, query::Filter::Fits(_)))) {
        let (profiles, problem) = crate::user::profiles::profiles_file()
            .map(|file| crate::user::profiles::load(&file))
            .unwrap_or_default();
        if let Some(problem) = problem {
            output::error(&problem);
        }
        catalog::fits::resolve_profiles(&mut query, &profiles)?;
    }
    Ok(query)
}

/// The catalog of `paths` (through the cache) and the places of the studies matching `query`,
/// best first, with what went wrong on the way said on stderr. For `nct search` and
/// `nct facets`.
pub(super) fn load_and_search(
    query: &query::Query,
    paths: &[PathBuf],
    cache: Option<&Cache>,
) -> (catalog::Catalog, Vec<usize>) {
    load_and_search_marked(query, paths, cache, user_marks())
}

/// [`load_and_search`] with the user's bookmarks and notes read already.
fn load_and_search_marked(
    query: &query::Query,
    paths: &[PathBuf],
    cache: Option<&Cache>,
    (bookmarks, notes): Marks,
) -> (catalog::Catalog, Vec<usize>) {
    let (mut catalog, mut outcome) = cache::load(paths, &Progress::default(), cache);
    crate::catalog::mark_studies(&mut catalog.studies, &bookmarks, &notes);
    let mut found = catalog.search(query);
    // An index from the cache that failed while searching (a panic inside tantivy on bytes that
    // pass their checksums) is damage all the same: the answer comes from a rebuild.
    if let Some(failure) = catalog.index.as_ref().filter(|index| index.from_cache()).and_then(|i| i.failure())
    {
        (catalog, outcome) = cache::rebuild(paths, &Progress::default(), cache, failure.to_string());
        crate::catalog::mark_studies(&mut catalog.studies, &bookmarks, &notes);
        found = catalog.search(query);
    }
    if let Some(problem) = outcome.problem() {
        output::error(&problem);
    }
    if query.uses_bookmarks(true) {
        // Not dropped: a bookmark whose study is not among the inputs is named.
        for (id, bookmark) in bookmarks.absent(|id| catalog.find(id).is_some()) {
            output::error(&format!("{id} is bookmarked but not among the inputs ({})", bookmark.title));
        }
    }
    if let Some(problem) = catalog.index_error.as_deref().or(catalog.index.as_ref().and_then(|i| i.failure()))
    {
        output::error(&format!(
            "{problem}; words are looked for in titles, conditions and sponsors only, unranked"
        ));
    }
    (catalog, found)
}

fn shown_count(limit: usize) -> usize {
    if limit == 0 { usize::MAX } else { limit }
}

/// The user's bookmarks, and notes by study id.
pub(super) type Marks = (crate::user::bookmarks::Bookmarks, std::collections::BTreeMap<String, String>);

/// The user's bookmarks and notes, with what could not be read said on stderr.
pub(super) fn user_marks() -> Marks {
    let (bookmarks, problem) = match crate::user::bookmarks_file() {
        Some(file) => crate::user::bookmarks::Bookmarks::load(&file),
        None => Default::default(),
    };
    output::eprint_lines(problem);
    let (notes, problems) = match crate::user::notes_dir() {
        Some(folder) => crate::user::notes::Notes::new(&folder).all(),
        None => Default::default(),
    };
    output::eprint_lines(problems);
    (bookmarks, notes)
}

/// The query answered from the catalog cache without loading the catalog, when the index alone
/// answers it (see [`cache::answer`]): only the studies shown are read from the cache, and for
/// ids not even those. `None` when the catalog must be loaded.
fn answer_from_cache(
    query: &query::Query,
    paths: &[PathBuf],
    format: SearchFormat,
    limit: usize,
    cache: Option<&Cache>,
) -> Option<u8> {
    let answer = cache::answer(paths, query, cache)?;
    let places: Vec<usize> = answer.found.iter().copied().take(shown_count(limit)).collect();
    if format == SearchFormat::Ids {
        let ids = answer.ids(&places).ok()?;
        return Some(print_ids(&ids, answer.found.len(), &answer.errors, &answer.warnings));
    }
    // Read before anything is said: a damaged entry is left to the full load, which says so.
    let mut summaries = answer.summaries(&places).ok()?;
    let (bookmarks, notes) = user_marks();
    crate::catalog::mark_studies(&mut summaries, &bookmarks, &notes);
    let shown: Vec<(&Summary, Option<NearestSite>)> = summaries.iter().map(|s| (s, None)).collect();
    Some(print_found(&shown, answer.found.len(), format, &answer.errors, &answer.warnings))
}

/// The query answered from the catalog cache's columns and index (see [`cache::filter`]): only
/// the studies shown are read from the cache, and for ids not even those. `None` when the
/// catalog must be loaded, as for a query on bookmarks, whose bookmarks not among the inputs
/// are named from the whole catalog.
fn filter_from_cache(
    query: &query::Query,
    paths: &[PathBuf],
    format: SearchFormat,
    limit: usize,
    order: SortOrder,
    cache: Option<&Cache>,
    (bookmarks, notes): &Marks,
) -> Option<u8> {
    if query.uses_bookmarks(true) {
        return None;
    }
    let mark = |summary: &mut Summary| catalog::mark_study(summary, bookmarks, notes);
    let filtered = cache::filter(paths, query, cache, &mark, order)?;
    let total = filtered.found.len();
    if format == SearchFormat::Ids {
        let ids = filtered.ids(shown_count(limit)).ok()?;
        return Some(print_ids(&ids, total, &filtered.errors, &filtered.warnings));
    }
    // Read before anything is said: a damaged entry is left to the full load, which says so.
    let summaries = filtered.summaries(shown_count(limit), &mark).ok()?;
    let shown: Vec<(&Summary, Option<NearestSite>)> = summaries.iter().map(|s| (s, None)).collect();
    let code = print_found(&shown, total, format, &filtered.errors, &filtered.warnings);
    // The process ends after this: freeing every summary one by one would only delay the exit.
    std::mem::forget((summaries, filtered));
    Some(code)
}

/// Prints the ids shown of `found` matches, one a line, then what failed to load or was left
/// out; returns the exit status.
fn print_ids(ids: &[Box<str>], found: usize, errors: &[LoadError], warnings: &[LoadWarning]) -> u8 {
    output::print(ids.iter().map(|id| format!("{}\n", visible_line(id))).collect::<String>());
    output::eprint_lines(errors.iter().map(ToString::to_string));
    output::eprint_lines(warnings.iter().map(ToString::to_string));
    if found == 0 || !errors.is_empty() { exit::PROBLEM } else { exit::OK }
}

/// Prints the studies shown of `found` matches, then what failed to load (`errors`) or to read,
/// and the fields left out (`warnings`, which do not change the exit status); returns the exit
/// status.
fn print_found(
    shown: &[(&Summary, Option<NearestSite>)],
    found: usize,
    format: SearchFormat,
    errors: &[LoadError],
    warnings: &[LoadWarning],
) -> u8 {
    let mut unreadable = Vec::new();
    let printed = match format {
        SearchFormat::Ids => SafeText::text(
            &shown.iter().map(|(s, _)| format!("{}\n", visible_line(&s.id))).collect::<String>(),
        ),
        SearchFormat::Table => {
            use std::io::IsTerminal;
            let width = output_width(std::env::var("COLUMNS").ok().as_deref());
            table(shown, found, width, std::io::stdout().is_terminal())
        }
        SearchFormat::Csv => {
            let studies: Vec<&Summary> = shown.iter().map(|(s, _)| *s).collect();
            let (text, failed) = csv(&studies);
            unreadable = failed;
            SafeText::text(&text)
        }
        SearchFormat::Json => SafeText::json(&format!(
            "{:#}\n",
            serde_json::Value::Array(
                shown.iter().map(|(s, distance)| object(s, distance.as_ref())).collect()
            )
        )),
        SearchFormat::Ndjson => SafeText::json(
            &shown
                .iter()
                .map(|(s, distance)| format!("{}\n", object(s, distance.as_ref())))
                .collect::<String>(),
        ),
    };
    output::print(printed);
    output::eprint_lines(errors.iter().chain(&unreadable).map(ToString::to_string));
    output::eprint_lines(warnings.iter().map(ToString::to_string));
    let complete = errors.is_empty() && unreadable.is_empty();
    if found == 0 || !complete { exit::PROBLEM } else { exit::OK }
}

fn output_width(columns: Option<&str>) -> usize {
    columns.and_then(|c| c.trim().parse().ok()).filter(|w| SANE_WIDTHS.contains(w)).unwrap_or(DEFAULT_WIDTH)
}

/// The status for the table; a value the registry has not defined yet is the record's own text,
/// so it is shown safe on one line.
fn status_label(s: &Summary) -> String {
    s.status.as_ref().map(|st| visible_line(st.label()).into_owned()).unwrap_or_default()
}

/// An id column is as wide as the widest id shown, up to this: a registry id is 11 columns, and
/// an odd one (a record's own invention) is cut rather than push the titles off the line.
const MAX_ID_WIDTH: usize = 16;

/// The nearest site's column ("12.3 mi, Baltimore, Maryland") is cut to this.
const MAX_DISTANCE_WIDTH: usize = 40;

/// Aligned columns (id, status, phase, title cut to `width`), then how many more there are.
/// With `links` (stdout is a terminal), each id is an OSC 8 hyperlink to the study's page, which
/// terminals show as the id and open on a click. Every cell is measured as it will be shown:
/// one line, its unsafe characters made visible.
fn table(shown: &[(&Summary, Option<NearestSite>)], found: usize, width: usize, links: bool) -> SafeText {
    let ids: Vec<String> = shown.iter().map(|(s, _)| visible_line(&s.id).into_owned()).collect();
    let id_width = ids.iter().map(|id| id.width()).max().unwrap_or(0).min(MAX_ID_WIDTH);
    let status_width = shown.iter().map(|(s, _)| status_label(s).width()).max().unwrap_or(0);
    let phase_width = shown.iter().map(|(s, _)| phase_label(s).width()).max().unwrap_or(0);
    // The nearest site, with `near:`: a column of its own, cut so that the title keeps room.
    let distances: Vec<Option<String>> = shown
        .iter()
        .map(|(_, nearest)| {
            nearest.as_ref().map(|n| cut_to_width(&visible_line(&n.cell()), MAX_DISTANCE_WIDTH))
        })
        .collect();
    let distance_width = distances.iter().flatten().map(|d| d.width()).max();
    let mut out = SafeText::new();
    for (((s, _), id), distance) in shown.iter().zip(&ids).zip(&distances) {
        let status = status_label(s);
        let phase = phase_label(s);
        let id_cell = cut_to_width(id, id_width);
        let near = match distance_width {
            Some(width) => format!("{}  ", pad(distance.as_deref().unwrap_or(""), width)),
            None => String::new(),
        };
        let rest = format!("  {}  {}  {near}", pad(&status, status_width), pad(&phase, phase_width));
        let room = width.saturating_sub(id_width + rest.width());
        let title = cut_to_width(&visible_line(&s.brief_title), room);
        let rest = format!("{}{rest}{title}", " ".repeat(id_width.saturating_sub(id_cell.width())));
        // Linked after the widths are measured: the escape sequences take no room on screen.
        if links {
            out.push_link(&format!("{STUDY_URL}{}", s.id), &id_cell);
        } else {
            out.push(&id_cell);
        }
        out.push(rest.trim_end());
        out.push("\n");
    }
    if found > shown.len() {
        out.push(&format!("… {} more (--limit 0 for all)\n", thousands(found - shown.len())));
    }
    out
}

fn phase_label(s: &Summary) -> String {
    visible_line(&phases_label(&s.phases)).into_owned()
}

fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

fn phases_registered(s: &Summary) -> Vec<String> {
    s.phases.iter().map(|p| p.as_str().to_string()).collect()
}

/// The website's CSV export of the shown studies. Its columns need more than a summary holds,
/// so each study's full record is read again, on every core since `--limit 0` may ask for tens
/// of thousands; a record that can no longer be read (the input changed) loses its row and is
/// returned as a load error.
fn csv(shown: &[&Summary]) -> (String, Vec<LoadError>) {
    let rows: Vec<Result<[String; 29], LoadError>> = shown
        .par_iter()
        .map(|s| {
            catalog::full_record(&s.locator)
                .map(|study| export::csv_row(&study))
                .map_err(|reason| LoadError { origin: s.origin.clone(), reason: reason.to_string() })
        })
        .collect();
    let mut written = Vec::with_capacity(rows.len());
    let mut unreadable = Vec::new();
    for row in rows {
        match row {
            Ok(cells) => written.push(cells),
            Err(error) => unreadable.push(error),
        }
    }
    let mut out = Vec::new();
    // Writing into memory cannot fail, and every cell is a Rust string, so the bytes are UTF-8.
    let _ = export::write_csv(&mut out, written);
    (String::from_utf8_lossy(&out).into_owned(), unreadable)
}

/// One study for `json` and `ndjson`: enum values and dates as registered.
fn object(s: &Summary, nearest_site: Option<&NearestSite>) -> serde_json::Value {
    let mut object = json!({
        "id": s.id,
        "title": s.brief_title,
        "acronym": s.acronym,
        "status": s.status.as_ref().map(|st| st.as_str()),
        "phases": phases_registered(s),
        "type": s.study_type.as_ref().map(|t| t.as_str()),
        "conditions": s.conditions,
        "sponsor": s.sponsor,
        "enrollment": s.enrollment,
        "start_date": s.start.map(|d| d.to_string()),
        "primary_completion_date": s.primary_completion.map(|d| d.to_string()),
        "completion_date": s.completion.map(|d| d.to_string()),
        "first_posted": s.first_posted.map(|d| d.to_string()),
        "last_update_posted": s.last_update.map(|d| d.to_string()),
        "url": format!("{STUDY_URL}{}", s.id),
    });
    if let (Some(nearest), Some(fields)) = (nearest_site, object.as_object_mut()) {
        // Rounded as the table writes it: the input's coordinates are no finer.
        let distance = (nearest.distance * 100.0).round() / 100.0;
        fields.insert(
            "nearest_site".into(),
            json!({"distance": distance, "unit": nearest.unit, "place": nearest.place}),
        );
    }
    object
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_links_on_a_terminal_only() {
        let catalog = crate::catalog::Catalog::load(&[std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets"
        ))]);
        let study = catalog.find("NCT05183427").unwrap();
        let plain = table(&[(study, None)], 1, 100, false).as_str().to_owned();
        let linked = table(&[(study, None)], 1, 100, true).as_str().to_owned();
        assert!(plain.starts_with("NCT05183427  ") && !plain.contains('\x1b'), "{plain:?}");
        let link = "\x1b]8;;https://clinicaltrials.gov/study/NCT05183427\x1b\\NCT05183427\x1b]8;;\x1b\\";
        assert!(linked.starts_with(link), "{linked:?}");
        assert_eq!(linked.replace(link, "NCT05183427"), plain);
    }

    #[test]
    fn titles_are_cut_to_the_room_left() {
        assert_eq!(cut_to_width("short", 10), "short");
        assert_eq!(cut_to_width("a longer title", 8), "a longe…");
        assert_eq!(cut_to_width("日本語のタイトル", 7), "日本語…");
        assert_eq!(output_width(Some("120")), 120);
        assert_eq!(output_width(Some("5")), DEFAULT_WIDTH);
        assert_eq!(output_width(None), DEFAULT_WIDTH);
    }

    #[test]
    fn a_record_that_can_no_longer_be_read_loses_its_row_and_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let assets = concat!(env!("CARGO_MANIFEST_DIR"), "/assets");
        for id in ["NCT03871049", "NCT04120381"] {
            std::fs::copy(format!("{assets}/{id}.json"), dir.path().join(format!("{id}.json"))).unwrap();
        }
        let catalog = crate::catalog::Catalog::load(&[dir.path().to_path_buf()]);
        assert_eq!(catalog.len(), 2);
        let gone = dir.path().join("NCT03871049.json");
        std::fs::write(&gone, "{}").unwrap();
        let shown: Vec<&Summary> = catalog.studies.iter().collect();
        let (text, unreadable) = csv(&shown);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].starts_with("NCT04120381,"), "{}", lines[1]);
        assert_eq!(unreadable.len(), 1);
        let message = unreadable[0].to_string();
        assert!(message.starts_with(&format!("{}: ", gone.display())), "{message}");
        assert!(message.contains("shorter than when it was loaded"), "{message}");
    }

    #[test]
    fn odd_ids_are_cut_and_padded_so_the_columns_stay_in_line() {
        let dir = tempfile::tempdir().unwrap();
        let ids = ["NCT09990001", "NCT0999000199999999999", "X-1", "日本語日本語日本語"];
        for (n, id) in ids.iter().enumerate() {
            let record = serde_json::json!({"protocolSection": {
                "identificationModule": {"nctId": id, "briefTitle": "A title"},
                "statusModule": {"overallStatus": "RECRUITING"}
            }});
            std::fs::write(dir.path().join(format!("{n}.json")), record.to_string()).unwrap();
        }
        let catalog = crate::catalog::Catalog::load(&[dir.path().to_path_buf()]);
        let shown: Vec<(&Summary, Option<NearestSite>)> = catalog.studies.iter().map(|s| (s, None)).collect();
        let printed = table(&shown, shown.len(), 60, false);
        let columns: Vec<usize> = printed
            .as_str()
            .lines()
            .map(|line| line.get(..line.find("Recruiting").unwrap()).unwrap().width())
            .collect();
        assert_eq!(columns, [MAX_ID_WIDTH + 2; 4], "{}", printed.as_str());
        assert!(printed.as_str().contains("NCT099900019999…"), "{}", printed.as_str());
    }
}
