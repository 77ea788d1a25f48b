//! Colours that carry meaning (a study's status above all), by role: a [`Palette`] names the
//! colour of each role (`accent`, `status_recruiting`, …), starts from a preset the user picks
//! (`theme = "dark" | "light" | "mono"`) and takes the user's colour for any role (`[colors]`).
//! Without colour (`mono`, `NO_COLOR`, `color = "never"`) every style keeps only bold, dim,
//! reverse and underline, and the status stays readable as text.
//!
//! The styles are asked of the palette by what they show (`heading`, `status`, `matched`), never
//! by colour, so that a role changes everywhere it appears and nowhere else.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

use crate::study::enums::{RecruitmentStatus, Status};

/// The colour switch the app can be started with (`App::new`): the dark palette, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn plain() -> Theme {
        Theme { color: false }
    }
}

impl From<Theme> for Palette {
    fn from(theme: Theme) -> Palette {
        if theme.color { Palette::dark() } else { Palette::mono() }
    }
}

/// Whether `NO_COLOR` asks for no colour (set to anything non-empty: https://no-color.org).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// The presets of the `theme` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    /// Colours for a dark background (the terminal's own palette, as nct always had).
    #[default]
    Dark,
    /// Colours that stay readable on a light background: no yellow, no light grey.
    Light,
    /// No colour at all, as with `NO_COLOR`.
    Mono,
}

impl ThemeName {
    pub const ALL: [(&'static str, ThemeName); 3] =
        [("dark", ThemeName::Dark), ("light", ThemeName::Light), ("mono", ThemeName::Mono)];

    pub fn named(name: &str) -> Option<ThemeName> {
        ThemeName::ALL.iter().find(|(known, _)| known.eq_ignore_ascii_case(name.trim())).map(|&(_, t)| t)
    }
}

/// What a colour is for; the settings name each in `[colors]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Headings in the panes and the border of the focused block.
    Accent,
    /// Keys in the hints and the help, the bookmark star.
    Key,
    /// Text a search or a find matched.
    Match,
    /// Field labels ("Sponsor:").
    Label,
    /// Less important text: ids, hints, counts, studies not in the loaded inputs.
    Dim,
    /// The selected row's background.
    Selection,
    /// The selected row's text.
    SelectionText,
    /// Errors and load failures.
    Error,
    /// Recruiting, available.
    StatusRecruiting,
    /// Completed, approved for marketing.
    StatusCompleted,
    /// Active, not yet recruiting, enrolling by invitation.
    StatusActive,
    /// Terminated, withdrawn, suspended, no longer available.
    StatusStopped,
    /// Unknown status, or none.
    StatusUnknown,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Role::Accent,
        Role::Key,
        Role::Match,
        Role::Label,
        Role::Dim,
        Role::Selection,
        Role::SelectionText,
        Role::Error,
        Role::StatusRecruiting,
        Role::StatusCompleted,
        Role::StatusActive,
        Role::StatusStopped,
        Role::StatusUnknown,
    ];

    /// The role's name in `[colors]`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Accent => "accent",
            Role::Key => "key",
            Role::Match => "match",
            Role::Label => "label",
            Role::Dim => "dim",
            Role::Selection => "selection",
            Role::SelectionText => "selection_text",
            Role::Error => "error",
            Role::StatusRecruiting => "status_recruiting",
            Role::StatusCompleted => "status_completed",
            Role::StatusActive => "status_active",
            Role::StatusStopped => "status_stopped",
            Role::StatusUnknown => "status_unknown",
        }
    }

    pub fn named(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }

    /// What the role colours, for the commented settings file.
    pub fn about(self) -> &'static str {
        match self {
            Role::Accent => "headings, the focused border",
            Role::Key => "keys in hints and help, the bookmark star",
            Role::Match => "text a search or find matched",
            Role::Label => "field labels",
            Role::Dim => "ids, hints, counts, studies not loaded",
            Role::Selection => "the selected row's background",
            Role::SelectionText => "the selected row's text",
            Role::Error => "errors",
            Role::StatusRecruiting => "recruiting, available",
            Role::StatusCompleted => "completed",
            Role::StatusActive => "active, not yet recruiting, by invitation",
            Role::StatusStopped => "terminated, withdrawn, suspended",
            Role::StatusUnknown => "unknown status",
        }
    }
}

/// A colour as the settings write it: a name (`green`, `dark-gray`, `light_blue`), `#rrggbb`,
/// or a number of the terminal's 256 colours.
pub fn parse_color(text: &str) -> Option<Color> {
    Color::from_str(text.trim()).ok()
}

/// A colour as the settings would write it back (for the commented defaults).
pub fn color_name(color: Color) -> String {
    match color {
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(n) => n.to_string(),
        named => {
            let debug = format!("{named:?}");
            // DarkGray → dark-gray.
            let mut name = String::new();
            for (i, c) in debug.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    name.push('-');
                }
                name.extend(c.to_lowercase());
            }
            name
        }
    }
}

/// The colour of each role, and whether to colour at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    color: bool,
    accent: Color,
    key: Color,
    matched: Color,
    label: Color,
    dim: Color,
    selection: Color,
    selection_text: Color,
    error: Color,
    recruiting: Color,
    completed: Color,
    active: Color,
    stopped: Color,
    unknown: Color,
}

impl Default for Palette {
    fn default() -> Palette {
        Palette::dark()
    }
}

impl Palette {
    /// The terminal's own colours, chosen for a dark background.
    pub fn dark() -> Palette {
        Palette {
            color: true,
            accent: Color::Cyan,
            key: Color::Yellow,
            matched: Color::Yellow,
            label: Color::DarkGray,
            dim: Color::DarkGray,
            selection: Color::Blue,
            selection_text: Color::White,
            error: Color::Red,
            recruiting: Color::Green,
            completed: Color::Blue,
            active: Color::Yellow,
            stopped: Color::Red,
            unknown: Color::Gray,
        }
    }

    /// For a light background: yellow and light grey would vanish there, so keys and matches
    /// are magenta, active studies a dark orange (of the 256 colours), unknown ones dark grey.
    pub fn light() -> Palette {
        Palette {
            accent: Color::Blue,
            key: Color::Magenta,
            matched: Color::Magenta,
            active: Color::Indexed(130),
            unknown: Color::DarkGray,
            ..Palette::dark()
        }
    }

    /// No colour: bold, dim, reverse and underline only.
    pub fn mono() -> Palette {
        Palette { color: false, ..Palette::dark() }
    }

    pub fn named(name: ThemeName) -> Palette {
        match name {
            ThemeName::Dark => Palette::dark(),
            ThemeName::Light => Palette::light(),
            ThemeName::Mono => Palette::mono(),
        }
    }

    /// The palette the settings ask for: the preset with the user's colours, or none at all
    /// when colour is off (`color = "never"`, `NO_COLOR`), whatever the theme.
    pub fn from_settings(name: ThemeName, colors: &[(Role, Color)], color_allowed: bool) -> Palette {
        if !color_allowed {
            return Palette::mono();
        }
        colors.iter().fold(Palette::named(name), |palette, &(role, color)| palette.with(role, color))
    }

    /// Whether this palette colours anything.
    pub fn has_color(&self) -> bool {
        self.color
    }

    /// The palette with `role` in `color`.
    pub fn with(mut self, role: Role, color: Color) -> Palette {
        *self.slot(role) = color;
        self
    }

    /// The colour of `role` (when the palette colours at all).
    pub fn color_of(&self, role: Role) -> Color {
        match role {
            Role::Accent => self.accent,
            Role::Key => self.key,
            Role::Match => self.matched,
            Role::Label => self.label,
            Role::Dim => self.dim,
            Role::Selection => self.selection,
            Role::SelectionText => self.selection_text,
            Role::Error => self.error,
            Role::StatusRecruiting => self.recruiting,
            Role::StatusCompleted => self.completed,
            Role::StatusActive => self.active,
            Role::StatusStopped => self.stopped,
            Role::StatusUnknown => self.unknown,
        }
    }

    fn slot(&mut self, role: Role) -> &mut Color {
        match role {
            Role::Accent => &mut self.accent,
            Role::Key => &mut self.key,
            Role::Match => &mut self.matched,
            Role::Label => &mut self.label,
            Role::Dim => &mut self.dim,
            Role::Selection => &mut self.selection,
            Role::SelectionText => &mut self.selection_text,
            Role::Error => &mut self.error,
            Role::StatusRecruiting => &mut self.recruiting,
            Role::StatusCompleted => &mut self.completed,
            Role::StatusActive => &mut self.active,
            Role::StatusStopped => &mut self.stopped,
            Role::StatusUnknown => &mut self.unknown,
        }
    }

    fn fg(&self, role: Role) -> Style {
        if self.color { Style::new().fg(self.color_of(role)) } else { Style::new() }
    }

    pub fn status(&self, status: Option<&Status>) -> Style {
        self.fg(status_role(status))
    }

    pub fn site_status(&self, status: Option<&RecruitmentStatus>) -> Style {
        let role = match status {
            Some(RecruitmentStatus::Recruiting | RecruitmentStatus::Available) => Role::StatusRecruiting,
            Some(RecruitmentStatus::Completed) => Role::StatusCompleted,
            Some(
                RecruitmentStatus::ActiveNotRecruiting
                | RecruitmentStatus::NotYetRecruiting
                | RecruitmentStatus::EnrollingByInvitation,
            ) => Role::StatusActive,
            Some(
                RecruitmentStatus::Terminated | RecruitmentStatus::Withdrawn | RecruitmentStatus::Suspended,
            ) => Role::StatusStopped,
            _ => Role::StatusUnknown,
        };
        self.fg(role)
    }

    /// Section headings inside panes.
    pub fn heading(&self) -> Style {
        self.fg(Role::Accent).add_modifier(Modifier::BOLD)
    }

    /// Field labels ("Sponsor:").
    pub fn label(&self) -> Style {
        self.fg(Role::Label).add_modifier(if self.color { Modifier::empty() } else { Modifier::DIM })
    }

    /// Less important text: ids, hints, counts.
    pub fn dim(&self) -> Style {
        if self.color { self.fg(Role::Dim) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    /// The selected row.
    pub fn selected(&self, focused: bool) -> Style {
        if !focused {
            return Style::new().add_modifier(Modifier::BOLD);
        }
        if self.color {
            Style::new().bg(self.selection).fg(self.selection_text).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    /// The border of the focused block.
    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => self.fg(Role::Accent),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    /// Keys in hints and help.
    pub fn key(&self) -> Style {
        self.fg(Role::Key).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Role::Error).add_modifier(Modifier::BOLD)
    }

    /// Text that a search or find matched; underlined so it shows without colour too.
    pub fn matched(&self) -> Style {
        self.fg(Role::Match).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    /// A word the list's query looked for, in a pane: the list's mark colour, italic rather than
    /// underlined, so that text found in the pane (`/`, underlined) stays apart from it.
    pub fn query_word(&self) -> Style {
        self.fg(Role::Match).add_modifier(Modifier::BOLD | Modifier::ITALIC)
    }

    /// The match `n`/`N` moved to.
    pub fn current_match(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The words of a threshold in a criterion ("ECOG ≤ 1"): the key colour, bold without colour.
    pub fn threshold(&self) -> Style {
        if self.color { self.fg(Role::Key) } else { Style::new().add_modifier(Modifier::BOLD) }
    }
}

/// Recruiting green, completed blue, active or not yet yellow, stopped red, unknown grey (in
/// the dark palette): the role of a study's status.
pub fn status_role(status: Option<&Status>) -> Role {
    match status {
        Some(Status::Recruiting | Status::Available) => Role::StatusRecruiting,
        Some(Status::Completed | Status::ApprovedForMarketing) => Role::StatusCompleted,
        Some(Status::ActiveNotRecruiting | Status::NotYetRecruiting | Status::EnrollingByInvitation) => {
            Role::StatusActive
        }
        Some(
            Status::Terminated
            | Status::Withdrawn
            | Status::Suspended
            | Status::NoLongerAvailable
            | Status::TemporarilyNotAvailable,
        ) => Role::StatusStopped,
        _ => Role::StatusUnknown,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_read_as_names_hex_or_numbers() {
        assert_eq!(parse_color("green"), Some(Color::Green));
        assert_eq!(parse_color("dark-gray"), Some(Color::DarkGray));
        assert_eq!(parse_color("Light_Blue"), Some(Color::LightBlue));
        assert_eq!(parse_color("grey"), Some(Color::Gray));
        assert_eq!(parse_color("#5f87af"), Some(Color::Rgb(0x5f, 0x87, 0xaf)));
        assert_eq!(parse_color("#5F87AF"), Some(Color::Rgb(0x5f, 0x87, 0xaf)));
        assert_eq!(parse_color("130"), Some(Color::Indexed(130)));
        for bad in ["greenish", "#5f87a", "#zzzzzz", "256", ""] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn colour_names_read_back() {
        for color in [Color::DarkGray, Color::LightBlue, Color::Rgb(1, 2, 255), Color::Indexed(7), Color::Red]
        {
            assert_eq!(parse_color(&color_name(color)), Some(color), "{}", color_name(color));
        }
        assert_eq!(color_name(Color::DarkGray), "dark-gray");
    }

    #[test]
    fn roles_and_themes_are_named() {
        for role in Role::ALL {
            assert_eq!(Role::named(role.name()), Some(role));
        }
        assert_eq!(Role::named("accent "), None);
        assert_eq!(ThemeName::named("Light"), Some(ThemeName::Light));
        assert_eq!(ThemeName::named("solarized"), None);
    }

    #[test]
    fn the_users_colours_replace_the_presets_and_mono_wins() {
        let recruiting = Some(&Status::Recruiting);
        assert_eq!(Palette::dark().status(recruiting).fg, Some(Color::Green));
        assert_eq!(Palette::light().key().fg, Some(Color::Magenta), "no yellow on white");
        let mine = [(Role::StatusRecruiting, Color::Indexed(34)), (Role::Accent, Color::Rgb(95, 135, 175))];
        let palette = Palette::from_settings(ThemeName::Light, &mine, true);
        assert_eq!(palette.status(recruiting).fg, Some(Color::Indexed(34)));
        assert_eq!(palette.heading().fg, Some(Color::Rgb(95, 135, 175)));
        assert_eq!(palette.border(true).fg, Some(Color::Rgb(95, 135, 175)));
        assert_eq!(palette.key().fg, Some(Color::Magenta), "the rest of the preset stays");
        for off in [
            Palette::from_settings(ThemeName::Dark, &mine, false),
            Palette::from_settings(ThemeName::Mono, &mine, true),
        ] {
            assert!(!off.has_color());
            assert_eq!(off.status(recruiting).fg, None);
            assert_eq!(off.selected(true), Style::new().add_modifier(Modifier::REVERSED));
        }
        assert_eq!(Palette::from(Theme { color: true }), Palette::dark());
        assert_eq!(Palette::from(Theme::plain()), Palette::mono());
    }
}
