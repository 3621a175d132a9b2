//! The 360 pages: rounds (the city office creates one, adjusts its raters,
//! opens and closes it; supervisors follow their scope), the rater's list and
//! questionnaire, and a leader's results once the round is closed.

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::model::{self, items_from_text, Perspective, Refusal, Round, Status};
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::domain::org::OrgTree;
use crate::domain::score::two_decimals;
use crate::domain::{Month, Scope};
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// Trainers, admins and the city's supervisors run rounds.
fn is_city(conn: &mut Conn, me: &CurrentUser) -> diesel::QueryResult<bool> {
    Ok(me.has_any_role(&[Role::Trainer, Role::Admin]) || crate::accounts::User::is_city_wide(conn, me)?)
}

/// Who may read a leader's results: the leader, their hall's manager, supervisors over the hall, the city office.
fn reads_results(me: &CurrentUser, tree: &OrgTree, leader: i32, hall: Option<i32>) -> bool {
    me.id == leader
        || Scope::supervising(me).sees(tree, hall)
        || hall.is_some_and(|h| me.scopes(Role::HallManager).contains(&h))
}

#[derive(Serialize)]
struct LeaderLine {
    id: i32,
    name: String,
    hall: String,
    area: String,
    raters: Vec<RaterLine>,
    done: usize,
    total: usize,
}

#[derive(Serialize)]
struct RaterLine {
    row: i32,
    name: String,
    perspective: &'static str,
    done: bool,
}

/// The leaders of a round with their raters, in the viewer's scope.
fn leaders(conn: &mut Conn, round: &Round, me: &CurrentUser, city: bool) -> AppResult<Vec<LeaderLine>> {
    let tree = OrgTree::load(conn)?;
    let raters = Round::raters(conn, round.id)?;
    let mut ids: Vec<i32> = raters.iter().flat_map(|r| [r.leader_id, r.rater_id]).collect();
    ids.sort_unstable();
    ids.dedup();
    let people: HashMap<i32, (String, Option<i32>)> = crate::accounts::User::staff_refs(conn)?
        .into_iter()
        .filter(|p| ids.contains(&p.id))
        .map(|p| (p.id, (format!("{} {}", p.staff_no, p.name), p.hall_id)))
        .collect();
    let staff = model::staff(conn)?;
    let hall_of = |leader: i32| -> Option<i32> {
        staff.iter().find(|s| s.id == leader && s.role == Role::TeamLeader).and_then(|s| s.hall)
    };
    let mut leaders: Vec<i32> = raters.iter().map(|r| r.leader_id).collect();
    leaders.dedup();
    let mut out = Vec::new();
    for l in leaders {
        let hall = hall_of(l).or_else(|| people.get(&l).and_then(|p| p.1));
        if !city && !reads_results(me, &tree, l, hall) {
            continue;
        }
        let mine: Vec<&model::Rater> = raters.iter().filter(|r| r.leader_id == l).collect();
        out.push(LeaderLine {
            id: l,
            name: people.get(&l).map(|p| p.0.clone()).unwrap_or_default(),
            hall: tree.name(hall),
            area: tree.area_of(hall).map(|a| a.name.clone()).unwrap_or_default(),
            // Who rates whom is the city office's to see (reminders), nobody else's.
            raters: if city {
                mine.iter()
                    .map(|r| RaterLine {
                        row: r.id,
                        name: people.get(&r.rater_id).map(|p| p.0.clone()).unwrap_or_default(),
                        perspective: r.perspective().map_or("", Perspective::label),
                        done: r.done,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            done: mine.iter().filter(|r| r.done).count(),
            total: mine.len(),
        });
    }
    Ok(out)
}

/// GET /review360: the rounds, and (city office) a new one.
pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (rounds, city, items) = state
        .db(move |conn| {
            let city = is_city(conn, &me)?;
            let (_, items) = Round::last_questionnaire(conn)?;
            Ok((Round::all(conn)?, city, items))
        })
        .await?;
    let mut c = Context::new();
    c.insert("rounds", &rounds);
    c.insert("city", &city);
    c.insert("items", &items.iter().map(|i| i.label.clone()).collect::<Vec<_>>().join("\n"));
    c.insert("month", &Month::current());
    ctx.render("review360/index.html", c)
}

#[derive(Deserialize)]
pub struct CreateForm {
    title: String,
    month: String,
    #[serde(default)]
    items: String,
}

/// POST /review360: a draft round with raters from the org tree.
pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CreateForm>,
) -> AppResult<HttpResponse> {
    let f = form.into_inner();
    let me = ctx.user()?.clone();
    let month =
        crate::web::month::typed_month(&f.month, msg::EXAM_BAD_MONTH).map_err(AppError::bad_request)?;
    action::act(&ctx, &req, &state, "/review360", move |conn, actor| {
        if !is_city(conn, &me)? {
            return Err(AppError::Forbidden);
        }
        match Round::create(conn, &f.title, month, items_from_text(&f.items), actor.id, actor.now())? {
            Ok(id) => {
                actor.audit(conn, "review360_create", &msg::audit_r360(id, f.title.trim(), "建立"))?;
                Ok(Ok(Done::then(msg::R360_CREATED, format!("/review360/{id}"))))
            }
            Err(why) => Ok(Err(why)),
        }
    })
    .await
}

/// GET /review360/{id}: the round's leaders, raters and completion.
pub async fn round(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    let (round, city, lines) = state
        .db(move |conn| {
            let round = Round::find(conn, id)?;
            let city = is_city(conn, &me)?;
            let lines = leaders(conn, &round, &me, city)?;
            Ok((round, city, lines))
        })
        .await?;
    let pending: Vec<String> = lines
        .iter()
        .flat_map(|l| l.raters.iter().filter(|r| !r.done).map(|r| r.name.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut c = Context::new();
    c.insert("round", &round);
    c.insert("city", &city);
    c.insert("leaders", &lines);
    c.insert("pending", &pending);
    c.insert("perspectives", &Perspective::ALL.iter().map(|p| (p.code(), p.label())).collect::<Vec<_>>());
    ctx.render("review360/round.html", c)
}

#[derive(Deserialize)]
pub struct RaterForm {
    leader: i32,
    staff_no: String,
    perspective: String,
}

/// POST /review360/{id}/raters: adds a rater to a draft round (by 工号).
pub async fn add_rater(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<RaterForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let f = form.into_inner();
    let me = ctx.user()?.clone();
    let back = format!("/review360/{id}#l{}", f.leader);
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let round = Round::find(conn, id)?;
        if !is_city(conn, &me)? {
            return Err(AppError::Forbidden);
        }
        if round.status != Status::Draft {
            return Ok(Err(msg::R360_NOT_DRAFT.to_string()));
        }
        let Some(p) = Perspective::parse(&f.perspective) else { return Err(AppError::NotFound) };
        let who = crate::accounts::User::staff_refs(conn)?
            .into_iter()
            .find(|u| u.staff_no == f.staff_no.trim() && u.active);
        let Some(who) = who else { return Ok(Err(msg::r360_unknown_staff(f.staff_no.trim()))) };
        if who.id == f.leader {
            return Ok(Err(Refusal::SelfRating.to_string()));
        }
        if !Round::raters(conn, id)?.iter().any(|r| r.leader_id == f.leader) {
            return Err(AppError::NotFound);
        }
        if !model::fits(&model::staff(conn)?, f.leader, who.id, p) {
            return Ok(Err(Refusal::WrongPerspective.to_string()));
        }
        model::add(conn, id, f.leader, who.id, p)?;
        actor.audit(conn, "review360_rater", &msg::audit_r360_rater(id, f.leader, &who.name, p.label()))?;
        Ok(Ok(Done::flash(msg::r360_rater_added(&who.name))))
    })
    .await
}

/// POST /review360/{id}/raters/{rater_id}/remove.
pub async fn remove_rater(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, row) = path.into_inner();
    let me = ctx.user()?.clone();
    action::act(&ctx, &req, &state, &format!("/review360/{id}"), move |conn, actor| {
        let round = Round::find(conn, id)?;
        if !is_city(conn, &me)? {
            return Err(AppError::Forbidden);
        }
        if round.status != Status::Draft {
            return Ok(Err(Refusal::NotDraft));
        }
        if model::remove(conn, id, row)? == 0 {
            return Err(AppError::NotFound);
        }
        actor.audit(conn, "review360_rater_remove", &msg::audit_r360(id, &row.to_string(), "移除评价人"))?;
        Ok(Ok(Done::flash(msg::R360_RATER_REMOVED)))
    })
    .await
}

async fn set_status(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: i32,
    from: Status,
    to: Status,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    action::act(&ctx, &req, &state, &format!("/review360/{id}"), move |conn, actor| {
        let round = Round::find(conn, id)?;
        if !is_city(conn, &me)? {
            return Err(AppError::Forbidden);
        }
        if !Round::set_status(conn, id, from, to, actor.now())? {
            return Ok(Err(if from == Status::Draft { Refusal::NotDraft } else { Refusal::NotOpen }));
        }
        actor.audit(conn, "review360_status", &msg::audit_r360(id, &round.title, to.label()))?;
        Ok(Ok(Done::flash(if to == Status::Open { msg::R360_OPENED } else { msg::R360_CLOSED_DONE })))
    })
    .await
}

/// POST /review360/{id}/open: raters can answer from now on.
pub async fn open(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    set_status(ctx, req, state, path.into_inner(), Status::Draft, Status::Open).await
}

/// POST /review360/{id}/close: no more answers; results show.
pub async fn close(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    set_status(ctx, req, state, path.into_inner(), Status::Open, Status::Closed).await
}

#[derive(Serialize)]
struct Task {
    round_id: i32,
    round: String,
    leader_id: i32,
    leader: String,
    perspective: &'static str,
    done: bool,
}

/// GET /review360/mine: the questionnaires the viewer has to fill, and (a leader) their results.
pub async fn mine(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (tasks, results, overseen) = state
        .db(move |conn| {
            let rounds = Round::all(conn)?;
            let tree = OrgTree::load(conn)?;
            let staff = model::staff(conn)?;
            let hall_of = |leader: i32| {
                staff.iter().find(|s| s.id == leader && s.role == Role::TeamLeader).and_then(|s| s.hall)
            };
            let mut overseen = Vec::new();
            let names: HashMap<i32, String> = crate::accounts::User::staff_refs(conn)?
                .into_iter()
                .map(|p| (p.id, format!("{} {}", p.staff_no, p.name)))
                .collect();
            let mut tasks = Vec::new();
            let mut results = Vec::new();
            for r in rounds.iter() {
                let raters = Round::raters(conn, r.id)?;
                if r.status == Status::Open {
                    for row in raters.iter().filter(|x| x.rater_id == me.id) {
                        tasks.push(Task {
                            round_id: r.id,
                            round: r.title.clone(),
                            leader_id: row.leader_id,
                            leader: names.get(&row.leader_id).cloned().unwrap_or_default(),
                            perspective: row.perspective().map_or("", Perspective::label),
                            done: row.done,
                        });
                    }
                }
                if r.status == Status::Closed && raters.iter().any(|x| x.leader_id == me.id) {
                    results.push((r.id, r.title.clone()));
                }
                // The leaders this person oversees (their hall's manager, supervisors over the hall).
                if r.status == Status::Closed {
                    let mut leaders: Vec<i32> =
                        raters.iter().map(|x| x.leader_id).filter(|l| *l != me.id).collect();
                    leaders.sort_unstable();
                    leaders.dedup();
                    for l in leaders.into_iter().filter(|l| reads_results(&me, &tree, *l, hall_of(*l))) {
                        let leader = names.get(&l).cloned().unwrap_or_default();
                        overseen.push((r.id, r.title.clone(), l, leader));
                    }
                }
            }
            Ok((tasks, results, overseen))
        })
        .await?;
    let mut c = Context::new();
    c.insert("tasks", &tasks);
    c.insert("pending", &tasks.iter().filter(|t| !t.done).count());
    c.insert("results", &results);
    c.insert("overseen", &overseen);
    c.insert("my_id", &ctx.user()?.id);
    ctx.render("review360/mine.html", c)
}

/// GET /review360/{id}/rate/{leader_id}: the questionnaire.
pub async fn form(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, leader) = path.into_inner();
    let me = ctx.user()?.id;
    let (round, row, name, min) = state
        .db(move |conn| {
            let round = Round::find(conn, id)?;
            let row =
                Round::raters(conn, id)?.into_iter().find(|r| r.leader_id == leader && r.rater_id == me);
            let Some(row) = row else { return Err(AppError::NotFound) };
            let name = crate::accounts::User::names(conn, &[leader])?.remove(&leader).unwrap_or_default();
            let min = crate::evaluation::rules::three_sixty::threshold(crate::settings::number(
                conn,
                &crate::settings::THREE_SIXTY_THRESHOLD,
            )?);
            Ok((round, row, name, min))
        })
        .await?;
    let p = row.perspective().ok_or(AppError::NotFound)?;
    let mut c = Context::new();
    c.insert("round", &round);
    c.insert("leader_id", &leader);
    c.insert("leader", &name);
    c.insert("perspective", p.label());
    c.insert("superior", &(p == Perspective::Superior));
    c.insert("done", &row.done);
    c.insert("threshold", &min);
    c.insert("scale", &[1, 2, 3, 4, 5]);
    ctx.render("review360/form.html", c)
}

/// POST /review360/{id}/rate/{leader_id}: `s1`…`sN` (1–5) and a comment.
pub async fn submit(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let (id, leader) = path.into_inner();
    let fields = form.into_inner();
    let me = ctx.user()?.id;
    let back = format!("/review360/{id}/rate/{leader}");
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let round = Round::find(conn, id)?;
        let scores: Vec<i64> = (1..=round.items.len())
            .map(|i| {
                fields
                    .iter()
                    .find(|(k, _)| *k == format!("s{i}"))
                    .and_then(|(_, v)| v.trim().parse().ok())
                    .unwrap_or(0)
            })
            .collect();
        let comment = fields.iter().find(|(k, _)| k == "comment").map(|(_, v)| v.clone()).unwrap_or_default();
        match model::submit(conn, &round, leader, me, &scores, &comment)? {
            Ok(()) => {
                // The audit says that someone answered this round, not for whom: the log must not tie them either.
                actor.audit(conn, "review360_answer", &msg::audit_r360(id, &round.title, "提交一份问卷"))?;
                Ok(Ok(Done::then(msg::R360_THANKS, "/review360/mine")))
            }
            Err(Refusal::NotRater) => Err(AppError::NotFound),
            Err(why) => Ok(Err(why)),
        }
    })
    .await
}

#[derive(Serialize)]
struct ItemLine {
    label: String,
    groups: Vec<String>,
    city: String,
}

/// GET /review360/{id}/results/{leader_id}: the leader's results by group (closed rounds).
pub async fn results(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, leader) = path.into_inner();
    let me = ctx.user()?.clone();
    let (round, r, name, city) = state
        .db(move |conn| {
            let round = Round::find(conn, id)?;
            let tree = OrgTree::load(conn)?;
            let staff = model::staff(conn)?;
            let hall =
                staff.iter().find(|s| s.id == leader && s.role == Role::TeamLeader).and_then(|s| s.hall);
            let city = is_city(conn, &me)?;
            if !city && !reads_results(&me, &tree, leader, hall) {
                return Err(AppError::NotFound);
            }
            let all = model::results(conn, &round)?;
            let Some(r) = all.get(&leader).cloned() else { return Err(AppError::NotFound) };
            let name = crate::accounts::User::names(conn, &[leader])?.remove(&leader).unwrap_or_default();
            Ok((round, r, name, city))
        })
        .await?;
    let mut c = Context::new();
    c.insert("round", &round);
    c.insert("leader", &name);
    c.insert("closed", &(round.status == Status::Closed));
    c.insert("city", &city);
    if round.status == Status::Closed {
        let items: Vec<ItemLine> = round
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| ItemLine {
                label: item.label.clone(),
                groups: r
                    .groups
                    .iter()
                    .map(|g| match g.items.get(i).copied().flatten() {
                        Some(v) => two_decimals(v),
                        None if g.answered > 0 => msg::R360_HIDDEN.into(),
                        None => String::new(),
                    })
                    .collect(),
                city: r.city.get(i).copied().flatten().map(two_decimals).unwrap_or_default(),
            })
            .collect();
        c.insert("items", &items);
        c.insert("groups", &r.groups);
        c.insert(
            "means",
            &r.groups.iter().map(|g| g.mean.map(two_decimals).unwrap_or_default()).collect::<Vec<_>>(),
        );
        c.insert("overall", &r.overall.map(two_decimals).unwrap_or_default());
        c.insert("superior", &r.superior);
        c.insert("threshold", &r.threshold);
    }
    ctx.render("review360/results.html", c)
}
