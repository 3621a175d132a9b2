//! A clerk's 必读 list and a hall's reminder list.

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use tera::Context;

use super::{my_items, today};
use crate::auth::Role;
use crate::db::Conn;
use crate::exam::model::Tree;
use crate::kb::model::{self, Member};
use crate::kb::rules::ReadStatus;
use crate::schema::users;
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

/// GET /kb/my: my 必读 items and everything I have confirmed.
pub async fn mine(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let (me, badges) = (ctx.user()?.clone(), state.kb_badges.clone());
    let (items, history) = state
        .db(move |conn| {
            let items = my_items(conn, &me, &badges)?;
            let history: Vec<(i32, i32, String, String, i32)> = model::Reading::confirmed_by(conn, me.id)?
                .into_iter()
                .map(|(a, v, t, at, s)| (a, v, t, at.map(crate::time::local_display).unwrap_or_default(), s))
                .collect();
            Ok((items, history))
        })
        .await?;
    let mut c = Context::new();
    c.insert("items", &items);
    c.insert("history", &history);
    ctx.render("kb/mine.html", c)
}

/// One person × item of a hall's reminder list.
#[derive(Serialize)]
pub struct Missing {
    pub staff_no: String,
    pub name: String,
    /// (title, due date, days left) of each unread item.
    pub titles: Vec<(String, NaiveDate, i64)>,
}

/// The hall's name and who in it has not read what (also the team leader's home).
pub fn missing_in(conn: &mut Conn, hall: i32) -> QueryResult<(String, Vec<Missing>)> {
    let tree = Tree::load(conn)?;
    let staff: Vec<(i32, Option<String>, String, Option<i32>)> = users::table
        .filter(users::active.eq(true))
        .filter(users::hall_id.eq(hall))
        .order(users::staff_no)
        .select((users::id, users::staff_no, users::name, users::hall_id))
        .load(conn)?;
    let mut out = Vec::new();
    for (uid, no, name, hall_id) in staff {
        let member = Member::load(conn, uid, hall_id, &tree)?;
        let titles: Vec<(String, NaiveDate, i64)> = model::items_of(conn, &member, today())?
            .into_iter()
            .filter(|i| i.status == ReadStatus::Unread && !i.exempt)
            .map(|i| (i.title, i.due_date, i.days_left))
            .collect();
        if !titles.is_empty() {
            out.push(Missing { staff_no: no.unwrap_or_default(), name, titles });
        }
    }
    Ok((tree.name(Some(hall)), out))
}

/// GET /kb/hall: for a team leader or hall manager, who in the hall has not
/// read what (with due dates), and the reminder text for the morning meeting.
pub async fn hall(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?;
    let halls: Vec<i32> = [Role::TeamLeader, Role::HallManager].iter().flat_map(|r| me.scopes(*r)).collect();
    let (hall_name, missing) = match halls.first().copied() {
        Some(hall) => state.db(move |conn| Ok(missing_in(conn, hall)?)).await?,
        None => (String::new(), Vec::new()),
    };
    let lines: Vec<(String, String)> = missing
        .iter()
        .map(|m| {
            let titles: Vec<String> =
                m.titles.iter().map(|t| format!("《{}》（{} 截止）", t.0, t.1)).collect();
            (m.name.clone(), titles.join("、"))
        })
        .collect();
    let mut c = Context::new();
    c.insert("hall", &hall_name);
    // Printed for the morning meeting: the day the "days left" count from.
    c.insert("printed_at", &crate::time::local_display(crate::db::now()));
    c.insert("missing", &missing);
    c.insert("reminder", &msg::kb_reminder(&hall_name, &lines));
    ctx.render("kb/hall.html", c)
}
