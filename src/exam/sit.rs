//! The candidate's side: the start page, sitting the exam (every answer saved
//! as given), submitting, and the result and review once the window closes.

use std::net::IpAddr;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::answer::{self, Shown};
use super::compose::Fields;
use super::model::{self, Attempt, Exam, ExamPerson, SaveOutcome, Sitting, Tree, IN_PROGRESS};
use super::paper;
use super::rules::{self, Phase, StartCheck};
use super::writer::Save;
use crate::bank::question::{format_points, letter, Answer, Kind, Question};
use crate::db::{now, write, Conn};
use crate::review::import::{is_results_only, SUBMITTED_BY_IMPORT};
use crate::time::local_display;
use crate::web::{client_addr, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

/// An attempt whose deadline and grace passed is submitted when anyone looks
/// at it (the periodic sweep catches the rest).
fn close_if_due(conn: &mut Conn, attempt: Attempt, grace: i64) -> AppResult<Attempt> {
    if attempt.status == IN_PROGRESS && !rules::accepts_saves(now(), attempt.deadline_at, grace) {
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
    month: String,
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
        month: exam.month.clone(),
        kind: exam.kind_label(),
        phase,
        phase_label: phase.label(),
        opens_at: local_display(exam.opens_at),
        closes_at: local_display(exam.closes_at),
        time_limit: exam.time_limit_minutes,
        questions: question_count(exam),
        pass_mark: format_points(i64::from(exam.pass_mark)),
        review: exam.review.clone(),
        imported: is_results_only(exam),
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
        in_progress: a.status == IN_PROGRESS,
        started_at: local_display(a.started_at),
        deadline_at: local_display(a.deadline_at),
        submitted_at: a.submitted_at.map(local_display),
        submitted_by: match a.submitted_by.as_deref() {
            Some("deadline") => msg::EXAM_SUBMITTED_BY_DEADLINE,
            Some("sitting") => msg::EXAM_SUBMITTED_BY_SITTING,
            Some(SUBMITTED_BY_IMPORT) => msg::RESULTS_SUBMITTED_BY_IMPORT,
            _ => msg::EXAM_SUBMITTED_BY_SELF,
        },
        score: a.score.map(|s| format_points(i64::from(s))),
        passed: a.score.map(|s| s >= pass_mark),
        marking_pending: a.marking_pending,
    }
}

/// What a candidate's start page needs to know about them.
struct Standing {
    attempt: Option<Attempt>,
    check: StartCheck,
}

fn standing(
    conn: &mut Conn,
    exam: &Exam,
    user_id: i32,
    hall_id: Option<i32>,
    ip: Option<IpAddr>,
    code: Option<&str>,
) -> AppResult<Standing> {
    let tree = Tree::load(conn)?;
    let attempt = match Attempt::of(conn, exam.id, user_id)? {
        Some(a) => Some(close_if_due(conn, a, i64::from(exam.grace_seconds))?),
        None => None,
    };
    let person = ExamPerson::find(conn, exam.id, user_id)?;
    let area = tree.area_of(hall_id).map(|a| a.id);
    let sitting_ok = match code {
        Some(code) => Some(usable_sitting(conn, exam.id, code)?.is_some()),
        None => None,
    };
    let check = StartCheck {
        phase: exam.phase(now()),
        now: now(),
        earliest: rules::earliest_start(exam.opens_at, &exam.stagger(), area, exam.seed as u64, user_id),
        in_audience: model::in_audience(conn, exam, user_id, hall_id, &tree)?,
        has_attempt: attempt.is_some(),
        ip_allowed: rules::ip_allowed(&exam.allowed_ips, ip),
        in_person: person.is_some_and(|p| p.in_person),
        sitting_ok,
    };
    Ok(Standing { attempt, check })
}

/// The open sitting this code names, if it may start attempts now.
fn usable_sitting(conn: &mut Conn, exam_id: i32, code: &str) -> AppResult<Option<Sitting>> {
    Ok(Sitting::open_with_code(conn, exam_id, code)?
        .filter(|s| rules::sitting_code_valid(now(), s.starts_at)))
}

/// Why a typed code cannot be tried now: too many wrong ones lately, or the
/// right code too early (the message says from when).
fn code_refusal(conn: &mut Conn, exam_id: i32, user_id: i32, code: &str) -> AppResult<Option<String>> {
    use crate::schema::audit_log;
    use diesel::prelude::*;
    let since = now() - chrono::Duration::minutes(rules::CODE_WINDOW_MINUTES);
    let wrong: i64 = audit_log::table
        .filter(audit_log::actor_id.eq(user_id))
        .filter(audit_log::action.eq(CODE_FAILED))
        .filter(audit_log::at.gt(since))
        .count()
        .get_result(conn)?;
    if wrong >= rules::CODE_MAX_FAILURES {
        return Ok(Some(msg::EXAM_SITTING_CODE_THROTTLED.to_string()));
    }
    Ok(Sitting::open_with_code(conn, exam_id, code)?
        .filter(|s| !rules::sitting_code_valid(now(), s.starts_at))
        .map(|s| {
            let from = s.starts_at - chrono::Duration::minutes(rules::SITTING_EARLY_MINUTES);
            msg::exam_sitting_not_yet(&local_display(from))
        }))
}

type PaperInputs = (paper::PaperRule, Vec<paper::PoolQuestion>, std::collections::HashSet<i32>);

/// What a candidate's paper is drawn from: the rule, the pool with its
/// exposure as at the exam's opening (frozen for the window), and the
/// questions whose key this candidate has seen. None for an exam without a
/// paper (not published, results only).
fn paper_inputs(conn: &mut Conn, exam_id: i32, user_id: i32) -> AppResult<Option<PaperInputs>> {
    let exam = Exam::find(conn, exam_id)?;
    if exam.status != model::PUBLISHED || is_results_only(&exam) {
        return Ok(None);
    }
    let rule = exam.paper_rule()?;
    let pool = model::pool_as_of(conn, &rule, exam.opens_at.min(now()))?;
    Ok(Some((rule, pool, super::exposure::seen_by(conn, user_id)?)))
}

/// The audit action of a wrong sitting code (also what throttles guessing).
const CODE_FAILED: &str = "sitting_code_failed";

/// GET /my/exams/{id}: the rules before starting, the state after.
pub async fn start_page(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let ip = client_addr(&req);
    let id = path.into_inner();
    let (exam, standing, result, key) = state
        .db(move |conn| {
            let exam = Exam::find(conn, id)?;
            if exam.status != model::PUBLISHED {
                return Err(AppError::NotFound);
            }
            let standing = standing(conn, &exam, me.id, me.hall_id, ip, None)?;
            // Ranks only once the window has closed and the exam allows it.
            let result = match &standing.attempt {
                Some(a)
                    if exam.phase(now()) == Phase::Closed
                        && exam.review().shows_score()
                        && a.score.is_some() =>
                {
                    model::results(conn, &exam)?.into_iter().find(|r| r.person.id == me.id)
                }
                _ => None,
            };
            let key = match exam.phase(now()) == Phase::Closed && exam.review().shows_paper() {
                true if exam.over_for_everyone(conn)? => Some(None),
                true => Some(Some(exam.key_visible_from(conn)?)),
                false => None,
            };
            Ok((exam, standing, result, key))
        })
        .await?;
    if !standing.check.in_audience && standing.attempt.is_none() {
        return Err(AppError::NotFound);
    }
    let mut c = Context::new();
    c.insert("exam", &exam_view(&exam));
    let closed = exam.phase(now()) == Phase::Closed;
    c.insert("closed", &closed);
    if let Some(a) = &standing.attempt {
        let mut view = attempt_view(a, exam.pass_mark);
        if !closed || !exam.review().shows_score() {
            // Before the window closes a candidate sees only "submitted".
            view.score = None;
            view.passed = None;
        }
        c.insert("attempt", &view);
    }
    if let Some(r) = result {
        c.insert("ranks", &(r.rank_hall, r.rank_area, r.rank_city));
    }
    // The paper once no attempt can change; until then, when that will be.
    let submitted = standing.attempt.as_ref().is_some_and(|a| a.status != IN_PROGRESS);
    c.insert("can_review", &(submitted && key == Some(None)));
    c.insert("review_label", &exam.review().label());
    c.insert("key_from", &key.flatten().filter(|_| submitted).map(local_display));
    let refusal = rules::check_start(&standing.check).err();
    if is_results_only(&exam) {
        // Nothing to start: the page shows the imported score, or 缺考.
        c.insert("can_start", &false);
        c.insert("needs_code", &false);
        c.insert("in_person", &false);
        c.insert("refusal", &Some(msg::EXAM_RESULTS_ONLY_START));
        return ctx.render("exam/start.html", c);
    }
    c.insert(
        "needs_code",
        &(standing.check.in_person
            && refusal.as_ref().is_some_and(|r| *r == rules::Refusal::SittingRequired)),
    );
    c.insert("can_start", &refusal.is_none());
    c.insert("in_person", &standing.check.in_person);
    c.insert(
        "refusal",
        &refusal
            .filter(|r| *r != rules::Refusal::SittingRequired && *r != rules::Refusal::AlreadyStarted)
            .map(|r| r.message()),
    );
    ctx.render("exam/start.html", c)
}

#[derive(Deserialize)]
pub struct StartForm {
    code: Option<String>,
}

/// POST /my/exams/{id}/start: draws the candidate's paper and starts the clock.
pub async fn start(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<StartForm>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (ip, ip_text) = (client_addr(&req), crate::web::client_ip(&req));
    let id = path.into_inner();
    let code = form.into_inner().code.filter(|c| !c.trim().is_empty());
    // Read before the write lock: at the 09:00 spike the exposure counts must
    // not hold up every other writer.
    let me_id = me.id;
    let inputs = state.db(move |conn| paper_inputs(conn, id, me_id)).await?;
    let outcome = state
        .db(move |conn| {
            write(conn, |conn| {
                let exam = Exam::find(conn, id)?;
                if exam.status != model::PUBLISHED {
                    return Err(AppError::NotFound);
                }
                if is_results_only(&exam) {
                    return Ok(Err(msg::EXAM_RESULTS_ONLY_START.to_string()));
                }
                if let Some(a) = Attempt::of(conn, exam.id, me.id)? {
                    if a.status == IN_PROGRESS {
                        return Ok(Ok(a.id));
                    }
                }
                if let Some(code) = &code {
                    if let Some(refusal) = code_refusal(conn, exam.id, me.id, code)? {
                        return Ok(Err(refusal));
                    }
                    // Counted before any other refusal, so no state of the exam
                    // lets codes be tried without limit.
                    if Sitting::open_with_code(conn, exam.id, code)?.is_none() {
                        let detail = format!("考试 #{}", exam.id);
                        crate::audit::record(conn, Some(me.id), CODE_FAILED, &detail, &ip_text)?;
                        return Ok(Err(rules::Refusal::BadSittingCode.message()));
                    }
                }
                let standing = standing(conn, &exam, me.id, me.hall_id, ip, code.as_deref())?;
                if let Some(a) = &standing.attempt {
                    if a.status == IN_PROGRESS {
                        return Ok(Ok(a.id));
                    }
                }
                if let Err(refusal) = rules::check_start(&standing.check) {
                    return Ok(Err(refusal.message()));
                }
                let sitting = match &code {
                    Some(code) if standing.check.in_person => usable_sitting(conn, exam.id, code)?,
                    _ => None,
                };
                let (rule, pool, seen) = match inputs {
                    Some(inputs) => inputs,
                    None => return Err(AppError::NotFound),
                };
                let drawn = match paper::compose(&rule, &pool, exam.seed as u64, me.id, &seen) {
                    Ok(drawn) => drawn,
                    Err(short) => {
                        tracing::error!(exam = exam.id, ?short, "paper cannot be composed");
                        return Err(AppError::Conflict(msg::EXAM_CANNOT_PUBLISH_SHORT.to_string()));
                    }
                };
                let extra = ExamPerson::find(conn, exam.id, me.id)?.map(|p| p.extra_minutes).unwrap_or(0);
                let started = now();
                let deadline = rules::deadline(
                    started,
                    i64::from(exam.time_limit_minutes),
                    exam.closes_at,
                    i64::from(extra),
                );
                let attempt = Attempt::start(
                    conn,
                    exam.id,
                    me.id,
                    me.hall_id,
                    &drawn,
                    started,
                    deadline,
                    &model::new_device_token(),
                    sitting.map(|s| s.id),
                )?;
                Ok(Ok(attempt))
            })
        })
        .await?;
    match outcome {
        Ok(attempt) => Ok(redirect(&format!("/exam/attempts/{attempt}"))),
        Err(message) => {
            ctx.flash("error", message);
            Ok(redirect(&format!("/my/exams/{id}")))
        }
    }
}

/// One question as the exam page shows it: no key, no explanation.
#[derive(Serialize)]
struct SitItem {
    pos: i32,
    kind: &'static str,
    kind_label: &'static str,
    stem: String,
    points: String,
    options: Vec<(char, String)>,
    blanks: usize,
    shown: Shown,
    answered: bool,
    flagged: bool,
    saved: bool,
}

fn blanks_of(q: &Question) -> usize {
    match &q.answer {
        Answer::Blanks(groups) => groups.len(),
        _ => 0,
    }
}

fn sit_item(item: &model::Item, q: &Question) -> SitItem {
    let order = item.order();
    let response = item.response();
    SitItem {
        pos: item.position,
        kind: q.kind.code(),
        kind_label: q.kind.label(),
        stem: q.stem.clone(),
        points: format_points(i64::from(item.points)),
        options: order
            .iter()
            .enumerate()
            .map(|(i, o)| (letter(i), q.options.get(*o).cloned().unwrap_or_default()))
            .collect(),
        blanks: blanks_of(q),
        shown: answer::show(&order, response.as_ref(), blanks_of(q)),
        answered: response.is_some(),
        flagged: item.flagged,
        saved: item.saved_at.is_some(),
    }
}

/// GET /exam/attempts/{id}: the exam page. Opening it makes this tab the one
/// that holds the attempt; an older tab is told on its next save.
pub async fn sit(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let ip = client_addr(&req);
    let id = path.into_inner();
    let device = model::new_device_token();
    let token = device.clone();
    let (attempt, exam, paper) = state
        .db(move |conn| {
            let (mut attempt, exam) = own_attempt(conn, id, me)?;
            if attempt.status == IN_PROGRESS && now() >= attempt.deadline_at {
                // The grace is for saves already in flight, not for a new page.
                write(conn, |conn| Attempt::submit(conn, id, "deadline", now()))?;
                attempt = Attempt::find(conn, id)?;
            }
            if attempt.status != IN_PROGRESS {
                return Ok((attempt, exam, Vec::new()));
            }
            if !rules::ip_allowed(&exam.allowed_ips, ip) {
                return Err(AppError::Conflict(msg::EXAM_IP_NOT_ALLOWED.to_string()));
            }
            write(conn, |conn| Attempt::take_over(conn, id, &token))?;
            let paper = Attempt::paper(conn, id)?;
            Ok((attempt, exam, paper))
        })
        .await?;
    if attempt.status != IN_PROGRESS {
        return Ok(redirect(&format!("/my/exams/{}", exam.id)));
    }
    let items: Vec<SitItem> = paper.iter().map(|(item, q)| sit_item(item, q)).collect();
    let mut c = Context::new();
    c.insert("exam", &exam_view(&exam));
    c.insert("attempt", &attempt_view(&attempt, exam.pass_mark));
    c.insert("items", &items);
    c.insert("device", &device);
    c.insert("remaining", &rules::remaining_seconds(now(), attempt.deadline_at));
    c.insert("unanswered", &items.iter().filter(|i| !i.answered).count());
    ctx.render("exam/sit.html", c)
}

fn json(status: StatusCode, body: serde_json::Value) -> HttpResponse {
    HttpResponse::build(status).insert_header(("Cache-Control", "no-store")).json(body)
}

/// What saving into one question needs, read without taking the write lock
/// (a question's type and option order never change once the paper is drawn).
struct SaveTarget {
    kind: Kind,
    order: Vec<usize>,
    blanks: usize,
    grace: i64,
    deadline: chrono::NaiveDateTime,
    allowed_ips: String,
}

/// The question at `pos` of the user's own attempt; None if there is none.
fn save_target(conn: &mut Conn, attempt_id: i32, user_id: i32, pos: i32) -> AppResult<Option<SaveTarget>> {
    use crate::schema::{attempt_items, attempts, exams, question_versions};
    use diesel::prelude::*;
    let found: Option<(String, String, String, i32, chrono::NaiveDateTime, String)> = attempt_items::table
        .inner_join(question_versions::table)
        .inner_join(attempts::table.inner_join(exams::table))
        .filter(attempt_items::attempt_id.eq(attempt_id))
        .filter(attempt_items::position.eq(pos))
        .filter(attempts::user_id.eq(user_id))
        .select((
            question_versions::kind,
            attempt_items::option_order,
            question_versions::body,
            exams::grace_seconds,
            attempts::deadline_at,
            exams::allowed_ips,
        ))
        // At most one row ((attempt, position) is unique). Not `.first()`:
        // SQLite 3.50 re-plans a statement whenever a bound LIMIT changes
        // binding, so a LIMIT ? statement is prepared again at every run.
        .get_result(conn)
        .optional()?;
    Ok(found.map(|(kind, order, body, grace, deadline, allowed_ips)| {
        let kind = Kind::parse_code(&kind).unwrap_or(Kind::Essay);
        SaveTarget {
            kind,
            order: serde_json::from_str(&order).unwrap_or_default(),
            blanks: if kind == Kind::Blanks { blank_count(&body) } else { 0 },
            grace: i64::from(grace),
            deadline,
            allowed_ips,
        }
    }))
}

/// Saves one question's answer in the caller's write transaction (the page
/// without JavaScript saves all of them in one).
fn save_one(
    conn: &mut Conn,
    attempt: &Attempt,
    grace: i64,
    pos: i32,
    values: &[String],
    flagged: bool,
) -> AppResult<Result<SaveOutcome, String>> {
    let Some(target) = save_target(conn, attempt.id, attempt.user_id, pos)? else {
        return Ok(Ok(SaveOutcome::NoSuchQuestion));
    };
    let response = match answer::parse(target.kind, &target.order, target.blanks, values) {
        Ok(r) => r,
        Err(message) => return Ok(Err(message)),
    };
    Ok(Ok(Attempt::save(conn, attempt, grace, pos, response.as_ref(), flagged, now())?))
}

/// The fetch() save: the checks (holder's device, in progress, deadline +
/// grace) and the write are one guarded UPDATE, so the write lock is held for
/// a single statement; only a refused save looks further, to say why.
pub(super) fn save_fast(conn: &mut Conn, save: &Save) -> AppResult<Result<SaveOutcome, String>> {
    let (id, user_id, device, pos) = (save.attempt, save.user, save.device.as_str(), save.position);
    let (values, flagged) = (&save.values, save.flagged);
    let Some(target) = save_target(conn, id, user_id, pos)? else {
        // Someone else's attempt is "not found"; one's own, a missing question.
        own_attempt(conn, id, user_id)?;
        return Ok(Ok(SaveOutcome::NoSuchQuestion));
    };
    let response = match answer::parse(target.kind, &target.order, target.blanks, values) {
        Ok(r) => r,
        Err(message) => return Ok(Err(message)),
    };
    if !rules::ip_allowed(&target.allowed_ips, save.ip) {
        return Ok(Ok(SaveOutcome::IpNotAllowed));
    }
    let at = now();
    let cutoff = at - chrono::Duration::seconds(target.grace);
    if Attempt::save_guarded(conn, id, device, cutoff, pos, response.as_ref(), flagged, at)? {
        return Ok(Ok(SaveOutcome::Saved { remaining: rules::remaining_seconds(at, target.deadline) }));
    }
    let (attempt, _) = own_attempt(conn, id, user_id)?;
    Ok(Ok(if attempt.status == IN_PROGRESS && attempt.device != device {
        SaveOutcome::OtherDevice
    } else {
        SaveOutcome::Closed
    }))
}

/// Number of blanks of a 填空 question, from its stored body.
fn blank_count(body: &str) -> usize {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|b| {
            b.get("answer").and_then(|a| a.get("value")).and_then(|v| v.as_array()).map(|v| v.len())
        })
        .unwrap_or(0)
}

/// POST /exam/attempts/{id}/answer (fetch): one answer, acknowledged only
/// once committed.
pub async fn save_answer(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let id = path.into_inner();
    let fields = Fields(form.into_inner());
    let Ok(pos) = fields.get("pos").parse::<i32>() else {
        return Ok(json(
            StatusCode::BAD_REQUEST,
            serde_json::json!({"ok": false, "message": msg::REQUEST_INCOMPLETE}),
        ));
    };
    let device = fields.get("device");
    let flagged = fields.get("flag") == "1";
    let values = fields.all("a");
    let ip = client_addr(&req);
    let save = Save { attempt: id, user: me, device, position: pos, values, flagged, ip };
    // A failure (the database full, locked or unreachable) keeps the JSON
    // shape, `ok: false` with the reason: the page shows it and retries.
    let outcome = match state.answers.save(save).await {
        Ok(outcome) => outcome,
        Err(err) => return Ok(err.json_response()),
    };
    Ok(match outcome {
        Ok(SaveOutcome::Saved { remaining }) => {
            json(StatusCode::OK, serde_json::json!({"ok": true, "remaining": remaining}))
        }
        Ok(SaveOutcome::OtherDevice) => json(
            StatusCode::CONFLICT,
            serde_json::json!({"ok": false, "code": "device", "message": msg::EXAM_OTHER_DEVICE}),
        ),
        Ok(SaveOutcome::Closed) => json(
            StatusCode::GONE,
            serde_json::json!({"ok": false, "code": "closed", "message": msg::EXAM_ATTEMPT_CLOSED}),
        ),
        Ok(SaveOutcome::NoSuchQuestion) => json(
            StatusCode::NOT_FOUND,
            serde_json::json!({"ok": false, "message": msg::EXAM_NO_SUCH_QUESTION}),
        ),
        Ok(SaveOutcome::IpNotAllowed) => json(
            StatusCode::FORBIDDEN,
            serde_json::json!({"ok": false, "code": "ip", "message": msg::EXAM_IP_NOT_ALLOWED}),
        ),
        Err(message) => json(StatusCode::BAD_REQUEST, serde_json::json!({"ok": false, "message": message})),
    })
}

/// POST /exam/attempts/{id}/save: the page without JavaScript saves every
/// answer of the page at once.
pub async fn save_page(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let ip = client_addr(&req);
    let id = path.into_inner();
    let fields = Fields(form.into_inner());
    let device = fields.get("device");
    let outcome = state
        .db(move |conn| {
            write(conn, |conn| {
                let (attempt, exam) = own_attempt(conn, id, me)?;
                if attempt.status != IN_PROGRESS {
                    return Ok(Err(msg::EXAM_ATTEMPT_CLOSED.to_string()));
                }
                if !rules::ip_allowed(&exam.allowed_ips, ip) {
                    return Ok(Err(msg::EXAM_IP_NOT_ALLOWED.to_string()));
                }
                if attempt.device != device {
                    return Ok(Err(msg::EXAM_OTHER_DEVICE.to_string()));
                }
                let positions: Vec<i32> = Attempt::items(conn, id)?.iter().map(|i| i.position).collect();
                for pos in positions {
                    let values = fields.all(&format!("a{pos}"));
                    let flagged = fields.get(&format!("f{pos}")) == "1";
                    match save_one(conn, &attempt, i64::from(exam.grace_seconds), pos, &values, flagged)? {
                        Ok(SaveOutcome::Saved { .. }) | Ok(SaveOutcome::NoSuchQuestion) => {}
                        Ok(_) => return Ok(Err(msg::EXAM_ATTEMPT_CLOSED.to_string())),
                        Err(message) => return Ok(Err(message)),
                    }
                }
                Ok(Ok(()))
            })
        })
        .await?;
    match outcome {
        Ok(()) => ctx.flash("success", msg::EXAM_SAVED_ALL),
        Err(message) => ctx.flash("error", message),
    }
    Ok(redirect(&format!("/exam/attempts/{id}")))
}

/// GET /exam/attempts/{id}/submit: confirmation, listing what is unanswered.
pub async fn submit_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let id = path.into_inner();
    let (attempt, exam, items) = state
        .db(move |conn| {
            let (attempt, exam) = own_attempt(conn, id, me)?;
            let items = Attempt::items(conn, id)?;
            Ok((attempt, exam, items))
        })
        .await?;
    if attempt.status != IN_PROGRESS {
        return Ok(redirect(&format!("/my/exams/{}", exam.id)));
    }
    let unanswered: Vec<i32> = items.iter().filter(|i| i.response.is_none()).map(|i| i.position).collect();
    let flagged: Vec<i32> = items.iter().filter(|i| i.flagged).map(|i| i.position).collect();
    let mut c = Context::new();
    c.insert("exam", &exam_view(&exam));
    c.insert("attempt", &attempt_view(&attempt, exam.pass_mark));
    c.insert("total", &items.len());
    c.insert("answered", &(items.len() - unanswered.len()));
    c.insert("unanswered", &unanswered);
    c.insert("flagged", &flagged);
    c.insert("remaining", &rules::remaining_seconds(now(), attempt.deadline_at));
    ctx.render("exam/submit.html", c)
}

/// POST /exam/attempts/{id}/submit (from inside the exam's IP ranges, like every save).
pub async fn submit(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let id = path.into_inner();
    let ip = client_addr(&req);
    let (exam_id, refused) = state
        .db(move |conn| {
            write(conn, |conn| {
                let (attempt, exam) = own_attempt(conn, id, me)?;
                if attempt.status == IN_PROGRESS && !rules::ip_allowed(&exam.allowed_ips, ip) {
                    return Ok((exam.id, true));
                }
                if attempt.status == IN_PROGRESS {
                    Attempt::submit(conn, id, "self", now())?;
                }
                Ok((exam.id, false))
            })
        })
        .await?;
    if refused {
        ctx.flash("error", msg::EXAM_IP_NOT_ALLOWED);
        return Ok(redirect(&format!("/exam/attempts/{id}")));
    }
    ctx.flash("success", msg::EXAM_SUBMITTED);
    Ok(redirect(&format!("/my/exams/{exam_id}")))
}

/// A question after the exam: the candidate's answer, the key, the explanation.
#[derive(Serialize)]
pub struct ReviewItem {
    pub pos: i32,
    pub kind_label: &'static str,
    pub stem: String,
    pub options: Vec<(char, String, bool, bool)>,
    pub true_false: Option<(Option<bool>, bool)>,
    pub blanks: Vec<(String, String)>,
    pub text: String,
    pub reference: String,
    pub explanation: String,
    pub points: String,
    pub earned: Option<String>,
    pub correct: bool,
    /// Whether the key and explanation are in this item (else only marks).
    pub key: bool,
    /// Neither mark nor key: the question is still in use elsewhere.
    pub withheld: bool,
}

impl ReviewItem {
    /// The candidate's answers marked right or wrong, with the key and the
    /// explanation taken out (not merely hidden: they are not in the page).
    pub fn marked_only(mut self) -> ReviewItem {
        for option in &mut self.options {
            option.2 = false;
        }
        if let Some((_, key)) = &mut self.true_false {
            *key = false;
        }
        for (_, key) in &mut self.blanks {
            key.clear();
        }
        self.reference.clear();
        self.explanation.clear();
        self.key = false;
        self
    }

    /// A question still on someone's running attempt (another exam shares
    /// it): the candidate's own answer only, no mark, no key.
    pub fn withheld(self) -> ReviewItem {
        let mut item = self.marked_only();
        item.earned = None;
        item.correct = false;
        item.withheld = true;
        item
    }
}

/// Builds the review of one item (shared with the trainer's attempt page).
pub fn review_item(item: &model::Item, q: &Question) -> ReviewItem {
    let order = item.order();
    let response = item.response();
    let shown = answer::show(&order, response.as_ref(), blanks_of(q));
    let options = match &q.answer {
        Answer::Choices(correct) => order
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    letter(i),
                    q.options.get(*o).cloned().unwrap_or_default(),
                    correct.contains(o),
                    shown.chosen.contains(&i),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let true_false = match &q.answer {
        Answer::TrueFalse(v) => Some((shown.true_false, *v)),
        _ => None,
    };
    let blanks = match &q.answer {
        Answer::Blanks(groups) => {
            groups.iter().zip(&shown.blanks).map(|(g, given)| (given.clone(), g.join(" / "))).collect()
        }
        _ => Vec::new(),
    };
    let reference = match &q.answer {
        Answer::Reference(r) => r.clone(),
        _ => String::new(),
    };
    ReviewItem {
        pos: item.position,
        kind_label: q.kind.label(),
        stem: q.stem.clone(),
        options,
        true_false,
        blanks,
        text: shown.text,
        reference,
        explanation: q.explanation.clone(),
        points: format_points(i64::from(item.points)),
        earned: item.earned.map(|e| format_points(i64::from(e))),
        correct: item.earned == Some(item.points),
        key: true,
        withheld: false,
    }
}

/// GET /my/exams/{id}/review: the candidate's paper, marked (and with the key
/// and explanations if the exam shows them), only once no attempt of the exam
/// can change (DESIGN §4 rule 10). Showing it records the reveal (rule 11).
pub async fn review(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let id = path.into_inner();
    let shown = state.db(move |conn| write(conn, |conn| reveal(conn, id, me))).await?;
    let Some((exam, attempt, paper, withheld)) = shown else {
        return Err(AppError::Forbidden);
    };
    let key = exam.review().shows_key();
    let items: Vec<ReviewItem> = paper
        .iter()
        .map(|(item, q)| {
            let shown = review_item(item, q);
            if withheld.contains(&item.question_id) {
                shown.withheld()
            } else if key {
                shown
            } else {
                shown.marked_only()
            }
        })
        .collect();
    let mut c = Context::new();
    c.insert("exam", &exam_view(&exam));
    c.insert("attempt", &attempt_view(&attempt, exam.pass_mark));
    c.insert("items", &items);
    ctx.render("exam/review.html", c)
}

type Revealed = (Exam, Attempt, Vec<(model::Item, Question)>, std::collections::HashSet<i32>);

/// The review's check and its record, in one write transaction under the
/// exam's lock: no reopen slips between them (rule 10). Questions still on a
/// running attempt of any exam are withheld, and only what is shown is
/// recorded as revealed (rule 11).
fn reveal(conn: &mut Conn, id: i32, me: i32) -> AppResult<Option<Revealed>> {
    let exam = Exam::find(conn, id)?;
    let attempt = Attempt::of(conn, id, me)?.ok_or(AppError::NotFound)?;
    Exam::lock(conn, id)?;
    if !exam.review().shows_paper() || attempt.status == IN_PROGRESS || !exam.over_for_everyone(conn)? {
        return Ok(None);
    }
    // Attempts past their grace but not yet swept are closed first: none stays open under a shown key.
    for other in Attempt::running(conn, id)? {
        Attempt::submit(conn, other.id, "deadline", now())?;
    }
    let paper = Attempt::paper(conn, attempt.id)?;
    let ids: Vec<i32> = paper.iter().map(|(i, _)| i.question_id).collect();
    let withheld = super::exposure::in_running_attempts(conn, &ids)?;
    let seen: Vec<(i32, i32)> = paper
        .iter()
        .filter(|(i, _)| !withheld.contains(&i.question_id))
        .map(|(i, _)| (i.question_id, i.version_id))
        .collect();
    super::exposure::record(conn, me, exam.id, &seen, now())?;
    Ok(Some((exam, attempt, paper, withheld)))
}

/// The exams on a person's home page: published, for them, from last month on.
#[derive(Serialize)]
pub struct HomeExam {
    pub exam: ExamViewPublic,
    pub state: &'static str,
    pub score: Option<String>,
}

#[derive(Serialize)]
pub struct ExamViewPublic {
    id: i32,
    title: String,
    kind: &'static str,
    phase_label: &'static str,
    opens_at: String,
    closes_at: String,
    time_limit: i32,
}

pub fn home_exams(conn: &mut Conn, user_id: i32, hall_id: Option<i32>) -> AppResult<Vec<HomeExam>> {
    let since = crate::time::local_month(now() - chrono::Duration::days(31));
    let tree = Tree::load(conn)?;
    let mut out = Vec::new();
    for exam in Exam::published_since(conn, &since)? {
        let attempt = Attempt::of(conn, exam.id, user_id)?;
        if attempt.is_none() && !model::in_audience(conn, &exam, user_id, hall_id, &tree)? {
            continue;
        }
        let phase = exam.phase(now());
        let state = match (&attempt, phase) {
            (Some(a), _) if a.status == IN_PROGRESS => msg::EXAM_STATE_IN_PROGRESS,
            (Some(_), _) => msg::EXAM_STATE_SUBMITTED,
            (None, Phase::Closed) => msg::EXAM_STATE_ABSENT,
            (None, _) => msg::EXAM_STATE_NOT_STARTED,
        };
        let score = attempt
            .as_ref()
            .filter(|_| phase == Phase::Closed && exam.review().shows_score())
            .and_then(|a| a.score)
            .map(|s| format_points(i64::from(s)));
        out.push(HomeExam {
            exam: ExamViewPublic {
                id: exam.id,
                title: exam.title.clone(),
                kind: exam.kind_label(),
                phase_label: phase.label(),
                opens_at: local_display(exam.opens_at),
                closes_at: local_display(exam.closes_at),
                time_limit: exam.time_limit_minutes,
            },
            state,
            score,
        });
    }
    Ok(out)
}
