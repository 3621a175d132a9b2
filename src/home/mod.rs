//! The home page: what each role needs first.

pub mod work;

use actix_web::{web, HttpResponse};
use tera::Context;

use crate::accounts::User;
use crate::auth::Role;
use crate::org::{OrgUnit, UnitKind};
use crate::web::{AppResult, Ctx};
use crate::AppState;

pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let mut c = Context::new();
    if me.has_role(Role::Admin) {
        c.extend(state.db(|conn| Ok(site_overview(conn)?)).await?);
    }
    let (uid, hall) = (me.id, me.hall_id);
    let exams = state.db(move |conn| crate::exam::routes::sit::home::home_exams(conn, uid, hall)).await?;
    c.insert("exams", &exams);
    let who = me.clone();
    let badges = state.kb_badges.clone();
    let kb_items = state.db(move |conn| Ok(crate::kb::routes::my_items(conn, &who, &badges)?)).await?;
    c.insert("kb_items", &kb_items);
    if me.has_role(Role::Clerk) {
        let month = crate::domain::Month::current();
        let notice = state.db(move |conn| Ok(crate::review::close::notice(conn, uid, month)?)).await?;
        c.insert("retest_notice", &notice);
        let calls = state.db(move |conn| Ok(crate::phone::routes::recent(conn, uid)?)).await?;
        c.insert("phone_calls", &calls);
        let cache = state.home_cards.clone();
        let (card, trend) =
            state.db(move |conn| Ok(crate::scorecard::routes::home_parts(conn, &cache, uid)?)).await?;
        c.insert("my_card", &card);
        c.insert("my_trend_svg", &trend);
        // Practice: one indexed read of the clerk's own answers.
        let (days, today) = state.db(move |conn| Ok(crate::practice::model::days(conn, uid)?)).await?;
        let on = crate::time::local_date(crate::db::now());
        let practised: std::collections::BTreeSet<_> = days.iter().copied().collect();
        c.insert(
            "practice_streak",
            &crate::web::msg::practice_streak(crate::practice::rules::streak(&practised, on)),
        );
        c.insert("practice_today", &today.len());
        c.insert(
            "practice_week",
            &crate::practice::routes::week_chart(&crate::practice::rules::week(&days, on)),
        );
    }
    let who = me.clone();
    let panels = state.db(move |conn| Ok(work::panels(conn, &who)?)).await?;
    c.insert("panels", &panels);
    c.insert("is_admin", &me.has_role(Role::Admin));
    c.insert("is_clerk", &me.has_role(Role::Clerk));
    ctx.render("home/index.html", c)
}

/// The admin's overview of the site: areas, halls, accounts, people by role.
fn site_overview(conn: &mut crate::db::Conn) -> diesel::QueryResult<Context> {
    let units = OrgUnit::all(conn)?;
    let staff = User::count_all(conn)?;
    let by_role = User::count_by_role(conn)?;
    let mut c = Context::new();
    let count = |kind: UnitKind| units.iter().filter(|u| u.active && u.kind() == Some(kind)).count();
    c.insert("areas", &(count(UnitKind::District) + count(UnitKind::County)));
    c.insert("counties", &count(UnitKind::County));
    c.insert("halls", &count(UnitKind::Hall));
    c.insert("staff", &staff);
    let roles: Vec<(&str, i64)> = Role::ALL
        .iter()
        .map(|r| (r.label(), by_role.iter().find(|(code, _)| code == r.code()).map(|(_, n)| *n).unwrap_or(0)))
        .collect();
    c.insert("by_role", &roles);
    c.insert("empty_site", &units.is_empty());
    Ok(c)
}

/// GET /healthz: the process answers (for a load balancer's probe, and the
/// load benchmark's trivial-request ceiling). Touches no database.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; charset=utf-8").body("ok")
}
