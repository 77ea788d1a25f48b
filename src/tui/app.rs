//! All of the app's state, as plain data. `update` changes it; `view` only reads it.

use ratatui::layout::Size;
use ratatui::text::Line;

use crate::catalog::Summary;
use crate::source::LoadError;
use crate::study::Study;
use crate::study::date::DateStyle;
use crate::user::bookmarks::Bookmarks;
use crate::user::notes::Notes;
use crate::user::seen::SeenCopies;

use super::highlight::{QueryWords, WordMark};
use super::keymap::Keymap;
use super::panes::export::ReplaceQuestion;
use super::panes::facets::FacetsPanel;
use super::panes::outcomes::{Fold, OutcomesState};
use super::panes::record::RecordState;
use super::panes::sites::SitesState;
use super::search::{Find, ListFilter, Picker, QueryLine};
use super::theme::Palette;
use crate::catalog::order::SortOrder;

/// The five views of the selected study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Overview,
    Criteria,
    Outcomes,
    Sites,
    /// Every field of the record, as a tree.
    Record,
}

impl Pane {
    pub const ALL: [Pane; 5] = [Pane::Overview, Pane::Criteria, Pane::Outcomes, Pane::Sites, Pane::Record];

    pub fn title(self) -> &'static str {
        match self {
            Pane::Overview => "Overview",
            Pane::Criteria => "Criteria",
            Pane::Outcomes => "Outcomes",
            Pane::Sites => "Sites",
            Pane::Record => "Record",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Pane::Overview => 0,
            Pane::Criteria => 1,
            Pane::Outcomes => 2,
            Pane::Sites => 3,
            Pane::Record => 4,
        }
    }

    pub fn next(self) -> Pane {
        Pane::ALL.get((self.index() + 1) % Pane::ALL.len()).copied().unwrap_or_default()
    }

    pub fn prev(self) -> Pane {
        Pane::ALL.get((self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()).copied().unwrap_or_default()
    }
}

/// Which half has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    List,
    Detail,
}

/// Which studies the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListView {
    /// Every loaded study, or those the search keeps.
    #[default]
    All,
    /// The bookmarked studies.
    Bookmarks,
    /// The studies opened lately, newest first.
    Recent,
}

impl ListView {
    /// The list's title in this view.
    pub fn title(self) -> &'static str {
        match self {
            ListView::All => "Studies",
            ListView::Bookmarks => "Bookmarks",
            ListView::Recent => "Recently viewed",
        }
    }
}

/// A study a view lists although the loaded inputs do not hold it (a bookmark, or a study
/// opened another day from other files), named by the title saved with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentRow {
    pub id: Box<str>,
    /// The title saved with it; `None` for history written before titles were kept.
    pub title: Option<String>,
}

/// A screen drawn over the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Errors {
        scroll: usize,
    },
    /// Every screening (`S`), the one at `selected` under the cursor.
    Screenings {
        selected: usize,
    },
    /// The patient profiles (`P`), the one at `selected` picked.
    Profiles {
        selected: usize,
    },
}

/// A patient being screened in the Criteria pane (`m`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningState {
    pub screening: crate::screening::checklist::Screening,
    /// The criterion under the cursor, an index into the screening's items.
    pub cursor: usize,
    /// The pane line each item starts on, as last laid out (for the cursor and scrolling).
    pub item_lines: Vec<usize>,
}

/// Loading in progress, as the loader last reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loading {
    pub studies: usize,
    pub errors: usize,
    /// Documents or entries expected, when known (0 when not).
    pub expected: usize,
    /// Bytes of input read, of `expected_bytes` (0 when not known).
    pub bytes: u64,
    pub expected_bytes: u64,
    /// Since loading started.
    pub elapsed: std::time::Duration,
}

/// A text pane's lines, built for one width, with the list query's words marked in them.
#[derive(Debug, Clone, Default)]
pub struct PaneLines {
    pub width: u16,
    pub raw: bool,
    pub lines: Vec<Line<'static>>,
    /// What else the lines were built from (a screening's answers, the profile), hashed: built
    /// again when it changes.
    pub stamp: u64,
    /// Where the words of `marked_for` are in `lines`, in line order.
    pub word_marks: Vec<WordMark>,
    /// The list filter's words when the lines were last marked: marked again when it changes.
    pub marked_for: QueryWords,
    /// Where the foldable parts are (Outcomes with results; empty elsewhere).
    pub folds: Vec<Fold>,
}

/// The selected study, read in full.
#[derive(Debug)]
pub struct Detail {
    pub id: Box<str>,
    /// The record, or why it could not be read again (the file changed or went away).
    pub record: Result<Box<Study>, String>,
    /// Built lines of the text panes (by `Pane::index`; the Sites pane has none).
    pub pane_lines: [Option<PaneLines>; 5],
    /// Scroll offset of each pane.
    pub scroll: [usize; 5],
    pub sites: SitesState,
    /// The user's note on the study, shown at the top of the Overview.
    pub note: Option<String>,
    /// For a bookmarked study: what changed since the user last looked at it (shown first in
    /// the Overview, this time only: viewing it keeps the record as now seen).
    pub since: Option<SinceLooked>,
    /// Open parts, cursor and sideways scroll of the Outcomes pane.
    pub outcomes: OutcomesState,
    /// The Record pane's tree, folds and cursor.
    pub record_tree: RecordState,
}

/// What changed in a bookmarked study's record since the copy kept when it was last viewed.
#[derive(Debug, Clone, PartialEq)]
pub struct SinceLooked {
    /// The day the copy was kept (`YYYY-MM-DD`), or `None` when its file's time is unknown.
    pub day: Option<String>,
    pub changes: Vec<crate::study::changes::Change>,
}

/// Writing a note on a study.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub id: Box<str>,
    pub textarea: tui_textarea::TextArea<'static>,
    /// The note as saved, to tell whether there is anything to lose.
    pub saved: String,
    /// Esc was pressed with changes: the next `y` discards them, any other key goes on editing.
    pub confirm_discard: bool,
}

impl NoteEditor {
    pub fn new(id: &str, saved: &str) -> NoteEditor {
        let lines: Vec<String> = saved.trim_end().lines().map(str::to_string).collect();
        let mut textarea =
            tui_textarea::TextArea::new(if lines.is_empty() { vec![String::new()] } else { lines });
        textarea.set_placeholder_text("PI says cohort 2 full; ask about prior biologics…");
        textarea.move_cursor(tui_textarea::CursorMove::Bottom);
        textarea.move_cursor(tui_textarea::CursorMove::End);
        NoteEditor { id: id.into(), textarea, saved: saved.trim_end().to_string(), confirm_discard: false }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn changed(&self) -> bool {
        self.text().trim_end() != self.saved
    }
}

#[derive(Debug)]
pub struct App {
    /// The full-text index over `studies`, once loading has finished and built it.
    pub index: Option<crate::catalog::TextIndex>,
    /// The places the sites name and the site index, for `near:`, once loading has finished.
    pub geo: Option<crate::catalog::geo::Geo>,
    /// The filterable fields of `studies` by field, once loading has finished: filters, facets
    /// and orders over the whole registry read these rather than 600k summaries.
    pub columns: Option<crate::catalog::columns::Columns>,
    /// What was opened, for the header ("assets/", "2 inputs").
    pub inputs_label: String,
    /// The paths opened, as given: an export never writes over one of them.
    pub inputs: Vec<std::path::PathBuf>,
    pub studies: Vec<Summary>,
    /// The rows of the list, as indexes into `studies`, in the order shown: every study, or
    /// those the filter or the view keeps, best first. `selected` and `list_offset` count in
    /// these rows, then in `absent`.
    pub visible: Vec<usize>,
    /// What the list shows: every study, the bookmarks or the recently viewed.
    pub view: ListView,
    /// In the bookmarks and recently viewed views, the studies the loaded inputs lack, listed
    /// after the present ones.
    pub absent: Vec<AbsentRow>,
    /// The studies opened lately, newest first, with their titles (as the history last read).
    pub viewed: Vec<(Box<str>, Option<String>)>,
    /// The filter applied to the list (empty text: none).
    pub filter: ListFilter,
    /// The query in the line does not parse: the list shows the last answer, and its title says
    /// the query has a mistake.
    pub mistake: bool,
    /// The go-to picker (fuzzy over ids, acronyms and titles), while open.
    pub picker: Option<Picker>,
    /// Marked chars of the rows on screen (from `list_offset`), in `search::haystack` chars.
    pub list_marks: Vec<Vec<usize>>,
    /// The query line, while open.
    pub line: Option<QueryLine>,
    /// With the export line open: the file named exists, and the user is asked first.
    pub replace: Option<ReplaceQuestion>,
    /// Queries entered in the list's line, oldest first.
    pub history: Vec<String>,
    /// Where the history is kept across runs; `None`: in memory only.
    pub history_file: Option<crate::user::history::History>,
    /// Finding text in the pane on screen.
    pub find: Option<Find>,
    pub errors: Vec<LoadError>,
    /// The user's starred studies (in memory only unless opened from a file).
    pub bookmarks: Bookmarks,
    /// Where notes are kept; `None` when there is no data folder (notes cannot be written).
    pub notes: Option<Notes>,
    /// The older inputs the studies are compared with (`nct NEW --since OLD`), once loaded.
    pub since_input: Option<std::path::PathBuf>,
    /// What changed in each study since `since_input`, by id (new studies: no changes), for
    /// the Overview; the list's marks and `changed:` use the summaries' `changed` bits.
    pub since_changes: std::collections::HashMap<Box<str>, Vec<crate::study::changes::Change>>,
    /// Where the records of bookmarked studies as last viewed are kept; `None`: not kept.
    pub seen: Option<SeenCopies>,
    /// Bookmarked studies whose record differs from the copy kept when last viewed (checked
    /// once loading finished, and cleared as each is viewed): marked in the list.
    pub changed_since_seen: std::collections::HashSet<Box<str>>,
    /// The note editor, while open.
    pub note: Option<NoteEditor>,
    /// Every saved note by study id, for `note:` in the query line.
    pub note_texts: std::collections::BTreeMap<String, String>,
    pub loading: Option<Loading>,
    pub selected: usize,
    /// First visible row of the list.
    pub list_offset: usize,
    pub focus: Focus,
    pub pane: Pane,
    pub detail: Option<Detail>,
    pub overlay: Option<Overlay>,
    /// The facets panel (`F`), while it is open.
    pub facets: Option<FacetsPanel>,
    /// The list's order (`o`); relevance is the search's own.
    pub sort: SortOrder,
    /// The area the applied query's `near:` asks about, resolved; `None` without one. The list
    /// shows each study's nearest site in it, and the Sites pane sorts and filters by it.
    pub near: Option<crate::study::geo::Area>,
    /// The patient profile the applied query's `fits:` names, as loaded; `None` without one.
    /// The Criteria pane marks thresholds against it and pre-fills a screening from it.
    pub profile: Option<crate::screening::profile::Profile>,
    /// The user's patient profiles, for `fits:` and the profiles overlay (`P`).
    pub profiles: crate::user::profiles::Profiles,
    /// Where the profiles are kept; `None`: in memory only (no data folder, or a test).
    pub profiles_file: Option<std::path::PathBuf>,
    /// The profile editor, while open.
    pub profile_editor: Option<super::panes::profiles::ProfileEditor>,
    /// Criteria pane: the registered text instead of the split criteria.
    pub raw_criteria: bool,
    /// The screening under way in the Criteria pane, if any.
    pub screening: Option<ScreeningState>,
    /// Where screenings are kept; `None` when there is no data folder (nothing can be screened).
    pub screenings: Option<crate::user::screenings::Screenings>,
    /// A screening chosen in the `S` list (study, patient), resumed once its study is read.
    pub screening_wanted: Option<(Box<str>, String)>,
    /// Every screening as last read (for the `S` list and the Overview), newest first.
    pub screening_log: Vec<crate::screening::checklist::Screening>,
    pub size: Size,
    /// The colours of the app (none in mono).
    pub theme: Palette,
    /// How dates are written in the panes (the `date_format` setting).
    pub dates: DateStyle,
    /// The keys, as the settings remapped them.
    pub keymap: Keymap,
    /// A one-line message for the status bar.
    pub message: Option<String>,
    /// Text to put on the terminal's clipboard after the next draw (an effect `update` asks for
    /// and the loop carries out).
    pub clipboard: Option<String>,
    /// The effects asked for while the current action is handled; `update` hands them out
    /// when it returns (see `effects`).
    pub effects: Vec<super::effects::Effect>,
    pub quit: bool,
}

impl App {
    pub fn new(inputs_label: String, size: Size, theme: impl Into<Palette>) -> App {
        App {
            index: None,
            geo: None,
            columns: None,
            inputs_label,
            inputs: Vec::new(),
            studies: Vec::new(),
            visible: Vec::new(),
            view: ListView::All,
            absent: Vec::new(),
            viewed: Vec::new(),
            filter: ListFilter::default(),
            mistake: false,
            picker: None,
            list_marks: Vec::new(),
            line: None,
            replace: None,
            history: Vec::new(),
            history_file: None,
            find: None,
            errors: Vec::new(),
            bookmarks: Bookmarks::default(),
            notes: None,
            seen: None,
            since_input: None,
            since_changes: Default::default(),
            changed_since_seen: Default::default(),
            note: None,
            note_texts: Default::default(),
            loading: Some(Loading::default()),
            selected: 0,
            list_offset: 0,
            focus: Focus::List,
            pane: Pane::Overview,
            detail: None,
            overlay: None,
            facets: None,
            sort: SortOrder::default(),
            near: None,
            profile: None,
            profiles: Default::default(),
            profiles_file: None,
            profile_editor: None,
            raw_criteria: false,
            screening: None,
            screenings: None,
            screening_log: Vec::new(),
            screening_wanted: None,
            size,
            theme: theme.into(),
            dates: DateStyle::default(),
            keymap: Keymap::default(),
            message: None,
            clipboard: None,
            effects: Vec::new(),
            quit: false,
        }
    }

    /// Whether the go-to picker's fuzzy matching is still going on (the loop then keeps
    /// stepping it).
    pub fn matching_underway(&self) -> bool {
        self.picker.as_ref().is_some_and(|p| !p.matching.done())
    }

    /// The columns of `studies`: those loading built, or (while loading) built now.
    pub fn columns(&self) -> std::borrow::Cow<'_, crate::catalog::columns::Columns> {
        match &self.columns {
            Some(columns) if columns.len() == self.studies.len() => std::borrow::Cow::Borrowed(columns),
            _ => std::borrow::Cow::Owned(crate::catalog::columns::Columns::of(&self.studies)),
        }
    }

    pub fn selected_summary(&self) -> Option<&Summary> {
        self.visible.get(self.selected).and_then(|&i| self.studies.get(i))
    }

    /// The rows of the list: the studies shown, then those a view names that are not loaded.
    pub fn row_count(&self) -> usize {
        self.visible.len() + self.absent.len()
    }

    /// The study at a row that the loaded inputs lack, if that row is one.
    pub fn absent_row(&self, row: usize) -> Option<&AbsentRow> {
        row.checked_sub(self.visible.len()).and_then(|i| self.absent.get(i))
    }

    /// The selected row when it names a study not loaded.
    pub fn selected_absent(&self) -> Option<&AbsentRow> {
        self.absent_row(self.selected)
    }

    /// The NCT id of the selected row, loaded or not.
    pub fn selected_id(&self) -> Option<&str> {
        match self.selected_summary() {
            Some(summary) => Some(&summary.id),
            None => self.selected_absent().map(|a| &*a.id),
        }
    }

    /// The study shown at a row of the list.
    pub fn row_summary(&self, row: usize) -> Option<&Summary> {
        self.visible.get(row).and_then(|&i| self.studies.get(i))
    }

    /// The record of the selected study, when it could be read.
    pub fn record(&self) -> Option<&Study> {
        self.detail.as_ref().and_then(|d| d.record.as_deref().ok())
    }
}
