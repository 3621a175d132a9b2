//! GET /remedial/new: the preview of a 补学 (who, which articles, due date);
//! POST /remedial: assigns it; GET /remedial: every 补学 with its effect.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use tera::Context;

use crate::dashboard::model::Viewer;
use crate::db::now;
use crate::domain::Month;
use crate::web::action::{self, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct Spot {
    month: String,
    kp: String,
    #[serde(default)]
    unit: String,
}

impl Spot {
    /// The month, knowledge point and unit, or 404 for a hand-made address.
    fn parsed(&self) -> AppResult<(Month, String, Option<i32>)> {
        let month = Month::parse(self.month.trim()).map_err(|_| AppError::NotFound)?;
        let unit = crate::dashboard::knowledge::parse_unit(&self.unit).ok_or(AppError::NotFound)?;
        let kp = self.kp.trim().to_string();
        if kp.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok((month, kp, unit))
    }
}

/// Whether the viewer may assign in `unit` (the city: only the city-wide).
pub fn may_assign(v: &Viewer, unit: Option<i32>) -> bool {
    match unit {
        None => v.city_wide,
        Some(u) => v.unit_name(u).is_some(),
    }
}

/// GET /remedial/new?month=&kp=&unit=: who would read what, before anything is assigned.
pub async fn new(ctx: Ctx, state: web::Data<AppState>, q: web::Query<Spot>) -> AppResult<HttpResponse> {
    let (month, kp, unit) = q.parsed()?;
    let me = ctx.user()?.clone();
    let k = kp.clone();
    let (plan, unit_name, existing) = state
        .db(move |conn| {
            let v = Viewer::load(conn, me)?;
            if !may_assign(&v, unit) {
                return Err(AppError::Forbidden);
            }
            let name = unit.map_or_else(|| msg::WEAK_CITY.to_string(), |u| v.tree.name(Some(u)));
            Ok((super::plan(conn, month, &k, unit)?, name, super::existing(conn, month, &k, unit)?))
        })
        .await?;
    let mut c = Context::new();
    c.insert("month", &month);
    c.insert("kp", &kp);
    c.insert("unit", &q.unit);
    c.insert("unit_name", &unit_name);
    c.insert("plan", &plan);
    c.insert("existing", &existing);
    c.insert("due", &(crate::time::local_date(now()) + Days::new(7)).to_string());
    ctx.render("remedial/new.html", c)
}

#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(flatten)]
    spot: Spot,
    due: String,
    /// How many people the preview showed: a changed list is previewed again.
    people: usize,
}

/// POST /remedial: assigns the previewed 补学 in one transaction.
pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<AssignForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (month, kp, unit) = form.spot.parsed()?;
    let me = ctx.user()?.clone();
    let back = "/remedial";
    action::act(&ctx, &req, &state, back, move |conn, actor| {
        let v = Viewer::load(conn, me)?;
        if !may_assign(&v, unit) {
            return Err(AppError::Forbidden);
        }
        let today = crate::time::local_date(actor.now());
        let due = match NaiveDate::parse_from_str(form.due.trim(), "%Y-%m-%d") {
            Ok(d) if d >= today => d,
            _ => return Ok(Err(msg::REMEDIAL_DUE.to_string())),
        };
        if let Some(id) = super::existing(conn, month, &kp, unit)? {
            return Ok(Err(msg::remedial_exists(id)));
        }
        let plan = super::plan(conn, month, &kp, unit)?;
        if plan.people.len() != form.people {
            return Ok(Err(msg::REMEDIAL_CHANGED.to_string()));
        }
        if plan.people.is_empty() || plan.articles.is_empty() {
            return Ok(Err(msg::REMEDIAL_NOTHING.to_string()));
        }
        let id = super::assign(conn, month, &kp, unit, &plan, due, actor.id, actor.now())?;
        let detail = msg::audit_remedial(id, &kp, month, plan.people.len(), plan.articles.len(), due);
        actor.audit(conn, "remedial", &detail)?;
        Ok(Ok(Done::flash(msg::remedial_done(plan.people.len(), plan.articles.len(), due))))
    })
    .await
}

/// GET /remedial: the 补学 the viewer may see, each with whether it helped.
pub async fn index(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let list = state
        .db(move |conn| {
            let v = Viewer::load(conn, me)?;
            Ok(super::list(conn, |unit| may_assign(&v, unit), usize::MAX)?)
        })
        .await?;
    let mut c = Context::new();
    c.insert("list", &list);
    ctx.render("remedial/index.html", c)
}

#[derive(Deserialize)]
pub struct PhoneQuery {
    month: Option<String>,
}

/// GET /remedial/phone?month=: calls whose weak rubric item suggests 补学.
pub async fn phone(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<PhoneQuery>,
) -> AppResult<HttpResponse> {
    let month = crate::web::month::valid_month_or_this(q.month.as_deref());
    let me = ctx.user()?.clone();
    let list = state
        .db(move |conn| {
            let v = Viewer::load(conn, me)?;
            Ok(super::phone::suggestions(conn, month, |hall| v.sees(Some(hall)))?)
        })
        .await?;
    let mut c = Context::new();
    c.insert("month", &month);
    c.insert("previous", &month.previous().unwrap_or(month));
    // No month after this one: its calls are not made yet.
    c.insert("next", &month.next().filter(|n| *n <= Month::current()));
    c.insert("list", &list);
    c.insert("threshold", &super::rules::PHONE_WEAK_PERCENT);
    ctx.render("remedial/phone.html", c)
}

#[derive(Deserialize)]
pub struct PhoneForm {
    month: String,
    call_id: i32,
    article_id: i32,
}

/// POST /remedial/phone: assigns one suggestion (one click, the supervisor's).
pub async fn assign_phone(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<PhoneForm>,
) -> AppResult<HttpResponse> {
    let PhoneForm { month, call_id, article_id } = form.into_inner();
    let month = Month::parse(month.trim()).map_err(|_| AppError::NotFound)?;
    let me = ctx.user()?.clone();
    let back = format!("/remedial/phone?month={month}");
    action::act(&ctx, &req, &state, &back, move |conn, actor| {
        let v = Viewer::load(conn, me)?;
        let done = super::phone::assign(
            conn,
            month,
            call_id,
            article_id,
            |hall| v.sees(Some(hall)),
            actor.id,
            actor.now(),
        )?;
        let Some(s) = done else { return Ok(Err(msg::REMEDIAL_PHONE_GONE.to_string())) };
        let detail = msg::audit_remedial_phone(call_id, &s.clerk, &s.article);
        actor.audit(conn, "remedial", &detail)?;
        Ok(Ok(Done::flash(msg::remedial_phone_done(&s.clerk, &s.article))))
    })
    .await
}
