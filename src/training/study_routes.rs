//! Study-session pages: the month of one hall (sessions, hours against the
//! target, each person's attendance) or, for supervisors, trainers and
//! admins, every hall in scope with the short ones marked; a session's page;
//! the Excel export. Recording and editing are in [`super::study_edit`].

use actix_web::{web, HttpResponse};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::model::StudySession;
use super::rules::{self, StudyKind};
use super::study::{self, can_record, can_view, HallStudy};
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::exam::model::Tree;
use crate::org::{OrgUnit, UnitKind};
use crate::web::month::{month_context, month_or_this};
use crate::web::{msg, xlsx_response, AppError, AppResult, Ctx};
use crate::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    month: Option<String>,
    hall: Option<String>,
    /// "1": only the halls under target.
    short: Option<String>,
}

/// The asked hall id, if any; text that is not a number is a 400.
pub fn hall_of(asked: Option<&str>) -> AppResult<Option<i32>> {
    match asked.map(str::trim).filter(|h| !h.is_empty()) {
        Some(h) => h.parse().map(Some).map_err(|_| AppError::bad_request(msg::STUDY_HALL_PARAM)),
        None => Ok(None),
    }
}

/// The unit if it is a hall `me` may see; anything else is "not found".
pub fn visible_hall(conn: &mut Conn, me: &CurrentUser, id: i32) -> AppResult<OrgUnit> {
    let unit = OrgUnit::find(conn, id).optional()?.ok_or(AppError::NotFound)?;
    let tree = Tree::load(conn)?;
    if unit.kind() != Some(UnitKind::Hall) || !can_view(me, &tree, id) {
        return Err(AppError::NotFound);
    }
    Ok(unit)
}

/// One session in a list.
#[derive(Serialize)]
pub struct SessionRow {
    pub id: i32,
    pub held_on: String,
    /// "08:30–09:15", or '' when only the minutes were entered.
    pub time: String,
    pub minutes: i32,
    pub kind: &'static str,
    pub topic: String,
    pub attendees: usize,
}

impl SessionRow {
    pub fn new(s: &StudySession, attendees: usize) -> SessionRow {
        SessionRow {
            id: s.id,
            held_on: s.held_on.to_string(),
            time: if s.starts.is_empty() { String::new() } else { format!("{}–{}", s.starts, s.ends) },
            minutes: s.minutes,
            kind: kind_label(&s.kind),
            topic: s.topic.clone(),
            attendees,
        }
    }
}

pub fn kind_label(code: &str) -> &'static str {
    StudyKind::parse(code).map_or("", |k| k.label())
}

/// One person's attendance in the hall's month.
#[derive(Serialize)]
struct PersonRow {
    member: study::Member,
    attended: i64,
    hours: String,
    share: String,
}

/// A summary row with its figures as text.
#[derive(Serialize)]
struct SummaryRow {
    #[serde(flatten)]
    h: HallStudy,
    hours: String,
    target_hours: String,
    share: String,
}

fn summary_row(h: HallStudy) -> SummaryRow {
    SummaryRow {
        hours: rules::hours(h.minutes),
        target_hours: rules::hours(h.target_minutes),
        share: rules::share_text(rules::share(h.minutes, h.target_minutes)),
        h,
    }
}

/// GET /training/study: a hall's month (?hall=ID, or the leader's own hall),
/// or for overseers every hall in scope.
pub async fn index(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let month = month_or_this(q.month.as_deref(), msg::STUDY_MONTH)?.to_string();
    let mut hall = hall_of(q.hall.as_deref())?;
    let me = ctx.user()?.clone();
    // Hall leaders see their own halls (the first unless they chose another).
    let mut mine: Vec<i32> = Vec::new();
    for h in me.scopes(Role::TeamLeader).into_iter().chain(me.scopes(Role::HallManager)) {
        if !mine.contains(&h) {
            mine.push(h);
        }
    }
    if hall.is_none() && !study::oversees(&me) {
        hall = Some(*mine.first().ok_or(AppError::Forbidden)?);
    }
    match hall {
        Some(id) => hall_page(&ctx, &state, month, id, mine).await,
        None => summary_page(&ctx, &state, month, q.short.as_deref() == Some("1")).await,
    }
}

async fn summary_page(
    ctx: &Ctx,
    state: &AppState,
    month: String,
    only_short: bool,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let m = month.clone();
    let rows = state
        .db(move |conn| {
            let tree = Tree::load(conn)?;
            let rows = study::hall_month_summary(conn, &m)?;
            Ok(rows.into_iter().filter(|h| can_view(&me, &tree, h.hall_id)).collect::<Vec<_>>())
        })
        .await?;
    let mut c = month_context(
        crate::domain::Month::parse(&month).unwrap_or_else(|_| crate::domain::Month::current()),
    );
    c.insert("halls", &rows.len());
    c.insert("short_count", &rows.iter().filter(|h| h.short).count());
    c.insert("sessions", &rows.iter().map(|h| h.sessions).sum::<i64>());
    c.insert("target_hours", &rules::hours(rows.first().map_or(0, |h| h.target_minutes)));
    let shown: Vec<SummaryRow> =
        rows.into_iter().filter(|h| !only_short || h.short).map(summary_row).collect();
    c.insert("rows", &shown);
    c.insert("only_short", &only_short);
    c.insert("nav_extra", if only_short { "&short=1" } else { "" });
    c.insert("can_record", &ctx.user()?.has_role(Role::Admin));
    ctx.render("training/study_summary.html", c)
}

async fn hall_page(
    ctx: &Ctx,
    state: &AppState,
    month: String,
    hall_id: i32,
    mine: Vec<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let m = month.clone();
    let (unit, area, sessions, people, target, others) = state
        .db(move |conn| {
            let unit = visible_hall(conn, &me, hall_id)?;
            let tree = Tree::load(conn)?;
            let area = tree.area_of(Some(hall_id)).map(|a| a.name.clone()).unwrap_or_default();
            let list = StudySession::of_hall(conn, hall_id, &m)?;
            let ids: Vec<i32> = list.iter().map(|s| s.id).collect();
            let attendees = StudySession::attendees_of(conn, &ids)?;
            let everyone: Vec<i32> = attendees.values().flatten().copied().collect();
            let roster = study::roster(conn, hall_id, &everyone)?;
            let held = list.len() as i64;
            let people: Vec<PersonRow> = roster
                .into_iter()
                .map(|member| {
                    let went: Vec<&StudySession> = list
                        .iter()
                        .filter(|s| attendees.get(&s.id).is_some_and(|a| a.contains(&member.id)))
                        .collect();
                    let minutes: i64 = went.iter().map(|s| i64::from(s.minutes)).sum();
                    PersonRow {
                        attended: went.len() as i64,
                        hours: rules::hours(minutes),
                        share: rules::share_text(rules::share(went.len() as i64, held)),
                        member,
                    }
                })
                .collect();
            let rows: Vec<SessionRow> =
                list.iter().map(|s| SessionRow::new(s, attendees.get(&s.id).map_or(0, Vec::len))).collect();
            let target = crate::settings::number(conn, &crate::settings::STUDY_TARGET_MINUTES)?;
            let others: Vec<(i32, String)> =
                mine.iter().filter(|h| **h != hall_id).map(|h| (*h, tree.name(Some(*h)))).collect();
            Ok((unit, area, rows, people, target, others))
        })
        .await?;
    let minutes: i64 = sessions.iter().map(|s| i64::from(s.minutes)).sum();
    let mut c = month_context(
        crate::domain::Month::parse(&month).unwrap_or_else(|_| crate::domain::Month::current()),
    );
    c.insert("hall_id", &unit.id);
    c.insert("nav_extra", &format!("&hall={}", unit.id));
    c.insert("hall", &unit.name);
    c.insert("area", &area);
    c.insert("sessions", &sessions);
    c.insert("people", &people);
    c.insert("minutes", &minutes);
    c.insert("hours", &rules::hours(minutes));
    c.insert("target_minutes", &target);
    c.insert("target_hours", &rules::hours(target));
    c.insert("progress", &minutes.min(target));
    c.insert("share", &rules::share_text(rules::share(minutes, target)));
    c.insert("short", &rules::study_short(minutes, target));
    c.insert("others", &others);
    c.insert("overseer", &study::oversees(ctx.user()?));
    c.insert("can_record", &can_record(ctx.user()?, unit.id));
    ctx.render("training/study_hall.html", c)
}

/// GET /training/study/{id}: a session with its attendees and articles;
/// outside the viewer's halls it does not exist.
pub async fn show(ctx: Ctx, state: web::Data<AppState>, path: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let me = ctx.user()?.clone();
    let (s, hall, names, articles, recorder) = state
        .db(move |conn| {
            let s = StudySession::find(conn, id).optional()?.ok_or(AppError::NotFound)?;
            let hall = visible_hall(conn, &me, s.hall_id)?;
            let attendees = StudySession::attendees_of(conn, &[id])?.remove(&id).unwrap_or_default();
            let members = study::roster(conn, s.hall_id, &attendees)?;
            let names: Vec<study::Member> =
                members.into_iter().filter(|m| attendees.contains(&m.id)).collect();
            let articles = study::article_titles(conn, &s.articles())?;
            let recorder = match s.created_by {
                Some(by) => crate::accounts::User::names(conn, &[by])?.remove(&by),
                None => None,
            };
            Ok((s, hall, names, articles, recorder))
        })
        .await?;
    let mut c = Context::new();
    c.insert("s", &SessionRow::new(&s, names.len()));
    c.insert("month", &s.month);
    c.insert("notes", &s.notes);
    c.insert("hall_id", &hall.id);
    c.insert("hall", &hall.name);
    c.insert("attendees", &names);
    c.insert("articles", &articles);
    c.insert("recorder", &recorder.unwrap_or_default());
    c.insert("created_at", &crate::time::local_display(s.created_at));
    c.insert("updated_at", &(s.updated_at != s.created_at).then(|| crate::time::local_display(s.updated_at)));
    c.insert("can_edit", &can_record(ctx.user()?, hall.id));
    ctx.render("training/study_show.html", c)
}

/// GET /training/study/export.xlsx?month=[&hall=]: the hall summary and the
/// sessions of the month, limited to what the viewer may see.
pub async fn export_xlsx(
    ctx: Ctx,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let month = month_or_this(q.month.as_deref(), msg::STUDY_MONTH)?.to_string();
    let hall = hall_of(q.hall.as_deref())?;
    let me = ctx.user()?.clone();
    let m = month.clone();
    let bytes = state
        .db(move |conn| {
            if let Some(h) = hall {
                visible_hall(conn, &me, h)?;
            }
            let tree = Tree::load(conn)?;
            let keep = |id: i32| hall.is_none_or(|h| h == id) && can_view(&me, &tree, id);
            let halls: Vec<HallStudy> =
                study::hall_month_summary(conn, &m)?.into_iter().filter(|h| keep(h.hall_id)).collect();
            let sessions: Vec<StudySession> =
                StudySession::of_month(conn, &m)?.into_iter().filter(|s| keep(s.hall_id)).collect();
            let lines = super::study_export::lines(conn, &tree, &sessions)?;
            super::study_export::write_xlsx(&m, &halls, &lines).map_err(AppError::internal)
        })
        .await?;
    Ok(xlsx_response(bytes, &format!("study-{month}.xlsx")))
}
