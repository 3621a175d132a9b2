//! Reopening a submitted attempt and giving a running one extra time, each
//! with a reason, audited (a crash, a power cut in the hall).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{attempt_of_exam, minutes, results_only};
use crate::db::{now, Conn};
use crate::exam::model::{Attempt, AttemptStatus, Exam, ExamPerson, Sitting, SittingStatus};
use crate::exam::refusal::ExamRefusal;
use crate::exam::{exposure, key};
use crate::web::action::{self, Actor, Done};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct TimeForm {
    minutes: String,
    reason: String,
}

/// POST /exams/{id}/attempts/{attempt_id}/reopen: a submitted attempt gets
/// `minutes` more from now.
pub async fn reopen(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: web::Form<TimeForm>,
) -> AppResult<HttpResponse> {
    change_time(ctx, req, state, path.into_inner(), form.into_inner(), true).await
}

/// POST /exams/{id}/attempts/{attempt_id}/extra-time: a running attempt's
/// deadline moves by `minutes`.
pub async fn extra_time(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: web::Form<TimeForm>,
) -> AppResult<HttpResponse> {
    change_time(ctx, req, state, path.into_inner(), form.into_inner(), false).await
}

async fn change_time(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    (exam_id, attempt_id): (i32, i32),
    form: TimeForm,
    reopen: bool,
) -> AppResult<HttpResponse> {
    let back = format!("/exams/{exam_id}/attempts/{attempt_id}");
    if results_only(&state, exam_id).await? {
        return Ok(action::refuse(&ctx, &back, ExamRefusal::ResultsOnly));
    }
    let reason = form.reason.trim().to_string();
    let m = match (reason.is_empty(), minutes(&form.minutes)) {
        (true, _) => return Ok(action::refuse(&ctx, &back, ExamRefusal::ReasonRequired)),
        (_, None) => return Ok(action::refuse(&ctx, &back, ExamRefusal::BadMinutes)),
        (false, Some(m)) => m,
    };
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let attempt = attempt_of_exam(conn, exam_id, attempt_id)?;
        if let Err(why) = may_change_time(conn, exam_id, &attempt)? {
            return Ok(Err(why));
        }
        let staff = crate::accounts::User::find(conn, attempt.user_id)?.staff_no.unwrap_or_default();
        let change = Change { exam_id, attempt, minutes: m, staff, reason };
        Ok(if reopen { reopen_attempt(conn, actor, change)? } else { give_time(conn, actor, change)? })
    })
    .await
}

/// Rule 10: an attempt that could be answered from a seen key stays shut
/// (under the exam's lock, so no review slips between); and an in-person
/// attempt belongs to its room: once the room has closed it is not opened
/// again from elsewhere.
fn may_change_time(conn: &mut Conn, exam_id: i32, attempt: &Attempt) -> AppResult<Result<(), ExamRefusal>> {
    Exam::lock(conn, exam_id)?;
    if let Err(why) = key::may_give_time(exposure::exam_revealed(conn, exam_id)?.0) {
        return Ok(Err(why));
    }
    if let Some(sitting) = attempt.sitting_id {
        if Sitting::find(conn, sitting)?.status != SittingStatus::Open {
            return Ok(Err(ExamRefusal::SittingClosed));
        }
    }
    Ok(Ok(()))
}

/// One reopen or extra-time grant, checked.
struct Change {
    exam_id: i32,
    attempt: Attempt,
    minutes: i32,
    staff: String,
    reason: String,
}

fn reopen_attempt(conn: &mut Conn, actor: &Actor, c: Change) -> AppResult<Result<Done, ExamRefusal>> {
    if c.attempt.status != AttemptStatus::Submitted {
        return Ok(Err(ExamRefusal::NotSubmittedYet));
    }
    let deadline = now() + chrono::Duration::minutes(i64::from(c.minutes));
    Attempt::reopen(conn, c.attempt.id, deadline)?;
    let detail =
        format!("考试 #{} 工号 {}：重新开放 {} 分钟；原因：{}", c.exam_id, c.staff, c.minutes, c.reason);
    actor.audit(conn, "attempt_reopened", &detail)?;
    Ok(Ok(Done::flash(msg::EXAM_REOPENED)))
}

fn give_time(conn: &mut Conn, actor: &Actor, c: Change) -> AppResult<Result<Done, ExamRefusal>> {
    if c.attempt.status != AttemptStatus::InProgress {
        return Ok(Err(ExamRefusal::AttemptClosed));
    }
    let deadline = c.attempt.deadline_at + chrono::Duration::minutes(i64::from(c.minutes));
    Attempt::set_deadline(conn, c.attempt.id, deadline)?;
    ExamPerson::upsert(conn, c.exam_id, c.attempt.user_id, |p| p.extra_minutes += c.minutes)?;
    let detail = format!("考试 #{} 工号 {}：延长 {} 分钟；原因：{}", c.exam_id, c.staff, c.minutes, c.reason);
    actor.audit(conn, "attempt_extra_time", &detail)?;
    Ok(Ok(Done::flash(msg::EXAM_EXTRA_TIME_GIVEN)))
}
