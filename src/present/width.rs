//! Text fitted to a width in display columns (wide and combining characters measured with
//! unicode-width), for the app's panes and the shell's tables alike: cutting a text, padding
//! it, and sharing a width out among the columns of a table, whose cells are then cut (a
//! screen) or wrapped (a file or a pipe, where nothing may be lost).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::document::Table;

/// Spaces between table columns.
pub const COLUMN_GAP: usize = 2;

/// A table column is not cut narrower than this, so that every column stays recognisable.
const MIN_COLUMN: usize = 6;

/// `text` cut to at most `width` display columns, ending in `…` when cut.
pub fn cut_to_width(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let room = width.saturating_sub(1);
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// `text` followed by spaces up to `width` display columns.
pub fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

/// Columns padded to their widest cell, cut (with `…`) to fit the width.
pub fn table_lines(table: &Table, width: usize) -> Vec<String> {
    let header = header_cells(table);
    let widths = fit_columns(&cell_widths(table, &header), width);
    std::iter::once(&header).chain(&table.rows).map(|row| table_row(row, &widths)).collect()
}

/// How a table is fitted to a width: its cells cut with `…` (a screen, where a row is a line),
/// or wrapped inside their column, a row taking as many lines as its longest cell needs (a file
/// or a pipe, where a cut name would be lost for good).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Cut,
    Wrap,
}

/// The table in `width` columns, every column given a fair share of it (see [`fair_columns`]),
/// cells cut or wrapped as `fit` says.
pub fn fair_table_lines(table: &Table, width: usize, fit: Fit) -> Vec<String> {
    let header = header_cells(table);
    let rows = std::iter::once(&header).chain(&table.rows);
    // Wrapped, a column asks for its longest word too, so that words break only when the
    // width leaves no other way.
    let words: Vec<usize> = match fit {
        Fit::Cut => vec![0; header.len()],
        Fit::Wrap => (0..header.len())
            .map(|column| {
                let cells = rows.clone().filter_map(|row| row.get(column));
                cells.flat_map(|cell| cell.split_whitespace()).map(UnicodeWidthStr::width).max().unwrap_or(0)
            })
            .collect(),
    };
    let widths = fair_columns(&cell_widths(table, &header), &words, width);
    match fit {
        Fit::Cut => rows.map(|row| table_row(row, &widths)).collect(),
        Fit::Wrap => rows.flat_map(|row| wrapped_row(row, &widths)).collect(),
    }
}

fn header_cells(table: &Table) -> Vec<String> {
    table.header.iter().map(|h| (*h).to_owned()).collect()
}

/// The display width of every cell of each column, header first.
fn cell_widths(table: &Table, header: &[String]) -> Vec<Vec<usize>> {
    (0..header.len())
        .map(|column| {
            std::iter::once(header)
                .chain(table.rows.iter().map(Vec::as_slice))
                .map(|row| row.get(column).map_or(0, |cell| cell.width()))
                .collect()
        })
        .collect()
}

/// One row as lines: each cell wrapped in its column (a word longer than the column broken),
/// the columns side by side.
fn wrapped_row(row: &[String], widths: &[usize]) -> Vec<String> {
    let cells: Vec<Vec<String>> = widths
        .iter()
        .enumerate()
        .map(|(column, &w)| {
            let text = row.get(column).map_or("", String::as_str);
            textwrap::wrap(text, textwrap::Options::new(w.max(1)))
                .into_iter()
                .map(|l| l.into_owned())
                .collect()
        })
        .collect();
    let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    (0..height)
        .map(|line| {
            let parts: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(cell, &w)| pad(cell.get(line).map_or("", String::as_str), w))
                .collect();
            parts.join(&" ".repeat(COLUMN_GAP)).trim_end().to_owned()
        })
        .collect()
}

fn table_row(row: &[String], widths: &[usize]) -> String {
    let cells: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(column, &w)| pad(&cut_to_width(row.get(column).map_or("", String::as_str), w), w))
        .collect();
    cells.join(&" ".repeat(COLUMN_GAP)).trim_end().to_owned()
}

/// Column widths that fit in `width` with the gaps between them, given every cell's width per
/// column. Columns give up one column at a time, each time the one where the fewest cells get
/// cut: one long city does not cost every facility name its end, and a column of long names
/// shrinks before a column of short ones. No column goes below [`MIN_COLUMN`] (or its widest
/// cell), so a very narrow screen gets lines that are too long rather than columns of nothing.
pub fn fit_columns(cell_widths: &[Vec<usize>], width: usize) -> Vec<usize> {
    fit_above(cell_widths, width, &vec![0; cell_widths.len()])
}

/// As [`fit_columns`], but no column gives up its fair share: the width is shared out as water
/// fills vessels, each column asking for its typical (median) cell, so that short columns (a
/// city, a country) keep what most of their cells need and one column of long names (a
/// facility) cannot squeeze them to nothing, nor they it.
/// `least` is what each column asks for at the least (its longest word, when cells wrap).
pub fn fair_columns(cell_widths: &[Vec<usize>], least: &[usize], width: usize) -> Vec<usize> {
    let gaps = COLUMN_GAP * cell_widths.len().saturating_sub(1);
    let demands: Vec<usize> = cell_widths
        .iter()
        .zip(least.iter().chain(std::iter::repeat(&0)))
        .map(|(cells, &least)| {
            let mut cells = cells.clone();
            cells.sort_unstable();
            let median = cells.get(cells.len() / 2).copied().unwrap_or(0);
            // No column is cut below MIN_COLUMN, so none can ask for less.
            median.max(least).max(MIN_COLUMN.min(cells.last().copied().unwrap_or(0)))
        })
        .collect();
    let mut order: Vec<usize> = (0..demands.len()).collect();
    order.sort_by_key(|&column| demands.get(column).copied().unwrap_or(0));
    let mut left = width.saturating_sub(gaps);
    let mut floors = vec![0; demands.len()];
    for (i, &column) in order.iter().enumerate() {
        let share = left / (order.len() - i);
        let given = demands.get(column).copied().unwrap_or(0).min(share);
        if let Some(floor) = floors.get_mut(column) {
            *floor = given;
        }
        left -= given;
    }
    fit_above(cell_widths, width, &floors)
}

/// Column widths that fit, no column going below its floor (or [`MIN_COLUMN`]).
fn fit_above(cell_widths: &[Vec<usize>], width: usize, floors: &[usize]) -> Vec<usize> {
    let sorted: Vec<Vec<usize>> = cell_widths
        .iter()
        .map(|cells| {
            let mut cells = cells.clone();
            cells.sort_unstable();
            cells
        })
        .collect();
    let mut widths: Vec<usize> = sorted.iter().map(|cells| cells.last().copied().unwrap_or(0)).collect();
    let gaps = COLUMN_GAP * widths.len().saturating_sub(1);
    let budget = width.saturating_sub(gaps);
    while widths.iter().sum::<usize>() > budget {
        // Narrowing a column to `w - 1` cuts the cells at least `w` wide; ties go to the wider.
        let cheapest = widths
            .iter()
            .zip(&sorted)
            .enumerate()
            .filter(|(column, (w, _))| **w > MIN_COLUMN.max(floors.get(*column).copied().unwrap_or(0)))
            .min_by_key(|(_, (w, cells))| {
                (cells.len() - cells.partition_point(|c| c < *w), std::cmp::Reverse(**w))
            })
            .map(|(column, _)| column);
        match cheapest.and_then(|column| widths.get_mut(column)) {
            Some(w) => *w -= 1,
            None => break,
        }
    }
    widths
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_display_width() {
        assert_eq!(cut_to_width("Boston", 10), "Boston");
        assert_eq!(cut_to_width("Massachusetts General", 8), "Massach…");
        // Each of these counts two columns: four columns hold one and the ellipsis.
        assert_eq!(cut_to_width("東京大学病院", 4), "東…");
        assert_eq!(cut_to_width("東京大学病院", 12), "東京大学病院");
        assert_eq!(cut_to_width("abc", 0), "");
    }

    #[test]
    fn columns_give_way_where_fewest_cells_suffer() {
        let one_each = |widths: &[usize]| widths.iter().map(|w| vec![*w]).collect::<Vec<_>>();
        assert_eq!(fit_columns(&one_each(&[40, 10, 8]), 100), [40, 10, 8]);
        assert_eq!(fit_columns(&one_each(&[40, 10, 8]), 40), [18, 10, 8]);
        assert_eq!(fit_columns(&one_each(&[40, 30, 8]), 40), [14, 14, 8]);
        assert_eq!(fit_columns(&one_each(&[40, 30, 3]), 10), [6, 6, 3]);
        // Facilities all near 30, one city of 22 among cities of 8: the odd city is cut first.
        let facilities = vec![30, 29, 28, 30, 27];
        let cities = vec![8, 22, 7, 8, 6];
        assert_eq!(fit_columns(&[facilities.clone(), cities.clone()], 42), [30, 10]);
        assert_eq!(fit_columns(&[facilities, cities], 36), [27, 7]);
    }

    #[test]
    fn a_column_of_long_names_leaves_the_others_their_share() {
        // A facility column of long names beside short cities, states and countries: before,
        // the short columns went down to six columns each while the names kept 50.
        let facilities = vec![8, 95, 88, 92, 90, 85];
        let cities = vec![4, 11, 22, 9, 10, 7];
        let states = vec![5, 5, 14, 8, 5, 7];
        let countries = vec![7, 13, 13, 13, 7, 13];
        let columns = [facilities, cities, states, countries];
        assert_eq!(fit_columns(&columns, 80), [54, 7, 6, 7]);
        let fair = fair_columns(&columns, &[], 80);
        assert_eq!(fair.iter().sum::<usize>() + 6, 80, "{fair:?}");
        assert!(fair[1] >= 10 && fair[2] >= 7 && fair[3] == 13, "{fair:?}");
        assert!(fair[0] >= 40, "{fair:?}");
        // Where everything fits, nothing changes.
        assert_eq!(fair_columns(&columns, &[], 200), [95, 22, 14, 13]);
        // Wrapped, a state of one long word keeps it whole while there is room.
        let wrapped = fair_columns(&columns, &[12, 11, 12, 8], 80);
        assert!(wrapped[2] >= 12 && wrapped[1] >= 11, "{wrapped:?}");
    }

    #[test]
    fn wrapped_tables_lose_nothing() {
        let table = Table {
            header: vec!["Facility", "City"],
            rows: vec![vec![
                "Dermatology Research Associates of the Greater Area".into(),
                "San Antonio".into(),
            ]],
        };
        let lines = fair_table_lines(&table, 30, Fit::Wrap);
        assert!(lines.iter().all(|l| l.width() <= 30), "{lines:#?}");
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        for word in "Facility City Dermatology Research Associates of the Greater Area San Antonio".split(' ')
        {
            assert!(words.contains(&word), "{word} lost in {lines:#?}");
        }
        assert!(!lines.concat().contains('…'));
        let cut = fair_table_lines(&table, 30, Fit::Cut);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].contains('…'), "{cut:?}");
    }

    #[test]
    fn tables_align_wide_characters() {
        let table = Table {
            header: vec!["Facility", "Country"],
            rows: vec![vec!["東京病院".into(), "Japan".into()], vec!["Clinic".into(), "France".into()]],
        };
        let lines = table_lines(&table, 80);
        assert_eq!(lines, ["Facility  Country", "東京病院  Japan", "Clinic    France"]);
        for line in table_lines(&table, 14) {
            assert!(line.width() <= 14, "{line:?}");
        }
    }
}
