//! The supervisor's below-average list (live), and its Excel export.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::case::{self, Case, CaseStatus};
use super::model::{self, List};
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::domain::{Month, Scope};
use crate::web::action::{self, Done};
use crate::web::{msg, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
    /// The clerk whose follow-up was just saved (a note beside their row).
    saved: Option<i32>,
    #[serde(flatten)]
    view: model::View,
}

/// The asked month, or the latest month with a monthly exam whose window has closed.
fn chosen_month(conn: &mut Conn, asked: Option<Month>) -> AppResult<Option<Month>> {
    if asked.is_some() {
        return Ok(asked);
    }
    let now = crate::db::now();
    Ok(crate::exam::model::Exam::all(conn)?
        .into_iter()
        .filter(|e| {
            e.kind == crate::exam::model::ExamKind::Monthly
                && e.status == crate::exam::model::PUBLISHED
                && e.closes_at <= now
        })
        .map(|e| e.month)
        .max())
}

/// The counties `me` may filter the list by: only those they may see.
pub(super) fn filter_areas(conn: &mut Conn, me: &CurrentUser) -> diesel::QueryResult<Vec<String>> {
    let tree = crate::domain::OrgTree::load(conn)?;
    let scope = Scope::supervising(me);
    Ok(tree
        .areas()
        .into_iter()
        .filter(|a| a.kind == crate::domain::org::UnitKind::County && scope.sees(&tree, Some(a.id)))
        .map(|a| a.name.clone())
        .collect())
}

/// The month's list as `me` may see it, filtered and sorted by `view`;
/// and whether `me` may close the month. An asked month that is well formed
/// is clamped to 2000–2099; anything else asks for the default.
async fn load(
    state: &AppState,
    asked: Option<&str>,
    view: model::View,
    me: CurrentUser,
) -> AppResult<(Option<Month>, Option<List>, bool)> {
    let asked = asked.and_then(Month::parse_clamped);
    state
        .db(move |conn| {
            let Some(month) = chosen_month(conn, asked)? else { return Ok((None, None, false)) };
            let mut list = model::month_list(conn, month)?;
            if let Some(list) = list.as_mut() {
                model::scoped(list, &me);
                view.apply(&mut list.rows);
            }
            Ok((Some(month), list, crate::accounts::User::is_city_wide(conn, &me)?))
        })
        .await
}

pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    render_list(&ctx, &state, query.into_inner(), None).await
}

/// A follow-up form refused: shown open under its row, with what was typed
/// and why, instead of a notice at the top of a long page.
#[derive(serde::Serialize)]
struct CaseRefused {
    user_id: i32,
    status: String,
    note: String,
    reason: String,
    error: String,
}

async fn render_list(
    ctx: &Ctx,
    state: &AppState,
    q: MonthQuery,
    refused: Option<CaseRefused>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let can_follow = me.has_any_role(&[crate::auth::Role::Supervisor, crate::auth::Role::Admin]);
    let is_admin = me.has_role(crate::auth::Role::Admin);
    let view = q.view.clone();
    let who = me.clone();
    let areas = state.db(move |conn| Ok(filter_areas(conn, &who)?)).await?;
    let (month, list, city_wide) = load(state, q.month.as_deref(), q.view, me).await?;
    let mut c = Context::new();
    // The printed list names its scope and the time on every page.
    c.insert(
        "print_scope",
        &if areas.len() > 2 { msg::WEAK_CITY.to_string() } else { areas.join(msg::LIST_SEPARATOR) },
    );
    c.insert("printed_at", &crate::time::local_display(crate::db::now()));
    c.insert("filter_areas", &areas);
    c.insert("view", &view);
    c.insert("filtered", &view.is_filtered());
    c.insert("can_close", &(can_follow && city_wide));
    c.insert("is_admin", &is_admin);
    // The export link carries the same filter and sort.
    let export_query = serde_urlencoded::to_string(&view).unwrap_or_default();
    c.insert("export_query", &export_query);
    c.insert("sorts", &model::View::SORTS);
    c.insert("month", &month);
    c.insert("list", &list);
    c.insert("can_follow", &can_follow);
    c.insert("saved", &q.saved);
    // Inline: a separate chart request would compute the whole list again.
    c.insert("areas_svg", &list.as_ref().map(model::areas_svg));
    let steps: Vec<(&str, &str)> = CaseStatus::ALL.iter().map(|s| (s.code(), s.label())).collect();
    c.insert("steps", &steps);
    let status = if refused.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    c.insert("refused", &refused);
    ctx.render_status(status, "review/index.html", c)
}

pub async fn export_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let q = query.into_inner();
    let (month, list, _) = load(&state, q.month.as_deref(), q.view, me).await?;
    let (Some(month), Some(list)) = (month, list) else { return Err(AppError::NotFound) };
    let bytes = model::write_xlsx(&list).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("below-average-{month}.xlsx")))
}

#[derive(Deserialize)]
pub struct CaseForm {
    month: String,
    user_id: i32,
    status: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

/// POST /review/case: a step of a flagged clerk's follow-up (talk note,
/// retest, exemption), or a talk note alone, for a clerk on the caller's
/// scope of the list; audited. A refusal shows the list again with the form
/// open under the row and what was typed kept.
pub async fn record_case(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<CaseForm>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let f = form.into_inner();
    let month = Month::parse(&f.month).map_err(|_| AppError::NotFound)?;
    let to =
        CaseStatus::parse_code(&f.status).ok_or_else(|| AppError::bad_request(msg::REQUEST_INCOMPLETE))?;
    let (user_id, note, reason) = (f.user_id, f.note.clone(), f.reason.clone());
    let outcome = action::run(&state, action::Actor::of(&ctx, &req)?, move |conn, actor| {
        let mut list = model::month_list(conn, month)?.ok_or(AppError::NotFound)?;
        model::scoped(&mut list, &me);
        // Another county's clerk, or nobody on the list: not the caller's to follow.
        let row = list.rows.iter().find(|r| r.user_id == user_id).ok_or(AppError::NotFound)?;
        if let Err(why) = case::check_change(row.case, to, &note, &reason) {
            return Ok(Err(why));
        }
        Case::record(conn, month, user_id, to, &note, &reason, actor.id, actor.now())?;
        if to == CaseStatus::Exempt || row.case == CaseStatus::Exempt {
            // Exempted clerks are not marked in person (and are again when it is lifted).
            super::close::sync_in_person(conn, month)?;
        }
        let detail = msg::audit_review_case(month, &row.staff_no, row.case.label(), to.label());
        actor.audit(conn, "review_case", &detail)?;
        let back = format!("/review?month={month}&saved={user_id}#u{user_id}");
        Ok(Ok(Done::then(msg::review_case_saved(&row.name, to.label()), back)))
    })
    .await?;
    match outcome {
        Ok(done) => Ok(action::answer::<&str>(&ctx, "/review", Ok(done))),
        Err(why) => {
            let refused =
                CaseRefused { user_id, status: f.status, note: f.note, reason: f.reason, error: why.into() };
            let q = MonthQuery { month: Some(month.to_string()), saved: None, view: model::View::default() };
            render_list(&ctx, &state, q, Some(refused)).await
        }
    }
}

#[derive(Deserialize)]
pub struct ExplainQuery {
    month: String,
    /// A user id (from the list) or a staff number (from the look-up form).
    user: Option<i32>,
    staff: Option<String>,
}

/// GET /review/explain: why a clerk is (or is not) on the month's list,
/// with the city average's n and sum and the exact comparison.
pub async fn explain(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ExplainQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let q = query.into_inner();
    let month = Month::parse(&q.month).map_err(|_| AppError::NotFound)?;
    let explained = state
        .db(move |conn| {
            let user = match (q.user, q.staff.as_deref().map(str::trim)) {
                (Some(id), _) => Some(id),
                (None, Some(staff)) => crate::accounts::User::find_by_login(conn, staff)?.map(|u| u.id),
                (None, None) => None,
            };
            let Some(user) = user else { return Ok(None) };
            let scope = Scope::supervising(&me);
            let e = model::explain(conn, month, user)?.filter(|e| scope.sees_ancestry(&e.ancestry));
            let Some(e) = e else { return Ok(None) };
            let history = model::history(conn, &e, 12)?;
            Ok(Some((e, history)))
        })
        .await?;
    // Someone outside the caller's scope is "not found", as on the list.
    let (explained, history) = explained.ok_or(AppError::NotFound)?;
    let mut c = Context::new();
    c.insert("e", &explained);
    // Inline: a separate chart request would compute the same history again.
    c.insert("history_svg", &model::history_svg(&history, &msg::review_history_title(&explained.name)));
    c.insert("history", &history);
    c.insert(
        "can_open_attempt",
        &ctx.user()?.has_any_role(&[crate::auth::Role::Trainer, crate::auth::Role::Admin]),
    );
    ctx.render("review/explain.html", c)
}
