//! Checking a recorded call as typed: every field, the second scoring of a
//! call for calibration, and the rubric's scores. Pure: what the database
//! knows comes in as [`Facts`].

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::{parse_mark, score, Item, Mark, ScoreError};
use crate::domain::{BadMonth, Month};
use crate::phone::model::{Call, NewCall};
use crate::web::form::{add_error, FieldErrors, WHOLE_FORM};
use crate::web::msg;

/// The recording form as typed (every field text, so it can be shown again).
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
pub struct CallDraft {
    pub month: String,
    pub called_at: String,
    pub hall_id: String,
    pub clerk: String,
    pub scenario_id: String,
    pub rings: String,
    pub duration: String,
    pub notes: String,
    pub recording_ref: String,
    pub second_of: String,
    pub rubric_version_id: String,
}

impl CallDraft {
    /// The form's fields, trimmed (the notes as typed).
    pub fn of(f: &HashMap<String, String>) -> CallDraft {
        let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
        CallDraft {
            month: get("month"),
            called_at: get("called_at"),
            hall_id: get("hall_id"),
            clerk: get("clerk"),
            scenario_id: get("scenario_id"),
            rings: get("rings"),
            duration: get("duration"),
            notes: f.get("notes").cloned().unwrap_or_default(),
            recording_ref: get("recording_ref"),
            second_of: get("second_of"),
            rubric_version_id: get("rubric_version_id"),
        }
    }

    /// The second scoring takes the hall, clerk, time and scenario of the first.
    pub fn second_of(self, first: &Call) -> CallDraft {
        CallDraft {
            month: first.month.to_string(),
            called_at: crate::time::local_input(first.called_at),
            hall_id: first.hall_id.to_string(),
            clerk: first.clerk_id.map(|c| c.to_string()).unwrap_or_else(|| "none".into()),
            scenario_id: first.scenario_id.map(|s| s.to_string()).unwrap_or_default(),
            second_of: first.id.to_string(),
            ..self
        }
    }
}

/// What the database says about a draft (already [`CallDraft::second_of`]
/// its first call, if any).
#[derive(Debug, Clone)]
pub struct Facts {
    /// The tester.
    pub me: i32,
    pub now: NaiveDateTime,
    /// The call to score again, when `second_of` is a number: None when it does not exist.
    pub first: Option<Option<Call>>,
    /// The current rubric version: id and items.
    pub version: (i32, Vec<Item>),
    /// The typed hall, when it is one.
    pub hall: Option<i32>,
    /// The typed clerk's hall and whether they are active, when found.
    pub clerk: Option<(Option<i32>, bool)>,
    /// Whether the typed scenario exists (None: none typed).
    pub scenario_found: Option<bool>,
}

/// The message for a scoring error (`items` give the points of an item out of range).
pub fn score_error(e: &ScoreError, items: &[Item]) -> String {
    let points = |name: &str| items.iter().find(|i| i.name == name).map(|i| i.points).unwrap_or(0);
    match e {
        ScoreError::Missing(name) => msg::phone_score_missing(name),
        ScoreError::OutOfRange(name) => msg::phone_score_range(name, points(name)),
        ScoreError::NotApplicableRefused(name) => msg::phone_na_refused(name),
        ScoreError::NothingApplicable => msg::PHONE_NOTHING_APPLICABLE.to_string(),
        ScoreError::Unknown(code) => msg::phone_unknown_item(code),
    }
}

/// The scores' fieldset: the key of every scoring error.
pub const SCORES: &str = "scores";

/// The call to store, or the draft and every error under its field (the
/// form's field names; [`SCORES`] for the marks, [`WHOLE_FORM`] for the rubric
/// and the second scoring).
// The draft goes back to the form, once per request: its size does not matter.
#[allow(clippy::result_large_err)]
pub fn check_call(
    d: CallDraft,
    f: &HashMap<String, String>,
    facts: &Facts,
) -> Result<NewCall, (CallDraft, FieldErrors)> {
    let mut errors = FieldErrors::new();
    let second_of = first_errors(facts, &mut errors);
    let (version_id, items) = (facts.version.0, &facts.version.1);
    if d.rubric_version_id != version_id.to_string() {
        add_error(&mut errors, WHOLE_FORM, msg::PHONE_RUBRIC_CHANGED);
    }
    let called_at = when_errors(&d, facts.now, &mut errors);
    if facts.hall.is_none() {
        add_error(&mut errors, "hall_id", msg::PHONE_HALL);
    }
    let clerk = clerk_of(&d.clerk, facts, &mut errors);
    let scenario_id = d.scenario_id.parse::<i32>().ok();
    if facts.scenario_found == Some(false) {
        add_error(&mut errors, "scenario_id", msg::PHONE_SCENARIO_MISSING);
    }
    let marks = marks_of(f, items, &mut errors);
    let rings = d.rings.parse::<i32>().ok().filter(|r| (0..=30).contains(r));
    if rings.is_none() {
        add_error(&mut errors, "rings", msg::PHONE_RINGS);
    }
    let duration = d.duration.parse::<i32>().ok().filter(|s| (1..=3600).contains(s));
    if duration.is_none() {
        add_error(&mut errors, "duration", msg::PHONE_DURATION);
    }
    if d.notes.chars().count() > 1000 {
        add_error(&mut errors, "notes", msg::PHONE_NOTES);
    }
    if d.recording_ref.chars().count() > 200 {
        add_error(&mut errors, "recording_ref", msg::PHONE_RECORDING);
    }
    let (Some(called_at), Some(hall_id), Some(rings), Some(duration_seconds), Some(marks), true) =
        (called_at, facts.hall, rings, duration, marks, errors.is_empty())
    else {
        return Err((d, errors));
    };
    Ok(NewCall {
        called_at,
        hall_id,
        clerk_id: clerk,
        tester_id: facts.me,
        scenario_id: scenario_id.filter(|_| facts.scenario_found == Some(true)),
        rubric_version_id: version_id,
        marks,
        rings,
        duration_seconds,
        notes: d.notes.trim().to_string(),
        recording_ref: d.recording_ref,
        second_of,
    })
}

/// The first call's id, when this scores it again and it exists.
fn first_errors(facts: &Facts, errors: &mut FieldErrors) -> Option<i32> {
    match &facts.first {
        None => None,
        Some(None) => {
            add_error(errors, WHOLE_FORM, msg::PHONE_SECOND_MISSING);
            None
        }
        Some(Some(first)) => {
            if first.tester_id == facts.me {
                add_error(errors, WHOLE_FORM, msg::PHONE_SECOND_SAME_TESTER);
            }
            if first.second_of.is_some() {
                add_error(errors, WHOLE_FORM, msg::PHONE_SECOND_OF_SECOND);
            }
            Some(first.id)
        }
    }
}

/// The tested month and the call's time in it, not in the future.
fn when_errors(d: &CallDraft, now: NaiveDateTime, errors: &mut FieldErrors) -> Option<NaiveDateTime> {
    // The month as typed (trimmed): one outside 2000–2099 is refused, yet the
    // time is still checked against it, so the form says everything at once.
    let month = match Month::parse(&d.month) {
        Ok(_) => Some(d.month.trim()),
        Err(BadMonth::OutOfRange) => {
            add_error(errors, "month", msg::MONTH_OUT_OF_RANGE);
            Some(d.month.trim())
        }
        Err(BadMonth::Malformed) => {
            add_error(errors, "month", msg::PHONE_MONTH);
            None
        }
    };
    let called_at = crate::time::parse_local_input(&d.called_at);
    match (called_at, month) {
        (None, _) => add_error(errors, "called_at", msg::PHONE_TIME),
        (Some(at), _) if at > now => add_error(errors, "called_at", msg::PHONE_TIME_FUTURE),
        (Some(at), Some(m)) if crate::time::local_month(at) != m => {
            add_error(errors, "called_at", msg::phone_time_outside(m))
        }
        _ => {}
    }
    called_at
}

/// The clerk answering: "none" for nobody, else one of the hall's active staff.
fn clerk_of(typed: &str, facts: &Facts, errors: &mut FieldErrors) -> Option<i32> {
    match typed {
        "" => {
            add_error(errors, "clerk", msg::PHONE_CLERK_MISSING);
            None
        }
        "none" => None,
        text => match facts.clerk {
            Some((Some(h), true)) if Some(h) == facts.hall => text.parse().ok(),
            _ => {
                if facts.hall.is_some() {
                    add_error(errors, "clerk", msg::PHONE_CLERK_HALL);
                }
                None
            }
        },
    }
}

/// The marks typed for `items` (None when one cannot be read), and the
/// scoring's verdict on them.
fn marks_of(
    f: &HashMap<String, String>,
    items: &[Item],
    errors: &mut FieldErrors,
) -> Option<Vec<(String, Mark)>> {
    let (mut marks, mut unreadable) = (Vec::new(), false);
    for it in items {
        if f.contains_key(&format!("na_{}", it.code)) {
            marks.push((it.code.clone(), Mark::NotApplicable));
            continue;
        }
        let text = f.get(&format!("score_{}", it.code)).map(|v| v.trim()).unwrap_or_default();
        if text.is_empty() {
            continue; // scoring reports it missing
        }
        match parse_mark(text) {
            Some(Mark::Score(s)) => marks.push((it.code.clone(), Mark::Score(s))),
            _ => {
                unreadable = true;
                add_error(errors, SCORES, msg::phone_score_format(&it.name));
            }
        }
    }
    if unreadable {
        return None;
    }
    if let Err(e) = score(items, &marks) {
        add_error(errors, SCORES, score_error(&e, items));
    }
    Some(marks)
}

#[cfg(test)]
mod tests;
