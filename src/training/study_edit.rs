//! Recording, changing and deleting a study session: a hall's team leaders
//! (their hall, dated within [`BACKDATE_DAYS`]) and admins (any hall, any
//! past date). The session and its attendees are written in one
//! transaction, with the audit line.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::model::StudySession;
use super::rules::StudyKind;
use super::study::{self, can_record, NewStudy};
use super::study_form::{check, Limits, StudyDraft, BACKDATE_DAYS};
use super::study_routes::{hall_of, visible_hall};
use crate::auth::{CurrentUser, Role};
use crate::db::{now, write, Conn};
use crate::org::model::HallOption;
use crate::org::{OrgUnit, UnitKind};
use crate::web::form::insert_errors;
use crate::web::{client_ip, msg, redirect, AppError, AppResult, Ctx, FieldErrors};
use crate::AppState;

#[derive(Deserialize)]
pub struct NewQuery {
    hall: Option<String>,
}

/// The active halls `me` may record for.
fn recordable(conn: &mut Conn, me: &CurrentUser) -> QueryResult<Vec<HallOption>> {
    Ok(OrgUnit::halls(conn)?.into_iter().filter(|h| h.active && can_record(me, h.id)).collect())
}

/// The earliest date `me` may give a session (None: any).
fn oldest(me: &CurrentUser) -> Option<chrono::NaiveDate> {
    (!me.has_role(Role::Admin)).then(|| Limits::backdate_limit(today()))
}

fn today() -> chrono::NaiveDate {
    crate::time::local_date(now())
}

/// What the form page shows besides the draft.
struct FormPage {
    /// The session being edited.
    id: Option<i32>,
    hall_id: i32,
    draft: StudyDraft,
    errors: FieldErrors,
    /// Already recorded attendees and articles stay choosable on edit.
    keep_people: Vec<i32>,
    keep_articles: Vec<i32>,
}

/// An article on the form: (id, title, ticked).
#[derive(Serialize)]
struct Choice {
    id: i32,
    label: String,
    checked: bool,
    member: Option<study::Member>,
}

async fn render_form(ctx: &Ctx, state: &AppState, p: FormPage) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let (hall, people, articles, several) = {
        let (hall_id, keep_people, keep_articles) =
            (p.hall_id, p.keep_people.clone(), p.keep_articles.clone());
        let mut also = p.keep_people.clone();
        also.extend(p.draft.attendees.iter().copied());
        state
            .db(move |conn| {
                let hall = OrgUnit::find(conn, hall_id)?;
                let people = study::roster(conn, hall_id, &also)?
                    .into_iter()
                    .filter(|m| m.current || keep_people.contains(&m.id))
                    .collect::<Vec<_>>();
                let mut articles = study::article_choices(conn, hall_id)?;
                for (id, title) in study::article_titles(conn, &keep_articles)? {
                    if !articles.iter().any(|a| a.0 == id) {
                        articles.push((id, title));
                    }
                }
                Ok((hall, people, articles, recordable(conn, &me)?.len() > 1))
            })
            .await?
    };
    let people: Vec<Choice> = people
        .into_iter()
        .map(|m| Choice {
            id: m.id,
            label: m.name.clone(),
            checked: p.draft.attendees.contains(&m.id),
            member: Some(m),
        })
        .collect();
    let articles: Vec<Choice> = articles
        .into_iter()
        .map(|(id, title)| Choice {
            id,
            label: title,
            checked: p.draft.article_ids.contains(&id),
            member: None,
        })
        .collect();
    let kinds: Vec<(&str, &str)> = StudyKind::ALL.iter().map(|k| (k.code(), k.label())).collect();
    let mut c = Context::new();
    c.insert("id", &p.id);
    c.insert("hall_id", &hall.id);
    c.insert("hall", &hall.name);
    c.insert("several_halls", &several);
    c.insert("d", &p.draft);
    insert_errors(&mut c, &p.errors);
    c.insert("people", &people);
    c.insert("articles", &articles);
    c.insert("kinds", &kinds);
    c.insert("today", &today().to_string());
    c.insert("oldest", &oldest(ctx.user()?).map(|d| d.to_string()));
    c.insert("backdate_days", &BACKDATE_DAYS);
    let status = if p.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    ctx.render_status(status, "training/study_form.html", c)
}

/// GET /training/study/new[?hall=ID]: the form, or first the hall to record for.
pub async fn new_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let asked = hall_of(q.hall.as_deref())?;
    let me = ctx.user()?.clone();
    let halls = state.db(move |conn| Ok(recordable(conn, &me)?)).await?;
    let hall = match asked {
        Some(h) if halls.iter().any(|x| x.id == h) => h,
        Some(_) => return Err(AppError::Forbidden),
        None if halls.len() == 1 => halls[0].id,
        None => {
            let mut c = Context::new();
            c.insert("halls", &halls);
            c.insert("message", msg::STUDY_NO_HALL);
            return ctx.render("training/study_pick_hall.html", c);
        }
    };
    let draft = StudyDraft {
        held_on: today().to_string(),
        kind: StudyKind::Morning.code().into(),
        ..Default::default()
    };
    let page = FormPage {
        id: None,
        hall_id: hall,
        draft,
        errors: FieldErrors::new(),
        keep_people: Vec::new(),
        keep_articles: Vec::new(),
    };
    render_form(&ctx, &state, page).await
}

/// The session if `me` may change it: outside their view it does not exist;
/// in view but not theirs to record, forbidden.
fn editable(conn: &mut Conn, me: &CurrentUser, id: i32) -> AppResult<(StudySession, Vec<i32>)> {
    let s = StudySession::find(conn, id).optional()?.ok_or(AppError::NotFound)?;
    visible_hall(conn, me, s.hall_id)?;
    if !can_record(me, s.hall_id) {
        return Err(AppError::Forbidden);
    }
    let people = StudySession::attendees_of(conn, &[id])?.remove(&id).unwrap_or_default();
    Ok((s, people))
}

/// GET /training/study/{id}/edit.
pub async fn edit_form(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    let (s, people) = state.db(move |conn| editable(conn, &me, id)).await?;
    let draft = StudyDraft {
        held_on: s.held_on.to_string(),
        minutes: s.minutes.to_string(),
        kind: s.kind.clone(),
        topic: s.topic.clone(),
        notes: s.notes.clone(),
        article_ids: s.articles(),
        attendees: people.clone(),
        starts: s.starts.clone(),
        ends: s.ends.clone(),
    };
    let page = FormPage {
        id: Some(id),
        hall_id: s.hall_id,
        keep_articles: s.articles(),
        keep_people: people,
        draft,
        errors: FieldErrors::new(),
    };
    render_form(&ctx, &state, page).await
}

/// POST /training/study: records a session for the form's hall.
pub async fn create(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    save(ctx, req, state, None, form.into_inner()).await
}

/// POST /training/study/{id}: changes a session (its hall stays).
pub async fn update(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    form: web::Form<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    save(ctx, req, state, Some(path.into_inner()), form.into_inner()).await
}

/// The hall a new session is for, from the form: an active hall `me` records for.
fn hall_for_new(conn: &mut Conn, me: &CurrentUser, pairs: &[(String, String)]) -> AppResult<i32> {
    let text = pairs.iter().find(|(k, _)| k == "hall_id").map(|(_, v)| v.trim()).unwrap_or_default();
    let id: i32 = text.parse().map_err(|_| AppError::bad_request(msg::STUDY_HALL))?;
    match OrgUnit::find(conn, id).optional()? {
        Some(u) if u.kind() == Some(UnitKind::Hall) && u.active => {}
        _ => return Err(AppError::bad_request(msg::STUDY_HALL)),
    }
    if !can_record(me, id) {
        return Err(AppError::Forbidden);
    }
    Ok(id)
}

async fn save(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: Option<i32>,
    pairs: Vec<(String, String)>,
) -> AppResult<HttpResponse> {
    let (me, ip) = (ctx.user()?.clone(), client_ip(&req));
    let draft = StudyDraft::from_pairs(&pairs);
    let outcome = state
        .db(move |conn| {
            write(conn, |conn| {
                let (hall_id, keep_people, keep_articles) = match id {
                    Some(id) => {
                        let (s, people) = editable(conn, &me, id)?;
                        (s.hall_id, people, s.articles())
                    }
                    None => (hall_for_new(conn, &me, &pairs)?, Vec::new(), Vec::new()),
                };
                let staff: Vec<i32> = study::roster(conn, hall_id, &keep_people)?
                    .into_iter()
                    .filter(|m| m.current || keep_people.contains(&m.id))
                    .map(|m| m.id)
                    .collect();
                let mut articles: Vec<i32> =
                    study::article_choices(conn, hall_id)?.into_iter().map(|a| a.0).collect();
                articles.extend(&keep_articles);
                let limits = Limits {
                    hall_id,
                    today: today(),
                    oldest: oldest(&me),
                    staff: &staff,
                    articles: &articles,
                };
                let new = match check(&draft, &limits) {
                    Ok(new) => new,
                    Err(errors) => return Ok(Err((hall_id, draft, errors, keep_people, keep_articles))),
                };
                let (sid, action) = match id {
                    Some(id) => (StudySession::update(conn, id, &new, now()).map(|_| id)?, "study_update"),
                    None => (StudySession::insert(conn, &new, me.id, now())?, "study_create"),
                };
                let detail = audit_detail(conn, sid, &new)?;
                crate::audit::record(conn, Some(me.id), action, &detail, &ip)?;
                Ok(Ok(new))
            })
        })
        .await?;
    match outcome {
        Ok(new) => {
            ctx.flash("success", msg::study_saved(&new.held_on.to_string(), &new.topic, new.minutes));
            Ok(redirect(&list_of(new.hall_id, &new.held_on.format("%Y-%m").to_string())))
        }
        Err((hall_id, draft, errors, keep_people, keep_articles)) => {
            let page = FormPage { id, hall_id, draft, errors, keep_people, keep_articles };
            render_form(&ctx, &state, page).await
        }
    }
}

fn audit_detail(conn: &mut Conn, id: i32, s: &NewStudy) -> QueryResult<String> {
    let hall = OrgUnit::find(conn, s.hall_id)?.name;
    Ok(msg::audit_study(id, &hall, &s.held_on.to_string(), s.minutes, &s.topic, s.attendees.len()))
}

fn list_of(hall_id: i32, month: &str) -> String {
    format!("/training/study?hall={hall_id}&month={month}")
}

/// POST /training/study/{id}/delete: deletes a session with its attendees.
pub async fn delete(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (me, ip) = (ctx.user()?.clone(), client_ip(&req));
    let back = state
        .db(move |conn| {
            write(conn, |conn| {
                let (s, people) = editable(conn, &me, id)?;
                let hall = OrgUnit::find(conn, s.hall_id)?.name;
                StudySession::delete(conn, id)?;
                let detail =
                    msg::audit_study(id, &hall, &s.held_on.to_string(), s.minutes, &s.topic, people.len());
                crate::audit::record(conn, Some(me.id), "study_delete", &detail, &ip)?;
                Ok(list_of(s.hall_id, &s.month))
            })
        })
        .await?;
    ctx.flash("success", msg::STUDY_DELETED);
    Ok(redirect(&back))
}
