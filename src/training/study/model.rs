//! Study sessions (业务学习, DESIGN §4 rule 8) in the database: a session
//! with its attendees, the hall's staff to mark present, the articles a
//! session may link. Who may see or record what is decided in
//! [`crate::training::access`]; the form's checks are in [`super::form`];
//! the month's sums in [`super::summary`].

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::Role;
use crate::db::Conn;
use crate::domain::{Month, OrgTree};
use crate::schema::{study_attendees, study_sessions, users};

/// One study session (rule 8). `starts`/`ends` are local "HH:MM" or ''.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = study_sessions)]
pub struct StudySession {
    pub id: i32,
    pub hall_id: i32,
    pub held_on: NaiveDate,
    pub month: Month,
    pub starts: String,
    pub ends: String,
    pub minutes: i32,
    /// A [`super::rules::StudyKind`] code.
    pub kind: String,
    pub topic: String,
    /// JSON list of KB article ids.
    pub article_ids: String,
    pub notes: String,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl StudySession {
    pub fn articles(&self) -> Vec<i32> {
        serde_json::from_str(&self.article_ids).unwrap_or_default()
    }
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
    pub fn of_hall(conn: &mut Conn, hall_id: i32, month: Month) -> QueryResult<Vec<StudySession>> {
        study_sessions::table
            .filter(study_sessions::hall_id.eq(hall_id))
            .filter(study_sessions::month.eq(month))
            .order((study_sessions::held_on, study_sessions::starts, study_sessions::id))
            .select(StudySession::as_select())
            .load(conn)
    }

    /// Every session of a month, by hall then date.
    pub fn of_month(conn: &mut Conn, month: Month) -> QueryResult<Vec<StudySession>> {
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
    month: Month,
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
        month: Month::of_date(s.held_on),
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
    let tree = OrgTree::load(conn)?;
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
