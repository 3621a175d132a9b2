//! The drill pages: a hall's month (per clerk × business type, per week, the
//! drills themselves), the halls side by side for supervisors, trainers and
//! admins, a clerk's own drills, and deleting a drill.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::drill_model::{self, HallChoice};
use super::drill_view;
use crate::auth::{CurrentUser, Role};
use crate::db::{write, Conn};
use crate::web::month::{month_context, month_or_this};
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
    hall: Option<i32>,
}

/// The hall a page is about: the asked one if `me` may see it (else 403);
/// without one, the only hall a team leader or manager has. None: choose.
pub fn pick_hall(
    conn: &mut Conn,
    me: &CurrentUser,
    asked: Option<i32>,
) -> AppResult<(Option<i32>, Vec<HallChoice>)> {
    let halls = drill_model::visible_halls(conn, me)?;
    match asked {
        Some(h) if halls.iter().any(|c| c.id == h) => Ok((Some(h), halls)),
        Some(_) => Err(AppError::Forbidden),
        None if halls.len() == 1 && !drill_model::is_overseer(me) => Ok((Some(halls[0].id), halls)),
        None => Ok((None, halls)),
    }
}

/// GET /training/drills?month=&hall=: a hall's month, or the halls side by side.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let month = month_or_this(q.month.as_deref(), msg::DRILL_BAD_MONTH)?.to_string();
    let me = ctx.user()?.clone();
    let (m, who) = (month.clone(), me.clone());
    let page = state
        .db(move |conn| {
            let (hall, halls) = pick_hall(conn, &who, q.hall)?;
            Ok(match hall {
                Some(h) => Ok(drill_view::hall_month(conn, h, &m, Some(&who))?),
                None => Err(drill_view::hall_lines(conn, &halls, &m)?),
            })
        })
        .await?;
    let mut c = month_context(
        crate::domain::Month::parse(&month).unwrap_or_else(|_| crate::domain::Month::current()),
    );
    c.insert("overseer", &drill_model::is_overseer(&me));
    c.insert("can_import", &me.has_any_role(&[Role::TeamLeader, Role::Trainer, Role::Admin]));
    c.insert("can_edit_types", &me.has_any_role(&[Role::Trainer, Role::Admin]));
    match page {
        Ok(hm) => {
            c.insert("can_record", &drill_model::may_record(&me, hm.hall_id));
            c.insert("weeks", &crate::training::rules::weeks_of_month(&month));
            c.insert("hm", &hm);
            ctx.render("training/drills.html", c)
        }
        Err(lines) => {
            c.insert("lines", &lines);
            c.insert("can_record", &me.has_any_role(&[Role::TeamLeader, Role::Admin]));
            ctx.render("training/drill_halls.html", c)
        }
    }
}

/// GET /training/drills/my?month=: the signed-in clerk's own drills.
pub async fn mine(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = month_or_this(q.month.as_deref(), msg::DRILL_BAD_MONTH)?.to_string();
    let me = ctx.user()?.id;
    let m = month.clone();
    let (f, drills) = state.db(move |conn| Ok(drill_view::clerk_month(conn, me, &m)?)).await?;
    let mut c = month_context(
        crate::domain::Month::parse(&month).unwrap_or_else(|_| crate::domain::Month::current()),
    );
    c.insert("row", &f.clerks.iter().find(|r| r.id == me));
    c.insert("weeks", &f.weeks);
    c.insert("drills", &drills);
    ctx.render("training/drill_mine.html", c)
}

/// POST /training/drills/{id}/delete: the hall's team leader (within the
/// last quarter) or an admin; anyone else finds nothing.
pub async fn delete(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (id, me, ip) = (path.into_inner(), ctx.user()?.clone(), client_ip(&req));
    let drill = state
        .db(move |conn| {
            write(conn, |conn| {
                let d = drill_model::find(conn, id)?;
                if !drill_model::may_record(&me, d.hall_id) {
                    return Err(AppError::NotFound);
                }
                drill_model::check_date(&me, d.drilled_on)
                    .map_err(|_| AppError::bad_request(msg::DRILL_DELETE_TOO_OLD))?;
                drill_model::delete(conn, id)?;
                let detail = msg::audit_drill_delete(
                    d.id,
                    d.hall_id,
                    d.clerk_id,
                    &d.drilled_on.to_string(),
                    d.seconds,
                );
                crate::audit::record(conn, Some(me.id), "drill_delete", &detail, &ip)?;
                Ok(d)
            })
        })
        .await?;
    ctx.flash("success", msg::DRILL_DELETED);
    Ok(redirect(&format!("/training/drills?month={}&hall={}", drill.month, drill.hall_id)))
}
