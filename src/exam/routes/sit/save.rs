//! Saving answers: one at a time from the page's script (through the group
//! writer), or the whole page at once without JavaScript.

use std::net::IpAddr;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::own_attempt;
use crate::bank::question::Kind;
use crate::db::{now, write, Conn};
use crate::exam::answer;
use crate::exam::compose::Fields;
use crate::exam::model::{Attempt, AttemptStatus, SaveOutcome};
use crate::exam::refusal::ExamRefusal;
use crate::exam::rules;
use crate::exam::writer::Save;
use crate::web::action::{self, Done};
use crate::web::{client_addr, msg, AppResult, Ctx};
use crate::AppState;

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
) -> AppResult<Result<SaveOutcome, ExamRefusal>> {
    let Some(target) = save_target(conn, attempt.id, attempt.user_id, pos)? else {
        return Ok(Ok(SaveOutcome::NoSuchQuestion));
    };
    let response = match answer::parse(target.kind, &target.order, target.blanks, values) {
        Ok(r) => r,
        Err(refusal) => return Ok(Err(refusal)),
    };
    Ok(Ok(Attempt::save(conn, attempt, grace, pos, response.as_ref(), flagged, now())?))
}

/// The fetch() save: the checks (holder's device, in progress, deadline +
/// grace) and the write are one guarded UPDATE, so the write lock is held for
/// a single statement; only a refused save looks further, to say why.
pub(crate) fn save_fast(conn: &mut Conn, save: &Save) -> AppResult<Result<SaveOutcome, ExamRefusal>> {
    let (id, user_id, device, pos) = (save.attempt, save.user, save.device.as_str(), save.position);
    let (values, flagged) = (&save.values, save.flagged);
    let Some(target) = save_target(conn, id, user_id, pos)? else {
        // Someone else's attempt is "not found"; one's own, a missing question.
        own_attempt(conn, id, user_id)?;
        return Ok(Ok(SaveOutcome::NoSuchQuestion));
    };
    let response = match answer::parse(target.kind, &target.order, target.blanks, values) {
        Ok(r) => r,
        Err(refusal) => return Ok(Err(refusal)),
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
    Ok(Ok(if attempt.status == AttemptStatus::InProgress && attempt.device != device {
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
    let (device, flagged, values) = (fields.get("device"), fields.get("flag") == "1", fields.all("a"));
    let save = Save { attempt: id, user: me, device, position: pos, values, flagged, ip: client_addr(&req) };
    // A failure (the database full, locked or unreachable) keeps the JSON
    // shape, `ok: false` with the reason: the page shows it and retries.
    Ok(match state.answers.save(save).await {
        Ok(outcome) => reply(outcome),
        Err(err) => err.json_response(),
    })
}

/// The page script's answer to one save.
fn reply(outcome: Result<SaveOutcome, ExamRefusal>) -> HttpResponse {
    let refused = |status, code: &str, message: &str| {
        json(status, serde_json::json!({"ok": false, "code": code, "message": message}))
    };
    match outcome {
        Ok(SaveOutcome::Saved { remaining }) => {
            json(StatusCode::OK, serde_json::json!({"ok": true, "remaining": remaining}))
        }
        Ok(SaveOutcome::OtherDevice) => refused(StatusCode::CONFLICT, "device", msg::EXAM_OTHER_DEVICE),
        Ok(SaveOutcome::Closed) => refused(StatusCode::GONE, "closed", msg::EXAM_ATTEMPT_CLOSED),
        Ok(SaveOutcome::NoSuchQuestion) => json(
            StatusCode::NOT_FOUND,
            serde_json::json!({"ok": false, "message": msg::EXAM_NO_SUCH_QUESTION}),
        ),
        Ok(SaveOutcome::IpNotAllowed) => refused(StatusCode::FORBIDDEN, "ip", msg::EXAM_IP_NOT_ALLOWED),
        Err(refusal) => {
            json(StatusCode::BAD_REQUEST, serde_json::json!({"ok": false, "message": refusal.to_string()}))
        }
    }
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
    // Not `action::act`: answers saved before a refused one stay saved.
    let outcome = state.db(move |conn| write(conn, |conn| save_all(conn, id, me, ip, &fields))).await?;
    Ok(action::answer(&ctx, &format!("/exam/attempts/{id}"), outcome))
}

/// Saves every question of the page, in order, until one is refused.
fn save_all(
    conn: &mut Conn,
    id: i32,
    me: i32,
    ip: Option<IpAddr>,
    fields: &Fields,
) -> AppResult<Result<Done, ExamRefusal>> {
    let (attempt, exam) = own_attempt(conn, id, me)?;
    if attempt.status != AttemptStatus::InProgress {
        return Ok(Err(ExamRefusal::AttemptClosed));
    }
    if !rules::ip_allowed(&exam.allowed_ips, ip) {
        return Ok(Err(ExamRefusal::IpNotAllowed));
    }
    if attempt.device != fields.get("device") {
        return Ok(Err(ExamRefusal::OtherDevice));
    }
    let positions: Vec<i32> = Attempt::items(conn, id)?.iter().map(|i| i.position).collect();
    for pos in positions {
        let values = fields.all(&format!("a{pos}"));
        let flagged = fields.get(&format!("f{pos}")) == "1";
        match save_one(conn, &attempt, i64::from(exam.grace_seconds), pos, &values, flagged)? {
            Ok(SaveOutcome::Saved { .. }) | Ok(SaveOutcome::NoSuchQuestion) => {}
            Ok(_) => return Ok(Err(ExamRefusal::AttemptClosed)),
            Err(refusal) => return Ok(Err(refusal)),
        }
    }
    Ok(Ok(Done::flash(msg::EXAM_SAVED_ALL)))
}
