//! GET /inspections: what the viewer inspects today and what their halls look like.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use tera::Context;

use crate::inspect::access::Who;
use crate::inspect::model::{Inspection, Kind};
use crate::web::{AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct DailyHall {
    id: i32,
    name: String,
    done_today: i64,
    required: i64,
    open: Option<i32>,
}

#[derive(Serialize)]
struct Task {
    id: i32,
    kind: &'static str,
    month: String,
    hall: String,
    area: String,
}

#[derive(Serialize)]
pub struct Row {
    pub id: i32,
    pub kind: &'static str,
    pub hall: String,
    pub area: String,
    pub day: String,
    pub inspector: String,
    pub score: Option<String>,
    pub zero_hits: i32,
}

/// Inspections as list rows (hall, area, inspector's name, score).
pub fn rows(conn: &mut crate::db::Conn, who: &Who, list: Vec<Inspection>) -> diesel::QueryResult<Vec<Row>> {
    let ids: Vec<i32> = list.iter().map(|i| i.inspector_id).collect();
    let names = crate::accounts::model::User::names(conn, &ids)?;
    Ok(list
        .into_iter()
        .map(|i| Row {
            id: i.id,
            kind: i.kind.label(),
            hall: who.tree.name(Some(i.hall_id)),
            area: who.tree.area_of(Some(i.hall_id)).map(|a| a.name.clone()).unwrap_or_default(),
            day: i.day.to_string(),
            inspector: names.get(&i.inspector_id).cloned().unwrap_or_default(),
            score: i.score.map(|s| crate::domain::score::short_decimals(i64::from(s))),
            zero_hits: i.zero_hits,
        })
        .collect())
}

pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let mut c = state
        .db(move |conn| {
            let now = crate::db::now();
            let today = crate::time::local_date(now);
            let who = Who::load(conn, me)?;
            let required = crate::settings::number(conn, &crate::settings::INSPECT_DAILY_REQUIRED)?;
            let mut daily = Vec::new();
            for hall in who.daily_halls() {
                let done_today = crate::inspect::model::daily_count(conn, hall, today)?;
                let open = Inspection::open_today(conn, Kind::Daily, hall, who.me.id, today)?.map(|i| i.id);
                daily.push(DailyHall {
                    id: hall,
                    name: who.tree.name(Some(hall)),
                    done_today,
                    required,
                    open,
                });
            }
            let tasks: Vec<Task> = crate::inspect::rounds::Assignment::open_for(conn, who.me.id, who.city)?
                .into_iter()
                .map(|(a, kind, month)| Task {
                    id: a.id,
                    kind: kind.label(),
                    month: month.to_string(),
                    hall: who.tree.name(Some(a.hall_id)),
                    area: who.tree.area_of(Some(a.hall_id)).map(|n| n.name.clone()).unwrap_or_default(),
                })
                .collect();
            let orders = super::orders::visible(conn, &who, today)?;
            let mine = who.daily_halls();
            let to_rectify: Vec<&super::orders::OrderRow> = orders
                .iter()
                .filter(|o| matches!(o.status_code, "open" | "returned") && mine.contains(&o.hall_id))
                .collect();
            let mut c = Context::new();
            c.insert("tasks", &tasks);
            c.insert("to_rectify", &to_rectify);
            c.insert("overdue", &super::orders::escalated_to(conn, &who, today)?);
            let unfinished = Inspection::unfinished_of(conn, who.me.id)?;
            let halls: Vec<i32> = who.halls().iter().map(|h| h.id).collect();
            let recent = Inspection::recent(conn, &halls, 30)?;
            c.insert("daily", &daily);
            c.insert("unfinished", &rows(conn, &who, unfinished)?);
            c.insert("recent", &rows(conn, &who, recent)?);
            c.insert("city", &who.city);
            c.insert("sees_halls", &!halls.is_empty());
            Ok(c)
        })
        .await?;
    c.insert("today", &crate::time::local_date(crate::db::now()).to_string());
    ctx.render("inspect/index.html", c)
}
