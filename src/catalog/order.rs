//! The orders a result set can be listed in, for `nct search --sort` and the app's `o`.
//!
//! Relevance is the search's own order: best match first for a query with words, the catalog's
//! (input) order otherwise. The others sort the same matches by one field: dates newest first,
//! enrollment largest first, a study without the field last; ties, and `id`, by NCT id.
//! Distance (with `near:` only) puts the study whose nearest matching site is nearest first.

use std::cmp::{Ordering, Reverse};

use super::Summary;
use super::columns::{Columns, Part};
use super::geo::Nearby;
use crate::query::DateField;
use crate::study::date::PartialDate;

/// How the matches of a query are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Relevance,
    /// Last update posted, newest first.
    Updated,
    /// Start date, newest first.
    Start,
    /// Completion date, newest first.
    Completion,
    /// Enrollment, largest first.
    Enrollment,
    /// NCT id, ascending.
    Id,
    /// The nearest matching site's distance, nearest first: only while the query has `near:`,
    /// so not in [`SortOrder::ALL`] (see [`SortOrder::next_near`]).
    Distance,
}

impl SortOrder {
    /// Every order, in the order `o` cycles through them.
    pub const ALL: [SortOrder; 6] = [
        SortOrder::Relevance,
        SortOrder::Updated,
        SortOrder::Start,
        SortOrder::Completion,
        SortOrder::Enrollment,
        SortOrder::Id,
    ];

    /// The order's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Updated => "updated",
            SortOrder::Start => "start",
            SortOrder::Completion => "completion",
            SortOrder::Enrollment => "enrollment",
            SortOrder::Id => "id",
            SortOrder::Distance => "distance",
        }
    }

    /// How the app's list title says it: "newest update first".
    pub fn describe(self) -> &'static str {
        match self {
            SortOrder::Relevance => "by relevance",
            SortOrder::Updated => "newest update first",
            SortOrder::Start => "newest start first",
            SortOrder::Completion => "newest completion first",
            SortOrder::Enrollment => "largest enrollment first",
            SortOrder::Id => "by NCT id",
            SortOrder::Distance => "nearest site first",
        }
    }

    /// The next order in [`SortOrder::ALL`], round to the first.
    pub fn next(self) -> SortOrder {
        let at = SortOrder::ALL.iter().position(|o| *o == self).unwrap_or(0);
        SortOrder::ALL.get((at + 1) % SortOrder::ALL.len()).copied().unwrap_or_default()
    }

    /// The next order `o` gives: [`SortOrder::next`], with distance after the last while the
    /// query has `near:` (`near`), and never without.
    pub fn next_near(self, near: bool) -> SortOrder {
        match (self, near) {
            (SortOrder::Distance, _) => SortOrder::Relevance,
            (order, true) if SortOrder::ALL.last() == Some(&order) => SortOrder::Distance,
            (order, _) => order.next(),
        }
    }

    /// [`SortOrder::sort`], with distances for [`SortOrder::Distance`]: nearest first, a study
    /// without one last, ties in the order they came (relevance).
    pub fn sort_near(self, studies: &[Summary], found: &mut [usize], nearby: Option<&Nearby>) {
        match (self, nearby) {
            (SortOrder::Distance, Some(nearby)) => {
                let km = |place: usize| nearby.of(place).map_or(f64::INFINITY, |nearest| nearest.km);
                found.sort_by(|&a, &b| km(a).total_cmp(&km(b)));
            }
            (order, _) => order.sort(studies, found),
        }
    }

    /// The parts of the columns [`SortOrder::sort_columns`] reads.
    pub fn parts(self) -> Vec<Part> {
        match self {
            SortOrder::Updated | SortOrder::Start | SortOrder::Completion => vec![Part::Dates],
            SortOrder::Enrollment => vec![Part::Enrollment],
            SortOrder::Relevance | SortOrder::Distance | SortOrder::Id => Vec::new(),
        }
    }

    /// Puts `found` (places in `studies`, in relevance order) in this order. Relevance leaves
    /// them as they are, and so does distance, which needs the distances ([`SortOrder::sort_near`]).
    pub fn sort(self, studies: &[Summary], found: &mut [usize]) {
        let of = |place: usize| studies.get(place);
        self.sort_by_keys(
            found,
            &|place| of(place).map(|s| &*s.id),
            &|field, place| of(place).and_then(|s| super::matching::date_of(field, s)),
            &|place| of(place).and_then(|s| s.enrollment),
        );
    }

    /// [`SortOrder::sort`] from the catalog's `columns`, `id` giving each found study's id.
    pub fn sort_columns<'i>(
        self,
        columns: &Columns,
        id: &dyn Fn(usize) -> Option<&'i str>,
        found: &mut [usize],
    ) {
        self.sort_by_keys(found, id, &|field, place| columns.date(field, place), &|place| {
            columns.enrollment.get(place).copied().flatten()
        });
    }

    fn sort_by_keys<'i>(
        self,
        found: &mut [usize],
        id: &dyn Fn(usize) -> Option<&'i str>,
        date: &dyn Fn(DateField, usize) -> Option<PartialDate>,
        enrollment: &dyn Fn(usize) -> Option<u64>,
    ) {
        let by_id = |a: usize, b: usize| id(a).cmp(&id(b));
        // Newest first, a missing value last: `Reverse(Some)` sorts before `Reverse(None)`
        // only once the missing ones are set apart by the leading flag.
        fn newest<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
            (a.is_none(), Reverse(a)).cmp(&(b.is_none(), Reverse(b)))
        }
        let field = match self {
            SortOrder::Relevance | SortOrder::Distance => return,
            SortOrder::Id => {
                found.sort_unstable_by(|&a, &b| by_id(a, b));
                return;
            }
            SortOrder::Enrollment => {
                found.sort_unstable_by(|&a, &b| {
                    newest(enrollment(a), enrollment(b)).then_with(|| by_id(a, b))
                });
                return;
            }
            SortOrder::Updated => DateField::Updated,
            SortOrder::Start => DateField::Start,
            SortOrder::Completion => DateField::Completion,
        };
        found.sort_unstable_by(|&a, &b| newest(date(field, a), date(field, b)).then_with(|| by_id(a, b)));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::catalog::testing::summary;

    fn study(id: &str, start: Option<&str>, enrollment: Option<u64>) -> Summary {
        let mut modules = format!(r#""identificationModule": {{"nctId": "{id}", "briefTitle": "t"}}"#);
        if let Some(start) = start {
            modules.push_str(&format!(r#", "statusModule": {{"startDateStruct": {{"date": "{start}"}}}}"#));
        }
        if let Some(count) = enrollment {
            modules.push_str(&format!(r#", "designModule": {{"enrollmentInfo": {{"count": {count}}}}}"#));
        }
        summary(&modules)
    }

    #[test]
    fn newest_and_largest_first_missing_last_ties_by_id() {
        let studies = vec![
            study("NCT00000003", Some("2019-05"), Some(10)),
            study("NCT00000001", None, None),
            study("NCT00000002", Some("2021"), Some(10)),
            study("NCT00000004", Some("2019-05-20"), Some(500)),
            study("NCT00000000", Some("2021"), None),
        ];
        let ids = |order: SortOrder| {
            let mut found: Vec<usize> = (0..studies.len()).collect();
            order.sort(&studies, &mut found);
            found.iter().map(|&p| studies[p].id.to_string()).collect::<Vec<_>>().join(" ")
        };
        assert_eq!(ids(SortOrder::Start), "NCT00000000 NCT00000002 NCT00000004 NCT00000003 NCT00000001");
        assert_eq!(ids(SortOrder::Enrollment), "NCT00000004 NCT00000002 NCT00000003 NCT00000000 NCT00000001");
        assert_eq!(ids(SortOrder::Id), "NCT00000000 NCT00000001 NCT00000002 NCT00000003 NCT00000004");
        assert_eq!(ids(SortOrder::Relevance), "NCT00000003 NCT00000001 NCT00000002 NCT00000004 NCT00000000");
        assert_eq!(SortOrder::Id.next(), SortOrder::Relevance);
        assert_eq!(SortOrder::Id.next_near(false), SortOrder::Relevance);
        assert_eq!(SortOrder::Id.next_near(true), SortOrder::Distance);
        assert_eq!(SortOrder::Distance.next_near(true), SortOrder::Relevance);
        assert_eq!(SortOrder::Start.next_near(true), SortOrder::Completion);
    }
}
