//! The supervisor's below-average list (live), and its Excel export.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::model::{self, List};
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::web::{xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// The asked month, or the latest month with a monthly exam whose window has closed.
fn chosen_month(conn: &mut Conn, asked: Option<&str>) -> AppResult<Option<String>> {
    if let Some(m) = asked.and_then(crate::exam::rules::parse_month) {
        return Ok(Some(m));
    }
    let now = crate::db::now();
    Ok(crate::exam::model::Exam::all(conn)?
        .into_iter()
        .filter(|e| e.kind == "monthly" && e.status == crate::exam::model::PUBLISHED && e.closes_at <= now)
        .map(|e| e.month)
        .max())
}

async fn load(
    state: &AppState,
    asked: Option<String>,
    me: CurrentUser,
) -> AppResult<(Option<String>, Option<List>)> {
    state
        .db(move |conn| {
            let Some(month) = chosen_month(conn, asked.as_deref())? else { return Ok((None, None)) };
            let mut list = model::month_list(conn, &month)?;
            if let Some(list) = list.as_mut() {
                model::scoped(list, &me);
            }
            Ok((Some(month), list))
        })
        .await
}

pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (month, list) = load(&state, query.into_inner().month, me).await?;
    let mut c = Context::new();
    c.insert("month", &month);
    c.insert("list", &list);
    ctx.render("review/index.html", c)
}

pub async fn export_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (month, list) = load(&state, query.into_inner().month, me).await?;
    let (Some(month), Some(list)) = (month, list) else { return Err(AppError::NotFound) };
    let bytes = model::write_xlsx(&list).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("below-average-{month}.xlsx")))
}
