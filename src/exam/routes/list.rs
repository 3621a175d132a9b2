//! GET /exams: every exam, newest month first.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use tera::Context;

use crate::db::now;
use crate::domain::Month;
use crate::exam::model::Exam;
use crate::time::local_display;
use crate::web::{AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct ExamRow {
    id: i32,
    month: Month,
    title: String,
    kind: &'static str,
    phase: &'static str,
    opens_at: String,
    closes_at: String,
    attempts: i64,
    /// Results-only (imported): no paper to preview.
    imported: bool,
}

pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let rows = state
        .db(|conn| {
            let mut rows = Vec::new();
            for e in Exam::all(conn)? {
                rows.push(ExamRow {
                    id: e.id,
                    month: e.month,
                    title: e.title.clone(),
                    kind: e.kind_label(),
                    phase: e.phase(now()).label(),
                    opens_at: local_display(e.opens_at),
                    closes_at: local_display(e.closes_at),
                    attempts: Exam::attempt_count(conn, e.id)?,
                    imported: e.is_results_only(),
                });
            }
            Ok(rows)
        })
        .await?;
    let mut c = Context::new();
    c.insert("exams", &rows);
    ctx.render("exam/index.html", c)
}
