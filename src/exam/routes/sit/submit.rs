//! Submitting: the confirmation listing what is unanswered, and the submit.

use actix_web::{web, HttpRequest, HttpResponse};
use tera::Context;

use super::{attempt_view, exam_view, own_attempt};
use crate::db::now;
use crate::exam::model::{Attempt, AttemptStatus};
use crate::exam::refusal::ExamRefusal;
use crate::exam::rules;
use crate::web::action::{self, Done};
use crate::web::{client_addr, msg, redirect, AppResult, Ctx};
use crate::AppState;

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
    if attempt.status != AttemptStatus::InProgress {
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
    let id = path.into_inner();
    let ip = client_addr(&req);
    action::act(&ctx, &req, &state, &format!("/exam/attempts/{id}"), move |conn, actor| {
        let (attempt, exam) = own_attempt(conn, id, actor.id)?;
        if attempt.status == AttemptStatus::InProgress {
            if !rules::ip_allowed(&exam.allowed_ips, ip) {
                return Ok(Err(ExamRefusal::IpNotAllowed));
            }
            Attempt::submit(conn, id, "self", now())?;
        }
        Ok(Ok(Done::then(msg::EXAM_SUBMITTED, format!("/my/exams/{}", exam.id))))
    })
    .await
}
