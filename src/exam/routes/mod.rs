//! The trainer's pages and actions, one file per action (the candidate's
//! side is [`sit`]). Every route is declared in `src/routes.rs`.

use actix_web::http::StatusCode;

use super::model::{Attempt, Exam};
use crate::db::Conn;
use crate::web::{AppError, AppResult, FieldErrors};
use crate::AppState;

pub mod attempt;
pub mod form;
pub mod list;
pub mod marking;
pub mod people;
pub mod preview;
pub mod publish;
pub mod results;
pub mod show;
pub mod sit;
pub mod sittings;
pub mod statistics;
pub mod time;

/// Whether exam `id` is results-only (imported). Its source never changes, so
/// checking before an action's own transaction is enough.
async fn results_only(state: &AppState, id: i32) -> AppResult<bool> {
    state.db(move |conn| Ok(Exam::find(conn, id)?.is_results_only())).await
}

/// The attempt of this exam (an attempt id from another exam is "not found").
fn attempt_of_exam(conn: &mut Conn, exam_id: i32, attempt_id: i32) -> AppResult<Attempt> {
    let attempt = Attempt::find(conn, attempt_id)?;
    if attempt.exam_id != exam_id {
        return Err(AppError::NotFound);
    }
    Ok(attempt)
}

/// A form page's status: 422 when it comes back with problems.
fn form_status(errors: &FieldErrors) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// Minutes of a reopen or extra time: at most [`super::key::MAX_MINUTES`] at once.
fn minutes(text: &str) -> Option<i32> {
    text.trim().parse::<i32>().ok().filter(|m| (1..=super::key::MAX_MINUTES).contains(m))
}

/// The shortage lines of a rule whose pool cannot fill every section.
fn shortage_lines(short: &[super::paper::Shortage]) -> Vec<String> {
    short.iter().map(|s| crate::web::msg::exam_shortage(&s.title, s.wanted, s.available)).collect()
}
