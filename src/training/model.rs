//! The training tables as a whole: the rows live in their rooms
//! ([`super::study::model`], [`super::drills::model`]); the database copy
//! takes them all at once.

use diesel::prelude::*;

pub use super::drills::model::{Drill, DrillType};
pub use super::study::model::StudySession;
use crate::db::Conn;
use crate::schema::{drill_types, drills, study_attendees, study_sessions};

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
