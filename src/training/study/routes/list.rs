//! GET /training/study: a hall's month, or every hall in scope side by side.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::Serialize;

use super::{hall_of, visible_hall, ListQuery, SessionRow};
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::domain::score::{percent_text, share};
use crate::domain::{Month, OrgTree};
use crate::training::access::{may_record, may_view, oversees};
use crate::training::study::model::{self as study, StudySession};
use crate::training::study::rules;
use crate::training::study::summary::{self, HallStudy};
use crate::web::month::{month_context, month_or_this};
use crate::web::{msg, AppError, AppResult, Ctx};
use crate::AppState;

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
        share: percent_text(share(h.minutes, h.target_minutes)),
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
    let month = month_or_this(q.month.as_deref(), msg::STUDY_MONTH)?;
    let mut hall = hall_of(q.hall.as_deref())?;
    let me = ctx.user()?.clone();
    // Hall leaders see their own halls (the first unless they chose another).
    let mut mine: Vec<i32> = Vec::new();
    for h in me.scopes(Role::TeamLeader).into_iter().chain(me.scopes(Role::HallManager)) {
        if !mine.contains(&h) {
            mine.push(h);
        }
    }
    if hall.is_none() && !oversees(&me) {
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
    month: Month,
    only_short: bool,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let rows = state
        .db(move |conn| {
            let tree = OrgTree::load(conn)?;
            let rows = summary::hall_month_summary(conn, month)?;
            Ok(rows.into_iter().filter(|h| may_view(&me, &tree, h.hall_id)).collect::<Vec<_>>())
        })
        .await?;
    let mut c = month_context(month);
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

/// What a hall's month page shows, as loaded.
struct HallMonth {
    unit: crate::org::OrgUnit,
    area: String,
    sessions: Vec<SessionRow>,
    people: Vec<PersonRow>,
    /// The hall's study minutes (rule 8's one sum: overlapping time once).
    minutes: i64,
    target: i64,
    /// The viewer's other halls: (id, name).
    others: Vec<(i32, String)>,
}

/// Each person on the hall's list with the sessions they attended, and the
/// minutes those cover (`attended`: the month's, overlapping time once).
fn people_of(
    list: &[StudySession],
    attendees: &HashMap<i32, Vec<i32>>,
    attended: &HashMap<i32, (i64, i64)>,
    roster: Vec<study::Member>,
) -> Vec<PersonRow> {
    let held = list.len() as i64;
    roster
        .into_iter()
        .map(|member| {
            let went: Vec<&StudySession> = list
                .iter()
                .filter(|s| attendees.get(&s.id).is_some_and(|a| a.contains(&member.id)))
                .collect();
            let minutes = attended.get(&member.id).map_or(0, |a| a.1);
            PersonRow {
                attended: went.len() as i64,
                hours: rules::hours(minutes),
                share: percent_text(share(went.len() as i64, held)),
                member,
            }
        })
        .collect()
}

fn load_hall_month(
    conn: &mut Conn,
    me: &CurrentUser,
    month: Month,
    hall_id: i32,
    mine: &[i32],
) -> AppResult<HallMonth> {
    let unit = visible_hall(conn, me, hall_id)?;
    let tree = OrgTree::load(conn)?;
    let area = tree.area_of(Some(hall_id)).map(|a| a.name.clone()).unwrap_or_default();
    let list = StudySession::of_hall(conn, hall_id, month)?;
    let ids: Vec<i32> = list.iter().map(|s| s.id).collect();
    let attendees = StudySession::attendees_of(conn, &ids)?;
    let everyone: Vec<i32> = attendees.values().flatten().copied().collect();
    let month_of = crate::training::study::summary::attendance(conn, month)?;
    let people = people_of(&list, &attendees, &month_of.attended, study::roster(conn, hall_id, &everyone)?);
    let minutes = month_of.held.get(&hall_id).map_or(0, |h| h.1);
    let sessions =
        list.iter().map(|s| SessionRow::new(s, attendees.get(&s.id).map_or(0, Vec::len))).collect();
    let target = crate::settings::number(conn, &crate::settings::STUDY_TARGET_MINUTES)?;
    let others = mine.iter().filter(|h| **h != hall_id).map(|h| (*h, tree.name(Some(*h)))).collect();
    Ok(HallMonth { unit, area, sessions, people, minutes, target, others })
}

async fn hall_page(
    ctx: &Ctx,
    state: &AppState,
    month: Month,
    hall_id: i32,
    mine: Vec<i32>,
) -> AppResult<HttpResponse> {
    let me = ctx.user()?.clone();
    let HallMonth { unit, area, sessions, people, minutes, target, others } =
        state.db(move |conn| load_hall_month(conn, &me, month, hall_id, &mine)).await?;
    let mut c = month_context(month);
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
    c.insert("share", &percent_text(share(minutes, target)));
    c.insert("short", &rules::study_short(minutes, target));
    c.insert("others", &others);
    c.insert("overseer", &oversees(ctx.user()?));
    c.insert("can_record", &may_record(ctx.user()?, unit.id));
    ctx.render("training/study_hall.html", c)
}
