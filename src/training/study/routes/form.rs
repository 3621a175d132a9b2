//! The study-session form, new and edit: a hall's team leaders (their hall,
//! dated within [`BACKDATE_DAYS`]) and admins (any hall, any past date).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::{hall_of, visible_hall};
use crate::auth::{CurrentUser, Role};
use crate::db::{now, Conn};
use crate::org::model::HallOption;
use crate::org::OrgUnit;
use crate::training::access::may_record;
use crate::training::study::form::{Limits, StudyDraft, BACKDATE_DAYS};
use crate::training::study::model::{self as study, StudySession};
use crate::training::study::rules::StudyKind;
use crate::web::form::insert_errors;
use crate::web::{msg, AppError, AppResult, Ctx, FieldErrors};
use crate::AppState;

#[derive(Deserialize)]
pub struct NewQuery {
    hall: Option<String>,
}

/// The active halls `me` may record for.
pub(super) fn recordable(conn: &mut Conn, me: &CurrentUser) -> QueryResult<Vec<HallOption>> {
    Ok(OrgUnit::halls(conn)?.into_iter().filter(|h| h.active && may_record(me, h.id)).collect())
}

/// The earliest date `me` may give a session (None: any).
pub(super) fn oldest(me: &CurrentUser) -> Option<chrono::NaiveDate> {
    (!me.has_role(Role::Admin)).then(|| Limits::backdate_limit(today()))
}

pub(super) fn today() -> chrono::NaiveDate {
    crate::time::local_date(now())
}

/// What the form page shows besides the draft.
pub(super) struct FormPage {
    /// The session being edited.
    pub(super) id: Option<i32>,
    pub(super) hall_id: i32,
    pub(super) draft: StudyDraft,
    pub(super) errors: FieldErrors,
    /// Already recorded attendees and articles stay choosable on edit.
    pub(super) keep_people: Vec<i32>,
    pub(super) keep_articles: Vec<i32>,
}

/// An article on the form: (id, title, ticked).
#[derive(Serialize)]
struct Choice {
    id: i32,
    label: String,
    checked: bool,
    member: Option<study::Member>,
}

pub(super) async fn render_form(ctx: &Ctx, state: &AppState, p: FormPage) -> AppResult<HttpResponse> {
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

/// The session if `me` may change it: outside their view it does not exist;
/// in view but not theirs to record, forbidden.
pub(super) fn editable(conn: &mut Conn, me: &CurrentUser, id: i32) -> AppResult<(StudySession, Vec<i32>)> {
    let s = StudySession::find(conn, id).optional()?.ok_or(AppError::NotFound)?;
    visible_hall(conn, me, s.hall_id)?;
    if !may_record(me, s.hall_id) {
        return Err(AppError::Forbidden);
    }
    let people = StudySession::attendees_of(conn, &[id])?.remove(&id).unwrap_or_default();
    Ok((s, people))
}
