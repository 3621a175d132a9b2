//! Phone-test pages: editing the rubric (each save a new version), scenarios,
//! recording a call (and a second tester's calibration scoring), a call's
//! page, the month's list and a clerk's own calls.
//!
//! "The clerk belongs to that hall" is checked against the current roster:
//! the site keeps no history of who worked in which hall.

use std::collections::{BTreeMap, HashMap};

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::model::{self, Call, NewCall, Rubric, RubricVersion, Scenario, ScenarioFields};
use super::rules::{self, Item, Mark, RubricError, ScoreError};
use crate::auth::{CurrentUser, Role};
use crate::bank::question::Channel;
use crate::db::{now, write, Conn};
use crate::exam::model::Tree;
use crate::org::{OrgUnit, UnitKind};
use crate::review::model::in_scope;
use crate::review::rules::two_decimals;
use crate::schema::users;
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx};
use crate::AppState;

/// Testers: trainers and admins (city-wide).
fn is_tester(user: &CurrentUser) -> bool {
    user.has_any_role(&[Role::Trainer, Role::Admin])
}

fn this_month() -> String {
    crate::time::local_month(now())
}

// ---- Rubric ----

/// One row of the rubric form, as typed.
#[derive(Debug, Clone, Default, Serialize)]
struct RowDraft {
    code: String,
    name: String,
    points: String,
    critical: bool,
    allow_na: bool,
}

impl From<&Item> for RowDraft {
    fn from(i: &Item) -> Self {
        RowDraft {
            code: i.code.clone(),
            name: i.name.clone(),
            points: i.points.to_string(),
            critical: i.critical,
            allow_na: i.allow_na,
        }
    }
}

fn rubric_error(e: &RubricError) -> String {
    match e {
        RubricError::Empty => msg::PHONE_RUBRIC_EMPTY.to_string(),
        RubricError::Sum(n) => msg::phone_rubric_sum(*n),
        RubricError::BadItem(name) => msg::phone_rubric_bad_item(name),
        RubricError::DuplicateCode(code) => msg::phone_rubric_duplicate(code),
    }
}

/// GET /phone/rubric: the current items as an editable table, and every version.
pub async fn rubric_page(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let (_, current) = state.db(|conn| Ok(write(conn, |conn| Rubric::current(conn, now()))?)).await?;
    let rows: Vec<RowDraft> = current.items().iter().map(RowDraft::from).collect();
    render_rubric(&ctx, &state, rows, String::new(), Vec::new()).await
}

async fn render_rubric(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    mut rows: Vec<RowDraft>,
    note: String,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let versions = state
        .db(|conn| {
            let versions = Rubric::versions(conn)?;
            let ids: Vec<i32> = versions.iter().filter_map(|v| v.created_by).collect();
            let names = crate::accounts::User::names(conn, &ids)?;
            Ok(versions
                .into_iter()
                .map(|v| {
                    let by = v.created_by.and_then(|id| names.get(&id).cloned()).unwrap_or_default();
                    (v.version, crate::time::local_display(v.created_at), v.note.clone(), by, v.items())
                })
                .collect::<Vec<_>>())
        })
        .await?;
    // Two blank rows to add items; a blank row is ignored on save.
    rows.extend([RowDraft::default(), RowDraft::default()]);
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("note", &note);
    c.insert("errors", &errors);
    c.insert("versions", &versions);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "phone/rubric.html", c)
}

/// POST /phone/rubric: saves the table as the next version, if it checks.
pub async fn save_rubric(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let mut rows: BTreeMap<usize, RowDraft> = BTreeMap::new();
    let mut removed = Vec::new();
    let mut note = String::new();
    for (key, value) in form.into_inner() {
        if key == "note" {
            note = value.trim().chars().take(200).collect();
            continue;
        }
        let Some((n, field)) = key.strip_prefix("row_").and_then(|k| k.split_once('_')) else { continue };
        let Ok(n) = n.parse::<usize>() else { continue };
        let row = rows.entry(n).or_default();
        match field {
            "code" => row.code = value.trim().to_string(),
            "name" => row.name = value.trim().to_string(),
            "points" => row.points = value.trim().to_string(),
            "critical" => row.critical = true,
            "allow_na" => row.allow_na = true,
            "remove" => removed.push(n),
            _ => {}
        }
    }
    let rows: Vec<RowDraft> = rows
        .into_iter()
        .filter(|(n, r)| {
            let blank = r.code.is_empty() && r.name.is_empty() && r.points.is_empty();
            !removed.contains(n) && !blank
        })
        .map(|(_, r)| r)
        .collect();
    let items: Vec<Item> = rows
        .iter()
        .map(|r| Item {
            code: r.code.clone(),
            name: r.name.clone(),
            // Not a whole number: 0, which the check refuses by the item's name.
            points: r.points.parse().unwrap_or(0),
            critical: r.critical,
            allow_na: r.allow_na,
        })
        .collect();
    if let Err(e) = rules::check_rubric(&items) {
        return render_rubric(&ctx, &state, rows, note, vec![rubric_error(&e)]).await;
    }
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    let version = state
        .db(move |conn| {
            write(conn, |conn| {
                let v = Rubric::edit(conn, &items, &note, me, now())?;
                crate::audit::record(
                    conn,
                    Some(me),
                    "phone_rubric",
                    &msg::audit_phone_rubric(v.version, &note),
                    &ip,
                )?;
                Ok(v.version)
            })
        })
        .await?;
    ctx.flash("success", msg::phone_rubric_saved(version));
    Ok(redirect("/phone/rubric"))
}

// ---- Scenarios ----

fn channel_label(code: &str) -> String {
    Channel::parse_code(code).map(|c| c.label().to_string()).unwrap_or_else(|| code.to_string())
}

fn channel_options() -> Vec<(&'static str, &'static str)> {
    Channel::ALL.iter().map(|c| (c.code(), c.label())).collect()
}

#[derive(Deserialize, Default)]
pub struct ScenarioQuery {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    business: String,
}

/// GET /phone/scenarios: the list, by channel and business.
pub async fn scenarios(
    ctx: Ctx,
    state: web::Data<AppState>,
    query: web::Query<ScenarioQuery>,
) -> AppResult<HttpResponse> {
    let q = query.into_inner();
    let list = state.db(|conn| Ok(Scenario::all(conn)?)).await?;
    let mut businesses: Vec<String> = list.iter().map(|s| s.business.clone()).collect();
    businesses.sort();
    businesses.dedup();
    let rows: Vec<(Scenario, String)> = list
        .into_iter()
        .filter(|s| q.channel.is_empty() || s.channel == q.channel)
        .filter(|s| q.business.is_empty() || s.business == q.business)
        .map(|s| {
            let label = channel_label(&s.channel);
            (s, label)
        })
        .collect();
    let mut c = Context::new();
    c.insert("rows", &rows);
    c.insert("channels", &channel_options());
    c.insert("businesses", &businesses);
    c.insert("channel", &q.channel);
    c.insert("business", &q.business);
    c.insert("can_edit", &is_tester(ctx.user()?));
    ctx.render("phone/scenarios.html", c)
}

/// GET /phone/scenarios/new.
pub async fn new_scenario(ctx: Ctx, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let fields = ScenarioFields { active: true, channel: Channel::Hall.code().into(), ..Default::default() };
    render_scenario_form(&ctx, &state, None, fields, Vec::new()).await
}

/// GET /phone/scenarios/{id}/edit.
pub async fn edit_scenario(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let s = state.db(move |conn| Ok(Scenario::find(conn, id)?)).await?;
    let fields = ScenarioFields {
        article_ids: s.article_ids(),
        title: s.title,
        channel: s.channel,
        business: s.business,
        question: s.question,
        key_points: s.key_points,
        active: s.active,
    };
    render_scenario_form(&ctx, &state, Some(id), fields, Vec::new()).await
}

/// Published and archived articles with their current titles, for the picker.
fn article_choices(conn: &mut Conn) -> QueryResult<Vec<(i32, String)>> {
    Ok(crate::kb::model::search(conn, "", "", "", true)?.into_iter().map(|(a, v)| (a.id, v.title)).collect())
}

async fn render_scenario_form(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    id: Option<i32>,
    f: ScenarioFields,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let articles = state.db(|conn| Ok(article_choices(conn)?)).await?;
    let mut c = Context::new();
    c.insert("id", &id);
    c.insert("title", &f.title);
    c.insert("channel", &f.channel);
    c.insert("business", &f.business);
    c.insert("question", &f.question);
    c.insert("key_points", &f.key_points);
    c.insert("article_ids", &f.article_ids);
    c.insert("active", &f.active);
    c.insert("articles", &articles);
    c.insert("channels", &channel_options());
    c.insert("errors", &errors);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "phone/scenario_form.html", c)
}

/// The form's fields (articles are repeated `article` keys) and what is wrong with them.
fn parse_scenario(form: Vec<(String, String)>, known: &[i32]) -> (ScenarioFields, Vec<String>) {
    let mut f = ScenarioFields::default();
    for (k, v) in form {
        match k.as_str() {
            "title" => f.title = v.trim().to_string(),
            "channel" => f.channel = v.trim().to_string(),
            "business" => f.business = v.trim().to_string(),
            "question" => f.question = v.trim().to_string(),
            "key_points" => f.key_points = v.trim().to_string(),
            "active" => f.active = true,
            "article" => f.article_ids.extend(v.trim().parse::<i32>().ok()),
            _ => {}
        }
    }
    f.article_ids.dedup();
    let mut errors = Vec::new();
    let len = |s: &str| s.chars().count();
    if f.title.is_empty() || len(&f.title) > 100 {
        errors.push(msg::PHONE_SCENARIO_TITLE.to_string());
    }
    if Channel::parse_code(&f.channel).is_none() {
        errors.push(msg::PHONE_SCENARIO_CHANNEL.to_string());
    }
    if f.business.is_empty() || len(&f.business) > 50 {
        errors.push(msg::PHONE_SCENARIO_BUSINESS.to_string());
    }
    if f.question.is_empty() || len(&f.question) > 1000 || len(&f.key_points) > 2000 {
        errors.push(msg::PHONE_SCENARIO_QUESTION.to_string());
    }
    if f.article_ids.iter().any(|a| !known.contains(a)) {
        errors.push(msg::PHONE_SCENARIO_ARTICLE.to_string());
    }
    (f, errors)
}

/// POST /phone/scenarios.
pub async fn create_scenario(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    save_scenario(ctx, req, state, None, form.into_inner()).await
}

/// POST /phone/scenarios/{id}.
pub async fn update_scenario(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state.db(move |conn| Ok(Scenario::find(conn, id)?)).await?;
    save_scenario(ctx, req, state, Some(id), form.into_inner()).await
}

async fn save_scenario(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: Option<i32>,
    form: Vec<(String, String)>,
) -> AppResult<HttpResponse> {
    let known: Vec<i32> =
        state.db(|conn| Ok(article_choices(conn)?)).await?.into_iter().map(|(id, _)| id).collect();
    let (fields, errors) = parse_scenario(form, &known);
    if !errors.is_empty() {
        return render_scenario_form(&ctx, &state, id, fields, errors).await;
    }
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    state
        .db(move |conn| {
            write(conn, |conn| {
                let sid = Scenario::save(conn, id, &fields, me, now())?;
                let detail = msg::audit_phone_scenario(sid, &fields.title);
                crate::audit::record(conn, Some(me), "phone_scenario", &detail, &ip)?;
                Ok(())
            })
        })
        .await?;
    ctx.flash("success", msg::PHONE_SCENARIO_SAVED);
    Ok(redirect("/phone/scenarios"))
}

// ---- Calls: what the pages show ----

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
    pub month: String,
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

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// GET /phone/calls?month=: the month's calls in the viewer's scope.
pub async fn calls(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let month = crate::web::month::asked_month(q.into_inner().month.as_deref(), msg::PHONE_MONTH)?
        .map(|m| m.to_string())
        .unwrap_or_else(this_month);
    let me = ctx.user()?.clone();
    let m = month.clone();
    let list = state
        .db(move |conn| {
            let tree = Tree::load(conn)?;
            let calls: Vec<Call> = model::calls_of_month(conn, &m)?
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

// ---- Recording a call ----

/// The recording form as typed (every field text, so it can be shown again).
#[derive(Serialize, Default)]
struct CallDraft {
    month: String,
    called_at: String,
    hall_id: String,
    clerk: String,
    scenario_id: String,
    rings: String,
    duration: String,
    notes: String,
    recording_ref: String,
    second_of: String,
    rubric_version_id: String,
}

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
    let mut errors = Vec::new();
    if let Some(first_id) = q.second_of {
        let first = state.db(move |conn| Ok(Call::find(conn, first_id)?)).await?;
        if first.tester_id == ctx.user()?.id {
            errors.push(msg::PHONE_SECOND_SAME_TESTER.to_string());
        }
        d = draft_of_first(&first, d);
    }
    render_call_form(&ctx, &state, d, HashMap::new(), errors).await
}

/// The second scoring takes the hall, clerk, time and scenario of the first.
fn draft_of_first(first: &Call, d: CallDraft) -> CallDraft {
    CallDraft {
        month: first.month.clone(),
        called_at: crate::time::local_input(first.called_at),
        hall_id: first.hall_id.to_string(),
        clerk: first.clerk_id.map(|c| c.to_string()).unwrap_or_else(|| "none".into()),
        scenario_id: first.scenario_id.map(|s| s.to_string()).unwrap_or_default(),
        second_of: first.id.to_string(),
        ..d
    }
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
    errors: Vec<String>,
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
    c.insert("errors", &errors);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.render_status(status, "phone/call_form.html", c)
}

fn score_error(e: &ScoreError, items: &[Item]) -> String {
    let points = |name: &str| items.iter().find(|i| i.name == name).map(|i| i.points).unwrap_or(0);
    match e {
        ScoreError::Missing(name) => msg::phone_score_missing(name),
        ScoreError::OutOfRange(name) => msg::phone_score_range(name, points(name)),
        ScoreError::NotApplicableRefused(name) => msg::phone_na_refused(name),
        ScoreError::NothingApplicable => msg::PHONE_NOTHING_APPLICABLE.to_string(),
        ScoreError::Unknown(code) => msg::phone_unknown_item(code),
    }
}

/// Checks the typed form against the database; the call to store, or the errors.
fn check_call(
    conn: &mut Conn,
    f: &HashMap<String, String>,
    me: i32,
) -> QueryResult<Result<NewCall, (CallDraft, Vec<String>)>> {
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut d = CallDraft {
        month: get("month"),
        called_at: get("called_at"),
        hall_id: get("hall_id"),
        clerk: get("clerk"),
        scenario_id: get("scenario_id"),
        rings: get("rings"),
        duration: get("duration"),
        notes: f.get("notes").cloned().unwrap_or_default(),
        recording_ref: get("recording_ref"),
        second_of: get("second_of"),
        rubric_version_id: get("rubric_version_id"),
    };
    let mut errors = Vec::new();
    let second_of = match d.second_of.parse::<i32>().ok() {
        None => None,
        Some(id) => match Call::find(conn, id).optional()? {
            None => {
                errors.push(msg::PHONE_SECOND_MISSING.to_string());
                None
            }
            Some(first) => {
                if first.tester_id == me {
                    errors.push(msg::PHONE_SECOND_SAME_TESTER.to_string());
                }
                if first.second_of.is_some() {
                    errors.push(msg::PHONE_SECOND_OF_SECOND.to_string());
                }
                d = draft_of_first(&first, d);
                Some(first.id)
            }
        },
    };
    let (_, version) = write(conn, |conn| Rubric::current(conn, now()))?;
    let items = version.items();
    if d.rubric_version_id != version.id.to_string() {
        errors.push(msg::PHONE_RUBRIC_CHANGED.to_string());
    }
    let month = match crate::domain::Month::parse(&d.month) {
        Ok(m) => Some(m.to_string()),
        Err(crate::domain::BadMonth::OutOfRange) => {
            errors.push(msg::MONTH_OUT_OF_RANGE.to_string());
            Some(d.month.trim().to_string())
        }
        Err(crate::domain::BadMonth::Malformed) => {
            errors.push(msg::PHONE_MONTH.to_string());
            None
        }
    };
    let called_at = crate::time::parse_local_input(&d.called_at);
    match (called_at, &month) {
        (None, _) => errors.push(msg::PHONE_TIME.to_string()),
        (Some(at), _) if at > now() => errors.push(msg::PHONE_TIME_FUTURE.to_string()),
        (Some(at), Some(m)) if crate::time::local_month(at) != *m => errors.push(msg::phone_time_outside(m)),
        _ => {}
    }
    let hall = match d.hall_id.parse::<i32>().ok().map(|h| OrgUnit::find(conn, h).optional()).transpose()? {
        Some(Some(u)) if u.kind() == Some(UnitKind::Hall) => Some(u.id),
        _ => {
            errors.push(msg::PHONE_HALL.to_string());
            None
        }
    };
    let clerk = match d.clerk.as_str() {
        "" => {
            errors.push(msg::PHONE_CLERK_MISSING.to_string());
            None
        }
        "none" => None,
        text => {
            let found: Option<(Option<i32>, bool)> = match text.parse::<i32>() {
                Ok(id) => {
                    users::table.find(id).select((users::hall_id, users::active)).first(conn).optional()?
                }
                Err(_) => None,
            };
            match found {
                Some((Some(h), true)) if Some(h) == hall => text.parse().ok(),
                _ => {
                    if hall.is_some() {
                        errors.push(msg::PHONE_CLERK_HALL.to_string());
                    }
                    None
                }
            }
        }
    };
    let scenario_id = match d.scenario_id.parse::<i32>().ok() {
        Some(s) if Scenario::find(conn, s).optional()?.is_none() => {
            errors.push(msg::PHONE_SCENARIO_MISSING.to_string());
            None
        }
        other => other,
    };
    let (mut marks, mut unreadable) = (Vec::new(), false);
    for it in &items {
        if f.contains_key(&format!("na_{}", it.code)) {
            marks.push((it.code.clone(), Mark::NotApplicable));
            continue;
        }
        let text = get(&format!("score_{}", it.code));
        if text.is_empty() {
            continue; // scoring reports it missing
        }
        match rules::parse_mark(&text) {
            Some(Mark::Score(s)) => marks.push((it.code.clone(), Mark::Score(s))),
            _ => {
                unreadable = true;
                errors.push(msg::phone_score_format(&it.name));
            }
        }
    }
    if !unreadable {
        if let Err(e) = rules::score(&items, &marks) {
            errors.push(score_error(&e, &items));
        }
    }
    let rings = d.rings.parse::<i32>().ok().filter(|r| (0..=30).contains(r));
    if rings.is_none() {
        errors.push(msg::PHONE_RINGS.to_string());
    }
    let duration = d.duration.parse::<i32>().ok().filter(|s| (1..=3600).contains(s));
    if duration.is_none() {
        errors.push(msg::PHONE_DURATION.to_string());
    }
    if d.notes.chars().count() > 1000 {
        errors.push(msg::PHONE_NOTES.to_string());
    }
    if d.recording_ref.chars().count() > 200 {
        errors.push(msg::PHONE_RECORDING.to_string());
    }
    if !errors.is_empty() {
        return Ok(Err((d, errors)));
    }
    let (Some(called_at), Some(hall_id), Some(rings), Some(duration_seconds)) =
        (called_at, hall, rings, duration)
    else {
        return Ok(Err((d, errors)));
    };
    Ok(Ok(NewCall {
        called_at,
        hall_id,
        clerk_id: clerk,
        tester_id: me,
        scenario_id,
        rubric_version_id: version.id,
        marks,
        rings,
        duration_seconds,
        notes: d.notes.trim().to_string(),
        recording_ref: d.recording_ref,
        second_of,
    }))
}

/// POST /phone/calls: records a call scored by the signed-in tester.
pub async fn record_call(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let typed = form.into_inner();
    let (me, ip) = (ctx.user()?.id, client_ip(&req));
    let f = typed.clone();
    let outcome = state
        .db(move |conn| {
            write(conn, |conn| {
                let call = match check_call(conn, &f, me)? {
                    Ok(call) => call,
                    Err(failed) => return Ok(Err(failed)),
                };
                let id = match model::record(conn, &call, Some(me), now())? {
                    Ok(id) => id,
                    Err(e) => return Ok(Err((CallDraft::default(), vec![score_error(&e, &[])]))),
                };
                let total = two_decimals(Call::find(conn, id)?.total.into());
                let detail = msg::audit_phone_call(id, call.hall_id, call.clerk_id, &total, call.second_of);
                crate::audit::record(conn, Some(me), "phone_call", &detail, &ip)?;
                Ok(Ok((id, total)))
            })
        })
        .await?;
    match outcome {
        Ok((id, total)) => {
            ctx.flash("success", msg::phone_call_saved(id, &total));
            Ok(redirect(&format!("/phone/calls/{id}")))
        }
        Err((d, errors)) => render_call_form(&ctx, &state, d, typed, errors).await,
    }
}
