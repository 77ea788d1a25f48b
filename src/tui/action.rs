//! Everything that can happen in the app. Keys and mouse events become these (see `keymap`), as
//! do the loader's reports and what came of the effects `update` asked for (see `effects`);
//! `update` is the only place they change the state.

use std::path::PathBuf;

use crate::catalog::export::{Exported, Target};
use crate::catalog::{Catalog, Summary};
use crate::study::Study;
use crate::user::bookmarks::Bookmarks;
use crate::user::history::Entries;

use super::app::{Loading, Pane};

/// A bookmarked study's record as read again, to keep as now seen, with what changed since the
/// copy kept last time (`None`: no copy yet, or nothing changed).
#[derive(Debug)]
pub struct SeenRead {
    pub copies: crate::user::seen::SeenCopies,
    pub json: Vec<u8>,
    pub since: Result<Option<super::app::SinceLooked>, String>,
}

/// What a key can be bound to: the payload-free actions, named for the help screen and the
/// keymap table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Leave the app.
    Quit,
    /// Move the selection (list, sites) or scroll the pane one line up.
    Up,
    /// Move the selection or scroll one line down.
    Down,
    /// Scroll or move a page up.
    PageUp,
    /// Scroll or move a page down.
    PageDown,
    /// Half a page up.
    HalfPageUp,
    /// Half a page down.
    HalfPageDown,
    /// To the first line or study.
    Top,
    /// To the last line or study.
    Bottom,
    /// Focus the study (narrow screens: show it) or move focus right.
    Open,
    /// Back to the list, or close what is open.
    Back,
    /// In the list: clear the search, or leave the bookmarks or recently viewed.
    ClearSearch,
    /// Focus the list.
    FocusList,
    /// Focus the study.
    FocusDetail,
    /// The next pane (Overview → Criteria → Outcomes → Sites).
    NextPane,
    /// The previous pane.
    PrevPane,
    Pane1,
    Pane2,
    Pane3,
    Pane4,
    Pane5,
    /// Criteria: the text as registered instead of the split criteria.
    ToggleRaw,
    /// Sites: cycle the sort order (as listed, by country, by status).
    SortSites,
    /// Sites: cycle the filter (all, recruiting, within the distance asked about).
    FilterSites,
    /// Outcomes with results: open or close the part under the cursor.
    ToggleFold,
    /// Outcomes with results: open every part, or close them all when all are open.
    ToggleAllFolds,
    /// Results tables: show the previous group column; on the first, back as `Back`.
    ColumnLeft,
    /// Results tables: show the next group column.
    ColumnRight,
    /// The help screen, listing every key.
    ToggleHelp,
    /// The list of inputs that failed to load.
    ToggleErrors,
    /// Star or unstar the selected study (saved in the user's bookmarks).
    ToggleBookmark,
    /// The list shows the bookmarks (again: every study).
    ShowBookmarks,
    /// The list shows the studies opened lately (again: every study).
    ShowRecent,
    /// Open the note editor on the selected study.
    EditNote,
    /// Export the list as it is (filtered or not) to a file.
    Export,
    /// Copy the selected study's NCT id to the clipboard.
    CopyId,
    /// Copy the selected study's registry URL to the clipboard.
    CopyUrl,
    /// Record pane: copy the JSON path of the field under the cursor.
    CopyPath,
    /// Open the query line: filter the list, or find text in the pane.
    Search,
    /// Go to a study by its id, acronym or title, matched fuzzily (the go-to picker).
    GoTo,
    /// In the query line: keep the filter (list) or the matches (pane) and close the line.
    Submit,
    /// The next match of the text found in the pane.
    FindNext,
    /// The previous match.
    FindPrev,
    /// Open or close the facets panel: counts over the listed studies.
    ToggleFacets,
    /// The list's next order (relevance, updated, start, completion, enrollment, id).
    CycleSort,
    /// Criteria: screen a patient against the study (asks for the patient reference).
    StartScreening,
    /// Screening: leave it (it is saved at every answer).
    StopScreening,
    /// Screening: the criterion under the cursor is met (for an exclusion: the patient has it).
    AnswerMet,
    /// Screening: it is not met.
    AnswerNotMet,
    /// Screening: not known yet.
    AnswerUnknown,
    /// Screening: it does not apply to this patient.
    AnswerNotApplicable,
    /// Screening: take the answer back.
    ClearAnswer,
    /// Screening: a short note on the criterion under the cursor.
    ScreeningNote,
    /// Every screening: date, patient, study, verdict.
    ShowScreenings,
    /// Open or close the patient profiles (`fits:`).
    ShowProfiles,
}

/// Something that happened.
#[derive(Debug)]
pub enum Action {
    Key(Command),
    /// The terminal changed size (columns, rows).
    Resize(u16, u16),
    /// The mouse wheel turned over a cell (negative: up).
    Scroll {
        column: u16,
        row: u16,
        lines: i16,
    },
    /// A left click on a cell.
    Click {
        column: u16,
        row: u16,
    },
    /// Studies parsed since the last `Loaded` (in no particular order) and the loading's
    /// progress, while loading goes on. `restart`: the studies loaded before are void (the
    /// catalog cache turned out damaged and the inputs are read instead).
    Loaded {
        restart: bool,
        batch: Vec<Summary>,
        progress: Loading,
    },
    /// Loading finished: the final, ordered and de-duplicated collection.
    Finished(Box<Catalog>),
    /// Something to tell the user in the status bar, after what it already says (the catalog
    /// cache was damaged, or could not be saved).
    Notice(String),
    /// Time passed (redraws the loading gauge).
    Tick,
    /// A key typed into the open query line (Enter, Esc, Up and Down included: the line
    /// decides what they mean).
    Edit(tui_textarea::Input),
    /// The study's record read again (or why it could not be), with the user's note on it.
    StudyRead {
        id: Box<str>,
        record: Result<Box<Study>, String>,
        note: Option<String>,
        /// For a bookmarked study, its record as read and what changed since it was last viewed.
        seen: Option<Box<SeenRead>>,
    },
    /// The loaded studies compared with the older inputs (`--since`), and what could not be read.
    SinceCompared {
        difference: Box<crate::catalog::diff::Difference>,
        problems: Vec<String>,
    },
    /// Bookmarked studies whose record changed since last viewed (see `Effect::CheckSeen`).
    SeenChecked(Vec<Box<str>>),
    /// The copy of a viewed study kept (or why not).
    SeenKept {
        id: Box<str>,
        result: Result<(), String>,
    },
    /// The note as saved, for the editor.
    NoteRead {
        id: Box<str>,
        saved: Result<Option<String>, String>,
    },
    /// The profiles as saved after the editor's profile was written (or why not).
    ProfileSaved {
        name: String,
        result: Result<crate::user::profiles::Profiles, String>,
    },
    /// The note written (or why not).
    NoteSaved {
        id: Box<str>,
        text: String,
        result: Result<(), String>,
    },
    /// The bookmarks after a study was starred or unstarred, and whether it now is.
    BookmarkToggled {
        id: Box<str>,
        bookmarks: Bookmarks,
        result: Result<bool, String>,
    },
    /// The history after a study opened was added to it.
    ViewedRecorded(Result<Entries, String>),
    /// The queries after one entered was added to the history; `entered` is acted on now.
    QueryRecorded {
        entered: String,
        result: Result<Vec<String>, String>,
    },
    /// The history read again, and what was wrong with its file.
    HistoryRead {
        entries: Entries,
        problem: Option<String>,
    },
    /// The file named for an export, checked.
    ExportChecked {
        typed: String,
        target: Result<Target, String>,
    },
    /// The export written (or why not).
    Exported {
        path: PathBuf,
        result: Result<Exported, String>,
    },
    /// The selected study's record as JSON, read again for the Record pane (or why not).
    RecordJsonRead {
        id: Box<str>,
        json: Result<serde_json::Value, String>,
    },
    /// A screening as saved before (none yet, or why it could not be read), to resume it.
    ScreeningRead {
        study: Box<str>,
        patient: String,
        saved: Result<Option<crate::screening::checklist::Screening>, String>,
    },
    /// The screening as saved, dated (or why it could not be).
    ScreeningSaved(Result<crate::screening::checklist::Screening, String>),
    /// Every screening read again, and the files that could not be read.
    ScreeningsListed {
        screenings: Vec<crate::screening::checklist::Screening>,
        problems: Vec<String>,
    },
    /// The screening log written (how many screenings), or why not.
    ScreeningLogExported {
        path: PathBuf,
        result: Result<usize, String>,
    },
}

impl Command {
    /// A move of the cursor: a line, a page, half a page, or to either end.
    pub fn moves(self) -> bool {
        matches!(
            self,
            Command::Up
                | Command::Down
                | Command::PageUp
                | Command::PageDown
                | Command::HalfPageUp
                | Command::HalfPageDown
                | Command::Top
                | Command::Bottom
        )
    }

    /// The action's name in the settings (`[keys]`): stable, since users' files name it. Mostly
    /// the variant in snake case; the moves are named for what they do in a list (`next`,
    /// `previous`) and the panes by their names.
    pub fn name(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Up => "previous",
            Command::Down => "next",
            Command::PageUp => "page_up",
            Command::PageDown => "page_down",
            Command::HalfPageUp => "half_page_up",
            Command::HalfPageDown => "half_page_down",
            Command::Top => "top",
            Command::Bottom => "bottom",
            Command::Open => "open",
            Command::Back => "back",
            Command::ClearSearch => "clear_search",
            Command::FocusList => "focus_list",
            Command::FocusDetail => "focus_study",
            Command::NextPane => "next_pane",
            Command::PrevPane => "previous_pane",
            Command::Pane1 => "overview_pane",
            Command::Pane2 => "criteria_pane",
            Command::Pane3 => "outcomes_pane",
            Command::Pane4 => "sites_pane",
            Command::Pane5 => "record_pane",
            Command::ToggleRaw => "toggle_raw",
            Command::SortSites => "sort_sites",
            Command::FilterSites => "filter_sites",
            Command::ToggleFold => "toggle_fold",
            Command::ToggleAllFolds => "toggle_all_folds",
            Command::ColumnLeft => "column_left",
            Command::ColumnRight => "column_right",
            Command::ToggleHelp => "toggle_help",
            Command::ToggleErrors => "toggle_errors",
            Command::ToggleBookmark => "toggle_bookmark",
            Command::ShowBookmarks => "show_bookmarks",
            Command::ShowRecent => "show_recent",
            Command::EditNote => "edit_note",
            Command::ShowProfiles => "show_profiles",
            Command::Export => "export",
            Command::CopyId => "copy_id",
            Command::CopyUrl => "copy_url",
            Command::CopyPath => "copy_path",
            Command::Search => "search",
            Command::Submit => "submit",
            Command::GoTo => "go_to",
            Command::FindNext => "find_next",
            Command::FindPrev => "find_previous",
            Command::ToggleFacets => "facets",
            Command::CycleSort => "sort_list",
            Command::StartScreening => "start_screening",
            Command::StopScreening => "stop_screening",
            Command::AnswerMet => "answer_met",
            Command::AnswerNotMet => "answer_not_met",
            Command::AnswerUnknown => "answer_unknown",
            Command::AnswerNotApplicable => "answer_not_applicable",
            Command::ClearAnswer => "clear_answer",
            Command::ScreeningNote => "screening_note",
            Command::ShowScreenings => "screenings",
        }
    }

    pub fn pane(self) -> Option<Pane> {
        match self {
            Command::Pane1 => Some(Pane::Overview),
            Command::Pane2 => Some(Pane::Criteria),
            Command::Pane3 => Some(Pane::Outcomes),
            Command::Pane4 => Some(Pane::Sites),
            Command::Pane5 => Some(Pane::Record),
            _ => None,
        }
    }
}
