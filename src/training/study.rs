//! Study sessions (业务学习, DESIGN §4 rule 8): the hall summary of a month
//! against the target, and the queries behind recording a session with its
//! attendees. Who may see or record what is decided in [`can_view`] and
//! [`can_record`]; the form's checks are in [`super::study_form`].

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::model::StudySession;
use super::rules::study_short;
use crate::auth::{CurrentUser, Role};
use crate::db::Conn;
use crate::exam::model::Tree;
use crate::org::OrgUnit;
use crate::schema::{study_attendees, study_sessions, users};

/// One hall's study in a month against the target (rule 8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HallStudy {
    pub hall_id: i32,
    pub hall: String,
    pub area_id: Option<i32>,
    pub area: String,
    pub sessions: i64,
    pub minutes: i64,
    pub target_minutes: i64,
    pub short: bool,
}

/// Every active hall's study in `month` ("YYYY-MM"), ordered by area (the
/// city district first) then hall name. A hall without a session has 0
/// minutes and is short unless the target is 0. Not limited to a viewer's
/// scope: callers filter with [`can_view`] or `review::model::in_scope`.
pub fn hall_month_summary(conn: &mut Conn, month: &str) -> QueryResult<Vec<HallStudy>> {
    let target = crate::settings::number(conn, &crate::settings::STUDY_TARGET_MINUTES)?;
    let rows: Vec<(i32, i32)> = study_sessions::table
        .filter(study_sessions::month.eq(month))
        .select((study_sessions::hall_id, study_sessions::minutes))
        .load(conn)?;
    let mut held: HashMap<i32, (i64, i64)> = HashMap::new();
    for (hall, minutes) in rows {
        let h = held.entry(hall).or_insert((0, 0));
        h.0 += 1;
        h.1 += i64::from(minutes);
    }
    let tree = Tree::load(conn)?;
    let order: Vec<i32> = tree.areas().iter().map(|a| a.id).collect();
    let mut out: Vec<HallStudy> = OrgUnit::halls(conn)?
        .into_iter()
        .filter(|h| h.active)
        .map(|h| {
            let area = tree.area_of(Some(h.id));
            let (sessions, minutes) = held.get(&h.id).copied().unwrap_or((0, 0));
            HallStudy {
                hall_id: h.id,
                hall: h.name,
                area_id: area.map(|a| a.id),
                area: area.map(|a| a.name.clone()).unwrap_or_default(),
                sessions,
                minutes,
                target_minutes: target,
                short: study_short(minutes, target),
            }
        })
        .collect();
    let rank = |a: Option<i32>| a.and_then(|a| order.iter().position(|o| *o == a)).unwrap_or(usize::MAX);
    out.sort_by(|a, b| (rank(a.area_id), &a.hall).cmp(&(rank(b.area_id), &b.hall)));
    Ok(out)
}

/// Whether `me` may see a hall's sessions: its team leaders and manager,
/// supervisors over it, trainers and admins.
pub fn can_view(me: &CurrentUser, tree: &Tree, hall_id: i32) -> bool {
    crate::review::model::in_scope(me, &tree.ancestry(Some(hall_id))) || leads(me, hall_id)
}

/// A team leader or manager of this hall.
pub fn leads(me: &CurrentUser, hall_id: i32) -> bool {
    me.scopes(Role::TeamLeader).contains(&hall_id) || me.scopes(Role::HallManager).contains(&hall_id)
}

/// Whether `me` may record (and change) a hall's sessions: its team leaders, and admins.
pub fn can_record(me: &CurrentUser, hall_id: i32) -> bool {
    me.has_role(Role::Admin) || me.scopes(Role::TeamLeader).contains(&hall_id)
}

/// Whether `me` sees halls by the summary (supervisors, trainers, admins)
/// rather than only their own hall.
pub fn oversees(me: &CurrentUser) -> bool {
    me.has_any_role(&[Role::Supervisor, Role::Trainer, Role::Admin])
}

/// A session as checked and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStudy {
    pub hall_id: i32,
    pub held_on: NaiveDate,
    pub starts: String,
    pub ends: String,
    pub minutes: i32,
    pub kind: String,
    pub topic: String,
    pub article_ids: Vec<i32>,
    pub notes: String,
    pub attendees: Vec<i32>,
}

impl StudySession {
    pub fn find(conn: &mut Conn, id: i32) -> QueryResult<StudySession> {
        study_sessions::table.find(id).select(StudySession::as_select()).first(conn)
    }

    /// A hall's sessions of a month, oldest first.
    pub fn of_hall(conn: &mut Conn, hall_id: i32, month: &str) -> QueryResult<Vec<StudySession>> {
        study_sessions::table
            .filter(study_sessions::hall_id.eq(hall_id))
            .filter(study_sessions::month.eq(month))
            .order((study_sessions::held_on, study_sessions::starts, study_sessions::id))
            .select(StudySession::as_select())
            .load(conn)
    }

    /// Every session of a month, by hall then date.
    pub fn of_month(conn: &mut Conn, month: &str) -> QueryResult<Vec<StudySession>> {
        study_sessions::table
            .filter(study_sessions::month.eq(month))
            .order((
                study_sessions::hall_id,
                study_sessions::held_on,
                study_sessions::starts,
                study_sessions::id,
            ))
            .select(StudySession::as_select())
            .load(conn)
    }

    /// Stores a new session and its attendees (call inside `db::write`); its id.
    pub fn insert(conn: &mut Conn, s: &NewStudy, by: i32, at: NaiveDateTime) -> QueryResult<i32> {
        let id: i32 = diesel::insert_into(study_sessions::table)
            .values((
                study_sessions::hall_id.eq(s.hall_id),
                study_sessions::created_by.eq(Some(by)),
                study_sessions::created_at.eq(at),
                fields(s, at),
            ))
            .returning(study_sessions::id)
            .get_result(conn)?;
        set_attendees(conn, id, &s.attendees)?;
        Ok(id)
    }

    /// Replaces a session's fields and attendees (call inside `db::write`).
    /// The hall never changes.
    pub fn update(conn: &mut Conn, id: i32, s: &NewStudy, at: NaiveDateTime) -> QueryResult<()> {
        diesel::update(study_sessions::table.find(id)).set(fields(s, at)).execute(conn)?;
        diesel::delete(study_attendees::table.filter(study_attendees::session_id.eq(id))).execute(conn)?;
        set_attendees(conn, id, &s.attendees)
    }

    /// Deletes a session with its attendees (call inside `db::write`).
    pub fn delete(conn: &mut Conn, id: i32) -> QueryResult<usize> {
        diesel::delete(study_attendees::table.filter(study_attendees::session_id.eq(id))).execute(conn)?;
        diesel::delete(study_sessions::table.find(id)).execute(conn)
    }

    /// The attendees' ids of these sessions: session id → user ids.
    pub fn attendees_of(conn: &mut Conn, ids: &[i32]) -> QueryResult<HashMap<i32, Vec<i32>>> {
        let pairs: Vec<(i32, i32)> = study_attendees::table
            .filter(study_attendees::session_id.eq_any(ids))
            .order((study_attendees::session_id, study_attendees::user_id))
            .select((study_attendees::session_id, study_attendees::user_id))
            .load(conn)?;
        let mut out: HashMap<i32, Vec<i32>> = HashMap::new();
        for (session, user) in pairs {
            out.entry(session).or_default().push(user);
        }
        Ok(out)
    }
}

/// The columns a form sets, on insert and update alike.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = study_sessions)]
struct Fields<'a> {
    held_on: NaiveDate,
    month: String,
    starts: &'a str,
    ends: &'a str,
    minutes: i32,
    kind: &'a str,
    topic: &'a str,
    article_ids: String,
    notes: &'a str,
    updated_at: NaiveDateTime,
}

fn fields(s: &NewStudy, at: NaiveDateTime) -> Fields<'_> {
    Fields {
        held_on: s.held_on,
        month: s.held_on.format("%Y-%m").to_string(),
        starts: &s.starts,
        ends: &s.ends,
        minutes: s.minutes,
        kind: &s.kind,
        topic: &s.topic,
        article_ids: serde_json::to_string(&s.article_ids).unwrap_or_else(|_| "[]".into()),
        notes: &s.notes,
        updated_at: at,
    }
}

/// One row per attendee: multi-row inserts do not compile for both backends.
fn set_attendees(conn: &mut Conn, id: i32, people: &[i32]) -> QueryResult<()> {
    for user in people {
        diesel::insert_into(study_attendees::table)
            .values((study_attendees::session_id.eq(id), study_attendees::user_id.eq(*user)))
            .execute(conn)?;
    }
    Ok(())
}

/// (id, name, 工号, hall, active) as loaded.
type PersonRow = (i32, String, Option<String>, Option<i32>, bool);

/// A person on the attendance list: (id, name, 工号, still active in the hall).
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: i32,
    pub name: String,
    pub staff_no: String,
    /// Active and still in this hall (others only appear because they attended).
    pub current: bool,
}

/// The hall's active staff, then anyone in `also` (past attendees who left
/// or moved).
pub fn roster(conn: &mut Conn, hall_id: i32, also: &[i32]) -> QueryResult<Vec<Member>> {
    let rows: Vec<PersonRow> = users::table
        .filter(users::hall_id.eq(hall_id).and(users::active.eq(true)).or(users::id.eq_any(also)))
        .select((users::id, users::name, users::staff_no, users::hall_id, users::active))
        .load(conn)?;
    let mut out: Vec<Member> = rows
        .into_iter()
        .map(|(id, name, no, hall, active)| Member {
            id,
            name,
            staff_no: no.unwrap_or_default(),
            current: active && hall == Some(hall_id),
        })
        .collect();
    // Current staff first, by 工号 (how a hall's list is kept), then name.
    out.sort_by(|a, b| {
        (!a.current, a.staff_no.is_empty(), &a.staff_no, &a.name).cmp(&(
            !b.current,
            b.staff_no.is_empty(),
            &b.staff_no,
            &b.name,
        ))
    });
    Ok(out)
}

/// Published KB articles with their current titles, newest first: what a
/// session may link to.
/// Only articles the hall's staff may read: a session must not show another
/// county's titles to this hall.
pub fn article_choices(conn: &mut Conn, hall_id: i32) -> QueryResult<Vec<(i32, String)>> {
    let tree = Tree::load(conn)?;
    // Any of the hall's roles: an article for clerks only is still for this hall.
    let hall_staff = crate::kb::model::Member {
        user_id: 0,
        ancestry: tree.ancestry(Some(hall_id)),
        roles: [Role::Clerk, Role::TeamLeader, Role::HallManager]
            .iter()
            .map(|r| r.code().to_string())
            .collect(),
    };
    Ok(crate::kb::model::search(conn, "", "", "", false)?
        .into_iter()
        .filter(|(a, _)| hall_staff.may_read(a))
        .map(|(a, v)| (a.id, v.title))
        .collect())
}

/// Titles of these articles (any status), for a session's page.
pub fn article_titles(conn: &mut Conn, ids: &[i32]) -> QueryResult<Vec<(i32, String)>> {
    let mut out = Vec::new();
    for id in ids {
        if let Some(a) = crate::kb::model::Article::find(conn, *id).optional()? {
            out.push((*id, crate::kb::model::title_of(conn, &a)?));
        }
    }
    Ok(out)
}
