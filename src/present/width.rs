//! Text fitted to a width in display columns (wide and combining characters measured with
//! unicode-width), for the app's panes and the shell's tables alike: cutting a text, padding
//! it, and sharing a width out among the columns of a table.

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
    let header: Vec<String> = table.header.iter().map(|h| (*h).to_owned()).collect();
    let cell_widths: Vec<Vec<usize>> = (0..header.len())
        .map(|column| {
            std::iter::once(&header)
                .chain(&table.rows)
                .map(|row| row.get(column).map_or(0, |cell| cell.width()))
                .collect()
        })
        .collect();
    let widths = fit_columns(&cell_widths, width);
    std::iter::once(&header).chain(&table.rows).map(|row| table_row(row, &widths)).collect()
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
            .filter(|(_, (w, _))| **w > MIN_COLUMN)
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
