//! The dashboard and weak-spot pages (supervisors their scope, trainers and
//! admins everything): parse the month, load in scope, render.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::model::{self, Viewer};
use super::{board, knowledge, spots};
use crate::auth::Role;
use crate::db::Conn;
use crate::domain::Month;
use crate::web::month::{asked_month, month_context, MonthQuery};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct KnowledgeQuery {
    month: Option<String>,
    /// "hall", else by county.
    #[serde(default)]
    by: String,
    /// "1": every knowledge point, not only the weakest.
    #[serde(default)]
    all: String,
}

#[derive(Deserialize)]
pub struct QuestionsQuery {
    month: Option<String>,
    #[serde(default)]
    kp: String,
    /// "city" or a county's or hall's id.
    #[serde(default)]
    unit: String,
    #[serde(default)]
    by: String,
}

/// Runs `work` with the viewer's scope and the month: the asked one (parsed
/// by the handler), else [`model::chosen_month`]'s default.
async fn in_scope<T, F>(ctx: &Ctx, state: &AppState, asked: Option<Month>, work: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Conn, &Viewer, Month) -> AppResult<T> + Send + 'static,
{
    let me = ctx.user()?.clone();
    state
        .db(move |conn| {
            let month = model::chosen_month(conn, asked)?;
            let scope = Viewer::load(conn, me)?;
            work(conn, &scope, month)
        })
        .await
}

/// GET /dashboard: the month's numbers with links into each list.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let asked = asked_month(q.month.as_deref(), msg::WEAK_BAD_MONTH)?;
    let b = in_scope(&ctx, &state, asked, |conn, scope, month| Ok(board::board(conn, scope, month)?)).await?;
    // The customers' voice beside the exam: the month's SMS satisfaction in scope.
    let (me, month) = (ctx.user()?.clone(), b.month);
    let satisfaction = state
        .db(move |conn| {
            let tree = crate::domain::OrgTree::load(conn)?;
            let scope = crate::domain::Scope::supervising(&me);
            let from = crate::satisfaction::model::satisfied_from(conn)?;
            let replies: Vec<_> = crate::satisfaction::model::Reply::of_month(conn, month)?
                .into_iter()
                .filter(|r| scope.sees(&tree, Some(r.hall_id)))
                .collect();
            Ok(crate::satisfaction::model::count(&replies, from).city)
        })
        .await?;
    let mut c = month_context(b.month);
    c.insert("satisfaction_rate", &crate::domain::score::percent_text(satisfaction.rate()));
    c.insert("satisfaction", &satisfaction);
    c.insert("b", &b);
    ctx.render("dashboard/index.html", c)
}

/// GET /weak/knowledge: the knowledge-point × county (or hall) heat map.
pub async fn knowledge(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<KnowledgeQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (by_hall, all) = (q.by == "hall", q.all == "1");
    let asked = asked_month(q.month.as_deref(), msg::WEAK_BAD_MONTH)?;
    let page = in_scope(&ctx, &state, asked, move |conn, scope, month| {
        knowledge::page(conn, scope, month, by_hall, all)
    })
    .await?;
    let mut c = month_context(page.month);
    c.insert("extra", &format!("&by={}", page.by));
    c.insert("p", &page);
    ctx.render("dashboard/knowledge.html", c)
}

/// GET /weak/knowledge/questions: the questions behind one cell (the exam must be over).
pub async fn questions(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<QuestionsQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let unit = knowledge::parse_unit(&q.unit).ok_or(AppError::NotFound)?;
    let by = if q.by == "hall" { "hall" } else { "county" };
    let asked = asked_month(q.month.as_deref(), msg::WEAK_BAD_MONTH)?;
    let kp = q.kp.trim().to_string();
    let k = kp.clone();
    let page = in_scope(&ctx, &state, asked, move |conn, scope, month| {
        knowledge::questions_page(conn, scope, month, &k, unit, by)
    })
    .await?;
    let mut c = Context::new();
    // 补学 for the clerks who answered this spot wrong (a knowledge point is needed).
    if !kp.is_empty() {
        let query = serde_urlencoded::to_string([
            ("month", page.month.as_str()),
            ("kp", &kp),
            ("unit", q.unit.trim()),
        ]);
        c.insert("remedial_href", &format!("/remedial/new?{}", query.unwrap_or_default()));
    }
    c.insert("p", &page);
    c.insert("bank_links", &ctx.user()?.has_any_role(&[Role::Trainer, Role::Admin]));
    ctx.render("dashboard/questions.html", c)
}

/// GET /weak/phone: each hall's weakest phone-test rubric items.
pub async fn phone(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let asked = asked_month(q.month.as_deref(), msg::WEAK_BAD_MONTH)?;
    let (month, page) = in_scope(&ctx, &state, asked, |conn, scope, month| {
        Ok((month, spots::phone_page(conn, scope, month)?))
    })
    .await?;
    let mut c = month_context(month);
    c.insert("p", &page);
    ctx.render("dashboard/phone.html", c)
}

/// GET /weak/drills: halls × business types whose drills miss.
pub async fn drills(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let asked = asked_month(q.month.as_deref(), msg::WEAK_BAD_MONTH)?;
    let (month, page) = in_scope(&ctx, &state, asked, |conn, scope, month| {
        Ok((month, spots::drills_page(conn, scope, month)?))
    })
    .await?;
    let mut c = month_context(month);
    c.insert("p", &page);
    c.insert("accuracy_floor", &super::rules::percent_text(super::rules::ACCURACY_FLOOR));
    ctx.render("dashboard/drills.html", c)
}
