//! GET /exams/{id}: settings at a glance, per-person settings, sittings.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use tera::Context;

use super::form_status;
use super::sittings::{sitting_row, SittingForm, SittingRow};
use crate::bank::question::format_points;
use crate::db::{now, Conn};
use crate::exam::model::{self, Attempt, AttemptStatus, Exam, ExamPerson, ExamStatus, Sitting, Tree};
use crate::exam::paper;
use crate::time::local_display;
use crate::web::form::insert_errors;
use crate::web::{AppResult, Ctx, FieldErrors};
use crate::AppState;

#[derive(Serialize)]
struct PersonRow {
    user_id: i32,
    name: String,
    staff_no: String,
    hall: String,
    extra_minutes: i32,
    in_person: bool,
    note: String,
}

pub async fn show(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let sitting = SittingForm { room: String::new(), starts_at: crate::time::local_input(now()) };
    show_page(&ctx, &state, path.into_inner(), sitting, FieldErrors::new()).await
}

/// The exam's page; a refused sitting form comes back on it (422) with what
/// was typed and each problem under its field.
pub(super) async fn show_page(
    ctx: &Ctx,
    state: &AppState,
    id: i32,
    sitting: SittingForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let mut c = state.db(move |conn| show_context(conn, id)).await?;
    c.insert("exam_id", &id);
    c.insert("sitting_form", &sitting);
    insert_errors(&mut c, &errors);
    ctx.render_status(form_status(&errors), "exam/show.html", c)
}

fn people_rows(conn: &mut Conn, id: i32, tree: &Tree) -> AppResult<Vec<PersonRow>> {
    Ok(ExamPerson::for_exam(conn, id)?
        .into_iter()
        .filter_map(|p| {
            let u = crate::accounts::User::find(conn, p.user_id).ok()?;
            Some(PersonRow {
                user_id: p.user_id,
                name: u.name,
                staff_no: u.staff_no.unwrap_or_default(),
                hall: tree.name(u.hall_id),
                extra_minutes: p.extra_minutes,
                in_person: p.in_person,
                note: p.note,
            })
        })
        .collect())
}

fn show_context(conn: &mut Conn, id: i32) -> AppResult<Context> {
    let exam = Exam::find(conn, id)?;
    let tree = Tree::load(conn)?;
    let rule = exam.paper_rule()?;
    let pool = model::pool(conn, &rule)?;
    let people = people_rows(conn, id, &tree)?;
    let sittings: Vec<SittingRow> = Sitting::for_exam(conn, id)?.iter().map(sitting_row).collect();
    let attempts = Attempt::for_exam(conn, id)?;
    let audience = model::audience_people(conn, &exam, &tree)?.len();
    let count = |status: AttemptStatus| attempts.iter().filter(|a| a.status == status).count();
    let mut c = Context::new();
    c.insert("kind", exam.kind_label());
    c.insert("phase", exam.phase(now()).label());
    c.insert("imported", &exam.is_results_only());
    c.insert("draft", &(exam.status == ExamStatus::Draft));
    c.insert("opens_at", &local_display(exam.opens_at));
    c.insert("closes_at", &local_display(exam.closes_at));
    c.insert("pass_mark", &format_points(i64::from(exam.pass_mark)));
    c.insert("possible", &format_points(paper::possible_points(&rule, &pool)));
    c.insert("shortages", &super::shortage_lines(&paper::shortages(&rule, &pool)));
    c.insert("exam", &exam);
    c.insert("people", &people);
    c.insert("sittings", &sittings);
    c.insert("audience", &audience);
    c.insert("started", &attempts.len());
    c.insert("in_progress", &count(AttemptStatus::InProgress));
    c.insert("submitted", &count(AttemptStatus::Submitted));
    c.insert("pending_marking", &attempts.iter().filter(|a| a.marking_pending).count());
    Ok(c)
}
