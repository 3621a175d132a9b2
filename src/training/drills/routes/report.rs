//! A hall's monthly feedback on the drills (月末反馈): a printable page for
//! the team leader and the same as a workbook.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::pick_hall;
use crate::training::drills::export::write_xlsx;
use crate::training::drills::view::{self, HallMonth};
use crate::web::month::month_or_this;
use crate::web::{msg, redirect, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct ReportQuery {
    month: Option<String>,
    hall: Option<i32>,
}

/// The hall's month, or where to choose a hall first.
async fn load(ctx: &Ctx, state: &AppState, q: ReportQuery) -> AppResult<Result<HallMonth, String>> {
    let month = month_or_this(q.month.as_deref(), msg::DRILL_BAD_MONTH)?;
    let me = ctx.user()?.clone();
    state
        .db(move |conn| match pick_hall(conn, &me, q.hall)? {
            (Some(h), _) => Ok(Ok(view::hall_month(conn, h, month, None)?)),
            (None, _) => Ok(Err(format!("/training/drills?month={month}"))),
        })
        .await
}

/// GET /training/drills/report?month=&hall=: the printable feedback.
pub async fn report(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let hm = match load(&ctx, &state, q.into_inner()).await? {
        Ok(hm) => hm,
        Err(choose) => {
            ctx.flash("info", msg::DRILL_CHOOSE_HALL);
            return Ok(redirect(&choose));
        }
    };
    let mut c = Context::new();
    c.insert("hm", &hm);
    c.insert("printed", &crate::time::local_display(crate::db::now()));
    ctx.render("training/drill_report.html", c)
}

/// GET /training/drills/report.xlsx?month=&hall=: the feedback as a workbook.
pub async fn report_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let hm = match load(&ctx, &state, q.into_inner()).await? {
        Ok(hm) => hm,
        Err(_) => return Err(AppError::bad_request(msg::DRILL_CHOOSE_HALL)),
    };
    let bytes = write_xlsx(&hm).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("drills-{}-{}.xlsx", hm.month, hm.hall_id)))
}
