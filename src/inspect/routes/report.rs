//! GET /inspections/report (and .xlsx): the month's inspection report for
//! the halls the viewer oversees, county → hall, with the 12-month trend.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use tera::Context;

use super::MonthQuery;
use crate::domain::Month;
use crate::inspect::access::Who;
use crate::inspect::report::{self, Line};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct LineView {
    area: String,
    hall: String,
    total: bool,
    daily: usize,
    spot: usize,
    cross: usize,
    mean: String,
    zero_hits: i64,
    found: usize,
    closed: usize,
    rectify: String,
    compliance: String,
}

impl From<&Line> for LineView {
    fn from(l: &Line) -> Self {
        LineView {
            area: l.area.clone(),
            hall: l.hall.clone(),
            total: l.hall.is_empty(),
            daily: l.daily,
            spot: l.spot,
            cross: l.cross,
            mean: l.mean_text(),
            zero_hits: l.zero_hits,
            found: l.found,
            closed: l.closed,
            rectify: l.rectify_text(),
            compliance: l.compliance_text(),
        }
    }
}

/// The viewer's lines and the scope's name.
fn load(conn: &mut crate::db::Conn, who: &Who, month: Month) -> AppResult<(Vec<Line>, String, Vec<i32>)> {
    let today = crate::time::local_date(crate::db::now());
    let halls = report::halls_of(&who.tree, |h| who.sees_hall(h));
    let ids: Vec<i32> = halls.iter().map(|h| h.0).collect();
    let facts = report::facts(conn, month, today)?;
    // A supervisor's scope is their counties; a hall's staff see their hall(s), named as such.
    let scope = if who.scope.is_everything() || who.city {
        msg::WEAK_CITY.to_string()
    } else if who.me.has_role(crate::auth::Role::Supervisor) {
        let mut areas: Vec<String> = halls.iter().map(|h| h.1.clone()).collect();
        areas.dedup();
        areas.join(msg::LIST_SEPARATOR)
    } else {
        halls.iter().map(|h| h.2.clone()).collect::<Vec<_>>().join(msg::LIST_SEPARATOR)
    };
    Ok((report::lines(&halls, &facts), scope, ids))
}

pub async fn page(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = q.month();
    let me = ctx.user()?.clone();
    let mut c = state
        .db(move |conn| {
            let who = Who::load(conn, me)?;
            let (lines, scope, ids) = load(conn, &who, month)?;
            // The city office: a line per county; anyone else: their scope's.
            let mine: Vec<(String, Vec<i32>)> = if who.city {
                let halls = who.tree.halls();
                who.tree
                    .areas()
                    .iter()
                    .map(|a| {
                        let of_area = halls
                            .iter()
                            .filter(|h| who.tree.area_of(Some(h.id)).is_some_and(|x| x.id == a.id))
                            .map(|h| h.id)
                            .collect();
                        (a.name.clone(), of_area)
                    })
                    .collect()
            } else {
                vec![(scope.clone(), ids)]
            };
            let trend = report::trend(conn, month, &mine)?;
            let mut c = Context::new();
            c.insert("lines", &lines.iter().map(LineView::from).collect::<Vec<_>>());
            c.insert("scope", &scope);
            c.insert(
                "trend_svg",
                &crate::phone::report::svg::trend_chart(
                    &trend,
                    "inspect-trend-title",
                    msg::INSPECT_TREND_TITLE,
                    6_000,
                ),
            );
            c.insert(
                "trend",
                &trend.lines.iter().map(|(l, t, _)| (l.clone(), t.clone())).collect::<Vec<_>>(),
            );
            c.insert("months", &trend.months);
            Ok(c)
        })
        .await?;
    c.insert("month", &month);
    ctx.render("inspect/report.html", c)
}

pub async fn export_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = q.month();
    let me = ctx.user()?.clone();
    let bytes = state
        .db(move |conn| {
            let who = Who::load(conn, me)?;
            let (lines, scope, _) = load(conn, &who, month)?;
            Ok(report::write_xlsx(month, &scope, &lines).map_err(|e| anyhow::anyhow!(e))?)
        })
        .await?;
    Ok(crate::web::xlsx_response(bytes, &format!("巡检月报-{month}.xlsx")))
}
