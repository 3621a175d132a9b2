//! Calls as the pages show them: a call's page, the month's list and a
//! clerk's own calls.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::Serialize;
use tera::Context;

use super::scenarios::channel_label;
use super::*;
use crate::auth::Role;
use crate::db::Conn;
use crate::domain::score::two_decimals;
use crate::domain::Month;
use crate::exam::model::Tree;
use crate::phone::model::{self, Call, RubricVersion, Scenario};
use crate::review::model::in_scope;
use crate::web::month::{month_or_this, MonthQuery};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

/// One rubric item of a scored call.
#[derive(Serialize)]
struct ItemLine {
    name: String,
    points: i64,
    critical: bool,
    /// "17.50", or "不适用".
    mark: String,
    /// A critical item scored 0: the call is 0.
    vetoed: bool,
}

/// A call as the pages show it.
#[derive(Serialize)]
pub struct CallView {
    pub id: i32,
    pub called_at: String,
    pub month: Month,
    pub hall: String,
    pub clerk: String,
    pub tester: String,
    pub scenario: Option<(i32, String)>,
    pub total: String,
    pub critical_failed: bool,
    pub rings: i32,
    pub duration_seconds: i32,
    pub notes: String,
    pub recording_ref: String,
    pub version: i32,
    pub second_of: Option<i32>,
    items: Vec<ItemLine>,
}

/// Views of calls: names, the scenario and each item as scored with the call's own rubric version.
pub fn views(conn: &mut Conn, calls: Vec<Call>) -> QueryResult<Vec<CallView>> {
    let tree = Tree::load(conn)?;
    let people: Vec<i32> = calls.iter().flat_map(|c| [Some(c.tester_id), c.clerk_id]).flatten().collect();
    let names = crate::accounts::User::names(conn, &people)?;
    let scenarios: HashMap<i32, String> = Scenario::all(conn)?.into_iter().map(|s| (s.id, s.title)).collect();
    let mut versions: HashMap<i32, RubricVersion> = HashMap::new();
    let mut out = Vec::new();
    for c in calls {
        if let std::collections::hash_map::Entry::Vacant(e) = versions.entry(c.rubric_version_id) {
            e.insert(RubricVersion::find(conn, c.rubric_version_id)?);
        }
        let version = &versions[&c.rubric_version_id];
        let marks = c.marks();
        let items = version
            .items()
            .into_iter()
            .map(|it| {
                let mark = marks.get(&it.code).copied().flatten();
                ItemLine {
                    mark: mark.map(two_decimals).unwrap_or_else(|| msg::PHONE_NA.to_string()),
                    vetoed: it.critical && mark == Some(0),
                    name: it.name,
                    points: it.points,
                    critical: it.critical,
                }
            })
            .collect();
        out.push(CallView {
            id: c.id,
            called_at: crate::time::local_display(c.called_at),
            month: c.month,
            hall: tree.name(Some(c.hall_id)),
            clerk: c
                .clerk_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| msg::PHONE_UNIDENTIFIED.to_string()),
            tester: names.get(&c.tester_id).cloned().unwrap_or_default(),
            scenario: c.scenario_id.and_then(|id| scenarios.get(&id).map(|t| (id, t.clone()))),
            total: two_decimals(c.total.into()),
            critical_failed: c.critical_failed,
            rings: c.rings,
            duration_seconds: c.duration_seconds,
            notes: c.notes,
            recording_ref: c.recording_ref,
            version: version.version,
            second_of: c.second_of,
            items,
        });
    }
    Ok(out)
}

/// A clerk's latest calls, for the home page.
pub fn recent(conn: &mut Conn, clerk_id: i32) -> QueryResult<Vec<CallView>> {
    let calls = Call::of_clerk(conn, clerk_id, Some(3))?;
    views(conn, calls)
}

/// GET /phone/my: a clerk's own calls, newest first.
pub async fn mine(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let me = ctx.user()?.id;
    let calls = state
        .db(move |conn| {
            let calls = Call::of_clerk(conn, me, None)?;
            Ok(views(conn, calls)?)
        })
        .await?;
    let mut c = Context::new();
    c.insert("calls", &calls);
    ctx.render("phone/mine.html", c)
}

/// GET /phone/calls?month=: the month's calls in the viewer's scope.
pub async fn calls(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = month_or_this(q.month.as_deref(), msg::PHONE_MONTH)?;
    let me = ctx.user()?.clone();
    let list = state
        .db(move |conn| {
            let tree = Tree::load(conn)?;
            let calls: Vec<Call> = model::calls_of_month(conn, month)?
                .into_iter()
                .filter(|c| in_scope(&me, &tree.ancestry(Some(c.hall_id))))
                .collect();
            Ok(views(conn, calls)?)
        })
        .await?;
    let mut c = Context::new();
    c.insert("month", &month);
    c.insert("calls", &list);
    c.insert("can_record", &is_tester(ctx.user()?));
    ctx.render("phone/calls.html", c)
}

/// GET /phone/calls/{id}: testers, supervisors over the hall, and the clerk
/// it belongs to (not the calibration scorings); anyone else 404.
pub async fn show_call(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    let staff = in_scope(&me, &[]) || me.has_role(Role::Supervisor);
    let found = state
        .db(move |conn| {
            let Some(call) = Call::find(conn, id).optional()? else { return Ok(None) };
            let tree = Tree::load(conn)?;
            let overseer = in_scope(&me, &tree.ancestry(Some(call.hall_id)));
            let own = call.clerk_id == Some(me.id) && call.second_of.is_none();
            if !overseer && !own {
                return Ok(None);
            }
            let scenario = call.scenario_id.map(|s| Scenario::find(conn, s)).transpose()?;
            let mut articles = Vec::new();
            for aid in scenario.as_ref().map(|s| s.article_ids()).unwrap_or_default() {
                if let Ok(a) = crate::kb::model::Article::find(conn, aid) {
                    articles.push((aid, crate::kb::model::title_of(conn, &a)?));
                }
            }
            let seconds = if overseer { Call::seconds_of(conn, id)? } else { Vec::new() };
            let seconds = views(conn, seconds)?;
            let view = views(conn, vec![call])?.pop();
            Ok(view.map(|v| (v, scenario, articles, seconds)))
        })
        .await?;
    let (call, scenario, articles, seconds) = found.ok_or(AppError::NotFound)?;
    let mut c = Context::new();
    c.insert("channel", &scenario.as_ref().map(|s| channel_label(&s.channel)));
    c.insert("call", &call);
    c.insert("scenario", &scenario);
    c.insert("articles", &articles);
    c.insert("seconds", &seconds);
    c.insert("staff", &staff);
    c.insert("can_record", &is_tester(ctx.user()?));
    ctx.render("phone/call.html", c)
}
