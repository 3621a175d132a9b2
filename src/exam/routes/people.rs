//! POST /exams/{id}/people: a person's extra time and in-person requirement.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::{minutes, results_only};
use crate::exam::model::{resolve_staff, Exam, ExamPerson};
use crate::exam::refusal::ExamRefusal;
use crate::web::action::{self, Done};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct PersonForm {
    staff_no: String,
    extra_minutes: Option<String>,
    in_person: Option<String>,
    reason: String,
}

pub async fn set_person(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<PersonForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let back = format!("/exams/{id}");
    if results_only(&state, id).await? {
        return Ok(action::refuse(&ctx, &back, ExamRefusal::ResultsOnly));
    }
    let form = form.into_inner();
    let reason = form.reason.trim().to_string();
    let extra = match form.extra_minutes.as_deref().map(str::trim).unwrap_or("") {
        "" | "0" => Some(0),
        t => minutes(t),
    };
    let extra = match (reason.is_empty(), extra) {
        (true, _) => return Ok(action::refuse(&ctx, &back, ExamRefusal::ReasonRequired)),
        (_, None) => return Ok(action::refuse(&ctx, &back, ExamRefusal::BadMinutes)),
        (false, Some(extra)) => extra,
    };
    let in_person = form.in_person.is_some();
    let staff_no = form.staff_no.trim().to_string();
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        Exam::find(conn, id)?;
        let ids = resolve_staff(conn, std::slice::from_ref(&staff_no))?.unwrap_or_default();
        let Some(user_id) = ids.first().copied() else {
            return Ok(Err(ExamRefusal::UnknownStaff));
        };
        ExamPerson::upsert(conn, id, user_id, |p| {
            p.extra_minutes = extra;
            p.in_person = in_person;
            p.note.clone_from(&reason);
        })?;
        let detail = format!(
            "考试 #{id} 工号 {staff_no}：现场考试={}，加时 {extra} 分钟；原因：{reason}",
            if in_person { "是" } else { "否" }
        );
        actor.audit(conn, "exam_person", &detail)?;
        Ok(Ok(Done::flash(msg::EXAM_PERSON_SAVED)))
    })
    .await
}
