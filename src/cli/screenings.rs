//! `nct screenings`: the screening log from the screening files alone (no study inputs): date,
//! patient reference, study, title, verdict, and the criteria not met or unknown, as text, CSV,
//! markdown or JSON. A file that cannot be read is named on stderr and the others are listed.

use super::{ScreeningsFormat, exit, output};
use crate::present::safe_text::SafeText;
use crate::present::screening_log::{self, LogRow};
use crate::user::screenings::Screenings;

pub fn run(study: Option<&str>, patient: Option<&str>, format: ScreeningsFormat) -> u8 {
    let Some(folder) = crate::user::screenings_dir() else {
        output::error("this system gives no home folder: nct keeps no screenings here");
        return exit::PROBLEM;
    };
    let (screenings, problems) = Screenings::new(&folder).all();
    output::eprint_lines(problems.iter().cloned());
    let rows: Vec<LogRow> = screenings
        .iter()
        .filter(|s| study.is_none_or(|id| s.study.eq_ignore_ascii_case(id.trim())))
        .filter(|s| patient.is_none_or(|p| s.patient == p.trim()))
        .map(screening_log::row)
        .collect();
    let text = match format {
        ScreeningsFormat::Text => screening_log::text(&rows),
        ScreeningsFormat::Csv => screening_log::csv(&rows),
        ScreeningsFormat::Markdown => screening_log::markdown(&rows),
        ScreeningsFormat::Json => screening_log::json(&rows),
    };
    if rows.is_empty() && format == ScreeningsFormat::Text {
        let which = match (study, patient) {
            (None, None) => String::new(),
            (Some(s), None) => format!(" of {s}"),
            (None, Some(p)) => format!(" of patient {p}"),
            (Some(s), Some(p)) => format!(" of patient {p} for {s}"),
        };
        output::error(&format!(
            "no screenings{which} in {} (start one with m in a study's Criteria pane)",
            folder.display()
        ));
    } else {
        output::print(SafeText::text(&text));
    }
    if rows.is_empty() || !problems.is_empty() { exit::PROBLEM } else { exit::OK }
}
