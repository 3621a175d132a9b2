//! Recording a call (and a second tester's calibration scoring).

use std::collections::HashMap;

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::*;
use crate::db::{now, write, Conn};
use crate::domain::score::two_decimals;
use crate::org::{OrgUnit, UnitKind};
use crate::phone::model::{self, Call, Rubric, Scenario};
use crate::phone::rules::call::{check_call, score_error, CallDraft, Facts, SCORES};
use crate::schema::users;
use crate::web::action::{self, Actor, Done};
use crate::web::form::{add_error, insert_errors, FieldErrors, WHOLE_FORM};
use crate::web::{msg, AppResult, Ctx};
use crate::AppState;

/// One rubric item on the form with what was typed.
#[derive(Serialize)]
struct FormItem {
    code: String,
    name: String,
    points: i64,
    critical: bool,
    allow_na: bool,
    value: String,
    na: bool,
}

#[derive(Deserialize)]
pub struct NewQuery {
    second_of: Option<i32>,
}

/// GET /phone/calls/new (?second_of=ID to score a call again for calibration).
pub async fn new_call(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let mut d = CallDraft {
        month: this_month(),
        called_at: crate::time::local_input(now()),
        rings: "1".into(),
        ..Default::default()
    };
    let mut errors = FieldErrors::new();
    if let Some(first_id) = q.second_of {
        let first = state.db(move |conn| Ok(Call::find(conn, first_id)?)).await?;
        if first.tester_id == ctx.user()?.id {
            add_error(&mut errors, WHOLE_FORM, msg::PHONE_SECOND_SAME_TESTER);
        }
        d = d.second_of(&first);
    }
    render_call_form(&ctx, &state, d, HashMap::new(), errors).await
}

/// An active member of a hall's staff: (hall id, user id, name, staff no).
type StaffRow = (Option<i32>, i32, String, Option<String>);

/// A hall in the clerk select: (hall id, label, its staff as (user id, label)).
type HallGroup = (i32, String, Vec<(i32, String)>);

/// Active hall staff, by hall.
fn hall_staff(conn: &mut Conn) -> QueryResult<Vec<StaffRow>> {
    users::table
        .filter(users::active.eq(true))
        .filter(users::hall_id.is_not_null())
        .order((users::hall_id, users::name))
        .select((users::hall_id, users::id, users::name, users::staff_no))
        .load(conn)
}

async fn render_call_form(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    mut d: CallDraft,
    typed: HashMap<String, String>,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let (version, halls, staff, scenarios) = state
        .db(|conn| {
            let (_, v) = write(conn, |conn| Rubric::current(conn, now()))?;
            let halls: Vec<_> = OrgUnit::halls(conn)?.into_iter().filter(|h| h.active).collect();
            Ok((v, halls, hall_staff(conn)?, Scenario::all(conn)?))
        })
        .await?;
    if d.rubric_version_id.is_empty() || errors.is_empty() {
        d.rubric_version_id = version.id.to_string();
    }
    let items: Vec<FormItem> = version
        .items()
        .into_iter()
        .map(|it| FormItem {
            value: typed.get(&format!("score_{}", it.code)).cloned().unwrap_or_default(),
            na: typed.contains_key(&format!("na_{}", it.code)),
            code: it.code,
            name: it.name,
            points: it.points,
            critical: it.critical,
            allow_na: it.allow_na,
        })
        .collect();
    let groups: Vec<HallGroup> = halls
        .iter()
        .map(|h| {
            let people = staff
                .iter()
                .filter(|s| s.0 == Some(h.id))
                .map(|s| (s.1, format!("{} {}", s.2, s.3.clone().unwrap_or_default()).trim().to_string()))
                .collect();
            (h.id, format!("{} · {}", h.area, h.name), people)
        })
        .collect();
    let mut c = Context::new();
    c.insert("d", &d);
    c.insert("items", &items);
    c.insert("version", &version.version);
    c.insert("halls", &groups);
    c.insert("scenarios", &scenarios.into_iter().filter(|s| s.active).collect::<Vec<_>>());
    insert_errors(&mut c, &errors);
    // The summary links each message to its field (the scores to the first score).
    let first_score = items.first().map(|i| format!("score_{}", i.code)).unwrap_or_default();
    let links: Vec<(String, &str, &String)> = msg::PHONE_CALL_FIELDS
        .iter()
        .filter_map(|(field, label)| {
            let anchor = if *field == SCORES { first_score.clone() } else { field.to_string() };
            errors.get(field).map(|e| (anchor, *label, e))
        })
        .collect();
    c.insert("error_links", &links);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "phone/call_form.html", c)
}

/// What the database knows about a typed call (see [`Facts`]), and the draft
/// as checked: a second scoring takes the first call's hall, clerk and time.
fn gather(conn: &mut Conn, f: &HashMap<String, String>, me: i32) -> QueryResult<(CallDraft, Facts)> {
    let mut d = CallDraft::of(f);
    let first = match d.second_of.parse::<i32>().ok() {
        None => None,
        Some(id) => Some(Call::find(conn, id).optional()?),
    };
    if let Some(Some(first)) = &first {
        d = d.second_of(first);
    }
    let (_, version) = write(conn, |conn| Rubric::current(conn, now()))?;
    let hall = match d.hall_id.parse::<i32>().ok().map(|h| OrgUnit::find(conn, h).optional()).transpose()? {
        Some(Some(u)) if u.kind() == Some(UnitKind::Hall) => Some(u.id),
        _ => None,
    };
    let clerk = match d.clerk.parse::<i32>() {
        Ok(id) => users::table.find(id).select((users::hall_id, users::active)).first(conn).optional()?,
        Err(_) => None,
    };
    let scenario_found = match d.scenario_id.parse::<i32>().ok() {
        Some(s) => Some(Scenario::find(conn, s).optional()?.is_some()),
        None => None,
    };
    let version = (version.id, version.items());
    Ok((d, Facts { me, now: now(), first, version, hall, clerk, scenario_found }))
}

/// Why a call was not recorded: the form as typed and every error.
struct Unrecorded(CallDraft, FieldErrors);

impl std::fmt::Display for Unrecorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.1.values().cloned().collect::<Vec<_>>().join("\n"))
    }
}

/// POST /phone/calls: records a call scored by the signed-in tester.
pub async fn record_call(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let typed = form.into_inner();
    let f = typed.clone();
    let outcome = action::run(&state, Actor::of(&ctx, &req)?, move |conn, actor| {
        let (d, facts) = gather(conn, &f, actor.id)?;
        let call = match check_call(d, &f, &facts) {
            Ok(call) => call,
            Err((d, errors)) => return Ok(Err(Unrecorded(d, errors))),
        };
        let id = match model::record(conn, &call, Some(actor.id), actor.now())? {
            Ok(id) => id,
            Err(e) => {
                let errors = FieldErrors::from([(WHOLE_FORM, score_error(&e, &[]))]);
                return Ok(Err(Unrecorded(CallDraft::default(), errors)));
            }
        };
        let total = two_decimals(Call::find(conn, id)?.total.into());
        let hall = crate::audit::unit(conn, call.hall_id)?;
        let clerk = call.clerk_id.map(|c| crate::audit::person(conn, c)).transpose()?;
        let detail = msg::audit_phone_call(id, &hall, clerk.as_deref(), &total, call.second_of);
        actor.audit(conn, "phone_call", &detail)?;
        Ok(Ok(Done::then(msg::phone_call_saved(id, &total), format!("/phone/calls/{id}"))))
    })
    .await?;
    match outcome {
        Ok(done) => Ok(action::answer(&ctx, "/phone/calls", Ok::<_, Unrecorded>(done))),
        Err(Unrecorded(d, errors)) => render_call_form(&ctx, &state, d, typed, errors).await,
    }
}
