//! The list, one person's month, the viewer's own month, and the export.

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::{month_of, role_of, EvalQuery, Viewer};
use crate::evaluation::model::{self, Appeal, Evaluation, RoleSheet};
use crate::evaluation::rules::Missing;
use crate::evaluation::scheme::EvalRole;
use crate::web::{xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

/// The month's state as every evaluation page shows it.
#[derive(Serialize)]
struct State {
    closed: Option<crate::closing::Closed>,
    reopened: Option<crate::closing::Reopened<model::Change>>,
}

/// GET /evaluation: the role's month in the viewer's scope, sortable.
pub async fn list(ctx: Ctx, state: web::Data<AppState>, q: web::Query<EvalQuery>) -> AppResult<HttpResponse> {
    let month = month_of(q.month.as_deref())?;
    let role = role_of(q.role.as_deref());
    let me = ctx.user()?.clone();
    let (sheet, st, city, rater, appeals_open, admin) = state
        .db(move |conn| {
            let viewer = Viewer::load(conn, me)?;
            let view = model::month_view(conn, month)?;
            let Some(mut sheet) = view.figures.role(role).cloned() else { return Err(AppError::NotFound) };
            sheet.people.retain(|e| viewer.sees(e.hall_id));
            let open = Appeal::of_month(conn, month)?
                .iter()
                .filter(|a| a.status() == model::AppealStatus::Open)
                .filter(|a| sheet.people.iter().any(|e| e.user_id == a.user_id))
                .count();
            let st = State { closed: view.closed.map(|c| c.1), reopened: view.reopened };
            let admin = viewer.me.has_role(crate::auth::Role::Admin);
            Ok((sheet, st, viewer.city, !viewer.managed().is_empty(), open, admin))
        })
        .await?;
    let sort = q.sort.clone().unwrap_or_else(|| "rank".into());
    let desc = q.desc.as_deref() == Some("1");
    // The areas on the list, in its order, to narrow a long city list to one.
    let mut areas: Vec<(i32, String)> = Vec::new();
    for e in &sheet.people {
        if let Some(id) = e.area_id {
            if !areas.iter().any(|(a, _)| *a == id) {
                areas.push((id, e.area.clone()));
            }
        }
    }
    areas.sort_by_key(|(id, _)| *id);
    let area = q.area.filter(|a| areas.iter().any(|(id, _)| id == a));
    let mut people: Vec<Evaluation> =
        sheet.people.iter().filter(|e| area.is_none() || e.area_id == area).cloned().collect();
    sort_people(&mut people, &sheet, &sort, desc);
    let mut c = super::context(month);
    c.insert("role", role.code());
    c.insert("roles", &EvalRole::ALL.iter().map(|r| (r.code(), r.label())).collect::<Vec<_>>());
    c.insert("sheet", &sheet);
    c.insert("people", &people);
    c.insert("sort", &sort);
    c.insert("desc", &desc);
    c.insert("flip", if desc { "0" } else { "1" });
    c.insert("areas", &areas);
    c.insert("area", &area);
    c.insert("area_q", &area.map(|a| format!("&area={a}")).unwrap_or_default());
    c.insert("state", &st);
    c.insert("city", &city);
    c.insert("admin", &admin);
    c.insert("rater", &rater);
    c.insert("appeals_open", &appeals_open);
    c.insert("missing_note", missing_note(sheet.missing));
    ctx.render("evaluation/list.html", c)
}

/// Sorts by a column: rank, name, hall, total or a component's code.
fn sort_people(people: &mut [Evaluation], sheet: &RoleSheet, sort: &str, desc: bool) {
    use std::cmp::Ordering;
    let part = sheet.heads.iter().position(|h| h.code == sort);
    let flip = |o: Ordering| if desc { o.reverse() } else { o };
    people.sort_by(|a, b| {
        let o = match (sort, part) {
            ("name", _) => flip(a.staff_no.cmp(&b.staff_no)),
            ("hall", _) => flip(a.area.cmp(&b.area).then_with(|| a.hall.cmp(&b.hall))),
            ("total", _) => flip(a.total.cmp(&b.total)),
            // No figure sorts last either way.
            (_, Some(i)) => match (a.parts[i].points, b.parts[i].points) {
                (Some(x), Some(y)) => flip(x.cmp(&y)),
                (x, y) => y.is_none().cmp(&x.is_none()).reverse(),
            },
            _ => flip(a.rank.cmp(&b.rank)),
        };
        // Ties in rank order, whichever way the column runs.
        o.then_with(|| a.rank.cmp(&b.rank)).then_with(|| a.staff_no.cmp(&b.staff_no))
    });
}

pub fn missing_note(m: Missing) -> &'static str {
    match m {
        Missing::Rescale => crate::web::msg::EVAL_MISSING_RESCALE,
        Missing::Zero => crate::web::msg::EVAL_MISSING_ZERO,
    }
}

/// One person's month in each role they were evaluated in, with their appeals.
#[derive(Serialize)]
struct Card {
    role: &'static str,
    role_code: &'static str,
    missing_note: &'static str,
    ranked: usize,
    heads: Vec<crate::evaluation::model::Head>,
    e: Evaluation,
}

#[derive(Serialize)]
struct AppealView {
    id: i32,
    component: String,
    reason: String,
    status: &'static str,
    status_code: &'static str,
    filed: String,
    answer: String,
    before: String,
    after: String,
}

fn appeal_views(appeals: &[Appeal], user: i32, heads: &[crate::evaluation::model::Head]) -> Vec<AppealView> {
    appeals
        .iter()
        .filter(|a| a.user_id == user)
        .map(|a| AppealView {
            id: a.id,
            component: heads
                .iter()
                .find(|h| h.code == a.component)
                .map_or(a.component.clone(), |h| h.label.clone()),
            reason: a.reason.clone(),
            status: a.status().label(),
            status_code: a.status().code(),
            filed: crate::time::local_display(a.filed_at),
            answer: a.answer.clone(),
            before: a
                .points_before
                .map(|p| crate::domain::score::two_decimals(i64::from(p)))
                .unwrap_or_default(),
            after: a
                .points_after
                .map(|p| crate::domain::score::two_decimals(i64::from(p)))
                .unwrap_or_default(),
        })
        .collect()
}

async fn person_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    month: crate::domain::Month,
    user: i32,
    own: bool,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (cards, appeals, st, name) = state
        .db(move |conn| {
            let viewer = Viewer::load(conn, me)?;
            let view = model::month_view(conn, month)?;
            let mut cards = Vec::new();
            let mut heads_all = Vec::new();
            for sheet in &view.figures.roles {
                if let Some(e) = sheet.people.iter().find(|e| e.user_id == user) {
                    if !own && !viewer.sees(e.hall_id) {
                        return Err(AppError::NotFound);
                    }
                    heads_all.extend(sheet.heads.clone());
                    cards.push(Card {
                        role: sheet.role.label(),
                        role_code: sheet.role.code(),
                        missing_note: missing_note(sheet.missing),
                        ranked: sheet.people.len(),
                        heads: sheet.heads.clone(),
                        e: e.clone(),
                    });
                }
            }
            if cards.is_empty() && !own {
                return Err(AppError::NotFound);
            }
            let appeals = appeal_views(&Appeal::of_month(conn, month)?, user, &heads_all);
            let name = crate::accounts::User::names(conn, &[user])?.remove(&user).unwrap_or_default();
            Ok((cards, appeals, State { closed: view.closed.map(|c| c.1), reopened: None }, name))
        })
        .await?;
    let mut c = super::context(month);
    c.insert("cards", &cards);
    c.insert("appeals", &appeals);
    c.insert("own", &own);
    c.insert("state", &st);
    c.insert("name", &name);
    c.insert("user_id", &user);
    ctx.render("evaluation/person.html", c)
}

/// GET /my/evaluation: the viewer's own month with the explanation of each point and the appeal forms.
pub async fn mine(ctx: Ctx, state: web::Data<AppState>, q: web::Query<EvalQuery>) -> AppResult<HttpResponse> {
    let month = month_of(q.month.as_deref())?;
    let me = ctx.user()?.id;
    person_page(ctx, state, month, me, true).await
}

/// GET /evaluation/people/{id}: someone's month, for who oversees their hall.
pub async fn person(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<EvalQuery>,
) -> AppResult<HttpResponse> {
    let month = month_of(q.month.as_deref())?;
    let user = path.into_inner();
    let me = ctx.user()?;
    let own = me.id == user && me.has_any_role(&[crate::auth::Role::Clerk, crate::auth::Role::TeamLeader]);
    person_page(ctx, state, month, user, own).await
}

/// GET /evaluation/export.xlsx: the role's month in the viewer's scope, for HR.
pub async fn export(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<EvalQuery>,
) -> AppResult<HttpResponse> {
    let month = month_of(q.month.as_deref())?;
    let role = role_of(q.role.as_deref());
    let me = ctx.user()?.clone();
    let (sheet, closed) = state
        .db(move |conn| {
            let viewer = Viewer::load(conn, me)?;
            let view = model::month_view(conn, month)?;
            let Some(mut sheet) = view.figures.role(role).cloned() else { return Err(AppError::NotFound) };
            sheet.people.retain(|e| viewer.sees(e.hall_id));
            Ok((sheet, view.closed.is_some()))
        })
        .await?;
    let bytes = crate::evaluation::export::xlsx(month, &sheet, closed).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("evaluation-{}-{month}.xlsx", role.code())))
}
