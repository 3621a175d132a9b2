//! Hand marking of 简答 answers: the queue and one mark.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::attempt_of_exam;
use crate::bank::grading::Response;
use crate::bank::question::{format_points, parse_points, Answer};
use crate::exam::model::{self, Attempt, AttemptStatus, Exam, Item, MarkingItem};
use crate::exam::refusal::ExamRefusal;
use crate::schema::attempt_items;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct MarkRow {
    item_id: i32,
    candidate: String,
    staff_no: String,
    question_id: i32,
    stem: String,
    reference: String,
    answer: String,
    points: String,
}

impl MarkRow {
    fn of(m: MarkingItem) -> MarkRow {
        MarkRow {
            item_id: m.item.id,
            candidate: m.candidate,
            staff_no: m.staff_no.unwrap_or_default(),
            question_id: m.item.question_id,
            stem: m.question.stem.clone(),
            reference: match &m.question.answer {
                Answer::Reference(r) => r.clone(),
                _ => String::new(),
            },
            answer: match m.item.response() {
                Some(Response::Text(t)) => t,
                _ => String::new(),
            },
            points: format_points(i64::from(m.item.points)),
        }
    }
}

#[derive(Deserialize)]
pub struct MarkingQuery {
    by: Option<String>,
}

/// GET /exams/{id}/marking: 简答 answers waiting for a score, by question
/// (one question across candidates, for consistent marking) or by person.
pub async fn marking(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<MarkingQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let by_person = query.by.as_deref() == Some("person");
    let (exam, queue) =
        state.db(move |conn| Ok((Exam::find(conn, id)?, model::marking_queue(conn, id)?))).await?;
    let mut rows: Vec<MarkRow> = queue.into_iter().map(MarkRow::of).collect();
    if by_person {
        rows.sort_by(|a, b| (&a.staff_no, a.question_id).cmp(&(&b.staff_no, b.question_id)));
    }
    let mut c = Context::new();
    c.insert("exam", &exam);
    c.insert("rows", &rows);
    c.insert("by_person", &by_person);
    ctx.render("exam/marking.html", c)
}

#[derive(Deserialize)]
pub struct MarkForm {
    score: String,
}

/// POST /exams/{id}/marking/{item_id}: one item's mark (at most its points).
pub async fn mark(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: web::Form<MarkForm>,
) -> AppResult<HttpResponse> {
    let (exam_id, item_id) = path.into_inner();
    let score = parse_points(&form.score);
    action::act(&ctx, &req, &state, &format!("/exams/{exam_id}/marking"), move |conn, actor| {
        let item: Item = attempt_items::table.find(item_id).select(Item::as_select()).first(conn)?;
        let attempt = attempt_of_exam(conn, exam_id, item.attempt_id)?;
        if attempt.status != AttemptStatus::Submitted {
            return Err(AppError::NotFound);
        }
        let Some(score) = score.filter(|s| *s <= i64::from(item.points)) else {
            return Ok(Err(ExamRefusal::BadMark));
        };
        Attempt::mark(conn, item_id, score, actor.id)?;
        let detail = format!(
            "考试 #{exam_id} 答卷 #{} 第 {} 题：{} / {}",
            attempt.id,
            item.position,
            crate::domain::score::two_decimals(score),
            format_points(i64::from(item.points))
        );
        actor.audit(conn, "answer_marked", &detail)?;
        Ok(Ok(Done::flash(msg::EXAM_MARK_SAVED)))
    })
    .await
}
