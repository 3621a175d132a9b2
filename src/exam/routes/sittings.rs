//! Proctored sittings: open one (a room and a code), watch it, close it
//! (which collects its papers).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::results_only;
use super::show::show_page;
use crate::db::{now, Conn};
use crate::exam::model::{Attempt, AttemptStatus, Exam, ExamPerson, Sitting, SittingStatus, Tree};
use crate::exam::refusal::ExamRefusal;
use crate::exam::rules::sitting_start;
use crate::time::local_display;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx, FieldErrors};
use crate::AppState;

#[derive(Serialize)]
pub(super) struct SittingRow {
    id: i32,
    room: String,
    code: String,
    starts_at: String,
    open: bool,
}

pub(super) fn sitting_row(s: &Sitting) -> SittingRow {
    SittingRow {
        id: s.id,
        room: s.room.clone(),
        code: s.code.clone(),
        starts_at: local_display(s.starts_at),
        open: s.status == SittingStatus::Open,
    }
}

/// The open-a-sitting form on the exam's page, as typed.
#[derive(Deserialize, Serialize)]
pub struct SittingForm {
    pub(super) room: String,
    /// Beijing time; empty means now.
    #[serde(default)]
    pub(super) starts_at: String,
}

/// POST /exams/{id}/sittings: a refused form comes back on the exam's page.
pub async fn open_sitting(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<SittingForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if results_only(&state, id).await? {
        return Ok(action::refuse(&ctx, &format!("/exams/{id}"), ExamRefusal::ResultsOnly));
    }
    let room = form.room.trim().to_string();
    let mut errors = FieldErrors::new();
    if room.is_empty() || room.chars().count() > 60 {
        errors.insert("room", msg::EXAM_ROOM_REQUIRED.into());
    }
    let starts = sitting_start(&form.starts_at, now()).map_err(|why| errors.insert("starts_at", why.into()));
    let Some(starts) = starts.ok().filter(|_| errors.is_empty()) else {
        return show_page(&ctx, &state, id, form.into_inner(), errors).await;
    };
    action::act(&ctx, &req, &state, &format!("/exams/{id}"), move |conn, actor| {
        Exam::find(conn, id)?;
        let sid = Sitting::open(conn, id, &room, starts, actor.id)?;
        actor.audit(conn, "sitting_opened", &format!("考试 #{id} 考场 {room}"))?;
        Ok(Ok::<_, ExamRefusal>(Done::then(msg::EXAM_SITTING_OPENED, format!("/exams/{id}/sittings/{sid}"))))
    })
    .await
}

#[derive(Serialize)]
struct SittingPerson {
    name: String,
    staff_no: String,
    hall: String,
    state: &'static str,
}

/// The sitting of this exam (a sitting id from another exam is "not found").
fn sitting_of_exam(conn: &mut Conn, exam_id: i32, sid: i32) -> AppResult<Sitting> {
    let sitting = Sitting::find(conn, sid)?;
    if sitting.exam_id != exam_id {
        return Err(AppError::NotFound);
    }
    Ok(sitting)
}

/// Who is expected in the room (in person) or started in it, and how far each is.
fn sitting_people(conn: &mut Conn, exam_id: i32, sid: i32) -> AppResult<Vec<SittingPerson>> {
    let tree = Tree::load(conn)?;
    let mut ids: Vec<i32> =
        ExamPerson::for_exam(conn, exam_id)?.into_iter().filter(|p| p.in_person).map(|p| p.user_id).collect();
    let attempts = Attempt::for_exam(conn, exam_id)?;
    ids.extend(attempts.iter().filter(|a| a.sitting_id == Some(sid)).map(|a| a.user_id));
    ids.sort_unstable();
    ids.dedup();
    let mut people = Vec::new();
    for uid in ids {
        let u = crate::accounts::User::find(conn, uid)?;
        let state = match attempts.iter().find(|a| a.user_id == uid) {
            Some(a) if a.status == AttemptStatus::Submitted => msg::EXAM_STATE_SUBMITTED,
            Some(_) => msg::EXAM_STATE_IN_PROGRESS,
            None => msg::EXAM_STATE_NOT_STARTED,
        };
        people.push(SittingPerson {
            name: u.name,
            staff_no: u.staff_no.unwrap_or_default(),
            hall: tree.name(u.hall_id),
            state,
        });
    }
    Ok(people)
}

/// GET /exams/{id}/sittings/{sid}: the code to show, who started, submitted, is missing.
pub async fn sitting(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (exam_id, sid) = path.into_inner();
    let mut c = state
        .db(move |conn| {
            let sitting = sitting_of_exam(conn, exam_id, sid)?;
            let mut c = Context::new();
            c.insert("exam", &Exam::find(conn, exam_id)?);
            c.insert("people", &sitting_people(conn, exam_id, sid)?);
            c.insert("sitting", &sitting_row(&sitting));
            Ok(c)
        })
        .await?;
    c.insert("exam_id", &exam_id);
    ctx.render("exam/sitting.html", c)
}

/// POST /exams/{id}/sittings/{sid}/close.
pub async fn close_sitting(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (exam_id, sid) = path.into_inner();
    action::act(&ctx, &req, &state, &format!("/exams/{exam_id}/sittings/{sid}"), move |conn, actor| {
        let sitting = sitting_of_exam(conn, exam_id, sid)?;
        Sitting::close(conn, sid)?;
        // Closing the room collects its papers: an in-person attempt
        // is tied to its sitting and cannot go on from elsewhere.
        let collected = Attempt::running(conn, exam_id)?.into_iter().filter(|a| a.sitting_id == Some(sid));
        for a in collected {
            Attempt::submit(conn, a.id, "sitting", now())?;
        }
        actor.audit(conn, "sitting_closed", &format!("考试 #{exam_id} 考场 {}", sitting.room))?;
        Ok(Ok::<_, ExamRefusal>(Done::flash(msg::EXAM_SITTING_CLOSED)))
    })
    .await
}
