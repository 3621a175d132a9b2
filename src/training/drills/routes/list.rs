//! GET /training/drills: a hall's month or the halls side by side; a clerk's own month.

use actix_web::{web, HttpResponse};

use super::{pick_hall, MonthQuery};
use crate::auth::Role;
use crate::training::access::{may_record, oversees};
use crate::training::drills::view;
use crate::web::month::{month_context, month_or_this};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

/// GET /training/drills?month=&hall=: a hall's month, or the halls side by side.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let month = month_or_this(q.month.as_deref(), msg::DRILL_BAD_MONTH)?;
    let me = ctx.user()?.clone();
    let who = me.clone();
    let page = state
        .db(move |conn| {
            let (hall, halls) = pick_hall(conn, &who, q.hall)?;
            Ok(match hall {
                Some(h) => Ok(view::hall_month(conn, h, month, Some(&who))?),
                None => Err(view::hall_lines(conn, &halls, month)?),
            })
        })
        .await?;
    let mut c = month_context(month);
    c.insert("overseer", &oversees(&me));
    c.insert("can_import", &me.has_any_role(&[Role::TeamLeader, Role::Trainer, Role::Admin]));
    c.insert("can_edit_types", &me.has_any_role(&[Role::Trainer, Role::Admin]));
    match page {
        Ok(hm) => {
            c.insert("can_record", &may_record(&me, hm.hall_id));
            c.insert("weeks", &month.iso_weeks());
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
    let month = month_or_this(q.month.as_deref(), msg::DRILL_BAD_MONTH)?;
    let me = ctx.user()?.id;
    let (f, drills) = state.db(move |conn| Ok(view::clerk_month(conn, me, month)?)).await?;
    let mut c = month_context(month);
    c.insert("row", &f.clerks.iter().find(|r| r.id == me));
    c.insert("weeks", &f.weeks);
    c.insert("drills", &drills);
    ctx.render("training/drill_mine.html", c)
}
