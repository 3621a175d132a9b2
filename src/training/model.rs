//! Rows of the training tables and what every part of the room shares.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::Conn;
use crate::schema::{drill_types, drills, study_attendees, study_sessions};

/// One study session (rule 8). `starts`/`ends` are local "HH:MM" or ''.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = study_sessions)]
pub struct StudySession {
    pub id: i32,
    pub hall_id: i32,
    pub held_on: NaiveDate,
    pub month: String,
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

/// A business type drilled, with its target time.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = drill_types)]
pub struct DrillType {
    pub id: i32,
    pub name: String,
    pub target_seconds: i32,
    pub position: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl DrillType {
    /// The name of type `id` among `types`; empty when it is not there.
    pub fn name_in(types: &[DrillType], id: i32) -> String {
        types.iter().find(|t| t.id == id).map(|t| t.name.clone()).unwrap_or_default()
    }

    /// Every type, active first, in the trainers' order.
    pub fn all(conn: &mut Conn) -> QueryResult<Vec<DrillType>> {
        drill_types::table
            .order((drill_types::active.desc(), drill_types::position, drill_types::id))
            .select(DrillType::as_select())
            .load(conn)
    }
}

/// One timed drill (rule 9).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = drills)]
pub struct Drill {
    pub id: i32,
    pub drilled_on: NaiveDate,
    pub month: String,
    pub hall_id: i32,
    pub clerk_id: i32,
    pub drill_type_id: i32,
    pub seconds: i32,
    pub errors: i32,
    pub notes: String,
    pub recorded_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// For the database copy (`examhall copy-db`).
pub fn copy(from: &mut Conn, to: &mut Conn) -> QueryResult<()> {
    for row in study_sessions::table.order(study_sessions::id).select(StudySession::as_select()).load(from)? {
        diesel::insert_into(study_sessions::table).values(&row).execute(to)?;
    }
    let pairs: Vec<(i32, i32)> = study_attendees::table
        .order((study_attendees::session_id, study_attendees::user_id))
        .select((study_attendees::session_id, study_attendees::user_id))
        .load(from)?;
    for (session_id, user_id) in pairs {
        diesel::insert_into(study_attendees::table)
            .values((study_attendees::session_id.eq(session_id), study_attendees::user_id.eq(user_id)))
            .execute(to)?;
    }
    for row in drill_types::table.order(drill_types::id).select(DrillType::as_select()).load(from)? {
        diesel::insert_into(drill_types::table).values(&row).execute(to)?;
    }
    for row in drills::table.order(drills::id).select(Drill::as_select()).load(from)? {
        diesel::insert_into(drills::table).values(&row).execute(to)?;
    }
    Ok(())
}

/// Each hall's study minutes in `month` (halls without a session are absent).
pub fn study_minutes_by_hall(conn: &mut Conn, month: &str) -> QueryResult<HashMap<i32, i64>> {
    let rows: Vec<(i32, i32)> = study_sessions::table
        .filter(study_sessions::month.eq(month))
        .select((study_sessions::hall_id, study_sessions::minutes))
        .load(conn)?;
    let mut out = HashMap::new();
    for (hall, minutes) in rows {
        *out.entry(hall).or_insert(0) += minutes as i64;
    }
    Ok(out)
}

/// Study attendance of `month`: per hall the sessions held and their
/// minutes, per person the sessions and minutes they attended.
#[derive(Debug, Clone, Default)]
pub struct Attendance {
    /// hall id → (sessions held, minutes held).
    pub held: HashMap<i32, (i64, i64)>,
    /// user id → (sessions attended, minutes attended).
    pub attended: HashMap<i32, (i64, i64)>,
}

impl Attendance {
    /// A person's share of their hall's sessions, hundredths of a percent.
    pub fn share(&self, user_id: i32, hall_id: i32) -> Option<i64> {
        let held = self.held.get(&hall_id).map_or(0, |h| h.0);
        let went = self.attended.get(&user_id).map_or(0, |a| a.0);
        super::rules::share(went.min(held), held)
    }
}

pub fn attendance(conn: &mut Conn, month: &str) -> QueryResult<Attendance> {
    let sessions: Vec<(i32, i32, i32)> = study_sessions::table
        .filter(study_sessions::month.eq(month))
        .select((study_sessions::id, study_sessions::hall_id, study_sessions::minutes))
        .load(conn)?;
    let mut out = Attendance::default();
    let mut minutes_of = HashMap::new();
    for (id, hall, minutes) in &sessions {
        let held = out.held.entry(*hall).or_insert((0, 0));
        held.0 += 1;
        held.1 += *minutes as i64;
        minutes_of.insert(*id, *minutes as i64);
    }
    let ids: Vec<i32> = sessions.iter().map(|s| s.0).collect();
    let pairs: Vec<(i32, i32)> = study_attendees::table
        .filter(study_attendees::session_id.eq_any(&ids))
        .select((study_attendees::session_id, study_attendees::user_id))
        .load(conn)?;
    for (session, user) in pairs {
        let went = out.attended.entry(user).or_insert((0, 0));
        went.0 += 1;
        went.1 += minutes_of.get(&session).copied().unwrap_or(0);
    }
    Ok(out)
}

/// The drills of the months `from..=to` ("YYYY-MM", compared as text), oldest first.
pub fn drills_between(conn: &mut Conn, from: &str, to: &str) -> QueryResult<Vec<Drill>> {
    drills::table
        .filter(drills::month.ge(from))
        .filter(drills::month.le(to))
        .order((drills::drilled_on, drills::id))
        .select(Drill::as_select())
        .load(conn)
}
