//! Recording, changing and deleting a study session: the session and its
//! attendees are written in one transaction, with the audit line.

use std::convert::Infallible;
use std::fmt;

use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;

use super::form::{editable, oldest, render_form, today, FormPage};
use crate::auth::CurrentUser;
use crate::db::Conn;
use crate::domain::Month;
use crate::org::{OrgUnit, UnitKind};
use crate::training::access::may_record;
use crate::training::study::form::{check, Limits, StudyDraft};
use crate::training::study::model::{self as study, NewStudy, StudySession};
use crate::web::action::{self, Actor, Done};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

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
    if !may_record(me, id) {
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
    let (me, actor) = (ctx.user()?.clone(), Actor::of(&ctx, &req)?);
    match action::run(&state, actor, move |conn, actor| store(conn, actor, &me, id, &pairs)).await? {
        Ok(done) => Ok(action::answer(&ctx, "/training/study", Ok::<_, Refused>(done))),
        Err(Refused(page)) => render_form(&ctx, &state, page).await,
    }
}

/// A form sent back: the page to show again, with each field's error.
struct Refused(FormPage);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let texts: Vec<&str> = self.0.errors.values().map(String::as_str).collect();
        f.write_str(&texts.join(msg::LIST_SEPARATOR))
    }
}

/// Checks the posted session against the hall's staff and articles and
/// stores it with the audit line; or the form again with its errors.
fn store(
    conn: &mut Conn,
    actor: &Actor,
    me: &CurrentUser,
    id: Option<i32>,
    pairs: &[(String, String)],
) -> AppResult<Result<Done, Refused>> {
    let draft = StudyDraft::from_pairs(pairs);
    let (hall_id, keep_people, keep_articles) = match id {
        Some(id) => {
            let (s, people) = editable(conn, me, id)?;
            (s.hall_id, people, s.articles())
        }
        None => (hall_for_new(conn, me, pairs)?, Vec::new(), Vec::new()),
    };
    let staff: Vec<i32> = study::roster(conn, hall_id, &keep_people)?
        .into_iter()
        .filter(|m| m.current || keep_people.contains(&m.id))
        .map(|m| m.id)
        .collect();
    let mut articles: Vec<i32> = study::article_choices(conn, hall_id)?.into_iter().map(|a| a.0).collect();
    articles.extend(&keep_articles);
    let limits = Limits { hall_id, today: today(), oldest: oldest(me), staff: &staff, articles: &articles };
    let new = match check(&draft, &limits) {
        Ok(new) => new,
        Err(errors) => {
            return Ok(Err(Refused(FormPage { id, hall_id, draft, errors, keep_people, keep_articles })))
        }
    };
    let (sid, action) = match id {
        Some(id) => (StudySession::update(conn, id, &new, actor.now()).map(|_| id)?, "study_update"),
        None => (StudySession::insert(conn, &new, me.id, actor.now())?, "study_create"),
    };
    let detail = audit_detail(conn, sid, &new)?;
    actor.audit(conn, action, &detail)?;
    let mut saved = msg::study_saved(&new.held_on.to_string(), &new.topic, new.minutes);
    for (starts, ends, topic) in overlapping(conn, sid, &new)? {
        saved.push_str(&msg::study_overlaps(&starts, &ends, &topic));
    }
    Ok(Ok(Done::then(saved, list_of(new.hall_id, Month::of_date(new.held_on)))))
}

/// The hall's other sessions that day sharing time with `new`: (starts, ends, topic).
/// Saved all the same (two records of one meeting happen); the time counts once.
fn overlapping(conn: &mut Conn, id: i32, new: &NewStudy) -> QueryResult<Vec<(String, String, String)>> {
    use crate::schema::study_sessions as s;
    use crate::training::study::rules::{minute_of_day, overlap};
    let span = |starts: &str, ends: &str| Some((minute_of_day(starts)?, minute_of_day(ends)?));
    let Some(mine) = span(&new.starts, &new.ends) else { return Ok(Vec::new()) };
    let others: Vec<(String, String, String)> = s::table
        .filter(s::hall_id.eq(new.hall_id))
        .filter(s::held_on.eq(new.held_on))
        .filter(s::id.ne(id))
        .order(s::starts)
        .select((s::starts, s::ends, s::topic))
        .load(conn)?;
    Ok(others.into_iter().filter(|(a, b, _)| span(a, b).is_some_and(|o| overlap(mine, o))).collect())
}

fn audit_detail(conn: &mut Conn, id: i32, s: &NewStudy) -> QueryResult<String> {
    let hall = OrgUnit::find(conn, s.hall_id)?.name;
    Ok(msg::audit_study(id, &hall, &s.held_on.to_string(), s.minutes, &s.topic, s.attendees.len()))
}

fn list_of(hall_id: i32, month: Month) -> String {
    format!("/training/study?hall={hall_id}&month={month}")
}

/// POST /training/study/{id}/delete: deletes a session with its attendees.
pub async fn delete(
    ctx: Ctx,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (id, me) = (path.into_inner(), ctx.user()?.clone());
    action::act(&ctx, &req, &state, "/training/study", move |conn, actor| {
        let (s, people) = editable(conn, &me, id)?;
        let hall = OrgUnit::find(conn, s.hall_id)?.name;
        StudySession::delete(conn, id)?;
        let detail = msg::audit_study(id, &hall, &s.held_on.to_string(), s.minutes, &s.topic, people.len());
        actor.audit(conn, "study_delete", &detail)?;
        Ok(Ok::<_, Infallible>(Done::then(msg::STUDY_DELETED, list_of(s.hall_id, s.month))))
    })
    .await
}
