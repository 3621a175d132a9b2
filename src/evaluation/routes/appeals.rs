//! Appeals (申诉): the person files one against a component of their month;
//! a supervisor over their hall (or an admin) upholds it with the new points
//! or rejects it with a reason. Every step is audited; a closed month takes none.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::{month_of, EvalQuery, Viewer};
use crate::domain::score::{parse_hundredths, two_decimals};
use crate::evaluation::model::{self, Appeal, AppealStatus, Refusal};
use crate::evaluation::scheme::EvalRole;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct FileForm {
    month: String,
    role: String,
    component: String,
    #[serde(default)]
    reason: String,
}

/// POST /my/evaluation/appeal: the viewer appeals a component of their own month.
pub async fn file(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<FileForm>,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    let month = month_of(Some(&f.month))?;
    let role = EvalRole::parse(&f.role).ok_or(AppError::NotFound)?;
    let me = ctx.user()?.id;
    let back = format!("/my/evaluation?month={month}#appeals");
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        match model::file_appeal(conn, month, (me, role), &f.component, &f.reason, actor.now())? {
            Ok(id) => {
                actor.audit(
                    conn,
                    "evaluation_appeal",
                    &msg::audit_appeal_filed(id, month, &f.component, f.reason.trim()),
                )?;
                Ok(Ok(Done::flash(msg::APPEAL_FILED)))
            }
            Err(why) => Ok(Err(why)),
        }
    })
    .await
}

#[derive(Serialize)]
struct Row {
    id: i32,
    month: String,
    person: String,
    user_id: i32,
    hall: String,
    role: &'static str,
    component: String,
    max: String,
    points: String,
    reason: String,
    status: &'static str,
    status_code: &'static str,
    filed: String,
    answer: String,
    after: String,
    answerable: bool,
}

/// GET /evaluation/appeals: the month's appeals the viewer oversees, open ones first.
pub async fn list(ctx: Ctx, state: web::Data<AppState>, q: web::Query<EvalQuery>) -> AppResult<HttpResponse> {
    let month = month_of(q.month.as_deref())?;
    let me = ctx.user()?.clone();
    let (rows, closed) = state
        .db(move |conn| {
            let viewer = Viewer::load(conn, me)?;
            let view = model::month_view(conn, month)?;
            let appeals = Appeal::of_month(conn, month)?;
            let mut rows = Vec::new();
            for a in &appeals {
                let found = view.figures.roles.iter().find_map(|s| {
                    let e = s.people.iter().find(|e| e.user_id == a.user_id)?;
                    let h = s.heads.iter().find(|h| h.code == a.component)?;
                    Some((s.role, e, h))
                });
                let Some((role, e, h)) = found else { continue };
                if !viewer.sees(e.hall_id) {
                    continue;
                }
                rows.push(Row {
                    id: a.id,
                    month: month.to_string(),
                    person: format!("{} {}", e.staff_no, e.name),
                    user_id: e.user_id,
                    hall: e.hall.clone(),
                    role: role.label(),
                    component: h.label.clone(),
                    max: h.max_text.clone(),
                    points: a.points_before.map(|p| two_decimals(i64::from(p))).unwrap_or_else(|| "—".into()),
                    reason: a.reason.clone(),
                    status: a.status().label(),
                    status_code: a.status().code(),
                    filed: crate::time::local_display(a.filed_at),
                    answer: a.answer.clone(),
                    after: a.points_after.map(|p| two_decimals(i64::from(p))).unwrap_or_default(),
                    answerable: a.status() == AppealStatus::Open
                        && viewer.answers(e.hall_id)
                        && view.closed.is_none(),
                });
            }
            rows.sort_by_key(|r| (r.status_code != "open", r.id));
            Ok((rows, view.closed.is_some()))
        })
        .await?;
    let mut c = super::context(month);
    c.insert("rows", &rows);
    c.insert("closed", &closed);
    ctx.render("evaluation/appeals.html", c)
}

#[derive(Deserialize)]
pub struct AnswerForm {
    decision: String,
    #[serde(default)]
    points: String,
    #[serde(default)]
    answer: String,
}

/// POST /evaluation/appeals/{id}/answer: upheld (with the component's new points) or rejected.
pub async fn answer(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<AnswerForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let f = form.into_inner();
    let me = ctx.user()?.clone();
    let upheld = f.decision == "upheld";
    let points = if upheld { parse_hundredths(&f.points) } else { None };
    let back_base = "/evaluation/appeals".to_string();
    if upheld && points.is_none() {
        return Ok(action::refuse(&ctx, &back_base, Refusal::NewPointsRequired));
    }
    action::act(&ctx, &req, &state, &back_base, move |conn, actor| {
        let appeal = Appeal::find(conn, id)?;
        let viewer = Viewer::load(conn, me)?;
        let view = model::month_view(conn, appeal.month)?;
        let found = view.figures.roles.iter().find_map(|s| {
            let e = s.people.iter().find(|e| e.user_id == appeal.user_id)?;
            let h = s.heads.iter().find(|h| h.code == appeal.component)?;
            Some((e.hall_id, (h.label.clone(), h.max), format!("{} {}", e.staff_no, e.name)))
        });
        let Some((hall, max, name)) = found else { return Err(AppError::NotFound) };
        if !viewer.sees(hall) {
            return Err(AppError::NotFound);
        }
        if !viewer.answers(hall) {
            return Err(AppError::Forbidden);
        }
        let to = format!("/evaluation/appeals?month={}", appeal.month);
        match model::answer_appeal(conn, &appeal, (&max.0, max.1), points, &f.answer, actor.id, actor.now())?
        {
            Ok(status) => {
                let detail = msg::audit_appeal_answered(
                    id,
                    &name,
                    status.label(),
                    points.map(two_decimals).as_deref(),
                    f.answer.trim(),
                );
                actor.audit(conn, "evaluation_appeal_answer", &detail)?;
                Ok(Ok(Done::then(msg::appeal_answered(status.label()), to)))
            }
            Err(why) => Ok(Err(why)),
        }
    })
    .await
}
