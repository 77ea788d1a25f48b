//! Colours that carry meaning (a study's status above all), and their absence: with `NO_COLOR`
//! set, every style keeps only bold, dim and reverse, and the status stays readable as text.

use ratatui::style::{Color, Modifier, Style};

use crate::study::enums::{RecruitmentStatus, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set to anything non-empty (https://no-color.org).
    pub fn from_env() -> Theme {
        Theme { color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) }
    }

    pub fn plain() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    pub fn status(&self, status: Option<&Status>) -> Style {
        self.fg(status_color(status))
    }

    pub fn site_status(&self, status: Option<&RecruitmentStatus>) -> Style {
        let color = match status {
            Some(RecruitmentStatus::Recruiting | RecruitmentStatus::Available) => Color::Green,
            Some(RecruitmentStatus::Completed) => Color::Blue,
            Some(
                RecruitmentStatus::ActiveNotRecruiting
                | RecruitmentStatus::NotYetRecruiting
                | RecruitmentStatus::EnrollingByInvitation,
            ) => Color::Yellow,
            Some(
                RecruitmentStatus::Terminated | RecruitmentStatus::Withdrawn | RecruitmentStatus::Suspended,
            ) => Color::Red,
            _ => Color::Gray,
        };
        self.fg(color)
    }

    /// Section headings inside panes.
    pub fn heading(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// Field labels ("Sponsor:").
    pub fn label(&self) -> Style {
        self.fg(Color::DarkGray).add_modifier(if self.color { Modifier::empty() } else { Modifier::DIM })
    }

    /// Less important text: ids, hints, counts.
    pub fn dim(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    /// The selected row.
    pub fn selected(&self, focused: bool) -> Style {
        if !focused {
            return Style::new().add_modifier(Modifier::BOLD);
        }
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The border of the focused block.
    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    /// Keys in hints and help.
    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Text that a search or find matched; underlined so it shows without colour too.
    pub fn matched(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// A word the list's query looked for, in a pane: the list's mark colour, italic rather than
    /// underlined, so that text found in the pane (`/`, underlined) stays apart from it.
    pub fn query_word(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::ITALIC)
    }

    /// The match `n`/`N` moved to.
    pub fn current_match(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

/// Recruiting green, completed blue, active or not yet yellow, stopped red, unknown grey.
pub fn status_color(status: Option<&Status>) -> Color {
    match status {
        Some(Status::Recruiting | Status::Available) => Color::Green,
        Some(Status::Completed | Status::ApprovedForMarketing) => Color::Blue,
        Some(Status::ActiveNotRecruiting | Status::NotYetRecruiting | Status::EnrollingByInvitation) => {
            Color::Yellow
        }
        Some(
            Status::Terminated
            | Status::Withdrawn
            | Status::Suspended
            | Status::NoLongerAvailable
            | Status::TemporarilyNotAvailable,
        ) => Color::Red,
        _ => Color::Gray,
    }
}

/// A status in four to five letters for the list, readable without colour.
pub fn status_badge(status: Option<&Status>) -> &'static str {
    match status {
        Some(Status::Recruiting) => "RECR",
        Some(Status::NotYetRecruiting) => "NYR",
        Some(Status::ActiveNotRecruiting) => "ACTV",
        Some(Status::EnrollingByInvitation) => "INVT",
        Some(Status::Completed) => "COMP",
        Some(Status::Terminated) => "TERM",
        Some(Status::Withdrawn) => "WDRN",
        Some(Status::Suspended) => "SUSP",
        Some(Status::Available) => "AVAIL",
        Some(Status::NoLongerAvailable) => "NLA",
        Some(Status::TemporarilyNotAvailable) => "TNA",
        Some(Status::ApprovedForMarketing) => "APPR",
        _ => "UNKN",
    }
}
