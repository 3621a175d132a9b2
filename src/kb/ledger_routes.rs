//! The reading-penalty ledger's pages: the month's ledger by county, hall and
//! clerk (supervisors their scope, trainers and admins everything), its Excel
//! export for payroll, exemptions, closing and re-opening; and the compliance
//! view (read share per item and hall over time).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use tera::Context;

use super::ledger::close::{self, MonthLedger};
use super::ledger::exempt as exemption;
use super::ledger::sheet::{group, Person};
use super::ledger::{compliance, export, yuan};
use crate::auth::{CurrentUser, Role};
use crate::db::now;
use crate::domain::{Month, OrgTree as Tree, Scope};
use crate::web::action::{self, Done};
use crate::web::{msg, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct LedgerQuery {
    month: Option<String>,
    /// An area's id (county or district), or empty.
    #[serde(default)]
    area: String,
    /// A hall's id, or empty.
    #[serde(default)]
    hall: String,
}

/// The asked month, or last month (local).
fn chosen_month(asked: Option<&str>) -> Month {
    asked.and_then(Month::parse_clamped).unwrap_or_else(|| {
        let this = Month::current();
        this.previous().unwrap_or(this)
    })
}

/// The month's ledger with the people `me` may see, filtered by area and hall.
struct Scoped {
    month: Month,
    ml: MonthLedger,
    people: Vec<Person>,
    /// (id, name) of the areas and halls in scope, for the filter.
    areas: Vec<(i32, String)>,
    halls: Vec<(i32, String)>,
    /// People `me` may exempt.
    exemptable: Vec<i32>,
    city_wide: bool,
}

async fn load(state: &AppState, q: LedgerQuery, me: CurrentUser) -> AppResult<Scoped> {
    let month = chosen_month(q.month.as_deref());
    let (area, hall) = (q.area.trim().parse::<i32>().ok(), q.hall.trim().parse::<i32>().ok());
    state
        .db(move |conn| {
            let today = crate::time::local_date(now());
            let ml = close::month_ledger(conn, month, today)?;
            let tree = Tree::load(conn)?;
            let scope = Scope::supervising(&me);
            let seen = |p: &&Person| scope.sees_ancestry(&tree.ancestry(p.hall_id));
            let mut mine: Vec<&Person> = ml.ledger.people.iter().filter(seen).collect();
            // The one order, also for months closed before it was kept.
            mine.sort_by_cached_key(|p| {
                (tree.area_rank(p.area_id), p.hall.clone(), p.hall_id, p.staff_no.clone(), p.user_id)
            });
            let mut areas: Vec<(i32, String)> =
                mine.iter().filter_map(|p| Some((p.area_id?, p.area.clone()))).collect();
            let mut halls: Vec<(i32, String)> = mine
                .iter()
                .filter(|p| area.is_none() || p.area_id == area)
                .filter_map(|p| Some((p.hall_id?, p.hall.clone())))
                .collect();
            // In the people's order: already grouped by area and hall.
            areas.dedup();
            halls.dedup();
            let people: Vec<Person> = mine
                .into_iter()
                .filter(|p| area.is_none() || p.area_id == area)
                .filter(|p| hall.is_none() || p.hall_id == hall)
                .cloned()
                .collect();
            let exemptable = people
                .iter()
                .filter(|p| exemption::may_exempt(&me, &tree.ancestry(p.hall_id)))
                .map(|p| p.user_id)
                .collect();
            let city_wide = crate::accounts::User::is_city_wide(conn, &me)?;
            Ok(Scoped { month, ml, people, areas, halls, exemptable, city_wide })
        })
        .await
}

/// GET /kb/ledger: the month's ledger grouped by county → hall → clerk.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<LedgerQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let q = query.into_inner();
    let (area, hall) = (q.area.trim().to_string(), q.hall.trim().to_string());
    let s = load(&state, q, me.clone()).await?;
    let over = s.month.ended_by(crate::time::local_date(now()));
    let mut c = Context::new();
    c.insert("month", &s.month);
    c.insert("area", &area.parse::<i32>().ok());
    c.insert("hall", &hall.parse::<i32>().ok());
    // The export takes the same month and filter.
    let export = serde_urlencoded::to_string([("month", s.month.as_str()), ("area", &area), ("hall", &hall)]);
    c.insert("export_query", &export.unwrap_or_default());
    c.insert("areas", &s.areas);
    c.insert("halls", &s.halls);
    c.insert("rate", &yuan(s.ml.ledger.rate_fen));
    c.insert("items", &s.ml.ledger.items);
    c.insert("closed", &s.ml.closed);
    c.insert("reopened", &s.ml.reopened);
    c.insert("grouped", &group(&s.people));
    c.insert("exemptable", &s.exemptable);
    c.insert("month_over", &over);
    c.insert("can_close", &(s.city_wide && over && s.ml.closed.is_none()));
    c.insert("is_admin", &me.has_role(Role::Admin));
    ctx.render("kb/ledger.html", c)
}

/// GET /kb/ledger/export.xlsx: the payroll sheet of the same scope and filter.
pub async fn export_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<LedgerQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let s = load(&state, query.into_inner(), me).await?;
    let closed = s.ml.closed.as_ref().map(|c| c.at.as_str());
    let scope = match s.city_wide {
        true => msg::WEAK_CITY.to_string(),
        false => s.areas.iter().map(|a| a.1.as_str()).collect::<Vec<_>>().join(msg::LIST_SEPARATOR),
    };
    let bytes = export::write_xlsx(&s.ml.ledger, &s.people, closed, &scope).map_err(AppError::internal)?;
    Ok(xlsx_response(bytes, &format!("reading-penalty-{}.xlsx", s.month)))
}

#[derive(Deserialize)]
pub struct ExemptForm {
    month: String,
    assignment_id: i32,
    user_id: i32,
    #[serde(default)]
    reason: String,
}

/// POST /kb/ledger/exempt: a supervisor over the person's hall (or an admin)
/// exempts them from one item, with a reason; refused once its month is closed. Audited.
pub async fn exempt(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ExemptForm>,
) -> AppResult<HttpResponse> {
    change_exemption(ctx, req, state, form.into_inner(), Change::Exempt).await
}

/// POST /kb/ledger/exempt/lift: the same people take a mistaken exemption
/// back (the item is charged again if unread), with a reason, while the month
/// is open. Audited.
pub async fn lift_exemption(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<ExemptForm>,
) -> AppResult<HttpResponse> {
    change_exemption(ctx, req, state, form.into_inner(), Change::Lift).await
}

#[derive(Clone, Copy, PartialEq)]
enum Change {
    Exempt,
    Lift,
}

/// Exempting and lifting share their checks: the person and the item exist,
/// `me` is over the person's hall, a reason is given, the month is open.
async fn change_exemption(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    f: ExemptForm,
    change: Change,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let back = format!("/kb/ledger?month={}#u{}", chosen_month(Some(&f.month)), f.user_id);
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let t = exemption::target(conn, f.assignment_id, f.user_id)?.ok_or(AppError::NotFound)?;
        if !exemption::may_exempt(&me, &t.ancestry) {
            return Err(AppError::Forbidden);
        }
        let reason = f.reason.trim();
        let month = Month::of_date(t.assignment.due_date);
        if reason.is_empty() || reason.chars().count() > 200 {
            return Ok(Err(msg::LEDGER_REASON_REQUIRED.to_string()));
        } else if close::current_close(conn, month)?.is_some() {
            return Ok(Err(msg::ledger_month_closed(month)));
        }
        let detail =
            msg::audit_reading_exempt(month, t.assignment.id, &t.title, &t.staff_no, &t.name, reason);
        match change {
            Change::Exempt if !t.in_audience => Ok(Err(msg::LEDGER_NOT_IN_AUDIENCE.to_string())),
            Change::Exempt if t.exempted => Ok(Err(msg::LEDGER_ALREADY_EXEMPT.to_string())),
            Change::Lift if !t.exempted => Ok(Err(msg::LEDGER_NOT_EXEMPT.to_string())),
            Change::Exempt => {
                exemption::insert_exemption(conn, t.assignment.id, f.user_id, reason, actor.id, actor.now())?;
                actor.audit(conn, "reading_exempt", &detail)?;
                Ok(Ok(Done::flash(msg::ledger_exempted(&t.name, &t.title))))
            }
            Change::Lift => {
                exemption::delete_exemption(conn, t.assignment.id, f.user_id)?;
                actor.audit(conn, "reading_exempt_lift", &detail)?;
                Ok(Ok(Done::flash(msg::ledger_exemption_lifted(&t.name, &t.title))))
            }
        }
    })
    .await
}

#[derive(Deserialize)]
pub struct ComplianceQuery {
    #[serde(default)]
    article: String,
}

/// GET /kb/compliance: every active mandatory item's read share in the
/// caller's scope; with `article`, its items' per-hall table and chart.
pub async fn compliance(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ComplianceQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let article = query.article.trim().parse::<i32>().ok();
    let (rows, articles) = state
        .db(move |conn| {
            let today = crate::time::local_date(now());
            Ok((compliance::progress(conn, article, &me, today)?, compliance::assigned_articles(conn)?))
        })
        .await?;
    let mut c = Context::new();
    c.insert("article", &article);
    c.insert("rows", &rows);
    c.insert("articles", &articles);
    ctx.render("kb/compliance.html", c)
}
