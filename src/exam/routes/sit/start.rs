//! POST /my/exams/{id}/start: draws the candidate's paper and starts the clock.

use std::collections::HashSet;
use std::net::IpAddr;

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;

use super::start_page::{standing, usable_sitting};
use crate::auth::CurrentUser;
use crate::db::{now, write, Conn};
use crate::exam::model::{self, Attempt, AttemptStatus, Exam, ExamPerson, ExamStatus, Sitting};
use crate::exam::paper::{self, PaperRule, PoolQuestion};
use crate::exam::refusal::ExamRefusal;
use crate::exam::rules::{self, Refusal};
use crate::schema::audit_log;
use crate::time::local_display;
use crate::web::{action, client_addr, client_ip, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

/// The audit action of a wrong sitting code (also what throttles guessing).
const CODE_FAILED: &str = "sitting_code_failed";

#[derive(Deserialize)]
pub struct StartForm {
    code: Option<String>,
}

pub async fn start(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<StartForm>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (ip, ip_text) = (client_addr(&req), client_ip(&req));
    let id = path.into_inner();
    let code = form.into_inner().code.filter(|c| !c.trim().is_empty());
    // Read before the write lock: at the 09:00 spike the exposure counts must
    // not hold up every other writer.
    let me_id = me.id;
    let inputs = state.db(move |conn| paper_inputs(conn, id, me_id)).await?;
    let request = Request { me, ip, ip_text, code };
    // Not `action::act`: a wrong code's audit line must stay although the
    // start is refused (it is what throttles guessing).
    let outcome = state.db(move |conn| write(conn, |conn| begin(conn, id, &request, inputs))).await?;
    match outcome {
        Ok(attempt) => Ok(redirect(&format!("/exam/attempts/{attempt}"))),
        Err(refusal) => Ok(action::refuse(&ctx, &format!("/my/exams/{id}"), refusal)),
    }
}

/// Who asks to start, from where, with which sitting code.
struct Request {
    me: CurrentUser,
    ip: Option<IpAddr>,
    ip_text: String,
    code: Option<String>,
}

/// Starts (or finds running) the candidate's attempt; its id.
fn begin(
    conn: &mut Conn,
    id: i32,
    r: &Request,
    inputs: Option<PaperInputs>,
) -> AppResult<Result<i32, ExamRefusal>> {
    let exam = Exam::find(conn, id)?;
    if exam.status != ExamStatus::Published {
        return Err(AppError::NotFound);
    }
    if exam.is_results_only() {
        return Ok(Err(ExamRefusal::ResultsOnlyStart));
    }
    if let Some(a) = running(conn, exam.id, r.me.id)? {
        return Ok(Ok(a));
    }
    if let Some(code) = &r.code {
        if let Err(refusal) = check_code(conn, exam.id, r, code)? {
            return Ok(Err(refusal));
        }
    }
    let standing = standing(conn, &exam, r.me.id, r.me.hall_id, r.ip, r.code.as_deref())?;
    if let Some(a) = standing.attempt.as_ref().filter(|a| a.status == AttemptStatus::InProgress) {
        return Ok(Ok(a.id));
    }
    if let Err(refusal) = rules::check_start(&standing.check) {
        return Ok(Err(ExamRefusal::Start(refusal)));
    }
    let sitting = match &r.code {
        Some(code) if standing.check.in_person => usable_sitting(conn, exam.id, code)?,
        _ => None,
    };
    let inputs = inputs.ok_or(AppError::NotFound)?;
    Ok(Ok(draw_and_start(conn, &exam, &r.me, inputs, sitting.map(|s| s.id))?))
}

/// The candidate's attempt of the exam if it is running.
fn running(conn: &mut Conn, exam_id: i32, user_id: i32) -> AppResult<Option<i32>> {
    Ok(Attempt::of(conn, exam_id, user_id)?.filter(|a| a.status == AttemptStatus::InProgress).map(|a| a.id))
}

/// A typed sitting code: throttled, too early, or wrong (recorded, counted
/// before any other refusal, so no state of the exam lets codes be tried
/// without limit).
fn check_code(conn: &mut Conn, exam_id: i32, r: &Request, code: &str) -> AppResult<Result<(), ExamRefusal>> {
    if let Some(refusal) = code_refusal(conn, exam_id, r.me.id, code)? {
        return Ok(Err(refusal));
    }
    if Sitting::open_with_code(conn, exam_id, code)?.is_none() {
        crate::audit::record(conn, Some(r.me.id), CODE_FAILED, &format!("考试 #{exam_id}"), &r.ip_text)?;
        return Ok(Err(ExamRefusal::Start(Refusal::BadSittingCode)));
    }
    Ok(Ok(()))
}

/// Why a typed code cannot be tried now: too many wrong ones lately, or the
/// right code too early (the refusal says from when).
fn code_refusal(conn: &mut Conn, exam_id: i32, user_id: i32, code: &str) -> AppResult<Option<ExamRefusal>> {
    let since = now() - chrono::Duration::minutes(rules::CODE_WINDOW_MINUTES);
    let wrong: i64 = audit_log::table
        .filter(audit_log::actor_id.eq(user_id))
        .filter(audit_log::action.eq(CODE_FAILED))
        .filter(audit_log::at.gt(since))
        .count()
        .get_result(conn)?;
    if wrong >= rules::CODE_MAX_FAILURES {
        return Ok(Some(ExamRefusal::CodeThrottled));
    }
    Ok(Sitting::open_with_code(conn, exam_id, code)?
        .filter(|s| !rules::sitting_code_valid(now(), s.starts_at))
        .map(|s| {
            let from = s.starts_at - chrono::Duration::minutes(rules::SITTING_EARLY_MINUTES);
            ExamRefusal::SittingNotYet(local_display(from))
        }))
}

type PaperInputs = (PaperRule, Vec<PoolQuestion>, HashSet<i32>);

/// What a candidate's paper is drawn from: the rule, the pool with its
/// exposure as at the exam's opening (frozen for the window), and the
/// questions whose key this candidate has seen. None for an exam without a
/// paper (not published, results only).
fn paper_inputs(conn: &mut Conn, exam_id: i32, user_id: i32) -> AppResult<Option<PaperInputs>> {
    let exam = Exam::find(conn, exam_id)?;
    if exam.status != ExamStatus::Published || exam.is_results_only() {
        return Ok(None);
    }
    let rule = exam.paper_rule()?;
    let pool = model::pool_as_of(conn, &rule, exam.opens_at.min(now()))?;
    Ok(Some((rule, pool, crate::exam::exposure::seen_by(conn, user_id)?)))
}

/// Draws the candidate's paper and starts the clock (their extra time on top).
fn draw_and_start(
    conn: &mut Conn,
    exam: &Exam,
    me: &CurrentUser,
    (rule, pool, seen): PaperInputs,
    sitting: Option<i32>,
) -> AppResult<i32> {
    // A practice exam's next round draws another paper (every other exam has one round).
    let round = Attempt::all_of(conn, exam.id, me.id)?.len() as u64;
    let seed = (exam.seed as u64).wrapping_add(round);
    let drawn = paper::compose(&rule, &pool, seed, me.id, &seen).map_err(|short| {
        tracing::error!(exam = exam.id, ?short, "paper cannot be composed");
        AppError::Conflict(msg::EXAM_CANNOT_PUBLISH_SHORT.to_string())
    })?;
    let extra = ExamPerson::find(conn, exam.id, me.id)?.map(|p| p.extra_minutes).unwrap_or(0);
    let started = now();
    let deadline =
        rules::deadline(started, i64::from(exam.time_limit_minutes), exam.closes_at, i64::from(extra));
    let token = model::new_device_token();
    Ok(Attempt::start(conn, exam.id, me.id, me.hall_id, &drawn, started, deadline, &token, sitting)?)
}
