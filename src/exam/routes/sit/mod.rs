//! The candidate's side: the start page, sitting the exam (every answer saved
//! as given), submitting, and the result and review once the window closes.

use serde::Serialize;

use crate::bank::question::{format_points, Answer, Question};
use crate::db::{now, write, Conn};
use crate::domain::Month;
use crate::exam::model::{Attempt, AttemptStatus, Exam};
use crate::exam::paper;
use crate::exam::rules::{self, Phase};
use crate::review::import::SUBMITTED_BY_IMPORT;
use crate::time::local_display;
use crate::web::{msg, AppError, AppResult};

pub mod home;
pub mod paper_page;
pub mod review;
pub mod save;
pub mod start;
pub mod start_page;
pub mod submit;

/// An attempt whose deadline and grace passed is submitted when anyone looks
/// at it (the periodic sweep catches the rest).
fn close_if_due(conn: &mut Conn, attempt: Attempt, grace: i64) -> AppResult<Attempt> {
    if attempt.status == AttemptStatus::InProgress && !rules::accepts_saves(now(), attempt.deadline_at, grace)
    {
        write(conn, |conn| Attempt::submit(conn, attempt.id, "deadline", now()))?;
        return Ok(Attempt::find(conn, attempt.id)?);
    }
    Ok(attempt)
}

/// The candidate's own attempt (someone else's is "not found", never "forbidden").
fn own_attempt(conn: &mut Conn, id: i32, user_id: i32) -> AppResult<(Attempt, Exam)> {
    let attempt = Attempt::find(conn, id)?;
    if attempt.user_id != user_id {
        return Err(AppError::NotFound);
    }
    let exam = Exam::find(conn, attempt.exam_id)?;
    let attempt = close_if_due(conn, attempt, i64::from(exam.grace_seconds))?;
    Ok((attempt, exam))
}

fn question_count(exam: &Exam) -> usize {
    match exam.paper_rule() {
        Ok(paper::PaperRule::Fixed { items }) => items.len(),
        Ok(paper::PaperRule::Sections { sections, .. }) => sections.iter().map(|s| s.count).sum(),
        Err(_) => 0,
    }
}

#[derive(Serialize)]
struct ExamView {
    id: i32,
    title: String,
    month: Month,
    kind: &'static str,
    phase: Phase,
    phase_label: &'static str,
    opens_at: String,
    closes_at: String,
    time_limit: i32,
    questions: usize,
    pass_mark: String,
    review: String,
    /// Results-only (imported): nothing to sit.
    imported: bool,
}

fn exam_view(exam: &Exam) -> ExamView {
    let phase = exam.phase(now());
    ExamView {
        id: exam.id,
        title: exam.title.clone(),
        month: exam.month,
        kind: exam.kind_label(),
        phase,
        phase_label: phase.label(),
        opens_at: local_display(exam.opens_at),
        closes_at: local_display(exam.closes_at),
        time_limit: exam.time_limit_minutes,
        questions: question_count(exam),
        pass_mark: format_points(i64::from(exam.pass_mark)),
        review: exam.review.code().to_string(),
        imported: exam.is_results_only(),
    }
}

#[derive(Serialize)]
struct AttemptView {
    id: i32,
    in_progress: bool,
    started_at: String,
    deadline_at: String,
    submitted_at: Option<String>,
    submitted_by: &'static str,
    score: Option<String>,
    passed: Option<bool>,
    marking_pending: bool,
}

fn attempt_view(a: &Attempt, pass_mark: i32) -> AttemptView {
    AttemptView {
        id: a.id,
        in_progress: a.status == AttemptStatus::InProgress,
        started_at: local_display(a.started_at),
        deadline_at: local_display(a.deadline_at),
        submitted_at: a.submitted_at.map(local_display),
        submitted_by: match a.submitted_by.as_deref() {
            Some("deadline") => msg::EXAM_SUBMITTED_BY_DEADLINE,
            Some("sitting") => msg::EXAM_SUBMITTED_BY_SITTING,
            Some(SUBMITTED_BY_IMPORT) => msg::RESULTS_SUBMITTED_BY_IMPORT,
            _ => msg::EXAM_SUBMITTED_BY_SELF,
        },
        // Scores always with two decimals (79.00, 60.66), as every list shows them.
        score: a.score.map(|s| crate::domain::score::two_decimals(i64::from(s))),
        passed: a.score.map(|s| s >= pass_mark),
        marking_pending: a.marking_pending,
    }
}

fn blanks_of(q: &Question) -> usize {
    match &q.answer {
        Answer::Blanks(groups) => groups.len(),
        _ => 0,
    }
}
