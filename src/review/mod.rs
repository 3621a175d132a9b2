//! Month close (review): the city average, the below-average list of county
//! clerks, consecutive flags and the in-person retest. So far: the exact rules,
//! the live list for a month with its scope, export and CLI report, and the
//! supervisors' follow-up of each listed clerk (`case`); closing a month and
//! the automatic retest marking come with the rest of month close.

pub mod case;
pub mod close;
pub mod import;
pub mod model;
pub mod routes;
pub mod rules;

/// What the review does when an attempt is graded (its score set, or left
/// empty while marking is pending): the one door from exams into the review,
/// so the exam feature does not reach into review internals. Today: a
/// flagged clerk's in-person retest records its score on their case (rule 4).
pub fn on_attempt_finalised(
    conn: &mut crate::db::Conn,
    attempt_id: i32,
    score: Option<i32>,
) -> diesel::QueryResult<()> {
    case::record_retest(conn, attempt_id, score)
}
