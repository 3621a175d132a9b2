//! The city office's monthly plans: spot checks (/inspections/plan) and
//! cross-inspection rounds (/inspections/cross): draw, adjust, publish; and
//! an inspector starting an assigned visit.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::MonthQuery;
use crate::domain::Month;
use crate::inspect::access::Who;
use crate::inspect::model::{Inspection, Kind};
use crate::inspect::rounds::{self, Assignment, Round};
use crate::inspect::rules::assign;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Serialize)]
struct PairView {
    id: i32,
    hall: String,
    area: String,
    inspector: Option<i32>,
    inspector_name: String,
    /// Who may take this hall (cross: leaders of other counties).
    choices: Vec<(i32, String)>,
    inspection: Option<i32>,
    last_visit: String,
}

fn path_of(kind: Kind) -> &'static str {
    if kind == Kind::Cross {
        "/inspections/cross"
    } else {
        "/inspections/plan"
    }
}

async fn page(ctx: Ctx, state: web::Data<AppState>, kind: Kind, month: Month) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let mut c = state
        .db(move |conn| {
            let who = Who::load(conn, me)?;
            if !who.city {
                return Err(AppError::Forbidden);
            }
            let round = Round::of_month(conn, kind, month)?;
            let leaders = rounds::county_leaders(conn, &who.tree)?;
            let ids: Vec<i32> = leaders.iter().map(|l| l.id).collect();
            let names = crate::accounts::model::User::names(conn, &ids)?;
            let today = crate::time::local_date(crate::db::now());
            let visits = rounds::halls_for_spot(conn, &who.tree, today)?;
            let mut pairs = Vec::new();
            if let Some(r) = &round {
                let all = r.assignments(conn)?;
                // Each leader's load, shown beside their name, so an adjustment that unbalances the round is seen.
                let load = |id: i32| all.iter().filter(|a| a.inspector_id == Some(id)).count();
                for a in r.assignments(conn)? {
                    let area = who.tree.area_of(Some(a.hall_id)).map(|n| n.id);
                    let choices = leaders
                        .iter()
                        .filter(|l| Some(l.area) != area)
                        .map(|l| {
                            (
                                l.id,
                                msg::round_choice(
                                    &names.get(&l.id).cloned().unwrap_or_default(),
                                    &who.tree.name(Some(l.area)),
                                    load(l.id),
                                ),
                            )
                        })
                        .collect();
                    let last = visits.iter().find(|h| h.id == a.hall_id).and_then(|h| h.days_since_visit);
                    let inspection = a.inspection(conn)?;
                    // Who went (a spot check: whoever of the city office started it), else who is named.
                    let went = match inspection {
                        Some(i) => Some(Inspection::find(conn, i)?.inspector_id),
                        None => a.inspector_id,
                    };
                    let inspector_name = match went {
                        Some(id) => crate::accounts::model::User::find(conn, id)?.name,
                        None => msg::INSPECT_ANY_CITY_INSPECTOR.to_string(),
                    };
                    pairs.push(PairView {
                        id: a.id,
                        hall: who.tree.name(Some(a.hall_id)),
                        area: who.tree.name(area),
                        inspector: a.inspector_id,
                        inspector_name,
                        choices,
                        inspection,
                        last_visit: last
                            .map_or_else(|| msg::INSPECT_NEVER_VISITED.to_string(), msg::inspect_days_ago),
                    });
                }
            }
            let mut c = Context::new();
            c.insert("round", &round);
            c.insert("pairs", &pairs);
            c.insert("leaders", &leaders.len());
            Ok(c)
        })
        .await?;
    c.insert("month", &month);
    c.insert("cross", &(kind == Kind::Cross));
    c.insert("path", path_of(kind));
    ctx.render("inspect/round.html", c)
}

pub async fn spot_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    page(ctx, state, Kind::Spot, q.month()).await
}

pub async fn cross_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    page(ctx, state, Kind::Cross, q.month()).await
}

#[derive(Deserialize)]
pub struct MonthForm {
    month: String,
}

async fn draw(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    kind: Kind,
    month: String,
) -> AppResult<HttpResponse> {
    let month = Month::parse(month.trim()).map_err(|_| AppError::NotFound)?;
    let me = ctx.user()?.clone();
    let back = format!("{}?month={month}", path_of(kind));
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let who = Who::load(conn, me)?;
        if !who.city {
            return Err(AppError::Forbidden);
        }
        if Round::of_month(conn, kind, month)?.is_some_and(|r| !r.is_draft()) {
            return Ok(Err(msg::ROUND_ALREADY_PUBLISHED.to_string()));
        }
        let pairs: Vec<(i32, Option<i32>)> = match kind {
            Kind::Spot => {
                let n = crate::settings::number(conn, &crate::settings::INSPECT_SPOT_HALLS)?;
                rounds::propose_spot(conn, &who.tree, n.max(1) as usize, actor.now())?
                    .into_iter()
                    .map(|h| (h, None))
                    .collect()
            }
            _ => {
                let leaders = rounds::county_leaders(conn, &who.tree)?;
                let halls = rounds::halls_for_spot(conn, &who.tree, crate::time::local_date(actor.now()))?;
                let round = assign::cross_assign(&halls, &leaders, rounds::seed(actor.now()));
                if round.pairs.is_empty() {
                    return Ok(Err(msg::ROUND_NO_LEADERS.to_string()));
                }
                round.pairs.into_iter().map(|(h, i)| (h, Some(i))).collect()
            }
        };
        let r = Round::create(conn, kind, month, &pairs, actor.id, actor.now())?;
        actor.audit(conn, "inspection_round", &msg::audit_round(r.id, kind.label(), month, pairs.len()))?;
        Ok(Ok(Done::flash(msg::round_drawn(kind == Kind::Cross, pairs.len()))))
    })
    .await
}

pub async fn draw_spot(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Form<MonthForm>,
) -> AppResult<HttpResponse> {
    draw(ctx, req, state, Kind::Spot, f.into_inner().month).await
}

pub async fn draw_cross(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    f: web::Form<MonthForm>,
) -> AppResult<HttpResponse> {
    draw(ctx, req, state, Kind::Cross, f.into_inner().month).await
}

#[derive(Deserialize)]
pub struct InspectorForm {
    #[serde(default)]
    inspector: String,
}

/// POST /inspections/assignments/{id}: another inspector for a hall of a draft round.
pub async fn reassign(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    f: web::Form<InspectorForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let inspector: Option<i32> = f.inspector.trim().parse().ok();
    let me = ctx.user()?.clone();
    let (kind, month) = state
        .db(move |conn| {
            let a = Assignment::find(conn, id)?;
            let r = Round::find(conn, a.round_id)?;
            Ok((r.kind, r.month))
        })
        .await?;
    let back = format!("{}?month={month}", path_of(kind));
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let who = Who::load(conn, me)?;
        if !who.city {
            return Err(AppError::Forbidden);
        }
        let a = Assignment::find(conn, id)?;
        if !Round::find(conn, a.round_id)?.is_draft() {
            return Ok(Err(msg::ROUND_ALREADY_PUBLISHED.to_string()));
        }
        if kind == Kind::Cross {
            let leaders = rounds::county_leaders(conn, &who.tree)?;
            let hall_area = who.tree.area_of(Some(a.hall_id)).map(|n| n.id);
            let ok = inspector
                .and_then(|i| leaders.iter().find(|l| l.id == i))
                .is_some_and(|l| Some(l.area) != hall_area);
            if !ok {
                return Ok(Err(msg::ROUND_OWN_COUNTY.to_string()));
            }
        }
        Assignment::set_inspector(conn, id, inspector)?;
        actor.audit(conn, "inspection_round", &msg::audit_reassign(id, &who.tree.name(Some(a.hall_id))))?;
        Ok(Ok(Done::flash(msg::INSPECT_ITEM_SAVED)))
    })
    .await
}

/// POST /inspections/rounds/{id}/publish: the round goes to its inspectors.
pub async fn publish(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    let r = state.db(move |conn| Ok(Round::find(conn, id)?)).await?;
    let back = format!("{}?month={}", path_of(r.kind), r.month);
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let who = Who::load(conn, me)?;
        if !who.city {
            return Err(AppError::Forbidden);
        }
        let r = Round::find(conn, id)?;
        if !r.is_draft() {
            return Ok(Err(msg::ROUND_ALREADY_PUBLISHED.to_string()));
        }
        if r.kind == Kind::Cross && r.assignments(conn)?.iter().any(|a| a.inspector_id.is_none()) {
            return Ok(Err(msg::ROUND_UNASSIGNED.to_string()));
        }
        Round::publish(conn, id, actor.now())?;
        actor.audit(conn, "inspection_round", &msg::audit_round(id, r.kind.label(), r.month, 0))?;
        let done = if r.kind == Kind::Cross { msg::ROUND_PUBLISHED_CROSS } else { msg::ROUND_PUBLISHED };
        Ok(Ok(Done::flash(done)))
    })
    .await
}

/// POST /inspections/assignments/{id}/start: the inspector begins an assigned visit.
pub async fn start(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    action::act(&ctx, &req, &state, "/inspections", move |conn, actor| {
        let who = Who::load(conn, me)?;
        let Some((a, kind, _)) =
            Assignment::open_for(conn, actor.id, who.city)?.into_iter().find(|(a, _, _)| a.id == id)
        else {
            return Err(AppError::NotFound);
        };
        let i = Inspection::start(conn, kind, a.hall_id, actor.id, Some(a.id), actor.now())?;
        actor.audit(
            conn,
            "inspection_started",
            &msg::audit_inspection(i.id, kind.label(), &who.tree.name(Some(a.hall_id))),
        )?;
        Ok(Ok::<_, String>(Done::then(msg::INSPECT_STARTED, format!("/inspections/{}", i.id))))
    })
    .await
}
