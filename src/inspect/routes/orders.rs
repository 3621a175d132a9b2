//! 纠错单: issued from a city or cross inspection, replied to by the hall,
//! closed or returned by the inspector or the city office; overdue ones
//! escalate to the county supervisor, then the city office.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Days, NaiveDate};
use diesel::QueryResult;
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::auth::Role;
use crate::db::Conn;
use crate::inspect::access::Who;
use crate::inspect::model::{Inspection, Photo};
use crate::inspect::orders::{Order, Status};
use crate::inspect::rules::{escalation, Escalation};
use crate::web::action::{self, Actor, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// Days a hall gets to rectify, by default.
const DEFAULT_DAYS: u64 = 7;

/// Who may decide on an order: its inspection's inspector or the city office.
fn decides(who: &Who, inspection: &Inspection) -> bool {
    who.city || inspection.inspector_id == who.me.id
}

/// Who replies for the hall: its managers and team leaders.
fn replies(who: &Who, order: &Order) -> bool {
    who.me.scopes(Role::HallManager).contains(&order.hall_id)
        || who.me.scopes(Role::TeamLeader).contains(&order.hall_id)
}

/// Whether the viewer may see an order: who may see its inspection.
fn sees(who: &Who, inspection: &Inspection) -> bool {
    who.sees(inspection)
}

#[derive(Deserialize)]
pub struct IssueForm {
    due: String,
    #[serde(default)]
    note: String,
}

/// POST /inspections/{id}/order: issues the 纠错单 of a submitted city or cross inspection.
pub async fn issue(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<IssueForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let f = form.into_inner();
    let me = ctx.user()?.clone();
    action::act(&ctx, &req, &state, &format!("/inspections/{id}"), move |conn, actor| {
        let i = Inspection::find(conn, id)?;
        let who = Who::load(conn, me)?;
        if !who.sees(&i) {
            return Err(AppError::NotFound);
        }
        if !decides(&who, &i) {
            return Err(AppError::Forbidden);
        }
        let today = crate::time::local_date(actor.now());
        let due = match NaiveDate::parse_from_str(f.due.trim(), "%Y-%m-%d") {
            Ok(d) if d >= today => d,
            _ => return Ok(Err(msg::ORDER_DUE_INVALID.to_string())),
        };
        if !i.kind.issues_orders() || i.submitted_at.is_none() {
            return Ok(Err(msg::ORDER_NOT_FOR_THIS.to_string()));
        }
        if Order::of_inspection(conn, id)?.is_some() {
            return Ok(Err(msg::ORDER_EXISTS.to_string()));
        }
        if crate::inspect::model::defects_of(conn, id)?.is_empty() {
            return Ok(Err(msg::ORDER_NOTHING_FAILED.to_string()));
        }
        let manager = crate::inspect::model::hall_manager(conn, i.hall_id)?;
        let note: String = f.note.trim().chars().take(500).collect();
        let order = Order::issue(conn, &i, manager, due, &note, actor.id, actor.now())?;
        actor.audit(
            conn,
            "order_issued",
            &msg::audit_order(order.id, "下发", &who.tree.name(Some(i.hall_id))),
        )?;
        Ok(Ok(Done::then(msg::ORDER_ISSUED, format!("/orders/{}", order.id))))
    })
    .await
}

#[derive(Serialize)]
pub struct OrderRow {
    pub id: i32,
    pub hall_id: i32,
    pub hall: String,
    pub area: String,
    pub kind: &'static str,
    pub issued: String,
    pub due: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub escalation: Escalation,
    pub days_late: i64,
}

/// The orders the viewer may see, each with its escalation today.
pub fn visible(conn: &mut Conn, who: &Who, today: NaiveDate) -> QueryResult<Vec<OrderRow>> {
    let city_after = crate::settings::number(conn, &crate::settings::ORDER_CITY_AFTER_DAYS)?;
    let mut out = Vec::new();
    for o in Order::all(conn)? {
        let i = Inspection::find(conn, o.inspection_id)?;
        if !sees(who, &i) {
            continue;
        }
        out.push(OrderRow {
            id: o.id,
            hall_id: o.hall_id,
            hall: who.tree.name(Some(o.hall_id)),
            area: who.tree.area_of(Some(o.hall_id)).map(|a| a.name.clone()).unwrap_or_default(),
            kind: i.kind.label(),
            issued: crate::time::local_display(o.issued_at),
            due: o.due_date.to_string(),
            status: o.status.label(),
            status_code: o.status.code(),
            escalation: escalation(o.due_date, today, o.status.awaits_hall(), city_after),
            days_late: if o.status.awaits_hall() { (today - o.due_date).num_days().max(0) } else { 0 },
        });
    }
    Ok(out)
}

/// The overdue orders this viewer must chase: a county supervisor those
/// escalated to the county (or beyond) in their county, the city office
/// those escalated to the city.
pub fn escalated_to(conn: &mut Conn, who: &Who, today: NaiveDate) -> QueryResult<Vec<OrderRow>> {
    let supervises = who.me.has_role(Role::Supervisor);
    Ok(visible(conn, who, today)?
        .into_iter()
        .filter(|o| match o.escalation {
            Escalation::None => false,
            Escalation::County => supervises && !who.city,
            Escalation::City => supervises || who.city,
        })
        .collect())
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
}

/// GET /orders: every 纠错单 in scope, overdue first.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let status = Status::parse_code(q.status.trim());
    let rows = state
        .db(move |conn| {
            let who = Who::load(conn, me)?;
            let today = crate::time::local_date(crate::db::now());
            let mut rows = visible(conn, &who, today)?;
            if let Some(s) = status {
                rows.retain(|r| r.status_code == s.code());
            }
            rows.sort_by(|a, b| {
                b.escalation.cmp(&a.escalation).then(b.days_late.cmp(&a.days_late)).then(b.id.cmp(&a.id))
            });
            Ok(rows)
        })
        .await?;
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("status", &q.status);
    c.insert("statuses", &Status::ALL.iter().map(|s| (s.code(), s.label())).collect::<Vec<_>>());
    ctx.render("inspect/orders.html", c)
}

#[derive(Serialize)]
struct EventView {
    action: &'static str,
    actor: String,
    note: String,
    at: String,
    photos: Vec<i32>,
}

/// GET /orders/{id}: the order (prints on A4 for the hall's wall), its history and the next step.
pub async fn show(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    let c = state
        .db(move |conn| {
            let o = Order::find(conn, id)?;
            let i = Inspection::find(conn, o.inspection_id)?;
            let who = Who::load(conn, me)?;
            if !sees(&who, &i) {
                return Err(AppError::NotFound);
            }
            let today = crate::time::local_date(crate::db::now());
            let city_after = crate::settings::number(conn, &crate::settings::ORDER_CITY_AFTER_DAYS)?;
            let events = Order::events(conn, id)?;
            let ids: Vec<i32> = events.iter().map(|e| e.id).collect();
            let photos = Photo::of_events(conn, &ids)?;
            let events: Vec<EventView> = events
                .into_iter()
                .map(|e| EventView {
                    action: msg::order_action(&e.action),
                    photos: photos.iter().filter(|p| p.event_id == Some(e.id)).map(|p| p.id).collect(),
                    actor: e.actor,
                    note: e.note,
                    at: crate::time::local_display(e.at),
                })
                .collect();
            let names = crate::accounts::model::User::names(
                conn,
                &[o.issued_by, o.manager_id.unwrap_or(0), i.inspector_id],
            )?;
            let mut c = Context::new();
            c.insert("o", &o);
            c.insert("status", o.status.label());
            c.insert("hall", &who.tree.name(Some(o.hall_id)));
            c.insert("area", &who.tree.area_of(Some(o.hall_id)).map(|a| a.name.clone()).unwrap_or_default());
            c.insert("kind", i.kind.label());
            c.insert("inspection", &i);
            c.insert("score", &i.score.map(|s| crate::domain::score::short_decimals(i64::from(s))));
            c.insert("inspector", &names.get(&i.inspector_id).cloned().unwrap_or_default());
            c.insert("issuer", &names.get(&o.issued_by).cloned().unwrap_or_default());
            c.insert("manager", &o.manager_id.and_then(|m| names.get(&m).cloned()).unwrap_or_default());
            c.insert("issued", &crate::time::local_display(o.issued_at));
            c.insert("defects", &crate::inspect::model::defects_of(conn, i.id)?);
            c.insert("events", &events);
            c.insert("escalation", &escalation(o.due_date, today, o.status.awaits_hall(), city_after));
            c.insert("may_reply", &(replies(&who, &o) && o.status.awaits_hall()));
            c.insert("may_decide", &(decides(&who, &i) && o.status == Status::Replied));
            Ok(c)
        })
        .await?;
    ctx.render("inspect/order.html", c)
}

/// POST /orders/{id}/reply (multipart: note, optional photo): the hall's rectification report.
pub async fn reply(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (fields, file) = crate::web::upload::read_multipart(form, &["note"], 8192).await?;
    let note: String = fields.get("note").map(|n| n.trim().chars().take(1000).collect()).unwrap_or_default();
    let processed = crate::inspect::photo::from_upload(file).await?;
    let me = ctx.user()?.clone();
    action::act(&ctx, &req, &state, &format!("/orders/{id}"), move |conn, actor: &Actor| {
        let o = Order::find(conn, id)?;
        let i = Inspection::find(conn, o.inspection_id)?;
        let who = Who::load(conn, me)?;
        if !sees(&who, &i) {
            return Err(AppError::NotFound);
        }
        if !replies(&who, &o) {
            return Err(AppError::Forbidden);
        }
        if !o.status.awaits_hall() {
            return Ok(Err(msg::ORDER_NOT_AWAITING_REPLY.to_string()));
        }
        if note.is_empty() {
            return Ok(Err(msg::ORDER_REPLY_EMPTY.to_string()));
        }
        let event = Order::step(conn, id, Status::Replied, "replied", actor.id, &note, actor.now())?;
        match processed {
            Some(Ok(p)) => {
                Photo::insert(conn, None, "", Some(event), &p, actor.id, actor.now())?;
            }
            Some(Err(e)) => return Ok(Err(crate::inspect::routes::form::photo_error(&e).to_string())),
            None => {}
        }
        actor.audit(
            conn,
            "order_replied",
            &msg::audit_order(id, "整改反馈", &who.tree.name(Some(o.hall_id))),
        )?;
        Ok(Ok(Done::flash(msg::ORDER_REPLY_SAVED)))
    })
    .await
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
    #[serde(default)]
    note: String,
}

/// POST /orders/{id}/decide: close (rectified) or return with a reason.
pub async fn decide(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<DecideForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let f = form.into_inner();
    let me = ctx.user()?.clone();
    action::act(&ctx, &req, &state, &format!("/orders/{id}"), move |conn, actor| {
        let o = Order::find(conn, id)?;
        let i = Inspection::find(conn, o.inspection_id)?;
        let who = Who::load(conn, me)?;
        if !sees(&who, &i) {
            return Err(AppError::NotFound);
        }
        if !decides(&who, &i) {
            return Err(AppError::Forbidden);
        }
        if o.status != Status::Replied {
            return Ok(Err(msg::ORDER_NOT_REPLIED.to_string()));
        }
        let note: String = f.note.trim().chars().take(500).collect();
        let (status, action, done) = match f.decision.as_str() {
            "close" => (Status::Closed, "closed", msg::ORDER_CLOSED_DONE),
            "return" if !note.is_empty() => (Status::Returned, "returned", msg::ORDER_RETURNED_DONE),
            "return" => return Ok(Err(msg::ORDER_RETURN_NEEDS_REASON.to_string())),
            _ => return Err(AppError::bad_request(msg::ORDER_RETURN_NEEDS_REASON)),
        };
        Order::step(conn, id, status, action, actor.id, &note, actor.now())?;
        actor.audit(
            conn,
            "order_decided",
            &msg::audit_order(id, msg::order_action(action), &who.tree.name(Some(o.hall_id))),
        )?;
        Ok(Ok(Done::flash(done)))
    })
    .await
}

/// The default due date offered when issuing: a week from today.
pub fn default_due(today: NaiveDate) -> NaiveDate {
    today + Days::new(DEFAULT_DAYS)
}
