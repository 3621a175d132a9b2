//! GET /exams/{id}/attempts/{attempt_id}: one candidate's paper with the key.

use actix_web::{web, HttpResponse};
use tera::Context;

use super::attempt_of_exam;
use super::sit::review::review_item;
use crate::exam::model::{Attempt, AttemptStatus, Exam, Tree};
use crate::time::local_display;
use crate::web::{AppResult, Ctx};
use crate::AppState;

pub async fn attempt(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (exam_id, attempt_id) = path.into_inner();
    let mut c = state
        .db(move |conn| {
            let attempt = attempt_of_exam(conn, exam_id, attempt_id)?;
            let exam = Exam::find(conn, exam_id)?;
            let user = crate::accounts::User::find(conn, attempt.user_id)?;
            let tree = Tree::load(conn)?;
            let paper = Attempt::paper(conn, attempt_id)?;
            let items: Vec<_> = paper.iter().map(|(i, q)| review_item(i, q)).collect();
            let mut c = Context::new();
            c.insert("exam", &exam);
            c.insert("candidate", &tree.person(user.id, user.name, user.staff_no, attempt.hall_id));
            c.insert("in_progress", &(attempt.status == AttemptStatus::InProgress));
            c.insert("started_at", &local_display(attempt.started_at));
            c.insert("deadline_at", &local_display(attempt.deadline_at));
            c.insert("submitted_at", &attempt.submitted_at.map(local_display));
            c.insert("score", &attempt.score.map(|s| crate::domain::score::two_decimals(i64::from(s))));
            c.insert("attempt_id", &attempt_id);
            c.insert("imported", &exam.is_results_only());
            c.insert("items", &items);
            Ok(c)
        })
        .await?;
    c.insert("exam_id", &exam_id);
    ctx.render("exam/attempt.html", c)
}
