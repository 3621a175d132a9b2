//! The phone-test pages for supervisors (their scope), trainers and admins:
//! the month table with the weak-items chart, the Excel export, the trend
//! and the calibration of double-scored calls.

use actix_web::{web, HttpResponse};

use super::report::{self, export, figures, svg};
use crate::auth::Role;
use crate::domain::Month;
use crate::web::month::{month_context, MonthQuery};
use crate::web::{xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

/// The asked month's facts in `me`'s scope (default: the latest month with calls).
async fn load(ctx: &Ctx, state: &AppState, q: MonthQuery) -> AppResult<(Month, Vec<figures::Fact>)> {
    let me = ctx.user()?.clone();
    let asked = q.month.as_deref().and_then(Month::parse_clamped);
    state
        .db(move |conn| {
            let month = match asked {
                Some(m) => m,
                None => report::default_month(conn)?,
            };
            let facts = report::facts(conn, month, Some(&me))?;
            Ok((month, facts))
        })
        .await
}

/// GET /phone/report: the month grouped county → hall → clerk, and the weak items per hall.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let (month, facts) = load(&ctx, &state, q.into_inner()).await?;
    let can_import = ctx.user()?.has_any_role(&[Role::Trainer, Role::Admin]);
    let grouped = figures::group(&report::first_scorings(&facts));
    let mut c = month_context(month);
    c.insert("halls_svg", &svg::halls_svg(&grouped, month));
    c.insert("g", &grouped);
    c.insert("can_import", &can_import);
    c.insert("second", &facts.iter().filter(|f| f.second_of.is_some()).count());
    ctx.render("phone/report.html", c)
}

/// GET /phone/report/export.xlsx: one row per call and a summary by hall, same scope.
pub async fn export_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let (month, facts) = load(&ctx, &state, q.into_inner()).await?;
    let bytes = export::write_xlsx(&report::first_scorings(&facts), month).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("phone-tests-{month}.xlsx")))
}

/// GET /phone/report/trend: the last twelve months, city and areas in scope.
pub async fn trend(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let asked = q.into_inner().month.as_deref().and_then(Month::parse_clamped);
    let (month, t) = state
        .db(move |conn| {
            let month = match asked {
                Some(m) => m,
                None => report::default_month(conn)?,
            };
            let t = report::trend(conn, month, 12, &me)?;
            Ok((month, t))
        })
        .await?;
    let mut c = month_context(month);
    c.insert("trend_svg", &svg::trend_svg(&t));
    c.insert("t", &t);
    ctx.render("phone/trend.html", c)
}

/// GET /phone/calibration: the double-scored calls side by side, the agreement per tester pair.
pub async fn calibration(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let (month, facts) = load(&ctx, &state, q.into_inner()).await?;
    let (rows, pairs, overall) = figures::calibration(&facts);
    let mut c = month_context(month);
    c.insert("rows", &rows);
    c.insert("pairs", &pairs);
    c.insert("overall", &overall);
    ctx.render("phone/calibration.html", c)
}
