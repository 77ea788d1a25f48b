//! The Criteria pane's keys: `r` shows the text as registered instead of the split criteria;
//! `m` screens a patient against the study's criteria, one answer key per criterion (see the
//! keymap's screening scope), saved at every answer (through effects); `S` lists every
//! screening, whose Enter resumes one and `x` exports the log.

use crate::screening::checklist::{Answer, Screening, patient_reference};
use crate::screening::judge;
use crate::study::eligibility::split_criteria;
use crate::tui::action::Command;
use crate::tui::app::{App, Focus, Overlay, Pane, ScreeningState};
use crate::tui::effects::Effect;
use crate::tui::navigate::moved;
use crate::tui::search::{LineTarget, QueryLine};

/// What the status bar offers while the pane is shown.
pub(crate) const HINTS: &[Command] = &[Command::ToggleRaw, Command::StartScreening];

/// What it offers while a patient is screened.
const SCREENING_HINTS: &[Command] = &[
    Command::AnswerMet,
    Command::AnswerNotMet,
    Command::AnswerUnknown,
    Command::AnswerNotApplicable,
    Command::ScreeningNote,
    Command::StopScreening,
];

/// The pane's hints now.
pub(crate) fn hints(app: &App) -> &'static [Command] {
    if screening_here(app) { SCREENING_HINTS } else { HINTS }
}

/// `r`: the registered text, or the split criteria again.
pub(crate) fn toggle_raw(app: &mut App) {
    if app.pane == Pane::Criteria {
        app.raw_criteria = !app.raw_criteria;
    }
}

/// Whether the screening under way is of the study shown, in the Criteria pane with the focus.
fn screening_here(app: &App) -> bool {
    let shown = app.detail.as_ref().map(|d| &*d.id);
    app.focus == Focus::Detail
        && app.pane == Pane::Criteria
        && app.screening.as_ref().is_some_and(|s| Some(s.screening.study.as_str()) == shown)
}

/// The screening keys, and the moves while screening (item by item); whether the command was
/// one of them.
pub(crate) fn on_screening_command(app: &mut App, command: Command) -> bool {
    match command {
        Command::StartScreening => start_screening(app),
        Command::StopScreening => stop_screening(app),
        _ if !screening_here(app) => return false,
        Command::AnswerMet => answer(app, Some(Answer::Met)),
        Command::AnswerNotMet => answer(app, Some(Answer::NotMet)),
        Command::AnswerUnknown => answer(app, Some(Answer::Unknown)),
        Command::AnswerNotApplicable => answer(app, Some(Answer::NotApplicable)),
        Command::ClearAnswer => answer(app, None),
        Command::ScreeningNote => open_note(app),
        command if command.moves() => {
            if let Some(state) = app.screening.as_mut() {
                let last = state.screening.items.len().saturating_sub(1);
                state.cursor = moved(state.cursor, command, 10, last);
            }
        }
        _ => return false,
    }
    true
}

/// `m`: asks for the patient reference (a screening of this study already under way is left
/// first: it is saved).
fn start_screening(app: &mut App) {
    if app.pane != Pane::Criteria {
        return;
    }
    if app.screenings.is_none() {
        app.message = Some("This system gives no data folder: screenings cannot be saved".into());
        return;
    }
    let Some(study) = app.record() else { return };
    let text = study
        .protocol_section
        .as_ref()
        .and_then(|p| p.eligibility_module.eligibility_criteria.clone())
        .unwrap_or_default();
    if split_criteria(&text).count() == (0, 0) {
        app.message = Some("This study lists no inclusion or exclusion criteria to screen".into());
        return;
    }
    app.focus = Focus::Detail;
    app.raw_criteria = false;
    app.line = Some(QueryLine::new(LineTarget::Patient, ""));
    app.message = Some("Patient reference: a code such as P-014; keep names and identifying data out".into());
}

/// Enter on the patient reference: refused with the reason when it looks like a name, else the
/// saved screening is asked for (to resume it).
pub(crate) fn patient_typed(app: &mut App, typed: &str) {
    let patient = match patient_reference(typed) {
        Ok(patient) => patient,
        Err(why) => {
            app.message = Some(why);
            return;
        }
    };
    app.line = None;
    let (Some(store), Some(detail)) = (app.screenings.clone(), app.detail.as_ref()) else { return };
    app.effects.push(Effect::ReadScreening { study: detail.id.clone(), patient, store });
}

/// The screening as saved (or none): resumed with the study's criteria as they read now, or
/// started, its answers suggested from the active profile; then saved, so it is listed.
pub(crate) fn screening_read(
    app: &mut App,
    study_id: &str,
    patient: &str,
    saved: Result<Option<Screening>, String>,
) {
    let Some(study) = app.record().filter(|_| app.detail.as_ref().is_some_and(|d| &*d.id == study_id)) else {
        return;
    };
    let text = study
        .protocol_section
        .as_ref()
        .and_then(|p| p.eligibility_module.eligibility_criteria.clone())
        .unwrap_or_default();
    let title = study
        .protocol_section
        .as_ref()
        .and_then(|p| p.identification_module.brief_title.clone())
        .unwrap_or_default();
    let criteria = split_criteria(&text);
    let (screening, said) = match saved {
        Ok(Some(saved)) => {
            let (screening, dropped) = Screening::resumed(saved, &criteria, &title);
            let answered = screening.items.iter().filter(|i| i.answer.is_some()).count();
            let mut said = format!("Resumed {patient}: {answered} answered");
            if dropped > 0 {
                said.push_str(&format!(
                    "; {dropped} answers dropped: their criteria are gone or reworded since"
                ));
            }
            (screening, said)
        }
        Ok(None) | Err(_) => {
            let mut screening = Screening::new(patient, study_id, &title, &criteria);
            let mut said = match &saved {
                Err(why) => why.clone(),
                _ => format!("Screening {patient} for {study_id}"),
            };
            if let Some(profile) = &app.profile {
                let suggested = screening.prefill(&criteria, |t| judge::judge(profile, t));
                said.push_str(&format!(
                    "; {suggested} answers suggested from profile {} (~: confirm them)",
                    profile.name
                ));
            }
            (screening, said)
        }
    };
    app.message = Some(said);
    app.pane = Pane::Criteria;
    app.focus = Focus::Detail;
    app.raw_criteria = false;
    app.screening = Some(ScreeningState { screening, cursor: 0, item_lines: Vec::new() });
    save(app);
}

fn save(app: &mut App) {
    let (Some(state), Some(store)) = (&app.screening, &app.screenings) else { return };
    app.effects
        .push(Effect::SaveScreening { screening: Box::new(state.screening.clone()), store: store.clone() });
}

/// An answer to the criterion under the cursor (confirming a suggestion), saved; the cursor
/// moves to the next criterion.
fn answer(app: &mut App, answer: Option<Answer>) {
    let Some(state) = app.screening.as_mut() else { return };
    let Some(reference) = state.screening.items.get(state.cursor).map(|i| i.reference.clone()) else {
        return;
    };
    state.screening.answer(&reference, answer);
    if answer.is_some() {
        state.cursor = (state.cursor + 1).min(state.screening.items.len().saturating_sub(1));
    }
    save(app);
}

/// `c`: the note line, with the criterion's note so far.
fn open_note(app: &mut App) {
    let Some(item) = app.screening.as_ref().and_then(|s| s.screening.items.get(s.cursor)) else { return };
    app.line = Some(QueryLine::new(LineTarget::ScreeningNote, &item.note));
    app.message = Some(format!("Note on {} (no names or identifying data)", item.reference));
}

/// Enter on the note: kept on the criterion under the cursor, saved.
pub(crate) fn note_typed(app: &mut App, text: &str) {
    app.line = None;
    app.message = None;
    let Some(state) = app.screening.as_mut() else { return };
    let Some(reference) = state.screening.items.get(state.cursor).map(|i| i.reference.clone()) else {
        return;
    };
    state.screening.note(&reference, text);
    save(app);
}

/// `m` or Esc while screening: back to reading the criteria; the verdict is said.
fn stop_screening(app: &mut App) {
    if let Some(state) = app.screening.take() {
        let verdict = crate::present::screening_log::verdict_line(&state.screening);
        app.message = Some(format!("Screening {} saved: {verdict}", state.screening.patient));
    }
}

/// The screening as saved: its dates kept, the log and the Overview brought up to date.
pub(crate) fn screening_saved(app: &mut App, result: Result<Screening, String>) {
    let saved = match result {
        Ok(saved) => saved,
        Err(why) => {
            app.message = Some(format!("The screening cannot be saved: {why}"));
            return;
        }
    };
    if let Some(state) = app.screening.as_mut().filter(|s| same(&s.screening, &saved)) {
        state.screening.started.clone_from(&saved.started);
        state.screening.updated.clone_from(&saved.updated);
    }
    app.screening_log.retain(|s| !same(s, &saved));
    app.screening_log.insert(0, saved);
    if let Some(detail) = app.detail.as_mut()
        && let Some(overview) = detail.pane_lines.get_mut(Pane::Overview.index())
    {
        *overview = None;
    }
}

fn same(a: &Screening, b: &Screening) -> bool {
    a.patient == b.patient && a.study.eq_ignore_ascii_case(&b.study)
}

/// `S`: every screening, read again (other windows save too).
pub(crate) fn show_screenings(app: &mut App) {
    match app.screenings.clone() {
        Some(store) => app.effects.push(Effect::ListScreenings(store)),
        None => app.message = Some("This system gives no data folder: there are no screenings".into()),
    }
}

/// Every screening as read: the list opens on them.
pub(crate) fn screenings_listed(app: &mut App, screenings: Vec<Screening>, problems: Vec<String>) {
    app.screening_log = screenings;
    if let Some(detail) = app.detail.as_mut()
        && let Some(overview) = detail.pane_lines.get_mut(Pane::Overview.index())
    {
        *overview = None;
    }
    if !problems.is_empty() {
        app.message = Some(problems.join("; "));
    } else if app.screening_log.is_empty() {
        app.message = Some("No screenings yet: m in a study's Criteria pane starts one".into());
        return;
    }
    app.overlay = Some(Overlay::Screenings { selected: 0 });
}

/// The list of screenings' keys: moves, Enter resumes the one under the cursor, `x` exports the
/// log, Esc or `S` closes it.
pub(crate) fn on_log_command(app: &mut App, command: Command) {
    let Some(Overlay::Screenings { selected }) = app.overlay else { return };
    let last = app.screening_log.len().saturating_sub(1);
    match command {
        Command::Quit => app.quit = true,
        Command::Back | Command::ShowScreenings => app.overlay = None,
        Command::Export => {
            app.line = Some(QueryLine::new(LineTarget::ScreeningLog, "screening-log.csv"));
        }
        Command::Open => resume(app, selected),
        other => {
            let page = usize::from(app.size.height.saturating_sub(8)).max(1);
            app.overlay = Some(Overlay::Screenings { selected: moved(selected, other, page, last) });
        }
    }
}

/// Enter on a screening: its study selected, in the Criteria pane, and the screening resumed
/// once the study's record is read.
fn resume(app: &mut App, selected: usize) {
    let Some(screening) = app.screening_log.get(selected) else { return };
    let (study, patient) = (screening.study.clone(), screening.patient.clone());
    if !app.studies.iter().any(|s| s.id.eq_ignore_ascii_case(&study)) {
        app.message = Some(format!(
            "{study} is not in the loaded inputs: open them to resume {patient} (nct screenings prints the log)"
        ));
        return;
    }
    app.overlay = None;
    crate::tui::list_rows::jump_to(app, &study);
    app.pane = Pane::Criteria;
    app.focus = Focus::Detail;
    app.screening = None;
    app.screening_wanted = Some((study.into(), patient));
}

/// After each update: a screening chosen in the list is resumed once its study's record is
/// there.
pub(crate) fn resume_wanted(app: &mut App) {
    let Some((study, _)) = &app.screening_wanted else { return };
    let ready = app.detail.as_ref().is_some_and(|d| d.id.eq_ignore_ascii_case(study) && d.record.is_ok());
    if !ready {
        return;
    }
    let Some((study, patient)) = app.screening_wanted.take() else { return };
    if let Some(store) = app.screenings.clone() {
        let study = app.detail.as_ref().map_or(study, |d| d.id.clone());
        app.effects.push(Effect::ReadScreening { study, patient, store });
    }
}

/// Enter on the log's file name: written through an effect.
pub(crate) fn export_log(app: &mut App, typed: &str) {
    app.effects
        .push(Effect::ExportScreeningLog { typed: typed.to_owned(), screenings: app.screening_log.clone() });
}

/// The log written: the line closes and the status bar says where; on a mistake the line stays
/// open with the name, and says why.
pub(crate) fn log_exported(app: &mut App, path: &std::path::Path, result: Result<usize, String>) {
    match result {
        Ok(count) => {
            app.line = None;
            app.message = Some(format!(
                "Screening log: {} written to {}",
                crate::present::words::plural(count, "screening", "screenings"),
                path.display()
            ));
        }
        Err(why) => app.message = Some(why),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use crate::screening::checklist::Answer;
    use crate::tui::test_app::*;

    /// The app on the bundled studies with screenings kept in `dir`, on NCT04577316's criteria.
    fn screening_app(dir: &std::path::Path) -> App {
        let mut app = assets_app(120, 40);
        app.screenings = Some(crate::user::screenings::Screenings::new(&dir.join("screenings")));
        app.selected = app.visible.iter().position(|&i| &*app.studies[i].id == "NCT04577316").unwrap();
        step(&mut app, Action::Tick);
        press(&mut app, &[Command::Pane2, Command::Open]);
        app
    }

    fn enter(app: &mut App) {
        key(app, Key::Enter);
    }

    #[test]
    fn a_name_is_refused_with_the_reason_and_a_code_starts_the_screening() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = screening_app(dir.path());
        press(&mut app, &[Command::StartScreening]);
        assert_eq!(app.line.as_ref().unwrap().target, LineTarget::Patient);
        type_text(&mut app, "Jane Doe");
        enter(&mut app);
        assert!(app.line.is_some(), "the line stays open");
        assert!(
            app.message.as_deref().unwrap().contains("holds spaces, as a name would"),
            "{:?}",
            app.message
        );
        assert!(app.screening.is_none());
        key(&mut app, Key::Esc);
        press(&mut app, &[Command::StartScreening]);
        type_text(&mut app, "P-014");
        enter(&mut app);
        let state = app.screening.as_ref().expect("screening");
        assert_eq!(
            (state.screening.patient.as_str(), state.screening.study.as_str()),
            ("P-014", "NCT04577316")
        );
        assert!(
            dir.path().join("screenings/NCT04577316/P-014.toml").exists(),
            "saved at once, so it is listed"
        );
        assert_eq!(app.screening_log.len(), 1);
        assert!(!state.screening.started.is_empty());
    }

    #[test]
    fn keys_answer_the_criterion_under_the_cursor_and_each_answer_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = screening_app(dir.path());
        press(&mut app, &[Command::StartScreening]);
        type_text(&mut app, "P-014");
        enter(&mut app);
        // I1 met, moves to I1.a; unknown there; back up, take it back; down past I1's five
        // sub-items to I2 and say not met; a note on it.
        press(&mut app, &[Command::AnswerMet, Command::AnswerUnknown, Command::Up, Command::ClearAnswer]);
        let items = &app.screening.as_ref().unwrap().screening.items;
        let i2 = items.iter().position(|i| i.reference == "I2").unwrap();
        app.screening.as_mut().unwrap().cursor = i2;
        press(&mut app, &[Command::AnswerNotMet, Command::Up, Command::ScreeningNote]);
        assert_eq!(app.line.as_ref().unwrap().target, LineTarget::ScreeningNote);
        type_text(&mut app, "relapsed only once");
        enter(&mut app);
        let screening = &app.screening.as_ref().unwrap().screening;
        assert_eq!(screening.item("I1").unwrap().answer, Some(Answer::Met));
        assert_eq!(screening.item("I1.a").unwrap().answer, None, "taken back");
        assert_eq!(screening.item("I2").unwrap().answer, Some(Answer::NotMet));
        assert_eq!(screening.item("I2").unwrap().note, "relapsed only once");
        let saved = std::fs::read_to_string(dir.path().join("screenings/NCT04577316/P-014.toml")).unwrap();
        assert!(
            saved.contains("ref = \"I2\"")
                && saved.contains("answer = \"not_met\"")
                && saved.contains("relapsed only once"),
            "{saved}"
        );
        // The verdict sits on top, the answers beside their criteria.
        let shown = screen(&app);
        assert!(
            shown.contains("P-014 Inclusion 1/5 met, 3 unknown · Exclusion 0 hit, 5 unknown →")
                && shown.contains("      not eligible: I2"),
            "{shown}"
        );
        assert!(shown.contains("✓  I1"), "{shown}");
        assert!(shown.contains("note: relapsed only once"), "{shown}");
        // Leaving says the verdict; the Overview lists the screening.
        press(&mut app, &[Command::StopScreening]);
        assert!(app.screening.is_none());
        assert!(
            app.message.as_deref().unwrap().starts_with("Screening P-014 saved: Inclusion 1/5 met"),
            "{:?}",
            app.message
        );
        press(&mut app, &[Command::Pane1]);
        let shown = screen(&app);
        assert!(shown.contains("Screenings: P-014 not eligible: I2"), "{shown}");
    }

    #[test]
    fn a_screening_is_resumed_from_the_list_with_its_answers_and_the_log_exported() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = screening_app(dir.path());
        press(&mut app, &[Command::StartScreening]);
        type_text(&mut app, "P-014");
        enter(&mut app);
        press(&mut app, &[Command::AnswerMet, Command::AnswerMet, Command::StopScreening, Command::Pane1]);
        // Elsewhere, then S and Enter: back in the study's Criteria pane, answers there.
        app.focus = Focus::List;
        app.selected = 0;
        step(&mut app, Action::Tick);
        press(&mut app, &[Command::ShowScreenings]);
        assert_eq!(app.overlay, Some(Overlay::Screenings { selected: 0 }));
        let shown = screen(&app);
        assert!(
            shown.contains("2026") && shown.contains("P-014        NCT04577316  possibly eligible"),
            "{shown}"
        );
        press(&mut app, &[Command::Open]);
        assert_eq!((app.pane, app.focus, app.overlay), (Pane::Criteria, Focus::Detail, None));
        assert_eq!(selected_id(&app), "NCT04577316");
        let state = app.screening.as_ref().expect("resumed");
        assert_eq!(state.screening.items.iter().filter(|i| i.answer == Some(Answer::Met)).count(), 2);
        assert!(
            app.message.as_deref().unwrap().starts_with("Resumed P-014: 2 answered"),
            "{:?}",
            app.message
        );
        // x in the list: the log, written where the name says, never over a file.
        press(&mut app, &[Command::StopScreening, Command::ShowScreenings, Command::Export]);
        assert_eq!(app.line.as_ref().unwrap().target, LineTarget::ScreeningLog);
        let file = dir.path().join("log.md");
        app.line = Some(search::QueryLine::new(LineTarget::ScreeningLog, &file.display().to_string()));
        enter(&mut app);
        assert!(app.line.is_none(), "{:?}", app.message);
        let log = std::fs::read_to_string(&file).unwrap();
        assert!(log.contains("| P-014 | NCT04577316 |") && log.contains("possibly eligible"), "{log}");
        press(&mut app, &[Command::Export]);
        app.line = Some(search::QueryLine::new(LineTarget::ScreeningLog, &file.display().to_string()));
        enter(&mut app);
        assert!(app.message.as_deref().unwrap().contains("exists: name another file"), "{:?}", app.message);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), log);
    }

    #[test]
    fn a_profile_with_values_marks_thresholds_for_and_against_and_suggests_answers() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = screening_app(dir.path());
        let mut profile = crate::screening::profile::Profile::named("anna");
        profile.set("ecog", "2").unwrap();
        profile.set("anc", "1.8 x10^9/L").unwrap();
        app.profile = Some(profile);
        step(&mut app, Action::Tick);
        let shown = screen(&app);
        assert!(shown.contains("✗ ECOG ≤ 1"), "ECOG 2 is outside an inclusion's ECOG ≤ 1: {shown}");
        assert!(shown.contains("✓ ANC ≥ 1,000/µL"), "1.8 ×10⁹/L is 1,800/µL: {shown}");
        press(&mut app, &[Command::StartScreening]);
        type_text(&mut app, "P-3");
        enter(&mut app);
        let screening = &app.screening.as_ref().unwrap().screening;
        let i4 = screening.item("I4").unwrap();
        assert_eq!((i4.answer, i4.suggested), (Some(Answer::NotMet), true));
        let anc = screening.item("I5.a").unwrap();
        assert_eq!((anc.answer, anc.suggested), (Some(Answer::Met), true));
        let shown = screen(&app);
        assert!(shown.contains("✗~ I4"), "a suggestion is marked until confirmed: {shown}");
        assert!(shown.contains("not eligible: I4 (ECOG ≤ 1)") && shown.contains("suggested, not"), "{shown}");
        // Confirming is answering: the mark loses its ~.
        let at = screening.items.iter().position(|i| i.reference == "I4").unwrap();
        app.screening.as_mut().unwrap().cursor = at;
        press(&mut app, &[Command::AnswerNotMet]);
        assert!(!app.screening.as_ref().unwrap().screening.item("I4").unwrap().suggested);
    }

    #[test]
    fn a_profile_marks_thresholds_and_a_screening_started_with_it_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = screening_app(dir.path());
        app.profile = Some(crate::screening::profile::Profile { name: "anna".into(), ..Default::default() });
        step(&mut app, Action::Tick);
        let shown = screen(&app);
        // The stub judges nothing yet: every threshold is a question.
        assert!(shown.contains("? ECOG ≤ 1"), "{shown}");
        press(&mut app, &[Command::StartScreening]);
        type_text(&mut app, "P-2");
        enter(&mut app);
        assert!(
            app.message.as_deref().unwrap().contains("answers suggested from profile anna"),
            "{:?}",
            app.message
        );
    }
}
