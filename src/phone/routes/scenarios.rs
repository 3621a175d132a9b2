//! Test scenarios: the list, new and edited.

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::Deserialize;
use tera::Context;

use super::*;
use crate::bank::question::Channel;
use crate::db::{now, write, Conn};
use crate::phone::model::{Scenario, ScenarioFields};
use crate::web::{client_ip, msg, redirect, AppResult, Ctx};
use crate::AppState;

pub(super) fn channel_label(code: &str) -> String {
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
